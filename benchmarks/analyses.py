"""How long the analyses take: on the demo city, and exposure at scale.

    .venv/bin/python benchmarks/analyses.py            # the demo city, then 1 M facilities
    .venv/bin/python benchmarks/analyses.py --demo-only

Part 1 loads the demo city and times each analysis at stadsdel level, the
first call on the freshly loaded city (cold: the engine's checks and
indexes are built, and the analyses' derived layers) and a repeated call
(warm). Part 2 builds a city of the 117 real stadsdelar with 1 M seeded
facility points and seeded routes of 100 k vertices in all, and times
`exposure` once, at a tenth of that and at the whole, each in a child process so its peak memory (RSS) is its own.
The figures go in the README's benchmark section with date and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOCKHOLM = ROOT.parent / "shared" / "data" / "stockholm"


def timed(f):
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def demo() -> list[tuple[str, float, float]]:
    import lagesbild as lb
    import shapely
    from lagesbild import analysis as a

    load, city = timed(lb.demo)
    print(f"lb.demo(): {load:.2f} s")
    site = shapely.box(152_000, 6_578_500, 152_200, 6_578_700)
    calls = {
        "exposure": lambda: a.exposure(city, year=2025, level="stadsdel"),
        "facilities_at_risk": lambda: a.facilities_at_risk(city, year=2025),
        "omradesansvar": lambda: a.omradesansvar(city, year=2025, level="stadsdel"),
        "screen": lambda: a.screen(city, site),
    }
    for name in ("survey", "incidents", "hotspots", "risk_matrix"):
        if hasattr(a, name):
            fn = getattr(a, name)
            calls[name] = (
                (lambda fn=fn, name=name: fn(city, year=2025, level="stadsdel"))
                if name in ("survey", "incidents")
                else (lambda fn=fn: fn(city, year=2025))
            )
    rows = []
    for name, call in calls.items():
        cold, _ = timed(call)
        warm, _ = timed(call)
        rows.append((name, cold, warm))
        print(f"{name:22s} cold {cold:7.3f} s   warm {warm:7.3f} s")
    return rows


SCALE = """
import json, time, resource, sys
import numpy as np, polars as pl, shapely
import lagesbild as lb
from lagesbild.analysis import exposure
folder = sys.argv[1]
t0 = time.perf_counter()
city = lb.City.from_config(folder + "/city.toml")
load = time.perf_counter() - t0
t0 = time.perf_counter()
e = exposure(city, year=2025, level="stadsdel", mode="internal")
took = time.perf_counter() - t0
print(json.dumps({"load_s": load, "exposure_s": took, "rows": e.height,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_scale_city(folder: Path, n: int, vertices: int) -> None:
    import geopandas as gpd
    import numpy as np
    import shapely

    folder.mkdir(parents=True, exist_ok=True)
    sd = gpd.read_file(STOCKHOLM / "stadsdelar.shp")
    city = shapely.union_all(sd.geometry.values)
    shapely.prepare(city)
    rng = np.random.default_rng(1)
    x0, y0, x1, y1 = city.bounds
    xs, ys = rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)
    kinds = np.array(["förskola", "skola", "äldreboende", "vårdcentral", "elnätstation"])
    gpd.GeoDataFrame(
        {
            "namn": np.arange(n).astype(str),
            "kategori": kinds[rng.integers(0, len(kinds), n)],
            "kapacitet": rng.integers(5, 500, n),
        },
        geometry=gpd.points_from_xy(xs, ys),
        crs=sd.crs,
    ).to_parquet(folder / "facilities.parquet")
    walks, left = [], vertices
    while left > 0:
        k = min(left, int(rng.integers(500, 3000)))
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        heading = rng.uniform(0, 2 * np.pi)
        pts = [(x, y)]
        for _ in range(k - 1):
            heading += rng.normal(0, 0.3)
            pts.append((pts[-1][0] + 20 * np.cos(heading), pts[-1][1] + 20 * np.sin(heading)))
        walks.append(shapely.LineString(pts))
        left -= k
    gpd.GeoDataFrame({"klass": ["primär"] * len(walks)}, geometry=walks, crs=sd.crs).to_parquet(
        folder / "routes.parquet"
    )
    water = gpd.read_file(STOCKHOLM / "vatten.shp").geometry.iloc[0]
    gpd.GeoDataFrame({"niva_m": [1.5, 2.7]}, geometry=[water.buffer(50), water.buffer(200)], crs=sd.crs).to_parquet(
        folder / "zones.parquet"
    )
    (folder / "city.toml").write_text(
        textwrap.dedent(
            f"""\
            [city]
            crs = 3011
            [areas]
            file = "{(STOCKHOLM / "stadsdelar.shp").as_posix()}"
            key = "name"
            water = "vatten"
            [layers.vatten]
            file = "{(STOCKHOLM / "vatten.shp").as_posix()}"
            [layers.zoner]
            file = "zones.parquet"
            [layers.leder]
            file = "routes.parquet"
            [layers.verksamheter]
            file = "facilities.parquet"
            [hazards.flood]
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


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--demo-only", action="store_true")
    p.add_argument("--facilities", type=int, default=1_000_000)
    p.add_argument("--vertices", type=int, default=100_000)
    args = p.parse_args()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f}"
    )
    demo()
    if args.demo_only:
        return
    # Two sizes, a tenth and the whole, to show how the time grows.
    for share in (0.1, 1.0):
        n, v = int(args.facilities * share), int(args.vertices * share)
        folder = ROOT / "benchmarks" / "data" / f"analyses-{n}"
        make_scale_city(folder, n, v)
        out = subprocess.run([sys.executable, "-c", SCALE, str(folder)], capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"exposure, {n:,} facilities and {v:,} route vertices: "
            f"{result['exposure_s']:.2f} s (city load {result['load_s']:.2f} s), peak {result['peak_mb']:.0f} MB, "
            f"load avg {os.getloadavg()[0]:.2f}"
        )
    print(f"(this process: peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
