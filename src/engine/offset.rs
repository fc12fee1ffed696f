//! Buffers built as GEOS builds them: the raw offset curve of every ring,
//! line and point at the distance, then the region those curves wind
//! around at least once.
//!
//! A curve runs at the distance beside its ring or line: offset segments,
//! joined by round arcs where the turn is outside (the arc's vertices on
//! the circle, `quad_segs` segments a quarter), and at their crossing
//! (or by a short closing segment) where it is inside. Every curve is
//! oriented so that the buffer lies on its left, which makes the buffer
//! the set of points the curves wind around counter-clockwise at least
//! once: loops where a curve doubles back (a narrow bay shrunk away, the
//! inside of a tight turn) wind the other way and drop out. The region is
//! found by [`i_overlay`]'s sweep with the positive fill rule, which also
//! makes the output OGC-valid (a hole touching its shell at a point is a
//! hole, not a pinched ring).
//!
//! Before the curve is built, vertices forming shallow dents on the side
//! being offset (nearer than 1 % of the distance to the line through their
//! neighbours and to the vertex before) are dropped, as GEOS does: they
//! change the buffer by less than that, and would otherwise each add a
//! closing segment that crosses many others. Digitised water, with
//! vertices every few centimetres, loses most of them at 25 m.
//!
//! Coordinates are in the layer's CRS; the distance in its units (metres).

use geo_types::{Coord, Geometry, LineString, MultiPolygon, Polygon};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::core::solver::Solver;
use i_overlay::float::overlay::{FloatOverlay, OverlayOptions};
use rayon::prelude::*;

/// The input simplification tolerance, as a fraction of the distance
/// (GEOS's default simplify factor).
const SIMPLIFY: f64 = 0.01;
/// Offset segment ends nearer than this fraction of the distance are
/// joined without an arc.
const SEPARATION: f64 = 1e-3;
/// At an inside turn whose offset segments do not cross, ends nearer than
/// this fraction of the distance are joined directly.
const INSIDE_SNAP: f64 = 1e-3;
/// Curve vertices nearer than this fraction of the distance to the last
/// one are skipped.
const VERTEX_SNAP: f64 = 1e-6;
/// An inside turn's closing segment reaches 1/(1 + this) of the way from
/// the offset segment's end towards the vertex: long enough to keep the
/// curve's winding right, short enough to cross few other segments.
const CLOSING: f64 = 80.0;
/// Rings with fewer vertices than this can turn their curve inside out.
const INVERTIBLE: usize = 9;

/// Which side of its line, in the direction of travel, a curve is built on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

