"""Describing a city: every file it was read from, with its size and SHA-256."""

from __future__ import annotations

from pathlib import Path

import lagesbild as lb


def test_inputs_are_every_file_read_with_its_hash(small: Path) -> None:
    import hashlib

    city = lb.City.from_config(small)
    inputs = city.inputs()
    names = [Path(p).name for p in inputs["path"]]
    assert sorted(names) == ["areas.gpkg", "befolkning.csv", "city.toml", "enkat.csv", "organisation.csv"]
    for row in inputs.iter_rows(named=True):
        data = Path(row["path"]).read_bytes()
        assert row["bytes"] == len(data)
        assert row["sha256"] == hashlib.sha256(data).hexdigest()
