//! CSV tables and CSV points, as Swedish lists arrive: `;` or `,`
//! separated, decimal commas, UTF-8 or Windows-1252. Parsing is polars'.

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use geo_types::{Geometry, Point};
use polars::prelude::*;

use super::{display_name, Raw, ReadOptions, TableOptions};
use crate::crs::Crs;
use crate::error::{Error, Result};

/// Decode the file's bytes to UTF-8 text.
fn decode(path: &Path, bytes: &[u8], encoding: Option<&str>) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match encoding.map(|e| e.trim().to_ascii_lowercase()) {
        None => Ok(match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        }),
        Some(e) if e == "utf-8" || e == "utf8" => std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|err| {
                Error::format(
                    path,
                    format!("not valid UTF-8 ({err}); try encoding=\"windows-1252\""),
                )
            }),
        Some(e) => {
            let label = match e.as_str() {
                "cp1252" | "1252" | "latin-1" | "latin1" | "iso-8859-1" | "ansi" => "windows-1252",
                other => other,
            };
            let enc = encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "unknown encoding {e:?}; use \"utf-8\" or \"windows-1252\""
                ))
            })?;
            Ok(enc.decode_without_bom_handling(bytes).0.into_owned())
        }
    }
}

fn detect_separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b';', b',', b'\t', b'|']
        .into_iter()
        .max_by_key(|&s| first.bytes().filter(|&b| b == s).count())
        .filter(|&s| first.as_bytes().contains(&s))
        .unwrap_or(b',')
}

/// Read a CSV file as a table.
pub fn read_table(path: &Path, opts: &TableOptions) -> Result<DataFrame> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = decode(path, &bytes, opts.encoding.as_deref())?;
    if text.trim().is_empty() {
        return Err(Error::format(path, "file is empty: no header row"));
    }
    let sep = opts.sep.unwrap_or_else(|| detect_separator(&text));
    let decimal = opts
        .decimal
        .unwrap_or(if sep == b';' { b',' } else { b'.' });
    if decimal != b'.' && decimal != b',' {
        return Err(Error::InvalidArgument(format!(
            "decimal must be \".\" or \",\", not {:?}",
            decimal as char
        )));
    }
    if decimal == sep {
        return Err(Error::InvalidArgument(format!(
            "the decimal mark and the separator are both {:?}",
            sep as char
        )));
    }
    let bytes = text.into_bytes();
    let read = |dates: bool, overwrite: Option<Schema>| {
        let parse = CsvParseOptions::default()
            .with_separator(sep)
            .with_decimal_comma(decimal == b',')
            .with_try_parse_dates(dates)
            .with_truncate_ragged_lines(false);
        CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(INFER_ROWS))
            .with_schema_overwrite(overwrite.map(Arc::new))
            .with_parse_options(parse)
            .into_reader_with_file_handle(Cursor::new(bytes.as_slice()))
            .finish()
    };
    let error = |e: PolarsError| {
        Error::format(
            path,
            format!("cannot parse as CSV with separator {:?}: {e}", sep as char),
        )
    };
    // Columns of dates become dates. polars' `try_parse_dates` tries every text value of the first
    // INFER_ROWS rows against dozens of date formats (0.4 s for 70 000 rows of names); here the
    // file is read without it, and only a text column whose first value is a date is tried further.
    // The answer is the one `try_parse_dates` gives; where this cannot tell, that is asked.
    let plain = match read(false, None) {
        Ok(df) => df,
        Err(_) => return read(true, None).map_err(error),
    };
    match date_columns(&plain) {
        DateColumns::None => Ok(plain),
        DateColumns::These(schema) => read(false, Some(schema))
            .or_else(|_| read(true, None))
            .map_err(error),
        DateColumns::Unsure => read(true, None).map_err(error),
    }
}

/// The rows polars infers a CSV's column types from.
const INFER_ROWS: usize = 10_000;

enum DateColumns {
    None,
    These(Schema),
    Unsure,
}

/// The text columns that polars' `try_parse_dates` would read as dates: those whose every value
/// in the first [`INFER_ROWS`] rows is a date (or every one a date and time) of a pattern polars
/// knows. Times of day stay text; time-zoned datetimes are left to polars ([`DateColumns::Unsure`]).
fn date_columns(df: &DataFrame) -> DateColumns {
    use polars_time::chunkedarray::string::infer::infer_pattern_single;
    use polars_time::chunkedarray::string::Pattern;

    let mut schema = Schema::default();
    for col in df.columns() {
        let Ok(ca) = col.str() else { continue };
        let mut values = ca.iter().take(INFER_ROWS).flatten();
        let Some(first) = values.next() else { continue };
        // polars takes a value for a number or a boolean before it tries it as a date.
        let other = |v: &str| {
            v.parse::<f64>().is_ok()
                || v.replacen(',', ".", 1).parse::<f64>().is_ok()
                || v.eq_ignore_ascii_case("true")
                || v.eq_ignore_ascii_case("false")
        };
        let kind = |v: &str| match infer_pattern_single(v).filter(|_| !other(v)) {
            Some(Pattern::DateDMY | Pattern::DateYMD) => Some(1),
            Some(Pattern::DatetimeDMY | Pattern::DatetimeYMD) => Some(2),
            Some(Pattern::DatetimeYMDZ) => Some(0),
            // Times of day stay text: the core has no time type (polars would refuse the file).
            Some(Pattern::Time) | None => None,
        };
        let Some(k) = kind(first) else { continue };
        if k == 0 {
            return DateColumns::Unsure;
        }
        let mut all = true;
        for v in values {
            match kind(v) {
                Some(x) if x == k => {}
                Some(0) => return DateColumns::Unsure,
                _ => {
                    all = false;
                    break;
                }
            }
        }
        if all {
            let dtype = if k == 1 {
                DataType::Date
            } else {
                DataType::Datetime(TimeUnit::Microseconds, None)
            };
            schema.with_column(col.name().clone(), dtype);
        }
    }
    if schema.is_empty() {
        DateColumns::None
    } else {
        DateColumns::These(schema)
    }
}

