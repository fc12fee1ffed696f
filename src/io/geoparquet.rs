//! GeoParquet 1.0, 1.1 and 2.0, and Parquet's own GEOMETRY and GEOGRAPHY
//! types: a column of WKB described by the `geo` key of the file's
//! key-value metadata (CRS as PROJJSON), by the column's Parquet logical type
//! (CRS as a string: PROJJSON, `srid:<code>`, `projjson:<key>` naming a key
//! of the file's metadata that holds PROJJSON, or an identifier such as
//! `EPSG:3011`), or by both. Without a CRS, both mean OGC:CRS84 (WGS 84
//! longitude/latitude); an explicit null in the `geo` metadata means the CRS
//! is unknown. A GEOGRAPHY column (edges along great circles or geodesics,
//! not straight lines) is read as the longitude/latitude it is.
//!
//! Parquet itself is read and written by polars. Its footer decoder does
//! not know the geospatial types, so they are taken out of the footer first
//! (`parquet_footer`) and the column read as the binary WKB it is.

use std::fs::File;
use std::path::Path;

use polars::prelude::*;
use polars_parquet::parquet::metadata::FileMetadata;
use serde_json::{json, Value};

use super::parquet_footer::{self, GeoColumn, GeoType};
use super::{display_name, write_atomic, Raw};
use crate::crs::{self, Crs};
use crate::error::{Error, Result};
use crate::layer::Layer;

pub(crate) fn read(path: &Path) -> Result<Raw> {
    let opened = open(path)?;
    let geo = opened.geo_metadata(path)?;
    let mut reader = ParquetReader::new(std::io::Cursor::new(opened.buffer.clone()));
    reader.set_metadata(opened.meta.clone());
    let df = reader
        .finish()
        .map_err(|e| Error::format(path, format!("not a readable Parquet file: {e}")))?;
    let name = display_name(path, None);
    let choice = choose(path, geo.as_ref(), &opened, |c| {
        df.column(c).is_ok_and(|c| c.dtype() == &DataType::Binary)
    })?;
    let column = choice.column;
    let col = df
        .column(&column)
        .map_err(|_| Error::column_not_found(&name, &column, &df))?;
    let geometries = super::wkb::from_wkb_column(&name, col).map_err(|e| match e {
        Error::InvalidGeometry {
            feature, reason, ..
        } => Error::feature(path, feature, reason),
        e => e,
    })?;
    let mut drop_columns = choice.derived;
    drop_columns.push(column);
    drop_columns.sort();
    drop_columns.dedup();
    let attributes = df.drop_many(drop_columns);
    Ok(Raw {
        geometries,
        attributes,
        crs: choice.crs,
        crs_found: choice.crs_found,
        name,
    })
}

/// How a GeoParquet or Parquet file stores its geometry, in a few words:
/// the column, its Parquet geospatial type if any (with the edges of a
/// GEOGRAPHY) and the GeoParquet version of its `geo` metadata. For
/// `lagesbild info`.
pub(crate) fn describe(path: &Path) -> Result<String> {
    let opened = open(path)?;
    let geo = opened.geo_metadata(path)?;
    let top: Vec<&str> = opened
        .meta
        .schema_descr
        .fields()
        .iter()
        .map(|f| f.name())
        .collect();
    let choice = choose(path, geo.as_ref(), &opened, |c| top.contains(&c))?;
    let mut text = format!("column {:?}, WKB", choice.column);
    if let Some(native) = opened
        .native
        .iter()
        .find(|c| c.top_level && c.name == choice.column)
    {
        match &native.kind {
            GeoType::Geometry => text.push_str(" with Parquet's GEOMETRY type"),
            GeoType::Geography(e) => text.push_str(&format!(
                " with Parquet's GEOGRAPHY type ({} edges)",
                e.name()
            )),
        }
    }
    match geo.as_ref().and_then(|g| g.get("version")) {
        Some(Value::String(v)) => text.push_str(&format!("; GeoParquet {v} metadata")),
        Some(_) | None if geo.is_some() => text.push_str("; GeoParquet metadata without a version"),
        _ => text.push_str("; no GeoParquet metadata"),
    }
    if let Some(edges) = geo
        .as_ref()
        .and_then(|g| {
            g.get("columns")?
                .get(&choice.column)?
                .get("edges")?
                .as_str()
        })
        .filter(|e| !e.eq_ignore_ascii_case("planar"))
    {
        text.push_str(&format!(" ({edges} edges)"));
    }
    Ok(text)
}

/// A Parquet file in memory, its footer freed of the geospatial types and
/// checked.
struct Opened {
    buffer: polars_buffer::Buffer<u8>,
    meta: Arc<FileMetadata>,
    /// The columns that carried GEOMETRY or GEOGRAPHY.
    native: Vec<GeoColumn>,
}

