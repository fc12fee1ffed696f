"""The demo data set in data/demo/: reproducible, readable by lagesbild and by
GDAL/geopandas/polars alike, and holding what data/demo/README.md promises —
the real figures it uses and the signals planted in it."""

from __future__ import annotations

import hashlib
import re
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
# Stadsdelar the city publishes no statistics for (0–897 residents on
# 31 Dec 2018) and the nature reserve Hansta: no survey rows.
NEAR_EMPTY = {"FARSTANÄSET", "FLATEN", "SKRUBBA", "ORHEM", "LUNDA", "HANSTA"}


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
def organisation() -> pl.DataFrame:
    return pl.read_csv(DEMO / "organisation.csv", schema_overrides={"giltig_till": pl.String})


@pytest.fixture(scope="module")
def survey() -> pl.DataFrame:
    return pl.read_csv(DEMO / "trygghetsmatning.csv")


@pytest.fixture(scope="module")
def police() -> pl.DataFrame:
    return pl.read_csv(DEMO / "polisens_trygghetsmatning.csv")


@pytest.fixture(scope="module")
def crime() -> pl.DataFrame:
    return pl.read_csv(DEMO / "brott_polisen.csv")


@pytest.fixture(scope="module")
def incidents() -> gpd.GeoDataFrame:
    return gpd.read_parquet(DEMO / "handelser.parquet")


@pytest.fixture(scope="module")
def facilities() -> pl.DataFrame:
    return pl.read_csv(DEMO / "samhallsviktig_verksamhet.csv", separator=";", decimal_comma=True)


@pytest.fixture(scope="module")
def facility_points(facilities: pl.DataFrame) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        facilities.to_pandas(), geometry=gpd.points_from_xy(facilities["lon"], facilities["lat"]), crs=4326
    ).to_crs(3011)


def city_mean(table: pl.DataFrame, population: pl.DataFrame) -> pl.DataFrame:
    """Population-weighted city-wide value per year and indicator (both sexes)."""
    j = table.filter(pl.col("kon") == "alla").join(
        population.select("stadsdel", "ar", "folkmangd"), on=["stadsdel", "ar"]
    )
    return j.group_by("ar", "indikator").agg(
        ((pl.col("varde") * pl.col("folkmangd")).sum() / pl.col("folkmangd").sum()).alias("varde")
    )


def crime_per_1000(crime: pl.DataFrame, population: pl.DataFrame, years: range) -> pl.DataFrame:
    """Reported crimes per 1,000 residents a year, for stadsdelar with at least MIN_RESIDENTS."""
    counts = (
        crime.with_columns(ar=pl.col("manad").str.slice(0, 4).cast(pl.Int64))
        .filter(pl.col("ar").is_in(list(years)))
        .group_by("stadsdel")
        .agg(pl.col("antal").sum())
    )
    people = (
        population.filter(pl.col("ar").is_in(list(years)))
        .group_by("stadsdel")
        .agg(pl.col("folkmangd").sum(), pl.col("folkmangd").min().alias("least"))
    )
    return (
        counts.join(people, on="stadsdel")
        .filter(pl.col("least") >= make_demo.MIN_RESIDENTS)
        .with_columns(per_1000=pl.col("antal") / pl.col("folkmangd") * 1000)
    )


# -- reproducibility and the README -----------------------------------------------------


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


def _columns(name: str) -> list[str]:
    path = DEMO / name
    if name.endswith(".csv"):
        return lb.read_table(path).columns
    if name.endswith(".gpkg"):
        return lb.read(path, layer=pyogrio.list_layers(path)[0][0]).columns
    return lb.read(path).columns


def test_the_folder_holds_the_generated_files_and_a_readme_on_every_column() -> None:
    for name in make_demo.OUTPUTS:
        assert (DEMO / name).is_file(), name
    total = sum((DEMO / n).stat().st_size for n in make_demo.OUTPUTS)
    assert total < 15e6, f"the demo data takes {total / 1e6:.1f} MB"
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    for name in make_demo.OUTPUTS:
        if not name.startswith("stadsdelar.") or name == "stadsdelar.shp":
            assert f"`{name}`" in readme, f"README.md does not describe {name}"
    for name in make_demo.OUTPUTS:
        if name.endswith((".csv", ".gpkg", ".geojson", ".parquet", ".shp")):
            for column in _columns(name):
                assert f"`{column}`" in readme, f"README.md does not document column {column} of {name}"
    assert "tools/make_demo.py" in readme
    licence = (DEMO / "LICENSE-stockholm.txt").read_text(encoding="utf-8")
    assert "Stadskarta" in licence and "2021-04-13" in licence and "CC0 1.0 Universal" in licence


def test_the_readme_cites_its_sources() -> None:
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    urls = set(re.findall(r"https?://[^\s)>\]]+", readme))
    assert len(urls) >= 12, sorted(urls)
    for needle in ("msb.se", "lansstyrelsen.se", "start.stockholm", "polisen.se", "mitti.se", "dn.se"):
        assert any(needle in u for u in urls), needle
    # What could not be confirmed is said so.
    assert readme.count("not confirmed") >= 5


def test_nothing_uses_crisis_levels_as_a_severity_grade() -> None:
    for name in make_demo.OUTPUTS:
        if name.endswith((".csv", ".gpkg", ".geojson", ".parquet")):
            assert "allvarlighet" not in _columns(name), name


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("organisation.csv", {"try_parse_dates": True}),
        ("befolkning.csv", {}),
        ("trygghetsmatning.csv", {}),
        ("polisens_trygghetsmatning.csv", {}),
        ("lokalpolisomraden.csv", {}),
        ("brott_polisen.csv", {}),
        ("krisnivaer.csv", {"try_parse_dates": True}),
        ("aktorer_stadsdelar.csv", {}),
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


