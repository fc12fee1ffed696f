"""The :class:`City`: one municipality's layers, tables and area hierarchy over time.

A city holds its areas (the stadsdelar, polygons), the dated organisation
that groups them into stadsdelsområden, and any number of named layers
(water, flood zones, dangerous-goods routes, facilities, incidents) and
tables (population, surveys, a risk register), all checked together when
the city is made and all in one working CRS in metres.

The organisation rule
---------------------
Stadsdelar are the stable level; the stadsdelsområden they belong to change
(Stockholm had 13 until 30 June 2023 and 11 since). A report for a year uses
**the organisation in force on 31 December of that year**: 2023 is reported
by the 11 areas in force since 1 July 2023. A year before the earliest
period uses the earliest period (and a year after a closed last period the
last one); the substitution is logged as a warning on the ``lagesbild``
logger, and the returned table carries the period's dates, so it is never
silent.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import logging
import math
import os
import struct
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl

from lagesbild._lagesbild import Crs
from lagesbild.config import (
    CityConfig,
    FloodLevels,
    RiskDistance,
    Settings,
    _Source,
    parse_config,
)
from lagesbild.engine import area_topology
from lagesbild.exceptions import (
    ColumnNotFoundError,
    ConfigError,
    ConfigProblem,
    FileNotFoundError,
    InvalidArgumentError,
    LagesbildError,
)
from lagesbild.layer import Layer

__all__ = ["City", "area_topology", "demo"]

log = logging.getLogger("lagesbild")

ORGANISATION_COLUMNS = ("stadsdel", "sdo_namn", "sdo_kod", "giltig_fran", "giltig_till")
CROSSWALK_COLUMNS = ("from", "stadsdel", "weight")
_WEIGHT_SUM_TOLERANCE = 1e-3


# -- helpers --------------------------------------------------------------------


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


def _shown(values: Iterable[Any], limit: int = 8) -> str:
    vs = [repr(v) for v in values]
    more = f" and {len(vs) - limit} more" if len(vs) > limit else ""
    return ", ".join(vs[:limit]) + more


def _unknown_names(values: Iterable[str], known: Sequence[str], limit: int = 8) -> str:
    """The unknown names, each with the closest known one when there is one."""
    out = []
    vs = list(values)
    for v in vs[:limit]:
        close = difflib.get_close_matches(str(v), known, n=1, cutoff=0.6)
        out.append(f"{v!r} (did you mean {close[0]!r}?)" if close else repr(v))
    more = f" and {len(vs) - limit} more" if len(vs) > limit else ""
    return ", ".join(out) + more


def _year_column(df: pl.DataFrame, column: str) -> pl.Series | str:
    """The column as integer years, or a message saying why it is not one."""
    s = df[column]
    if s.dtype.is_integer():
        return s.cast(pl.Int64)
    if s.dtype == pl.String:
        parsed = s.str.strip_chars().cast(pl.Int64, strict=False)
        if parsed.null_count() == s.null_count():
            return parsed
    return f"column {column!r} must hold years as integers, not {s.dtype}"


def _date_years(df: pl.DataFrame, column: str) -> pl.Series | str:
    s = df[column]
    if s.dtype == pl.Date or isinstance(s.dtype, pl.Datetime):
        return s.dt.year().cast(pl.Int64)
    if s.dtype == pl.String:
        parsed = s.str.strip_chars().str.to_date("%Y-%m-%d", strict=False)
        if parsed.null_count() == s.null_count():
            return parsed.dt.year().cast(pl.Int64)
    return f"column {column!r} must hold dates (ISO 8601, such as 2023-07-01), not {s.dtype}"


def _as_dates(s: pl.Series) -> pl.Series | None:
    """A column of ISO dates as ``Date`` (``None`` when some value is not a date)."""
    if s.dtype == pl.Date:
        return s
    if isinstance(s.dtype, pl.Datetime):
        return s.dt.date()
    if s.dtype == pl.Null:
        return s.cast(pl.Date)
    if s.dtype == pl.String:
        stripped = s.str.strip_chars().replace("", None)
        parsed = stripped.str.to_date("%Y-%m-%d", strict=False)
        if parsed.null_count() == stripped.null_count():
            return parsed
    return None


def _columns_missing(df: pl.DataFrame, columns: Iterable[str]) -> list[str]:
    return [c for c in columns if c not in df.columns]


@dataclass(frozen=True)
class _Meta:
    """What the city knows about one of its sources."""

    kind: str  # areas, organisation, layer, table, crosswalk
    name: str
    path: str | None
    key: str | None = None
    unit: str | None = None
    year: str | None = None
    date: str | None = None
    description: str | None = None
    source_crs: str | None = None


class _Problems:
    """Collects problems; each names the file (or the source) it is about."""

    def __init__(self) -> None:
        self.items: list[ConfigProblem] = []

    def add(self, message: str, *, path: str | None = None, key: str | None = None) -> None:
        self.items.append(ConfigProblem(message, path=path, key=key))

    def about(self, meta: _Meta, message: str, key: str | None = None) -> None:
        section = {"layer": "layers", "table": "tables", "crosswalk": "crosswalks"}.get(meta.kind)
        where = f"{section}.{meta.name}" if section else meta.kind
        if key is not None and "." not in key:
            key = f"{where}.{key}"
        self.add(message, path=meta.path, key=key or where)


# -- the city ---------------------------------------------------------------------


class City:
    """A municipality's areas, their organisation over time, and its layers and tables.

    Make one from a TOML file with :meth:`from_config` (see
    :mod:`lagesbild.config` for the format), the bundled demo with
    :func:`lagesbild.demo`, or directly from layers and DataFrames.

    Everything is checked when the city is made, and every problem is
    reported at once in one :class:`~lagesbild.ConfigError`: missing files,
    missing columns, stadsdelar in a table (or the organisation, or a
    crosswalk) that are not in the boundaries, organisation periods that
    overlap, leave gaps or leave out stadsdelar, and areas that overlap or
    leave gaps larger than the tolerances. Overlaps and gaps within the
    tolerances are kept as :attr:`findings`. Layers in another CRS than the
    working CRS (longitude/latitude in particular) are transformed on load,
    and each transformation is logged on the ``lagesbild`` logger.

    Parameters
    ----------
    areas
        The stadsdelar: one polygon per stadsdel.
    organisation
        The dated stadsdel → stadsdelsområde table with columns
        ``stadsdel``, ``sdo_namn``, ``sdo_kod``, ``giltig_fran`` and
        ``giltig_till`` (dates; ``giltig_till`` null while in force), one row
        per stadsdel per period.
    layers
        Other layers by name (``"vatten"``, ``"farligt_gods"``, …).
    tables
        Tables by name (``"befolkning"``, ``"trygghetsmatning"``, …).
    crosswalks
        Tables from other unit systems to stadsdelar by name, with columns
        ``from`` (the other unit), ``stadsdel`` and ``weight`` (the unit's
        share that belongs to the stadsdel; the weights of each unit add up
        to 1).
    key
        The column of ``areas`` that names the stadsdel.
    table_keys
        For each table that has them: ``{"key": column naming the area,
        "unit": "stadsdel" | "stadsdelsomrade" | a crosswalk's name, "year":
        year column, "date": date column}``. A table with a column called
        ``stadsdel`` is keyed by it unless told otherwise.
    name
        The city's name, for messages and reports.
    crs
        The working CRS (projected, in metres). Default: the areas' CRS.
    settings
        Risk distance, flood levels, small-count threshold and topology
        tolerances (:class:`lagesbild.config.Settings`).

    Raises
    ------
    ConfigError
        With every problem found (``.problems``).

    Examples
    --------
    Four stadsdelar in two stadsdelsområden until mid-2023, one since:

    >>> import datetime as dt, shapely
    >>> squares = {"A": (0, 0), "B": (1, 0), "C": (0, 1), "D": (1, 1)}
    >>> areas = lb.Layer.from_polars(pl.DataFrame({
    ...     "stadsdel": list(squares),
    ...     "geometry": [shapely.to_wkb(shapely.box(x * 1000, y * 1000, x * 1000 + 1000, y * 1000 + 1000))
    ...                  for x, y in squares.values()],
    ... }), crs=3011, name="stadsdelar")
    >>> org = pl.DataFrame({
    ...     "stadsdel": ["A", "B", "C", "D"] * 2,
    ...     "sdo_namn": ["Väst", "Öst", "Väst", "Öst"] + ["Hela"] * 4,
    ...     "sdo_kod": ["V", "O", "V", "O"] + ["H"] * 4,
    ...     "giltig_fran": [dt.date(2020, 7, 1)] * 4 + [dt.date(2023, 7, 1)] * 4,
    ...     "giltig_till": [dt.date(2023, 6, 30)] * 4 + [None] * 4,
    ... })
    >>> city = lb.City(areas, org, name="Exempelstad")
    >>> city
    <City 'Exempelstad': 4 stadsdelar, 2 organisation periods, EPSG:3011, layers: (none), tables: (none)>
    >>> city.organisation(2022)["sdo_namn"].to_list()
    ['Väst', 'Öst', 'Väst', 'Öst']
    >>> city.organisation(2023)["sdo_namn"].unique().to_list()
    ['Hela']
    >>> city.organisation(dt.date(2023, 6, 30))["sdo_kod"].to_list()
    ['V', 'O', 'V', 'O']
    """

    def __init__(
        self,
        areas: Layer,
        organisation: pl.DataFrame | None = None,
        layers: Mapping[str, Layer] | None = None,
        tables: Mapping[str, pl.DataFrame] | None = None,
        crosswalks: Mapping[str, pl.DataFrame] | None = None,
        *,
        key: str = "stadsdel",
        table_keys: Mapping[str, Mapping[str, str]] | None = None,
        name: str = "city",
        crs: int | str | Crs | None = None,
        settings: Settings | None = None,
    ) -> None:
        problems = _Problems()
        table_keys = dict(table_keys or {})
        metas: dict[tuple[str, str], _Meta] = {}
        if not isinstance(areas, Layer):
            msg = f"areas must be a lagesbild.Layer, not {type(areas).__name__}"
            raise TypeError(msg)
        metas[("areas", "areas")] = _Meta("areas", "areas", None, key=key)
        if organisation is not None:
            metas[("organisation", "organisation")] = _Meta("organisation", "organisation", None)
        for n in layers or {}:
            metas[("layer", n)] = _Meta("layer", n, None)
        for n, df in (tables or {}).items():
            spec = dict(table_keys.pop(n, {}))
            unknown = set(spec) - {"key", "unit", "year", "date"}
            if unknown:
                msg = f"table_keys[{n!r}]: unknown keys {sorted(unknown)}; use key, unit, year, date"
                raise InvalidArgumentError(msg)
            if "key" not in spec and isinstance(df, pl.DataFrame) and "stadsdel" in df.columns:
                spec["key"] = "stadsdel"
            metas[("table", n)] = _Meta(
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
            metas[("crosswalk", n)] = _Meta("crosswalk", n, None, key="from")
        self._build(
            name=name,
            config_path=None,
            crs=crs,
            areas=areas,
            organisation=organisation,
            layers=dict(layers or {}),
            tables=dict(tables or {}),
            crosswalks=dict(crosswalks or {}),
            metas=metas,
            settings=settings or Settings(),
            problems=problems,
        )

    # -- loading ----------------------------------------------------------------

    @classmethod
    def from_config(cls, path: str | os.PathLike[str]) -> City:
        """Load a city from its TOML configuration file.

        Paths in the file are relative to the file. Every file is read and
        every check made before anything is raised, so one
        :class:`~lagesbild.ConfigError` lists all the problems (typos in the
        TOML, wrong value types, missing files and columns, unknown
        stadsdelar, organisation periods, overlaps and gaps). See
        :mod:`lagesbild.config` for the format.

        Parameters
        ----------
        path
            The TOML file.

        Returns
        -------
        City

        Raises
        ------
        ConfigError
            With every problem found (``.problems``, each naming its file).

        Examples
        --------
        >>> city = lb.City.from_config("data/demo/lagesbild.toml")
        >>> city.organisation(2023)["sdo_namn"].n_unique()
        11
        """
        config, found = parse_config(path)
        problems = _Problems()
        problems.items.extend(found)
        self = cls.__new__(cls)
        if config is None:
            raise ConfigError.from_problems(problems.items, path=os.fspath(path))
        self._load(config, problems)
        return self

    def _read(self, source: _Source, problems: _Problems, *, table: bool) -> Any:
        shown = os.fspath(source.path)
        if not source.path.is_file():
            what = "not a file" if source.path.exists() else f"no such file ({source.path.resolve()})"
            problems.add(what, path=shown, key=f"{source.key_path}.file")
            return None
        opts = dict(source.options)
        try:
            if table:
                return _read_table(source.path, opts)
            if "crs" in opts:
                opts["crs"] = Crs(opts["crs"])
            return _read_layer(source.path, opts)
        except (LagesbildError, ValueError) as e:
            problems.add(str(e), path=shown, key=source.key_path)
        return None

    def _load(self, config: CityConfig, problems: _Problems) -> None:
        metas: dict[tuple[str, str], _Meta] = {}
        areas = None
        if config.areas is not None:
            areas = self._read(config.areas, problems, table=False)
            metas[("areas", "areas")] = _Meta("areas", "areas", os.fspath(config.areas.path), key=config.areas.key)
        organisation = None
        if config.organisation is not None:
            oc = config.organisation
            raw = self._read(oc, problems, table=True)
            meta = _Meta("organisation", "organisation", os.fspath(oc.path))
            metas[("organisation", "organisation")] = meta
            if raw is not None:
                missing = [f for c, f in oc.columns.items() if f not in raw.columns]
                for column in missing:
                    problems.about(meta, f"no column {column!r} (columns: {', '.join(raw.columns)})", "organisation")
                if not missing:
                    organisation = raw.select(pl.col(f).alias(c) for c, f in oc.columns.items())
        layers = {}
        for n, lc in config.layers.items():
            metas[("layer", n)] = _Meta(
                "layer", n, os.fspath(lc.path), year=lc.year, date=lc.date, description=lc.description
            )
            layer = self._read(lc, problems, table=False)
            if layer is not None:
                layers[n] = layer
        tables = {}
        for n, tc in config.tables.items():
            metas[("table", n)] = _Meta(
                "table",
                n,
                os.fspath(tc.path),
                key=tc.key,
                unit=tc.unit,
                year=tc.year,
                date=tc.date,
                description=tc.description,
            )
            df = self._read(tc, problems, table=True)
            if df is not None:
                tables[n] = df
        crosswalks = {}
        for n, cc in config.crosswalks.items():
            meta = _Meta("crosswalk", n, os.fspath(cc.path), key="from", description=cc.description)
            metas[("crosswalk", n)] = meta
            df = self._read(cc, problems, table=True)
            if df is None:
                continue
            wanted = [cc.from_column, cc.stadsdel] + ([cc.weight] if cc.weight else [])
            missing = _columns_missing(df, wanted)
            for column in missing:
                problems.about(meta, f"no column {column!r} (columns: {', '.join(df.columns)})", f"crosswalks.{n}")
            if not missing:
                crosswalks[n] = df.select(
                    pl.col(cc.from_column).alias("from"),
                    pl.col(cc.stadsdel).alias("stadsdel"),
                    (pl.col(cc.weight) if cc.weight else pl.lit(None, pl.Float64)).alias("weight"),
                )
        self._build(
            name=config.name,
            config_path=config.path,
            crs=config.crs,
            areas=areas,
            organisation=organisation,
            layers=layers,
            tables=tables,
            crosswalks=crosswalks,
            metas=metas,
            settings=config.settings,
            problems=problems,
        )

    def _build(
        self,
        *,
        name: str,
        config_path: Path | None,
        crs: int | str | Crs | None,
        areas: Layer | None,
        organisation: pl.DataFrame | None,
        layers: dict[str, Layer],
        tables: dict[str, pl.DataFrame],
        crosswalks: dict[str, pl.DataFrame],
        metas: dict[tuple[str, str], _Meta],
        settings: Settings,
        problems: _Problems,
    ) -> None:
        """Check everything together, transform into the working CRS, raise once."""
        self.name = name
        self.config_path = config_path
        self.settings = settings
        self._metas = metas
        config_shown = os.fspath(config_path) if config_path else None

        # The working CRS.
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
        self.crs = working

        def to_working(meta: _Meta, layer: Layer) -> Layer:
            src = layer.crs
            metas[(meta.kind, meta.name)] = replace(meta, source_crs=f"EPSG:{src.epsg}")
            if working is None or src == working:
                return layer
            try:
                out = layer.to_crs(working)
            except LagesbildError as e:
                problems.about(meta, f"cannot transform from EPSG:{src.epsg} into EPSG:{working.epsg}: {e}")
                return layer
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
            return out

        # Areas.
        area_meta = metas.get(("areas", "areas"))
        names: list[str] = []
        if areas is not None and area_meta is not None:
            areas = to_working(area_meta, areas)
            names = self._check_areas(areas, area_meta, problems)
        self.areas = areas
        self._names = names
        known = set(names)

        # Layers.
        self.layers: dict[str, Layer] = {}
        for n, layer in layers.items():
            meta = metas[("layer", n)]
            if not isinstance(layer, Layer):
                problems.about(meta, f"layer {n!r} must be a lagesbild.Layer, not {type(layer).__name__}")
                continue
            layer = to_working(meta, layer)
            self._check_time_columns(layer.attributes, metas[("layer", n)], problems)
            self.layers[n] = layer

        # Organisation.
        self._organisation: pl.DataFrame | None = None
        self._periods: list[tuple[dt.date, dt.date | None]] = []
        if organisation is not None:
            meta = metas[("organisation", "organisation")]
            self._organisation, self._periods = self._check_organisation(organisation, meta, known, problems)

        # Crosswalks.
        self.crosswalks: dict[str, pl.DataFrame] = {}
        for n, df in crosswalks.items():
            meta = metas[("crosswalk", n)]
            checked = self._check_crosswalk(df, meta, known, problems)
            if checked is not None:
                self.crosswalks[n] = checked

        # Tables.
        self.tables: dict[str, pl.DataFrame] = {}
        sdo_names = set(self._organisation["sdo_namn"].to_list()) if self._organisation is not None else set()
        for n, df in tables.items():
            meta = metas[("table", n)]
            if not isinstance(df, pl.DataFrame):
                problems.about(meta, f"table {n!r} must be a polars DataFrame, not {type(df).__name__}")
                continue
            self._check_table(df, meta, known, sdo_names, problems)
            self.tables[n] = df

        # Settings that name layers.
        self._check_settings(settings, config_shown, problems)

        # Topology of the areas.
        self.findings = _empty_findings()
        polygons = areas is not None and areas.geom_types <= {"Polygon", "MultiPolygon"}
        if areas is not None and area_meta is not None and working is not None and names and polygons:
            self.findings = self._check_topology(areas, area_meta, problems)

        if problems.items:
            raise ConfigError.from_problems(problems.items, path=config_shown)

    # -- checks -------------------------------------------------------------------

    def _check_areas(self, areas: Layer, meta: _Meta, problems: _Problems) -> list[str]:
        attrs = areas.attributes
        key = meta.key or "stadsdel"
        if len(areas) == 0:
            problems.about(meta, "the layer has no features; the city needs its stadsdelar")
            return []
        if key not in attrs.columns:
            problems.about(
                meta, f"no column {key!r} naming the stadsdel (columns: {', '.join(attrs.columns)})", "areas.key"
            )
            return []
        names = attrs[key].cast(pl.String)
        blank = (names.is_null() | (names.str.strip_chars() == "")).arg_true().to_list()
        if blank:
            problems.about(meta, f"features {_shown(blank)} have no stadsdel name in column {key!r}")
        dupes = names.filter(names.is_duplicated()).drop_nulls().unique().sort().to_list()
        if dupes:
            problems.about(meta, f"stadsdelar named more than once in column {key!r}: {_shown(dupes)}")
        geom_types = areas.geom_types - {"Polygon", "MultiPolygon"}
        if geom_types:
            problems.about(meta, f"the areas must be polygons, not {', '.join(sorted(geom_types))}")
        missing_geom = [i for i, v in enumerate(areas.to_polars(name="__g__")["__g__"].is_null()) if v]
        if missing_geom:
            problems.about(meta, f"stadsdelar without geometry: {_shown(names.gather(missing_geom).to_list())}")
        report = areas.validity_report()
        for row in report.head(10).iter_rows(named=True):
            problems.about(
                meta,
                f"feature {row['feature']} ({names[row['feature']]}): invalid polygon: {row['reason']}"
                + (f" at ({row['x']:.2f}, {row['y']:.2f})" if row["x"] is not None else ""),
            )
        if report.height > 10:
            problems.about(meta, f"and {report.height - 10} more invalid polygon problems")
        return names.drop_nulls().to_list()

    def _check_time_columns(self, df: pl.DataFrame, meta: _Meta, problems: _Problems) -> None:
        for column, convert in ((meta.year, _year_column), (meta.date, _date_years)):
            if column is None:
                continue
            if column not in df.columns:
                problems.about(meta, f"no column {column!r} (columns: {', '.join(df.columns)})")
                continue
            result = convert(df, column)
            if isinstance(result, str):
                problems.about(meta, result)

    def _check_organisation(
        self, org: pl.DataFrame, meta: _Meta, known: set[str], problems: _Problems
    ) -> tuple[pl.DataFrame | None, list[tuple[dt.date, dt.date | None]]]:
        if not isinstance(org, pl.DataFrame):
            problems.about(meta, f"the organisation must be a polars DataFrame, not {type(org).__name__}")
            return None, []
        missing = _columns_missing(org, ORGANISATION_COLUMNS)
        if missing:
            problems.about(
                meta,
                f"no column {', '.join(map(repr, missing))} (columns: {', '.join(org.columns)}; "
                f"needed: {', '.join(ORGANISATION_COLUMNS)})",
            )
            return None, []
        if org.height == 0:
            problems.about(meta, "the organisation table has no rows")
            return None, []
        start, end = _as_dates(org["giltig_fran"]), _as_dates(org["giltig_till"])
        ok = True
        if start is None or start.null_count():
            problems.about(meta, "giltig_fran must be a date (ISO 8601, such as 2023-07-01) on every row")
            ok = False
        if end is None:
            problems.about(meta, "giltig_till must be a date (ISO 8601) or empty while in force")
            ok = False
        if not ok:
            return None, []
        org = org.with_columns(
            giltig_fran=start,
            giltig_till=end,
            stadsdel=pl.col("stadsdel").cast(pl.String),
            sdo_namn=pl.col("sdo_namn").cast(pl.String),
            sdo_kod=pl.col("sdo_kod").cast(pl.String),
        ).select(ORGANISATION_COLUMNS)
        good = True
        backwards = org.filter(pl.col("giltig_till") < pl.col("giltig_fran"))
        if backwards.height:
            r = backwards.row(0, named=True)
            problems.about(
                meta,
                f"{backwards.height} rows end before they start, such as {r['stadsdel']}: "
                f"{r['giltig_fran']} – {r['giltig_till']}",
            )
            good = False
        periods = org.select("giltig_fran", "giltig_till").unique().sort("giltig_fran", "giltig_till", nulls_last=True)
        spans = [(r[0], r[1]) for r in periods.iter_rows()]
        for (a0, a1), (b0, b1) in zip(spans, spans[1:]):
            if a1 is None or a1 >= b0:
                problems.about(
                    meta,
                    f"the periods {a0} – {a1 or '(in force)'} and {b0} – {b1 or '(in force)'} overlap: "
                    "each day must have one organisation",
                )
                good = False
            elif a1 + dt.timedelta(days=1) != b0:
                problems.about(
                    meta,
                    f"no organisation between {a1} and {b0}: the period after {a0} – {a1} must start on "
                    f"{a1 + dt.timedelta(days=1)}",
                )
                good = False
        for p0, p1 in spans:
            rows = org.filter((pl.col("giltig_fran") == p0) & _eq_or_null("giltig_till", p1))
            label = f"period {p0} – {p1 or '(in force)'}"
            st = rows["stadsdel"]
            dupes = st.filter(st.is_duplicated()).unique().sort().to_list()
            if dupes:
                problems.about(meta, f"{label}: stadsdelar listed more than once: {_shown(dupes)}")
                good = False
            if known:
                unknown = sorted(set(st.drop_nulls().to_list()) - known)
                if unknown:
                    problems.about(
                        meta,
                        f"{label}: stadsdelar that are not in the boundaries: {_unknown_names(unknown, sorted(known))}",
                    )
                    good = False
                left_out = sorted(known - set(st.drop_nulls().to_list()))
                if left_out:
                    problems.about(
                        meta, f"{label}: stadsdelar of the boundaries with no stadsdelsområde: {_shown(left_out)}"
                    )
                    good = False
            pairs = rows.select("sdo_namn", "sdo_kod").unique()
            for col, other in (("sdo_namn", "sdo_kod"), ("sdo_kod", "sdo_namn")):
                multi = pairs.group_by(col).agg(pl.col(other)).filter(pl.col(other).list.len() > 1)
                for r in multi.sort(col).iter_rows():
                    problems.about(meta, f"{label}: {col} {r[0]!r} has several {other}: {_shown(sorted(r[1]))}")
                    good = False
        if not good:
            return None, []
        return org.sort("giltig_fran", "stadsdel"), spans

    def _check_crosswalk(
        self, df: pl.DataFrame, meta: _Meta, known: set[str], problems: _Problems
    ) -> pl.DataFrame | None:
        if not isinstance(df, pl.DataFrame):
            problems.about(meta, f"crosswalk {meta.name!r} must be a polars DataFrame, not {type(df).__name__}")
            return None
        missing = _columns_missing(df, ("from", "stadsdel"))
        if missing:
            problems.about(meta, f"no column {', '.join(map(repr, missing))} (columns: {', '.join(df.columns)})")
            return None
        if "weight" not in df.columns:
            df = df.with_columns(weight=pl.lit(None, pl.Float64))
        df = df.select(
            pl.col("from").cast(pl.String), pl.col("stadsdel").cast(pl.String), pl.col("weight").cast(pl.Float64)
        )
        good = True
        if known:
            unknown = sorted(set(df["stadsdel"].drop_nulls().to_list()) - known)
            if unknown:
                problems.about(
                    meta, f"stadsdelar that are not in the boundaries: {_unknown_names(unknown, sorted(known))}"
                )
                good = False
        if df["weight"].null_count() == df.height:
            multi = df.group_by("from").len().filter(pl.col("len") > 1)["from"].sort().to_list()
            if multi:
                problems.about(
                    meta,
                    f"units split over several stadsdelar need a weight column: {_shown(multi)}",
                )
                good = False
            df = df.with_columns(weight=pl.lit(1.0))
        else:
            bad = df.filter(pl.col("weight").is_null() | (pl.col("weight") < 0) | (pl.col("weight") > 1))
            if bad.height:
                problems.about(
                    meta, f"weights must be shares from 0 to 1; {bad.height} rows are not, such as {bad.row(0)}"
                )
                good = False
            sums = (
                df.group_by("from")
                .agg(pl.col("weight").sum())
                .filter((pl.col("weight") - 1.0).abs() > _WEIGHT_SUM_TOLERANCE)
            )
            if sums.height:
                shown = ", ".join(f"{f!r} ({w:.4g})" for f, w in sums.sort("from").head(8).iter_rows())
                problems.about(meta, f"the weights of each unit must add up to 1; they do not for {shown}")
                good = False
        return df if good else None

    def _check_table(
        self, df: pl.DataFrame, meta: _Meta, known: set[str], sdo_names: set[str], problems: _Problems
    ) -> None:
        if meta.key is not None:
            if meta.key not in df.columns:
                problems.about(meta, f"no column {meta.key!r} (columns: {', '.join(df.columns)})", "key")
            else:
                values = set(df[meta.key].cast(pl.String).drop_nulls().to_list())
                unit = meta.unit or "stadsdel"
                if unit == "stadsdel":
                    if known:
                        unknown = sorted(values - known)
                        if unknown:
                            problems.about(
                                meta,
                                f"column {meta.key!r}: stadsdelar that are not in the boundaries: "
                                f"{_unknown_names(unknown, sorted(known))}",
                            )
                elif unit == "stadsdelsomrade":
                    if self._organisation is None:
                        problems.about(meta, "the table is keyed by stadsdelsområde but no organisation is given")
                    else:
                        unknown = sorted(values - sdo_names)
                        if unknown:
                            problems.about(
                                meta,
                                f"column {meta.key!r}: stadsdelsområden not in any organisation period: "
                                f"{_unknown_names(unknown, sorted(sdo_names))}",
                            )
                elif unit in self.crosswalks:
                    units = set(self.crosswalks[unit]["from"].to_list())
                    unknown = sorted(values - units)
                    if unknown:
                        problems.about(meta, f"column {meta.key!r}: units not in crosswalk {unit!r}: {_shown(unknown)}")
                elif ("crosswalk", unit) not in self._metas:
                    choices = ["stadsdel", "stadsdelsomrade", *self.crosswalks]
                    problems.about(
                        meta,
                        f"unit {unit!r} is not 'stadsdel', 'stadsdelsomrade' or a crosswalk"
                        f"{_suggest_text(unit, choices)}",
                        "unit",
                    )
        self._check_time_columns(df, meta, problems)

    def _check_settings(self, settings: Settings, config_shown: str | None, problems: _Problems) -> None:
        rd = settings.risk_distance
        for message in rd.problems():
            if config_shown is None:  # from_config has reported these already
                problems.add(message, key="risk_distance")
        for section, layer_name in (("risk_distance", rd.layer), ("flood", settings.flood.layer)):
            if layer_name is not None and layer_name not in self.layers and ("layer", layer_name) not in self._metas:
                problems.add(
                    f"no layer {layer_name!r}{_suggest_text(layer_name, list(self.layers))} "
                    f"(layers: {', '.join(self.layers) or 'none'})",
                    path=config_shown,
                    key=f"{section}.layer",
                )
        fl = settings.flood
        if fl.layer is not None and fl.layer in self.layers:
            layer = self.layers[fl.layer]
            meta = self._metas[("layer", fl.layer)]
            attrs = layer.attributes
            if fl.column not in attrs.columns:
                problems.about(
                    meta,
                    f"no column {fl.column!r} for the flood levels (columns: {', '.join(attrs.columns)})",
                    "flood.column",
                )
            elif not attrs[fl.column].dtype.is_numeric():
                problems.about(
                    meta,
                    f"the flood level column {fl.column!r} must be numeric, not {attrs[fl.column].dtype}",
                    "flood.column",
                )
            elif fl.levels is not None:
                present = sorted(set(attrs[fl.column].drop_nulls().to_list()))
                extra = [v for v in present if not any(math.isclose(v, w, abs_tol=1e-9) for w in fl.levels)]
                absent = [w for w in fl.levels if not any(math.isclose(v, w, abs_tol=1e-9) for v in present)]
                if extra:
                    problems.about(
                        meta,
                        f"levels in column {fl.column!r} that flood.levels does not list: {_shown(extra)}",
                        "flood.levels",
                    )
                if absent:
                    problems.about(
                        meta,
                        f"levels in flood.levels that are not in column {fl.column!r}: {_shown(absent)}",
                        "flood.levels",
                    )
        if settings.min_count < 0:
            problems.add(f"the small-count threshold must be 0 or more, not {settings.min_count}", key="suppression")

    def _check_topology(self, areas: Layer, meta: _Meta, problems: _Problems) -> pl.DataFrame:
        try:
            topo = area_topology(areas)
        except LagesbildError as e:
            problems.about(meta, f"cannot check overlaps and gaps: {e}")
            return _empty_findings()
        names = areas.attributes[meta.key or "stadsdel"].cast(pl.String).to_list()
        s = self.settings
        findings = topo.with_columns(
            stadsdelar=pl.col("features").list.eval(
                pl.element().replace_strict(list(range(len(names))), names, return_dtype=pl.String)
            ),
            tolerance_m2=pl.when(pl.col("kind") == "overlap")
            .then(pl.lit(s.overlap_tolerance_m2))
            .otherwise(pl.lit(s.gap_tolerance_m2)),
        ).select("kind", "stadsdelar", "area_m2", "x", "y", "tolerance_m2")
        for row in findings.filter(pl.col("area_m2") > pl.col("tolerance_m2")).iter_rows(named=True):
            who = " and ".join(row["stadsdelar"]) or "no stadsdel"
            what = (
                f"{who} overlap by {row['area_m2']:.1f} m²"
                if row["kind"] == "overlap"
                else f"a gap of {row['area_m2']:.1f} m² between {who}"
            )
            key = "topology.overlap_tolerance_m2" if row["kind"] == "overlap" else "topology.gap_tolerance_m2"
            problems.about(
                meta,
                f"{what} at ({row['x']:.1f}, {row['y']:.1f}), more than the tolerance of "
                f"{row['tolerance_m2']:g} m² (fix the boundaries or raise {key})",
            )
        return (
            findings.filter(pl.col("area_m2") <= pl.col("tolerance_m2"))
            .drop("tolerance_m2")
            .sort(pl.col("kind") == "gap", pl.col("area_m2"), descending=[False, True])
        )

    # -- the organisation ------------------------------------------------------------

    @property
    def stadsdelar(self) -> list[str]:
        """The stadsdel names, in the order of the areas layer."""
        return list(self._names)

    @property
    def periods(self) -> pl.DataFrame:
        """The organisation's periods: ``giltig_fran``, ``giltig_till`` (null while in force),
        ``stadsdelsomraden`` and ``stadsdelar`` (how many of each)."""
        if self._organisation is None:
            return pl.DataFrame(
                schema={
                    "giltig_fran": pl.Date,
                    "giltig_till": pl.Date,
                    "stadsdelsomraden": pl.UInt32,
                    "stadsdelar": pl.UInt32,
                }
            )
        return (
            self._organisation.group_by("giltig_fran", "giltig_till")
            .agg(stadsdelsomraden=pl.col("sdo_namn").n_unique(), stadsdelar=pl.col("stadsdel").n_unique())
            .sort("giltig_fran")
        )

    @staticmethod
    def organisation_date(when: int | dt.date) -> dt.date:
        """The date whose organisation applies to a report year: 31 December of the year.

        A date is returned as it is.

        Examples
        --------
        >>> lb.City.organisation_date(2023)
        datetime.date(2023, 12, 31)
        """
        if isinstance(when, dt.datetime):
            return when.date()
        if isinstance(when, dt.date):
            return when
        if isinstance(when, int) and not isinstance(when, bool):
            return dt.date(when, 12, 31)
        msg = f"a report year (2023) or a datetime.date, not {type(when).__name__}"
        raise InvalidArgumentError(msg)

    def _period(self, when: int | dt.date) -> tuple[dt.date, dt.date | None]:
        if self._organisation is None:
            msg = f"{self.name}: no organisation is given, so there are no stadsdelsområden"
            raise InvalidArgumentError(msg)
        day = self.organisation_date(when)
        for p0, p1 in self._periods:
            if p0 <= day and (p1 is None or day <= p1):
                return p0, p1
        first, last = self._periods[0], self._periods[-1]
        if day < first[0]:
            log.warning(
                "%s: no organisation was in force on %s; using the earliest, in force from %s",
                self.name,
                day,
                first[0],
            )
            return first
        log.warning(
            "%s: no organisation is recorded for %s; using the last, in force %s – %s",
            self.name,
            day,
            last[0],
            last[1],
        )
        return last

    def organisation(self, when: int | dt.date) -> pl.DataFrame:
        """The stadsdel → stadsdelsområde mapping for a report year or a date.

        A year means the organisation in force on 31 December of that year;
        a :class:`datetime.date` the one in force that day. Before the
        earliest period the earliest is used (after a closed last period,
        the last), with a warning on the ``lagesbild`` logger.

        Parameters
        ----------
        when
            A report year or a date.

        Returns
        -------
        polars.DataFrame
            One row per stadsdel (in the order of the areas): ``stadsdel``,
            ``sdo_namn``, ``sdo_kod``, and the period used, ``giltig_fran``
            and ``giltig_till``.

        Examples
        --------
        >>> import datetime as dt
        >>> city = lb.City.example()
        >>> city.organisation(2023).select("stadsdel", "sdo_namn")
        shape: (4, 2)
        ┌──────────┬──────────┐
        │ stadsdel ┆ sdo_namn │
        │ ---      ┆ ---      │
        │ str      ┆ str      │
        ╞══════════╪══════════╡
        │ A        ┆ Hela     │
        │ B        ┆ Hela     │
        │ C        ┆ Hela     │
        │ D        ┆ Hela     │
        └──────────┴──────────┘
        >>> city.organisation(2019)["giltig_fran"][0]   # before the first period: the first
        datetime.date(2020, 7, 1)
        """
        p0, p1 = self._period(when)
        assert self._organisation is not None
        rows = self._organisation.filter((pl.col("giltig_fran") == p0) & _eq_or_null("giltig_till", p1))
        order = pl.DataFrame({"stadsdel": self._names, "__order__": range(len(self._names))})
        return rows.join(order, on="stadsdel", how="left").sort("__order__").drop("__order__")

    def areas_at(self, when: int | dt.date) -> Layer:
        """The stadsdelar with the stadsdelsområde they belong to in a report year (or on a date).

        The areas layer with the columns ``sdo_namn`` and ``sdo_kod`` of
        :meth:`organisation` added.

        Examples
        --------
        >>> lb.City.example().areas_at(2020).attributes
        shape: (4, 3)
        ┌──────────┬──────────┬─────────┐
        │ stadsdel ┆ sdo_namn ┆ sdo_kod │
        │ ---      ┆ ---      ┆ ---     │
        │ str      ┆ str      ┆ str     │
        ╞══════════╪══════════╪═════════╡
        │ A        ┆ Väst     ┆ V       │
        │ B        ┆ Öst      ┆ O       │
        │ C        ┆ Väst     ┆ V       │
        │ D        ┆ Öst      ┆ O       │
        └──────────┴──────────┴─────────┘
        """
        assert self.areas is not None
        org = self.organisation(when).select("stadsdel", "sdo_namn", "sdo_kod")
        key = self._metas[("areas", "areas")].key or "stadsdel"
        attrs = self.areas.attributes.drop([c for c in ("sdo_namn", "sdo_kod") if c in self.areas.columns])
        joined = attrs.join(org.rename({"stadsdel": key}), on=key, how="left", maintain_order="left")
        return self.areas.with_attributes(joined)

    def organisation_crosswalk(self, when: int | dt.date, weights: pl.DataFrame | None = None) -> pl.DataFrame:
        """A crosswalk from the stadsdelsområden of a year to their stadsdelar.

        For bringing a table reported per stadsdelsområde (of an older
        organisation, say) down to stadsdelar with :meth:`to_stadsdelar`:
        counts are shared out by the weights, shares are inherited.

        Parameters
        ----------
        when
            The report year (or date) whose organisation the table uses.
        weights
            A DataFrame with ``stadsdel`` and ``weight`` (population of the
            year, say). Default: the stadsdel's area in m², which is crude
            for counts of people — pass population where you have it.

        Returns
        -------
        polars.DataFrame
            ``from`` (the stadsdelsområde's name), ``stadsdel``, ``weight``
            (the stadsdel's share of its stadsdelsområde; each adds up to 1).

        Examples
        --------
        >>> lb.City.example().organisation_crosswalk(2022)
        shape: (4, 3)
        ┌──────┬──────────┬────────┐
        │ from ┆ stadsdel ┆ weight │
        │ ---  ┆ ---      ┆ ---    │
        │ str  ┆ str      ┆ f64    │
        ╞══════╪══════════╪════════╡
        │ Väst ┆ A        ┆ 0.5    │
        │ Väst ┆ C        ┆ 0.5    │
        │ Öst  ┆ B        ┆ 0.5    │
        │ Öst  ┆ D        ┆ 0.5    │
        └──────┴──────────┴────────┘
        """
        org = self.organisation(when).select("stadsdel", "sdo_namn")
        if weights is None:
            assert self.areas is not None
            w = pl.DataFrame({"stadsdel": self._names, "weight": self.areas.area().to_list()})
        else:
            missing = _columns_missing(weights, ("stadsdel", "weight"))
            if missing:
                msg = f"weights: no column {missing[0]!r} (columns: {', '.join(weights.columns)})"
                raise ColumnNotFoundError(msg, column=missing[0])
            w = weights.select(pl.col("stadsdel").cast(pl.String), pl.col("weight").cast(pl.Float64))
        joined = org.join(w, on="stadsdel", how="left")
        lacking = joined.filter(pl.col("weight").is_null())["stadsdel"].to_list()
        if lacking:
            msg = f"weights: no weight for the stadsdelar {_shown(lacking)}"
            raise InvalidArgumentError(msg)
        return (
            joined.with_columns(
                weight=pl.when(pl.col("weight").sum().over("sdo_namn") > 0)
                .then(pl.col("weight") / pl.col("weight").sum().over("sdo_namn"))
                .otherwise(1.0 / pl.len().over("sdo_namn"))
            )
            .select(pl.col("sdo_namn").alias("from"), "stadsdel", "weight")
            .sort("from", "stadsdel")
        )

    # -- moving tables between levels ----------------------------------------------------

    def _table_args(self, df: pl.DataFrame | str, key: str | None) -> tuple[pl.DataFrame, _Meta | None, str | None]:
        if isinstance(df, str):
            if df not in self.tables:
                msg = f"{self.name}: no table {df!r}{_suggest_text(df, list(self.tables))} (tables: {', '.join(self.tables) or 'none'})"
                raise InvalidArgumentError(msg)
            meta = self._metas[("table", df)]
            return self.tables[df], meta, key or meta.key
        if not isinstance(df, pl.DataFrame):
            msg = f"a polars DataFrame or a table's name, not {type(df).__name__}"
            raise TypeError(msg)
        return df, None, key

    def to_stadsdelar(
        self,
        df: pl.DataFrame | str,
        *,
        key: str | None = None,
        crosswalk: str | pl.DataFrame | None = None,
        sums: Sequence[str] = (),
        means: Sequence[str] = (),
        weight: str | None = None,
        by: Sequence[str] = (),
    ) -> pl.DataFrame:
        """Bring a table to the stadsdelar: directly, or from other units through a crosswalk.

        Each row of ``df`` belongs to one unit (a stadsdel, an NYKO area, a
        stadsdelsområde of some year …) named in column ``key``. Through the
        crosswalk, a unit gives the share ``w`` of itself to each of its
        stadsdelar (``w = 1`` without a crosswalk). Then, per stadsdel and
        ``by`` group:

        - a column in ``sums`` (counts: incidents, respondents, people) is
          ``Σ value · w`` — totals are kept, and come out as floats when
          units are split;
        - a column in ``means`` (shares, indices) is the weighted mean
          ``Σ value · n · w / Σ n · w``, where ``n`` is the ``weight``
          column (respondents) or 1 — so a stadsdel made of two units gets
          the mean of both, weighted by their respondents;
        - the ``weight`` column itself is summed like a count (``Σ n · w``),
          the respondents behind each mean.

        Nulls are left out of sums and means (a group of nulls gives null).

        Parameters
        ----------
        df
            The table, or the name of one of the city's tables (whose
            configured key and crosswalk are then the defaults).
        key
            The column naming the unit (default ``"stadsdel"``).
        crosswalk
            A crosswalk's name, or a DataFrame with ``from``, ``stadsdel``
            and ``weight`` (see :meth:`organisation_crosswalk`). Without
            one, ``key`` must name stadsdelar.
        sums, means
            The value columns, as above.
        weight
            The column of respondent counts that weights the means.
        by
            Further grouping columns kept in the result (year, indicator …).

        Returns
        -------
        polars.DataFrame
            ``stadsdel``, the ``by`` columns, ``weight``, ``sums`` and
            ``means``, sorted by ``by`` then stadsdel.

        Raises
        ------
        ColumnNotFoundError
            If a named column is missing.
        InvalidArgumentError
            If a unit is not in the crosswalk (or, without one, a value is
            not a stadsdel): rows are never dropped silently.

        Examples
        --------
        Two survey units; unit ``n1`` lies wholly in stadsdel A, ``n2`` is
        split 3:1 between A and B:

        >>> city = lb.City.example()
        >>> cw = pl.DataFrame({"from": ["n1", "n2", "n2"], "stadsdel": ["A", "A", "B"], "weight": [1.0, 0.75, 0.25]})
        >>> survey = pl.DataFrame({"nyko": ["n1", "n2"], "antal": [10, 20], "andel": [0.2, 0.6], "svar": [100, 200]})
        >>> city.to_stadsdelar(survey, key="nyko", crosswalk=cw, sums=["antal"], means=["andel"], weight="svar")
        shape: (2, 4)
        ┌──────────┬───────┬───────┬───────┐
        │ stadsdel ┆ svar  ┆ antal ┆ andel │
        │ ---      ┆ ---   ┆ ---   ┆ ---   │
        │ str      ┆ f64   ┆ f64   ┆ f64   │
        ╞══════════╪═══════╪═══════╪═══════╡
        │ A        ┆ 250.0 ┆ 25.0  ┆ 0.44  │
        │ B        ┆ 50.0  ┆ 5.0   ┆ 0.6   │
        └──────────┴───────┴───────┴───────┘

        (A: ``(0.2·100·1 + 0.6·200·0.75) / (100 + 150) = 0.44``.)
        """
        df, meta, key = self._table_args(df, key)
        key = key or "stadsdel"
        if crosswalk is None and meta is not None and meta.unit not in (None, "stadsdel"):
            if meta.unit == "stadsdelsomrade":
                msg = (
                    f"table {meta.name!r} is per stadsdelsområde: pass "
                    "crosswalk=city.organisation_crosswalk(year) for the year of its organisation"
                )
                raise InvalidArgumentError(msg)
            crosswalk = meta.unit
        if isinstance(crosswalk, str):
            if crosswalk not in self.crosswalks:
                msg = f"{self.name}: no crosswalk {crosswalk!r} (crosswalks: {', '.join(self.crosswalks) or 'none'})"
                raise InvalidArgumentError(msg)
            cw = self.crosswalks[crosswalk]
        elif crosswalk is None:
            cw = pl.DataFrame({"from": self._names, "stadsdel": self._names, "weight": [1.0] * len(self._names)})
        else:
            missing = _columns_missing(crosswalk, CROSSWALK_COLUMNS)
            if missing:
                msg = f"crosswalk: no column {missing[0]!r} (columns: {', '.join(crosswalk.columns)}; needed: from, stadsdel, weight)"
                raise ColumnNotFoundError(msg, column=missing[0])
            cw = crosswalk.select(
                pl.col("from").cast(pl.String), pl.col("stadsdel").cast(pl.String), pl.col("weight").cast(pl.Float64)
            )
        _require_columns(df, [key, *by, *sums, *means, *([weight] if weight else [])], meta)
        _check_value_columns(sums, means, weight, by, key)
        keyed = df.with_columns(pl.col(key).cast(pl.String).alias("__unit__"))
        units = set(cw["from"].to_list())
        unknown = sorted(set(keyed["__unit__"].drop_nulls().to_list()) - units)
        nulls = keyed["__unit__"].null_count()
        if unknown or nulls:
            what = "stadsdelar" if crosswalk is None else "units of the crosswalk"
            parts = []
            if unknown:
                parts.append(f"values of {key!r} that are not {what}: {_unknown_names(unknown, sorted(units))}")
            if nulls:
                parts.append(f"{nulls} rows with no {key!r}")
            msg = "; ".join(parts)
            raise InvalidArgumentError(msg)
        joined = keyed.join(
            cw.rename({"stadsdel": "__stadsdel__", "weight": "__w__"}), left_on="__unit__", right_on="from", how="inner"
        )
        out = _aggregate(joined, ["__stadsdel__", *by], "__w__", sums, means, weight)
        return out.rename({"__stadsdel__": "stadsdel"}).sort([*by, "stadsdel"])

    def to_stadsdelsomraden(
        self,
        df: pl.DataFrame | str,
        *,
        year: int | dt.date | None = None,
        year_column: str | None = None,
        key: str | None = None,
        sums: Sequence[str] = (),
        means: Sequence[str] = (),
        weight: str | None = None,
        by: Sequence[str] = (),
    ) -> pl.DataFrame:
        """Aggregate a table of stadsdelar to the stadsdelsområden of its year.

        Each row goes to the stadsdelsområde its stadsdel belonged to in the
        report year (:meth:`organisation`: the organisation in force on 31
        December), either one ``year`` for the whole table or each row's
        ``year_column``. Sums and weighted means as in
        :meth:`to_stadsdelar` (with ``w = 1``).

        Parameters
        ----------
        df
            The table, or the name of one of the city's tables (whose key
            and year columns are then the defaults).
        year, year_column
            The report year for all rows, or the column holding each row's.
        key
            The stadsdel column (default ``"stadsdel"``).
        sums, means, weight, by
            As in :meth:`to_stadsdelar`.

        Returns
        -------
        polars.DataFrame
            ``year_column`` (when given), ``sdo_namn``, ``sdo_kod``, ``by``,
            ``weight``, ``sums``, ``means``; sorted.

        Examples
        --------
        >>> city = lb.City.example()
        >>> counts = pl.DataFrame({"ar": [2022, 2022, 2023, 2023], "stadsdel": ["A", "B", "A", "B"], "antal": [1, 2, 3, 4]})
        >>> city.to_stadsdelsomraden(counts, year_column="ar", sums=["antal"])
        shape: (3, 4)
        ┌──────┬──────────┬─────────┬───────┐
        │ ar   ┆ sdo_namn ┆ sdo_kod ┆ antal │
        │ ---  ┆ ---      ┆ ---     ┆ ---   │
        │ i64  ┆ str      ┆ str     ┆ f64   │
        ╞══════╪══════════╪═════════╪═══════╡
        │ 2022 ┆ Väst     ┆ V       ┆ 1.0   │
        │ 2022 ┆ Öst      ┆ O       ┆ 2.0   │
        │ 2023 ┆ Hela     ┆ H       ┆ 7.0   │
        └──────┴──────────┴─────────┴───────┘
        """
        df, meta, key = self._table_args(df, key)
        key = key or "stadsdel"
        if meta is not None and year is None and year_column is None:
            year_column = meta.year
        if (year is None) == (year_column is None):
            msg = "give either year= (one report year for all rows) or year_column= (each row's year)"
            raise InvalidArgumentError(msg)
        _require_columns(
            df, [key, *by, *sums, *means, *([weight] if weight else []), *([year_column] if year_column else [])], meta
        )
        _check_value_columns(sums, means, weight, by, key)
        if year_column is not None:
            years = df[year_column].drop_nulls().unique().sort().to_list()
            if df[year_column].null_count():
                msg = f"{df[year_column].null_count()} rows have no year in {year_column!r}"
                raise InvalidArgumentError(msg)
            orgs = (
                pl.concat(
                    self.organisation(int(y)).select(
                        pl.lit(y, df[year_column].dtype).alias(year_column), "stadsdel", "sdo_namn", "sdo_kod"
                    )
                    for y in years
                )
                if years
                else pl.DataFrame(
                    schema={
                        year_column: df[year_column].dtype,
                        "stadsdel": pl.String,
                        "sdo_namn": pl.String,
                        "sdo_kod": pl.String,
                    }
                )
            )
            on = [year_column, "__stadsdel__"]
            groups = [year_column, "sdo_namn", "sdo_kod", *by]
        else:
            assert year is not None
            orgs = self.organisation(year).select("stadsdel", "sdo_namn", "sdo_kod")
            on = ["__stadsdel__"]
            groups = ["sdo_namn", "sdo_kod", *by]
        keyed = df.with_columns(pl.col(key).cast(pl.String).alias("__stadsdel__"))
        unknown = sorted(set(keyed["__stadsdel__"].drop_nulls().to_list()) - set(self._names))
        if unknown or keyed["__stadsdel__"].null_count():
            msg = (
                f"values of {key!r} that are not stadsdelar: {_unknown_names(unknown, self._names)}"
                if unknown
                else (f"{keyed['__stadsdel__'].null_count()} rows with no {key!r}")
            )
            raise InvalidArgumentError(msg)
        joined = keyed.join(orgs.rename({"stadsdel": "__stadsdel__"}), on=on, how="inner").with_columns(
            __w__=pl.lit(1.0)
        )
        return _aggregate(joined, groups, "__w__", sums, means, weight).sort(groups)

    def to_city(
        self,
        df: pl.DataFrame | str,
        *,
        sums: Sequence[str] = (),
        means: Sequence[str] = (),
        weight: str | None = None,
        by: Sequence[str] = (),
    ) -> pl.DataFrame:
        """Aggregate a table to the whole city (per ``by`` group), as :meth:`to_stadsdelar` does.

        Examples
        --------
        >>> city = lb.City.example()
        >>> s = pl.DataFrame({"stadsdel": ["A", "B"], "andel": [0.1, 0.4], "svar": [300, 100]})
        >>> city.to_city(s, means=["andel"], weight="svar")["andel"].round(3).to_list()
        [0.175]
        """
        df, meta, _ = self._table_args(df, None)
        _require_columns(df, [*by, *sums, *means, *([weight] if weight else [])], meta)
        _check_value_columns(sums, means, weight, by, None)
        out = _aggregate(df.with_columns(__w__=pl.lit(1.0)), list(by), "__w__", sums, means, weight)
        return out.sort(list(by)) if by else out

    # -- describing ----------------------------------------------------------------------

    def years(self, name: str) -> list[int]:
        """The years a table or layer covers (from its configured year or date column).

        Examples
        --------
        >>> lb.City.example().years("befolkning")
        [2022, 2023]
        """
        kind = "table" if ("table", name) in self._metas else "layer" if ("layer", name) in self._metas else None
        if kind is None:
            msg = f"{self.name}: no table or layer {name!r}"
            raise InvalidArgumentError(msg)
        meta = self._metas[(kind, name)]
        df = self.tables[name] if kind == "table" else self.layers[name].attributes
        for column, convert in ((meta.year, _year_column), (meta.date, _date_years)):
            if column is not None and column in df.columns:
                result = convert(df, column)
                if not isinstance(result, str):
                    return sorted(int(y) for y in result.drop_nulls().unique().to_list())
        return []

    @property
    def sources(self) -> pl.DataFrame:
        """Every source of the city: ``kind``, ``name``, ``path``, ``rows``, ``geometry``,
        ``source_crs`` (as read), ``crs`` (as held), ``years``, ``description``."""
        rows = []
        for (kind, name), meta in self._metas.items():
            geom = crs = None
            years: list[int] = []
            if kind == "areas" and self.areas is not None:
                obj, n = self.areas, len(self.areas)
            elif kind == "layer" and name in self.layers:
                obj, n = self.layers[name], len(self.layers[name])
                years = self.years(name)
            elif kind == "table" and name in self.tables:
                obj, n = None, self.tables[name].height
                years = self.years(name)
            elif kind == "organisation" and self._organisation is not None:
                obj, n = None, self._organisation.height
            elif kind == "crosswalk" and name in self.crosswalks:
                obj, n = None, self.crosswalks[name].height
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

    def inputs(self) -> pl.DataFrame:
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
        if self.config_path is not None:
            paths.add(Path(self.config_path))
        for meta in self._metas.values():
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

    def __repr__(self) -> str:
        crs = f"EPSG:{self.crs.epsg}" if self.crs is not None else "no CRS"
        return (
            f"<City {self.name!r}: {len(self._names)} stadsdelar, {len(self._periods)} organisation periods, "
            f"{crs}, layers: {', '.join(self.layers) or '(none)'}, tables: {', '.join(self.tables) or '(none)'}>"
        )

    def summary(self) -> str:
        """A plain-text summary: sources with counts, geometry types, CRSs and years;
        the organisation's periods; the settings; the findings.

        This is what ``lagesbild info --config FILE`` prints.

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
          risk distance: 150 m (A 0–30 m, B 30–70 m, C 70–150 m)
          flood levels: (no flood layer)
          small counts: fewer than 5 are suppressed
          tolerances: overlaps 10 m², gaps 10 m²
        findings: 0 overlaps (0.00 m² in all), 0 gaps (0.00 m² in all), all within the tolerances
        """
        lines = [f"City {self.name!r}" + (f" — {self.config_path}" if self.config_path else "")]
        lines.append(f"working CRS: EPSG:{self.crs.epsg} ({self.crs.name})" if self.crs else "working CRS: none")
        lines.append("")
        src = self.sources

        def where(path: str | None) -> str:
            if path is None:
                return "(in memory)"
            if self.config_path is not None:
                try:
                    rel = os.path.relpath(path, self.config_path.parent)
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
        if self._organisation is not None:
            org_path = self._metas[("organisation", "organisation")].path
            lines.append(f"organisation{f' ({where(org_path)})' if org_path else ''}: {len(self._periods)} periods")
            for p0, p1 in self._periods:
                rows = self._organisation.filter((pl.col("giltig_fran") == p0) & _eq_or_null("giltig_till", p1))
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
                meta = self._metas[(kind, r["name"])]
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
                cells = [c.ljust(w) for c, w in zip(row, widths) if w]
                lines.append(("  " + "  ".join(cells)).rstrip())

        block("layer", "layers")
        block("table", "tables")
        if self.crosswalks:
            block("crosswalk", "crosswalks")

        s = self.settings
        rd = s.risk_distance
        zones = ", ".join(f"{n} {a:g}–{b:g} m" for n, a, b in rd.zones())
        lines.append("settings:")
        lines.append(f"  risk distance: {rd.distance_m:g} m ({zones})" + (f" along {rd.layer!r}" if rd.layer else ""))
        levels = self.flood_levels()
        lines.append(
            f"  flood levels: {s.flood.layer!r} column {s.flood.column!r}: "
            + (" < ".join(f"{v:g}" for v in levels) if levels else "(none)")
            if s.flood.layer
            else "  flood levels: (no flood layer)"
        )
        lines.append(f"  small counts: fewer than {s.min_count} are suppressed")
        lines.append(f"  tolerances: overlaps {s.overlap_tolerance_m2:g} m², gaps {s.gap_tolerance_m2:g} m²")

        f = self.findings
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

    def flood_levels(self) -> list[float]:
        """The flood levels, lowest first (configured, or the distinct values of the level column)."""
        fl = self.settings.flood
        if fl.levels is not None:
            return list(fl.levels)
        if fl.layer is None or fl.layer not in self.layers:
            return []
        attrs = self.layers[fl.layer].attributes
        if fl.column not in attrs.columns:
            return []
        return sorted(float(v) for v in attrs[fl.column].drop_nulls().unique().to_list())

    def layer(self, name: str) -> Layer:
        """One of the city's layers by name (the error lists the others)."""
        if name not in self.layers:
            msg = f"{self.name}: no layer {name!r}{_suggest_text(name, list(self.layers))} (layers: {', '.join(self.layers) or 'none'})"
            raise InvalidArgumentError(msg)
        return self.layers[name]

    def table(self, name: str) -> pl.DataFrame:
        """One of the city's tables by name (the error lists the others)."""
        if name not in self.tables:
            msg = f"{self.name}: no table {name!r}{_suggest_text(name, list(self.tables))} (tables: {', '.join(self.tables) or 'none'})"
            raise InvalidArgumentError(msg)
        return self.tables[name]

    @property
    def min_count(self) -> int:
        """The small-count threshold: published counts below it are suppressed."""
        return self.settings.min_count

    @property
    def risk_distance(self) -> RiskDistance:
        """The risk-handling distance and its zones."""
        return self.settings.risk_distance

    @property
    def flood(self) -> FloodLevels:
        """The flood-zone layer's settings."""
        return self.settings.flood

    @classmethod
    def example(cls) -> City:
        """A tiny city to try things on: four 1 km squares, two organisations.

        Stadsdelar ``A``, ``B`` (south) and ``C``, ``D`` (north) in
        EPSG:3011; until 30 June 2023 ``A`` and ``C`` form ``Väst`` and
        ``B`` and ``D`` form ``Öst``, since then all four form ``Hela``; a
        table ``befolkning`` (``stadsdel``, ``ar``, ``folkmangd``) for 2022
        and 2023. The real thing is :func:`lagesbild.demo`.

        Examples
        --------
        >>> lb.City.example().periods
        shape: (2, 4)
        ┌─────────────┬─────────────┬──────────────────┬────────────┐
        │ giltig_fran ┆ giltig_till ┆ stadsdelsomraden ┆ stadsdelar │
        │ ---         ┆ ---         ┆ ---              ┆ ---        │
        │ date        ┆ date        ┆ u32              ┆ u32        │
        ╞═════════════╪═════════════╪══════════════════╪════════════╡
        │ 2020-07-01  ┆ 2023-06-30  ┆ 2                ┆ 4          │
        │ 2023-07-01  ┆ null        ┆ 1                ┆ 4          │
        └─────────────┴─────────────┴──────────────────┴────────────┘
        """
        squares = {"A": (0, 0), "B": (1, 0), "C": (0, 1), "D": (1, 1)}
        areas = Layer.from_polars(
            pl.DataFrame(
                {
                    "stadsdel": list(squares),
                    "geometry": [
                        _box_wkb(x * 1000, y * 1000, x * 1000 + 1000, y * 1000 + 1000) for x, y in squares.values()
                    ],
                }
            ),
            crs=3011,
            name="stadsdelar",
        )
        org = pl.DataFrame(
            {
                "stadsdel": ["A", "B", "C", "D"] * 2,
                "sdo_namn": ["Väst", "Öst", "Väst", "Öst"] + ["Hela"] * 4,
                "sdo_kod": ["V", "O", "V", "O"] + ["H"] * 4,
                "giltig_fran": [dt.date(2020, 7, 1)] * 4 + [dt.date(2023, 7, 1)] * 4,
                "giltig_till": [dt.date(2023, 6, 30)] * 4 + [None] * 4,
            }
        )
        befolkning = pl.DataFrame(
            {"stadsdel": ["A", "B", "C", "D"] * 2, "ar": [2022] * 4 + [2023] * 4, "folkmangd": [10, 20, 30, 40] * 2}
        )
        return cls(
            areas,
            org,
            tables={"befolkning": befolkning},
            table_keys={"befolkning": {"year": "ar"}},
            name="Exempelstad",
        )


