"""Answers that once were silently wrong, against shapely/GEOS, by class: empty
parts, GeometryCollections, a line in a line whose crossings no float holds,
and the full OGC validity check of polygons small and large."""

from __future__ import annotations

import lagesbild as lb
import numpy as np
import polars as pl
import pytest
import shapely
from engine_helpers import layer, xy
from shapely import wkt
from shapely.geometry import LinearRing, LineString, Point, box


def pairs(out: lb.Layer) -> list[tuple[int, int]]:
    return out.attributes.select("left_index", "right_index").rows()


def shapely_pairs(left: list, right: list, predicate: str) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(left)
        for j, b in enumerate(right)
        if not a.is_empty and not b.is_empty and getattr(shapely, predicate)(a, b)
    ]


# ---------------------------------------------------------------------------
# Empty parts: ignored, as GEOS ignores them
# ---------------------------------------------------------------------------

WITH_EMPTY = {
    "multipoint": "MULTIPOINT (EMPTY, (10 5))",
    "multilinestring": "MULTILINESTRING ((10 0, 10 10), EMPTY)",
    "multipolygon": "MULTIPOLYGON (((10 0, 20 0, 20 10, 10 10, 10 0)), EMPTY)",
    "multipolygon, empty first": "MULTIPOLYGON (EMPTY, ((10 0, 20 0, 20 10, 10 10, 10 0)))",
}
ALL_EMPTY = ["MULTIPOINT (EMPTY)", "MULTILINESTRING (EMPTY)", "MULTIPOLYGON (EMPTY)", "LINESTRING EMPTY"]


@pytest.mark.parametrize("case", sorted(WITH_EMPTY))
def test_empty_parts_do_not_change_distances_bounds_or_matches(case: str) -> None:
    g = wkt.loads(WITH_EMPTY[case])
    line = LineString([(0, 0), (0, 10)])
    right = layer([g], k=["g"])
    left = layer([line, Point(10, 5), box(9, 4, 11, 6)], id=[1, 2, 3])
    got = lb.nearest(left, right, key="k")["distance_m"].to_list()
    assert got == pytest.approx([line.distance(g), Point(10, 5).distance(g), box(9, 4, 11, 6).distance(g)])
    assert got[0] == 10.0
    assert right.bounds == pytest.approx(g.bounds)
    assert right.is_valid().to_list() == [g.is_valid]
    for predicate in ("intersects", "within", "contains"):
        want = shapely_pairs([line, Point(10, 5), box(9, 4, 11, 6)], [g], predicate)
        assert pairs(lb.sjoin(left, right, predicate=predicate)) == want, predicate
        want = shapely_pairs([g], [line, Point(10, 5), box(9, 4, 11, 6)], predicate)
        assert pairs(lb.sjoin(right, left, predicate=predicate)) == want, predicate


def test_multipoint_with_an_empty_point_keeps_its_point() -> None:
    mp = layer([wkt.loads("MULTIPOINT (EMPTY, (0 0))")])
    assert mp.bounds == (0.0, 0.0, 0.0, 0.0)
    assert pairs(lb.sjoin(mp, layer([box(-1, -1, 1, 1)]))) == [(0, 0)]
    assert pairs(lb.sjoin(mp, layer([Point(0, 0)]))) == [(0, 0)]
    assert mp.to_geopandas().geometry[0].equals(Point(0, 0))


def test_empty_parts_in_area_and_line_operations() -> None:
    areas = layer([wkt.loads(WITH_EMPTY["multipolygon"]), box(30, 0, 40, 10)], name=["a", "b"])
    assert lb.assign(xy([(15, 5), (5, 5), (35, 5)]), areas, key="name").to_list() == ["a", None, "b"]
    zones = layer([box(0, 0, 15, 10)], z=[1])
    assert lb.overlay_area(zones, areas, zone_key="z", area_key="name").rows() == [(1, "a", 50.0, 0.5)]
    assert lb.overlay(zones, areas).area().to_list() == [50.0]
    lines = layer([wkt.loads("MULTILINESTRING ((0 5, 40 5), EMPTY)")], r=["r"])
    got = lb.length_within(lines, areas, line_key="r", area_key="name").rows()
    assert got == [("r", "a", 10.0), ("r", "b", 10.0)]
    near = lb.within_distance(
        xy([(9, 5), (0, 5)]), layer([wkt.loads(WITH_EMPTY["multilinestring"])], k=["k"]), 2, key="k"
    )
    assert near["distance_m"].to_list() == [1.0, None]
    grown = lb.buffer(areas, 1).area().to_list()
    assert grown[0] == pytest.approx(grown[1])
    merged = lb.dissolve(areas.with_attributes(pl.DataFrame({"g": [1, 1]})), by="g")
    assert merged.area().to_list() == [200.0]


