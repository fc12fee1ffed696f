//! Coordinate reference systems: identification and transformation.
//!
//! A [`Crs`] is identified by its EPSG code. The systems Swedish municipal
//! data arrives in are known by name and parameters: WGS 84 (EPSG:4326),
//! SWEREF 99 TM (EPSG:3006), the twelve SWEREF 99 local zones
//! (EPSG:3007–3018; Stockholm uses 3011, SWEREF 99 18 00) and RT 90 2.5 gon V
//! (EPSG:3021). Any other EPSG code known to the `crs-definitions` table is
//! accepted too.
//!
//! Coordinates are always held in GIS order: x = easting or longitude,
//! y = northing or latitude. Transformations are done by `proj4rs` with the
//! extended Transverse Mercator algorithm, as PROJ does.

use std::fmt;
use std::sync::Arc;

use geo_types::Geometry;
use rayon::prelude::*;
use serde_json::Value;

use crate::error::{Error, Result};

/// One of the built-in systems.
struct Known {
    epsg: u32,
    name: &'static str,
    /// Central meridian, scale factor and false easting for projected systems.
    tm: Option<(f64, f64, f64)>,
    proj: &'static str,
    bessel: bool,
}

const WGS84_PROJ: &str = "+proj=longlat +datum=WGS84 +no_defs";

macro_rules! sweref_zone {
    ($epsg:expr, $name:expr, $lon:expr) => {
        Known {
            epsg: $epsg,
            name: $name,
            tm: Some(($lon, 1.0, 150000.0)),
            proj: concat!(
                "+proj=etmerc +lat_0=0 +lon_0=",
                stringify!($lon),
                " +k=1 +x_0=150000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
            ),
            bessel: false,
        }
    };
}

const KNOWN: &[Known] = &[
    Known {
        epsg: 4326,
        name: "WGS 84",
        tm: None,
        proj: WGS84_PROJ,
        bessel: false,
    },
    Known {
        epsg: 4619,
        name: "SWEREF99",
        tm: None,
        proj: "+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs",
        bessel: false,
    },
    Known {
        epsg: 3006,
        name: "SWEREF99 TM",
        tm: Some((15.0, 0.9996, 500000.0)),
        proj: "+proj=etmerc +lat_0=0 +lon_0=15 +k=0.9996 +x_0=500000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
        bessel: false,
    },
    sweref_zone!(3007, "SWEREF99 12 00", 12.0),
    sweref_zone!(3008, "SWEREF99 13 30", 13.5),
    sweref_zone!(3009, "SWEREF99 15 00", 15.0),
    sweref_zone!(3010, "SWEREF99 16 30", 16.5),
    sweref_zone!(3011, "SWEREF99 18 00", 18.0),
    sweref_zone!(3012, "SWEREF99 14 15", 14.25),
    sweref_zone!(3013, "SWEREF99 15 45", 15.75),
    sweref_zone!(3014, "SWEREF99 17 15", 17.25),
    sweref_zone!(3015, "SWEREF99 18 45", 18.75),
    sweref_zone!(3016, "SWEREF99 20 15", 20.25),
    sweref_zone!(3017, "SWEREF99 21 45", 21.75),
    sweref_zone!(3018, "SWEREF99 23 15", 23.25),
    Known {
        epsg: 3021,
        name: "RT90 2.5 gon V",
        tm: Some((15.808277777777779, 1.0, 1500000.0)),
        proj: "+proj=tmerc +lat_0=0 +lon_0=15.80827777777778 +k=1 +x_0=1500000 +y_0=0 +ellps=bessel +towgs84=414.1,41.3,603.1,-0.855,2.141,-7.023,0 +units=m +no_defs",
        bessel: true,
    },
];

/// A coordinate reference system, identified by its EPSG code.
///
/// # Examples
///
/// ```
/// use lagesbild::Crs;
/// let crs = Crs::from_epsg(3011).unwrap();
/// assert_eq!(crs.name(), "SWEREF99 18 00");
/// assert!(!crs.is_geographic());
/// assert_eq!(Crs::parse("urn:ogc:def:crs:OGC:1.3:CRS84").unwrap().epsg(), 4326);
/// ```
#[derive(Clone)]
pub struct Crs {
    epsg: u32,
    name: Arc<str>,
    proj_string: Arc<str>,
    geographic: bool,
}

