"""The demo city's lägesbild: pages, numbers against the JSON and the analyses, suppression, reproducibility."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest
from html_numbers import parse
from lagesbild.analysis import exposure, facilities_at_risk, omradesansvar
from lagesbild.analysis.disclosure import describe_rule


def _g(v: float | None) -> float | None:
    """A value as the report records it."""
    from lagesbild.report.model import recorded

    return None if v is None else recorded(v)


PARTS = ["Nulägesbeskrivning", "Analys av orsak", "Bedömning av sannolika följder"]


def _data(out: Path) -> dict:
    return json.loads((out / "lagesbild.json").read_text(encoding="utf-8"))


def test_every_stadsdelsnamnd_has_a_page_with_the_three_parts(demo_out: Path, demo_city: lb.City) -> None:
    org = demo_city.organisation(2025)
    namnder = sorted(set(org["namnd"].to_list()))
    assert len(namnder) == 11
    data = _data(demo_out)
    pages = {p["namnd"]: p for p in data["pages"] if p["kind"] == "namnd"}
    assert sorted(pages) == namnder
    for namnd, page in pages.items():
        assert [part["title"] for part in page["parts"]] == PARTS
        html = (demo_out / f"{page['id']}.html").read_text(encoding="utf-8")
        md = (demo_out / f"{page['id']}.md").read_text(encoding="utf-8")
        assert f"<h1>Lägesbild 2025 – {namnd}</h1>" in html
        for i, title in enumerate(PARTS, 1):
            assert f'<h2 id="h-{page["parts"][i - 1]["key"]}">{i}. {title}</h2>' in html
            assert f"## {i}. {title}" in md
        # The analyst's section says it awaits input (the demo names no texts).
        assert "Inväntar nämndens underlag" in html
    assert (demo_out / "index.html").is_file()
    assert data["pages"][0]["kind"] == "city"


def test_numbers_in_the_html_are_the_json_numbers(demo_out: Path) -> None:
    data = _data(demo_out)
    for page in data["pages"]:
        html = (demo_out / f"{page['id']}.html").read_text(encoding="utf-8")
        found = parse(html).found
        keys = [n["key"] for n in found]
        # Every number of the page is in the JSON, and every JSON number is on the page.
        assert sorted(set(keys)) == sorted(page["numbers"]), page["id"]
        for n in found:
            j = page["numbers"][n["key"]]
            assert n["text"] == j["shown"], (page["id"], n["key"])
            if j["value"] is None:
                assert n["value"] == ""
            else:
                assert float(n["value"]) == j["value"]
                assert n["value"] == repr(float(j["value"]))


def test_numbers_are_the_analyses_numbers(demo_out: Path, demo_city: lb.City) -> None:
    """Each number on a nämnd page equals the analysis function's value, called here afresh."""
    data = _data(demo_out)
    ex = exposure(demo_city, year=2025, level="stadsdelsomrade")
    ex_city = exposure(demo_city, year=2025, level="city")

    def value(frame: pl.DataFrame, area: str, hazard: str, band: str | None, measure: str) -> float | None:
        rows = frame.filter(
            (pl.col("area") == area)
            & (pl.col("hazard") == hazard)
            & (pl.col("measure") == measure)
            & (pl.col("band") == band if band is not None else pl.col("band").is_null())
            & pl.col("category").is_null()
        )
        assert rows.height <= 1
        if rows.height == 0:
            return 0.0  # the analysis gives no row where the zone does not reach the area
        return _g(rows["value"][0])

    checked = 0
    for page in data["pages"]:
        nums = page["numbers"]
        if page["kind"] == "city":
            for key, n in nums.items():
                if key.startswith("key/") and key.endswith("flooded_share"):
                    _, hazard, band, measure = key.split("/")
                    assert n["value"] == value(ex_city, demo_city.name, hazard, band, measure)
                    checked += 1
            continue
        area = page["area"]
        for key, n in nums.items():
            parts = key.split("/")
            if parts[0] == "flood":
                _, hazard, band, measure = parts
                assert n["value"] == value(ex, area, hazard, band, measure), (area, key)
                checked += 1
            elif parts[0] == "zone":
                _, hazard, band, measure = parts
                assert n["value"] == value(ex, area, hazard, band, measure), (area, key)
                checked += 1
            elif parts[0] == "facilities":
                _, hazard, band, category = parts
                rows = ex.filter(
                    (pl.col("area") == area)
                    & (pl.col("hazard") == hazard)
                    & (pl.col("band") == band)
                    & (pl.col("category") == category)
                    & (pl.col("measure") == "facilities")
                )
                assert n["value"] == _g(rows["value"][0])
                checked += 1
            elif parts[0] == "neighbours":
                o = omradesansvar(demo_city, year=2025).neighbours
                row = o.filter((pl.col("area") == area) & (pl.col("neighbour") == parts[1]))
                assert n["value"] == _g(row["shared_boundary_m"][0])
                checked += 1
    assert checked > 300


