"""facilities_at_risk(), omradesansvar() and screen() on the hand-made city
of hazard_city.py, where every answer is known."""

from __future__ import annotations

import lagesbild as lb
import polars as pl
import pytest
import shapely
from lagesbild.analysis import facilities_at_risk, omradesansvar, screen


def by_name(df: pl.DataFrame) -> dict[str, dict]:
    return {r["name"]: r for r in df.iter_rows(named=True)}


def test_facilities_at_risk_lists_levels_distances_zones_and_guidance(astad: lb.City) -> None:
    f = by_name(facilities_at_risk(astad, year=2022, mode="internal", lang="en"))
    assert len(f) == 8
    ekorren = f["Förskolan Ekorren"]
    assert (ekorren["stadsdel"], ekorren["stadsdel_code"], ekorren["stadsdelsomrade"]) == ("A", "SA", "Väster")
    assert (ekorren["malaren_level_m"], ekorren["malaren_band"]) == (1.5, "+1.5 m")
    assert f["Förskolan Lärkan"]["malaren_level_m"] == 2.7
    assert f["Björkskolan"]["malaren_level_m"] is None
    myran = f["Förskolan Myran"]
    assert myran["farligt_gods_distance_m"] == pytest.approx(25.0)
    assert (myran["farligt_gods_class"], myran["farligt_gods_route"], myran["farligt_gods_zone"]) == (
        "primär",
        "Leden",
        "A",
    )
    assert myran["farligt_gods_guidance_zone"] == "C"
    assert myran["farligt_gods_note"] == "inside zone A; guidance places förskola in zone C"
    assert f["Lindgården"]["farligt_gods_note"] == "inside zone B; guidance places äldreboende in zone C"
    # The substation is in zone C and guidance places it in B: where it may be, no remark.
    assert f["Nätstation Öster"]["farligt_gods_note"] == "inside zone C"
    assert f["Solrosens skola"]["farligt_gods_zone"] is None and f["Solrosens skola"]["farligt_gods_note"] is None
    # The reservoir by the tunnel: the tunnel stretch does not count.
    assert f["Vattentornet"]["farligt_gods_distance_m"] == pytest.approx((10**2 + 200**2) ** 0.5)
    # The same list in 2025 uses the 2025 organisation.
    assert set(facilities_at_risk(astad, year=2025, mode="internal")["stadsdelsomrade"].to_list()) == {"Hela staden"}


def test_open_mode_never_lists_protected_facilities(astad: lb.City) -> None:
    open_list = facilities_at_risk(astad, year=2025)
    assert set(open_list["name"].to_list()) == {
        "Förskolan Ekorren",
        "Förskolan Lärkan",
        "Björkskolan",
        "Förskolan Myran",
        "Lindgården",
        "Solrosens skola",
    }
    assert open_list["farligt_gods_note"].to_list().count("inom zon A; riktlinjerna placerar förskola i zon C") == 1


def test_omradesansvar_neighbours_shared_hazards_facilities(astad: lb.City) -> None:
    o = omradesansvar(astad, year=2022)
    assert o.neighbours.select("area", "neighbour", "shared_boundary_m").rows() == [
        ("Väster", "Öster", 2000.0),
        ("Öster", "Väster", 2000.0),
    ]
    # Within Väster the flood zone crosses between A and C, but Väster and
    # Öster share no hazard: the zone lies west, the route east.
    assert o.hazards.height == 0
    assert o.facilities.filter(pl.col("area") == "Öster").select("owner", "facilities").sort("owner").rows() == [
        ("kommunal", 3),
        ("privat", 2),
    ]
    sd = omradesansvar(astad, year=2022, level="stadsdel")
    assert sorted(sd.neighbours.filter(pl.col("area") == "A")["neighbour"].to_list()) == ["B", "C"]
    shared = sd.hazards.select("area", "band", "category", "neighbour", "value", "neighbour_value").rows()
    assert shared == [
        ("A", "+1.5 m", None, "C", 100_000.0, 100_000.0),
        ("A", "+2.7 m", None, "C", 300_000.0, 300_000.0),
        ("B", None, "primär", "D", 1000.0, 500.0),
        ("C", "+1.5 m", None, "A", 100_000.0, 100_000.0),
        ("C", "+2.7 m", None, "A", 300_000.0, 300_000.0),
        ("D", None, "primär", "B", 500.0, 1000.0),
    ]
    assert sd.for_area("SD").hazards["neighbour"].to_list() == ["B"]
    with pytest.raises(lb.InvalidArgumentError, match="no area 'Z'"):
        sd.for_area("Z")
    with pytest.raises(lb.InvalidArgumentError, match="the city has no neighbours"):
        omradesansvar(astad, year=2022, level="city")


