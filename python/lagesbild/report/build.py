"""Building the report from the analyses' results.

:func:`lagesbild` calls each analysis once for the report year
(:func:`~lagesbild.analysis.exposure` per stadsdelsområde and for the city,
:func:`~lagesbild.analysis.facilities_at_risk`,
:func:`~lagesbild.analysis.omradesansvar`), keeps the results on the report
(:attr:`Report.results`) and lays their numbers out in pages: one per
stadsdelsnämnd in the programme's three parts, and the city-wide page that
compares the areas. Nothing is computed here but the layout: every number
on a page is a value of one of those results, as it came out of the
analysis (after the disclosure rule, in ``mode="open"``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from lagesbild._extras import MAPS_EXTRA, missing
from lagesbild._names import area_display_name, swedish_key
from lagesbild.analysis import exposure, facilities_at_risk, omradesansvar
from lagesbild.analysis.areas import check_args
from lagesbild.analysis.disclosure import describe_rule, rule_name
from lagesbild.analysis.hazards import flood_hazards, route_hazards
from lagesbild.analysis.rsa import CITY_WIDE
from lagesbild.exceptions import InvalidArgumentError
from lagesbild.report.analyst import analyst_text
from lagesbild.report.mapwork import MapJob, MapWork
from lagesbild.report.model import Column, FigureList, Number, Page, Paragraph, Part, Table
from lagesbild.report.safety import (
    area_map,
    facknamnd_pages,
    hot_cells,
    hotspot_section,
    incident_section,
    rsa_section,
    safety_results,
    survey_section,
    theme_hotspots,
    trend_section,
)
from lagesbild.report.text import LANGS, Words, words

if TYPE_CHECKING:
    from lagesbild.city import City
    from lagesbild.report.report import Report

__all__ = ["Params", "default_period", "lagesbild"]


@dataclass(frozen=True)
class Params:
    """The parameters of a report, as recorded in it."""

    year: int
    themes: tuple[str, ...]
    namnder: tuple[str, ...]
    period: tuple[dt.date, dt.date]
    lang: str
    mode: str
    #: The facknämnder and bolag given pages (see :func:`facknamnd_names`).
    facknamnder: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The parameters as the JSON file records them."""
        return {
            "year": self.year,
            "themes": list(self.themes),
            "namnder": list(self.namnder),
            "facknamnder": list(self.facknamnder),
            "period": [self.period[0].isoformat(), self.period[1].isoformat()],
            "lang": self.lang,
            "mode": self.mode,
        }


def default_period(year: int) -> tuple[dt.date, dt.date]:
    """The twelve months to 31 August of ``year``, as reported with tertialrapport 2.

    Examples
    --------
    >>> from lagesbild.report.build import default_period
    >>> default_period(2025)
    (datetime.date(2024, 9, 1), datetime.date(2025, 8, 31))
    """
    return dt.date(year - 1, 9, 1), dt.date(year, 8, 31)


def lagesbild(
    city: City,
    *,
    year: int,
    themes: Sequence[str] | None = None,
    namnder: Sequence[str] | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    lang: str = "sv",
    mode: str = "open",
    maps: bool = True,
) -> Report:
    """The annual lägesbild of a city: a page per stadsdelsnämnd and the city-wide page.

    Each stadsdelsnämnd of the organisation in force on 31 December of
    ``year`` gets a page in the programme's three parts —
    *nulägesbeskrivning* (the current state), *analys av orsak* (what the
    data can say about causes: comparisons, covariation, and the
    nämnd's own text from ``[report] texts``), *bedömning av sannolika
    följder* (who is affected, whom to coordinate with) — from the
    analyses' results; the city-wide page compares the areas. Every
    number also goes into one JSON file; see :meth:`Report.write`.

    Parameters
    ----------
    city
        The city.
    year
        The report year; it must lie within the years the city's data cover.
    themes
        Entries of ``[themes]`` to report (default: all).
    namnder
        The nämnder to give pages (default: all): stadsdelsnämnder by the
        nämnd's name, the area's name or code, and facknämnder or bolag
        reporting incidents by name (:func:`facknamnd_names`). The
        city-wide page is always made: it is the report's first page.
    period
        ``(start, end)`` dates of the incident period; default the twelve
        months to 31 August of ``year`` (:func:`default_period`). It must
        lie within the dates of the city's dated data.
    lang
        ``"sv"`` (default) or ``"en"``.
    mode
        ``"open"`` (the disclosure rule applied, protected facilities not
        listed) or ``"internal"``.
    maps
        Draw each stadsdelsnämnd's area risk map (:func:`lagesbild.maps.risk_map`,
        the ``lagesbild[maps]`` extra); about 0.5 s a map.

    Returns
    -------
    Report
        With ``pages``, ``results`` (the analyses' frames), ``data`` (the
        JSON), ``write(dir)`` and a display in Jupyter.

    Raises
    ------
    InvalidArgumentError
        For a year outside the data, an unknown theme or nämnd, a period
        outside the data, a bad language or mode.

    Examples
    --------
    >>> report = lb.lagesbild(lb.demo(), year=2025)
    >>> [p.title for p in report.pages][:2]
    ['Lägesbild 2025 – Stockholm (demo), hela staden', 'Lägesbild 2025 – Bromma stadsdelsnämnd']
    >>> [part.title for part in report.pages[1].parts]
    ['Nulägesbeskrivning', 'Analys av orsak', 'Bedömning av sannolika följder']
    """
    from lagesbild.report.report import Report

    params = check_params(city, year=year, themes=themes, namnder=namnder, period=period, lang=lang, mode=mode)
    # A second process, where one pays, starts now and draws the maps once the hot cells are known.
    with _map_work(city, params, maps) as work:
        hot = theme_hotspots(city, params)
        if work is not None:
            work.start(_map_job(params, hot))
        safety = safety_results(city, params, hot)
        results = {
            "exposure": exposure(city, year=params.year, level="stadsdelsomrade", mode=params.mode),
            "exposure_city": exposure(city, year=params.year, level="city", mode=params.mode),
            "facilities_at_risk": facilities_at_risk(city, year=params.year, mode=params.mode, lang=params.lang)
            if city.settings.facilities is not None
            else None,
            "omradesansvar": omradesansvar(city, year=params.year),
            **safety,
        }
        builder = _Builder(city, params, results)
        builder.maps = maps
        builder.map_work = work
        pages = builder.pages()
    return Report(city=city, params=params, pages=pages, results=results)


