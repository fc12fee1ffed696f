"""The safety surveys (synthetic, at the real levels and cadence): the city's
trygghetsmätning per stadsdel, the police's per lokalpolisområde, and the
crosswalk from lokalpolisområden to stadsdelar."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from demo.areas import FOURTEEN, MIN_RESIDENTS, sdo_of
from demo.common import Land, Source, dec, expit, rng, smooth_field, write_csv

YEARS_CITY_SURVEY = (2014, 2017, 2020, 2023)
YEARS = range(2014, 2026)
KON = ("kvinnor", "män", "alla")

# -- the latent unsafety, per stadsdel and year ---------------------------------------

# Planted signals (README.md, "Planted signals").
WORSENING = ("HÖGDALEN", "FRUÄNGEN", "VÄLLINGBY")
IMPROVING = ("RINKEBY", "TENSTA", "HUSBY")
# High unsafety, little reported crime.
UNSAFE_LOW_CRIME = "BREDÄNG"
# Highest reported crime per resident, unsafety below the city's top quarter.
CRIME_NOT_UNSAFE = "NORRMALM"
# Areas of the outer city where unsafety is higher (imitating the pattern of
# the city's surveys, not their figures).
HIGHER = {
    "AKALLA": 0.9,
    "KISTA": 0.5,
    "SKÄRHOLMEN": 1.0,
    "VÅRBERG": 1.0,
    "BREDÄNG": 1.6,
    "SÄTRA": 0.6,
    "HAGSÄTRA": 0.9,
    "RÅGSVED": 1.0,
    "HÖGDALEN": 0.3,
    "FARSTA": 0.4,
    "HÖKARÄNGEN": 0.3,
    "BAGARMOSSEN": 0.5,
    "HÄSSELBY GÅRD": 0.4,
    "HÄSSELBY STRAND": 0.4,
    "VÄLLINGBY": 0.1,
    "FRUÄNGEN": 0.2,
    "NORRMALM": 0.4,
}
# The improving areas: well above the city in 2014, highest in 2017, then
# falling to near the city by 2023 (as Rinkeby-Kista and Spånga-Tensta did
# from 2017 to 2020 in the city's survey).
IMPROVING_PATH = {2014: 1.7, 2017: 2.1, 2020: 1.0, 2023: 0.25, 2025: 0.1}
WORSENING_RISE = 1.25  # from 2014 to 2025


def _path(points: dict[int, float], year: int) -> float:
    ys = sorted(points)
    return float(np.interp(year, ys, [points[y] for y in ys]))


def latent(src: Source, land: Land) -> dict[str, dict[int, float]]:
    """Unsafety u per stadsdel and year: about 0 on average, 1 a standard deviation.

    A smooth field over the city plus noise per stadsdel and year, higher in
    the areas of HIGHER, with the planted trends.
    """
    r = rng("latent")
    field = smooth_field(r, src.city.buffer(3_000).bounds, 5_000.0)
    u: dict[str, dict[int, float]] = {}
    for a in src.areas:
        c = land.centre[a.name]
        base = 1.2 * (float(field(np.array([c.x]), np.array([c.y]))[0]) - 0.5) + float(r.normal(0, 0.35))
        base += HIGHER.get(a.name, 0.0) - (0.3 if a.region == "Innerstaden" and a.name != CRIME_NOT_UNSAFE else 0.0)
        yearly = r.normal(0, 0.12, len(YEARS))
        u[a.name] = {}
        for k, y in enumerate(YEARS):
            v = base + float(yearly[k])
            if a.name in IMPROVING:
                v = _path(IMPROVING_PATH, y) + 0.15 * base + float(yearly[k])
            elif a.name in WORSENING:
                v = base + WORSENING_RISE * (y - 2014) / 11
            u[a.name][y] = v
    return u


# -- the city's survey --------------------------------------------------------------

# City-wide levels the survey is calibrated to (shares 0–1, weighted by
# population). oro_brott 2014, 2017, 2020 and otrygg_kvall 2017, 2020 are the
# city's published figures; the rest are imitated.
CITY_LEVELS = {
    "oro_brott": {2014: 0.08, 2017: 0.11, 2020: 0.09, 2023: 0.10},
    "otrygg_kvall": {2014: 0.09, 2017: 0.10, 2020: 0.10, 2023: 0.11},
    "ordningsstorningar": {2014: 0.12, 2017: 0.14, 2020: 0.13, 2023: 0.14},
    "utsatt_brott": {2014: 0.14, 2017: 0.15, 2020: 0.13, 2023: 0.13},
}
# Slope on unsafety, and the difference women − men on the logit scale.
SLOPE = {"oro_brott": 0.55, "otrygg_kvall": 0.60, "ordningsstorningar": 0.50, "utsatt_brott": 0.25}
WOMEN_MINUS_MEN = {"oro_brott": 0.45, "otrygg_kvall": 1.10, "ordningsstorningar": 0.10, "utsatt_brott": -0.05}
# Respondents in all: 17,669 in 2017 (Sweco's report on the survey) and
# 17,857 in 2020 (Dagens Samhälle); 2014 and 2023 imitated ("about 15,000 in
# recent years", the city).
CITY_RESPONDENTS = {2014: 16_500, 2017: 17_669, 2020: 17_857, 2023: 15_000}
WOMEN_RESPONDENT_SHARE = 0.55


def _calibrate(target: float, u: np.ndarray, w: np.ndarray, slope: float, gap: float) -> float:
    """The intercept giving a population-weighted mean share of ``target`` (both sexes)."""
    lo, hi = -10.0, 5.0
    for _ in range(80):
        mid = (lo + hi) / 2
        p = 0.5 * (expit(mid + slope * u + gap / 2) + expit(mid + slope * u - gap / 2))
        if float(np.sum(w * p) / np.sum(w)) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _by_sex(r: np.random.Generator, n: int, p_women: float, p_men: float) -> list[tuple[str, float, int]]:
    """Binomial answers of women and men and both together: (kön, share, respondents)."""
    nk = int(r.binomial(n, WOMEN_RESPONDENT_SHARE))
    nm = n - nk
    xk, xm = int(r.binomial(nk, p_women)), int(r.binomial(nm, p_men))
    return [("kvinnor", xk / nk, nk), ("män", xm / nm, nm), ("alla", (xk + xm) / n, n)]


def city_survey(src: Source, pop, u: dict[str, dict[int, float]]) -> list[list]:
    """The city's survey: stadsdelar with at least MIN_RESIDENTS, shares by kön."""
    r = rng("trygghetsmatning")
    rows: list[list] = []
    for year in YEARS_CITY_SURVEY:
        names = [a.name for a in src.areas if pop[a.name][year][0] >= MIN_RESIDENTS]
        people = np.array([pop[n][year][0] for n in names], dtype=float)
        uu = np.array([u[n][year] for n in names])
        # Small areas are sampled more than in proportion to their population.
        weight = np.sqrt(people)
        n_resp = np.maximum(40, np.round(CITY_RESPONDENTS[year] * weight / weight.sum())).astype(int)
        for ind, levels in CITY_LEVELS.items():
            a0 = _calibrate(levels[year], uu, people, SLOPE[ind], WOMEN_MINUS_MEN[ind])
            for name, uv, n in zip(names, uu, n_resp, strict=True):
                eta = a0 + SLOPE[ind] * uv + float(r.normal(0, 0.08))
                gap = WOMEN_MINUS_MEN[ind]
                for kon, share, resp in _by_sex(r, int(n), float(expit(eta + gap / 2)), float(expit(eta - gap / 2))):
                    rows.append(["stadens trygghetsmätning", year, name, kon, ind, dec(share, 3), resp])
    return rows


