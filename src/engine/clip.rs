//! Polygons cut down to a rectangle before an overlay, so that the boolean
//! operation that follows sees only the part of a large polygon near the
//! other one.
//!
//! Each ring is clipped with Sutherland–Hodgman, one side of the rectangle
//! at a time. The vertices inside the rectangle are kept as they are; new
//! vertices lie on the rectangle's sides, and where a ring leaves and comes
//! back the clipped ring runs along a side (edges of no width there). The
//! caller chooses a rectangle whose every side lies strictly outside the
//! other polygon of the overlay, so those edges lie outside the intersection
//! and the boolean operation removes them (it reads rings by the even-odd
//! rule, where a stretch run there and back encloses nothing).
//!
//! A ring is prepared once ([`Clippable::new`]) with the boxes of runs of
//! [`RUN`] edges: a run whose box misses the rectangle lies wholly beyond
//! one of its sides, so replacing it by the chord between its ends changes
//! the ring only outside the rectangle. Clipping then costs the number of
//! runs plus the vertices near the rectangle, not the vertices of the ring.

use geo_types::{Coord, LineString, MultiPolygon, Polygon, Rect};

/// Edges per run whose box is tested against the rectangle as one.
const RUN: usize = 32;

/// One ring, closed, with its box and the boxes of its runs of edges.
struct Ring {
    pts: Vec<Coord<f64>>,
    bbox: Rect<f64>,
    runs: Vec<Rect<f64>>,
}

/// A multipolygon prepared for many clips to rectangles.
pub(crate) struct Clippable {
    /// Per polygon, its exterior ring first, then its holes.
    polys: Vec<Vec<Ring>>,
}

fn bbox_of(pts: &[Coord<f64>]) -> Rect<f64> {
    let (mut lo, mut hi) = (pts[0], pts[0]);
    for p in &pts[1..] {
        lo.x = lo.x.min(p.x);
        lo.y = lo.y.min(p.y);
        hi.x = hi.x.max(p.x);
        hi.y = hi.y.max(p.y);
    }
    Rect::new(lo, hi)
}

/// Do the boxes `a` and `b` have no point in common?
fn apart(a: &Rect<f64>, b: &Rect<f64>) -> bool {
    a.max().x < b.min().x || a.min().x > b.max().x || a.max().y < b.min().y || a.min().y > b.max().y
}

/// Does `inner` lie within `outer`?
fn within(inner: &Rect<f64>, outer: &Rect<f64>) -> bool {
    inner.min().x >= outer.min().x
        && inner.max().x <= outer.max().x
        && inner.min().y >= outer.min().y
        && inner.max().y <= outer.max().y
}

impl Ring {
    fn new(ring: &LineString<f64>) -> Option<Ring> {
        let mut pts = ring.0.clone();
        if pts.len() < 3 {
            return None;
        }
        if pts.first() != pts.last() {
            pts.push(pts[0]);
        }
        let edges = pts.len() - 1;
        let runs = (0..edges)
            .step_by(RUN)
            .map(|s| bbox_of(&pts[s..=(s + RUN).min(edges)]))
            .collect();
        Some(Ring {
            bbox: bbox_of(&pts),
            pts,
            runs,
        })
    }

    /// The ring clipped to `r`, closed, or `None` when nothing with an
    /// area is left.
    fn clip(&self, r: &Rect<f64>) -> Option<LineString<f64>> {
        if apart(&self.bbox, r) {
            return None;
        }
        if within(&self.bbox, r) {
            return Some(LineString(self.pts.clone()));
        }
        // The open ring with each run that misses `r` replaced by its chord.
        let edges = self.pts.len() - 1;
        let mut open = Vec::new();
        for (k, run) in self.runs.iter().enumerate() {
            let s = k * RUN;
            if apart(run, r) {
                open.push(self.pts[s]);
            } else {
                open.extend_from_slice(&self.pts[s..(s + RUN).min(edges)]);
            }
        }
        let (lo, hi) = (r.min(), r.max());
        let open = cut(&open, |p| p.x >= lo.x, |p, q| at_x(p, q, lo.x));
        let open = cut(&open, |p| p.x <= hi.x, |p, q| at_x(p, q, hi.x));
        let open = cut(&open, |p| p.y >= lo.y, |p, q| at_y(p, q, lo.y));
        let mut open = cut(&open, |p| p.y <= hi.y, |p, q| at_y(p, q, hi.y));
        open.dedup();
        while open.len() > 1 && open.first() == open.last() {
            open.pop();
        }
        if open.len() < 3 {
            return None;
        }
        open.push(open[0]);
        (twice_area(&open) != 0.0).then_some(LineString(open))
    }
}

