"""The demo data set in data/demo/: reproducible, readable by lagesbild and by
GDAL/geopandas/polars alike, and holding what data/demo/README.md promises."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import lagesbild as lb
import numpy as np
import polars as pl
import pyogrio
import pytest
import shapely

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"
GENERATOR = ROOT / "tools" / "make_demo.py"

sys.path.insert(0, str(ROOT / "tools"))
import make_demo  # noqa: E402

SDO_2023 = {
    "Bromma",
    "Enskede-Årsta-Vantör",
    "Farsta",
    "Hägersten-Älvsjö",
    "Hässelby-Vällingby",
    "Järva",
    "Kungsholmen",
    "Norra innerstaden",
    "Skarpnäck",
    "Skärholmen",
    "Södermalm",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra = pl.Series(a).rank("average").to_numpy()
    rb = pl.Series(b).rank("average").to_numpy()
    return float(np.corrcoef(ra, rb)[0, 1])


@pytest.fixture(scope="module")
def stadsdelar() -> gpd.GeoDataFrame:
    return gpd.read_file(DEMO / "stadsdelar.shp")


@pytest.fixture(scope="module")
def population() -> pl.DataFrame:
    return pl.read_csv(DEMO / "befolkning.csv")


@pytest.fixture(scope="module")
def survey() -> pl.DataFrame:
    return pl.read_csv(DEMO / "trygghetsmatning.csv")


@pytest.fixture(scope="module")
def incidents() -> gpd.GeoDataFrame:
    return gpd.read_parquet(DEMO / "handelser.parquet")


@pytest.fixture(scope="module")
def facilities() -> pl.DataFrame:
    return pl.read_csv(DEMO / "samhallsviktig_verksamhet.csv", separator=";", decimal_comma=True)


# -- reproducibility -------------------------------------------------------------


def test_every_committed_file_is_what_the_generator_writes(stockholm: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    run = subprocess.run(
        [sys.executable, str(GENERATOR), str(out), "--stockholm", str(stockholm)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(make_demo.OUTPUTS)
    differ = [n for n in written if sha256(out / n) != sha256(DEMO / n)]
    assert not differ, f"regenerated files differ from the committed ones: {differ}"


def test_the_generator_refuses_a_folder_without_the_city_data(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(GENERATOR), str(tmp_path / "out"), "--stockholm", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "no stadsdelar.shp" in run.stderr
    assert not (tmp_path / "out").exists()


def test_the_folder_holds_the_generated_files_and_its_own_readme() -> None:
    for name in make_demo.OUTPUTS:
        assert (DEMO / name).is_file(), name
    total = sum((DEMO / n).stat().st_size for n in make_demo.OUTPUTS)
    assert total < 15e6, f"the demo data takes {total / 1e6:.1f} MB"
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    for name in make_demo.OUTPUTS:
        if not name.startswith("stadsdelar.") or name == "stadsdelar.shp":
            assert f"`{name}`" in readme, f"README.md does not describe {name}"
    assert "tools/make_demo.py" in readme
    licence = (DEMO / "LICENSE-stockholm.txt").read_text(encoding="utf-8")
    assert "Stadskarta" in licence and "2021-04-13" in licence and "CC0 1.0 Universal" in licence


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("organisation.csv", {"try_parse_dates": True}),
        ("befolkning.csv", {}),
        ("trygghetsmatning.csv", {}),
        ("risker.csv", {}),
        ("samhallsviktig_verksamhet.csv", {"separator": ";", "decimal_comma": True}),
    ],
)
def test_tables_read_the_same_by_lagesbild_and_polars(name: str, options: dict) -> None:
    from polars.testing import assert_frame_equal

    ours = lb.read_table(DEMO / name)  # separator and decimal comma detected
    theirs = pl.read_csv(DEMO / name, **options)
    assert_frame_equal(ours, theirs)
    assert (DEMO / name).read_bytes().decode("utf-8").endswith("\n")


# -- stadsdelar and organisation ---------------------------------------------------


def test_stadsdelar_are_the_real_117_in_windows_1252(stadsdelar: gpd.GeoDataFrame, stockholm: Path) -> None:
    layer = lb.read(DEMO / "stadsdelar.shp")
    assert len(layer) == len(stadsdelar) == 117
    assert layer.crs == 3011 and stadsdelar.crs.to_epsg() == 3011
    assert layer.columns == ["sdel_namn", "sdel_kod", "sdo_namn", "sdo_kod"]
    assert list(stadsdelar.columns[:-1]) == layer.columns
    assert layer["sdel_namn"].to_list() == stadsdelar["sdel_namn"].to_list()
    assert "VÅRBERG" in layer["sdel_namn"].to_list()
    dbf = (DEMO / "stadsdelar.dbf").read_bytes()
    assert dbf[29] == 0x57
    assert b"V\xc5RBERG" in dbf and "VÅRBERG".encode() not in dbf
    assert (DEMO / "stadsdelar.cpg").read_text() == "1252"
    info = pyogrio.read_info(DEMO / "stadsdelar.shp")
    assert info["crs"] == "EPSG:3011" and info["geometry_type"] == "Polygon"

    source = gpd.read_file(stockholm / "stadsdelar.shp").set_index("name")
    for name, geom in zip(stadsdelar["sdel_namn"], stadsdelar.geometry, strict=True):
        assert shapely.equals_exact(geom, source.geometry[name], tolerance=0), name

    codes = layer["sdel_kod"].to_list()
    assert codes == [f"SD{i:03d}" for i in range(1, 118)]
    names = layer["sdel_namn"].to_list()
    assert names == sorted(names, key=make_demo.sv_key)
    # Swedish order: … V, Å, Ä, Ö (code points would put Ä before Å).
    assert names.index("VÅRBERG") < names.index("ÅRSTA") < names.index("ÄLVSJÖ") < names.index("ÖSTERMALM")
    assert names[-1] == "ÖSTERMALM"
    pairs = set(zip(layer["sdo_namn"].to_list(), layer["sdo_kod"].to_list(), strict=True))
    assert {n for n, _ in pairs} == SDO_2023
    assert sorted(k for _, k in pairs) == [f"SDO{i:02d}" for i in range(1, 12)]


def test_organisation_has_13_areas_then_11(stadsdelar: gpd.GeoDataFrame) -> None:
    org = pl.read_csv(DEMO / "organisation.csv", schema_overrides={"giltig_till": pl.String})
    assert org.columns == ["stadsdel", "sdo_namn", "sdo_kod", "giltig_fran", "giltig_till"]
    assert org.height == 2 * 117
    old = org.filter(pl.col("giltig_fran") == "2020-07-01")
    new = org.filter(pl.col("giltig_fran") == "2023-07-01")
    assert old.height == new.height == 117
    assert set(old["giltig_till"]) == {"2023-06-30"}
    assert new["giltig_till"].null_count() == 117
    assert old["sdo_namn"].n_unique() == 13 and new["sdo_namn"].n_unique() == 11
    assert set(new["sdo_namn"]) == SDO_2023
    assert {"Rinkeby-Kista", "Spånga-Tensta", "Norrmalm", "Östermalm"} <= set(old["sdo_namn"])
    assert all(k.startswith("SDO13-") for k in old["sdo_kod"])
    # Järva = Rinkeby-Kista + Spånga-Tensta; Norra innerstaden = Norrmalm + Östermalm.
    joined = old.join(new, on="stadsdel", suffix="_2023")
    merged = joined.group_by("sdo_namn_2023").agg(pl.col("sdo_namn").unique().sort())
    parts = {r["sdo_namn_2023"]: r["sdo_namn"] for r in merged.iter_rows(named=True)}
    assert parts["Järva"] == ["Rinkeby-Kista", "Spånga-Tensta"]
    assert parts["Norra innerstaden"] == ["Norrmalm", "Östermalm"]
    assert sum(len(v) == 1 for v in parts.values()) == 9
    # The shapefile carries today's organisation.
    shp = dict(
        zip(stadsdelar["sdel_namn"], zip(stadsdelar["sdo_namn"], stadsdelar["sdo_kod"], strict=True), strict=True)
    )
    for r in new.iter_rows(named=True):
        assert shp[r["stadsdel"]] == (r["sdo_namn"], r["sdo_kod"])


def test_population_is_plausible(population: pl.DataFrame) -> None:
    assert population.columns == ["stadsdel", "ar", "folkmangd"]
    assert population.height == 117 * 12
    assert sorted(population["ar"].unique()) == list(range(2014, 2026))
    totals = population.group_by("ar").agg(pl.col("folkmangd").sum()).sort("ar")["folkmangd"].to_list()
    assert 880_000 < totals[0] < 950_000 and 960_000 < totals[-1] < 1_050_000
    assert all(b > a for a, b in zip(totals, totals[1:], strict=False))
    assert population["folkmangd"].min() >= 0
    most = population.group_by("stadsdel").agg(pl.col("folkmangd").max())
    empty = set(most.filter(pl.col("folkmangd") <= 50)["stadsdel"])
    assert {"RIDDARHOLMEN", "SKEPPSHOLMEN", "ULVSUNDA INDUSTRIOMR", "FLATEN"} == empty


# -- water and flood zones ------------------------------------------------------------


def test_water_is_split_at_the_locks(stockholm: Path) -> None:
    layer = lb.read(DEMO / "vatten.gpkg", layer="vatten")
    gdf = gpd.read_file(DEMO / "vatten.gpkg", layer="vatten")
    assert pyogrio.list_layers(DEMO / "vatten.gpkg").tolist() == [["vatten", "MultiPolygon"]]
    assert len(layer) == len(gdf) == 3
    assert layer.crs == 3006 and gdf.crs.to_epsg() == 3006
    assert layer["namn"].to_list() == ["Mälaren", "Saltsjön", make_demo.OTHER_WATER]
    water = gdf.set_index("namn").to_crs(3011).geometry
    source = gpd.read_file(stockholm / "vatten.shp").geometry.iloc[0]
    assert abs(water.area.sum() - source.area) / source.area < 2e-4
    assert 14e6 < water["Mälaren"].area < 20e6
    assert 5e6 < water["Saltsjön"].area < 9e6
    # Riddarfjärden, Klara sjö and Hammarby sjö are Mälaren; Strömmen and Lilla Värtan Saltsjön.
    for xy in [(153400, 6578800), (152300, 6576700), (153000, 6576500)]:
        assert water["Mälaren"].contains(shapely.Point(xy)), xy
    for xy in [(154400, 6578300), (157200, 6581000)]:
        assert water["Saltsjön"].contains(shapely.Point(xy)), xy
    # The two meet only at the locks: never closer than the narrowest lock gap.
    assert water["Mälaren"].distance(water["Saltsjön"]) > 10


def test_flood_zones_nest_and_follow_malaren() -> None:
    layer = lb.read(DEMO / "oversvamning_malaren.gpkg", layer="oversvamning")
    gdf = gpd.read_file(DEMO / "oversvamning_malaren.gpkg", layer="oversvamning")
    assert len(layer) == len(gdf) == 3
    assert layer.crs == 3006 and gdf.crs.to_epsg() == 3006
    assert layer["niva_m"].to_list() == [1.5, 2.1, 2.7]
    assert all("RH 2000" in d for d in layer["beskrivning"])
    z = dict(zip(gdf["niva_m"], gdf.geometry, strict=True))
    assert z[2.1].covers(z[1.5]) and z[2.7].covers(z[2.1])
    assert not z[1.5].covers(z[2.1])
    assert 0.2e6 < z[1.5].area < z[2.1].area < z[2.7].area < 8e6
    assert all(g.is_valid for g in gdf.geometry)
    water = gpd.read_file(DEMO / "vatten.gpkg", layer="vatten").set_index("namn").geometry
    malaren = water["Mälaren"]
    # Land only (cells of 10 m with their centre on land): little water inside.
    wet = z[2.7].intersection(shapely.union_all(water.values)).area
    assert wet / z[2.7].area < 0.08
    # Along Mälaren, not along Saltsjön or the lakes.
    assert z[2.7].difference(malaren.buffer(500)).area == 0
    assert z[2.7].intersects(malaren.buffer(15))
    far_from_malaren = water["Saltsjön"].difference(malaren.buffer(1000)).buffer(15)
    assert z[2.7].intersection(far_from_malaren).area == 0


# -- routes and facilities ------------------------------------------------------------


def test_routes_are_linestrings_in_wgs84() -> None:
    layer = lb.read(DEMO / "farligt_gods.geojson")
    gdf = gpd.read_file(DEMO / "farligt_gods.geojson")
    assert len(layer) == len(gdf) >= 12
    assert layer.crs == 4326 and gdf.crs.to_epsg() == 4326
    assert layer.geom_types == {"LineString"}
    assert layer.columns == ["route_id", "klass", "namn"]
    assert set(layer["klass"]) == {"primär", "sekundär", "järnväg"}
    assert layer["route_id"].n_unique() == len(layer)
    names = set(layer["namn"])
    assert {"E4", "Essingeleden", "75 Södra länken", "73 Nynäsvägen", "222 Värmdöleden"} <= names
    local = gdf.to_crs(3011)
    spacing = np.concatenate([np.hypot(*np.diff(shapely.get_coordinates(g), axis=0).T) for g in local.geometry])
    assert 10 < np.median(spacing) < 50 and spacing.max() < 70
    city = gpd.read_file(DEMO / "stadsdelar.shp").union_all()
    assert all(g.intersects(city) for g in local.geometry)


def test_facilities_read_the_same_by_lagesbild_and_polars(facilities: pl.DataFrame) -> None:
    assert facilities.columns == ["id", "namn", "kategori", "sektor", "kapacitet", "lon", "lat"]
    assert 1500 <= facilities.height <= 3000
    assert facilities["id"].to_list() == list(range(1, facilities.height + 1))
    layer = lb.read(DEMO / "samhallsviktig_verksamhet.csv", lon="lon", lat="lat")
    assert len(layer) == facilities.height and layer.crs == 4326
    assert layer["namn"].to_list() == facilities["namn"].to_list()
    lon = facilities["lon"].to_numpy()
    x0, _, x1, _ = layer.bounds
    assert x0 == pytest.approx(lon.min()) and x1 == pytest.approx(lon.max())
    sectors = dict(make_demo.FACILITY_KINDS[i][:2] for i in range(len(make_demo.FACILITY_KINDS)))
    for r in facilities.select("kategori", "sektor").unique().iter_rows():
        assert sectors[r[0]] == r[1], r
    caps = facilities.group_by("kategori").agg(
        pl.col("kapacitet").min().alias("lo"),
        pl.col("kapacitet").max().alias("hi"),
        pl.col("kapacitet").null_count().alias("nulls"),
        pl.len(),
    )
    c = {r["kategori"]: r for r in caps.iter_rows(named=True)}
    assert 30 <= c["förskola"]["lo"] and c["förskola"]["hi"] <= 150 and c["förskola"]["nulls"] == 0
    assert 100 <= c["skola"]["lo"] and c["skola"]["hi"] <= 1000
    assert c["LSS-boende"]["hi"] <= 6 and c["äldreboende"]["hi"] <= 150
    assert c["elnätstation"]["nulls"] == c["elnätstation"]["len"]
    assert "Förskolan Solrosen" in set(facilities["namn"])
    assert facilities.filter(pl.col("namn").str.starts_with("Vårdcentral ")).height > 10


def test_some_schools_and_care_homes_are_near_routes_or_in_flood_zones(facilities: pl.DataFrame) -> None:
    pts = gpd.GeoDataFrame(
        facilities.to_pandas(), geometry=gpd.points_from_xy(facilities["lon"], facilities["lat"]), crs=4326
    ).to_crs(3011)
    sensitive = pts[pts["kategori"].isin(["förskola", "skola", "äldreboende"])]
    routes = gpd.read_file(DEMO / "farligt_gods.geojson").to_crs(3011).union_all()
    near = sensitive.distance(routes) <= 150
    flood = gpd.read_file(DEMO / "oversvamning_malaren.gpkg").to_crs(3011)
    in_zone = sensitive.within(flood.set_index("niva_m").geometry[2.7])
    assert 40 <= near.sum() <= 0.4 * len(sensitive)
    assert 20 <= in_zone.sum() <= 0.2 * len(sensitive)
    land = gpd.read_file(DEMO / "stadsdelar.shp").union_all()
    assert pts.within(land).all()


# -- surveys, incidents, risks ---------------------------------------------------------


def inhabited(population: pl.DataFrame) -> set[str]:
    low = population.group_by("stadsdel").agg(pl.col("folkmangd").min())
    return set(low.filter(pl.col("folkmangd") >= 1000)["stadsdel"])


def test_survey_covers_the_inhabited_stadsdelar(survey: pl.DataFrame, population: pl.DataFrame) -> None:
    assert survey.columns == ["kalla", "ar", "stadsdel", "indikator", "varde", "respondenter"]
    assert survey.schema["varde"] == pl.Float64 and survey.schema["respondenter"] == pl.Int64
    city = survey.filter(pl.col("kalla") == "stadens trygghetsmätning")
    police = survey.filter(pl.col("kalla") == "polisens trygghetsmätning")
    assert city.height + police.height == survey.height
    assert sorted(city["ar"].unique()) == [2014, 2017, 2020, 2023]
    assert sorted(police["ar"].unique()) == list(range(2020, 2026))
    assert set(city["indikator"]) == {"oro_brott", "otrygg_kvall", "ordningsstorningar", "utsatt_brott"}
    assert set(police["indikator"]) == {"problemindex", "otrygg_kvall", "oro_brott"}
    shares = survey.filter(pl.col("indikator") != "problemindex")["varde"]
    index = survey.filter(pl.col("indikator") == "problemindex")["varde"]
    assert 0 <= shares.min() and shares.max() <= 1 and 0 <= index.min() and index.max() <= 6
    assert survey["respondenter"].min() >= 20
    expected = inhabited(population)
    assert 100 <= len(expected) < 117
    for (kalla, ar), group in survey.group_by("kalla", "ar"):
        assert set(group["stadsdel"]) == expected, (kalla, ar)
    assert survey.select("kalla", "ar", "stadsdel", "indikator").is_duplicated().sum() == 0


def test_planted_trends_show_in_the_surveys(survey: pl.DataFrame) -> None:
    kvall = survey.filter((pl.col("kalla") == "stadens trygghetsmätning") & (pl.col("indikator") == "otrygg_kvall"))
    index = survey.filter(pl.col("indikator") == "problemindex")

    def slope(df: pl.DataFrame, name: str) -> float:
        """Least-squares change per year."""
        d = df.filter(pl.col("stadsdel") == name).sort("ar")
        return float(np.polyfit(d["ar"].to_numpy(), d["varde"].to_numpy(), 1)[0])

    others = [n for n in set(kvall["stadsdel"]) if n not in make_demo.WORSENING + make_demo.IMPROVING]
    typical = np.percentile([abs(slope(index, n)) for n in others], 90)
    for name in make_demo.WORSENING:
        assert slope(kvall, name) * 9 > 0.06, name
        assert slope(index, name) > max(0.05, typical), name
    for name in make_demo.IMPROVING:
        assert slope(kvall, name) * 9 < -0.06, name
        assert slope(index, name) < -max(0.05, typical), name


def test_incidents_are_on_land_in_the_city(incidents: gpd.GeoDataFrame, stadsdelar: gpd.GeoDataFrame) -> None:
    layer = lb.read(DEMO / "handelser.parquet")
    assert len(layer) == len(incidents) and layer.crs == 3011 and incidents.crs.to_epsg() == 3011
    assert layer.columns == ["handelse_id", "datum", "typ", "tema", "allvarlighet"]
    assert layer.attributes.schema["datum"] == pl.Date
    assert layer.geom_types == {"Point"}
    assert incidents["handelse_id"].tolist() == list(range(1, len(incidents) + 1))
    joined = gpd.sjoin(incidents[["geometry"]], stadsdelar, predicate="within")
    assert len(joined) == len(incidents), "every incident lies in a stadsdel"
    water = gpd.read_file(DEMO / "vatten.gpkg").to_crs(3011).union_all()
    assert not incidents.intersects(water).any(), "no incident lies in the water"


def test_incidents_per_year_theme_and_severity(incidents: gpd.GeoDataFrame) -> None:
    attrs = pl.from_pandas(incidents.drop(columns="geometry"))
    per_year = attrs.group_by(pl.col("datum").dt.year()).len().sort("datum")
    assert per_year["datum"].to_list() == [2021, 2022, 2023, 2024, 2025]
    assert per_year["len"].min() >= 20_000
    assert set(attrs["tema"]) == {"olycka", "brott", "hot och våld mot personal", "brand", "skadegörelse"}
    for tema, (_, kinds, _, _) in make_demo.THEMES.items():
        assert set(attrs.filter(pl.col("tema") == tema)["typ"]) == {k for k, _ in kinds}
    sev = dict(attrs.group_by("allvarlighet").len().iter_rows())
    assert sev["störning"] > 10 * sev["allvarlig händelse"] > 10 * 10 * sev["extraordinär händelse"] > 0


def test_incidents_cluster_in_the_hotspots(incidents: gpd.GeoDataFrame) -> None:
    names = list(make_demo.HOTSPOTS)
    centres = gpd.GeoSeries(
        [shapely.Point(make_demo.CENTRES[n][1], make_demo.CENTRES[n][0]) for n in names], crs=4326
    ).to_crs(3011)
    city_km2 = 187.7
    overall = len(incidents) / city_km2
    for name, c in zip(names, centres, strict=True):
        near = incidents.geometry.within(c.buffer(300)).sum()
        density = near / (np.pi * 0.3**2)
        assert density > 6 * overall, name


def test_unsafety_and_incident_rates_go_together(
    survey: pl.DataFrame, population: pl.DataFrame, incidents: gpd.GeoDataFrame, stadsdelar: gpd.GeoDataFrame
) -> None:
    joined = gpd.sjoin(incidents[["geometry"]], stadsdelar[["sdel_namn", "geometry"]], predicate="within")
    counts = pl.from_pandas(joined["sdel_namn"].value_counts().reset_index()).rename(
        {"sdel_namn": "stadsdel", "count": "n"}
    )
    people = population.filter(pl.col("ar") >= 2021).group_by("stadsdel").agg(pl.col("folkmangd").sum())
    rate = counts.join(people, on="stadsdel").with_columns(per_1000=pl.col("n") / pl.col("folkmangd") * 1000)
    for kalla, years in [("polisens trygghetsmätning", range(2021, 2026)), ("stadens trygghetsmätning", [2023])]:
        unsafe = (
            survey.filter(
                (pl.col("kalla") == kalla) & pl.col("ar").is_in(list(years)) & (pl.col("indikator") == "otrygg_kvall")
            )
            .group_by("stadsdel")
            .agg(pl.col("varde").mean())
        )
        d = unsafe.join(rate, on="stadsdel")
        assert d.height >= 100
        rho = spearman(d["varde"].to_numpy(), d["per_1000"].to_numpy())
        assert rho > 0.5, (kalla, rho)


def test_risk_register() -> None:
    risks = pl.read_csv(DEMO / "risker.csv")
    assert risks.columns == ["risk_id", "namnd", "risk", "sannolikhet", "konsekvens", "beskrivning"]
    assert 30 <= risks.height <= 150
    assert risks["risk_id"].n_unique() == risks.height
    for col in ("sannolikhet", "konsekvens"):
        assert risks[col].min() >= 1 and risks[col].max() <= 5
    sdn = {f"{s} stadsdelsnämnd" for s in SDO_2023}
    assert sdn <= set(risks["namnd"])
    assert len(set(risks["namnd"]) - sdn) >= 8, "fackförvaltningar too"
    assert risks["beskrivning"].null_count() == 0
    malaren = risks.filter(pl.col("risk") == "Högt vattenstånd i Mälaren")
    assert 3 <= malaren.height < 11
