//! GeoJSON: RFC 7946 and the older form with a `crs` member.
//!
//! Reading takes a FeatureCollection, a single Feature or a bare geometry.
//! Property columns get one type each: Boolean, Int64, Float64, Date or
//! Datetime (ISO text), else String (mixed types are written as their JSON
//! text). Writing produces RFC 7946 (WGS 84 longitude/latitude, no `crs`
//! member) unless the layer's own CRS is kept in a `crs` member.

use std::collections::HashMap;
use std::path::Path;

use geo_types::Geometry;
use polars::prelude::*;
use serde_json::{Map, Value};

use super::{display_name, write_atomic, Raw};
use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::layer::Layer;

pub(crate) fn read(path: &Path) -> Result<Raw> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::format(path, "file is empty: no GeoJSON in it"));
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| Error::format(path, format!("not UTF-8 text as GeoJSON must be: {e}")))?;
    let root: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        Error::format(
            path,
            format!(
                "malformed JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    let obj = root
        .as_object()
        .ok_or_else(|| Error::format(path, "a GeoJSON document must be a JSON object"))?;
    let (crs, crs_found) = match obj.get("crs") {
        None | Some(Value::Null) => (Some(Crs::wgs84()), None),
        Some(member) => {
            let name = member
                .get("properties")
                .and_then(|p| p.get("name").or_else(|| p.get("code")))
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => format!("EPSG:{other}"),
                });
            match name {
                Some(n) => (Crs::parse(&n).ok(), Some(format!("crs member {n:?}"))),
                None => (None, Some(format!("crs member {member}"))),
            }
        }
    };
    let features: Vec<&Value> = match obj.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => obj
            .get("features")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::format(path, "FeatureCollection without a \"features\" array"))?
            .iter()
            .collect(),
        Some("Feature") => vec![&root],
        Some(t) if GEOMETRY_TYPES.contains(&t) => vec![&root],
        Some(t) => return Err(Error::format(path, format!("unknown GeoJSON type {t:?}"))),
        None => return Err(Error::format(path, "the top-level object has no \"type\"")),
    };
    let mut geometries = Vec::with_capacity(features.len());
    let mut props: Vec<Option<&Map<String, Value>>> = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let fobj = f
            .as_object()
            .ok_or_else(|| Error::feature(path, i, "a feature must be a JSON object"))?;
        let is_feature = fobj.get("type").and_then(Value::as_str) == Some("Feature");
        let geom_value = if is_feature {
            fobj.get("geometry")
        } else {
            Some(*f)
        };
        let geometry = match geom_value {
            None | Some(Value::Null) => None,
            Some(g) => parse_geometry(g).map_err(|d| Error::feature(path, i, d))?,
        };
        geometries.push(geometry);
        props.push(if is_feature {
            match fobj.get("properties") {
                Some(Value::Object(m)) => Some(m),
                None | Some(Value::Null) => None,
                Some(_) => {
                    return Err(Error::feature(
                        path,
                        i,
                        "\"properties\" must be an object or null",
                    ))
                }
            }
        } else {
            None
        });
    }
    let attributes = properties_frame(&props).map_err(|d| Error::format(path, d))?;
    Ok(Raw {
        geometries,
        attributes,
        crs,
        crs_found,
        name: display_name(path, None),
    })
}

const GEOMETRY_TYPES: &[&str] = &[
    "Point",
    "LineString",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
];

/// Parse a GeoJSON geometry, checking what `geojson` would accept silently:
/// rings must be closed and hold at least four positions; an empty geometry
/// is null.
pub(crate) fn parse_geometry(v: &Value) -> std::result::Result<Option<Geometry<f64>>, String> {
    let t = v
        .get("type")
        .and_then(Value::as_str)
        .ok_or("geometry has no \"type\"")?;
    if t != "GeometryCollection" {
        let coords = v
            .get("coordinates")
            .ok_or_else(|| format!("{t} has no \"coordinates\""))?;
        if coords.as_array().is_some_and(|a| a.is_empty()) {
            return Ok(None);
        }
        check_positions(t, coords)?;
    }
    let g: geojson::Geometry =
        serde_json::from_value(v.clone()).map_err(|e| format!("invalid {t}: {e}"))?;
    let g: Geometry<f64> = g.try_into().map_err(|e| format!("invalid {t}: {e}"))?;
    Ok(Some(g))
}

