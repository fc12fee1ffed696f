"""What can be drawn over a map: flood zones, dangerous-goods routes and their zones, facilities, cells.

Each function here returns an :class:`Overlay`: a description of one
hazard or layer of a city that a static map (:func:`~lagesbild.maps.choropleth`,
:func:`~lagesbild.maps.risk_map`) and an interactive map
(:func:`~lagesbild.maps.explore`) draw the same way, with the colours and
symbols of :mod:`lagesbild.maps.style`. An overlay becomes
:class:`Drawable` pieces only when a map draws it, for the map's extent,
detail and mode (``"open"`` or ``"internal"``).

The words of the legend come from the city file: a flood level is named by
the hazard's ``label_column`` (the part before the first colon; the
tooltip has the whole), a route by its class, the zones of the
risk-handling distance by their names and edges in ``zones_m``.

- :func:`flood`: the zones of a flood hazard, lowest level (floods first)
  darkest;
- :func:`routes`: the routes of a route hazard by class (tunnel stretches
  left out) and, with ``zones=True``, the zones of the risk-handling
  distance around them;
- :func:`facilities`: critical facilities by sector, each sector its own
  symbol; in open mode the protected ones (``[facilities] protected``) are
  never drawn but counted per area;
- :func:`cells`: grid cells with a class column, such as the hotspots of
  the incidents (``class`` ``"hot"``/``"cold"``).

Examples
--------
>>> from lagesbild.maps import overlays
>>> city = lb.demo()
>>> overlays.routes(city).title, overlays.flood(city).title.startswith("Översvämning")
('Farligt gods', True)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import polars as pl
import shapely

from lagesbild.exceptions import InvalidArgumentError
from lagesbild.layer import Layer
from lagesbild.maps import _geom
from lagesbild.maps.style import (
    PALETTE,
    area_display_name,
    flood_colours,
    format_number,
    label_first_clause,
    route_style,
    sector_symbol,
    zone_colours,
)

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["Drawable", "Overlay", "View", "cells", "facilities", "flood", "routes"]

Kind = Literal["polygon", "line", "point", "count", "label"]


@dataclass(frozen=True)
class View:
    """What a map asks of an overlay: its extent, detail, mode and year.

    ``tolerance`` is the simplification in metres (about half a pixel);
    ``clip`` the extent drawn (``None``: everything).
    """

    clip: tuple[float, float, float, float] | None = None
    tolerance: float = 0.0
    mode: str = "open"
    year: int | None = None


@dataclass
class Drawable:
    """One thing a map draws and names in its legend, with its style and tooltips.

    ``geoms`` are shapely geometries in the city's working CRS. Colours may
    be one colour or one per geometry. ``tooltips`` has one row per
    geometry, its columns named as the reader should see them.
    """

    label: str
    kind: Kind
    geoms: np.ndarray
    group: str
    fill: str | Sequence[str] | None = None
    edge: str | None = None
    width: float = 0.5
    alpha: float = 1.0
    dash: tuple[float, float] | None = None
    marker: str | None = None
    size: float = 6.0
    hatch: str | None = None
    zorder: float = 2.0
    tooltips: pl.DataFrame | None = None
    legend: bool = True
    texts: Sequence[str] | None = None  # for kinds "count" and "label": the text at each point
    name: str = ""  # a stable name for the interactive map's layer switch

    def __post_init__(self) -> None:
        if not self.name:
            self.name = self.label


@dataclass
class Overlay:
    """Something drawn over a map, made into :class:`Drawable` pieces for a :class:`View`.

    ``notes`` are sentences the legend prints under the overlay's group
    (where a figure comes from, what is left out and why).
    """

    title: str
    make: Callable[[View], list[Drawable]]
    notes: Callable[[View], list[str]] = field(default=lambda view: [])
    sources: tuple[str, ...] = ()  # the city's layers it draws, for the map's footer

    def drawables(self, view: View) -> list[Drawable]:
        """The pieces to draw for ``view``."""
        return self.make(view)


# -- flood -----------------------------------------------------------------------------


def _hazard(city: City, name: str | None, kind: str) -> Any:
    from lagesbild.analysis.hazards import flood_hazards, hazard, route_hazards

    if name is not None:
        h = hazard(city, name)
        if h.kind != kind:
            msg = f"{city.name}: hazard {name!r} is of kind {h.kind!r}, not {kind!r}"
            raise InvalidArgumentError(msg)
        return h
    found = flood_hazards(city) if kind == "flood" else route_hazards(city)
    if not found:
        msg = f"{city.name}: no [hazards.NAME] of kind {kind!r} in the city file"
        raise InvalidArgumentError(msg)
    return found[0]


def level_text(level: float) -> str:
    """A level as a map writes it: ``1.5`` → ``"+1,5 m"``.

    Examples
    --------
    >>> from lagesbild.maps.overlays import level_text
    >>> level_text(1.36), level_text(2.7), level_text(-0.5)
    ('+1,36 m', '+2,7 m', '−0,5 m')
    """
    text = f"{abs(level):g}".replace(".", ",")
    return ("+" if level >= 0 else "\u2212") + text + " m"


def flood_labels(city: City, hazard: str | None = None) -> dict[float, str]:
    """Each level of a flood hazard with its label from the city file.

    The hazard's ``label_column`` when it has one (its first value for the
    level), else ``"Land under +1,5 m"``.

    Examples
    --------
    >>> from lagesbild.maps.overlays import flood_labels
    >>> labels = flood_labels(lb.demo())
    >>> labels[1.5].startswith("Land")
    True
    """
    h = _hazard(city, hazard, "flood")
    from lagesbild.analysis.hazards import flood_zones

    zones = flood_zones(city, h)
    out = {float(v): f"Land under {level_text(float(v))}" for v in zones["level"].to_list()}
    if h.label_column is not None:
        layer = city.layer(h.layer)
        if h.label_column in layer.columns:
            pairs = layer.attributes.select(
                pl.col(h.level_column).cast(pl.Float64).alias("level"), pl.col(h.label_column).cast(pl.String)
            ).drop_nulls()
            for level, label in pairs.unique("level", keep="first", maintain_order=True).iter_rows():
                if level in out and label.strip():
                    out[level] = label.strip()
    return out


def flood(city: City, hazard: str | None = None, *, title: str | None = None) -> Overlay:
    """The zones of a flood hazard, one colour per level, the lowest level darkest.

    Parameters
    ----------
    city
        The city (with a ``[hazards.NAME]`` of ``kind = "flood"``).
    hazard
        Which flood hazard (default: the first of the city file).
    title
        The legend group's heading (default ``"Översvämning av Mälaren"``
        for a hazard whose layer or name says Mälaren, else
        ``"Översvämning"``).
    """
    h = _hazard(city, hazard, "flood")
    heading = title or ("Översvämning av Mälaren" if "malar" in f"{h.name} {h.layer}".lower() else "Översvämning")

    def make(view: View) -> list[Drawable]:
        from lagesbild.analysis.hazards import flood_zones

        zones = flood_zones(city, h)
        labels = flood_labels(city, h.name)
        levels = [float(v) for v in zones["level"].to_list()]
        colours = flood_colours(len(levels))
        geoms = _geom.for_display(_geom.shapes(zones), view.tolerance, view.clip)
        out = []
        # Highest level (largest zone) first, so the lower levels lie on top of it.
        for i in reversed(range(len(levels))):
            if geoms[i] is None or geoms[i].is_empty:
                continue
            full = labels[levels[i]]
            out.append(
                Drawable(
                    label=label_first_clause(full),
                    kind="polygon",
                    geoms=np.array([geoms[i]], dtype=object),
                    group=heading,
                    fill=colours[i],
                    edge=colours[0],
                    width=0.25,
                    alpha=1.0,
                    zorder=3.0 + 0.01 * (len(levels) - i),
                    tooltips=pl.DataFrame({"Nivå": [level_text(levels[i])], "Beskrivning": [full]}),
                    name=f"{h.name}:{levels[i]:g}",
                )
            )
        # The legend reads lowest level first.
        return out[::-1]

    return Overlay(title=heading, make=make, sources=(h.layer,))


# -- routes ----------------------------------------------------------------------------

_CLASS_WORDS = {
    "primär": "Primär transportled",
    "sekundär": "Sekundär transportled",
    "järnväg": "Järnväg",
}


def route_class_label(klass: str) -> str:
    """A route class as a legend names it: ``"primär"`` → ``"Primär transportled"``.

    Examples
    --------
    >>> from lagesbild.maps.overlays import route_class_label
    >>> route_class_label("järnväg"), route_class_label("lokal väg")
    ('Järnväg', 'Lokal väg')
    """
    return _CLASS_WORDS.get(klass, klass[:1].upper() + klass[1:])


def zone_label(name: str, inner: float, outer: float) -> str:
    """A zone of the risk-handling distance: ``"Zon A, 0–30 m"``.

    Examples
    --------
    >>> from lagesbild.maps.overlays import zone_label
    >>> zone_label("B", 30.0, 70.0)
    'Zon B, 30–70 m'
    """
    return f"Zon {name}, {format_number(inner)}–{format_number(outer)} m"


def routes(city: City, hazard: str | None = None, *, zones: bool = False, title: str | None = None) -> Overlay:
    """The routes of a route hazard by class and, with ``zones``, its risk-handling zones.

    Tunnel stretches (the hazard's ``tunnel_column``) are left out, as the
    analyses leave them out. The zones are the land within each zone's outer
    edge of a route and beyond the previous edge (A nearest), drawn
    translucent so the flood zones show through.

    Parameters
    ----------
    city
        The city (with a ``[hazards.NAME]`` of ``kind = "route"``).
    hazard
        Which route hazard (default: the first).
    zones
        Draw the zones of the risk-handling distance (a risk map does; a
        choropleth by default does not, so its colours stay readable).
    title
        The legend group's heading (default ``"Farligt gods"``).
    """
    h = _hazard(city, hazard, "route")
    heading = title or "Farligt gods"

    def make(view: View) -> list[Drawable]:
        from lagesbild.analysis.hazards import routes as route_lines

        lines = route_lines(city, h)
        grow = h.distance_m if zones else 0.0
        clip = None if view.clip is None else _geom.padded(view.clip, 0.0)
        if clip is not None:
            clip = (clip[0] - grow, clip[1] - grow, clip[2] + grow, clip[3] + grow)
        geoms = _geom.for_display(_geom.shapes(lines), view.tolerance, clip)
        classes = lines["class"].to_list()
        names = lines["name"].to_list()
        order = list(dict.fromkeys(c for c in classes if c is not None))
        out: list[Drawable] = []
        if zones and len(geoms):
            present = [g for g in geoms if g is not None and not g.is_empty]
            if present:
                all_lines = shapely.union_all(np.array(present, dtype=object))
                previous = None
                reach_parts = []
                for name, inner, outer in h.zones():
                    reach = shapely.buffer(all_lines, outer, quad_segs=8)
                    band = reach if previous is None else shapely.difference(reach, previous)
                    previous = reach
                    reach_parts.append((name, inner, outer, band))
                colours = zone_colours(len(reach_parts))
                for i, (name, inner, outer, band) in enumerate(reach_parts):
                    band = _geom.for_display(np.array([band], dtype=object), view.tolerance, view.clip)[0]
                    if band is None or band.is_empty:
                        continue
                    out.append(
                        Drawable(
                            label=zone_label(name, inner, outer),
                            kind="polygon",
                            geoms=np.array([band], dtype=object),
                            group=f"Riskhanteringsavstånd {format_number(h.distance_m)} m",
                            fill=colours[i],
                            edge=None,
                            width=0.0,
                            alpha=0.45,
                            zorder=4.0 - 0.01 * i,
                            tooltips=pl.DataFrame(
                                {
                                    "Zon": [name],
                                    "Avstånd från leden": [f"{format_number(inner)}–{format_number(outer)} m"],
                                }
                            ),
                            name=f"{h.name}:zon {name}",
                        )
                    )
        for klass in order:
            idx = [i for i, c in enumerate(classes) if c == klass and geoms[i] is not None and not geoms[i].is_empty]
            if not idx:
                continue
            colour, width, dash = route_style(klass, order)
            out.append(
                Drawable(
                    label=route_class_label(klass),
                    kind="line",
                    geoms=np.array([geoms[i] for i in idx], dtype=object),
                    group=heading,
                    edge=colour,
                    width=width,
                    dash=dash,
                    zorder=6.0,
                    tooltips=pl.DataFrame(
                        {"Led": [names[i] or "–" for i in idx], "Klass": [klass] * len(idx)},
                        schema={"Led": pl.String, "Klass": pl.String},
                    ),
                    name=f"{h.name}:{klass}",
                )
            )
        return out

    def notes(view: View) -> list[str]:
        text = []
        if zones:
            text.append(
                f"{format_number(h.distance_m)} m och zonernas markanvändning enligt länsstyrelsernas riskpolicy "
                "(A: parkering, B: industri, kontor, C: bostäder, skolor, vård). Zongränserna är stadens antagande."
            )
        if h.tunnel_column is not None:
            text.append("Sträckor i tunnel är inte med.")
        return text

    return Overlay(title=heading, make=make, notes=notes, sources=(h.layer,))


# -- facilities --------------------------------------------------------------------------

#: Sectors whose points may not be published, as MSB's sectors name them (used
#: in the legend's sentence; which facilities are protected is the data's ``skydd``).
PROTECTED_WORDS = "el, tele, vatten och avlopp"


def facility_table(city: City, year: int) -> pl.DataFrame:
    """Every facility with its areas and exposure (internal: protected ones included).

    :func:`lagesbild.analysis.facilities_at_risk` in internal mode, kept on
    the city for the maps of the same year. Only maps use it, and they
    drop the protected rows in open mode before anything is drawn.
    """
    key = ("maps:facilities", year)
    if key not in city._derived:
        from lagesbild.analysis import facilities_at_risk

        city._derived[key] = facilities_at_risk(city, year=year, mode="internal")
    return city._derived[key]


def at_risk(table: pl.DataFrame) -> pl.Series:
    """Whether each facility of :func:`facility_table` lies in a flood zone or a route zone."""
    cols = [c for c in table.columns if c.endswith(("_level_m", "_zone")) and not c.endswith("_guidance_zone")]
    if not cols:
        return pl.Series("at_risk", [False] * table.height)
    return table.select(pl.any_horizontal([pl.col(c).is_not_null() for c in cols]).alias("at_risk")).to_series()


def risk_words(row: Mapping[str, Any], flood_names: Sequence[str], route_names: Sequence[str]) -> str:
    """What a facility is exposed to, in words: ``"under +1,5 m; zon A, 25 m"`` (metres from the nearest route)."""
    parts = []
    for h in flood_names:
        level = row.get(f"{h}_level_m")
        if level is not None:
            parts.append(f"under {level_text(level)}")
    for h in route_names:
        zone = row.get(f"{h}_zone")
        if zone is not None:
            dist = row.get(f"{h}_distance_m")
            parts.append(f"zon {zone}, {format_number(dist)} m")
    return "; ".join(parts)


def facilities(
    city: City,
    year: int,
    *,
    only_at_risk: bool = False,
    categories: Sequence[str] | None = None,
    within: Sequence[str] | None = None,
    count_by: str = "stadsdel",
    numbers: Mapping[tuple[str, float, float], int] | None = None,
) -> Overlay:
    """Critical facilities by sector, each sector its own symbol and colour.

    In open mode a facility marked protected (electricity, telecom, water:
    ``[facilities] protected``) is never drawn, named or put in a tooltip:
    the overlay counts them per area instead (a grey figure at the area's
    label point, said so in the legend). Internal mode draws them.

    Parameters
    ----------
    city
        The city (with ``[facilities]``).
    year
        The report year (areas of its organisation).
    only_at_risk
        Only facilities in a flood zone or a zone of a route's risk-handling distance.
    categories
        Only these categories (``kategori``).
    within
        Only facilities in these stadsdelar or stadsdelsområden (names).
    count_by
        The areas protected facilities are counted in: ``"stadsdel"`` or
        ``"stadsdelsomrade"``.
    numbers
        ``(name, x, y)`` of a facility → the number a risk map's table
        gives it (drawn beside the symbol). The position is part of the
        key because names repeat (two preschools of one name).
    """
    if city.settings.facilities is None:
        msg = f"{city.name}: the city has no [facilities] section"
        raise InvalidArgumentError(msg)
    if count_by not in ("stadsdel", "stadsdelsomrade"):
        msg = f"facilities: count_by must be 'stadsdel' or 'stadsdelsomrade', not {count_by!r}"
        raise InvalidArgumentError(msg)
    heading = "Samhällsviktig verksamhet" + (" i riskområde" if only_at_risk else "")

    def chosen(view: View) -> pl.DataFrame:
        t = facility_table(city, year)
        if only_at_risk:
            t = t.filter(at_risk(t))
        if categories is not None:
            t = t.filter(pl.col("category").is_in(list(categories)))
        if within is not None:
            t = t.filter(pl.col("stadsdel").is_in(list(within)) | pl.col("stadsdelsomrade").is_in(list(within)))
        if view.clip is not None:
            x0, y0, x1, y1 = view.clip
            t = t.filter(pl.col("x").is_between(x0, x1) & pl.col("y").is_between(y0, y1))
        return t

    def make(view: View) -> list[Drawable]:
        from lagesbild.analysis.hazards import flood_hazards, route_hazards

        t = chosen(view)
        protected = t["protected"].fill_null(False)
        shown = t.filter(~protected) if view.mode == "open" else t
        hidden = t.filter(protected) if view.mode == "open" else t.clear()
        floods = [h.name for h in flood_hazards(city)]
        routes_ = [h.name for h in route_hazards(city)]
        order = sorted(shown["sector"].drop_nulls().unique().to_list(), key=_sector_order)
        out: list[Drawable] = []
        for sector in order + ([None] if shown["sector"].null_count() else []):
            rows = shown.filter(pl.col("sector").is_null() if sector is None else pl.col("sector") == sector)
            if rows.height == 0:
                continue
            marker, colour, short = sector_symbol(sector, order)
            geoms = shapely.points(rows["x"].to_numpy(), rows["y"].to_numpy())
            tips = rows.select(
                pl.col("name").alias("Namn"),
                pl.col("category").alias("Kategori"),
                pl.col("owner").fill_null("–").alias("Huvudman"),
                pl.col("stadsdel").map_elements(area_display_name, return_dtype=pl.String).alias("Stadsdel"),
            ).with_columns(
                pl.Series("Risk", [risk_words(r, floods, routes_) or "–" for r in rows.iter_rows(named=True)]),
                pl.Series(
                    "Kapacitet",
                    [
                        f"{format_number(c)} {u}" if c is not None and u else "–"
                        for c, u in zip(rows["capacity"].to_list(), rows["capacity_unit"].to_list(), strict=True)
                    ],
                ),
            )
            texts = None
            if numbers is not None:
                texts = [str(numbers.get(k, "")) for k in rows.select("name", "x", "y").iter_rows()]
            out.append(
                Drawable(
                    label=short,
                    kind="point",
                    geoms=geoms,
                    group=heading,
                    fill=colour,
                    edge="#ffffff",
                    width=0.6,
                    marker=marker,
                    size=6.5 if only_at_risk else 4.0,
                    zorder=8.0,
                    tooltips=tips,
                    texts=texts,
                    name=f"anläggningar:{short}",
                )
            )
        if hidden.height:
            col = "stadsdel" if count_by == "stadsdel" else "stadsdelsomrade"
            counts = hidden.group_by(col).agg(pl.len().alias("n")).sort(col)
            pts, texts, names = _count_points(city, year, count_by, counts[col].to_list())
            n_by = dict(zip(counts[col].to_list(), counts["n"].to_list(), strict=True))
            keep = [i for i, p in enumerate(pts) if p is not None]
            if keep:
                out.append(
                    Drawable(
                        label="Skyddsvärda anläggningar, antal per " + ("stadsdel" if col == "stadsdel" else "område"),
                        kind="count",
                        geoms=np.array([pts[i] for i in keep], dtype=object),
                        group=heading,
                        fill="#ffffff",
                        edge=PALETTE.muted,
                        width=0.6,
                        marker="s",
                        size=9.0,
                        zorder=9.0,
                        texts=[str(n_by[names[i]]) for i in keep],
                        tooltips=pl.DataFrame(
                            {
                                "Område": [area_display_name(names[i]) for i in keep],
                                "Skyddsvärda anläggningar": [
                                    f"{n_by[names[i]]} (visas inte som punkter)" for i in keep
                                ],
                            }
                        ),
                        name="anläggningar:skyddade",
                    )
                )
        return out

    def notes(view: View) -> list[str]:
        if view.mode == "open":
            return [f"Skyddsvärda anläggningar ({PROTECTED_WORDS}) visas inte som punkter, bara antal."]
        return ["Intern version: skyddsvärda anläggningar visas. Får inte spridas."]

    return Overlay(title=heading, make=make, notes=notes, sources=(city.settings.facilities.layer,))


def _sector_order(sector: str) -> tuple[int, str]:
    from lagesbild.maps.style import SECTOR_SYMBOLS

    keys = list(SECTOR_SYMBOLS)
    return (keys.index(sector) if sector in keys else len(keys), sector)


def _count_points(
    city: City, year: int, level: str, names: Sequence[str]
) -> tuple[list[shapely.Point | None], list[str], list[str]]:
    """A point inside each named area (where the protected count is written)."""
    from lagesbild.analysis.areas import area_layer

    areas = area_layer(city, year=year, level=level)
    geoms = _geom.shapes(areas)
    by_name = dict(zip(areas["area"].to_list(), geoms, strict=True))
    pts: list[shapely.Point | None] = []
    for n in names:
        lp = _geom.label_point(by_name.get(n))
        pts.append(None if lp is None else shapely.Point(lp[0], lp[1]))
    return pts, [str(n) for n in names], list(names)


# -- cells --------------------------------------------------------------------------------

#: How :func:`cells` draws the classes of a hotspot layer.
HOTSPOT_CLASSES: dict[str, tuple[str, str]] = {
    "hot": (PALETTE.hot, "Fler händelser än väntat (hot spot)"),
    "cold": (PALETTE.cold, "Färre händelser än väntat (cold spot)"),
}


def cells(
    layer: Layer,
    column: str = "class",
    *,
    classes: Mapping[str, tuple[str, str]] | None = None,
    title: str = "Koncentrationer av händelser",
    tooltip_columns: Sequence[str] = ("count", "z", "p"),
    alpha: float = 0.7,
) -> Overlay:
    """Grid cells (or any polygons) coloured by a class column, such as incident hotspots.

    Parameters
    ----------
    layer
        Polygons with a class column; a hotspot layer has ``class``
        ``"hot"``, ``"cold"`` or ``"none"`` and ``count``, ``z``, ``p``.
    column
        The class column.
    classes
        Class value → (colour, legend label); values not listed are not
        drawn (``"none"``). Default: hot red, cold blue.
    title
        The legend group's heading.
    tooltip_columns
        Columns shown in the interactive map's tooltips (those present).
    alpha
        Opacity of the cells.

    Examples
    --------
    >>> import shapely
    >>> from lagesbild.maps import overlays
    >>> grid = lb.Layer.from_polars(pl.DataFrame({
    ...     "class": ["hot", "none"],
    ...     "geometry": [shapely.to_wkb(shapely.box(0, 0, 100, 100)), shapely.to_wkb(shapely.box(100, 0, 200, 100))],
    ... }), crs=3011)
    >>> [d.label for d in overlays.cells(grid).drawables(overlays.View())]
    ['Fler händelser än väntat (hot spot)']
    """
    if column not in layer.columns:
        msg = f"{layer.name}: no column {column!r} to colour the cells by (columns: {', '.join(layer.columns)})"
        raise InvalidArgumentError(msg)
    chosen = dict(classes or HOTSPOT_CLASSES)

    def make(view: View) -> list[Drawable]:
        geoms = _geom.for_display(_geom.shapes(layer), view.tolerance, view.clip)
        values = layer[column].cast(pl.String).to_list()
        shown_cols = [c for c in tooltip_columns if c in layer.columns]
        out = []
        for value, (colour, label) in chosen.items():
            idx = [i for i, v in enumerate(values) if v == value and geoms[i] is not None and not geoms[i].is_empty]
            if not idx:
                continue
            tips = layer.attributes[idx].select(shown_cols) if shown_cols else None
            if tips is not None:
                tips = tips.select(
                    [
                        pl.col(c)
                        .map_elements(_cell_text(tips[c].dtype), return_dtype=pl.String)
                        .alias(_CELL_WORDS.get(c, c))
                        for c in shown_cols
                    ]
                )
            out.append(
                Drawable(
                    label=label,
                    kind="polygon",
                    geoms=np.array([geoms[i] for i in idx], dtype=object),
                    group=title,
                    fill=colour,
                    edge=None,
                    width=0.0,
                    alpha=alpha,
                    zorder=5.0,
                    tooltips=tips,
                    name=f"celler:{value}",
                )
            )
        return out

    return Overlay(title=title, make=make, sources=())


_CELL_WORDS = {"count": "Antal", "z": "z (Gi*)", "p": "p", "q": "q (FDR)"}


def _cell_text(dtype: pl.DataType) -> Callable[[Any], str]:
    if dtype.is_float():
        return lambda v: format_number(v, 2)
    if dtype.is_integer():
        return lambda v: format_number(v)
    return str
