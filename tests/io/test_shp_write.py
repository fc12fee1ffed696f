"""The shapefile writer from Python: what lagesbild writes, GDAL (pyogrio) and
geopandas read back the same, with the encoding taken from the .cpg; what a
shapefile cannot hold is refused with an exception naming it."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import geopandas as gpd
import lagesbild as lb
import polars as pl
import pyogrio
import pytest
import shapely

SETS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def layer(geoms: list, crs: int = 3011, **columns) -> lb.Layer:
    df = pl.DataFrame(
        {**columns, "geometry": pl.Series([None if g is None else shapely.to_wkb(g) for g in geoms], dtype=pl.Binary)}
    )
    return lb.Layer.from_polars(df, crs=crs, name="test")


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("encoding", [None, "windows-1252"])
def test_values_and_geometries_read_back_by_gdal_and_geopandas(tmp_path: Path, encoding: str | None) -> None:
    hole = shapely.Polygon([(0, 0), (100, 0), (100, 100), (0, 100)], [[(20, 20), (20, 40), (40, 40), (40, 20)]])
    geoms = [
        shapely.affinity.translate(hole, 150_000, 6_580_000),
        shapely.MultiPolygon(
            [shapely.box(151_000, 6_580_000, 151_050, 6_580_050), shapely.box(151_100, 6_580_000, 151_150, 6_580_050)]
        ),
        None,
    ]
    src = layer(
        geoms,
        namn=["VÅRBERG", "Östermalm – Gärdet", None],
        antal=[1, None, -30_000_000_000],
        andel=[0.125, 1 / 3, None],
        aktiv=[True, False, None],
        datum=[dt.date(2021, 4, 13), None, dt.date(1999, 12, 31)],
    )
    out = tmp_path / "platser.shp"
    src.write(out, encoding=encoding)
    assert files(tmp_path) == sorted(f"platser{e}" for e in SETS)
    cpg = (tmp_path / "platser.cpg").read_text()
    assert cpg == ("1252" if encoding else "UTF-8")

    back = lb.read(out)
    assert back.crs == 3011 and len(back) == 3
    assert back.attributes.to_dicts() == [
        {"namn": "VÅRBERG", "antal": 1, "andel": 0.125, "aktiv": True, "datum": dt.date(2021, 4, 13)},
        {"namn": "Östermalm – Gärdet", "antal": None, "andel": 1 / 3, "aktiv": False, "datum": None},
        {"namn": None, "antal": -30_000_000_000, "andel": None, "aktiv": None, "datum": dt.date(1999, 12, 31)},
    ]

    gdf = gpd.read_file(out)  # GDAL, encoding from the .cpg
    assert gdf.crs.to_epsg() == 3011
    assert gdf["namn"].tolist()[:2] == ["VÅRBERG", "Östermalm – Gärdet"]
    assert gdf["antal"].tolist()[0] == 1 and gdf["antal"].tolist()[2] == -30_000_000_000
    assert gdf["andel"].tolist()[:2] == [0.125, 1 / 3]
    assert gdf["aktiv"].tolist()[:2] == [True, False]
    assert str(gdf["datum"].tolist()[0])[:10] == "2021-04-13"
    assert gdf.geometry.iloc[2] is None
    for a, b in zip(geoms[:2], gdf.geometry[:2], strict=True):
        assert shapely.normalize(a).equals_exact(shapely.normalize(b), tolerance=0)
    # Holes stay holes for GDAL too.
    assert len(gdf.geometry.iloc[0].interiors) == 1
    info = pyogrio.read_info(out)
    assert info["geometry_type"] == "Polygon" and info["features"] == 3
    fields = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert fields == {"namn": "object", "antal": "int64", "andel": "float64", "aktiv": "bool", "datum": "datetime64[D]"}

    dbf = (tmp_path / "platser.dbf").read_bytes()
    if encoding:
        assert dbf[29] == 0x57 and b"V\xc5RBERG" in dbf and "Ö".encode("cp1252") in dbf
    else:
        assert dbf[29] == 0 and "VÅRBERG".encode() in dbf


def test_lines_and_points_in_wgs84(tmp_path: Path) -> None:
    lines = [
        shapely.LineString([(18.0, 59.3), (18.1, 59.35)]),
        shapely.MultiLineString([[(18.0, 59.0), (18.0, 59.1)], [(18.2, 59.0), (18.3, 59.1)]]),
    ]
    out = tmp_path / "leder.shp"
    layer(lines, crs=4326, namn=["a", "b"]).write(out)
    gdf = gpd.read_file(out)
    assert gdf.crs.to_epsg() == 4326
    assert [g.geom_type for g in gdf.geometry] == ["LineString", "MultiLineString"]
    assert gdf.geometry.iloc[1].equals_exact(lines[1], tolerance=0)
    prj = (tmp_path / "leder.prj").read_text()
    assert prj.startswith('GEOGCS["GCS_WGS_1984"')

    pts = [shapely.Point(674_000, 6_580_000), shapely.Point(674_100.5, 6_580_200.25)]
    out = tmp_path / "punkter.shp"
    layer(pts, crs=3006, id=[1, 2]).write(out)
    gdf = gpd.read_file(out)
    assert gdf.crs.to_epsg() == 3006
    assert [(p.x, p.y) for p in gdf.geometry] == [(674_000, 6_580_000), (674_100.5, 6_580_200.25)]


def test_the_real_stadsdelar_survive_a_round_trip(stockholm: Path, tmp_path: Path) -> None:
    src = lb.read(stockholm / "stadsdelar.shp")
    out = tmp_path / "s.shp"
    src.write(out, encoding="cp1252")
    ours, theirs = gpd.read_file(stockholm / "stadsdelar.shp"), gpd.read_file(out)
    assert theirs["name"].tolist() == ours["name"].tolist()
    assert all(a.equals_exact(b, tolerance=0) for a, b in zip(ours.geometry, theirs.geometry, strict=True))
    # The same bytes of geometry as the city's own file (ESRI wrote it).
    assert (tmp_path / "s.shp").read_bytes() == (stockholm / "stadsdelar.shp").read_bytes()
    assert (tmp_path / "s.shx").read_bytes() == (stockholm / "stadsdelar.shx").read_bytes()


def test_what_a_shapefile_cannot_hold_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "x.shp"
    pt, sq = shapely.Point(1, 2), shapely.box(0, 0, 1, 1)
    with pytest.raises(lb.FormatError, match="is a Polygon but feature 0 is a Point") as e:
        layer([pt, sq], n=[1, 2]).write(out)
    assert e.value.feature == 1 and e.value.path == str(out)
    with pytest.raises(lb.FormatError, match="GeometryCollection") as e:
        layer([pt, shapely.GeometryCollection([pt, sq])], n=[1, 2]).write(out)
    assert e.value.feature == 1
    with pytest.raises(lb.FormatError, match="column \"namn\".*'Ω' \\(U\\+03A9\\).*Windows-1252") as e:
        layer([pt, pt], namn=["Vårby", "Ωmega"]).write(out, encoding="windows-1252")
    assert e.value.feature == 1
    with pytest.raises(lb.FormatError, match='"stadsdelsomrade" has 15 characters'):
        layer([pt], stadsdelsomrade=["Farsta"]).write(out)
    with pytest.raises(lb.FormatError, match='"område" has characters other than'):
        layer([pt], område=["Farsta"]).write(out)
    with pytest.raises(lb.FormatError, match="more than the 254 a DBF field holds") as e:
        layer([pt, pt], namn=["kort", "x" * 255]).write(out)
    assert e.value.feature == 1
    with pytest.raises(lb.InvalidArgumentError, match="latin-9"):
        layer([pt], n=[1]).write(out, encoding="latin-9")
    with pytest.raises(lb.InvalidArgumentError, match="shapefiles only"):
        layer([pt], n=[1]).write(tmp_path / "x.gpkg", encoding="windows-1252")
    assert files(tmp_path) == [], "nothing is left behind by a refused write"


def test_a_failed_write_leaves_the_old_set(tmp_path: Path) -> None:
    out = tmp_path / "s.shp"
    pt = shapely.Point(150_000, 6_580_000)
    layer([pt], namn=["ÄLVSJÖ"]).write(out, encoding="windows-1252")
    before = {e: (tmp_path / f"s{e}").read_bytes() for e in SETS}
    with pytest.raises(lb.FormatError):
        layer([pt, pt], namn=["ok", "Ωmega"]).write(out, encoding="windows-1252")
    assert {e: (tmp_path / f"s{e}").read_bytes() for e in SETS} == before
    assert files(tmp_path) == sorted(f"s{e}" for e in SETS)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_header_dates_are_fixed_unless_source_date_epoch_says_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pt = shapely.Point(150_000, 6_580_000)
    lay = layer([pt], namn=["a"])
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    lay.write(tmp_path / "a.shp")
    lay.write(tmp_path / "a.gpkg", layer="punkter")
    assert pyogrio.read_info(tmp_path / "a.shp")["layer_metadata"]["DBF_DATE_LAST_UPDATE"] == "1970-01-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1618272000")  # 2021-04-13
    lay.write(tmp_path / "b.shp")
    lay.write(tmp_path / "b.gpkg", layer="punkter")
    assert pyogrio.read_info(tmp_path / "b.shp")["layer_metadata"]["DBF_DATE_LAST_UPDATE"] == "2021-04-13"
    import sqlite3

    with sqlite3.connect(tmp_path / "b.gpkg") as con:
        assert con.execute("SELECT last_change FROM gpkg_contents").fetchone() == ("2021-04-13T00:00:00.000Z",)
    # Only the date differs, and a second write is the same again.
    a, b = (tmp_path / "a.dbf").read_bytes(), (tmp_path / "b.dbf").read_bytes()
    assert [i for i in range(len(a)) if a[i] != b[i]] == [1, 2, 3]
    assert sha(tmp_path / "a.shp") == sha(tmp_path / "b.shp")
    lay.write(tmp_path / "c.gpkg", layer="punkter")
    assert sha(tmp_path / "b.gpkg") == sha(tmp_path / "c.gpkg")
    assert sha(tmp_path / "a.gpkg") != sha(tmp_path / "b.gpkg")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(lb.InvalidArgumentError, match="SOURCE_DATE_EPOCH"):
        lay.write(tmp_path / "d.shp")
