"""The checks of a city's data, each with its message: the areas, key and year
columns, stadsdelar a table or the organisation names, organisation periods,
units, crosswalk weights, flood levels, and overlaps and gaps between the
areas (against shapely/GEOS on the real boundaries).
"""

from __future__ import annotations

from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest
import shapely
from city_helpers import (
    SMALL_TOML,
    SQUARES,
    edit,
    load_error,
    one_problem,
    organisation_rows,
    square,
    write_areas,
)


def test_areas_must_be_polygons_with_unique_names(small: Path) -> None:
    geoms = [square(*xy) for xy in SQUARES.values()]
    geoms[2] = shapely.Point(500, 1500)
    write_areas(small.parent / "areas.gpkg", geoms, ["ALBY", "BJÖRKBY", "ALBY", "DALEN"])
    err = load_error(small)
    messages = [p.message for p in err.problems if Path(p.path).name == "areas.gpkg"]
    assert messages == [
        "stadsdelar named more than once in column 'namn': 'ALBY'",
        "the areas must be polygons, not Point",
    ]


def test_invalid_area_polygon_is_named(small: Path) -> None:
    geoms = [square(*xy) for xy in SQUARES.values()]
    geoms[3] = shapely.Polygon([(1000, 1000), (2000, 2000), (2000, 1000), (1000, 2000)])  # a bow-tie
    write_areas(small.parent / "areas.gpkg", geoms, list(SQUARES))
    p = one_problem(load_error(small))
    assert Path(p.path).name == "areas.gpkg"
    assert p.message.startswith("feature 3 (DALEN): invalid polygon: ")
    assert "(1500.00, 1500.00)" in p.message


def test_missing_key_column_of_the_areas(small: Path) -> None:
    edit(small, 'key = "namn"', 'key = "name"')
    p = one_problem(load_error(small))
    assert Path(p.path).name == "areas.gpkg"
    assert p.key == "areas.key"
    assert "no column 'name'" in p.message and "namn" in p.message  # lists the columns there are


def test_missing_key_column_of_a_table(small: Path) -> None:
    edit(small, 'file = "enkat.csv"\nkey = "stadsdel"', 'file = "enkat.csv"\nkey = "omrade"')
    p = one_problem(load_error(small))
    assert Path(p.path).name == "enkat.csv"
    assert p.key == "tables.enkat.key"
    assert "no column 'omrade'" in p.message and "andel_oroliga" in p.message


def test_missing_year_column(small: Path) -> None:
    edit(
        small,
        'file = "befolkning.csv"\nkey = "stadsdel"\nyear = "ar"',
        'file = "befolkning.csv"\nkey = "stadsdel"\nyear = "år"',
    )
    p = one_problem(load_error(small))
    assert Path(p.path).name == "befolkning.csv" and "no column 'år'" in p.message


def test_unknown_stadsdel_in_a_survey(small: Path) -> None:
    df = pl.read_csv(small.parent / "enkat.csv")
    df.with_columns(stadsdel=pl.Series(["ALBY", "BJORKBY", "ÖDEMARK"])).write_csv(small.parent / "enkat.csv")
    p = one_problem(load_error(small))
    assert Path(p.path).name == "enkat.csv"
    assert "not in the boundaries" in p.message
    assert "'BJORKBY' (did you mean 'BJÖRKBY'?)" in p.message
    assert "'ÖDEMARK'" in p.message


def test_unknown_stadsdel_in_the_population(small: Path) -> None:
    df = pl.read_csv(small.parent / "befolkning.csv")
    df.with_columns(
        stadsdel=pl.when(pl.col("stadsdel") == "DALEN").then(pl.lit("DALA")).otherwise("stadsdel")
    ).write_csv(small.parent / "befolkning.csv")
    p = one_problem(load_error(small))
    assert Path(p.path).name == "befolkning.csv" and "'DALA'" in p.message


def test_unknown_and_missing_stadsdel_in_the_organisation(small: Path) -> None:
    org = organisation_rows()
    org = org.with_columns(stadsdel=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("ALBI")).otherwise("stadsdel"))
    org.write_csv(small.parent / "organisation.csv")
    err = load_error(small)
    messages = [p.message for p in err.problems]
    assert all(Path(p.path).name == "organisation.csv" for p in err.problems)
    assert any("2020-07-01 – 2023-06-30: stadsdelar that are not in the boundaries: 'ALBI'" in m for m in messages)
    assert any(
        "2020-07-01 – 2023-06-30: stadsdelar of the boundaries with no stadsdelsområde: 'ALBY'" in m for m in messages
    )


