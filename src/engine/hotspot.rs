//! Hotspots of points on a regular grid: counts per cell and the local
//! Getis–Ord statistic Gi* with a false-discovery-rate correction.
//!
//! The method, each step a public function:
//!
//! 1. [`CellGrid::covering`]: square cells of `cell` metres over a box,
//!    their edges on multiples of the cell size (so the same city and cell
//!    size always give the same cells).
//! 2. [`study_cells`]: the study area is the cells whose **centre** lies in
//!    an area and not in the water. A cell in the water or outside the city
//!    cannot hold an incident; counting it as a zero would make all land
//!    look hot.
//! 3. [`grid_counts`]: the points per cell, in parallel (a point outside
//!    the grid, or with a non-finite coordinate, is counted nowhere).
//! 4. [`getis_ord_star`]: Gi* of each study cell (Getis & Ord 1992, Ord &
//!    Getis 1995) with binary queen-contiguity weights **including the cell
//!    itself**, over study cells only:
//!
//!    `z_i = (Σ_j w_ij x_j − x̄ W_i) / (S √((n W_i − W_i²) / (n − 1)))`,
//!
//!    where `n` is the number of study cells, `x̄` and
//!    `S = √(Σ x² / n − x̄²)` the mean and standard deviation of their
//!    counts, and `W_i` the number of study cells in the 3 × 3 block around
//!    `i` (itself included; binary weights, so `Σ w² = W_i`). This is
//!    `esda.G_Local(y, w, transform="B", star=True).Zs`. The p-value is
//!    two-sided from the normal approximation, `erfc(|z| / √2)`. Where the
//!    variance is zero (all counts equal, or a cell whose block is the
//!    whole study area) `z` is NaN and `p` is 1.
//! 5. [`benjamini_hochberg`]: the p-values adjusted for the false discovery
//!    rate over all study cells (`q`); a cell is a hotspot at level `α` when
//!    `q < α` and `z > 0`.
//!
//! Coordinates and cell sizes are in the layers' projected CRS, in metres.

use geo_types::{coord, Geometry, Rect};
use polars::prelude::DataFrame;
use rayon::prelude::*;

use super::assign::{area_index, locate_all, Points};
use super::checks;
use super::grid::NONE;
use crate::{Crs, Layer, Result};

/// Points per parallel task of [`grid_counts`].
const CHUNK: usize = 1 << 16;

/// A regular grid of square cells, row by row from the south-west corner:
/// cell `(col, row)` is number `row * nx + col` and covers
/// `[x0 + col·cell, x0 + (col+1)·cell) × [y0 + row·cell, y0 + (row+1)·cell)`.
///
/// # Examples
///
/// ```
/// use lagesbild::engine::CellGrid;
///
/// let grid = CellGrid::covering((120.0, 40.0, 390.0, 210.0), 100.0).unwrap();
/// assert_eq!((grid.x0, grid.y0, grid.nx, grid.ny), (100.0, 0.0, 3, 3));
/// assert_eq!(grid.cell_of(150.0, 250.0), Some(6)); // column 0, row 2
/// assert_eq!(grid.centre(6), (150.0, 250.0));
/// assert_eq!(grid.cell_of(99.0, 50.0), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellGrid {
    /// West edge of the first column, metres.
    pub x0: f64,
    /// South edge of the first row, metres.
    pub y0: f64,
    /// The side of a cell, metres.
    pub cell: f64,
    /// Number of columns.
    pub nx: usize,
    /// Number of rows.
    pub ny: usize,
}

/// At most this many cells in a grid (a 100 m grid over all of Sweden
/// has about 10 million on land; this bounds a mistaken cell size).
pub const MAX_CELLS: usize = 200_000_000;

impl CellGrid {
    /// The grid of `cell`-metre cells covering the box
    /// `(xmin, ymin, xmax, ymax)`, its edges on multiples of `cell`.
    pub fn covering(bounds: (f64, f64, f64, f64), cell: f64) -> Result<CellGrid> {
        let (xmin, ymin, xmax, ymax) = bounds;
        crate::ensure!(
            cell.is_finite() && cell > 0.0,
            "hotspots: the cell size must be a positive number of metres, not {cell}"
        );
        crate::ensure!(
            [xmin, ymin, xmax, ymax].iter().all(|v| v.is_finite()) && xmin <= xmax && ymin <= ymax,
            "hotspots: the box to cover must be finite with min <= max, not {bounds:?}"
        );
        let x0 = (xmin / cell).floor() * cell;
        let y0 = (ymin / cell).floor() * cell;
        // A box edge on a cell edge still needs the cell beyond it (cells are half-open).
        let nx = ((xmax - x0) / cell).floor() as usize + 1;
        let ny = ((ymax - y0) / cell).floor() as usize + 1;
        crate::ensure!(
            nx.saturating_mul(ny) <= MAX_CELLS,
            "hotspots: {nx} × {ny} cells of {cell} m is more than {MAX_CELLS}; use larger cells"
        );
        Ok(CellGrid {
            x0,
            y0,
            cell,
            nx,
            ny,
        })
    }

