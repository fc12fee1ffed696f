//! Hotspots: Gi* against a formula written out over an explicit weight
//! matrix (random grids, values and study masks, property tests), the same
//! answer on one thread and two, and the grid over the real stadsdelar and
//! water: every point counted in the study cell that holds it.

use geo_types::{Geometry, Rect};
use lagesbild::engine::{
    assign_xy, benjamini_hochberg, getis_ord_star, grid_counts, hotspots, set_threads, threads,
    CellGrid, Points, NONE,
};
use lagesbild::io::{read, ReadOptions};
use lagesbild::{Crs, Layer};
use polars::prelude::DataFrame;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use crate::fixtures::stockholm;

fn config() -> Config {
    let mut c = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = 256;
    }
    c.failure_persistence = None;
    if c.rng_seed == RngSeed::Random {
        c.rng_seed = RngSeed::Fixed(13);
    }
    c
}

/// Gi* as Getis and Ord write it, with the weights as a full matrix over
/// the study cells: w_ij = 1 when j is i or one of its eight neighbours.
fn naive(values: &[f64], study: &[bool], nx: usize) -> Vec<f64> {
    let cells: Vec<usize> = (0..values.len()).filter(|&i| study[i]).collect();
    let n = cells.len() as f64;
    let x: Vec<f64> = cells.iter().map(|&i| values[i]).collect();
    let mean = x.iter().sum::<f64>() / n;
    let s = (x.iter().map(|v| v * v).sum::<f64>() / n - mean * mean).sqrt();
    cells
        .iter()
        .map(|&i| {
            let (ci, ri) = ((i % nx) as i64, (i / nx) as i64);
            let w: Vec<f64> = cells
                .iter()
                .map(|&j| {
                    let (cj, rj) = ((j % nx) as i64, (j / nx) as i64);
                    f64::from((ci - cj).abs() <= 1 && (ri - rj).abs() <= 1)
                })
                .collect();
            let sw: f64 = w.iter().sum();
            let s1: f64 = w.iter().map(|v| v * v).sum();
            let lag: f64 = w.iter().zip(&x).map(|(w, x)| w * x).sum();
            let var = (n * s1 - sw * sw) / (n - 1.0);
            if s > 0.0 && var > 0.0 {
                (lag - mean * sw) / (s * var.sqrt())
            } else {
                f64::NAN
            }
        })
        .collect()
}

fn grid_of(nx: usize, ny: usize) -> CellGrid {
    CellGrid {
        x0: 0.0,
        y0: 0.0,
        cell: 1.0,
        nx,
        ny,
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn gi_star_is_the_formula_over_the_weight_matrix(
        (nx, ny, values, study) in (1usize..12, 1usize..12).prop_flat_map(|(nx, ny)| {
            (Just(nx), Just(ny), vec(0u32..30, nx * ny), vec(prop::bool::weighted(0.8), nx * ny))
        })
    ) {
        let values: Vec<f64> = values.into_iter().map(f64::from).collect();
        let gi = getis_ord_star(&values, &study, &grid_of(nx, ny)).unwrap();
        let expect = naive(&values, &study, nx);
        prop_assert_eq!(gi.z.len(), expect.len());
        for (a, b) in gi.z.iter().zip(&expect) {
            prop_assert!((a.is_nan() && b.is_nan()) || (a - b).abs() < 1e-9, "{} vs {}", a, b);
        }
        let q = benjamini_hochberg(&gi.p);
        prop_assert!(q.iter().zip(&gi.p).all(|(q, p)| *q >= p * (1.0 - 1e-12) && *q <= 1.0));
    }
}

fn seeded_points(n: usize, bounds: (f64, f64, f64, f64), seed: u64) -> (Vec<f64>, Vec<f64>) {
    // A small xorshift: the same points every run, no extra dependency.
    let mut s = seed;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let (x0, y0, x1, y1) = bounds;
    (0..n)
        .map(|_| (x0 + (x1 - x0) * next(), y0 + (y1 - y0) * next()))
        .unzip()
}

#[test]
fn the_same_answer_on_one_thread_and_two() {
    let square = Rect::new((0.0, 0.0), (3000.0, 2000.0)).to_polygon();
    let land = Layer::new(
        "land",
        vec![Some(Geometry::Polygon(square))],
        DataFrame::empty(),
        Crs::from_epsg(3011).unwrap(),
    )
    .unwrap();
    let (xs, ys) = seeded_points(300_000, (0.0, 0.0, 3000.0, 2000.0), 7);
    let before = threads();
    set_threads(1).unwrap();
    let one = hotspots(Points::Xy(&xs, &ys), &land, None, 50.0).unwrap();
    set_threads(2).unwrap();
    let two = hotspots(Points::Xy(&xs, &ys), &land, None, 50.0).unwrap();
    set_threads(before).unwrap();
    assert_eq!(one.count, two.count);
    assert_eq!(one.gi.z.len(), two.gi.z.len());
    assert!(one
        .gi
        .z
        .iter()
        .zip(&two.gi.z)
        .all(|(a, b)| a == b || (a.is_nan() && b.is_nan())));
    assert_eq!(
        one.count.iter().map(|&c| c as usize).sum::<usize>(),
        xs.len()
    );
}

#[test]
fn stockholm_points_are_counted_in_the_land_cell_that_holds_them() {
    let Some(dir) = stockholm() else { return };
    let areas = read(&dir.join("stadsdelar.shp"), &ReadOptions::default()).unwrap();
    let water = read(&dir.join("vatten.shp"), &ReadOptions::default())
        .unwrap()
        .to_crs(areas.crs())
        .unwrap();
    let (xs, ys) = seeded_points(200_000, areas.bounds().unwrap(), 11);
    let h = hotspots(Points::Xy(&xs, &ys), &areas, Some(&water), 100.0).unwrap();
    // Each point goes to its cell when that cell's centre is on land and not in the water.
    let grid = h.grid;
    let all = grid_counts(Points::Xy(&xs, &ys), &grid).unwrap();
    let (cx, cy) = grid.centres();
    let land = assign_xy(&cx, &cy, &areas).unwrap();
    let wet = assign_xy(&cx, &cy, &water).unwrap();
    let study: Vec<u32> = (0..grid.len())
        .filter(|&i| land[i] != NONE && wet[i] == NONE)
        .map(|i| i as u32)
        .collect();
    assert_eq!(h.cells, study);
    let expect: Vec<u32> = study.iter().map(|&i| all[i as usize]).collect();
    assert_eq!(h.count, expect);
    // Stockholm's land at 100 m: about 18,800 cells (188 km² of land).
    assert!(
        (17_000..21_000).contains(&h.cells.len()),
        "{}",
        h.cells.len()
    );
}
