"""Bad input: missing, empty, damaged and unidentifiable files.

Each case asserts the exception type, what the message says (the file name,
and the feature index or column where there is one) and the exception's
attributes (.path, .feature, .column). A user must be able to find and fix
the problem from the message alone.
"""

from __future__ import annotations

import builtins
import shutil
from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest
import shapely


def bad(manifest: dict, corpus: Path, name: str) -> tuple[Path, dict]:
    info = manifest["bad"][name]
    return corpus / info["file"], info


def check_path_attr(err: lb.LagesbildError, path: Path, *, required: bool = True) -> None:
    """``.path`` names the file (it may be None only where ``required`` is False)."""
    if err.path is None and not required:
        return
    assert err.path is not None, f"{type(err).__name__}.path is None for {path.name}: {err}"
    assert isinstance(err.path, str)
    assert Path(err.path).name == path.name, f".path is {err.path!r}, expected the file {path.name}"


def check_feature_attr(err: lb.LagesbildError, feature: int | None, *, optional: bool = False) -> None:
    if optional and err.feature is None:
        return
    assert err.feature == feature, f".feature is {err.feature!r}, expected {feature}: {err}"
    if feature is not None:
        assert f"feature {feature}" in str(err), f"message does not name feature {feature}: {err}"


# ---------------------------------------------------------------------------
# Missing files
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("ext", [".shp", ".geojson", ".gpkg", ".parquet", ".csv"])
def test_missing_file(tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"finns_inte{ext}"
    kwargs = {"lon": "lon", "lat": "lat"} if ext == ".csv" else {}
    with pytest.raises(lb.FileNotFoundError) as info:
        lb.read(path, **kwargs)
    err = info.value
    assert isinstance(err, builtins.FileNotFoundError)
    assert isinstance(err, lb.LagesbildError)
    assert path.name in str(err)
    check_path_attr(err, path)
    assert err.feature is None and err.column is None


def test_missing_file_caught_by_builtin_except(tmp_path: Path) -> None:
    path = tmp_path / "saknas.geojson"
    try:
        lb.read(path)
    except FileNotFoundError as err:  # the builtin
        assert "saknas.geojson" in str(err)
    else:
        pytest.fail("no exception for a missing file")


@pytest.mark.parametrize("ext", [".csv", ".xlsx"])
def test_read_table_missing_file(tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"borta{ext}"
    with pytest.raises(lb.FileNotFoundError) as info:
        lb.read_table(path)
    assert path.name in str(info.value)
    check_path_attr(info.value, path)


@pytest.mark.parametrize(("name", "companion"), [("shp_missing_shx", ".shx"), ("shp_missing_dbf", ".dbf")])
def test_shapefile_missing_companion(corpus: Path, manifest: dict, name: str, companion: str) -> None:
    path, info = bad(manifest, corpus, name)
    with pytest.raises((lb.FileNotFoundError, lb.FormatError)) as exc:
        lb.read(path)
    err = exc.value
    msg = str(err)
    assert info["missing"] in msg or (path.name in msg and companion in msg), (
        f"message should say that {info['missing']} is missing: {msg}"
    )
    assert err.path is not None
    assert Path(err.path).name in (path.name, info["missing"])
    if isinstance(err, lb.FileNotFoundError):
        assert Path(err.path).name == info["missing"], "FileNotFoundError.path must be the missing file"


# ---------------------------------------------------------------------------
# Empty and damaged files
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("ext", ["shp", "geojson", "json", "gpkg", "parquet"])
def test_zero_byte_file(corpus: Path, manifest: dict, ext: str) -> None:
    path, _ = bad(manifest, corpus, f"zero_bytes_{ext}")
    with pytest.raises(lb.FormatError) as info:
        lb.read(path)
    assert path.name in str(info.value)
    check_path_attr(info.value, path)
    assert info.value.column is None


def test_zero_byte_csv(corpus: Path, manifest: dict) -> None:
    path, _ = bad(manifest, corpus, "zero_bytes_csv")
    with pytest.raises((lb.FormatError, lb.EmptyLayerError)) as info:
        lb.read(path, lon="lon", lat="lat")
    assert path.name in str(info.value)
    check_path_attr(info.value, path, required=isinstance(info.value, lb.FormatError))


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_zero_byte_table(corpus: Path, manifest: dict, ext: str) -> None:
    path, _ = bad(manifest, corpus, f"zero_bytes_{ext}")
    with pytest.raises((lb.FormatError, lb.EmptyLayerError)) as info:
        lb.read_table(path)
    assert path.name in str(info.value)
    if ext == "xlsx":  # not a zip archive at all
        assert isinstance(info.value, lb.FormatError)
        check_path_attr(info.value, path)


def test_truncated_shapefile(corpus: Path, manifest: dict) -> None:
    path, info = bad(manifest, corpus, "shp_truncated")
    with pytest.raises(lb.FormatError) as exc:
        lb.read(path)
    err = exc.value
    assert path.name in str(err)
    check_path_attr(err, path)
    # The .shx promises six records; the second one is cut off.
    check_feature_attr(err, info["feature"], optional=True)


def test_malformed_json(corpus: Path, manifest: dict) -> None:
    path, _ = bad(manifest, corpus, "geojson_malformed")
    with pytest.raises(lb.FormatError) as info:
        lb.read(path)
    assert path.name in str(info.value)
    check_path_attr(info.value, path)
    assert info.value.column is None


def test_json_that_is_not_geojson(corpus: Path, manifest: dict) -> None:
    path, _ = bad(manifest, corpus, "geojson_not_geojson")
    with pytest.raises(lb.FormatError) as info:
        lb.read(path)
    msg = str(info.value)
    assert path.name in msg and "Topology" in msg, msg
    check_path_attr(info.value, path)


@pytest.mark.parametrize(
    "name",
    ["geojson_open_ring", "geojson_string_coordinate", "geojson_short_position", "geojson_unknown_geometry_type"],
)
def test_bad_geometry_names_the_feature(corpus: Path, manifest: dict, name: str) -> None:
    path, info = bad(manifest, corpus, name)
    with pytest.raises((lb.FormatError, lb.InvalidGeometryError)) as exc:
        lb.read(path)
    err = exc.value
    assert path.name in str(err), f"message does not name the file: {err}"
    check_feature_attr(err, info["feature"])
    if isinstance(err, lb.FormatError):
        check_path_attr(err, path)


@pytest.mark.parametrize("name", ["geojson_nan", "geojson_infinite"])
def test_non_finite_coordinates(corpus: Path, manifest: dict, name: str) -> None:
    """NaN is not JSON, and 1e999 is not a finite number: either way the file is bad."""
    path, info = bad(manifest, corpus, name)
    with pytest.raises((lb.FormatError, lb.InvalidGeometryError)) as exc:
        lb.read(path)
    err = exc.value
    assert path.name in str(err)
    # A JSON parser may stop before it knows which feature it is in.
    check_feature_attr(err, info["feature"], optional=True)
    if isinstance(err, lb.FormatError):
        check_path_attr(err, path)


def test_not_a_geopackage(corpus: Path, manifest: dict) -> None:
    path, _ = bad(manifest, corpus, "gpkg_not_geopackage")
    with pytest.raises(lb.FormatError) as info:
        lb.read(path)
    assert path.name in str(info.value)
    check_path_attr(info.value, path)


def test_parquet_without_geometry(corpus: Path, manifest: dict) -> None:
    path, _ = bad(manifest, corpus, "parquet_no_geometry")
    with pytest.raises((lb.FormatError, lb.ColumnNotFoundError)) as info:
        lb.read(path)
    assert path.name in str(info.value)
    assert "geo" in str(info.value).lower()


@pytest.mark.parametrize("name", ["parquet2_damaged_crs_length", "parquet2_damaged_footer_length"])
def test_parquet_damaged_footer_with_geometry_type(corpus: Path, manifest: dict, name: str) -> None:
    """A damaged footer of a file with Parquet's GEOMETRY type: a FormatError naming the file, not a panic."""
    path, _ = bad(manifest, corpus, name)
    with pytest.raises(lb.FormatError) as info:
        lb.read(path)
    assert "damaged Parquet file" in str(info.value)
    assert path.name in str(info.value)
    check_path_attr(info.value, path)


def test_parquet_geography_in_a_projected_crs(corpus: Path, manifest: dict) -> None:
    """GEOGRAPHY edges follow the sphere: a projected CRS contradicts them."""
    path, _ = bad(manifest, corpus, "parquet2_geography_projected")
    with pytest.raises(lb.FormatError) as info:
        lb.read(path)
    msg = str(info.value)
    assert "spherical edges" in msg and "EPSG:3011" in msg and "projected" in msg, msg
    check_path_attr(info.value, path)


def test_unsupported_format(corpus: Path, manifest: dict) -> None:
    """A FlatGeobuf file (GDAL reads it, lagesbild does not): say so, and say what is read."""
    path, _ = bad(manifest, corpus, "unsupported_fgb")
    with pytest.raises(lb.FormatError) as exc:
        lb.read(path)
    msg = str(exc.value)
    assert path.name in msg
    assert ".gpkg" in msg and ".shp" in msg, f"the message should list the formats that are read: {msg}"
    check_path_attr(exc.value, path)


# ---------------------------------------------------------------------------
# CRS
# ---------------------------------------------------------------------------


def test_unknown_prj(corpus: Path, manifest: dict) -> None:
    path, _ = bad(manifest, corpus, "shp_unknown_crs")
    with pytest.raises(lb.CrsError) as info:
        lb.read(path)
    msg = str(info.value)
    assert path.name in msg or path.with_suffix(".prj").name in msg, msg
    assert "crs" in msg.lower()
    # the error is about this file (its .prj): .path must say which
    assert info.value.path is not None and Path(info.value.path).name in (path.name, path.with_suffix(".prj").name)


def test_unknown_prj_overridden_by_crs_argument(corpus: Path, manifest: dict) -> None:
    path, _ = bad(manifest, corpus, "shp_unknown_crs")
    layer = lb.read(path, crs=3011)
    assert layer.crs == 3011 and len(layer) == 3


def test_geojson_epsg_9999(corpus: Path, manifest: dict) -> None:
    path, info = bad(manifest, corpus, "geojson_epsg9999")
    with pytest.raises(lb.CrsError) as exc:
        lb.read(path)
    msg = str(exc.value)
    assert path.name in msg and info["code"] in msg, msg
    check_path_attr(exc.value, path)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("parquet2_crs_null", ["explicit null"]),
        ("parquet2_unknown_srid", ["srid:999999", "GEOMETRY"]),
        ("parquet2_crs_conflict", ["EPSG:3006", "EPSG:3011", '"geo" metadata', "GEOMETRY type"]),
    ],
)
def test_parquet_crs_unknown_unidentified_or_contradicted(corpus: Path, manifest: dict, name: str,
                                                          says: list[str]) -> None:
    """GeoParquet 2.0: a CRS the file does not know, one lagesbild cannot identify, or two that disagree.

    Each is a CrsError saying what the file declares, and crs= settles it.
    """
    path, _ = bad(manifest, corpus, name)
    with pytest.raises(lb.CrsError) as info:
        lb.read(path)
    msg = str(info.value)
    assert path.name in msg and "crs=" in msg, msg
    for s in says:
        assert s in msg, f"{s!r} not in: {msg}"
    layer = lb.read(path, crs=3011)
    assert layer.crs == 3011 and len(layer) > 0


