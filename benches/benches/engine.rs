//! The engine's workloads on the real stadsdelar (W1–W4 of the side-by-side
//! suite in `benchmarks/`, at sizes criterion can repeat).
//!
//! Run with `cargo bench -p lagesbild-benches` (needs `../shared/data/stockholm/`).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use lagesbild::engine;
use lagesbild_benches::{points, routes, stockholm};

fn workloads(c: &mut Criterion) {
    let Some(dir) = stockholm() else {
        eprintln!("skipping the engine benchmarks: ../shared/data/stockholm/ is not there");
        return;
    };
    let areas = lagesbild::io::read(&dir.join("stadsdelar.shp"), &Default::default()).unwrap();
    let water = lagesbild::io::read(&dir.join("vatten.shp"), &Default::default()).unwrap();
    let bounds = areas.bounds().unwrap();
    let (xs, ys) = points(1_000_000, bounds, 1);
    let lines = routes(60, bounds, areas.crs(), 2);
    let band = engine::buffer(&water, 100.0, 8).unwrap();

    // The same areas as a new layer: nothing kept, as after a fresh read.
    let fresh = || {
        lagesbild::Layer::new(
            areas.name(),
            areas.geometries().to_vec(),
            areas.attributes().clone(),
            areas.crs().clone(),
        )
        .unwrap()
    };

    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    // Warm: the areas' indexes are kept with the layer after the first call.
    g.bench_function("W1 assign 1M points to 117 stadsdelar", |b| {
        b.iter(|| engine::assign_xy(&xs, &ys, &areas).unwrap())
    });
    g.bench_function("W1 assign 1M points to 117 stadsdelar, cold", |b| {
        b.iter_batched(
            fresh,
            |a| engine::assign_xy(&xs, &ys, &a).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("W2 overlay_area water+100 m x stadsdelar", |b| {
        b.iter(|| engine::overlay_area(&band, &areas).unwrap())
    });
    g.bench_function("W3 within_distance 150 m, 1M points, 60 routes", |b| {
        b.iter(|| engine::within_distance(engine::Points::Xy(&xs, &ys), &lines, 150.0).unwrap())
    });
    g.bench_function("W4 length_within 60 routes x stadsdelar", |b| {
        b.iter(|| engine::length_within(&lines, &areas).unwrap())
    });
    g.bench_function("W4 length_within 60 routes x stadsdelar, cold", |b| {
        b.iter_batched(
            fresh,
            |a| engine::length_within(&lines, &a).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, workloads);
criterion_main!(benches);
