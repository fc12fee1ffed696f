"""The City: configuration checks, the organisation over time, moving tables
between levels, area topology against shapely, CRS handling and the CLI.

Most cases use a small city written here (four 1 km squares in EPSG:3011,
two organisations); the real-data cases build a city from the real
stadsdelar in ../shared/data/stockholm.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest
import shapely

ROOT = Path(__file__).resolve().parents[1]

# -- a small city ------------------------------------------------------------------

SQUARES = {"ALBY": (0, 0), "BJÖRKBY": (1, 0), "CEDERSTAD": (0, 1), "DALEN": (1, 1)}

SMALL_TOML = """\
[city]
name = "Småstad"
crs = 3011

[areas]
file = "areas.gpkg"
key = "namn"
code = "kod"

[organisation]
file = "organisation.csv"

[tables.befolkning]
file = "befolkning.csv"
key = "stadsdel"
year = "ar"

[tables.enkat]
file = "enkat.csv"
key = "stadsdel"
year = "ar"
"""


def square(x: int, y: int, size: float = 1000.0) -> shapely.Polygon:
    return shapely.box(x * size, y * size, (x + 1) * size, (y + 1) * size)


def write_areas(path: Path, geoms: list[shapely.Geometry], names: list[str], crs: int = 3011) -> None:
    df = pl.DataFrame(
        {
            "namn": names,
            "kod": [f"S{i + 1}" for i in range(len(names))],
            "geometry": [shapely.to_wkb(g) for g in geoms],
        }
    )
    lb.Layer.from_polars(df, crs=crs, name="areas").write(path, layer="areas")


def organisation_rows() -> pl.DataFrame:
    names = list(SQUARES)
    return pl.DataFrame(
        {
            "stadsdel": names * 2,
            "sdo_namn": ["Väster", "Öster", "Väster", "Öster"] + ["Hela staden"] * 4,
            "sdo_kod": ["V", "O", "V", "O"] + ["H"] * 4,
            "giltig_fran": ["2020-07-01"] * 4 + ["2023-07-01"] * 4,
            "giltig_till": ["2023-06-30"] * 4 + [""] * 4,
        }
    )


def make_small_city(folder: Path) -> Path:
    """Write the small city's files and TOML into ``folder``; return the TOML."""
    folder.mkdir(parents=True, exist_ok=True)
    write_areas(folder / "areas.gpkg", [square(*xy) for xy in SQUARES.values()], list(SQUARES))
    organisation_rows().write_csv(folder / "organisation.csv")
    pl.DataFrame(
        {
            "stadsdel": list(SQUARES) * 2,
            "ar": [2022] * 4 + [2023] * 4,
            "folkmangd": [100, 200, 300, 400, 110, 210, 310, 410],
        }
    ).write_csv(folder / "befolkning.csv")
    pl.DataFrame(
        {
            "stadsdel": ["ALBY", "BJÖRKBY", "CEDERSTAD"],
            "ar": [2023, 2023, 2023],
            "andel_oroliga": [0.2, 0.3, 0.5],
            "respondenter": [100, 300, 100],
        }
    ).write_csv(folder / "enkat.csv")
    toml = folder / "city.toml"
    toml.write_text(SMALL_TOML, encoding="utf-8")
    return toml


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return make_small_city(tmp_path / "city")


def load_error(toml: Path) -> lb.ConfigError:
    with pytest.raises(lb.ConfigError) as info:
        lb.City.from_config(toml)
    err = info.value
    assert isinstance(err, lb.LagesbildError)
    assert err.path == os.fspath(toml)
    # The message lists every problem, one per line.
    for p in err.problems:
        assert str(p) in str(err)
    return err


def one_problem(err: lb.ConfigError) -> lb.ConfigProblem:
    assert len(err.problems) == 1, "\n".join(map(str, err.problems))
    return err.problems[0]


def edit(toml: Path, old: str, new: str) -> None:
    text = toml.read_text(encoding="utf-8")
    assert old in text, old
    toml.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- loading a good city -----------------------------------------------------------


def test_small_city_loads(small: Path) -> None:
    city = lb.City.from_config(small)
    assert city.name == "Småstad"
    assert city.crs == 3011
    assert city.stadsdelar == list(SQUARES)
    assert set(city.tables) == {"befolkning", "enkat"}
    assert city.years("befolkning") == [2022, 2023]
    assert city.years("enkat") == [2023]
    assert city.findings.height == 0
    assert city.min_count == 5
    assert city.risk_distance.distance_m == 150.0
    assert city.settings.overlap_tolerance_m2 == 10.0
    assert city.periods.to_dicts() == [
        {
            "giltig_fran": dt.date(2020, 7, 1),
            "giltig_till": dt.date(2023, 6, 30),
            "stadsdelsomraden": 2,
            "stadsdelar": 4,
        },
        {"giltig_fran": dt.date(2023, 7, 1), "giltig_till": None, "stadsdelsomraden": 1, "stadsdelar": 4},
    ]


def test_inputs_are_every_file_read_with_its_hash(small: Path) -> None:
    import hashlib

    city = lb.City.from_config(small)
    inputs = city.inputs()
    names = [Path(p).name for p in inputs["path"]]
    assert sorted(names) == ["areas.gpkg", "befolkning.csv", "city.toml", "enkat.csv", "organisation.csv"]
    for row in inputs.iter_rows(named=True):
        data = Path(row["path"]).read_bytes()
        assert row["bytes"] == len(data)
        assert row["sha256"] == hashlib.sha256(data).hexdigest()


