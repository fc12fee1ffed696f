"""Moving tables between area levels: to the stadsdelsområden of each row's
year, to the city, and to the stadsdelar through crosswalks (other units, or
the stadsdelsområden of an older organisation), against hand-computed numbers.
"""

from __future__ import annotations

from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest
from city_helpers import load_error, one_problem


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
