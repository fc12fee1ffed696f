"""``overlay_area``, ``overlay`` and ``length_within`` on cases worked out by
hand: boxes, holes, shared edges, identical polygons, triangles, slivers."""

from __future__ import annotations

import lagesbild as lb
import pytest
import shapely
from engine_helpers import DONUT, EAST, WEST, layer, reversed_rings
from shapely.geometry import LineString, MultiLineString, Polygon, box

# ---------------------------------------------------------------------------
# overlay_area and overlay
# ---------------------------------------------------------------------------


def test_overlay_area_boxes_and_shares() -> None:
    zones = layer([box(5, 0, 15, 4), box(0, 0, 20, 10)], level=[1.5, 2.7])
    areas = layer([WEST, EAST, box(100, 0, 110, 10)], name=["west", "east", "far"])
    got = lb.overlay_area(zones, areas, zone_key="level", area_key="name")
    assert got.columns == ["level", "name", "area_m2", "share"]
    assert got.rows() == [
        (1.5, "east", 20.0, 0.2),
        (1.5, "west", 20.0, 0.2),
        (2.7, "east", 100.0, 1.0),
        (2.7, "west", 100.0, 1.0),
    ]


def test_overlay_area_sums_features_sharing_a_key() -> None:
    # Area "n" is two squares (100 + 100 m²); zone 1 is two strips.
    zones = layer([box(0, 0, 10, 1), box(0, 9, 10, 10), box(30, 0, 32, 10)], level=[1, 1, 2])
    areas = layer([box(0, 0, 10, 10), box(30, 0, 40, 10)], name=["n", "n"])
    got = lb.overlay_area(zones, areas, zone_key="level", area_key="name")
    assert got.rows() == [(1, "n", 20.0, 0.1), (2, "n", 20.0, 0.1)]


def test_overlay_area_overlapping_zones_each_count() -> None:
    zones = layer([box(0, 0, 6, 10), box(4, 0, 10, 10)], z=["a", "b"])
    areas = layer([WEST], name=["west"])
    got = lb.overlay_area(zones, areas, zone_key="z", area_key="name")
    assert got.rows() == [("a", "west", 60.0, 0.6), ("b", "west", 60.0, 0.6)]


def test_overlay_area_holes_shared_edges_and_identical_polygons() -> None:
    zones = layer(
        [box(3, 3, 7, 7), EAST, box(-5, -5, 0, 0), DONUT, reversed_rings(DONUT), WEST],
        z=["hole", "east", "corner", "same", "rev", "square"],
    )
    areas = layer([DONUT], name=["d"])
    got = lb.overlay_area(zones, areas, zone_key="z", area_key="name").rows()
    # A zone filling exactly the hole shares nothing with the donut, nor a
    # neighbour across its edge, nor one touching a corner; equal polygons
    # (either ring orientation) and a square over the hole share all 84 m².
    assert got == [("rev", "d", 84.0, 1.0), ("same", "d", 84.0, 1.0), ("square", "d", 84.0, 1.0)]


def test_overlay_area_with_a_donut_as_the_area() -> None:
    zones = layer([box(0, 0, 5, 10)], z=[1])
    for donut in (DONUT, reversed_rings(DONUT)):
        got = lb.overlay_area(zones, layer([donut], name=["d"]), zone_key="z", area_key="name").rows()
        # Half the donut: 50 - half the hole's 16.
        assert got == [(1, "d", 42.0, 0.5)]


def test_overlay_area_triangle_exact() -> None:
    tri = Polygon([(0, 0), (8, 0), (0, 8)])
    zones = layer([box(0, 0, 4, 4), box(2, 2, 6, 6)], z=["sq", "mid"])
    areas = layer([tri], name=["t"])
    got = lb.overlay_area(zones, areas, zone_key="z", area_key="name").rows()
    # sq lies wholly in the triangle; mid keeps the triangle (2,2),(6,2),(2,6) = 8.
    assert got == [("mid", "t", 8.0, 0.25), ("sq", "t", 16.0, 0.5)]


def test_overlay_area_of_a_zone_clipped_out_of_the_area() -> None:
    # The area's vertex (1, 15/14) was computed on the zone's edge from
    # (0, 1) to (7, 1.5): on it only to rounding. The zone lies in the area.
    zone = shapely.from_wkt("POLYGON ((1 0, 0 0, 0 1, 7 1.5, 1 0.2142857142857143, 1 0))")
    area = shapely.from_wkt(
        "POLYGON ((0 0, 0 1, 0 2, 1 2, 1 1.0714285714285714, 7 1.5, 1 0.2142857142857143, 1 0, 0 0))"
    )
    got = lb.overlay_area(layer([zone], z=[1]), layer([area], name=["a"]), zone_key="z", area_key="name").rows()
    assert len(got) == 1
    assert got[0][2] == pytest.approx(zone.area, rel=1e-12)
    assert got[0][3] == pytest.approx(zone.area / area.area, rel=1e-12)


