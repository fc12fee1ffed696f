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

The modules
-----------
- ``city``: the :class:`City` — what it holds, how it is made, and its
  methods, listed by the module that does each job;
- ``config``: the TOML file's schema (documented in :mod:`lagesbild.config`);
- ``load``: configuration (or layers and DataFrames) → the city's parts,
  files read and transformed into the working CRS, checked in order;
- ``checks``: each check as a pure function, parts → problems and findings;
- ``organisation``: the organisation over time;
- ``units``: moving tables between stadsdelar, stadsdelsområden and the city;
- ``describe``: sources, inputs and the summary.
"""

from __future__ import annotations

import os
from pathlib import Path

from lagesbild.city.city import City
from lagesbild.engine import area_topology
from lagesbild.exceptions import FileNotFoundError

__all__ = ["City", "area_topology", "demo"]


def _demo_dir() -> Path:
    """The demo data: inside the installed package, or ``data/demo`` of a clone."""
    package = Path(__file__).resolve().parent.parent  # lagesbild/
    for candidate in (package / "demo", package.parent.parent / "data" / "demo"):
        if (candidate / "lagesbild.toml").is_file():
            return candidate
    return package / "demo"


def demo(*, progress: bool | None = None) -> City:
    """The demo city: Stockholm's real stadsdelar with synthetic data.

    Loads ``lagesbild.toml`` of the bundled demo data set (``data/demo/``
    of the repository, shipped inside the package): the 117 real
    stadsdelar and water (CC0, City of Stockholm) with synthetic flood
    zones, dangerous-goods routes, critical facilities, population, safety
    surveys, incidents and a risk register. See the data set's README.

    Parameters
    ----------
    progress
        A progress bar while it loads: ``None`` (default) when someone is
        watching and it takes a while, ``False`` never, ``True`` at once.

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
    return City.from_config(toml, progress=progress)