def test_organisation_periods_must_not_overlap_or_leave_gaps(small: Path) -> None:
    org = organisation_rows()
    overlapping = org.with_columns(
        giltig_fran=pl.when(pl.col("giltig_fran") == "2023-07-01").then(pl.lit("2023-06-01")).otherwise("giltig_fran")
    )
    overlapping.write_csv(small.parent / "organisation.csv")
    assert "overlap" in one_problem(load_error(small)).message
    gap = org.with_columns(
        giltig_fran=pl.when(pl.col("giltig_fran") == "2023-07-01").then(pl.lit("2023-08-01")).otherwise("giltig_fran")
    )
    gap.write_csv(small.parent / "organisation.csv")
    assert "no organisation between 2023-06-30 and 2023-08-01" in one_problem(load_error(small)).message


def test_organisation_dates_must_be_dates(small: Path) -> None:
    organisation_rows().with_columns(giltig_fran=pl.lit("1 juli 2020")).write_csv(small.parent / "organisation.csv")
    assert "giltig_fran must be a date" in one_problem(load_error(small)).message


def test_flood_levels_are_checked_against_the_layer(small: Path) -> None:
    zones = pl.DataFrame(
        {"niva_m": [1.5, 2.7], "geometry": [shapely.to_wkb(square(0, 0).buffer(-100)), shapely.to_wkb(square(0, 0))]}
    )
    lb.Layer.from_polars(zones, crs=3006).write(small.parent / "flood.gpkg", layer="oversvamning")
    with small.open("a", encoding="utf-8") as f:
        f.write(
            '\n[layers.oversvamning]\nfile = "flood.gpkg"\n\n[flood]\nlayer = "oversvamning"\nlevels = [1.5, 2.1]\n'
        )
    err = load_error(small)
    messages = [p.message for p in err.problems]
    assert any("levels in column 'niva_m' that flood.levels does not list: 2.7" in m for m in messages)
    assert any("levels in flood.levels that are not in column 'niva_m': 2.1" in m for m in messages)
    edit(small, "levels = [1.5, 2.1]", "levels = [1.5, 2.7]")
    assert lb.City.from_config(small).flood_levels() == [1.5, 2.7]
    edit(small, 'layer = "oversvamning"', 'layer = "oversvaming"')
    p = one_problem(load_error(small))
    assert p.key == "flood.layer" and "(did you mean 'oversvamning'?)" in p.message


def test_overlap_beyond_the_tolerance_fails_and_within_is_a_finding(small: Path) -> None:
    geoms = [square(*xy) for xy in SQUARES.values()]
    geoms[1] = shapely.box(995, 0, 2000, 1000)  # BJÖRKBY reaches 5 m into ALBY: 5000 m²
    write_areas(small.parent / "areas.gpkg", geoms, list(SQUARES))
    p = one_problem(load_error(small))
    assert Path(p.path).name == "areas.gpkg"
    assert "ALBY and BJÖRKBY overlap by 5000.0 m²" in p.message
    assert "more than the tolerance of 10 m²" in p.message and "topology.overlap_tolerance_m2" in p.message
    with small.open("a", encoding="utf-8") as f:
        f.write("\n[topology]\noverlap_tolerance_m2 = 5000.5\n")
    city = lb.City.from_config(small)
    assert city.findings.select("kind", "stadsdelar").to_dicts() == [
        {"kind": "overlap", "stadsdelar": ["ALBY", "BJÖRKBY"]}
    ]
    assert city.findings["area_m2"][0] == pytest.approx(5000.0)


def test_gap_beyond_the_tolerance_fails(small: Path) -> None:
    # A 3 × 3 block of squares without its centre: a 1 km² hole.
    names = [f"S{i}" for i in range(8)]
    geoms = [square(x, y) for x in range(3) for y in range(3) if (x, y) != (1, 1)]
    write_areas(small.parent / "areas.gpkg", geoms, names)
    org = pl.DataFrame(
        {"stadsdel": names, "sdo_namn": "A", "sdo_kod": "A", "giltig_fran": "2020-01-01", "giltig_till": ""}
    )
    org.write_csv(small.parent / "organisation.csv")
    small.write_text(SMALL_TOML.split("[tables.befolkning]")[0], encoding="utf-8")
    p = one_problem(load_error(small))
    assert "a gap of 1000000.0 m² between S0 and S1 and S2 and S3 and S4 and S5 and S6 and S7" in p.message
    assert "at (1500.0, 1500.0)" in p.message


def test_unit_must_be_known(small: Path) -> None:
    edit(small, 'file = "enkat.csv"\nkey = "stadsdel"', 'file = "enkat.csv"\nkey = "stadsdel"\nunit = "stadsdelar"')
    p = one_problem(load_error(small))
    assert p.key == "tables.enkat.unit"
    assert (
        "unit 'stadsdelar' is not 'stadsdel', 'stadsdelsomrade' or a crosswalk (did you mean 'stadsdel'?)" in p.message
    )


