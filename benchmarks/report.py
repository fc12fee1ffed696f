"""The Markdown report of a benchmark run (``results/latest.md``)."""

from __future__ import annotations

ENGINE_NAMES = {
    "lagesbild": "lagesbild", "geopandas": "geopandas", "duckdb": "DuckDB", "sedonadb": "SedonaDB",
}
ENGINES = tuple(ENGINE_NAMES)
WORKLOAD_TITLES = {
    "W1": "points per stadsdel",
    "W2": "flood-band area per stadsdel",
    "W3": "points within 150 m of a route, per stadsdel",
    "W4": "route length per stadsdel and class",
    "W5": "flood-band pieces per stadsdel",
}


def case_name(r: dict) -> str:
    """Name a case: ``W1 1M`` with points, ``W2`` without.

    >>> case_name({"workload": "W1", "size": "10M"}), case_name({"workload": "W4", "size": None})
    ('W1 10M', 'W4')
    """
    return r["workload"] + (f" {r['size']}" if r.get("size") else "")


def seconds(v: float | None) -> str:
    """Format seconds with three significant digits.

    >>> seconds(0.0234), seconds(2.456), seconds(26.21), seconds(None)
    ('0.0234', '2.46', '26.2', '—')
    """
    if v is None:
        return "—"
    return f"{v:.3g}" if v < 100 else f"{v:.0f}"


def ratio(slow: float | None, fast: float | None) -> str:
    """Say how many times faster ``fast`` is than ``slow``.

    >>> ratio(2.27, 0.1), ratio(0.5, 1.0), ratio(None, 1.0)
    ('22.7×', '0.5×', '—')
    """
    if not slow or not fast:
        return "—"
    x = slow / fast
    return f"{x:.3g}×" if x < 1000 else f"{x:.0f}×"


def _mb(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f}"


def _load(r: dict) -> str:
    before, after = r.get("loadavg_before"), r.get("loadavg_after")
    if not before or not after:
        return "—"
    return f"{before[0]:.2f} → {after[0]:.2f}"


def _mark(r: dict, current_run: str) -> str:
    return "" if r.get("run") == current_run else " †"


