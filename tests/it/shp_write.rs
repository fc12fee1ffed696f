//! The shapefile writer: round trips through the reader (and the raw bytes),
//! ring orientation, DBF types and encodings, refusals, atomic sets and
//! reproducible output of every writer.

use std::path::Path;

use geo::orient::{Direction, Orient};
use geo_types::{
    line_string, point, polygon, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Polygon,
};
use lagesbild::io::{header_time, read, write, ReadOptions, WriteOptions};
use lagesbild::{Crs, Error, Layer};
use polars::prelude::*;

use crate::fixtures::{stockholm, tmp};

fn layer(geoms: Vec<Option<Geometry<f64>>>, attrs: DataFrame) -> Layer {
    Layer::new("test", geoms, attrs, Crs::from_epsg(3011).unwrap()).unwrap()
}

fn opts(encoding: &str) -> WriteOptions {
    WriteOptions {
        encoding: Some(encoding.into()),
        ..Default::default()
    }
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn set(dir: &Path, stem: &str) -> Vec<(String, Vec<u8>)> {
    ["shp", "shx", "dbf", "prj", "cpg"]
        .iter()
        .map(|e| {
            let p = dir.join(format!("{stem}.{e}"));
            (e.to_string(), std::fs::read(&p).unwrap())
        })
        .collect()
}

/// Every polygon with exterior counter-clockwise and holes clockwise, for
/// comparing shapes regardless of how a format orients rings.
fn normalised(g: &Geometry<f64>) -> Geometry<f64> {
    match g {
        Geometry::Polygon(p) => Geometry::Polygon(p.orient(Direction::Default)),
        Geometry::MultiPolygon(m) => Geometry::MultiPolygon(m.orient(Direction::Default)),
        g => g.clone(),
    }
}

fn signed_area(ring: &[(f64, f64)]) -> f64 {
    ring.windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum::<f64>()
        / 2.0
}

/// The rings of each polygon record of a `.shp`, read from the raw bytes.
fn raw_rings(shp: &[u8]) -> Vec<Vec<Vec<(f64, f64)>>> {
    let le_i32 = |b: &[u8], o: usize| i32::from_le_bytes(b[o..o + 4].try_into().unwrap());
    let le_f64 = |b: &[u8], o: usize| f64::from_le_bytes(b[o..o + 8].try_into().unwrap());
    let mut out = Vec::new();
    let mut pos = 100;
    while pos < shp.len() {
        let len = i32::from_be_bytes(shp[pos + 4..pos + 8].try_into().unwrap()) as usize * 2;
        let c = &shp[pos + 8..pos + 8 + len];
        assert_eq!(le_i32(c, 0), 5, "a polygon record");
        let (nparts, npoints) = (le_i32(c, 36) as usize, le_i32(c, 40) as usize);
        let starts: Vec<usize> = (0..nparts)
            .map(|i| le_i32(c, 44 + 4 * i) as usize)
            .collect();
        let pts: Vec<(f64, f64)> = (0..npoints)
            .map(|i| {
                let o = 44 + 4 * nparts + 16 * i;
                (le_f64(c, o), le_f64(c, o + 8))
            })
            .collect();
        let rings = (0..nparts)
            .map(|k| pts[starts[k]..starts.get(k + 1).copied().unwrap_or(npoints)].to_vec())
            .collect();
        out.push(rings);
        pos += 8 + len;
    }
    out
}

/// Field descriptors of a DBF: (name, type, width, decimals).
fn dbf_fields(dbf: &[u8]) -> Vec<(String, char, u8, u8)> {
    let header_len = u16::from_le_bytes([dbf[8], dbf[9]]) as usize;
    (0..(header_len - 33) / 32)
        .map(|i| {
            let d = &dbf[32 + 32 * i..64 + 32 * i];
            let name =
                String::from_utf8(d[..11].iter().take_while(|&&b| b != 0).copied().collect())
                    .unwrap();
            (name, d[11] as char, d[16], d[17])
        })
        .collect()
}

#[test]
fn real_stadsdelar_round_trip_in_windows_1252_with_outer_rings_clockwise() {
    let Some(dir) = stockholm() else { return };
    let src = read(&dir.join("stadsdelar.shp"), &ReadOptions::default()).unwrap();
    let out = tmp("shp-real");
    let path = out.join("stadsdelar.shp");
    write(&src, &path, &opts("windows-1252")).unwrap();
    assert_eq!(
        files(&out),
        [
            "stadsdelar.cpg",
            "stadsdelar.dbf",
            "stadsdelar.prj",
            "stadsdelar.shp",
            "stadsdelar.shx"
        ]
    );
    let back = read(&path, &ReadOptions::default()).unwrap();
    assert_eq!(back.len(), 117);
    assert_eq!(back.crs().epsg(), 3011);
    assert_eq!(
        back.column("name").unwrap().as_materialized_series(),
        src.column("name").unwrap().as_materialized_series()
    );
    for (i, (a, b)) in src.geometries().iter().zip(back.geometries()).enumerate() {
        let (a, b) = (a.as_ref().unwrap(), b.as_ref().unwrap());
        assert!(normalised(a) == normalised(b), "feature {i} differs");
    }
    let dbf = std::fs::read(out.join("stadsdelar.dbf")).unwrap();
    assert_eq!(dbf[29], 0x57, "language driver byte of Windows-1252");
    assert!(dbf.windows(7).any(|w| w == b"V\xC5RBERG"));
    assert_eq!(std::fs::read(out.join("stadsdelar.cpg")).unwrap(), b"1252");
    let prj = std::fs::read_to_string(out.join("stadsdelar.prj")).unwrap();
    assert!(prj.starts_with("PROJCS[\"SWEREF99_18_00\""), "{prj}");
    // The source file's own shapes, byte for byte: same order of records and points.
    let src_shp = std::fs::read(dir.join("stadsdelar.shp")).unwrap();
    let new_shp = std::fs::read(&path).unwrap();
    assert_eq!(raw_rings(&new_shp), raw_rings(&src_shp));
    for (i, rings) in raw_rings(&new_shp).iter().enumerate() {
        assert!(
            signed_area(&rings[0]) < 0.0,
            "feature {i}: outer ring not clockwise"
        );
    }
    // The header's box is the layer's bounds.
    let b = src.bounds().unwrap();
    let f = |o: usize| f64::from_le_bytes(new_shp[o..o + 8].try_into().unwrap());
    assert_eq!((f(36), f(44), f(52), f(60)), b);
}

#[test]
fn rings_are_reoriented_and_holes_stay_holes() {
    // Exterior counter-clockwise and hole clockwise: the GeoJSON orientation,
    // the reverse of the shapefile's.
    let with_hole = Polygon::new(
        line_string![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0), (x: 0.0, y: 0.0)],
        vec![
            line_string![(x: 2.0, y: 2.0), (x: 2.0, y: 4.0), (x: 4.0, y: 4.0), (x: 4.0, y: 2.0), (x: 2.0, y: 2.0)],
        ],
    );
    let island = polygon![(x: 20.0, y: 0.0), (x: 25.0, y: 0.0), (x: 25.0, y: 5.0)];
    let geoms = vec![
        Some(Geometry::Polygon(with_hole.clone())),
        Some(Geometry::MultiPolygon(MultiPolygon::new(vec![
            with_hole.clone(),
            island.clone(),
        ]))),
    ];
    let out = tmp("shp-rings");
    let path = out.join("rings.shp");
    write(
        &layer(geoms.clone(), DataFrame::empty()),
        &path,
        &WriteOptions::default(),
    )
    .unwrap();
    let rings = raw_rings(&std::fs::read(&path).unwrap());
    let signs: Vec<Vec<bool>> = rings
        .iter()
        .map(|r| r.iter().map(|ring| signed_area(ring) < 0.0).collect())
        .collect();
    assert_eq!(signs, vec![vec![true, false], vec![true, false, true]]);
    let back = read(&path, &ReadOptions::default()).unwrap();
    for (a, b) in geoms.iter().zip(back.geometries()) {
        assert!(normalised(a.as_ref().unwrap()) == normalised(b.as_ref().unwrap()));
    }
    let Some(Geometry::Polygon(p)) = &back.geometries()[0] else {
        panic!("a polygon")
    };
    assert_eq!(p.interiors().len(), 1);
    // A layer without attributes gets the one field GDAL would give it.
    let dbf = std::fs::read(out.join("rings.dbf")).unwrap();
    assert_eq!(dbf_fields(&dbf), vec![("FID".to_string(), 'N', 1, 0)]);
}

