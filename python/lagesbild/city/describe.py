"""Describing a city: what it was made from, and a summary of it.

These are the city's methods :meth:`City.years <lagesbild.City.years>`,
:attr:`~lagesbild.City.sources`, :meth:`~lagesbild.City.inputs` (every
file read, with its size and SHA-256, for a report to record),
:meth:`~lagesbild.City.summary` (what ``lagesbild info --config`` prints)
and :meth:`~lagesbild.City.flood_levels`.
"""

from __future__ import annotations

import hashlib
import os
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from lagesbild.city.common import date_years, year_column
from lagesbild.exceptions import InvalidArgumentError

if TYPE_CHECKING:
    from lagesbild.city.city import City


def years(city: City, name: str) -> list[int]:
    """The years a table or layer covers (from its configured year or date column).

    Examples
    --------
    >>> lb.City.example().years("befolkning")
    [2022, 2023]
    """
    kind = "table" if ("table", name) in city._sources else "layer" if ("layer", name) in city._sources else None
    if kind is None:
        msg = f"{city.name}: no table or layer {name!r}"
        raise InvalidArgumentError(msg)
    meta = city._sources[(kind, name)]
    df = city.tables[name] if kind == "table" else city.layers[name].attributes
    for column, convert in ((meta.year, year_column), (meta.date, date_years)):
        if column is not None and column in df.columns:
            result = convert(df, column)
            if not isinstance(result, str):
                return sorted(int(y) for y in result.drop_nulls().unique().to_list())
    return []


def sources(city: City) -> pl.DataFrame:
    """Every source of the city, one row each.

    Columns ``kind``, ``name``, ``path``, ``rows``, ``geometry``,
    ``source_crs`` (as read), ``crs`` (as held), ``years``, ``description``.
    """
    rows = []
    for (kind, name), meta in city._sources.items():
        geom = crs = None
        years: list[int] = []
        if kind == "areas" and city.areas is not None:
            obj, n = city.areas, len(city.areas)
        elif kind == "layer" and name in city.layers:
            obj, n = city.layers[name], len(city.layers[name])
            years = city.years(name)
        elif kind == "table" and name in city.tables:
            obj, n = None, city.tables[name].height
            years = city.years(name)
        elif kind == "organisation" and city._organisation is not None:
            obj, n = None, city._organisation.table.height
        elif kind == "crosswalk" and name in city.crosswalks:
            obj, n = None, city.crosswalks[name].height
        else:
            continue
        if obj is not None:
            geom = ", ".join(sorted(obj.geom_types)) or None
            crs = f"EPSG:{obj.crs.epsg}"
        rows.append(
            {
                "kind": kind,
                "name": name,
                "path": meta.path,
                "rows": n,
                "geometry": geom,
                "source_crs": meta.source_crs,
                "crs": crs,
                "years": years,
                "description": meta.description,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "kind": pl.String,
            "name": pl.String,
            "path": pl.String,
            "rows": pl.Int64,
            "geometry": pl.String,
            "source_crs": pl.String,
            "crs": pl.String,
            "years": pl.List(pl.Int64),
            "description": pl.String,
        },
    )


def inputs(city: City) -> pl.DataFrame:
    """Every file the city was read from, for a report to record.

    The configuration file, each source file and a shapefile's
    companions (``.shx``, ``.dbf``, ``.prj``, ``.cpg``), with their size
    and SHA-256, sorted by path. Empty for a city made in memory.

    Returns
    -------
    polars.DataFrame
        ``path`` (as configured), ``bytes``, ``sha256``.

    Examples
    --------
    >>> lb.City.example().inputs().shape
    (0, 3)
    """
    paths: set[Path] = set()
    if city.config_path is not None:
        paths.add(Path(city.config_path))
    for meta in city._sources.values():
        if meta.path is None:
            continue
        p = Path(meta.path)
        paths.add(p)
        if p.suffix.lower() == ".shp":
            for ext in (".shx", ".dbf", ".prj", ".cpg", ".SHX", ".DBF", ".PRJ", ".CPG"):
                if p.with_suffix(ext).is_file():
                    paths.add(p.with_suffix(ext))
    rows = []
    for p in sorted(paths, key=os.fspath):
        if p.is_file():
            digest = hashlib.sha256()
            with p.open("rb") as f:
                for chunk in iter(lambda f=f: f.read(1 << 20), b""):
                    digest.update(chunk)
            rows.append((os.fspath(p), p.stat().st_size, digest.hexdigest()))
    return pl.DataFrame(rows, schema={"path": pl.String, "bytes": pl.Int64, "sha256": pl.String}, orient="row")


