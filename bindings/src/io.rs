//! Reading files for Python (`lagesbild.io`): layers, tables, GeoPackage
//! layer names, and the file summaries of `lagesbild info`.

use std::path::PathBuf;

use lagesbild::io::{ReadOptions, TableOptions};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::crs::PyCrs;
use crate::error::{invalid, run};
use crate::layer::PyLayer;
use crate::wire::ipc_bytes;

fn table_options(
    py: Python<'_>,
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
            Some(s) => Err(invalid(
                py,
                format!("{what} must be one ASCII character, not {s:?}"),
            )),
        }
    };
    Ok(TableOptions {
        sheet,
        sep: one_byte("sep", sep)?,
        decimal: one_byte("decimal", decimal)?,
        encoding,
    })
}

/// A layer and its attributes (IPC bytes), read from a file.
#[pyfunction]
#[pyo3(signature = (path, layer=None, crs=None, x=None, y=None, lon=None, lat=None, sep=None, decimal=None, encoding=None, allow_empty=false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn read<'py>(
    py: Python<'py>,
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
) -> PyResult<(PyLayer, Bound<'py, PyBytes>)> {
    let opts = ReadOptions {
        layer,
        crs: crs.map(|c| c.0),
        x,
        y,
        lon,
        lat,
        table: table_options(py, None, sep, decimal, encoding)?,
        allow_empty,
    };
    let (layer, attributes) = run(py, || PyLayer::split(lagesbild::io::read(&path, &opts)?))?;
    Ok((layer, PyBytes::new(py, &attributes)))
}

/// A table (IPC bytes) read from CSV or a workbook sheet.
#[pyfunction]
#[pyo3(signature = (path, sheet=None, sep=None, decimal=None, encoding=None))]
pub(crate) fn read_table<'py>(
    py: Python<'py>,
    path: PathBuf,
    sheet: Option<String>,
    sep: Option<String>,
    decimal: Option<String>,
    encoding: Option<String>,
) -> PyResult<Bound<'py, PyBytes>> {
    let opts = table_options(py, sheet, sep, decimal, encoding)?;
    let bytes = run(py, || ipc_bytes(lagesbild::io::read_table(&path, &opts)?))?;
    Ok(PyBytes::new(py, &bytes))
}

#[pyfunction]
pub(crate) fn list_layers(py: Python<'_>, path: PathBuf) -> PyResult<Vec<String>> {
    run(py, || lagesbild::io::gpkg::list_layers(&path))
}

/// The summary `lagesbild info` prints for one file.
#[pyfunction]
#[pyo3(signature = (path, layer=None, crs=None, sep=None, decimal=None, encoding=None, sheet=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn info(
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
        table: table_options(py, sheet, sep, decimal, encoding)?,
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
