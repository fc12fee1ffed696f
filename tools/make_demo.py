"""Generate the demo data set in data/demo/ (described in data/demo/README.md).

    .venv/bin/python tools/make_demo.py [OUT_DIR] [--stockholm DIR]

OUT_DIR defaults to data/demo/ of the repository; DIR to
../shared/data/stockholm beside it. The real City of Stockholm boundaries and
water are read from DIR; everything else is synthesised from them with fixed
random seeds, so a second run writes every file byte for byte the same (with
the versions in requirements-dev.txt).

The geographic files are written with lagesbild's own writers (shapefile,
GeoPackage, GeoJSON, GeoParquet); the tables with Python's csv module.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import lagesbild as lb
import numpy as np
import polars as pl
import shapely

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "demo"
DEFAULT_STOCKHOLM = ROOT.parent / "shared" / "data" / "stockholm"

SEED = 20250101
# Header dates of the written files (DBF, GeoPackage): the release date of
# the city's boundaries, 2021-04-13, rather than the day of the run.
SOURCE_DATE_EPOCH = "1618272000"

YEARS_POPULATION = range(2014, 2026)
YEARS_CITY_SURVEY = (2014, 2017, 2020, 2023)
YEARS_POLICE_SURVEY = range(2020, 2026)
YEARS_INCIDENTS = range(2021, 2026)

# Files the generator writes (README.md and lagesbild.toml are not generated).
OUTPUTS = (
    "stadsdelar.shp",
    "stadsdelar.shx",
    "stadsdelar.dbf",
    "stadsdelar.prj",
    "stadsdelar.cpg",
    "LICENSE-stockholm.txt",
    "organisation.csv",
    "befolkning.csv",
    "vatten.gpkg",
    "oversvamning_malaren.gpkg",
    "farligt_gods.geojson",
    "samhallsviktig_verksamhet.csv",
    "trygghetsmatning.csv",
    "handelser.parquet",
    "risker.csv",
)


def rng(part: str) -> np.random.Generator:
    """An independent random stream per part, so changing one part leaves the others as they were."""
    return np.random.default_rng([SEED, *part.encode()])


# -- names ----------------------------------------------------------------

_SV_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})


def sv_key(text: str) -> str:
    """Sort key in Swedish alphabetical order (… x, y, z, å, ä, ö)."""
    return text.lower().translate(_SV_ORDER)


_LOWER_WORDS = {"gård", "strand", "villastad", "stan", "kyrka", "slott", "industriomr", "holmar"}


def title(name: str) -> str:
    """A stadsdel's name as written in running text: ``HÄSSELBY GÅRD`` → ``Hässelby gård``."""
    words = name.lower().split(" ")
    out = [words[0].capitalize()]
    out += [w if w in _LOWER_WORDS else w.capitalize() for w in words[1:]]
    return " ".join(out)


def genitive(name: str) -> str:
    """``Farsta strand`` → ``Farsta strands``; names ending in s keep their form."""
    return name if name[-1] in "sxz" else name + "s"


def compound(name: str, suffix: str) -> str:
    """``Vårberg`` + ``skolan`` → ``Vårbergsskolan``; ``Kista`` → ``Kistaskolan``."""
    base = name.lower()
    if base[-1] in "aeiouyåäö":
        return name + suffix
    if base[-1] == "s":
        return name + suffix
    return name + "s" + suffix


# -- the real data ----------------------------------------------------------


@dataclass
class Area:
    """One stadsdel: names, codes, organisation, land polygon (EPSG:3011)."""

    name: str
    code: str
    sdo: str
    sdo_code: str
    sdo13: str
    sdo13_code: str
    region: str
    land: shapely.Geometry
    whole: shapely.Geometry


def to_shapely(layer: lb.Layer) -> np.ndarray:
    return shapely.from_wkb(layer.to_polars(name="__wkb__")["__wkb__"].to_list())


def from_shapely(geoms: Iterable[shapely.Geometry], attrs: dict, crs: int, name: str) -> lb.Layer:
    wkb = [shapely.to_wkb(g, byte_order=1, flavor="iso") for g in geoms]
    df = pl.DataFrame({**attrs, "__wkb__": pl.Series(wkb, dtype=pl.Binary)})
    return lb.Layer.from_polars(df, geometry="__wkb__", crs=crs, name=name)


def transform(geoms: list[shapely.Geometry], src: int, dst: int) -> list[shapely.Geometry]:
    """Geometries transformed by lagesbild (the transformation the files are written with)."""
    layer = from_shapely(geoms, {}, src, "transform").to_crs(dst)
    return list(to_shapely(layer))


@dataclass
class Source:
    """The real boundaries, water and organisation table."""

    stadsdelar: lb.Layer  # as read, source order
    areas: list[Area]  # in code order
    water_parts: list[shapely.Polygon]
    land: shapely.Geometry  # all land of the city (EPSG:3011)
    city: shapely.Geometry  # the municipality, water included
    licence: str

    @classmethod
    def load(cls, folder: Path) -> Source:
        stadsdelar = lb.read(folder / "stadsdelar.shp")
        assert stadsdelar.crs.epsg == 3011 and len(stadsdelar) == 117
        names = stadsdelar["name"].to_list()
        whole = to_shapely(stadsdelar)
        utan = lb.read(folder / "stadsdelar_utan_vatten.shp")
        land_by_name = dict(zip(utan["name"].to_list(), to_shapely(utan), strict=True))
        org = pl.read_csv(folder / "stadsdelsomraden.csv")
        org_by_name = {r["stadsdel"]: r for r in org.iter_rows(named=True)}
        assert set(org_by_name) == set(names) == set(land_by_name)
        sdo11 = sorted(set(org["stadsdelsomrade_2023"]), key=sv_key)
        sdo13 = sorted(set(org["stadsdelsomrade"]), key=sv_key)
        assert len(sdo11) == 11 and len(sdo13) == 13
        code11 = {n: f"SDO{i:02d}" for i, n in enumerate(sdo11, 1)}
        code13 = {n: f"SDO13-{i:02d}" for i, n in enumerate(sdo13, 1)}
        areas = []
        for i, name in enumerate(sorted(names, key=sv_key), 1):
            r = org_by_name[name]
            areas.append(
                Area(
                    name=name,
                    code=f"SD{i:03d}",
                    sdo=r["stadsdelsomrade_2023"],
                    sdo_code=code11[r["stadsdelsomrade_2023"]],
                    sdo13=r["stadsdelsomrade"],
                    sdo13_code=code13[r["stadsdelsomrade"]],
                    region=r["region"],
                    land=land_by_name[name],
                    whole=whole[names.index(name)],
                )
            )
        water = to_shapely(lb.read(folder / "vatten.shp"))
        assert len(water) == 1
        parts = sorted(shapely.get_parts(water[0]), key=lambda p: (-p.area, p.bounds))
        land = shapely.union_all([a.land for a in areas])
        city = shapely.union_all(whole)
        return cls(stadsdelar, areas, parts, land, city, (folder / "LICENSE").read_text(encoding="utf-8"))

    def area(self, name: str) -> Area:
        for a in self.areas:
            if a.name == name:
                return a
        raise KeyError(name)


# -- output helpers -----------------------------------------------------------


@contextmanager
def fixed_header_dates() -> Iterator[None]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def write_csv(path: Path, header: list[str], rows: Iterable[list], sep: str = ",") -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=sep, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)
    tmp.replace(path)


def dec(value: float, decimals: int, comma: bool = False) -> str:
    """A float with fixed decimals (``-0`` written as ``0``), optionally with a decimal comma."""
    text = f"{value:.{decimals}f}"
    if float(text) == 0:
        text = f"{0:.{decimals}f}"
    return text.replace(".", ",") if comma else text


# -- 1. areas, organisation, population ---------------------------------------


def write_stadsdelar(src: Source, out: Path) -> None:
    """The 117 real stadsdelar with project codes, in code order, Windows-1252 DBF."""
    source_names = src.stadsdelar["name"].to_list()
    order = [source_names.index(a.name) for a in src.areas]
    attrs = pl.DataFrame(
        {
            "sdel_namn": [a.name for a in src.areas],
            "sdel_kod": [a.code for a in src.areas],
            "sdo_namn": [a.sdo for a in src.areas],
            "sdo_kod": [a.sdo_code for a in src.areas],
        }
    )
    layer = src.stadsdelar.take(order).with_attributes(attrs)
    layer.write(out / "stadsdelar.shp", encoding="windows-1252")


