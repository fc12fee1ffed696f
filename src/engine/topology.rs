//! Topology of a layer of areas: where areas overlap and where they leave gaps.
//!
//! A municipality's areas (stadsdelar, say) should tile its territory: no
//! two areas share ground, and no ground inside the territory belongs to
//! none. Real boundary files come close but not exactly — neighbouring
//! polygons digitised separately overlap by slivers of a few square metres,
//! and small holes open between them. [`area_topology`] finds both:
//!
//! - **overlaps**: every pair of areas whose intersection has an area, with
//!   the intersection's area and a point inside it. Candidate pairs come from
//!   an R-tree of bounding boxes; the intersections are computed with `geo`'s
//!   boolean operations, in parallel.
//! - **gaps**: the interior holes of the union of all areas — ground enclosed
//!   by the areas but covered by none — with their area, a point inside and
//!   the areas around them. Concavities of the outer boundary are not gaps:
//!   the union's outline is taken to be the territory.
//!
//! Areas are in square metres, in the layer's projected CRS; a layer in
//! longitude/latitude is refused. Deciding what is a tolerable sliver and
//! what is an error is left to the caller.

use geo::orient::{Direction, Orient};
use geo::{unary_union, Area, BooleanOps, BoundingRect, Distance, Euclidean, InteriorPoint};
use geo_types::{Geometry, MultiPolygon, Polygon, Rect};
use rayon::prelude::*;

use super::index;
use crate::error::{Error, Result};
use crate::geom;
use crate::layer::Layer;

/// Two areas that share ground.
#[derive(Clone, Debug, PartialEq)]
pub struct Overlap {
    /// Row position of the first area (`a < b`).
    pub a: usize,
    /// Row position of the second area.
    pub b: usize,
    /// Area of the intersection in square metres.
    pub area_m2: f64,
    /// A point inside the (largest piece of the) intersection.
    pub x: f64,
    pub y: f64,
}

/// Ground enclosed by the areas but covered by none of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    /// Area of the hole in square metres.
    pub area_m2: f64,
    /// A point inside the hole.
    pub x: f64,
    pub y: f64,
    /// Row positions of the areas that border the hole, ascending.
    pub neighbours: Vec<usize>,
}

/// What [`area_topology`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AreaTopology {
    /// Overlapping pairs, sorted by `(a, b)`.
    pub overlaps: Vec<Overlap>,
    /// Gaps, largest first.
    pub gaps: Vec<Gap>,
}

/// Options of [`area_topology`].
#[derive(Clone, Debug, PartialEq)]
pub struct TopologyOptions {
    /// Overlaps and gaps of at most this many square metres are numerical
    /// noise and left out (default 1e-9 m², a square of 0.03 mm sides).
    pub min_area_m2: f64,
    /// An area borders a gap when it comes within this many metres of it
    /// (default 0.01 m).
    pub neighbour_distance_m: f64,
}

impl Default for TopologyOptions {
    fn default() -> Self {
        TopologyOptions {
            min_area_m2: 1e-9,
            neighbour_distance_m: 0.01,
        }
    }
}

/// The polygons of a feature, oriented (exterior counter-clockwise), or an
/// error naming the feature when it is not a polygon.
fn polygons(layer: &Layer, feature: usize, g: &Geometry<f64>) -> Result<MultiPolygon<f64>> {
    let mp = match g {
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        Geometry::MultiPolygon(mp) => mp.clone(),
        Geometry::Rect(r) => MultiPolygon(vec![r.to_polygon()]),
        Geometry::Triangle(t) => MultiPolygon(vec![t.to_polygon()]),
        other => {
            return Err(Error::InvalidGeometry {
                layer: layer.name().to_string(),
                feature,
                reason: format!(
                    "a {} where an area (Polygon or MultiPolygon) is needed",
                    geom::type_name(other)
                ),
            })
        }
    };
    if !geom::all_finite(&Geometry::MultiPolygon(mp.clone())) {
        return Err(Error::InvalidGeometry {
            layer: layer.name().to_string(),
            feature,
            reason: "a coordinate is not a finite number".into(),
        });
    }
    Ok(mp.orient(Direction::Default))
}

