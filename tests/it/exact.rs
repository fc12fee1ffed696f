//! Cases where the engine once gave a silently wrong answer, in the classes
//! outside test suites (GEOS/JTS) check: empty parts, GeometryCollections,
//! a line in a line crossing itself at a point no float holds, and the
//! full OGC validity check of polygons small and large.

use geo_types::{wkt, Coord, Geometry, LineString, MultiLineString, MultiPolygon, Polygon};
use lagesbild::engine::{
    assign_xy, buffer, dissolve, length_within, nearest, overlay, overlay_area, sjoin,
    within_distance, Points, Predicate, NONE,
};
use lagesbild::{Crs, Error, Layer};
use polars::prelude::DataFrame;

fn layer(name: &str, geoms: Vec<Geometry<f64>>) -> Layer {
    Layer::new(
        name,
        geoms.into_iter().map(Some).collect(),
        DataFrame::empty(),
        Crs::from_epsg(3011).unwrap(),
    )
    .unwrap()
}

fn square(x: f64, y: f64, s: f64) -> Polygon<f64> {
    Polygon::new(
        LineString::from(vec![(x, y), (x + s, y), (x + s, y + s), (x, y + s), (x, y)]),
        vec![],
    )
}

fn circle(cx: f64, cy: f64, r: f64, n: usize) -> LineString<f64> {
    let mut pts: Vec<Coord<f64>> = (0..n)
        .map(|k| {
            let t = std::f64::consts::TAU * k as f64 / n as f64;
            Coord {
                x: cx + r * t.cos(),
                y: cy + r * t.sin(),
            }
        })
        .collect();
    pts.push(pts[0]);
    LineString(pts)
}

fn invalid_feature(e: Error) -> (usize, String) {
    match e {
        Error::InvalidGeometry {
            feature, reason, ..
        } => (feature, reason),
        e => panic!("expected an invalid geometry, got {e}"),
    }
}

// ---- empty parts ------------------------------------------------------

fn with_empty_line() -> Geometry<f64> {
    Geometry::MultiLineString(MultiLineString(vec![
        LineString::from(vec![(10.0, 0.0), (10.0, 10.0)]),
        LineString(vec![]),
    ]))
}

fn with_empty_polygon() -> Geometry<f64> {
    Geometry::MultiPolygon(MultiPolygon(vec![
        square(10.0, 0.0, 10.0),
        Polygon::new(LineString(vec![]), vec![]),
    ]))
}

#[test]
fn empty_parts_are_left_out_by_every_operation() {
    let line = layer("line", vec![wkt!(LINESTRING(0.0 0.0, 0.0 10.0)).into()]);
    for g in [with_empty_line(), with_empty_polygon()] {
        let right = layer("right", vec![g.clone()]);
        assert!(right.is_valid()[0]);
        assert_eq!(right.bounds().unwrap().0, 10.0);
        let n = nearest(&line, &right, None).unwrap();
        assert_eq!((n.right[0], n.distance[0]), (0, 10.0), "{g:?}");
        assert!(sjoin(&line, &right, Predicate::Intersects)
            .unwrap()
            .is_empty());
    }
    let lines = layer("lines", vec![with_empty_line()]);
    let near = within_distance(Points::Xy(&[0.0, 9.0], &[5.0, 5.0]), &lines, 5.0).unwrap();
    assert_eq!(near.line, vec![NONE, 0]);
    assert_eq!(near.distance[1], 1.0);
    let areas = layer("areas", vec![with_empty_polygon()]);
    assert_eq!(
        assign_xy(&[5.0, 15.0], &[5.0, 5.0], &areas).unwrap(),
        vec![NONE, 0]
    );
    let zones = layer("zones", vec![Geometry::Polygon(square(0.0, 0.0, 15.0))]);
    assert_eq!(overlay_area(&zones, &areas).unwrap(), vec![(0, 0, 50.0)]);
    assert_eq!(overlay(&zones, &areas).unwrap().zone, vec![0]);
    let crossing = layer("crossing", vec![wkt!(LINESTRING(0.0 5.0, 30.0 5.0)).into()]);
    assert_eq!(
        length_within(&crossing, &areas).unwrap(),
        vec![(0, 0, 10.0)]
    );
    let grown = buffer(&areas, 1.0, 8).unwrap();
    assert!(grown.area().unwrap()[0].unwrap() > 100.0);
    let merged = dissolve(&areas, &[vec![0]]).unwrap();
    assert_eq!(merged.area().unwrap(), vec![Some(100.0)]);
}

