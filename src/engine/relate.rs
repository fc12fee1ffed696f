//! Exact predicates decided on the input coordinates alone.
//!
//! `geo`'s `Relate` splits edges at computed intersection points; where two
//! edges cross at a point no float can hold (the crossing at (2/3, 2/3) of
//! `LINESTRING (1 0, 0 2, 0 0, 2 2)`), the rounded point falls off both
//! edges and the answer goes wrong. The predicates here use only exact
//! orientation tests ([`robust::orient2d`]) and comparisons of input
//! coordinates, so no computed point decides anything.

use geo::Relate;
use geo_types::{Coord, Geometry};

use super::index::{hits, segment_envelope, tree_of};
use crate::geom::validity::lex_lt;

/// Does `a` contain `b` (DE-9IM `T*****FF*`, as GEOS)? Exact for a line
/// (LineString, MultiLineString) in a line; `geo`'s `Relate` for the rest.
///
/// ```
/// use geo_types::{line_string, Geometry};
/// use lagesbild::engine::relate::contains;
///
/// let zigzag = Geometry::LineString(line_string![(x: 1.0, y: 0.0), (x: 0.0, y: 2.0), (x: 0.0, y: 0.0), (x: 2.0, y: 2.0)]);
/// let diagonal = Geometry::LineString(line_string![(x: 0.0, y: 0.0), (x: 2.0, y: 2.0)]);
/// assert!(contains(&zigzag, &diagonal));
/// assert!(!contains(&diagonal, &zigzag));
/// ```
pub fn contains(a: &Geometry<f64>, b: &Geometry<f64>) -> bool {
    if let (Some(sa), Some(sb)) = (segments(a), segments(b)) {
        // A line with length lies in the other's interior somewhere as soon
        // as it lies in it at all: a line's boundary is a few points.
        if !sa.is_empty() && !sb.is_empty() {
            return line_covers_line(&sa, &sb);
        }
    }
    a.relate(b).is_contains()
}

type Segment = (Coord<f64>, Coord<f64>);

/// The segments of positive length of a line; `None` for other types.
fn segments(g: &Geometry<f64>) -> Option<Vec<Segment>> {
    let pairs = |pts: &[Coord<f64>]| -> Vec<Segment> {
        pts.windows(2)
            .filter(|w| w[0] != w[1])
            .map(|w| (w[0], w[1]))
            .collect()
    };
    Some(match g {
        Geometry::Line(l) => pairs(&[l.start, l.end]),
        Geometry::LineString(l) => pairs(&l.0),
        Geometry::MultiLineString(m) => m.0.iter().flat_map(|l| pairs(&l.0)).collect(),
        _ => return None,
    })
}

/// Is every point of `inner` on `outer`? Each segment of `inner` must be
/// covered by the segments of `outer` collinear with it (exact orientation
/// tests), ordered along it by their coordinates (exact comparisons).
fn line_covers_line(outer: &[Segment], inner: &[Segment]) -> bool {
    let tree = tree_of(
        outer
            .iter()
            .enumerate()
            .map(|(i, &(a, b))| (i as u32, segment_envelope(a, b))),
    );
    inner.iter().all(|&(p, q)| {
        let (lo, hi) = if lex_lt(q, p) { (q, p) } else { (p, q) };
        let mut pieces: Vec<Segment> = hits(&tree, &segment_envelope(p, q))
            .map(|k| outer[k as usize])
            .filter(|&(c, d)| on_line(c, p, q) && on_line(d, p, q))
            .map(|(c, d)| if lex_lt(d, c) { (d, c) } else { (c, d) })
            .collect();
        pieces.sort_by(|x, y| {
            (x.0.x, x.0.y)
                .partial_cmp(&(y.0.x, y.0.y))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut reached = lo;
        for (c, d) in pieces {
            if lex_lt(reached, c) {
                return false;
            }
            if lex_lt(reached, d) {
                reached = d;
            }
            if !lex_lt(reached, hi) {
                return true;
            }
        }
        !lex_lt(reached, hi)
    })
}

/// Is `c` on the infinite line through `p` and `q`?
fn on_line(c: Coord<f64>, p: Coord<f64>, q: Coord<f64>) -> bool {
    robust::orient2d(
        robust::Coord { x: p.x, y: p.y },
        robust::Coord { x: q.x, y: q.y },
        robust::Coord { x: c.x, y: c.y },
    ) == 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{line_string, LineString, MultiLineString};

    fn ls(pts: &[(f64, f64)]) -> Geometry<f64> {
        Geometry::LineString(LineString::from(pts.to_vec()))
    }

    #[test]
    fn lines_in_lines() {
        let ml = Geometry::MultiLineString(MultiLineString(vec![
            line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0)],
            line_string![(x: 0.5, y: 0.5), (x: 1.0, y: 0.1), (x: -1.0, y: 0.1)],
        ]));
        assert!(contains(&ml, &ls(&[(0.0, 0.0), (1.0, 1.0)])));
        assert!(contains(&ml, &ml));
        assert!(contains(&ml, &ls(&[(0.2, 0.2), (0.5, 0.5), (1.0, 0.1)])));
        assert!(!contains(&ml, &ls(&[(0.0, 0.0), (2.0, 2.0)])));
        // Covered by two pieces meeting end to end, in either direction.
        let two = ls(&[(0.0, 0.0), (1.0, 0.0), (3.0, 0.0)]);
        assert!(contains(&two, &ls(&[(2.5, 0.0), (0.5, 0.0)])));
        // A gap between the pieces.
        let gap = Geometry::MultiLineString(MultiLineString(vec![
            line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0)],
            line_string![(x: 1.5, y: 0.0), (x: 3.0, y: 0.0)],
        ]));
        assert!(!contains(&gap, &ls(&[(0.5, 0.0), (2.0, 0.0)])));
        // Off by the least amount a float allows.
        assert!(!contains(
            &two,
            &ls(&[(0.0, 0.0), (1.0, f64::MIN_POSITIVE)])
        ));
    }
}
