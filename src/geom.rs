//! Small geometry helpers shared by the readers, the layer and the engine:
//! type names, finiteness and validity problems with their location.

use geo::line_intersection::{line_intersection, LineIntersection};
use geo::validation::{
    InvalidGeometry, InvalidGeometryCollection, InvalidMultiPolygon, InvalidPolygon, RingRole,
};
use geo::{CoordsIter, Validation};
use geo_types::{Coord, Geometry, Line, LineString, Polygon};
use rstar::{RTree, RTreeObject, AABB};

/// One validity problem of a feature ([`crate::Layer::validity_report`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Row position of the feature.
    pub feature: usize,
    /// What is wrong, in words.
    pub reason: String,
    /// Where, when the problem has a place.
    pub x: Option<f64>,
    pub y: Option<f64>,
}

/// The OGC name of a geometry's type (`Rect` and `Triangle` count as `Polygon`,
/// `Line` as `LineString`).
pub fn type_name(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::Line(_) | Geometry::LineString(_) => "LineString",
        Geometry::Polygon(_) | Geometry::Rect(_) | Geometry::Triangle(_) => "Polygon",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
    }
}

/// True when every coordinate is finite.
pub fn all_finite(g: &Geometry<f64>) -> bool {
    g.coords_iter().all(|c| c.x.is_finite() && c.y.is_finite())
}

/// The index of the first non-finite coordinate, if any.
pub fn first_non_finite(g: &Geometry<f64>) -> Option<(usize, Coord<f64>)> {
    g.coords_iter()
        .enumerate()
        .find(|(_, c)| !(c.x.is_finite() && c.y.is_finite()))
}

