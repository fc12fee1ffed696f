"""exposure(): land, residents and facilities per area and hazard, on the
hand-made city of hazard_city.py (every number known) and the demo city."""

from __future__ import annotations

import dataclasses
import math

import lagesbild as lb
import polars as pl
import pytest
import shapely
from lagesbild.analysis import exposure


def value(df: pl.DataFrame, area: str, measure: str, hazard=None, band=None, category=None) -> float | None:
    sel = df.filter(
        (pl.col("area") == area)
        & (pl.col("measure") == measure)
        & pl.col("hazard").eq_missing(hazard)
        & pl.col("band").eq_missing(band)
        & pl.col("category").eq_missing(category)
    )
    assert sel.height <= 1, sel
    return sel["value"][0] if sel.height else None


def test_per_stadsdel_every_number_known(astad: lb.City) -> None:
    e = exposure(astad, year=2025, level="stadsdel", mode="internal")
    assert e.columns == [
        "level", "area", "area_code", "hazard", "band", "category", "measure", "value", "unit",
        "population_year", "suppressed", "rule",
    ]  # fmt: skip
    assert e["area_code"].unique(maintain_order=True).to_list() == ["SA", "SB", "SC", "SD"]
    # Land: the water strip x 0–100 is in A and C.
    assert [value(e, a, "land_m2") for a in "ABCD"] == [900_000, 1_000_000, 900_000, 1_000_000]
    # Flood zones: +1.5 on x 100–200; +2.7 on x 0–400, of which x 0–100 is water.
    assert value(e, "A", "flooded_land_m2", "malaren", "+1.5 m") == pytest.approx(100_000, rel=1e-12)
    assert value(e, "C", "flooded_land_m2", "malaren", "+2.7 m") == pytest.approx(300_000, rel=1e-12)
    assert value(e, "A", "flooded_share", "malaren", "+2.7 m") == pytest.approx(1 / 3)
    assert value(e, "B", "flooded_land_m2", "malaren", "+1.5 m") is None
    # Residents by area weighting of 2025's population: A 1000 × 1/9, C 3000 × 1/3.
    assert value(e, "A", "residents_est", "malaren", "+1.5 m") == 111
    assert value(e, "C", "residents_est", "malaren", "+2.7 m") == 1000
    assert e["population_year"].unique().to_list() == [2025]
    # Facilities: the preschool at x 150 is in both zones, the one at x 300 only in +2.7.
    assert value(e, "A", "facilities", "malaren", "+1.5 m", "förskola") == 1
    assert value(e, "A", "capacity", "malaren", "+2.7 m", "förskola") == 60
    assert value(e, "C", "facilities", "malaren", "+1.5 m", "förskola") is None
    assert value(e, "C", "capacity", "malaren", "+2.7 m", "förskola") == 40
    assert e.filter((pl.col("measure") == "capacity") & (pl.col("category") == "förskola"))[
        "unit"
    ].unique().to_list() == ["barn"]
    # The route: 1000 m in B, 500 m in D; the tunnel stretch (D, y 1500–2000) is left out.
    assert value(e, "B", "route_length_m", "farligt_gods", None, "primär") == 1000
    assert value(e, "D", "route_length_m", "farligt_gods", None, "primär") == 500
    # Facilities by the zone of their nearest route: 25 m → A, 80 m → B, 140 m → C;
    # 200 m and the reservoir by the tunnel (200.2 m from the open route) → none.
    assert value(e, "B", "facilities", "farligt_gods", "A", "förskola") == 1
    assert value(e, "B", "capacity", "farligt_gods", "B", "äldreboende") == 80
    assert value(e, "B", "facilities", "farligt_gods", "C", "elnätstation") == 1  # protected: counted, never listed
    assert e.filter(pl.col("category") == "skola")["value"].to_list() == []
    assert e.filter(pl.col("category") == "vattenreservoar").height == 0


