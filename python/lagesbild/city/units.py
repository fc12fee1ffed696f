"""Moving tables between area levels.

To the stadsdelar, to the stadsdelsområden of each report year, and to the
whole city.

These are the city's methods :meth:`City.to_stadsdelar
<lagesbild.City.to_stadsdelar>`, :meth:`~lagesbild.City.to_stadsdelsomraden`
and :meth:`~lagesbild.City.to_city`. Counts are summed and shares averaged,
weighted by respondents and by a crosswalk's weights; rows are never dropped
silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import polars as pl

from lagesbild.city.common import SourceInfo, columns_missing, suggest_text, unknown_names
from lagesbild.exceptions import ColumnNotFoundError, InvalidArgumentError

if TYPE_CHECKING:
    from lagesbild.city.city import City

CROSSWALK_COLUMNS = ("from", "stadsdel", "weight")


def to_stadsdelar(
    city: City,
    df: pl.DataFrame | str,
    *,
    key: str | None = None,
    crosswalk: str | pl.DataFrame | None = None,
    sums: Sequence[str] = (),
    means: Sequence[str] = (),
    weight: str | None = None,
    by: Sequence[str] = (),
) -> pl.DataFrame:
    """Bring a table to the stadsdelar: directly, or from other units through a crosswalk.

    Each row of ``df`` belongs to one unit (a stadsdel, an NYKO area, a
    stadsdelsområde of some year …) named in column ``key``. Through the
    crosswalk, a unit gives the share ``w`` of itself to each of its
    stadsdelar (``w = 1`` without a crosswalk). Then, per stadsdel and
    ``by`` group:

    - a column in ``sums`` (counts: incidents, respondents, people) is
      ``Σ value · w`` — totals are kept, and come out as floats when
      units are split;
    - a column in ``means`` (shares, indices) is the weighted mean
      ``Σ value · n · w / Σ n · w``, where ``n`` is the ``weight``
      column (respondents) or 1 — so a stadsdel made of two units gets
      the mean of both, weighted by their respondents;
    - the ``weight`` column itself is summed like a count (``Σ n · w``),
      the respondents behind each mean.

    Nulls are left out of sums and means (a group of nulls gives null).

    Parameters
    ----------
    df
        The table, or the name of one of the city's tables (whose
        configured key and crosswalk are then the defaults).
    key
        The column naming the unit (default ``"stadsdel"``).
    crosswalk
        A crosswalk's name, or a DataFrame with ``from``, ``stadsdel``
        and ``weight`` (see :meth:`organisation_crosswalk`). Without
        one, ``key`` must name stadsdelar.
    sums, means
        The value columns, as above.
    weight
        The column of respondent counts that weights the means.
    by
        Further grouping columns kept in the result (year, indicator …).

    Returns
    -------
    polars.DataFrame
        ``stadsdel``, the ``by`` columns, ``weight``, ``sums`` and
        ``means``, sorted by ``by`` then stadsdel.

    Raises
    ------
    ColumnNotFoundError
        If a named column is missing.
    InvalidArgumentError
        If a unit is not in the crosswalk (or, without one, a value is
        not a stadsdel): rows are never dropped silently.

    Examples
    --------
    Two survey units; unit ``n1`` lies wholly in stadsdel A, ``n2`` is
    split 3:1 between A and B:

    >>> city = lb.City.example()
    >>> cw = pl.DataFrame({"from": ["n1", "n2", "n2"], "stadsdel": ["A", "A", "B"], "weight": [1.0, 0.75, 0.25]})
    >>> survey = pl.DataFrame({"nyko": ["n1", "n2"], "antal": [10, 20], "andel": [0.2, 0.6], "svar": [100, 200]})
    >>> city.to_stadsdelar(survey, key="nyko", crosswalk=cw, sums=["antal"], means=["andel"], weight="svar")
    shape: (2, 4)
    ┌──────────┬───────┬───────┬───────┐
    │ stadsdel ┆ svar  ┆ antal ┆ andel │
    │ ---      ┆ ---   ┆ ---   ┆ ---   │
    │ str      ┆ f64   ┆ f64   ┆ f64   │
    ╞══════════╪═══════╪═══════╪═══════╡
    │ A        ┆ 250.0 ┆ 25.0  ┆ 0.44  │
    │ B        ┆ 50.0  ┆ 5.0   ┆ 0.6   │
    └──────────┴───────┴───────┴───────┘

    (A: ``(0.2·100·1 + 0.6·200·0.75) / (100 + 150) = 0.44``.)
    """
    df, meta, key = _table_args(city, df, key)
    key = key or "stadsdel"
    if crosswalk is None and meta is not None and meta.unit not in (None, "stadsdel"):
        if meta.unit == "stadsdelsomrade":
            msg = (
                f"table {meta.name!r} is per stadsdelsområde: pass "
                "crosswalk=city.organisation_crosswalk(year) for the year of its organisation"
            )
            raise InvalidArgumentError(msg)
        crosswalk = meta.unit
    if isinstance(crosswalk, str):
        if crosswalk not in city.crosswalks:
            msg = f"{city.name}: no crosswalk {crosswalk!r} (crosswalks: {', '.join(city.crosswalks) or 'none'})"
            raise InvalidArgumentError(msg)
        cw = city.crosswalks[crosswalk]
    elif crosswalk is None:
        names = city._stadsdelar
        cw = pl.DataFrame({"from": names, "stadsdel": names, "weight": [1.0] * len(names)})
    else:
        missing = columns_missing(crosswalk, CROSSWALK_COLUMNS)
        if missing:
            msg = (
                f"crosswalk: no column {missing[0]!r} (columns: {', '.join(crosswalk.columns)}; "
                "needed: from, stadsdel, weight)"
            )
            raise ColumnNotFoundError(msg, column=missing[0])
        cw = crosswalk.select(
            pl.col("from").cast(pl.String), pl.col("stadsdel").cast(pl.String), pl.col("weight").cast(pl.Float64)
        )
    _require_columns(df, [key, *by, *sums, *means, *([weight] if weight else [])], meta)
    _check_value_columns(sums, means, weight, by, key)
    keyed = df.with_columns(pl.col(key).cast(pl.String).alias("__unit__"))
    units = set(cw["from"].to_list())
    unknown = sorted(set(keyed["__unit__"].drop_nulls().to_list()) - units)
    nulls = keyed["__unit__"].null_count()
    if unknown or nulls:
        what = "stadsdelar" if crosswalk is None else "units of the crosswalk"
        parts = []
        if unknown:
            parts.append(f"values of {key!r} that are not {what}: {unknown_names(unknown, sorted(units))}")
        if nulls:
            parts.append(f"{nulls} rows with no {key!r}")
        msg = "; ".join(parts)
        raise InvalidArgumentError(msg)
    joined = keyed.join(
        cw.rename({"stadsdel": "__stadsdel__", "weight": "__w__"}), left_on="__unit__", right_on="from", how="inner"
    )
    out = _aggregate(joined, ["__stadsdel__", *by], "__w__", sums, means, weight)
    return out.rename({"__stadsdel__": "stadsdel"}).sort([*by, "stadsdel"])


def to_stadsdelsomraden(
    city: City,
    df: pl.DataFrame | str,
    *,
    year: int | dt.date | None = None,
    year_column: str | None = None,
    key: str | None = None,
    sums: Sequence[str] = (),
    means: Sequence[str] = (),
    weight: str | None = None,
    by: Sequence[str] = (),
) -> pl.DataFrame:
    """Aggregate a table of stadsdelar to the stadsdelsområden of its year.

    Each row goes to the stadsdelsområde its stadsdel belonged to in the
    report year (:meth:`organisation`: the organisation in force on 31
    December), either one ``year`` for the whole table or each row's
    ``year_column``. Sums and weighted means as in
    :meth:`to_stadsdelar` (with ``w = 1``).

    Parameters
    ----------
    df
        The table, or the name of one of the city's tables (whose key
        and year columns are then the defaults).
    year, year_column
        The report year for all rows, or the column holding each row's.
    key
        The stadsdel column (default ``"stadsdel"``).
    sums, means, weight, by
        As in :meth:`to_stadsdelar`.

    Returns
    -------
    polars.DataFrame
        ``year_column`` (when given), ``sdo_namn``, ``sdo_kod``, ``by``,
        ``weight``, ``sums``, ``means``; sorted.

    Examples
    --------
    >>> city = lb.City.example()
    >>> counts = pl.DataFrame({"ar": [2022, 2022, 2023, 2023], "stadsdel": ["A", "B", "A", "B"], "antal": [1, 2, 3, 4]})
    >>> city.to_stadsdelsomraden(counts, year_column="ar", sums=["antal"])
    shape: (3, 4)
    ┌──────┬──────────┬─────────┬───────┐
    │ ar   ┆ sdo_namn ┆ sdo_kod ┆ antal │
    │ ---  ┆ ---      ┆ ---     ┆ ---   │
    │ i64  ┆ str      ┆ str     ┆ f64   │
    ╞══════╪══════════╪═════════╪═══════╡
    │ 2022 ┆ Väst     ┆ V       ┆ 1.0   │
    │ 2022 ┆ Öst      ┆ O       ┆ 2.0   │
    │ 2023 ┆ Hela     ┆ H       ┆ 7.0   │
    └──────┴──────────┴─────────┴───────┘
    """
    df, meta, key = _table_args(city, df, key)
    key = key or "stadsdel"
    if meta is not None and year is None and year_column is None:
        year_column = meta.year
    if (year is None) == (year_column is None):
        msg = "give either year= (one report year for all rows) or year_column= (each row's year)"
        raise InvalidArgumentError(msg)
    _require_columns(
        df, [key, *by, *sums, *means, *([weight] if weight else []), *([year_column] if year_column else [])], meta
    )
    _check_value_columns(sums, means, weight, by, key)
    if year_column is not None:
        years = df[year_column].drop_nulls().unique().sort().to_list()
        if df[year_column].null_count():
            msg = f"{df[year_column].null_count()} rows have no year in {year_column!r}"
            raise InvalidArgumentError(msg)
        orgs = (
            pl.concat(
                city.organisation(int(y)).select(
                    pl.lit(y, df[year_column].dtype).alias(year_column), "stadsdel", "sdo_namn", "sdo_kod"
                )
                for y in years
            )
            if years
            else pl.DataFrame(
                schema={
                    year_column: df[year_column].dtype,
                    "stadsdel": pl.String,
                    "sdo_namn": pl.String,
                    "sdo_kod": pl.String,
                }
            )
        )
        on = [year_column, "__stadsdel__"]
        groups = [year_column, "sdo_namn", "sdo_kod", *by]
    else:
        assert year is not None
        orgs = city.organisation(year).select("stadsdel", "sdo_namn", "sdo_kod")
        on = ["__stadsdel__"]
        groups = ["sdo_namn", "sdo_kod", *by]
    keyed = df.with_columns(pl.col(key).cast(pl.String).alias("__stadsdel__"))
    unknown = sorted(set(keyed["__stadsdel__"].drop_nulls().to_list()) - set(city._stadsdelar))
    if unknown or keyed["__stadsdel__"].null_count():
        msg = (
            f"values of {key!r} that are not stadsdelar: {unknown_names(unknown, city._stadsdelar)}"
            if unknown
            else (f"{keyed['__stadsdel__'].null_count()} rows with no {key!r}")
        )
        raise InvalidArgumentError(msg)
    joined = keyed.join(orgs.rename({"stadsdel": "__stadsdel__"}), on=on, how="inner").with_columns(
        __w__=pl.lit(1.0)
    )
    return _aggregate(joined, groups, "__w__", sums, means, weight).sort(groups)


def to_city(
    city: City,
    df: pl.DataFrame | str,
    *,
    sums: Sequence[str] = (),
    means: Sequence[str] = (),
    weight: str | None = None,
    by: Sequence[str] = (),
) -> pl.DataFrame:
    """Aggregate a table to the whole city (per ``by`` group), as :meth:`to_stadsdelar` does.

    Examples
    --------
    >>> city = lb.City.example()
    >>> s = pl.DataFrame({"stadsdel": ["A", "B"], "andel": [0.1, 0.4], "svar": [300, 100]})
    >>> city.to_city(s, means=["andel"], weight="svar")["andel"].round(3).to_list()
    [0.175]
    """
    df, meta, _ = _table_args(city, df, None)
    _require_columns(df, [*by, *sums, *means, *([weight] if weight else [])], meta)
    _check_value_columns(sums, means, weight, by, None)
    out = _aggregate(df.with_columns(__w__=pl.lit(1.0)), list(by), "__w__", sums, means, weight)
    return out.sort(list(by)) if by else out


# -- helpers ---------------------------------------------------------------------------


def _table_args(
    city: City, df: pl.DataFrame | str, key: str | None
) -> tuple[pl.DataFrame, SourceInfo | None, str | None]:
    """The table (given, or one of the city's by name), its source record and its key column."""
    if isinstance(df, str):
        if df not in city.tables:
            known = ", ".join(city.tables) or "none"
            msg = f"{city.name}: no table {df!r}{suggest_text(df, list(city.tables))} (tables: {known})"
            raise InvalidArgumentError(msg)
        meta = city._sources[("table", df)]
        return city.tables[df], meta, key or meta.key
    if not isinstance(df, pl.DataFrame):
        msg = f"a polars DataFrame or a table's name, not {type(df).__name__}"
        raise TypeError(msg)
    return df, None, key


def _require_columns(df: pl.DataFrame, columns: Iterable[str], meta: SourceInfo | None) -> None:
    for c in columns:
        if c not in df.columns:
            where = f"table {meta.name!r}" if meta is not None else "the table"
            msg = f"{where}: no column {c!r} (columns: {', '.join(df.columns)})"
            raise ColumnNotFoundError(msg, column=c, path=meta.path if meta else None)


def _check_value_columns(
    sums: Sequence[str], means: Sequence[str], weight: str | None, by: Sequence[str], key: str | None
) -> None:
    for name, value in (("sums", sums), ("means", means), ("by", by)):
        if isinstance(value, str):
            msg = f"{name} takes a list of column names, such as [{value!r}]"
            raise InvalidArgumentError(msg)
    both = sorted(set(sums) & set(means))
    if both:
        msg = f"columns both in sums and means: {both}"
        raise InvalidArgumentError(msg)
    grouped = sorted(set(by) & (set(sums) | set(means) | ({weight} if weight else set()) | ({key} if key else set())))
    if grouped:
        msg = f"columns both grouped by and aggregated: {grouped}"
        raise InvalidArgumentError(msg)
    if weight is not None and weight in means:
        msg = f"the weight column {weight!r} cannot also be averaged"
        raise InvalidArgumentError(msg)


def _aggregate(
    df: pl.DataFrame,
    groups: list[str],
    w: str,
    sums: Sequence[str],
    means: Sequence[str],
    weight: str | None,
) -> pl.DataFrame:
    """Σ value·w for sums; Σ value·n·w / Σ n·w for means (n = the weight column or 1)."""
    n = pl.col(weight).cast(pl.Float64) if weight else pl.lit(1.0)
    aggs: list[pl.Expr] = []
    if weight is not None:
        aggs.append(_null_if_none((n * pl.col(w)).sum(), pl.col(weight)).alias(weight))
    for c in sums:
        if c == weight:
            continue
        aggs.append(_null_if_none((pl.col(c).cast(pl.Float64) * pl.col(w)).sum(), pl.col(c)).alias(c))
    for c in means:
        v = pl.col(c).cast(pl.Float64)
        both = v.is_not_null() & n.is_not_null()
        num = pl.when(both).then(v * n * pl.col(w)).otherwise(None).sum()
        den = pl.when(both).then(n * pl.col(w)).otherwise(None).sum()
        aggs.append(pl.when(den > 0).then(num / den).otherwise(None).alias(c))
    if not groups:
        return df.select(aggs) if aggs else pl.DataFrame()
    if not aggs:
        return df.select(groups).unique()
    return df.group_by(groups).agg(aggs)


def _null_if_none(total: pl.Expr, column: pl.Expr) -> pl.Expr:
    return pl.when(column.is_not_null().any()).then(total).otherwise(None)
