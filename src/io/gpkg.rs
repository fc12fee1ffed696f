//! GeoPackage (OGC 12-128r18): feature tables in SQLite, read and written
//! with `rusqlite`. Geometries are GeoPackage binary: a `GP` header (flags,
//! SRS id, optional envelope) followed by WKB. The CRS comes from
//! `gpkg_spatial_ref_sys`.
//!
//! Writing adds (or replaces) one layer: an existing GeoPackage keeps its
//! other layers. The file is written to a temporary copy and renamed into
//! place. The layer's `last_change` is [`super::header_time`], not the
//! current time, so a new file written from the same layer is the same,
//! byte for byte.

use std::path::Path;

use geo::BoundingRect;
use geo_types::Geometry;
use polars::prelude::*;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OpenFlags};

use super::{display_name, write_atomic, Raw};
use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::layer::Layer;

fn sql_err(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| Error::format(path, format!("not a readable GeoPackage: {e}"))
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// The feature layers (tables) of a GeoPackage.
pub fn list_layers(path: &Path) -> Result<Vec<String>> {
    let conn = open(path)?;
    layers(&conn, path)
}

fn open(path: &Path) -> Result<Connection> {
    let len = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if len == 0 {
        return Err(Error::format(path, "file is empty: not a GeoPackage"));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql_err(path))?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(sql_err(path))?;
    Ok(conn)
}

fn layers(conn: &Connection, path: &Path) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare("SELECT table_name FROM gpkg_contents WHERE lower(data_type) = 'features' ORDER BY rowid")
        .map_err(|e| Error::format(path, format!("not a GeoPackage (no gpkg_contents table): {e}")))?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(sql_err(path))?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(sql_err(path))?;
    Ok(names)
}

pub(crate) fn read(path: &Path, layer: Option<&str>) -> Result<Raw> {
    let conn = open(path)?;
    let names = layers(&conn, path)?;
    let listed = || {
        names
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let table = match layer {
        Some(l) => names
            .iter()
            .find(|n| n.as_str() == l)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(l)))
            .cloned()
            .ok_or_else(|| {
                Error::format(path, format!("no layer {l:?}; the layers are {}", listed()))
            })?,
        None => match names.len() {
            0 => return Err(Error::format(path, "the GeoPackage has no feature layers")),
            1 => names[0].clone(),
            _ => {
                return Err(Error::format(
                    path,
                    format!(
                        "the GeoPackage has {} layers: {}; choose one with layer=",
                        names.len(),
                        listed()
                    ),
                ))
            }
        },
    };
    let name = display_name(path, Some(&table));
    let (geom_col, srs_id): (String, i64) = conn
        .query_row(
            "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?1",
            params![table],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| {
            Error::format(
                path,
                format!("layer {table:?} has no entry in gpkg_geometry_columns: {e}"),
            )
        })?;
    let (crs, crs_found) = srs(&conn, srs_id);

    // Columns, in table order, without the primary key (the feature id).
    let mut stmt = conn
        .prepare(&format!("PRAGMA table_info({})", quote(&table)))
        .map_err(sql_err(path))?;
    let info: Vec<(String, String, bool)> = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(5)? > 0,
            ))
        })
        .map_err(sql_err(path))?
        .collect::<std::result::Result<_, _>>()
        .map_err(sql_err(path))?;
    let fields: Vec<(String, Kind)> = info
        .iter()
        .filter(|(n, _, pk)| !pk && n != &geom_col)
        .map(|(n, t, _)| (n.clone(), Kind::from_decl(t)))
        .collect();
    let select: Vec<String> = std::iter::once(quote(&geom_col))
        .chain(fields.iter().map(|(n, _)| quote(n)))
        .collect();
    let order = info
        .iter()
        .find(|(_, _, pk)| *pk)
        .map(|(n, ..)| quote(n))
        .unwrap_or_else(|| "rowid".into());
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {order}",
        select.join(", "),
        quote(&table)
    );
    let mut stmt = conn.prepare(&sql).map_err(sql_err(path))?;
    let mut rows = stmt.query([]).map_err(sql_err(path))?;
    let mut geometries = Vec::new();
    let mut cols: Vec<Vec<Cell>> = vec![Vec::new(); fields.len()];
    let mut i = 0usize;
    while let Some(row) = rows.next().map_err(sql_err(path))? {
        let g = match row.get_ref(0).map_err(sql_err(path))? {
            ValueRef::Null => None,
            ValueRef::Blob(b) => decode_gpb(b).map_err(|d| Error::feature(path, i, d))?,
            other => {
                return Err(Error::feature(
                    path,
                    i,
                    format!(
                        "geometry is stored as {:?}, not as a GeoPackage binary blob",
                        other.data_type()
                    ),
                ))
            }
        };
        geometries.push(g);
        for (j, col) in cols.iter_mut().enumerate() {
            col.push(Cell::from(row.get_ref(j + 1).map_err(sql_err(path))?));
        }
        i += 1;
    }
    let columns: Vec<Column> = fields
        .iter()
        .zip(cols)
        .map(|((n, k), cells)| k.column(n, cells))
        .collect::<std::result::Result<_, String>>()
        .map_err(|d| Error::format(path, format!("layer {table:?}: {d}")))?;
    let attributes = DataFrame::new(geometries.len(), columns)
        .map_err(|e| Error::format(path, e.to_string()))?;
    Ok(Raw {
        geometries,
        attributes,
        crs,
        crs_found,
        name,
    })
}

