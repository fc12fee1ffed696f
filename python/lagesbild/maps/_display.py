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
from typing import TYPE_CHECKING, Any

import numpy as np

from lagesbild.maps.style import PALETTE, format_number

if TYPE_CHECKING:
    from lagesbild.city import City
    from lagesbild.layer import Layer

#: The most features drawn in a layer's inline map.
MAX_FEATURES = 5_000
#: The inline map's size in pixels.
SIZE = 360


def _shapely() -> Any:
    try:
        import shapely

        return shapely
    except ImportError:
        return None


def svg(layers: list[tuple[Layer, str, str]], *, size: int = SIZE) -> tuple[str, str]:
    """An SVG of the layers (each with fill and stroke colours) and a note on what was left out."""
    shapely = _shapely()
    if shapely is None:
        return "", "Installera lagesbild[maps] för att se kartan."
    from lagesbild.maps import _geom

    notes = []
    parts = []
    bounds = None
    prepared = []
    for layer, fill, stroke in layers:
        n = len(layer)
        if n == 0:
            continue
        if n > MAX_FEATURES:
            step = int(np.ceil(n / MAX_FEATURES))
            layer = layer.take(np.arange(0, n, step))
            notes.append(f"{format_number(len(layer))} av {format_number(n)} objekt visas (vart {step}:e)")
        geoms = _geom.shapes(layer)
        prepared.append((geoms, fill, stroke))
        b = _geom.union_bounds(geoms)
        if b is not None:
            bounds = b if bounds is None else (min(bounds[0], b[0]), min(bounds[1], b[1]), max(bounds[2], b[2]),
                                              max(bounds[3], b[3]))
    if bounds is None:
        return "", "Inga geometrier."
    x0, y0, x1, y1 = _geom.padded(bounds, 0.02)
    span = max(x1 - x0, y1 - y0, 1e-9)
    k = size / span
    w, h = (x1 - x0) * k, (y1 - y0) * k
    tol = span / size / 2
    for geoms, fill, stroke in prepared:
        shown = shapely.simplify(geoms, tol, preserve_topology=False)
        for g in shown:
            if g is None or g.is_empty:
                continue
            if g.geom_type in ("Point", "MultiPoint"):
                for p in getattr(g, "geoms", [g]):
                    parts.append(f'<circle cx="{(p.x - x0) * k:.1f}" cy="{(y1 - p.y) * k:.1f}" r="1.3" fill="{fill}"/>')
                continue
            d = []
            for ring in _geom.line_parts(g):
                pts = " ".join(f"{(x - x0) * k:.1f},{(y1 - y) * k:.1f}" for x, y in ring)
                d.append(f"M{pts}" + ("Z" if g.geom_type.endswith("Polygon") else ""))
            if not d:
                continue
            if g.geom_type.endswith("Polygon"):
                parts.append(f'<path d="{" ".join(d)}" fill="{fill}" fill-rule="evenodd" stroke="{stroke}" '
                             'stroke-width="0.5"/>')
            else:
                parts.append(f'<path d="{" ".join(d)}" fill="none" stroke="{stroke}" stroke-width="1"/>')
    if any(tol > 0 for _ in prepared):
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
