"""Build the reader test corpus: files written by other software, plus damaged ones.

The corpus is what ``lagesbild`` is tested against: GeoPackage, GeoParquet,
shapefile, GeoJSON, CSV and Excel files written by GDAL (through pyogrio and
geopandas), by DuckDB's spatial extension, by pyarrow (Parquet's own GEOMETRY
and GEOGRAPHY types), by pandas and by openpyxl, and a set of hand-made
broken files. Next to the files it writes ``manifest.json``,
which says what each good file must read as (feature count, EPSG code, column
names and types, every attribute value, geometry types) and where each broken
file is.

The output is deterministic: the same library versions write the same bytes
(GeoPackage timestamps, DBF header dates and xlsx zip times are pinned).

    python tests/corpus/make_corpus.py [OUT_DIR] [STOCKHOLM_DIR]

writes to ``tests/corpus/generated/`` (ignored by git) by default;
``make_corpus.py --parquet-native data/fixtures/issue-16`` writes only the
Parquet GEOMETRY/GEOGRAPHY files, committed there for the Rust tests. The test
suite builds its own copy in a temporary directory (``corpus`` fixture in
``tests/conftest.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import sqlite3
import sys
import warnings
from pathlib import Path
from typing import Any

# The byte-level helpers shared with data/fixtures/make_fixtures.py.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from fixturefiles import PINNED_TIME, normalize_xlsx, pin_dbf_date, set_dbf_ldid  # noqa: E402

# GeoPackage writers stamp the current time into gpkg_contents; pin it so that
# the corpus is byte-for-byte reproducible. Must be set before GDAL is loaded.
os.environ.setdefault("OGR_CURRENT_DATE", PINNED_TIME)

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyogrio  # noqa: E402
import shapely  # noqa: E402
from shapely.geometry import (  # noqa: E402
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)

pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": PINNED_TIME})

MANIFEST = "manifest.json"

# ---------------------------------------------------------------------------
# Base data: seven features in SWEREF 99 18 00 (EPSG:3011), one per geometry
# type, plus an eighth with no geometry. Coordinates have many significant
# digits so that a lossy reader shows.
# ---------------------------------------------------------------------------

GEOMETRY_TYPES = [
    "Point",
    "LineString",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
]


def _square(x0: float, y0: float, size: float, *, clockwise: bool = False) -> list[tuple[float, float]]:
    ring = [(x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size), (x0, y0)]
    return ring[::-1] if clockwise else ring


def base_geometries() -> list[Any]:
    """One geometry of each type (EPSG:3011), in GEOMETRY_TYPES order."""
    return [
        Point(153456.789012, 6581234.567891),
        LineString([(150000.125, 6580000.5), (151000.5, 6581000.25), (152345.678, 6580500.0)]),
        Polygon(
            _square(154000.0, 6578000.0, 1000.0),
            [_square(154400.0, 6578400.0, 200.25, clockwise=True)],
        ),
        MultiPoint([(156000.5, 6582000.5), (156100.25, 6582100.75), (156200.0, 6582200.0)]),
        MultiLineString(
            [
                [(157000.0, 6583000.0), (157500.5, 6583500.5)],
                [(157600.0, 6583400.0), (158000.0, 6583000.5), (158200.0, 6583100.0)],
            ]
        ),
        MultiPolygon(
            [
                Polygon(_square(160000.0, 6585000.0, 500.0), [_square(160100.0, 6585100.0, 100.0, clockwise=True)]),
                Polygon([(161000.0, 6585000.0), (161400.0, 6585000.0), (161200.0, 6585300.5), (161000.0, 6585000.0)]),
            ]
        ),
        GeometryCollection(
            [
                Point(159000.0, 6584000.0),
                LineString([(159000.0, 6584000.0), (159500.0, 6584500.0)]),
            ]
        ),
    ]


# Attribute values for the eight base features (the eighth has no geometry).
NAMN = ["Södermalm", "Årsta", "Östermalm", "Kungsholmen", "Gärdet", "Vårberg", "Älvsjö", "Hägersten"]
ANTAL = [0, -3, 42, 2**40, None, 7, 1, 12]
ANDEL = [0.1, -2.5, 1e-9, 12345.678901, None, 3.0, 0.5, 987654.25]
DATUM = [
    dt.date(2021, 4, 13),
    dt.date(1999, 12, 31),
    dt.date(2024, 2, 29),
    None,
    dt.date(1970, 1, 1),
    dt.date(1900, 1, 1),
    dt.date(2038, 1, 20),
    dt.date(2000, 1, 1),
]
AKTIV = [True, False, None, True, False, True, False, True]
KOMMENTAR = ["a;b", None, "", "radbrytning\nhär", 'citat "x"', "€ 5", "tab\there", "ok"]
TIDPUNKT = [
    dt.datetime(2021, 4, 13, 12, 30, 0),
    dt.datetime(1999, 12, 31, 23, 59, 59),
    None,
    dt.datetime(2024, 2, 29, 0, 0, 1),
    dt.datetime(1970, 1, 1, 0, 0, 0),
    dt.datetime(2000, 6, 15, 6, 0, 0),
    dt.datetime(2038, 1, 19, 3, 14, 7),
    dt.datetime(2010, 10, 10, 10, 10, 10),
]

BASE_DTYPES = {
    "namn": "str",
    "antal": "int",
    "andel": "float",
    "datum": "date",
    "aktiv": "bool",
    "kommentar": "str",
}


# GeoJSON has no date type: a reader may keep dates as the ISO text they are.
GEOJSON_DTYPES = {**BASE_DTYPES, "datum": "text_or_date"}


def base_frame(n: int = 8, *, with_null_geometry: bool = True) -> gpd.GeoDataFrame:
    geoms: list[Any] = base_geometries() + [None]
    df = gpd.GeoDataFrame(
        {
            "namn": pd.array(NAMN[:n], dtype="string"),
            "antal": pd.array(ANTAL[:n], dtype="Int64"),
            "andel": pd.array(ANDEL[:n], dtype="Float64"),
            "datum": pd.array(DATUM[:n], dtype=object),
            "aktiv": pd.array(AKTIV[:n], dtype="boolean"),
            "kommentar": pd.array(KOMMENTAR[:n], dtype="string"),
        },
        geometry=geoms[:n],
        crs="EPSG:3011",
    )
    if not with_null_geometry:
        df = df[df.geometry.notna()].reset_index(drop=True)
    return df


def _jsonable(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (dt.datetime, pd.Timestamp)):
        if pd.isna(v):
            return None
        return v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if v is pd.NA or v is pd.NaT:
        return None
    return v


def _values(df: pd.DataFrame, columns: list[str]) -> dict[str, list[Any]]:
    return {c: [_jsonable(v) for v in df[c].tolist()] for c in columns}


def _geom_types(geoms: Any) -> list[str]:
    return sorted({g.geom_type for g in geoms if g is not None})


# ---------------------------------------------------------------------------
# Byte-level helpers that make the output reproducible.
# ---------------------------------------------------------------------------


def _write_shp(df: gpd.GeoDataFrame, path: Path, **kwargs: Any) -> None:
    pyogrio.write_dataframe(df, path, driver="ESRI Shapefile", use_arrow=True, **kwargs)
    pin_dbf_date(path.with_suffix(".dbf"))


def _duckdb_connection() -> Any:
    import duckdb
    import duckdb_extensions

    con = duckdb.connect()
    duckdb_extensions.import_extension("spatial", con=con)
    con.execute("LOAD spatial")
    return con


# ---------------------------------------------------------------------------
# The corpus.
# ---------------------------------------------------------------------------


class _Corpus:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.good: dict[str, dict[str, Any]] = {}
        self.bad: dict[str, dict[str, Any]] = {}
        self.empty: dict[str, dict[str, Any]] = {}

    def rel(self, path: Path) -> str:
        return path.relative_to(self.out).as_posix()

    def add_good(
        self,
        name: str,
        path: Path,
        df: pd.DataFrame,
        *,
        epsg: int | None,
        dtypes: dict[str, str],
        oracle: str | None,
        geometry: list[Any] | None = None,
        layer: str | None = None,
        read_kwargs: dict[str, Any] | None = None,
        oracle_kwargs: dict[str, Any] | None = None,
        writer: str,
        notes: str = "",
    ) -> None:
        columns = list(dtypes)
        geoms = geometry if geometry is not None else list(df.geometry)
        self.good[name] = {
            "file": self.rel(path),
            "layer": layer,
            "read_kwargs": read_kwargs or {},
            "oracle": oracle,
            "oracle_kwargs": oracle_kwargs or {},
            "writer": writer,
            "count": len(df),
            "epsg": epsg,
            "columns": columns,
            "dtypes": dtypes,
            "values": _values(df, columns),
            "geom_types": _geom_types(geoms),
            "null_geometries": [i for i, g in enumerate(geoms) if g is None],
            "notes": notes,
        }

    def add_bad(self, name: str, path: Path, **info: Any) -> None:
        self.bad[name] = {"file": self.rel(path), **info}


def _gpkg(c: _Corpus) -> None:
    d = c.out / "gpkg"
    d.mkdir()

    # Every geometry type plus a null geometry in one layer of type Geometry.
    df = base_frame()
    path = d / "alla_typer.gpkg"
    pyogrio.write_dataframe(df, path, layer="alla_typer", driver="GPKG", use_arrow=True)
    c.add_good("gpkg_alla_typer", path, df, epsg=3011, dtypes=BASE_DTYPES, oracle="pyogrio",
               layer="alla_typer", writer="GDAL GPKG (pyogrio, arrow)")

    # Three layers, three CRSs, three geometry families.
    path = d / "flerlager.gpkg"
    punkter = base_frame()
    punkter = punkter.set_geometry(
        [Point(674032.357 + 10.5 * i, 6580821.991 - 7.25 * i) for i in range(len(punkter))], crs="EPSG:3006"
    )
    pyogrio.write_dataframe(punkter, path, layer="punkter", driver="GPKG", use_arrow=True)
    c.add_good("gpkg_flerlager_punkter", path, punkter, epsg=3006, dtypes=BASE_DTYPES, oracle="pyogrio",
               layer="punkter", writer="GDAL GPKG (pyogrio, arrow)")

    vagar = gpd.GeoDataFrame(
        {
            "vag": pd.array(["Götgatan", "Ringvägen", "Essingeleden", None], dtype="string"),
            "hastighet": pd.array([30, 40, 70, None], dtype="Int64"),
        },
        geometry=[
            LineString([(18.0718741, 59.3133412), (18.0726309, 59.3101135)]),
            LineString([(18.0513, 59.3081), (18.0640, 59.3069), (18.0865, 59.3077)]),
            MultiLineString([[(18.0050, 59.3270), (18.0102, 59.3190)], [(18.0110, 59.3185), (18.0180, 59.3120)]]),
            LineString([(18.1, 59.3), (18.2, 59.4)]),
        ],
        crs="EPSG:4326",
    )
    pyogrio.write_dataframe(vagar, path, layer="vagar", driver="GPKG", append=True, use_arrow=True,
                            promote_to_multi=False, geometry_type="Unknown")
    c.add_good("gpkg_flerlager_vagar", path, vagar, epsg=4326, dtypes={"vag": "str", "hastighet": "int"},
               oracle="pyogrio", layer="vagar", writer="GDAL GPKG (pyogrio, arrow)")

    geoms = base_geometries()
    omraden = gpd.GeoDataFrame(
        {"omrade": pd.array(["Holmen", "Ön", "Ängen"], dtype="string"), "yta_ha": [99.96, 29.5, 6.01]},
        # A MultiPolygon layer: single polygons are stored as one-part multipolygons.
        geometry=[MultiPolygon([geoms[2]]), geoms[5], MultiPolygon([Polygon(_square(162000.0, 6586000.0, 245.0))])],
        crs="EPSG:3011",
    )
    pyogrio.write_dataframe(omraden, path, layer="omraden", driver="GPKG", append=True, use_arrow=True)
    c.add_good("gpkg_flerlager_omraden", path, omraden, epsg=3011, dtypes={"omrade": "str", "yta_ha": "float"},
               oracle="pyogrio", layer="omraden", writer="GDAL GPKG (pyogrio, arrow)")
    c.bad["gpkg_layer_choice"] = {"file": c.rel(path), "layers": ["punkter", "vagar", "omraden"]}

    # 3-D polygons and points (GPKG geometry blobs with Z).
    z = gpd.GeoDataFrame(
        {"namn": pd.array(["Höjd", "Dal"], dtype="string")},
        geometry=[Polygon([(152000.0, 6582000.0, 30.5), (152100.0, 6582000.0, 31.0), (152100.0, 6582100.0, 29.25),
                           (152000.0, 6582000.0, 30.5)]),
                  Polygon([(153000.0, 6583000.0, 1.0), (153050.0, 6583000.0, 1.0), (153000.0, 6583050.0, 2.0),
                           (153000.0, 6583000.0, 1.0)])],
        crs="EPSG:3011",
    )
    path = d / "hojd_z.gpkg"
    pyogrio.write_dataframe(z, path, layer="hojd", driver="GPKG", use_arrow=True)
    c.add_good("gpkg_z", path, z, epsg=3011, dtypes={"namn": "str"}, oracle="pyogrio", layer="hojd",
               writer="GDAL GPKG (pyogrio), PolygonZ", notes="3-D; compared in x and y")

    # A layer with no features.
    path = d / "tom.gpkg"
    pyogrio.write_dataframe(base_frame().iloc[:0], path, layer="tom", driver="GPKG", use_arrow=True,
                            geometry_type="Polygon")
    c.empty["gpkg"] = {"file": c.rel(path), "columns": list(BASE_DTYPES), "epsg": 3011}

    # DuckDB spatial through its own GDAL.
    con = _duckdb_connection()
    _duckdb_table(con)
    path = d / "duckdb.gpkg"
    con.execute(
        f"COPY (SELECT * EXCLUDE (tidpunkt) FROM t) TO '{path}' "
        "(FORMAT GDAL, DRIVER 'GPKG', SRS 'EPSG:3006', LAYER_NAME 'haendelser')"
    )
    df = _duckdb_expected(con, exclude=("tidpunkt",))
    c.add_good("gpkg_duckdb", path, df, epsg=3006,
               dtypes={k: v for k, v in DUCKDB_DTYPES.items() if k != "tidpunkt"},
               oracle="pyogrio", layer="haendelser", writer="DuckDB spatial COPY (FORMAT GDAL, DRIVER 'GPKG')")

    # SQLite database that is not a GeoPackage.
    path = d / "inte_gpkg.gpkg"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (a INTEGER, b TEXT)")
    db.execute("INSERT INTO t VALUES (1, 'x')")
    db.commit()
    db.close()
    c.add_bad("gpkg_not_geopackage", path)


# DuckDB table used for its GeoPackage, GeoParquet and shapefile output.
DUCKDB_DTYPES = {
    "id": "int",
    "namn": "str",
    "antal": "int",
    "vikt": "float",
    "datum": "date",
    "larm": "bool",
    "tidpunkt": "datetime",
}


def _duckdb_table(con: Any, *, lonlat: bool = False) -> None:
    rows = []
    geoms = base_geometries()[:6]
    names = ["Skärholmen", "Bromma", "Farsta", "Spånga", None, "Enskede-Årsta-Vantör"]
    for i, g in enumerate(geoms):
        if lonlat:
            from pyproj import Transformer

            tr = Transformer.from_crs(3011, 4326, always_xy=True)
            g = shapely.transform(g, lambda xy, tr=tr: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))
        antal = None if i == 3 else (i * 1000003 - 2)
        vikt = None if i == 1 else round(i * 2.75 - 1.125, 6)
        datum = None if i == 2 else (dt.date(2020, 1, 31) + dt.timedelta(days=37 * i)).isoformat()
        larm = None if i == 4 else (i % 2 == 0)
        tid = None if i == 5 else (dt.datetime(2023, 5, 1, 8, 0, 0) + dt.timedelta(hours=13 * i, seconds=i)).isoformat(sep=" ")
        rows.append((i, names[i], antal, vikt, datum, larm, tid, shapely.to_wkt(g, rounding_precision=-1)))
    con.execute("DROP TABLE IF EXISTS src")
    con.execute(
        "CREATE TABLE src (id INTEGER, namn VARCHAR, antal BIGINT, vikt DOUBLE, datum DATE, larm BOOLEAN, "
        "tidpunkt TIMESTAMP, wkt VARCHAR)"
    )
    con.executemany("INSERT INTO src VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    crs = "OGC:CRS84" if lonlat else "EPSG:3011"
    con.execute("DROP TABLE IF EXISTS t")
    if lonlat:
        con.execute("CREATE TABLE t AS SELECT * EXCLUDE (wkt), ST_GeomFromText(wkt) AS geom FROM src ORDER BY id")
    else:
        con.execute(
            f"CREATE TABLE t AS SELECT * EXCLUDE (wkt), ST_SetCRS(ST_GeomFromText(wkt), '{crs}') AS geom "
            "FROM src ORDER BY id"
        )


def _duckdb_expected(con: Any, exclude: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    rows = con.execute("SELECT * EXCLUDE (geom), ST_AsWKB(geom) FROM t ORDER BY id").fetchall()
    names = [d[0] for d in con.description][:-1]
    data = {n: [r[i] for r in rows] for i, n in enumerate(names) if n not in exclude}
    geoms = [shapely.from_wkb(bytes(r[-1])) for r in rows]
    return gpd.GeoDataFrame(pd.DataFrame(data), geometry=geoms)


def _parquet(c: _Corpus) -> None:
    d = c.out / "parquet"
    d.mkdir()

    # geopandas: GeoParquet 1.x, WKB, PROJJSON crs, every geometry type + null.
    df = base_frame().to_crs(3006)
    df["tidpunkt"] = pd.array(TIDPUNKT, dtype="datetime64[ms]")
    path = d / "alla_typer.parquet"
    df.to_parquet(path, index=False, schema_version="1.1.0", write_covering_bbox=False)
    c.add_good("parquet_geopandas", path, df, epsg=3006, dtypes={**BASE_DTYPES, "tidpunkt": "datetime"},
               oracle="parquet", writer="geopandas.to_parquet (GeoParquet 1.1.0, pyarrow)")

    # geopandas with a bbox covering column (GeoParquet 1.1 'covering').
    df2 = base_frame(with_null_geometry=False)
    path = d / "med_bbox.parquet"
    df2.to_parquet(path, index=False, schema_version="1.1.0", write_covering_bbox=True)
    c.add_good("parquet_geopandas_bbox", path, df2, epsg=3011, dtypes=BASE_DTYPES, oracle="parquet",
               writer="geopandas.to_parquet (write_covering_bbox=True)",
               notes="has an extra struct column 'bbox' declared as covering; it is not an attribute")

    # DuckDB: CRS set on the geometry type, written as PROJJSON.
    con = _duckdb_connection()
    _duckdb_table(con)
    path = d / "duckdb.parquet"
    con.execute(f"COPY t TO '{path}' (FORMAT PARQUET)")
    c.add_good("parquet_duckdb", path, _duckdb_expected(con), epsg=3011, dtypes=DUCKDB_DTYPES, oracle="parquet",
               writer="DuckDB spatial COPY (FORMAT PARQUET)")

    # DuckDB without a CRS: GeoParquet says a missing crs means OGC:CRS84.
    _duckdb_table(con, lonlat=True)
    path = d / "duckdb_utan_crs.parquet"
    con.execute(f"COPY t TO '{path}' (FORMAT PARQUET)")
    c.add_good("parquet_duckdb_no_crs", path, _duckdb_expected(con), epsg=4326, dtypes=DUCKDB_DTYPES,
               oracle="parquet", writer="DuckDB spatial COPY (FORMAT PARQUET), no CRS",
               notes="no 'crs' key in the geo metadata: OGC:CRS84 by the GeoParquet spec")

    # No features.
    path = d / "tom.parquet"
    base_frame().iloc[:0].to_parquet(path, index=False)
    c.empty["parquet"] = {"file": c.rel(path), "columns": list(BASE_DTYPES), "epsg": 3011}

    # A plain Parquet file with no geometry at all.
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = d / "utan_geometri.parquet"
    pq.write_table(pa.table({"a": [1, 2], "b": ["x", "y"]}), path)
    c.add_bad("parquet_no_geometry", path)


# ---------------------------------------------------------------------------
# Parquet's own GEOMETRY and GEOGRAPHY logical types (Parquet 2.11, GeoParquet
# 2.0). pyarrow writes them for columns of the geoarrow.wkb extension type,
# taking the CRS and edges from the type's metadata; geopandas for
# schema_version="2.0.0"; DuckDB with GEOPARQUET_VERSION 'V2', 'BOTH' or 'NONE'.
# ---------------------------------------------------------------------------


class _WkbType:
    """A minimal ``geoarrow.wkb`` extension type for pyarrow (as the Parquet test files are made).

    Built on first use, so that importing this module does not need pyarrow.
    """

    cls: Any = None

    @classmethod
    def make(cls, metadata: dict[str, Any]) -> Any:
        import pyarrow as pa

        if cls.cls is None:

            class WkbType(pa.ExtensionType):
                def __init__(self, serialized: bytes = b"{}") -> None:
                    self.serialized = serialized
                    super().__init__(pa.binary(), "geoarrow.wkb")

                def __arrow_ext_serialize__(self) -> bytes:
                    return self.serialized

                @classmethod
                def __arrow_ext_deserialize__(cls, storage_type: Any, serialized: bytes) -> Any:
                    return cls(serialized)

            cls.cls = WkbType
        return cls.cls(json.dumps(metadata).encode())


class geoarrow_wkb_registered:  # noqa: N801 - used as a context manager, like a function
    """Register ``geoarrow.wkb`` with pyarrow for the duration (unless something else has)."""

    def __enter__(self) -> None:
        import pyarrow as pa

        try:
            pa.register_extension_type(_WkbType.make({}))
            self.registered = True
        except pa.ArrowKeyError:
            self.registered = False

    def __exit__(self, *exc: object) -> None:
        import pyarrow as pa

        if self.registered:
            pa.unregister_extension_type("geoarrow.wkb")


def _write_geoarrow(df: gpd.GeoDataFrame, path: Path, metadata: dict[str, Any], *,
                    key_values: dict[str, str] | None = None, **kwargs: Any) -> None:
    """Write ``df`` with pyarrow, its geometry as a geoarrow.wkb column: Parquet GEOMETRY or GEOGRAPHY.

    ``metadata`` is the extension type's (``crs``, ``edges``); ``key_values``
    are added to the file's key-value metadata. No ``geo`` key is written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    attrs = pa.Table.from_pandas(pd.DataFrame(df.drop(columns=df.geometry.name)), preserve_index=False)
    wkb = pa.array([None if g is None else shapely.to_wkb(g) for g in df.geometry], pa.binary())
    with geoarrow_wkb_registered():
        table = attrs.append_column("geometry", pa.ExtensionArray.from_storage(_WkbType.make(metadata), wkb))
        table = table.replace_schema_metadata({**(attrs.schema.metadata or {}), **(key_values or {})})
        pq.write_table(table, path, **kwargs)
    kind = pq.read_metadata(path).schema.column(table.schema.get_field_index("geometry")).logical_type.type
    assert kind == ("GEOGRAPHY" if metadata.get("edges") else "GEOMETRY"), kind


