"""The analyses' sections checked against the data they name.

Each check is a pure function: the settings and the loaded layers and
tables in, the problems found out. Every layer, table and column a section
names must be there, of the right kind: hazard layers of the right geometry
with nested flood levels, facility and incident layers of points, survey,
population, crime and risk tables with their columns, theme values that
occur in the data. An optional column left at its default name and absent
from the data is taken as not given (the settings come back with it unset);
one named explicitly must exist.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import polars as pl

from lagesbild.city.common import Problems, SourceInfo, shown, suggest_text, unknown_names
from lagesbild.city.config import Settings
from lagesbild.city.sections import SCHEMA, FloodHazard, RouteHazard
from lagesbild.engine import dissolve, overlay_area
from lagesbild.exceptions import ConfigProblem, LagesbildError
from lagesbild.layer import Layer

_POLYGONS = {"Polygon", "MultiPolygon"}
_LINES = {"LineString", "MultiLineString"}
_POINTS = {"Point"}


class _Context:
    """The loaded data and the problems found, shared by the checks of one city."""

    def __init__(
        self,
        layers: Mapping[str, Layer],
        tables: Mapping[str, pl.DataFrame],
        sources: Mapping[tuple[str, str], SourceInfo],
        stadsdelar: set[str],
        config_shown: str | None,
    ) -> None:
        self.layers = layers
        self.tables = tables
        self.sources = sources
        self.stadsdelar = stadsdelar
        self.config_shown = config_shown
        self.problems = Problems()

    def config(self, key: str, message: str) -> None:
        """A problem in the configuration file itself."""
        self.problems.add(message, path=self.config_shown, key=key)

    def layer(self, name: str, key: str, kinds: set[str], what: str) -> Layer | None:
        """The layer ``name`` if it exists and holds only ``kinds`` of geometry."""
        if name not in self.layers:
            if ("layer", name) not in self.sources:  # a layer that failed to load is reported already
                known = list(self.layers)
                self.config(key, f"no layer {name!r}{suggest_text(name, known)} (layers: {', '.join(known) or 'none'})")
            return None
        layer = self.layers[name]
        wrong = layer.geom_types - kinds
        if wrong:
            self.about_layer(name, f"{what} must be {' or '.join(sorted(kinds))}, not {', '.join(sorted(wrong))}", key)
            return None
        return layer

    def table(self, name: str, key: str) -> pl.DataFrame | None:
        """The table ``name`` if it exists."""
        if name not in self.tables:
            if ("table", name) not in self.sources:
                known = list(self.tables)
                self.config(key, f"no table {name!r}{suggest_text(name, known)} (tables: {', '.join(known) or 'none'})")
            return None
        return self.tables[name]

    def about_layer(self, name: str, message: str, key: str) -> None:
        self.problems.about(self.sources[("layer", name)], message, key)

    def about_table(self, name: str, message: str, key: str) -> None:
        self.problems.about(self.sources[("table", name)], message, key)

    def columns(
        self,
        df: pl.DataFrame,
        about: Any,
        section: str,
        given: Mapping[str, str | None],
        required: tuple[str, ...],
    ) -> dict[str, str | None]:
        """The configured columns that exist; a missing one is a problem unless optional and at its default.

        ``given`` maps a setting (``"category"``) to its column; ``about`` is
        a function reporting a problem about the data source.
        """
        out: dict[str, str | None] = {}
        defaults = SCHEMA[section]
        for setting, column in given.items():
            if column is None or column in df.columns:
                out[setting] = column
                continue
            if setting not in required and defaults[setting][1] == column:
                out[setting] = None  # the default name, absent: not given
                continue
            about(f"no column {column!r} (columns: {', '.join(df.columns)})", f"{section}.{setting}")
            out[setting] = None
        return out


def check_sections(
    settings: Settings,
    layers: Mapping[str, Layer],
    tables: Mapping[str, pl.DataFrame],
    sources: Mapping[tuple[str, str], SourceInfo],
    stadsdelar: set[str],
    config_shown: str | None,
) -> tuple[Settings, list[ConfigProblem]]:
    """Check the analyses' sections against the data; the settings with absent optional columns unset."""
    cx = _Context(layers, tables, sources, stadsdelar, config_shown)
    if settings.water is not None:
        cx.layer(settings.water, "areas.water", _POLYGONS, "the water")
    older = {settings.flood.layer, settings.risk_distance.layer} - {None}
    for hazard in settings.hazards.values():
        legacy = hazard.layer in older
        if legacy and hazard.layer not in layers:
            continue  # [flood] and [risk_distance] report a missing layer under their own keys
        if isinstance(hazard, FloodHazard):
            _flood(cx, hazard, legacy=legacy)
        else:
            _route(cx, hazard)
    out = settings
    if settings.facilities is not None:
        out = replace(out, facilities=_facilities(cx, settings))
    if settings.actors is not None:
        _actors(cx, settings)
    if settings.population is not None:
        out = replace(out, population=_population(cx, settings))
    if settings.surveys is not None:
        out = replace(out, surveys=_surveys(cx, settings))
    if settings.crime is not None:
        _crime(cx, settings)
    if settings.incidents is not None:
        out = replace(out, incidents=_incidents(cx, settings))
    if settings.themes:
        _themes(cx, out)
    if settings.rsa is not None:
        _rsa(cx, settings)
    return out, cx.problems.items


