//! A summary of a file for `lagesbild info`: format, CRS, feature count,
//! geometry types, bounds, columns with types and invalid geometries.

use std::fmt::{self, Write as _};
use std::path::Path;

use crate::error::Result;
use crate::geom::Problem;
use crate::io::{self, Format, ReadOptions, TableOptions};
use crate::layer::Layer;

/// How many problems to show per layer.
const SHOWN: usize = 5;

/// The summary of one layer or table.
#[derive(Debug)]
pub struct Summary {
    pub path: String,
    pub format: &'static str,
    /// How the geometry is stored, where the format has several ways
    /// (GeoParquet: the column, Parquet's geospatial type, the version).
    pub storage: Option<String>,
    pub layer: Option<String>,
    pub crs: Option<String>,
    pub count: usize,
    pub geom_types: Vec<&'static str>,
    pub null_geometries: usize,
    pub bounds: Option<(f64, f64, f64, f64)>,
    pub columns: Vec<(String, String)>,
    pub invalid: usize,
    pub problems: Vec<Problem>,
}

impl Summary {
    fn of_layer(
        path: &Path,
        format: Format,
        sub: Option<String>,
        layer: &Layer,
    ) -> Result<Summary> {
        let valid = layer.is_valid();
        let invalid = valid.iter().filter(|v| !**v).count();
        let storage = match format {
            Format::GeoParquet => Some(io::geoparquet::describe(path)?),
            _ => None,
        };
        Ok(Summary {
            path: path.display().to_string(),
            format: format.name(),
            storage,
            layer: sub,
            crs: Some(layer.crs().to_string()),
            count: layer.len(),
            geom_types: layer.geom_types().into_iter().collect(),
            null_geometries: layer.geometries().iter().filter(|g| g.is_none()).count(),
            bounds: layer.bounds(),
            columns: layer
                .attributes()
                .columns()
                .iter()
                .map(|c| (c.name().to_string(), c.dtype().to_string()))
                .collect(),
            invalid,
            problems: if invalid > 0 {
                layer.validity_report().into_iter().take(SHOWN).collect()
            } else {
                Vec::new()
            },
        })
    }
}

/// Summarise every layer of a file (every feature layer of a GeoPackage;
/// a table for CSV without coordinates and Excel).
pub fn summarise(path: &Path, opts: &ReadOptions) -> Result<Vec<Summary>> {
    let format = Format::of(path)?;
    let allow = ReadOptions {
        allow_empty: true,
        ..opts.clone()
    };
    match format {
        Format::GeoPackage if opts.layer.is_none() => io::gpkg::list_layers(path)?
            .into_iter()
            .map(|l| {
                let o = ReadOptions {
                    layer: Some(l.clone()),
                    ..allow.clone()
                };
                Summary::of_layer(path, format, Some(l), &io::read(path, &o)?)
            })
            .collect(),
        Format::Xlsx => table_summary(path, format, &opts.table),
        Format::Csv => match io::read(path, &allow) {
            Ok(layer) => Ok(vec![Summary::of_layer(path, format, None, &layer)?]),
            Err(crate::Error::Format { detail, .. })
                if detail.starts_with("no coordinate columns") =>
            {
                table_summary(path, format, &opts.table)
            }
            Err(e) => Err(e),
        },
        _ => Ok(vec![Summary::of_layer(
            path,
            format,
            opts.layer.clone(),
            &io::read(path, &allow)?,
        )?]),
    }
}

fn table_summary(path: &Path, format: Format, opts: &TableOptions) -> Result<Vec<Summary>> {
    let df = io::read_table(path, opts)?;
    Ok(vec![Summary {
        path: path.display().to_string(),
        format: format.name(),
        storage: None,
        layer: opts.sheet.clone(),
        crs: None,
        count: df.height(),
        geom_types: Vec::new(),
        null_geometries: 0,
        bounds: None,
        columns: df
            .columns()
            .iter()
            .map(|c| (c.name().to_string(), c.dtype().to_string()))
            .collect(),
        invalid: 0,
        problems: Vec::new(),
    }])
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.path)?;
        if let Some(l) = &self.layer {
            writeln!(f, "  layer:       {l}")?;
        }
        writeln!(f, "  format:      {}", self.format)?;
        if let Some(s) = &self.storage {
            writeln!(f, "  storage:     {s}")?;
        }
        match &self.crs {
            Some(c) => writeln!(f, "  CRS:         {c}")?,
            None => writeln!(f, "  CRS:         (a table without geometry)")?,
        }
        if self.crs.is_some() {
            writeln!(f, "  features:    {}", self.count)?;
            let mut types = self.geom_types.join(", ");
            if self.null_geometries > 0 {
                let _ = write!(types, " ({} without geometry)", self.null_geometries);
            }
            writeln!(f, "  geometry:    {types}")?;
            match self.bounds {
                Some((a, b, c, d)) => writeln!(f, "  bounds:      {a:.6} {b:.6} {c:.6} {d:.6}")?,
                None => writeln!(f, "  bounds:      (none)")?,
            }
        } else {
            writeln!(f, "  rows:        {}", self.count)?;
        }
        writeln!(f, "  columns:     {}", self.columns.len())?;
        let width = self
            .columns
            .iter()
            .map(|(n, _)| n.chars().count())
            .max()
            .unwrap_or(0);
        for (n, t) in &self.columns {
            writeln!(f, "    {n:<width$}  {t}")?;
        }
        if self.crs.is_some() {
            writeln!(f, "  invalid:     {}", self.invalid)?;
            for p in &self.problems {
                match (p.x, p.y) {
                    (Some(x), Some(y)) => writeln!(
                        f,
                        "    feature {}: {} at ({x:.3}, {y:.3})",
                        p.feature, p.reason
                    )?,
                    _ => writeln!(f, "    feature {}: {}", p.feature, p.reason)?,
                }
            }
            if self.invalid > self.problems.len() {
                writeln!(f, "    …")?;
            }
        }
        Ok(())
    }
}
