//! Nested-loop oracles for the engine's spatial join and overlay area, on
//! random inputs (property tests).
//!
//! What is checked against what:
//!
//! - `sjoin(left, right, p)` under `intersects`, `within` and `contains`
//!   returns exactly the sorted pairs of a loop over every (left, right)
//!   pair that decides each pair on its own, without an index. A point
//!   against a polygon or multipolygon is decided by an exact test written
//!   here: every coordinate is an integer, so "on an edge" is an i128 cross
//!   product and a range check, and inside is the crossing number (a point
//!   where two parts of a multipolygon touch is on its boundary, as it is
//!   topologically). Every other pair is decided by geo's `Relate` (DE-9IM).
//!   The inputs have points on vertices and on edges, polygons sharing edges
//!   or touching at a corner, holes (one kind touching the shell at a
//!   point), multipolygons, lines along edges, and null geometries on either
//!   side.
//! - Invariants of the join: `within` gives the pairs of `contains` with the
//!   sides swapped, mirrored; `intersects` gives the mirrored pairs with the
//!   sides swapped; the join and `overlay_area` give the same answers on one
//!   thread and on two (with enough points that the join splits its work).
//! - `overlay_area(zones, areas)` gives, for every pair, the area of geo's
//!   `BooleanOps::intersection` of the two features (a nested loop over all
//!   pairs), and leaves out the pairs that share no area; swapping the
//!   layers mirrors it. The tolerance is 1e-9 of the larger feature's area
//!   plus 1e-9 m², plus the rounding of `BooleanOps` itself: it snaps the
//!   vertices it computes to a grid of about 2^-30 of the extent, and so
//!   can be off by a few 1e-8 m² on these inputs ([`SNAP`]). The inputs are
//!   valid polygons: boxes on a coarse grid (shared and collinear edges),
//!   convex polygons, polygons with a hole, multipolygons of disjoint parts
//!   or of two boxes touching at a corner, in either ring orientation and
//!   from any starting vertex, half of the cases moved to Stockholm's
//!   coordinates (SWEREF 99 18 00).
//!
//! Each property runs [`CASES`] cases by default, the same ones on every
//! run ([`SEED`]), in a few seconds in release; `PROPTEST_CASES=2000` runs
//! more and `PROPTEST_RNG_SEED=<n>` draws others. No failure files are
//! written: a failing case is shrunk and printed in full.

use geo::{Area, BooleanOps, ConvexHull, Relate, Validation};
use geo_types::{Coord, Geometry, LineString, MultiPoint, MultiPolygon, Point, Polygon};
use lagesbild::engine::{overlay_area, set_threads, sjoin, threads, Predicate};
use lagesbild::{Crs, Error, Layer};
use polars::prelude::DataFrame;
use proptest::collection::vec;
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const CASES: u32 = 128;

const PREDICATES: [Predicate; 3] = [
    Predicate::Intersects,
    Predicate::Within,
    Predicate::Contains,
];

/// The seed used unless `PROPTEST_RNG_SEED` gives another: the same cases
/// on every run, as the Python property tests do by default.
const SEED: u64 = 20_261_201;

/// The proptest configuration: [`CASES`] cases unless `PROPTEST_CASES` is
/// set, no failure files, and the fixed [`SEED`] unless `PROPTEST_RNG_SEED`
/// is set (a failing case is shrunk and printed in full, so it can be
/// replayed).
fn config() -> Config {
    // `Config::default()` reads the PROPTEST_* variables.
    let mut c = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = CASES;
    }
    c.failure_persistence = None;
    if c.rng_seed == RngSeed::Random {
        c.rng_seed = RngSeed::Fixed(SEED);
    }
    c
}

// ---------------------------------------------------------------------------
// Shapes on an integer grid

/// An integer coordinate.
type P = (i64, i64);

/// Coarse cells per side: polygon vertices lie at even coordinates in
/// `0..=2 * N`, so the midpoint of most edges is a grid point too.
const N: i64 = 8;

/// A polygon: its rings without the closing vertex.
#[derive(Clone, Debug)]
struct Poly {
    exterior: Vec<P>,
    holes: Vec<Vec<P>>,
}

#[derive(Clone, Debug)]
enum Shape {
    Point(P),
    Line(Vec<P>),
    Polygon(Poly),
    Multi(Vec<Poly>),
}

fn coord(p: P, offset: (f64, f64)) -> Coord<f64> {
    Coord {
        x: p.0 as f64 + offset.0,
        y: p.1 as f64 + offset.1,
    }
}

