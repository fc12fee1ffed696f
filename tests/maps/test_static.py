"""Static maps: golden SVGs, PNGs that are not blank, the open mode, determinism.

Golden files are in tests/maps/golden/. After a deliberate change to the
maps, look at the new maps, then regenerate them with

    LAGESBILD_REGEN_GOLDEN=1 pytest tests/maps/test_static.py

and commit them. They are compared after normalisation (normalise below):
the metadata block is dropped, whitespace collapsed and every number
rounded to 0.1 (SVG user units are points, so 0.1 pt: a change a reader
cannot see).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import lagesbild as lb
import numpy as np
import polars as pl
import pytest
from lagesbild import maps
from lagesbild.maps.overlays import facility_table
from lagesbild.maps.risk_map import risk_table

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("LAGESBILD_REGEN_GOLDEN") == "1"


def normalise(svg: bytes) -> str:
    text = svg.decode("utf-8")
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r"-?\d+\.\d+", lambda m: f"{float(m.group()):.1f}", text)
    return re.sub(r"\s+", " ", text).strip()


def check_golden(name: str, svg: bytes) -> None:
    path = GOLDEN / name
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(svg)
        return
    assert path.exists(), f"no golden file {path}: run with LAGESBILD_REGEN_GOLDEN=1 once and look at the map"
    assert normalise(svg) == normalise(path.read_bytes()), f"{name} differs from the golden copy"


def sizes_per_area(city: lb.City) -> pl.DataFrame:
    return (
        city.areas_at(2025)
        .attributes.group_by("sdo_namn")
        .len()
        .rename({"sdo_namn": "area", "len": "stadsdelar"})
        .sort("area")
    )


@pytest.fixture(scope="module")
def choropleth(city):
    return maps.choropleth(
        city,
        sizes_per_area(city),
        "stadsdelar",
        year=2025,
        label="Stadsdelar per stadsdelsområde",
        unit="antal",
        overlays=[maps.overlays.flood(city), maps.overlays.routes(city)],
    )


@pytest.fixture(scope="module")
def risk_open(city):
    return maps.risk_map(city, "Hägersten-Älvsjö", year=2025)


@pytest.fixture(scope="module")
def risk_internal(city):
    return maps.risk_map(city, "Hägersten-Älvsjö", year=2025, mode="internal")


def test_choropleth_golden(choropleth) -> None:
    check_golden("choropleth.svg", choropleth.to_bytes("svg"))


def test_risk_map_golden(risk_open) -> None:
    check_golden("risk_map.svg", risk_open.to_bytes("svg"))


def test_the_same_input_gives_the_same_bytes(city, choropleth) -> None:
    again = maps.choropleth(
        city,
        sizes_per_area(city),
        "stadsdelar",
        year=2025,
        label="Stadsdelar per stadsdelsområde",
        unit="antal",
        overlays=[maps.overlays.flood(city), maps.overlays.routes(city)],
    )
    assert again.to_bytes("svg") == choropleth.to_bytes("svg")
    assert again.to_bytes("pdf") == choropleth.to_bytes("pdf")
    assert b"<dc:date>" not in choropleth.to_bytes("svg")


@pytest.mark.parametrize(("size", "orientation", "mm"), [("A4", "portrait", (210, 297)), ("A3", "landscape", (420, 297))])
def test_png_has_the_paper_size_and_is_not_blank(city, tmp_path, size, orientation, mm) -> None:
    from PIL import Image

    m = maps.risk_map(city, "Hägersten-Älvsjö", year=2025, size=size, orientation=orientation)
    path = m.save(tmp_path / "karta.png")
    with Image.open(path) as im:
        w, h = im.size
        assert abs(w - mm[0] / 25.4 * 300) <= 1 and abs(h - mm[1] / 25.4 * 300) <= 1
        small = np.asarray(im.convert("RGB").resize((200, 280)))
    # Not blank: many colours, and a good share of the page is not white.
    assert len(np.unique(small.reshape(-1, 3), axis=0)) > 50
    assert (small.sum(axis=2) < 3 * 245).mean() > 0.3
    for fmt in ("svg", "pdf"):
        out = m.save(tmp_path / f"karta.{fmt}")
        assert out.stat().st_size > 10_000
    assert not list(tmp_path.glob(".*tmp")), "a temporary file was left behind"


def _svg_points(svg: bytes, gid_prefix: str) -> list[tuple[float, float]]:
    """The positions of the markers in the groups whose id starts with ``gid_prefix``."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    out = []
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        if g.get("id", "").startswith(gid_prefix):
            # matplotlib writes a marker as <use> of a definition, or, for a few markers, as its own <path>.
            for use in g.iter("{http://www.w3.org/2000/svg}use"):
                out.append((float(use.get("x")), float(use.get("y"))))
            for path in g.iter("{http://www.w3.org/2000/svg}path"):
                if path.get("id"):  # a marker's definition, drawn by the <use> elements
                    continue
                xy = np.array(re.findall(r"(-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)", path.get("d", "")), dtype=float)
                if len(xy):
                    out.append(tuple((xy.min(axis=0) + xy.max(axis=0)) / 2))
    return out


