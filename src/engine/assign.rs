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
use std::sync::Arc;

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
    /// The number of points (of `x` for coordinates).
    pub fn len(&self) -> usize {
        match self {
            Points::Xy(x, _) => x.len(),
            Points::Layer(l) => l.len(),
        }
    }

    /// True when there are no points.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

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
/// The index is kept with the layer ([`Layer::prepared_names`]): later
/// calls on the same layer, or a clone, reuse it.
///
/// ```
/// use std::sync::Arc;
/// use geo_types::{Geometry, Rect, coord};
/// use lagesbild::engine::area_index;
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::DataFrame;
///
/// let square = Some(Geometry::Polygon(Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 10.0, y: 10.0 }).to_polygon()));
/// let areas = Layer::new("areas", vec![square], DataFrame::empty(), Crs::from_epsg(3011).unwrap()).unwrap();
/// let grid = area_index(&areas, "assign").unwrap();
/// assert_eq!(grid.locate(5.0, 5.0), 0);
/// assert!(Arc::ptr_eq(&grid, &area_index(&areas.clone(), "assign").unwrap()));
/// ```
pub fn area_index(areas: &Layer, what: &str) -> Result<Arc<PolygonGrid>> {
    // Kept only once both checks passed, and the geometries never change:
    // a kept grid means this layer passes them.
    areas.prepared("assign: area grid", || {
        let polygons = checks::polygons(areas, what)?;
        checks::refuse_invalid(areas)?;
        Ok(PolygonGrid::new(polygons))
    })
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
    let mut rows = vec![none; points.len()];
    assign_into(points, areas, none, &mut rows)?;
    Ok(rows)
}

/// [`assign`] written into `out`, one row per point (`none` for a point in
/// no area): the caller owns the memory, so the answer for millions of
/// points is written once, where it is wanted.
///
/// ```
/// use geo_types::{Geometry, Rect, coord};
/// use lagesbild::engine::{assign_into, Points};
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::DataFrame;
///
/// let square = Some(Geometry::Polygon(Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 10.0, y: 10.0 }).to_polygon()));
/// let areas = Layer::new("areas", vec![square], DataFrame::empty(), Crs::from_epsg(3011).unwrap()).unwrap();
/// let mut rows = [7; 2];
/// assign_into(Points::Xy(&[5.0, 50.0], &[5.0, 5.0]), &areas, 9, &mut rows).unwrap();
/// assert_eq!(rows, [0, 9]);
/// assert!(assign_into(Points::Xy(&[5.0], &[5.0]), &areas, 9, &mut rows).is_err());
/// ```
pub fn assign_into(points: Points<'_>, areas: &Layer, none: u32, out: &mut [u32]) -> Result<()> {
    let (xs, ys) = points.coords(areas, "assign")?;
    crate::ensure!(
        out.len() == xs.len(),
        "assign: room for {} rows, but {} points",
        out.len(),
        xs.len()
    );
    checks::non_empty(areas, "assign")?;
    let grid = area_index(areas, "assign")?;
    locate_into(&grid, &xs, &ys, none, out);
    Ok(())
}

/// [`assign`] of coordinates in the areas' CRS, [`NONE`] for no area.
pub fn assign_xy(xs: &[f64], ys: &[f64], areas: &Layer) -> Result<Vec<u32>> {
    assign(Points::Xy(xs, ys), areas, NONE)
}

/// [`PolygonGrid::locate`] for many points, in parallel.
pub fn locate_all(grid: &PolygonGrid, xs: &[f64], ys: &[f64]) -> Vec<u32> {
    let mut out = vec![NONE; xs.len()];
    locate_into(grid, xs, ys, NONE, &mut out);
    out
}

/// [`PolygonGrid::locate`] for many points, in parallel, into `out`, with
/// `none` for a point in no polygon (in the same pass).
fn locate_into(grid: &PolygonGrid, xs: &[f64], ys: &[f64], none: u32, out: &mut [u32]) {
    super::install(|| {
        out.par_chunks_mut(CHUNK)
            .zip(xs.par_chunks(CHUNK).zip(ys.par_chunks(CHUNK)))
            .for_each(|(o, (x, y))| grid.locate_many(x, y, none, o))
    });
}
