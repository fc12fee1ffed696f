"""Spatial operations: assign, joins, overlays, distances, buffers, dissolves.

Each function takes :class:`~lagesbild.Layer` objects (and, for points, a
polars DataFrame with coordinate columns: the fast columnar path) and gives
polars results. The work runs in the Rust core on the library's own thread
pool (:func:`set_threads`) without holding the GIL.

Metric operations refuse layers in longitude/latitude, and every operation
on two layers refuses two different CRSs with a :class:`CrsError` naming
both and the fix (``to_crs``). A point DataFrame is taken to be in the other
layer's CRS unless ``crs=`` says otherwise, in which case its coordinates
are transformed first.

Geometries are taken as GEOS takes them: empty parts of a multi-geometry
are ignored, polygons get the full OGC validity check (invalid ones are
refused with an :class:`InvalidGeometryError` naming the feature), and
predicates are decided on the input coordinates. A GeometryCollection is
refused by every operation, naming the layer and the feature: make it one
Polygon, MultiPolygon, MultiLineString or MultiPoint, or one feature per
member.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import polars as pl

from lagesbild import _lagesbild, _wire
from lagesbild._lagesbild import Crs
from lagesbild.exceptions import ColumnNotFoundError, CrsError, InvalidArgumentError
from lagesbild.layer import Layer

__all__ = [
    "area_topology",
    "assign",
    "boundary",
    "buffer",
    "dissolve",
    "grid_hotspots",
    "length_within",
    "nearest",
    "overlay",
    "overlay_area",
    "set_threads",
    "sjoin",
    "threads",
    "within_distance",
]

def set_threads(n: int) -> None:
    """Set how many threads the engine uses; may be called again at any time.

    Without it the count follows the ``RAYON_NUM_THREADS`` environment
    variable, or the number of cores.

    Examples
    --------
    >>> lb.set_threads(1); lb.threads()
    1
    >>> lb.set_threads(2); lb.threads()
    2
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        msg = f"set_threads: the number of threads must be a whole number of at least 1, not {n!r}"
        raise InvalidArgumentError(msg)
    _lagesbild.set_threads(n)


def threads() -> int:
    """The number of threads the engine uses."""
    return _lagesbild.threads()


def _need_layer(value: object, arg: str, fn: str) -> Layer:
    if not isinstance(value, Layer):
        msg = f"{fn}: {arg} must be a lagesbild.Layer, not {type(value).__name__}"
        raise TypeError(msg)
    return value


def _points(
    points: Layer | pl.DataFrame,
    x: str,
    y: str,
    crs: int | str | Crs | None,
    other: Layer,
    fn: str,
    arg: str = "points must be a lagesbild.Layer of points",
) -> _lagesbild.Layer | tuple[np.ndarray, np.ndarray]:
    """The points for the core.

    A point layer's native half, or float64 coordinate arrays of a
    DataFrame in ``other``'s CRS (transformed from ``crs`` when that
    differs). The core checks a layer's CRS. ``arg`` says what else the
    argument may be, for the message.
    """
    if isinstance(points, Layer):
        if crs is not None:
            msg = f"{fn}: crs= is for a DataFrame of coordinates; a Layer knows its CRS (use to_crs)"
            raise InvalidArgumentError(msg)
        return points._inner
    if not isinstance(points, pl.DataFrame):
        msg = (
            f"{fn}: {arg} or a polars DataFrame with coordinate columns, "
            f"not {type(points).__name__}"
        )
        raise TypeError(msg)
    arrays = []
    for col in (x, y):
        if col not in points.columns:
            msg = (
                f"{fn}: the points have no column {col!r} (columns: {', '.join(points.columns)}); "
                "name the coordinate columns with x= and y="
            )
            raise ColumnNotFoundError(msg, column=col)
        s = points.get_column(col)
        if not s.dtype.is_numeric():
            msg = f"{fn}: column {col!r} holds {s.dtype}, not numbers"
            raise InvalidArgumentError(msg, column=col)
        arrays.append(_wire.coords(s))
    return _in_crs_of(other, arrays[0], arrays[1], crs)


def _in_crs_of(
    other: Layer, xs: np.ndarray, ys: np.ndarray, crs: int | str | Crs | None
) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates in ``other``'s CRS: transformed from ``crs`` when that differs."""
    if crs is not None and Crs(crs) != other.crs:
        bx, by = _lagesbild.transform_xy(xs, ys, Crs(crs), other.crs)
        xs, ys = _wire.f64(bx), _wire.f64(by)
    return xs, ys


