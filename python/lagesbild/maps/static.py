"""Static maps with matplotlib: the page, its legend, scale bar and north arrow, and choropleths.

A map is drawn on a page of a paper size (A4 or A3, portrait or landscape)
and saved as PNG (300 dpi by default), SVG or PDF. The output is
deterministic: the same input gives the same bytes, because the fonts are
matplotlib's own DejaVu Sans (text drawn as paths, so no machine's fonts
are used), the SVG ids come from a fixed salt and no date or version is
written into the files' metadata.

Nothing here touches pyplot: each map is its own
:class:`matplotlib.figure.Figure`, so maps can be made in threads and in
scripts without a display.
"""

from __future__ import annotations

import math
import os
import tempfile
import textwrap
import warnings
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
import polars as pl
import shapely
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Polygon, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke

from lagesbild.exceptions import InvalidArgumentError
from lagesbild.maps import _geom
from lagesbild.maps.overlays import Drawable, Overlay, View
from lagesbild.maps.style import (
    PALETTE,
    area_display_name,
    decimals_for,
    format_number,
    format_range,
    sequential,
)
from lagesbild.progress import steps

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["Map", "choropleth", "PAGE_SIZES", "SCHEMES"]

#: Paper sizes in millimetres (width, height) in portrait.
PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
#: Classification schemes of :func:`choropleth` and the mapclassify class behind each.
SCHEMES = {"quantiles": "Quantiles", "natural_breaks": "FisherJenks", "equal_interval": "EqualInterval"}
_SCHEME_WORDS = {
    "quantiles": "kvantiler",
    "natural_breaks": "naturliga brytpunkter",
    "equal_interval": "lika intervall",
}
_LEVEL_WORDS = {"stadsdel": "stadsdel", "stadsdelsomrade": "stadsdelsområde", "city": "hela staden"}

#: What every map is drawn with: fonts bundled with matplotlib, text as paths,
#: a fixed salt for SVG ids, no machine-dependent settings.
RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8.0,
    "svg.fonttype": "path",
    "svg.hashsalt": "lagesbild",
    "svg.image_inline": True,
    "pdf.fonttype": 42,
    "pdf.compression": 6,
    "path.simplify": True,
    "hatch.linewidth": 0.6,
    "text.color": PALETTE.text,
    "axes.unicode_minus": True,
}

#: Metadata written into each format: a creator, and no date, so output does not change from run to run.
METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None, "Creator": "lagesbild"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "lagesbild", "Producer": "lagesbild"},
    "png": {"Software": "lagesbild"},
}


@contextmanager
def drawing() -> Iterator[None]:
    """The matplotlib settings every map is drawn and saved under."""
    with mpl.rc_context(RC), warnings.catch_warnings():
        # A font lacking a glyph would draw a box; every text here is in DejaVu Sans.
        warnings.simplefilter("error", UserWarning)
        yield


# -- the finished map ---------------------------------------------------------------------


class Map:
    """A finished static map: a matplotlib figure ready to save as PNG, SVG or PDF.

    In Jupyter it shows itself as a PNG. :attr:`figure` is the matplotlib
    :class:`~matplotlib.figure.Figure` for further drawing.

    Attributes
    ----------
    figure
        The figure.
    ax
        The axes of the map itself (in the city's working CRS, metres).
    mode
        ``"open"`` or ``"internal"``.
    title
        The map's title.
    table
        For a risk map, the table of the numbered facilities (printed
        beside it unless drawn with ``table=False``), as polars; else ``None``.
    protected
        For a risk map, the protected facilities at risk that it does not
        show, counted per stadsdel (``stadsdel``, ``antal``; empty in
        internal mode); else ``None``.
    """

    def __init__(
        self,
        figure: Figure,
        ax: Any,
        *,
        mode: str,
        title: str,
        table: pl.DataFrame | None = None,
        protected: pl.DataFrame | None = None,
    ) -> None:
        self.figure = figure
        self.ax = ax
        self.mode = mode
        self.title = title
        self.table = table
        self.protected = protected

    def __repr__(self) -> str:
        w, h = self.figure.get_size_inches() * 25.4
        return f"<Map {self.title!r}, {w:.0f} × {h:.0f} mm, {self.mode}>"

    def to_bytes(self, format: str = "png", *, dpi: int = 300) -> bytes:
        """The map as the bytes of a PNG, SVG or PDF file."""
        import io

        fmt = _format(format)
        buf = io.BytesIO()
        with drawing():
            self.figure.savefig(buf, format=fmt, dpi=dpi, metadata=METADATA[fmt], facecolor="white")
        return buf.getvalue()

    def save(self, path: str | os.PathLike[str], *, dpi: int = 300, format: str | None = None) -> Path:
        """Write the map; the format follows the extension (``.png``, ``.svg``, ``.pdf``).

        The file is written to a temporary name beside the target and
        renamed into place, so a failure leaves the old file or none.

        Parameters
        ----------
        path
            Where to write.
        dpi
            Resolution of a PNG (300 by default, for print).
        format
            ``"png"``, ``"svg"`` or ``"pdf"`` when the extension does not say.

        Returns
        -------
        pathlib.Path
            The path written.
        """
        path = Path(path)
        fmt = _format(format or path.suffix.lstrip(".") or "png")
        data = self.to_bytes(fmt, dpi=dpi)
        atomic_write(path, data)
        return path

    def _repr_png_(self) -> bytes:
        return self.to_bytes("png", dpi=110)