# -- stadsdelar, organisation, population ----------------------------------------------------


def test_stadsdelar_are_the_real_117_in_windows_1252(stadsdelar: gpd.GeoDataFrame, stockholm: Path) -> None:
    layer = lb.read(DEMO / "stadsdelar.shp")
    assert len(layer) == len(stadsdelar) == 117
    assert layer.crs == 3011 and stadsdelar.crs.to_epsg() == 3011
    assert layer.columns == ["sdel_namn", "sdel_kod", "sdo_namn", "sdo_kod"]
    assert list(stadsdelar.columns[:-1]) == layer.columns
    assert layer["sdel_namn"].to_list() == stadsdelar["sdel_namn"].to_list()
    dbf = (DEMO / "stadsdelar.dbf").read_bytes()
    assert dbf[29] == 0x57
    assert b"V\xc5RBERG" in dbf and "VÅRBERG".encode() not in dbf
    assert (DEMO / "stadsdelar.cpg").read_text() == "1252"
    info = pyogrio.read_info(DEMO / "stadsdelar.shp")
    assert info["crs"] == "EPSG:3011" and info["geometry_type"] == "Polygon"
    source = gpd.read_file(stockholm / "stadsdelar.shp").set_index("name")
    for name, geom in zip(stadsdelar["sdel_namn"], stadsdelar.geometry, strict=True):
        assert shapely.equals_exact(geom, source.geometry[name], tolerance=0), name
    assert layer["sdel_kod"].to_list() == [f"SD{i:03d}" for i in range(1, 118)]
    names = layer["sdel_namn"].to_list()
    assert names == sorted(names, key=make_demo.sv_key)
    assert names.index("VÅRBERG") < names.index("ÅRSTA") < names.index("ÄLVSJÖ") < names.index("ÖSTERMALM")
    pairs = set(zip(layer["sdo_namn"].to_list(), layer["sdo_kod"].to_list(), strict=True))
    assert {n for n, _ in pairs} == SDO_2023
    assert sorted(k for _, k in pairs) == [f"SDO{i:02d}" for i in range(1, 12)]


def test_organisation_has_three_periods_with_the_official_namnder(
    organisation: pl.DataFrame, stadsdelar: gpd.GeoDataFrame
) -> None:
    org = organisation
    assert org.columns == ["stadsdel", "sdo_namn", "sdo_kod", "namnd", "giltig_fran", "giltig_till"]
    periods = (
        org.group_by("giltig_fran", "giltig_till").agg(pl.col("sdo_namn").n_unique(), pl.len()).sort("giltig_fran")
    )
    assert periods.rows() == [
        ("2007-01-01", "2020-06-30", 14, 117),
        ("2020-07-01", "2023-06-30", 13, 117),
        ("2023-07-01", None, 11, 117),
    ]
    by = {p: org.filter(pl.col("giltig_fran") == p) for p in ("2007-01-01", "2020-07-01", "2023-07-01")}
    assert set(by["2023-07-01"]["sdo_namn"]) == SDO_2023
    # Codes in the same style in every period.
    assert all(re.fullmatch(r"SDO14-\d\d", k) for k in by["2007-01-01"]["sdo_kod"])
    assert all(re.fullmatch(r"SDO13-\d\d", k) for k in by["2020-07-01"]["sdo_kod"])
    # The nämnder as the city writes them: some in the genitive, some not.
    namnder = set(org["namnd"])
    for name in (
        "Kungsholmens stadsdelsnämnd",
        "Norra innerstadens stadsdelsnämnd",
        "Enskede-Årsta-Vantörs stadsdelsnämnd",
        "Bromma stadsdelsnämnd",
        "Järva stadsdelsnämnd",
        "Älvsjö stadsdelsnämnd",
        "Hägersten-Liljeholmens stadsdelsnämnd",
        "Hägersten-Älvsjö stadsdelsnämnd",
    ):
        assert name in namnder, name
    assert "Brommas stadsdelsnämnd" not in namnder and "Järvas stadsdelsnämnd" not in namnder
    for period, rows in by.items():
        one = rows.group_by("sdo_namn").agg(pl.col("namnd").n_unique())
        assert one["namnd"].max() == 1, period
    # Hägersten-Älvsjö = Hägersten-Liljeholmen + Älvsjö; Järva and Norra innerstaden in 2023.
    pairs = (
        by["2007-01-01"]
        .join(by["2020-07-01"], on="stadsdel", suffix="_13")
        .join(by["2023-07-01"], on="stadsdel", suffix="_11")
    )
    parts = dict(pairs.group_by("sdo_namn_13").agg(pl.col("sdo_namn").unique().sort()).rows())
    assert parts["Hägersten-Älvsjö"] == ["Hägersten-Liljeholmen", "Älvsjö"]
    assert sum(len(v) == 1 for v in parts.values()) == 12
    later = dict(pairs.group_by("sdo_namn_11").agg(pl.col("sdo_namn_13").unique().sort()).rows())
    assert later["Järva"] == ["Rinkeby-Kista", "Spånga-Tensta"]
    assert later["Norra innerstaden"] == ["Norrmalm", "Östermalm"]
    old = dict(by["2007-01-01"].select("stadsdel", "sdo_namn").rows())
    assert old["ÄLVSJÖ"] == old["HERRÄNGEN"] == "Älvsjö" and old["FRUÄNGEN"] == "Hägersten-Liljeholmen"
    shp = dict(
        zip(stadsdelar["sdel_namn"], zip(stadsdelar["sdo_namn"], stadsdelar["sdo_kod"], strict=True), strict=True)
    )
    for r in by["2023-07-01"].iter_rows(named=True):
        assert shp[r["stadsdel"]] == (r["sdo_namn"], r["sdo_kod"])