def write_city_survey(rows: list[list], out: Path) -> None:
    header = ["kalla", "ar", "stadsdel", "kon", "indikator", "varde", "respondenter"]
    write_csv(out / "trygghetsmatning.csv", header, rows)


# -- lokalpolisområden and the police's survey ------------------------------------------

# The lokalpolisområden covering the city 2020–2024, by stadsdelsområde (the
# 14-area names, so that Älvsjö and Hägersten-Liljeholmen can go apart).
# Norrmalm, Södermalm, Järva and Vällingby and their areas are the police's;
# Globen, Skärholmen and Farsta within the city are this data set's assumption.
LPO_BY_SDO = {
    "Norrmalm": "Norrmalm",
    "Östermalm": "Norrmalm",
    "Kungsholmen": "Norrmalm",
    "Södermalm": "Södermalm",
    "Rinkeby-Kista": "Järva",
    "Spånga-Tensta": "Järva",
    "Hässelby-Vällingby": "Vällingby",
    "Bromma": "Vällingby",
    "Skärholmen": "Skärholmen",
    "Hägersten-Liljeholmen": "Skärholmen",
    "Enskede-Årsta-Vantör": "Globen",
    "Skarpnäck": "Globen",
    "Älvsjö": "Globen",
    "Farsta": "Farsta",
}
# From 2025 the city's part of Norrmalm is split into Norra innerstaden and
# Lidingö-Kungsholmen (Mitt i, 2024).
LPO_2025 = {"Norrmalm": "Norra innerstaden", "Östermalm": "Norra innerstaden", "Kungsholmen": "Lidingö-Kungsholmen"}
YEARS_POLICE_SURVEY = range(2020, 2026)
# 2022 only in Järva (and Huddinge, outside the city); every area the other years.
POLICE_ONLY_2022 = ("Järva",)
POLICE_LEVELS = {
    "otrygg_kvall": {2020: 0.25, 2021: 0.24, 2022: 0.23, 2023: 0.24, 2024: 0.23, 2025: 0.23},
    "oro_brott": {2020: 0.21, 2021: 0.20, 2022: 0.19, 2023: 0.20, 2024: 0.19, 2025: 0.19},
}
POLICE_SLOPE = {"otrygg_kvall": 0.55, "oro_brott": 0.45}
POLICE_GAP = {"otrygg_kvall": 0.95, "oro_brott": 0.35}
POLICE_RESPONDENTS = {2020: 16_000, 2021: 14_000, 2022: 1_300, 2023: 9_500, 2024: 13_000, 2025: 12_000}


