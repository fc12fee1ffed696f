"""The safety picture's sections of the report: incidents and crime, their trend, surveys, facknämnder.

Laid out from :func:`~lagesbild.analysis.incidents`,
:func:`~lagesbild.analysis.incident_trend`,
:func:`~lagesbild.analysis.survey` and
:func:`~lagesbild.analysis.staff_violence`, each called once for the
report (see :func:`safety_results`); nothing is computed here but the
trend carried forward, whose arithmetic is stated on the page.
"""

from __future__ import annotations

import datetime as dt
import weakref
from typing import TYPE_CHECKING, Any

import polars as pl

from lagesbild.analysis import hotspots, incident_trend, incidents, risk_matrix, staff_violence, survey
from lagesbild.analysis.hotspots import NEAR_M, hotspot_context
from lagesbild.analysis.rsa import CITY_WIDE
from lagesbild.exceptions import InvalidArgumentError
from lagesbild.report.model import Column, Image, Number, Page, Paragraph, Table

if TYPE_CHECKING:
    from lagesbild.city import City
    from lagesbild.report.build import Params, _Builder

__all__ = ["safety_results"]

SOURCES = {
    "händelser": ("stadens händelserapportering", "the city's incident reports"),
    "polisen": ("polisanmälda brott", "police-reported crime"),
}


def theme_hotspots(city: City, params: Params) -> dict[str, Any]:
    """Each theme's hotspot cells (:func:`~lagesbild.analysis.hotspots`) for the report; empty without incidents."""
    if not (params.themes and city.settings.incidents is not None and city.areas is not None):
        return {}
    return {
        t: hotspots(city, params.year, t, params.period, HOTSPOT_CELL_M, alpha=HOTSPOT_ALPHA, mode=params.mode)
        for t in params.themes
    }


def safety_results(city: City, params: Params, hot: dict[str, Any] | None = None) -> dict[str, Any]:
    """The safety picture's analyses for the report (``None`` where the city file lacks their sections).

    ``hot`` is :func:`theme_hotspots`'s answer where the caller has it already.
    """
    s = city.settings
    out: dict[str, Any] = {"incidents": None, "incidents_city": None, "incident_trend": None, "survey": None}
    out["staff_violence"] = {}
    themes = list(params.themes)
    if themes and (s.incidents is not None or s.crime is not None) and s.population is not None:
        kw = {"period": params.period, "themes": themes}
        out["incidents"] = incidents(city, params.year, "stadsdelsomrade", mode=params.mode, **kw)
        out["incidents_city"] = incidents(city, params.year, "city", mode=params.mode, **kw)
        out["incident_trend"] = incident_trend(city, params.year, "stadsdelsomrade", **kw)
    if themes and s.incidents is not None and s.incidents.namnd is not None and s.incidents.activity is not None:
        for t in themes:
            out["staff_violence"][t] = staff_violence(city, params.year, params.period, theme=t, mode=params.mode)
    if s.surveys is not None and s.surveys.tables:
        out["survey"] = survey(city, params.year, "stadsdelsomrade", mode=params.mode)
    out["hotspots"] = theme_hotspots(city, params) if hot is None else hot
    out["hotspot_context"] = {
        t: hotspot_context(city, params.year, cells, mode=params.mode) for t, cells in out["hotspots"].items()
    }
    out["risk_matrix"] = None
    if s.rsa is not None:
        try:
            out["risk_matrix"] = risk_matrix(city, params.year, mode=params.mode)
        except InvalidArgumentError:
            # No register of the year or before it: the city page says so.
            out["risk_matrix"] = pl.DataFrame(schema={"namnd": pl.String})
    return out


#: The hotspot analysis's grid and false discovery rate in the report (the analysis's defaults).
HOTSPOT_CELL_M = 100.0
HOTSPOT_ALPHA = 0.05


