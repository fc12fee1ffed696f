"""The main job (`lagesbild demo`, run by `make demo`) on the bundled demo city."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import lagesbild as lb
import polars as pl
import pytest
from lagesbild.analysis import exposure
from lagesbild.demo_job import run

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"

pytestmark = pytest.mark.skipif(
    not (DEMO / "handelser.parquet").is_file(), reason="the demo data set is not in data/demo/"
)


def test_the_job_reports_every_section_with_counts_geopandas_agrees_with() -> None:
    text = run(year=2024)
    for heading in (
        "Report year 2024: 11 stadsdelsområden",
        "Incidents 2024 per stadsdelsområde and theme",
        "Hazard 'malaren': flooded land (ha) and estimated residents below each flood level",
        "Hazard 'farligt_gods': route length per class (km, tunnels left out)",
        "Critical facilities by category",
    ):
        assert heading in text
    # The incident total for Södermalm, recounted with geopandas.
    areas = gpd.read_file(DEMO / "stadsdelar.shp")
    inc = gpd.read_parquet(DEMO / "handelser.parquet")
    inc = inc[inc["datum"].astype("datetime64[ns]").dt.year == 2024]
    joined = gpd.sjoin(inc, areas, predicate="within")
    expected = int((joined["sdo_namn"] == "Södermalm").sum())
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("│ sdo_namn") and "alla" in line)
    column = [c.strip() for c in header.strip("│ ").split("┆")].index("alla")
    row = next(line for line in lines if line.startswith("│ Södermalm") and "┆" in line)
    assert row.strip("│ ").split("┆")[column].strip() == str(expected)
    # The serious incidents (consequence grade 3–4) are counted too.
    assert "grad 3–4" in header
    # Södermalm's land below +2.7 m, as exposure() computes it, in hectares.
    e = exposure(lb.demo(), year=2024)
    flooded = e.filter(
        (pl.col("area") == "Södermalm") & (pl.col("measure") == "flooded_land_m2") & (pl.col("band") == "+2.7 m")
    )["value"].item()
    header = next(line for line in lines if line.startswith("│ area") and "ha_+2.7 m" in line)
    column = [c.strip() for c in header.strip("│ ").split("┆")].index("ha_+2.7 m")
    row = next(line for line in lines[lines.index(header) :] if line.startswith("│ Södermalm"))
    assert float(row.strip("│ ").split("┆")[column]) == round(flooded / 1e4, 1)


def test_the_2022_report_uses_the_13_areas() -> None:
    assert "Report year 2022: 13 stadsdelsområden" in run(year=2022)


def test_command_line() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "lagesbild", "demo", "--year", "2023"], capture_output=True, text=True, check=True
    )
    assert "Report year 2023: 11 stadsdelsområden" in out.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "lagesbild", "demo", "--config", "no/such/city.toml"], capture_output=True, text=True
    )
    assert bad.returncode == 1 and "no/such/city.toml" in bad.stderr


def test_flood_table_matches_overlay_area() -> None:
    city = lb.demo()
    ov = lb.overlay_area(city.layer("oversvamning"), city.areas_at(2025), zone_key="niva_m", area_key="sdo_namn")
    # Nested levels: every stadsdelsområde's area grows with the level.
    wide = ov.pivot(on="niva_m", index="sdo_namn", values="area_m2").fill_null(0.0)
    assert (wide["1.36"] <= wide["1.5"]).all() and (wide["1.5"] <= wide["2.7"]).all()
    assert ov["share"].is_between(0, 1).all() and len(ov) > 0
    assert pl.Series(ov["area_m2"]).min() > 0