def _lonlat(geoms: list[Any]) -> list[Any]:
    """Geometries in EPSG:3011 transformed to longitude/latitude."""
    from pyproj import Transformer

    tr = Transformer.from_crs(3011, 4326, always_xy=True)
    return [None if g is None else shapely.transform(g, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))
            for g in geoms]


def _native_crs_damage(path: Path, crs: bytes) -> None:
    """Damage the length of the GEOMETRY type's CRS string so that it runs past the footer."""
    data = bytearray(path.read_bytes())
    footer_len = int.from_bytes(data[-8:-4], "little")
    at = data.index(bytes([len(crs)]) + crs, len(data) - 8 - footer_len)
    # 0xff followed by the string's first byte is a varint of at least 14 000.
    data[at] = 0xFF
    assert footer_len < 14_000
    path.write_bytes(bytes(data))


def _parquet_native(c: _Corpus) -> None:
    from pyproj import CRS

    d = c.out / "parquet2"
    d.mkdir()
    sweref_18_00 = CRS.from_epsg(3011).to_json_dict()
    writer = "pyarrow (geoarrow.wkb column)"

    # geopandas, GeoParquet 2.0.0: GEOMETRY with a PROJJSON crs, and the geo metadata.
    df = base_frame().to_crs(3006)
    df["tidpunkt"] = pd.array(TIDPUNKT, dtype="datetime64[ms]")
    path = d / "geopandas_v2.parquet"
    df.to_parquet(path, index=False, schema_version="2.0.0")
    c.add_good("parquet2_geopandas", path, df, epsg=3006, dtypes={**BASE_DTYPES, "tidpunkt": "datetime"},
               oracle="parquet", writer="geopandas.to_parquet (GeoParquet 2.0.0, pyarrow): GEOMETRY + geo metadata")

    # pyarrow, no geo metadata: the CRS in the GEOMETRY type as PROJJSON (and in ARROW:schema).
    df = base_frame()
    path = d / "pyarrow_projjson.parquet"
    _write_geoarrow(df, path, {"crs": sweref_18_00})
    c.add_good("parquet2_pyarrow_projjson", path, df, epsg=3011, dtypes=BASE_DTYPES, oracle="parquet_native",
               writer=f"{writer}, crs PROJJSON", notes="no geo metadata; Parquet GEOMETRY type with inline PROJJSON")

    # An SRID reference, no Arrow schema, three row groups.
    df = base_frame().to_crs(3006)
    path = d / "pyarrow_srid_radgrupper.parquet"
    _write_geoarrow(df, path, {"crs": "srid:3006"}, store_schema=False, row_group_size=3)
    import pyarrow.parquet as pq

    assert pq.read_metadata(path).num_row_groups == 3
    c.add_good("parquet2_pyarrow_srid_row_groups", path, df, epsg=3006, dtypes=BASE_DTYPES, oracle="parquet_native",
               writer=f"{writer}, crs 'srid:3006', store_schema=False, row_group_size=3",
               notes="three row groups; the SRID is an EPSG code")

    # A projjson:<key> reference to the file's key-value metadata.
    df = base_frame()
    path = d / "pyarrow_projjson_nyckel.parquet"
    _write_geoarrow(df, path, {"crs": "projjson:crs_sweref99_18_00"},
                    key_values={"crs_sweref99_18_00": json.dumps(sweref_18_00)})
    c.add_good("parquet2_pyarrow_projjson_key", path, df, epsg=3011, dtypes=BASE_DTYPES, oracle="parquet_native",
               writer=f"{writer}, crs 'projjson:crs_sweref99_18_00' + that key in the file metadata")

    # No CRS: OGC:CRS84 by the Parquet specification.
    df = base_frame().set_geometry(_lonlat(list(base_frame().geometry)), crs=4326)
    path = d / "pyarrow_utan_crs.parquet"
    _write_geoarrow(df, path, {}, store_schema=False)
    c.add_good("parquet2_pyarrow_default_crs", path, df, epsg=4326, dtypes=BASE_DTYPES, oracle="parquet_native",
               writer=f"{writer}, no crs, store_schema=False", notes="no crs in the GEOMETRY type: OGC:CRS84")

    # GEOGRAPHY: spherical edges, longitude/latitude.
    path = d / "pyarrow_geography.parquet"
    _write_geoarrow(df, path, {"edges": "spherical"})
    c.add_good("parquet2_pyarrow_geography", path, df, epsg=4326, dtypes=BASE_DTYPES, oracle="parquet_native",
               writer=f"{writer}, edges 'spherical' (Parquet GEOGRAPHY)",
               notes="GEOGRAPHY: read as the longitude/latitude it is")

    # DuckDB spatial: GEOMETRY with the geo metadata of GeoParquet 2.0.0 ('V2') or 1.0.0
    # ('BOTH'), and without any geo metadata ('NONE').
    con = _duckdb_connection()
    _duckdb_table(con)
    for version, oracle in (("V2", "parquet"), ("BOTH", "parquet"), ("NONE", "parquet_native")):
        path = d / f"duckdb_{version.lower()}.parquet"
        con.execute(f"COPY t TO '{path}' (FORMAT PARQUET, GEOPARQUET_VERSION '{version}')")
        c.add_good(f"parquet2_duckdb_{version.lower()}", path, _duckdb_expected(con), epsg=3011,
                   dtypes=DUCKDB_DTYPES, oracle=oracle,
                   writer=f"DuckDB spatial COPY (FORMAT PARQUET, GEOPARQUET_VERSION '{version}')")

    # Bad: a CRS that is unknown (geopandas writes null), or not identified, or contradicted.
    df = base_frame(with_null_geometry=False).set_crs(None, allow_override=True)
    path = d / "crs_null.parquet"
    df.to_parquet(path, index=False, schema_version="2.0.0")
    c.add_bad("parquet2_crs_null", path)
    path = d / "okand_srid.parquet"
    _write_geoarrow(base_frame(), path, {"crs": "srid:999999"}, store_schema=False)
    c.add_bad("parquet2_unknown_srid", path, crs="srid:999999")
    path = d / "motsagd_crs.parquet"
    geo = {"version": "2.0.0", "primary_column": "geometry",
           "columns": {"geometry": {"encoding": "WKB", "geometry_types": [], "crs": CRS.from_epsg(3006).to_json_dict()}}}
    _write_geoarrow(base_frame(), path, {"crs": sweref_18_00}, key_values={"geo": json.dumps(geo)})
    c.add_bad("parquet2_crs_conflict", path, crs=["EPSG:3006", "EPSG:3011"])
    path = d / "geography_projicerad.parquet"
    _write_geoarrow(base_frame(), path, {"crs": sweref_18_00, "edges": "spherical"})
    c.add_bad("parquet2_geography_projected", path)

    # Bad: damaged footers.
    path = d / "skadad_crs_langd.parquet"
    _write_geoarrow(base_frame(), path, {"crs": "srid:3011"}, store_schema=False)
    _native_crs_damage(path, b"srid:3011")
    c.add_bad("parquet2_damaged_crs_length", path)
    path = d / "skadad_sidfot_langd.parquet"
    data = bytearray((d / "pyarrow_srid_radgrupper.parquet").read_bytes())
    data[-8:-4] = (len(data) * 2).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    c.add_bad("parquet2_damaged_footer_length", path)