def test_population_is_real_where_known_and_adds_up(population: pl.DataFrame) -> None:
    assert population.columns == ["stadsdel", "ar", "folkmangd", "kvinnor", "man"]
    assert population.height == 117 * 12
    assert (population["kvinnor"] + population["man"] == population["folkmangd"]).all()
    totals = dict(population.group_by("ar").agg(pl.col("folkmangd").sum()).rows())
    # SCB's figures for the city (31 December).
    assert totals[2014] == 911_989 and totals[2018] == 962_154 and totals[2020] == 975_551 and totals[2021] == 978_770
    assert 975_000 < totals[2025] < 1_005_000
    real = dict(population.filter(pl.col("ar") == 2018).select("stadsdel", "folkmangd").rows())
    for name, value in make_demo.REAL_2018.items():
        assert real[name] == value, name
    # The nature reserve and the near-empty areas stay near-empty; the inner city is dense.
    most = dict(population.group_by("stadsdel").agg(pl.col("folkmangd").max()).rows())
    assert most["HANSTA"] < 100 and most["FARSTANÄSET"] == 0 and most["FLATEN"] < 20
    people = dict(population.filter(pl.col("ar") == 2023).select("stadsdel", "folkmangd").rows())
    most_populous = sorted(people, key=people.get, reverse=True)[:4]  # the dense inner city leads
    assert set(most_populous) <= {"SÖDERMALM", "VASASTADEN", "ÖSTERMALM", "KUNGSHOLMEN", "ÅRSTA"}
    share = population.filter(pl.col("folkmangd") > 1000).select((pl.col("kvinnor") / pl.col("folkmangd")).alias("s"))
    assert share["s"].min() > 0.44 and share["s"].max() < 0.58


# -- water and flood zones -------------------------------------------------------------------


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
    for xy in [(153400, 6578800), (152300, 6576700), (153000, 6576500)]:
        assert water["Mälaren"].contains(shapely.Point(xy)), xy
    for xy in [(154400, 6578300), (157200, 6581000)]:
        assert water["Saltsjön"].contains(shapely.Point(xy)), xy
    assert water["Mälaren"].distance(water["Saltsjön"]) > 10


def test_flood_levels_mean_something_and_nest() -> None:
    layer = lb.read(DEMO / "oversvamning_malaren.gpkg", layer="oversvamning")
    gdf = gpd.read_file(DEMO / "oversvamning_malaren.gpkg", layer="oversvamning")
    assert layer.columns == ["niva_m", "beskrivning"]
    assert layer.crs == 3006 and gdf.crs.to_epsg() == 3006
    # 0.5 m above Mälaren's mean level, the 100-year level, the county boards' planning level.
    assert layer["niva_m"].to_list() == pytest.approx([make_demo.MALAREN_MEAN + 0.5, 1.5, 2.7])
    assert all("RH 2000" in d and "Syntetisk" in d for d in layer["beskrivning"])
    assert "100-årsnivå" in layer["beskrivning"][1] and "betydande vikt" in layer["beskrivning"][2]
    z = dict(zip(gdf["niva_m"], gdf.geometry, strict=True))
    levels = sorted(z)
    for lo, hi in zip(levels, levels[1:], strict=False):
        assert z[hi].covers(z[lo]), (lo, hi)
        assert z[hi].area > 1.5 * z[lo].area, (lo, hi)
    assert 0.05e6 < z[levels[0]].area and z[2.7].area < 8e6
    assert all(g.is_valid for g in gdf.geometry)
    water = gpd.read_file(DEMO / "vatten.gpkg", layer="vatten").set_index("namn").geometry
    malaren = water["Mälaren"]
    wet = z[2.7].intersection(shapely.union_all(water.values)).area
    assert wet / z[2.7].area < 0.08
    assert z[2.7].difference(malaren.buffer(500)).area == 0
    far_from_malaren = water["Saltsjön"].difference(malaren.buffer(1000)).buffer(15)
    assert z[2.7].intersection(far_from_malaren).area == 0


# -- routes ------------------------------------------------------------------------------------


def _lanken() -> dict[str, shapely.Geometry]:
    """The Länken tunnels' corridors, from their centre lines in make_demo (EPSG:3011)."""
    out = {}
    for name, lines in make_demo.LANKEN.items():
        geoms = [shapely.LineString([(lon, lat) for lat, lon in line]) for line in lines]
        local = gpd.GeoSeries(geoms, crs=4326).to_crs(3011)
        out[name] = local.buffer(make_demo.LANKEN_HALF_WIDTH_M).union_all()
    return out