def test_facilities_listed_are_the_analysis_list_without_protected_ones(demo_out: Path, demo_city: lb.City) -> None:
    far = facilities_at_risk(demo_city, year=2025)
    data = _data(demo_out)
    page = next(p for p in data["pages"] if p["area"] == "Bromma")
    table = page["tables"]["facilities-at-risk"]
    names = [row[0] for row in table["rows"]]
    expected = far.filter(
        (pl.col("stadsdelsomrade") == "Bromma")
        & (pl.col("malaren_band").is_not_null() | pl.col("farligt_gods_zone").is_not_null())
    )["name"].to_list()
    assert names == expected
    protected = facilities_at_risk(demo_city, year=2025, mode="internal").filter(pl.col("protected"))["name"]
    html = "".join(p.read_text(encoding="utf-8") for p in demo_out.glob("*.html"))
    assert protected.len() > 0
    assert not any(name in html for name in protected.to_list())


def test_suppression_is_applied_and_said(demo_out: Path) -> None:
    data = _data(demo_out)
    withheld = [
        (p["id"], k) for p in data["pages"] for k, n in p["numbers"].items() if n["suppressed"] and n["value"] is None
    ]
    assert withheld, "the demo has estimated resident counts under 5"
    for page_id, key in withheld:
        n = next(p for p in data["pages"] if p["id"] == page_id)["numbers"][key]
        assert n["shown"] == "–"
        html = (demo_out / f"{page_id}.html").read_text(encoding="utf-8")
        assert f'<data value="" data-key="{key}" class="withheld">–</data>' in html
        if n["unit"] in ("personer", "antal"):
            assert n["rule"] == "threshold:5"
            assert describe_rule(n["rule"]) in html
    # No published count of people lies between 1 and 4.
    for p in data["pages"]:
        for n in p["numbers"].values():
            if n["unit"] == "personer" and n["value"] is not None:
                assert n["value"] == 0 or n["value"] >= 5


def test_internal_mode_hides_nothing_and_says_so(demo_city: lb.City) -> None:
    report = lb.lagesbild(demo_city, year=2025, namnder=["Skarpnäck"], mode="internal")
    page = report.page("Skarpnäck")
    assert not any(n.suppressed for n in page.numbers.values())
    html = report.files()[f"{page.id}.html"].decode()
    assert "INTERN VERSION" in html
    # The protected facilities at risk are listed too: see test_report_maps.test_internal_maps_list_the_protected_facilities.


def test_swedish_numbers(demo_out: Path) -> None:
    data = _data(demo_out)
    page = data["pages"][0]
    shown = [n["shown"] for n in page["numbers"].values() if n["value"] is not None and n["value"] >= 1000]
    big = [s for s in shown if "\u202f" in s]
    assert big, "thousands are grouped by a narrow no-break space"
    assert all("," not in s.replace("\u202f", "") or s.count(",") == 1 for s in shown)
    land = page["numbers"]["key/land_m2"]
    assert land["shown"] == lb.report.numbers.format_number(land["value"] / 1e6, 2)
    assert "," in land["shown"] and "." not in land["shown"]


