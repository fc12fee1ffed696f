"""The spatial engine on cases worked out by hand, and on bad input.

Every expected value here is computed on paper (boxes, right triangles,
circles of known polygonal area), so a test fails on any wrong answer, not
only on a disagreement with another library. The second half feeds every
public engine function what users get wrong: the wrong types, a missing
column, longitude/latitude, two CRSs, empty layers, NaN coordinates,
polygons where points belong, and invalid polygons.
"""

from __future__ import annotations

import math

import lagesbild as lb
import numpy as np
import polars as pl
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon, box


def layer(geoms: list, crs: int = 3011, layer_name: str | None = None, **cols: list) -> lb.Layer:
    """A layer of shapely geometries (None for a null geometry) with attribute columns."""
    df = pl.DataFrame(
        {**cols, "geometry": [None if g is None else shapely.to_wkb(g) for g in geoms]},
        schema_overrides={"geometry": pl.Binary},
    )
    return lb.Layer.from_polars(df, crs=crs, name=layer_name)


def xy(points: list[tuple[float, float]]) -> pl.DataFrame:
    return pl.DataFrame({"x": [float(p[0]) for p in points], "y": [float(p[1]) for p in points]})


def polygon_area(mp: shapely.Geometry) -> float:
    return float(shapely.area(mp))


# Two unit-free neighbours sharing the edge x = 10, and a third area far off.
WEST, EAST = box(0, 0, 10, 10), box(10, 0, 20, 10)
DONUT = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(3, 3), (7, 3), (7, 7), (3, 7)]])


def reversed_rings(p: Polygon) -> Polygon:
    """The same polygon with every ring walked the other way (clockwise shell)."""
    return Polygon(list(p.exterior.coords)[::-1], [list(r.coords)[::-1] for r in p.interiors])


# ---------------------------------------------------------------------------
# assign
# ---------------------------------------------------------------------------


def test_assign_interior_shared_edge_vertex_outer_boundary_and_outside() -> None:
    areas = layer([WEST, EAST], name=["west", "east"])
    pts = [
        (5, 5),  # inside west
        (15, 5),  # inside east
        (10, 5),  # on the shared edge: the first area in the layer
        (10, 10),  # the shared corner
        (10, 0),  # the other shared corner
        (0, 0),  # an outer corner: the closed region includes it
        (20, 7),  # the outer boundary of east
        (3, 0),  # the outer boundary of west
        (np.nextafter(20.0, 30.0), 5),  # just beyond the outer boundary
        (5, np.nextafter(0.0, -1.0)),  # just below
        (25, 5),
    ]
    got = lb.assign(xy(pts), areas, key="name")
    assert got.to_list() == ["west", "east", "west", "west", "west", "west", "east", "west", None, None, None]
    assert got.name == "name"


def test_assign_shared_boundary_follows_layer_order_not_the_key() -> None:
    # The same areas in the other order: the shared edge goes to east now.
    areas = layer([EAST, WEST], name=["east", "west"])
    got = lb.assign(xy([(10, 5), (10, 10), (5, 5), (15, 5)]), areas, key="name")
    assert got.to_list() == ["east", "east", "west", "east"]


def test_assign_overlap_goes_to_the_lowest_index() -> None:
    areas = layer([box(0, 0, 10, 10), box(5, 5, 15, 15), box(6, 6, 8, 8)], name=["a", "b", "c"])
    got = lb.assign(xy([(7, 7), (12, 12), (2, 2), (5, 12), (4.999, 12)]), areas, key="name")
    # (7,7) is in all three; (5,12) is on b's boundary only; (4.999,12) nowhere.
    assert got.to_list() == ["a", "b", "a", "b", None]


def test_assign_holes_islands_and_hole_boundary() -> None:
    island = box(4, 4, 6, 6)
    areas = layer([DONUT, island], name=["donut", "island"])
    got = lb.assign(
        xy([(1, 1), (3.5, 3.5), (5, 5), (3, 5), (7, 7), (4, 4), (6.5, 5)]),
        areas,
        key="name",
    )
    # The hole's edge (3,5) and corner (7,7) belong to the donut; the island
    # sits in the hole, its boundary (4,4) is the island's; (3.5,3.5) and
    # (6.5,5) are in the hole but not on the island.
    assert got.to_list() == ["donut", None, "island", "donut", "donut", "island", None]


def test_assign_multipolygon_parts_and_where_parts_touch() -> None:
    # Two squares of one feature touching at the corner (10, 10): valid.
    mp = MultiPolygon([box(0, 0, 10, 10), box(10, 10, 20, 20)])
    areas = layer([mp, box(0, 10, 10, 20)], name=["diagonal", "corner"])
    got = lb.assign(xy([(5, 5), (15, 15), (10, 10), (5, 15), (15, 5), (10, 15)]), areas, key="name")
    assert got.to_list() == ["diagonal", "diagonal", "diagonal", "corner", None, "diagonal"]


def test_assign_reversed_rings_give_the_same_answer() -> None:
    pts = xy([(1, 1), (5, 5), (3, 5), (7, 7), (10, 10), (11, 5)])
    plain = lb.assign(pts, layer([DONUT], name=["d"]), key="name").to_list()
    rev = lb.assign(pts, layer([reversed_rings(DONUT)], name=["d"]), key="name").to_list()
    assert plain == ["d", None, "d", "d", "d", None]
    assert rev == plain


def test_assign_point_on_a_nearly_horizontal_edge_at_a_row_of_the_grid() -> None:
    # The edge (0,0)-(1,b) rises by b ≪ 1 and the midpoint lies exactly on
    # it, a rounding error above the line between two rows of the index.
    for b in (3.217e-20, 3.217e-229, 1e-12):
        tri = Polygon([(0, 0), (0, 1.875), (1, b)])
        got = lb.assign(xy([(0.5, b / 2), (0.25, b / 4), (0.5, 0.0)]), layer([tri], name=["t"]), key="name")
        assert got.to_list() == ["t", "t", None], b


