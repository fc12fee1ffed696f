"""``buffer`` and ``dissolve`` on cases worked out by hand: buffer areas against
regular polygons, negative buffers, unions and every aggregation."""

from __future__ import annotations

import math

import lagesbild as lb
import numpy as np
import pytest
import shapely
from engine_helpers import DONUT, layer, reversed_rings
from shapely.geometry import LineString, Point, box


def regular_polygon_area(radius: float, sides: int) -> float:
    return sides / 2 * radius**2 * math.sin(2 * math.pi / sides)


@pytest.mark.parametrize("quad_segs", [2, 4, 8, 16])
def test_buffer_areas_exact(quad_segs: int) -> None:
    d = 2.0
    corners = regular_polygon_area(d, 4 * quad_segs)  # four quarter circles make one polygon
    src = layer([box(0, 0, 10, 10), Point(0, 0), LineString([(0, 0), (10, 0)]), None], id=[1, 2, 3, 4])
    out = lb.buffer(src, d, quad_segs=quad_segs)
    areas = out.area().to_list()
    expected = [100 + 4 * 10 * d + corners, corners, 2 * 10 * d + corners]
    # The buffer's vertices are rounded to the overlay's grid, a billionth of the extent.
    for a, e in zip(areas[:3], expected, strict=True):
        assert a == pytest.approx(e, rel=1e-8)
    assert areas[3] is None
    assert out.attributes["id"].to_list() == [1, 2, 3, 4]
    assert out.crs == 3011


def test_buffer_quad_segs_one_matches_geos() -> None:
    # A round join on a right angle gets one segment, as in GEOS: the corners make a square of diagonal 4.
    out = lb.buffer(layer([box(0, 0, 10, 10)]), 2.0, quad_segs=1)
    assert out.area()[0] == pytest.approx(100 + 80 + 8, rel=1e-9)
    assert out.area()[0] == pytest.approx(box(0, 0, 10, 10).buffer(2.0, quad_segs=1).area, rel=1e-9)


def test_buffer_of_a_spur_drawn_out_and_back() -> None:
    # The line goes 5 m out along (3, 4) and comes back over itself: its
    # buffer is that of the one segment, 2·5·d plus the round caps.
    spur = LineString([(0, 0), (3, 4), (1.5, 2)])
    d = 10.0
    want = 2 * 5 * d + regular_polygon_area(d, 32)
    got = lb.buffer(layer([spur, LineString([(0, 0), (3, 4)]), LineString([])], id=[1, 2, 3]), d).area().to_list()
    assert got[0] == pytest.approx(want, rel=1e-9)
    assert got[1] == pytest.approx(want, rel=1e-9)
    assert got[2] == 0.0


@pytest.mark.parametrize("distance", [30, 70, 150])
def test_buffer_of_the_demo_routes_is_valid_and_equals_shapely(distance: float) -> None:
    # The risk-handling distances of the hazard analyses. Before the buffer
    # was built from offset curves, routes 2, 4, 8, 13 and 14 came back with
    # rings crossing themselves at 30 m (and route 2 13.6 m² short).
    routes = lb.demo().layer("farligt_gods")
    theirs = shapely.buffer(shapely.from_wkb(routes.to_polars()["geometry"].to_list()), distance, quad_segs=8)
    out = lb.buffer(routes, distance)
    assert out.is_valid().all()
    ours = shapely.from_wkb(out.to_polars()["geometry"].to_list())
    assert shapely.is_valid(ours).all(), [shapely.is_valid_reason(g) for g in ours]
    assert out.area().to_numpy() == pytest.approx(shapely.area(theirs), rel=1e-4)
    # The same place, not only the same area: nothing lost or added but
    # where the arcs' vertices fall.
    assert (shapely.area(shapely.symmetric_difference(ours, theirs)) <= 1e-4 * shapely.area(theirs)).all()


def test_buffer_negative_and_zero() -> None:
    src = layer([box(0, 0, 10, 10), DONUT, Point(1, 1)])
    shrunk = lb.buffer(src, -2)
    # A convex square shrinks with sharp corners: (10 - 4)². The donut's ring
    # is 3 m wide, so 2 m in from both sides leaves nothing, as of a point.
    assert shrunk.area().to_list() == [36.0, 0.0, 0.0]
    gone = lb.buffer(src.take([0]), -6)
    assert gone.area().to_list() == [0.0]
    assert shapely.from_wkb(gone.to_polars()["geometry"][0]).is_empty


