"""The analyses' sections of the city file: parsing (keys, types, kinds) and
checks against the data (layers, geometry types, columns, nesting, themes)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest
import shapely
from city_helpers import edit, load_error

SECTIONS_TOML = """
[layers.zoner]
file = "zoner.gpkg"

[layers.leder]
file = "leder.gpkg"

[layers.anlaggningar]
file = "anlaggningar.gpkg"

[layers.handelser]
file = "handelser.gpkg"
date = "datum"

[tables.brott]
file = "brott.csv"
key = "stadsdel"

[tables.risker]
file = "risker.csv"

[hazards.malaren]
kind = "flood"
layer = "zoner"
levels = [1.5, 2.7]

[hazards.farligt_gods]
kind = "route"
layer = "leder"
tunnel_column = "tunnel"
zones_m = { A = 40.0, B = 80.0, C = 150.0 }

[facilities]
layer = "anlaggningar"
zone_guidance = { "förskola" = "C" }

[population]
table = "befolkning"

[surveys]
tables = ["enkat"]
indicator = "indikator"

[crime]
table = "brott"

[incidents]
layer = "handelser"

[themes.olyckor]
label = "Olyckor"
tema = ["olycka"]

[themes.brott]
tema = ["brott mot egendom"]
crime = ["stöld"]

[suppression]
rule = "city_rounding"