LICENSE_HEADER = """\
Stockholm stadsdelar and water in this folder

Source: City of Stockholm (Stockholms stad), "Stadskarta" data set on the
city's open data portal, release of 2021-04-13, dedicated to the public
domain under CC0 1.0 Universal.

Real data here, converted by tools/make_demo.py:
- stadsdelar.shp: the 117 stadsdelar, polygons as in the source; the
  stadsdelsområde columns come from the stadsdelsomraden table distributed
  with the same data; the codes are this project's own.
- vatten.gpkg: the city's water areas as in the source, grouped into
  Mälaren, Saltsjön and other lakes and streams by the rule in README.md,
  transformed to SWEREF 99 TM.
- organisation.csv: the two organisations of the stadsdelsomraden table.

Everything else in this folder is synthetic (see README.md): made by this
project and dedicated to the public domain under the same CC0 terms.

The licence text of the city's data follows.

----------------------------------------------------------------------------

"""


def write_licence(src: Source, out: Path) -> None:
    (out / "LICENSE-stockholm.txt").write_text(LICENSE_HEADER + src.licence, encoding="utf-8")


ORGANISATION_PERIODS = (
    ("2020-07-01", "2023-06-30"),  # 13 areas
    ("2023-07-01", ""),  # 11 areas, still in force
)


def write_organisation(src: Source, out: Path) -> None:
    rows = []
    for a in src.areas:
        rows.append([a.name, a.sdo13, a.sdo13_code, *ORGANISATION_PERIODS[0]])
    for a in src.areas:
        rows.append([a.name, a.sdo, a.sdo_code, *ORGANISATION_PERIODS[1]])
    write_csv(out / "organisation.csv", ["stadsdel", "sdo_namn", "sdo_kod", "giltig_fran", "giltig_till"], rows)


# Near-uninhabited stadsdelar (government, museum, industrial and nature
# areas): population held between 0 and 50.
UNINHABITED = {"RIDDARHOLMEN": 31, "SKEPPSHOLMEN": 44, "ULVSUNDA INDUSTRIOMR": 12, "FLATEN": 7}
# Populations of 2014 where land area says little (the inner city, large
# parks and special areas); rounded, plausible, not official figures.
POPULATION_2014 = {
    "SÖDERMALM": 90_000,
    "VASASTADEN": 58_000,
    "ÖSTERMALM": 50_000,
    "KUNGSHOLMEN": 32_000,
    "NORRMALM": 24_000,
    "STADSHAGEN": 16_000,
    "SÖDRA HAMMARBYHAMNEN": 15_000,
    "LADUGÅRDSGÄRDET": 14_000,
    "HJORTHAGEN": 8_000,
    "KRISTINEBERG": 7_000,
    "MARIEBERG": 7_000,
    "FREDHÄLL": 6_000,
    "STORA ESSINGEN": 4_500,
    "LILLA ESSINGEN": 4_000,
    "GAMLA STAN": 3_000,
    "REIMERSHOLME": 2_500,
    "NORRA DJURGÅRDEN": 2_600,
    "BROMMA KYRKA": 1_450,
    "ORHEM": 1_150,
    "DJURGÅRDEN": 820,
    "LÅNGHOLMEN": 430,
    "SKRUBBA": 340,
}
# Areas built out during the period (yearly growth).
GROWING = {"SÖDRA HAMMARBYHAMNEN": 0.045, "HJORTHAGEN": 0.07, "LILJEHOLMEN": 0.035, "ÅRSTA": 0.025, "VÄSTBERGA": 0.03}
CITY_TOTAL_2014 = 912_000
CITY_GROWTH = 0.0085
SUBURB_DENSITY = 4_300.0  # inhabitants per km² of land, at most 2.2 km² counted


def population(src: Source) -> dict[str, dict[int, int]]:
    """Synthetic population per stadsdel and year.

    Outside the inner city: land area (at most 2.2 km²) × a density with
    noise; in the inner city and a few special areas: POPULATION_2014 with
    noise. Each stadsdel grows at its own rate; the ordinary ones are scaled
    so that the city grows by CITY_GROWTH a year from CITY_TOTAL_2014.
    """
    r = rng("befolkning")
    base: dict[str, float] = {}
    growth: dict[str, float] = {}
    for a in src.areas:
        noise = float(np.exp(r.normal(0, 0.35)))
        if a.name in POPULATION_2014:
            base[a.name] = POPULATION_2014[a.name] * float(np.exp(r.normal(0, 0.08)))
        else:
            base[a.name] = min(a.land.area / 1e6, 2.2) * SUBURB_DENSITY * noise
        growth[a.name] = GROWING.get(a.name, float(r.normal(0.008, 0.005)))
    pop: dict[str, dict[int, float]] = {}
    for a in src.areas:
        series: dict[int, float] = {}
        for year in YEARS_POPULATION:
            if a.name in UNINHABITED:
                series[year] = min(50, max(0, UNINHABITED[a.name] + int(r.integers(-6, 7))))
            else:
                series[year] = base[a.name] * (1 + growth[a.name]) ** (year - 2014)
        pop[a.name] = series
    out: dict[str, dict[int, int]] = {n: {} for n in pop}
    for year in YEARS_POPULATION:
        target = CITY_TOTAL_2014 * (1 + CITY_GROWTH) ** (year - 2014)
        fixed = sum(pop[n][year] for n in UNINHABITED)
        k = (target - fixed) / sum(v[year] for n, v in pop.items() if n not in UNINHABITED)
        for n, v in pop.items():
            out[n][year] = int(v[year]) if n in UNINHABITED else round(v[year] * k)
    return out


def inhabited(pop: dict[str, dict[int, int]]) -> list[str]:
    """Stadsdelar with at least 1,000 inhabitants in every year: the ones surveys report."""
    return [n for n, s in pop.items() if min(s.values()) >= 1000]


def write_population(src: Source, pop: dict[str, dict[int, int]], out: Path) -> None:
    rows = [[a.name, year, pop[a.name][year]] for a in src.areas for year in YEARS_POPULATION]
    write_csv(out / "befolkning.csv", ["stadsdel", "ar", "folkmangd"], rows)


# -- 2. water: Mälaren and Saltsjön -------------------------------------------

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


# -- 3. flood zones along Mälaren (synthetic terrain) --------------------------

FLOOD_LEVELS = (1.5, 2.1, 2.7)  # m, RH 2000
SHORE_HEIGHT = 1.3  # terrain height at the water line, m RH 2000
CELL_M = 10.0  # terrain raster cell in SWEREF 99 TM
FLATNESS_SPACING_M = 700.0
FLOOD_DESCRIPTIONS = {
    1.5: "Land lägre än +1,5 m (RH 2000): ungefär Mälarens 100-årsnivå. Syntetisk terräng.",
    2.1: "Land lägre än +2,1 m (RH 2000): en mellannivå mellan 100-årsnivån och planeringsnivån. Syntetisk terräng.",
    2.7: (
        "Land lägre än +2,7 m (RH 2000): lägsta rekommenderade nivå för ny sammanhållen bebyggelse"
        " och viktiga samhällsfunktioner. Syntetisk terräng."
    ),
}


