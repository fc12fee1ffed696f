"""``assign`` on cases worked out by hand: interiors, shared edges and corners,
holes and islands, overlaps, key dtypes, null and NaN coordinates, and
points in another CRS."""

from __future__ import annotations

import lagesbild as lb
import numpy as np
import polars as pl
from engine_helpers import DONUT, EAST, WEST, layer, reversed_rings, xy
from shapely.geometry import MultiPolygon, Point, Polygon, box


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
