"""lagesbild: geospatial analysis for municipal safety and risk planning.

Read the files municipal data arrives in, hold them as a :class:`Layer`
(geometries in one CRS plus a polars DataFrame of attributes), measure in
metres and hand results on as polars frames, GeoPackage or GeoParquet.

Examples
--------
>>> import lagesbild as lb
>>> lb.Crs(3011)
Crs(EPSG:3011, SWEREF99 18 00)
"""

from lagesbild._lagesbild import Crs, __version__
from lagesbild.exceptions import (
    ColumnNotFoundError,
    CrsError,
    EmptyLayerError,
    FileNotFoundError,
    FormatError,
    InvalidArgumentError,
    InvalidGeometryError,
    LagesbildError,
)
from lagesbild.engine import (
    assign,
    buffer,
    dissolve,
    length_within,
    nearest,
    overlay,
    overlay_area,
    set_threads,
    sjoin,
    threads,
    within_distance,
)
from lagesbild.io import list_layers, read, read_table
from lagesbild.layer import Layer

__all__ = [
    "ColumnNotFoundError",
    "Crs",
    "CrsError",
    "EmptyLayerError",
    "FileNotFoundError",
    "FormatError",
    "InvalidArgumentError",
    "InvalidGeometryError",
    "LagesbildError",
    "Layer",
    "__version__",
    "assign",
    "buffer",
    "dissolve",
    "length_within",
    "nearest",
    "overlay",
    "overlay_area",
    "set_threads",
    "sjoin",
    "threads",
    "within_distance",
    "list_layers",
    "read",
    "read_table",
]
