"""Names every doctest sees (the package's docstrings and the tests alike)."""

import pytest


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict) -> None:
    """``lb`` and ``pl`` in every doctest, as in the documentation."""
    import lagesbild as lb
    import polars as pl

    doctest_namespace["lb"] = lb
    doctest_namespace["pl"] = pl


# Conftests hold fixtures, not documentation. Collected as doctest modules
# (--doctest-modules), every conftest.py outside a package is imported under
# the one name "conftest", and the second one found fails to import; so none is
# collected. pytest still loads each as the conftest of its folder.
collect_ignore_glob = ["tests/*conftest.py"]
