"""From a configuration file, or from layers and DataFrames, to a checked city.

:func:`from_config` reads every file the TOML names and :func:`from_objects`
takes what the caller gives; both give the city's :class:`Parts` with the
problems found so far. :func:`check` then transforms every layer into the
working CRS, runs the checks (:mod:`lagesbild.city.checks`) and raises one
:class:`~lagesbild.ConfigError` with every problem, or gives what the city
holds (:class:`Checked`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl

from lagesbild._lagesbild import Crs
from lagesbild.city.checks import (
    check_areas,
    check_crosswalk,
    check_organisation,
    check_settings,
    check_table,
    check_time_columns,
    check_topology,
    empty_findings,
)
from lagesbild.city.common import Problems, SourceInfo, columns_missing
from lagesbild.city.config import CityConfig, Settings, _Source, parse_config
from lagesbild.city.organisation import Organisation
from lagesbild.city.section_checks import check_sections
from lagesbild.exceptions import ConfigError, ConfigProblem, InvalidArgumentError, LagesbildError
from lagesbild.layer import Layer

log = logging.getLogger("lagesbild")


@dataclass
class Parts:
    """A city's parts as given or read, before they are checked."""

    name: str
    config_path: Path | None
    crs: int | str | Crs | None
    areas: Layer | None
    organisation: pl.DataFrame | None
    layers: dict[str, Layer]
    tables: dict[str, pl.DataFrame]
    crosswalks: dict[str, pl.DataFrame]
    sources: dict[tuple[str, str], SourceInfo]
    settings: Settings
    problems: list[ConfigProblem] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class Checked:
    """What a city holds once its parts are checked, all in the working CRS."""

    name: str
    config_path: Path | None
    settings: Settings
    sources: dict[tuple[str, str], SourceInfo]
    crs: Crs | None
    areas: Layer | None
    stadsdelar: list[str]
    layers: dict[str, Layer]
    organisation: Organisation | None
    crosswalks: dict[str, pl.DataFrame]
    tables: dict[str, pl.DataFrame]
    findings: pl.DataFrame


# -- the parts -------------------------------------------------------------------------


def from_objects(
    areas: Layer,
    organisation: pl.DataFrame | None,
    layers: Mapping[str, Layer] | None,
    tables: Mapping[str, pl.DataFrame] | None,
    crosswalks: Mapping[str, pl.DataFrame] | None,
    *,
    key: str,
    code: str | None = None,
    table_keys: Mapping[str, Mapping[str, str]] | None,
    name: str,
    crs: int | str | Crs | None,
    settings: Settings | None,
) -> Parts:
    """The parts of a city made in memory (the arguments of :class:`~lagesbild.City`)."""
    table_keys = dict(table_keys or {})
    metas: dict[tuple[str, str], SourceInfo] = {}
    if not isinstance(areas, Layer):
        msg = f"areas must be a lagesbild.Layer, not {type(areas).__name__}"
        raise TypeError(msg)
    metas[("areas", "areas")] = SourceInfo("areas", "areas", None, key=key, code=code)
    if organisation is not None:
        metas[("organisation", "organisation")] = SourceInfo("organisation", "organisation", None)
    for n in layers or {}:
        metas[("layer", n)] = SourceInfo("layer", n, None)
    for n, df in (tables or {}).items():
        spec = dict(table_keys.pop(n, {}))
        unknown = set(spec) - {"key", "unit", "year", "date"}
        if unknown:
            msg = f"table_keys[{n!r}]: unknown keys {sorted(unknown)}; use key, unit, year, date"
            raise InvalidArgumentError(msg)
        if "key" not in spec and isinstance(df, pl.DataFrame) and "stadsdel" in df.columns:
            spec["key"] = "stadsdel"
        metas[("table", n)] = SourceInfo(
            "table",
            n,
            None,
            key=spec.get("key"),
            unit=spec.get("unit", "stadsdel"),
            year=spec.get("year"),
            date=spec.get("date"),
        )
    if table_keys:
        msg = f"table_keys names tables that are not given: {sorted(table_keys)}"
        raise InvalidArgumentError(msg)
    for n in crosswalks or {}:
        metas[("crosswalk", n)] = SourceInfo("crosswalk", n, None, key="from")
    return Parts(
        name=name,
        config_path=None,
        crs=crs,
        areas=areas,
        organisation=organisation,
        layers=dict(layers or {}),
        tables=dict(tables or {}),
        crosswalks=dict(crosswalks or {}),
        sources=metas,
        settings=settings or Settings(),
    )


