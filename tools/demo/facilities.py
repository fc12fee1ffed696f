"""Samhällsviktig verksamhet (synthetic): critical facilities in MSB's
samhällssektorer, with capacity and its unit, huvudman, the responsible
nämnd and whether the location may be published."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from demo.areas import namnd_of
from demo.common import (
    Land,
    Source,
    compound,
    dec,
    from_shapely,
    genitive,
    rng,
    title,
    to_shapely,
    transform,
    write_csv,
)
from demo.routes import Route
from demo.water import FLOOD_LEVELS

FLOWERS = (
    "Solrosen Myran Ekorren Blåklockan Lärkan Humlan Nyckelpigan Regnbågen Sjöstjärnan Vitsippan "
    "Kastanjen Linden Björken Eken Rönnen Tallen Måsen Ugglan Räven Igelkotten Snigeln Fjärilen "
    "Trollet Tomtebo Kotten Mossen Stjärnan Månen Solen Molnet Droppen Pärlan Skatten Äventyret "
    "Lyktan Ängen Gläntan Backen Hagen Stigen Bäcken Viken Holmen Udden Lunden Dungen Skogsbrynet "
    "Gungan Karusellen Pusslet Klossen Penseln Kritan Sagan Visan Melodin Fröet Knoppen Blomman "
    "Bladet Grenen Rosen Tulpanen Liljan Vallmon Prästkragen Maskrosen Smörblomman Klövern "
    "Lingonet Blåbäret Hallonet Smultronet Äpplet Päronet Körsbäret Snäckan Vågen Fyren Ankaret "
    "Seglet Båten Bryggan Vindrosen Kompassen Bikupan Fågelboet Kojan Slottet Tornet Bron"
).split()
SCHOOL_PREFIXES = (
    "Björk Ek Lind Sjö Solberga Ängs Berg Dal Hag Lund Mälar Strand Sol Tall Gran Backa Kvarn Hov "
    "Kyrk Torp Vik Ros Ljung Hassel Al Asp Alm Rönn Lönn Hav Fjärd Udd Näs Holm Ö Vass Klipp Sten "
    "Gärdes Engelbrekts Vasa Katarina Sofia Maria Adolf Fredriks Gustav Johannes Klara Oscars"
).split()
HOME_PREFIXES = (
    "Sol Lind Ek Björk Rosen Ljung Hav Sjö Berg Dal Lärk Trast Svan Hägg Syren Fläder Kastanj "
    "Magnolia Vinter Sommar Höst Vår Aftonstjärne Morgon Kvälls Mälar Ängs Äppel Körsbärs"
).split()
HOME_SUFFIXES = ("gården", "hemmet", "hemmet", "gården", "backen", "lunden")
STREETS = (
    "Lärkvägen Trastvägen Svalvägen Mejsegränd Björkgatan Ekbacken Lindvägen Rönnvägen Tallstigen "
    "Granvägen Askvägen Almvägen Hasselgränd Syrenvägen Rosenvägen Liljegatan Klövervägen "
    "Ängsvägen Hagvägen Backstigen Dalgatan Sjövägen Strandvägen Bryggargatan Smedjegatan "
    "Skolvägen Kyrkvägen Torpvägen Gårdsvägen Parkvägen"
).split()
PHARMACY_CHAINS = ("Apotek Hjärtat", "Kronans Apotek", "Lloyds Apotek", "Apotek Hjärtat")
PHARMACY_NAMES = "Svanen Lejonet Kronan Ugglan Enhörningen Hjorten Örnen Näckrosen Vasen Korpen Fenix Tranan".split()
SHOP_CHAINS = ("ICA Nära", "ICA Supermarket", "Coop", "Coop", "Hemköp", "Willys", "Lidl", "Tempo")
FUEL_CHAINS = ("Circle K", "Preem", "OKQ8", "St1", "Ingo")

# MSB's samhällssektorer, as municipalities quote them from MSB's guidance.
HALSA = "Hälso- och sjukvård samt omsorg"
KOMMUNALTEKNIK = "Kommunalteknisk försörjning"
ENERGI = "Energiförsörjning"
INFORMATION = "Information och kommunikation"
SKYDD = "Skydd och säkerhet"
LIVSMEDEL = "Livsmedel"
TRANSPORTER = "Transporter"
SECTORS = (
    ENERGI,
    "Finansiella tjänster",
    "Handel och industri",
    HALSA,
    INFORMATION,
    KOMMUNALTEKNIK,
    LIVSMEDEL,
    "Offentlig förvaltning",
    SKYDD,
    "Socialförsäkringar",
    TRANSPORTER,
)

# (kategori, sektor, count, capacity range or None, capacity unit, placement)
FACILITY_KINDS = (
    ("förskola", HALSA, 640, (35, 150), "barn", "pop"),
    ("skola", HALSA, 215, (150, 950), "elever", "pop"),
    ("gymnasieskola", HALSA, 55, (250, 1400), "elever", "centre"),
    ("äldreboende", HALSA, 88, (30, 140), "platser", "pop"),
    ("LSS-boende", HALSA, 70, (4, 6), "platser", "pop"),
    ("socialkontor", HALSA, 16, None, "", "named"),
    ("vårdcentral", HALSA, 125, (5_000, 24_000), "listade patienter", "centre"),
    ("apotek", HALSA, 95, None, "", "centre"),
    ("sjukhus", HALSA, 7, (60, 650), "vårdplatser", "fixed"),
    ("vattenreservoar", KOMMUNALTEKNIK, 9, None, "", "area"),
    ("avloppsreningsverk", KOMMUNALTEKNIK, 1, None, "", "fixed"),
    ("avloppspumpstation", KOMMUNALTEKNIK, 38, None, "", "shore"),
    ("elnätstation", ENERGI, 62, None, "", "area"),
    ("fjärrvärmeverk", ENERGI, 5, None, "", "fixed"),
    ("drivmedelsstation", ENERGI, 66, None, "", "route"),
    ("telestation", INFORMATION, 36, None, "", "area"),
    ("brandstation", SKYDD, 10, None, "", "named"),
    ("polisstation", SKYDD, 9, None, "", "named"),
    ("livsmedelsbutik", LIVSMEDEL, 325, None, "", "centre"),
    ("bussdepå", TRANSPORTER, 9, None, "", "area"),
)
# Who runs them: huvudman and its share (imitated shares, not counts from a register).
HUVUDMAN = {
    "förskola": (("kommunal", 0.68), ("privat", 0.32)),
    "skola": (("kommunal", 0.72), ("privat", 0.28)),
    "gymnasieskola": (("kommunal", 0.45), ("privat", 0.55)),
    "äldreboende": (("kommunal", 0.55), ("privat", 0.45)),
    "LSS-boende": (("kommunal", 0.5), ("privat", 0.5)),
    "socialkontor": (("kommunal", 1.0),),
    "vårdcentral": (("regional", 0.35), ("privat", 0.65)),
    "vattenreservoar": (("kommunal", 1.0),),
    "avloppsreningsverk": (("kommunal", 1.0),),
    "avloppspumpstation": (("kommunal", 1.0),),
    "brandstation": (("kommunal", 1.0),),
    "polisstation": (("statlig", 1.0),),
    "bussdepå": (("regional", 1.0),),
}
HOSPITAL_HUVUDMAN = {
    "Södersjukhuset": "regional",
    "S:t Görans sjukhus": "regional",
    "Ersta sjukhus": "privat",
    "Sophiahemmet": "privat",
    "Stockholms sjukhem": "privat",
    "Sabbatsbergs sjukhus": "regional",
    "Dalens sjukhus": "regional",
}
# The city's own: who answers for them (for kommunal facilities only).
NAMND_BY_KIND = {
    "skola": "Utbildningsnämnden",
    "gymnasieskola": "Utbildningsnämnden",
    "vattenreservoar": "Stockholm Vatten och Avfall AB",
    "avloppsreningsverk": "Stockholm Vatten och Avfall AB",
    "avloppspumpstation": "Stockholm Vatten och Avfall AB",
    "brandstation": "Storstockholms brandförsvar",
}
STADSDELSNAMND_KINDS = ("förskola", "äldreboende", "LSS-boende", "socialkontor")
# Locations not to be published openly (electricity, telecom, water).
PROTECTED_KINDS = ("vattenreservoar", "avloppsreningsverk", "avloppspumpstation", "elnätstation", "telestation")
FACILITY_DATE = "2025-06-30"  # the organisation the responsible nämnder are named by
# Real places, approximately: (name, latitude, longitude, stadsdel).
FIXED_FACILITIES = {
    "sjukhus": [
        ("Södersjukhuset", 59.3100, 18.0520, "SÖDERMALM"),
        ("S:t Görans sjukhus", 59.3375, 18.0190, "STADSHAGEN"),
        ("Ersta sjukhus", 59.3150, 18.0860, "SÖDERMALM"),
        ("Sophiahemmet", 59.3470, 18.0690, "NORRA DJURGÅRDEN"),
        ("Stockholms sjukhem", 59.3300, 18.0240, "KUNGSHOLMEN"),
        ("Sabbatsbergs sjukhus", 59.3390, 18.0470, "VASASTADEN"),
        ("Dalens sjukhus", 59.2870, 18.0880, "ENSKEDEDALEN"),
    ],
    "avloppsreningsverk": [("Bromma reningsverk", 59.3380, 17.9270, "NOCKEBYHOV")],
    "fjärrvärmeverk": [
        ("Värtaverket", 59.3520, 18.1030, "HJORTHAGEN"),
        ("Hässelbyverket", 59.3640, 17.8330, "HÄSSELBY STRAND"),
        ("Högdalenverket", 59.2620, 18.0480, "HÖGDALEN"),
        ("Akalla värmeverk", 59.4170, 17.9050, "AKALLA"),
        ("Hammarbyverket", 59.3030, 18.1060, "SÖDRA HAMMARBYHAMNEN"),
    ],
}
NAMED_STATIONS = {
    "socialkontor": [
        "RINKEBY",
        "TENSTA",
        "KISTA",
        "VASASTADEN",
        "ÖSTERMALM",
        "SÖDERMALM",
        "KUNGSHOLMEN",
        "ALVIK",
        "VÄLLINGBY",
        "SKÄRHOLMEN",
        "HÄGERSTEN",
        "ÄLVSJÖ",
        "JOHANNESHOV",
        "HÖGDALEN",
        "FARSTA",
        "SKARPNÄCKS GÅRD",
    ],
    "brandstation": [
        "KUNGSHOLMEN",
        "ÖSTERMALM",
        "SÖDERMALM",
        "JOHANNESHOV",
        "LILJEHOLMEN",
        "SKÄRHOLMEN",
        "FARSTA",
        "VÄLLINGBY",
        "KISTA",
        "BROMMA KYRKA",
    ],
    "polisstation": [
        "KUNGSHOLMEN",
        "NORRMALM",
        "SÖDERMALM",
        "ÖSTERMALM",
        "FARSTA",
        "SKÄRHOLMEN",
        "VÄLLINGBY",
        "RINKEBY",
        "JOHANNESHOV",
    ],
}
# Real centres (latitude, longitude, stadsdel): facilities and incidents cluster there.
CENTRES = {
    "Sergels torg": (59.3324, 18.0641, "NORRMALM"),
    "Medborgarplatsen": (59.3143, 18.0737, "SÖDERMALM"),
    "Fridhemsplan": (59.3322, 18.0290, "KUNGSHOLMEN"),
    "Kista centrum": (59.4028, 17.9441, "KISTA"),
    "Skärholmen centrum": (59.2768, 17.9070, "SKÄRHOLMEN"),
    "Farsta centrum": (59.2434, 18.0924, "FARSTA"),
    "Vällingby centrum": (59.3633, 17.8722, "VÄLLINGBY"),
    "Högdalen centrum": (59.2636, 18.0430, "HÖGDALEN"),
    "Fruängen centrum": (59.2856, 17.9650, "FRUÄNGEN"),
    "Rinkeby torg": (59.3880, 17.9286, "RINKEBY"),
    "Tensta centrum": (59.3944, 17.9010, "TENSTA"),
    "Liljeholmstorget": (59.3100, 18.0230, "LILJEHOLMEN"),
    "Gullmarsplan": (59.2990, 18.0810, "JOHANNESHOV"),
    "Älvsjö centrum": (59.2785, 18.0105, "ÄLVSJÖ"),
    "Husby centrum": (59.4101, 17.9257, "HUSBY"),
    "Bredängs centrum": (59.2948, 17.9336, "BREDÄNG"),
}
# Shares of schools, preschools and care homes placed on purpose near a
# dangerous-goods route (20–140 m) and inside the +2.7 m flood zone.
NEAR_ROUTE_SHARE = 0.07
IN_FLOOD_SHARE = 0.04
NEAR_ROUTE_KINDS = ("förskola", "skola", "äldreboende")


def area_centres(src: Source, land: Land) -> dict[str, tuple[float, float]]:
    """The centre of each stadsdel: its real centrum where CENTRES has one, else a point inside its land."""
    centres = {n: (p.x, p.y) for n, p in land.centre.items()}
    names = list(CENTRES)
    pts = transform([shapely.Point(CENTRES[n][1], CENTRES[n][0]) for n in names], 4326, 3011)
    for n, p in zip(names, pts, strict=True):
        area = land.by_name[CENTRES[n][2]]
        assert area.whole.contains(p), f"{n} is not in {area.name}"
        centres[area.name] = (p.x, p.y)
    return centres


@dataclass
class Facility:
    kategori: str
    sektor: str
    namn: str
    kapacitet: int | None
    enhet: str
    huvudman: str
    namnd: str  # the nämnd (or city company) answering for a kommunal facility; "" otherwise
    skydd: bool
    x: float
    y: float
    stadsdel: str


class Namer:
    """Names for facilities: unique within the file, preschools unique within their stadsdel."""

    def __init__(self, r: np.random.Generator) -> None:
        self.r = r
        self.used: set[str] = set()
        self.schools_in: dict[str, int] = {}

    def pick(self, options: list[str], scope: str = "") -> str:
        for _ in range(60):
            name = options[int(self.r.integers(len(options)))]
            if (scope, name) not in self.used:
                self.used.add((scope, name))
                return name
        # All taken: the same names with a part of town.
        for part in ("norra", "södra", "östra", "västra", "centrum", "2", "3", "4", "5", "6"):
            free = [f"{o} {part}" for o in options if (scope, f"{o} {part}") not in self.used]
            if free:
                name = free[int(self.r.integers(len(free)))]
                self.used.add((scope, name))
                return name
        raise RuntimeError(f"ran out of names like {options[0]!r}")

    def name(self, kategori: str, area: str) -> str:
        t = title(area)
        if kategori == "förskola":
            return self.pick([f"Förskolan {f}" for f in FLOWERS], scope=area)
        if kategori == "skola":
            k = self.schools_in.get(area, 0)
            self.schools_in[area] = k + 1
            # Vårbergsskolan, Kistaskolan; but Aspuddens skola, Farsta strands skola.
            plain = " " not in t and not t.endswith(("en", "et"))
            own = compound(t, "skolan") if plain else f"{genitive(t)} skola"
            if k == 0 and ("", own) not in self.used:
                self.used.add(("", own))
                return own
            return self.pick([f"{p}skolan" for p in SCHOOL_PREFIXES])
        if kategori == "gymnasieskola":
            return self.pick(
                [f"{p}gymnasiet" for p in SCHOOL_PREFIXES] + [f"{genitive(t)} gymnasium", f"Gymnasieskolan {t}"]
            )
        if kategori == "äldreboende":
            opts = [f"{p}{s}" for p in HOME_PREFIXES for s in HOME_SUFFIXES]
            opts += [f"Vård- och omsorgsboendet {p}{s}" for p in HOME_PREFIXES for s in HOME_SUFFIXES[:2]]
            return self.pick(opts)
        if kategori == "LSS-boende":
            return self.pick([f"Gruppbostaden {s}" for s in STREETS] + [f"Gruppbostaden {s}, {t}" for s in STREETS])
        if kategori == "vårdcentral":
            return self.pick(
                [
                    f"Vårdcentral {t}",
                    f"{t} vårdcentral",
                    f"Husläkarmottagningen {t}",
                    f"Familjeläkarna {t}",
                    f"Vårdcentralen {t} centrum",
                    f"Närakuten {t}",
                ]
            )
        if kategori == "apotek":
            return self.pick(
                [f"Apoteket {p}" for p in PHARMACY_NAMES]
                + [f"Apoteket {p} {t}" for p in PHARMACY_NAMES]
                # Apoteket AB is owned by the state; the other chains are private (shares imitated).
                + 3 * [f"{c} {t}" for c in PHARMACY_CHAINS]
                + 3 * [f"{c} {s}" for c in PHARMACY_CHAINS for s in STREETS[:10]]
            )
        if kategori == "vattenreservoar":
            return self.pick([f"Vattenreservoar {t}", f"Vattentornet {t}"])
        if kategori == "avloppspumpstation":
            return self.pick([f"Pumpstation {t} {i}" for i in range(1, 9)])
        if kategori == "elnätstation":
            return self.pick(
                [f"Fördelningsstation {t}", f"Mottagningsstation {t}"] + [f"Nätstation {t} {i}" for i in range(1, 6)]
            )
        if kategori == "drivmedelsstation":
            return self.pick([f"{c} {t}" for c in FUEL_CHAINS])
        if kategori == "telestation":
            return self.pick([f"Telestation {t}", f"Telestation {t} södra", f"Telestation {t} norra", f"Radiomast {t}"])
        if kategori in ("brandstation", "polisstation"):
            return self.pick([f"{kategori.capitalize()} {t}"])
        if kategori == "socialkontor":
            return self.pick([f"Socialkontoret {t}"])
        if kategori == "livsmedelsbutik":
            return self.pick(
                [f"{c} {t}" for c in SHOP_CHAINS]
                + [f"{c} {t} centrum" for c in SHOP_CHAINS]
                + [f"{c} {s}" for c in SHOP_CHAINS[:3] for s in STREETS]
            )
        if kategori == "bussdepå":
            return self.pick([f"Bussdepå {t}", f"Bussgarage {t}"])
        raise ValueError(kategori)


def huvudman_of(r: np.random.Generator, kategori: str, namn: str) -> str:
    if kategori == "sjukhus":
        return HOSPITAL_HUVUDMAN[namn]
    if kategori == "apotek":
        # Apoteket AB is owned by the state; the other chains are private.
        return "statlig" if namn.startswith("Apoteket ") else "privat"
    options = HUVUDMAN.get(kategori, (("privat", 1.0),))
    return options[int(r.choice(len(options), p=[w for _, w in options]))][0]


def facilities(
    src: Source,
    land: Land,
    pop: dict[str, dict[int, tuple[int, int]]],
    rs: list[Route],
    zones_3011: dict[float, shapely.Geometry],
) -> list[Facility]:
    r = rng("samhallsviktig_verksamhet")
    kinds = {k[0]: k for k in FACILITY_KINDS}
    by_name = {a.name: a for a in src.areas}
    namer = Namer(r)
    centres = area_centres(src, land)
    names = [a.name for a in src.areas]
    people = np.array([pop[n][2025][0] for n in names], dtype=float)
    by_pop = people / people.sum()
    km2 = np.array([land.by_name[n].land.area for n in names])
    by_area = km2 / km2.sum()
    roads = [x.line for x in rs if x.klass != "järnväg"]
    every = [x.line for x in rs]
    flood = zones_3011[max(FLOOD_LEVELS)]
    shapely.prepare(flood)
    water_lines = shapely.get_parts(shapely.boundary(land.water))
    out: list[Facility] = []

    def add(
        kategori: str, sektor: str, cap: tuple[int, int] | None, x: float, y: float, area: str, name: str | None = None
    ) -> None:
        kap = None if cap is None else int(r.integers(cap[0], cap[1] + 1))
        if kategori == "förskola":
            kap = int(round(kap / 5) * 5)
        namn = name or namer.name(kategori, area)
        huvudman = huvudman_of(r, kategori, namn)
        namnd = ""
        if huvudman == "kommunal":
            if kategori in STADSDELSNAMND_KINDS:
                namnd = namnd_of(by_name[area], FACILITY_DATE)
            else:
                namnd = NAMND_BY_KIND[kategori]
        enhet = kinds[kategori][4] if kap is not None else ""
        skydd = kategori in PROTECTED_KINDS
        out.append(Facility(kategori, sektor, namn, kap, enhet, huvudman, namnd, skydd, x, y, area))

    def near_line(lines: list[shapely.Geometry], lo: float, hi: float) -> tuple[float, float, str]:
        """A point on land in the city between lo and hi metres from one of the lines."""
        while True:
            line = lines[int(r.integers(len(lines)))]
            p = line.interpolate(float(r.uniform(0, line.length)))
            ang = r.uniform(0, 2 * math.pi)
            dist = r.uniform(lo, hi)
            x, y = round(p.x + dist * math.cos(ang), 1), round(p.y + dist * math.sin(ang), 1)
            d = min(shapely.distance(shapely.Point(x, y), g) for g in lines)
            if lo <= d <= hi and land.ok(np.array([x]), np.array([y]))[0]:
                area = land.area_of(np.array([x]), np.array([y]))[0]
                if area is not None and pop[area][2025][0] >= 1000:
                    return x, y, area

    def in_area(area: str, spread: float) -> tuple[float, float]:
        a = land.by_name[area]
        if spread <= 0:
            p = land.sample(r, 1, a.land)[0]
        else:
            sigma = spread * math.sqrt(a.land.area)
            p = land.sample(r, 1, a.land, centres[area], sigma)[0]
        return float(p[0]), float(p[1])

    for kategori, sektor, count, cap, _unit, placement in FACILITY_KINDS:
        n_route = n_flood = 0
        if kategori in NEAR_ROUTE_KINDS:
            n_route = round(count * NEAR_ROUTE_SHARE)
            n_flood = round(count * IN_FLOOD_SHARE)
        for _ in range(n_route):
            x, y, area = near_line(every, 20.0, 140.0)
            add(kategori, sektor, cap, x, y, area)
        for _ in range(n_flood):
            area = None
            while area is None or pop[area][2025][0] < 1000:
                p = land.sample(r, 1, flood)[0]
                area = land.area_of(p[:1], p[1:])[0]
            add(kategori, sektor, cap, float(p[0]), float(p[1]), area)
        rest = count - n_route - n_flood
        if placement == "fixed":
            for name, lat, lon, area in FIXED_FACILITIES[kategori]:
                p = transform([shapely.Point(lon, lat)], 4326, 3011)[0]
                x, y = land.near(r, land.by_name[area].land, (p.x, p.y))
                add(kategori, sektor, cap, x, y, area, name)
            continue
        if placement == "named":
            for area in NAMED_STATIONS[kategori]:
                add(kategori, sektor, cap, *in_area(area, 0.08), area)
            continue
        for _ in range(rest):
            if placement == "route":
                x, y, area = near_line(roads, 15.0, 300.0)
                add(kategori, sektor, cap, x, y, area)
                continue
            if placement == "shore":
                while True:
                    line = water_lines[int(r.integers(len(water_lines)))]
                    p = line.interpolate(float(r.uniform(0, line.length)))
                    try:
                        q = land.sample(r, 1, land.land, (p.x, p.y), 25.0, max_rounds=20)[0]
                    except RuntimeError:
                        continue  # water with no land of the city nearby
                    area = land.area_of(q[:1], q[1:])[0]
                    if area is not None:
                        break
                add(kategori, sektor, cap, float(q[0]), float(q[1]), area)
                continue
            weights = by_area if placement == "area" else by_pop
            area = names[int(r.choice(len(names), p=weights))]
            spread = {"pop": 0.3, "centre": 0.12, "area": 0.0}[placement]
            add(kategori, sektor, cap, *in_area(area, spread), area)
    return out


def write_facilities(fs: list[Facility], out: Path) -> None:
    layer = from_shapely([shapely.Point(f.x, f.y) for f in fs], {}, 3011, "points").to_crs(4326)
    lonlat = shapely.get_coordinates(to_shapely(layer))
    rows = []
    for i, (f, (lon, lat)) in enumerate(zip(fs, lonlat, strict=True), 1):
        rows.append(
            [
                i,
                f.namn,
                f.kategori,
                f.sektor,
                "" if f.kapacitet is None else f.kapacitet,
                f.enhet,
                f.huvudman,
                f.namnd,
                "true" if f.skydd else "false",
                dec(lon, 6, comma=True),
                dec(lat, 6, comma=True),
            ]
        )
    write_csv(
        out / "samhallsviktig_verksamhet.csv",
        [
            "id",
            "namn",
            "kategori",
            "sektor",
            "kapacitet",
            "kapacitet_enhet",
            "huvudman",
            "ansvarig_namnd",
            "skydd",
            "lon",
            "lat",
        ],
        rows,
        sep=";",
    )
