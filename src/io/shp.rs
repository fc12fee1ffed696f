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

use std::io::Cursor;
use std::path::{Path, PathBuf};

use geo::{Area, Intersects};
use geo_types::{
    Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon,
};
use polars::prelude::*;
use shapefile::{Shape, ShapeReader};

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
        let probe =
            h.0.iter()
                .copied()
                .find(|&p| outers.iter().any(|(o, _)| o.intersects(&Point::from(p))));
        let owner = probe.and_then(|p| {
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
    let cpg_text = match cpg {
        Some(p) => Some(
            String::from_utf8_lossy(&std::fs::read(p).map_err(|e| Error::io(p, e))?).into_owned(),
        ),
        None => None,
    };
    let declared = encoding_for(cpg_text.as_deref(), bytes[29]);
    match declared {
        Some(enc) => read_records(dbf, &bytes, dbase::encoding::EncodingRs::from(enc)),
        None => match read_records(dbf, &bytes, dbase::Unicode) {
            Err(Error::Format { detail, .. })
                if detail.contains("decod") || detail.contains("utf") || detail.contains("UTF") =>
            {
                read_records(
                    dbf,
                    &bytes,
                    dbase::encoding::EncodingRs::from(encoding_rs::WINDOWS_1252),
                )
            }
            other => other,
        },
    }
}

enum Col {
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Date(Vec<Option<i32>>),
    Datetime(Vec<Option<i64>>),
}

fn read_records(
    dbf: &Path,
    bytes: &[u8],
    enc: impl Into<dbase::encoding::DynEncoding>,
) -> Result<DataFrame> {
    let mut reader = dbase::ReaderBuilder::new()
        .with_encoding(enc)
        .build(Cursor::new(bytes))
        .map_err(|e| Error::format(dbf, format!("cannot read the dBase header: {e}")))?;
    let header_records = reader.header().num_records as usize;
    let fields: Vec<(String, dbase::FieldType, u8, u8)> = reader
        .fields()
        .iter()
        .enumerate()
        .map(|(j, f)| {
            // The decimal count is byte 17 of the field's 32-byte descriptor.
            let decimals = bytes.get(32 + 32 * j + 17).copied().unwrap_or(0);
            (f.name().to_string(), f.field_type(), f.length(), decimals)
        })
        .collect();
    let record_len: usize = fields.iter().map(|f| f.2 as usize).sum::<usize>() + 1;
    let available = bytes
        .len()
        .saturating_sub(reader.header().offset_to_first_record as usize);
    if header_records > available / record_len.max(1) {
        return Err(Error::format(
            dbf,
            format!(
                "the header promises {header_records} records of {record_len} bytes but the file holds only {} bytes of records: it is truncated",
                available
            ),
        ));
    }
    let mut cols: Vec<Col> = fields
        .iter()
        .map(|(_, t, len, dec)| match t {
            dbase::FieldType::Numeric if *dec == 0 && *len < 19 => Col::Int(Vec::new()),
            dbase::FieldType::Integer => Col::Int(Vec::new()),
            dbase::FieldType::Numeric
            | dbase::FieldType::Float
            | dbase::FieldType::Double
            | dbase::FieldType::Currency => Col::Float(Vec::new()),
            dbase::FieldType::Logical => Col::Bool(Vec::new()),
            dbase::FieldType::Date => Col::Date(Vec::new()),
            dbase::FieldType::DateTime => Col::Datetime(Vec::new()),
            _ => Col::Text(Vec::new()),
        })
        .collect();
    for (i, rec) in reader.iter_records().enumerate() {
        let rec =
            rec.map_err(|e| Error::feature(dbf, i, format!("cannot read the record: {e}")))?;
        let mut map: std::collections::HashMap<String, dbase::FieldValue> = rec.into();
        for ((name, ..), col) in fields.iter().zip(cols.iter_mut()) {
            let v = map.remove(name);
            push(col, v).map_err(|d| Error::feature(dbf, i, format!("field {name:?}: {d}")))?;
        }
    }
    let columns: Vec<Column> = fields
        .iter()
        .zip(cols)
        .map(|((name, ..), col)| {
            let name = PlSmallStr::from(name.as_str());
            match col {
                Col::Text(v) => Series::new(name, v).into_column(),
                Col::Int(v) => Series::new(name, v).into_column(),
                Col::Float(v) => Series::new(name, v).into_column(),
                Col::Bool(v) => Series::new(name, v).into_column(),
                Col::Date(v) => Series::new(name, v)
                    .cast(&DataType::Date)
                    .expect("i32 casts to date")
                    .into_column(),
                Col::Datetime(v) => Series::new(name, v)
                    .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
                    .expect("i64 casts to datetime")
                    .into_column(),
            }
        })
        .collect();
    let height = columns.first().map(|c| c.len()).unwrap_or(0);
    DataFrame::new(height, columns)
        .map_err(|e| Error::format(dbf, format!("duplicate or bad field names: {e}")))
}

fn days_from_ce(y: u32, m: u32, d: u32) -> Option<i32> {
    let date = chrono::NaiveDate::from_ymd_opt(y as i32, m, d)?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    Some((date - epoch).num_days() as i32)
}

fn push(col: &mut Col, v: Option<dbase::FieldValue>) -> std::result::Result<(), String> {
    use dbase::FieldValue as F;
    match (col, v) {
        (Col::Text(c), Some(F::Character(s))) => c.push(
            s.map(|s| s.trim_end().to_string())
                .filter(|s| !s.is_empty()),
        ),
        (Col::Text(c), Some(F::Memo(s))) => c.push(Some(s)),
        (Col::Text(c), Some(other)) => c.push(Some(format!("{other:?}"))),
        (Col::Int(c), Some(F::Numeric(n))) => c.push(match n {
            Some(n) if n.fract() == 0.0 && n.abs() < 9.2e18 => Some(n as i64),
            Some(n) => return Err(format!("{n} is not a whole number")),
            None => None,
        }),
        (Col::Int(c), Some(F::Integer(n))) => c.push(Some(n as i64)),
        (Col::Float(c), Some(F::Numeric(n))) => c.push(n),
        (Col::Float(c), Some(F::Float(n))) => c.push(n.map(|f| f as f64)),
        (Col::Float(c), Some(F::Double(n))) => c.push(Some(n)),
        (Col::Float(c), Some(F::Currency(n))) => c.push(Some(n)),
        (Col::Bool(c), Some(F::Logical(b))) => c.push(b),
        (Col::Date(c), Some(F::Date(d))) => {
            c.push(d.and_then(|d| days_from_ce(d.year(), d.month(), d.day())))
        }
        (Col::Datetime(c), Some(F::DateTime(dt))) => {
            let d = dt.date();
            let t = dt.time();
            let ms = days_from_ce(d.year(), d.month(), d.day()).map(|days| {
                days as i64 * 86_400_000
                    + (t.hours() as i64 * 3600 + t.minutes() as i64 * 60 + t.seconds() as i64)
                        * 1000
            });
            c.push(ms)
        }
        (col, None) => match col {
            Col::Text(c) => c.push(None),
            Col::Int(c) => c.push(None),
            Col::Float(c) => c.push(None),
            Col::Bool(c) => c.push(None),
            Col::Date(c) => c.push(None),
            Col::Datetime(c) => c.push(None),
        },
        (_, Some(other)) => return Err(format!("unexpected value {other:?}")),
    }
    Ok(())
}