def _key_values(layer: Layer, key: str, fn: str) -> pl.Series:
    if key not in layer.columns:
        msg = f"{fn}: {layer.name} has no column {key!r} (columns: {', '.join(layer.columns)})"
        raise ColumnNotFoundError(msg, column=key)
    return layer[key]


def _as_enum(values: pl.Series) -> pl.Series:
    if values.dtype in (pl.String, pl.Categorical):
        cats = values.cast(pl.String).drop_nulls().unique(maintain_order=True)
        values = values.cast(pl.String).cast(pl.Enum(cats.to_list()))
    return values


def _by_rows(values: pl.Series, rows: pl.Series, name: str) -> pl.Series:
    """``values`` at ``rows`` (null rows give null), a text key as an Enum."""
    return _as_enum(values).gather(rows).alias(name)


def _by_padded_rows(values: pl.Series, rows: np.ndarray, name: str) -> pl.Series:
    """``values`` at row positions where ``len(values)`` means none.

    One gather from the values with a null appended, no null mask built.
    """
    values = _as_enum(values)
    idx = pl.Series(name, rows, dtype=pl.UInt32)
    if (
        isinstance(values.dtype, pl.Enum)
        and hasattr(idx, "cat")
        and hasattr(idx.cat, "to")
        and values.null_count() == 0
        and values.n_unique() == len(values)
    ):
        # Every area its own key: a row is its key's code in the Enum, so the
        # rows become the Enum as they are (one pass, no gather); the row
        # for none is no category and comes out null.
        return idx.cat.to(values.dtype, strict=False)
    padded = values.extend(pl.Series([None], dtype=values.dtype))
    return padded.gather(idx).alias(name)


def assign(
    points: Layer | pl.DataFrame,
    areas: Layer,
    key: str = "name",
    *,
    x: str = "x",
    y: str = "y",
    crs: int | str | Crs | None = None,
) -> pl.Series:
    """The area each point lies in, one value per point in input order.

    Parameters
    ----------
    points
        A layer of points, or a polars DataFrame with coordinate columns
        ``x`` and ``y`` (the fast path: no geometry objects are made),
        taken to be in the areas' CRS unless ``crs`` says otherwise.
    areas
        A layer of polygons.
    key
        The areas' column whose value each point gets.
    x, y, crs
        The coordinate columns and CRS of a point DataFrame.

    Returns
    -------
    polars.Series
        Named ``key``; null for a point outside every area (or with a null
        coordinate). A text key comes back as a polars ``Enum`` of the
        areas' key values (four bytes a point), another key in its own dtype.

    Notes
    -----
    A point goes to the **first area, in the layer's order, whose closed
    region (interior or boundary) contains it**. So a point on a boundary
    two areas share, or inside two overlapping areas, is counted exactly
    once, and the counts per area add up to the number of points in the
    union of the areas (geopandas' ``within`` counts boundary points in no
    area, ``intersects`` in both). Invalid area polygons are refused with
    the feature named.

    Examples
    --------
    >>> import shapely
    >>> areas = lb.Layer.from_polars(pl.DataFrame({
    ...     "name": ["west", "east"],
    ...     "geometry": [shapely.to_wkb(shapely.box(0, 0, 10, 10)),
    ...                  shapely.to_wkb(shapely.box(10, 0, 20, 10))]}), crs=3011)
    >>> pts = pl.DataFrame({"x": [5.0, 10.0, 15.0, 25.0], "y": [5.0, 5.0, 5.0, 5.0]})
    >>> lb.assign(pts, areas, key="name").to_list()
    ['west', 'west', 'east', None]
    """
    _need_layer(areas, "areas", "assign")
    values = _key_values(areas, key, "assign")
    pts = _points(points, x, y, crs, areas, "assign")
    rows = _wire.u32(_lagesbild.assign(pts, areas._inner, none_as=len(values)))
    return _by_padded_rows(values, rows, key)


