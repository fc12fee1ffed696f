"""The :class:`Layer`: geometries in one CRS plus attributes as a polars DataFrame.

The geometries live in the Rust core; the attributes live here, as a polars
DataFrame, and cross to the core only where it needs them (writing a file,
GeoJSON properties). Selecting, joining and renaming attributes never copy
them across the boundary.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import polars as pl

from lagesbild import _lagesbild, _wire
from lagesbild._lagesbild import Crs
from lagesbild.exceptions import ColumnNotFoundError, CrsError, InvalidArgumentError

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

__all__ = ["Layer", "Crs"]


class Layer:
    """Features: one geometry column in one CRS plus attributes.

    A layer is what :func:`lagesbild.read` returns and what the analysis
    functions take. Geometries live in the Rust core; attributes are a
    polars DataFrame with one row per feature.

    Examples
    --------
    >>> import polars as pl, shapely
    >>> df = pl.DataFrame({
    ...     "name": ["a", "b"],
    ...     "geometry": [shapely.to_wkb(shapely.box(0, 0, 10, 10)),
    ...                  shapely.to_wkb(shapely.box(10, 0, 30, 10))],
    ... })
    >>> squares = lb.Layer.from_polars(df, geometry="geometry", crs=3011, name="squares")
    >>> squares
    <Layer 'squares' 2 features, Polygon, EPSG:3011 (SWEREF99 18 00), columns: name>
    >>> squares.area().to_list()
    [100.0, 200.0]
    >>> squares.crs == 3011, squares.crs == "EPSG:3011"
    (True, True)
    """

    __slots__ = ("_attrs", "_inner")

    def __init__(self, inner: _lagesbild.Layer, attributes: pl.DataFrame | None = None) -> None:
        if not isinstance(inner, _lagesbild.Layer):
            msg = "use lagesbild.read, Layer.from_polars or Layer.from_geopandas to make a Layer"
            raise TypeError(msg)
        self._inner = inner
        self._attrs = _checked_attributes(attributes, len(inner), inner.name)

    def __reduce__(self) -> tuple[type[Layer], tuple[_lagesbild.Layer, pl.DataFrame]]:
        """Pickling: the native half (geometries as WKB, name, CRS) and the attributes.

        This is how a layer travels to other processes, such as Dask
        workers (:mod:`lagesbild.dask`). Geometries round-trip exactly
        (null geometries included); an unpickled layer checks its polygons'
        validity again when an operation first needs it.

        Examples
        --------
        >>> import pickle, shapely
        >>> df = pl.DataFrame({"name": ["a"], "geometry": [shapely.to_wkb(shapely.box(0, 0, 10, 10))]})
        >>> copy = pickle.loads(pickle.dumps(lb.Layer.from_polars(df, crs=3011, name="squares")))
        >>> copy
        <Layer 'squares' 1 features, Polygon, EPSG:3011 (SWEREF99 18 00), columns: name>
        """
        return (Layer, (self._inner, self._attrs))

    # -- construction -------------------------------------------------

    @classmethod
    def from_polars(
        cls,
        df: pl.DataFrame,
        geometry: str = "geometry",
        crs: int | str | Crs | None = None,
        name: str | None = None,
    ) -> Layer:
        """Make a layer from a DataFrame with a WKB geometry column.

        Parameters
        ----------
        df
            The attributes plus a ``Binary`` column of WKB (null for a
            feature without geometry).
        geometry
            Name of the geometry column.
        crs
            The CRS of the coordinates: an EPSG code, ``"EPSG:3011"``, WKT,
            PROJJSON or a :class:`Crs`. Required.
        name
            A name for messages (default: ``"layer"``).

        Returns
        -------
        Layer

        Raises
        ------
        ColumnNotFoundError
            If ``geometry`` is not a column.
        InvalidGeometryError
            If a value is not valid WKB (names the row).
        CrsError
            If ``crs`` is missing or unknown.

        Examples
        --------
        >>> import shapely
        >>> df = pl.DataFrame({"id": [1], "geometry": [shapely.to_wkb(shapely.Point(18.07, 59.33))]})
        >>> lb.Layer.from_polars(df, crs=4326).geom_types
        {'Point'}
        """
        if not isinstance(df, pl.DataFrame):
            msg = f"from_polars takes a polars DataFrame, not {type(df).__name__}"
            raise TypeError(msg)
        if crs is None:
            msg = "from_polars needs crs= (for example crs=3011 or crs='EPSG:4326')"
            raise CrsError(msg)
        name = name or "layer"
        if geometry not in df.columns:
            msg = f"{name}: no column {geometry!r} (columns: {', '.join(df.columns)})"
            raise ColumnNotFoundError(msg, column=geometry)
        inner = _lagesbild.Layer.from_wkb(name, _wire.ipc(df.select(geometry)), geometry, Crs(crs))
        return cls(inner, df.drop(geometry))

    @classmethod
    def from_geopandas(cls, gdf: geopandas.GeoDataFrame, name: str | None = None) -> Layer:
        """Make a layer from a GeoDataFrame (its active geometry column and CRS).

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> gdf = gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.box(0, 0, 2, 2)], crs=3006)
        >>> lb.Layer.from_geopandas(gdf).area().to_list()
        [4.0]
        """
        import shapely

        if gdf.crs is None:
            msg = "the GeoDataFrame has no CRS; set one with gdf.set_crs(...) first"
            raise CrsError(msg)
        epsg = gdf.crs.to_epsg()
        crs = Crs(epsg) if epsg is not None else Crs(gdf.crs.to_wkt())
        geom_name = gdf.geometry.name
        attrs = gdf.drop(columns=[geom_name])
        wkb = pl.Series(
            "__wkb__", list(shapely.to_wkb(gdf.geometry.values, byte_order=1, flavor="iso")), dtype=pl.Binary
        )
        # A GeoDataFrame of geometry alone gives a frame of the one column.
        df = pl.from_pandas(attrs.reset_index(drop=True)).hstack([wkb]) if len(attrs.columns) else wkb.to_frame()
        return cls.from_polars(df, geometry="__wkb__", crs=crs, name=name or "GeoDataFrame")

    @classmethod
    def concat(cls, layers: Iterable[Layer]) -> Layer:
        """The features of several layers one after the other.

        The layers must share a CRS; their attributes are stacked by column
        name (a column one layer lacks is null there; types are widened to
        fit). The result is named after the first layer.

        Raises
        ------
        CrsError
            If the layers are in different CRSs (names both).
        InvalidArgumentError
            If no layers are given.

        Examples
        --------
        >>> import shapely
        >>> def pts(name, xs):
        ...     wkb = [shapely.to_wkb(shapely.Point(x, 0)) for x in xs]
        ...     return lb.Layer.from_polars(pl.DataFrame({name: xs, "geometry": wkb}), crs=3011)
        >>> both = lb.Layer.concat([pts("a", [1, 2]), pts("b", [3])])
        >>> len(both), both.attributes.rows()
        (3, [(1, None), (2, None), (None, 3)])
        """
        layers = list(layers)
        for layer in layers:
            if not isinstance(layer, Layer):
                msg = f"concat takes lagesbild.Layer objects, not {type(layer).__name__}"
                raise TypeError(msg)
        if not layers:
            msg = "concat: no layers to put together"
            raise InvalidArgumentError(msg)
        inner = _lagesbild.Layer.concat([layer._inner for layer in layers])
        frames = [
            layer._attrs if layer._attrs.width else pl.DataFrame({"__n": [None] * len(layer)}, schema={"__n": pl.Null})
            for layer in layers
        ]
        attrs = pl.concat(frames, how="diagonal_relaxed")
        attrs = attrs.drop("__n") if "__n" in attrs.columns else attrs
        return cls(inner, attrs)

    # -- properties ---------------------------------------------------

    def __len__(self) -> int:
        return len(self._inner)

    @property
    def name(self) -> str:
        """The layer's name, used in messages (usually its file)."""
        return self._inner.name

    @property
    def crs(self) -> Crs:
        """The coordinate reference system (compares equal to its EPSG code and ``"EPSG:n"``)."""
        return self._inner.crs

    @property
    def bounds(self) -> tuple[float, float, float, float] | None:
        """The total bounds ``(minx, miny, maxx, maxy)``, or ``None`` with no geometry."""
        return self._inner.bounds

    @property
    def geom_types(self) -> set[str]:
        """The geometry type names present, such as ``{"Polygon", "MultiPolygon"}``."""
        return set(self._inner.geom_types)

    @property
    def prepared(self) -> list[str]:
        """The indexes the engine has built from these geometries and keeps.

        The first ``assign``, ``overlay_area``, ``length_within``,
        ``within_distance`` or ``nearest`` on a layer builds the index it
        needs and keeps it with the layer; later calls on the same layer
        (or a layer made from it with other attributes) reuse it. The
        geometries never change, so a kept index is never stale; a layer
        with new geometries (``to_crs``, ``take``, reading the file again,
        unpickling) starts with none. Each name says what an index is for.

        Examples
        --------
        >>> import shapely
        >>> areas = lb.Layer.from_polars(pl.DataFrame({
        ...     "name": ["a"], "geometry": [shapely.to_wkb(shapely.box(0, 0, 10, 10))]}), crs=3011)
        >>> areas.prepared
        []
        >>> lb.assign(pl.DataFrame({"x": [5.0], "y": [5.0]}), areas, key="name").to_list()
        ['a']
        >>> areas.prepared
        ['assign: area grid']
        """
        return list(self._inner.prepared)

    @property
    def attributes(self) -> pl.DataFrame:
        """The attributes as a polars DataFrame, one row per feature."""
        return self._attrs.clone()

    @property
    def columns(self) -> list[str]:
        """The attribute column names."""
        return self._attrs.columns

    def __getitem__(self, key: str) -> pl.Series:
        """One attribute column as a polars Series."""
        if key not in self._attrs.columns:
            msg = f"{self.name}: no column {key!r} (columns: {', '.join(self._attrs.columns)})"
            raise ColumnNotFoundError(msg, column=key)
        return self._attrs.get_column(key)

    def __repr__(self) -> str:
        types = ", ".join(sorted(self.geom_types)) or "no geometry"
        cols = self._attrs.columns
        shown = ", ".join(cols[:8]) + (", …" if len(cols) > 8 else "")
        name = os.path.basename(self.name) if os.sep in self.name else self.name
        return (
            f"<Layer {name!r} {len(self)} features, {types}, "
            f"EPSG:{self.crs.epsg} ({self.crs.name}), columns: {shown or '(none)'}>"
        )

    def _repr_html_(self) -> str | None:
        """In Jupyter: a small map (sampled and simplified, and said so) beside a summary (with the maps extra)."""
        try:
            from lagesbild.maps._display import layer_html
        except ImportError:
            return None  # without lagesbild[maps] Jupyter shows the text repr
        return layer_html(self)

    def explore(
        self,
        column: str | None = None,
        *,
        tooltips: list[str] | None = None,
        tiles: str | None = None,
        title: str | None = None,
    ) -> Any:
        """A web map of the layer that works offline (one HTML file), coloured by ``column``.

        Numbers are classed in quantiles, text is coloured by value; the
        columns (or ``tooltips``) show on hover; no tiles are fetched
        unless ``tiles`` gives a URL template. In Jupyter the map shows
        inline; ``.save(path)`` writes it. Needs the maps extra
        (``pip install 'lagesbild[maps]'``); see :func:`lagesbild.maps.explore`
        for a whole city.

        Examples
        --------
        >>> m = lb.read("data/fixtures/stadsdelar_sample.shp").explore("name")
        >>> m.html.startswith("<!DOCTYPE html>")
        True
        """
        from lagesbild.maps.interactive import explore_layer

        return explore_layer(self, column, tooltips=tooltips, tiles=tiles, title=title)

    # -- conversion ---------------------------------------------------

    def to_polars(self, geometry: Literal["wkb"] = "wkb", name: str = "geometry") -> pl.DataFrame:
        """The attributes plus the geometry as a WKB ``Binary`` column.

        Parameters
        ----------
        geometry
            The geometry encoding; ``"wkb"`` (ISO WKB, little-endian).
        name
            The geometry column's name.

        Examples
        --------
        >>> import shapely
        >>> df = pl.DataFrame({"geometry": [shapely.to_wkb(shapely.Point(1, 2))]})
        >>> layer = lb.Layer.from_polars(df, crs=3006)
        >>> shapely.from_wkb(layer.to_polars()["geometry"][0]).wkt
        'POINT (1 2)'
        """
        if geometry != "wkb":
            msg = f"to_polars: geometry must be 'wkb', not {geometry!r}"
            raise InvalidArgumentError(msg)
        if name in self._attrs.columns:
            msg = f"{self.name}: an attribute column is already called {name!r}; choose another geometry column name"
            raise InvalidArgumentError(msg, column=name)
        geometries = _wire.frame(self._inner.wkb(name))
        return pl.concat([self._attrs, geometries], how="horizontal") if self._attrs.width else geometries

    def to_geopandas(self) -> geopandas.GeoDataFrame:
        """A GeoDataFrame with the same attributes, geometries and CRS.

        Needs geopandas (``pip install lagesbild[geopandas]``).
        """
        import geopandas as gpd
        import shapely

        df = self.to_polars(name="__wkb__")
        wkb = df["__wkb__"].to_list()
        geoms = shapely.from_wkb(wkb)
        attrs = df.drop("__wkb__").to_pandas()
        return gpd.GeoDataFrame(attrs, geometry=geoms, crs=f"EPSG:{self.crs.epsg}")

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The layer as a GeoJSON-like FeatureCollection dict, in the layer's CRS."""
        return json.loads(self._inner.geo_interface_json(_wire.ipc(self._attrs)))

    def to_crs(self, crs: int | str | Crs) -> Layer:
        """A copy transformed to another CRS.

        Examples
        --------
        >>> import shapely
        >>> df = pl.DataFrame({"geometry": [shapely.to_wkb(shapely.Point(18.0, 59.0))]})
        >>> p = lb.Layer.from_polars(df, crs=4326).to_crs(3011)
        >>> round(p.bounds[0], 3)
        150000.0
        """
        return Layer(self._inner.to_crs(Crs(crs)), self._attrs)

    def take(self, indices: Iterable[int] | np.ndarray | pl.Series) -> Layer:
        """The features at ``indices`` (row positions), in that order.

        ``indices`` may be any iterable of integers; a numpy array or a
        polars Series of them is passed to the core without a Python loop.

        Examples
        --------
        >>> import shapely
        >>> df = pl.DataFrame({"n": [10, 20, 30], "geometry": [shapely.to_wkb(shapely.Point(i, i)) for i in range(3)]})
        >>> lb.Layer.from_polars(df, crs=3011).take([2, 0])["n"].to_list()
        [30, 10]
        """
        rows = _wire.rows(indices, len(self), f"{self.name}: take")
        attrs = self._attrs[rows] if self._attrs.width else self._attrs
        return Layer(self._inner.take(rows), attrs)

    def filter(self, mask: pl.Series | Iterable[bool]) -> Layer:
        """The features where ``mask`` is true.

        Examples
        --------
        >>> import shapely
        >>> df = pl.DataFrame({"n": [1, 2, 3], "geometry": [shapely.to_wkb(shapely.Point(i, i)) for i in range(3)]})
        >>> layer = lb.Layer.from_polars(df, crs=3011)
        >>> len(layer.filter(layer["n"] > 1))
        2
        """
        values = mask if isinstance(mask, pl.Series) else pl.Series(list(mask), dtype=pl.Boolean)
        if len(values) != len(self):
            msg = f"{self.name}: the mask has {len(values)} values for {len(self)} features"
            raise InvalidArgumentError(msg)
        return self.take(values.fill_null(False).arg_true())

    def with_attributes(self, df: pl.DataFrame) -> Layer:
        """The same geometries with other attributes (one row per feature)."""
        return Layer(self._inner, df)

    # -- measures and checks -------------------------------------------

    def area(self) -> pl.Series:
        """Area of each feature in square metres, in the layer's projected CRS.

        Null for a feature without geometry, 0 for points and lines.

        Raises
        ------
        CrsError
            If the layer is in longitude/latitude: call ``to_crs`` first.
        """
        return _wire.f64_series("area_m2", self._inner.area())

    def length(self) -> pl.Series:
        """Length of each feature in metres, in the layer's projected CRS.

        Lines give their length, polygons their perimeter (all rings),
        points 0.

        Raises
        ------
        CrsError
            If the layer is in longitude/latitude: call ``to_crs`` first.
        """
        return _wire.f64_series("length_m", self._inner.length())

    def xy(self) -> pl.DataFrame:
        """The coordinates of a layer of points: columns ``x`` and ``y`` (null for a null geometry).

        Raises
        ------
        InvalidGeometryError
            If a feature is not a point (names the feature).

        Examples
        --------
        >>> import shapely
        >>> df = pl.DataFrame({"geometry": [shapely.to_wkb(shapely.Point(1, 2)), None]})
        >>> lb.Layer.from_polars(df, crs=3011).xy().rows()
        [(1.0, 2.0), (None, None)]
        """
        bx, by = self._inner.point_xy()
        return pl.DataFrame([_wire.f64_series("x", bx), _wire.f64_series("y", by)])

    def is_valid(self) -> pl.Series:
        """Whether each feature's geometry is valid, by the OGC rules as GEOS decides.

        Polygons get the full check however large they are (rings that do
        not cross, touch or run back along themselves, holes inside their
        shell and not inside each other, parts not inside each other, an
        interior in one piece); lines need two distinct points; null and
        empty geometries, and empty parts, are valid.

        Returns
        -------
        polars.Series
            Boolean, named ``is_valid``, one value per feature.

        Examples
        --------
        >>> import shapely
        >>> cut = shapely.Polygon([(0, 60), (0, 0), (60, 0), (60, 60)], [[(0, 40), (20, 20), (60, 20)]])
        >>> df = pl.DataFrame({"geometry": [shapely.to_wkb(shapely.box(0, 0, 1, 1)), shapely.to_wkb(cut)]})
        >>> lb.Layer.from_polars(df, crs=3011).is_valid().to_list()
        [True, False]
        """
        return pl.Series("is_valid", self._inner.is_valid(), dtype=pl.Boolean)

    def validity_report(self) -> pl.DataFrame:
        """Every problem of every invalid geometry.

        Returns
        -------
        polars.DataFrame
            Columns ``feature`` (row position), ``reason``, and ``x``, ``y``
            (where the problem is, when it has a place).

        Examples
        --------
        >>> import shapely
        >>> bow_tie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
        >>> df = pl.DataFrame({"geometry": [shapely.to_wkb(shapely.box(0, 0, 1, 1)), shapely.to_wkb(bow_tie)]})
        >>> lb.Layer.from_polars(df, crs=3011).validity_report()
        shape: (1, 4)
        ┌─────────┬─────────────────────────────────┬─────┬─────┐
        │ feature ┆ reason                          ┆ x   ┆ y   │
        │ ---     ┆ ---                             ┆ --- ┆ --- │
        │ i64     ┆ str                             ┆ f64 ┆ f64 │
        ╞═════════╪═════════════════════════════════╪═════╪═════╡
        │ 1       ┆ exterior ring has a self-inter… ┆ 1.0 ┆ 1.0 │
        └─────────┴─────────────────────────────────┴─────┴─────┘
        """
        rows = self._inner.validity_report()
        return pl.DataFrame(
            {
                "feature": [r[0] for r in rows],
                "reason": [r[1] for r in rows],
                "x": [r[2] for r in rows],
                "y": [r[3] for r in rows],
            },
            schema={"feature": pl.Int64, "reason": pl.String, "x": pl.Float64, "y": pl.Float64},
        )

    # -- output -------------------------------------------------------

    def write(
        self,
        path: str | os.PathLike[str],
        *,
        layer: str | None = None,
        keep_crs: bool = False,
        encoding: str | None = None,
    ) -> None:
        r"""Write the layer; the format follows the extension.

        The file is written to a temporary name and renamed into place, so a
        failure leaves the old file (or none) rather than half a file. The
        same layer always gives the same bytes: the one date a format keeps
        in its header is fixed (``SOURCE_DATE_EPOCH`` when set, else
        1970-01-01).

        Parameters
        ----------
        path
            ``.shp`` (ESRI Shapefile with its ``.shx``, ``.dbf``, ``.prj``
            and ``.cpg``, all renamed into place together), ``.gpkg``
            (GeoPackage), ``.parquet`` (GeoParquet 1.1 with WKB and a
            PROJJSON CRS) or ``.geojson`` (RFC 7946 in WGS 84).
        layer
            GeoPackage: the table name (default: the file name's stem).
            Other layers in an existing file are kept.
        keep_crs
            GeoJSON: keep the layer's own CRS in a ``crs`` member instead
            of transforming to WGS 84.
        encoding
            Shapefile: the DBF text encoding, ``"utf-8"`` (the default) or
            ``"windows-1252"`` (``"cp1252"``), as Swedish municipal
            shapefiles often are. The ``.cpg`` file and the DBF language
            driver byte say which, so GDAL, QGIS and ArcGIS read it right.

        Raises
        ------
        FormatError
            If the layer cannot be written in the format: a shapefile with
            mixed geometry types or a GeometryCollection (names the
            feature), a column name longer than 10 characters or not ASCII,
            a text longer than 254 bytes, or a character the encoding cannot
            hold (names the column and the feature).
        InvalidArgumentError
            If ``encoding`` is unknown, or given for a format other than
            shapefile.

        Notes
        -----
        Shapefile columns: text is ``C`` (as wide as the longest value),
        integers and floats ``N`` (floats with as many decimals as needed to
        read back exactly), booleans ``L``, dates ``D``; nulls are blank.
        Field names are not truncated: rename long ones first.

        Examples
        --------
        >>> import shapely, tempfile, pathlib
        >>> df = pl.DataFrame({"n": [1], "geometry": [shapely.to_wkb(shapely.box(0, 0, 1, 1))]})
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "squares.gpkg"
        >>> lb.Layer.from_polars(df, crs=3011).write(out, layer="squares")
        >>> lb.read(out).crs.epsg
        3011

        A shapefile with Windows-1252 text:

        >>> df = pl.DataFrame({"namn": ["VÅRBERG"], "geometry": [shapely.to_wkb(shapely.Point(142_000, 6_572_000))]})
        >>> shp = out.with_name("platser.shp")
        >>> lb.Layer.from_polars(df, crs=3011).write(shp, encoding="windows-1252")
        >>> shp.with_suffix(".cpg").read_text(), b"V\xc5RBERG" in shp.with_suffix(".dbf").read_bytes()
        ('1252', True)
        >>> lb.read(shp)["namn"].to_list()
        ['VÅRBERG']
        """
        self._inner.write(os.fspath(path), _wire.ipc(self._attrs), layer, keep_crs, encoding)


def _checked_attributes(df: pl.DataFrame | None, n: int, name: str) -> pl.DataFrame:
    """Attributes for a layer of ``n`` features: one row per feature, or no columns."""
    if df is None:
        return pl.DataFrame()
    if not isinstance(df, pl.DataFrame):
        msg = f"{name}: attributes must be a polars DataFrame, not {type(df).__name__}"
        raise TypeError(msg)
    if df.width and df.height != n:
        msg = f"{name}: {n} geometries but {df.height} attribute rows"
        raise InvalidArgumentError(msg)
    return df
