"""Fixtures of the city tests: the small city (city_helpers.py) written to a
temporary folder, and a city of the real stadsdelar in ../shared/data/stockholm."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import polars as pl
import pytest
from city_helpers import make_small_city


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return make_small_city(tmp_path / "city")


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
