//! Small geometry helpers shared by the readers, the layer and the engine:
//! type names, finiteness, empty parts and validity problems with their
//! location.

use geo::CoordsIter;
use geo_types::{Coord, Geometry, LineString, Polygon};

pub mod validity;

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

/// Every validity problem of one geometry, each with a location where it
/// has one: the full OGC check as GEOS makes it (see [`validity`]), in
/// `O(n log n)` however large the geometry.
///
/// ```
/// use geo_types::{polygon, Geometry};
/// use lagesbild::geom::problems;
///
/// // A hole touching the shell at two points cuts the interior in two.
/// let cut = polygon!(
///     exterior: [(x: 0.0, y: 60.0), (x: 0.0, y: 0.0), (x: 60.0, y: 0.0), (x: 60.0, y: 60.0)],
///     interiors: [[(x: 0.0, y: 40.0), (x: 20.0, y: 20.0), (x: 60.0, y: 20.0)]],
/// );
/// let found = problems(3, &Geometry::Polygon(cut));
/// assert_eq!(found.len(), 1);
/// assert!(found[0].reason.contains("interior is disconnected"));
/// assert_eq!(found[0].feature, 3);
/// // A flat polygon runs back along itself.
/// let flat = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 20.0, y: 0.0)];
/// assert!(problems(0, &Geometry::Polygon(flat))[0].reason.contains("self-intersection"));
/// ```
pub fn problems(feature: usize, g: &Geometry<f64>) -> Vec<Problem> {
    validity::check(g)
        .into_iter()
        .map(|(reason, at)| Problem {
            feature,
            reason,
            x: at.map(|c| c.x),
            y: at.map(|c| c.y),
        })
        .collect()
}

/// True when `g` has no validity problem ([`problems`]).
pub fn is_valid(g: &Geometry<f64>) -> bool {
    validity::check(g).is_empty()
}

/// True when `g` is empty: a line or ring without points, a polygon
/// without an exterior, a multi-geometry or collection without non-empty
/// parts.
pub fn is_empty(g: &Geometry<f64>) -> bool {
    match g {
        Geometry::Point(_) | Geometry::Line(_) | Geometry::Rect(_) | Geometry::Triangle(_) => false,
        Geometry::LineString(l) => l.0.is_empty(),
        Geometry::Polygon(p) => p.exterior().0.is_empty(),
        Geometry::MultiPoint(m) => m.0.is_empty(),
        Geometry::MultiLineString(m) => m.0.iter().all(|l| l.0.is_empty()),
        Geometry::MultiPolygon(m) => m.0.iter().all(|p| p.exterior().0.is_empty()),
        Geometry::GeometryCollection(c) => c.0.iter().all(is_empty),
    }
}

/// Leave out the empty parts of a multi-geometry or collection (and the
/// empty holes of a polygon), as GEOS ignores them (`MULTILINESTRING ((10 0, 10 10), EMPTY)` is the line
/// `(10 0, 10 10)` to every operation). A geometry all of whose parts are
/// empty stays, empty.
///
/// ```
/// use geo_types::{line_string, Geometry, LineString, MultiLineString};
/// use lagesbild::geom::drop_empty_parts;
///
/// let line = line_string![(x: 10.0, y: 0.0), (x: 10.0, y: 10.0)];
/// let mut g = Geometry::MultiLineString(MultiLineString(vec![line.clone(), LineString(vec![])]));
/// drop_empty_parts(&mut g);
/// assert_eq!(g, Geometry::MultiLineString(MultiLineString(vec![line])));
/// ```
pub fn drop_empty_parts(g: &mut Geometry<f64>) {
    fn drop_empty_holes(p: &mut Polygon<f64>) {
        if p.interiors().iter().any(|r| r.0.is_empty()) {
            let (exterior, mut holes) =
                std::mem::replace(p, Polygon::new(LineString(vec![]), vec![])).into_inner();
            holes.retain(|r| !r.0.is_empty());
            *p = Polygon::new(exterior, holes);
        }
    }
    match g {
        Geometry::MultiLineString(m) if m.0.iter().any(|l| l.0.is_empty()) => {
            m.0.retain(|l| !l.0.is_empty())
        }
        Geometry::Polygon(p) => drop_empty_holes(p),
        Geometry::MultiPolygon(m) => {
            m.0.retain(|p| !p.exterior().0.is_empty());
            m.0.iter_mut().for_each(drop_empty_holes);
        }
        Geometry::GeometryCollection(c) => {
            c.0.iter_mut().for_each(drop_empty_parts);
            c.0.retain(|g| !is_empty(g));
        }
        _ => {}
    }
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