def smooth_field(r: np.random.Generator, bounds: tuple[float, float, float, float], spacing: float):
    """A smooth random field in [0, 1]: values on a lattice, interpolated with smoothstep weights."""
    x0, y0, x1, y1 = bounds
    nx, ny = int((x1 - x0) / spacing) + 3, int((y1 - y0) / spacing) + 3
    lattice = r.random((ny, nx))

    def at(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        fx, fy = (x - x0) / spacing, (y - y0) / spacing
        ix, iy = np.floor(fx).astype(int), np.floor(fy).astype(int)
        tx, ty = fx - ix, fy - iy
        tx, ty = tx * tx * (3 - 2 * tx), ty * ty * (3 - 2 * ty)
        a = lattice[iy, ix] * (1 - tx) + lattice[iy, ix + 1] * tx
        b = lattice[iy + 1, ix] * (1 - tx) + lattice[iy + 1, ix + 1] * tx
        return a * (1 - ty) + b * ty

    return at


def segments(geom: shapely.Geometry) -> np.ndarray:
    """The boundary of a (multi)polygon as two-point lines."""
    lines = []
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        c = shapely.get_coordinates(ring)
        lines.append(np.stack([c[:-1], c[1:]], axis=1))
    return shapely.linestrings(np.concatenate(lines))


FLATNESS_MIN, FLATNESS_RANGE = 5.0, 170.0  # metres of distance per metre of height


def flood_zones(src: Source, water: Water) -> dict[float, shapely.Geometry]:
    """Land below each level along Mälaren, in EPSG:3006, nested exactly.

    The terrain is synthetic: SHORE_HEIGHT at the Mälaren water line, rising
    with the distance d from it as d / L, where the flatness L (5–175 m per
    metre of height) varies smoothly across the city. It is evaluated at the
    centres of CELL_M cells; a level's zone is the union of the land cells
    (centre on land) below it, so each zone is a union of cells of the one
    grid and contains the lower zones exactly.
    """
    malaren, land = transform([water.malaren, src.land], 3011, 3006)
    r = rng("oversvamning")
    flatness = smooth_field(r, malaren.buffer(2_000).bounds, FLATNESS_SPACING_M)
    steepest = FLATNESS_MIN + FLATNESS_RANGE
    reach = (max(FLOOD_LEVELS) - SHORE_HEIGHT) * steepest + CELL_M
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
    height = SHORE_HEIGHT + distance(fx, fy) / (FLATNESS_MIN + FLATNESS_RANGE * flatness(fx, fy) ** 4)
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


# -- 4. dangerous-goods routes (synthetic paths along real roads) ----------------

# (route id, class, name, waypoints as (latitude, longitude)): approximate
# courses of real roads, smoothed between the waypoints. Routes run on a
# little beyond the municipal boundary, as county data does.
# fmt: off
ROUTES = [
    ("FG01", "primär", "E4", [
        (59.4370, 17.9300), (59.4180, 17.9460), (59.4050, 17.9560), (59.3920, 17.9700),
        (59.3800, 17.9880), (59.3700, 18.0000), (59.3600, 18.0180), (59.3520, 18.0320),
    ]),
    ("FG02", "primär", "Essingeleden", [
        (59.3520, 18.0320), (59.3455, 18.0250), (59.3405, 18.0120), (59.3360, 18.0010),
        (59.3300, 17.9930), (59.3250, 17.9890), (59.3195, 17.9895), (59.3140, 17.9980),
        (59.3090, 18.0080), (59.3055, 18.0140),
    ]),
    ("FG03", "primär", "E4/E20 Södertäljevägen", [
        (59.3055, 18.0140), (59.3010, 18.0100), (59.2960, 17.9980), (59.2915, 17.9800),
        (59.2870, 17.9620), (59.2820, 17.9450), (59.2770, 17.9300), (59.2700, 17.9170),
        (59.2620, 17.9060),
    ]),
    ("FG04", "primär", "E18 Enköpingsvägen", [
        (59.3960, 17.8600), (59.3962, 17.8860), (59.3935, 17.9100), (59.3905, 17.9350),
        (59.3880, 17.9600), (59.3800, 17.9820), (59.3700, 18.0000),
    ]),
    ("FG05", "primär", "73 Nynäsvägen", [
        (59.3030, 18.0790), (59.2960, 18.0830), (59.2870, 18.0850), (59.2770, 18.0820),
        (59.2660, 18.0800), (59.2560, 18.0820), (59.2460, 18.0880), (59.2360, 18.0950),
        (59.2260, 18.1050),
    ]),
    ("FG06", "primär", "222 Värmdöleden", [
        (59.3065, 18.0780), (59.3050, 18.0900), (59.3070, 18.1010), (59.3110, 18.1090),
        (59.3095, 18.1220), (59.3100, 18.1400), (59.3120, 18.1600),
    ]),
    ("FG07", "sekundär", "75 Södra länken", [
        (59.3055, 18.0140), (59.3020, 18.0300), (59.2990, 18.0480), (59.2995, 18.0650),
        (59.3010, 18.0800), (59.3040, 18.0950), (59.3060, 18.1120), (59.3095, 18.1220),
    ]),
    ("FG08", "sekundär", "E20 Norra länken", [
        (59.3520, 18.0320), (59.3515, 18.0450), (59.3520, 18.0600), (59.3545, 18.0750),
        (59.3560, 18.0900), (59.3530, 18.1050),
    ]),
    ("FG09", "sekundär", "275 Bergslagsvägen", [
        (59.3335, 17.9850), (59.3370, 17.9650), (59.3420, 17.9400), (59.3470, 17.9200),
        (59.3530, 17.9000), (59.3590, 17.8820), (59.3650, 17.8650), (59.3720, 17.8450),
        (59.3820, 17.8280),
    ]),
    ("FG10", "sekundär", "226 Huddingevägen", [
        (59.2990, 18.0480), (59.2920, 18.0420), (59.2840, 18.0330), (59.2770, 18.0230),
        (59.2680, 18.0140), (59.2580, 18.0040), (59.2480, 17.9950),
    ]),
    ("FG11", "sekundär", "229 Tyresövägen", [
        (59.2640, 18.0810), (59.2630, 18.0960), (59.2605, 18.1120), (59.2570, 18.1300),
        (59.2530, 18.1500), (59.2490, 18.1700),
    ]),
    ("FG12", "sekundär", "279 Ulvsundavägen", [
        (59.3335, 17.9850), (59.3410, 17.9840), (59.3490, 17.9830), (59.3570, 17.9800),
        (59.3650, 17.9760), (59.3720, 17.9720),
    ]),
    ("FG13", "sekundär", "Lidingövägen", [
        (59.3430, 18.0800), (59.3470, 18.0870), (59.3510, 18.0930), (59.3560, 18.0990),
        (59.3590, 18.1050),
    ]),
    ("FG14", "sekundär", "Drottningholmsvägen", [
        (59.3325, 18.0300), (59.3330, 18.0150), (59.3330, 18.0000), (59.3335, 17.9850),
        (59.3370, 17.9600), (59.3385, 17.9400), (59.3350, 17.9200), (59.3320, 17.9000),
    ]),
    ("FG15", "järnväg", "Stambanan genom Stockholm", [
        (59.3530, 18.0130), (59.3440, 18.0330), (59.3370, 18.0500), (59.3310, 18.0565),
        (59.3255, 18.0620), (59.3195, 18.0640), (59.3140, 18.0640), (59.3060, 18.0560),
        (59.3000, 18.0420), (59.2920, 18.0270), (59.2800, 18.0120), (59.2700, 18.0020),
        (59.2580, 17.9920),
    ]),
]
# fmt: on


def catmull_rom(points: np.ndarray, steps: int = 24) -> np.ndarray:
    """A smooth curve through the points (centripetal-free, uniform Catmull-Rom)."""
    p = np.vstack([2 * points[0] - points[1], points, 2 * points[-1] - points[-2]])
    out = []
    t = np.linspace(0, 1, steps, endpoint=False)[:, None]
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        out.append(
            0.5
            * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3)
        )
    out.append(points[-1:])
    return np.vstack(out)


def resample(line: shapely.LineString, r: np.random.Generator, lo: float, hi: float) -> shapely.LineString:
    """Vertices at irregular spacing between lo and hi metres, as digitised roads have."""
    length = line.length
    at = [0.0]
    while at[-1] < length:
        at.append(at[-1] + float(r.uniform(lo, hi)))
    at[-1] = length
    return shapely.LineString(shapely.get_coordinates(shapely.line_interpolate_point(line, at)))


@dataclass
class Route:
    route_id: str
    klass: str
    name: str
    line: shapely.LineString  # EPSG:3011


def routes() -> list[Route]:
    r = rng("farligt_gods")
    out = []
    for rid, klass, name, waypoints in ROUTES:
        lonlat = [shapely.Point(lon, lat) for lat, lon in waypoints]
        pts = shapely.get_coordinates(transform(lonlat, 4326, 3011))
        smooth = shapely.LineString(catmull_rom(pts))
        spacing = (25.0, 60.0) if klass == "järnväg" else (12.0, 45.0)
        out.append(Route(rid, klass, name, resample(smooth, r, *spacing)))
    return out


def write_routes(rs: list[Route], out: Path) -> None:
    layer = from_shapely(
        [x.line for x in rs],
        {"route_id": [x.route_id for x in rs], "klass": [x.klass for x in rs], "namn": [x.name for x in rs]},
        3011,
        "farligt_gods",
    )
    layer.write(out / "farligt_gods.geojson")


# -- sampling points on land ---------------------------------------------------

SHORE_MARGIN_M = 2.0  # sampled points keep this far from water