def test_settings_are_read(small: Path) -> None:
    with small.open("a", encoding="utf-8") as f:
        f.write(
            textwrap.dedent(
                """
                [risk_distance]
                distance_m = 100
                zones_m = { A = 25, B = 50, C = 100 }

                [suppression]
                min_count = 3

                [topology]
                overlap_tolerance_m2 = 0.5
                gap_tolerance_m2 = 2
                """
            )
        )
    city = lb.City.from_config(small)
    assert city.min_count == 3
    assert city.risk_distance.zones() == [("A", 0.0, 25.0), ("B", 25.0, 50.0), ("C", 50.0, 100.0)]
    assert (city.settings.overlap_tolerance_m2, city.settings.gap_tolerance_m2) == (0.5, 2.0)


# -- each configuration error, with its message --------------------------------------


def test_missing_file_is_named(small: Path) -> None:
    (small.parent / "befolkning.csv").unlink()
    p = one_problem(load_error(small))
    assert p.path is not None and Path(p.path).name == "befolkning.csv"
    assert p.key == "tables.befolkning.file"
    assert "no such file" in p.message


def test_missing_areas_file_does_not_cascade(small: Path) -> None:
    (small.parent / "areas.gpkg").unlink()
    p = one_problem(load_error(small))
    assert Path(p.path).name == "areas.gpkg" and p.key == "areas.file"


def test_damaged_file_is_named(small: Path) -> None:
    (small.parent / "areas.gpkg").write_bytes(b"this is not a GeoPackage")
    p = one_problem(load_error(small))
    assert Path(p.path).name == "areas.gpkg" and p.key == "areas"


def test_areas_must_be_polygons_with_unique_names(small: Path) -> None:
    geoms = [square(*xy) for xy in SQUARES.values()]
    geoms[2] = shapely.Point(500, 1500)
    write_areas(small.parent / "areas.gpkg", geoms, ["ALBY", "BJÖRKBY", "ALBY", "DALEN"])
    err = load_error(small)
    messages = [p.message for p in err.problems if Path(p.path).name == "areas.gpkg"]
    assert messages == [
        "stadsdelar named more than once in column 'namn': 'ALBY'",
        "the areas must be polygons, not Point",
    ]


def test_invalid_area_polygon_is_named(small: Path) -> None:
    geoms = [square(*xy) for xy in SQUARES.values()]
    geoms[3] = shapely.Polygon([(1000, 1000), (2000, 2000), (2000, 1000), (1000, 2000)])  # a bow-tie
    write_areas(small.parent / "areas.gpkg", geoms, list(SQUARES))
    p = one_problem(load_error(small))
    assert Path(p.path).name == "areas.gpkg"
    assert p.message.startswith("feature 3 (DALEN): invalid polygon: ")
    assert "(1500.00, 1500.00)" in p.message


def test_missing_key_column_of_the_areas(small: Path) -> None:
    edit(small, 'key = "namn"', 'key = "name"')
    p = one_problem(load_error(small))
    assert Path(p.path).name == "areas.gpkg"
    assert p.key == "areas.key"
    assert "no column 'name'" in p.message and "namn" in p.message  # lists the columns there are


def test_missing_key_column_of_a_table(small: Path) -> None:
    edit(small, 'file = "enkat.csv"\nkey = "stadsdel"', 'file = "enkat.csv"\nkey = "omrade"')
    p = one_problem(load_error(small))
    assert Path(p.path).name == "enkat.csv"
    assert p.key == "tables.enkat.key"
    assert "no column 'omrade'" in p.message and "andel_oroliga" in p.message


def test_missing_year_column(small: Path) -> None:
    edit(
        small,
        'file = "befolkning.csv"\nkey = "stadsdel"\nyear = "ar"',
        'file = "befolkning.csv"\nkey = "stadsdel"\nyear = "år"',
    )
    p = one_problem(load_error(small))
    assert Path(p.path).name == "befolkning.csv" and "no column 'år'" in p.message


def test_missing_organisation_column(small: Path) -> None:
    organisation_rows().rename({"sdo_kod": "kod"}).write_csv(small.parent / "organisation.csv")
    p = one_problem(load_error(small))
    assert Path(p.path).name == "organisation.csv"
    assert "no column 'sdo_kod'" in p.message


def test_organisation_columns_can_be_renamed(small: Path) -> None:
    organisation_rows().rename({"sdo_kod": "kod", "giltig_fran": "from"}).write_csv(small.parent / "organisation.csv")
    edit(small, 'file = "organisation.csv"', 'file = "organisation.csv"\ncode = "kod"\nvalid_from = "from"')
    assert lb.City.from_config(small).organisation(2020)["sdo_kod"].to_list() == ["V", "O", "V", "O"]


def test_unknown_stadsdel_in_a_survey(small: Path) -> None:
    df = pl.read_csv(small.parent / "enkat.csv")
    df.with_columns(stadsdel=pl.Series(["ALBY", "BJORKBY", "ÖDEMARK"])).write_csv(small.parent / "enkat.csv")
    p = one_problem(load_error(small))
    assert Path(p.path).name == "enkat.csv"
    assert "not in the boundaries" in p.message
    assert "'BJORKBY' (did you mean 'BJÖRKBY'?)" in p.message
    assert "'ÖDEMARK'" in p.message


def test_unknown_stadsdel_in_the_population(small: Path) -> None:
    df = pl.read_csv(small.parent / "befolkning.csv")
    df.with_columns(
        stadsdel=pl.when(pl.col("stadsdel") == "DALEN").then(pl.lit("DALA")).otherwise("stadsdel")
    ).write_csv(small.parent / "befolkning.csv")
    p = one_problem(load_error(small))
    assert Path(p.path).name == "befolkning.csv" and "'DALA'" in p.message


