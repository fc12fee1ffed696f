//! The [`Layer`]: one geometry column in one CRS plus attributes.
//!
//! Geometries are `geo` geometries (null where a feature has none);
//! attributes are a polars `DataFrame` with one row per feature. Metric
//! measures (`area`, `length`) are in metres and refuse geographic layers.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

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
        let checked = self.checked.clone();
        let mut layer = Layer::new(self.name, self.geometries, attributes, self.crs)?;
        layer.checked = checked;
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