class Land:
    """Rejection sampling of points on the land of a stadsdel or near a place (EPSG:3011)."""

    def __init__(self, src: Source) -> None:
        self.src = src
        self.by_name = {a.name: a for a in src.areas}
        for a in src.areas:
            shapely.prepare(a.land)
        self.land = src.land
        shapely.prepare(self.land)
        self.water = shapely.union_all(src.water_parts)
        shapely.prepare(self.water)
        self.tree = shapely.STRtree([a.land for a in src.areas])
        self.centre = {a.name: a.land.representative_point() for a in src.areas}

    def ok(self, x: np.ndarray, y: np.ndarray, within: shapely.Geometry | None = None) -> np.ndarray:
        """Points on land (inside ``within`` if given), not within SHORE_MARGIN_M of water."""
        keep = shapely.contains_xy(within if within is not None else self.land, x, y)
        if keep.any():
            pts = shapely.points(x[keep], y[keep])
            keep[keep] = ~shapely.dwithin(self.water, pts, SHORE_MARGIN_M)
        return keep

    def sample(
        self,
        r: np.random.Generator,
        n: int,
        within: shapely.Geometry,
        centre: tuple[float, float] | None = None,
        sigma: float | None = None,
        decimals: int = 1,
        max_rounds: int = 500,
    ) -> np.ndarray:
        """n points in ``within`` (already prepared), uniform or Gaussian around ``centre``."""
        out = np.empty((0, 2))
        x0, y0, x1, y1 = within.bounds
        tries = 0
        while len(out) < n:
            m = max(64, 4 * (n - len(out)))
            if centre is None:
                x, y = r.uniform(x0, x1, m), r.uniform(y0, y1, m)
            else:
                x, y = r.normal(centre[0], sigma, m), r.normal(centre[1], sigma, m)
            x, y = np.round(x, decimals), np.round(y, decimals)
            keep = self.ok(x, y, within)
            out = np.vstack([out, np.column_stack([x[keep], y[keep]])])
            tries += 1
            if tries > max_rounds:
                raise RuntimeError(f"cannot place {n} points in the area around {centre}")
        return out[:n]

    def near(self, r: np.random.Generator, within: shapely.Geometry, xy: tuple[float, float]) -> tuple[float, float]:
        """A point of ``within`` as near ``xy`` as sampling finds (for places given roughly)."""
        if self.ok(np.array([round(xy[0], 1)]), np.array([round(xy[1], 1)]), within)[0]:
            return round(xy[0], 1), round(xy[1], 1)
        for sigma in (60.0, 150.0, 400.0, 1000.0):
            try:
                p = self.sample(r, 1, within, xy, sigma, max_rounds=20)[0]
                return float(p[0]), float(p[1])
            except RuntimeError:
                continue
        p = self.sample(r, 1, within)[0]
        return float(p[0]), float(p[1])

    def area_of(self, x: np.ndarray, y: np.ndarray) -> list[str | None]:
        """The stadsdel each point lies in (None outside the land)."""
        idx = self.tree.query(shapely.points(x, y), predicate="within")
        names: list[str | None] = [None] * len(x)
        for p, a in idx.T:
            names[p] = self.src.areas[a].name
        return names


# -- 5. samhällsviktig verksamhet (synthetic) -------------------------------------

FLOWERS = (
    "Solrosen Myran Ekorren Blåklockan Lärkan Humlan Nyckelpigan Regnbågen Sjöstjärnan Vitsippan "
    "Kastanjen Linden Björken Eken Rönnen Tallen Måsen Ugglan Räven Igelkotten Snigeln Fjärilen "
    "Trollet Tomtebo Kotten Mossen Stjärnan Månen Solen Molnet Droppen Pärlan Skatten Äventyret "
    "Lyktan Ängen Gläntan Backen Hagen Stigen Bäcken Viken Holmen Udden Lunden Dungen Skogsbrynet "
    "Gungan Karusellen Pusslet Klossen Penseln Kritan Sagan Visan Melodin Fröet Knoppen Blomman "
    "Bladet Grenen Rosen Tulpanen Liljan Vallmon Prästkragen Maskrosen Smörblomman Klövern "
    "Lingonet Blåbäret Hallonet Smultronet Äpplet Päronet Körsbäret Snäckan Vågen Fyren Ankaret "
    "Seglet Båten Bryggan Vindrosen Kompassen Bikupan Fågelboet Kojan Slottet Tornet Bron"
).split()
SCHOOL_PREFIXES = (
    "Björk Ek Lind Sjö Solberga Ängs Berg Dal Hag Lund Mälar Strand Sol Tall Gran Backa Kvarn Hov "
    "Kyrk Torp Vik Ros Ljung Hassel Al Asp Alm Rönn Lönn Hav Fjärd Udd Näs Holm Ö Vass Klipp Sten "
    "Gärdes Engelbrekts Vasa Katarina Sofia Maria Adolf Fredriks Gustav Johannes Klara Oscars"
).split()
HOME_PREFIXES = (
    "Sol Lind Ek Björk Rosen Ljung Hav Sjö Berg Dal Lärk Trast Svan Hägg Syren Fläder Kastanj "
    "Magnolia Vinter Sommar Höst Vår Aftonstjärne Morgon Kvälls Mälar Ängs Äppel Körsbärs"
).split()
HOME_SUFFIXES = ("gården", "hemmet", "hemmet", "gården", "backen", "lunden")
STREETS = (
    "Lärkvägen Trastvägen Svalvägen Mejsegränd Björkgatan Ekbacken Lindvägen Rönnvägen Tallstigen "
    "Granvägen Askvägen Almvägen Hasselgränd Syrenvägen Rosenvägen Liljegatan Klövervägen "
    "Ängsvägen Hagvägen Backstigen Dalgatan Sjövägen Strandvägen Bryggargatan Smedjegatan "
    "Skolvägen Kyrkvägen Torpvägen Gårdsvägen Parkvägen"
).split()
PHARMACY_NAMES = "Svanen Lejonet Kronan Ugglan Enhörningen Hjorten Örnen Näckrosen Vasen Korpen Fenix Tranan".split()
SHOP_CHAINS = ("ICA Nära", "ICA Supermarket", "Coop", "Coop", "Hemköp", "Willys", "Lidl", "Tempo")
FUEL_CHAINS = ("Circle K", "Preem", "OKQ8", "St1", "Ingo")