def test_to_crs_unknown_code(corpus: Path, manifest: dict) -> None:
    e = manifest["good"]["gpkg_alla_typer"]
    layer = lb.read(corpus / e["file"])
    with pytest.raises(lb.CrsError) as info:
        layer.to_crs(9999)
    assert "9999" in str(info.value)


def test_to_crs_without_a_crs(corpus: Path, manifest: dict) -> None:
    """A shapefile without .prj cannot be transformed: CrsError when read or, at the latest, in to_crs."""
    path = corpus / manifest["good"]["shp_bare"]["file"]
    with pytest.raises(lb.CrsError) as info:
        lb.read(path).to_crs(3006)
    assert path.name in str(info.value) or "crs" in str(info.value).lower()


def test_area_on_wgs84_tells_to_call_to_crs(corpus: Path, manifest: dict) -> None:
    e = manifest["good"]["gpkg_flerlager_vagar"]
    layer = lb.read(corpus / e["file"], layer="vagar")
    with pytest.raises(lb.CrsError) as info:
        layer.area()
    msg = str(info.value)
    assert "to_crs" in msg, msg
    assert "vagar" in msg or "flerlager.gpkg" in msg, f"message names neither the layer nor the file: {msg}"


# ---------------------------------------------------------------------------
# Columns, layers, sheets
# ---------------------------------------------------------------------------