def _map_work(city: City, params: Params, maps: bool) -> contextlib.AbstractContextManager:
    """The report's area risk maps (:class:`~lagesbild.report.mapwork.MapWork`), or nothing to do."""
    if not (maps and city.settings.hazards and city.settings.facilities is not None):
        return contextlib.nullcontext()
    # The lagesbild[maps] extra (without it the pages say so). Looked up, not imported: importing
    # matplotlib here would hold up the second process by most of a second.
    if missing(MAPS_EXTRA):
        return contextlib.nullcontext()
    areas = [a for a in _namnd_names(city, params.year)["area"].to_list() if a in params.namnder]
    return MapWork(city, areas)


def _map_job(params: Params, hot: dict[str, Any]) -> MapJob:
    w = words(params.lang)
    return MapJob(
        year=params.year,
        mode=params.mode,
        cells=hot_cells(hot),
        cells_label=w.hot_cells_legend,
        cells_title=w.hotspot_legend_title,
    )


#: The estimated residents, a column of the flood and zone tables where the city has population.
RESIDENTS = ("residents_est", "count")


# -- parameters ---------------------------------------------------------------------------


def _data_years(city: City) -> list[int]:
    years: set[int] = set()
    for kind, name in city._sources:
        if kind in ("table", "layer"):
            years.update(city.years(name))
    return sorted(years)


def _data_dates(city: City) -> tuple[dt.date, dt.date] | None:
    """The span of the dates of the city's dated layers and tables (``date`` in the city file)."""
    spans = []
    for (kind, name), meta in city._sources.items():
        if meta.date is None:
            continue
        df = city.layers[name].attributes if kind == "layer" else city.tables.get(name) if kind == "table" else None
        if df is None or meta.date not in df.columns:
            continue
        col = df[meta.date]
        if col.dtype == pl.Datetime:
            col = col.dt.date()
        if col.dtype != pl.Date:
            continue
        col = col.drop_nulls()
        if col.len():
            spans.append((col.min(), col.max()))
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)


def _namnd_names(city: City, year: int) -> pl.DataFrame:
    org = city.organisation(year)
    namnd = pl.col("namnd") if "namnd" in org.columns else pl.col("sdo_namn")
    return (
        org.select(pl.col("sdo_namn").alias("area"), pl.col("sdo_kod").alias("area_code"), namnd.alias("namnd"))
        .unique("area", keep="first", maintain_order=True)
        .sort("area_code")
    )


def check_params(
    city: City,
    *,
    year: object,
    themes: Sequence[str] | None,
    namnder: Sequence[str] | None,
    period: tuple[dt.date, dt.date] | None,
    lang: str,
    mode: str,
) -> Params:
    """The report's parameters checked against the city, or an error naming the bad one."""
    year, _, mode = check_args("lagesbild", year, "stadsdelsomrade", mode)
    if lang not in LANGS:
        msg = f"lagesbild: lang must be 'sv' or 'en', not {lang!r}"
        raise InvalidArgumentError(msg)
    if city._organisation is None:
        msg = f"{city.name}: the city has no [organisation]: the report is per stadsdelsnämnd"
        raise InvalidArgumentError(msg)
    years = _data_years(city)
    if years and not years[0] <= year <= years[-1]:
        msg = f"lagesbild: no data for the year {year}: the city's data cover {years[0]}–{years[-1]}"
        raise InvalidArgumentError(msg)
    known_themes = list(city.settings.themes)
    if themes is None:
        chosen_themes = tuple(known_themes)
    else:
        unknown = [t for t in themes if t not in known_themes]
        if unknown:
            listed = ", ".join(known_themes) or "none: the city file has no [themes.NAME]"
            msg = f"lagesbild: unknown theme {unknown[0]!r} (themes: {listed})"
            raise InvalidArgumentError(msg)
        chosen_themes = tuple(dict.fromkeys(themes))
    names = _namnd_names(city, year)
    fack = facknamnd_names(city, names)
    if namnder is None:
        chosen = tuple(names["area"].to_list())
        chosen_fack = fack
    else:
        lookup = {}
        for area, code, namnd in names.iter_rows():
            for k in (area, code, namnd):
                lookup[str(k).casefold()] = area
        fack_lookup = {n.casefold(): n for n in fack}
        picked = []
        picked_fack = []
        for n in namnder:
            key = str(n).casefold()
            if key in lookup:
                picked.append(lookup[key])
            elif key in fack_lookup:
                picked_fack.append(fack_lookup[key])
            else:
                others = f"; facknämnder and bolag with incidents: {', '.join(fack)}" if fack else ""
                msg = (
                    f"lagesbild: no stadsdelsnämnd, facknämnd or bolag {n!r} in {year} "
                    f"(stadsdelsnämnder in force on 31 December {year}: {', '.join(names['namnd'].to_list())}"
                    f"{others})"
                )
                raise InvalidArgumentError(msg)
        chosen = tuple(a for a in names["area"].to_list() if a in set(picked))
        chosen_fack = tuple(n for n in fack if n in set(picked_fack))
    if period is None:
        period = default_period(year)
    else:
        try:
            start, end = period
        except (TypeError, ValueError):
            msg = f"lagesbild: period must be (start, end) dates, not {period!r}"
            raise InvalidArgumentError(msg) from None
        if not isinstance(start, dt.date) or not isinstance(end, dt.date) or not start <= end:
            msg = f"lagesbild: period must be (start, end) dates with start ≤ end, not {period!r}"
            raise InvalidArgumentError(msg)
        period = (start, end)
    span = _data_dates(city)
    if span is not None and (period[0] < span[0] or period[1] > span[1]):
        msg = (
            f"lagesbild: the period {period[0].isoformat()} – {period[1].isoformat()} lies outside the data "
            f"({span[0].isoformat()} – {span[1].isoformat()})"
        )
        raise InvalidArgumentError(msg)
    return Params(
        year=year, themes=chosen_themes, namnder=chosen, period=period, lang=lang, mode=mode, facknamnder=chosen_fack
    )


