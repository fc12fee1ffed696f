"""Geografiskt områdesansvar: whom each stadsdelsnämnd must coordinate with.

A stadsdelsnämnd coordinates all actors in its area before, during and
after a crisis. :func:`omradesansvar` gives, per area of the organisation of
the report year, what that coordination must cover: the neighbouring areas
and the length of the boundary shared with each; the hazards that cross the
boundary and which neighbours share them; the critical facilities in the
area by sector and huvudman; and the actors whose responsibility areas
overlap it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from lagesbild.analysis.areas import area_layer, area_units, check_args
from lagesbild.analysis.exposure import exposure
from lagesbild.analysis.hazards import flood_hazards, flood_zones, route_hazards, routes
from lagesbild.engine import assign, boundary, length_within, overlay, overlay_area, sjoin
from lagesbild.exceptions import InvalidArgumentError
from lagesbild.layer import Layer

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["Omradesansvar", "omradesansvar"]

#: Shared boundaries shorter than this (m) are where areas touch at a corner
#: or overlap by a digitising error, not neighbours.
MIN_SHARED_M = 1.0


@dataclass(frozen=True)
class Omradesansvar:
    """What each area's coordination must cover (all polars frames, keyed by ``area``).

    Attributes
    ----------
    neighbours
        ``level``, ``area``, ``area_code``, ``neighbour``, ``neighbour_code``,
        ``shared_boundary_m``: each pair of areas sharing at least 1 m of
        boundary, in both directions.
    hazards
        ``area``, ``area_code``, ``hazard``, ``band``, ``category``,
        ``neighbour``, ``measure``, ``value``, ``unit``, ``neighbour_value``:
        per hazard (flood level, or route class) that crosses the boundary
        between the area and a neighbour, the flooded land (m², as
        :func:`exposure` counts it) or route length (m) on the area's side
        and on the neighbour's.
    facilities
        ``area``, ``area_code``, ``sector``, ``owner``, ``facilities``: the
        critical facilities in the area by sector and huvudman (protected
        ones counted, never listed).
    actors
        ``area``, ``area_code``, ``actor``, ``type``, ``share``, ``stadsdelar``:
        each actor whose responsibility area overlaps the area, with the
        share of the area it covers (polygons) or the stadsdelar it names.
    """

    neighbours: pl.DataFrame
    hazards: pl.DataFrame
    facilities: pl.DataFrame
    actors: pl.DataFrame
    # The areas of the level, for the display in Jupyter (not part of the result).
    areas: Layer | None = field(default=None, repr=False, compare=False)

    def _repr_html_(self) -> str | None:
        """In Jupyter: the areas as a small map beside a row per area (with the maps extra)."""
        try:
            from lagesbild.maps._display import omradesansvar_html
        except ImportError:
            return None  # without lagesbild[maps] Jupyter shows the text repr
        return omradesansvar_html(self)

    def for_area(self, area: str) -> Omradesansvar:
        """The same tables for one area (by name or code)."""
        known = set(self.neighbours["area"].to_list()) | set(self.facilities["area"].to_list())

        def sel(df: pl.DataFrame) -> pl.DataFrame:
            return df.filter((pl.col("area") == area) | (pl.col("area_code") == area))

        if area not in known and not any(sel(df).height for df in (self.neighbours, self.facilities, self.actors)):
            msg = f"omradesansvar: no area {area!r} (areas: {', '.join(sorted(known))})"
            raise InvalidArgumentError(msg)
        return Omradesansvar(
            sel(self.neighbours), sel(self.hazards), sel(self.facilities), sel(self.actors), areas=self.areas
        )


def omradesansvar(city: City, *, year: int, level: str = "stadsdelsomrade") -> Omradesansvar:
    """Neighbours, cross-boundary hazards, facilities and actors of each area.

    For every area of ``level`` (``"stadsdelsomrade"``, the stadsdelsnämnder's
    areas, by default; or ``"stadsdel"``) in the organisation in force on 31
    December of ``year``:

    - **neighbours** and the length of the shared boundary (m): the part of
      the area's boundary that lies in or on the neighbour, so boundaries
      that match only to digitising precision still count;
    - **hazards crossing the boundary**: a flood level crosses the boundary
      between two neighbours when its zone has land on both sides that
      meets along the boundary (the zone's pieces in the two areas touch);
      a route class when a route of it runs in both; with the flooded area
      or route length on each side;
    - **facilities** by sector and huvudman (``[facilities]``);
    - **actors** (``[actors]``) whose responsibility areas overlap the area:
      polygons overlaid with it (``share`` of the area covered), or lists
      of stadsdelar (``stadsdelar`` it names in the area).

    Examples
    --------
    >>> from lagesbild.analysis import omradesansvar
    >>> o = omradesansvar(lb.demo(), year=2025)
    >>> o.neighbours.filter(pl.col("area") == "Bromma")["neighbour"].sort().to_list()[:2]
    ['Hägersten-Älvsjö', 'Hässelby-Vällingby']
    """
    year, level, _ = check_args("omradesansvar", year, level)
    if level == "city":
        msg = "omradesansvar: level must be 'stadsdelsomrade' or 'stadsdel'; the city has no neighbours within itself"
        raise InvalidArgumentError(msg)
    areas = area_layer(city, year=year, level=level)
    codes = dict(zip(areas["area"].to_list(), areas["area_code"].to_list(), strict=True))
    neighbours = _neighbours(areas, level, codes)
    pairs = neighbours.select("area", "neighbour")
    return Omradesansvar(
        neighbours=neighbours,
        hazards=_hazards(city, areas, pairs, codes, year, level),
        facilities=_facilities(city, areas),
        actors=_actors(city, areas, year, level),
        areas=areas,
    )


def _neighbours(areas, level: str, codes: dict[str, str]) -> pl.DataFrame:
    rings = boundary(areas).with_attributes(areas.attributes.select(pl.col("area").alias("from")))
    shared = length_within(rings, areas, line_key="from", area_key="area")
    return (
        shared.filter((pl.col("from") != pl.col("area")) & (pl.col("length_m") >= MIN_SHARED_M))
        .select(
            pl.lit(level).alias("level"),
            pl.col("from").alias("area"),
            pl.col("from").replace_strict(codes).alias("area_code"),
            pl.col("area").alias("neighbour"),
            pl.col("area").replace_strict(codes).alias("neighbour_code"),
            pl.col("length_m").alias("shared_boundary_m"),
        )
        .sort("area", "neighbour")
    )


def _touching(city: City, h, areas) -> pl.DataFrame:
    """``(band, area, neighbour)`` where the zone's pieces in two areas touch (kept on the city)."""
    key = ("zone_touching", h.name, tuple(areas["area"].to_list()))
    if key in city._derived:
        return city._derived[key]
    zones = flood_zones(city, h)
    pieces = overlay(
        zones.with_attributes(zones.attributes.select("band")), areas.with_attributes(areas.attributes.select("area"))
    )
    a = pieces.with_attributes(pieces.attributes.select(pl.col("band").alias("band_a"), pl.col("area").alias("area_a")))
    b = pieces.with_attributes(pieces.attributes.select(pl.col("band").alias("band_b"), pl.col("area").alias("area_b")))
    touching = (
        sjoin(a, b, predicate="intersects")
        .attributes.filter((pl.col("band_a") == pl.col("band_b")) & (pl.col("area_a") != pl.col("area_b")))
        .select(pl.col("band_a").alias("band"), pl.col("area_a").alias("area"), pl.col("area_b").alias("neighbour"))
        .unique(maintain_order=True)
    )
    city._derived[key] = touching
    return touching


def _hazards(city: City, areas, pairs: pl.DataFrame, codes: dict[str, str], year: int, level: str) -> pl.DataFrame:
    rows: list[pl.DataFrame] = []
    keyed = areas.with_attributes(areas.attributes.select("area"))
    land = exposure(city, year=year, level=level, mode="internal")
    flooded = land.filter(pl.col("measure") == "flooded_land_m2").select("area", "hazard", "band", "value")
    for h in flood_hazards(city):
        touching = _touching(city, h, areas)
        crossing = (
            touching.join(pairs, on=["area", "neighbour"])
            .with_columns(pl.lit(h.name).alias("hazard"))
            .join(flooded, on=["area", "hazard", "band"])
            .join(flooded.rename({"area": "neighbour", "value": "neighbour_value"}), on=["neighbour", "hazard", "band"])
        )
        rows.append(
            crossing.select(
                "area",
                "hazard",
                "band",
                pl.lit(None, pl.String).alias("category"),
                "neighbour",
                pl.lit("flooded_land_m2").alias("measure"),
                "value",
                pl.lit("m²").alias("unit"),
                "neighbour_value",
            )
        )
    for h in route_hazards(city):
        lines = routes(city, h)
        if len(lines) == 0:
            continue
        length = length_within(lines, keyed, line_key="class", area_key="area")
        both = length.join(length.rename({"area": "neighbour", "length_m": "neighbour_m"}), on="class").join(
            pairs, on=["area", "neighbour"]
        )
        rows.append(
            both.select(
                "area",
                pl.lit(h.name).alias("hazard"),
                pl.lit(None, pl.String).alias("band"),
                pl.col("class").alias("category"),
                "neighbour",
                pl.lit("route_length_m").alias("measure"),
                pl.col("length_m").alias("value"),
                pl.lit("m").alias("unit"),
                pl.col("neighbour_m").alias("neighbour_value"),
            )
        )
    schema = {
        "area": pl.String,
        "hazard": pl.String,
        "band": pl.String,
        "category": pl.String,
        "neighbour": pl.String,
        "measure": pl.String,
        "value": pl.Float64,
        "unit": pl.String,
        "neighbour_value": pl.Float64,
    }
    out = pl.concat([r.cast(schema) for r in rows]) if rows else pl.DataFrame(schema=schema)
    return out.select(
        "area", pl.col("area").replace_strict(codes, return_dtype=pl.String).alias("area_code"), *list(schema)[1:]
    ).sort("area", "hazard", "band", "category", "neighbour", nulls_last=True)


def _facilities(city: City, areas) -> pl.DataFrame:
    f = city.settings.facilities
    schema = {
        "area": pl.String,
        "area_code": pl.String,
        "sector": pl.String,
        "owner": pl.String,
        "facilities": pl.UInt32,
    }
    if f is None:
        return pl.DataFrame(schema=schema)
    layer = city.layer(f.layer)
    df = pl.DataFrame(
        {
            "area": assign(layer, areas, key="area").cast(pl.String),
            "area_code": assign(layer, areas, key="area_code").cast(pl.String),
            "sector": layer[f.sector].cast(pl.String) if f.sector else pl.Series([None] * len(layer), dtype=pl.String),
            "owner": layer[f.owner].cast(pl.String) if f.owner else pl.Series([None] * len(layer), dtype=pl.String),
        }
    )
    return (
        df.filter(pl.col("area").is_not_null())
        .group_by("area", "area_code", "sector", "owner")
        .agg(pl.len().alias("facilities"))
        .sort("area", "sector", "owner", nulls_last=True)
        .cast(schema)
    )


def _actors(city: City, areas, year: int, level: str) -> pl.DataFrame:
    a = city.settings.actors
    schema = {
        "area": pl.String,
        "area_code": pl.String,
        "actor": pl.String,
        "type": pl.String,
        "share": pl.Float64,
        "stadsdelar": pl.List(pl.String),
    }
    parts = []
    if a is not None and a.layer is not None:
        layer = city.layer(a.layer)
        named = layer.with_attributes(layer.attributes.select(pl.col(a.name).cast(pl.String).alias("actor")))
        ov = overlay_area(
            named, areas.with_attributes(areas.attributes.select("area")), zone_key="actor", area_key="area"
        )
        types = pl.DataFrame(
            {
                "actor": layer[a.name].cast(pl.String),
                "type": layer[a.type].cast(pl.String) if a.type in layer.columns else None,
            }
        ).unique("actor", keep="first")
        parts.append(
            ov.filter(pl.col("share") > 1e-6)
            .join(types, on="actor", how="left")
            .select("area", "actor", "type", "share", pl.lit(None, pl.List(pl.String)).alias("stadsdelar"))
        )
    if a is not None and a.table is not None:
        df = city.table(a.table)
        units = area_units(city, year=year, level=level).select("stadsdel", "area")
        listed = df.select(
            pl.col(a.name).cast(pl.String).alias("actor"),
            (pl.col(a.type).cast(pl.String) if a.type in df.columns else pl.lit(None, pl.String)).alias("type"),
            pl.col(a.stadsdel).cast(pl.String).alias("stadsdel"),
        ).join(units, on="stadsdel")
        parts.append(
            listed.group_by("area", "actor", "type", maintain_order=True)
            .agg(pl.col("stadsdel").unique(maintain_order=True).alias("stadsdelar"))
            .select("area", "actor", "type", pl.lit(None, pl.Float64).alias("share"), "stadsdelar")
        )
    if not parts:
        return pl.DataFrame(schema=schema)
    codes = dict(zip(areas["area"].to_list(), areas["area_code"].to_list(), strict=True))
    out = pl.concat(parts, how="diagonal_relaxed")
    return (
        out.with_columns(pl.col("area").replace_strict(codes, return_dtype=pl.String).alias("area_code"))
        .select(list(schema))
        .cast(schema)
        .sort("area", "type", "actor", nulls_last=True)
    )