def lpo_of(area, year: int) -> str:
    sdo = sdo_of(area, FOURTEEN)
    if year >= 2025 and sdo in LPO_2025:
        return LPO_2025[sdo]
    return LPO_BY_SDO[sdo]


def lpo_units(src: Source) -> list[str]:
    """Every lokalpolisområde of the survey, 2020–2024 ones first."""
    units: list[str] = []
    for year in (2024, 2025):
        for a in src.areas:
            name = lpo_of(a, year)
            if name not in units:
                units.append(name)
    return units


def crosswalk(src: Source, pop) -> list[list]:
    """lokalpolisområde → stadsdel with the stadsdel's share of the population (2023)."""
    rows = []
    for unit in lpo_units(src):
        members = [a.name for a in src.areas if unit in (lpo_of(a, 2024), lpo_of(a, 2025))]
        people = {n: pop[n][2023][0] for n in members}
        total = sum(people.values())
        shares = {n: round(v / total, 6) for n, v in people.items()}
        biggest = max(shares, key=lambda n: (shares[n], n))
        shares[biggest] = round(shares[biggest] + 1 - sum(shares.values()), 6)
        rows += [[unit, n, dec(shares[n], 6)] for n in members]
    return rows


def police_survey(src: Source, pop, u: dict[str, dict[int, float]]) -> list[list]:
    r = rng("polisens_trygghetsmatning")
    rows: list[list] = []
    for year in YEARS_POLICE_SURVEY:
        units: dict[str, list[str]] = {}
        for a in src.areas:
            units.setdefault(lpo_of(a, year), []).append(a.name)
        if year == 2022:
            units = {k: v for k, v in units.items() if k in POLICE_ONLY_2022}
        people = {k: np.array([pop[n][year][0] for n in v], dtype=float) for k, v in units.items()}
        uu = {k: np.array([u[n][year] for n in v]) for k, v in units.items()}
        size = {k: np.sqrt(people[k].sum()) for k in units}
        scale = POLICE_RESPONDENTS[year] / sum(size.values())
        # Calibrated on all the city's stadsdelar, whichever areas took part.
        all_people = np.array([pop[a.name][year][0] for a in src.areas], dtype=float)
        all_u = np.array([u[a.name][year] for a in src.areas])
        for unit in units:
            n = int(round(size[unit] * scale))
            w = people[unit]
            mean_u = float(np.sum(w * uu[unit]) / w.sum())
            index = 1.1 + 0.75 * mean_u + float(r.normal(0, 0.06))
            rows.append(
                ["polisens trygghetsmätning", year, unit, "alla", "problemindex", dec(min(6, max(0, index)), 2), n]
            )
            for ind, levels in POLICE_LEVELS.items():
                a0 = _calibrate(levels[year], all_u, all_people, POLICE_SLOPE[ind], POLICE_GAP[ind])
                gap = POLICE_GAP[ind]
                pk = float(np.sum(w * expit(a0 + POLICE_SLOPE[ind] * uu[unit] + gap / 2)) / w.sum())
                pm = float(np.sum(w * expit(a0 + POLICE_SLOPE[ind] * uu[unit] - gap / 2)) / w.sum())
                for kon, share, resp in _by_sex(r, n, pk, pm):
                    rows.append(["polisens trygghetsmätning", year, unit, kon, ind, dec(share, 3), resp])
    return rows


def write_police(survey_rows: list[list], walk_rows: list[list], out: Path) -> None:
    header = ["kalla", "ar", "lokalpolisomrade", "kon", "indikator", "varde", "respondenter"]
    write_csv(out / "polisens_trygghetsmatning.csv", header, survey_rows)
    write_csv(out / "lokalpolisomraden.csv", ["lokalpolisomrade", "stadsdel", "andel"], walk_rows)
