//! A uniform grid over polygons that answers point-in-polygon lookups with
//! about one memory read per point.
//!
//! The grid covers the polygons' bounding box with square cells. A cell no
//! polygon edge passes through lies wholly inside the same polygons as its
//! centre, so it stores the answer itself. A *boundary* cell stores its
//! centre's polygons and copies of the edges that touch it; a point in it
//! starts from the centre's answer and flips a polygon in or out for every
//! one of that polygon's edges crossed on the way from the centre (a
//! horizontal, then a vertical leg, both inside the cell). The centres'
//! answers are found the same way, walking each row from a margin cell
//! outside everything.
//!
//! All side tests use exact orientation predicates ([`robust::orient2d`]).
//! The few cases where a centre or a point lies exactly on an edge, or a leg
//! runs through a vertex, fall back to an exact test of the candidate
//! polygons with [`geo::CoordinatePosition`]. The answer is therefore exact:
//! the lowest-index polygon whose closed region (interior or boundary)
//! contains the point.

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::BoundingRect;
use geo_types::{Coord, MultiPolygon};
use rayon::prelude::*;
use robust::{orient2d, Coord as RCoord};
use rstar::AABB;

use super::index;

/// The value [`PolygonGrid::locate`] gives for a point in no polygon.
pub const NONE: u32 = u32::MAX;

const OUTSIDE: u32 = 0;
const BOUNDARY: u32 = 1 << 31;
/// [`BOUNDARY`] in a cell of [`Cells::Narrow`].
const NARROW_BOUNDARY: u16 = 1 << 15;

/// The cells' values: two bytes each when every value fits (fewer than
/// 32 768 polygons and boundary cells), so that twice the cells stay in the
/// processor's cache; four bytes otherwise.
enum Cells {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Cells {
    fn new(cells: Vec<u32>, boundary: usize, polygons: usize) -> Cells {
        if boundary < NARROW_BOUNDARY as usize && polygons < NARROW_BOUNDARY as usize {
            Cells::Narrow(
                cells
                    .into_iter()
                    .map(|v| {
                        if v >= BOUNDARY {
                            NARROW_BOUNDARY | (v & !BOUNDARY) as u16
                        } else {
                            v as u16
                        }
                    })
                    .collect(),
            )
        } else {
            Cells::Wide(cells)
        }
    }