    /// The number of cells.
    pub fn len(&self) -> usize {
        self.nx * self.ny
    }

    /// Whether the grid has no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cell holding `(x, y)`, or `None` outside the grid (or for a
    /// non-finite coordinate).
    #[inline]
    pub fn cell_of(&self, x: f64, y: f64) -> Option<usize> {
        let fx = ((x - self.x0) / self.cell).floor();
        let fy = ((y - self.y0) / self.cell).floor();
        // NaN fails both comparisons.
        if fx >= 0.0 && fy >= 0.0 && fx < self.nx as f64 && fy < self.ny as f64 {
            Some(fy as usize * self.nx + fx as usize)
        } else {
            None
        }
    }

    /// The centre of cell `i`.
    pub fn centre(&self, i: usize) -> (f64, f64) {
        let (col, row) = (i % self.nx, i / self.nx);
        (
            self.x0 + (col as f64 + 0.5) * self.cell,
            self.y0 + (row as f64 + 0.5) * self.cell,
        )
    }

    /// The centres of all cells, as `x` and `y` columns.
    pub fn centres(&self) -> (Vec<f64>, Vec<f64>) {
        (0..self.len()).map(|i| self.centre(i)).unzip()
    }

    /// The square of each of `cells` as a polygon layer (no attributes),
    /// for maps.
    ///
    /// # Examples
    ///
    /// ```
    /// use lagesbild::engine::CellGrid;
    /// use lagesbild::Crs;
    ///
    /// let grid = CellGrid::covering((0.0, 0.0, 250.0, 50.0), 100.0).unwrap();
    /// let layer = grid.cell_layer("cells", &[2], Crs::from_epsg(3011).unwrap()).unwrap();
    /// assert_eq!(layer.bounds(), Some((200.0, 0.0, 300.0, 100.0)));
    /// ```
    pub fn cell_layer(&self, name: &str, cells: &[u32], crs: Crs) -> Result<Layer> {
        let geometries = cells
            .iter()
            .map(|&i| {
                crate::ensure!(
                    (i as usize) < self.len(),
                    "hotspots: cell {i} is not in a grid of {} cells",
                    self.len()
                );
                let (cx, cy) = self.centre(i as usize);
                let h = self.cell / 2.0;
                let rect = Rect::new(
                    coord! { x: cx - h, y: cy - h },
                    coord! { x: cx + h, y: cy + h },
                );
                Ok(Some(Geometry::Polygon(rect.to_polygon())))
            })
            .collect::<Result<Vec<_>>>()?;
        Layer::new(name, geometries, DataFrame::empty(), crs)
    }
}

/// The study area: for each cell of `grid`, whether its centre lies in one
/// of `areas` and in none of `water` (when given). Both layers must be
/// valid polygons in one projected CRS.
///
/// # Examples
///
/// ```
/// use geo_types::{Geometry, Rect, coord};
/// use lagesbild::engine::{study_cells, CellGrid};
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::DataFrame;
///
/// let rect = |x0: f64, y0: f64, x1: f64, y1: f64| Some(Geometry::Polygon(Rect::new(coord! { x: x0, y: y0 }, coord! { x: x1, y: y1 }).to_polygon()));
/// let crs = Crs::from_epsg(3011).unwrap();
/// let land = Layer::new("land", vec![rect(0.0, 0.0, 300.0, 100.0)], DataFrame::empty(), crs.clone()).unwrap();
/// let lake = Layer::new("lake", vec![rect(200.0, 0.0, 300.0, 100.0)], DataFrame::empty(), crs).unwrap();
/// let grid = CellGrid::covering((0.0, 0.0, 399.0, 99.0), 100.0).unwrap();
/// assert_eq!(study_cells(&grid, &land, Some(&lake)).unwrap(), vec![true, true, false, false]);
/// ```
pub fn study_cells(grid: &CellGrid, areas: &Layer, water: Option<&Layer>) -> Result<Vec<bool>> {
    areas.require_metric("hotspots")?;
    checks::non_empty(areas, "hotspots")?;
    let (xs, ys) = grid.centres();
    let land = locate_all(&*area_index(areas, "hotspots")?, &xs, &ys);
    let wet = match water {
        Some(w) if !w.is_empty() => {
            checks::metric_pair(areas, w, "hotspots")?;
            locate_all(&*area_index(w, "hotspots")?, &xs, &ys)
        }
        _ => vec![NONE; xs.len()],
    };
    Ok(land
        .iter()
        .zip(&wet)
        .map(|(&a, &w)| a != NONE && w == NONE)
        .collect())
}

