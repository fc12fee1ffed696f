//! How values cross the boundary (the counterpart of `lagesbild/_wire.py`):
//! tables as Arrow IPC bytes written and read by polars on both sides,
//! coordinates and row positions as buffers read in place (numpy arrays),
//! results as little-endian bytes written straight into a Python object.

use std::io::Cursor;

use polars::prelude::*;
use pyo3::buffer::{Element, PyBuffer};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::error::{invalid, run};

/// A table as Arrow IPC bytes.
pub(crate) fn ipc_bytes(mut df: DataFrame) -> lagesbild::Result<Vec<u8>> {
    let mut buf = Vec::new();
    IpcWriter::new(&mut buf)
        .with_compat_level(CompatLevel::newest())
        .finish(&mut df)
        .map_err(|e| {
            lagesbild::Error::InvalidArgument(format!("cannot pass the table to Python: {e}"))
        })?;
    Ok(buf)
}

/// A table from Arrow IPC bytes.
pub(crate) fn ipc_frame(bytes: &[u8]) -> lagesbild::Result<DataFrame> {
    IpcReader::new(Cursor::new(bytes)).finish().map_err(|e| {
        lagesbild::Error::InvalidArgument(format!("cannot read the table from Python: {e}"))
    })
}

/// A read-only view of a contiguous buffer of `T` (a numpy array).
pub(crate) struct View<T: Element>(PyBuffer<T>);

impl<T: Element + Copy> View<T> {
    pub(crate) fn get(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<View<T>> {
        let py = obj.py();
        let b = PyBuffer::<T>::get(obj).map_err(|e| {
            invalid(
                py,
                format!(
                    "{what}: expected a contiguous array of {}, got {e}",
                    std::any::type_name::<T>()
                ),
            )
        })?;
        if !b.is_c_contiguous() {
            return Err(invalid(py, format!("{what}: the array must be contiguous")));
        }
        Ok(View(b))
    }

    pub(crate) fn slice(&self) -> &[T] {
        let n = self.0.item_count();
        if n == 0 {
            return &[];
        }
        // SAFETY: a contiguous buffer of `n` values of `T`, kept alive (and
        // its exporter locked against resizing) by the PyBuffer for as long
        // as the slice borrows it.
        unsafe { std::slice::from_raw_parts(self.0.buf_ptr() as *const T, n) }
    }
}

/// Values as little-endian bytes, written straight into the Python object.
fn le_bytes<'py, T: Copy, const N: usize>(
    py: Python<'py>,
    v: &[T],
    to_le: impl Fn(T) -> [u8; N],
) -> PyResult<Bound<'py, PyBytes>> {
    PyBytes::new_with(py, v.len() * N, |buf| {
        for (chunk, &x) in buf.chunks_exact_mut(N).zip(v) {
            chunk.copy_from_slice(&to_le(x));
        }
        Ok(())
    })
}

pub(crate) fn u32_bytes<'py>(py: Python<'py>, v: &[u32]) -> PyResult<Bound<'py, PyBytes>> {
    le_bytes(py, v, u32::to_le_bytes)
}

/// `n` row positions written by `fill` straight into a new bytes object
/// (little-endian `u32`), without the GIL: the answer for millions of
/// points is written once, where Python reads it.
pub(crate) fn u32_bytes_with<'py>(
    py: Python<'py>,
    n: usize,
    fill: impl FnOnce(&mut [u32]) -> lagesbild::Result<()> + Send,
) -> PyResult<Bound<'py, PyBytes>> {
    PyBytes::new_with(py, n * 4, |buf| {
        // SAFETY: any bit pattern is a valid u32.
        let (head, rows, tail) = unsafe { buf.align_to_mut::<u32>() };
        if cfg!(target_endian = "little") && head.is_empty() && tail.is_empty() {
            run(py, || fill(rows))
        } else {
            let mut rows = vec![0u32; n];
            run(py, || fill(&mut rows))?;
            for (chunk, r) in buf.chunks_exact_mut(4).zip(rows) {
                chunk.copy_from_slice(&r.to_le_bytes());
            }
            Ok(())
        }
    })
}

pub(crate) fn f64_bytes<'py>(py: Python<'py>, v: &[f64]) -> PyResult<Bound<'py, PyBytes>> {
    le_bytes(py, v, f64::to_le_bytes)
}

/// Two columns of row positions.
pub(crate) type Pairs<'py> = (Bound<'py, PyBytes>, Bound<'py, PyBytes>);
/// Two columns of row positions and a measure.
pub(crate) type Triples<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

pub(crate) fn pairs<'py>(py: Python<'py>, a: &[u32], b: &[u32]) -> PyResult<Pairs<'py>> {
    Ok((u32_bytes(py, a)?, u32_bytes(py, b)?))
}

pub(crate) fn triples<'py>(py: Python<'py>, t: &[(u32, u32, f64)]) -> PyResult<Triples<'py>> {
    let a: Vec<u32> = t.iter().map(|x| x.0).collect();
    let b: Vec<u32> = t.iter().map(|x| x.1).collect();
    let c: Vec<f64> = t.iter().map(|x| x.2).collect();
    Ok((u32_bytes(py, &a)?, u32_bytes(py, &b)?, f64_bytes(py, &c)?))
}