def _joined_attributes(
    left: Layer, right: Layer, li: pl.Series, ri: pl.Series, names: tuple[str, str]
) -> pl.DataFrame:
    """Both attribute sets at the row positions ``li`` and ``ri``.

    Null rows give nulls; clashing names are suffixed ``_left``/``_right``;
    then the row positions as Int64 columns named ``names``.
    """
    lattrs, rattrs = left._attrs, right._attrs
    clash = (set(lattrs.columns) & set(rattrs.columns)) | (set(names) & (set(lattrs.columns) | set(rattrs.columns)))
    lattrs = lattrs.rename({c: f"{c}_left" for c in lattrs.columns if c in clash})
    rattrs = rattrs.rename({c: f"{c}_right" for c in rattrs.columns if c in clash})
    return pl.concat(
        [
            lattrs.select(pl.all().gather(li)) if lattrs.width else pl.DataFrame(),
            rattrs.select(pl.all().gather(ri)) if rattrs.width else pl.DataFrame(),
            pl.DataFrame([li.cast(pl.Int64).alias(names[0]), ri.cast(pl.Int64).alias(names[1])]),
        ],
        how="horizontal",
    )


def sjoin(
    left: Layer,
    right: Layer,
    how: Literal["inner", "left"] = "inner",
    predicate: Literal["intersects", "within", "contains"] = "intersects",
) -> Layer:
    """Join the attributes of ``right`` to ``left`` where their geometries match.

    Which pairs match follows geopandas' ``sjoin``: ``intersects`` (any
    common point, boundaries included), ``within`` (left inside right, not
    merely on its boundary), ``contains`` (right inside left).

    Returns
    -------
    Layer
        One feature per matching pair (sorted by left row, then right row),
        with the left geometry, both attribute sets (clashing names get
        ``_left``/``_right`` suffixes) and the row positions
        ``left_index``/``right_index``. With ``how="left"`` a left feature
        without a match is kept once, with nulls on the right.

    Examples
    --------
    >>> import shapely
    >>> areas = lb.Layer.from_polars(pl.DataFrame({"name": ["a"],
    ...     "geometry": [shapely.to_wkb(shapely.box(0, 0, 10, 10))]}), crs=3011)
    >>> pts = lb.Layer.from_polars(pl.DataFrame({"id": [1, 2],
    ...     "geometry": [shapely.to_wkb(shapely.Point(5, 5)), shapely.to_wkb(shapely.Point(50, 5))]}), crs=3011)
    >>> joined = lb.sjoin(pts, areas, how="left")
    >>> joined.columns
    ['id', 'name', 'left_index', 'right_index']
    >>> joined.attributes.rows()
    [(1, 'a', 0, 0), (2, None, 1, None)]
    """
    _need_layer(left, "left", "sjoin")
    _need_layer(right, "right", "sjoin")
    if how not in ("inner", "left"):
        msg = f'sjoin: how must be "inner" or "left", not {how!r}'
        raise InvalidArgumentError(msg)
    bl, br = _lagesbild.sjoin(left._inner, right._inner, predicate)
    li = pl.Series("left_index", _wire.u32(bl), dtype=pl.UInt32)
    ri = pl.Series("right_index", _wire.u32(br), dtype=pl.UInt32)
    if how == "left":
        pairs = pl.DataFrame([li, ri])
        everyone = pl.DataFrame({"left_index": pl.arange(0, len(left), eager=True, dtype=pl.UInt32)})
        pairs = everyone.join(pairs, on="left_index", how="left", maintain_order="left")
        li, ri = pairs["left_index"], pairs["right_index"]
    attrs = _joined_attributes(left, right, li, ri, ("left_index", "right_index"))
    return Layer(left._inner.take(_wire.rows(li, len(left), "sjoin")), attrs)


def _pair_frame(
    a_values: pl.Series, b_values: pl.Series, rows_a: np.ndarray, rows_b: np.ndarray, measure: np.ndarray, name: str
) -> pl.DataFrame:
    if a_values.name == b_values.name:
        msg = (
            f"the two key columns are both called {a_values.name!r}; "
            "rename one (for example with Layer.with_attributes)"
        )
        raise InvalidArgumentError(msg, column=a_values.name)
    df = pl.DataFrame(
        {
            a_values.name: a_values.gather(pl.Series(rows_a, dtype=pl.UInt32)),
            b_values.name: b_values.gather(pl.Series(rows_b, dtype=pl.UInt32)),
            name: pl.Series(measure, dtype=pl.Float64),
        }
    )
    return (
        df.group_by([a_values.name, b_values.name], maintain_order=True)
        .agg(pl.col(name).sum())
        .sort([a_values.name, b_values.name], nulls_last=True, maintain_order=True)
    )


