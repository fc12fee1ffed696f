"""The point operations over a Dask DataFrame of points, beyond one machine.

:func:`assign`, :func:`within_distance` and :func:`nearest` take a
``dask.dataframe.DataFrame`` of points (coordinate columns ``x`` and ``y``,
for example from ``dask.dataframe.read_parquet`` over a partitioned Parquet
or GeoParquet dataset) and give Dask objects, lazily, one partition for each
partition of the points, with the points' index. The areas, lines or
features searched go to the workers once per call as one task of the graph
(a pickled :class:`~lagesbild.Layer`: geometries as WKB, the key column),
not once per partition; each partition's coordinates go to the Rust core
as float64 arrays, read in place where they already are.

The answers are the single-machine functions' answers, value for value,
in pandas: a text key comes back as a pandas ``Categorical`` whose
categories are the key values in layer order (the counterpart of the polars
``Enum`` of :func:`lagesbild.assign`), so ``.value_counts()`` and
``.groupby()`` go on in Dask; another key keeps its type as a pandas Arrow
dtype, nulls as nulls.

Needs Dask: ``pip install 'lagesbild[dask]'`` (``dask[dataframe]`` and
``distributed``). The functions work on any Dask scheduler: the local
threads by default, or a cluster after ``distributed.Client("tcp://…:8786")``.

Examples
--------
>>> import dask.dataframe as dd, pandas as pd, shapely
>>> import lagesbild.dask as lbd
>>> areas = lb.Layer.from_polars(pl.DataFrame({
...     "name": ["west", "east"],
...     "geometry": [shapely.to_wkb(shapely.box(0, 0, 10, 10)),
...                  shapely.to_wkb(shapely.box(10, 0, 20, 10))]}), crs=3011)
>>> points = dd.from_pandas(pd.DataFrame({"x": [5.0, 10.0, 15.0, 25.0], "y": [5.0] * 4}), npartitions=2)
>>> name = lbd.assign(points, areas, key="name")
>>> name.compute().tolist()
['west', 'west', 'east', nan]
>>> name.value_counts().compute().sort_index().to_dict()
{'west': 2, 'east': 1}
"""

from __future__ import annotations

import pickle
from typing import Any

try:
    import dask
    import dask.dataframe as dd
    import pandas as pd
    from dask.base import tokenize
except ImportError as e:  # pragma: no cover - exercised in a child process without Dask
    msg = (
        "lagesbild.dask needs Dask and pandas: install the extra with "
        "pip install 'lagesbild[dask]' (dask[dataframe] and distributed)"
    )
    raise ImportError(msg, name=getattr(e, "name", None)) from e

import numpy as np
import polars as pl

from lagesbild import _lagesbild, _wire
from lagesbild._lagesbild import Crs
from lagesbild.engine import _as_enum, _in_crs_of, _key_values, _need_layer
from lagesbild.exceptions import ColumnNotFoundError, InvalidArgumentError
from lagesbild.layer import Layer

__all__ = ["assign", "nearest", "within_distance"]


def assign(
    points: dd.DataFrame,
    areas: Layer,
    key: str = "name",
    *,
    x: str = "x",
    y: str = "y",
    crs: int | str | Crs | None = None,
) -> dd.Series:
    """The area each point lies in, for a Dask DataFrame of points.

    :func:`lagesbild.assign` partition by partition, with ``areas``
    sent to the workers once.

    Parameters
    ----------
    points
        A ``dask.dataframe.DataFrame`` with coordinate columns ``x`` and
        ``y`` (any numeric dtype; nulls are points nowhere), taken to be in
        the areas' CRS unless ``crs`` says otherwise.
    areas
        A layer of polygons.
    key
        The areas' column whose value each point gets.
    x, y, crs
        The coordinate columns and their CRS.

    Returns
    -------
    dask.dataframe.Series
        Named ``key``, with the points' index and partitions; null (NaN)
        for a point outside every area or with a null coordinate. A text
        key is a pandas ``Categorical`` of the areas' key values in layer
        order; another key keeps its type (a pandas Arrow dtype).

    Raises
    ------
    ColumnNotFoundError
        If ``key`` is not a column of ``areas``, or ``x``/``y`` not one of
        the points (raised here, not at compute time).
    InvalidGeometryError, CrsError
        As :func:`lagesbild.assign`, also raised here.

    Notes
    -----
    The rule for points on boundaries is :func:`lagesbild.assign`'s: the
    first area in layer order whose closed region contains the point.

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd, shapely
    >>> import lagesbild.dask as lbd
    >>> areas = lb.Layer.from_polars(pl.DataFrame({"name": ["a", "b"],
    ...     "geometry": [shapely.to_wkb(shapely.box(0, 0, 10, 10)),
    ...                  shapely.to_wkb(shapely.box(10, 0, 20, 10))]}), crs=3011)
    >>> points = dd.from_pandas(pd.DataFrame({"x": [1.0, 12.0, 13.0, 99.0], "y": [1.0] * 4}), npartitions=2)
    >>> counts = lbd.assign(points, areas, key="name").value_counts(dropna=False)
    >>> counts.compute().sort_index().to_dict()
    {'a': 1, 'b': 2, nan: 1}
    """
    _need_layer(areas, "areas", "assign")
    return _map_points("assign", points, areas, key, x, y, crs, ())


