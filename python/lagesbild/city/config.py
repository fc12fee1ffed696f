"""The city configuration file (TOML): its schema, defaults and checks.

:func:`parse_config` parses and checks the TOML itself (unknown keys, wrong
value types) and holds the settings as plain dataclasses; checks that need
the data are made when the city is loaded (:mod:`lagesbild.city.checks`).
The format, key by key, is documented in :mod:`lagesbild.config`, which
re-exports this module's public names.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from lagesbild.city import sections as _sections
from lagesbild.city.sections import (
    Actors,
    Crime,
    Facilities,
    FloodHazard,
    Incidents,
    Population,
    ReportSettings,
    RouteHazard,
    Rsa,
    Sections,
    Suppression,
    Surveys,
    Theme,
)
from lagesbild.exceptions import ConfigProblem

__all__ = [
    "Actors",
    "AreasConfig",
    "CityConfig",
    "Crime",
    "CrosswalkConfig",
    "Facilities",
    "FloodHazard",
    "FloodLevels",
    "Incidents",
    "LayerConfig",
    "OrganisationConfig",
    "Population",
    "ReportSettings",
    "RiskDistance",
    "RouteHazard",
    "Rsa",
    "Settings",
    "Suppression",
    "Surveys",
    "TableConfig",
    "Theme",
    "parse_config",
]

# -- settings -----------------------------------------------------------------


@dataclass(frozen=True)
class RiskDistance:
    """The risk-handling distance (riskhanteringsavstånd) along dangerous-goods routes.

    Planning considers the land within ``distance_m`` of a route, split into
    zones: A nearest (parking, farming), B (industry, offices, technical
    plants), C furthest (housing, schools, care). ``zones_m`` gives each
    zone's outer edge in metres, nearest first; the last edge is the whole
    distance. The 150 m and the zones' land-use lists come from the county
    boards' *Riskpolicy för markanvändning intill transportleder för farligt
    gods* (Länsstyrelserna i Skåne, Stockholms och Västra Götalands län) and
    Länsstyrelsen i Stockholms län's guidance (Fakta 2016:4); the zone edges
    in metres are not fixed there as far as is known. The defaults (30, 70,
    150 m) are a configurable assumption, not a figure from the guidance:
    set the edges your risk assessment uses.

    Examples
    --------
    >>> from lagesbild.config import RiskDistance
    >>> RiskDistance().zones()
    [('A', 0.0, 30.0), ('B', 30.0, 70.0), ('C', 70.0, 150.0)]
    """

    layer: str | None = None
    distance_m: float = 150.0
    zones_m: Mapping[str, float] = field(default_factory=lambda: {"A": 30.0, "B": 70.0, "C": 150.0})

    def zones(self) -> list[tuple[str, float, float]]:
        """Each zone as ``(name, inner edge, outer edge)`` in metres."""
        out, inner = [], 0.0
        for name, outer in self.zones_m.items():
            out.append((name, inner, float(outer)))
            inner = float(outer)
        return out

    def problems(self) -> list[str]:
        """What is inconsistent (empty when the distances make sense)."""
        found = []
        if not self.distance_m > 0:
            found.append(f"distance_m must be positive, not {self.distance_m}")
        edges = list(self.zones_m.values())
        if any(not b > a for a, b in pairwise([0.0, *edges])):
            found.append(f"zones_m must increase from the route outwards, not {dict(self.zones_m)}")
        elif edges and edges[-1] != self.distance_m:
            found.append(
                f"the last zone ends at {edges[-1]} m but distance_m is {self.distance_m} m; "
                "the zones split the whole distance"
            )
        return found


@dataclass(frozen=True)
class FloodLevels:
    """How the flood-zone layer is ordered: its level column and the levels, lowest first.

    ``levels=None`` takes the distinct values of the column, ascending.
    """

    layer: str | None = None
    column: str = "niva_m"
    levels: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Settings:
    """The settings of a city's analyses.

    Attributes
    ----------
    risk_distance : RiskDistance
        Risk-handling distance and zones along dangerous-goods routes.
    flood : FloodLevels
        The flood-zone layer's level column and order.
    min_count : int
        Small-count suppression: published counts below this are
        suppressed (default 5).
    overlap_tolerance_m2 : float
        An overlap between two areas larger than this is an error; smaller
        ones are findings (default 10 m²).
    gap_tolerance_m2 : float
        A hole in the union of the areas larger than this is an error;
        smaller ones are findings (default 10 m²).
    water : str or None
        The layer of water (``[areas] water``): land is the areas without it.
    source : str or None
        Where the city's data come from, as a map's footer or a report
        states it (``[city] source``); ``None`` when the file does not say.
    hazards, facilities, actors, population, surveys, crime, incidents, themes, suppression, rsa, report
        What the analyses and the report read (:mod:`lagesbild.city.sections`); the
        ``[flood]`` and ``[risk_distance]`` sections of older files become
        hazards named after their layers.
    """

    risk_distance: RiskDistance = field(default_factory=RiskDistance)
    flood: FloodLevels = field(default_factory=FloodLevels)
    min_count: int = 5
    overlap_tolerance_m2: float = 10.0
    gap_tolerance_m2: float = 10.0
    water: str | None = None
    source: str | None = None
    hazards: Mapping[str, FloodHazard | RouteHazard] = field(default_factory=dict)
    facilities: Facilities | None = None
    actors: Actors | None = None
    population: Population | None = None
    surveys: Surveys | None = None
    crime: Crime | None = None
    incidents: Incidents | None = None
    themes: Mapping[str, Theme] = field(default_factory=dict)
    suppression: Suppression = field(default_factory=Suppression)
    rsa: Rsa | None = None
    report: ReportSettings = field(default_factory=ReportSettings)


# -- what the file names --------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    name: str
    key_path: str  # "layers.vatten"
    path: Path
    options: Mapping[str, Any]


@dataclass(frozen=True)
class AreasConfig(_Source):
    """``[areas]``: the stadsdelar file and its key columns."""

    key: str = "stadsdel"
    code: str | None = None


@dataclass(frozen=True)
class OrganisationConfig(_Source):
    """``[organisation]``: the dated stadsdel → stadsdelsområde table.

    ``columns`` maps the canonical names (``stadsdel``, ``sdo_namn``,
    ``sdo_kod``, ``giltig_fran``, ``giltig_till`` and, when the file names
    it, ``namnd``) to the file's columns.
    """

    columns: Mapping[str, str] = field(default_factory=dict)  # canonical name -> file's column


@dataclass(frozen=True)
class LayerConfig(_Source):
    """``[layers.NAME]``: a layer with geometry."""

    year: str | None = None
    date: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class TableConfig(_Source):
    """``[tables.NAME]``: a table without geometry."""

    key: str | None = None
    unit: str = "stadsdel"
    year: str | None = None
    date: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class CrosswalkConfig(_Source):
    """``[crosswalks.NAME]``: another unit system's areas → stadsdelar."""

    from_column: str = "from"
    stadsdel: str = "stadsdel"
    weight: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class CityConfig:
    """Everything a city TOML file says, checked for keys and types."""

    path: Path
    name: str
    crs: int | str | None
    areas: AreasConfig | None
    organisation: OrganisationConfig | None
    layers: dict[str, LayerConfig]
    tables: dict[str, TableConfig]
    crosswalks: dict[str, CrosswalkConfig]
    settings: Settings


