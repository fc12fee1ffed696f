//! Readers and writers for the formats municipal data arrives in.
//!
//! | format | read | write | CRS from |
//! |---|---|---|---|
//! | ESRI Shapefile (`.shp` + `.shx` `.dbf` `.prj` `.cpg`) | yes | yes (UTF-8 or Windows-1252 DBF) | `.prj` WKT |
//! | GeoJSON | yes | yes (RFC 7946, or the layer's CRS in a `crs` member) | `crs` member, else CRS84 |
//! | GeoPackage | yes | yes | `gpkg_spatial_ref_sys` |
//! | GeoParquet 1.0/1.1/2.0, Parquet GEOMETRY/GEOGRAPHY (WKB) | yes | yes (1.1) | `geo` metadata PROJJSON, the Parquet type's `crs` |
//! | CSV of points (x/y or lon/lat) | yes | — | `crs=` (lon/lat means WGS 84) |
//! | CSV and Excel tables | [`read_table`] | — | — |
//!
//! Every reader checks what it reads: a damaged file gives an
//! [`Error::Format`] naming the file and, where it can, the feature.
//! Writers write to a temporary file beside the target and rename it into
//! place, so a failed write leaves nothing behind and never half a file (a
//! shapefile's five files are renamed into place together). Output is
//! byte-for-byte reproducible: the one date a format requires in its header
//! (the DBF's last update, the GeoPackage `last_change`) is fixed, see
//! [`header_time`].

pub mod csv;
pub mod geojson;
pub mod geoparquet;
pub mod gpkg;
/// Parquet's GEOMETRY and GEOGRAPHY types in the footer, which polars does not read.
mod parquet_footer;
pub mod shp;
pub mod wkb;
pub mod xlsx;

use std::path::{Path, PathBuf};

use geo_types::Geometry;
use polars::prelude::DataFrame;

use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::geom;
use crate::layer::Layer;

/// File formats by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Shapefile,
    GeoJson,
    GeoPackage,
    GeoParquet,
    Csv,
    Xlsx,
}

impl Format {
    /// The format a path's extension names.
    pub fn of(path: &Path) -> Result<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .unwrap_or_default();
        Ok(match ext.as_str() {
            "shp" => Format::Shapefile,
            "geojson" | "json" => Format::GeoJson,
            "gpkg" => Format::GeoPackage,
            "parquet" | "geoparquet" => Format::GeoParquet,
            "csv" | "txt" | "tsv" => Format::Csv,
            "xlsx" | "xlsm" => Format::Xlsx,
            _ => {
                return Err(Error::format(
                    path,
                    "unknown file type; lagesbild reads .shp, .geojson/.json, .gpkg, .parquet, .csv and .xlsx",
                ))
            }
        })
    }

    /// The format's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Shapefile => "ESRI Shapefile",
            Format::GeoJson => "GeoJSON",
            Format::GeoPackage => "GeoPackage",
            Format::GeoParquet => "GeoParquet",
            Format::Csv => "CSV",
            Format::Xlsx => "Excel workbook",
        }
    }
}

/// Options for [`read`]; set only what differs from the default.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// GeoPackage layer (table) name.
    pub layer: Option<String>,
    /// The CRS, overriding or supplying what the file says.
    pub crs: Option<Crs>,
    /// CSV: projected coordinate columns (with `crs`).
    pub x: Option<String>,
    pub y: Option<String>,
    /// CSV: longitude/latitude columns (WGS 84 unless `crs` says otherwise).
    pub lon: Option<String>,
    pub lat: Option<String>,
    /// CSV options, detected when not given.
    pub table: TableOptions,
    /// Accept a file with no features instead of failing.
    pub allow_empty: bool,
}

/// Options for [`read_table`] and CSV points.
#[derive(Clone, Debug, Default)]
pub struct TableOptions {
    /// Excel sheet name (default: the first sheet).
    pub sheet: Option<String>,
    /// CSV field separator (default: detected among `;`, `,`, tab).
    pub sep: Option<u8>,
    /// CSV decimal mark, `.` or `,` (default: `,` when the separator is `;`).
    pub decimal: Option<u8>,
    /// CSV text encoding: `utf-8` or `windows-1252`/`cp1252`/`latin-1`
    /// (default: UTF-8, falling back to Windows-1252 when the bytes are not UTF-8).
    pub encoding: Option<String>,
}

/// Options for [`write()`].
#[derive(Clone, Debug, Default)]
pub struct WriteOptions {
    /// GeoPackage layer (table) name (default: the file stem).
    pub layer: Option<String>,
    /// GeoJSON: keep the layer's CRS (in a `crs` member) instead of writing RFC 7946 WGS 84.
    pub keep_crs: bool,
    /// Shapefile: the DBF text encoding, `utf-8` (the default) or
    /// `windows-1252` (see [`shp::DbfEncoding`]). Other formats are always
    /// UTF-8 and refuse this option.
    pub encoding: Option<String>,
}