def summary(city: City) -> str:
    """A plain-text summary of the city.

    Sources with counts, geometry types, CRSs and years; the organisation's
    periods; the settings; the findings. This is what ``lagesbild info --config FILE`` prints.

    Examples
    --------
    >>> print(lb.City.example().summary(), end="")
    City 'Exempelstad'
    working CRS: EPSG:3011 (SWEREF99 18 00)
    <BLANKLINE>
    areas: 4 stadsdelar, Polygon, EPSG:3011
    organisation: 2 periods
      2020-07-01 – 2023-06-30: 2 stadsdelsområden, 4 stadsdelar
        O Öst, V Väst
      2023-07-01 – (in force): 1 stadsdelsområde, 4 stadsdelar
        H Hela
    layers: (none)
    tables:
      befolkning  (in memory)  8 rows  years 2022, 2023  by stadsdel (stadsdel)
    settings:
      hazards: (none)
      small counts: fewer than 5 are suppressed
      tolerances: overlaps 10 m², gaps 10 m²
    findings: 0 overlaps (0.00 m² in all), 0 gaps (0.00 m² in all), all within the tolerances
    """
    lines = [f"City {city.name!r}" + (f" — {city.config_path}" if city.config_path else "")]
    lines.append(f"working CRS: EPSG:{city.crs.epsg} ({city.crs.name})" if city.crs else "working CRS: none")
    lines.append("")
    src = city.sources

    def where(path: str | None) -> str:
        if path is None:
            return "(in memory)"
        if city.config_path is not None:
            try:
                rel = os.path.relpath(path, city.config_path.parent)
            except ValueError:  # pragma: no cover - another drive on Windows
                return path
            return path if rel.startswith(os.pardir) else rel
        return path

    def crs_text(r: dict[str, Any]) -> str:
        if r["crs"] is None:
            return ""
        if r["source_crs"] and r["source_crs"] != r["crs"]:
            return f"{r['source_crs']} → {r['crs']}"
        return r["crs"]

    for r in src.filter(pl.col("kind") == "areas").iter_rows(named=True):
        file = f" ({where(r['path'])})" if r["path"] else ""
        lines.append(f"areas{file}: {r['rows']} stadsdelar, {r['geometry']}, {crs_text(r)}")
    org = city._organisation
    if org is not None:
        org_path = city._sources[("organisation", "organisation")].path
        lines.append(f"organisation{f' ({where(org_path)})' if org_path else ''}: {len(org.spans)} periods")
        for p0, p1 in org.spans:
            rows = org.rows((p0, p1))
            sdo = rows.select("sdo_kod", "sdo_namn").unique().sort("sdo_kod")
            n_sdo = sdo.height
            lines.append(
                f"  {p0} – {p1 or '(in force)'}: {n_sdo} stadsdelsområde{'n' if n_sdo != 1 else ''}, "
                f"{rows['stadsdel'].n_unique()} stadsdelar"
            )
            names = ", ".join(f"{k} {n}" for k, n in sdo.iter_rows())
            lines.extend(
                textwrap.wrap(
                    names, width=96, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False
                )
            )
    else:
        lines.append("organisation: (none)")

    def block(kind: str, title: str) -> None:
        part = src.filter(pl.col("kind") == kind)
        if part.height == 0:
            lines.append(f"{title}: (none)")
            return
        lines.append(f"{title}:")
        table = []
        for r in part.iter_rows(named=True):
            meta = city._sources[(kind, r["name"])]
            noun = "feature" if kind == "layer" else "row"
            table.append(
                [
                    r["name"],
                    where(r["path"]),
                    f"{r['rows']} {noun}{'s' if r['rows'] != 1 else ''}",
                    r["geometry"] or "",
                    crs_text(r),
                    f"years {_years_text(r['years'])}" if r["years"] else "",
                    f"by {meta.unit or 'stadsdel'} ({meta.key})" if kind == "table" and meta.key else "",
                    f"— {r['description']}" if r["description"] else "",
                ]
            )
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        for row in table:
            cells = [c.ljust(w) for c, w in zip(row, widths, strict=True) if w]
            lines.append(("  " + "  ".join(cells)).rstrip())

    block("layer", "layers")
    block("table", "tables")
    if city.crosswalks:
        block("crosswalk", "crosswalks")

    s = city.settings
    lines.append("settings:")
    for h in s.hazards.values():
        if h.kind == "flood":
            levels = flood_levels(city, h.name)
            lines.append(
                f"  hazard {h.name!r}: flood zones in {h.layer!r} by {h.level_column!r}: "
                + (" < ".join(f"{v:g}" for v in levels) if levels else "(no levels)")
            )
        else:
            zones = ", ".join(f"{n} {a:g}–{b:g} m" for n, a, b in h.zones())
            lines.append(
                f"  hazard {h.name!r}: routes in {h.layer!r} by {h.class_column!r}, "
                f"risk distance {h.distance_m:g} m ({zones})"
                + (f", tunnels ({h.tunnel_column!r}) left out" if h.tunnel_column else "")
            )
    if not s.hazards:
        lines.append("  hazards: (none)")
    lines.append(f"  small counts: fewer than {s.min_count} are suppressed")
    lines.append(f"  tolerances: overlaps {s.overlap_tolerance_m2:g} m², gaps {s.gap_tolerance_m2:g} m²")

    f = city.findings
    overlaps = f.filter(pl.col("kind") == "overlap")
    gaps = f.filter(pl.col("kind") == "gap")
    lines.append(
        f"findings: {overlaps.height} overlap{'s' if overlaps.height != 1 else ''} "
        f"({overlaps['area_m2'].sum():.2f} m² in all), {gaps.height} gap{'s' if gaps.height != 1 else ''} "
        f"({gaps['area_m2'].sum():.2f} m² in all), all within the tolerances"
    )
    for r in f.iter_rows(named=True):
        lines.append(
            f"  {r['kind']:<7} {r['area_m2']:>10.4g} m²  at ({r['x']:.1f}, {r['y']:.1f})  {' / '.join(r['stadsdelar'])}"
        )
    return "\n".join(lines) + "\n"