def test_two_runs_give_the_same_bytes(demo_city: lb.City, demo_out: Path, tmp_path: Path) -> None:
    again = lb.lagesbild(demo_city, year=2025).write(tmp_path / "again")

    def digests(folder: Path) -> dict[str, str]:
        return {
            p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    first, second = digests(demo_out), digests(again)
    assert first == second
    assert {"index.html", "index.md", "lagesbild.json"} <= set(first)
    assert any(name.startswith("tabeller/") and name.endswith(".csv") for name in first)


def test_provenance_records_inputs_version_and_parameters(demo_out: Path, demo_city: lb.City) -> None:
    data = _data(demo_out)
    assert data["lagesbild_version"] == lb.__version__
    assert data["parameters"] == {
        "year": 2025,
        "themes": list(demo_city.settings.themes),
        "namnder": [p["area"] for p in data["pages"] if p["kind"] == "namnd"],
        "facknamnder": [p["namnd"] for p in data["pages"] if p["kind"] == "facknamnd"],
        "period": ["2024-09-01", "2025-08-31"],
        "lang": "sv",
        "mode": "open",
    }
    demo = Path(lb.city._demo_dir())
    paths = {f["path"]: f for f in data["inputs"]}
    for name in ("lagesbild.toml", "stadsdelar.shp", "stadsdelar.dbf", "handelser.parquet"):
        f = paths[name]
        content = (demo / name).read_bytes()
        assert f["bytes"] == len(content)
        assert f["sha256"] == hashlib.sha256(content).hexdigest()
    assert data["configuration"] == (demo / "lagesbild.toml").read_text(encoding="utf-8")
    index = (demo_out / "index.html").read_text(encoding="utf-8")
    assert hashlib.sha256((demo / "stadsdelar.shp").read_bytes()).hexdigest() in index


def test_html_is_self_contained_and_accessible(demo_out: Path) -> None:
    for path in demo_out.glob("*.html"):
        html = path.read_text(encoding="utf-8")
        parsed = parse(html)
        assert html.startswith('<!DOCTYPE html>\n<html lang="sv">')
        assert parsed.scripts == 0
        assert "link" not in parsed.tags
        for name, value in parsed.attrs:
            if name in ("src", "href") and value is not None:
                assert value.startswith(("#", "data:")) or value.endswith(".html"), (path.name, value)
        assert "<caption>" in html and '<th scope="col"' in html


def test_csv_tables_are_the_json_tables(demo_out: Path) -> None:
    data = _data(demo_out)
    page = next(p for p in data["pages"] if p["area"] == "Södermalm")
    table = page["tables"]["malaren-flood"]
    rows = pl.read_csv(demo_out / "tabeller" / f"{page['id']}--malaren-flood.csv", infer_schema=False)
    assert rows.columns == [c["key"] for c in table["columns"]]
    for csv_row, row in zip(rows.iter_rows(), table["rows"], strict=True):
        for cell, j in zip(csv_row, row, strict=True):
            if isinstance(j, dict):
                v = page["numbers"][j["number"]]["value"]
                assert (cell or "") == ("" if v is None else repr(float(v)))
            else:
                assert cell == j


def test_english(demo_city: lb.City) -> None:
    report = lb.lagesbild(demo_city, year=2025, namnder=["SDO01"], lang="en")
    page = report.pages[1]
    assert page.namnd == "Bromma stadsdelsnämnd"
    assert [p.title for p in page.parts] == [
        "Nulägesbeskrivning (current state)",
        "Analys av orsak (causes)",
        "Bedömning av sannolika följder (likely consequences)",
    ]
    html = report.files()[f"{page.id}.html"].decode()
    assert '<html lang="en">' in html
    land = page.numbers["key/land_m2"]
    assert land.shown == f"{land.value / 1e6:.2f}"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"year": 2031}, "no data for the year 2031"),
        ({"year": 2025, "namnder": ["Atlantis"]}, "no stadsdelsnämnd, facknämnd or bolag .Atlantis. in 2025"),
        ({"year": 2025, "themes": ["trafik"]}, "unknown theme 'trafik'"),
        ({"year": 2025, "lang": "de"}, "lang must be 'sv' or 'en'"),
        ({"year": 2025, "mode": "public"}, "mode must be 'open' or 'internal'"),
    ],
)
def test_bad_arguments(demo_city: lb.City, kwargs: dict, message: str) -> None:
    with pytest.raises(lb.InvalidArgumentError, match=message):
        lb.lagesbild(demo_city, **kwargs)


