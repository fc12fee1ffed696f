//! GeoParquet 2.0 and Parquet's own GEOMETRY and GEOGRAPHY types (issue 16):
//! the files pyarrow, geopandas and DuckDB write, committed in
//! `data/fixtures/issue-16/` with a manifest of what each must read as
//! (made by `tests/corpus/make_corpus.py --parquet-native`).

use std::path::{Path, PathBuf};

use lagesbild::io::{read, ReadOptions};
use lagesbild::{Crs, Error};
use polars::prelude::*;
use serde_json::Value;

use crate::fixtures::tmp;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/fixtures/issue-16")
}

fn manifest() -> Value {
    let text = std::fs::read_to_string(dir().join("manifest.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn entry_path(entry: &Value) -> PathBuf {
    dir().join(entry["file"].as_str().unwrap())
}

fn with_crs(epsg: u32) -> ReadOptions {
    ReadOptions {
        crs: Some(Crs::from_epsg(epsg).unwrap()),
        ..Default::default()
    }
}

#[test]
fn every_file_reads_as_its_manifest_says() {
    let manifest = manifest();
    let good = manifest["good"].as_object().unwrap();
    assert_eq!(good.len(), 9);
    for (name, e) in good {
        let layer = read(&entry_path(e), &ReadOptions::default())
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(layer.len() as u64, e["count"].as_u64().unwrap(), "{name}");
        assert_eq!(
            u64::from(layer.crs().epsg()),
            e["epsg"].as_u64().unwrap(),
            "{name}"
        );
        let types: Vec<&str> = layer.geom_types().into_iter().collect();
        let want: Vec<&str> = e["geom_types"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(types, want, "{name}");
        let nulls: Vec<u64> = (0..layer.len())
            .filter(|&i| layer.geometries()[i].is_none())
            .map(|i| i as u64)
            .collect();
        let want: Vec<u64> = e["null_geometries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(nulls, want, "{name}");
        let df = layer.attributes();
        let columns: Vec<&str> = df.get_column_names().iter().map(|c| c.as_str()).collect();
        let want: Vec<&str> = e["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(columns, want, "{name}");
        // Text and integer columns value by value.
        for (col, kind) in e["dtypes"].as_object().unwrap() {
            let expected = e["values"][col].as_array().unwrap();
            let s = df.column(col).unwrap().as_materialized_series();
            match kind.as_str().unwrap() {
                "str" => {
                    let got: Vec<Option<&str>> = s.str().unwrap().iter().collect();
                    let want: Vec<Option<&str>> = expected.iter().map(Value::as_str).collect();
                    assert_eq!(got, want, "{name}.{col}");
                }
                "int" => {
                    let got: Vec<Option<i64>> = s
                        .cast(&DataType::Int64)
                        .unwrap()
                        .i64()
                        .unwrap()
                        .iter()
                        .collect();
                    // (DuckDB's integers with nulls come through pandas as floats.)
                    let want: Vec<Option<i64>> = expected
                        .iter()
                        .map(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
                        .collect();
                    assert_eq!(got, want, "{name}.{col}");
                }
                _ => {}
            }
        }
    }
}

#[test]
fn geography_is_read_in_longitude_latitude() {
    let e = &manifest()["good"]["parquet2_pyarrow_geography"];
    let layer = read(&entry_path(e), &ReadOptions::default()).unwrap();
    assert!(layer.crs().is_geographic());
    // Metric operations refuse it, naming the fix.
    let err = layer.area().unwrap_err();
    assert!(err.to_string().contains("to_crs"), "{err}");
    let local = layer.to_crs(&Crs::from_epsg(3011).unwrap()).unwrap();
    assert!(local.area().unwrap().into_iter().flatten().sum::<f64>() > 0.0);
}

#[test]
fn a_crs_unknown_unidentified_or_contradicted_is_a_crs_error_that_crs_settles() {
    let bad = &manifest()["bad"];
    for (name, says) in [
        ("parquet2_crs_null", vec!["explicit null"]),
        ("parquet2_unknown_srid", vec!["srid:999999", "GEOMETRY"]),
        (
            "parquet2_crs_conflict",
            vec!["EPSG:3006", "EPSG:3011", "\"geo\" metadata"],
        ),
    ] {
        let path = entry_path(&bad[name]);
        let err = read(&path, &ReadOptions::default()).unwrap_err();
        assert!(matches!(err.inner(), Error::Crs { .. }), "{name}: {err}");
        for s in says {
            assert!(err.to_string().contains(s), "{name}: {s:?} not in {err}");
        }
        assert_eq!(read(&path, &with_crs(3011)).unwrap().crs().epsg(), 3011);
    }
}

#[test]
fn geography_in_a_projected_crs_is_a_format_error() {
    let path = entry_path(&manifest()["bad"]["parquet2_geography_projected"]);
    let err = read(&path, &ReadOptions::default()).unwrap_err();
    assert!(matches!(err, Error::Format { .. }), "{err}");
    assert!(err.to_string().contains("projected"), "{err}");
}

#[test]
fn damaged_footers_are_format_errors() {
    let bad = &manifest()["bad"];
    for name in [
        "parquet2_damaged_crs_length",
        "parquet2_damaged_footer_length",
    ] {
        let path = entry_path(&bad[name]);
        let err = read(&path, &ReadOptions::default()).unwrap_err();
        assert!(matches!(err, Error::Format { .. }), "{name}: {err}");
        assert!(
            err.to_string().contains("damaged Parquet file"),
            "{name}: {err}"
        );
        assert_eq!(err.path(), Some(path.as_path()));
    }
}

/// Every truncation of the footer, and flips of every footer byte, of a
/// file with three row groups and a GEOMETRY column (pyarrow) and of one
/// with GEOMETRY and GeoParquet 2.0 metadata (DuckDB) give a layer or an
/// error: never a panic.
#[test]
fn every_damage_to_a_geometry_footer_is_a_value_or_an_error() {
    let good = &manifest()["good"];
    let out = tmp("geoparquet-footer");
    let path = out.join("m.parquet");
    let try_read = |bytes: &[u8], what: &str| {
        std::fs::write(&path, bytes).unwrap();
        match std::panic::catch_unwind(|| read(&path, &with_crs(3006))) {
            Ok(Ok(_)) => true,
            Ok(Err(err)) => {
                assert!(err.path().is_some(), "{what}: {err}");
                false
            }
            Err(_) => panic!("{what}: the reader panicked"),
        }
    };
    let files = [
        ("parquet2_pyarrow_srid_row_groups", &[0x01, 0xff][..]),
        // A flip of the low bit turns a boolean's type into another type.
        ("parquet2_duckdb_v2", &[0x01][..]),
    ];
    for (name, masks) in files {
        let bytes = std::fs::read(entry_path(&good[name])).unwrap();
        let n = bytes.len();
        let footer = u32::from_le_bytes(bytes[n - 8..n - 4].try_into().unwrap()) as usize + 8;
        let errors = (n - footer..n)
            .filter(|&cut| !try_read(&bytes[..cut], &format!("{name} cut at {cut}")))
            .count();
        assert_eq!(errors, footer, "{name}: every truncation is an error");
        for i in n - footer..n - 8 {
            for &mask in masks {
                let mut m = bytes.clone();
                m[i] ^= mask;
                try_read(&m, &format!("{name}, byte {i} xor {mask:#04x}"));
            }
        }
    }
}

#[test]
fn a_file_without_geospatial_types_reads_as_before() {
    let path: &Path = "data/fixtures/stadsdelar_sample.parquet".as_ref();
    let layer = read(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!((layer.len(), layer.crs().epsg()), (7, 3006));
}
