"""The report as data: pages in the programme's three parts, made of text, numbers and tables.

A :class:`Page` holds its parts (:class:`Part`), each a list of blocks: a
:class:`Paragraph` (text and numbers), a :class:`Table`, a
:class:`FigureList` (key figures), the analyst's text
(:class:`AnalystText`) or an image (:class:`Image`). Every number on a page
is a :class:`Number` registered under a key unique within the page, with
the value the analysis returned, its unit, the text shown and whether the
disclosure rule changed it; the renderers write the same objects to HTML,
Markdown, CSV and JSON, so a number cannot differ between them.

Examples
--------
>>> from lagesbild.report.model import Page
>>> page = Page(id="x", kind="namnd", title="Test", lang="sv")
>>> n = page.number("land", 1_234_567.0, "m²", "km2")
>>> n.shown, n.value
('1,23', 1234567.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from lagesbild.report.numbers import MISSING, format_number, format_share

__all__ = [
    "FORMATS",
    "recorded",
    "AnalystText",
    "Column",
    "FigureList",
    "Image",
    "Number",
    "Page",
    "Paragraph",
    "Part",
    "Table",
]

#: How a number of each kind is shown: (scale from the analysis's unit, decimals, unit shown).
FORMATS: dict[str, tuple[float, int, str]] = {
    "km2": (1e-6, 2, "km²"),
    "ha": (1e-4, 1, "ha"),
    "km": (1e-3, 1, "km"),
    "m": (1.0, 0, "m"),
    "count": (1.0, 0, ""),
    "decimal": (1.0, 1, ""),
    "share": (1.0, 1, "%"),
    "points": (100.0, 1, ""),
}


def recorded(value: float) -> float:
    """A value as the report records it: to 9 decimals below 1 000, else to 12 significant digits.

    The analyses give the same floats from the same inputs (the survey's
    stratified sums, for one, run over rows in a fixed order), so this is
    not what keeps the report's bytes the same; it keeps float noise (the
    last bits of a sum) out of the JSON and guards the promise should a
    parallel sum enter an analysis. It rounds far below any shown digit.

    Examples
    --------
    >>> from lagesbild.report.model import recorded
    >>> recorded(0.0013801156089650001), recorded(0.0013801156089649998), recorded(12345678.123456789)
    (0.001380116, 0.001380116, 12345678.1235)
    """
    v = float(value)
    if math.isnan(v) or math.isinf(v):
        return v
    return round(v, 9) if abs(v) < 1000 else float(f"{v:.12g}")


@dataclass(frozen=True)
class Number:
    """One number of the report.

    Attributes
    ----------
    key
        Unique within its page (``"exposure/malaren/+2.7 m/flooded_share"``).
    value
        As the analysis returned it (as :func:`recorded`), in
        ``unit``; ``None`` when withheld or missing.
    unit
        The analysis's unit (``"m²"``, ``"andel"``, ``"personer"`` …).
    shown
        The text on the page (Swedish or English number format).
    fmt
        The kind of display (a key of :data:`FORMATS`).
    suppressed
        Whether the disclosure rule changed it (withheld or rounded).
    rule
        The disclosure rule it passed (``"threshold:5"`` …), if any.
    """

    key: str
    value: float | None
    unit: str
    shown: str
    fmt: str
    suppressed: bool = False
    rule: str | None = None

    @property
    def withheld(self) -> bool:
        """Withheld by the disclosure rule (shown as a dash)."""
        return self.suppressed and self.value is None

    @property
    def display_unit(self) -> str:
        """The unit written after the number where no column header says it (``"km²"``; none for shares)."""
        return "" if self.fmt in ("share", "points") else FORMATS[self.fmt][2]

    @property
    def raw(self) -> str:
        """The value as machine-readable text (``repr`` of the float; empty when withheld or missing)."""
        return "" if self.value is None else repr(float(self.value))

    def to_json(self) -> dict[str, Any]:
        """The number as the JSON file records it."""
        return {
            "value": self.value,
            "unit": self.unit,
            "shown": self.shown,
            "suppressed": self.suppressed,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class Column:
    """A table column: its machine name (CSV header), its label and unit as shown."""

    key: str
    label: str
    unit: str = ""
    numeric: bool = False
    #: The header in full where ``label`` abbreviates it (the HTML's ``<abbr title>``, the Markdown's header).
    full: str | None = None


@dataclass
class Table:
    """A table with headers; cells are text, :class:`Number` or ``None``."""

    key: str
    caption: str
    columns: list[Column]
    rows: list[list[str | Number | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    row_header: bool = True

    def to_json(self) -> dict[str, Any]:
        """Columns and rows; numbers as their values, with the keys of the page's numbers."""

        def cell(c: str | Number | None) -> Any:
            return {"number": c.key} if isinstance(c, Number) else c

        return {
            "caption": self.caption,
            "columns": [
                {"key": c.key, "label": c.label, "unit": c.unit, **({"full": c.full} if c.full else {})}
                for c in self.columns
            ],
            "rows": [[cell(c) for c in row] for row in self.rows],
            "notes": list(self.notes),
        }