# (kategori, sektor, count, capacity range or None, placement)
FACILITY_KINDS = (
    ("förskola", "Utbildning", 640, (35, 150), "pop"),
    ("skola", "Utbildning", 215, (150, 950), "pop"),
    ("gymnasieskola", "Utbildning", 55, (250, 1400), "centre"),
    ("äldreboende", "Omsorg", 88, (30, 140), "pop"),
    ("LSS-boende", "Omsorg", 70, (4, 6), "pop"),
    ("vårdcentral", "Hälso- och sjukvård", 125, (5_000, 24_000), "centre"),
    ("apotek", "Hälso- och sjukvård", 95, None, "centre"),
    ("sjukhus", "Hälso- och sjukvård", 7, (60, 650), "fixed"),
    ("vattenreservoar", "Teknisk försörjning", 9, None, "area"),
    ("avloppsreningsverk", "Teknisk försörjning", 1, None, "fixed"),
    ("avloppspumpstation", "Teknisk försörjning", 38, None, "shore"),
    ("elnätstation", "Energiförsörjning", 62, None, "area"),
    ("fjärrvärmeverk", "Energiförsörjning", 5, None, "fixed"),
    ("drivmedelsstation", "Energiförsörjning", 66, None, "route"),
    ("telestation", "Elektroniska kommunikationer", 36, None, "area"),
    ("brandstation", "Skydd och säkerhet", 10, None, "named"),
    ("polisstation", "Skydd och säkerhet", 9, None, "named"),
    ("livsmedelsbutik", "Livsmedel", 325, None, "centre"),
    ("bussdepå", "Transporter", 9, None, "area"),
)
# Real places, approximately: (name, latitude, longitude, stadsdel).
FIXED_FACILITIES = {
    "sjukhus": [
        ("Södersjukhuset", 59.3100, 18.0520, "SÖDERMALM"),
        ("S:t Görans sjukhus", 59.3375, 18.0190, "STADSHAGEN"),
        ("Ersta sjukhus", 59.3150, 18.0860, "SÖDERMALM"),
        ("Sophiahemmet", 59.3470, 18.0690, "NORRA DJURGÅRDEN"),
        ("Stockholms sjukhem", 59.3300, 18.0240, "KUNGSHOLMEN"),
        ("Sabbatsbergs sjukhus", 59.3390, 18.0470, "VASASTADEN"),
        ("Dalens sjukhus", 59.2870, 18.0880, "ENSKEDEDALEN"),
    ],
    "avloppsreningsverk": [("Bromma reningsverk", 59.3380, 17.9270, "NOCKEBYHOV")],
    "fjärrvärmeverk": [
        ("Värtaverket", 59.3520, 18.1030, "HJORTHAGEN"),
        ("Hässelbyverket", 59.3640, 17.8330, "HÄSSELBY STRAND"),
        ("Högdalenverket", 59.2620, 18.0480, "HÖGDALEN"),
        ("Akalla värmeverk", 59.4170, 17.9050, "AKALLA"),
        ("Hammarbyverket", 59.3030, 18.1060, "SÖDRA HAMMARBYHAMNEN"),
    ],
}
NAMED_STATIONS = {
    "brandstation": [
        "KUNGSHOLMEN",
        "ÖSTERMALM",
        "SÖDERMALM",
        "JOHANNESHOV",
        "LILJEHOLMEN",
        "SKÄRHOLMEN",
        "FARSTA",
        "VÄLLINGBY",
        "KISTA",
        "BROMMA KYRKA",
    ],
    "polisstation": [
        "KUNGSHOLMEN",
        "NORRMALM",
        "SÖDERMALM",
        "ÖSTERMALM",
        "FARSTA",
        "SKÄRHOLMEN",
        "VÄLLINGBY",
        "RINKEBY",
        "JOHANNESHOV",
    ],
}
# Real centres (latitude, longitude, stadsdel): facilities and incidents cluster there.
CENTRES = {
    "Sergels torg": (59.3324, 18.0641, "NORRMALM"),
    "Medborgarplatsen": (59.3143, 18.0737, "SÖDERMALM"),
    "Fridhemsplan": (59.3322, 18.0290, "KUNGSHOLMEN"),
    "Kista centrum": (59.4028, 17.9441, "KISTA"),
    "Skärholmen centrum": (59.2768, 17.9070, "SKÄRHOLMEN"),
    "Farsta centrum": (59.2434, 18.0924, "FARSTA"),
    "Vällingby centrum": (59.3633, 17.8722, "VÄLLINGBY"),
    "Högdalen centrum": (59.2636, 18.0430, "HÖGDALEN"),
    "Fruängen centrum": (59.2856, 17.9650, "FRUÄNGEN"),
    "Rinkeby torg": (59.3880, 17.9286, "RINKEBY"),
    "Tensta centrum": (59.3944, 17.9010, "TENSTA"),
    "Liljeholmstorget": (59.3100, 18.0230, "LILJEHOLMEN"),
    "Gullmarsplan": (59.2990, 18.0810, "JOHANNESHOV"),
    "Älvsjö centrum": (59.2785, 18.0105, "ÄLVSJÖ"),
}
# Shares of schools, preschools and care homes placed on purpose near a
# dangerous-goods route (20–140 m) and inside the +2.7 m flood zone.
NEAR_ROUTE_SHARE = 0.07
IN_FLOOD_SHARE = 0.04
NEAR_ROUTE_KINDS = ("förskola", "skola", "äldreboende")


def area_centres(src: Source, land: Land) -> dict[str, tuple[float, float]]:
    """The centre of each stadsdel: its real centrum where CENTRES has one, else a point inside its land."""
    centres = {n: (p.x, p.y) for n, p in land.centre.items()}
    names = list(CENTRES)
    pts = transform([shapely.Point(CENTRES[n][1], CENTRES[n][0]) for n in names], 4326, 3011)
    for n, p in zip(names, pts, strict=True):
        area = land.by_name[CENTRES[n][2]]
        assert area.whole.contains(p), f"{n} is not in {area.name}"
        centres[area.name] = (p.x, p.y)
    return centres


@dataclass
class Facility:
    kategori: str
    sektor: str
    namn: str
    kapacitet: int | None
    x: float
    y: float
    stadsdel: str


class Namer:
    """Names for facilities: unique within the file, preschools unique within their stadsdel."""

    def __init__(self, r: np.random.Generator) -> None:
        self.r = r
        self.used: set[str] = set()
        self.schools_in: dict[str, int] = {}

    def pick(self, options: list[str], scope: str = "") -> str:
        for _ in range(60):
            name = options[int(self.r.integers(len(options)))]
            if (scope, name) not in self.used:
                self.used.add((scope, name))
                return name
        # All taken: the same names with a part of town.
        for part in ("norra", "södra", "östra", "västra", "centrum", "2", "3", "4", "5", "6"):
            free = [f"{o} {part}" for o in options if (scope, f"{o} {part}") not in self.used]
            if free:
                name = free[int(self.r.integers(len(free)))]
                self.used.add((scope, name))
                return name
        raise RuntimeError(f"ran out of names like {options[0]!r}")

    def name(self, kategori: str, area: str) -> str:
        t = title(area)
        if kategori == "förskola":
            return self.pick([f"Förskolan {f}" for f in FLOWERS], scope=area)
        if kategori == "skola":
            k = self.schools_in.get(area, 0)
            self.schools_in[area] = k + 1
            # Vårbergsskolan, Kistaskolan; but Aspuddens skola, Farsta strands skola.
            plain = " " not in t and not t.endswith(("en", "et"))
            own = compound(t, "skolan") if plain else f"{genitive(t)} skola"
            if k == 0 and ("", own) not in self.used:
                self.used.add(("", own))
                return own
            return self.pick([f"{p}skolan" for p in SCHOOL_PREFIXES])
        if kategori == "gymnasieskola":
            return self.pick(
                [f"{p}gymnasiet" for p in SCHOOL_PREFIXES] + [f"{genitive(t)} gymnasium", f"Gymnasieskolan {t}"]
            )
        if kategori == "äldreboende":
            opts = [f"{p}{s}" for p in HOME_PREFIXES for s in HOME_SUFFIXES]
            opts += [f"Vård- och omsorgsboendet {p}{s}" for p in HOME_PREFIXES for s in HOME_SUFFIXES[:2]]
            return self.pick(opts)
        if kategori == "LSS-boende":
            return self.pick([f"Gruppbostaden {s}" for s in STREETS] + [f"Gruppbostaden {s}, {t}" for s in STREETS])
        if kategori == "vårdcentral":
            return self.pick(
                [
                    f"Vårdcentral {t}",
                    f"{t} vårdcentral",
                    f"Husläkarmottagningen {t}",
                    f"Familjeläkarna {t}",
                    f"Vårdcentralen {t} centrum",
                    f"Närakuten {t}",
                ]
            )
        if kategori == "apotek":
            return self.pick([f"Apoteket {p}" for p in PHARMACY_NAMES] + [f"Apoteket {p} {t}" for p in PHARMACY_NAMES])
        if kategori == "vattenreservoar":
            return self.pick([f"Vattenreservoar {t}", f"Vattentornet {t}"])
        if kategori == "avloppspumpstation":
            return self.pick([f"Pumpstation {t} {i}" for i in range(1, 9)])
        if kategori == "elnätstation":
            return self.pick(
                [f"Fördelningsstation {t}", f"Mottagningsstation {t}"] + [f"Nätstation {t} {i}" for i in range(1, 6)]
            )
        if kategori == "drivmedelsstation":
            return self.pick([f"{c} {t}" for c in FUEL_CHAINS])
        if kategori == "telestation":
            return self.pick([f"Telestation {t}", f"Telestation {t} södra", f"Telestation {t} norra", f"Radiomast {t}"])
        if kategori in ("brandstation", "polisstation"):
            return self.pick([f"{kategori.capitalize()} {t}"])
        if kategori == "livsmedelsbutik":
            return self.pick(
                [f"{c} {t}" for c in SHOP_CHAINS]
                + [f"{c} {t} centrum" for c in SHOP_CHAINS]
                + [f"{c} {s}" for c in SHOP_CHAINS[:3] for s in STREETS]
            )
        if kategori == "bussdepå":
            return self.pick([f"Bussdepå {t}", f"Bussgarage {t}"])
        raise ValueError(kategori)


