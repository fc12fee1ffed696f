//! The one place where core errors become Python exceptions.
//!
//! The exception classes live in `lagesbild.exceptions` (Python), so that
//! `lagesbild.FileNotFoundError` can subclass both `LagesbildError` and the
//! builtin `FileNotFoundError`. Each carries `path`, `feature` and `column`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use lagesbild::Error;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

fn class_name(e: &Error) -> &'static str {
    match e.inner() {
        Error::NotFound { .. } => "FileNotFoundError",
        Error::Io { .. } | Error::Format { .. } => "FormatError",
        Error::ColumnNotFound { .. } => "ColumnNotFoundError",
        Error::Crs { .. } | Error::GeographicCrs { .. } => "CrsError",
        Error::InvalidGeometry { .. } => "InvalidGeometryError",
        Error::EmptyLayer { .. } => "EmptyLayerError",
        Error::InvalidArgument(_) => "InvalidArgumentError",
        Error::InFile { .. } => "LagesbildError",
    }
}

/// Turn a core error into the matching `lagesbild.exceptions` instance.
pub fn to_pyerr(py: Python<'_>, e: Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = py.import("lagesbild.exceptions")?;
        let cls = module.getattr(class_name(&e))?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("path", e.path().map(|p| p.display().to_string()))?;
        kwargs.set_item("feature", e.feature_index())?;
        kwargs.set_item("column", e.column())?;
        let exc = cls.call((e.to_string(),), Some(&kwargs))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|err| err)
}

/// An `InvalidArgumentError` for an argument the bindings cannot convert.
pub fn invalid(py: Python<'_>, message: String) -> PyErr {
    to_pyerr(py, Error::InvalidArgument(message))
}

/// Run core work without the GIL, turning its errors into exceptions and any
/// panic into a `LagesbildError` rather than letting it reach Python.
pub fn run<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> lagesbild::Result<T> + Send,
) -> PyResult<T> {
    let outcome = py.detach(|| catch_unwind(AssertUnwindSafe(f)));
    match outcome {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(to_pyerr(py, e)),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown".into());
            let build = || -> PyResult<PyErr> {
                let cls = py
                    .import("lagesbild.exceptions")?
                    .getattr("LagesbildError")?;
                Ok(PyErr::from_value(cls.call1((format!(
                    "internal error in lagesbild ({msg}); the input was not understood — please report it with the file"
                ),))?))
            };
            Err(build().unwrap_or_else(|_| PyRuntimeError::new_err(msg)))
        }
    }
}