# Shapefile text: outside Windows-1252 for the UTF-8 file, inside it for the others.
UTF8_NAMN = ["Łódź", "Čáhppesjávri", "Ærøskøbing ß", "東京", "Åre €", "Øresund"]
CP1252_NAMN = ["VÅRBERG", "ÄLVSJÖ", "Östermalm", "Café €5", "Smått & gott", "Fältöversten"]


def _shapefiles(c: _Corpus) -> None:
    d = c.out / "shp"
    d.mkdir()
    geoms = base_geometries()

    # UTF-8 with .cpg and .prj (EPSG:3006): points, text outside Windows-1252, nulls.
    df = gpd.GeoDataFrame(
        {
            "namn": pd.array(UTF8_NAMN, dtype="string"),
            "antal": pd.array([1, None, -7, 2**40, 0, 3], dtype="Int64"),
            "andel": pd.array([0.25, -1.5, None, 1e-3, 123456.789, 0.0], dtype="Float64"),
            # (null dates have an entry of their own: shp_null_dates)
            "datum": pd.array([dt.date(2021, 4, 13), dt.date(1970, 1, 1), dt.date(2024, 2, 29), dt.date(1900, 1, 1),
                               dt.date(1999, 12, 31), dt.date(2000, 1, 1)], dtype=object),
            "aktiv": pd.array([True, False, None, True, True, False], dtype="boolean"),
        },
        geometry=[Point(674032.357 + 100.5 * i, 6580821.991 + 33.25 * i) for i in range(6)],
        crs="EPSG:3006",
    )
    path = d / "utf8_punkter.shp"
    _write_shp(df, path, encoding="UTF-8")
    assert path.with_suffix(".cpg").read_text() == "UTF-8"
    c.add_good("shp_utf8_cpg", path, df, epsg=3006,
               dtypes={"namn": "str", "antal": "int", "andel": "float", "datum": "date", "aktiv": "bool"},
               oracle="pyogrio", writer="GDAL ESRI Shapefile (pyogrio), ENCODING=UTF-8")

    # Windows-1252, no .cpg, language driver 0x57: like the city's stadsdelar.dbf.
    # Polygon with a hole and a two-part multipolygon; € (0x80) tells 1252 from Latin-1.
    df = gpd.GeoDataFrame(
        {
            "namn": pd.array(CP1252_NAMN, dtype="string"),
            "nr": pd.array([1, 2, 3, 4, 5, 6], dtype="Int64"),
        },
        geometry=[geoms[2], geoms[5], Polygon(_square(162000.0, 6586000.0, 245.0)),
                  Polygon(_square(163000.0, 6586000.0, 10.0)),
                  MultiPolygon([Polygon(_square(164000.0, 6586000.0, 20.0)),
                                Polygon(_square(164100.0, 6586000.0, 20.0))]),
                  Polygon(_square(165000.0, 6587000.0, 99.5), [_square(165010.0, 6587010.0, 5.0, clockwise=True),
                                                            _square(165050.0, 6587050.0, 5.0, clockwise=True)])],
        crs="EPSG:3011",
    )
    path = d / "cp1252_ytor.shp"
    _write_shp(df, path, encoding="cp1252")
    path.with_suffix(".cpg").unlink()
    set_dbf_ldid(path.with_suffix(".dbf"), 0x57)
    dbf = path.with_suffix(".dbf").read_bytes()
    assert b"V\xc5RBERG" in dbf and b"\x805" in dbf, "DBF text is not Windows-1252"
    # GDAL maps language driver 0x57 to ISO-8859-1, which loses the euro sign
    # (0x80); the oracle is told the real encoding.
    c.add_good("shp_cp1252_no_cpg", path, df, epsg=3011, dtypes={"namn": "str", "nr": "int"},
               oracle="pyogrio", oracle_kwargs={"encoding": "cp1252"},
               writer="GDAL ESRI Shapefile (pyogrio), ENCODING=CP1252, .cpg removed, LDID 0x57",
               notes="Windows-1252 text, declared only by the DBF language driver byte")

    # .cpg saying '1252' (the ArcGIS spelling), no .prj: lines.
    df = gpd.GeoDataFrame(
        {"vag": pd.array(["Söder Mälarstrand", "Östgötagatan", "Kyrkvägen"], dtype="string"),
         "langd": pd.array([1234.5, 77.25, None], dtype="Float64")},
        geometry=[geoms[1], geoms[4], LineString([(150000.0, 6590000.0), (150010.0, 6590010.0)])],
        crs="EPSG:3011",
    )
    path = d / "cpg1252_linjer.shp"
    _write_shp(df, path, encoding="cp1252")
    path.with_suffix(".cpg").write_text("1252")
    path.with_suffix(".prj").unlink()
    c.add_good("shp_cpg1252_no_prj", path, df, epsg=None, dtypes={"vag": "str", "langd": "float"},
               oracle="pyogrio", writer="GDAL ESRI Shapefile (pyogrio), .cpg rewritten to '1252', .prj removed")

    # No .cpg and no .prj, ASCII text: multipoints.
    df = gpd.GeoDataFrame(
        {"kod": pd.array(["A1", "B22", "C333"], dtype="string"), "n": pd.array([3, 2, 1], dtype="Int64")},
        geometry=[geoms[3], MultiPoint([(1.5, 2.5), (3.5, 4.5)]), MultiPoint([(152000.0, 6581000.0)])],
        crs="EPSG:3011",
    )
    path = d / "bar_multipunkt.shp"
    _write_shp(df, path, encoding="UTF-8")
    path.with_suffix(".cpg").unlink()
    path.with_suffix(".prj").unlink()
    set_dbf_ldid(path.with_suffix(".dbf"), 0)
    c.add_good("shp_bare", path, df, epsg=None, dtypes={"kod": "str", "n": "int"}, oracle="pyogrio",
               writer="GDAL ESRI Shapefile (pyogrio), .cpg and .prj removed")

    # DuckDB spatial's own GDAL default: Windows-1252, LDID 0x57, no .cpg.
    con = _duckdb_connection()
    con.execute("CREATE TABLE p (namn VARCHAR, antal INTEGER, vikt DOUBLE, datum DATE, geom GEOMETRY)")
    rows = [
        ("VÅRBERG", 1, 1.25, "2021-04-13", "POINT (153456.789 6581234.5)"),
        ("Ärvinge gård", None, None, "2000-02-29", "POINT (150000 6580000)"),
        ("Öster-Malma", -40, 2.5e6, "1999-12-31", "POINT (160000.125 6590000.875)"),
    ]
    con.executemany("INSERT INTO p VALUES (?, ?, ?, ?, ST_GeomFromText(?::VARCHAR))", rows)
    path = d / "duckdb_cp1252.shp"
    con.execute(f"COPY p TO '{path}' (FORMAT GDAL, DRIVER 'ESRI Shapefile', SRS 'EPSG:3011')")
    pin_dbf_date(path.with_suffix(".dbf"))
    assert not path.with_suffix(".cpg").exists()
    assert path.with_suffix(".dbf").read_bytes()[29] == 0x57
    df = gpd.GeoDataFrame(
        {"namn": [r[0] for r in rows], "antal": [r[1] for r in rows], "vikt": [r[2] for r in rows],
         "datum": [dt.date.fromisoformat(r[3]) if r[3] else None for r in rows]},
        geometry=[shapely.from_wkt(r[4]) for r in rows],
    )
    c.add_good("shp_duckdb_cp1252", path, df, epsg=3011,
               dtypes={"namn": "str", "antal": "int", "vikt": "float", "datum": "date"}, oracle="pyogrio",
               writer="DuckDB spatial COPY (FORMAT GDAL, DRIVER 'ESRI Shapefile')")

    # 3-D: PolyLineZ (shape type 13) with heights, as surveyed networks often come.
    df = gpd.GeoDataFrame(
        {"id": pd.array([1, 2], dtype="Int64")},
        geometry=[LineString([(150000.5, 6580000.25, 12.5), (150100.0, 6580100.0, 14.75), (150200.0, 6580050.0, 9.0)]),
                  MultiLineString([[(151000.0, 6581000.0, 1.0), (151010.0, 6581010.0, 2.0)],
                                   [(151020.0, 6581020.0, 3.0), (151030.0, 6581030.0, 4.0)]])],
        crs="EPSG:3011",
    )
    path = d / "linjer_z.shp"
    _write_shp(df, path, encoding="UTF-8")
    assert int.from_bytes(path.read_bytes()[32:36], "little") == 13
    c.add_good("shp_z", path, df, epsg=3011, dtypes={"id": "int"}, oracle="pyogrio",
               writer="GDAL ESRI Shapefile (pyogrio), PolyLineZ", notes="3-D; compared in x and y")

    # Null dates (blank 'D' fields), null numbers and null text in a DBF.
    df = gpd.GeoDataFrame(
        {
            "namn": pd.array(["Årsta", None, "Ön"], dtype="string"),
            "datum": pd.array([None, dt.date(2021, 4, 13), None], dtype=object),
            "antal": pd.array([None, 5, -1], dtype="Int64"),
            "andel": pd.array([0.5, None, None], dtype="Float64"),
        },
        geometry=[Point(150000.0, 6580000.0), Point(150001.5, 6580002.5), Point(150003.0, 6580004.0)],
        crs="EPSG:3011",
    )
    path = d / "null_datum.shp"
    _write_shp(df, path, encoding="UTF-8")
    c.add_good("shp_null_dates", path, df, epsg=3011,
               dtypes={"namn": "str", "datum": "date", "antal": "int", "andel": "float"}, oracle="pyogrio",
               writer="GDAL ESRI Shapefile (pyogrio): empty date, number and text fields")

    # No features.
    path = d / "tom.shp"
    _write_shp(base_frame().iloc[:0][["namn", "antal", "geometry"]], path, encoding="UTF-8",
               geometry_type="Polygon")
    c.empty["shp"] = {"file": c.rel(path), "columns": ["namn", "antal"], "epsg": 3011}

    # Damaged shapefiles, made from the Windows-1252 one.
    src = d / "cp1252_ytor"
    for name, drop in (("utan_shx", ".shx"), ("utan_dbf", ".dbf")):
        for ext in (".shp", ".shx", ".dbf", ".prj"):
            if ext != drop:
                shutil.copyfile(src.with_suffix(ext), d / f"{name}{ext}")
        c.add_bad(f"shp_missing_{drop[1:]}", d / f"{name}.shp", missing=f"{name}{drop}")

    # Truncated in the middle of the second record (index 1); .shx still lists all six.
    shp = src.with_suffix(".shp").read_bytes()
    shx = src.with_suffix(".shx").read_bytes()
    offset1 = int.from_bytes(shx[100 + 8: 100 + 12], "big") * 2  # record 1 offset, bytes
    cut = offset1 + 8 + 44 + 20
    for ext in (".shx", ".dbf", ".prj"):
        shutil.copyfile(src.with_suffix(ext), d / f"avkortad{ext}")
    (d / "avkortad.shp").write_bytes(shp[:cut])
    c.add_bad("shp_truncated", d / "avkortad.shp", feature=1, size=cut)

    # A .prj that is a real projection, but none with an EPSG code (a local
    # oblique stereographic on Bessel).
    for ext in (".shp", ".shx", ".dbf"):
        shutil.copyfile(d / f"bar_multipunkt{ext}", d / f"okand_crs{ext}")
    (d / "okand_crs.prj").write_text(
        'PROJCS["Lokalt_Stereo_Hamn",GEOGCS["GCS_Bessel_1841",DATUM["D_Bessel_1841",'
        'SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],'
        'UNIT["Degree",0.0174532925199433]],PROJECTION["Stereographic"],'
        'PARAMETER["False_Easting",12345.0],PARAMETER["False_Northing",-54321.0],'
        'PARAMETER["Central_Meridian",11.937],PARAMETER["Scale_Factor",0.99987],'
        'PARAMETER["Latitude_Of_Origin",57.7],UNIT["Meter",1.0]]'
    )
    c.add_bad("shp_unknown_crs", d / "okand_crs.shp")


