//! The [`Layer`]: one geometry column in one CRS plus attributes.
//!
//! Geometries are `geo` geometries (null where a feature has none);
//! attributes are a polars `DataFrame` with one row per feature. Metric
//! measures (`area`, `length`) are in metres and refuse geographic layers.

use std::any::{Any, TypeId};
use std::collections::BTreeSet;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use geo::{Area, BoundingRect, Euclidean, Length};
use geo_types::{Geometry, Rect};
use polars::prelude::*;
use rayon::prelude::*;

use crate::crs::{self, Crs};
use crate::error::{Error, Result};
use crate::geom::{self, Problem};

/// A geometry column in one CRS plus attributes.
///
/// # Examples
///
/// ```
/// use geo_types::{polygon, Geometry};
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::*;
///
/// let square = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)];
/// let attrs = df!("name" => ["a"]).unwrap();
/// let layer = Layer::new("squares", vec![Some(Geometry::Polygon(square))], attrs, Crs::from_epsg(3011).unwrap()).unwrap();
/// assert_eq!(layer.area().unwrap(), vec![Some(100.0)]);
/// assert_eq!(layer.bounds(), Some((0.0, 0.0, 10.0, 10.0)));
/// ```
#[derive(Clone, Debug)]
pub struct Layer {
    name: String,
    geometries: Vec<Option<Geometry<f64>>>,
    attributes: DataFrame,
    crs: Crs,
    /// The engine's validity verdict on these geometries, found once
    /// (geometries never change after construction).
    checked: Arc<OnceLock<Option<(usize, String)>>>,
    /// The indexes the engine prepared from these geometries, kept for the
    /// next call ([`Layer::prepared`]); shared by clones, dropped with the
    /// last of them.
    kept: Arc<Kept>,
}

/// One prepared structure: what it is for, and the structure.
type Slot = (TypeId, &'static str, Arc<dyn Any + Send + Sync>);

/// The structures prepared from a layer's geometries, each under the type
/// it has and the name of what built it (the operation and its
/// parameters), so one built for one purpose is never taken for another.
#[derive(Default)]
struct Kept(Mutex<Vec<Slot>>);

impl Kept {
    fn get<T: Any + Send + Sync>(&self, key: &'static str) -> Option<Arc<T>> {
        let slots = self.0.lock().unwrap_or_else(|e| e.into_inner());
        slots
            .iter()
            .find(|(t, k, _)| *t == TypeId::of::<T>() && *k == key)
            .and_then(|(_, _, v)| v.clone().downcast::<T>().ok())
    }
}

impl fmt::Debug for Kept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slots = self.0.lock().unwrap_or_else(|e| e.into_inner());
        f.debug_list()
            .entries(slots.iter().map(|(_, k, _)| k))
            .finish()
    }
}

impl Layer {
    /// A layer from geometries and attributes with one row per geometry.
    /// Empty parts of multi-geometries and collections are left out, as GEOS
    /// ignores them ([`geom::drop_empty_parts`]).
    pub fn new(
        name: impl Into<String>,
        mut geometries: Vec<Option<Geometry<f64>>>,
        attributes: DataFrame,
        crs: Crs,
    ) -> Result<Layer> {
        let name = name.into();
        geometries
            .par_iter_mut()
            .with_min_len(1 << 12)
            .flatten()
            .for_each(geom::drop_empty_parts);
        let attributes = if attributes.width() == 0 {
            DataFrame::empty_with_height(geometries.len())
        } else {
            attributes
        };
        if attributes.height() != geometries.len() {
            return Err(Error::InvalidArgument(format!(
                "{name}: {} geometries but {} attribute rows",
                geometries.len(),
                attributes.height()
            )));
        }
        Ok(Layer {
            name,
            geometries,
            attributes,
            crs,
            checked: Default::default(),
            kept: Default::default(),
        })
    }

    /// The layer's name, used in messages (usually the file it came from).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Rename the layer.
    pub fn with_name(mut self, name: impl Into<String>) -> Layer {
        self.name = name.into();
        self
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.geometries.len()
    }

    /// True when the layer has no features.
    pub fn is_empty(&self) -> bool {
        self.geometries.is_empty()
    }

    /// The CRS of the geometries.
    pub fn crs(&self) -> &Crs {
        &self.crs
    }