def test_unknown_and_missing_stadsdel_in_the_organisation(small: Path) -> None:
    org = organisation_rows()
    org = org.with_columns(stadsdel=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("ALBI")).otherwise("stadsdel"))
    org.write_csv(small.parent / "organisation.csv")
    err = load_error(small)
    messages = [p.message for p in err.problems]
    assert all(Path(p.path).name == "organisation.csv" for p in err.problems)
    assert any("2020-07-01 – 2023-06-30: stadsdelar that are not in the boundaries: 'ALBI'" in m for m in messages)
    assert any(
        "2020-07-01 – 2023-06-30: stadsdelar of the boundaries with no stadsdelsområde: 'ALBY'" in m for m in messages
    )


def test_organisation_periods_must_not_overlap_or_leave_gaps(small: Path) -> None:
    org = organisation_rows()
    overlapping = org.with_columns(
        giltig_fran=pl.when(pl.col("giltig_fran") == "2023-07-01").then(pl.lit("2023-06-01")).otherwise("giltig_fran")
    )
    overlapping.write_csv(small.parent / "organisation.csv")
    assert "overlap" in one_problem(load_error(small)).message
    gap = org.with_columns(
        giltig_fran=pl.when(pl.col("giltig_fran") == "2023-07-01").then(pl.lit("2023-08-01")).otherwise("giltig_fran")
    )
    gap.write_csv(small.parent / "organisation.csv")
    assert "no organisation between 2023-06-30 and 2023-08-01" in one_problem(load_error(small)).message


def test_organisation_dates_must_be_dates(small: Path) -> None:
    organisation_rows().with_columns(giltig_fran=pl.lit("1 juli 2020")).write_csv(small.parent / "organisation.csv")
    assert "giltig_fran must be a date" in one_problem(load_error(small)).message


def test_unknown_keys_and_sections_are_typos_with_suggestions(small: Path) -> None:
    edit(small, 'code = "kod"', 'cod = "kod"')
    with small.open("a", encoding="utf-8") as f:
        f.write("\n[suppresion]\nmin_count = 3\n")
    err = load_error(small)
    by_key = {p.key: p for p in err.problems}
    assert "unknown key 'cod' (did you mean 'code'?)" in by_key["areas"].message
    assert "unknown section [suppresion] (did you mean 'suppression'?)" in by_key["suppresion"].message
    assert all(p.path == os.fspath(small) for p in err.problems)


def test_wrong_value_types(small: Path) -> None:
    edit(small, "crs = 3011", "crs = 3011.5")
    with small.open("a", encoding="utf-8") as f:
        f.write('\n[suppression]\nmin_count = "5"\n[risk_distance]\ndistance_m = true\n[flood]\nlevels = 2.7\n')
    err = load_error(small)
    by_key = {p.key: p.message for p in err.problems}
    assert by_key["city.crs"].startswith("must be an EPSG code")
    assert by_key["suppression.min_count"] == "must be an integer, not a string ('5')"
    assert by_key["risk_distance.distance_m"] == "must be a number, not a boolean (True)"
    assert by_key["flood.levels"] == "must be a list of numbers, not a number (2.7)"


def test_invalid_toml_is_one_problem_with_the_line(tmp_path: Path) -> None:
    toml = tmp_path / "bad.toml"
    toml.write_text('[areas]\nfile = "a.shp\n', encoding="utf-8")
    p = one_problem(load_error(toml))
    assert p.message.startswith("not valid TOML") and "line 2" in p.message


def test_missing_toml() -> None:
    p = one_problem(load_error(Path("no/such/city.toml")))
    assert p.message == "no such file"


def test_areas_section_is_required(tmp_path: Path) -> None:
    toml = tmp_path / "city.toml"
    toml.write_text('[city]\nname = "x"\n', encoding="utf-8")
    assert "the section [areas] is required" in one_problem(load_error(toml)).message


def test_risk_zones_must_split_the_distance(small: Path) -> None:
    with small.open("a", encoding="utf-8") as f:
        f.write("\n[risk_distance]\ndistance_m = 150\nzones_m = { A = 30, B = 20, C = 150 }\n")
    assert "zones_m must increase" in one_problem(load_error(small)).message
    edit(small, "B = 20, C = 150", "B = 70, C = 120")
    assert "the last zone ends at 120.0 m but distance_m is 150.0 m" in one_problem(load_error(small)).message


def test_flood_levels_are_checked_against_the_layer(small: Path) -> None:
    zones = pl.DataFrame(
        {"niva_m": [1.5, 2.7], "geometry": [shapely.to_wkb(square(0, 0).buffer(-100)), shapely.to_wkb(square(0, 0))]}
    )
    lb.Layer.from_polars(zones, crs=3006).write(small.parent / "flood.gpkg", layer="oversvamning")
    with small.open("a", encoding="utf-8") as f:
        f.write(
            '\n[layers.oversvamning]\nfile = "flood.gpkg"\n\n[flood]\nlayer = "oversvamning"\nlevels = [1.5, 2.1]\n'
        )
    err = load_error(small)
    messages = [p.message for p in err.problems]
    assert any("levels in column 'niva_m' that flood.levels does not list: 2.7" in m for m in messages)
    assert any("levels in flood.levels that are not in column 'niva_m': 2.1" in m for m in messages)
    edit(small, "levels = [1.5, 2.1]", "levels = [1.5, 2.7]")
    assert lb.City.from_config(small).flood_levels() == [1.5, 2.7]
    edit(small, 'layer = "oversvamning"', 'layer = "oversvaming"')
    p = one_problem(load_error(small))
    assert p.key == "flood.layer" and "(did you mean 'oversvamning'?)" in p.message