# -- the schema -----------------------------------------------------------------
# Every key here is documented in python/lagesbild/config.py: change both together.


@dataclass(frozen=True)
class _Key:
    kind: str  # "str", "char", "crs", "float", "int", "floats", "zones"
    default: Any = None
    required: bool = False


_TYPE_WORDS = {
    "bool": "true or false",
    "strs": 'a list of strings, such as ["a", "b"]',
    "names": 'a table of strings, such as { "förskola" = "C" }',
    "str": "a string",
    "char": "a one-character string",
    "crs": 'an EPSG code (3011) or a string ("EPSG:3011")',
    "float": "a number",
    "int": "an integer",
    "floats": "a list of numbers",
    "zones": "a table of zone names and distances, such as { A = 30, B = 70, C = 150 }",
}

_READ = {"layer": _Key("str"), "crs": _Key("crs"), "encoding": _Key("str")}
_POINTS = {"x": _Key("str"), "y": _Key("str"), "lon": _Key("str"), "lat": _Key("str")}
_CSV = {"sep": _Key("char"), "decimal": _Key("char"), "encoding": _Key("str")}
_TABLE_READ = {**_CSV, "sheet": _Key("str")}
_FILE = {"file": _Key("str", required=True)}

_SCHEMA: dict[str, dict[str, _Key]] = {
    "city": {"name": _Key("str"), "crs": _Key("crs"), "source": _Key("str")},
    "areas": {**_FILE, **_READ, "key": _Key("str", "stadsdel"), "code": _Key("str"), "water": _Key("str")},
    "organisation": {
        **_FILE,
        **_TABLE_READ,
        "stadsdel": _Key("str", "stadsdel"),
        "name": _Key("str", "sdo_namn"),
        "code": _Key("str", "sdo_kod"),
        "valid_from": _Key("str", "giltig_fran"),
        "valid_to": _Key("str", "giltig_till"),
        "namnd": _Key("str"),
    },
    "layers.*": {
        **_FILE,
        **_READ,
        **_POINTS,
        **_CSV,
        "year": _Key("str"),
        "date": _Key("str"),
        "description": _Key("str"),
    },
    "tables.*": {
        **_FILE,
        **_TABLE_READ,
        "key": _Key("str"),
        "unit": _Key("str", "stadsdel"),
        "year": _Key("str"),
        "date": _Key("str"),
        "description": _Key("str"),
    },
    "crosswalks.*": {
        **_FILE,
        **_TABLE_READ,
        "from": _Key("str", required=True),
        "stadsdel": _Key("str", "stadsdel"),
        "weight": _Key("str"),
        "description": _Key("str"),
    },
    "risk_distance": {
        "layer": _Key("str"),
        "distance_m": _Key("float", 150.0),
        "zones_m": _Key("zones", {"A": 30.0, "B": 70.0, "C": 150.0}),
    },
    "flood": {"layer": _Key("str"), "column": _Key("str", "niva_m"), "levels": _Key("floats")},
    **{
        name: {key: _Key(kind, default, required) for key, (kind, default, required) in spec.items()}
        for name, spec in _sections.SCHEMA.items()
    },
    "topology": {"overlap_tolerance_m2": _Key("float", 10.0), "gap_tolerance_m2": _Key("float", 10.0)},
}
_SECTIONS = [
    "city",
    "areas",
    "organisation",
    "layers",
    "tables",
    "crosswalks",
    "risk_distance",
    "flood",
    "topology",
    *_sections.SECTIONS,
]


