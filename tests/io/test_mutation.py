"""Mutation tests: damaged copies of real files must fail cleanly, never crash.

Random byte flips, truncations, insertions, deletions and overwrites are
applied to the real stadsdelar (.shp, .dbf, .shx, simplified GeoJSON) and to
corpus GeoPackage, GeoParquet, CSV and xlsx files. Every mutant is read, and
the layer used a little, in a child Python process, so that an abort, a
segfault or a hang is caught and pinned on the mutant that caused it. Each
outcome must be a value or an ``lb.LagesbildError``; any other exception, a
crash or a timeout fails the test, naming the mutant file (kept under the
pytest temporary directory), what was done to it and the seed.

The mutants are seeded (LAGESBILD_MUTATION_SEED, default below) and the run
is time-bounded (LAGESBILD_MUTATION_SECONDS per reader, default 4): the same
seed gives the same mutants, and a faster machine simply runs more of them.
"""

from __future__ import annotations

import json
import os
import queue
import random
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.mutation

SEED = int(os.environ.get("LAGESBILD_MUTATION_SEED", "20210413"))
BUDGET = float(os.environ.get("LAGESBILD_MUTATION_SECONDS", "4"))
MAX_MUTANTS = int(os.environ.get("LAGESBILD_MUTATION_MAX", "400"))
MIN_MUTANTS = 15  # fewer than this in the budget means the run says nothing
HANG_SECONDS = float(os.environ.get("LAGESBILD_MUTATION_HANG", "30"))  # one mutant taking longer than this is a hang
STARTUP_SECONDS = 120.0
# Address space of the child, so that a mutant which makes a reader allocate
# without bound fails (as a crash) instead of exhausting the machine.
MEMORY_LIMIT = min(16 * 1024**3, os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))

CHILD = r'''
import json, os, resource, sys, traceback
limit = int(sys.argv[3])
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import lagesbild as lb

def use(obj):
    """Touch what a user touches first, so lazy decoding is exercised too."""
    if isinstance(obj, lb.Layer):
        len(obj); obj.bounds; obj.crs; obj.geom_types
        obj.attributes; obj.to_polars()
        obj.is_valid()
        if obj.crs is not None and not obj.crs.is_geographic:
            obj.area()
    else:
        obj.shape

jobs = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
start = int(sys.argv[2])
for job in jobs[start:]:
    print("start", job["id"], flush=True)
    try:
        if job["call"] == "read":
            use(lb.read(job["path"], **job["kwargs"]))
        else:
            use(lb.read_table(job["path"], **job["kwargs"]))
        out = "ok"
    except lb.LagesbildError as e:
        out = "lagesbild " + type(e).__name__
    except BaseException as e:  # noqa: BLE001 - that is what is being looked for
        tb = traceback.format_exc().splitlines()[-6:]
        out = "OTHER " + type(e).__module__ + "." + type(e).__qualname__ + ": " + " | ".join(tb)[:1500]
    print("done", job["id"], json.dumps(out), flush=True)
'''


@dataclass
class Target:
    """A reader and the file(s) it reads; ``mutate`` is the one file changed."""

    id: str
    files: list[str]  # paths relative to the source folder, first one is what is read
    mutate: str
    call: str = "read"
    kwargs: dict | None = None
    source: str = "stockholm"  # or "corpus"
    # Must some mutant be rejected? Not for CSV, where almost any bytes are a table.
    must_notice: bool = True
    # Where the lengths, counts and offsets are: the first 128 bytes, or (Parquet's
    # footer) the last 2048.
    header_at_end: bool = False


