//! Overlays: the area two polygon layers share, the pieces they cut each
//! other into, and the length of lines within areas.
//!
//! [`overlay_area`] never builds the intersection polygons. By Green's
//! theorem the area of `A ∩ B` is the boundary integral `½∮(x dy − y dx)`
//! over the boundary of `A ∩ B`, and that boundary is made of the parts of
//! `A`'s boundary inside `B` and the parts of `B`'s boundary inside `A`. So
//! each edge near the other polygon is split where it crosses the other's
//! boundary, each piece is kept or dropped by one point-in-polygon lookup at
//! its middle ([`PolygonGrid`]), and the kept pieces are summed. Where the
//! two boundaries run along each other (exactly, or to within rounding, as
//! a zone clipped out of a district does), the shared stretch counts once
//! when both interiors lie on the same side of it and not at all when they
//! lie on opposite sides (neighbouring areas share no area). Coordinates are taken
//! relative to a local origin so the sums keep their precision.
//!
//! The work is proportional to the edges of each polygon near the other,
//! and every pair runs in parallel.
//!
//! [`overlay`] builds the pieces themselves (for maps): each pair is
//! clipped to its common box and intersected, and the answer's vertices
//! are the inputs' own or the crossings of their edges (see `pieces`).

use std::sync::Arc;

use geo::line_intersection::{line_intersection, LineIntersection};
use geo::{Area, BoundingRect};
use geo_types::{Coord, Geometry, Line, MultiPolygon, Rect};
use polars::prelude::DataFrame;
use rayon::prelude::*;
use rstar::Envelope;

use super::checks;
use super::grid::PolygonGrid;
use super::index::{
    self, envelope as rect_envelope, segment_envelope as envelope, widened, BoxTree,
};
use super::pieces::{self, Piecewise};
use crate::{Error, Layer, Result};

/// One polygon feature, prepared for many overlays: its edges oriented with
/// the interior on the left, an R-tree over them and a point lookup.
pub(crate) struct Prepared {
    edges: Vec<(Coord<f64>, Coord<f64>)>,
    tree: BoxTree,
    grid: PolygonGrid,
    pub(crate) bbox: Rect<f64>,
}

fn ring_signed_area(ring: &[Coord<f64>]) -> f64 {
    let Some(o) = ring.first() else { return 0.0 };
    let mut s = 0.0;
    for w in ring.windows(2) {
        s += (w[0].x - o.x) * (w[1].y - o.y) - (w[1].x - o.x) * (w[0].y - o.y);
    }
    s / 2.0
}

impl Prepared {
    pub(crate) fn new(mp: &MultiPolygon<f64>) -> Option<Prepared> {
        let bbox = mp.bounding_rect()?;
        let mut edges = Vec::new();
        for p in &mp.0 {
            for (k, ring) in std::iter::once(p.exterior())
                .chain(p.interiors())
                .enumerate()
            {
                let mut pts: Vec<Coord<f64>> = ring.0.clone();
                if pts.len() < 3 {
                    continue;
                }
                if pts.first() != pts.last() {
                    pts.push(pts[0]);
                }
                // Exterior counter-clockwise, holes clockwise: interior on the left.
                let ccw = ring_signed_area(&pts) > 0.0;
                if ccw != (k == 0) {
                    pts.reverse();
                }
                edges.extend(
                    pts.windows(2)
                        .filter(|w| w[0] != w[1])
                        .map(|w| (w[0], w[1])),
                );
            }
        }
        let tree = index::tree_of(
            edges
                .iter()
                .enumerate()
                .map(|(i, &(a, b))| (i as u32, envelope(a, b))),
        );
        Some(Prepared {
            edges,
            tree,
            // Coarse: an area is asked about the few pieces of edges and lines
            // that reach into it, not about millions of points.
            grid: PolygonGrid::with_cells(vec![mp.clone()], 2, 64),
            bbox,
        })
    }

    fn contains(&self, c: Coord<f64>) -> bool {
        self.grid.locate(c.x, c.y) == 0
    }
}

/// How a piece of an edge lies relative to the other polygon's boundary.
#[derive(Clone, Copy, PartialEq)]
enum Along {
    /// Not along it: inside or outside, by a lookup at the middle.
    No,
    /// Along an edge running the same way (interiors on the same side).
    Same,
    /// Along an edge running the other way.
    Opposite,
}