#[test]
fn an_all_empty_geometry_is_like_an_empty_one() {
    let empty = layer(
        "empty",
        vec![Geometry::MultiLineString(MultiLineString(vec![
            LineString(vec![]),
        ]))],
    );
    assert_eq!(empty.bounds(), None);
    assert_eq!(empty.is_valid(), vec![true]);
    let point = layer("p", vec![wkt!(POINT(0.0 0.0)).into()]);
    let n = nearest(&point, &empty, None).unwrap();
    assert_eq!(n.right, vec![NONE]);
    assert!(n.distance[0].is_nan());
    let n = nearest(&empty, &point, None).unwrap();
    assert_eq!(n.right, vec![NONE]);
    assert!(sjoin(&point, &empty, Predicate::Intersects)
        .unwrap()
        .is_empty());
}

// ---- GeometryCollections ----------------------------------------------

#[test]
fn geometry_collections_are_refused_by_every_operation() {
    let gc = Geometry::GeometryCollection(wkt!(GEOMETRYCOLLECTION(
        POLYGON((0.0 0.0, 1.0 0.0, 1.0 1.0, 0.0 1.0, 0.0 0.0)),
        POLYGON((1.0 0.0, 2.0 0.0, 2.0 1.0, 1.0 1.0, 1.0 0.0))
    )));
    let coll = layer("coll", vec![Geometry::Polygon(square(5.0, 5.0, 1.0)), gc]);
    let point = layer("p", vec![wkt!(POINT(1.0 0.5)).into()]);
    let line = layer("l", vec![wkt!(LINESTRING(0.0 0.0, 3.0 0.0)).into()]);
    let calls: Vec<(&str, Error)> = vec![
        (
            "sjoin",
            sjoin(&point, &coll, Predicate::Intersects).unwrap_err(),
        ),
        (
            "sjoin",
            sjoin(&coll, &point, Predicate::Within).unwrap_err(),
        ),
        ("assign", assign_xy(&[1.0], &[0.5], &coll).unwrap_err()),
        ("overlay_area", overlay_area(&coll, &coll).unwrap_err()),
        ("overlay", overlay(&coll, &coll).unwrap_err()),
        ("length_within", length_within(&line, &coll).unwrap_err()),
        ("length_within", length_within(&coll, &coll).unwrap_err()),
        ("nearest", nearest(&point, &coll, None).err().unwrap()),
        ("nearest", nearest(&coll, &point, None).err().unwrap()),
        (
            "within_distance",
            within_distance(Points::Xy(&[0.0], &[0.0]), &coll, 1.0)
                .err()
                .unwrap(),
        ),
        ("buffer", buffer(&coll, 1.0, 8).unwrap_err()),
        ("dissolve", dissolve(&coll, &[vec![0, 1]]).unwrap_err()),
    ];
    for (what, e) in calls {
        let message = e.to_string();
        let (feature, reason) = invalid_feature(e);
        assert_eq!(feature, 1, "{what}: {message}");
        assert!(
            reason.contains("GeometryCollection") && message.starts_with("coll, feature 1"),
            "{what}: {message}"
        );
    }
    // Validity of a collection is that of each member, as GEOS says.
    assert_eq!(coll.is_valid(), vec![true, true]);
}

// ---- a line in a line -----------------------------------------------------

