"""The disclosure rule (lagesbild.disclosure): rounding, thresholds, and the
secondary suppression guarantee checked by a linear program.

For every withheld primary cell of a table with its row, column and grand
totals, the minimum and maximum value it could take given everything
published (and that counts are not negative) come from
``scipy.optimize.linprog``; the interval must be wider than the threshold.
"""

from __future__ import annotations

import os

import lagesbild as lb
import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lagesbild.config import Suppression
from lagesbild.disclosure import describe_rule, disclose, disclose_table, protect_table, withhold_shares
from scipy.optimize import linprog


def feasible_intervals(
    values: np.ndarray, hidden: np.ndarray, which: np.ndarray | None = None
) -> dict[tuple[int, int], tuple[float, float]]:
    """(min, max) of each withheld cell (of ``which``) of the augmented table, given the published ones."""
    r, c = values.shape
    a = np.zeros((r + 1, c + 1))
    a[:r, :c] = values
    a[:r, c] = values.sum(axis=1)
    a[r, :c] = values.sum(axis=0)
    a[r, c] = values.sum()
    unknown = [tuple(ij) for ij in np.argwhere(hidden)]
    index = {ij: k for k, ij in enumerate(unknown)}
    rows_eq, rhs = [], []

    def constraint(terms: list[tuple[tuple[int, int], float]]) -> None:
        row, b = np.zeros(len(unknown)), 0.0
        for ij, coef in terms:
            if ij in index:
                row[index[ij]] += coef
            else:
                b -= coef * a[ij]
        if row.any():
            rows_eq.append(row)
            rhs.append(b)

    for i in range(r + 1):  # each row (the totals row too) adds up to its total
        constraint([((i, j), 1.0) for j in range(c)] + [((i, c), -1.0)])
    for j in range(c + 1):
        constraint([((i, j), 1.0) for i in range(r)] + [((r, j), -1.0)])
    out = {}
    for ij, k in index.items():
        if which is not None and not which[ij]:
            continue
        obj = np.zeros(len(unknown))
        obj[k] = 1.0
        kw = {"A_eq": np.array(rows_eq), "b_eq": np.array(rhs)} if rows_eq else {}
        lo = linprog(obj, bounds=(0, None), method="highs", **kw)
        hi = linprog(-obj, bounds=(0, None), method="highs", **kw)
        assert lo.status == 0
        top = np.inf if hi.status == 3 else -hi.fun  # status 3: unbounded
        out[ij] = (lo.fun, top)
    return out


def assert_protected(values: np.ndarray, min_count: int) -> np.ndarray:
    hidden = protect_table(values, min_count=min_count)
    r, c = values.shape
    a = np.zeros((r + 1, c + 1))
    a[:r, :c] = values
    a[:r, c] = values.sum(axis=1)
    a[r, :c] = values.sum(axis=0)
    a[r, c] = values.sum()
    primary = (a > 0) & (a < min_count)
    assert (hidden >= primary).all(), "every primary cell is withheld"
    # Every withheld cell, the secondary ones and the margins too, keeps an interval wider than the threshold.
    for ij, (lo, hi) in feasible_intervals(values, hidden).items():
        assert hi - lo > min_count, (values.tolist(), hidden.astype(int).tolist(), ij, lo, hi)
        assert lo <= a[ij] + 1e-9 <= hi + 2e-9
    return hidden


def test_the_documented_example_by_linear_program() -> None:
    values = np.array([[2, 9, 7], [8, 6, 12], [10, 11, 20]], dtype=float)
    hidden = assert_protected(values, 5)
    assert feasible_intervals(values, hidden)[(0, 0)] == pytest.approx((0.0, 10.0))


def test_no_small_counts_nothing_withheld() -> None:
    values = np.array([[5, 9], [8, 0]], dtype=float)
    assert not protect_table(values, min_count=5).any()


def test_a_table_of_small_counts_withholds_every_count_and_margin() -> None:
    values = np.array([[1, 0], [0, 2]], dtype=float)  # grand total 3: every margin is small
    hidden = assert_protected(values, 5)
    assert hidden.tolist() == [[True, False, True], [False, True, True], [True, True, True]]
    # Only the zeros are published; each withheld count is unbounded above.
    assert all(hi == np.inf for _, hi in feasible_intervals(values, hidden).values())