    /// The geometries, `None` for a feature without one.
    pub fn geometries(&self) -> &[Option<Geometry<f64>>] {
        &self.geometries
    }

    /// The attributes, one row per feature.
    pub fn attributes(&self) -> &DataFrame {
        &self.attributes
    }

    /// The same geometries with other attributes (one row per feature).
    ///
    /// ```
    /// use geo_types::{Geometry, Point};
    /// use lagesbild::{Crs, Layer};
    /// use polars::prelude::*;
    ///
    /// let layer = Layer::new("p", vec![Some(Geometry::Point(Point::new(1.0, 2.0)))], DataFrame::empty(), Crs::from_epsg(3011).unwrap()).unwrap();
    /// let named = layer.with_attributes(df!("namn" => ["a"]).unwrap()).unwrap();
    /// assert_eq!(named.attributes().get_column_names(), ["namn"]);
    /// assert!(named.clone().with_attributes(df!("namn" => ["a", "b"]).unwrap()).is_err());
    /// assert_eq!(named.without_attributes().attributes().width(), 0);
    /// ```
    pub fn with_attributes(self, attributes: DataFrame) -> Result<Layer> {
        let (checked, kept) = (self.checked.clone(), self.kept.clone());
        let mut layer = Layer::new(self.name, self.geometries, attributes, self.crs)?;
        layer.checked = checked;
        layer.kept = kept;
        Ok(layer)
    }

    /// The features of several layers, one after the other: the layers must
    /// share a CRS, and their attributes the same columns (or none at all);
    /// the name is the first layer's.
    ///
    /// ```
    /// use geo_types::{Geometry, Point};
    /// use lagesbild::{Crs, Layer};
    /// use polars::prelude::*;
    ///
    /// let crs = Crs::from_epsg(3011).unwrap();
    /// let one = |x: f64, n: &str| Layer::new("p", vec![Some(Geometry::Point(Point::new(x, 0.0)))], df!("n" => [n]).unwrap(), crs.clone()).unwrap();
    /// let both = Layer::concat(&[one(1.0, "a"), one(2.0, "b")]).unwrap();
    /// assert_eq!(both.len(), 2);
    /// assert_eq!(both.bounds(), Some((1.0, 0.0, 2.0, 0.0)));
    /// assert!(Layer::concat(&[one(1.0, "a"), one(2.0, "b").to_crs(&Crs::from_epsg(3006).unwrap()).unwrap()]).is_err());
    /// ```
    pub fn concat(layers: &[Layer]) -> Result<Layer> {
        let Some(first) = layers.first() else {
            crate::bail!("concat: no layers to put together");
        };
        let mut geometries = Vec::with_capacity(layers.iter().map(|l| l.len()).sum());
        let mut attributes = first.attributes.clone();
        for (i, layer) in layers.iter().enumerate() {
            if layer.crs != first.crs {
                return Err(Error::Crs {
                    layer: format!("concat: {} and {}", first.name, layer.name),
                    detail: format!(
                        "the layers are in different CRSs ({} and {}); bring them to one first with to_crs",
                        first.crs, layer.crs
                    ),
                });
            }
            geometries.extend(layer.geometries.iter().cloned());
            if i > 0 {
                attributes.vstack_mut(&layer.attributes).map_err(|e| {
                    Error::InvalidArgument(format!(
                        "concat: the attributes of {} do not have the columns of {}: {e}",
                        layer.name, first.name
                    ))
                })?;
            }
        }
        if attributes.width() == 0 {
            attributes = DataFrame::empty_with_height(geometries.len());
        }
        Layer::new(
            first.name.clone(),
            geometries,
            attributes,
            first.crs.clone(),
        )
    }

    /// The same geometries without attributes.
    pub fn without_attributes(mut self) -> Layer {
        self.attributes = DataFrame::empty_with_height(self.geometries.len());
        self
    }

    /// Split into parts.
    pub fn into_parts(self) -> (String, Vec<Option<Geometry<f64>>>, DataFrame, Crs) {
        (self.name, self.geometries, self.attributes, self.crs)
    }

