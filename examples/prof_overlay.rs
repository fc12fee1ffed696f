use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let areas = std::env::args().nth(2).unwrap();
    let z = lagesbild::io::read(path.as_ref(), &Default::default()).unwrap();
    let a = lagesbild::io::read(areas.as_ref(), &Default::default()).unwrap();
    let polys: Vec<_> = z
        .geometries()
        .iter()
        .map(|g| lagesbild::engine::as_mp(g.as_ref().unwrap()))
        .collect();
    for p in &polys {
        let t = Instant::now();
        let g = lagesbild::engine::PolygonGrid::new(vec![p.clone()]);
        println!("grid {:?} {:?}", t.elapsed(), g.shape());
        let t = Instant::now();
        let _ = g.first_crossing(&|_| true);
        println!("fast_problem {:?}", t.elapsed());
    }
    let t = Instant::now();
    let r = lagesbild::engine::overlay_area(&z, &a).unwrap();
    println!("overlay_area {:?} {}", t.elapsed(), r.len());
}
