"""Every public engine function fed what users get wrong: the wrong types, a
missing column, longitude/latitude, two CRSs, empty layers, NaN coordinates,
polygons where points belong, and invalid polygons."""

from __future__ import annotations

import lagesbild as lb
import numpy as np
import polars as pl
import pytest
import shapely
from engine_helpers import EAST, WEST, layer, xy
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

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
        lambda: lb.nearest(PTS.to_pandas(), lines_layer(), key="route"),
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
    "large polygon with nested holes": Polygon(
        circle(0, 0, 100, 30_000).exterior, [circle(0, 0, 50, 20_000).exterior, box(-10, -10, 10, 10).exterior]
    ),
    "large polygon whose hole touches the shell twice": Polygon(
        circle(0, 0, 100, 30_000).exterior, [[(100, 0), (0, 5), (-100, 0)]]
    ),
}


@pytest.mark.parametrize("case", sorted(LARGE_NESTING))
def test_large_polygons_with_misnested_rings_are_refused(case: str) -> None:
    bad = LARGE_NESTING[case]
    assert not bad.is_valid
    areas = layer([box(1000, 1000, 1010, 1010), bad], layer_name="stadsdelar", area=["a", "c"])
    with pytest.raises(lb.InvalidGeometryError, match="stadsdelar, feature 1: invalid geometry: .*repair it") as e:
        lb.assign(xy([(5, 5), (210, 210)]), areas, key="area")
    assert e.value.feature == 1


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