def _src(b: _Builder, source: str) -> str:
    sv, en = SOURCES.get(source, (source, source))
    return sv if b.p.lang == "sv" else en


def _theme(b: _Builder, theme: str) -> str:
    t = b.city.settings.themes.get(theme)
    return b.labels.get(theme, t.label if t is not None else theme)


def _row(df: pl.DataFrame, **eq: Any) -> dict[str, Any] | None:
    """The first row of ``df`` whose columns equal ``eq`` (``None`` matches a null), or None.

    The pages look up hundreds of single rows in the same few frames: each
    frame is indexed once per set of columns (one pass over its rows) and
    the index dropped with the frame.
    """
    keys = tuple(eq)
    at = (id(df), keys)
    index = _INDEXES.get(at)
    if index is None:
        index = {}
        for i, values in enumerate(df.select(keys).iter_rows()):
            index.setdefault(values, i)
        _INDEXES[at] = index
        weakref.finalize(df, _INDEXES.pop, at, None)
    i = index.get(tuple(eq.values()))
    return None if i is None else df.row(i, named=True)


_INDEXES: dict[tuple[int, tuple[str, ...]], dict[tuple, int]] = {}


def incident_section(b: _Builder, page: Page, blocks: list, area: str) -> None:
    """Nulägesbeskrivning: incidents and crime per theme, this period and the like period a year before."""
    w = b.w
    city_inc: pl.DataFrame = b.safety["incidents_city"]
    inc: pl.DataFrame = city_inc if area == b.city.name else b.safety["incidents"]
    year = b.p.year
    mine = inc.filter((pl.col("area") == area) & (pl.col("type") == "alla"))
    if mine.height == 0:
        blocks.append(Paragraph([w.nothing_to_show]))
        return
    start, end = b.p.period
    blocks.append(Paragraph([w.period_line.format(start=_date(b, start), end=_date(b, end))]))
    for source in [s for s in ("händelser", "polisen") if s in set(mine["source"].to_list())]:
        cols = [
            Column("theme", w.theme),
            Column(f"antal_{year}", f"{w.count} {year}", "", numeric=True),
            Column(f"per_1000_{year}", f"{w.per_1000} {year}", "", numeric=True),
            Column(f"antal_{year - 1}", f"{w.count} {year - 1}", "", numeric=True),
            Column(f"per_1000_{year - 1}", f"{w.per_1000} {year - 1}", "", numeric=True),
            Column("city_per_1000", f"{w.per_1000} {w.city_whole.lower()} {year}", "", numeric=True),
        ]
        t = Table(f"incidents-{source}", w.incidents_caption.format(source=_src(b, source)), cols)
        for theme in b.p.themes:
            row: list[str | Number | None] = [_theme(b, theme)]
            for y in (year, year - 1):
                for measure, fmt in (("antal", "count"), ("per_1000", "decimal")):
                    r = _row(mine, source=source, theme=theme, year=y, measure=measure)
                    row.append(b.num(page, f"incidents/{source}/{theme}/{y}/{measure}", r, fmt) if r else None)
            r = _row(city_inc, source=source, theme=theme, year=year, measure="per_1000", type="alla")
            row.append(b.num(page, f"incidents/{source}/{theme}/{year}/city_per_1000", r, "decimal") if r else None)
            if any(isinstance(c, Number) for c in row):
                t.rows.append(row)
        t.notes.append(w.rate_note)
        t.notes.append(b.rule_note())
        blocks.append(t)


