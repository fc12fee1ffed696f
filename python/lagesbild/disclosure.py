"""Disclosure control: the one place every published count passes through.

Survey and incident data are about people; a small count in a small area
can point at someone. In ``mode="open"`` (the default of every analysis)
each count passes the city's configured rule (``[suppression]``,
:class:`lagesbild.config.Suppression`); ``mode="internal"`` (or
``disclosure=None`` where a function offers it) is the explicit choice of
an unprotected table for the organisation's own work. The rules:

- ``"city_rounding"``: the city's practice for population counts in its
  area statistics: counts of 1–2 are published as 0 and 3–4 as 5; larger
  counts as they are. Every cell and every total is rounded on its own,
  so nothing needs hiding.
- ``"threshold"``: counts from 1 to ``min_count - 1`` are withheld (the
  value becomes null: *primary* suppression). With ``secondary = true``
  more cells are withheld (*secondary* suppression) so that no withheld
  count can be worked out, or narrowed to a range of ``min_count`` or
  less, from what is published beside it:

  * in a **group** whose total is published (:func:`disclose` with
    ``groups``), a withheld count lies between 0 and the sum of the
    group's withheld counts; so counts are withheld, smallest positive
    first, until that sum exceeds ``min_count``;
  * in a **two-way table** with its row totals, column totals and grand
    total (:func:`protect_table`, :func:`disclose_table`), see below.

- survey shares with fewer than ``[surveys] min_respondents`` respondents
  are withheld (:func:`withhold_shares`); their rule is
  ``"respondents:30"``.

Counts stay numeric. Beside the value, ``suppressed`` says whether the
published value differs from the count (withheld or rounded), and ``rule``
names the rule applied (``"threshold:5"``, ``"city_rounding"``,
``"respondents:30"``, or ``"internal"`` where nothing is changed).
Measures derived from a count (a rate per 1,000 residents) are withheld
with it.

Secondary suppression in a two-way table
----------------------------------------
Write the table with its margins as an (R + 1) × (C + 1) array ``A``: the
cells, each row's total in the last column, each column's total in the
last row, the grand total in the corner. An attacker who knows the
published values and that every count is ≥ 0 can move the withheld ones
only in ways that keep every row and column adding up: around a
*rectangle* of withheld cells ``(i, j), (i, j'), (i', j), (i', j')``,
adding ``t`` to two corners and subtracting it from the other two (a
margin cell moves with the sign that keeps its sum; see the code). The
cells moving with ``(i, j)`` bound the move downwards by their smallest
value, the others bound it upwards, so the withheld value of ``(i, j)``
could be anything in an interval at least
``min(with) + min(against)`` wide. :func:`protect_table` makes every
primary cell (cells and margins alike) lie on such a rectangle of
withheld cells whose interval is wider than ``min_count``: taking the
cells in ascending order, it adds the rectangle that withholds the fewest
new cells (then the smallest total), and repeats until nothing changes;
when no rectangle can protect a cell (a table too small or too sparse)
the whole table is withheld. Withholding more only widens every interval,
so the loop ends with the guarantee: **every withheld primary cell's
feasible interval, given everything published, is wider than
``min_count``**. A cell withheld to protect another is a corner of that
cell's rectangle and moves by the same ``t``, so its interval is as wide:
no withheld value, primary or not, can be narrowed to ``min_count`` or
less. The tests check this for every withheld cell and margin with a
linear program (``scipy.optimize.linprog``: the minimum and maximum of
each withheld cell subject to the published margins) on thousands of
random tables. The
heuristic may withhold more than an optimal method (Fischetti and
Salazar's integer programme, as in τ-ARGUS) would.

Examples
--------
>>> from lagesbild.disclosure import disclose
>>> from lagesbild.config import Suppression
>>> df = pl.DataFrame({"area": ["A", "A", "B"], "measure": ["n", "n", "n"], "value": [2.0, 7.0, 4.0]})
>>> out = disclose(df, counts=["n"], rule=Suppression(rule="city_rounding"), mode="open")
>>> out.drop("rule").rows(), out["rule"][0]
([('A', 'n', 0.0, True), ('A', 'n', 7.0, False), ('B', 'n', 5.0, True)], 'city_rounding')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from lagesbild.city.sections import Suppression
from lagesbild.exceptions import ColumnNotFoundError, InvalidArgumentError

__all__ = [
    "describe_rule",
    "disclose",
    "disclose_table",
    "protect_table",
    "rule_name",
    "withhold_shares",
]


def rule_name(rule: Suppression | None, mode: str) -> str:
    """The ``rule`` column's value: ``"threshold:5"``, ``"city_rounding"`` or ``"internal"``.

    ``rule=None`` (no disclosure control, an explicit choice) and
    ``mode="internal"`` both give ``"internal"``.

    Examples
    --------
    >>> from lagesbild.disclosure import rule_name
    >>> from lagesbild.config import Suppression
    >>> rule_name(Suppression(min_count=3), "open"), rule_name(Suppression(), "internal")
    ('threshold:3', 'internal')
    """
    if mode == "internal" or rule is None:
        return "internal"
    if rule.rule == "city_rounding":
        return "city_rounding"
    return f"threshold:{rule.min_count}"


def describe_rule(name: str, lang: str = "sv") -> str:
    """A sentence for a table's footnote saying what the rule did.

    Examples
    --------
    >>> from lagesbild.disclosure import describe_rule
    >>> print(describe_rule("threshold:5"))  # doctest: +NORMALIZE_WHITESPACE
    Antal från 1 till 4 redovisas inte (visas som –), inte heller andra antal som skulle avslöja dem, för att skydda
    enskilda.
    >>> describe_rule("city_rounding", "en")
    'Counts of 1–2 are shown as 0 and 3–4 as 5, to protect individuals.'
    >>> describe_rule("respondents:30", "en")
    'Shares based on fewer than 30 respondents are not shown (–).'
    """
    sv = lang == "sv"
    if name == "internal":
        return "Intern version: inga värden är dolda." if sv else "Internal version: no values are hidden."
    if name == "city_rounding":
        return (
            "Antal 1–2 redovisas som 0 och 3–4 som 5, för att skydda enskilda."
            if sv
            else "Counts of 1–2 are shown as 0 and 3–4 as 5, to protect individuals."
        )
    kind, _, number = name.partition(":")
    if kind == "threshold" and number.isdigit():
        n = int(number)
        return (
            f"Antal från 1 till {n - 1} redovisas inte (visas som –), inte heller andra antal som skulle "
            "avslöja dem, för att skydda enskilda."
            if sv
            else f"Counts from 1 to {n - 1} are not shown (–), nor other counts that would reveal them, "
            "to protect individuals."
        )
    if kind == "respondents" and number.isdigit():
        return (
            f"Andelar som bygger på färre än {number} svarande redovisas inte (visas som –)."
            if sv
            else f"Shares based on fewer than {number} respondents are not shown (–)."
        )
    msg = f"unknown disclosure rule {name!r}"
    raise InvalidArgumentError(msg)


def _check_mode(mode: str) -> None:
    if mode not in ("open", "internal"):
        msg = f"mode must be 'open' or 'internal', not {mode!r}"
        raise InvalidArgumentError(msg)


def disclose(
    df: pl.DataFrame,
    *,
    counts: Sequence[str],
    rule: Suppression | None,
    mode: str,
    derived: Mapping[str, str] | None = None,
    groups: Sequence[str] = (),
    key: Sequence[str] | None = None,
    value: str = "value",
    measure: str = "measure",
) -> pl.DataFrame:
    """Apply the disclosure rule to the count measures of a long-form result.

    Parameters
    ----------
    df
        A long-form result: one ``value`` per row, its ``measure`` naming it.
    counts
        The measures that are counts of people or events.
    rule
        The city's rule (``city.settings.suppression``); ``None`` for none
        (an explicit choice, for internal work: the same as
        ``mode="internal"``).
    mode
        ``"open"`` applies the rule; ``"internal"`` changes nothing and says
        so in ``rule``.
    derived
        Measures computed from a count (``{"per_1000": "antal"}``): withheld
        where their count is changed.
    groups
        The columns whose rows, together, add up to a published total
        (for example ``["area"]`` when themes add up to all incidents of the
        area): for secondary suppression under ``"threshold"``. Counts of a
        group are withheld, smallest positive first, until the withheld
        counts add up to more than ``min_count`` (then each lies anywhere
        between 0 and that sum, given the total). For a table with row and
        column totals use :func:`disclose_table`.
    key
        The columns that identify the object a derived measure belongs with
        (default: every column but ``measure``, ``value`` and ``unit``).

    Returns
    -------
    polars.DataFrame
        ``df`` with ``value`` changed where the rule says, and the columns
        ``suppressed`` (bool) and ``rule`` (str).

    Examples
    --------
    Threshold 5 with secondary suppression: B's 3 is withheld, and so is the
    smallest other positive count of its group, 6, because the group's total
    of 9 would give the 3 away; the 0 is published:

    >>> from lagesbild.disclosure import disclose
    >>> from lagesbild.config import Suppression
    >>> df = pl.DataFrame({"area": ["B", "B", "B"], "measure": ["brott", "olyckor", "hot"], "value": [3.0, 6.0, 0.0]})
    >>> out = disclose(df, counts=["brott", "olyckor", "hot"], rule=Suppression(), mode="open", groups=["area"])
    >>> out.select("measure", "value", "suppressed").rows(), out["rule"][0]
    ([('brott', None, True), ('olyckor', None, True), ('hot', 0.0, False)], 'threshold:5')
    """
    _check_mode(mode)
    name = rule_name(rule, mode)
    is_count = pl.col(measure).is_in(list(counts))
    v = pl.col(value)
    if name == "internal":
        return df.with_columns(pl.lit(False).alias("suppressed"), pl.lit(name).alias("rule"))
    assert rule is not None
    if rule.rule == "city_rounding":
        small = is_count & (v > 0) & (v < 5)
        out = df.with_columns(
            pl.when(small & (v < 3)).then(0.0).when(small).then(5.0).otherwise(v).cast(df[value].dtype).alias(value),
            small.fill_null(False).alias("suppressed"),
        )
    else:
        hidden = is_count & (v > 0) & (v < rule.min_count)
        out = df.with_columns(hidden.fill_null(False).alias("suppressed"))
        if rule.secondary and groups:
            out = _secondary(out, is_count, list(groups), value, rule.min_count)
        out = out.with_columns(pl.when(pl.col("suppressed")).then(None).otherwise(v).alias(value))
    if derived:
        ids = list(key) if key is not None else [c for c in df.columns if c not in (measure, value, "unit")]
        changed = out.filter(pl.col("suppressed") & is_count).select(*ids, pl.col(measure).alias("__count"))
        pairs = pl.DataFrame({measure: list(derived), "__count": list(derived.values())})
        follow = changed.join(pairs, on="__count").select(*ids, measure).with_columns(pl.lit(True).alias("__follow"))
        out = (
            out.join(follow, on=[*ids, measure], how="left", maintain_order="left", nulls_equal=True)
            .with_columns(
                pl.when(pl.col("__follow").fill_null(False)).then(None).otherwise(pl.col(value)).alias(value),
                (pl.col("suppressed") | pl.col("__follow").fill_null(False)).alias("suppressed"),
            )
            .drop("__follow")
        )
    return out.with_columns(pl.lit(name).alias("rule"))


def _secondary(df: pl.DataFrame, is_count: pl.Expr, groups: list[str], value: str, min_count: int) -> pl.DataFrame:
    """Withhold a group's counts, smallest positive first, until the withheld ones add up to more than min_count."""
    flagged = df.with_row_index("__row").with_columns(is_count.fill_null(False).alias("__count"))
    hide = set(flagged.filter(pl.col("suppressed"))["__row"].to_list())
    for _, part in flagged.filter(pl.col("__count")).group_by(groups, maintain_order=True):
        rows = part["__row"].to_list()
        values = [float(x) if x is not None else 0.0 for x in part[value].to_list()]
        hidden = [r for r in rows if r in hide]
        if not hidden:
            continue
        total = sum(v for r, v in zip(rows, values, strict=True) if r in hide)
        candidates = sorted((v, r) for r, v in zip(rows, values, strict=True) if r not in hide and v > 0)
        for v, r in candidates:
            if total > min_count:
                break
            hide.add(r)
            total += v
    return flagged.with_columns(pl.col("__row").is_in(sorted(hide)).alias("suppressed")).drop("__row", "__count")


