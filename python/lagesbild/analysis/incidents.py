"""Incidents and reported crime per area and theme: counts, rates, like periods, trends.

Two sources feed the lägesbild's themes (``[themes.NAME]``): the points of
the city's own incident reporting (``[incidents]``, *händelser*) and the
police's counts per area, month and category (``[crime]``, *polisen*).
Every function takes the same ``period=(start, end)``: by default the
twelve months to 31 August of the report year (1 September of the year
before to 31 August), because the lägesbild is reported with tertialrapport
2; earlier years are compared over the same months.

Methods
-------
- A point belongs to the stadsdel whose area holds it
  (:func:`lagesbild.assign`), a stadsdelsområde is the sum of its
  stadsdelar in the report year's organisation.
- Rate: count per 1,000 residents of the area (``[population]`` of the
  period's year); none for an area with fewer than ``[population]
  min_for_rates`` residents.
- Trend (:func:`incident_trend`): a Poisson regression of the like-period
  counts on the year with the log of the population as offset,
  ``log E[count] = a + b·year + log(population)``; ``change_per_year`` is
  ``exp(b) − 1`` (the yearly change of the rate) with the Wald interval
  ``exp(b ± z·se) − 1``. Where the counts vary more than a Poisson variable
  (Pearson χ² / (n − 2) > 1) the standard error is scaled by the square
  root of that dispersion (quasi-Poisson), as ``statsmodels``' GLM with
  ``scale="X2"`` does.
- Disclosure in ``mode="open"``: the area × theme table with its margins
  passes :func:`lagesbild.disclosure.disclose_table` (secondary
  suppression so that no withheld count narrows to the threshold from the
  margins); types within an area and theme, whose total that table
  publishes, pass the one-way group rule, and where the table withholds
  the total its types are withheld too; rates are withheld with their
  counts.

Examples
--------
>>> from lagesbild.analysis.incidents import default_period
>>> default_period(2025)
(datetime.date(2024, 9, 1), datetime.date(2025, 8, 31))
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from lagesbild.analysis.areas import AREA_COLUMNS, area_units, check_args, check_date
from lagesbild.analysis.common import population, require_columns
from lagesbild.city.common import unknown_names
from lagesbild.city.sections import Theme
from lagesbild.disclosure import disclose, disclose_table, rule_name
from lagesbild.engine import assign
from lagesbild.exceptions import InvalidArgumentError

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["default_period", "incident_trend", "incidents", "poisson_trend", "staff_violence"]

Period = tuple[dt.date, dt.date]


def default_period(year: int) -> Period:
    """The twelve months to 31 August of ``year``: the lägesbild's period (tertialrapport 2)."""
    return dt.date(year - 1, 9, 1), dt.date(year, 8, 31)


def _period(fn: str, year: int, period: Sequence[dt.date] | None) -> Period:
    if period is None:
        return default_period(year)
    if not isinstance(period, Sequence) or len(period) != 2:
        msg = f"{fn}: period must be (start, end) dates, not {period!r}"
        raise InvalidArgumentError(msg)
    start, end = check_date(fn, period[0]), check_date(fn, period[1])
    if end < start:
        msg = f"{fn}: the period ends ({end}) before it starts ({start})"
        raise InvalidArgumentError(msg)
    return start, end


def _shift(period: Period, years: int) -> Period:
    """The like period ``years`` earlier (29 February becomes 28)."""

    def back(d: dt.date) -> dt.date:
        try:
            return d.replace(year=d.year - years)
        except ValueError:
            return d.replace(year=d.year - years, day=28)

    return back(period[0]), back(period[1])


def _themes(city: City, themes: Sequence[str] | None, fn: str) -> list[Theme]:
    configured = dict(city.settings.themes)
    if not configured:
        msg = f"{fn}: {city.name} has no [themes.NAME] sections (olyckor, brott, hot_och_vald …)"
        raise InvalidArgumentError(msg)
    names = list(configured) if themes is None else ([themes] if isinstance(themes, str) else list(themes))
    unknown = [t for t in names if t not in configured]
    if unknown:
        msg = f"{fn}: unknown theme {unknown[0]!r} (themes: {unknown_names(unknown, list(configured))})"
        raise InvalidArgumentError(msg)
    return [configured[t] for t in names]