def test_csv_missing_coordinate_column(corpus: Path, manifest: dict) -> None:
    path, info = bad(manifest, corpus, "csv_missing_column")
    with pytest.raises(lb.ColumnNotFoundError) as exc:
        lb.read(path, lon="lon", lat="lat", sep=";", decimal=",", encoding="cp1252")
    err = exc.value
    msg = str(err)
    assert err.column == info["column"] == "lat"
    assert "lat" in msg and path.name in msg, msg
    # the columns that are there, so that the user sees the right name
    assert "lon" in msg and "namn" in msg, msg
    check_path_attr(err, path)


def test_csv_non_numeric_coordinate(corpus: Path, manifest: dict) -> None:
    """'okänd' in the lon column of data row 3: the error must lead to that cell."""
    path, info = bad(manifest, corpus, "csv_bad_coordinate")
    with pytest.raises(lb.FormatError) as exc:
        lb.read(path, lon="lon", lat="lat", sep=";", decimal=",", encoding="cp1252")
    err = exc.value
    msg = str(err)
    assert path.name in msg, msg
    check_path_attr(err, path)
    assert err.column == "lon" or err.feature == info["feature"], (
        f"neither .column ({err.column!r}) nor .feature ({err.feature!r}) points at the bad cell: {msg}"
    )
    if err.column is not None:
        assert err.column == "lon" and "lon" in msg
    if err.feature is not None:
        check_feature_attr(err, info["feature"])