def within_distance(
    points: dd.DataFrame,
    lines: Layer,
    distance: float,
    key: str,
    *,
    x: str = "x",
    y: str = "y",
    crs: int | str | Crs | None = None,
) -> dd.DataFrame:
    """Which points lie within ``distance`` metres of a line, for a Dask DataFrame of points.

    :func:`lagesbild.within_distance` partition by partition, with
    ``lines`` sent to the workers once.

    Returns
    -------
    dask.dataframe.DataFrame
        The points' index and partitions, columns ``within`` (bool),
        ``distance_m`` to the nearest line (float64, NaN beyond
        ``distance``) and that line's ``key`` (null beyond; a text key as a
        ``Categorical`` of the lines' key values in layer order). Ties go to
        the earlier line.

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd, shapely
    >>> import lagesbild.dask as lbd
    >>> routes = lb.Layer.from_polars(pl.DataFrame({"route": ["E4"],
    ...     "geometry": [shapely.to_wkb(shapely.LineString([(0, 0), (1000, 0)]))]}), crs=3011)
    >>> points = dd.from_pandas(pd.DataFrame({"x": [500.0, 500.0], "y": [100.0, 400.0]}), npartitions=1)
    >>> lbd.within_distance(points, routes, 150, key="route").compute()
       within  distance_m route
    0    True       100.0    E4
    1   False         NaN   NaN
    """
    _need_layer(lines, "lines", "within_distance")
    return _map_points("within_distance", points, lines, key, x, y, crs, (float(distance),))


def nearest(
    points: dd.DataFrame,
    right: Layer,
    key: str,
    max_distance: float | None = None,
    *,
    x: str = "x",
    y: str = "y",
    crs: int | str | Crs | None = None,
) -> dd.DataFrame:
    """The nearest ``right`` feature of each point, for a Dask DataFrame of points.

    :func:`lagesbild.nearest` of a point DataFrame partition by partition,
    with ``right`` (any geometry types) sent to the workers once.

    Returns
    -------
    dask.dataframe.DataFrame
        The points' index and partitions, columns ``key`` (a text key as a
        ``Categorical`` of the key values in layer order),
        ``right_index`` (nullable ``Int64``) and ``distance_m`` (float64;
        0 inside a polygon, NaN when none is within ``max_distance`` or a
        coordinate is null). Ties go to the earlier right feature.

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd, shapely
    >>> import lagesbild.dask as lbd
    >>> routes = lb.Layer.from_polars(pl.DataFrame({"route": ["E4", "E18"],
    ...     "geometry": [shapely.to_wkb(shapely.LineString([(0, 0), (1000, 0)])),
    ...                  shapely.to_wkb(shapely.LineString([(0, 500), (1000, 500)]))]}), crs=3011)
    >>> points = dd.from_pandas(pd.DataFrame({"x": [10.0, 10.0], "y": [400.0, 100.0]}), npartitions=2)
    >>> lbd.nearest(points, routes, key="route").compute()
      route  right_index  distance_m
    0   E18            1       100.0
    1    E4            0       100.0
    """
    _need_layer(right, "right", "nearest")
    limit = None if max_distance is None else float(max_distance)
    return _map_points("nearest", points, right, key, x, y, crs, (limit,))


def _map_points(
    op: str, points: dd.DataFrame, layer: Layer, key: str, x: str, y: str, crs: Any, args: tuple[Any, ...]
) -> Any:
    """``op`` on every partition of ``points``, with ``layer`` one task of the graph.

    The layer goes with its ``key`` column only. The result's metadata
    comes from running ``op`` on the points' (empty) metadata, which also
    makes the checks — columns, CRS, the layer's validity — here rather
    than on a worker.
    """
    if not isinstance(points, dd.DataFrame):
        msg = (
            f"lagesbild.dask.{op}: points must be a dask.dataframe.DataFrame, not {type(points).__name__} "
            f"(use lagesbild.{op} for a polars DataFrame, or dask.dataframe.from_pandas)"
        )
        raise TypeError(msg)
    _key_values(layer, key, op)
    slim = layer.with_attributes(layer.attributes.select(key))
    part = _PARTITION[op]
    meta = part(points._meta, slim, key, x, y, crs, *args)
    shared = dask.delayed(slim, name=f"lagesbild-layer-{tokenize(pickle.dumps(slim))}")
    return points.map_partitions(part, shared, key, x, y, crs, *args, meta=meta)