    /// The value of cell `i`: `OUTSIDE`, `polygon + 1` or `BOUNDARY | index`.
    #[inline]
    fn get(&self, i: usize) -> u32 {
        match self {
            Cells::Narrow(c) => {
                let v = c[i];
                if v >= NARROW_BOUNDARY {
                    BOUNDARY | (v & !NARROW_BOUNDARY) as u32
                } else {
                    v as u32
                }
            }
            Cells::Wide(c) => c[i],
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Edge {
    a: Coord<f64>,
    b: Coord<f64>,
    poly: u32,
}

#[derive(Clone, Copy, Debug)]
struct BoundaryCell {
    edges: (u32, u32),
    set: (u32, u32),
    /// The centre lies exactly on an edge: every point here is tested exactly.
    exact: bool,
}

/// A point-in-polygon index over a set of (multi)polygons.
pub struct PolygonGrid {
    x0: f64,
    y0: f64,
    size: f64,
    inv: f64,
    nx: usize,
    ny: usize,
    /// Per cell: `OUTSIDE`, `polygon + 1`, or `BOUNDARY | index` into `boundary`.
    cells: Cells,
    boundary: Vec<BoundaryCell>,
    edges: Vec<Edge>,
    sets: Vec<u32>,
    polygons: Vec<MultiPolygon<f64>>,
    bboxes: index::BoxTree,
}

#[inline]
fn rc(c: Coord<f64>) -> RCoord<f64> {
    RCoord { x: c.x, y: c.y }
}

/// Which way a leg crosses an edge.
enum Cross {
    No,
    Yes,
    /// An end of the leg lies exactly on the edge.
    Degenerate,
}

/// Does the horizontal leg from `p` to `q` (same `y`) cross `e`? Half-open in
/// `y` so that a vertex on the leg's line is counted once between its two
/// edges.
#[inline]
fn cross_horizontal(e: &Edge, p: Coord<f64>, q: Coord<f64>) -> Cross {
    let (lo, hi) = if e.a.y <= e.b.y {
        (e.a, e.b)
    } else {
        (e.b, e.a)
    };
    if !(lo.y <= p.y && p.y < hi.y) {
        return Cross::No;
    }
    let op = orient2d(rc(lo), rc(hi), rc(p));
    let oq = orient2d(rc(lo), rc(hi), rc(q));
    if op == 0.0 || oq == 0.0 {
        Cross::Degenerate
    } else if (op > 0.0) != (oq > 0.0) {
        Cross::Yes
    } else {
        Cross::No
    }
}

/// Does the vertical leg from `p` to `q` (same `x`) cross `e`? Half-open in `x`.
#[inline]
fn cross_vertical(e: &Edge, p: Coord<f64>, q: Coord<f64>) -> Cross {
    let (lo, hi) = if e.a.x <= e.b.x {
        (e.a, e.b)
    } else {
        (e.b, e.a)
    };
    if !(lo.x <= p.x && p.x < hi.x) {
        return Cross::No;
    }
    let op = orient2d(rc(lo), rc(hi), rc(p));
    let oq = orient2d(rc(lo), rc(hi), rc(q));
    if op == 0.0 || oq == 0.0 {
        Cross::Degenerate
    } else if (op > 0.0) != (oq > 0.0) {
        Cross::Yes
    } else {
        Cross::No
    }
}

/// Is `q` on the closed segment `e`?
#[inline]
fn on_edge(e: &Edge, q: Coord<f64>) -> bool {
    q.x >= e.a.x.min(e.b.x)
        && q.x <= e.a.x.max(e.b.x)
        && q.y >= e.a.y.min(e.b.y)
        && q.y <= e.a.y.max(e.b.y)
        && orient2d(rc(e.a), rc(e.b), rc(q)) == 0.0
}

/// Flip polygon `p` in the sorted set `set`.
#[inline]
fn toggle(set: &mut Vec<u32>, p: u32) {
    match set.binary_search(&p) {
        Ok(i) => {
            set.remove(i);
        }
        Err(i) => set.insert(i, p),
    }
}

impl PolygonGrid {
    /// Index `polygons` (feature `i` is answered as `i`; an empty
    /// multipolygon never matches).
    pub fn new(polygons: Vec<MultiPolygon<f64>>) -> PolygonGrid {
        PolygonGrid::with_density(polygons, 16)
    }

    /// [`PolygonGrid::new`] with about `cells_per_edge` cells per polygon
    /// edge (and at least 1 024): more cells answer more points at once but
    /// take longer to build.
    pub fn with_density(polygons: Vec<MultiPolygon<f64>>, cells_per_edge: usize) -> PolygonGrid {
        PolygonGrid::with_cells(polygons, cells_per_edge, 1 << 10)
    }

    /// [`PolygonGrid::with_density`] with at least `min_cells` cells: a
    /// polygon of a hundred edges asked about a few hundred points is
    /// answered sooner by a grid of a hundred cells than of a thousand.
    pub fn with_cells(
        polygons: Vec<MultiPolygon<f64>>,
        cells_per_edge: usize,
        min_cells: usize,
    ) -> PolygonGrid {
        let mut edges = Vec::new();
        for (i, mp) in polygons.iter().enumerate() {
            for p in &mp.0 {
                for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                    for l in ring.lines() {
                        if l.start != l.end {
                            edges.push(Edge {
                                a: l.start,
                                b: l.end,
                                poly: i as u32,
                            });
                        }
                    }
                    // An unclosed ring is closed, as every reader does.
                    if let (Some(&f), Some(&l)) = (ring.0.first(), ring.0.last()) {
                        if f != l {
                            edges.push(Edge {
                                a: l,
                                b: f,
                                poly: i as u32,
                            });
                        }
                    }
                }
            }
        }
        let bboxes = index::box_tree(
            &polygons
                .iter()
                .map(|mp| mp.bounding_rect())
                .collect::<Vec<_>>(),
        );
        let (mut minx, mut miny, mut maxx, mut maxy) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for e in &edges {
            minx = minx.min(e.a.x.min(e.b.x));
            maxx = maxx.max(e.a.x.max(e.b.x));
            miny = miny.min(e.a.y.min(e.b.y));
            maxy = maxy.max(e.a.y.max(e.b.y));
        }
        let mut grid = PolygonGrid {
            x0: 0.0,
            y0: 0.0,
            size: 1.0,
            inv: 1.0,
            nx: 0,
            ny: 0,
            cells: Cells::Wide(Vec::new()),
            boundary: Vec::new(),
            edges: Vec::new(),
            sets: Vec::new(),
            polygons,
            bboxes,
        };
        if edges.is_empty() {
            return grid;
        }
        // Most cells hold no edge, and a boundary cell a handful.
        let (w, h) = (maxx - minx, maxy - miny);
        let target = (cells_per_edge.max(1) * edges.len())
            .clamp(min_cells.clamp(1, 1 << 23), 1 << 23) as f64;
        let mut size = (w * h / target).sqrt();
        // Zero (all edges on one line) or NaN (no edges).
        if size.is_nan() || size <= 0.0 {
            size = (w.max(h) / target.sqrt()).max(1e-9 * (1.0 + minx.abs().max(miny.abs())));
        }
        let x0 = minx - size;
        let y0 = miny - size;
        let nx = ((maxx - x0) / size) as usize + 2;
        let ny = ((maxy - y0) / size) as usize + 2;
        grid.x0 = x0;
        grid.y0 = y0;
        grid.size = size;
        grid.inv = 1.0 / size;
        grid.nx = nx;
        grid.ny = ny;

        // Which cells each edge touches: per row, the x range of the edge
        // within the row's band, widened a little (an edge listed in a cell
        // it does not touch costs nothing; one missing would be wrong).
        let eps = size * 1e-7;
        let cell_range = |e: &Edge, f: &mut dyn FnMut(usize)| {
            let (ylo, yhi) = (e.a.y.min(e.b.y), e.a.y.max(e.b.y));
            // `as usize` is the floor here: it truncates, and takes
            // anything below 0 (and NaN) to 0.
            let r0 = ((ylo - eps - y0) * grid.inv) as usize;
            let r1 = (((yhi + eps - y0) * grid.inv) as usize).min(ny - 1);
            for r in r0..=r1 {
                // The band widened too: a point a rounding error beyond the
                // row's edge is looked up in this row.
                let b0 = (y0 + r as f64 * size - eps).max(ylo);
                let b1 = (y0 + (r + 1) as f64 * size + eps).min(yhi);
                let (xa, xb) = if e.a.y == e.b.y {
                    (e.a.x.min(e.b.x), e.a.x.max(e.b.x))
                } else {
                    let at = |y: f64| e.a.x + (y - e.a.y) * (e.b.x - e.a.x) / (e.b.y - e.a.y);
                    let (p, q) = (at(b0), at(b1));
                    (p.min(q), p.max(q))
                };
                let xa = xa.max(e.a.x.min(e.b.x)) - eps;
                let xb = xb.min(e.a.x.max(e.b.x)) + eps;
                let c0 = ((xa - x0) * grid.inv) as usize;
                let c1 = (((xb - x0) * grid.inv) as usize).min(nx - 1);
                for c in c0..=c1 {
                    f(r * nx + c);
                }
            }
        };
        let mut count = vec![0u32; nx * ny + 1];
        for e in &edges {
            cell_range(e, &mut |c| count[c + 1] += 1);
        }
        for i in 1..count.len() {
            count[i] += count[i - 1];
        }
        let mut fill = count.clone();
        let mut by_cell = vec![0u32; count[nx * ny] as usize];
        for (k, e) in edges.iter().enumerate() {
            cell_range(e, &mut |c| {
                by_cell[fill[c] as usize] = k as u32;
                fill[c] += 1;
            });
        }
        drop(fill);
        let in_cell = |c: usize| &by_cell[count[c] as usize..count[c + 1] as usize];

        // Walk each row from the margin, carrying the set of polygons that
        // contain the current centre; rows in parallel.
        struct Row {
            boundary: Vec<BoundaryCell>,
            edges: Vec<Edge>,
            sets: Vec<u32>,
        }
        let mut cells = vec![OUTSIDE; nx * ny];
        // A small grid is walked in one task: splitting it costs more than it saves.
        let rows_per_task = (1 << 14) / nx + 1;
        let g = &grid;
        let walk = |(r, row): (usize, &mut [u32])| -> Row {
            let mut out = Row {
                boundary: Vec::new(),
                edges: Vec::new(),
                sets: Vec::new(),
            };
            let yc = y0 + (r as f64 + 0.5) * size;
            let mut set: Vec<u32> = Vec::new();
            let mut prev = Coord {
                x: x0 + 0.5 * size,
                y: yc,
            };
            for (c, value) in row.iter_mut().enumerate() {
                let centre = Coord {
                    x: x0 + (c as f64 + 0.5) * size,
                    y: yc,
                };
                let cell = r * nx + c;
                if c > 0 {
                    let (l, m) = (in_cell(cell - 1), in_cell(cell));
                    let mut degenerate = false;
                    // The edges of both cells, each once (both lists are sorted).
                    let (mut i, mut j) = (0, 0);
                    while i < l.len() || j < m.len() {
                        let k = if j == m.len() || (i < l.len() && l[i] < m[j]) {
                            i += 1;
                            l[i - 1]
                        } else if i == l.len() || m[j] < l[i] {
                            j += 1;
                            m[j - 1]
                        } else {
                            i += 1;
                            j += 1;
                            l[i - 1]
                        };
                        let e = &edges[k as usize];
                        match cross_horizontal(e, prev, centre) {
                            Cross::No => {}
                            Cross::Yes => toggle(&mut set, e.poly),
                            Cross::Degenerate => degenerate = true,
                        }
                    }
                    if degenerate {
                        set = g.interior_set(centre);
                    }
                }
                let here = in_cell(cell);
                if here.is_empty() {
                    *value = set.first().map_or(OUTSIDE, |&p| p + 1);
                } else {
                    let start = out.edges.len() as u32;
                    let mut exact = false;
                    for &k in here {
                        let e = edges[k as usize];
                        exact |= on_edge(&e, centre);
                        out.edges.push(e);
                    }
                    let s0 = out.sets.len() as u32;
                    out.sets.extend_from_slice(&set);
                    *value = BOUNDARY | out.boundary.len() as u32;
                    out.boundary.push(BoundaryCell {
                        edges: (start, out.edges.len() as u32),
                        set: (s0, out.sets.len() as u32),
                        exact,
                    });
                }
                prev = centre;
            }
            out
        };
        // A small grid (one polygon prepared for an overlay) is walked on
        // this thread: handing it to the pool costs more than the walk.
        let small = nx * ny <= 1 << 14;
        let rows: Vec<Row> = if small {
            cells.chunks_mut(nx).enumerate().map(walk).collect()
        } else {
            super::install(|| {
                cells
                    .par_chunks_mut(nx)
                    .with_min_len(rows_per_task)
                    .enumerate()
                    .map(walk)
                    .collect()
            })
        };
        // Join the rows: shift each row's indices by what came before it.
        let mut boundary = Vec::with_capacity(rows.iter().map(|r| r.boundary.len()).sum());
        let mut cell_edges = Vec::with_capacity(rows.iter().map(|r| r.edges.len()).sum());
        let mut sets = Vec::new();
        let mut shift = Vec::with_capacity(rows.len());
        for row in rows {
            let (b0, e0, s0) = (
                boundary.len() as u32,
                cell_edges.len() as u32,
                sets.len() as u32,
            );
            shift.push(b0);
            boundary.extend(row.boundary.into_iter().map(|mut b| {
                b.edges = (b.edges.0 + e0, b.edges.1 + e0);
                b.set = (b.set.0 + s0, b.set.1 + s0);
                b
            }));
            cell_edges.extend(row.edges);
            sets.extend(row.sets);
        }
        let shift_row = |(row, b0): (&mut [u32], u32)| {
            for v in row.iter_mut().filter(|v| **v >= BOUNDARY) {
                *v += b0;
            }
        };
        if small {
            cells.chunks_mut(nx).zip(shift).for_each(shift_row);
        } else {
            super::install(|| {
                cells
                    .par_chunks_mut(nx)
                    .with_min_len(rows_per_task)
                    .zip(shift)
                    .for_each(shift_row)
            });
        }
        grid.cells = Cells::new(cells, boundary.len(), grid.polygons.len());
        grid.boundary = boundary;
        grid.edges = cell_edges;
        grid.sets = sets;
        grid
    }

    /// The number of polygons indexed.
    pub fn len(&self) -> usize {
        self.polygons.len()
    }

    /// True when no polygons are indexed.
    pub fn is_empty(&self) -> bool {
        self.polygons.is_empty()
    }

    /// The polygons whose interior contains `c` (sorted).
    fn interior_set(&self, c: Coord<f64>) -> Vec<u32> {
        let mut out: Vec<u32> = index::hits(&self.bboxes, &AABB::from_point([c.x, c.y]))
            .filter(|&i| {
                self.polygons[i as usize]
                    .0
                    .iter()
                    .any(|p| p.coordinate_position(&c) == CoordPos::Inside)
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// The lowest-index polygon whose closed region contains `c`, by exact tests.
    fn exact(&self, c: Coord<f64>) -> u32 {
        index::hits(&self.bboxes, &AABB::from_point([c.x, c.y]))
            .filter(|&i| {
                self.polygons[i as usize]
                    .0
                    .iter()
                    .any(|p| p.coordinate_position(&c) != CoordPos::Outside)
            })
            .min()
            .unwrap_or(NONE)
    }

    /// The lowest-index polygon whose interior or boundary contains
    /// `(x, y)`, or [`NONE`]. Non-finite coordinates are in no polygon.
    #[inline]
    pub fn locate(&self, x: f64, y: f64) -> u32 {
        let fx = (x - self.x0) * self.inv;
        let fy = (y - self.y0) * self.inv;
        // Also false for NaN.
        if !(fx >= 0.0 && fy >= 0.0 && fx < self.nx as f64 && fy < self.ny as f64) {
            return NONE;
        }
        let (c, r) = (fx as usize, fy as usize);
        let v = self.cells.get(r * self.nx + c);
        if v < BOUNDARY {
            return v.wrapping_sub(1);
        }
        self.locate_in(
            &self.boundary[(v & !BOUNDARY) as usize],
            c,
            r,
            Coord { x, y },
        )
    }

    /// [`PolygonGrid::locate`] for a run of points into `out`, with `none`
    /// for a point in no polygon. The points go in blocks: first every
    /// point's cell, then every cell's value, then the answers. The reads of
    /// a block's cells do not wait on each other's branches, so the memory
    /// serves them together rather than one after the other.
    ///
    /// ```
    /// use geo_types::{polygon, MultiPolygon};
    /// use lagesbild::engine::PolygonGrid;
    ///
    /// let square = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 2.0)]]);
    /// let grid = PolygonGrid::new(vec![square]);
    /// let (xs, ys) = ([1.0, 2.0, 3.0, f64::NAN], [1.0, 1.0, 1.0, 1.0]);
    /// let mut out = [0; 4];
    /// grid.locate_many(&xs, &ys, 9, &mut out);
    /// assert_eq!(out, [0, 0, 9, 9]);
    /// ```
    pub fn locate_many(&self, xs: &[f64], ys: &[f64], none: u32, out: &mut [u32]) {
        const BLOCK: usize = 32;
        if self.nx == 0 {
            // No edges: no polygon holds any point.
            out.fill(none);
            return;
        }
        let (nxf, nyf) = (self.nx as f64, self.ny as f64);
        for ((o, x), y) in out
            .chunks_mut(BLOCK)
            .zip(xs.chunks(BLOCK))
            .zip(ys.chunks(BLOCK))
        {
            let n = o.len().min(x.len()).min(y.len());
            let mut at = [0usize; BLOCK];
            let mut ok = [false; BLOCK];
            for k in 0..n {
                let fx = (x[k] - self.x0) * self.inv;
                let fy = (y[k] - self.y0) * self.inv;
                // Also false for NaN.
                let inside = fx >= 0.0 && fy >= 0.0 && fx < nxf && fy < nyf;
                ok[k] = inside;
                at[k] = if inside {
                    fy as usize * self.nx + fx as usize
                } else {
                    0
                };
            }
            let mut v = [OUTSIDE; BLOCK];
            for k in 0..n {
                let c = self.cells.get(at[k]);
                v[k] = if ok[k] { c } else { OUTSIDE };
            }
            for k in 0..n {
                let r = if v[k] < BOUNDARY {
                    v[k].wrapping_sub(1)
                } else {
                    self.locate_in(
                        &self.boundary[(v[k] & !BOUNDARY) as usize],
                        at[k] % self.nx,
                        at[k] / self.nx,
                        Coord { x: x[k], y: y[k] },
                    )
                };
                o[k] = if r == NONE { none } else { r };
            }
        }
    }

    fn locate_in(&self, cell: &BoundaryCell, c: usize, r: usize, q: Coord<f64>) -> u32 {
        if cell.exact {
            return self.exact(q);
        }
        let centre = Coord {
            x: self.x0 + (c as f64 + 0.5) * self.size,
            y: self.y0 + (r as f64 + 0.5) * self.size,
        };
        let corner = Coord {
            x: q.x,
            y: centre.y,
        };
        let edges = &self.edges[cell.edges.0 as usize..cell.edges.1 as usize];
        let mut set: [u32; 8] = [0; 8];
        let mut inside: [bool; 8] = [false; 8];
        let mut n = 0;
        for &p in &self.sets[cell.set.0 as usize..cell.set.1 as usize] {
            if n == 8 {
                return self.exact(q);
            }
            set[n] = p;
            inside[n] = true;
            n += 1;
        }
        let (left, right) = if corner.x < centre.x {
            (corner, centre)
        } else {
            (centre, corner)
        };
        for e in edges {
            if on_edge(e, q) {
                return self.exact(q);
            }
            let mut flips = 0;
            if left.x != right.x {
                match cross_horizontal(e, left, right) {
                    Cross::No => {}
                    Cross::Yes => flips += 1,
                    Cross::Degenerate => return self.exact(q),
                }
            }
            if corner.y != q.y {
                match cross_vertical(e, corner, q) {
                    Cross::No => {}
                    Cross::Yes => flips += 1,
                    Cross::Degenerate => return self.exact(q),
                }
            }
            if flips % 2 == 1 {
                match set[..n].iter().position(|&p| p == e.poly) {
                    Some(i) => inside[i] = !inside[i],
                    None => {
                        if n == 8 {
                            return self.exact(q);
                        }
                        set[n] = e.poly;
                        inside[n] = true;
                        n += 1;
                    }
                }
            }
        }
        (0..n)
            .filter(|&i| inside[i])
            .map(|i| set[i])
            .min()
            .unwrap_or(NONE)
    }

    /// Cells across and down, and how many are boundary cells (for tuning
    /// and the benchmark notes).
    pub fn shape(&self) -> (usize, usize, usize) {
        (self.nx, self.ny, self.boundary.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{polygon, MultiPolygon};

    fn square(x: f64, y: f64, s: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x, y: y),
            (x: x + s, y: y),
            (x: x + s, y: y + s),
            (x: x, y: y + s),
        ]])
    }

    #[test]
    fn shared_edges_and_vertices_go_to_the_lower_index() {
        let g = PolygonGrid::new(vec![square(0.0, 0.0, 1.0), square(1.0, 0.0, 1.0)]);
        assert_eq!(g.locate(0.5, 0.5), 0);
        assert_eq!(g.locate(1.5, 0.5), 1);
        assert_eq!(g.locate(1.0, 0.5), 0); // the shared edge
        assert_eq!(g.locate(2.0, 0.5), 1); // the outer boundary is inside
        assert_eq!(g.locate(1.0, 1.0), 0); // the shared vertex
        assert_eq!(g.locate(2.0 + 1e-12, 0.5), NONE);
        assert_eq!(g.locate(f64::NAN, 0.5), NONE);
    }

    /// The answer of `locate_many` is `locate`'s, point by point, block
    /// edges, points on edges and vertices, NaN and far points included.
    fn same_as_one_by_one(g: &PolygonGrid, xs: &[f64], ys: &[f64]) {
        let mut many = vec![7; xs.len()];
        g.locate_many(xs, ys, 99, &mut many);
        let one: Vec<u32> = xs
            .iter()
            .zip(ys)
            .map(|(&x, &y)| match g.locate(x, y) {
                NONE => 99,
                r => r,
            })
            .collect();
        assert_eq!(many, one);
    }

    #[test]
    fn points_in_blocks_answer_as_one_by_one() {
        let donut = MultiPolygon(vec![polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 4.0, y: 4.0), (x: 6.0, y: 4.0), (x: 6.0, y: 6.0), (x: 4.0, y: 6.0)]],
        )]);
        let g = PolygonGrid::new(vec![square(5.0, 5.0, 10.0), donut, square(20.0, 0.0, 3.0)]);
        // A lattice at quarter units: many points on edges and vertices.
        let (mut xs, mut ys) = (vec![], vec![]);
        for i in 0..101 {
            for j in 0..70 {
                xs.push(-1.0 + 0.25 * i as f64);
                ys.push(-1.0 + 0.25 * j as f64);
            }
        }
        xs.extend([f64::NAN, 1.0, f64::INFINITY, -1e300]);
        ys.extend([1.0, f64::NAN, 1.0, 5.0]);
        same_as_one_by_one(&g, &xs, &ys);
        // Hand-checked: the overlap goes to the square, the hole is empty.
        let mut out = [0; 4];
        g.locate_many(&[8.0, 5.0, 1.0, 21.0], &[8.0, 4.5, 1.0, 1.0], 99, &mut out);
        assert_eq!(out, [0, 99, 1, 2]);
        // Fewer points than a block, and none at all.
        same_as_one_by_one(&g, &xs[..5], &ys[..5]);
        same_as_one_by_one(&g, &[], &[]);
        // No edges: nothing anywhere.
        let empty = PolygonGrid::new(vec![MultiPolygon(vec![])]);
        same_as_one_by_one(&empty, &xs[..40], &ys[..40]);
    }

