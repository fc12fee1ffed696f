"""``within_distance`` and ``nearest`` on cases worked out by hand: exact
distances, ties, NaN points, multilines, polygons, and points in another CRS."""

from __future__ import annotations

import math

import lagesbild as lb
import polars as pl
import pyproj
import pytest
from engine_helpers import layer, xy
from shapely.geometry import LineString, MultiLineString, Point, box


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


def test_nearest_of_a_point_dataframe_equals_nearest_of_a_point_layer() -> None:
    right = layer(
        [LineString([(0, 0), (100, 0)]), box(200, 0, 300, 100), Point(500, 500)],
        what=["road", "park", "mast"],
    )
    points = [(50, 30), (250, 50), (310, 50), (500, 480), (200, 50), (150, 0), (-1e6, 0)]
    by_layer = lb.nearest(layer([Point(p) for p in points]), right, key="what")
    by_xy = lb.nearest(xy(points), right, key="what")
    assert by_xy.equals(by_layer)
    assert by_xy.rows()[4:6] == [("park", 1, 0.0), ("road", 0, 50.0)]  # on the park's edge; a tie → earlier
    within = lb.nearest(xy(points), right, key="what", max_distance=25)
    assert within["right_index"].to_list() == [None, 1, 1, 2, 1, None, None]


def test_nearest_of_a_point_dataframe_nulls_nans_and_another_crs() -> None:
    right = layer([Point(150_000, 6_580_000)], crs=3011, id=["mast"])
    pts = pl.DataFrame({"lon": [18.0, None, float("nan")], "lat": [59.35, 59.35, 59.35]})
    got = lb.nearest(pts, right, key="id", x="lon", y="lat", crs=4326)
    assert got["id"].to_list() == ["mast", None, None]
    x, y = pyproj.Transformer.from_crs(4326, 3011, always_xy=True).transform(18.0, 59.35)
    assert got["distance_m"][0] == pytest.approx(math.hypot(x - 150_000, y - 6_580_000), abs=1e-3)
    assert got["distance_m"].null_count() == 2
    with pytest.raises(lb.ColumnNotFoundError, match="no column 'x'"):
        lb.nearest(pl.DataFrame({"e": [1.0], "n": [2.0]}), right, key="id")
    with pytest.raises(lb.InvalidArgumentError, match="crs= is for a DataFrame"):
        lb.nearest(right, right, key="id", crs=3011)