/// The number of points in each cell of `grid` (`grid.len()` counts, row
/// by row); points outside the grid are not counted.
///
/// # Examples
///
/// ```
/// use lagesbild::engine::{grid_counts, CellGrid, Points};
///
/// let grid = CellGrid::covering((0.0, 0.0, 199.0, 99.0), 100.0).unwrap();
/// let counts = grid_counts(Points::Xy(&[10.0, 20.0, 150.0, 500.0], &[10.0, 90.0, 50.0, 50.0]), &grid).unwrap();
/// assert_eq!(counts, vec![2, 1]);
/// ```
pub fn grid_counts(points: Points<'_>, grid: &CellGrid) -> Result<Vec<u32>> {
    let (xs, ys) = match points {
        Points::Xy(x, y) => {
            crate::ensure!(
                x.len() == y.len(),
                "hotspots: {} x values but {} y values",
                x.len(),
                y.len()
            );
            (std::borrow::Cow::Borrowed(x), std::borrow::Cow::Borrowed(y))
        }
        Points::Layer(layer) => {
            layer.require_metric("hotspots")?;
            let (x, y) = checks::point_coords(layer, "hotspots")?;
            (std::borrow::Cow::Owned(x), std::borrow::Cow::Owned(y))
        }
    };
    let n = grid.len();
    let count_chunk = |acc: &mut Vec<u32>, (x, y): (&[f64], &[f64])| {
        for (&x, &y) in x.iter().zip(y) {
            if let Some(c) = grid.cell_of(x, y) {
                acc[c] += 1;
            }
        }
    };
    if xs.len() <= CHUNK {
        let mut out = vec![0u32; n];
        count_chunk(&mut out, (&xs, &ys));
        return Ok(out);
    }
    // One histogram per task, added up: memory-bound, no atomics.
    let out = super::install(|| {
        xs.par_chunks(CHUNK)
            .zip(ys.par_chunks(CHUNK))
            .fold(
                || vec![0u32; n],
                |mut acc, chunk| {
                    count_chunk(&mut acc, chunk);
                    acc
                },
            )
            .reduce(
                || vec![0u32; n],
                |mut a, b| {
                    a.iter_mut().zip(&b).for_each(|(a, b)| *a += b);
                    a
                },
            )
    });
    Ok(out)
}

/// Gi* of each study cell: z-score and two-sided p-value from the normal
/// approximation (see the module docs for the formula).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GiStar {
    /// The z-score of each study cell (NaN where the variance is zero).
    pub z: Vec<f64>,
    /// The two-sided p-value, `erfc(|z| / √2)` (1 where `z` is NaN).
    pub p: Vec<f64>,
}

