//! `Crs` and coordinate transforms for Python (`lagesbild.Crs`).

use lagesbild::Crs;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::error::{invalid, run};
use crate::wire::{f64_bytes, Pairs, View};

/// A coordinate reference system, identified by its EPSG code.
#[pyclass(name = "Crs", module = "lagesbild", frozen, from_py_object)]
#[derive(Clone)]
pub(crate) struct PyCrs(pub(crate) Crs);

#[pymethods]
impl PyCrs {
    #[new]
    fn new(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(c) = value.extract::<PyCrs>() {
            return Ok(c);
        }
        if let Ok(code) = value.extract::<u32>() {
            return run(py, || Crs::from_epsg(code)).map(PyCrs);
        }
        if let Ok(text) = value.cast::<PyString>() {
            let text = text.to_string();
            return run(py, || Crs::parse(&text)).map(PyCrs);
        }
        Err(invalid(
            py,
            format!(
                "a CRS is an EPSG code (3011), a string (\"EPSG:3011\", WKT or PROJJSON) or a Crs, not {}",
                value.get_type().name()?
            ),
        ))
    }

    #[getter]
    fn epsg(&self) -> u32 {
        self.0.epsg()
    }

    #[getter]
    fn name(&self) -> String {
        self.0.name().to_string()
    }

    #[getter]
    fn is_geographic(&self) -> bool {
        self.0.is_geographic()
    }

    fn to_wkt(&self) -> String {
        self.0.to_wkt()
    }

    fn to_projjson(&self) -> String {
        self.0.to_projjson().to_string()
    }

    #[pyo3(name = "to_string")]
    fn authority_code(&self) -> String {
        self.0.authority_code()
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> bool {
        match PyCrs::new(py, other) {
            Ok(o) => o.0 == self.0,
            Err(_) => false,
        }
    }

    fn __hash__(&self) -> u64 {
        self.0.epsg() as u64
    }

    fn __repr__(&self) -> String {
        format!("Crs(EPSG:{}, {})", self.0.epsg(), self.0.name())
    }

    fn __str__(&self) -> String {
        self.0.authority_code()
    }

    fn __reduce__(&self, py: Python<'_>) -> PyResult<(Py<PyAny>, (u32,))> {
        Ok((py.get_type::<PyCrs>().into_any().unbind(), (self.0.epsg(),)))
    }
}

/// Point coordinates moved from one CRS to another (float64 buffers in,
/// float64 bytes out; non-finite points stay NaN).
#[pyfunction]
pub(crate) fn transform_xy<'py>(
    py: Python<'py>,
    xs: &Bound<'py, PyAny>,
    ys: &Bound<'py, PyAny>,
    from: PyCrs,
    to: PyCrs,
) -> PyResult<Pairs<'py>> {
    let (xb, yb) = (View::<f64>::get(xs, "x")?, View::<f64>::get(ys, "y")?);
    let (x, y) = (xb.slice(), yb.slice());
    let (x, y) = run(py, || lagesbild::crs::transform_xy(x, y, &from.0, &to.0))?;
    Ok((f64_bytes(py, &x)?, f64_bytes(py, &y)?))
}
