"""Progress bars: silent when no one is watching or when turned off, and each step reported when shown."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import lagesbild as lb
import pytest
from lagesbild import progress

sys.path.insert(0, str(Path(__file__).resolve().parent / "analysis"))
import hazard_city  # noqa: E402

DEMO = Path(lb.__file__).parent / "demo" / "lagesbild.toml"


class Recorder:
    """Stands in for tqdm: records what a bar is told."""

    made: list[Recorder] = []

    def __init__(self, total: int | None = None, desc: str = "", **kwargs: Any) -> None:
        self.total, self.desc, self.kwargs = total, desc, kwargs
        self.n = 0
        self.postfixes: list[str] = []
        self.closed = False
        Recorder.made.append(self)

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        self.postfixes.append(s)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> type[Recorder]:
    """Bars forced on (as LAGESBILD_PROGRESS=1 does) and recorded instead of drawn."""
    monkeypatch.setenv("LAGESBILD_PROGRESS", "1")
    monkeypatch.setattr(progress, "_bar_class", lambda: Recorder)
    Recorder.made = []
    return Recorder


@pytest.fixture(scope="module")
def astad(tmp_path_factory: pytest.TempPathFactory) -> lb.City:
    return lb.City.from_config(hazard_city.make(tmp_path_factory.mktemp("astad")), progress=False)


def test_nothing_is_written_when_stderr_is_not_a_terminal(capfd, monkeypatch) -> None:
    monkeypatch.delenv("LAGESBILD_PROGRESS", raising=False)
    assert not sys.stderr.isatty()
    assert not progress.interactive()
    lb.City.from_config(DEMO)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_progress_false_is_silent_even_when_bars_are_forced(capfd, monkeypatch) -> None:
    monkeypatch.setenv("LAGESBILD_PROGRESS", "1")
    lb.City.from_config(DEMO, progress=False)
    assert capfd.readouterr().err == ""


def test_the_environment_can_turn_every_bar_off(capfd, monkeypatch) -> None:
    monkeypatch.setenv("LAGESBILD_PROGRESS", "0")
    with progress.steps(2, "Prövar", progress=True) as bar:
        bar.update(2)
    assert capfd.readouterr().err == ""


def test_a_forced_bar_is_drawn_on_stderr(capfd, monkeypatch) -> None:
    monkeypatch.setenv("LAGESBILD_PROGRESS", "1")
    lb.City.from_config(DEMO)
    err = capfd.readouterr().err
    assert "Läser in staden" in err


def test_loading_a_city_reports_each_file_and_check(recorder) -> None:
    city = lb.City.from_config(DEMO)
    (bar,) = recorder.made
    files = 1 + 1 + len(city.layers) + len(city.tables) + len(city.crosswalks)  # areas, organisation, the rest
    assert bar.desc == "Läser in staden" and bar.closed
    assert bar.total == files + len(city.layers) + 4
    assert bar.n == bar.total
    assert "farligt_gods.geojson" in bar.postfixes and bar.postfixes[-1] == "klar"
    assert bar.kwargs["delay"] == 0  # forced: at once


def test_exposure_reports_each_hazard(recorder, astad) -> None:
    astad.exposure(year=2025)
    (bar,) = recorder.made
    hazards = list(astad.settings.hazards)
    assert bar.desc == "Exponering" and bar.total == 3 + len(hazards) and bar.n == bar.total
    assert all(h in bar.postfixes for h in hazards)


def test_drawing_a_map_reports_each_layer(recorder, astad) -> None:
    maps = pytest.importorskip("lagesbild.maps")
    m = maps.risk_map(astad, "Öster", year=2022)
    (bar,) = recorder.made
    assert m.table is not None
    assert bar.desc == "Ritar riskkartan" and bar.n == bar.total == 3 + 3  # flood, route, facilities
    Recorder.made = []
    maps.explore(astad, year=2022)
    (bar,) = recorder.made
    assert bar.n == bar.total


def test_without_forcing_a_bar_waits_before_it_shows(monkeypatch) -> None:
    monkeypatch.setattr(progress, "interactive", lambda: True)
    monkeypatch.setattr(progress, "_bar_class", lambda: Recorder)
    monkeypatch.delenv("LAGESBILD_PROGRESS", raising=False)
    Recorder.made = []
    with progress.steps(1, "Väntar"):
        pass
    with progress.steps(1, "Genast", progress=True):
        pass
    assert [b.kwargs["delay"] for b in Recorder.made] == [progress.DELAY, 0]