/// Gi* over the study cells of `grid` (`study[i]` for cell `i`), with
/// `values[i]` the value of cell `i`; binary queen weights including the
/// cell itself, among study cells only. The result has one entry per
/// study cell, in cell order.
///
/// # Examples
///
/// A 3 × 1 strip with counts 0, 0, 3: the east cell's block is itself and
/// the middle cell (`W = 2`, sum 3); `n = 3`, `x̄ = 1`, `S = √2`:
/// `z = (3 − 2) / (√2 · √((3·2 − 4) / 2)) = 1 / √2`.
///
/// ```
/// use lagesbild::engine::{getis_ord_star, CellGrid};
///
/// let grid = CellGrid { x0: 0.0, y0: 0.0, cell: 1.0, nx: 3, ny: 1 };
/// let gi = getis_ord_star(&[0.0, 0.0, 3.0], &[true; 3], &grid).unwrap();
/// assert!((gi.z[2] - 1.0 / 2f64.sqrt()).abs() < 1e-12);
/// assert!(gi.z[1].is_nan() && gi.p[1] == 1.0); // its block is the whole study area
/// ```
pub fn getis_ord_star(values: &[f64], study: &[bool], grid: &CellGrid) -> Result<GiStar> {
    crate::ensure!(
        values.len() == grid.len() && study.len() == grid.len(),
        "hotspots: {} values and {} study flags for a grid of {} cells",
        values.len(),
        study.len(),
        grid.len()
    );
    let cells: Vec<usize> = (0..grid.len()).filter(|&i| study[i]).collect();
    let n = cells.len() as f64;
    if cells.is_empty() {
        return Ok(GiStar::default());
    }
    let (sum, sum_sq) = cells.iter().fold((0.0, 0.0), |(s, q), &i| {
        (s + values[i], q + values[i] * values[i])
    });
    let mean = sum / n;
    let sd = (sum_sq / n - mean * mean).max(0.0).sqrt();
    let (nx, ny) = (grid.nx as isize, grid.ny as isize);
    let one = |&i: &usize| -> (f64, f64) {
        let (col, row) = ((i % grid.nx) as isize, (i / grid.nx) as isize);
        let (mut w, mut lag) = (0.0, 0.0);
        for dr in -1..=1 {
            for dc in -1..=1 {
                let (c, r) = (col + dc, row + dr);
                if c < 0 || r < 0 || c >= nx || r >= ny {
                    continue;
                }
                let j = (r * nx + c) as usize;
                if study[j] {
                    w += 1.0;
                    lag += values[j];
                }
            }
        }
        let var = (n * w - w * w) / (n - 1.0);
        let z = if sd > 0.0 && var > 0.0 {
            (lag - mean * w) / (sd * var.sqrt())
        } else {
            f64::NAN
        };
        let p = if z.is_nan() {
            1.0
        } else {
            libm::erfc(z.abs() / std::f64::consts::SQRT_2)
        };
        (z, p)
    };
    let (z, p) = super::install(|| cells.par_iter().with_min_len(4096).map(one).unzip());
    Ok(GiStar { z, p })
}

/// The Benjamini–Hochberg adjusted p-values (q-values) of `p`, in the same
/// order: `q_(k) = min over j ≥ k of min(1, m · p_(j) / j)` for the p-values
/// sorted ascending, `m` of them. Rejecting where `q < α` controls the
/// false discovery rate at `α` (for independent or positively dependent
/// tests).
///
/// # Examples
///
/// ```
/// use lagesbild::engine::benjamini_hochberg;
///
/// let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.5]);
/// assert_eq!(q, vec![0.04, 0.04 * 4.0 / 3.0, 0.04 * 4.0 / 3.0, 0.5]);
/// ```
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let mut q = vec![1.0; m];
    let mut running = 1.0_f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        let adjusted = if p[i].is_nan() {
            1.0
        } else {
            p[i] * m as f64 / (rank + 1) as f64
        };
        running = running.min(adjusted).min(1.0);
        q[i] = running;
    }
    q
}

/// The result of [`hotspots`]: one entry per study cell, in cell order.
#[derive(Clone, Debug)]
pub struct Hotspots {
    /// The grid the cells belong to.
    pub grid: CellGrid,
    /// Each study cell's number in the grid (`row * nx + col`).
    pub cells: Vec<u32>,
    /// The points in each study cell.
    pub count: Vec<u32>,
    /// Gi* z-score and two-sided p-value.
    pub gi: GiStar,
    /// The Benjamini–Hochberg adjusted p-value over the study cells.
    pub q: Vec<f64>,
}