#[test]
fn attribute_types_and_nulls_read_back_as_written() {
    let n = 4;
    let attrs = df!(
        "namn" => [Some("Vårberg"), Some(""), None, Some("Östermalm – Norra Djurgården")],
        "antal" => [Some(12i64), Some(-3), None, Some(1_000_000_000_000)],
        "liten" => [Some(1i32), Some(2), Some(3), None],
        "andel" => [Some(0.25f64), Some(1.0 / 3.0), None, Some(-2.0)],
        "hel" => [Some(1.0f64), Some(2.0), Some(f64::NAN), None],
        "aktiv" => [Some(true), Some(false), None, Some(true)],
    )
    .unwrap();
    let days = Series::new("datum".into(), [Some(19_000i32), None, Some(0), Some(-365)])
        .cast(&DataType::Date)
        .unwrap();
    let mut attrs = attrs;
    attrs.with_column(days.into_column()).unwrap();
    let geoms = (0..n)
        .map(|i| {
            Some(Geometry::Point(
                point!(x: 150_000.0 + i as f64, y: 6_580_000.0),
            ))
        })
        .collect();
    let out = tmp("shp-types");
    let path = out.join("typer.shp");
    write(
        &layer(geoms, attrs.clone()),
        &path,
        &WriteOptions::default(),
    )
    .unwrap();
    let dbf = std::fs::read(out.join("typer.dbf")).unwrap();
    let fields = dbf_fields(&dbf);
    let utf8_len = "Östermalm – Norra Djurgården".len() as u8;
    assert_eq!(
        fields,
        vec![
            ("namn".into(), 'C', utf8_len, 0),
            ("antal".into(), 'N', 13, 0),
            ("liten".into(), 'N', 1, 0),
            ("andel".into(), 'N', 19, 16),
            ("hel".into(), 'N', 3, 1),
            ("aktiv".into(), 'L', 1, 0),
            ("datum".into(), 'D', 8, 0),
        ]
    );
    assert_eq!(dbf[29], 0x00, "no language driver for UTF-8");
    assert_eq!(std::fs::read(out.join("typer.cpg")).unwrap(), b"UTF-8");
    let back = read(&path, &ReadOptions::default()).unwrap();
    let a = back.attributes();
    let text: Vec<Option<&str>> = a.column("namn").unwrap().str().unwrap().iter().collect();
    // Empty text is blank in a DBF and reads back as null, as in GDAL.
    assert_eq!(
        text,
        [
            Some("Vårberg"),
            None,
            None,
            Some("Östermalm – Norra Djurgården")
        ]
    );
    let ints: Vec<Option<i64>> = a.column("antal").unwrap().i64().unwrap().iter().collect();
    assert_eq!(ints, [Some(12), Some(-3), None, Some(1_000_000_000_000)]);
    let small: Vec<Option<i64>> = a.column("liten").unwrap().i64().unwrap().iter().collect();
    assert_eq!(small, [Some(1), Some(2), Some(3), None]);
    let floats: Vec<Option<f64>> = a.column("andel").unwrap().f64().unwrap().iter().collect();
    assert_eq!(floats, [Some(0.25), Some(1.0 / 3.0), None, Some(-2.0)]);
    let whole: Vec<Option<f64>> = a.column("hel").unwrap().f64().unwrap().iter().collect();
    assert_eq!(
        whole,
        [Some(1.0), Some(2.0), None, None],
        "NaN is written as null"
    );
    let bools: Vec<Option<bool>> = a.column("aktiv").unwrap().bool().unwrap().iter().collect();
    assert_eq!(bools, [Some(true), Some(false), None, Some(true)]);
    assert_eq!(
        a.column("datum").unwrap().as_materialized_series(),
        attrs.column("datum").unwrap().as_materialized_series()
    );
    // Values as the DBF holds them: numbers right-aligned, text left-aligned.
    let record_len = u16::from_le_bytes([dbf[10], dbf[11]]) as usize;
    let first = u16::from_le_bytes([dbf[8], dbf[9]]) as usize;
    let rec0 = &dbf[first..first + record_len];
    let text0 = String::from_utf8_lossy(rec0);
    assert!(text0.starts_with(" Vårberg "), "{text0}");
    assert!(text0.contains("           12"), "{text0}");
    assert!(text0.contains("0.2500000000000000"), "{text0}");
    assert!(text0.ends_with("T20220108"), "{text0}");
    assert_eq!(*dbf.last().unwrap(), 0x1A);
}

