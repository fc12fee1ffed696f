"""Rendering the report's pages: HTML and Markdown by Jinja2 templates, CSV and JSON.

The templates (``templates/page.html.j2``, ``templates/page.md.j2``) get
the page objects of :mod:`lagesbild.report.model`. HTML is rendered with
**autoescaping on**: every text from the data (an area's, a facility's or
a nämnd's name) is escaped, and the only markup let through unescaped is
the analyst's Markdown as rendered with raw HTML disabled. Markdown output
escapes the characters Markdown would take as markup (``<`` among them),
so the Markdown file cannot carry HTML either. Every number is written
as an HTML ``<data>`` element whose ``value`` is the number as the
analysis returned it and whose ``data-key`` names it in the JSON file.

Output is deterministic: no timestamps, fixed ordering, JSON with sorted
keys, floats as Python's shortest round-trip ``repr``.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from lagesbild.report.model import AnalystText, FigureList, Image, Number, Page, Paragraph, Table
from lagesbild.report.numbers import format_number

if TYPE_CHECKING:
    from lagesbild.report.report import Report

__all__ = ["csv_table", "escape_md", "render_html", "render_markdown_page"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_LEADING = re.compile(r"^([#+\-=])")
_MD_NUMBERED = re.compile(r"^(\d+)([.)])")


def escape_md(text: object) -> str:
    r"""Text with every character Markdown could take as markup escaped (``<`` and ``>`` as entities).

    Examples
    --------
    >>> from lagesbild.report.render import escape_md
    >>> escape_md("<script>alert(1)</script> *x*")
    '&lt;script&gt;alert(1)&lt;/script&gt; \\*x\\*'
    """
    s = "" if text is None else str(text)
    s = _MD_SPECIAL.sub(r"\\\1", s)
    # Angle brackets as entities: no Markdown renderer takes them as HTML.
    s = _MD_ENTITY.sub("&amp;", s).replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_LEADING.sub(r"\\\1", s)
    s = _MD_NUMBERED.sub(r"\1\\\2", s)
    # A line starting with "-" or "1." would become a list; a newline would break a table row.
    return s.replace("\r", " ").replace("\n", " ")


def _cellsafe(text: str) -> str:
    return text.replace("\n", " ")


def _environment() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(_template_source)
    env = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.tests["number_obj"] = lambda v: isinstance(v, Number)
    env.tests["paragraph"] = lambda v: isinstance(v, Paragraph)
    env.tests["figures"] = lambda v: isinstance(v, FigureList)
    env.tests["table"] = lambda v: isinstance(v, Table)
    env.tests["analyst"] = lambda v: isinstance(v, AnalystText)
    env.tests["image"] = lambda v: isinstance(v, Image)
    env.filters["md"] = escape_md
    env.filters["cellsafe"] = _cellsafe
    env.filters["b64"] = lambda b: base64.b64encode(b).decode("ascii")
    # The analyst's Markdown rendered by markdown-it with raw HTML disabled: its output is HTML to keep.
    env.filters["safe_markdown"] = Markup
    return env


def _template_source(name: str) -> str:
    return resources.files("lagesbild.report").joinpath("templates", name).read_text(encoding="utf-8")


_ENV = _environment()


def _nav(report: Report) -> list[dict[str, str]]:
    def name(p: Page) -> str:
        if p.kind == "city":
            return report.words.city_whole
        return (p.area if p.kind == "namnd" else p.namnd) or p.title

    return [{"id": p.id, "nav": name(p)} for p in report.pages]


def _context(report: Report, page: Page) -> dict[str, Any]:
    w = report.words
    return {
        "page": page,
        "w": w,
        "pages": _nav(report),
        "version": report.version,
        "report_title": w.report.format(year=report.params.year),
        "mode_line": w.open_mode if report.params.mode == "open" else w.internal_mode,
        "css": _template_source("style.css").strip(),
        "provenance": _provenance(report) if page.kind == "city" else None,
    }


def _provenance(report: Report) -> dict[str, Any]:
    prov = report.provenance
    lang = report.params.lang
    return {
        "parameters": [(k, _param_text(v)) for k, v in report.params.to_json().items()],
        "inputs": [{**f, "shown_bytes": format_number(f["bytes"], lang=lang)} for f in prov["inputs"]],
        "configuration": prov["configuration"],
    }


def _param_text(v: object) -> str:
    if isinstance(v, list):
        return ", ".join(str(x) for x in v) or "–"
    return str(v)


def render_html(report: Report, page: Page) -> str:
    """A page as one self-contained HTML document (inline CSS, images as ``data:`` URIs)."""
    return _ENV.get_template("page.html.j2").render(_context(report, page))


def render_markdown_page(report: Report, page: Page) -> str:
    """A page as Markdown (text from the data escaped)."""
    text = _ENV.get_template("page.md.j2").render(_context(report, page))
    # At most one blank line in a row, one newline at the end.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def csv_table(table: Table) -> str:
    """A table as CSV: the columns' machine names as headers, numbers as the analysis returned them.

    Comma-separated, UTF-8, ``.`` as the decimal point; a withheld or
    missing number is an empty cell.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if c is None else (c.raw if isinstance(c, Number) else str(c)) for c in row])
    return buf.getvalue()


def json_text(data: dict[str, Any]) -> str:
    """The report's JSON: sorted keys, UTF-8, one value per line where it helps diffs."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False) + "\n"
