"""Shared fixtures: the real Stockholm data and the generated corpus."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
# The corpus generator (and its oracle helpers) is imported by the tests as
# ``make_corpus``.
sys.path.insert(0, str(TESTS / "corpus"))

STOCKHOLM = TESTS.parent.parent / "shared" / "data" / "stockholm"
STOCKHOLM_FILES = (
    "stadsdelar.shp",
    "stadsdelar.shx",
    "stadsdelar.dbf",
    "stadsdelar.prj",
    "stadsdelar.geojson",
    "stadsdelar_simplified.geojson",
    "stadsdelsomraden.csv",
    "vatten.shp",
    "vatten.shx",
    "vatten.dbf",
    "vatten.prj",
    "stadsdelar_utan_vatten.shp",
    "stadsdelar_utan_vatten.shx",
    "stadsdelar_utan_vatten.dbf",
    "stadsdelar_utan_vatten.prj",
    "LICENSE",
)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _stockholm_missing() -> list[str]:
    return [f for f in STOCKHOLM_FILES if not (STOCKHOLM / f).is_file()]


@pytest.fixture(scope="session")
def stockholm() -> Path:
    """The folder with the City of Stockholm's stadsdelar (../shared/data/stockholm).

    Tests using it skip when it is absent, except in CI (CI=true), where a
    missing folder is an error: the real-data tests must run there.
    """
    missing = _stockholm_missing()
    if missing:
        reason = (
            f"real Stockholm data not found: {STOCKHOLM} lacks {', '.join(missing)} "
            "(expected beside the project, at ../shared/data/stockholm)"
        )
        if _in_ci():
            pytest.fail(f"{reason}; CI=true requires it", pytrace=False)
        pytest.skip(reason)
    return STOCKHOLM


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reader corpus (tests/corpus/make_corpus.py), generated once per session.

    Real stadsdelar are added when the Stockholm folder is there.
    """
    import make_corpus

    out = tmp_path_factory.mktemp("corpus")
    make_corpus.make_corpus(out, None if _stockholm_missing() else STOCKHOLM)
    return out


@pytest.fixture(scope="session")
def manifest(corpus: Path) -> dict:
    """What each corpus file must read as (manifest.json)."""
    import make_corpus

    return make_corpus.load_manifest(corpus)



@pytest.fixture(scope="session")
def browser():
    """Headless Chromium with the network blocked (tests/browser.py).

    Skips when Playwright or Debian's chromium is missing, except in CI
    (CI=true), where that is an error: `make check` installs both.
    """
    sys.path.insert(0, str(TESTS))
    import browser as helper

    why = helper.missing()
    if why:
        if _in_ci():
            pytest.fail(f"{why}; CI=true requires the browser", pytrace=False)
        pytest.skip(why)
    with helper.Browser() as b:
        yield b
