"""Fixtures of the map tests: the demo city, loaded once."""

from __future__ import annotations

import lagesbild as lb
import pytest


@pytest.fixture(scope="session")
def city() -> lb.City:
    return lb.demo()