/// Points counted on a grid of `cell`-metre cells over `areas`, and Gi*
/// with the false-discovery-rate correction on the study cells (centre in
/// an area, not in `water`). See the module docs for the method. Points
/// outside the study cells are not counted.
///
/// # Examples
///
/// A square kilometre of land in 100 m cells, one point in every cell and
/// 200 more in the south-west corner: the corner is hot, the far corner
/// is not.
///
/// ```
/// use geo_types::{Geometry, Rect, coord};
/// use lagesbild::engine::{hotspots, Points};
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::DataFrame;
///
/// let square = Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 1000.0, y: 1000.0 }).to_polygon();
/// let land = Layer::new("land", vec![Some(Geometry::Polygon(square))], DataFrame::empty(), Crs::from_epsg(3011).unwrap()).unwrap();
/// let (mut xs, mut ys) = (vec![50.0; 200], vec![50.0; 200]);
/// for i in 0..100 {
///     xs.push(50.0 + 100.0 * (i % 10) as f64);
///     ys.push(50.0 + 100.0 * (i / 10) as f64);
/// }
/// let h = hotspots(Points::Xy(&xs, &ys), &land, None, 100.0).unwrap();
/// assert_eq!(h.cells.len(), 100); // the box's east and north edges add no study cell
/// assert_eq!(h.count[0], 201);
/// assert!(h.gi.z[0] > 4.0 && h.q[0] < 0.01);
/// assert!(h.gi.z[99] < 0.0 && h.q[99] > 0.05);
/// ```
pub fn hotspots(
    points: Points<'_>,
    areas: &Layer,
    water: Option<&Layer>,
    cell: f64,
) -> Result<Hotspots> {
    if let Points::Layer(p) = points {
        checks::same_crs(p, areas, "hotspots")?;
    }
    let (grid, study) = study_area(areas, water, cell)?;
    hotspots_on(points, &grid, &study)
}

/// The grid of `cell`-metre cells over `areas` and its study cells
/// ([`CellGrid::covering`] of the areas' bounds, then [`study_cells`]):
/// the part of [`hotspots`] that depends on the areas alone, so that it can
/// be kept for many point sets.
///
/// # Examples
///
/// ```
/// use geo_types::{Geometry, Rect, coord};
/// use lagesbild::engine::study_area;
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::DataFrame;
///
/// let square = Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 200.0, y: 100.0 }).to_polygon();
/// let land = Layer::new("land", vec![Some(Geometry::Polygon(square))], DataFrame::empty(), Crs::from_epsg(3011).unwrap()).unwrap();
/// let (grid, study) = study_area(&land, None, 100.0).unwrap();
/// assert_eq!((grid.nx, grid.ny), (3, 2));
/// assert_eq!(study.iter().filter(|s| **s).count(), 2);
/// ```
pub fn study_area(
    areas: &Layer,
    water: Option<&Layer>,
    cell: f64,
) -> Result<(CellGrid, Vec<bool>)> {
    checks::non_empty(areas, "hotspots")?;
    let bounds = areas.bounds().unwrap_or((0.0, 0.0, 0.0, 0.0));
    let grid = CellGrid::covering(bounds, cell)?;
    let study = study_cells(&grid, areas, water)?;
    Ok((grid, study))
}

