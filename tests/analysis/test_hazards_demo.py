"""The hazard analyses on the demo city: the organisation of the report year,
levels that add up, open mode, and the numbers of an independent
geopandas/shapely computation on the same layers (the real stadsdelar and
water, the demo's synthetic flood zones, routes and facilities)."""

from __future__ import annotations

import lagesbild as lb
import numpy as np
import polars as pl
import pytest
import shapely
from lagesbild.analysis import exposure, facilities_at_risk, omradesansvar, screen

ADDITIVE = ["area_m2", "land_m2", "flooded_land_m2", "zone_land_m2", "residents_est", "facilities", "capacity", "route_length_m"]
KEYS = ["hazard", "band", "category", "measure"]


@pytest.fixture(scope="module")
def demo() -> lb.City:
    return lb.demo()


@pytest.fixture(scope="module")
def oracle(demo: lb.City) -> dict:
    """The demo's layers as shapely geometries, each computed on apart from lagesbild."""
    sd = demo.areas.to_geopandas()
    key = "sdel_namn"
    water = shapely.union_all(demo.layer("vatten").to_geopandas().geometry.values)
    zones = demo.layer("oversvamning").to_geopandas().sort_values("niva_m")
    routes = demo.layer("farligt_gods").to_geopandas()
    fac = demo.layer("samhallsviktig_verksamhet").to_geopandas()
    geoms = sd.geometry.values
    shapely.prepare(geoms)
    # Each facility's stadsdel, by containment.
    xy = shapely.get_coordinates(fac.geometry.values)
    home = np.full(len(fac), None, dtype=object)
    for name, g in zip(sd[key], geoms, strict=True):
        home[shapely.contains_xy(g, xy[:, 0], xy[:, 1])] = name
    return {"sd": sd, "key": key, "water": water, "zones": zones, "routes": routes, "fac": fac, "home": home}


def per_area(e: pl.DataFrame, measure: str, **eq: str) -> dict[str, float]:
    sel = e.filter(pl.col("measure") == measure)
    for k, v in eq.items():
        sel = sel.filter(pl.col(k) == v)
    return dict(zip(sel["area"].to_list(), sel["value"].to_list(), strict=True))


def close(got: dict[str, float], want: dict[str, float], rel: float = 1e-6, abs_: float = 1e-3) -> None:
    want = {k: v for k, v in want.items() if v > abs_}
    got = {k: v for k, v in got.items() if v is not None and v > abs_}
    assert got.keys() == want.keys()
    for k, v in want.items():
        assert got[k] == pytest.approx(v, rel=rel, abs=abs_), k


@pytest.mark.parametrize(("year", "count"), [(2022, 13), (2025, 11)])
def test_every_analysis_uses_the_organisation_of_the_report_year(demo: lb.City, year: int, count: int) -> None:
    org = demo.organisation(year)
    names = sorted(org["sdo_namn"].unique().to_list())
    assert len(names) == count
    e = exposure(demo, year=year, mode="internal")
    assert sorted(per_area(e, "land_m2")) == names
    f = facilities_at_risk(demo, year=year, mode="internal")
    assert set(f["stadsdelsomrade"].drop_nulls().unique().to_list()) <= set(names)
    o = omradesansvar(demo, year=year)
    assert sorted(o.neighbours["area"].unique().to_list()) == names


def test_stadsdelar_add_up_to_stadsdelsomraden_and_the_city(demo: lb.City) -> None:
    def summed(level: str) -> pl.DataFrame:
        e = exposure(demo, year=2025, level=level, mode="internal").filter(pl.col("measure").is_in(ADDITIVE))
        return e.group_by(KEYS).agg(pl.col("value").sum()).sort(KEYS, nulls_last=True)

    city = summed("city")
    assert len(city) > 50
    for level in ("stadsdel", "stadsdelsomrade"):
        other = summed(level)
        assert other.select(KEYS).equals(city.select(KEYS))
        # Residents are estimates rounded to whole people in every area: their sums may differ by the rounding.
        people = (other["measure"] == "residents_est").to_numpy()
        got, want = other["value"].to_numpy(), city["value"].to_numpy()
        np.testing.assert_allclose(got[~people], want[~people], rtol=1e-9)
        np.testing.assert_allclose(got[people], want[people], atol=len(demo.stadsdelar) / 2)