def test_routes_have_tunnel_stretches_and_keep_out_of_the_lanken_tunnels() -> None:
    layer = lb.read(DEMO / "farligt_gods.geojson")
    gdf = gpd.read_file(DEMO / "farligt_gods.geojson")
    assert layer.crs == 4326 and gdf.crs.to_epsg() == 4326
    assert layer.geom_types == {"LineString"}
    assert layer.columns == ["route_id", "klass", "namn", "tunnel"]
    assert layer.attributes.schema["tunnel"] == pl.Boolean and gdf["tunnel"].dtype == bool
    assert set(layer["klass"]) == {"primär", "sekundär", "järnväg"}
    assert gdf["tunnel"].sum() >= 1 and (~gdf["tunnel"]).sum() >= 12
    names = set(layer["namn"])
    assert {"E4", "Essingeleden", "73 Nynäsvägen", "226 Huddingevägen"} <= names
    assert not any("länken" in n.lower() for n in names)
    local = gdf.to_crs(3011)
    # The stretches of a route follow each other end to start.
    for _, part in local.groupby("route_id", sort=False):
        geoms = list(part.geometry)
        for a, b in zip(geoms, geoms[1:], strict=False):
            assert shapely.Point(a.coords[-1]).distance(shapely.Point(b.coords[0])) < 0.01
    for name, corridor in _lanken().items():
        inside = local.geometry.intersection(corridor).length
        assert inside.max() <= make_demo.CROSSING_MAX_M, (name, local.loc[inside.idxmax(), "namn"], inside.max())
    spacing = np.concatenate([np.hypot(*np.diff(shapely.get_coordinates(g), axis=0).T) for g in local.geometry])
    assert 10 < np.median(spacing) < 50 and spacing.max() < 70
    city = gpd.read_file(DEMO / "stadsdelar.shp").union_all()
    assert all(g.intersects(city) for g in local.geometry)


# -- facilities ------------------------------------------------------------------------------


def test_facilities_have_one_sector_scheme_units_huvudman_and_protection(facilities: pl.DataFrame) -> None:
    assert facilities.columns == [
        "id",
        "namn",
        "kategori",
        "sektor",
        "kapacitet",
        "kapacitet_enhet",
        "huvudman",
        "ansvarig_namnd",
        "skydd",
        "lon",
        "lat",
    ]
    assert 1500 <= facilities.height <= 3000
    assert facilities["id"].to_list() == list(range(1, facilities.height + 1))
    layer = lb.read(DEMO / "samhallsviktig_verksamhet.csv", lon="lon", lat="lat")
    assert len(layer) == facilities.height and layer.crs == 4326
    assert set(facilities["sektor"]) <= set(make_demo.SECTORS) and len(make_demo.SECTORS) == 11
    kinds = {k[0]: k for k in make_demo.FACILITY_KINDS}
    for kategori, sektor in facilities.select("kategori", "sektor").unique().rows():
        assert kinds[kategori][1] == sektor
    # A unit exactly where there is a capacity, the unit of the kind.
    has_cap = facilities["kapacitet"].is_not_null()
    assert (has_cap == facilities["kapacitet_enhet"].is_not_null()).all()
    units = dict(facilities.filter(has_cap).group_by("kategori").agg(pl.col("kapacitet_enhet").unique()).rows())
    assert units["förskola"] == ["barn"] and units["skola"] == ["elever"] and units["sjukhus"] == ["vårdplatser"]
    assert units["vårdcentral"] == ["listade patienter"]
    assert set(facilities["huvudman"]) == {"kommunal", "regional", "statlig", "privat"}
    kommunal = facilities["huvudman"] == "kommunal"
    assert (kommunal == facilities["ansvarig_namnd"].is_not_null()).all()
    namnd = dict(facilities.filter(kommunal).group_by("kategori").agg(pl.col("ansvarig_namnd").unique()).rows())
    assert namnd["skola"] == ["Utbildningsnämnden"]
    assert all(n.endswith("stadsdelsnämnd") for n in namnd["förskola"] + namnd["äldreboende"])
    both = facilities.filter(pl.col("kategori").is_in(["förskola", "skola", "äldreboende"]))
    assert set(both["huvudman"]) == {"kommunal", "privat"}
    # Locations not to be published: electricity, telecom, water.
    assert facilities["skydd"].dtype == pl.Boolean
    protected = set(facilities.filter(pl.col("skydd"))["kategori"])
    assert protected == set(make_demo.PROTECTED_KINDS)
    assert facilities.filter(pl.col("kategori") == "drivmedelsstation").height > 30
    assert "Förskolan Solrosen" in set(facilities["namn"])


def test_stadsdelsnamnd_facilities_answer_to_the_namnd_of_their_place(
    facility_points: gpd.GeoDataFrame, stadsdelar: gpd.GeoDataFrame, organisation: pl.DataFrame
) -> None:
    own = facility_points[
        (facility_points["huvudman"] == "kommunal") & facility_points["kategori"].isin(["förskola", "äldreboende"])
    ]
    joined = gpd.sjoin(own, stadsdelar[["sdel_namn", "geometry"]], predicate="within")
    today = dict(organisation.filter(pl.col("giltig_fran") == "2023-07-01").select("stadsdel", "namnd").rows())
    assert len(joined) == len(own)
    assert (joined["ansvarig_namnd"] == joined["sdel_namn"].map(today)).all()


def test_some_schools_and_care_homes_are_near_routes_or_in_flood_zones(facility_points: gpd.GeoDataFrame) -> None:
    pts = facility_points
    sensitive = pts[pts["kategori"].isin(["förskola", "skola", "äldreboende"])]
    routes = gpd.read_file(DEMO / "farligt_gods.geojson").to_crs(3011).union_all()
    near = sensitive.distance(routes) <= 150
    flood = gpd.read_file(DEMO / "oversvamning_malaren.gpkg").to_crs(3011)
    in_zone = sensitive.within(flood.set_index("niva_m").geometry[2.7])
    assert 40 <= near.sum() <= 0.4 * len(sensitive)
    assert 20 <= in_zone.sum() <= 0.2 * len(sensitive)
    land = gpd.read_file(DEMO / "stadsdelar.shp").union_all()
    assert pts.within(land).all()


# -- the city's survey -------------------------------------------------------------------------