def test_dissolve_union_areas_and_aggregations() -> None:
    sd = layer(
        [box(0, 0, 10, 10), box(10, 0, 20, 10), box(5, 5, 15, 15), box(100, 0, 101, 1), box(50, 50, 51, 51)],
        sdo=["N", "N", "N", "S", None],
        inv=[10, 20, 30, 5, 1000],
    )
    out = lb.dissolve(sd, by="sdo", agg={"inv": "sum"})
    assert out.attributes.rows() == [("N", 60), ("S", 5)]
    # 200 for the two squares plus the top half of the middle one: 50.
    assert out.area().to_list() == [250.0, 1.0]
    merged = shapely.from_wkb(out.to_polars()["geometry"][0])
    assert merged.symmetric_difference(shapely.union_all([box(0, 0, 20, 10), box(5, 5, 15, 15)])).area == 0.0


def test_dissolve_of_hundreds_of_nearly_identical_polygons_equals_shapely() -> None:
    # 300 copies of one 100 m circle, each moved by about half a metre and
    # turned a little: every edge crosses the edges of all the others. One
    # union of all the rings at once took 16 s for 278 of them (GEOS: under
    # 0.1 s); unions merged pairwise in a tree take as long as shapely's
    # (the time is measured in the README, not asserted here).
    rng = np.random.default_rng(16)
    base = Point(150_000, 6_580_000).buffer(100, quad_segs=8)
    polys = [
        shapely.affinity.rotate(shapely.affinity.translate(base, *rng.normal(0, 0.5, 2)), rng.uniform(0, 5))
        for _ in range(300)
    ]
    src = layer(polys, g=[1] * 150 + [2] * 150)
    out = lb.dissolve(src, by="g")
    want = [shapely.union_all(polys[:150]), shapely.union_all(polys[150:])]
    assert out.area().to_list() == pytest.approx([w.area for w in want], rel=1e-8)
    ours = shapely.from_wkb(out.to_polars()["geometry"].to_list())
    assert shapely.is_valid(ours).all()
    assert (shapely.area(shapely.symmetric_difference(ours, want)) <= 1e-8 * shapely.area(want)).all()


def test_dissolve_every_aggregation_and_several_keys() -> None:
    sd = layer(
        [box(i, 0, i + 1, 1) for i in range(4)],
        a=["x", "x", "y", "x"],
        b=[1, 1, 1, 2],
        v=[3, 1, 2, 5],
    )
    for how, expected in [
        ("sum", [4, 2, 5]),
        ("mean", [2.0, 2.0, 5.0]),
        ("min", [1, 2, 5]),
        ("max", [3, 2, 5]),
        ("first", [3, 2, 5]),
        ("last", [1, 2, 5]),
        ("count", [2, 1, 1]),
        ("n_unique", [2, 1, 1]),
    ]:
        out = lb.dissolve(sd, by=["a", "b"], agg={"v": how})
        assert out.attributes.select("a", "b").rows() == [("x", 1), ("y", 1), ("x", 2)], how
        assert out.attributes["v"].to_list() == expected, how
    assert lb.dissolve(sd, by=["a", "b"]).area().to_list() == [2.0, 1.0, 1.0]


def test_dissolve_lines_and_points() -> None:
    src = layer(
        [LineString([(0, 0), (3, 4)]), LineString([(10, 0), (10, 2)]), Point(1, 1), Point(2, 2)], g=["l", "l", "p", "p"]
    )
    out = lb.dissolve(src, by="g")
    assert out.geom_types == {"MultiLineString", "MultiPoint"}
    assert out.length().to_list() == [7.0, 0.0]


def test_dissolve_multipolygon_with_parts_of_both_orientations() -> None:
    # A counter-clockwise square and a clockwise diamond in one feature.
    mp = shapely.from_wkt("MULTIPOLYGON (((1 2, 1 3, 0 3, 0 2, 1 2)), ((1 0, 0 -1, -1 0, 0 1, 1 0)))")
    assert mp.is_valid
    assert lb.dissolve(layer([mp], g=[1]), by="g").area().to_list() == [3.0]
    assert lb.dissolve(layer([mp, box(5, 5, 6, 6)], g=[1, 1]), by="g").area().to_list() == [4.0]


def test_dissolve_reversed_rings_and_holes() -> None:
    src = layer([reversed_rings(DONUT), box(3, 3, 7, 7)], g=[1, 1])
    out = lb.dissolve(src, by="g")
    # The island fills the hole exactly: one 10x10 square.
    assert out.area().to_list() == [100.0]
