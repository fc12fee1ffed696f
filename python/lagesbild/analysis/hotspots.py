"""Hotspots of the city's incidents: Getis–Ord Gi* on a grid of land cells, with an FDR correction.

The method (computed in the Rust core, :func:`lagesbild.grid_hotspots`):

1. A regular grid of square cells (``cell`` metres, edges on multiples of
   the cell size) over the city. The **study area** is the cells whose
   centre lies in a stadsdel and not in the water (``[areas] water``):
   a cell in the water or outside the city cannot hold an incident, and
   counting it as a zero would make all land look hot.
2. The incidents of the theme in the period, counted per cell.
3. Gi* (Getis & Ord 1992; Ord & Getis 1995) of each study cell with binary
   queen-contiguity weights including the cell itself, over study cells
   only — ``esda.G_Local(counts, w, transform="B", star=True)``; the
   p-value is two-sided from the normal approximation.
4. The p-values adjusted for the false discovery rate over all study cells
   (Benjamini & Hochberg 1995): a cell is a **hotspot** where ``q < alpha``
   and ``z > 0``, a **coldspot** where ``q < alpha`` and ``z < 0``.

Examples
--------
>>> from lagesbild.analysis.hotspots import gi_bin
>>> gi_bin(3.1, 0.004), gi_bin(-2.0, 0.04), gi_bin(1.0, 0.3)
(3, -2, 0)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl

from lagesbild.analysis.incidents import _incident_points, _like_periods, _period, _span, _themes
from lagesbild.disclosure import disclose, rule_name
from lagesbild.engine import grid_hotspots
from lagesbild.exceptions import InvalidArgumentError
from lagesbild.layer import Layer

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["NEAR_M", "gi_bin", "hotspot_context", "hotspots"]


def gi_bin(z: float | None, q: float | None) -> int:
    """The confidence bin of a cell, as ArcGIS's Gi_Bin but on the FDR-adjusted ``q``.

    ±3 for ``q < 0.01``, ±2 for ``q < 0.05``, ±1 for ``q < 0.10``, 0
    otherwise; the sign is the sign of ``z``.
    """
    if z is None or q is None or z != z:
        return 0
    level = 3 if q < 0.01 else 2 if q < 0.05 else 1 if q < 0.10 else 0
    return level if z > 0 else -level


def hotspots(
    city: City,
    year: int,
    theme: str,
    period: Sequence[dt.date] | None = None,
    cell: float = 100.0,
    *,
    alpha: float = 0.05,
    mode: str = "open",
) -> Layer:
    """Hot and cold spots of one theme's incidents in the period, as a layer of grid cells.

    Parameters
    ----------
    city
        A city with ``[incidents]`` (points) and ``[themes.NAME]``; its
        water (``[areas] water``), where it has one, is not study area.
    year
        The report year (the default period is the twelve months to 31
        August of it).
    theme
        A configured theme (``"olyckor"``, ``"brott"``, ``"hot_och_vald"``).
    period
        ``(start, end)`` dates, inclusive.
    cell
        The side of a cell in metres (100 m by default).
    alpha
        The false discovery rate of the ``class`` column.
    mode
        ``"open"``: cell counts pass the disclosure rule (the z-scores and
        classes are published; they describe neighbourhoods of nine cells);
        ``"internal"``: nothing is withheld.

    Returns
    -------
    Layer
        One square per study cell (in grid order) with ``cell``, ``x``,
        ``y`` (its centre, metres), ``count`` (incidents; null where
        withheld), ``z`` (Gi*; null where undefined), ``p`` (two-sided),
        ``q`` (Benjamini–Hochberg), ``gi_bin`` (−3 … 3, see
        :func:`gi_bin`), ``class`` (``"hot"``, ``"cold"`` or ``"none"`` at
        ``alpha``), ``theme``, ``period_start``, ``period_end``,
        ``suppressed`` and ``rule``. Draw it with the maps.

    Raises
    ------
    InvalidArgumentError
        An unknown theme, a period outside the data.

    Examples
    --------
    The demo city's brott (property crime against the city) in the twelve
    months to 31 August 2025; its hottest cell lies in Skärholmen's centre:

    >>> city = lb.demo()
    >>> cells = hotspots(city, 2025, "brott")
    >>> hottest = cells.attributes.sort("z", descending=True).head(1)
    >>> lb.assign(hottest, city.areas, key="sdel_namn").to_list(), hottest["class"].to_list()
    (['SKÄRHOLMEN'], ['hot'])
    """
    if not 0 < alpha < 1:
        msg = f"hotspots: alpha must be between 0 and 1, not {alpha!r}"
        raise InvalidArgumentError(msg)
    from lagesbild.analysis.areas import check_args

    year, _, mode = check_args("hotspots", year, "city", mode)
    period = _period("hotspots", year, period)
    chosen = _themes(city, [theme], "hotspots")
    cfg = city.settings.incidents
    points = _incident_points(city, chosen)
    if cfg is None or points is None:
        msg = f"hotspots: {city.name} has no [incidents] point layer"
        raise InvalidArgumentError(msg)
    _like_periods(period, {"händelser": _span(points.drop_nulls("date"), False)}, "hotspots")
    layer = city.layer(cfg.layer)
    mask = ((points["theme"] == theme) & points["date"].is_between(*period)).fill_null(False)
    chosen_points = layer.filter(mask)
    water = city.layer(city.settings.water) if city.settings.water else None
    assert city.areas is not None
    cells = grid_hotspots(chosen_points, city.areas, cell, water=water)
    a = cells.attributes.with_columns(
        pl.Series("gi_bin", [gi_bin(z, q) for z, q in zip(cells["z"], cells["q"], strict=True)], dtype=pl.Int64),
        pl.when((pl.col("q") < alpha) & (pl.col("z") > 0))
        .then(pl.lit("hot"))
        .when((pl.col("q") < alpha) & (pl.col("z") < 0))
        .then(pl.lit("cold"))
        .otherwise(pl.lit("none"))
        .alias("class"),
        pl.lit(theme).alias("theme"),
        pl.lit(period[0]).alias("period_start"),
        pl.lit(period[1]).alias("period_end"),
    )
    rule = city.settings.suppression
    published = disclose(
        a.with_columns(pl.lit("antal").alias("measure"), pl.col("count").cast(pl.Float64).alias("value")),
        counts=["antal"],
        rule=rule,
        mode=mode,
        groups=["theme"],
    )
    out = a.with_columns(
        published["value"].cast(pl.Int64).alias("count"),
        published["suppressed"],
        pl.lit(rule_name(rule, mode)).alias("rule"),
    )
    return cells.with_attributes(out)


#: How near a facility must lie to a hot cell to count as near it (the demo's assumption).
NEAR_M = 100.0


def hotspot_context(city: City, year: int, cells: Layer, *, near_m: float = NEAR_M, mode: str = "open") -> pl.DataFrame:
    """Where the hot cells of a :func:`hotspots` layer lie and what lies near them, per stadsdelsområde.

    Each hot cell (``class == "hot"``) belongs to the stadsdelsområde of
    the year that holds its centre. Per area the result counts the hot
    cells, the incidents in them, the hot cells that touch each flood
    hazard's zones (its highest level, so any level) and each route
    hazard's risk-handling distance, and the critical facilities within
    ``near_m`` metres of a hot cell (inside it or closer than that to its
    edge) by sector, each facility once. This is covariation: a facility
    or a zone near a cluster of incidents is not its cause.

    Parameters
    ----------
    city
        The city.
    year
        The report year (the organisation's areas, the facilities).
    cells
        A :func:`hotspots` layer (one theme).
    near_m
        The distance in metres from a hot cell's edge within which a
        facility counts as near it (100 m by default, an assumption: about
        a block; one cell's side at the default size).
    mode
        ``"open"``: the protected facilities (electricity, telecom, water)
        are left out of the counts, so a cell's neighbourhood does not
        reveal them; ``"internal"``: all are counted.

    Returns
    -------
    polars.DataFrame
        ``theme``, ``area``, ``measure``, ``category``, ``value``, ``unit``
        with the measures ``hot_cells``, ``incidents`` (in the hot cells;
        null where a cell's count is withheld), ``cells_touching`` (category:
        the hazard's name) and ``facilities_near`` (category: the sector),
        one row per area with hot cells (sorted by area, measure,
        category).

    Examples
    --------
    >>> city = lb.demo()
    >>> near = hotspot_context(city, 2025, hotspots(city, 2025, "brott"))
    >>> row = near.filter(pl.col("area") == "Skärholmen", pl.col("measure") == "hot_cells")
    >>> row["value"].to_list()[0] > 0, sorted(set(near["measure"]))
    (True, ['cells_touching', 'facilities_near', 'hot_cells', 'incidents'])
    """
    from lagesbild.analysis.areas import area_layer, check_args
    from lagesbild.analysis.facilities import facilities_at_risk
    from lagesbild.analysis.hazards import flood_hazards, flood_zones, route_hazards, route_reach
    from lagesbild.engine import assign, sjoin

    year, _, mode = check_args("hotspot_context", year, "stadsdelsomrade", mode)
    if not near_m >= 0:
        msg = f"hotspot_context: near_m must be a distance in metres ≥ 0, not {near_m!r}"
        raise InvalidArgumentError(msg)
    schema = {
        "theme": pl.String,
        "area": pl.String,
        "measure": pl.String,
        "category": pl.String,
        "value": pl.Float64,
        "unit": pl.String,
    }
    attrs = cells.attributes
    for col in ("class", "x", "y", "count", "theme"):
        if col not in attrs.columns:
            msg = f"hotspot_context: cells must be a hotspots() layer; it has no column {col!r}"
            raise InvalidArgumentError(msg)
    is_hot = (attrs["class"] == "hot").fill_null(False)
    hot = cells.filter(is_hot).with_attributes(attrs.filter(is_hot).with_row_index("__i"))
    if len(hot) == 0:
        return pl.DataFrame(schema=schema)
    theme = hot["theme"][0]
    areas = area_layer(city, year=year, level="stadsdelsomrade")
    h_attrs = hot.attributes.with_columns(assign(hot.attributes, areas, key="area").alias("area"))
    rows: list[dict] = []

    def add(area: str, measure: str, category: str | None, value: float | None, unit: str) -> None:
        rows.append({"theme": theme, "area": area, "measure": measure, "category": category, "value": value,
                     "unit": unit})

    per_area = h_attrs.filter(pl.col("area").is_not_null()).group_by("area", maintain_order=True).agg(
        pl.len().alias("n"),
        pl.col("count").sum().alias("incidents"),
        pl.col("count").is_null().any().alias("withheld"),
    )
    for area, n, incidents, withheld in per_area.iter_rows():
        add(area, "hot_cells", None, float(n), "celler")
        add(area, "incidents", None, None if withheld else float(incidents), "antal")
    area_of = dict(zip(h_attrs["__i"].to_list(), h_attrs["area"].to_list(), strict=True))
    hot_ids = hot.with_attributes(h_attrs.select("__i"))
    touching: list[tuple[str, Layer]] = []
    for h in flood_hazards(city):
        zones = flood_zones(city, h)
        touching.append((h.name, zones.take([len(zones) - 1]) if len(zones) else zones))
    for h in route_hazards(city):
        reach = route_reach(city, h)
        touching.append((h.name, reach.take([len(reach) - 1]) if len(reach) else reach))
    for name, zone in touching:
        if len(zone) == 0:
            continue
        met = set(sjoin(hot_ids, zone.with_attributes(pl.DataFrame({"__z": [0]}))).attributes["__i"].to_list())
        counts: dict[str, int] = {}
        for i in met:
            if area_of[i] is not None:
                counts[area_of[i]] = counts.get(area_of[i], 0) + 1
        for area in per_area["area"].to_list():
            add(area, "cells_touching", name, float(counts.get(area, 0)), "celler")
    if city.settings.facilities is not None:
        fac = facilities_at_risk(city, year=year, mode=mode).select("sector", "x", "y").with_row_index("__f")
        side = float(hot.area()[0]) ** 0.5
        # A point lies within near_m of an axis-aligned square when its distance to the square is ≤ near_m.
        pairs = (
            fac.join(h_attrs.select("__i", "area", pl.col("x").alias("cx"), pl.col("y").alias("cy")), how="cross")
            .with_columns(
                ((pl.col("x") - pl.col("cx")).abs() - side / 2).clip(lower_bound=0).alias("__dx"),
                ((pl.col("y") - pl.col("cy")).abs() - side / 2).clip(lower_bound=0).alias("__dy"),
            )
            .filter((pl.col("__dx") ** 2 + pl.col("__dy") ** 2 <= near_m**2) & pl.col("area").is_not_null())
            .unique(["area", "__f"])
        )
        by_sector = pairs.group_by("area", "sector").agg(pl.len().alias("n")).sort("area", "sector")
        for area, sector, n in by_sector.iter_rows():
            add(area, "facilities_near", sector, float(n), "anläggningar")
    return pl.DataFrame(rows, schema=schema).sort("area", "measure", "category", nulls_last=True)