def test_overlap_beyond_the_tolerance_fails_and_within_is_a_finding(small: Path) -> None:
    geoms = [square(*xy) for xy in SQUARES.values()]
    geoms[1] = shapely.box(995, 0, 2000, 1000)  # BJÖRKBY reaches 5 m into ALBY: 5000 m²
    write_areas(small.parent / "areas.gpkg", geoms, list(SQUARES))
    p = one_problem(load_error(small))
    assert Path(p.path).name == "areas.gpkg"
    assert "ALBY and BJÖRKBY overlap by 5000.0 m²" in p.message
    assert "more than the tolerance of 10 m²" in p.message and "topology.overlap_tolerance_m2" in p.message
    with small.open("a", encoding="utf-8") as f:
        f.write("\n[topology]\noverlap_tolerance_m2 = 5000.5\n")
    city = lb.City.from_config(small)
    assert city.findings.select("kind", "stadsdelar").to_dicts() == [
        {"kind": "overlap", "stadsdelar": ["ALBY", "BJÖRKBY"]}
    ]
    assert city.findings["area_m2"][0] == pytest.approx(5000.0)


def test_gap_beyond_the_tolerance_fails(small: Path) -> None:
    # A 3 × 3 block of squares without its centre: a 1 km² hole.
    names = [f"S{i}" for i in range(8)]
    geoms = [square(x, y) for x in range(3) for y in range(3) if (x, y) != (1, 1)]
    write_areas(small.parent / "areas.gpkg", geoms, names)
    org = pl.DataFrame(
        {"stadsdel": names, "sdo_namn": "A", "sdo_kod": "A", "giltig_fran": "2020-01-01", "giltig_till": ""}
    )
    org.write_csv(small.parent / "organisation.csv")
    small.write_text(SMALL_TOML.split("[tables.befolkning]")[0], encoding="utf-8")
    p = one_problem(load_error(small))
    assert "a gap of 1000000.0 m² between S0 and S1 and S2 and S3 and S4 and S5 and S6 and S7" in p.message
    assert "at (1500.0, 1500.0)" in p.message


def test_several_problems_at_once_are_all_reported(small: Path) -> None:
    (small.parent / "befolkning.csv").unlink()
    edit(small, 'key = "namn"', 'key = "namn"\nencodng = "utf-8"')
    edit(small, 'file = "enkat.csv"\nkey = "stadsdel"', 'file = "enkat.csv"\nkey = "omrade"')
    with small.open("a", encoding="utf-8") as f:
        f.write('\n[suppression]\nmin_count = 2.5\n[layers.vatten]\nfile = "vatten.gpkg"\n')
    err = load_error(small)
    found = {(Path(p.path).name if p.path else None, p.key) for p in err.problems}
    assert found == {
        ("befolkning.csv", "tables.befolkning.file"),
        ("city.toml", "areas"),
        ("enkat.csv", "tables.enkat.key"),
        ("city.toml", "suppression.min_count"),
        ("vatten.gpkg", "layers.vatten.file"),
    }
    assert str(err).startswith(f"{small}: 5 problems:\n  - ")


# -- the organisation over time --------------------------------------------------------


def test_organisation_by_year_uses_31_december(small: Path) -> None:
    city = lb.City.from_config(small)
    assert city.organisation(2022)["sdo_namn"].to_list() == ["Väster", "Öster", "Väster", "Öster"]
    assert city.organisation(2023)["sdo_namn"].to_list() == ["Hela staden"] * 4  # in force on 2023-12-31
    assert city.organisation(2031)["sdo_kod"].unique().to_list() == ["H"]
    assert city.organisation(2023).columns == ["stadsdel", "sdo_namn", "sdo_kod", "giltig_fran", "giltig_till"]


def test_organisation_on_the_boundary_dates(small: Path) -> None:
    city = lb.City.from_config(small)
    assert city.organisation(dt.date(2023, 6, 30))["sdo_kod"].to_list() == ["V", "O", "V", "O"]
    assert city.organisation(dt.date(2023, 7, 1))["sdo_kod"].to_list() == ["H"] * 4
    assert city.organisation(dt.date(2020, 7, 1))["sdo_kod"].to_list() == ["V", "O", "V", "O"]


def test_year_before_the_first_period_uses_the_earliest_and_says_so(
    small: Path, caplog: pytest.LogCaptureFixture
) -> None:
    city = lb.City.from_config(small)
    with caplog.at_level(logging.WARNING, logger="lagesbild"):
        org = city.organisation(2019)
    assert org["sdo_kod"].to_list() == ["V", "O", "V", "O"]
    assert org["giltig_fran"].unique().to_list() == [dt.date(2020, 7, 1)]
    assert [r.name for r in caplog.records] == ["lagesbild"]
    assert "no organisation was in force on 2019-12-31; using the earliest, in force from 2020-07-01" in caplog.text


def test_year_after_a_closed_last_period_uses_the_last_and_says_so(
    small: Path, caplog: pytest.LogCaptureFixture
) -> None:
    organisation_rows().with_columns(giltig_till=pl.col("giltig_till").replace("", "2024-12-31")).write_csv(
        small.parent / "organisation.csv"
    )
    city = lb.City.from_config(small)
    assert city.periods["giltig_till"].to_list() == [dt.date(2023, 6, 30), dt.date(2024, 12, 31)]
    with caplog.at_level(logging.WARNING, logger="lagesbild"):
        assert city.organisation(2024)["sdo_kod"].unique().to_list() == ["H"]
    assert caplog.records == []
    with caplog.at_level(logging.WARNING, logger="lagesbild"):
        assert city.organisation(2026)["sdo_kod"].unique().to_list() == ["H"]
    assert "no organisation is recorded for 2026-12-31; using the last, in force 2023-07-01 – 2024-12-31" in caplog.text


