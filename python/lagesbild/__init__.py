"""lagesbild: geospatial analysis for municipal safety and risk planning.

Read the files municipal data arrives in, hold them as a :class:`Layer`
(geometries in one CRS plus a polars DataFrame of attributes), measure in
metres and hand results on as polars frames, GeoPackage or GeoParquet. A
:class:`City` holds one municipality's layers and tables with its areas'
organisation over time (:func:`demo` is the bundled one).

Examples
--------
>>> import lagesbild as lb
>>> lb.Crs(3011)
Crs(EPSG:3011, SWEREF99 18 00)
"""

from lagesbild import config as config  # the configuration file's format, as lb.config
from lagesbild import disclosure as disclosure  # the disclosure rule, as lb.disclosure
from lagesbild._lagesbild import Crs, __version__
from lagesbild.analysis import hotspots, incidents, risk_matrix, survey
from lagesbild.city import City, demo
from lagesbild.engine import (
    area_topology,
    assign,
    boundary,
    buffer,
    dissolve,
    grid_hotspots,
    length_within,
    nearest,
    overlay,
    overlay_area,
    set_threads,
    sjoin,
    threads,
    within_distance,
)
from lagesbild.exceptions import (
    ColumnNotFoundError,
    ConfigError,
    ConfigProblem,
    CrsError,
    EmptyLayerError,
    FileNotFoundError,
    FormatError,
    InvalidArgumentError,
    InvalidGeometryError,
    LagesbildError,
)
from lagesbild.io import list_layers, read, read_table
from lagesbild.layer import Layer
from lagesbild.report import Report, lagesbild

__all__ = [
    "City",
    "ColumnNotFoundError",
    "ConfigError",
    "ConfigProblem",
    "Crs",
    "CrsError",
    "EmptyLayerError",
    "FileNotFoundError",
    "FormatError",
    "InvalidArgumentError",
    "InvalidGeometryError",
    "LagesbildError",
    "Layer",
    "Report",
    "__version__",
    "area_topology",
    "assign",
    "boundary",
    "buffer",
    "demo",
    "dissolve",
    "grid_hotspots",
    "hotspots",
    "incidents",
    "lagesbild",
    "length_within",
    "list_layers",
    "nearest",
    "overlay",
    "overlay_area",
    "read",
    "read_table",
    "risk_matrix",
    "set_threads",
    "sjoin",
    "survey",
    "threads",
    "within_distance",
]