def facilities(
    src: Source,
    land: Land,
    pop: dict[str, dict[int, int]],
    rs: list[Route],
    zones_3011: dict[float, shapely.Geometry],
) -> list[Facility]:
    r = rng("samhallsviktig_verksamhet")
    namer = Namer(r)
    centres = area_centres(src, land)
    names = [a.name for a in src.areas]
    people = np.array([pop[n][2025] for n in names], dtype=float)
    by_pop = people / people.sum()
    km2 = np.array([land.by_name[n].land.area for n in names])
    by_area = km2 / km2.sum()
    roads = [x.line for x in rs if x.klass != "järnväg"]
    every = [x.line for x in rs]
    flood = zones_3011[max(FLOOD_LEVELS)]
    shapely.prepare(flood)
    water_lines = shapely.get_parts(shapely.boundary(land.water))
    out: list[Facility] = []

    def add(
        kategori: str, sektor: str, cap: tuple[int, int] | None, x: float, y: float, area: str, name: str | None = None
    ) -> None:
        kap = None if cap is None else int(r.integers(cap[0], cap[1] + 1))
        if kategori == "förskola":
            kap = int(round(kap / 5) * 5)
        out.append(Facility(kategori, sektor, name or namer.name(kategori, area), kap, x, y, area))

    def near_line(lines: list[shapely.Geometry], lo: float, hi: float) -> tuple[float, float, str]:
        """A point on land in the city between lo and hi metres from one of the lines."""
        while True:
            line = lines[int(r.integers(len(lines)))]
            p = line.interpolate(float(r.uniform(0, line.length)))
            ang = r.uniform(0, 2 * math.pi)
            dist = r.uniform(lo, hi)
            x, y = round(p.x + dist * math.cos(ang), 1), round(p.y + dist * math.sin(ang), 1)
            d = min(shapely.distance(shapely.Point(x, y), g) for g in lines)
            if lo <= d <= hi and land.ok(np.array([x]), np.array([y]))[0]:
                area = land.area_of(np.array([x]), np.array([y]))[0]
                if area is not None and pop[area][2025] >= 1000:
                    return x, y, area

    def in_area(area: str, spread: float) -> tuple[float, float]:
        a = land.by_name[area]
        if spread <= 0:
            p = land.sample(r, 1, a.land)[0]
        else:
            sigma = spread * math.sqrt(a.land.area)
            p = land.sample(r, 1, a.land, centres[area], sigma)[0]
        return float(p[0]), float(p[1])

    for kategori, sektor, count, cap, placement in FACILITY_KINDS:
        n_route = n_flood = 0
        if kategori in NEAR_ROUTE_KINDS:
            n_route = round(count * NEAR_ROUTE_SHARE)
            n_flood = round(count * IN_FLOOD_SHARE)
        for _ in range(n_route):
            x, y, area = near_line(every, 20.0, 140.0)
            add(kategori, sektor, cap, x, y, area)
        for _ in range(n_flood):
            area = None
            while area is None or pop[area][2025] < 1000:
                p = land.sample(r, 1, flood)[0]
                area = land.area_of(p[:1], p[1:])[0]
            add(kategori, sektor, cap, float(p[0]), float(p[1]), area)
        rest = count - n_route - n_flood
        if placement == "fixed":
            for name, lat, lon, area in FIXED_FACILITIES[kategori]:
                p = transform([shapely.Point(lon, lat)], 4326, 3011)[0]
                x, y = land.near(r, land.by_name[area].land, (p.x, p.y))
                add(kategori, sektor, cap, x, y, area, name)
            continue
        if placement == "named":
            for area in NAMED_STATIONS[kategori]:
                add(kategori, sektor, cap, *in_area(area, 0.08), area)
            continue
        for _ in range(rest):
            if placement == "route":
                x, y, area = near_line(roads, 15.0, 300.0)
                add(kategori, sektor, cap, x, y, area)
                continue
            if placement == "shore":
                while True:
                    line = water_lines[int(r.integers(len(water_lines)))]
                    p = line.interpolate(float(r.uniform(0, line.length)))
                    q = land.sample(r, 1, land.land, (p.x, p.y), 25.0)[0]
                    area = land.area_of(q[:1], q[1:])[0]
                    if area is not None:
                        break
                add(kategori, sektor, cap, float(q[0]), float(q[1]), area)
                continue
            weights = by_area if placement == "area" else by_pop
            area = names[int(r.choice(len(names), p=weights))]
            spread = {"pop": 0.3, "centre": 0.12, "area": 0.0}[placement]
            add(kategori, sektor, cap, *in_area(area, spread), area)
    return out


def write_facilities(fs: list[Facility], out: Path) -> None:
    layer = from_shapely([shapely.Point(f.x, f.y) for f in fs], {}, 3011, "points").to_crs(4326)
    lonlat = shapely.get_coordinates(to_shapely(layer))
    rows = []
    for i, (f, (lon, lat)) in enumerate(zip(fs, lonlat, strict=True), 1):
        rows.append(
            [
                i,
                f.namn,
                f.kategori,
                f.sektor,
                "" if f.kapacitet is None else f.kapacitet,
                dec(lon, 6, comma=True),
                dec(lat, 6, comma=True),
            ]
        )
    write_csv(
        out / "samhallsviktig_verksamhet.csv",
        ["id", "namn", "kategori", "sektor", "kapacitet", "lon", "lat"],
        rows,
        sep=";",
    )


# -- 6. the latent safety factor, trygghetsmätning ----------------------------------

# The planted signals: stadsdelar whose situation clearly worsens or improves
# from 2014 to 2025, in the surveys and in the incidents alike.
WORSENING = ("HÖGDALEN", "FRUÄNGEN", "VÄLLINGBY")
IMPROVING = ("RINKEBY", "TENSTA", "BAGARMOSSEN")
TREND = 2.6  # change of the latent factor from 2014 to 2025
# Incident hotspots (centres from CENTRES) and their share of all incidents.
HOTSPOTS = {
    "Sergels torg": (0.050, 220.0),
    "Medborgarplatsen": (0.030, 200.0),
    "Fridhemsplan": (0.015, 180.0),
    "Kista centrum": (0.020, 200.0),
    "Skärholmen centrum": (0.025, 180.0),
    "Farsta centrum": (0.020, 180.0),
    "Vällingby centrum": (0.020, 180.0),
}


def latent(src: Source, land: Land) -> dict[str, dict[int, float]]:
    """The one unobserved factor behind both the surveys and the incidents, per stadsdel and year.

    A smooth field over the city plus noise per stadsdel; the hotspots' stadsdelar
    higher; the planted stadsdelar trending by ±TREND from 2014 to 2025 (the
    improving ones start high).
    """
    r = rng("latent")
    field = smooth_field(r, src.city.buffer(3_000).bounds, 4_000.0)
    hot = {CENTRES[h][2] for h in HOTSPOTS}
    z: dict[str, dict[int, float]] = {}
    for a in src.areas:
        c = land.centre[a.name]
        base = 1.6 * (float(field(np.array([c.x]), np.array([c.y]))[0]) - 0.5) + float(r.normal(0, 0.55))
        if a.name in hot:
            base += 0.7
        if a.name in IMPROVING:
            base += 1.0
        slope = TREND if a.name in WORSENING else -TREND if a.name in IMPROVING else 0.0
        z[a.name] = {y: base + slope * (y - 2014) / 11 for y in range(2014, 2026)}
    return z


def expit(v: float) -> float:
    return 1 / (1 + math.exp(-v))


# indicator: (unit, intercept, slope on the latent factor)
CITY_INDICATORS = {
    "oro_brott": (-0.85, 0.40),
    "otrygg_kvall": (-1.35, 0.60),
    "ordningsstorningar": (-1.55, 0.70),
    "utsatt_brott": (-2.25, 0.35),
}
POLICE_INDICATORS = {"otrygg_kvall": (-1.25, 0.60), "oro_brott": (-0.75, 0.40)}


def survey(src: Source, pop: dict[str, dict[int, int]], z: dict[str, dict[int, float]]) -> list[list]:
    """Survey results per inhabited stadsdel: shares drawn as binomial counts of the respondents."""
    r = rng("trygghetsmatning")
    rows: list[list] = []
    areas = [a.name for a in src.areas if a.name in set(inhabited(pop))]
    for year in YEARS_CITY_SURVEY:
        for name in areas:
            n = int(round((120 + pop[name][year] * 0.012) * r.uniform(0.8, 1.2)))
            for ind, (a, b) in CITY_INDICATORS.items():
                p = expit(a + b * z[name][year] + r.normal(0, 0.08))
                rows.append(["stadens trygghetsmätning", year, name, ind, dec(r.binomial(n, p) / n, 3), n])
    for year in YEARS_POLICE_SURVEY:
        for name in areas:
            n = int(round((50 + pop[name][year] * 0.005) * r.uniform(0.75, 1.25)))
            index = 1.6 + 0.55 * z[name][year] + r.normal(0, 0.12 / math.sqrt(n / 40))
            rows.append(["polisens trygghetsmätning", year, name, "problemindex", dec(min(6.0, max(0.0, index)), 2), n])
            for ind, (a, b) in POLICE_INDICATORS.items():
                p = expit(a + b * z[name][year] + r.normal(0, 0.08))
                rows.append(["polisens trygghetsmätning", year, name, ind, dec(r.binomial(n, p) / n, 3), n])
    return rows


