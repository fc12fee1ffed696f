"""The side-by-side benchmark suite (benchmarks/).

Its inputs, its runner and the agreement checks that make a run fail.

The runner is exercised as it is used, in child processes, on small inputs
made by its own data script, with the engines the test environment has
(geopandas and DuckDB; lagesbild once its spatial engine is built; SedonaDB
only in the benchmark's own venv).
"""

from __future__ import annotations

import doctest
import importlib.util
import json
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks"
N_POINTS = 3000
SIZE = "3k"

pytestmark = pytest.mark.real_data


def _module(name: str):
    """Import a benchmark module from benchmarks/ under a private name."""
    if str(BENCH) not in sys.path:
        sys.path.append(str(BENCH))
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _engines() -> list[str]:
    engines = ["geopandas", "duckdb"]
    import lagesbild

    if all(hasattr(lagesbild, f) for f in ("assign", "overlay_area", "within_distance", "length_within")):
        engines.insert(0, "lagesbild")
    return engines


def _run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), *args],
        capture_output=True, text=True, timeout=900, cwd=ROOT,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"run.py {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def bench_data(stockholm: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Small benchmark inputs: 3000 points, the bands and the routes."""
    out = tmp_path_factory.mktemp("bench-data")
    proc = subprocess.run(
        [sys.executable, str(BENCH / "make_data.py"), "--sizes", str(N_POINTS),
         "--out", str(out), "--stockholm", str(stockholm)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture(scope="session")
def bench_results(bench_data: Path, stockholm: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run every available engine on every workload, once per session."""
    results = tmp_path_factory.mktemp("bench-results")
    _run(
        "--engines", *_engines(), "--sizes", str(N_POINTS), "--repeats", "2", "--no-scaling",
        "--data", str(bench_data), "--stockholm", str(stockholm), "--results", str(results),
    )
    return results


def _records(results: Path) -> list[dict]:
    (path,) = [p for p in results.glob("*.json")]
    return json.loads(path.read_text(encoding="utf-8"))["records"]


@pytest.mark.parametrize("name", ["agree", "report", "make_data", "engines", "run"])
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(_module(name))
    assert result.attempted > 0 and result.failed == 0


def test_inputs_are_what_the_workloads_need(bench_data: Path, stockholm: Path) -> None:
    import geopandas as gpd
    import pyarrow.parquet as pq
    import shapely

    manifest = json.loads((bench_data / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {f"points_{SIZE}.parquet", "bands.parquet", "routes.parquet"}
    areas = gpd.read_file(stockholm / "stadsdelar.shp")

    points = pq.read_table(bench_data / f"points_{SIZE}.parquet")
    assert points.schema.names == ["x", "y"] and all(str(t) == "double" for t in points.schema.types)
    x, y = points.column("x").to_numpy(), points.column("y").to_numpy()
    xmin, ymin, xmax, ymax = areas.total_bounds
    assert len(x) == N_POINTS and x.min() >= xmin and x.max() <= xmax and y.min() >= ymin and y.max() <= ymax
    assert len(np.unique(x)) == N_POINTS  # random floats, no repeats

    bands = gpd.read_parquet(bench_data / "bands.parquet")
    assert bands.crs.to_epsg() == 3011 and bands["band"].tolist() == ["25m", "100m", "250m"]
    b25, b100, b250 = bands.geometry
    water = gpd.read_file(stockholm / "vatten.shp").geometry.iloc[0]
    assert shapely.difference(water, b25).area < 1.0  # the bands hold the water
    assert shapely.difference(b25, b100).area < 1.0 and shapely.difference(b100, b250).area < 1.0
    assert b25.area < b100.area < b250.area
    # 25 m beyond the water's edge: about its perimeter times 25 m, minus overlaps
    assert 0.3 * 25 * water.boundary.length < b25.area - water.area < 25 * water.boundary.length

    routes = gpd.read_parquet(bench_data / "routes.parquet")
    assert len(routes) == 60 and routes["route_id"].is_unique
    assert set(routes["klass"]) == {"primary", "secondary", "rail"}
    counts = shapely.get_num_coordinates(routes.geometry.values)
    assert counts.min() >= 25 and counts.max() <= 200
    city = shapely.union_all(areas.geometry.values)
    coords = shapely.get_coordinates(routes.geometry.values)
    assert shapely.contains_xy(city, coords[:, 0], coords[:, 1]).all()


def test_inputs_are_reproducible() -> None:
    import shapely

    make_data = _module("make_data")
    a = make_data.make_points(1000, (0.0, 0.0, 1.0, 1.0), 42)
    b = make_data.make_points(1000, (0.0, 0.0, 1.0, 1.0), 42)
    c = make_data.make_points(1000, (0.0, 0.0, 1.0, 1.0), 43)
    assert a.equals(b) and not a.equals(c)
    city = shapely.box(0, 0, 5000, 5000)
    r1 = make_data.make_routes(city, 42)
    r2 = make_data.make_routes(city, 42)
    assert shapely.to_wkb(r1.geometry.values).tolist() == shapely.to_wkb(r2.geometry.values).tolist()
    steps = np.hypot(*np.diff(shapely.get_coordinates(r1.geometry.values[0]), axis=0).T)
    assert steps.min() >= 40 and steps.max() <= 160  # the class step lengths


def test_engines_agree_on_every_workload(bench_results: Path, bench_data: Path, stockholm: Path) -> None:
    records = _records(bench_results)
    engines = _engines()
    expected = {(e, w) for e in engines for w in ("W1", "W2", "W3", "W4", "W5")}
    assert {(r["engine"], r["workload"]) for r in records} == expected
    for r in records:
        assert r["status"] == "ok", r.get("error")
        assert r["agreement"]["ok"], r["agreement"]
        assert len(r["times_s"]) == 2 and r["median_s"] > 0 and r["load_s"] > 0
        assert r["peak_mb"] >= r["rss_loaded_mb"] > 0
        assert r["inputs_sha256"]["points" if r["workload"] in ("W1", "W3") else "areas"]
    by = {(r["engine"], r["workload"]): r["answer"]["rows"] for r in records}

    # W1 against an oracle that uses no spatial join: each polygon's points.
    import geopandas as gpd
    import pyarrow.parquet as pq
    import shapely

    areas = gpd.read_file(stockholm / "stadsdelar.shp")
    pts = pq.read_table(bench_data / f"points_{SIZE}.parquet")
    x, y = pts.column("x").to_numpy(), pts.column("y").to_numpy()
    inside = np.zeros(len(x), dtype=int)
    oracle = {}
    for name, geom in zip(areas["name"], areas.geometry):
        hit = shapely.contains_xy(geom, x, y)
        inside += hit
        if hit.any():
            oracle[name] = int(hit.sum())
    oracle[None] = int((inside == 0).sum())
    assert {k: n for k, n in by[("geopandas", "W1")]} == oracle
    assert sum(n for _, n in by[("duckdb", "W1")]) == N_POINTS

    # W3: no more near points than points, some of them in stadsdelar.
    near = by[("geopandas", "W3")]
    assert 0 < sum(n for _, n in near) < N_POINTS and any(k is not None for k, _ in near)
    # W2: three bands, each overlapping many stadsdelar, nested areas.
    w2 = by[("geopandas", "W2")]
    total = {b: sum(v for band, _, v in w2 if band == b) for b in ("25m", "100m", "250m")}
    assert total["25m"] < total["100m"] < total["250m"] < areas.area.sum()
    # W5: the pieces' areas add up to W2's areas, pair by pair.
    w5 = {(b, n): v for b, n, v in by[("geopandas", "W5")]}
    assert w5.keys() == {(b, n) for b, n, _ in w2}
    assert all(abs(w5[(b, n)] - v) <= 1e-9 * v for b, n, v in w2)
    # W4: every class has length, and no more than the routes' own length.
    routes = gpd.read_parquet(bench_data / "routes.parquet")
    w4 = by[("geopandas", "W4")]
    for klass, length in routes.length.groupby(routes["klass"]).sum().items():
        assert 0 < sum(v for k, _, v in w4 if k == klass) <= length * (1 + 1e-9)

    report = (bench_results / "latest.md").read_text(encoding="utf-8")
    assert f"| W1 {SIZE}: points per stadsdel |" in report
    assert "BENCHMARK FAILED" not in report and "do not agree" not in report


def test_lagesbild_is_in_the_comparison(bench_results: Path) -> None:
    if "lagesbild" not in _engines():
        pytest.skip(
            "the spatial engine (lagesbild.assign, overlay_area, within_distance, length_within) is not built yet"
        )
    records = [r for r in _records(bench_results) if r["engine"] == "lagesbild"]
    assert len(records) == 5 and all(r["agreement"]["ok"] for r in records)
    assert "lagesbild vs geopandas" in (bench_results / "latest.md").read_text(encoding="utf-8")
    # Cold runs (layers read again before each but the first) and as many warm ones.
    for r in records:
        assert len(r["times_s"]) == len(r["warm_times_s"]) == 2
        assert len(r["fresh_times_s"]) == 1
        assert r["warm_median_s"] == statistics.median(r["warm_times_s"])
    others = [r for r in _records(bench_results) if r["engine"] != "lagesbild"]
    assert others and not any("warm_times_s" in r for r in others)


def test_the_dask_results_beside_are_left_alone(bench_results: Path, bench_data: Path, stockholm: Path, tmp_path: Path) -> None:
    results = tmp_path / "results"
    shutil.copytree(bench_results, results)
    (results / "dask-2026-12-01.json").write_text("[{\"engine\": \"lagesbild\"}]", encoding="utf-8")
    proc = _run("--report-only", "--data", str(bench_data), "--stockholm", str(stockholm), "--results", str(results))
    assert "lagesbild vs geopandas" in proc.stdout


def test_a_wrong_stored_answer_fails_the_run(
    bench_results: Path, bench_data: Path, stockholm: Path, tmp_path: Path
) -> None:
    # Stored geopandas answers, one count moved and one length off by 1e-5:
    # running DuckDB alone must compare with them and fail loudly.
    results = tmp_path / "results"
    shutil.copytree(bench_results, results)
    (path,) = results.glob("*.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    for r in doc["records"]:
        if r["engine"] == "geopandas" and r["workload"] == "W1":
            rows = r["answer"]["rows"]
            rows[0][1] -= 1
            rows[1][1] += 1
        if r["engine"] == "geopandas" and r["workload"] == "W4":
            r["answer"]["rows"][0][2] *= 1 + 1e-5
    path.write_text(json.dumps(doc), encoding="utf-8")

    proc = _run(
        "--engines", "duckdb", "--workloads", "W1", "W4", "--sizes", str(N_POINTS), "--repeats", "1",
        "--data", str(bench_data), "--stockholm", str(stockholm), "--results", str(results),
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    # DuckDB's two disagreements, and as many for every other engine whose
    # stored answers are compared with the moved reference (lagesbild's too).
    assert re.search(r"BENCHMARK FAILED: (2|4) problem\(s\)", proc.stderr)
    assert re.search(rf"W1 {SIZE}: duckdb \(\d+ threads?\) disagrees with geopandas: 1 differing point\b", proc.stderr)
    assert re.search(r"W4: duckdb \(\d+ threads?\) disagrees with geopandas: \d+ pairs, "
                     r"max relative difference 1\.00e-05, 1 out of tolerance", proc.stderr)
    report = (results / "latest.md").read_text(encoding="utf-8")
    assert "geopandas †" in report and "**DIFFERS**" in report


def test_missing_inputs_are_named(tmp_path: Path, stockholm: Path) -> None:
    proc = _run("--data", str(tmp_path), "--stockholm", str(stockholm), "--results", str(tmp_path), check=False)
    assert proc.returncode != 0
    assert "make_data.py" in proc.stderr and str(tmp_path) in proc.stderr


def test_missing_point_size_is_named(bench_data: Path, stockholm: Path, tmp_path: Path) -> None:
    proc = _run(
        "--engines", "duckdb", "--workloads", "W1", "--sizes", "7k",
        "--data", str(bench_data), "--stockholm", str(stockholm), "--results", str(tmp_path), check=False,
    )
    assert proc.returncode != 0
    assert "W1-7k" in proc.stderr and "make_data.py --sizes 7k" in proc.stderr


def test_points_in_overlaps_counts_the_slivers(stockholm: Path, tmp_path: Path) -> None:
    import geopandas as gpd
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    agree = _module("agree")
    areas = gpd.read_file(stockholm / "stadsdelar.shp").geometry.values
    left, right = shapely.STRtree(areas).query(areas, predicate="intersects")
    slivers = [shapely.intersection(areas[i], areas[j]) for i, j in zip(left, right) if i < j]
    slivers = [s for s in slivers if s.area > 0]
    assert slivers, "the stadsdelar no longer overlap anywhere"
    inside = shapely.get_coordinates(shapely.point_on_surface(slivers[0]))[0]
    lone = shapely.get_coordinates(shapely.point_on_surface(areas[0]))[0]
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"x": [inside[0], lone[0]], "y": [inside[1], lone[1]]}), path)
    assert agree.points_in_overlaps(path, stockholm / "stadsdelar.shp") == (
        1 + int(any(s.contains(shapely.Point(lone)) for s in slivers))
    )


def test_pair_tolerance() -> None:
    agree = _module("agree")
    ref = {"kind": "pairs", "rows": [["a", "x", 1e6], ["a", "y", 1e-7]]}

    def other(v1: float, v2: float) -> dict:
        return {"kind": "pairs", "rows": [["a", "x", v1], ["a", "y", v2]]}

    assert agree.compare("W2", ref, other(1e6 * (1 + 5e-7), 1e-7))["ok"]
    assert not agree.compare("W2", ref, other(1e6 * (1 + 5e-6), 1e-7))["ok"]
    assert agree.compare("W4", ref, other(1e6, 5e-7))["ok"]  # below the absolute floor
    assert not agree.compare("W4", ref, {"kind": "pairs", "rows": [["a", "x", 1e6]] + [["b", "z", 1.0]]})["ok"]
    counts = {"kind": "counts", "rows": [[None, 10], ["A", 5]]}
    moved = {"kind": "counts", "rows": [[None, 10], ["A", 4], ["B", 1]]}
    assert not agree.compare("W1", counts, moved)["ok"]
    assert agree.compare("W1", counts, moved, allowed_points=1)["ok"]
