"""A small hand-made city for the safety-picture analyses, with known answers.

Four 1 km squares A, B (south) and C, D (north) in EPSG:3011; until 30 June
2023 A and C form Väst and B and D Öst, since then all four form Hela.
Population per year; a city survey (2017, 2020, 2023, by kön) keyed by
stadsdel and a police survey keyed by lokalpolisområde (LPO Syd = A + B,
LPO Norr = C + D); incidents as points; police crime counts; a risk
register.
"""

from __future__ import annotations

import datetime as dt

import lagesbild as lb
import polars as pl
import shapely
from lagesbild.config import Crime, Incidents, Population, Settings, Suppression, Surveys, Theme

SQUARES = {"A": (0, 0), "B": (1, 0), "C": (0, 1), "D": (1, 1)}
POP = {"A": 1000, "B": 2000, "C": 3000, "D": 400}


def areas() -> lb.Layer:
    return lb.Layer.from_polars(
        pl.DataFrame(
            {
                "stadsdel": list(SQUARES),
                "geometry": [
                    shapely.to_wkb(shapely.box(x * 1000, y * 1000, x * 1000 + 1000, y * 1000 + 1000))
                    for x, y in SQUARES.values()
                ],
            }
        ),
        crs=3011,
        name="stadsdelar",
    )


def organisation() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "stadsdel": ["A", "B", "C", "D"] * 2,
            "sdo_namn": ["Väst", "Öst", "Väst", "Öst"] + ["Hela"] * 4,
            "sdo_kod": ["V", "O", "V", "O"] + ["H"] * 4,
            "giltig_fran": [dt.date(2020, 7, 1)] * 4 + [dt.date(2023, 7, 1)] * 4,
            "giltig_till": [dt.date(2023, 6, 30)] * 4 + [None] * 4,
        }
    )


def befolkning() -> pl.DataFrame:
    rows = []
    for y in range(2016, 2026):
        for s, p in POP.items():
            total = p + 10 * (y - 2016)
            rows.append((s, y, total, total // 2, total - total // 2))
    return pl.DataFrame(rows, schema=["stadsdel", "ar", "folkmangd", "kvinnor", "man"], orient="row")


def enkat() -> pl.DataFrame:
    """City survey: otrygg_kvall per stadsdel, year and kön; D has few respondents."""
    base = {"A": 0.20, "B": 0.30, "C": 0.10, "D": 0.50}
    resp = {"A": 400, "B": 300, "C": 500, "D": 20}
    rows = []
    for i, y in enumerate([2017, 2020, 2023]):
        for s in SQUARES:
            p = base[s] + (0.15 * i if s == "A" else 0.0)  # A rises
            for kon, dp, share in (("alla", 0.0, 1.0), ("kvinnor", 0.04, 0.5), ("män", -0.04, 0.5)):
                rows.append(("stadens", y, s, kon, "otrygg_kvall", round(p + dp, 3), int(resp[s] * share)))
    return pl.DataFrame(
        rows, schema=["kalla", "ar", "stadsdel", "kon", "indikator", "varde", "respondenter"], orient="row"
    )


def polis() -> pl.DataFrame:
    rows = []
    for y in (2021, 2022, 2024):
        rows += [
            ("polisens", y, "LPO Syd", "alla", "oro_brott", 0.30, 200),
            ("polisens", y, "LPO Norr", "alla", "oro_brott", 0.20, 100),
            ("polisens", y, "LPO Syd", "alla", "problemindex", 1.2, 200),
            ("polisens", y, "LPO Norr", "alla", "problemindex", 0.6, 100),
        ]
    return pl.DataFrame(rows, schema=["kalla", "ar", "lpo", "kon", "indikator", "varde", "respondenter"], orient="row")


def lpo() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "from": ["LPO Syd", "LPO Syd", "LPO Norr", "LPO Norr"],
            "stadsdel": ["A", "B", "C", "D"],
            "weight": [0.4, 0.6, 0.9, 0.1],
        }
    )


def settings(**kw) -> Settings:
    base = dict(
        population=Population(table="befolkning", women="kvinnor", men="man", min_for_rates=500),
        surveys=Surveys(tables=("enkat", "polis"), min_respondents=30, design_effect=1.0),
        suppression=Suppression(rule="threshold", min_count=5, secondary=True),
    )
    base.update(kw)
    return Settings(**base)


