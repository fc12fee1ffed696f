"""The organisation over time: which stadsdelsområde each stadsdel belongs to, and when.

:class:`Organisation` is the checked, dated stadsdel → stadsdelsområde
table of a city (the checks make it). The functions after it are the
city's methods about its organisation (:meth:`City.organisation
<lagesbild.City.organisation>`, :meth:`~lagesbild.City.areas_at`,
:meth:`~lagesbild.City.organisation_crosswalk`,
:attr:`~lagesbild.City.periods`, :meth:`~lagesbild.City.organisation_date`).

A report year uses the organisation in force on 31 December of that year;
a year before the earliest period uses the earliest, a year after a closed
last period the last, with a warning on the ``lagesbild`` logger.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from lagesbild.city.common import columns_missing, eq_or_null, shown
from lagesbild.exceptions import ColumnNotFoundError, InvalidArgumentError
from lagesbild.layer import Layer

if TYPE_CHECKING:
    from lagesbild.city.city import City

log = logging.getLogger("lagesbild")

ORGANISATION_COLUMNS = ("stadsdel", "sdo_namn", "sdo_kod", "giltig_fran", "giltig_till")
# Carried when the organisation table has it (``namnd`` in ``[organisation]``):
# the stadsdelsnämnd's official name in the period, as the city writes it.
OPTIONAL_ORGANISATION_COLUMNS = ("namnd",)

Period = tuple[dt.date, dt.date | None]


def organisation_date(when: int | dt.date) -> dt.date:
    """The date whose organisation applies to a report year: 31 December of the year.

    A date is returned as it is.

    Examples
    --------
    >>> lb.City.organisation_date(2023)
    datetime.date(2023, 12, 31)
    """
    if isinstance(when, dt.datetime):
        return when.date()
    if isinstance(when, dt.date):
        return when
    if isinstance(when, int) and not isinstance(when, bool):
        return dt.date(when, 12, 31)
    msg = f"a report year (2023) or a datetime.date, not {type(when).__name__}"
    raise InvalidArgumentError(msg)


@dataclass(frozen=True, eq=False)
class Organisation:
    """A city's organisation over time, checked.

    No overlapping periods, no gaps, every stadsdel in one stadsdelsområde
    in each period.

    Attributes
    ----------
    city
        The city's name, for messages.
    stadsdelar
        The stadsdelar in the order of the areas; tables come out in it.
    table
        The rows, with the columns of ``ORGANISATION_COLUMNS`` (and
        ``namnd`` when the table has it), sorted by ``giltig_fran`` and
        ``stadsdel``.
    spans
        The periods ``(giltig_fran, giltig_till)``, in order;
        ``giltig_till`` is ``None`` while in force.
    """

    city: str
    stadsdelar: tuple[str, ...]
    table: pl.DataFrame
    spans: tuple[Period, ...]

    def rows(self, span: Period) -> pl.DataFrame:
        """The rows of one period."""
        p0, p1 = span
        return self.table.filter((pl.col("giltig_fran") == p0) & eq_or_null("giltig_till", p1))

    @property
    def periods(self) -> pl.DataFrame:
        """Each period with how many stadsdelsområden and stadsdelar it has."""
        return (
            self.table.group_by("giltig_fran", "giltig_till")
            .agg(stadsdelsomraden=pl.col("sdo_namn").n_unique(), stadsdelar=pl.col("stadsdel").n_unique())
            .sort("giltig_fran")
        )

    def period(self, when: int | dt.date) -> Period:
        """The period in force on the date of a report year (or a date).

        Outside them all, the nearest, with a warning.
        """
        day = organisation_date(when)
        for p0, p1 in self.spans:
            if p0 <= day and (p1 is None or day <= p1):
                return p0, p1
        first, last = self.spans[0], self.spans[-1]
        if day < first[0]:
            log.warning(
                "%s: no organisation was in force on %s; using the earliest, in force from %s",
                self.city,
                day,
                first[0],
            )
            return first
        log.warning(
            "%s: no organisation is recorded for %s; using the last, in force %s – %s",
            self.city,
            day,
            last[0],
            last[1],
        )
        return last

    def in_force(self, when: int | dt.date) -> pl.DataFrame:
        """The rows of the period used for ``when``, one per stadsdel, in the areas' order."""
        rows = self.rows(self.period(when))
        order = pl.DataFrame({"stadsdel": list(self.stadsdelar), "__order__": range(len(self.stadsdelar))})
        return rows.join(order, on="stadsdel", how="left").sort("__order__").drop("__order__")

    @property
    def added(self) -> list[str]:
        """The columns :meth:`areas_at` adds: ``sdo_namn``, ``sdo_kod`` and ``namnd`` when known."""
        return ["sdo_namn", "sdo_kod", *(c for c in OPTIONAL_ORGANISATION_COLUMNS if c in self.table.columns)]

    def areas_at(self, when: int | dt.date, areas: Layer, key: str) -> Layer:
        """The areas (keyed by ``key``) with ``sdo_namn`` and ``sdo_kod`` (and ``namnd``) of ``when``."""
        org = self.in_force(when).select("stadsdel", *self.added)
        attrs = areas.attributes.drop([c for c in self.added if c in areas.columns])
        joined = attrs.join(org.rename({"stadsdel": key}), on=key, how="left", maintain_order="left")
        return areas.with_attributes(joined)

    def crosswalk(self, when: int | dt.date, weights: pl.DataFrame | None, areas: Layer | None) -> pl.DataFrame:
        """The stadsdelsområden of ``when`` → their stadsdelar.

        Weighted by ``weights`` (or by the areas' area).
        """
        org = self.in_force(when).select("stadsdel", "sdo_namn")
        if weights is None:
            assert areas is not None
            w = pl.DataFrame({"stadsdel": list(self.stadsdelar), "weight": areas.area().to_list()})
        else:
            missing = columns_missing(weights, ("stadsdel", "weight"))
            if missing:
                msg = f"weights: no column {missing[0]!r} (columns: {', '.join(weights.columns)})"
                raise ColumnNotFoundError(msg, column=missing[0])
            w = weights.select(pl.col("stadsdel").cast(pl.String), pl.col("weight").cast(pl.Float64))
        joined = org.join(w, on="stadsdel", how="left")
        lacking = joined.filter(pl.col("weight").is_null())["stadsdel"].to_list()
        if lacking:
            msg = f"weights: no weight for the stadsdelar {shown(lacking)}"
            raise InvalidArgumentError(msg)
        return (
            joined.with_columns(
                weight=pl.when(pl.col("weight").sum().over("sdo_namn") > 0)
                .then(pl.col("weight") / pl.col("weight").sum().over("sdo_namn"))
                .otherwise(1.0 / pl.len().over("sdo_namn"))
            )
            .select(pl.col("sdo_namn").alias("from"), "stadsdel", "weight")
            .sort("from", "stadsdel")
        )


