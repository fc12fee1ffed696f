//! Writing ESRI Shapefiles: the `.shp` geometry and its `.shx` index, the
//! `.dbf` attributes, the `.prj` CRS (ESRI WKT) and the `.cpg` code page.
//!
//! The formats are fixed binary layouts (ESRI Shapefile Technical
//! Description, 1998; dBase III), written here directly so that every byte
//! is under control: the DBF header date comes from [`super::super::header_time`]
//! (so the same layer always gives the same bytes), the language driver byte
//! matches the `.cpg`, and polygon rings are oriented as the format demands.
//!
//! What is written:
//!
//! - **Geometry.** One shape type per file: Point, MultiPoint (Points and
//!   MultiPoints together are written as MultiPoint), PolyLine (LineString and
//!   MultiLineString) or Polygon (Polygon and MultiPolygon). Outer rings are
//!   written clockwise and holes counter-clockwise. A null or empty geometry is
//!   a null shape. A GeometryCollection, or a mix of points, lines and
//!   polygons, is refused with an error naming the feature.
//! - **Attributes.** Text is `C` with the width of the longest value in bytes
//!   (at most 254); integers are `N` with the width of the longest value and
//!   no decimals; floats are `N` with as many decimals as the most precise
//!   value needs to read back exactly (at least one); booleans are `L`; dates
//!   are `D`. Nulls are blank (booleans `?`, the dBase mark for "unknown");
//!   NaN and infinite floats are written as null, as a DBF number cannot hold
//!   them; empty text reads back as null, as in every DBF reader. Other
//!   column types (datetimes, durations, lists, binary) are refused: cast them
//!   to text or dates first.
//! - **Field names** must be ASCII, 1–10 characters and unique ignoring case.
//!   They are not truncated or renamed: a name that breaks these rules is
//!   refused with an error that names it, so that no column changes its name
//!   silently.
//! - **Text encoding.** UTF-8 (the default; `.cpg` `UTF-8`, language driver
//!   byte 0) or Windows-1252 (`.cpg` `1252`, language driver byte 0x57, what
//!   Swedish municipal shapefiles use). A character Windows-1252 cannot hold
//!   is an error naming the column and the feature.
//!
//! All five files are written to temporary names first and renamed into
//! place together; a failure leaves the previous set (or nothing), never a
//! mix.

use std::path::{Path, PathBuf};

use geo::orient::{Direction, Orient};
use geo_types::{Coord, Geometry, LineString, Polygon};
use polars::prelude::*;

use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::io::{header_time, write_atomic_set};
use crate::layer::Layer;

/// The longest text or number a DBF field holds, in bytes.
const MAX_WIDTH: usize = 254;
/// The most fields a dBase III table holds.
const MAX_FIELDS: usize = 255;

/// The text encodings the writer supports for the DBF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbfEncoding {
    /// UTF-8: `.cpg` says `UTF-8`, language driver byte 0.
    Utf8,
    /// Windows-1252 (Western European, with Å, Ä, Ö): `.cpg` says `1252`,
    /// language driver byte 0x57.
    Windows1252,
}

impl DbfEncoding {
    /// The encoding a user's label names (`utf-8`, `windows-1252`, `cp1252`, `1252`).
    pub fn parse(label: &str) -> Result<DbfEncoding> {
        let l = label.trim().to_ascii_lowercase().replace('_', "-");
        match l.as_str() {
            "utf-8" | "utf8" => Ok(DbfEncoding::Utf8),
            "windows-1252" | "cp1252" | "cp-1252" | "1252" | "ansi-1252" => {
                Ok(DbfEncoding::Windows1252)
            }
            _ => Err(Error::InvalidArgument(format!(
                "encoding {label:?} is not one lagesbild writes shapefiles in; use \"utf-8\" (the default) or \"windows-1252\""
            ))),
        }
    }

