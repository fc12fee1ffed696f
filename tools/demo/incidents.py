"""Incidents from the city's händelsehanteringssystem (synthetic points),
declared crisis levels (synthetic, rare) and police-reported crime per
stadsdel and month (synthetic counts at Stockholm's order of magnitude)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import lagesbild as lb
import numpy as np
import polars as pl
import shapely

from demo.areas import namnd_of
from demo.common import Land, Source, lonlat_to_3011, rng, write_csv
from demo.facilities import CENTRES, Facility, area_centres
from demo.routes import Route
from demo.surveys import CRIME_NOT_UNSAFE, UNSAFE_LOW_CRIME

FIRST_DAY, LAST_DAY = np.datetime64("2019-01-01"), np.datetime64("2025-08-31")
KALLA = "händelsehanteringssystemet"

# -- themes, types and their consequence grades -----------------------------------------

# konsekvensgrad, the demo's own scale:
#   1 ingen eller obetydlig skada
#   2 lindrig personskada eller mindre skada på egendom
#   3 personskada som krävt vård, betydande skada eller avbrott i verksamheten
#   4 allvarlig personskada eller stor skada
# tema: (incidents in 2019, yearly trend, month weights Jan–Dec, [(typ, share, P(grade 1..4))])
# fmt: off
THEMES = {
    "olycka": (5_600, -0.015, (1.45, 1.35, 1.05, 0.90, 0.95, 0.90, 0.55, 0.80, 1.00, 1.00, 1.00, 1.25), [
        ("fallolycka", 0.40, (0.45, 0.40, 0.13, 0.02)),
        ("halkolycka", 0.15, (0.35, 0.45, 0.17, 0.03)),
        ("trafikolycka", 0.15, (0.40, 0.40, 0.16, 0.04)),
        ("arbetsplatsolycka", 0.18, (0.40, 0.42, 0.15, 0.03)),
        ("vattenskada", 0.12, (0.30, 0.55, 0.13, 0.02)),
    ]),
    "brand": (700, 0.0, (0.80, 0.75, 0.95, 1.60, 1.55, 1.20, 0.95, 1.00, 0.85, 0.80, 0.75, 0.80), [
        ("brand i byggnad", 0.25, (0.35, 0.40, 0.18, 0.07)),
        ("brand utomhus", 0.45, (0.60, 0.33, 0.06, 0.01)),
        ("anlagd brand", 0.30, (0.45, 0.40, 0.12, 0.03)),
    ]),
    "brott mot egendom": (4_200, -0.04, (1.05, 1.00, 0.95, 0.95, 0.95, 0.90, 1.20, 1.05, 0.95, 1.05, 1.00, 0.95), [
        ("skadegörelse", 0.35, (0.40, 0.50, 0.09, 0.01)),
        ("klotter", 0.25, (0.70, 0.29, 0.01, 0.00)),
        ("inbrott", 0.20, (0.20, 0.55, 0.22, 0.03)),
        ("stöld", 0.20, (0.40, 0.50, 0.09, 0.01)),
    ]),
    "hot och våld": (3_800, 0.07, (1.00, 1.10, 1.10, 1.05, 1.05, 0.90, 0.55, 0.80, 1.15, 1.15, 1.10, 1.00), [
        ("hot mot personal", 0.55, (0.70, 0.25, 0.05, 0.00)),
        ("våld mot personal", 0.30, (0.30, 0.50, 0.17, 0.03)),
        ("trakasserier", 0.15, (0.80, 0.19, 0.01, 0.00)),
    ]),
}
# fmt: on
# verksamhet at a facility of a kind, and the facility kinds where staff work.
VERKSAMHET_AT = {
    "förskola": "förskola",
    "skola": "grundskola",
    "gymnasieskola": "gymnasieskola",
    "äldreboende": "äldreboende",
    "LSS-boende": "LSS-boende",
    "socialkontor": "socialtjänst",
}
# Weight of one facility of a kind as a place of threats and violence against staff.
VIOLENCE_WEIGHT = {
    "förskola": 0.25,
    "skola": 1.6,
    "gymnasieskola": 1.4,
    "äldreboende": 1.3,
    "LSS-boende": 2.2,
    "socialkontor": 9.0,
}
# Where the other themes happen at the city's workplaces (weights per facility kind).
WORKPLACE_WEIGHT = {
    "förskola": 1.0,
    "skola": 1.6,
    "gymnasieskola": 1.4,
    "äldreboende": 1.5,
    "LSS-boende": 0.6,
    "socialkontor": 0.8,
}
# Places in public space: (verksamhet, nämnd or "" for the stadsdelsnämnd of the place).
PUBLIC_PLACES = {
    "gatudrift": "Trafiknämnden",
    "parkdrift": "",
    "fritidsgård": "",
    "bibliotek": "Kulturnämnden",
    "idrottsanläggning": "Idrottsnämnden",
    "hemtjänst": "",
}
SISAB = "Skolfastigheter i Stockholm AB"  # SISAB, owner of the school buildings

# Planted hotspots, one per theme (README.md): (latitude, longitude, radius in m).
HOT_SOCIALKONTOR = "Socialkontoret Rinkeby"
HOTSPOTS = {
    "olycka": ("Gullmarsplan", 59.2990, 18.0810, 350.0),
    "brand": ("Husby centrum", 59.4101, 17.9257, 400.0),
    "brott mot egendom": ("Skärholmen centrum", 59.2768, 17.9070, 300.0),
}
HOTSPOT_SHARE = {"olycka": 0.035, "brand": 0.12, "brott mot egendom": 0.06}
HOT_SOCIALKONTOR_SHARE = 0.035  # of threats and violence


@dataclass
class Incident:
    day: np.datetime64
    tema: str
    typ: str
    grade: int
    verksamhet: str
    namnd: str
    x: float
    y: float


def _days(r: np.random.Generator, n: int, year: int, months: tuple[float, ...]) -> np.ndarray:
    start = np.datetime64(f"{year}-01-01")
    end = min(np.datetime64(f"{year + 1}-01-01"), LAST_DAY + 1)
    ndays = int((end - start).astype(int))
    month = (start + np.arange(ndays)).astype("datetime64[M]").astype(int) % 12
    w = np.array(months)[month]
    return start + r.choice(ndays, size=n, p=w / w.sum())


def incidents(src: Source, land: Land, fs: list[Facility], rs: list[Route]) -> pl.DataFrame:
    r = rng("handelser")
    by_name = {a.name: a for a in src.areas}
    kommunal = [f for f in fs if f.huvudman == "kommunal" and f.kategori in VERKSAMHET_AT]
    fac_xy = np.array([(f.x, f.y) for f in kommunal])
    centres = area_centres(src, land)
    centre_xy = {n: (p.x, p.y) for n, p in zip(CENTRES, lonlat_to_3011([c[:2] for c in CENTRES.values()]), strict=True)}
    roads = [part for x in rs if x.klass != "järnväg" for part, tunnel in x.stretches if not tunnel]
    roads_in_city = [g for g in (shapely.intersection(p, src.land) for p in roads) if not g.is_empty]
    road_lines = [p for g in roads_in_city for p in shapely.get_parts(g) if p.length > 50]
    hot_xy = {t: lonlat_to_3011([(h[1], h[2])])[0] for t, h in HOTSPOTS.items()}
    hot_fac = next(i for i, f in enumerate(kommunal) if f.namn == HOT_SOCIALKONTOR)
    out: list[Incident] = []

    def at_facility(
        weights: dict[str, float], boost: int | None = None, share: float = 0.0
    ) -> tuple[int, float, float]:
        w = np.array([weights[f.kategori] for f in kommunal], dtype=float)
        w /= w.sum()
        if boost is not None:
            w *= 1 - share
            w[boost] += share
        i = int(r.choice(len(kommunal), p=w))
        xy = land.jitter(r, (fac_xy[i, 0], fac_xy[i, 1]), 4.0) or (float(fac_xy[i, 0]), float(fac_xy[i, 1]))
        return i, xy[0], xy[1]

    def near(xy: tuple[float, float], sigma: float) -> tuple[float, float]:
        p = land.sample(r, 1, land.land, xy, sigma)[0]
        return float(p[0]), float(p[1])

    def on_road(centre: tuple[float, float] | None = None, radius: float = 0.0) -> tuple[float, float]:
        for _ in range(200):
            line = road_lines[int(r.integers(len(road_lines)))]
            if centre is not None:
                d = line.project(shapely.Point(centre))
                s = d + float(r.uniform(-radius, radius))
                if not 0 <= s <= line.length or line.distance(shapely.Point(centre)) > radius:
                    continue
            else:
                s = float(r.uniform(0, line.length))
            p = line.interpolate(s)
            xy = land.jitter(r, (p.x, p.y), 8.0)
            if xy is not None:
                return xy
        raise RuntimeError("no place on a road")

    def area_name(x: float, y: float) -> str:
        name = land.area_of(np.array([x]), np.array([y]))[0]
        assert name is not None, (x, y)
        return name

    def stadsdelsnamnd(x: float, y: float, day: np.datetime64) -> str:
        return namnd_of(by_name[area_name(x, y)], str(day))

    def facility_namnd(i: int, day: np.datetime64) -> str:
        f = kommunal[i]
        if f.kategori in ("skola", "gymnasieskola"):
            return "Utbildningsnämnden"
        return namnd_of(by_name[f.stadsdel], str(day))

    def public(verksamhet: str, x: float, y: float, day: np.datetime64) -> tuple[str, str]:
        return verksamhet, PUBLIC_PLACES[verksamhet] or stadsdelsnamnd(x, y, day)

    # Slips and home-care driving near the centre of a stadsdel drawn by its land area.
    by_land = np.array([max(1.0, a.land.area) for a in src.areas])
    centre_names = list(centre_xy)
    for year in range(2019, 2026):
        for tema, (n2019, trend, months, kinds) in THEMES.items():
            expected = n2019 * (1 + trend) ** (year - 2019) * (1 + float(r.normal(0, 0.03)))
            if year == 2025:
                expected *= 243 / 365 * 1.02  # January–August
            n = int(r.poisson(expected))
            days = np.sort(_days(r, n, year, months))
            typ_idx = r.choice(len(kinds), size=n, p=[k[1] for k in kinds])
            for day, k in zip(days, typ_idx, strict=True):
                typ, _, grades = kinds[k]
                grade = int(r.choice(4, p=grades)) + 1
                u = float(r.random())
                if tema == "hot och våld":
                    i, x, y = at_facility(VIOLENCE_WEIGHT, hot_fac, HOT_SOCIALKONTOR_SHARE)
                    verksamhet, namnd = VERKSAMHET_AT[kommunal[i].kategori], facility_namnd(i, day)
                elif u < HOTSPOT_SHARE.get(tema, 0.0):
                    h = hot_xy[tema]
                    radius = HOTSPOTS[tema][3]
                    if tema == "olycka":
                        typ = "halkolycka" if r.random() < 0.6 else "trafikolycka"
                        x, y = on_road((h.x, h.y), radius)
                        verksamhet, namnd = public("gatudrift", x, y, day)
                    else:
                        x, y = near((h.x, h.y), radius / 2)
                        place = "parkdrift" if tema == "brand" else ("fritidsgård" if r.random() < 0.4 else "bibliotek")
                        verksamhet, namnd = public(place, x, y, day)
                elif typ in ("halkolycka", "trafikolycka"):
                    if typ == "trafikolycka" and r.random() < 0.7:
                        x, y = on_road()
                        place = "gatudrift" if r.random() < 0.45 else "hemtjänst"
                    else:
                        c = centres[src.areas[int(r.choice(len(src.areas), p=by_land / by_land.sum()))].name]
                        x, y = near(c, 250.0)
                        place = "gatudrift" if typ == "halkolycka" else "hemtjänst"
                    verksamhet, namnd = public(place, x, y, day)
                elif tema == "brand" and typ == "brand utomhus":
                    c = centre_xy[centre_names[int(r.integers(len(centre_names)))]]
                    x, y = near(c, 600.0)
                    verksamhet, namnd = public("parkdrift", x, y, day)
                elif tema == "brott mot egendom" and u < 0.55:
                    # In centres and along transit: the city's libraries, youth centres, parks.
                    c = centre_xy[centre_names[int(r.integers(len(centre_names)))]]
                    x, y = near(c, 220.0)
                    place = ("bibliotek", "fritidsgård", "parkdrift", "idrottsanläggning")[int(r.integers(4))]
                    verksamhet, namnd = public(place, x, y, day)
                else:
                    i, x, y = at_facility(WORKPLACE_WEIGHT)
                    verksamhet, namnd = VERKSAMHET_AT[kommunal[i].kategori], facility_namnd(i, day)
                    if (
                        tema == "brott mot egendom"
                        and verksamhet in ("grundskola", "gymnasieskola")
                        and r.random() < 0.5
                    ):
                        namnd = SISAB
                out.append(Incident(day, tema, typ, grade, verksamhet, namnd, round(x, 1), round(y, 1)))
    out.sort(key=lambda e: (e.day, e.x, e.y, e.tema, e.typ))
    df = pl.DataFrame(
        {
            "handelse_id": np.arange(1, len(out) + 1, dtype=np.int64),
            "datum": np.array([e.day for e in out], dtype="datetime64[D]"),
            "kalla": [KALLA] * len(out),
            "namnd": [e.namnd for e in out],
            "verksamhet": [e.verksamhet for e in out],
            "tema": [e.tema for e in out],
            "typ": [e.typ for e in out],
            "konsekvensgrad": np.array([e.grade for e in out], dtype=np.int64),
            "x": [e.x for e in out],
            "y": [e.y for e in out],
        }
    )
    return df.with_columns(pl.col("datum").cast(pl.Date))


def write_incidents(df: pl.DataFrame, out: Path) -> None:
    wkb = shapely.to_wkb(shapely.points(df["x"].to_numpy(), df["y"].to_numpy()), byte_order=1, flavor="iso")
    frame = df.drop("x", "y").with_columns(pl.Series("geometry", list(wkb), dtype=pl.Binary))
    lb.Layer.from_polars(frame, geometry="geometry", crs=3011, name="handelser").write(out / "handelser.parquet")


# -- declared crisis levels (synthetic) ------------------------------------------------

# Rare, as in reality: escalations of the city's crisis organisation, not
# grades of single incidents. Invented events (the descriptions say so).
# fmt: off
CRISIS_EVENTS = (
    ("2019-12-20", "2019-12-23", "allvarlig händelse",
     "Syntetisk: högt vattenstånd i Mälaren, samordning av skydd av låglänta anläggningar.",
     ("Södermalms stadsdelsnämnd", "Trafiknämnden", "Stockholm Vatten och Avfall AB")),
    ("2020-03-16", "2020-06-30", "extraordinär händelse",
     "Syntetisk: pandemi med hög sjukfrånvaro; krisledningsnämnden övertar delar av äldreomsorgens ledning.",
     ("Äldrenämnden", "Socialnämnden", "Utbildningsnämnden")),
    ("2021-08-16", "2021-08-18", "allvarlig händelse",
     "Syntetisk: skyfall med översvämmade källare och avstängda vägar i Söderort.",
     ("Farsta stadsdelsnämnd", "Skarpnäcks stadsdelsnämnd", "Trafiknämnden")),
    ("2022-02-07", "2022-02-09", "allvarlig händelse",
     "Syntetisk: långvarigt elavbrott i Västerort, vård- och omsorgsboenden på reservkraft.",
     ("Hässelby-Vällingby stadsdelsnämnd", "Bromma stadsdelsnämnd", "Fastighetsnämnden")),
    ("2023-01-24", "2023-01-31", "allvarlig händelse",
     "Syntetisk: IT-attack mot ett verksamhetssystem i förskolan.",
     ("Utbildningsnämnden", "Servicenämnden")),
    ("2024-07-08", "2024-07-19", "allvarlig händelse",
     "Syntetisk: värmebölja, förstärkt omsorg om äldre och sjuka.",
     ("Äldrenämnden", "Järva stadsdelsnämnd", "Skärholmens stadsdelsnämnd")),
    ("2025-03-03", "2025-03-04", "allvarlig händelse",
     "Syntetisk: hot mot flera skolor samma dag, samordnat krisstöd.",
     ("Utbildningsnämnden", "Enskede-Årsta-Vantörs stadsdelsnämnd")),
)
# fmt: on


def write_crisis_levels(out: Path) -> None:
    rows = [[d0, d1, level, text, "; ".join(who)] for d0, d1, level, text, who in CRISIS_EVENTS]
    write_csv(out / "krisnivaer.csv", ["datum_fran", "datum_till", "niva", "beskrivning", "berorda_namnder"], rows)


# -- police-reported crime per stadsdel and month (synthetic counts) ------------------------

# Reported crimes per 100,000 residents in 2019, city-wide: the order of
# magnitude of Brå's figures for Stockholm (about 20,100 in 2011; 19,700 in
# police region Stockholm in 2019), then a yearly trend.
PER_100K_2019 = 20_500
CRIME_TREND = -0.012
# Share of each category (imitated; Brå reports skadegörelse as a quarter of
# the crimes in police region Stockholm in 2019) and its yearly trend.
CATEGORIES = {
    "stöld och snatteri": (0.30, -0.03),
    "skadegörelse": (0.18, -0.02),
    "bedrägeri": (0.15, 0.06),
    "hot och ofredande": (0.08, 0.0),
    "narkotikabrott": (0.06, 0.01),
    "misshandel": (0.05, -0.01),
    "inbrott": (0.04, -0.04),
    "sexualbrott": (0.02, 0.01),
    "rån": (0.01, -0.02),
    "övrigt": (0.11, 0.0),
}
CRIME_MONTHS = (0.92, 0.88, 0.97, 0.97, 1.04, 1.06, 1.07, 1.08, 1.04, 1.02, 0.98, 0.97)
# Crimes drawn by visitors, not residents: expected reported crimes a year on
# top of the residents' (imitated; the city centre and the big centres).
VISITOR_CRIMES = {
    "NORRMALM": 30_000,
    "SÖDERMALM": 9_000,
    "VASASTADEN": 3_500,
    "ÖSTERMALM": 5_000,
    "KUNGSHOLMEN": 4_000,
    "GAMLA STAN": 1_600,
    "KISTA": 3_500,
    "SKÄRHOLMEN": 3_200,
    "FARSTA": 2_000,
    "VÄLLINGBY": 1_800,
    "LILJEHOLMEN": 1_500,
    "JOHANNESHOV": 2_200,
    "ÄLVSJÖ": 900,
    "HÖGDALEN": 600,
    "RINKEBY": 900,
    "TENSTA": 600,
    "HUSBY": 400,
    "FRUÄNGEN": 300,
    "SÖDRA HAMMARBYHAMNEN": 900,
    "ULVSUNDA INDUSTRIOMR": 700,
}
# Residents' crime rate relative to the city (1 = average).
RESIDENT_FACTOR = {UNSAFE_LOW_CRIME: 0.55, "TENSTA": 1.3, "RINKEBY": 1.3, "HUSBY": 1.2}
assert CRIME_NOT_UNSAFE in VISITOR_CRIMES


def crime(src: Source, pop, u: dict[str, dict[int, float]]) -> list[list]:
    r = rng("brott_polisen")
    rows: list[list] = []
    level = {a.name: float(np.exp(r.normal(0, 0.25))) * RESIDENT_FACTOR.get(a.name, 1.0) for a in src.areas}
    mix = {}
    for a in src.areas:
        w = np.array([s * float(np.exp(r.normal(0, 0.15))) for s, _ in CATEGORIES.values()])
        mix[a.name] = w / w.sum()
    names = list(CATEGORIES)
    for year in range(2019, 2026):
        total = PER_100K_2019 / 100_000 * sum(p[year][0] for p in pop.values()) * (1 + CRIME_TREND) ** (year - 2019)
        resident = {a.name: pop[a.name][year][0] * level[a.name] * math.exp(0.2 * u[a.name][year]) for a in src.areas}
        visitors = sum(VISITOR_CRIMES.values())
        k = (total - visitors) / sum(resident.values())
        months = range(1, 9) if year == 2025 else range(1, 13)
        for a in src.areas:
            yearly = resident[a.name] * k + VISITOR_CRIMES.get(a.name, 0.0)
            for m in months:
                base = yearly * CRIME_MONTHS[m - 1] / sum(CRIME_MONTHS)
                for c, name in enumerate(names):
                    trend = (1 + CATEGORIES[name][1]) ** (year - 2019)
                    n = int(r.poisson(base * mix[a.name][c] * trend))
                    if n:
                        rows.append([a.name, f"{year}-{m:02d}", name, n])
    return rows


def write_crime(rows: list[list], out: Path) -> None:
    write_csv(out / "brott_polisen.csv", ["stadsdel", "manad", "brottskategori", "antal"], rows)