def test_table_per_stadsdelsomrade(small: Path) -> None:
    pl.DataFrame({"omrade": ["Väster", "Öster", "Norr"], "larm": [1, 2, 3]}).write_csv(small.parent / "larm.csv")
    with small.open("a", encoding="utf-8") as f:
        f.write('\n[tables.larm]\nfile = "larm.csv"\nkey = "omrade"\nunit = "stadsdelsomrade"\n')
    p = one_problem(load_error(small))
    assert Path(p.path).name == "larm.csv"
    assert p.message == "column 'omrade': stadsdelsområden not in any organisation period: 'Norr'"
    pl.DataFrame({"omrade": ["Väster", "Öster"], "larm": [1, 2]}).write_csv(small.parent / "larm.csv")
    city = lb.City.from_config(small)
    with pytest.raises(lb.InvalidArgumentError, match="crosswalk=city.organisation_crosswalk"):
        city.to_stadsdelar("larm", sums=["larm"])
    out = city.to_stadsdelar("larm", crosswalk=city.organisation_crosswalk(2022), sums=["larm"])
    # Without weights, by area: the squares are equal, so each gets half.
    assert out.rows() == [("ALBY", 0.5), ("BJÖRKBY", 1.0), ("CEDERSTAD", 0.5), ("DALEN", 1.0)]


def test_unit_must_be_known(small: Path) -> None:
    edit(small, 'file = "enkat.csv"\nkey = "stadsdel"', 'file = "enkat.csv"\nkey = "stadsdel"\nunit = "stadsdelar"')
    p = one_problem(load_error(small))
    assert p.key == "tables.enkat.unit"
    assert (
        "unit 'stadsdelar' is not 'stadsdel', 'stadsdelsomrade' or a crosswalk (did you mean 'stadsdel'?)" in p.message
    )


def test_areas_at_a_year(small: Path) -> None:
    city = lb.City.from_config(small)
    layer = city.areas_at(2021)
    assert len(layer) == 4 and layer.crs == 3011
    assert layer.attributes.select("namn", "sdo_namn").rows() == [
        ("ALBY", "Väster"),
        ("BJÖRKBY", "Öster"),
        ("CEDERSTAD", "Väster"),
        ("DALEN", "Öster"),
    ]
    assert layer.area().to_list() == [1e6] * 4


def test_to_stadsdelsomraden_by_each_rows_year(small: Path) -> None:
    city = lb.City.from_config(small)
    out = city.to_stadsdelsomraden("befolkning", sums=["folkmangd"])
    assert out.rows() == [
        (2022, "Väster", "V", 400.0),
        (2022, "Öster", "O", 600.0),
        (2023, "Hela staden", "H", 1040.0),
    ]
    # One report year for all rows: the 2023 survey by the 2023 organisation.
    enk = city.to_stadsdelsomraden("enkat", year=2020, means=["andel_oroliga"], weight="respondenter")
    # Väster = ALBY (0.2 × 100) + CEDERSTAD (0.5 × 100); Öster = BJÖRKBY.
    assert enk.rows() == [("Väster", "V", 200.0, pytest.approx(0.35)), ("Öster", "O", 300.0, pytest.approx(0.3))]


def test_to_city(small: Path) -> None:
    city = lb.City.from_config(small)
    out = city.to_city("enkat", means=["andel_oroliga"], weight="respondenter", by=["ar"])
    # (0.2·100 + 0.3·300 + 0.5·100) / 500
    assert out.rows() == [(2023, 500.0, pytest.approx(0.32))]


# -- crosswalks -------------------------------------------------------------------------


def test_crosswalk_aggregation_against_hand_computed_numbers(small: Path) -> None:
    """Three NYKO-like units: n1 wholly in ALBY, n2 split 60/40 between ALBY and
    BJÖRKBY, n3 split 50/50 between CEDERSTAD and DALEN."""
    pl.DataFrame(
        {
            "nyko": ["n1", "n2", "n2", "n3", "n3"],
            "sdel": ["ALBY", "ALBY", "BJÖRKBY", "CEDERSTAD", "DALEN"],
            "andel": [1.0, 0.6, 0.4, 0.5, 0.5],
        }
    ).write_csv(small.parent / "nyko.csv")
    pl.DataFrame(
        {
            "ar": [2023, 2023, 2023, 2024, 2024, 2024],
            "nyko": ["n1", "n2", "n3", "n1", "n2", "n3"],
            "brott": [10, 50, 7, None, 20, 4],
            "oro": [0.10, 0.40, 0.30, 0.20, None, 0.60],
            "svar": [200, 100, 80, 50, 60, 40],
        }
    ).write_csv(small.parent / "nyko_enkat.csv")
    with small.open("a", encoding="utf-8") as f:
        f.write(
            '\n[crosswalks.nyko]\nfile = "nyko.csv"\nfrom = "nyko"\nstadsdel = "sdel"\nweight = "andel"\n'
            '\n[tables.nyko_enkat]\nfile = "nyko_enkat.csv"\nkey = "nyko"\nunit = "nyko"\nyear = "ar"\n'
        )
    city = lb.City.from_config(small)
    out = city.to_stadsdelar("nyko_enkat", sums=["brott"], means=["oro"], weight="svar", by=["ar"])
    got = {(r["ar"], r["stadsdel"]): r for r in out.iter_rows(named=True)}
    assert list(out.columns) == ["stadsdel", "ar", "svar", "brott", "oro"]
    assert len(got) == 8
    # 2023, ALBY: n1 whole + 60 % of n2.
    r = got[(2023, "ALBY")]
    assert r["brott"] == pytest.approx(10 + 0.6 * 50)
    assert r["svar"] == pytest.approx(200 + 0.6 * 100)
    assert r["oro"] == pytest.approx((0.10 * 200 + 0.40 * 100 * 0.6) / (200 + 100 * 0.6))
    # 2023, BJÖRKBY: 40 % of n2 only — its share is n2's.
    r = got[(2023, "BJÖRKBY")]
    assert (r["brott"], r["svar"], r["oro"]) == pytest.approx((20.0, 40.0, 0.40))
    # 2023, CEDERSTAD and DALEN: half of n3 each.
    assert got[(2023, "CEDERSTAD")]["brott"] == pytest.approx(3.5)
    assert got[(2023, "DALEN")]["oro"] == pytest.approx(0.30)
    # 2024: n1 has no count; n2 no share — nulls are left out, not taken as 0.
    r = got[(2024, "ALBY")]
    assert r["brott"] == pytest.approx(0.6 * 20)
    assert r["oro"] == pytest.approx(0.20)  # only n1's share is known
    r = got[(2024, "BJÖRKBY")]
    assert r["brott"] == pytest.approx(8.0) and r["oro"] is None
    # Counts are kept in total.
    assert out.filter(pl.col("ar") == 2023)["brott"].sum() == pytest.approx(67.0)