    /// What the `.cpg` file says.
    pub fn cpg(self) -> &'static str {
        match self {
            DbfEncoding::Utf8 => "UTF-8",
            DbfEncoding::Windows1252 => "1252",
        }
    }

    /// The DBF language driver byte (offset 29 of the header).
    pub fn language_driver(self) -> u8 {
        match self {
            DbfEncoding::Utf8 => 0x00,
            DbfEncoding::Windows1252 => 0x57,
        }
    }

    fn name(self) -> &'static str {
        match self {
            DbfEncoding::Utf8 => "UTF-8",
            DbfEncoding::Windows1252 => "Windows-1252",
        }
    }

    /// The bytes of `text`, or the first character the encoding cannot hold.
    fn encode(self, text: &str) -> std::result::Result<Vec<u8>, char> {
        match self {
            DbfEncoding::Utf8 => Ok(text.as_bytes().to_vec()),
            DbfEncoding::Windows1252 => {
                let (bytes, _, had_errors) = encoding_rs::WINDOWS_1252.encode(text);
                if !had_errors {
                    return Ok(bytes.into_owned());
                }
                let bad = text
                    .chars()
                    .find(|c| {
                        let mut buf = [0u8; 4];
                        encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf)).2
                    })
                    .unwrap_or('\u{fffd}');
                Err(bad)
            }
        }
    }
}

/// Shape types of the `.shp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Null = 0,
    Point = 1,
    PolyLine = 3,
    Polygon = 5,
    MultiPoint = 8,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Point => "Point",
            Kind::PolyLine => "PolyLine (LineString/MultiLineString)",
            Kind::Polygon => "Polygon (Polygon/MultiPolygon)",
            Kind::MultiPoint => "MultiPoint",
        }
    }
}

/// The shape type a geometry needs, `None` when it is empty.
fn kind_of(g: &Geometry<f64>) -> std::result::Result<Option<Kind>, String> {
    let kind = match g {
        Geometry::Point(_) => Kind::Point,
        Geometry::MultiPoint(m) if m.0.is_empty() => return Ok(None),
        Geometry::MultiPoint(_) => Kind::MultiPoint,
        Geometry::Line(_) => Kind::PolyLine,
        Geometry::LineString(l) if l.0.is_empty() => return Ok(None),
        Geometry::MultiLineString(m) if m.0.iter().all(|l| l.0.is_empty()) => return Ok(None),
        Geometry::LineString(_) | Geometry::MultiLineString(_) => Kind::PolyLine,
        Geometry::Polygon(p) if p.exterior().0.is_empty() => return Ok(None),
        Geometry::MultiPolygon(m) if m.0.iter().all(|p| p.exterior().0.is_empty()) => {
            return Ok(None)
        }
        Geometry::Polygon(_) | Geometry::MultiPolygon(_) | Geometry::Rect(_) | Geometry::Triangle(_) => {
            Kind::Polygon
        }
        Geometry::GeometryCollection(_) => {
            return Err(
                "is a GeometryCollection, which a shapefile cannot hold; split it into points, lines and polygons in separate files".into(),
            )
        }
    };
    Ok(Some(kind))
}

/// The one shape type of the file: Point and MultiPoint together make
/// MultiPoint; any other mix is an error naming the first feature that
/// differs from the first non-empty one.
fn file_kind(path: &Path, geoms: &[Option<Geometry<f64>>]) -> Result<Kind> {
    let mut first: Option<(usize, Kind)> = None;
    let mut points_as_multi = false;
    for (i, g) in geoms.iter().enumerate() {
        let Some(g) = g else { continue };
        let Some(k) = kind_of(g).map_err(|d| Error::feature(path, i, d))? else {
            continue;
        };
        match first {
            None => first = Some((i, k)),
            Some((_, f)) if f == k => {}
            Some((_, f))
                if matches!(
                    (f, k),
                    (Kind::Point, Kind::MultiPoint) | (Kind::MultiPoint, Kind::Point)
                ) =>
            {
                points_as_multi = true
            }
            Some((j, f)) => {
                return Err(Error::feature(
                    path,
                    i,
                    format!(
                        "is a {} but feature {j} is a {}: a shapefile holds one geometry type; write each type to its own file",
                        crate::geom::type_name(g),
                        f.name()
                    ),
                ))
            }
        }
    }
    Ok(match first {
        None => Kind::Null,
        Some(_) if points_as_multi => Kind::MultiPoint,
        Some((_, k)) => k,
    })
}

