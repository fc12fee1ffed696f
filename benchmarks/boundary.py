"""What crossing between Python and the Rust core costs.

Times the calls whose cost is mostly moving tables and row positions across
the boundary rather than spatial work:

- ``sjoin`` of 1 M points (a Layer) with the 117 real stadsdelar, predicate
  ``within``: the spatial part is one grid lookup per point; the rest is
  building the joined layer (row positions, both attribute tables, the
  left geometries);
- ``Layer.columns`` and ``layer["name"]`` on the demo city's incident layer
  (one key column of a table of tens of thousands of rows).

Run with the test venv (``.venv/bin/python benchmarks/boundary.py``); it
prints the median of ``--repeats`` runs of each, in milliseconds. The
points are seeded, so every run asks the same question.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import lagesbild as lb
import numpy as np
import polars as pl
import shapely

ROOT = Path(__file__).resolve().parent.parent
STOCKHOLM = ROOT.parent / "shared" / "data" / "stockholm"


def median_ms(f: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, default=1_000_000)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()

    areas = lb.read(STOCKHOLM / "stadsdelar.shp")
    rng = np.random.default_rng(7)
    x0, y0, x1, y1 = areas.bounds
    xs, ys = rng.uniform(x0, x1, args.points), rng.uniform(y0, y1, args.points)
    points = lb.Layer.from_polars(
        pl.DataFrame({"id": np.arange(args.points), "geometry": shapely.to_wkb(shapely.points(xs, ys))}),
        crs=areas.crs,
        name="points",
    )
    joined = lb.sjoin(points, areas, predicate="within")
    print(f"sjoin {args.points:,} points × {len(areas)} areas: {len(joined):,} pairs")
    print(f"  sjoin within              {median_ms(lambda: lb.sjoin(points, areas, predicate='within'), args.repeats):9.1f} ms")

    incidents = lb.demo().layer("handelser")
    key = incidents.columns[0]
    print(f"incident layer: {len(incidents):,} features, {len(incidents.columns)} columns")
    print(f"  layer.columns             {median_ms(lambda: incidents.columns, args.repeats * 20):9.3f} ms")
    print(f"  layer[{key!r}]{' ' * max(0, 16 - len(key))}{median_ms(lambda: incidents[key], args.repeats * 20):9.3f} ms")


if __name__ == "__main__":
    main()