def overlay_area(zones: Layer, areas: Layer, zone_key: str, area_key: str) -> pl.DataFrame:
    """The area each zone covers in each area, in square metres.

    Returns
    -------
    polars.DataFrame
        ``[zone_key, area_key, "area_m2", "share"]``: one row per (zone key
        value, area key value) with a positive intersection, summed over the
        features that share a key value, sorted by the keys; ``share`` is the
        part of that area (all its features) the zone covers, 0–1.

    Notes
    -----
    Computed from the two boundaries (Green's theorem) without building the
    intersection polygons; equal to the area of geopandas' ``overlay`` to
    rounding. Zones that overlap each other count their common part in each.

    Examples
    --------
    >>> import shapely
    >>> def layer(col, names, boxes):
    ...     return lb.Layer.from_polars(pl.DataFrame({col: names,
    ...         "geometry": [shapely.to_wkb(shapely.box(*b)) for b in boxes]}), crs=3006)
    >>> zones = layer("level", [1.5], [(0, 0, 15, 10)])
    >>> areas = layer("name", ["a", "b"], [(0, 0, 10, 10), (10, 0, 20, 10)])
    >>> lb.overlay_area(zones, areas, zone_key="level", area_key="name").rows()
    [(1.5, 'a', 100.0, 1.0), (1.5, 'b', 50.0, 0.5)]
    """
    _need_layer(zones, "zones", "overlay_area")
    _need_layer(areas, "areas", "overlay_area")
    zv = _key_values(zones, zone_key, "overlay_area")
    av = _key_values(areas, area_key, "overlay_area")
    bz, ba, bm = _lagesbild.overlay_area(zones._inner, areas._inner)
    df = _pair_frame(zv, av, _wire.u32(bz), _wire.u32(ba), _wire.f64(bm), "area_m2")
    totals = (
        pl.DataFrame({area_key: av, "_total": areas.area()})
        .group_by(area_key, maintain_order=True)
        .agg(pl.col("_total").sum())
    )
    return (
        df.join(totals, on=area_key, how="left", maintain_order="left", nulls_equal=True)
        .with_columns((pl.col("area_m2") / pl.col("_total")).clip(0.0, 1.0).alias("share"))
        .drop("_total")
    )


def overlay(zones: Layer, areas: Layer) -> Layer:
    """The pieces two polygon layers cut each other into, for maps.

    One feature per (zone, area) pair with a positive common area: the
    intersection polygon with both attribute sets (clashing names get
    ``_left``/``_right`` suffixes) and ``zone_index``/``area_index``.
    Pairs that only touch (along an edge or at a point) give no feature,
    as in geopandas' ``overlay(how="intersection", keep_geom_type=True)``.
    Each polygon's vertices are the inputs' own or the crossings of their
    edges, so its area equals :func:`overlay_area`'s to rounding.

    Examples
    --------
    >>> import shapely
    >>> def layer(col, names, boxes):
    ...     return lb.Layer.from_polars(pl.DataFrame({col: names,
    ...         "geometry": [shapely.to_wkb(shapely.box(*b)) for b in boxes]}), crs=3006)
    >>> z = layer("level", [1.5], [(0, 0, 15, 10)])
    >>> a = layer("name", ["a", "b"], [(0, 0, 10, 10), (10, 0, 20, 10)])
    >>> pieces = lb.overlay(z, a)
    >>> pieces["name"].to_list(), pieces.area().to_list()
    (['a', 'b'], [100.0, 50.0])
    """
    _need_layer(zones, "zones", "overlay")
    _need_layer(areas, "areas", "overlay")
    inner, bz, ba = _lagesbild.overlay(zones._inner, areas._inner)
    zi = pl.Series("zone_index", _wire.u32(bz), dtype=pl.UInt32)
    ai = pl.Series("area_index", _wire.u32(ba), dtype=pl.UInt32)
    return Layer(inner, _joined_attributes(zones, areas, zi, ai, ("zone_index", "area_index")))