#[test]
fn lines_points_and_null_shapes() {
    let out = tmp("shp-kinds");
    let line = line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0), (x: 2.0, y: 0.5)];
    let multi = MultiLineString::new(vec![
        line.clone(),
        line_string![(x: 5.0, y: 5.0), (x: 6.0, y: 6.0)],
    ]);
    let lines = vec![
        Some(Geometry::LineString(line.clone())),
        None,
        Some(Geometry::MultiLineString(multi.clone())),
        Some(Geometry::LineString(LineString::new(vec![]))),
    ];
    let p = out.join("lines.shp");
    write(
        &layer(lines, DataFrame::empty()),
        &p,
        &WriteOptions::default(),
    )
    .unwrap();
    let back = read(&p, &ReadOptions::default()).unwrap();
    assert_eq!(
        back.geometries(),
        &[
            Some(Geometry::LineString(line)),
            None,
            Some(Geometry::MultiLineString(multi)),
            None
        ]
    );
    let shp = std::fs::read(&p).unwrap();
    assert_eq!(
        i32::from_le_bytes(shp[32..36].try_into().unwrap()),
        3,
        "PolyLine"
    );

    // Points with multipoints make a MultiPoint file.
    let pts = vec![
        Some(Geometry::Point(point!(x: 1.0, y: 2.0))),
        Some(Geometry::MultiPoint(MultiPoint::from(vec![
            (3.0, 4.0),
            (5.0, 6.0),
        ]))),
    ];
    let p = out.join("points.shp");
    write(
        &layer(pts, DataFrame::empty()),
        &p,
        &WriteOptions::default(),
    )
    .unwrap();
    let back = read(&p, &ReadOptions::default()).unwrap();
    assert_eq!(
        back.geometries()[1],
        Some(Geometry::MultiPoint(MultiPoint::from(vec![
            (3.0, 4.0),
            (5.0, 6.0)
        ])))
    );
    assert_eq!(
        back.geometries()[0],
        Some(Geometry::MultiPoint(MultiPoint::from(vec![(1.0, 2.0)])))
    );

    // An empty layer is a valid, empty shapefile.
    let p = out.join("empty.shp");
    let empty = layer(vec![], df!("namn" => Vec::<String>::new()).unwrap());
    write(&empty, &p, &WriteOptions::default()).unwrap();
    let back = read(
        &p,
        &ReadOptions {
            allow_empty: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(back.len(), 0);
    assert_eq!(std::fs::metadata(&p).unwrap().len(), 100);
}

fn write_err(l: &Layer, path: &Path, o: &WriteOptions) -> Error {
    let e = write(l, path, o).unwrap_err();
    assert_eq!(e.path(), Some(path), "{e}");
    e
}

#[test]
fn what_a_shapefile_cannot_hold_is_refused_naming_feature_and_column() {
    let out = tmp("shp-refused");
    let p = out.join("x.shp");
    let pt = || Some(Geometry::Point(point!(x: 1.0, y: 2.0)));
    let sq = Some(Geometry::Polygon(
        polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)],
    ));

    let e = write_err(
        &layer(vec![pt(), None, sq.clone()], DataFrame::empty()),
        &p,
        &WriteOptions::default(),
    );
    assert_eq!(e.feature_index(), Some(2), "{e}");
    assert!(
        e.to_string()
            .contains("is a Polygon but feature 0 is a Point"),
        "{e}"
    );

    let gc = Geometry::GeometryCollection(vec![pt().unwrap()].into());
    let e = write_err(
        &layer(vec![pt(), Some(gc)], DataFrame::empty()),
        &p,
        &WriteOptions::default(),
    );
    assert_eq!(e.feature_index(), Some(1), "{e}");
    assert!(e.to_string().contains("GeometryCollection"), "{e}");

    let nan = Some(Geometry::Point(point!(x: f64::NAN, y: 2.0)));
    let e = write_err(
        &layer(vec![pt(), nan], DataFrame::empty()),
        &p,
        &WriteOptions::default(),
    );
    assert_eq!(e.feature_index(), Some(1), "{e}");

    let two = |attrs: DataFrame| layer(vec![pt(), pt()], attrs);
    for (attrs, needle) in [
        (
            df!("stadsdelsnamn" => ["a", "b"]).unwrap(),
            "\"stadsdelsnamn\" has 13 characters",
        ),
        (
            df!("område" => ["a", "b"]).unwrap(),
            "\"område\" has characters other than",
        ),
        (
            df!("Namn" => ["a", "b"], "NAMN" => ["c", "d"]).unwrap(),
            "\"Namn\" and \"NAMN\"",
        ),
    ] {
        let e = write_err(&two(attrs), &p, &WriteOptions::default());
        assert!(e.to_string().contains(needle), "{e}");
    }

    let e = write_err(
        &two(df!("namn" => ["Vårby", "Łódź"]).unwrap()),
        &p,
        &opts("windows-1252"),
    );
    assert_eq!(e.feature_index(), Some(1), "{e}");
    assert!(e.to_string().contains("column \"namn\""), "{e}");
    assert!(e.to_string().contains("'Ł' (U+0141)"), "{e}");
    // UTF-8 holds it.
    write(
        &two(df!("namn" => ["Vårby", "Łódź"]).unwrap()),
        &p,
        &WriteOptions::default(),
    )
    .unwrap();
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::create_dir_all(&out).unwrap();

    let long = "å".repeat(128);
    let e = write_err(
        &two(df!("namn" => ["kort", long.as_str()]).unwrap()),
        &p,
        &WriteOptions::default(),
    );
    assert_eq!(e.feature_index(), Some(1), "{e}");
    assert!(e.to_string().contains("256 bytes"), "{e}");
    // 127 two-byte letters are 254 bytes: the widest a field can be.
    let ok = "å".repeat(127);
    write(
        &two(df!("namn" => ["kort", ok.as_str()]).unwrap()),
        &p,
        &WriteOptions::default(),
    )
    .unwrap();
    let fields = dbf_fields(&std::fs::read(out.join("x.dbf")).unwrap());
    assert_eq!(fields[0].2, 254);
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::create_dir_all(&out).unwrap();

    let stamps = Series::new("tid".into(), [0i64, 1])
        .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
        .unwrap();
    let e = write_err(
        &two(DataFrame::new(2, vec![stamps.into_column()]).unwrap()),
        &p,
        &WriteOptions::default(),
    );
    assert!(e.to_string().contains("column \"tid\" is datetime"), "{e}");

    let e = write(&two(DataFrame::empty()), &p, &opts("latin-9")).unwrap_err();
    assert!(matches!(e.inner(), Error::InvalidArgument(_)), "{e}");
    let e = write(
        &two(DataFrame::empty()),
        &out.join("x.gpkg"),
        &opts("windows-1252"),
    )
    .unwrap_err();
    assert!(
        matches!(e.inner(), Error::InvalidArgument(_)) && e.to_string().contains("shapefiles only"),
        "{e}"
    );
    // Nothing of any refused write is left behind.
    assert!(files(&out).is_empty(), "{:?}", files(&out));
}

