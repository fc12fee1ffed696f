"""Mälaren and Saltsjön (the real water, grouped) and the flood zones along
Mälaren (synthetic terrain, levels that mean something)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from demo.common import Source, from_shapely, rng, smooth_field, transform

# Bridges split the source's water into separate polygons: parts closer than
# this are one water body.
WATER_JOIN_M = 40.0
# Where Mälaren's level is held (EPSG:3011): connections between water parts
# that cross these lines are cut.
LOCK_LINES = {
    "Norrström and Stallkanalen, west end of Helgeandsholmen": [(153803.0, 6579266.0), (153913.0, 6579045.0)],
    "Söderström, Slussen": [(154178.5, 6578395.0), (154250.5, 6578551.0)],
    "Danvikskanalen, Hammarby sluss": [(155928.0, 6577641.0), (156030.0, 6577587.0)],
}
MALAREN_SEED = (153400.0, 6578800.0)  # Riddarfjärden
SALTSJON_SEED = (154400.0, 6578300.0)  # Strömmen


OTHER_WATER = "Övriga sjöar och vattendrag"


@dataclass
class Water:
    names: list[str]  # per part of Source.water_parts
    malaren: shapely.Geometry  # the water connected to Mälaren (EPSG:3011)
    saltsjon: shapely.Geometry  # the water connected to Saltsjön


def split_water(src: Source) -> Water:
    """Mälaren and Saltsjön: the parts joined across bridges, cut at the locks.

    Two parts are joined when they are within WATER_JOIN_M of each other and
    the shortest line between them crosses none of LOCK_LINES. The parts
    joined to Riddarfjärden are Mälaren, those joined to Strömmen Saltsjön;
    lakes and streams joined to neither (Magelungen, Drevviken, Judarn, …)
    are OTHER_WATER.
    """
    parts = src.water_parts
    tree = shapely.STRtree(parts)
    pairs = tree.query(parts, predicate="dwithin", distance=WATER_JOIN_M)
    locks = shapely.MultiLineString(list(LOCK_LINES.values()))
    parent = list(range(len(parts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    cut = 0
    for a, b in pairs.T:
        if a >= b:
            continue
        if shapely.shortest_line(parts[a], parts[b]).intersects(locks):
            cut += 1
            continue
        parent[find(a)] = find(b)
    assert cut >= 2, f"the lock lines cut {cut} connections; the water has changed"

    def part_at(xy: tuple[float, float]) -> int:
        hits = [i for i in tree.query(shapely.Point(xy)) if parts[i].contains(shapely.Point(xy))]
        assert len(hits) == 1, xy
        return hits[0]

    m_root, s_root = find(part_at(MALAREN_SEED)), find(part_at(SALTSJON_SEED))
    assert m_root != s_root, "Mälaren and Saltsjön are still connected: check the lock lines"
    side = {m_root: "Mälaren", s_root: "Saltsjön"}
    names = [side.get(find(i), OTHER_WATER) for i in range(len(parts))]
    malaren = shapely.MultiPolygon([p for p, n in zip(parts, names, strict=True) if n == "Mälaren"])
    saltsjon = shapely.MultiPolygon([p for p, n in zip(parts, names, strict=True) if n == "Saltsjön"])
    return Water(names, malaren, saltsjon)


def write_water(src: Source, water: Water, out: Path) -> None:
    geoms, names = [], []
    for name in ("Mälaren", "Saltsjön", OTHER_WATER):
        geoms.append(shapely.MultiPolygon([p for p, n in zip(src.water_parts, water.names, strict=True) if n == name]))
        names.append(name)
    layer = from_shapely(geoms, {"namn": names}, 3011, "vatten").to_crs(3006)
    layer.write(out / "vatten.gpkg", layer="vatten")


# -- flood zones along Mälaren (synthetic terrain) -------------------------------

# Mälaren's mean level is about +0.86 m (RH 2000). The three levels, lowest first:
# - +1.36 m: 0.5 m above the mean, where MSB found that facilities for
#   samhällsviktig verksamhet begin to fail;
# - +1.5 m: the 100-year level of the county boards' recommendations (their
#   lowest level for single buildings of lower value);
# - +2.7 m: the county boards' lowest level for new connected development and
#   functions of major importance (the computed highest level).
MALAREN_MEAN = 0.86
FLOOD_LEVELS = (1.36, 1.5, 2.7)  # m, RH 2000
FLOOD_DESCRIPTIONS = {
    1.36: (
        "Land lägre än +1,36 m (RH 2000): 0,5 m över Mälarens medelvattenstånd (+0,86 m), där "
        "samhällsviktiga anläggningar enligt MSB börjar slås ut. Syntetisk terräng."
    ),
    1.5: (
        "Land lägre än +1,5 m (RH 2000): Mälarens 100-årsnivå i länsstyrelsernas rekommendationer "
        "(lägsta nivå för enstaka byggnader av lägre värde). Syntetisk terräng."
    ),
    2.7: (
        "Land lägre än +2,7 m (RH 2000): länsstyrelsernas lägsta nivå för ny sammanhållen bebyggelse "
        "och samhällsfunktioner av betydande vikt. Syntetisk terräng."
    ),
}
# The ground at Mälaren's water line: from SHORE_LOW (a low natural shore or
# quay, 0.24 m above the mean level) to SHORE_LOW + SHORE_RANGE (a high quay),
# varying smoothly along the shore.
SHORE_LOW, SHORE_RANGE = 1.10, 0.90
CELL_M = 10.0  # terrain raster cell in SWEREF 99 TM
FLATNESS_SPACING_M = 700.0
SHORE_SPACING_M = 1_200.0
FLATNESS_MIN, FLATNESS_RANGE = 5.0, 170.0  # metres of distance per metre of height


def segments(geom: shapely.Geometry) -> np.ndarray:
    """The boundary of a (multi)polygon as two-point lines."""
    lines = []
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        c = shapely.get_coordinates(ring)
        lines.append(np.stack([c[:-1], c[1:]], axis=1))
    return shapely.linestrings(np.concatenate(lines))


def flood_zones(src: Source, water: Water) -> dict[float, shapely.Geometry]:
    """Land below each level along Mälaren, in EPSG:3006, nested exactly.

    The terrain is synthetic: h0 at the Mälaren water line (SHORE_LOW to
    SHORE_LOW + SHORE_RANGE, a smooth field), rising with the distance d
    from it as d / L, where the flatness L (5–175 m per metre of height)
    varies smoothly across the city. It is evaluated at the centres of
    CELL_M cells; a level's zone is the union of the land cells (centre on
    land) below it, so each zone is a union of cells of the one grid and
    contains the lower zones exactly.
    """
    malaren, land = transform([water.malaren, src.land], 3011, 3006)
    r = rng("oversvamning")
    flatness = smooth_field(r, malaren.buffer(2_000).bounds, FLATNESS_SPACING_M)
    shore = smooth_field(r, malaren.buffer(2_000).bounds, SHORE_SPACING_M)
    steepest = FLATNESS_MIN + FLATNESS_RANGE
    reach = (max(FLOOD_LEVELS) - SHORE_LOW) * steepest + CELL_M
    tree = shapely.STRtree(segments(malaren))
    shapely.prepare(land)

    def distance(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        idx, d = tree.query_nearest(shapely.points(x, y), return_distance=True, all_matches=False)
        out = np.empty(len(x))
        out[idx[0]] = d
        return out

    # Coarse cells first, then the fine cells of the coarse ones near the shore.
    # Cell edges fall on whole multiples of CELL_M, so all vertices are exact.
    coarse = 8 * CELL_M
    x0, y0, x1, y1 = malaren.bounds
    xs = np.arange(math.floor((x0 - reach) / coarse) * coarse, x1 + reach, coarse)
    ys = np.arange(math.floor((y0 - reach) / coarse) * coarse, y1 + reach, coarse)
    cx, cy = (a.ravel() + coarse / 2 for a in np.meshgrid(xs, ys))
    near = distance(cx, cy) < reach + coarse
    offsets = (np.arange(8) + 0.5) * CELL_M - coarse / 2
    ox, oy = (a.ravel() for a in np.meshgrid(offsets, offsets))
    fx = (cx[near][:, None] + ox[None, :]).ravel()
    fy = (cy[near][:, None] + oy[None, :]).ravel()
    on_land = shapely.contains_xy(land, fx, fy)
    fx, fy = fx[on_land], fy[on_land]
    h0 = SHORE_LOW + SHORE_RANGE * shore(fx, fy) ** 2
    height = h0 + distance(fx, fy) / (FLATNESS_MIN + FLATNESS_RANGE * flatness(fx, fy) ** 4)
    zones: dict[float, shapely.Geometry] = {}
    half = CELL_M / 2
    for level in FLOOD_LEVELS:
        sel = height < level
        cells = shapely.box(fx[sel] - half, fy[sel] - half, fx[sel] + half, fy[sel] + half)
        # Dropping the collinear grid corners along straight edges keeps the
        # shape (and the nesting) exactly.
        zone = shapely.simplify(shapely.coverage_union_all(cells), 1e-9)
        zones[level] = shapely.MultiPolygon(list(shapely.get_parts(zone)))
    for lo, hi in zip(FLOOD_LEVELS, FLOOD_LEVELS[1:], strict=False):
        assert zones[hi].covers(zones[lo]), f"the +{hi} m zone does not cover the +{lo} m zone"
        assert zones[hi].area > zones[lo].area, f"the +{hi} m zone is no larger than the +{lo} m zone"
    return zones


def write_flood(zones: dict[float, shapely.Geometry], out: Path) -> None:
    levels = list(zones)
    layer = from_shapely(
        [zones[lv] for lv in levels],
        {"niva_m": levels, "beskrivning": [FLOOD_DESCRIPTIONS[lv] for lv in levels]},
        3006,
        "oversvamning",
    )
    layer.write(out / "oversvamning_malaren.gpkg", layer="oversvamning")