/// The turn `a → b → c`, by an exact predicate: +1 to the left
/// (counter-clockwise), -1 to the right, 0 straight on or back.
fn turn(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> i32 {
    let rc = |c: Coord<f64>| robust::Coord { x: c.x, y: c.y };
    let o = robust::orient2d(rc(a), rc(b), rc(c));
    if o > 0.0 {
        1
    } else if o < 0.0 {
        -1
    } else {
        0
    }
}

fn dist(a: Coord<f64>, b: Coord<f64>) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

fn segment_distance(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let d = b - a;
    let len2 = d.x * d.x + d.y * d.y;
    if len2 == 0.0 {
        return dist(p, a);
    }
    let t = (((p.x - a.x) * d.x + (p.y - a.y) * d.y) / len2).clamp(0.0, 1.0);
    dist(
        p,
        Coord {
            x: a.x + t * d.x,
            y: a.y + t * d.y,
        },
    )
}

fn signed_area(ring: &[Coord<f64>]) -> f64 {
    let Some(&o) = ring.first() else { return 0.0 };
    let mut s = 0.0;
    for w in ring.windows(2) {
        s += (w[0].x - o.x) * (w[1].y - o.y) - (w[1].x - o.x) * (w[0].y - o.y);
    }
    s / 2.0
}

/// The points without consecutive repeats.
fn deduped(pts: &[Coord<f64>]) -> Vec<Coord<f64>> {
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(pts.len());
    for &p in pts {
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    out
}

/// The line without the vertices of shallow dents on `side`: a vertex
/// where the line turns towards `side` is dropped when it lies within
/// `tol` of the line joining its neighbours and, at sampled vertices of
/// the stretch it shortcuts, within `tol` of the line from the stretch's
/// start (GEOS's rule, which in effect drops only vertices near the one
/// before). The first two vertices and the last are kept, so caps and
/// ring closures stay where they are. Repeated until nothing changes.
fn simplified(pts: &[Coord<f64>], tol: f64, side: Side) -> Vec<Coord<f64>> {
    let towards = if side == Side::Left { 1 } else { -1 };
    let n = pts.len();
    let mut dropped = vec![false; n];
    let next = |dropped: &[bool], i: usize| {
        let mut j = i + 1;
        while j < n && dropped[j] {
            j += 1;
        }
        j
    };
    loop {
        let mut changed = false;
        let mut i = 1;
        let mut mid = next(&dropped, i);
        let mut last = next(&dropped, mid);
        while last < n {
            let (p0, p1, p2) = (pts[i], pts[mid], pts[last]);
            let drop = turn(p0, p1, p2) == towards
                && segment_distance(p1, p0, p2) < tol
                && (i..last)
                    .step_by(((last - i) / 10).max(1))
                    .all(|k| segment_distance(p1, p0, pts[k]) < tol);
            if drop {
                dropped[mid] = true;
                changed = true;
            }
            i = if drop { last } else { mid };
            mid = next(&dropped, i);
            last = next(&dropped, mid);
        }
        if !changed {
            break;
        }
    }
    pts.iter()
        .zip(&dropped)
        .filter(|(_, &d)| !d)
        .map(|(&p, _)| p)
        .collect()
}

/// Builds one raw offset curve at a time, vertex by vertex.
struct Curve {
    r: f64,
    quantum: f64,
    side: Side,
    pts: Vec<Coord<f64>>,
    s0: Coord<f64>,
    s1: Coord<f64>,
    s2: Coord<f64>,
    offset0: (Coord<f64>, Coord<f64>),
    offset1: (Coord<f64>, Coord<f64>),
}

impl Curve {
    fn new(r: f64, quad_segs: u32) -> Curve {
        let o = Coord { x: 0.0, y: 0.0 };
        Curve {
            r,
            quantum: std::f64::consts::FRAC_PI_2 / quad_segs as f64,
            side: Side::Left,
            pts: Vec::new(),
            s0: o,
            s1: o,
            s2: o,
            offset0: (o, o),
            offset1: (o, o),
        }
    }

    fn add(&mut self, p: Coord<f64>) {
        if let Some(&last) = self.pts.last() {
            if dist(last, p) < self.r * VERTEX_SNAP {
                return;
            }
        }
        self.pts.push(p);
    }

    /// The finished curve, closed.
    fn take(&mut self) -> Vec<Coord<f64>> {
        if let (Some(&first), Some(&last)) = (self.pts.first(), self.pts.last()) {
            if first != last {
                self.pts.push(first);
            }
        }
        std::mem::take(&mut self.pts)
    }

    /// The segment `a → b` moved the distance to `side`.
    fn offset(&self, a: Coord<f64>, b: Coord<f64>, side: Side) -> (Coord<f64>, Coord<f64>) {
        let sign = if side == Side::Left { 1.0 } else { -1.0 };
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = dx.hypot(dy);
        let (ux, uy) = (sign * self.r * dx / len, sign * self.r * dy / len);
        (
            Coord {
                x: a.x - uy,
                y: a.y + ux,
            },
            Coord {
                x: b.x - uy,
                y: b.y + ux,
            },
        )
    }

    fn start(&mut self, s1: Coord<f64>, s2: Coord<f64>, side: Side) {
        self.s1 = s1;
        self.s2 = s2;
        self.side = side;
        self.offset1 = self.offset(s1, s2, side);
    }

    /// The next vertex `p`: joins the offset of the segment ending at the
    /// previous vertex to that of the segment ending at `p`.
    fn next(&mut self, p: Coord<f64>, add_start: bool) {
        self.s0 = self.s1;
        self.s1 = self.s2;
        self.s2 = p;
        self.offset0 = self.offset(self.s0, self.s1, self.side);
        self.offset1 = self.offset(self.s1, self.s2, self.side);
        if self.s1 == self.s2 {
            return;
        }
        let t = turn(self.s0, self.s1, self.s2);
        let outside = (t < 0 && self.side == Side::Left) || (t > 0 && self.side == Side::Right);
        if t == 0 {
            let (d0, d1) = (self.s1 - self.s0, self.s2 - self.s1);
            if d0.x * d1.x + d0.y * d1.y < 0.0 {
                // Straight back: round the tip, the way the side goes.
                let way = if self.side == Side::Left { -1 } else { 1 };
                if add_start {
                    self.add(self.offset0.1);
                }
                self.fillet(self.s1, self.offset0.1, self.offset1.0, way);
                self.add(self.offset1.0);
            }
        } else if outside {
            self.outside_turn(t, add_start);
        } else {
            self.inside_turn();
        }
    }

    fn end(&mut self) {
        self.add(self.offset1.1);
    }

    fn outside_turn(&mut self, t: i32, add_start: bool) {
        let (a, b) = (self.offset0.1, self.offset1.0);
        if dist(a, b) < self.r * SEPARATION {
            self.add(a);
            return;
        }
        if add_start {
            self.add(a);
        }
        self.fillet(self.s1, a, b, t);
        self.add(b);
    }

    fn inside_turn(&mut self) {
        use geo::line_intersection::{line_intersection, LineIntersection};
        use geo_types::Line;
        let (a, b) = (self.offset0, self.offset1);
        match line_intersection(Line::new(a.0, a.1), Line::new(b.0, b.1)) {
            Some(LineIntersection::SinglePoint { intersection, .. }) => {
                return self.add(intersection)
            }
            Some(LineIntersection::Collinear { intersection }) => {
                return self.add(intersection.start)
            }
            None => {}
        }
        self.add(a.1);
        if dist(a.1, b.0) >= self.r * INSIDE_SNAP {
            let towards = |p: Coord<f64>, v: Coord<f64>| Coord {
                x: (CLOSING * p.x + v.x) / (CLOSING + 1.0),
                y: (CLOSING * p.y + v.y) / (CLOSING + 1.0),
            };
            self.add(towards(a.1, self.s1));
            self.add(towards(b.0, self.s1));
            self.add(b.0);
        }
    }

    /// The arc around `p` from `p0` to `p1`, turning `way` (+1
    /// counter-clockwise, -1 clockwise), its ends included.
    fn fillet(&mut self, p: Coord<f64>, p0: Coord<f64>, p1: Coord<f64>, way: i32) {
        let tau = 2.0 * std::f64::consts::PI;
        let mut from = (p0.y - p.y).atan2(p0.x - p.x);
        let to = (p1.y - p.y).atan2(p1.x - p.x);
        if way < 0 && from <= to {
            from += tau;
        } else if way > 0 && from >= to {
            from -= tau;
        }
        self.add(p0);
        self.arc(p, from, to, way);
        self.add(p1);
    }

    /// Vertices on the circle around `p` from angle `from` towards `to`
    /// (the end itself not added), in steps of at most about the quantum.
    fn arc(&mut self, p: Coord<f64>, from: f64, to: f64, way: i32) {
        let total = (from - to).abs();
        let n = (total / self.quantum + 0.5) as i64;
        if n < 1 {
            return;
        }
        let step = total / n as f64 * if way < 0 { -1.0 } else { 1.0 };
        for i in 0..n {
            let a = from + i as f64 * step;
            self.add(Coord {
                x: p.x + self.r * a.cos(),
                y: p.y + self.r * a.sin(),
            });
        }
    }

    /// The round cap at the end `p1` of the segment `p0 → p1`, from its
    /// left to its right.
    fn cap(&mut self, p0: Coord<f64>, p1: Coord<f64>) {
        let (l, r) = (
            self.offset(p0, p1, Side::Left),
            self.offset(p0, p1, Side::Right),
        );
        let angle = (p1.y - p0.y).atan2(p1.x - p0.x);
        let half = std::f64::consts::FRAC_PI_2;
        self.add(l.1);
        self.arc(p1, angle + half, angle - half, -1);
        self.add(r.1);
    }

    /// The curve of a closed ring (first point repeated last, at least
    /// four points) on `side`, in the ring's direction.
    fn ring(&mut self, ring: &[Coord<f64>], side: Side) -> Vec<Coord<f64>> {
        let simp = simplified(ring, SIMPLIFY * self.r, side);
        let n = simp.len() - 1;
        self.start(simp[n - 1], simp[0], side);
        for (i, &p) in simp.iter().enumerate().skip(1) {
            self.next(p, i != 1);
        }
        self.take()
    }

    /// The curve around an open line of at least two distinct points,
    /// counter-clockwise: down its left side, round the end, back up its
    /// right side and round the start.
    fn line(&mut self, line: &[Coord<f64>]) -> Vec<Coord<f64>> {
        let tol = SIMPLIFY * self.r;
        let left = simplified(line, tol, Side::Left);
        let n = left.len() - 1;
        self.start(left[0], left[1], Side::Left);
        for &p in &left[2..] {
            self.next(p, true);
        }
        self.end();
        self.cap(left[n - 1], left[n]);
        let right = simplified(line, tol, Side::Right);
        let n = right.len() - 1;
        // Travelling back, the right side is on the left.
        self.start(right[n], right[n - 1], Side::Left);
        for &p in right[..n - 1].iter().rev() {
            self.next(p, true);
        }
        self.end();
        self.cap(right[1], right[0]);
        // Built with the buffer on its right: turn it round.
        let mut c = self.take();
        c.reverse();
        c
    }

    /// A circle around `p`, counter-clockwise, `4 · quad_segs` segments.
    fn circle(&mut self, p: Coord<f64>) -> Vec<Coord<f64>> {
        let tau = 2.0 * std::f64::consts::PI;
        self.add(Coord {
            x: p.x + self.r,
            y: p.y,
        });
        self.arc(p, 0.0, tau, -1);
        let mut c = self.take();
        c.reverse();
        c
    }
}

/// Would shrinking by `r` leave nothing of this closed ring? When its box
/// is narrower than `2r`, or (a triangle) its incircle smaller than `r`.
fn eroded(ring: &[Coord<f64>], r: f64) -> bool {
    if ring.len() < 4 {
        return true;
    }
    if ring.len() == 4 {
        let (a, b, c) = (ring[0], ring[1], ring[2]);
        let perimeter = dist(a, b) + dist(b, c) + dist(c, a);
        let twice_area = ((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)).abs();
        return perimeter == 0.0 || twice_area / perimeter < r;
    }
    let (mut x0, mut y0, mut x1, mut y1) = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    for p in ring {
        (x0, y0, x1, y1) = (x0.min(p.x), y0.min(p.y), x1.max(p.x), y1.max(p.y));
    }
    2.0 * r > (x1 - x0).min(y1 - y0)
}

/// Has the curve of a small ring turned inside out? Its offset segments
/// can all cross one another when the distance is a little more than what
/// erodes the ring; then no vertex or segment middle of the curve lies at
/// the distance from the ring.
fn inverted(ring: &[Coord<f64>], r: f64, curve: &[Coord<f64>]) -> bool {
    if r == 0.0 || ring.len() <= 3 || ring.len() >= INVERTIBLE || curve.len() > 4 * ring.len() {
        return false;
    }
    let near = |p: Coord<f64>| {
        ring.windows(2)
            .map(|w| segment_distance(p, w[0], w[1]))
            .fold(f64::INFINITY, f64::min)
            <= 0.99 * r
    };
    curve.windows(2).all(|w| {
        let mid = Coord {
            x: 0.5 * (w[0].x + w[1].x),
            y: 0.5 * (w[0].y + w[1].y),
        };
        near(w[0]) && near(mid)
    })
}

/// Collects the curves of one geometry's buffer.
struct Curves {
    distance: f64,
    builder: Curve,
    out: Vec<Vec<Coord<f64>>>,
}

impl Curves {
    fn geometry(&mut self, g: &Geometry<f64>) {
        let d = self.distance;
        match g {
            Geometry::Point(p) if d > 0.0 => self.point(p.0),
            Geometry::MultiPoint(m) if d > 0.0 => m.iter().for_each(|p| self.point(p.0)),
            Geometry::Line(l) if d > 0.0 => self.line(&[l.start, l.end]),
            Geometry::LineString(l) if d > 0.0 => self.line(&l.0),
            Geometry::MultiLineString(m) if d > 0.0 => m.iter().for_each(|l| self.line(&l.0)),
            Geometry::Polygon(p) => self.polygon(p),
            Geometry::MultiPolygon(m) => m.iter().for_each(|p| self.polygon(p)),
            Geometry::Rect(r) => self.polygon(&r.to_polygon()),
            Geometry::Triangle(t) => self.polygon(&t.to_polygon()),
            Geometry::GeometryCollection(c) => c.iter().for_each(|g| self.geometry(g)),
            _ => {}
        }
    }

    fn point(&mut self, p: Coord<f64>) {
        let c = self.builder.circle(p);
        self.out.push(c);
    }

    fn line(&mut self, pts: &[Coord<f64>]) {
        let pts = deduped(pts);
        match pts.len() {
            0 => {}
            1 => self.point(pts[0]),
            n if n >= 4 && pts[0] == pts[n - 1] => {
                // A closed line: its two sides as rings, without caps.
                self.ring(&pts, true, true);
                self.ring(&pts, false, true);
            }
            _ => {
                let c = self.builder.line(&pts);
                self.out.push(c);
            }
        }
    }

    fn polygon(&mut self, p: &Polygon<f64>) {
        let r = self.distance.abs();
        let shell = deduped(&p.exterior().0);
        if shell.len() < 4 || (self.distance < 0.0 && eroded(&shell, r)) {
            return;
        }
        let grow = self.distance >= 0.0;
        self.ring(&shell, true, grow);
        for hole in p.interiors() {
            let hole = deduped(&hole.0);
            if hole.len() < 4 || (grow && eroded(&hole, r)) {
                continue;
            }
            self.ring(&hole, false, grow);
        }
    }

    /// The curve of a ring, built in the ring's own direction (the input
    /// simplification depends on it, and follows GEOS so), on the side
    /// away from `inside` when growing and towards it when shrinking, and
    /// turned so that the buffer lies on its left. `inside` is the side
    /// the polygon lies on: left of a counter-clockwise shell (true), the
    /// far side of a hole (false).
    fn ring(&mut self, ring: &[Coord<f64>], inside: bool, grow: bool) {
        let inside_left = (signed_area(ring) > 0.0) == inside;
        let side = if grow == inside_left {
            Side::Right
        } else {
            Side::Left
        };
        let mut c = if self.distance == 0.0 {
            ring.to_vec()
        } else {
            self.builder.ring(ring, side)
        };
        if inverted(ring, self.distance.abs(), &c) {
            return;
        }
        if !inside_left {
            c.reverse();
        }
        self.out.push(c);
    }
}

/// The points that closed curves, each with the region on its left, wind
/// around counter-clockwise at least once, as OGC-valid polygons.
pub(crate) fn wound(curves: &[Vec<Coord<f64>>]) -> MultiPolygon<f64> {
    let paths: Vec<Vec<[f64; 2]>> = curves
        .iter()
        .filter(|c| c.len() >= 4)
        .map(|c| c[..c.len() - 1].iter().map(|p| [p.x, p.y]).collect())
        .collect();
    if paths.is_empty() {
        return MultiPolygon(Vec::new());
    }
    let shapes = FloatOverlay::with_subj_custom(&paths, OverlayOptions::ogc(), Solver::default())
        .overlay(OverlayRule::Subject, FillRule::Positive);
    MultiPolygon(
        shapes
            .into_iter()
            .map(|shape| {
                let mut rings = shape.into_iter().map(|path| {
                    let mut ring: Vec<Coord<f64>> =
                        path.into_iter().map(|[x, y]| Coord { x, y }).collect();
                    if let Some(&first) = ring.first() {
                        ring.push(first);
                    }
                    LineString(ring)
                });
                let shell = rings.next().unwrap_or_else(|| LineString(Vec::new()));
                Polygon::new(shell, rings.collect())
            })
            .collect(),
    )
}

/// The buffer of one geometry: grown by `distance` (or, for polygons and a
/// negative distance, shrunk), round joins and caps of `quad_segs`
/// segments a quarter circle. Points and lines have an empty buffer at a
/// distance of zero or less. `distance` must be finite and `quad_segs` at
/// least 1 (the caller checks).
///
/// Shrinking, the parts of a multipolygon are independent (a point inside
/// one is nearer its boundary than any other part), so they are shrunk in
/// parallel on the current thread pool and their results put together.
pub(crate) fn buffered(g: &Geometry<f64>, distance: f64, quad_segs: u32) -> MultiPolygon<f64> {
    let region = |add: &dyn Fn(&mut Curves)| {
        let mut curves = Curves {
            distance,
            builder: Curve::new(distance.abs(), quad_segs),
            out: Vec::new(),
        };
        add(&mut curves);
        wound(&curves.out)
    };
    match g {
        Geometry::MultiPolygon(mp) if distance < 0.0 && mp.0.len() > 1 => MultiPolygon(
            mp.0.par_iter()
                .flat_map_iter(|p| region(&|c| c.polygon(p)).0)
                .collect(),
        ),
        g => region(&|c| c.geometry(g)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;
    use geo_types::{line_string, point, polygon};

    fn area(g: Geometry<f64>, d: f64, q: u32) -> f64 {
        let b = buffered(&g, d, q);
        assert!(geo::Validation::is_valid(&b), "{b:?}");
        b.unsigned_area()
    }

    /// Equal to rounding: the boolean sweep snaps vertices to an integer
    /// grid about a billionth of the extent fine.
    fn near(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-8 * b.abs().max(1.0)
    }

    fn regular(r: f64, sides: f64) -> f64 {
        sides / 2.0 * r * r * (2.0 * std::f64::consts::PI / sides).sin()
    }

    #[test]
    fn squares_points_and_segments_as_geos_builds_them() {
        let square =
            polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)];
        for q in [1, 2, 8] {
            let corners = regular(2.0, 4.0 * q as f64);
            let got = area(Geometry::Polygon(square.clone()), 2.0, q);
            assert!(near(got, 100.0 + 80.0 + corners), "{q}: {got}");
            let got = area(Geometry::Point(point!(x: 3.0, y: 4.0)), 2.0, q);
            assert!(near(got, corners), "{q}: {got}");
            let seg = line_string![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0)];
            let got = area(Geometry::LineString(seg), 2.0, q);
            assert!(near(got, 40.0 + corners), "{q}: {got}");
        }
        // Clockwise or counter-clockwise, shrunk with sharp corners.
        let mut cw = square.clone();
        cw.exterior_mut(|r| r.0.reverse());
        for p in [square, cw] {
            assert!(near(area(Geometry::Polygon(p.clone()), -2.0, 8), 36.0));
            assert_eq!(area(Geometry::Polygon(p), -5.0, 8), 0.0);
        }
    }

    #[test]
    fn a_line_that_loops_gives_a_valid_polygon_with_a_hole() {
        // A loop closing on itself mid-way: the buffer's hole touches
        // nothing, and the ring that pinched in geo's buffer is split.
        let l = line_string![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0), (x: 0.0, y: -5.0)];
        let b = buffered(&Geometry::LineString(l), 1.0, 8);
        assert!(geo::Validation::is_valid(&b));
        assert_eq!(b.0.len(), 1);
        assert_eq!(b.0[0].interiors().len(), 1);
    }

    #[test]
    fn shallow_dents_within_the_tolerance_are_dropped() {
        // Eastwards, a dent 0.5 deep to the south, its vertex 25 from the
        // one before: kept below a tolerance of 25 (GEOS's rule), dropped
        // above when the north side is offset. Offsetting the south side,
        // the corner after the dent is the dent (the first two and the
        // last vertex always stay).
        let c = |v: &[(f64, f64)]| v.iter().map(|&(x, y)| Coord { x, y }).collect::<Vec<_>>();
        let l = c(&[
            (0.0, 0.0),
            (25.0, 0.0),
            (50.0, -0.5),
            (75.0, 0.0),
            (100.0, 0.0),
        ]);
        assert_eq!(simplified(&l, 10.0, Side::Left), l);
        assert_eq!(simplified(&l, 10.0, Side::Right), l);
        assert_eq!(
            simplified(&l, 30.0, Side::Left),
            c(&[(0.0, 0.0), (25.0, 0.0), (75.0, 0.0), (100.0, 0.0)])
        );
        assert_eq!(
            simplified(&l, 30.0, Side::Right),
            c(&[(0.0, 0.0), (25.0, 0.0), (50.0, -0.5), (100.0, 0.0)])
        );
    }
}
