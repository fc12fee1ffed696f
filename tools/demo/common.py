"""What every part of the generator shares: the real data as read, random
streams, names, writers, and sampling points on land."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import lagesbild as lb
import numpy as np
import polars as pl
import shapely

SEED = 20250101
# Header dates of the written files (DBF, GeoPackage): the release date of
# the city's boundaries, 2021-04-13, rather than the day of the run.
SOURCE_DATE_EPOCH = "1618272000"


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
    if base[-1] in "aeiouyåäö" or base[-1] == "s":
        return name + suffix
    return name + "s" + suffix


# -- the real data ----------------------------------------------------------


@dataclass
class Area:
    """One stadsdel: names, codes, organisation, land polygon (EPSG:3011)."""

    name: str
    code: str
    sdo: str  # stadsdelsområde since 2023-07-01 (11 areas)
    sdo13: str  # 2020-07-01 – 2023-06-30 (13 areas)
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


def lonlat_to_3011(points: list[tuple[float, float]]) -> list[shapely.Point]:
    """(latitude, longitude) pairs as points in EPSG:3011."""
    return transform([shapely.Point(lon, lat) for lat, lon in points], 4326, 3011)


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
        areas = []
        for i, name in enumerate(sorted(names, key=sv_key), 1):
            r = org_by_name[name]
            areas.append(
                Area(
                    name=name,
                    code=f"SD{i:03d}",
                    sdo=r["stadsdelsomrade_2023"],
                    sdo13=r["stadsdelsomrade"],
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


def expit(v: float | np.ndarray) -> float | np.ndarray:
    return 1 / (1 + np.exp(-v))


def logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


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

    def jitter(
        self, r: np.random.Generator, xy: tuple[float, float], radius: float, tries: int = 60
    ) -> tuple[float, float] | None:
        """A point on land within ``radius`` metres of ``xy`` (None when none is found)."""
        for _ in range(tries):
            ang, d = r.uniform(0, 2 * np.pi), radius * np.sqrt(r.uniform(0, 1))
            x, y = round(xy[0] + d * np.cos(ang), 1), round(xy[1] + d * np.sin(ang), 1)
            if self.ok(np.array([x]), np.array([y]))[0] and np.hypot(x - xy[0], y - xy[1]) <= radius:
                return x, y
        return None
