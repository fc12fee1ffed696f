//! GeoParquet 1.0/1.1: a WKB geometry column described by the `geo` key in
//! the file's key-value metadata, with its CRS as PROJJSON. A missing `crs`
//! means OGC:CRS84 (WGS 84 longitude/latitude); an explicit null means the
//! CRS is unknown. Parquet itself is read and written by polars.

use std::fs::File;
use std::path::Path;

use polars::prelude::*;
use serde_json::{json, Value};

use super::{display_name, write_atomic, Raw};
use crate::crs::{self, Crs};
use crate::error::{Error, Result};
use crate::layer::Layer;

pub(crate) fn read(path: &Path) -> Result<Raw> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let len = bytes.len();
    if len < 12 {
        return Err(Error::format(
            path,
            format!("file is {len} bytes: too short to be Parquet"),
        ));
    }
    let buffer = polars_buffer::Buffer::from(bytes);
    preflight(path, &buffer)?;
    let bad = |e: PolarsError| Error::format(path, format!("not a readable Parquet file: {e}"));
    let mut reader = ParquetReader::new(std::io::Cursor::new(buffer));
    let geo_meta: Option<String> = reader
        .get_metadata()
        .map_err(bad)?
        .key_value_metadata()
        .as_ref()
        .and_then(|kv| {
            kv.iter()
                .find(|k| k.key == "geo")
                .and_then(|k| k.value.clone())
        });
    let df = reader.finish().map_err(bad)?;
    let name = display_name(path, None);
    let mut drop_columns: Vec<String> = Vec::new();
    let (column, crs, crs_found) = match geo_meta {
        Some(text) => {
            let meta: Value = serde_json::from_str(&text).map_err(|e| {
                Error::format(path, format!("the \"geo\" metadata is not JSON: {e}"))
            })?;
            let column = meta
                .get("primary_column")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::format(path, "the \"geo\" metadata has no primary_column"))?
                .to_string();
            let colmeta = meta
                .get("columns")
                .and_then(|c| c.get(&column))
                .ok_or_else(|| {
                    Error::format(
                        path,
                        format!("the \"geo\" metadata does not describe column {column:?}"),
                    )
                })?;
            // Covering columns (a per-row bbox struct) are derived data, not attributes.
            if let Some(cover) = colmeta.get("covering").and_then(Value::as_object) {
                for spec in cover.values().filter_map(Value::as_object) {
                    for path in spec.values().filter_map(Value::as_array) {
                        if let Some(c) = path.first().and_then(Value::as_str) {
                            drop_columns.push(c.to_string());
                        }
                    }
                }
            }
            let encoding = colmeta
                .get("encoding")
                .and_then(Value::as_str)
                .unwrap_or("WKB");
            if !encoding.eq_ignore_ascii_case("WKB") {
                return Err(Error::format(
                    path,
                    format!("geometry column {column:?} is encoded as {encoding}; lagesbild reads WKB-encoded GeoParquet"),
                ));
            }
            let (crs, found) = match colmeta.get("crs") {
                None => (Some(Crs::wgs84()), None),
                Some(Value::Null) => (None, Some("an explicit null crs (unknown)".to_string())),
                Some(Value::String(s)) => (Crs::parse(s).ok(), Some(format!("crs {s:?}"))),
                Some(v) => {
                    let c = if crs::is_crs84_projjson(v) {
                        Some(Crs::wgs84())
                    } else {
                        crs::identify_projjson(v)
                    };
                    let label = v.get("name").and_then(Value::as_str).unwrap_or("unnamed");
                    (c, Some(format!("PROJJSON crs {label:?}")))
                }
            };
            (column, crs, found)
        }
        None => {
            let column = ["geometry", "geom", "wkb_geometry"]
                .into_iter()
                .find(|c| df.column(c).is_ok_and(|c| c.dtype() == &DataType::Binary))
                .ok_or_else(|| {
                    Error::format(path, "a Parquet file without GeoParquet \"geo\" metadata and without a WKB geometry column")
                })?
                .to_string();
            (
                column,
                None,
                Some("no GeoParquet \"geo\" metadata".to_string()),
            )
        }
    };
    let col = df
        .column(&column)
        .map_err(|_| Error::column_not_found(&name, &column, &df))?;
    let geometries = super::wkb::from_wkb_column(&name, col).map_err(|e| match e {
        Error::InvalidGeometry {
            feature, reason, ..
        } => Error::feature(path, feature, reason),
        e => e,
    })?;
    drop_columns.push(column.clone());
    drop_columns.sort();
    drop_columns.dedup();
    let attributes = df.drop_many(drop_columns);
    Ok(Raw {
        geometries,
        attributes,
        crs,
        crs_found,
        name,
    })
}

