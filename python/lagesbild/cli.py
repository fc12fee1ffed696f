"""The ``lagesbild`` command line.

``lagesbild info PATH [PATH ...]`` summarises files: format, CRS, feature
count, geometry types, bounds, columns with types and invalid geometries.
``lagesbild info --config lagesbild.toml`` loads a city configuration and
summarises the whole city: its layers and tables with counts, geometry
types, CRSs and years covered, the organisation's periods, the settings and
the validation findings — or every problem that stops it from loading.
"""

from __future__ import annotations

import argparse
import sys

from lagesbild import _lagesbild
from lagesbild._lagesbild import Crs
from lagesbild.exceptions import LagesbildError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lagesbild", description="Geospatial analysis for municipal safety and risk planning."
    )
    sub = p.add_subparsers(dest="command", required=True)
    info = sub.add_parser(
        "info",
        help="summarise files (format, CRS, features, geometry types, bounds, columns, validity) or a whole city",
    )
    info.add_argument("paths", nargs="*", metavar="PATH")
    info.add_argument(
        "--config",
        metavar="TOML",
        help="a city configuration: load it, check it and summarise the whole city",
    )
    info.add_argument("--layer", help="GeoPackage layer (default: every layer)")
    info.add_argument("--crs", help="CRS when the file has none, e.g. 3011 or EPSG:3011")
    info.add_argument("--sheet", help="Excel sheet (default: the first)")
    info.add_argument("--sep", help="CSV separator (default: detected)")
    info.add_argument("--decimal", help="CSV decimal mark (default: ',' with ';' separators)")
    info.add_argument("--encoding", help="CSV encoding: utf-8 or windows-1252 (default: detected)")
    job = sub.add_parser(
        "demo",
        help="the main job: load and check a city (the bundled demo by default) "
        "and show where its hazards meet the stadsdelar",
    )
    job.add_argument("--config", metavar="TOML", help="a city configuration instead of the demo city")
    job.add_argument("--year", type=int, help="the report year (default: the last year with incidents)")
    job.add_argument(
        "--maps",
        metavar="DIR",
        help="also draw the maps (a choropleth and one stadsdelsområde's risk map) into DIR; needs lagesbild[maps]",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    status = 0
    if args.command == "demo":
        from lagesbild.demo_job import run

        try:
            print(run(args.config, args.year), end="")
            if args.maps:
                from lagesbild.demo_job import write_maps

                for path in write_maps(args.maps, args.config, args.year or 2025):
                    print(f"wrote {path}")
        except LagesbildError as e:
            print(f"lagesbild: {e}", file=sys.stderr)
            return 1
        return 0
    if args.command == "info":
        if not args.paths and args.config is None:
            parser.error("info needs a PATH or --config TOML")
        if args.config is not None:
            from lagesbild.city import City

            try:
                print(City.from_config(args.config).summary(), end="")
            except LagesbildError as e:
                print(f"lagesbild: {e}", file=sys.stderr)
                status = 1
            if args.paths:
                print()
        for i, path in enumerate(args.paths):
            try:
                text = _lagesbild.info(
                    path,
                    layer=args.layer,
                    crs=None if args.crs is None else Crs(args.crs),
                    sep=args.sep,
                    decimal=args.decimal,
                    encoding=args.encoding,
                    sheet=args.sheet,
                )
            except LagesbildError as e:
                print(f"lagesbild: {e}", file=sys.stderr)
                status = 1
                continue
            if i:
                print()
            print(text, end="")
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