def test_city_survey_every_third_year_by_kon_without_the_empty_stadsdelar(
    survey: pl.DataFrame, population: pl.DataFrame
) -> None:
    assert survey.columns == ["kalla", "ar", "stadsdel", "kon", "indikator", "varde", "respondenter"]
    assert set(survey["kalla"]) == {"stadens trygghetsmätning"}
    assert sorted(survey["ar"].unique()) == [2014, 2017, 2020, 2023]
    assert set(survey["kon"]) == {"kvinnor", "män", "alla"}
    assert set(survey["indikator"]) == {"oro_brott", "otrygg_kvall", "ordningsstorningar", "utsatt_brott"}
    assert 0 <= survey["varde"].min() and survey["varde"].max() <= 0.45
    assert survey.select("ar", "stadsdel", "kon", "indikator").is_duplicated().sum() == 0
    people = dict(population.select(pl.concat_str("stadsdel", pl.col("ar").cast(pl.String)), "folkmangd").rows())
    for (year,), group in survey.group_by("ar"):
        listed = set(group["stadsdel"])
        expected = {s for s in population["stadsdel"].unique() if people[f"{s}{year}"] >= make_demo.MIN_RESIDENTS}
        assert listed == expected, year
        assert not listed & NEAR_EMPTY
    # Women and men add up to all; the shares too (within rounding).
    wide = survey.pivot(on="kon", index=["ar", "stadsdel", "indikator"], values=["varde", "respondenter"])
    assert (wide["respondenter_kvinnor"] + wide["respondenter_män"] == wide["respondenter_alla"]).all()
    mixed = (
        wide["varde_kvinnor"] * wide["respondenter_kvinnor"] + wide["varde_män"] * wide["respondenter_män"]
    ) / wide["respondenter_alla"]
    assert (mixed - wide["varde_alla"]).abs().max() < 0.002
    # About 17,700 answers in 2017 and 2020, about 15,000 lately; small areas oversampled.
    alla = survey.filter((pl.col("kon") == "alla") & (pl.col("indikator") == "oro_brott"))
    answers = dict(alla.group_by("ar").agg(pl.col("respondenter").sum()).rows())
    assert abs(answers[2017] - 17_669) < 200 and abs(answers[2020] - 17_857) < 200 and 14_000 < answers[2023] < 16_000
    per_person = alla.filter(pl.col("ar") == 2023).join(population.filter(pl.col("ar") == 2023), on=["stadsdel", "ar"])
    rate = per_person["respondenter"] / per_person["folkmangd"]
    assert rate.max() > 4 * rate.min()


def test_city_survey_at_the_citys_published_levels(survey: pl.DataFrame, population: pl.DataFrame) -> None:
    levels = {(y, i): v for y, i, v in city_mean(survey, population).rows()}
    # "Often worried about crime": 8 % (2014), 11 % (2017), 9 % (2020); unsafe at night 10 % (2017, 2020).
    for (year, ind), value in {
        (2014, "oro_brott"): 0.08,
        (2017, "oro_brott"): 0.11,
        (2020, "oro_brott"): 0.09,
        (2017, "otrygg_kvall"): 0.10,
        (2020, "otrygg_kvall"): 0.10,
    }.items():
        assert abs(levels[(year, ind)] - value) < 0.012, (year, ind, levels[(year, ind)])


def test_women_are_more_unsafe_than_men_but_with_sampling_noise(survey: pl.DataFrame) -> None:
    wide = survey.pivot(on="kon", index=["ar", "stadsdel", "indikator"], values="varde")
    for ind, least in (("otrygg_kvall", 0.85), ("oro_brott", 0.6)):
        part = wide.filter(pl.col("indikator") == ind)
        ahead = (part["kvinnor"] > part["män"]).mean()
        assert least < ahead < 1.0, (ind, ahead)  # not everywhere: small samples
        by_year = part.group_by("ar").agg(pl.col("kvinnor").mean(), pl.col("män").mean())
        assert (by_year["kvinnor"] > by_year["män"]).all()


def test_planted_trends_behave_as_the_readme_says(survey: pl.DataFrame, population: pl.DataFrame) -> None:
    alla = survey.filter((pl.col("kon") == "alla") & (pl.col("indikator") == "otrygg_kvall"))
    mean = dict(
        city_mean(survey, population).filter(pl.col("indikator") == "otrygg_kvall").select("ar", "varde").rows()
    )
    value = {(s, y): v for y, s, v in alla.select("ar", "stadsdel", "varde").rows()}
    for name in make_demo.IMPROVING:
        assert value[(name, 2014)] > mean[2014] + 0.04, name  # starts high, above the city
        assert value[(name, 2017)] > value[(name, 2023)] + 0.05, name
        assert abs(value[(name, 2023)] - mean[2023]) < 0.05, name  # ends near the city
    for name in make_demo.WORSENING:
        series = [value[(name, y)] for y in (2014, 2017, 2020, 2023)]
        assert series[-1] > series[0] + 0.06, name
        assert series[0] < mean[2014] + 0.03, name
        assert max(series) < 0.35, name  # no implausible shares


# -- the police's survey and the crosswalk ------------------------------------------------------


