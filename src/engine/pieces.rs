//! The intersection polygon of two polygons, on the inputs' own
//! coordinates: the pieces of [`overlay`](super::overlay).
//!
//! The polygons are first cut down to a rectangle around their common box
//! ([`Clippable`]), so a zone of the whole city's water costs only its
//! edges near the area. The intersection is then found by [`i_overlay`]'s
//! sweep, which works on integers: a grid of about 2³⁰ steps across the
//! two clipped polygons' box. Its answer is put back on the inputs' own
//! coordinates vertex by vertex: a grid point where an input vertex lies
//! becomes that vertex, and any other (where the two boundaries cross)
//! becomes the crossing of the two input edges beside it, computed from
//! their own ends. So a piece's area agrees with [`overlay_area`]'s
//! (which never rounds) instead of carrying the grid's rounding, which for
//! a thin piece of a large zone reaches 1e-4 of its area.
//!
//! [`overlay_area`]: super::overlay_area

use geo::line_intersection::{line_intersection, LineIntersection};
use geo::BoundingRect;
use geo_types::{Coord, Geometry, Line, LineString, MultiPolygon, Polygon, Rect};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay::{ContourDirection, IntOverlayOptions, Overlay, ShapeType};
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::core::solver::Solver;
use i_overlay::i_float::adapter::FloatPointAdapter;
use i_overlay::i_float::int::point::IntPoint;
use rstar::AABB;

use super::clip::Clippable;
use super::index::{self, segment_envelope, BoxTree};
use super::overlay::rect_intersection;

/// One polygon feature prepared for many intersections: its rings for
/// clipping, and its edges with an R-tree for putting crossings back.
pub(crate) struct Piecewise {
    bbox: Option<Rect<f64>>,
    clip: Clippable,
    edges: Vec<(Coord<f64>, Coord<f64>)>,
    tree: BoxTree,
}

impl Piecewise {
    pub(crate) fn new(mp: &MultiPolygon<f64>) -> Piecewise {
        let edges: Vec<(Coord<f64>, Coord<f64>)> =
            mp.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .flat_map(|r| {
                    let closing = (r.0.first() != r.0.last())
                        .then(|| (*r.0.last().unwrap(), r.0[0]))
                        .into_iter();
                    r.0.windows(2).map(|w| (w[0], w[1])).chain(closing)
                })
                .filter(|(a, b)| a != b)
                .collect();
        let tree = index::tree_of(
            edges
                .iter()
                .enumerate()
                .map(|(i, &(a, b))| (i as u32, segment_envelope(a, b))),
        );
        Piecewise {
            bbox: mp.bounding_rect(),
            clip: Clippable::new(mp),
            edges,
            tree,
        }
    }

    fn edges_near(&self, c: Coord<f64>, r: f64) -> impl Iterator<Item = Line<f64>> + '_ {
        let env = AABB::from_corners([c.x - r, c.y - r], [c.x + r, c.y + r]);
        self.tree.locate_in_envelope_intersecting(&env).map(|h| {
            let (a, b) = self.edges[h.data as usize];
            Line::new(a, b)
        })
    }
}

/// The rings of a multipolygon, open (without the closing vertex).
fn open_rings(mp: &MultiPolygon<f64>) -> impl Iterator<Item = &[Coord<f64>]> {
    mp.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|r| match r.0.split_last() {
            Some((last, rest)) if Some(last) == r.0.first() => rest,
            _ => &r.0[..],
        })
}

/// The rectangle both polygons of a pair are clipped to before their
/// intersection is built: their common box, grown on every side by a
/// thousandth of its size, so that each side lies strictly outside one of
/// the two and the clip's edges along it fall outside the intersection.
/// `None` when the boxes share no area (nor can the polygons).
fn clip_box(a: &Rect<f64>, b: &Rect<f64>) -> Option<Rect<f64>> {
    let common = rect_intersection(a, b)?;
    let (lo, hi) = (common.min(), common.max());
    let (w, h) = (hi.x - lo.x, hi.y - lo.y);
    let m = 1e-3 * w.max(h);
    (w > 0.0 && h > 0.0).then(|| {
        Rect::new(
            Coord {
                x: lo.x - m,
                y: lo.y - m,
            },
            Coord {
                x: hi.x + m,
                y: hi.y + m,
            },
        )
    })
}