def from_config(path: str | os.PathLike[str], bar: Any = None) -> Parts:
    """The parts of a city as its TOML file describes them, every file read.

    Raises :class:`~lagesbild.ConfigError` at once only when the TOML itself
    cannot be read or parsed; every other problem is in ``Parts.problems``.
    ``bar`` (a :func:`lagesbild.progress.steps` bar) is told the steps of
    reading and checking once the file is parsed, and advanced per file.
    """
    config, found = parse_config(path)
    problems = Problems()
    problems.items.extend(found)
    if config is None:
        raise ConfigError.from_problems(problems.items, path=os.fspath(path))
    if bar is not None:
        files = (config.areas is not None) + (config.organisation is not None)
        files += len(config.layers) + len(config.tables) + len(config.crosswalks)
        bar.total = files + check_steps(len(config.layers))
    return _read_all(config, problems, bar)


def check_steps(layers: int) -> int:
    """How many steps :func:`check` reports: the areas, each layer, the tables, the sections, the topology."""
    return layers + 4


def _step(bar: Any, what: str) -> None:
    """Advance the bar past one step, and say what comes next."""
    if bar is not None:
        bar.update()
        bar.set_postfix_str(what)


def _read(source: _Source, problems: Problems, *, table: bool, bar: Any = None) -> Any:
    try:
        return _read_one(source, problems, table=table)
    finally:
        _step(bar, source.path.name)


def _read_one(source: _Source, problems: Problems, *, table: bool) -> Any:
    where = os.fspath(source.path)
    if not source.path.is_file():
        what = "not a file" if source.path.exists() else f"no such file ({source.path.resolve()})"
        problems.add(what, path=where, key=f"{source.key_path}.file")
        return None
    opts = dict(source.options)
    try:
        if table:
            return _read_table(source.path, opts)
        if "crs" in opts:
            opts["crs"] = Crs(opts["crs"])
        return _read_layer(source.path, opts)
    except (LagesbildError, ValueError) as e:
        problems.add(str(e), path=where, key=source.key_path)
    return None


def _read_layer(path: Path, opts: dict[str, Any]) -> Layer:
    from lagesbild.io import read

    return read(path, **opts)


def _read_table(path: Path, opts: dict[str, Any]) -> pl.DataFrame:
    from lagesbild.io import read_table

    return read_table(path, **opts)


