//! Overlaps and gaps of the real stadsdelar, against numbers measured with
//! shapely/GEOS (`shapely.intersection` of every pair of intersecting
//! stadsdelar in `stadsdelar.shp`, and the interior rings of
//! `shapely.union_all`).

use lagesbild::engine::topology::{area_topology, TopologyOptions};
use lagesbild::io::{read, ReadOptions};

use crate::fixtures::stockholm;

fn name(layer: &lagesbild::Layer, i: usize) -> String {
    let col = layer.attributes().column("name").unwrap();
    col.str().unwrap().get(i).unwrap().to_string()
}

#[test]
fn real_stadsdelar_overlap_by_about_two_square_metres_over_nineteen_pairs() {
    let Some(dir) = stockholm() else { return };
    let layer = read(&dir.join("stadsdelar.shp"), &ReadOptions::default()).unwrap();
    let t = area_topology(&layer, &TopologyOptions::default()).unwrap();
    // GEOS: 19 pairs with a positive intersection area, 2.0619 m² in all.
    assert_eq!(t.overlaps.len(), 19);
    let total: f64 = t.overlaps.iter().map(|o| o.area_m2).sum();
    assert!((total - 2.06188).abs() < 1e-3, "{total}");
    // The largest, as GEOS has it.
    let big = t
        .overlaps
        .iter()
        .max_by(|p, q| p.area_m2.total_cmp(&q.area_m2))
        .unwrap();
    assert_eq!(
        (name(&layer, big.a), name(&layer, big.b)),
        ("BJÖRKHAGEN".to_string(), "KÄRRTORP".to_string())
    );
    assert!((big.area_m2 - 1.531_327).abs() < 1e-4, "{}", big.area_m2);
}

#[test]
fn real_stadsdelar_leave_one_large_gap_between_hogdalen_and_fagersjo() {
    let Some(dir) = stockholm() else { return };
    let layer = read(&dir.join("stadsdelar.shp"), &ReadOptions::default()).unwrap();
    let t = area_topology(&layer, &TopologyOptions::default()).unwrap();
    // GEOS: holes of 5245.10 m², 4.53 m², 0.47 m², … in the union.
    let g = &t.gaps[0];
    assert!((g.area_m2 - 5245.101).abs() < 0.01, "{}", g.area_m2);
    let mut names: Vec<String> = g.neighbours.iter().map(|&i| name(&layer, i)).collect();
    names.sort();
    assert_eq!(names, ["FAGERSJÖ", "HÖGDALEN"]);
    assert!((g.x - 152_874.0).abs() < 100.0 && (g.y - 6_570_950.0).abs() < 100.0);
    assert!((t.gaps[1].area_m2 - 4.5294).abs() < 1e-3);
    assert!(t.gaps[2..].iter().all(|g| g.area_m2 < 0.5));
}