def trend_section(b: _Builder, page: Page, blocks: list, area: str) -> None:
    """Bedömning av sannolika följder: each theme's yearly change, and the rate carried one and two years on."""
    w = b.w
    tr: pl.DataFrame = b.safety["incident_trend"]
    inc: pl.DataFrame = b.safety["incidents"]
    mine = tr.filter(pl.col("area") == area)
    if mine.height == 0:
        return
    year = b.p.year
    cols = [
        Column("theme", w.theme),
        Column("change_per_year", w.change_per_year, "", numeric=True),
        Column("lo", w.lo_short, "", numeric=True, full=w.interval_lo),
        Column("hi", w.hi_short, "", numeric=True, full=w.interval_hi),
        Column("direction", w.direction),
        Column(f"per_1000_{year}", f"{w.per_1000_short} {year}", "", numeric=True, full=f"{w.per_1000} {year}"),
        Column(f"per_1000_{year + 1}", f"{w.projected} {year + 1}", "", numeric=True),
        Column(f"per_1000_{year + 2}", f"{w.projected} {year + 2}", "", numeric=True),
    ]
    # One table per source, named in the caption, so the table fits the page.
    tables: dict[str, Table] = {}
    sentences: list[Paragraph] = []
    for r in mine.iter_rows(named=True):
        source, theme = r["source"], r["theme"]
        if source not in tables:
            tkey = "trend" if not tables else f"trend-{len(tables) + 1}"
            tables[source] = Table(tkey, f"{w.trend_caption}: {_src(b, source)}", cols)
        t = tables[source]
        key = f"trend/{source}/{theme}"
        row: list[str | Number | None] = [_theme(b, theme)]
        if r["change_per_year"] is None:
            row += [None, None, None, w.no_trend_data, None, None, None]
            t.rows.append(row)
            continue
        change = page.number(f"{key}/change_per_year", r["change_per_year"], "andel per år", "share")
        lo = page.number(f"{key}/lo", r["lo"], "andel per år", "share")
        hi = page.number(f"{key}/hi", r["hi"], "andel per år", "share")
        words = {"rising": w.rising, "falling": w.falling}.get(r["direction"], w.no_clear_trend)
        rate = _row(inc, area=area, source=source, theme=theme, year=year, measure="per_1000", type="alla")
        now = b.num(page, f"{key}/per_1000_{year}", rate, "decimal") if rate else None
        row += [change, lo, hi, words, now]
        for k in (1, 2):
            if now is None or now.value is None:
                row.append(None)
                continue
            value = now.value * (1 + r["change_per_year"]) ** k
            row.append(page.number(f"{key}/projected_{year + k}", value, "per 1 000 invånare", "decimal"))
        t.rows.append(row)
        sentences.append(
            Paragraph(
                [
                    w.trend_sentence.format(
                        theme=_theme(b, theme), source=_src(b, source), first=r["first_year"], last=r["last_year"]
                    ),
                    " ",
                    words,
                    ": ",
                    change,
                    " ",
                    w.per_year,
                    " (",
                    lo,
                    " – ",
                    hi,
                    ").",
                ]
            )
        )
    blocks.extend(sentences)
    for t in tables.values():
        t.notes.append(w.trend_note)
        blocks.append(t)


