"""The conventions every analysis follows: levels, report years, the shape of results.

Every analysis is a free function ``f(city, *, year, level="stadsdelsomrade",
mode="open", ...)`` returning polars. ``year`` is the report year: areas are
those of the organisation in force on 31 December of it, and per area the
latest data at or before it is used (the year actually used is a column of
the result). ``level`` is one of :data:`LEVELS`:

- ``"stadsdel"``: the stable unit (117 in Stockholm);
- ``"stadsdelsomrade"``: the stadsdelsområden of the year's organisation
  (13 in 2022, 11 from 2023 in Stockholm), each run by a stadsdelsnämnd;
- ``"city"``: the whole municipality.

Per-area results start with the columns ``level``, ``area`` (the name),
``area_code``, then the measures. In long form (the default) each row holds
one ``measure`` with its ``value`` and ``unit``; :func:`wide` pivots the
measures into columns, as analysts would anyway.

Examples
--------
>>> from lagesbild.analysis.areas import area_units
>>> area_units(lb.City.example(), year=2022, level="stadsdelsomrade")
shape: (4, 4)
┌──────────┬─────────────────┬──────┬───────────┐
│ stadsdel ┆ level           ┆ area ┆ area_code │
│ ---      ┆ ---             ┆ ---  ┆ ---       │
│ str      ┆ str             ┆ str  ┆ str       │
╞══════════╪═════════════════╪══════╪═══════════╡
│ A        ┆ stadsdelsomrade ┆ Väst ┆ V         │
│ B        ┆ stadsdelsomrade ┆ Öst  ┆ O         │
│ C        ┆ stadsdelsomrade ┆ Väst ┆ V         │
│ D        ┆ stadsdelsomrade ┆ Öst  ┆ O         │
└──────────┴─────────────────┴──────┴───────────┘
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import polars as pl

from lagesbild.engine import dissolve
from lagesbild.exceptions import InvalidArgumentError
from lagesbild.layer import Layer

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = [
    "LEVELS",
    "MODES",
    "Level",
    "Mode",
    "area_layer",
    "area_units",
    "check_args",
    "long_form",
    "stadsdel_layer",
    "wide",
]

Level = Literal["stadsdel", "stadsdelsomrade", "city"]
Mode = Literal["open", "internal"]

#: The levels of the area hierarchy, finest first.
LEVELS: tuple[str, ...] = ("stadsdel", "stadsdelsomrade", "city")
#: ``"open"``: for publication (the disclosure rule applied, protected
#: locations never listed); ``"internal"``: for the organisation's own use.
MODES: tuple[str, ...] = ("open", "internal")

#: The columns every per-area result starts with.
AREA_COLUMNS = ("level", "area", "area_code")


def check_args(fn: str, year: object, level: object, mode: object = "open") -> tuple[int, str, str]:
    """The report year, level and mode, or an :class:`InvalidArgumentError` naming the bad one.

    Examples
    --------
    >>> from lagesbild.analysis.areas import check_args
    >>> check_args("exposure", 2025, "stadsdel")
    (2025, 'stadsdel', 'open')
    >>> try:
    ...     check_args("exposure", 2025, "stadsdelsområde")
    ... except lb.InvalidArgumentError as e:
    ...     print(e)
    exposure: level must be 'stadsdel', 'stadsdelsomrade' or 'city', not 'stadsdelsområde'
    """
    if isinstance(year, bool) or not isinstance(year, int) or not 1800 <= year <= 2200:
        msg = f"{fn}: year must be a report year such as 2025, not {year!r}"
        raise InvalidArgumentError(msg)
    if level not in LEVELS:
        msg = f"{fn}: level must be 'stadsdel', 'stadsdelsomrade' or 'city', not {level!r}"
        raise InvalidArgumentError(msg)
    if mode not in MODES:
        msg = f"{fn}: mode must be 'open' or 'internal', not {mode!r}"
        raise InvalidArgumentError(msg)
    return year, str(level), str(mode)


def area_units(city: City, *, year: int, level: str) -> pl.DataFrame:
    """Each stadsdel with the area it belongs to at ``level`` in the report year.

    Returns
    -------
    polars.DataFrame
        One row per stadsdel, in the order of the areas: ``stadsdel``,
        ``level``, ``area`` and ``area_code`` (the stadsdel itself and its
        code; its stadsdelsområde in the organisation in force on 31
        December of ``year``; or the city), and ``namnd`` (the
        stadsdelsnämnd) at ``"stadsdelsomrade"`` when the organisation has
        it.
    """
    year, level, _ = check_args("area_units", year, level)
    names = city.stadsdelar
    if level == "stadsdel":
        codes = city.stadsdel_codes
        return pl.DataFrame(
            {"stadsdel": names, "level": level, "area": names, "area_code": [codes[n] for n in names]},
            schema={"stadsdel": pl.String, "level": pl.String, "area": pl.String, "area_code": pl.String},
        )
    if level == "city":
        return pl.DataFrame(
            {"stadsdel": names, "level": level, "area": city.name, "area_code": "city"},
            schema={"stadsdel": pl.String, "level": pl.String, "area": pl.String, "area_code": pl.String},
        )
    org = city.organisation(year)
    extra = ["namnd"] if "namnd" in org.columns else []
    return org.select(
        "stadsdel",
        pl.lit(level).alias("level"),
        pl.col("sdo_namn").alias("area"),
        pl.col("sdo_kod").alias("area_code"),
        *extra,
    )


def area_layer(city: City, *, year: int, level: str) -> Layer:
    """The areas of ``level`` in the report year as polygons, one feature each.

    Stadsdelsområden and the city are the union of their stadsdelar
    (:func:`lagesbild.dissolve`), in the working CRS. The layer has the
    columns ``level``, ``area`` and ``area_code`` and is kept on the city,
    so repeated analyses reuse it (and the engine's checks of it).

    Examples
    --------
    >>> from lagesbild.analysis.areas import area_layer
    >>> layer = area_layer(lb.City.example(), year=2022, level="stadsdelsomrade")
    >>> layer["area"].to_list(), layer.area().to_list()
    (['Väst', 'Öst'], [2000000.0, 2000000.0])
    """
    year, level, _ = check_args("area_layer", year, level)
    if level == "stadsdel":
        return stadsdel_layer(city)
    if city.areas is None:
        msg = f"{city.name}: the city has no areas"
        raise InvalidArgumentError(msg)
    units = area_units(city, year=year, level=level)
    # Keyed by the grouping itself: years with the same organisation share one layer.
    cache_key = ("area_layer", level, tuple(units["area"].to_list()))
    if cache_key in city._derived:
        return city._derived[cache_key]
    key = city._sources[("areas", "areas")].key or "stadsdel"
    attrs = city.areas.attributes.select(pl.col(key).cast(pl.String).alias("stadsdel")).join(
        units.select("stadsdel", *AREA_COLUMNS), on="stadsdel", how="left", maintain_order="left"
    )
    layer = dissolve(city.areas.with_attributes(attrs), by=["level", "area", "area_code"])
    city._derived[cache_key] = layer
    return layer


def stadsdel_layer(city: City) -> Layer:
    """The stadsdelar as the analyses compute on them: ``level``, ``area`` (the name), ``area_code``.

    The same in every year (the stadsdelar are the stable level); kept on the city.
    """
    if city.areas is None:
        msg = f"{city.name}: the city has no areas"
        raise InvalidArgumentError(msg)
    key = ("area_layer", "stadsdel")
    if key not in city._derived:
        codes = city.stadsdel_codes
        attrs = pl.DataFrame(
            {"level": "stadsdel", "area": city.stadsdelar, "area_code": [codes[n] for n in city.stadsdelar]},
            schema={"level": pl.String, "area": pl.String, "area_code": pl.String},
        )
        city._derived[key] = city.areas.with_attributes(attrs)
    return city._derived[key]


def latest_year(years: Sequence[int], year: int) -> int | None:
    """The latest of ``years`` at or before ``year`` (``None`` when there is none).

    Examples
    --------
    >>> from lagesbild.analysis.areas import latest_year
    >>> latest_year([2017, 2020, 2023], 2025), latest_year([2017, 2020, 2023], 2016)
    (2023, None)
    """
    before = [y for y in years if y <= year]
    return max(before) if before else None


def long_form(
    df: pl.DataFrame, ids: Sequence[str], measures: Mapping[str, str], *, value_type: pl.DataType = pl.Float64
) -> pl.DataFrame:
    """Measure columns unpivoted into ``measure``, ``value`` and ``unit``.

    Parameters
    ----------
    df
        One row per id, one column per measure.
    ids
        The columns kept on each row (``level``, ``area``, ``area_code`` …).
    measures
        Each measure column with its unit (``{"land_m2": "m²"}``), in the
        order the rows should come.

    Examples
    --------
    >>> from lagesbild.analysis.areas import long_form
    >>> df = pl.DataFrame({"area": ["A"], "n": [3], "km": [1.5]})
    >>> long_form(df, ["area"], {"n": "antal", "km": "km"}).rows()
    [('A', 'n', 3.0, 'antal'), ('A', 'km', 1.5, 'km')]
    """
    parts = [
        df.select(
            *ids,
            pl.lit(m).alias("measure"),
            pl.col(m).cast(value_type).alias("value"),
            pl.lit(unit).alias("unit"),
        )
        for m, unit in measures.items()
    ]
    if not parts:
        return (
            df.select(*ids)
            .clear()
            .with_columns(
                pl.lit(None, pl.String).alias("measure"),
                pl.lit(None, value_type).alias("value"),
                pl.lit(None, pl.String).alias("unit"),
            )
        )
    order = {m: i for i, m in enumerate(measures)}
    return (
        pl.concat(parts)
        .with_row_index("__i")
        .with_columns(pl.col("measure").replace_strict(order, return_dtype=pl.Int64).alias("__m"))
        .sort([*ids, "__m", "__i"], maintain_order=True)
        .drop("__i", "__m")
    )


def wide(df: pl.DataFrame, *, on: str | Sequence[str] = "measure") -> pl.DataFrame:
    """A long-form result pivoted: one column per measure (and per ``on`` value).

    The ``unit`` column is dropped (say the units in the column names or a
    legend); ``suppressed`` becomes the list of the measures withheld or
    rounded in each row, and ``rule`` is kept.

    Examples
    --------
    >>> from lagesbild.analysis.areas import wide
    >>> long = pl.DataFrame({"area": ["A", "A"], "measure": ["n", "km"], "value": [3.0, 1.5], "unit": ["antal", "km"]})
    >>> wide(long).rows()
    [('A', 3.0, 1.5)]
    """
    on = [on] if isinstance(on, str) else list(on)
    value_cols = {"value", "unit", "suppressed", "rule", *on}
    index = [c for c in df.columns if c not in value_cols]
    out = df.pivot(on=on, index=index, values="value", aggregate_function=None, sort_columns=False)
    if "suppressed" in df.columns:
        hidden = df.group_by(index, maintain_order=True).agg(
            pl.col(on[0]).filter(pl.col("suppressed")).alias("suppressed"), pl.col("rule").first()
        )
        out = out.join(hidden, on=index, how="left", maintain_order="left", nulls_equal=True)
    return out


def check_date(fn: str, when: object) -> dt.date:
    """A :class:`datetime.date` (a datetime is cut to its date), or an error naming the value."""
    if isinstance(when, dt.datetime):
        return when.date()
    if isinstance(when, dt.date):
        return when
    msg = f"{fn}: expected a date such as datetime.date(2025, 8, 31), not {when!r}"
    raise InvalidArgumentError(msg)