/// What a format reader found, before the CRS is settled.
pub(crate) struct Raw {
    pub geometries: Vec<Option<Geometry<f64>>>,
    pub attributes: DataFrame,
    /// The CRS the file declares, if it could be identified.
    pub crs: Option<Crs>,
    /// What the file said about its CRS, for the error when it is not identified.
    pub crs_found: Option<String>,
    /// A name for the layer (file name, plus the GeoPackage layer).
    pub name: String,
}

/// Read a file of features into a [`Layer`].
///
/// # Examples
///
/// ```no_run
/// let layer = lagesbild::io::read("stadsdelar.shp".as_ref(), &Default::default()).unwrap();
/// assert_eq!(layer.crs().epsg(), 3011);
/// ```
pub fn read(path: &Path, opts: &ReadOptions) -> Result<Layer> {
    read_inner(path, opts).map_err(|e| e.in_file(path))
}

fn read_inner(path: &Path, opts: &ReadOptions) -> Result<Layer> {
    require_file(path)?;
    let raw = match Format::of(path)? {
        Format::Shapefile => shp::read(path)?,
        Format::GeoJson => geojson::read(path)?,
        Format::GeoPackage => gpkg::read(path, opts.layer.as_deref())?,
        Format::GeoParquet => geoparquet::read(path)?,
        Format::Csv => csv::read_points(path, opts)?,
        Format::Xlsx => {
            return Err(Error::format(
                path,
                "an Excel workbook holds a table, not features: use read_table",
            ))
        }
    };
    let crs = match (&opts.crs, raw.crs) {
        (Some(c), _) => c.clone(),
        (None, Some(c)) => c,
        (None, None) => {
            return Err(Error::Crs {
                layer: path.display().to_string(),
                detail: match raw.crs_found {
                    Some(found) => format!(
                        "cannot identify the CRS the file declares ({found}); pass crs= with its EPSG code"
                    ),
                    None => "the file declares no CRS; pass crs= with its EPSG code (e.g. crs=3011)".into(),
                },
            })
        }
    };
    for (i, g) in raw.geometries.iter().enumerate() {
        if let Some((k, c)) = g.as_ref().and_then(geom::first_non_finite) {
            return Err(Error::feature(
                path,
                i,
                format!("coordinate {k} is not a finite number ({}, {})", c.x, c.y),
            ));
        }
    }
    if raw.geometries.is_empty() && !opts.allow_empty {
        return Err(Error::EmptyLayer {
            layer: raw.name,
            detail: "has no features (pass allow_empty=True to accept an empty layer)".into(),
        });
    }
    Layer::new(raw.name, raw.geometries, raw.attributes, crs)
}

/// Read a table without geometry from CSV or an Excel workbook.
pub fn read_table(path: &Path, opts: &TableOptions) -> Result<DataFrame> {
    read_table_inner(path, opts).map_err(|e| e.in_file(path))
}

fn read_table_inner(path: &Path, opts: &TableOptions) -> Result<DataFrame> {
    require_file(path)?;
    match Format::of(path)? {
        Format::Csv => csv::read_table(path, opts),
        Format::Xlsx => xlsx::read_table(path, opts.sheet.as_deref()),
        f => Err(Error::format(
            path,
            format!(
                "read_table reads CSV and Excel files, not {}; use read",
                f.name()
            ),
        )),
    }
}

/// Write a layer; the format follows the extension (`.shp`, `.gpkg`,
/// `.parquet`, `.geojson`).
///
/// # Examples
///
/// ```
/// use geo_types::{Geometry, Point};
/// use lagesbild::io::{read, write, ReadOptions, WriteOptions};
/// use lagesbild::{Crs, Layer};
/// use polars::prelude::*;
///
/// let dir = std::env::temp_dir().join(format!("lagesbild-doc-write-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let layer = Layer::new(
///     "stations",
///     vec![Some(Geometry::Point(Point::new(153_000.0, 6_578_000.0)))],
///     df!("namn" => ["Vårberg"]).unwrap(),
///     Crs::from_epsg(3011).unwrap(),
/// ).unwrap();
/// let opts = WriteOptions { encoding: Some("windows-1252".into()), ..Default::default() };
/// write(&layer, &dir.join("stations.shp"), &opts).unwrap();
/// assert_eq!(std::fs::read(dir.join("stations.cpg")).unwrap(), b"1252");
/// let back = read(&dir.join("stations.shp"), &ReadOptions::default()).unwrap();
/// assert_eq!(back.column("namn").unwrap().str().unwrap().get(0), Some("Vårberg"));
/// assert_eq!(back.crs().epsg(), 3011);
/// ```
pub fn write(layer: &Layer, path: &Path, opts: &WriteOptions) -> Result<()> {
    write_inner(layer, path, opts).map_err(|e| e.in_file(path))
}

