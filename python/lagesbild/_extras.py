"""The optional extras' packages, named in one place and looked up without importing them."""

from __future__ import annotations

import importlib.util

#: The packages of ``lagesbild[maps]``.
MAPS_EXTRA = ("matplotlib", "mapclassify", "shapely", "bokeh")


def missing(packages: tuple[str, ...]) -> list[str]:
    """Those of ``packages`` that are not installed (found, not imported: importing matplotlib takes most of a second).

    >>> missing(("polars", "no_such_package_here"))
    ['no_such_package_here']
    """
    return [n for n in packages if importlib.util.find_spec(n) is None]