/// `z ∩ a`, with every vertex on the inputs' own coordinates (empty when
/// they share no area).
pub(crate) fn intersection(z: &Piecewise, a: &Piecewise) -> MultiPolygon<f64> {
    let Some(r) = z.bbox.zip(a.bbox).and_then(|(zb, ab)| clip_box(&zb, &ab)) else {
        return MultiPolygon(vec![]);
    };
    let (zc, ac) = (z.clip.clip(&r), a.clip.clip(&r));
    if zc.0.is_empty() || ac.0.is_empty() {
        return MultiPolygon(vec![]);
    }
    let all = || open_rings(&zc).chain(open_rings(&ac)).flatten();
    let pts: Vec<[f64; 2]> = all().map(|c| [c.x, c.y]).collect();
    let adapter = FloatPointAdapter::<[f64; 2], f64>::with_iter(pts.iter());
    let grid = |c: &Coord<f64>| adapter.float_to_int(&[c.x, c.y]);
    // The input vertex at each grid point (the first, where two share one),
    // sorted by grid point.
    let key = |p: &IntPoint| (p.x, p.y);
    let mut exact: Vec<(IntPoint, Coord<f64>)> = all().map(|c| (grid(c), *c)).collect();
    exact.sort_by_key(|(p, _)| key(p));
    exact.dedup_by_key(|(p, _)| key(p));
    let options = IntOverlayOptions {
        preserve_input_collinear: true,
        output_direction: ContourDirection::CounterClockwise,
        preserve_output_collinear: true,
        min_output_area: 0,
        ogc: true,
    };
    let mut overlay = Overlay::new_custom(pts.len(), options, Solver::default());
    for (mp, kind) in [(&zc, ShapeType::Subject), (&ac, ShapeType::Clip)] {
        for ring in open_rings(mp) {
            overlay.add_path_iter(ring.iter().map(grid), kind);
        }
    }
    let shapes = overlay.overlay(OverlayRule::Intersect, FillRule::EvenOdd);
    let step = adapter.inv_scale;
    let put_back = |p: &IntPoint| -> Coord<f64> {
        if let Ok(k) = exact.binary_search_by_key(&key(p), |(q, _)| key(q)) {
            return exact[k].1;
        }
        let [x, y] = adapter.int_to_float(p);
        let v = Coord { x, y };
        crossing_near(z, a, v, step).unwrap_or(v)
    };
    let exact_answer = polygons(&shapes, put_back);
    // Where the inputs are degenerate to within a grid step (a spike of
    // one along an edge of the other), the vertices put back can cross
    // where the grid's did not: the grid's answer is kept, valid and
    // within a step of the exact one.
    if crate::geom::is_valid(&Geometry::MultiPolygon(exact_answer.clone())) {
        exact_answer
    } else {
        polygons(&shapes, |p| {
            let [x, y] = adapter.int_to_float(p);
            Coord { x, y }
        })
    }
}

/// The multipolygon of `i_overlay`'s shapes, each vertex placed by `at`.
fn polygons(
    shapes: &[Vec<Vec<IntPoint>>],
    at: impl Fn(&IntPoint) -> Coord<f64>,
) -> MultiPolygon<f64> {
    MultiPolygon(
        shapes
            .iter()
            .filter_map(|shape| {
                let mut rings = shape.iter().map(|ring| {
                    let mut pts: Vec<Coord<f64>> = ring.iter().map(&at).collect();
                    pts.dedup();
                    while pts.len() > 1 && pts.first() == pts.last() {
                        pts.pop();
                    }
                    (pts.len() >= 3).then(|| {
                        pts.push(pts[0]);
                        LineString(pts)
                    })
                });
                let shell = rings.next()??;
                Some(Polygon::new(shell, rings.flatten().collect()))
            })
            .collect(),
    )
}