@pytest.mark.parametrize("text", ALL_EMPTY)
def test_an_all_empty_geometry_behaves_as_empty(text: str) -> None:
    g = wkt.loads(text)
    assert np.isnan(Point(0, 0).distance(g)) and not g.intersects(Point(0, 0))
    empty = layer([g], k=["e"])
    assert empty.bounds is None
    assert empty.is_valid().to_list() == [True]
    pts = layer([Point(0, 0)], id=[1])
    assert lb.nearest(pts, empty, key="k").rows() == [(None, None, None)]
    assert lb.nearest(empty, pts, key="id").rows() == [(None, None, None)]
    assert len(lb.sjoin(pts, empty)) == 0 and len(lb.sjoin(empty, pts)) == 0


# ---------------------------------------------------------------------------
# GeometryCollections: refused at the operation, naming layer and feature
# ---------------------------------------------------------------------------

SHARED_EDGE = wkt.loads("GEOMETRYCOLLECTION (POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0)), POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0)))")
OVERLAPPING = wkt.loads("GEOMETRYCOLLECTION (POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0)), POLYGON ((1 0, 3 0, 3 2, 1 2, 1 0)))")


@pytest.mark.parametrize("collection", [SHARED_EDGE, OVERLAPPING], ids=["shared edge", "overlapping"])
@pytest.mark.parametrize(
    "fn",
    [
        "sjoin",
        "sjoin swapped",
        "assign",
        "overlay_area",
        "overlay",
        "length_within",
        "within_distance",
        "nearest",
        "nearest swapped",
        "buffer",
        "dissolve",
    ],
)
def test_geometry_collections_are_refused(fn: str, collection: shapely.Geometry) -> None:
    coll = layer([box(10, 10, 11, 11), collection], layer_name="samling", k=["a", "b"])
    pts = layer([Point(1, 0.5)], id=[1])
    line = layer([LineString([(0, 0), (3, 0)])], r=["r"])
    call = {
        "sjoin": lambda: lb.sjoin(pts, coll),
        "sjoin swapped": lambda: lb.sjoin(coll, pts, predicate="contains"),
        "assign": lambda: lb.assign(xy([(1, 0.5)]), coll, key="k"),
        "overlay_area": lambda: lb.overlay_area(coll, coll, zone_key="k", area_key="k"),
        "overlay": lambda: lb.overlay(coll, coll),
        "length_within": lambda: lb.length_within(line, coll, line_key="r", area_key="k"),
        "within_distance": lambda: lb.within_distance(xy([(1, 0.5)]), coll, 1, key="k"),
        "nearest": lambda: lb.nearest(pts, coll, key="k"),
        "nearest swapped": lambda: lb.nearest(coll, pts, key="id"),
        "buffer": lambda: lb.buffer(coll, 1),
        "dissolve": lambda: lb.dissolve(coll, by="k"),
    }[fn]
    with pytest.raises(lb.InvalidGeometryError, match=r"samling, feature 1: .*GeometryCollection") as e:
        call()
    assert e.value.feature == 1


def test_collections_are_valid_when_their_members_are() -> None:
    assert OVERLAPPING.is_valid
    assert layer([SHARED_EDGE, OVERLAPPING]).is_valid().to_list() == [True, True]


# ---------------------------------------------------------------------------
# A line in a line: no computed crossing decides
# ---------------------------------------------------------------------------

LINE_CASES = [
    ("LINESTRING (1 0, 0 2, 0 0, 2 2)", "LINESTRING (0 0, 2 2)"),
    ("MULTILINESTRING ((0 0, 1 1), (0.5 0.5, 1 0.1, -1 0.1))", "LINESTRING (0 0, 1 1)"),
    ("MULTILINESTRING ((0 0, 1 1), (0.5 0.5, 1 0.1, -1 0.1))", "LINESTRING (0.2 0.2, 0.5 0.5, 1 0.1)"),
    (
        "MULTILINESTRING ((0 0, 1 1), (0.5 0.5, 1 0.1, -1 0.1))",
        "MULTILINESTRING ((0 0, 1 1), (0.5 0.5, 1 0.1, -1 0.1))",
    ),
    ("LINESTRING (0 0, 3 1, 0 2, 3 3)", "LINESTRING (3 1, 0 2)"),
    ("LINESTRING (0 0, 1 3, 2 0, 0 2, 3 2)", "LINESTRING (0 2, 1 2, 2 2)"),
    ("LINESTRING (0 0, 0.3 0.3, 0.1 0, 0 0.1, 1 1)", "LINESTRING (0 0, 1 1)"),
    ("LINESTRING (0 0, 2 2)", "LINESTRING (0 0, 2 2.000000000000001)"),
    ("LINESTRING (0 0, 1 1, 2 2)", "LINESTRING (2 2, 0 0)"),
]


