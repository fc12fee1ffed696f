"""Geometries for drawing: a Layer's features as shapely objects, clipped and simplified for the page.

Drawing is the edge of the package, like ``to_geopandas``: the geometries
leave the Rust core once, as WKB, and are simplified to what the page or
screen can show (:func:`for_display`). Nothing here is used to compute a
result.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator

import numpy as np
import polars as pl
import shapely

from lagesbild.layer import Layer

Bounds = tuple[float, float, float, float]


#: The shapes of the last few layers decoded, by their (immutable) geometry column: the
#: city's zones, routes, water and areas are decoded once for all the maps drawn of it.
_SHAPES: OrderedDict[int, tuple[object, np.ndarray]] = OrderedDict()
_SHAPES_KEPT = 16


def shapes(layer: Layer) -> np.ndarray:
    """The layer's geometries as a read-only numpy array of shapely objects (``None`` where null)."""
    inner = layer._inner
    hit = _SHAPES.get(id(inner))
    if hit is not None and hit[0] is inner:
        _SHAPES.move_to_end(id(inner))
        return hit[1]
    if len(layer) == 0:
        out = np.array([], dtype=object)
    else:
        df = layer.with_attributes(pl.DataFrame()).to_polars(name="geometry")
        out = shapely.from_wkb(df["geometry"].to_numpy())
    out.flags.writeable = False
    # The layer's geometry is kept with its shapes, so its id cannot be reused while they are cached.
    _SHAPES[id(inner)] = (inner, out)
    while len(_SHAPES) > _SHAPES_KEPT:
        _SHAPES.popitem(last=False)
    return out


def union_bounds(geoms: Iterable[shapely.Geometry | None]) -> Bounds | None:
    """The bounds of all the geometries together (``None`` when there are none)."""
    arr = np.array([g for g in geoms if g is not None and not g.is_empty], dtype=object)
    if len(arr) == 0:
        return None
    b = shapely.bounds(arr)
    return float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())


def padded(bounds: Bounds, share: float = 0.03) -> Bounds:
    """Bounds grown by ``share`` of their larger side on every side."""
    x0, y0, x1, y1 = bounds
    pad = share * max(x1 - x0, y1 - y0, 1.0)
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


def for_display(geoms: np.ndarray, tolerance: float, clip: Bounds | None = None) -> np.ndarray:
    """Clipped to ``clip`` (when given) and simplified by ``tolerance`` metres, topology kept.

    ``tolerance`` is about half a pixel of the output, so the simplification
    cannot be seen.
    """
    if len(geoms) == 0:
        return geoms
    out = geoms
    if clip is not None:
        box = shapely.box(*clip)
        inside = shapely.intersects(out, box)
        out = np.where(inside, out, None)
        # Only what crosses the box's edge needs cutting.
        cut = inside & ~shapely.contains_properly(box, out)
        if cut.any():
            out = out.copy()
            out[cut] = shapely.clip_by_rect(out[cut], *clip)
    if tolerance > 0:
        out = shapely.simplify(out, tolerance, preserve_topology=True)
    return out


def polygon_parts(geom: shapely.Geometry | None) -> Iterator[shapely.Polygon]:
    """The polygons of a Polygon, MultiPolygon or collection (nothing for other types)."""
    if geom is None or geom.is_empty:
        return
    if isinstance(geom, shapely.Polygon):
        yield geom
    elif isinstance(geom, shapely.MultiPolygon | shapely.GeometryCollection):
        for part in geom.geoms:
            yield from polygon_parts(part)


def line_parts(geom: shapely.Geometry | None) -> Iterator[np.ndarray]:
    """The coordinate arrays of every line (and ring of every polygon) of a geometry."""
    if geom is None or geom.is_empty:
        return
    if isinstance(geom, shapely.LineString | shapely.LinearRing):
        yield np.asarray(geom.coords)[:, :2]
    elif isinstance(geom, shapely.Polygon):
        yield np.asarray(geom.exterior.coords)[:, :2]
        for ring in geom.interiors:
            yield np.asarray(ring.coords)[:, :2]
    elif hasattr(geom, "geoms"):
        for part in geom.geoms:
            yield from line_parts(part)


def label_point(geom: shapely.Geometry | None) -> tuple[float, float, float] | None:
    """Where a label goes inside an area, and how much room it has there.

    The pole of inaccessibility of the area's largest part (the point
    furthest from its edges) and that distance in metres, so a label sits
    inside even a crescent-shaped area.
    """
    parts = list(polygon_parts(geom))
    if not parts:
        return None
    largest = max(parts, key=lambda p: p.area)
    tolerance = max(1.0, np.sqrt(largest.area) / 200)
    circle = shapely.maximum_inscribed_circle(largest, tolerance)
    centre = shapely.get_point(circle, 0)
    return float(centre.x), float(centre.y), float(circle.length)
