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
    source = "Stockholms stad, Stadskarta 2021 (CC0)"   # where the data come from, as maps
                                  # and reports state it in their footer

    [areas]                       # the stadsdelar: polygons, one per stadsdel
    file = "stadsdelar.shp"       # *
    key = "sdel_namn"             # the stadsdel name column (default "stadsdel")
    code = "sdel_kod"             # optional code column
    water = "vatten"              # optional: a layer of [layers] with the water; land is the areas without it
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

    [hazards.NAME]                # any number of hazard layers, each of a kind
    kind = "flood"                # * "flood" (nested zones by level) or "route" (lines)
    layer = "oversvamning"        # * a layer of [layers]
    description = "..."
    # kind = "flood":
    level_column = "niva_m"       # the level of each zone (m, RH 2000 in Sweden)
    levels = [1.4, 1.5, 2.7]      # lowest first (default: the column's values); must nest
    label_column = "beskrivning"  # optional: what each level means
    # kind = "route":
    class_column = "klass"        # route class (primär, sekundär, järnväg …)
    name_column = "namn"          # optional: the route's name
    tunnel_column = "tunnel"      # optional: true/false; tunnel stretches are left out
    distance_m = 150.0            # risk-handling distance (riskhanteringsavstånd)
    zones_m = { A = 30.0, B = 70.0, C = 150.0 }   # outer edge of each zone, nearest first:
                                  # an assumption to set; guidance fixes the 150 m, not the edges

    [facilities]                  # critical facilities (samhällsviktig verksamhet), points
    layer = "samhallsviktig_verksamhet"   # *
    name, category, sector        # columns (defaults "namn", "kategori", "sektor")
    capacity, capacity_unit       # "kapacitet", "kapacitet_enhet": never summed across units
    owner, namnd                  # "huvudman", "ansvarig_namnd"
    protected = "skydd"           # true: the location may not be published (open mode counts it only)
    zone_guidance = { "förskola" = "C", drivmedelsstation = "B" }   # category → the route zone guidance places it in

    [actors]                      # actors and their responsibility areas
    layer = "aktorer"             # polygons, and/or
    table = "aktorer_stadsdelar"  # one row per actor and stadsdel
    name = "aktor"; type = "typ"; stadsdel = "stadsdel"

    [population]
    table = "befolkning"          # * a table of [tables], keyed by stadsdel with a year column
    column = "folkmangd"          # residents
    women = "kvinnor"; men = "man"   # optional
    min_for_rates = 500           # no rates per 1,000 residents below this

    [surveys]                     # safety surveys (trygghetsmätning), long tables
    tables = ["trygghetsmatning"] # * tables of [tables] (keyed by stadsdel or through a crosswalk)
    source = "kalla"; indicator = "indikator"; value = "varde"; respondents = "respondenter"
    gender = "kon"                # optional: kvinnor, män, alla
    min_respondents = 30          # shares with fewer respondents are withheld
    design_effect = 1.0           # variance inflation of the design (1 = simple random sample)
    indices = ["problemindex"]    # indicators that are indices, not shares: no intervals

    [crime]                       # police-reported crime: counts per area, month and category
    table = "brott_polisen"       # * a table of [tables] with its key column
    month = "manad"               # YYYY-MM
    category = "brottskategori"; count = "antal"

    [incidents]                   # the city's own incident reports, points
    layer = "handelser"           # *
    date = "datum"; theme = "tema"; type = "typ"
    namnd = "namnd"; activity = "verksamhet"; consequence = "konsekvensgrad"

    [themes.NAME]                 # the lägesbild's themes (olyckor, brott, hot_och_vald)
    label = "Olyckor"
    tema = ["olycka", "brand"]    # incidents whose theme is one of these,
    typ = []                      # or whose type is one of these,
    exclude_typ = ["anlagd brand"]   # but not these types
    crime = ["skadegörelse"]      # police crime categories

    [suppression]                 # the disclosure rule for published counts
    rule = "threshold"            # or "city_rounding": 1–2 published as 0, 3–4 as 5
    min_count = 5                 # "threshold": counts below this are withheld
    secondary = true              # also withhold a second count where a total would give one away

    [rsa]                         # the risk and vulnerability analysis register
    table = "risker"              # *
    risk = "risk"; namnd = "namnd"; year = "ar"; likelihood = "sannolikhet"
    consequences = { liv_och_halsa = "konsekvens_liv_halsa" }   # protected value → column
    scale = 5                     # ratings 1 … scale

    [report]                      # the annual lägesbild (lagesbild report)
    texts = { "Bromma stadsdelsnämnd" = "texter/bromma.md" }
                                  # nämnd (or its area's name or code) → the analyst's Markdown file
                                  # for its analys av orsak, relative to this file; rendered with raw
                                  # HTML disabled; a nämnd without one: the section awaits input
    labels = { malaren = "Mälaren", farligt_gods = "farligt gods" }
                                  # names the reader sees for hazards and themes (default: the key)

    [risk_distance]               # older form of [hazards.NAME] kind = "route": still read,
    layer = "farligt_gods"        # as a hazard named after its layer
    distance_m = 150.0
    zones_m = { A = 30.0, B = 70.0, C = 150.0 }   # outer edge of each zone: a configurable
                                  # assumption, not given in metres by the county boards' guidance

    [flood]                       # older form of [hazards.NAME] kind = "flood": still read,
    layer = "oversvamning"        # as a hazard named after its layer
    column = "niva_m"
    levels = [1.5, 2.7]

    [topology]                    # overlaps and gaps between the areas
    overlap_tolerance_m2 = 10.0   # per overlapping pair of areas
    gap_tolerance_m2 = 10.0       # per hole in the union of the areas
"""

from lagesbild.city.config import (
    Actors,
    AreasConfig,
    CityConfig,
    Crime,
    CrosswalkConfig,
    Facilities,
    FloodHazard,
    FloodLevels,
    Incidents,
    LayerConfig,
    OrganisationConfig,
    Population,
    ReportSettings,
    RiskDistance,
    RouteHazard,
    Rsa,
    Settings,
    Suppression,
    Surveys,
    TableConfig,
    Theme,
    parse_config,
)

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