fn srs(conn: &Connection, srs_id: i64) -> (Option<Crs>, Option<String>) {
    let row: Option<(String, i64, String)> = conn
        .query_row(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            params![srs_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok();
    let Some((org, code, def)) = row else {
        return (
            None,
            Some(format!(
                "srs_id {srs_id}, which gpkg_spatial_ref_sys does not list"
            )),
        );
    };
    if srs_id <= 0 || def.trim().eq_ignore_ascii_case("undefined") {
        return (None, Some(format!("srs_id {srs_id} (undefined)")));
    }
    let crs = if org.eq_ignore_ascii_case("EPSG") {
        Crs::from_epsg(code as u32).ok()
    } else {
        None
    }
    .or_else(|| crate::crs::identify_wkt(&def));
    let shown: String = def.chars().take(80).collect();
    (crs, Some(format!("{org}:{code} {shown}")))
}

/// Decode a GeoPackage binary geometry (header + WKB). Empty is `None`.
pub fn decode_gpb(b: &[u8]) -> std::result::Result<Option<Geometry<f64>>, String> {
    if b.len() < 8 || &b[0..2] != b"GP" {
        return Err("geometry blob does not start with the GeoPackage \"GP\" header".into());
    }
    let flags = b[3];
    if flags & 0b0010_0000 != 0 {
        return Err("extended GeoPackage geometry types are not supported".into());
    }
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        e => return Err(format!("invalid envelope code {e} in the geometry header")),
    };
    let start = 8 + envelope;
    if b.len() < start {
        return Err("geometry blob is shorter than its header".into());
    }
    if flags & 0b0001_0000 != 0 {
        return Ok(None);
    }
    super::wkb::decode(&b[start..])
}

/// Encode a geometry as GeoPackage binary with an XY envelope.
pub fn encode_gpb(g: &Geometry<f64>, srs_id: i32) -> Vec<u8> {
    let wkb = super::wkb::encode(g);
    let rect = g.bounding_rect();
    let mut out = Vec::with_capacity(8 + 32 + wkb.len());
    out.extend_from_slice(b"GP");
    out.push(0);
    // Little-endian header, envelope [minx, maxx, miny, maxy] when non-empty.
    out.push(if rect.is_some() {
        0b0000_0011
    } else {
        0b0001_0001
    });
    out.extend_from_slice(&srs_id.to_le_bytes());
    if let Some(r) = rect {
        for v in [r.min().x, r.max().x, r.min().y, r.max().y] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out.extend_from_slice(&wkb);
    out
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Int,
    Float,
    Bool,
    Text,
    Date,
    Datetime,
    Blob,
}

impl Kind {
    fn from_decl(t: &str) -> Kind {
        let t = t.to_ascii_uppercase();
        let base = t.split('(').next().unwrap_or("").trim();
        match base {
            "BOOLEAN" => Kind::Bool,
            "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "INTEGER" => Kind::Int,
            "FLOAT" | "DOUBLE" | "REAL" => Kind::Float,
            "DATE" => Kind::Date,
            "DATETIME" => Kind::Datetime,
            "BLOB" => Kind::Blob,
            _ => Kind::Text,
        }
    }

    fn column(self, name: &str, cells: Vec<Cell>) -> std::result::Result<Column, String> {
        let n = PlSmallStr::from(name);
        let bad = |c: &Cell| format!("column {name:?} holds {c:?}, not a {self:?} value");
        let s = match self {
            Kind::Int => Series::new(
                n,
                cells
                    .iter()
                    .map(|c| match c {
                        Cell::Null => Ok(None),
                        Cell::Int(i) => Ok(Some(*i)),
                        other => Err(bad(other)),
                    })
                    .collect::<std::result::Result<Vec<_>, _>>()?,
            ),
            Kind::Float => Series::new(
                n,
                cells
                    .iter()
                    .map(|c| match c {
                        Cell::Null => Ok(None),
                        Cell::Int(i) => Ok(Some(*i as f64)),
                        Cell::Float(f) => Ok(Some(*f)),
                        other => Err(bad(other)),
                    })
                    .collect::<std::result::Result<Vec<_>, _>>()?,
            ),
            Kind::Bool => Series::new(
                n,
                cells
                    .iter()
                    .map(|c| match c {
                        Cell::Null => Ok(None),
                        Cell::Int(i) => Ok(Some(*i != 0)),
                        other => Err(bad(other)),
                    })
                    .collect::<std::result::Result<Vec<_>, _>>()?,
            ),
            Kind::Date => Series::new(
                n,
                cells
                    .iter()
                    .map(|c| match c {
                        Cell::Null => Ok(None),
                        Cell::Text(s) => super::geojson::parse_date(s)
                            .map(Some)
                            .ok_or_else(|| bad(c)),
                        other => Err(bad(other)),
                    })
                    .collect::<std::result::Result<Vec<_>, _>>()?,
            )
            .cast(&DataType::Date)
            .map_err(|e| e.to_string())?,
            Kind::Datetime => Series::new(
                n,
                cells
                    .iter()
                    .map(|c| match c {
                        Cell::Null => Ok(None),
                        Cell::Text(s) => super::geojson::parse_datetime(s)
                            .map(Some)
                            .ok_or_else(|| bad(c)),
                        other => Err(bad(other)),
                    })
                    .collect::<std::result::Result<Vec<_>, _>>()?,
            )
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
            .map_err(|e| e.to_string())?,
            Kind::Blob => {
                let ca: BinaryChunked = cells
                    .iter()
                    .map(|c| match c {
                        Cell::Blob(b) => Some(b.as_slice()),
                        _ => None,
                    })
                    .collect();
                ca.with_name(n).into_series()
            }
            Kind::Text => Series::new(
                n,
                cells
                    .into_iter()
                    .map(|c| match c {
                        Cell::Null => None,
                        Cell::Text(s) => Some(s),
                        Cell::Int(i) => Some(i.to_string()),
                        Cell::Float(f) => Some(f.to_string()),
                        Cell::Blob(b) => Some(String::from_utf8_lossy(&b).into_owned()),
                    })
                    .collect::<Vec<_>>(),
            ),
        };
        Ok(s.into_column())
    }
}

#[derive(Clone, Debug)]
enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<ValueRef<'_>> for Cell {
    fn from(v: ValueRef<'_>) -> Cell {
        match v {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(i) => Cell::Int(i),
            ValueRef::Real(f) => Cell::Float(f),
            ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
        }
    }
}

const CREATE_META: &str = "
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
";

fn sql_type(dt: &DataType) -> &'static str {
    match dt {
        DataType::Boolean => "BOOLEAN",
        DataType::Int8 => "TINYINT",
        DataType::Int16 => "SMALLINT",
        DataType::Int32 | DataType::UInt8 | DataType::UInt16 => "MEDIUMINT",
        dt if dt.is_integer() => "INTEGER",
        dt if dt.is_float() => "DOUBLE",
        DataType::Date => "DATE",
        DataType::Datetime(..) => "DATETIME",
        DataType::Binary => "BLOB",
        _ => "TEXT",
    }
}

