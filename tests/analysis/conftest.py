"""Fixtures of the analysis tests: the hand-made hazard city (hazard_city.py)."""

from __future__ import annotations

from pathlib import Path

import hazard_city
import lagesbild as lb
import pytest


@pytest.fixture(scope="module")
def astad(tmp_path_factory: pytest.TempPathFactory) -> lb.City:
    return lb.City.from_config(hazard_city.make(tmp_path_factory.mktemp("astad")))


@pytest.fixture
def astad_files(tmp_path: Path) -> Path:
    return hazard_city.make(tmp_path / "astad")
