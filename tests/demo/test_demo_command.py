"""The main job (`lagesbild demo`, run by `make demo`): the demo city's lägesbild and its summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"

pytestmark = pytest.mark.skipif(
    not (DEMO / "handelser.parquet").is_file(), reason="the demo data set is not in data/demo/"
)


def _demo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lagesbild", "demo", *args], capture_output=True, text=True,
                          cwd=cwd)


def test_demo_writes_the_report_and_summarises_it_from_the_json(tmp_path: Path) -> None:
    out = _demo("--no-maps", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    folder = tmp_path / "out" / "lagesbild"  # the default --out
    data = json.loads((folder / "lagesbild.json").read_text(encoding="utf-8"))
    lines = out.stdout.splitlines()
    kinds = [p["kind"] for p in data["pages"]]
    assert lines[0] == (
        f"Lägesbild 2025 för Stockholm (demo): {len(kinds)} sidor ({kinds.count('namnd')} stadsdelsnämnder, "
        f"{kinds.count('facknamnd')} facknämnder och bolag) i {folder.resolve()}"
    )
    assert kinds.count("namnd") == 11 and kinds.count("facknamnd") >= 3
    assert lines[-1] == f"Öppna {(folder / 'index.html').resolve().as_uri()}"
    # Each key figure printed is the city page's, as the JSON records it.
    figures = [n for k, n in data["pages"][0]["numbers"].items() if k.startswith("key/")]
    assert len(lines) == 2 + len(figures)
    shown = sorted(n["shown"] for n in figures)
    printed = [line.rsplit(": ", 1)[1] for line in lines[1:-1]]
    assert sorted(p.removesuffix(" km²").removesuffix(" km") for p in printed) == shown


def test_demo_of_2022_uses_the_13_areas(tmp_path: Path) -> None:
    out = _demo("--year", "2022", "--no-maps", "--out", "r2022", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "(13 stadsdelsnämnder" in out.stdout.splitlines()[0]


def test_bad_config_is_one_line(tmp_path: Path) -> None:
    bad = _demo("--config", "no/such/city.toml", cwd=tmp_path)
    assert bad.returncode == 1 and "no/such/city.toml" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    assert not (tmp_path / "out").exists()


def test_flood_table_matches_overlay_area() -> None:
    city = lb.demo()
    ov = lb.overlay_area(city.layer("oversvamning"), city.areas_at(2025), zone_key="niva_m", area_key="sdo_namn")
    # Nested levels: every stadsdelsområde's area grows with the level.
    wide = ov.pivot(on="niva_m", index="sdo_namn", values="area_m2").fill_null(0.0)
    assert (wide["1.36"] <= wide["1.5"]).all() and (wide["1.5"] <= wide["2.7"]).all()
    assert ov["share"].is_between(0, 1).all() and len(ov) > 0
    assert pl.Series(ov["area_m2"]).min() > 0
