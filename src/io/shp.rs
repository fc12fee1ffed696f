//! ESRI Shapefile: `.shp` geometry with its `.shx` index, `.dbf` attributes,
//! `.prj` CRS and `.cpg` code page. Geometry is read by the `shapefile`
//! crate, attributes by `dbase`.
//!
//! DBF text is decoded from the `.cpg` when there is one, else from the DBF
//! language driver byte, else as UTF-8 falling back to Windows-1252 when the
//! bytes are not UTF-8. Blank text, numbers and dates are null, as in GDAL.
//! Polygon rings are organised as GDAL does: each inner ring (hole) goes to
//! the smallest outer ring that contains it; a record with several outer
//! rings is a MultiPolygon.
//!
//! Writing (through [`crate::io::write`]) produces all five files, with
//! UTF-8 or Windows-1252 text ([`DbfEncoding`]) and rings oriented as the
//! format demands.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use geo::{Area, Intersects};
use geo_types::{
    Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon,
};
use polars::prelude::*;
use shapefile::{Shape, ShapeReader};

mod write;

pub(crate) use write::write;
pub use write::DbfEncoding;

use super::{display_name, Raw};
use crate::crs::Crs;
use crate::error::{Error, Result};

/// The file next to `path` with extension `ext`, in either case.
fn sibling(path: &Path, ext: &str) -> Option<PathBuf> {
    [ext.to_ascii_lowercase(), ext.to_ascii_uppercase()]
        .into_iter()
        .map(|e| path.with_extension(e))
        .find(|p| p.is_file())
}

pub(crate) fn read(path: &Path) -> Result<Raw> {
    let shx = sibling(path, "shx").ok_or_else(|| {
        Error::format(
            path,
            format!(
                "the index file {} is missing; a shapefile needs its .shx (and .dbf) beside the .shp",
                path.with_extension("shx").display()
            ),
        )
    })?;
    let dbf = sibling(path, "dbf").ok_or_else(|| {
        Error::format(
            path,
            format!(
                "the attribute file {} is missing; a shapefile needs its .dbf (and .shx) beside the .shp",
                path.with_extension("dbf").display()
            ),
        )
    })?;
    let geometries = read_shapes(path, &shx)?;
    let attributes = read_dbf(&dbf, sibling(path, "cpg").as_deref())?;
    if attributes.height() != geometries.len() && attributes.width() > 0 {
        return Err(Error::format(
            path,
            format!(
                "the .shp has {} shapes but the .dbf has {} records",
                geometries.len(),
                attributes.height()
            ),
        ));
    }
    let attributes = if attributes.width() == 0 {
        DataFrame::empty_with_height(geometries.len())
    } else {
        attributes
    };
    let (crs, crs_found) = match sibling(path, "prj") {
        None => (None, None),
        Some(prj) => {
            let bytes = std::fs::read(&prj).map_err(|e| Error::io(&prj, e))?;
            let text = String::from_utf8_lossy(&bytes).trim().to_string();
            let crs = crate::crs::identify_wkt(&text).or_else(|| Crs::parse(&text).ok());
            let shown: String = text.chars().take(100).collect();
            (crs, Some(format!("{}: {shown}", prj.display())))
        }
    };
    Ok(Raw {
        geometries,
        attributes,
        crs,
        crs_found,
        name: display_name(path, None),
    })
}

fn read_shapes(path: &Path, shx: &Path) -> Result<Vec<Option<Geometry<f64>>>> {
    let shp_bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let shx_bytes = std::fs::read(shx).map_err(|e| Error::io(shx, e))?;
    if shp_bytes.len() < 100 {
        return Err(Error::format(
            path,
            format!(
                "file is {} bytes, shorter than the 100-byte shapefile header",
                shp_bytes.len()
            ),
        ));
    }
    if shx_bytes.len() < 100 || (shx_bytes.len() - 100) % 8 != 0 {
        return Err(Error::format(
            shx,
            format!(
                "index file of {} bytes is damaged (a header of 100 bytes and 8 bytes a record)",
                shx_bytes.len()
            ),
        ));
    }
    // Check every index entry against the file before reading, so that a
    // damaged index gives a message rather than a wrong shape.
    let n = (shx_bytes.len() - 100) / 8;
    for i in 0..n {
        let e = &shx_bytes[100 + 8 * i..108 + 8 * i];
        let offset = u32::from_be_bytes([e[0], e[1], e[2], e[3]]) as u64 * 2;
        let len = u32::from_be_bytes([e[4], e[5], e[6], e[7]]) as u64 * 2;
        if offset < 100 || offset + 8 + len > shp_bytes.len() as u64 {
            return Err(Error::feature(
                path,
                i,
                format!(
                    "record at byte {offset} with {len} bytes of content lies beyond the end of the file ({} bytes): the file is truncated or its .shx does not match",
                    shp_bytes.len()
                ),
            ));
        }
    }
    let mut reader =
        ShapeReader::with_shx(Cursor::new(&shp_bytes[..]), Cursor::new(&shx_bytes[..]))
            .map_err(|e| Error::format(path, format!("cannot read the shapefile header: {e}")))?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let shape = match reader.read_nth_shape(i) {
            Some(Ok(s)) => s,
            Some(Err(e)) => {
                return Err(Error::feature(
                    path,
                    i,
                    format!("damaged shape record: {e}"),
                ))
            }
            None => return Err(Error::feature(path, i, "shape record is missing")),
        };
        out.push(convert(shape).map_err(|d| Error::feature(path, i, d))?);
    }
    Ok(out)
}