#[test]
fn line_in_line_does_not_depend_on_computed_crossings() {
    let zigzag = layer(
        "zigzag",
        vec![wkt!(LINESTRING(1.0 0.0, 0.0 2.0, 0.0 0.0, 2.0 2.0)).into()],
    );
    let diagonal = layer("diagonal", vec![wkt!(LINESTRING(0.0 0.0, 2.0 2.0)).into()]);
    assert_eq!(
        sjoin(&zigzag, &diagonal, Predicate::Contains).unwrap(),
        vec![(0, 0)]
    );
    assert_eq!(
        sjoin(&diagonal, &zigzag, Predicate::Within).unwrap(),
        vec![(0, 0)]
    );
    assert!(sjoin(&diagonal, &zigzag, Predicate::Contains)
        .unwrap()
        .is_empty());
    let multi = layer(
        "multi",
        vec![wkt!(MULTILINESTRING((0.0 0.0, 1.0 1.0), (0.5 0.5, 1.0 0.1, -1.0 0.1))).into()],
    );
    let parts = layer(
        "parts",
        vec![
            wkt!(LINESTRING(0.0 0.0, 1.0 1.0)).into(),
            wkt!(LINESTRING(1.0 1.0, 0.0 0.0)).into(),
            wkt!(LINESTRING(0.25 0.25, 0.5 0.5, 1.0 0.1)).into(),
            wkt!(LINESTRING(0.0 0.0, 1.1 1.1)).into(),
            wkt!(MULTILINESTRING((0.0 0.0, 1.0 1.0), (0.5 0.5, 1.0 0.1, -1.0 0.1))).into(),
        ],
    );
    assert_eq!(
        sjoin(&multi, &parts, Predicate::Contains).unwrap(),
        vec![(0, 0), (0, 1), (0, 2), (0, 4)]
    );
    assert_eq!(
        sjoin(&parts, &multi, Predicate::Within).unwrap(),
        vec![(0, 0), (1, 0), (2, 0), (4, 0)]
    );
}

// ---- validity ---------------------------------------------------------

fn problem_of(g: Geometry<f64>) -> Option<String> {
    let l = layer("v", vec![g]);
    l.validity_report().into_iter().next().map(|p| p.reason)
}

#[test]
fn validity_is_the_full_ogc_check() {
    let cases: Vec<(Geometry<f64>, Option<&str>)> = vec![
        (
            wkt!(POLYGON((0.0 60.0, 0.0 0.0, 60.0 0.0, 60.0 60.0, 0.0 60.0), (0.0 40.0, 20.0 20.0, 60.0 20.0, 0.0 40.0))).into(),
            Some("interior is disconnected"),
        ),
        (
            wkt!(POLYGON((0.0 0.0, 10.0 0.0, 20.0 0.0, 0.0 0.0, 0.0 0.0))).into(),
            Some("self-intersection"),
        ),
        (
            // Two holes touching each other and the shell: a cycle.
            wkt!(POLYGON((0.0 0.0, 10.0 0.0, 10.0 10.0, 0.0 10.0, 0.0 0.0), (0.0 5.0, 3.0 3.0, 5.0 5.0, 3.0 7.0, 0.0 5.0), (5.0 5.0, 8.0 3.0, 10.0 5.0, 8.0 7.0, 5.0 5.0))).into(),
            Some("interior is disconnected"),
        ),
        (
            // The same holes, one not touching the shell: valid.
            wkt!(POLYGON((0.0 0.0, 10.0 0.0, 10.0 10.0, 0.0 10.0, 0.0 0.0), (0.0 5.0, 3.0 3.0, 5.0 5.0, 3.0 7.0, 0.0 5.0), (5.0 5.0, 8.0 3.0, 9.0 5.0, 8.0 7.0, 5.0 5.0))).into(),
            None,
        ),
        (
            // A ring touching itself.
            wkt!(POLYGON((0.0 0.0, 4.0 0.0, 4.0 4.0, 2.0 0.0, 0.0 4.0, 0.0 0.0))).into(),
            Some("self-intersection"),
        ),
        (
            wkt!(POLYGON((0.0 0.0, 10.0 0.0, 10.0 10.0, 5.0 10.0, 5.0 15.0, 5.0 10.0, 0.0 10.0, 0.0 0.0))).into(),
            Some("self-intersection"),
        ),
        (
            wkt!(MULTIPOLYGON(((0.0 0.0, 2.0 0.0, 2.0 2.0, 0.0 2.0, 0.0 0.0)), ((2.0 0.0, 3.0 1.0, 2.0 2.0, 4.0 1.0, 2.0 0.0)))).into(),
            None,
        ),
        (
            wkt!(MULTIPOLYGON(((0.0 0.0, 10.0 0.0, 10.0 10.0, 0.0 10.0, 0.0 0.0)), ((2.0 2.0, 3.0 2.0, 3.0 3.0, 2.0 3.0, 2.0 2.0)))).into(),
            Some("nested shells"),
        ),
        (
            wkt!(POLYGON((0.0 0.0, 1.0 0.0, 1.0 0.0, 0.0 0.0))).into(),
            Some("at least 3 distinct points"),
        ),
    ];
    for (g, want) in cases {
        let got = problem_of(g.clone());
        match want {
            None => assert_eq!(got, None, "{g:?}"),
            Some(w) => assert!(
                got.as_ref().is_some_and(|r| r.contains(w)),
                "{g:?}: {got:?}, wanted {w}"
            ),
        }
    }
    // The engine refuses what the check finds.
    let cut: Geometry<f64> = wkt!(POLYGON((0.0 60.0, 0.0 0.0, 60.0 0.0, 60.0 60.0, 0.0 60.0), (0.0 40.0, 20.0 20.0, 60.0 20.0, 0.0 40.0))).into();
    let areas = layer(
        "areas",
        vec![Geometry::Polygon(square(100.0, 0.0, 1.0)), cut],
    );
    let (feature, reason) = invalid_feature(assign_xy(&[1.0], &[1.0], &areas).unwrap_err());
    assert_eq!(feature, 1);
    assert!(reason.contains("interior is disconnected"), "{reason}");
}

