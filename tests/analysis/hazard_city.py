"""A small hand-made city for the hazard analyses, whose numbers are known.

Four 1 km squares (EPSG:3011): A (0–1000, 0–1000), B (1000–2000, 0–1000),
C (0–1000, 1000–2000), D (1000–2000, 1000–2000); A and C form Väster, B
and D Öster until 2023, all four Hela staden since. Water: the strip
x 0–100 (in A and C). Flood zones: +1.5 m on x 100–200, +2.7 m on x 0–400
(the water part of it is not land). One route class "primär" along x = 1500
from y = 0 to 1500, and a tunnel stretch from y = 1500 to 2000; zones A
0–50 m, B 50–100 m, C 100–150 m. Facilities placed at known distances.
Population 1,000 / 2,000 / 3,000 / 4,000 in 2025.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import lagesbild as lb
import polars as pl
import shapely

SQUARES = {"A": (0, 0), "B": (1, 0), "C": (0, 1), "D": (1, 1)}

FACILITIES = [
    # name, category, x, y, capacity, unit, owner, protected
    ("Förskolan Ekorren", "förskola", 150, 500, 60, "barn", "kommunal", False),  # +1.5 and +2.7 (A)
    ("Förskolan Lärkan", "förskola", 300, 1500, 40, "barn", "kommunal", False),  # +2.7 only (C)
    ("Björkskolan", "skola", 600, 500, 400, "elever", "kommunal", False),  # no zone (A)
    ("Förskolan Myran", "förskola", 1525, 500, 50, "barn", "privat", False),  # route zone A, 25 m (B)
    ("Lindgården", "äldreboende", 1580, 500, 80, "platser", "kommunal", False),  # zone B, 80 m (B)
    ("Nätstation Öster", "elnätstation", 1640, 500, None, None, "privat", True),  # zone C, 140 m (B)
    ("Solrosens skola", "skola", 1700, 500, 300, "elever", "kommunal", False),  # 200 m: beyond (B)
    ("Vattentornet", "vattenreservoar", 1510, 1700, None, None, "kommunal", True),  # by the tunnel: 200.2 m (D)
]

TOML = """\
[city]
name = "Åstad"
crs = 3011

[areas]
file = "areas.gpkg"
key = "namn"
code = "kod"
water = "vatten"

[organisation]
file = "organisation.csv"

[layers.vatten]
file = "vatten.gpkg"

[layers.zoner]
file = "zoner.gpkg"

[layers.leder]
file = "leder.gpkg"

[layers.verksamheter]
file = "verksamheter.gpkg"

[tables.befolkning]
file = "befolkning.csv"
key = "stadsdel"
year = "ar"

[hazards.malaren]
kind = "flood"
layer = "zoner"
levels = [1.5, 2.7]

[hazards.farligt_gods]
kind = "route"
layer = "leder"
name_column = "namn"
tunnel_column = "tunnel"
distance_m = 150.0
zones_m = { A = 50.0, B = 100.0, C = 150.0 }

[facilities]
layer = "verksamheter"
zone_guidance = { "förskola" = "C", skola = "C", "äldreboende" = "C", "elnätstation" = "B" }

[population]
table = "befolkning"

[suppression]
rule = "threshold"
min_count = 5
"""


def write(path: Path, attrs: dict, geoms: list[shapely.Geometry]) -> None:
    df = pl.DataFrame(attrs).with_columns(pl.Series("geometry", [shapely.to_wkb(g) for g in geoms], dtype=pl.Binary))
    lb.Layer.from_polars(df, crs=3011, name=path.stem).write(path, layer=path.stem)


def make(folder: Path, toml: str = TOML) -> Path:
    """Write the city into ``folder``; return its TOML file."""
    folder.mkdir(parents=True, exist_ok=True)
    write(
        folder / "areas.gpkg",
        {"namn": list(SQUARES), "kod": [f"S{k}" for k in SQUARES]},
        [shapely.box(x * 1000, y * 1000, x * 1000 + 1000, y * 1000 + 1000) for x, y in SQUARES.values()],
    )
    pl.DataFrame(
        {
            "stadsdel": list(SQUARES) * 2,
            "sdo_namn": ["Väster", "Öster", "Väster", "Öster"] + ["Hela staden"] * 4,
            "sdo_kod": ["V", "O", "V", "O"] + ["H"] * 4,
            "namnd": ["Västers stadsdelsnämnd", "Östers stadsdelsnämnd"] * 2 + ["Hela stadens stadsdelsnämnd"] * 4,
            "giltig_fran": ["2020-07-01"] * 4 + ["2023-07-01"] * 4,
            "giltig_till": ["2023-06-30"] * 4 + [""] * 4,
        }
    ).write_csv(folder / "organisation.csv")
    write(folder / "vatten.gpkg", {"namn": ["Sjön"]}, [shapely.box(0, 0, 100, 2000)])
    write(folder / "zoner.gpkg", {"niva_m": [2.7, 1.5]}, [shapely.box(0, 0, 400, 2000), shapely.box(100, 0, 200, 2000)])
    write(
        folder / "leder.gpkg",
        {"klass": ["primär", "primär"], "namn": ["Leden", "Leden"], "tunnel": [False, True]},
        [shapely.LineString([(1500, 0), (1500, 1500)]), shapely.LineString([(1500, 1500), (1500, 2000)])],
    )
    names, cats, xs, ys, caps, units, owners, prot = zip(*FACILITIES, strict=True)
    write(
        folder / "verksamheter.gpkg",
        {
            "namn": list(names),
            "kategori": list(cats),
            "kapacitet": pl.Series(caps, dtype=pl.Int64),
            "kapacitet_enhet": pl.Series(units, dtype=pl.String),
            "huvudman": list(owners),
            "skydd": list(prot),
        },
        [shapely.Point(x, y) for x, y in zip(xs, ys, strict=True)],
    )
    pl.DataFrame(
        {
            "stadsdel": list(SQUARES) * 2,
            "ar": [2021] * 4 + [2025] * 4,
            "folkmangd": [900, 1800, 2700, 3600, 1000, 2000, 3000, 4000],
        }
    ).write_csv(folder / "befolkning.csv")
    (folder / "city.toml").write_text(textwrap.dedent(toml), encoding="utf-8")
    return folder / "city.toml"