/// Apply `f` to every coordinate in place, stopping at the first error.
///
/// A plain recursive walk: `geo`'s generic `try_map_coords_in_place` cannot
/// be instantiated through `GeometryCollection`'s recursion with a capturing
/// closure.
pub fn try_for_each_coord_mut<E>(
    g: &mut Geometry<f64>,
    f: &mut dyn FnMut(&mut Coord<f64>) -> Result<(), E>,
) -> Result<(), E> {
    fn ls<E>(
        l: &mut LineString<f64>,
        f: &mut dyn FnMut(&mut Coord<f64>) -> Result<(), E>,
    ) -> Result<(), E> {
        l.0.iter_mut().try_for_each(f)
    }
    fn poly<E>(
        p: &mut Polygon<f64>,
        f: &mut dyn FnMut(&mut Coord<f64>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut result = Ok(());
        p.exterior_mut(|r| result = ls(r, f));
        result?;
        let mut result = Ok(());
        p.interiors_mut(|rs| result = rs.iter_mut().try_for_each(|r| ls(r, f)));
        result
    }
    match g {
        Geometry::Point(p) => f(&mut p.0),
        Geometry::Line(l) => {
            f(&mut l.start)?;
            f(&mut l.end)
        }
        Geometry::LineString(l) => ls(l, f),
        Geometry::Polygon(p) => poly(p, f),
        Geometry::MultiPoint(m) => m.0.iter_mut().try_for_each(|p| f(&mut p.0)),
        Geometry::MultiLineString(m) => m.0.iter_mut().try_for_each(|l| ls(l, f)),
        Geometry::MultiPolygon(m) => m.0.iter_mut().try_for_each(|p| poly(p, f)),
        Geometry::GeometryCollection(gc) => {
            gc.0.iter_mut()
                .try_for_each(|g| try_for_each_coord_mut(g, f))
        }
        Geometry::Rect(r) => {
            let mut p = r.to_polygon();
            poly(&mut p, f)?;
            *g = Geometry::Polygon(p);
            Ok(())
        }
        Geometry::Triangle(t) => {
            let mut p = t.to_polygon();
            poly(&mut p, f)?;
            *g = Geometry::Polygon(p);
            Ok(())
        }
    }
}

/// Every validity problem of one geometry, each with a location where it has one.
pub fn problems(feature: usize, g: &Geometry<f64>) -> Vec<Problem> {
    let errors = g.validation_errors();
    errors
        .into_iter()
        .map(|e| {
            let at = locate(g, &e);
            Problem {
                feature,
                reason: e.to_string(),
                x: at.map(|c| c.x),
                y: at.map(|c| c.y),
            }
        })
        .collect()
}

/// Geometries with more coordinates than this get [`fast_problem`] in the
/// engine rather than the full (quadratic in the number of rings) check.
pub const FULL_CHECK_LIMIT: usize = 20_000;

/// The first place where two edges of one geometry cross or run along each
/// other, found with an R-tree in `O(n log n)`: the check that matters for
/// the engine's even-odd reading of rings, affordable on polygons of
/// hundreds of thousands of vertices. (Rings that merely touch at a vertex
/// are allowed, as in OGC validity; nesting of disjoint rings is not checked.)
pub fn fast_problem(feature: usize, g: &Geometry<f64>) -> Option<Problem> {
    if let Some((_, c)) = first_non_finite(g) {
        return Some(Problem {
            feature,
            reason: format!("non-finite coordinate ({}, {})", c.x, c.y),
            x: None,
            y: None,
        });
    }
    let mut segs: Vec<Seg> = Vec::new();
    let mut ring_of: Vec<(usize, usize)> = Vec::new(); // (ring, position in ring)
    let mut ring_len: Vec<usize> = Vec::new();
    let mut add_ring = |r: &LineString<f64>, segs: &mut Vec<Seg>| {
        let k = ring_len.len();
        let n = r.0.len().saturating_sub(1);
        ring_len.push(n);
        for (i, l) in r.lines().enumerate() {
            if l.start != l.end {
                ring_of.push((k, i));
                segs.push(Seg(segs.len(), l));
            }
        }
    };
    let mut polys: Vec<&Polygon<f64>> = Vec::new();
    match g {
        Geometry::Polygon(p) => polys.push(p),
        Geometry::MultiPolygon(m) => polys.extend(m.0.iter()),
        _ => return None,
    }
    for p in polys {
        add_ring(p.exterior(), &mut segs);
        for r in p.interiors() {
            add_ring(r, &mut segs);
        }
    }
    let tree = RTree::bulk_load(segs.iter().map(|s| Seg(s.0, s.1)).collect());
    for s in &segs {
        let env = s.envelope();
        for t in tree.locate_in_envelope_intersecting(&env) {
            if t.0 <= s.0 {
                continue;
            }
            let ((ra, ia), (rb, ib)) = (ring_of[s.0], ring_of[t.0]);
            let neighbours = ra == rb && {
                let n = ring_len[ra];
                ia.abs_diff(ib) == 1 || (ia.min(ib) == 0 && ia.max(ib) + 1 == n)
            };
            match line_intersection(s.1, t.1) {
                Some(LineIntersection::SinglePoint {
                    intersection,
                    is_proper,
                }) => {
                    let at_vertex = [s.1.start, s.1.end].contains(&intersection)
                        || [t.1.start, t.1.end].contains(&intersection);
                    if is_proper || (!neighbours && !at_vertex) {
                        return Some(Problem {
                            feature,
                            reason: "rings cross (self-intersection)".into(),
                            x: Some(intersection.x),
                            y: Some(intersection.y),
                        });
                    }
                }
                Some(LineIntersection::Collinear { intersection }) => {
                    return Some(Problem {
                        feature,
                        reason: "ring edges run along each other".into(),
                        x: Some(intersection.start.x),
                        y: Some(intersection.start.y),
                    });
                }
                None => {}
            }
        }
    }
    None
}

fn locate(g: &Geometry<f64>, e: &InvalidGeometry) -> Option<Coord<f64>> {
    match (g, e) {
        (Geometry::Polygon(p), InvalidGeometry::InvalidPolygon(pe)) => locate_in_polygon(p, pe),
        (Geometry::MultiPolygon(mp), InvalidGeometry::InvalidMultiPolygon(me)) => match me {
            InvalidMultiPolygon::InvalidPolygon(i, pe) => {
                mp.0.get(i.0).and_then(|p| locate_in_polygon(p, pe))
            }
            InvalidMultiPolygon::ElementsOverlaps(i, j)
            | InvalidMultiPolygon::ElementsTouchOnALine(i, j) => {
                let (a, b) = (mp.0.get(i.0)?, mp.0.get(j.0)?);
                crossing(a.exterior(), b.exterior(), false)
                    .or_else(|| b.exterior().0.first().copied())
            }
        },
        (Geometry::GeometryCollection(gc), InvalidGeometry::InvalidGeometryCollection(ge)) => {
            let InvalidGeometryCollection::InvalidGeometry(i, inner) = ge;
            gc.0.get(i.0).and_then(|g| locate(g, inner))
        }
        _ => g.coords_iter().find(|c| c.x.is_finite() && c.y.is_finite()),
    }
}

fn ring<'a>(p: &'a Polygon<f64>, role: &RingRole) -> Option<&'a LineString<f64>> {
    match role {
        RingRole::Exterior => Some(p.exterior()),
        RingRole::Interior(i) => p.interiors().get(*i),
    }
}