fn to_polygon(p: &Poly, offset: (f64, f64)) -> Polygon<f64> {
    let ring = |r: &[P]| LineString::from(r.iter().map(|&c| coord(c, offset)).collect::<Vec<_>>());
    Polygon::new(ring(&p.exterior), p.holes.iter().map(|h| ring(h)).collect())
}

impl Shape {
    fn to_geo(&self, offset: (f64, f64)) -> Geometry<f64> {
        match self {
            Shape::Point(p) => Geometry::Point(Point(coord(*p, offset))),
            Shape::Line(l) => Geometry::LineString(LineString::from(
                l.iter().map(|&c| coord(c, offset)).collect::<Vec<_>>(),
            )),
            Shape::Polygon(p) => Geometry::Polygon(to_polygon(p, offset)),
            Shape::Multi(m) => Geometry::MultiPolygon(MultiPolygon(
                m.iter().map(|p| to_polygon(p, offset)).collect(),
            )),
        }
    }

    /// The polygons of an area (one for a polygon, the parts of a
    /// multipolygon), `None` for points and lines.
    fn polys(&self) -> Option<&[Poly]> {
        match self {
            Shape::Polygon(p) => Some(std::slice::from_ref(p)),
            Shape::Multi(m) => Some(m),
            _ => None,
        }
    }

    fn multipolygon(&self, offset: (f64, f64)) -> MultiPolygon<f64> {
        MultiPolygon(
            self.polys()
                .expect("an area")
                .iter()
                .map(|p| to_polygon(p, offset))
                .collect(),
        )
    }
}

fn layer(name: &str, shapes: &[Option<Shape>], offset: (f64, f64)) -> Layer {
    Layer::new(
        name,
        shapes
            .iter()
            .map(|s| s.as_ref().map(|s| s.to_geo(offset)))
            .collect(),
        DataFrame::empty(),
        Crs::from_epsg(3011).unwrap(),
    )
    .unwrap()
}

// ---------------------------------------------------------------------------
// The exact point-in-polygon test

#[derive(Clone, Copy, Debug, PartialEq)]
enum Loc {
    Inside,
    Boundary,
    Outside,
}

/// Twice the signed area of the triangle `o, a, b` (positive when `b` is to
/// the left of `o → a`).
fn cross(o: P, a: P, b: P) -> i128 {
    (a.0 - o.0) as i128 * (b.1 - o.1) as i128 - (a.1 - o.1) as i128 * (b.0 - o.0) as i128
}

fn on_segment(p: P, a: P, b: P) -> bool {
    cross(a, b, p) == 0
        && a.0.min(b.0) <= p.0
        && p.0 <= a.0.max(b.0)
        && a.1.min(b.1) <= p.1
        && p.1 <= a.1.max(b.1)
}

/// The edges of a ring given without its closing vertex.
fn ring_edges(r: &[P]) -> impl Iterator<Item = (P, P)> + '_ {
    (0..r.len()).map(move |i| (r[i], r[(i + 1) % r.len()]))
}

fn locate_in_polygon(p: P, poly: &Poly) -> Loc {
    let mut odd = false;
    for r in std::iter::once(&poly.exterior).chain(&poly.holes) {
        for (a, b) in ring_edges(r) {
            if on_segment(p, a, b) {
                return Loc::Boundary;
            }
            // An edge crossing the horizontal line through `p` (half-open in
            // y), to the right of `p`: `p` lies left of it going up, right of
            // it going down. Not on the edge, so the cross product is not 0.
            let up = b.1 > a.1;
            if (a.1 > p.1) != (b.1 > p.1) && (cross(a, b, p) > 0) == up {
                odd = !odd;
            }
        }
    }
    if odd {
        Loc::Inside
    } else {
        Loc::Outside
    }
}

/// Where `p` lies in an area: inside if in the interior of a part, on the
/// boundary if on the boundary of a part (also where two parts touch),
/// outside otherwise. Exact for valid polygons and multipolygons.
fn locate(p: P, polys: &[Poly]) -> Loc {
    let mut best = Loc::Outside;
    for poly in polys {
        match locate_in_polygon(p, poly) {
            Loc::Inside => return Loc::Inside,
            Loc::Boundary => best = Loc::Boundary,
            Loc::Outside => {}
        }
    }
    best
}

// ---------------------------------------------------------------------------
// The nested loop

