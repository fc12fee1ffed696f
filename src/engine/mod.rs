//! The spatial engine: indexed, parallel joins, overlays and distances.
//!
//! Every operation here is one of a few spatial questions asked of many
//! features at once. The large side (points, incidents, pieces of zones) is
//! split over the library's own thread pool; the small side (areas, routes,
//! zones) is indexed once and shared. Joins and overlays are written as
//! filter ([`index`]: boxes that meet) then refine (the exact predicate or
//! measure), and return row positions: building output tables is the
//! caller's step.
//!
//! Everything is in the layers' CRS: areas in m², lengths and distances in
//! metres of a projected CRS. Metric operations refuse layers in
//! longitude/latitude, and every operation on two layers refuses two
//! different CRSs, naming both and the fix ([`Layer::to_crs`]).

/// Which area each point lies in: [`assign`], answered by a [`PolygonGrid`].
pub mod assign;
/// The boundary of each feature: [`boundary`].
pub mod boundary;
/// The refusals made before computing: CRSs, finiteness, geometry types, validity.
pub mod checks;
/// Polygons cut down to a rectangle before an overlay.
mod clip;
/// New geometries: [`buffer`] and [`dissolve`].
pub mod construct;
/// Points within a distance of lines ([`within_distance`]) and the [`nearest`] feature ([`nearest_points`] for coordinates).
pub mod distance;
/// The uniform grid that locates points in polygons exactly.
pub mod grid;
/// Points counted on a grid of cells and their hotspots: Gi* with an FDR correction ([`hotspots`]).
pub mod hotspot;
/// The box R-tree and the candidate pairs every join starts from.
pub mod index;
/// Matching pairs under a predicate: [`sjoin`].
pub mod join;
/// Buffers as GEOS builds them: offset curves, and the region they wind around.
mod offset;
/// Shared areas and pieces of two polygon layers, and line lengths within areas.
pub mod overlay;
/// The intersection polygon of two polygons, on the inputs' own coordinates.
mod pieces;
/// The engine's thread pool: [`set_threads`], [`threads`].
pub mod pool;
/// Exact predicates on the input coordinates alone: a line in a line.
pub mod relate;
/// Overlaps between areas and the gaps they leave: [`area_topology`].
pub mod topology;

#[allow(unused_imports)]
use crate::Layer; // for the docs' links

pub use assign::{area_index, assign, assign_into, assign_xy, locate_all, Points};
pub use boundary::boundary;
pub use construct::{buffer, dissolve};
pub use distance::{nearest, nearest_points, within_distance, Nearest, WithinDistance};
pub use grid::{PolygonGrid, NONE};
pub use hotspot::{
    benjamini_hochberg, getis_ord_star, grid_counts, hotspots, hotspots_on, study_area,
    study_cells, CellGrid, GiStar, Hotspots,
};
pub use join::{sjoin, Predicate};
pub use overlay::{length_within, overlay, overlay_area, Overlay};
pub use pool::{set_threads, threads};
pub use topology::{area_topology, AreaTopology, Gap, Overlap, TopologyOptions};

pub(crate) use pool::install;
