//! The refusals every operation makes before it computes: layers in two
//! CRSs, longitude/latitude where metres are needed, coordinates that are
//! not finite numbers, the wrong geometry type, an empty layer where
//! features are needed, and invalid polygons. Each names the layer, the
//! feature and the fix.

use geo_types::{Coord, Geometry, MultiPolygon};
use rayon::prelude::*;

use crate::geom::{self, Problem};
use crate::{Error, Layer, Result};

/// Refuse two layers in different CRSs, naming both and the fix.
pub(crate) fn same_crs(a: &Layer, b: &Layer, what: &str) -> Result<()> {
    if a.crs() != b.crs() {
        return Err(Error::Crs {
            layer: format!("{what}: {} and {}", a.name(), b.name()),
            detail: format!(
                "the layers are in different CRSs ({} is in {}, {} in {}); bring one to the other's CRS first, e.g. {}.to_crs({})",
                a.name(),
                a.crs(),
                b.name(),
                b.crs(),
                a.name(),
                b.crs().epsg()
            ),
        });
    }
    Ok(())
}

/// [`same_crs`], and both in metres.
pub(crate) fn metric_pair(a: &Layer, b: &Layer, what: &str) -> Result<()> {
    same_crs(a, b, what)?;
    a.require_metric(what)?;
    b.require_metric(what)
}

/// Refuse the first feature of `layer` with a coordinate that is not a
/// finite number (NaN or infinite), naming it.
pub(crate) fn refuse_non_finite(layer: &Layer) -> Result<()> {
    match layer
        .geometries()
        .iter()
        .position(|g| g.as_ref().is_some_and(|g| !geom::all_finite(g)))
    {
        Some(feature) => Err(Error::InvalidGeometry {
            layer: layer.name().to_string(),
            feature,
            reason: "a coordinate is not a finite number".into(),
        }),
        None => Ok(()),
    }
}

/// Refuse a layer with no features where some are needed.
pub(crate) fn non_empty(layer: &Layer, what: &str) -> Result<()> {
    if layer.is_empty() {
        return Err(Error::EmptyLayer {
            layer: layer.name().to_string(),
            detail: format!("{what} needs at least one feature, and the layer is empty"),
        });
    }
    Ok(())
}

/// A polygonal geometry as a multipolygon (`None` for points and lines; a
/// collection counts when all its members are polygonal).
pub(crate) fn as_multipolygon(g: &Geometry<f64>) -> Option<MultiPolygon<f64>> {
    Some(match g {
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        Geometry::MultiPolygon(m) => m.clone(),
        Geometry::Rect(r) => MultiPolygon(vec![r.to_polygon()]),
        Geometry::Triangle(t) => MultiPolygon(vec![t.to_polygon()]),
        Geometry::GeometryCollection(c) => {
            let mut out = Vec::new();
            for g in c.iter() {
                out.extend(as_multipolygon(g)?.0);
            }
            MultiPolygon(out)
        }
        _ => return None,
    })
}

/// The polygons of an area layer, one (possibly empty) multipolygon per
/// feature; a null geometry never matches. Points and lines are refused,
/// naming the feature.
pub(crate) fn polygons(layer: &Layer, what: &str) -> Result<Vec<MultiPolygon<f64>>> {
    layer
        .geometries()
        .iter()
        .enumerate()
        .map(|(i, g)| match g {
            None => Ok(MultiPolygon(vec![])),
            Some(g) => as_multipolygon(g)
                .ok_or_else(|| Error::wrong_geometry(layer.name(), i, what, "polygons", g, "")),
        })
        .collect()
}

/// The coordinates of a point layer (NaN for null geometries); anything but
/// points is refused, naming the feature. `what` names the operation in the
/// error.
///
/// ```
/// use geo_types::{Geometry, Point};
/// use lagesbild::engine::checks::point_coords;
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::DataFrame;
///
/// let pts = Layer::new("p", vec![Some(Geometry::Point(Point::new(1.0, 2.0))), None], DataFrame::empty(), Crs::from_epsg(3011).unwrap()).unwrap();
/// let (x, y) = point_coords(&pts, "xy").unwrap();
/// assert_eq!((x[0], y[0]), (1.0, 2.0));
/// assert!(x[1].is_nan());
/// ```
pub fn point_coords(points: &Layer, what: &str) -> Result<(Vec<f64>, Vec<f64>)> {
    let mut xs = Vec::with_capacity(points.len());
    let mut ys = Vec::with_capacity(points.len());
    for (i, g) in points.geometries().iter().enumerate() {
        let (x, y) = match g {
            None => (f64::NAN, f64::NAN),
            Some(Geometry::Point(p)) => (p.x(), p.y()),
            Some(g) => {
                return Err(Error::wrong_geometry(
                    points.name(),
                    i,
                    what,
                    "points",
                    g,
                    "",
                ))
            }
        };
        xs.push(x);
        ys.push(y);
    }
    Ok((xs, ys))
}

/// Finds the first crossing among the features flagged large.
pub(crate) type Crossing<'a> =
    dyn Fn(&[bool]) -> Option<(usize, Coord<f64>, &'static str)> + Sync + 'a;

/// Refuse an area layer with an invalid polygon (self-intersection,
/// bow-tie, ring crossing, non-finite coordinate), naming the first one.
/// Ring orientation does not matter and is not a problem.
///
/// Features up to [`geom::FULL_CHECK_LIMIT`] coordinates get the full OGC
/// validity check; larger ones (whose full check costs time quadratic in
/// their rings) get `crossing`: given which features are large, the first
/// large feature whose edges cross, from the index built over them. The
/// verdict is kept with the layer, so a layer is checked once however many
/// operations use it.
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
    let limit = geom::FULL_CHECK_LIMIT;
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
            .filter_map(|(i, g)| geom::problems(i, g.as_ref()?).into_iter().next())
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
    first.map(|(feature, reason, at)| (feature, repair_advice(&reason, at)))
}

fn repair_advice(reason: &str, at: Option<(f64, f64)>) -> String {
    let place = at
        .map(|(x, y)| format!(" at ({x}, {y})"))
        .unwrap_or_default();
    format!(
        "{reason}{place}; repair it (for example with shapely.make_valid or buffer(0)) or drop the feature"
    )
}

/// Refuse the first invalid polygon among the features `keep` selects: the
/// buffer or union of a self-intersecting polygon would be a guess. Large
/// polygons get the edge-crossing check of [`geom::fast_problem`].
pub(crate) fn refuse_invalid_polygons(
    layer: &Layer,
    keep: &(dyn Fn(usize) -> bool + Sync),
) -> Result<()> {
    let first: Option<Problem> = super::install(|| {
        layer
            .geometries()
            .par_iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .filter_map(|(i, g)| {
                let g = g.as_ref()?;
                as_multipolygon(g)?;
                if geo::CoordsIter::coords_count(g) > geom::FULL_CHECK_LIMIT {
                    geom::fast_problem(i, g)
                } else {
                    geom::problems(i, g).into_iter().next()
                }
            })
            .min_by_key(|p| p.feature)
    });
    match first {
        Some(p) => Err(Error::InvalidGeometry {
            layer: layer.name().to_string(),
            feature: p.feature,
            reason: repair_advice(&p.reason, p.x.zip(p.y)),
        }),
        None => Ok(()),
    }
}
