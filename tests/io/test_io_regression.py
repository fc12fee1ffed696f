"""Damaged files that once crashed a reader give a clean FormatError (read in a child process)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FILES = sorted((Path(__file__).parent.parent / "data" / "regression").glob("*.parquet"))

CHILD = """
import sys
import lagesbild as lb
try:
    lb.read(sys.argv[1])
except lb.FormatError as e:
    print("FormatError", e.path, e)
else:
    print("read")
"""


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_damaged_parquet_is_a_format_error(path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"the reader crashed (exit {done.returncode}): {done.stderr[-2000:]}"
    assert done.stdout.startswith(f"FormatError {path}"), done.stdout
    assert "damaged Parquet file" in done.stdout


def test_there_are_regression_files() -> None:
    assert len(FILES) == 2
