//! Python bindings for `lagesbild`: thin conversions around the Rust core.
//!
//! Tables cross as Arrow IPC bytes (read and written by polars on both
//! sides); geometries stay in Rust inside `Layer`. All work runs without
//! the GIL, and no panic reaches Python.

mod engine;
mod error;

use std::io::Cursor;
use std::path::PathBuf;

use lagesbild::io::{ReadOptions, TableOptions, WriteOptions};
use lagesbild::{Crs, Layer};
use polars::prelude::*;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::error::run;

fn ipc_bytes(mut df: DataFrame) -> lagesbild::Result<Vec<u8>> {
    let mut buf = Vec::new();
    IpcWriter::new(&mut buf)
        .with_compat_level(CompatLevel::newest())
        .finish(&mut df)
        .map_err(|e| {
            lagesbild::Error::InvalidArgument(format!("cannot pass the table to Python: {e}"))
        })?;
    Ok(buf)
}

fn ipc_frame(bytes: &[u8]) -> lagesbild::Result<DataFrame> {
    IpcReader::new(Cursor::new(bytes)).finish().map_err(|e| {
        lagesbild::Error::InvalidArgument(format!("cannot read the table from Python: {e}"))
    })
}

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
        Err(PyValueError::new_err(format!(
            "a CRS is an EPSG code (3011), a string (\"EPSG:3011\", WKT or PROJJSON) or a Crs, not {}",
            value.get_type().name()?
        )))
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

    fn to_string(&self) -> String {
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

/// Features: geometries in one CRS plus attributes (the core `Layer`).
#[pyclass(name = "Layer", module = "lagesbild._lagesbild", frozen)]
pub(crate) struct PyLayer(pub(crate) Layer);

#[pymethods]
impl PyLayer {
    #[staticmethod]
    fn from_wkb_ipc(
        py: Python<'_>,
        name: String,
        data: Vec<u8>,
        geometry: String,
        crs: PyCrs,
    ) -> PyResult<Self> {
        run(py, || {
            let df = ipc_frame(&data)?;
            Layer::from_wkb_frame(&name, df, &geometry, crs.0.clone())
        })
        .map(PyLayer)
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    #[getter]
    fn name(&self) -> String {
        self.0.name().to_string()
    }

    #[getter]
    fn crs(&self) -> PyCrs {
        PyCrs(self.0.crs().clone())
    }

    #[getter]
    fn bounds(&self, py: Python<'_>) -> Option<(f64, f64, f64, f64)> {
        py.detach(|| self.0.bounds())
    }

    #[getter]
    fn geom_types(&self) -> Vec<&'static str> {
        self.0.geom_types().into_iter().collect()
    }

    fn null_geometries(&self) -> usize {
        self.0.geometries().iter().filter(|g| g.is_none()).count()
    }

    fn attributes_ipc<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = run(py, || ipc_bytes(self.0.attributes().clone()))?;
        Ok(PyBytes::new(py, &bytes))
    }

    fn to_wkb_ipc<'py>(&self, py: Python<'py>, geometry: String) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = run(py, || ipc_bytes(self.0.to_wkb_frame(&geometry)?))?;
        Ok(PyBytes::new(py, &bytes))
    }

    fn with_attributes_ipc(&self, py: Python<'_>, data: Vec<u8>) -> PyResult<Self> {
        run(py, || {
            let df = ipc_frame(&data)?;
            let (name, geoms, _, crs) = self.0.clone().into_parts();
            Layer::new(name, geoms, df, crs)
        })
        .map(PyLayer)
    }

    fn take(&self, py: Python<'_>, indices: Vec<usize>) -> PyResult<Self> {
        run(py, || self.0.take(&indices)).map(PyLayer)
    }

    fn to_crs(&self, py: Python<'_>, crs: PyCrs) -> PyResult<Self> {
        run(py, || self.0.to_crs(&crs.0)).map(PyLayer)
    }

    fn area(&self, py: Python<'_>) -> PyResult<Vec<Option<f64>>> {
        run(py, || self.0.area())
    }

    fn length(&self, py: Python<'_>) -> PyResult<Vec<Option<f64>>> {
        run(py, || self.0.length())
    }

    fn is_valid(&self, py: Python<'_>) -> Vec<bool> {
        py.detach(|| self.0.is_valid())
    }

    fn validity_report(&self, py: Python<'_>) -> Vec<(usize, String, Option<f64>, Option<f64>)> {
        py.detach(|| {
            self.0
                .validity_report()
                .into_iter()
                .map(|p| (p.feature, p.reason, p.x, p.y))
                .collect()
        })
    }

    fn geo_interface_json(&self, py: Python<'_>) -> String {
        py.detach(|| lagesbild::io::geojson::to_feature_collection(&self.0, false).to_string())
    }

    #[pyo3(signature = (path, layer=None, keep_crs=false, encoding=None))]
    fn write(
        &self,
        py: Python<'_>,
        path: PathBuf,
        layer: Option<String>,
        keep_crs: bool,
        encoding: Option<String>,
    ) -> PyResult<()> {
        let opts = WriteOptions {
            layer,
            keep_crs,
            encoding,
        };
        run(py, || lagesbild::io::write(&self.0, &path, &opts))
    }
}