def test_crosswalk_units_must_be_known(small: Path) -> None:
    city = lb.City.from_config(small)
    cw = pl.DataFrame({"from": ["n1"], "stadsdel": ["ALBY"], "weight": [1.0]})
    df = pl.DataFrame({"nyko": ["n1", "n9"], "antal": [1, 2]})
    with pytest.raises(lb.InvalidArgumentError, match="values of 'nyko' that are not units of the crosswalk: 'n9'"):
        city.to_stadsdelar(df, key="nyko", crosswalk=cw, sums=["antal"])
    with pytest.raises(lb.ColumnNotFoundError) as info:
        city.to_stadsdelar(df, key="nyko", crosswalk=cw, sums=["antl"])
    assert info.value.column == "antl"


def test_crosswalk_weights_must_add_up_to_one(small: Path) -> None:
    pl.DataFrame({"nyko": ["n1", "n2", "n2"], "stadsdel": ["ALBY", "ALBY", "DALA"], "w": [1.0, 0.6, 0.3]}).write_csv(
        small.parent / "nyko.csv"
    )
    with small.open("a", encoding="utf-8") as f:
        f.write('\n[crosswalks.nyko]\nfile = "nyko.csv"\nfrom = "nyko"\nweight = "w"\n')
    err = load_error(small)
    messages = [p.message for p in err.problems]
    assert all(Path(p.path).name == "nyko.csv" for p in err.problems)
    assert any("stadsdelar that are not in the boundaries: 'DALA' (did you mean 'DALEN'?)" in m for m in messages)
    assert any("the weights of each unit must add up to 1; they do not for 'n2' (0.9)" in m for m in messages)


def test_table_per_older_organisation_to_stadsdelar(small: Path) -> None:
    """A 2022 table per stadsdelsområde (the two-area organisation) brought down
    to stadsdelar by population, then up to the 2023 organisation."""
    city = lb.City.from_config(small)
    pop = city.table("befolkning").filter(pl.col("ar") == 2022).select("stadsdel", weight="folkmangd")
    cw = city.organisation_crosswalk(2022, weights=pop)
    assert cw.rows() == [
        ("Väster", "ALBY", pytest.approx(0.25)),
        ("Väster", "CEDERSTAD", pytest.approx(0.75)),
        ("Öster", "BJÖRKBY", pytest.approx(200 / 600)),
        ("Öster", "DALEN", pytest.approx(400 / 600)),
    ]
    per_sdo = pl.DataFrame({"omrade": ["Väster", "Öster"], "larm": [40, 60], "andel": [0.1, 0.4]})
    down = city.to_stadsdelar(per_sdo, key="omrade", crosswalk=cw, sums=["larm"], means=["andel"])
    assert down.rows() == [
        ("ALBY", 10.0, pytest.approx(0.1)),
        ("BJÖRKBY", pytest.approx(20.0), pytest.approx(0.4)),
        ("CEDERSTAD", 30.0, pytest.approx(0.1)),
        ("DALEN", pytest.approx(40.0), pytest.approx(0.4)),
    ]
    up = city.to_stadsdelsomraden(down, year=2023, sums=["larm"])
    assert up.rows() == [("Hela staden", "H", pytest.approx(100.0))]


# -- direct construction ------------------------------------------------------------------


def test_city_from_layers_and_frames_is_checked_the_same_way() -> None:
    areas = lb.Layer.from_polars(
        pl.DataFrame(
            {"stadsdel": ["A", "B"], "geometry": [shapely.to_wkb(square(0, 0)), shapely.to_wkb(square(1, 0))]}
        ),
        crs=3011,
    )
    org = organisation_rows().head(0)
    with pytest.raises(lb.ConfigError) as info:
        lb.City(areas, org, tables={"enkat": pl.DataFrame({"stadsdel": ["A", "X"]})})
    messages = [p.message for p in info.value.problems]
    assert messages == [
        "the organisation table has no rows",
        "column 'stadsdel': stadsdelar that are not in the boundaries: 'X'",
    ]
    assert [p.key for p in info.value.problems] == ["organisation", "tables.enkat"]
    city = lb.City(areas, tables={"enkat": pl.DataFrame({"stadsdel": ["A", "B"]})}, name="Två")
    assert city.stadsdelar == ["A", "B"]
    with pytest.raises(lb.InvalidArgumentError, match="no organisation"):
        city.organisation(2023)


