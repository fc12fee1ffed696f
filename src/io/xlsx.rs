//! Excel workbooks (`.xlsx`) as tables, with `calamine`: the first row is
//! the header; each column gets one type (Boolean, Int64, Float64, Datetime,
//! else String).

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, DataType as _, Reader, Xlsx};
use polars::prelude::*;

use crate::error::{Error, Result};

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Null,
    Bool,
    Int,
    Float,
    Datetime,
    Text,
}

fn kind(d: &Data) -> Kind {
    match d {
        Data::Empty => Kind::Null,
        Data::Bool(_) => Kind::Bool,
        Data::Int(_) => Kind::Int,
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Kind::Int,
        Data::Float(_) => Kind::Float,
        Data::DateTime(_) | Data::DateTimeIso(_) => Kind::Datetime,
        Data::String(s) if s.is_empty() => Kind::Null,
        _ => Kind::Text,
    }
}

fn unify(a: Kind, b: Kind) -> Kind {
    match (a, b) {
        (Kind::Null, x) | (x, Kind::Null) => x,
        (x, y) if x == y => x,
        (Kind::Int, Kind::Float) | (Kind::Float, Kind::Int) => Kind::Float,
        _ => Kind::Text,
    }
}

/// Read one sheet (default: the first) as a table.
pub fn read_table(path: &Path, sheet: Option<&str>) -> Result<DataFrame> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    if bytes.is_empty() {
        return Err(Error::format(path, "file is empty"));
    }
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| Error::format(path, format!("not a readable .xlsx workbook: {e}")))?;
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                Error::format(
                    path,
                    format!("no sheet {s:?}; the workbook has {}", quoted(&names)),
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Error::format(path, "the workbook has no sheets"))?,
    };
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| Error::format(path, format!("sheet {name:?}: {e}")))?;
    let mut rows = range.rows();
    let Some(header) = rows.next() else {
        return Err(Error::format(
            path,
            format!("sheet {name:?} is empty: no header row"),
        ));
    };
    let headers: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, h)| match h {
            Data::Empty => format!("column_{}", i + 1),
            other => other.to_string(),
        })
        .collect();
    let body: Vec<&[Data]> = rows.collect();
    let mut columns = Vec::with_capacity(headers.len());
    for (j, h) in headers.iter().enumerate() {
        let cells: Vec<&Data> = body
            .iter()
            .map(|r| r.get(j).unwrap_or(&Data::Empty))
            .collect();
        let k = cells.iter().fold(Kind::Null, |acc, d| unify(acc, kind(d)));
        let n = PlSmallStr::from(h.as_str());
        let s = match k {
            Kind::Null => Series::full_null(n, cells.len(), &DataType::String),
            Kind::Bool => Series::new(n, cells.iter().map(|d| d.get_bool()).collect::<Vec<_>>()),
            Kind::Int => Series::new(
                n,
                cells
                    .iter()
                    .map(|d| match d {
                        Data::Int(i) => Some(*i),
                        Data::Float(f) => Some(*f as i64),
                        _ => None,
                    })
                    .collect::<Vec<_>>(),
            ),
            Kind::Float => Series::new(
                n,
                cells
                    .iter()
                    .map(|d| d.get_float().or_else(|| d.get_int().map(|i| i as f64)))
                    .collect::<Vec<_>>(),
            ),
            Kind::Datetime => Series::new(
                n,
                cells
                    .iter()
                    .map(|d| d.as_datetime().map(|dt| dt.and_utc().timestamp_millis()))
                    .collect::<Vec<_>>(),
            )
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
            .map_err(|e| Error::format(path, e.to_string()))?,
            Kind::Text => Series::new(
                n,
                cells
                    .iter()
                    .map(|d| match d {
                        Data::Empty => None,
                        Data::String(s) if s.is_empty() => None,
                        other => Some(other.to_string()),
                    })
                    .collect::<Vec<_>>(),
            ),
        };
        columns.push(s.into_column());
    }
    DataFrame::new(body.len(), columns)
        .map_err(|e| Error::format(path, format!("sheet {name:?}: {e}")))
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}
