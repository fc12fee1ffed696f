"""Safety-survey indicators per area and year, with their sampling uncertainty.

The trygghetsmätningar (``[surveys]``) arrive as long tables: source,
year, area (a stadsdel, or another unit through a crosswalk such as the
police's lokalpolisområden), kön, indicator, value and respondents.
:func:`survey` gives every survey year up to the report year in **one
organisation** (the report year's), built from the stadsdelar, so a series
is never broken at a reorganisation.

Method
------
- **Shares** (0–1). A stadsdel's own share ``p`` from ``n`` respondents
  gets a Wilson score interval with the effective sample size
  ``n / deff`` (``deff`` = ``[surveys] design_effect``).
- **Areas made of several survey units** (a stadsdelsområde, the city, a
  stadsdel covered by a lokalpolisområde) get the stratified estimate
  ``p = Σ W_u p_u`` with ``W_u`` the unit's share of the area's
  **residents** (``[population]`` of the survey year; the city oversamples
  small areas, so weighting by respondents would overweight them) and the
  variance ``Σ W_u² · deff · p_u (1 − p_u) / n_u``; the interval is
  ``p ± z·√var`` (clipped to 0–1). A unit's residents are shared between
  stadsdelar by the crosswalk's weights. Stadsdelar without survey data
  (too few residents) are left out of the weights.
- **Change** since the previous survey of the same source that covered the
  area: ``d = p₂ − p₁`` with the interval ``d ± z·√(var₁ + var₂)``
  (two independent samples; for one stadsdel the unpooled two-proportion
  z-test, with the design effect). ``beyond_noise`` is true where the
  interval excludes 0.
- **Indices** (``[surveys] indices``, such as the police's 0–6
  problemindex) are averaged with the same weights but carry no interval:
  the tables hold no spread to compute one from.
- Shares and changes resting on fewer than ``[surveys] min_respondents``
  respondents are withheld in ``mode="open"`` (:mod:`lagesbild.disclosure`).

Examples
--------
>>> from lagesbild.analysis.survey import wilson
>>> [round(x, 4) for x in wilson(0.25, 200)]
[0.1951, 0.3143]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist
from typing import TYPE_CHECKING

import polars as pl

from lagesbild.analysis.areas import AREA_COLUMNS, area_units, check_args
from lagesbild.analysis.common import population, require_columns
from lagesbild.city.common import unknown_names
from lagesbild.disclosure import withhold_shares
from lagesbild.exceptions import InvalidArgumentError

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["survey", "survey_trend", "wilson"]

_GENDER_COLUMNS = {"kvinnor": "women", "män": "men", "man": "men"}


def wilson(p: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of a share ``p`` from ``n`` (effective) respondents.

    ``n`` is the number of respondents divided by the design effect; the
    interval is that of :func:`statsmodels.stats.proportion.proportion_confint`
    with ``method="wilson"``.

    Examples
    --------
    40 % of 300 respondents, and the same with a design effect of 1.5:

    >>> [round(x, 4) for x in wilson(0.4, 300)], [round(x, 4) for x in wilson(0.4, 300 / 1.5)]
    ([0.3462, 0.4564], [0.3346, 0.4692])
    """
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _observations(city: City, source: str | None) -> pl.DataFrame:
    """Every survey row as source, year, unit, link table name, kön, indicator, p, n."""
    s = city.settings.surveys
    if s is None or not s.tables:
        msg = f"{city.name}: no [surveys] tables are configured"
        raise InvalidArgumentError(msg)
    parts = []
    for name in s.tables:
        df = city.table(name)
        meta = city._sources[("table", name)]
        key, year = meta.key or "stadsdel", meta.year
        what = f"survey table {name!r}"
        if year is None:
            msg = f"{what}: no year column; give it as year = ... in [tables.{name}]"
            raise InvalidArgumentError(msg)
        require_columns(df, [key, year, s.source, s.indicator, s.value], what, "[surveys]")
        require_columns(df, [s.respondents], what, "[surveys] respondents (intervals need respondent counts)")
        gender = pl.col(s.gender).cast(pl.String) if s.gender and s.gender in df.columns else pl.lit("alla")
        parts.append(
            df.select(
                pl.col(s.source).cast(pl.String).alias("source"),
                pl.col(year).cast(pl.Int64).alias("year"),
                pl.col(key).cast(pl.String).alias("unit"),
                pl.lit(meta.unit if meta.unit not in (None, "stadsdel") else "", pl.String).alias("link"),
                gender.alias("kon"),
                pl.col(s.indicator).cast(pl.String).alias("measure"),
                pl.col(s.value).cast(pl.Float64).alias("p"),
                pl.col(s.respondents).cast(pl.Float64).alias("n"),
            )
        )
    obs = pl.concat(parts).drop_nulls(["source", "year", "unit", "measure"])
    if source is not None:
        known = sorted(set(obs["source"].to_list()))
        if source not in known:
            msg = f"survey: no source {source!r} in the survey tables (sources: {unknown_names([source], known)})"
            raise InvalidArgumentError(msg)
        obs = obs.filter(pl.col("source") == source)
    return obs


