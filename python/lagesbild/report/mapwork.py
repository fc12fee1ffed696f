"""The report's area risk maps, drawn beside the analyses in a second process.

Drawing a risk map is single-threaded matplotlib work (about half a
second a map, most of it text). On a machine with a second core the
report starts one worker process as soon as the hot cells are known; it
draws the maps from the last page backwards while this process computes
the remaining analyses and lays out the pages from the first page
forwards. When the pages reach a map the worker has not started, this
process draws it itself (the two meet in the middle); a map the worker is
drawing is waited for. A map is the same bytes whichever process draws
it, and a worker that fails to start or dies only means this process
draws the rest.

One core (``os.cpu_count() == 1``), a single map, or
``LAGESBILD_REPORT_WORKERS=0`` in the environment draws every map here.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lagesbild.city import City
    from lagesbild.layer import Layer

__all__ = ["MapJob", "MapWork", "draw"]

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


def draw(city: City, job: MapJob, area: str) -> bytes:
    """The area risk map of ``area`` as PNG bytes (:func:`lagesbild.maps.risk_map` at :data:`MAP_DPI`)."""
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
    m = risk_map(city, area, year=job.year, mode=job.mode, progress=False, dpi=MAP_DPI, extra=extra)
    try:
        return m.to_bytes("png", dpi=MAP_DPI)
    finally:
        plt.close(m.figure)


# -- the worker process --------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init(city: City, job: MapJob) -> None:
    _WORKER["city"] = city
    _WORKER["job"] = job


def _draw_in_worker(area: str) -> bytes:
    return draw(_WORKER["city"], _WORKER["job"], area)


def workers_wanted(n_maps: int) -> bool:
    """Whether a worker process pays: a second core, at least two maps, not turned off by the environment."""
    if os.environ.get("LAGESBILD_REPORT_WORKERS", "").strip() == "0":
        return False
    return n_maps >= 2 and (os.cpu_count() or 1) >= 2


class MapWork:
    """The maps of one report: handed to a worker process when one pays, drawn here otherwise.

    Examples
    --------
    The same bytes whoever draws a map (the worker starts with Kungsholmen,
    the last one):

    >>> import lagesbild as lb
    >>> city = lb.demo()
    >>> job = MapJob(year=2025, mode="open", cells=None, cells_label="", cells_title="")
    >>> with MapWork(city, job, ["Bromma", "Kungsholmen"], workers=True) as work:
    ...     pngs = {area: work.png(area) for area in ["Bromma", "Kungsholmen"]}
    >>> all(png == draw(city, job, area) for area, png in pngs.items())
    True
    """

    def __init__(self, city: City, job: MapJob, areas: list[str], *, workers: bool | None = None) -> None:
        self.city = city
        self.job = job
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict[str, Future[bytes]] = {}
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
                initargs=(city, job),
            )
            # The worker starts from the last page; this process from the first.
            for area in reversed(areas):
                self._futures[area] = self._pool.submit(_draw_in_worker, area)
        except (OSError, RuntimeError):
            self.close()

    def png(self, area: str) -> bytes:
        """The map of ``area``: the worker's, if it has started on it, else drawn here."""
        future = self._futures.pop(area, None)
        if future is not None and not future.cancel():
            try:
                return future.result()
            except Exception:  # noqa: BLE001 - the worker died or failed: draw here, where an error is raised plainly
                pass
        return draw(self.city, self.job, area)

    def close(self) -> None:
        """Stop the worker; maps not yet drawn are not drawn."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._futures.clear()

    def __enter__(self) -> MapWork:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
