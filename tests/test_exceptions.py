"""The exception hierarchy: every class exported, rooted in LagesbildError, and distinct."""

from __future__ import annotations

import builtins

import lagesbild as lb
import pytest

EXCEPTIONS = [
    "LagesbildError",
    "FileNotFoundError",
    "FormatError",
    "ColumnNotFoundError",
    "CrsError",
    "InvalidGeometryError",
    "EmptyLayerError",
]


@pytest.mark.parametrize("name", EXCEPTIONS)
def test_exceptions_exported_and_rooted(name: str) -> None:
    cls = getattr(lb, name)
    assert cls is getattr(lb.exceptions, name)
    assert issubclass(cls, lb.LagesbildError)
    assert issubclass(lb.LagesbildError, Exception)


def test_file_not_found_is_also_the_builtin() -> None:
    assert issubclass(lb.FileNotFoundError, builtins.FileNotFoundError)
    assert issubclass(lb.FileNotFoundError, lb.LagesbildError)
    assert lb.FileNotFoundError is not builtins.FileNotFoundError


def test_distinct_exception_classes() -> None:
    classes = [getattr(lb, n) for n in EXCEPTIONS[1:]]
    assert len(set(classes)) == len(classes)
    for a in classes:
        for b in classes:
            if a is not b:
                assert not issubclass(a, b), f"{a.__name__} is a subclass of {b.__name__}"
