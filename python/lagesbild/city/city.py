"""The :class:`City`: what a city holds, how it is made, and what it does.

What it does is written in the modules of this package, one job each, and
listed here as the city's methods: :mod:`~lagesbild.city.organisation` (the
organisation over time), :mod:`~lagesbild.city.units` (moving tables between
area levels), :mod:`~lagesbild.city.describe` (sources, inputs, summary).
How it is made is :mod:`~lagesbild.city.load` (files read, CRSs transformed)
and :mod:`~lagesbild.city.checks`.
"""

from __future__ import annotations

import datetime as dt
import os
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from lagesbild._lagesbild import Crs
from lagesbild.city import describe, load, units
from lagesbild.city import organisation as org
from lagesbild.city.common import SourceInfo, suggest_text
from lagesbild.city.config import FloodLevels, RiskDistance, Settings
from lagesbild.exceptions import InvalidArgumentError
from lagesbild.layer import Layer


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
    code
        The column of ``areas`` with each stadsdel's code (optional).
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

    name: str  # for messages and reports
    config_path: Path | None  # the TOML file it was loaded from
    settings: Settings  # risk distance, flood levels, small counts, tolerances
    crs: Crs | None  # the working CRS, in metres
    areas: Layer | None  # the stadsdelar
    layers: dict[str, Layer]  # by name, in the working CRS
    tables: dict[str, pl.DataFrame]  # by name
    crosswalks: dict[str, pl.DataFrame]  # other units → stadsdelar: from, stadsdel, weight
    findings: pl.DataFrame  # overlaps and gaps between the areas within the tolerances

    def __init__(
        self,
        areas: Layer,
        organisation: pl.DataFrame | None = None,
        layers: Mapping[str, Layer] | None = None,
        tables: Mapping[str, pl.DataFrame] | None = None,
        crosswalks: Mapping[str, pl.DataFrame] | None = None,
        *,
        key: str = "stadsdel",
        code: str | None = None,
        table_keys: Mapping[str, Mapping[str, str]] | None = None,
        name: str = "city",
        crs: int | str | Crs | None = None,
        settings: Settings | None = None,
    ) -> None:
        self._hold(
            load.check(
                load.from_objects(
                    areas,
                    organisation,
                    layers,
                    tables,
                    crosswalks,
                    key=key,
                    code=code,
                    table_keys=table_keys,
                    name=name,
                    crs=crs,
                    settings=settings,
                )
            )
        )

    @classmethod
    def from_config(cls, path: str | os.PathLike[str], *, progress: bool | None = None) -> City:
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
        progress
            A progress bar while the files are read and checked: ``None``
            (default) when someone is watching and it takes a while,
            ``False`` never, ``True`` at once (:mod:`lagesbild.progress`).

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
        from lagesbild.progress import steps

        self = cls.__new__(cls)
        with steps(None, "Läser in staden", progress=progress) as bar:
            self._hold(load.check(load.from_config(path, bar), bar))
        return self

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
        areas, organisation, befolkning = _example_parts()
        return cls(
            areas,
            organisation,
            tables={"befolkning": befolkning},
            table_keys={"befolkning": {"year": "ar"}},
            name="Exempelstad",
        )

    def _hold(self, checked: load.Checked) -> None:
        """Take the checked parts as the city's state."""
        self.name = checked.name
        self.config_path = checked.config_path
        self.settings = checked.settings
        self.crs = checked.crs
        self.areas = checked.areas
        self.layers = checked.layers
        self.tables = checked.tables
        self.crosswalks = checked.crosswalks
        self.findings = checked.findings
        self._sources: dict[tuple[str, str], SourceInfo] = checked.sources
        self._stadsdelar: list[str] = checked.stadsdelar
        self._organisation: org.Organisation | None = checked.organisation
        # What analyses derive from the city's data (area layers per level and
        # organisation …), kept so that repeated analyses reuse it.
        self._derived: dict[Any, Any] = {}

    # -- what it holds -----------------------------------------------------------------

    @property
    def stadsdelar(self) -> list[str]:
        """The stadsdel names, in the order of the areas layer."""
        return list(self._stadsdelar)

    @property
    def stadsdel_codes(self) -> dict[str, str]:
        """Each stadsdel's code (from the areas' code column; the name where there is none).

        Examples
        --------
        >>> lb.City.example().stadsdel_codes
        {'A': 'A', 'B': 'B', 'C': 'C', 'D': 'D'}
        """
        column = self._sources[("areas", "areas")].code
        if self.areas is None or column is None or column not in self.areas.columns:
            return {n: n for n in self._stadsdelar}
        key = self._sources[("areas", "areas")].key or "stadsdel"
        pairs = self.areas.attributes.select(pl.col(key).cast(pl.String), pl.col(column).cast(pl.String))
        return {n: c if c is not None else n for n, c in pairs.iter_rows() if n is not None}

    def layer(self, name: str) -> Layer:
        """One of the city's layers by name (the error lists the others)."""
        if name not in self.layers:
            known = ", ".join(self.layers) or "none"
            msg = f"{self.name}: no layer {name!r}{suggest_text(name, list(self.layers))} (layers: {known})"
            raise InvalidArgumentError(msg)
        return self.layers[name]

    def table(self, name: str) -> pl.DataFrame:
        """One of the city's tables by name (the error lists the others)."""
        if name not in self.tables:
            known = ", ".join(self.tables) or "none"
            msg = f"{self.name}: no table {name!r}{suggest_text(name, list(self.tables))} (tables: {known})"
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

    def __repr__(self) -> str:
        crs = f"EPSG:{self.crs.epsg}" if self.crs is not None else "no CRS"
        periods = len(self._organisation.spans) if self._organisation is not None else 0
        return (
            f"<City {self.name!r}: {len(self._stadsdelar)} stadsdelar, {periods} organisation periods, "
            f"{crs}, layers: {', '.join(self.layers) or '(none)'}, tables: {', '.join(self.tables) or '(none)'}>"
        )

    def _repr_html_(self) -> str | None:
        """In Jupyter: the stadsdelar and water as a small map beside what the city holds (with the maps extra)."""
        try:
            from lagesbild.maps._display import city_html
        except ImportError:
            return None  # without lagesbild[maps] Jupyter shows the text repr
        return city_html(self)

    # What the city does is written in the module of each job, as functions that
    # take the city first, and listed here as its methods.

    # -- the organisation over time (organisation.py) ----------------------------------

    periods = property(org.periods)
    organisation_date = staticmethod(org.organisation_date)
    organisation = org.organisation
    areas_at = org.areas_at
    organisation_crosswalk = org.organisation_crosswalk

    # -- moving tables between area levels (units.py) ----------------------------------

    to_stadsdelar = units.to_stadsdelar
    to_stadsdelsomraden = units.to_stadsdelsomraden
    to_city = units.to_city

    # -- the analyses (lagesbild.analysis), for the city ----------------------------------

    def exposure(
        self,
        *,
        year: int,
        level: str = "stadsdelsomrade",
        mode: str = "open",
        wide: bool = False,
        progress: bool | None = None,
    ) -> pl.DataFrame:
        """Land, residents and facilities exposed to each hazard, per area: :func:`lagesbild.analysis.exposure`."""
        from lagesbild.analysis import exposure

        return exposure(self, year=year, level=level, mode=mode, wide=wide, progress=progress)

    def facilities_at_risk(self, *, year: int, mode: str = "open", lang: str = "sv") -> pl.DataFrame:
        """Every facility and its exposure: :func:`lagesbild.analysis.facilities_at_risk`."""
        from lagesbild.analysis import facilities_at_risk

        return facilities_at_risk(self, year=year, mode=mode, lang=lang)

    def omradesansvar(self, *, year: int, level: str = "stadsdelsomrade") -> Any:
        """Neighbours, shared hazards, facilities and actors: :func:`lagesbild.analysis.omradesansvar`."""
        from lagesbild.analysis import omradesansvar

        return omradesansvar(self, year=year, level=level)

    def screen(self, site: Any, *, radius_m: float = 500.0, mode: str = "open") -> Any:
        """Screen a plan area or building site: :func:`lagesbild.analysis.screen`."""
        from lagesbild.analysis import screen

        return screen(self, site, radius_m=radius_m, mode=mode)

    # -- the safety picture (lagesbild.analysis) -----------------------------------------

    def survey(self, year: int, level: str = "stadsdelsomrade", source: str | None = None, **kw: Any) -> pl.DataFrame:
        """:func:`lagesbild.analysis.survey` of this city."""
        from lagesbild.analysis import survey

        return survey(self, year, level, source, **kw)

    def survey_trend(
        self, year: int, level: str = "stadsdelsomrade", source: str | None = None, **kw: Any
    ) -> pl.DataFrame:
        """:func:`lagesbild.analysis.survey_trend` of this city."""
        from lagesbild.analysis import survey_trend

        return survey_trend(self, year, level, source, **kw)

    def incidents(self, year: int, level: str = "stadsdelsomrade", period: Any = None, **kw: Any) -> pl.DataFrame:
        """:func:`lagesbild.analysis.incidents` of this city."""
        from lagesbild.analysis import incidents

        return incidents(self, year, level, period, **kw)

    def incident_trend(self, year: int, level: str = "stadsdelsomrade", period: Any = None, **kw: Any) -> pl.DataFrame:
        """:func:`lagesbild.analysis.incident_trend` of this city."""
        from lagesbild.analysis import incident_trend

        return incident_trend(self, year, level, period, **kw)

    def staff_violence(self, year: int, period: Any = None, **kw: Any) -> pl.DataFrame:
        """:func:`lagesbild.analysis.staff_violence` of this city."""
        from lagesbild.analysis import staff_violence

        return staff_violence(self, year, period, **kw)

    def hotspots(self, year: int, theme: str, period: Any = None, cell: float = 100.0, **kw: Any) -> Layer:
        """:func:`lagesbild.analysis.hotspots` of this city."""
        from lagesbild.analysis import hotspots

        return hotspots(self, year, theme, period, cell, **kw)

    def risk_matrix(self, year: int, namnd: Any = None, **kw: Any) -> pl.DataFrame:
        """:func:`lagesbild.analysis.risk_matrix` of this city."""
        from lagesbild.analysis import risk_matrix

        return risk_matrix(self, year, namnd, **kw)

    def risk_index(self, year: int, level: str = "stadsdel", weights: Any = None, **kw: Any) -> pl.DataFrame:
        """:func:`lagesbild.analysis.risk_index` of this city (internal use only)."""
        from lagesbild.analysis import risk_index

        return risk_index(self, year, level, weights, **kw)

    # -- describing it (describe.py) ---------------------------------------------------

    years = describe.years
    sources = property(describe.sources)
    inputs = describe.inputs
    summary = describe.summary
    flood_levels = describe.flood_levels


# -- the example city ------------------------------------------------------------------


def _example_parts() -> tuple[Layer, pl.DataFrame, pl.DataFrame]:
    """The areas, organisation and population of :meth:`City.example`."""
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
    organisation = pl.DataFrame(
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
    return areas, organisation, befolkning


def _box_wkb(x0: float, y0: float, x1: float, y1: float) -> bytes:
    """An axis-aligned rectangle as WKB (little-endian Polygon, one ring)."""
    ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    return struct.pack("<BII", 1, 3, 1) + struct.pack("<I", len(ring)) + b"".join(struct.pack("<dd", *c) for c in ring)
