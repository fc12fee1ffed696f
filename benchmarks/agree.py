"""Do two engines give the same answer? The checks the runner applies.

Answers are in the common forms of ``engines.counts`` and ``engines.pairs``.

- **Counts** (W1, W3): the number of differing points is half the sum, over
  every key (stadsdel or outside), of the absolute difference of the counts
  — a point one engine puts in A and the other in B differs in two keys.
  W1 must agree up to the points that lie in two stadsdelar at once (the
  boundaries overlap by slivers of about 2 m² in total), where engines may
  legitimately pick a different one or both; W3 must agree exactly.
- **Pairs** (W2, W4, W5): every (key, key) pair within ``RTOL`` relative, or
  within ``ATOL`` absolute for values too small for a relative test
  (square metres for W2 and W5, metres for W4); a pair only one engine reports is
  compared against zero.
"""

from __future__ import annotations

import math

#: Relative tolerance per pair for W2, W4 and W5.
RTOL = 1e-6
#: Absolute tolerance per pair (m² or m) for values near zero, where the
#: last bits of an intersection point dominate the relative error.
ATOL = 1e-6


def differing_points(a: dict, b: dict) -> int:
    """Count the points that two count answers put under different keys.

    >>> A = {"kind": "counts", "rows": [[None, 5], ["X", 3]]}
    >>> B = {"kind": "counts", "rows": [[None, 4], ["X", 3], ["Y", 1]]}
    >>> differing_points(A, A), differing_points(A, B)
    (0, 1)
    """
    ca = {k: n for k, n in a["rows"]}
    cb = {k: n for k, n in b["rows"]}
    total = sum(abs(ca.get(k, 0) - cb.get(k, 0)) for k in ca.keys() | cb.keys())
    return (total + 1) // 2


def pair_differences(a: dict, b: dict, rtol: float = RTOL, atol: float = ATOL) -> dict:
    """Compare two pair answers; the worst pair and every pair out of tolerance.

    >>> A = {"kind": "pairs", "rows": [["25m", "X", 100.0], ["25m", "Y", 5.0]]}
    >>> B = {"kind": "pairs", "rows": [["25m", "X", 100.00000001], ["25m", "Z", 1.0]]}
    >>> d = pair_differences(A, B)
    >>> d["pairs"], [p[:2] for p in d["bad"]]
    (3, [['25m', 'Y'], ['25m', 'Z']])
    """
    va = {(k1, k2): v for k1, k2, v in a["rows"]}
    vb = {(k1, k2): v for k1, k2, v in b["rows"]}
    worst_rel, bad = 0.0, []
    for key in sorted(va.keys() | vb.keys(), key=lambda k: (k[0] or "", k[1] or "")):
        x, y = va.get(key, 0.0), vb.get(key, 0.0)
        diff = abs(x - y)
        scale = max(abs(x), abs(y))
        rel = diff / scale if scale > 0 else 0.0
        worst_rel = max(worst_rel, rel)
        if not (diff <= atol or diff <= rtol * scale) or math.isnan(diff):
            bad.append([key[0], key[1], x, y])
    return {"pairs": len(va.keys() | vb.keys()), "max_rel_diff": worst_rel, "bad": bad}


def compare(workload: str, ref: dict, other: dict, allowed_points: int = 0) -> dict:
    """Compare ``other`` with ``ref`` for a workload; ``ok`` says if they agree.

    ``allowed_points`` is the number of differing points that is explained
    (W1: the points lying in two stadsdelar at once, which one engine may
    count twice, or under the other stadsdel; see the module docstring).

    >>> A = {"kind": "counts", "rows": [[None, 5], ["X", 3]]}
    >>> compare("W3", A, A)["ok"], compare("W3", A, {"kind": "counts", "rows": [[None, 8]]})["ok"]
    (True, False)
    """
    if ref["kind"] != other["kind"]:
        return {"ok": False, "detail": f"answers of different kinds: {ref['kind']} and {other['kind']}"}
    if ref["kind"] == "counts":
        n = differing_points(ref, other)
        ok = n <= allowed_points
        detail = f"{n} differing point{'' if n == 1 else 's'}"
        if allowed_points:
            detail += f" ({allowed_points} allowed: points in overlapping stadsdelar)"
        return {"ok": ok, "differing_points": n, "detail": detail}
    d = pair_differences(ref, other)
    detail = f"{d['pairs']} pairs, max relative difference {d['max_rel_diff']:.2e}"
    if d["bad"]:
        shown = "; ".join(f"{a}/{b}: {x!r} vs {y!r}" for a, b, x, y in d["bad"][:5])
        detail += f", {len(d['bad'])} out of tolerance ({shown})"
    return {"ok": not d["bad"], "max_rel_diff": d["max_rel_diff"], "bad_pairs": len(d["bad"]), "detail": detail}


def points_in_overlaps(points_path, areas_path) -> int:
    """Count the points of a points file that lie in two or more stadsdelar.

    Used only when W1 answers differ, to tell a legitimate difference (a
    point in a sliver where two boundaries overlap) from a wrong one.
    """
    import geopandas as gpd
    import numpy as np
    import pyarrow.parquet as pq
    import shapely

    areas = gpd.read_file(areas_path).geometry.values
    tree = shapely.STRtree(areas)
    left, right = tree.query(areas, predicate="intersects")
    slivers = []
    for i, j in zip(left, right):
        if i < j:
            piece = shapely.intersection(areas[i], areas[j])
            if shapely.area(piece) > 0:
                slivers.append(piece)
    if not slivers:
        return 0
    overlap = shapely.union_all(slivers)
    shapely.prepare(overlap)
    xmin, ymin, xmax, ymax = overlap.bounds
    found = 0
    for batch in pq.ParquetFile(points_path).iter_batches(columns=["x", "y"], batch_size=1 << 20):
        x = batch.column("x").to_numpy()
        y = batch.column("y").to_numpy()
        near = (x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax)
        found += int(np.count_nonzero(shapely.contains_xy(overlap, x[near], y[near])))
    return found
