"""Interactive maps in one HTML file that works offline, with Bokeh.

:func:`explore` (and :meth:`lagesbild.Layer.explore`) draw the same layers
as the static maps, in the same colours, as a web map with a legend whose
entries switch layers on and off, tooltips with the values, and pan and
zoom. The page is one self-contained HTML file: Bokeh's JavaScript and
styles are written inline from the installed wheel (``bokeh.resources.INLINE``),
and no map tiles are fetched unless asked for (``tiles=``), so it opens on a
locked-down municipal PC without network. The areas and the water are the
background.

In Jupyter an :class:`InteractiveMap` shows itself inline (in a sandboxed
frame holding the whole page, so it needs no notebook extension either).
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
import shapely

from lagesbild.exceptions import InvalidArgumentError
from lagesbild.layer import Layer
from lagesbild.maps import _geom
from lagesbild.maps.overlays import Drawable, Overlay, View
from lagesbild.maps.style import BOKEH_MARKERS, PALETTE, area_display_name, format_number
from lagesbild.progress import steps

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["InteractiveMap", "explore", "explore_layer"]


class InteractiveMap:
    """A web map as one self-contained HTML page.

    Attributes
    ----------
    html
        The page.
    layers
        The names of the map's layers, as its legend lists them.
    """

    def __init__(self, page: str, layers: Sequence[str], title: str) -> None:
        self.html = page
        self.layers = list(layers)
        self.title = title

    def __repr__(self) -> str:
        return f"<InteractiveMap {self.title!r}: {len(self.layers)} layers, {len(self.html) / 1e6:.1f} MB of HTML>"

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page (atomically: a temporary file beside it, renamed into place)."""
        from lagesbild.maps.static import atomic_write

        path = Path(path)
        atomic_write(path, self.html.encode("utf-8"))
        return path

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" style="width:100%;height:640px;border:0" '
            'sandbox="allow-scripts"></iframe>'
        )


# -- from drawables to Bokeh ------------------------------------------------------------


def _rings(geom: shapely.Geometry) -> list[list[list[np.ndarray]]]:
    """A polygon geometry as Bokeh's multi_polygons nesting: polygons → rings → coordinates."""
    out = []
    for poly in _geom.polygon_parts(geom):
        rings = [np.asarray(poly.exterior.coords)[:, :2]] + [np.asarray(r.coords)[:, :2] for r in poly.interiors]
        out.append(rings)
    return out


def _source(d: Drawable) -> tuple[dict[str, list[Any]], list[int]]:
    """The data of a drawable for Bokeh: coordinates plus its tooltip columns, one row per geometry."""
    keep = [i for i, g in enumerate(d.geoms) if g is not None and not g.is_empty]
    data: dict[str, list[Any]] = {}
    if d.kind == "polygon":
        polys = [_rings(d.geoms[i]) for i in keep]
        keep = [i for i, p in zip(keep, polys, strict=True) if p]
        polys = [p for p in polys if p]
        data["xs"] = [[[r[:, 0].tolist() for r in poly] for poly in p] for p in polys]
        data["ys"] = [[[r[:, 1].tolist() for r in poly] for poly in p] for p in polys]
    elif d.kind == "line":
        # multi_line draws one line a row: a feature of several parts becomes several rows.
        rows = [(i, c) for i in keep for c in _geom.line_parts(d.geoms[i])]
        keep = [i for i, _ in rows]
        data["xs"] = [c[:, 0].tolist() for _, c in rows]
        data["ys"] = [c[:, 1].tolist() for _, c in rows]
    else:
        data["x"] = [float(d.geoms[i].x) for i in keep]
        data["y"] = [float(d.geoms[i].y) for i in keep]
        if d.texts is not None:
            data["text"] = [d.texts[i] for i in keep]
    fills = d.fill if isinstance(d.fill, list | tuple) else None
    if fills is not None:
        data["fill"] = [fills[i] for i in keep]
    if d.tooltips is not None:
        for c in d.tooltips.columns:
            values = d.tooltips[c].to_list()
            data[c] = ["–" if values[i] is None else str(values[i]) for i in keep]
    return data, keep


def _dash(d: Drawable) -> Any:
    return "solid" if d.dash is None else " ".join(str(int(round(v * 2))) for v in d.dash)