def _format(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in METADATA:
        msg = f"a map is saved as png, svg or pdf, not {fmt!r}"
        raise InvalidArgumentError(msg)
    return fmt


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- the page -----------------------------------------------------------------------------


@dataclass
class Page:
    """A page of a paper size with its parts: title, map, legend, footer (figure fractions)."""

    figure: Figure
    portrait: bool
    scale: float  # font and symbol scale: 1 on A4, larger on A3
    map_box: tuple[float, float, float, float]
    side_box: tuple[float, float, float, float]


def page(size: str = "A4", orientation: str = "portrait", *, side: float = 0.0) -> Page:
    """A blank page: a figure of the paper size with the boxes of its parts.

    ``side`` is the share of the page kept for a table or legend beside
    (landscape) or below (portrait) the map.
    """
    if size not in PAGE_SIZES:
        msg = f"size must be 'A4' or 'A3', not {size!r}"
        raise InvalidArgumentError(msg)
    if orientation not in ("portrait", "landscape"):
        msg = f"orientation must be 'portrait' or 'landscape', not {orientation!r}"
        raise InvalidArgumentError(msg)
    w, h = PAGE_SIZES[size]
    portrait = orientation == "portrait"
    if not portrait:
        w, h = h, w
    fig = Figure(figsize=(w / 25.4, h / 25.4), facecolor="white")
    scale = min(w, h) / 210.0
    scale = 1.0 + 0.6 * (scale - 1.0)  # A3 text a little larger, not 1.4 times
    top, bottom = 0.905 if portrait else 0.875, 0.04 if portrait else 0.055
    if portrait:
        split = bottom + side * (top - bottom)
        map_box = (0.04, split, 0.92, top - split)
        side_box = (0.05, bottom + 0.005, 0.90, split - bottom - 0.015)
    else:
        split = 0.03 + (1 - side) * 0.94
        map_box = (0.03, bottom, split - 0.03, top - bottom)
        side_box = (split + 0.015, bottom, 0.97 - split - 0.015, top - bottom)
    return Page(fig, portrait, scale, map_box, side_box)


def header(pg: Page, title: str, subtitle: str | None, mode: str) -> None:
    """The title and subtitle at the top of the page, and the mark of an internal map."""
    fig, s = pg.figure, pg.scale
    y = 0.965 if pg.portrait else 0.95
    fig.text(0.04, y, title, fontsize=15 * s, fontweight="bold", va="baseline", ha="left")
    if subtitle:
        fig.text(0.04, y - (0.022 if pg.portrait else 0.035), subtitle, fontsize=9 * s, color=PALETTE.muted,
                 va="baseline", ha="left")
    if mode == "internal":
        fig.text(
            0.96, y, "INTERN", fontsize=12 * s, fontweight="bold", color=PALETTE.internal, ha="right", va="baseline",
            bbox={"boxstyle": "square,pad=0.3", "facecolor": "white", "edgecolor": PALETTE.internal, "linewidth": 1.2},
        )
        fig.text(0.96, y - (0.022 if pg.portrait else 0.035), "Får inte spridas", fontsize=7.5 * s,
                 color=PALETTE.internal, ha="right", va="baseline")


def footer(pg: Page, city: City, year: int, mode: str, extra: str | None = None) -> None:
    """The footer: where the data come from and the year, and the version (open or internal)."""
    fig, s = pg.figure, pg.scale
    left = sources_text(city)
    version = "Öppen version" if mode == "open" else "Intern version – får inte spridas"
    right = f"Rapportår {year} · {version} · Karta: lagesbild"
    fig.text(0.04, 0.014, "\n".join(textwrap.wrap(left, 150 if not pg.portrait else 88)),
             fontsize=6.3 * s, color=PALETTE.muted, ha="left", va="bottom")
    fig.text(0.96, 0.014, right, fontsize=6.3 * s, color=PALETTE.internal if mode == "internal" else PALETTE.muted,
             ha="right", va="bottom")
    if extra:
        fig.text(0.04, 0.032 if pg.portrait else 0.036, extra, fontsize=6.3 * s, color=PALETTE.muted,
                 ha="left", va="bottom")


def sources_text(city: City) -> str:
    """Where the city's data come from: ``[city] source`` of its file, or its files' names.

    Examples
    --------
    >>> from lagesbild.maps.static import sources_text
    >>> sources_text(lb.demo())
    'Källa: Stadsdelar och vatten: Stockholms stad, Stadskarta 2021 (CC0). Övriga data: syntetiska demodata'
    """
    if city.settings.source:
        return f"Källa: {city.settings.source}"
    files = sorted({os.path.basename(m.path) for m in city._sources.values() if m.path})
    return f"Källa: {city.name} ({', '.join(files)})" if files else f"Källa: {city.name}"


# -- drawing ------------------------------------------------------------------------------


def map_axes(pg: Page, bounds: tuple[float, float, float, float]) -> Any:
    """The axes of the map itself: equal scale, no frame, the extent ``bounds`` (filled to the box)."""
    ax = pg.figure.add_axes(pg.map_box)
    ax.set_axis_off()
    # Grow the extent to the box's shape, so the scale is equal without matplotlib moving the limits.
    w_in, h_in = pg.figure.get_size_inches()
    box_ratio = (pg.map_box[3] * h_in) / (pg.map_box[2] * w_in)
    x0, y0, x1, y1 = bounds
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    if h / w > box_ratio:
        w = h / box_ratio
    else:
        h = w * box_ratio
    ax.set_xlim(cx - w / 2, cx + w / 2)
    ax.set_ylim(cy - h / 2, cy + h / 2)
    ax.set_aspect("equal", adjustable="box")
    return ax


def tolerance(ax: Any, dpi: float = 300) -> float:
    """Half a pixel at ``dpi``, in metres: how much geometry may be simplified unseen."""
    x0, x1 = ax.get_xlim()
    width_in = ax.get_position().width * ax.figure.get_size_inches()[0]
    return 0.5 * (x1 - x0) / max(width_in * dpi, 1.0)


def _poly_path(geom: shapely.Geometry) -> MplPath | None:
    verts, codes = [], []
    for poly in _geom.polygon_parts(geom):
        poly = shapely.orient_polygons(poly)
        for ring in (poly.exterior, *poly.interiors):
            c = np.asarray(ring.coords)[:, :2]
            if len(c) < 4:
                continue
            verts.append(c)
            codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(c) - 2) + [MplPath.CLOSEPOLY])
    if not verts:
        return None
    return MplPath(np.concatenate(verts), codes)


