"""grid_hotspots() and hotspots(): Gi* against esda.G_Local on the same grid and
weights, the FDR correction against statsmodels, the study area (land, not
water), the planted cluster found, bad input."""

from __future__ import annotations

import datetime as dt
import math
import sys
from pathlib import Path

import lagesbild as lb
import numpy as np
import polars as pl
import pytest
import shapely
from lagesbild.analysis import hotspots
from lagesbild.config import Incidents
from statsmodels.stats.multitest import multipletests

sys.path.insert(0, str(Path(__file__).parent))
import safety_city as sc  # noqa: E402

esda = pytest.importorskip("esda")
libpysal = pytest.importorskip("libpysal")


def polygons(boxes: list[tuple[float, float, float, float]], name: str) -> lb.Layer:
    return lb.Layer.from_polars(
        pl.DataFrame({"geometry": [shapely.to_wkb(shapely.box(*b)) for b in boxes]}), crs=3011, name=name
    )


def esda_star(cells: pl.DataFrame, counts: np.ndarray, nx: int) -> np.ndarray:
    """esda's Gi*: binary queen weights among the given cells, the cell itself added by star=True."""
    ids = cells["cell"].to_list()
    present = set(ids)
    neighbours = {}
    for c in ids:
        col, row = c % nx, c // nx
        neighbours[c] = [
            (row + dr) * nx + col + dc
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
            if (dr or dc) and 0 <= col + dc < nx and (row + dr) * nx + col + dc in present
        ]
    w = libpysal.weights.W(neighbours, id_order=ids, silence_warnings=True)
    g = esda.G_Local(counts.astype(float), w, transform="B", star=True, permutations=0)
    return g.Zs, g.p_norm


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_gi_star_equals_esda_on_the_study_cells(seed) -> None:
    rng = np.random.default_rng(seed)
    land = polygons([(0, 0, 2000, 1500)], "land")
    water = polygons([(600, 400, 1100, 1100)], "lake")
    n = 4000
    xs = np.concatenate([rng.uniform(0, 2000, n), rng.normal(1500, 120, 600)])
    ys = np.concatenate([rng.uniform(0, 1500, n), rng.normal(300, 120, 600)])
    cells = lb.grid_hotspots(pl.DataFrame({"x": xs, "y": ys}), land, 100, water=water)
    nx = 21  # 0 … 2000 m: the east edge adds a column, whose centres lie outside the land
    assert len(cells) == 20 * 15 - 5 * 7
    counts = cells["count"].to_numpy()
    z, p_one_sided = esda_star(cells.attributes, counts, nx)
    ours = cells["z"].to_numpy()
    np.testing.assert_allclose(ours, z, rtol=0, atol=1e-9)
    np.testing.assert_allclose(cells["p"].to_numpy(), 2 * p_one_sided, rtol=1e-9, atol=1e-15)
    q = multipletests(cells["p"].to_numpy(), method="fdr_bh")[1]
    np.testing.assert_allclose(cells["q"].to_numpy(), q, rtol=1e-12, atol=1e-15)
    # Points in the lake or outside the land are in no study cell.
    inside = (
        (xs >= 0) & (xs < 2000) & (ys >= 0) & (ys < 1500) & ~((xs >= 600) & (xs < 1100) & (ys >= 400) & (ys < 1100))
    )
    assert counts.sum() == inside.sum()


def test_water_cells_are_not_part_of_the_study_area() -> None:
    land = polygons([(0, 0, 1000, 1000)], "land")
    water = polygons([(0, 0, 1000, 300)], "lake")
    cells = lb.grid_hotspots(pl.DataFrame({"x": [50.0], "y": [950.0]}), land, 100, water=water)
    assert len(cells) == 70 and cells["y"].min() == 350.0
    assert cells.bounds == (0.0, 300.0, 1000.0, 1000.0)


def hot_city() -> lb.City:
    """The safety city with 300 extra incidents of brott around (1500, 1500), inside D."""
    rng = np.random.default_rng(11)
    extra = pl.DataFrame(
        {
            "handelse_id": np.arange(100_000, 100_300),
            "datum": [dt.date(2025, 2, 1)] * 300,
            "kalla": "händelsehanteringssystemet",
            "namnd": "Östra nämnden",
            "verksamhet": "skola",
            "tema": "brott mot egendom",
            "typ": "inbrott",
            "konsekvensgrad": 1,
        }
    )
    pts = [shapely.to_wkb(shapely.Point(x, y)) for x, y in zip(rng.normal(1550, 40, 300), rng.normal(1550, 40, 300))]
    layer = sc.incident_layer()
    merged = pl.concat(
        [layer.to_polars(geometry="wkb"), extra.with_columns(pl.Series("geometry", pts))], how="vertical_relaxed"
    )
    water = polygons([(0, 1800, 600, 2000)], "vatten")
    return sc.city(
        tables={"brott": sc.brott()},
        layers={"handelser": lb.Layer.from_polars(merged, crs=3011, name="handelser"), "vatten": water},
        incidents=Incidents(layer="handelser"),
        water="vatten",
        crime=sc.Crime(table="brott"),
        themes=sc.THEMES,
    )