fn table_options(
    sheet: Option<String>,
    sep: Option<String>,
    decimal: Option<String>,
    encoding: Option<String>,
) -> PyResult<TableOptions> {
    let one_byte = |what: &str, s: Option<String>| -> PyResult<Option<u8>> {
        match s {
            None => Ok(None),
            Some(s) if s == "\\t" => Ok(Some(b'\t')),
            Some(s) if s.len() == 1 && s.is_ascii() => Ok(Some(s.as_bytes()[0])),
            Some(s) => Err(PyValueError::new_err(format!(
                "{what} must be one ASCII character, not {s:?}"
            ))),
        }
    };
    Ok(TableOptions {
        sheet,
        sep: one_byte("sep", sep)?,
        decimal: one_byte("decimal", decimal)?,
        encoding,
    })
}

#[pyfunction]
#[pyo3(signature = (path, layer=None, crs=None, x=None, y=None, lon=None, lat=None, sep=None, decimal=None, encoding=None, allow_empty=false))]
#[allow(clippy::too_many_arguments)]
fn read(
    py: Python<'_>,
    path: PathBuf,
    layer: Option<String>,
    crs: Option<PyCrs>,
    x: Option<String>,
    y: Option<String>,
    lon: Option<String>,
    lat: Option<String>,
    sep: Option<String>,
    decimal: Option<String>,
    encoding: Option<String>,
    allow_empty: bool,
) -> PyResult<PyLayer> {
    let opts = ReadOptions {
        layer,
        crs: crs.map(|c| c.0),
        x,
        y,
        lon,
        lat,
        table: table_options(None, sep, decimal, encoding)?,
        allow_empty,
    };
    run(py, || lagesbild::io::read(&path, &opts)).map(PyLayer)
}

#[pyfunction]
#[pyo3(signature = (path, sheet=None, sep=None, decimal=None, encoding=None))]
fn read_table_ipc<'py>(
    py: Python<'py>,
    path: PathBuf,
    sheet: Option<String>,
    sep: Option<String>,
    decimal: Option<String>,
    encoding: Option<String>,
) -> PyResult<Bound<'py, PyBytes>> {
    let opts = table_options(sheet, sep, decimal, encoding)?;
    let bytes = run(py, || ipc_bytes(lagesbild::io::read_table(&path, &opts)?))?;
    Ok(PyBytes::new(py, &bytes))
}

#[pyfunction]
fn list_layers(py: Python<'_>, path: PathBuf) -> PyResult<Vec<String>> {
    run(py, || lagesbild::io::gpkg::list_layers(&path))
}

#[pyfunction]
#[pyo3(signature = (path, layer=None, crs=None, sep=None, decimal=None, encoding=None, sheet=None))]
fn info(
    py: Python<'_>,
    path: PathBuf,
    layer: Option<String>,
    crs: Option<PyCrs>,
    sep: Option<String>,
    decimal: Option<String>,
    encoding: Option<String>,
    sheet: Option<String>,
) -> PyResult<String> {
    let opts = ReadOptions {
        layer,
        crs: crs.map(|c| c.0),
        table: table_options(sheet, sep, decimal, encoding)?,
        ..Default::default()
    };
    run(py, || {
        let parts = lagesbild::info::summarise(&path, &opts)?;
        Ok(parts
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("\n"))
    })
}

/// Overlaps between the areas of a layer and the gaps (holes of their union)
/// they leave: `(overlaps, gaps)` with overlaps as `(a, b, area_m2, x, y)`
/// and gaps as `(area_m2, x, y, neighbours)`.
#[pyfunction]
#[pyo3(signature = (layer, min_area_m2=1e-9))]
#[allow(clippy::type_complexity)]
fn area_topology(
    py: Python<'_>,
    layer: &Bound<'_, PyLayer>,
    min_area_m2: f64,
) -> PyResult<(
    Vec<(usize, usize, f64, f64, f64)>,
    Vec<(f64, f64, f64, Vec<usize>)>,
)> {
    let layer = &layer.get().0;
    let opts = lagesbild::topology::TopologyOptions {
        min_area_m2,
        ..Default::default()
    };
    let t = run(py, || lagesbild::topology::area_topology(layer, &opts))?;
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

#[pymodule]
fn _lagesbild(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCrs>()?;
    m.add_class::<PyLayer>()?;
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(read_table_ipc, m)?)?;
    m.add_function(wrap_pyfunction!(list_layers, m)?)?;
    m.add_function(wrap_pyfunction!(info, m)?)?;
    engine::register(m)?;
    m.add_function(wrap_pyfunction!(area_topology, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
