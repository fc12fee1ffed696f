//! Distances: points within a distance of lines, and each feature's nearest
//! feature in another layer. Distances are Euclidean, in the CRS's metres.

use std::sync::Arc;

use geo::{BoundingRect, Distance, Euclidean};
use geo_types::{Coord, Geometry, MultiPolygon};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Line as RLine};
use rstar::{PointDistance, RTree, AABB};

use super::assign::Points;
use super::grid::{PolygonGrid, NONE};
use super::{checks, index};
use crate::{Error, Layer, Result};

type SegTree = RTree<GeomWithData<RLine<[f64; 2]>, u32>>;

/// For each point: the nearest line (row) within the distance, or [`NONE`],
/// and the distance to it (NaN beyond the distance).
pub struct WithinDistance {
    pub line: Vec<u32>,
    pub distance: Vec<f64>,
}

/// For each left feature: the nearest right feature (row), or [`NONE`], and
/// the distance (NaN when none).
pub struct Nearest {
    pub right: Vec<u32>,
    pub distance: Vec<f64>,
}

/// Segments of every linear or point feature (a point is a segment of length
/// zero); polygons are refused for this use.
fn segment_tree(layer: &Layer, what: &str, allow_polygons: bool) -> Result<SegTree> {
    let mut segs = Vec::new();
    let mut push = |a: Coord<f64>, b: Coord<f64>, i: usize| {
        segs.push(GeomWithData::new(
            RLine::new([a.x, a.y], [b.x, b.y]),
            i as u32,
        ))
    };
    fn walk<'g>(
        g: &'g Geometry<f64>,
        i: usize,
        push: &mut dyn FnMut(Coord<f64>, Coord<f64>, usize),
        polys: bool,
    ) -> std::result::Result<(), &'g Geometry<f64>> {
        match g {
            Geometry::Point(p) => push(p.0, p.0, i),
            Geometry::MultiPoint(m) => m.iter().for_each(|p| push(p.0, p.0, i)),
            Geometry::Line(l) => push(l.start, l.end, i),
            Geometry::LineString(l) => l.lines().for_each(|l| push(l.start, l.end, i)),
            Geometry::MultiLineString(m) => m
                .iter()
                .flat_map(|l| l.lines())
                .for_each(|l| push(l.start, l.end, i)),
            Geometry::Polygon(_)
            | Geometry::MultiPolygon(_)
            | Geometry::Rect(_)
            | Geometry::Triangle(_)
                if polys =>
            {
                let mp = checks::as_multipolygon(g).unwrap_or(MultiPolygon(vec![]));
                for p in &mp.0 {
                    for r in std::iter::once(p.exterior()).chain(p.interiors()) {
                        r.lines().for_each(|l| push(l.start, l.end, i));
                    }
                }
            }
            Geometry::GeometryCollection(c) => {
                for g in c.iter() {
                    walk(g, i, push, polys)?;
                }
            }
            g => return Err(g),
        }
        Ok(())
    }
    checks::refuse_non_finite(layer)?;
    checks::refuse_collections(layer, what)?;
    for (i, g) in layer.geometries().iter().enumerate() {
        if let Some(g) = g {
            walk(g, i, &mut push, allow_polygons).map_err(|found| {
                Error::wrong_geometry(
                    layer.name(),
                    i,
                    what,
                    "lines (or points)",
                    found,
                    "use buffer and assign for areas",
                )
            })?;
        }
    }
    Ok(RTree::bulk_load(segs))
}

