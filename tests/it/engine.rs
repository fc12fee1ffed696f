//! The engine's answers in cases that once went wrong: near-collinear
//! boundaries in overlays, points a rounding error beside a row of the
//! point index, mixed ring orientations in a union, invalid polygons fed to
//! buffer and dissolve.

use geo::Area;
use geo_types::{Geometry, LineString, MultiPolygon, Point, Polygon};
use lagesbild::engine::{
    assign_xy, buffer, dissolve, length_within, nearest, nearest_points, overlay_area, Points, NONE,
};
use lagesbild::{Crs, Error, Layer};
use polars::prelude::DataFrame;

fn ring(coords: &[(f64, f64)]) -> LineString<f64> {
    LineString::from(coords.to_vec())
}

fn poly(coords: &[(f64, f64)]) -> Geometry<f64> {
    Geometry::Polygon(Polygon::new(ring(coords), vec![]))
}

fn layer(name: &str, geoms: Vec<Geometry<f64>>) -> Layer {
    Layer::new(
        name,
        geoms.into_iter().map(Some).collect(),
        DataFrame::empty(),
        Crs::from_epsg(3011).unwrap(),
    )
    .unwrap()
}

fn area_of(zones: &Layer, areas: &Layer) -> f64 {
    overlay_area(zones, areas)
        .unwrap()
        .iter()
        .map(|t| t.2)
        .sum()
}

/// A zone clipped out of an area shares its edge only to rounding: the
/// vertex (1, 15/14) lies on the zone's edge from (0, 1) to (7, 1.5) to
/// the nearest double. Deciding each side by a midpoint counted the
/// stretch in both polygons (6.607 m² for a zone of 3.607).
#[test]
fn overlay_area_of_a_zone_clipped_from_the_area() {
    let zone = poly(&[
        (1.0, 0.0),
        (0.0, 0.0),
        (0.0, 1.0),
        (7.0, 1.5),
        (1.0, 0.2142857142857143),
        (1.0, 0.0),
    ]);
    let area = poly(&[
        (0.0, 0.0),
        (0.0, 1.0),
        (0.0, 2.0),
        (1.0, 2.0),
        (1.0, 1.0714285714285714),
        (7.0, 1.5),
        (1.0, 0.2142857142857143),
        (1.0, 0.0),
        (0.0, 0.0),
    ]);
    let expected = zone.unsigned_area();
    let (z, a) = (layer("zones", vec![zone]), layer("areas", vec![area]));
    for (x, y) in [(&z, &a), (&a, &z)] {
        let got = area_of(x, y);
        assert!(
            (got - expected).abs() < 1e-12,
            "{got} m², expected {expected}"
        );
    }
}

/// A polygon with a spike of no width (two edges along each other to
/// rounding), overlaid with itself: the spike's edges cancel.
#[test]
fn overlay_area_of_a_polygon_with_a_hair_thin_spike() {
    let p = [
        (2.0, 2.0),
        (2.0, 1.2857142857142858),
        (14.0, 0.0),
        (0.0, 1.5),
        (0.0, 2.0),
        (2.0, 2.0),
    ];
    let q = [
        (0.0, 2.0),
        (2.0, 2.0),
        (2.0, 1.2857142857142858),
        (14.0, 0.0),
        (0.0, 1.5),
        (0.0, 2.0),
    ];
    let expected = poly(&p).unsigned_area();
    let got = area_of(&layer("a", vec![poly(&p)]), &layer("b", vec![poly(&q)]));
    assert!(
        (got - expected).abs() < 1e-9,
        "{got} m², expected {expected}"
    );
}

/// A zone with a sliver of no width lying along the area's edge (one of
/// its vertices exactly on the edge, the other a rounding error off): the
/// sliver's two sides cancel, whichever polygon holds it.
#[test]
// The coordinates are 1/√2 and its neighbour one unit in the last place away, on purpose.
#[allow(clippy::approx_constant)]
fn overlay_area_with_a_sliver_along_the_other_boundary() {
    let zone = Geometry::MultiPolygon(MultiPolygon(vec![
        Polygon::new(
            ring(&[(0.0, 2.0), (1.0, 2.0), (0.0, 1.0), (0.0, 2.0)]),
            vec![],
        ),
        Polygon::new(
            ring(&[
                (1.7071067811865475, 0.7071067811865475),
                (1.7071067811865475, 0.7071067811865476),
                (2.0, 1.0),
                (1.7071067811865475, 0.7071067811865475),
            ]),
            vec![],
        ),
    ]));
    let area = poly(&[
        (0.0, 0.0),
        (0.0, 1.0),
        (0.0, 2.0),
        (1.0, 2.0),
        (2.0, 1.0),
        (1.0, 0.0),
        (0.0, 0.0),
    ]);
    let (z, a) = (layer("z", vec![zone]), layer("a", vec![area]));
    for (x, y) in [(&z, &a), (&a, &z)] {
        let got = area_of(x, y);
        assert!((got - 0.5).abs() < 1e-12, "{got} m², expected 0.5");
    }
}

