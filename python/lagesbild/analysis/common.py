"""What the safety-picture analyses share: population per stadsdel and year, and the city's tables by config.

Examples
--------
>>> from lagesbild.analysis.common import population
>>> population(lb.City.example(), [2022]).rows()[:2]
[('A', 2022, 10.0), ('B', 2022, 20.0)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl

from lagesbild.exceptions import ColumnNotFoundError, InvalidArgumentError

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["population", "require_columns"]


def require_columns(df: pl.DataFrame, columns: Sequence[str | None], what: str, setting: str) -> None:
    """A :class:`ColumnNotFoundError` naming the table, the column and the setting that names it."""
    for c in columns:
        if c is not None and c not in df.columns:
            msg = f"{what}: no column {c!r} (columns: {', '.join(df.columns)}); set it with {setting}"
            raise ColumnNotFoundError(msg, column=c)


def population(city: City, years: Sequence[int], column: str | None = None) -> pl.DataFrame:
    """Residents per stadsdel for each of ``years`` (``stadsdel``, ``year``, ``population``).

    From ``[population]`` (or, without it, a table called ``befolkning``
    with ``folkmangd``). A year the table lacks takes the latest earlier
    year, else the earliest one; stadsdelar the table lacks have 0.
    ``column`` picks another column of the table (the women or men).
    """
    cfg = city.settings.population
    if cfg is not None:
        name, col = cfg.table, column or cfg.column
    elif "befolkning" in city.tables:
        name, col = "befolkning", column or "folkmangd"
    else:
        msg = f"{city.name}: no [population] table; rates and population weights need residents per stadsdel"
        raise InvalidArgumentError(msg)
    df = city.table(name)
    meta = city._sources[("table", name)]
    key, year_col = meta.key or "stadsdel", meta.year or "ar"
    require_columns(df, [key, year_col, col], f"table {name!r}", "[population]")
    have = sorted({int(y) for y in df[year_col].drop_nulls().to_list()})
    if not have:
        msg = f"table {name!r}: no years in column {year_col!r}"
        raise InvalidArgumentError(msg)
    use = {y: max([h for h in have if h <= y], default=have[0]) for y in years}
    pick = pl.DataFrame(
        {"year": list(use), "__from": list(use.values())}, schema={"year": pl.Int64, "__from": pl.Int64}
    )
    values = (
        df.select(
            pl.col(key).cast(pl.String).alias("stadsdel"),
            pl.col(year_col).cast(pl.Int64).alias("__from"),
            pl.col(col).cast(pl.Float64).alias("population"),
        )
        .group_by("stadsdel", "__from")
        .agg(pl.col("population").sum())
    )
    grid = pl.DataFrame({"stadsdel": city.stadsdelar}).join(pick, how="cross")
    return (
        grid.join(values, on=["stadsdel", "__from"], how="left")
        .with_columns(pl.col("population").fill_null(0.0))
        .select("stadsdel", "year", "population")
    )