def test_land_and_flooded_land_equal_shapely(demo: lb.City, oracle: dict) -> None:
    e = exposure(demo, year=2025, level="stadsdel", mode="internal")
    sd, key, water = oracle["sd"], oracle["key"], oracle["water"]
    land = shapely.difference(sd.geometry.values, water)
    close(per_area(e, "land_m2"), dict(zip(sd[key], shapely.area(land), strict=True)))
    for level, zone in zip(oracle["zones"]["niva_m"], oracle["zones"].geometry, strict=True):
        band = f"+{level:g} m"
        flooded = shapely.area(shapely.intersection(land, zone))
        close(per_area(e, "flooded_land_m2", band=band), dict(zip(sd[key], flooded, strict=True)))


def test_route_lengths_outside_tunnels_equal_shapely(demo: lb.City, oracle: dict) -> None:
    e = exposure(demo, year=2025, level="stadsdel", mode="internal")
    sd, key, routes = oracle["sd"], oracle["key"], oracle["routes"]
    open_air = routes[~routes["tunnel"].astype(bool)]
    for klass, group in open_air.groupby("klass"):
        lines = shapely.union_all(group.geometry.values)
        want = shapely.length(shapely.intersection(sd.geometry.values, lines))
        close(per_area(e, "route_length_m", category=klass), dict(zip(sd[key], want, strict=True)))


def test_facilities_in_flood_zones_and_route_zones_equal_shapely(demo: lb.City, oracle: dict) -> None:
    e = exposure(demo, year=2025, level="stadsdel", mode="internal")
    fac, home = oracle["fac"], oracle["home"]
    xy = shapely.get_coordinates(fac.geometry.values)
    frame = pl.DataFrame({"stadsdel": home.tolist(), "kategori": fac["kategori"].tolist()})

    def counted(mask: np.ndarray) -> dict[tuple[str, str], int]:
        rows = frame.filter(pl.Series(mask) & pl.col("stadsdel").is_not_null()).group_by("stadsdel", "kategori").len()
        return {(r["stadsdel"], r["kategori"]): r["len"] for r in rows.iter_rows(named=True)}

    def got(hazard: str, band: str) -> dict[tuple[str, str], int]:
        sel = e.filter((pl.col("measure") == "facilities") & (pl.col("hazard") == hazard) & (pl.col("band") == band))
        return {(r["area"], r["category"]): int(r["value"]) for r in sel.iter_rows(named=True) if r["value"]}

    for level, zone in zip(oracle["zones"]["niva_m"], oracle["zones"].geometry, strict=True):
        assert got("malaren", f"+{level:g} m") == counted(shapely.contains_xy(zone, xy[:, 0], xy[:, 1]))
    routes = oracle["routes"]
    lines = shapely.union_all(routes[~routes["tunnel"].astype(bool)].geometry.values)
    d = shapely.distance(fac.geometry.values, lines)
    for band, (lo, hi) in {"A": (0, 30), "B": (30, 70), "C": (70, 150)}.items():
        assert got("farligt_gods", band) == counted((d >= lo) & (d < hi) if lo else d < hi)


def test_open_mode_never_names_a_protected_facility(demo: lb.City, oracle: dict) -> None:
    fac = oracle["fac"]
    protected = fac[fac["skydd"].astype(bool)]
    assert len(protected) > 10
    names = set(protected["namn"])
    listed = facilities_at_risk(demo, year=2025)
    assert not names & set(listed["name"].to_list())
    assert not listed["protected"].any()
    assert len(listed) == len(fac) - len(protected)
    internal = facilities_at_risk(demo, year=2025, mode="internal")
    assert names <= set(internal["name"].to_list())
    # A site on a protected facility: screened openly it is only said to be nearby.
    p = protected.geometry.iloc[0]
    site = shapely.box(p.x - 50, p.y - 50, p.x + 50, p.y + 50)
    s = screen(demo, site)
    assert not names & set(s.facilities["name"].to_list())
    assert s.facilities["protected_nearby"].min() >= 1
    assert protected["namn"].iloc[0] in screen(demo, site, mode="internal").facilities["name"].to_list()
    o = omradesansvar(demo, year=2025)
    for table in (o.neighbours, o.hazards, o.facilities, o.actors):
        for col in table.select(pl.col(pl.String)).columns:
            assert not names & set(table[col].drop_nulls().to_list()), col
