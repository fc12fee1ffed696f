"""The ``lagesbild`` command line.

``lagesbild info PATH [PATH ...]`` summarises files: format, CRS, feature
count, geometry types, bounds, columns with types and invalid geometries.
``lagesbild info --config lagesbild.toml`` loads a city configuration and
summarises the whole city: its layers and tables with counts, geometry
types, CRSs and years covered, the organisation's periods, the settings and
the validation findings — or every problem that stops it from loading.

``lagesbild report --config lagesbild.toml --year 2025 --out DIR`` writes
the annual lägesbild (:func:`lagesbild.lagesbild`) into ``DIR``:
``--theme`` and ``--namnd`` (repeatable) choose themes and nämnder,
``--period START:END`` the incident period, ``--lang sv|en``,
``--mode open|internal`` and ``--pdf``. ``lagesbild demo`` does it for the
bundled demo city (into ``out/lagesbild`` unless ``--out DIR``) and prints
a short summary from the report. Bad input gets one line on stderr and exit
status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from lagesbild import _lagesbild
from lagesbild._lagesbild import Crs
from lagesbild.exceptions import InvalidArgumentError, LagesbildError

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
        help="the main job: the annual lägesbild of a city (the bundled demo by default), "
        "written into a folder, with a short summary",
    )
    job.add_argument("--config", metavar="TOML", help="a city configuration instead of the demo city")
    job.add_argument("--year", type=int, help="the report year (default: the last year with incidents)")
    job.add_argument(
        "--out",
        metavar="DIR",
        default=os.path.join("out", "lagesbild"),
        help="where to write the lägesbild (HTML, Markdown, CSV, JSON; default: out/lagesbild)",
    )
    _report_options(job, demo=True)
    rep = sub.add_parser(
        "report",
        help="the annual lägesbild: a page per stadsdelsnämnd in the programme's three parts, and the city-wide page",
    )
    rep.add_argument("--config", metavar="TOML", required=True, help="the city configuration")
    rep.add_argument("--year", type=int, required=True, help="the report year, e.g. 2025")
    rep.add_argument("--out", metavar="DIR", required=True, help="the output folder (replaced atomically)")
    _report_options(rep, demo=False)
    return p


def _report_options(p: argparse.ArgumentParser, *, demo: bool) -> None:
    p.add_argument("--theme", action="append", metavar="NAME", help="a theme of [themes] (repeatable; default: all)")
    p.add_argument(
        "--namnd",
        action="append",
        metavar="NAME",
        help="a nämnd to give a page: a stadsdelsnämnd by its name, its area's name or code, or a facknämnd or "
        "bolag reporting incidents by its name (repeatable; default: all). The city-wide page (index.html) "
        "is always written; the facknämnder's and bolag's pages only when they are named or nothing is",
    )
    p.add_argument(
        "--period",
        metavar="START:END",
        help="the incident period as ISO dates, e.g. 2024-09-01:2025-08-31 (default: the twelve months to 31 August)",
    )
    p.add_argument("--lang", choices=("sv", "en"), default="sv", help="the report's language (default: sv)")
    p.add_argument(
        "--mode",
        choices=("open", "internal"),
        default="open",
        help="open (default: small counts protected, protected facilities not shown) or internal",
    )
    p.add_argument("--pdf", action="store_true", help="also print each page to PDF with headless Chromium")
    p.add_argument("--no-maps", action="store_true", help="leave out the area risk maps (faster: about 0.5–1 s a map)")


def _period(text: str | None) -> tuple[dt.date, dt.date] | None:
    if text is None:
        return None
    sep = ".." if ".." in text else ":"
    parts = text.split(sep)
    try:
        if len(parts) != 2:
            raise ValueError
        return dt.date.fromisoformat(parts[0].strip()), dt.date.fromisoformat(parts[1].strip())
    except ValueError:
        msg = f"--period must be two ISO dates START:END, such as 2024-09-01:2025-08-31, not {text!r}"
        raise InvalidArgumentError(msg) from None


def _report(args: argparse.Namespace, config: str | None, year: int | None) -> int:
    """Build and write a lägesbild; print where to open it."""
    from lagesbild.city import City, demo
    from lagesbild.report import lagesbild

    try:
        period = _period(args.period)
        city = demo() if config is None else City.from_config(config)
        if year is None:
            years = city.years("handelser") if "handelser" in city.layers else []
            year = max(years) if years else dt.date.today().year
        report = lagesbild(
            city,
            year=year,
            themes=args.theme,
            namnder=args.namnd,
            period=period,
            lang=args.lang,
            mode=args.mode,
            maps=not args.no_maps,
        )
        out = report.write(args.out, pdf=args.pdf)
    except LagesbildError as e:
        print(f"lagesbild: {_one_line(e)}", file=sys.stderr)
        return 1
    except OSError as e:
        where = f" {e.filename}" if e.filename else ""
        print(f"lagesbild: cannot write the report:{where}: {e.strerror or e}", file=sys.stderr)
        return 1
    index = out / "index.html"
    print(report.summary(out), end="")
    print(f"Öppna {index.as_uri()}" if report.params.lang == "sv" else f"Open {index.as_uri()}")
    return 0


def _one_line(e: Exception) -> str:
    """The error as one line: a configuration's several problems joined, the first few shown."""
    problems = getattr(e, "problems", None)
    if problems:
        shown = "; ".join(str(p) for p in problems[:3])
        more = f" (and {len(problems) - 3} more: lagesbild info --config shows all)" if len(problems) > 3 else ""
        return shown + more
    text = " ".join(str(e).split())
    return text.removeprefix("lagesbild: ")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    status = 0
    if args.command == "report":
        return _report(args, args.config, args.year)
    if args.command == "demo":
        return _report(args, args.config, args.year)
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
