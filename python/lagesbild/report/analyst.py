r"""The analyst's own text for a nämnd's page: a Markdown file named in ``[report] texts``.

The *analys av orsak* is more than the data: the nämnd's knowledge from
samverkan with the police and local partners. The analyst writes it as a
Markdown file per nämnd and names it in the city file::

    [report]
    texts = { "Bromma stadsdelsnämnd" = "texter/bromma.md" }

It is rendered with `markdown-it-py <https://markdown-it-py.readthedocs.io>`_
in its CommonMark mode with **raw HTML disabled** (a ``<script>`` in the
file comes out as text) and images switched off (the page makes no
requests); link targets other than http(s), mailto and relative ones are
refused by the renderer. Where no file is named, the page says the section
awaits the nämnd's input.

Examples
--------
>>> from lagesbild.report.analyst import render_markdown
>>> render_markdown("**Tryggt** <script>alert(1)</script>")
'<p><strong>Tryggt</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

from lagesbild.exceptions import InvalidArgumentError
from lagesbild.report.model import AnalystText

if TYPE_CHECKING:
    from lagesbild.city import City
    from lagesbild.report.text import Words

__all__ = ["analyst_text", "escape_markdown_source", "render_markdown", "text_path"]


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    return md


_MD = _renderer()


def render_markdown(text: str) -> str:
    """Markdown as HTML with raw HTML disabled and no images."""
    return _MD.render(text)


def escape_markdown_source(text: str) -> str:
    """The Markdown source with ``<`` escaped, so no renderer takes any of it as HTML.

    Examples
    --------
    >>> from lagesbild.report.analyst import escape_markdown_source
    >>> escape_markdown_source("a <b>c</b>")
    'a &lt;b>c&lt;/b>'
    """
    return text.replace("<", "&lt;")


def text_path(city: City, area: str, code: str, namnd: str) -> Path | None:
    """The analyst's file for a nämnd (named by the nämnd, the area or its code), or ``None``."""
    texts = city.settings.report.texts
    for key in (namnd, area, code):
        if key in texts:
            p = Path(os.path.expanduser(texts[key]))
            if not p.is_absolute() and city.config_path is not None:
                p = Path(city.config_path).parent / p
            return p
    return None


def analyst_text(city: City, area: str, code: str, namnd: str, w: Words) -> AnalystText:
    """The analyst's text for the page, rendered; or a note that it awaits input."""
    p = text_path(city, area, code, namnd)
    if p is None:
        return AnalystText(file=None, html=None, markdown=None)
    try:
        source = p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        msg = f"[report] texts: the text for {namnd!r} names {os.fspath(p)!r}, which does not exist"
        raise InvalidArgumentError(msg) from None
    except UnicodeDecodeError as e:
        msg = f"[report] texts: {os.fspath(p)!r} is not UTF-8 text (byte {e.start}); save it as UTF-8"
        raise InvalidArgumentError(msg) from None
    except OSError as e:
        msg = f"[report] texts: cannot read {os.fspath(p)!r}: {e.strerror or e}"
        raise InvalidArgumentError(msg) from None
    source = source.replace("\r\n", "\n")
    return AnalystText(file=os.fspath(p), html=render_markdown(source), markdown=escape_markdown_source(source))
