//! Seeded inputs for the engine benchmarks, made the same way as the
//! side-by-side suite's `benchmarks/make_data.py` (uniform points over the
//! stadsdelar's bounding box; smooth random-walk routes inside it), from
//! the real boundaries in `../shared/data/stockholm/`.

use std::path::PathBuf;

use geo_types::{Coord, Geometry, LineString};
use lagesbild::{Crs, Layer};
use polars::prelude::{Column, DataFrame};

/// The folder of the real Stockholm boundaries, if it is there.
pub fn stockholm() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/stockholm");
    dir.join("stadsdelar.shp").exists().then_some(dir)
}

/// A small, fast, seeded generator (SplitMix64) so the inputs are the same
/// on every run without another dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

/// `n` uniform points over `bounds`.
pub fn points(n: usize, bounds: (f64, f64, f64, f64), seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut r = Rng::new(seed);
    let (x0, y0, x1, y1) = bounds;
    (0..n)
        .map(|_| (r.uniform(x0, x1), r.uniform(y0, y1)))
        .unzip()
}

/// About `n` smooth random walks of 25–200 vertices, 50 m steps, inside
/// `bounds`, with a `klass` column (primary, secondary, rail).
pub fn routes(n: usize, bounds: (f64, f64, f64, f64), crs: &Crs, seed: u64) -> Layer {
    let mut r = Rng::new(seed);
    let (x0, y0, x1, y1) = bounds;
    let mut geoms = Vec::with_capacity(n);
    let mut klass = Vec::with_capacity(n);
    for i in 0..n {
        let len = 25 + (r.next_u64() % 176) as usize;
        let mut p = Coord {
            x: r.uniform(x0, x1),
            y: r.uniform(y0, y1),
        };
        let mut heading = r.uniform(0.0, std::f64::consts::TAU);
        let mut pts = Vec::with_capacity(len);
        for _ in 0..len {
            pts.push(p);
            heading += r.uniform(-0.3, 0.3);
            p.x = (p.x + 50.0 * heading.cos()).clamp(x0, x1);
            p.y = (p.y + 50.0 * heading.sin()).clamp(y0, y1);
        }
        geoms.push(Some(Geometry::LineString(LineString(pts))));
        klass.push(["primary", "secondary", "rail"][i % 3]);
    }
    let df = DataFrame::new(n, vec![Column::new("klass".into(), klass)]).expect("one column");
    Layer::new("routes", geoms, df, crs.clone()).expect("a valid layer")
}