fn c(x: f64, y: f64) -> Coord<f64> {
    Coord { x, y }
}

fn convert(shape: Shape) -> std::result::Result<Option<Geometry<f64>>, String> {
    Ok(Some(match shape {
        Shape::NullShape => return Ok(None),
        Shape::Point(p) => Point::new(p.x, p.y).into(),
        Shape::PointM(p) => Point::new(p.x, p.y).into(),
        Shape::PointZ(p) => Point::new(p.x, p.y).into(),
        Shape::Multipoint(m) => {
            MultiPoint::from_iter(m.points().iter().map(|p| Point::new(p.x, p.y))).into()
        }
        Shape::MultipointM(m) => {
            MultiPoint::from_iter(m.points().iter().map(|p| Point::new(p.x, p.y))).into()
        }
        Shape::MultipointZ(m) => {
            MultiPoint::from_iter(m.points().iter().map(|p| Point::new(p.x, p.y))).into()
        }
        Shape::Polyline(l) => lines(
            l.parts()
                .iter()
                .map(|p| p.iter().map(|q| c(q.x, q.y)).collect()),
        ),
        Shape::PolylineM(l) => lines(
            l.parts()
                .iter()
                .map(|p| p.iter().map(|q| c(q.x, q.y)).collect()),
        ),
        Shape::PolylineZ(l) => lines(
            l.parts()
                .iter()
                .map(|p| p.iter().map(|q| c(q.x, q.y)).collect()),
        ),
        Shape::Polygon(p) => polygons(
            p.rings()
                .iter()
                .map(|r| r.points().iter().map(|q| c(q.x, q.y)).collect()),
        ),
        Shape::PolygonM(p) => polygons(
            p.rings()
                .iter()
                .map(|r| r.points().iter().map(|q| c(q.x, q.y)).collect()),
        ),
        Shape::PolygonZ(p) => polygons(
            p.rings()
                .iter()
                .map(|r| r.points().iter().map(|q| c(q.x, q.y)).collect()),
        ),
        Shape::Multipatch(_) => {
            return Err("multipatch shapes (3-D surfaces) are not supported".into())
        }
    }))
}

fn lines(parts: impl Iterator<Item = Vec<Coord<f64>>>) -> Geometry<f64> {
    let mut ls: Vec<LineString<f64>> = parts.map(LineString::from).collect();
    if ls.len() == 1 {
        ls.pop().expect("one part").into()
    } else {
        MultiLineString::new(ls).into()
    }
}

/// Organise rings into polygons: clockwise rings are outer rings (the
/// shapefile convention), each counter-clockwise ring is a hole of the
/// smallest outer ring that contains it; a hole in no outer ring becomes an
/// outer ring itself.
fn polygons(rings: impl Iterator<Item = Vec<Coord<f64>>>) -> Geometry<f64> {
    let mut outers: Vec<(Polygon<f64>, f64)> = Vec::new();
    let mut holes: Vec<LineString<f64>> = Vec::new();
    for r in rings {
        let ring = LineString::from(r);
        let signed = Polygon::new(ring.clone(), vec![]).signed_area();
        if signed <= 0.0 {
            outers.push((Polygon::new(ring, vec![]), -signed));
        } else {
            holes.push(ring);
        }
    }
    for h in holes {
        let owner = h.0.first().and_then(|&p| {
            outers
                .iter()
                .enumerate()
                .filter(|(_, (o, _))| o.intersects(&Point::from(p)))
                .min_by(|a, b| a.1 .1.total_cmp(&b.1 .1))
                .map(|(i, _)| i)
        });
        match owner {
            Some(i) => outers[i].0.interiors_push(h),
            None => {
                let a = Polygon::new(h.clone(), vec![]).unsigned_area();
                outers.push((Polygon::new(h, vec![]), a));
            }
        }
    }
    let mut polys: Vec<Polygon<f64>> = outers.into_iter().map(|(p, _)| p).collect();
    if polys.len() == 1 {
        polys.pop().expect("one polygon").into()
    } else {
        MultiPolygon::new(polys).into()
    }
}