def write_survey(rows: list[list], out: Path) -> None:
    write_csv(out / "trygghetsmatning.csv", ["kalla", "ar", "stadsdel", "indikator", "varde", "respondenter"], rows)


# -- 7. händelser (synthetic incidents) ------------------------------------------

# tema: (share, [(typ, share)], P(allvarlig händelse), P(extraordinär händelse))
THEMES = {
    "brott": (
        0.36,
        [
            ("stöld", 0.33),
            ("inbrott", 0.12),
            ("misshandel", 0.14),
            ("rån", 0.05),
            ("narkotikabrott", 0.16),
            ("bedrägeri", 0.08),
            ("olaga hot", 0.12),
        ],
        0.050,
        0.0004,
    ),
    "skadegörelse": (0.24, [("klotter", 0.45), ("krossad ruta", 0.25), ("vandalisering", 0.30)], 0.015, 0.0001),
    "olycka": (
        0.20,
        [("fallolycka", 0.45), ("trafikolycka", 0.30), ("arbetsplatsolycka", 0.15), ("vattenskada", 0.10)],
        0.060,
        0.0005,
    ),
    "hot och våld mot personal": (
        0.12,
        [("hot mot personal", 0.55), ("våld mot personal", 0.30), ("trakasserier", 0.15)],
        0.070,
        0.0003,
    ),
    "brand": (
        0.08,
        [
            ("brand i byggnad", 0.25),
            ("brand i fordon", 0.20),
            ("brand utomhus", 0.30),
            ("anlagd brand", 0.15),
            ("containerbrand", 0.10),
        ],
        0.120,
        0.0020,
    ),
}
# Yearly incidents per 1,000 inhabitants in 2021, times exp(0.6 z - 0.3) for
# the latent factor z: about 22 on average over the city.
INCIDENTS_PER_1000 = 24.0
INCIDENT_GROWTH = 0.03  # a year
MONTH_WEIGHTS = (0.86, 0.80, 0.90, 0.95, 1.05, 1.10, 1.08, 1.05, 1.06, 1.02, 0.96, 1.02)


def incidents(src: Source, land: Land, pop: dict[str, dict[int, int]], z: dict[str, dict[int, float]]) -> pl.DataFrame:
    r = rng("handelser")
    centres = area_centres(src, land)
    hot_xy = dict(
        zip(
            HOTSPOTS,
            transform([shapely.Point(CENTRES[h][1], CENTRES[h][0]) for h in HOTSPOTS], 4326, 3011),
            strict=True,
        )
    )
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    years: list[np.ndarray] = []
    for year in YEARS_INCIDENTS:
        growth = (1 + INCIDENT_GROWTH) ** (year - 2021)
        base_total = 0.0
        for a in src.areas:
            lam = pop[a.name][year] / 1000 * INCIDENTS_PER_1000 * growth * math.exp(0.6 * z[a.name][year] - 0.3)
            n = int(r.poisson(lam))
            base_total += n
            if n == 0:
                continue
            n_centre = int(r.binomial(n, 0.55))
            sigma = 0.35 * math.sqrt(a.land.area)
            pts = [land.sample(r, n_centre, a.land, centres[a.name], sigma), land.sample(r, n - n_centre, a.land)]
            for p in pts:
                xs.append(p[:, 0])
                ys.append(p[:, 1])
                years.append(np.full(len(p), year))
        hot_share = sum(s for s, _ in HOTSPOTS.values())
        for h, (share, sigma) in HOTSPOTS.items():
            n = int(r.poisson(base_total * share / (1 - hot_share)))
            c = hot_xy[h]
            p = land.sample(r, n, land.land, (c.x, c.y), sigma)
            xs.append(p[:, 0])
            ys.append(p[:, 1])
            years.append(np.full(len(p), year))
    x, y, yr = np.concatenate(xs), np.concatenate(ys), np.concatenate(years)
    n = len(x)
    # Dates: a day of the year, months weighted by season.
    days = np.empty(n, dtype="datetime64[D]")
    for year in YEARS_INCIDENTS:
        sel = yr == year
        start = np.datetime64(f"{year}-01-01")
        ndays = int((np.datetime64(f"{year + 1}-01-01") - start).astype(int))
        months = (start + np.arange(ndays)).astype("datetime64[M]").astype(int) % 12
        w = np.array(MONTH_WEIGHTS)[months]
        days[sel] = start + r.choice(ndays, size=int(sel.sum()), p=w / w.sum())
    themes = list(THEMES)
    theme_idx = r.choice(len(themes), size=n, p=[THEMES[t][0] for t in themes])
    typ = np.empty(n, dtype=object)
    sev = np.empty(n, dtype=object)
    for k, t in enumerate(themes):
        sel = theme_idx == k
        kinds = THEMES[t][1]
        typ[sel] = np.array([kk for kk, _ in kinds], dtype=object)[
            r.choice(len(kinds), size=int(sel.sum()), p=[w for _, w in kinds])
        ]
        p_serious, p_extra = THEMES[t][2], THEMES[t][3]
        u = r.random(int(sel.sum()))
        sev[sel] = np.where(
            u < p_extra, "extraordinär händelse", np.where(u < p_extra + p_serious, "allvarlig händelse", "störning")
        )
    order = np.lexsort((y, x, days))
    df = pl.DataFrame(
        {
            "handelse_id": np.arange(1, n + 1, dtype=np.int64),
            "datum": days[order],
            "typ": typ[order].tolist(),
            "tema": np.array(themes, dtype=object)[theme_idx[order]].tolist(),
            "allvarlighet": sev[order].tolist(),
            "x": x[order],
            "y": y[order],
        }
    )
    return df.with_columns(pl.col("datum").cast(pl.Date))


def write_incidents(df: pl.DataFrame, out: Path) -> None:
    wkb = shapely.to_wkb(shapely.points(df["x"].to_numpy(), df["y"].to_numpy()), byte_order=1, flavor="iso")
    frame = df.drop("x", "y").with_columns(pl.Series("geometry", list(wkb), dtype=pl.Binary))
    layer = lb.Layer.from_polars(frame, geometry="geometry", crs=3011, name="handelser")
    layer.write(out / "handelser.parquet")


# -- 8. RSA risk register (synthetic) ---------------------------------------------