def test_assign_key_dtypes() -> None:
    areas = layer([WEST, EAST], name=["west", "east"], code=[180, 181], share=[0.25, 0.5])
    pts = xy([(15, 5), (5, 5), (50, 50)])
    text = lb.assign(pts, areas, key="name")
    assert text.dtype == pl.Enum(["west", "east"])
    assert text.cast(pl.String).to_list() == ["east", "west", None]
    code = lb.assign(pts, areas, key="code")
    assert code.dtype == pl.Int64 and code.to_list() == [181, 180, None]
    share = lb.assign(pts, areas, key="share")
    assert share.dtype == pl.Float64 and share.to_list() == [0.5, 0.25, None]


def test_assign_enum_has_every_area_even_without_points() -> None:
    areas = layer([WEST, EAST, box(100, 100, 101, 101)], name=["west", "east", "far"])
    got = lb.assign(xy([(5, 5)]), areas, key="name")
    assert got.dtype == pl.Enum(["west", "east", "far"])
    assert got.value_counts(sort=True).rows() == [("west", 1)]


def test_assign_null_key_value_and_null_area_geometry() -> None:
    areas = layer([None, WEST, EAST], name=["ghost", None, "east"])
    got = lb.assign(xy([(5, 5), (15, 5), (10, 5)]), areas, key="name")
    # (5,5) is in the area whose key is null; (10,5) is shared: west comes first.
    assert got.to_list() == [None, "east", None]


def test_assign_null_and_nan_coordinates_are_in_no_area() -> None:
    areas = layer([WEST], name=["west"])
    pts = pl.DataFrame({"x": [5.0, None, float("nan"), 5.0, float("inf")], "y": [5.0, 5.0, 5.0, float("nan"), 5.0]})
    assert lb.assign(pts, areas, key="name").to_list() == ["west", None, None, None, None]


def test_assign_point_layer_matches_the_dataframe_path() -> None:
    areas = layer([WEST, EAST], name=["west", "east"])
    coords = [(5, 5), (10, 5), (15, 5), (30, 5)]
    pts = layer([Point(c) for c in coords] + [None], id=[1, 2, 3, 4, 5])
    got = lb.assign(pts, areas, key="name")
    assert got.to_list() == ["west", "west", "east", None, None]
    assert got.to_list()[:4] == lb.assign(xy(coords), areas, key="name").to_list()


def test_assign_named_and_integer_coordinate_columns() -> None:
    areas = layer([WEST, EAST], name=["west", "east"])
    pts = pl.DataFrame({"e": [5, 15, 10], "n": [5, 5, 5], "x": [99.0, 99.0, 99.0]})
    assert lb.assign(pts, areas, key="name", x="e", y="n").to_list() == ["west", "east", "west"]


def test_assign_transforms_a_dataframe_in_another_crs() -> None:
    from pyproj import Transformer

    # Two areas around Stockholm's centre, in SWEREF 99 18 00.
    x0, y0 = 153_000.0, 6_580_000.0
    areas = layer([box(x0, y0, x0 + 1000, y0 + 1000), box(x0 + 1000, y0, x0 + 2000, y0 + 1000)], name=["a", "b"])
    local = [(x0 + 500, y0 + 500), (x0 + 1500, y0 + 200), (x0 + 2500, y0 + 500), (x0 + 999, y0 + 999)]
    for epsg in (3006, 4326):
        t = Transformer.from_crs(3011, epsg, always_xy=True)
        moved = [t.transform(x, y) for x, y in local]
        got = lb.assign(xy(moved), areas, key="name", crs=epsg)
        assert got.to_list() == ["a", "b", None, "a"], epsg
        # Without crs= the coordinates would be read as SWEREF 99 18 00: all outside.
        assert lb.assign(xy(moved), areas, key="name").null_count() == 4
    # crs= equal to the areas' is no transformation at all.
    assert lb.assign(xy(local), areas, key="name", crs="EPSG:3011").to_list() == ["a", "b", None, "a"]


def test_assign_counts_add_up_to_the_points_in_the_union() -> None:
    # A lattice whose points fall on every edge and corner of a 2x2 block of
    # squares: each point in the union is counted exactly once.
    squares = [box(i * 10, j * 10, i * 10 + 10, j * 10 + 10) for i in range(2) for j in range(2)]
    areas = layer(squares, name=["sw", "nw", "se", "ne"])
    g = np.arange(-5, 26, 1.0)
    gx, gy = np.meshgrid(g, g)
    pts = pl.DataFrame({"x": gx.ravel(), "y": gy.ravel()})
    got = lb.assign(pts, areas, key="name")
    inside = ((gx >= 0) & (gx <= 20) & (gy >= 0) & (gy <= 20)).ravel()
    assert got.is_not_null().to_numpy().tolist() == inside.tolist()
    counts = dict(got.drop_nulls().value_counts().rows())
    # sw owns its closed square (11x11 lattice points); nw its square minus
    # the row y=10 shared with sw; se minus the column x=10; ne minus both.
    assert counts == {"sw": 121, "nw": 110, "se": 110, "ne": 100}
    assert sum(counts.values()) == 21 * 21


def test_assign_empty_points_give_an_empty_series() -> None:
    areas = layer([WEST], name=["west"])
    pts = pl.DataFrame({"x": [], "y": []}, schema={"x": pl.Float64, "y": pl.Float64})
    got = lb.assign(pts, areas, key="name")
    assert got.len() == 0 and got.name == "name"


# ---------------------------------------------------------------------------
# sjoin
# ---------------------------------------------------------------------------


def pairs(joined: lb.Layer) -> list[tuple[int, int | None]]:
    return joined.attributes.select("left_index", "right_index").rows()