@pytest.mark.parametrize(("outer", "inner"), LINE_CASES)
def test_line_in_line_equals_geos(outer: str, inner: str) -> None:
    a, b = wkt.loads(outer), wkt.loads(inner)
    la, lb_ = layer([a]), layer([b])
    assert pairs(lb.sjoin(la, lb_, predicate="contains")) == ([(0, 0)] if a.contains(b) else [])
    assert pairs(lb.sjoin(lb_, la, predicate="within")) == ([(0, 0)] if b.within(a) else [])
    assert pairs(lb.sjoin(lb_, la, predicate="contains")) == ([(0, 0)] if b.contains(a) else [])
    assert pairs(lb.sjoin(la, lb_)) == ([(0, 0)] if a.intersects(b) else [])


def test_the_listed_line_cases_are_contained() -> None:
    for outer, inner in LINE_CASES[:4]:
        assert wkt.loads(outer).contains(wkt.loads(inner))


# ---------------------------------------------------------------------------
# Validity: the full OGC check, as GEOS makes it
# ---------------------------------------------------------------------------

VALIDITY = [
    "POLYGON ((0 60, 0 0, 60 0, 60 60, 0 60), (0 40, 20 20, 60 20, 0 40))",
    "POLYGON ((0 0, 10 0, 20 0, 0 0, 0 0))",
    "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (0 5, 3 3, 5 5, 3 7, 0 5), (5 5, 8 3, 10 5, 8 7, 5 5))",
    "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (0 5, 3 3, 5 5, 3 7, 0 5), (5 5, 8 3, 9 5, 8 7, 5 5))",
    "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 5 5, 2 8, 2 2), (5 5, 8 2, 8 8, 5 5), (2 2, 8 2, 5 1, 2 2))",
    "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (0 5, 3 1, 4 2, 0 5), (0 5, 4 8, 3 9, 0 5))",
    "POLYGON ((0 0, 4 0, 4 4, 2 0, 0 4, 0 0))",
    "POLYGON ((0 0, 10 0, 10 10, 5 10, 5 15, 5 10, 0 10, 0 0))",
    "POLYGON ((0 0, 10 0, 10 0, 10 10, 0 10, 0 0))",
    "POLYGON ((0 0, 1 0, 1 0, 0 0))",
    "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 2 2, 3 3, 1 1))",
    "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (0 0, 5 2, 2 5, 0 0))",
    "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (0 2, 5 2, 5 4, 0 4, 0 2))",
    "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (20 20, 22 20, 22 22, 20 22, 20 20))",
    "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 9 1, 9 9, 1 9, 1 1), (2 2, 3 2, 3 3, 2 3, 2 2))",
    "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)), ((2 2, 3 2, 3 3, 2 3, 2 2)))",
    "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 9 1, 9 9, 1 9, 1 1)), ((2 2, 3 2, 3 3, 2 3, 2 2)))",
    "MULTIPOLYGON (((0 0, 2 0, 2 2, 0 2, 0 0)), ((2 0, 3 1, 2 2, 4 1, 2 0)))",
    "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((1 0, 2 0, 2 1, 1 1, 1 0)))",
    "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 8 2, 8 8, 2 8, 2 2)), ((2 2, 8 2, 5 8, 2 2)))",
    "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 8 2, 8 8, 2 8, 2 2)), ((2 2, 5 3, 8 2, 5 8, 2 2)))",
    "LINESTRING (0 0, 0 0)",
    "LINESTRING (0 0, 2 2, 2 0, 0 2, 0 0)",
    "MULTILINESTRING ((0 0, 1 1), (2 2, 2 2))",
    "GEOMETRYCOLLECTION (POINT (0 0), POLYGON ((0 0, 10 0, 20 0, 0 0)))",
]


@pytest.mark.parametrize("text", VALIDITY)
def test_validity_equals_geos(text: str) -> None:
    g = wkt.loads(text)
    l_ = layer([g])
    assert l_.is_valid().to_list() == [g.is_valid], shapely.is_valid_reason(g)
    report = l_.validity_report()
    assert report.height == (0 if g.is_valid else report.height) and (report.height > 0) == (not g.is_valid)