def survey_section(b: _Builder, page: Page, blocks: list, area: str, *, moved_only: bool) -> None:
    """Survey indicators of the latest survey by kön (nulägesbeskrivning); those that moved beyond noise (orsak)."""
    w = b.w
    sv: pl.DataFrame = b.safety["survey"]
    mine = sv.filter((pl.col("area") == area) & pl.col("latest"))
    if moved_only:
        mine = mine.filter(pl.col("beyond_noise").fill_null(False))
        if mine.height == 0:
            blocks.append(Paragraph([w.survey_none_moved]))
            return
    if mine.height == 0:
        blocks.append(Paragraph([w.nothing_to_show]))
        return
    mine = mine.sort("source", "measure", "kon")
    key0 = "survey-moved" if moved_only else "survey"
    caption = w.survey_moved_caption if moved_only else w.survey_caption
    # One table per survey (source, year and the survey compared with), named in its caption: it fits the page.
    i = 0
    surveys = mine.select("source", "year", "previous_year").unique(maintain_order=True).rows()
    for n_table, (source, year, previous) in enumerate(surveys):
        rows = mine.filter(
            (pl.col("source") == source) & (pl.col("year") == year) & pl.col("previous_year").eq_missing(previous)
        )
        since = w.change_since.format(year=previous) if previous is not None else w.change
        cols = [
            Column("indicator", w.indicator),
            Column("kon", w.kon),
            Column("value", w.value, "", numeric=True),
            Column("lo", w.lo_short, "", numeric=True, full=w.interval_lo),
            Column("hi", w.hi_short, "", numeric=True, full=w.interval_hi),
            Column("change", since, "", numeric=True, full=f"{since} ({w.points})"),
            Column("beyond_noise", w.beyond_noise_short, full=w.beyond_noise),
        ]
        key = key0 if n_table == 0 else f"{key0}-{n_table + 1}"
        t = Table(key, f"{caption}: {source} {year}", cols)
        for r in rows.iter_rows(named=True):
            fmt = "share" if r["unit"] == "share" else "decimal"
            k = f"{key0}/{i}"
            i += 1
            t.rows.append(
                [
                    b.label(r["measure"]),
                    r["kon"],
                    page.number(
                        f"{k}/value", r["value"], r["unit"], fmt, suppressed=bool(r["suppressed"]), rule=r["rule"]
                    ),
                    page.number(f"{k}/lo", r["lo"], r["unit"], fmt) if r["lo"] is not None else None,
                    page.number(f"{k}/hi", r["hi"], r["unit"], fmt) if r["hi"] is not None else None,
                    page.number(f"{k}/change", r["change"], r["unit"], "points" if fmt == "share" else fmt)
                    if r["change"] is not None
                    else None,
                    (w.yes if r["beyond_noise"] else w.no) if r["beyond_noise"] is not None else None,
                ]
            )
        t.notes.append(w.survey_note)
        blocks.append(t)


def facknamnd_pages(b: _Builder, chosen: tuple[str, ...]) -> list[Page]:
    """A shorter page per chosen facknämnd or bolag reporting incidents: its incidents by verksamhet."""
    w = b.w
    tables: dict[str, pl.DataFrame] = b.safety["staff_violence"]
    if not tables:
        return []
    stadsdelsnamnder = set(b.names["namnd"].to_list())
    names: set[str] = set()
    for df in tables.values():
        names |= {n for n in df["namnd"].to_list() if n not in stadsdelsnamnder and n != "alla nämnder"}
    names &= set(chosen)
    pages = []
    from lagesbild.report.build import slug
    from lagesbild.report.model import Part

    used = set(b.ids.values()) | {"index"}
    for namnd in sorted(names):
        sid = slug(namnd)
        while sid in used:
            sid += "-2"
        used.add(sid)
        page = Page(
            id=sid, kind="facknamnd", title=w.namnd_page.format(year=b.p.year, namnd=namnd), lang=b.p.lang, namnd=namnd
        )
        b.intro(page)
        part = Part("nulagesbeskrivning", w.nulage, w.facknamnd_intro)
        page.parts = [part]
        start, end = b.p.period
        blocks = part.section(w.incidents_by_activity)
        blocks.append(Paragraph([w.period_only.format(start=_date(b, start), end=_date(b, end))]))
        for theme, df in tables.items():
            # The verksamheter it has incidents at (or withheld counts), the total last.
            mine = (
                df.filter((pl.col("namnd") == namnd) & ((pl.col("value") != 0) | pl.col("suppressed")))
                .with_columns((pl.col("verksamhet") == "alla").alias("__total"))
                .sort("__total", "verksamhet")
            )
            if mine.height == 0:
                continue
            t = Table(
                f"{theme}-by-activity",
                w.by_activity_caption.format(theme=_theme(b, theme)),
                [Column("verksamhet", w.activity), Column("value", w.count, "", numeric=True)],
            )
            for r in mine.iter_rows(named=True):
                t.rows.append(
                    [
                        w.all_activities if r["__total"] else r["verksamhet"],
                        page.number(
                            f"by-activity/{theme}/{r['verksamhet']}",
                            r["value"],
                            "antal",
                            "count",
                            suppressed=bool(r["suppressed"]),
                            rule=r["rule"],
                        ),
                    ]
                )
            t.notes.append(b.rule_note())
            blocks.append(t)
        pages.append(page)
    return pages


