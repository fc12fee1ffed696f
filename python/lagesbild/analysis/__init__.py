"""Analyses: one module per question a planner asks, as free functions.

Each analysis takes a :class:`~lagesbild.City` and returns polars frames,
computed with the engine (:mod:`lagesbild.engine`), never re-implemented
here; the :class:`~lagesbild.City` may offer the same as methods that
delegate. The hazard analyses (exposure, facilities at risk,
områdesansvar, plan screening) and the safety picture (survey trends,
incident rates and hotspots, the RSA matrix) live in modules of this
package.
"""

from lagesbild.analysis.exposure import exposure
from lagesbild.analysis.facilities import facilities_at_risk
from lagesbild.analysis.omradesansvar import Omradesansvar, omradesansvar
from lagesbild.analysis.screen import Screening, screen

__all__ = ["Omradesansvar", "Screening", "exposure", "facilities_at_risk", "omradesansvar", "screen"]
