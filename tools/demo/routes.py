"""Dangerous-goods routes: synthetic paths along real roads and the main
railway, split into stretches where they run in a tunnel, and kept out of
the Norra länken and Södra länken tunnels."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from demo.common import from_shapely, lonlat_to_3011, rng

# (route id, class, name, waypoints as (latitude, longitude)): approximate
# courses of real roads, smoothed between the waypoints. Routes run on a
# little beyond the municipal boundary, as county data does. None runs
# along Södra länken or Norra länken (see LANKEN); Nynäsvägen and Lidingövägen
# cross over them.
# fmt: off
ROUTES = [
    ("FG01", "primär", "E4", [
        (59.4370, 17.9300), (59.4180, 17.9460), (59.4050, 17.9560), (59.3920, 17.9700),
        (59.3800, 17.9880), (59.3700, 18.0000), (59.3600, 18.0180), (59.3520, 18.0320),
    ]),
    ("FG02", "primär", "Essingeleden", [
        (59.3520, 18.0320), (59.3455, 18.0250), (59.3405, 18.0120), (59.3360, 18.0010),
        (59.3300, 17.9930), (59.3250, 17.9890), (59.3195, 17.9895), (59.3140, 17.9980),
        (59.3090, 18.0080), (59.3055, 18.0140),
    ]),
    ("FG03", "primär", "E4/E20 Södertäljevägen", [
        (59.3055, 18.0140), (59.3010, 18.0100), (59.2960, 17.9980), (59.2915, 17.9800),
        (59.2870, 17.9620), (59.2820, 17.9450), (59.2770, 17.9300), (59.2700, 17.9170),
        (59.2620, 17.9060),
    ]),
    ("FG04", "primär", "E18 Enköpingsvägen", [
        (59.3960, 17.8600), (59.3962, 17.8860), (59.3935, 17.9100), (59.3905, 17.9350),
        (59.3880, 17.9600), (59.3800, 17.9820), (59.3700, 18.0000),
    ]),
    ("FG05", "primär", "73 Nynäsvägen", [
        (59.3030, 18.0790), (59.2960, 18.0830), (59.2870, 18.0850), (59.2770, 18.0820),
        (59.2660, 18.0800), (59.2560, 18.0820), (59.2460, 18.0880), (59.2360, 18.0950),
        (59.2260, 18.1050),
    ]),
    ("FG06", "sekundär", "275 Bergslagsvägen", [
        (59.3335, 17.9850), (59.3370, 17.9650), (59.3420, 17.9400), (59.3470, 17.9200),
        (59.3530, 17.9000), (59.3590, 17.8820), (59.3650, 17.8650), (59.3720, 17.8450),
        (59.3820, 17.8280),
    ]),
    ("FG07", "sekundär", "226 Huddingevägen", [
        (59.2960, 18.0455), (59.2920, 18.0420), (59.2840, 18.0330), (59.2770, 18.0230),
        (59.2680, 18.0140), (59.2580, 18.0040), (59.2480, 17.9950),
    ]),
    ("FG08", "sekundär", "229 Tyresövägen", [
        (59.2640, 18.0810), (59.2630, 18.0960), (59.2605, 18.1120), (59.2570, 18.1300),
        (59.2530, 18.1500), (59.2490, 18.1700),
    ]),
    ("FG09", "sekundär", "279 Ulvsundavägen", [
        (59.3335, 17.9850), (59.3410, 17.9840), (59.3490, 17.9830), (59.3570, 17.9800),
        (59.3650, 17.9760), (59.3720, 17.9720),
    ]),
    ("FG10", "sekundär", "Lidingövägen", [
        (59.3430, 18.0800), (59.3470, 18.0870), (59.3510, 18.0930), (59.3560, 18.0990),
        (59.3590, 18.1050),
    ]),
    ("FG11", "sekundär", "Drottningholmsvägen", [
        (59.3330, 18.0000), (59.3335, 17.9850), (59.3370, 17.9600), (59.3385, 17.9400),
        (59.3350, 17.9200), (59.3320, 17.9000),
    ]),
    ("FG12", "järnväg", "Stambanan genom Stockholm", [
        (59.3530, 18.0130), (59.3440, 18.0330), (59.3370, 18.0500), (59.3310, 18.0565),
        (59.3255, 18.0620), (59.3195, 18.0640), (59.3140, 18.0640), (59.3060, 18.0560),
        (59.3000, 18.0420), (59.2920, 18.0270), (59.2800, 18.0120), (59.2700, 18.0020),
        (59.2580, 17.9920),
    ]),
]
# fmt: on
# Tunnel stretches of the routes, between two of their waypoints (indexes):
# the railway under Södermalm (Södertunneln), approximately.
TUNNELS = {"FG12": [(5, 6, "Södertunneln")]}

# The two tunnel systems closed to some dangerous goods (MSB's list of Swedish
# tunnels: Södra länken category B 07–19, A otherwise; the Norra länken tunnels
# category B), as approximate centre lines (latitude, longitude). No route may
# run along them: the generator checks it, and so do the tests.
# fmt: off
LANKEN = {
    "Södra länken": [
        [(59.3003, 18.0330), (59.2990, 18.0480), (59.2985, 18.0620), (59.2990, 18.0790),
         (59.3015, 18.0950), (59.3045, 18.1120)],
    ],
    "Norra länken": [
        [(59.3495, 18.0450), (59.3512, 18.0600), (59.3502, 18.0800), (59.3500, 18.0950),
         (59.3520, 18.1050)],
        [(59.3585, 18.0330), (59.3530, 18.0420), (59.3495, 18.0450)],  # Haga–Norrtull
    ],
}
# fmt: on
LANKEN_HALF_WIDTH_M = 60.0
# A route may cross over a tunnel; it may not run along it: at most this much
# of a route lies within the corridor.
CROSSING_MAX_M = 300.0


def catmull_rom(points: np.ndarray, steps: int = 24) -> np.ndarray:
    """A smooth curve through the points (uniform Catmull-Rom)."""
    p = np.vstack([2 * points[0] - points[1], points, 2 * points[-1] - points[-2]])
    out = []
    t = np.linspace(0, 1, steps, endpoint=False)[:, None]
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        out.append(
            0.5
            * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3)
        )
    out.append(points[-1:])
    return np.vstack(out)


def resample(line: shapely.LineString, r: np.random.Generator, lo: float, hi: float, keep: list[float]):
    """Vertices at irregular spacing between lo and hi metres, as digitised roads have.

    The distances along the line in ``keep`` (tunnel portals) are vertices too.
    """
    length = line.length
    at = [0.0]
    while at[-1] < length:
        at.append(at[-1] + float(r.uniform(lo, hi)))
    at[-1] = length
    at = sorted(set(at) | set(keep))
    return shapely.LineString(shapely.get_coordinates(shapely.line_interpolate_point(line, at)))


@dataclass
class Route:
    route_id: str
    klass: str
    name: str
    line: shapely.LineString  # EPSG:3011, the whole route
    stretches: list[tuple[shapely.LineString, bool]]  # (part, in a tunnel), in order


def lanken_corridors() -> dict[str, shapely.Geometry]:
    """The Länken tunnels as corridors (EPSG:3011)."""
    out = {}
    for name, lines in LANKEN.items():
        parts = [shapely.LineString([(p.x, p.y) for p in lonlat_to_3011(line)]) for line in lines]
        out[name] = shapely.union_all([p.buffer(LANKEN_HALF_WIDTH_M) for p in parts])
    return out


def routes() -> list[Route]:
    r = rng("farligt_gods")
    out = []
    for rid, klass, name, waypoints in ROUTES:
        pts = np.array([(p.x, p.y) for p in lonlat_to_3011(waypoints)])
        smooth = shapely.LineString(catmull_rom(pts))
        portals = [smooth.project(shapely.Point(pts[i])) for a, b, _ in TUNNELS.get(rid, []) for i in (a, b)]
        spacing = (25.0, 60.0) if klass == "järnväg" else (12.0, 45.0)
        line = resample(smooth, r, *spacing, keep=portals)
        cuts = sorted(portals)
        bounds = [0.0, *cuts, line.length]
        stretches = []
        for k, (s0, s1) in enumerate(zip(bounds, bounds[1:], strict=False)):
            part = _substring(line, s0, s1)
            stretches.append((part, k % 2 == 1))
        out.append(Route(rid, klass, name, line, stretches))
    corridors = lanken_corridors()
    for x in out:
        for tunnel_name, corridor in corridors.items():
            inside = x.line.intersection(corridor).length
            assert inside <= CROSSING_MAX_M, f"{x.name} runs {inside:.0f} m along {tunnel_name}"
    return out


def _substring(line: shapely.LineString, s0: float, s1: float) -> shapely.LineString:
    """The part of a line between two distances along it (both vertices of it)."""
    coords = shapely.get_coordinates(line)
    d = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(coords, axis=0).T))])
    i0, i1 = int(np.argmin(np.abs(d - s0))), int(np.argmin(np.abs(d - s1)))
    return shapely.LineString(coords[i0 : i1 + 1])


def write_routes(rs: list[Route], out: Path) -> None:
    geoms, ids, classes, names, tunnel = [], [], [], [], []
    for x in rs:
        for part, in_tunnel in x.stretches:
            geoms.append(part)
            ids.append(x.route_id)
            classes.append(x.klass)
            names.append(x.name)
            tunnel.append(in_tunnel)
    layer = from_shapely(
        geoms, {"route_id": ids, "klass": classes, "namn": names, "tunnel": tunnel}, 3011, "farligt_gods"
    )
    layer.write(out / "farligt_gods.geojson")