/// Bounding box `[xmin, ymin, xmax, ymax]` of points.
fn bbox<'a>(coords: impl Iterator<Item = &'a Coord<f64>>) -> [f64; 4] {
    coords.fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |b, c| [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)],
    )
}

fn union(a: Option<[f64; 4]>, b: [f64; 4]) -> [f64; 4] {
    match a {
        None => b,
        Some(a) => [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ],
    }
}

fn put_f64s(out: &mut Vec<u8>, values: &[f64]) {
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
}

/// The record content (shape type first) of one geometry in a file of
/// `kind`, and its bounding box; a null shape for `None` or empty geometry.
fn encode_shape(
    g: Option<&Geometry<f64>>,
    kind: Kind,
) -> std::result::Result<(Vec<u8>, Option<[f64; 4]>), String> {
    let null = || (0i32.to_le_bytes().to_vec(), None);
    let Some(g) = g else { return Ok(null()) };
    if kind_of(g)?.is_none() {
        return Ok(null());
    }
    if let Some((k, c)) = crate::geom::first_non_finite(g) {
        return Err(format!(
            "coordinate {k} is not a finite number ({}, {}); a shapefile cannot hold it",
            c.x, c.y
        ));
    }
    let mut out = Vec::new();
    out.extend_from_slice(&(kind as i32).to_le_bytes());
    match kind {
        Kind::Point => {
            let Geometry::Point(p) = g else {
                unreachable!("file_kind checked the type")
            };
            put_f64s(&mut out, &[p.x(), p.y()]);
            let b = [p.x(), p.y(), p.x(), p.y()];
            Ok((out, Some(b)))
        }
        Kind::MultiPoint => {
            let pts: Vec<Coord<f64>> = match g {
                Geometry::Point(p) => vec![p.0],
                Geometry::MultiPoint(m) => m.0.iter().map(|p| p.0).collect(),
                _ => unreachable!("file_kind checked the type"),
            };
            let b = bbox(pts.iter());
            put_f64s(&mut out, &b);
            out.extend_from_slice(&(pts.len() as i32).to_le_bytes());
            for c in &pts {
                put_f64s(&mut out, &[c.x, c.y]);
            }
            Ok((out, Some(b)))
        }
        Kind::PolyLine => {
            let parts: Vec<LineString<f64>> = match g {
                Geometry::Line(l) => vec![LineString::from(vec![l.start, l.end])],
                Geometry::LineString(l) => vec![l.clone()],
                Geometry::MultiLineString(m) => {
                    m.0.iter().filter(|l| !l.0.is_empty()).cloned().collect()
                }
                _ => unreachable!("file_kind checked the type"),
            };
            if let Some((j, l)) = parts.iter().enumerate().find(|(_, l)| l.0.len() < 2) {
                return Err(format!(
                    "line {j} has {} point; a shapefile line needs at least two",
                    l.0.len()
                ));
            }
            parts_content(&mut out, &parts);
            Ok((out, Some(bbox(parts.iter().flat_map(|l| l.0.iter())))))
        }
        Kind::Polygon => {
            let polys: Vec<Polygon<f64>> = match g {
                Geometry::Polygon(p) => vec![p.clone()],
                Geometry::MultiPolygon(m) => m.0.clone(),
                Geometry::Rect(r) => vec![r.to_polygon()],
                Geometry::Triangle(t) => vec![t.to_polygon()],
                _ => unreachable!("file_kind checked the type"),
            };
            // Shapefile rings: outer clockwise, holes counter-clockwise.
            let mut rings: Vec<LineString<f64>> = Vec::new();
            for (j, p) in polys
                .iter()
                .filter(|p| !p.exterior().0.is_empty())
                .enumerate()
            {
                let p = p.orient(Direction::Reversed);
                for (k, r) in std::iter::once(p.exterior())
                    .chain(p.interiors().iter().filter(|r| !r.0.is_empty()))
                    .enumerate()
                {
                    if r.0.len() < 4 {
                        return Err(format!(
                            "polygon {j} ring {k} has {} points; a closed ring needs at least 4",
                            r.0.len()
                        ));
                    }
                    rings.push(r.clone());
                }
            }
            parts_content(&mut out, &rings);
            Ok((out, Some(bbox(rings.iter().flat_map(|l| l.0.iter())))))
        }
        Kind::Null => unreachable!("a file of null shapes has only empty geometries"),
    }
}