def markdown(records: list[dict], runs: dict, current_run: str, failures: list[str]) -> str:
    """Write the report: setting, summary table, details, scaling series, agreement."""
    run = runs[current_run]
    m = run["machine"]
    lines = [
        "# lagesbild side-by-side benchmark",
        "",
        f"- **Date:** {run['started'][:10]} (run {run['started']} to {run.get('finished', '?')})",
        f"- **Command:** `{run['command']}`",
        f"- **Machine:** {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; {m['os']}; Python {m['python']}",
        f"- **Load average** (1 min) at start and end: {_fmt_load(run.get('loadavg_start'))} → "
        f"{_fmt_load(run.get('loadavg_end'))}",
        "- **Packages:** " + ", ".join(f"{k} {v}" for k, v in run["packages"].items() if v),
        f"- **Data:** `benchmarks/make_data.py`, seed {run['data']['seed']}; "
        "stadsdelar from `../shared/data/stockholm/stadsdelar.shp` (117, EPSG:3011)",
    ]
    earlier = sorted({r["run"] for r in records if r.get("run") != current_run})
    if earlier:
        lines.append("- **Earlier runs** (rows marked †, same input files by SHA-256):")
        for rid in earlier:
            info = runs.get(rid, {})
            pk = info.get("packages", {})
            versions = ", ".join(f"{k} {pk[k]}" for k in ("lagesbild", "geopandas", "duckdb", "sedonadb") if pk.get(k))
            lines.append(f"  - {rid}: `{info.get('command', '?')}` ({versions})")
    lines += [
        "",
        "Times are medians of the timed runs: building point geometries where an engine "
        "needs them, every index, the join and the group-by, with the inputs already in "
        "memory (loading is timed apart). Each engine and case runs in its own process; "
        "peak MB is that process's maximum RSS. geopandas runs on one thread, the others "
        "on every core unless the threads column says otherwise. CPU s is the median CPU "
        "time of a run over all its threads: the machine is shared, and the load average "
        "(2 or more on 2 cores means contention) is given with every case.",
        "",
        "## Median seconds",
        "",
    ]
    main = [r for r in records if r.get("series", "main") == "main" and r.get("status") == "ok"]
    cases = []
    for r in main:
        if case_name(r) not in cases:
            cases.append(case_name(r))
    present = [e for e in ENGINES if any(r["engine"] == e for r in main)]
    header = ["workload", *(ENGINE_NAMES[e] for e in present), "lagesbild vs fastest other", "lagesbild vs geopandas"]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    if not cases:
        lines.append("| (no successful runs) |" + " |" * (len(header) - 1))
    for case in cases:
        rows = {r["engine"]: r for r in main if case_name(r) == case}
        first = next(iter(rows.values()))
        cells = [f"{case}: {WORKLOAD_TITLES[first['workload']]}"]
        for e in present:
            r = rows.get(e)
            cells.append("—" if r is None else f"{seconds(r['median_s'])}{_mark(r, current_run)}")
        lb = rows.get("lagesbild")
        others = [r["median_s"] for e, r in rows.items() if e != "lagesbild"]
        gp = rows.get("geopandas")
        cells.append(ratio(min(others), lb["median_s"]) if lb and others else "—")
        cells.append(ratio(gp["median_s"], lb["median_s"]) if lb and gp else "—")
        lines.append("| " + " | ".join(cells) + " |")

    lines += [
        "",
        "## Details",
        "",
        "| workload | engine | threads | median s | min s | warm s | CPU s | runs | load s | peak MB | MB after load "
        "| MB beyond load | load avg (1 min) | agreement |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in records:
        if r.get("series", "main") != "main":
            continue
        lines.append(_detail_row(r, current_run))

    scaling = [r for r in records if r["engine"] == "lagesbild" and r["workload"] == "W1" and r.get("status") == "ok"]
    if scaling:
        lines += [
            "",
            "## lagesbild scaling (W1)",
            "",
            "| points | threads | median s | million points/s | load s | peak MB | MB beyond load | load avg (1 min) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in sorted(scaling, key=lambda r: (r["points"], r["threads"])):
            rate = r["points"] / r["median_s"] / 1e6 if r["median_s"] else None
            lines.append(
                f"| {r['size']}{_mark(r, current_run)} | {r['threads']} | {seconds(r['median_s'])} | "
                f"{'—' if rate is None else f'{rate:.3g}'} | {seconds(r['load_s'])} | {_mb(r['peak_mb'])} | "
                f"{_mb(_beyond(r))} | {_load(r)} |"
            )

    lines += ["", "## Agreement", ""]
    if failures:
        lines.append("**The engines do not agree, or an engine failed:**")
        lines.append("")
        lines += [f"- {f}" for f in failures]
    else:
        lines.append(
            "Every answer agrees with the reference (geopandas where it ran): W1 and W3 counts "
            "per stadsdel and outside, W2, W4 and W5 per pair within 1e-6 relative (1e-6 absolute "
            "near zero)."
        )
    lines.append("")
    return "\n".join(lines)


def _beyond(r: dict) -> float | None:
    if r.get("peak_run_mb") is None or r.get("rss_loaded_mb") is None:
        return None
    return r["peak_run_mb"] - r["rss_loaded_mb"]


def _fmt_load(v) -> str:
    return "—" if not v else f"{v[0]:.2f}"


def _detail_row(r: dict, current_run: str) -> str:
    name = ENGINE_NAMES.get(r["engine"], r["engine"]) + _mark(r, current_run)
    if r.get("status") != "ok":
        return f"| {case_name(r)} | {name} | {r['threads']} | failed: {r.get('error', '?')} |" + " |" * 10
    a = r.get("agreement", {})
    verdict = ("reference" if a.get("reference") else ("ok" if a.get("ok") else "**DIFFERS**")) if a else "—"
    if a and not a.get("reference"):
        verdict += f": {a.get('detail')}"
    return (
        f"| {case_name(r)} | {name} | {r['threads']} | {seconds(r['median_s'])} | {seconds(r['min_s'])} | "
        f"{seconds(r.get('warm_median_s'))} | "
        f"{seconds(r.get('median_cpu_s'))} | {len(r['times_s'])} | {seconds(r['load_s'])} | {_mb(r['peak_mb'])} | {_mb(r['rss_loaded_mb'])} | "
        f"{_mb(_beyond(r))} | {_load(r)} | {verdict} |"
    )
