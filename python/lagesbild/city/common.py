"""What the modules of the city share.

The record of each source, the list of problems found, and the small
helpers their messages and checks use.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from lagesbild.exceptions import ConfigProblem


@dataclass(frozen=True)
class SourceInfo:
    """What the city knows about one of its sources."""

    kind: str  # areas, organisation, layer, table, crosswalk
    name: str
    path: str | None
    key: str | None = None
    code: str | None = None  # the areas' code column
    unit: str | None = None
    year: str | None = None
    date: str | None = None
    description: str | None = None
    source_crs: str | None = None


class Problems:
    """Collects problems; each names the file (or the source) it is about."""

    def __init__(self) -> None:
        self.items: list[ConfigProblem] = []

    def add(self, message: str, *, path: str | None = None, key: str | None = None) -> None:
        """A problem about ``path`` (a file) and ``key`` (a configuration key)."""
        self.items.append(ConfigProblem(message, path=path, key=key))

    def about(self, meta: SourceInfo, message: str, key: str | None = None) -> None:
        """A problem about one source, keyed by its section (``layers.vatten.key``)."""
        section = {"layer": "layers", "table": "tables", "crosswalk": "crosswalks"}.get(meta.kind)
        where = f"{section}.{meta.name}" if section else meta.kind
        if key is not None and "." not in key:
            key = f"{where}.{key}"
        self.add(message, path=meta.path, key=key or where)


# -- wording ---------------------------------------------------------------------------


def shown(values: Iterable[Any], limit: int = 8) -> str:
    """The first ``limit`` values, quoted, and how many more there are."""
    vs = [repr(v) for v in values]
    more = f" and {len(vs) - limit} more" if len(vs) > limit else ""
    return ", ".join(vs[:limit]) + more


def unknown_names(values: Iterable[str], known: Sequence[str], limit: int = 8) -> str:
    """The unknown names, each with the closest known one when there is one."""
    out = []
    vs = list(values)
    for v in vs[:limit]:
        close = difflib.get_close_matches(str(v), known, n=1, cutoff=0.6)
        out.append(f"{v!r} (did you mean {close[0]!r}?)" if close else repr(v))
    more = f" and {len(vs) - limit} more" if len(vs) > limit else ""
    return ", ".join(out) + more


def suggest_text(word: str, choices: list[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or nothing."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# -- columns ---------------------------------------------------------------------------


def columns_missing(df: pl.DataFrame, columns: Iterable[str]) -> list[str]:
    """The columns of ``columns`` that ``df`` lacks, in order."""
    return [c for c in columns if c not in df.columns]


def eq_or_null(column: str, value: dt.date | None) -> pl.Expr:
    """``column == value``, or ``column is null`` for ``None`` (an open end)."""
    return pl.col(column).is_null() if value is None else pl.col(column) == value


def year_column(df: pl.DataFrame, column: str) -> pl.Series | str:
    """The column as integer years, or a message saying why it is not one."""
    s = df[column]
    if s.dtype.is_integer():
        return s.cast(pl.Int64)
    if s.dtype == pl.String:
        parsed = s.str.strip_chars().cast(pl.Int64, strict=False)
        if parsed.null_count() == s.null_count():
            return parsed
    return f"column {column!r} must hold years as integers, not {s.dtype}"


def date_years(df: pl.DataFrame, column: str) -> pl.Series | str:
    """The years of a date column, or a message saying why it is not one."""
    s = df[column]
    if s.dtype == pl.Date or isinstance(s.dtype, pl.Datetime):
        return s.dt.year().cast(pl.Int64)
    if s.dtype == pl.String:
        parsed = s.str.strip_chars().str.to_date("%Y-%m-%d", strict=False)
        if parsed.null_count() == s.null_count():
            return parsed.dt.year().cast(pl.Int64)
    return f"column {column!r} must hold dates (ISO 8601, such as 2023-07-01), not {s.dtype}"

