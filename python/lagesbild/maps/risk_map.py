"""The area risk map: one stadsdelsområde, its hazards and its facilities at risk, ready to print.

:func:`risk_map` draws the stadsdelsområde a stadsdelsnämnd answers for
(its geografiska områdesansvar) with its neighbours greyed for context,
Mälaren's flood zones, the dangerous-goods routes with the zones of their
risk-handling distance, and every critical facility in a flood zone or a
route zone, numbered against a table beside the map that says what each is
exposed to.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from lagesbild.exceptions import InvalidArgumentError
from lagesbild.maps import _geom, overlays
from lagesbild.maps.overlays import Drawable, View, at_risk, facility_table, risk_words
from lagesbild.maps.static import (
    Map,
    _water,
    area_labels,
    draw,
    drawing,
    footer,
    header,
    legend,
    legend_sections,
    map_axes,
    north_arrow,
    overlay_drawables,
    page,
    place_point_labels,
    scale_bar,
    tolerance,
)
from lagesbild.maps.style import PALETTE, area_display_name
from lagesbild.progress import steps

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["risk_map", "risk_table"]


def risk_table(city: City, area: str, *, year: int, mode: str = "open") -> tuple[pl.DataFrame, pl.DataFrame]:
    """The facilities at risk in one stadsdelsområde, numbered as the risk map numbers them.

    Returns
    -------
    (polars.DataFrame, polars.DataFrame)
        The numbered list — ``nr``, ``namn``, ``kategori``, ``stadsdel``,
        ``risk`` (in words), ``x``, ``y`` — numbered from north to south;
        in open mode without the protected facilities. And the protected
        facilities at risk counted per stadsdel (``stadsdel``, ``antal``;
        empty in internal mode, where they are in the list).

    Examples
    --------
    >>> from lagesbild.maps.risk_map import risk_table
    >>> listed, counted = risk_table(lb.demo(), "Hägersten-Älvsjö", year=2025)
    >>> listed.columns[:4], listed["nr"].to_list()[:3]
    (['nr', 'namn', 'kategori', 'stadsdel'], [1, 2, 3])
    """
    from lagesbild.analysis.hazards import flood_hazards, route_hazards

    name = _area_name(city, area, year)
    t = facility_table(city, year)
    t = t.filter((pl.col("stadsdelsomrade") == name) & at_risk(t))
    protected = t["protected"].fill_null(False)
    listed = t.filter(~protected) if mode == "open" else t
    hidden = t.filter(protected) if mode == "open" else t.clear()
    floods = [h.name for h in flood_hazards(city)]
    routes = [h.name for h in route_hazards(city)]
    # Numbered from north to south, west to east within a band of 250 m, so numbers near each other lie near.
    listed = listed.with_columns((-(pl.col("y") / 250).floor()).alias("__band")).sort(["__band", "x", "name"])
    out = pl.DataFrame(
        {
            "nr": list(range(1, listed.height + 1)),
            "namn": listed["name"],
            "kategori": listed["category"],
            "stadsdel": [area_display_name(s) if s else "–" for s in listed["stadsdel"].to_list()],
            "risk": [risk_words(r, floods, routes) for r in listed.iter_rows(named=True)],
            "x": listed["x"],
            "y": listed["y"],
        },
        schema={
            "nr": pl.Int64,
            "namn": pl.String,
            "kategori": pl.String,
            "stadsdel": pl.String,
            "risk": pl.String,
            "x": pl.Float64,
            "y": pl.Float64,
        },
    )
    counted = (
        hidden.group_by("stadsdel")
        .agg(pl.len().cast(pl.Int64).alias("antal"))
        .sort("stadsdel")
        .with_columns(pl.col("stadsdel").map_elements(area_display_name, return_dtype=pl.String))
    )
    return out, counted


def _area_name(city: City, area: str, year: int) -> str:
    units = city.organisation(year)
    names = units["sdo_namn"].unique(maintain_order=True).to_list()
    codes = dict(zip(units["sdo_kod"].to_list(), units["sdo_namn"].to_list(), strict=True))
    if area in names:
        return area
    if area in codes:
        return codes[area]
    msg = f"risk_map: no stadsdelsområde {area!r} in {year} (areas: {', '.join(sorted(names))})"
    raise InvalidArgumentError(msg)


def risk_map(
    city: City,
    area: str,
    *,
    year: int,
    mode: str = "open",
    size: str = "A4",
    orientation: str = "portrait",
    hazards: Sequence[str] | None = None,
    title: str | None = None,
    progress: bool | None = None,
    dpi: float = 300,
    extra: Sequence[overlays.Overlay] = (),
    table: bool = True,
) -> Map:
    """A risk map of one stadsdelsområde, ready to print on A4 or A3.

    The area (a stadsdelsområde in the organisation in force on 31
    December of ``year``, by name or code) with its stadsdelar named and its
    neighbours greyed and named for context; the water; each flood hazard's
    zones (lowest level darkest); each route hazard's routes by class with
    the zones of the risk-handling distance; and every critical facility of
    the area in a flood zone or a route zone, by sector, numbered against
    the table beside the map (what it is, where, and what it is exposed
    to). A legend, scale bar, north arrow and a footer with the data's
    source and the year complete the page.

    **Open or internal.** In ``mode="open"`` (the default: anything
    published) facilities marked protected (electricity, telecom, water)
    are neither drawn, numbered nor named: the map counts them per
    stadsdel and the table says how many. ``mode="internal"`` draws and
    lists them, and the map says "INTERN".

    Parameters
    ----------
    city
        The city (with ``[hazards.NAME]`` and ``[facilities]``).
    area
        The stadsdelsområde's name or code (``"Hägersten-Älvsjö"``, ``"SDO04"``).
    year
        The report year.
    mode
        ``"open"`` or ``"internal"``.
    size, orientation
        ``"A4"`` or ``"A3"``; ``"portrait"`` (table below the map) or
        ``"landscape"`` (table beside it).
    hazards
        The hazards to draw, by name (default: all of the city file).
    title
        The page's title (default: the area's name and the hazards).
    progress
        A progress bar, one step per layer drawn: ``None`` (default) when
        someone is watching and it takes a while, ``False`` never,
        ``True`` at once (:mod:`lagesbild.progress`).
    dpi
        The resolution the map is meant for (300, print, by default; the
        report's pages inline it at 100). The outlines of areas, water,
        zones and routes are clipped to the map's extent and simplified,
        topology kept, to half a pixel at this resolution: the map's
        width in metres ÷ (its width on paper in inches × ``dpi``) ÷ 2,
        about 2 m for an A4 portrait map of a stadsdelsområde 10 km
        across at 300 dpi, 6 m at 100 dpi. Only the drawing is
        simplified; every number (the table, the analyses) comes from the
        full geometry.
    extra
        More overlays drawn over the hazards, under the facilities, such as
        :func:`overlays.cells` of a :func:`~lagesbild.analysis.hotspots`
        layer; each gets its legend group.
    table
        Print the numbered table beside the map (the default). ``False``
        leaves it to the caller, who has it as :attr:`Map.table` (and the
        protected facilities' count as :attr:`Map.protected`): the report
        gives it as a table of its page, where a screen reader and a
        search find it. The legend then takes the room below the map.

    Returns
    -------
    Map
        With :attr:`Map.table` the numbered list as polars (``nr``,
        ``namn``, ``kategori``, ``stadsdel``, ``risk``) and
        :attr:`Map.protected` the protected facilities at risk counted per
        stadsdel (``stadsdel``, ``antal``; empty in internal mode). Save it
        with :meth:`Map.save` as PNG (300 dpi), SVG or PDF.

    Examples
    --------
    >>> from lagesbild import maps
    >>> m = maps.risk_map(lb.demo(), "Hägersten-Älvsjö", year=2025)
    >>> m
    <Map 'Hägersten-Älvsjö: översvämning och farligt gods', 210 × 297 mm, open>
    >>> m.table.columns
    ['nr', 'namn', 'kategori', 'stadsdel', 'risk']
    """
    from lagesbild.analysis.areas import area_layer, check_args, stadsdel_layer
    from lagesbild.analysis.hazards import flood_hazards, route_hazards

    year, _, mode = check_args("risk_map", year, "stadsdelsomrade", mode)
    name = _area_name(city, area, year)
    floods = [h for h in flood_hazards(city) if hazards is None or h.name in hazards]
    routes = [h for h in route_hazards(city) if hazards is None or h.name in hazards]
    if hazards is not None:
        unknown = set(hazards) - {h.name for h in (*floods, *routes)}
        if unknown:
            known = ", ".join(city.settings.hazards) or "none"
            msg = f"risk_map: no hazard {', '.join(sorted(unknown))} (hazards: {known})"
            raise InvalidArgumentError(msg)
    n_overlays = len(floods) + len(routes) + len(extra) + (city.settings.facilities is not None)
    with steps(3 + n_overlays, "Ritar riskkartan", progress=progress) as bar:
        bar.set_postfix_str("anläggningar i riskområde")
        listed, counted = risk_table(city, name, year=year, mode=mode)
        bar.update()
        bar.set_postfix_str("områdena och vattnet")
        sdo = area_layer(city, year=year, level="stadsdelsomrade")
        sdo_geoms = _geom.shapes(sdo)
        sdo_names = sdo["area"].to_list()
        target = sdo_geoms[sdo_names.index(name)]
        sd = stadsdel_layer(city)
        units = city.organisation(year)
        members = set(units.filter(pl.col("sdo_namn") == name)["stadsdel"].cast(pl.String).to_list())
        sd_names = sd["area"].to_list()
        inside = np.array([n in members for n in sd_names])
        words = [_hazard_word(h) for h in (*floods, *routes)]
        heading = title or f"{name}: {' och '.join(dict.fromkeys(words))}" if words else (title or name)

        with drawing():
            portrait = orientation == "portrait"
            if table:
                pg = page(size, orientation, side=0.34 if portrait else 0.42)
            else:
                pg = page(size, orientation, side=0.17 if portrait else 0.24)
            header(
                pg,
                heading,
                f"Riskkarta för stadsdelsområdet {year} · "
                "samhällsviktig verksamhet i riskområde, numrerad mot tabellen",
                mode,
            )
            bounds = _geom.padded(_geom.union_bounds([target]) or (0, 0, 1, 1), 0.05)
            ax = map_axes(pg, bounds)
            x0, x1 = ax.get_xlim()
            y0, y1 = ax.get_ylim()
            view_box = (x0, y0, x1, y1)
            tol = tolerance(ax, dpi)
            sd_shown = _geom.for_display(_geom.shapes(sd), tol, view_box)
            sdo_shown = _geom.for_display(sdo_geoms, tol, view_box)
            is_target = np.array([n == name for n in sdo_names])
            drawables: list[Drawable] = [
                Drawable("grannar", "polygon", sdo_shown[~is_target], "Bakgrund", fill=PALETTE.context,
                         edge="#ffffff", width=0.8, zorder=1.0, legend=False),
                Drawable("stadsdelar", "polygon", sd_shown[inside], "Bakgrund", fill=PALETTE.land, edge="#c9c6bd",
                         width=0.5, zorder=1.0, legend=False),
            ]
            drawables += _water(city, view_box, tol)
            bar.update()
            view = View(clip=view_box, tolerance=tol, mode=mode, year=year)
            chosen = [overlays.flood(city, h.name) for h in floods] + [
                overlays.routes(city, h.name, zones=True) for h in routes
            ]
            chosen += list(extra)
            numbers = {(n, x, y): nr for nr, n, x, y in listed.select("nr", "namn", "x", "y").iter_rows()}
            if city.settings.facilities is not None:
                chosen.append(overlays.facilities(city, year, only_at_risk=True, within=[name], numbers=numbers))
            made = [(o, view) for o in chosen]
            drawables += overlay_drawables(made, bar)
            bar.set_postfix_str("namn, tabell och teckenförklaring")
            for d in drawables:
                draw(ax, d, pg.scale)
            # The area's outline over everything, and the neighbours' outlines.
            outline = _geom.for_display(np.array([target], dtype=object), tol)
            draw(ax, Drawable("gräns", "polygon", outline, "Bakgrund", fill=None, edge=PALETTE.edge_dark, width=1.6,
                              zorder=7.5, legend=False), pg.scale)
            area_labels(ax, [n for n, i in zip(sd_names, inside, strict=True) if i], sd_shown[inside], scale=pg.scale,
                        fontsize=6.0, only_if_room=True, colour="#555555", zorder=7.8)
            area_labels(ax, [n for n, t in zip(sdo_names, is_target, strict=True) if not t], sdo_shown[~is_target],
                        scale=pg.scale, fontsize=7.5, only_if_room=True, colour="#8a8a8a", weight="bold")
            place_point_labels(ax, pg.scale)
            scale_bar(ax, pg.scale)
            north_arrow(ax, pg.scale)
            sections = legend_sections([d for d in drawables if d.group != "Bakgrund"], made)
            sx, sy, sw, sh = pg.side_box
            if not table:
                legend(pg.figure, pg.side_box, sections, columns=3 if portrait else 1, scale=pg.scale * 0.9)
            elif portrait:
                legend(pg.figure, (sx, sy, sw * 0.36, sh), sections, columns=1, scale=pg.scale * 0.9)
                _table(pg.figure, (sx + sw * 0.39, sy, sw * 0.61, sh), listed, counted, mode, pg.scale)
            else:
                legend(pg.figure, (sx, sy + sh * 0.53, sw, sh * 0.47), sections, columns=2, scale=pg.scale * 0.9)
                _table(pg.figure, (sx, sy, sw, sh * 0.51), listed, counted, mode, pg.scale)
            footer(pg, city, year, mode)
            bar.update()
    return Map(pg.figure, ax, mode=mode, title=heading, table=listed.drop("x", "y"), protected=counted)


def _hazard_word(h: object) -> str:
    return "översvämning" if getattr(h, "kind", "") == "flood" else "farligt gods"


def _table(fig, box, listed: pl.DataFrame, counted: pl.DataFrame, mode: str, scale: float) -> None:
    """The numbered table of facilities at risk, in one or two columns, with the protected count."""
    import textwrap

    ax = fig.add_axes(box)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    h_pt = ax.bbox.height * 72 / fig.dpi
    w_pt = ax.bbox.width * 72 / fig.dpi
    notes = []
    if counted.height:
        parts = ", ".join(f"{s} {n}" for s, n in counted.iter_rows())
        notes.append(f"Skyddsvärda anläggningar i riskområde (visas inte): {parts}.")
    if mode == "internal":
        notes.append("Intern version: skyddsvärda anläggningar ingår i listan.")
    if listed.height == 0:
        notes.insert(0, "Ingen samhällsviktig verksamhet ligger i en översvämningszon eller en zon längs farligt gods.")
    n = listed.height
    # The text is made smaller (to 5 pt on A4 at the least) before rows are left out.
    fs = 6.3 * scale
    while True:
        row = fs * 1.38 / h_pt
        y_top = 1 - row * 1.7
        note_rows = sum(len(textwrap.wrap(t, int(w_pt / (fs * 0.5)))) for t in notes)
        capacity = int((y_top - note_rows * row - row) / row)
        if n <= 2 * capacity or fs <= 5.0 * scale:
            break
        fs = max(5.0 * scale, fs * 0.96)
    ax.text(0, 1 - row / 2, "Samhällsviktig verksamhet i riskområde", fontsize=fs * 1.15, fontweight="bold",
            va="center")
    columns = 1 if n <= capacity else 2
    per_col = max(1, capacity)
    shown_n = min(n, per_col * columns)
    col_w = 1.0 / columns
    chars_name = int(col_w * w_pt * 0.58 / (fs * 0.55))
    chars_risk = int(col_w * w_pt * 0.32 / (fs * 0.52))
    rows = listed.head(shown_n).iter_rows(named=True)
    for i, r in enumerate(rows):
        c, k = divmod(i, per_col)
        x = c * col_w
        y = y_top - k * row
        ax.text(x + 0.035 * col_w, y, str(r["nr"]), fontsize=fs, fontweight="bold", ha="right", va="center")
        ax.text(x + 0.05 * col_w, y, _cut(r["namn"], chars_name), fontsize=fs, va="center")
        ax.text(x + 0.66 * col_w, y, _cut(r["risk"], chars_risk), fontsize=fs * 0.95, color=PALETTE.muted,
                va="center")
    y = y_top - min(shown_n, per_col) * row - row * 0.4
    if shown_n < n:
        ax.text(0, y, f"… och {n - shown_n} till: hela listan i Map.table och i den interaktiva kartan.",
                fontsize=fs, style="italic", va="center")
        y -= row
    for note in notes:
        for line in textwrap.wrap(note, int(w_pt / (fs * 0.5))):
            ax.text(0, y, line, fontsize=fs, va="center", color=PALETTE.internal if mode == "internal" else None)
            y -= row


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: max(1, n - 1)].rstrip() + "…"