# -- hazards ----------------------------------------------------------------------------


def _flood(cx: _Context, h: FloodHazard, legacy: bool) -> None:
    key = f"hazards.{h.name}"
    layer = cx.layer(h.layer, f"{key}.layer", _POLYGONS, "a flood hazard's zones")
    if layer is None:
        return
    if h.level_column not in layer.columns:
        if not legacy:  # [flood] is checked with its own keys
            cx.about_layer(h.layer, f"no column {h.level_column!r} for the flood levels", f"{key}.level_column")
        return
    levels = layer[h.level_column]
    if not levels.dtype.is_numeric():
        if not legacy:
            cx.about_layer(h.layer, f"the level column {h.level_column!r} must be numeric", f"{key}.level_column")
        return
    if h.label_column is not None and h.label_column not in layer.columns:
        cx.about_layer(h.layer, f"no column {h.label_column!r} (columns: {', '.join(layer.columns)})", key)
    present = sorted({float(v) for v in levels.drop_nulls().to_list()})
    if h.levels is not None and not legacy:
        extra = [v for v in present if not any(math.isclose(v, w, abs_tol=1e-9) for w in h.levels)]
        absent = [w for w in h.levels if not any(math.isclose(v, w, abs_tol=1e-9) for v in present)]
        if extra:
            cx.about_layer(
                h.layer, f"levels in column {h.level_column!r} that levels does not list: {shown(extra)}", key
            )
        if absent:
            cx.about_layer(h.layer, f"levels that are not in column {h.level_column!r}: {shown(absent)}", key)
    _nesting(cx, h, layer, present)


def _nesting(cx: _Context, h: FloodHazard, layer: Layer, levels: list[float]) -> None:
    """Each level's zone must lie inside every higher level's (to 0.01 % of its area, or 1 m²)."""
    if len(levels) < 2 or layer.crs.is_geographic:
        return
    try:
        # The layer itself where it can be (its prepared checks are kept for the analyses).
        zones = layer if layer[h.level_column].null_count() == 0 else layer.filter(layer[h.level_column].is_not_null())
        if zones[h.level_column].is_duplicated().any():
            zones = dissolve(zones, by=h.level_column)
        areas = dict(zip(zones[h.level_column].to_list(), zones.area().to_list(), strict=True))
        shared = overlay_area(
            zones.with_attributes(zones.attributes.select(pl.col(h.level_column).alias("__low"))),
            zones.with_attributes(zones.attributes.select(pl.col(h.level_column).alias("__high"))),
            zone_key="__low",
            area_key="__high",
        )
    except LagesbildError as e:
        cx.about_layer(h.layer, f"cannot check that the flood levels nest: {e}", f"hazards.{h.name}")
        return
    inside = {(r[0], r[1]): r[2] for r in shared.iter_rows()}
    for low, high in zip(levels, levels[1:], strict=False):
        a = areas.get(low, 0.0)
        outside = a - inside.get((low, high), 0.0)
        if outside > max(1.0, 1e-4 * a):
            cx.about_layer(
                h.layer,
                f"the flood levels do not nest: {outside:,.0f} m² of the +{low:g} zone lie outside the +{high:g} zone",
                f"hazards.{h.name}",
            )


def _route(cx: _Context, h: RouteHazard) -> None:
    key = f"hazards.{h.name}"
    layer = cx.layer(h.layer, f"{key}.layer", _LINES, "a route hazard's routes")
    if layer is None:
        return
    for setting, column in (("class_column", h.class_column), ("name_column", h.name_column)):
        if column is not None and column not in layer.columns:
            cx.about_layer(h.layer, f"no column {column!r} (columns: {', '.join(layer.columns)})", f"{key}.{setting}")
    if h.tunnel_column is not None:
        if h.tunnel_column not in layer.columns:
            cx.about_layer(h.layer, f"no column {h.tunnel_column!r} (columns: {', '.join(layer.columns)})", key)
        elif layer[h.tunnel_column].dtype != pl.Boolean:
            cx.about_layer(
                h.layer,
                f"the tunnel column {h.tunnel_column!r} must be true/false, not {layer[h.tunnel_column].dtype}",
                f"{key}.tunnel_column",
            )