/// Check the footer and every page header against the file before polars
/// decodes it: a damaged count would otherwise make the decoder reserve
/// memory for billions of values and abort the process.
fn preflight(path: &Path, buffer: &polars_buffer::Buffer<u8>) -> Result<()> {
    use polars_parquet::parquet::page::CompressedPage;
    use polars_parquet::parquet::read::{get_page_iterator, read_metadata};

    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let len = bytes.len() as u64;
    let bad = |detail: String| Error::format(path, format!("damaged Parquet file: {detail}"));
    let meta =
        read_metadata(&mut std::io::Cursor::new(&bytes[..])).map_err(|e| bad(e.to_string()))?;
    // Run-length encoding lets few bytes stand for many values, but not for
    // more than this many a byte.
    let limit = (len.saturating_mul(8192)).min(1 << 34);
    let mut total_rows = 0u64;
    for (g, rg) in meta.row_groups.iter().enumerate() {
        let rows = rg.num_rows() as u64;
        total_rows = total_rows.saturating_add(rows);
        if rows > limit {
            return Err(bad(format!(
                "row group {g} claims {rows} rows in a file of {len} bytes"
            )));
        }
        for col in rg.parquet_columns() {
            let name = &col.descriptor().path_in_schema;
            let values = col.num_values();
            let range = col.byte_range();
            if values < 0 || values as u64 > limit || range.end > len || range.start > range.end {
                return Err(bad(format!(
                    "column {name:?} of row group {g} has impossible sizes"
                )));
            }
            let pages = get_page_iterator(
                col,
                std::io::Cursor::new(buffer.clone()),
                Vec::new(),
                len as usize,
            )
            .map_err(|e| bad(e.to_string()))?;
            let mut seen = 0u64;
            for page in pages {
                let page = page.map_err(|e| bad(format!("column {name:?}: {e}")))?;
                if let CompressedPage::Data(d) = page {
                    seen = seen.saturating_add(d.num_values() as u64);
                    if seen > values as u64 {
                        return Err(bad(format!(
                            "column {name:?} of row group {g}: its pages hold more values than its metadata says ({values})"
                        )));
                    }
                }
            }
        }
    }
    if total_rows != meta.num_rows as u64 {
        return Err(bad(format!(
            "the footer says {} rows but the row groups hold {total_rows}",
            meta.num_rows
        )));
    }
    Ok(())
}

/// The `geo` metadata for a layer written with geometry column `column`.
fn geo_metadata(layer: &Layer, column: &str) -> Value {
    let types: Vec<&str> = layer.geom_types().into_iter().collect();
    let mut col = json!({
        "encoding": "WKB",
        "geometry_types": types,
    });
    if let Some((a, b, c, d)) = layer.bounds() {
        col["bbox"] = json!([a, b, c, d]);
    }
    if layer.crs().epsg() != 4326 {
        col["crs"] = layer.crs().to_projjson();
    }
    json!({
        "version": "1.1.0",
        "primary_column": column,
        "columns": {column: col},
    })
}

pub(crate) fn write(layer: &Layer, path: &Path) -> Result<()> {
    let column = "geometry";
    let mut df = layer.to_wkb_frame(column)?;
    let meta = geo_metadata(layer, column).to_string();
    let kv = KeyValueMetadata::from_static(vec![("geo".to_string(), meta)]);
    write_atomic(path, |tmp| {
        let file = File::create(tmp).map_err(|e| Error::io(path, e))?;
        ParquetWriter::new(file)
            .with_compression(ParquetCompression::Snappy)
            .with_key_value_metadata(Some(kv))
            .finish(&mut df)
            .map(|_| ())
            .map_err(|e| Error::format(path, format!("cannot write Parquet: {e}")))
    })
}
