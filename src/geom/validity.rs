//! The OGC validity check, as GEOS makes it, in `O(n log n)` for every
//! polygon however large.
//!
//! A polygon or multipolygon is valid when
//!
//! 1. every coordinate is a finite number;
//! 2. every ring has at least three distinct points (repeated points are
//!    allowed);
//! 3. no ring crosses, touches or runs back along itself (a spike of no
//!    width and a flat ring do), and no two rings cross or share a stretch
//!    of boundary: two rings may only touch at points;
//! 4. every hole lies inside its shell, no hole lies inside another hole
//!    of the polygon, and no polygon of a multipolygon lies inside another;
//! 5. the interior is connected: the rings of one polygon that touch do not
//!    touch in a cycle (a hole touching the shell at two points, or two
//!    holes touching each other and the shell, cut the interior in pieces).
//!
//! Pairs of edges that meet come from an R-tree of the edges; nesting is
//! decided for one vertex per ring by a ray cast through the same R-tree;
//! connectivity by a union-find over the rings and their touching points.
//! Every decision is an exact orientation test ([`robust::orient2d`]) or a
//! comparison of input coordinates: no computed intersection point decides
//! anything (computed points only say where a problem is).
//!
//! Lines are valid with at least two distinct points (a closed line that
//! crosses itself is a valid LineString: simplicity is not validity),
//! points when finite, and a collection when each member is. Empty
//! geometries and empty parts are valid.

use std::collections::{HashMap, HashSet};

use geo_types::{Coord, Geometry, LineString, Polygon};
use rayon::prelude::*;
use robust::{orient2d, Coord as RCoord};
use rstar::AABB;

use crate::engine::index::{hits, segment_envelope, tree_of, BoxTree};

/// A problem in words, with where it is when it has a place.
pub(super) type Found = (String, Option<Coord<f64>>);

/// Every validity problem of `g` (none when it is valid).
pub(super) fn check(g: &Geometry<f64>) -> Vec<Found> {
    if let Some((_, c)) = super::first_non_finite(g) {
        return vec![(format!("non-finite coordinate ({}, {})", c.x, c.y), None)];
    }
    match g {
        Geometry::Point(_) | Geometry::MultiPoint(_) => Vec::new(),
        Geometry::Line(l) => line_problems(&[l.start, l.end]),
        Geometry::LineString(l) => line_problems(&l.0),
        Geometry::MultiLineString(m) => m
            .0
            .iter()
            .enumerate()
            .flat_map(|(i, l)| prefixed(&format!("line string at index {i}"), line_problems(&l.0)))
            .collect(),
        Geometry::Polygon(p) => polygonal(std::slice::from_ref(p)),
        Geometry::MultiPolygon(m) => polygonal(&m.0),
        Geometry::Rect(r) => polygonal(&[r.to_polygon()]),
        Geometry::Triangle(t) => polygonal(&[t.to_polygon()]),
        Geometry::GeometryCollection(c) => {
            c.0.iter()
                .enumerate()
                .flat_map(|(i, g)| prefixed(&format!("geometry at index {i}"), check(g)))
                .collect()
        }
    }
}

fn prefixed(what: &str, found: Vec<Found>) -> Vec<Found> {
    found
        .into_iter()
        .map(|(r, at)| (format!("{what} is invalid: {r}"), at))
        .collect()
}

fn line_problems(pts: &[Coord<f64>]) -> Vec<Found> {
    match pts.first() {
        Some(&first) if pts.iter().all(|&c| c == first) => vec![(
            "line string must have at least 2 distinct points".into(),
            Some(first),
        )],
        _ => Vec::new(),
    }
}

#[inline]
fn rc(c: Coord<f64>) -> RCoord<f64> {
    RCoord { x: c.x, y: c.y }
}