def _theme_of(theme_col: pl.Expr, type_col: pl.Expr, themes: Sequence[Theme]) -> pl.Expr:
    """The theme of each incident (the first configured theme it matches), or null."""
    expr = pl.lit(None, pl.String)
    for t in reversed(themes):
        hit = theme_col.is_in(list(t.tema)) | type_col.is_in(list(t.typ))
        if t.exclude_typ:
            hit = hit & ~type_col.is_in(list(t.exclude_typ)).fill_null(False)
        expr = pl.when(hit.fill_null(False)).then(pl.lit(t.name)).otherwise(expr)
    return expr


def _incident_points(city: City, themes: Sequence[Theme]) -> pl.DataFrame | None:
    """The incidents with stadsdel, date, theme, type, nämnd and verksamhet (cached on the city)."""
    cfg = city.settings.incidents
    if cfg is None:
        return None
    key = ("incident_points", cfg, tuple(themes))
    if key in city._derived:
        return city._derived[key]
    layer = city.layer(cfg.layer)
    what = f"incident layer {cfg.layer!r}"
    require_columns(layer.attributes, [cfg.date, cfg.theme, cfg.type], what, "[incidents]")
    assert city.areas is not None
    area_key = city._sources[("areas", "areas")].key or "stadsdel"
    sd = assign(layer, city.areas, key=area_key).cast(pl.String)
    a = layer.attributes
    out = pl.DataFrame(
        {
            "stadsdel": sd,
            "date": a[cfg.date].cast(pl.Date),
            "tema": a[cfg.theme].cast(pl.String),
            "type": a[cfg.type].cast(pl.String),
            "namnd": a[cfg.namnd].cast(pl.String) if cfg.namnd else pl.Series([None] * len(a), dtype=pl.String),
            "verksamhet": a[cfg.activity].cast(pl.String)
            if cfg.activity
            else pl.Series([None] * len(a), dtype=pl.String),
        }
    ).with_columns(_theme_of(pl.col("tema"), pl.col("type"), themes).alias("theme"))
    city._derived[key] = out
    return out


def _crime_counts(city: City, themes: Sequence[Theme]) -> pl.DataFrame | None:
    """Police counts per stadsdel, month (first day), theme and category."""
    cfg = city.settings.crime
    if cfg is None:
        return None
    df = city.table(cfg.table)
    meta = city._sources[("table", cfg.table)]
    key = meta.key or "stadsdel"
    require_columns(df, [key, cfg.month, cfg.category, cfg.count], f"crime table {cfg.table!r}", "[crime]")
    base = df.select(
        pl.col(key).cast(pl.String).alias("__unit"),
        pl.col(cfg.month).cast(pl.String).alias("month"),
        pl.col(cfg.category).cast(pl.String).alias("type"),
        pl.col(cfg.count).cast(pl.Float64).alias("n"),
    )
    if meta.unit not in (None, "stadsdel"):
        base = city.to_stadsdelar(
            base,
            key="__unit",
            crosswalk=meta.unit if meta.unit != "stadsdelsomrade" else None,
            sums=["n"],
            by=["month", "type"],
        )
    else:
        base = base.rename({"__unit": "stadsdel"})
    theme = pl.lit(None, pl.String)
    for t in reversed(themes):
        theme = pl.when(pl.col("type").is_in(list(t.crime))).then(pl.lit(t.name)).otherwise(theme)
    return base.with_columns(
        pl.col("month").str.to_date("%Y-%m", strict=False).alias("date"), theme.alias("theme")
    ).drop("month")


def _span(df: pl.DataFrame, monthly: bool) -> Period:
    lo, hi = df["date"].min(), df["date"].max()
    assert isinstance(lo, dt.date) and isinstance(hi, dt.date)
    if monthly:  # the last month's last day
        nxt = dt.date(hi.year + (hi.month == 12), hi.month % 12 + 1, 1)
        hi = nxt - dt.timedelta(days=1)
    return lo, hi