/// Box, part count, point count, part starts and points of a PolyLine or Polygon.
fn parts_content(out: &mut Vec<u8>, parts: &[LineString<f64>]) {
    let b = bbox(parts.iter().flat_map(|l| l.0.iter()));
    put_f64s(out, &b);
    let n: usize = parts.iter().map(|l| l.0.len()).sum();
    out.extend_from_slice(&(parts.len() as i32).to_le_bytes());
    out.extend_from_slice(&(n as i32).to_le_bytes());
    let mut start = 0i32;
    for l in parts {
        out.extend_from_slice(&start.to_le_bytes());
        start += l.0.len() as i32;
    }
    for l in parts {
        for c in &l.0 {
            put_f64s(out, &[c.x, c.y]);
        }
    }
}

/// The 100-byte header shared by `.shp` and `.shx`.
fn main_header(length_bytes: usize, kind: Kind, b: Option<[f64; 4]>) -> Vec<u8> {
    let mut h = Vec::with_capacity(100);
    h.extend_from_slice(&9994i32.to_be_bytes());
    h.extend_from_slice(&[0u8; 20]);
    h.extend_from_slice(&((length_bytes / 2) as i32).to_be_bytes());
    h.extend_from_slice(&1000i32.to_le_bytes());
    h.extend_from_slice(&(kind as i32).to_le_bytes());
    put_f64s(&mut h, &b.unwrap_or([0.0; 4]));
    put_f64s(&mut h, &[0.0; 4]); // Z and M ranges
    h
}

/// `.shp` and `.shx` bytes.
fn shapes(path: &Path, layer: &Layer) -> Result<(Vec<u8>, Vec<u8>)> {
    let geoms = layer.geometries();
    let kind = file_kind(path, geoms)?;
    let mut body = Vec::new();
    let mut index = Vec::with_capacity(8 * geoms.len());
    let mut total: Option<[f64; 4]> = None;
    for (i, g) in geoms.iter().enumerate() {
        let (content, b) =
            encode_shape(g.as_ref(), kind).map_err(|d| Error::feature(path, i, d))?;
        if let Some(b) = b {
            total = Some(union(total, b));
        }
        let offset = 100 + body.len();
        if offset + 8 + content.len() > i32::MAX as usize {
            return Err(Error::feature(
                path,
                i,
                "the .shp would grow beyond the 2 GB a shapefile can hold; write to GeoPackage or GeoParquet instead",
            ));
        }
        body.extend_from_slice(&((i + 1) as i32).to_be_bytes());
        body.extend_from_slice(&((content.len() / 2) as i32).to_be_bytes());
        body.extend_from_slice(&content);
        index.extend_from_slice(&((offset / 2) as i32).to_be_bytes());
        index.extend_from_slice(&((content.len() / 2) as i32).to_be_bytes());
    }
    let mut shp = main_header(100 + body.len(), kind, total);
    shp.extend_from_slice(&body);
    let mut shx = main_header(100 + index.len(), kind, total);
    shx.extend_from_slice(&index);
    Ok((shp, shx))
}

/// One DBF field: descriptor and the value of each record (unpadded; `None` is null).
struct Field {
    name: String,
    kind: u8,
    width: usize,
    decimals: usize,
    values: Vec<Option<Vec<u8>>>,
}

