"""The annual lägesbild: one command from the city's data to the report.

Under the City of Stockholm's safety and security programme every nämnd
and bolag keeps lägesbilder on accidents and on crime, in three parts —
*nulägesbeskrivning* (the current state), *analys av orsak* (why it is
so), *bedömning av sannolika följder* (likely consequences) — and reports
them to the city executive board with tertialrapport 2; the
stadsdelsnämnder do it for their geographic area. :func:`lagesbild`
builds that report from the analyses of :mod:`lagesbild.analysis`: a page
per stadsdelsnämnd in the three parts and a city-wide page comparing the
areas, as self-contained HTML, Markdown, CSV tables and one JSON file
with every number, written atomically by :meth:`Report.write`.

``lagesbild report --config city.toml --year 2025 --out DIR`` does the same
from the command line.

Examples
--------
>>> import tempfile, pathlib
>>> report = lb.lagesbild(lb.demo(), year=2025, namnder=["Bromma"])
>>> out = report.write(pathlib.Path(tempfile.mkdtemp()) / "lagesbild-2025")
>>> sorted(p.name for p in out.glob("*.html"))
['bromma-stadsdelsnamnd.html', 'index.html']
"""

from lagesbild.report.build import default_period, lagesbild
from lagesbild.report.report import Report

__all__ = ["Report", "default_period", "lagesbild"]
