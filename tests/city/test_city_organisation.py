"""The organisation over time: a report year uses the organisation in force on
31 December; before the first period the earliest, after a closed last one
the last, each said on the log; the areas with their stadsdelsområde.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest
from city_helpers import edit, load_error, one_problem, organisation_rows


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


# -- the stadsdelsnämnd's name (optional `namnd` in [organisation]) -------------------

NAMND = {
    "Väster": "Västers stadsdelsnämnd",
    "Öster": "Östers stadsdelsnämnd",
    "Hela staden": "Hela stadens stadsdelsnämnd",
}


def with_namnd(small: Path, names: dict[str, str] = NAMND) -> None:
    """The small city's organisation with a `namnd` column and the key that names it."""
    organisation_rows().with_columns(namnd=pl.col("sdo_namn").replace_strict(names)).write_csv(
        small.parent / "organisation.csv"
    )
    edit(small, 'file = "organisation.csv"', 'file = "organisation.csv"\nnamnd = "namnd"')


def test_namnd_is_carried_when_configured(small: Path) -> None:
    with_namnd(small)
    city = lb.City.from_config(small)
    org = city.organisation(2022)
    assert org.columns == ["stadsdel", "sdo_namn", "sdo_kod", "giltig_fran", "giltig_till", "namnd"]
    assert org["namnd"].to_list() == ["Västers stadsdelsnämnd", "Östers stadsdelsnämnd"] * 2
    assert city.organisation(2023)["namnd"].unique().to_list() == ["Hela stadens stadsdelsnämnd"]
    layer = city.areas_at(2021)
    assert layer.attributes.select("namn", "sdo_namn", "namnd").rows() == [
        ("ALBY", "Väster", "Västers stadsdelsnämnd"),
        ("BJÖRKBY", "Öster", "Östers stadsdelsnämnd"),
        ("CEDERSTAD", "Väster", "Västers stadsdelsnämnd"),
        ("DALEN", "Öster", "Östers stadsdelsnämnd"),
    ]
    # A second call replaces the columns rather than adding suffixed copies.
    again = city.areas_at(2024)
    assert again.columns.count("namnd") == 1
    assert set(again["namnd"].to_list()) == {"Hela stadens stadsdelsnämnd"}


def test_without_the_key_a_namnd_column_in_the_file_is_left_out(small: Path) -> None:
    organisation_rows().with_columns(namnd=pl.col("sdo_namn").replace_strict(NAMND)).write_csv(
        small.parent / "organisation.csv"
    )
    city = lb.City.from_config(small)
    assert "namnd" not in city.organisation(2022).columns
    assert "namnd" not in city.areas_at(2022).columns


def test_a_missing_namnd_column_is_named(small: Path) -> None:
    edit(small, 'file = "organisation.csv"', 'file = "organisation.csv"\nnamnd = "namnd"')
    problem = one_problem(load_error(small))
    assert problem.key.startswith("organisation")
    assert "no column 'namnd'" in problem.message


def test_one_namnd_per_stadsdelsomrade_and_period(small: Path) -> None:
    rows = organisation_rows().with_columns(namnd=pl.col("sdo_namn").replace_strict(NAMND))
    # ALBY's row names another nämnd for Väster than CEDERSTAD's.
    rows = rows.with_columns(
        namnd=pl.when((pl.col("stadsdel") == "ALBY") & (pl.col("giltig_fran") == "2020-07-01"))
        .then(pl.lit("Västra stadsdelsnämnden"))
        .otherwise(pl.col("namnd"))
    )
    rows.write_csv(small.parent / "organisation.csv")
    edit(small, 'file = "organisation.csv"', 'file = "organisation.csv"\nnamnd = "namnd"')
    problem = one_problem(load_error(small))
    assert "sdo_namn 'Väster' has several namnd" in problem.message
    assert "'Västers stadsdelsnämnd'" in problem.message and "'Västra stadsdelsnämnden'" in problem.message


def test_namnd_may_not_be_blank(small: Path) -> None:
    rows = organisation_rows().with_columns(
        namnd=pl.when(pl.col("giltig_fran") == "2023-07-01").then(pl.lit("")).otherwise(pl.lit("Nämnd"))
    )
    rows.write_csv(small.parent / "organisation.csv")
    edit(small, 'file = "organisation.csv"', 'file = "organisation.csv"\nnamnd = "namnd"')
    problems = load_error(small).problems
    assert any("rows have no namnd" in p.message for p in problems), problems


def test_namnd_from_objects(small: Path) -> None:
    city = lb.City.from_config(small)
    org = organisation_rows().with_columns(
        namnd=pl.col("sdo_namn").replace_strict(NAMND),
        giltig_fran=pl.col("giltig_fran").str.to_date(),
        giltig_till=pl.col("giltig_till").replace("", None).str.to_date(),
    )
    made = lb.City(city.areas, org, key="namn", name="Småstad")
    assert made.organisation(2023)["namnd"].unique().to_list() == ["Hela stadens stadsdelsnämnd"]