fn largest_interior_point(mp: &MultiPolygon<f64>) -> Option<(f64, f64)> {
    mp.0.iter()
        .max_by(|p, q| p.unsigned_area().total_cmp(&q.unsigned_area()))
        .and_then(|p| p.interior_point())
        .map(|p| (p.x(), p.y()))
}

/// Find the overlaps between the areas of `layer` and the gaps they leave.
///
/// Features without geometry are skipped. Areas are in square metres, in
/// the layer's projected CRS.
///
/// # Errors
///
/// [`Error::GeographicCrs`] for a layer in longitude/latitude;
/// [`Error::InvalidGeometry`] naming the feature when a geometry is not a
/// polygon or has a non-finite coordinate.
///
/// # Examples
///
/// Two 10 m squares overlapping by a 1 m strip, and a third that leaves a
/// 1 m × 10 m hole between itself and the first two:
///
/// ```
/// use geo_types::{Geometry, Rect, coord};
/// use lagesbild::{Crs, Layer};
/// use lagesbild::engine::topology::{area_topology, TopologyOptions};
/// use polars::prelude::DataFrame;
///
/// let square = |x0: f64, y0: f64, x1: f64, y1: f64| {
///     Some(Geometry::Polygon(Rect::new(coord! { x: x0, y: y0 }, coord! { x: x1, y: y1 }).to_polygon()))
/// };
/// let layer = Layer::new(
///     "areas",
///     vec![
///         square(0.0, 0.0, 10.0, 10.0),
///         square(9.0, 0.0, 20.0, 10.0),
///         square(-5.0, 10.0, 25.0, 20.0), // on top of both
///         square(-5.0, -10.0, 25.0, 0.0), // below both
///         square(-5.0, 0.0, 0.0, 10.0),   // left
///         square(21.0, 0.0, 25.0, 10.0),  // right, leaving x 20..21 open
///     ],
///     DataFrame::empty(),
///     Crs::from_epsg(3011).unwrap(),
/// ).unwrap();
/// let topo = area_topology(&layer, &TopologyOptions::default()).unwrap();
/// assert_eq!(topo.overlaps.len(), 1);
/// assert_eq!((topo.overlaps[0].a, topo.overlaps[0].b), (0, 1));
/// assert!((topo.overlaps[0].area_m2 - 10.0).abs() < 1e-6);
/// assert_eq!(topo.gaps.len(), 1);
/// assert!((topo.gaps[0].area_m2 - 10.0).abs() < 1e-6);
/// assert_eq!(topo.gaps[0].neighbours, vec![1, 2, 3, 5]);
/// ```
pub fn area_topology(layer: &Layer, opts: &TopologyOptions) -> Result<AreaTopology> {
    super::install(|| topology(layer, opts))
}

