"""Names every doctest sees (the package's docstrings and the tests alike)."""

import pytest


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict) -> None:
    """``lb`` and ``pl`` in every doctest, as in the documentation."""
    import lagesbild as lb
    import polars as pl

    doctest_namespace["lb"] = lb
    doctest_namespace["pl"] = pl