# -- aggregation ---------------------------------------------------------------------


def _require_columns(df: pl.DataFrame, columns: Iterable[str], meta: _Meta | None) -> None:
    for c in columns:
        if c not in df.columns:
            where = f"table {meta.name!r}" if meta is not None else "the table"
            msg = f"{where}: no column {c!r} (columns: {', '.join(df.columns)})"
            raise ColumnNotFoundError(msg, column=c, path=meta.path if meta else None)


def _check_value_columns(
    sums: Sequence[str], means: Sequence[str], weight: str | None, by: Sequence[str], key: str | None
) -> None:
    for name, value in (("sums", sums), ("means", means), ("by", by)):
        if isinstance(value, str):
            msg = f"{name} takes a list of column names, such as [{value!r}]"
            raise InvalidArgumentError(msg)
    both = sorted(set(sums) & set(means))
    if both:
        msg = f"columns both in sums and means: {both}"
        raise InvalidArgumentError(msg)
    grouped = sorted(set(by) & (set(sums) | set(means) | ({weight} if weight else set()) | ({key} if key else set())))
    if grouped:
        msg = f"columns both grouped by and aggregated: {grouped}"
        raise InvalidArgumentError(msg)
    if weight is not None and weight in means:
        msg = f"the weight column {weight!r} cannot also be averaged"
        raise InvalidArgumentError(msg)