def _geojson(c: _Corpus) -> None:
    d = c.out / "geojson"
    d.mkdir()

    # RFC 7946 (lon/lat, no crs member, 7 decimals, counterclockwise outer rings).
    df = base_frame().to_crs(4326)
    path = d / "alla_typer_rfc7946.geojson"
    pyogrio.write_dataframe(df, path, driver="GeoJSON", use_arrow=True, layer_options={"RFC7946": "YES"})
    assert '"crs"' not in path.read_text(encoding="utf-8")
    c.add_good("geojson_rfc7946", path, df, epsg=4326, dtypes=GEOJSON_DTYPES, oracle="pyogrio",
               writer="GDAL GeoJSON (pyogrio), RFC7946=YES",
               notes="dates are ISO strings in GeoJSON; a reader may keep them as text")

    # Legacy crs member naming EPSG:3011 (what GDAL writes for a projected CRS).
    df = base_frame()
    path = d / "alla_typer_3011.geojson"
    pyogrio.write_dataframe(df, path, driver="GeoJSON", use_arrow=True)
    assert "urn:ogc:def:crs:EPSG::3011" in path.read_text(encoding="utf-8")
    c.add_good("geojson_crs_member", path, df, epsg=3011, dtypes=GEOJSON_DTYPES, oracle="pyogrio",
               writer="GDAL GeoJSON (pyogrio), legacy crs member",
               notes="dates are ISO strings in GeoJSON; a reader may keep them as text")

    # 3-D positions [lon, lat, height] (RFC 7946 allows a third number).
    z = gpd.GeoDataFrame(
        {"namn": pd.array(["Kaknästornet", "Stadshuset"], dtype="string")},
        geometry=[Point(18.1099, 59.3352, 155.0), LineString([(18.0546, 59.3275, 10.0), (18.0550, 59.3278, 106.0)])],
        crs="EPSG:4326",
    )
    path = d / "hojd_3d.geojson"
    pyogrio.write_dataframe(z, path, driver="GeoJSON", layer_options={"RFC7946": "YES"})
    c.add_good("geojson_3d", path, z, epsg=4326, dtypes={"namn": "str"}, oracle="pyogrio",
               writer="GDAL GeoJSON (pyogrio), RFC7946=YES, 3-D positions", notes="3-D; compared in x and y")

    # Hand-written: null geometries, mixed property types, properties missing
    # from some features, a feature with "properties": null.
    features = [
        {"type": "Feature", "properties": {"namn": "Årsta", "tal": 1, "blandat": 1, "flagga": True},
         "geometry": {"type": "Point", "coordinates": [18.05, 59.3]}},
        {"type": "Feature", "properties": {"namn": "Ön", "tal": 2.5, "blandat": "två", "flagga": False},
         "geometry": None},
        {"type": "Feature", "properties": {"namn": None, "tal": None, "blandat": None, "flagga": None},
         "geometry": {"type": "LineString", "coordinates": [[18.0, 59.0], [18.1, 59.1]]}},
        {"type": "Feature", "properties": {"namn": "Ängby", "tal": -4},
         "geometry": None},
        {"type": "Feature", "properties": None,
         "geometry": {"type": "Polygon", "coordinates": [[[18.0, 59.0], [18.1, 59.0], [18.1, 59.1], [18.0, 59.0]]]}},
    ]
    path = d / "null_geometri_blandade_typer.geojson"
    _write_json(path, {"type": "FeatureCollection", "features": features})
    geoms = [shapely.geometry.shape(f["geometry"]) if f["geometry"] else None for f in features]
    df = pd.DataFrame(
        {
            "namn": ["Årsta", "Ön", None, "Ängby", None],
            "tal": [1.0, 2.5, None, -4.0, None],
            "blandat": [1, "två", None, None, None],
            "flagga": [True, False, None, None, None],
        }
    )
    c.add_good("geojson_nulls_mixed", path, df, epsg=4326,
               dtypes={"namn": "str", "tal": "float", "blandat": "mixed", "flagga": "bool"},
               geometry=geoms, oracle="pyogrio", writer="hand-written JSON",
               notes="'tal' mixes int and float (a float column); 'blandat' mixes int and text")

    # Bow-tie polygon (self-intersection) at feature 1, in EPSG:3011.
    fc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3011"}},
        "features": [
            {"type": "Feature", "properties": {"id": 0},
             "geometry": shapely.geometry.mapping(Polygon(_square(150000.0, 6580000.0, 100.0)))},
            {"type": "Feature", "properties": {"id": 1},
             "geometry": {"type": "Polygon", "coordinates": [[[150000.0, 6580000.0], [150100.0, 6580100.0],
                                                              [150100.0, 6580000.0], [150000.0, 6580100.0],
                                                              [150000.0, 6580000.0]]]}},
            {"type": "Feature", "properties": {"id": 2},
             "geometry": shapely.geometry.mapping(base_geometries()[2])},
        ],
    }
    path = d / "fluga.geojson"
    _write_json(path, fc)
    c.bad["geojson_bowtie"] = {"file": c.rel(path), "invalid": [1], "crossing": [150050.0, 6580050.0]}

    # No features.
    path = d / "tom.geojson"
    _write_json(path, {"type": "FeatureCollection", "features": []})
    c.empty["geojson"] = {"file": c.rel(path), "columns": [], "epsg": 4326}

    # Damaged GeoJSON.
    good = path.parent / "alla_typer_rfc7946.geojson"
    text = good.read_text(encoding="utf-8")
    p = d / "trasig.geojson"
    p.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    c.add_bad("geojson_malformed", p)

    p = d / "inte_geojson.json"
    _write_json(p, {"type": "Topology", "objects": {}})
    c.add_bad("geojson_not_geojson", p)

    def fc_with(bad_index: int, bad_geometry: Any, raw: str | None = None) -> str:
        feats = []
        for i in range(4):
            geom = bad_geometry if i == bad_index else {"type": "Point", "coordinates": [18.0 + i / 10, 59.3]}
            feats.append({"type": "Feature", "properties": {"i": i}, "geometry": geom})
        out = json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False, indent=1)
        if raw is not None:
            out = out.replace('"@RAW@"', raw)
        return out

    open_ring = {"type": "Polygon", "coordinates": [[[18.0, 59.0], [18.1, 59.0], [18.1, 59.1], [18.0, 59.1]]]}
    (d / "oppen_ring.geojson").write_text(fc_with(2, open_ring), encoding="utf-8")
    c.add_bad("geojson_open_ring", d / "oppen_ring.geojson", feature=2)

    (d / "nan_koordinat.geojson").write_text(
        fc_with(1, {"type": "Point", "coordinates": "@RAW@"}, raw="[NaN, 59.3]"), encoding="utf-8")
    c.add_bad("geojson_nan", d / "nan_koordinat.geojson", feature=1)

    (d / "oandlig_koordinat.geojson").write_text(
        fc_with(1, {"type": "Point", "coordinates": "@RAW@"}, raw="[18.0, 1e999]"), encoding="utf-8")
    c.add_bad("geojson_infinite", d / "oandlig_koordinat.geojson", feature=1)

    (d / "text_koordinat.geojson").write_text(
        fc_with(3, {"type": "Point", "coordinates": ["18.05", 59.3]}), encoding="utf-8")
    c.add_bad("geojson_string_coordinate", d / "text_koordinat.geojson", feature=3)

    (d / "en_koordinat.geojson").write_text(
        fc_with(1, {"type": "LineString", "coordinates": [[18.0, 59.3], [18.1]]}), encoding="utf-8")
    c.add_bad("geojson_short_position", d / "en_koordinat.geojson", feature=1)

    (d / "okand_geometri.geojson").write_text(
        fc_with(2, {"type": "Circle", "coordinates": [18.0, 59.3], "radius": 5}), encoding="utf-8")
    c.add_bad("geojson_unknown_geometry_type", d / "okand_geometri.geojson", feature=2)

    p = d / "epsg9999.geojson"
    fc = json.loads(fc_with(0, {"type": "Point", "coordinates": [150000.0, 6580000.0]}))
    fc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::9999"}}
    _write_json(p, fc)
    c.add_bad("geojson_epsg9999", p, code="9999")


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