/// The text encoding a DBF's `.cpg` or language driver byte names.
fn encoding_for(cpg: Option<&str>, ldid: u8) -> Option<&'static encoding_rs::Encoding> {
    if let Some(name) = cpg {
        let n = name
            .trim()
            .trim_start_matches('\u{feff}')
            .to_ascii_uppercase();
        let n = n
            .trim_start_matches("ANSI ")
            .trim_start_matches("CP")
            .trim();
        let label = match n {
            "UTF-8" | "UTF8" | "65001" => "utf-8",
            "1252" | "WINDOWS-1252" => "windows-1252",
            "ISO-8859-1" | "ISO8859-1" | "LATIN1" | "88591" | "8859-1" => "windows-1252",
            "1250" => "windows-1250",
            "1251" => "windows-1251",
            "1257" => "windows-1257",
            other => other,
        };
        if let Some(e) = encoding_rs::Encoding::for_label(label.as_bytes()) {
            return Some(e);
        }
    }
    // Language driver IDs (see the dBase and ESRI code page tables).
    match ldid {
        0x03 | 0x57 | 0x58 | 0x59 => Some(encoding_rs::WINDOWS_1252),
        0xC8 => Some(encoding_rs::WINDOWS_1250),
        0xC9 => Some(encoding_rs::WINDOWS_1251),
        _ => None,
    }
}

fn read_dbf(dbf: &Path, cpg: Option<&Path>) -> Result<DataFrame> {
    let bytes = std::fs::read(dbf).map_err(|e| Error::io(dbf, e))?;
    if bytes.len() < 32 {
        return Err(Error::format(
            dbf,
            format!(
                "file is {} bytes, shorter than the 32-byte dBase header",
                bytes.len()
            ),
        ));
    }
    // The header and field descriptors are read by `dbase`; the values are
    // decoded here, field by field, so that a blank or damaged value is null
    // (as GDAL reads it) instead of failing the whole record.
    let reader = dbase::ReaderBuilder::new()
        .with_encoding(dbase::encoding::EncodingRs::from(encoding_rs::WINDOWS_1252))
        .build(Cursor::new(&bytes[..]))
        .map_err(|e| Error::format(dbf, format!("cannot read the dBase header: {e}")))?;
    let fields: Vec<Field> = {
        let mut offset = 1usize;
        reader
            .fields()
            .iter()
            .enumerate()
            .map(|(j, f)| {
                let field = Field {
                    name: f.name().to_string(),
                    kind: f.field_type(),
                    offset,
                    len: f.length() as usize,
                    // The decimal count is byte 17 of the field's 32-byte descriptor.
                    decimals: bytes.get(32 + 32 * j + 17).copied().unwrap_or(0),
                };
                offset += field.len;
                field
            })
            .collect()
    };
    let header = reader.header();
    let (first, size, count) = (
        header.offset_to_first_record as usize,
        header.size_of_record as usize,
        header.num_records as usize,
    );
    let needed: usize = fields.iter().map(|f| f.len).sum::<usize>() + 1;
    if size < needed {
        return Err(Error::format(
            dbf,
            format!("the header gives records of {size} bytes but the fields need {needed}"),
        ));
    }
    let available = bytes.len().saturating_sub(first);
    if count > available / size.max(1) {
        return Err(Error::format(
            dbf,
            format!(
                "the header promises {count} records of {size} bytes but the file holds only {available} bytes of records: it is truncated"
            ),
        ));
    }
    let record = |i: usize| &bytes[first + i * size..first + (i + 1) * size];
    let is_text =
        |f: &Field| matches!(f.kind, dbase::FieldType::Character | dbase::FieldType::Memo);
    let cpg_text = match cpg {
        Some(p) => Some(
            String::from_utf8_lossy(&std::fs::read(p).map_err(|e| Error::io(p, e))?).into_owned(),
        ),
        None => None,
    };
    let encoding = encoding_for(cpg_text.as_deref(), bytes[29]).unwrap_or_else(|| {
        let all_utf8 = (0..count).all(|i| {
            let r = record(i);
            fields
                .iter()
                .filter(|f| is_text(f))
                .all(|f| std::str::from_utf8(&r[f.offset..f.offset + f.len]).is_ok())
        });
        if all_utf8 {
            encoding_rs::UTF_8
        } else {
            encoding_rs::WINDOWS_1252
        }
    });
    let columns: Vec<Column> = fields
        .iter()
        .map(|f| {
            let raw = (0..count).map(|i| &record(i)[f.offset..f.offset + f.len]);
            f.column(raw, encoding)
        })
        .collect();
    DataFrame::new(count, columns)
        .map_err(|e| Error::format(dbf, format!("duplicate or bad field names: {e}")))
}