def _read_all(config: CityConfig, problems: Problems, bar: Any = None) -> Parts:
    metas: dict[tuple[str, str], SourceInfo] = {}
    areas = None
    if config.areas is not None:
        areas = _read(config.areas, problems, table=False, bar=bar)
        metas[("areas", "areas")] = SourceInfo(
            "areas", "areas", os.fspath(config.areas.path), key=config.areas.key, code=config.areas.code
        )
    organisation = None
    if config.organisation is not None:
        oc = config.organisation
        raw = _read(oc, problems, table=True, bar=bar)
        meta = SourceInfo("organisation", "organisation", os.fspath(oc.path))
        metas[("organisation", "organisation")] = meta
        if raw is not None:
            missing = [f for c, f in oc.columns.items() if f not in raw.columns]
            for column in missing:
                problems.about(meta, f"no column {column!r} (columns: {', '.join(raw.columns)})", "organisation")
            if not missing:
                organisation = raw.select(pl.col(f).alias(c) for c, f in oc.columns.items())
    layers = {}
    for n, lc in config.layers.items():
        metas[("layer", n)] = SourceInfo(
            "layer", n, os.fspath(lc.path), year=lc.year, date=lc.date, description=lc.description
        )
        layer = _read(lc, problems, table=False, bar=bar)
        if layer is not None:
            layers[n] = layer
    tables = {}
    for n, tc in config.tables.items():
        metas[("table", n)] = SourceInfo(
            "table",
            n,
            os.fspath(tc.path),
            key=tc.key,
            unit=tc.unit,
            year=tc.year,
            date=tc.date,
            description=tc.description,
        )
        df = _read(tc, problems, table=True, bar=bar)
        if df is not None:
            tables[n] = df
    crosswalks = {}
    for n, cc in config.crosswalks.items():
        meta = SourceInfo("crosswalk", n, os.fspath(cc.path), key="from", description=cc.description)
        metas[("crosswalk", n)] = meta
        df = _read(cc, problems, table=True, bar=bar)
        if df is None:
            continue
        wanted = [cc.from_column, cc.stadsdel] + ([cc.weight] if cc.weight else [])
        missing = columns_missing(df, wanted)
        for column in missing:
            problems.about(meta, f"no column {column!r} (columns: {', '.join(df.columns)})", f"crosswalks.{n}")
        if not missing:
            crosswalks[n] = df.select(
                pl.col(cc.from_column).alias("from"),
                pl.col(cc.stadsdel).alias("stadsdel"),
                (pl.col(cc.weight) if cc.weight else pl.lit(None, pl.Float64)).alias("weight"),
            )
    return Parts(
        name=config.name,
        config_path=config.path,
        crs=config.crs,
        areas=areas,
        organisation=organisation,
        layers=layers,
        tables=tables,
        crosswalks=crosswalks,
        sources=metas,
        settings=config.settings,
        problems=problems.items,
    )


# -- the working CRS -------------------------------------------------------------------


def working_crs(
    crs: int | str | Crs | None, areas: Layer | None, config_shown: str | None
) -> tuple[Crs | None, list[ConfigProblem]]:
    """The CRS the city works in: the one asked for, else the areas'; never longitude/latitude."""
    problems = Problems()
    working: Crs | None = None
    if crs is not None:
        try:
            working = Crs(crs)
        except (LagesbildError, ValueError) as e:
            problems.add(f"unknown CRS {crs!r}: {e}", path=config_shown, key="city.crs")
    elif areas is not None:
        working = areas.crs
    if working is not None and working.is_geographic:
        problems.add(
            f"the working CRS {working} is geographic (degrees); measuring needs metres: "
            "set crs to a projected CRS such as 3006 (SWEREF 99 TM) or the local SWEREF 99 zone",
            path=config_shown,
            key="city.crs",
        )
        working = None
    return working, problems.items


def to_working(
    layer: Layer, meta: SourceInfo, working: Crs | None
) -> tuple[Layer, SourceInfo, list[ConfigProblem]]:
    """The layer in the working CRS (logged when transformed).

    Also its source record, with the CRS it came in.
    """
    problems = Problems()
    src = layer.crs
    read_as = replace(meta, source_crs=f"EPSG:{src.epsg}")
    if working is None or src == working:
        return layer, read_as, problems.items
    try:
        out = layer.to_crs(working)
    except LagesbildError as e:
        problems.about(meta, f"cannot transform from EPSG:{src.epsg} into EPSG:{working.epsg}: {e}")
        return layer, read_as, problems.items
    what = "longitude/latitude" if src.is_geographic else "another projected CRS"
    log.info(
        "%s: %s %s is in EPSG:%d (%s, %s); transformed into the working CRS EPSG:%d (%s)",
        meta.path or meta.name,
        meta.kind,
        meta.name,
        src.epsg,
        src.name,
        what,
        working.epsg,
        working.name,
    )
    return out, read_as, problems.items


# -- the checks, in order --------------------------------------------------------------


