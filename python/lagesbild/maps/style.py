r"""The look of every map: one palette, one set of symbols, Swedish numbers and words.

Static maps (:mod:`lagesbild.maps.static`) and interactive maps
(:mod:`lagesbild.maps.interactive`) take their colours, line styles and
symbols from here, so a flood zone or a preschool looks the same on paper
and on screen. Nothing here needs matplotlib.

Numbers are written the Swedish way: a decimal comma, and digits grouped by
three with a **narrow no-break space** (U+202F, as ISO 80000-1 and the SI
brochure recommend, and as Språkrådet accepts); it never breaks a number
across lines and DejaVu Sans, the font of every map, has it. Negative
numbers take the minus sign (U+2212).

Examples
--------
>>> from lagesbild.maps.style import format_number
>>> format_number(12345.6, 1) == "12\u202f345,6"
True
>>> format_number(0.125, 2), format_number(-3, 0), format_number(None)
('0,13', '−3', '–')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from lagesbild._names import area_display_name
from lagesbild._numbers import GROUP, format_number

__all__ = [
    "GROUP",
    "Palette",
    "PALETTE",
    "SECTOR_SYMBOLS",
    "area_display_name",
    "flood_colours",
    "format_number",
    "format_range",
    "label_first_clause",
    "sector_symbol",
]

def format_range(low: float, high: float, decimals: int = 0) -> str:
    """A class of a legend: ``"12 345 – 23 456"`` (numbers as :func:`format_number`).

    Examples
    --------
    >>> from lagesbild.maps.style import format_range
    >>> format_range(0.1, 2.25, 1)
    '0,1 – 2,3'
    """
    return f"{format_number(low, decimals)} – {format_number(high, decimals)}"


def decimals_for(values: Sequence[float]) -> int:
    """How many decimals a legend needs so its class edges read apart (0 to 3).

    Examples
    --------
    >>> from lagesbild.maps.style import decimals_for
    >>> decimals_for([1200.0, 5400.0]), decimals_for([0.12, 0.31]), decimals_for([1.5, 2.7])
    (0, 2, 1)
    """
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return 0
    span = max(finite) - min(finite) if len(finite) > 1 else abs(finite[0])
    for d in range(0, 3):
        if span * 10**d >= 10:
            return d
    return 3


def label_first_clause(label: str) -> str:
    """The part of a hazard's label a legend shows: up to the first colon.

    A city file's flood labels say what the level is and what it means
    (``"Land lägre än +1,5 m (RH 2000): Mälarens 100-årsnivå …"``); the
    legend shows the first part, a tooltip the whole.

    Examples
    --------
    >>> from lagesbild.maps.style import label_first_clause
    >>> label_first_clause("Land lägre än +1,5 m (RH 2000): Mälarens 100-årsnivå. Syntetisk terräng.")
    'Land lägre än +1,5 m (RH 2000)'
    """
    head = label.split(":", 1)[0].strip()
    return head.rstrip(".") or label


# -- colours --------------------------------------------------------------------------


@dataclass(frozen=True)
class Palette:
    """The colours every map uses (hex strings)."""

    land: str = "#f4f2ec"  # the areas' ground
    context: str = "#dcdcd8"  # neighbouring areas, greyed
    context_edge: str = "#b8b8b2"
    water: str = "#d5dee5"  # grey-blue, so the flood zones' blues stand out from it
    water_edge: str = "#aebcc7"
    edge: str = "#ffffff"  # boundaries between areas on a choropleth
    edge_dark: str = "#4a4a4a"  # the outline of the area a risk map is about
    text: str = "#222222"
    muted: str = "#666666"
    missing: str = "#e6e6e6"  # no value for the area
    suppressed: str = "#ffffff"  # hatched: withheld by the disclosure rule
    hatch: str = "#8a8a8a"
    internal: str = "#b2182b"  # the "intern" mark
    # Sequential classes of a choropleth (light to dark, ColorBrewer YlOrRd-like,
    # readable in grey and by the colour-blind).
    sequential: tuple[str, ...] = ("#ffffcc", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026", "#800026")
    # Flood zones, light (highest level, largest zone) to dark (lowest level, floods first).
    flood: tuple[str, ...] = ("#7cc4f4", "#4aa3e8", "#2b83d6", "#1764b8", "#0b4a99", "#08306b")
    # The zones of the risk-handling distance, nearest (A) darkest.
    zones: tuple[str, ...] = ("#7a0177", "#c51b8a", "#f768a1", "#fbb4b9")
    # Hotspot cells: hot, cold.
    hot: str = "#d7301f"
    cold: str = "#2b8cbe"


PALETTE = Palette()

#: Routes by class: (colour, line width in points, dash pattern or None).
ROUTE_STYLES: dict[str, tuple[str, float, tuple[float, float] | None]] = {
    "primär": ("#67001f", 2.2, None),
    "sekundär": ("#d6604d", 1.6, None),
    "järnväg": ("#252525", 1.6, (4.0, 2.0)),
}
_OTHER_ROUTES = (("#8c510a", 1.4, (2.0, 1.5)), ("#5e3c99", 1.4, (6.0, 2.0)), ("#01665e", 1.4, None))


def route_style(klass: str, order: Sequence[str] = ()) -> tuple[str, float, tuple[float, float] | None]:
    """Colour, width and dash of a route class (``primär``, ``sekundär``, ``järnväg``, or another)."""
    if klass in ROUTE_STYLES:
        return ROUTE_STYLES[klass]
    others = [c for c in order if c not in ROUTE_STYLES]
    i = others.index(klass) if klass in others else 0
    return _OTHER_ROUTES[i % len(_OTHER_ROUTES)]


def flood_colours(n: int) -> list[str]:
    """``n`` flood-zone colours, lowest level (floods first: darkest) first.

    Examples
    --------
    >>> from lagesbild.maps.style import flood_colours
    >>> flood_colours(3)
    ['#0b4a99', '#2b83d6', '#7cc4f4']
    """
    ramp = PALETTE.flood
    if n <= 0:
        return []
    if n == 1:
        return [ramp[3]]
    # Evenly spread over the ramp's first five colours, dark first.
    picks = [round(i * 4 / (n - 1)) for i in range(n)] if n <= 5 else list(range(n))
    return [ramp[min(4, len(ramp) - 1) - p] if n <= 5 else ramp[::-1][p % len(ramp)] for p in picks]


def zone_colours(n: int) -> list[str]:
    """``n`` colours for the zones of a risk-handling distance, nearest first."""
    return [PALETTE.zones[min(i, len(PALETTE.zones) - 1)] for i in range(n)]


def sequential(k: int) -> list[str]:
    """``k`` classes of the choropleth ramp, light to dark.

    Examples
    --------
    >>> from lagesbild.maps.style import sequential
    >>> sequential(3)
    ['#ffffcc', '#fd8d3c', '#800026']
    """
    ramp = PALETTE.sequential
    if k <= 1:
        return [ramp[3]]
    return [ramp[round(i * (len(ramp) - 1) / (k - 1))] for i in range(k)]


# -- facilities ----------------------------------------------------------------------------

#: MSB's samhällssektorer: (matplotlib marker, colour, short Swedish name for legends).
#: Colours from the Okabe–Ito palette, told apart by the colour-blind; the shapes
#: tell them apart in grey.
SECTOR_SYMBOLS: dict[str, tuple[str, str, str]] = {
    "Hälso- och sjukvård samt omsorg": ("o", "#0072B2", "Vård och omsorg, skola"),
    "Energiförsörjning": ("^", "#E69F00", "Energi"),
    "Kommunalteknisk försörjning": ("s", "#009E73", "Vatten och avlopp"),
    "Information och kommunikation": ("D", "#CC79A7", "Information och kommunikation"),
    "Skydd och säkerhet": ("P", "#D55E00", "Skydd och säkerhet"),
    "Livsmedel": ("v", "#56B4E9", "Livsmedel"),
    "Transporter": ("h", "#000000", "Transporter"),
    "Offentlig förvaltning": ("p", "#999933", "Offentlig förvaltning"),
    "Handel och industri": ("*", "#882255", "Handel och industri"),
    "Finansiella tjänster": ("X", "#44AA99", "Finansiella tjänster"),
    "Socialförsäkringar": ("d", "#AA4499", "Socialförsäkringar"),
}
_OTHER_SYMBOLS = (("o", "#777777"), ("s", "#555555"), ("^", "#333333"))

#: The same shapes for the browser (Bokeh's marker names).
BOKEH_MARKERS = {
    "o": "circle",
    "^": "triangle",
    "s": "square",
    "D": "diamond",
    "P": "plus",
    "v": "inverted_triangle",
    "h": "hex",
    "p": "star",
    "*": "star",
    "X": "x",
    "d": "diamond",
}


def sector_symbol(sector: str | None, order: Sequence[str] = ()) -> tuple[str, str, str]:
    """Marker, colour and legend name of a sector (MSB's, or another by its order).

    Examples
    --------
    >>> from lagesbild.maps.style import sector_symbol
    >>> sector_symbol("Energiförsörjning")
    ('^', '#E69F00', 'Energi')
    """
    if sector in SECTOR_SYMBOLS:
        return SECTOR_SYMBOLS[sector]
    name = sector or "Okänd sektor"
    others = [s for s in order if s not in SECTOR_SYMBOLS]
    i = others.index(sector) if sector in others else 0
    marker, colour = _OTHER_SYMBOLS[i % len(_OTHER_SYMBOLS)]
    return marker, colour, name
