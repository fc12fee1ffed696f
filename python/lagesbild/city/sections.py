"""The sections of the city file that the analyses read.

Each section names layers and tables of ``[layers]``/``[tables]`` and their
columns, so that an analysis finds its data by configuration rather than by
convention: the hazard layers (``[hazards.NAME]``), the critical facilities
(``[facilities]``), the actors with responsibility areas (``[actors]``),
population (``[population]``), the safety surveys (``[surveys]``),
police-reported crime (``[crime]``), the incidents of the city's own
reporting system (``[incidents]``), the lägesbild's themes
(``[themes.NAME]``), the disclosure rule (``[suppression]``), the risk
register (``[rsa]``) and the annual report's own inputs
(``[report]``). Every key is documented in :mod:`lagesbild.config`.

:func:`parse_sections` checks keys and value types only; whether the layers,
tables and columns exist is checked when the city is loaded
(:mod:`lagesbild.city.section_checks`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

__all__ = [
    "Actors",
    "Crime",
    "Facilities",
    "FloodHazard",
    "Incidents",
    "Population",
    "ReportSettings",
    "Rsa",
    "RouteHazard",
    "Sections",
    "Suppression",
    "Surveys",
    "Theme",
]

#: The zone edges of the risk-handling distance when a route hazard does not
#: give its own. An assumption the user can change: the county boards'
#: guidance fixes the 150 m distance and which land use belongs in zones A, B
#: and C, not the edges between the zones in metres.
DEFAULT_ZONES_M: Mapping[str, float] = {"A": 30.0, "B": 70.0, "C": 150.0}


# -- hazards ----------------------------------------------------------------------


@dataclass(frozen=True)
class FloodHazard:
    """``[hazards.NAME]`` with ``kind = "flood"``: nested flood zones, one polygon layer.

    Each feature of ``layer`` is the land below one level; ``level_column``
    holds the level (metres in the height system of the data, RH 2000 in
    Sweden). ``levels`` lists them lowest first; ``None`` takes the column's
    distinct values. A lower level's zone lies inside every higher one's.

    Examples
    --------
    >>> from lagesbild.config import FloodHazard
    >>> h = FloodHazard("malaren", "oversvamning", levels=(1.4, 1.5, 2.7))
    >>> h.kind, h.levels[-1]
    ('flood', 2.7)
    """

    name: str
    layer: str
    level_column: str = "niva_m"
    levels: tuple[float, ...] | None = None
    label_column: str | None = None
    description: str | None = None

    @property
    def kind(self) -> str:
        """``"flood"``."""
        return "flood"


@dataclass(frozen=True)
class RouteHazard:
    """``[hazards.NAME]`` with ``kind = "route"``: a line layer with a risk-handling distance.

    The land within ``distance_m`` of a route is split into zones, nearest
    first; ``zones_m`` gives each zone's outer edge in metres and the last
    edge is the whole distance. For dangerous-goods routes the county boards'
    guidance sets a 150 m risk-handling distance and says which land use
    belongs in zones A (nearest: parking, farming, traffic), B (car service,
    industry, offices, storage, technical plants) and C (housing, schools,
    care, centres, culture); the edges between the zones are not fixed there,
    so the defaults (30, 70, 150 m) are an assumption to set for the city.
    Stretches where ``tunnel_column`` is true are left out of the analyses
    (most dangerous goods may not use the tunnels).

    Examples
    --------
    >>> from lagesbild.config import RouteHazard
    >>> RouteHazard("farligt_gods", "farligt_gods").zones()
    [('A', 0.0, 30.0), ('B', 30.0, 70.0), ('C', 70.0, 150.0)]
    """

    name: str
    layer: str
    class_column: str = "klass"
    name_column: str | None = None
    tunnel_column: str | None = None
    distance_m: float = 150.0
    zones_m: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_ZONES_M))
    description: str | None = None

    @property
    def kind(self) -> str:
        """``"route"``."""
        return "route"

    def zones(self) -> list[tuple[str, float, float]]:
        """Each zone as ``(name, inner edge, outer edge)`` in metres."""
        out, inner = [], 0.0
        for name, outer in self.zones_m.items():
            out.append((name, inner, float(outer)))
            inner = float(outer)
        return out

    def problems(self) -> list[str]:
        """What is inconsistent in the distances (empty when they make sense)."""
        found = []
        if not self.distance_m > 0:
            found.append(f"distance_m must be positive, not {self.distance_m}")
        edges = list(self.zones_m.values())
        if any(not b > a for a, b in pairwise([0.0, *edges])):
            found.append(f"zones_m must increase from the route outwards, not {dict(self.zones_m)}")
        elif edges and not math.isclose(edges[-1], self.distance_m):
            found.append(
                f"the last zone ends at {edges[-1]:g} m but distance_m is {self.distance_m:g} m; "
                "the zones split the whole distance"
            )
        return found


Hazard = FloodHazard | RouteHazard


# -- what the analyses read ------------------------------------------------------------


@dataclass(frozen=True)
class Facilities:
    """``[facilities]``: the critical facilities (samhällsviktig verksamhet), a point layer.

    Column names default to the demo's. ``capacity`` is counted in
    ``capacity_unit`` (pupils, places, listed patients: never summed across
    units). ``protected`` marks locations that may not be published
    (electricity, telecom, water): open outputs count them per area and
    never list or draw them. ``zone_guidance`` maps a ``category`` to the
    zone of a route's risk-handling distance that guidance places it in
    (for example ``förskola = "C"``).
    """

    layer: str
    name: str = "namn"
    category: str = "kategori"
    sector: str | None = "sektor"
    capacity: str | None = "kapacitet"
    capacity_unit: str | None = "kapacitet_enhet"
    owner: str | None = "huvudman"
    namnd: str | None = "ansvarig_namnd"
    protected: str | None = "skydd"
    zone_guidance: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Actors:
    """``[actors]``: actors and their responsibility areas.

    As polygons (``layer``) or as lists of stadsdelar (``table``, one row per
    actor and stadsdel), or both.
    """

    layer: str | None = None
    table: str | None = None
    name: str = "aktor"
    type: str = "typ"
    stadsdel: str = "stadsdel"


@dataclass(frozen=True)
class Population:
    """``[population]``: residents per stadsdel and year (a table of ``[tables]``).

    Rates per 1,000 residents are given only for areas with at least
    ``min_for_rates`` residents.
    """

    table: str
    column: str = "folkmangd"
    women: str | None = None
    men: str | None = None
    min_for_rates: int = 500


@dataclass(frozen=True)
class Surveys:
    """``[surveys]``: the safety-survey tables (long form) and how to read them.

    ``min_respondents``: a share with fewer respondents is withheld.
    ``design_effect``: the variance inflation of the survey's design against
    simple random sampling (1 = none), used in the intervals.
    ``indices``: indicators that are indices, not shares (the police's
    0–6 ``problemindex``): averaged like shares but without intervals.
    """

    tables: tuple[str, ...] = ()
    source: str = "kalla"
    indicator: str = "indikator"
    value: str = "varde"
    respondents: str = "respondenter"
    gender: str | None = "kon"
    min_respondents: int = 30
    design_effect: float = 1.0
    indices: tuple[str, ...] = ("problemindex",)


@dataclass(frozen=True)
class Crime:
    """``[crime]``: police-reported crime as counts per area, month and category."""

    table: str
    month: str = "manad"
    category: str = "brottskategori"
    count: str = "antal"


@dataclass(frozen=True)
class Incidents:
    """``[incidents]``: the incidents of the city's own reporting system, a point layer."""

    layer: str
    date: str = "datum"
    theme: str = "tema"
    type: str = "typ"
    namnd: str | None = "namnd"
    activity: str | None = "verksamhet"
    consequence: str | None = "konsekvensgrad"