def _sources(city: City, themes: Sequence[Theme]) -> dict[str, tuple[pl.DataFrame, Period]]:
    out = {}
    points = _incident_points(city, themes)
    if points is not None and points.height and points["date"].drop_nulls().len():
        out["händelser"] = (points.with_columns(pl.lit(1.0).alias("n")), _span(points.drop_nulls("date"), False))
    crime = _crime_counts(city, themes)
    if crime is not None and crime.height and crime["date"].drop_nulls().len():
        out["polisen"] = (crime, _span(crime.drop_nulls("date"), True))
    if not out:
        msg = f"{city.name}: no incidents: configure [incidents] (a point layer) or [crime] (the police table)"
        raise InvalidArgumentError(msg)
    return out


def _like_periods(period: Period, spans: dict[str, Period], fn: str) -> dict[str, list[tuple[int, Period]]]:
    """For each source, the like periods (report year, period) inside its data; the requested one must be."""
    out = {}
    for source, (lo, hi) in spans.items():
        years = []
        for k in range(0, 200):
            p = _shift(period, k)
            if p[0] < lo:
                break
            if p[1] <= hi:
                years.append((period[1].year - k, p))
        out[source] = sorted(years)
    if not any(y and y[-1][1] == period for y in out.values()):
        covered = "; ".join(f"{s}: {lo} – {hi}" for s, (lo, hi) in spans.items())
        msg = f"{fn}: the period {period[0]} – {period[1]} is outside the data ({covered})"
        raise InvalidArgumentError(msg)
    return {s: y for s, y in out.items() if y and y[-1][1] == period}


def _counts(
    city: City, year: int, level: str, period: Period, themes: Sequence[Theme]
) -> tuple[pl.DataFrame, dict[str, list[tuple[int, Period]]]]:
    """Counts per area, source, like-period year, theme and type (zeros included)."""
    sources = _sources(city, themes)
    like = _like_periods(period, {s: v[1] for s, v in sources.items()}, "incidents")
    units = area_units(city, year=year, level=level).select("stadsdel", *AREA_COLUMNS)
    parts = []
    for source, periods in like.items():
        df = sources[source][0].filter(pl.col("theme").is_not_null() & pl.col("stadsdel").is_not_null())
        for y, (start, end) in periods:
            part = (
                df.filter(pl.col("date").is_between(start, end))
                .join(units, on="stadsdel")
                .group_by(*AREA_COLUMNS, "theme", "type")
                .agg(pl.col("n").sum())
                .with_columns(
                    pl.lit(source).alias("source"),
                    pl.lit(y, pl.Int64).alias("year"),
                    pl.lit(start).alias("period_start"),
                    pl.lit(end).alias("period_end"),
                )
            )
            parts.append(part)
    counts = pl.concat(parts, how="vertical_relaxed")
    # Every area × theme present, zeros where nothing happened.
    # A theme counts in a source only where it is mapped there (incident values, police categories).
    mapped = pl.DataFrame(
        [
            (source, t.name)
            for source in like
            for t in themes
            if (t.crime if source == "polisen" else (t.tema or t.typ))
        ],
        schema={"source": pl.String, "theme": pl.String},
        orient="row",
    )
    areas = units.select(*AREA_COLUMNS).unique(maintain_order=True)
    periods_df = pl.DataFrame(
        [(s, y, p[0], p[1]) for s, ps in like.items() for y, p in ps],
        schema={"source": pl.String, "year": pl.Int64, "period_start": pl.Date, "period_end": pl.Date},
        orient="row",
    )
    frame = areas.join(periods_df.join(mapped, on="source"), how="cross")
    themed = frame.join(
        counts.group_by(*AREA_COLUMNS, "theme", "source", "year").agg(pl.col("n").sum()),
        on=[*AREA_COLUMNS, "theme", "source", "year"],
        how="left",
    )
    themed = themed.with_columns(pl.col("n").fill_null(0.0), pl.lit("alla").alias("type"))
    typed = counts.select(themed.columns)
    return pl.concat([themed, typed.select(themed.columns)]), like