def _date(b: _Builder, d: dt.date) -> str:
    if b.p.lang == "sv":
        return f"{d.day} {_MONTHS_SV[d.month - 1]} {d.year}"
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


_MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def area_map(b: _Builder, page: Page, blocks: list, area: str) -> None:
    """Nulägesbeskrivning: the area risk map as PNG, its alternative text and the facilities it numbers.

    The map is :func:`lagesbild.maps.risk_map` without its table: the
    numbered list is the page's table below it.
    """
    w = b.w
    if b.map_work is None:
        blocks.append(Paragraph([w.map_needs_extra], css="caveat"))
        return
    drawn = b.map_work.map(area)
    with_cells = b.map_work.job.cells is not None
    floods = "; ".join(
        f"{b.label(h.name)} ({', '.join(b.band(x) for x in b.ex.bands(h.name, 'flooded_land_m2'))})" for h in b.floods
    )
    routes = "; ".join(
        f"{b.label(h.name)} ({w.zone.lower()} {', '.join(z for z, _, _ in h.zones())})" for h in b.routes
    )
    alt = w.map_alt.format(area=area, floods=floods or "–", routes=routes or "–", n=drawn.table.height)
    if with_cells:
        alt += " " + w.map_alt_hot
    blocks.append(
        Image(
            key="risk-map",
            media_type="image/png",
            data=drawn.png,
            alt=alt,
            caption=w.map_caption.format(area=area),
            file=f"kartor/{page.id}.png",
        )
    )
    t = Table(
        "risk-map-facilities",
        w.map_table_caption,
        [
            Column("nr", w.map_nr),
            Column("name", w.name),
            Column("category", w.category),
            Column("stadsdel", w.map_stadsdel),
            Column("exposed_to", w.map_exposed_to),
        ],
    )
    for r in drawn.table.iter_rows(named=True):
        t.rows.append([str(r["nr"]), r["namn"], r["kategori"], r["stadsdel"], r["risk"]])
    if drawn.table.height == 0:
        t.notes.append(w.map_table_none)
    if drawn.protected.height:
        parts = ", ".join(f"{s} {n}" for s, n in drawn.protected.iter_rows())
        t.notes.append(w.map_protected_note.format(parts=parts))
    if b.p.mode == "internal":
        t.notes.append(w.map_internal_note)
    blocks.append(t)