@dataclass(frozen=True)
class Theme:
    """``[themes.NAME]``: one theme of the lägesbild (olyckor, brott, hot och våld).

    An incident belongs to the theme when its theme value is in ``tema`` or
    its type in ``typ``, and its type is not in ``exclude_typ``; a police
    crime category belongs to it when it is in ``crime``.
    """

    name: str
    label: str
    tema: tuple[str, ...] = ()
    typ: tuple[str, ...] = ()
    exclude_typ: tuple[str, ...] = ()
    crime: tuple[str, ...] = ()


#: The disclosure rules: the city's rounding (1–2 published as 0, 3–4 as 5)
#: and a plain threshold (counts below ``min_count`` withheld).
SUPPRESSION_RULES = ("city_rounding", "threshold")


@dataclass(frozen=True)
class Suppression:
    """``[suppression]``: the disclosure rule for published counts.

    ``rule = "city_rounding"`` publishes counts of 1–2 as 0 and 3–4 as 5 (the
    city's practice); ``"threshold"`` withholds counts below ``min_count``.
    ``secondary`` also withholds the smallest other count of a group when a
    group total would otherwise give a withheld count away.
    """

    rule: str = "threshold"
    min_count: int = 5
    secondary: bool = True


@dataclass(frozen=True)
class Rsa:
    """``[rsa]``: the risk register of the risk and vulnerability analysis.

    Likelihood and each consequence are rated on a 1–``scale`` scale;
    ``consequences`` maps each protected value to its column.
    """

    table: str
    risk: str = "risk"
    namnd: str = "namnd"
    year: str | None = "ar"
    likelihood: str = "sannolikhet"
    consequences: Mapping[str, str] = field(default_factory=dict)
    scale: int = 5