/// Does `left pred right` hold? Decided pair by pair: exactly for a point
/// and an area, by geo's DE-9IM matrix for anything else.
fn decide(l: &Shape, lg: &Geometry<f64>, r: &Shape, rg: &Geometry<f64>, pred: Predicate) -> bool {
    match (l, r) {
        (Shape::Point(p), a) if a.polys().is_some() => {
            let loc = locate(*p, a.polys().unwrap());
            match pred {
                Predicate::Intersects => loc != Loc::Outside,
                Predicate::Within => loc == Loc::Inside,
                Predicate::Contains => false,
            }
        }
        (a, Shape::Point(p)) if a.polys().is_some() => {
            let loc = locate(*p, a.polys().unwrap());
            match pred {
                Predicate::Intersects => loc != Loc::Outside,
                Predicate::Within => false,
                Predicate::Contains => loc == Loc::Inside,
            }
        }
        _ => {
            let m = lg.relate(rg);
            match pred {
                Predicate::Intersects => m.is_intersects(),
                Predicate::Within => m.is_within(),
                Predicate::Contains => m.is_contains(),
            }
        }
    }
}

fn nested_loop(
    left: &[Option<Shape>],
    right: &[Option<Shape>],
    pred: Predicate,
) -> Vec<(u32, u32)> {
    let geoms = |s: &[Option<Shape>]| -> Vec<Option<Geometry<f64>>> {
        s.iter()
            .map(|s| s.as_ref().map(|s| s.to_geo((0.0, 0.0))))
            .collect()
    };
    let (lg, rg) = (geoms(left), geoms(right));
    let mut pairs = Vec::new();
    for (i, (l, lg)) in left.iter().zip(&lg).enumerate() {
        for (j, (r, rg)) in right.iter().zip(&rg).enumerate() {
            if let (Some(l), Some(lg), Some(r), Some(rg)) = (l, lg, r, rg) {
                if decide(l, lg, r, rg, pred) {
                    pairs.push((i as u32, j as u32));
                }
            }
        }
    }
    pairs
}

/// `sjoin` against the nested loop, for one predicate.
fn check_sjoin(
    left: &[Option<Shape>],
    right: &[Option<Shape>],
    pred: Predicate,
) -> Result<(), TestCaseError> {
    let (l, r) = (
        layer("left", left, (0.0, 0.0)),
        layer("right", right, (0.0, 0.0)),
    );
    let got = sjoin(&l, &r, pred).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let expected = nested_loop(left, right, pred);
    prop_assert!(
        got == expected,
        "sjoin {:?}: the engine gives {:?}, the nested loop {:?}",
        pred,
        got,
        expected
    );
    Ok(())
}

fn mirrored(pairs: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut m: Vec<(u32, u32)> = pairs.iter().map(|&(i, j)| (j, i)).collect();
    m.sort_unstable();
    m
}

// ---------------------------------------------------------------------------
// Strategies

fn rect(x0: i64, y0: i64, x1: i64, y1: i64) -> Vec<P> {
    vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
}

/// A box on the coarse grid `0..=n` (coordinates doubled).
fn a_box(n: i64) -> impl Strategy<Value = Poly> {
    (0..n, 0..n, 1..=4i64, 1..=4i64).prop_map(move |(x, y, w, h)| Poly {
        exterior: rect(2 * x, 2 * y, 2 * (x + w).min(n), 2 * (y + h).min(n)),
        holes: vec![],
    })
}

/// The convex hull of a few points of the coarse grid `0..=n`.
fn convex(n: i64) -> impl Strategy<Value = Poly> {
    vec((0..=n, 0..=n), 3..7).prop_filter_map("collinear points", |pts| {
        let hull = MultiPoint::from(
            pts.iter()
                .map(|&(x, y)| ((2 * x) as f64, (2 * y) as f64))
                .collect::<Vec<_>>(),
        )
        .convex_hull();
        let ring = &hull.exterior().0;
        (hull.unsigned_area() > 0.0).then(|| Poly {
            exterior: ring[..ring.len() - 1]
                .iter()
                .map(|c| (c.x as i64, c.y as i64))
                .collect(),
            holes: vec![],
        })
    })
}