CSV_ROWS = [
    # namn, lon, lat, antal, varde, datum
    ("Kista Gård", 17.9425137, 59.4032155, 12, 1.5, "2021-04-13"),
    ("Årsta torg", 18.0512342, 59.2982001, 0, -0.25, "2024-02-29"),
    ("Café Ängen", 18.1, 59.35, 7, 1234.5678, None),
    ("Sköndal", 18.1198765, 59.2567891, None, None, "1999-12-31"),
    ("Östberga", 18.0411, 59.2833, 3, 0.0, "2000-01-01"),
]


def _tables(c: _Corpus) -> None:
    d = c.out / "tabell"
    d.mkdir()

    # ';' separator, decimal comma, Windows-1252, lon/lat (a Swedish Excel export).
    df = pd.DataFrame(CSV_ROWS, columns=["namn", "lon", "lat", "antal", "varde", "datum"])
    df["antal"] = df["antal"].astype("Int64")
    path = d / "punkter_sv.csv"
    df.to_csv(path, sep=";", decimal=",", encoding="cp1252", index=False, lineterminator="\r\n")
    raw = path.read_bytes()
    assert b"\xc5rsta" in raw and b"17,9425137" in raw
    c.add_good("csv_semicolon_cp1252", path, df, epsg=4326,
               dtypes={"namn": "str", "lon": "float", "lat": "float", "antal": "int", "varde": "float",
                       "datum": "text_or_date"},
               geometry=[Point(r[1], r[2]) for r in CSV_ROWS], oracle="csv",
               read_kwargs={"lon": "lon", "lat": "lat", "sep": ";", "decimal": ",", "encoding": "cp1252"},
               writer="pandas.to_csv(sep=';', decimal=',', encoding='cp1252')")

    # GDAL's CSV driver, X/Y in EPSG:3011, comma, UTF-8.
    gdf = gpd.GeoDataFrame(
        {"namn": pd.array([r[0] for r in CSV_ROWS], dtype="string"),
         "antal": pd.array([r[3] for r in CSV_ROWS], dtype="Int64")},
        geometry=[Point(150000.5 + 1000.25 * i, 6580000.125 + 777.0 * i) for i in range(len(CSV_ROWS))],
        crs="EPSG:3011",
    )
    path = d / "punkter_xy.csv"
    pyogrio.write_dataframe(gdf, path, driver="CSV", layer_options={"GEOMETRY": "AS_XY"})
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("X,Y,"), header
    expected = pd.DataFrame({"X": [g.x for g in gdf.geometry], "Y": [g.y for g in gdf.geometry],
                             "namn": gdf["namn"], "antal": gdf["antal"]})
    c.add_good("csv_xy_gdal", path, expected, epsg=3011,
               dtypes={"X": "float", "Y": "float", "namn": "str", "antal": "int"},
               geometry=list(gdf.geometry), oracle="csv", read_kwargs={"x": "X", "y": "Y", "crs": 3011},
               writer="GDAL CSV (pyogrio), GEOMETRY=AS_XY")

    # Missing coordinate column; non-numeric coordinate on data row 3.
    p = d / "utan_lat.csv"
    df.drop(columns=["lat"]).to_csv(p, sep=";", decimal=",", encoding="cp1252", index=False)
    c.add_bad("csv_missing_column", p, column="lat")
    p = d / "trasig_koordinat.csv"
    bad = df.copy()
    bad["lon"] = bad["lon"].astype(object)
    bad.loc[3, "lon"] = "okänd"
    bad.to_csv(p, sep=";", decimal=",", encoding="cp1252", index=False)
    c.add_bad("csv_bad_coordinate", p, feature=3)

    # Excel with two sheets (openpyxl).
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Stadsdelar"
    ws.append(["stadsdel", "invanare", "yta_km2", "bildad", "kust"])
    sheet1 = [
        ("VÅRBERG", 10213, 1.83, dt.date(1963, 1, 1), False),
        ("ÄLVSJÖ", 9871, 2.5, dt.date(1930, 1, 1), False),
        ("ÖSTERMALM", 72000, 6.25, None, True),
        ("Årsta", None, 3.75, dt.date(1930, 1, 1), True),
    ]
    for r in sheet1:
        ws.append(list(r))
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    ws2 = wb.create_sheet("Händelser")
    ws2.append(["id", "typ", "lon", "lat", "prioritet"])
    sheet2 = [
        (1, "Brand i byggnad", 18.0686, 59.3293, 1.0),
        (2, "Vattenläcka", 17.9425137, 59.4032155, 2.5),
        (3, "Trafikolycka", 18.1, 59.25, None),
    ]
    for r in sheet2:
        ws2.append(list(r))
    path = d / "tabell.xlsx"
    wb.save(path)
    normalize_xlsx(path)
    c.good["xlsx_two_sheets"] = {
        "file": c.rel(path),
        "sheets": {
            "Stadsdelar": {"columns": ["stadsdel", "invanare", "yta_km2", "bildad", "kust"],
                           "rows": [[_jsonable(v) for v in r] for r in sheet1]},
            "Händelser": {"columns": ["id", "typ", "lon", "lat", "prioritet"],
                          "rows": [[_jsonable(v) for v in r] for r in sheet2]},
        },
        "writer": "openpyxl",
    }
    c.add_bad("xlsx_missing_sheet", path, sheets=["Stadsdelar", "Händelser"])