def test_a_linear_ring_arrives_as_the_line_string_wkb_holds() -> None:
    # WKB has no LinearRing: shapely writes one as a LineString, and a line
    # that crosses itself is a valid LineString (simplicity is not validity).
    ring = LinearRing([(0, 0), (2, 2), (2, 0), (0, 2)])
    assert not ring.is_valid
    got = layer([ring])
    assert got.geom_types == {"LineString"}
    back = got.to_geopandas().geometry[0]
    assert back.geom_type == "LineString" and back.is_valid
    assert got.is_valid().to_list() == [True]
    # As a polygon's ring, the crossing is found.
    assert layer([shapely.Polygon(ring)]).is_valid().to_list() == [False]


def circle(cx: float, cy: float, r: float, n: int) -> shapely.Polygon:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return shapely.Polygon(np.c_[cx + r * np.cos(t), cy + r * np.sin(t)])


def test_large_polygons_get_the_full_check() -> None:
    big = circle(0, 0, 100, 30_000)
    coords = list(big.exterior.coords)
    cut = shapely.Polygon(big.exterior, [[coords[0], (0, 5), coords[15_000]]])
    nested_holes = shapely.Polygon(big.exterior, [circle(0, 0, 50, 30_000).exterior, circle(0, 0, 10, 100).exterior])
    fine = shapely.Polygon(big.exterior, [circle(0, 0, 50, 30_000).exterior])
    cases = [cut, nested_holes, fine]
    got = layer(cases).is_valid().to_list()
    assert got == [g.is_valid for g in cases] == [False, False, True]
    areas = layer([box(1000, 1000, 1001, 1001), cut], layer_name="stadsdelar", k=["a", "b"])
    with pytest.raises(lb.InvalidGeometryError, match="stadsdelar, feature 1: .*interior is disconnected") as e:
        lb.assign(xy([(0, 0)]), areas, key="k")
    assert e.value.feature == 1


@pytest.mark.real_data
@pytest.mark.parametrize("name", ["stadsdelar.shp", "stadsdelar_utan_vatten.shp", "vatten.shp"])
def test_validity_of_the_real_boundaries_equals_geos(stockholm, name: str) -> None:
    ours = lb.read(stockholm / name)
    geoms = ours.to_geopandas().geometry.values
    assert ours.is_valid().to_list() == shapely.is_valid(geoms).tolist()
    # Broken on purpose: a part repeated (overlapping parts), one part's
    # shell made a hole of another (a hole outside its shell, or crossing),
    # and a polygon with its own shell as a hole.
    parts = [p for g in geoms for p in getattr(g, "geoms", [g])][:40]
    broken = [shapely.MultiPolygon([parts[0], parts[0]])]
    broken += [shapely.Polygon(parts[k].exterior, [parts[k + 1].exterior]) for k in range(min(10, len(parts) - 1))]
    broken += [shapely.Polygon(parts[0].exterior, [parts[0].exterior])]
    got = layer(broken).is_valid().to_list()
    assert got == shapely.is_valid(broken).tolist()
    assert not got[0] and not got[-1]


def test_all_empty_geometries_in_every_operation() -> None:
    empties = [wkt.loads(t) for t in [*ALL_EMPTY, "POLYGON EMPTY"]]
    src = layer(empties, g=[1, 1, 2, 2, 2])
    assert lb.buffer(src, 1).area().to_list() == [g.buffer(1).area for g in empties] == [0.0] * 5
    assert lb.dissolve(src, by="g").area().to_list() == [None, None]
    mixed = layer([wkt.loads("MULTILINESTRING (EMPTY)"), box(0, 0, 1, 1)], g=[1, 1])
    assert lb.dissolve(mixed, by="g").area().to_list() == [1.0]
    assert src.area().to_list() == [0.0] * 5
    assert src.length().to_list() == [0.0] * 5
    polys = layer([empties[2], empties[4], box(0, 0, 1, 1)], k=["a", "b", "c"])
    assert lb.assign(xy([(0.5, 0.5), (5, 5)]), polys, key="k").to_list() == ["c", None]
    zones = polys.with_attributes(pl.DataFrame({"z": ["a", "b", "c"]}))
    assert lb.overlay_area(zones, polys, zone_key="z", area_key="k").rows() == [("c", "c", 1.0, 1.0)]
    assert len(lb.overlay(zones, polys)) == 1
    lines = layer([empties[3], empties[1], LineString([(0, 0.5), (2, 0.5)])], r=["x", "y", "z"])
    assert lb.length_within(lines, polys, line_key="r", area_key="k").rows() == [("z", "c", 1.0)]
    assert lb.within_distance(xy([(0, 0)]), lines, 1, key="r").rows() == [(True, 0.5, "z")]
    assert lb.nearest(layer([Point(0, 0)]), lines, key="r").rows() == [("z", 2, 0.5)]