impl Field {
    /// The value of record `i`, padded to the field's width.
    fn cell(&self, i: usize, out: &mut Vec<u8>) {
        match (&self.values[i], self.kind) {
            (None, b'L') => out.push(b'?'),
            (None, _) => out.extend(std::iter::repeat_n(b' ', self.width)),
            // Numbers are right-aligned, everything else left-aligned.
            (Some(v), b'N') => {
                out.extend(std::iter::repeat_n(b' ', self.width - v.len()));
                out.extend_from_slice(v);
            }
            (Some(v), _) => {
                out.extend_from_slice(v);
                out.extend(std::iter::repeat_n(b' ', self.width - v.len()));
            }
        }
    }
}

fn check_names(path: &Path, columns: &[Column]) -> Result<()> {
    if columns.len() > MAX_FIELDS {
        return Err(Error::format(
            path,
            format!(
                "the layer has {} columns; a DBF holds at most {MAX_FIELDS}: select fewer or write GeoPackage",
                columns.len()
            ),
        ));
    }
    let mut seen: Vec<(String, &str)> = Vec::new();
    for c in columns {
        let name = c.name().as_str();
        let problem = if name.is_empty() {
            Some("is empty".to_string())
        } else if !name.is_ascii() || name.bytes().any(|b| b.is_ascii_control()) {
            Some("has characters other than plain ASCII letters, digits and punctuation, which DBF field names cannot hold".to_string())
        } else if name.len() > 10 {
            Some(format!(
                "has {} characters; DBF field names hold at most 10",
                name.len()
            ))
        } else {
            None
        };
        if let Some(p) = problem {
            return Err(Error::format(
                path,
                format!("column name {name:?} {p}: rename the column before writing a shapefile (or write GeoPackage, which keeps any name)"),
            ));
        }
        let upper = name.to_ascii_uppercase();
        if let Some((_, other)) = seen.iter().find(|(u, _)| *u == upper) {
            return Err(Error::format(
                path,
                format!("column names {other:?} and {name:?} are the same to a DBF, which ignores case: rename one of them"),
            ));
        }
        seen.push((upper, name));
    }
    Ok(())
}

/// The bytes of a float written with `decimals` decimals, if they read back as `v`.
fn fixed(v: f64, decimals: usize) -> Option<String> {
    let s = format!("{v:.decimals$}");
    (s.parse::<f64>().ok()? == v).then_some(s)
}

/// A float column as DBF text: the fewest decimals (at least one) with which
/// every value reads back exactly.
fn float_values(values: &[Option<f64>]) -> (usize, Vec<Option<Vec<u8>>>) {
    let finite = || values.iter().flatten().filter(|v| v.is_finite());
    // Shortest round-trip forms; their fractional digits are the starting point.
    let mut decimals = finite()
        .map(|v| {
            let s = v.to_string();
            s.split_once('.').map_or(0, |(_, f)| f.len())
        })
        .max()
        .unwrap_or(1)
        .max(1);
    while decimals < 350 && !finite().all(|&v| fixed(v, decimals).is_some()) {
        decimals += 1;
    }
    let cells = values
        .iter()
        .map(|v| {
            v.filter(|v| v.is_finite())
                .map(|v| format!("{v:.decimals$}").into_bytes())
        })
        .collect();
    (decimals, cells)
}