# (risk, likelihood, consequence, description, who: "sdn", "all", or nämnder)
# fmt: off
RISKS = (
    ("Långvarigt elavbrott", 2, 4,
     "Elavbrott i mer än ett dygn i {area} slår ut hissar, larm, värme och kommunikation i {verksamhet}.", "all"),
    ("Störning i dricksvattenförsörjningen", 2, 4,
     "Förorenat eller uteblivet dricksvatten påverkar {verksamhet}; nödvatten behöver delas ut.", "all"),
    ("IT-attack mot verksamhetssystem", 3, 4,
     "Ett angrepp med utpressningsprogram stänger verksamhetssystemen för {verksamhet} i flera dagar.", "all"),
    ("Pandemi och hög sjukfrånvaro", 2, 4,
     "Smittspridning ger hög sjukfrånvaro bland personalen och ökad belastning på {verksamhet}.", "all"),
    ("Värmebölja", 3, 3,
     "Långvarig värme med över 30 grader påverkar äldre och sjuka i {verksamhet}.", "all"),
    ("Personalbrist i nyckelfunktioner", 3, 3,
     "Svårt att bemanna nyckelfunktioner i {verksamhet} under sommar och vid kris.", "all"),
    ("Avbrott i fjärrvärmeleveransen", 2, 3,
     "Kallt inomhus i {verksamhet} vid avbrott i fjärrvärmen under vintern.", "sdn"),
    ("Skyfall och översvämmade källare", 3, 3,
     "Kraftiga skyfall svämmar över lågpunkter och källare i {area}.", "sdn"),
    ("Brand i vård- och omsorgsboende", 2, 4,
     "Brand i ett boende i {area} kräver utrymning av personer med nedsatt rörlighet.", "sdn"),
    ("Hot och våld mot personal", 4, 2,
     "Hot och våld mot personal i {verksamhet}, främst i mötet med enskilda.", "sdn"),
    ("Social oro och upplopp", 2, 3,
     "Social oro med bränder och stenkastning i {area} påverkar personal och verksamheter.", "sdn"),
    ("Skjutningar och sprängningar", 2, 4,
     "Grovt våld i offentlig miljö i {area} skapar otrygghet och kräver samverkan med polisen.", "sdn"),
    ("Störning i livsmedelsförsörjningen", 2, 3,
     "Uteblivna leveranser till tillagningskök i {area} påverkar måltider i skolor och boenden.", "sdn"),
    ("Högt vattenstånd i Mälaren", 2, 4,
     "Högt vattenstånd i Mälaren sätter låglänt mark längs stränderna i {area} under vatten.", "malaren"),
    ("Olycka med farligt gods", 1, 5,
     "Olycka med farligt gods på {route} med utsläpp nära bostäder, skolor och förskolor i {area}.", "route"),
    ("Trafikolycka med många skadade", 2, 4,
     "Trafikolycka med många skadade i vägnätet; framkomligheten för blåljus påverkas.", ("Trafiknämnden",)),
    ("Ras eller skred vid vägar och kajer", 1, 4,
     "Ras eller skred vid kajer och slänter som ger avstängda vägar och skadade ledningar.", ("Trafiknämnden", "Exploateringsnämnden")),
    ("Kemikalieolycka i verksamhet", 1, 4,
     "Utsläpp av kemikalier från en tillståndspliktig verksamhet kräver inomhusvarning.", ("Miljö- och hälsoskyddsnämnden",)),
    ("Smittspridning via livsmedel", 2, 3,
     "Livsmedelsburen smitta från en storköksverksamhet sprids till många.", ("Miljö- och hälsoskyddsnämnden",)),
    ("Bortfall av hemtjänst vid snöoväder", 2, 3,
     "Snöoväder stoppar hemtjänstens resor till äldre som bor hemma.", ("Äldrenämnden",)),
    ("Hemlösa i kyla", 3, 3,
     "Sträng kyla kräver fler akuta sovplatser för hemlösa.", ("Socialnämnden",)),
    ("Hot mot skolor", 2, 4,
     "Hot om våld mot en skola kräver utrymning och krisstöd till elever och personal.", ("Utbildningsnämnden",)),
    ("Brand i skolbyggnad", 2, 3,
     "Anlagd brand i en skolbyggnad slår ut undervisningslokaler under lång tid.", ("Utbildningsnämnden", "Fastighetsnämnden")),
    ("Haveri i fastighetstekniska system", 2, 3,
     "Haveri i ventilation, värme eller passersystem i stadens fastigheter.", ("Fastighetsnämnden", "Servicenämnden")),
    ("Störning i stadens växel och e-tjänster", 2, 3,
     "Avbrott i stadens växel och e-tjänster gör det svårt för invånare att nå staden.", ("Servicenämnden",)),
    ("Evenemang med trängsel", 2, 3,
     "Trängsel vid stora evenemang och idrottsarrangemang med risk för skador.", ("Idrottsnämnden", "Kulturnämnden")),
    ("Skada på kulturarv vid brand", 1, 4,
     "Brand eller vattenskada i arkiv, bibliotek och kulturhistoriska byggnader.", ("Kulturnämnden",)),
    ("Översvämning av tunnlar och lågpunkter", 2, 4,
     "Skyfall eller högt vattenstånd stänger tunnlar och lågpunkter i vägnätet.", ("Trafiknämnden",)),
)
# fmt: on
FACKNAMNDER = (
    "Trafiknämnden",
    "Miljö- och hälsoskyddsnämnden",
    "Socialnämnden",
    "Utbildningsnämnden",
    "Äldrenämnden",
    "Fastighetsnämnden",
    "Exploateringsnämnden",
    "Kulturnämnden",
    "Idrottsnämnden",
    "Servicenämnden",
)
VERKSAMHET = {
    "Trafiknämnden": "trafikstyrning och gatudrift",
    "Miljö- och hälsoskyddsnämnden": "tillsyn och miljöövervakning",
    "Socialnämnden": "socialtjänstens boenden och jourverksamhet",
    "Utbildningsnämnden": "skolor och förskolor",
    "Äldrenämnden": "äldreomsorgen",
    "Fastighetsnämnden": "stadens fastigheter",
    "Exploateringsnämnden": "pågående byggprojekt",
    "Kulturnämnden": "bibliotek och kulturhus",
    "Idrottsnämnden": "idrottsanläggningar och badhus",
    "Servicenämnden": "stadens kontaktcenter och IT-drift",
}


def risks(src: Source, rs: list[Route], zones_3011: dict[float, shapely.Geometry]) -> list[list]:
    """The RSA register: each stadsdelsnämnd and fackförvaltning with the risks that concern it.

    Likelihood and consequence start from the risk's typical rating and vary
    by one step; a stadsdelsnämnd with Mälaren shore in the +2.7 m zone gets
    the Mälaren risk, one crossed by a primary route the dangerous-goods risk.
    """
    r = rng("risker")
    sdo_names = sorted({a.sdo for a in src.areas}, key=sv_key)
    flood = zones_3011[max(FLOOD_LEVELS)]
    rows: list[list] = []

    def rating(v: int) -> int:
        return int(min(5, max(1, v + int(r.choice([-1, 0, 0, 0, 1])))))

    for sdo in sdo_names:
        areas = [a for a in src.areas if a.sdo == sdo]
        whole = shapely.union_all([a.whole for a in areas])
        namnd = f"{sdo} stadsdelsnämnd"
        crossing = [x.name for x in rs if x.klass == "primär" and x.line.intersects(whole)]
        flooded = flood.intersects(whole)
        for risk, p, c, text, who in RISKS:
            # Tuples name fackförvaltningar; "malaren" and "route" apply where the hazard is.
            if isinstance(who, tuple) or (who == "malaren" and not flooded) or (who == "route" and not crossing):
                continue
            if who in ("all", "sdn") and r.random() < 0.45:
                continue  # not every nämnd has judged every risk significant
            desc = text.format(
                area=sdo,
                verksamhet="stadsdelsnämndens verksamheter",
                route=" och ".join(crossing[:2]) if crossing else "",
            )
            rows.append([namnd, risk, rating(p), rating(c), desc])
    for namnd in FACKNAMNDER:
        for risk, p, c, text, who in RISKS:
            if who == "all" or (isinstance(who, tuple) and namnd in who):
                if who == "all" and r.random() < 0.55:
                    continue
                desc = text.format(area="staden", verksamhet=VERKSAMHET[namnd], route="")
                rows.append([namnd, risk, rating(p), rating(c), desc])
    return [[f"RSA-{i:03d}", *row] for i, row in enumerate(rows, 1)]


def write_risks(rows: list[list], out: Path) -> None:
    write_csv(out / "risker.csv", ["risk_id", "namnd", "risk", "sannolikhet", "konsekvens", "beskrivning"], rows)


# -- the whole set -------------------------------------------------------------


def generate(out: Path, stockholm: Path) -> list[Path]:
    """Write every file of the demo data set into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    # Writers that add to an existing file (GeoPackage) would keep its free
    # pages: start from nothing so the bytes depend on the inputs only.
    for name in OUTPUTS:
        (out / name).unlink(missing_ok=True)
    src = Source.load(stockholm)
    with fixed_header_dates():
        write_stadsdelar(src, out)
        write_licence(src, out)
        write_organisation(src, out)
        pop = population(src)
        write_population(src, pop, out)
        water = split_water(src)
        write_water(src, water, out)
        zones = flood_zones(src, water)
        write_flood(zones, out)
        zones_3011 = dict(zip(FLOOD_LEVELS, transform([zones[lv] for lv in FLOOD_LEVELS], 3006, 3011), strict=True))
        rs = routes()
        write_routes(rs, out)
        land = Land(src)
        write_facilities(facilities(src, land, pop, rs, zones_3011), out)
        z = latent(src, land)
        write_survey(survey(src, pop, z), out)
        write_incidents(incidents(src, land, pop, z), out)
        write_risks(risks(src, rs, zones_3011), out)
    written = [out / name for name in OUTPUTS]
    missing = [p.name for p in written if not p.is_file()]
    assert not missing, f"not written: {missing}"
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT, help="output folder (default: data/demo)")
    parser.add_argument(
        "--stockholm",
        type=Path,
        default=DEFAULT_STOCKHOLM,
        help="folder with the city's stadsdelar.shp, vatten.shp, … (default: ../shared/data/stockholm)",
    )
    args = parser.parse_args(argv)
    if not (args.stockholm / "stadsdelar.shp").is_file():
        parser.error(f"no stadsdelar.shp in {args.stockholm}: pass --stockholm with the city's data")
    files = generate(args.out, args.stockholm)
    total = sum(p.stat().st_size for p in files)
    print(f"wrote {len(files)} files, {total / 1e6:.1f} MB, to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
