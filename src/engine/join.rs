//! Spatial joins: which pairs of features match under a predicate.
//!
//! The pairs follow geopandas' `sjoin` (and so the DE-9IM definitions of
//! GEOS): `intersects` when the two share any point, boundary included;
//! `within` when the left feature lies in the right one and some of its
//! interior is in the right one's interior (a point on a polygon's boundary
//! is not within it); `contains` is `within` with the sides swapped.

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::{BoundingRect, Intersects};
use geo_types::{Coord, Geometry};
use rayon::prelude::*;

use super::{checks, index, relate};
use crate::{Layer, Result};

/// A spatial predicate for [`sjoin`], read as "left *predicate* right".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Predicate {
    Intersects,
    Within,
    Contains,
}

impl std::str::FromStr for Predicate {
    type Err = crate::Error;

    /// `"intersects"`, `"within"` or `"contains"`; anything else is an
    /// error listing the three.
    fn from_str(s: &str) -> Result<Predicate> {
        Ok(match s {
            "intersects" => Predicate::Intersects,
            "within" => Predicate::Within,
            "contains" => Predicate::Contains,
            other => crate::bail!(
                "sjoin: unknown predicate {other:?}; use \"intersects\", \"within\" or \"contains\""
            ),
        })
    }
}

impl Predicate {
    /// Parse `"intersects"`, `"within"` or `"contains"`.
    ///
    /// ```
    /// use lagesbild::engine::Predicate;
    ///
    /// assert_eq!(Predicate::parse("within").unwrap(), Predicate::Within);
    /// assert!(Predicate::parse("touches").unwrap_err().to_string().contains("\"intersects\""));
    /// ```
    pub fn parse(s: &str) -> Result<Predicate> {
        s.parse()
    }
}

/// Does the point `c` stand in relation `pred` to `g`?
fn point_matches(c: Coord<f64>, g: &Geometry<f64>, pred: Predicate) -> bool {
    // Per member of a multi-geometry: inside any member is inside the
    // feature; on a member's boundary and inside none is on the boundary
    // (a corner where two parts of a multipolygon touch intersects it but
    // is not within it, as GEOS says).
    let pos = |g: &Geometry<f64>| -> CoordPos {
        match g {
            Geometry::MultiPolygon(m) => {
                let mut best = CoordPos::Outside;
                for p in &m.0 {
                    match p.coordinate_position(&c) {
                        CoordPos::Inside => return CoordPos::Inside,
                        CoordPos::OnBoundary => best = CoordPos::OnBoundary,
                        CoordPos::Outside => {}
                    }
                }
                best
            }
            g => g.coordinate_position(&c),
        }
    };
    match pred {
        Predicate::Intersects => pos(g) != CoordPos::Outside,
        Predicate::Within => pos(g) == CoordPos::Inside,
        Predicate::Contains => match g {
            Geometry::Point(p) => p.0 == c,
            Geometry::MultiPoint(m) => !m.0.is_empty() && m.0.iter().all(|p| p.0 == c),
            _ => false,
        },
    }
}

fn matches(l: &Geometry<f64>, r: &Geometry<f64>, pred: Predicate) -> bool {
    if let Geometry::Point(p) = l {
        return point_matches(p.0, r, pred);
    }
    match pred {
        Predicate::Intersects => l.intersects(r),
        Predicate::Within => relate::contains(r, l),
        Predicate::Contains => relate::contains(l, r),
    }
}

/// The matching pairs `(left row, right row)` of two layers in one CRS,
/// sorted by left row, then right row. Null and empty geometries match
/// nothing; a GeometryCollection is refused, naming the layer and feature.
pub fn sjoin(left: &Layer, right: &Layer, pred: Predicate) -> Result<Vec<(u32, u32)>> {
    checks::same_crs(left, right, "sjoin")?;
    checks::refuse_non_finite(left)?;
    checks::refuse_non_finite(right)?;
    checks::refuse_collections(left, "sjoin")?;
    checks::refuse_collections(right, "sjoin")?;
    let tree = index::box_tree(&index::boxes(right.geometries()));
    let rg = right.geometries();
    let per_left: Vec<Vec<u32>> = super::install(|| {
        left.geometries()
            .par_iter()
            .with_min_len(256)
            .map(|g| {
                let Some(g) = g else { return Vec::new() };
                let Some(b) = g.bounding_rect() else {
                    return Vec::new();
                };
                let mut hits: Vec<u32> = index::hits(&tree, &index::envelope(&b))
                    .filter(|&j| rg[j as usize].as_ref().is_some_and(|r| matches(g, r, pred)))
                    .collect();
                hits.sort_unstable();
                hits
            })
            .collect()
    });
    Ok(per_left
        .into_iter()
        .enumerate()
        .flat_map(|(i, hits)| hits.into_iter().map(move |j| (i as u32, j)))
        .collect())
}