def test_sjoin_points_each_predicate() -> None:
    areas = layer([WEST, EAST], name=["west", "east"])
    pts = layer([Point(5, 5), Point(10, 5), Point(20, 5), Point(30, 5), None], id=[0, 1, 2, 3, 4])
    # intersects: boundary points count, in every area they touch.
    assert pairs(lb.sjoin(pts, areas, predicate="intersects")) == [(0, 0), (1, 0), (1, 1), (2, 1)]
    # within: only interiors.
    assert pairs(lb.sjoin(pts, areas, predicate="within")) == [(0, 0)]
    # contains: a polygon is never inside a point.
    assert pairs(lb.sjoin(pts, areas, predicate="contains")) == []
    # Areas containing points: the reverse of within.
    assert pairs(lb.sjoin(areas, pts, predicate="contains")) == [(0, 0)]


def test_sjoin_polygons_each_predicate() -> None:
    big = box(0, 0, 10, 10)
    left = layer(
        [
            box(2, 2, 4, 4),
            box(10, 0, 12, 2),
            box(0, 0, 10, 10),
            box(8, 8, 12, 12),
            box(0, 0, 10, 5),
            box(20, 20, 21, 21),
        ],
        id=list(range(6)),
    )
    right = layer([big], zone=["z"])
    # inside; touching along an edge; equal; overlapping; inside but sharing edges; apart
    assert pairs(lb.sjoin(left, right, predicate="intersects")) == [(0, 0), (1, 0), (2, 0), (3, 0), (4, 0)]
    assert pairs(lb.sjoin(left, right, predicate="within")) == [(0, 0), (2, 0), (4, 0)]
    assert pairs(lb.sjoin(left, right, predicate="contains")) == [(2, 0)]
    assert pairs(lb.sjoin(right, left, predicate="contains")) == [(0, 0), (0, 2), (0, 4)]


def test_sjoin_lines() -> None:
    right = layer([WEST, EAST], name=["west", "east"])
    lines = layer(
        [
            LineString([(1, 1), (9, 9)]),
            LineString([(10, 0), (10, 10)]),
            LineString([(5, 5), (15, 5)]),
            LineString([(30, 0), (31, 1)]),
        ],
        id=[0, 1, 2, 3],
    )
    assert pairs(lb.sjoin(lines, right, predicate="intersects")) == [(0, 0), (1, 0), (1, 1), (2, 0), (2, 1)]
    # A line along the shared edge lies in the boundary of both, inside neither.
    assert pairs(lb.sjoin(lines, right, predicate="within")) == [(0, 0)]


def test_sjoin_columns_geometry_and_left_join() -> None:
    areas = layer([WEST, EAST], name=["west", "east"], id=[10, 20])
    pts = layer([Point(15, 5), Point(99, 99), Point(10, 5)], id=[1, 2, 3], kind=["a", "b", "c"])
    inner = lb.sjoin(pts, areas)
    assert inner.columns == ["id_left", "kind", "name", "id_right", "left_index", "right_index"]
    assert inner.attributes.rows() == [
        (1, "a", "east", 20, 0, 1),
        (3, "c", "west", 10, 2, 0),
        (3, "c", "east", 20, 2, 1),
    ]
    # The left geometry comes along with each pair.
    wkb = inner.to_polars()["geometry"].to_list()
    assert [shapely.from_wkb(w).coords[0] for w in wkb] == [(15, 5), (10, 5), (10, 5)]
    left = lb.sjoin(pts, areas, how="left")
    assert left.attributes.select("id_left", "name", "left_index", "right_index").rows() == [
        (1, "east", 0, 1),
        (2, None, 1, None),
        (3, "west", 2, 0),
        (3, "east", 2, 1),
    ]
    assert left.attributes["right_index"].dtype == pl.Int64


def test_sjoin_reserved_names_are_suffixed() -> None:
    a = layer([WEST], right_index=[7])
    b = layer([WEST], left_index=[8])
    out = lb.sjoin(a, b)
    assert out.columns == ["right_index_left", "left_index_right", "left_index", "right_index"]
    assert out.attributes.rows() == [(7, 8, 0, 0)]


def test_layers_from_geodataframes_of_geometry_alone() -> None:
    import geopandas as gpd

    pts = lb.Layer.from_geopandas(gpd.GeoDataFrame(geometry=[Point(5, 5), Point(15, 5)], crs=3011))
    assert len(pts) == 2 and pts.columns == []
    assert pairs(lb.sjoin(pts, layer([WEST, EAST], name=["west", "east"]))) == [(0, 0), (1, 1)]


def test_sjoin_matches_geopandas_on_a_hand_made_case() -> None:
    import geopandas as gpd

    left_geoms = [Point(10, 5), Point(3, 3), box(2, 2, 4, 4), LineString([(10, 0), (10, 10)]), box(9, 1, 11, 2)]
    right_geoms = [WEST, EAST, DONUT]
    left, right = layer(left_geoms, id=list(range(5))), layer(right_geoms, rid=list(range(3)))
    gl = gpd.GeoDataFrame({"id": range(5)}, geometry=left_geoms, crs=3011)
    gr = gpd.GeoDataFrame({"rid": range(3)}, geometry=right_geoms, crs=3011)
    for predicate in ("intersects", "within", "contains"):
        ours = sorted(pairs(lb.sjoin(left, right, predicate=predicate)))
        theirs = gpd.sjoin(gl, gr, predicate=predicate)
        expected = sorted(zip(theirs.index.tolist(), theirs["index_right"].tolist(), strict=True))
        assert ours == expected, predicate


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


# ---------------------------------------------------------------------------
# within_distance and nearest
# ---------------------------------------------------------------------------


