//! Which area each point lies in.
//!
//! The rule, so that per-area counts always add up to the number of points
//! in the union of the areas: a point goes to the **lowest-index area whose
//! closed region (interior or boundary) contains it**. A point on a boundary
//! two areas share, or inside two overlapping areas, is counted once, in the
//! area that comes first in the layer; a point on the outer boundary of the
//! areas is inside. (geopandas' `within` counts boundary points nowhere and
//! `intersects` counts them in both.)

use rayon::prelude::*;

use super::grid::{PolygonGrid, NONE};
use crate::{Error, Layer, Result};

/// Finds the first crossing among the features flagged large.
pub(crate) type Crossing<'a> =
    dyn Fn(&[bool]) -> Option<(usize, geo_types::Coord<f64>, &'static str)> + Sync + 'a;

/// Points per parallel task: large enough that scheduling is free.
const CHUNK: usize = 1 << 15;

/// Index an area layer for [`assign_xy`]-style lookups, refusing what would
/// give wrong answers: non-polygons and invalid polygons (named by feature).
pub fn area_index(areas: &Layer, what: &str) -> Result<PolygonGrid> {
    let polygons = super::polygons(areas, what)?;
    let grid = PolygonGrid::new(polygons);
    refuse_invalid(areas, &|big| {
        grid.first_crossing(&|p| big[p as usize])
            .map(|(p, at, what)| (p as usize, at, what))
    })?;
    Ok(grid)
}

/// Refuse an area layer with an invalid polygon (self-intersection,
/// bow-tie, ring crossing, non-finite coordinate), naming the first one.
/// Ring orientation does not matter and is not a problem.
///
/// Features up to [`crate::geom::FULL_CHECK_LIMIT`] coordinates get the full
/// OGC validity check; larger ones (whose full check costs time quadratic in
/// their rings) get `crossing`. The verdict is kept with the layer, so a
/// layer is checked once however many operations use it. `crossing`: given which features are large, the first
/// large feature whose edges cross, from the grids built over them.
pub(crate) fn refuse_invalid(areas: &Layer, crossing: &Crossing) -> Result<()> {
    let found = areas.checked(|| first_problem(areas, crossing));
    if let Some((feature, reason)) = found {
        return Err(Error::InvalidGeometry {
            layer: areas.name().to_string(),
            feature,
            reason,
        });
    }
    Ok(())
}

fn first_problem(areas: &Layer, crossing: &Crossing) -> Option<(usize, String)> {
    let limit = crate::geom::FULL_CHECK_LIMIT;
    let big: Vec<bool> = areas
        .geometries()
        .iter()
        .map(|g| {
            g.as_ref()
                .is_some_and(|g| geo::CoordsIter::coords_count(g) > limit)
        })
        .collect();
    let small = super::install(|| {
        areas
            .geometries()
            .par_iter()
            .enumerate()
            .filter(|(i, _)| !big[*i])
            .filter_map(|(i, g)| crate::geom::problems(i, g.as_ref()?).into_iter().next())
            .min_by_key(|p| p.feature)
    });
    let mut first = small.map(|p| (p.feature, p.reason, p.x.zip(p.y)));
    if big.iter().any(|&b| b) {
        if let Some((poly, at, what)) = crossing(&big) {
            if first.as_ref().is_none_or(|f| poly < f.0) {
                first = Some((poly, what.to_string(), Some((at.x, at.y))));
            }
        }
    }
    first.map(|(feature, reason, at)| {
        let place = at.map(|(x, y)| format!(" at ({x}, {y})")).unwrap_or_default();
        (
            feature,
            format!("{reason}{place}; repair it (for example with shapely.make_valid or buffer(0)) or drop the feature"),
        )
    })
}

/// The error for an invalid polygon: the feature, what is wrong and where,
/// and what to do.
pub(crate) fn invalid_polygon(
    layer: &Layer,
    feature: usize,
    reason: &str,
    at: Option<(f64, f64)>,
) -> Error {
    let place = at
        .map(|(x, y)| format!(" at ({x}, {y})"))
        .unwrap_or_default();
    Error::InvalidGeometry {
        layer: layer.name().to_string(),
        feature,
        reason: format!(
            "{reason}{place}; repair it (for example with shapely.make_valid or buffer(0)) or drop the feature"
        ),
    }
}

/// The area (row position in `areas`) of each point given by coordinates in
/// the areas' CRS, or [`NONE`] for a point in no area or with a
/// non-finite coordinate. See the module docs for the rule.
pub fn assign_xy(xs: &[f64], ys: &[f64], areas: &Layer) -> Result<Vec<u32>> {
    crate::ensure!(
        xs.len() == ys.len(),
        "assign: {} x values but {} y values",
        xs.len(),
        ys.len()
    );
    super::non_empty(areas, "assign")?;
    let grid = area_index(areas, "assign")?;
    Ok(locate_all(&grid, xs, ys))
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

/// [`assign_xy`] for a layer of points (null geometries are in no area);
/// the layers must share a CRS.
pub fn assign_layer(points: &Layer, areas: &Layer) -> Result<Vec<u32>> {
    super::same_crs(points, areas, "assign")?;
    let (xs, ys) = point_coords(points, "assign")?;
    assign_xy(&xs, &ys, areas)
}

/// The coordinates of a point layer (NaN for null geometries); anything but
/// points is refused, naming the feature.
pub(crate) fn point_coords(points: &Layer, what: &str) -> Result<(Vec<f64>, Vec<f64>)> {
    let mut xs = Vec::with_capacity(points.len());
    let mut ys = Vec::with_capacity(points.len());
    for (i, g) in points.geometries().iter().enumerate() {
        match g {
            None => {
                xs.push(f64::NAN);
                ys.push(f64::NAN);
            }
            Some(geo_types::Geometry::Point(p)) => {
                xs.push(p.x());
                ys.push(p.y());
            }
            Some(g) => {
                return Err(Error::InvalidGeometry {
                    layer: points.name().to_string(),
                    feature: i,
                    reason: format!(
                        "{what} needs points, and this feature is a {}",
                        crate::geom::type_name(g)
                    ),
                })
            }
        }
    }
    Ok((xs, ys))
}
