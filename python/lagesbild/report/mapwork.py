"""The report's area risk maps, drawn beside the analyses in a second process.

Drawing a risk map is single-threaded matplotlib work (about half a
second a map, most of it text). On a machine with a second core the
report starts one worker process as soon as it starts: while this
process computes the hot cells, the worker starts Python, imports
matplotlib and takes the city. Once the hot cells are known
(:meth:`MapWork.start`) the worker draws the maps from the last page
backwards, one at a time, while this process computes the remaining
analyses and lays out the pages from the first page forwards. When the
pages reach a map the worker has not taken, this process draws it
itself (the two meet in the middle); a map the worker is drawing is
waited for. A map is the same bytes whichever process draws it, and a
worker that fails to start or dies only means this process draws the
rest.

One core (``os.cpu_count() == 1``), a single map, or
``LAGESBILD_REPORT_WORKERS=0`` in the environment draws every map here.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

    from lagesbild.city import City
    from lagesbild.layer import Layer

__all__ = ["DrawnMap", "MapJob", "MapWork", "draw"]

#: The resolution of the risk maps inlined in the pages (a screen's, not print's: the PNG stays small).
MAP_DPI = 100


@dataclass(frozen=True)
class MapJob:
    """What every map of one report shares: the city's year and mode, and the hot cells with their legend."""

    year: int
    mode: str
    cells: Layer | None  # the cells hot for any theme, or None
    cells_label: str
    cells_title: str


@dataclass(frozen=True)
class DrawnMap:
    """One area's risk map for its page: the PNG and the facilities it numbers and counts."""

    png: bytes
    table: pl.DataFrame  # the numbered facilities (Map.table), printed as the page's table
    protected: pl.DataFrame  # the protected facilities at risk per stadsdel (Map.protected)


def draw(city: City, job: MapJob, area: str) -> DrawnMap:
    """The area risk map of ``area`` (:func:`lagesbild.maps.risk_map` at :data:`MAP_DPI`, no table on the map).

    The page prints the table of numbered facilities itself, where it can
    be read at any size, searched and read aloud.
    """
    import matplotlib.pyplot as plt

    from lagesbild.maps import overlays, risk_map

    extra = []
    if job.cells is not None:
        extra.append(
            overlays.cells(
                job.cells,
                classes={"hot": (overlays.HOTSPOT_CLASSES["hot"][0], job.cells_label)},
                title=job.cells_title,
            )
        )
    m = risk_map(city, area, year=job.year, mode=job.mode, progress=False, dpi=MAP_DPI, extra=extra, table=False)
    try:
        return DrawnMap(png=m.to_bytes("png", dpi=MAP_DPI), table=m.table, protected=m.protected)
    finally:
        plt.close(m.figure)


# -- the worker process --------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init() -> None:
    # What every map needs, imported while the report computes the hot cells.
    import matplotlib.pyplot  # noqa: F401

    import lagesbild.maps.risk_map  # noqa: F401


def _take(city: City) -> None:
    """The worker's first task: the city.

    Given as a task, not to the initializer, so that the report does not
    wait while the worker starts: a new process reads its initializer's
    arguments only once it has imported what they need, and the pipe
    holds far less than a city, so the report would block on it.
    """
    _WORKER["city"] = city


def _draw_in_worker(job: MapJob, area: str) -> DrawnMap:
    return draw(_WORKER["city"], job, area)


def workers_wanted(n_maps: int) -> bool:
    """Whether a worker process pays: a second core, at least two maps, not turned off by the environment."""
    if os.environ.get("LAGESBILD_REPORT_WORKERS", "").strip() == "0":
        return False
    return n_maps >= 2 and (os.cpu_count() or 1) >= 2


class MapWork:
    """The maps of one report: shared with a worker process when one pays, drawn here otherwise.

    Made when the report starts (the worker starts with it); :meth:`start`
    gives it the :class:`MapJob` once the hot cells are known, and
    :meth:`map` answers each area's map in page order.

    Examples
    --------
    The same bytes whoever draws a map (the worker starts with Kungsholmen,
    the last one):

    >>> import lagesbild as lb
    >>> city = lb.demo()
    >>> job = MapJob(year=2025, mode="open", cells=None, cells_label="", cells_title="")
    >>> with MapWork(city, ["Bromma", "Kungsholmen"], workers=True) as work:
    ...     work.start(job)
    ...     drawn = {area: work.map(area) for area in ["Bromma", "Kungsholmen"]}
    >>> all(d.png == draw(city, job, area).png for area, d in drawn.items())
    True
    >>> drawn["Bromma"].table.columns
    ['nr', 'namn', 'kategori', 'stadsdel', 'risk']
    """

    def __init__(self, city: City, areas: list[str], *, workers: bool | None = None) -> None:
        self.city = city
        self.job: MapJob | None = None
        self._todo = list(areas)  # the worker takes from the end, this process from the front
        self._taken: dict[str, Future[DrawnMap]] = {}  # the maps the worker has taken
        self._lock = threading.Lock()
        self._feeder: threading.Thread | None = None
        self._pool: ProcessPoolExecutor | None = None
        #: The areas whose maps came from the worker, in the order asked for.
        self.by_worker: list[str] = []
        if workers is None:
            workers = workers_wanted(len(areas))
        if not workers:
            return
        try:
            # spawn, not fork: the Rust core and polars keep thread pools a fork would copy mid-use.
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init,
            )
            self._pool.submit(_take, city)
        except (OSError, RuntimeError):
            self.close()

    def start(self, job: MapJob) -> None:
        """Give the maps their job; the worker, if there is one, begins with the last area."""
        self.job = job
        if self._pool is not None and self._feeder is None:
            self._feeder = threading.Thread(target=self._feed, name="lagesbild-maps", daemon=True)
            self._feeder.start()

    def _feed(self) -> None:
        # One map at a time: a map handed over is a map this process may have to wait for, so the
        # worker is given the next only when it has finished the last.
        while True:
            with self._lock:
                if self._pool is None or not self._todo:
                    return
                area = self._todo.pop()
                try:
                    future = self._pool.submit(_draw_in_worker, self.job, area)
                except RuntimeError:  # shut down, or the worker died
                    self._todo.append(area)
                    return
                self._taken[area] = future
            try:
                if future.exception() is not None:
                    return  # the worker failed or died: this process draws the rest (and this one, see map)
            except CancelledError:  # closed before the worker took it
                return

    def map(self, area: str) -> DrawnMap:
        """The map of ``area``: the worker's, if it has taken it, else drawn here."""
        if self.job is None:
            msg = "MapWork.map: start(job) first"
            raise RuntimeError(msg)
        with self._lock:
            if area in self._todo:
                self._todo.remove(area)
                future = None
            else:
                future = self._taken.pop(area, None)
        if future is not None:
            try:
                drawn = future.result()
                self.by_worker.append(area)
                return drawn
            except Exception:  # noqa: BLE001 - the worker died or failed: draw here, where an error is raised plainly
                pass
        return draw(self.city, self.job, area)

    def close(self) -> None:
        """Stop the worker; maps not yet drawn are not drawn.

        The worker is not waited for: it ends by itself (Python's shutdown
        takes it a few tenths of a second) while the report is written.
        """
        with self._lock:
            self._todo.clear()
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        if self._feeder is not None:
            self._feeder.join()
            self._feeder = None
        self._taken.clear()

    def __enter__(self) -> MapWork:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