#[test]
fn large_polygons_get_the_full_check() {
    let n = 30_000;
    let big = || circle(0.0, 0.0, 100.0, n);
    let hole_outside = Polygon::new(big(), vec![square(200.0, 200.0, 20.0).exterior().clone()]);
    let nested_part = MultiPolygon(vec![
        Polygon::new(big(), vec![]),
        square(-10.0, -10.0, 20.0),
    ]);
    let nested_holes = Polygon::new(
        big(),
        vec![circle(0.0, 0.0, 50.0, n), circle(0.0, 0.0, 10.0, 100)],
    );
    // A hole touching the shell at two vertices.
    let k = n / 2;
    let (a, b) = (big().0[0], big().0[k]);
    let cut = Polygon::new(
        big(),
        vec![LineString::from(vec![a, Coord { x: 0.0, y: 5.0 }, b, a])],
    );
    for (g, want) in [
        (Geometry::Polygon(hole_outside), "not contained"),
        (Geometry::MultiPolygon(nested_part), "nested shells"),
        (Geometry::Polygon(nested_holes), "nested holes"),
        (Geometry::Polygon(cut), "interior is disconnected"),
    ] {
        let areas = layer(
            "areas",
            vec![Geometry::Polygon(square(1000.0, 0.0, 1.0)), g],
        );
        let (feature, reason) = invalid_feature(assign_xy(&[0.0], &[0.0], &areas).unwrap_err());
        assert_eq!(feature, 1);
        assert!(reason.contains(want), "{reason}, wanted {want}");
    }
    let fine = layer(
        "fine",
        vec![Geometry::Polygon(Polygon::new(
            big(),
            vec![circle(0.0, 0.0, 50.0, n)],
        ))],
    );
    assert_eq!(
        assign_xy(&[0.0, 75.0], &[0.0, 0.0], &fine).unwrap(),
        vec![NONE, 0]
    );
}

#[test]
fn an_empty_hole_is_left_out() {
    let holed = Polygon::new(
        square(0.0, 0.0, 10.0).exterior().clone(),
        vec![LineString(vec![]), square(2.0, 2.0, 1.0).exterior().clone()],
    );
    let l = layer("holed", vec![Geometry::Polygon(holed)]);
    assert_eq!(l.is_valid(), vec![true]);
    assert_eq!(l.area().unwrap(), vec![Some(99.0)]);
    match &l.geometries()[0] {
        Some(Geometry::Polygon(p)) => assert_eq!(p.interiors().len(), 1),
        g => panic!("{g:?}"),
    }
}

#[test]
fn empty_geometries_add_nothing_to_a_dissolve() {
    let l = layer(
        "mixed",
        vec![
            Geometry::MultiLineString(MultiLineString(vec![])),
            Geometry::Polygon(square(0.0, 0.0, 1.0)),
            Geometry::MultiPolygon(MultiPolygon(vec![])),
            Geometry::LineString(LineString(vec![])),
        ],
    );
    let out = dissolve(&l, &[vec![0, 1, 2], vec![3]]).unwrap();
    assert_eq!(out.area().unwrap(), vec![Some(1.0), None]);
}