[rsa]
table = "risker"
consequences = { liv_och_halsa = "k_liv" }
"""


def write(layer_df: pl.DataFrame, geoms: list[shapely.Geometry], path: Path) -> None:
    df = layer_df.with_columns(pl.Series("geometry", [shapely.to_wkb(g) for g in geoms], dtype=pl.Binary))
    lb.Layer.from_polars(df, crs=3011, name=path.stem).write(path, layer=path.stem)


@pytest.fixture
def full(small: Path) -> Path:
    """The small city with every analysis section and its data."""
    folder = small.parent
    # Two nested flood zones along the west edge; a route through the middle.
    write(
        pl.DataFrame({"niva_m": [1.5, 2.7]}),
        [shapely.box(0, 0, 100, 2000), shapely.box(0, 0, 300, 2000)],
        folder / "zoner.gpkg",
    )
    write(
        pl.DataFrame({"klass": ["primär", "primär"], "tunnel": [False, True]}),
        [shapely.LineString([(1000, 0), (1000, 1500)]), shapely.LineString([(1000, 1500), (1000, 2000)])],
        folder / "leder.gpkg",
    )
    write(
        pl.DataFrame(
            {
                "namn": ["Förskolan Ekorren", "Nätstation Alby"],
                "kategori": ["förskola", "elnätstation"],
                "skydd": [False, True],
            }
        ),
        [shapely.Point(950, 500), shapely.Point(50, 50)],
        folder / "anlaggningar.gpkg",
    )
    write(
        pl.DataFrame(
            {
                "datum": [dt.date(2023, 5, 1), dt.date(2023, 6, 1)],
                "tema": ["olycka", "brott mot egendom"],
                "typ": ["fallolycka", "inbrott"],
            }
        ),
        [shapely.Point(500, 500), shapely.Point(1500, 1500)],
        folder / "handelser.gpkg",
    )
    pl.DataFrame(
        {
            "stadsdel": ["ALBY", "DALEN"],
            "manad": ["2023-05", "2023-06"],
            "brottskategori": ["stöld", "rån"],
            "antal": [3, 7],
        }
    ).write_csv(folder / "brott.csv")
    pl.DataFrame(
        {
            "risk": ["Elavbrott", "Värmebölja"],
            "namnd": ["Väster", "Öster"],
            "ar": [2023, 2023],
            "sannolikhet": [2, 3],
            "k_liv": [4, 3],
        }
    ).write_csv(folder / "risker.csv")
    pl.DataFrame(
        {
            "stadsdel": ["ALBY"],
            "ar": [2023],
            "kalla": ["stadens"],
            "indikator": ["oro"],
            "varde": [0.1],
            "respondenter": [200],
        }
    ).write_csv(folder / "enkat.csv")
    small.write_text(small.read_text(encoding="utf-8") + SECTIONS_TOML, encoding="utf-8")
    return small


def test_every_section_is_read_and_checked(full: Path) -> None:
    city = lb.City.from_config(full)
    s = city.settings
    flood, route = s.hazards["malaren"], s.hazards["farligt_gods"]
    assert (flood.kind, flood.layer, flood.levels) == ("flood", "zoner", (1.5, 2.7))
    assert (route.kind, route.tunnel_column) == ("route", "tunnel")
    assert route.zones() == [("A", 0.0, 40.0), ("B", 40.0, 80.0), ("C", 80.0, 150.0)]
    assert s.facilities.zone_guidance == {"förskola": "C"}
    # Optional columns at their default names and absent from the data are unset.
    assert (s.facilities.name, s.facilities.protected, s.facilities.sector, s.facilities.capacity) == (
        "namn",
        "skydd",
        None,
        None,
    )
    assert s.incidents.namnd is None and s.incidents.theme == "tema"
    assert s.surveys.gender is None and s.surveys.tables == ("enkat",)
    assert s.population.women is None and s.population.column == "folkmangd"
    assert (s.suppression.rule, s.suppression.min_count, s.suppression.secondary) == ("city_rounding", 5, True)
    assert s.themes["brott"].label == "Brott" and s.themes["olyckor"].tema == ("olycka",)
    assert s.rsa.consequences == {"liv_och_halsa": "k_liv"}


def test_older_flood_and_risk_distance_sections_become_hazards(small: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = small.parent
    write(pl.DataFrame({"niva_m": [1.5]}), [shapely.box(0, 0, 100, 2000)], folder / "zoner.gpkg")
    write(pl.DataFrame({"klass": ["primär"]}), [shapely.LineString([(1000, 0), (1000, 2000)])], folder / "leder.gpkg")
    edit(
        small,
        "[tables.befolkning]",
        '[layers.zoner]\nfile = "zoner.gpkg"\n\n[layers.leder]\nfile = "leder.gpkg"\n\n'
        '[flood]\nlayer = "zoner"\nlevels = [1.5]\n\n[risk_distance]\nlayer = "leder"\ndistance_m = 100.0\n'
        "zones_m = { A = 20.0, B = 50.0, C = 100.0 }\n\n[tables.befolkning]",
    )
    with caplog.at_level(logging.INFO, logger="lagesbild"):
        city = lb.City.from_config(small)
    assert city.settings.hazards["zoner"] == lb.config.FloodHazard("zoner", "zoner", levels=(1.5,))
    leder = city.settings.hazards["leder"]
    assert (leder.distance_m, dict(leder.zones_m)) == (100.0, {"A": 20.0, "B": 50.0, "C": 100.0})
    assert city.risk_distance.distance_m == 100.0  # the older accessors keep working


def test_unknown_keys_kinds_and_types_are_reported_together(small: Path) -> None:
    small.write_text(
        small.read_text(encoding="utf-8")
        + '\n[hazards.h1]\nkind = "flod"\nlayer = "x"\n'
        + '\n[hazards.h2]\nkind = "flood"\nlayer = "x"\ndistance_m = 100.0\n'
        + '\n[hazards.h3]\nkind = "route"\nlayer = "x"\nzones_m = { A = 80.0, B = 40.0, C = 150.0 }\n'
        + '\n[facilities]\nlayr = "x"\n'
        + '\n[suppression]\nrule = "rounding"\n'
        + '\n[themes.brott]\ntema = "brott"\n'
        + '\n[surveys]\ntables = ["enkat"]\ndesign_effect = 0.5\n',
        encoding="utf-8",
    )
    err = load_error(small)
    found = {(p.key, p.message) for p in err.problems}
    assert ("hazards.h1.kind", "must be 'flood' or 'route', not 'flod'") in found
    assert ("hazards.h2", "keys 'distance_m' are not used by kind = 'flood'") in found
    assert any(k == "hazards.h3" and "zones_m must increase" in m for k, m in found)
    assert any(k == "facilities" and "unknown key 'layr' (did you mean 'layer'?)" in m for k, m in found)
    assert ("facilities", "the key 'layer' is required") in found
    assert ("suppression.rule", "must be one of 'city_rounding', 'threshold', not 'rounding'") in found
    assert any(k == "themes.brott.tema" and m.startswith("must be a list of strings") for k, m in found)
    assert ("surveys.design_effect", "must be at least 1 (1 = simple random sampling), not 0.5") in found


def test_data_problems_name_the_layer_table_and_column(full: Path) -> None:
    folder = full.parent
    # Zones that do not nest, routes that are polygons, a facility layer without its category.
    write(
        pl.DataFrame({"niva_m": [1.5, 2.7]}),
        [shapely.box(0, 0, 500, 2000), shapely.box(0, 0, 300, 2000)],
        folder / "zoner.gpkg",
    )
    write(pl.DataFrame({"klass": ["primär"]}), [shapely.box(0, 0, 10, 10)], folder / "leder.gpkg")
    write(pl.DataFrame({"namn": ["Förskolan Ekorren"]}), [shapely.Point(950, 500)], folder / "anlaggningar.gpkg")
    pl.DataFrame({"stadsdel": ["ALBY"], "manad": ["2023-5"], "brottskategori": ["stöld"], "antal": [3]}).write_csv(
        folder / "brott.csv"
    )
    pl.DataFrame(
        {"risk": ["Elavbrott"], "namnd": ["Väster"], "ar": [2023], "sannolikhet": [6], "k_liv": [4]}
    ).write_csv(folder / "risker.csv")
    edit(full, 'crime = ["stöld"]', 'crime = ["stöld", "stöldd"]\ntyp = ["fallolycka"]')
    err = load_error(full)
    by_key = {p.key: p for p in err.problems}
    nest = by_key["hazards.malaren"]
    assert nest.path.endswith("zoner.gpkg")
    assert "do not nest: 400,000 m² of the +1.5 zone lie outside the +2.7 zone" in nest.message
    routes = by_key["hazards.farligt_gods.layer"]
    assert routes.path.endswith("leder.gpkg")
    assert routes.message == "a route hazard's routes must be LineString or MultiLineString, not Polygon"
    assert by_key["facilities.category"].path.endswith("anlaggningar.gpkg")
    assert by_key["facilities.category"].message.startswith("no column 'kategori'")
    assert by_key["crime.month"].message == "months must be written YYYY-MM, such as 2025-08; 1 row is not"
    assert by_key["rsa.scale"].path.endswith("risker.csv")
    assert (
        by_key["rsa.scale"].message == "column 'sannolikhet': ratings must be whole numbers from 1 to 5; 1 row is not"
    )
    assert "'stöldd' (did you mean 'stöld'?)" in by_key["themes.brott.crime"].message
    assert "'fallolycka' is also in theme" not in str(err)  # the type of another theme's tema is no clash


def test_a_value_in_two_themes_and_an_unknown_zone_are_problems(full: Path) -> None:
    edit(full, 'tema = ["brott mot egendom"]', 'tema = ["brott mot egendom", "olycka"]')
    edit(full, 'zone_guidance = { "förskola" = "C" }', 'zone_guidance = { "förskola" = "D", sjukhus = "C" }')
    err = load_error(full)
    messages = {p.key: p.message for p in err.problems}
    assert messages["themes.brott.tema"] == "'olycka' is also in theme 'olyckor': it would be counted in both"
    assert (
        messages["facilities.zone_guidance.förskola"] == "zone 'D' is not a zone of any route hazard (zones: A, B, C)"
    )
    assert messages["facilities.zone_guidance"].startswith("categories that no facility has: 'sjukhus'")


def test_explicitly_named_optional_column_must_exist(full: Path) -> None:
    edit(full, 'layer = "anlaggningar"', 'layer = "anlaggningar"\nsector = "sektorn"')
    problem = load_error(full).problems[0]
    assert problem.key == "facilities.sector" and problem.path.endswith("anlaggningar.gpkg")
    assert problem.message.startswith("no column 'sektorn'")


def test_a_missing_layer_gets_a_suggestion(full: Path) -> None:
    edit(full, 'layer = "handelser"\n\n[themes', 'layer = "handelse"\n\n[themes')
    problem = load_error(full).problems[0]
    assert (problem.key, problem.message.split(" (layers:")[0]) == (
        "incidents.layer",
        "no layer 'handelse' (did you mean 'handelser'?)",
    )
