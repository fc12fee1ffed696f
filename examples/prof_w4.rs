use std::time::Instant;
fn main() {
    let lines = lagesbild::io::read(
        "/work/wt-bench/benchmarks/data/routes.parquet".as_ref(),
        &Default::default(),
    )
    .unwrap();
    let a = lagesbild::io::read(
        "../shared/data/stockholm/stadsdelar.shp".as_ref(),
        &Default::default(),
    )
    .unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        let r = lagesbild::engine::length_within(&lines, &a).unwrap();
        println!("length_within {:?} {}", t.elapsed(), r.len());
        let t = Instant::now();
        let v = a.validity_report();
        println!("validity {:?} {}", t.elapsed(), v.len());
    }
}