impl PartialEq for Crs {
    fn eq(&self, other: &Self) -> bool {
        self.epsg == other.epsg
    }
}
impl Eq for Crs {}

impl fmt::Debug for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EPSG:{} ({})", self.epsg, self.name)
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EPSG:{} ({})", self.epsg, self.name)
    }
}

impl Crs {
    /// WGS 84 in longitude/latitude (EPSG:4326, in GIS axis order).
    pub fn wgs84() -> Crs {
        Crs::from_epsg(4326).expect("4326 is built in")
    }

    /// The CRS with this EPSG code.
    pub fn from_epsg(epsg: u32) -> Result<Crs> {
        if let Some(k) = KNOWN.iter().find(|k| k.epsg == epsg) {
            return Ok(Crs {
                epsg,
                name: k.name.into(),
                proj_string: k.proj.into(),
                geographic: k.tm.is_none(),
            });
        }
        let def = u16::try_from(epsg)
            .ok()
            .and_then(crs_definitions::from_code)
            .ok_or_else(|| Error::Crs {
                layer: "crs".into(),
                detail: format!("EPSG:{epsg} is not a coordinate reference system lagesbild knows"),
            })?;
        let geographic = def.proj4.contains("+proj=longlat");
        let name = def
            .wkt
            .split('"')
            .nth(1)
            .map(str::to_string)
            .unwrap_or_else(|| format!("EPSG:{epsg}"));
        // PROJ's `tmerc` is the extended (Poder/Engsager) algorithm.
        let proj = def.proj4.replace("+proj=tmerc ", "+proj=etmerc ");
        Ok(Crs {
            epsg,
            name: name.into(),
            proj_string: proj.into(),
            geographic,
        })
    }

    /// Parse what a user or a file may say: `3011`, `"EPSG:3011"`, an OGC URN
    /// such as `urn:ogc:def:crs:OGC:1.3:CRS84`, WKT (1 or 2, ESRI too) or PROJJSON.
    pub fn parse(text: &str) -> Result<Crs> {
        let t = text.trim();
        identify_text(t).ok_or_else(|| Error::Crs {
            layer: "crs".into(),
            detail: format!("cannot identify the CRS {:?}", shorten(t)),
        })
    }

    /// The EPSG code.
    pub fn epsg(&self) -> u32 {
        self.epsg
    }

    /// A readable name such as `SWEREF99 18 00`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// True for longitude/latitude systems, whose units are degrees.
    pub fn is_geographic(&self) -> bool {
        self.geographic
    }

    /// The PROJ.4 definition used for transformations.
    pub fn proj_string(&self) -> &str {
        &self.proj_string
    }

    /// `EPSG:3011`.
    pub fn authority_code(&self) -> String {
        format!("EPSG:{}", self.epsg)
    }

