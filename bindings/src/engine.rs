//! The engine's functions for Python: coordinates come in as buffers
//! (numpy arrays, read in place), row positions and values go out as bytes
//! the Python side views as numpy arrays. The Python package assembles the
//! polars results.

use geo_types::{Geometry, Point};
use lagesbild::engine;
use lagesbild::Layer;
use polars::prelude::DataFrame;
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::error::run;
use crate::{PyCrs, PyLayer};

/// A read-only view of a contiguous float64 buffer.
struct F64s(PyBuffer<f64>);

impl F64s {
    fn get(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<F64s> {
        let b = PyBuffer::<f64>::get(obj).map_err(|e| {
            PyValueError::new_err(format!("{what}: expected a float64 array, got {e}"))
        })?;
        if !b.is_c_contiguous() {
            return Err(PyValueError::new_err(format!(
                "{what}: the array must be contiguous"
            )));
        }
        Ok(F64s(b))
    }

    fn slice(&self) -> &[f64] {
        let n = self.0.item_count();
        if n == 0 {
            return &[];
        }
        // SAFETY: a contiguous buffer of `n` f64 values, kept alive (and its
        // exporter locked against resizing) by the PyBuffer for as long as
        // the slice borrows it.
        unsafe { std::slice::from_raw_parts(self.0.buf_ptr() as *const f64, n) }
    }
}

/// Values as little-endian bytes, written straight into the Python object.
fn u32_bytes<'py>(py: Python<'py>, v: &[u32]) -> Bound<'py, PyBytes> {
    PyBytes::new_with(py, v.len() * 4, |buf| {
        for (chunk, x) in buf.chunks_exact_mut(4).zip(v) {
            chunk.copy_from_slice(&x.to_le_bytes());
        }
        Ok(())
    })
    .expect("allocating the result")
}

fn f64_bytes<'py>(py: Python<'py>, v: &[f64]) -> Bound<'py, PyBytes> {
    PyBytes::new_with(py, v.len() * 8, |buf| {
        for (chunk, x) in buf.chunks_exact_mut(8).zip(v) {
            chunk.copy_from_slice(&x.to_le_bytes());
        }
        Ok(())
    })
    .expect("allocating the result")
}

type Pairs<'py> = (Bound<'py, PyBytes>, Bound<'py, PyBytes>);
type Triples<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

fn triples<'py>(py: Python<'py>, t: Vec<(u32, u32, f64)>) -> Triples<'py> {
    let a: Vec<u32> = t.iter().map(|x| x.0).collect();
    let b: Vec<u32> = t.iter().map(|x| x.1).collect();
    let c: Vec<f64> = t.iter().map(|x| x.2).collect();
    (u32_bytes(py, &a), u32_bytes(py, &b), f64_bytes(py, &c))
}

#[pyfunction]
pub fn set_threads(py: Python<'_>, n: usize) -> PyResult<()> {
    run(py, || engine::set_threads(n))
}

#[pyfunction]
pub fn threads() -> usize {
    engine::threads()
}

/// Row positions, with "none" written as `none_as` when given (so that the
/// caller can gather from a list with a null appended).
fn codes(mut v: Vec<u32>, none_as: Option<u32>) -> Vec<u32> {
    if let Some(n) = none_as {
        v.iter_mut()
            .filter(|c| **c == engine::grid::NONE)
            .for_each(|c| *c = n);
    }
    v
}

#[pyfunction]
#[pyo3(signature = (xs, ys, areas, none_as=None))]
pub fn assign_xy<'py>(
    py: Python<'py>,
    xs: &Bound<'py, PyAny>,
    ys: &Bound<'py, PyAny>,
    areas: &PyLayer,
    none_as: Option<u32>,
) -> PyResult<Bound<'py, PyBytes>> {
    let (xb, yb) = (F64s::get(xs, "assign x")?, F64s::get(ys, "assign y")?);
    let (x, y) = (xb.slice(), yb.slice());
    let out = run(py, || engine::assign_xy(x, y, &areas.0))?;
    Ok(u32_bytes(py, &codes(out, none_as)))
}

#[pyfunction]
#[pyo3(signature = (points, areas, none_as=None))]
pub fn assign_layer<'py>(
    py: Python<'py>,
    points: &PyLayer,
    areas: &PyLayer,
    none_as: Option<u32>,
) -> PyResult<Bound<'py, PyBytes>> {
    let out = run(py, || engine::assign_layer(&points.0, &areas.0))?;
    Ok(u32_bytes(py, &codes(out, none_as)))
}

/// Point coordinates of a layer of points, as float64 bytes.
#[pyfunction]
pub fn point_xy<'py>(py: Python<'py>, points: &PyLayer, what: &str) -> PyResult<Pairs<'py>> {
    let (x, y) = run(py, || engine::point_xy(&points.0, what))?;
    Ok((f64_bytes(py, &x), f64_bytes(py, &y)))
}

/// Coordinates moved from one CRS to another.
#[pyfunction]
pub fn transform_xy<'py>(
    py: Python<'py>,
    xs: &Bound<'py, PyAny>,
    ys: &Bound<'py, PyAny>,
    from: PyCrs,
    to: PyCrs,
) -> PyResult<Pairs<'py>> {
    let (xb, yb) = (F64s::get(xs, "x")?, F64s::get(ys, "y")?);
    let (x, y) = (xb.slice(), yb.slice());
    let (x, y) = run(py, || {
        let mut g: Vec<Option<Geometry<f64>>> = x
            .iter()
            .zip(y)
            .map(|(&x, &y)| {
                (x.is_finite() && y.is_finite()).then(|| Geometry::Point(Point::new(x, y)))
            })
            .collect();
        lagesbild::crs::transform(&mut g, &from.0, &to.0)?;
        Ok(g.iter()
            .map(|g| match g {
                Some(Geometry::Point(p)) => (p.x(), p.y()),
                _ => (f64::NAN, f64::NAN),
            })
            .unzip::<f64, f64, Vec<f64>, Vec<f64>>())
    })?;
    Ok((f64_bytes(py, &x), f64_bytes(py, &y)))
}

