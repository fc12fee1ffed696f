//! Which area each point lies in.
//!
//! The rule, so that per-area counts always add up to the number of points
//! in the union of the areas: a point goes to the **lowest-index area whose
//! closed region (interior or boundary) contains it**. A point on a boundary
//! two areas share, or inside two overlapping areas, is counted once, in the
//! area that comes first in the layer; a point on the outer boundary of the
//! areas is inside. (geopandas' `within` counts boundary points nowhere and
//! `intersects` counts them in both.)

use std::borrow::Cow;

use rayon::prelude::*;

use super::checks;
use super::grid::{PolygonGrid, NONE};
use crate::{Layer, Result};

/// Points per parallel task: large enough that scheduling is free.
const CHUNK: usize = 1 << 15;

/// The points of a point operation ([`assign`], [`super::within_distance`],
/// [`super::nearest_points`]):
/// coordinates already in the other layer's CRS (the columnar path: no
/// geometry objects), or a layer of points, which must be in the other
/// layer's CRS.
#[derive(Clone, Copy)]
pub enum Points<'a> {
    /// `x` and `y` of each point; a non-finite coordinate is a point nowhere.
    Xy(&'a [f64], &'a [f64]),
    /// A layer of points (null geometries are points nowhere).
    Layer(&'a Layer),
}

/// The `x` and `y` columns of [`Points`], borrowed or made.
pub(crate) type Coords<'a> = (Cow<'a, [f64]>, Cow<'a, [f64]>);

impl<'a> Points<'a> {
    /// The coordinates, in `other`'s CRS; refuses a layer in another CRS or
    /// holding other geometries than points, and `x`/`y` of different lengths.
    pub(crate) fn coords(self, other: &Layer, what: &str) -> Result<Coords<'a>> {
        match self {
            Points::Xy(x, y) => {
                crate::ensure!(
                    x.len() == y.len(),
                    "{what}: {} x values but {} y values",
                    x.len(),
                    y.len()
                );
                Ok((Cow::Borrowed(x), Cow::Borrowed(y)))
            }
            Points::Layer(points) => {
                checks::same_crs(points, other, what)?;
                let (x, y) = checks::point_coords(points, what)?;
                Ok((Cow::Owned(x), Cow::Owned(y)))
            }
        }
    }
}

/// Index an area layer for [`assign`]-style lookups, refusing what would
/// give wrong answers: non-polygons and invalid polygons (named by feature).
pub fn area_index(areas: &Layer, what: &str) -> Result<PolygonGrid> {
    let polygons = checks::polygons(areas, what)?;
    checks::refuse_invalid(areas)?;
    Ok(PolygonGrid::new(polygons))
}

/// The area (row position in `areas`) of each point, or `none` for a point
/// in no area or with a non-finite coordinate. See the module docs for the
/// rule.
///
/// # Examples
///
/// ```
/// use geo_types::{Geometry, Rect, coord};
/// use lagesbild::engine::{assign, Points, NONE};
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::DataFrame;
///
/// let square = |x0: f64| Some(Geometry::Polygon(Rect::new(coord! { x: x0, y: 0.0 }, coord! { x: x0 + 10.0, y: 10.0 }).to_polygon()));
/// let areas = Layer::new("areas", vec![square(0.0), square(10.0)], DataFrame::empty(), Crs::from_epsg(3011).unwrap()).unwrap();
/// let rows = assign(Points::Xy(&[5.0, 10.0, 15.0, 25.0], &[5.0; 4]), &areas, NONE).unwrap();
/// assert_eq!(rows, vec![0, 0, 1, NONE]); // the shared edge goes to the first area
/// ```
pub fn assign(points: Points<'_>, areas: &Layer, none: u32) -> Result<Vec<u32>> {
    let (xs, ys) = points.coords(areas, "assign")?;
    checks::non_empty(areas, "assign")?;
    let grid = area_index(areas, "assign")?;
    let mut rows = locate_all(&grid, &xs, &ys);
    if none != NONE {
        super::install(|| {
            rows.par_iter_mut()
                .with_min_len(CHUNK)
                .filter(|r| **r == NONE)
                .for_each(|r| *r = none)
        });
    }
    Ok(rows)
}

/// [`assign`] of coordinates in the areas' CRS, [`NONE`] for no area.
pub fn assign_xy(xs: &[f64], ys: &[f64], areas: &Layer) -> Result<Vec<u32>> {
    assign(Points::Xy(xs, ys), areas, NONE)
}

/// [`PolygonGrid::locate`] for many points, in parallel.
pub fn locate_all(grid: &PolygonGrid, xs: &[f64], ys: &[f64]) -> Vec<u32> {
    let mut out = vec![NONE; xs.len()];
    super::install(|| {
        out.par_chunks_mut(CHUNK)
            .zip(xs.par_chunks(CHUNK).zip(ys.par_chunks(CHUNK)))
            .for_each(|(o, (x, y))| {
                for ((o, &x), &y) in o.iter_mut().zip(x).zip(y) {
                    *o = grid.locate(x, y);
                }
            })
    });
    out
}
