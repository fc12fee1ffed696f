"""The small city the city tests share: four 1 km squares in EPSG:3011 with
two organisations, written to files, and helpers for the errors it raises."""

from __future__ import annotations

import os
from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest
import shapely

SQUARES = {"ALBY": (0, 0), "BJÖRKBY": (1, 0), "CEDERSTAD": (0, 1), "DALEN": (1, 1)}


SMALL_TOML = """\
[city]
name = "Småstad"
crs = 3011

[areas]
file = "areas.gpkg"
key = "namn"
code = "kod"

[organisation]
file = "organisation.csv"

[tables.befolkning]
file = "befolkning.csv"
key = "stadsdel"
year = "ar"

[tables.enkat]
file = "enkat.csv"
key = "stadsdel"
year = "ar"
"""


def square(x: int, y: int, size: float = 1000.0) -> shapely.Polygon:
    return shapely.box(x * size, y * size, (x + 1) * size, (y + 1) * size)


def write_areas(path: Path, geoms: list[shapely.Geometry], names: list[str], crs: int = 3011) -> None:
    df = pl.DataFrame(
        {
            "namn": names,
            "kod": [f"S{i + 1}" for i in range(len(names))],
            "geometry": [shapely.to_wkb(g) for g in geoms],
        }
    )
    lb.Layer.from_polars(df, crs=crs, name="areas").write(path, layer="areas")


def organisation_rows() -> pl.DataFrame:
    names = list(SQUARES)
    return pl.DataFrame(
        {
            "stadsdel": names * 2,
            "sdo_namn": ["Väster", "Öster", "Väster", "Öster"] + ["Hela staden"] * 4,
            "sdo_kod": ["V", "O", "V", "O"] + ["H"] * 4,
            "giltig_fran": ["2020-07-01"] * 4 + ["2023-07-01"] * 4,
            "giltig_till": ["2023-06-30"] * 4 + [""] * 4,
        }
    )


def make_small_city(folder: Path) -> Path:
    """Write the small city's files and TOML into ``folder``; return the TOML."""
    folder.mkdir(parents=True, exist_ok=True)
    write_areas(folder / "areas.gpkg", [square(*xy) for xy in SQUARES.values()], list(SQUARES))
    organisation_rows().write_csv(folder / "organisation.csv")
    pl.DataFrame(
        {
            "stadsdel": list(SQUARES) * 2,
            "ar": [2022] * 4 + [2023] * 4,
            "folkmangd": [100, 200, 300, 400, 110, 210, 310, 410],
        }
    ).write_csv(folder / "befolkning.csv")
    pl.DataFrame(
        {
            "stadsdel": ["ALBY", "BJÖRKBY", "CEDERSTAD"],
            "ar": [2023, 2023, 2023],
            "andel_oroliga": [0.2, 0.3, 0.5],
            "respondenter": [100, 300, 100],
        }
    ).write_csv(folder / "enkat.csv")
    toml = folder / "city.toml"
    toml.write_text(SMALL_TOML, encoding="utf-8")
    return toml


def load_error(toml: Path) -> lb.ConfigError:
    with pytest.raises(lb.ConfigError) as info:
        lb.City.from_config(toml)
    err = info.value
    assert isinstance(err, lb.LagesbildError)
    assert err.path == os.fspath(toml)
    # The message lists every problem, one per line.
    for p in err.problems:
        assert str(p) in str(err)
    return err


def one_problem(err: lb.ConfigError) -> lb.ConfigProblem:
    assert len(err.problems) == 1, "\n".join(map(str, err.problems))
    return err.problems[0]


def edit(toml: Path, old: str, new: str) -> None:
    text = toml.read_text(encoding="utf-8")
    assert old in text, old
    toml.write_text(text.replace(old, new, 1), encoding="utf-8")