def test_police_survey_is_keyed_by_lokalpolisomrade_with_a_crosswalk(police: pl.DataFrame) -> None:
    assert police.columns == ["kalla", "ar", "lokalpolisomrade", "kon", "indikator", "varde", "respondenter"]
    assert set(police["kalla"]) == {"polisens trygghetsmätning"}
    assert sorted(police["ar"].unique()) == list(range(2020, 2026))
    units = dict(police.group_by("ar").agg(pl.col("lokalpolisomrade").unique().sort()).rows())
    assert units[2022] == ["Järva"]  # 2022 only in Järva (and Huddinge, outside the city)
    assert len(units[2020]) == len(units[2021]) == len(units[2023]) == 7
    assert {"Norra innerstaden", "Lidingö-Kungsholmen"} <= set(units[2025]) and "Norrmalm" not in units[2025]
    assert set(police["indikator"]) == {"oro_brott", "otrygg_kvall", "problemindex"}
    index = police.filter(pl.col("indikator") == "problemindex")
    assert set(index["kon"]) == {"alla"} and 0 <= index["varde"].min() and index["varde"].max() <= 6
    walk = pl.read_csv(DEMO / "lokalpolisomraden.csv")
    assert walk.columns == ["lokalpolisomrade", "stadsdel", "andel"]
    assert set(police["lokalpolisomrade"]) <= set(walk["lokalpolisomrade"])
    sums = walk.group_by("lokalpolisomrade").agg(pl.col("andel").sum())
    assert (sums["andel"] - 1).abs().max() < 1e-6
    names = set(gpd.read_file(DEMO / "stadsdelar.shp")["sdel_namn"])
    assert set(walk["stadsdel"]) == names
    before = walk.filter(~pl.col("lokalpolisomrade").is_in(["Norra innerstaden", "Lidingö-Kungsholmen"]))
    assert before["stadsdel"].n_unique() == before.height == 117  # each stadsdel in one 2020–2024 area
    jarva = police.filter((pl.col("lokalpolisomrade") == "Järva") & (pl.col("kon") == "alla"))
    kvall = dict(jarva.filter(pl.col("indikator") == "otrygg_kvall").select("ar", "varde").rows())
    assert kvall[2020] > kvall[2022]  # Järva's improvement 2020 → 2022


# -- incidents from the händelsehanteringssystem --------------------------------------------------


def test_incidents_are_points_on_land_with_the_contracted_columns(
    incidents: gpd.GeoDataFrame, stadsdelar: gpd.GeoDataFrame
) -> None:
    layer = lb.read(DEMO / "handelser.parquet")
    assert len(layer) == len(incidents) and layer.crs == 3011 and incidents.crs.to_epsg() == 3011
    assert layer.columns == ["handelse_id", "datum", "kalla", "namnd", "verksamhet", "tema", "typ", "konsekvensgrad"]
    assert layer.attributes.schema["datum"] == pl.Date and layer.attributes.schema["konsekvensgrad"] == pl.Int64
    assert layer.geom_types == {"Point"}
    attrs = layer.attributes
    assert incidents["handelse_id"].tolist() == list(range(1, len(incidents) + 1))
    assert str(attrs["datum"].min()) >= "2019-01-01" and str(attrs["datum"].max()) <= "2025-08-31"
    assert set(attrs["kalla"]) == {"händelsehanteringssystemet"}
    assert set(attrs["tema"]) == set(make_demo.THEMES)
    for tema, (*_, kinds) in make_demo.THEMES.items():
        assert set(attrs.filter(pl.col("tema") == tema)["typ"]) == {k[0] for k in kinds}
    grades = dict(attrs.group_by("konsekvensgrad").len().rows())
    assert set(grades) == {1, 2, 3, 4} and grades[1] > grades[3] > grades[4] > 0
    joined = gpd.sjoin(incidents[["geometry"]], stadsdelar, predicate="within")
    assert len(joined) == len(incidents), "every incident lies in a stadsdel"
    water = gpd.read_file(DEMO / "vatten.gpkg").to_crs(3011).union_all()
    assert not incidents.intersects(water).any(), "no incident lies in the water"


def test_incidents_are_reported_by_the_namnd_in_force_on_their_date(
    incidents: gpd.GeoDataFrame, stadsdelar: gpd.GeoDataFrame, organisation: pl.DataFrame
) -> None:
    joined = gpd.sjoin(incidents, stadsdelar[["sdel_namn", "geometry"]], predicate="within")
    df = pl.from_pandas(joined.drop(columns="geometry")[["datum", "namnd", "verksamhet", "sdel_namn"]])
    org = organisation.with_columns(
        pl.col("giltig_fran").str.to_date(), pl.col("giltig_till").str.to_date().fill_null(pl.date(2099, 12, 31))
    )
    local = df.filter(
        pl.col("verksamhet").is_in(["förskola", "äldreboende", "LSS-boende", "socialtjänst", "hemtjänst"])
    )
    matched = local.join(org.rename({"stadsdel": "sdel_namn", "namnd": "in_force"}), on="sdel_namn").filter(
        (pl.col("datum") >= pl.col("giltig_fran")) & (pl.col("datum") <= pl.col("giltig_till"))
    )
    assert matched.height == local.height
    assert (matched["namnd"] == matched["in_force"]).all()
    # The three organisations all occur.
    for name in ("Älvsjö stadsdelsnämnd", "Hägersten-Älvsjö stadsdelsnämnd", "Järva stadsdelsnämnd"):
        assert name in set(df["namnd"]), name
    schools = df.filter(pl.col("verksamhet").is_in(["grundskola", "gymnasieskola"]))
    assert set(schools["namnd"]) == {"Utbildningsnämnden", "Skolfastigheter i Stockholm AB"}
    assert set(df.filter(pl.col("verksamhet") == "gatudrift")["namnd"]) == {"Trafiknämnden"}