def test_overlay_area_with_a_sliver_along_the_other_boundary() -> None:
    # The zone's second part is a sliver of no width (1.6e-17 m²) lying on
    # the area's edge from (2, 1) to (1, 0).
    zone = shapely.from_wkt(
        "MULTIPOLYGON (((0 2, 1 2, 0 1, 0 2)), ((1.7071067811865475 0.7071067811865475, "
        "1.7071067811865475 0.7071067811865476, 2 1, 1.7071067811865475 0.7071067811865475)))"
    )
    area = shapely.from_wkt("POLYGON ((0 0, 0 1, 0 2, 1 2, 2 1, 1 0, 0 0))")
    assert zone.is_valid
    a_z = lb.overlay_area(layer([zone], z=[1]), layer([area], a=[1]), zone_key="z", area_key="a")["area_m2"]
    z_a = lb.overlay_area(layer([area], z=[1]), layer([zone], a=[1]), zone_key="z", area_key="a")["area_m2"]
    assert a_z.to_list() == [pytest.approx(0.5, rel=1e-12)]
    assert z_a.to_list() == [pytest.approx(0.5, rel=1e-12)]


def test_overlay_area_same_key_name_refused() -> None:
    zones = layer([WEST], name=["z"])
    areas = layer([WEST], name=["a"])
    with pytest.raises(lb.InvalidArgumentError, match="both called 'name'") as e:
        lb.overlay_area(zones, areas, zone_key="name", area_key="name")
    assert e.value.column == "name"


def test_overlay_pieces_are_the_intersections() -> None:
    zones = layer([box(5, 2, 15, 8), box(50, 50, 60, 60)], level=[1.5, 2.7], name=["z1", "z2"])
    areas = layer([WEST, EAST, DONUT], name=["west", "east", "donut"])
    pieces = lb.overlay(zones, areas)
    assert pieces.columns == ["level", "name_left", "name_right", "zone_index", "area_index"]
    assert pieces.attributes.rows() == [
        (1.5, "z1", "west", 0, 0),
        (1.5, "z1", "east", 0, 1),
        (1.5, "z1", "donut", 0, 2),
    ]
    assert pieces.area().to_list() == [30.0, 30.0, 22.0]
    geoms = [shapely.from_wkb(w) for w in pieces.to_polars()["geometry"].to_list()]
    expected = [box(5, 2, 10, 8), box(10, 2, 15, 8), box(5, 2, 10, 8).difference(box(3, 3, 7, 7))]
    for g, e in zip(geoms, expected, strict=True):
        assert g.symmetric_difference(e).area == 0.0, (g.wkt, e.wkt)
    assert pieces.crs == 3011


# ---------------------------------------------------------------------------
# length_within
# ---------------------------------------------------------------------------


def test_length_within_crossing_along_and_in_holes() -> None:
    lines = layer(
        [
            LineString([(-5, 5), (15, 5)]),  # 5 outside, 10 in west, 5 in east
            LineString([(10, 0), (10, 10)]),  # along the shared edge: in both
            LineString([(0, 0), (3, 4)]),  # 5 m diagonal in west
            MultiLineString([[(1, 1), (1, 2)], [(16, 1), (16, 4)]]),  # 1 in west, 3 in east
        ],
        route=["a", "b", "c", "d"],
    )
    areas = layer([WEST, EAST], name=["west", "east"])
    got = lb.length_within(lines, areas, line_key="route", area_key="name")
    assert got.columns == ["route", "name", "length_m"]
    assert got.rows() == [
        ("a", "east", 5.0),
        ("a", "west", 10.0),
        ("b", "east", 10.0),
        ("b", "west", 10.0),
        ("c", "west", 5.0),
        ("d", "east", 3.0),
        ("d", "west", 1.0),
    ]


def test_length_within_holes_and_summed_keys() -> None:
    lines = layer(
        [LineString([(0, 5), (10, 5)]), LineString([(5, 0), (5, 10)]), LineString([(4, 4), (6, 6)])],
        klass=["primär", "primär", "sekundär"],
    )
    for donut in (DONUT, reversed_rings(DONUT)):
        got = lb.length_within(lines, layer([donut], name=["d"]), line_key="klass", area_key="name").rows()
        # Each of the two crossing lines loses the 4 m across the hole; the
        # short diagonal lies wholly in the hole.
        assert got == [("primär", "d", 12.0)]
