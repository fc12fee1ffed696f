use lagesbild::io::{read, ReadOptions};
use lagesbild::Crs;

use crate::fixtures::stockholm;

#[test]
fn every_vertex_survives_3011_to_4326_and_back_within_a_millimetre() {
    let Some(dir) = stockholm() else { return };
    let shp = read(&dir.join("stadsdelar.shp"), &ReadOptions::default()).unwrap();
    let back = shp
        .to_crs(&Crs::from_epsg(4326).unwrap())
        .unwrap()
        .to_crs(&Crs::from_epsg(3011).unwrap())
        .unwrap();
    use geo::CoordsIter;
    let mut worst: f64 = 0.0;
    for (a, b) in shp.geometries().iter().zip(back.geometries()) {
        for (p, q) in a
            .as_ref()
            .unwrap()
            .coords_iter()
            .zip(b.as_ref().unwrap().coords_iter())
        {
            worst = worst.max((p.x - q.x).abs()).max((p.y - q.y).abs());
        }
    }
    assert!(worst < 1e-3, "worst round-trip error {worst} m");
}

#[test]
fn geographic_layers_are_refused_for_areas() {
    let Some(dir) = stockholm() else { return };
    let gj = read(
        &dir.join("stadsdelar_simplified.geojson"),
        &ReadOptions::default(),
    )
    .unwrap();
    let e = gj.area().unwrap_err();
    assert!(e.to_string().contains("to_crs"), "{e}");
}
