"""Generate the inputs of the side-by-side benchmark, seeded and reproducible.

Writes into ``benchmarks/data/`` (git-ignored):

- ``points_<size>.parquet``: uniform random points in the bounding box of the
  stadsdelar, float64 columns ``x``, ``y`` in EPSG:3011, one file per size
  (100k, 1M, 10M, 50M by default);
- ``bands.parquet``: GeoParquet, three flood bands, the water of
  ``vatten.shp`` buffered by 25, 100 and 250 m (column ``band``: ``25m``,
  ``100m``, ``250m``), made once with shapely so that every engine overlays
  the same polygons;
- ``routes.parquet``: GeoParquet, 60 routes, smooth random walks of 25–200
  vertices inside the city (columns ``route_id``, ``klass``: ``primary``,
  ``secondary`` or ``rail``);
- ``manifest.json``: the seed, the parameters, and the size and SHA-256 of
  every file, which the runner records with each result so that results of
  different runs are compared only on the same data.

Usage::

    python benchmarks/make_data.py                 # everything (about 1 GB)
    python benchmarks/make_data.py --sizes 1M 10M  # only these point files

A file that the manifest already describes with the same parameters is not
written again (``--force`` rewrites everything).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STOCKHOLM = ROOT.parent / "shared" / "data" / "stockholm"
DATA = HERE / "data"

SEED = 20231117
CRS = "EPSG:3011"

#: Point-file sizes by label; ``--sizes`` picks among them.
SIZES = {"100k": 100_000, "1M": 1_000_000, "10M": 10_000_000, "50M": 50_000_000}

#: Buffer distances of the water, in metres: one flood band each.
BAND_DISTANCES = (25, 100, 250)

#: Route classes: (name, share of routes, heading noise in radians per
#: vertex, step length range in metres). Rail bends least, local roads most.
ROUTE_CLASSES = (
    ("primary", 0.4, 0.08, (80.0, 140.0)),
    ("secondary", 0.4, 0.20, (40.0, 90.0)),
    ("rail", 0.2, 0.03, (100.0, 160.0)),
)
N_ROUTES = 60
ROUTE_VERTICES = (25, 200)

#: Points are written in row groups of this many rows, so that the engines
#: that read Parquet in parallel get several groups even at 1M points.
ROW_GROUP = 256 * 1024


def size_label(n: int) -> str:
    """Name a point count as file names and case names do.

    >>> size_label(1_000_000), size_label(100_000)
    ('1M', '100k')
    """
    for label, count in SIZES.items():
        if count == n:
            return label
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def parse_size(label: str) -> int:
    """Read a point count from a size label (``100k``, ``1M``, or digits).

    >>> parse_size("10M"), parse_size("250k"), parse_size("1234")
    (10000000, 250000, 1234)
    """
    text = label.strip()
    factor = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    digits = text[:-1] if factor != 1 else text
    if not digits.isdigit() or int(digits) <= 0:
        raise argparse.ArgumentTypeError(f"not a point count: {label!r} (use e.g. 100k, 1M, 10M)")
    return int(digits) * factor


def sha256(path: Path) -> str:
    """SHA-256 of a file, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def write_atomic(path: Path, write) -> None:
    """Call ``write(tmp_path)``, then rename the temporary file onto ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_stadsdelar(stockholm: Path):
    """Read the 117 stadsdelar into a GeoDataFrame (EPSG:3011)."""
    import geopandas as gpd

    path = stockholm / "stadsdelar.shp"
    if not path.exists():
        sys.exit(f"make_data: {path} is missing; the benchmark needs the real Stockholm boundaries there")
    areas = gpd.read_file(path)
    if areas.crs is None or areas.crs.to_epsg() != 3011:
        sys.exit(f"make_data: {path} is not in EPSG:3011 (it says {areas.crs})")
    return areas


def make_points(n: int, bounds, seed: int):
    """``n`` uniform random points in ``bounds`` as a pyarrow Table (x, y).

    The stream depends on the seed and on ``n`` only, so each file is the
    same whatever other sizes are generated with it.
    """
    import pyarrow as pa

    xmin, ymin, xmax, ymax = bounds
    rng = np.random.default_rng([seed, n])
    x = rng.uniform(xmin, xmax, n)
    y = rng.uniform(ymin, ymax, n)
    return pa.table({"x": pa.array(x, pa.float64()), "y": pa.array(y, pa.float64())})


def make_bands(stockholm: Path):
    """Make the three flood bands: the water buffered by each of BAND_DISTANCES."""
    import geopandas as gpd
    import shapely

    path = stockholm / "vatten.shp"
    if not path.exists():
        sys.exit(f"make_data: {path} is missing; the flood bands are buffers of it")
    water = gpd.read_file(path)
    if water.crs is None or water.crs.to_epsg() != 3011:
        sys.exit(f"make_data: {path} is not in EPSG:3011 (it says {water.crs})")
    merged = shapely.union_all(water.geometry.values)
    bands = [shapely.buffer(merged, d) for d in BAND_DISTANCES]
    return gpd.GeoDataFrame(
        {"band": [f"{d}m" for d in BAND_DISTANCES]}, geometry=bands, crs=CRS
    )


def make_routes(city, seed: int):
    """About 60 routes: smooth random walks whose vertices stay in ``city``.

    Each walk starts at a random point of the city, keeps a heading that
    drifts by a normal step per vertex (small for rail, larger for local
    roads) and, when the next vertex would leave the city, turns by growing
    angles until it stays inside (or turns back).
    """
    import geopandas as gpd
    import shapely

    shapely.prepare(city)
    xmin, ymin, xmax, ymax = city.bounds
    rng = np.random.default_rng([seed, 7])
    names = [c[0] for c in ROUTE_CLASSES]
    shares = np.array([c[1] for c in ROUTE_CLASSES])
    classes = rng.choice(len(ROUTE_CLASSES), size=N_ROUTES, p=shares / shares.sum())
    turns = [0.0] + [s * k * math.radians(15) for k in range(1, 12) for s in (1, -1)] + [math.pi]

    lines, ids, klass = [], [], []
    for i, c in enumerate(classes):
        _, _, noise, (step_lo, step_hi) = ROUTE_CLASSES[c]
        while True:
            x, y = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
            if shapely.contains_xy(city, x, y):
                break
        heading = rng.uniform(0, 2 * math.pi)
        n_vertices = int(rng.integers(ROUTE_VERTICES[0], ROUTE_VERTICES[1] + 1))
        coords = [(x, y)]
        while len(coords) < n_vertices:
            heading += rng.normal(0.0, noise)
            step = rng.uniform(step_lo, step_hi)
            for turn in turns:
                nx = x + step * math.cos(heading + turn)
                ny = y + step * math.sin(heading + turn)
                if shapely.contains_xy(city, nx, ny):
                    heading += turn
                    break
            else:  # boxed in: stay and try a new heading next time
                heading = rng.uniform(0, 2 * math.pi)
                continue
            x, y = nx, ny
            coords.append((x, y))
        lines.append(shapely.LineString(coords))
        ids.append(f"R{i + 1:02d}")
        klass.append(names[c])
    return gpd.GeoDataFrame({"route_id": ids, "klass": klass}, geometry=lines, crs=CRS)


def load_manifest(data: Path) -> dict:
    """Read the manifest of ``data`` (empty when there is none)."""
    path = data / "manifest.json"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(argv: list[str] | None = None) -> int:
    """Write the inputs that are missing or out of date, and the manifest."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", nargs="+", type=parse_size, default=list(SIZES.values()),
        metavar="N", help="point-file sizes to write (default: 100k 1M 10M 50M)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument("--out", type=Path, default=DATA, help="output folder (default benchmarks/data)")
    parser.add_argument(
        "--stockholm", type=Path, default=STOCKHOLM,
        help="folder of the real boundaries (default ../shared/data/stockholm)",
    )
    parser.add_argument("--force", action="store_true", help="rewrite files even when up to date")
    args = parser.parse_args(argv)

    import pyarrow.parquet as pq

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    old = load_manifest(out)
    areas = read_stadsdelar(args.stockholm)
    bounds = [float(v) for v in areas.total_bounds]
    params = {
        "seed": args.seed,
        "crs": CRS,
        "points_bounds": bounds,
        "band_distances_m": list(BAND_DISTANCES),
        "routes": {
            "count": N_ROUTES,
            "vertices": list(ROUTE_VERTICES),
            "classes": [list(c[:2]) + [c[2], list(c[3])] for c in ROUTE_CLASSES],
        },
        "stadsdelar_sha256": sha256(args.stockholm / "stadsdelar.shp"),
        "vatten_sha256": sha256(args.stockholm / "vatten.shp"),
    }
    same_params = old.get("params") == params
    files = dict(old.get("files", {})) if same_params else {}

    def fresh(name: str) -> bool:
        entry = files.get(name)
        path = out / name
        return (
            not args.force
            and entry is not None
            and path.exists()
            and path.stat().st_size == entry["bytes"]
        )

    def record(name: str, rows: int, started: float) -> None:
        path = out / name
        files[name] = {"bytes": path.stat().st_size, "rows": rows, "sha256": sha256(path)}
        print(f"  {name}: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s")

    print(f"make_data: writing to {out} (seed {args.seed})")
    for n in sorted(set(args.sizes)):
        name = f"points_{size_label(n)}.parquet"
        if fresh(name):
            print(f"  {name}: up to date")
            continue
        started = time.perf_counter()
        table = make_points(n, bounds, args.seed)
        write_atomic(out / name, functools.partial(pq.write_table, table, row_group_size=ROW_GROUP))
        del table
        record(name, n, started)

    if not fresh("bands.parquet"):
        started = time.perf_counter()
        bands = make_bands(args.stockholm)
        write_atomic(out / "bands.parquet", lambda p: bands.to_parquet(p, index=False))
        record("bands.parquet", len(bands), started)
    else:
        print("  bands.parquet: up to date")

    if not fresh("routes.parquet"):
        started = time.perf_counter()
        import shapely

        city = shapely.union_all(areas.geometry.values)
        routes = make_routes(city, args.seed)
        write_atomic(out / "routes.parquet", lambda p: routes.to_parquet(p, index=False))
        record("routes.parquet", len(routes), started)
    else:
        print("  routes.parquet: up to date")

    manifest = {"params": params, "files": dict(sorted(files.items()))}
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    write_atomic(out / "manifest.json", lambda p: Path(p).write_text(text, encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
