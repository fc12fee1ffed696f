//! Well-known binary (WKB) to and from `geo` geometries, with the `wkb` crate.

use geo_traits::to_geo::{ToGeoGeometry, ToGeoPoint};
use geo_traits::{GeometryCollectionTrait, GeometryTrait, GeometryType, MultiPointTrait};
use geo_types::{Geometry, GeometryCollection, MultiPoint};
use polars::prelude::*;
use rayon::prelude::*;

use crate::error::{Error, Result};

/// Parse one WKB (ISO or extended, either byte order; Z and M are dropped).
/// An empty point comes back as `None`; the empty parts of a multi-geometry
/// or collection (`MULTIPOINT (EMPTY, (0 0))`) are left out, as GEOS
/// ignores them, and an empty multi-geometry stays empty.
///
/// ```
/// use geo_types::{Geometry, MultiPoint, Point};
/// use lagesbild::io::wkb::decode;
///
/// // MULTIPOINT (EMPTY, (0 0)), as shapely writes it (the empty point as NaN, NaN).
/// let hex = "0104000000020000000101000000000000000000f87f000000000000f87f010100000000000000000000000000000000000000";
/// let bytes: Vec<u8> = (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
/// assert_eq!(decode(&bytes).unwrap(), Some(Geometry::MultiPoint(MultiPoint(vec![Point::new(0.0, 0.0)]))));
/// ```
pub fn decode(bytes: &[u8]) -> std::result::Result<Option<Geometry<f64>>, String> {
    let parsed = wkb::reader::read_wkb(bytes).map_err(|e| format!("invalid WKB: {e}"))?;
    Ok(to_geometry(&parsed))
}

/// A geometry without its empty points (which `geo` cannot hold); `None`
/// for an empty point.
fn to_geometry(g: &impl GeometryTrait<T = f64>) -> Option<Geometry<f64>> {
    match g.as_type() {
        GeometryType::MultiPoint(m) => Some(Geometry::MultiPoint(MultiPoint(
            m.points().filter_map(|p| p.try_to_point()).collect(),
        ))),
        GeometryType::GeometryCollection(c) => Some(Geometry::GeometryCollection(
            GeometryCollection(c.geometries().filter_map(|g| to_geometry(&g)).collect()),
        )),
        _ => g.try_to_geometry(),
    }
}

/// Encode one geometry as little-endian ISO WKB (2D).
pub fn encode(g: &Geometry<f64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(wkb::writer::geometry_wkb_size(g));
    wkb::writer::write_geometry(&mut out, g, &Default::default())
        .expect("writing WKB to memory cannot fail");
    out
}

/// A `Binary` series of WKB, null where the geometry is null.
pub fn to_wkb_series(name: &str, geoms: &[Option<Geometry<f64>>]) -> Result<Series> {
    let encoded: Vec<Option<Vec<u8>>> = geoms.par_iter().map(|g| g.as_ref().map(encode)).collect();
    let ca: BinaryChunked = encoded.iter().map(|o| o.as_deref()).collect();
    Ok(ca.with_name(name.into()).into_series())
}

/// Geometries from a `Binary` column of WKB; `layer` names the data in errors.
pub fn from_wkb_column(layer: &str, col: &Column) -> Result<Vec<Option<Geometry<f64>>>> {
    // GeoArrow-tagged WKB (`geoarrow.wkb`, as pyarrow writes GeoParquet) is
    // an extension type over binary storage.
    let storage;
    let col = match col.dtype() {
        DataType::Extension(..) => {
            storage = col
                .as_materialized_series()
                .ext()
                .map(|e| e.storage().clone().into_column())
                .map_err(|e| Error::InvalidArgument(format!("{layer}: {e}")))?;
            &storage
        }
        _ => col,
    };
    let ca = col.binary().map_err(|_| {
        Error::InvalidArgument(format!(
            "{layer}: geometry column {:?} must hold WKB (binary), not {}",
            col.name().as_str(),
            col.dtype()
        ))
    })?;
    let raw: Vec<Option<&[u8]>> = ca.iter().collect();
    raw.par_iter()
        .enumerate()
        .map(|(i, b)| match b {
            None => Ok(None),
            Some(b) => decode(b).map_err(|e| Error::InvalidGeometry {
                layer: layer.into(),
                feature: i,
                reason: e,
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{line_string, point, polygon};

    #[test]
    fn round_trips_every_type() {
        let geoms: Vec<Geometry<f64>> = vec![
            point!(x: 1.5, y: -2.0).into(),
            line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0)].into(),
            polygon![(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0)].into(),
        ];
        for g in geoms {
            assert_eq!(decode(&encode(&g)).unwrap(), Some(g));
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode(&[1, 3, 0, 0, 0, 255, 255, 255, 127]).is_err());
        assert!(decode(&[]).is_err());
    }
}
