"""The RSA register (synthetic): each nämnd's and bolag's risks for 2023–2025,
rated for likelihood and for consequence per protected value, with a measure
and its status."""

from __future__ import annotations

from pathlib import Path

import shapely

from demo.areas import ELEVEN, NAMND
from demo.common import Source, rng, write_csv
from demo.routes import Route
from demo.water import FLOOD_LEVELS

YEARS_RSA = (2023, 2024, 2025)

# (risk, likelihood, consequence for (liv och hälsa, funktionalitet, miljö och
# egendom, grundläggande värden), description, measure, who: "sdn", "all",
# "malaren", "route" or a tuple of nämnder and bolag)
# fmt: off
RISKS = (
    ("Långvarigt elavbrott", 2, (3, 4, 2, 2),
     "Elavbrott i mer än ett dygn i {area} slår ut hissar, larm, värme och kommunikation i {verksamhet}.",
     "Reservkraft och kontinuitetsplan för de mest prioriterade verksamheterna", "all"),
    ("Störning i dricksvattenförsörjningen", 2, (3, 4, 1, 1),
     "Förorenat eller uteblivet dricksvatten påverkar {verksamhet}; nödvatten behöver delas ut.",
     "Plan för nödvattenutdelning och lista över prioriterade mottagare", "all"),
    ("IT-attack mot verksamhetssystem", 3, (2, 4, 2, 3),
     "Ett angrepp med utpressningsprogram stänger verksamhetssystemen för {verksamhet} i flera dagar.",
     "Övning i manuella rutiner och säkerhetskopior som hålls åtskilda", "all"),
    ("Pandemi och hög sjukfrånvaro", 2, (4, 4, 1, 2),
     "Smittspridning ger hög sjukfrånvaro bland personalen och ökad belastning på {verksamhet}.",
     "Bemanningsplan vid hög frånvaro och lager av skyddsutrustning", "all"),
    ("Värmebölja", 3, (3, 2, 1, 1),
     "Långvarig värme med över 30 grader påverkar äldre och sjuka i {verksamhet}.",
     "Värmeplan med svala rum och utökad tillsyn", "all"),
    ("Personalbrist i nyckelfunktioner", 3, (2, 3, 1, 2),
     "Svårt att bemanna nyckelfunktioner i {verksamhet} under sommar och vid kris.",
     "Kartläggning av nyckelfunktioner och ersättare", "all"),
    ("Avbrott i fjärrvärmeleveransen", 2, (2, 3, 2, 1),
     "Kallt inomhus i {verksamhet} vid avbrott i fjärrvärmen under vintern.",
     "Plan för evakuering till varma lokaler", "sdn"),
    ("Skyfall och översvämmade källare", 3, (1, 3, 3, 1),
     "Kraftiga skyfall svämmar över lågpunkter och källare i {area}.",
     "Skyfallskartering av verksamhetens lokaler och flytt av känslig utrustning", "sdn"),
    ("Brand i vård- och omsorgsboende", 2, (5, 3, 3, 1),
     "Brand i ett boende i {area} kräver utrymning av personer med nedsatt rörlighet.",
     "Utrymningsövning med nattpersonal på varje boende", "sdn"),
    ("Hot och våld mot personal", 4, (3, 2, 1, 3),
     "Hot och våld mot personal i {verksamhet}, främst i mötet med enskilda.",
     "Säkerhetsrutiner, larm och utbildning i konflikthantering", "sdn"),
    ("Social oro och upplopp", 2, (3, 3, 3, 3),
     "Social oro med bränder och stenkastning i {area} påverkar personal och verksamheter.",
     "Samverkan med polisen och lokala aktörer i en gemensam lägesbild", "sdn"),
    ("Skjutningar och sprängningar", 2, (4, 2, 3, 3),
     "Grovt våld i offentlig miljö i {area} skapar otrygghet och kräver samverkan med polisen.",
     "Krisstöd och platssamverkan med polisen och fastighetsägare", "sdn"),
    ("Störning i livsmedelsförsörjningen", 2, (2, 3, 1, 1),
     "Uteblivna leveranser till tillagningskök i {area} påverkar måltider i förskolor och boenden.",
     "Lager för tre dygn i tillagningskök", "sdn"),
    ("Högt vattenstånd i Mälaren", 2, (2, 4, 4, 1),
     "Högt vattenstånd i Mälaren sätter låglänt mark längs stränderna i {area} under vatten.",
     "Inventering av verksamheter under +2,7 m och plan för tillfälliga skydd", "malaren"),
    ("Olycka med farligt gods", 1, (5, 3, 4, 1),
     "Olycka med farligt gods på {route} med utsläpp nära bostäder, skolor och förskolor i {area}.",
     "Plan för inrymning och information till förskolor och skolor nära lederna", "route"),
    ("Trafikolycka med många skadade", 2, (4, 3, 2, 1),
     "Trafikolycka med många skadade i vägnätet; framkomligheten för blåljus påverkas.",
     "Samordnad trafikomledning med räddningstjänsten", ("Trafiknämnden",)),
    ("Ras eller skred vid vägar och kajer", 1, (3, 3, 4, 1),
     "Ras eller skred vid kajer och slänter som ger avstängda vägar och skadade ledningar.",
     "Stabilitetsutredning av utsatta kajer", ("Trafiknämnden", "Exploateringsnämnden")),
    ("Bebyggelse i riskområden", 2, (3, 2, 4, 2),
     "Ny bebyggelse planeras nära farligt gods-leder och under Mälarens +2,7 m-nivå.",
     "Riskutredning i varje detaljplan inom 150 m från leder och under +2,7 m", ("Stadsbyggnadsnämnden",)),
    ("Kemikalieolycka i verksamhet", 1, (4, 2, 4, 1),
     "Utsläpp av kemikalier från en tillståndspliktig verksamhet kräver inomhusvarning.",
     "Tillsynsplan för verksamheter med farliga ämnen", ("Miljö- och hälsoskyddsnämnden",)),
    ("Smittspridning via livsmedel", 2, (3, 2, 1, 1),
     "Livsmedelsburen smitta från en storköksverksamhet sprids till många.",
     "Riktad kontroll av storkök", ("Miljö- och hälsoskyddsnämnden",)),
    ("Bortfall av hemtjänst vid snöoväder", 2, (4, 3, 1, 1),
     "Snöoväder stoppar hemtjänstens resor till äldre som bor hemma.",
     "Prioriteringslista över brukare och samverkan med snöröjningen", ("Äldrenämnden",)),
    ("Hemlösa i kyla", 3, (4, 2, 1, 2),
     "Sträng kyla kräver fler akuta sovplatser för hemlösa.",
     "Avtal om extra sovplatser vid kyla", ("Socialnämnden",)),
    ("Hot mot skolor", 2, (3, 3, 1, 3),
     "Hot om våld mot en skola kräver utrymning och krisstöd till elever och personal.",
     "Rutin för hot mot skolor och övning av inrymning", ("Utbildningsnämnden",)),
    ("Brand i skolbyggnad", 2, (3, 3, 4, 1),
     "Anlagd brand i en skolbyggnad slår ut undervisningslokaler under lång tid.",
     "Kameraövervakning och brandlarm med larmöverföring", ("Utbildningsnämnden", "Skolfastigheter i Stockholm AB")),
    ("Haveri i fastighetstekniska system", 2, (2, 3, 3, 1),
     "Haveri i ventilation, värme eller passersystem i stadens fastigheter.",
     "Underhållsplan och reservdelslager för kritiska system", ("Fastighetsnämnden", "Servicenämnden")),
    ("Störning i stadens växel och e-tjänster", 2, (1, 3, 1, 2),
     "Avbrott i stadens växel och e-tjänster gör det svårt för invånare att nå staden.",
     "Reservväg för växeln och information via andra kanaler", ("Servicenämnden",)),
    ("Evenemang med trängsel", 2, (4, 2, 2, 1),
     "Trängsel vid stora evenemang och idrottsarrangemang med risk för skador.",
     "Säkerhetsplan för evenemang med fler än 5 000 besökare", ("Idrottsnämnden", "Kulturnämnden")),
    ("Skada på kulturarv vid brand", 1, (1, 2, 5, 3),
     "Brand eller vattenskada i arkiv, bibliotek och kulturhistoriska byggnader.",
     "Räddningsplan för kulturföremål", ("Kulturnämnden",)),
    ("Översvämning av tunnlar och lågpunkter", 2, (3, 4, 3, 1),
     "Skyfall eller högt vattenstånd stänger tunnlar och lågpunkter i vägnätet.",
     "Pumpkapacitet och avstängningsrutin för lågpunkter", ("Trafiknämnden",)),
    ("Avbrott i avloppsreningen", 1, (3, 4, 5, 1),
     "Ett haveri i reningsverket ger bräddning av orenat avloppsvatten till Mälaren och Saltsjön.",
     "Redundans i pumpstationer och larm vid bräddning", ("Stockholm Vatten och Avfall AB",)),
    ("Brand i flerbostadshus", 2, (4, 2, 4, 1),
     "Brand i ett flerbostadshus med många hushåll som behöver evakueringsboende.",
     "Brandskyddskontroller och information till hyresgäster", ("AB Familjebostäder", "AB Stockholmshem", "AB Svenska Bostäder")),
    ("Inbrott och skadegörelse i fastigheter", 3, (1, 2, 3, 1),
     "Inbrott och skadegörelse i förråd, källare och lokaler.",
     "Skalskydd och bättre belysning", ("AB Familjebostäder", "AB Stockholmshem", "AB Svenska Bostäder", "Skolfastigheter i Stockholm AB")),
)
# fmt: on
FACKNAMNDER = (
    "Trafiknämnden",
    "Miljö- och hälsoskyddsnämnden",
    "Socialnämnden",
    "Utbildningsnämnden",
    "Äldrenämnden",
    "Fastighetsnämnden",
    "Exploateringsnämnden",
    "Stadsbyggnadsnämnden",
    "Kulturnämnden",
    "Idrottsnämnden",
    "Servicenämnden",
)
BOLAG = (
    "Stockholm Vatten och Avfall AB",
    "AB Familjebostäder",
    "AB Stockholmshem",
    "AB Svenska Bostäder",
    "Skolfastigheter i Stockholm AB",
)
VERKSAMHET = {
    "Trafiknämnden": "trafikstyrning och gatudrift",
    "Miljö- och hälsoskyddsnämnden": "tillsyn och miljöövervakning",
    "Socialnämnden": "socialtjänstens boenden och jourverksamhet",
    "Utbildningsnämnden": "skolor och förskolor",
    "Äldrenämnden": "äldreomsorgen",
    "Fastighetsnämnden": "stadens fastigheter",
    "Exploateringsnämnden": "pågående byggprojekt",
    "Stadsbyggnadsnämnden": "planering och bygglov",
    "Kulturnämnden": "bibliotek och kulturhus",
    "Idrottsnämnden": "idrottsanläggningar och badhus",
    "Servicenämnden": "stadens kontaktcenter och IT-drift",
    "Stockholm Vatten och Avfall AB": "vatten, avlopp och avfall",
    "AB Familjebostäder": "bostadsbeståndet",
    "AB Stockholmshem": "bostadsbeståndet",
    "AB Svenska Bostäder": "bostadsbeståndet",
    "Skolfastigheter i Stockholm AB": "skolfastigheterna",
}
STATUSES = ("planerad", "pågår", "genomförd")