def city(tables: dict | None = None, layers: dict | None = None, **kw) -> lb.City:
    t = {"befolkning": befolkning(), "enkat": enkat(), "polis": polis()}
    t.update(tables or {})
    keys = {
        "befolkning": {"year": "ar"},
        "enkat": {"year": "ar"},
        "polis": {"key": "lpo", "unit": "lpo", "year": "ar"},
    }
    keys = {k: v for k, v in keys.items() if k in t}
    for name in t:
        if name == "brott":
            keys[name] = {"key": "stadsdel"}
        if name == "risker":
            keys[name] = {"year": "ar"}
    return lb.City(
        areas(),
        organisation(),
        layers=layers or {},
        tables=t,
        crosswalks={"lpo": lpo()},
        table_keys=keys,
        name="Trygghetsstad",
        settings=settings(**kw),
    )


THEMES = {
    "olyckor": Theme(name="olyckor", label="Olyckor", tema=("olycka", "brand"), crime=()),
    "brott": Theme(name="brott", label="Brott", tema=("brott mot egendom",), crime=("skadegörelse",)),
    "hot_och_vald": Theme(name="hot_och_vald", label="Hot och våld", tema=("hot och våld",), crime=("misshandel",)),
}

# Incidents per like period (report year → stadsdel → theme value → count): A's brott rise 50 % a year.
INCIDENT_COUNTS = {
    y: {
        "A": {"brott mot egendom": round(20 * 1.5 ** (y - 2021)), "olycka": 10, "hot och våld": 6},
        "B": {"brott mot egendom": 30, "olycka": 3, "hot och våld": 12},
        "C": {"brott mot egendom": 40, "olycka": 2, "brand": 8, "hot och våld": 0},
        "D": {"brott mot egendom": 1, "olycka": 0, "hot och våld": 0},
    }
    for y in (2021, 2022, 2023, 2024, 2025)
}


def incident_layer() -> lb.Layer:
    """Points inside each square (never on an edge), dated in the middle of each like period (March)."""
    rows = []
    n = 0
    for y, per_sd in INCIDENT_COUNTS.items():
        for sd, themes in per_sd.items():
            x0, y0 = SQUARES[sd]
            for tema, k in themes.items():
                for i in range(k):
                    n += 1
                    typ = {
                        "brott mot egendom": "inbrott",
                        "olycka": "fallolycka",
                        "brand": "brand i byggnad",
                        "hot och våld": "hot mot personal",
                    }[tema]
                    namnd = "Västra nämnden" if sd in "AC" else "Östra nämnden"
                    verksamhet = "förskola" if i % 2 else "skola"
                    px = x0 * 1000 + 100 + (i * 37) % 800
                    py = y0 * 1000 + 100 + (i * 53) % 800
                    rows.append(
                        (
                            n,
                            dt.date(y, 3, 1 + i % 28),
                            "händelsehanteringssystemet",
                            namnd,
                            verksamhet,
                            tema,
                            typ,
                            1 + i % 4,
                            shapely.to_wkb(shapely.Point(px, py)),
                        )
                    )
    # Before the first like period: the data starts 2020-09-01.
    rows.append(
        (
            n + 1,
            dt.date(2020, 9, 1),
            "händelsehanteringssystemet",
            "Västra nämnden",
            "skola",
            "olycka",
            "fallolycka",
            1,
            shapely.to_wkb(shapely.Point(500, 500)),
        )
    )
    rows.append(
        (
            n + 2,
            dt.date(2025, 8, 31),
            "händelsehanteringssystemet",
            "Västra nämnden",
            "skola",
            "olycka",
            "fallolycka",
            1,
            shapely.to_wkb(shapely.Point(500, 500)),
        )
    )
    df = pl.DataFrame(
        rows,
        schema=["handelse_id", "datum", "kalla", "namnd", "verksamhet", "tema", "typ", "konsekvensgrad", "geometry"],
        orient="row",
    )
    return lb.Layer.from_polars(df, crs=3011, name="handelser")


def brott() -> pl.DataFrame:
    rows = []
    for y in range(2020, 2026):
        for m in range(1, 13):
            if (y, m) < (2020, 9) or (y, m) > (2025, 8):
                continue
            for sd, k in {"A": 5, "B": 2, "C": 9, "D": 0}.items():
                rows.append((sd, f"{y}-{m:02d}", "skadegörelse", k))
                rows.append((sd, f"{y}-{m:02d}", "misshandel", 1 if sd == "B" else 0))
    return pl.DataFrame(rows, schema=["stadsdel", "manad", "brottskategori", "antal"], orient="row")


def incident_city(**kw) -> lb.City:
    kw.setdefault("incidents", Incidents(layer="handelser"))
    kw.setdefault("crime", Crime(table="brott"))
    kw.setdefault("themes", THEMES)
    return city(tables={"brott": brott()}, layers={"handelser": incident_layer()}, **kw)