    #[test]
    fn more_polygons_than_two_byte_cells_hold() {
        // 200 × 170 unit squares: 34 000 polygons, beyond 32 767.
        let polys: Vec<_> = (0..34_000)
            .map(|k| square((k % 200) as f64, (k / 200) as f64, 1.0))
            .collect();
        let g = PolygonGrid::with_density(polys, 1);
        assert!(matches!(g.cells, Cells::Wide(_)));
        let xs: Vec<f64> = (0..34_000).map(|k| (k % 200) as f64 + 0.5).collect();
        let ys: Vec<f64> = (0..34_000).map(|k| (k / 200) as f64 + 0.5).collect();
        let mut out = vec![0; xs.len()];
        g.locate_many(&xs, &ys, NONE, &mut out);
        assert!(out.iter().enumerate().all(|(k, &r)| r == k as u32));
        same_as_one_by_one(&g, &xs, &ys);
        let small = PolygonGrid::new(vec![square(0.0, 0.0, 1.0)]);
        assert!(matches!(small.cells, Cells::Narrow(_)));
    }

    #[test]
    fn holes_and_overlaps() {
        let donut = MultiPolygon(vec![polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 4.0, y: 4.0), (x: 6.0, y: 4.0), (x: 6.0, y: 6.0), (x: 4.0, y: 6.0)]],
        )]);
        let g = PolygonGrid::new(vec![square(5.0, 5.0, 10.0), donut]);
        assert_eq!(g.locate(1.0, 1.0), 1);
        assert_eq!(g.locate(4.5, 4.5), NONE); // in the hole
        assert_eq!(g.locate(5.5, 5.5), 0); // in the hole, but in the square
        assert_eq!(g.locate(8.0, 8.0), 0); // the overlap: the lower index
        assert_eq!(g.locate(4.0, 5.0), 1); // the hole's edge belongs to the donut
    }
}