/// Split the segment `a→b` where it meets `other`'s boundary and call `f`
/// with each piece, whether it lies inside `other` and how it runs along
/// `other`'s boundary. Edges of `other` within `tol` of the segment along a
/// common stretch ([`runs_along`]) count as running along it. `this` is the
/// polygon the segment belongs to (none for a line): a piece where `this`
/// doubles back on itself along `other`'s boundary is left out.
fn split(
    a: Coord<f64>,
    b: Coord<f64>,
    this: Option<&Prepared>,
    other: &Prepared,
    tol: f64,
    f: &mut impl FnMut(Coord<f64>, Coord<f64>, bool, Along),
) {
    let d = b - a;
    let len2 = d.x * d.x + d.y * d.y;
    let param = |p: Coord<f64>| (((p.x - a.x) * d.x + (p.y - a.y) * d.y) / len2).clamp(0.0, 1.0);
    let mut ts: Vec<f64> = vec![0.0, 1.0];
    // Stretches along `other`'s boundary: (from, to, way).
    let mut along: Vec<(f64, f64, Along)> = Vec::new();
    let seg = Line::new(a, b);
    let way = |p: Coord<f64>, q: Coord<f64>| {
        let e = q - p;
        if e.x * d.x + e.y * d.y > 0.0 {
            Along::Same
        } else {
            Along::Opposite
        }
    };
    let near = widened(&envelope(a, b), tol);
    for hit in other.tree.locate_in_envelope_intersecting(&near) {
        let (p, q) = other.edges[hit.data as usize];
        match line_intersection(seg, Line::new(p, q)) {
            Some(LineIntersection::Collinear { intersection })
                if intersection.start != intersection.end =>
            {
                let (t0, t1) = (param(intersection.start), param(intersection.end));
                ts.push(t0);
                ts.push(t1);
                along.push((t0.min(t1), t0.max(t1), way(p, q)));
            }
            _ if runs_along(seg, Line::new(p, q), tol) => {
                let (t0, t1) = (param(p), param(q));
                ts.push(t0);
                ts.push(t1);
                along.push((t0.min(t1), t0.max(t1), way(p, q)));
            }
            None => {}
            Some(LineIntersection::SinglePoint { intersection, .. }) => {
                ts.push(param(intersection))
            }
            Some(LineIntersection::Collinear { intersection }) => {
                ts.push(param(intersection.start))
            }
        }
    }
    // Where this polygon's own boundary doubles back along the segment (a
    // spike), split there too, so that each piece lies along it or not.
    if let (false, Some(this)) = (along.is_empty(), this) {
        for hit in this.tree.locate_in_envelope_intersecting(&near) {
            let (p, q) = this.edges[hit.data as usize];
            if (p, q) != (a, b) && runs_along(seg, Line::new(p, q), tol) {
                ts.push(param(p));
                ts.push(param(q));
            }
        }
    }
    let at = |t: f64| {
        if t <= 0.0 {
            a
        } else if t >= 1.0 {
            b
        } else {
            Coord {
                x: a.x + t * d.x,
                y: a.y + t * d.y,
            }
        }
    };
    if ts.len() == 2 {
        let m = at(0.5);
        f(a, b, other.contains(m), Along::No);
        return;
    }
    ts.sort_by(f64::total_cmp);
    ts.dedup();
    for w in ts.windows(2) {
        let (t0, t1) = (w[0], w[1]);
        let mid = 0.5 * (t0 + t1);
        let (p, q) = (at(t0), at(t1));
        if p == q {
            continue;
        }
        let beside = along_at(&along, mid);
        // A hair-thin sliver or spike of this polygon lying along the other's
        // boundary: its two sides cancel, so neither is counted.
        if !matches!(beside, Beside::Apart)
            && this.is_some_and(|this| doubles_back(this, p, q, tol))
        {
            continue;
        }
        match beside {
            Beside::Along(way) => f(p, q, true, way),
            Beside::Cancelled => {
                // The other boundary doubles back along the piece (a sliver
                // of no width): inside or outside is what lies beyond it,
                // on this polygon's side.
                let (dx, dy) = (q.x - p.x, q.y - p.y);
                let k = 1e3 * tol / dx.hypot(dy);
                let m = at(mid);
                let off = Coord {
                    x: m.x - k * dy,
                    y: m.y + k * dx,
                };
                f(p, q, other.contains(off), Along::No)
            }
            Beside::Apart => f(p, q, other.contains(at(mid)), Along::No),
        }
    }
}

