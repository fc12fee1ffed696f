//! The one error type of the core.
//!
//! Every variant carries what a user needs to find and fix the problem: the
//! file, the feature index or the column. Messages are one lowercase sentence
//! saying what is wrong, where, and what to do.

use std::path::{Path, PathBuf};

/// Everything that can go wrong in `lagesbild`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file does not exist.
    #[error("{}: no such file", path.display())]
    NotFound { path: PathBuf },

    /// The file exists but could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The file's contents are not what its format promises.
    #[error("{}{}: {detail}", path.display(), feature.map(|f| format!(", feature {f}")).unwrap_or_default())]
    Format {
        path: PathBuf,
        feature: Option<usize>,
        detail: String,
    },

    /// A column the caller named, or the format requires, is not there.
    #[error("{layer}: no column {column:?} (columns: {})", available.join(", "))]
    ColumnNotFound {
        layer: String,
        column: String,
        available: Vec<String>,
    },

    /// The CRS could not be determined or is not supported.
    #[error("{layer}: {detail}")]
    Crs { layer: String, detail: String },

    /// An error about a named file's layer that is not about its format:
    /// the inner error, with the file it came from.
    #[error("{source}")]
    InFile {
        path: PathBuf,
        #[source]
        source: Box<Error>,
    },

    /// A metric computation was asked of a layer in longitude/latitude.
    #[error("{layer} is in {crs}, a geographic CRS in degrees; {what} needs metres: call to_crs(3006) or to the local SWEREF 99 zone first")]
    GeographicCrs {
        layer: String,
        crs: String,
        what: String,
    },

    /// A geometry is invalid and cannot be used as it is.
    #[error("{layer}, feature {feature}: invalid geometry: {reason}")]
    InvalidGeometry {
        layer: String,
        feature: usize,
        reason: String,
    },

    /// The layer has no features where some are needed.
    #[error("{layer}: {detail}")]
    EmptyLayer { layer: String, detail: String },

    /// An argument the caller passed is not valid.
    #[error("{0}")]
    InvalidArgument(String),
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A format error for a whole file.
    pub fn format(path: &Path, detail: impl Into<String>) -> Self {
        Error::Format {
            path: path.to_path_buf(),
            feature: None,
            detail: detail.into(),
        }
    }

    /// A format error for one feature of a file.
    pub fn feature(path: &Path, feature: usize, detail: impl Into<String>) -> Self {
        Error::Format {
            path: path.to_path_buf(),
            feature: Some(feature),
            detail: detail.into(),
        }
    }

    /// A column that is not in `df`, listing the columns that are.
    ///
    /// ```
    /// use lagesbild::Error;
    /// use polars::prelude::*;
    ///
    /// let df = df!("namn" => ["a"], "ar" => [2023]).unwrap();
    /// let e = Error::column_not_found("befolkning", "stadsdel", &df);
    /// assert_eq!(e.to_string(), "befolkning: no column \"stadsdel\" (columns: namn, ar)");
    /// assert_eq!(e.column(), Some("stadsdel"));
    /// ```
    pub fn column_not_found(
        layer: impl Into<String>,
        column: impl Into<String>,
        df: &polars::prelude::DataFrame,
    ) -> Self {
        Error::ColumnNotFound {
            layer: layer.into(),
            column: column.into(),
            available: df
                .get_column_names()
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }

    /// A feature of the wrong geometry type for an operation: `"{what} needs
    /// {needs}, and this feature is a {type}"`, plus `hint` when given.
    ///
    /// ```
    /// use geo_types::{Geometry, Point};
    /// use lagesbild::Error;
    ///
    /// let e = Error::wrong_geometry("areas", 3, "assign", "polygons", &Geometry::Point(Point::new(0.0, 0.0)), "");
    /// assert_eq!(e.to_string(), "areas, feature 3: invalid geometry: assign needs polygons, and this feature is a Point");
    /// ```
    pub fn wrong_geometry(
        layer: impl Into<String>,
        feature: usize,
        what: &str,
        needs: &str,
        found: &geo_types::Geometry<f64>,
        hint: &str,
    ) -> Self {
        let hint = if hint.is_empty() {
            String::new()
        } else {
            format!("; {hint}")
        };
        Error::InvalidGeometry {
            layer: layer.into(),
            feature,
            reason: format!(
                "{what} needs {needs}, and this feature is a {}{hint}",
                crate::geom::type_name(found)
            ),
        }
    }

    /// An I/O error, turned into [`Error::NotFound`] when the file is missing.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::NotFound {
            Error::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            Error::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    }

    /// Attach the file an error came from (kept as it is when it already names one).
    pub fn in_file(self, path: &Path) -> Self {
        if self.path().is_some() {
            self
        } else {
            Error::InFile {
                path: path.to_path_buf(),
                source: Box::new(self),
            }
        }
    }

    /// The error itself, without the file it came from.
    pub fn inner(&self) -> &Error {
        match self {
            Error::InFile { source, .. } => source.inner(),
            e => e,
        }
    }

    /// The path the error is about, if any.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Error::NotFound { path }
            | Error::Io { path, .. }
            | Error::Format { path, .. }
            | Error::InFile { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The feature index the error is about, if any.
    pub fn feature_index(&self) -> Option<usize> {
        match self {
            Error::Format { feature, .. } => *feature,
            Error::InvalidGeometry { feature, .. } => Some(*feature),
            Error::InFile { source, .. } => source.feature_index(),
            _ => None,
        }
    }

    /// The column the error is about, if any.
    pub fn column(&self) -> Option<&str> {
        match self {
            Error::ColumnNotFound { column, .. } => Some(column),
            Error::InFile { source, .. } => source.column(),
            _ => None,
        }
    }
}

/// Return early with an [`Error::InvalidArgument`].
#[macro_export]
macro_rules! bail {
    ($($arg:tt)*) => {
        return Err($crate::Error::InvalidArgument(format!($($arg)*)))
    };
}

/// Return early with an [`Error::InvalidArgument`] unless the condition holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($arg:tt)*) => {
        if !$cond {
            $crate::bail!($($arg)*);
        }
    };
}
