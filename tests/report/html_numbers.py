"""Reading the numbers out of a report page's HTML: every ``<data>`` element."""

from __future__ import annotations

from html.parser import HTMLParser


class _Numbers(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict[str, str]] = []
        self._open: dict[str, str] | None = None
        self.scripts = 0
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.extend(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "data":
            a = dict(attrs)
            self._open = {
                "value": a.get("value") or "",
                "key": a.get("data-key") or "",
                "text": "",
                "class": a.get("class") or "",
            }

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "data" and self._open is not None:
            self.found.append(self._open)
            self._open = None


def parse(html: str) -> _Numbers:
    """The page's numbers (``value``, ``key``, ``text``, ``class``), tags and attributes."""
    p = _Numbers()
    p.feed(html)
    p.close()
    return p