# -- the city's methods about its organisation -----------------------------------------


def _of(city: City) -> Organisation:
    if city._organisation is None:
        msg = f"{city.name}: no organisation is given, so there are no stadsdelsområden"
        raise InvalidArgumentError(msg)
    return city._organisation


def periods(city: City) -> pl.DataFrame:
    """The organisation's periods, one row each.

    Columns ``giltig_fran``, ``giltig_till`` (null while in force),
    ``stadsdelsomraden`` and ``stadsdelar`` (how many of each).
    """
    if city._organisation is None:
        return pl.DataFrame(
            schema={
                "giltig_fran": pl.Date,
                "giltig_till": pl.Date,
                "stadsdelsomraden": pl.UInt32,
                "stadsdelar": pl.UInt32,
            }
        )
    return city._organisation.periods


def organisation(city: City, when: int | dt.date) -> pl.DataFrame:
    """The stadsdel → stadsdelsområde mapping for a report year or a date.

    A year means the organisation in force on 31 December of that year;
    a :class:`datetime.date` the one in force that day. Before the
    earliest period the earliest is used (after a closed last period,
    the last), with a warning on the ``lagesbild`` logger.

    Parameters
    ----------
    when
        A report year or a date.

    Returns
    -------
    polars.DataFrame
        One row per stadsdel (in the order of the areas): ``stadsdel``,
        ``sdo_namn``, ``sdo_kod``, and the period used, ``giltig_fran``
        and ``giltig_till``; then ``namnd``, the stadsdelsnämnd's official
        name, when the configuration names that column.

    Examples
    --------
    >>> import datetime as dt
    >>> city = lb.City.example()
    >>> city.organisation(2023).select("stadsdel", "sdo_namn")
    shape: (4, 2)
    ┌──────────┬──────────┐
    │ stadsdel ┆ sdo_namn │
    │ ---      ┆ ---      │
    │ str      ┆ str      │
    ╞══════════╪══════════╡
    │ A        ┆ Hela     │
    │ B        ┆ Hela     │
    │ C        ┆ Hela     │
    │ D        ┆ Hela     │
    └──────────┴──────────┘
    >>> city.organisation(2019)["giltig_fran"][0]   # before the first period: the first
    datetime.date(2020, 7, 1)
    """
    return _of(city).in_force(when)