def test_within_distance_exact_distances() -> None:
    routes = layer([LineString([(0, 0), (1000, 0)]), LineString([(0, 300), (1000, 300)])], route=["E4", "E18"])
    pts = xy([(500, 100), (500, 150), (500, 151), (1090, 120), (-30, -40), (500, 0), (500, 250), (2000, 0)])
    got = lb.within_distance(pts, routes, 150, key="route")
    assert got.columns == ["within", "distance_m", "route"]
    assert got.rows() == [
        (True, 100.0, "E4"),
        (True, 150.0, "E4"),  # exactly at the distance counts, as <=
        (True, 149.0, "E18"),  # nearer the second route
        (True, 150.0, "E4"),  # past the end: to the end point (90, 120) → 150
        (True, 50.0, "E4"),  # before the start (30, 40) → 50
        (True, 0.0, "E4"),  # on the line
        (True, 50.0, "E18"),
        (False, None, None),
    ]


def test_within_distance_ties_go_to_the_earlier_line() -> None:
    routes = layer([LineString([(0, 300), (1000, 300)]), LineString([(0, 0), (1000, 0)])], route=["north", "south"])
    got = lb.within_distance(xy([(500, 150)]), routes, 150, key="route")
    assert got.rows() == [(True, 150.0, "north")]


def test_within_distance_nan_points_and_point_layers() -> None:
    routes = layer([LineString([(0, 0), (100, 0)])], route=["r"])
    pts = pl.DataFrame({"x": [50.0, float("nan"), None], "y": [3.0, 0.0, 0.0]})
    assert lb.within_distance(pts, routes, 10, key="route").rows() == [
        (True, 3.0, "r"),
        (False, None, None),
        (False, None, None),
    ]
    as_layer = layer([Point(50, 4), None], id=[1, 2])
    assert lb.within_distance(as_layer, routes, 10, key="route").rows() == [(True, 4.0, "r"), (False, None, None)]


def test_within_distance_of_points_and_multilines() -> None:
    hydrants = layer([Point(0, 0), MultiLineString([[(100, 0), (100, 10)], [(200, 0), (210, 0)]])], id=[7, 8])
    got = lb.within_distance(xy([(3, 4), (105, 5), (205, 12), (150, 0)]), hydrants, 20, key="id")
    assert got.rows() == [(True, 5.0, 7), (True, 5.0, 8), (True, 12.0, 8), (False, None, None)]


def test_within_distance_zero_distance_keeps_points_on_the_line() -> None:
    routes = layer([LineString([(0, 0), (10, 10)])], route=["r"])
    got = lb.within_distance(xy([(5, 5), (5, 5.000001)]), routes, 0, key="route")
    assert got["within"].to_list() == [True, False]


def test_within_distance_transforms_a_dataframe_in_another_crs() -> None:
    from pyproj import Transformer

    x0, y0 = 153_000.0, 6_580_000.0
    routes = layer([LineString([(x0, y0), (x0 + 1000, y0)])], route=["r"])
    t = Transformer.from_crs(3011, 4326, always_xy=True)
    lon, lat = t.transform([x0 + 500, x0 + 500], [y0 + 100, y0 + 400])
    got = lb.within_distance(
        pl.DataFrame({"lon": lon, "lat": lat}), routes, 150, key="route", x="lon", y="lat", crs=4326
    )
    assert got["within"].to_list() == [True, False]
    assert got["distance_m"][0] == pytest.approx(100.0, abs=1e-6)


def test_nearest_points_lines_and_polygons() -> None:
    right = layer(
        [LineString([(0, 0), (100, 0)]), box(200, 0, 300, 100), Point(500, 500)],
        what=["road", "park", "mast"],
    )
    left = layer(
        [
            Point(50, 30),
            Point(250, 50),
            Point(310, 50),
            Point(500, 480),
            box(120, 10, 130, 20),
            LineString([(0, 50), (180, 50)]),
            None,
        ],
        id=list(range(7)),
    )
    got = lb.nearest(left, right, key="what")
    assert got.columns == ["what", "right_index", "distance_m"]
    assert got.rows() == [
        ("road", 0, 30.0),
        ("park", 1, 0.0),  # inside the polygon
        ("park", 1, 10.0),
        ("mast", 2, 20.0),
        ("road", 0, math.hypot(20, 10)),  # the box's corner (120,10) to the road's end (100,0)
        ("park", 1, 20.0),  # the line ends 20 m short of the park; 50 m above the road
        (None, None, None),
    ]


def test_nearest_max_distance_and_ties() -> None:
    right = layer([Point(0, 10), Point(0, -10), Point(100, 0)], id=["n", "s", "e"])
    left = layer([Point(0, 0), Point(80, 0), Point(40, 0)], id=[1, 2, 3])
    assert lb.nearest(left, right, key="id").rows() == [
        ("n", 0, 10.0),  # n and s are both 10 m away: the earlier wins
        ("e", 2, 20.0),
        ("n", 0, math.hypot(40, 10)),
    ]
    assert lb.nearest(left, right, key="id", max_distance=20).rows() == [
        ("n", 0, 10.0),
        ("e", 2, 20.0),  # exactly at the limit is kept
        (None, None, None),
    ]


def test_nearest_polygon_to_polygon_and_overlaps() -> None:
    right = layer([box(0, 0, 10, 10), box(20, 0, 30, 10)], id=["a", "b"])
    left = layer([box(12, 2, 15, 4), box(9, 9, 21, 12), box(40, 40, 43, 44)], id=[1, 2, 3])
    got = lb.nearest(left, right, key="id").rows()
    # 2 m to a, 5 m to b; overlapping both: distance 0, the earlier; (40,40)-(30,10): √(10²+30²).
    assert got == [("a", 0, 2.0), ("a", 0, 0.0), ("b", 1, math.hypot(10, 30))]


# ---------------------------------------------------------------------------
# buffer and dissolve
# ---------------------------------------------------------------------------


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
    for a, e in zip(areas[:3], expected, strict=True):
        assert a == pytest.approx(e, rel=1e-9)
    assert areas[3] is None
    assert out.attributes["id"].to_list() == [1, 2, 3, 4]
    assert out.crs == 3011