/// [`hotspots`] on a grid and study area already made ([`study_area`]).
///
/// # Examples
///
/// ```
/// use lagesbild::engine::{hotspots_on, CellGrid, Points};
///
/// let grid = CellGrid { x0: 0.0, y0: 0.0, cell: 10.0, nx: 3, ny: 1 };
/// let h = hotspots_on(Points::Xy(&[5.0, 5.0, 15.0, 25.0], &[5.0; 4]), &grid, &[true, true, false]).unwrap();
/// assert_eq!((h.cells, h.count), (vec![0, 1], vec![2, 1]));
/// ```
pub fn hotspots_on(points: Points<'_>, grid: &CellGrid, study: &[bool]) -> Result<Hotspots> {
    crate::ensure!(
        study.len() == grid.len(),
        "hotspots: {} study flags for a grid of {} cells",
        study.len(),
        grid.len()
    );
    let all = grid_counts(points, grid)?;
    let values: Vec<f64> = all.iter().map(|&c| c as f64).collect();
    let gi = getis_ord_star(&values, study, grid)?;
    let cells: Vec<u32> = (0..grid.len())
        .filter(|&i| study[i])
        .map(|i| i as u32)
        .collect();
    let count = cells.iter().map(|&i| all[i as usize]).collect();
    let q = benjamini_hochberg(&gi.p);
    Ok(Hotspots {
        grid: *grid,
        cells,
        count,
        gi,
        q,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(nx: usize, ny: usize) -> CellGrid {
        CellGrid {
            x0: 0.0,
            y0: 0.0,
            cell: 1.0,
            nx,
            ny,
        }
    }

    #[test]
    fn covering_puts_edges_on_multiples_of_the_cell() {
        let g = CellGrid::covering((-150.0, 1000.0, 150.0, 1000.0), 100.0).unwrap();
        assert_eq!((g.x0, g.y0, g.nx, g.ny), (-200.0, 1000.0, 4, 1));
        assert!(CellGrid::covering((0.0, 0.0, 1.0, 1.0), 0.0).is_err());
        assert!(CellGrid::covering((0.0, 0.0, f64::NAN, 1.0), 1.0).is_err());
        assert!(CellGrid::covering((0.0, 0.0, 1e9, 1e9), 1.0).is_err());
    }

    #[test]
    fn counts_ignore_points_outside_and_nan() {
        let g = full(2, 2);
        let xs = [0.5, 1.5, 1.5, 0.5, -0.1, f64::NAN, 2.0];
        let ys = [0.5, 0.5, 1.5, 1.999, 0.5, 0.5, 0.5];
        assert_eq!(
            grid_counts(Points::Xy(&xs, &ys), &g).unwrap(),
            vec![1, 1, 1, 1]
        );
        // The parallel path gives the same as the serial one.
        let n = 3 * CHUNK + 17;
        let xs: Vec<f64> = (0..n).map(|i| (i % 7) as f64 * 0.3).collect();
        let ys: Vec<f64> = (0..n).map(|i| (i % 5) as f64 * 0.4).collect();
        let mut expect = vec![0u32; 4];
        for (x, y) in xs.iter().zip(&ys) {
            expect[g.cell_of(*x, *y).unwrap()] += 1;
        }
        assert_eq!(grid_counts(Points::Xy(&xs, &ys), &g).unwrap(), expect);
    }

    /// Gi* on a 3 × 3 grid by hand: counts 1..9 row by row, all study cells.
    /// n = 9, x̄ = 5, Σx² = 285, S² = 285/9 − 25 = 20/3.
    /// Corner 0: block {0,1,3,4} → W = 4, sum = 1+2+4+5 = 12;
    /// z = (12 − 20) / (√(20/3) · √((36 − 16)/8)) = −8 / √(50/3).
    #[test]
    fn gi_star_by_hand() {
        let v: Vec<f64> = (1..=9).map(f64::from).collect();
        let gi = getis_ord_star(&v, &[true; 9], &full(3, 3)).unwrap();
        assert!((gi.z[0] - (-8.0 / (50.0f64 / 3.0).sqrt())).abs() < 1e-12);
        // The centre's block is everything: no variance, no z.
        assert!(gi.z[4].is_nan() && gi.p[4] == 1.0);
        // Symmetry: the opposite corner has the opposite z.
        assert!((gi.z[8] + gi.z[0]).abs() < 1e-12);
        let p0 = libm::erfc(gi.z[0].abs() / std::f64::consts::SQRT_2);
        assert_eq!(gi.p[0], p0);
    }

    /// Cells outside the study area are neither counted nor neighbours:
    /// with cell 1 of a 3 × 1 strip masked, cells 0 and 2 stand alone.
    #[test]
    fn masked_cells_are_not_neighbours() {
        let gi = getis_ord_star(&[5.0, 100.0, 1.0], &[true, false, true], &full(3, 1)).unwrap();
        // n = 2, x̄ = 3, S = 2, W = 1: z = (5 − 3) / (2 · √((2 − 1)/1)) = 1.
        assert_eq!(gi.z.len(), 2);
        assert!((gi.z[0] - 1.0).abs() < 1e-12 && (gi.z[1] + 1.0).abs() < 1e-12);
        let none = getis_ord_star(&[1.0], &[false], &full(1, 1)).unwrap();
        assert!(none.z.is_empty());
        assert!(getis_ord_star(&[1.0], &[true, true], &full(1, 1)).is_err());
    }

    #[test]
    fn equal_counts_have_no_z() {
        let gi = getis_ord_star(&[2.0; 16], &[true; 16], &full(4, 4)).unwrap();
        assert!(gi.z.iter().all(|z| z.is_nan()) && gi.p.iter().all(|&p| p == 1.0));
    }

    #[test]
    fn bh_by_hand() {
        // m = 5, sorted 0.001 0.008 0.039 0.041 0.6:
        // raw 0.005 0.02 0.065 0.05125 0.6 → cumulative min from the top.
        let q = benjamini_hochberg(&[0.6, 0.041, 0.001, 0.039, 0.008]);
        let expect = [0.6, 0.05125, 0.005, 0.05125, 0.02];
        for (a, b) in q.iter().zip(expect) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
        assert_eq!(benjamini_hochberg(&[f64::NAN, 0.01]), vec![1.0, 0.02]);
        assert!(benjamini_hochberg(&[]).is_empty());
    }
}
