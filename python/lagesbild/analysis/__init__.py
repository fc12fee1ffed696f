"""Analyses: one module per question a planner asks, as free functions.

Each analysis takes a :class:`~lagesbild.City` and returns polars frames
(or, for maps, a :class:`~lagesbild.Layer`), computed with the engine
(:mod:`lagesbild.engine`), never re-implemented here; the
:class:`~lagesbild.City` offers the same as methods that delegate. The
hazard analyses (exposure, facilities at risk, områdesansvar, plan
screening) and the safety picture live in modules of this package:

- :mod:`~lagesbild.analysis.survey`: :func:`survey`, trygghetsmätning
  indicators per area and year with intervals and the change since the
  last survey, and :func:`survey_trend` (the trend across surveys);
- :mod:`~lagesbild.analysis.incidents`: :func:`incidents` (counts and
  rates per area, theme and type over like periods),
  :func:`incident_trend` (Poisson trend) and :func:`staff_violence`;
- :mod:`~lagesbild.analysis.hotspots`: :func:`hotspots`, Gi* with a
  false-discovery-rate correction on a grid of land cells, and
  :func:`~lagesbild.analysis.hotspots.hotspot_context` (per area, the zones
  the hot cells reach and the facilities near them);
- :mod:`~lagesbild.analysis.rsa`: :func:`risk_matrix` (the RSA register on
  the likelihood × consequence matrix) and :func:`risk_index` (a composite
  for internal prioritisation);
- :mod:`~lagesbild.analysis.exposure`, :mod:`~lagesbild.analysis.facilities`,
  :mod:`~lagesbild.analysis.omradesansvar`, :mod:`~lagesbild.analysis.screen`:
  the hazard analyses;
- the conventions they share (:mod:`~lagesbild.analysis.areas`) and the
  disclosure rule every published count passes (:mod:`lagesbild.disclosure`).
"""

from lagesbild.analysis.exposure import exposure
from lagesbild.analysis.facilities import facilities_at_risk
from lagesbild.analysis.hotspots import hotspots
from lagesbild.analysis.incidents import incident_trend, incidents, staff_violence
from lagesbild.analysis.omradesansvar import Omradesansvar, omradesansvar
from lagesbild.analysis.rsa import risk_index, risk_matrix
from lagesbild.analysis.screen import Screening, screen
from lagesbild.analysis.survey import survey, survey_trend

__all__ = [
    "Omradesansvar",
    "Screening",
    "exposure",
    "facilities_at_risk",
    "hotspots",
    "incident_trend",
    "incidents",
    "omradesansvar",
    "risk_index",
    "risk_matrix",
    "screen",
    "staff_violence",
    "survey",
    "survey_trend",
]
