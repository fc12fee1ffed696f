"""Open a page in headless Chromium with the network blocked, and report what went wrong.

The one browser helper of the tests (the maps' interactive HTML, the
report's HTML): Playwright for Python drives Debian's ``chromium``
(``/usr/bin/chromium``; Playwright's own browser downloads are not used),
with ``--no-sandbox`` (the tests run as root). Every request other than
``file:`` and ``data:`` is aborted and recorded, so a page that would need
the network fails its test instead of quietly fetching.

    with Browser() as b:
        visit = b.open(path, screenshot=tmp / "page.png")
        assert not visit.console_errors and not visit.blocked and not visit.failed

``tests/conftest.py`` offers it as the session fixture ``browser``, which
skips when Playwright or Chromium is missing, and fails when ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Where Debian's chromium is (``apt-get install chromium``); ``LAGESBILD_CHROMIUM`` overrides it.
CHROMIUM = os.environ.get("LAGESBILD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@dataclass
class Visit:
    """What happened when a page was opened."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # requests to the network, aborted
    failed: list[str] = field(default_factory=list)  # requests that failed otherwise
    screenshot: Path | None = None
    title: str = ""
    evaluated: Any = None

    @property
    def clean(self) -> bool:
        """No console error, no page error, no request to the network, no failed request."""
        return not (self.console_errors or self.page_errors or self.blocked or self.failed)


def missing() -> str | None:
    """Why the browser cannot run here (``None`` when it can)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    if not Path(CHROMIUM).exists():
        return f"chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


class Browser:
    """Headless Chromium through Playwright, network blocked; use as a context manager."""

    def __init__(self, width: int = 1280, height: int = 900) -> None:
        self.width, self.height = width, height
        self._pw: Any = None
        self._browser: Any = None

    def __enter__(self) -> Browser:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._pw is not None:
            self._pw.stop()

    def open(
        self, path: str | os.PathLike[str], *, screenshot: str | os.PathLike[str] | None = None,
        wait_for: str | None = None, evaluate: str | None = None, settle_ms: int = 500,
    ) -> Visit:
        """Open a local file; wait until it has loaded (and ``wait_for`` matches); screenshot it."""
        url = Path(path).resolve().as_uri()
        visit = Visit(url)
        context = self._browser.new_context(viewport={"width": self.width, "height": self.height}, offline=True)
        page = context.new_page()

        def route(r: Any) -> None:
            u = r.request.url
            if u.startswith(("file:", "data:", "blob:", "about:")):
                r.continue_()
            else:
                visit.blocked.append(u)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: visit.page_errors.append(str(e)))
        page.on(
            "requestfailed",
            lambda r: None if r.url in visit.blocked else visit.failed.append(f"{r.url}: {r.failure}"),
        )
        page.goto(url, wait_until="load")
        if wait_for is not None:
            page.wait_for_selector(wait_for, timeout=30_000)
        page.wait_for_timeout(settle_ms)
        visit.title = page.title()
        if evaluate is not None:
            visit.evaluated = page.evaluate(evaluate)
        if screenshot is not None:
            page.screenshot(path=str(screenshot), full_page=True)
            visit.screenshot = Path(screenshot)
        context.close()
        return visit
