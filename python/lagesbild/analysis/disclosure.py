"""Disclosure control: the one rule every published count passes.

Survey and incident data are about people; a small count in a small area
can point at someone. In ``mode="open"`` (the default of every analysis)
each count measure passes the city's configured rule
(:class:`lagesbild.config.Suppression`):

- ``"threshold"``: counts from 1 to ``min_count - 1`` are withheld (the
  value becomes null). With ``secondary = true``, where one count of a group
  is withheld and the group's total is published, the smallest other
  positive count of the group is withheld too, so the total does not give
  the first away.
- ``"city_rounding"``: the city's practice for published tables: counts of
  1–2 are published as 0 and 3–4 as 5; larger counts as they are.

Counts stay numeric. Beside the value, ``suppressed`` says whether the
published value differs from the count (withheld or rounded), and ``rule``
names the rule applied (``"threshold:5"``, ``"city_rounding"``, or
``"internal"`` in ``mode="internal"``, where nothing is changed). Measures
derived from a count (a rate per 1,000 residents) are withheld with it.

Examples
--------
>>> from lagesbild.analysis.disclosure import disclose
>>> from lagesbild.config import Suppression
>>> df = pl.DataFrame({"area": ["A", "A", "B"], "measure": ["n", "n", "n"], "value": [2.0, 7.0, 4.0]})
>>> out = disclose(df, counts=["n"], rule=Suppression(rule="city_rounding"), mode="open")
>>> out.drop("rule").rows(), out["rule"][0]
([('A', 'n', 0.0, True), ('A', 'n', 7.0, False), ('B', 'n', 5.0, True)], 'city_rounding')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from lagesbild.city.sections import Suppression
from lagesbild.exceptions import InvalidArgumentError

__all__ = ["describe_rule", "disclose", "rule_name"]


def rule_name(rule: Suppression, mode: str) -> str:
    """The ``rule`` column's value: ``"threshold:5"``, ``"city_rounding"`` or ``"internal"``."""
    if mode == "internal":
        return "internal"
    if rule.rule == "city_rounding":
        return "city_rounding"
    return f"threshold:{rule.min_count}"


def describe_rule(name: str, lang: str = "sv") -> str:
    """A sentence for a table's footnote saying what the rule did.

    Examples
    --------
    >>> from lagesbild.analysis.disclosure import describe_rule
    >>> describe_rule("threshold:5")
    'Antal från 1 till 4 redovisas inte (visas som –), för att skydda enskilda.'
    >>> describe_rule("city_rounding", "en")
    'Counts of 1–2 are shown as 0 and 3–4 as 5, to protect individuals.'
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
    if name.startswith("threshold:"):
        n = int(name.split(":", 1)[1])
        return (
            f"Antal från 1 till {n - 1} redovisas inte (visas som –), för att skydda enskilda."
            if sv
            else f"Counts from 1 to {n - 1} are not shown (–), to protect individuals."
        )
    msg = f"unknown disclosure rule {name!r}"
    raise InvalidArgumentError(msg)


def disclose(
    df: pl.DataFrame,
    *,
    counts: Sequence[str],
    rule: Suppression,
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
        The city's rule (``city.settings.suppression``).
    mode
        ``"open"`` applies the rule; ``"internal"`` changes nothing and says
        so in ``rule``.
    derived
        Measures computed from a count (``{"per_1000": "antal"}``): withheld
        where their count is changed.
    groups
        The columns whose rows, together, add up to a published total
        (for example ``["area"]`` when themes add up to all incidents of the
        area): for secondary suppression under ``"threshold"``.
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

    >>> from lagesbild.analysis.disclosure import disclose
    >>> from lagesbild.config import Suppression
    >>> df = pl.DataFrame({"area": ["B", "B", "B"], "measure": ["brott", "olyckor", "hot"], "value": [3.0, 6.0, 0.0]})
    >>> out = disclose(df, counts=["brott", "olyckor", "hot"], rule=Suppression(), mode="open", groups=["area"])
    >>> out.select("measure", "value", "suppressed").rows(), out["rule"][0]
    ([('brott', None, True), ('olyckor', None, True), ('hot', 0.0, False)], 'threshold:5')
    """
    if mode not in ("open", "internal"):
        msg = f"mode must be 'open' or 'internal', not {mode!r}"
        raise InvalidArgumentError(msg)
    name = rule_name(rule, mode)
    is_count = pl.col(measure).is_in(list(counts))
    v = pl.col(value)
    if mode == "internal":
        return df.with_columns(pl.lit(False).alias("suppressed"), pl.lit(name).alias("rule"))
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
            out = _secondary(out, is_count, list(groups), value)
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


def _secondary(df: pl.DataFrame, is_count: pl.Expr, groups: list[str], value: str) -> pl.DataFrame:
    """Where exactly one count of a group is withheld, withhold its smallest other positive count."""
    ranked = df.with_row_index("__row").with_columns(
        (is_count & pl.col("suppressed")).sum().over(groups).alias("__n_hidden"),
        pl.when(is_count & ~pl.col("suppressed") & (pl.col(value) > 0))
        .then(pl.col(value))
        .otherwise(None)
        .alias("__candidate"),
    )
    smallest = (
        ranked.filter((pl.col("__n_hidden") == 1) & pl.col("__candidate").is_not_null())
        .sort("__candidate", "__row")
        .group_by(groups, maintain_order=True)
        .agg(pl.col("__row").first())
    )
    also = set(smallest["__row"].to_list())
    return ranked.with_columns((pl.col("suppressed") | pl.col("__row").is_in(list(also))).alias("suppressed")).drop(
        "__row", "__n_hidden", "__candidate"
    )