def test_staff_violence_happens_at_the_citys_own_workplaces(
    incidents: gpd.GeoDataFrame, facility_points: gpd.GeoDataFrame
) -> None:
    kommunal = facility_points[facility_points["huvudman"] == "kommunal"]
    violence = incidents[incidents["tema"] == "hot och våld"]
    assert len(violence) > 10_000
    for verksamhet, kategori in make_demo.VERKSAMHET_AT.items():
        at = violence[violence["verksamhet"] == kategori]
        places = kommunal[kommunal["kategori"] == verksamhet]
        assert len(at) > 0, kategori
        d = gpd.sjoin_nearest(at[["geometry"]], places[["geometry"]], distance_col="d")["d"]
        assert d.max() <= 5.0, (kategori, d.max())
    # Other themes are not tied to the facilities: accidents on the roads.
    roads = gpd.read_file(DEMO / "farligt_gods.geojson").to_crs(3011)
    roads = roads[(roads["klass"] != "järnväg") & ~roads["tunnel"]].union_all()
    traffic = incidents[incidents["typ"] == "trafikolycka"]
    on_road = traffic.distance(roads) <= 15
    assert on_road.mean() > 0.5
    assert (violence.sample(2000, random_state=1).distance(roads) <= 15).mean() < 0.2


def test_themes_differ_in_time(incidents: gpd.GeoDataFrame) -> None:
    attrs = pl.from_pandas(incidents.drop(columns="geometry"))
    per_year = dict(
        attrs.filter(pl.col("datum").dt.year() < 2025)
        .group_by("tema", pl.col("datum").dt.year().alias("ar"))
        .len()
        .select(pl.concat_str("tema", pl.col("ar").cast(pl.String)), "len")
        .rows()
    )
    assert per_year["hot och våld2024"] > 1.25 * per_year["hot och våld2019"]
    assert per_year["brott mot egendom2024"] < 0.9 * per_year["brott mot egendom2019"]
    assert 0.85 < per_year["olycka2024"] / per_year["olycka2019"] < 1.15
    month = attrs.with_columns(m=pl.col("datum").dt.month())
    brand = month.filter(pl.col("tema") == "brand").group_by("m").len()
    spring = brand.filter(pl.col("m").is_in([4, 5]))["len"].mean()
    winter = brand.filter(pl.col("m").is_in([10, 11, 12, 1, 2]))["len"].mean()
    assert spring > 1.4 * winter
    slips = month.filter(pl.col("typ") == "halkolycka").group_by("m").len()
    assert (
        slips.filter(pl.col("m").is_in([12, 1, 2]))["len"].mean()
        > 1.3 * slips.filter(pl.col("m").is_in([6, 7, 8]))["len"].mean()
    )


def test_each_theme_has_its_planted_hotspot(incidents: gpd.GeoDataFrame, facility_points: gpd.GeoDataFrame) -> None:
    land_km2 = 187.7
    for tema, (_, lat, lon, radius) in make_demo.HOTSPOTS.items():
        centre = gpd.GeoSeries([shapely.Point(lon, lat)], crs=4326).to_crs(3011).iloc[0]
        zone = centre.buffer(radius)
        ratio = {}
        for other in make_demo.THEMES:
            pts = incidents[incidents["tema"] == other]
            ratio[other] = (pts.within(zone).sum() / zone.area * 1e6) / (len(pts) / land_km2)
        assert ratio[tema] > 8, (tema, ratio)
        assert ratio[tema] == max(ratio.values()), (tema, ratio)
    violence = incidents[incidents["tema"] == "hot och våld"]
    kommunal = facility_points[facility_points["huvudman"] == "kommunal"]
    nearest = gpd.sjoin_nearest(violence[["geometry"]], kommunal[["namn", "geometry"]], max_distance=5)
    counts = nearest["namn"].value_counts()
    assert counts.index[0] == make_demo.HOT_SOCIALKONTOR
    assert counts.iloc[0] > 2 * counts.iloc[1]
    # Property crime concentrates in the centres.
    centres = (
        gpd.GeoSeries([shapely.Point(c[1], c[0]) for c in make_demo.CENTRES.values()], crs=4326)
        .to_crs(3011)
        .buffer(500)
        .union_all()
    )
    share = {t: incidents[incidents["tema"] == t].within(centres).mean() for t in make_demo.THEMES}
    assert share["brott mot egendom"] > 1.5 * share["hot och våld"]


def test_crisis_levels_are_a_separate_rare_table() -> None:
    crises = pl.read_csv(DEMO / "krisnivaer.csv", try_parse_dates=True)
    assert crises.columns == ["datum_fran", "datum_till", "niva", "beskrivning", "berorda_namnder"]
    assert set(crises["niva"]) <= {"allvarlig händelse", "extraordinär händelse"}
    assert crises.height <= 2 * 7 and (crises["niva"] == "extraordinär händelse").sum() <= 1
    assert (crises["datum_till"] >= crises["datum_fran"]).all()
    assert all(d.startswith("Syntetisk") for d in crises["beskrivning"])
    for names in crises["berorda_namnder"]:
        for name in names.split("; "):
            assert name.endswith(("nämnd", "nämnden")) or "AB" in name.split(), name


# -- police-reported crime ------------------------------------------------------------------------


