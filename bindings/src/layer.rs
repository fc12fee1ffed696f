//! The native half of `lagesbild.Layer`: the geometries (in one CRS) with
//! the layer's name. The attributes live on the Python side as a polars
//! DataFrame and cross only where the core needs them (writing a file,
//! GeoJSON properties).

use std::path::PathBuf;

use lagesbild::io::WriteOptions;
use lagesbild::Layer;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::crs::PyCrs;
use crate::error::run;
use crate::wire::{f64_bytes, ipc_bytes, ipc_frame, View};

/// Geometries in one CRS (the core `Layer`, without attributes).
#[pyclass(name = "Layer", module = "lagesbild._lagesbild", frozen)]
pub(crate) struct PyLayer(pub(crate) Layer);

impl PyLayer {
    /// The native layer of a core layer, its attributes as IPC bytes apart.
    pub(crate) fn split(layer: Layer) -> lagesbild::Result<(PyLayer, Vec<u8>)> {
        let attributes = ipc_bytes(layer.attributes().clone())?;
        Ok((PyLayer(layer.without_attributes()), attributes))
    }

    /// The core layer with `attributes` (IPC bytes) attached.
    fn with(&self, attributes: &[u8]) -> lagesbild::Result<Layer> {
        self.0.clone().with_attributes(ipc_frame(attributes)?)
    }
}

#[pymethods]
impl PyLayer {
    /// A layer from a table with one column of WKB (IPC bytes).
    #[staticmethod]
    fn from_wkb(
        py: Python<'_>,
        name: String,
        data: Vec<u8>,
        geometry: String,
        crs: PyCrs,
    ) -> PyResult<Self> {
        run(py, || {
            Layer::from_wkb_frame(&name, ipc_frame(&data)?, &geometry, crs.0.clone())
        })
        .map(PyLayer)
    }

    /// The features of several layers one after the other (one CRS).
    #[staticmethod]
    fn concat(py: Python<'_>, layers: Vec<PyRef<'_, PyLayer>>) -> PyResult<Self> {
        let cores: Vec<Layer> = layers.iter().map(|l| l.0.clone()).collect();
        run(py, || Layer::concat(&cores)).map(PyLayer)
    }

    /// Pickling: rebuilt by `from_wkb` from the geometries as one WKB
    /// column (IPC bytes; exact, nulls kept), the name and the CRS. The
    /// rebuilt layer checks its polygons' validity again when first used.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(
        Bound<'py, PyAny>,
        (String, Bound<'py, PyBytes>, &'static str, PyCrs),
    )> {
        let from_wkb = py.get_type::<PyLayer>().getattr("from_wkb")?;
        let data = self.wkb(py, "geometry".into())?;
        Ok((
            from_wkb,
            (self.name(), data, "geometry", PyCrs(self.0.crs().clone())),
        ))
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

    /// What the engine keeps prepared from these geometries, by name.
    #[getter]
    fn prepared(&self) -> Vec<&'static str> {
        self.0.prepared_names()
    }

    fn null_geometries(&self) -> usize {
        self.0.geometries().iter().filter(|g| g.is_none()).count()
    }

    /// The geometries as one WKB column named `geometry` (IPC bytes).
    fn wkb<'py>(&self, py: Python<'py>, geometry: String) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = run(py, || ipc_bytes(self.0.to_wkb_frame(&geometry)?))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// The features at the row positions of a uint32 array, in that order.
    fn take(&self, py: Python<'_>, rows: &Bound<'_, PyAny>) -> PyResult<Self> {
        let view = View::<u32>::get(rows, "take")?;
        let rows = view.slice();
        run(py, || {
            let rows: Vec<usize> = rows.iter().map(|&r| r as usize).collect();
            self.0.take(&rows)
        })
        .map(PyLayer)
    }

    /// The coordinates of a point layer (float64 bytes, NaN for null geometries).
    fn point_xy<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
        let (x, y) = run(py, || {
            lagesbild::engine::checks::point_coords(&self.0, "xy")
        })?;
        Ok((f64_bytes(py, &x)?, f64_bytes(py, &y)?))
    }

    fn to_crs(&self, py: Python<'_>, crs: PyCrs) -> PyResult<Self> {
        run(py, || self.0.to_crs(&crs.0)).map(PyLayer)
    }

    /// Area of each feature (float64 bytes, NaN for a null geometry).
    fn area<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let v = run(py, || self.0.area())?;
        f64_bytes(
            py,
            &v.iter().map(|a| a.unwrap_or(f64::NAN)).collect::<Vec<_>>(),
        )
    }

    /// Length of each feature (float64 bytes, NaN for a null geometry).
    fn length<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let v = run(py, || self.0.length())?;
        f64_bytes(
            py,
            &v.iter().map(|a| a.unwrap_or(f64::NAN)).collect::<Vec<_>>(),
        )
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

    /// The layer as a GeoJSON FeatureCollection in its own CRS, with the
    /// attributes (IPC bytes) as properties.
    fn geo_interface_json(&self, py: Python<'_>, attributes: Vec<u8>) -> PyResult<String> {
        run(py, || {
            let layer = self.with(&attributes)?;
            Ok(lagesbild::io::geojson::to_feature_collection(&layer, false).to_string())
        })
    }

    #[pyo3(signature = (path, attributes, layer=None, keep_crs=false, encoding=None))]
    fn write(
        &self,
        py: Python<'_>,
        path: PathBuf,
        attributes: Vec<u8>,
        layer: Option<String>,
        keep_crs: bool,
        encoding: Option<String>,
    ) -> PyResult<()> {
        let opts = WriteOptions {
            layer,
            keep_crs,
            encoding,
        };
        run(py, || {
            lagesbild::io::write(&self.with(&attributes)?, &path, &opts)
        })
    }
}
