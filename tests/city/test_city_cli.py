"""``lagesbild info --config``: the summary of a city, or every problem it has."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from city_helpers import edit


def test_cli_info_config_summarises_the_city(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lagesbild.cli import main

    assert main(["info", "--config", os.fspath(small)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("City 'Småstad'")
    assert "areas (areas.gpkg): 4 stadsdelar, Polygon, EPSG:3011" in out
    assert "2020-07-01 – 2023-06-30: 2 stadsdelsområden, 4 stadsdelar" in out
    assert "2023-07-01 – (in force): 1 stadsdelsområde, 4 stadsdelar" in out
    assert re.search(r"\n  befolkning +befolkning.csv +8 rows +years 2022, 2023 +by stadsdel \(stadsdel\)\n", out)
    assert re.search(r"\n  enkat +enkat.csv +3 rows +years 2023 +by stadsdel \(stadsdel\)\n", out)
    assert "small counts: fewer than 5 are suppressed" in out
    assert "findings: 0 overlaps" in out


def test_cli_info_config_lists_every_problem(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lagesbild.cli import main

    (small.parent / "befolkning.csv").unlink()
    edit(small, 'key = "namn"', 'key = "nam"')
    assert main(["info", "--config", os.fspath(small)]) == 1
    err = capsys.readouterr().err
    assert "2 problems" in err and "befolkning.csv" in err and "no column 'nam'" in err
