"""The report's words, in Swedish (the default) and English.

Every rule a planner reads here is the programme's (*Trygghets- och
säkerhetsprogram för Stockholms stad 2018–2021*, in
``../shared/reference/``) or the city file's, and a figure that is neither
is called an assumption where it is used.

Examples
--------
>>> from lagesbild.report.text import words
>>> words("sv").nulage, words("en").nulage
('Nulägesbeskrivning', 'Nulägesbeskrivning (current state)')
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LANGS", "Words", "words"]

#: The languages of the report.
LANGS = ("sv", "en")

_PROGRAMME_SV = "Trygghets- och säkerhetsprogram för Stockholms stad 2018–2021"


@dataclass(frozen=True)
class Words:
    """The fixed texts of one language (format fields in braces)."""

    lang: str
    report: str
    city_page: str
    namnd_page: str
    contents: str
    year_line: str
    open_mode: str
    internal_mode: str
    programme: str
    nulage: str
    nulage_intro: str
    orsak: str
    orsak_intro: str
    foljder: str
    foljder_intro: str
    key_figures: str
    land_area: str
    flooded_share_at: str
    residents_at: str
    route_length_class: str
    flood_section: str
    flood_caption: str
    band: str
    flooded_land: str
    share_of_land: str
    residents_est: str
    residents_note: str
    route_section: str
    route_caption: str
    zone_caption: str
    route_class: str
    length: str
    zone: str
    zone_land: str
    zones_assumption: str
    tunnels_note: str
    facilities_section: str
    facilities_caption: str
    category: str
    facilities_protected_note: str
    compare_section: str
    compare_caption: str
    area_col: str
    city_whole: str
    higher_than_city: str
    lower_than_city: str
    same_as_city: str
    highest_neighbour: str
    no_flooding: str
    carriers_section: str
    carriers_caption: str
    carriers_none: str
    name: str
    lowest_level: str
    distance: str
    note: str
    capacity: str
    covariation: str
    analyst_section: str
    analyst_awaits: str
    affected_section: str
    affected_caption: str
    affected_what: str
    consequence_flood: str
    consequence_route: str
    consequence_facilities: str
    consequence_in_zone: str
    few: str
    persons: str
    and_: str
    affected_route_caption: str
    unit: str
    coordination_section: str
    shared_hazards_caption: str
    own_side: str
    neighbour_side: str
    neighbour: str
    hazard: str
    no_shared_hazards: str
    neighbours_caption: str
    shared_boundary: str
    actors_caption: str
    actor: str
    actor_type: str
    actor_cover: str
    share_of_area: str
    areas_section: str
    areas_caption: str
    areas_routes_caption: str
    share_short: str
    residents_short: str
    provenance: str
    provenance_intro: str
    version: str
    parameters: str
    inputs: str
    file: str
    size_bytes: str
    configuration: str
    not_in_report: str
    nothing_to_show: str
    no_population: str
    pages: str
    stadsdelsomrade: str
    namnd: str
    period_line: str
    period_only: str
    theme: str
    count: str
    per_1000: str
    incidents_section: str
    incidents_caption: str
    rate_note: str
    source: str
    change_per_year: str
    interval_lo: str
    interval_hi: str
    lo_short: str
    level_short: str
    distance_short: str
    per_1000_short: str
    hi_short: str
    change_since: str
    points: str
    beyond_noise_short: str
    direction: str
    projected: str
    trend_section: str
    trend_caption: str
    no_trend_data: str
    rising: str
    falling: str
    no_clear_trend: str
    trend_sentence: str
    per_year: str
    trend_note: str
    survey_section: str
    survey_moved_section: str
    survey_none_moved: str
    indicator: str
    kon: str
    survey_year: str
    value: str
    previous_survey: str
    change: str
    beyond_noise: str
    survey_moved_caption: str
    survey_caption: str
    yes: str
    no: str
    survey_note: str
    facknamnd_intro: str
    incidents_by_activity: str
    by_activity_caption: str
    activity: str
    all_activities: str
    map_section: str
    map_needs_extra: str
    map_alt: str
    map_caption: str
    map_alt_hot: str
    map_table_caption: str
    map_nr: str
    map_stadsdel: str
    map_exposed_to: str
    map_table_none: str
    map_protected_note: str
    map_internal_note: str
    hotspot_section: str
    hotspot_caption: str
    hot_cells: str
    cells_touching: str
    hotspot_sentence: str
    hotspot_none: str
    hot_cells_legend: str
    hotspot_legend_title: str
    hotspot_note: str
    near_caption: str
    sector: str
    facilities_near: str
    near_protected_note: str
    rsa_section: str
    rsa_caption: str
    rsa_likelihood: str
    rsa_consequence: str
    rsa_note: str
    rsa_none: str
    rsa_values: dict


_SV = Words(
    lang="sv",
    report="Lägesbild {year}",
    city_page="Lägesbild {year} – {city}, hela staden",
    namnd_page="Lägesbild {year} – {namnd}",
    contents="Innehåll",
    year_line="Rapportår {year}; områdesindelningen som gäller den 31 december {year}.",
    open_mode="Öppen version: små antal redovisas enligt stadens regel och skyddsklassade anläggningar visas inte.",
    internal_mode="INTERN VERSION: inga värden är dolda och skyddsklassade anläggningar visas. Får inte publiceras.",
    programme=(
        "Enligt " + _PROGRAMME_SV + " ska nämnder och bolag upprätthålla lägesbilder om olyckor och brott "
        "med en nulägesbeskrivning, en analys av orsak till nuläget och en bedömning av sannolika följder, "
        "och rapportera dem till kommunstyrelsen i samband med tertialrapport 2. Stadsdelsnämnderna gör det "
        "för sitt geografiska område och använder lägesbilden för samordning med andra aktörer där."
    ),
    nulage="Nulägesbeskrivning",
    nulage_intro="Läget i området enligt stadens data.",
    orsak="Analys av orsak",
    orsak_intro=(
        "Vad data kan säga om varför läget är som det är: jämförelser och samvariation, inte bevisade orsaker. "
        "Nämndens egen analys, från samverkan med polisen och lokala aktörer, står intill."
    ),
    foljder="Bedömning av sannolika följder",
    foljder_intro="Vilka som berörs om riskerna inträffar, och vilka nämnden behöver samordna med.",
    key_figures="Nyckeltal",
    land_area="Landyta (utan vatten)",
    flooded_share_at="Andel av landytan under {band} ({hazard})",
    residents_at="Boende under {band} ({hazard}), skattning",
    route_length_class="{hazard}: klass {category}, utanför tunnlar",
    flood_section="Översvämning: {hazard}",
    flood_caption="Mark och boende under varje nivå, {hazard} (nivåerna är kumulativa: {highest} rymmer de lägre)",
    band="Nivå",
    flooded_land="Översvämmad landyta",
    share_of_land="Andel av landytan",
    residents_est="Boende (skattning)",
    residents_note=(
        "Boende är en skattning genom arealviktning: stadsdelens folkmängd ({year}) gånger andelen av dess "
        "landyta i zonen. Den förutsätter att de boende är jämnt spridda över stadsdelens mark."
    ),
    route_section="{hazard}",
    route_caption="Längd per klass, {hazard} (sträckor i tunnel ingår inte)",
    zone_caption="Mark och boende i varje zon av riskhanteringsavståndet, {hazard}",
    route_class="Klass",
    length="Längd",
    zone="Zon",
    zone_land="Landyta i zonen",
    zones_assumption=(
        "Riskhanteringsavståndet är {distance} m. Zonernas yttre gränser ({edges} m) är ett antagande i "
        "stadens konfiguration, inte en uppgift ur riktlinjerna."
    ),
    tunnels_note="Sträckor i tunnel räknas inte: de flesta farliga godsslag får inte köras där.",
    facilities_section="Samhällsviktig verksamhet i zonerna",
    facilities_caption="Antal samhällsviktiga verksamheter per kategori i varje zon",
    category="Kategori",
    facilities_protected_note=(
        "Skyddsklassade anläggningar (el, tele, vatten) räknas med i antalen men namnges inte i den öppna versionen."
    ),
    compare_section="Jämförelse med staden och grannområdena",
    compare_caption="Andel av landytan under varje nivå, {hazard}: området, staden och grannområdena",
    area_col="Område",
    city_whole="Hela staden",
    higher_than_city="Andelen av landytan under {band} är {own} i {area}, högre än i staden som helhet ({city}).",
    lower_than_city="Andelen av landytan under {band} är {own} i {area}, lägre än i staden som helhet ({city}).",
    same_as_city="Andelen av landytan under {band} är {own} i {area}, som i staden som helhet ({city}).",
    highest_neighbour="Bland grannområdena har {neighbour} störst andel ({value}).",
    no_flooding="Ingen mark i {area} ligger under {band} enligt {hazard}.",
    carriers_section="Verksamheter som bär exponeringen",
    carriers_caption="Samhällsviktiga verksamheter i en översvämningszon eller inom riskhanteringsavståndet",
    carriers_none="Ingen samhällsviktig verksamhet i området ligger i en översvämningszon eller nära en led.",
    name="Namn",
    lowest_level="Lägsta nivå som når den",
    distance="Avstånd till led",
    note="Riktlinjerna",
    capacity="Kapacitet",
    covariation=(
        "Uppgifterna visar var riskerna och verksamheterna sammanfaller, inte varför. Jämförelser med staden "
        "och grannområdena beskriver skillnader, inte orsaker."
    ),
    analyst_section="Nämndens analys",
    analyst_awaits=(
        "Inväntar nämndens underlag: ingen text för {namnd} är angiven i avsnittet [report] i stadens "
        "konfiguration (texts)."
    ),
    affected_section="Berörda vid varje nivå och zon",
    affected_caption="Kapacitet hos verksamheter under varje nivå, {hazard} (i kategorins egen enhet)",
    affected_what="Berörda",
    consequence_flood=(
        "Om vattnet når {band} ({hazard}) ligger uppskattningsvis {residents} boende under nivån i området"
    ),
    consequence_route="Inom riskhanteringsavståndet ({hazard}) bor uppskattningsvis",
    consequence_facilities="; där finns också verksamheter med",
    consequence_in_zone="i zon {zone}",
    few="ett antal som inte redovisas",
    persons="personer",
    and_="och",
    affected_route_caption="Kapacitet hos verksamheter i varje zon, {hazard} (i kategorins egen enhet)",
    unit="Enhet",
    coordination_section="Samordning: grannar och aktörer",
    shared_hazards_caption="Risker som korsar gränsen mot grannområden",
    own_side="Egen sida",
    neighbour_side="Grannens sida",
    neighbour="Grannområde",
    hazard="Risk",
    no_shared_hazards="Inga risker korsar gränsen mot grannområdena.",
    neighbours_caption="Grannområden och gemensam gräns",
    shared_boundary="Gemensam gräns",
    actors_caption="Aktörer vars ansvarsområden täcker området",
    actor="Aktör",
    actor_type="Typ",
    actor_cover="Täcker",
    share_of_area="Andel av området",
    areas_section="Stadsdelsområdena jämförda",
    areas_caption="Landyta och översvämning per stadsdelsområde",
    areas_routes_caption="Leder för farligt gods per stadsdelsområde och klass, utanför tunnlar",
    share_short="Andel under",
    residents_short="Boende under",
    provenance="Underlag och reproducerbarhet",
    provenance_intro=(
        "Rapporten är byggd av lagesbild {version} ur filerna nedan; samma filer och parametrar ger samma "
        "rapport, byte för byte."
    ),
    version="Version",
    parameters="Parametrar",
    inputs="Indata",
    file="Fil",
    size_bytes="Storlek (byte)",
    configuration="Konfiguration",
    not_in_report="Ingår inte i denna rapport",
    nothing_to_show="Inga uppgifter.",
    no_population="Stadens konfiguration anger ingen befolkningstabell ([population]): boende skattas inte.",
    pages="Sidor",
    stadsdelsomrade="Stadsdelsområde",
    namnd="Nämnd",
    period_line="Perioden: {start} – {end}; tidigare år jämförs över samma månader.",
    period_only="Perioden: {start} – {end}.",
    theme="Tema",
    count="Antal",
    per_1000="Per 1 000 invånare",
    incidents_section="Händelser och anmälda brott",
    incidents_caption="Händelser per tema, {source}",
    rate_note=(
        "Per 1 000 invånare: antalet delat med områdets folkmängd; inget tal för områden med färre invånare "
        "än gränsen i stadens konfiguration ([population] min_for_rates)."
    ),
    source="Källa",
    change_per_year="Förändring per år",
    interval_lo="Intervall, från",
    interval_hi="Intervall, till",
    lo_short="Från",
    level_short="Nivå",
    distance_short="Avstånd",
    per_1000_short="Per 1 000 inv.",
    hi_short="Till",
    change_since="Förändring sedan {year}",
    points="procentenheter för andelar",
    beyond_noise_short="Utöver slump",
    direction="Riktning",
    projected="Framskrivet",
    trend_section="Trenden framskriven",
    trend_caption="Förändring per år av takten per 1 000 invånare, och takten framskriven ett och två år",
    no_trend_data="för få perioder för en trend",
    rising="ökar",
    falling="minskar",
    no_clear_trend="ingen tydlig trend",
    trend_sentence="{theme} enligt {source}, {first}–{last}:",
    per_year="per år",
    trend_note=(
        "Förändring per år: en Poissonregression av antalen över årens jämförbara perioder med folkmängden "
        "som exponering (kvasi-Poisson där antalen varierar mer än slumpen ger), med 95 % "
        "konfidensintervall. Framskrivningen är årets takt gånger (1 + förändringen per år) upphöjt till "
        "antalet år: den förutsätter att förändringen fortsätter som hittills och säger inget om orsaker."
    ),
    survey_section="Trygghetsmätningar",
    survey_moved_section="Indikatorer som förändrats utöver slumpvariation",
    survey_none_moved=(
        "Ingen indikator i den senaste mätningen har förändrats utöver slumpvariation sedan föregående mätning."
    ),
    indicator="Indikator",
    kon="Kön",
    survey_year="Mätår",
    value="Värde",
    previous_survey="Föregående mätning",
    change="Förändring (procentenheter)",
    beyond_noise="Utöver slumpvariation",
    survey_moved_caption="Indikatorer vars förändring sedan föregående mätning är större än slumpvariationen",
    survey_caption="Senaste trygghetsmätningen per kön, med 95 % intervall och förändring sedan föregående mätning",
    yes="ja",
    no="nej",
    survey_note=(
        "Andelar med 95 % intervall (Wilson för en stadsdel; stratifierat och viktat med folkmängd för "
        "områden av flera). ”Utöver slumpvariation” betyder att förändringens intervall inte rymmer noll. "
        "Andelar från färre svarande än gränsen ([surveys] min_respondents) redovisas inte."
    ),
    facknamnd_intro="Nämndens rapporterade händelser i stadens händelsehanteringssystem, per verksamhet.",
    incidents_by_activity="Händelser per verksamhet",
    by_activity_caption="{theme}: händelser per verksamhet",
    activity="Verksamhet",
    all_activities="Alla verksamheter",
    map_section="Riskkarta",
    map_needs_extra=(
        "Riskkartan ritas med tillägget lagesbild[maps] (pip install 'lagesbild[maps]'), som inte är installerat."
    ),
    map_alt=(
        "Karta över {area} med grannområdena i grått: översvämningszoner {floods}; {routes}; {n} "
        "samhällsviktiga verksamheter i zonerna, numrerade mot tabellen under kartan."
    ),
    map_caption="Riskkarta för {area}: översvämningszoner, leder för farligt gods med zoner och utsatta verksamheter.",
    map_table_caption="Samhällsviktig verksamhet i riskområde, numrerad som på kartan",
    map_nr="Nr",
    map_stadsdel="Stadsdel",
    map_exposed_to="Utsatt för",
    map_table_none="Ingen samhällsviktig verksamhet ligger i en översvämningszon eller en zon längs farligt gods.",
    map_protected_note=(
        "Skyddsvärda anläggningar i riskområde, som kartan och tabellen inte visar, per stadsdel: {parts}."
    ),
    map_internal_note="Intern version: skyddsvärda anläggningar ingår i listan.",
    hotspot_section="Var händelserna samlas och vad som finns nära",
    hotspot_caption="Signifikanta heta celler ({cell} × {cell} m) i området per tema",
    hot_cells="Heta celler",
    cells_touching="Celler som når {hazard}",
    hotspot_sentence=(
        "{theme}: {n} celler om {cell} × {cell} m i området har signifikant fler händelser än väntat "
        "(Gi*, falsk upptäcktsrisk {alpha} %)."
    ),
    hotspot_none="{theme}: ingen cell i området har signifikant fler händelser än väntat.",
    hot_cells_legend="Signifikant fler händelser än väntat, något tema",
    map_alt_hot=(
        "Rutor om 100 × 100 m med signifikant fler händelser än väntat (något tema) är röda; avsnittet Var "
        "händelserna samlas ger dem i siffror."
    ),
    hotspot_legend_title="Heta celler (Gi*, 100 m)",
    hotspot_note=(
        "Heta celler enligt Getis–Ord Gi* på ett rutnät av landceller med korrigering för falsk upptäcktsrisk "
        "(Benjamini–Hochberg); en cell hör till det område som rymmer dess mittpunkt. Att en cell når en zon "
        "eller att en verksamhet ligger nära betyder samvariation, inte att zonen eller verksamheten orsakar "
        "händelserna."
    ),
    near_caption=(
        "Samhällsviktiga verksamheter inom {near} m från en het cell, per sektor (varje verksamhet räknas en gång; "
        "{near} m är ett antagande)"
    ),
    sector="Sektor",
    facilities_near="Verksamheter nära",
    near_protected_note=(
        "Skyddsklassade anläggningar (el, tele, vatten) räknas inte här i den öppna versionen: antalet nära en "
        "enskild cell skulle visa var de ligger."
    ),
    rsa_section="Risk- och sårbarhetsanalys (RSA)",
    rsa_caption="RSA-riskmatris för {value}, alla nämnder: antal risker per sannolikhet och konsekvens",
    rsa_likelihood="Sannolikhet",
    rsa_consequence="Konsekvens {n}",
    rsa_note=(
        "Nämndernas och bolagens senaste riskregister till och med {year} ([rsa] i stadens konfiguration), "
        "skala 1–{scale}; varje risk bedöms mot varje skyddsvärde. I den öppna versionen redovisas bara antal."
    ),
    rsa_none="Stadens RSA-register ([rsa]) har inga riskbedömningar från {year} eller tidigare.",
    rsa_values={
        "liv_och_halsa": "liv och hälsa",
        "funktionalitet": "samhällets funktionalitet",
        "miljo_och_egendom": "miljö och egendom",
        "grundlaggande_varden": "grundläggande värden",
    },
)

_EN = Words(
    lang="en",
    report="Lägesbild {year} (annual situation report)",
    city_page="Lägesbild {year} – {city}, the whole city",
    namnd_page="Lägesbild {year} – {namnd}",
    contents="Contents",
    year_line="Report year {year}; the areas as organised on 31 December {year}.",
    open_mode="Open version: small counts follow the city's rule and protected facilities are not shown.",
    internal_mode="INTERNAL VERSION: no values are hidden and protected facilities are shown. Not for publication.",
    programme=(
        "Under the City of Stockholm's safety and security programme 2018–2021 every nämnd and company keeps "
        "lägesbilder on accidents and on crime — a description of the current state (nulägesbeskrivning), an "
        "analysis of its causes (analys av orsak) and an assessment of likely consequences (bedömning av "
        "sannolika följder) — and reports them to the city executive board with tertialrapport 2. The "
        "stadsdelsnämnder do so for their geographic area and use them to coordinate the actors there."
    ),
    nulage="Nulägesbeskrivning (current state)",
    nulage_intro="The area as the city's data describe it.",
    orsak="Analys av orsak (causes)",
    orsak_intro=(
        "What the data can say about why: comparisons and covariation, not proven causes. The nämnd's own "
        "analysis, from its work with the police and local partners, stands beside it."
    ),
    foljder="Bedömning av sannolika följder (likely consequences)",
    foljder_intro="Who is affected if the risks occur, and whom the nämnd must coordinate with.",
    key_figures="Key figures",
    land_area="Land area (without water)",
    flooded_share_at="Share of the land below {band} ({hazard})",
    residents_at="Residents below {band} ({hazard}), estimate",
    route_length_class="{hazard}: class {category}, outside tunnels",
    flood_section="Flooding: {hazard}",
    flood_caption=(
        "Land and residents below each level, {hazard} (the levels are cumulative: {highest} holds the lower)"
    ),
    band="Level",
    flooded_land="Flooded land",
    share_of_land="Share of the land",
    residents_est="Residents (estimate)",
    residents_note=(
        "Residents are an estimate by area weighting: the stadsdel's population ({year}) times the share of "
        "its land in the zone. It assumes residents spread evenly over the stadsdel's land."
    ),
    route_section="{hazard}",
    route_caption="Length per class, {hazard} (tunnel stretches left out)",
    zone_caption="Land and residents in each zone of the risk-handling distance, {hazard}",
    route_class="Class",
    length="Length",
    zone="Zone",
    zone_land="Land in the zone",
    zones_assumption=(
        "The risk-handling distance is {distance} m. The zones' outer edges ({edges} m) are an assumption of "
        "the city's configuration, not a figure from the guidance."
    ),
    tunnels_note="Tunnel stretches are not counted: most dangerous goods may not use them.",
    facilities_section="Critical facilities in the zones",
    facilities_caption="Critical facilities per category in each zone",
    category="Category",
    facilities_protected_note=(
        "Protected facilities (electricity, telecom, water) are counted but not named in the open version."
    ),
    compare_section="Compared with the city and the neighbouring areas",
    compare_caption="Share of the land below each level, {hazard}: the area, the city and the neighbours",
    area_col="Area",
    city_whole="Whole city",
    higher_than_city=(
        "The share of the land below {band} is {own} in {area}, higher than in the city as a whole ({city})."
    ),
    lower_than_city=(
        "The share of the land below {band} is {own} in {area}, lower than in the city as a whole ({city})."
    ),
    same_as_city="The share of the land below {band} is {own} in {area}, as in the city as a whole ({city}).",
    highest_neighbour="Among the neighbouring areas, {neighbour} has the largest share ({value}).",
    no_flooding="No land in {area} lies below {band} according to {hazard}.",
    carriers_section="Facilities that carry the exposure",
    carriers_caption="Critical facilities in a flood zone or within the risk-handling distance",
    carriers_none="No critical facility in the area lies in a flood zone or near a route.",
    name="Name",
    lowest_level="Lowest level reaching it",
    distance="Distance to route",
    note="Guidance",
    capacity="Capacity",
    covariation=(
        "The data show where hazards and facilities coincide, not why. Comparisons with the city and the "
        "neighbours describe differences, not causes."
    ),
    analyst_section="The nämnd's analysis",
    analyst_awaits=(
        "Awaiting the nämnd's input: no text for {namnd} is named in the [report] section of the city's "
        "configuration (texts)."
    ),
    affected_section="Affected at each level and zone",
    affected_caption="Capacity of the facilities below each level, {hazard} (in the category's own unit)",
    affected_what="Affected",
    consequence_flood=(
        "If the water reaches {band} ({hazard}), an estimated {residents} residents of the area live below it"
    ),
    consequence_route="Within the risk-handling distance ({hazard}) live an estimated",
    consequence_facilities="; there are also facilities with",
    consequence_in_zone="in zone {zone}",
    few="a number not shown",
    persons="people",
    and_="and",
    affected_route_caption="Capacity of the facilities in each zone, {hazard} (in the category's own unit)",
    unit="Unit",
    coordination_section="Coordination: neighbours and actors",
    shared_hazards_caption="Hazards that cross the boundary with neighbouring areas",
    own_side="This side",
    neighbour_side="Neighbour's side",
    neighbour="Neighbouring area",
    hazard="Hazard",
    no_shared_hazards="No hazard crosses the boundary with the neighbouring areas.",
    neighbours_caption="Neighbouring areas and shared boundary",
    shared_boundary="Shared boundary",
    actors_caption="Actors whose areas of responsibility cover the area",
    actor="Actor",
    actor_type="Type",
    actor_cover="Covers",
    share_of_area="Share of the area",
    areas_section="The stadsdelsområden compared",
    areas_caption="Land and flooding per stadsdelsområde",
    areas_routes_caption="Dangerous-goods routes per stadsdelsområde and class, outside tunnels",
    share_short="Share below",
    residents_short="Residents below",
    provenance="Sources and reproducibility",
    provenance_intro=(
        "This report was built by lagesbild {version} from the files below; the same files and parameters give "
        "the same report, byte for byte."
    ),
    version="Version",
    parameters="Parameters",
    inputs="Inputs",
    file="File",
    size_bytes="Size (bytes)",
    configuration="Configuration",
    not_in_report="Not in this report",
    nothing_to_show="No data.",
    no_population="The city's configuration names no population table ([population]): residents are not estimated.",
    pages="Pages",
    stadsdelsomrade="Stadsdelsområde",
    namnd="Nämnd",
    period_line="The period: {start} – {end}; earlier years are compared over the same months.",
    period_only="The period: {start} – {end}.",
    theme="Theme",
    count="Count",
    per_1000="Per 1,000 residents",
    incidents_section="Incidents and reported crime",
    incidents_caption="Incidents per theme, {source}",
    rate_note=(
        "Per 1,000 residents: the count divided by the area's population; none for areas with fewer "
        "residents than the limit in the city's configuration ([population] min_for_rates)."
    ),
    source="Source",
    change_per_year="Change per year",
    interval_lo="Interval, from",
    interval_hi="Interval, to",
    lo_short="From",
    level_short="Level",
    distance_short="Distance",
    per_1000_short="Per 1,000 res.",
    hi_short="To",
    change_since="Change since {year}",
    points="percentage points for shares",
    beyond_noise_short="Beyond noise",
    direction="Direction",
    projected="Projected",
    trend_section="The trend carried forward",
    trend_caption="Yearly change of the rate per 1,000 residents, and the rate carried one and two years on",
    no_trend_data="too few periods for a trend",
    rising="rising",
    falling="falling",
    no_clear_trend="no clear trend",
    trend_sentence="{theme} by {source}, {first}–{last}:",
    per_year="a year",
    trend_note=(
        "Change per year: a Poisson regression of the counts over the years' like periods with the "
        "population as exposure (quasi-Poisson where the counts vary more than chance), with a 95% "
        "confidence interval. The projection is this year's rate times (1 + the yearly change) to the power "
        "of the years: it assumes the change goes on as before and says nothing about causes."
    ),
    survey_section="Safety surveys",
    survey_moved_section="Indicators that moved beyond sampling noise",
    survey_none_moved="No indicator of the latest survey moved beyond sampling noise since the survey before.",
    indicator="Indicator",
    kon="Kön (gender)",
    survey_year="Survey year",
    value="Value",
    previous_survey="Previous survey",
    change="Change (percentage points)",
    beyond_noise="Beyond noise",
    survey_moved_caption="Indicators whose change since the previous survey exceeds sampling noise",
    survey_caption="The latest safety survey by kön, with 95% intervals and the change since the previous survey",
    yes="yes",
    no="no",
    survey_note=(
        "Shares with 95% intervals (Wilson for one stadsdel; stratified and weighted by population for areas "
        "of several). “Beyond noise” means the change's interval excludes zero. Shares from fewer "
        "respondents than the limit ([surveys] min_respondents) are not shown."
    ),
    facknamnd_intro="The nämnd's incidents reported in the city's incident system, by verksamhet.",
    incidents_by_activity="Incidents by verksamhet",
    by_activity_caption="{theme}: incidents by verksamhet",
    activity="Verksamhet (activity)",
    all_activities="All activities",
    map_section="Risk map",
    map_needs_extra=(
        "The risk map is drawn with the lagesbild[maps] extra (pip install 'lagesbild[maps]'), which is not installed."
    ),
    map_alt=(
        "Map of {area} with the neighbouring areas in grey: flood zones {floods}; {routes}; {n} critical "
        "facilities in the zones, numbered against the table below the map."
    ),
    map_caption="Risk map of {area}: flood zones, dangerous-goods routes with their zones, and exposed facilities.",
    map_table_caption="Critical facilities at risk, numbered as on the map (exposure in the map's Swedish words)",
    map_nr="No.",
    map_stadsdel="Stadsdel (district)",
    map_exposed_to="Exposed to",
    map_table_none="No critical facility lies in a flood zone or a zone along a dangerous-goods route.",
    map_protected_note="Protected facilities at risk, which the map and the table do not show, by stadsdel: {parts}.",
    map_internal_note="Internal version: protected facilities are listed.",
    hotspot_section="Where incidents cluster and what lies near",
    hotspot_caption="Significant hot cells ({cell} × {cell} m) in the area by theme",
    hot_cells="Hot cells",
    cells_touching="Cells reaching {hazard}",
    hotspot_sentence=(
        "{theme}: {n} cells of {cell} × {cell} m in the area have significantly more incidents than expected "
        "(Gi*, false discovery rate {alpha}%)."
    ),
    hotspot_none="{theme}: no cell in the area has significantly more incidents than expected.",
    hot_cells_legend="Significantly more incidents than expected, any theme",
    map_alt_hot=(
        "Squares of 100 × 100 m with significantly more incidents than expected (any theme) are red; the "
        "section Where incidents cluster gives them in numbers."
    ),
    hotspot_legend_title="Hot cells (Gi*, 100 m)",
    hotspot_note=(
        "Hot cells by Getis–Ord Gi* on a grid of land cells, corrected for the false discovery rate "
        "(Benjamini–Hochberg); a cell belongs to the area holding its centre. A cell reaching a zone or a "
        "facility near it is covariation, not a sign that the zone or the facility causes the incidents."
    ),
    near_caption=(
        "Critical facilities within {near} m of a hot cell, by sector (each facility counted once; {near} m is "
        "an assumption)"
    ),
    sector="Sector",
    facilities_near="Facilities near",
    near_protected_note=(
        "Protected facilities (electricity, telecom, water) are not counted here in the open version: a count "
        "near one cell would show where they are."
    ),
    rsa_section="Risk and vulnerability analysis (RSA)",
    rsa_caption="RSA risk matrix for {value}, all nämnder: number of risks by likelihood and consequence",
    rsa_likelihood="Likelihood",
    rsa_consequence="Consequence {n}",
    rsa_note=(
        "The nämnder's and bolag's latest risk registers up to {year} ([rsa] in the city's configuration), "
        "scale 1–{scale}; each risk is rated against each protected value. The open version gives counts only."
    ),
    rsa_none="The city's RSA register ([rsa]) holds no risk ratings from {year} or before.",
    rsa_values={
        "liv_och_halsa": "life and health",
        "funktionalitet": "society's functionality",
        "miljo_och_egendom": "environment and property",
        "grundlaggande_varden": "fundamental values",
    },
)


def words(lang: str) -> Words:
    """The fixed texts of ``lang`` (``"sv"`` or ``"en"``)."""
    return _SV if lang == "sv" else _EN
