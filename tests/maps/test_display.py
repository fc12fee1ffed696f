"""Rich display in Jupyter: analysis results show a small map and a summary, and nothing protected in open mode."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest
import shapely
from lagesbild.analysis import omradesansvar, screen
from lagesbild.maps._display import FACILITY, HIGHLIGHT

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))
import hazard_city  # noqa: E402


@pytest.fixture(scope="module")
def astad(tmp_path_factory: pytest.TempPathFactory) -> lb.City:
    return lb.City.from_config(hazard_city.make(tmp_path_factory.mktemp("astad")))


def test_omradesansvar_shows_its_areas_and_a_row_each(astad) -> None:
    result = omradesansvar(astad, year=2022)
    page = result._repr_html_()
    assert page.count("<svg") == 1 and page.count("<path") == 2
    assert "Geografiskt områdesansvar" in page and "Väster" in page and "Öster" in page
    one = result.for_area("Öster")._repr_html_()
    assert "Gemensam gräns med" in one and re.search(r">Väster</td><td[^>]*>2,0 km</td>", one)
    assert one.count(f'fill="{HIGHLIGHT}"') == 1 and f'fill="{HIGHLIGHT}"' not in page  # the area marked, alone


def _facility_dots(page: str) -> int:
    return len(re.findall(f'<circle [^>]*fill="{FACILITY}"', page))


@pytest.mark.parametrize("site", [shapely.Point(147_300, 6_574_300), shapely.box(152_000, 6_578_500, 152_200, 6_578_700)])
def test_a_screening_in_open_mode_shows_no_protected_facility(city, site) -> None:
    f = city.settings.facilities
    layer = city.layer(f.layer)
    protected = layer.attributes.filter(pl.col(f.protected))[f.name].to_list()
    opened = screen(city, site, radius_m=500)
    internal = screen(city, site, radius_m=500, mode="internal")
    page_open, page_internal = opened._repr_html_(), internal._repr_html_()
    assert "<svg" in page_open and "Platsens risker" in page_open
    hidden = internal.facilities.height - opened.facilities.height
    assert hidden > 0, "the site should have protected facilities near it to test with"
    near_protected = set(internal.facilities["name"].to_list()) & set(protected)
    assert near_protected and not [n for n in near_protected if n in page_open]
    assert f"därtill {hidden} skyddsvärda, visas inte" in page_open
    assert _facility_dots(page_open) == opened.facilities.height
    assert _facility_dots(page_internal) == internal.facilities.height
