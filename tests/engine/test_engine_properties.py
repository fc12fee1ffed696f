"""The spatial engine against shapely/GEOS on random inputs (hypothesis).

The polygons are valid by construction (boxes, polygonised circles, convex
hulls, their unions, holes cut by difference), often snapped to a coarse
grid so that areas share edges, edges run along each other and points fall
exactly on vertices and edges, sometimes with their rings reversed, and
sometimes moved out to Stockholm's coordinates (x ≈ 150 000, y ≈ 6 580 000)
where a float has fewer digits to spare. Every answer is compared with what
shapely (GEOS) gives for the same geometries.

The number of examples per test is ``LAGESBILD_HYPOTHESIS_EXAMPLES``
(default 100); the examples are the same on every run unless
``LAGESBILD_HYPOTHESIS_RANDOM=1`` asks for fresh ones. A long run:

    LAGESBILD_HYPOTHESIS_EXAMPLES=3000 LAGESBILD_HYPOTHESIS_RANDOM=1 \\
        .venv/bin/python -m pytest tests/engine/test_engine_properties.py
"""

from __future__ import annotations

import math
import os
from collections import defaultdict

import geopandas as gpd
import lagesbild as lb
import numpy as np
import polars as pl
import pytest
import shapely
from engine_helpers import layer
from hypothesis import HealthCheck, assume, example, given, note, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiLineString, Point