fn check_positions(t: &str, coords: &Value) -> std::result::Result<(), String> {
    let depth = match t {
        "Point" => 0,
        "LineString" | "MultiPoint" => 1,
        "Polygon" | "MultiLineString" => 2,
        "MultiPolygon" => 3,
        other => return Err(format!("unknown geometry type {other:?}")),
    };
    fn position(v: &Value) -> std::result::Result<(f64, f64), String> {
        let a = v
            .as_array()
            .ok_or("a position must be an array of numbers")?;
        if a.len() < 2 {
            return Err(format!("position {v} has fewer than two numbers"));
        }
        let num = |x: &Value| {
            x.as_f64()
                .ok_or(format!("position {v} holds a value that is not a number"))
        };
        Ok((num(&a[0])?, num(&a[1])?))
    }
    fn ring(r: &Value, which: String) -> std::result::Result<(), String> {
        let pts = r
            .as_array()
            .ok_or(format!("{which} is not an array of positions"))?;
        let pos: Vec<(f64, f64)> = pts
            .iter()
            .map(position)
            .collect::<std::result::Result<_, _>>()?;
        if pos.len() < 4 {
            return Err(format!(
                "{which} has {} positions; a closed ring needs at least 4",
                pos.len()
            ));
        }
        if pos.first() != pos.last() {
            return Err(format!(
                "{which} is not closed: it starts at {:?} and ends at {:?}",
                pos[0],
                pos[pos.len() - 1]
            ));
        }
        Ok(())
    }
    fn walk(v: &Value, depth: usize) -> std::result::Result<(), String> {
        if depth == 0 {
            position(v).map(|_| ())
        } else {
            v.as_array()
                .ok_or("coordinates nest too shallowly for the geometry type")?
                .iter()
                .try_for_each(|x| walk(x, depth - 1))
        }
    }
    match t {
        "Polygon" => {
            for (k, r) in coords
                .as_array()
                .ok_or("Polygon coordinates must be an array of rings")?
                .iter()
                .enumerate()
            {
                ring(r, format!("polygon ring {k}"))?;
            }
            Ok(())
        }
        "MultiPolygon" => {
            for (j, p) in coords
                .as_array()
                .ok_or("MultiPolygon coordinates must be an array of polygons")?
                .iter()
                .enumerate()
            {
                for (k, r) in p
                    .as_array()
                    .ok_or("a polygon must be an array of rings")?
                    .iter()
                    .enumerate()
                {
                    ring(r, format!("polygon {j} ring {k}"))?;
                }
            }
            Ok(())
        }
        _ => walk(coords, depth),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Null,
    Bool,
    Int,
    Float,
    Date,
    Datetime,
    Text,
    Json,
}

fn kind_of(v: &Value) -> Kind {
    match v {
        Value::Null => Kind::Null,
        Value::Bool(_) => Kind::Bool,
        Value::Number(n) if n.is_i64() => Kind::Int,
        Value::Number(_) => Kind::Float,
        Value::String(s) if parse_date(s).is_some() => Kind::Date,
        Value::String(s) if parse_datetime(s).is_some() => Kind::Datetime,
        Value::String(_) => Kind::Text,
        _ => Kind::Json,
    }
}

fn unify(a: Kind, b: Kind) -> Kind {
    use Kind::*;
    match (a, b) {
        (Null, x) | (x, Null) => x,
        (x, y) if x == y => x,
        (Int, Float) | (Float, Int) => Float,
        (Date, Datetime) | (Datetime, Date) => Datetime,
        (Json, _) | (_, Json) => Json,
        _ => Text,
    }
}

pub(crate) fn parse_date(s: &str) -> Option<i32> {
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    (s.len() == 10).then(|| {
        (d - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
    })
}

pub(crate) fn parse_datetime(s: &str) -> Option<i64> {
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(dt.naive_utc().and_utc().timestamp_millis());
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y/%m/%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(dt.and_utc().timestamp_millis());
        }
    }
    None
}

