"""The risk and vulnerability analysis (RSA) matrix, and a composite risk index for internal prioritisation.

:func:`risk_matrix` places the risk register (``[rsa]``) on the likelihood
× consequence matrix of each protected value (liv och hälsa,
samhällets funktionalitet, miljö och egendom, grundläggande värden …), per
nämnd and city-wide, with the register rows behind every cell.

:func:`risk_index` combines normalised indicators per area into one
number with each indicator's contribution shown. It ranks areas, so it is
an aid for the organisation's own prioritisation, **not for publication**:
it refuses ``mode="open"``.

Examples
--------
>>> from lagesbild.analysis.rsa import min_max
>>> min_max([2.0, 4.0, 3.0])
[0.0, 1.0, 0.5]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import polars as pl

from lagesbild.analysis.areas import AREA_COLUMNS, check_args, latest_year
from lagesbild.analysis.common import require_columns
from lagesbild.city.common import unknown_names
from lagesbild.exceptions import InvalidArgumentError, LagesbildError

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["min_max", "risk_index", "risk_matrix"]

#: The label of the city-wide rows of :func:`risk_matrix`.
CITY_WIDE = "alla nämnder"


def min_max(values: Sequence[float | None]) -> list[float | None]:
    """Values scaled to 0–1 (the smallest 0, the largest 1; all equal: 0.5; nulls stay null)."""
    present = [v for v in values if v is not None]
    if not present:
        return [None for _ in values]
    lo, hi = min(present), max(present)
    if hi == lo:
        return [None if v is None else 0.5 for v in values]
    return [None if v is None else (v - lo) / (hi - lo) for v in values]


def risk_matrix(city: City, year: int, namnd: str | Sequence[str] | None = None, *, mode: str = "open") -> pl.DataFrame:
    """The RSA register on the likelihood × consequence matrix of each protected value.

    Each nämnd uses its latest register at or before ``year`` (the year
    used is a column). Every cell of the ``scale`` × ``scale`` matrix is
    given (zeros too), per nämnd and city-wide (``namnd`` is
    ``"alla nämnder"``). Ratings run 1 … ``[rsa] scale`` (5 by default).

    Parameters
    ----------
    city
        A city with ``[rsa]`` naming the register, its rating columns and
        ``consequences`` (protected value → column).
    year
        The report year.
    namnd
        One nämnd or several (default: all in the register); the
        city-wide rows cover the chosen ones.
    mode
        ``"open"`` gives the count of risks per cell; ``"internal"`` also
        the risks and their row numbers in the register (RSA details can be
        confidential).

    Returns
    -------
    polars.DataFrame
        ``namnd``, ``year``, ``protected_value``, ``likelihood``,
        ``consequence``, ``score`` (likelihood × consequence), ``count``,
        ``risks`` (list of the risks' names; null in open mode),
        ``register_rows`` (their row positions in the register table; null
        in open mode), sorted by nämnd, protected value, then likelihood and
        consequence from high to low.

    Examples
    --------
    >>> from lagesbild.config import Rsa, Settings
    >>> base = lb.City.example()
    >>> risker = pl.DataFrame({"ar": 2025, "namnd": ["Väst", "Väst", "Öst"], "risk": ["Elavbrott", "Skyfall", "Brand"],
    ...     "sannolikhet": [2, 4, 2], "konsekvens_liv": [5, 2, 5]})
    >>> city = lb.City(base.areas, tables={"risker": risker}, table_keys={"risker": {"year": "ar"}},
    ...     settings=Settings(rsa=Rsa(table="risker", consequences={"liv_och_halsa": "konsekvens_liv"})))
    >>> m = risk_matrix(city, 2025, mode="internal")
    >>> whole = m.filter(pl.col("count") > 0, pl.col("namnd") == "alla nämnder")
    >>> whole.select("likelihood", "consequence", "count", "risks").rows()
    [(4, 2, 1, ['Skyfall']), (2, 5, 2, ['Elavbrott', 'Brand'])]
    """
    year, _, mode = check_args("risk_matrix", year, "city", mode)
    cfg = city.settings.rsa
    if cfg is None:
        msg = f"risk_matrix: {city.name} has no [rsa] register"
        raise InvalidArgumentError(msg)
    if not cfg.consequences:
        msg = "risk_matrix: [rsa] consequences names no protected values (protected value = column)"
        raise InvalidArgumentError(msg)
    df = city.table(cfg.table)
    what = f"RSA register {cfg.table!r}"
    require_columns(df, [cfg.risk, cfg.namnd, cfg.likelihood, *cfg.consequences.values()], what, "[rsa]")
    year_col = cfg.year if cfg.year is not None and cfg.year in df.columns else None
    reg = df.with_row_index("__row").with_columns(pl.col(cfg.namnd).cast(pl.String).alias("__namnd"))
    if year_col is not None:
        reg = reg.with_columns(pl.col(year_col).cast(pl.Int64).alias("__year"))
        latest = {
            n: latest_year(sorted(set(part["__year"].drop_nulls().to_list())), year)
            for (n,), part in reg.group_by("__namnd")
        }
        if all(v is None for v in latest.values()):
            years = sorted(set(reg["__year"].drop_nulls().to_list()))
            msg = f"risk_matrix: {what} has no register at or before {year} (years: {', '.join(map(str, years))})"
            raise InvalidArgumentError(msg)
        used = pl.DataFrame(
            {"__namnd": list(latest), "__use": list(latest.values())}, schema={"__namnd": pl.String, "__use": pl.Int64}
        )
        reg = reg.join(used, on="__namnd").filter(pl.col("__year") == pl.col("__use"))
    else:
        reg = reg.with_columns(pl.lit(None, pl.Int64).alias("__year"))
    known = sorted(set(reg["__namnd"].drop_nulls().to_list()))
    if namnd is not None:
        chosen = [namnd] if isinstance(namnd, str) else list(namnd)
        unknown = [n for n in chosen if n not in known]
        if unknown:
            msg = f"risk_matrix: no nämnd {unknown[0]!r} in {what} (nämnder: {unknown_names(unknown, known)})"
            raise InvalidArgumentError(msg)
        reg = reg.filter(pl.col("__namnd").is_in(chosen))
        known = chosen
    scale = list(range(1, cfg.scale + 1))
    long = pl.concat(
        [
            reg.select(
                "__row",
                "__namnd",
                "__year",
                pl.col(cfg.risk).cast(pl.String).alias("risk"),
                pl.lit(value).alias("protected_value"),
                pl.col(cfg.likelihood).cast(pl.Int64).alias("likelihood"),
                pl.col(column).cast(pl.Int64).alias("consequence"),
            )
            for value, column in cfg.consequences.items()
        ]
    ).drop_nulls(["likelihood", "consequence"])
    bad = long.filter(~pl.col("likelihood").is_in(scale) | ~pl.col("consequence").is_in(scale))
    if bad.height:
        msg = f"risk_matrix: {what}: ratings must be whole numbers from 1 to {cfg.scale}; {bad.height} are not"
        raise InvalidArgumentError(msg)
    city_wide = long.with_columns(pl.lit(CITY_WIDE).alias("__namnd"), pl.lit(None, pl.Int64).alias("__year"))
    years = long.group_by("__namnd").agg(pl.col("__year").first().alias("year"))
    cells = (
        pl.DataFrame({"namnd": [*known, CITY_WIDE]})
        .join(pl.DataFrame({"protected_value": list(cfg.consequences)}), how="cross")
        .join(pl.DataFrame({"likelihood": scale}), how="cross")
        .join(pl.DataFrame({"consequence": scale}), how="cross")
    )
    grouped = (
        pl.concat([long, city_wide])
        .sort("__row")
        .group_by("__namnd", "protected_value", "likelihood", "consequence")
        .agg(
            pl.len().alias("count"),
            pl.col("risk").alias("risks"),
            pl.col("__row").cast(pl.Int64).alias("register_rows"),
        )
        .rename({"__namnd": "namnd"})
    )
    order = {n: i for i, n in enumerate([*known, CITY_WIDE])}
    vorder = {v: i for i, v in enumerate(cfg.consequences)}
    out = (
        cells.join(grouped, on=["namnd", "protected_value", "likelihood", "consequence"], how="left")
        .join(years.rename({"__namnd": "namnd"}), on="namnd", how="left")
        .with_columns(
            pl.col("count").fill_null(0).cast(pl.Int64),
            (pl.col("likelihood") * pl.col("consequence")).alias("score"),
            pl.col("namnd").replace_strict(order, return_dtype=pl.Int64).alias("__n"),
            pl.col("protected_value").replace_strict(vorder, return_dtype=pl.Int64).alias("__v"),
            pl.col("risks").fill_null([]),
            pl.col("register_rows").fill_null([]),
        )
        .sort(["__n", "__v", "likelihood", "consequence"], descending=[False, False, True, True])
    )
    if mode == "open":
        out = out.with_columns(
            pl.lit(None).cast(out["risks"].dtype).alias("risks"),
            pl.lit(None).cast(out["register_rows"].dtype).alias("register_rows"),
        )
    return out.select(
        "namnd", "year", "protected_value", "likelihood", "consequence", "score", "count", "risks", "register_rows"
    )


def _indicators(city: City, year: int, level: str) -> pl.DataFrame:
    """The indicators the index can combine: area, indicator, value (higher = worse)."""
    parts = []
    if city.settings.surveys is not None:
        from lagesbild.analysis.survey import survey

        try:
            s = survey(city, year, level, mode="internal")
        except LagesbildError:
            s = None
        if s is not None:
            s = s.filter(pl.col("latest") & (pl.col("kon") == "alla") & (pl.col("unit") == "share"))
            parts.append(s.select(*AREA_COLUMNS, pl.format("{} ({})", "measure", "source").alias("indicator"), "value"))
    if city.settings.themes and (city.settings.incidents is not None or city.settings.crime is not None):
        from lagesbild.analysis.incidents import incidents

        try:
            inc = incidents(city, year, level, mode="internal")
        except LagesbildError:
            inc = None
        if inc is not None:
            inc = inc.filter(
                (pl.col("year") == year)
                & (pl.col("measure") == "per_1000")
                & (pl.col("type") == "alla")
                & (pl.col("theme") != "alla")
                & (pl.col("area_code") != "city")
            )
            parts.append(
                inc.select(*AREA_COLUMNS, pl.format("{} per 1 000 ({})", "theme", "source").alias("indicator"), "value")
            )
    if not parts:
        msg = f"risk_index: {city.name} has no survey or incident indicators to combine"
        raise InvalidArgumentError(msg)
    return pl.concat(parts, how="vertical_relaxed")


def risk_index(
    city: City,
    year: int,
    level: str = "stadsdel",
    weights: Mapping[str, float] | None = None,
    *,
    mode: str = "internal",
) -> pl.DataFrame:
    """A transparent composite of normalised indicators per area, for internal prioritisation only.

    Each indicator (the latest survey shares, kön ``alla``; incidents per
    1,000 residents of each theme and source, for the period of ``year``)
    is scaled to 0–1 across the areas (min–max: the lowest area 0, the
    highest 1; higher is always worse), multiplied by its weight and
    divided by the sum of the weights of the indicators the area has. The
    index is the sum of those contributions (0–1); areas missing an
    indicator are scored on the others, and areas with fewer residents than
    ``[population] min_for_rates`` are left out. It ranks areas, so it is not for
    publication: ``mode="open"`` is refused.

    Parameters
    ----------
    weights
        Indicator → weight (≥ 0); default 1 for every indicator there is.
        The indicator names are those in the result's ``indicator`` column
        (``"otrygg_kvall (stadens trygghetsmätning)"``,
        ``"brott per 1 000 (polisen)"`` …).

    Returns
    -------
    polars.DataFrame
        One row per area and indicator: ``level``, ``area``, ``area_code``,
        ``indicator``, ``value``, ``normalised``, ``weight``,
        ``contribution``, then the area's ``index`` and ``rank`` (1 = the
        highest index), sorted by rank.

    Raises
    ------
    InvalidArgumentError
        ``mode="open"`` (the index is not for publication), an unknown
        indicator in ``weights``, negative weights.

    Examples
    --------
    The demo's stadsdelsområden on unsafety out late (weight 2) and the
    police's crime per 1,000 residents (weight 1); each contribution is
    ``weight × normalised / 3`` and they add up to the index:

    >>> w = {"otrygg_kvall (stadens trygghetsmätning)": 2.0, "brott per 1 000 (polisen)": 1.0}
    >>> idx = risk_index(lb.demo(), 2025, "stadsdelsomrade", weights=w)
    >>> top = idx.filter(pl.col("rank") == 1)
    >>> top = top.select("area", "indicator", pl.col("normalised", "contribution").round(3))
    >>> top.rows()  # doctest: +NORMALIZE_WHITESPACE
    [('Skärholmen', 'brott per 1 000 (polisen)', 0.428, 0.143),
     ('Skärholmen', 'otrygg_kvall (stadens trygghetsmätning)', 1.0, 0.667)]
    >>> round(top["contribution"].sum(), 3)
    0.81
    """
    year, level, mode = check_args("risk_index", year, level, mode)
    if mode == "open":
        msg = (
            "risk_index: the index ranks areas and is a prioritisation aid for internal use, not for publication; "
            'call it with mode="internal"'
        )
        raise InvalidArgumentError(msg)
    ind = _indicators(city, year, level).drop_nulls("value").filter(pl.col("value").is_finite())
    cfg = city.settings.population
    if cfg is not None and cfg.min_for_rates > 0:  # areas too small for rates are left out of the ranking
        from lagesbild.analysis.areas import area_units
        from lagesbild.analysis.common import population

        pop = (
            population(city, [year])
            .join(area_units(city, year=year, level=level), on="stadsdel")
            .group_by("area")
            .agg(pl.col("population").sum())
        )
        keep = pop.filter(pl.col("population") >= cfg.min_for_rates)["area"]
        ind = ind.filter(pl.col("area").is_in(keep.to_list()))
    names = ind["indicator"].unique(maintain_order=True).to_list()
    w = dict.fromkeys(names, 1.0) if weights is None else dict(weights)
    unknown = [k for k in w if k not in names]
    if unknown:
        msg = f"risk_index: unknown indicator {unknown[0]!r} (indicators: {unknown_names(unknown, names)})"
        raise InvalidArgumentError(msg)
    if any(v < 0 for v in w.values()) or not any(v > 0 for v in w.values()):
        msg = f"risk_index: weights must be 0 or more, and one positive, not {w}"
        raise InvalidArgumentError(msg)
    ind = ind.filter(pl.col("indicator").is_in(list(w)))
    normalised = []
    for _, part in ind.group_by("indicator", maintain_order=True):
        normalised.append(
            part.with_columns(pl.Series("normalised", min_max(part["value"].to_list()), dtype=pl.Float64))
        )
    out = pl.concat(normalised).with_columns(
        pl.col("indicator").replace_strict(w, return_dtype=pl.Float64).alias("weight")
    )
    out = out.with_columns(
        (pl.col("weight") * pl.col("normalised") / pl.col("weight").sum().over(AREA_COLUMNS)).alias("contribution")
    ).with_columns(pl.col("contribution").sum().over(AREA_COLUMNS).alias("index"))
    ranks = (
        out.select(*AREA_COLUMNS, "index")
        .unique(maintain_order=True)
        .with_columns(pl.col("index").rank("min", descending=True).cast(pl.Int64).alias("rank"))
    )
    return (
        out.join(ranks, on=[*AREA_COLUMNS, "index"])
        .sort("rank", "area", "indicator")
        .select(*AREA_COLUMNS, "indicator", "value", "normalised", "weight", "contribution", "index", "rank")
    )