def _aggregate(
    df: pl.DataFrame,
    groups: list[str],
    w: str,
    sums: Sequence[str],
    means: Sequence[str],
    weight: str | None,
) -> pl.DataFrame:
    """Σ value·w for sums; Σ value·n·w / Σ n·w for means (n = the weight column or 1)."""
    n = pl.col(weight).cast(pl.Float64) if weight else pl.lit(1.0)
    aggs: list[pl.Expr] = []
    if weight is not None:
        aggs.append(_null_if_none((n * pl.col(w)).sum(), pl.col(weight)).alias(weight))
    for c in sums:
        if c == weight:
            continue
        aggs.append(_null_if_none((pl.col(c).cast(pl.Float64) * pl.col(w)).sum(), pl.col(c)).alias(c))
    for c in means:
        v = pl.col(c).cast(pl.Float64)
        both = v.is_not_null() & n.is_not_null()
        num = pl.when(both).then(v * n * pl.col(w)).otherwise(None).sum()
        den = pl.when(both).then(n * pl.col(w)).otherwise(None).sum()
        aggs.append(pl.when(den > 0).then(num / den).otherwise(None).alias(c))
    if not groups:
        return df.select(aggs) if aggs else pl.DataFrame()
    if not aggs:
        return df.select(groups).unique()
    return df.group_by(groups).agg(aggs)


