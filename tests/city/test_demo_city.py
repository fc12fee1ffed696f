"""The demo city, loaded through ``lagesbild.demo()`` from data/demo/lagesbild.toml.

Checks that the configuration and the demo data set agree with the data
contract (data/demo/README.md): every file there, every column, the
organisations, the layers in the working CRS, the years covered and the
topology findings of the real boundaries. The whole module is skipped,
with the list of missing files, while the demo data set is not generated.
"""

from __future__ import annotations

import datetime as dt
import logging
import tomllib
from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
TOML = DEMO / "lagesbild.toml"


def _configured_files() -> list[Path]:
    config = tomllib.loads(TOML.read_text(encoding="utf-8"))
    files = [config["areas"]["file"], config["organisation"]["file"]]
    for group in ("layers", "tables", "crosswalks"):
        files += [body["file"] for body in config.get(group, {}).values()]
    return [DEMO / f for f in files]


def _missing() -> list[str]:
    return [p.name for p in _configured_files() if not p.is_file()]


pytestmark = pytest.mark.skipif(
    bool(_missing()),
    reason=f"the demo data set is not generated yet: data/demo/ lacks {', '.join(_missing())}",
)


@pytest.fixture(scope="module")
def city() -> lb.City:
    return lb.demo()


def test_demo_is_the_bundled_configuration(city: lb.City) -> None:
    assert city.config_path is not None
    assert city.config_path.resolve() == TOML.resolve()
    assert city.name == "Stockholm (demo)"
    assert city.crs == 3011
    inputs = {Path(p).name for p in city.inputs()["path"]}
    assert {"lagesbild.toml", "stadsdelar.shp", "stadsdelar.dbf", "stadsdelar.cpg", "handelser.parquet"} <= inputs
    assert inputs == {"lagesbild.toml"} | {p.name for p in _configured_files()} | {
        f"stadsdelar.{ext}" for ext in ("shx", "dbf", "prj", "cpg")
    }


def test_areas_are_the_117_stadsdelar(city: lb.City) -> None:
    assert len(city.stadsdelar) == 117
    assert "VÅRBERG" in city.stadsdelar and "HÄSSELBY VILLASTAD" in city.stadsdelar
    attrs = city.areas.attributes
    assert {"sdel_namn", "sdel_kod", "sdo_namn", "sdo_kod"} <= set(attrs.columns)
    assert attrs["sdel_kod"].n_unique() == 117
    assert city.areas.geom_types <= {"Polygon", "MultiPolygon"}
    # About 215.8 km² with water (shapely on the source shapefile: 215 763 327 m²).
    assert city.areas.area().sum() == pytest.approx(215_763_327, rel=1e-6)


def test_organisations_by_year(city: lb.City) -> None:
    assert city.periods.select("giltig_fran", "giltig_till", "stadsdelsomraden").rows() == [
        (dt.date(2007, 1, 1), dt.date(2020, 6, 30), 14),
        (dt.date(2020, 7, 1), dt.date(2023, 6, 30), 13),
        (dt.date(2023, 7, 1), None, 11),
    ]
    assert city.organisation(2023)["sdo_namn"].n_unique() == 11
    assert city.organisation(2022)["sdo_namn"].n_unique() == 13
    assert city.organisation(2019)["sdo_namn"].n_unique() == 14
    assert city.organisation(dt.date(2020, 6, 30))["sdo_namn"].n_unique() == 14
    assert city.organisation(dt.date(2023, 6, 30))["sdo_namn"].n_unique() == 13
    assert city.organisation(dt.date(2023, 7, 1))["sdo_namn"].n_unique() == 11
    org = dict(city.organisation(2024).select("stadsdel", "sdo_namn").rows())
    assert org["RINKEBY"] == org["TENSTA"] == "Järva"
    # Today's organisation agrees with the areas' own sdo columns.
    today = city.organisation(2025).select("stadsdel", "sdo_namn", "sdo_kod")
    own = city.areas.attributes.select(pl.col("sdel_namn").alias("stadsdel"), "sdo_namn", "sdo_kod")
    assert today.sort("stadsdel").equals(own.sort("stadsdel"))


def test_the_namnd_of_each_period(city: lb.City) -> None:
    """The stadsdelsnämnd's official name comes with the organisation (``namnd`` in the TOML)."""
    names = {y: dict(city.organisation(y).select("stadsdel", "namnd").rows()) for y in (2017, 2021, 2024)}
    assert names[2017]["ÄLVSJÖ"] == "Älvsjö stadsdelsnämnd"
    assert names[2017]["LILJEHOLMEN"] == "Hägersten-Liljeholmens stadsdelsnämnd"
    assert names[2021]["ÄLVSJÖ"] == names[2021]["LILJEHOLMEN"] == "Hägersten-Älvsjö stadsdelsnämnd"
    assert names[2021]["RINKEBY"] == "Rinkeby-Kista stadsdelsnämnd"
    assert names[2024]["RINKEBY"] == names[2024]["TENSTA"] == "Järva stadsdelsnämnd"
    assert names[2024]["VASASTADEN"] == "Norra innerstadens stadsdelsnämnd"
    areas = city.areas_at(2024)
    assert {"sdo_namn", "sdo_kod", "namnd"} <= set(areas.columns)
    assert areas.attributes.group_by("sdo_namn").agg(pl.col("namnd").n_unique())["namnd"].max() == 1