TARGETS = [
    Target("stadsdelar-shp", ["stadsdelar.shp", "stadsdelar.shx", "stadsdelar.dbf", "stadsdelar.prj"],
           "stadsdelar.shp"),
    Target("stadsdelar-dbf", ["stadsdelar.shp", "stadsdelar.shx", "stadsdelar.dbf", "stadsdelar.prj"],
           "stadsdelar.dbf"),
    Target("stadsdelar-shx", ["stadsdelar.shp", "stadsdelar.shx", "stadsdelar.dbf", "stadsdelar.prj"],
           "stadsdelar.shx"),
    Target("stadsdelar-geojson", ["stadsdelar_simplified.geojson"], "stadsdelar_simplified.geojson"),
    Target("gpkg", ["gpkg/alla_typer.gpkg"], "gpkg/alla_typer.gpkg", source="corpus"),
    Target("gpkg-multilayer", ["gpkg/flerlager.gpkg"], "gpkg/flerlager.gpkg", kwargs={"layer": "punkter"},
           source="corpus"),
    Target("geoparquet-geopandas", ["parquet/alla_typer.parquet"], "parquet/alla_typer.parquet", source="corpus"),
    Target("geoparquet-duckdb", ["parquet/duckdb.parquet"], "parquet/duckdb.parquet", source="corpus"),
    # Parquet's GEOMETRY type, whose footer lagesbild rewrites before polars reads it.
    Target("geoparquet2-pyarrow", ["parquet2/pyarrow_srid_radgrupper.parquet"],
           "parquet2/pyarrow_srid_radgrupper.parquet", source="corpus", header_at_end=True),
    Target("geoparquet2-duckdb", ["parquet2/duckdb_v2.parquet"], "parquet2/duckdb_v2.parquet", source="corpus",
           header_at_end=True),
    Target("csv-points", ["tabell/punkter_sv.csv"], "tabell/punkter_sv.csv",
           kwargs={"lon": "lon", "lat": "lat", "sep": ";", "decimal": ",", "encoding": "cp1252"}, source="corpus",
           must_notice=False),
    Target("csv-table", ["tabell/punkter_sv.csv"], "tabell/punkter_sv.csv", call="read_table",
           kwargs={"sep": ";", "decimal": ",", "encoding": "cp1252"}, source="corpus", must_notice=False),
    Target("xlsx", ["tabell/tabell.xlsx"], "tabell/tabell.xlsx", call="read_table",
           kwargs={"sheet": "Händelser"}, source="corpus"),
]


# ---------------------------------------------------------------------------
# Mutations
# ---------------------------------------------------------------------------

INTERESTING = [b"\x00", b"\xff", b"\x7f", b"\x80", b"\x00\x00\x00\x00", b"\xff\xff\xff\xff", b"\xff\xff\xff\x7f",
               b"\x00\x00\x00\x80", b"{", b"}", b"[", b"]", b'"', b",", b";", b"\n", b"\r\n", b"-", b"1e308", b"NaN"]


def mutate(data: bytes, rng: random.Random, *, header_at_end: bool = False) -> tuple[bytes, str]:
    """One random mutation of ``data``; returns the mutant and what was done."""
    n = len(data)
    # Headers carry lengths, counts and offsets: aim a third of the mutations there.
    def pos() -> int:
        if n == 0:
            return 0
        if rng.random() >= 1 / 3:
            return rng.randrange(n)
        return rng.randrange(max(0, n - 2048), n) if header_at_end else rng.randrange(min(n, 128))

    kind = rng.choice(["flip", "flip", "truncate", "insert", "delete", "overwrite", "interesting", "duplicate"])
    buf = bytearray(data)
    if kind == "flip" or n == 0:
        k = rng.randint(1, 8)
        where = sorted({pos() for _ in range(k)}) if n else []
        for p in where:
            buf[p] ^= rng.randint(1, 255)
        return bytes(buf), f"flip bytes at {where}"
    if kind == "truncate":
        cut = rng.randrange(n)
        return data[:cut], f"truncate to {cut} of {n} bytes"
    if kind == "insert":
        p = pos()
        junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        return data[:p] + junk + data[p:], f"insert {len(junk)} random bytes at {p}"
    if kind == "delete":
        p = pos()
        k = rng.randint(1, 64)
        return data[:p] + data[p + k:], f"delete {k} bytes at {p}"
    if kind == "overwrite":
        p = pos()
        k = rng.randint(1, 32)
        fill = rng.choice([b"\x00", b"\xff"]) * k
        return data[:p] + fill + data[p + k:], f"overwrite {k} bytes at {p} with {fill[:1]!r}"
    if kind == "interesting":
        p = pos()
        val = rng.choice(INTERESTING)
        return data[:p] + val + data[p + len(val):], f"overwrite at {p} with {val!r}"
    # duplicate a chunk (repeated records, repeated JSON members)
    p = pos()
    k = rng.randint(1, 256)
    return data[:p] + data[p:p + k] + data[p:], f"duplicate {k} bytes at {p}"


