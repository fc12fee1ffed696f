//! The refusals every operation makes before it computes: layers in two
//! CRSs, longitude/latitude where metres are needed, coordinates that are
//! not finite numbers, the wrong geometry type, an empty layer where
//! features are needed, and invalid polygons. Each names the layer, the
//! feature and the fix.

use geo_types::{Geometry, MultiPolygon};
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

/// A polygonal geometry as a multipolygon (`None` for points, lines and
/// collections).
pub(crate) fn as_multipolygon(g: &Geometry<f64>) -> Option<MultiPolygon<f64>> {
    Some(match g {
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        Geometry::MultiPolygon(m) => m.clone(),
        Geometry::Rect(r) => MultiPolygon(vec![r.to_polygon()]),
        Geometry::Triangle(t) => MultiPolygon(vec![t.to_polygon()]),
        _ => return None,
    })
}

/// Refuse a GeometryCollection, naming the layer and the feature: the
/// engine does not answer for a collection as the union of its members
/// (two polygons of one collection sharing an edge, or overlapping), so it
/// takes none rather than answer part by part.
pub(crate) fn refuse_collections(layer: &Layer, what: &str) -> Result<()> {
    match layer
        .geometries()
        .iter()
        .position(|g| matches!(g, Some(Geometry::GeometryCollection(_))))
    {
        Some(feature) => Err(Error::InvalidGeometry {
            layer: layer.name().to_string(),
            feature,
            reason: format!(
                "{what} does not take a GeometryCollection (its members would be answered one by one, not as their union); \
                 make it one Polygon, MultiPolygon, MultiLineString or MultiPoint (for example with shapely's union_all) \
                 or split it into one feature per member (explode)"
            ),
        }),
        None => Ok(()),
    }
}

/// The polygons of an area layer, one (possibly empty) multipolygon per
/// feature; a null geometry never matches. Points, lines and collections
/// are refused, naming the feature.
pub(crate) fn polygons(layer: &Layer, what: &str) -> Result<Vec<MultiPolygon<f64>>> {
    refuse_collections(layer, what)?;
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

/// Refuse an area layer with an invalid polygon (self-intersection,
/// bow-tie, ring crossing, misnested rings, disconnected interior,
/// non-finite coordinate), naming the first one. Ring orientation does not
/// matter and is not a problem. Every polygon gets the full OGC check
/// ([`geom::problems`], `O(n log n)` however large). The verdict is kept
/// with the layer, so a layer is checked once however many operations use
/// it.
pub(crate) fn refuse_invalid(areas: &Layer) -> Result<()> {
    let found = areas.checked(|| {
        first_invalid(areas, &|_| true).map(|p| (p.feature, repair_advice(&p.reason, p.x.zip(p.y))))
    });
    if let Some((feature, reason)) = found {
        return Err(Error::InvalidGeometry {
            layer: areas.name().to_string(),
            feature,
            reason,
        });
    }
    Ok(())
}

/// The first problem among the polygonal features `keep` selects.
fn first_invalid(layer: &Layer, keep: &(dyn Fn(usize) -> bool + Sync)) -> Option<Problem> {
    super::install(|| {
        layer
            .geometries()
            .par_iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .filter_map(|(i, g)| {
                let g = g.as_ref()?;
                as_multipolygon(g)?;
                geom::problems(i, g).into_iter().next()
            })
            .min_by_key(|p| p.feature)
    })
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
/// buffer or union of a self-intersecting polygon would be a guess.
pub(crate) fn refuse_invalid_polygons(
    layer: &Layer,
    keep: &(dyn Fn(usize) -> bool + Sync),
) -> Result<()> {
    match first_invalid(layer, keep) {
        Some(p) => Err(Error::InvalidGeometry {
            layer: layer.name().to_string(),
            feature: p.feature,
            reason: repair_advice(&p.reason, p.x.zip(p.y)),
        }),
        None => Ok(()),
    }
}
