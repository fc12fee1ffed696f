"""Actors of the områdesansvar (a synthetic register): areas of
responsibility that do not follow the stadsdelsområden, and actors whose
area is a list of stadsdelar."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely

from demo.common import Source, from_shapely, lonlat_to_3011, transform, write_csv
from demo.facilities import Facility
from demo.surveys import lpo_of


def _voronoi(points: list[shapely.Point], clip: shapely.Geometry) -> list[shapely.Geometry]:
    """The Voronoi cell of each point, clipped (in the points' order)."""
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=clip.buffer(5_000)))
    out = []
    for p in points:
        cell = next(c for c in cells if c.contains(p))
        out.append(cell.intersection(clip))
    return out


def _multi(g: shapely.Geometry) -> shapely.MultiPolygon:
    parts = [p for p in shapely.get_parts(g) if isinstance(p, shapely.Polygon) and p.area > 1.0]
    return shapely.MultiPolygon(parts)


def actor_areas(src: Source, fs: list[Facility]) -> list[tuple[str, str, str, shapely.Geometry]]:
    """(aktör, typ, beskrivning, area in EPSG:3011)."""
    city = shapely.make_valid(src.city)
    out = []
    stations = [f for f in fs if f.kategori == "brandstation"]
    for f, cell in zip(stations, _voronoi([shapely.Point(f.x, f.y) for f in stations], city), strict=True):
        place = f.namn.removeprefix("Brandstation ")
        out.append(
            (
                f"Storstockholms brandförsvar, station {place}",
                "räddningstjänst",
                "Syntetiskt insatsområde: den del av staden som ligger närmast stationen (Voronoi-cell).",
                cell,
            )
        )
    # Two electricity network areas split by a curve across the city.
    x0, y0, x1, y1 = city.bounds
    xs = np.linspace(x0 - 1_000, x1 + 1_000, 60)
    ys = (y0 + y1) / 2 + 1_500 * np.sin((xs - x0) / 4_000) + 0.15 * (xs - x0)
    north = shapely.Polygon([*zip(xs, ys, strict=True), (x1 + 1_000, y1 + 1_000), (x0 - 1_000, y1 + 1_000)])
    for name, part in (("nord", city.intersection(north)), ("syd", city.difference(north))):
        out.append(
            (
                f"Elnätsområde {name} (syntetiskt)",
                "elnät",
                "Syntetiskt nätområde för en elnätsägare; gränsen följer inte stadsdelsområdena.",
                part,
            )
        )
    plants = [f for f in fs if f.kategori == "fjärrvärmeverk"]
    for f, cell in zip(plants, _voronoi([shapely.Point(f.x, f.y) for f in plants], city), strict=True):
        out.append(
            (
                f"Fjärrvärmenät {f.namn.removesuffix('verket').removesuffix(' värmeverk')} (syntetiskt)",
                "fjärrvärme",
                "Syntetiskt fjärrvärmenät kring ett värmeverk (Voronoi-cell).",
                cell,
            )
        )
    # Wastewater: the catchments of Bromma reningsverk and of Henriksdal (in Nacka).
    works = [f for f in fs if f.kategori == "avloppsreningsverk"]
    henriksdal = lonlat_to_3011([(59.3110, 18.1090)])[0]
    for name, cell in zip(
        ("Bromma", "Henriksdal"), _voronoi([shapely.Point(works[0].x, works[0].y), henriksdal], city), strict=True
    ):
        out.append(
            (
                f"Stockholm Vatten och Avfall AB, avloppsområde {name} (syntetiskt)",
                "vatten och avlopp",
                f"Syntetiskt upptagningsområde för avloppsreningsverket i {name}.",
                cell,
            )
        )
    out.append(
        (
            "Region Stockholm",
            "region",
            "Hälso- och sjukvård och kollektivtrafik i hela staden (regionens område är hela länet).",
            city,
        )
    )
    return [(a, t, b, _multi(g)) for a, t, b, g in out]


def _clean(g: shapely.Geometry) -> shapely.MultiPolygon:
    """Drop the slivers and the rings a transformation left with too few points (or under 1 m²)."""
    polys = []
    for p in shapely.get_parts(g):
        holes = [r for r in p.interiors if len(r.coords) >= 4 and shapely.Polygon(r).area > 1.0]
        if len(p.exterior.coords) >= 4 and shapely.Polygon(p.exterior).area > 1.0:
            polys.append(shapely.Polygon(p.exterior, holes))
    return _multi(shapely.make_valid(shapely.MultiPolygon(polys)))


def write_actors(src: Source, fs: list[Facility], out: Path) -> None:
    rows = actor_areas(src, fs)
    geoms = [_clean(g) for g in transform([g for *_, g in rows], 3011, 3006)]
    assert all(g.is_valid for g in geoms)
    layer = from_shapely(
        geoms,
        {"aktor": [r[0] for r in rows], "typ": [r[1] for r in rows], "beskrivning": [r[2] for r in rows]},
        3006,
        "aktorer",
    )
    layer.write(out / "aktorer.gpkg", layer="aktorer")
    listed = []
    for a in src.areas:
        listed.append([f"Lokalpolisområde {lpo_of(a, 2024)}", "polis", a.name])
    groups = {"Innerstaden": "Innerstaden", "Västerort": "Västerort", "Söderort": "Söderort"}
    for a in src.areas:
        listed.append([f"Frivilliga resursgruppen {groups[a.region]} (syntetisk)", "frivillig organisation", a.name])
    for sdo in sorted({a.sdo for a in src.areas}):
        members = [a.name for a in src.areas if a.sdo == sdo]
        if len(members) >= 8:
            # A local voluntary network in the larger areas, over a part of the area only.
            for name in members[: len(members) // 2]:
                listed.append([f"Trygghetsvärdar {sdo} (syntetisk)", "frivillig organisation", name])
    listed.sort(key=lambda r: (r[1], r[0], r[2]))
    write_csv(out / "aktorer_stadsdelar.csv", ["aktor", "typ", "stadsdel"], listed)