def flood_levels(city: City, hazard: str | None = None) -> list[float]:
    """The levels of a flood hazard, lowest first (configured, or the level column's values).

    ``hazard`` names a ``[hazards.NAME]`` of kind ``"flood"``; by default the
    first. An empty list when the city has no flood hazard or its layer did
    not load.
    """
    floods = [h for h in city.settings.hazards.values() if h.kind == "flood"]
    if hazard is not None:
        floods = [h for h in floods if h.name == hazard]
        if not floods:
            known = ", ".join(repr(h.name) for h in city.settings.hazards.values() if h.kind == "flood") or "none"
            raise InvalidArgumentError(f"{city.name}: no flood hazard {hazard!r} (flood hazards: {known})")
    if not floods:
        return []
    fl = floods[0]
    if fl.levels is not None:
        return list(fl.levels)
    if fl.layer not in city.layers:
        return []
    attrs = city.layers[fl.layer].attributes
    if fl.level_column not in attrs.columns:
        return []
    return sorted(float(v) for v in attrs[fl.level_column].drop_nulls().unique().to_list())


def _years_text(years: Sequence[int]) -> str:
    """``[2014, 2017, 2020, 2021, 2022]`` → ``"2014, 2017, 2020–2022"``."""
    parts: list[str] = []
    ys = sorted(set(years))
    i = 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and ys[j + 1] == ys[j] + 1:
            j += 1
        parts.append(str(ys[i]) if j == i else f"{ys[i]}–{ys[j]}" if j > i + 1 else f"{ys[i]}, {ys[j]}")
        i = j + 1
    return ", ".join(parts)

