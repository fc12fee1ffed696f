"""Hotspots of the city's incidents: Getis–Ord Gi* on a grid of land cells, with an FDR correction.

The method (computed in the Rust core, :func:`lagesbild.grid_hotspots`):

1. A regular grid of square cells (``cell`` metres, edges on multiples of
   the cell size) over the city. The **study area** is the cells whose
   centre lies in a stadsdel and not in the water (``[areas] water``):
   a cell in the water or outside the city cannot hold an incident, and
   counting it as a zero would make all land look hot.
2. The incidents of the theme in the period, counted per cell.
3. Gi* (Getis & Ord 1992; Ord & Getis 1995) of each study cell with binary
   queen-contiguity weights including the cell itself, over study cells
   only — ``esda.G_Local(counts, w, transform="B", star=True)``; the
   p-value is two-sided from the normal approximation.
4. The p-values adjusted for the false discovery rate over all study cells
   (Benjamini & Hochberg 1995): a cell is a **hotspot** where ``q < alpha``
   and ``z > 0``, a **coldspot** where ``q < alpha`` and ``z < 0``.

Examples
--------
>>> from lagesbild.analysis.hotspots import gi_bin
>>> gi_bin(3.1, 0.004), gi_bin(-2.0, 0.04), gi_bin(1.0, 0.3)
(3, -2, 0)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl

from lagesbild.analysis.incidents import _incident_points, _like_periods, _period, _span, _themes
from lagesbild.disclosure import disclose, rule_name
from lagesbild.engine import grid_hotspots
from lagesbild.exceptions import InvalidArgumentError
from lagesbild.layer import Layer

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["gi_bin", "hotspots"]


def gi_bin(z: float | None, q: float | None) -> int:
    """The confidence bin of a cell, as ArcGIS's Gi_Bin but on the FDR-adjusted ``q``.

    ±3 for ``q < 0.01``, ±2 for ``q < 0.05``, ±1 for ``q < 0.10``, 0
    otherwise; the sign is the sign of ``z``.
    """
    if z is None or q is None or z != z:
        return 0
    level = 3 if q < 0.01 else 2 if q < 0.05 else 1 if q < 0.10 else 0
    return level if z > 0 else -level


def hotspots(
    city: City,
    year: int,
    theme: str,
    period: Sequence[dt.date] | None = None,
    cell: float = 100.0,
    *,
    alpha: float = 0.05,
    mode: str = "open",
) -> Layer:
    """Hot and cold spots of one theme's incidents in the period, as a layer of grid cells.

    Parameters
    ----------
    city
        A city with ``[incidents]`` (points) and ``[themes.NAME]``; its
        water (``[areas] water``), where it has one, is not study area.
    year
        The report year (the default period is the twelve months to 31
        August of it).
    theme
        A configured theme (``"olyckor"``, ``"brott"``, ``"hot_och_vald"``).
    period
        ``(start, end)`` dates, inclusive.
    cell
        The side of a cell in metres (100 m by default).
    alpha
        The false discovery rate of the ``class`` column.
    mode
        ``"open"``: cell counts pass the disclosure rule (the z-scores and
        classes are published; they describe neighbourhoods of nine cells);
        ``"internal"``: nothing is withheld.

    Returns
    -------
    Layer
        One square per study cell (in grid order) with ``cell``, ``x``,
        ``y`` (its centre, metres), ``count`` (incidents; null where
        withheld), ``z`` (Gi*; null where undefined), ``p`` (two-sided),
        ``q`` (Benjamini–Hochberg), ``gi_bin`` (−3 … 3, see
        :func:`gi_bin`), ``class`` (``"hot"``, ``"cold"`` or ``"none"`` at
        ``alpha``), ``theme``, ``period_start``, ``period_end``,
        ``suppressed`` and ``rule``. Draw it with the maps.

    Raises
    ------
    InvalidArgumentError
        An unknown theme, a period outside the data.

    Examples
    --------
    The demo city's brott (property crime against the city) in the twelve
    months to 31 August 2025; its hottest cell lies in Skärholmen's centre:

    >>> city = lb.demo()
    >>> cells = hotspots(city, 2025, "brott")
    >>> hottest = cells.attributes.sort("z", descending=True).head(1)
    >>> lb.assign(hottest, city.areas, key="sdel_namn").to_list(), hottest["class"].to_list()
    (['SKÄRHOLMEN'], ['hot'])
    """
    if not 0 < alpha < 1:
        msg = f"hotspots: alpha must be between 0 and 1, not {alpha!r}"
        raise InvalidArgumentError(msg)
    from lagesbild.analysis.areas import check_args

    year, _, mode = check_args("hotspots", year, "city", mode)
    period = _period("hotspots", year, period)
    chosen = _themes(city, [theme], "hotspots")
    cfg = city.settings.incidents
    points = _incident_points(city, chosen)
    if cfg is None or points is None:
        msg = f"hotspots: {city.name} has no [incidents] point layer"
        raise InvalidArgumentError(msg)
    _like_periods(period, {"händelser": _span(points.drop_nulls("date"), False)}, "hotspots")
    layer = city.layer(cfg.layer)
    mask = ((points["theme"] == theme) & points["date"].is_between(*period)).fill_null(False)
    chosen_points = layer.filter(mask)
    water = city.layer(city.settings.water) if city.settings.water else None
    assert city.areas is not None
    cells = grid_hotspots(chosen_points, city.areas, cell, water=water)
    a = cells.attributes.with_columns(
        pl.Series("gi_bin", [gi_bin(z, q) for z, q in zip(cells["z"], cells["q"], strict=True)], dtype=pl.Int64),
        pl.when((pl.col("q") < alpha) & (pl.col("z") > 0))
        .then(pl.lit("hot"))
        .when((pl.col("q") < alpha) & (pl.col("z") < 0))
        .then(pl.lit("cold"))
        .otherwise(pl.lit("none"))
        .alias("class"),
        pl.lit(theme).alias("theme"),
        pl.lit(period[0]).alias("period_start"),
        pl.lit(period[1]).alias("period_end"),
    )
    rule = city.settings.suppression
    published = disclose(
        a.with_columns(pl.lit("antal").alias("measure"), pl.col("count").cast(pl.Float64).alias("value")),
        counts=["antal"],
        rule=rule,
        mode=mode,
        groups=["theme"],
    )
    out = a.with_columns(
        published["value"].cast(pl.Int64).alias("count"),
        published["suppressed"],
        pl.lit(rule_name(rule, mode)).alias("rule"),
    )
    return cells.with_attributes(out)