@pytest.mark.xfail(
    strict=True,
    reason="at quad_segs=1 a round join on a right angle gets two segments, not one as in GEOS "
    "(a 10 m square buffered by 2 m: 191.31 m² instead of 188)",
)
def test_buffer_quad_segs_one_matches_geos() -> None:
    out = lb.buffer(layer([box(0, 0, 10, 10)]), 2.0, quad_segs=1)
    assert out.area()[0] == pytest.approx(100 + 80 + 8, rel=1e-9)


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


# ---------------------------------------------------------------------------
# set_threads
# ---------------------------------------------------------------------------


@pytest.fixture
def restore_threads():
    before = lb.threads()
    yield
    lb.set_threads(before)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2", None])
def test_set_threads_refuses_non_positive_and_non_integers(bad: object, restore_threads: None) -> None:
    before = lb.threads()
    with pytest.raises(lb.InvalidArgumentError, match="set_threads"):
        lb.set_threads(bad)  # type: ignore[arg-type]
    assert lb.threads() == before


def test_results_do_not_depend_on_the_thread_count(restore_threads: None) -> None:
    rng = np.random.default_rng(7)
    # Enough points for many parallel chunks, areas with shared edges.
    cells = [box(i * 100, j * 100, i * 100 + 100, j * 100 + 100) for i in range(8) for j in range(8)]
    areas = layer(cells, name=[f"c{i}" for i in range(64)])
    zones = layer(
        [Point(rng.uniform(0, 800), rng.uniform(0, 800)).buffer(rng.uniform(20, 150)) for _ in range(30)],
        z=list(range(30)),
    )
    lines = layer([LineString(rng.uniform(0, 800, (6, 2))) for _ in range(20)], r=list(range(20)))
    pts = pl.DataFrame(
        {"x": np.round(rng.uniform(-10, 810, 200_000), 0), "y": np.round(rng.uniform(-10, 810, 200_000), 0)}
    )
    pt_layer = layer([Point(x, y) for x, y in rng.uniform(0, 800, (300, 2))], id=list(range(300)))

    def run() -> list:
        return [
            lb.assign(pts, areas, key="name").to_list(),
            lb.overlay_area(zones, areas, zone_key="z", area_key="name").rows(),
            lb.length_within(lines, areas, line_key="r", area_key="name").rows(),
            lb.within_distance(pts.head(20_000), lines, 25, key="r").rows(),
            lb.nearest(pt_layer, lines, key="r").rows(),
            lb.sjoin(zones, areas).attributes.rows(),
            lb.buffer(lines, 10).area().to_list(),
            lb.dissolve(zones.with_attributes(pl.DataFrame({"g": [i % 3 for i in range(30)]})), by="g")
            .area()
            .to_list(),
        ]

    lb.set_threads(1)
    assert lb.threads() == 1
    one = run()
    lb.set_threads(2)
    assert lb.threads() == 2
    two = run()
    for a, b in zip(one, two, strict=True):
        assert a == b
    # And the answer is not trivially empty.
    assert sum(v is not None for v in one[0]) > 150_000
    assert len(one[1]) > 30 and len(one[2]) > 20


# ---------------------------------------------------------------------------
# Bad input: types, columns, CRSs, empty layers, geometry types
# ---------------------------------------------------------------------------

AREAS = [WEST, EAST]


def areas_layer(crs: int = 3011) -> lb.Layer:
    return layer(AREAS, crs=crs, layer_name="stadsdelar", area=["west", "east"])


def zones_layer(crs: int = 3011) -> lb.Layer:
    return layer([box(5, 0, 15, 5)], crs=crs, layer_name="zoner", level=[1.5])


def lines_layer(crs: int = 3011) -> lb.Layer:
    return layer([LineString([(0, 5), (20, 5)])], crs=crs, layer_name="vagar", route=["E4"])


def points_layer(crs: int = 3011) -> lb.Layer:
    return layer([Point(5, 5)], crs=crs, layer_name="platser", id=[1])


PTS = xy([(5, 5)])

MAKERS = {"areas": areas_layer, "points": points_layer, "zones": zones_layer, "lines": lines_layer}


def call(fn: str, **given: lb.Layer):
    """Call the engine function ``fn`` on the standard layers, replacing those given."""
    ls = {k: given[k] if k in given else make() for k, make in MAKERS.items()}
    a, p, z, ln = ls["areas"], ls["points"], ls["zones"], ls["lines"]
    return {
        "assign": lambda: lb.assign(p, a, key="area"),
        "sjoin": lambda: lb.sjoin(p, a),
        "overlay_area": lambda: lb.overlay_area(z, a, zone_key="level", area_key="area"),
        "overlay": lambda: lb.overlay(z, a),
        "within_distance": lambda: lb.within_distance(p, ln, 10, key="route"),
        "nearest": lambda: lb.nearest(p, ln, key="route"),
        "length_within": lambda: lb.length_within(ln, a, line_key="route", area_key="area"),
    }[fn]()


TWO_LAYER = ["assign", "sjoin", "overlay_area", "overlay", "within_distance", "nearest", "length_within"]


@pytest.mark.parametrize("fn", TWO_LAYER)
def test_every_two_layer_function_answers_on_good_input(fn: str) -> None:
    # The baseline the bad-input cases below depart from: each finds its match.
    out = call(fn)
    frame = out.to_frame() if isinstance(out, pl.Series) else out.attributes if isinstance(out, lb.Layer) else out
    # The point lies in west; the zone and the road cross both areas.
    assert frame.height == (2 if fn in ("overlay_area", "overlay", "length_within") else 1)
    assert frame.null_count().row(0) == (0,) * frame.width