def test_period_outside_the_data(demo_city: lb.City) -> None:
    import datetime as dt

    with pytest.raises(lb.InvalidArgumentError, match=r"lies outside the data \(2019-01-01 – 2025-08-31\)"):
        lb.lagesbild(demo_city, year=2025, period=(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))


def test_jupyter_display(demo_report: lb.Report) -> None:
    html = demo_report._repr_html_()
    assert "Lägesbild 2025" in html and "Bromma stadsdelsnämnd" in html
    assert repr(demo_report).startswith("<Report lägesbild 2025")


def test_incident_numbers_are_the_incidents_analysis(demo_out: Path, demo_city: lb.City) -> None:
    from lagesbild.analysis import incidents

    data = _data(demo_out)
    inc = incidents(demo_city, 2025, "stadsdelsomrade", themes=list(demo_city.settings.themes))
    checked = 0
    for page in data["pages"]:
        if page["kind"] != "namnd":
            continue
        for key, n in page["numbers"].items():
            parts = key.split("/")
            if parts[0] != "incidents" or parts[4] == "city_per_1000":
                continue
            _, source, theme, year, measure = parts
            row = inc.filter(
                (pl.col("area") == page["area"])
                & (pl.col("source") == source)
                & (pl.col("theme") == theme)
                & (pl.col("year") == int(year))
                & (pl.col("measure") == measure)
                & (pl.col("type") == "alla")
            )
            assert n["value"] == _g(row["value"][0]), (page["area"], key)
            assert n["suppressed"] == row["suppressed"][0]
            checked += 1
    assert checked > 100


def test_each_namnd_page_has_its_risk_map_with_alt_text(demo_out: Path) -> None:
    data = _data(demo_out)
    for page in data["pages"]:
        html = (demo_out / f"{page['id']}.html").read_text(encoding="utf-8")
        if page["kind"] != "namnd":
            assert "<img" not in html
            continue
        assert html.count('<img src="data:image/png;base64,') == 1
        alt = re.search(r'<img src="data:image/png;base64,[^"]*" alt="([^"]*)"', html).group(1)
        assert alt.startswith(f"Karta över {page['area']} med grannområdena i grått")
        # The hot cells of the analys av orsak are drawn on the map, and the alternative text says so.
        assert "signifikant fler händelser än väntat (något tema) är röda" in alt
        png = (demo_out / "kartor" / f"{page['id']}.png").read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) > 50_000
        md = (demo_out / f"{page['id']}.md").read_text(encoding="utf-8")
        assert f"](kartor/{page['id']}.png)" in md


def test_facknamnder_get_their_own_pages(demo_out: Path) -> None:
    data = _data(demo_out)
    fack = {p["namnd"]: p for p in data["pages"] if p["kind"] == "facknamnd"}
    assert "Utbildningsnämnden" in fack and "Trafiknämnden" in fack
    page = fack["Utbildningsnämnden"]
    assert "hot_och_vald-by-activity" in page["tables"]
    activities = [row[0] for row in page["tables"]["hot_och_vald-by-activity"]["rows"]]
    assert "grundskola" in activities
    # The page gives this period only: it does not say that earlier years are compared.
    for p in fack.values():
        html = (demo_out / f"{p['id']}.html").read_text(encoding="utf-8")
        assert "Perioden: 1 september 2024 – 31 augusti 2025." in html
        assert "jämförs" not in html


def test_hotspot_numbers_are_the_hotspot_analysis(demo_out: Path, demo_city: lb.City) -> None:
    """Analys av orsak says where incidents cluster and near what: the numbers of hotspot_context, called afresh."""
    from lagesbild.analysis import hotspots
    from lagesbild.analysis.hotspots import hotspot_context

    data = _data(demo_out)
    themes = list(demo_city.settings.themes)
    ctx = {t: hotspot_context(demo_city, 2025, hotspots(demo_city, 2025, t)) for t in themes}
    checked = 0
    for page in data["pages"]:
        if page["kind"] != "namnd":
            assert not any(k.startswith("hotspots/") for k in page["numbers"])
            continue
        html = (demo_out / f"{page['id']}.html").read_text(encoding="utf-8")
        assert "Var händelserna samlas och vad som finns nära" in html
        assert "samvariation, inte att zonen eller verksamheten orsakar" in html
        for t in themes:
            mine = ctx[t].filter(pl.col("area") == page["area"])
            for r in mine.filter(pl.col("measure") != "incidents").iter_rows(named=True):
                key = f"hotspots/{t}/{r['measure']}" + (f"/{r['category']}" if r["category"] is not None else "")
                assert page["numbers"][key]["value"] == _g(r["value"]), (page["area"], key)
                checked += 1
            # Nothing on the page that the analysis does not give.
            keys = [k for k in page["numbers"] if k.startswith(f"hotspots/{t}/")]
            assert len(keys) == mine.filter(pl.col("measure") != "incidents").height
    assert checked > 100