    /// A PROJJSON description (the form GeoParquet requires). The built-in
    /// systems are described in full (datum, ellipsoid, projection
    /// parameters, axes) with their EPSG id; others by name and id.
    pub fn to_projjson(&self) -> Value {
        let known = KNOWN.iter().find(|k| k.epsg == self.epsg);
        let Some(k) = known else {
            let kind = if self.geographic {
                "GeographicCRS"
            } else {
                "ProjectedCRS"
            };
            return serde_json::json!({
                "$schema": "https://proj.org/schemas/v0.7/projjson.schema.json",
                "type": kind,
                "name": self.name.as_ref(),
                "id": {"authority": "EPSG", "code": self.epsg},
            });
        };
        let (datum, ellipsoid, a, rf, base_id) = if k.bessel {
            (
                "Rikets koordinatsystem 1990",
                "Bessel 1841",
                6377397.155,
                299.1528128,
                4124,
            )
        } else if k.epsg == 4326 {
            (
                "World Geodetic System 1984",
                "WGS 84",
                6378137.0,
                298.257223563,
                4326,
            )
        } else {
            ("SWEREF99", "GRS 1980", 6378137.0, 298.257222101, 4619)
        };
        let geographic_axes = serde_json::json!({
            "subtype": "ellipsoidal",
            "axis": [
                {"name": "Geodetic latitude", "abbreviation": "Lat", "direction": "north", "unit": "degree"},
                {"name": "Geodetic longitude", "abbreviation": "Lon", "direction": "east", "unit": "degree"}
            ]
        });
        let base_name = match base_id {
            4124 => "RT90",
            4326 => "WGS 84",
            _ => "SWEREF99",
        };
        let base = serde_json::json!({
            "type": "GeographicCRS",
            "name": base_name,
            "datum": {
                "type": "GeodeticReferenceFrame",
                "name": datum,
                "ellipsoid": {"name": ellipsoid, "semi_major_axis": a, "inverse_flattening": rf}
            },
            "coordinate_system": geographic_axes,
            "id": {"authority": "EPSG", "code": base_id}
        });
        let Some((lon0, k0, x0)) = k.tm else {
            let mut g = base;
            g["$schema"] = "https://proj.org/schemas/v0.7/projjson.schema.json".into();
            g["name"] = k.name.into();
            g["id"] = serde_json::json!({"authority": "EPSG", "code": k.epsg});
            return g;
        };
        let param = |name: &str, value: f64, unit: &str, code: u32| serde_json::json!({"name": name, "value": value, "unit": unit, "id": {"authority": "EPSG", "code": code}});
        let mut base = base;
        if let Some(obj) = base.as_object_mut() {
            obj.remove("type");
        }
        serde_json::json!({
            "$schema": "https://proj.org/schemas/v0.7/projjson.schema.json",
            "type": "ProjectedCRS",
            "name": k.name,
            "base_crs": base,
            "conversion": {
                "name": k.name,
                "method": {"name": "Transverse Mercator", "id": {"authority": "EPSG", "code": 9807}},
                "parameters": [
                    param("Latitude of natural origin", 0.0, "degree", 8801),
                    param("Longitude of natural origin", lon0, "degree", 8802),
                    param("Scale factor at natural origin", k0, "unity", 8805),
                    param("False easting", x0, "metre", 8806),
                    param("False northing", 0.0, "metre", 8807)
                ]
            },
            "coordinate_system": {
                "subtype": "Cartesian",
                "axis": [
                    {"name": "Northing", "abbreviation": "N", "direction": "north", "unit": "metre"},
                    {"name": "Easting", "abbreviation": "E", "direction": "east", "unit": "metre"}
                ]
            },
            "id": {"authority": "EPSG", "code": k.epsg}
        })
    }

    /// A WKT 1 description with the EPSG authority, as GeoPackage and `.prj` files hold.
    pub fn to_wkt(&self) -> String {
        let known = KNOWN.iter().find(|k| k.epsg == self.epsg);
        let (geog, datum, sph, a, rf, auth) = match known {
            Some(k) if k.bessel => (
                "RT90",
                "Rikets_koordinatsystem_1990",
                "Bessel 1841",
                6377397.155,
                299.1528128,
                4124,
            ),
            Some(k) if k.epsg == 4326 => (
                "WGS 84",
                "WGS_1984",
                "WGS 84",
                6378137.0,
                298.257223563,
                4326,
            ),
            _ => (
                "SWEREF99",
                "SWEREF99",
                "GRS 1980",
                6378137.0,
                298.257222101,
                4619,
            ),
        };
        let geogcs = format!(
            "GEOGCS[\"{geog}\",DATUM[\"{datum}\",SPHEROID[\"{sph}\",{a},{rf}]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433],AUTHORITY[\"EPSG\",\"{auth}\"]]"
        );
        match known.and_then(|k| k.tm) {
            None if self.geographic && known.is_some() => geogcs,
            Some((lon0, k0, x0)) => format!(
                "PROJCS[\"{}\",{geogcs},PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",{lon0}],PARAMETER[\"scale_factor\",{k0}],PARAMETER[\"false_easting\",{x0}],PARAMETER[\"false_northing\",0],UNIT[\"metre\",1],AUTHORITY[\"EPSG\",\"{}\"]]",
                self.name, self.epsg
            ),
            None => u16::try_from(self.epsg)
                .ok()
                .and_then(crs_definitions::from_code)
                .map(|d| d.wkt.to_string())
                .unwrap_or_default(),
        }
    }

    fn proj(&self) -> Result<proj4rs::Proj> {
        proj4rs::Proj::from_proj_string(&self.proj_string).map_err(|e| Error::Crs {
            layer: self.authority_code(),
            detail: format!("cannot set up the projection: {e}"),
        })
    }
}