#[inline]
fn orient(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> f64 {
    orient2d(rc(a), rc(b), rc(c))
}

/// Is `p` on the closed segment `a–b`? Exact.
#[inline]
pub(crate) fn on_segment(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> bool {
    p.x >= a.x.min(b.x)
        && p.x <= a.x.max(b.x)
        && p.y >= a.y.min(b.y)
        && p.y <= a.y.max(b.y)
        && orient(a, b, p) == 0.0
}

/// Lexicographic order of coordinates: along a line, the order of position.
#[inline]
pub(crate) fn lex_lt(p: Coord<f64>, q: Coord<f64>) -> bool {
    (p.x, p.y) < (q.x, q.y)
}

/// How two segments meet.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Meet {
    /// They cross at a point inside both.
    Cross,
    /// They meet at one point, an end of one of them.
    Touch(Coord<f64>),
    /// They share a stretch, from this point on.
    Overlap(Coord<f64>),
}

/// How `a–b` and `c–d` meet, by orientation tests and comparisons only.
fn meet(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>, d: Coord<f64>) -> Option<Meet> {
    let (o1, o2) = (orient(a, b, c), orient(a, b, d));
    if o1 == 0.0 && o2 == 0.0 {
        let (s0, s1) = if lex_lt(b, a) { (b, a) } else { (a, b) };
        let (t0, t1) = if lex_lt(d, c) { (d, c) } else { (c, d) };
        let lo = if lex_lt(s0, t0) { t0 } else { s0 };
        let hi = if lex_lt(s1, t1) { s1 } else { t1 };
        return if lex_lt(lo, hi) {
            Some(Meet::Overlap(lo))
        } else if lo == hi {
            Some(Meet::Touch(lo))
        } else {
            None
        };
    }
    let (o3, o4) = (orient(c, d, a), orient(c, d, b));
    if o1 * o2 < 0.0 && o3 * o4 < 0.0 {
        return Some(Meet::Cross);
    }
    [(c, a, b), (d, a, b), (a, c, d), (b, c, d)]
        .into_iter()
        .find(|&(p, s, t)| on_segment(p, s, t))
        .map(|(p, _, _)| Meet::Touch(p))
}

/// Where two crossing segments cross, for the message only.
fn crossing_point(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>, d: Coord<f64>) -> Coord<f64> {
    let (r, s) = (b - a, d - c);
    let den = r.x * s.y - r.y * s.x;
    let t = ((c.x - a.x) * s.y - (c.y - a.y) * s.x) / den;
    Coord {
        x: a.x + t * r.x,
        y: a.y + t * r.y,
    }
}

/// One ring of a polygonal geometry.
struct Ring {
    poly: usize,
    /// `None` for the shell, the hole's position otherwise.
    hole: Option<usize>,
    /// Its points, repeated points removed, closed.
    pts: Vec<Coord<f64>>,
    /// Its first edge in the list of all edges.
    first: usize,
}

impl Ring {
    fn edges(&self) -> usize {
        self.pts.len() - 1
    }
}

/// How a ring is named in messages.
fn ring_name(rings: &[Ring], multi: bool, r: usize) -> String {
    let ring = &rings[r];
    let name = match ring.hole {
        None => "exterior ring".to_string(),
        Some(h) => format!("interior ring {h}"),
    };
    if multi {
        format!("{name} of polygon {}", ring.poly)
    } else {
        name
    }
}

/// The ring's points without repeats, closed.
fn cleaned(ring: &LineString<f64>) -> Vec<Coord<f64>> {
    let mut pts: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len() + 1);
    for &c in &ring.0 {
        if pts.last() != Some(&c) {
            pts.push(c);
        }
    }
    if let (Some(&f), Some(&l)) = (pts.first(), pts.last()) {
        if f != l {
            pts.push(f);
        }
    }
    pts
}

