"""Pickling a Layer: how it travels to other processes (Dask workers).

The native half goes as WKB (IPC bytes) with its name and CRS and is rebuilt
by ``from_wkb``; the attributes go as the polars DataFrame. Everything must
come back exactly, and validity must be checked again, not assumed.
"""

from __future__ import annotations

import datetime as dt
import pickle

import lagesbild as lb
import polars as pl
import pytest
import shapely

GEOMS = [
    shapely.Point(153_000.125, 6_580_000.1),
    shapely.LineString([(0, 0), (1e-9, 1), (2, 0.1 + 0.2)]),
    shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(2, 2), (4, 2), (4, 4), (2, 4)]]),
    None,
    shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(5, 5, 6, 6)]),
    shapely.MultiPoint([(1, 2), (3, 4)]),
    shapely.MultiLineString([[(0, 0), (1, 1)], [(2, 2), (3, 1)]]),
    shapely.GeometryCollection([shapely.Point(1, 1), shapely.LineString([(0, 0), (1, 0)])]),
]


def layer(crs: int = 3011, name: str = "blandat") -> lb.Layer:
    df = pl.DataFrame(
        {
            "namn": ["Å", "Ä", None, "Ö", "e", "f", "g", "h"],
            "n": [1, None, 3, 4, 5, 6, 7, 8],
            "v": [0.1, 2.5, None, float("nan"), 1e300, -0.0, 7.0, 8.0],
            "d": [dt.date(2023, 1, i + 1) for i in range(8)],
            "geometry": [None if g is None else shapely.to_wkb(g) for g in GEOMS],
        },
        schema_overrides={"geometry": pl.Binary},
    )
    return lb.Layer.from_polars(df, crs=crs, name=name)


def assert_same(a: lb.Layer, b: lb.Layer) -> None:
    assert b.name == a.name
    assert b.crs == a.crs and b.crs.epsg == a.crs.epsg and b.crs.name == a.crs.name
    assert len(b) == len(a)
    assert b.columns == a.columns
    # The same geometries, byte for byte (nulls kept), and the same attributes.
    assert b.to_polars().equals(a.to_polars(), null_equal=True)
    assert b.attributes.schema == a.attributes.schema


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_round_trip(protocol: int) -> None:
    original = layer()
    copy = pickle.loads(pickle.dumps(original, protocol=protocol))
    assert isinstance(copy, lb.Layer)
    assert_same(original, copy)
    assert copy["namn"].to_list() == ["Å", "Ä", None, "Ö", "e", "f", "g", "h"]
    assert shapely.from_wkb(copy.to_polars()["geometry"][0]).x == 153_000.125


@pytest.mark.parametrize("crs", [3006, 3011, 4326, 3021])
def test_round_trip_keeps_the_crs(crs: int) -> None:
    copy = pickle.loads(pickle.dumps(layer(crs=crs, name=f"in {crs}")))
    assert copy.crs == crs and copy.name == f"in {crs}"


def test_cloudpickle_as_dask_sends_it() -> None:
    cloudpickle = pytest.importorskip("cloudpickle")
    original = layer()
    assert_same(original, cloudpickle.loads(cloudpickle.dumps(original)))


def test_the_native_half_alone() -> None:
    inner = layer()._inner
    copy = pickle.loads(pickle.dumps(inner))
    assert isinstance(copy, lb._lagesbild.Layer)
    assert (copy.name, copy.crs, len(copy), copy.null_geometries()) == (inner.name, inner.crs, 8, 1)
    assert copy.wkb("geometry") == inner.wkb("geometry")


def test_empty_layer_and_layer_without_attributes() -> None:
    empty = lb.Layer.from_polars(
        pl.DataFrame({"name": [], "geometry": []}, schema={"name": pl.String, "geometry": pl.Binary}),
        crs=3011,
        name="tom",
    )
    copy = pickle.loads(pickle.dumps(empty))
    assert len(copy) == 0 and copy.columns == ["name"] and copy.bounds is None
    assert_same(empty, copy)
    bare = lb.Layer.from_polars(pl.DataFrame({"geometry": [shapely.to_wkb(shapely.Point(1, 2)), None]}), crs=3006)
    copy = pickle.loads(pickle.dumps(bare))
    assert copy.columns == [] and len(copy) == 2
    assert_same(bare, copy)


def test_only_null_geometries() -> None:
    nulls = lb.Layer.from_polars(
        pl.DataFrame({"k": [1, 2], "geometry": [None, None]}, schema_overrides={"geometry": pl.Binary}), crs=3011
    )
    copy = pickle.loads(pickle.dumps(nulls))
    assert copy._inner.null_geometries() == 2 and copy.geom_types == set()


def test_an_invalid_layer_is_still_refused_after_pickling() -> None:
    bow_tie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    bad = lb.Layer.from_polars(
        pl.DataFrame({"name": ["ok", "bow tie"], "geometry": [shapely.to_wkb(shapely.box(5, 5, 6, 6)), shapely.to_wkb(bow_tie)]}),
        crs=3011,
    )
    pts = pl.DataFrame({"x": [5.5], "y": [5.5]})
    with pytest.raises(lb.InvalidGeometryError) as before:
        lb.assign(pts, bad, key="name")
    copy = pickle.loads(pickle.dumps(bad))
    with pytest.raises(lb.InvalidGeometryError) as after:
        lb.assign(pts, copy, key="name")
    assert str(after.value) == str(before.value) and after.value.feature == 1
    assert copy.is_valid().to_list() == [True, False]


def test_a_valid_layer_checked_before_pickling_answers_the_same() -> None:
    areas = lb.Layer.from_polars(
        pl.DataFrame({"name": ["a", "b"], "geometry": [shapely.to_wkb(shapely.box(0, 0, 10, 10)), shapely.to_wkb(shapely.box(10, 0, 20, 10))]}),
        crs=3011,
    )
    pts = pl.DataFrame({"x": [5.0, 10.0, 15.0, 25.0], "y": [5.0] * 4})
    before = lb.assign(pts, areas, key="name")  # checks validity once, kept with the layer
    after = lb.assign(pts, pickle.loads(pickle.dumps(areas)), key="name")
    assert after.to_list() == before.to_list() == ["a", "a", "b", None]
    assert after.dtype == before.dtype