/// Edges shorter than the tolerance (5 µm in Stockholm's coordinates,
/// where the tolerance is 6.6 µm) along the other polygon's edges.
#[test]
fn overlay_area_with_edges_shorter_than_the_tolerance() {
    let zone = poly(&[
        (153001.0, 6580001.0),
        (153001.0, 6580000.999995),
        (153001.99999, 6580000.0),
        (153001.0, 6580000.0),
        (153000.0, 6580000.0),
        (153000.0, 6580001.0),
        (153000.0, 6580002.0),
        (153000.999995, 6580001.0),
        (153001.0, 6580001.0),
    ]);
    let square = poly(&[
        (153001.0, 6580000.0),
        (153001.0, 6580001.0),
        (153000.0, 6580001.0),
        (153000.0, 6580000.0),
        (153001.0, 6580000.0),
    ]);
    let (z, a) = (layer("z", vec![zone]), layer("a", vec![square]));
    for (x, y) in [(&z, &a), (&a, &z)] {
        let got = area_of(x, y);
        assert!((got - 1.0).abs() < 1e-9, "{got} m², expected 1");
    }
}

/// A zone with a spike of no width along an edge it shares exactly with
/// the area: only the stretch the spike doubles cancels.
#[test]
fn overlay_area_with_a_spike_along_a_shared_edge() {
    let zone = poly(&[
        (1.0, 0.9411764705882353),
        (17.0, 0.0),
        (2.0, 0.8823529411764706),
        (2.0, 0.0),
        (1.0, 0.0),
        (0.0, 0.0),
        (0.0, 1.0),
        (1.0, 1.0),
        (1.0, 0.9411764705882353),
    ]);
    let area = poly(&[
        (1.0, 1.0),
        (1.0, 0.9411764705882353),
        (17.0, 0.0),
        (1.0, 0.0),
        (0.0, 0.0),
        (0.0, 1.0),
        (1.0, 1.0),
    ]);
    let expected = zone.unsigned_area();
    let (z, a) = (layer("z", vec![zone]), layer("a", vec![area]));
    for (x, y) in [(&z, &a), (&a, &z)] {
        let got = area_of(x, y);
        assert!(
            (got - expected).abs() < 1e-12,
            "{got} m², expected {expected}"
        );
    }
}

/// The same in Stockholm's coordinates, where a double has ~1e-9 m to spare.
#[test]
fn overlay_area_of_a_clipped_zone_in_stockholm_coordinates() {
    let (x0, y0) = (153_000.0, 6_580_000.0);
    let m = |pts: &[(f64, f64)]| -> Vec<(f64, f64)> {
        pts.iter().map(|&(x, y)| (x0 + x, y0 + y)).collect()
    };
    // A slanted edge, and a vertex on it computed by intersection.
    let t = 0.37;
    let on = (t * 700.0, 100.0 + t * 50.0);
    let zone = poly(&m(&[
        (0.0, 0.0),
        (700.0, 0.0),
        (700.0, 150.0),
        (0.0, 100.0),
        (0.0, 0.0),
    ]));
    let area = poly(&m(&[
        (0.0, 100.0),
        on,
        (on.0, 400.0),
        (0.0, 400.0),
        (0.0, 100.0),
    ]));
    let clip = poly(&m(&[(0.0, 0.0), (on.0, 0.0), on, (0.0, 100.0), (0.0, 0.0)]));
    // The area lies above the zone's slanted edge; the clipped part below it.
    let (z, a, c) = (
        layer("z", vec![zone]),
        layer("a", vec![area]),
        layer("c", vec![clip.clone()]),
    );
    assert!(area_of(&z, &a) < 1e-6, "{}", area_of(&z, &a));
    let full = clip.unsigned_area();
    assert!(
        (area_of(&z, &c) - full).abs() < 1e-6,
        "{} vs {full}",
        area_of(&z, &c)
    );
    assert!((area_of(&c, &z) - full).abs() < 1e-6);
}

