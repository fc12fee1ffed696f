"""How values cross between Python and the Rust core (the counterpart of ``bindings/src/wire.rs``).

Tables cross as Arrow IPC bytes, written and read by polars on both sides;
coordinates and row positions go in as contiguous numpy arrays the core
reads in place; row positions (``uint32``, ``0xFFFFFFFF`` for none) and
measures (``float64``) come back as little-endian bytes viewed, not copied,
as numpy arrays.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import numpy as np
import polars as pl

from lagesbild.exceptions import InvalidArgumentError

NONE = 0xFFFFFFFF
"""The core's row position for "no row"."""


def frame(data: bytes) -> pl.DataFrame:
    """A DataFrame from IPC bytes."""
    return pl.read_ipc(io.BytesIO(data))


def ipc(df: pl.DataFrame) -> bytes:
    """A DataFrame as IPC bytes."""
    buf = io.BytesIO()
    df.write_ipc(buf)
    return buf.getvalue()


def u32(b: bytes) -> np.ndarray:
    """Row positions from the core."""
    return np.frombuffer(b, dtype=np.uint32)


def f64(b: bytes) -> np.ndarray:
    """Measures from the core."""
    return np.frombuffer(b, dtype=np.float64)


def f64_series(name: str, b: bytes) -> pl.Series:
    """Measures from the core as a Float64 Series, null where the core said NaN."""
    return pl.Series(name, f64(b), dtype=pl.Float64).fill_nan(None)


def row_series(name: str, b: bytes) -> pl.Series:
    """Row positions from the core as a UInt32 Series, null where the core said none."""
    codes = u32(b)
    s = pl.Series(name, codes, dtype=pl.UInt32)
    if (codes == NONE).any():
        s = pl.select(pl.when(s != NONE).then(s).alias(name)).to_series()
    return s


def rows(indices: Iterable[int] | np.ndarray | pl.Series, n: int, what: str) -> np.ndarray:
    """Row positions for the core: a contiguous ``uint32`` array, each in ``0..n``.

    Negative or too large positions are refused with an
    :class:`InvalidArgumentError` naming the first one.
    """
    if isinstance(indices, pl.Series):
        arr = indices.to_numpy()
    elif isinstance(indices, np.ndarray):
        arr = indices
    else:
        arr = np.fromiter((int(i) for i in indices), dtype=np.int64)
    if arr.dtype == np.uint32:
        out = np.ascontiguousarray(arr)
    else:
        if arr.size and not np.issubdtype(arr.dtype, np.integer):
            msg = f"{what}: row positions must be whole numbers, not {arr.dtype}"
            raise InvalidArgumentError(msg)
        wide = arr.astype(np.int64, copy=False)
        bad = np.flatnonzero((wide < 0) | (wide >= max(n, 0)))
        if bad.size:
            msg = f"{what}: row position {int(wide[bad[0]])} is out of range for {n} features"
            raise InvalidArgumentError(msg)
        out = np.ascontiguousarray(wide, dtype=np.uint32)
    return out


def coords(series: pl.Series) -> np.ndarray:
    """A numeric column as a contiguous float64 array (nulls as NaN)."""
    return np.ascontiguousarray(series.cast(pl.Float64).fill_null(float("nan")).to_numpy(), dtype=np.float64)