fn properties_frame(
    props: &[Option<&Map<String, Value>>],
) -> std::result::Result<DataFrame, String> {
    let mut order: Vec<String> = Vec::new();
    let mut kinds: HashMap<String, Kind> = HashMap::new();
    for p in props.iter().flatten() {
        for (k, v) in p.iter() {
            let kind = kind_of(v);
            match kinds.get_mut(k) {
                Some(existing) => *existing = unify(*existing, kind),
                None => {
                    order.push(k.clone());
                    kinds.insert(k.clone(), kind);
                }
            }
        }
    }
    let get = |p: &Option<&Map<String, Value>>, k: &str| {
        p.and_then(|m| m.get(k)).filter(|v| !v.is_null()).cloned()
    };
    let mut columns = Vec::with_capacity(order.len());
    for k in &order {
        let name = PlSmallStr::from(k.as_str());
        let vals = props.iter().map(|p| get(p, k));
        let s = match kinds[k] {
            Kind::Null => Series::full_null(name, props.len(), &DataType::String),
            Kind::Bool => Series::new(
                name,
                vals.map(|v| v.and_then(|v| v.as_bool()))
                    .collect::<Vec<_>>(),
            ),
            Kind::Int => Series::new(
                name,
                vals.map(|v| v.and_then(|v| v.as_i64())).collect::<Vec<_>>(),
            ),
            Kind::Float => Series::new(
                name,
                vals.map(|v| v.and_then(|v| v.as_f64())).collect::<Vec<_>>(),
            ),
            Kind::Date => Series::new(
                name,
                vals.map(|v| v.and_then(|v| v.as_str().and_then(parse_date)))
                    .collect::<Vec<_>>(),
            )
            .cast(&DataType::Date)
            .map_err(|e| e.to_string())?,
            Kind::Datetime => Series::new(
                name,
                vals.map(|v| {
                    v.and_then(|v| {
                        v.as_str().and_then(|s| {
                            parse_datetime(s)
                                .or_else(|| parse_date(s).map(|d| d as i64 * 86_400_000))
                        })
                    })
                })
                .collect::<Vec<_>>(),
            )
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
            .map_err(|e| e.to_string())?,
            Kind::Text | Kind::Json => Series::new(
                name,
                vals.map(|v| {
                    v.map(|v| match v {
                        Value::String(s) => s,
                        other => other.to_string(),
                    })
                })
                .collect::<Vec<_>>(),
            ),
        };
        columns.push(s.into_column());
    }
    DataFrame::new(props.len(), columns).map_err(|e| e.to_string())
}