def within_distance(
    points: Layer | pl.DataFrame,
    lines: Layer,
    distance: float,
    key: str,
    *,
    x: str = "x",
    y: str = "y",
    crs: int | str | Crs | None = None,
) -> pl.DataFrame:
    """Which points lie within ``distance`` metres of a line, and of which.

    Returns
    -------
    polars.DataFrame
        One row per point in input order: ``within`` (bool), ``distance_m``
        to the nearest line and that line's ``key``, both null beyond
        ``distance`` (the search stays bounded). Ties go to the earlier line.

    Examples
    --------
    >>> import shapely
    >>> routes = lb.Layer.from_polars(pl.DataFrame({"route": ["E4"],
    ...     "geometry": [shapely.to_wkb(shapely.LineString([(0, 0), (1000, 0)]))]}), crs=3011)
    >>> pts = pl.DataFrame({"x": [500.0, 500.0], "y": [100.0, 400.0]})
    >>> lb.within_distance(pts, routes, 150, key="route").rows()
    [(True, 100.0, 'E4'), (False, None, None)]
    """
    _need_layer(lines, "lines", "within_distance")
    values = _key_values(lines, key, "within_distance")
    pts = _points(points, x, y, crs, lines, "within_distance")
    bl, bd = _lagesbild.within_distance(pts, lines._inner, float(distance))
    rows = _wire.row_series("row", bl)
    dist = _wire.f64_series("distance_m", bd)
    return pl.DataFrame({"within": rows.is_not_null(), "distance_m": dist, key: _by_rows(values, rows, key)})


def nearest(
    left: Layer | pl.DataFrame,
    right: Layer,
    key: str,
    max_distance: float | None = None,
    *,
    x: str = "x",
    y: str = "y",
    crs: int | str | Crs | None = None,
) -> pl.DataFrame:
    """The nearest ``right`` feature of each ``left`` feature, any geometry types.

    Parameters
    ----------
    left
        A layer of any geometry types, or a polars DataFrame of points with
        coordinate columns ``x`` and ``y`` (the fast path: no geometry
        objects are made), taken to be in ``right``'s CRS unless ``crs``
        says otherwise.
    right
        The layer searched.
    key
        The ``right`` column whose value each left feature gets.
    max_distance
        Metres; farther features give nulls.
    x, y, crs
        The coordinate columns and CRS of a point DataFrame.

    Returns
    -------
    polars.DataFrame
        One row per left feature in order: the nearest right feature's
        ``key``, ``right_index`` and ``distance_m`` (0 where they touch or
        overlap; ties go to the earlier right feature). With
        ``max_distance``, farther features give nulls, and so does a point
        with a null or non-finite coordinate.

    Examples
    --------
    >>> import shapely
    >>> routes = lb.Layer.from_polars(pl.DataFrame({"route": ["E4", "E18"],
    ...     "geometry": [shapely.to_wkb(shapely.LineString([(0, 0), (1000, 0)])),
    ...                  shapely.to_wkb(shapely.LineString([(0, 500), (1000, 500)]))]}), crs=3011)
    >>> sites = lb.Layer.from_polars(pl.DataFrame({"geometry": [shapely.to_wkb(shapely.Point(10, 400))]}), crs=3011)
    >>> lb.nearest(sites, routes, key="route").rows()
    [('E18', 1, 100.0)]

    Points as coordinate columns:

    >>> pts = pl.DataFrame({"x": [10.0, 10.0], "y": [400.0, 100.0]})
    >>> lb.nearest(pts, routes, key="route", max_distance=150).rows()
    [('E18', 1, 100.0), ('E4', 0, 100.0)]
    """
    _need_layer(right, "right", "nearest")
    values = _key_values(right, key, "nearest")
    pts = _points(left, x, y, crs, right, "nearest", "left must be a lagesbild.Layer")
    br, bd = _lagesbild.nearest(pts, right._inner, None if max_distance is None else float(max_distance))
    rows = _wire.row_series("right_index", br)
    return pl.DataFrame(
        {
            key: _by_rows(values, rows, key),
            "right_index": rows.cast(pl.Int64),
            "distance_m": _wire.f64_series("distance_m", bd),
        }
    )