fn field(path: &Path, col: &Column, enc: DbfEncoding) -> Result<Field> {
    let name = col.name().to_string();
    let s = col.as_materialized_series();
    let too_wide = |i: usize, len: usize, what: &str| {
        Error::feature(
            path,
            i,
            format!(
                "column {name:?}: the {what} takes {len} bytes, more than the {MAX_WIDTH} a DBF field holds; shorten it or write GeoPackage"
            ),
        )
    };
    let (kind, decimals, values): (u8, usize, Vec<Option<Vec<u8>>>) = match s.dtype() {
        DataType::String | DataType::Null | DataType::Categorical(..) | DataType::Enum(..) => {
            let text = s
                .cast(&DataType::String)
                .map_err(|e| Error::format(path, format!("column {name:?}: {e}")))?;
            let mut values = Vec::with_capacity(text.len());
            for (i, v) in text.str().expect("cast to text").iter().enumerate() {
                values.push(match v {
                    None => None,
                    Some(t) => Some(enc.encode(t).map_err(|c| {
                        Error::feature(
                            path,
                            i,
                            format!(
                                "column {name:?}: the value {t:?} has the character {c:?} (U+{:04X}), which {} cannot hold; write with encoding=\"utf-8\" or replace the character",
                                c as u32,
                                enc.name()
                            ),
                        )
                    })?),
                });
            }
            (b'C', 0, values)
        }
        DataType::Boolean => {
            let values = s
                .bool()
                .expect("boolean column")
                .iter()
                .map(|v| v.map(|b| vec![if b { b'T' } else { b'F' }]))
                .collect();
            (b'L', 0, values)
        }
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => {
            let v = s.cast(&DataType::UInt64).expect("unsigned casts to u64");
            let values = v
                .u64()
                .expect("u64 column")
                .iter()
                .map(|v| v.map(|v| v.to_string().into_bytes()))
                .collect();
            (b'N', 0, values)
        }
        dt if dt.is_integer() => {
            let v = s.cast(&DataType::Int64).map_err(|e| {
                Error::format(path, format!("column {name:?}: {e}"))
            })?;
            let values = v
                .i64()
                .expect("i64 column")
                .iter()
                .map(|v| v.map(|v| v.to_string().into_bytes()))
                .collect();
            (b'N', 0, values)
        }
        dt if dt.is_float() => {
            let v = s.cast(&DataType::Float64).expect("float casts to f64");
            let floats: Vec<Option<f64>> = v.f64().expect("f64 column").iter().collect();
            let (decimals, values) = float_values(&floats);
            (b'N', decimals, values)
        }
        DataType::Date => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
            let mut values = Vec::with_capacity(s.len());
            for (i, d) in s.date().expect("date column").physical().iter().enumerate() {
                values.push(match d {
                    None => None,
                    Some(d) => {
                        let date = epoch
                            .checked_add_signed(chrono::Duration::days(d as i64))
                            .filter(|x| (0..=9999).contains(&chrono::Datelike::year(x)))
                            .ok_or_else(|| {
                                Error::feature(
                                    path,
                                    i,
                                    format!("column {name:?}: the date is outside the years 0–9999 a DBF date holds"),
                                )
                            })?;
                        Some(date.format("%Y%m%d").to_string().into_bytes())
                    }
                });
            }
            (b'D', 0, values)
        }
        other => {
            return Err(Error::format(
                path,
                format!(
                    "column {name:?} is {other}; a shapefile's DBF holds text, integers, floats, booleans and dates: cast the column (to a date or to text) before writing"
                ),
            ))
        }
    };
    let width = match kind {
        b'L' => 1,
        b'D' => 8,
        _ => values
            .iter()
            .flatten()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(1),
    };
    if width > MAX_WIDTH {
        let (i, _) = values
            .iter()
            .enumerate()
            .find(|(_, v)| v.as_ref().is_some_and(|v| v.len() == width))
            .expect("the widest value is there");
        let what = if kind == b'C' { "text" } else { "number" };
        return Err(too_wide(i, width, what));
    }
    Ok(Field {
        name,
        kind,
        width,
        decimals,
        values,
    })
}