def test_omradesansvar_actors_as_polygons_and_stadsdel_lists(astad_files) -> None:
    folder = astad_files.parent
    df = pl.DataFrame(
        {
            "aktor": ["Räddningstjänsten Väst", "Elnät AB"],
            "typ": ["räddningstjänst", "elnät"],
            "geometry": [
                shapely.to_wkb(shapely.box(0, 0, 1500, 2000)),
                shapely.to_wkb(shapely.box(1500, 0, 2000, 500)),
            ],
        }
    )
    lb.Layer.from_polars(df, crs=3011).write(folder / "aktorer.gpkg", layer="aktorer")
    pl.DataFrame(
        {"aktor": ["Frivilliga", "Frivilliga"], "typ": ["frivillig organisation"] * 2, "stadsdel": ["B", "D"]}
    ).write_csv(folder / "aktorer_sd.csv")
    text = astad_files.read_text(encoding="utf-8")
    text += '\n[layers.aktorer]\nfile = "aktorer.gpkg"\n\n[tables.aktorer_sd]\nfile = "aktorer_sd.csv"\n'
    text += '\n[actors]\nlayer = "aktorer"\ntable = "aktorer_sd"\n'
    astad_files.write_text(text, encoding="utf-8")
    city = lb.City.from_config(astad_files)
    a = omradesansvar(city, year=2022).actors
    rows = {(r["area"], r["actor"]): r for r in a.iter_rows(named=True)}
    assert rows[("Väster", "Räddningstjänsten Väst")]["share"] == pytest.approx(1.0)
    assert rows[("Öster", "Räddningstjänsten Väst")]["share"] == pytest.approx(0.5)
    assert rows[("Öster", "Elnät AB")]["share"] == pytest.approx(0.125)
    assert rows[("Öster", "Frivilliga")]["stadsdelar"] == ["B", "D"]
    assert ("Väster", "Elnät AB") not in rows and ("Väster", "Frivilliga") not in rows
    hits = screen(city, shapely.Point(1700, 200)).actors
    assert hits["actor"].to_list() == ["Elnät AB"]


def test_screen_a_plan_area_and_a_building_site(astad: lb.City) -> None:
    s = screen(astad, shapely.box(150, 400, 350, 600), mode="internal")
    assert s.site.rows() == [(40_000.0, ["A"])]
    assert s.flood.select("band", "area_m2", "share").rows() == [("+1.5 m", 10_000.0, 0.25), ("+2.7 m", 40_000.0, 1.0)]
    assert s.routes.height == 0
    assert s.facilities.select("name", "distance_m").rows() == [("Förskolan Ekorren", 0.0), ("Björkskolan", 250.0)]
    point = screen(astad, shapely.Point(1560, 600))
    assert point.flood["share"].to_list() == [0.0, 0.0]
    assert point.routes.select("class", "name", "distance_m", "zone").rows() == [("primär", "Leden", 60.0, "B")]
    # The substation is 128 m away: counted, not listed, in open mode.
    assert "Nätstation Öster" not in point.facilities["name"].to_list()
    assert point.facilities["protected_nearby"].unique().to_list() == [1]


def test_screen_refuses_what_it_cannot_screen(astad: lb.City, tmp_path) -> None:
    with pytest.raises(lb.CrsError, match=r"longitude/latitude.*to_crs\(3011\)"):
        screen(
            astad, lb.Layer.from_polars(pl.DataFrame({"geometry": [shapely.to_wkb(shapely.Point(18, 59))]}), crs=4326)
        )
    with pytest.raises(lb.CrsError, match="EPSG:3006 and the city in EPSG:3011"):
        screen(astad, lb.Layer.from_polars(pl.DataFrame({"geometry": [shapely.to_wkb(shapely.Point(1, 1))]}), crs=3006))
    with pytest.raises(lb.InvalidArgumentError, match="lies outside Åstad"):
        screen(astad, shapely.box(5000, 5000, 5100, 5100))
    with pytest.raises(lb.InvalidGeometryError, match="not LineString"):
        screen(astad, shapely.LineString([(10, 10), (20, 20)]))
    with pytest.raises(lb.InvalidArgumentError, match="not dict"):
        screen(astad, {"x": 1})
    with pytest.raises(lb.FileNotFoundError):
        screen(astad, tmp_path / "no_such_site.gpkg")
    # A file works like a layer.
    lb.Layer.from_polars(pl.DataFrame({"geometry": [shapely.to_wkb(shapely.box(150, 400, 350, 600))]}), crs=3011).write(
        tmp_path / "site.gpkg"
    )
    assert screen(astad, tmp_path / "site.gpkg").site["area_m2"].to_list() == [40_000.0]


def test_city_methods_delegate(astad: lb.City) -> None:
    assert astad.exposure(year=2025, level="city").equals(lb.analysis.exposure(astad, year=2025, level="city"))
    assert astad.facilities_at_risk(year=2025).height == 6
    assert astad.omradesansvar(year=2022).neighbours.height == 2
    assert astad.screen(shapely.Point(1560, 600)).routes.height == 1