def _null_if_none(total: pl.Expr, column: pl.Expr) -> pl.Expr:
    return pl.when(column.is_not_null().any()).then(total).otherwise(None)


def _eq_or_null(column: str, value: dt.date | None) -> pl.Expr:
    return pl.col(column).is_null() if value is None else pl.col(column) == value


def _suggest_text(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _empty_findings() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "kind": pl.String,
            "stadsdelar": pl.List(pl.String),
            "area_m2": pl.Float64,
            "x": pl.Float64,
            "y": pl.Float64,
        }
    )


def _box_wkb(x0: float, y0: float, x1: float, y1: float) -> bytes:
    """An axis-aligned rectangle as WKB (little-endian Polygon, one ring)."""
    ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    return struct.pack("<BII", 1, 3, 1) + struct.pack("<I", len(ring)) + b"".join(struct.pack("<dd", *c) for c in ring)


def _read_layer(path: Path, opts: dict[str, Any]) -> Layer:
    from lagesbild.io import read

    return read(path, **opts)


def _read_table(path: Path, opts: dict[str, Any]) -> pl.DataFrame:
    from lagesbild.io import read_table

    return read_table(path, **opts)


# -- the demo ------------------------------------------------------------------------


def _demo_dir() -> Path:
    """The demo data: inside the installed package, or ``data/demo`` of a clone."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "demo", here.parent.parent / "data" / "demo"):
        if (candidate / "lagesbild.toml").is_file():
            return candidate
    return here / "demo"


def demo() -> City:
    """The demo city: Stockholm's real stadsdelar with synthetic data.

    Loads ``lagesbild.toml`` of the bundled demo data set (``data/demo/``
    of the repository, shipped inside the package): the 117 real
    stadsdelar and water (CC0, City of Stockholm) with synthetic flood
    zones, dangerous-goods routes, critical facilities, population, safety
    surveys, incidents and a risk register. See the data set's README.

    Returns
    -------
    City

    Raises
    ------
    FileNotFoundError
        If the package was built without the demo data.
    ConfigError
        If demo files are missing or damaged (lists them all).

    Examples
    --------
    >>> city = lb.demo()
    >>> len(city.stadsdelar), city.organisation(2023)["sdo_namn"].n_unique()
    (117, 11)
    """
    toml = _demo_dir() / "lagesbild.toml"
    if not toml.is_file():
        msg = f"{toml}: no such file: the demo data is not installed with this copy of lagesbild"
        raise FileNotFoundError(msg, path=os.fspath(toml))
    return City.from_config(toml)
