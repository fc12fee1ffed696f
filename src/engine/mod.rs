//! The spatial engine: indexed, parallel joins, overlays and distances.
//!
//! Every operation here is one of a few spatial questions asked of many
//! features at once. The large side (points, incidents, pieces of zones) is
//! split over the library's own thread pool ([`set_threads`]); the small side
//! (areas, routes, zones) is indexed once and shared.
//!
//! - [`assign`]: which area each point lies in — a [`PolygonGrid`] answers
//!   most points with one memory read;
//! - [`sjoin`]: matching pairs under `intersects`, `within` or `contains`;
//! - [`overlay`]: intersection areas and pieces of two polygon layers, and
//!   line lengths within areas;
//! - [`distance`]: points within a distance of lines, and the nearest feature;
//! - [`construct`]: buffers and dissolves.
//!
//! Metric operations refuse layers in longitude/latitude, and every
//! operation on two layers refuses two different CRSs, naming both and the
//! fix ([`Layer::to_crs`]).

pub mod assign;
pub mod construct;
pub mod distance;
pub mod grid;
pub mod join;
pub mod overlay;

use std::sync::{Arc, RwLock};

use geo_types::{Geometry, MultiPolygon};
use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::{Error, Layer, Result};

pub use assign::{area_index, assign_layer, assign_xy, locate_all};
pub use construct::{buffer, dissolve};
pub use distance::{nearest, point_xy, within_distance, Nearest, WithinDistance};
pub use grid::PolygonGrid;
pub use join::{sjoin, Predicate};
pub use overlay::{length_within, overlay, overlay_area, Piece};

static POOL: RwLock<Option<Arc<ThreadPool>>> = RwLock::new(None);

/// Set the number of threads the engine uses (at least 1); may be called
/// again at any time. Without it the count follows `RAYON_NUM_THREADS`, or
/// the number of cores.
pub fn set_threads(n: usize) -> Result<()> {
    crate::ensure!(
        n >= 1,
        "set_threads: the number of threads must be at least 1, not {n}"
    );
    let pool = ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(|i| format!("lagesbild-{i}"))
        .build()
        .map_err(|e| Error::InvalidArgument(format!("set_threads({n}): {e}")))?;
    *POOL.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(pool));
    Ok(())
}

/// The number of threads the engine uses.
pub fn threads() -> usize {
    pool().current_num_threads()
}

fn pool() -> Arc<ThreadPool> {
    if let Some(p) = POOL.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
        return p.clone();
    }
    let mut slot = POOL.write().unwrap_or_else(|e| e.into_inner());
    slot.get_or_insert_with(|| {
        let n = std::env::var("RAYON_NUM_THREADS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        Arc::new(
            ThreadPoolBuilder::new()
                .num_threads(n)
                .thread_name(|i| format!("lagesbild-{i}"))
                .build()
                .expect("building a thread pool with a positive thread count"),
        )
    })
    .clone()
}

/// Run `f` on the engine's thread pool.
pub(crate) fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    pool().install(f)
}

/// Refuse two layers in different CRSs, naming both and the fix.
pub(crate) fn same_crs(a: &Layer, b: &Layer, what: &str) -> Result<()> {
    if a.crs() != b.crs() {
        return Err(Error::Crs {
            layer: format!("{what}: {} and {}", a.name(), b.name()),
            detail: format!(
                "the layers are in different CRSs ({} is in {}, {} in {}); bring one to the other's CRS first, e.g. {}.to_crs({})",
                a.name(),
                a.crs(),
                b.name(),
                b.crs(),
                a.name(),
                b.crs().epsg()
            ),
        });
    }
    Ok(())
}

/// Refuse the first feature of `layer` with a coordinate that is not a
/// finite number (NaN or infinite), naming it.
pub(crate) fn refuse_non_finite(layer: &Layer) -> Result<()> {
    match layer
        .geometries()
        .iter()
        .position(|g| g.as_ref().is_some_and(|g| !crate::geom::all_finite(g)))
    {
        Some(feature) => Err(crate::Error::InvalidGeometry {
            layer: layer.name().to_string(),
            feature,
            reason: "a coordinate is not a finite number".into(),
        }),
        None => Ok(()),
    }
}

/// The polygons of an area layer, one (possibly empty) multipolygon per
/// feature; a null geometry never matches. Points and lines are refused,
/// naming the feature.
pub(crate) fn polygons(layer: &Layer, what: &str) -> Result<Vec<MultiPolygon<f64>>> {
    layer
        .geometries()
        .iter()
        .enumerate()
        .map(|(i, g)| match g {
            None => Ok(MultiPolygon(vec![])),
            Some(g) => as_multipolygon(g).ok_or_else(|| Error::InvalidGeometry {
                layer: layer.name().to_string(),
                feature: i,
                reason: format!(
                    "{what} needs polygons, and this feature is a {}",
                    crate::geom::type_name(g)
                ),
            }),
        })
        .collect()
}

/// A polygonal geometry as a multipolygon (`None` for points and lines; a
/// collection counts when all its members are polygonal).
pub(crate) fn as_multipolygon(g: &Geometry<f64>) -> Option<MultiPolygon<f64>> {
    Some(match g {
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        Geometry::MultiPolygon(m) => m.clone(),
        Geometry::Rect(r) => MultiPolygon(vec![r.to_polygon()]),
        Geometry::Triangle(t) => MultiPolygon(vec![t.to_polygon()]),
        Geometry::GeometryCollection(c) => {
            let mut out = Vec::new();
            for g in c.iter() {
                out.extend(as_multipolygon(g)?.0);
            }
            MultiPolygon(out)
        }
        _ => return None,
    })
}

/// Refuse a layer with no features where some are needed.
pub(crate) fn non_empty(layer: &Layer, what: &str) -> Result<()> {
    if layer.is_empty() {
        return Err(Error::EmptyLayer {
            layer: layer.name().to_string(),
            detail: format!("{what} needs at least one feature, and the layer is empty"),
        });
    }
    Ok(())
}

#[doc(hidden)]
pub fn as_mp(g: &Geometry<f64>) -> MultiPolygon<f64> {
    as_multipolygon(g).unwrap()
}
