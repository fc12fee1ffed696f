"""How long the hotspot grid takes: counts per 100 m cell and Gi* over Stockholm.

Times ``lb.grid_hotspots`` (the Rust core: the grid over the 117 real
stadsdelar, the study cells — centre on land, not in ``vatten.shp`` —, the
count per cell, Gi* with binary queen weights and the Benjamini–Hochberg
correction, and the cell squares as a layer; the grid and its study cells
are made by the first call and kept) for 1 M and 10 M seeded
points: 80 % uniform over the city's bounding box, 20 % in ten clusters
(standard deviation 150 m). The points arrive as a polars DataFrame of
coordinates (the columnar path); loading them is not timed.

Run with the test venv (``.venv/bin/python benchmarks/hotspots.py``); it
prints the median, minimum and maximum of ``--repeats`` runs per size,
with the thread count and the one-minute load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import lagesbild as lb
import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
STOCKHOLM = ROOT.parent / "shared" / "data" / "stockholm"


def points(n: int, bounds: tuple[float, float, float, float], seed: int = 13) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = bounds
    k = n // 5
    centres = np.column_stack([rng.uniform(x0, x1, 10), rng.uniform(y0, y1, 10)])
    which = rng.integers(0, 10, k)
    xs = np.concatenate([rng.uniform(x0, x1, n - k), centres[which, 0] + rng.normal(0, 150, k)])
    ys = np.concatenate([rng.uniform(y0, y1, n - k), centres[which, 1] + rng.normal(0, 150, k)])
    return pl.DataFrame({"x": xs, "y": ys})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--cell", type=float, default=100.0)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    areas = lb.read(STOCKHOLM / "stadsdelar.shp")
    water = lb.read(STOCKHOLM / "vatten.shp").to_crs(areas.crs)
    t0 = time.perf_counter()
    lb.grid_hotspots(pl.DataFrame({"x": [0.0], "y": [0.0]}), areas, args.cell, water=water)
    first = time.perf_counter() - t0
    print(
        f"threads {lb.threads()}, cell {args.cell:g} m; first call {first:.3f} s "
        "(validity checks, the grid and its study cells, kept for the calls after)"
    )
    for n in (int(s) for s in args.sizes.split(",")):
        pts = points(n, areas.bounds)
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            cells = lb.grid_hotspots(pts, areas, args.cell, water=water)
            times.append(time.perf_counter() - t0)
        hot = int(((cells["q"] < 0.05) & (cells["z"] > 0)).sum())
        print(
            f"{n:>11,} points: median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}); "
            f"{len(cells):,} study cells, {int(cells['count'].sum()):,} points in them, {hot} hot; "
            f"load {os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()