def _to_svg(m: maps.Map, xy: np.ndarray) -> np.ndarray:
    """Working-CRS coordinates → the SVG's user units (points, y down)."""
    fig = m.figure
    fig.set_dpi(72)
    fig.canvas.draw() if hasattr(fig.canvas, "draw") else None
    disp = m.ax.transData.transform(xy)
    return np.column_stack([disp[:, 0], fig.get_size_inches()[1] * 72 - disp[:, 1]])


def test_open_mode_draws_no_protected_facility(city, risk_open, risk_internal) -> None:
    t = facility_table(city, 2025)
    area = t.filter(pl.col("stadsdelsomrade") == "Hägersten-Älvsjö")
    listed_open, counted = risk_table(city, "Hägersten-Älvsjö", year=2025)
    listed_internal, _ = risk_table(city, "Hägersten-Älvsjö", year=2025, mode="internal")
    protected_names = set(area.filter(pl.col("protected"))["name"].to_list())
    assert counted["antal"].sum() > 0, "the area should have protected facilities at risk to test with"
    # The table printed beside the map.
    assert not protected_names & set(risk_open.table["namn"].to_list())
    assert protected_names & set(risk_internal.table["namn"].to_list())
    # The SVG: as many facility markers as listed facilities; none where a protected one is.
    svg_open = risk_open.to_bytes("svg")
    svg_internal = risk_internal.to_bytes("svg")
    points_open = _svg_points(svg_open, "lb-anlaggningar")
    points_internal = _svg_points(svg_internal, "lb-anlaggningar")
    assert len(points_open) == listed_open.height
    assert len(points_internal) == listed_internal.height
    hidden = listed_internal.filter(~pl.col("namn").is_in(listed_open["namn"].to_list()))
    where = _to_svg(risk_open, hidden.select("x", "y").to_numpy())
    for px, py in where:
        assert not any(abs(px - x) < 0.2 and abs(py - y) < 0.2 for x, y in points_open)
    where_internal = _to_svg(risk_internal, hidden.select("x", "y").to_numpy())
    found = sum(any(abs(px - x) < 0.2 and abs(py - y) < 0.2 for x, y in points_internal) for px, py in where_internal)
    assert found == hidden.height, "the check must find the protected points where they are drawn"


def test_a_risk_map_without_its_table_keeps_the_numbers_and_grows(city, risk_open) -> None:
    """``table=False``: the same facilities and numbers on the map, no name printed, a taller map."""
    from lagesbild.maps.static import _labels_of
    from matplotlib.text import Text

    m = maps.risk_map(city, "Hägersten-Älvsjö", year=2025, table=False)
    listed, counted = risk_table(city, "Hägersten-Älvsjö", year=2025)
    assert m.table.equals(listed.drop("x", "y")) and m.protected.equals(counted)
    assert risk_open.table.equals(m.table) and risk_open.protected.equals(m.protected)
    numbers = sorted(int(text) for *_, text in _labels_of(m.ax).markers if text)
    assert numbers == listed["nr"].to_list()
    texts = {t.get_text() for t in m.figure.findobj(Text)}
    assert not set(listed["namn"].to_list()) & texts
    short = {n for n in listed["namn"].to_list() if len(n) <= 20}  # longer names are cut in the printed table
    assert short and short <= {t.get_text() for t in risk_open.figure.findobj(Text)}
    assert m.ax.get_position().height > risk_open.ax.get_position().height * 1.1