def _other(c: _Corpus) -> None:
    d = c.out / "ovrigt"
    d.mkdir()
    # Zero-byte files of each type.
    for ext in (".shp", ".geojson", ".json", ".gpkg", ".parquet", ".csv", ".xlsx"):
        p = d / f"noll{ext}"
        p.write_bytes(b"")
        c.add_bad(f"zero_bytes_{ext[1:]}", p)
    for ext in (".shx", ".dbf"):
        (d / f"noll{ext}").write_bytes(b"")

    # Formats lagesbild does not read.
    p = d / "punkter.fgb"
    pyogrio.write_dataframe(base_frame(with_null_geometry=False).iloc[:1][["namn", "geometry"]], p,
                            driver="FlatGeobuf")
    c.add_bad("unsupported_fgb", p, extension=".fgb")


def make_corpus(out_dir: Path, stockholm: Path | None = None) -> dict[str, Any]:
    """Write the corpus into ``out_dir`` (which must be empty or absent).

    ``stockholm`` is the folder with the city's stadsdelar; when it exists, a
    few real stadsdelar are added (GeoPackage layer and GeoParquet written by
    GDAL/geopandas from the shapefile). Returns the manifest, which is also
    written to ``out_dir / "manifest.json"``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise SystemExit(f"{out} is not empty")
    c = _Corpus(out)
    _gpkg(c)
    _parquet(c)
    _parquet_native(c)
    _shapefiles(c)
    _geojson(c)
    _tables(c)
    _other(c)
    if stockholm is not None and (Path(stockholm) / "stadsdelar.shp").exists():
        _real(c, Path(stockholm))
    return _write_manifest(c)


def make_parquet_native(out_dir: Path) -> dict[str, Any]:
    """Write only the files with Parquet's GEOMETRY and GEOGRAPHY types (``parquet2/``) and their manifest.

    The committed copy in ``data/fixtures/issue-16/``, which the Rust
    integration tests read, is made by this.
    """
    out = Path(out_dir)
    shutil.rmtree(out / "parquet2", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    c = _Corpus(out)
    _parquet_native(c)
    return _write_manifest(c)


def _write_manifest(c: _Corpus) -> dict[str, Any]:
    manifest = {"good": c.good, "empty": c.empty, "bad": c.bad}
    (c.out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                  encoding="utf-8")
    return manifest


REAL_NAMES = ["VÅRBERG", "ÄLVSJÖ", "ÖSTERMALM", "SÖDERMALM", "GAMLA STAN", "RÅGSVED", "SKÄRHOLMEN"]


def _real(c: _Corpus, stockholm: Path) -> None:
    d = c.out / "riktiga"
    d.mkdir()
    src = pyogrio.read_dataframe(stockholm / "stadsdelar.shp", encoding="cp1252")
    sub = src[src["name"].isin(REAL_NAMES)].sort_values("name").reset_index(drop=True)
    sub = sub.set_crs(3011, allow_override=True)
    path = d / "stadsdelar_urval.gpkg"
    pyogrio.write_dataframe(sub, path, layer="stadsdelar", driver="GPKG")
    c.add_good("real_gpkg", path, sub, epsg=3011, dtypes={"name": "str"}, oracle="pyogrio",
               layer="stadsdelar", writer="GDAL GPKG (pyogrio) from stadsdelar.shp")
    sub6 = sub.to_crs(3006)
    path = d / "stadsdelar_urval_3006.parquet"
    sub6.to_parquet(path, index=False)
    c.add_good("real_parquet_3006", path, sub6, epsg=3006, dtypes={"name": "str"}, oracle="parquet",
               writer="geopandas.to_parquet from stadsdelar.shp, to_crs(3006)")


# ---------------------------------------------------------------------------
# Reading the corpus with the oracle libraries, and comparing values.
# ---------------------------------------------------------------------------


def load_manifest(root: Path) -> dict[str, Any]:
    return json.loads((Path(root) / MANIFEST).read_text(encoding="utf-8"))


def crs_epsg(crs: Any) -> int | None:
    """EPSG code of a pyproj CRS; OGC:CRS84 counts as 4326 (same datum, lon/lat order)."""
    if crs is None:
        return None
    if crs.to_authority() == ("OGC", "CRS84"):
        return 4326
    return crs.to_epsg()


def read_oracle(entry: dict[str, Any], root: Path) -> tuple[pd.DataFrame, list[Any], int | None]:
    """Read a good corpus entry with GDAL (pyogrio), geopandas, pyarrow or pandas.

    Returns the attributes (no geometry), the geometries (None for null) and
    the EPSG code.
    """
    path = Path(root) / entry["file"]
    kind = entry["oracle"]
    if kind in ("pyogrio", "parquet"):
        if kind == "pyogrio":
            with warnings.catch_warnings():
                # GDAL types a GeoJSON property holding both numbers and text as
                # a JSON string field; pyogrio then warns that "two" is not
                # JSON and keeps the text, which is what is wanted here.
                warnings.filterwarnings("ignore", message="Could not parse column .* as JSON", category=UserWarning)
                gdf = pyogrio.read_dataframe(path, layer=entry.get("layer"), **entry.get("oracle_kwargs", {}))
        else:
            gdf = gpd.read_parquet(path)
        geoms = [None if (g is None or g.is_empty and gdf.geometry.isna().iloc[i]) else g
                 for i, g in enumerate(gdf.geometry)]
        attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
        return attrs, geoms, crs_epsg(gdf.crs)
    if kind == "parquet_native":
        return _read_parquet_native(path)
    if kind == "csv":
        kw = entry["read_kwargs"]
        attrs = pd.read_csv(path, sep=kw.get("sep") or ",", decimal=kw.get("decimal") or ".",
                            encoding=kw.get("encoding") or "utf-8", keep_default_na=True)
        xcol, ycol = (kw["lon"], kw["lat"]) if "lon" in kw else (kw["x"], kw["y"])
        geoms = [Point(x, y) for x, y in zip(attrs[xcol], attrs[ycol])]
        epsg = 4326 if "lon" in kw else kw["crs"]
        return attrs, geoms, epsg
    raise ValueError(f"no oracle for {entry['file']}")


def _read_parquet_native(path: Path) -> tuple[pd.DataFrame, list[Any], int | None]:
    """Read a file whose geometry has Parquet's GEOMETRY or GEOGRAPHY type with pyarrow and pyproj.

    pyarrow turns the logical type into a geoarrow.wkb column whose metadata
    holds the CRS (an SRID as ``crs_type`` "srid", a ``projjson:<key>``
    resolved, no CRS as OGC:CRS84); pyproj identifies it.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pyproj import CRS

    with geoarrow_wkb_registered():
        table = pq.read_table(path)
    fields = [f for f in table.schema if isinstance(f.type, pa.ExtensionType) and f.type.extension_name == "geoarrow.wkb"]
    assert fields, f"{path.name}: pyarrow finds no geoarrow.wkb column"
    field = fields[0]
    meta = json.loads(field.type.__arrow_ext_serialize__() or b"{}")
    crs = meta.get("crs")
    if crs is None:
        crs = CRS("OGC:CRS84")
    elif meta.get("crs_type") == "srid":
        crs = CRS.from_epsg(int(crs))
    else:
        crs = CRS.from_user_input(crs)
    storage = table[field.name].combine_chunks().storage
    geoms = [None if b is None else shapely.from_wkb(b) for b in storage.to_pylist()]
    attrs = table.drop_columns([field.name]).to_pandas()
    return attrs, geoms, crs_epsg(crs)