@pytest.mark.parametrize(
    ("fn", "which"),
    [
        ("assign", "areas"),
        ("assign", "points"),
        ("sjoin", "areas"),
        ("sjoin", "points"),
        ("overlay_area", "areas"),
        ("overlay_area", "zones"),
        ("overlay", "areas"),
        ("overlay", "zones"),
        ("within_distance", "lines"),
        ("within_distance", "points"),
        ("nearest", "lines"),
        ("nearest", "points"),
        ("length_within", "areas"),
        ("length_within", "lines"),
    ],
)
def test_crs_mismatch_names_both_crss_and_the_fix(fn: str, which: str) -> None:
    moved = MAKERS[which](crs=3006)
    with pytest.raises(lb.CrsError) as e:
        call(fn, **{which: moved})
    msg = str(e.value)
    assert "3006" in msg and "3011" in msg, msg
    assert "to_crs" in msg, msg
    assert moved.name in msg, msg


@pytest.mark.parametrize("fn", ["overlay_area", "overlay", "within_distance", "nearest", "length_within"])
def test_longitude_latitude_refused_for_metric_work(fn: str) -> None:
    # Every layer in WGS 84: one CRS, but degrees.
    with pytest.raises(lb.CrsError) as e:
        call(fn, **{k: make(crs=4326) for k, make in MAKERS.items()})
    msg = str(e.value)
    assert "EPSG:4326" in msg and "geographic" in msg and "to_crs" in msg, msg


def test_buffer_refuses_longitude_latitude() -> None:
    with pytest.raises(lb.CrsError, match=r"EPSG:4326.*buffer needs metres.*to_crs"):
        lb.buffer(points_layer(crs=4326), 100)


def test_within_distance_dataframe_in_degrees_needs_crs() -> None:
    # Coordinates in lon/lat with crs=4326 are moved into the lines' metres.
    pts = pl.DataFrame({"x": [18.07], "y": [59.33]})
    got = lb.within_distance(pts, lines_layer(), 10, key="route", crs=4326)
    assert got["within"].to_list() == [False]


@pytest.mark.parametrize(
    ("call", "column"),
    [
        (lambda: lb.assign(PTS, areas_layer(), key="namn"), "namn"),
        (lambda: lb.assign(PTS, areas_layer()), "name"),  # the default key
        (lambda: lb.assign(PTS, areas_layer(), key="area", x="lon"), "lon"),
        (lambda: lb.assign(PTS, areas_layer(), key="area", y="lat"), "lat"),
        (lambda: lb.overlay_area(zones_layer(), areas_layer(), zone_key="niva", area_key="area"), "niva"),
        (lambda: lb.overlay_area(zones_layer(), areas_layer(), zone_key="level", area_key="namn"), "namn"),
        (lambda: lb.within_distance(PTS, lines_layer(), 10, key="vag"), "vag"),
        (lambda: lb.within_distance(PTS, lines_layer(), 10, key="route", x="e"), "e"),
        (lambda: lb.nearest(points_layer(), lines_layer(), key="vag"), "vag"),
        (lambda: lb.length_within(lines_layer(), areas_layer(), line_key="klass", area_key="area"), "klass"),
        (lambda: lb.length_within(lines_layer(), areas_layer(), line_key="route", area_key="namn"), "namn"),
        (lambda: lb.dissolve(areas_layer(), by="sdo"), "sdo"),
        (lambda: lb.dissolve(areas_layer(), by=["area", "sdo"]), "sdo"),
        (lambda: lb.dissolve(areas_layer(), by="area", agg={"inv": "sum"}), "inv"),
    ],
)
def test_missing_columns_are_named(call, column: str) -> None:
    with pytest.raises(lb.ColumnNotFoundError) as e:
        call()
    assert e.value.column == column
    assert repr(column) in str(e.value), str(e.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: lb.assign(PTS, "stadsdelar.shp", key="area"),
        lambda: lb.assign([(5, 5)], areas_layer(), key="area"),
        lambda: lb.assign(PTS.to_pandas(), areas_layer(), key="area"),
        lambda: lb.sjoin(points_layer(), None),
        lambda: lb.sjoin(PTS, areas_layer()),
        lambda: lb.overlay_area(zones_layer().to_geopandas(), areas_layer(), zone_key="level", area_key="area"),
        lambda: lb.overlay(zones_layer(), [WEST]),
        lambda: lb.within_distance(PTS, "vagar.shp", 10, key="route"),
        lambda: lb.within_distance({"x": [5.0], "y": [5.0]}, lines_layer(), 10, key="route"),
        lambda: lb.nearest(PTS, lines_layer(), key="route"),
        lambda: lb.length_within(lines_layer(), areas_layer().attributes, line_key="route", area_key="area"),
        lambda: lb.buffer(WEST, 10),
        lambda: lb.dissolve(areas_layer().attributes, by="area"),
    ],
)
def test_wrong_types_are_type_errors(call) -> None:
    with pytest.raises(TypeError, match="must be a lagesbild.Layer|lagesbild.Layer of points"):
        call()


def test_non_numeric_coordinate_columns() -> None:
    pts = pl.DataFrame({"x": ["5"], "y": [5.0]})
    with pytest.raises(lb.InvalidArgumentError, match="'x' holds String, not numbers") as e:
        lb.assign(pts, areas_layer(), key="area")
    assert e.value.column == "x"


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: lb.sjoin(points_layer(), areas_layer(), predicate="touches"), "unknown predicate"),
        (lambda: lb.sjoin(points_layer(), areas_layer(), how="right"), "how must be"),
        (lambda: lb.within_distance(PTS, lines_layer(), -1, key="route"), "at least 0"),
        (lambda: lb.within_distance(PTS, lines_layer(), float("nan"), key="route"), "finite"),
        (lambda: lb.within_distance(PTS, lines_layer(), float("inf"), key="route"), "finite"),
        (lambda: lb.nearest(points_layer(), lines_layer(), key="route", max_distance=-5), "at least 0"),
        (lambda: lb.nearest(points_layer(), lines_layer(), key="route", max_distance=float("nan")), "finite"),
        (lambda: lb.buffer(areas_layer(), float("nan")), "finite"),
        (lambda: lb.buffer(areas_layer(), 10, quad_segs=0), "quad_segs"),
        (lambda: lb.buffer(areas_layer(), 10, quad_segs=2.5), "quad_segs"),
        (lambda: lb.buffer(areas_layer(), 10, quad_segs=True), "quad_segs"),
        (lambda: lb.dissolve(areas_layer(), by="area", agg={"area": "median"}), "unknown aggregation"),
        (lambda: lb.assign(PTS, areas_layer(), key="area", crs="EPSG:99999"), "99999"),
        (lambda: lb.assign(points_layer(), areas_layer(), key="area", crs=3011), "crs= is for a DataFrame"),
    ],
)
def test_bad_arguments(call, match: str) -> None:
    with pytest.raises((lb.InvalidArgumentError, lb.CrsError), match=match):
        call()


