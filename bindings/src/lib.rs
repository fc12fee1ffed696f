//! Python bindings for `lagesbild`: thin conversions around the Rust core.
//!
//! The modules mirror the Python package, under its names: [`crs`] (`Crs`),
//! [`layer`] (`Layer`), [`io`] (`read`, `read_table`, …), [`engine`]
//! (`assign`, `sjoin`, `overlay`, …), with [`wire`] (how values cross,
//! `_wire.py`) and [`error`] (the one mapping of core errors to the
//! exceptions of `lagesbild.exceptions`). Geometries stay in Rust inside
//! `Layer`; attributes stay in Python as polars DataFrames and cross as
//! Arrow IPC only where the core needs them. All work runs without the
//! GIL, and no panic reaches Python.

mod crs;
mod engine;
mod error;
mod io;
mod layer;
mod wire;

use pyo3::prelude::*;

#[pymodule]
fn _lagesbild(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<crs::PyCrs>()?;
    m.add_function(wrap_pyfunction!(crs::transform_xy, m)?)?;
    m.add_class::<layer::PyLayer>()?;
    m.add_function(wrap_pyfunction!(io::read, m)?)?;
    m.add_function(wrap_pyfunction!(io::read_table, m)?)?;
    m.add_function(wrap_pyfunction!(io::list_layers, m)?)?;
    m.add_function(wrap_pyfunction!(io::info, m)?)?;
    m.add_function(wrap_pyfunction!(engine::set_threads, m)?)?;
    m.add_function(wrap_pyfunction!(engine::threads, m)?)?;
    m.add_function(wrap_pyfunction!(engine::assign, m)?)?;
    m.add_function(wrap_pyfunction!(engine::sjoin, m)?)?;
    m.add_function(wrap_pyfunction!(engine::overlay_area, m)?)?;
    m.add_function(wrap_pyfunction!(engine::overlay, m)?)?;
    m.add_function(wrap_pyfunction!(engine::length_within, m)?)?;
    m.add_function(wrap_pyfunction!(engine::within_distance, m)?)?;
    m.add_function(wrap_pyfunction!(engine::nearest, m)?)?;
    m.add_function(wrap_pyfunction!(engine::buffer, m)?)?;
    m.add_function(wrap_pyfunction!(engine::dissolve, m)?)?;
    m.add_function(wrap_pyfunction!(engine::boundary, m)?)?;
    m.add_function(wrap_pyfunction!(engine::area_topology, m)?)?;
    m.add_function(wrap_pyfunction!(engine::hotspot_grid, m)?)?;
    m.add_function(wrap_pyfunction!(engine::grid_hotspots, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