struct Field {
    name: String,
    kind: dbase::FieldType,
    offset: usize,
    len: usize,
    decimals: u8,
}

fn ascii(raw: &[u8]) -> &str {
    std::str::from_utf8(raw)
        .unwrap_or("")
        .trim_matches(|c: char| c == ' ' || c == '\0')
}

fn days_since_epoch(y: i32, m: u32, d: u32) -> Option<i32> {
    let date = chrono::NaiveDate::from_ymd_opt(y, m, d)?;
    Some((date - chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?).num_days() as i32)
}

impl Field {
    /// One column from the raw bytes of this field in every record.
    fn column<'a>(
        &self,
        raw: impl Iterator<Item = &'a [u8]>,
        enc: &'static encoding_rs::Encoding,
    ) -> Column {
        use dbase::FieldType as T;
        let name = PlSmallStr::from(self.name.as_str());
        match self.kind {
            T::Numeric if self.decimals == 0 && self.len < 19 => Series::new(
                name,
                raw.map(|r| ascii(r).parse::<i64>().ok())
                    .collect::<Vec<_>>(),
            )
            .into_column(),
            T::Numeric | T::Float => Series::new(
                name,
                raw.map(|r| {
                    ascii(r)
                        .replace(',', ".")
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                })
                .collect::<Vec<_>>(),
            )
            .into_column(),
            T::Integer if self.len == 4 => Series::new(
                name,
                raw.map(|r| Some(i32::from_le_bytes([r[0], r[1], r[2], r[3]]) as i64))
                    .collect::<Vec<_>>(),
            )
            .into_column(),
            T::Double if self.len == 8 => Series::new(
                name,
                raw.map(|r| Some(f64::from_le_bytes(r.try_into().expect("8 bytes"))))
                    .collect::<Vec<_>>(),
            )
            .into_column(),
            T::Logical => Series::new(
                name,
                raw.map(|r| match r.first() {
                    Some(b'T' | b't' | b'Y' | b'y') => Some(true),
                    Some(b'F' | b'f' | b'N' | b'n') => Some(false),
                    _ => None,
                })
                .collect::<Vec<_>>(),
            )
            .into_column(),
            T::Date => Series::new(
                name,
                raw.map(|r| {
                    let t = ascii(r);
                    if t.len() != 8 {
                        return None;
                    }
                    days_since_epoch(
                        t[0..4].parse().ok()?,
                        t[4..6].parse().ok()?,
                        t[6..8].parse().ok()?,
                    )
                })
                .collect::<Vec<_>>(),
            )
            .cast(&DataType::Date)
            .expect("i32 casts to date")
            .into_column(),
            T::DateTime if self.len == 8 => Series::new(
                name,
                raw.map(|r| {
                    // Julian day number and milliseconds since midnight.
                    let jd = i32::from_le_bytes([r[0], r[1], r[2], r[3]]) as i64;
                    let ms = i32::from_le_bytes([r[4], r[5], r[6], r[7]]) as i64;
                    (jd > 0).then(|| (jd - 2_440_588) * 86_400_000 + ms)
                })
                .collect::<Vec<_>>(),
            )
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
            .expect("i64 casts to datetime")
            .into_column(),
            T::Memo => Series::full_null(name, raw.count(), &DataType::String).into_column(),
            _ => Series::new(
                name,
                raw.map(|r| {
                    let text = enc.decode_without_bom_handling(r).0;
                    let t = text.trim_end_matches([' ', '\0']).trim_start_matches(' ');
                    (!t.is_empty()).then(|| t.to_string())
                })
                .collect::<Vec<_>>(),
            )
            .into_column(),
        }
    }
}
