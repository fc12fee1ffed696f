//! `lagesbild`: geospatial analysis for municipal safety and risk planning.
//!
//! The core reads the files municipal data arrives in ([`io`]), identifies
//! and transforms coordinate reference systems ([`crs`]) and holds features
//! as a [`Layer`]: one geometry column in one CRS plus attributes as a polars
//! `DataFrame`. Areas, lengths and distances are in metres, in a projected
//! CRS; geographic (longitude/latitude) layers are refused for metric work.
//!
//! # Examples
//!
//! ```
//! use geo_types::{Geometry, Point};
//! use lagesbild::{Crs, Layer};
//! use polars::prelude::DataFrame;
//!
//! let layer = Layer::new(
//!     "stations",
//!     vec![Some(Geometry::Point(Point::new(18.07, 59.33)))],
//!     DataFrame::empty(),
//!     Crs::from_epsg(4326).unwrap(),
//! ).unwrap();
//! let local = layer.to_crs(&Crs::from_epsg(3011).unwrap()).unwrap();
//! let (x, y, _, _) = local.bounds().unwrap();
//! assert!((x - 154_000.0).abs() < 1_000.0 && (y - 6_580_000.0).abs() < 2_000.0);
//! assert!(layer.area().is_err()); // degrees are not metres
//! ```

pub mod crs;
pub mod engine;
pub mod error;
pub mod geom;
pub mod info;
pub mod io;
pub mod layer;

pub use crs::Crs;
pub use error::{Error, Result};
pub use geom::Problem;
pub use layer::Layer;