def _unit_shares(city: City, links: Sequence[str]) -> pl.DataFrame:
    """Each survey unit's crosswalk weight in each stadsdel: link, unit, stadsdel, f (1 for a stadsdel itself)."""
    parts = [pl.DataFrame({"link": "", "unit": city.stadsdelar, "stadsdel": city.stadsdelar, "f": 1.0})]
    for link in links:
        if link == "":
            continue
        if link not in city.crosswalks:
            msg = f"survey: a survey table is keyed by {link!r}, which is not one of the city's crosswalks"
            raise InvalidArgumentError(msg)
        cw = city.crosswalks[link]
        parts.append(
            cw.select(
                pl.lit(link).alias("link"),
                pl.col("from").cast(pl.String).alias("unit"),
                pl.col("stadsdel").cast(pl.String),
                pl.col("weight").cast(pl.Float64).alias("f"),
            )
        )
    return pl.concat(parts)


def _share_of_stadsdel(df: pl.DataFrame, by: Sequence[str]) -> pl.DataFrame:
    """The crosswalk weights made each unit's share of its stadsdel, among the units with data (equal if all 0)."""
    total = pl.col("f").sum().over(by)
    return df.with_columns(pl.when(total > 0).then(pl.col("f") / total).otherwise(1.0 / pl.len().over(by)).alias("f"))


