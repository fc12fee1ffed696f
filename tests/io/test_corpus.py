"""lagesbild against GDAL, geopandas, pandas and pyproj on files other software wrote.

The corpus (tests/corpus/make_corpus.py) holds files written by GDAL through
pyogrio and geopandas, by DuckDB's spatial extension, by pandas and by
openpyxl. Every good file is read with ``lb.read`` and with the oracle
(pyogrio / geopandas / pandas), and both must agree with each other and with
the manifest: feature count, EPSG code, column names and types, every
attribute value, every geometry. Then the real Stockholm stadsdelar: names,
areas, transforms against pyproj. Then round trips through lagesbild's own
writers, read back by lagesbild and by GDAL/geopandas; the command line; the
committed fixtures in data/fixtures; and a Hypothesis property test of the
writers.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import lagesbild as lb
import make_corpus as mc
import numpy as np
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pyogrio
import pyproj
import pytest
import shapely

# Every good corpus entry, by manifest name (checked against the manifest below).
GOOD = [
    "gpkg_alla_typer",
    "gpkg_flerlager_punkter",
    "gpkg_flerlager_vagar",
    "gpkg_flerlager_omraden",
    "gpkg_duckdb",
    "gpkg_z",
    "parquet_geopandas",
    "parquet_geopandas_bbox",
    "parquet_duckdb",
    "parquet_duckdb_no_crs",
    "parquet2_geopandas",
    "parquet2_pyarrow_projjson",
    "parquet2_pyarrow_srid_row_groups",
    "parquet2_pyarrow_projjson_key",
    "parquet2_pyarrow_default_crs",
    "parquet2_pyarrow_geography",
    "parquet2_duckdb_v2",
    "parquet2_duckdb_both",
    "parquet2_duckdb_none",
    "shp_utf8_cpg",
    "shp_cp1252_no_cpg",
    "shp_cpg1252_no_prj",
    "shp_bare",
    "shp_duckdb_cp1252",
    "shp_null_dates",
    "shp_z",
    "geojson_rfc7946",
    "geojson_3d",
    "geojson_crs_member",
    "geojson_nulls_mixed",
    "csv_semicolon_cp1252",
    "csv_xy_gdal",
    "real_gpkg",
    "real_parquet_3006",
]
REAL = {"real_gpkg", "real_parquet_3006"}
EMPTY = ["gpkg", "geojson", "shp", "parquet"]

SHP_TOTAL_AREA = 215_763_327.0  # m², shapely on stadsdelar.shp (data README)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


GOOD_PARAMS = [pytest.param(n, marks=pytest.mark.real_data) if n in REAL else n for n in GOOD]


@pytest.fixture(params=GOOD_PARAMS)
def good(request: pytest.FixtureRequest, manifest: dict) -> dict:
    """A good corpus entry; the real-data ones need (and skip or fail like) ``stockholm``."""
    if request.param in REAL:
        request.getfixturevalue("stockholm")
    e = manifest["good"].get(request.param)
    assert e is not None, f"{request.param} missing from the corpus manifest"
    return e


# The CRS given for files that declare none (shapefiles without .prj).
FALLBACK_EPSG = 3011


def read_entry(corpus: Path, e: dict) -> lb.Layer:
    kwargs = dict(e["read_kwargs"])
    if e.get("layer"):
        kwargs["layer"] = e["layer"]
    if e["epsg"] is None:
        kwargs["crs"] = FALLBACK_EPSG
    return lb.read(corpus / e["file"], **kwargs)


def geometries(layer: lb.Layer) -> list[Any]:
    """The layer's geometries as shapely objects (None for null), via WKB."""
    df = layer.to_polars()
    assert "geometry" in df.columns, f"to_polars() has no 'geometry' column: {df.columns}"
    assert df.schema["geometry"] == pl.Binary, f"geometry column is {df.schema['geometry']}, not Binary (WKB)"
    return [None if b is None else shapely.from_wkb(b) for b in df["geometry"].to_list()]


def _unwrap(g: Any) -> Any:
    """A one-part multi geometry as its part (shapefiles cannot tell them apart)."""
    if g is not None and g.geom_type.startswith("Multi") and len(g.geoms) == 1:
        return g.geoms[0]
    return g


def _tolerance(g: Any, rel: float) -> float:
    coords = shapely.get_coordinates(g)
    scale = float(np.abs(coords).max()) if len(coords) else 1.0
    return rel * max(scale, 1.0)


def assert_geometries_equal(actual: list[Any], expected: list[Any], *, what: str, rel: float = 1e-9,
                            shapefile: bool = False) -> None:
    assert len(actual) == len(expected), f"{what}: {len(actual)} geometries, expected {len(expected)}"
    for i, (a, b) in enumerate(zip(actual, expected)):
        if b is None:
            assert a is None, f"{what}, feature {i}: expected a null geometry, got {a.wkt[:80]}"
            continue
        assert a is not None, f"{what}, feature {i}: geometry is null, expected {b.geom_type}"
        if shapefile:
            a, b = _unwrap(a), _unwrap(b)
        if b.has_z:  # 3-D input: x and y must survive; a reader may keep or drop z
            if a.has_z:
                za, zb = shapely.get_coordinates(a, include_z=True), shapely.get_coordinates(b, include_z=True)
                assert za.shape == zb.shape and np.allclose(np.sort(za[:, 2]), np.sort(zb[:, 2]), rtol=rel), (
                    f"{what}, feature {i}: z values differ"
                )
            a, b = shapely.force_2d(a), shapely.force_2d(b)
        assert a.geom_type == b.geom_type, f"{what}, feature {i}: {a.geom_type}, expected {b.geom_type}"
        tol = _tolerance(b, rel)
        assert shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), tolerance=tol), (
            f"{what}, feature {i}: geometry differs beyond {tol:g}:\n got      {a.wkt[:300]}\n expected {b.wkt[:300]}"
        )


def dtype_ok(dtype: pl.DataType, kind: str) -> bool:
    if kind == "str":
        return dtype == pl.String
    if kind == "int":
        return dtype.is_integer()
    if kind == "float":
        return dtype.is_float()
    if kind == "bool":
        return dtype == pl.Boolean
    if kind == "date":
        return dtype == pl.Date
    if kind == "datetime":
        return isinstance(dtype, pl.Datetime)
    if kind == "text_or_date":
        return dtype in (pl.String, pl.Date)
    if kind == "mixed":
        return True
    raise ValueError(kind)