#[test]
fn a_set_is_replaced_whole_or_not_at_all() {
    let out = tmp("shp-atomic");
    let p = out.join("s.shp");
    let pt = |x: f64| Some(Geometry::Point(point!(x: x, y: 6_580_000.0)));
    let first = layer(
        vec![pt(1.0), pt(2.0)],
        df!("namn" => ["VÅRBERG", "ÄLVSJÖ"]).unwrap(),
    );
    write(&first, &p, &opts("windows-1252")).unwrap();
    let before = set(&out, "s");
    // A spatial index of other software would describe the old shapes.
    std::fs::write(out.join("s.qix"), b"old index").unwrap();

    // A refused write (a name Windows-1252 cannot hold) leaves the old set as it was.
    let bad = layer(
        vec![pt(3.0), pt(4.0)],
        df!("namn" => ["Ok", "Ωmega"]).unwrap(),
    );
    assert!(write(&bad, &p, &opts("windows-1252")).is_err());
    assert_eq!(set(&out, "s"), before);
    assert!(out.join("s.qix").is_file());

    // A good write replaces all five files and drops the stale index.
    let second = layer(vec![pt(3.0)], df!("namn" => ["Ωmega"]).unwrap());
    write(&second, &p, &WriteOptions::default()).unwrap();
    assert_eq!(
        files(&out),
        ["s.cpg", "s.dbf", "s.prj", "s.shp", "s.shx"],
        "no temporary, backup or stale files remain"
    );
    let back = read(&p, &ReadOptions::default()).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(
        back.column("namn").unwrap().str().unwrap().get(0),
        Some("Ωmega")
    );

    // Writing into a folder that does not exist fails and leaves nothing.
    let e = write(
        &second,
        &out.join("nowhere").join("s.shp"),
        &WriteOptions::default(),
    )
    .unwrap_err();
    assert!(e.path().is_some(), "{e}");
}

