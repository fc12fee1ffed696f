"""The README's Python examples run as written (from the repository root)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_has_python_examples() -> None:
    assert blocks(), "the README shows no Python example"


@pytest.mark.parametrize("index", range(len(blocks())))
def test_readme_example_runs(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = blocks()[index].replace("/tmp/", f"{tmp_path}{os.sep}")
    monkeypatch.chdir(ROOT)
    exec(compile(code, f"README.md block {index}", "exec"), {})