def _add(fig: Any, d: Drawable, legend_items: list[tuple[str, list[Any]]]) -> None:
    from bokeh.models import ColumnDataSource, HoverTool

    data, keep = _source(d)
    if not keep:
        return
    src = ColumnDataSource(data)
    fill = "fill" if "fill" in data else (d.fill or None)
    if d.kind == "polygon":
        r = fig.multi_polygons(
            "xs", "ys", source=src, fill_color=fill, fill_alpha=d.alpha if fill else 0.0,
            line_color=d.edge, line_width=d.width * 1.3 if d.edge else 0, line_alpha=1.0 if d.edge else 0.0,
            hatch_pattern="/" if d.hatch else None, hatch_color=PALETTE.hatch, hatch_alpha=0.8 if d.hatch else 0.0,
            hatch_scale=8,
        )
    elif d.kind == "line":
        r = fig.multi_line("xs", "ys", source=src, line_color=d.edge, line_width=d.width * 1.4,
                           line_dash=_dash(d), line_cap="round")
    elif d.kind == "label":
        # Above the point, where a count of protected facilities may stand.
        r = fig.text("x", "y", text="text", source=src, text_align="center", text_baseline="bottom",
                     text_font_size=f"{d.size * 1.4:.0f}px", text_font_style="bold", y_offset=-10,
                     text_color=d.edge or PALETTE.text, background_fill_color="white", background_fill_alpha=0.7)
    elif d.kind == "count":
        from bokeh.models import LabelSet

        r = fig.scatter("x", "y", source=src, marker="square", size=16, fill_color="white", line_color=d.edge)
        fig.add_layout(LabelSet(x="x", y="y", text="text", source=src, text_align="center", text_baseline="middle",
                                text_font_size="9px"))
    else:
        r = fig.scatter("x", "y", source=src, marker=BOKEH_MARKERS.get(d.marker or "o", "circle"),
                        size=d.size * 1.5, fill_color=fill, line_color=d.edge, line_width=d.width)
    if d.tooltips is not None and d.tooltips.width:
        fig.add_tools(HoverTool(renderers=[r], tooltips=[(c, f"@{{{c}}}") for c in d.tooltips.columns]))
    if d.legend:
        for name, renderers in legend_items:
            if name == d.label:
                renderers.append(r)
                return
        legend_items.append((d.label, [r]))
    else:
        legend_items.append(("", [r]))


def _to_web(d: Drawable, crs: Any) -> Drawable:
    """The drawable in Web Mercator (EPSG:3857), for maps over tiles."""
    geoms = [g for g in d.geoms]
    wkb = pl.Series("g", [None if g is None else shapely.to_wkb(g) for g in geoms], dtype=pl.Binary)
    layer = Layer.from_polars(pl.DataFrame({"g": wkb}), geometry="g", crs=crs, name=d.name).to_crs(3857)
    from dataclasses import replace

    return replace(d, geoms=_geom.shapes(layer))


def render(
    drawables: Sequence[Drawable], *, title: str, crs: Any, tiles: str | None = None, note: str | None = None,
    width: int = 980, height: int = 720,
) -> InteractiveMap:
    """A page with the drawables, in order, a legend that switches them and their tooltips."""
    from bokeh.embed import file_html
    from bokeh.layouts import column
    from bokeh.models import Div, Legend, LegendItem, WheelZoomTool
    from bokeh.plotting import figure
    from bokeh.resources import INLINE

    if tiles is not None:
        drawables = [_to_web(d, crs) for d in drawables]
    fig = figure(
        title=title, match_aspect=True, width=width, height=height, tools="pan,wheel_zoom,box_zoom,reset,save",
        x_axis_type="mercator" if tiles else "linear", y_axis_type="mercator" if tiles else "linear",
        background_fill_color="white", sizing_mode="stretch_width",
    )
    fig.toolbar.active_scroll = fig.select_one(WheelZoomTool)
    fig.axis.visible = False
    fig.grid.visible = False
    if tiles is not None:
        fig.add_tile(tiles)
    items: list[tuple[str, list[Any]]] = []
    for d in sorted(drawables, key=lambda d: d.zorder):
        _add(fig, d, items)
    order = [d.label for d in drawables if d.legend]
    named = sorted((i for i in items if i[0]), key=lambda i: order.index(i[0]) if i[0] in order else 0)
    legend = Legend(items=[LegendItem(label=n, renderers=r) for n, r in named], click_policy="hide",
                    label_text_font_size="11px", glyph_width=18)
    fig.add_layout(legend, "right")
    parts: list[Any] = [fig]
    if note:
        parts.append(Div(text=html.escape(note).replace("\n", "<br>"), styles={"font-size": "11px", "color": "#555"}))
    page = file_html(column(*parts, sizing_mode="stretch_width"), resources=INLINE, title=title)
    return InteractiveMap(page, [n for n, _ in named], title)


# -- the public functions ------------------------------------------------------------------