fn shorten(t: &str) -> String {
    if t.chars().count() > 120 {
        format!("{}…", t.chars().take(120).collect::<String>())
    } else {
        t.to_string()
    }
}

fn identify_text(t: &str) -> Option<Crs> {
    if t.is_empty() {
        return None;
    }
    if t.starts_with('{') {
        let v: Value = serde_json::from_str(t).ok()?;
        return identify_projjson(&v);
    }
    if let Ok(code) = t.parse::<u32>() {
        return Crs::from_epsg(code).ok();
    }
    let upper = t.to_ascii_uppercase();
    let compact: String = upper.chars().filter(|c| !c.is_whitespace()).collect();
    if matches!(
        compact.as_str(),
        "CRS84" | "OGC:CRS84" | "URN:OGC:DEF:CRS:OGC:1.3:CRS84" | "URN:OGC:DEF:CRS:OGC::CRS84"
    ) || compact.ends_with("/OGC/1.3/CRS84")
        || compact.ends_with("/OGC/0/CRS84")
    {
        return Crs::from_epsg(4326).ok();
    }
    for prefix in ["EPSG:", "URN:OGC:DEF:CRS:EPSG::", "URN:OGC:DEF:CRS:EPSG:"] {
        if let Some(rest) = compact.strip_prefix(prefix) {
            let code = rest.rsplit(':').next()?;
            return code.parse().ok().and_then(|c| Crs::from_epsg(c).ok());
        }
    }
    if let Some(pos) = compact.find("/EPSG/") {
        let code = compact[pos + 6..].rsplit('/').next()?;
        return code.parse().ok().and_then(|c| Crs::from_epsg(c).ok());
    }
    if compact.contains('[') {
        return identify_wkt(t);
    }
    None
}

/// Identify a CRS from WKT 1 (OGC or ESRI) or WKT 2: by its top-level
/// authority code, else by its Transverse Mercator parameters and ellipsoid,
/// else (geographic) by its datum.
pub fn identify_wkt(wkt: &str) -> Option<Crs> {
    if let Some(code) = top_level_epsg(wkt) {
        if let Ok(crs) = Crs::from_epsg(code) {
            return Some(crs);
        }
    }
    let upper = wkt.to_ascii_uppercase();
    let head: String = upper.chars().take_while(|&c| c != '[').collect();
    let head = head.trim();
    let projected = matches!(head, "PROJCS" | "PROJCRS" | "PROJECTEDCRS");
    let bessel = upper.contains("BESSEL") || upper.contains("RT90") || upper.contains("RT 90");
    if projected {
        let lon0 = wkt_param(
            &upper,
            &[
                "CENTRAL_MERIDIAN",
                "LONGITUDE OF NATURAL ORIGIN",
                "LONGITUDE_OF_CENTER",
            ],
        )?;
        let k0 =
            wkt_param(&upper, &["SCALE_FACTOR", "SCALE FACTOR AT NATURAL ORIGIN"]).unwrap_or(1.0);
        let x0 = wkt_param(&upper, &["FALSE_EASTING", "FALSE EASTING"]).unwrap_or(0.0);
        if !(upper.contains("TRANSVERSE_MERCATOR") || upper.contains("TRANSVERSE MERCATOR")) {
            return None;
        }
        return match_tm(lon0, k0, x0, bessel);
    }
    if matches!(head, "GEOGCS" | "GEOGCRS" | "GEODCRS" | "GEOGRAPHICCRS") {
        if bessel {
            return None;
        }
        if upper.contains("WGS") && upper.contains("84")
            || upper.contains("SWEREF")
            || upper.contains("GRS_1980")
            || upper.contains("GRS 1980")
            || upper.contains("ETRS")
        {
            return Crs::from_epsg(4326).ok();
        }
    }
    None
}

fn match_tm(lon0: f64, k0: f64, x0: f64, bessel: bool) -> Option<Crs> {
    KNOWN
        .iter()
        .find(|k| {
            k.bessel == bessel
                && k.tm.is_some_and(|(l, s, x)| {
                    (l - lon0).abs() < 1e-6 && (s - k0).abs() < 1e-9 && (x - x0).abs() < 1e-3
                })
        })
        .and_then(|k| Crs::from_epsg(k.epsg).ok())
}

