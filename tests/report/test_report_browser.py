"""The report's pages in headless Chromium with the network blocked, and printed to PDF."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def test_every_page_opens_offline_without_errors(demo_out: Path, browser, tmp_path: Path) -> None:
    from PIL import Image

    pages = sorted(demo_out.glob("*.html"))
    assert len(pages) >= 12
    for page in pages:
        visit = browser.open(page, screenshot=tmp_path / f"{page.stem}.png", settle_ms=100)
        assert visit.clean, (page.name, visit.console_errors, visit.page_errors, visit.blocked, visit.failed)
        assert visit.title.startswith("Lägesbild 2025")
        with Image.open(visit.screenshot) as im:
            small = np.asarray(im.convert("RGB").resize((120, 400)))
        # Not blank: text and tables in several colours, and far from all white.
        assert len(np.unique(small.reshape(-1, 3), axis=0)) > 20, page.name
        assert (small.sum(axis=2) < 3 * 245).mean() > 0.02, page.name


def test_pdf_is_printed_by_chromium(demo_city, browser, tmp_path: Path) -> None:
    import lagesbild as lb

    out = lb.lagesbild(demo_city, year=2025, namnder=["Skärholmen"]).write(tmp_path / "r", pdf=True)
    pdfs = sorted(p.name for p in (out / "pdf").glob("*.pdf"))
    assert pdfs == ["index.pdf", "skarholmens-stadsdelsnamnd.pdf"]
    for p in (out / "pdf").glob("*.pdf"):
        data = p.read_bytes()
        assert data.startswith(b"%PDF-") and len(data) > 20_000
