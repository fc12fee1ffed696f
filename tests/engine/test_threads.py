"""``set_threads``: its argument checks, and every engine function giving the
same answer on one thread and on two."""

from __future__ import annotations

import lagesbild as lb
import numpy as np
import polars as pl
import pytest
from engine_helpers import layer
from shapely.geometry import LineString, Point, box


@pytest.fixture
def restore_threads():
    before = lb.threads()
    yield
    lb.set_threads(before)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2", None])
def test_set_threads_refuses_non_positive_and_non_integers(bad: object, restore_threads: None) -> None:
    before = lb.threads()
    with pytest.raises(lb.InvalidArgumentError, match="set_threads"):
        lb.set_threads(bad)  # type: ignore[arg-type]
    assert lb.threads() == before


def test_results_do_not_depend_on_the_thread_count(restore_threads: None) -> None:
    rng = np.random.default_rng(7)
    # Enough points for many parallel chunks, areas with shared edges.
    cells = [box(i * 100, j * 100, i * 100 + 100, j * 100 + 100) for i in range(8) for j in range(8)]
    areas = layer(cells, name=[f"c{i}" for i in range(64)])
    zones = layer(
        [Point(rng.uniform(0, 800), rng.uniform(0, 800)).buffer(rng.uniform(20, 150)) for _ in range(30)],
        z=list(range(30)),
    )
    lines = layer([LineString(rng.uniform(0, 800, (6, 2))) for _ in range(20)], r=list(range(20)))
    pts = pl.DataFrame(
        {"x": np.round(rng.uniform(-10, 810, 200_000), 0), "y": np.round(rng.uniform(-10, 810, 200_000), 0)}
    )
    pt_layer = layer([Point(x, y) for x, y in rng.uniform(0, 800, (300, 2))], id=list(range(300)))

    def run() -> list:
        return [
            lb.assign(pts, areas, key="name").to_list(),
            lb.overlay_area(zones, areas, zone_key="z", area_key="name").rows(),
            lb.length_within(lines, areas, line_key="r", area_key="name").rows(),
            lb.within_distance(pts.head(20_000), lines, 25, key="r").rows(),
            lb.nearest(pt_layer, lines, key="r").rows(),
            lb.sjoin(zones, areas).attributes.rows(),
            lb.buffer(lines, 10).area().to_list(),
            lb.dissolve(zones.with_attributes(pl.DataFrame({"g": [i % 3 for i in range(30)]})), by="g")
            .area()
            .to_list(),
        ]

    lb.set_threads(1)
    assert lb.threads() == 1
    one = run()
    lb.set_threads(2)
    assert lb.threads() == 2
    two = run()
    for a, b in zip(one, two, strict=True):
        assert a == b
    # And the answer is not trivially empty.
    assert sum(v is not None for v in one[0]) > 150_000
    assert len(one[1]) > 30 and len(one[2]) > 20
