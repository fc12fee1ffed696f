"""Maps: area risk maps and choropleths to print, interactive maps that work offline.

- :func:`choropleth`: any per-area column, classed (quantiles, natural
  breaks, equal intervals), with area names, water, scale bar, north
  arrow, a legend in Swedish and the source in the footer;
- :func:`risk_map`: one stadsdelsområde with its neighbours greyed, its
  hazards and its facilities at risk numbered against a table, on A4 or A3
  in portrait or landscape, as PNG (300 dpi), SVG or PDF;
- :func:`explore`: the same layers as a web map in one HTML file, with
  toggleable layers and tooltips, that needs no network;
- :mod:`~lagesbild.maps.overlays`: flood zones, dangerous-goods routes and
  their zones, facilities by sector, hotspot cells.

Every map has an **open** mode (the default, for anything published:
facilities marked protected are counted per area, never drawn or named)
and an **internal** one (draws them and says "INTERN" on the map).

The plotting libraries (matplotlib, mapclassify, Bokeh, shapely) are the
optional extra ``lagesbild[maps]``: ``import lagesbild`` works without
them, and importing this module says what to install.
"""

from __future__ import annotations

from lagesbild._extras import MAPS_EXTRA, missing

_MISSING = missing(MAPS_EXTRA)
if _MISSING:
    raise ImportError(
        f"lagesbild.maps needs {', '.join(_MISSING)}: install the maps extra with pip install 'lagesbild[maps]'",
        name=_MISSING[0],
    )

from lagesbild.maps import overlays  # noqa: E402
from lagesbild.maps.interactive import InteractiveMap, explore  # noqa: E402
from lagesbild.maps.risk_map import risk_map  # noqa: E402
from lagesbild.maps.static import Map, choropleth  # noqa: E402
from lagesbild.maps.style import format_number  # noqa: E402

__all__ = ["InteractiveMap", "Map", "choropleth", "explore", "format_number", "overlays", "risk_map"]