def make_mutants(target: Target, src_dir: Path, out: Path, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(f"{seed}:{target.id}")
    original = (src_dir / target.mutate).read_bytes()
    jobs = []
    # job 0 is the unmutated file: it must read, or the harness itself is broken
    for i in range(MAX_MUTANTS + 1):
        d = out / f"m{i:04d}"
        d.mkdir(parents=True)
        if i == 0:
            data, desc = original, "unmutated"
        else:
            data, desc = mutate(original, rng, header_at_end=target.header_at_end)
            if rng.random() < 0.25:  # sometimes a second mutation on top
                data, desc2 = mutate(data, rng, header_at_end=target.header_at_end)
                desc = f"{desc}; then {desc2}"
        for rel in target.files:
            dst = d / Path(rel).name
            if rel == target.mutate:
                dst.write_bytes(data)
            else:  # the unchanged companions of a shapefile
                os.symlink(src_dir / rel, dst)
        jobs.append({"id": i, "path": str(d / Path(target.files[0]).name), "call": target.call,
                     "kwargs": target.kwargs or {}, "desc": desc, "dir": str(d)})
    return jobs


# ---------------------------------------------------------------------------
# Running mutants in child processes
# ---------------------------------------------------------------------------


def _reader(stream: Any, q: queue.Queue) -> None:
    for line in stream:
        q.put(line.rstrip("\n"))
    q.put(None)


def run_jobs(jobs: list[dict[str, Any]], workdir: Path, budget: float) -> dict[int, str]:
    """Run the jobs in as few children as possible; returns the outcome of each job that ran.

    A child that dies or hangs is charged with the job it had started and
    replaced by a new one, which continues with the next job. After
    ``budget`` seconds no new job is started (job 0, the unmutated control,
    always runs).
    """
    script = workdir / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    jobfile = workdir / "jobs.jsonl"
    jobfile.write_text("".join(json.dumps(j, ensure_ascii=False) + "\n" for j in jobs), encoding="utf-8")
    outcomes: dict[int, str] = {}
    started = time.monotonic()
    child_no = 0
    while True:
        nxt = max(outcomes) + 1 if outcomes else 0
        if nxt >= len(jobs) or (outcomes and time.monotonic() - started > budget):
            return outcomes
        child_no += 1
        errfile = workdir / f"child{child_no}.stderr"
        with errfile.open("w") as err:
            proc = subprocess.Popen(
                [sys.executable, str(script), str(jobfile), str(nxt), str(MEMORY_LIMIT)],
                stdout=subprocess.PIPE, stderr=err, text=True, encoding="utf-8",
                env={**os.environ, "PYTHONFAULTHANDLER": "1", "RUST_BACKTRACE": "0"},
            )
            q: queue.Queue = queue.Queue()
            reader = threading.Thread(target=_reader, args=(proc.stdout, q), daemon=True)
            reader.start()
            try:
                spent = _supervise(proc, q, nxt, len(jobs), outcomes, started, budget, errfile)
            finally:
                if proc.poll() is None:
                    proc.kill()
                proc.wait()
                reader.join(timeout=10)
                proc.stdout.close()
        if spent:
            return outcomes


def _supervise(proc: subprocess.Popen, q: queue.Queue, nxt: int, njobs: int, outcomes: dict[int, str],
               started: float, budget: float, errfile: Path) -> bool:
    """Follow one child until it ends, crashes, hangs or the budget is spent (then True)."""
    current: int | None = None
    while True:
        wait = STARTUP_SECONDS if current is None and nxt == 0 else HANG_SECONDS
        try:
            line = q.get(timeout=wait)
        except queue.Empty:
            proc.kill()
            outcomes[current if current is not None else nxt] = f"TIMEOUT: no result after {wait:.0f} s"
            return False
        if line is None:  # the child is gone
            rc = proc.wait()
            tail = [ln[:300] for ln in errfile.read_text(errors="replace").strip().splitlines()
                    if ln.strip() and not ln.startswith("Extension modules:")][-8:]
            if current is not None:
                outcomes[current] = f"CRASH: exit status {rc}; stderr: {' | '.join(tail)}"
                return False
            if rc != 0 or nxt < njobs:
                raise AssertionError(f"mutation child exited between jobs (status {rc}): {tail}")
            return False
        word, _, rest = line.partition(" ")
        if word == "start":
            current = int(rest)
        elif word == "done":
            jid, _, out = rest.partition(" ")
            outcomes[int(jid)] = json.loads(out)
            current = None
            nxt = int(jid) + 1
            if time.monotonic() - started > budget:
                return True


# ---------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sources(request: pytest.FixtureRequest) -> dict[str, Path]:
    return {"stockholm": request.getfixturevalue("stockholm"), "corpus": request.getfixturevalue("corpus")}


@pytest.mark.parametrize(
    "target",
    [pytest.param(t, id=t.id, marks=[pytest.mark.real_data] if t.source == "stockholm" else []) for t in TARGETS],
)
def test_mutants_fail_cleanly(target: Target, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    src_dir = request.getfixturevalue(target.source)
    jobs = make_mutants(target, src_dir, tmp_path / "mutants", SEED)
    outcomes = run_jobs(jobs, tmp_path, BUDGET)
    ran = len(outcomes)

    tally: dict[str, int] = {}
    for o in outcomes.values():
        key = o.split(":")[0]
        tally[key] = tally.get(key, 0) + 1
    print(f"{target.id}: {ran} mutants (seed {SEED}): {dict(sorted(tally.items()))}")

    control = outcomes.get(0)
    assert control == "ok", f"the unmutated {target.mutate} does not read cleanly: {control}"

    failures = {i: o for i, o in outcomes.items() if not (o == "ok" or o.startswith("lagesbild "))}
    # keep the failing mutants, drop the rest (they can be made again from the seed)
    for j in jobs:
        if j["id"] not in failures:
            shutil.rmtree(j["dir"], ignore_errors=True)
    if failures:
        lines = [f"{len(failures)} of {ran} mutants of {target.mutate} failed badly "
                 f"(seed {SEED}, LAGESBILD_MUTATION_SEED={SEED} to repeat):"]
        for i, o in sorted(failures.items())[:20]:
            j = jobs[i]
            call = f"lb.{j['call']}({j['path']!r}{''.join(f', {k}={v!r}' for k, v in j['kwargs'].items())})"
            lines.append(f"  mutant {i}: {j['path']}\n    made by: {j['desc']}\n    outcome: {o}\n"
                         f"    repeat: python -c \"import lagesbild as lb; {call}\"")
        print("\n".join(lines))
        pytest.fail("\n".join(lines), pytrace=False)

    assert ran >= MIN_MUTANTS, (
        f"only {ran} mutants of {target.mutate} ran in {BUDGET} s; raise LAGESBILD_MUTATION_SECONDS"
    )
    kinds = {o for o in outcomes.values()}
    # Damage must be noticed at least sometimes: a reader that accepts every
    # mutant silently is not checking anything.
    assert not target.must_notice or any(k.startswith("lagesbild ") for k in kinds), (
        f"none of {ran} mutants of {target.mutate} raised a LagesbildError: {sorted(kinds)}"
    )
