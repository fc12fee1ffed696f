"""The analyses' conventions: levels and report years, area layers, long and
wide form, and the disclosure rule, on hand-computed cases."""

from __future__ import annotations

import lagesbild as lb
import polars as pl
import pytest
from lagesbild.analysis.areas import area_layer, area_units, check_args, latest_year, long_form, wide
from lagesbild.analysis.disclosure import describe_rule, disclose
from lagesbild.config import Suppression


@pytest.fixture(scope="module")
def city() -> lb.City:
    return lb.City.example()


@pytest.mark.parametrize(
    ("year", "level", "areas", "codes"),
    [
        (2022, "stadsdel", ["A", "B", "C", "D"], ["A", "B", "C", "D"]),
        (2022, "stadsdelsomrade", ["Väst", "Öst", "Väst", "Öst"], ["V", "O", "V", "O"]),
        (2023, "stadsdelsomrade", ["Hela"] * 4, ["H"] * 4),  # the organisation of 31 December 2023
        (2023, "city", ["Exempelstad"] * 4, ["city"] * 4),
    ],
)
def test_area_units_follow_the_organisation_of_the_year(city, year, level, areas, codes) -> None:
    units = area_units(city, year=year, level=level)
    assert units["stadsdel"].to_list() == ["A", "B", "C", "D"]
    assert units["level"].unique().to_list() == [level]
    assert units["area"].to_list() == areas
    assert units["area_code"].to_list() == codes


def test_area_layer_is_the_union_per_area_and_is_reused(city) -> None:
    west_east = area_layer(city, year=2021, level="stadsdelsomrade")
    assert west_east.columns == ["level", "area", "area_code"]
    assert west_east["area"].to_list() == ["Väst", "Öst"]
    assert west_east.area().to_list() == [2_000_000.0, 2_000_000.0]
    assert west_east.bounds == (0.0, 0.0, 2000.0, 2000.0)
    # Same organisation, same layer object; another organisation, another layer.
    assert area_layer(city, year=2022, level="stadsdelsomrade") is west_east
    whole = area_layer(city, year=2024, level="stadsdelsomrade")
    assert whole["area"].to_list() == ["Hela"] and whole.area().to_list() == [4_000_000.0]
    assert area_layer(city, year=2024, level="city")["area"].to_list() == ["Exempelstad"]
    assert len(area_layer(city, year=2024, level="stadsdel")) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((2025.0, "stadsdel", "open"), "year must be a report year such as 2025, not 2025.0"),
        ((True, "stadsdel", "open"), "year must be a report year such as 2025, not True"),
        ((2025, "sdo", "open"), "level must be 'stadsdel', 'stadsdelsomrade' or 'city', not 'sdo'"),
        ((2025, "city", "public"), "mode must be 'open' or 'internal', not 'public'"),
    ],
)
def test_bad_arguments_are_named(args, message) -> None:
    with pytest.raises(lb.InvalidArgumentError, match="^exposure: " + message.replace("(", r"\(").replace(")", r"\)")):
        check_args("exposure", *args)


def test_latest_year_at_or_before() -> None:
    assert latest_year([2014, 2017, 2020, 2023], 2022) == 2020
    assert latest_year([2014, 2017, 2020, 2023], 2023) == 2023
    assert latest_year([2020], 2019) is None


def test_long_and_wide_round_trip() -> None:
    df = pl.DataFrame({"area": ["B", "A"], "antal": [3, 10], "andel": [0.5, 0.25]})
    long = long_form(df, ["area"], {"antal": "antal", "andel": "andel"})
    assert long.rows() == [
        ("A", "antal", 10.0, "antal"),
        ("A", "andel", 0.25, "andel"),
        ("B", "antal", 3.0, "antal"),
        ("B", "andel", 0.5, "andel"),
    ]
    back = wide(long)
    assert back.columns == ["area", "antal", "andel"]
    assert back.rows() == [("A", 10.0, 0.25), ("B", 3.0, 0.5)]


