"""Beyond one machine: W1 on 100M points as Parquet partitions, on a Dask LocalCluster.

100 partitions of 1M seeded uniform random points (float64 ``x``, ``y`` in
EPSG:3011, one Parquet file each, about 1.6 GB in ``benchmarks/data/dask_points/``,
git-ignored) are assigned to the 117 stadsdelar and counted per stadsdel on a
``distributed.LocalCluster`` of two worker processes, one thread each:

- **lagesbild**: ``lagesbild.dask.assign`` then ``value_counts``, the areas
  sent to the workers once, the engine's own pool set to one thread per worker;
- **dask-geopandas**: ``points_from_xy``, ``sjoin(how="inner", predicate="within")``
  with the areas (a GeoDataFrame, made one partition by dask-geopandas), then
  ``value_counts``; points outside are the points less the joined rows
  (dask-geopandas joins inner only).

Each engine gets a fresh cluster. The time covers everything from building
the graph over the Parquet files to the counts in hand: reading every
partition, making point geometries where the engine needs them, the join and
the counts (the cluster's start is timed apart). The RSS of each worker
process is sampled every 0.1 s (psutil); its peak shows what a worker needs
for one partition, not for the whole data set. The counts must agree (see
``check``) before anything is reported.

Usage::

    python benchmarks/dask_bench.py                       # both engines (about 10 min)
    python benchmarks/dask_bench.py --engines lagesbild   # one engine
    python benchmarks/dask_bench.py --partitions 4 --per-partition 100000   # a quick try

Results go to ``results/dask-<date>.json`` (runs of the same day merged) and
``results/dask-latest.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402  (machine, package versions, load average)
from make_data import SEED, STOCKHOLM, sha256, write_atomic  # noqa: E402

DATA = HERE / "data" / "dask_points"
RESULTS = HERE / "results"
ENGINES = ("lagesbild", "dask-geopandas")
PACKAGES = ("lagesbild", "dask", "distributed", "dask-geopandas", "geopandas", "shapely", "pandas", "pyarrow", "numpy")


def make_points(out: Path, partitions: int, per_partition: int, bounds: list[float]) -> dict:
    """The seeded point files, written unless the manifest already has them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    params = {"seed": SEED, "partitions": partitions, "per_partition": per_partition, "bounds": bounds}
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest["params"] == params and all((out / f).exists() for f in manifest["files"]):
            return manifest
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.parquet"):
        old.unlink()
    files = {}
    x0, y0, x1, y1 = bounds
    for i in range(partitions):
        rng = np.random.default_rng([SEED, per_partition, i])
        table = pa.table({"x": rng.uniform(x0, x1, per_partition), "y": rng.uniform(y0, y1, per_partition)})
        name = f"part-{i:03d}.parquet"
        write_atomic(out / name, lambda p, t=table: pq.write_table(t, p, row_group_size=per_partition))
        files[name] = {"bytes": (out / name).stat().st_size, "sha256": sha256(out / name)}
    manifest = {"params": params, "files": files}
    manifest_path.write_text(json.dumps(manifest, indent=1))
    return manifest


class RssSampler:
    """The peak RSS of each of some processes, sampled on a thread."""

    def __init__(self, pids: dict[str, int], every: float = 0.1) -> None:
        import psutil

        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.peak = dict.fromkeys(pids, 0)
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, p in self.procs.items():
                try:
                    self.peak[name] = max(self.peak[name], p.memory_info().rss)
                except Exception:  # a worker that died and was restarted
                    pass
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def lagesbild_counts(files: str, stadsdelar: Path) -> dict:
    import dask.dataframe as dd
    import lagesbild as lb
    import lagesbild.dask as lbd

    areas = lb.read(stadsdelar)
    points = dd.read_parquet(files, columns=["x", "y"])
    counts = lbd.assign(points, areas, key="name").value_counts(dropna=False).compute()
    return {("" if isinstance(k, float) else k): int(v) for k, v in counts.items() if v}


def dask_geopandas_counts(files: str, stadsdelar: Path) -> dict:
    import dask
    import dask.dataframe as dd
    import dask_geopandas
    import geopandas as gpd

    areas = gpd.read_file(stadsdelar)[["name", "geometry"]]
    df = dd.read_parquet(files, columns=["x", "y"])
    points = dask_geopandas.from_dask_dataframe(df, geometry=dask_geopandas.points_from_xy(df, "x", "y", crs=areas.crs))
    # dask-geopandas joins inner only: the points outside are the rest.
    joined = dask_geopandas.sjoin(points, areas, how="inner", predicate="within")
    counts, n_points, n_joined = dask.compute(joined["name"].value_counts(), df.shape[0], joined.shape[0])
    out = {k: int(v) for k, v in counts.items() if v}
    out[""] = int(n_points - n_joined)
    return out


