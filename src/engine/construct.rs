//! New geometries: buffers and dissolves.

use geo::orient::Direction;
use geo::{unary_union, BooleanOps, BoundingRect, Orient};
use geo_types::{Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point};
use rayon::prelude::*;

use polars::prelude::DataFrame;

use super::checks::{self, as_multipolygon, refuse_invalid_polygons};
use super::offset::buffered;
use crate::{Error, Layer, Result};

/// Each feature grown (or, for polygons with a negative distance, shrunk)
/// by `distance` metres, with round joins and caps made of `quad_segs`
/// segments per quarter circle, as GEOS does by default (8). Attributes are
/// kept; null geometries stay null, and a polygon shrunk away becomes an
/// empty multipolygon. Invalid polygons are refused, naming the feature.
///
/// The buffers are built as GEOS builds them (offset curves, and the
/// region they wind around): they are valid polygons, in the places
/// shapely's are, to the rounding of the vertices (a billionth of the
/// extent).
///
/// # Examples
///
/// ```
/// use geo_types::{Geometry, LineString, Rect, coord};
/// use lagesbild::engine::buffer;
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::DataFrame;
///
/// let square = Geometry::Polygon(Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 10.0, y: 10.0 }).to_polygon());
/// let route = Geometry::LineString(LineString::from(vec![(0.0, 0.0), (10.0, 0.0)]));
/// let layer = Layer::new("l", vec![Some(square), Some(route), None], DataFrame::empty(), Crs::from_epsg(3011).unwrap()).unwrap();
/// // Four quarter circles of 2 segments make a regular octagon of radius 2.
/// let octagon = 8.0 / 2.0 * 4.0 * (std::f64::consts::PI / 4.0).sin();
/// let near = |a: Option<f64>, b: f64| (a.unwrap() - b).abs() < 1e-8 * b;
/// let areas = buffer(&layer, 2.0, 2).unwrap().area().unwrap();
/// assert!(near(areas[0], 100.0 + 80.0 + octagon));
/// assert!(near(areas[1], 40.0 + octagon));
/// assert_eq!(areas[2], None);
/// assert!(near(buffer(&layer, -2.0, 8).unwrap().area().unwrap()[0], 36.0));
/// ```
pub fn buffer(layer: &Layer, distance: f64, quad_segs: u32) -> Result<Layer> {
    layer.require_metric("buffer")?;
    crate::ensure!(
        distance.is_finite(),
        "buffer: the distance must be a finite number of metres, not {distance}"
    );
    crate::ensure!(
        (1..=1000).contains(&quad_segs),
        "buffer: quad_segs must be between 1 and 1000, not {quad_segs}"
    );
    checks::refuse_non_finite(layer)?;
    checks::refuse_collections(layer, "buffer")?;
    refuse_invalid_polygons(layer, &|_| true)?;
    let geoms: Vec<Option<Geometry<f64>>> = super::install(|| {
        layer
            .geometries()
            .par_iter()
            .map(|g| {
                g.as_ref()
                    .map(|g| Geometry::MultiPolygon(buffered(g, distance, quad_segs)))
            })
            .collect()
    });
    Layer::new(
        format!("{} buffered", layer.name()),
        geoms,
        layer.attributes().clone(),
        layer.crs().clone(),
    )
}

/// The union of the geometries of each group of rows (given as row
/// positions), in parallel: polygons are merged into one multipolygon,
/// lines collected into one multilinestring, points into one multipoint. A
/// group mixing polygons with lines or points, or holding an invalid
/// polygon, is refused, naming a feature. The result has one feature per
/// group, no attributes, and is named `"<layer> dissolved"`.
///
/// # Examples
///
/// ```
/// use geo_types::{Geometry, Rect, coord};
/// use lagesbild::engine::dissolve;
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::DataFrame;
///
/// let square = |x0: f64| Some(Geometry::Polygon(Rect::new(coord! { x: x0, y: 0.0 }, coord! { x: x0 + 1.0, y: 1.0 }).to_polygon()));
/// let layer = Layer::new("sd", vec![square(0.0), square(1.0), square(2.0)], DataFrame::empty(), Crs::from_epsg(3011).unwrap()).unwrap();
/// let out = dissolve(&layer, &[vec![0, 1], vec![2]]).unwrap();
/// assert_eq!(out.area().unwrap(), vec![Some(2.0), Some(1.0)]);
/// assert_eq!(out.name(), "sd dissolved");
/// ```
pub fn dissolve(layer: &Layer, groups: &[Vec<u32>]) -> Result<Layer> {
    let geoms = layer.geometries();
    for g in groups {
        for &i in g {
            crate::ensure!(
                (i as usize) < geoms.len(),
                "dissolve: row {i} is out of range for {} ({} features)",
                layer.name(),
                geoms.len()
            );
        }
    }
    let mut used = vec![false; geoms.len()];
    for &i in groups.iter().flatten() {
        used[i as usize] = true;
    }
    checks::refuse_collections(layer, "dissolve")?;
    refuse_invalid_polygons(layer, &|i| used[i])?;
    let geoms = super::install(|| {
        groups
            .par_iter()
            .map(|rows| union_of(layer, rows))
            .collect::<Result<Vec<_>>>()
    })?;
    Layer::new(
        format!("{} dissolved", layer.name()),
        geoms,
        DataFrame::empty(),
        layer.crs().clone(),
    )
}

