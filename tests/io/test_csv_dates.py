"""CSV tables: which text columns become dates, against polars' own ``try_parse_dates`` on the same files."""

from __future__ import annotations

from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest

CASES = {
    "dates": "id,datum,namn\n1,2025-03-01,a\n2,2025-03-02,b\n3,,c\n",
    "datetimes": "id,tid\n1,2025-03-01 10:15:00\n2,2025-03-02 23:59:59\n",
    "day_first": "id,datum\n1,01.03.2025\n2,31.12.2024\n",
    "months_stay_text": "stadsdel,manad,antal\nA,2019-01,3\nB,2019-02,4\n",
    "mixed_stays_text": "id,datum\n1,2025-03-01\n2,okänt\n",
    "text_first_stays_text": "id,datum\n1,okänt\n2,2025-03-01\n",
    "digits_and_dates": "id,datum\n1,20250301\n2,2025-03-01\n3,x\n",
    "numbers": "id,varde\n1,0.5\n2,1.5\n",
    "semicolon_decimal_comma": "id;datum;varde\n1;2025-03-01;0,5\n2;2025-03-02;1,5\n",
    "quoted_dates": 'id,datum\n1,"2025-03-01"\n2,"2025-03-02"\n',
    "dates_and_datetimes": "id,datum\n1,2025-03-01\n2,2025-03-02 10:00:00\n",
    "utc_datetimes": "id,tid\n1,2025-03-01T10:15:00Z\n2,2025-03-02T23:59:59Z\n",
    "empty_column": "id,datum\n1,\n2,\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_date_columns_are_polars_try_parse_dates(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_text(CASES[name], encoding="utf-8")
    semicolon = ";" in CASES[name].splitlines()[0]
    expected = pl.read_csv(
        path, try_parse_dates=True, infer_schema_length=10_000, separator=";" if semicolon else ",",
        decimal_comma=semicolon,
    )
    # The core keeps datetimes without a time zone: one given as UTC is read as UTC's wall time.
    expected = expected.with_columns(
        pl.col(c).dt.replace_time_zone(None) for c, t in expected.schema.items() if isinstance(t, pl.Datetime) and t.time_zone
    )
    got = lb.read_table(path)
    assert got.schema == expected.schema
    assert got.equals(expected)


def test_dates_beyond_the_inferred_rows(tmp_path: Path) -> None:
    """A date column longer than the rows types are inferred from (10 000) is read whole, as polars reads it."""
    rows = "".join(f"{i},2025-{1 + i % 12:02d}-{1 + i % 28:02d}\n" for i in range(25_000))
    path = tmp_path / "long.csv"
    path.write_text("id,datum\n" + rows, encoding="utf-8")
    got = lb.read_table(path)
    assert got.schema["datum"] == pl.Date
    assert got.equals(pl.read_csv(path, try_parse_dates=True, infer_schema_length=10_000))


def test_times_of_day_stay_text(tmp_path: Path) -> None:
    """The core has no time-of-day type: such a column is read as text (polars alone would refuse the file)."""
    path = tmp_path / "times.csv"
    path.write_text("id,klockan\n1,10:15:00\n2,23:59:59\n", encoding="utf-8")
    got = lb.read_table(path)
    assert got.schema["klockan"] == pl.String
    assert got["klockan"].to_list() == ["10:15:00", "23:59:59"]