def test_csv_without_usable_coordinate_columns(corpus: Path, manifest: dict) -> None:
    """No lon/lat given and only a 'lon' column: nothing to make points from."""
    path, _ = bad(manifest, corpus, "csv_missing_column")
    with pytest.raises(lb.LagesbildError) as info:
        lb.read(path, sep=";", decimal=",", encoding="cp1252")
    msg = str(info.value)
    assert path.name in msg, msg
    assert "lat" in msg or "coordinate" in msg.lower(), msg


def test_geopackage_layer_must_be_chosen(corpus: Path, manifest: dict) -> None:
    path, info = bad(manifest, corpus, "gpkg_layer_choice")
    with pytest.raises(lb.LagesbildError) as exc:
        lb.read(path)
    msg = str(exc.value)
    assert path.name in msg
    for layer in info["layers"]:
        assert layer in msg, f"layer {layer!r} not listed: {msg}"
    assert "layer" in msg.lower()


def test_geopackage_unknown_layer(corpus: Path, manifest: dict) -> None:
    path, info = bad(manifest, corpus, "gpkg_layer_choice")
    with pytest.raises(lb.LagesbildError) as exc:
        lb.read(path, layer="brandstationer")
    msg = str(exc.value)
    assert "brandstationer" in msg and path.name in msg
    for layer in info["layers"]:
        assert layer in msg, f"layer {layer!r} not listed: {msg}"


def test_xlsx_unknown_sheet(corpus: Path, manifest: dict) -> None:
    path, info = bad(manifest, corpus, "xlsx_missing_sheet")
    with pytest.raises(lb.LagesbildError) as exc:
        lb.read_table(path, sheet="Larm")
    msg = str(exc.value)
    assert "Larm" in msg and path.name in msg
    for sheet in info["sheets"]:
        assert sheet in msg, f"sheet {sheet!r} not listed: {msg}"


def test_from_polars_missing_geometry_column() -> None:
    df = pl.DataFrame({"namn": ["a"], "geom": [shapely.to_wkb(shapely.Point(1, 2))]})
    with pytest.raises(lb.ColumnNotFoundError) as info:
        lb.Layer.from_polars(df, crs=3011)
    assert info.value.column == "geometry"
    msg = str(info.value)
    assert "geometry" in msg and "geom" in msg.replace("geometry", "")


def test_from_polars_bad_wkb_names_the_row() -> None:
    df = pl.DataFrame(
        {"geometry": [shapely.to_wkb(shapely.Point(1, 2)), b"\x01\x02\x00", shapely.to_wkb(shapely.Point(3, 4))]}
    )
    with pytest.raises((lb.FormatError, lb.InvalidGeometryError)) as info:
        lb.Layer.from_polars(df, crs=3011)
    check_feature_attr(info.value, 1)


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def test_write_to_missing_directory(corpus: Path, manifest: dict, tmp_path: Path) -> None:
    layer = lb.read(corpus / manifest["good"]["gpkg_alla_typer"]["file"])
    target = tmp_path / "finns" / "inte" / "ut.gpkg"
    with pytest.raises(lb.LagesbildError) as info:
        layer.write(target, layer="x")
    assert "ut.gpkg" in str(info.value)
    assert not target.parent.exists()


def test_write_unsupported_extension(corpus: Path, manifest: dict, tmp_path: Path) -> None:
    layer = lb.read(corpus / manifest["good"]["gpkg_alla_typer"]["file"])
    target = tmp_path / "ut.kml"
    with pytest.raises(lb.FormatError) as info:
        layer.write(target)
    assert "ut.kml" in str(info.value) or ".kml" in str(info.value)
    assert not target.exists()


def test_read_does_not_modify_damaged_files(corpus: Path, manifest: dict, tmp_path: Path) -> None:
    """Reading is read-only, even when a reader could 'repair' a file (e.g. rebuild a .shx)."""
    path, _ = bad(manifest, corpus, "shp_missing_shx")
    work = tmp_path / "kopia"
    work.mkdir()
    for f in path.parent.glob(path.stem + ".*"):
        shutil.copy(f, work / f.name)
    before = {f.name: f.read_bytes() for f in work.iterdir()}
    with pytest.raises(lb.LagesbildError):
        lb.read(work / path.name)
    after = {f.name: f.read_bytes() for f in work.iterdir()}
    assert after == before