def test_layers_are_in_the_working_crs(city: lb.City) -> None:
    assert set(city.layers) == {
        "vatten",
        "oversvamning",
        "farligt_gods",
        "samhallsviktig_verksamhet",
        "handelser",
        "aktorer",
    }
    for name, layer in city.layers.items():
        assert layer.crs == 3011, name
    sources = {r["name"]: r["source_crs"] for r in city.sources.iter_rows(named=True)}
    assert sources["vatten"] == sources["oversvamning"] == sources["aktorer"] == "EPSG:3006"
    assert sources["farligt_gods"] == sources["samhallsviktig_verksamhet"] == "EPSG:4326"
    assert sources["handelser"] == sources["areas"] == "EPSG:3011"


def test_transformations_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="lagesbild"):
        lb.demo()
    logged = " ".join(r.getMessage() for r in caplog.records if "transformed into the working CRS" in r.getMessage())
    for file in (
        "vatten.gpkg",
        "oversvamning_malaren.gpkg",
        "farligt_gods.geojson",
        "samhallsviktig_verksamhet.csv",
        "aktorer.gpkg",
    ):
        assert file in logged
    assert "handelser.parquet" not in logged


def test_layer_contents(city: lb.City) -> None:
    assert sorted(city.layer("vatten")["namn"].to_list()) == ["Mälaren", "Saltsjön", "Övriga sjöar och vattendrag"]
    assert city.flood_levels() == city.flood_levels("malaren") == [1.36, 1.5, 2.7]
    with pytest.raises(lb.InvalidArgumentError, match=r"no flood hazard 'farligt_gods' \(flood hazards: 'malaren'\)"):
        city.flood_levels("farligt_gods")
    routes = city.layer("farligt_gods")
    assert set(routes["klass"].unique()) == {"primär", "sekundär", "järnväg"}
    assert routes.attributes.schema["tunnel"] == pl.Boolean
    assert 1_500 <= len(city.layer("samhallsviktig_verksamhet")) <= 3_000
    assert city.years("handelser") == list(range(2019, 2026))
    assert "allvarlighet" not in city.layer("handelser").columns


def test_tables_and_years(city: lb.City) -> None:
    assert city.years("befolkning") == list(range(2014, 2026))
    assert city.years("trygghetsmatning") == [2014, 2017, 2020, 2023]
    assert city.years("polisens_trygghetsmatning") == list(range(2020, 2026))
    assert city.years("risker") == [2023, 2024, 2025]
    assert {"risk_id", "ar", "namnd", "sannolikhet", "konsekvens_liv_halsa", "atgard_status"} <= set(
        city.table("risker").columns
    )
    assert set(city.crosswalks) == {"lokalpolisomraden"}


def test_findings_are_the_real_boundaries_slivers(city: lb.City) -> None:
    overlaps = city.findings.filter(pl.col("kind") == "overlap")
    assert overlaps.height == 19
    assert overlaps["area_m2"].sum() == pytest.approx(2.06, abs=0.01)
    gaps = city.findings.filter(pl.col("kind") == "gap")
    assert gaps["area_m2"][0] == pytest.approx(5245.1, abs=0.1)
    assert sorted(gaps["stadsdelar"][0].to_list()) == ["FAGERSJÖ", "HÖGDALEN"]


def test_survey_to_stadsdelsomraden_of_its_year(city: lb.City) -> None:
    survey = city.table("trygghetsmatning")
    one = survey.filter((pl.col("indikator") == "otrygg_kvall") & (pl.col("kon") == "alla"))
    out = city.to_stadsdelsomraden(one, year_column="ar", means=["varde"], weight="respondenter")
    n_areas = dict(out.group_by("ar").len().rows())
    # Each survey under the organisation of its year: 14 areas in 2014 and 2017.
    assert n_areas == {2014: 14, 2017: 14, 2020: 13, 2023: 11}
    assert out["respondenter"].sum() == pytest.approx(one["respondenter"].sum())


def test_police_survey_to_stadsdelar_through_the_crosswalk(city: lb.City) -> None:
    """The survey keyed by lokalpolisområde comes down to the stadsdelar it covers."""
    police = city.table("polisens_trygghetsmatning").filter(pl.col("indikator") == "otrygg_kvall")
    out = city.to_stadsdelar(
        police,
        key="lokalpolisomrade",
        crosswalk="lokalpolisomraden",
        means=["varde"],
        weight="respondenter",
        by=["ar", "kon"],
    )
    per_year = dict(out.filter(pl.col("kon") == "alla").group_by("ar").len().rows())
    assert per_year[2022] == 11  # only Järva's stadsdelar in 2022
    assert per_year[2021] == per_year[2024] == per_year[2025] == 117
    tensta = out.filter((pl.col("stadsdel") == "TENSTA") & (pl.col("kon") == "alla")).sort("ar")
    raw = police.filter((pl.col("lokalpolisomrade") == "Järva") & (pl.col("kon") == "alla")).sort("ar")
    assert tensta["varde"].to_list() == pytest.approx(raw["varde"].to_list())


def test_cli_summarises_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    from lagesbild.cli import main

    assert main(["info", "--config", str(TOML)]) == 0
    out = capsys.readouterr().out
    assert "areas (stadsdelar.shp): 117 stadsdelar" in out
    assert "2023-07-01 – (in force): 11 stadsdelsområden, 117 stadsdelar" in out
    assert "2007-01-01 – 2020-06-30: 14 stadsdelsområden" in out
    assert "EPSG:4326 → EPSG:3011" in out
    assert "findings: 19 overlaps" in out
    assert "hazard 'malaren': flood zones in 'oversvamning' by 'niva_m': 1.36 < 1.5 < 2.7" in out
    assert (
        "hazard 'farligt_gods': routes in 'farligt_gods' by 'klass', risk distance 150 m "
        "(A 0–30 m, B 30–70 m, C 70–150 m), tunnels ('tunnel') left out"
    ) in out