def explore(
    city: City,
    table: pl.DataFrame | None = None,
    column: str | None = None,
    *,
    year: int,
    level: str | None = None,
    key: str = "area",
    scheme: str = "quantiles",
    k: int = 5,
    label: str | None = None,
    unit: str | None = None,
    overlays: Sequence[Overlay] | None = None,
    mode: str = "open",
    tiles: str | None = None,
    title: str | None = None,
    progress: bool | None = None,
) -> InteractiveMap:
    """A web map of the city in one HTML file: areas (a choropleth when given a column), water, overlays.

    Parameters
    ----------
    city
        The city.
    table, column
        A per-area table and the column to colour the areas by, as for
        :func:`~lagesbild.maps.choropleth` (same classes and colours);
        without them the areas are drawn plain.
    year
        The report year (the areas of its organisation).
    level
        ``"stadsdel"`` or ``"stadsdelsomrade"`` (default: the table's, else
        stadsdelsområden).
    key, scheme, k, label, unit
        As for :func:`~lagesbild.maps.choropleth`.
    overlays
        What to draw over the areas (default: every hazard of the city with
        its zones, and the facilities).
    mode
        ``"open"`` (default: protected facilities counted per stadsdel,
        never in the page, not even in its data) or ``"internal"``.
    tiles
        A tile URL template (``https://…/{Z}/{X}/{Y}.png``) to draw under
        the map; the default is none, so the page needs no network.
    title
        The page's title.
    progress
        A progress bar, one step per layer: ``None`` (default) when
        someone is watching and it takes a while, ``False`` never,
        ``True`` at once (:mod:`lagesbild.progress`).

    Returns
    -------
    InteractiveMap
        ``.save(path)`` writes the page; in Jupyter it shows inline.

    Examples
    --------
    >>> from lagesbild import maps
    >>> m = maps.explore(lb.demo(), year=2025)
    >>> "https://" in m.html.split("<body")[0]  # no script or style from the network
    False
    """
    from lagesbild.analysis.areas import area_layer, check_args
    from lagesbild.analysis.hazards import flood_hazards, route_hazards
    from lagesbild.maps import overlays as ov
    from lagesbild.maps.static import _water, choropleth_drawables

    if level is None:
        level = (
            table["level"][0] if table is not None and "level" in table.columns and table.height else "stadsdelsomrade"
        )
    year, level, mode = check_args("explore", year, level, mode)
    if (table is None) != (column is None):
        msg = "explore: give both table= and column= for a choropleth, or neither"
        raise InvalidArgumentError(msg)
    if overlays is None:
        chosen: list[Overlay] = [ov.flood(city, h.name) for h in flood_hazards(city)]
        chosen += [ov.routes(city, h.name, zones=True) for h in route_hazards(city)]
        if city.settings.facilities is not None:
            chosen.append(ov.facilities(city, year, count_by="stadsdelsomrade"))
    else:
        chosen = list(overlays)
    with steps(2 + len(chosen), "Ritar kartan", progress=progress) as bar:
        bar.set_postfix_str("områdena och vattnet")
        drawables: list[Drawable] = []
        heading = ""
        if table is not None and column is not None:
            drawables, heading = choropleth_drawables(
                city, table, column, year=year, level=level, key=key, scheme=scheme, k=k, label=label, unit=unit,
                tolerance=5.0,
            )
        else:
            areas = area_layer(city, year=year, level=level)
            geoms = _geom.for_display(_geom.shapes(areas), 5.0)
            drawables.append(
                Drawable(
                    "Stadsdelsområden" if level == "stadsdelsomrade" else "Stadsdelar", "polygon", geoms, "Områden",
                    fill=PALETTE.land, edge="#8a8a8a", width=0.6, zorder=1.0,
                    tooltips=pl.DataFrame({"Område": [area_display_name(a) for a in areas["area"].to_list()]}),
                )
            )
        if level == "stadsdelsomrade":
            # The areas' names, at the point of each furthest from its edges (not in the legend, always shown).
            areas = area_layer(city, year=year, level=level)
            spots = [_geom.label_point(g) for g in _geom.shapes(areas)]
            keep = [i for i, lp in enumerate(spots) if lp is not None]
            points = np.array([shapely.Point(spots[i][0], spots[i][1]) for i in keep], dtype=object)
            drawables.append(
                Drawable("Namn", "label", points, "Områden", edge=PALETTE.text, size=8.0, zorder=15.0, legend=False,
                         texts=[area_display_name(areas["area"][i]) for i in keep], name="namn")
            )
        bounds = _geom.union_bounds(_geom.shapes(area_layer(city, year=year, level="stadsdelsomrade")))
        water = _water(city, _geom.padded(bounds or (0, 0, 1, 1), 0.02), 5.0)
        for w in water:
            w.legend = True
            w.group = "Bakgrund"
        drawables += water
        bar.update()
        view = View(clip=None, tolerance=2.0, mode=mode, year=year)
        notes = []
        for o in chosen:
            bar.set_postfix_str(o.title)
            drawables += o.drawables(view)
            notes += o.notes(view)
            bar.update()
        from lagesbild.maps.static import sources_text

        version = "Öppen version" if mode == "open" else "INTERN VERSION – får inte spridas"
        note = "\n".join([f"{sources_text(city)} · Rapportår {year} · {version}", *notes])
        name = title or (heading or f"{city.name} {year}") + (" – INTERN" if mode == "internal" else "")
        bar.set_postfix_str("sidan")
        page = render(drawables, title=name, crs=city.crs, tiles=tiles, note=note)
        bar.update()
        return page


