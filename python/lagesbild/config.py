"""The city configuration file (TOML): its schema, defaults and checks.

A city is described by one TOML file that names each layer's file (paths
relative to the TOML file), its key columns and the settings the analyses
use. :meth:`lagesbild.City.from_config` reads it; this module parses and
checks the TOML itself (unknown keys, wrong value types) and holds the
settings as plain dataclasses. Checks that need the data (files, columns,
stadsdel names, topology) are made by the :class:`~lagesbild.City`.

The file, with every key (``*`` marks the required ones)::

    [city]
    name = "Stockholm"            # for messages and reports (default: the file's name)
    crs = 3011                    # working CRS; default: the areas' CRS

    [areas]                       # the stadsdelar: polygons, one per stadsdel
    file = "stadsdelar.shp"       # *
    key = "sdel_namn"             # the stadsdel name column (default "stadsdel")
    code = "sdel_kod"             # optional code column
    layer, crs, encoding          # read options (see lagesbild.read)

    [organisation]                # stadsdel → stadsdelsområde, by period
    file = "organisation.csv"     # *
    stadsdel = "stadsdel"         # column names; these are the defaults
    name = "sdo_namn"
    code = "sdo_kod"
    valid_from = "giltig_fran"    # ISO dates, inclusive
    valid_to = "giltig_till"      # empty = still in force
    namnd = "namnd"               # optional: the stadsdelsnämnd's official name in
                                  # each period; organisation() and areas_at() then
                                  # return it as a column `namnd`
    sheet, sep, decimal, encoding # read options (see lagesbild.read_table)

    [layers.NAME]                 # any number of named layers
    file = "vatten.gpkg"          # *
    layer, crs, x, y, lon, lat, sep, decimal, encoding   # read options
    year = "ar"                   # optional: a year column, or
    date = "datum"                # a date column (for the years covered)
    description = "..."

    [tables.NAME]                 # tables without geometry
    file = "trygghetsmatning.csv" # *
    key = "stadsdel"              # optional: the column naming the area
    unit = "stadsdel"             # what `key` names: "stadsdel" (default),
                                  # "stadsdelsomrade", or a crosswalk's NAME
    year, date, description, sheet, sep, decimal, encoding

    [crosswalks.NAME]             # other units → stadsdelar
    file = "nyko_stadsdel.csv"    # *
    from = "nyko"                 # * the other unit's column
    stadsdel = "stadsdel"         # the stadsdel column (default "stadsdel")
    weight = "andel"              # share of the unit in the stadsdel; optional
    description, sheet, sep, decimal, encoding

    [risk_distance]               # riskhanteringsavstånd along dangerous-goods routes
    layer = "farligt_gods"
    distance_m = 150.0            # the county boards' risk-handling distance
    zones_m = { A = 30.0, B = 70.0, C = 150.0 }   # outer edge of each zone: a
                                  # configurable assumption, not given in metres
                                  # by the county boards' guidance

    [flood]                       # flood zones by level
    layer = "oversvamning"
    column = "niva_m"
    levels = [1.5, 2.1, 2.7]      # the levels, lowest first

    [suppression]
    min_count = 5                 # counts below this are suppressed in published tables

    [topology]                    # overlaps and gaps between the areas
    overlap_tolerance_m2 = 10.0   # per overlapping pair of areas
    gap_tolerance_m2 = 10.0       # per hole in the union of the areas
"""

from lagesbild.city.config import (
    AreasConfig,
    CityConfig,
    CrosswalkConfig,
    FloodLevels,
    LayerConfig,
    OrganisationConfig,
    RiskDistance,
    Settings,
    TableConfig,
    parse_config,
)

__all__ = [
    "AreasConfig",
    "CityConfig",
    "CrosswalkConfig",
    "FloodLevels",
    "LayerConfig",
    "OrganisationConfig",
    "RiskDistance",
    "Settings",
    "TableConfig",
    "parse_config",
]