def _one_thread() -> None:
    import lagesbild as lb

    lb.set_threads(1)


def run_engine(engine: str, files: str, stadsdelar: Path, workers: int, memory_limit: str, repeats: int) -> dict:
    from distributed import Client, LocalCluster

    started = time.perf_counter()
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, memory_limit=memory_limit, dashboard_address=None
    )
    client = Client(cluster)
    try:
        client.run(_one_thread)
        start_s = time.perf_counter() - started
        pids = {addr: pid for addr, pid in client.run(os.getpid).items()}
        names = {addr: f"worker {i + 1}" for i, addr in enumerate(sorted(pids))}
        fn = lagesbild_counts if engine == "lagesbild" else dask_geopandas_counts
        times, peaks, answer, loads = [], [], None, []
        for _ in range(repeats):
            client.run(_collect)
            load_before = run.loadavg()
            with RssSampler({names[a]: p for a, p in pids.items()}) as rss:
                t = time.perf_counter()
                counts = fn(files, stadsdelar)
                times.append(time.perf_counter() - t)
            loads.append([load_before, run.loadavg()])
            peaks.append({k: v / 2**20 for k, v in rss.peak.items()})
            if answer is not None and counts != answer:
                raise SystemExit(f"{engine}: a run's counts differ from the first run's")
            answer = counts
        restarted = sorted(set(client.run(os.getpid).values()) - set(pids.values()))
        return {
            "engine": engine,
            "workers": workers,
            "threads_per_worker": 1,
            "memory_limit": memory_limit,
            "cluster_start_s": start_s,
            "times_s": times,
            "median_s": statistics.median(times),
            "peak_rss_mb": peaks,
            "max_peak_rss_mb": max(max(p.values()) for p in peaks),
            "workers_restarted": len(restarted),
            "loadavg": loads,
            "counts": answer,
        }
    finally:
        client.close()
        cluster.close()


def _collect() -> None:
    import gc

    gc.collect()


def check(records: list[dict], files: list[Path], stadsdelar: Path) -> list[str]:
    """Counts per stadsdel (and outside, key "") must agree between the engines.

    lagesbild counts a point in an overlap of two stadsdelar once, in the
    first in layer order, geopandas' ``within`` in both (and a point on a
    boundary nowhere, which uniform random float points never hit). The
    boundaries overlap in slivers of about 2 m² in all, so the points
    counted differently may be at most the points lying in two stadsdelar
    (``agree.points_in_overlaps``, counted only when the answers differ).
    """
    import agree

    problems = []
    if len(records) < 2:
        return problems
    a, b = records[0], records[1]

    def rows(r: dict) -> dict:
        return {"kind": "counts", "rows": [[k or None, n] for k, n in r["counts"].items()]}

    differing = agree.differing_points(rows(a), rows(b))
    in_overlaps = sum(agree.points_in_overlaps(f, stadsdelar) for f in files) if differing else 0
    for r in (a, b):
        r["differing_points"], r["points_in_overlaps"] = differing, in_overlaps
    if differing > in_overlaps:
        problems.append(
            f"{a['engine']} and {b['engine']} count {differing} points differently, "
            f"more than the {in_overlaps} points in overlapping stadsdelar"
        )
    return problems