/// How a piece of a segment lies beside the other boundary.
enum Beside {
    /// Along its edges, more of them one way than the other.
    Along(Along),
    /// Along edges that cancel, as many each way (a sliver of no width).
    Cancelled,
    /// Along no edge.
    Apart,
}

/// How the piece of a segment around parameter `t` runs along the other
/// boundary: its edges there (exactly collinear or within the tolerance)
/// are counted each way, and where the other boundary doubles back on
/// itself (a spike of no width) they cancel.
fn along_at(along: &[(f64, f64, Along)], t: f64) -> Beside {
    let (mut n, mut net) = (0, 0i32);
    for &(_, _, way) in along.iter().filter(|&&(s0, s1, _)| s0 <= t && t <= s1) {
        n += 1;
        net += if way == Along::Same { 1 } else { -1 };
    }
    match (n, net.signum()) {
        (0, _) => Beside::Apart,
        (_, 1) => Beside::Along(Along::Same),
        (_, -1) => Beside::Along(Along::Opposite),
        _ => Beside::Cancelled,
    }
}

/// Does `this` polygon's boundary double back along the piece `p→q` of one
/// of its own edges (within the tolerance), so that the piece is one side
/// of a sliver of no width?
fn doubles_back(this: &Prepared, p: Coord<f64>, q: Coord<f64>, tol: f64) -> bool {
    let d = q - p;
    let m = Coord {
        x: 0.5 * (p.x + q.x),
        y: 0.5 * (p.y + q.y),
    };
    let (mut n, mut net) = (0, 0i32);
    for hit in this
        .tree
        .locate_in_envelope_intersecting(&widened(&envelope(p, q), tol))
    {
        let (a, b) = this.edges[hit.data as usize];
        let e = b - a;
        let len2 = e.x * e.x + e.y * e.y;
        let u = ((m.x - a.x) * e.x + (m.y - a.y) * e.y) / len2;
        if !(0.0..=1.0).contains(&u) || !runs_along(Line::new(p, q), Line::new(a, b), tol) {
            continue;
        }
        n += 1;
        net += if e.x * d.x + e.y * d.y > 0.0 { 1 } else { -1 };
    }
    // None found: a piece too short to run along anything.
    n > 0 && net == 0
}

/// How far apart, relative to the size of the coordinates, two edges may be
/// and still run along each other: far above the rounding of a computed
/// vertex (about 1e-16), far below anything drawn on purpose.
const ALONG: f64 = 1e-12;

/// The distance below which two edges near `r` and `s` run along each other.
fn tolerance(r: &Rect<f64>, s: &Rect<f64>) -> f64 {
    let m = [r.min(), r.max(), s.min(), s.max()]
        .iter()
        .fold(0.0f64, |m, c| m.max(c.x.abs()).max(c.y.abs()));
    ALONG * m
}

