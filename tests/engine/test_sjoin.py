"""``sjoin`` on cases worked out by hand: each predicate for points, lines and
polygons, the columns it returns, left joins, and geopandas on the same case."""

from __future__ import annotations

import lagesbild as lb
import polars as pl
import shapely
from engine_helpers import DONUT, EAST, WEST, layer
from shapely.geometry import LineString, Point, box


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