def report(run_info: dict, records: list[dict]) -> str:
    p = run_info["params"]
    total = p["partitions"] * p["per_partition"]
    m = run_info["machine"]
    lines = [
        f"# Dask: {total / 1e6:g}M points in {p['partitions']} Parquet partitions, per stadsdel",
        "",
        f"{run_info['date']} on {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}, "
        f"Python {m['python']} (a shared machine: other work ran beside it). Command: `{run_info['command']}`.",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in run_info["packages"].items() if v) + ".",
        "",
        f"A LocalCluster of {records[0]['workers']} worker processes, 1 thread each, memory limit "
        f"{records[0]['memory_limit']} each; data {run_info['data_mb']:.0f} MB on disk, "
        f"{p['per_partition'] * 16 / 1e6:.0f} MB of coordinates per partition.",
        "",
        "| engine | runs | median s | min s | million points/s | peak RSS per worker, MB | cluster start s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in records:
        peaks = " / ".join(f"{max(run[w] for run in r['peak_rss_mb']):.0f}" for w in sorted(r["peak_rss_mb"][0]))
        lines.append(
            f"| {r['engine']} | {len(r['times_s'])} | {r['median_s']:.1f} | {min(r['times_s']):.1f} | "
            f"{total / r['median_s'] / 1e6:.2f} | {peaks} | {r['cluster_start_s']:.1f} |"
        )
    if len(records) == 2:
        a, b = records
        lines += [
            "",
            f"lagesbild vs dask-geopandas: {b['median_s'] / a['median_s']:.1f}× the speed, "
            f"{b['max_peak_rss_mb'] / a['max_peak_rss_mb']:.1f}× less memory per worker at peak. "
            f"Points counted differently: {a.get('differing_points')}, of "
            f"{a.get('points_in_overlaps')} points lying in two stadsdelar at once "
            "(geopandas counts those in both, lagesbild in the first).",
        ]
    inside = sum(v for k, v in records[0]["counts"].items() if k)
    lines += ["", f"Points inside a stadsdel: {inside} of {total}."]
    lines += ["", "Load average (1 min) before → after each run: " + "; ".join(
        f"{r['engine']} " + ", ".join(f"{before[0]:.1f} → {after[0]:.1f}" for before, after in r["loadavg"])
        for r in records
    ) + "."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument("--partitions", type=int, default=100)
    ap.add_argument("--per-partition", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory-limit", default="6GiB", help="per worker (default: 6GiB)")
    ap.add_argument("--repeats", type=int, default=None, help="timed runs (default: lagesbild 3, dask-geopandas 1)")
    ap.add_argument("--stockholm", type=Path, default=STOCKHOLM)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--report-only", action="store_true", help="run nothing: check and report the last stored run")
    args = ap.parse_args(argv)

    import lagesbild as lb

    stadsdelar = args.stockholm / "stadsdelar.shp"
    if args.report_only:
        path = max(RESULTS.glob("dask-????-??-??.json"))
        stored = json.loads(path.read_text())
        run_info, records = stored[-1]["run"], stored[-1]["records"]
        files = sorted((args.data).glob("part-*.parquet"))
        run_info["problems"] = check(records, files, stadsdelar)
        return finish(path, stored, run_info, records)
    bounds = [float(v) for v in lb.read(stadsdelar).bounds]
    t = time.perf_counter()
    manifest = make_points(args.data, args.partitions, args.per_partition, bounds)
    print(f"data: {len(manifest['files'])} files in {args.data} ({time.perf_counter() - t:.0f} s)", flush=True)
    files = str(args.data / "part-*.parquet")
    records = []
    for engine in args.engines:
        repeats = args.repeats or (3 if engine == "lagesbild" else 1)
        print(f"{engine}: {repeats} run(s) …", flush=True)
        r = run_engine(engine, files, stadsdelar, args.workers, args.memory_limit, repeats)
        print(f"{engine}: {r['times_s']} s, peak RSS per worker {r['peak_rss_mb']}", flush=True)
        records.append(r)
    problems = check(records, [args.data / f for f in sorted(manifest["files"])], stadsdelar)
    now = dt.datetime.now(dt.UTC)
    run_info = {
        "date": now.strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join(["python benchmarks/dask_bench.py", *(argv if argv is not None else sys.argv[1:])]),
        "machine": run.machine(),
        "packages": {name: _version(name) for name in PACKAGES},
        "params": manifest["params"],
        "data_mb": sum(f["bytes"] for f in manifest["files"].values()) / 1e6,
        "problems": problems,
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"dask-{now:%Y-%m-%d}.json"
    stored = json.loads(path.read_text()) if path.exists() else []
    stored.append({"run": run_info, "records": records})
    return finish(path, stored, run_info, records)


def finish(path: Path, stored: list[dict], run_info: dict, records: list[dict]) -> int:
    """Store the results, write and print the report; 1 when the engines disagree."""
    path.write_text(json.dumps(stored, indent=1, ensure_ascii=False) + "\n")
    text = report(run_info, records)
    (RESULTS / "dask-latest.md").write_text(text)
    print(text)
    for p in run_info["problems"]:
        print(f"DISAGREEMENT: {p}", file=sys.stderr)
    return 1 if run_info["problems"] else 0


def _version(name: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        if name == "lagesbild":  # a development tree on the path
            import lagesbild

            return lagesbild.__version__
        return None


if __name__ == "__main__":
    raise SystemExit(main())