@dataclass(frozen=True)
class ReportSettings:
    """``[report]``: what the annual lägesbild takes beyond the data.

    ``texts`` maps a stadsdelsnämnd (by the nämnd's name, its area's name
    or code) to the analyst's Markdown file for its *analys av orsak*
    (paths relative to the city file); ``labels`` gives hazards and themes
    the names a reader sees (``{ malaren = "Mälaren" }``).
    """

    texts: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Sections:
    """The analyses' sections of a city file (each ``None`` or empty when absent)."""

    hazards: Mapping[str, Hazard] = field(default_factory=dict)
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


# -- the schema ----------------------------------------------------------------------

# (kind, default, required); kinds as in lagesbild.city.config plus "bool",
# "strs" (a list of strings) and "names" (a table of strings).
_HAZARD_KEYS: dict[str, tuple[str, Any, bool]] = {
    "kind": ("str", None, True),
    "layer": ("str", None, True),
    "description": ("str", None, False),
    "level_column": ("str", "niva_m", False),
    "levels": ("floats", None, False),
    "label_column": ("str", None, False),
    "class_column": ("str", "klass", False),
    "name_column": ("str", None, False),
    "tunnel_column": ("str", None, False),
    "distance_m": ("float", 150.0, False),
    "zones_m": ("zones", None, False),
}
_FLOOD_ONLY = ("level_column", "levels", "label_column")
_ROUTE_ONLY = ("class_column", "name_column", "tunnel_column", "distance_m", "zones_m")

SCHEMA: dict[str, dict[str, tuple[str, Any, bool]]] = {
    "hazards.*": _HAZARD_KEYS,
    "facilities": {
        "layer": ("str", None, True),
        "name": ("str", "namn", False),
        "category": ("str", "kategori", False),
        "sector": ("str", "sektor", False),
        "capacity": ("str", "kapacitet", False),
        "capacity_unit": ("str", "kapacitet_enhet", False),
        "owner": ("str", "huvudman", False),
        "namnd": ("str", "ansvarig_namnd", False),
        "protected": ("str", "skydd", False),
        "zone_guidance": ("names", {}, False),
    },
    "actors": {
        "layer": ("str", None, False),
        "table": ("str", None, False),
        "name": ("str", "aktor", False),
        "type": ("str", "typ", False),
        "stadsdel": ("str", "stadsdel", False),
    },
    "population": {
        "table": ("str", None, True),
        "column": ("str", "folkmangd", False),
        "women": ("str", None, False),
        "men": ("str", None, False),
        "min_for_rates": ("int", 500, False),
    },
    "surveys": {
        "tables": ("strs", (), True),
        "source": ("str", "kalla", False),
        "indicator": ("str", "indikator", False),
        "value": ("str", "varde", False),
        "respondents": ("str", "respondenter", False),
        "gender": ("str", "kon", False),
        "min_respondents": ("int", 30, False),
        "design_effect": ("float", 1.0, False),
        "indices": ("strs", ("problemindex",), False),
    },
    "crime": {
        "table": ("str", None, True),
        "month": ("str", "manad", False),
        "category": ("str", "brottskategori", False),
        "count": ("str", "antal", False),
    },
    "incidents": {
        "layer": ("str", None, True),
        "date": ("str", "datum", False),
        "theme": ("str", "tema", False),
        "type": ("str", "typ", False),
        "namnd": ("str", "namnd", False),
        "activity": ("str", "verksamhet", False),
        "consequence": ("str", "konsekvensgrad", False),
    },
    "themes.*": {
        "label": ("str", None, False),
        "tema": ("strs", (), False),
        "typ": ("strs", (), False),
        "exclude_typ": ("strs", (), False),
        "crime": ("strs", (), False),
    },
    "suppression": {
        "rule": ("str", "threshold", False),
        "min_count": ("int", 5, False),
        "secondary": ("bool", True, False),
    },
    "rsa": {
        "table": ("str", None, True),
        "risk": ("str", "risk", False),
        "namnd": ("str", "namnd", False),
        "year": ("str", "ar", False),
        "likelihood": ("str", "sannolikhet", False),
        "consequences": ("names", {}, False),
        "scale": ("int", 5, False),
    },
    "report": {
        "texts": ("names", {}, False),
        "labels": ("names", {}, False),
    },
}

#: The sections this module reads, in the order a file usually has them.
SECTIONS = (
    "hazards",
    "facilities",
    "actors",
    "population",
    "surveys",
    "crime",
    "incidents",
    "themes",
    "suppression",
    "rsa",
    "report",
)

Check = Callable[[Any, dict[str, tuple[str, Any, bool]], str], dict[str, Any]]
Problem = Callable[[str, str], None]