def _isnull(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, (np.floating,)) and np.isnan(v):
        return True
    if isinstance(v, (pd.Timestamp, np.datetime64)) and pd.isna(v):
        return True
    return False


def normalize(v: Any, kind: str) -> Any:
    """A value in a form that compares equal across readers, by column kind.

    Kinds: str, int, float, bool, date, datetime, text_or_date (a date that a
    reader may keep as ISO text, as in GeoJSON and CSV) and mixed (text or
    numbers in one column; compared as text).
    """
    if _isnull(v):
        return None
    if kind == "str":
        if not isinstance(v, str):
            raise TypeError(f"expected text, got {type(v).__name__} {v!r}")
        return v
    if kind == "int":
        if isinstance(v, bool):
            raise TypeError(f"expected an integer, got bool {v!r}")
        f = float(v)
        if not f.is_integer():
            raise TypeError(f"expected an integer, got {v!r}")
        return int(v)
    if kind == "float":
        if isinstance(v, (str, bool)):
            raise TypeError(f"expected a number, got {type(v).__name__} {v!r}")
        return float(v)
    if kind == "bool":
        if isinstance(v, str):
            raise TypeError(f"expected a boolean, got text {v!r}")
        if v not in (0, 1, True, False):
            raise TypeError(f"expected a boolean, got {v!r}")
        return bool(v)
    if kind in ("date", "text_or_date"):
        if isinstance(v, str):
            if kind == "date":
                raise TypeError(f"expected a date, got text {v!r}")
            return v
        if isinstance(v, (np.datetime64,)):
            v = pd.Timestamp(v)
        if isinstance(v, dt.datetime):
            if (v.hour, v.minute, v.second, v.microsecond) != (0, 0, 0, 0):
                raise TypeError(f"expected a date, got a time of day {v!r}")
            return v.date().isoformat()
        if isinstance(v, dt.date):
            return v.isoformat()
        raise TypeError(f"expected a date, got {type(v).__name__} {v!r}")
    if kind == "datetime":
        if isinstance(v, str):
            v = dt.datetime.fromisoformat(v)
        ts = pd.Timestamp(v)
        if ts.tzinfo is not None:
            raise TypeError(f"expected a naive date-time, got {v!r}")
        return ts.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if kind == "mixed":
        if isinstance(v, str):
            return v
        if isinstance(v, (int, float, np.integer, np.floating)) and float(v).is_integer():
            return str(int(v))
        return str(v)
    raise ValueError(f"unknown kind {kind}")