impl Opened {
    /// The file's `geo` metadata, parsed.
    fn geo_metadata(&self, path: &Path) -> Result<Option<Value>> {
        self.key_value("geo")
            .map(|text| {
                serde_json::from_str(text).map_err(|e| {
                    Error::format(path, format!("the \"geo\" metadata is not JSON: {e}"))
                })
            })
            .transpose()
    }

    fn key_value(&self, key: &str) -> Option<&str> {
        self.meta
            .key_value_metadata
            .as_ref()?
            .iter()
            .find(|k| k.key == key)?
            .value
            .as_deref()
    }
}

fn open(path: &Path) -> Result<Opened> {
    let mut bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let len = bytes.len();
    if len < 12 {
        return Err(Error::format(
            path,
            format!("file is {len} bytes: too short to be Parquet"),
        ));
    }
    let damaged = |e: String| Error::format(path, format!("damaged Parquet file: {e}"));
    let native = parquet_footer::strip_geospatial_types(&mut bytes).map_err(damaged)?;
    parquet_footer::check(&bytes).map_err(damaged)?;
    let buffer = polars_buffer::Buffer::from(bytes);
    let meta = Arc::new(preflight(path, &buffer)?);
    Ok(Opened {
        buffer,
        meta,
        native,
    })
}

/// Which column holds the geometry, its CRS, and the columns derived from
/// it (GeoParquet 1.1 bbox covering) that are not attributes.
struct Choice {
    column: String,
    crs: Option<Crs>,
    crs_found: Option<String>,
    derived: Vec<String>,
}

/// The geometry column and its CRS from the `geo` metadata and the Parquet
/// geospatial types. `is_wkb_column` says whether a column of that name
/// could hold WKB (for files with neither).
fn choose(
    path: &Path,
    geo: Option<&Value>,
    opened: &Opened,
    is_wkb_column: impl Fn(&str) -> bool,
) -> Result<Choice> {
    let native_of = |column: &str| {
        opened
            .native
            .iter()
            .find(|c| c.top_level && c.name == column)
    };
    let mut derived = Vec::new();
    let (column, from_geo) = match geo {
        Some(meta) => {
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
                            derived.push(c.to_string());
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
            let edges = colmeta
                .get("edges")
                .and_then(Value::as_str)
                .unwrap_or("planar");
            let crs = match colmeta.get("crs") {
                None => GeoCrs::Given(Some(Crs::wgs84()), "no crs (OGC:CRS84)".into()),
                Some(Value::Null) => GeoCrs::Unknown,
                Some(Value::String(s)) => GeoCrs::Given(Crs::parse(s).ok(), format!("crs {s:?}")),
                Some(v) => {
                    let label = v.get("name").and_then(Value::as_str).unwrap_or("unnamed");
                    GeoCrs::Given(projjson_crs(v), format!("PROJJSON crs {label:?}"))
                }
            };
            let geographic_edges = !edges.eq_ignore_ascii_case("planar");
            (
                column,
                Some((crs, geographic_edges.then(|| edges.to_string()))),
            )
        }
        None => match opened.native.iter().find(|c| c.top_level) {
            Some(c) => (c.name.clone(), None),
            None => {
                let column = ["geometry", "geom", "wkb_geometry"]
                    .into_iter()
                    .find(|c| is_wkb_column(c))
                    .ok_or_else(|| {
                        Error::format(path, "a Parquet file without GeoParquet \"geo\" metadata, without a column of Parquet's GEOMETRY or GEOGRAPHY type and without a WKB geometry column")
                    })?
                    .to_string();
                return Ok(Choice {
                    column,
                    crs: None,
                    crs_found: Some("no GeoParquet \"geo\" metadata".to_string()),
                    derived,
                });
            }
        },
    };
    let native = native_of(&column).map(|c| (c, native_crs(c, |k| opened.key_value(k))));
    // The `geo` metadata says what the Parquet type says, or more (an
    // unknown CRS, which the type cannot express); when both name a CRS
    // they must agree.
    let (crs, crs_found) = match (from_geo.as_ref().map(|(c, _)| c), &native) {
        (Some(GeoCrs::Unknown), _) => (None, Some("an explicit null crs (unknown)".to_string())),
        (Some(GeoCrs::Given(Some(a), _)), Some((c, (Some(b), _)))) if a.epsg() != b.epsg() => (
            None,
            Some(format!(
                "the \"geo\" metadata says {a} but the Parquet {} type says {b}",
                type_name(c)
            )),
        ),
        (Some(GeoCrs::Given(Some(a), _)), _) => (Some(a.clone()), None),
        (_, Some((_, (Some(b), _)))) => (Some(b.clone()), None),
        (Some(GeoCrs::Given(None, la)), Some((_, (None, lb)))) => {
            (None, Some(format!("{la}; {lb}")))
        }
        (Some(GeoCrs::Given(None, la)), None) => (None, Some(la.clone())),
        (None, Some((_, (None, lb)))) => (None, Some(lb.clone())),
        (None, None) => (None, Some("no CRS".to_string())),
    };
    let edges = match native.as_ref().map(|(c, _)| &c.kind) {
        Some(GeoType::Geography(e)) => Some(e.name()),
        _ => from_geo.and_then(|(_, e)| e),
    };
    if let (Some(edges), Some(c)) = (&edges, &crs) {
        if !c.is_geographic() {
            return Err(Error::format(
                path,
                format!("column {column:?} has {edges} edges, which need longitude/latitude, but its CRS is {c}, a projected CRS"),
            ));
        }
    }
    Ok(Choice {
        column,
        crs,
        crs_found,
        derived,
    })
}