def _assign_partition(df: pd.DataFrame, areas: Layer, key: str, x: str, y: str, crs: Any) -> pd.Series:
    """:func:`assign` of one pandas partition: what runs on the workers."""
    out = _Key(areas[key])
    xy = _xy(df, x, y, crs, areas, "assign")
    rows = _wire.u32(_lagesbild.assign(xy, areas._inner, none_as=out.n))
    return out.at(rows, key, df.index)


def _within_distance_partition(
    df: pd.DataFrame, lines: Layer, key: str, x: str, y: str, crs: Any, distance: float
) -> pd.DataFrame:
    """:func:`within_distance` of one pandas partition."""
    out = _Key(lines[key])
    bl, bd = _lagesbild.within_distance(_xy(df, x, y, crs, lines, "within_distance"), lines._inner, distance)
    rows = _wire.u32(bl)
    return pd.DataFrame(
        {"within": rows != _wire.NONE, "distance_m": _wire.f64(bd), key: out.at(rows, key, df.index)},
        index=df.index,
    )


def _nearest_partition(
    df: pd.DataFrame, right: Layer, key: str, x: str, y: str, crs: Any, max_distance: float | None
) -> pd.DataFrame:
    """:func:`nearest` of one pandas partition."""
    out = _Key(right[key])
    br, bd = _lagesbild.nearest(_xy(df, x, y, crs, right, "nearest"), right._inner, max_distance)
    rows = _wire.u32(br)
    right_index = pd.arrays.IntegerArray(rows.astype(np.int64), rows == _wire.NONE)
    return pd.DataFrame(
        {key: out.at(rows, key, df.index), "right_index": right_index, "distance_m": _wire.f64(bd)},
        index=df.index,
    )


_PARTITION = {
    "assign": _assign_partition,
    "within_distance": _within_distance_partition,
    "nearest": _nearest_partition,
}


def _xy(df: pd.DataFrame, x: str, y: str, crs: Any, other: Layer, op: str) -> tuple[np.ndarray, np.ndarray]:
    """A partition's coordinates for the core, in ``other``'s CRS."""
    return _in_crs_of(other, _coords(df, x, op), _coords(df, y, op), crs)


def _coords(df: pd.DataFrame, col: str, op: str) -> np.ndarray:
    """A numeric column as a contiguous, aligned float64 array, nulls as NaN; no copy when it is one."""
    if col not in df.columns:
        msg = (
            f"{op}: the points have no column {col!r} (columns: {', '.join(map(str, df.columns))}); "
            "name the coordinate columns with x= and y="
        )
        raise ColumnNotFoundError(msg, column=col)
    s = df[col]
    if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        msg = f"{op}: column {col!r} holds {s.dtype}, not numbers"
        raise InvalidArgumentError(msg, column=col)
    # Columns a worker received over the network may sit unaligned in the
    # message's buffer: the core reads aligned float64, so those are copied.
    return np.require(s.to_numpy(dtype=np.float64, na_value=np.nan), np.float64, ["C_CONTIGUOUS", "ALIGNED"])


class _Key:
    """A key column's values in pandas, taken at the core's row positions."""

    def __init__(self, values: pl.Series) -> None:
        values = _as_enum(values)
        self.n = len(values)
        if isinstance(values.dtype, pl.Enum):
            self.dtype: Any = pd.CategoricalDtype(pd.Index(values.dtype.categories.to_list()), ordered=False)
            codes = values.to_physical().cast(pl.Int32).fill_null(-1).to_numpy()
            # Position n (no row) and beyond (the core's "none") give -1, null.
            self.codes = np.append(codes, np.int32(-1)).astype(np.int32)
        else:
            padded = values.extend(pl.Series([None], dtype=values.dtype)).to_arrow()
            self.dtype = pd.ArrowDtype(padded.type)
            self.padded = pd.array(padded, dtype=self.dtype)

    def at(self, rows: np.ndarray, name: str, index: pd.Index) -> pd.Series:
        """The values at ``rows`` (``n`` or more for none) as a Series on ``index``."""
        at = np.minimum(rows, self.n)
        if isinstance(self.dtype, pd.CategoricalDtype):
            values: Any = pd.Categorical.from_codes(self.codes[at], dtype=self.dtype, validate=False)
        else:
            values = self.padded.take(at)
        return pd.Series(values, index=index, name=name)