/// Do the segments `s` and `t` run along each other, to within `tol`, over
/// a stretch longer than `tol`? That is: every end of either that lies
/// beside the other (projects onto it) is within `tol` of its line. Such
/// edges are treated as collinear: a vertex computed by another program
/// (a zone clipped to a district) lies on the district's edge only to
/// rounding, and deciding inside or outside by a midpoint on such an edge
/// would be a coin toss, on both polygons independently. The answer does
/// not depend on the order of `s` and `t`.
fn runs_along(s: Line<f64>, t: Line<f64>, tol: f64) -> bool {
    let key = |l: &Line<f64>| {
        let (p, q) = (l.start, l.end);
        if (p.x, p.y) <= (q.x, q.y) {
            (p.x, p.y, q.x, q.y)
        } else {
            (q.x, q.y, p.x, p.y)
        }
    };
    let (s, t) = if key(&s) <= key(&t) { (s, t) } else { (t, s) };
    // `x` beside `l` (projecting within it) but farther than `tol` from its line?
    let apart = |l: &Line<f64>, x: Coord<f64>| -> Option<bool> {
        let d = l.end - l.start;
        let len = d.x.hypot(d.y);
        let v = x - l.start;
        let u = (v.x * d.x + v.y * d.y) / len;
        if u < -tol || u > len + tol {
            return None;
        }
        Some((d.x * v.y - d.y * v.x).abs() / len > tol)
    };
    let (ls, lt) = (s.end - s.start, t.end - t.start);
    if ls.x.hypot(ls.y) <= tol || lt.x.hypot(lt.y) <= tol {
        return false;
    }
    let mut beside = Vec::with_capacity(4);
    for (l, x) in [(&s, t.start), (&s, t.end), (&t, s.start), (&t, s.end)] {
        match apart(l, x) {
            Some(true) => return false,
            Some(false) => beside.push(x),
            None => {}
        }
    }
    // The stretch they share: between the two ends farthest apart that lie
    // beside the other.
    let mut longest = 0.0f64;
    for i in 0..beside.len() {
        for j in i + 1..beside.len() {
            longest = longest.max((beside[i] - beside[j]).x.hypot((beside[i] - beside[j]).y));
        }
    }
    longest > tol
}

/// The area `A ∩ B` of two prepared polygons, in the CRS's square units.
pub(crate) fn intersection_area(a: &Prepared, b: &Prepared) -> f64 {
    let tol = tolerance(&a.bbox, &b.bbox);
    let Some(common) = rect_intersection(&a.bbox, &b.bbox) else {
        return 0.0;
    };
    let o = common.min();
    let cross =
        |p: Coord<f64>, q: Coord<f64>| (p.x - o.x) * (q.y - o.y) - (q.x - o.x) * (p.y - o.y);
    let mut sum = 0.0;
    let env = widened(&rect_envelope(&common), tol);
    // A's boundary inside B, and along B's boundary where both run the same way.
    for hit in a.tree.locate_in_envelope_intersecting(&env) {
        let (p, q) = a.edges[hit.data as usize];
        split(p, q, Some(a), b, tol, &mut |p, q, inside, along| {
            if (inside && along == Along::No) || along == Along::Same {
                sum += cross(p, q);
            }
        });
    }
    // B's boundary strictly inside A (the shared stretches were counted above).
    for hit in b.tree.locate_in_envelope_intersecting(&env) {
        let (p, q) = b.edges[hit.data as usize];
        split(p, q, Some(b), a, tol, &mut |p, q, inside, along| {
            if inside && along == Along::No {
                sum += cross(p, q);
            }
        });
    }
    (sum / 2.0).max(0.0)
}

/// The rectangle two rectangles share (a line or point where they only touch), or `None`.
pub(crate) fn rect_intersection(a: &Rect<f64>, b: &Rect<f64>) -> Option<Rect<f64>> {
    let min = Coord {
        x: a.min().x.max(b.min().x),
        y: a.min().y.max(b.min().y),
    };
    let max = Coord {
        x: a.max().x.min(b.max().x),
        y: a.max().y.min(b.max().y),
    };
    (min.x <= max.x && min.y <= max.y).then(|| Rect::new(min, max))
}

/// Each polygon feature prepared ([`Prepared`]), kept with the layer for
/// the next overlay or length.
fn prepare_all(layer: &Layer, what: &str) -> Result<Arc<Vec<Option<Prepared>>>> {
    layer.prepared("overlay: prepared polygons", || {
        let polys = checks::polygons(layer, what)?;
        let prepared: Vec<Option<Prepared>> =
            super::install(|| polys.par_iter().map(Prepared::new).collect());
        checks::refuse_invalid(layer)?;
        Ok(prepared)
    })
}

/// The area in m² each zone feature shares with each area feature, for
/// every pair `(zone row, area row, m²)` with a positive intersection,
/// sorted by zone row, then area row.
pub fn overlay_area(zones: &Layer, areas: &Layer) -> Result<Vec<(u32, u32, f64)>> {
    checks::metric_pair(zones, areas, "overlay_area")?;
    let z = prepare_all(zones, "overlay_area")?;
    let a = prepare_all(areas, "overlay_area")?;
    let zb: Vec<_> = z.iter().map(|p| p.as_ref().map(|p| p.bbox)).collect();
    let ab: Vec<_> = a.iter().map(|p| p.as_ref().map(|p| p.bbox)).collect();
    let pairs = index::candidate_pairs(&zb, &ab);
    Ok(super::install(|| {
        pairs
            .par_iter()
            .with_max_len(1)
            .filter_map(|&(i, j)| {
                let (Some(zi), Some(aj)) = (&z[i as usize], &a[j as usize]) else {
                    return None;
                };
                let m2 = intersection_area(zi, aj);
                (m2 > 0.0).then_some((i, j, m2))
            })
            .collect()
    }))
}