    /// The total bounds `(minx, miny, maxx, maxy)`, or `None` when no feature
    /// has a non-empty geometry.
    pub fn bounds(&self) -> Option<(f64, f64, f64, f64)> {
        self.geometries
            .par_iter()
            .filter_map(|g| g.as_ref().and_then(|g| g.bounding_rect()))
            .reduce_with(|a, b| {
                Rect::new(
                    geo_types::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                    geo_types::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
                )
            })
            .map(|r| (r.min().x, r.min().y, r.max().x, r.max().y))
    }

    /// The geometry type names present (`"Polygon"`, `"MultiPolygon"`, …).
    pub fn geom_types(&self) -> BTreeSet<&'static str> {
        self.geometries
            .iter()
            .flatten()
            .map(geom::type_name)
            .collect()
    }

    /// The engine's validity verdict (first invalid feature and why),
    /// computed by `check` the first time it is asked for.
    pub(crate) fn checked(
        &self,
        check: impl FnOnce() -> Option<(usize, String)>,
    ) -> Option<(usize, String)> {
        self.checked.get_or_init(check).clone()
    }

    /// A structure prepared from the geometries (an index), built by
    /// `build` the first time `key` asks for it and kept with the layer:
    /// later calls, from clones too, get the same one. `key` names the
    /// operation and the parameters the structure was built for, and the
    /// structure's type is part of the key, so nothing built for one purpose
    /// is handed to another. A failed build (a refusal) keeps nothing. The
    /// geometries never change after construction, so a kept structure is
    /// never stale; a layer made from this one by a method that changes
    /// geometries ([`Layer::to_crs`], [`Layer::take`], [`Layer::concat`])
    /// starts with none. Two threads asking at once may both build; the
    /// first kept is the one every caller gets from then on.
    pub(crate) fn prepared<T: Any + Send + Sync>(
        &self,
        key: &'static str,
        build: impl FnOnce() -> Result<T>,
    ) -> Result<Arc<T>> {
        if let Some(found) = self.kept.get::<T>(key) {
            return Ok(found);
        }
        // Built outside the lock: a long build holds up no other structure.
        let built = Arc::new(build()?);
        let mut slots = self.kept.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, _, v)) = slots
            .iter()
            .find(|(t, k, _)| *t == TypeId::of::<T>() && *k == key)
        {
            if let Ok(found) = v.clone().downcast::<T>() {
                return Ok(found);
            }
        }
        slots.push((TypeId::of::<T>(), key, built.clone()));
        Ok(built)
    }

    /// What the engine has prepared from this layer's geometries and keeps
    /// for the next call, by the name of what it is for, in the order built
    /// (an area grid for `assign`, the prepared polygons of an overlay, a
    /// segment tree for distances).
    ///
    /// ```
    /// use geo_types::{Geometry, Rect, coord};
    /// use lagesbild::engine::assign_xy;
    /// use lagesbild::{Crs, Layer};
    /// use polars::prelude::DataFrame;
    ///
    /// let square = Some(Geometry::Polygon(Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 10.0, y: 10.0 }).to_polygon()));
    /// let areas = Layer::new("areas", vec![square], DataFrame::empty(), Crs::from_epsg(3011).unwrap()).unwrap();
    /// assert!(areas.prepared_names().is_empty());
    /// assert_eq!(assign_xy(&[5.0], &[5.0], &areas).unwrap(), vec![0]);
    /// assert_eq!(areas.prepared_names(), ["assign: area grid"]);
    /// let copy = areas.clone(); // a clone shares what is kept
    /// assert_eq!(copy.prepared_names(), ["assign: area grid"]);
    /// assert!(areas.to_crs(&Crs::from_epsg(3006).unwrap()).unwrap().prepared_names().is_empty());
    /// ```
    pub fn prepared_names(&self) -> Vec<&'static str> {
        let slots = self.kept.0.lock().unwrap_or_else(|e| e.into_inner());
        slots.iter().map(|(_, k, _)| *k).collect()
    }

    /// A copy in another CRS.
    pub fn to_crs(&self, to: &Crs) -> Result<Layer> {
        let mut geometries = self.geometries.clone();
        crs::transform(&mut geometries, &self.crs, to).map_err(|e| match e {
            Error::Crs { layer, detail } => Error::Crs {
                layer: format!("{}, {layer}", self.name),
                detail,
            },
            e => e,
        })?;
        Ok(Layer {
            name: self.name.clone(),
            geometries,
            attributes: self.attributes.clone(),
            crs: to.clone(),
            checked: Default::default(),
            kept: Default::default(),
        })
    }

    /// Refuse metric work on a geographic layer.
    pub fn require_metric(&self, what: &str) -> Result<()> {
        if self.crs.is_geographic() {
            return Err(Error::GeographicCrs {
                layer: self.name.clone(),
                crs: self.crs.to_string(),
                what: what.into(),
            });
        }
        Ok(())
    }

    /// Area of each feature in square metres, in the layer's projected CRS
    /// (`None` for a null geometry; 0 for points and lines).
    pub fn area(&self) -> Result<Vec<Option<f64>>> {
        self.require_metric("area")?;
        Ok(self
            .geometries
            .par_iter()
            .map(|g| g.as_ref().map(|g| g.unsigned_area()))
            .collect())
    }

    /// Length of each feature in metres, in the layer's projected CRS: the
    /// length of lines, the perimeter of polygons (all rings), 0 for points.
    pub fn length(&self) -> Result<Vec<Option<f64>>> {
        self.require_metric("length")?;
        Ok(self
            .geometries
            .par_iter()
            .map(|g| g.as_ref().map(geom_length))
            .collect())
    }

    /// Whether each feature's geometry is valid by the OGC rules, as GEOS
    /// decides (null and empty geometries are valid; see [`geom::problems`]).
    pub fn is_valid(&self) -> Vec<bool> {
        self.geometries
            .par_iter()
            .map(|g| g.as_ref().is_none_or(geom::is_valid))
            .collect()
    }

    /// Every problem of every invalid geometry, in feature order.
    pub fn validity_report(&self) -> Vec<Problem> {
        let per: Vec<Vec<Problem>> = self
            .geometries
            .par_iter()
            .enumerate()
            .map(|(i, g)| g.as_ref().map(|g| geom::problems(i, g)).unwrap_or_default())
            .collect();
        per.into_iter().flatten().collect()
    }

    /// The column named `column`, or a [`Error::ColumnNotFound`] listing the columns.
    pub fn column(&self, column: &str) -> Result<&Column> {
        self.attributes
            .column(column)
            .map_err(|_| Error::column_not_found(&self.name, column, &self.attributes))
    }

    /// The features at `indices`, in that order.
    pub fn take(&self, indices: &[usize]) -> Result<Layer> {
        if let Some(&bad) = indices.iter().find(|&&i| i >= self.len()) {
            return Err(Error::InvalidArgument(format!(
                "{}: feature index {bad} is out of range for {} features",
                self.name,
                self.len()
            )));
        }
        let idx = IdxCa::from_vec(
            "idx".into(),
            indices.iter().map(|&i| i as IdxSize).collect(),
        );
        let attributes = self
            .attributes
            .take(&idx)
            .map_err(|e| Error::InvalidArgument(e.to_string()))?;
        let attributes = if attributes.width() == 0 {
            DataFrame::empty_with_height(indices.len())
        } else {
            attributes
        };
        Ok(Layer {
            name: self.name.clone(),
            geometries: indices
                .iter()
                .map(|&i| self.geometries[i].clone())
                .collect(),
            attributes,
            crs: self.crs.clone(),
            checked: Default::default(),
            kept: Default::default(),
        })
    }

    /// The attributes plus a geometry column of WKB (`Binary`, null for null geometries).
    pub fn to_wkb_frame(&self, geometry: &str) -> Result<DataFrame> {
        let wkb = crate::io::wkb::to_wkb_series(geometry, &self.geometries)?;
        let mut df = self.attributes.clone();
        if df.get_column_names().iter().any(|c| c.as_str() == geometry) {
            return Err(Error::InvalidArgument(format!(
                "{}: an attribute column is already called {geometry:?}; choose another geometry column name",
                self.name
            )));
        }
        df.with_column(wkb.into_column())
            .map_err(|e| Error::InvalidArgument(e.to_string()))?;
        Ok(df)
    }

    /// A layer from a frame with a WKB geometry column.
    pub fn from_wkb_frame(name: &str, df: DataFrame, geometry: &str, crs: Crs) -> Result<Layer> {
        let col = df
            .column(geometry)
            .map_err(|_| Error::column_not_found(name, geometry, &df))?;
        let geoms = crate::io::wkb::from_wkb_column(name, col)?;
        let attrs = df
            .drop(geometry)
            .map_err(|e| Error::InvalidArgument(e.to_string()))?;
        Layer::new(name, geoms, attrs, crs)
    }
}

