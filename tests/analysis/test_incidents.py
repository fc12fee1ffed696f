"""incidents(), incident_trend(), staff_violence(): hand-made answers, the Poisson
trend against statsmodels, like periods, rates, disclosure, bad input."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import lagesbild as lb
import numpy as np
import polars as pl
import pytest
import statsmodels.api as sm
from lagesbild.analysis import incident_trend, incidents, staff_violence
from lagesbild.analysis.incidents import poisson_trend

sys.path.insert(0, str(Path(__file__).parent))
import safety_city as sc  # noqa: E402


@pytest.fixture(scope="module")
def city() -> lb.City:
    return sc.incident_city()


def pick(df: pl.DataFrame, **kw) -> list:
    for k, v in kw.items():
        df = df.filter(pl.col(k) == v)
    return df["value"].to_list()


def test_counts_and_rates_by_hand(city) -> None:
    out = incidents(city, 2025, "stadsdel", mode="internal")
    brott_a = round(20 * 1.5**4)
    assert pick(out, source="händelser", year=2025, area="A", theme="brott", type="alla", measure="antal") == [brott_a]
    pop_a = sc.POP["A"] + 10 * (2025 - 2016)
    assert pick(out, source="händelser", year=2025, area="A", theme="brott", type="alla", measure="per_1000") == [
        pytest.approx(brott_a / pop_a * 1000)
    ]
    # A's accidents: 10 falls plus the one on the last day of the period.
    assert pick(out, source="händelser", year=2025, area="A", theme="olyckor", type="alla", measure="antal") == [11.0]
    assert pick(
        out, source="händelser", year=2025, area="C", theme="olyckor", type="brand i byggnad", measure="antal"
    ) == [8.0]
    # The police: twelve months of 9 skadegörelse in C.
    assert pick(out, source="polisen", year=2025, area="C", theme="brott", type="alla", measure="antal") == [108.0]
    # D has fewer residents than min_for_rates (500): counts but no rates.
    assert pick(out, source="händelser", year=2025, area="D", theme="brott", type="alla", measure="per_1000") == [None]
    # Like periods: every twelve months to 31 August the data covers (from 2020-09-01).
    assert sorted(set(out.filter(pl.col("source") == "händelser")["year"].to_list())) == [2021, 2022, 2023, 2024, 2025]
    assert set(out.filter(pl.col("year") == 2021)["period_start"].to_list()) == {dt.date(2020, 9, 1)}


def test_stadsdelsomraden_sum_their_stadsdelar_in_the_years_organisation(city) -> None:
    out = incidents(city, 2022, "stadsdelsomrade", mode="internal")
    west = pick(out, source="händelser", year=2022, area="Väst", theme="brott", type="alla", measure="antal")
    assert west == [round(20 * 1.5) + 40]
    assert set(incidents(city, 2024, "stadsdelsomrade", mode="internal")["area"].to_list()) == {"Hela", "Trygghetsstad"}


def test_open_mode_protects_the_area_theme_table(city) -> None:
    out = incidents(city, 2025, "stadsdel").filter(
        (pl.col("source") == "händelser")
        & (pl.col("year") == 2025)
        & (pl.col("type") == "alla")
        & (pl.col("measure") == "antal")
    )
    assert out["rule"].unique().to_list() == ["threshold:5"]
    d = out.filter((pl.col("area") == "D") & (pl.col("theme") == "brott"))
    assert d["value"].to_list() == [None] and d["suppressed"].to_list() == [True]
    # The margins: each area's total over the themes and the city's count of each theme.
    assert out.filter((pl.col("area") == "Trygghetsstad") & (pl.col("theme") == "hot_och_vald"))["value"].to_list() == [
        18.0
    ]
    # A withheld count's rate is withheld too.
    rates = incidents(city, 2025, "stadsdel").filter((pl.col("suppressed")) & (pl.col("measure") == "per_1000"))
    assert rates["value"].null_count() == rates.height


def test_types_of_a_withheld_theme_total_are_withheld_too(city) -> None:
    out = incidents(city, 2025, "stadsdel").filter((pl.col("source") == "händelser") & (pl.col("measure") == "antal"))
    totals = out.filter(pl.col("type") == "alla")
    types = out.filter(pl.col("type") != "alla")
    hidden = totals.filter(pl.col("suppressed") & (pl.col("theme") != "alla") & (pl.col("area_code") != "city"))
    assert hidden.height > 0
    for year, area, theme in hidden.select("year", "area", "theme").rows():
        part = types.filter((pl.col("year") == year) & (pl.col("area") == area) & (pl.col("theme") == theme))
        assert part["value"].null_count() == part.height, (year, area, theme)
    # Where a total is published, the types published beside it never reveal a withheld one.
    for _, part in types.group_by("year", "area", "theme"):
        if part["suppressed"].any():
            assert part.filter(pl.col("suppressed"))["value"].null_count() == part["suppressed"].sum()


def test_poisson_trend_equals_statsmodels() -> None:
    rng = np.random.default_rng(4)
    years = np.arange(2015, 2026)
    pop = rng.uniform(9000, 11000, len(years))
    counts = rng.poisson(pop / 1000 * 20 * 1.04 ** (years - 2015))
    fit = poisson_trend(counts, years, pop)
    X = sm.add_constant(years - years.mean())
    glm = sm.GLM(counts, X, family=sm.families.Poisson(), offset=np.log(pop))
    plain = glm.fit()
    assert fit.slope == pytest.approx(plain.params[1], rel=1e-9)
    scaled = glm.fit(scale="X2")
    expected_se = scaled.bse[1] if fit.dispersion > 1 else plain.bse[1]
    assert fit.se == pytest.approx(expected_se, rel=1e-9)
    assert fit.dispersion == pytest.approx(plain.pearson_chi2 / plain.df_resid, rel=1e-9)
    over = counts * rng.integers(1, 4, len(years))  # overdispersed: the quasi-Poisson scale
    f2 = poisson_trend(over, years, pop)
    s2 = sm.GLM(over, X, family=sm.families.Poisson(), offset=np.log(pop)).fit(scale="X2")
    assert f2.dispersion > 1 and f2.se == pytest.approx(s2.bse[1], rel=1e-9)


def test_the_rising_area_is_found_beyond_noise(city) -> None:
    trend = incident_trend(city, 2025, "stadsdel")
    a = trend.filter((pl.col("area") == "A") & (pl.col("theme") == "brott") & (pl.col("source") == "händelser")).row(
        0, named=True
    )
    assert a["direction"] == "rising" and a["lo"] > 0
    assert a["change_per_year"] == pytest.approx(1.5 * (sc.POP["A"] + 50) / (sc.POP["A"] + 60) - 1, abs=0.02)
    flat = trend.filter((pl.col("area") == "C") & (pl.col("theme") == "brott") & (pl.col("source") == "polisen")).row(
        0, named=True
    )
    assert flat["direction"] == "no clear trend"


def test_staff_violence_per_namnd_and_verksamhet(city) -> None:
    table = staff_violence(city, 2025, mode="internal")
    got = {(n, v): x for n, v, x in table.select("namnd", "verksamhet", "value").rows()}
    assert got[("Östra nämnden", "alla")] == 12.0 and got[("Västra nämnden", "alla")] == 6.0
    assert got[("alla nämnder", "alla")] == 18.0
    open_ = staff_violence(city, 2025)
    assert open_.filter(pl.col("verksamhet") != "alla", pl.col("namnd") != "alla nämnder")["suppressed"].all()


def test_bad_input_is_named(city) -> None:
    with pytest.raises(lb.InvalidArgumentError, match=r"unknown theme 'trafik' \(themes: "):
        incidents(city, 2025, themes=["trafik"])
    with pytest.raises(
        lb.InvalidArgumentError,
        match=r"the period 2019-09-01 – 2020-08-31 is outside the data \(händelser: 2020-09-01 – 2025-08-31",
    ):
        incidents(city, 2020)
    with pytest.raises(lb.InvalidArgumentError, match="is outside the data"):
        incidents(city, 2025, period=(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    with pytest.raises(lb.InvalidArgumentError, match="ends .* before it starts"):
        incidents(city, 2025, period=(dt.date(2025, 8, 31), dt.date(2025, 1, 1)))
    with pytest.raises(lb.InvalidArgumentError, match="no .themes.NAME. sections"):
        incidents(lb.City.example(), 2025)


def test_a_missing_column_is_named_with_its_table() -> None:
    # Loading refuses a table without its configured columns; a table changed after loading is refused by the analysis.
    with pytest.raises(lb.ConfigError, match="antal"):
        sc.city(tables={"brott": sc.brott().drop("antal")}, crime=sc.Crime(table="brott"), themes=sc.THEMES)
    c = sc.incident_city()
    c.tables["brott"] = c.tables["brott"].drop("antal")
    with pytest.raises(lb.ColumnNotFoundError, match="crime table 'brott': no column 'antal'"):
        incidents(c, 2025)
    c = sc.incident_city()
    c.layers["handelser"] = c.layers["handelser"].with_attributes(c.layers["handelser"].attributes.drop("tema"))
    with pytest.raises(lb.ColumnNotFoundError, match="incident layer 'handelser': no column 'tema'"):
        incidents(c, 2025)
    with pytest.raises(lb.InvalidArgumentError, match="unknown theme 'brand'"):
        staff_violence(sc.incident_city(), 2025, theme="brand")