def test_empty_layers() -> None:
    empty_areas = layer([], layer_name="tom", area=pl.Series([], dtype=pl.String))
    empty_lines = layer([], layer_name="tom", route=pl.Series([], dtype=pl.String))
    for call in (
        lambda: lb.assign(PTS, empty_areas, key="area"),
        lambda: lb.within_distance(PTS, empty_lines, 10, key="route"),
        lambda: lb.nearest(points_layer(), empty_lines, key="route"),
    ):
        with pytest.raises(lb.EmptyLayerError, match="tom: .* needs at least one feature"):
            call()
    # Where no feature is needed, an empty side gives an empty answer of the right shape.
    assert lb.overlay_area(zones_layer(), empty_areas, zone_key="level", area_key="area").columns == [
        "level",
        "area",
        "area_m2",
        "share",
    ]
    assert lb.overlay_area(zones_layer(), empty_areas, zone_key="level", area_key="area").height == 0
    assert lb.length_within(empty_lines, areas_layer(), line_key="route", area_key="area").height == 0
    assert len(lb.sjoin(points_layer(), empty_areas)) == 0
    assert lb.sjoin(points_layer(), empty_areas, how="left").attributes.rows() == [(1, None, 0, None)]
    assert len(lb.overlay(zones_layer(), empty_areas)) == 0
    assert lb.nearest(layer([], id=pl.Series([], dtype=pl.Int64)), lines_layer(), key="route").height == 0
    assert len(lb.buffer(empty_areas, 10)) == 0
    assert len(lb.dissolve(empty_areas, by="area")) == 0


def test_points_layer_holding_polygons_is_refused_with_the_feature() -> None:
    mixed = layer([Point(1, 1), Point(2, 2), WEST], layer_name="platser", id=[1, 2, 3])
    for call in (
        lambda: lb.assign(mixed, areas_layer(), key="area"),
        lambda: lb.within_distance(mixed, lines_layer(), 10, key="route"),
    ):
        with pytest.raises(
            lb.InvalidGeometryError, match="platser, feature 2: .*needs points, and this feature is a Polygon"
        ) as e:
            call()
        assert e.value.feature == 2


def test_areas_layer_holding_points_or_lines_is_refused_with_the_feature() -> None:
    mixed = layer([WEST, EAST, LineString([(0, 0), (1, 1)])], layer_name="stadsdelar", area=["a", "b", "c"])
    for call in (
        lambda: lb.assign(PTS, mixed, key="area"),
        lambda: lb.overlay_area(zones_layer(), mixed, zone_key="level", area_key="area"),
        lambda: lb.overlay(zones_layer(), mixed),
        lambda: lb.length_within(lines_layer(), mixed, line_key="route", area_key="area"),
    ):
        with pytest.raises(lb.InvalidGeometryError, match="stadsdelar, feature 2: .*needs polygons") as e:
            call()
        assert e.value.feature == 2


def test_lines_layer_holding_polygons_is_refused_with_the_feature() -> None:
    mixed = layer([LineString([(0, 0), (1, 1)]), WEST], layer_name="vagar", route=["a", "b"])
    for call in (
        lambda: lb.within_distance(PTS, mixed, 10, key="route"),
        lambda: lb.length_within(mixed, areas_layer(), line_key="route", area_key="area"),
    ):
        with pytest.raises(lb.InvalidGeometryError, match="vagar, feature 1: .*needs lines") as e:
            call()
        assert e.value.feature == 1


def test_dissolve_refuses_polygons_mixed_with_lines_in_a_group() -> None:
    src = layer([WEST, EAST, LineString([(0, 0), (1, 1)])], layer_name="blandat", g=[1, 1, 1])
    with pytest.raises(lb.InvalidGeometryError, match="blandat, feature 2") as e:
        lb.dissolve(src, by="g")
    assert e.value.feature == 2


@pytest.mark.parametrize("fn", ["sjoin", "nearest", "buffer"])
def test_non_finite_geometry_coordinates_are_refused(fn: str) -> None:
    # A point layer whose second feature has a NaN coordinate.
    pts = layer([Point(1, 1), Point(float("nan"), 2)], layer_name="platser", id=[1, 2])
    call = {
        "sjoin": lambda: lb.sjoin(pts, areas_layer()),
        "nearest": lambda: lb.nearest(points_layer(), pts, key="id"),
        "buffer": lambda: lb.buffer(pts, 5),
    }[fn]
    with pytest.raises(lb.InvalidGeometryError, match="platser, feature 1: .*not a finite number") as e:
        call()
    assert e.value.feature == 1


def test_nan_point_coordinates_give_nulls_not_errors() -> None:
    # Point *data* (the columnar path and point layers on the left) with NaN
    # are simply in no area and near nothing.
    pts = layer([Point(5, 5), Point(float("nan"), float("nan"))], id=[1, 2])
    assert lb.assign(pts, areas_layer(), key="area").to_list() == ["west", None]
    assert lb.within_distance(pts, lines_layer(), 10, key="route")["within"].to_list() == [True, False]
    assert lb.nearest(pts, lines_layer(), key="route")["distance_m"].to_list() == [0.0, None]


# ---------------------------------------------------------------------------
# Invalid polygons: refused with the feature, never a silent wrong answer
# ---------------------------------------------------------------------------