def _population_of_areas(city: City, year: int, level: str, years: Sequence[int]) -> pl.DataFrame:
    units = area_units(city, year=year, level=level).select("stadsdel", *AREA_COLUMNS)
    return (
        population(city, years)
        .join(units, on="stadsdel")
        .group_by(*AREA_COLUMNS, "year")
        .agg(pl.col("population").sum())
    )


def incidents(
    city: City,
    year: int,
    level: str = "stadsdelsomrade",
    period: Sequence[dt.date] | None = None,
    *,
    themes: Sequence[str] | None = None,
    mode: str = "open",
) -> pl.DataFrame:
    """Incidents and reported crime per area, theme and type: counts and rates per 1,000 residents.

    For the period and the like period of every earlier year the data
    covers (the same months), from both sources (``source`` is
    ``"händelser"`` or ``"polisen"``). ``type`` is ``"alla"`` for the
    theme's total. The method and the disclosure rule are in the module
    docs; the trend is :func:`incident_trend`, the staff-violence table
    :func:`staff_violence`.

    Parameters
    ----------
    city
        A city with ``[themes.NAME]``, ``[incidents]`` and/or ``[crime]``,
        and ``[population]``.
    year
        The report year (its organisation, and the default period).
    level
        ``"stadsdel"``, ``"stadsdelsomrade"`` or ``"city"``.
    period
        ``(start, end)`` dates, inclusive; default the twelve months to 31
        August of ``year``.
    themes
        Theme names (default: every configured theme).
    mode
        ``"open"`` (the disclosure rule) or ``"internal"``.

    Returns
    -------
    polars.DataFrame
        ``level``, ``area``, ``area_code``, ``source``, ``year`` (of the
        like period), ``period_start``, ``period_end``, ``theme`` (``"alla"``
        on the areas' totals over the themes), ``type``, ``measure``
        (``"antal"`` or ``"per_1000"``), ``value``, ``unit``,
        ``population``, ``suppressed``, ``rule``. In ``mode="open"`` the
        area × theme table carries its margins: a row per area with theme
        ``"alla"`` and a row with the whole city's count (``area`` the
        city's name, ``area_code`` ``"city"``) per theme.

    Raises
    ------
    InvalidArgumentError
        An unknown theme; a period outside the data (or a year before it),
        naming the data's span.

    Examples
    --------
    The demo city's crime per stadsdelsområde, from both sources, for the
    twelve months to 31 August 2025 and the like periods the data covers:

    >>> out = incidents(lb.demo(), 2025, "stadsdelsomrade", themes=["brott"])
    >>> sorted(out["source"].unique()), out["year"].min(), out["period_start"].min()
    (['händelser', 'polisen'], 2020, datetime.date(2019, 9, 1))
    >>> one = out.filter(pl.col("year") == 2025, pl.col("area") == "Skärholmen", pl.col("theme") == "brott")
    >>> one = one.filter(pl.col("type") == "alla")
    >>> one.select("source", "measure", "unit").rows()  # doctest: +NORMALIZE_WHITESPACE
    [('händelser', 'antal', 'antal'), ('händelser', 'per_1000', 'per 1 000 invånare'),
     ('polisen', 'antal', 'antal'), ('polisen', 'per_1000', 'per 1 000 invånare')]
    """
    year, level, mode = check_args("incidents", year, level, mode)
    period = _period("incidents", year, period)
    chosen = _themes(city, themes, "incidents")
    counts, like = _counts(city, year, level, period, chosen)
    years = sorted({y for ps in like.values() for y, _ in ps})
    pop = _population_of_areas(city, year, level, years)
    rule = city.settings.suppression
    name = rule_name(rule, mode)
    cfg = city.settings.population
    min_pop = cfg.min_for_rates if cfg is not None else 0
    totals = counts.filter(pl.col("type") == "alla")
    parts = []
    for (source, y), part in totals.group_by("source", "year", maintain_order=True):
        table = disclose_table(
            part.select("area", "theme", pl.col("n").alias("value")),
            rows="area",
            columns="theme",
            rule=rule,
            mode=mode,
            total=(city.name, "alla"),
        )
        meta = part.select("period_start", "period_end").row(0)
        parts.append(
            table.with_columns(
                pl.lit(source).alias("source"),
                pl.lit(y, pl.Int64).alias("year"),
                pl.lit(meta[0]).alias("period_start"),
                pl.lit(meta[1]).alias("period_end"),
                pl.lit("alla").alias("type"),
            )
        )
    area_meta = totals.select(*AREA_COLUMNS).unique()
    themed = (
        pl.concat(parts)
        .join(area_meta, on="area", how="left")
        .with_columns(pl.col("level").fill_null("city"), pl.col("area_code").fill_null("city"))
    )
    # Types within an area and theme, whose total the table above publishes: the one-way rule; and where
    # that table withholds the total, every type of it too (they would add up to it).
    typed = counts.filter(pl.col("type") != "alla").with_columns(pl.lit("antal").alias("measure"))
    typed = disclose(
        typed.rename({"n": "value"}), counts=["antal"], rule=rule, mode=mode, groups=["source", "year", "area", "theme"]
    )
    if name != "internal" and rule.rule == "threshold":
        hidden_totals = themed.filter(pl.col("suppressed")).select(
            "source", "year", "area", "theme", pl.lit(True).alias("__total_hidden")
        )
        typed = (
            typed.join(hidden_totals, on=["source", "year", "area", "theme"], how="left")
            .with_columns(
                pl.when(pl.col("__total_hidden").fill_null(False)).then(None).otherwise(pl.col("value")).alias("value"),
                (pl.col("suppressed") | pl.col("__total_hidden").fill_null(False)).alias("suppressed"),
            )
            .drop("__total_hidden")
        )
    counts_long = pl.concat(
        [
            themed.select(
                *AREA_COLUMNS,
                "source",
                "year",
                "period_start",
                "period_end",
                "theme",
                "type",
                pl.lit("antal").alias("measure"),
                "value",
                "suppressed",
                "rule",
            ),
            typed.select(
                *AREA_COLUMNS,
                "source",
                "year",
                "period_start",
                "period_end",
                "theme",
                "type",
                "measure",
                "value",
                "suppressed",
                "rule",
            ),
        ]
    )
    whole = pop.group_by("year").agg(pl.col("population").sum()).with_columns(pl.lit(city.name).alias("area"))
    pops = pl.concat([pop.select("area", "year", "population"), whole.select("area", "year", "population")])
    counts_long = counts_long.join(pops.unique(["area", "year"]), on=["area", "year"], how="left")
    rates = counts_long.with_columns(
        pl.lit("per_1000").alias("measure"),
        pl.when(pl.col("population") >= max(min_pop, 1))
        .then(pl.col("value") / pl.col("population") * 1000.0)
        .otherwise(None)
        .alias("value"),
    )
    out = pl.concat([counts_long, rates]).with_columns(
        pl.when(pl.col("measure") == "antal")
        .then(pl.lit("antal"))
        .otherwise(pl.lit("per 1 000 invånare"))
        .alias("unit"),
        pl.lit(name).alias("rule"),
    )
    names = area_units(city, year=year, level=level)["area"].unique(maintain_order=True).to_list()
    order = {a: i for i, a in enumerate([*names, city.name])}
    return (
        out.with_columns(pl.col("area").replace_strict(order, default=len(order), return_dtype=pl.Int64).alias("__o"))
        .sort("source", "year", "__o", "theme", "type", "measure")
        .drop("__o")
        .select(
            *AREA_COLUMNS,
            "source",
            "year",
            "period_start",
            "period_end",
            "theme",
            "type",
            "measure",
            "value",
            "unit",
            "population",
            "suppressed",
            "rule",
        )
    )


