"""exposure() and facilities_at_risk() on Stockholm's real boundaries and water,
against an independent geopandas/shapely computation of the same numbers.

The city: the 117 real stadsdelar, the real water as its water layer, three
nested "flood zones" made by buffering the water by 25, 100 and 250 m with
shapely (so each zone holds water, which is not land), 20 seeded random-walk
routes and 3,000 random facilities.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import geopandas as gpd
import lagesbild as lb
import numpy as np
import polars as pl
import pytest
import shapely
from lagesbild.analysis import exposure, facilities_at_risk

pytestmark = pytest.mark.real_data

LEVELS = {25: 1.0, 100: 2.0, 250: 3.0}  # buffer distance (m) → the zone's "level"


@pytest.fixture(scope="module")
def real(stockholm: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[lb.City, dict]:
    folder = tmp_path_factory.mktemp("real_hazards")
    sd = gpd.read_file(stockholm / "stadsdelar.shp")
    water = gpd.read_file(stockholm / "vatten.shp")
    w = water.geometry.iloc[0]
    zones = gpd.GeoDataFrame({"niva_m": list(LEVELS.values())}, geometry=[w.buffer(d, quad_segs=8) for d in LEVELS], crs=sd.crs)
    zones.to_parquet(folder / "zones.parquet")
    city_shape = shapely.union_all(sd.geometry.values)
    shapely.prepare(city_shape)
    rng = np.random.default_rng(11)
    x0, y0, x1, y1 = city_shape.bounds
    walks, classes = [], []
    while len(walks) < 20:
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if not shapely.contains_xy(city_shape, x, y):
            continue
        pts, heading = [(x, y)], rng.uniform(0, 2 * np.pi)
        for _ in range(int(rng.integers(10, 40))):
            heading += rng.normal(0, 0.4)
            step = rng.uniform(50, 300)
            nx, ny = pts[-1][0] + step * np.cos(heading), pts[-1][1] + step * np.sin(heading)
            if shapely.contains_xy(city_shape, nx, ny):
                pts.append((nx, ny))
        if len(pts) > 3:
            walks.append(shapely.LineString(pts))
            classes.append("primär" if len(walks) % 2 else "sekundär")
    routes = gpd.GeoDataFrame({"klass": classes}, geometry=walks, crs=sd.crs)
    routes.to_parquet(folder / "routes.parquet")
    n = 3000
    fx, fy = rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)
    keep = shapely.contains_xy(city_shape, fx, fy)
    facilities = gpd.GeoDataFrame(
        {
            "namn": [f"F{i}" for i in range(int(keep.sum()))],
            "kategori": rng.choice(["förskola", "skola", "äldreboende"], int(keep.sum())),
            "kapacitet": rng.integers(10, 500, int(keep.sum())),
            "kapacitet_enhet": "platser",
        },
        geometry=gpd.points_from_xy(fx[keep], fy[keep]),
        crs=sd.crs,
    )
    facilities.to_parquet(folder / "facilities.parquet")
    (folder / "city.toml").write_text(
        textwrap.dedent(
            f"""\
            [city]
            name = "Stockholm"
            crs = 3011

            [areas]
            file = "{(stockholm / "stadsdelar.shp").as_posix()}"
            key = "name"
            water = "vatten"

            [layers.vatten]
            file = "{(stockholm / "vatten.shp").as_posix()}"

            [layers.zoner]
            file = "zones.parquet"

            [layers.leder]
            file = "routes.parquet"

            [layers.verksamheter]
            file = "facilities.parquet"

            [hazards.band]
            kind = "flood"
            layer = "zoner"

            [hazards.leder]
            kind = "route"
            layer = "leder"

            [facilities]
            layer = "verksamheter"

            [topology]
            gap_tolerance_m2 = 6000
            """
        ),
        encoding="utf-8",
    )
    return lb.City.from_config(folder / "city.toml"), {
        "sd": sd,
        "water": w,
        "zones": zones,
        "routes": routes,
        "facilities": facilities,
    }


def pick(e: pl.DataFrame, measure: str, **eq: str) -> dict[str, float]:
    sel = e.filter(pl.col("measure") == measure)
    for k, v in eq.items():
        sel = sel.filter(pl.col(k) == v)
    return dict(zip(sel["area"].to_list(), sel["value"].to_list(), strict=True))


def test_land_and_flooded_land_per_stadsdel_equal_geopandas(real) -> None:
    city, g = real
    e = exposure(city, year=2025, level="stadsdel", mode="internal")
    sd, water = g["sd"], g["water"]
    wet = {n: geom.intersection(water).area for n, geom in zip(sd["name"], sd.geometry, strict=True)}
    land = pick(e, "land_m2")
    for n, geom in zip(sd["name"], sd.geometry, strict=True):
        assert land[n] == pytest.approx(geom.area - wet[n], rel=1e-6, abs=1e-3)
    for dist, level in LEVELS.items():
        zone = g["zones"].geometry.iloc[list(LEVELS).index(dist)]
        got = pick(e, "flooded_land_m2", band=f"{level:+g} m")
        for n, geom in zip(sd["name"], sd.geometry, strict=True):
            # The zone holds the water, so its land is the zone's part minus the water's.
            expected = geom.intersection(zone).area - wet[n]
            if expected > 1.0:
                assert got[n] == pytest.approx(expected, rel=1e-6, abs=0.5), (n, dist)
            else:
                assert got.get(n, 0.0) == pytest.approx(0.0, abs=1.0), (n, dist)


def test_route_lengths_and_facility_counts_equal_geopandas(real) -> None:
    city, g = real
    e = exposure(city, year=2025, level="stadsdel", mode="internal")
    sd, routes, fac = g["sd"], g["routes"], g["facilities"]
    pieces = gpd.overlay(routes, sd[["name", "geometry"]], how="intersection", keep_geom_type=True)
    expected = pieces.assign(length=pieces.length).groupby(["name", "klass"])["length"].sum()
    for (n, klass), length in expected.items():
        got = pick(e, "route_length_m", category=klass)
        assert got[n] == pytest.approx(length, rel=1e-6)
    for dist, level in LEVELS.items():
        zone = g["zones"].geometry.iloc[list(LEVELS).index(dist)]
        inside = fac[fac.within(zone)]
        joined = gpd.sjoin(inside, sd[["name", "geometry"]], predicate="within")
        counts = joined.groupby(["name", "kategori"]).size()
        for (n, kategori), count in counts.items():
            got = pick(e, "facilities", band=f"{level:+g} m", category=kategori)
            assert got[n] == count


def test_facility_distances_equal_shapely(real) -> None:
    city, g = real
    f = facilities_at_risk(city, year=2025, mode="internal")
    routes = shapely.union_all(g["routes"].geometry.values)
    fac = g["facilities"]
    expected = dict(zip(fac["namn"], shapely.distance(fac.geometry.values, routes), strict=True))
    got = dict(zip(f["name"].to_list(), f["leder_distance_m"].to_list(), strict=True))
    assert set(got) == set(expected)
    for name, d in expected.items():
        assert got[name] == pytest.approx(d, rel=1e-9, abs=1e-6)
