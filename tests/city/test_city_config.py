"""The city's TOML file: the settings it sets, and its typos, wrong value types
and missing sections, each reported with the key and a suggestion.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import lagesbild as lb
from city_helpers import edit, load_error, one_problem


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