fn union_of(layer: &Layer, rows: &[u32]) -> Result<Option<Geometry<f64>>> {
    let geoms = layer.geometries();
    let mut polys: Vec<MultiPolygon<f64>> = Vec::new();
    let mut lines: Vec<LineString<f64>> = Vec::new();
    let mut points: Vec<Point<f64>> = Vec::new();
    let mut first_poly = None;
    let mut first_other = None;
    for &i in rows {
        // Null and empty geometries add nothing to a union.
        let Some(g) = geoms[i as usize]
            .as_ref()
            .filter(|g| !crate::geom::is_empty(g))
        else {
            continue;
        };
        if let Some(mp) = as_multipolygon(g) {
            first_poly.get_or_insert(i);
            // One orientation for every ring: the union reads a clockwise
            // part of a multipolygon beside a counter-clockwise one as a
            // negative region and drops it.
            polys.push(mp.orient(Direction::Default));
            continue;
        }
        first_other.get_or_insert(i);
        collect_other(g, &mut lines, &mut points);
    }
    if let (Some(p), Some(o)) = (first_poly, first_other) {
        return Err(Error::InvalidGeometry {
            layer: layer.name().to_string(),
            feature: o as usize,
            reason: format!("dissolve cannot merge it with the polygon of feature {p} in the same group: it is not a polygon"),
        });
    }
    Ok(if !polys.is_empty() {
        Some(Geometry::MultiPolygon(cascaded_union(polys)))
    } else if !lines.is_empty() && points.is_empty() {
        Some(Geometry::MultiLineString(MultiLineString(lines)))
    } else if !points.is_empty() && lines.is_empty() {
        Some(Geometry::MultiPoint(MultiPoint(points)))
    } else if !points.is_empty() {
        let mut all: Vec<Geometry<f64>> = lines.into_iter().map(Geometry::LineString).collect();
        all.extend(points.into_iter().map(Geometry::Point));
        Some(Geometry::GeometryCollection(geo_types::GeometryCollection(
            all,
        )))
    } else {
        None
    })
}

/// The union of polygons, merged pairwise in a balanced binary tree as
/// GEOS's cascaded union does, neighbours first (in the order of their
/// boxes' left edges), each level in parallel on the current pool. One
/// union of all the rings at once costs time that grows with the square of
/// the number of inputs lying over each other (every edge crosses the
/// edges of all the others); the tree unions pieces whose overlaps have
/// already been merged away.
fn cascaded_union(mut polys: Vec<MultiPolygon<f64>>) -> MultiPolygon<f64> {
    if polys.len() <= 2 {
        return unary_union(polys.iter());
    }
    let left = |p: &MultiPolygon<f64>| p.bounding_rect().map_or(f64::INFINITY, |r| r.min().x);
    polys.sort_by(|a, b| left(a).total_cmp(&left(b)));
    while polys.len() > 1 {
        polys = polys
            .par_chunks(2)
            .map(|pair| match pair {
                [a, b] => a.union(b),
                _ => pair[0].clone(),
            })
            .collect();
    }
    polys.pop().unwrap_or_else(|| MultiPolygon(Vec::new()))
}

fn collect_other(
    g: &Geometry<f64>,
    lines: &mut Vec<LineString<f64>>,
    points: &mut Vec<Point<f64>>,
) {
    match g {
        Geometry::Point(p) => points.push(*p),
        Geometry::MultiPoint(m) => points.extend(m.iter().copied()),
        Geometry::Line(l) => lines.push(LineString(vec![l.start, l.end])),
        Geometry::LineString(l) => lines.push(l.clone()),
        Geometry::MultiLineString(m) => lines.extend(m.iter().cloned()),
        Geometry::GeometryCollection(c) => c.iter().for_each(|g| collect_other(g, lines, points)),
        _ => {}
    }
}
