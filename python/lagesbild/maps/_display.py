"""Rich display in Jupyter: a small inline SVG map and a summary table.

:meth:`lagesbild.Layer._repr_html_` and :meth:`lagesbild.City._repr_html_`
call these. They must be cheap for any layer — the 130,000 incidents
included — so the map shows at most :data:`MAX_FEATURES` features (an even
sample, the same every time) simplified to what 360 pixels can show, and
says so under the map. The SVG is written by hand from the coordinates: no
plotting library is needed, only shapely (part of the ``maps`` extra and of
the geopandas interop); without it the summary is shown alone.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from lagesbild.maps.style import PALETTE, format_number

if TYPE_CHECKING:
    from lagesbild.city import City
    from lagesbild.layer import Layer

#: The most features drawn in a layer's inline map.
MAX_FEATURES = 5_000
#: The inline map's size in pixels.
SIZE = 360
#: The colour of the facilities near a screened site.
FACILITY = "#0072B2"
#: The colour of the areas a result is about, among the others.
HIGHLIGHT = "#feb24c"


def _shapely() -> Any:
    try:
        import shapely

        return shapely
    except ImportError:
        return None


@dataclass
class Part:
    """Geometries drawn alike in an inline map: fill, stroke, line width, dash, point radius (pixels)."""

    geoms: np.ndarray
    fill: str = "none"
    stroke: str = "none"
    width: float = 0.5
    dash: str | None = None
    radius: float = 1.3
    opacity: float = 1.0
    fill_opacity: float = 1.0


def svg(
    layers: Sequence[tuple[Layer, str, str] | Part],
    *,
    size: int = SIZE,
    bounds: tuple[float, float, float, float] | None = None,
) -> tuple[str, str]:
    """An SVG of the layers (each with fill and stroke colours, or a :class:`Part`) and a note on what was left out.

    ``bounds`` is the extent shown (what lies outside is clipped away);
    default: all of the layers.
    """
    shapely = _shapely()
    if shapely is None:
        return "", "Installera lagesbild[maps] för att se kartan."
    from lagesbild.maps import _geom

    notes = []
    prepared: list[Part] = []
    for item in layers:
        if isinstance(item, Part):
            prepared.append(item)
            continue
        layer, fill, stroke = item
        n = len(layer)
        if n == 0:
            continue
        if n > MAX_FEATURES:
            step = int(np.ceil(n / MAX_FEATURES))
            layer = layer.take(np.arange(0, n, step))
            notes.append(f"{format_number(len(layer))} av {format_number(n)} objekt visas (vart {step}:e)")
        polygons = any("Polygon" in t for t in layer.geom_types)
        prepared.append(Part(_geom.shapes(layer), fill=fill, stroke=stroke, width=0.5 if polygons else 1.0))
    if bounds is None:
        for part in prepared:
            b = _geom.union_bounds(part.geoms)
            if b is not None:
                bounds = b if bounds is None else (min(bounds[0], b[0]), min(bounds[1], b[1]),
                                                   max(bounds[2], b[2]), max(bounds[3], b[3]))
        if bounds is None:
            return "", "Inga geometrier."
        bounds = _geom.padded(bounds, 0.02)
        clip = None
    else:
        clip = bounds
    x0, y0, x1, y1 = bounds
    span = max(x1 - x0, y1 - y0, 1e-9)
    k = size / span
    w, h = (x1 - x0) * k, (y1 - y0) * k
    tol = span / size / 2
    parts = []
    for part in prepared:
        shown = _geom.for_display(part.geoms, 0.0, clip) if clip is not None else part.geoms
        shown = shapely.simplify(shown, tol, preserve_topology=False)
        style = f'stroke="{part.stroke}" stroke-width="{part.width}"'
        if part.dash:
            style += f' stroke-dasharray="{part.dash}"'
        if part.opacity < 1:
            style += f' opacity="{part.opacity}"'
        if part.fill_opacity < 1:
            style += f' fill-opacity="{part.fill_opacity}"'
        for g in shown:
            if g is None or g.is_empty:
                continue
            if g.geom_type in ("Point", "MultiPoint"):
                for p in getattr(g, "geoms", [g]):
                    parts.append(f'<circle cx="{(p.x - x0) * k:.1f}" cy="{(y1 - p.y) * k:.1f}" r="{part.radius}" '
                                 f'fill="{part.fill}" {style}/>')
                continue
            d = []
            polygon = "Polygon" in g.geom_type
            for ring in _geom.line_parts(g):
                pts = " ".join(f"{(x - x0) * k:.1f},{(y1 - y) * k:.1f}" for x, y in ring)
                d.append(f"M{pts}" + ("Z" if polygon else ""))
            if not d:
                continue
            fill = part.fill if polygon else "none"
            parts.append(f'<path d="{" ".join(d)}" fill="{fill}" fill-rule="evenodd" {style}/>')
    if prepared:
        notes.append(f"förenklad för visning (≈{format_number(tol, 0 if tol >= 1 else 1)} m)")
    body = "".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" viewBox="0 0 {w:.1f} {h:.1f}" '
        f'style="background:white">{body}</svg>',
        "; ".join(notes),
    )


def _box(svg_text: str, note: str, table: str) -> str:
    caption = f'<div style="font-size:11px;color:#666">{html.escape(note)}</div>' if note else ""
    return (
        '<div style="display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap">'
        f"<div>{svg_text}{caption}</div><div>{table}</div></div>"
    )


def _rows(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f'<tr><th style="text-align:left;padding-right:12px">{html.escape(k)}</th>'
        f'<td style="text-align:left">{html.escape(v)}</td></tr>'
        for k, v in rows
    )
    return f"<table>{cells}</table>"


def layer_html(layer: Layer) -> str:
    """A layer in Jupyter: its map (sampled, simplified) beside its name, size, CRS and first rows."""
    kinds = ", ".join(sorted(layer.geom_types)) or "inga geometrier"
    polygons = any("Polygon" in t for t in layer.geom_types)
    drawn, note = svg([(layer, PALETTE.sequential[2] if polygons else "#0072B2", "#555555")])
    rows = [
        ("Lager", layer.name.rsplit("/", 1)[-1]),
        ("Objekt", format_number(len(layer))),
        ("Geometri", kinds),
        ("CRS", f"EPSG:{layer.crs.epsg} ({layer.crs.name})"),
        ("Kolumner", ", ".join(f"{c} ({t})" for c, t in list(layer.attributes.schema.items())[:12])
         + (" …" if len(layer.columns) > 12 else "")),
    ]
    head = layer.attributes.head(5)
    table = _rows(rows) + (head._repr_html_() if head.width else "")
    return _box(drawn, note, table)


def city_html(city: City) -> str:
    """A city in Jupyter: its stadsdelar and water, and what it holds."""
    layers: list[tuple[Layer, str, str]] = []
    if city.areas is not None:
        layers.append((city.areas, PALETTE.land, "#888888"))
    if city.settings.water and city.settings.water in city.layers:
        layers.append((city.layers[city.settings.water], PALETTE.water, PALETTE.water_edge))
    key = ("maps:repr_svg",)
    if key not in city._derived:
        city._derived[key] = svg(layers)
    drawn, note = city._derived[key]
    periods = city.periods if city._organisation is not None else None
    rows = [
        ("Stad", city.name),
        ("Stadsdelar", format_number(len(city.stadsdelar))),
        ("CRS", f"EPSG:{city.crs.epsg} ({city.crs.name})" if city.crs is not None else "–"),
        ("Organisation", "; ".join(
            f"{r['stadsdelsomraden']} stadsdelsområden från {r['giltig_fran']}" for r in periods.iter_rows(named=True)
        ) if periods is not None else "–"),
        ("Lager", ", ".join(f"{n} ({format_number(len(v))})" for n, v in city.layers.items()) or "–"),
        ("Tabeller", ", ".join(f"{n} ({format_number(v.height)})" for n, v in city.tables.items()) or "–"),
        ("Risker", ", ".join(city.settings.hazards) or "–"),
    ]
    if city.settings.source:
        rows.append(("Källa", city.settings.source))
    return _box(drawn, note, _rows(rows))


# -- analysis results ----------------------------------------------------------------------


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], *, numeric: Sequence[int] = ()) -> str:
    head = "".join(f'<th style="text-align:left;padding-right:10px">{html.escape(h)}</th>' for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="text-align:{"right" if i in numeric else "left"};padding-right:10px">{html.escape(v)}</td>'
            for i, v in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def omradesansvar_html(result: Any) -> str:
    """Områdesansvar in Jupyter: the areas (the ones of the result marked) and a row per area.

    The row says how many neighbours the area has, how many hazards cross
    its boundary (flood levels and route classes, each counted once), how
    many critical facilities it holds and how many actors share it.
    """
    from lagesbild.maps import _geom
    from lagesbild.maps.style import area_display_name

    n, h, f, a = result.neighbours, result.hazards, result.facilities, result.actors
    names = sorted(set(n["area"].to_list()) | set(f["area"].to_list()) | set(a["area"].to_list()))
    drawn, note = "", ""
    areas = getattr(result, "areas", None)
    if areas is not None and len(areas):
        geoms = _geom.shapes(areas)
        all_names = areas["area"].to_list()
        chosen = np.array([x in names for x in all_names])
        near = set(n["neighbour"].to_list())
        context = np.array([x in near and x not in names for x in all_names])
        some = not chosen.all()
        parts = [
            Part(geoms[~chosen & ~context], fill=PALETTE.context, stroke="#ffffff", width=0.6),
            Part(geoms[context], fill=PALETTE.land, stroke="#b8b8b2", width=0.6),
            # The areas of the result stand out when they are not all of them.
            Part(geoms[chosen], fill=HIGHLIGHT if some else PALETTE.land,
                 stroke=PALETTE.edge_dark if some else "#555555", width=1.2 if some else 0.6),
        ]
        drawn, note = svg(parts)
        if some:
            note = "; ".join(x for x in ("området orange, grannarna ljusa", note) if x)
    hazards = h.select(
        "area", pl.concat_str([pl.col("hazard"), pl.col("band").fill_null(pl.col("category"))], separator=" ")
        .alias("what")
    ).unique()
    rows = []
    for area in names:
        neighbours = n.filter(pl.col("area") == area).sort("shared_boundary_m", descending=True)
        rows.append(
            [
                area_display_name(area),
                format_number(neighbours.height),
                format_number(hazards.filter(pl.col("area") == area).height),
                format_number(f.filter(pl.col("area") == area)["facilities"].sum()),
                format_number(a.filter(pl.col("area") == area)["actor"].n_unique()),
            ]
        )
    table = _table(
        ["Område", "Grannar", "Risker över gränsen", "Samhällsviktig verksamhet", "Aktörer"], rows,
        numeric=(1, 2, 3, 4),
    )
    if len(names) == 1 and n.height:
        shared = [
            [area_display_name(r["neighbour"]), f"{format_number(r['shared_boundary_m'] / 1000, 1)} km"]
            for r in n.sort("shared_boundary_m", descending=True).iter_rows(named=True)
        ]
        shared_table = _table(["Gemensam gräns med", "Längd"], shared, numeric=(1,))
        table += f'<div style="margin-top:8px">{shared_table}</div>'
    title = '<div style="font-weight:bold;margin-bottom:4px">Geografiskt områdesansvar</div>'
    return _box(drawn, note, title + table)


def screening_html(result: Any) -> str:
    """A screened site in Jupyter: the site and what lies around it, and what was found.

    The map shows the site (red), the facilities within the radius (in
    open mode without the protected ones), the flood zones, the routes
    and the circle of the radius; the table the site's size, flood shares,
    the nearest routes, the facilities and the actors.
    """
    from lagesbild.analysis.hazards import flood_hazards, flood_zones, route_hazards, routes
    from lagesbild.maps import _geom
    from lagesbild.maps.style import area_display_name, flood_colours, route_style

    city, site = result._city, result._site
    drawn, note = "", ""
    radius = result._radius_m
    if city is not None and site is not None:
        shapely = _shapely()
        site_geoms = _geom.shapes(site)
        x0, y0, x1, y1 = _geom.union_bounds(site_geoms) or (0.0, 0.0, 1.0, 1.0)
        bounds = (x0 - radius * 1.15, y0 - radius * 1.15, x1 + radius * 1.15, y1 + radius * 1.15)
        parts = []
        if city.areas is not None:
            parts.append(Part(_geom.shapes(city.areas), fill=PALETTE.land, stroke="#bbbbbb", width=0.5))
        if city.settings.water and city.settings.water in city.layers:
            parts.append(Part(_geom.shapes(city.layer(city.settings.water)), fill=PALETTE.water, stroke="none"))
        for h in flood_hazards(city):
            zones = flood_zones(city, h)
            colours = flood_colours(len(zones))
            geoms = _geom.shapes(zones)
            for i in reversed(range(len(zones))):
                parts.append(Part(geoms[i : i + 1], fill=colours[i], stroke="none", opacity=0.8))
        for h in route_hazards(city):
            lines = routes(city, h)
            classes = lines["class"].to_list()
            geoms = _geom.shapes(lines)
            for klass in dict.fromkeys(c for c in classes if c is not None):
                colour, width, _ = route_style(klass)
                idx = [i for i, c in enumerate(classes) if c == klass]
                parts.append(Part(geoms[idx], stroke=colour, width=width))
        union = shapely.union_all(site_geoms)
        parts.append(Part(np.array([shapely.buffer(union, radius, quad_segs=16)], dtype=object), fill="none",
                          stroke="#555555", width=0.8, dash="4 3"))
        f = city.settings.facilities
        if f is not None:
            layer = city.layer(f.layer)
            pts = _geom.shapes(layer)
            near = shapely.dwithin(pts, union, radius)
            if result._mode == "open" and f.protected:
                near &= ~layer[f.protected].fill_null(False).to_numpy()
            parts.append(Part(pts[near], fill=FACILITY, stroke="#ffffff", width=0.5, radius=3.0))
        points = site.geom_types <= {"Point", "MultiPoint"}
        parts.append(Part(site_geoms, fill="#d7301f", stroke="#a50f15", width=1.5,
                          fill_opacity=1.0 if points else 0.35, radius=4.0))
        drawn, note = svg(parts, bounds=bounds)
        note = "; ".join(x for x in (f"streckad cirkel: {format_number(radius)} m", note) if x)
    rows: list[tuple[str, str]] = []
    info = result.site.row(0, named=True)
    if info["area_m2"] > 0:
        rows.append(("Yta", f"{format_number(info['area_m2'])} m²"))
    rows.append(("Stadsdelar", ", ".join(area_display_name(x) for x in info["stadsdelar"]) or "–"))
    for r in result.flood.iter_rows(named=True):
        level = format_number(r["level_m"], 2).rstrip("0").rstrip(",")
        if info["area_m2"] > 0:
            found = f"{format_number(100 * r['share'], 0)} % ({format_number(r['area_m2'])} m²)"
        else:  # a building site: the point is below the level or not
            found = "ja" if r["share"] > 0 else "nej"
        rows.append((f"Under +{level} m", found))
    several = result.routes["hazard"].n_unique() > 1
    for hazard, group in result.routes.group_by("hazard", maintain_order=True):
        first = group.row(0, named=True)
        name = first["name"] or first["class"] or "–"
        rows.append(
            (
                f"Närmaste led ({hazard[0]})" if several else "Närmaste led",
                f"{name}, {format_number(first['distance_m'])} m, zon {first['zone']} ({group.height} inom avståndet)",
            )
        )
    if not result.routes.height:
        rows.append(("Farligt gods", "ingen led inom riskhanteringsavståndet"))
    fac = result.facilities
    hidden = int(fac["protected_nearby"][0]) if fac.height and "protected_nearby" in fac.columns else 0
    if city is not None and site is not None and result._mode == "open":
        hidden = _protected_near(city, site, radius)
    text = f"{format_number(fac.height)} inom {format_number(radius)} m"
    if fac.height:
        text += ": " + ", ".join(fac["name"].head(5).to_list()) + (" …" if fac.height > 5 else "")
    if hidden:
        text += f" (därtill {hidden} skyddsvärda, visas inte)"
    rows.append(("Samhällsviktig verksamhet", text))
    rows.append(("Aktörer", ", ".join(result.actors["actor"].to_list()) or "–"))
    title = '<div style="font-weight:bold;margin-bottom:4px">Platsens risker</div>'
    return _box(drawn, note, title + _rows(rows))


def _protected_near(city: Any, site: Layer, radius: float) -> int:
    """How many protected facilities lie within ``radius`` of the site (counted, never shown)."""
    from lagesbild.maps import _geom

    shapely = _shapely()
    f = city.settings.facilities
    if f is None or not f.protected:
        return 0
    layer = city.layer(f.layer)
    near = shapely.dwithin(_geom.shapes(layer), shapely.union_all(_geom.shapes(site)), radius)
    return int((near & layer[f.protected].fill_null(False).to_numpy()).sum())