# -- the rest -----------------------------------------------------------------------------


def _rows(n: int) -> str:
    """``1 row is`` / ``3 rows are``."""
    return "1 row is" if n == 1 else f"{n} rows are"


def _given(obj: Any, names: tuple[str, ...]) -> dict[str, str | None]:
    return {n: getattr(obj, n) for n in names}


def _facilities(cx: _Context, settings: Settings) -> Any:
    f = settings.facilities
    assert f is not None
    layer = cx.layer(f.layer, "facilities.layer", _POINTS, "the facilities")
    if layer is None:
        return f
    given = _given(f, ("name", "category", "sector", "capacity", "capacity_unit", "owner", "namnd", "protected"))
    found = cx.columns(
        layer.attributes,
        lambda m, k: cx.about_layer(f.layer, m, k),
        "facilities",
        given,
        ("name", "category"),
    )
    if found["protected"] is not None and layer[found["protected"]].dtype != pl.Boolean:
        cx.about_layer(f.layer, f"the column {found['protected']!r} must be true/false", "facilities.protected")
    zones = {z for h in settings.hazards.values() if isinstance(h, RouteHazard) for z, _, _ in h.zones()}
    for category, zone in f.zone_guidance.items():
        if zones and zone not in zones:
            cx.config(
                f"facilities.zone_guidance.{category}",
                f"zone {zone!r} is not a zone of any route hazard (zones: {', '.join(sorted(zones))})",
            )
    if found["category"] is not None and f.zone_guidance:
        present = set(layer[found["category"]].cast(pl.String).drop_nulls().to_list())
        unknown = sorted(set(f.zone_guidance) - present)
        if unknown:
            cx.config(
                "facilities.zone_guidance",
                f"categories that no facility has: {unknown_names(unknown, sorted(present))}",
            )
    return replace(f, **found)


def _actors(cx: _Context, settings: Settings) -> None:
    a = settings.actors
    assert a is not None
    if a.layer is not None and (layer := cx.layer(a.layer, "actors.layer", _POLYGONS, "the actors' areas")):
        cx.columns(
            layer.attributes,
            lambda m, k: cx.about_layer(a.layer, m, k),
            "actors",
            _given(a, ("name", "type")),
            ("name",),
        )
    if a.table is not None and (df := cx.table(a.table, "actors.table")) is not None:
        found = cx.columns(
            df,
            lambda m, k: cx.about_table(a.table, m, k),
            "actors",
            _given(a, ("name", "type", "stadsdel")),
            ("name", "stadsdel"),
        )
        if found["stadsdel"] is not None and cx.stadsdelar:
            unknown = sorted(set(df[found["stadsdel"]].cast(pl.String).drop_nulls().to_list()) - cx.stadsdelar)
            if unknown:
                cx.about_table(
                    a.table,
                    f"stadsdelar that are not in the boundaries: {unknown_names(unknown, sorted(cx.stadsdelar))}",
                    "actors.stadsdel",
                )


def _population(cx: _Context, settings: Settings) -> Any:
    p = settings.population
    assert p is not None
    df = cx.table(p.table, "population.table")
    if df is None:
        return p
    found = cx.columns(
        df, lambda m, k: cx.about_table(p.table, m, k), "population", _given(p, ("column", "women", "men")), ("column",)
    )
    for setting, column in found.items():
        if column is not None and not df[column].dtype.is_numeric():
            cx.about_table(
                p.table, f"the column {column!r} must hold numbers, not {df[column].dtype}", f"population.{setting}"
            )
    meta = cx.sources[("table", p.table)]
    if meta.year is None:
        cx.about_table(p.table, "the population table needs its year column (year = ...)", "population.table")
    return replace(p, **found)


def _surveys(cx: _Context, settings: Settings) -> Any:
    s = settings.surveys
    assert s is not None
    names = ("source", "indicator", "value", "respondents", "gender")
    gender: str | None = s.gender
    for name in s.tables:
        df = cx.table(name, "surveys.tables")
        if df is None:
            continue
        found = cx.columns(df, lambda m, k, n=name: cx.about_table(n, m, k), "surveys", _given(s, names), names[:4])
        gender = gender if found["gender"] is not None else None
        if cx.sources[("table", name)].year is None:
            cx.about_table(name, "a survey table needs its year column (year = ...)", "surveys.tables")
    return replace(s, gender=gender)


