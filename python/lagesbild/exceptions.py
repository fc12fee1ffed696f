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
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "LagesbildError",
    "FileNotFoundError",
    "FormatError",
    "ColumnNotFoundError",
    "CrsError",
    "InvalidGeometryError",
    "EmptyLayerError",
    "InvalidArgumentError",
    "ConfigError",
    "ConfigProblem",
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


@dataclass(frozen=True)
class ConfigProblem:
    """One problem found while loading a city configuration.

    Attributes
    ----------
    message : str
        What is wrong and what to do, in one sentence.
    path : str or None
        The file the problem is in or about (a data file, or the TOML file
        itself for a typo in it).
    key : str or None
        The configuration key it concerns, such as ``"tables.befolkning.key"``.
    """

    message: str
    path: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = ": ".join(p for p in (self.path, self.key) if p)
        return f"{where}: {self.message}" if where else self.message


class ConfigError(LagesbildError):
    """A city configuration (or the data it names) has problems.

    Raised once, after every check has run, with *all* the problems found:
    ``.problems`` is a list of :class:`ConfigProblem`, each naming the file
    and what is wrong; ``.path`` is the configuration file.

    Examples
    --------
    >>> import lagesbild as lb
    >>> e = lb.ConfigError.from_problems([
    ...     lb.ConfigProblem("no such file", path="data/befolkning.csv", key="tables.befolkning.file"),
    ...     lb.ConfigProblem("unknown key 'fiel' (did you mean 'file'?)", path="city.toml", key="layers.vatten"),
    ... ], path="city.toml")
    >>> print(e)
    city.toml: 2 problems:
      - data/befolkning.csv: tables.befolkning.file: no such file
      - city.toml: layers.vatten: unknown key 'fiel' (did you mean 'file'?)
    >>> len(e.problems)
    2
    """

    def __init__(self, message: str, *, problems: Iterable[ConfigProblem] = (), path: str | None = None) -> None:
        super().__init__(message, path=path)
        self.problems: list[ConfigProblem] = list(problems)

    @classmethod
    def from_problems(cls, problems: Iterable[ConfigProblem], *, path: str | None = None) -> ConfigError:
        """An error whose message lists every problem, one per line."""
        problems = list(problems)
        head = f"{path}: " if path else ""
        noun = "problem" if len(problems) == 1 else "problems"
        lines = [f"{head}{len(problems)} {noun}:"] + [f"  - {p}" for p in problems]
        return cls("\n".join(lines), problems=problems, path=path)
