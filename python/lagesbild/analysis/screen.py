"""Screening a proposed plan area or building site against the city's hazards.

Before a detailed plan, a planner asks of a site: how much of it lies below
each flood level (the county boards recommend +2.7 m, RH 2000, as the
lowest level for new connected development and functions of major
importance), which dangerous-goods routes lie within their risk-handling
distance and in which zone the site then is, and which critical facilities
and actors are near. :func:`screen` answers that for one site.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from lagesbild.analysis.areas import stadsdel_layer
from lagesbild.analysis.hazards import band_of, flood_hazards, flood_zones, route_hazards, routes
from lagesbild.engine import nearest, overlay_area, sjoin
from lagesbild.exceptions import CrsError, InvalidArgumentError, InvalidGeometryError
from lagesbild.layer import Layer

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["Screening", "screen"]


@dataclass(frozen=True)
class Screening:
    """What :func:`screen` found for one site (all polars frames).

    Attributes
    ----------
    site
        ``area_m2`` of the site and the ``stadsdelar`` it lies in.
    flood
        Per flood hazard and level: ``area_m2`` of the site below the level
        and its ``share`` (0–1; for a point site, 1 when the point is below).
    routes
        Every route (outside tunnels) within its hazard's risk-handling
        distance of the site: ``hazard``, ``class``, ``name``,
        ``distance_m`` (m, 0 where the route crosses the site) and ``zone``.
    facilities
        Critical facilities within ``radius_m``: ``name``, ``category``,
        ``owner``, ``distance_m`` (protected ones left out in open mode,
        counted in ``protected_nearby``).
    actors
        Actors whose responsibility area holds or touches the site.
    """

    site: pl.DataFrame
    flood: pl.DataFrame
    routes: pl.DataFrame
    facilities: pl.DataFrame
    actors: pl.DataFrame
    # What the display in Jupyter draws the site with (not part of the result).
    _city: Any = field(default=None, repr=False, compare=False)
    _site: Layer | None = field(default=None, repr=False, compare=False)
    _radius_m: float = field(default=500.0, repr=False, compare=False)
    _mode: str = field(default="open", repr=False, compare=False)

    def _repr_html_(self) -> str | None:
        """In Jupyter: the site and its surroundings as a small map beside what was found (with the maps extra)."""
        try:
            from lagesbild.maps._display import screening_html
        except ImportError:
            return None  # without lagesbild[maps] Jupyter shows the text repr
        return screening_html(self)


def screen(city: City, site: Any, *, radius_m: float = 500.0, mode: str = "open") -> Screening:
    """Screen a plan area or building site: flood levels, routes, facilities, actors.

    Parameters
    ----------
    city
        The city.
    site
        The site: a :class:`~lagesbild.Layer` of polygons or points (all
        its features together), a shapely geometry (taken to be in the
        city's working CRS), or the path of a file :func:`lagesbild.read`
        reads. It must be in the city's working CRS and inside the city.
    radius_m
        How far from the site facilities count as near (m).
    mode
        ``"open"`` leaves protected facilities out of the list (their number
        is given); ``"internal"`` lists them.

    Returns
    -------
    Screening

    Raises
    ------
    CrsError
        If the site is in longitude/latitude or another CRS than the city's
        (transform it first, e.g. ``site.to_crs(3011)``).
    InvalidArgumentError
        If the site lies outside the city, or is not a polygon or point.

    Examples
    --------
    >>> import shapely
    >>> from lagesbild.analysis import screen
    >>> city = lb.demo()
    >>> s = screen(city, shapely.box(152_000, 6_578_500, 152_200, 6_578_700))
    >>> s.site["stadsdelar"][0].to_list()
    ['LÅNGHOLMEN']
    """
    if mode not in ("open", "internal"):
        msg = f"screen: mode must be 'open' or 'internal', not {mode!r}"
        raise InvalidArgumentError(msg)
    layer = _site_layer(city, site)
    base = stadsdel_layer(city)
    within = sjoin(layer, base, predicate="intersects")
    if len(within) == 0:
        msg = f"screen: the site lies outside {city.name} (bounds {layer.bounds}; the city's {base.bounds})"
        raise InvalidArgumentError(msg)
    areas = layer.area()
    is_point = layer.geom_types <= {"Point", "MultiPoint"}
    site_m2 = float(areas.sum())
    info = pl.DataFrame({"area_m2": [site_m2], "stadsdelar": [sorted(set(within["area"].to_list()))]})
    one = layer.with_attributes(pl.DataFrame({"site": ["site"] * len(layer)}))
    flood_rows = []
    for h in flood_hazards(city):
        zones = flood_zones(city, h)
        if is_point:
            hit = sjoin(one, zones, predicate="intersects")["band"].to_list()
            for band, level in zip(zones["band"].to_list(), zones["level"].to_list(), strict=True):
                flood_rows.append((h.name, band, level, 0.0, 1.0 if band in hit else 0.0))
            continue
        ov = overlay_area(zones.with_attributes(zones.attributes.select("band")), one, zone_key="band", area_key="site")
        got = dict(zip(ov["band"].to_list(), ov["area_m2"].to_list(), strict=True))
        for band, level in zip(zones["band"].to_list(), zones["level"].to_list(), strict=True):
            m2 = got.get(band, 0.0)
            flood_rows.append((h.name, band, level, m2, m2 / site_m2 if site_m2 > 0 else 0.0))
    flood = pl.DataFrame(
        flood_rows,
        schema={
            "hazard": pl.String,
            "band": pl.String,
            "level_m": pl.Float64,
            "area_m2": pl.Float64,
            "share": pl.Float64,
        },
        orient="row",
    )
    route_rows = []
    for h in route_hazards(city):
        lines = routes(city, h)
        if len(lines) == 0:
            continue
        near = nearest(lines, one, key="site")
        close = (
            lines.attributes.with_columns(near["distance_m"])
            .with_row_index("__i")
            .filter(pl.col("distance_m") <= h.distance_m)
        )
        route_rows.append(
            close.select(
                pl.lit(h.name).alias("hazard"),
                "class",
                "name",
                "distance_m",
                band_of(h, close["distance_m"]).alias("zone"),
            )
        )
    route_schema = {
        "hazard": pl.String,
        "class": pl.String,
        "name": pl.String,
        "distance_m": pl.Float64,
        "zone": pl.String,
    }
    routes_df = (
        pl.concat([r.cast(route_schema) for r in route_rows]) if route_rows else pl.DataFrame(schema=route_schema)
    )
    return Screening(
        site=info,
        flood=flood,
        routes=routes_df.sort("distance_m"),
        facilities=_facilities(city, one, radius_m, mode),
        actors=_actors(city, one),
        _city=city,
        _site=layer,
        _radius_m=radius_m,
        _mode=mode,
    )


def _site_layer(city: City, site: Any) -> Layer:
    if isinstance(site, str | os.PathLike):
        from lagesbild.io import read

        site = read(Path(site))
    if not isinstance(site, Layer):
        if hasattr(site, "__geo_interface__") and hasattr(site, "wkb"):
            layer = Layer.from_polars(pl.DataFrame({"geometry": [site.wkb]}), crs=city.crs, name="site")
        else:
            msg = f"screen: the site must be a lagesbild.Layer, a shapely geometry or a file, not {type(site).__name__}"
            raise InvalidArgumentError(msg)
    else:
        layer = site
    if len(layer) == 0:
        msg = "screen: the site has no features"
        raise InvalidArgumentError(msg)
    if layer.crs.is_geographic:
        msg = (
            f"screen: the site {layer.name!r} is in {layer.crs} (longitude/latitude); measuring needs metres: "
            f"transform it first, e.g. site.to_crs({city.crs.epsg})"
        )
        raise CrsError(msg)
    if city.crs is not None and layer.crs != city.crs:
        msg = (
            f"screen: the site {layer.name!r} is in EPSG:{layer.crs.epsg} and the city in EPSG:{city.crs.epsg}; "
            f"transform it first, e.g. site.to_crs({city.crs.epsg})"
        )
        raise CrsError(msg)
    kinds = layer.geom_types - {"Polygon", "MultiPolygon", "Point", "MultiPoint"}
    if kinds:
        msg = f"screen: a site is a plan area (polygons) or a building site (points), not {', '.join(sorted(kinds))}"
        raise InvalidGeometryError(msg)
    return layer


def _facilities(city: City, one: Layer, radius_m: float, mode: str) -> pl.DataFrame:
    schema = {"name": pl.String, "category": pl.String, "owner": pl.String, "distance_m": pl.Float64}
    f = city.settings.facilities
    if f is None:
        return pl.DataFrame(schema=schema)
    layer = city.layer(f.layer)
    near = nearest(layer, one, key="site", max_distance=radius_m)
    df = pl.DataFrame(
        {
            "name": layer[f.name].cast(pl.String),
            "category": layer[f.category].cast(pl.String),
            "owner": layer[f.owner].cast(pl.String) if f.owner else None,
            "distance_m": near["distance_m"],
            "__protected": layer[f.protected].fill_null(False) if f.protected else False,
        }
    ).filter(pl.col("distance_m").is_not_null())
    hidden = int(df["__protected"].sum()) if mode == "open" else 0
    if mode == "open":
        df = df.filter(~pl.col("__protected"))
    return df.drop("__protected").cast(schema).sort("distance_m").with_columns(pl.lit(hidden).alias("protected_nearby"))


def _actors(city: City, one: Layer) -> pl.DataFrame:
    schema = {"actor": pl.String, "type": pl.String}
    a = city.settings.actors
    if a is None or a.layer is None:
        return pl.DataFrame(schema=schema)
    layer = city.layer(a.layer)
    hits = sjoin(layer, one, predicate="intersects")
    return (
        hits.attributes.select(
            pl.col(a.name).cast(pl.String).alias("actor"),
            (pl.col(a.type).cast(pl.String) if a.type in hits.columns else pl.lit(None, pl.String)).alias("type"),
        )
        .unique(maintain_order=True)
        .sort("type", "actor", nulls_last=True)
    )
