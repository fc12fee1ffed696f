"""Interactive maps: every layer and tooltip in the page, offline in Chromium, nothing protected in open mode."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from lagesbild import maps
from lagesbild.maps.overlays import facility_table


def holds(page: str, text: str) -> bool:
    """Whether the page holds the text, as written or as escaped in Bokeh's JSON (\\u00e5 for å)."""
    import json

    return text in page or json.dumps(text)[1:-1] in page


@pytest.fixture(scope="module")
def open_map(city):
    return maps.explore(city, year=2025)


@pytest.fixture(scope="module")
def internal_map(city):
    return maps.explore(city, year=2025, mode="internal")


def test_the_page_holds_every_layer_and_tooltip(open_map) -> None:
    page = open_map.html
    for name in ("Vatten", "Land lägre än +2,7 m (RH 2000)", "Zon A, 0–30 m", "Primär transportled", "Järnväg", "Vård och omsorg, skola"):
        assert name in open_map.layers and holds(page, name)
    for field in ("Namn", "Kategori", "Huvudman", "Risk", "Nivå", "Led", "Skyddsvärda anläggningar"):
        assert holds(page, f"@{{{field}}}")
    # Everything inline: no script, style or tile from the network.
    assert "<script src=" not in page and "cdn.bokeh.org" not in page and "tile." not in page


def test_open_mode_keeps_protected_facilities_out_of_the_page(city, open_map, internal_map) -> None:
    t = facility_table(city, 2025)
    protected = t.filter(pl.col("protected"))["name"].to_list()
    assert protected
    assert not [n for n in protected if holds(open_map.html, n)]
    assert all(holds(internal_map.html, n) for n in protected)
    assert "INTERN" in internal_map.html and "INTERN" not in open_map.html


def test_it_opens_offline_without_errors(open_map, browser, tmp_path) -> None:
    from PIL import Image

    path = open_map.save(tmp_path / "karta.html")
    visit = browser.open(path, screenshot=tmp_path / "karta.png", wait_for="canvas", settle_ms=1500)
    assert visit.clean, (visit.console_errors, visit.page_errors, visit.blocked, visit.failed)
    with Image.open(visit.screenshot) as im:
        small = np.asarray(im.convert("RGB").resize((160, 120)))
    assert len(np.unique(small.reshape(-1, 3), axis=0)) > 30


def test_a_layer_explores_itself(city) -> None:
    m = city.layer("oversvamning").explore("niva_m")
    assert m.html.startswith("<!DOCTYPE html>") and len(m.layers) == 3
    html = city.layer("handelser")._repr_html_()
    assert "<svg" in html and "objekt visas" in html