pub(crate) fn write(layer: &Layer, path: &Path, table: Option<&str>) -> Result<()> {
    let table = table
        .map(str::to_string)
        .or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "layer".into());
    let wrap =
        |e: rusqlite::Error| Error::format(path, format!("cannot write the GeoPackage: {e}"));
    let attrs = layer.attributes();
    for c in attrs.get_column_names() {
        if c.eq_ignore_ascii_case("fid") || c.eq_ignore_ascii_case("geom") {
            return Err(Error::InvalidArgument(format!(
                "{}: column {:?} clashes with the GeoPackage feature id or geometry column; rename it first",
                layer.name(),
                c.as_str()
            )));
        }
    }
    let last_change = super::header_time()?
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string();
    let existing = path.is_file();
    if existing {
        // Refuse to add to something that is not a GeoPackage.
        layers(&open(path)?, path)?;
    }
    write_atomic(path, |tmp| {
        if existing {
            std::fs::copy(path, tmp).map_err(|e| Error::io(path, e))?;
        }
        let mut conn = Connection::open(tmp).map_err(wrap)?;
        conn.execute_batch("PRAGMA application_id = 1196444487; PRAGMA user_version = 10400;")
            .map_err(wrap)?;
        let tx = conn.transaction().map_err(wrap)?;
        tx.execute_batch(CREATE_META).map_err(wrap)?;
        let crs = layer.crs();
        let srs_id = crs.epsg() as i32;
        tx.execute(
            "INSERT OR REPLACE INTO gpkg_spatial_ref_sys VALUES (?1, ?2, 'EPSG', ?2, ?3, '')",
            params![crs.name(), srs_id, crs.to_wkt()],
        )
        .map_err(wrap)?;
        tx.execute_batch(&format!(
            "DROP TABLE IF EXISTS {q};
             DELETE FROM gpkg_geometry_columns WHERE table_name = '{s}';
             DELETE FROM gpkg_contents WHERE table_name = '{s}';",
            q = quote(&table),
            s = table.replace('\'', "''")
        ))
        .map_err(wrap)?;
        let types = layer.geom_types();
        let gtype = if types.len() == 1 {
            types.iter().next().expect("one type").to_ascii_uppercase()
        } else {
            "GEOMETRY".into()
        };
        let cols: Vec<(String, &'static str)> = attrs
            .columns()
            .iter()
            .map(|c| (c.name().to_string(), sql_type(c.dtype())))
            .collect();
        let defs: Vec<String> = cols
            .iter()
            .map(|(n, t)| format!("{} {t}", quote(n)))
            .collect();
        tx.execute_batch(&format!(
            "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {gtype}{}{})",
            quote(&table),
            if defs.is_empty() { "" } else { ", " },
            defs.join(", ")
        ))
        .map_err(wrap)?;
        let (minx, miny, maxx, maxy) = layer.bounds().unwrap_or((0.0, 0.0, 0.0, 0.0));
        // A fixed time rather than the table's default of "now", so that the
        // same layer gives the same bytes (see `io::header_time`).
        tx.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
             VALUES (?1, 'features', ?1, '', ?2, ?3, ?4, ?5, ?6, ?7)",
            params![table, last_change, minx, miny, maxx, maxy, srs_id],
        )
        .map_err(wrap)?;
        tx.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, 0, 0)",
            params![table, gtype, srs_id],
        )
        .map_err(wrap)?;
        let values: Vec<Vec<rusqlite::types::Value>> =
            attrs.columns().iter().map(sql_values).collect();
        {
            let placeholders: Vec<String> = (1..=cols.len() + 1).map(|i| format!("?{i}")).collect();
            let names: Vec<String> = std::iter::once("geom".to_string())
                .chain(cols.iter().map(|(n, _)| quote(n)))
                .collect();
            let mut stmt = tx
                .prepare(&format!(
                    "INSERT INTO {} ({}) VALUES ({})",
                    quote(&table),
                    names.join(", "),
                    placeholders.join(", ")
                ))
                .map_err(wrap)?;
            for (i, g) in layer.geometries().iter().enumerate() {
                let mut row: Vec<rusqlite::types::Value> = Vec::with_capacity(cols.len() + 1);
                row.push(match g {
                    Some(g) => rusqlite::types::Value::Blob(encode_gpb(g, srs_id)),
                    None => rusqlite::types::Value::Null,
                });
                row.extend(values.iter().map(|v| v[i].clone()));
                stmt.execute(rusqlite::params_from_iter(row))
                    .map_err(wrap)?;
            }
        }
        tx.commit().map_err(wrap)?;
        Ok(())
    })
}

fn sql_values(col: &Column) -> Vec<rusqlite::types::Value> {
    use rusqlite::types::Value as V;
    use serde_json::Value as J;
    if col.dtype() == &DataType::Binary {
        return col
            .binary()
            .expect("binary column")
            .iter()
            .map(|b| b.map(|b| V::Blob(b.to_vec())).unwrap_or(V::Null))
            .collect();
    }
    // GeoPackage DATETIME is ISO 8601 text in UTC.
    let utc = matches!(col.dtype(), DataType::Datetime(..));
    super::geojson::column_values(col)
        .into_iter()
        .map(|v| match v {
            J::Null => V::Null,
            J::Bool(b) => V::Integer(b as i64),
            J::Number(n) => n
                .as_i64()
                .map(V::Integer)
                .unwrap_or_else(|| V::Real(n.as_f64().unwrap_or(f64::NAN))),
            J::String(s) if utc => V::Text(format!("{s}Z")),
            J::String(s) => V::Text(s),
            other => V::Text(other.to_string()),
        })
        .collect()
}
