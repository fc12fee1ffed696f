"""Progress bars for long work: a tqdm bar in notebooks and terminals, silence elsewhere.

Loading a city (:meth:`lagesbild.City.from_config`, :func:`lagesbild.demo`),
exposure (:func:`lagesbild.analysis.exposure`) and drawing maps
(:mod:`lagesbild.maps`) report their steps through :func:`steps`, and so
can hotspots and report generation. A bar is shown when someone is
watching — standard error is a terminal, or the code runs in a Jupyter
kernel — and only once the work has taken half a second (:data:`DELAY`),
so quick work on small inputs shows nothing. Scripts whose output goes to
a file, CI, and callers passing ``progress=False`` never get one.

tqdm is a dependency of the package (one pure-Python wheel with no
dependencies of its own), so bars need no extra. In Jupyter the bar is
tqdm's widget when ipywidgets is installed, else the text bar.
``LAGESBILD_PROGRESS=0`` turns every bar off and ``LAGESBILD_PROGRESS=1``
forces them on, at once (a bar then goes to standard error even when it
is not a terminal).

Examples
--------
>>> from lagesbild.progress import steps
>>> with steps(3, "Läser in", progress=False) as bar:
...     for _ in range(3):
...         bar.update()
>>> bar.n
3
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["DELAY", "interactive", "steps", "track"]

T = TypeVar("T")

#: Seconds of work before a bar appears (unless it is asked for with ``progress=True``
#: or ``LAGESBILD_PROGRESS=1``).
DELAY = 0.5


def _forced() -> bool | None:
    """``LAGESBILD_PROGRESS``: ``True`` (always), ``False`` (never) or ``None`` (not set)."""
    value = os.environ.get("LAGESBILD_PROGRESS", "").strip().lower()
    if value in ("0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    return None


def interactive() -> bool:
    """Whether a person is watching: a Jupyter kernel, or standard error on a terminal.

    ``LAGESBILD_PROGRESS`` overrides it (``0``: never, ``1``: always).
    """
    forced = _forced()
    if forced is not None:
        return forced
    if "ipykernel" in sys.modules:
        try:
            from IPython import get_ipython

            shell = get_ipython()
        except ImportError:  # pragma: no cover - ipykernel without IPython does not happen
            shell = None
        if shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell":
            return True
    stream = sys.stderr
    return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())


def _enabled(progress: bool | None) -> bool:
    return interactive() if progress is None else bool(progress) and interactive()


class _Silent:
    """What :func:`steps` gives when no bar is shown: counts, prints nothing."""

    def __init__(self, total: int | None) -> None:
        self.total = total
        self.n = 0

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        """Nothing to show."""

    def set_description(self, desc: str | None = None, refresh: bool = True) -> None:
        """Nothing to show."""


def _bar_class() -> Any:
    """Tqdm's notebook bar in Jupyter when ipywidgets is there, else the text bar."""
    if "ipykernel" in sys.modules:
        try:
            import ipywidgets  # noqa: F401
            from tqdm.notebook import tqdm

            return tqdm
        except ImportError:
            pass
    from tqdm import tqdm

    return tqdm


@contextmanager
def steps(total: int | None, desc: str, *, progress: bool | None = None, unit: str = "steg") -> Iterator[Any]:
    """A bar of ``total`` steps (or a silent counter), closed when the block ends.

    Parameters
    ----------
    total
        How many steps (``None`` when unknown).
    desc
        What is being done, in Swedish as the rest of the output
        (``"Läser in staden"``).
    progress
        ``None``: a bar when someone is watching (:func:`interactive`) and
        the work has taken :data:`DELAY` seconds; ``False``: never;
        ``True``: at once when someone is watching (a bar is never forced
        into a log file; ``LAGESBILD_PROGRESS=1`` does that).
    unit
        What a step is called.

    Yields
    ------
    object
        With ``update(n=1)``, ``set_postfix_str(text)``, ``total`` (may be
        set once known) and ``n``.
    """
    if not _enabled(progress):
        yield _Silent(total)
        return
    delay = 0.0 if progress is True or _forced() else DELAY
    bar = _bar_class()(
        total=total, desc=desc, unit=unit, leave=False, file=sys.stderr, dynamic_ncols=True, delay=delay
    )
    try:
        yield bar
    finally:
        bar.close()


def track(items: Iterable[T], desc: str, *, total: int | None = None, progress: bool | None = None) -> Iterator[T]:
    """The items, one by one, with a bar while someone is watching.

    Examples
    --------
    >>> from lagesbild.progress import track
    >>> list(track(range(3), "Räknar", progress=False))
    [0, 1, 2]
    """
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with steps(total, desc, progress=progress) as bar:
        for item in items:
            yield item
            bar.update()
