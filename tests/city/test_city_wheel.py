"""The demo data in the wheel: ``maturin build`` ships data/demo/ as
lagesbild/demo/, where the installed package finds it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_ships_the_demo_data(tmp_path: Path) -> None:
    """``maturin build`` puts data/demo/ into the wheel as lagesbild/demo/, and
    the package found in the unpacked wheel finds its demo there."""
    maturin = shutil.which("maturin") or str(Path(sys.executable).parent / "maturin")
    out = tmp_path / "wheels"
    subprocess.run(
        [maturin, "build", "--release", "--quiet", "--out", str(out), "--interpreter", sys.executable],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("lagesbild-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        z.extractall(tmp_path / "site")
    demo = ROOT / "data" / "demo"
    shipped = {p.name for p in demo.iterdir() if p.is_file() and p.suffix != ".py"}
    assert "lagesbild.toml" in shipped
    assert {f"lagesbild/demo/{n}" for n in shipped} <= names
    assert not any(n.startswith("data/") for n in names), "the demo data must not land at the top of site-packages"
    code = "import lagesbild.city as c; print(c.__file__); print(c._demo_dir())"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    run = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    module, demo_dir = run.stdout.split("\n")[:2]
    assert Path(module).is_relative_to(tmp_path / "site")
    assert Path(demo_dir) == tmp_path / "site" / "lagesbild" / "demo"
    assert (Path(demo_dir) / "lagesbild.toml").read_bytes() == (demo / "lagesbild.toml").read_bytes()