def test_no_area_name_lies_under_the_scale_bar(city) -> None:
    """Measured on the drawn figure: the neighbours' names at the lower left of Norra innerstaden's map give way."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.patches import Rectangle
    from matplotlib.text import Text

    m = maps.risk_map(city, "Norra innerstaden", year=2025, table=False, dpi=100)
    canvas = FigureCanvasAgg(m.figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    bars = [p.get_window_extent(renderer) for p in m.ax.patches if isinstance(p, Rectangle) and p.get_zorder() == 20]
    assert len(bars) == 2
    x0, y0 = min(b.x0 for b in bars), min(b.y0 for b in bars)
    x1, y1 = max(b.x1 for b in bars), max(b.y1 for b in bars)
    names = [t for t in m.ax.texts if isinstance(t, Text) and t.get_text() and t.get_text()[0].isalpha()]
    assert len(names) >= 8
    for t in names:
        e = t.get_window_extent(renderer)
        assert not (e.x0 < x1 and e.x1 > x0 and e.y0 < y1 and e.y1 > y0), t.get_text()


def test_each_listed_facility_has_its_own_number_on_the_map(city) -> None:
    from lagesbild.maps.static import _labels_of

    # Farsta has two preschools of one name at risk: each must keep its own number.
    m = maps.risk_map(city, "Farsta", year=2025, mode="internal")
    assert m.table["namn"].is_duplicated().any()
    numbers = [int(text) for *_, text in _labels_of(m.ax).markers if text]
    assert sorted(numbers) == m.table["nr"].to_list()


@pytest.mark.parametrize("mode", ["open", "internal"])
def test_no_area_name_or_count_box_hides_a_facility(city, mode) -> None:
    """Every marker's centre lies outside every stadsdel name and count box (measured on the drawn figure)."""
    from lagesbild.maps.static import _labels_of
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Annotation

    m = maps.risk_map(city, "Hägersten-Älvsjö", year=2025, mode=mode)
    canvas = FigureCanvasAgg(m.figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    centres = [m.ax.transData.transform((x, y)) for x, y, _, _ in _labels_of(m.ax).markers]
    assert len(centres) > 40
    names = [t for t in m.ax.texts if not isinstance(t, Annotation) and t.get_text()]
    boxes = [t for t in m.ax.texts if isinstance(t, Annotation) and t.get_bbox_patch() is not None]
    assert len(names) > 10 and (mode == "internal" or boxes)
    for t in names + boxes:
        extent = (t.get_bbox_patch() or t).get_window_extent(renderer)
        hidden = [c for c in centres if extent.contains(*c)]
        assert not hidden, f"{t.get_text()!r} hides {len(hidden)} facility marker(s)"


def test_choropleth_hatches_withheld_areas_and_explains(city) -> None:
    table = pl.DataFrame(
        {
            "area": ["Bromma", "Farsta", "Järva"],
            "antal": [12.0, None, 40.0],
            "suppressed": [False, True, False],
            "rule": ["threshold:5"] * 3,
        }
    )
    m = maps.choropleth(city, table, "antal", year=2025, label="Händelser", unit="antal", scheme="equal_interval", k=2)
    svg = m.to_bytes("svg").decode()
    assert 'id="lb-skyddad"' in svg and 'id="lb-saknas"' in svg


def test_bad_arguments_are_refused(city) -> None:
    table = sizes_per_area(city)
    with pytest.raises(lb.InvalidArgumentError, match="scheme"):
        maps.choropleth(city, table, "stadsdelar", year=2025, scheme="jenks")
    with pytest.raises(lb.InvalidArgumentError, match="one row per area"):
        maps.choropleth(city, pl.concat([table, table]), "stadsdelar", year=2025)
    with pytest.raises(lb.InvalidArgumentError, match="no stadsdelsområde 'Atlantis'"):
        maps.risk_map(city, "Atlantis", year=2025)
    with pytest.raises(lb.InvalidArgumentError, match="png, svg or pdf"):
        maps.risk_map(city, "Farsta", year=2025).save("karta.jpg")


def test_without_the_extra_the_error_names_it(monkeypatch) -> None:
    import importlib
    import importlib.util
    import sys

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda n, *a: None if n == "matplotlib" else real(n, *a))
    saved = {k: v for k, v in sys.modules.items() if k.startswith("lagesbild.maps")}
    for k in saved:
        monkeypatch.delitem(sys.modules, k)
    with pytest.raises(ImportError, match=r"pip install 'lagesbild\[maps\]'"):
        importlib.import_module("lagesbild.maps")
    for k, v in saved.items():
        monkeypatch.setitem(sys.modules, k, v)


def test_risk_map_draws_extra_overlays_such_as_hot_cells(city) -> None:
    """Hot cells given as an extra overlay: drawn clipped to the map, one path per hot cell in view, in the legend."""
    from lagesbild.analysis import hotspots

    cells = hotspots(city, 2025, "brott")
    hot = cells.filter(cells["class"] == "hot")
    m = maps.risk_map(city, "Skärholmen", year=2025, extra=[maps.overlays.cells(hot, title="Heta celler")])
    from matplotlib.text import Text

    assert "Heta celler" in [t.get_text() for t in m.figure.findobj(Text)]
    x0, x1 = m.ax.get_xlim()
    y0, y1 = m.ax.get_ylim()
    in_view = hot.attributes.filter(pl.col("x").is_between(x0, x1) & pl.col("y").is_between(y0, y1)).height
    drawn = [c for c in m.ax.collections if (c.get_gid() or "").startswith("lb-celler-hot")]
    assert len(drawn) == 1 and in_view > 50
    assert len(drawn[0].get_paths()) == in_view
    assert b'id="lb-celler-hot' in m.to_bytes("svg")