def length_within(lines: Layer, areas: Layer, line_key: str, area_key: str) -> pl.DataFrame:
    """The length of lines within each area, in metres.

    Returns
    -------
    polars.DataFrame
        ``[line_key, area_key, "length_m"]``: one row per (line key value,
        area key value) with a positive length, summed over the features
        that share a key value. A stretch of line on an area's boundary
        counts in that area, as in geopandas' intersection; a stretch the
        line travels twice counts twice (its length, where geopandas'
        intersection would merge the two into one).

    Examples
    --------
    >>> import shapely
    >>> routes = lb.Layer.from_polars(pl.DataFrame({"klass": ["primär"],
    ...     "geometry": [shapely.to_wkb(shapely.LineString([(-5, 5), (15, 5)]))]}), crs=3011)
    >>> areas = lb.Layer.from_polars(pl.DataFrame({"name": ["a", "b"],
    ...     "geometry": [shapely.to_wkb(shapely.box(0, 0, 10, 10)),
    ...                  shapely.to_wkb(shapely.box(10, 0, 20, 10))]}), crs=3011)
    >>> lb.length_within(routes, areas, line_key="klass", area_key="name").rows()
    [('primär', 'a', 10.0), ('primär', 'b', 5.0)]
    """
    _need_layer(lines, "lines", "length_within")
    _need_layer(areas, "areas", "length_within")
    lv = _key_values(lines, line_key, "length_within")
    av = _key_values(areas, area_key, "length_within")
    bl, ba, bm = _lagesbild.length_within(lines._inner, areas._inner)
    return _pair_frame(lv, av, _wire.u32(bl), _wire.u32(ba), _wire.f64(bm), "length_m")


def buffer(layer: Layer, distance: float, quad_segs: int = 8) -> Layer:
    """Each feature grown by ``distance`` metres.

    Shrunk, for a negative distance and polygons, with round joins and caps
    of ``quad_segs`` segments per quarter circle, as GEOS does by default. Invalid polygons
    (self-intersections, bow-ties) are refused with the feature named: their
    buffer would be a guess. A spike of no width on a polygon (its boundary
    going out and back along itself, narrower than a hundred-millionth of
    the polygon's extent) is buffered as the line it is.

    Examples
    --------
    >>> import shapely, math
    >>> pt = lb.Layer.from_polars(pl.DataFrame({"geometry": [shapely.to_wkb(shapely.Point(0, 0))]}), crs=3006)
    >>> a = lb.buffer(pt, 100).area()[0]
    >>> abs(a - math.pi * 100**2) / a < 0.01
    True
    """
    _need_layer(layer, "layer", "buffer")
    if isinstance(quad_segs, bool) or not isinstance(quad_segs, int):
        msg = f"buffer: quad_segs must be a whole number, not {quad_segs!r}"
        raise InvalidArgumentError(msg)
    return Layer(_lagesbild.buffer(layer._inner, float(distance), quad_segs), layer._attrs)


def boundary(layer: Layer) -> Layer:
    """The boundary of each feature, as GEOS defines it; the attributes are kept.

    A polygon's rings (its exterior and holes) as a MultiLineString; an
    open line's end points as a MultiPoint (a closed line has none); a
    point's boundary is empty.

    Examples
    --------
    >>> import shapely
    >>> square = shapely.to_wkb(shapely.box(0, 0, 10, 10))
    >>> sq = lb.Layer.from_polars(pl.DataFrame({"n": [1], "geometry": [square]}), crs=3011)
    >>> b = lb.boundary(sq)
    >>> b.geom_types, b.length().to_list(), b.columns
    ({'MultiLineString'}, [40.0], ['n'])
    """
    _need_layer(layer, "layer", "boundary")
    return Layer(_lagesbild.boundary(layer._inner), layer._attrs)


_AGGS = {
    "sum": lambda c: pl.col(c).sum(),
    "mean": lambda c: pl.col(c).mean(),
    "min": lambda c: pl.col(c).min(),
    "max": lambda c: pl.col(c).max(),
    "first": lambda c: pl.col(c).first(),
    "last": lambda c: pl.col(c).last(),
    "count": lambda c: pl.col(c).count(),
    "n_unique": lambda c: pl.col(c).n_unique(),
}