/// The EPSG code in the outermost `AUTHORITY["EPSG","n"]` or `ID["EPSG",n]`.
fn top_level_epsg(wkt: &str) -> Option<u32> {
    let bytes = wkt.as_bytes();
    let mut depth = 0i32;
    let mut in_str = false;
    let mut found = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'"' {
            in_str = !in_str;
        } else if !in_str {
            match c {
                b'[' | b'(' => depth += 1,
                b']' | b')' => depth -= 1,
                _ => {}
            }
            if depth == 1 {
                let rest = &wkt[i..];
                let up = rest.get(..12).unwrap_or(rest).to_ascii_uppercase();
                let skip = if up.starts_with(",AUTHORITY[") {
                    Some(11)
                } else if up.starts_with(",ID[") {
                    Some(4)
                } else {
                    None
                };
                if let Some(skip) = skip {
                    let inner = &rest[skip..];
                    let end = inner.find(']')?;
                    let parts: Vec<&str> = inner[..end]
                        .split(',')
                        .map(|p| p.trim().trim_matches('"'))
                        .collect();
                    if parts.len() >= 2 && parts[0].eq_ignore_ascii_case("EPSG") {
                        found = parts[1].parse().ok();
                    }
                }
            }
        }
        i += 1;
    }
    found
}

fn wkt_param(upper: &str, names: &[&str]) -> Option<f64> {
    for name in names {
        for key in [
            format!("PARAMETER[\"{name}\","),
            format!("PARAMETER[\"{name}\" ,"),
        ] {
            if let Some(pos) = upper.find(&key) {
                let rest = &upper[pos + key.len()..];
                let end = rest.find([',', ']'])?;
                if let Ok(v) = rest[..end].trim().parse() {
                    return Some(v);
                }
            }
        }
    }
    None
}

/// Identify a CRS from PROJJSON: its `id`, else its name, else its
/// Transverse Mercator parameters.
pub fn identify_projjson(v: &Value) -> Option<Crs> {
    if let Some(id) = v.get("id") {
        if let Some(c) = projjson_id(id) {
            return Some(c);
        }
    }
    if let Some(ids) = v.get("ids").and_then(Value::as_array) {
        if let Some(c) = ids.iter().find_map(projjson_id) {
            return Some(c);
        }
    }
    let name = v.get("name").and_then(Value::as_str).unwrap_or("");
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_uppercase()
    };
    let n = norm(name);
    if let Some(k) = KNOWN.iter().find(|k| norm(k.name) == n) {
        return Crs::from_epsg(k.epsg).ok();
    }
    if n == "WGS84" || n == "WGS84CRS84" {
        return Crs::from_epsg(4326).ok();
    }
    if v.get("type").and_then(Value::as_str) == Some("ProjectedCRS") {
        let params = v.get("conversion")?.get("parameters")?.as_array()?;
        let get = |want: &str| {
            params.iter().find_map(|p| {
                (p.get("name")?.as_str()?.eq_ignore_ascii_case(want))
                    .then(|| p.get("value")?.as_f64())
                    .flatten()
            })
        };
        let lon0 = get("Longitude of natural origin")?;
        let k0 = get("Scale factor at natural origin").unwrap_or(1.0);
        let x0 = get("False easting").unwrap_or(0.0);
        let text = v.to_string().to_ascii_uppercase();
        return match_tm(lon0, k0, x0, text.contains("BESSEL"));
    }
    None
}

fn projjson_id(id: &Value) -> Option<Crs> {
    let auth = id.get("authority")?.as_str()?;
    let code = id.get("code")?;
    let code = code
        .as_u64()
        .or_else(|| code.as_str().and_then(|s| s.parse().ok()))?;
    if auth.eq_ignore_ascii_case("OGC") {
        return None;
    }
    if auth.eq_ignore_ascii_case("EPSG") {
        return Crs::from_epsg(code as u32).ok();
    }
    None
}

/// Identify the CRS of an OGC:CRS84 PROJJSON, which carries `"id": {"authority": "OGC", "code": "CRS84"}`.
pub fn is_crs84_projjson(v: &Value) -> bool {
    v.get("id")
        .and_then(|id| id.get("code"))
        .and_then(Value::as_str)
        .is_some_and(|c| c.eq_ignore_ascii_case("CRS84"))
}