def explore_layer(
    layer: Layer, column: str | None = None, *, tooltips: Sequence[str] | None = None, tiles: str | None = None,
    title: str | None = None, max_features: int = 50_000,
) -> InteractiveMap:
    """A web map of one layer, coloured by ``column`` (numbers classed, text by value) with its columns as tooltips.

    :meth:`lagesbild.Layer.explore` calls this. A layer in longitude and
    latitude is drawn as it is; one with more than ``max_features``
    features is sampled (evenly, the same sample every time) and the page
    says so.

    Examples
    --------
    >>> from lagesbild.maps.interactive import explore_layer
    >>> m = explore_layer(lb.read("data/fixtures/stadsdelar_sample.shp"), "region")
    >>> m.layers
    ['Innerstaden', 'Söderort']
    """
    from lagesbild.maps.style import sequential

    n = len(layer)
    note = None
    if n > max_features:
        step = int(np.ceil(n / max_features))
        layer = layer.take(np.arange(0, n, step))
        note = f"Visar {format_number(len(layer))} av {format_number(n)} objekt (vart {step}:e)."
    geoms = _geom.shapes(layer)
    types = {g.geom_type for g in geoms if g is not None}
    kind = "point" if types <= {"Point"} else "line" if types <= {"LineString", "MultiLineString"} else "polygon"
    cols = list(tooltips) if tooltips is not None else [c for c in layer.columns][:8]
    tips = layer.attributes.select(cols).select([pl.col(c).cast(pl.String) for c in cols]) if cols else None
    drawables: list[Drawable] = []
    if column is None:
        colour = "#0072B2"
        drawables.append(Drawable(layer.name, kind, geoms, layer.name, fill=colour if kind != "line" else None,
                                  edge=colour if kind == "line" else "#ffffff", width=1.2 if kind == "line" else 0.5,
                                  marker="o", size=5, alpha=0.8, tooltips=tips))
    else:
        values = layer[column]
        if values.dtype.is_numeric():
            from lagesbild.maps.static import _classify

            v = values.cast(pl.Float64).to_numpy()
            ok = ~np.isnan(v)
            cls, edges = _classify(v[ok], "quantiles", 5) if ok.any() else (np.array([], dtype=int), [])
            colours = sequential(len(edges)) if edges else []
            lows = [float(np.nanmin(v))] + edges[:-1] if edges else []
            for i, c in enumerate(colours):
                idx = np.flatnonzero(ok)[cls == i]
                text = f"{format_number(lows[i], 1)} – {format_number(edges[i], 1)}"
                drawables.append(_one(kind, geoms[idx], c, text, column, None if tips is None else tips[idx]))
        else:
            from lagesbild.maps.style import SECTOR_SYMBOLS

            palette = [s[1] for s in SECTOR_SYMBOLS.values()]
            labels = values.cast(pl.String).fill_null("–").to_list()
            for i, value in enumerate(dict.fromkeys(labels)):
                idx = np.array([j for j, lab in enumerate(labels) if lab == value])
                drawables.append(_one(kind, geoms[idx], palette[i % len(palette)], value, column,
                                      None if tips is None else tips[idx]))
    return render(drawables, title=title or layer.name, crs=layer.crs, tiles=tiles, note=note)


def _one(kind: str, geoms: np.ndarray, colour: str, label: str, group: str, tips: pl.DataFrame | None) -> Drawable:
    return Drawable(label, kind, geoms, group, fill=colour if kind != "line" else None,
                    edge=colour if kind == "line" else "#ffffff", width=1.4 if kind == "line" else 0.5,
                    marker="o", size=5, tooltips=tips, name=f"{group}:{label}")
