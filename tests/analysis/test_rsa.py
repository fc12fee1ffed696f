"""risk_matrix() and risk_index(): hand-made registers and indicators with known answers."""

from __future__ import annotations

import sys
from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest
from lagesbild.analysis import risk_index, risk_matrix
from lagesbild.config import Rsa

sys.path.insert(0, str(Path(__file__).parent))
import safety_city as sc  # noqa: E402

RISKER = pl.DataFrame(
    {
        "risk_id": ["R1", "R2", "R3", "R4", "R5"],
        "ar": [2024, 2025, 2025, 2025, 2023],
        "namnd": ["Västra nämnden", "Västra nämnden", "Västra nämnden", "Östra nämnden", "Idrottsnämnden"],
        "risk": ["Elavbrott (gammal)", "Elavbrott", "Skyfall", "Hot mot personal", "Brand i hall"],
        "sannolikhet": [1, 2, 4, 4, 2],
        "konsekvens_liv": [1, 5, 2, 3, 4],
        "konsekvens_funktion": [1, 4, 3, 1, 2],
    }
)
RSA = Rsa(table="risker", consequences={"liv_och_halsa": "konsekvens_liv", "funktionalitet": "konsekvens_funktion"})


@pytest.fixture(scope="module")
def city() -> lb.City:
    return sc.city(tables={"risker": RISKER}, rsa=RSA)


def test_matrix_cells_and_the_rows_behind_them(city) -> None:
    m = risk_matrix(city, 2025, mode="internal")
    assert m.height == 4 * 2 * 25  # three nämnder and the city, two protected values, 5 × 5
    whole = m.filter(
        (pl.col("namnd") == "alla nämnder") & (pl.col("protected_value") == "liv_och_halsa") & (pl.col("count") > 0)
    )
    got = {
        (r["likelihood"], r["consequence"]): (r["count"], r["risks"], r["register_rows"])
        for r in whole.iter_rows(named=True)
    }
    # Each nämnd's latest register at or before 2025: Västra 2025 (not R1), Östra 2025, Idrott 2023.
    assert got == {
        (2, 5): (1, ["Elavbrott"], [1]),
        (4, 2): (1, ["Skyfall"], [2]),
        (4, 3): (1, ["Hot mot personal"], [3]),
        (2, 4): (1, ["Brand i hall"], [4]),
    }
    west = m.filter(pl.col("namnd") == "Västra nämnden")
    assert west["year"].unique().to_list() == [2025] and west["count"].sum() == 4
    assert m.filter(pl.col("namnd") == "alla nämnder", pl.col("likelihood") == 2, pl.col("consequence") == 5)[
        "score"
    ].to_list() == [10, 10]


def test_open_mode_counts_only_and_a_chosen_namnd(city) -> None:
    m = risk_matrix(city, 2025, namnd="Östra nämnden")
    assert m["risks"].null_count() == m.height and set(m["namnd"].to_list()) == {"Östra nämnden", "alla nämnder"}
    assert m.filter(pl.col("count") > 0).height == 4  # one risk, two protected values, twice
    earlier = risk_matrix(city, 2024, mode="internal").filter(pl.col("namnd") == "Västra nämnden", pl.col("count") > 0)
    assert set(earlier["year"].to_list()) == {2024} and earlier["risks"].to_list()[0] == ["Elavbrott (gammal)"]


def test_configurable_scale() -> None:
    c = sc.city(tables={"risker": RISKER}, rsa=Rsa(table="risker", consequences={"liv": "konsekvens_liv"}, scale=6))
    assert risk_matrix(c, 2025).height == 4 * 36


def test_bad_input(city) -> None:
    with pytest.raises(lb.InvalidArgumentError, match=r"no nämnd 'Kulturnämnden'"):
        risk_matrix(city, 2025, namnd="Kulturnämnden")
    with pytest.raises(lb.InvalidArgumentError, match="no register at or before 2020"):
        risk_matrix(city, 2020)
    with pytest.raises(lb.ConfigError, match="ratings must be whole numbers from 1 to 5"):
        sc.city(tables={"risker": RISKER.with_columns(pl.lit(7).alias("sannolikhet"))}, rsa=RSA)


def test_risk_index_by_hand() -> None:
    c = sc.incident_city()
    idx = risk_index(c, 2025, "stadsdel", weights={"otrygg_kvall (stadens)": 2.0, "brott per 1 000 (händelser)": 1.0})
    assert set(idx["indicator"].to_list()) == {"otrygg_kvall (stadens)", "brott per 1 000 (händelser)"}
    # otrygg_kvall 2023: A 0.5, B 0.3, C 0.1, D 0.5 (D has 20 respondents: the internal index keeps it).
    a = idx.filter(pl.col("area") == "A")
    share = a.filter(pl.col("indicator") == "otrygg_kvall (stadens)").row(0, named=True)
    assert share["normalised"] == pytest.approx(1.0) and share["contribution"] == pytest.approx(2 / 3)
    assert a["rank"].unique().to_list() == [1]  # A: the most unsafe and the most brott per 1,000
    assert (
        idx.group_by("area")
        .agg(pl.col("contribution").sum(), pl.col("index").first())
        .select((pl.col("contribution") - pl.col("index")).abs().max())
        .item()
        < 1e-12
    )
    with pytest.raises(lb.InvalidArgumentError, match="not for publication"):
        risk_index(c, 2025, mode="open")
    with pytest.raises(lb.InvalidArgumentError, match="unknown indicator 'trygghet'"):
        risk_index(c, 2025, weights={"trygghet": 1.0})
