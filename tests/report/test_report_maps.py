"""The report's risk maps: drawn in a second process or here, the same either way; their table on the page."""

from __future__ import annotations

import json
from pathlib import Path

import lagesbild as lb
import polars as pl
from lagesbild.maps.risk_map import risk_table
from lagesbild.report.mapwork import MapJob, MapWork, draw

AREAS = ["Bromma", "Farsta", "Kungsholmen", "Skärholmen"]
JOB = MapJob(year=2025, mode="open", cells=None, cells_label="", cells_title="")


def _same(a, b) -> bool:
    return a.png == b.png and a.table.equals(b.table) and a.protected.equals(b.protected)


def test_worker_and_this_process_draw_the_same_maps_each_once(demo_city: lb.City) -> None:
    here = {area: draw(demo_city, JOB, area) for area in AREAS}
    with MapWork(demo_city, AREAS, workers=True) as work:
        work.start(JOB)
        got = {area: work.map(area) for area in AREAS}
        by_worker = list(work.by_worker)
    assert all(_same(got[a], here[a]) for a in AREAS)
    # The worker works from the last page backwards and this process from the first: what the
    # worker delivered is a run at the end, each area once.
    assert len(set(by_worker)) == len(by_worker)
    assert by_worker == AREAS[len(AREAS) - len(by_worker) :]


def test_a_worker_that_dies_leaves_the_maps_to_this_process(demo_city: lb.City) -> None:
    with MapWork(demo_city, AREAS, workers=True) as work:
        for p in list(work._pool._processes.values()):  # noqa: SLF001 - the test kills the worker
            p.kill()
            p.join()
        work.start(JOB)
        got = {area: work.map(area) for area in AREAS}
        assert work.by_worker == []
    assert all(_same(got[a], draw(demo_city, JOB, a)) for a in AREAS)


def test_no_worker_draws_everything_here(demo_city: lb.City) -> None:
    with MapWork(demo_city, AREAS[:2], workers=False) as work:
        work.start(JOB)
        assert _same(work.map("Farsta"), draw(demo_city, JOB, "Farsta"))
        assert work.by_worker == []


def _table(page: dict) -> dict:
    return page["tables"]["risk-map-facilities"]


def test_the_map_numbers_are_the_pages_table(demo_out: Path, demo_city: lb.City) -> None:
    data = json.loads((demo_out / "lagesbild.json").read_text(encoding="utf-8"))
    pages = [p for p in data["pages"] if p["kind"] == "namnd"]
    assert len(pages) == 11
    for page in pages:
        listed, counted = risk_table(demo_city, page["area"], year=2025)
        t = _table(page)
        assert [c["key"] for c in t["columns"]] == ["nr", "name", "category", "stadsdel", "exposed_to"]
        expected = [[str(r[0]), *r[1:]] for r in listed.select("nr", "namn", "kategori", "stadsdel", "risk").rows()]
        assert t["rows"] == expected
        html = (demo_out / f"{page['id']}.html").read_text(encoding="utf-8")
        assert f"{listed.height} samhällsviktiga verksamheter i zonerna, numrerade mot tabellen under kartan" in html
        if counted.height:
            parts = ", ".join(f"{s} {n}" for s, n in counted.rows())
            assert any(parts in note for note in t["notes"])
        csv = pl.read_csv(demo_out / "tabeller" / f"{page['id']}--risk-map-facilities.csv")
        assert csv["name"].to_list() == listed["namn"].to_list()
    # Bromma has protected facilities at risk: counted, not named.
    bromma = next(p for p in pages if p["area"] == "Bromma")
    assert "Skyddsvärda anläggningar i riskområde" in " ".join(_table(bromma)["notes"])


def test_internal_maps_list_the_protected_facilities(demo_city: lb.City) -> None:
    report = lb.lagesbild(demo_city, year=2025, namnder=["Bromma"], mode="internal")
    t = next(b for part in report.page("Bromma").parts for _, blocks in part.sections for b in blocks
             if getattr(b, "key", None) == "risk-map-facilities")
    listed, counted = risk_table(demo_city, "Bromma", year=2025, mode="internal")
    open_listed, open_counted = risk_table(demo_city, "Bromma", year=2025)
    assert counted.height == 0 and open_counted["antal"].sum() > 0
    assert [r[1] for r in t.rows] == listed["namn"].to_list()
    assert len(t.rows) == open_listed.height + open_counted["antal"].sum()
    assert any("skyddsvärda anläggningar ingår" in n for n in t.notes)
