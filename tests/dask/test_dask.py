"""lagesbild.dask on a real distributed.LocalCluster of two worker processes.

Every answer must equal the single-machine function's on the same points,
value for value: points inside, outside every area, on boundaries (the
stadsdelar's own vertices), with NaN or null coordinates, and an empty
partition. The last test kills the worker running a partition (held at a
distributed.Event, so the kill is not a race) and checks that Dask's retry
still gives the exact answer.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import dask.dataframe as dd
import distributed
import lagesbild as lb
import lagesbild.dask as lbd
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyproj
import pytest
import shapely

# distributed's own warnings (a killed worker, comms closing, a slow event
# loop on a busy machine) are about the cluster, not lagesbild: ignored in
# this module only.
pytestmark = pytest.mark.filterwarnings("ignore:::distributed")

NPART = 6


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        memory_limit="1GiB",
        dashboard_address=None,
    )
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


@pytest.fixture(scope="module")
def areas(stockholm: Path) -> lb.Layer:
    return lb.read(stockholm / "stadsdelar.shp")


@pytest.fixture(scope="module")
def routes(areas: lb.Layer) -> lb.Layer:
    """Twelve seeded random walks across the city, key ``route``."""
    rng = np.random.default_rng(16)
    x0, y0, x1, y1 = areas.bounds
    lines = []
    for _ in range(12):
        start = rng.uniform([x0, y0], [x1, y1])
        steps = rng.normal(0, 400, size=(30, 2)).cumsum(axis=0)
        lines.append(shapely.to_wkb(shapely.LineString(start + steps)))
    df = pl.DataFrame({"route": [f"r{i}" for i in range(12)], "geometry": lines})
    return lb.Layer.from_polars(df, crs=3011, name="routes")


@pytest.fixture(scope="module")
def points(areas: lb.Layer) -> pd.DataFrame:
    """Random points over the city's box (about a third outside every area),
    every 7th vertex of the stadsdelar (on their boundaries), NaN and far-off
    points."""
    rng = np.random.default_rng(7)
    x0, y0, x1, y1 = areas.bounds
    n = 30_000
    xs, ys = rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)
    vertices = shapely.get_coordinates(shapely.from_wkb(areas.to_polars()["geometry"].to_list()))[::7]
    odd = np.array([[np.nan, y0 + 10], [x0 + 10, np.nan], [np.nan, np.nan], [x0 - 1e5, y0], [1e12, -1e12]])
    xy = np.concatenate([np.column_stack([xs, ys]), vertices, odd])
    order = rng.permutation(len(xy))
    return pd.DataFrame({"x": xy[order, 0], "y": xy[order, 1], "id": np.arange(len(xy))})


def partitions(pdf: pd.DataFrame, n: int = NPART, empty_at: int = 2) -> list[pd.DataFrame]:
    """``pdf`` in ``n`` pieces, with an empty one at ``empty_at``."""
    bounds = np.linspace(0, len(pdf), n + 1).astype(int)
    parts = [pdf.iloc[a:b].copy() for a, b in zip(bounds[:-1], bounds[1:])]
    parts.insert(empty_at, pdf.iloc[:0].copy())
    return parts


def dask_points(pdf: pd.DataFrame) -> dd.DataFrame:
    """The points as a Dask DataFrame, an empty partition among them."""
    return dd.from_map(pd.DataFrame, partitions(pdf))


def values(s: pd.Series) -> list:
    """A pandas column as Python values, None for null."""
    return [None if pd.isna(v) else v for v in s.astype(object)]


def assert_key_equal(got: pd.Series, want: pl.Series) -> None:
    assert got.name == want.name
    if isinstance(want.dtype, pl.Enum):
        assert isinstance(got.dtype, pd.CategoricalDtype)
        assert list(got.cat.categories) == want.dtype.categories.to_list()
        assert not got.cat.ordered
    assert values(got) == want.to_list()


def assert_float_equal(got: pd.Series, want: pl.Series) -> None:
    assert got.dtype == np.float64
    assert np.array_equal(got.to_numpy(), want.to_numpy(), equal_nan=True)


def test_assign_equals_lb_assign(client, areas, points) -> None:
    ddf = dask_points(points)
    got = lbd.assign(ddf, areas, key="name")
    assert got.npartitions == NPART + 1
    result = got.compute()
    want = lb.assign(pl.from_pandas(points[["x", "y"]]), areas, key="name")
    assert result.index.equals(pd.concat(partitions(points)).index)
    assert_key_equal(result, want)
    # Points on boundaries, outside and with NaN coordinates are all there.
    assert result.isna().sum() > 5_000
    # The counts continue in Dask, and are the single-machine counts.
    counts = got.value_counts().compute()
    want_counts = dict(want.value_counts().drop_nulls().iter_rows())
    assert {k: v for k, v in counts.items() if v} == want_counts


def test_the_layer_is_one_task_of_the_graph(areas, points, tmp_path: Path) -> None:
    for i, part in enumerate(partitions(points, empty_at=0)[1:]):
        part.to_parquet(tmp_path / f"part-{i}.parquet")
    got = lbd.assign(dd.read_parquet(tmp_path), areas, key="name")
    graph = dict(got.__dask_graph__())
    layer_keys = [k for k in graph if "lagesbild-layer" in str(k)]
    assert len(layer_keys) == 1
    size = len(pickle.dumps(areas))
    # No partition task carries the areas: each is much smaller than they are.
    for k, task in graph.items():
        if k not in layer_keys:
            assert len(distributed.protocol.pickle.dumps(task)) < size / 10


def test_meta_is_exact(areas, routes, points) -> None:
    ddf = dask_points(points)
    s = lbd.assign(ddf, areas, key="name")
    assert s.dtype == pd.CategoricalDtype(areas["name"].unique(maintain_order=True).to_list())
    assert s.compute().dtype == s.dtype
    w = lbd.within_distance(ddf, routes, 150, key="route")
    assert list(w.columns) == ["within", "distance_m", "route"]
    assert w.compute().dtypes.to_dict() == w.dtypes.to_dict()
    n = lbd.nearest(ddf, routes, key="route")
    assert list(n.columns) == ["route", "right_index", "distance_m"]
    assert n.compute().dtypes.to_dict() == n.dtypes.to_dict()
    assert n.dtypes["right_index"] == pd.Int64Dtype()


def test_within_distance_equals_lb_within_distance(client, routes, points) -> None:
    result = lbd.within_distance(dask_points(points), routes, 150, key="route").compute()
    want = lb.within_distance(pl.from_pandas(points[["x", "y"]]), routes, 150, key="route")
    assert list(result.columns) == want.columns
    assert result["within"].dtype == np.bool_
    assert result["within"].tolist() == want["within"].to_list()
    assert_float_equal(result["distance_m"], want["distance_m"])
    assert_key_equal(result["route"], want["route"])
    assert 100 < result["within"].sum() < len(points)


def test_nearest_equals_lb_nearest(client, areas, routes, points) -> None:
    ddf = dask_points(points)
    for right, key, limit in [(routes, "route", None), (routes, "route", 500.0), (areas, "name", 2_000.0)]:
        result = lbd.nearest(ddf, right, key=key, max_distance=limit).compute()
        want = lb.nearest(pl.from_pandas(points[["x", "y"]]), right, key=key, max_distance=limit)
        assert list(result.columns) == want.columns
        assert_key_equal(result[key], want[key])
        assert values(result["right_index"]) == want["right_index"].to_list()
        assert_float_equal(result["distance_m"], want["distance_m"])


def test_nearest_of_points_equals_nearest_of_a_point_layer(areas, routes, points) -> None:
    finite = points.dropna()
    layer = lb.Layer.from_polars(
        pl.DataFrame({"geometry": shapely.to_wkb(shapely.points(finite[["x", "y"]].to_numpy()))}), crs=3011
    )
    by_layer = lb.nearest(layer, routes, key="route")
    by_xy = lb.nearest(pl.from_pandas(finite[["x", "y"]]), routes, key="route")
    assert by_xy.equals(by_layer)


def test_other_keys_keep_their_type(client, areas, points) -> None:
    nr = pl.Series("nr", [None if i == 3 else 1000 + i for i in range(len(areas))], dtype=pl.Int32)
    numbered = areas.with_attributes(areas.attributes.with_columns(nr))
    got = lbd.assign(dask_points(points), numbered, key="nr")
    result = got.compute()
    assert result.dtype == got.dtype == pd.ArrowDtype(pa.int32())
    assert values(result) == lb.assign(pl.from_pandas(points[["x", "y"]]), numbered, key="nr").to_list()


def test_nullable_and_transformed_coordinates(client, areas, points) -> None:
    # The points in SWEREF 99 TM with nullable Float64 columns (pd.NA).
    xs, ys = pyproj.Transformer.from_crs(3011, 3006, always_xy=True).transform(points["x"], points["y"])
    tm = pd.DataFrame({"e": xs, "n": ys}).astype("Float64")
    tm.loc[::97, "e"] = pd.NA
    got = lbd.assign(dask_points(tm), areas, key="name", x="e", y="n", crs=3006).compute()
    want = lb.assign(pl.from_pandas(tm), areas, key="name", x="e", y="n", crs=3006)
    assert_key_equal(got, want)


def test_read_parquet_partitions(client, areas, points, tmp_path: Path) -> None:
    for i, part in enumerate(partitions(points, n=4, empty_at=0)[1:]):
        part.to_parquet(tmp_path / f"part-{i}.parquet", index=False)
    ddf = dd.read_parquet(tmp_path)
    got = lbd.assign(ddf, areas, key="name").compute()
    want = lb.assign(pl.read_parquet(tmp_path / "*.parquet"), areas, key="name")
    assert_key_equal(got, want)


def test_coordinates_go_to_the_core_without_a_copy_when_they_can() -> None:
    from lagesbild.dask import _coords

    df = pd.DataFrame({"x": np.arange(10.0), "n": np.arange(10, dtype=np.int32)})
    assert np.shares_memory(_coords(df, "x", "assign"), df["x"].to_numpy())
    assert _coords(df, "n", "assign").dtype == np.float64
    # A column a worker received sits where the message put it, maybe not
    # aligned for float64: that one is copied.
    unaligned = np.frombuffer(bytearray(8 * 10 + 1), dtype=np.float64, count=10, offset=1)
    df = pd.DataFrame({"x": unaligned}, copy=False)
    assert not df["x"].to_numpy().flags.aligned
    got = _coords(df, "x", "assign")
    assert got.flags.aligned and got.flags.c_contiguous and not np.shares_memory(got, unaligned)


def test_errors_are_raised_when_the_graph_is_built(areas, routes, points) -> None:
    ddf = dask_points(points)
    with pytest.raises(lb.ColumnNotFoundError, match="no column 'lon'"):
        lbd.assign(ddf, areas, key="name", x="lon")
    with pytest.raises(lb.ColumnNotFoundError, match="no column 'namn'"):
        lbd.assign(ddf, areas, key="namn")
    with pytest.raises(lb.InvalidArgumentError, match="not numbers"):
        lbd.assign(ddf.assign(x=ddf["x"].astype(str)), areas, key="name")
    with pytest.raises(TypeError, match="dask.dataframe.DataFrame"):
        lbd.assign(pl.from_pandas(points), areas, key="name")
    with pytest.raises(lb.CrsError):
        lbd.within_distance(ddf, routes.to_crs(4326), 150, key="route")
    bow_tie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    bad = lb.Layer.from_polars(pl.DataFrame({"name": ["x"], "geometry": [shapely.to_wkb(bow_tie)]}), crs=3011)
    with pytest.raises(lb.InvalidGeometryError):
        lbd.assign(ddf, bad, key="name")


def test_import_without_dask_names_the_extra() -> None:
    code = (
        "import sys\n"
        "sys.modules['dask'] = None\n"
        "import lagesbild\n"
        "assert 'lagesbild.dask' not in sys.modules\n"
        "try:\n"
        "    import lagesbild.dask\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'lagesbild[dask]'" in out.stdout


def _held(df: pd.DataFrame, number: int, event: str, partition_info: dict | None = None) -> pd.DataFrame:
    """Partition ``number`` says it has started, then waits at a distributed.Event before going on."""
    if partition_info is not None and partition_info["number"] == number:
        distributed.Event(f"{event}-started").set()
        distributed.Event(event).wait()
    return df


def _on_scheduler(number: int, dask_scheduler=None) -> list[tuple[str, str]]:
    """The tasks of partition ``number`` the scheduler has given a worker, with that worker."""
    return [
        (str(ts.key), ts.processing_on.address)
        for ts in dask_scheduler.tasks.values()
        if ts.processing_on is not None and isinstance(ts.key, tuple) and ts.key[-1] == number
    ]


def _suspicious(key: str, dask_scheduler=None) -> int:
    """How many workers died running the task ``key``."""
    return next(ts.suspicious for ts in dask_scheduler.tasks.values() if str(ts.key) == key)


def _executing(dask_worker) -> list[str]:
    return [str(k) for k, ts in dask_worker.state.tasks.items() if ts.state == "executing"]


def test_a_killed_worker_is_retried_and_the_answer_is_exact(client, areas, points) -> None:
    held_at, event = 4, f"lagesbild-hold-{os.getpid()}"
    ddf = dask_points(points)
    held = ddf.map_partitions(_held, held_at, event, meta=ddf._meta)
    future = client.compute(lbd.assign(held, areas, key="name"))
    assert distributed.Event(f"{event}-started").wait(timeout=30), "the held partition never started"
    # The worker whose one thread waits at the event is the one executing partition held_at.
    deadline = time.monotonic() + 30
    key = worker = None
    while key is None:
        assert time.monotonic() < deadline, "the scheduler does not show the held partition"
        for k, w in client.run_on_scheduler(_on_scheduler, held_at):
            if k in client.run(_executing, workers=[w])[w]:
                key, worker = k, w
        time.sleep(0.05)
    pid = client.run(os.getpid, workers=[worker])[worker]
    assert pid != os.getpid()
    os.kill(pid, signal.SIGKILL)
    while worker in client.scheduler_info()["workers"]:
        assert time.monotonic() < deadline, "the scheduler never noticed the dead worker"
        time.sleep(0.05)
    # The scheduler holds the death against the task, and gives it to a worker again.
    assert client.run_on_scheduler(_suspicious, key) == 1
    distributed.Event(event).set()
    result = future.result(timeout=60)
    want = lb.assign(pl.from_pandas(points[["x", "y"]]), areas, key="name")
    assert_key_equal(result, want)
