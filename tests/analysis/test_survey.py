"""survey(): hand-made answers, intervals against statsmodels and a hand-written
stratified formula, series in one organisation, withheld shares, bad input."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest
from lagesbild.analysis import survey
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

sys.path.insert(0, str(Path(__file__).parent))
import safety_city as sc  # noqa: E402

Z = 1.959963984540054


@pytest.fixture(scope="module")
def city() -> lb.City:
    return sc.city()


def row(df: pl.DataFrame, **kw) -> dict:
    for k, v in kw.items():
        df = df.filter(pl.col(k) == v)
    assert df.height == 1, df
    return df.row(0, named=True)


def test_stadsdel_interval_is_wilson_as_statsmodels(city) -> None:
    out = survey(city, 2023, "stadsdel", source="stadens")
    r = row(out, area="A", kon="alla", year=2023)
    assert r["value"] == 0.5 and r["method"] == "wilson" and r["respondents"] == 400
    lo, hi = proportion_confint(0.5 * 400, 400, alpha=0.05, method="wilson")
    assert r["lo"] == pytest.approx(lo, abs=1e-12) and r["hi"] == pytest.approx(hi, abs=1e-12)


def test_design_effect_shrinks_the_sample() -> None:
    from lagesbild.config import Surveys

    c = sc.city(surveys=Surveys(tables=("enkat",), design_effect=2.0))
    r = row(survey(c, 2023, "stadsdel"), area="B", kon="alla", year=2023)
    lo, hi = proportion_confint(0.3 * 150, 150, alpha=0.05, method="wilson")
    assert (r["lo"], r["hi"]) == pytest.approx((lo, hi), abs=1e-12)


def test_change_interval_is_the_two_sample_wald_interval(city) -> None:
    r = row(survey(city, 2023, "stadsdel", source="stadens"), area="A", kon="alla", year=2023)
    lo, hi = confint_proportions_2indep(0.5 * 400, 400, 0.35 * 400, 400, method="wald", compare="diff")
    assert (r["change_lo"], r["change_hi"]) == pytest.approx((lo, hi), abs=1e-12)
    assert r["previous_year"] == 2020 and r["change"] == pytest.approx(0.15) and r["beyond_noise"] is True
    flat = row(survey(city, 2023, "stadsdel", source="stadens"), area="B", kon="alla", year=2023)
    assert flat["beyond_noise"] is False


def test_stadsdelsomrade_is_population_weighted_with_the_stratified_interval(city) -> None:
    out = survey(city, 2022, "stadsdelsomrade", source="stadens")
    r = row(out, area="Väst", kon="alla", year=2020)  # A and C, 2020 population
    pa, pc = sc.POP["A"] + 40, sc.POP["C"] + 40
    wa, wc = pa / (pa + pc), pc / (pa + pc)
    value = wa * 0.35 + wc * 0.10
    var = wa**2 * 0.35 * 0.65 / 400 + wc**2 * 0.10 * 0.90 / 500
    assert r["value"] == pytest.approx(value, abs=1e-12) and r["method"] == "stratified"
    assert (r["lo"], r["hi"]) == pytest.approx((value - Z * math.sqrt(var), value + Z * math.sqrt(var)), abs=1e-9)
    # Not the respondent-weighted mean.
    assert r["value"] != pytest.approx((400 * 0.35 + 500 * 0.10) / 900)


def test_kon_uses_the_women_and_men_of_the_population(city) -> None:
    out = survey(city, 2022, "stadsdelsomrade", source="stadens")
    r = row(out, area="Väst", kon="kvinnor", year=2020)
    ka, kc = (sc.POP["A"] + 40) // 2, (sc.POP["C"] + 40) // 2
    assert r["value"] == pytest.approx((ka * 0.39 + kc * 0.14) / (ka + kc), abs=1e-12)


def test_series_is_in_the_report_years_organisation_and_latest_marks_the_year_used(city) -> None:
    out = survey(city, 2025, "stadsdelsomrade", source="stadens").filter(pl.col("kon") == "alla")
    assert out["area"].unique().to_list() == ["Hela"]
    assert out["year"].to_list() == [2017, 2020, 2023]  # never broken at the 2023 reorganisation
    assert out.filter(pl.col("latest"))["year"].to_list() == [2023]  # a 2025 report shows the 2023 survey
    west = survey(city, 2022, "stadsdelsomrade", source="stadens").filter(pl.col("kon") == "alla")
    assert sorted(set(west["area"].to_list())) == ["Väst", "Öst"] and west["year"].max() == 2020


def test_few_respondents_are_withheld_and_marked(city) -> None:
    out = survey(city, 2023, "stadsdel", source="stadens")
    d = row(out, area="D", kon="alla", year=2023)
    assert d["value"] is None and d["lo"] is None and d["suppressed"] and d["rule"] == "respondents:30"
    internal = row(survey(city, 2023, "stadsdel", source="stadens", mode="internal"), area="D", kon="alla", year=2023)
    assert internal["value"] == 0.5 and not internal["suppressed"] and internal["rule"] == "internal"


def test_lokalpolisomraden_come_through_the_crosswalk(city) -> None:
    out = survey(city, 2025, "stadsdel", source="polisens")
    a = row(out, area="A", measure="oro_brott", year=2024)
    assert a["value"] == pytest.approx(0.30) and a["method"] == "stratified"
    whole = row(survey(city, 2025, "city", source="polisens"), measure="oro_brott", year=2024)
    syd = sum(sc.POP[s] + 80 for s in "AB")
    norr = sum(sc.POP[s] + 80 for s in "CD")
    assert whole["value"] == pytest.approx((syd * 0.3 + norr * 0.2) / (syd + norr), abs=1e-12)
    index = row(survey(city, 2025, "city", source="polisens"), measure="problemindex", year=2024)
    assert index["unit"] == "index" and index["lo"] is None and index["method"] == "index"


def test_bad_input_names_the_table_column_or_value(city) -> None:
    with pytest.raises(lb.InvalidArgumentError, match=r"no survey at or before 2015 \(survey years: 2017, 2020"):
        survey(city, 2015, "stadsdel")
    with pytest.raises(lb.InvalidArgumentError, match="no source 'kommunens'"):
        survey(city, 2023, "stadsdel", source="kommunens")
    with pytest.raises(lb.ConfigError, match="respondenter"):
        sc.city(tables={"enkat": sc.enkat().drop("respondenter")})
    from lagesbild.config import Surveys

    with pytest.raises(lb.ConfigError, match="svar"):
        sc.city(surveys=Surveys(tables=("enkat",), respondents="svar"))


def test_a_survey_table_without_respondents_is_refused_by_survey_too() -> None:
    base = sc.city()
    # A city whose table lost the column after loading (tables are plain frames).
    base.tables["enkat"] = base.tables["enkat"].drop("respondenter")
    with pytest.raises(lb.ColumnNotFoundError, match="survey table 'enkat': no column 'respondenter'"):
        survey(base, 2023, "stadsdel")


def test_repeatable_bit_for_bit_on_the_demo() -> None:
    """The same inputs give the same floats, not merely close ones: sums run in a fixed order.

    Joins and group-bys hand rows over in an order that can change from run
    to run; a sum over them in another order can differ in its last bits.
    """
    city = lb.demo()
    for level in ("stadsdelsomrade", "city"):
        first = survey(city, 2025, level)
        for _ in range(5):
            again = survey(city, 2025, level)
            assert again.equals(first, null_equal=True), level