def test_lon_lat_areas_need_a_projected_working_crs() -> None:
    areas = lb.Layer.from_polars(
        pl.DataFrame({"stadsdel": ["A"], "geometry": [shapely.to_wkb(shapely.box(18.0, 59.3, 18.01, 59.31))]}),
        crs=4326,
    )
    with pytest.raises(lb.ConfigError, match="is geographic"):
        lb.City(areas)
    assert lb.City(areas, crs=3006).areas.crs == 3006


# -- real boundaries -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_city(stockholm: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A city of the real stadsdelar: shapefile areas, the two real
    organisations, water, and the simplified boundaries in lon/lat."""
    folder = tmp_path_factory.mktemp("real")
    for ext in ("shp", "shx", "dbf", "prj"):
        shutil.copy(stockholm / f"stadsdelar.{ext}", folder / f"stadsdelar.{ext}")
    m = pl.read_csv(stockholm / "stadsdelsomraden.csv")
    parts = []
    for column, start, end in (
        ("stadsdelsomrade", "2020-07-01", "2023-06-30"),
        ("stadsdelsomrade_2023", "2023-07-01", ""),
    ):
        names = sorted(m[column].unique())
        codes = {n: f"{column[-4:]}-{i:02d}" for i, n in enumerate(names)}
        parts.append(
            m.select(
                "stadsdel",
                pl.col(column).alias("sdo_namn"),
                pl.col(column).replace_strict(codes).alias("sdo_kod"),
                pl.lit(start).alias("giltig_fran"),
                pl.lit(end).alias("giltig_till"),
            )
        )
    pl.concat(parts).write_csv(folder / "organisation.csv")
    (folder / "city.toml").write_text(
        textwrap.dedent(
            f"""\
            [city]
            name = "Stockholm"
            crs = 3011

            [areas]
            file = "stadsdelar.shp"
            key = "name"

            [organisation]
            file = "organisation.csv"

            [layers.vatten]
            file = "{(stockholm / "vatten.shp").as_posix()}"

            [layers.stadsdelar_wgs84]
            file = "{(stockholm / "stadsdelar_simplified.geojson").as_posix()}"

            [topology]
            gap_tolerance_m2 = 6000   # the 5245 m² hole between Högdalen and Fagersjö
            """
        ),
        encoding="utf-8",
    )
    return folder / "city.toml"


@pytest.mark.real_data
def test_real_organisations_by_year(real_city: Path) -> None:
    city = lb.City.from_config(real_city)
    assert len(city.stadsdelar) == 117
    assert city.organisation(2023)["sdo_namn"].n_unique() == 11
    assert city.organisation(2022)["sdo_namn"].n_unique() == 13
    assert city.organisation(dt.date(2023, 6, 30))["sdo_namn"].n_unique() == 13
    assert city.organisation(dt.date(2023, 7, 1))["sdo_namn"].n_unique() == 11
    assert city.organisation(2019)["sdo_namn"].n_unique() == 13  # the earliest
    o23 = dict(city.organisation(2023).select("stadsdel", "sdo_namn").rows())
    assert o23["RINKEBY"] == o23["TENSTA"] == "Järva"
    assert o23["VASASTADEN"] == o23["ÖSTERMALM"] == "Norra innerstaden"


@pytest.mark.real_data
def test_real_overlaps_match_shapely(real_city: Path, stockholm: Path) -> None:
    city = lb.City.from_config(real_city)
    # shapely/GEOS: every pair of intersecting stadsdelar and its intersection area.
    import geopandas as gpd

    gdf = gpd.read_file(stockholm / "stadsdelar.shp")
    geoms, names = gdf.geometry.values, gdf["name"].tolist()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    oracle = {}
    for a, b in zip(left, right):
        if a < b:
            area = shapely.intersection(geoms[a], geoms[b]).area
            if area > 1e-9:
                oracle[frozenset((names[a], names[b]))] = area
    overlaps = city.findings.filter(pl.col("kind") == "overlap")
    ours = {frozenset(r["stadsdelar"]): r["area_m2"] for r in overlaps.iter_rows(named=True)}
    assert len(oracle) == 19
    assert set(ours) == set(oracle)
    assert sum(ours.values()) == pytest.approx(sum(oracle.values()), abs=1e-3)
    assert sum(oracle.values()) == pytest.approx(2.06, abs=0.01)
    for pair, area in oracle.items():
        # Within a square centimetre: the engines round coordinates differently
        # (geo's boolean operations snap to an integer grid over the pair's extent).
        assert ours[pair] == pytest.approx(area, rel=1e-3, abs=1e-4), sorted(pair)
    big = frozenset(("BJÖRKHAGEN", "KÄRRTORP"))
    assert ours[big] == pytest.approx(oracle[big], rel=1e-5)
    # The gaps are the union's holes, as GEOS has them.
    union = shapely.union_all(geoms)
    holes = sorted((shapely.Polygon(r).area for r in union.interiors), reverse=True)
    gaps = city.findings.filter(pl.col("kind") == "gap")["area_m2"].to_list()
    for ours_area, geos_area in zip(gaps[:8], holes[:8]):
        assert ours_area == pytest.approx(geos_area, rel=1e-3, abs=1e-3)
    # Smaller holes than 0.01 m² come and go with the rounding of either engine.
    assert len([g for g in gaps if g > 0.01]) == len([h for h in holes if h > 0.01]) == 8
    assert gaps[0] == pytest.approx(5245.1, abs=0.1)


@pytest.mark.real_data
def test_real_gap_fails_at_the_default_tolerance(real_city: Path, tmp_path: Path) -> None:
    toml = tmp_path / "city.toml"
    text = real_city.read_text(encoding="utf-8").replace('file = "', f'file = "{real_city.parent.as_posix()}/', 2)
    toml.write_text(text.split("[topology]")[0], encoding="utf-8")
    p = one_problem(load_error(toml))
    assert "a gap of 5245.1 m² between HÖGDALEN and FAGERSJÖ" in p.message
    assert Path(p.path).name == "stadsdelar.shp"


@pytest.mark.real_data
def test_lon_lat_layer_is_transformed_and_logged(
    real_city: Path, stockholm: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="lagesbild"):
        city = lb.City.from_config(real_city)
    wgs = city.layer("stadsdelar_wgs84")
    assert wgs.crs == 3011
    transformed = [r.getMessage() for r in caplog.records if "transformed into the working CRS" in r.getMessage()]
    assert len(transformed) == 1  # vatten.shp is in EPSG:3011 already
    assert "stadsdelar_simplified.geojson" in transformed[0]
    assert "EPSG:4326" in transformed[0] and "longitude/latitude" in transformed[0] and "EPSG:3011" in transformed[0]
    # The coordinates are pyproj's.
    import pyproj

    source = lb.read(stockholm / "stadsdelar_simplified.geojson")
    lon, lat = shapely.get_coordinates(shapely.from_wkb(source.to_polars()["geometry"][0])).T
    x, y = pyproj.Transformer.from_crs(4326, 3011, always_xy=True).transform(lon, lat)
    ours = shapely.get_coordinates(shapely.from_wkb(wgs.to_polars()["geometry"][0]))
    assert abs(ours[:, 0] - x).max() < 0.001 and abs(ours[:, 1] - y).max() < 0.001
    assert city.sources.filter(pl.col("name") == "stadsdelar_wgs84")["source_crs"].to_list() == ["EPSG:4326"]


# -- the command line ----------------------------------------------------------------------------


def test_cli_info_config_summarises_the_city(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lagesbild.cli import main

    assert main(["info", "--config", os.fspath(small)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("City 'Småstad'")
    assert "areas (areas.gpkg): 4 stadsdelar, Polygon, EPSG:3011" in out
    assert "2020-07-01 – 2023-06-30: 2 stadsdelsområden, 4 stadsdelar" in out
    assert "2023-07-01 – (in force): 1 stadsdelsområde, 4 stadsdelar" in out
    assert re.search(r"\n  befolkning +befolkning.csv +8 rows +years 2022, 2023 +by stadsdel \(stadsdel\)\n", out)
    assert re.search(r"\n  enkat +enkat.csv +3 rows +years 2023 +by stadsdel \(stadsdel\)\n", out)
    assert "small counts: fewer than 5 are suppressed" in out
    assert "findings: 0 overlaps" in out


def test_cli_info_config_lists_every_problem(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lagesbild.cli import main

    (small.parent / "befolkning.csv").unlink()
    edit(small, 'key = "namn"', 'key = "nam"')
    assert main(["info", "--config", os.fspath(small)]) == 1
    err = capsys.readouterr().err
    assert "2 problems" in err and "befolkning.csv" in err and "no column 'nam'" in err


def test_area_topology_names_a_non_polygon() -> None:
    df = pl.DataFrame({"geometry": [shapely.to_wkb(square(0, 0)), shapely.to_wkb(shapely.Point(5, 5))]})
    with pytest.raises(lb.InvalidGeometryError) as info:
        lb.area_topology(lb.Layer.from_polars(df, crs=3011, name="areas"))
    assert info.value.feature == 1 and "a Point where an area" in str(info.value)
    lonlat = pl.DataFrame({"geometry": [shapely.to_wkb(shapely.box(18, 59, 18.1, 59.1))]})
    with pytest.raises(lb.CrsError):
        lb.area_topology(lb.Layer.from_polars(lonlat, crs=4326))


# -- the demo data in the wheel ----------------------------------------------------------------


@pytest.mark.slow
def test_wheel_ships_the_demo_data(tmp_path: Path) -> None:
    """``maturin build`` puts data/demo/ into the wheel as lagesbild/demo/, and
    the package found in the unpacked wheel finds its demo there."""
    maturin = shutil.which("maturin") or str(Path(sys.executable).parent / "maturin")
    out = tmp_path / "wheels"
    subprocess.run(
        [maturin, "build", "--release", "--quiet", "--out", str(out), "--interpreter", sys.executable],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("lagesbild-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        z.extractall(tmp_path / "site")
    demo = ROOT / "data" / "demo"
    shipped = {p.name for p in demo.iterdir() if p.is_file() and p.suffix != ".py"}
    assert "lagesbild.toml" in shipped
    assert {f"lagesbild/demo/{n}" for n in shipped} <= names
    assert not any(n.startswith("data/") for n in names), "the demo data must not land at the top of site-packages"
    code = "import lagesbild.city as c; print(c.__file__); print(c._demo_dir())"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    run = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    module, demo_dir = run.stdout.split("\n")[:2]
    assert Path(module).is_relative_to(tmp_path / "site")
    assert Path(demo_dir) == tmp_path / "site" / "lagesbild" / "demo"
    assert (Path(demo_dir) / "lagesbild.toml").read_bytes() == (demo / "lagesbild.toml").read_bytes()