def test_zone_land_equals_shapely_buffers(astad: lb.City) -> None:
    e = exposure(astad, year=2025, level="stadsdel", mode="internal")
    line = shapely.LineString([(1500, 0), (1500, 1500)])
    previous = {a: 0.0 for a in "BD"}
    for band, edge in (("A", 50.0), ("B", 100.0), ("C", 150.0)):
        reach = line.buffer(edge, quad_segs=8)
        for a, (x, y) in {"B": (1, 0), "D": (1, 1)}.items():
            within = reach.intersection(shapely.box(x * 1000, y * 1000, x * 1000 + 1000, y * 1000 + 1000)).area
            assert value(e, a, "zone_land_m2", "farligt_gods", band) == pytest.approx(within - previous[a], rel=1e-6)
            previous[a] = within
    # D, zone A: a 100 × 500 m rectangle and half of the 32-gon of the route's end.
    assert value(e, "D", "zone_land_m2", "farligt_gods", "A") == pytest.approx(
        50_000 + 8 * 50**2 * math.sin(math.pi / 16), rel=1e-6
    )


@pytest.mark.parametrize(("year", "areas"), [(2022, ["Väster", "Öster"]), (2025, ["Hela staden"])])
def test_levels_sum_the_stadsdelar_in_the_organisation_of_the_year(astad: lb.City, year: int, areas: list[str]) -> None:
    sd = exposure(astad, year=year, level="stadsdel", mode="internal")
    sdo = exposure(astad, year=year, level="stadsdelsomrade", mode="internal")
    city = exposure(astad, year=year, level="city", mode="internal")
    assert sdo["area"].unique(maintain_order=True).to_list() == areas
    assert city["area"].unique().to_list() == ["Åstad"] and city["area_code"].unique().to_list() == ["city"]
    additive = ~pl.col("measure").is_in(["flooded_share"])
    for df in (sdo, city):
        key = ["hazard", "band", "category", "measure"]
        totals = df.filter(additive).group_by(key).agg(pl.col("value").sum())
        expected = sd.filter(additive).group_by(key).agg(pl.col("value").sum().alias("sd"))
        joined = totals.join(expected, on=key, how="full", nulls_equal=True, coalesce=True)
        assert joined.height == expected.height
        assert (joined["value"] - joined["sd"]).abs().max() < 1e-6
    share = value(city, "Åstad", "flooded_share", "malaren", "+2.7 m")
    assert share == pytest.approx(600_000 / 3_800_000)


def test_open_mode_passes_residents_through_the_disclosure_rule(astad: lb.City) -> None:
    strict = dataclasses.replace(astad.settings, suppression=lb.config.Suppression(rule="threshold", min_count=150))
    city = lb.City.__new__(lb.City)
    city.__dict__.update(astad.__dict__)
    city.settings = strict
    e = exposure(city, year=2025, level="stadsdel")
    row = e.filter((pl.col("area") == "A") & (pl.col("measure") == "residents_est") & (pl.col("band") == "+1.5 m"))
    assert row["value"].to_list() == [None] and row["suppressed"].to_list() == [True]
    assert e["rule"].unique().to_list() == ["threshold:150"]
    # Areas are not counts of people: never touched.
    assert e.filter(pl.col("measure") == "land_m2")["suppressed"].any() is False


def test_wide_has_a_column_per_measure(astad: lb.City) -> None:
    w = exposure(astad, year=2025, level="stadsdelsomrade", mode="internal", wide=True)
    assert {"area_m2", "land_m2", "flooded_land_m2", "flooded_share", "residents_est", "facilities", "capacity"} <= set(
        w.columns
    )
    row = w.filter((pl.col("hazard") == "malaren") & (pl.col("band") == "+2.7 m") & pl.col("category").is_null())
    assert row["flooded_land_m2"].to_list() == [pytest.approx(600_000)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"year": 2025, "level": "nämnd"}, "exposure: level must be"),
        ({"year": "2025"}, "exposure: year must be a report year"),
        ({"year": 2025, "mode": "publik"}, "exposure: mode must be 'open' or 'internal'"),
        ({"year": 2019}, "no year at or before 2019"),
    ],
)
def test_bad_arguments(astad: lb.City, kwargs: dict, message: str) -> None:
    with pytest.raises(lb.InvalidArgumentError, match=message):
        exposure(astad, **kwargs)