def rows(df: pl.DataFrame) -> list[tuple]:
    return df.select("area", "measure", "value", "suppressed").rows()


LONG = pl.DataFrame(
    {
        "area": ["A", "A", "A", "A", "B", "B", "B", "B"],
        "measure": ["brott", "olyckor", "alla", "per_1000", "brott", "olyckor", "alla", "per_1000"],
        "value": [2.0, 40.0, 42.0, 4.2, 12.0, 30.0, 42.0, 8.4],
    }
)


def test_threshold_withholds_small_counts_and_what_gives_them_away() -> None:
    out = disclose(
        LONG.filter(pl.col("measure") != "per_1000"),
        counts=["brott", "olyckor", "alla"],
        rule=Suppression(rule="threshold", min_count=5, secondary=True),
        mode="open",
        groups=["area"],
    )
    # A's 2 is withheld; so is the smallest other positive count of A's group
    # (40 — 42 is also in the group: the group is every count of the area, and
    # the caller chooses groups whose total is published elsewhere).
    assert rows(out) == [
        ("A", "brott", None, True),
        ("A", "olyckor", None, True),
        ("A", "alla", 42.0, False),
        ("B", "brott", 12.0, False),
        ("B", "olyckor", 30.0, False),
        ("B", "alla", 42.0, False),
    ]
    assert out["rule"].unique().to_list() == ["threshold:5"]


def test_threshold_without_secondary_and_derived_measures_follow_their_count() -> None:
    out = disclose(
        LONG,
        counts=["brott", "olyckor", "alla"],
        rule=Suppression(rule="threshold", min_count=15, secondary=False),
        mode="open",
        derived={"per_1000": "brott"},
    )
    assert rows(out) == [
        ("A", "brott", None, True),
        ("A", "olyckor", 40.0, False),
        ("A", "alla", 42.0, False),
        ("A", "per_1000", None, True),  # computed from A's withheld 2
        ("B", "brott", None, True),
        ("B", "olyckor", 30.0, False),
        ("B", "alla", 42.0, False),
        ("B", "per_1000", None, True),
    ]


def test_city_rounding_publishes_1_2_as_0_and_3_4_as_5() -> None:
    df = pl.DataFrame({"area": list("ABCDEFG"), "measure": ["n"] * 7, "value": [0, 1, 2, 3, 4, 5, 11]})
    out = disclose(df, counts=["n"], rule=Suppression(rule="city_rounding"), mode="open")
    assert out["value"].to_list() == [0, 0, 0, 5, 5, 5, 11]
    assert out["suppressed"].to_list() == [False, True, True, True, True, False, False]
    assert out["value"].dtype == pl.Int64  # counts stay numeric, in their own type


def test_internal_mode_changes_nothing_and_says_so() -> None:
    out = disclose(LONG, counts=["brott"], rule=Suppression(), mode="internal")
    assert out["value"].to_list() == LONG["value"].to_list()
    assert not out["suppressed"].any() and out["rule"].unique().to_list() == ["internal"]
    assert describe_rule("internal") == "Intern version: inga värden är dolda."


def test_non_count_measures_are_never_touched() -> None:
    df = pl.DataFrame({"area": ["A", "A"], "measure": ["antal", "andel"], "value": [1.0, 0.03]})
    out = disclose(df, counts=["antal"], rule=Suppression(min_count=5), mode="open")
    assert out["value"].to_list() == [None, 0.03]


def test_wide_lists_the_withheld_measures() -> None:
    out = disclose(LONG, counts=["brott", "olyckor", "alla"], rule=Suppression(secondary=False), mode="open")
    w = wide(out)
    assert w.columns == ["area", "brott", "olyckor", "alla", "per_1000", "suppressed", "rule"]
    assert w.rows() == [
        ("A", None, 40.0, 42.0, 4.2, ["brott"], "threshold:5"),
        ("B", 12.0, 30.0, 42.0, 8.4, [], "threshold:5"),
    ]