fn locate_in_polygon(p: &Polygon<f64>, e: &InvalidPolygon) -> Option<Coord<f64>> {
    match e {
        InvalidPolygon::SelfIntersection(r) => {
            let r = ring(p, r)?;
            crossing(r, r, true).or_else(|| r.0.first().copied())
        }
        InvalidPolygon::NonFiniteCoord(..) => None,
        InvalidPolygon::IntersectingRingsOnALine(a, b)
        | InvalidPolygon::IntersectingRingsOnAnArea(a, b) => {
            let (a, b) = (ring(p, a)?, ring(p, b)?);
            crossing(a, b, false).or_else(|| b.0.first().copied())
        }
        InvalidPolygon::TooFewPointsInRing(r)
        | InvalidPolygon::InteriorRingNotContainedInExteriorRing(r) => {
            ring(p, r)?.0.first().copied()
        }
    }
}

struct Seg(usize, Line<f64>);

impl RTreeObject for Seg {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners(
            [self.1.start.x, self.1.start.y],
            [self.1.end.x, self.1.end.y],
        )
    }
}

/// The first point where a segment of `a` meets a segment of `b`. With
/// `same`, `a` and `b` are one closed ring and neighbouring segments, which
/// share a vertex, do not count.
fn crossing(a: &LineString<f64>, b: &LineString<f64>, same: bool) -> Option<Coord<f64>> {
    let n = a.0.len().saturating_sub(1);
    let tree = RTree::bulk_load(a.lines().enumerate().map(|(i, l)| Seg(i, l)).collect());
    let mut best: Option<(usize, usize, Coord<f64>)> = None;
    for (j, lb) in b.lines().enumerate() {
        let env = AABB::from_corners([lb.start.x, lb.start.y], [lb.end.x, lb.end.y]);
        for s in tree.locate_in_envelope_intersecting(&env) {
            let i = s.0;
            if same && (i == j || i.abs_diff(j) == 1 || (i.min(j) == 0 && i.max(j) + 1 == n)) {
                continue;
            }
            let at = match line_intersection(s.1, lb) {
                Some(LineIntersection::SinglePoint { intersection, .. }) => intersection,
                Some(LineIntersection::Collinear { intersection }) => intersection.start,
                None => continue,
            };
            let key = (i.min(j), i.max(j));
            if best.is_none_or(|(bi, bj, _)| key < (bi, bj)) {
                best = Some((key.0, key.1, at));
            }
        }
    }
    best.map(|(_, _, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    #[test]
    fn bow_tie_is_located_at_its_crossing() {
        let bow = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 2.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0)];
        let p = problems(7, &Geometry::Polygon(bow));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].feature, 7);
        assert!(p[0].reason.contains("self-intersection"), "{}", p[0].reason);
        assert_eq!((p[0].x, p[0].y), (Some(1.0), Some(1.0)));
    }

    #[test]
    fn valid_square_has_no_problems() {
        let sq = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        assert!(problems(0, &Geometry::Polygon(sq)).is_empty());
    }
}
