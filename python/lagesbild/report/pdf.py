"""Printing the report's pages to PDF with headless Chromium (``--pdf``).

Each HTML page is opened from the temporary output folder with every
network request refused and printed on A4 by Chromium through
Playwright for Python, pointed at the system's ``chromium`` (Debian's
package; Playwright's own browser download is not needed). A PDF carries
the time it was made, so PDFs are **not** byte for byte reproducible; the
HTML, Markdown, CSV and JSON files are.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

from lagesbild.exceptions import InvalidArgumentError

__all__ = ["chromium", "print_pdf"]


def chromium() -> str:
    """The path of the system's Chromium, or an error saying how to install it."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    msg = "--pdf needs Chromium: install Debian's chromium package (apt-get install chromium)"
    raise InvalidArgumentError(msg)


def print_pdf(folder: Path) -> None:
    """Print every ``*.html`` of ``folder`` to ``pdf/NAME.pdf`` beside it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        msg = "--pdf needs Playwright for Python: pip install playwright (the browser is the system's chromium)"
        raise InvalidArgumentError(msg) from None
    exe = chromium()
    # Playwright's sync API refuses to run where an asyncio loop is running (Jupyter, or a caller's
    # own Playwright session): print in a thread of its own.
    failure: list[BaseException] = []

    def run() -> None:
        try:
            _print(sync_playwright, exe, folder)
        except BaseException as e:  # handed to the caller's thread
            failure.append(e)

    worker = threading.Thread(target=run, name="lagesbild-pdf")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


def _print(sync_playwright, exe: str, folder: Path) -> None:
    out = folder / "pdf"
    out.mkdir(exist_ok=True)
    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=args)
        try:
            context = browser.new_context(offline=True)
            context.route(
                "**/*",
                lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort(),
            )
            page = context.new_page()
            for html in sorted(folder.glob("*.html")):
                page.goto(html.resolve().as_uri(), wait_until="load")
                page.pdf(
                    path=str(out / f"{html.stem}.pdf"),
                    format="A4",
                    print_background=True,
                    margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"},
                )
        finally:
            browser.close()