def _crime(cx: _Context, settings: Settings) -> None:
    c = settings.crime
    assert c is not None
    df = cx.table(c.table, "crime.table")
    if df is None:
        return
    found = cx.columns(
        df,
        lambda m, k: cx.about_table(c.table, m, k),
        "crime",
        _given(c, ("month", "category", "count")),
        ("month", "category", "count"),
    )
    if cx.sources[("table", c.table)].key is None:
        cx.about_table(c.table, "the crime table needs the column naming its areas (key = ...)", "crime.table")
    month = found["month"]
    if month is not None:
        bad = df.filter(~df[month].cast(pl.String).str.contains(r"^\d{4}-(0[1-9]|1[0-2])$"))
        if bad.height:
            cx.about_table(
                c.table, f"months must be written YYYY-MM, such as 2025-08; {_rows(bad.height)} not", "crime.month"
            )


def _incidents(cx: _Context, settings: Settings) -> Any:
    i = settings.incidents
    assert i is not None
    layer = cx.layer(i.layer, "incidents.layer", _POINTS, "the incidents")
    if layer is None:
        return i
    names = ("date", "theme", "type", "namnd", "activity", "consequence")
    found = cx.columns(
        layer.attributes, lambda m, k: cx.about_layer(i.layer, m, k), "incidents", _given(i, names), names[:3]
    )
    date = found["date"]
    if date is not None and layer[date].dtype not in (pl.Date,) and not isinstance(layer[date].dtype, pl.Datetime):
        cx.about_layer(i.layer, f"the date column {date!r} must hold dates, not {layer[date].dtype}", "incidents.date")
    return replace(i, **found)


def _themes(cx: _Context, settings: Settings) -> None:
    """Theme values that occur nowhere are typos; a value in two themes would count twice."""
    i, c = settings.incidents, settings.crime
    values: dict[str, set[str]] = {"tema": set(), "typ": set(), "crime": set()}
    if i is not None and i.layer in cx.layers:
        layer = cx.layers[i.layer]
        for what, column in (("tema", i.theme), ("typ", i.type)):
            if column is not None and column in layer.columns:
                values[what] = set(layer[column].cast(pl.String).drop_nulls().unique().to_list())
    if c is not None and c.table in cx.tables and c.category in cx.tables[c.table].columns:
        values["crime"] = set(cx.tables[c.table][c.category].cast(pl.String).drop_nulls().unique().to_list())
    owner: dict[tuple[str, str], str] = {}
    for theme in settings.themes.values():
        lists = {"tema": theme.tema, "typ": theme.typ, "exclude_typ": theme.exclude_typ, "crime": theme.crime}
        for what, given in lists.items():
            pool = values["typ" if what == "exclude_typ" else what]
            unknown = sorted(set(given) - pool) if pool else []
            if unknown:
                cx.config(
                    f"themes.{theme.name}.{what}",
                    f"values that occur nowhere: {unknown_names(unknown, sorted(pool))}",
                )
            if what == "exclude_typ":
                continue
            for v in given:
                other = owner.setdefault((what, v), theme.name)
                if other != theme.name:
                    cx.config(
                        f"themes.{theme.name}.{what}",
                        f"{v!r} is also in theme {other!r}: it would be counted in both",
                    )


def _rsa(cx: _Context, settings: Settings) -> None:
    r = settings.rsa
    assert r is not None
    df = cx.table(r.table, "rsa.table")
    if df is None:
        return
    given = {
        **_given(r, ("risk", "namnd", "year", "likelihood")),
        **{f"consequences.{k}": v for k, v in r.consequences.items()},
    }
    missing = [(k, v) for k, v in given.items() if v is not None and v not in df.columns]
    for setting, column in missing:
        cx.about_table(r.table, f"no column {column!r} (columns: {', '.join(df.columns)})", f"rsa.{setting}")
    ratings = [r.likelihood, *r.consequences.values()]
    for column in ratings:
        if column not in df.columns:
            continue
        values = df[column]
        bad = values.is_null() | ~values.cast(pl.Int64, strict=False).is_between(1, r.scale)
        if bad.any():
            cx.about_table(
                r.table,
                f"column {column!r}: ratings must be whole numbers from 1 to {r.scale}; {_rows(int(bad.sum()))} not",
                "rsa.scale",
            )
