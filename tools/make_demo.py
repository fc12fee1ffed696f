"""Generate the demo data set in data/demo/ (described in data/demo/README.md).

    .venv/bin/python tools/make_demo.py [OUT_DIR] [--stockholm DIR]

OUT_DIR defaults to data/demo/ of the repository; DIR to
../shared/data/stockholm beside it. The real City of Stockholm boundaries and
water are read from DIR; everything else is synthesised from them with fixed
random seeds, so a second run writes every file byte for byte the same (with
the versions in requirements-dev.txt).

The work is done by the package tools/demo/, one module a file family; this
script runs it and is what the tests import (as ``make_demo``). The
geographic files are written with lagesbild's own writers (shapefile,
GeoPackage, GeoJSON, GeoParquet); the tables with Python's csv module.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo import actors, areas, facilities, incidents, risks, routes, surveys, water  # noqa: E402
from demo.areas import (  # noqa: E402, F401  (names the tests use)
    CITY_TOTAL,
    MIN_RESIDENTS,
    NAMND,
    PERIODS,
    REAL_2018,
)
from demo.common import Land, Source, fixed_header_dates, sv_key, transform  # noqa: E402, F401
from demo.facilities import CENTRES, FACILITY_KINDS, PROTECTED_KINDS, SECTORS  # noqa: E402, F401
from demo.incidents import HOT_SOCIALKONTOR, HOTSPOTS, THEMES, VERKSAMHET_AT  # noqa: E402, F401
from demo.routes import CROSSING_MAX_M, LANKEN, LANKEN_HALF_WIDTH_M  # noqa: E402, F401
from demo.surveys import (  # noqa: E402, F401
    CITY_LEVELS,
    CRIME_NOT_UNSAFE,
    IMPROVING,
    UNSAFE_LOW_CRIME,
    WORSENING,
)
from demo.water import FLOOD_LEVELS, MALAREN_MEAN, OTHER_WATER  # noqa: E402, F401

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "demo"
DEFAULT_STOCKHOLM = ROOT.parent / "shared" / "data" / "stockholm"

# Files the generator writes (README.md and lagesbild.toml are not generated).
OUTPUTS = (
    "stadsdelar.shp",
    "stadsdelar.shx",
    "stadsdelar.dbf",
    "stadsdelar.prj",
    "stadsdelar.cpg",
    "LICENSE-stockholm.txt",
    "organisation.csv",
    "befolkning.csv",
    "vatten.gpkg",
    "oversvamning_malaren.gpkg",
    "farligt_gods.geojson",
    "samhallsviktig_verksamhet.csv",
    "trygghetsmatning.csv",
    "polisens_trygghetsmatning.csv",
    "lokalpolisomraden.csv",
    "handelser.parquet",
    "krisnivaer.csv",
    "brott_polisen.csv",
    "aktorer.gpkg",
    "aktorer_stadsdelar.csv",
    "risker.csv",
)


def generate(out: Path, stockholm: Path) -> list[Path]:
    """Write every file of the demo data set into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    # Writers that add to an existing file (GeoPackage) would keep its free
    # pages: start from nothing so the bytes depend on the inputs only.
    for name in OUTPUTS:
        (out / name).unlink(missing_ok=True)
    src = Source.load(stockholm)
    with fixed_header_dates():
        areas.write_stadsdelar(src, out)
        areas.write_licence(src, out)
        areas.write_organisation(src, out)
        pop = areas.population(src)
        areas.write_population(src, pop, out)
        w = water.split_water(src)
        water.write_water(src, w, out)
        zones = water.flood_zones(src, w)
        water.write_flood(zones, out)
        zones_3011 = dict(zip(FLOOD_LEVELS, transform([zones[lv] for lv in FLOOD_LEVELS], 3006, 3011), strict=True))
        rs = routes.routes()
        routes.write_routes(rs, out)
        land = Land(src)
        fs = facilities.facilities(src, land, pop, rs, zones_3011)
        facilities.write_facilities(fs, out)
        u = surveys.latent(src, land)
        surveys.write_city_survey(surveys.city_survey(src, pop, u), out)
        surveys.write_police(surveys.police_survey(src, pop, u), surveys.crosswalk(src, pop), out)
        incidents.write_incidents(incidents.incidents(src, land, fs, rs), out)
        incidents.write_crisis_levels(out)
        incidents.write_crime(incidents.crime(src, pop, u), out)
        actors.write_actors(src, fs, out)
        risks.write_risks(risks.risks(src, rs, zones_3011), out)
    written = [out / name for name in OUTPUTS]
    missing = [p.name for p in written if not p.is_file()]
    assert not missing, f"not written: {missing}"
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT, help="output folder (default: data/demo)")
    parser.add_argument(
        "--stockholm",
        type=Path,
        default=DEFAULT_STOCKHOLM,
        help="folder with the city's stadsdelar.shp, vatten.shp, … (default: ../shared/data/stockholm)",
    )
    args = parser.parse_args(argv)
    if not (args.stockholm / "stadsdelar.shp").is_file():
        parser.error(f"no stadsdelar.shp in {args.stockholm}: pass --stockholm with the city's data")
    files = generate(args.out, args.stockholm)
    total = sum(p.stat().st_size for p in files)
    print(f"wrote {len(files)} files, {total / 1e6:.1f} MB, to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