/// A box of at least 3×3 coarse cells with a hole: a box strictly inside
/// it, or a triangle whose tip touches the bottom edge (valid: the rings
/// meet at one point).
fn holed() -> impl Strategy<Value = Poly> {
    (
        0..=N - 3,
        0..=N - 3,
        3..=6i64,
        3..=6i64,
        (0..64i64, 0..64i64, 0..64i64, 0..64i64),
        any::<bool>(),
    )
        .prop_map(|(x, y, w, h, (a, b, c, d), touching)| {
            let (x1, y1) = ((x + w).min(N), (y + h).min(N));
            let hole = if touching {
                let mx = x + 1 + a % (x1 - x - 1);
                // Wide only away from the corners: a hole reaching the
                // shell's next side would touch it twice and cut the
                // interior in two.
                let k = if mx == x + 1 || mx + 1 == x1 {
                    1
                } else {
                    1 + b % 2
                };
                vec![
                    (2 * mx, 2 * y),
                    (2 * mx + k, 2 * y + 2),
                    (2 * mx - k, 2 * y + 2),
                ]
            } else {
                let hx0 = x + 1 + a % (x1 - x - 2);
                let hx1 = hx0 + 1 + b % (x1 - 1 - hx0);
                let hy0 = y + 1 + c % (y1 - y - 2);
                let hy1 = hy0 + 1 + d % (y1 - 1 - hy0);
                rect(2 * hx0, 2 * hy0, 2 * hx1, 2 * hy1)
            };
            Poly {
                exterior: rect(2 * x, 2 * y, 2 * x1, 2 * y1),
                holes: vec![hole],
            }
        })
}

/// `p` with its rings in either orientation and starting anywhere.
fn oriented(p: impl Strategy<Value = Poly>) -> impl Strategy<Value = Poly> {
    (p, any::<bool>(), any::<bool>(), 0..8usize).prop_map(|(mut p, rev, rev_holes, start)| {
        if rev {
            p.exterior.reverse();
        }
        let n = p.exterior.len();
        p.exterior.rotate_left(start % n);
        for h in &mut p.holes {
            if rev_holes {
                h.reverse();
            }
        }
        p
    })
}

fn translated(mut p: Poly, dx: i64, dy: i64) -> Poly {
    for r in std::iter::once(&mut p.exterior).chain(&mut p.holes) {
        for c in r.iter_mut() {
            *c = (c.0 + dx, c.1 + dy);
        }
    }
    p
}

/// Two to four parts in different quarters of the grid, apart.
fn disjoint_parts() -> impl Strategy<Value = Vec<Poly>> {
    let part = oriented(prop_oneof![a_box(3), convex(3)]);
    (
        proptest::sample::subsequence(vec![(0, 0), (1, 0), (0, 1), (1, 1)], 2..=4),
        vec(part, 4),
    )
        .prop_map(|(cells, parts)| {
            cells
                .iter()
                .zip(parts)
                .map(|(&(cx, cy), p)| translated(p, 8 * cx, 8 * cy))
                .collect()
        })
}

/// Two boxes touching at one corner (a valid multipolygon).
fn corner_pair() -> impl Strategy<Value = Vec<Poly>> {
    (
        0..=N - 2,
        0..=N - 2,
        (1..=3i64, 1..=3i64, 1..=3i64, 1..=3i64),
        any::<bool>(),
        (any::<bool>(), any::<bool>()),
    )
        .prop_map(|(x, y, (a, b, c, d), flip, (rev0, rev1))| {
            let (w, h) = (a.min(N - 1 - x), b.min(N - 1 - y));
            let (w2, h2) = (c.min(N - x - w), d.min(N - y - h));
            let mut parts = vec![
                rect(2 * x, 2 * y, 2 * (x + w), 2 * (y + h)),
                rect(2 * (x + w), 2 * (y + h), 2 * (x + w + w2), 2 * (y + h + h2)),
            ];
            if flip {
                for r in &mut parts {
                    for c in r.iter_mut() {
                        c.0 = 2 * N - c.0;
                    }
                }
            }
            if rev0 {
                parts[0].reverse();
            }
            if rev1 {
                parts[1].reverse();
            }
            parts
                .into_iter()
                .map(|exterior| Poly {
                    exterior,
                    holes: vec![],
                })
                .collect()
        })
}

/// A valid polygon or multipolygon.
fn area() -> BoxedStrategy<Shape> {
    let single = || oriented(prop_oneof![3 => a_box(N), 2 => convex(N), 1 => holed()]);
    prop_oneof![
        4 => single().prop_map(Shape::Polygon),
        1 => single().prop_map(|p| Shape::Multi(vec![p])),
        2 => disjoint_parts().prop_map(Shape::Multi),
        1 => corner_pair().prop_map(Shape::Multi),
    ]
    .prop_filter("an invalid polygon", |s| s.to_geo((0.0, 0.0)).is_valid())
    .boxed()
}