def test_police_reported_crime_per_stadsdel_month_and_category(crime: pl.DataFrame, population: pl.DataFrame) -> None:
    assert crime.columns == ["stadsdel", "manad", "brottskategori", "antal"]
    assert crime["manad"].min() == "2019-01" and crime["manad"].max() == "2025-08"
    assert all(re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", m) for m in crime["manad"].unique())
    assert crime["antal"].dtype == pl.Int64 and crime["antal"].min() >= 1  # zero rows left out
    assert {"misshandel", "rån", "stöld och snatteri", "inbrott", "skadegörelse", "bedrägeri"} <= set(
        crime["brottskategori"]
    )
    assert set(crime["stadsdel"]) <= set(population["stadsdel"])
    assert crime.select("stadsdel", "manad", "brottskategori").is_duplicated().sum() == 0
    yearly = (
        crime.with_columns(ar=pl.col("manad").str.slice(0, 4).cast(pl.Int64)).group_by("ar").agg(pl.col("antal").sum())
    )
    people = population.group_by("ar").agg(pl.col("folkmangd").sum())
    per_100k = (
        yearly.join(people, on="ar")
        .filter(pl.col("ar") < 2025)
        .with_columns(r=pl.col("antal") / pl.col("folkmangd") * 100_000)
    )
    # About 20,000 reported crimes per 100,000 residents a year (Brå's order of magnitude for Stockholm).
    assert per_100k["r"].min() > 17_000 and per_100k["r"].max() < 23_000


def test_crime_and_unsafety_do_not_always_go_together(
    crime: pl.DataFrame, population: pl.DataFrame, survey: pl.DataFrame
) -> None:
    rate = crime_per_1000(crime, population, range(2019, 2025))
    unsafe = (
        survey.filter((pl.col("kon") == "alla") & (pl.col("indikator") == "otrygg_kvall"))
        .group_by("stadsdel")
        .agg(pl.col("varde").mean())
    )
    d = unsafe.join(rate, on="stadsdel")
    top_quarter = d["varde"].quantile(0.75)
    # The inner-city area with the most reported crime per resident is not among the most unsafe.
    highest = d.sort("per_1000", descending=True)
    assert highest["stadsdel"][0] == make_demo.CRIME_NOT_UNSAFE
    assert highest["per_1000"][0] > 1.8 * highest["per_1000"][1]
    assert d.filter(pl.col("stadsdel") == make_demo.CRIME_NOT_UNSAFE)["varde"][0] < top_quarter
    # An area with high unsafety and little crime.
    low = d.filter(pl.col("stadsdel") == make_demo.UNSAFE_LOW_CRIME)
    assert low["varde"][0] >= top_quarter and low["per_1000"][0] < d["per_1000"].median()
    # Related, but far from a perfect rank order.
    rho = spearman(d["varde"].to_numpy(), d["per_1000"].to_numpy())
    assert 0.0 < rho < 0.8, rho


# -- actors ------------------------------------------------------------------------------------------


def test_actor_areas_cut_across_the_stadsdelsomraden(stadsdelar: gpd.GeoDataFrame) -> None:
    layer = lb.read(DEMO / "aktorer.gpkg", layer="aktorer")
    gdf = gpd.read_file(DEMO / "aktorer.gpkg", layer="aktorer")
    assert layer.columns == ["aktor", "typ", "beskrivning"] and layer.crs == 3006
    assert layer.geom_types == {"MultiPolygon"}
    assert {"räddningstjänst", "elnät", "fjärrvärme", "vatten och avlopp", "region"} <= set(layer["typ"])
    assert layer["aktor"].n_unique() == len(layer)
    assert all(g.is_valid for g in gdf.geometry)
    local = gdf.to_crs(3011)
    sdo = stadsdelar.dissolve("sdo_namn").geometry
    city = stadsdelar.union_all()
    for typ in ("räddningstjänst", "elnät", "fjärrvärme"):
        part = local[local["typ"] == typ]
        assert abs(part.area.sum() - city.area) / city.area < 0.01, typ  # they cover the city once
        split = 0
        for g in part.geometry:
            shares = sdo.intersection(g).area / g.area
            split += int((shares > 0.1).sum() >= 2)
        assert split >= 1, typ  # at least one area lies in several stadsdelsområden
    listed = pl.read_csv(DEMO / "aktorer_stadsdelar.csv")
    assert listed.columns == ["aktor", "typ", "stadsdel"]
    assert set(listed["stadsdel"]) <= set(stadsdelar["sdel_namn"])
    assert set(listed["typ"]) == {"polis", "frivillig organisation"}
    assert listed.filter(pl.col("typ") == "polis")["stadsdel"].n_unique() == 117


# -- the RSA register --------------------------------------------------------------------------------


def test_risk_register_rates_each_protected_value_and_follows_measures() -> None:
    risks = pl.read_csv(DEMO / "risker.csv")
    ratings = [
        "sannolikhet",
        "konsekvens_liv_halsa",
        "konsekvens_funktionalitet",
        "konsekvens_miljo_egendom",
        "konsekvens_grundlaggande_varden",
    ]
    assert risks.columns == [
        "risk_id",
        "ar",
        "namnd",
        "risk",
        "beskrivning",
        *ratings,
        "atgard",
        "atgard_status",
    ]
    assert sorted(risks["ar"].unique()) == [2023, 2024, 2025]
    assert risks["risk_id"].n_unique() == risks.height
    for col in ratings:
        assert risks[col].min() >= 1 and risks[col].max() <= 5, col
    assert set(risks["atgard_status"]) == {"planerad", "pågår", "genomförd"}
    namnder = set(risks["namnd"])
    assert {f"{n}" for n in make_demo.NAMND[make_demo.PERIODS[2]].values()} <= namnder
    assert "Stadsbyggnadsnämnden" in namnder and "Trafiknämnden" in namnder
    assert sum("AB" in n.split() for n in namnder) >= 4  # bolag: AB Familjebostäder, Stockholm Vatten och Avfall AB …
    # Each risk is followed from year to year, its measure never going back.
    order = {"planerad": 0, "pågår": 1, "genomförd": 2}
    for _, g in risks.sort("ar").group_by("namnd", "risk"):
        assert g["ar"].to_list() == [2023, 2024, 2025]
        steps = [order[s] for s in g["atgard_status"]]
        assert steps == sorted(steps)
    malaren = risks.filter((pl.col("risk") == "Högt vattenstånd i Mälaren") & (pl.col("ar") == 2025))
    assert 3 <= malaren.height < 11
