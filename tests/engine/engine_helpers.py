"""Layers and shapes shared by the engine tests.

The hand-worked tests (test_assign.py, test_sjoin.py, test_overlay.py,
test_distance.py, test_construct.py) compute every expected value on paper:
boxes, right triangles, circles of known polygonal area. A test fails on any
wrong answer, not only on a disagreement with another library.
"""

from __future__ import annotations

import lagesbild as lb
import polars as pl
import shapely
from shapely.geometry import Polygon, box


def layer(geoms: list, crs: int = 3011, layer_name: str | None = None, **cols: list) -> lb.Layer:
    """A layer of shapely geometries (None for a null geometry) with attribute columns."""
    df = pl.DataFrame(
        {**cols, "geometry": [None if g is None else shapely.to_wkb(g) for g in geoms]},
        schema_overrides={"geometry": pl.Binary},
    )
    return lb.Layer.from_polars(df, crs=crs, name=layer_name)


def xy(points: list[tuple[float, float]]) -> pl.DataFrame:
    return pl.DataFrame({"x": [float(p[0]) for p in points], "y": [float(p[1]) for p in points]})


# Two unit-free neighbours sharing the edge x = 10, and a third area far off.
WEST, EAST = box(0, 0, 10, 10), box(10, 0, 20, 10)
DONUT = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(3, 3), (7, 3), (7, 7), (3, 7)]])


def reversed_rings(p: Polygon) -> Polygon:
    """The same polygon with every ring walked the other way (clockwise shell)."""
    return Polygon(list(p.exterior.coords)[::-1], [list(r.coords)[::-1] for r in p.interiors])