BOWTIE = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])


def circle(cx: float, cy: float, r: float, n: int) -> Polygon:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return Polygon(np.c_[cx + r * np.cos(t), cy + r * np.sin(t)])


def big_bowtie(n: int = 30_000) -> Polygon:
    """A ring of more vertices than the full validity check takes, with two
    neighbouring vertices swapped so that two of its edges cross."""
    coords = list(circle(0, 0, 100, n).exterior.coords)[:-1]
    k = n // 3
    coords[k], coords[k + 1] = coords[k + 1], coords[k]
    return Polygon(coords)


INVALID = {
    "bow-tie": BOWTIE,
    "spike": Polygon([(0, 0), (10, 0), (10, 10), (5, 10), (5, 15), (5, 10), (0, 10)]),
    "hole crossing the shell": Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(5, 5), (15, 5), (15, 6), (5, 6)]]),
    "hole outside the shell": Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(20, 20), (22, 20), (22, 22), (20, 22)]]),
    "nested holes": Polygon(
        [(0, 0), (10, 0), (10, 10), (0, 10)], [[(1, 1), (9, 1), (9, 9), (1, 9)], [(2, 2), (3, 2), (3, 3), (2, 3)]]
    ),
    "overlapping parts": MultiPolygon([box(0, 0, 10, 10), box(5, 5, 15, 15)]),
    "nested parts": MultiPolygon([box(0, 0, 10, 10), box(2, 2, 4, 4)]),
    "large bow-tie": big_bowtie(),
    "large overlapping parts": MultiPolygon([circle(0, 0, 100, 15_000), circle(50, 0, 100, 15_000)]),
}


@pytest.mark.parametrize("case", sorted(INVALID))
@pytest.mark.parametrize("fn", ["assign", "overlay_area", "overlay", "length_within"])
def test_invalid_polygons_are_refused_with_the_feature(fn: str, case: str) -> None:
    bad = INVALID[case]
    assert not bad.is_valid, shapely.is_valid_reason(bad)
    areas = layer(
        [box(1000, 1000, 1010, 1010), box(2000, 2000, 2010, 2010), bad], layer_name="stadsdelar", area=["a", "b", "c"]
    )
    call = {
        "assign": lambda: lb.assign(PTS, areas, key="area"),
        "overlay_area": lambda: lb.overlay_area(zones_layer(), areas, zone_key="level", area_key="area"),
        "overlay": lambda: lb.overlay(zones_layer(), areas),
        "length_within": lambda: lb.length_within(lines_layer(), areas, line_key="route", area_key="area"),
    }[fn]
    with pytest.raises(lb.InvalidGeometryError, match=r"stadsdelar, feature 2: invalid geometry: .*repair it") as e:
        call()
    assert e.value.feature == 2


@pytest.mark.parametrize("fn", ["overlay_area", "overlay"])
def test_invalid_zones_are_refused_too(fn: str) -> None:
    zones = layer([box(0, 0, 1, 1), BOWTIE], layer_name="zoner", level=[1, 2])
    call = {
        "overlay_area": lambda: lb.overlay_area(zones, areas_layer(), zone_key="level", area_key="area"),
        "overlay": lambda: lb.overlay(zones, areas_layer()),
    }[fn]
    with pytest.raises(lb.InvalidGeometryError, match="zoner, feature 1") as e:
        call()
    assert e.value.feature == 1


@pytest.mark.parametrize("fn", ["buffer", "dissolve"])
def test_buffer_and_dissolve_refuse_a_bow_tie(fn: str) -> None:
    # A bow-tie has no area by the rules, and any number reported for it is
    # a guess (GEOS's union says 0, its buffer 52.5, its shoelace sum 0).
    src = layer([box(100, 100, 110, 110), BOWTIE], layer_name="zoner", g=[1, 1])
    call = {"buffer": lambda: lb.buffer(src, 1), "dissolve": lambda: lb.dissolve(src, by="g")}[fn]
    with pytest.raises(lb.InvalidGeometryError, match="zoner, feature 1") as e:
        call()
    assert e.value.feature == 1


LARGE_NESTING = {
    "large polygon with a hole outside its shell": Polygon(
        circle(0, 0, 100, 30_000).exterior, [[(200, 200), (220, 200), (220, 220), (200, 220)]]
    ),
    "large multipolygon with one part inside another": MultiPolygon([circle(0, 0, 100, 30_000), box(-10, -10, 10, 10)]),
}


@pytest.mark.xfail(
    strict=True,
    reason="polygons of more than 20 000 vertices get only the edge-crossing check: a hole outside its "
    "shell or a part nested in another part is not detected, and the even-odd reading gives wrong answers",
)
@pytest.mark.parametrize("case", sorted(LARGE_NESTING))
def test_large_polygons_with_misnested_rings_are_refused(case: str) -> None:
    bad = LARGE_NESTING[case]
    assert not bad.is_valid
    areas = layer([box(1000, 1000, 1010, 1010), bad], layer_name="stadsdelar", area=["a", "c"])
    with pytest.raises(lb.InvalidGeometryError):
        lb.assign(xy([(5, 5), (210, 210)]), areas, key="area")


def test_valid_but_unusual_polygons_are_accepted() -> None:
    # A hole touching the shell at one vertex (valid by OGC rules).
    touching_hole = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(0, 5), (5, 3), (5, 7)]])
    assert touching_hole.is_valid
    areas = layer([touching_hole, EAST], name=["t", "e"])
    got = lb.assign(xy([(1, 1), (4, 5), (0, 5), (5, 5)]), areas, key="name")
    # In; in the hole; the touching vertex; on the hole's edge.
    assert got.to_list() == ["t", None, "t", "t"]
    zones = layer([box(0, 0, 10, 10)], z=[1])
    assert lb.overlay_area(zones, areas, zone_key="z", area_key="name").rows() == [(1, "t", 90.0, 1.0)]