def check(parts: Parts, bar: Any = None) -> Checked:
    """Check everything together, transform into the working CRS, raise once.

    ``bar`` is advanced :func:`check_steps` times.
    """
    problems = Problems()
    problems.items += parts.problems
    sources = parts.sources
    config_shown = os.fspath(parts.config_path) if parts.config_path else None

    def in_working(meta: SourceInfo, layer: Layer) -> Layer:
        out, read_as, found = to_working(layer, meta, working)
        sources[(meta.kind, meta.name)] = read_as
        problems.items += found
        return out

    working, found = working_crs(parts.crs, parts.areas, config_shown)
    problems.items += found

    # Areas.
    areas = parts.areas
    area_meta = sources.get(("areas", "areas"))
    names: list[str] = []
    if areas is not None and area_meta is not None:
        areas = in_working(area_meta, areas)
        names, found = check_areas(areas, area_meta)
        problems.items += found
        if area_meta.code is not None and area_meta.code not in areas.columns:
            problems.about(
                area_meta, f"no column {area_meta.code!r} of codes (columns: {', '.join(areas.columns)})", "areas.code"
            )
    known = set(names)
    _step(bar, "kontrollerar lagren")

    # Layers.
    layers: dict[str, Layer] = {}
    for n, layer in parts.layers.items():
        meta = sources[("layer", n)]
        if not isinstance(layer, Layer):
            problems.about(meta, f"layer {n!r} must be a lagesbild.Layer, not {type(layer).__name__}")
            continue
        layer = in_working(meta, layer)
        problems.items += check_time_columns(layer.attributes, sources[("layer", n)])
        layers[n] = layer
        _step(bar, n)
    for _ in range(len(parts.layers) - len(layers)):
        _step(bar, "kontrollerar tabellerna")

    # Organisation.
    organisation: Organisation | None = None
    if parts.organisation is not None:
        table, spans, found = check_organisation(parts.organisation, sources[("organisation", "organisation")], known)
        problems.items += found
        if table is not None:
            organisation = Organisation(parts.name, tuple(names), table, tuple(spans))

    # Crosswalks.
    crosswalks: dict[str, pl.DataFrame] = {}
    for n, df in parts.crosswalks.items():
        checked, found = check_crosswalk(df, sources[("crosswalk", n)], known)
        problems.items += found
        if checked is not None:
            crosswalks[n] = checked

    # Tables.
    tables: dict[str, pl.DataFrame] = {}
    sdo_names = set(organisation.table["sdo_namn"].to_list()) if organisation is not None else None
    for n, df in parts.tables.items():
        meta = sources[("table", n)]
        if not isinstance(df, pl.DataFrame):
            problems.about(meta, f"table {n!r} must be a polars DataFrame, not {type(df).__name__}")
            continue
        problems.items += check_table(df, meta, known, sdo_names, crosswalks, sources)
        tables[n] = df

    _step(bar, "kontrollerar avsnitten")

    # Settings that name layers, and the analyses' sections against the data.
    problems.items += check_settings(parts.settings, layers, sources, config_shown)
    settings, found = check_sections(parts.settings, layers, tables, sources, known, config_shown)
    problems.items += found

    _step(bar, "kontrollerar områdenas gränser")

    # Topology of the areas.
    findings = empty_findings()
    polygons = areas is not None and areas.geom_types <= {"Polygon", "MultiPolygon"}
    if areas is not None and area_meta is not None and working is not None and names and polygons:
        findings, found = check_topology(areas, area_meta, parts.settings)
        problems.items += found
    _step(bar, "klar")

    if problems.items:
        raise ConfigError.from_problems(problems.items, path=config_shown)
    return Checked(
        name=parts.name,
        config_path=parts.config_path,
        settings=settings,
        sources=sources,
        crs=working,
        areas=areas,
        stadsdelar=names,
        layers=layers,
        organisation=organisation,
        crosswalks=crosswalks,
        tables=tables,
        findings=findings,
    )