const LON: &[&str] = &["lon", "lng", "long", "longitude", "lon_wgs84"];
const LAT: &[&str] = &["lat", "latitude", "lat_wgs84"];
const X: &[&str] = &["x", "easting", "e", "x_coord"];
const Y: &[&str] = &["y", "northing", "n", "y_coord"];

fn find(df: &DataFrame, names: &[&str]) -> Option<String> {
    df.get_column_names()
        .iter()
        .find(|c| names.iter().any(|n| c.eq_ignore_ascii_case(n)))
        .map(|c| c.to_string())
}

/// Read points from CSV coordinate columns.
pub(crate) fn read_points(path: &Path, opts: &ReadOptions) -> Result<Raw> {
    let df = read_table(path, &opts.table)?;
    let name = display_name(path, None);
    let missing = |c: &str| Error::column_not_found(&name, c, &df);
    let (xcol, ycol, geographic) = match (&opts.x, &opts.y, &opts.lon, &opts.lat) {
        (Some(x), Some(y), None, None) => (x.clone(), y.clone(), false),
        (None, None, Some(lo), Some(la)) => (lo.clone(), la.clone(), true),
        (None, None, None, None) => {
            match (find(&df, LON), find(&df, LAT), find(&df, X), find(&df, Y)) {
                (Some(lo), Some(la), _, _) => (lo, la, true),
                (_, _, Some(x), Some(y)) => (x, y, false),
                _ => {
                    let columns: Vec<&str> =
                        df.get_column_names().iter().map(|s| s.as_str()).collect();
                    return Err(Error::format(
                        path,
                        format!(
                            "no coordinate columns found (columns: {}); name them with x=/y= or lon=/lat=",
                            columns.join(", ")
                        ),
                    ));
                }
            }
        }
        _ => {
            return Err(Error::InvalidArgument(
                "name the coordinate columns as a pair: x= and y=, or lon= and lat=".into(),
            ))
        }
    };
    let coords = |c: &str| -> Result<Vec<Option<f64>>> {
        let col = df.column(c).map_err(|_| missing(c))?;
        let cast = col.cast(&DataType::Float64).map_err(|_| {
            Error::format(
                path,
                format!(
                    "column {c:?} does not hold numbers ({}); check sep= and decimal=",
                    col.dtype()
                ),
            )
        })?;
        if cast.null_count() > col.null_count() {
            let bad = (0..col.len())
                .find(|&i| {
                    cast.get(i).is_ok_and(|v| v.is_null()) && col.get(i).is_ok_and(|v| !v.is_null())
                })
                .unwrap_or(0);
            let value = col.get(bad).map(|v| v.to_string()).unwrap_or_default();
            return Err(Error::feature(
                path,
                bad,
                format!(
                    "column {c:?} holds {value}, which is not a number; check sep= and decimal="
                ),
            ));
        }
        Ok(cast.f64().expect("cast to f64").iter().collect())
    };
    let xs = coords(&xcol)?;
    let ys = coords(&ycol)?;
    let mut geometries = Vec::with_capacity(xs.len());
    for (i, (x, y)) in xs.iter().zip(&ys).enumerate() {
        match (x, y) {
            (Some(x), Some(y)) => {
                if geographic && opts.crs.is_none() && (x.abs() > 180.0 || y.abs() > 90.0) {
                    return Err(Error::feature(
                        path,
                        i,
                        format!("({x}, {y}) is not a longitude/latitude; are {xcol:?}/{ycol:?} projected coordinates (pass x=, y= and crs=)?"),
                    ));
                }
                geometries.push(Some(Geometry::Point(Point::new(*x, *y))));
            }
            _ => geometries.push(None),
        }
    }
    let attributes = df.drop_many([xcol.as_str(), ycol.as_str()]);
    let crs = if geographic { Some(Crs::wgs84()) } else { None };
    Ok(Raw {
        geometries,
        attributes,
        crs,
        crs_found: (!geographic)
            .then(|| format!("projected columns {xcol:?}/{ycol:?} with no CRS given")),
        name,
    })
}
