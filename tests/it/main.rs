//! Integration tests of the core, as one binary.

mod crs;
mod engine;
mod exact;
mod fixtures;
mod geoparquet;
mod io;
mod oracle;
mod shp_write;
mod topology;