/// The nearest line within `distance` metres of each point (ties go to the
/// lower row), in the lines' projected CRS. Non-finite points are near
/// nothing.
///
/// # Examples
///
/// ```
/// use geo_types::{Geometry, LineString};
/// use lagesbild::engine::{within_distance, Points, NONE};
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::DataFrame;
///
/// let route = Geometry::LineString(LineString::from(vec![(0.0, 0.0), (1000.0, 0.0)]));
/// let routes = Layer::new("routes", vec![Some(route)], DataFrame::empty(), Crs::from_epsg(3011).unwrap()).unwrap();
/// let near = within_distance(Points::Xy(&[500.0, 500.0], &[100.0, 400.0]), &routes, 150.0).unwrap();
/// assert_eq!(near.line, vec![0, NONE]);
/// assert_eq!(near.distance[0], 100.0);
/// ```
pub fn within_distance(points: Points<'_>, lines: &Layer, distance: f64) -> Result<WithinDistance> {
    let (xs, ys) = points.coords(lines, "within_distance")?;
    let (xs, ys) = (&xs[..], &ys[..]);
    crate::ensure!(
        distance.is_finite() && distance >= 0.0,
        "within_distance: the distance must be a finite number of metres, at least 0, not {distance}"
    );
    lines.require_metric("within_distance")?;
    checks::non_empty(lines, "within_distance")?;
    let tree = lines.prepared("within_distance: segment tree", || {
        segment_tree(lines, "within_distance", false)
    })?;
    if tree.size() == 0 {
        // Only null geometries: nothing is near.
        return Ok(WithinDistance {
            line: vec![NONE; xs.len()],
            distance: vec![f64::NAN; xs.len()],
        });
    }
    let grid = SegmentGrid::new(&tree, distance);
    let d2 = distance * distance;
    let mut line = vec![NONE; xs.len()];
    let mut dist = vec![f64::NAN; xs.len()];
    super::install(|| {
        line.par_chunks_mut(1 << 14)
            .zip(dist.par_chunks_mut(1 << 14))
            .zip(xs.par_chunks(1 << 14).zip(ys.par_chunks(1 << 14)))
            .for_each(|((l, d), (x, y))| {
                for k in 0..l.len() {
                    let p = [x[k], y[k]];
                    if !(p[0].is_finite() && p[1].is_finite()) {
                        continue;
                    }
                    let mut best = (f64::INFINITY, NONE);
                    for s in grid.near(p) {
                        let e = s.geom().distance_2(&p);
                        if e <= d2 && (e < best.0 || (e == best.0 && s.data < best.1)) {
                            best = (e, s.data);
                        }
                    }
                    if best.1 != NONE {
                        l[k] = best.1;
                        d[k] = best.0.sqrt();
                    }
                }
            })
    });
    Ok(WithinDistance {
        line,
        distance: dist,
    })
}

/// Segments binned in square cells at least `distance` wide: a segment is
/// listed in every cell its box, widened by `distance`, meets, so the
/// segments within `distance` of a point are among those of the point's
/// cell. Most points, far from every line, find their cell empty.
struct SegmentGrid<'a> {
    x0: f64,
    y0: f64,
    inv: f64,
    nx: usize,
    ny: usize,
    start: Vec<u32>,
    items: Vec<&'a GeomWithData<RLine<[f64; 2]>, u32>>,
}