def risks(src: Source, rs: list[Route], zones_3011: dict[float, shapely.Geometry]) -> list[list]:
    """Each nämnd's and bolag's register for 2023–2025.

    A risk keeps its ratings from year to year (a step of noise in the first
    year); its measure moves from planerad to pågår to genomförd, and the
    year after it is genomförd the likelihood drops a step.
    """
    r = rng("risker")
    flood = zones_3011[max(FLOOD_LEVELS)]
    entries: list[tuple[str, tuple, str]] = []  # (nämnd, risk, description)

    def step(v: int) -> int:
        return int(min(5, max(1, v + int(r.choice([-1, 0, 0, 0, 1])))))

    for sdo, namnd in sorted(NAMND[ELEVEN].items()):
        whole = shapely.union_all([a.whole for a in src.areas if a.sdo == sdo])
        crossing = sorted({x.name for x in rs if x.klass == "primär" and x.line.intersects(whole)})
        flooded = flood.intersects(whole)
        for risk in RISKS:
            who = risk[5]
            if isinstance(who, tuple) or (who == "malaren" and not flooded) or (who == "route" and not crossing):
                continue
            if who in ("all", "sdn") and r.random() < 0.45:
                continue  # not every nämnd has judged every risk significant
            text = risk[3].format(
                area=sdo, verksamhet="stadsdelsnämndens verksamheter", route=" och ".join(crossing[:2])
            )
            entries.append((namnd, risk, text))
    for namnd in FACKNAMNDER + BOLAG:
        for risk in RISKS:
            who = risk[5]
            if who == "all" or (isinstance(who, tuple) and namnd in who):
                if who == "all" and r.random() < 0.55:
                    continue
                entries.append((namnd, risk, risk[3].format(area="staden", verksamhet=VERKSAMHET[namnd], route="")))
    rows: list[list] = []
    for namnd, (name, p, cons, _, measure, _), text in entries:
        p0, c0 = step(p), [step(c) for c in cons]
        status = int(r.choice(2))  # planerad or pågår in 2023
        for year in YEARS_RSA:
            rows.append([year, namnd, name, text, p0, *c0, measure, STATUSES[status]])
            if status == 2:
                p0 = max(1, p0 - 1) if r.random() < 0.7 else p0
            elif r.random() < 0.55:
                status += 1
    rows.sort(key=lambda row: (row[0], row[1], row[2]))
    return [[f"RSA-{i:04d}", *row] for i, row in enumerate(rows, 1)]


def write_risks(rows: list[list], out: Path) -> None:
    header = [
        "risk_id",
        "ar",
        "namnd",
        "risk",
        "beskrivning",
        "sannolikhet",
        "konsekvens_liv_halsa",
        "konsekvens_funktionalitet",
        "konsekvens_miljo_egendom",
        "konsekvens_grundlaggande_varden",
        "atgard",
        "atgard_status",
    ]
    write_csv(out / "risker.csv", header, rows)