#[pyfunction]
pub fn sjoin_pairs<'py>(
    py: Python<'py>,
    left: &PyLayer,
    right: &PyLayer,
    predicate: &str,
) -> PyResult<Pairs<'py>> {
    let pairs = run(py, || {
        let p = engine::Predicate::parse(predicate)?;
        engine::sjoin(&left.0, &right.0, p)
    })?;
    let l: Vec<u32> = pairs.iter().map(|p| p.0).collect();
    let r: Vec<u32> = pairs.iter().map(|p| p.1).collect();
    Ok((u32_bytes(py, &l), u32_bytes(py, &r)))
}

#[pyfunction]
pub fn overlay_area_pairs<'py>(
    py: Python<'py>,
    zones: &PyLayer,
    areas: &PyLayer,
) -> PyResult<Triples<'py>> {
    let t = run(py, || engine::overlay_area(&zones.0, &areas.0))?;
    Ok(triples(py, t))
}

#[pyfunction]
pub fn length_within_pairs<'py>(
    py: Python<'py>,
    lines: &PyLayer,
    areas: &PyLayer,
) -> PyResult<Triples<'py>> {
    let t = run(py, || engine::length_within(&lines.0, &areas.0))?;
    Ok(triples(py, t))
}

/// The overlay pieces as a layer without attributes, with the zone and
/// area rows of each piece.
#[pyfunction]
pub fn overlay_pieces<'py>(
    py: Python<'py>,
    zones: &PyLayer,
    areas: &PyLayer,
) -> PyResult<(PyLayer, Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let (layer, z, a) = run(py, || {
        let pieces = engine::overlay(&zones.0, &areas.0)?;
        let z: Vec<u32> = pieces.iter().map(|p| p.zone).collect();
        let a: Vec<u32> = pieces.iter().map(|p| p.area).collect();
        let geoms = pieces
            .into_iter()
            .map(|p| Some(Geometry::MultiPolygon(p.geometry)))
            .collect();
        let layer = Layer::new(
            format!("{} ∩ {}", zones.0.name(), areas.0.name()),
            geoms,
            DataFrame::empty(),
            zones.0.crs().clone(),
        )?;
        Ok((layer, z, a))
    })?;
    Ok((PyLayer(layer), u32_bytes(py, &z), u32_bytes(py, &a)))
}

#[pyfunction]
pub fn within_distance_xy<'py>(
    py: Python<'py>,
    xs: &Bound<'py, PyAny>,
    ys: &Bound<'py, PyAny>,
    lines: &PyLayer,
    distance: f64,
) -> PyResult<Pairs<'py>> {
    let (xb, yb) = (F64s::get(xs, "x")?, F64s::get(ys, "y")?);
    let (x, y) = (xb.slice(), yb.slice());
    let w = run(py, || engine::within_distance(x, y, &lines.0, distance))?;
    Ok((u32_bytes(py, &w.line), f64_bytes(py, &w.distance)))
}

#[pyfunction]
#[pyo3(signature = (left, right, max_distance=None))]
pub fn nearest<'py>(
    py: Python<'py>,
    left: &PyLayer,
    right: &PyLayer,
    max_distance: Option<f64>,
) -> PyResult<Pairs<'py>> {
    let n = run(py, || engine::nearest(&left.0, &right.0, max_distance))?;
    Ok((u32_bytes(py, &n.right), f64_bytes(py, &n.distance)))
}

#[pyfunction]
pub fn buffer(py: Python<'_>, layer: &PyLayer, distance: f64, quad_segs: u32) -> PyResult<PyLayer> {
    run(py, || engine::buffer(&layer.0, distance, quad_segs)).map(PyLayer)
}

/// The union of each group of rows, as a layer without attributes.
#[pyfunction]
pub fn dissolve(py: Python<'_>, layer: &PyLayer, groups: Vec<Vec<u32>>) -> PyResult<PyLayer> {
    run(py, || {
        let geoms = engine::dissolve(&layer.0, &groups)?;
        Layer::new(
            format!("{} dissolved", layer.0.name()),
            geoms,
            DataFrame::empty(),
            layer.0.crs().clone(),
        )
    })
    .map(PyLayer)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(set_threads, m)?)?;
    m.add_function(wrap_pyfunction!(threads, m)?)?;
    m.add_function(wrap_pyfunction!(assign_xy, m)?)?;
    m.add_function(wrap_pyfunction!(assign_layer, m)?)?;
    m.add_function(wrap_pyfunction!(point_xy, m)?)?;
    m.add_function(wrap_pyfunction!(transform_xy, m)?)?;
    m.add_function(wrap_pyfunction!(sjoin_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(overlay_area_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(length_within_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(overlay_pieces, m)?)?;
    m.add_function(wrap_pyfunction!(within_distance_xy, m)?)?;
    m.add_function(wrap_pyfunction!(nearest, m)?)?;
    m.add_function(wrap_pyfunction!(buffer, m)?)?;
    m.add_function(wrap_pyfunction!(dissolve, m)?)?;
    Ok(())
}