def parse_sections(data: Mapping[str, Any], check: Check, problem: Problem) -> Sections:
    """The analyses' sections of a parsed TOML document.

    ``check(body, spec, where)`` checks one table against its spec (unknown
    keys, types, required keys) and fills the defaults, reporting through
    ``problem(key, message)``; see :func:`lagesbild.city.config.parse_config`.
    """

    def one(name: str) -> dict[str, Any] | None:
        if name not in data:
            return None
        v = check(data[name], SCHEMA[name], name)
        return None if v.get("__invalid__") else v

    def named(name: str) -> dict[str, dict[str, Any]]:
        group = data.get(name, {})
        if not isinstance(group, dict):
            problem(name, f"must hold named tables such as [{name}.NAME], not {group!r}")
            return {}
        out = {}
        for key, body in group.items():
            v = check(body, SCHEMA[f"{name}.*"], f"{name}.{key}")
            if not v.get("__invalid__"):
                out[key] = v
        return out

    hazards: dict[str, Hazard] = {}
    for key, v in named("hazards").items():
        hazard = _hazard(key, v, data["hazards"][key], problem)
        if hazard is not None:
            hazards[key] = hazard

    out: dict[str, Any] = {"hazards": hazards}
    if (v := one("facilities")) is not None:
        out["facilities"] = Facilities(**v)
    if (v := one("actors")) is not None:
        if v["layer"] is None and v["table"] is None:
            problem("actors", "give the actors' responsibility areas as layer = (polygons) or table = (stadsdelar)")
        else:
            out["actors"] = Actors(**v)
    if (v := one("population")) is not None:
        if v["min_for_rates"] < 0:
            problem("population.min_for_rates", f"must be 0 or more, not {v['min_for_rates']}")
        out["population"] = Population(**v)
    if (v := one("surveys")) is not None:
        if v["min_respondents"] < 0:
            problem("surveys.min_respondents", f"must be 0 or more, not {v['min_respondents']}")
        if not v["design_effect"] >= 1.0:
            problem(
                "surveys.design_effect", f"must be at least 1 (1 = simple random sampling), not {v['design_effect']}"
            )
        out["surveys"] = Surveys(**v)
    if (v := one("crime")) is not None:
        out["crime"] = Crime(**v)
    if (v := one("incidents")) is not None:
        out["incidents"] = Incidents(**v)
    out["themes"] = {
        key: Theme(name=key, label=v["label"] or key.replace("_", " ").capitalize(), **_without(v, "label"))
        for key, v in named("themes").items()
    }
    if "suppression" in data:
        v = check(data["suppression"], SCHEMA["suppression"], "suppression")
        if v["rule"] not in SUPPRESSION_RULES:
            problem("suppression.rule", f"must be one of {', '.join(map(repr, SUPPRESSION_RULES))}, not {v['rule']!r}")
        elif v["min_count"] < 0:
            problem("suppression.min_count", f"must be 0 or more, not {v['min_count']}")
        else:
            out["suppression"] = Suppression(rule=v["rule"], min_count=v["min_count"], secondary=v["secondary"])
    if (v := one("rsa")) is not None:
        if v["scale"] < 2:
            problem("rsa.scale", f"must be at least 2, not {v['scale']}")
        out["rsa"] = Rsa(**v)
    if (v := one("report")) is not None:
        out["report"] = ReportSettings(texts=v["texts"], labels=v["labels"])
    return Sections(**out)


def _without(v: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: x for k, x in v.items() if k not in keys and not k.startswith("__")}


def _hazard(key: str, v: dict[str, Any], given: Mapping[str, Any], problem: Problem) -> Hazard | None:
    where = f"hazards.{key}"
    kind = v["kind"]
    if kind not in ("flood", "route"):
        problem(f"{where}.kind", f"must be 'flood' or 'route', not {kind!r}")
        return None
    other = _ROUTE_ONLY if kind == "flood" else _FLOOD_ONLY
    stray = [k for k in other if k in given]
    if stray:
        problem(where, f"keys {', '.join(map(repr, stray))} are not used by kind = {kind!r}")
    if kind == "flood":
        levels = v["levels"]
        if levels is not None and any(not b > a for a, b in pairwise(levels)):
            problem(f"{where}.levels", f"must increase, lowest level first, not {list(levels)}")
        return FloodHazard(
            name=key,
            layer=v["layer"],
            level_column=v["level_column"],
            levels=levels,
            label_column=v["label_column"],
            description=v["description"],
        )
    hazard = RouteHazard(
        name=key,
        layer=v["layer"],
        class_column=v["class_column"],
        name_column=v["name_column"],
        tunnel_column=v["tunnel_column"],
        distance_m=v["distance_m"],
        zones_m=v["zones_m"] if v["zones_m"] is not None else dict(DEFAULT_ZONES_M),
        description=v["description"],
    )
    for message in hazard.problems():
        problem(where, message)
    return hazard