def assert_column_values(actual: list[Any], expected: list[Any], kind: str, *, what: str) -> None:
    got = [mc.normalize(v, kind) for v in actual]
    assert len(got) == len(expected), f"{what}: {len(got)} values, expected {len(expected)}"
    bad = [(i, g, x) for i, (g, x) in enumerate(zip(got, expected)) if not mc.values_equal(g, x, kind)]
    assert not bad, f"{what}: values differ (row, got, expected): {bad}"


def epsg_of(layer: lb.Layer) -> int | None:
    return None if layer.crs is None else layer.crs.epsg


def coords(layer: lb.Layer) -> np.ndarray:
    return shapely.get_coordinates([g for g in geometries(layer) if g is not None])


# ---------------------------------------------------------------------------
# The corpus itself
# ---------------------------------------------------------------------------


def test_manifest_lists_the_good_entries(manifest: dict) -> None:
    names = {n for n in manifest["good"] if "sheets" not in manifest["good"][n]}
    assert names - REAL <= set(GOOD) and set(GOOD) - REAL <= names, (
        f"GOOD and the manifest disagree: {sorted(names ^ set(GOOD))}"
    )


def test_oracle_agrees_with_manifest(corpus: Path, good: dict) -> None:
    """The oracle reads each file as the manifest says (guards the corpus itself)."""
    e, name = good, good["file"]
    attrs, geoms, epsg = mc.read_oracle(e, corpus)
    assert len(attrs) == e["count"]
    assert epsg == e["epsg"]
    assert list(attrs.columns) == e["columns"]
    for col in e["columns"]:
        assert_column_values(attrs[col].tolist(), mc.expected_values(e, col), e["dtypes"][col],
                             what=f"oracle {name}.{col}")
    assert [i for i, g in enumerate(geoms) if g is None] == e["null_geometries"]


# ---------------------------------------------------------------------------
# Reading the corpus: lagesbild against the oracle
# ---------------------------------------------------------------------------


def test_count_and_crs(corpus: Path, good: dict) -> None:
    e = good
    layer = read_entry(corpus, e)
    attrs, _, oracle_epsg = mc.read_oracle(e, corpus)
    assert len(layer) == e["count"] == len(attrs)
    assert oracle_epsg == e["epsg"]
    epsg = FALLBACK_EPSG if e["epsg"] is None else e["epsg"]  # crs= given when the file has none
    assert layer.crs is not None, f"{e['file']}: no CRS read, expected EPSG:{epsg}"
    assert layer.crs.epsg == epsg
    assert layer.crs == epsg
    assert layer.crs == f"EPSG:{epsg}"
    assert layer.crs.is_geographic == (epsg == 4326)


@pytest.mark.parametrize("name", ["shp_cpg1252_no_prj", "shp_bare"])
def test_shapefile_without_prj_needs_crs(corpus: Path, manifest: dict, name: str) -> None:
    """No .prj: no CRS may be guessed. Either the layer has none, or a CrsError says to pass crs=."""
    path = corpus / manifest["good"][name]["file"]
    try:
        layer = lb.read(path)
    except lb.CrsError as err:
        msg = str(err)
        assert path.name in msg and "crs" in msg.lower(), msg
    else:
        assert layer.crs is None, f"{path.name} has no .prj, yet lagesbild says {layer.crs!r}"


def test_columns_and_types(corpus: Path, good: dict) -> None:
    e = good
    df = read_entry(corpus, e).attributes
    assert isinstance(df, pl.DataFrame)
    assert "geometry" not in df.columns
    expected = list(e["columns"])
    if e["oracle"] == "csv" and not set(df.columns) >= set(expected):
        # A CSV reader may turn the coordinate columns into the geometry.
        coord = {v for k, v in e["read_kwargs"].items() if k in ("x", "y", "lon", "lat")}
        expected = [c for c in expected if c not in coord]
    assert df.columns == expected
    wrong = {c: str(df.schema[c]) for c in expected if not dtype_ok(df.schema[c], e["dtypes"][c])}
    assert not wrong, f"{e['file']}: columns of the wrong type {wrong}, expected kinds {e['dtypes']}"


def test_attribute_values(corpus: Path, good: dict) -> None:
    e = good
    df = read_entry(corpus, e).attributes
    attrs, _, _ = mc.read_oracle(e, corpus)
    for col in e["columns"]:
        if col not in df.columns and e["oracle"] == "csv":
            continue
        kind = e["dtypes"][col]
        expected = mc.expected_values(e, col)
        assert_column_values(df[col].to_list(), expected, kind, what=f"lagesbild {e['file']} column {col!r}")
        assert_column_values(attrs[col].tolist(), expected, kind, what=f"oracle {e['file']} column {col!r}")


def test_geometries(corpus: Path, good: dict) -> None:
    e = good
    layer = read_entry(corpus, e)
    _, expected, _ = mc.read_oracle(e, corpus)
    actual = geometries(layer)
    assert [i for i, g in enumerate(actual) if g is None] == e["null_geometries"]
    assert_geometries_equal(actual, expected, what=e["file"], shapefile=e["file"].endswith(".shp"))


def test_geometry_types_and_bounds(corpus: Path, good: dict) -> None:
    """geom_types as GDAL reads them (shapefile: one-part Polygon, several parts Multi) and bounds."""
    e = good
    layer = read_entry(corpus, e)
    assert layer.geom_types == set(e["geom_types"])
    _, expected, _ = mc.read_oracle(e, corpus)
    want = shapely.total_bounds([g for g in expected if g is not None])
    got = np.asarray(layer.bounds, dtype=float)
    assert got.shape == (4,)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=0)


def test_multilayer_geopackage_by_layer_name(corpus: Path, manifest: dict) -> None:
    path = corpus / manifest["good"]["gpkg_flerlager_punkter"]["file"]
    got = {name: lb.read(path, layer=name) for name in ("punkter", "vagar", "omraden")}
    assert {n: epsg_of(l) for n, l in got.items()} == {"punkter": 3006, "vagar": 4326, "omraden": 3011}
    assert {n: l.geom_types for n, l in got.items()} == {
        "punkter": {"Point"},
        "vagar": {"LineString", "MultiLineString"},
        "omraden": {"MultiPolygon"},
    }


