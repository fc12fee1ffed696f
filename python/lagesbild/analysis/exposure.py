"""Exposure to the city's hazards, per area: land, people and facilities at each flood level and route zone.

:func:`exposure` answers, per area of a level in the organisation of the
report year, how much of the land floods at each level, how long the routes
of each class are, how many people are estimated to live in each flood zone
and route zone, and how many critical facilities (with their capacity) lie
in them. Everything is computed with the engine (:mod:`lagesbild.engine`)
on the stadsdelar and summed to the level asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from lagesbild.analysis.areas import AREA_COLUMNS, area_units, check_args, stadsdel_layer
from lagesbild.analysis.areas import wide as to_wide
from lagesbild.analysis.disclosure import disclose
from lagesbild.analysis.hazards import (
    band_of,
    flood_hazards,
    flood_label,
    flood_zones,
    route_hazards,
    route_reach,
    routes,
)
from lagesbild.engine import assign, dissolve, length_within, overlay, overlay_area, within_distance
from lagesbild.exceptions import InvalidArgumentError
from lagesbild.layer import Layer

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["exposure", "population_at"]

#: The measures that add up over areas (the others are recomputed from them).
_ADDITIVE = (
    "area_m2",
    "land_m2",
    "flooded_land_m2",
    "zone_land_m2",
    "residents_est",
    "facilities",
    "capacity",
    "route_length_m",
)
_COLUMNS = (*AREA_COLUMNS, "hazard", "band", "category", "measure", "value", "unit")


def exposure(
    city: City,
    *,
    year: int,
    level: str = "stadsdelsomrade",
    mode: str = "open",
    wide: bool = False,
    progress: bool | None = None,
) -> pl.DataFrame:
    """Land, residents and critical facilities exposed to each hazard, per area.

    For every area of ``level`` in the organisation in force on 31 December
    of ``year``:

    - ``area_m2`` and ``land_m2``: the area, and its land (without the
      city's water layer, ``[areas] water``), in m²;
    - per flood hazard and level (``band`` ``"+1.5 m"``, cumulative: the
      +2.7 m zone holds the +1.5 m zone): ``flooded_land_m2``,
      ``flooded_share`` of the land (0–1), ``residents_est`` and, per
      facility ``category``, ``facilities`` (how many lie in the zone) and
      ``capacity`` (summed, in the category's own unit: children, pupils,
      places … never summed across categories);
    - per route hazard: ``route_length_m`` per route class (``category``),
      tunnel stretches left out; and per zone of the risk-handling distance
      (``band`` ``"A"``, ``"B"``, ``"C"``, each the land between its inner
      and outer edge): ``zone_land_m2``, ``residents_est``, and the
      ``facilities`` and ``capacity`` per category whose nearest route is
      at that distance.

    ``residents_est`` is an estimate by area weighting: each stadsdel's
    population (the latest year at or before ``year``, in column
    ``population_year``) times the share of its land in the zone, so it
    assumes residents spread evenly over a stadsdel's land. It is a count
    of people and passes the city's disclosure rule in ``mode="open"``.
    Facilities marked protected are counted like the others (never listed).

    Parameters
    ----------
    city
        The city (with ``[hazards.NAME]`` and, for the facility measures,
        ``[facilities]`` and, for the residents, ``[population]``).
    year
        The report year.
    level
        ``"stadsdel"``, ``"stadsdelsomrade"`` (default) or ``"city"``.
    mode
        ``"open"`` (the disclosure rule applied) or ``"internal"``.
    wide
        One column per measure instead of ``measure``/``value``/``unit``.
    progress
        A progress bar, one step per hazard: ``None`` (default) when
        someone is watching and it takes a while (many facilities, a
        large city), ``False`` never, ``True`` at once
        (:mod:`lagesbild.progress`).

    Returns
    -------
    polars.DataFrame
        Long form: ``level``, ``area``, ``area_code``, ``hazard``, ``band``,
        ``category``, ``measure``, ``value``, ``unit``, ``population_year``,
        ``suppressed``, ``rule``.

    Examples
    --------
    >>> from lagesbild.analysis import exposure
    >>> e = exposure(lb.demo(), year=2025, level="city", mode="internal")
    >>> flooded = e.filter(pl.col("measure") == "flooded_share")
    >>> flooded["band"].to_list() == sorted(flooded["band"].to_list(), key=lambda b: float(b[:-2]))
    True
    """
    from lagesbild.progress import steps

    year, level, mode = check_args("exposure", year, level, mode)
    floods, routes_ = flood_hazards(city), route_hazards(city)
    with steps(3 + len(floods) + len(routes_), "Exponering", progress=progress) as bar:
        bar.set_postfix_str("land")
        base = stadsdel_layer(city)
        pieces = [_land(city, base)]
        bar.update()
        bar.set_postfix_str("boende och anläggningar")
        pop, pop_year = population_at(city, year)
        facilities, fac_area = _facilities(city, base)
        bar.update()
        for h in floods:
            bar.set_postfix_str(h.name)
            pieces.append(_flood(city, h, base, facilities, fac_area))
            bar.update()
        for h in routes_:
            bar.set_postfix_str(h.name)
            pieces.append(_route(city, h, base, facilities, fac_area))
            bar.update()
        bar.set_postfix_str("summerar")
        out = _summed(city, pieces, pop, pop_year, year=year, level=level, mode=mode)
        bar.update()
    return to_wide(out, on="measure") if wide else out


def _summed(
    city: City, pieces: list[pl.DataFrame], pop: pl.DataFrame, pop_year: int | None, *, year: int, level: str,
    mode: str,
) -> pl.DataFrame:
    """The stadsdelar's rows summed to the level, shares recomputed, the disclosure rule applied."""
    per_sd = pl.concat(pieces, how="diagonal_relaxed")
    per_sd = _with_residents(per_sd, pop)
    units = area_units(city, year=year, level=level).select("stadsdel", *AREA_COLUMNS)
    keys = ["hazard", "band", "category", "measure", "unit"]
    summed = (
        per_sd.filter(pl.col("measure").is_in(_ADDITIVE))
        .rename({"area": "stadsdel"})
        .join(units, on="stadsdel", how="left")
        .group_by([*AREA_COLUMNS, *keys], maintain_order=True)
        .agg(pl.col("value").sum())
    )
    out = pl.concat([summed, _shares(summed)], how="diagonal_relaxed")
    out = _ordered(out, units)
    out = out.with_columns(
        pl.when(pl.col("measure") == "residents_est").then(pl.col("value").round(0)).otherwise(pl.col("value")),
        pl.lit(pop_year).alias("population_year"),
    )
    return disclose(
        out, counts=["residents_est"], rule=city.settings.suppression, mode=mode, key=[*AREA_COLUMNS, "hazard", "band"]
    )


def population_at(city: City, year: int) -> tuple[pl.DataFrame, int | None]:
    """Residents per stadsdel in the latest year at or before ``year`` of ``[population]``.

    Returns ``(stadsdel, residents)`` and that year (an empty frame and
    ``None`` without a population table).
    """
    p = city.settings.population
    empty = pl.DataFrame(schema={"stadsdel": pl.String, "residents": pl.Float64})
    if p is None:
        return empty, None
    meta = city._sources[("table", p.table)]
    df = city.table(p.table)
    years = sorted({int(y) for y in df[meta.year].drop_nulls().to_list()})
    used = max((y for y in years if y <= year), default=None)
    if used is None:
        span = f"{years[0]}–{years[-1]}" if years else "none"
        msg = f"{city.name}: the population table {p.table!r} has no year at or before {year} (years: {span})"
        raise InvalidArgumentError(msg)
    rows = df.filter(pl.col(meta.year).cast(pl.Int64) == used)
    return (
        rows.select(
            pl.col(meta.key or "stadsdel").cast(pl.String).alias("stadsdel"),
            pl.col(p.column).cast(pl.Float64).alias("residents"),
        )
        .group_by("stadsdel")
        .agg(pl.col("residents").sum()),
        used,
    )


# -- the measures per stadsdel ------------------------------------------------------------


def _rows(
    df: pl.DataFrame, hazard: str | None, band: str | pl.Expr | None, category, measure: str, unit: str
) -> pl.DataFrame:
    """Rows of the long form from a frame with ``area`` and ``value``."""

    def lit(v):
        return v if isinstance(v, pl.Expr) else pl.lit(v, pl.String)

    return df.select(
        pl.col("area"),
        lit(hazard).alias("hazard"),
        lit(band).alias("band"),
        lit(category).alias("category"),
        pl.lit(measure).alias("measure"),
        pl.col("value").cast(pl.Float64),
        pl.lit(unit).alias("unit"),
    )


def _water(city: City) -> Layer | None:
    """The city's water as one feature (kept on the city)."""
    if city.settings.water is None:
        return None
    key = ("water_dissolved",)
    if key not in city._derived:
        water = city.layer(city.settings.water)
        city._derived[key] = dissolve(water.with_attributes(pl.DataFrame({"w": [1] * len(water)})), by="w")
    return city._derived[key]


def _water_by_area(city: City, base: Layer) -> Layer | None:
    """The city's water cut by the areas of ``base``: a piece per area it reaches, with ``area`` (kept on the city).

    The land of an area, and of a zone in an area, is what lies outside
    these pieces: one cut of the water serves every zone of every hazard.
    """
    water = _water(city)
    if water is None:
        return None
    key = ("water_by_area",)
    if key not in city._derived:
        pieces = overlay(water, base.with_attributes(base.attributes.select("area")))
        city._derived[key] = pieces.with_attributes(pieces.attributes.select("area"))
    return city._derived[key]


def _zone_area(city: City, zones: Layer, zone_key: str, base: Layer) -> pl.DataFrame:
    """The land each zone covers in each stadsdel: ``(zone_key, area, value)`` in m² (kept on the city)."""
    key = ("zone_land", id(zones), zone_key)
    if key not in city._derived:
        city._derived[key] = (zones, _zone_land(city, zones, zone_key, base))
    return city._derived[key][1]


def _zone_land(city: City, zones: Layer, zone_key: str, base: Layer) -> pl.DataFrame:
    total = overlay_area(zones, base, zone_key=zone_key, area_key="area").select(
        zone_key, "area", pl.col("area_m2").alias("value")
    )
    water = _water_by_area(city, base)
    if water is None or len(water) == 0:
        return total
    # The water of each area that lies in each zone: the zones against the water cut by area.
    wet = overlay_area(zones.with_attributes(zones.attributes.select(zone_key)), water, zone_key=zone_key,
                       area_key="area")
    return (
        total.join(wet.select(zone_key, "area", pl.col("area_m2").alias("wet")), on=[zone_key, "area"], how="left")
        .with_columns((pl.col("value") - pl.col("wet").fill_null(0.0)).clip(0.0).alias("value"))
        .drop("wet")
    )


def _land(city: City, base: Layer) -> pl.DataFrame:
    """Area and land of each stadsdel (kept on the city)."""
    if ("land",) not in city._derived:
        city._derived[("land",)] = _land_rows(city, base)
    return city._derived[("land",)]


def _land_rows(city: City, base: Layer) -> pl.DataFrame:
    areas = pl.DataFrame({"area": base["area"], "value": base.area()})
    water = _water_by_area(city, base)
    if water is None:
        land = areas
    else:
        wet = (
            pl.DataFrame({"area": water["area"], "wet": water.area()})
            .group_by("area", maintain_order=True)
            .agg(pl.col("wet").sum())
        )
        land = areas.join(wet, on="area", how="left").select(
            "area", (pl.col("value") - pl.col("wet").fill_null(0.0)).clip(0.0).alias("value")
        )
    return pl.concat([_rows(areas, None, None, None, "area_m2", "m²"), _rows(land, None, None, None, "land_m2", "m²")])


def _facilities(city: City, base: Layer) -> tuple[Layer | None, pl.DataFrame]:
    """The facilities layer and, per facility, its stadsdel, category, capacity and unit."""
    f = city.settings.facilities
    if f is None:
        return None, pl.DataFrame()
    layer = city.layer(f.layer)
    info = pl.DataFrame(
        {
            "area": assign(layer, base, key="area").cast(pl.String),
            "category": layer[f.category].cast(pl.String),
            "capacity": layer[f.capacity].cast(pl.Float64)
            if f.capacity
            else pl.Series([None] * len(layer), dtype=pl.Float64),
            "unit": layer[f.capacity_unit].cast(pl.String)
            if f.capacity_unit
            else pl.Series([None] * len(layer), dtype=pl.String),
        }
    )
    return layer, info


def _facility_counts(info: pl.DataFrame, hazard: str, band_col: str) -> pl.DataFrame:
    """Facilities and capacity per stadsdel, band and category."""
    inside = info.filter(pl.col(band_col).is_not_null() & pl.col("area").is_not_null())
    counts = inside.group_by("area", band_col, "category", maintain_order=True).agg(
        pl.len().cast(pl.Float64).alias("value")
    )
    caps = (
        inside.filter(pl.col("capacity").is_not_null())
        .group_by("area", band_col, "category", "unit", maintain_order=True)
        .agg(pl.col("capacity").sum().alias("value"))
    )
    return pl.concat(
        [
            _rows(counts, hazard, pl.col(band_col), pl.col("category"), "facilities", "antal"),
            caps.select(
                "area",
                pl.lit(hazard).alias("hazard"),
                pl.col(band_col).alias("band"),
                "category",
                pl.lit("capacity").alias("measure"),
                "value",
                pl.col("unit").fill_null("").alias("unit"),
            ),
        ]
    )


def _flood(city: City, h, base: Layer, facilities: Layer | None, info: pl.DataFrame) -> pl.DataFrame:
    zones = flood_zones(city, h)
    flooded = _zone_area(city, zones, "band", base)
    parts = [_rows(flooded, h.name, pl.col("band"), None, "flooded_land_m2", "m²")]
    if facilities is not None:
        # The lowest level whose zone holds the facility; a zone holds those of the levels below.
        lowest = assign(facilities, zones, key="level")
        levels = zones["level"].to_list()
        exploded = (
            info.with_columns(lowest.alias("lowest"))
            .filter(pl.col("lowest").is_not_null())
            .with_columns(pl.lit(levels).alias("level"))
            .explode("level")
            .filter(pl.col("level") >= pl.col("lowest"))
            .with_columns(pl.col("level").map_elements(flood_label, return_dtype=pl.String).alias("band"))
        )
        parts.append(_facility_counts(exploded, h.name, "band"))
    return pl.concat(parts, how="diagonal_relaxed")


def _route(city: City, h, base: Layer, facilities: Layer | None, info: pl.DataFrame) -> pl.DataFrame:
    lines = routes(city, h)
    length = length_within(lines, base, line_key="class", area_key="area").select(
        "area", pl.col("class").alias("category"), pl.col("length_m").alias("value")
    )
    parts = [_rows(length, h.name, None, pl.col("category"), "route_length_m", "m")]
    reach = route_reach(city, h)
    within = _zone_area(city, reach, "band", base)
    # Each zone's land is what lies within its outer edge but not within the previous one's.
    order = [name for name, _, _ in h.zones()]
    grid = pl.DataFrame({"area": base["area"]}).join(pl.DataFrame({"band": order, "i": range(len(order))}), how="cross")
    cumulative = (
        grid.join(within, on=["area", "band"], how="left")
        .sort("area", "i")
        .with_columns(pl.col("value").fill_null(strategy="forward").over("area").fill_null(0.0))
    )
    band_land = cumulative.with_columns(
        (pl.col("value") - pl.col("value").shift(1).over("area").fill_null(0.0)).clip(0.0).alias("value")
    ).filter(pl.col("value") > 0)
    parts.append(_rows(band_land, h.name, pl.col("band"), None, "zone_land_m2", "m²"))
    if facilities is not None and len(lines):
        near = within_distance(facilities, lines, h.distance_m, key="class")
        banded = info.with_columns(band_of(h, near["distance_m"]).alias("band"))
        parts.append(_facility_counts(banded, h.name, "band"))
    return pl.concat(parts, how="diagonal_relaxed")


def _with_residents(per_sd: pl.DataFrame, pop: pl.DataFrame) -> pl.DataFrame:
    """``residents_est`` for each flooded land and zone land row: population × land share."""
    land = per_sd.filter(pl.col("measure") == "land_m2").select("area", pl.col("value").alias("__land"))
    zone_rows = per_sd.filter(pl.col("measure").is_in(["flooded_land_m2", "zone_land_m2"]))
    if pop.height == 0 or zone_rows.height == 0:
        return per_sd
    est = (
        zone_rows.join(land, on="area", how="left")
        .join(pop, left_on="area", right_on="stadsdel", how="left")
        .with_columns(
            pl.when(pl.col("__land") > 0)
            .then(pl.col("residents").fill_null(0.0) * pl.col("value") / pl.col("__land"))
            .otherwise(0.0)
            .alias("value"),
            pl.lit("residents_est").alias("measure"),
            pl.lit("personer").alias("unit"),
        )
        .select(per_sd.columns)
    )
    return pl.concat([per_sd, est])


def _shares(summed: pl.DataFrame) -> pl.DataFrame:
    """``flooded_share``: flooded land over the area's land, at the level summed to."""
    land = summed.filter(pl.col("measure") == "land_m2").select(*AREA_COLUMNS, pl.col("value").alias("__land"))
    return (
        summed.filter(pl.col("measure") == "flooded_land_m2")
        .join(land, on=list(AREA_COLUMNS), how="left")
        .with_columns(
            pl.when(pl.col("__land") > 0).then(pl.col("value") / pl.col("__land")).otherwise(None).alias("value"),
            pl.lit("flooded_share").alias("measure"),
            pl.lit("andel").alias("unit"),
        )
        .drop("__land")
    )


_MEASURE_ORDER = {
    m: i
    for i, m in enumerate(
        (
            "area_m2",
            "land_m2",
            "route_length_m",
            "flooded_land_m2",
            "flooded_share",
            "zone_land_m2",
            "residents_est",
            "facilities",
            "capacity",
        )
    )
}


def _ordered(out: pl.DataFrame, units: pl.DataFrame) -> pl.DataFrame:
    """Areas in the order of the stadsdelar (first appearance), then hazard, band, measure, category."""
    area_order = units.unique("area", keep="first", maintain_order=True).with_row_index("__a").select("area", "__a")
    return (
        out.join(area_order, on="area", how="left")
        .with_columns(pl.col("measure").replace_strict(_MEASURE_ORDER, default=99, return_dtype=pl.Int64).alias("__m"))
        .sort(["__a", "hazard", "band", "__m", "category"], nulls_last=False, maintain_order=True)
        .drop("__a", "__m")
        .select(*_COLUMNS)
    )
