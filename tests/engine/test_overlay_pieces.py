"""``overlay`` pieces on cases worked out by hand: shapes that only touch,
holes around and through the other shape, an area larger than the zone,
a clip box that cuts through a hole, and thin pieces of large zones.

Each pair's polygons are clipped to their common box (grown a little)
before the intersection is built, and the pieces' vertices are put back on
the inputs' own coordinates: these cases are the ones where a clip or a
rounding grid would show. Every piece is also checked valid and equal to
shapely's intersection.
"""

from __future__ import annotations

import geopandas as gpd
import lagesbild as lb
import pytest
import shapely
from engine_helpers import layer, reversed_rings
from shapely.geometry import MultiPolygon, Polygon, box


def pieces_of(zones: list, areas: list) -> dict[tuple[int, int], shapely.Geometry]:
    """``lb.overlay`` as {(zone row, area row): piece}, every piece valid."""
    out = lb.overlay(layer(zones, z=list(range(len(zones)))), layer(areas, a=list(range(len(areas)))))
    geoms = shapely.from_wkb(out.to_polars()["geometry"].to_list())
    for g in geoms:
        assert g.is_valid, shapely.is_valid_reason(g)
    return dict(zip(zip(out["zone_index"].to_list(), out["area_index"].to_list(), strict=True), geoms, strict=True))


def geopandas_pairs(zones: list, areas: list) -> set[tuple[int, int]]:
    """The (zone, area) pairs geopandas' overlay keeps (polygons only)."""
    ov = gpd.overlay(
        gpd.GeoDataFrame({"z": range(len(zones))}, geometry=zones),
        gpd.GeoDataFrame({"a": range(len(areas))}, geometry=areas),
        how="intersection",
        keep_geom_type=True,
    )
    return set(zip(ov["z"], ov["a"], strict=True))


def only(g: shapely.Geometry) -> Polygon:
    """The one polygon of a piece (pieces are multipolygons)."""
    assert len(g.geoms) == 1, g.wkt
    return g.geoms[0]


def same_shape(got: shapely.Geometry, want: shapely.Geometry) -> bool:
    return got.area == pytest.approx(want.area, rel=1e-12) and shapely.symmetric_difference(got, want).area <= 1e-9


def test_touching_along_an_edge_or_at_a_point_gives_no_piece() -> None:
    zone = box(0, 0, 10, 10)
    areas = [
        box(10, 0, 20, 10),  # along the whole edge x = 10
        box(10, 5, 12, 7),  # along part of it
        Polygon([(10, 10), (15, 12), (12, 15)]),  # at the corner (10, 10)
        Polygon([(10, 5), (14, 2), (14, 8)]),  # at a point inside an edge
        box(2, 2, 4, 4),  # inside: the one piece
    ]
    got = pieces_of([zone], areas)
    assert set(got) == {(0, 4)} == geopandas_pairs([zone], areas)
    assert same_shape(got[(0, 4)], box(2, 2, 4, 4))


def test_zone_with_a_hole_around_an_area() -> None:
    donut = Polygon([(0, 0), (30, 0), (30, 30), (0, 30)], [[(10, 10), (20, 10), (20, 20), (10, 20)]])
    areas = [
        box(12, 12, 18, 18),  # inside the hole: nothing
        box(10, 10, 20, 20),  # the hole exactly: nothing (touches along its ring)
        box(5, 12, 15, 18),  # half in the hole, half in the ring
        box(5, 5, 25, 25),  # around the hole: a square ring
    ]
    for zone in (donut, reversed_rings(donut)):
        got = pieces_of([zone], areas)
        assert set(got) == {(0, 2), (0, 3)} == geopandas_pairs([zone], areas)
        assert same_shape(got[(0, 2)], box(5, 12, 10, 18))
        ring = Polygon([(5, 5), (25, 5), (25, 25), (5, 25)], [[(10, 10), (20, 10), (20, 20), (10, 20)]])
        assert same_shape(got[(0, 3)], ring)
        assert len(only(got[(0, 3)]).interiors) == 1


