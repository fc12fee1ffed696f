"""The report object: its pages, the analyses behind them, its files, and writing them atomically."""

from __future__ import annotations

import hashlib
import html
import os
import shutil
import tempfile
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lagesbild.exceptions import InvalidArgumentError
from lagesbild.report.analyst import text_path
from lagesbild.report.build import Params, relative
from lagesbild.report.model import AnalystText, FigureList, Number, Page
from lagesbild.report.render import csv_table, json_text, render_html, render_markdown_page
from lagesbild.report.text import Words, words

if TYPE_CHECKING:
    from lagesbild.city import City

__all__ = ["MARKER", "Report", "write_atomically"]

#: The file that marks a folder as a lägesbild report (and holds every number).
MARKER = "lagesbild.json"


class Report:
    """The annual lägesbild: pages, the analyses' results, and the files they make.

    Made by :func:`lagesbild.lagesbild`. ``pages`` are
    :class:`~lagesbild.report.model.Page` objects (the city-wide page
    first); ``results`` holds the analyses' frames the numbers come from;
    :attr:`data` is the JSON with every number; :meth:`files` renders every
    output file in memory and :meth:`write` writes them to a folder
    atomically. In Jupyter the report displays as a summary with links to
    nothing outside the notebook.
    """

    def __init__(self, *, city: City, params: Params, pages: list[Page], results: dict[str, Any]) -> None:
        self.city = city
        self.params = params
        self.pages = pages
        self.results = results

    def __repr__(self) -> str:
        return (
            f"<Report lägesbild {self.params.year} of {self.city.name!r}: {len(self.pages)} pages, {self.params.mode}>"
        )

    @property
    def words(self) -> Words:
        """The fixed texts of the report's language."""
        return words(self.params.lang)

    @property
    def version(self) -> str:
        """The lagesbild version that built it."""
        from lagesbild import __version__

        return __version__

    def page(self, name: str) -> Page:
        """A page by its id, area, area code or nämnd."""
        for p in self.pages:
            if name in (p.id, p.area, p.area_code, p.namnd):
                return p
        msg = f"no page {name!r} (pages: {', '.join(p.id for p in self.pages)})"
        raise InvalidArgumentError(msg)

    @cached_property
    def provenance(self) -> dict[str, Any]:
        """The inputs (path relative to the city file, size, SHA-256) and the configuration's text."""
        base = Path(self.city.config_path).parent if self.city.config_path is not None else None
        inputs = [
            {"path": relative(path, base), "bytes": int(n), "sha256": digest}
            for path, n, digest in self.city.inputs().iter_rows()
        ]
        for p in self.pages:
            if p.kind != "namnd":
                continue
            tp = text_path(self.city, p.area or "", p.area_code or "", p.namnd or "")
            if tp is not None and tp.is_file():
                data = tp.read_bytes()
                inputs.append(
                    {
                        "path": relative(os.fspath(tp), base),
                        "bytes": len(data),
                        "sha256": hashlib.sha256(data).hexdigest(),
                    }
                )
        inputs.sort(key=lambda f: f["path"])
        config = None
        if self.city.config_path is not None:
            config = Path(self.city.config_path).read_bytes().decode("utf-8").replace("\r\n", "\n")
        return {"inputs": inputs, "configuration": config}

    @cached_property
    def data(self) -> dict[str, Any]:
        """Everything the report says in numbers, as one JSON document."""
        pages = []
        for p in self.pages:
            analyst = [
                b for part in p.parts for _, blocks in part.sections for b in blocks if isinstance(b, AnalystText)
            ]
            pages.append(
                {
                    "id": p.id,
                    "kind": p.kind,
                    "title": p.title,
                    "area": p.area,
                    "area_code": p.area_code,
                    "namnd": p.namnd,
                    "parts": [
                        {"key": part.key, "title": part.title, "sections": [t for t, _ in part.sections if t]}
                        for part in p.parts
                    ],
                    "numbers": {k: n.to_json() for k, n in p.numbers.items()},
                    "tables": {t.key: t.to_json() for t in p.tables()},
                    "analyst_text": (
                        None
                        if not analyst or analyst[0].file is None
                        else relative(
                            analyst[0].file, Path(self.city.config_path).parent if self.city.config_path else None
                        )
                    ),
                }
            )
        return {
            "format": "lagesbild-report/1",
            "city": self.city.name,
            "lagesbild_version": self.version,
            "parameters": self.params.to_json(),
            "inputs": self.provenance["inputs"],
            "configuration": self.provenance["configuration"],
            "pages": pages,
        }

    def files(self) -> dict[str, bytes]:
        """Every output file, rendered in memory: relative path → bytes.

        ``PAGE.html`` (self-contained) and ``PAGE.md`` for each page
        (``index`` is the city-wide page), ``tabeller/PAGE--TABLE.csv``
        for each table, and ``lagesbild.json``.
        """
        out: dict[str, bytes] = {}
        for p in self.pages:
            out[f"{p.id}.html"] = render_html(self, p).encode("utf-8")
            out[f"{p.id}.md"] = render_markdown_page(self, p).encode("utf-8")
            for t in p.tables():
                out[f"tabeller/{p.id}--{t.key}.csv"] = csv_table(t).encode("utf-8")
            for image in p.images():
                if image.file is not None:
                    out[image.file] = image.data
        out[MARKER] = json_text(self.data).encode("utf-8")
        return out

    def write(self, directory: str | os.PathLike[str], *, pdf: bool = False) -> Path:
        """Write the report into ``directory``, atomically.

        The files are written into a temporary folder beside ``directory``
        and renamed into place at the end: a failure part-way leaves
        ``directory`` as it was (an earlier report in it stays whole). An
        existing folder is replaced only when it is empty or holds a
        lägesbild report (``lagesbild.json``), so no other files are lost.

        Parameters
        ----------
        directory
            The output folder (made if missing; its parent must exist).
        pdf
            Also print ``lagesbild.pdf`` with headless Chromium (needs
            Debian's ``chromium`` and Playwright).

        Returns
        -------
        pathlib.Path
            The folder, with ``index.html`` to open.
        """
        files = self.files()
        extra = None
        if pdf:
            from lagesbild.report.pdf import print_pdf

            extra = print_pdf
        return write_atomically(Path(directory), files, after=extra)

    def summary(self, where: str | os.PathLike[str] | None = None) -> str:
        """A few lines for a terminal: where the report is, its pages and the city's key figures.

        Every figure is one of the city page's key figures, as the page shows it.

        Examples
        --------
        >>> report = lb.lagesbild(lb.demo(), year=2025, namnder=["Bromma"], maps=False)
        >>> print(*report.summary().splitlines()[:2], sep=chr(10))
        Lägesbild 2025 för Stockholm (demo): 2 sidor (1 stadsdelsnämnd, 0 facknämnder och bolag)
          Landyta (utan vatten): 187,66 km²
        """
        sv = self.params.lang == "sv"
        kinds = [p.kind for p in self.pages]
        n, f = kinds.count("namnd"), kinds.count("facknamnd")
        if sv:
            head = (
                f"Lägesbild {self.params.year} för {self.city.name}: {len(self.pages)} sidor "
                f"({n} stadsdelsnämnd{'er' if n != 1 else ''}, {f} facknämnder och bolag)"
            )
        else:
            head = (
                f"Lägesbild {self.params.year} of {self.city.name}: {len(self.pages)} pages "
                f"({n} stadsdelsnämnder, {f} facknämnder and bolag)"
            )
        lines = [head + (f" i {os.fspath(where)}" if sv and where else f" in {os.fspath(where)}" if where else "")]
        city = next((p for p in self.pages if p.kind == "city"), None)
        if city is not None:
            for part in city.parts[:1]:
                for _title, blocks in part.sections[:1]:
                    for block in blocks:
                        if isinstance(block, FigureList):
                            for label, value in block.items:
                                shown = value if isinstance(value, str) else value.shown + _unit(value)
                                lines.append(f"  {label}: {shown}")
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        w = self.words
        items = "".join(
            f"<li>{html.escape(p.title)}: {', '.join(html.escape(part.title) for part in p.parts)}</li>"
            for p in self.pages
        )
        return (
            f'<div class="lagesbild-report" lang="{self.params.lang}">'
            f"<strong>{html.escape(w.report.format(year=self.params.year))} – {html.escape(self.city.name)}</strong>"
            f"<p>{html.escape(w.open_mode if self.params.mode == 'open' else w.internal_mode)}</p>"
            f"<ul>{items}</ul>"
            f"<p><code>report.write(DIR)</code> → DIR/index.html</p></div>"
        )