/// The pieces two polygon layers cut each other into ([`overlay`]).
#[derive(Clone, Debug)]
pub struct Overlay {
    /// One multipolygon per piece, without attributes, named
    /// `"<zones> ∩ <areas>"`, in the zones' CRS.
    pub layer: Layer,
    /// The zone row of each piece.
    pub zone: Vec<u32>,
    /// The area row of each piece.
    pub area: Vec<u32>,
}

/// The intersection pieces of two polygon layers (for maps), one per pair
/// of features with a positive common area, sorted by zone row, then area row.
///
/// Each pair is clipped to its common box before its intersection is
/// built, so a large zone costs only its edges near each area; every
/// vertex of a piece is a vertex of an input or the crossing of two input
/// edges computed from their own ends, so a piece's area equals
/// [`overlay_area`]'s to rounding. Pairs that only touch (along an edge or
/// at a point) give no piece.
///
/// # Examples
///
/// ```
/// use geo_types::{Geometry, Rect, coord};
/// use lagesbild::engine::overlay;
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::DataFrame;
///
/// let rect = |x0: f64, x1: f64| Some(Geometry::Polygon(Rect::new(coord! { x: x0, y: 0.0 }, coord! { x: x1, y: 10.0 }).to_polygon()));
/// let crs = Crs::from_epsg(3006).unwrap();
/// let zones = Layer::new("zones", vec![rect(0.0, 15.0)], DataFrame::empty(), crs.clone()).unwrap();
/// // The third area touches the zone along x = 15 only: no piece.
/// let areas = Layer::new("areas", vec![rect(0.0, 10.0), rect(10.0, 20.0), rect(15.0, 25.0)], DataFrame::empty(), crs).unwrap();
/// let pieces = overlay(&zones, &areas).unwrap();
/// assert_eq!((pieces.zone, pieces.area), (vec![0, 0], vec![0, 1]));
/// assert_eq!(pieces.layer.area().unwrap(), vec![Some(100.0), Some(50.0)]);
/// assert_eq!(pieces.layer.name(), "zones ∩ areas");
/// ```
pub fn overlay(zones: &Layer, areas: &Layer) -> Result<Overlay> {
    checks::metric_pair(zones, areas, "overlay")?;
    let zp = checks::polygons(zones, "overlay")?;
    let ap = checks::polygons(areas, "overlay")?;
    checks::refuse_invalid(zones)?;
    checks::refuse_invalid(areas)?;
    let (zc, ac): (Vec<Piecewise>, Vec<Piecewise>) = super::install(|| {
        (
            zp.par_iter().map(Piecewise::new).collect(),
            ap.par_iter().map(Piecewise::new).collect(),
        )
    });
    let zb: Vec<_> = zp.iter().map(|p| p.bounding_rect()).collect();
    let ab: Vec<_> = ap.iter().map(|p| p.bounding_rect()).collect();
    let pairs = index::candidate_pairs(&zb, &ab);
    let pieces: Vec<(u32, u32, MultiPolygon<f64>)> = super::install(|| {
        pairs
            .par_iter()
            .with_max_len(1)
            .filter_map(|&(i, j)| {
                let g = pieces::intersection(&zc[i as usize], &ac[j as usize]);
                (g.unsigned_area() > 0.0).then_some((i, j, g))
            })
            .collect()
    });
    let mut zone = Vec::with_capacity(pieces.len());
    let mut area = Vec::with_capacity(pieces.len());
    let mut geoms = Vec::with_capacity(pieces.len());
    for (i, j, g) in pieces {
        zone.push(i);
        area.push(j);
        geoms.push(Some(Geometry::MultiPolygon(g)));
    }
    let layer = Layer::new(
        format!("{} ∩ {}", zones.name(), areas.name()),
        geoms,
        DataFrame::empty(),
        zones.crs().clone(),
    )?;
    Ok(Overlay { layer, zone, area })
}