def hotspot_section(b: _Builder, page: Page, blocks: list, area: str) -> None:
    """Analys av orsak: the theme's hot cells in the area, the zones they reach and the facilities near them."""
    w = b.w
    contexts: dict[str, pl.DataFrame] = b.safety["hotspot_context"]
    hazards = [h.name for h in b.floods] + [h.name for h in b.routes]
    cell = _plain(b, HOTSPOT_CELL_M)
    t = Table(
        "hotspots",
        w.hotspot_caption.format(cell=cell),
        [
            Column("theme", w.theme),
            Column("hot_cells", w.hot_cells, "", numeric=True),
        ]
        + [Column(f"touching:{h}", w.cells_touching.format(hazard=b.label(h)), "", numeric=True) for h in hazards],
    )
    near = Table(
        "hotspots-near",
        w.near_caption.format(near=_plain(b, NEAR_M)),
        [Column("theme", w.theme), Column("sector", w.sector), Column("facilities_near", w.facilities_near, "",
                                                                        numeric=True)],
    )
    for theme, ctx in contexts.items():
        mine = ctx.filter(pl.col("area") == area)
        key = f"hotspots/{theme}"
        n = _row(mine, measure="hot_cells", category=None)
        if n is None:
            blocks.append(Paragraph([w.hotspot_none.format(theme=_theme(b, theme))]))
            continue
        count = page.number(f"{key}/hot_cells", n["value"], n["unit"], "count")
        parts = _split(w.hotspot_sentence.format(theme=_theme(b, theme), n="\0", cell=cell,
                                                 alpha=_plain(b, HOTSPOT_ALPHA * 100)), count)
        blocks.append(Paragraph(parts))
        row: list[str | Number | None] = [_theme(b, theme), count]
        for h in hazards:
            r = _row(mine, measure="cells_touching", category=h)
            row.append(page.number(f"{key}/cells_touching/{h}", r["value"], r["unit"], "count") if r else None)
        t.rows.append(row)
        for r in mine.filter(pl.col("measure") == "facilities_near").iter_rows(named=True):
            near.rows.append(
                [
                    _theme(b, theme),
                    r["category"],
                    page.number(f"{key}/facilities_near/{r['category']}", r["value"], r["unit"], "count"),
                ]
            )
    if t.rows:
        t.notes.append(w.hotspot_note)
        blocks.append(t)
    if near.rows:
        if b.p.mode == "open":
            near.notes.append(w.near_protected_note)
        blocks.append(near)


def rsa_section(b: _Builder, page: Page, blocks: list) -> None:
    """The city page: the RSA risk matrix of all nämnder, one table per protected value."""
    w = b.w
    m: pl.DataFrame = b.safety["risk_matrix"]
    whole = m.filter(pl.col("namnd") == CITY_WIDE)
    if whole.height == 0:
        blocks.append(Paragraph([w.rsa_none.format(year=b.p.year)]))
        return
    scale = int(whole["likelihood"].max())
    year = int(whole["year"].drop_nulls().max()) if whole["year"].drop_nulls().len() else b.p.year
    for value in list(dict.fromkeys(whole["protected_value"].to_list())):
        mine = whole.filter(pl.col("protected_value") == value)
        label = w.rsa_values.get(value, b.label(value))
        t = Table(
            f"rsa-{value}",
            w.rsa_caption.format(value=label),
            [Column("likelihood", w.rsa_likelihood)]
            + [Column(f"c{c}", w.rsa_consequence.format(n=c), "", numeric=True) for c in range(1, scale + 1)],
        )
        for lik in range(scale, 0, -1):
            row: list[str | Number | None] = [str(lik)]
            for c in range(1, scale + 1):
                r = _row(mine, likelihood=lik, consequence=c)
                row.append(page.number(f"rsa/{value}/{lik}/{c}", r["count"], "antal", "count") if r else None)
            t.rows.append(row)
        t.notes.append(w.rsa_note.format(year=year, scale=scale))
        blocks.append(t)


def _plain(b: _Builder, v: float) -> str:
    text = f"{v:g}"
    return text.replace(".", ",") if b.p.lang == "sv" else text


def _split(text: str, number: Number) -> list[str | Number]:
    """A sentence with one number in it (where a NUL character stands), as text and :class:`Number` parts."""
    before, _, after = text.partition("\0")
    return [p for p in (before, number, after) if p != ""]


def hot_cells(layers_by_theme: dict[str, Any]) -> Any:
    """The grid cells hot for any theme of the report (one layer for the maps; ``None`` without hotspots)."""
    layers = list(layers_by_theme.values())
    if not layers:
        return None
    first = layers[0]
    hot = pl.Series([False] * len(first))
    for layer in layers:
        # Every theme's layer has the same study cells in the same (grid) order.
        assert layer["cell"].equals(first["cell"])
        hot = hot | (layer["class"] == "hot").fill_null(False)
    cells = first.filter(hot)
    return cells.with_attributes(pl.DataFrame({"class": ["hot"] * len(cells)}))
