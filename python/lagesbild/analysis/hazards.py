"""The hazard layers of a city as the analyses use them.

Each ``[hazards.NAME]`` of the city file is one hazard: flood zones by level
(``kind = "flood"``), or routes with a risk-handling distance split into
zones (``kind = "route"``). This module gives them in the form the analyses
compute with, made once per city and kept (:attr:`City._derived`):

- :func:`flood_zones`: one feature per level, lowest first, with ``level``
  (float) and ``band`` (``"+1.5 m"``); a point's lowest flooding level is
  then the first zone that contains it (:func:`lagesbild.assign`);
- :func:`routes`: the route lines with their tunnel stretches left out
  (most dangerous goods may not use the tunnels), with ``class`` and
  ``name``;
- :func:`route_reach`: the union of the land within each zone's outer edge
  of the routes (buffers dissolved), for areas within a zone;
- :func:`band_of`: the zone a distance from a route falls in.

Everything is in the city's working CRS, in metres.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from lagesbild.city.sections import FloodHazard, RouteHazard
from lagesbild.engine import buffer, dissolve
from lagesbild.exceptions import InvalidArgumentError
from lagesbild.layer import Layer

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["band_of", "flood_hazards", "flood_label", "flood_zones", "route_hazards", "route_reach", "routes"]


def flood_hazards(city: City) -> list[FloodHazard]:
    """The city's flood hazards, in the order of the city file."""
    return [h for h in city.settings.hazards.values() if isinstance(h, FloodHazard)]


def route_hazards(city: City) -> list[RouteHazard]:
    """The city's route hazards, in the order of the city file."""
    return [h for h in city.settings.hazards.values() if isinstance(h, RouteHazard)]


def hazard(city: City, name: str) -> FloodHazard | RouteHazard:
    """One hazard by name (the error lists the others)."""
    if name not in city.settings.hazards:
        known = ", ".join(city.settings.hazards) or "none: add [hazards.NAME] to the city file"
        msg = f"{city.name}: no hazard {name!r} (hazards: {known})"
        raise InvalidArgumentError(msg)
    return city.settings.hazards[name]


def flood_label(level: float) -> str:
    """A flood level as a band label: ``1.5`` → ``"+1.5 m"``."""
    return f"{level:+g} m"


def flood_zones(city: City, h: FloodHazard) -> Layer:
    """The zones of a flood hazard, one feature per level, lowest level first.

    Columns ``level`` (float, metres) and ``band`` (``"+1.5 m"``); the
    features of one level are dissolved into one.

    Examples
    --------
    >>> from lagesbild.analysis.hazards import flood_hazards, flood_zones
    >>> city = lb.demo()
    >>> zones = flood_zones(city, flood_hazards(city)[0])
    >>> zones["band"].to_list() == sorted(zones["band"].to_list(), key=lambda b: float(b[:-2]))
    True
    """
    key = ("flood_zones", h.name)
    if key in city._derived:
        return city._derived[key]
    layer = city.layer(h.layer)
    levels = layer[h.level_column].cast(pl.Float64)
    if h.levels is not None:
        keep = levels.is_in(list(h.levels))
        layer, levels = layer.filter(keep), levels.filter(keep)
    else:
        layer = layer.filter(levels.is_not_null())
        levels = levels.drop_nulls()
    order = levels.arg_sort()
    layer = layer.take(order)
    attrs = pl.DataFrame({"level": levels.gather(order)})
    if attrs["level"].is_duplicated().any():
        zones = dissolve(layer.with_attributes(attrs), by="level")
    else:
        zones = layer.with_attributes(attrs)
    zones = zones.with_attributes(
        zones.attributes.with_columns(pl.col("level").map_elements(flood_label, return_dtype=pl.String).alias("band"))
    )
    city._derived[key] = zones
    return zones


def routes(city: City, h: RouteHazard) -> Layer:
    """The routes of a route hazard without their tunnel stretches.

    Columns ``class`` (the route class) and ``name`` (null without a name
    column).
    """
    key = ("routes", h.name)
    if key in city._derived:
        return city._derived[key]
    layer = city.layer(h.layer)
    if h.tunnel_column is not None:
        layer = layer.filter(~layer[h.tunnel_column].fill_null(False))
    attrs = pl.DataFrame(
        {
            "class": layer[h.class_column].cast(pl.String),
            "name": layer[h.name_column].cast(pl.String)
            if h.name_column
            else pl.Series([None] * len(layer), dtype=pl.String),
        }
    )
    out = layer.with_attributes(attrs)
    city._derived[key] = out
    return out


def route_reach(city: City, h: RouteHazard) -> Layer:
    """The land within each zone's outer edge of the routes: one polygon per zone, nearest first.

    Column ``band`` (the zone's name) and ``edge_m``; each polygon is the
    union of the routes' buffers by the zone's outer edge, so it holds the
    zones nearer the route too (the band alone is the difference of two).
    """
    key = ("route_reach", h.name)
    if key in city._derived:
        return city._derived[key]
    lines = routes(city, h)
    parts = []
    for name, _, outer in h.zones():
        grown = buffer(lines, outer)
        one = dissolve(grown.with_attributes(pl.DataFrame({"band": [name] * len(grown)})), by="band")
        parts.append(one.with_attributes(pl.DataFrame({"band": [name], "edge_m": [outer]})))
    reach = Layer.concat(parts)
    city._derived[key] = reach
    return reach


def band_of(h: RouteHazard, distance_m: pl.Series) -> pl.Series:
    """The zone each distance from the route falls in (null beyond the risk-handling distance).

    A distance on a zone's outer edge belongs to that zone.

    Examples
    --------
    >>> from lagesbild.analysis.hazards import band_of
    >>> from lagesbild.config import RouteHazard
    >>> band_of(RouteHazard("fg", "fg"), pl.Series([0.0, 30.0, 30.5, 150.0, 151.0, None])).to_list()
    ['A', 'A', 'B', 'C', None, None]
    """
    expr = pl.lit(None, pl.String)
    for name, _, outer in reversed(h.zones()):
        expr = pl.when(pl.col("d") <= outer).then(pl.lit(name)).otherwise(expr)
    return pl.DataFrame({"d": distance_m}).select(expr.alias("band")).to_series()
