//! The engine's functions for Python (`lagesbild.engine`), under the same
//! names: coordinates come in as buffers (numpy arrays, read in place), row
//! positions and measures go out as bytes the Python side views as numpy
//! arrays. The Python package assembles the polars results.

use lagesbild::engine::{self, Points};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};

use crate::crs::PyCrs;
use crate::error::{invalid, run};
use crate::layer::PyLayer;
use crate::wire::{f64_bytes, pairs, triples, u32_bytes, u32_bytes_with, Pairs, Triples, View};

#[pyfunction]
pub(crate) fn set_threads(py: Python<'_>, n: usize) -> PyResult<()> {
    run(py, || engine::set_threads(n))
}

#[pyfunction]
pub(crate) fn threads() -> usize {
    engine::threads()
}

/// The points of a point operation: a `Layer` of points, or an `(x, y)`
/// pair of float64 arrays.
enum PointsArg<'py> {
    Layer(PyRef<'py, PyLayer>),
    Xy(View<f64>, View<f64>),
}

impl<'py> PointsArg<'py> {
    fn get(obj: &Bound<'py, PyAny>, what: &str) -> PyResult<PointsArg<'py>> {
        if let Ok(layer) = obj.extract::<PyRef<'py, PyLayer>>() {
            return Ok(PointsArg::Layer(layer));
        }
        if let Ok(t) = obj.cast::<PyTuple>() {
            if t.len() == 2 {
                return Ok(PointsArg::Xy(
                    View::get(&t.get_item(0)?, &format!("{what} x"))?,
                    View::get(&t.get_item(1)?, &format!("{what} y"))?,
                ));
            }
        }
        Err(invalid(
            obj.py(),
            format!("{what}: points are a Layer or an (x, y) pair of float64 arrays"),
        ))
    }

    fn points(&self) -> Points<'_> {
        match self {
            PointsArg::Layer(l) => Points::Layer(&l.0),
            PointsArg::Xy(x, y) => Points::Xy(x.slice(), y.slice()),
        }
    }
}

#[pyfunction]
#[pyo3(signature = (points, areas, none_as=engine::NONE))]
pub(crate) fn assign<'py>(
    py: Python<'py>,
    points: &Bound<'py, PyAny>,
    areas: &PyLayer,
    none_as: u32,
) -> PyResult<Bound<'py, PyBytes>> {
    let arg = PointsArg::get(points, "assign")?;
    let p = arg.points();
    u32_bytes_with(py, p.len(), |out| {
        engine::assign_into(p, &areas.0, none_as, out)
    })
}

#[pyfunction]
pub(crate) fn sjoin<'py>(
    py: Python<'py>,
    left: &PyLayer,
    right: &PyLayer,
    predicate: &str,
) -> PyResult<Pairs<'py>> {
    let found = run(py, || engine::sjoin(&left.0, &right.0, predicate.parse()?))?;
    let (l, r): (Vec<u32>, Vec<u32>) = found.into_iter().unzip();
    pairs(py, &l, &r)
}

#[pyfunction]
pub(crate) fn overlay_area<'py>(
    py: Python<'py>,
    zones: &PyLayer,
    areas: &PyLayer,
) -> PyResult<Triples<'py>> {
    let t = run(py, || engine::overlay_area(&zones.0, &areas.0))?;
    triples(py, &t)
}

/// The overlay pieces as a layer without attributes, with the zone and
/// area rows of each piece.
#[pyfunction]
pub(crate) fn overlay<'py>(
    py: Python<'py>,
    zones: &PyLayer,
    areas: &PyLayer,
) -> PyResult<(PyLayer, Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let o = run(py, || engine::overlay(&zones.0, &areas.0))?;
    let (z, a) = pairs(py, &o.zone, &o.area)?;
    Ok((PyLayer(o.layer), z, a))
}

#[pyfunction]
pub(crate) fn length_within<'py>(
    py: Python<'py>,
    lines: &PyLayer,
    areas: &PyLayer,
) -> PyResult<Triples<'py>> {
    let t = run(py, || engine::length_within(&lines.0, &areas.0))?;
    triples(py, &t)
}

#[pyfunction]
pub(crate) fn within_distance<'py>(
    py: Python<'py>,
    points: &Bound<'py, PyAny>,
    lines: &PyLayer,
    distance: f64,
) -> PyResult<Pairs<'py>> {
    let arg = PointsArg::get(points, "within_distance")?;
    let p = arg.points();
    let w = run(py, || engine::within_distance(p, &lines.0, distance))?;
    Ok((u32_bytes(py, &w.line)?, f64_bytes(py, &w.distance)?))
}