/// A line through a few grid points, or a segment along the coarse grid
/// (so along the edges of boxes).
fn line() -> BoxedStrategy<Shape> {
    prop_oneof![
        vec((0..=N, 0..=N), 2..=4).prop_filter_map("a line of one point", |pts| {
            let mut l: Vec<P> = pts.iter().map(|&(x, y)| (2 * x, 2 * y)).collect();
            l.dedup();
            (l.len() >= 2).then_some(Shape::Line(l))
        }),
        (0..N, 0..=N, 1..=4i64, any::<bool>()).prop_map(|(a, b, k, vertical)| {
            let (a0, a1) = (2 * a, 2 * (a + k).min(N));
            Shape::Line(if vertical {
                vec![(2 * b, a0), (2 * b, a1)]
            } else {
                vec![(a0, 2 * b), (a1, 2 * b)]
            })
        }),
    ]
    .boxed()
}

/// A point: anywhere on the grid (just outside it too), on the coarse grid,
/// or on a vertex or at the middle of an edge of a feature of the other
/// layer (resolved by [`resolve`]).
#[derive(Clone, Debug)]
enum Pick {
    At(P),
    Vertex(usize),
    Middle(usize),
}

fn pick() -> BoxedStrategy<Pick> {
    prop_oneof![
        (-1..=2 * N + 1, -1..=2 * N + 1).prop_map(Pick::At),
        (0..=N, 0..=N).prop_map(|(x, y)| Pick::At((2 * x, 2 * y))),
        (0..1000usize).prop_map(Pick::Vertex),
        (0..1000usize).prop_map(Pick::Middle),
    ]
    .boxed()
}

/// A feature of a mixed layer: a shape, or a point picked relative to the
/// other layer.
#[derive(Clone, Debug)]
enum Item {
    Shape(Shape),
    Pick(Pick),
}

fn mixed(max: usize) -> impl Strategy<Value = Vec<Option<Item>>> {
    let item = prop_oneof![
        3 => pick().prop_map(Item::Pick),
        2 => line().prop_map(Item::Shape),
        4 => area().prop_map(Item::Shape),
    ];
    vec(weighted(0.9, item), 0..max)
}

fn areas(max: usize) -> impl Strategy<Value = Vec<Option<Shape>>> {
    vec(weighted(0.9, area()), 0..max)
}

/// The vertices of the lines and areas among `others`, and the middles of
/// their edges that are grid points.
fn anchors(others: &[Option<Shape>]) -> (Vec<P>, Vec<P>) {
    let (mut vertices, mut middles) = (Vec::new(), Vec::new());
    let mut edges: Vec<(P, P)> = Vec::new();
    for s in others.iter().flatten() {
        match s {
            Shape::Point(_) => {}
            Shape::Line(l) => {
                vertices.extend(l);
                edges.extend(l.windows(2).map(|w| (w[0], w[1])));
            }
            Shape::Polygon(_) | Shape::Multi(_) => {
                for p in s.polys().unwrap() {
                    for r in std::iter::once(&p.exterior).chain(&p.holes) {
                        vertices.extend(r);
                        edges.extend(ring_edges(r));
                    }
                }
            }
        }
    }
    for (a, b) in edges {
        if (a.0 + b.0) % 2 == 0 && (a.1 + b.1) % 2 == 0 {
            middles.push(((a.0 + b.0) / 2, (a.1 + b.1) / 2));
        }
    }
    (vertices, middles)
}

fn resolve_pick(p: &Pick, vertices: &[P], middles: &[P]) -> P {
    let from = |v: &[P], k: usize| {
        if v.is_empty() {
            ((k % 17) as i64, (k / 17 % 17) as i64)
        } else {
            v[k % v.len()]
        }
    };
    match *p {
        Pick::At(c) => c,
        Pick::Vertex(k) => from(vertices, k),
        Pick::Middle(k) => from(middles, k),
    }
}