/// A line running along a clipped edge counts once, in the area.
#[test]
fn length_within_along_a_computed_vertex() {
    let area = poly(&[
        (1.5, 0.0),
        (1.0, 0.0),
        (1.0, 0.3333333333333333),
        (1.5, 0.0),
    ]);
    let line = Geometry::LineString(ring(&[(0.0, 1.0), (1.5, 0.0)]));
    let got = length_within(&layer("l", vec![line]), &layer("a", vec![area])).unwrap();
    let along = (0.5f64.powi(2) + (1.0f64 / 3.0).powi(2)).sqrt();
    assert_eq!(got.len(), 1);
    assert!((got[0].2 - along).abs() < 1e-12, "{got:?}");
}

/// A point exactly on an almost horizontal edge, a rounding error above
/// the line between two rows of the index.
#[test]
fn assign_on_an_almost_horizontal_edge() {
    for b in [3.217e-20, 3.217e-229, 1e-12] {
        let tri = layer(
            "t",
            vec![poly(&[(0.0, 0.0), (0.0, 1.875), (1.0, b), (0.0, 0.0)])],
        );
        let got = assign_xy(&[0.5, 0.25, 0.5], &[b / 2.0, b / 4.0, 0.0], &tri).unwrap();
        assert_eq!(got, vec![0, 0, u32::MAX], "b = {b}");
    }
}

#[test]
fn dissolve_keeps_parts_of_either_orientation() {
    let ccw = Polygon::new(
        ring(&[(1.0, 2.0), (1.0, 3.0), (0.0, 3.0), (0.0, 2.0), (1.0, 2.0)]),
        vec![],
    );
    let cw = Polygon::new(
        ring(&[(1.0, 0.0), (0.0, -1.0), (-1.0, 0.0), (0.0, 1.0), (1.0, 0.0)]),
        vec![],
    );
    let l = layer(
        "mp",
        vec![Geometry::MultiPolygon(MultiPolygon(vec![ccw, cw]))],
    );
    let out = dissolve(&l, &[vec![0]]).unwrap();
    assert_eq!(out.geometries()[0].as_ref().unwrap().unsigned_area(), 3.0);
}

#[test]
fn buffer_and_dissolve_refuse_a_bow_tie() {
    let bow = poly(&[
        (0.0, 0.0),
        (10.0, 10.0),
        (10.0, 0.0),
        (0.0, 10.0),
        (0.0, 0.0),
    ]);
    let square = poly(&[
        (20.0, 0.0),
        (21.0, 0.0),
        (21.0, 1.0),
        (20.0, 1.0),
        (20.0, 0.0),
    ]);
    let l = layer("zoner", vec![square, bow]);
    for e in [
        buffer(&l, 1.0, 8).unwrap_err(),
        dissolve(&l, &[vec![0, 1]]).unwrap_err(),
    ] {
        match &e {
            Error::InvalidGeometry { feature, .. } => assert_eq!(*feature, 1, "{e}"),
            other => panic!("expected an invalid geometry, got {other}"),
        }
        assert!(e.to_string().contains("zoner, feature 1"), "{e}");
    }
    // A group without the bow-tie is dissolved.
    assert!(dissolve(&l, &[vec![0]]).is_ok());
}

/// A spur drawn out and back over itself, not parallel to an axis: its
/// buffer is that of the one segment (geo's buffer of the line lost 38%).
#[test]
fn buffer_of_a_line_turning_back_on_itself() {
    let spur = Geometry::LineString(ring(&[(0.0, 0.0), (3.0, 4.0), (1.5, 2.0)]));
    let once = Geometry::LineString(ring(&[(0.0, 0.0), (3.0, 4.0)]));
    let out = buffer(&layer("l", vec![spur, once]), 10.0, 8).unwrap();
    let a: Vec<f64> = out
        .geometries()
        .iter()
        .map(|g| g.as_ref().unwrap().unsigned_area())
        .collect();
    let expected = 2.0 * 5.0 * 10.0 + 16.0 * 100.0 * (std::f64::consts::PI / 16.0).sin();
    for got in a {
        assert!(
            (got - expected).abs() < 1e-9 * expected,
            "{got} vs {expected}"
        );
    }
}