/// `.dbf` bytes (dBase III, no memo).
fn dbf(path: &Path, layer: &Layer, enc: DbfEncoding) -> Result<Vec<u8>> {
    let attrs = layer.attributes();
    let n = layer.len();
    let columns = attrs.columns();
    check_names(path, columns)?;
    let mut fields: Vec<Field> = columns
        .iter()
        .map(|c| field(path, c, enc))
        .collect::<Result<_>>()?;
    if fields.is_empty() {
        // dBase needs at least one field; like GDAL, write the feature number.
        let values: Vec<Option<Vec<u8>>> =
            (0..n).map(|i| Some(i.to_string().into_bytes())).collect();
        let width = values.iter().flatten().map(Vec::len).max().unwrap_or(1);
        fields.push(Field {
            name: "FID".into(),
            kind: b'N',
            width,
            decimals: 0,
            values,
        });
    }
    let record_len = 1 + fields.iter().map(|f| f.width).sum::<usize>();
    if record_len > u16::MAX as usize {
        return Err(Error::format(
            path,
            format!("a record would take {record_len} bytes, more than the 65535 a DBF allows: select fewer or narrower columns"),
        ));
    }
    let header_len = 32 + 32 * fields.len() + 1;
    let date = header_time()?.date();
    let mut out = Vec::with_capacity(header_len + n * record_len + 1);
    out.push(0x03);
    out.extend_from_slice(&[
        (chrono::Datelike::year(&date) - 1900).clamp(0, 255) as u8,
        chrono::Datelike::month(&date) as u8,
        chrono::Datelike::day(&date) as u8,
    ]);
    out.extend_from_slice(&(n as u32).to_le_bytes());
    out.extend_from_slice(&(header_len as u16).to_le_bytes());
    out.extend_from_slice(&(record_len as u16).to_le_bytes());
    out.extend_from_slice(&[0u8; 17]);
    out.push(enc.language_driver());
    out.extend_from_slice(&[0u8; 2]);
    for f in &fields {
        let mut name = [0u8; 11];
        name[..f.name.len()].copy_from_slice(f.name.as_bytes());
        out.extend_from_slice(&name);
        out.push(f.kind);
        out.extend_from_slice(&[0u8; 4]);
        out.push(f.width as u8);
        out.push(f.decimals.min(255) as u8);
        out.extend_from_slice(&[0u8; 14]);
    }
    out.push(0x0D);
    for i in 0..n {
        out.push(b' ');
        for f in &fields {
            f.cell(i, &mut out);
        }
    }
    out.push(0x1A);
    Ok(out)
}

/// ESRI's WKT for the built-in systems (what ArcGIS and the city's own files
/// hold), else the OGC WKT with its EPSG authority.
pub(crate) fn esri_wkt(crs: &Crs) -> String {
    let gcs_sweref = "GEOGCS[\"GCS_SWEREF99\",DATUM[\"D_SWEREF99\",SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";
    let tm = |name: &str, gcs: &str, lon0: f64, k: f64, x0: f64| {
        format!(
            "PROJCS[\"{name}\",{gcs},PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",{x0:?}],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",{lon0:?}],PARAMETER[\"Scale_Factor\",{k:?}],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]"
        )
    };
    let zone = |lon0: f64| {
        let deg = lon0.trunc() as i32;
        let min = ((lon0 - lon0.trunc()) * 60.0).round() as i32;
        tm(
            &format!("SWEREF99_{deg:02}_{min:02}"),
            gcs_sweref,
            lon0,
            1.0,
            150000.0,
        )
    };
    match crs.epsg() {
        4326 => "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]".into(),
        4619 => gcs_sweref.into(),
        3006 => tm("SWEREF99_TM", gcs_sweref, 15.0, 0.9996, 500000.0),
        3007 => zone(12.0),
        3008 => zone(13.5),
        3009 => zone(15.0),
        3010 => zone(16.5),
        3011 => zone(18.0),
        3012 => zone(14.25),
        3013 => zone(15.75),
        3014 => zone(17.25),
        3015 => zone(18.75),
        3016 => zone(20.25),
        3017 => zone(21.75),
        3018 => zone(23.25),
        3021 => tm(
            "RT90_25_gon_V",
            "GEOGCS[\"GCS_RT_1990\",DATUM[\"D_RT_1990\",SPHEROID[\"Bessel_1841\",6377397.155,299.1528128]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]",
            15.80827777777778,
            1.0,
            1500000.0,
        ),
        _ => crs.to_wkt(),
    }
}