fn geom_length(g: &Geometry<f64>) -> f64 {
    match g {
        Geometry::Point(_) | Geometry::MultiPoint(_) => 0.0,
        Geometry::Line(l) => Euclidean.length(l),
        Geometry::LineString(l) => Euclidean.length(l),
        Geometry::MultiLineString(l) => Euclidean.length(l),
        Geometry::Polygon(p) => ring_lengths(p),
        // Folded from +0: an empty sum of floats is -0.
        Geometry::MultiPolygon(mp) => mp.iter().fold(0.0, |m, p| m + ring_lengths(p)),
        Geometry::Rect(r) => ring_lengths(&r.to_polygon()),
        Geometry::Triangle(t) => ring_lengths(&t.to_polygon()),
        Geometry::GeometryCollection(gc) => gc.iter().fold(0.0, |m, g| m + geom_length(g)),
    }
}

fn ring_lengths(p: &geo_types::Polygon<f64>) -> f64 {
    Euclidean.length(p.exterior())
        + p.interiors()
            .iter()
            .map(|r| Euclidean.length(r))
            .sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, area_index, Points, PolygonGrid};
    use geo_types::{coord, line_string, polygon, LineString, MultiPolygon};

    fn crs() -> Crs {
        Crs::from_epsg(3011).unwrap()
    }

    /// Two squares side by side and a triangle over both.
    fn areas() -> Layer {
        let sq = |x: f64| {
            Geometry::Polygon(
                Rect::new(coord! { x: x, y: 0.0 }, coord! { x: x + 10.0, y: 10.0 }).to_polygon(),
            )
        };
        let tri =
            Geometry::Polygon(polygon![(x: 2.0, y: 2.0), (x: 18.0, y: 2.0), (x: 10.0, y: 9.0)]);
        Layer::new(
            "areas",
            vec![Some(sq(0.0)), Some(sq(10.0)), Some(tri)],
            DataFrame::empty(),
            crs(),
        )
        .unwrap()
    }

    fn points() -> (Vec<f64>, Vec<f64>) {
        let xs: Vec<f64> = (0..400)
            .map(|i| (i % 20) as f64 + 0.25 * (i / 20) as f64 - 0.5)
            .collect();
        let ys: Vec<f64> = (0..400).map(|i| (i / 20) as f64 * 0.6 - 0.5).collect();
        (xs, ys)
    }

    #[test]
    fn a_second_call_reuses_the_index_and_answers_the_same() {
        let areas = areas();
        let (xs, ys) = points();
        let first = engine::assign_xy(&xs, &ys, &areas).unwrap();
        let grid = area_index(&areas, "assign").unwrap();
        assert!(Arc::ptr_eq(&grid, &area_index(&areas, "assign").unwrap()));
        assert_eq!(engine::assign_xy(&xs, &ys, &areas).unwrap(), first);
        // The oracle: a grid built afresh from the same polygons.
        let polys: Vec<MultiPolygon<f64>> = areas
            .geometries()
            .iter()
            .map(|g| match g {
                Some(Geometry::Polygon(p)) => MultiPolygon(vec![p.clone()]),
                _ => unreachable!(),
            })
            .collect();
        let fresh = PolygonGrid::new(polys);
        let expected: Vec<u32> = xs
            .iter()
            .zip(&ys)
            .map(|(&x, &y)| fresh.locate(x, y))
            .collect();
        assert_eq!(first, expected);
        // The triangle lies over the squares, which come first: never its own.
        assert!(first.contains(&0) && first.contains(&1) && first.contains(&engine::NONE));
        assert!(!first.contains(&2));
        assert_eq!(areas.prepared_names(), ["assign: area grid"]);
    }

    #[test]
    fn clones_and_new_attributes_share_other_layers_never() {
        let areas = areas();
        let grid = area_index(&areas, "assign").unwrap();
        assert!(Arc::ptr_eq(
            &grid,
            &area_index(&areas.clone(), "assign").unwrap()
        ));
        let named = areas
            .clone()
            .with_attributes(polars::df!("n" => [1, 2, 3]).unwrap())
            .unwrap();
        assert!(Arc::ptr_eq(&grid, &area_index(&named, "assign").unwrap()));
        assert!(Arc::ptr_eq(
            &grid,
            &area_index(&named.with_name("renamed"), "assign").unwrap()
        ));
        // The same geometries in another layer: its own index.
        let twin = super::tests::areas();
        assert!(twin.prepared_names().is_empty());
        assert!(!Arc::ptr_eq(&grid, &area_index(&twin, "assign").unwrap()));
        // New geometries start with nothing kept.
        assert!(areas.take(&[1, 0]).unwrap().prepared_names().is_empty());
        assert!(areas
            .to_crs(&Crs::from_epsg(3006).unwrap())
            .unwrap()
            .prepared_names()
            .is_empty());
        assert!(Layer::concat(&[areas.clone(), areas.clone()])
            .unwrap()
            .prepared_names()
            .is_empty());
    }

    #[test]
    fn each_operation_keeps_its_own_structure() {
        let areas = areas();
        let lines = Layer::new(
            "lines",
            vec![Some(Geometry::LineString(
                line_string![(x: -5.0, y: 5.0), (x: 25.0, y: 5.0)],
            ))],
            DataFrame::empty(),
            crs(),
        )
        .unwrap();
        let (xs, ys) = points();
        engine::assign_xy(&xs, &ys, &areas).unwrap();
        let lengths = engine::length_within(&lines, &areas).unwrap();
        // Hand-computed: 10 m in each square, 2·(8 − 3·8/7)… in the triangle at y = 5.
        assert_eq!((lengths[0].0, lengths[0].1, lengths[0].2), (0, 0, 10.0));
        assert_eq!((lengths[1].0, lengths[1].1, lengths[1].2), (0, 1, 10.0));
        let half = 8.0 * (9.0 - 5.0) / 7.0;
        assert!((lengths[2].2 - 2.0 * half).abs() < 1e-12);
        engine::within_distance(Points::Xy(&xs, &ys), &lines, 1.0).unwrap();
        assert_eq!(
            areas.prepared_names(),
            ["assign: area grid", "overlay: prepared polygons"]
        );
        assert_eq!(lines.prepared_names(), ["within_distance: segment tree"]);
        // The same name under another type is another structure.
        let a = areas.prepared("test", || Ok(1u32)).unwrap();
        let b = areas.prepared("test", || Ok(2u64)).unwrap();
        assert_eq!((*a, *b), (1, 2));
        assert_eq!(*areas.prepared("test", || Ok(3u32)).unwrap(), 1);
    }

    #[test]
    fn a_refusal_keeps_nothing() {
        let bowtie = Geometry::Polygon(
            polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 10.0), (x: 10.0, y: 0.0), (x: 0.0, y: 10.0)],
        );
        let bad = Layer::new("bad", vec![Some(bowtie)], DataFrame::empty(), crs()).unwrap();
        for _ in 0..2 {
            assert!(matches!(
                engine::assign_xy(&[1.0], &[1.0], &bad),
                Err(Error::InvalidGeometry { feature: 0, .. })
            ));
        }
        assert!(bad.prepared_names().is_empty());
        let line = Layer::new(
            "l",
            vec![Some(Geometry::LineString(LineString::from(vec![
                (0.0, 0.0),
                (1.0, 1.0),
            ])))],
            DataFrame::empty(),
            crs(),
        )
        .unwrap();
        assert!(engine::assign_xy(&[1.0], &[1.0], &line).is_err());
        assert!(line.prepared_names().is_empty());
    }

    #[test]
    fn threads_asking_at_once_all_get_the_one_kept() {
        let areas = areas();
        let grids: Vec<Arc<PolygonGrid>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| area_index(&areas, "assign").unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let kept = area_index(&areas, "assign").unwrap();
        // A thread that lost the race may hold the one it built; every later call gets the kept one.
        assert!(grids.iter().any(|g| Arc::ptr_eq(g, &kept)));
        assert_eq!(areas.prepared_names(), ["assign: area grid"]);
    }
}