def dissolve(layer: Layer, by: str | Sequence[str], agg: dict[str, str] | None = None) -> Layer:
    """The union of the geometries per value of ``by``.

    Other columns are dropped unless ``agg`` names them with one of
    ``"sum"``, ``"mean"``, ``"min"``, ``"max"``, ``"first"``, ``"last"``,
    ``"count"``, ``"n_unique"``. Groups come in the order their first
    feature appears; rows with a null ``by`` value are dropped, as in
    geopandas. Invalid polygons in a group are refused with the feature
    named, as their union would be a guess.

    Examples
    --------
    >>> import shapely
    >>> sd = lb.Layer.from_polars(pl.DataFrame({"sdo": ["N", "N", "S"], "inv": [10, 20, 5],
    ...     "geometry": [shapely.to_wkb(shapely.box(i, 0, i + 1, 1)) for i in range(3)]}), crs=3011)
    >>> out = lb.dissolve(sd, by="sdo", agg={"inv": "sum"})
    >>> out.attributes.rows(), out.area().to_list()
    ([('N', 30), ('S', 5)], [2.0, 1.0])
    """
    _need_layer(layer, "layer", "dissolve")
    keys = [by] if isinstance(by, str) else list(by)
    attrs = layer._attrs
    for k in keys + list(agg or {}):
        if k not in attrs.columns:
            msg = f"dissolve: {layer.name} has no column {k!r} (columns: {', '.join(attrs.columns)})"
            raise ColumnNotFoundError(msg, column=k)
    exprs = [pl.col("__row").alias("__rows")]
    for col, how in (agg or {}).items():
        if how not in _AGGS:
            msg = f"dissolve: unknown aggregation {how!r} for column {col!r}; use one of {', '.join(_AGGS)}"
            raise InvalidArgumentError(msg, column=col)
        exprs.append(_AGGS[how](col).alias(col))
    grouped = (
        attrs.with_row_index("__row")
        .drop_nulls(keys)
        .group_by(keys, maintain_order=True)
        .agg(exprs)
    )
    groups = [list(map(int, g)) for g in grouped["__rows"].to_list()]
    inner = _lagesbild.dissolve(layer._inner, groups)
    return Layer(inner, grouped.drop("__rows"))


#: The study areas of the last few (areas, water, cell) asked: they depend on
#: the polygons alone (never changed once made), and locating the grid's
#: cell centres in a large water layer costs more than counting millions
#: of points. The layers are held, so their ids cannot be reused.
_STUDY_AREAS: dict[tuple[int, int | None, float], tuple[object, object, tuple, bytes]] = {}


def _study_area(areas: Layer, water: Layer | None, cell: float) -> tuple[tuple, bytes]:
    key = (id(areas._inner), None if water is None else id(water._inner), cell)
    if key not in _STUDY_AREAS:
        grid, study = _lagesbild.hotspot_grid(areas._inner, cell, None if water is None else water._inner)
        while len(_STUDY_AREAS) >= 8:
            _STUDY_AREAS.pop(next(iter(_STUDY_AREAS)))
        _STUDY_AREAS[key] = (areas._inner, None if water is None else water._inner, grid, study)
    _, _, grid, study = _STUDY_AREAS[key]
    return grid, study


