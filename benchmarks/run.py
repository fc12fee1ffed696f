"""Side-by-side benchmark: lagesbild, geopandas, DuckDB spatial and SedonaDB.

Runs each engine on each workload in its own child process (so peak memory
is per engine and workload), times loading and the workload separately,
checks that the engines agree, and writes ``results/<date>.json`` and
``results/latest.md``. See ``benchmarks/README.md``.

Examples::

    python benchmarks/run.py                                  # everything
    python benchmarks/run.py --engines lagesbild --workloads W1
    python benchmarks/run.py --engines duckdb sedonadb --workloads W3 --sizes 100k

A run fails (exit status 1) when an engine fails or when the engines'
answers disagree; the results are written first, marked as such.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import agree  # noqa: E402
import report  # noqa: E402
from make_data import DATA, STOCKHOLM, load_manifest, parse_size, size_label, write_atomic  # noqa: E402

RESULTS = HERE / "results"
ENGINE_ORDER = ("lagesbild", "geopandas", "duckdb", "sedonadb")
WORKLOADS = ("W1", "W2", "W3", "W4", "W5")
#: Point counts per workload (W2, W4 and W5 have no points).
DEFAULT_SIZES = {"W1": ("1M", "10M"), "W3": ("100k", "1M")}
#: The scaling series of lagesbild alone: W1 at these sizes and thread counts.
SCALING_SIZES = ("1M", "10M", "50M")
SCALING_THREADS = (1, 2)
#: Packages whose versions every results file records.
PACKAGES = (
    "lagesbild", "polars", "numpy", "pyarrow", "geopandas", "shapely", "pyproj", "pyogrio",
    "pandas", "duckdb", "duckdb-extension-spatial", "duckdb-extensions", "sedonadb",
)


def default_repeats(points: int | None) -> int:
    """Choose the timed runs per case: 5, or 3 from 10M points up.

    >>> default_repeats(None), default_repeats(1_000_000), default_repeats(10_000_000)
    (5, 5, 3)
    """
    return 3 if points and points >= 10_000_000 else 5


def default_threads(engine: str) -> int:
    """Choose the threads an engine gets unless ``--threads`` says otherwise.

    geopandas runs on one thread; the others get every core.
    """
    return 1 if engine == "geopandas" else (os.cpu_count() or 1)


# ---------------------------------------------------------------- memory

def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    """Reset this process's peak RSS (VmHWM) to its current RSS (Linux ≥ 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        return True
    except OSError:
        return False


def loadavg() -> list[float] | None:
    """Read the 1, 5 and 15 minute load averages (None off Linux)."""
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return [float(v) for v in f.read().split()[:3]]
    except OSError:
        return None


def _mb(kb: int | None) -> float | None:
    return None if kb is None else round(kb / 1024, 1)


# ----------------------------------------------------------------- child

def child_main(spec_path: str) -> int:
    """Run one engine on one case and write what was measured as JSON."""
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    out: dict = {"status": "error"}
    try:
        from engines import ENGINES

        engine = ENGINES[spec["engine"]]()
        workload = spec["workload"]
        started = time.perf_counter()
        out["threads"] = engine.setup(spec["threads"])
        out["setup_s"] = time.perf_counter() - started
        out["versions"] = engine.versions()
        out["rss_setup_mb"] = _mb(_status_kb("VmRSS"))
        out["loadavg_before"] = loadavg()

        started = time.perf_counter()
        loaded = engine.load(workload, spec["inputs"])
        out["load_s"] = time.perf_counter() - started
        gc.collect()
        out["rss_loaded_mb"] = _mb(_status_kb("VmRSS"))
        peak_reset = _reset_peak_rss()

        # An engine that keeps indexes with its inputs (lagesbild) has them
        # read again before every timed run (``fresh``, timed apart), so each
        # run is cold, as a first call on freshly read data; then the same
        # number of warm runs repeat the call on the inputs of the last one.
        fresh = getattr(engine, "fresh", None)
        times, cpu_times, fresh_times, warm_times, first = [], [], [], [], None
        for i in range(spec["repeats"] * (2 if fresh else 1)):
            warm = fresh is not None and i >= spec["repeats"]
            if fresh is not None and 0 < i < spec["repeats"]:
                started = time.perf_counter()
                loaded = fresh(workload, spec["inputs"], loaded)
                fresh_times.append(time.perf_counter() - started)
            gc.collect()
            cpu_started = time.process_time()
            started = time.perf_counter()
            answer = engine.run(workload, loaded)
            (warm_times if warm else times).append(time.perf_counter() - started)
            if not warm:
                cpu_times.append(time.process_time() - cpu_started)
            if first is None:
                first = answer
            else:
                same = agree.compare(workload, first, answer)
                if not same["ok"]:
                    raise AssertionError(f"{spec['engine']} {workload}: repeats disagree: {same['detail']}")
        out["times_s"] = times
        out["cpu_times_s"] = cpu_times
        if fresh is not None:
            out["fresh_times_s"] = fresh_times
            out["warm_times_s"] = warm_times
        out["peak_run_mb"] = _mb(_status_kb("VmHWM")) if peak_reset else None
        out["loadavg_after"] = loadavg()
        out["answer"] = first
        out["status"] = "ok"
    except BaseException as exc:  # reported to the parent, which fails the run
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["traceback"] = traceback.format_exc()
    with open(spec["out"], "w", encoding="utf-8") as f:
        json.dump(out, f)
    return 0 if out["status"] == "ok" else 1