def _describe(value: Any) -> str:
    kind = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a table"}
    return f"{kind.get(type(value), type(value).__name__)} ({value!r})"


def _convert(kind: str, value: Any) -> tuple[bool, Any]:
    """``(ok, converted)`` for a TOML value of the expected kind."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "str":
        return isinstance(value, str) and value != "", value
    if kind == "bool":
        return isinstance(value, bool), value
    if kind == "strs":
        ok = isinstance(value, list) and all(isinstance(v, str) and v != "" for v in value)
        return ok, tuple(value) if ok else value
    if kind == "names":
        ok = isinstance(value, dict) and all(isinstance(v, str) and v != "" for v in value.values())
        return ok, {str(k): v for k, v in value.items()} if ok else value
    if kind == "char":
        return isinstance(value, str) and (len(value) == 1 or value == "\\t"), value
    if kind == "crs":
        return (isinstance(value, str) and value != "") or (
            isinstance(value, int) and not isinstance(value, bool)
        ), value
    if kind == "float":
        return is_number, float(value) if is_number else value
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool), value
    if kind == "floats":
        ok = isinstance(value, list) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        return ok and len(value) > 0, tuple(float(v) for v in value) if ok else value
    if kind == "zones":
        ok = (
            isinstance(value, dict)
            and len(value) > 0
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value.values())
        )
        return ok, {str(k): float(v) for k, v in value.items()} if ok else value
    raise AssertionError(kind)  # pragma: no cover


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _section(
    data: Any,
    spec: dict[str, _Key],
    where: str,
    problem: Callable[[str, str], None],
) -> dict[str, Any]:
    """Check one table against its spec: unknown keys, types, required keys; fill defaults."""
    if not isinstance(data, dict):
        problem(where, f"must be a table ([{where}]), not {_describe(data)}")
        return {k: s.default for k, s in spec.items()} | {"__invalid__": True}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in spec:
            problem(where, f"unknown key {key!r}{_suggest(key, list(spec))}; known keys: {', '.join(spec)}")
            continue
        ok, converted = _convert(spec[key].kind, value)
        if not ok:
            problem(f"{where}.{key}", f"must be {_TYPE_WORDS[spec[key].kind]}, not {_describe(value)}")
            continue
        out[key] = converted
    for key, s in spec.items():
        if key not in out:
            if s.required and key not in data:
                problem(where, f"the key {key!r} is required")
            if s.required:
                out["__invalid__"] = True
            out[key] = s.default
    return out


def _spec_name(where: str) -> str:
    """``hazards.malaren`` → ``hazards.*``; ``facilities`` stays."""
    head = where.split(".", 1)[0]
    return f"{head}.*" if f"{head}.*" in _SCHEMA else head


def _analysis_settings(
    sections: Sections, risk: RiskDistance, flood: FloodLevels, problem: Callable[[str, str], None]
) -> dict[str, Any]:
    """The analyses' settings, with the older ``[flood]`` and ``[risk_distance]`` as hazards.

    An older section becomes a hazard named after its layer, unless a
    ``[hazards.NAME]`` already reads that layer (then the older section is
    left out, and it is a problem if the two disagree on the distances).
    """
    hazards = dict(sections.hazards)
    used = {h.layer: h for h in hazards.values()}
    if flood.layer is not None and flood.layer not in used:
        hazards[flood.layer] = FloodHazard(
            name=flood.layer, layer=flood.layer, level_column=flood.column, levels=flood.levels
        )
    if risk.layer is not None:
        if risk.layer not in used:
            hazards[risk.layer] = RouteHazard(
                name=risk.layer, layer=risk.layer, distance_m=risk.distance_m, zones_m=dict(risk.zones_m)
            )
        elif isinstance(h := used[risk.layer], RouteHazard) and (
            h.distance_m != risk.distance_m or dict(h.zones_m) != dict(risk.zones_m)
        ):
            problem(
                "risk_distance",
                f"[risk_distance] and [hazards.{h.name}] both describe layer {risk.layer!r} with different "
                f"distances; keep only [hazards.{h.name}] (kind = \"route\", distance_m, zones_m)",
            )
    return {
        "hazards": hazards,
        "facilities": sections.facilities,
        "actors": sections.actors,
        "population": sections.population,
        "surveys": sections.surveys,
        "crime": sections.crime,
        "incidents": sections.incidents,
        "themes": sections.themes,
        "suppression": sections.suppression,
        "rsa": sections.rsa,
        "report": sections.report,
    }


def _resolve(base: Path, file: str) -> Path:
    p = Path(os.path.expanduser(file))
    return p if p.is_absolute() else base / p


def _read_options(values: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: values[k] for k in keys if values.get(k) is not None}


def parse_config(path: str | os.PathLike[str]) -> tuple[CityConfig | None, list[ConfigProblem]]:
    r"""Parse and check a city TOML file.

    Every unknown key and wrongly typed value is reported, not only the
    first. Files are not opened here.

    Parameters
    ----------
    path
        The TOML file.

    Returns
    -------
    (CityConfig or None, list of ConfigProblem)
        The configuration (``None`` when the file cannot be read or parsed)
        and the problems found.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from lagesbild.config import parse_config
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "city.toml"
    >>> _ = p.write_text('[areas]\nfiel = "a.shp"\n[suppression]\nmin_count = "5"\n')
    >>> config, problems = parse_config(p)
    >>> for problem in problems:
    ...     print(problem.key, "|", problem.message)
    areas | unknown key 'fiel' (did you mean 'file'?); known keys: file, layer, crs, encoding, key, code, water
    areas | the key 'file' is required
    suppression.min_count | must be an integer, not a string ('5')
    """
    path = Path(path)
    problems: list[ConfigProblem] = []
    shown = os.fspath(path)

    def problem(key: str, message: str) -> None:
        problems.append(ConfigProblem(message, path=shown, key=key))

    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return None, [ConfigProblem("no such file", path=shown)]
    except OSError as e:
        return None, [ConfigProblem(f"cannot read the file: {e.strerror or e}", path=shown)]
    try:
        data = tomllib.loads(text.decode("utf-8"))
    except UnicodeDecodeError as e:
        return None, [ConfigProblem(f"not UTF-8 text (byte {e.start}); save the file as UTF-8", path=shown)]
    except tomllib.TOMLDecodeError as e:
        return None, [ConfigProblem(f"not valid TOML: {e}", path=shown)]

    for key in data:
        if key not in _SECTIONS:
            problem(key, f"unknown section [{key}]{_suggest(key, _SECTIONS)}; known sections: {', '.join(_SECTIONS)}")

    base = path.parent
    city = _section(data.get("city", {}), _SCHEMA["city"], "city", problem)

    areas = None
    areas_water = None
    if "areas" not in data:
        problem("areas", "the section [areas] is required: the file of stadsdelar and its key column")
    else:
        v = _section(data["areas"], _SCHEMA["areas"], "areas", problem)
        if not v.get("__invalid__"):
            areas = AreasConfig(
                name="areas",
                key_path="areas",
                path=_resolve(base, v["file"]),
                options=_read_options(v, ("layer", "crs", "encoding")),
                key=v["key"],
                code=v["code"],
            )
            areas_water = v["water"]

    organisation = None
    if "organisation" in data:
        v = _section(data["organisation"], _SCHEMA["organisation"], "organisation", problem)
        if not v.get("__invalid__"):
            organisation = OrganisationConfig(
                name="organisation",
                key_path="organisation",
                path=_resolve(base, v["file"]),
                options=_read_options(v, ("sheet", "sep", "decimal", "encoding")),
                columns={
                    "stadsdel": v["stadsdel"],
                    "sdo_namn": v["name"],
                    "sdo_kod": v["code"],
                    "giltig_fran": v["valid_from"],
                    "giltig_till": v["valid_to"],
                    # The stadsdelsnämnd's official name, only when configured.
                    **({"namnd": v["namnd"]} if v["namnd"] else {}),
                },
            )

    def named(section: str) -> dict[str, dict[str, Any]]:
        group = data.get(section, {})
        if not isinstance(group, dict):
            problem(section, f"must hold named tables such as [{section}.name], not {_describe(group)}")
            return {}
        out = {}
        for name, body in group.items():
            v = _section(body, _SCHEMA[f"{section}.*"], f"{section}.{name}", problem)
            if not v.get("__invalid__"):
                out[name] = v
        return out

    layers = {
        name: LayerConfig(
            name=name,
            key_path=f"layers.{name}",
            path=_resolve(base, v["file"]),
            options=_read_options(v, ("layer", "crs", "x", "y", "lon", "lat", "sep", "decimal", "encoding")),
            year=v["year"],
            date=v["date"],
            description=v["description"],
        )
        for name, v in named("layers").items()
    }
    tables = {
        name: TableConfig(
            name=name,
            key_path=f"tables.{name}",
            path=_resolve(base, v["file"]),
            options=_read_options(v, ("sheet", "sep", "decimal", "encoding")),
            key=v["key"],
            unit=v["unit"],
            year=v["year"],
            date=v["date"],
            description=v["description"],
        )
        for name, v in named("tables").items()
    }
    crosswalks = {
        name: CrosswalkConfig(
            name=name,
            key_path=f"crosswalks.{name}",
            path=_resolve(base, v["file"]),
            options=_read_options(v, ("sheet", "sep", "decimal", "encoding")),
            from_column=v["from"],
            stadsdel=v["stadsdel"],
            weight=v["weight"],
            description=v["description"],
        )
        for name, v in named("crosswalks").items()
    }

    rd = _section(data.get("risk_distance", {}), _SCHEMA["risk_distance"], "risk_distance", problem)
    fl = _section(data.get("flood", {}), _SCHEMA["flood"], "flood", problem)
    top = _section(data.get("topology", {}), _SCHEMA["topology"], "topology", problem)
    sections = _sections.parse_sections(
        data, lambda body, spec, where: _section(body, _SCHEMA[_spec_name(where)], where, problem), problem
    )
    for key in ("overlap_tolerance_m2", "gap_tolerance_m2"):
        if top[key] < 0:
            problem(f"topology.{key}", f"must be 0 or more, not {top[key]}")
    risk = RiskDistance(layer=rd["layer"], distance_m=rd["distance_m"], zones_m=rd["zones_m"])
    for message in risk.problems():
        problem("risk_distance", message)
    levels = fl["levels"]
    if levels is not None and any(not b > a for a, b in pairwise(levels)):
        problem("flood.levels", f"must increase, lowest level first, not {list(levels)}")
    flood = FloodLevels(layer=fl["layer"], column=fl["column"], levels=levels)
    settings = Settings(
        risk_distance=risk,
        flood=flood,
        min_count=sections.suppression.min_count,
        overlap_tolerance_m2=top["overlap_tolerance_m2"],
        gap_tolerance_m2=top["gap_tolerance_m2"],
        water=areas_water,
        source=city["source"],
        **_analysis_settings(sections, risk, flood, problem),
    )
    config = CityConfig(
        path=path,
        name=city["name"] or path.stem,
        crs=city["crs"],
        areas=areas,
        organisation=organisation,
        layers=layers,
        tables=tables,
        crosswalks=crosswalks,
        settings=settings,
    )
    return config, problems
