"""Fixtures of the report tests: the demo city's report, built once, and a small city with hostile names."""

from __future__ import annotations

import sys
from pathlib import Path

import lagesbild as lb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))


@pytest.fixture(scope="session")
def demo_city() -> lb.City:
    return lb.demo()


@pytest.fixture(scope="session")
def demo_report(demo_city: lb.City) -> lb.Report:
    return lb.lagesbild(demo_city, year=2025)


@pytest.fixture(scope="session")
def demo_out(demo_report: lb.Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_report.write(tmp_path_factory.mktemp("report") / "lagesbild-2025")