/// A polygon with a spike of no width (a triangle with a 26 m sliver out
/// along one edge and back, its tip's return vertex on that edge to
/// rounding): the buffer is the triangle's united with the spike's, as
/// if the spike were a line, but for where the arcs' vertices fall (the
/// tip is rounded by a fillet of almost half a turn, the line's end by a
/// cap of exactly half). geo's polygon buffer lost 3 % of it.
/// Shrunk, the spike takes away what is within the distance of it.
#[test]
fn buffer_of_a_polygon_with_a_spike_of_no_width() {
    let spiked = poly(&[
        (0.0, 0.0),
        (26.5, 1.0),
        (1.0, 1.0 / 26.5),
        (1.0, -4.0),
        (0.0, 0.0),
    ]);
    let plain = poly(&[(0.0, 0.0), (1.0, 1.0 / 26.5), (1.0, -4.0), (0.0, 0.0)]);
    let spike = Geometry::LineString(ring(&[(0.0, 0.0), (26.5, 1.0)]));
    let l = layer("p", vec![spiked, plain, spike]);
    let area = |d: f64| -> Vec<f64> {
        buffer(&l, d, 8)
            .unwrap()
            .geometries()
            .iter()
            .map(|g| g.as_ref().unwrap().unsigned_area())
            .collect()
    };
    let grown = area(1.0);
    let with_spike = buffer(&l, 1.0, 8).unwrap();
    let union = geo::BooleanOps::union(
        &as_mp(with_spike.geometries()[1].as_ref().unwrap()),
        &as_mp(with_spike.geometries()[2].as_ref().unwrap()),
    )
    .unsigned_area();
    assert!(
        (grown[0] - union).abs() < 1e-5 * union,
        "{} vs {union}",
        grown[0]
    );
    // Shrunk by 0.1 m: the spike runs out along the triangle's edge, so it
    // takes nothing more away than that edge does.
    let shrunk = area(-0.1);
    assert!(
        shrunk[1] > 0.5 && (shrunk[0] - shrunk[1]).abs() < 1e-7 * shrunk[1],
        "{shrunk:?}"
    );
}

/// The columnar path of `nearest` gives what a layer of the same points
/// gives: inside a polygon (distance 0), on its edge, beside lines and
/// points, at equal distance from two features (the lower row), and a
/// non-finite coordinate where the layer has a null geometry.
#[test]
fn nearest_points_equals_nearest_of_a_point_layer() {
    let right = layer(
        "right",
        vec![
            poly(&[
                (0.0, 0.0),
                (10.0, 0.0),
                (10.0, 10.0),
                (0.0, 10.0),
                (0.0, 0.0),
            ]),
            Geometry::LineString(ring(&[(20.0, 0.0), (20.0, 10.0)])),
            Geometry::Point(Point::new(30.0, 5.0)),
        ],
    );
    let xs = [5.0, 10.0, 15.0, 25.0, 29.0, -3.0, 31.0, f64::NAN];
    let ys = [5.0, 3.0, 5.0, 5.0, 5.0, -4.0, 100.0, 1.0];
    let geoms = xs
        .iter()
        .zip(&ys)
        .map(|(&x, &y)| x.is_finite().then(|| Geometry::Point(Point::new(x, y))))
        .collect();
    let points = Layer::new(
        "points",
        geoms,
        DataFrame::empty(),
        Crs::from_epsg(3011).unwrap(),
    )
    .unwrap();
    for limit in [None, Some(4.0)] {
        let by_layer = nearest(&points, &right, limit).unwrap();
        let by_xy = nearest_points(Points::Xy(&xs, &ys), &right, limit).unwrap();
        let of_layer = nearest_points(Points::Layer(&points), &right, limit).unwrap();
        let bits = |v: &[f64]| v.iter().map(|d| d.to_bits()).collect::<Vec<_>>();
        for other in [&by_xy, &of_layer] {
            assert_eq!(other.right, by_layer.right);
            assert_eq!(bits(&other.distance), bits(&by_layer.distance));
        }
    }
    let all = nearest_points(Points::Xy(&xs, &ys), &right, None).unwrap();
    assert_eq!(all.right, [0, 0, 0, 1, 2, 0, 1, NONE]);
    assert_eq!(all.distance[2], 5.0);
}

fn as_mp(g: &Geometry<f64>) -> MultiPolygon<f64> {
    match g {
        Geometry::MultiPolygon(m) => m.clone(),
        other => panic!("not a multipolygon: {other:?}"),
    }
}