fn write_inner(layer: &Layer, path: &Path, opts: &WriteOptions) -> Result<()> {
    let format = Format::of(path)?;
    if let (Some(e), true) = (&opts.encoding, format != Format::Shapefile) {
        return Err(Error::InvalidArgument(format!(
            "encoding={e:?} applies to shapefiles only; {} is always written as UTF-8",
            format.name()
        )));
    }
    match format {
        Format::Shapefile => shp::write(layer, path, opts.encoding.as_deref()),
        Format::GeoPackage => gpkg::write(layer, path, opts.layer.as_deref()),
        Format::GeoParquet => geoparquet::write(layer, path),
        Format::GeoJson => geojson::write(layer, path, opts.keep_crs),
        f => Err(Error::format(
            path,
            format!(
                "lagesbild writes shapefiles, GeoPackage, GeoParquet and GeoJSON, not {}",
                f.name()
            ),
        )),
    }
}

/// The date and time written where a format requires one in its header:
/// the DBF's date of last update and the GeoPackage `last_change`.
///
/// It is `SOURCE_DATE_EPOCH` (seconds since 1970-01-01 UTC, the
/// reproducible-builds convention) when that is set, else 1970-01-01T00:00:00Z,
/// so that writing the same layer twice gives the same bytes.
///
/// # Errors
///
/// [`Error::InvalidArgument`] when `SOURCE_DATE_EPOCH` is set but is not a
/// whole number of seconds within the years 1970–9999.
pub fn header_time() -> Result<chrono::NaiveDateTime> {
    let secs = match std::env::var("SOURCE_DATE_EPOCH") {
        Err(_) => 0,
        Ok(v) => v.trim().parse::<i64>().map_err(|_| {
            Error::InvalidArgument(format!(
                "SOURCE_DATE_EPOCH is {v:?}, not a whole number of seconds since 1970-01-01"
            ))
        })?,
    };
    chrono::DateTime::from_timestamp(secs, 0)
        .filter(|t| secs >= 0 && chrono::Datelike::year(t) <= 9999)
        .map(|t| t.naive_utc())
        .ok_or_else(|| {
            Error::InvalidArgument(format!(
                "SOURCE_DATE_EPOCH is {secs}, outside the years 1970–9999"
            ))
        })
}

fn require_file(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(Error::format(path, "is a folder, not a file")),
        Ok(_) => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Write a file atomically: `fill` writes to a temporary path beside
/// `path`, which is then renamed into place. On failure the temporary file
/// is removed and `path` is untouched.
pub(crate) fn write_atomic(path: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let tmp = temp_sibling(path);
    let _ = std::fs::remove_file(&tmp);
    let result =
        fill(&tmp).and_then(|()| std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Write several files as one: each to a temporary path beside it, then,
/// once all are written, move the existing files (and the `stale` ones, which
/// the new set must not keep) aside and rename the new ones into place. On
/// any failure the earlier files are put back and the temporary files
/// removed, so the set is either wholly new or wholly as it was.
pub(crate) fn write_atomic_set(files: &[(PathBuf, Vec<u8>)], stale: &[PathBuf]) -> Result<()> {
    let temps: Vec<PathBuf> = files.iter().map(|(p, _)| temp_sibling(p)).collect();
    let remove_temps = || {
        for t in &temps {
            let _ = std::fs::remove_file(t);
        }
    };
    for ((path, bytes), tmp) in files.iter().zip(&temps) {
        if let Err(e) = std::fs::write(tmp, bytes) {
            remove_temps();
            return Err(Error::io(path, e));
        }
    }
    let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut placed: Vec<&Path> = Vec::new();
    let undo = |moved: &[(PathBuf, PathBuf)], placed: &[&Path]| {
        for p in placed {
            let _ = std::fs::remove_file(p);
        }
        for (orig, backup) in moved {
            let _ = std::fs::rename(backup, orig);
        }
        remove_temps();
    };
    let targets = files.iter().map(|(p, _)| p).chain(stale);
    for orig in targets {
        if std::fs::symlink_metadata(orig).is_ok_and(|m| !m.is_dir()) {
            let backup = orig.with_file_name(format!(
                ".{}.{}.old",
                orig.file_name().unwrap_or_default().to_string_lossy(),
                std::process::id()
            ));
            if let Err(e) = std::fs::rename(orig, &backup) {
                undo(&moved, &placed);
                return Err(Error::io(orig, e));
            }
            moved.push((orig.clone(), backup));
        }
    }
    for ((path, _), tmp) in files.iter().zip(&temps) {
        if let Err(e) = std::fs::rename(tmp, path) {
            undo(&moved, &placed);
            return Err(Error::io(path, e));
        }
        placed.push(path);
    }
    for (_, backup) in &moved {
        let _ = std::fs::remove_file(backup);
    }
    Ok(())
}

fn temp_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// A layer name for messages: the file name, plus a sub-layer.
pub(crate) fn display_name(path: &Path, sub: Option<&str>) -> String {
    match sub {
        Some(s) => format!("{} (layer {s})", path.display()),
        None => path.display().to_string(),
    }
}
