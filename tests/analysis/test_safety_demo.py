"""The safety picture on the demo city: the planted signals of data/demo/README.md are found."""

from __future__ import annotations

import math

import lagesbild as lb
import polars as pl
import pytest
import shapely
from scipy.stats import spearmanr


@pytest.fixture(scope="module")
def city() -> lb.City:
    return lb.demo()


def test_the_worsening_areas_rise_beyond_noise_and_the_improving_fall(city) -> None:
    trend = city.survey_trend(2025, "stadsdel", source="stadens trygghetsmätning").filter(pl.col("kon") == "alla")
    kvall = dict(trend.filter(pl.col("measure") == "otrygg_kvall").select("area", "direction").rows())
    assert kvall["FRUÄNGEN"] == kvall["VÄLLINGBY"] == "rising"
    # Högdalen has few respondents (about 130): its rise is beyond noise in other indicators.
    hogdalen = trend.filter(pl.col("area") == "HÖGDALEN")
    assert (hogdalen["direction"] == "rising").any() and (hogdalen["slope_per_year"] > 0).sum() >= 3
    for name in ("RINKEBY", "TENSTA", "HUSBY"):
        assert kvall[name] == "falling", name
    # Most stadsdelar have no trend: their changes are sampling noise.
    assert (pl.Series(list(kvall.values())) == "no clear trend").mean() > 0.75


def test_a_2025_report_shows_the_2023_city_survey_in_the_11_areas(city) -> None:
    out = city.survey(2025, "stadsdelsomrade", source="stadens trygghetsmätning")
    latest = out.filter(pl.col("latest"))
    assert latest["year"].unique().to_list() == [2023]
    assert latest["area"].n_unique() == 11
    assert sorted(out["year"].unique().to_list()) == [2014, 2017, 2020, 2023]  # one organisation for the series
    assert (latest.filter(pl.col("kon") == "alla")["method"] == "stratified").all()


def test_norrmalm_and_bredang_part_crime_from_unsafety(city) -> None:
    crime = city.incidents(2025, "stadsdel", themes=["brott"], mode="internal").filter(
        (pl.col("source") == "polisen")
        & (pl.col("type") == "alla")
        & (pl.col("measure") == "per_1000")
        & (pl.col("level") == "stadsdel")
        & (pl.col("theme") == "brott")
    )
    rate = dict(crime.filter(pl.col("year") == 2025).select("area", "value").drop_nulls().rows())
    top = max(rate, key=rate.get)
    assert top == "NORRMALM"
    unsafe = city.survey(2025, "stadsdel", source="stadens trygghetsmätning").filter(
        pl.col("latest") & (pl.col("kon") == "alla") & (pl.col("measure") == "otrygg_kvall")
    )
    values = dict(unsafe.select("area", "value").drop_nulls().rows())
    assert values["NORRMALM"] < pl.Series(list(values.values())).quantile(0.75)
    # The other way round: Bredäng's unsafety in the top quarter, its reported crime below the median.
    assert values["BREDÄNG"] > pl.Series(list(values.values())).quantile(0.75)
    assert rate["BREDÄNG"] < pl.Series(list(rate.values())).median()
    # Related across the stadsdelar, but far from the same order.
    common = sorted(set(rate) & set(values))
    rho = spearmanr([rate[a] for a in common], [values[a] for a in common]).statistic
    assert 0 < rho < 0.6


def _centre(lat: float, lon: float) -> tuple[float, float]:
    p = lb.Layer.from_polars(pl.DataFrame({"geometry": [shapely.to_wkb(shapely.Point(lon, lat))]}), crs=4326).to_crs(
        3011
    )
    return p.bounds[0], p.bounds[1]


@pytest.mark.parametrize(
    ("theme", "place", "lat", "lon", "radius"),
    [
        ("olyckor", "Gullmarsplan", 59.2990, 18.0810, 350.0),
        ("olyckor", "Husby centrum", 59.4101, 17.9257, 400.0),
        ("brott", "Skärholmen centrum", 59.2768, 17.9070, 300.0),
    ],
)
def test_the_planted_hotspots_are_hotspots(city, theme, place, lat, lon, radius) -> None:
    cells = city.hotspots(2025, theme)
    x, y = _centre(lat, lon)
    d = ((pl.col("x") - x) ** 2 + (pl.col("y") - y) ** 2).sqrt()
    near, core = cells.attributes.filter(d < radius), cells.attributes.filter(d < radius / 2)
    assert near.height > 0, place
    assert (core["class"] == "hot").mean() > 0.5 and (near["class"] == "hot").mean() > 0.3, place
    assert near["gi_bin"].max() == 3, place
    # Away from the planted places and the centres, cells are rarely hot.
    assert (cells.attributes["class"] == "hot").mean() < 0.06


def test_staff_violence_hotspot_is_at_the_social_office(city) -> None:
    facilities = city.layer("samhallsviktig_verksamhet")
    office = facilities.filter(facilities["namn"] == "Socialkontoret Rinkeby")
    x, y = office.bounds[0], office.bounds[1]
    cells = city.hotspots(2025, "hot_och_vald").attributes
    hottest = cells.sort("z", descending=True, nulls_last=True).row(0, named=True)
    assert math.hypot(hottest["x"] - x, hottest["y"] - y) < 200
    # Cells in the water are not study cells: the grid is land only.
    water = city.layer("vatten")
    inside = lb.assign(
        cells.select("x", "y").with_columns(pl.lit(1).alias("one")),
        water.with_attributes(pl.DataFrame({"w": list(range(len(water)))})),
        key="w",
    )
    assert inside.null_count() == cells.height


def test_the_rsa_matrix_covers_every_namnd_and_protected_value(city) -> None:
    m = city.risk_matrix(2025)
    assert set(m["protected_value"].unique()) == {
        "liv_och_halsa",
        "funktionalitet",
        "miljo_och_egendom",
        "grundlaggande_varden",
    }
    register = city.table("risker").filter(pl.col("ar") == 2025)
    whole = m.filter(pl.col("namnd") == "alla nämnder").group_by("protected_value").agg(pl.col("count").sum())
    assert set(whole["count"].to_list()) == {register.height}