def expected_values(entry: dict[str, Any], column: str) -> list[Any]:
    """The manifest's values of a column, normalized (dates are ISO text in JSON)."""
    kind = entry["dtypes"][column]
    out = []
    for v in entry["values"][column]:
        if isinstance(v, str) and kind in ("date", "text_or_date"):
            v = dt.date.fromisoformat(v)
        elif isinstance(v, str) and kind == "datetime":
            v = dt.datetime.fromisoformat(v)
        out.append(normalize(v, kind))
    return out


def values_equal(a: Any, b: Any, kind: str) -> bool:
    """Normalized values equal (floats within 1e-12 relative)."""
    if a is None or b is None:
        return a is None and b is None
    if kind == "float":
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
    return a == b


def main(argv: list[str]) -> None:
    here = Path(__file__).resolve().parent
    if len(argv) == 3 and argv[1] == "--parquet-native":
        manifest = make_parquet_native(Path(argv[2]))
        print(f"wrote {sum(len(v) for v in manifest.values())} entries to {argv[2]}")
        return
    out = Path(argv[1]) if len(argv) > 1 else here / "generated"
    stockholm = Path(argv[2]) if len(argv) > 2 else here.parents[1].parent / "shared" / "data" / "stockholm"
    if out.exists() and out == here / "generated":
        shutil.rmtree(out)
    manifest = make_corpus(out, stockholm if stockholm.exists() else None)
    n = sum(len(v) for v in manifest.values())
    print(f"wrote {n} corpus entries to {out}")


if __name__ == "__main__":
    main(sys.argv)
