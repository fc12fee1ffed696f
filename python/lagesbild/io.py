"""Reading files into layers and tables."""

from __future__ import annotations

import os

import polars as pl

from lagesbild import _lagesbild, _wire
from lagesbild._lagesbild import Crs
from lagesbild.layer import Layer

__all__ = ["read", "read_table", "list_layers"]

PathLike = str | os.PathLike[str]


def read(
    path: PathLike,
    *,
    layer: str | None = None,
    crs: int | str | Crs | None = None,
    x: str | None = None,
    y: str | None = None,
    lon: str | None = None,
    lat: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    allow_empty: bool = False,
) -> Layer:
    """Read a file of features into a :class:`Layer`.

    The format follows the extension: ESRI Shapefile (``.shp`` with its
    ``.shx``, ``.dbf``, ``.prj`` and ``.cpg``), GeoJSON (``.geojson``,
    ``.json``), GeoPackage (``.gpkg``), GeoParquet (``.parquet``) and CSV
    points (``.csv``).

    Parameters
    ----------
    path
        The file.
    layer
        GeoPackage layer name. Needed when the file has several layers; the
        error lists them.
    crs
        The CRS: overrides what the file says, or supplies it when the file
        says nothing (a shapefile without ``.prj``, a CSV of projected
        coordinates). An EPSG code, ``"EPSG:3011"``, WKT or PROJJSON.
    x, y
        CSV: the columns of projected coordinates (give ``crs`` too).
    lon, lat
        CSV: the columns of longitude and latitude (WGS 84 unless ``crs``
        says otherwise). Without ``x``/``y``/``lon``/``lat``, columns called
        ``lon``/``lat``, ``longitude``/``latitude`` or ``x``/``y`` are used.
    sep
        CSV field separator (default: detected from the header among
        ``;``, ``,`` and tab).
    decimal
        CSV decimal mark (default: ``","`` when the separator is ``;``).
    encoding
        CSV text encoding, ``"utf-8"`` or ``"windows-1252"`` (default:
        UTF-8, or Windows-1252 when the bytes are not UTF-8).
    allow_empty
        Return an empty layer for a file without features instead of
        raising :class:`EmptyLayerError`.

    Returns
    -------
    Layer

    Raises
    ------
    FileNotFoundError
        If the file (or a shapefile's ``.shx``/``.dbf``) is missing; the
        former is also a builtin :class:`FileNotFoundError`.
    FormatError
        If the file is damaged; the message names the file and the feature.
    CrsError
        If the file's CRS is missing or unknown and ``crs`` is not given.
    ColumnNotFoundError
        If a named coordinate column is missing.
    EmptyLayerError
        If the file has no features (unless ``allow_empty``).

    Examples
    --------
    >>> stadsdelar = lb.read("data/fixtures/stadsdelar_sample.geojson")  # doctest: +SKIP
    >>> stadsdelar.crs.epsg  # doctest: +SKIP
    4326
    """
    inner, attributes = _lagesbild.read(
        os.fspath(path),
        layer=layer,
        crs=None if crs is None else Crs(crs),
        x=x,
        y=y,
        lon=lon,
        lat=lat,
        sep=sep,
        decimal=decimal,
        encoding=encoding,
        allow_empty=allow_empty,
    )
    return Layer(inner, _wire.frame(attributes))


def read_table(
    path: PathLike,
    *,
    sheet: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
) -> pl.DataFrame:
    r"""Read a table without geometry from CSV or an Excel workbook (``.xlsx``).

    Survey results and risk registers often arrive so: ``;``-separated
    with decimal commas in Windows-1252, or as a sheet of a workbook.

    Parameters
    ----------
    path
        The file.
    sheet
        Excel: the sheet's name (default: the first sheet); the error lists
        the sheets.
    sep, decimal, encoding
        CSV options, as for :func:`read`.

    Returns
    -------
    polars.DataFrame

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "enkät.csv"
    >>> _ = p.write_bytes("område;andel_oroliga;svarande\nVÅRBERG;0,31;412\n".encode("cp1252"))
    >>> lb.read_table(p)
    shape: (1, 3)
    ┌─────────┬───────────────┬──────────┐
    │ område  ┆ andel_oroliga ┆ svarande │
    │ ---     ┆ ---           ┆ ---      │
    │ str     ┆ f64           ┆ i64      │
    ╞═════════╪═══════════════╪══════════╡
    │ VÅRBERG ┆ 0.31          ┆ 412      │
    └─────────┴───────────────┴──────────┘
    """
    data = _lagesbild.read_table(os.fspath(path), sheet=sheet, sep=sep, decimal=decimal, encoding=encoding)
    return _wire.frame(data)


def list_layers(path: PathLike) -> list[str]:
    """The feature layers of a GeoPackage, sorted by name."""
    return _lagesbild.list_layers(os.fspath(path))