@dataclass
class Paragraph:
    """Text and numbers, in order."""

    parts: list[str | Number]
    css: str | None = None


@dataclass
class FigureList:
    """Key figures: a label and a number (or text) each."""

    items: list[tuple[str, Number | str]]


@dataclass
class AnalystText:
    """The analyst's own text for the page, from the file named in ``[report]``.

    ``html`` is the Markdown rendered with raw HTML disabled (``None`` when
    no file is given); ``markdown`` is the source with ``<`` escaped.
    """

    file: str | None
    html: str | None
    markdown: str | None


@dataclass
class Image:
    """An image inlined into the HTML (``data:`` URI) with its alternative text."""

    key: str
    media_type: str
    data: bytes
    alt: str
    caption: str
    file: str | None = None


Block = Paragraph | Table | FigureList | AnalystText | Image


@dataclass
class Part:
    """One part of a page (nulägesbeskrivning, analys av orsak, bedömning av sannolika följder)."""

    key: str
    title: str
    intro: str | None = None
    sections: list[tuple[str, list[Block]]] = field(default_factory=list)

    def section(self, title: str) -> list[Block]:
        """A new subsection; returns its block list to append to."""
        blocks: list[Block] = []
        self.sections.append((title, blocks))
        return blocks


@dataclass
class Page:
    """One page of the report: a stadsdelsnämnd, a facknämnd or the city.

    Numbers are made with :meth:`number`, which registers them under their
    key (unique on the page).
    """

    id: str
    kind: str
    title: str
    lang: str
    subtitle: str = ""
    area: str | None = None
    area_code: str | None = None
    namnd: str | None = None
    intro: list[Paragraph] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    numbers: dict[str, Number] = field(default_factory=dict)

    def number(
        self,
        key: str,
        value: float | None,
        unit: str,
        fmt: str,
        *,
        suppressed: bool = False,
        rule: str | None = None,
    ) -> Number:
        """Register and return a number; ``fmt`` is a key of :data:`FORMATS`."""
        if key in self.numbers:
            msg = f"page {self.id!r}: the number {key!r} is made twice"
            raise ValueError(msg)
        if value is not None and isinstance(value, float) and math.isnan(value):
            value = None
        if value is not None:
            value = recorded(value)
        scale, decimals, _ = FORMATS[fmt]
        if value is None:
            # Withheld by the disclosure rule: a dash, as the rule's footnote says; missing: empty.
            shown = MISSING if suppressed else ""
        elif fmt == "share":
            shown = format_share(value, decimals, lang=self.lang)
        elif fmt == "points":
            # A change of a share, in percentage points.
            sign = "+" if value * scale >= 0.05 else ""
            unit = "\u00a0p.e." if self.lang == "sv" else "\u00a0pp"
            shown = sign + format_number(value * scale, decimals, lang=self.lang) + unit
        else:
            shown = format_number(value * scale, decimals, lang=self.lang)
        n = Number(key, None if value is None else float(value), unit, shown, fmt, suppressed, rule)
        self.numbers[key] = n
        return n

    def tables(self) -> list[Table]:
        """Every table of the page, in order."""
        return [b for part in self.parts for _, blocks in part.sections for b in blocks if isinstance(b, Table)]

    def images(self) -> list[Image]:
        """Every image of the page, in order."""
        return [b for part in self.parts for _, blocks in part.sections for b in blocks if isinstance(b, Image)]