fn topology(layer: &Layer, opts: &TopologyOptions) -> Result<AreaTopology> {
    layer.require_metric("the overlap and gap check")?;
    let mut areas: Vec<(usize, MultiPolygon<f64>)> = Vec::with_capacity(layer.len());
    for (i, g) in layer.geometries().iter().enumerate() {
        if let Some(g) = g {
            areas.push((i, polygons(layer, i, g)?));
        }
    }
    let boxes: Vec<Option<Rect<f64>>> = areas.iter().map(|(_, mp)| mp.bounding_rect()).collect();
    let tree = index::box_tree(&boxes);

    // Candidate pairs (k < l) whose boxes meet, then their exact intersections.
    let candidates = index::self_pairs(&boxes);
    let mut overlaps: Vec<Overlap> = candidates
        .par_iter()
        .filter_map(|&(k, l)| {
            let (k, l) = (k as usize, l as usize);
            let shared = areas[k].1.intersection(&areas[l].1);
            let area = shared.unsigned_area();
            if area <= opts.min_area_m2 {
                return None;
            }
            let (x, y) = largest_interior_point(&shared).unwrap_or((f64::NAN, f64::NAN));
            Some(Overlap {
                a: areas[k].0,
                b: areas[l].0,
                area_m2: area,
                x,
                y,
            })
        })
        .collect();
    overlaps.sort_by_key(|o| (o.a, o.b));

    // Holes of the union.
    let union = unary_union(areas.iter().map(|(_, mp)| mp));
    let holes: Vec<Polygon<f64>> = union
        .0
        .iter()
        .flat_map(|p| p.interiors().iter().cloned())
        .map(|ring| Polygon::new(ring, vec![]))
        .filter(|h| h.unsigned_area() > opts.min_area_m2)
        .collect();
    let reach = opts.neighbour_distance_m;
    let mut gaps: Vec<Gap> = holes
        .par_iter()
        .map(|hole| {
            let (x, y) = hole
                .interior_point()
                .map(|p| (p.x(), p.y()))
                .unwrap_or((f64::NAN, f64::NAN));
            let mut neighbours: Vec<usize> = match hole.bounding_rect() {
                Some(r) => {
                    let aabb = index::widened(&index::envelope(&r), reach);
                    index::hits(&tree, &aabb)
                        .map(|k| k as usize)
                        .filter(|&k| {
                            areas[k]
                                .1
                                 .0
                                .iter()
                                .any(|p| Euclidean.distance(p, hole) <= reach)
                        })
                        .map(|k| areas[k].0)
                        .collect()
                }
                None => Vec::new(),
            };
            neighbours.sort_unstable();
            Gap {
                area_m2: hole.unsigned_area(),
                x,
                y,
                neighbours,
            }
        })
        .collect();
    gaps.sort_by(|p, q| {
        q.area_m2
            .total_cmp(&p.area_m2)
            .then(p.x.total_cmp(&q.x))
            .then(p.y.total_cmp(&q.y))
    });
    Ok(AreaTopology { overlaps, gaps })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Crs;
    use geo_types::{coord, polygon, Point};
    use polars::prelude::DataFrame;

    fn layer(geoms: Vec<Option<Geometry<f64>>>, epsg: u32) -> Layer {
        Layer::new(
            "areas",
            geoms,
            DataFrame::empty(),
            Crs::from_epsg(epsg).unwrap(),
        )
        .unwrap()
    }

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Option<Geometry<f64>> {
        Some(Geometry::Polygon(
            Rect::new(coord! { x: x0, y: y0 }, coord! { x: x1, y: y1 }).to_polygon(),
        ))
    }

    #[test]
    fn touching_squares_neither_overlap_nor_leave_gaps() {
        let l = layer(
            vec![rect(0.0, 0.0, 10.0, 10.0), rect(10.0, 0.0, 20.0, 10.0)],
            3011,
        );
        assert_eq!(
            area_topology(&l, &TopologyOptions::default()).unwrap(),
            AreaTopology::default()
        );
    }

    #[test]
    fn overlap_of_a_multipolygon_sums_its_pieces_and_names_both_rows() {
        // Feature 1 is two squares, each overlapping feature 0 (and 2) by 2 m².
        let two = MultiPolygon(vec![
            Rect::new(coord! { x: 9.0, y: 0.0 }, coord! { x: 11.0, y: 1.0 }).to_polygon(),
            Rect::new(coord! { x: 9.0, y: 5.0 }, coord! { x: 11.0, y: 6.0 }).to_polygon(),
        ]);
        let l = layer(
            vec![
                rect(0.0, 0.0, 10.0, 10.0),
                Some(Geometry::MultiPolygon(two)),
                None,
                rect(10.0, 0.0, 20.0, 10.0),
            ],
            3006,
        );
        let t = area_topology(&l, &TopologyOptions::default()).unwrap();
        let pairs: Vec<_> = t.overlaps.iter().map(|o| (o.a, o.b)).collect();
        assert_eq!(pairs, vec![(0, 1), (1, 3)]);
        for o in &t.overlaps {
            assert!((o.area_m2 - 2.0).abs() < 1e-9, "{o:?}");
            // the point is inside the larger piece's intersection
            assert!(o.x > 9.0 && o.x < 11.0, "{o:?}");
        }
        assert!(t.gaps.is_empty());
    }

    #[test]
    fn a_hole_in_a_ring_of_areas_is_a_gap_with_its_neighbours() {
        // Four areas around a 2 × 3 hole at (4..6, 4..7); a fifth far away.
        let l = layer(
            vec![
                rect(0.0, 0.0, 10.0, 4.0),
                rect(0.0, 4.0, 4.0, 10.0),
                rect(6.0, 4.0, 10.0, 10.0),
                rect(4.0, 7.0, 6.0, 10.0),
                rect(100.0, 100.0, 110.0, 110.0),
            ],
            3011,
        );
        let t = area_topology(&l, &TopologyOptions::default()).unwrap();
        assert!(t.overlaps.is_empty());
        assert_eq!(t.gaps.len(), 1);
        let g = &t.gaps[0];
        assert!((g.area_m2 - 6.0).abs() < 1e-9);
        assert!(g.x > 4.0 && g.x < 6.0 && g.y > 4.0 && g.y < 7.0, "{g:?}");
        assert_eq!(g.neighbours, vec![0, 1, 2, 3]);
    }

    #[test]
    fn a_hole_inside_one_area_is_a_gap_too() {
        let with_hole = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 2.0, y: 2.0), (x: 3.0, y: 2.0), (x: 3.0, y: 3.0), (x: 2.0, y: 3.0)]],
        );
        let l = layer(vec![Some(Geometry::Polygon(with_hole))], 3011);
        let t = area_topology(&l, &TopologyOptions::default()).unwrap();
        assert_eq!(t.gaps.len(), 1);
        assert!((t.gaps[0].area_m2 - 1.0).abs() < 1e-9);
        assert_eq!(t.gaps[0].neighbours, vec![0]);
    }

    #[test]
    fn clockwise_and_counter_clockwise_areas_union_alike() {
        // The same ring of areas as above, with every other one reversed.
        let mut geoms = vec![
            rect(0.0, 0.0, 10.0, 4.0),
            rect(0.0, 4.0, 4.0, 10.0),
            rect(6.0, 4.0, 10.0, 10.0),
            rect(4.0, 7.0, 6.0, 10.0),
        ];
        for g in geoms.iter_mut().step_by(2) {
            if let Some(Geometry::Polygon(p)) = g {
                *p = p.orient(Direction::Reversed);
            }
        }
        let t = area_topology(&layer(geoms, 3011), &TopologyOptions::default()).unwrap();
        assert_eq!(t.gaps.len(), 1);
        assert!((t.gaps[0].area_m2 - 6.0).abs() < 1e-9);
    }

    #[test]
    fn min_area_leaves_out_small_pieces() {
        let l = layer(
            vec![rect(0.0, 0.0, 10.0, 10.0), rect(9.999, 0.0, 20.0, 10.0)],
            3011,
        );
        let all = area_topology(&l, &TopologyOptions::default()).unwrap();
        assert_eq!(all.overlaps.len(), 1);
        assert!((all.overlaps[0].area_m2 - 0.01).abs() < 1e-6);
        let coarse = TopologyOptions {
            min_area_m2: 0.1,
            ..Default::default()
        };
        assert!(area_topology(&l, &coarse).unwrap().overlaps.is_empty());
    }

    #[test]
    fn lon_lat_is_refused() {
        let l = layer(vec![rect(18.0, 59.0, 18.1, 59.1)], 4326);
        let e = area_topology(&l, &TopologyOptions::default()).unwrap_err();
        assert!(matches!(e, Error::GeographicCrs { .. }), "{e}");
    }

    #[test]
    fn a_point_is_refused_naming_the_feature() {
        let l = layer(
            vec![
                rect(0.0, 0.0, 1.0, 1.0),
                Some(Geometry::Point(Point::new(5.0, 5.0))),
            ],
            3011,
        );
        let e = area_topology(&l, &TopologyOptions::default()).unwrap_err();
        assert_eq!(e.feature_index(), Some(1));
        assert!(e.to_string().contains("a Point where an area"), "{e}");
    }
}