/// Twice the signed area of a closed ring.
fn twice_area(pts: &[Coord<f64>]) -> f64 {
    let o = pts[0];
    pts.windows(2)
        .map(|w| (w[0].x - o.x) * (w[1].y - o.y) - (w[1].x - o.x) * (w[0].y - o.y))
        .sum()
}

/// One Sutherland–Hodgman step: the open ring `poly` cut by the half-plane
/// `inside`, with `cross` giving where an edge crosses its border.
fn cut(
    poly: &[Coord<f64>],
    inside: impl Fn(Coord<f64>) -> bool,
    cross: impl Fn(Coord<f64>, Coord<f64>) -> Coord<f64>,
) -> Vec<Coord<f64>> {
    let mut out = Vec::with_capacity(poly.len() + 4);
    let Some(&last) = poly.last() else {
        return out;
    };
    let (mut prev, mut prev_in) = (last, inside(last));
    for &cur in poly {
        let cur_in = inside(cur);
        if cur_in != prev_in {
            out.push(cross(prev, cur));
        }
        if cur_in {
            out.push(cur);
        }
        (prev, prev_in) = (cur, cur_in);
    }
    out
}

/// Where the segment `p–q` (on both sides of `x = c`) crosses it; the same
/// point whichever way the segment runs.
fn at_x(p: Coord<f64>, q: Coord<f64>, c: f64) -> Coord<f64> {
    crossing(p, q, c, true)
}

/// Where the segment `p–q` (on both sides of `y = c`) crosses it.
fn at_y(p: Coord<f64>, q: Coord<f64>, c: f64) -> Coord<f64> {
    crossing(p, q, c, false)
}

/// Where `p–q` crosses the vertical line `x = c` (or the horizontal `y = c`),
/// computed from the lesser end (by x, then y) so that the answer does not
/// depend on the segment's direction.
fn crossing(p: Coord<f64>, q: Coord<f64>, c: f64, vertical: bool) -> Coord<f64> {
    let (p, q) = if (p.x, p.y) <= (q.x, q.y) {
        (p, q)
    } else {
        (q, p)
    };
    if vertical {
        Coord {
            x: c,
            y: p.y + (c - p.x) * (q.y - p.y) / (q.x - p.x),
        }
    } else {
        Coord {
            x: p.x + (c - p.y) * (q.x - p.x) / (q.y - p.y),
            y: c,
        }
    }
}

impl Clippable {
    pub(crate) fn new(mp: &MultiPolygon<f64>) -> Clippable {
        let polys =
            mp.0.iter()
                .filter_map(|p| {
                    let shell = Ring::new(p.exterior())?;
                    Some(
                        std::iter::once(shell)
                            .chain(p.interiors().iter().filter_map(Ring::new))
                            .collect(),
                    )
                })
                .collect();
        Clippable { polys }
    }