def write_atomically(directory: Path, files: dict[str, bytes], *, after=None) -> Path:
    """Write ``files`` into a new folder beside ``directory`` and swap it into place.

    ``after(folder)`` may add files to the temporary folder before the swap
    (the PDF). On any failure the temporary folder is removed and
    ``directory`` is left as it was.
    """
    directory = Path(os.path.abspath(directory))
    parent = directory.parent
    if parent.exists() and not parent.is_dir():
        msg = f"cannot write the report to {os.fspath(directory)!r}: {os.fspath(parent)!r} is a file, not a folder"
        raise InvalidArgumentError(msg)
    if not parent.is_dir():
        try:
            parent.mkdir(parents=True)  # like `mkdir -p`: out/lagesbild on a fresh checkout
        except OSError as e:
            where = f"cannot write the report to {os.fspath(directory)!r}"
            msg = f"{where}: cannot make {os.fspath(parent)!r}: {e.strerror or e}"
            raise InvalidArgumentError(msg) from None
    if directory.exists():
        if not directory.is_dir():
            msg = f"cannot write the report to {os.fspath(directory)!r}: it is a file, not a folder"
            raise InvalidArgumentError(msg)
        if any(directory.iterdir()) and not (directory / MARKER).is_file():
            msg = (
                f"cannot write the report to {os.fspath(directory)!r}: the folder holds other files and no "
                f"{MARKER}; choose a new or empty folder (an earlier report is replaced, other files never)"
            )
            raise InvalidArgumentError(msg)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".tmp", dir=parent))
    except OSError as e:
        msg = f"cannot write the report to {os.fspath(directory)!r}: {e.strerror or e}"
        raise InvalidArgumentError(msg) from None
    old: Path | None = None
    try:
        os.chmod(tmp, 0o755)
        for name, data in sorted(files.items()):
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if after is not None:
            after(tmp)
        if directory.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".old", dir=parent))
            os.rmdir(old)
            os.rename(directory, old)
        try:
            os.rename(tmp, directory)
        except BaseException:
            if old is not None:
                os.rename(old, directory)
                old = None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return directory


def _unit(n: Number) -> str:
    """The unit a key figure is shown in (as the page's figure list writes it)."""
    from lagesbild.report.model import FORMATS

    unit = FORMATS[n.fmt][2]
    return f" {unit}" if unit and n.value is not None and not n.shown.endswith(unit) else ""