/// The nearest right feature of each left feature: `left` is a `Layer`
/// (any geometry types) or an `(x, y)` pair of float64 arrays.
#[pyfunction]
#[pyo3(signature = (left, right, max_distance=None))]
pub(crate) fn nearest<'py>(
    py: Python<'py>,
    left: &Bound<'py, PyAny>,
    right: &PyLayer,
    max_distance: Option<f64>,
) -> PyResult<Pairs<'py>> {
    let n = match PointsArg::get(left, "nearest")? {
        PointsArg::Layer(l) => {
            let left = &l.0;
            run(py, || engine::nearest(left, &right.0, max_distance))?
        }
        arg => {
            let p = arg.points();
            run(py, || engine::nearest_points(p, &right.0, max_distance))?
        }
    };
    Ok((u32_bytes(py, &n.right)?, f64_bytes(py, &n.distance)?))
}

#[pyfunction]
pub(crate) fn buffer(
    py: Python<'_>,
    layer: &PyLayer,
    distance: f64,
    quad_segs: u32,
) -> PyResult<PyLayer> {
    run(py, || engine::buffer(&layer.0, distance, quad_segs)).map(PyLayer)
}

/// The boundary of each feature, as a layer without attributes.
#[pyfunction]
pub(crate) fn boundary(py: Python<'_>, layer: &PyLayer) -> PyResult<PyLayer> {
    run(py, || engine::boundary(&layer.0)).map(PyLayer)
}

/// The union of each group of rows, as a layer without attributes.
#[pyfunction]
pub(crate) fn dissolve(
    py: Python<'_>,
    layer: &PyLayer,
    groups: Vec<Vec<u32>>,
) -> PyResult<PyLayer> {
    run(py, || engine::dissolve(&layer.0, &groups)).map(PyLayer)
}

/// Overlaps between the areas of a layer and the gaps (holes of their union)
/// they leave: `(overlaps, gaps)` with overlaps as `(a, b, area_m2, x, y)`
/// and gaps as `(area_m2, x, y, neighbours)`.
#[pyfunction]
#[pyo3(signature = (layer, min_area_m2=1e-9))]
#[allow(clippy::type_complexity)]
pub(crate) fn area_topology(
    py: Python<'_>,
    layer: &PyLayer,
    min_area_m2: f64,
) -> PyResult<(
    Vec<(usize, usize, f64, f64, f64)>,
    Vec<(f64, f64, f64, Vec<usize>)>,
)> {
    let opts = engine::TopologyOptions {
        min_area_m2,
        ..Default::default()
    };
    let t = run(py, || engine::area_topology(&layer.0, &opts))?;
    Ok((
        t.overlaps
            .into_iter()
            .map(|o| (o.a, o.b, o.area_m2, o.x, o.y))
            .collect(),
        t.gaps
            .into_iter()
            .map(|g| (g.area_m2, g.x, g.y, g.neighbours))
            .collect(),
    ))
}

/// A grid as it crosses the boundary: `(x0, y0, cell, nx, ny)`.
type GridSpec = (f64, f64, f64, usize, usize);

/// The grid of `cell`-metre cells over `areas` and which cells are study
/// cells (centre on land, not in `water`): `(x0, y0, cell, nx, ny)` and one
/// byte per cell.
#[pyfunction]
#[pyo3(signature = (areas, cell, water=None))]
pub(crate) fn hotspot_grid<'py>(
    py: Python<'py>,
    areas: &PyLayer,
    cell: f64,
    water: Option<PyRef<'py, PyLayer>>,
) -> PyResult<(GridSpec, Bound<'py, PyBytes>)> {
    let w = water.as_ref().map(|w| &w.0);
    let (g, study) = run(py, || engine::study_area(&areas.0, w, cell))?;
    let bytes: Vec<u8> = study.iter().map(|&s| u8::from(s)).collect();
    Ok(((g.x0, g.y0, g.cell, g.nx, g.ny), PyBytes::new(py, &bytes)))
}

/// Points counted on a grid (from [`hotspot_grid`]) and Gi* of each study
/// cell: the cells as a layer of squares (in `crs`), and per study cell
/// its number in the grid, count, z, p and q as bytes.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub(crate) fn grid_hotspots<'py>(
    py: Python<'py>,
    points: &Bound<'py, PyAny>,
    grid: GridSpec,
    study: &[u8],
    crs: PyCrs,
) -> PyResult<(
    PyLayer,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
)> {
    let arg = PointsArg::get(points, "grid_hotspots")?;
    let p = arg.points();
    let (x0, y0, cell, nx, ny) = grid;
    let g = engine::CellGrid {
        x0,
        y0,
        cell,
        nx,
        ny,
    };
    let study: Vec<bool> = study.iter().map(|&b| b != 0).collect();
    let crs = crs.0;
    let (h, layer) = run(py, || {
        let h = engine::hotspots_on(p, &g, &study)?;
        let layer = h.grid.cell_layer("hotspots", &h.cells, crs)?;
        Ok((h, layer))
    })?;
    Ok((
        PyLayer(layer),
        u32_bytes(py, &h.cells)?,
        u32_bytes(py, &h.count)?,
        f64_bytes(py, &h.gi.z)?,
        f64_bytes(py, &h.gi.p)?,
        f64_bytes(py, &h.q)?,
    ))
}