/// The five files of a shapefile written at `path` (`.shp`).
fn siblings(path: &Path) -> [PathBuf; 5] {
    ["shp", "shx", "dbf", "prj", "cpg"].map(|e| path.with_extension(e))
}

/// Write `layer` as a shapefile at `path` (with its `.shx`, `.dbf`, `.prj`
/// and `.cpg`), DBF text in `encoding` (default UTF-8).
pub(crate) fn write(layer: &Layer, path: &Path, encoding: Option<&str>) -> Result<()> {
    let enc = match encoding {
        Some(e) => DbfEncoding::parse(e)?,
        None => DbfEncoding::Utf8,
    };
    let [shp_path, shx_path, dbf_path, prj_path, cpg_path] = siblings(path);
    for p in [&shp_path, &shx_path, &dbf_path, &prj_path, &cpg_path] {
        if p.is_dir() {
            return Err(Error::format(p, "is a folder, not a file"));
        }
    }
    let (shp, shx) = shapes(path, layer)?;
    let dbf = dbf(path, layer, enc)?;
    let prj = esri_wkt(layer.crs()).into_bytes();
    let cpg = enc.cpg().as_bytes().to_vec();
    // Spatial indexes of an earlier file would describe the wrong shapes.
    let stale: Vec<PathBuf> = ["qix", "sbn", "sbx"]
        .iter()
        .map(|e| path.with_extension(e))
        .collect();
    write_atomic_set(
        &[
            (shp_path, shp),
            (shx_path, shx),
            (dbf_path, dbf),
            (prj_path, prj),
            (cpg_path, cpg),
        ],
        &stale,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_get_the_fewest_decimals_that_read_back_exactly() {
        let (d, v) = float_values(&[Some(2.0), Some(-0.5), None, Some(f64::NAN)]);
        assert_eq!(d, 1);
        let text: Vec<Option<String>> = v
            .into_iter()
            .map(|b| b.map(|b| String::from_utf8(b).unwrap()))
            .collect();
        assert_eq!(
            text,
            vec![Some("2.0".into()), Some("-0.5".into()), None, None]
        );
        let values = [Some(0.1), Some(1.0 / 3.0), Some(6_580_000.125), Some(1e-9)];
        let (d, v) = float_values(&values);
        assert!(d >= 16, "{d}");
        for (x, b) in values.iter().zip(v) {
            let s = String::from_utf8(b.unwrap()).unwrap();
            assert_eq!(s.parse::<f64>().unwrap(), x.unwrap(), "{s}");
        }
    }

    #[test]
    fn windows_1252_names_the_character_it_cannot_hold() {
        let e = DbfEncoding::Windows1252;
        assert_eq!(e.encode("VÅRBERG").unwrap(), b"V\xC5RBERG");
        assert_eq!(e.encode("Å € ö").unwrap(), b"\xC5 \x80 \xF6");
        assert_eq!(e.encode("Łódź"), Err('Ł'));
        assert_eq!(DbfEncoding::parse("CP1252").unwrap(), e);
        assert!(DbfEncoding::parse("latin-9").is_err());
    }

    #[test]
    fn esri_wkt_names_the_sweref_zones_as_arcgis_does() {
        let w = esri_wkt(&Crs::from_epsg(3011).unwrap());
        assert!(w.starts_with("PROJCS[\"SWEREF99_18_00\""), "{w}");
        assert!(w.contains("PARAMETER[\"Central_Meridian\",18.0]"), "{w}");
        assert!(esri_wkt(&Crs::from_epsg(3014).unwrap()).contains("SWEREF99_17_15"));
        for epsg in [4326, 3006, 3007, 3011, 3015, 3018, 3021] {
            let crs = Crs::from_epsg(epsg).unwrap();
            assert_eq!(
                crate::crs::identify_wkt(&esri_wkt(&crs)).map(|c| c.epsg()),
                Some(epsg),
                "EPSG:{epsg}"
            );
        }
    }
}