# -- the trend ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PoissonTrend:
    """A fitted ``log E[y] = a + b·x + offset``: slope, standard error and dispersion."""

    slope: float
    se: float
    dispersion: float
    intercept: float


def poisson_trend(counts: Sequence[float], years: Sequence[float], exposure: Sequence[float]) -> PoissonTrend:
    """A Poisson regression of counts on year with ``log(exposure)`` as offset, by IRLS.

    The standard error is scaled by the Pearson dispersion when it is above
    1 (quasi-Poisson).

    Examples
    --------
    >>> from lagesbild.analysis.incidents import poisson_trend
    >>> fit = poisson_trend([100, 110, 121], [2020, 2021, 2022], [1, 1, 1])
    >>> round(math.exp(fit.slope), 3)
    1.1
    """
    y = np.asarray(counts, dtype=float)
    x = np.asarray(years, dtype=float)
    off = np.log(np.asarray(exposure, dtype=float))
    xc = x - x.mean()
    design = np.column_stack([np.ones_like(xc), xc])
    beta = np.array([math.log(max(y.sum(), 0.5) / np.exp(off).sum()), 0.0])
    for _ in range(200):
        eta = design @ beta + off
        mu = np.exp(eta)
        z = eta - off + (y - mu) / mu
        wts = mu
        xtw = design.T * wts
        new = np.linalg.solve(xtw @ design, xtw @ z)
        if np.max(np.abs(new - beta)) < 1e-12:
            beta = new
            break
        beta = new
    mu = np.exp(design @ beta + off)
    cov = np.linalg.inv((design.T * mu) @ design)
    dof = len(y) - 2
    pearson = float(((y - mu) ** 2 / mu).sum() / dof) if dof > 0 else float("nan")
    scale = pearson if dof > 0 and pearson > 1 else 1.0
    return PoissonTrend(
        slope=float(beta[1]),
        se=float(math.sqrt(cov[1, 1] * scale)),
        dispersion=pearson,
        intercept=float(beta[0] - beta[1] * x.mean()),
    )