def test_crosswalk_weights_must_add_up_to_one(small: Path) -> None:
    pl.DataFrame({"nyko": ["n1", "n2", "n2"], "stadsdel": ["ALBY", "ALBY", "DALA"], "w": [1.0, 0.6, 0.3]}).write_csv(
        small.parent / "nyko.csv"
    )
    with small.open("a", encoding="utf-8") as f:
        f.write('\n[crosswalks.nyko]\nfile = "nyko.csv"\nfrom = "nyko"\nweight = "w"\n')
    err = load_error(small)
    messages = [p.message for p in err.problems]
    assert all(Path(p.path).name == "nyko.csv" for p in err.problems)
    assert any("stadsdelar that are not in the boundaries: 'DALA' (did you mean 'DALEN'?)" in m for m in messages)
    assert any("the weights of each unit must add up to 1; they do not for 'n2' (0.9)" in m for m in messages)


@pytest.mark.real_data
def test_real_overlaps_match_shapely(real_city: Path, stockholm: Path) -> None:
    city = lb.City.from_config(real_city)
    # shapely/GEOS: every pair of intersecting stadsdelar and its intersection area.
    import geopandas as gpd

    gdf = gpd.read_file(stockholm / "stadsdelar.shp")
    geoms, names = gdf.geometry.values, gdf["name"].tolist()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    oracle = {}
    for a, b in zip(left, right):
        if a < b:
            area = shapely.intersection(geoms[a], geoms[b]).area
            if area > 1e-9:
                oracle[frozenset((names[a], names[b]))] = area
    overlaps = city.findings.filter(pl.col("kind") == "overlap")
    ours = {frozenset(r["stadsdelar"]): r["area_m2"] for r in overlaps.iter_rows(named=True)}
    assert len(oracle) == 19
    assert set(ours) == set(oracle)
    assert sum(ours.values()) == pytest.approx(sum(oracle.values()), abs=1e-3)
    assert sum(oracle.values()) == pytest.approx(2.06, abs=0.01)
    for pair, area in oracle.items():
        # Within a square centimetre: the engines round coordinates differently
        # (geo's boolean operations snap to an integer grid over the pair's extent).
        assert ours[pair] == pytest.approx(area, rel=1e-3, abs=1e-4), sorted(pair)
    big = frozenset(("BJÖRKHAGEN", "KÄRRTORP"))
    assert ours[big] == pytest.approx(oracle[big], rel=1e-5)
    # The gaps are the union's holes, as GEOS has them.
    union = shapely.union_all(geoms)
    holes = sorted((shapely.Polygon(r).area for r in union.interiors), reverse=True)
    gaps = city.findings.filter(pl.col("kind") == "gap")["area_m2"].to_list()
    for ours_area, geos_area in zip(gaps[:8], holes[:8]):
        assert ours_area == pytest.approx(geos_area, rel=1e-3, abs=1e-3)
    # Smaller holes than 0.01 m² come and go with the rounding of either engine.
    assert len([g for g in gaps if g > 0.01]) == len([h for h in holes if h > 0.01]) == 8
    assert gaps[0] == pytest.approx(5245.1, abs=0.1)


@pytest.mark.real_data
def test_real_gap_fails_at_the_default_tolerance(real_city: Path, tmp_path: Path) -> None:
    toml = tmp_path / "city.toml"
    text = real_city.read_text(encoding="utf-8").replace('file = "', f'file = "{real_city.parent.as_posix()}/', 2)
    toml.write_text(text.split("[topology]")[0], encoding="utf-8")
    p = one_problem(load_error(toml))
    assert "a gap of 5245.1 m² between HÖGDALEN and FAGERSJÖ" in p.message
    assert Path(p.path).name == "stadsdelar.shp"


def test_area_topology_names_a_non_polygon() -> None:
    df = pl.DataFrame({"geometry": [shapely.to_wkb(square(0, 0)), shapely.to_wkb(shapely.Point(5, 5))]})
    with pytest.raises(lb.InvalidGeometryError) as info:
        lb.area_topology(lb.Layer.from_polars(df, crs=3011, name="areas"))
    assert info.value.feature == 1 and "a Point where an area" in str(info.value)
    lonlat = pl.DataFrame({"geometry": [shapely.to_wkb(shapely.box(18, 59, 18.1, 59.1))]})
    with pytest.raises(lb.CrsError):
        lb.area_topology(lb.Layer.from_polars(lonlat, crs=4326))