def test_geopackage_with_one_layer_needs_no_layer_name(corpus: Path, manifest: dict) -> None:
    e = manifest["good"]["gpkg_alla_typer"]
    assert len(lb.read(corpus / e["file"])) == e["count"]


def test_shapefile_crs_argument_when_there_is_no_prj(corpus: Path, manifest: dict) -> None:
    e = manifest["good"]["shp_cpg1252_no_prj"]
    layer = lb.read(corpus / e["file"], crs=3011)
    assert layer.crs == 3011 and layer.crs.epsg == 3011
    np.testing.assert_allclose(layer.length().to_numpy()[:2],
                               [g.length for g in mc.base_geometries()[1:5:3]], rtol=1e-12)


@pytest.mark.parametrize("which", EMPTY)
def test_empty_layer_raises_unless_allowed(corpus: Path, manifest: dict, which: str) -> None:
    e = manifest["empty"][which]
    path = corpus / e["file"]
    with pytest.raises(lb.EmptyLayerError) as info:
        lb.read(path)
    assert isinstance(info.value, lb.LagesbildError)
    assert path.name in str(info.value)
    layer = lb.read(path, allow_empty=True)
    assert len(layer) == 0
    assert layer.attributes.height == 0
    assert layer.attributes.columns == e["columns"]
    assert epsg_of(layer) == e["epsg"]
    assert layer.geom_types == set()


# ---------------------------------------------------------------------------
# Tables: CSV and Excel
# ---------------------------------------------------------------------------


def test_read_table_csv_semicolon_decimal_comma_cp1252(corpus: Path, manifest: dict) -> None:
    e = manifest["good"]["csv_semicolon_cp1252"]
    path = corpus / e["file"]
    df = lb.read_table(path, sep=";", decimal=",", encoding="cp1252")
    oracle = pd.read_csv(path, sep=";", decimal=",", encoding="cp1252")
    assert isinstance(df, pl.DataFrame)
    assert df.columns == list(oracle.columns) == e["columns"]
    assert df.height == len(oracle) == e["count"]
    assert df.schema["lon"] == pl.Float64 and df.schema["lat"] == pl.Float64
    assert df.schema["varde"].is_float() and df.schema["antal"].is_integer()
    for col in e["columns"]:
        kind = e["dtypes"][col]
        assert_column_values(df[col].to_list(), mc.expected_values(e, col), kind, what=f"read_table {col}")
        assert_column_values(oracle[col].tolist(), mc.expected_values(e, col), kind, what=f"pandas {col}")
    assert df["namn"].to_list()[1:3] == ["Årsta torg", "Café Ängen"]


def test_read_table_csv_default_is_comma_utf8(corpus: Path, manifest: dict) -> None:
    path = corpus / manifest["good"]["csv_xy_gdal"]["file"]
    df = lb.read_table(path)
    oracle = pl.read_csv(path)
    assert df.columns == oracle.columns == ["X", "Y", "namn", "antal"]
    assert df["namn"].to_list() == oracle["namn"].to_list()
    np.testing.assert_array_equal(df["X"].to_numpy(), oracle["X"].to_numpy())


def test_read_csv_points_lonlat_is_wgs84(corpus: Path, manifest: dict) -> None:
    e = manifest["good"]["csv_semicolon_cp1252"]
    layer = lb.read(corpus / e["file"], lon="lon", lat="lat", sep=";", decimal=",", encoding="cp1252")
    assert layer.crs == 4326 and layer.crs.is_geographic
    xy = coords(layer)
    np.testing.assert_array_equal(xy, [(r[1], r[2]) for r in mc.CSV_ROWS])


@pytest.mark.parametrize("sheet", ["Händelser", "Stadsdelar"])
def test_read_table_xlsx_sheet_by_name(corpus: Path, manifest: dict, sheet: str) -> None:
    e = manifest["good"]["xlsx_two_sheets"]
    path = corpus / e["file"]
    spec = e["sheets"][sheet]
    df = lb.read_table(path, sheet=sheet)
    oracle = pd.read_excel(path, sheet_name=sheet, engine="openpyxl")
    assert df.columns == list(oracle.columns) == spec["columns"]
    assert df.height == len(oracle) == len(spec["rows"])
    kinds = {
        "stadsdel": "str", "invanare": "int", "yta_km2": "float", "bildad": "date", "kust": "bool",
        "id": "int", "typ": "str", "lon": "float", "lat": "float", "prioritet": "float",
    }
    for j, col in enumerate(spec["columns"]):
        kind = kinds[col]
        raw = [r[j] for r in spec["rows"]]
        expected = [mc.normalize(dt.date.fromisoformat(v) if kind == "date" and v else v, kind) for v in raw]
        assert_column_values(df[col].to_list(), expected, kind, what=f"read_table {sheet}.{col}")
        assert_column_values(oracle[col].tolist(), expected, kind, what=f"pandas {sheet}.{col}")


def test_read_table_xlsx_default_sheet_is_the_first(corpus: Path, manifest: dict) -> None:
    e = manifest["good"]["xlsx_two_sheets"]
    df = lb.read_table(corpus / e["file"])
    assert df.columns == e["sheets"]["Stadsdelar"]["columns"]
    assert df["stadsdel"].to_list()[:3] == ["VÅRBERG", "ÄLVSJÖ", "ÖSTERMALM"]


# ---------------------------------------------------------------------------
# Interop: geopandas, polars, __geo_interface__
# ---------------------------------------------------------------------------


def test_to_geopandas(corpus: Path, manifest: dict) -> None:
    e = manifest["good"]["gpkg_alla_typer"]
    layer = read_entry(corpus, e)
    gdf = layer.to_geopandas()
    assert isinstance(gdf, gpd.GeoDataFrame)
    assert gdf.crs is not None and gdf.crs.to_epsg() == 3011
    assert [c for c in gdf.columns if c != gdf.geometry.name] == e["columns"]
    assert len(gdf) == e["count"]
    oracle = pyogrio.read_dataframe(corpus / e["file"], layer=e["layer"])
    expected = [None if g is None else g for g in oracle.geometry]
    assert_geometries_equal([None if g is None else g for g in gdf.geometry], expected, what="to_geopandas")
    assert gdf["namn"].tolist() == e["values"]["namn"]
    assert_column_values(gdf["datum"].tolist(), mc.expected_values(e, "datum"), "date", what="to_geopandas datum")