def survey(
    city: City,
    year: int,
    level: str = "stadsdelsomrade",
    source: str | None = None,
    *,
    mode: str = "open",
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Survey indicators per area and survey year, their intervals, and the change since the last survey.

    Every survey year up to ``year`` is given, in the organisation of
    ``year`` (so a series crosses a reorganisation unbroken); ``latest``
    marks, per area, source, kön and indicator, the latest survey at or
    before ``year`` (a 2025 report shows the 2023 city survey, with its
    year). Shares are 0–1; the method is in the module docs.

    Parameters
    ----------
    city
        The city, with ``[surveys]`` (and ``[population]`` for areas made of
        several stadsdelar or units).
    year
        The report year.
    level
        ``"stadsdel"``, ``"stadsdelsomrade"`` or ``"city"``.
    source
        One survey (a value of the source column, such as
        ``"stadens trygghetsmätning"``); ``None`` for all.
    mode
        ``"open"`` withholds shares resting on fewer than
        ``min_respondents``; ``"internal"`` withholds nothing.
    confidence
        Of the intervals (0.95: 95 %).

    Returns
    -------
    polars.DataFrame
        ``level``, ``area``, ``area_code``, ``source``, ``kon``,
        ``measure`` (the indicator), ``year`` (of the survey), ``value``,
        ``unit`` (``"share"`` or ``"index"``), ``lo``, ``hi``, ``se`` (the
        standard error of ``value``, design effect included),
        ``respondents`` (of the area: a unit split between areas counts by
        its residents' share), ``method`` (``"wilson"``, ``"stratified"``
        or ``"index"``), ``previous_year``, ``previous_value``, ``change``,
        ``change_lo``, ``change_hi``, ``beyond_noise``, ``latest``,
        ``suppressed``, ``rule``.

    Raises
    ------
    InvalidArgumentError
        No survey at or before ``year``, an unknown source, no
        ``[surveys]``.
    ColumnNotFoundError
        A survey table without a configured column (respondent counts in
        particular), naming the table and column.

    Examples
    --------
    Two stadsdelar of Väst (A with 10 residents, C with 30) asked in 2020
    and 2023:

    >>> from lagesbild.config import Population, Surveys, Settings
    >>> base = lb.City.example()
    >>> enkat = pl.DataFrame({"kalla": "stadens", "ar": [2020, 2020, 2023, 2023], "stadsdel": ["A", "C"] * 2,
    ...     "indikator": "otrygg_kvall", "varde": [0.20, 0.30, 0.25, 0.45], "respondenter": [400, 100, 400, 100]})
    >>> city = lb.City(base.areas, base.organisation(2020).drop("namnd", strict=False).vstack(base.organisation(2024)),
    ...     tables={"befolkning": base.table("befolkning"), "enkat": enkat},
    ...     table_keys={"befolkning": {"year": "ar"}, "enkat": {"year": "ar"}},
    ...     settings=Settings(surveys=Surveys(tables=("enkat",)), population=Population(table="befolkning")))
    >>> out = survey(city, 2023, "stadsdelsomrade")
    >>> out.filter(pl.col("latest")).select("area", "year", pl.col("value", "change").round(3), "beyond_noise").rows()
    [('Hela', 2023, 0.4, 0.125, True)]

    The 2023 value is the residents' mean, ``(10·0.25 + 30·0.45) / 40``,
    not the respondents' (``(400·0.25 + 100·0.45) / 500 = 0.29``); 2020
    (``0.275``) is weighted by the earliest population the table has.
    """
    year, level, mode = check_args("survey", year, level, mode)
    if not 0 < confidence < 1:
        msg = f"survey: confidence must be between 0 and 1, not {confidence!r}"
        raise InvalidArgumentError(msg)
    s = city.settings.surveys
    obs = _observations(city, source)
    years = sorted(set(obs["year"].to_list()))
    if not [y for y in years if y <= year]:
        msg = f"survey: no survey at or before {year} (survey years: {', '.join(map(str, years)) or 'none'})"
        raise InvalidArgumentError(msg)
    obs = obs.filter(pl.col("year") <= year)
    assert s is not None
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    deff = s.design_effect
    shares = _unit_shares(city, sorted(set(obs["link"].to_list())))
    units = area_units(city, year=year, level=level).select("stadsdel", *AREA_COLUMNS)

    # Residents of each (area, unit, year): Σ over the area's stadsdelar of population · the unit's share.
    survey_years = sorted(set(obs["year"].to_list()))
    need_population = level != "stadsdel" or (obs["link"] != "").any()
    if need_population:
        pop = _population_by_kon(city, survey_years, obs)
    else:  # each stadsdel its own survey unit: no weights needed
        pop = (
            pl.DataFrame({"stadsdel": city.stadsdelar, "population": 1.0})
            .join(pl.DataFrame({"year": survey_years}, schema={"year": pl.Int64}), how="cross")
            .join(obs.select("kon").unique(), how="cross")
        )
    links = units.join(shares, on="stadsdel")
    per_stadsdel = ["stadsdel", "link", "source", "year", "kon", "measure"]
    # Every sum below runs over rows in a fixed order (joins and group-bys hand rows over in an order
    # that can change from run to run, and a float sum in another order can differ in its last bits).
    row_order = [*AREA_COLUMNS, "source", "kon", "measure", "year", "link", "unit", "stadsdel"]
    joined = (
        _share_of_stadsdel(obs.join(links, on=["link", "unit"], how="inner").sort(row_order), per_stadsdel)
        .join(pop, on=["stadsdel", "year", "kon"], how="left", maintain_order="left")
        .with_columns((pl.col("population").fill_null(0.0) * pl.col("f")).alias("w"))
    )
    # Per area and unit: the unit's residents in the area, and the unit's residents overall.
    keys = [*AREA_COLUMNS, "source", "kon", "measure", "year"]
    per_unit = (
        joined.group_by([*keys, "link", "unit"], maintain_order=True)
        .agg(pl.col("w").sum(), pl.col("p").first(), pl.col("n").first())
        .filter(pl.col("p").is_not_null() & (pl.col("n") > 0))
    )
    unit_total = (
        _share_of_stadsdel(
            obs.join(shares, on=["link", "unit"], how="inner").sort(
                "source", "kon", "measure", "year", "link", "unit", "stadsdel"
            ),
            per_stadsdel,
        )
        .join(pop, on=["stadsdel", "year", "kon"], how="left", maintain_order="left")
        .group_by("source", "kon", "measure", "year", "link", "unit", maintain_order=True)
        .agg((pl.col("population").fill_null(0.0) * pl.col("f")).sum().alias("unit_w"))
    )
    per_unit = per_unit.join(
        unit_total, on=["source", "kon", "measure", "year", "link", "unit"], how="left", maintain_order="left"
    )
    is_index = pl.col("measure").is_in(list(s.indices))
    w_sum = pl.col("w").sum().over(keys)
    single = (pl.len().over(keys) == 1) & (pl.col("link") == "")
    est = (
        per_unit.with_columns(
            pl.when(w_sum > 0).then(pl.col("w") / w_sum).otherwise(1.0 / pl.len().over(keys)).alias("W"),
            pl.when(pl.col("unit_w") > 0).then(pl.col("w") / pl.col("unit_w")).otherwise(1.0).alias("g"),
            single.alias("single"),
        )
        .group_by(keys, maintain_order=True)
        .agg(
            (pl.col("W") * pl.col("p")).sum().alias("value"),
            (pl.col("W").pow(2) * deff * pl.col("p") * (1 - pl.col("p")) / pl.col("n")).sum().alias("var"),
            (pl.col("n") * pl.col("g")).sum().alias("respondents"),
            pl.col("single").first(),
            pl.col("n").first().alias("n1"),
            is_index.first().alias("is_index"),
        )
    )
    lo, hi = [], []
    for value, var, single_, n1, idx in est.select("value", "var", "single", "n1", "is_index").iter_rows():
        if idx or value is None:
            lo.append(None)
            hi.append(None)
        elif single_:
            a, b = wilson(value, n1 / deff, confidence)
            lo.append(a)
            hi.append(b)
        else:
            half = z * math.sqrt(max(var, 0.0))
            lo.append(max(0.0, value - half))
            hi.append(min(1.0, value + half))
    est = est.with_columns(
        pl.Series("lo", lo, dtype=pl.Float64),
        pl.Series("hi", hi, dtype=pl.Float64),
        pl.when(pl.col("is_index")).then(pl.lit("index")).otherwise(pl.lit("share")).alias("unit"),
        pl.when(pl.col("is_index"))
        .then(pl.lit("index"))
        .when(pl.col("single"))
        .then(pl.lit("wilson"))
        .otherwise(pl.lit("stratified"))
        .alias("method"),
    )
    few = pl.col("respondents") < s.min_respondents if mode == "open" else pl.lit(False)
    series = [*AREA_COLUMNS, "source", "kon", "measure"]
    est = est.sort([*series, "year"]).with_columns(few.alias("__few"))
    est = est.with_columns(
        pl.col("year").shift(1).over(series).alias("previous_year"),
        pl.col("value").shift(1).over(series).alias("previous_value"),
        pl.col("var").shift(1).over(series).alias("__pvar"),
        pl.col("__few").shift(1).over(series).alias("__pfew"),
    )
    half = z * (pl.col("var") + pl.col("__pvar")).sqrt()
    change = pl.col("value") - pl.col("previous_value")
    hidden_change = pl.col("__few") | pl.col("__pfew").fill_null(False)
    no_interval = pl.col("is_index") | pl.col("previous_value").is_null()
    est = est.with_columns(
        pl.when(hidden_change).then(None).otherwise(change).alias("change"),
        pl.when(hidden_change | no_interval).then(None).otherwise(change - half).alias("change_lo"),
        pl.when(hidden_change | no_interval).then(None).otherwise(change + half).alias("change_hi"),
        pl.when(pl.col("__pfew").fill_null(False))
        .then(None)
        .otherwise(pl.col("previous_value"))
        .alias("previous_value"),
        (pl.col("year") == pl.col("year").max().over(series)).alias("latest"),
    ).with_columns(
        pl.when(pl.col("change_lo").is_null())
        .then(None)
        .otherwise((pl.col("change_lo") > 0) | (pl.col("change_hi") < 0))
        .alias("beyond_noise")
    )
    out = est.select(
        *series[:3],
        "source",
        "kon",
        "measure",
        "year",
        "value",
        "unit",
        "lo",
        "hi",
        pl.when(pl.col("is_index")).then(None).otherwise(pl.col("var").sqrt()).alias("se"),
        "respondents",
        "method",
        "previous_year",
        "previous_value",
        "change",
        "change_lo",
        "change_hi",
        "beyond_noise",
        "latest",
    )
    out = withhold_shares(
        out, respondents="respondents", min_respondents=s.min_respondents, values=["value", "lo", "hi", "se"], mode=mode
    )
    order = {a: i for i, a in enumerate(units["area"].unique(maintain_order=True).to_list())}
    return (
        out.with_columns(pl.col("area").replace_strict(order, return_dtype=pl.Int64).alias("__o"))
        .sort("__o", "source", "measure", "kon", "year")
        .drop("__o")
    )


def _population_by_kon(city: City, years: Sequence[int], obs: pl.DataFrame) -> pl.DataFrame:
    """Residents per stadsdel, year and kön value of the survey (women and men where configured)."""
    cfg = city.settings.population
    total = population(city, years)
    parts = []
    for kon in sorted(set(obs["kon"].to_list())):
        column = getattr(cfg, _GENDER_COLUMNS[kon], None) if cfg is not None and kon in _GENDER_COLUMNS else None
        base = population(city, years, column) if column else total
        parts.append(base.with_columns(pl.lit(kon).alias("kon")))
    return pl.concat(parts)


def survey_trend(
    city: City,
    year: int,
    level: str = "stadsdelsomrade",
    source: str | None = None,
    *,
    mode: str = "open",
    confidence: float = 0.95,
) -> pl.DataFrame:
    """The linear trend of each survey series up to ``year``, with its interval.

    Per area, source, kön and share indicator with at least three surveys:
    the inverse-variance weighted least-squares slope of the share on the
    survey year, ``b = Σ w (x − x̄)(y − ȳ) / Σ w (x − x̄)²`` with
    ``w = 1 / se²`` (weighted means), and its standard error
    ``1 / √(Σ w (x − x̄)²)`` (the surveys are independent samples with known
    variances). The interval is ``b ± z·se``; ``direction`` is
    ``"rising"`` or ``"falling"`` where it excludes 0, else
    ``"no clear trend"``. Surveys withheld for too few respondents are left
    out. Slopes are in share points (0–1) per year.

    Returns
    -------
    polars.DataFrame
        ``level``, ``area``, ``area_code``, ``source``, ``kon``,
        ``measure``, ``first_year``, ``last_year``, ``surveys``,
        ``slope_per_year``, ``lo``, ``hi``, ``change`` (the slope times the
        years spanned), ``direction``.

    Examples
    --------
    In the demo, Rinkeby's unsafety out late falls beyond sampling noise
    over the city's four surveys, and Fruängen's rises:

    >>> t = survey_trend(lb.demo(), 2025, "stadsdel", source="stadens trygghetsmätning")
    >>> t = t.filter(pl.col("kon") == "alla", pl.col("measure") == "otrygg_kvall")
    >>> t.filter(pl.col("area").is_in(["RINKEBY", "FRUÄNGEN"])).select("area", "surveys", "direction").rows()
    [('FRUÄNGEN', 4, 'rising'), ('RINKEBY', 4, 'falling')]
    """
    series = survey(city, year, level, source, mode=mode, confidence=confidence)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    keys = [*AREA_COLUMNS, "source", "kon", "measure"]
    usable = series.filter(pl.col("se").is_not_null() & (pl.col("se") > 0) & pl.col("value").is_not_null())
    rows = []
    for k, part in usable.group_by(keys, maintain_order=True):
        x = part["year"].cast(pl.Float64).to_numpy()
        y = part["value"].to_numpy()
        w = 1.0 / part["se"].to_numpy() ** 2
        base = (*k, int(x.min()), int(x.max()), len(x))
        if len(x) < 3:
            rows.append((*base, None, None, None, None, None))
            continue
        xm, ym = (w * x).sum() / w.sum(), (w * y).sum() / w.sum()
        sxx = (w * (x - xm) ** 2).sum()
        b = float((w * (x - xm) * (y - ym)).sum() / sxx)
        se = 1.0 / math.sqrt(sxx)
        lo, hi = b - z * se, b + z * se
        direction = "rising" if lo > 0 else "falling" if hi < 0 else "no clear trend"
        rows.append((*base, b, lo, hi, b * (x.max() - x.min()), direction))
    schema = {
        **{c: pl.String for c in keys},
        "first_year": pl.Int64,
        "last_year": pl.Int64,
        "surveys": pl.Int64,
        "slope_per_year": pl.Float64,
        "lo": pl.Float64,
        "hi": pl.Float64,
        "change": pl.Float64,
        "direction": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")