def grid_hotspots(
    points: Layer | pl.DataFrame,
    areas: Layer,
    cell: float = 100.0,
    *,
    water: Layer | None = None,
    x: str = "x",
    y: str = "y",
    crs: int | str | Crs | None = None,
) -> Layer:
    """Points counted on a grid of square cells, and the Getis–Ord Gi* of each cell.

    The study area is the cells whose centre lies in one of ``areas`` and
    in none of ``water``: cells in the water or outside the city are left
    out (counted as zeros they would make all land look hot). Gi* uses
    binary queen-contiguity weights that include the cell itself, over
    study cells only, and equals ``esda.G_Local(counts, w, transform="B",
    star=True).Zs``; ``p`` is two-sided from the normal approximation and
    ``q`` is ``p`` adjusted by the Benjamini–Hochberg procedure over all
    study cells (control of the false discovery rate). The grid and its
    study cells depend on the polygons alone and are kept for the next call
    with the same layers and cell size.

    Parameters
    ----------
    points
        A layer of points, or a polars DataFrame with coordinate columns
        ``x`` and ``y`` (in the areas' CRS unless ``crs`` says otherwise).
    areas
        Polygons of the city (the land, or land and water).
    cell
        The side of a cell in metres. Cell edges lie on multiples of it in
        the areas' CRS.
    water
        Polygons of water, whose cells are not part of the study area.

    Returns
    -------
    Layer
        One square per study cell, in grid order (row by row from the
        south-west), with ``cell`` (its number in the grid), ``x``, ``y``
        (its centre, metres), ``count`` (points in it), ``z`` (Gi*; null
        where the variance is zero), ``p`` and ``q``.

    Examples
    --------
    A square kilometre of land in 100 m cells, a point in each and 200 more
    in the south-west corner:

    >>> import shapely
    >>> square = pl.DataFrame({"geometry": [shapely.to_wkb(shapely.box(0, 0, 1000, 1000))]})
    >>> land = lb.Layer.from_polars(square, crs=3011)
    >>> xs = [50.0] * 200 + [50.0 + 100 * (i % 10) for i in range(100)]
    >>> ys = [50.0] * 200 + [50.0 + 100 * (i // 10) for i in range(100)]
    >>> cells = lb.grid_hotspots(pl.DataFrame({"x": xs, "y": ys}), land, 100)
    >>> len(cells), cells["count"][0], round(cells["z"][0], 2), cells["q"][0] < 0.01
    (100, 201, 4.9, True)
    """
    _need_layer(areas, "areas", "grid_hotspots")
    if water is not None:
        _need_layer(water, "water", "grid_hotspots")
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        msg = f"grid_hotspots: cell must be a number of metres, not {cell!r}"
        raise InvalidArgumentError(msg)
    if isinstance(points, Layer) and points.crs != areas.crs:
        msg = (
            f"grid_hotspots: the points ({points.name}) are in {points.crs} and the areas ({areas.name}) in "
            f"{areas.crs}; bring the points to the areas' CRS first, e.g. points.to_crs({areas.crs.epsg})"
        )
        raise CrsError(msg)
    pts = _points(points, x, y, crs, areas, "grid_hotspots")
    grid, study = _study_area(areas, water, float(cell))
    inner, bc, bn, bz, bp, bq = _lagesbild.grid_hotspots(pts, grid, study, areas.crs)
    x0, y0, size, nx, _ = grid
    cells = _wire.u32(bc).astype(np.int64)
    attrs = pl.DataFrame(
        {
            "cell": cells,
            "x": x0 + (cells % nx + 0.5) * size,
            "y": y0 + (cells // nx + 0.5) * size,
            "count": pl.Series(_wire.u32(bn), dtype=pl.UInt32).cast(pl.Int64),
            "z": _wire.f64_series("z", bz),
            "p": _wire.f64(bp),
            "q": _wire.f64(bq),
        }
    )
    return Layer(inner, attrs)


def area_topology(layer: Layer, min_area_m2: float = 1e-9) -> pl.DataFrame:
    """Overlaps between the areas of a layer, and the gaps they leave.

    An *overlap* is ground shared by two features; a *gap* is a hole in the
    union of all features (ground enclosed by the areas but covered by none
    of them). Candidate pairs come from an R-tree of bounding boxes; areas
    are computed in the Rust core with ``geo``'s boolean operations.

    Parameters
    ----------
    layer
        Polygons or multipolygons in a projected CRS.
    min_area_m2
        Pieces of at most this many square metres are left out as numerical
        noise.

    Returns
    -------
    polars.DataFrame
        One row per overlap (sorted by the pair) then per gap (largest
        first): ``kind`` (``"overlap"`` or ``"gap"``), ``features`` (row
        positions of the two overlapping features, or of the features around
        the gap), ``area_m2`` (square metres, in the layer's CRS), ``x``,
        ``y`` (a point inside it).

    Raises
    ------
    CrsError
        If the layer is in longitude/latitude.
    InvalidGeometryError
        If a feature is not a polygon (names the feature).

    Examples
    --------
    >>> import shapely
    >>> boxes = [shapely.box(0, 0, 10, 10), shapely.box(9, 0, 20, 10), shapely.box(0, 10, 20, 20)]
    >>> df = pl.DataFrame({"geometry": [shapely.to_wkb(b) for b in boxes]})
    >>> lb.area_topology(lb.Layer.from_polars(df, crs=3011))
    shape: (1, 5)
    ┌─────────┬───────────┬─────────┬─────┬─────┐
    │ kind    ┆ features  ┆ area_m2 ┆ x   ┆ y   │
    │ ---     ┆ ---       ┆ ---     ┆ --- ┆ --- │
    │ str     ┆ list[i64] ┆ f64     ┆ f64 ┆ f64 │
    ╞═════════╪═══════════╪═════════╪═════╪═════╡
    │ overlap ┆ [0, 1]    ┆ 10.0    ┆ 9.5 ┆ 5.0 │
    └─────────┴───────────┴─────────┴─────┴─────┘
    """
    overlaps, gaps = _lagesbild.area_topology(layer._inner, min_area_m2)
    rows = [("overlap", [a, b], area, x, y) for a, b, area, x, y in overlaps]
    rows += [("gap", list(nb), area, x, y) for area, x, y, nb in gaps]
    return pl.DataFrame(
        rows,
        schema={
            "kind": pl.String,
            "features": pl.List(pl.Int64),
            "area_m2": pl.Float64,
            "x": pl.Float64,
            "y": pl.Float64,
        },
        orient="row",
    )