/// The point of the inputs that `v` (a vertex of the answer on the grid of
/// `step`, at no input vertex's grid point) stands for: the nearest of the
/// crossings of an edge of `z` with an edge of `a` near it, computed from
/// the edges' own ends, and of those edges' ends (where edges run along
/// each other, the grid may put an input vertex a step away from its own
/// grid point). `None` when nothing is near enough to be the one rounded.
fn crossing_near(z: &Piecewise, a: &Piecewise, v: Coord<f64>, step: f64) -> Option<Coord<f64>> {
    // The grid moves each end by at most half a step, so the rounded edges
    // pass within a step of the input ones; crossings at a shallow angle
    // move further along the edges.
    let (near, far) = (4.0 * step, 64.0 * step);
    let zs: Vec<Line<f64>> = z.edges_near(v, near).collect();
    let mut best: Option<(f64, Coord<f64>)> = None;
    let mut consider = |c: Coord<f64>, within: f64| {
        let d = (c.x - v.x).hypot(c.y - v.y);
        if d <= within && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    };
    for &ez in &zs {
        consider(ez.start, near);
        consider(ez.end, near);
    }
    for ea in a.edges_near(v, near) {
        consider(ea.start, near);
        consider(ea.end, near);
        for &ez in &zs {
            if let Some(LineIntersection::SinglePoint { intersection, .. }) =
                line_intersection(ez, ea)
            {
                consider(intersection, far);
            }
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::super::overlay::{intersection_area, Prepared};
    use super::*;
    use geo::Area;
    use geo_types::{coord, polygon};

    fn mp(p: Polygon<f64>) -> MultiPolygon<f64> {
        MultiPolygon(vec![p])
    }

    fn exact_area(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> f64 {
        intersection_area(&Prepared::new(a).unwrap(), &Prepared::new(b).unwrap())
    }

    #[test]
    fn crossings_are_computed_from_the_inputs_edges() {
        // Far from the origin, as SWEREF 99 coordinates are; the triangles'
        // edges cross at thirds, on no grid.
        let (x0, y0) = (674_032.123, 6_580_321.987);
        let t = mp(polygon![(x: x0, y: y0), (x: x0 + 3.0, y: y0), (x: x0, y: y0 + 3.0)]);
        let u = mp(
            polygon![(x: x0 + 1.0, y: y0 - 1.0), (x: x0 + 1.0, y: y0 + 7.0), (x: x0 - 7.0, y: y0 + 1.0)],
        );
        let got = intersection(&Piecewise::new(&t), &Piecewise::new(&u));
        let want = exact_area(&t, &u);
        assert!(want > 1.0);
        assert!((got.unsigned_area() - want).abs() <= 1e-9 * want);
        // Every vertex is a vertex of an input or lies on an edge of each.
        let vertex = |m: &MultiPolygon<f64>, c: &Coord<f64>| m.0[0].exterior().0.contains(c);
        let on = |m: &MultiPolygon<f64>, c: &Coord<f64>| {
            m.0[0].exterior().lines().any(|l| {
                let (d, e) = (l.end - l.start, *c - l.start);
                (d.x * e.y - d.y * e.x).abs() <= 1e-9 * d.x.hypot(d.y)
            })
        };
        let mut crossings = 0;
        for c in &got.0[0].exterior().0 {
            if !(vertex(&t, c) || vertex(&u, c)) {
                assert!(on(&t, c) && on(&u, c), "{c:?}");
                crossings += 1;
            }
        }
        assert!(crossings >= 2);
    }

    #[test]
    fn a_thin_piece_of_a_large_box_keeps_its_area() {
        // The area enters the zone by a strip 1 cm thick and 5 km long; a
        // grid over their common box (5 km) has steps of about 5e-6 m, which
        // would move the strip's 1 cm by up to 1e-4 of it.
        let zone = mp(
            polygon![(x: 0.0, y: 0.0), (x: 40_000.0, y: 0.0), (x: 40_000.0, y: 1000.0), (x: 0.0, y: 1000.0)],
        );
        let area = mp(
            polygon![(x: 100.0, y: 999.99), (x: 5100.0, y: 999.99), (x: 5100.0, y: 6000.0), (x: 100.0, y: 6000.0)],
        );
        let got = intersection(&Piecewise::new(&zone), &Piecewise::new(&area));
        let want = exact_area(&zone, &area);
        assert!((want - 50.0).abs() < 1e-6);
        assert!((got.unsigned_area() - want).abs() <= 1e-12 * want);
        assert!(got.0[0]
            .exterior()
            .0
            .contains(&coord! { x: 100.0, y: 999.99 }));
    }

    #[test]
    fn touching_boxes_or_polygons_give_nothing() {
        let a =
            mp(polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)]);
        let edge =
            mp(polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)]);
        let corner = mp(polygon![(x: 0.5, y: 1.5), (x: 1.5, y: 0.5), (x: 2.0, y: 2.0)]);
        let pa = Piecewise::new(&a);
        assert!(intersection(&pa, &Piecewise::new(&edge)).0.is_empty());
        assert_eq!(
            intersection(&pa, &Piecewise::new(&corner)).unsigned_area(),
            0.0
        );
    }
}