/// The segments of a linear feature (points and polygons are refused).
fn segments(
    layer: &Layer,
    i: usize,
    g: &Geometry<f64>,
    what: &str,
) -> Result<Vec<(Coord<f64>, Coord<f64>)>> {
    let lines: Vec<&geo_types::LineString<f64>> = match g {
        Geometry::LineString(l) => vec![l],
        Geometry::MultiLineString(m) => m.0.iter().collect(),
        Geometry::Line(l) => {
            return Ok(vec![(l.start, l.end)]);
        }
        g => return Err(Error::wrong_geometry(layer.name(), i, what, "lines", g, "")),
    };
    Ok(lines
        .into_iter()
        .flat_map(|l| {
            l.0.windows(2)
                .filter(|w| w[0] != w[1])
                .map(|w| (w[0], w[1]))
        })
        .collect())
}

/// The length in metres of each line feature within each area feature, for
/// every pair `(line row, area row, m)` with a positive length, sorted by
/// line row, then area row. A stretch of line on an area's boundary counts
/// in that area (as in geopandas' intersection), so a line along the border
/// of two areas counts in both.
pub fn length_within(lines: &Layer, areas: &Layer) -> Result<Vec<(u32, u32, f64)>> {
    checks::metric_pair(lines, areas, "length_within")?;
    checks::refuse_collections(lines, "length_within")?;
    let segs: Vec<Vec<(Coord<f64>, Coord<f64>)>> = lines
        .geometries()
        .iter()
        .enumerate()
        .map(|(i, g)| match g {
            None => Ok(Vec::new()),
            Some(g) => segments(lines, i, g, "length_within"),
        })
        .collect::<Result<_>>()?;
    let a = prepare_all(areas, "length_within")?;
    let lb: Vec<Option<Rect<f64>>> = index::boxes(lines.geometries());
    let ab: Vec<_> = a.iter().map(|p| p.as_ref().map(|p| p.bbox)).collect();
    let pairs = index::candidate_pairs(&lb, &ab);
    Ok(super::install(|| {
        pairs
            .par_iter()
            .with_max_len(4)
            .filter_map(|&(i, j)| {
                let area = a[j as usize].as_ref()?;
                let tol = tolerance(lb[i as usize].as_ref()?, &area.bbox);
                let env = widened(&rect_envelope(&area.bbox), tol);
                let mut m = 0.0;
                for &(p, q) in &segs[i as usize] {
                    if !env.intersects(&envelope(p, q)) {
                        continue;
                    }
                    split(p, q, None, area, tol, &mut |p, q, inside, _| {
                        if inside {
                            m += ((q.x - p.x).powi(2) + (q.y - p.y).powi(2)).sqrt();
                        }
                    });
                }
                (m > 0.0).then_some((i, j, m))
            })
            .collect()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    fn sq(x: f64, y: f64, s: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![
            polygon![(x: x, y: y), (x: x + s, y: y), (x: x + s, y: y + s), (x: x, y: y + s)],
        ])
    }

    fn area(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> f64 {
        intersection_area(&Prepared::new(a).unwrap(), &Prepared::new(b).unwrap())
    }

    #[test]
    fn exact_cases() {
        assert_eq!(area(&sq(0.0, 0.0, 2.0), &sq(1.0, 1.0, 2.0)), 1.0);
        assert_eq!(area(&sq(0.0, 0.0, 2.0), &sq(2.0, 0.0, 2.0)), 0.0); // neighbours
        assert_eq!(area(&sq(0.0, 0.0, 2.0), &sq(0.0, 0.0, 2.0)), 4.0); // identical
        assert_eq!(area(&sq(0.0, 0.0, 4.0), &sq(0.0, 0.0, 2.0)), 4.0); // shared corner edges
        assert_eq!(area(&sq(0.0, 0.0, 4.0), &sq(1.0, 1.0, 1.0)), 1.0); // nested
        assert_eq!(area(&sq(0.0, 0.0, 1.0), &sq(5.0, 5.0, 1.0)), 0.0);
    }
}