impl<'a> SegmentGrid<'a> {
    fn new(tree: &'a SegTree, distance: f64) -> SegmentGrid<'a> {
        let segs: Vec<_> = tree.iter().collect();
        let env = tree.root().envelope();
        debug_assert!(tree.size() > 0);
        let (lo, hi) = (env.lower(), env.upper());
        let (x0, y0) = (lo[0] - distance, lo[1] - distance);
        let (w, h) = (hi[0] + distance - x0, hi[1] + distance - y0);
        let cap = (1u64 << 22) as f64;
        let mut size = distance
            .max((w * h / cap).sqrt())
            .max((w.max(h) / 4096.0).max(1e-9));
        if !size.is_finite() || size <= 0.0 {
            size = 1.0;
        }
        let nx = ((w / size) as usize + 1).max(1);
        let ny = ((h / size) as usize + 1).max(1);
        let inv = 1.0 / size;
        let range = |s: &GeomWithData<RLine<[f64; 2]>, u32>| {
            let (a, b) = (s.geom().from, s.geom().to);
            let c0 =
                (((a[0].min(b[0]) - distance - x0) * inv).floor().max(0.0) as usize).min(nx - 1);
            let c1 =
                (((a[0].max(b[0]) + distance - x0) * inv).floor().max(0.0) as usize).min(nx - 1);
            let r0 =
                (((a[1].min(b[1]) - distance - y0) * inv).floor().max(0.0) as usize).min(ny - 1);
            let r1 =
                (((a[1].max(b[1]) + distance - y0) * inv).floor().max(0.0) as usize).min(ny - 1);
            (c0, c1, r0, r1)
        };
        let mut start = vec![0u32; nx * ny + 1];
        for s in &segs {
            let (c0, c1, r0, r1) = range(s);
            for r in r0..=r1 {
                for c in c0..=c1 {
                    start[r * nx + c + 1] += 1;
                }
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut fill = start.clone();
        let mut items = vec![segs[0]; start[nx * ny] as usize];
        for s in &segs {
            let (c0, c1, r0, r1) = range(s);
            for r in r0..=r1 {
                for c in c0..=c1 {
                    let k = &mut fill[r * nx + c];
                    items[*k as usize] = s;
                    *k += 1;
                }
            }
        }
        SegmentGrid {
            x0,
            y0,
            inv,
            nx,
            ny,
            start,
            items,
        }
    }

    /// The segments that may lie within the distance of `p`.
    fn near(&self, p: [f64; 2]) -> &[&'a GeomWithData<RLine<[f64; 2]>, u32>] {
        let fx = (p[0] - self.x0) * self.inv;
        let fy = (p[1] - self.y0) * self.inv;
        if !(fx >= 0.0 && fy >= 0.0 && fx < self.nx as f64 && fy < self.ny as f64) {
            return &[];
        }
        let cell = fy as usize * self.nx + fx as usize;
        &self.items[self.start[cell] as usize..self.start[cell + 1] as usize]
    }
}

/// What [`nearest`] and [`nearest_points`] search: the right layer's
/// segments (a point is a segment of length zero), a grid of its polygons
/// (a point inside one is at distance 0) and the distance limit.
struct Targets {
    segs: Arc<SegTree>,
    grid: Arc<Option<PolygonGrid>>,
    limit: f64,
}

impl Targets {
    fn new(right: &Layer, max_distance: Option<f64>) -> Result<Targets> {
        checks::non_empty(right, "nearest")?;
        if let Some(m) = max_distance {
            crate::ensure!(
                m.is_finite() && m >= 0.0,
                "nearest: max_distance must be a finite number of metres, at least 0, not {m}"
            );
        }
        let segs = right.prepared("nearest: segment tree", || {
            segment_tree(right, "nearest", true)
        })?;
        // Polygons contain points at distance 0.
        let grid = right.prepared("nearest: polygon grid", || {
            let polys: Vec<_> = right
                .geometries()
                .iter()
                .map(|g| {
                    g.as_ref()
                        .and_then(checks::as_multipolygon)
                        .unwrap_or(MultiPolygon(vec![]))
                })
                .collect();
            let has_polys = polys.iter().any(|p| !p.0.is_empty());
            Ok(has_polys.then(|| PolygonGrid::new(polys)))
        })?;
        Ok(Targets {
            segs,
            grid,
            limit: max_distance.unwrap_or(f64::INFINITY),
        })
    }

    fn to_point(&self, c: Coord<f64>) -> Option<(u32, f64)> {
        nearest_to_point(c, &self.segs, self.grid.as_ref().as_ref())
    }

    /// A result within the limit as (row, distance), else ([`NONE`], NaN).
    fn within_limit(&self, found: Option<(u32, f64)>) -> (u32, f64) {
        match found {
            Some((j, d)) if d <= self.limit => (j, d),
            _ => (NONE, f64::NAN),
        }
    }
}

impl Nearest {
    fn from_results(results: Vec<(u32, f64)>) -> Nearest {
        let (right, distance) = results.into_iter().unzip();
        Nearest { right, distance }
    }
}

/// The nearest right feature of each left feature, any geometry types, with
/// the distance (0 where they touch or overlap); ties go to the lower right
/// row. With `max_distance`, features farther away get [`NONE`].
pub fn nearest(left: &Layer, right: &Layer, max_distance: Option<f64>) -> Result<Nearest> {
    checks::same_crs(left, right, "nearest")?;
    left.require_metric("nearest")?;
    checks::refuse_collections(left, "nearest")?;
    let targets = Targets::new(right, max_distance)?;
    let boxes = index::box_tree(&index::boxes(right.geometries()));
    let rg = right.geometries();
    let results: Vec<(u32, f64)> = super::install(|| {
        left.geometries()
            .par_iter()
            .map(|g| {
                let Some(g) = g else { return (NONE, f64::NAN) };
                targets.within_limit(match g {
                    Geometry::Point(p) => targets.to_point(p.0),
                    g => nearest_to_geometry(g, &boxes, rg),
                })
            })
            .collect()
    });
    Ok(Nearest::from_results(results))
}

/// [`nearest`] for [`Points`]: the nearest right feature of each point (a
/// point inside a polygon is at distance 0), the columnar path that makes no
/// point geometries. The same answer as [`nearest`] of a layer of the same
/// points; a non-finite coordinate is near nothing.
///
/// # Examples
///
/// ```
/// use geo_types::{Geometry, LineString};
/// use lagesbild::engine::{nearest_points, Points, NONE};
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::DataFrame;
///
/// let line = |y: f64| Some(Geometry::LineString(LineString::from(vec![(0.0, y), (1000.0, y)])));
/// let routes = Layer::new("routes", vec![line(0.0), line(500.0)], DataFrame::empty(), Crs::from_epsg(3011).unwrap()).unwrap();
/// let near = nearest_points(Points::Xy(&[10.0, 10.0, f64::NAN], &[400.0, 100.0, 0.0]), &routes, None).unwrap();
/// assert_eq!(near.right, vec![1, 0, NONE]);
/// assert_eq!(near.distance[..2], [100.0, 100.0]);
/// let within = nearest_points(Points::Xy(&[10.0], &[400.0]), &routes, Some(50.0)).unwrap();
/// assert_eq!(within.right, vec![NONE]);
/// ```
pub fn nearest_points(
    points: Points<'_>,
    right: &Layer,
    max_distance: Option<f64>,
) -> Result<Nearest> {
    let (xs, ys) = points.coords(right, "nearest")?;
    right.require_metric("nearest")?;
    let targets = Targets::new(right, max_distance)?;
    let results: Vec<(u32, f64)> = super::install(|| {
        xs.par_iter()
            .zip(ys.par_iter())
            .with_min_len(1 << 12)
            .map(|(&x, &y)| targets.within_limit(targets.to_point(Coord { x, y })))
            .collect()
    });
    Ok(Nearest::from_results(results))
}

fn nearest_to_point(
    c: Coord<f64>,
    segs: &SegTree,
    grid: Option<&PolygonGrid>,
) -> Option<(u32, f64)> {
    if !(c.x.is_finite() && c.y.is_finite()) {
        return None;
    }
    if let Some(i) = grid.map(|g| g.locate(c.x, c.y)).filter(|&i| i != NONE) {
        return Some((i, 0.0));
    }
    let p = [c.x, c.y];
    let mut best: Option<(u32, f64)> = None;
    for (s, d2) in segs.nearest_neighbor_iter_with_distance_2(&p) {
        match best {
            Some((j, b)) if d2 > b => {
                let _ = j;
                break;
            }
            Some((j, b)) if d2 == b && s.data >= j => {}
            _ => best = Some((s.data, d2)),
        }
    }
    best.map(|(j, d2)| (j, d2.sqrt()))
}

fn nearest_to_geometry(
    g: &Geometry<f64>,
    boxes: &index::BoxTree,
    rg: &[Option<Geometry<f64>>],
) -> Option<(u32, f64)> {
    let b = g.bounding_rect()?;
    let centre = [0.5 * (b.min().x + b.max().x), 0.5 * (b.min().y + b.max().y)];
    let half = 0.5 * ((b.max().x - b.min().x).hypot(b.max().y - b.min().y));
    // Any right feature's exact distance is at least the distance between
    // the boxes; widen the search until the best exact distance found is
    // no more than the search radius.
    let first = boxes.nearest_neighbor(&centre)?;
    let mut r = first.geom().distance_2(&centre).sqrt() + half;
    loop {
        let env = AABB::from_corners(
            [b.min().x - r, b.min().y - r],
            [b.max().x + r, b.max().y + r],
        );
        let mut best: Option<(u32, f64)> = None;
        for k in index::hits(boxes, &env) {
            let Some(rgeom) = &rg[k as usize] else {
                continue;
            };
            let d = Euclidean.distance(g, rgeom);
            if best.is_none_or(|(j, bd)| d < bd || (d == bd && k < j)) {
                best = Some((k, d));
            }
        }
        match best {
            Some((_, d)) if d <= r => return best,
            Some((_, d)) => r = d,
            None => r = 2.0 * r + 1.0,
        }
    }
}