def incident_trend(
    city: City,
    year: int,
    level: str = "stadsdelsomrade",
    period: Sequence[dt.date] | None = None,
    *,
    themes: Sequence[str] | None = None,
    confidence: float = 0.95,
) -> pl.DataFrame:
    """The yearly change of each area's incident rate over the like periods the data covers.

    A Poisson regression per area, source and theme (method in the module
    docs). Areas with incidents in fewer than two periods, or with
    fewer than three periods, get no trend (nulls). The trend is a statement about rates and carries
    no count, so the disclosure rule does not change it.

    Returns
    -------
    polars.DataFrame
        ``level``, ``area``, ``area_code``, ``source``, ``theme``,
        ``first_year``, ``last_year``, ``periods``, ``total`` (incidents
        over all periods), ``change_per_year`` (``exp(b) − 1``), ``lo``,
        ``hi``, ``dispersion``, ``method`` (``"poisson"`` or
        ``"quasi-poisson"``), ``direction`` (``"rising"``, ``"falling"`` or
        ``"no clear trend"``: whether the interval excludes 0).

    Examples
    --------
    >>> t = incident_trend(lb.demo(), 2025, "city")
    >>> t.select("source", "theme", "first_year", "last_year", "periods").rows()[:2]
    [('händelser', 'olyckor', 2020, 2025, 6), ('händelser', 'brott', 2020, 2025, 6)]
    """
    year, level, _ = check_args("incident_trend", year, level)
    period = _period("incident_trend", year, period)
    chosen = _themes(city, themes, "incident_trend")
    counts, like = _counts(city, year, level, period, chosen)
    years = sorted({y for ps in like.values() for y, _ in ps})
    pop = _population_of_areas(city, year, level, years)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    data = counts.filter(pl.col("type") == "alla").join(pop, on=[*AREA_COLUMNS, "year"], how="left")
    rows = []
    for keys, part in data.group_by(*AREA_COLUMNS, "source", "theme", maintain_order=True):
        part = part.filter(pl.col("population") > 0).sort("year")
        n, total = part.height, float(part["n"].sum())
        base = (*keys, int(part["year"].min()) if n else None, int(part["year"].max()) if n else None, n, total)
        positive = int((part["n"] > 0).sum())
        fit = None
        if n >= 3 and positive >= 2:  # otherwise the slope is not estimable (or infinite)
            try:
                fit = poisson_trend(part["n"].to_list(), part["year"].to_list(), part["population"].to_list())
            except np.linalg.LinAlgError:
                fit = None
        if fit is None or not (math.isfinite(fit.slope) and math.isfinite(fit.se)):
            rows.append((*base, None, None, None, None, None, None))
            continue
        lo, hi = math.exp(fit.slope - z * fit.se) - 1, math.exp(fit.slope + z * fit.se) - 1
        direction = "rising" if lo > 0 else "falling" if hi < 0 else "no clear trend"
        method = "quasi-poisson" if fit.dispersion > 1 else "poisson"
        rows.append((*base, math.exp(fit.slope) - 1, lo, hi, fit.dispersion, method, direction))
    schema = {
        "level": pl.String, "area": pl.String, "area_code": pl.String, "source": pl.String, "theme": pl.String,
        "first_year": pl.Int64, "last_year": pl.Int64, "periods": pl.Int64, "total": pl.Float64,
        "change_per_year": pl.Float64, "lo": pl.Float64, "hi": pl.Float64, "dispersion": pl.Float64,
        "method": pl.String, "direction": pl.String,
    }  # fmt: skip
    return pl.DataFrame(rows, schema=schema, orient="row")


