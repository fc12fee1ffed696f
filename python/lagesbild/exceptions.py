"""Exceptions raised by lagesbild.

Every exception is a :class:`LagesbildError` and carries the context a user
needs as attributes: ``path`` (the file), ``feature`` (the feature's row
position) and ``column`` (the column name), each ``None`` when it does not
apply. Messages name the file, the feature or column, and what to do.

Examples
--------
>>> import lagesbild as lb
>>> try:
...     lb.read("no/such/file.shp")
... except FileNotFoundError as e:   # also a lb.LagesbildError
...     print(type(e).__name__, e.path)
FileNotFoundError no/such/file.shp
"""

from __future__ import annotations

import builtins

__all__ = [
    "LagesbildError",
    "FileNotFoundError",
    "FormatError",
    "ColumnNotFoundError",
    "CrsError",
    "InvalidGeometryError",
    "EmptyLayerError",
    "InvalidArgumentError",
]


class LagesbildError(Exception):
    """Base class of every error lagesbild raises.

    Attributes
    ----------
    path : str or None
        The file the error is about.
    feature : int or None
        The row position of the feature the error is about.
    column : str or None
        The column the error is about.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        feature: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.feature = feature
        self.column = column


class FileNotFoundError(LagesbildError, builtins.FileNotFoundError):  # noqa: A001
    """The file does not exist.

    Also a builtin :class:`FileNotFoundError`, so ``except FileNotFoundError``
    catches it.

    Examples
    --------
    >>> import lagesbild as lb
    >>> try:
    ...     lb.read("missing.gpkg")
    ... except lb.FileNotFoundError as e:
    ...     print(e)
    missing.gpkg: no such file
    """

    def __str__(self) -> str:  # builtins.OSError would format errno/strerror
        return str(self.args[0]) if self.args else ""


class FormatError(LagesbildError):
    """The file is damaged or not what its format promises (names file and feature)."""


class ColumnNotFoundError(LagesbildError, KeyError):
    """A column that was named, or that the operation needs, is missing.

    The message lists the columns that are there.
    """

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class CrsError(LagesbildError):
    """The CRS is missing, unknown, or unsuitable (degrees where metres are needed)."""


class InvalidGeometryError(LagesbildError):
    """A geometry is invalid and cannot be used as it is (names the feature)."""


class EmptyLayerError(LagesbildError):
    """A layer has no features where some are needed."""


class InvalidArgumentError(LagesbildError, ValueError):
    """An argument is not valid (also a :class:`ValueError`)."""