def test_from_geopandas(corpus: Path, manifest: dict) -> None:
    e = manifest["good"]["gpkg_flerlager_punkter"]
    gdf = pyogrio.read_dataframe(corpus / e["file"], layer="punkter")
    layer = lb.Layer.from_geopandas(gdf)
    assert len(layer) == len(gdf)
    assert layer.crs == 3006
    assert layer.attributes.columns == e["columns"]
    assert layer.attributes["namn"].to_list() == e["values"]["namn"]
    assert_geometries_equal(geometries(layer), list(gdf.geometry), what="from_geopandas")
    # and back again
    back = layer.to_geopandas()
    assert back.crs.to_epsg() == 3006
    assert_geometries_equal(list(back.geometry), list(gdf.geometry), what="from_geopandas→to_geopandas")


def test_from_polars_and_to_polars(corpus: Path) -> None:
    geoms = mc.base_geometries()
    df = pl.DataFrame(
        {
            "namn": mc.NAMN[:7],
            "antal": pl.Series(mc.ANTAL[:7], dtype=pl.Int64),
            "geometry": [shapely.to_wkb(g) for g in geoms],
        }
    )
    layer = lb.Layer.from_polars(df, geometry="geometry", crs=3011)
    assert len(layer) == 7
    assert layer.crs == 3011
    assert layer.attributes.columns == ["namn", "antal"]
    assert layer.geom_types == set(mc.GEOMETRY_TYPES)
    assert_geometries_equal(geometries(layer), geoms, what="from_polars", rel=0)
    out = layer.to_polars(geometry="wkb")
    assert out.columns == ["namn", "antal", "geometry"]
    assert out["antal"].to_list() == mc.ANTAL[:7]


def test_from_polars_other_geometry_column_and_nulls() -> None:
    df = pl.DataFrame(
        {"id": [1, 2, 3], "geom": [shapely.to_wkb(shapely.Point(1, 2)), None, shapely.to_wkb(shapely.Point(3, 4))]},
        schema={"id": pl.Int64, "geom": pl.Binary},
    )
    layer = lb.Layer.from_polars(df, geometry="geom", crs=3006)
    assert layer.attributes.columns == ["id"]
    got = geometries(layer)
    assert got[1] is None and got[0].equals(shapely.Point(1, 2)) and got[2].equals(shapely.Point(3, 4))


def test_geo_interface(corpus: Path, manifest: dict) -> None:
    e = manifest["good"]["gpkg_alla_typer"]
    layer = read_entry(corpus, e)
    gi = layer.__geo_interface__
    assert gi["type"] == "FeatureCollection"
    feats = gi["features"]
    assert len(feats) == e["count"]
    assert all(f["type"] == "Feature" for f in feats)
    expected = mc.base_geometries() + [None]
    for i, (f, g) in enumerate(zip(feats, expected)):
        if g is None:
            assert f["geometry"] is None, f"feature {i}"
        else:
            assert_geometries_equal([shapely.geometry.shape(f["geometry"])], [g], what=f"__geo_interface__ {i}")
        assert f["properties"]["namn"] == e["values"]["namn"][i]
        assert f["properties"]["antal"] == e["values"]["antal"][i]
    # geopandas accepts it as any __geo_interface__ provider
    gdf = gpd.GeoDataFrame.from_features(gi)
    assert gdf["namn"].tolist() == e["values"]["namn"]


# ---------------------------------------------------------------------------
# Validity, area, length
# ---------------------------------------------------------------------------


def test_bowtie_is_reported_with_its_index(corpus: Path, manifest: dict) -> None:
    b = manifest["bad"]["geojson_bowtie"]
    layer = lb.read(corpus / b["file"])
    valid = layer.is_valid()
    assert isinstance(valid, pl.Series) and valid.dtype == pl.Boolean
    oracle = pyogrio.read_dataframe(corpus / b["file"]).geometry.is_valid.tolist()
    assert valid.to_list() == oracle == [True, False, True]
    report = layer.validity_report()
    assert isinstance(report, pl.DataFrame)
    assert {"feature", "reason", "x", "y"} <= set(report.columns)
    assert report["feature"].to_list() == [1]
    reason = report["reason"][0].lower()
    assert "self" in reason or "intersect" in reason, reason
    assert report["x"][0] == pytest.approx(b["crossing"][0], abs=1e-6)
    assert report["y"][0] == pytest.approx(b["crossing"][1], abs=1e-6)