def test_the_planted_cluster_is_a_hotspot_and_counts_pass_the_rule() -> None:
    c = hot_city()
    cells = hotspots(c, 2025, "brott")
    hot = cells.attributes.filter(pl.col("class") == "hot")
    assert hot.height >= 1
    assert all(1300 <= x <= 1800 and 1300 <= y <= 1800 for x, y in hot.select("x", "y").rows())
    assert cells.attributes.filter(pl.col("cell") == hot["cell"][0])["gi_bin"][0] >= 2
    # The water corner is not study area; small cell counts are withheld in open mode.
    assert cells.attributes.filter((pl.col("x") < 600) & (pl.col("y") > 1800)).height == 0
    assert cells.attributes.filter(pl.col("suppressed"))["count"].null_count() == cells["suppressed"].sum()
    internal = hotspots(c, 2025, "brott", mode="internal")
    assert internal["count"].null_count() == 0 and internal["rule"][0] == "internal"
    # Every brott incident of the period except those in the water corner.
    pts = c.layer("handelser").to_polars(geometry="wkb")
    xy = shapely.get_coordinates(shapely.from_wkb(pts["geometry"].to_numpy()))
    chosen = (pts["tema"] == "brott mot egendom") & pts["datum"].is_between(dt.date(2024, 9, 1), dt.date(2025, 8, 31))
    wet = (xy[:, 0] < 600) & (xy[:, 1] >= 1800)
    assert (
        internal["count"].sum()
        == (chosen.to_numpy() & ~wet).sum()
        == 300 + round(20 * 1.5**4) + 30 + 40 + 1 - wet[chosen.to_numpy()].sum()
    )


def test_hotspots_bad_input() -> None:
    c = hot_city()
    with pytest.raises(lb.InvalidArgumentError, match="unknown theme 'trafik'"):
        hotspots(c, 2025, "trafik")
    with pytest.raises(lb.InvalidArgumentError, match="outside the data"):
        hotspots(c, 2019, "brott")
    with pytest.raises(lb.InvalidArgumentError, match="cell size must be a positive"):
        hotspots(c, 2025, "brott", cell=0)
    assert math.isfinite(hotspots(c, 2025, "olyckor", cell=250)["z"].drop_nulls().max())


def test_hotspot_context_against_shapely_on_the_demo() -> None:
    """Hot cells per area (by centre), zones reached and facilities near, recomputed with shapely."""
    from lagesbild.analysis import facilities_at_risk
    from lagesbild.analysis.areas import area_layer
    from lagesbild.analysis.hazards import flood_hazards, flood_zones, route_hazards, route_reach
    from lagesbild.analysis.hotspots import hotspot_context

    city = lb.demo()
    cells = hotspots(city, 2025, "brott")
    got = hotspot_context(city, 2025, cells, near_m=100.0)

    def geoms(layer: lb.Layer) -> np.ndarray:
        return shapely.from_wkb(layer.to_polars()["geometry"].to_numpy())

    hot_mask = (cells["class"] == "hot").to_numpy()
    hot = geoms(cells)[hot_mask]
    attrs = cells.attributes.filter(pl.Series(hot_mask))
    centres = shapely.points(attrs["x"].to_numpy(), attrs["y"].to_numpy())
    areas = area_layer(city, year=2025, level="stadsdelsomrade")
    area_geoms = geoms(areas)
    area_of = []
    for c in centres:
        inside = [n for n, g in zip(areas["area"].to_list(), area_geoms, strict=True) if g.covers(c)]
        area_of.append(inside[0] if inside else None)
    zones = {h.name: geoms(flood_zones(city, h))[-1] for h in flood_hazards(city)}
    zones |= {h.name: geoms(route_reach(city, h))[-1] for h in route_hazards(city)}
    fac = facilities_at_risk(city, year=2025, mode="open")
    points = shapely.points(fac["x"].to_numpy(), fac["y"].to_numpy())
    sectors = fac["sector"].to_list()
    checked = 0
    for area in sorted({a for a in area_of if a is not None}):
        mine = [i for i, a in enumerate(area_of) if a == area]
        sub = got.filter(pl.col("area") == area)

        def value(measure: str, category: str | None, sub: pl.DataFrame = sub) -> float | None:
            row = sub.filter((pl.col("measure") == measure) & (pl.col("category").eq_missing(category)))
            return row["value"][0] if row.height else None

        assert value("hot_cells", None) == len(mine), area
        for name, zone in zones.items():
            assert value("cells_touching", name) == sum(bool(hot[i].intersects(zone)) for i in mine), (area, name)
        near = shapely.dwithin(points[:, None], hot[mine][None, :], 100.0).any(axis=1)
        expected: dict[str, int] = {}
        for s, is_near in zip(sectors, near, strict=True):
            if is_near:
                expected[s] = expected.get(s, 0) + 1
        got_near = {r["category"]: r["value"] for r in sub.filter(pl.col("measure") == "facilities_near").iter_rows(
            named=True)}
        assert got_near == expected, area
        checked += 1
    assert checked >= 8


def test_hotspot_context_refuses_what_is_not_a_hotspot_layer() -> None:
    from lagesbild.analysis.hotspots import hotspot_context

    city = lb.demo()
    with pytest.raises(lb.InvalidArgumentError, match="no column 'class'"):
        hotspot_context(city, 2025, city.areas)
    with pytest.raises(lb.InvalidArgumentError, match="near_m"):
        hotspot_context(city, 2025, hotspots(city, 2025, "brott"), near_m=-1)