def facknamnd_names(city: City, names: pl.DataFrame | None = None, year: int | None = None) -> tuple[str, ...]:
    """The nämnder and bolag reporting incidents that are no stadsdelsnämnd (of any period), sorted.

    They are the ones that can have a facknämnd page: the values of the
    incident layer's ``[incidents] namnd`` column.
    """
    cfg = city.settings.incidents
    if cfg is None or cfg.namnd is None or cfg.layer not in city.layers:
        return ()
    layer = city.layer(cfg.layer)
    if cfg.namnd not in layer.columns:
        return ()
    if names is None:
        assert year is not None
        names = _namnd_names(city, year)
    stadsdelsnamnder = set(names["namnd"].to_list())
    org = city._organisation
    if org is not None and "namnd" in org.table.columns:
        # The stadsdelsnämnder of every period: an older organisation's nämnd is none of these either.
        stadsdelsnamnder |= {str(n) for n in org.table["namnd"].drop_nulls().to_list()}
    found = {str(n) for n in layer[cfg.namnd].drop_nulls().unique().to_list()}
    return tuple(sorted(found - stadsdelsnamnder - {CITY_WIDE}))


# -- layout -------------------------------------------------------------------------------


def slug(name: str) -> str:
    """A file name for a page: ASCII letters, digits and hyphens.

    Examples
    --------
    >>> from lagesbild.report.build import slug
    >>> slug("Hägersten-Älvsjö stadsdelsnämnd"), slug("<script>alert(1)</script>")
    ('hagersten-alvsjo-stadsdelsnamnd', 'script-alert-1-script')
    """
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-") or "sida"


#: Measures whose missing row means zero, with their units as the analysis gives them.
_ZERO_UNITS = {
    "flooded_land_m2": "m²",
    "flooded_share": "andel",
    "zone_land_m2": "m²",
    "residents_est": "personer",
    "route_length_m": "m",
}


class _Exposure:
    """The rows of an exposure result by (area, hazard, band, category, measure)."""

    def __init__(self, df: pl.DataFrame) -> None:
        self.df = df
        self.areas = set(df["area"].to_list())
        self.rule = df["rule"][0] if df.height and "rule" in df.columns else None
        self.rows: dict[tuple[Any, ...], dict[str, Any]] = {
            (r["area"], r["hazard"], r["band"], r["category"], r["measure"]): r for r in df.iter_rows(named=True)
        }

    def get(self, area: str, hazard: str | None, band: str | None, category: str | None, measure: str):
        """The row; for a measure of land, length or people in an area the result has no row for, zero.

        The analysis gives a row only where a zone or route meets the area:
        no row means none of it there.
        """
        row = self.rows.get((area, hazard, band, category, measure))
        if row is None and measure in _ZERO_UNITS and area in self.areas:
            return {"value": 0.0, "unit": _ZERO_UNITS[measure], "suppressed": False, "rule": self.rule}
        return row

    def bands(self, hazard: str, measure: str) -> list[str]:
        sub = self.df.filter((pl.col("hazard") == hazard) & (pl.col("measure") == measure))
        return list(dict.fromkeys(b for b in sub["band"].to_list() if b is not None))

    def categories(self, hazard: str, measure: str, area: str | None = None) -> list[str]:
        sub = self.df.filter((pl.col("hazard") == hazard) & (pl.col("measure") == measure))
        if area is not None:
            sub = sub.filter(pl.col("area") == area)
        return sorted({c for c in sub["category"].to_list() if c is not None})