/// The shapes of a mixed layer, its points picked relative to the shapes of
/// `others`.
fn resolve(items: &[Option<Item>], others: &[Option<Item>]) -> Vec<Option<Shape>> {
    let shapes: Vec<Option<Shape>> = others
        .iter()
        .map(|i| match i {
            Some(Item::Shape(s)) => Some(s.clone()),
            _ => None,
        })
        .collect();
    let (vertices, middles) = anchors(&shapes);
    items
        .iter()
        .map(|i| {
            i.as_ref().map(|i| match i {
                Item::Shape(s) => s.clone(),
                Item::Pick(p) => Shape::Point(resolve_pick(p, &vertices, &middles)),
            })
        })
        .collect()
}

/// Points picked relative to `areas` (null where the pick is null).
fn points_on(picks: &[Option<Pick>], areas: &[Option<Shape>]) -> Vec<Option<Shape>> {
    let (vertices, middles) = anchors(areas);
    picks
        .iter()
        .map(|p| {
            p.as_ref()
                .map(|p| Shape::Point(resolve_pick(p, &vertices, &middles)))
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Overlay area against BooleanOps

/// The engine's tolerance, relative to the larger feature's area.
const RELATIVE: f64 = 1e-9;
/// The absolute tolerance, m².
const ABSOLUTE: f64 = 1e-9;
/// geo's `BooleanOps` rounds the vertices it computes to a grid whose step
/// is at most this fraction of the inputs' extent (i_overlay's float
/// adapter: a power of two, 2^-29 of half the extent or less). Moving the
/// vertices of the intersection that far changes its area by at most the
/// step times its perimeter, which is at most the two perimeters together.
const SNAP: f64 = 1.0 / (1u64 << 29) as f64;

type Areas = Vec<(u32, u32, f64)>;
type Pairs = Vec<(u32, u32)>;

/// The perimeter of an area and its bounding box.
fn perimeter_and_box(s: &Shape) -> (f64, [i64; 4]) {
    let mut length = 0.0;
    let mut b = [i64::MAX, i64::MAX, i64::MIN, i64::MIN];
    for p in s.polys().expect("an area") {
        for r in std::iter::once(&p.exterior).chain(&p.holes) {
            for (a, c) in ring_edges(r) {
                length += ((c.0 - a.0) as f64).hypot((c.1 - a.1) as f64);
                b = [b[0].min(a.0), b[1].min(a.1), b[2].max(a.0), b[3].max(a.1)];
            }
        }
    }
    (length, b)
}

/// The area of `BooleanOps::intersection` for every pair of features (zero
/// included), and the tolerance of each pair: the engine's, and the
/// rounding of `BooleanOps`.
fn boolean_ops_areas(
    zones: &[Option<Shape>],
    areas: &[Option<Shape>],
    offset: (f64, f64),
) -> Vec<(u32, u32, f64, f64)> {
    let mut out = Vec::new();
    for (i, z) in zones.iter().enumerate() {
        for (j, a) in areas.iter().enumerate() {
            let (Some(z), Some(a)) = (z, a) else { continue };
            let (zm, am) = (z.multipolygon(offset), a.multipolygon(offset));
            let m2 = zm.intersection(&am).unsigned_area();
            let ((zl, zb), (al, ab)) = (perimeter_and_box(z), perimeter_and_box(a));
            let extent =
                (zb[2].max(ab[2]) - zb[0].min(ab[0])).max(zb[3].max(ab[3]) - zb[1].min(ab[1]));
            let tol = RELATIVE * zm.unsigned_area().max(am.unsigned_area())
                + SNAP * extent as f64 * (zl + al)
                + ABSOLUTE;
            out.push((i as u32, j as u32, m2, tol));
        }
    }
    out
}

/// `got` (sorted, positive areas) against the expected area and tolerance
/// of every pair: present and within the tolerance where the expected area
/// exceeds it, absent where it is zero, absent or below the tolerance in
/// between, and no pair of a null feature.
fn check_areas(got: &Areas, expected: &[(u32, u32, f64, f64)]) -> Result<(), TestCaseError> {
    prop_assert!(
        got.windows(2).all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)),
        "pairs not sorted or repeated: {:?}",
        got
    );
    prop_assert!(
        got.iter().all(|t| t.2 > 0.0),
        "a pair without area: {:?}",
        got
    );
    for &(i, j, _) in got {
        prop_assert!(
            expected.iter().any(|e| (e.0, e.1) == (i, j)),
            "pair ({}, {}) of a null feature: {:?}",
            i,
            j,
            got
        );
    }
    for &(i, j, want, tol) in expected {
        let have = got.iter().find(|t| (t.0, t.1) == (i, j)).map(|t| t.2);
        if want > tol {
            prop_assert!(
                have.is_some_and(|h| (h - want).abs() <= tol),
                "pair ({}, {}): overlay_area {:?} m², BooleanOps {} m²",
                i,
                j,
                have,
                want
            );
        } else if want == 0.0 {
            prop_assert!(
                have.is_none(),
                "pair ({}, {}): overlay_area {:?} m², BooleanOps none",
                i,
                j,
                have
            );
        } else {
            prop_assert!(
                have.is_none_or(|h| h <= tol),
                "pair ({}, {}): overlay_area {:?} m², BooleanOps {} m²",
                i,
                j,
                have,
                want
            );
        }
    }
    Ok(())
}

/// Restores the engine's thread count when dropped.
struct RestoreThreads(usize);

impl Drop for RestoreThreads {
    fn drop(&mut self) {
        set_threads(self.0).unwrap();
    }
}

fn engine_err(e: Error) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

proptest! {
    #![proptest_config(config())]

    /// Points against areas, both ways round: every point on a vertex, an
    /// edge, inside, outside or null, decided exactly.
    #[test]
    fn sjoin_of_points_and_areas_is_the_nested_loop(
        picks in vec(weighted(0.9, pick()), 0..40),
        areas in areas(8),
    ) {
        let points = points_on(&picks, &areas);
        for pred in PREDICATES {
            check_sjoin(&points, &areas, pred)?;
            check_sjoin(&areas, &points, pred)?;
        }
    }

    /// Mixed layers of points, lines, polygons and multipolygons.
    #[test]
    fn sjoin_of_mixed_layers_is_the_nested_loop(left in mixed(10), right in mixed(10)) {
        let (l, r) = (resolve(&left, &right), resolve(&right, &left));
        for pred in PREDICATES {
            check_sjoin(&l, &r, pred)?;
        }
    }

    /// `within` is swapped `contains`; `intersects` is symmetric.
    #[test]
    fn sjoin_swapped_sides_mirror_the_pairs(left in mixed(12), right in mixed(12)) {
        let o = (0.0, 0.0);
        let l = layer("left", &resolve(&left, &right), o);
        let r = layer("right", &resolve(&right, &left), o);
        let join = |a: &Layer, b: &Layer, p| sjoin(a, b, p).map_err(engine_err);
        prop_assert_eq!(
            join(&l, &r, Predicate::Within)?,
            mirrored(&join(&r, &l, Predicate::Contains)?),
            "within vs swapped contains"
        );
        prop_assert_eq!(
            join(&l, &r, Predicate::Contains)?,
            mirrored(&join(&r, &l, Predicate::Within)?),
            "contains vs swapped within"
        );
        prop_assert_eq!(
            join(&l, &r, Predicate::Intersects)?,
            mirrored(&join(&r, &l, Predicate::Intersects)?),
            "intersects vs swapped intersects"
        );
    }

    /// One thread or two: the same pairs and the same areas, to the bit.
    /// Enough points that the join splits them into several tasks; the
    /// larger join is also checked against the nested loop.
    #[test]
    fn results_do_not_depend_on_the_thread_count(
        picks in vec(weighted(0.95, pick()), 600..1500),
        areas in areas(8),
        zones in areas(6),
    ) {
        let points = points_on(&picks, &areas);
        let o = (0.0, 0.0);
        let p = layer("points", &points, o);
        let (a, z) = (layer("areas", &areas, o), layer("zones", &zones, o));
        let run = || -> Result<(Vec<Pairs>, Areas), TestCaseError> {
            let mut joins = Vec::new();
            for pred in PREDICATES {
                joins.push(sjoin(&p, &a, pred).map_err(engine_err)?);
                joins.push(sjoin(&a, &p, pred).map_err(engine_err)?);
            }
            Ok((joins, overlay_area(&z, &a).map_err(engine_err)?))
        };
        let _restore = RestoreThreads(threads());
        set_threads(1).unwrap();
        let one = run()?;
        set_threads(2).unwrap();
        let two = run()?;
        prop_assert_eq!(&one, &two, "one thread vs two");
        for (k, pred) in PREDICATES.into_iter().enumerate() {
            let (pa, ap) = (&two.0[2 * k], &two.0[2 * k + 1]);
            prop_assert!(*pa == nested_loop(&points, &areas, pred), "points {:?} areas", pred);
            prop_assert!(*ap == nested_loop(&areas, &points, pred), "areas {:?} points", pred);
        }
    }

    /// `overlay_area` against the area of `BooleanOps::intersection`, pair
    /// by pair, and with the layers swapped.
    #[test]
    fn overlay_area_is_the_area_of_the_boolean_intersection(
        zones in areas(6),
        areas in areas(6),
        far in any::<bool>(),
    ) {
        let offset = if far { (153_000.0, 6_580_000.0) } else { (0.0, 0.0) };
        let (z, a) = (layer("zones", &zones, offset), layer("areas", &areas, offset));
        let expected = boolean_ops_areas(&zones, &areas, offset);
        let got = overlay_area(&z, &a).map_err(engine_err)?;
        check_areas(&got, &expected)?;
        let mut swapped: Vec<(u32, u32, f64, f64)> =
            expected.iter().map(|&(i, j, m2, tol)| (j, i, m2, tol)).collect();
        swapped.sort_by_key(|t| (t.0, t.1));
        check_areas(&overlay_area(&a, &z).map_err(engine_err)?, &swapped)?;
    }
}

/// The exact point test itself, on a hole touching the shell and on two
/// parts touching at a corner.
#[test]
fn the_exact_point_test_on_holes_and_touching_parts() {
    let p = Poly {
        exterior: rect(0, 0, 6, 6),
        holes: vec![vec![(2, 0), (3, 2), (1, 2)]],
    };
    let at = |x, y| locate((x, y), std::slice::from_ref(&p));
    assert_eq!(at(3, 3), Loc::Inside);
    assert_eq!(at(0, 3), Loc::Boundary);
    assert_eq!(at(6, 6), Loc::Boundary);
    assert_eq!(at(2, 0), Loc::Boundary); // where the hole touches the shell
    assert_eq!(at(2, 1), Loc::Outside); // in the hole
    assert_eq!(at(1, 2), Loc::Boundary); // a vertex of the hole
    assert_eq!(at(2, 2), Loc::Boundary); // on the hole's edge
    assert_eq!(at(7, 3), Loc::Outside);
    assert_eq!(at(-1, 0), Loc::Outside); // on the line of an edge

    // Two boxes touching at a corner: that corner is on the boundary.
    let pair = [
        Poly {
            exterior: rect(0, 0, 2, 2),
            holes: vec![],
        },
        Poly {
            exterior: rect(2, 2, 4, 4),
            holes: vec![],
        },
    ];
    assert_eq!(locate((2, 2), &pair), Loc::Boundary);
    assert_eq!(locate((3, 3), &pair), Loc::Inside);
    assert_eq!(locate((1, 3), &pair), Loc::Outside);
}

/// A point where two parts of a multipolygon touch lies on its boundary
/// (every neighbourhood of it reaches outside): it intersects the
/// multipolygon but is neither within it nor contained in it, on either
/// side of the join.
#[test]
fn a_point_where_two_parts_touch_is_on_the_boundary() {
    let part = |x0, y0| Poly {
        exterior: rect(x0, y0, x0 + 2, y0 + 2),
        holes: vec![],
    };
    let pair = [Some(Shape::Multi(vec![part(0, 0), part(2, 2)]))];
    let point = [Some(Shape::Point((2, 2)))];
    for pred in PREDICATES {
        let expected = if pred == Predicate::Intersects {
            vec![(0, 0)]
        } else {
            vec![]
        };
        assert_eq!(nested_loop(&point, &pair, pred), expected, "{pred:?}");
        check_sjoin(&point, &pair, pred).unwrap();
        check_sjoin(&pair, &point, pred).unwrap();
    }
}

#[test]
fn overlay_area_refuses_a_bow_tie() {
    let square = Shape::Polygon(Poly {
        exterior: rect(20, 0, 21, 1),
        holes: vec![],
    });
    let bow = Shape::Polygon(Poly {
        exterior: vec![(0, 0), (10, 10), (10, 0), (0, 10)],
        holes: vec![],
    });
    let o = (0.0, 0.0);
    let zones = layer("zones", &[Some(square.clone()), Some(bow)], o);
    let areas = layer("areas", &[Some(square)], o);
    for e in [
        overlay_area(&zones, &areas).unwrap_err(),
        overlay_area(&areas, &zones).unwrap_err(),
    ] {
        match &e {
            Error::InvalidGeometry { layer, feature, .. } => {
                assert_eq!((layer.as_str(), *feature), ("zones", 1), "{e}")
            }
            other => panic!("expected an invalid geometry, got {other}"),
        }
    }
}