def test_city_page_has_the_rsa_matrix_as_an_accessible_table(demo_out: Path, demo_city: lb.City) -> None:
    from lagesbild.analysis import risk_matrix

    data = _data(demo_out)
    city = data["pages"][0]
    m = risk_matrix(demo_city, 2025).filter(pl.col("namnd") == "alla nämnder")
    values = list(dict.fromkeys(m["protected_value"].to_list()))
    assert len(values) == 4
    checked = 0
    for r in m.iter_rows(named=True):
        n = city["numbers"][f"rsa/{r['protected_value']}/{r['likelihood']}/{r['consequence']}"]
        assert n["value"] == r["count"]
        checked += 1
    assert checked == 4 * 25
    assert sum(n["value"] for k, n in city["numbers"].items() if k.startswith("rsa/")) == m["count"].sum() > 0
    html = (demo_out / "index.html").read_text(encoding="utf-8")
    for v in values:
        table = re.search(rf'<table[^>]*id="[^"]*rsa-{v}"[^>]*>.*?</table>', html, re.S)
        assert table is not None, v
        t = table.group(0)
        assert "<caption>" in t and "RSA-riskmatris" in t
        assert t.count("<th") >= 6 and 'scope="col"' in t
        assert "Konsekvens 5" in t
    assert not any(p["kind"] == "namnd" and any(k.startswith("rsa/") for k in p["numbers"]) for p in data["pages"])


def test_namnd_chooses_facknamnder_and_bolag_too(demo_city: lb.City) -> None:
    report = lb.lagesbild(demo_city, year=2025, namnder=["trafiknämnden", "Bromma", "Skolfastigheter i Stockholm AB"],
                          maps=False)
    assert [(p.kind, p.namnd) for p in report.pages] == [
        ("city", None),
        ("namnd", "Bromma stadsdelsnämnd"),
        ("facknamnd", "Skolfastigheter i Stockholm AB"),
        ("facknamnd", "Trafiknämnden"),
    ]
    assert report.params.facknamnder == ("Skolfastigheter i Stockholm AB", "Trafiknämnden")
    only = lb.lagesbild(demo_city, year=2025, namnder=["Kulturnämnden"], maps=False)
    assert [p.kind for p in only.pages] == ["city", "facknamnd"]
    # An unknown name lists both kinds; an older organisation's stadsdelsnämnd is neither.
    for bad in ("Atlantis", "Rinkeby-Kista stadsdelsnämnd"):
        with pytest.raises(lb.InvalidArgumentError) as e:
            lb.lagesbild(demo_city, year=2025, namnder=[bad], maps=False)
        assert "Järva stadsdelsnämnd" in str(e.value) and "Trafiknämnden" in str(e.value), bad


def test_actors_name_their_stadsdelar_as_readers_write_them(demo_out: Path) -> None:
    """The stadsdel file's capitals become names (``ÅKESHOV`` → ``Åkeshov``), in Swedish alphabetical order."""
    page = next(p for p in _data(demo_out)["pages"] if p["area"] == "Bromma")
    covers = [row[3] for row in page["tables"]["actors"]["rows"] if row[3]]
    assert covers
    for cover in covers:
        names = cover.split(", ")
        assert not any(n.isupper() for n in names), cover
        # Swedish order: Å, Ä, Ö after Z, and in that order.
        order = "abcdefghijklmnopqrstuvwxyzåäö"
        keys = [[order.index(c) if c in order else -1 for c in n.lower()] for n in names]
        assert keys == sorted(keys), cover
    assert "Åkeshov, Åkeslund, Ålsten, Äppelviken" in covers[0]