def test_area_larger_than_the_zone_gives_the_zone() -> None:
    zone = Polygon([(3, 1), (8, 2), (6, 7), (2, 5)])
    area = Polygon([(0, 0), (100, 0), (100, 100), (0, 100)], [[(50, 50), (60, 50), (60, 60)]])
    got = pieces_of([zone], [area])
    assert set(got) == {(0, 0)}
    assert same_shape(got[(0, 0)], zone)
    # The zone's own vertices, not a copy rounded to a grid.
    assert set(only(got[(0, 0)]).exterior.coords) == set(zone.exterior.coords)


def test_clip_box_cutting_through_a_hole() -> None:
    # A large zone with a hole; the area's box cuts the hole in two, so the
    # clipped zone's shell and hole both run along the box's sides.
    zone = Polygon(
        [(0, 0), (1000, 0), (1000, 1000), (0, 1000)],
        [[(400, 400), (600, 400), (600, 600), (400, 600)], [(100, 100), (200, 100), (150, 180)]],
    )
    area = Polygon([(300, 450), (500, 450), (500, 550), (300, 550)])
    got = pieces_of([zone], [area])
    want = box(300, 450, 400, 550)
    assert set(got) == {(0, 0)}
    assert same_shape(got[(0, 0)], want)
    # An area around a hole and through another's edge.
    area2 = Polygon([(350, 350), (650, 350), (650, 500), (350, 500)])
    got2 = pieces_of([zone], [area2])
    assert same_shape(got2[(0, 0)], shapely.intersection(zone, area2))
    assert got2[(0, 0)].area == 300 * 150 - 200 * 100


def test_multipolygon_zone_parts_far_apart() -> None:
    # Parts of a zone far from the area are clipped away; the part that
    # crosses it is cut exactly where the edges cross.
    zone = MultiPolygon([box(0, 0, 10, 10), box(5000, 5000, 5010, 5010), Polygon([(0, 20), (30, 20), (0, 50)])])
    area = Polygon([(5, 5), (25, 5), (25, 35), (5, 35)])
    got = pieces_of([zone], [area])
    assert same_shape(got[(0, 0)], shapely.intersection(zone, area))
    # The hypotenuse (30, 20)–(0, 50) crosses y = 35 at (15, 35) and x = 25
    # at (25, 25): on it, not near it.
    coords = {c for p in got[(0, 0)].geoms for c in p.exterior.coords}
    assert {(15.0, 35.0), (25.0, 25.0)} <= coords
    # 5 × 5 from the box; from the triangle 10 × 15 and a trapezium of
    # heights 15 and 5 over 10.
    assert got[(0, 0)].area == 25 + 10 * 15 + (15 + 5) / 2 * 10


def test_thin_piece_of_a_large_zone_keeps_its_area() -> None:
    # A zone 40 km wide (in SWEREF 99 18 00 coordinates) and areas that it
    # enters by strips 1 cm and 1 mm thick: the strips' areas are exact,
    # not moved by a grid spanning the boxes.
    x0, y0 = 140_000.0, 6_570_000.0
    zone = box(x0, y0, x0 + 40_000, y0 + 1000)
    areas = [box(x0 + 100, y0 + 999.99, x0 + 5100, y0 + 6000), box(x0 + 20_000, y0 - 3000, x0 + 27_000, y0 + 0.001)]
    got = pieces_of([zone], areas)
    assert set(got) == {(0, 0), (0, 1)}
    assert got[(0, 0)].area == pytest.approx(5000 * ((y0 + 1000) - (y0 + 999.99)), rel=1e-9)
    assert got[(0, 1)].area == pytest.approx(7000 * ((y0 + 0.001) - y0), rel=1e-9)
    assert same_shape(got[(0, 0)], shapely.intersection(zone, areas[0]))
