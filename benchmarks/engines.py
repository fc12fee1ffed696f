"""The four engines, each doing the five workloads its own idiomatic way.

An engine is a class with three methods, called in one child process per
engine and case (see ``run.py``):

- ``setup(threads)``: import the library, open a connection, set threads —
  not timed with the workload (recorded as ``setup_s``);
- ``load(workload, inputs)``: read every input of the workload into memory
  once (timed as ``load_s``) and return it;
- ``run(workload, loaded)``: the timed workload — building point geometries
  where the engine needs them, every index, the join and the group-by —
  returning the answer in the common form of :func:`counts` or
  :func:`pairs`, so that the runner can check the engines agree;
- ``fresh(workload, inputs, loaded)`` (only an engine that keeps indexes
  with its inputs, lagesbild): read the inputs that keep them again, so
  that the next run is cold; timed apart (``fresh_times_s``).

``inputs`` maps ``points``, ``areas``, ``bands`` and ``routes`` to file
paths. The workloads (see ``benchmarks/README.md``):

- **W1** points per stadsdel (and outside every stadsdel);
- **W2** intersection area per (flood band, stadsdel);
- **W3** distinct points within 150 m of any route, per stadsdel;
- **W4** route length per (route class, stadsdel);
- **W5** the flood-band pieces per stadsdel: the intersection polygons
  themselves (as for a map), answered by the area of each piece.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

#: Points within this many metres of a route count in W3.
W3_DISTANCE = 150.0

#: Key of the areas (stadsdelar), the bands and the route classes.
AREA_KEY = "name"
BAND_KEY = "band"
ROUTE_ID = "route_id"
ROUTE_CLASS = "klass"


def counts(items: Iterable[tuple[Any, Any]]) -> dict:
    """Put a count per key in the common form ``{"kind": "counts", "rows": …}``.

    Keys are text or ``None`` (points in no stadsdel); rows are sorted with
    ``None`` first and zero counts dropped, so equal answers are equal
    values.

    >>> counts([("B", 2), (None, 5), ("A", 1), ("C", 0)])["rows"]
    [[None, 5], ['A', 1], ['B', 2]]
    """
    merged: dict = {}
    for key, n in items:
        key = _key(key)
        merged[key] = merged.get(key, 0) + int(n)
    rows = [[k, n] for k, n in merged.items() if n != 0]
    rows.sort(key=lambda r: (r[0] is not None, r[0] or ""))
    return {"kind": "counts", "rows": rows}


def pairs(items: Iterable[tuple[Any, Any, Any]]) -> dict:
    """Put a measure per key pair in the common form ``{"kind": "pairs", …}``.

    Values of the same pair are summed; pairs whose total is zero (shapes
    that only touch) are dropped, since engines differ in whether they
    report them.

    >>> pairs([("25m", "B", 1.5), ("25m", "A", 2.0), ("25m", "B", 0.5), ("x", "y", 0.0)])["rows"]
    [['25m', 'A', 2.0], ['25m', 'B', 2.0]]
    """
    merged: dict = {}
    for a, b, v in items:
        key = (_key(a), _key(b))
        merged[key] = merged.get(key, 0.0) + float(v)
    rows = [[a, b, v] for (a, b), v in merged.items() if v != 0.0]
    rows.sort(key=lambda r: (r[0] or "", r[1] or ""))
    return {"kind": "pairs", "rows": rows}


def _key(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return str(value)


class GeoPandas:
    """geopandas 1.x over shapely 2 (GEOS): one thread, STRtree indexes."""

    name = "geopandas"

    def setup(self, threads: int | None) -> int:
        import geopandas  # noqa: F401
        import pyarrow.parquet  # noqa: F401

        return 1

    def versions(self) -> dict:
        import geopandas
        import pandas
        import pyogrio
        import shapely

        return {
            "geopandas": geopandas.__version__,
            "shapely": shapely.__version__,
            "GEOS": shapely.geos_version_string,
            "pyogrio": pyogrio.__version__,
            "pandas": pandas.__version__,
        }

    def load(self, workload: str, inputs: dict) -> dict:
        import geopandas as gpd
        import pyarrow.parquet as pq

        loaded = {"areas": gpd.read_file(inputs["areas"], columns=[AREA_KEY])}
        if workload in ("W1", "W3"):
            table = pq.read_table(inputs["points"], columns=["x", "y"])
            loaded["x"] = table.column("x").to_numpy()
            loaded["y"] = table.column("y").to_numpy()
        if workload in ("W2", "W5"):
            loaded["bands"] = gpd.read_parquet(inputs["bands"])
        if workload in ("W3", "W4"):
            loaded["routes"] = gpd.read_parquet(inputs["routes"])
        return loaded

    def run(self, workload: str, d: dict) -> dict:
        import geopandas as gpd

        areas = d["areas"]
        if workload in ("W1", "W3"):
            points = gpd.GeoDataFrame(
                geometry=gpd.points_from_xy(d["x"], d["y"], crs=areas.crs)
            )
        if workload == "W1":
            joined = gpd.sjoin(points, areas, how="left", predicate="within")
            return counts(joined[AREA_KEY].value_counts(dropna=False).items())
        if workload == "W2":
            pieces = gpd.overlay(d["bands"], areas, how="intersection", keep_geom_type=True)
            pieces["area"] = pieces.area
            total = pieces.groupby([BAND_KEY, AREA_KEY])["area"].sum()
            return pairs((a, b, v) for (a, b), v in total.items())
        if workload == "W3":
            near = gpd.sjoin(
                points, d["routes"][["geometry"]], predicate="dwithin", distance=W3_DISTANCE
            )
            near_points = points.loc[near.index.unique()]
            joined = gpd.sjoin(near_points, areas, how="left", predicate="within")
            return counts(joined[AREA_KEY].value_counts(dropna=False).items())
        if workload == "W4":
            pieces = gpd.overlay(
                d["routes"][[ROUTE_CLASS, "geometry"]], areas, how="intersection",
                keep_geom_type=True,
            )
            pieces["length"] = pieces.length
            total = pieces.groupby([ROUTE_CLASS, AREA_KEY])["length"].sum()
            return pairs((a, b, v) for (a, b), v in total.items())
        if workload == "W5":
            pieces = gpd.overlay(d["bands"], areas, how="intersection", keep_geom_type=True)
            return pairs(zip(pieces[BAND_KEY], pieces[AREA_KEY], pieces.area))
        raise ValueError(f"unknown workload {workload!r}")


class DuckDB:
    """DuckDB with its spatial extension (GEOS), SQL, ``SET threads``."""

    name = "duckdb"

    def setup(self, threads: int | None) -> int:
        import duckdb
        import duckdb_extensions

        self.con = duckdb.connect()
        duckdb_extensions.import_extension("spatial", con=self.con)
        self.con.sql("LOAD spatial")
        self.threads = threads or 2
        self.con.sql(f"SET threads = {int(self.threads)}")
        return self.threads

    def versions(self) -> dict:
        import duckdb

        spatial = self.con.sql(
            "SELECT extension_version FROM duckdb_extensions() WHERE extension_name = 'spatial'"
        ).fetchone()
        return {"duckdb": duckdb.__version__, "spatial": spatial[0] if spatial else None}

    def load(self, workload: str, inputs: dict) -> None:
        con = self.con
        con.execute(
            f"CREATE OR REPLACE TABLE areas AS SELECT {AREA_KEY}, geom FROM ST_Read(?)",
            [str(inputs["areas"])],
        )
        if workload in ("W1", "W3"):
            con.execute(
                "CREATE OR REPLACE TABLE pts AS SELECT x, y FROM read_parquet(?)",
                [str(inputs["points"])],
            )
        if workload in ("W2", "W5"):
            con.execute(
                f"CREATE OR REPLACE TABLE bands AS SELECT {BAND_KEY}, geometry AS geom "
                "FROM read_parquet(?)",
                [str(inputs["bands"])],
            )
        if workload in ("W3", "W4"):
            con.execute(
                f"CREATE OR REPLACE TABLE routes AS SELECT {ROUTE_ID}, {ROUTE_CLASS}, "
                "geometry AS geom FROM read_parquet(?)",
                [str(inputs["routes"])],
            )
        return None

    def run(self, workload: str, _loaded: None) -> dict:
        con = self.con
        if workload == "W1":
            rows = con.sql(
                f"SELECT a.{AREA_KEY}, count(*) FROM pts p "
                "LEFT JOIN areas a ON ST_Contains(a.geom, ST_Point(p.x, p.y)) "
                f"GROUP BY a.{AREA_KEY}"
            ).fetchall()
            return counts(rows)
        if workload == "W2":
            rows = con.sql(
                f"SELECT b.{BAND_KEY}, a.{AREA_KEY}, ST_Area(ST_Intersection(b.geom, a.geom)) "
                "FROM bands b JOIN areas a ON ST_Intersects(b.geom, a.geom)"
            ).fetchall()
            return pairs(rows)
        if workload == "W3":
            rows = con.sql(
                "WITH near AS ("
                "  SELECT DISTINCT p.rowid AS id, p.x, p.y FROM pts p JOIN routes r"
                f"  ON ST_DWithin(ST_Point(p.x, p.y), r.geom, {W3_DISTANCE})) "
                f"SELECT a.{AREA_KEY}, count(*) FROM near n "
                "LEFT JOIN areas a ON ST_Contains(a.geom, ST_Point(n.x, n.y)) "
                f"GROUP BY a.{AREA_KEY}"
            ).fetchall()
            return counts(rows)
        if workload == "W4":
            rows = con.sql(
                f"SELECT r.{ROUTE_CLASS}, a.{AREA_KEY}, "
                "sum(ST_Length(ST_Intersection(r.geom, a.geom))) "
                "FROM routes r JOIN areas a ON ST_Intersects(r.geom, a.geom) "
                f"GROUP BY r.{ROUTE_CLASS}, a.{AREA_KEY}"
            ).fetchall()
            return pairs(rows)
        if workload == "W5":
            # The pieces made into a table (as a map layer would be), then measured.
            con.sql(
                f"CREATE OR REPLACE TEMP TABLE pieces AS SELECT b.{BAND_KEY}, a.{AREA_KEY}, "
                "ST_Intersection(b.geom, a.geom) AS geom "
                "FROM bands b JOIN areas a ON ST_Intersects(b.geom, a.geom)"
            )
            rows = con.sql(f"SELECT {BAND_KEY}, {AREA_KEY}, ST_Area(geom) FROM pieces").fetchall()
            return pairs(rows)
        raise ValueError(f"unknown workload {workload!r}")


class SedonaDB:
    """SedonaDB (Apache DataFusion with spatial joins), SQL over memtables."""

    name = "sedonadb"

    def setup(self, threads: int | None) -> int:
        import os

        import sedonadb

        self.sd = sedonadb.connect()
        self.threads = threads or os.cpu_count() or 1
        if threads:
            self.sd.sql(f"SET datafusion.execution.target_partitions TO {int(threads)}").execute()
        return self.threads

    def versions(self) -> dict:
        import sedonadb

        return {"sedonadb": sedonadb.__version__}

    def load(self, workload: str, inputs: dict) -> None:
        sd = self.sd
        # Materialised in memory (memtables), as the other engines hold their
        # inputs; the shapefile is read through pyogrio (GDAL).
        sd.read_pyogrio(str(inputs["areas"])).to_memtable().to_view("areas", overwrite=True)
        if workload in ("W1", "W3"):
            sd.read_parquet(str(inputs["points"])).to_memtable().to_view("pts", overwrite=True)
        if workload in ("W2", "W5"):
            sd.read_parquet(str(inputs["bands"])).to_memtable().to_view("bands", overwrite=True)
        if workload in ("W3", "W4"):
            sd.read_parquet(str(inputs["routes"])).to_memtable().to_view("routes", overwrite=True)
        # The areas' CRS (EPSG:3011 from the .prj) is carried by SedonaDB;
        # points are given the same CRS so the predicates compare like with like.
        return None

    def run(self, workload: str, _loaded: None) -> dict:
        sd = self.sd
        point = "ST_SetSRID(ST_Point(p.x, p.y), 3011)"
        if workload == "W1":
            df = sd.sql(
                f"SELECT a.{AREA_KEY} AS k, count(*) AS n FROM pts p "
                f"LEFT JOIN areas a ON ST_Contains(a.wkb_geometry, {point}) "
                f"GROUP BY a.{AREA_KEY}"
            ).to_arrow_table()
            return counts(zip(df.column("k").to_pylist(), df.column("n").to_pylist()))
        if workload == "W2":
            df = sd.sql(
                f"SELECT b.{BAND_KEY} AS k1, a.{AREA_KEY} AS k2, "
                "ST_Area(ST_Intersection(b.geometry, a.wkb_geometry)) AS v "
                "FROM bands b JOIN areas a ON ST_Intersects(b.geometry, a.wkb_geometry)"
            ).to_arrow_table()
            return pairs(zip(*(df.column(c).to_pylist() for c in ("k1", "k2", "v"))))
        if workload == "W3":
            df = sd.sql(
                "WITH near AS ("
                "  SELECT p.x, p.y FROM pts p LEFT SEMI JOIN routes r"
                f"  ON ST_DWithin({point}, r.geometry, {W3_DISTANCE})) "
                f"SELECT a.{AREA_KEY} AS k, count(*) AS n FROM near p "
                f"LEFT JOIN areas a ON ST_Contains(a.wkb_geometry, {point}) "
                f"GROUP BY a.{AREA_KEY}"
            ).to_arrow_table()
            return counts(zip(df.column("k").to_pylist(), df.column("n").to_pylist()))
        if workload == "W4":
            df = sd.sql(
                f"SELECT r.{ROUTE_CLASS} AS k1, a.{AREA_KEY} AS k2, "
                "sum(ST_Length(ST_Intersection(r.geometry, a.wkb_geometry))) AS v "
                "FROM routes r JOIN areas a ON ST_Intersects(r.geometry, a.wkb_geometry) "
                f"GROUP BY r.{ROUTE_CLASS}, a.{AREA_KEY}"
            ).to_arrow_table()
            return pairs(zip(*(df.column(c).to_pylist() for c in ("k1", "k2", "v"))))
        if workload == "W5":
            # The pieces made into a memtable (as a map layer would be), then measured.
            sd.sql(
                f"SELECT b.{BAND_KEY} AS k1, a.{AREA_KEY} AS k2, "
                "ST_Intersection(b.geometry, a.wkb_geometry) AS geom "
                "FROM bands b JOIN areas a ON ST_Intersects(b.geometry, a.wkb_geometry)"
            ).to_memtable().to_view("pieces", overwrite=True)
            df = sd.sql("SELECT k1, k2, ST_Area(geom) AS v FROM pieces").to_arrow_table()
            return pairs(zip(*(df.column(c).to_pylist() for c in ("k1", "k2", "v"))))
        raise ValueError(f"unknown workload {workload!r}")


class Lagesbild:
    """lagesbild: the Rust core's indexes and rayon threads, polars in and out."""

    name = "lagesbild"

    def setup(self, threads: int | None) -> int:
        import os

        import lagesbild
        import polars  # noqa: F401

        self.lb = lagesbild
        if threads:
            lagesbild.set_threads(int(threads))
            return int(threads)
        env = os.environ.get("RAYON_NUM_THREADS", "").strip()
        return int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)

    def versions(self) -> dict:
        import polars

        return {"lagesbild": self.lb.__version__, "polars": polars.__version__}

    def load(self, workload: str, inputs: dict) -> dict:
        import polars as pl

        lb = self.lb
        loaded = {"areas": lb.read(inputs["areas"])}
        if workload in ("W1", "W3"):
            loaded["points"] = pl.read_parquet(inputs["points"], columns=["x", "y"])
        if workload in ("W2", "W5"):
            loaded["bands"] = lb.read(inputs["bands"])
        if workload in ("W3", "W4"):
            loaded["routes"] = lb.read(inputs["routes"])
        return loaded

    def fresh(self, workload: str, inputs: dict, loaded: dict) -> dict:
        """Read the layers again, so the next run is cold.

        lagesbild keeps the indexes it builds with a layer; a layer read
        again starts with none, as on a first call. The points (a polars
        DataFrame) keep nothing and are not read again.
        """
        lb = self.lb
        again = dict(loaded)
        for role in ("areas", "bands", "routes"):
            if role in again:
                again[role] = lb.read(inputs[role])
        return again

    def run(self, workload: str, d: dict) -> dict:
        import polars as pl

        lb = self.lb
        if workload == "W1":
            where = lb.assign(d["points"], d["areas"], key=AREA_KEY)
            return counts(_value_counts(where))
        if workload == "W2":
            table = lb.overlay_area(d["bands"], d["areas"], zone_key=BAND_KEY, area_key=AREA_KEY)
            return pairs(table.select(BAND_KEY, AREA_KEY, "area_m2").iter_rows())
        if workload == "W3":
            near = lb.within_distance(d["points"], d["routes"], W3_DISTANCE, key=ROUTE_ID)
            near_points = d["points"].filter(near.get_column("within"))
            where = lb.assign(near_points, d["areas"], key=AREA_KEY)
            return counts(_value_counts(where))
        if workload == "W4":
            table = lb.length_within(
                d["routes"], d["areas"], line_key=ROUTE_CLASS, area_key=AREA_KEY
            )
            total = table.group_by(ROUTE_CLASS, AREA_KEY).agg(pl.col("length_m").sum())
            return pairs(total.iter_rows())
        if workload == "W5":
            pieces = lb.overlay(d["bands"], d["areas"])
            return pairs(zip(pieces[BAND_KEY], pieces[AREA_KEY], pieces.area()))
        raise ValueError(f"unknown workload {workload!r}")


def _value_counts(series) -> list[tuple[Any, int]]:
    """(key, count) of a polars Series of keys (Enum or text; null = outside)."""
    # Count on the Enum's codes, then name the keys: casting every value to
    # text first would make one string per point. A group-by counts in
    # parallel; ``value_counts`` took twice as long at 10M points.
    frame = series.to_frame().group_by(series.name).len()
    return [(None if k is None else str(k), n) for k, n in frame.iter_rows()]


ENGINES = {e.name: e for e in (Lagesbild, GeoPandas, DuckDB, SedonaDB)}
