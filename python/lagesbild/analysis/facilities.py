"""The follow-up list of critical facilities exposed to the city's hazards.

:func:`facilities_at_risk` gives every facility of ``[facilities]`` with the
areas it lies in, the lowest flood level that reaches it, and, per route
hazard, the distance to the nearest route (tunnel stretches left out) with
that route's class, name and zone of the risk-handling distance, and what
the planning guidance says about its kind of use in that zone. It is the
list a planner works through: one row per facility, sortable and
filterable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from lagesbild.analysis.areas import area_units, check_args, stadsdel_layer
from lagesbild.analysis.hazards import band_of, flood_hazards, flood_zones, route_hazards, routes
from lagesbild.engine import assign, nearest
from lagesbild.exceptions import InvalidArgumentError

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["facilities_at_risk", "guidance_note"]

_WORDS = {
    "sv": ("inom zon {zone}; riktlinjerna placerar {kind} i zon {guided}", "inom zon {zone}"),
    "en": ("inside zone {zone}; guidance places {kind} in zone {guided}", "inside zone {zone}"),
}


def guidance_note(zone: str | None, kind: str, guided: str | None, order: list[str], lang: str = "sv") -> str | None:
    """What the guidance says of a facility of ``kind`` in ``zone`` (``None`` outside every zone).

    A statement, not a verdict: it names the zone the facility is in and,
    where it is nearer the route than the zone the guidance places its kind
    in, that zone.

    Examples
    --------
    >>> from lagesbild.analysis.facilities import guidance_note
    >>> guidance_note("A", "förskola", "C", ["A", "B", "C"], lang="en")
    'inside zone A; guidance places förskola in zone C'
    >>> guidance_note("C", "förskola", "C", ["A", "B", "C"])
    'inom zon C'
    """
    if zone is None:
        return None
    nearer, plain = _WORDS[lang]
    if guided is not None and guided in order and order.index(zone) < order.index(guided):
        return nearer.format(zone=zone, kind=kind, guided=guided)
    return plain.format(zone=zone)


def facilities_at_risk(city: City, *, year: int, mode: str = "open", lang: str = "sv") -> pl.DataFrame:
    """Every critical facility with its areas and its exposure to each hazard.

    Columns: the facility's ``name``, ``category``, ``sector``,
    ``capacity``, ``capacity_unit``, ``owner``, ``namnd`` (as configured in
    ``[facilities]``; absent ones are null), ``protected``; ``stadsdel``,
    ``stadsdelsomrade`` (in the organisation in force on 31 December of
    ``year``) and their codes; ``x``, ``y`` (the working CRS); then per
    flood hazard ``H``: ``H_level_m``, the lowest level whose zone holds
    the facility (null when none does), and ``H_band``; per route hazard
    ``H``: ``H_distance_m`` to the nearest route outside tunnels (m),
    ``H_class`` and ``H_route`` (that route's class and name), ``H_zone``
    (the zone of the risk-handling distance, null beyond it),
    ``H_guidance_zone`` (the zone ``[facilities] zone_guidance`` places the
    category in) and ``H_note`` (in words, Swedish or English by ``lang``,
    a statement of where it is rather than a verdict).

    In ``mode="open"`` facilities marked protected are left out entirely
    (they are counted per area by :func:`exposure`, never listed).

    Examples
    --------
    >>> from lagesbild.analysis import facilities_at_risk
    >>> f = facilities_at_risk(lb.demo(), year=2025)
    >>> f.height > 0 and not f["protected"].fill_null(False).any()
    True
    """
    year, _, mode = check_args("facilities_at_risk", year, "stadsdel", mode)
    if lang not in _WORDS:
        msg = f"facilities_at_risk: lang must be 'sv' or 'en', not {lang!r}"
        raise InvalidArgumentError(msg)
    f = city.settings.facilities
    if f is None:
        msg = f"{city.name}: the city has no [facilities] section: name the facilities' layer and columns there"
        raise InvalidArgumentError(msg)
    layer = city.layer(f.layer)

    def column(name: str | None, dtype: pl.DataType) -> pl.Series:
        return layer[name].cast(dtype) if name is not None else pl.Series([None] * len(layer), dtype=dtype)

    coords = layer.xy()
    base = stadsdel_layer(city)
    sd = assign(layer, base, key="area").cast(pl.String)
    units = area_units(city, year=year, level="stadsdelsomrade") if city._organisation is not None else None
    out = pl.DataFrame(
        {
            "name": column(f.name, pl.String),
            "category": column(f.category, pl.String),
            "sector": column(f.sector, pl.String),
            "capacity": column(f.capacity, pl.Float64),
            "capacity_unit": column(f.capacity_unit, pl.String),
            "owner": column(f.owner, pl.String),
            "namnd": column(f.namnd, pl.String),
            "protected": column(f.protected, pl.Boolean),
            "stadsdel": sd,
            "x": coords["x"],
            "y": coords["y"],
        }
    )
    codes = city.stadsdel_codes
    out = out.with_columns(pl.col("stadsdel").replace_strict(codes, default=None).alias("stadsdel_code"))
    if units is not None:
        sdo = units.select(
            "stadsdel", pl.col("area").alias("stadsdelsomrade"), pl.col("area_code").alias("stadsdelsomrade_code")
        )
        out = out.join(sdo, on="stadsdel", how="left", maintain_order="left")
    for h in flood_hazards(city):
        zones = flood_zones(city, h)
        out = out.with_columns(assign(layer, zones, key="band").cast(pl.String).alias(f"{h.name}_band"))
        levels = dict(zip(zones["band"].to_list(), zones["level"].to_list(), strict=True))
        out = out.with_columns(
            pl.col(f"{h.name}_band")
            .replace_strict(levels, default=None, return_dtype=pl.Float64)
            .alias(f"{h.name}_level_m")
        )
    for h in route_hazards(city):
        lines = routes(city, h)
        order = [z for z, _, _ in h.zones()]
        if len(lines) == 0:
            near = pl.DataFrame(
                {"class": [None] * len(layer), "right_index": [None] * len(layer), "distance_m": [None] * len(layer)}
            )
        else:
            near = nearest(layer, lines, key="class")
        names = lines["name"].gather(near["right_index"].cast(pl.UInt32)) if len(lines) else near["class"]
        zone = band_of(h, near["distance_m"])
        guided = out["category"].replace_strict(dict(f.zone_guidance), default=None, return_dtype=pl.String)
        notes = [
            guidance_note(z, k, g, order, lang)
            for z, k, g in zip(zone.to_list(), out["category"].to_list(), guided.to_list(), strict=True)
        ]
        out = out.with_columns(
            near["distance_m"].alias(f"{h.name}_distance_m"),
            near["class"].cast(pl.String).alias(f"{h.name}_class"),
            names.cast(pl.String).alias(f"{h.name}_route"),
            zone.alias(f"{h.name}_zone"),
            guided.alias(f"{h.name}_guidance_zone"),
            pl.Series(f"{h.name}_note", notes, dtype=pl.String),
        )
    if mode == "open":
        out = out.filter(~pl.col("protected").fill_null(False))
    sort = [c for c in ("stadsdelsomrade", "stadsdel", "category", "name") if c in out.columns]
    return out.sort(sort, nulls_last=True, maintain_order=True)
