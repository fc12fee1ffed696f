"""Stadsdelar (real), the organisation over time (real, with the nämnder's
official names) and population (real where known, otherwise imitated)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from demo.common import Source, rng, sv_key, write_csv

YEARS_POPULATION = range(2014, 2026)


def write_stadsdelar(src: Source, out: Path) -> None:
    """The 117 real stadsdelar with project codes, in code order, Windows-1252 DBF."""
    source_names = src.stadsdelar["name"].to_list()
    order = [source_names.index(a.name) for a in src.areas]
    attrs = pl.DataFrame(
        {
            "sdel_namn": [a.name for a in src.areas],
            "sdel_kod": [a.code for a in src.areas],
            "sdo_namn": [a.sdo for a in src.areas],
            "sdo_kod": [sdo_codes(ELEVEN)[a.sdo] for a in src.areas],
        }
    )
    layer = src.stadsdelar.take(order).with_attributes(attrs)
    layer.write(out / "stadsdelar.shp", encoding="windows-1252")


LICENSE_HEADER = """\
Stockholm stadsdelar and water in this folder

Source: City of Stockholm (Stockholms stad), "Stadskarta" data set on the
city's open data portal, release of 2021-04-13, dedicated to the public
domain under CC0 1.0 Universal.

Real data here, converted by tools/make_demo.py:
- stadsdelar.shp: the 117 stadsdelar, polygons as in the source; the
  stadsdelsområde columns come from the stadsdelsomraden table distributed
  with the same data; the codes are this project's own.
- vatten.gpkg: the city's water areas as in the source, grouped into
  Mälaren, Saltsjön and other lakes and streams by the rule in README.md,
  transformed to SWEREF 99 TM.
- organisation.csv: the 13-area and 11-area organisations of the
  stadsdelsomraden table; the 14-area period before 2020-07-01 and the
  nämnder's names are from the public sources listed in README.md.

Everything else in this folder is synthetic (see README.md): made by this
project and dedicated to the public domain under the same CC0 terms.

The licence text of the city's data follows.

----------------------------------------------------------------------------