EXAMPLES = int(os.environ.get("LAGESBILD_HYPOTHESIS_EXAMPLES", "100"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("LAGESBILD_HYPOTHESIS_RANDOM", "") != "1",
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

CRS = 3011
STOCKHOLM = (153_000.0, 6_580_000.0)


def close(a: float, b: float, rel: float = 1e-9, abs_: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


# ---------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------

grid_coord = st.integers(0, 40).map(float)
half_coord = st.integers(0, 80).map(lambda i: i / 2)
# Free coordinates to the nanometre: any digits a survey gives, without
# exponent spreads (1e-94 beside 1) where the oracle stops being exact.
free_coord = st.floats(0, 40, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 9))
coord = st.one_of(grid_coord, half_coord, free_coord)


def no_dust(g: shapely.Geometry) -> bool:
    """No coordinate between 0 and 1e-6 (cos 90° times a radius gives 6e-17):
    beside coordinates near 1, GEOS's double-double predicates, the oracle,
    are no longer exact there."""
    a = np.abs(shapely.get_coordinates(g))
    return not ((a > 0) & (a < 1e-6)).any()


@st.composite
def simple_polygon(draw) -> shapely.Geometry:
    """One convex polygon: a box, a polygonised circle, a triangle or a hull."""
    kind = draw(st.sampled_from(["box", "box", "circle", "triangle", "hull"]))
    if kind == "box":
        x, y = draw(coord), draw(coord)
        w, h = draw(st.integers(1, 16)), draw(st.integers(1, 16))
        return shapely.box(x, y, x + w, y + h)
    if kind == "circle":
        r = draw(st.floats(0.5, 10))
        return Point(draw(coord), draw(coord)).buffer(r, quad_segs=draw(st.integers(1, 5)))
    n = 3 if kind == "triangle" else draw(st.integers(4, 9))
    pts = draw(st.lists(st.tuples(coord, coord), min_size=n, max_size=n, unique=True))
    return shapely.MultiPoint(pts).convex_hull


@st.composite
def polygonal(draw, allow_multi: bool = True) -> shapely.Geometry:
    """A valid polygon or multipolygon, possibly with holes."""
    g = draw(simple_polygon())
    for _ in range(draw(st.integers(0, 2) if allow_multi else st.just(0))):
        g = g.union(draw(simple_polygon()))
    for _ in range(draw(st.integers(0, 2))):
        cut = draw(simple_polygon())
        if draw(st.booleans()) and not g.is_empty:
            # Shrink the cutter around a point inside, so that it leaves a hole.
            c = g.representative_point()
            cut = shapely.affinity.scale(cut, 0.25, 0.25, origin="centroid")
            cut = shapely.affinity.translate(cut, c.x - cut.centroid.x, c.y - cut.centroid.y)
        g = g.difference(cut)
    if draw(st.booleans()):
        with np.errstate(all="ignore"):  # GEOS on a polygon that collapses
            g = shapely.set_precision(g, draw(st.sampled_from([0.5, 1.0, 2.0])))
        # Through WKB: the coordinates stay snapped, the grid is forgotten
        # (shapely would otherwise snap every later result to it).
        g = shapely.from_wkb(shapely.to_wkb(g))
    assume(not g.is_empty and no_dust(g))
    if draw(st.booleans()):
        g = shapely.reverse(g)  # clockwise shells, counter-clockwise holes
    assume(g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty and g.is_valid and g.area > 1e-6)
    if not allow_multi:
        assume(g.geom_type == "Polygon")
    return g


@st.composite
def line(draw) -> shapely.Geometry:
    n = draw(st.integers(2, 6))
    pts = draw(st.lists(st.tuples(coord, coord), min_size=n, max_size=n))
    assume(len(set(pts)) >= 2)
    if draw(st.integers(0, 4)) == 0:
        m = draw(st.lists(st.tuples(coord, coord), min_size=2, max_size=4))
        assume(len(set(m)) >= 2)
        return MultiLineString([pts, m])
    return LineString(pts)


offset = st.sampled_from([(0.0, 0.0), (0.0, 0.0), STOCKHOLM])


def moved(geoms: list, off: tuple[float, float]) -> list:
    if off == (0.0, 0.0):
        return geoms
    out = [shapely.affinity.translate(g, *off) for g in geoms]
    # Moving can, rarely, bring two vertices together; keep valid inputs only.
    assume(all(g.is_valid for g in out if g.geom_type.endswith("Polygon")))
    return out


def probe_points(geoms: list, seed: int, n: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Points anywhere, on the grid, on vertices and on edge midpoints."""
    rng = np.random.default_rng(seed)
    verts = shapely.get_coordinates(geoms)
    parts = [
        rng.uniform(-2, 45, (n, 2)),
        rng.integers(-1, 45, (n // 2, 2)).astype(float),
        rng.integers(-2, 90, (n // 2, 2)) / 2.0,
        verts[rng.integers(0, len(verts), n // 4)],
    ]
    if len(verts) > 1:
        i = rng.integers(0, len(verts) - 1, n // 4)
        parts.append((verts[i] + verts[i + 1]) / 2.0)
    pts = np.concatenate(parts)
    return np.ascontiguousarray(pts[:, 0]), np.ascontiguousarray(pts[:, 1])


# ---------------------------------------------------------------------------
# assign: covers + the lowest-index rule
# ---------------------------------------------------------------------------


def expected_assign(areas: list, px: np.ndarray, py: np.ndarray) -> list:
    pts = shapely.points(px, py)
    out = np.full(len(px), -1)
    for i in reversed(range(len(areas))):
        out[shapely.covers(areas[i], pts)] = i
    return [None if i < 0 else int(i) for i in out]


@SETTINGS
@given(
    areas=st.lists(polygonal(), min_size=1, max_size=5),
    seed=st.integers(0, 2**32 - 1),
    off=offset,
)
def test_assign_is_the_first_covering_area(areas: list, seed: int, off: tuple[float, float]) -> None:
    px, py = probe_points(areas, seed)
    areas = moved(areas, off)
    px, py = px + off[0], py + off[1]
    got = lb.assign(pl.DataFrame({"x": px, "y": py}), layer(areas, idx=list(range(len(areas)))), key="idx")
    want = expected_assign(areas, px, py)
    wrong = [(px[k], py[k], g, w) for k, (g, w) in enumerate(zip(got.to_list(), want, strict=True)) if g != w]
    assert not wrong, f"{len(wrong)} points differ (x, y, got, expected), first: {wrong[:5]}"


@SETTINGS
@given(areas=st.lists(polygonal(), min_size=1, max_size=3), seed=st.integers(0, 2**32 - 1))
def test_assign_point_layer_equals_dataframe(areas: list, seed: int) -> None:
    px, py = probe_points(areas, seed, n=40)
    pts = layer(list(shapely.points(px, py)), id=list(range(len(px))))
    al = layer(areas, idx=list(range(len(areas))))
    assert lb.assign(pts, al, key="idx").to_list() == expected_assign(areas, px, py)


# ---------------------------------------------------------------------------
# sjoin: the pairs of geopandas' sjoin
# ---------------------------------------------------------------------------


@st.composite
def mixed_features(draw, seed_areas: list) -> list:
    """Points (many on the areas' edges and vertices), lines and polygons."""
    seed = draw(st.integers(0, 2**32 - 1))
    px, py = probe_points(seed_areas, seed, n=16)
    pts = list(shapely.points(px, py))
    lines = draw(st.lists(line(), max_size=4))
    polys = draw(st.lists(polygonal(), max_size=4))
    # Some of the areas themselves, and their parts: equal and touching cases.
    same = draw(st.lists(st.sampled_from(seed_areas), max_size=2))
    return pts + lines + polys + same


def geopandas_pairs(left: list, right: list, predicate: str) -> list[tuple[int, int]]:
    gl = gpd.GeoDataFrame(geometry=left, crs=CRS)
    gr = gpd.GeoDataFrame(geometry=right, crs=CRS)
    j = gpd.sjoin(gl, gr, predicate=predicate)
    return sorted(zip(j.index.tolist(), j["index_right"].tolist(), strict=True))


@SETTINGS
@given(data=st.data(), areas=st.lists(polygonal(), min_size=1, max_size=4), off=offset)
def test_sjoin_pairs_equal_geopandas(data, areas: list, off: tuple[float, float]) -> None:
    left = data.draw(mixed_features(areas))
    left, areas = moved(left, off), moved(areas, off)
    ll = layer(left, lid=list(range(len(left))))
    al = layer(areas, rid=list(range(len(areas))))
    for predicate in ("intersects", "within", "contains"):
        for a, b, ga, gb in ((ll, al, left, areas), (al, ll, areas, left)):
            got = lb.sjoin(a, b, predicate=predicate).attributes.select("left_index", "right_index").rows()
            want = geopandas_pairs(ga, gb, predicate)
            if got != want:
                extra = sorted(set(got) - set(want))
                missing = sorted(set(want) - set(got))
                detail = [(i, j, ga[i].wkt, gb[j].wkt) for i, j in (extra + missing)[:3]]
                pytest.fail(f"{predicate}: extra pairs {extra}, missing {missing}; first: {detail}")


@SETTINGS
@given(data=st.data(), areas=st.lists(polygonal(), min_size=1, max_size=4))
def test_sjoin_left_keeps_every_left_feature_once_or_per_match(data, areas: list) -> None:
    left = data.draw(mixed_features(areas))
    ll = layer(left, lid=list(range(len(left))))
    al = layer(areas, rid=list(range(len(areas))))
    inner = lb.sjoin(ll, al).attributes
    outer = lb.sjoin(ll, al, how="left").attributes
    matched = set(inner["lid"].to_list())
    unmatched = [i for i in range(len(left)) if i not in matched]
    assert outer.height == inner.height + len(unmatched)
    assert outer.filter(pl.col("right_index").is_null())["lid"].to_list() == unmatched
    assert outer["lid"].to_list() == sorted(outer["lid"].to_list())


# ---------------------------------------------------------------------------
# overlay_area, overlay, length_within
# ---------------------------------------------------------------------------


@st.composite
def zones_and_areas(draw, max_size: int = 4) -> tuple[list, list]:
    """Zones and areas, some zones cut out of the areas by GEOS (as a flood
    zone clipped to a district is): their new vertices lie on the areas'
    edges to rounding, so the two boundaries run along each other almost,
    but not exactly, collinearly."""
    areas = draw(st.lists(polygonal(), min_size=1, max_size=max_size))
    zones = draw(st.lists(polygonal(), min_size=1, max_size=max_size))
    for _ in range(draw(st.integers(0, 2))):
        a, cutter = draw(st.sampled_from(areas)), draw(polygonal())
        z = a.intersection(cutter) if draw(st.booleans()) else a.difference(cutter)
        z = shapely.from_wkb(shapely.to_wkb(z))
        if z.geom_type in ("Polygon", "MultiPolygon") and z.is_valid and z.area > 1e-6 and no_dust(z):
            zones.insert(draw(st.integers(0, len(zones))), z)
    return zones[:max_size], areas


@SETTINGS
@given(
    za=zones_and_areas(),
    zone_keys=st.lists(st.integers(0, 2), min_size=4, max_size=4),
    area_keys=st.lists(st.sampled_from(["a", "b", "c"]), min_size=4, max_size=4),
    off=offset,
)
def test_overlay_area_equals_shapely_intersection(
    za: tuple[list, list], zone_keys: list, area_keys: list, off: tuple[float, float]
) -> None:
    zones, areas = moved(za[0], off), moved(za[1], off)
    zk, ak = zone_keys[: len(zones)], area_keys[: len(areas)]
    got = lb.overlay_area(layer(zones, z=zk), layer(areas, a=ak), zone_key="z", area_key="a")
    # GEOS's intersection is not always symmetric on such input (a triangle
    # cut out of another by GEOS itself: t ∩ p = 33.2 m², p ∩ t = 0), so
    # the engine may match either order.
    lo: dict = defaultdict(float)
    hi: dict = defaultdict(float)
    for i, z in enumerate(zones):
        for j, a in enumerate(areas):
            one, other = shapely.intersection(z, a).area, shapely.intersection(a, z).area
            lo[(zk[i], ak[j])] += min(one, other)
            hi[(zk[i], ak[j])] += max(one, other)
    totals: dict = defaultdict(float)
    for j, a in enumerate(areas):
        totals[ak[j]] += a.area
    rows = {(z, a): (m, s) for z, a, m, s in got.rows()}
    for key in set(rows) | set(lo):
        m, s = rows.get(key, (0.0, 0.0))
        assert lo[key] - 1e-7 - 1e-9 * lo[key] <= m <= hi[key] + 1e-7 + 1e-9 * hi[key], (
            f"{key}: {m} m², shapely {lo[key]} m² (or {hi[key]})"
        )
        assert close(s, min(m / totals[key[1]], 1.0), abs_=1e-12), f"{key}: share {s}"
    assert all(m > 0 for m, _ in rows.values())
    assert got.select("z", "a").rows() == sorted(rows)


# geo's union (dissolve) rounds to a fixed-point grid: close to 1e-8 of
# the area, not 1e-15.
GRID_REL = 1e-6
# The overlay pieces keep the inputs' own vertices and compute the
# crossings from the inputs' edges; where the inputs are degenerate to
# within a step of i_overlay's grid (spikes and slivers along the other's
# edges, as these strategies make), the grid's own valid answer is kept.
PIECES_REL = 1e-6
# A sliver a grid step wide may be left where GEOS leaves a line (1e-7 m²
# seen for coordinates up to 40).
PIECES_ABS = 1e-6


@SETTINGS
@given(za=zones_and_areas(max_size=3))
def test_overlay_pieces_equal_shapely_intersection(za: tuple[list, list]) -> None:
    zones, areas = za
    pieces = lb.overlay(layer(zones, z=list(range(len(zones)))), layer(areas, a=list(range(len(areas)))))
    attrs = pieces.attributes
    geoms = [shapely.from_wkb(w) for w in pieces.to_polars()["geometry"].to_list()]
    got = {(zi, ai): g for zi, ai, g in zip(attrs["zone_index"], attrs["area_index"], geoms, strict=True)}
    for i, z in enumerate(zones):
        for j, a in enumerate(areas):
            # Either order of GEOS's intersection (see above): the closer one.
            want = min(
                (shapely.intersection(z, a), shapely.intersection(a, z)),
                key=lambda w: abs(w.area - got[(i, j)].area) if (i, j) in got else w.area,
            )
            if (i, j) in got:
                g = got[(i, j)]
                assert g.is_valid, shapely.is_valid_reason(g)
                assert close(g.area, want.area, rel=PIECES_REL, abs_=PIECES_ABS)
                assert shapely.symmetric_difference(g, want).area <= PIECES_REL * want.area + PIECES_ABS
            else:
                assert want.area <= PIECES_ABS, f"pair {(i, j)} missing, shapely gives {want.area} m²"


@st.composite
def lines_along(draw, areas: list) -> list:
    """Random lines, plus pieces of the areas' own boundaries (lines that run along edges)."""
    out = draw(st.lists(line(), min_size=1, max_size=5))
    for a in draw(st.lists(st.sampled_from(areas), max_size=2)):
        ring = np.asarray(shapely.get_coordinates(a.boundary))
        k = draw(st.integers(0, max(0, len(ring) - 3)))
        out.append(LineString(ring[k : k + 3]))
    return out


@SETTINGS
@given(data=st.data(), areas=st.lists(polygonal(), min_size=1, max_size=4), off=offset)
def test_length_within_equals_shapely_intersection(data, areas: list, off: tuple[float, float]) -> None:
    lines = data.draw(lines_along(areas))
    assume(all(ln.length > 0 for ln in lines))
    lines, areas = moved(lines, off), moved(areas, off)
    got = lb.length_within(layer(lines, l=list(range(len(lines)))), layer(areas, a=list(range(len(areas)))), "l", "a")
    rows = {(i, j): m for i, j, m in got.rows()}
    for i, ln in enumerate(lines):
        # Segment by segment: a stretch travelled twice counts twice (GEOS's
        # intersection of the whole line would merge it into one).
        segs = [LineString(s) for part in getattr(ln, "geoms", [ln]) for s in zip(part.coords[:-1], part.coords[1:])]
        for j, a in enumerate(areas):
            got_m = rows.get((i, j), 0.0)
            want = sum(shapely.intersection(s, a).length for s in segs)
            if close(got_m, want, abs_=1e-7):
                continue
            # A line that runs along the boundary to within rounding (through
            # a vertex GEOS computed) is on it for the engine, which treats
            # edges within 1e-12 of the coordinates' size as collinear; GEOS
            # may put it a hair outside. Measure with the area grown by 1e-11.
            eps = 1e-11 * np.abs(shapely.get_coordinates([ln, a])).max()
            grown = sum(shapely.intersection(s, a.buffer(eps)).length for s in segs)
            assert want - 1e-7 <= got_m <= grown + 1e-7, f"line {i} in area {j}: {got_m}, shapely {want} to {grown}"


# ---------------------------------------------------------------------------
# within_distance and nearest
# ---------------------------------------------------------------------------


@SETTINGS
@given(
    lines=st.lists(line(), min_size=1, max_size=5),
    seed=st.integers(0, 2**32 - 1),
    distance=st.one_of(st.integers(0, 10).map(float), st.floats(0, 10)),
    off=offset,
)
def test_within_distance_equals_shapely_distance(lines: list, seed: int, distance: float, off) -> None:
    px, py = probe_points(lines, seed, n=80)
    lines = moved(lines, off)
    px, py = px + off[0], py + off[1]
    got = lb.within_distance(
        pl.DataFrame({"x": px, "y": py}), layer(lines, r=list(range(len(lines)))), distance, key="r"
    )
    pts = shapely.points(px, py)
    d = np.stack([shapely.distance(ln, pts) for ln in lines])  # lines × points
    best = d.min(axis=0)
    for k, (within, dist, r) in enumerate(got.rows()):
        if abs(best[k] - distance) <= 1e-9 * max(1.0, distance):
            continue  # on the limit: either answer is right to rounding
        assert within == (best[k] <= distance), (px[k], py[k], best[k])
        if within:
            assert close(dist, best[k], abs_=1e-9), (px[k], py[k], dist, best[k])
            # The chosen line is a nearest one (ties to the earlier, to rounding).
            assert close(d[r, k], best[k], abs_=1e-9)
            assert all(d[j, k] > best[k] + 1e-9 * max(1.0, best[k]) for j in range(r)) or close(d[r, k], best[k])
        else:
            assert dist is None and r is None


def any_feature() -> st.SearchStrategy:
    return st.one_of(
        st.tuples(coord, coord).map(Point),
        line(),
        polygonal(),
    )


@SETTINGS
@given(
    left=st.lists(any_feature(), min_size=1, max_size=6),
    right=st.lists(any_feature(), min_size=1, max_size=5),
    max_distance=st.one_of(st.none(), st.floats(0, 20)),
    off=offset,
)
def test_nearest_equals_shapely_distance(left: list, right: list, max_distance, off) -> None:
    left, right = moved(left, off), moved(right, off)
    got = lb.nearest(layer(left, i=list(range(len(left)))), layer(right, j=list(range(len(right)))), key="j")
    lim = math.inf if max_distance is None else max_distance
    if max_distance is not None:
        limited = lb.nearest(
            layer(left, i=list(range(len(left)))), layer(right, j=list(range(len(right)))), key="j", max_distance=lim
        )
    for k, g in enumerate(left):
        d = np.array([shapely.distance(g, h) for h in right])
        best = d.min()
        key, idx, dist = got.row(k)
        note(f"left {k}: {g.wkt[:200]}; got {idx} at {dist}; shapely {d.tolist()}")
        assert key == idx
        assert close(dist, best, rel=1e-9, abs_=1e-9), (dist, best)
        assert close(d[idx], best, rel=1e-9, abs_=1e-9)
        # Ties go to the earlier right feature.
        assert not any(d[j] < best - 1e-9 * max(1.0, best) for j in range(len(right)))
        if max_distance is not None and abs(best - lim) > 1e-9 * max(1.0, lim):
            row = limited.row(k)
            assert (row[2] is not None) == (best <= lim), (row, best, lim)


# ---------------------------------------------------------------------------
# buffer and dissolve
# ---------------------------------------------------------------------------


@SETTINGS
@given(
    geom=st.one_of(polygonal(), line(), st.tuples(coord, coord).map(Point)),
    distance=st.one_of(st.floats(0.05, 8), st.floats(-4, -0.05)),
    off=offset,
)
# A spike of no width: out along an edge and back, its return vertex on
# that edge to rounding (geo's polygon buffer alone lost 3 % of the area).
@example(
    geom=shapely.Polygon([(0, 0), (26.5, 1), (1, 0.03773584905660377), (1, 0), (0, 0)]),
    distance=1.0,
    off=(0.0, 0.0),
)
def test_buffer_area_equals_shapely(geom, distance: float, off) -> None:
    if not geom.geom_type.endswith("Polygon"):
        distance = abs(distance)
    (geom,) = moved([geom], off)
    got = lb.buffer(layer([geom], id=[1]), distance, quad_segs=8)
    ours = shapely.from_wkb(got.to_polars()["geometry"][0])
    want = shapely.buffer(geom, distance, quad_segs=8)
    note(f"ours {ours.area}, shapely {want.area}")
    assert ours.is_valid, shapely.is_valid_reason(ours)
    # Polygonal arcs differ where the two place their vertices; at 8
    # segments a quarter, the areas agree to 1e-3 of the area (or of the
    # disc the distance spans, where little is left).
    assert math.isclose(ours.area, want.area, rel_tol=1e-3, abs_tol=1e-3 * distance**2)
    assert shapely.symmetric_difference(ours, want).area <= 2e-3 * max(want.area, distance**2)


@st.composite
def random_walk(draw) -> shapely.LineString:
    """A route as ``benchmarks/make_data.py`` draws them: a walk of 10 to 200
    steps of 5 to 80 m whose heading drifts by a normal step per vertex
    (small for rail, large for local roads), in Stockholm's coordinates.
    Such walks double back, run close beside themselves and cross."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(10, 200))
    noise = draw(st.sampled_from([0.05, 0.3, 1.0]))
    heading = rng.uniform(0, 2 * math.pi) + np.cumsum(rng.normal(0.0, noise, n - 1))
    step = rng.uniform(5, 80, n - 1)
    x = STOCKHOLM[0] + np.concatenate([[0.0], np.cumsum(step * np.cos(heading))])
    y = STOCKHOLM[1] + np.concatenate([[0.0], np.cumsum(step * np.sin(heading))])
    return shapely.LineString(np.c_[x, y])


@SETTINGS
@given(route=random_walk(), distance=st.sampled_from([5.0, 30.0, 70.0, 150.0]))
def test_buffer_of_a_random_walk_is_valid_and_equals_shapely(route: shapely.LineString, distance: float) -> None:
    out = lb.buffer(layer([route], id=[1]), distance, quad_segs=8)
    ours = shapely.from_wkb(out.to_polars()["geometry"][0])
    want = shapely.buffer(route, distance, quad_segs=8)
    note(f"ours {ours.area}, shapely {want.area}")
    assert out.is_valid().to_list() == [True]
    assert ours.is_valid, shapely.is_valid_reason(ours)
    assert math.isclose(ours.area, want.area, rel_tol=1e-4)
    assert shapely.symmetric_difference(ours, want).area <= 1e-4 * want.area


@SETTINGS
@given(
    polys=st.lists(polygonal(), min_size=1, max_size=6),
    groups=st.lists(st.sampled_from(["n", "s", None]), min_size=6, max_size=6),
    off=offset,
)
def test_dissolve_area_equals_shapely_union(polys: list, groups: list, off) -> None:
    polys = moved(polys, off)
    g = groups[: len(polys)]
    out = lb.dissolve(layer(polys, g=g, v=list(range(len(polys)))), by="g", agg={"v": "sum"})
    order = list(dict.fromkeys(x for x in g if x is not None))
    assert out.attributes["g"].to_list() == order
    geoms = [shapely.from_wkb(w) for w in out.to_polars()["geometry"].to_list()]
    for key, ours in zip(order, geoms, strict=True):
        members = [p for p, k in zip(polys, g, strict=True) if k == key]
        want = shapely.union_all(members)
        assert ours.is_valid, shapely.is_valid_reason(ours)
        assert close(ours.area, want.area, rel=GRID_REL, abs_=1e-7), (key, ours.area, want.area)
        assert shapely.symmetric_difference(ours, want).area <= GRID_REL * max(1.0, want.area)
    sums = dict(out.attributes.select("g", "v").rows())
    assert sums == {k: sum(i for i, x in enumerate(g) if x == k) for k in order}


# ---------------------------------------------------------------------------
# Validity: the full OGC check, as GEOS decides it, valid or not
# ---------------------------------------------------------------------------

small = st.integers(0, 6).map(float)


@st.composite
def ring_coords(draw, max_points: int = 7) -> list[tuple[float, float]]:
    """A closed ring of a few grid points: any of them may cross, touch or
    run back along itself and the others."""
    pts = draw(st.lists(st.tuples(small, small), min_size=3, max_size=max_points))
    assume(len(set(pts)) >= 2)
    return [*pts, pts[0]]


@st.composite
def any_polygon(draw) -> shapely.Geometry:
    """A polygon or multipolygon of random rings, valid or not; sometimes a
    valid polygon with holes cut to touch (to reach the connectivity rule)."""
    kind = draw(st.sampled_from(["rings", "rings", "multi", "touching holes"]))
    if kind == "touching holes":
        shell = [(0.0, 0.0), (6.0, 0.0), (6.0, 6.0), (0.0, 6.0), (0.0, 0.0)]
        holes = draw(st.lists(ring_coords(max_points=4), min_size=1, max_size=3))
        return shapely.Polygon(shell, holes)

    def one() -> shapely.Polygon:
        return shapely.Polygon(draw(ring_coords()), draw(st.lists(ring_coords(max_points=4), max_size=2)))

    if kind == "multi":
        return shapely.MultiPolygon([one(), one()])
    return one()


@SETTINGS
@given(polys=st.lists(any_polygon(), min_size=1, max_size=6), off=offset)
def test_validity_equals_geos(polys: list, off: tuple[float, float]) -> None:
    if off != (0.0, 0.0):
        polys = [shapely.affinity.translate(g, *off) for g in polys]
    got = layer(polys).is_valid().to_list()
    want = [bool(shapely.is_valid(g)) for g in polys]
    wrong = [(g.wkt, shapely.is_valid_reason(g)) for g, a, b in zip(polys, got, want, strict=True) if a != b]
    assert not wrong, f"ours differs from GEOS on {wrong[:3]}"
    report = layer(polys).validity_report()
    assert sorted(set(report["feature"].to_list())) == [i for i, v in enumerate(want) if not v]


# ---------------------------------------------------------------------------
# A line in a line: pieces of lines that cross themselves
# ---------------------------------------------------------------------------


@st.composite
def lines_and_pieces(draw) -> list:
    """Lines on a small grid (crossing themselves where no float holds the
    crossing) and pieces of them: runs of vertices, reversed, joined with
    pieces of the other lines, and a vertex nudged off by one unit in the
    last place."""
    lines = draw(st.lists(line(), min_size=1, max_size=3))
    out = list(lines)
    for _ in range(draw(st.integers(1, 5))):
        src = draw(st.sampled_from(lines))
        parts = list(src.geoms) if src.geom_type == "MultiLineString" else [src]
        coords = list(draw(st.sampled_from(parts)).coords)
        i = draw(st.integers(0, len(coords) - 2))
        j = draw(st.integers(i + 1, len(coords) - 1))
        piece = coords[i : j + 1]
        if draw(st.booleans()):
            piece = piece[::-1]
        if draw(st.integers(0, 3)) == 0:
            k = draw(st.integers(0, len(piece) - 1))
            x, y = piece[k]
            piece[k] = (x, float(np.nextafter(y, np.inf)))
        assume(len(set(piece)) >= 2)
        out.append(LineString(piece))
    return out


@SETTINGS
@given(geoms=lines_and_pieces(), off=offset)
def test_line_in_line_equals_geos(geoms: list, off: tuple[float, float]) -> None:
    geoms = moved(geoms, off)
    ll = layer(geoms, i=list(range(len(geoms))))
    for predicate in ("within", "contains"):
        got = lb.sjoin(ll, ll, predicate=predicate).attributes.select("left_index", "right_index").rows()
        want = geopandas_pairs(geoms, geoms, predicate)
        assert got == want, f"{predicate}: extra {sorted(set(got) - set(want))}, missing {sorted(set(want) - set(got))}"