    /// The multipolygon clipped to `r`: equal to its intersection with `r`
    /// apart from edges of no width along `r`'s sides.
    pub(crate) fn clip(&self, r: &Rect<f64>) -> MultiPolygon<f64> {
        MultiPolygon(
            self.polys
                .iter()
                .filter_map(|rings| {
                    let shell = rings[0].clip(r)?;
                    let holes = rings[1..].iter().filter_map(|h| h.clip(r)).collect();
                    Some(Polygon::new(shell, holes))
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::overlay::{intersection_area, Prepared};
    use super::*;
    use geo::Area;
    use geo_types::{coord, polygon};

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect<f64> {
        Rect::new(coord! { x: x0, y: y0 }, coord! { x: x1, y: y1 })
    }

    /// A comb of `teeth` teeth along x, each with many vertices, so that
    /// runs of edges lie wholly outside a small rectangle.
    fn comb(teeth: usize) -> MultiPolygon<f64> {
        let mut pts = vec![coord! { x: 0.0, y: 0.0 }];
        for k in 0..teeth {
            let x = 2.0 * k as f64;
            for i in 0..=20 {
                pts.push(coord! { x: x + 0.05 * i as f64, y: 10.0 });
            }
            for i in 0..=20 {
                pts.push(coord! { x: x + 1.0 + 0.05 * i as f64, y: 1.0 });
            }
        }
        pts.push(coord! { x: 2.0 * teeth as f64, y: 0.0 });
        pts.push(coord! { x: 0.0, y: 0.0 });
        MultiPolygon(vec![Polygon::new(LineString(pts), vec![])])
    }

    #[test]
    fn clip_keeps_the_area_inside_the_rectangle() {
        let comb = comb(40);
        let c = Clippable::new(&comb);
        for r in [
            rect(-1.0, -1.0, 100.0, 11.0),
            rect(10.5, 0.5, 13.5, 5.0),
            rect(-5.0, 5.0, 200.0, 6.0),
            rect(30.2, 9.0, 30.4, 10.5),
        ] {
            let got = c.clip(&r);
            let want = intersection_area(
                &Prepared::new(&comb).unwrap(),
                &Prepared::new(&MultiPolygon(vec![r.to_polygon()])).unwrap(),
            );
            let got_area: f64 = got.0.iter().map(|p| p.signed_area().abs()).sum();
            assert!(
                (got_area - want).abs() <= 1e-12 * want.max(1.0),
                "{r:?}: {got_area} {want}"
            );
            // Vertices inside the rectangle are the input's own.
            for p in got.0.iter().flat_map(|p| p.exterior().0.iter()) {
                let on_side =
                    p.x == r.min().x || p.x == r.max().x || p.y == r.min().y || p.y == r.max().y;
                assert!(on_side || comb.0[0].exterior().0.contains(p), "{p:?}");
            }
        }
    }

    #[test]
    fn clip_of_holes_and_far_rings() {
        let donut = MultiPolygon(vec![polygon![
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 3.0, y: 3.0), (x: 7.0, y: 3.0), (x: 7.0, y: 7.0), (x: 3.0, y: 7.0)]],
        ]]);
        let c = Clippable::new(&donut);
        // A box through the hole: 5 × 10 less the hole's 2 × 4.
        let half = c.clip(&rect(5.0, -1.0, 11.0, 11.0));
        assert_eq!(half.0.len(), 1);
        assert_eq!(half.0[0].interiors().len(), 1);
        let area = half.0[0]
            .exterior()
            .0
            .windows(2)
            .fold(0.0, |s, w| s + w[0].x * w[1].y - w[1].x * w[0].y)
            / 2.0;
        let hole = half.0[0].interiors()[0]
            .0
            .windows(2)
            .fold(0.0, |s, w| s + w[0].x * w[1].y - w[1].x * w[0].y)
            / 2.0;
        assert_eq!(area.abs() - hole.abs(), 42.0);
        // A box away from the donut leaves nothing.
        assert!(c.clip(&rect(20.0, 20.0, 30.0, 30.0)).0.is_empty());
        // A box within the hole: shell and hole both clip to the box, which
        // the even-odd reading leaves empty.
        let inner = c.clip(&rect(4.0, 4.0, 6.0, 6.0));
        assert_eq!(inner.0.len(), 1);
        assert_eq!(inner.0[0].interiors().len(), 1);
        assert_eq!(inner.unsigned_area(), 0.0);
    }
}
