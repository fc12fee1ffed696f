"""Indexes kept with a Layer: the first call builds, later calls reuse.

Every answer is checked against shapely on the same shapes, so an index
handed to the wrong layer or operation shows up as a wrong answer, not
only as a name in ``Layer.prepared``.
"""

from __future__ import annotations

import pickle

import lagesbild as lb
import numpy as np
import polars as pl
import pytest
import shapely
from engine_helpers import layer
from shapely.geometry import LineString, box

RNG = np.random.default_rng(16)
PTS = pl.DataFrame({"x": RNG.uniform(-2, 32, 3000), "y": RNG.uniform(-2, 12, 3000)})


def expected_areas(polys: list, names: list[str]) -> list[str | None]:
    """shapely: the first area (in layer order) whose closed region holds each point."""
    points = shapely.points(PTS["x"].to_numpy(), PTS["y"].to_numpy())
    out: list[str | None] = [None] * len(points)
    for poly, name in reversed(list(zip(polys, names, strict=True))):
        for i in np.flatnonzero(shapely.covers(poly, points)):
            out[i] = name
    return out


def split(at: float) -> tuple[list, list[str]]:
    """Two areas side by side meeting at x = ``at``, and a third beyond."""
    return [box(0, 0, at, 10), box(at, 0, 20, 10), box(22, 0, 30, 10)], ["west", "east", "far"]


def test_a_second_call_reuses_the_index_and_answers_the_same() -> None:
    polys, names = split(10)
    areas = layer(polys, name=names)
    assert areas.prepared == []
    first = lb.assign(PTS, areas, key="name")
    assert areas.prepared == ["assign: area grid"]
    second = lb.assign(PTS, areas, key="name")
    assert areas.prepared == ["assign: area grid"]
    assert first.to_list() == second.to_list() == expected_areas(polys, names)


def test_a_layer_with_other_attributes_shares_what_is_kept() -> None:
    polys, names = split(10)
    areas = layer(polys, name=names)
    lb.assign(PTS, areas, key="name")
    relabelled = areas.with_attributes(pl.DataFrame({"name": ["v", "o", "f"]}))
    assert relabelled.prepared == ["assign: area grid"]
    assert lb.assign(PTS, relabelled, key="name").to_list() == expected_areas(polys, ["v", "o", "f"])
    # New geometries keep nothing.
    assert areas.take([1, 0]).prepared == []
    assert areas.to_crs(3006).prepared == []


def test_two_layers_never_share_even_with_the_same_name_and_bounds() -> None:
    # Same name, same number of features, same bounds: only the shared edge moves.
    a_polys, names = split(10)
    b_polys, _ = split(12)
    a = layer(a_polys, layer_name="omraden", name=names)
    b = layer(b_polys, layer_name="omraden", name=names)
    assert lb.assign(PTS, a, key="name").to_list() == expected_areas(a_polys, names)
    assert b.prepared == []
    got = lb.assign(PTS, b, key="name").to_list()
    assert got == expected_areas(b_polys, names)
    assert got != expected_areas(a_polys, names)


def test_each_operation_gets_its_own_structure() -> None:
    polys, names = split(10)
    areas = layer(polys, name=names)
    route = LineString([(-5, 5), (35, 5)])
    lines = layer([route], klass=["rail"])
    zone = box(5, 2, 25, 8)
    zones = layer([zone], zon=["z"])
    for _ in range(2):  # cold, then with everything kept
        got = lb.assign(PTS, areas, key="name")
        assert got.to_list() == expected_areas(polys, names)
        lengths = lb.length_within(lines, areas, line_key="klass", area_key="name").sort("name")
        assert lengths["name"].to_list() == ["east", "far", "west"]
        want = [route.intersection(p).length for p in (polys[1], polys[2], polys[0])]
        assert np.allclose(lengths["length_m"].to_numpy(), want, rtol=0, atol=1e-9)
        shared = lb.overlay_area(zones, areas, zone_key="zon", area_key="name").sort("name")
        want = [zone.intersection(p).area for p in (polys[1], polys[2], polys[0])]
        assert np.allclose(shared["area_m2"].to_numpy(), want, rtol=0, atol=1e-9)
        near = lb.within_distance(PTS, lines, 1.0, key="klass")
        assert near["within"].to_list() == (np.abs(PTS["y"].to_numpy() - 5) <= 1.0).tolist()
    assert areas.prepared == ["assign: area grid", "overlay: prepared polygons"]
    assert zones.prepared == ["overlay: prepared polygons"]
    assert lines.prepared == ["within_distance: segment tree"]


def test_a_pickled_layer_starts_afresh_and_answers_the_same() -> None:
    polys, names = split(10)
    areas = layer(polys, name=names)
    before = lb.assign(PTS, areas, key="name").to_list()
    copy = pickle.loads(pickle.dumps(areas))
    assert copy.prepared == []
    assert lb.assign(PTS, copy, key="name").to_list() == before == expected_areas(polys, names)
    assert copy.prepared == ["assign: area grid"]


def test_a_refused_layer_keeps_nothing_and_is_refused_again() -> None:
    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    bad = layer([bowtie], name=["x"])
    for _ in range(2):
        with pytest.raises(lb.InvalidGeometryError) as err:
            lb.assign(PTS, bad, key="name")
        assert err.value.feature == 0
    assert bad.prepared == []