def draw(ax: Any, d: Drawable, scale: float = 1.0) -> None:
    """Draw one :class:`Drawable` on the map's axes."""
    n = len(d.geoms)
    fills = list(d.fill) if isinstance(d.fill, list | tuple) else [d.fill] * n
    if d.kind == "polygon":
        patches, colours = [], []
        for g, f in zip(d.geoms, fills, strict=True):
            p = None if g is None else _poly_path(g)
            if p is not None:
                patches.append(PathPatch(p))
                colours.append(f or "none")
        if not patches:
            return
        coll = PatchCollection(
            patches,
            facecolors=colours,
            edgecolors=d.edge or "none",
            linewidths=d.width * scale,
            alpha=d.alpha if d.alpha < 1 else None,
            zorder=d.zorder,
        )
        if d.hatch:
            coll.set_hatch(d.hatch)
        coll.set_gid(_gid(d))
        ax.add_collection(coll, autolim=False)
    elif d.kind == "line":
        segs = [c for g in d.geoms for c in _geom.line_parts(g)]
        if not segs:
            return
        style: Any = "solid" if d.dash is None else (0, tuple(v * scale for v in d.dash))
        # A white casing under each line, so a route reads over any colour of the areas beneath.
        lines = LineCollection(segs, colors=d.edge, linewidths=d.width * scale, linestyles=style, zorder=d.zorder,
                               capstyle="round", joinstyle="round",
                               path_effects=[withStroke(linewidth=(d.width + 1.4) * scale, foreground="white")])
        lines.set_gid(_gid(d))
        ax.add_collection(lines, autolim=False)
    elif d.kind == "label":
        for g, t in zip(d.geoms, d.texts or [], strict=False):
            if g is not None and t:
                ax.text(g.x, g.y, t, ha="center", va="center", fontsize=d.size * scale, fontweight="bold",
                        color=d.edge or PALETTE.text, zorder=d.zorder,
                        path_effects=[withStroke(linewidth=2.2 * scale, foreground="white")])
    elif d.kind in ("point", "count"):
        xs = np.array([g.x for g in d.geoms])
        ys = np.array([g.y for g in d.geoms])
        if d.kind == "count":
            size = 6.2 * scale
            for x, y, t in zip(xs, ys, d.texts or [], strict=False):
                half_w, half_h = 0.5 * size * len(t) + 2, size / 2 + 2
                ox, oy = _count_offset(ax, x, y, half_w, half_h, scale)
                ax.annotate(
                    t, (x, y), xytext=(ox, oy), textcoords="offset points", ha="center", va="center",
                    fontsize=size, color=PALETTE.text, zorder=d.zorder,
                    bbox={"boxstyle": "square,pad=0.25", "facecolor": "white", "edgecolor": d.edge,
                          "linewidth": 0.6},
                )
                _labels_of(ax).obstacle(x, y, (ox - half_w, oy - half_h), (ox + half_w, oy + half_h))
            return
        ax.scatter(xs, ys, marker=d.marker, s=(d.size * scale) ** 2, c=[fills[0]] * n if n else [],
                   edgecolors=d.edge, linewidths=d.width, zorder=d.zorder, gid=_gid(d))
        labels = _labels_of(ax)
        radius = d.size * scale / 2
        for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
            text = d.texts[i] if d.texts is not None else ""
            labels.marker(x, y, radius, text)


def _count_offset(ax: Any, x: float, y: float, half_w: float, half_h: float, scale: float) -> tuple[float, float]:
    """Where a count box goes (points from its area's name): below the name, or the nearest place hiding no marker."""
    markers = _labels_of(ax).markers
    choices = [(0.0, -9.0), (0.0, 9.0), (0.0, -18.0), (0.0, 18.0), (16.0, -9.0), (-16.0, -9.0), (0.0, -27.0)]
    choices = [(ox * scale, oy * scale) for ox, oy in choices]
    if not markers:
        return choices[0]
    per_pt = (ax.get_xlim()[1] - ax.get_xlim()[0]) / (ax.bbox.width * 72 / ax.figure.dpi)
    for ox, oy in choices:
        cx, cy = x + ox * per_pt, y + oy * per_pt
        if not any(abs(mx - cx) < (half_w + r) * per_pt and abs(my - cy) < (half_h + r) * per_pt
                   for mx, my, r, _ in markers):
            return ox, oy
    return choices[0]


# -- numbers beside the points -------------------------------------------------------------


@dataclass
class _PointLabels:
    """The markers of a map, their numbers, and the texts the numbers must keep clear of.

    Positions are map coordinates; sizes are points (1/72 inch) around them.
    """

    markers: list[tuple[float, float, float, str]] = field(default_factory=list)  # x, y, radius, text
    obstacles: list[tuple[float, float, tuple[float, float], tuple[float, float]]] = field(default_factory=list)

    def marker(self, x: float, y: float, radius: float, text: str) -> None:
        self.markers.append((float(x), float(y), float(radius), text))

    def obstacle(self, x: float, y: float, low: tuple[float, float], high: tuple[float, float]) -> None:
        self.obstacles.append((float(x), float(y), low, high))


_POINT_LABELS: weakref.WeakKeyDictionary[Any, _PointLabels] = weakref.WeakKeyDictionary()

# Where a number may go around its marker, in order of preference: the four
# diagonals, then the sides, then the same further out (with a leader line).
_DIRECTIONS = ((1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))


def _labels_of(ax: Any) -> _PointLabels:
    if ax not in _POINT_LABELS:
        _POINT_LABELS[ax] = _PointLabels()
    return _POINT_LABELS[ax]


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


class _Boxes:
    """Boxes to test for overlap; the boxes that meet a box are found with numpy, then summed in order.

    The sum is the plain sum of :func:`_overlap` over all the boxes (the
    ones that do not meet add exactly zero), so placing is the same as
    testing every box, only faster.
    """

    def __init__(self, boxes: list[tuple[float, float, float, float]]) -> None:
        self.boxes = boxes
        self.arr = np.array(boxes, dtype=float).reshape(-1, 4)

    def overlap(self, box: tuple[float, float, float, float]) -> float:
        a = self.arr
        if not len(a):
            return 0
        meets = (np.minimum(a[:, 2], box[2]) > np.maximum(a[:, 0], box[0])) & (
            np.minimum(a[:, 3], box[3]) > np.maximum(a[:, 1], box[1])
        )
        return sum(_overlap(box, self.boxes[i]) for i in np.flatnonzero(meets).tolist())