def areas_at(city: City, when: int | dt.date) -> Layer:
    """The stadsdelar with the stadsdelsområde they belong to in a report year (or on a date).

    The areas layer with the columns ``sdo_namn`` and ``sdo_kod`` of
    :meth:`organisation` added, and ``namnd`` when the configuration names
    that column.

    Examples
    --------
    >>> lb.City.example().areas_at(2020).attributes
    shape: (4, 3)
    ┌──────────┬──────────┬─────────┐
    │ stadsdel ┆ sdo_namn ┆ sdo_kod │
    │ ---      ┆ ---      ┆ ---     │
    │ str      ┆ str      ┆ str     │
    ╞══════════╪══════════╪═════════╡
    │ A        ┆ Väst     ┆ V       │
    │ B        ┆ Öst      ┆ O       │
    │ C        ┆ Väst     ┆ V       │
    │ D        ┆ Öst      ┆ O       │
    └──────────┴──────────┴─────────┘
    """
    assert city.areas is not None
    key = city._sources[("areas", "areas")].key or "stadsdel"
    return _of(city).areas_at(when, city.areas, key)


def organisation_crosswalk(city: City, when: int | dt.date, weights: pl.DataFrame | None = None) -> pl.DataFrame:
    """A crosswalk from the stadsdelsområden of a year to their stadsdelar.

    For bringing a table reported per stadsdelsområde (of an older
    organisation, say) down to stadsdelar with :meth:`to_stadsdelar`:
    counts are shared out by the weights, shares are inherited.

    Parameters
    ----------
    when
        The report year (or date) whose organisation the table uses.
    weights
        A DataFrame with ``stadsdel`` and ``weight`` (population of the
        year, say). Default: the stadsdel's area in m², which is crude
        for counts of people — pass population where you have it.

    Returns
    -------
    polars.DataFrame
        ``from`` (the stadsdelsområde's name), ``stadsdel``, ``weight``
        (the stadsdel's share of its stadsdelsområde; each adds up to 1).

    Examples
    --------
    >>> lb.City.example().organisation_crosswalk(2022)
    shape: (4, 3)
    ┌──────┬──────────┬────────┐
    │ from ┆ stadsdel ┆ weight │
    │ ---  ┆ ---      ┆ ---    │
    │ str  ┆ str      ┆ f64    │
    ╞══════╪══════════╪════════╡
    │ Väst ┆ A        ┆ 0.5    │
    │ Väst ┆ C        ┆ 0.5    │
    │ Öst  ┆ B        ┆ 0.5    │
    │ Öst  ┆ D        ┆ 0.5    │
    └──────┴──────────┴────────┘
    """
    return _of(city).crosswalk(when, weights, city.areas)