/// Attribute values as JSON, column by column (dates as ISO text).
pub(crate) fn column_values(col: &Column) -> Vec<Value> {
    let s = col.as_materialized_series();
    match s.dtype() {
        DataType::Date => s
            .date()
            .expect("date column")
            .physical()
            .iter()
            .map(|d| {
                d.map(|d| {
                    Value::String(
                        (chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")
                            + chrono::Duration::days(d as i64))
                        .to_string(),
                    )
                })
                .unwrap_or(Value::Null)
            })
            .collect(),
        DataType::Datetime(unit, _) => {
            let per_ms = match unit {
                TimeUnit::Milliseconds => 1.0,
                TimeUnit::Microseconds => 1e3,
                TimeUnit::Nanoseconds => 1e6,
            };
            s.datetime()
                .expect("datetime column")
                .physical()
                .iter()
                .map(|v| {
                    v.and_then(|v| {
                        chrono::DateTime::from_timestamp_millis((v as f64 / per_ms).floor() as i64)
                    })
                    .map(|dt| {
                        Value::String(dt.naive_utc().format("%Y-%m-%dT%H:%M:%S%.3f").to_string())
                    })
                    .unwrap_or(Value::Null)
                })
                .collect()
        }
        _ => s
            .iter()
            .map(|v| match v {
                AnyValue::Null => Value::Null,
                AnyValue::Boolean(b) => Value::Bool(b),
                AnyValue::String(t) => Value::String(t.to_string()),
                AnyValue::StringOwned(t) => Value::String(t.to_string()),
                AnyValue::Float32(f) => finite(f as f64),
                AnyValue::Float64(f) => finite(f),
                AnyValue::Int8(i) => Value::from(i),
                AnyValue::Int16(i) => Value::from(i),
                AnyValue::Int32(i) => Value::from(i),
                AnyValue::Int64(i) => Value::from(i),
                AnyValue::UInt8(i) => Value::from(i),
                AnyValue::UInt16(i) => Value::from(i),
                AnyValue::UInt32(i) => Value::from(i),
                AnyValue::UInt64(i) => Value::from(i),
                other => Value::String(other.to_string()),
            })
            .collect(),
    }
}

fn finite(f: f64) -> Value {
    serde_json::Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// The layer as a GeoJSON FeatureCollection value, in the layer's own CRS.
pub fn to_feature_collection(layer: &Layer, crs_member: bool) -> Value {
    let columns: Vec<(String, Vec<Value>)> = layer
        .attributes()
        .columns()
        .iter()
        .map(|c| (c.name().to_string(), column_values(c)))
        .collect();
    let features: Vec<Value> = layer
        .geometries()
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let props: Map<String, Value> = columns
                .iter()
                .map(|(n, v)| (n.clone(), v[i].clone()))
                .collect();
            let geometry = g
                .as_ref()
                .map(|g| {
                    serde_json::to_value(geojson::Geometry::from(g)).expect("geometry serialises")
                })
                .unwrap_or(Value::Null);
            serde_json::json!({"type": "Feature", "properties": props, "geometry": geometry})
        })
        .collect();
    let mut fc = Map::new();
    fc.insert("type".into(), "FeatureCollection".into());
    if crs_member {
        fc.insert(
            "crs".into(),
            serde_json::json!({"type": "name", "properties": {"name": format!("urn:ogc:def:crs:EPSG::{}", layer.crs().epsg())}}),
        );
    }
    fc.insert("features".into(), Value::Array(features));
    Value::Object(fc)
}

pub(crate) fn write(layer: &Layer, path: &Path, keep_crs: bool) -> Result<()> {
    let fc = if keep_crs {
        to_feature_collection(layer, layer.crs().epsg() != 4326)
    } else {
        // RFC 7946: WGS 84 longitude/latitude, outer rings counter-clockwise
        // and holes clockwise (section 3.1.6).
        let wgs = layer.to_crs(&Crs::wgs84())?;
        let (name, mut geoms, attrs, crs) = wgs.into_parts();
        geoms.iter_mut().flatten().for_each(orient_rfc7946);
        to_feature_collection(&Layer::new(name, geoms, attrs, crs)?, false)
    };
    write_atomic(path, |tmp| {
        let file = std::fs::File::create(tmp).map_err(|e| Error::io(path, e))?;
        let mut w = std::io::BufWriter::new(file);
        serde_json::to_writer(&mut w, &fc).map_err(|e| Error::io(path, e.into()))?;
        std::io::Write::flush(&mut w).map_err(|e| Error::io(path, e))
    })
}

fn orient_rfc7946(g: &mut Geometry<f64>) {
    use geo::orient::{Direction, Orient};
    match g {
        Geometry::Polygon(p) => *p = p.orient(Direction::Default),
        Geometry::MultiPolygon(m) => *m = m.orient(Direction::Default),
        Geometry::GeometryCollection(gc) => gc.0.iter_mut().for_each(orient_rfc7946),
        _ => {}
    }
}