# -- two-way tables ----------------------------------------------------------------------


def _augmented(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The table with its margins, and the sign each cell moves with.

    Row totals in the last column, column totals in the last row, the grand
    total in the corner. Multiplying the margins (not the corner) by -1
    makes every row and column of the augmented table add up to zero, so a
    move of +t/-t around a rectangle keeps every sum.
    """
    r, c = values.shape
    a = np.zeros((r + 1, c + 1))
    a[:r, :c] = values
    a[:r, c] = values.sum(axis=1)
    a[r, :c] = values.sum(axis=0)
    a[r, c] = values.sum()
    sign = np.ones((r + 1, c + 1))
    sign[:r, c] = -1.0
    sign[r, :c] = -1.0
    return a, sign


def _rectangle_widths(a: np.ndarray, sign: np.ndarray, i: int, j: int) -> tuple[np.ndarray, np.ndarray]:
    """For every rectangle (i, j), (i, j2), (i2, j), (i2, j2): the width it gives cell (i, j), and which are valid.

    Arrays indexed [i2, j2]. Around the rectangle the augmented values
    change by +t, -t, -t, +t (times each cell's sign); the cells moving with
    (i, j) bound a decrease, the others an increase (none: unbounded).
    """
    inf = np.inf
    mine = sign[i, j]
    # The three other corners as [i2, j2] arrays, each with the direction it moves in.
    corners = [
        (np.broadcast_to(a[i, :][None, :], a.shape), -np.broadcast_to(sign[i, :][None, :], a.shape)),
        (np.broadcast_to(a[:, j][:, None], a.shape), -np.broadcast_to(sign[:, j][:, None], a.shape)),
        (a, sign),
    ]
    with_min = np.full(a.shape, a[i, j])
    against_min = np.full(a.shape, inf)
    for value, moves in corners:
        together = moves == mine
        with_min = np.minimum(with_min, np.where(together, value, inf))
        against_min = np.minimum(against_min, np.where(together, inf, value))
    valid = np.ones(a.shape, dtype=bool)
    valid[i, :] = False
    valid[:, j] = False
    return with_min + against_min, valid


def protect_table(values: np.ndarray | Sequence[Sequence[float]], *, min_count: int) -> np.ndarray:
    """Which cells and margins of a two-way count table to withhold.

    Primary: every cell or margin from 1 to ``min_count - 1``. Secondary:
    more cells, until every primary cell lies on a rectangle of withheld
    cells that leaves its value an interval wider than ``min_count`` (see
    the module docs for the method and the guarantee).

    Parameters
    ----------
    values
        The cells, R × C non-negative counts (without margins).
    min_count
        The threshold.

    Returns
    -------
    numpy.ndarray
        Booleans of shape (R + 1, C + 1): the cells, with each row's total
        in the last column, each column's total in the last row and the
        grand total in the corner; ``True`` = withhold.

    Examples
    --------
    The 2 in the corner needs three more cells withheld: of the rectangles
    that protect it, the one that withholds least (9, 8 and 6). Its value
    could then be anything from 0 to 10 (2 + the smaller of 9 and 8):

    >>> from lagesbild.disclosure import protect_table
    >>> table = [[2, 9, 7], [8, 6, 12], [10, 11, 20]]
    >>> protect_table(table, min_count=5).astype(int)
    array([[1, 1, 0, 0],
           [1, 1, 0, 0],
           [0, 0, 0, 0],
           [0, 0, 0, 0]])
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        msg = f"protect_table: the table must have two dimensions, not {v.ndim}"
        raise InvalidArgumentError(msg)
    if v.size and (not np.isfinite(v).all() or (v < 0).any()):
        msg = "protect_table: counts must be finite and not negative"
        raise InvalidArgumentError(msg)
    a, sign = _augmented(v)
    primary = (a > 0) & (a < min_count)
    hidden = primary.copy()
    if not primary.any():
        return hidden
    order = sorted(zip(*np.nonzero(primary), strict=True), key=lambda ij: (a[ij], ij))
    changed = True
    while changed:
        changed = False
        for i, j in order:
            width, valid = _rectangle_widths(a, sign, int(i), int(j))
            ok = valid & (width > min_count)
            others = hidden[i, :][None, :] & hidden[:, j][:, None] & hidden
            if (ok & others).any():
                continue
            new = (~hidden[i, :][None, :]).astype(int) + (~hidden[:, j][:, None]).astype(int) + (~hidden).astype(int)
            loss = (
                np.where(hidden[i, :][None, :], 0.0, a[i, :][None, :])
                + np.where(hidden[:, j][:, None], 0.0, a[:, j][:, None])
                + np.where(hidden, 0.0, a)
            )
            if not ok.any():
                hidden[:] = True  # nothing protects it: withhold the table
                return hidden
            cost = np.where(ok, new * 1e12 + loss, np.inf)
            i2, j2 = np.unravel_index(int(np.argmin(cost)), cost.shape)
            hidden[i, j2] = hidden[i2, j] = hidden[i2, j2] = True
            changed = True
    return hidden


def disclose_table(
    df: pl.DataFrame,
    *,
    rows: str | Sequence[str],
    columns: str | Sequence[str],
    rule: Suppression | None,
    mode: str,
    value: str = "value",
    total: str | tuple[str, str] = "totalt",
) -> pl.DataFrame:
    """A two-way count table with its margins, through the disclosure rule.

    ``df`` holds one count per row (``value``) for each combination of the
    ``rows`` and ``columns`` key columns (missing combinations count 0).
    The result adds the row totals, column totals and grand total (their
    key is ``total`` in the first ``columns`` or ``rows`` column, null in
    the others; ``total`` may be a pair: the label of the row margin's
    key, then the column margin's), and applies the rule to all of them: under
    ``"threshold"`` with ``secondary``, :func:`protect_table`, so that no
    withheld count can be narrowed to ``min_count`` or less from the
    published cells and margins.

    Returns
    -------
    polars.DataFrame
        The key columns, ``value`` (Float64; null where withheld),
        ``suppressed`` and ``rule``; the cells in the order of their first
        appearance, each row's total after its cells, the column totals
        last.

    Examples
    --------
    >>> from lagesbild.disclosure import disclose_table
    >>> from lagesbild.config import Suppression
    >>> df = pl.DataFrame({"area": ["A", "A", "B", "B"], "tema": ["brand", "olycka"] * 2, "value": [3, 9, 8, 12]})
    >>> out = disclose_table(df, rows="area", columns="tema", rule=Suppression(), mode="open")
    >>> out.rows()  # doctest: +NORMALIZE_WHITESPACE
    [('A', 'brand', None, True, 'threshold:5'), ('A', 'olycka', None, True, 'threshold:5'),
     ('A', 'totalt', 12.0, False, 'threshold:5'), ('B', 'brand', None, True, 'threshold:5'),
     ('B', 'olycka', None, True, 'threshold:5'), ('B', 'totalt', 20.0, False, 'threshold:5'),
     ('totalt', 'brand', 11.0, False, 'threshold:5'), ('totalt', 'olycka', 21.0, False, 'threshold:5'),
     ('totalt', 'totalt', 32.0, False, 'threshold:5')]
    """
    _check_mode(mode)
    rk = [rows] if isinstance(rows, str) else list(rows)
    ck = [columns] if isinstance(columns, str) else list(columns)
    for c in [*rk, *ck, value]:
        if c not in df.columns:
            msg = f"disclose_table: no column {c!r} (columns: {', '.join(df.columns)})"
            raise ColumnNotFoundError(msg, column=c)
    row_keys = df.select(rk).unique(maintain_order=True)
    col_keys = df.select(ck).unique(maintain_order=True)
    cells = (
        row_keys.with_row_index("__r")
        .join(col_keys.with_row_index("__c"), how="cross")
        .join(df.select(*rk, *ck, value), on=[*rk, *ck], how="left", nulls_equal=True)
    )
    r, c = row_keys.height, col_keys.height
    grid = np.zeros((r, c))
    grid[cells["__r"].to_numpy(), cells["__c"].to_numpy()] = cells[value].fill_null(0).cast(pl.Float64).to_numpy()
    a, _ = _augmented(grid)
    name = rule_name(rule, mode)
    if name == "internal":
        hidden = np.zeros(a.shape, dtype=bool)
        shown = a
    elif rule is not None and rule.rule == "city_rounding":
        hidden = (a > 0) & (a < 5)
        shown = np.where(hidden & (a < 3), 0.0, np.where(hidden, 5.0, a))
    else:
        assert rule is not None
        hidden = protect_table(grid, min_count=rule.min_count) if rule.secondary else (a > 0) & (a < rule.min_count)
        shown = np.where(hidden, np.nan, a)

    row_label, col_label = (total, total) if isinstance(total, str) else total

    def keys(frame: pl.DataFrame, names: list[str], label: str) -> pl.DataFrame:
        extra = {names[0]: [label], **{k: [None] for k in names[1:]}}
        return pl.concat([frame, pl.DataFrame(extra, schema=frame.schema)])

    rows_all = keys(row_keys.select(pl.col(k).cast(pl.String) for k in rk), rk, row_label)
    cols_all = keys(col_keys.select(pl.col(k).cast(pl.String) for k in ck), ck, col_label)
    out = rows_all.with_row_index("__r").join(cols_all.with_row_index("__c"), how="cross")
    ri, ci = out["__r"].to_numpy(), out["__c"].to_numpy()
    return out.drop("__r", "__c").with_columns(
        pl.Series(value, shown[ri, ci], dtype=pl.Float64).fill_nan(None),
        pl.Series("suppressed", hidden[ri, ci], dtype=pl.Boolean),
        pl.lit(name).alias("rule"),
    )


def withhold_shares(
    df: pl.DataFrame,
    *,
    respondents: str,
    min_respondents: int,
    values: Sequence[str],
    mode: str = "open",
) -> pl.DataFrame:
    """Survey shares (and their intervals) withheld where too few answered.

    In ``mode="open"``, the ``values`` columns become null on rows with
    fewer than ``min_respondents`` respondents; ``suppressed`` marks those
    rows and ``rule`` says ``"respondents:N"`` (``"internal"`` in
    ``mode="internal"``, where nothing is withheld).

    Examples
    --------
    >>> from lagesbild.disclosure import withhold_shares
    >>> df = pl.DataFrame({"area": ["A", "B"], "share": [0.3, 0.5], "n": [120, 12]})
    >>> withhold_shares(df, respondents="n", min_respondents=30, values=["share"]).rows()
    [('A', 0.3, 120, False, 'respondents:30'), ('B', None, 12, True, 'respondents:30')]
    """
    _check_mode(mode)
    if mode == "internal":
        return df.with_columns(pl.lit(False).alias("suppressed"), pl.lit("internal").alias("rule"))
    few = (pl.col(respondents).fill_null(0) < min_respondents).alias("suppressed")
    return df.with_columns(few).with_columns(
        *(pl.when(pl.col("suppressed")).then(None).otherwise(pl.col(c)).alias(c) for c in values),
        pl.lit(f"respondents:{min_respondents}").alias("rule"),
    )