def place_point_labels(ax: Any, scale: float = 1.0, fontsize: float = 6.0) -> int:
    """Write each marker's number beside it where it hides no other number, marker or name.

    Numbers are placed greedily, the most crowded markers first: on a
    diagonal of the marker, else beside, above or below it, else further
    out with a thin leader line; where every place is taken, the place
    that hides least. Returns how many numbers were written.
    """
    state = _labels_of(ax)
    todo = [m for m in state.markers if m[3]]
    if not todo:
        return 0
    ax.apply_aspect()
    to_pt = 72.0 / ax.figure.dpi

    def pt(x: float, y: float) -> tuple[float, float]:
        px, py = ax.transData.transform((x, y))
        return float(px * to_pt), float(py * to_pt)

    frame = ax.get_window_extent()
    frame_box = (frame.x0 * to_pt, frame.y0 * to_pt, frame.x1 * to_pt, frame.y1 * to_pt)
    marks = [(*pt(x, y), r) for x, y, r, _ in state.markers]
    marker_boxes = [(px - r, py - r, px + r, py + r) for px, py, r in marks]
    texts = []
    for x, y, low, high in state.obstacles:
        px, py = pt(x, y)
        texts.append((px + low[0], py + low[1], px + high[0], py + high[1]))
    size = fontsize * scale
    # The most crowded first: they have the fewest free places.
    where = {id(m): pt(m[0], m[1]) for m in todo}

    def crowd(m: tuple[float, float, float, str]) -> tuple[int, float, float]:
        px, py = where[id(m)]
        near = sum(abs(px - qx) < 4 * size and abs(py - qy) < 3 * size for qx, qy, _ in marks)
        return (-near, -py, px)

    placed: list[tuple[float, float, float, float]] = []
    fixed = _Boxes(marker_boxes), _Boxes(texts)
    for m in sorted(todo, key=crowd):
        x, y, r, text = m
        px, py = where[id(m)]
        w, h = 0.7 * size * len(text), 0.78 * size
        best = None
        near_placed = _Boxes(placed)
        for tier in range(3):
            gap = r + 0.8 + tier * 0.9 * size
            for dx, dy in _DIRECTIONS:
                k = 0.72 if dx and dy else 1.0
                ox, oy = dx * gap * k, dy * gap * k
                x0 = px + ox - (0 if dx > 0 else w if dx < 0 else w / 2)
                y0 = py + oy - (0 if dy > 0 else h if dy < 0 else h / 2)
                box = (x0 - 0.6, y0 - 0.6, x0 + w + 0.6, y0 + h + 0.6)
                cost = 10 * near_placed.overlap(box)
                cost += 4 * fixed[0].overlap(box)
                cost += fixed[1].overlap(box)
                inside = _overlap(box, frame_box)
                cost += 50 * ((box[2] - box[0]) * (box[3] - box[1]) - inside)
                cost += tier * 2.0
                if best is None or cost < best[0]:
                    best = (cost, tier, ox, oy, dx, dy, box)
            if best is not None and best[0] <= tier * 2.0:
                break
        assert best is not None
        _, tier, ox, oy, dx, dy, box = best
        placed.append(box)
        arrow = None
        if tier > 0:
            arrow = {"arrowstyle": "-", "color": PALETTE.text, "linewidth": 0.5 * scale, "shrinkA": 0.5,
                     "shrinkB": r}
        ax.annotate(
            text, (x, y), xytext=(ox, oy), textcoords="offset points",
            ha="left" if dx > 0 else "right" if dx < 0 else "center",
            va="bottom" if dy > 0 else "top" if dy < 0 else "center",
            fontsize=size, fontweight="bold", color=PALETTE.text, zorder=16, arrowprops=arrow,
            path_effects=[withStroke(linewidth=2.0, foreground="white")],
        )
    return len(placed)


def _gid(d: Drawable) -> str:
    """The id of a drawable's group in an SVG (ASCII, so tests and tools can find it)."""
    import re
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", d.name).encode("ascii", "ignore").decode()
    return "lb-" + re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()


def _scale_bar_place(ax: Any) -> tuple[float, float, float, float]:
    """The scale bar's left end, bottom, length and bar height, in the map's units."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target = (x1 - x0) / 5
    nice = [100, 200, 400, 1000, 2000, 4000, 10000, 20000, 40000]
    length = max((v for v in nice if v <= target), default=nice[0])
    return x0 + 0.03 * (x1 - x0), y0 + 0.03 * (y1 - y0), length, 0.006 * (y1 - y0)


def _scale_bar_box(ax: Any, scale: float) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1) the scale bar and its figures cover, with a margin, in the map's units."""
    bx, by, length, h = _scale_bar_place(ax)
    per_pt = (ax.get_xlim()[1] - ax.get_xlim()[0]) / (ax.bbox.width * 72 / ax.figure.dpi)
    margin = 3 * scale * per_pt
    return bx - margin, by - margin, bx + length + 2.5 * 6.5 * scale * per_pt, by + h * 1.6 + 9 * scale * per_pt


def scale_bar(ax: Any, scale: float = 1.0) -> None:
    """A scale bar in the lower left corner of the map: two segments of a round length."""
    bx, by, length, h = _scale_bar_place(ax)
    for i, colour in enumerate(("#333333", "white")):
        ax.add_patch(Rectangle((bx + i * length / 2, by), length / 2, h, facecolor=colour, edgecolor="#333333",
                               linewidth=0.6, zorder=20))
    for v, xpos in ((0, bx), (length / 2, bx + length / 2), (length, bx + length)):
        ax.text(xpos, by + h * 1.6, _distance_text(v, unit=v == length), fontsize=6.5 * scale, ha="center",
                va="bottom", zorder=20, path_effects=[withStroke(linewidth=2.0, foreground="white")])


def _distance_text(metres: float, unit: bool) -> str:
    """``2500`` → ``"2,5 km"``; ``500`` → ``"500 m"``; without unit just the number."""
    if metres == 0:
        return "0"
    if metres >= 1000:
        text = f"{metres / 1000:g}".replace(".", ",")
        return f"{text} km" if unit else text
    return f"{metres:g} m" if unit else f"{metres:g}"


def north_arrow(ax: Any, scale: float = 1.0) -> None:
    """A north arrow in the upper right corner (grid north of the working CRS)."""
    x, y, h = 0.965, 0.90, 0.055
    w = h * 0.42 * ax.bbox.height / ax.bbox.width
    ax.add_patch(Polygon([(x, y + h), (x - w / 2, y), (x, y + h * 0.28)], closed=True, transform=ax.transAxes,
                         facecolor="#333333", edgecolor="#333333", linewidth=0.6, zorder=20))
    ax.add_patch(Polygon([(x, y + h), (x + w / 2, y), (x, y + h * 0.28)], closed=True, transform=ax.transAxes,
                         facecolor="white", edgecolor="#333333", linewidth=0.6, zorder=20))
    ax.text(x, y + h * 1.08, "N", transform=ax.transAxes, ha="center", va="bottom", fontsize=9 * scale,
            fontweight="bold", zorder=20, path_effects=[withStroke(linewidth=2.0, foreground="white")])