class _Builder:
    def __init__(self, city: City, params: Params, results: dict[str, Any]) -> None:
        self.city = city
        self.p = params
        self.w: Words = words(params.lang)
        self.ex = _Exposure(results["exposure"])
        self.ex_city = _Exposure(results["exposure_city"])
        self.far: pl.DataFrame | None = results["facilities_at_risk"]
        self.oa = results["omradesansvar"]
        self.safety = results
        self.maps = True
        self.map_work: MapWork | None = None  # who draws the maps (see lagesbild.report.mapwork)
        self.names = _namnd_names(city, params.year)
        self.floods = flood_hazards(city)
        self.routes = route_hazards(city)
        self.rule = rule_name(city.settings.suppression, params.mode)
        self.labels = dict(city.settings.report.labels)
        pop_years = results["exposure"]["population_year"].drop_nulls()
        self.population_year = int(pop_years[0]) if pop_years.len() else None
        self.ids: dict[str, str] = {}
        for area, _code, namnd in self.names.iter_rows():
            base = slug(namnd)
            sid = base
            i = 2
            while sid in self.ids.values() or sid == "index":
                sid, i = f"{base}-{i}", i + 1
            self.ids[area] = sid

    # -- helpers ------------------------------------------------------------------------

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def band(self, band: str) -> str:
        """``"+1.5 m"`` → ``"+1,5 m"`` in Swedish."""
        return band.replace(".", ",") if self.p.lang == "sv" else band

    def num(self, page: Page, key: str, row: dict[str, Any] | None, fmt: str) -> Number:
        if row is None:
            return page.number(key, None, "", fmt)
        return page.number(
            key,
            row["value"],
            row["unit"] or "",
            fmt,
            suppressed=bool(row.get("suppressed") or False),
            rule=row.get("rule"),
        )

    def rule_note(self) -> str:
        return describe_rule(self.rule, self.p.lang)

    def intro(self, page: Page) -> None:
        w = self.w
        page.intro.append(Paragraph([w.programme]))
        page.intro.append(Paragraph([w.year_line.format(year=self.p.year)]))
        mode_line = w.open_mode if self.p.mode == "open" else w.internal_mode
        page.intro.append(Paragraph([mode_line], css="internal" if self.p.mode == "internal" else "mode"))

    # -- pages --------------------------------------------------------------------------

    def pages(self) -> list[Page]:
        out = [self.city_page()]
        for area, code, namnd in self.names.iter_rows():
            if area in self.p.namnder:
                out.append(self.namnd_page(area, code, namnd))
        if self.p.facknamnder:
            out += facknamnd_pages(self, self.p.facknamnder)
        return out

    def namnd_page(self, area: str, code: str, namnd: str) -> Page:
        w = self.w
        page = Page(
            id=self.ids[area],
            kind="namnd",
            title=w.namnd_page.format(year=self.p.year, namnd=namnd),
            subtitle=f"{w.stadsdelsomrade} {area}",
            lang=self.p.lang,
            area=area,
            area_code=code,
            namnd=namnd,
        )
        self.intro(page)
        nulage = Part("nulagesbeskrivning", w.nulage, w.nulage_intro)
        orsak = Part("analys_av_orsak", w.orsak, w.orsak_intro)
        foljder = Part("bedomning_av_sannolika_foljder", w.foljder, w.foljder_intro)
        page.parts = [nulage, orsak, foljder]

        self.key_figures(page, nulage.section(w.key_figures), self.ex, area)
        if self.maps and self.city.settings.hazards and self.city.settings.facilities is not None:
            blocks = nulage.section(w.map_section)
            area_map(self, page, blocks, area)
            if not blocks:
                nulage.sections.pop()
        if self.safety["incidents"] is not None:
            incident_section(self, page, nulage.section(w.incidents_section), area)
        if self.safety["survey"] is not None:
            survey_section(self, page, nulage.section(w.survey_section), area, moved_only=False)
        for h in self.floods:
            self.flood_table(page, nulage.section(w.flood_section.format(hazard=self.label(h.name))), area, h)
        for h in self.routes:
            self.route_tables(page, nulage.section(w.route_section.format(hazard=self.label(h.name))), area, h)
        if self.city.settings.facilities is not None and self.city.settings.hazards:
            self.facility_counts(page, nulage.section(w.facilities_section), area)

        if self.floods:
            blocks = orsak.section(w.compare_section)
            for h in self.floods:
                self.compare(page, blocks, area, h)
        if self.safety["hotspot_context"]:
            hotspot_section(self, page, orsak.section(w.hotspot_section), area)
        if self.far is not None:
            self.carriers(page, orsak.section(w.carriers_section), area)
        if self.safety["survey"] is not None:
            survey_section(self, page, orsak.section(w.survey_moved_section), area, moved_only=True)
        orsak.sections.append(("", [Paragraph([w.covariation], css="caveat")]))
        text_blocks = orsak.section(w.analyst_section)
        text_blocks.append(analyst_text(self.city, area, code, namnd, w))

        if self.safety["incident_trend"] is not None:
            trend_section(self, page, foljder.section(w.trend_section), area)
        if self.city.settings.facilities is not None and self.city.settings.hazards:
            blocks = foljder.section(w.affected_section)
            for h in self.floods:
                self.affected(page, blocks, area, h.name, self.ex.bands(h.name, "flooded_land_m2"), "flood")
            for h in self.routes:
                self.affected(page, blocks, area, h.name, [z for z, _, _ in h.zones()], "route")
        self.coordination(page, foljder.section(w.coordination_section), area)
        return page

    def city_page(self) -> Page:
        w = self.w
        city_area = self.city.name
        page = Page(
            id="index",
            kind="city",
            title=w.city_page.format(year=self.p.year, city=city_area),
            lang=self.p.lang,
            area=city_area,
            area_code="city",
        )
        self.intro(page)
        nulage = Part("nulagesbeskrivning", w.nulage, w.nulage_intro)
        page.parts = [nulage]
        self.key_figures(page, nulage.section(w.key_figures), self.ex_city, city_area)
        if self.safety["incidents_city"] is not None:
            incident_section(self, page, nulage.section(w.incidents_section), city_area)
        self.areas_table(page, nulage.section(w.areas_section))
        if self.safety["risk_matrix"] is not None:
            rsa_section(self, page, nulage.section(w.rsa_section))
        return page

    # -- sections -----------------------------------------------------------------------

    def key_figures(self, page: Page, blocks: list, ex: _Exposure, area: str) -> None:
        w = self.w
        items: list[tuple[str, Number | str]] = []
        items.append((w.land_area, self.num(page, "key/land_m2", ex.get(area, None, None, None, "land_m2"), "km2")))
        for h in self.floods:
            bands = ex.bands(h.name, "flooded_land_m2")
            if not bands:
                continue
            top = bands[-1]
            hz = self.label(h.name)
            share = ex.get(area, h.name, top, None, "flooded_share")
            items.append(
                (
                    w.flooded_share_at.format(band=self.band(top), hazard=hz),
                    self.num(page, f"key/{h.name}/{top}/flooded_share", share, "share"),
                )
            )
            res = ex.get(area, h.name, top, None, "residents_est")
            if res is not None:
                items.append(
                    (
                        w.residents_at.format(band=self.band(top), hazard=hz),
                        self.num(page, f"key/{h.name}/{top}/residents_est", res, "count"),
                    )
                )
        for h in self.routes:
            for cat in ex.categories(h.name, "route_length_m"):
                row = ex.get(area, h.name, None, cat, "route_length_m")
                if row is None or not row["value"]:
                    continue
                items.append(
                    (
                        w.route_length_class.format(hazard=self.label(h.name), category=cat),
                        self.num(page, f"key/{h.name}/{cat}/route_length_m", row, "km"),
                    )
                )
        blocks.append(FigureList(items))

    def flood_table(self, page: Page, blocks: list, area: str, h) -> None:
        w = self.w
        bands = self.ex.bands(h.name, "flooded_land_m2")
        if not bands:
            blocks.append(Paragraph([w.nothing_to_show]))
            return
        cols = [
            Column("band", w.band),
            Column("flooded_land_m2", w.flooded_land, "ha", numeric=True),
            Column("flooded_share", w.share_of_land, "", numeric=True),
        ]
        has_res = self.ex.get(area, h.name, bands[0], None, "residents_est") is not None
        if has_res:
            cols.append(Column("residents_est", w.residents_est, "", numeric=True))
        t = Table(
            f"{h.name}-flood",
            w.flood_caption.format(hazard=self.label(h.name), highest=self.band(bands[-1])),
            cols,
        )
        measures = [("flooded_land_m2", "ha"), ("flooded_share", "share")] + ([RESIDENTS] if has_res else [])
        for b in bands:
            t.rows.append([self.band(b), *self._exposure_cells(page, "flood", area, h.name, b, None, measures)])
        if has_res:
            t.notes.append(w.residents_note.format(year=self.population_year))
            t.notes.append(self.rule_note())
        else:
            t.notes.append(w.no_population)
        blocks.append(t)

    def route_tables(self, page: Page, blocks: list, area: str, h) -> None:
        w = self.w
        cats = self.ex.categories(h.name, "route_length_m", area)
        t = Table(
            f"{h.name}-length",
            w.route_caption.format(hazard=self.label(h.name)),
            [Column("class", w.route_class), Column("route_length_m", w.length, "km", numeric=True)],
        )
        for c in cats:
            t.rows.append([c, *self._exposure_cells(page, "route", area, h.name, None, c, [("route_length_m", "km")])])
        t.notes.append(w.tunnels_note)
        if cats:
            blocks.append(t)
        else:
            blocks.append(Paragraph([w.nothing_to_show]))
        zones = [z for z, _, _ in h.zones()]
        has_res = any(self.ex.get(area, h.name, z, None, "residents_est") is not None for z in zones)
        cols = [Column("zone", w.zone), Column("zone_land_m2", w.zone_land, "ha", numeric=True)]
        if has_res:
            cols.append(Column("residents_est", w.residents_est, "", numeric=True))
        z_t = Table(f"{h.name}-zones", w.zone_caption.format(hazard=self.label(h.name)), cols)
        measures = [("zone_land_m2", "ha")] + ([RESIDENTS] if has_res else [])
        for z in zones:
            z_t.rows.append([z, *self._exposure_cells(page, "zone", area, h.name, z, None, measures)])
        edges = "/".join(self._fmt_edge(e) for _, _, e in h.zones())
        z_t.notes.append(w.zones_assumption.format(distance=self._fmt_edge(h.distance_m), edges=edges))
        if has_res:
            z_t.notes.append(w.residents_note.format(year=self.population_year))
            z_t.notes.append(self.rule_note())
        blocks.append(z_t)

    def _exposure_cells(
        self,
        page: Page,
        kind: str,
        area: str,
        hazard: str,
        band: str | None,
        category: str | None,
        measures: Sequence[tuple[str, str]],
    ) -> list[Number | None]:
        """A table row's numbers from ``exposure``, one per ``(measure, format)``.

        The measures of one hazard's band (or category) in ``area``, put on
        the page under ``kind/hazard/band-or-category/measure``.
        """
        part = band if band is not None else category
        return [
            self.num(page, f"{kind}/{hazard}/{part}/{m}", self.ex.get(area, hazard, band, category, m), fmt)
            for m, fmt in measures
        ]

    def _fmt_edge(self, v: float) -> str:
        text = f"{v:g}"
        return text.replace(".", ",") if self.p.lang == "sv" else text

    def _band_columns(self) -> list[tuple[str, str, str, str]]:
        """(hazard, band, label, short label) of every flood level and route zone."""
        out = []
        for h in self.floods:
            for b in self.ex.bands(h.name, "flooded_land_m2"):
                out.append((h.name, b, f"{self.label(h.name)} {self.band(b)}", self.band(b)))
        for h in self.routes:
            for z, _, _ in h.zones():
                out.append((h.name, z, f"{self.label(h.name)} {self.w.zone.lower()} {z}", f"{self.w.zone} {z}"))
        return out

    def facility_counts(self, page: Page, blocks: list, area: str) -> None:
        w = self.w
        bands = self._band_columns()
        cats = sorted({c for h, _, _, _ in bands for c in self.ex.categories(h, "facilities", area)})
        if not cats:
            blocks.append(Paragraph([w.carriers_none]))
            return
        t = Table(
            "facilities-in-zones",
            w.facilities_caption,
            [Column("category", w.category)]
            + [Column(f"{h}:{b}", short, "", numeric=True, full=label) for h, b, label, short in bands],
        )
        for c in cats:
            row: list[str | Number | None] = [c]
            for h, b, _, _ in bands:
                r = self.ex.get(area, h, b, c, "facilities")
                row.append(self.num(page, f"facilities/{h}/{b}/{c}", r, "count") if r is not None else None)
            t.rows.append(row)
        if self.p.mode == "open":
            t.notes.append(w.facilities_protected_note)
        blocks.append(t)

    def compare(self, page: Page, blocks: list, area: str, h) -> None:
        w = self.w
        bands = self.ex.bands(h.name, "flooded_land_m2")
        if not bands:
            return
        hz = self.label(h.name)
        neighbours = sorted(set(self.oa.neighbours.filter(pl.col("area") == area)["neighbour"].to_list()))
        top = bands[-1]
        own_row = self.ex.get(area, h.name, top, None, "flooded_share")
        city_row = self.ex_city.get(self.city.name, h.name, top, None, "flooded_share")
        if own_row is None or not own_row["value"]:
            blocks.append(Paragraph([w.no_flooding.format(area=area, band=self.band(top), hazard=hz)]))
        else:
            own = self.num(page, f"compare/{h.name}/{top}/own", own_row, "share")
            city = self.num(page, f"compare/{h.name}/{top}/city", city_row, "share")
            template = (
                w.same_as_city
                if city.value is not None and own.shown == city.shown
                else w.higher_than_city
                if city.value is not None and own.value > city.value
                else w.lower_than_city
            )
            blocks.append(Paragraph(_fill(template, band=self.band(top), area=area, own=own, city=city)))
        best = None
        for n in neighbours:
            r = self.ex.get(n, h.name, top, None, "flooded_share")
            if r is not None and r["value"] is not None and (best is None or r["value"] > best[1]["value"]):
                best = (n, r)
        if best is not None and best[1]["value"] > 0:
            v = self.num(page, f"compare/{h.name}/{top}/highest_neighbour", best[1], "share")
            blocks.append(Paragraph(_fill(w.highest_neighbour, neighbour=best[0], value=v)))
        t = Table(
            f"{h.name}-compare",
            w.compare_caption.format(hazard=hz),
            [Column("area", w.area_col)] + [Column(b, self.band(b), "", numeric=True) for b in bands],
        )
        rows = [(area, self.ex, area), (w.city_whole, self.ex_city, self.city.name)] + [
            (n, self.ex, n) for n in neighbours
        ]
        for i, (label, ex, key_area) in enumerate(rows):
            row: list[str | Number | None] = [label]
            who = "own" if i == 0 else "city" if i == 1 else f"neighbour/{key_area}"
            for b in bands:
                row.append(
                    self.num(
                        page,
                        f"compare-table/{h.name}/{who}/{b}",
                        ex.get(key_area, h.name, b, None, "flooded_share"),
                        "share",
                    )
                )
            t.rows.append(row)
        blocks.append(t)

    def exposed(self, area: str) -> pl.DataFrame:
        """The facilities of the area in a flood zone or a route zone (the analysis's list, filtered)."""
        far = self.far
        if far is None or "stadsdelsomrade" not in far.columns:
            return pl.DataFrame()
        mine = far.filter(pl.col("stadsdelsomrade") == area)
        exposed = pl.lit(False)
        for h in self.floods:
            exposed = exposed | pl.col(f"{h.name}_band").is_not_null()
        for h in self.routes:
            if f"{h.name}_zone" in mine.columns:
                exposed = exposed | pl.col(f"{h.name}_zone").is_not_null()
        return mine.filter(exposed)

    def carriers(self, page: Page, blocks: list, area: str) -> None:
        w = self.w
        mine = self.exposed(area)
        if mine.height == 0:
            blocks.append(Paragraph([w.carriers_none]))
            return
        cols = [
            Column("name", w.name),
            Column("category", w.category),
            Column("capacity", w.capacity, "", numeric=True),
            Column("capacity_unit", w.unit),
        ]
        for h in self.floods:
            cols.append(Column(f"{h.name}_band", w.level_short, full=f"{w.lowest_level} ({self.label(h.name)})"))
        for h in self.routes:
            cols += [
                Column(
                    f"{h.name}_distance_m",
                    w.distance_short,
                    "m",
                    numeric=True,
                    full=f"{w.distance} ({self.label(h.name)})",
                ),
                Column(f"{h.name}_zone", w.zone),
                Column(f"{h.name}_note", w.note),
            ]
        t = Table("facilities-at-risk", w.carriers_caption, cols)
        for i, r in enumerate(mine.iter_rows(named=True)):
            row: list[str | Number | None] = [
                r["name"],
                r["category"],
                page.number(f"carriers/{i}/capacity", r["capacity"], r["capacity_unit"] or "", "count"),
                r["capacity_unit"],
            ]
            for h in self.floods:
                b = r[f"{h.name}_band"]
                row.append(self.band(b) if b is not None else None)
            for h in self.routes:
                row += [
                    page.number(f"carriers/{i}/{h.name}_distance_m", r[f"{h.name}_distance_m"], "m", "m"),
                    r[f"{h.name}_zone"],
                    r[f"{h.name}_note"],
                ]
            t.rows.append(row)
        if self.p.mode == "open":
            t.notes.append(w.facilities_protected_note)
        blocks.append(t)

    def affected(self, page: Page, blocks: list, area: str, hazard: str, bands: list[str], kind: str) -> None:
        w = self.w
        if not bands:
            return
        cats = self.ex.categories(hazard, "capacity", area)
        caption = (w.affected_caption if kind == "flood" else w.affected_route_caption).format(
            hazard=self.label(hazard)
        )
        label = self.band if kind == "flood" else (lambda z: f"{w.zone} {z}")
        t = Table(
            f"{hazard}-affected",
            caption,
            [Column("what", w.affected_what), Column("unit", w.unit)]
            + [Column(b, label(b), "", numeric=True) for b in bands],
        )
        if any(self.ex.get(area, hazard, b, None, "residents_est") is not None for b in bands):
            row: list[str | Number | None] = [w.residents_est, ""]
            for b in bands:
                r = self.ex.get(area, hazard, b, None, "residents_est")
                row.append(self.num(page, f"affected/{hazard}/{b}/residents_est", r, "count") if r else None)
            t.rows.append(row)
        for c in cats:
            unit = None
            row = [c, ""]
            for b in bands:
                r = self.ex.get(area, hazard, b, c, "capacity")
                if r is not None:
                    unit = r["unit"]
                row.append(self.num(page, f"affected/{hazard}/{b}/{c}/capacity", r, "count") if r else None)
            row[1] = unit or ""
            t.rows.append(row)
        if not t.rows:
            return
        t.notes.append(self.rule_note())
        blocks.append(self.consequence(page, area, hazard, bands, cats, kind))
        blocks.append(t)

    def consequence(
        self, page: Page, area: str, hazard: str, bands: list[str], cats: list[str], kind: str
    ) -> Paragraph:
        """A sentence of who is affected, from the numbers of the table beside it."""
        w = self.w
        hz = self.label(hazard)

        def people(band: str) -> list[str | Number]:
            r = self.ex.get(area, hazard, band, None, "residents_est")
            if r is not None and r.get("suppressed") and r["value"] is None:
                return [w.few]
            return [self.num(page, f"consequence/{hazard}/{band}/residents_est", r, "count")]

        def joined(items: list[list[str | Number]]) -> list[str | Number]:
            out: list[str | Number] = []
            for i, item in enumerate(items):
                if i:
                    out.append(f" {w.and_} " if i == len(items) - 1 else ", ")
                out.extend(item)
            return out

        if kind == "flood":
            top = bands[-1]
            parts = _fill(w.consequence_flood, band=self.band(top), hazard=hz, residents="\0")
            at = parts.index("\0")
            parts[at : at + 1] = people(top)
            facility_bands = [top]
        else:
            parts = [w.consequence_route.format(hazard=hz), " "]
            parts += joined(
                [
                    [*people(z), f" {w.persons} " if i == 0 else " ", w.consequence_in_zone.format(zone=z)]
                    for i, z in enumerate(bands)
                ]
            )
            facility_bands = bands
        caps = []
        for c in cats:
            for b in facility_bands:
                r = self.ex.get(area, hazard, b, c, "capacity")
                if r is not None and r["value"]:
                    n = self.num(page, f"consequence/{hazard}/{b}/{c}/capacity", r, "count")
                    where = "" if kind == "flood" else f" {w.consequence_in_zone.format(zone=b)}"
                    caps.append([n, f" {r['unit']} ({c}{where})"])
        if caps:
            parts += [w.consequence_facilities, " ", *joined(caps)]
        parts.append(".")
        return Paragraph(parts)

    def coordination(self, page: Page, blocks: list, area: str) -> None:
        w = self.w
        hz = self.oa.hazards.filter(pl.col("area") == area)
        if hz.height:
            t = Table(
                "shared-hazards",
                w.shared_hazards_caption,
                [
                    Column("neighbour", w.neighbour),
                    Column("hazard", w.hazard),
                    Column("band", f"{w.band} / {w.route_class}"),
                    Column("value", w.own_side, "", numeric=True),
                    Column("neighbour_value", w.neighbour_side, "", numeric=True),
                ],
            )
            for i, r in enumerate(
                hz.sort("neighbour", "hazard", "band", "category", nulls_last=True).iter_rows(named=True)
            ):
                fmt = "ha" if r["measure"] == "flooded_land_m2" else "km"
                what = self.band(r["band"]) if r["band"] is not None else r["category"]
                unit = "ha" if fmt == "ha" else "km"
                t.rows.append(
                    [
                        r["neighbour"],
                        self.label(r["hazard"]),
                        f"{what} ({unit})",
                        page.number(f"shared/{i}/value", r["value"], r["unit"], fmt),
                        page.number(f"shared/{i}/neighbour_value", r["neighbour_value"], r["unit"], fmt),
                    ]
                )
            blocks.append(t)
        else:
            blocks.append(Paragraph([w.no_shared_hazards]))
        nb = self.oa.neighbours.filter(pl.col("area") == area)
        if nb.height:
            t = Table(
                "neighbours",
                w.neighbours_caption,
                [Column("neighbour", w.neighbour), Column("shared_boundary_m", w.shared_boundary, "km", numeric=True)],
            )
            for r in nb.sort("neighbour").iter_rows(named=True):
                t.rows.append(
                    [r["neighbour"], page.number(f"neighbours/{r['neighbour']}", r["shared_boundary_m"], "m", "km")]
                )
            blocks.append(t)
        ac = self.oa.actors.filter(pl.col("area") == area)
        if ac.height:
            t = Table(
                "actors",
                w.actors_caption,
                [
                    Column("actor", w.actor),
                    Column("type", w.actor_type),
                    Column("share", w.share_of_area, "", numeric=True),
                    Column("stadsdelar", w.actor_cover),
                ],
            )
            for i, r in enumerate(ac.iter_rows(named=True)):
                share = (
                    page.number(f"actors/{i}/share", r["share"], "andel", "share") if r["share"] is not None else None
                )
                covers = (
                    ", ".join(sorted((area_display_name(s) for s in r["stadsdelar"]), key=swedish_key))
                    if r["stadsdelar"] is not None
                    else None
                )
                t.rows.append([r["actor"], r["type"], share, covers])
            blocks.append(t)

    def areas_table(self, page: Page, blocks: list) -> None:
        """The areas compared: land and flooding in one table, dangerous-goods routes in another (fits a page)."""
        w = self.w
        cols = [Column("area", w.stadsdelsomrade), Column("land_m2", w.land_area, "km²", numeric=True)]
        spec: list[tuple[str, str | None, str | None, str, str]] = []
        for h in self.floods:
            hz = self.label(h.name)
            bands = self.ex.bands(h.name, "flooded_land_m2")
            for b in bands:
                cols.append(
                    Column(
                        f"{h.name}:{b}:flooded_share",
                        f"{w.share_short} {self.band(b)}",
                        "",
                        numeric=True,
                        full=f"{w.share_of_land} {hz} {self.band(b)}",
                    )
                )
                spec.append((h.name, b, None, "flooded_share", "share"))
            if bands and self.ex.get(self.names["area"][0], h.name, bands[-1], None, "residents_est") is not None:
                b = bands[-1]
                cols.append(
                    Column(
                        f"{h.name}:{b}:residents_est",
                        f"{w.residents_short} {self.band(b)}",
                        "",
                        numeric=True,
                        full=f"{w.residents_est} {hz} {self.band(b)}",
                    )
                )
                spec.append((h.name, b, None, "residents_est", "count"))
        route_cols: list[Column] = [Column("area", w.stadsdelsomrade)]
        route_spec: list[tuple[str, str | None, str | None, str, str]] = []
        for h in self.routes:
            for c in self.ex.categories(h.name, "route_length_m"):
                route_cols.append(
                    Column(f"{h.name}:{c}:route_length_m", c, "km", numeric=True, full=f"{self.label(h.name)} {c}")
                )
                route_spec.append((h.name, None, c, "route_length_m", "km"))
        t = Table("areas", w.areas_caption, cols)
        r_t = Table("areas-routes", w.areas_routes_caption, route_cols)
        for area, _code, _namnd in self.names.iter_rows():
            row: list[str | Number | None] = [
                area,
                self.num(page, f"areas/{area}/land_m2", self.ex.get(area, None, None, None, "land_m2"), "km2"),
            ]
            for hazard, band, cat, measure, fmt in spec:
                r = self.ex.get(area, hazard, band, cat, measure)
                row.append(self.num(page, f"areas/{area}/{hazard}/{band or cat}/{measure}", r, fmt) if r else None)
            t.rows.append(row)
            r_row: list[str | Number | None] = [area]
            for hazard, band, cat, measure, fmt in route_spec:
                r = self.ex.get(area, hazard, band, cat, measure)
                r_row.append(self.num(page, f"areas/{area}/{hazard}/{band or cat}/{measure}", r, fmt) if r else None)
            r_t.rows.append(r_row)
        if self.population_year is not None:
            t.notes.append(w.residents_note.format(year=self.population_year))
        t.notes.append(self.rule_note())
        blocks.append(t)
        if route_spec:
            r_t.notes.append(w.tunnels_note)
            blocks.append(r_t)


def _fill(template: str, **values: str | Number) -> list[str | Number]:
    """A sentence template with numbers in it, as text and :class:`Number` parts."""
    out: list[str | Number] = []
    pos = 0
    for m in re.finditer(r"\{(\w+)\}", template):
        out.append(template[pos : m.start()])
        v = values[m.group(1)]
        out.append(v)
        pos = m.end()
    out.append(template[pos:])
    return [p for p in out if p != ""]


def relative(path: str, base: Path | None) -> str:
    """``path`` relative to ``base`` where it lies under it (with ``/``), else its name."""
    p = Path(path)
    if base is not None:
        try:
            return p.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return p.name