# ---------------------------------------------------------------- parent

def machine() -> dict:
    """CPU model, cores, RAM and OS of this machine, from /proc and os-release."""
    cpu = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram_kb = None
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    ram_kb = int(line.split()[1])
    except OSError:
        pass
    os_name = platform.system()
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    os_name = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return {
        "cpu": cpu or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram_gb": round(ram_kb / 1024 / 1024, 1) if ram_kb else None,
        "os": f"{os_name}, kernel {platform.release()}",
        "python": platform.python_version(),
    }


def package_versions() -> dict:
    """Read the installed versions of the packages the benchmark uses."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def plan_cases(args) -> list[dict]:
    """List the (engine, workload, size, threads) cases of this run, in order.

    Case-major: every engine runs a case before the next case starts, so a
    change in the machine's load falls on all engines alike.
    """
    cases, seen = [], set()

    def add(engine, workload, size, threads, series):
        points = parse_size(size) if size else None
        key = (engine, workload, size, threads)
        if key in seen:
            return
        seen.add(key)
        cases.append({
            "engine": engine, "workload": workload, "size": size, "points": points,
            "threads": threads, "series": series,
            "repeats": args.repeats or default_repeats(points),
        })

    for workload in args.workloads:
        sizes = DEFAULT_SIZES.get(workload, (None,))
        if args.sizes and workload in DEFAULT_SIZES:
            sizes = tuple(size_label(n) for n in args.sizes)
        for size in sizes:
            for engine in args.engines:
                threads = 1 if engine == "geopandas" else (args.threads or default_threads(engine))
                add(engine, workload, size, threads, "main")
    if args.scaling and "lagesbild" in args.engines and "W1" in args.workloads:
        for size in args.scaling_sizes:
            for threads in args.scaling_threads:
                add("lagesbild", "W1", size_label(size), threads, "scaling")
    return cases


class Inputs:
    """Input files of each case, with their SHA-256 from the data manifest."""

    def __init__(self, data: Path, stockholm: Path, manifest: dict):
        self.data, self.stockholm, self.manifest = data, stockholm, manifest
        self._cache: dict = {}

    def get(self, workload: str, size: str | None) -> dict | None:
        """Find the input files of a case, or None when one is missing.

        Returns ``{"paths": {role: path}, "sha256": {role: digest}}``; a
        file absent from the manifest counts as missing.
        """
        key = (workload, size)
        if key not in self._cache:
            self._cache[key] = self._find(workload, size)
        return self._cache[key]

    def require(self, workload: str, size: str | None) -> dict:
        """Find the input files of a case, or stop saying how to make them."""
        found = self.get(workload, size)
        if found is None:
            areas = self.stockholm / "stadsdelar.shp"
            if not areas.exists():
                raise SystemExit(f"run.py: {areas} is missing (the real Stockholm boundaries)")
            hint = f" --sizes {size}" if size else ""
            raise SystemExit(
                f"run.py: inputs of {workload}{'-' + size if size else ''} are missing in "
                f"{self.data}; make them with `python benchmarks/make_data.py{hint}`"
            )
        return found

    def _find(self, workload: str, size: str | None) -> dict | None:
        files = self.manifest.get("files", {})
        paths = {"areas": self.stockholm / "stadsdelar.shp"}
        if workload in ("W1", "W3"):
            paths["points"] = self.data / f"points_{size}.parquet"
        if workload in ("W2", "W5"):
            paths["bands"] = self.data / "bands.parquet"
        if workload in ("W3", "W4"):
            paths["routes"] = self.data / "routes.parquet"
        digests = {"areas": self.manifest.get("params", {}).get("stadsdelar_sha256")}
        for role, path in paths.items():
            if not path.exists():
                return None
            if role != "areas":
                entry = files.get(path.name)
                if entry is None:
                    return None
                digests[role] = entry["sha256"]
        return {"paths": {k: str(v) for k, v in paths.items()}, "sha256": digests}


def run_case(case: dict, inputs: dict, timeout: float) -> dict:
    """Run one case in a child process; its measurements and answer."""
    env = dict(os.environ)
    threads = str(case["threads"])
    # Thread pools that read the environment at start-up (lagesbild's rayon
    # pool and polars; DuckDB and SedonaDB are set through SQL in setup).
    env.update({"RAYON_NUM_THREADS": threads, "POLARS_MAX_THREADS": threads})
    with tempfile.TemporaryDirectory(prefix="lagesbild-bench-") as tmp:
        spec_path = Path(tmp) / "spec.json"
        out_path = Path(tmp) / "out.json"
        spec = {**case, "inputs": inputs["paths"], "out": str(out_path)}
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", str(spec_path)], env=env)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                return {"status": "error", "error": f"timed out after {timeout:.0f} s", "wall_s": timeout}
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out = json.loads(out_path.read_text(encoding="utf-8")) if out_path.exists() else {
            "status": "error", "error": f"child exited with status {proc.returncode} and wrote nothing",
        }
    out["wall_s"] = wall
    out["peak_mb"] = round(usage.ru_maxrss / 1024, 1)  # ru_maxrss is in KiB on Linux
    if out.get("times_s"):
        out["median_s"] = statistics.median(out["times_s"])
        out["min_s"] = min(out["times_s"])
        out["median_cpu_s"] = statistics.median(out["cpu_times_s"])
    if out.get("warm_times_s"):
        out["warm_median_s"] = statistics.median(out["warm_times_s"])
    return out


def _threads(n: int) -> str:
    return f"{n} thread" + ("s" if n != 1 else "")


def _result_files(results: Path) -> list[Path]:
    """The results files of this suite, ``<date>.json`` (not ``dask-<date>.json``)."""
    return sorted(p for p in results.glob("*.json") if p.name[:1].isdigit())


def record_key(r: dict) -> tuple:
    """Identify a record: engine, workload, size and threads."""
    return (r["engine"], r["workload"], r["size"], r["threads"])


def collect_records(current: list[dict], results: Path, inputs: Inputs) -> list[dict]:
    """Add to this run's records the latest stored record of every other case.

    Stored records come from ``results/*.json`` and count only when they were
    made on the same input files (by SHA-256) as the current ones.
    """
    merged = {record_key(r): r for r in current}
    earlier: dict = {}
    for path in _result_files(results):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if not isinstance(doc, dict):  # another suite's results (dask-*.json)
            continue
        for r in doc.get("records", []):
            key = record_key(r)
            if key in merged or r.get("status") != "ok":
                continue
            found = inputs.get(r["workload"], r["size"])
            if found is None or r.get("inputs_sha256") != found["sha256"]:
                continue
            if key not in earlier or r.get("finished", "") > earlier[key].get("finished", ""):
                earlier[key] = {**r, "from_file": path.name}
    merged.update(earlier)
    return sorted(merged.values(), key=_order)


def _order(r: dict) -> tuple:
    return (
        WORKLOADS.index(r["workload"]), r["points"] or 0, r.get("series") != "main",
        ENGINE_ORDER.index(r["engine"]) if r["engine"] in ENGINE_ORDER else 99, r["threads"],
    )


def check_agreement(records: list[dict], inputs: Inputs) -> list[str]:
    """Compare every answer with the reference one; return the disagreements.

    The reference per workload and size is geopandas's, else the first
    engine's; each record gets its verdict under ``agreement``.
    """
    failures = []
    groups: dict = {}
    for r in records:
        if r.get("status") == "ok":
            groups.setdefault((r["workload"], r["size"]), []).append(r)
    overlap_points: dict = {}
    for (workload, size), group in groups.items():
        ref = next((r for r in group if r["engine"] == "geopandas"), group[0])
        ref["agreement"] = {"ok": True, "detail": "reference", "reference": True}
        for r in group:
            if r is ref:
                continue
            allowed = 0
            if workload == "W1" and agree.differing_points(ref["answer"], r["answer"]) > 0:
                if size not in overlap_points:
                    paths = inputs.require(workload, size)["paths"]
                    overlap_points[size] = agree.points_in_overlaps(paths["points"], paths["areas"])
                allowed = overlap_points[size]
            result = agree.compare(workload, ref["answer"], r["answer"], allowed)
            result["against"] = f"{ref['engine']} ({_threads(ref['threads'])})"
            r["agreement"] = result
            if not result["ok"]:
                failures.append(
                    f"{report.case_name(r)}: {r['engine']} ({_threads(r['threads'])}) "
                    f"disagrees with {ref['engine']}: {result['detail']}"
                )
    return failures


def parse_args(argv):
    """Parse the command line of the runner."""
    parser = argparse.ArgumentParser(
        description="Run the side-by-side benchmark (see benchmarks/README.md).",
    )
    parser.add_argument("--engines", nargs="+", choices=ENGINE_ORDER, default=list(ENGINE_ORDER))
    parser.add_argument("--workloads", nargs="+", choices=WORKLOADS, default=list(WORKLOADS))
    parser.add_argument(
        "--sizes", nargs="+", type=parse_size, metavar="N",
        help="point counts for W1 and W3 (default: W1 1M 10M, W3 100k 1M)",
    )
    parser.add_argument("--repeats", type=int, help="timed runs per case (default 5; 3 from 10M points)")
    parser.add_argument(
        "--threads", type=int,
        help="threads for lagesbild, DuckDB and SedonaDB (default: every core; geopandas has one)",
    )
    parser.add_argument(
        "--no-scaling", dest="scaling", action="store_false",
        help="skip the lagesbild scaling series (W1 at 1M, 10M, 50M points on 1 and 2 threads)",
    )
    parser.add_argument(
        "--scaling-sizes", nargs="+", type=parse_size, metavar="N",
        default=[parse_size(s) for s in SCALING_SIZES],
    )
    parser.add_argument("--scaling-threads", nargs="+", type=int, default=list(SCALING_THREADS), metavar="T")
    parser.add_argument("--data", type=Path, default=DATA, help="inputs from make_data.py (default benchmarks/data)")
    parser.add_argument(
        "--stockholm", type=Path, default=STOCKHOLM,
        help="the real boundaries (default ../shared/data/stockholm)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where results go (default benchmarks/results)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed per case (default 3600)")
    parser.add_argument("--list", action="store_true", help="list the cases this command would run, and stop")
    parser.add_argument(
        "--report-only", action="store_true",
        help="run nothing: check and report the stored results for the current input files",
    )
    args = parser.parse_args(argv)
    args.engines = [e for e in ENGINE_ORDER if e in args.engines]
    args.workloads = [w for w in WORKLOADS if w in args.workloads]
    if args.repeats is not None and args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.threads is not None and args.threads < 1:
        parser.error("--threads must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with ``--child``, one case of it)."""
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["--child"]:
        return child_main(argv[1])
    args = parse_args(argv)
    manifest = load_manifest(args.data)
    if not manifest:
        raise SystemExit(f"run.py: no inputs in {args.data}; make them with `python benchmarks/make_data.py`")
    inputs = Inputs(args.data, args.stockholm, manifest)
    if args.report_only:
        return report_only(args, inputs)

    command = "python benchmarks/run.py" + ("" if not argv else " " + shlex.join(argv))
    started = dt.datetime.now().astimezone()
    run_id = started.strftime("%Y-%m-%dT%H:%M:%S%z")
    run_info = {
        "id": run_id, "command": command, "started": started.isoformat(timespec="seconds"),
        "machine": machine(), "packages": package_versions(),
        "data": {"seed": manifest["params"]["seed"], "dir": str(args.data)},
        "loadavg_start": loadavg(),
    }

    cases = plan_cases(args)
    if args.list:
        for case in cases:
            print(f"{report.case_name(case):8} {case['engine']:10} {_threads(case['threads']):10} "
                  f"{case['repeats']} runs  ({case['series']})")
        return 0
    for case in cases:  # every input present before the first case starts
        inputs.require(case["workload"], case["size"])

    print(f"{command}\n{len(cases)} cases on {run_info['machine']['cpu']} "
          f"({run_info['machine']['cores']} cores), load {loadavg()}", flush=True)
    records = []
    for i, case in enumerate(cases, 1):
        name = f"{case['workload']}{'-' + case['size'] if case['size'] else ''}"
        print(f"[{i}/{len(cases)}] {name} {case['engine']} ({_threads(case['threads'])}, "
              f"{case['repeats']} runs) …", end=" ", flush=True)
        case_files = inputs.require(case["workload"], case["size"])
        out = run_case(case, case_files, args.timeout)
        record = {
            **case, **out, "run": run_id,
            "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "inputs_sha256": case_files["sha256"],
        }
        records.append(record)
        if out["status"] == "ok":
            load = out.get("loadavg_after") or ["?"]
            warm = f" (warm {out['warm_median_s']:.4f} s)" if out.get("warm_median_s") else ""
            print(f"median {out['median_s']:.4f} s{warm}, load {out['load_s']:.2f} s, "
                  f"peak {out['peak_mb']:.0f} MB, load avg {load[0]}", flush=True)
        else:
            print(f"FAILED: {out.get('error')}", flush=True)
            if out.get("traceback"):
                print(out["traceback"], file=sys.stderr)
    run_info["finished"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    run_info["loadavg_end"] = loadavg()

    all_records = collect_records(records, args.results, inputs)
    failures = check_agreement(all_records, inputs)
    failures = [f"{report.case_name(r)} {r['engine']} ({r['threads']} threads) failed: {r.get('error')}"
                for r in records if r["status"] != "ok"] + failures

    path = write_results(args.results, started, run_info, records)
    print(f"written: {path}")
    runs = load_runs(args.results)
    runs[run_id] = run_info
    return finish(args.results, all_records, runs, run_id, failures)


def report_only(args, inputs: Inputs) -> int:
    """Check and report the stored results for the current input files."""
    records = collect_records([], args.results, inputs)
    if not records:
        raise SystemExit(f"run.py: no results in {args.results} for the inputs in {args.data}")
    failures = check_agreement(records, inputs)
    latest_run = max(records, key=lambda r: r.get("finished", ""))["run"]
    return finish(args.results, records, load_runs(args.results), latest_run, failures)


def finish(results: Path, records: list[dict], runs: dict, current_run: str, failures: list[str]) -> int:
    """Write and print the report; fail loudly on any failure."""
    table = report.markdown(records, runs, current_run, failures)
    latest = results / "latest.md"
    write_atomic(latest, lambda p: Path(p).write_text(table, encoding="utf-8"))
    print()
    print(table)
    print(f"written: {latest}")
    if failures:
        banner = "=" * 72
        print(
            f"\n{banner}\nBENCHMARK FAILED: {len(failures)} problem(s)\n"
            + "\n".join(f"  - {f}" for f in failures) + f"\n{banner}",
            file=sys.stderr,
        )
        return 1
    return 0


def load_runs(results: Path) -> dict:
    """Read the description of every stored run, by run id."""
    runs = {}
    for path in _result_files(results):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if not isinstance(doc, dict):  # another suite's results (dask-*.json)
            continue
        for run in doc.get("runs", []):
            runs[run["id"]] = run
    return runs


def write_results(results: Path, started: dt.datetime, run_info: dict, records: list[dict]) -> Path:
    """Add this run to ``results/<date>.json``.

    Its records replace those of the same engine, workload, size and
    threads; the others stay.
    """
    path = results / f"{started.date().isoformat()}.json"
    doc = {"runs": [], "records": []}
    if path.exists():
        doc = json.loads(path.read_text(encoding="utf-8"))
    new_keys = {record_key(r) for r in records}
    kept = [r for r in doc.get("records", []) if record_key(r) not in new_keys]
    doc["records"] = sorted(kept + [_stored(r) for r in records], key=_order)
    used = {r["run"] for r in doc["records"]}
    doc["runs"] = [r for r in doc.get("runs", []) if r["id"] in used and r["id"] != run_info["id"]] + [run_info]
    text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomic(path, lambda p: Path(p).write_text(text, encoding="utf-8"))
    return path


def _stored(r: dict) -> dict:
    return {k: v for k, v in r.items() if k not in ("from_file",)}


if __name__ == "__main__":
    sys.exit(main())