def area_labels(
    ax: Any, names: Sequence[str], geoms: Sequence[Any], *, scale: float = 1.0, fontsize: float = 7.0,
    only_if_room: bool = False, weight: str = "normal", colour: str | None = None, zorder: float = 15.0,
) -> int:
    """Each area's name inside it, at the point furthest from its edges; returns how many were placed.

    With ``only_if_room``, a name is left out where it would not fit in the
    area (a long name in a small stadsdel) rather than spill over its
    neighbours. A name that would lie under the scale bar (lower left) is
    left out. ``zorder`` 15 puts the names over everything drawn on the
    map; a risk map puts its stadsdelar's names under the facilities (8).
    """
    placed = 0
    per_pt = (ax.get_xlim()[1] - ax.get_xlim()[0]) / (ax.bbox.width * 72 / ax.figure.dpi)
    sx0, sy0, sx1, sy1 = _scale_bar_box(ax, scale)
    for name, g in zip(names, geoms, strict=True):
        lp = _geom.label_point(g)
        if lp is None:
            continue
        x, y, room = lp
        text = area_display_name(name)
        size = fontsize * scale
        if only_if_room:
            longest = max(len(w) for w in text.replace("-", "- ").split())
            words = text.replace("-", "- ").split()
            half_width_pt = 0.30 * size * (longest if len(words) > 1 and room * 2 / per_pt < 0.6 * size * len(text)
                                            else len(text))
            if half_width_pt * per_pt > room * 1.15 or 0.7 * size * per_pt > room * 1.2:
                continue
        label = text if not only_if_room or 0.6 * size * len(text) * per_pt <= 2 * room else _wrap_name(text)
        lines = label.split("\n")
        half_w, half_h = 0.31 * size * max(len(t) for t in lines), 0.6 * size * len(lines)
        x, y = _clear_of_markers(ax, g, x, y, half_w * per_pt, half_h * per_pt)
        dx, dy = half_w * per_pt, half_h * per_pt
        if x - dx < sx1 and x + dx > sx0 and y - dy < sy1 and y + dy > sy0:
            continue
        ax.text(x, y, label, ha="center", va="center", fontsize=size, fontweight=weight,
                color=colour or PALETTE.text, zorder=zorder, linespacing=0.95,
                path_effects=[withStroke(linewidth=2.2 * scale, foreground="white")])
        _labels_of(ax).obstacle(x, y, (-half_w, -half_h), (half_w, half_h))
        placed += 1
    return placed


def _clear_of_markers(ax: Any, area: Any, x: float, y: float, half_w: float, half_h: float) -> tuple[float, float]:
    """Where an area's name hides no marker: its place, or one nearby that is clear and still inside the area.

    Sizes are map units. Clear means off every marker, count box and name
    drawn so far. The name moves up or down by up to three of its heights,
    and sideways by up to half its width; where no such place is clear (or
    nothing is near its name), it stays.
    """
    state = _labels_of(ax)
    if not state.markers and not state.obstacles:
        return x, y
    per_pt = (ax.get_xlim()[1] - ax.get_xlim()[0]) / (ax.bbox.width * 72 / ax.figure.dpi)
    boxes = [(mx - r * per_pt, my - r * per_pt, mx + r * per_pt, my + r * per_pt) for mx, my, r, _ in state.markers]
    boxes += [(ox + lo[0] * per_pt, oy + lo[1] * per_pt, ox + hi[0] * per_pt, oy + hi[1] * per_pt)
              for ox, oy, lo, hi in state.obstacles]
    b = np.array(boxes, dtype=float).reshape(-1, 4)

    def clear(cx: float, cy: float) -> bool:
        return not bool(np.any((b[:, 0] < cx + half_w) & (b[:, 2] > cx - half_w)
                               & (b[:, 1] < cy + half_h) & (b[:, 3] > cy - half_h)))

    if clear(x, y):
        return x, y
    near = [(dx * half_w, dy * half_h) for dy in (1.2, -1.2, 2.4, -2.4, 3.6, -3.6) for dx in (0.0, 0.5, -0.5)]
    further = [(dx * half_w, dy * half_h) for dy in (0.0, 4.8, -4.8) for dx in (1.0, -1.0)]
    # Wholly inside the area if it can be; else with its middle inside.
    for inside, shifts in ((shapely.contains, near), (shapely.contains, further), (None, near + further)):
        for dx, dy in shifts:
            cx, cy = x + dx, y + dy
            box = shapely.box(cx - half_w, cy - half_h, cx + half_w, cy + half_h)
            if clear(cx, cy) and (inside(area, box) if inside else shapely.contains_xy(area, cx, cy)):
                return cx, cy
    return x, y


def _wrap_name(text: str) -> str:
    """A long name on two lines, broken at a space or after a hyphen near the middle."""
    cuts = [i for i, c in enumerate(text) if c in " -"]
    if not cuts:
        return text
    mid = len(text) / 2
    i = min(cuts, key=lambda c: abs(c - mid))
    return text[: i + 1].rstrip() + "\n" + text[i + 1 :].lstrip() if text[i] == "-" else text[:i] + "\n" + text[i + 1 :]


# -- the legend ---------------------------------------------------------------------------


