use std::collections::BTreeMap;
use std::path::Path;

use lagesbild::io::{read, write, ReadOptions, WriteOptions};
use lagesbild::{Crs, Error};

use crate::fixtures::{stockholm, tmp};

fn names(layer: &lagesbild::Layer) -> Vec<String> {
    layer
        .column("name")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.unwrap().to_string())
        .collect()
}

#[test]
fn real_shapefile_has_117_stadsdelar_with_swedish_letters_intact() {
    let Some(dir) = stockholm() else { return };
    let shp = read(&dir.join("stadsdelar.shp"), &ReadOptions::default()).unwrap();
    assert_eq!(shp.len(), 117);
    assert_eq!(shp.crs().epsg(), 3011);
    let geojson = read(&dir.join("stadsdelar.geojson"), &ReadOptions::default()).unwrap();
    assert_eq!(geojson.crs().epsg(), 4326);
    let mut a = names(&shp);
    let mut b = names(&geojson);
    assert!(a.contains(&"VÅRBERG".to_string()));
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[test]
fn geojson_transformed_to_3011_has_the_shapefile_areas() {
    let Some(dir) = stockholm() else { return };
    let shp = read(&dir.join("stadsdelar.shp"), &ReadOptions::default()).unwrap();
    let gj = read(&dir.join("stadsdelar.geojson"), &ReadOptions::default())
        .unwrap()
        .to_crs(&Crs::from_epsg(3011).unwrap())
        .unwrap();
    let by_name = |l: &lagesbild::Layer| -> BTreeMap<String, f64> {
        names(l)
            .into_iter()
            .zip(l.area().unwrap().into_iter().map(Option::unwrap))
            .collect()
    };
    let (a, b) = (by_name(&shp), by_name(&gj));
    for (name, area) in &a {
        let rel = (area - b[name]).abs() / area;
        assert!(rel < 1e-4, "{name}: {area} vs {}", b[name]);
    }
    let total: f64 = a.values().sum();
    // shapely on the shapefile: 215 763 327 m².
    assert!((total - 215_763_327.0).abs() < 1.0, "{total}");
}

#[test]
fn round_trip_shp_gpkg_parquet_geojson_keeps_everything() {
    let Some(dir) = stockholm() else { return };
    let out = tmp("roundtrip");
    let shp = read(&dir.join("stadsdelar.shp"), &ReadOptions::default()).unwrap();
    let gpkg = out.join("s.gpkg");
    write(&shp, &gpkg, &WriteOptions::default()).unwrap();
    let a = read(&gpkg, &ReadOptions::default()).unwrap();
    let pq = out.join("s.parquet");
    write(&a, &pq, &WriteOptions::default()).unwrap();
    let b = read(&pq, &ReadOptions::default()).unwrap();
    let gj = out.join("s.geojson");
    write(
        &b,
        &gj,
        &WriteOptions {
            keep_crs: true,
            ..Default::default()
        },
    )
    .unwrap();
    let c = read(&gj, &ReadOptions::default()).unwrap();
    for l in [&a, &b, &c] {
        assert_eq!(l.crs().epsg(), 3011);
        assert_eq!(names(l), names(&shp));
        for (i, (g, h)) in l.geometries().iter().zip(shp.geometries()).enumerate() {
            assert!(
                g == h,
                "{}: feature {i} differs: {:?}",
                l.name(),
                g.as_ref().map(|g| geo::CoordsIter::coords_iter(g)
                    .zip(geo::CoordsIter::coords_iter(h.as_ref().unwrap()))
                    .find(|(a, b)| a != b))
            );
        }
    }
}

fn err(path: &Path) -> Error {
    read(path, &ReadOptions::default()).unwrap_err()
}

#[test]
fn damaged_files_name_the_file_and_feature() {
    let out = tmp("damaged");
    let missing = out.join("nothing.shp");
    assert!(matches!(err(&missing), Error::NotFound { .. }));

    let bad_json = out.join("bad.geojson");
    std::fs::write(
        &bad_json,
        "{\"type\": \"FeatureCollection\", \"features\": [",
    )
    .unwrap();
    let e = err(&bad_json);
    assert!(
        matches!(e, Error::Format { .. }) && e.to_string().contains("malformed JSON"),
        "{e}"
    );

    let open_ring = out.join("open.geojson");
    std::fs::write(
        &open_ring,
        r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[18,59]}},
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}]}"#,
    )
    .unwrap();
    let e = err(&open_ring);
    assert_eq!(e.feature_index(), Some(1), "{e}");
    assert!(e.to_string().contains("not closed"), "{e}");

    let empty = out.join("empty.gpkg");
    std::fs::write(&empty, b"").unwrap();
    assert!(err(&empty).to_string().contains("empty"));

    let Some(dir) = stockholm() else { return };
    for ext in ["shp", "dbf", "prj"] {
        std::fs::copy(
            dir.join(format!("stadsdelar.{ext}")),
            out.join(format!("s.{ext}")),
        )
        .unwrap();
    }
    let e = err(&out.join("s.shp"));
    assert!(e.to_string().contains(".shx"), "{e}");
    std::fs::copy(dir.join("stadsdelar.shx"), out.join("s.shx")).unwrap();
    let bytes = std::fs::read(dir.join("stadsdelar.shp")).unwrap();
    std::fs::write(out.join("s.shp"), &bytes[..bytes.len() / 2]).unwrap();
    let e = err(&out.join("s.shp"));
    assert!(
        e.feature_index().is_some() && e.to_string().contains("truncated"),
        "{e}"
    );
}

#[test]
fn unknown_crs_is_refused_unless_given() {
    let out = tmp("crs");
    let p = out.join("odd.geojson");
    std::fs::write(
        &p,
        r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:9999"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#,
    )
    .unwrap();
    let e = err(&p);
    assert!(
        matches!(e.inner(), Error::Crs { .. }) && e.to_string().contains("EPSG:9999"),
        "{e}"
    );
    assert_eq!(e.path(), Some(p.as_path()));
    let opts = ReadOptions {
        crs: Some(Crs::from_epsg(3006).unwrap()),
        ..Default::default()
    };
    assert_eq!(read(&p, &opts).unwrap().crs().epsg(), 3006);
}