def test_area_and_length_against_shapely(corpus: Path, manifest: dict) -> None:
    e = manifest["good"]["gpkg_alla_typer"]
    layer = read_entry(corpus, e)
    area, length = layer.area(), layer.length()
    for s in (area, length):
        assert isinstance(s, pl.Series) and s.dtype == pl.Float64 and len(s) == e["count"]
    geoms = mc.base_geometries()
    np.testing.assert_allclose(area.to_numpy()[:7], [g.area for g in geoms], rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(length.to_numpy()[:7], [g.length for g in geoms], rtol=1e-12, atol=1e-9)
    # The null geometry has no area: null or NaN, never 0.
    for s in (area, length):
        last = s[7]
        assert last is None or math.isnan(last), f"area/length of a null geometry is {last}"


@pytest.mark.parametrize("method", ["area", "length"])
def test_metric_on_geographic_crs_raises(corpus: Path, manifest: dict, method: str) -> None:
    e = manifest["good"]["geojson_rfc7946"]
    layer = read_entry(corpus, e)
    with pytest.raises(lb.CrsError) as info:
        getattr(layer, method)()
    msg = str(info.value)
    assert "to_crs" in msg
    assert "4326" in msg or "WGS 84" in msg


def test_crs_object() -> None:
    layer = lb.Layer.from_polars(pl.DataFrame({"geometry": [shapely.to_wkb(shapely.Point(150000, 6580000))]}),
                                 crs=3011)
    crs = layer.crs
    assert crs.epsg == 3011
    assert crs == 3011 and crs == "EPSG:3011"
    assert crs != 3006 and crs != "EPSG:3006"
    assert "SWEREF" in crs.name and "18 00" in crs.name
    assert crs.is_geographic is False
    wgs = layer.to_crs(4326).crs
    assert wgs.epsg == 4326 and wgs.is_geographic is True


# ---------------------------------------------------------------------------
# The real Stockholm data
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shp(stockholm: Path) -> lb.Layer:
    return lb.read(stockholm / "stadsdelar.shp")


@pytest.fixture(scope="module")
def shp_oracle(stockholm: Path) -> gpd.GeoDataFrame:
    return pyogrio.read_dataframe(stockholm / "stadsdelar.shp", encoding="cp1252")


@pytest.fixture(scope="module")
def geojson(stockholm: Path) -> lb.Layer:
    return lb.read(stockholm / "stadsdelar.geojson")


@pytest.mark.real_data
def test_stadsdelar_shapefile(shp: lb.Layer, shp_oracle: gpd.GeoDataFrame) -> None:
    assert len(shp) == 117
    assert shp.crs == 3011 and shp.crs.epsg == 3011  # from an ESRI .prj without an authority code
    assert shp.geom_types == {"Polygon"}
    assert shp.attributes.columns == ["name"]
    names = shp.attributes["name"].to_list()
    assert names == shp_oracle["name"].tolist()
    assert "VÅRBERG" in names and "ÄLVSJÖ" in names and "ÖSTERMALM" in names
    np.testing.assert_allclose(shp.bounds, shp_oracle.total_bounds, rtol=1e-12)
    assert_geometries_equal(geometries(shp), list(shp_oracle.geometry), what="stadsdelar.shp", rel=0)


@pytest.mark.real_data
def test_stadsdelar_names_agree_between_shapefile_and_geojson(shp: lb.Layer, geojson: lb.Layer,
                                                              stockholm: Path) -> None:
    a = shp.attributes["name"].to_list()
    b = geojson.attributes["name"].to_list()
    raw = [f["properties"]["name"] for f in
           json.loads((stockholm / "stadsdelar.geojson").read_text(encoding="utf-8"))["features"]]
    assert a == b == raw
    assert len(set(a)) == 117
    assert geojson.crs == 4326 and geojson.crs.is_geographic


@pytest.mark.real_data
def test_stadsdelar_csv_names_match(shp: lb.Layer, stockholm: Path) -> None:
    table = lb.read_table(stockholm / "stadsdelsomraden.csv")
    assert table.columns == ["stadsdel", "stadsdelsomrade", "region", "stadsdelsomrade_2023"]
    assert sorted(table["stadsdel"].to_list()) == sorted(shp.attributes["name"].to_list())
    assert "Västerort" in table["region"].to_list()


@pytest.mark.real_data
def test_stadsdelar_area_per_feature_and_total(shp: lb.Layer, shp_oracle: gpd.GeoDataFrame) -> None:
    area = shp.area()
    expected = shp_oracle.geometry.area.to_numpy()
    np.testing.assert_allclose(area.to_numpy(), expected, rtol=1e-9)
    assert abs(area.sum() - expected.sum()) <= 1.0
    assert abs(area.sum() - SHP_TOTAL_AREA) <= 1.0
    np.testing.assert_allclose(shp.length().to_numpy(), shp_oracle.geometry.length.to_numpy(), rtol=1e-9)


@pytest.mark.real_data
def test_stadsdelar_geojson_to_sweref_areas_match_shapefile(shp: lb.Layer, geojson: lb.Layer) -> None:
    projected = geojson.to_crs(3011)
    assert projected.crs == 3011
    a = dict(zip(shp.attributes["name"].to_list(), shp.area().to_list()))
    b = dict(zip(projected.attributes["name"].to_list(), projected.area().to_list()))
    assert a.keys() == b.keys()
    off = {n: (b[n] - a[n]) / a[n] for n in a if abs(b[n] - a[n]) > 1e-4 * a[n]}
    assert not off, f"areas differ by more than 0.01 %: {off}"


@pytest.mark.real_data
def test_stadsdelar_to_wgs84_agrees_with_pyproj(shp: lb.Layer) -> None:
    src = coords(shp)
    wgs = shp.to_crs(4326)
    assert wgs.crs == 4326 and wgs.crs.is_geographic
    got = coords(wgs)
    assert got.shape == src.shape
    tr = pyproj.Transformer.from_crs(3011, 4326, always_xy=True)
    lon, lat = tr.transform(src[:, 0], src[:, 1])
    # 1e-8 degrees is about 1 mm of latitude, 0.6 mm of longitude here
    np.testing.assert_allclose(got[:, 0], lon, rtol=0, atol=1e-8)
    np.testing.assert_allclose(got[:, 1], lat, rtol=0, atol=1e-8)


@pytest.mark.real_data
def test_stadsdelar_round_trip_3011_4326_3011_within_1mm(shp: lb.Layer) -> None:
    back = shp.to_crs(4326).to_crs(3011)
    assert back.crs == 3011
    d = np.hypot(*(coords(back) - coords(shp)).T)
    assert d.max() <= 1e-3, f"round trip moves a vertex {d.max() * 1000:.3f} mm"


@pytest.mark.real_data
@pytest.mark.parametrize(("src", "dst"), [(3011, 3006), (3006, 3011)])
def test_sweref_zone_transforms_agree_with_pyproj(shp: lb.Layer, src: int, dst: int) -> None:
    start = shp if src == 3011 else shp.to_crs(3006)
    assert start.crs == src
    xy = coords(start)
    out = start.to_crs(dst)
    assert out.crs == dst
    got = coords(out)
    tr = pyproj.Transformer.from_crs(src, dst, always_xy=True)
    x, y = tr.transform(xy[:, 0], xy[:, 1])
    d = np.hypot(got[:, 0] - x, got[:, 1] - y)
    worst = int(d.argmax())
    assert d.max() <= 1e-3, f"vertex {worst} is {d.max() * 1000:.3f} mm from pyproj's EPSG:{src}→{dst}"


@pytest.mark.real_data
def test_stadsdelar_validity_against_shapely(shp: lb.Layer, shp_oracle: gpd.GeoDataFrame) -> None:
    assert shp.is_valid().to_list() == shp_oracle.geometry.is_valid.tolist()
    assert shp.validity_report().height == int((~shp_oracle.geometry.is_valid).sum())


@pytest.mark.real_data
def test_vatten(stockholm: Path) -> None:
    layer = lb.read(stockholm / "vatten.shp")
    oracle = pyogrio.read_dataframe(stockholm / "vatten.shp")
    assert len(layer) == 1 and layer.crs == 3011
    assert layer.geom_types == {"MultiPolygon"}
    assert layer.area()[0] == pytest.approx(oracle.geometry.area.iloc[0], rel=1e-9)


@pytest.mark.real_data
def test_stadsdelar_simplified(stockholm: Path, geojson: lb.Layer) -> None:
    layer = lb.read(stockholm / "stadsdelar_simplified.geojson")
    assert len(layer) == 117 and layer.crs == 4326
    assert layer.attributes["name"].to_list() == geojson.attributes["name"].to_list()
    assert len(coords(layer)) < len(coords(geojson))


# ---------------------------------------------------------------------------
# Writing: lagesbild's output, read back by lagesbild and by GDAL / geopandas
# ---------------------------------------------------------------------------


@pytest.mark.real_data
def test_round_trip_shp_gpkg_parquet_geojson(shp: lb.Layer, tmp_path: Path) -> None:
    names = shp.attributes["name"].to_list()
    original = geometries(shp)

    def check(layer: lb.Layer, what: str) -> None:
        assert len(layer) == 117, what
        assert layer.crs == 3011, f"{what}: CRS {layer.crs!r}"
        assert layer.attributes.columns == ["name"], what
        assert layer.attributes["name"].to_list() == names, what
        assert_geometries_equal(geometries(layer), original, what=what)

    gpkg = tmp_path / "steg1.gpkg"
    shp.write(gpkg, layer="stadsdelar")
    a = lb.read(gpkg)
    check(a, "shp→gpkg")
    pq_path = tmp_path / "steg2.parquet"
    a.write(pq_path)
    b = lb.read(pq_path)
    check(b, "shp→gpkg→parquet")
    gj = tmp_path / "steg3.geojson"
    b.write(gj, keep_crs=True)
    c = lb.read(gj)
    check(c, "shp→gpkg→parquet→geojson(keep_crs)")
    gj2 = tmp_path / "steg4.geojson"
    c.write(gj2, keep_crs=True)
    check(lb.read(gj2), "…→geojson(keep_crs)→geojson(keep_crs)")


@pytest.mark.real_data
def test_our_geopackage_read_by_gdal(shp: lb.Layer, shp_oracle: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = tmp_path / "ut.gpkg"
    shp.write(path, layer="stadsdelar")
    layers = pyogrio.list_layers(path)
    assert [l[0] for l in layers] == ["stadsdelar"]
    gdf = pyogrio.read_dataframe(path, layer="stadsdelar")
    assert gdf.crs.to_epsg() == 3011
    assert gdf["name"].tolist() == shp_oracle["name"].tolist()
    assert_geometries_equal(list(gdf.geometry), list(shp_oracle.geometry), what="GDAL reading our GeoPackage")


@pytest.mark.real_data
def test_our_geoparquet_read_by_geopandas(shp: lb.Layer, shp_oracle: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = tmp_path / "ut.parquet"
    shp.write(path)
    kv = pq.ParquetFile(path).metadata.metadata or {}  # the file's key-value metadata
    assert b"geo" in kv, f"no 'geo' key in the Parquet metadata: {sorted(kv)}"
    meta = json.loads(kv[b"geo"])
    assert meta["version"] == "1.1.0"
    col = meta["columns"][meta["primary_column"]]
    assert col["encoding"] == "WKB"
    assert pyproj.CRS.from_json_dict(col["crs"]).to_epsg() == 3011, "crs must be PROJJSON for EPSG:3011"
    assert set(col["geometry_types"]) <= {"Polygon", "MultiPolygon"} and col["geometry_types"]
    gdf = gpd.read_parquet(path)
    assert gdf.crs.to_epsg() == 3011
    assert gdf["name"].tolist() == shp_oracle["name"].tolist()
    assert_geometries_equal(list(gdf.geometry), list(shp_oracle.geometry), what="geopandas reading our GeoParquet")


@pytest.mark.real_data
def test_our_geojson_is_rfc7946(shp: lb.Layer, tmp_path: Path) -> None:
    path = tmp_path / "ut.geojson"
    shp.write(path)
    obj = json.loads(path.read_text(encoding="utf-8"))
    assert obj["type"] == "FeatureCollection"
    assert "crs" not in obj, "RFC 7946 output has no crs member"
    assert len(obj["features"]) == 117
    for i, f in enumerate(obj["features"]):
        g = shapely.geometry.shape(f["geometry"])
        polys = g.geoms if g.geom_type == "MultiPolygon" else [g]
        for p in polys:
            assert p.exterior.is_ccw, f"feature {i}: exterior ring not counterclockwise (RFC 7946 §3.1.6)"
            assert all(not r.is_ccw for r in p.interiors), f"feature {i}: hole not clockwise"
    back = lb.read(path)
    assert back.crs == 4326
    expected = coords(shp.to_crs(4326))
    got = coords(back)
    assert got.shape == expected.shape
    np.testing.assert_allclose(np.sort(got, axis=0), np.sort(expected, axis=0), rtol=0, atol=1e-7)
    gdf = pyogrio.read_dataframe(path)
    assert gdf.crs.to_epsg() == 4326 and gdf["name"].tolist() == shp.attributes["name"].to_list()


@pytest.mark.real_data
def test_our_geojson_keep_crs(shp: lb.Layer, tmp_path: Path) -> None:
    path = tmp_path / "ut_3011.geojson"
    shp.write(path, keep_crs=True)
    obj = json.loads(path.read_text(encoding="utf-8"))
    assert "3011" in obj["crs"]["properties"]["name"]
    x0, y0 = shapely.get_coordinates(shapely.geometry.shape(obj["features"][0]["geometry"]))[0]
    assert 100_000 < x0 < 200_000 and 6_500_000 < y0 < 6_700_000, "keep_crs must write metres, not degrees"
    gdf = pyogrio.read_dataframe(path)
    assert gdf.crs.to_epsg() == 3011
    assert_geometries_equal(list(gdf.geometry), geometries(shp), what="GDAL reading our GeoJSON (keep_crs)")


@pytest.mark.parametrize("ext", [".gpkg", ".parquet"])
def test_round_trip_keeps_attribute_types(corpus: Path, manifest: dict, tmp_path: Path, ext: str) -> None:
    """Every attribute type, nulls, '' versus null, every geometry type and a null geometry."""
    e = manifest["good"]["gpkg_alla_typer"]
    layer = read_entry(corpus, e)
    path = tmp_path / f"alla{ext}"
    layer.write(path, layer="alla") if ext == ".gpkg" else layer.write(path)
    back = lb.read(path)
    assert len(back) == e["count"] and back.crs == 3011
    assert back.attributes.columns == e["columns"]
    for col in e["columns"]:
        kind = e["dtypes"][col]
        assert dtype_ok(back.attributes.schema[col], kind), f"{col}: {back.attributes.schema[col]} after {ext}"
        assert_column_values(back.attributes[col].to_list(), mc.expected_values(e, col), kind,
                             what=f"{ext} round trip {col}")
    assert back.attributes["kommentar"][1] is None and back.attributes["kommentar"][2] == ""
    assert_geometries_equal(geometries(back), mc.base_geometries() + [None], what=f"{ext} round trip")
    # and the oracle reads our file the same way
    if ext == ".gpkg":
        oracle = pyogrio.read_dataframe(path, layer="alla")
    else:
        oracle = gpd.read_parquet(path)
    assert oracle.crs.to_epsg() == 3011 and len(oracle) == e["count"]
    for col in e["columns"]:
        assert_column_values(oracle[col].tolist(), mc.expected_values(e, col), e["dtypes"][col],
                             what=f"oracle reading our {ext} {col}")
    assert_geometries_equal([None if g is None else g for g in oracle.geometry], mc.base_geometries() + [None],
                            what=f"oracle reading our {ext}")


def test_round_trip_geojson_keep_crs_all_types(corpus: Path, manifest: dict, tmp_path: Path) -> None:
    e = manifest["good"]["gpkg_alla_typer"]
    layer = read_entry(corpus, e)
    path = tmp_path / "alla.geojson"
    layer.write(path, keep_crs=True)
    back = lb.read(path)
    assert back.crs == 3011 and len(back) == e["count"]
    assert back.attributes.columns == e["columns"]
    for col in e["columns"]:
        kind = mc.GEOJSON_DTYPES[col]
        assert_column_values(back.attributes[col].to_list(), mc.expected_values(e, col), kind,
                             what=f"geojson round trip {col}")
    assert_geometries_equal(geometries(back), mc.base_geometries() + [None], what="geojson round trip")
    oracle = pyogrio.read_dataframe(path)
    assert oracle.crs.to_epsg() == 3011
    assert oracle["namn"].tolist()[:7] == e["values"]["namn"][:7]


def test_multilayer_write_to_one_geopackage(corpus: Path, manifest: dict, tmp_path: Path) -> None:
    src = corpus / manifest["good"]["gpkg_flerlager_punkter"]["file"]
    path = tmp_path / "två.gpkg"
    lb.read(src, layer="punkter").write(path, layer="punkter")
    lb.read(src, layer="vagar").write(path, layer="vagar")
    assert sorted(l[0] for l in pyogrio.list_layers(path)) == ["punkter", "vagar"]
    assert lb.read(path, layer="punkter").crs == 3006
    assert lb.read(path, layer="vagar").crs == 4326


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "lagesbild", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, env=env)


@pytest.mark.real_data
def test_cli_info_shapefile(stockholm: Path) -> None:
    r = _cli("info", str(stockholm / "stadsdelar.shp"))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "3011" in out and "117" in out and "Polygon" in out and "name" in out
    assert "shapefile" in out.lower()
    # the bounds, to the metre
    gdf = pyogrio.read_info(stockholm / "stadsdelar.shp")
    flat = out.replace(" ", "").replace(",", "").replace("\u00a0", "")
    for v in gdf["total_bounds"]:
        assert str(math.floor(v)) in flat or str(round(v)) in flat, f"bound {v} not in:\n{out}"


def test_cli_info_reports_invalid_geometry(corpus: Path, manifest: dict) -> None:
    r = _cli("info", str(corpus / manifest["bad"]["geojson_bowtie"]["file"]))
    assert r.returncode == 0, r.stderr
    low = r.stdout.lower()
    assert "invalid" in low and ("self" in low or "intersect" in low), r.stdout


@pytest.mark.parametrize(
    ("name", "storage"),
    [
        ("parquet2_pyarrow_geography",
         'column "geometry", WKB with Parquet\'s GEOGRAPHY type (spherical edges); no GeoParquet metadata'),
        ("parquet2_duckdb_v2", 'column "geom", WKB with Parquet\'s GEOMETRY type; GeoParquet 2.0.0 metadata'),
        ("parquet2_pyarrow_srid_row_groups",
         'column "geometry", WKB with Parquet\'s GEOMETRY type; no GeoParquet metadata'),
        ("parquet_geopandas", 'column "geometry", WKB; GeoParquet 1.1.0 metadata'),
    ],
)
def test_cli_info_geoparquet_storage_crs_and_types(corpus: Path, manifest: dict, name: str, storage: str) -> None:
    """``lagesbild info`` on GeoParquet 2.0 and Parquet GEOMETRY/GEOGRAPHY: the storage, CRS and geometry types."""
    e = manifest["good"][name]
    r = _cli("info", str(corpus / e["file"]))
    assert r.returncode == 0, r.stderr
    lines = {k.strip(): v.strip() for k, _, v in (ln.partition(":") for ln in r.stdout.splitlines()) if v}
    assert lines["storage"] == storage, r.stdout
    assert lines["CRS"].startswith(f"EPSG:{e['epsg']} ("), r.stdout
    types = lines["geometry"].split(" (")[0].split(", ")
    assert types == e["geom_types"], r.stdout
    assert lines["features"] == str(e["count"]), r.stdout


def test_cli_info_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "finns_inte.gpkg"
    r = _cli("info", str(missing))
    assert r.returncode != 0
    assert "finns_inte.gpkg" in r.stderr
    assert "Traceback" not in r.stderr


# ---------------------------------------------------------------------------
# The committed fixtures (data/fixtures, for the command line)
# ---------------------------------------------------------------------------

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "fixtures"


@pytest.mark.parametrize(
    ("name", "layer", "kwargs", "epsg"),
    [
        ("stadsdelar_sample.geojson", None, {}, 4326),
        ("stadsdelar_sample.shp", None, {}, 3011),
        ("stadsdelar_sample.gpkg", "stadsdelar", {}, 3011),
        ("stadsdelar_sample.gpkg", "punkter", {}, 3006),
        ("stadsdelar_sample.parquet", None, {}, 3006),
        ("invalid_sample.geojson", None, {}, 3011),
    ],
)
def test_committed_fixtures_read_like_gdal(name: str, layer: str | None, kwargs: dict, epsg: int) -> None:
    path = FIXTURES / name
    got = lb.read(path, layer=layer, **kwargs)
    oracle = gpd.read_parquet(path) if name.endswith(".parquet") else pyogrio.read_dataframe(path, layer=layer)
    assert len(got) == len(oracle)
    assert got.crs == epsg == oracle.crs.to_epsg()
    assert got.attributes.columns == [c for c in oracle.columns if c != oracle.geometry.name]
    for col in got.attributes.columns:
        assert got.attributes[col].to_list() == oracle[col].tolist(), col
    assert_geometries_equal(geometries(got), list(oracle.geometry), what=name)
    assert got.is_valid().to_list() == oracle.geometry.is_valid.tolist()


def test_committed_fixture_tables() -> None:
    csv = lb.read(FIXTURES / "punkter_sv.csv", lon="lon", lat="lat", sep=";", decimal=",", encoding="cp1252")
    oracle = pd.read_csv(FIXTURES / "punkter_sv.csv", sep=";", decimal=",", encoding="cp1252")
    assert len(csv) == len(oracle) == 7 and csv.crs == 4326
    assert csv.attributes["namn"].to_list() == oracle["namn"].tolist()
    np.testing.assert_array_equal(coords(csv), oracle[["lon", "lat"]].to_numpy())
    sheet = lb.read_table(FIXTURES / "stadsdelar_sample.xlsx", sheet="Punkter")
    assert sheet.columns == ["namn", "lon", "lat"]
    assert sheet["namn"].to_list() == oracle["namn"].tolist()
    np.testing.assert_allclose(sheet["lon"].to_numpy(), oracle["lon"].to_numpy(), rtol=1e-15)


# ---------------------------------------------------------------------------
# Property test: whatever goes in through from_polars comes back out of every writer
# ---------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_coord = st.floats(min_value=100_000.0, max_value=800_000.0, allow_nan=False, allow_infinity=False)
_northing = st.floats(min_value=6_100_000.0, max_value=7_700_000.0, allow_nan=False, allow_infinity=False)
_xy = st.tuples(_coord, _northing)


@st.composite
def _geometry(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["point", "line", "box", "box_hole", "multipoint", "null"]))
    if kind == "null":
        return None
    if kind == "point":
        return shapely.Point(draw(_xy))
    if kind == "line":
        return shapely.LineString(draw(st.lists(_xy, min_size=2, max_size=6, unique=True)))
    if kind == "multipoint":
        return shapely.MultiPoint(draw(st.lists(_xy, min_size=1, max_size=5)))
    x, y = draw(_xy)
    w = draw(st.floats(min_value=1.0, max_value=5000.0))
    h = draw(st.floats(min_value=1.0, max_value=5000.0))
    shell = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
    holes = []
    if kind == "box_hole":
        holes = [[(x + w / 4, y + h / 4), (x + w / 4, y + h / 2), (x + w / 2, y + h / 2), (x + w / 2, y + h / 4),
                  (x + w / 4, y + h / 4)]]
    return shapely.Polygon(shell, holes)


_text = st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                                     max_size=20))
_int = st.one_of(st.none(), st.integers(min_value=-(2**63), max_value=2**63 - 1))
_float = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))
_bool = st.one_of(st.none(), st.booleans())
_date = st.one_of(st.none(), st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)))
_row = st.tuples(_geometry(), _text, _int, _float, _bool, _date)


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_row, min_size=1, max_size=8))
def test_writers_round_trip_anything(rows: list[tuple]) -> None:
    import tempfile

    df = pl.DataFrame(
        {
            "text": [r[1] for r in rows],
            "int": [r[2] for r in rows],
            "float": [r[3] for r in rows],
            "bool": [r[4] for r in rows],
            "date": [r[5] for r in rows],
            "geometry": [None if r[0] is None else shapely.to_wkb(r[0]) for r in rows],
        },
        schema={"text": pl.String, "int": pl.Int64, "float": pl.Float64, "bool": pl.Boolean, "date": pl.Date,
                "geometry": pl.Binary},
    )
    layer = lb.Layer.from_polars(df, crs=3011)
    expected_geoms = [r[0] for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        for name, kwargs in (("a.gpkg", {"layer": "a"}), ("a.parquet", {}), ("a.geojson", {"keep_crs": True})):
            path = Path(tmp) / name
            layer.write(path, **kwargs)
            back = lb.read(path)
            assert back.crs == 3011, name
            assert len(back) == len(rows), name
            got = back.attributes
            # (GeoJSON column order is checked elsewhere; here the values are what matters)
            assert sorted(got.columns) == sorted(["text", "int", "float", "bool", "date"]), name
            assert got["text"].to_list() == df["text"].to_list(), name
            assert got["int"].to_list() == df["int"].to_list(), name
            assert got["float"].to_list() == df["float"].to_list(), name
            assert got["bool"].to_list() == df["bool"].to_list(), name
            dates = [None if v is None else (v if isinstance(v, dt.date) else dt.date.fromisoformat(v))
                     for v in got["date"].to_list()]
            assert dates == df["date"].to_list(), name
            assert_geometries_equal(geometries(back), expected_geoms, what=name, rel=0)