fn bytes_of(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn every_writer_gives_the_same_bytes_for_the_same_layer() {
    let attrs = df!(
        "namn" => ["Vårberg", "Älvsjö", "Östermalm"],
        "niva_m" => [1.5, 2.1, 2.7],
        "antal" => [1i64, 20, 300],
    )
    .unwrap();
    let sq = |x: f64| {
        Some(Geometry::Polygon(polygon![
            (x: x, y: 6_580_000.0), (x: x + 100.0, y: 6_580_000.0),
            (x: x + 100.0, y: 6_580_100.0), (x: x, y: 6_580_100.0)
        ]))
    };
    let l = layer(vec![sq(150_000.0), sq(151_000.0), sq(152_000.0)], attrs);
    let (a, b) = (tmp("repro-a"), tmp("repro-b"));
    for dir in [&a, &b] {
        for name in ["x.shp", "x.gpkg", "x.parquet", "x.geojson"] {
            write(&l, &dir.join(name), &opts_for(name)).unwrap();
        }
    }
    let names: Vec<String> = files(&a);
    assert_eq!(names, files(&b));
    assert_eq!(names.len(), 8);
    for n in &names {
        assert_eq!(
            bytes_of(&a.join(n)),
            bytes_of(&b.join(n)),
            "{n} differs between two writes"
        );
    }
    // The dates in headers are the fixed header time, not today.
    let t = header_time().unwrap();
    let dbf = bytes_of(&a.join("x.dbf"));
    let date = t.date();
    assert_eq!(
        (dbf[1] as i32 + 1900, dbf[2] as u32, dbf[3] as u32),
        (
            chrono::Datelike::year(&date),
            chrono::Datelike::month(&date),
            chrono::Datelike::day(&date)
        )
    );
    let gpkg = bytes_of(&a.join("x.gpkg"));
    let stamp = t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    assert!(
        gpkg.windows(stamp.len()).any(|w| w == stamp.as_bytes()),
        "last_change {stamp} is in the GeoPackage"
    );
}

fn opts_for(name: &str) -> WriteOptions {
    if name.ends_with(".shp") {
        opts("windows-1252")
    } else {
        WriteOptions::default()
    }
}