# -- threats and violence against staff ------------------------------------------------------


def staff_violence(
    city: City,
    year: int,
    period: Sequence[dt.date] | None = None,
    *,
    theme: str = "hot_och_vald",
    mode: str = "open",
) -> pl.DataFrame:
    """Threats and violence against staff per nämnd and verksamhet, from the city's incident reports.

    The incidents of ``theme`` in the period, as a nämnd × verksamhet table
    with its margins (``verksamhet`` ``"alla"`` per nämnd, ``namnd``
    ``"alla nämnder"`` per verksamhet), through
    :func:`lagesbild.disclosure.disclose_table`. Facknämnder report it too:
    the table is per reporting nämnd, wherever the incident happened.

    Returns
    -------
    polars.DataFrame
        ``namnd``, ``verksamhet``, ``value`` (incidents), ``suppressed``,
        ``rule``, ``period_start``, ``period_end``.

    Examples
    --------
    >>> staff = staff_violence(lb.demo(), 2025)
    >>> staff.filter(pl.col("namnd") == "alla nämnder", pl.col("verksamhet") == "alla")["value"].item() > 1000
    True
    """
    year, _, mode = check_args("staff_violence", year, "city", mode)
    period = _period("staff_violence", year, period)
    chosen = _themes(city, [theme], "staff_violence")
    cfg = city.settings.incidents
    points = _incident_points(city, chosen)
    if cfg is None or points is None:
        msg = f"staff_violence: {city.name} has no [incidents] layer"
        raise InvalidArgumentError(msg)
    if cfg.namnd is None or cfg.activity is None:
        msg = f"staff_violence: the incident layer {cfg.layer!r} needs its nämnd and verksamhet columns ([incidents])"
        raise InvalidArgumentError(msg)
    _like_periods(period, {"händelser": _span(points.drop_nulls("date"), False)}, "staff_violence")
    part = (
        points.filter((pl.col("theme") == theme) & pl.col("date").is_between(*period))
        .group_by("namnd", "verksamhet")
        .agg(pl.len().cast(pl.Float64).alias("value"))
        .sort("namnd", "verksamhet")
    )
    if part.height == 0:
        return pl.DataFrame(
            schema={"namnd": pl.String, "verksamhet": pl.String, "value": pl.Float64, "suppressed": pl.Boolean,
                    "rule": pl.String, "period_start": pl.Date, "period_end": pl.Date}
        )  # fmt: skip
    table = disclose_table(
        part.with_columns(pl.col("namnd").fill_null("okänd"), pl.col("verksamhet").fill_null("okänd")),
        rows="namnd",
        columns="verksamhet",
        rule=city.settings.suppression,
        mode=mode,
        total=("alla nämnder", "alla"),
    )
    return table.with_columns(pl.lit(period[0]).alias("period_start"), pl.lit(period[1]).alias("period_end"))