def test_margins_join_the_rectangles_when_cells_cannot() -> None:
    values = np.array([[1, 1], [1, 60]], dtype=float)  # no rectangle of cells protects (0, 0)
    hidden = assert_protected(values, 5)
    assert hidden[0, 2] and hidden[2, 0]  # its row and column totals are withheld with it


def test_small_margins_are_protected_too() -> None:
    values = np.array([[1, 2, 0], [30, 40, 50], [20, 10, 60]], dtype=float)  # row 0's total 3 is small
    hidden = assert_protected(values, 5)
    assert hidden[0, 3]


tables = st.integers(1, 6).flatmap(
    lambda r: st.integers(1, 6).flatmap(
        lambda c: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=c, max_size=c),
            min_size=r,
            max_size=r,
        )
    )
)


EXAMPLES = int(os.environ.get("LAGESBILD_HYPOTHESIS_EXAMPLES", "2000"))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("LAGESBILD_HYPOTHESIS_RANDOM", "") != "1",
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(tables, st.sampled_from([3, 5, 10]))
def test_every_withheld_cell_stays_wider_than_the_threshold(table, min_count) -> None:
    assert_protected(np.array(table, dtype=float), min_count)


def test_disclose_table_publishes_margins_and_withholds_what_would_reveal() -> None:
    df = pl.DataFrame({"area": ["A", "A", "B", "B"], "tema": ["brand", "olycka"] * 2, "value": [3, 9, 8, 12]})
    out = disclose_table(df, rows="area", columns="tema", rule=Suppression(min_count=5), mode="open")
    hidden = {(a, t) for a, t, s in out.select("area", "tema", "suppressed").rows() if s}
    assert hidden == {("A", "brand"), ("A", "olycka"), ("B", "brand"), ("B", "olycka")}
    assert out.filter(pl.col("tema") == "totalt")["value"].to_list() == [12.0, 20.0, 32.0]
    internal = disclose_table(df, rows="area", columns="tema", rule=None, mode="open")
    assert not internal["suppressed"].any() and internal["rule"].unique().to_list() == ["internal"]
    rounded = disclose_table(df, rows="area", columns="tema", rule=Suppression(rule="city_rounding"), mode="open")
    assert rounded.filter((pl.col("area") == "A") & (pl.col("tema") == "brand"))["value"].to_list() == [5.0]


def test_one_way_groups_withhold_until_the_sum_exceeds_the_threshold() -> None:
    df = pl.DataFrame({"area": ["A"] * 4, "measure": ["a", "b", "c", "d"], "value": [1.0, 2.0, 3.0, 40.0]})
    out = disclose(df, counts=["a", "b", "c", "d"], rule=Suppression(), mode="open", groups=["area"])
    # 1 and 2 and 3 are primary (sum 6 > 5): nothing more is needed.
    assert out["suppressed"].to_list() == [True, True, True, False]
    df2 = df.with_columns(pl.Series("value", [1.0, 9.0, 30.0, 40.0]))
    out2 = disclose(df2, counts=["a", "b", "c", "d"], rule=Suppression(), mode="open", groups=["area"])
    assert out2["suppressed"].to_list() == [True, True, False, False]


def test_survey_shares_are_withheld_below_the_respondent_minimum() -> None:
    df = pl.DataFrame({"share": [0.3, 0.5], "lo": [0.2, 0.1], "n": [40, 29]})
    out = withhold_shares(df, respondents="n", min_respondents=30, values=["share", "lo"])
    assert out.rows() == [(0.3, 0.2, 40, False, "respondents:30"), (None, None, 29, True, "respondents:30")]
    assert describe_rule("respondents:30", "en").startswith("Shares based on fewer than 30")


def test_one_implementation_under_both_names() -> None:
    import lagesbild.analysis.disclosure as old
    import lagesbild.disclosure as new

    assert old.disclose is new.disclose and old.protect_table is new.protect_table
    assert lb.disclosure is new


def test_bad_input_is_named() -> None:
    with pytest.raises(lb.InvalidArgumentError, match="not negative"):
        protect_table([[1, -2]], min_count=5)
    with pytest.raises(lb.InvalidArgumentError, match="mode must be"):
        disclose_table(pl.DataFrame({"a": ["x"], "b": ["y"], "value": [1]}), rows="a", columns="b", rule=None, mode="x")
    with pytest.raises(lb.ColumnNotFoundError, match="no column 'tema'"):
        disclose_table(pl.DataFrame({"a": ["x"], "value": [1]}), rows="a", columns="tema", rule=None, mode="open")