@dataclass
class LegendSection:
    """A group of the legend: a heading, its entries and notes."""

    heading: str
    items: list[Drawable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def legend_sections(drawables: Sequence[Drawable], overlays: Sequence[tuple[Overlay, View]]) -> list[LegendSection]:
    """The drawables grouped by heading, in drawing order, with each overlay's notes."""
    sections: dict[str, LegendSection] = {}
    for d in drawables:
        if d.legend:
            sections.setdefault(d.group, LegendSection(d.group)).items.append(d)
    for o, view in overlays:
        notes = o.notes(view)
        if notes:
            target = sections.get(o.title) or next(
                (s for s in sections.values() if s.heading.startswith("Riskhanteringsavstånd")), None
            )
            (target or sections.setdefault(o.title, LegendSection(o.title))).notes.extend(notes)
    return list(sections.values())


def legend(
    fig: Figure, box: tuple[float, float, float, float], sections: Sequence[LegendSection], *, columns: int = 1,
    scale: float = 1.0,
) -> Any:
    """Draw the legend in ``box`` (figure fractions), sections flowing down ``columns`` columns.

    When the sections do not fit the box at the normal size, the legend's
    text is made smaller (to three quarters at the least) rather than run
    into the footer.
    """
    ax = fig.add_axes(box)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    h_pt = ax.bbox.height * 72 / fig.dpi
    w_pt = ax.bbox.width * 72 / fig.dpi
    col_w = 1.0 / columns
    fs = 7.0 * scale
    for _ in range(8):
        row = fs * 1.55 / h_pt
        chars = max(20, int(col_w * w_pt / (fs * 0.52)) - 4)
        blocks = _legend_blocks(sections, chars)
        flow = _legend_flow(blocks, columns)
        tallest = max((sum(len(blocks[i]) + 0.6 for i in col) - 0.6 for col in flow), default=0.0)
        if tallest * row <= 1.0 or fs <= 7.0 * scale * 0.75:
            break
        fs = max(7.0 * scale * 0.75, fs * 0.94)
    sym_w = min(0.09, 2.2 * fs / (w_pt * col_w) * col_w * 1.0) if columns > 1 else min(0.12, 2.6 * fs / w_pt)
    for col, members in enumerate(flow):
        x, y = col * col_w, 1.0
        for i in members:
            for kind, value in blocks[i]:
                if kind == "heading":
                    ax.text(x, y - row / 2, value, fontsize=fs * 1.05, fontweight="bold", va="center", ha="left")
                elif kind == "note":
                    ax.text(x, y - row / 2, value, fontsize=fs * 0.86, color=PALETTE.muted, va="center", ha="left",
                            style="italic")
                else:
                    _legend_symbol(ax, value, x, y - row, sym_w, row, scale * fs / (7.0 * scale))
                    ax.text(x + sym_w + 0.012, y - row / 2, value.label, fontsize=fs, va="center", ha="left")
                y -= row
            y -= row * 0.6
    return ax


def _legend_blocks(sections: Sequence[LegendSection], chars: int) -> list[list[tuple[str, Any]]]:
    """The rows of each section: its heading and notes wrapped to ``chars`` (the bold heading to fewer), its entries."""
    blocks = []
    for s in sections:
        lines: list[tuple[str, Any]] = [("heading", t) for t in textwrap.wrap(s.heading, int(chars * 0.88))]
        lines += [("item", d) for d in s.items]
        for note in s.notes:
            lines += [("note", t) for t in textwrap.wrap(note, int(chars * 1.12))]
        blocks.append(lines)
    return blocks


def _legend_flow(blocks: Sequence[Sequence[Any]], columns: int) -> list[list[int]]:
    """Which blocks go in which column: in order, a new column when one is full enough."""
    total = sum(len(b) + 0.6 for b in blocks)
    per_col = max(total / columns, max((len(b) for b in blocks), default=0))
    flow: list[list[int]] = [[]]
    used = 0.0
    for i, lines in enumerate(blocks):
        if used > 0 and used + len(lines) > per_col + 0.5 and len(flow) < columns:
            flow.append([])
            used = 0.0
        flow[-1].append(i)
        used += len(lines) + 0.6
    return flow


def _legend_symbol(ax: Any, d: Drawable, x: float, y: float, w: float, h: float, scale: float) -> None:
    fill = d.fill[0] if isinstance(d.fill, list | tuple) else d.fill
    if d.kind == "polygon":
        ax.add_patch(Rectangle((x, y + h * 0.15), w, h * 0.7, facecolor=fill or "none",
                               edgecolor=d.edge if d.edge and d.width > 0 else (PALETTE.hatch if d.hatch else "none"),
                               linewidth=0.6, hatch=d.hatch, alpha=d.alpha if d.alpha < 1 else None))
    elif d.kind == "line":
        style: Any = "solid" if d.dash is None else (0, tuple(v * scale for v in d.dash))
        ax.add_line(Line2D([x, x + w], [y + h / 2] * 2, color=d.edge, linewidth=d.width * scale, linestyle=style,
                           solid_capstyle="butt"))
    elif d.kind == "count":
        ax.text(x + w / 2, y + h / 2, "3", ha="center", va="center", fontsize=6.0 * scale,
                bbox={"boxstyle": "square,pad=0.2", "facecolor": "white", "edgecolor": d.edge, "linewidth": 0.6})
    else:
        ax.add_line(Line2D([x + w / 2], [y + h / 2], marker=d.marker, markersize=min(d.size, 7.0) * scale,
                           markerfacecolor=fill, markeredgecolor=d.edge, markeredgewidth=d.width, linestyle="none"))


# -- the choropleth -----------------------------------------------------------------------

#: Swedish names and display units of the analyses' measures: (label, unit shown, factor).
MEASURES: dict[str, tuple[str, str, float]] = {
    "flooded_share": ("Andel av marken under nivån", "%", 100.0),
    "flooded_land_m2": ("Mark under nivån", "km²", 1e-6),
    "residents_est": ("Boende, uppskattat", "personer", 1.0),
    "facilities": ("Anläggningar", "antal", 1.0),
    "route_length_m": ("Transportled", "km", 1e-3),
    "zone_land_m2": ("Mark inom zonen", "km²", 1e-6),
    "land_m2": ("Landareal", "km²", 1e-6),
    "area_m2": ("Areal", "km²", 1e-6),
}
_UNITS = {"m²": ("km²", 1e-6), "m": ("km", 1e-3), "andel": ("%", 100.0), "share": ("%", 100.0)}


def _classify(values: np.ndarray, scheme: str, k: int) -> tuple[np.ndarray, list[float]]:
    """Class of each value (0 … k-1) and the classes' upper edges, with mapclassify."""
    import mapclassify

    distinct = np.unique(values)
    k = max(1, min(k, len(distinct)))
    if k == 1:
        return np.zeros(len(values), dtype=int), [float(distinct[-1])]
    cls = getattr(mapclassify, SCHEMES[scheme])
    with warnings.catch_warnings():
        # mapclassify warns when quantiles share an edge; fewer classes are then used, and shown.
        warnings.simplefilter("ignore")
        c = cls(values, k=k)
    edges = [float(b) for b in c.bins]
    # Classes that no value falls in (ties in quantiles) are dropped from the legend.
    used = sorted(set(int(v) for v in c.yb))
    remap = {old: new for new, old in enumerate(used)}
    return np.array([remap[int(v)] for v in c.yb]), [edges[i] for i in used]


def overlay_drawables(made: Sequence[tuple[Overlay, View]], bar: Any) -> list[Drawable]:
    """What each overlay draws in its view, the progress bar (:func:`lagesbild.progress.steps`) told of each."""
    out: list[Drawable] = []
    for o, v in made:
        bar.set_postfix_str(o.title)
        out += o.drawables(v)
        bar.update()
    return out


def choropleth(
    city: City,
    table: pl.DataFrame,
    column: str,
    *,
    year: int,
    level: str | None = None,
    key: str = "area",
    scheme: str = "quantiles",
    k: int = 5,
    label: str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    overlays: Sequence[Overlay] = (),
    labels: bool | None = None,
    mode: str = "open",
    size: str = "A4",
    orientation: str = "portrait",
    progress: bool | None = None,
) -> Map:
    """A choropleth: any per-area column, classed, with a legend a planner reads without help.

    The areas are those of ``level`` in the organisation in force on 31
    December of ``year``; the water is drawn over them from the city's
    water layer; each area's name is written inside it (at stadsdel level
    only where it fits). Areas whose value was withheld by the disclosure
    rule (null with ``suppressed`` true in ``table``) are hatched and the
    legend says why; areas without a value are grey. A scale bar, a north
    arrow and a footer with the data's source and the report year complete
    the page.

    Parameters
    ----------
    city
        The city.
    table
        One row per area: a column naming the area (``key``), the value
        column, and optionally ``suppressed`` (boolean, or the list of
        withheld measures of a wide result) and ``rule``, as the analyses
        return them (:func:`lagesbild.analysis.exposure` with ``wide=True``
        or filtered to one measure).
    column
        The column to map.
    year
        The report year (the areas of its organisation; the footer).
    level
        ``"stadsdel"`` or ``"stadsdelsomrade"``; default: the table's
        ``level`` column, else ``"stadsdelsomrade"``.
    key
        The column naming the area: ``"area"`` (names) or ``"area_code"``.
    scheme
        ``"quantiles"``, ``"natural_breaks"`` (Fisher–Jenks) or ``"equal_interval"``.
    k
        Number of classes (fewer when there are fewer distinct values).
    label, unit
        The measure and its unit as the legend states them (Swedish).
        Defaults for the analyses' measures (``flooded_share`` → ``"Andel
        av marken under nivån"`` in %, areas in km², lengths in km); the
        values are converted to the unit shown.
    decimals
        Decimals in the legend (default: as many as the classes need).
    title, subtitle
        The page's title and subtitle.
    overlays
        :mod:`lagesbild.maps.overlays` drawn over the areas.
    labels
        Write the areas' names (default: yes).
    mode
        ``"open"`` (for publication; the default) or ``"internal"``
        (says "INTERN" on the map; overlays draw protected facilities).
    size, orientation
        ``"A4"`` or ``"A3"``, ``"portrait"`` or ``"landscape"``.
    progress
        A progress bar, one step per layer drawn: ``None`` (default) when
        someone is watching and it takes a while, ``False`` never,
        ``True`` at once (:mod:`lagesbild.progress`).

    Returns
    -------
    Map
        Save it with :meth:`Map.save` (``.png``, ``.svg``, ``.pdf``).

    Raises
    ------
    InvalidArgumentError
        An unknown scheme, level, mode or paper size, a missing column, or
        more than one row for an area.

    Examples
    --------
    >>> from lagesbild import maps
    >>> city = lb.demo()
    >>> per_area = city.areas_at(2025).attributes.group_by("sdo_namn").len()
    >>> sizes = per_area.rename({"sdo_namn": "area", "len": "stadsdelar"})
    >>> m = maps.choropleth(city, sizes, "stadsdelar", year=2025, label="Stadsdelar", unit="antal")
    >>> m
    <Map 'Stadsdelar', 210 × 297 mm, open>
    >>> m.to_bytes("svg")[:5]
    b'<?xml'
    """
    from lagesbild.analysis.areas import area_layer, check_args

    if level is None:
        levels = table["level"].unique().to_list() if "level" in table.columns else ["stadsdelsomrade"]
        level = levels[0] if len(levels) == 1 else "stadsdelsomrade"
    year, level, mode = check_args("choropleth", year, level, mode)
    areas = area_layer(city, year=year, level=level)

    with drawing(), steps(3 + len(overlays), "Ritar kartan", progress=progress) as bar:
        bar.set_postfix_str("områdena")
        side = 0.2 if orientation == "portrait" else 0.27
        pg = page(size, orientation, side=side)
        geoms = _geom.shapes(areas)
        bounds = _geom.padded(_geom.union_bounds(geoms) or (0, 0, 1, 1), 0.02)
        ax = map_axes(pg, bounds)
        tol = tolerance(ax)
        drawables, heading = choropleth_drawables(
            city, table, column, year=year, level=level, key=key, scheme=scheme, k=k, label=label, unit=unit,
            decimals=decimals, tolerance=tol,
        )
        name = title or heading.split(" (")[0]
        header(pg, name, subtitle or _subtitle(level, year, scheme), mode)
        shown = drawables[0].geoms if drawables and drawables[0].name == "__all__" else _geom.for_display(geoms, tol)
        drawables = [d for d in drawables if d.name != "__all__"]
        bar.update()
        bar.set_postfix_str("vattnet")
        drawables += _water(city, bounds, tol)
        bar.update()
        view = View(clip=bounds, tolerance=tol, mode=mode, year=year)
        made = [(o, view) for o in overlays]
        drawables += overlay_drawables(made, bar)
        bar.set_postfix_str("namn och teckenförklaring")
        for d_ in drawables:
            draw(ax, d_, pg.scale)
        # The areas' outlines over the overlays, thin, so the areas stay readable under them.
        if overlays:
            draw(ax, Drawable("gränser", "polygon", shown, heading, fill=None, edge="#555555", width=0.35,
                              zorder=7.0, legend=False), pg.scale)
        if labels is None or labels:
            many = len(areas) > 30
            area_labels(ax, areas["area"].to_list(), shown, scale=pg.scale, fontsize=4.6 if many else 7.2,
                        only_if_room=many, weight="normal" if many else "bold")
        place_point_labels(ax, pg.scale)
        scale_bar(ax, pg.scale)
        north_arrow(ax, pg.scale)
        own = [d_ for d_ in drawables if d_.group == heading]
        sections = [LegendSection(heading, own, [f"Klassindelning: {_SCHEME_WORDS[scheme]}."])]
        sections += legend_sections([d_ for d_ in drawables if d_.group != heading], made)
        legend(pg.figure, pg.side_box, sections, columns=3 if pg.portrait else 1, scale=pg.scale)
        footer(pg, city, year, mode)
        bar.update()
    return Map(pg.figure, ax, mode=mode, title=name)


def choropleth_drawables(
    city: City,
    table: pl.DataFrame,
    column: str,
    *,
    year: int,
    level: str,
    key: str = "area",
    scheme: str = "quantiles",
    k: int = 5,
    label: str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    tolerance: float = 0.0,
) -> tuple[list[Drawable], str]:
    """The areas of a choropleth as drawables, one per class (and withheld, missing), and the legend heading.

    Shared by the static and the interactive map, so both class and colour
    the same way. The first drawable (named ``"__all__"``) holds every
    area's outline, for labels.
    """
    from lagesbild.analysis.areas import area_layer

    if scheme not in SCHEMES:
        msg = f"choropleth: scheme must be one of {', '.join(map(repr, SCHEMES))}, not {scheme!r}"
        raise InvalidArgumentError(msg)
    for c in (key, column):
        if c not in table.columns:
            msg = f"choropleth: the table has no column {c!r} (columns: {', '.join(table.columns)})"
            raise InvalidArgumentError(msg, column=c)
    if table[key].is_duplicated().any():
        twice = table.filter(table[key].is_duplicated())[key].unique().sort().to_list()[:3]
        msg = (
            f"choropleth: one row per area is needed, but {', '.join(map(str, twice))} have several; "
            "filter a long result to one measure (and hazard, band, category) or use wide=True"
        )
        raise InvalidArgumentError(msg)
    if not table[column].dtype.is_numeric():
        msg = f"choropleth: column {column!r} must be numeric, not {table[column].dtype}"
        raise InvalidArgumentError(msg, column=column)

    # What the legend says and in which unit.
    table_unit = table["unit"].drop_nulls().unique().to_list() if "unit" in table.columns else []
    measure = str(table["measure"][0]) if "measure" in table.columns and table.height else ""
    known = MEASURES.get(column) or MEASURES.get(measure)
    factor = 1.0
    if unit is None:
        if known is not None:
            unit, factor = known[1], known[2]
        elif len(table_unit) == 1 and table_unit[0] in _UNITS:
            unit, factor = _UNITS[table_unit[0]]
        elif len(table_unit) == 1:
            unit = table_unit[0]
    label = label or (known[0] if known else column)
    heading = f"{label} ({unit})" if unit else label

    areas = area_layer(city, year=year, level=level)
    area_key = "area" if key == "area" else "area_code"
    joined = areas.attributes.select(area_key, pl.col("area").alias("__name")).join(
        table.select(
            pl.col(key).cast(pl.String).alias(area_key),
            (pl.col(column).cast(pl.Float64) * factor).alias("__v"),
            _suppressed_expr(table, column).alias("__s"),
        ),
        on=area_key,
        how="left",
        maintain_order="left",
    )
    values = joined["__v"].fill_nan(None).to_numpy().astype(float)
    hidden = joined["__s"].fill_null(False).to_numpy() & np.isnan(values)
    present = ~np.isnan(values)
    shown = _geom.for_display(_geom.shapes(areas), tolerance)
    names = [area_display_name(n) for n in joined["__name"].to_list()]

    def tips(idx: np.ndarray, text: list[str]) -> pl.DataFrame:
        schema = {"Område": pl.String, heading: pl.String}
        return pl.DataFrame({"Område": [names[i] for i in idx], heading: text}, schema=schema)

    out = [Drawable("alla", "polygon", shown, heading, legend=False, name="__all__")]
    if present.any():
        cls, edges = _classify(values[present], scheme, k)
        colours = sequential(len(edges))
        lows = [float(np.nanmin(values))] + edges[:-1]
        whole = bool(np.all(np.mod(values[present], 1) == 0))
        if whole:
            # Whole numbers: classes 4–7, 8–9 … rather than edges shared by two classes.
            lows = [lows[0]] + [math.floor(e) + 1 for e in edges[:-1]]
            edges = [float(math.floor(e)) for e in edges]
        d = decimals if decimals is not None else (0 if whole else decimals_for([*lows, *edges]))
        where = np.flatnonzero(present)
        for i, colour in enumerate(colours):
            idx = where[cls == i]
            text = format_range(lows[i], edges[i], d) if lows[i] < edges[i] else format_number(edges[i], d)
            out.append(Drawable(text, "polygon", shown[idx], heading, fill=colour, edge=PALETTE.edge, width=0.5,
                                zorder=1.0, tooltips=tips(idx, [format_number(values[j], d) for j in idx]),
                                name=f"klass {i + 1}"))
    if hidden.any():
        idx = np.flatnonzero(hidden)
        text = _rule_text(table, column)
        out.append(Drawable(text, "polygon", shown[idx], heading, fill=PALETTE.suppressed, edge=PALETTE.hatch,
                            width=0.3, hatch="/////", zorder=1.1, tooltips=tips(idx, [text] * len(idx)),
                            name="skyddad"))
    missing = ~present & ~hidden
    if missing.any():
        idx = np.flatnonzero(missing)
        out.append(Drawable("Uppgift saknas", "polygon", shown[idx], heading, fill=PALETTE.missing,
                            edge=PALETTE.edge, width=0.5, zorder=1.0, tooltips=tips(idx, ["uppgift saknas"] * len(idx)),
                            name="saknas"))
    return out, heading


def _subtitle(level: str, year: int, scheme: str) -> str:
    return f"Per {_LEVEL_WORDS[level]}, {year}"


def _suppressed_expr(table: pl.DataFrame, column: str) -> pl.Expr:
    if "suppressed" not in table.columns:
        return pl.lit(False)
    dtype = table["suppressed"].dtype
    if dtype == pl.Boolean:
        return pl.col("suppressed")
    if isinstance(dtype, pl.List):
        return pl.col("suppressed").list.contains(column).fill_null(False)
    return pl.lit(False)


def _rule_text(table: pl.DataFrame, column: str) -> str:
    """The legend's words for a withheld value, from the table's ``rule`` column."""
    rules = table["rule"].drop_nulls().unique().to_list() if "rule" in table.columns else []
    for r in rules:
        if isinstance(r, str) and r.startswith("threshold:"):
            n = r.split(":", 1)[1]
            return f"Uppgift skyddad (färre än {n} redovisas inte)"
        if r == "city_rounding":
            return "Uppgift skyddad (stadens avrundning)"
    return "Uppgift skyddad (röjandekontroll)"


def _water(city: City, bounds: tuple[float, float, float, float], tol: float) -> list[Drawable]:
    """The city's water layer over the areas (``[areas] water``), clipped to the map."""
    name = city.settings.water
    if name is None or name not in city.layers:
        return []
    key = ("maps:water", round(tol, 3), tuple(round(b) for b in bounds))
    if key not in city._derived:
        geoms = _geom.for_display(_geom.shapes(city.layer(name)), tol, bounds)
        city._derived[key] = geoms
    geoms = city._derived[key]
    return [Drawable("Vatten", "polygon", geoms, "Bakgrund", fill=PALETTE.water, edge=PALETTE.water_edge,
                     width=0.25, zorder=2.5, legend=False)]


def _nice(x: float) -> float:
    """A round number near ``x`` (1, 2, 2.5, 5 × 10ⁿ)."""
    if x <= 0:
        return 0.0
    e = math.floor(math.log10(x))
    for m in (1, 2, 2.5, 5, 10):
        if m * 10**e >= x:
            return m * 10**e
    return 10 ** (e + 1)