/// Transform geometries from one CRS to another, in parallel, in place.
///
/// Fails, naming the feature, if a coordinate cannot be transformed (for
/// example a point far outside the projection's domain).
///
/// # Examples
///
/// ```
/// use geo_types::{Geometry, Point};
/// use lagesbild::{crs, Crs};
/// let mut geoms = vec![Some(Geometry::Point(Point::new(18.0, 59.0)))];
/// crs::transform(&mut geoms, &Crs::from_epsg(4326).unwrap(), &Crs::from_epsg(3011).unwrap()).unwrap();
/// let Some(Geometry::Point(p)) = &geoms[0] else { panic!() };
/// assert!((p.x() - 150000.0).abs() < 1e-6);
/// ```
pub fn transform(geoms: &mut [Option<Geometry<f64>>], from: &Crs, to: &Crs) -> Result<()> {
    if from == to {
        return Ok(());
    }
    let project = projector(from, to)?;
    let results: Vec<Result<()>> = geoms
        .par_iter_mut()
        .enumerate()
        .map(|(i, g)| {
            let Some(g) = g else { return Ok(()) };
            crate::geom::try_for_each_coord_mut(g, &mut |c: &mut geo_types::Coord<f64>| {
                *c = project(*c)?;
                Ok(())
            })
            .map_err(|detail: String| Error::Crs {
                layer: format!("feature {i}"),
                detail: format!("cannot transform from {from} to {to}: {detail}"),
            })
        })
        .collect();
    results.into_iter().collect()
}

/// Transform point coordinates given as two columns from one CRS to another.
/// A point with a non-finite coordinate stays NaN (a point nowhere); a point
/// that has no image in `to` is an error naming it.
///
/// # Examples
///
/// ```
/// use lagesbild::{crs, Crs};
/// let (x, y) = crs::transform_xy(&[18.0, f64::NAN], &[59.0, 59.0], &Crs::from_epsg(4326).unwrap(), &Crs::from_epsg(3011).unwrap()).unwrap();
/// assert!((x[0] - 150000.0).abs() < 1e-6 && y[0] > 6.5e6);
/// assert!(x[1].is_nan() && y[1].is_nan());
/// ```
pub fn transform_xy(xs: &[f64], ys: &[f64], from: &Crs, to: &Crs) -> Result<(Vec<f64>, Vec<f64>)> {
    crate::ensure!(
        xs.len() == ys.len(),
        "transform: {} x values but {} y values",
        xs.len(),
        ys.len()
    );
    if from == to {
        return Ok((xs.to_vec(), ys.to_vec()));
    }
    let project = projector(from, to)?;
    let moved: Vec<Result<(f64, f64)>> = xs
        .par_iter()
        .zip(ys.par_iter())
        .enumerate()
        .map(|(i, (&x, &y))| {
            if !(x.is_finite() && y.is_finite()) {
                return Ok((f64::NAN, f64::NAN));
            }
            project(geo_types::Coord { x, y })
                .map(|c| (c.x, c.y))
                .map_err(|detail| Error::Crs {
                    layer: format!("point {i}"),
                    detail: format!("cannot transform from {from} to {to}: {detail}"),
                })
        })
        .collect();
    let mut out = (Vec::with_capacity(xs.len()), Vec::with_capacity(xs.len()));
    for r in moved {
        let (x, y) = r?;
        out.0.push(x);
        out.1.push(y);
    }
    Ok(out)
}

/// The function that moves one coordinate from `from` to `to` (degrees in
/// and out for geographic CRSs), with what went wrong as text.
fn projector(
    from: &Crs,
    to: &Crs,
) -> Result<
    impl Fn(geo_types::Coord<f64>) -> std::result::Result<geo_types::Coord<f64>, String> + Sync,