fn polygonal(polys: &[Polygon<f64>]) -> Vec<Found> {
    let multi = polys.len() > 1;
    let mut rings: Vec<Ring> = Vec::new();
    let mut found: Vec<Found> = Vec::new();
    let mut edges = 0;
    for (pi, p) in polys.iter().enumerate() {
        if p.exterior().0.is_empty() {
            if !p.interiors().is_empty() {
                found.push((
                    "a polygon with holes has an empty exterior ring".into(),
                    None,
                ));
            }
            continue;
        }
        for (k, ring) in std::iter::once(p.exterior())
            .chain(p.interiors())
            .enumerate()
        {
            let pts = cleaned(ring);
            let r = Ring {
                poly: pi,
                hole: k.checked_sub(1),
                first: edges,
                pts,
            };
            if r.pts.len() < 4 {
                let at = r.pts.first().copied();
                rings.push(r);
                let name = ring_name(&rings, multi, rings.len() - 1);
                found.push((format!("{name} must have at least 3 distinct points"), at));
                rings.pop();
                continue;
            }
            edges += r.edges();
            rings.push(r);
        }
    }
    if !found.is_empty() || rings.is_empty() {
        return found;
    }
    // Every edge, with its ring.
    let mut edge_ring: Vec<u32> = Vec::with_capacity(edges);
    let mut seg: Vec<(Coord<f64>, Coord<f64>)> = Vec::with_capacity(edges);
    for (k, r) in rings.iter().enumerate() {
        for w in r.pts.windows(2) {
            edge_ring.push(k as u32);
            seg.push((w[0], w[1]));
        }
    }
    let tree = tree_of(
        seg.iter()
            .enumerate()
            .map(|(i, &(a, b))| (i as u32, segment_envelope(a, b))),
    );

    // 3. Pairs of edges that meet: crossings, overlaps and self-touches are
    // problems; two rings of one polygon touching are remembered.
    let adjacent = |i: usize, j: usize| {
        let r = &rings[edge_ring[i] as usize];
        let (i, j) = (i - r.first, j - r.first);
        j == i + 1 || (i == 0 && j + 1 == r.edges())
    };
    let events: Vec<(usize, usize, Meet)> = seg
        .par_iter()
        .enumerate()
        .with_min_len(1 << 12)
        .flat_map_iter(|(i, &(a, b))| {
            let mut out = Vec::new();
            for j in hits(&tree, &segment_envelope(a, b)) {
                let j = j as usize;
                if j <= i {
                    continue;
                }
                let (c, d) = seg[j];
                if edge_ring[i] == edge_ring[j] && adjacent(i, j) {
                    // Neighbours share a vertex: a problem only when the
                    // ring runs back along itself there.
                    let (v, p, q) = if b == c { (b, a, d) } else { (a, b, c) };
                    if orient(v, p, q) == 0.0 && lex_lt(v, p) == lex_lt(v, q) {
                        out.push((i, j, Meet::Overlap(v)));
                    }
                    continue;
                }
                let Some(m) = meet(a, b, c, d) else { continue };
                out.push((i, j, m));
            }
            out
        })
        .collect();
    let mut events = events;
    events.sort_by_key(|&(i, j, _)| (i, j));
    let mut touches: Vec<(usize, usize, Coord<f64>)> = Vec::new();
    let mut reported: HashSet<(u32, u32)> = HashSet::new();
    for &(i, j, m) in &events {
        let (ri, rj) = (edge_ring[i], edge_ring[j]);
        let (a, b) = seg[i];
        let (c, d) = seg[j];
        let at = match m {
            Meet::Cross => crossing_point(a, b, c, d),
            Meet::Touch(p) | Meet::Overlap(p) => p,
        };
        let (pi, pj) = (rings[ri as usize].poly, rings[rj as usize].poly);
        let reason = if ri == rj {
            format!(
                "{} has a self-intersection",
                ring_name(&rings, multi, ri as usize)
            )
        } else if pi != pj {
            match m {
                Meet::Touch(_) => continue,
                Meet::Cross => format!("polygons at indices {pi} and {pj} overlap"),
                Meet::Overlap(_) => format!("polygons at indices {pi} and {pj} touch on a line"),
            }
        } else {
            match m {
                Meet::Touch(p) => {
                    touches.push((ri as usize, rj as usize, p));
                    continue;
                }
                Meet::Cross => format!(
                    "{} and {} cross (self-intersection)",
                    ring_name(&rings, multi, ri as usize),
                    ring_name(&rings, multi, rj as usize)
                ),
                Meet::Overlap(_) => format!(
                    "{} and {} intersect on a line",
                    ring_name(&rings, multi, ri as usize),
                    ring_name(&rings, multi, rj as usize)
                ),
            }
        };
        if reported.insert((ri, rj)) {
            found.push((reason, Some(at)));
        }
    }
    if !found.is_empty() {
        return found;
    }

    // 4. Nesting: which rings contain a vertex of each ring that lies on no
    // other ring. No two rings cross, so that vertex stands for the ring.
    let max_x = tree.root().envelope().upper()[0];
    let containers: Vec<(Coord<f64>, Vec<usize>)> = (0..rings.len())
        .into_par_iter()
        .map(|r| {
            let ring = &rings[r];
            let others = |p: Coord<f64>| rings_around(p, r, max_x, &tree, &seg, &edge_ring);
            for &p in &ring.pts[..ring.edges()] {
                if let Some(around) = others(p) {
                    return (p, around);
                }
            }
            // Every vertex touches another ring: the middle of an edge
            // (such a ring is rare, and its middle lies off the others).
            let (a, b) = (ring.pts[0], ring.pts[1]);
            let m = Coord {
                x: 0.5 * (a.x + b.x),
                y: 0.5 * (a.y + b.y),
            };
            (m, others(m).unwrap_or_default())
        })
        .collect();
    let shell_of: HashMap<usize, usize> = rings
        .iter()
        .enumerate()
        .filter(|(_, r)| r.hole.is_none())
        .map(|(k, r)| (r.poly, k))
        .collect();
    for (r, (at, around)) in containers.iter().enumerate() {
        let ring = &rings[r];
        match ring.hole {
            Some(_) => {
                if !around.contains(&shell_of[&ring.poly]) {
                    found.push((
                        format!(
                            "{} is not contained within the polygon's exterior",
                            ring_name(&rings, multi, r)
                        ),
                        Some(*at),
                    ));
                }
                if let Some(&q) = around
                    .iter()
                    .find(|&&q| rings[q].poly == ring.poly && rings[q].hole.is_some())
                {
                    found.push((
                        format!(
                            "{} lies inside {} (nested holes)",
                            ring_name(&rings, multi, r),
                            ring_name(&rings, multi, q)
                        ),
                        Some(*at),
                    ));
                }
            }
            None => {
                for &q in around {
                    let other = rings[q].poly;
                    if rings[q].hole.is_none()
                        && other != ring.poly
                        && !around
                            .iter()
                            .any(|&h| rings[h].poly == other && rings[h].hole.is_some())
                    {
                        found.push((
                            format!(
                                "polygon at index {} lies inside polygon at index {other} (nested shells)",
                                ring.poly
                            ),
                            Some(*at),
                        ));
                    }
                }
            }
        }
    }
    if !found.is_empty() {
        return found;
    }

    // 5. Connectivity: rings and the points where they touch make a graph;
    // a cycle in it encloses a piece of the interior.
    let mut parent: Vec<usize> = (0..rings.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut point_node: HashMap<(u64, u64), usize> = HashMap::new();
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    for &(ri, rj, p) in &touches {
        let key = (p.x.to_bits(), p.y.to_bits());
        let next = parent.len();
        let node = *point_node.entry(key).or_insert(next);
        if node == next {
            parent.push(next);
        }
        for r in [ri, rj] {
            if !seen.insert((r, node)) {
                continue;
            }
            let (a, b) = (find(&mut parent, r), find(&mut parent, node));
            if a == b {
                found.push((
                    format!(
                        "the interior is disconnected: rings of polygon {} touch in a cycle",
                        rings[r].poly
                    ),
                    Some(p),
                ));
                return found;
            }
            parent[a] = b;
        }
    }
    found
}

/// The rings other than `own` around `p` (by the parity of the edges a ray
/// from `p` towards +x crosses), sorted; `None` when `p` lies on another
/// ring.
fn rings_around(
    p: Coord<f64>,
    own: usize,
    max_x: f64,
    tree: &BoxTree,
    seg: &[(Coord<f64>, Coord<f64>)],
    edge_ring: &[u32],
) -> Option<Vec<usize>> {
    let ray = AABB::from_corners([p.x, p.y], [max_x.max(p.x), p.y]);
    let mut crossed: Vec<usize> = Vec::new();
    for e in hits(tree, &ray) {
        let r = edge_ring[e as usize] as usize;
        if r == own {
            continue;
        }
        let (a, b) = seg[e as usize];
        if on_segment(p, a, b) {
            return None;
        }
        let (lo, hi) = if a.y <= b.y { (a, b) } else { (b, a) };
        if lo.y <= p.y && p.y < hi.y && orient(lo, hi, p) > 0.0 {
            crossed.push(r);
        }
    }
    crossed.sort_unstable();
    let mut around = Vec::new();
    for run in crossed.chunk_by(|a, b| a == b) {
        if run.len() % 2 == 1 {
            around.push(run[0]);
        }
    }
    Some(around)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{line_string, polygon, MultiPolygon};

    fn poly(shell: &[(f64, f64)], holes: &[&[(f64, f64)]]) -> Polygon<f64> {
        Polygon::new(
            shell.iter().map(|&(x, y)| Coord { x, y }).collect(),
            holes
                .iter()
                .map(|h| h.iter().map(|&(x, y)| Coord { x, y }).collect())
                .collect(),
        )
    }

    fn reasons(g: Geometry<f64>) -> Vec<String> {
        check(&g).into_iter().map(|(r, _)| r).collect()
    }

    #[test]
    fn segments_meet_exactly() {
        let c = |x, y| Coord { x, y };
        assert_eq!(
            meet(c(0.0, 0.0), c(2.0, 2.0), c(0.0, 2.0), c(2.0, 0.0)),
            Some(Meet::Cross)
        );
        assert_eq!(
            meet(c(0.0, 0.0), c(2.0, 0.0), c(1.0, 0.0), c(1.0, 5.0)),
            Some(Meet::Touch(c(1.0, 0.0)))
        );
        assert_eq!(
            meet(c(0.0, 0.0), c(2.0, 0.0), c(3.0, 0.0), c(1.0, 0.0)),
            Some(Meet::Overlap(c(1.0, 0.0)))
        );
        assert_eq!(
            meet(c(0.0, 0.0), c(2.0, 0.0), c(2.0, 0.0), c(3.0, 0.0)),
            Some(Meet::Touch(c(2.0, 0.0)))
        );
        assert_eq!(
            meet(c(0.0, 0.0), c(1.0, 0.0), c(2.0, 0.0), c(3.0, 0.0)),
            None
        );
    }

    #[test]
    fn geos_verdicts() {
        let sq = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        // Valid: a hole touching the shell once, three rings at one point,
        // repeated points, a shell in another polygon's hole.
        assert!(reasons(poly(&sq, &[&[(0.0, 5.0), (5.0, 3.0), (5.0, 7.0)]]).into()).is_empty());
        assert!(reasons(
            poly(
                &sq,
                &[
                    &[(0.0, 5.0), (3.0, 1.0), (4.0, 2.0)],
                    &[(0.0, 5.0), (4.0, 8.0), (3.0, 9.0)]
                ]
            )
            .into()
        )
        .is_empty());
        assert!(reasons(
            poly(
                &[
                    (0.0, 0.0),
                    (10.0, 0.0),
                    (10.0, 0.0),
                    (10.0, 10.0),
                    (0.0, 10.0)
                ],
                &[]
            )
            .into()
        )
        .is_empty());
        let framed = poly(&sq, &[&[(1.0, 1.0), (9.0, 1.0), (9.0, 9.0), (1.0, 9.0)]]);
        let inner = poly(&[(2.0, 2.0), (3.0, 2.0), (3.0, 3.0), (2.0, 3.0)], &[]);
        assert!(reasons(MultiPolygon(vec![framed.clone(), inner.clone()]).into()).is_empty());
        // Invalid.
        let cases: Vec<(Geometry<f64>, &str)> = vec![
            (
                poly(
                    &[(0.0, 60.0), (0.0, 0.0), (60.0, 0.0), (60.0, 60.0)],
                    &[&[(0.0, 40.0), (20.0, 20.0), (60.0, 20.0)]],
                )
                .into(),
                "interior is disconnected",
            ),
            (
                poly(&[(0.0, 0.0), (10.0, 0.0), (20.0, 0.0), (0.0, 0.0)], &[]).into(),
                "self-intersection",
            ),
            (
                poly(
                    &[(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (2.0, 0.0), (0.0, 4.0)],
                    &[],
                )
                .into(),
                "self-intersection",
            ),
            (
                poly(&[(0.0, 0.0), (1.0, 0.0), (1.0, 0.0)], &[]).into(),
                "at least 3 distinct points",
            ),
            (
                poly(&sq, &[&[(20.0, 20.0), (22.0, 20.0), (22.0, 22.0)]]).into(),
                "not contained",
            ),
            (
                poly(
                    &sq,
                    &[
                        &[(1.0, 1.0), (9.0, 1.0), (9.0, 9.0), (1.0, 9.0)],
                        &[(2.0, 2.0), (3.0, 2.0), (3.0, 3.0)],
                    ],
                )
                .into(),
                "nested holes",
            ),
            (
                MultiPolygon(vec![poly(&sq, &[]), inner.clone()]).into(),
                "nested shells",
            ),
            (
                MultiPolygon(vec![inner.clone(), poly(&sq, &[])]).into(),
                "nested shells",
            ),
            (
                poly(&sq, &[&[(0.0, 2.0), (5.0, 2.0), (5.0, 4.0), (0.0, 4.0)]]).into(),
                "intersect on a line",
            ),
            (
                poly(&sq, &[&[(5.0, 5.0), (15.0, 5.0), (15.0, 6.0), (5.0, 6.0)]]).into(),
                "cross",
            ),
            (
                MultiPolygon(vec![
                    poly(&sq, &[]),
                    poly(&[(10.0, 0.0), (20.0, 0.0), (20.0, 10.0), (10.0, 10.0)], &[]),
                ])
                .into(),
                "touch on a line",
            ),
            (
                Geometry::LineString(line_string![(x: 1.0, y: 1.0), (x: 1.0, y: 1.0)]),
                "2 distinct points",
            ),
        ];
        for (g, want) in cases {
            let got = reasons(g.clone());
            assert!(
                got.iter().any(|r| r.contains(want)),
                "{g:?}: {got:?}, wanted {want}"
            );
        }
    }

    #[test]
    fn a_self_crossing_closed_line_is_a_valid_line_string() {
        let ring = line_string![(x: 0.0, y: 0.0), (x: 2.0, y: 2.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0), (x: 0.0, y: 0.0)];
        assert!(check(&Geometry::LineString(ring.clone())).is_empty());
        assert!(!check(&Geometry::Polygon(Polygon::new(ring, vec![]))).is_empty());
        let p = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)];
        assert!(check(&Geometry::Polygon(p)).is_empty());
    }
}