"""


def write_licence(src: Source, out: Path) -> None:
    (out / "LICENSE-stockholm.txt").write_text(LICENSE_HEADER + src.licence, encoding="utf-8")


# -- the organisation over time ---------------------------------------------------

# The three periods. The 14 areas date from 2007-01-01, when Hägersten and
# Liljeholmen (among others) were merged; Hägersten-Liljeholmen and Älvsjö
# became Hägersten-Älvsjö on 2020-07-01; Rinkeby-Kista + Spånga-Tensta became
# Järva and Norrmalm + Östermalm Norra innerstaden on 2023-07-01.
FOURTEEN = ("2007-01-01", "2020-06-30")
THIRTEEN = ("2020-07-01", "2023-06-30")
ELEVEN = ("2023-07-01", "")
PERIODS = (FOURTEEN, THIRTEEN, ELEVEN)

# Before 2020-07-01: the stadsdelar of Hägersten-Liljeholmen as the city lists
# them; the other stadsdelar of today's Hägersten-Älvsjö were Älvsjö's.
HAGERSTEN_LILJEHOLMEN = (
    "ASPUDDEN",
    "FRUÄNGEN",
    "GRÖNDAL",
    "HÄGERSTEN",
    "HÄGERSTENSÅSEN",
    "LILJEHOLMEN",
    "MIDSOMMARKRANSEN",
    "MÄLARHÖJDEN",
    "VÄSTBERGA",
    "VÄSTERTORP",
)

# The stadsdelsnämnd of each stadsdelsområde, as the city writes it: some in
# the genitive, some not. Written out per period, never derived by a rule.
NAMND = {
    FOURTEEN: {
        "Bromma": "Bromma stadsdelsnämnd",
        "Enskede-Årsta-Vantör": "Enskede-Årsta-Vantörs stadsdelsnämnd",
        "Farsta": "Farsta stadsdelsnämnd",
        "Hägersten-Liljeholmen": "Hägersten-Liljeholmens stadsdelsnämnd",
        "Hässelby-Vällingby": "Hässelby-Vällingby stadsdelsnämnd",
        "Kungsholmen": "Kungsholmens stadsdelsnämnd",
        "Norrmalm": "Norrmalms stadsdelsnämnd",
        "Rinkeby-Kista": "Rinkeby-Kista stadsdelsnämnd",
        "Skarpnäck": "Skarpnäcks stadsdelsnämnd",
        "Skärholmen": "Skärholmens stadsdelsnämnd",
        "Spånga-Tensta": "Spånga-Tensta stadsdelsnämnd",
        "Södermalm": "Södermalms stadsdelsnämnd",
        "Älvsjö": "Älvsjö stadsdelsnämnd",
        "Östermalm": "Östermalms stadsdelsnämnd",
    },
    THIRTEEN: {
        "Bromma": "Bromma stadsdelsnämnd",
        "Enskede-Årsta-Vantör": "Enskede-Årsta-Vantörs stadsdelsnämnd",
        "Farsta": "Farsta stadsdelsnämnd",
        "Hägersten-Älvsjö": "Hägersten-Älvsjö stadsdelsnämnd",
        "Hässelby-Vällingby": "Hässelby-Vällingby stadsdelsnämnd",
        "Kungsholmen": "Kungsholmens stadsdelsnämnd",
        "Norrmalm": "Norrmalms stadsdelsnämnd",
        "Rinkeby-Kista": "Rinkeby-Kista stadsdelsnämnd",
        "Skarpnäck": "Skarpnäcks stadsdelsnämnd",
        "Skärholmen": "Skärholmens stadsdelsnämnd",
        "Spånga-Tensta": "Spånga-Tensta stadsdelsnämnd",
        "Södermalm": "Södermalms stadsdelsnämnd",
        "Östermalm": "Östermalms stadsdelsnämnd",
    },
    ELEVEN: {
        "Bromma": "Bromma stadsdelsnämnd",
        "Enskede-Årsta-Vantör": "Enskede-Årsta-Vantörs stadsdelsnämnd",
        "Farsta": "Farsta stadsdelsnämnd",
        "Hägersten-Älvsjö": "Hägersten-Älvsjö stadsdelsnämnd",
        "Hässelby-Vällingby": "Hässelby-Vällingby stadsdelsnämnd",
        "Järva": "Järva stadsdelsnämnd",
        "Kungsholmen": "Kungsholmens stadsdelsnämnd",
        "Norra innerstaden": "Norra innerstadens stadsdelsnämnd",
        "Skarpnäck": "Skarpnäcks stadsdelsnämnd",
        "Skärholmen": "Skärholmens stadsdelsnämnd",
        "Södermalm": "Södermalms stadsdelsnämnd",
    },
}
CODE_PREFIX = {FOURTEEN: "SDO14-", THIRTEEN: "SDO13-", ELEVEN: "SDO"}


def sdo_of(area, period: tuple[str, str]) -> str:
    """The stadsdelsområde a stadsdel belonged to in a period."""
    if period == ELEVEN:
        return area.sdo
    if period == THIRTEEN:
        return area.sdo13
    if area.sdo13 == "Hägersten-Älvsjö":
        return "Hägersten-Liljeholmen" if area.name in HAGERSTEN_LILJEHOLMEN else "Älvsjö"
    return area.sdo13


def sdo_codes(period: tuple[str, str]) -> dict[str, str]:
    """``SDO14-01`` …, ``SDO13-01`` …, ``SDO01`` … in Swedish alphabetical order of the names."""
    return {n: f"{CODE_PREFIX[period]}{i:02d}" for i, n in enumerate(sorted(NAMND[period], key=sv_key), 1)}


def period_of(day: str) -> tuple[str, str]:
    """The period in force on an ISO date."""
    for p in PERIODS:
        if p[0] <= day and (p[1] == "" or day <= p[1]):
            return p
    raise ValueError(day)


def namnd_of(area, day: str) -> str:
    """The stadsdelsnämnd responsible for a stadsdel on an ISO date."""
    p = period_of(day)
    return NAMND[p][sdo_of(area, p)]


def write_organisation(src: Source, out: Path) -> None:
    rows = []
    for p in PERIODS:
        codes = sdo_codes(p)
        for a in src.areas:
            sdo = sdo_of(a, p)
            assert sdo in NAMND[p], (p, sdo)
            rows.append([a.name, sdo, codes[sdo], NAMND[p][sdo], *p])
    write_csv(
        out / "organisation.csv", ["stadsdel", "sdo_namn", "sdo_kod", "namnd", "giltig_fran", "giltig_till"], rows
    )


# -- population -------------------------------------------------------------------

# The city's own figures for 31 December 2018, for the stadsdelar it publishes
# no area statistics for ("Områdesfakta", start.stockholm). Jakob (284) is one
# of them but is no polygon of the 2021 boundaries.
REAL_2018 = {
    "FARSTANÄSET": 0,
    "FLATEN": 5,
    "SKRUBBA": 14,
    "ORHEM": 68,
    "LUNDA": 170,
    "OLOVSLUND": 573,
    "BÄLLSTA": 807,
    "ÅKESHOV": 857,
    "DJURGÅRDEN": 873,
    "ENEBY": 897,
}
# Nature reserve, islands of museums and government, industry: near-empty
# (imitated; the city's statistics count them with a neighbour or not at all).
NEAR_EMPTY_2018 = {"HANSTA": 22, "RIDDARHOLMEN": 45, "SKEPPSHOLMEN": 130, "ULVSUNDA INDUSTRIOMR": 35, "LÅNGHOLMEN": 640}
# Imitated 2018 figures where land area says little: the dense inner city,
# the centres of the outer city and a few large districts (rounded,
# plausible, not official).
IMITATED_2018 = {
    "SÖDERMALM": 101_000,
    "VASASTADEN": 64_000,
    "ÖSTERMALM": 56_000,
    "KUNGSHOLMEN": 34_000,
    "NORRMALM": 23_500,
    "SÖDRA HAMMARBYHAMNEN": 22_000,
    "STADSHAGEN": 17_500,
    "LADUGÅRDSGÄRDET": 15_500,
    "HJORTHAGEN": 9_000,
    "KRISTINEBERG": 8_500,
    "MARIEBERG": 7_000,
    "FREDHÄLL": 6_500,
    "STORA ESSINGEN": 5_000,
    "LILLA ESSINGEN": 4_500,
    "GAMLA STAN": 3_100,
    "REIMERSHOLME": 2_600,
    "NORRA DJURGÅRDEN": 3_200,
    "ÅRSTA": 25_500,
    "JOHANNESHOV": 17_000,
    "HÄGERSTEN": 16_000,
    "LILJEHOLMEN": 12_500,
    "TENSTA": 19_500,
    "RINKEBY": 16_500,
    "HUSBY": 12_500,
    "KISTA": 12_000,
    "AKALLA": 9_000,
    "VÅRBERG": 11_000,
    "BREDÄNG": 10_500,
    "SKÄRHOLMEN": 9_500,
    "FARSTA": 11_000,
    "HÖGDALEN": 5_200,
    "FRUÄNGEN": 7_200,
    "VÄLLINGBY": 8_300,
    "HÄSSELBY STRAND": 10_500,
    "RÅGSVED": 11_500,
    "HAGSÄTRA": 9_000,
    "BAGARMOSSEN": 10_500,
    "BROMMA KYRKA": 2_400,
}
# The city's population on 31 December: SCB's figures 2014–2020 (as quoted
# by Finanstid), the figure for 2021, imitated from 2022 on.
CITY_TOTAL = {
    2014: 911_989,
    2015: 923_516,
    2016: 935_619,
    2017: 949_761,
    2018: 962_154,
    2019: 974_073,
    2020: 975_551,
    2021: 978_770,
    2022: 984_700,
    2023: 988_900,
    2024: 994_300,
    2025: 996_000,
}
# Areas built out during the period (yearly growth).
GROWING = {"SÖDRA HAMMARBYHAMNEN": 0.03, "HJORTHAGEN": 0.06, "LILJEHOLMEN": 0.03, "ÅRSTA": 0.02, "VÄSTBERGA": 0.03}
SUBURB_DENSITY = 4_300.0  # inhabitants per km² of land, at most 2.2 km² counted
# The demo's threshold for reporting a stadsdel in a survey (imitating the
# city's practice of publishing nothing for stadsdelar with few residents).
MIN_RESIDENTS = 1_000


def population(src: Source) -> dict[str, dict[int, tuple[int, int]]]:
    """Population per stadsdel and year as (folkmängd, kvinnor).

    The real 2018 figures and the near-empty areas vary a little around
    their 2018 value; the imitated inner-city and centre figures and the
    land-area estimates of the others grow at their own rates, and the
    land-area ones are scaled each year so that the city adds up to
    CITY_TOTAL exactly.
    """
    r = rng("befolkning")
    fixed = {**REAL_2018, **NEAR_EMPTY_2018}
    series: dict[str, dict[int, float]] = {}
    for a in src.areas:
        growth = GROWING.get(a.name, float(r.normal(0.009, 0.005)))
        if a.name in fixed:
            v0 = fixed[a.name]
            walk = np.cumsum(r.normal(0, 0.02, len(YEARS_POPULATION)))
            walk -= walk[2018 - 2014]
            series[a.name] = {y: (0.0 if v0 == 0 else v0 * float(np.exp(w))) for y, w in zip(YEARS_POPULATION, walk)}
            series[a.name][2018] = float(v0)
            continue
        if a.name in IMITATED_2018:
            v0 = IMITATED_2018[a.name] * float(np.exp(r.normal(0, 0.03)))
        else:
            v0 = min(a.land.area / 1e6, 2.2) * SUBURB_DENSITY * float(np.exp(r.normal(0, 0.35)))
        series[a.name] = {y: v0 * (1 + growth) ** (y - 2018) for y in YEARS_POPULATION}
    out: dict[str, dict[int, tuple[int, int]]] = {a.name: {} for a in src.areas}
    women_share = {a.name: float(np.clip(r.normal(0.505, 0.012), 0.46, 0.56)) for a in src.areas}
    for year in YEARS_POPULATION:
        kept = {n: round(v[year]) for n, v in series.items() if n in fixed or n in IMITATED_2018}
        scalable = {n: v[year] for n, v in series.items() if n not in kept}
        k = (CITY_TOTAL[year] - sum(kept.values())) / sum(scalable.values())
        raw = {n: v * k for n, v in scalable.items()}
        counts = {n: int(np.floor(v)) for n, v in raw.items()}
        # Largest remainders: the city adds up exactly.
        short = CITY_TOTAL[year] - sum(kept.values()) - sum(counts.values())
        for n in sorted(raw, key=lambda n: (counts[n] - raw[n], n))[:short]:
            counts[n] += 1
        counts.update(kept)
        assert sum(counts.values()) == CITY_TOTAL[year]
        for n, total in counts.items():
            women = int(r.binomial(total, women_share[n])) if total else 0
            out[n][year] = (total, women)
    return out


def inhabited(pop: dict[str, dict[int, tuple[int, int]]], year: int) -> list[str]:
    """Stadsdelar with at least MIN_RESIDENTS in a year: the ones surveys report."""
    return [n for n, s in pop.items() if s[year][0] >= MIN_RESIDENTS]


def residents(pop: dict[str, dict[int, tuple[int, int]]], year: int) -> dict[str, int]:
    return {n: s[year][0] for n, s in pop.items()}


def write_population(src: Source, pop: dict[str, dict[int, tuple[int, int]]], out: Path) -> None:
    rows = []
    for a in src.areas:
        for year in YEARS_POPULATION:
            total, women = pop[a.name][year]
            rows.append([a.name, year, total, women, total - women])
    write_csv(out / "befolkning.csv", ["stadsdel", "ar", "folkmangd", "kvinnor", "man"], rows)
