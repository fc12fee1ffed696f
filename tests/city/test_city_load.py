"""Loading a city: the files its configuration names, read and checked together
(every problem at once, each naming its file), a city made from layers and
frames, and layers in other CRSs transformed into the working CRS.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import lagesbild as lb
import polars as pl
import pytest
import shapely
from city_helpers import SQUARES, edit, load_error, one_problem, organisation_rows, square


def test_small_city_loads(small: Path) -> None:
    city = lb.City.from_config(small)
    assert city.name == "Småstad"
    assert city.crs == 3011
    assert city.stadsdelar == list(SQUARES)
    assert set(city.tables) == {"befolkning", "enkat"}
    assert city.years("befolkning") == [2022, 2023]
    assert city.years("enkat") == [2023]
    assert city.findings.height == 0
    assert city.min_count == 5
    assert city.risk_distance.distance_m == 150.0
    assert city.settings.overlap_tolerance_m2 == 10.0
    assert city.periods.to_dicts() == [
        {
            "giltig_fran": dt.date(2020, 7, 1),
            "giltig_till": dt.date(2023, 6, 30),
            "stadsdelsomraden": 2,
            "stadsdelar": 4,
        },
        {"giltig_fran": dt.date(2023, 7, 1), "giltig_till": None, "stadsdelsomraden": 1, "stadsdelar": 4},
    ]


def test_missing_file_is_named(small: Path) -> None:
    (small.parent / "befolkning.csv").unlink()
    p = one_problem(load_error(small))
    assert p.path is not None and Path(p.path).name == "befolkning.csv"
    assert p.key == "tables.befolkning.file"
    assert "no such file" in p.message


def test_missing_areas_file_does_not_cascade(small: Path) -> None:
    (small.parent / "areas.gpkg").unlink()
    p = one_problem(load_error(small))
    assert Path(p.path).name == "areas.gpkg" and p.key == "areas.file"


def test_damaged_file_is_named(small: Path) -> None:
    (small.parent / "areas.gpkg").write_bytes(b"this is not a GeoPackage")
    p = one_problem(load_error(small))
    assert Path(p.path).name == "areas.gpkg" and p.key == "areas"


def test_missing_organisation_column(small: Path) -> None:
    organisation_rows().rename({"sdo_kod": "kod"}).write_csv(small.parent / "organisation.csv")
    p = one_problem(load_error(small))
    assert Path(p.path).name == "organisation.csv"
    assert "no column 'sdo_kod'" in p.message


def test_organisation_columns_can_be_renamed(small: Path) -> None:
    organisation_rows().rename({"sdo_kod": "kod", "giltig_fran": "from"}).write_csv(small.parent / "organisation.csv")
    edit(small, 'file = "organisation.csv"', 'file = "organisation.csv"\ncode = "kod"\nvalid_from = "from"')
    assert lb.City.from_config(small).organisation(2020)["sdo_kod"].to_list() == ["V", "O", "V", "O"]


def test_several_problems_at_once_are_all_reported(small: Path) -> None:
    (small.parent / "befolkning.csv").unlink()
    edit(small, 'key = "namn"', 'key = "namn"\nencodng = "utf-8"')
    edit(small, 'file = "enkat.csv"\nkey = "stadsdel"', 'file = "enkat.csv"\nkey = "omrade"')
    with small.open("a", encoding="utf-8") as f:
        f.write('\n[suppression]\nmin_count = 2.5\n[layers.vatten]\nfile = "vatten.gpkg"\n')
    err = load_error(small)
    found = {(Path(p.path).name if p.path else None, p.key) for p in err.problems}
    assert found == {
        ("befolkning.csv", "tables.befolkning.file"),
        ("city.toml", "areas"),
        ("enkat.csv", "tables.enkat.key"),
        ("city.toml", "suppression.min_count"),
        ("vatten.gpkg", "layers.vatten.file"),
    }
    assert str(err).startswith(f"{small}: 5 problems:\n  - ")


def test_city_from_layers_and_frames_is_checked_the_same_way() -> None:
    areas = lb.Layer.from_polars(
        pl.DataFrame(
            {"stadsdel": ["A", "B"], "geometry": [shapely.to_wkb(square(0, 0)), shapely.to_wkb(square(1, 0))]}
        ),
        crs=3011,
    )
    org = organisation_rows().head(0)
    with pytest.raises(lb.ConfigError) as info:
        lb.City(areas, org, tables={"enkat": pl.DataFrame({"stadsdel": ["A", "X"]})})
    messages = [p.message for p in info.value.problems]
    assert messages == [
        "the organisation table has no rows",
        "column 'stadsdel': stadsdelar that are not in the boundaries: 'X'",
    ]
    assert [p.key for p in info.value.problems] == ["organisation", "tables.enkat"]
    city = lb.City(areas, tables={"enkat": pl.DataFrame({"stadsdel": ["A", "B"]})}, name="Två")
    assert city.stadsdelar == ["A", "B"]
    with pytest.raises(lb.InvalidArgumentError, match="no organisation"):
        city.organisation(2023)


def test_lon_lat_areas_need_a_projected_working_crs() -> None:
    areas = lb.Layer.from_polars(
        pl.DataFrame({"stadsdel": ["A"], "geometry": [shapely.to_wkb(shapely.box(18.0, 59.3, 18.01, 59.31))]}),
        crs=4326,
    )
    with pytest.raises(lb.ConfigError, match="is geographic"):
        lb.City(areas)
    assert lb.City(areas, crs=3006).areas.crs == 3006


@pytest.mark.real_data
def test_lon_lat_layer_is_transformed_and_logged(
    real_city: Path, stockholm: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="lagesbild"):
        city = lb.City.from_config(real_city)
    wgs = city.layer("stadsdelar_wgs84")
    assert wgs.crs == 3011
    transformed = [r.getMessage() for r in caplog.records if "transformed into the working CRS" in r.getMessage()]
    assert len(transformed) == 1  # vatten.shp is in EPSG:3011 already
    assert "stadsdelar_simplified.geojson" in transformed[0]
    assert "EPSG:4326" in transformed[0] and "longitude/latitude" in transformed[0] and "EPSG:3011" in transformed[0]
    # The coordinates are pyproj's.
    import pyproj

    source = lb.read(stockholm / "stadsdelar_simplified.geojson")
    lon, lat = shapely.get_coordinates(shapely.from_wkb(source.to_polars()["geometry"][0])).T
    x, y = pyproj.Transformer.from_crs(4326, 3011, always_xy=True).transform(lon, lat)
    ours = shapely.get_coordinates(shapely.from_wkb(wgs.to_polars()["geometry"][0]))
    assert abs(ours[:, 0] - x).max() < 0.001 and abs(ours[:, 1] - y).max() < 0.001
    assert city.sources.filter(pl.col("name") == "stadsdelar_wgs84")["source_crs"].to_list() == ["EPSG:4326"]