/// The CRS the `geo` metadata gives a column.
enum GeoCrs {
    /// A CRS (identified or not) and how the file put it.
    Given(Option<Crs>, String),
    /// An explicit null: no CRS is known.
    Unknown,
}

/// The CRS of a GEOMETRY or GEOGRAPHY column, and how the file put it
/// (`None` for the default, OGC:CRS84). `key_value` looks up the file's
/// key-value metadata, for `projjson:<key>`.
fn native_crs<'a>(
    column: &GeoColumn,
    key_value: impl Fn(&str) -> Option<&'a str>,
) -> (Option<Crs>, String) {
    let text = column.crs.as_deref().map(str::trim).unwrap_or("");
    let label = |what: &str| format!("the Parquet {} type's crs {what}", type_name(column));
    if text.is_empty() {
        return (
            Some(Crs::wgs84()),
            format!(
                "the Parquet {} type without a crs (OGC:CRS84)",
                type_name(column)
            ),
        );
    }
    let prefixed = |prefix: &str| {
        text.get(..prefix.len())
            .filter(|p| p.eq_ignore_ascii_case(prefix))
            .map(|_| text[prefix.len()..].trim())
    };
    if let Some(code) = prefixed("srid:") {
        // An SRID is taken as the EPSG code, as PostGIS, DuckDB and Sedona number them.
        let crs = code
            .parse::<u32>()
            .ok()
            .and_then(|c| Crs::from_epsg(c).ok());
        return (crs, label(&format!("{text:?}")));
    }
    if let Some(key) = prefixed("projjson:") {
        return match key_value(key) {
            None => (
                None,
                label(&format!(
                    "{text:?}, but the file's metadata has no key {key:?}"
                )),
            ),
            Some(json) => match serde_json::from_str::<Value>(json) {
                Ok(v) => (
                    projjson_crs(&v),
                    label(&format!("{text:?}, PROJJSON {:?}", projjson_name(&v))),
                ),
                Err(_) => (
                    None,
                    label(&format!("{text:?}, whose key {key:?} does not hold JSON")),
                ),
            },
        };
    }
    if text.starts_with('{') {
        return match serde_json::from_str::<Value>(text) {
            Ok(v) => (
                projjson_crs(&v),
                label(&format!("PROJJSON {:?}", projjson_name(&v))),
            ),
            Err(_) => (
                None,
                label("text that starts like PROJJSON but is not JSON"),
            ),
        };
    }
    let shown: String = text.chars().take(80).collect();
    (Crs::parse(text).ok(), label(&format!("{shown:?}")))
}

fn type_name(column: &GeoColumn) -> &'static str {
    match column.kind {
        GeoType::Geometry => "GEOMETRY",
        GeoType::Geography(_) => "GEOGRAPHY",
    }
}

fn projjson_crs(v: &Value) -> Option<Crs> {
    if crs::is_crs84_projjson(v) {
        Some(Crs::wgs84())
    } else {
        crs::identify_projjson(v)
    }
}

fn projjson_name(v: &Value) -> &str {
    v.get("name").and_then(Value::as_str).unwrap_or("unnamed")
}

/// Check the footer and every page header against the file before polars
/// decodes it: a damaged count would otherwise make the decoder reserve
/// memory for billions of values and abort the process. Returns the footer.
fn preflight(path: &Path, buffer: &polars_buffer::Buffer<u8>) -> Result<FileMetadata> {
    use polars_parquet::parquet::page::CompressedPage;
    use polars_parquet::parquet::read::{get_page_iterator, read_metadata};

    let bytes: &[u8] = buffer;
    let len = bytes.len() as u64;
    let bad = |detail: String| Error::format(path, format!("damaged Parquet file: {detail}"));
    let meta = read_metadata(&mut std::io::Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
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
    Ok(meta)
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