> {
    let src = from.proj()?;
    let dst = to.proj()?;
    let src_deg = from.is_geographic();
    let dst_deg = to.is_geographic();
    Ok(move |c: geo_types::Coord<f64>| {
        let (mut x, mut y) = (c.x, c.y);
        if src_deg {
            x = x.to_radians();
            y = y.to_radians();
        }
        let mut p = (x, y, 0.0);
        match proj4rs::transform::transform(&src, &dst, &mut p) {
            Ok(()) if p.0.is_finite() && p.1.is_finite() => {
                let (mut x, mut y) = (p.0, p.1);
                if dst_deg {
                    x = x.to_degrees();
                    y = y.to_degrees();
                }
                Ok(geo_types::Coord { x, y })
            }
            Ok(()) => Err(format!("coordinate ({}, {}) has no image", c.x, c.y)),
            Err(e) => Err(format!("coordinate ({}, {}): {e}", c.x, c.y)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifies_esri_prj_by_parameters() {
        let prj = r#"PROJCS["SWEREF99_18_00",GEOGCS["GCS_SWEREF99",DATUM["D_SWEREF99",SPHEROID["GRS_1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",18],PARAMETER["scale_factor",1],PARAMETER["false_easting",150000],PARAMETER["false_northing",0],UNIT["Meter",1]]"#;
        assert_eq!(Crs::parse(prj).unwrap().epsg(), 3011);
    }

    #[test]
    fn identifies_every_builtin_from_its_own_wkt_and_projjson() {
        for k in KNOWN {
            let crs = Crs::from_epsg(k.epsg).unwrap();
            assert_eq!(Crs::parse(&crs.to_wkt()).unwrap(), crs, "{}", k.name);
            // Without the authority code, the parameters decide.
            let bare = crs
                .to_wkt()
                .replace(&format!(",AUTHORITY[\"EPSG\",\"{}\"]]", k.epsg), "]");
            if k.epsg != 4619 {
                let got = Crs::parse(&bare).unwrap();
                assert!(
                    got == crs || (k.tm.is_none() && got.epsg() == 4326),
                    "{}",
                    k.name
                );
            }
            assert_eq!(identify_projjson(&crs.to_projjson()).unwrap(), crs);
        }
    }

    #[test]
    fn wkt2_top_level_id_wins_over_nested_ids() {
        let wkt = r#"PROJCRS["SWEREF99 TM",BASEGEOGCRS["SWEREF99",DATUM["SWEREF99",ELLIPSOID["GRS 1980",6378137,298.257222101]],ID["EPSG",4619]],CONVERSION["SWEREF99 TM",METHOD["Transverse Mercator",ID["EPSG",9807]]],ID["EPSG",3006]]"#;
        assert_eq!(Crs::parse(wkt).unwrap().epsg(), 3006);
    }

    #[test]
    fn parses_user_spellings() {
        for s in [
            "3011",
            "EPSG:3011",
            "epsg:3011",
            "urn:ogc:def:crs:EPSG::3011",
            "http://www.opengis.net/def/crs/EPSG/0/3011",
        ] {
            assert_eq!(Crs::parse(s).unwrap().epsg(), 3011, "{s}");
        }
        assert_eq!(Crs::parse("OGC:CRS84").unwrap().epsg(), 4326);
        assert!(Crs::parse("EPSG:999999").is_err());
        assert!(Crs::parse("nonsense").is_err());
    }

    #[test]
    fn round_trip_3011_4326_3011_within_a_millimetre() {
        let orig = vec![Some(Geometry::Point(geo_types::Point::new(
            153_456.789,
            6_580_123.456,
        )))];
        let mut g = orig.clone();
        let a = Crs::from_epsg(3011).unwrap();
        let b = Crs::from_epsg(4326).unwrap();
        transform(&mut g, &a, &b).unwrap();
        transform(&mut g, &b, &a).unwrap();
        let (Some(Geometry::Point(p)), Some(Geometry::Point(q))) = (&g[0], &orig[0]) else {
            panic!()
        };
        assert!((p.x() - q.x()).abs() < 1e-3 && (p.y() - q.y()).abs() < 1e-3);
    }

    #[test]
    fn sweref_tm_matches_a_known_point() {
        // Central meridian of SWEREF 99 TM at the equator: x = false easting.
        let mut g = vec![Some(Geometry::Point(geo_types::Point::new(15.0, 0.0)))];
        transform(&mut g, &Crs::wgs84(), &Crs::from_epsg(3006).unwrap()).unwrap();
        let Some(Geometry::Point(p)) = &g[0] else {
            panic!()
        };
        assert!((p.x() - 500_000.0).abs() < 1e-6 && p.y().abs() < 1e-6);
    }
}
