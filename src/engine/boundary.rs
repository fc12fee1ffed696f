//! The boundary of each feature, as GEOS defines it: the rings of a polygon
//! as lines, the end points of an open line, nothing for a point.

use geo_types::{Geometry, LineString, MultiLineString, MultiPoint, Point};
use polars::prelude::DataFrame;

use super::checks;
use crate::{Layer, Result};

/// The boundary of each feature: a polygon's rings (exterior and holes) as
/// a multilinestring; a line's end points, unless it is closed (then
/// nothing), as a multipoint; a point's is empty. Null geometries stay null.
/// The result has no attributes and is named `"<layer> boundary"`.
///
/// # Examples
///
/// ```
/// use geo::{Euclidean, Length};
/// use geo_types::{Geometry, Rect, coord};
/// use lagesbild::engine::boundary;
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::DataFrame;
///
/// let square = Geometry::Polygon(Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 10.0, y: 10.0 }).to_polygon());
/// let layer = Layer::new("sq", vec![Some(square)], DataFrame::empty(), Crs::from_epsg(3011).unwrap()).unwrap();
/// let b = boundary(&layer).unwrap();
/// assert_eq!(b.length().unwrap(), vec![Some(40.0)]);
/// assert_eq!(b.name(), "sq boundary");
/// ```
pub fn boundary(layer: &Layer) -> Result<Layer> {
    checks::refuse_non_finite(layer)?;
    let geoms = layer
        .geometries()
        .iter()
        .map(|g| g.as_ref().map(boundary_of))
        .collect();
    Layer::new(
        format!("{} boundary", layer.name()),
        geoms,
        DataFrame::empty(),
        layer.crs().clone(),
    )
}

fn boundary_of(g: &Geometry<f64>) -> Geometry<f64> {
    if let Some(mp) = checks::as_multipolygon(g) {
        let rings: Vec<LineString<f64>> =
            mp.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .filter(|r| r.0.len() >= 2)
                .cloned()
                .collect();
        return Geometry::MultiLineString(MultiLineString(rings));
    }
    let ends = |l: &LineString<f64>| -> Vec<Point<f64>> {
        match (l.0.first(), l.0.last()) {
            (Some(a), Some(b)) if a != b => vec![Point(*a), Point(*b)],
            _ => vec![],
        }
    };
    match g {
        Geometry::Line(l) if l.start != l.end => {
            Geometry::MultiPoint(MultiPoint(vec![Point(l.start), Point(l.end)]))
        }
        Geometry::LineString(l) => Geometry::MultiPoint(MultiPoint(ends(l))),
        Geometry::MultiLineString(m) => {
            // GEOS's mod-2 rule: end points shared by an even number of parts are interior.
            let mut count: Vec<(Point<f64>, usize)> = Vec::new();
            for p in m.0.iter().flat_map(ends) {
                match count.iter_mut().find(|(q, _)| *q == p) {
                    Some((_, n)) => *n += 1,
                    None => count.push((p, 1)),
                }
            }
            Geometry::MultiPoint(MultiPoint(
                count
                    .into_iter()
                    .filter(|(_, n)| n % 2 == 1)
                    .map(|(p, _)| p)
                    .collect(),
            ))
        }
        _ => Geometry::MultiPoint(MultiPoint(vec![])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{coord, line_string, polygon};

    #[test]
    fn rings_of_a_polygon_with_a_hole_and_ends_of_lines() {
        let p = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 2.0, y: 2.0), (x: 4.0, y: 2.0), (x: 4.0, y: 4.0)]],
        );
        let Geometry::MultiLineString(m) = boundary_of(&Geometry::Polygon(p)) else {
            panic!()
        };
        assert_eq!(m.0.len(), 2);
        let open = line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0)];
        let Geometry::MultiPoint(ends) = boundary_of(&Geometry::LineString(open.clone())) else {
            panic!()
        };
        assert_eq!(ends.0.len(), 2);
        let closed =
            line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0), (x: 0.0, y: 0.0)];
        let Geometry::MultiPoint(none) = boundary_of(&Geometry::LineString(closed)) else {
            panic!()
        };
        assert!(none.0.is_empty());
        // Two parts meeting end to end: the shared end is not on the boundary.
        let next = line_string![(x: 1.0, y: 1.0), (x: 2.0, y: 1.0)];
        let Geometry::MultiPoint(two) =
            boundary_of(&Geometry::MultiLineString(MultiLineString(vec![
                open, next,
            ])))
        else {
            panic!()
        };
        assert_eq!(
            two.0,
            vec![
                Point(coord! { x: 0.0, y: 0.0 }),
                Point(coord! { x: 2.0, y: 1.0 })
            ]
        );
    }
}
