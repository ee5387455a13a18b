"""Metres for proximity whatever the CRS, PTAL and proximity parameters checked the same
way on the command line and in the configuration, and the names of the CSVs beside the
GeoPackages (issue 12)."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import Point, box

from qet_geo.areas import areas_from_frame
from qet_geo.cli import main
from qet_geo.constraints import proximity
from qet_geo.errors import InputError, ParameterError
from qet_geo.transit import PtalParameters
from qet_geo.transit.ptal import check_parameter, parse_route_types

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
FEET = "EPSG:2263"  # New York Long Island, US survey feet
UTM18 = 32618


def _nyc_areas_and_shops(crs: str | None):
    """Two 1 km squares in Manhattan and three shops, in UTM 18N metres or moved to
    ``crs``: (areas, shops x/y in the areas' CRS)."""
    x, y = Transformer.from_crs(4326, UTM18, always_xy=True).transform(-73.9857, 40.7484)
    x0, y0 = math.floor(x / 100) * 100, math.floor(y / 100) * 100
    cells = np.array([box(x0, y0, x0 + 1000, y0 + 1000), box(x0 + 1000, y0, x0 + 2000, y0 + 1000)])
    shops = np.array([[x0 + 250.0, y0 + 250.0], [x0 + 1600.0, y0 + 900.0], [x0 + 3500.0, y0]])
    target = f"EPSG:{UTM18}"
    if crs is not None:
        move = Transformer.from_crs(UTM18, crs, always_xy=True)
        cells = shapely.transform(
            cells, lambda xy: np.column_stack(move.transform(xy[:, 0], xy[:, 1]))
        )
        shops = np.column_stack(move.transform(shops[:, 0], shops[:, 1]))
        target = crs
    frame = pd.DataFrame({"code": ["A", "B"], "geometry": list(cells)})
    return areas_from_frame(frame, "areas", id_field="code", crs=target), shops


@pytest.mark.parametrize("crs", [FEET, "EPSG:4326", "EPSG:3857"])
def test_proximity_distances_are_metres_in_feet_and_degrees(crs):
    """Feet, degrees, and Web Mercator (in "metres" that are 0.76 m on the ground here)."""
    metres = proximity(*_areas_services(None), radius=500.0, within=(300.0, 800.0))
    other = proximity(*_areas_services(crs), radius=500.0, within=(300.0, 800.0))
    a = metres.areas.set_index("area_id").drop(columns="geometry")
    b = other.areas.set_index("area_id").drop(columns="geometry")
    assert list(a.columns) == list(b.columns)
    for column in a.columns:
        if column in ("centroid", "area_name"):
            continue
        assert b[column].to_numpy(float) == pytest.approx(a[column].to_numpy(float), abs=0.05), (
            column
        )
    assert a.loc["A", "grid_points"] == 100  # 100 m over 1 km², not 100 ft
    assert a.loc["A", "dist_shops_centroid"] == pytest.approx(math.hypot(250, 250), abs=0.1)
    assert other.summary.distance_crs == f"EPSG:{UTM18}" and other.crs == crs
    assert metres.summary.distance_crs == f"EPSG:{UTM18}"


def _areas_services(crs):
    areas, shops = _nyc_areas_and_shops(crs)
    return areas, {"shops": shops}


def test_proximity_on_the_command_line_in_feet(tmp_path, capsys):
    areas, shops = _nyc_areas_and_shops(FEET)
    zones = tmp_path / "zones.gpkg"
    gpd.GeoDataFrame(areas.frame, geometry="geometry", crs=FEET).to_file(zones, layer="zones")
    gpd.GeoDataFrame(
        {"name": ["a", "b", "c"]}, geometry=[Point(p) for p in shops], crs=FEET
    ).to_file(zones, layer="shops")
    out = tmp_path / "proximity.gpkg"
    code = main(["constraints", "proximity", "--areas", str(zones), "--areas-layer", "zones",
                 "--id-field", "area_id", "--service", f"shops={zones}:shops", "-o", str(out)])  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert "EPSG:32618" in printed and "EPSG:2263" in printed
    table = pd.read_csv(tmp_path / "proximity_areas.csv").set_index("area_id")
    assert table.loc["A", "grid_points"] == 100
    assert table.loc["A", "dist_shops_centroid"] == pytest.approx(math.hypot(250, 250), abs=0.1)
    assert table.loc["A", "count_shops_500m"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "proximity.gpkg",
        "proximity_areas.csv",
        "zones.gpkg",
    ]


# ------------------------------------------------------------------ parameters
PTAL = ["transit", "ptal", str(SAMPLE / "gtfs"), "--areas", str(SAMPLE / "quartier.gpkg"),
        "--areas-layer", "iris", "--date", "2026-03-10"]  # fmt: skip
PROXIMITY = ["constraints", "proximity", "--areas", str(SAMPLE / "quartier.gpkg"), "--areas-layer", "iris",
             "--service", f"marches={SAMPLE / 'quartier.gpkg'}:marches"]  # fmt: skip


@pytest.mark.parametrize(
    "command, option, value, expected",
    [
        (PTAL, "--detour", "nan", "from 1 up to 10"),
        (PTAL, "--detour", "0.5", "from 1 up to 10"),
        (PTAL, "--walk-speed", "0", "above 0 and up to 1000 m/min"),
        (PTAL, "--walk-speed", "-80", "above 0"),
        (PTAL, "--walk-speed", "nan", "above 0"),
        (PTAL, "--walk-speed", "inf", "above 0"),
        (PTAL, "--grid", "-5", "from 10 up to 10000 m"),
        (PTAL, "--grid", "0", "from 10 up to 10000 m"),
        (PTAL, "--grid", "1e12", "from 10 up to 10000 m"),
        (PTAL, "--grid", "nan", "from 10 up to 10000 m"),
        (PTAL, "--bus-catchment", "inf", "above 0 and up to 10000 m"),
        (PTAL, "--rail-catchment", "0", "above 0 and up to 10000 m"),
        (PTAL, "--bus-reliability", "-1", "from 0 up to 60 min"),
        (PTAL, "--other-weight", "2", "from 0 up to 1"),
        (PROXIMITY, "--radius", "inf", "above 0 and up to 100000 m"),
        (PROXIMITY, "--radius", "0", "above 0"),
        (PROXIMITY, "--within", "300,nan", "above 0"),
        (PROXIMITY, "--detour", "nan", "from 1 up to 10"),
        (PROXIMITY, "--grid", "1e12", "from 10 up to 10000 m"),
    ],
)  # fmt: skip
def test_a_bad_parameter_is_an_error_naming_option_value_and_range(
    tmp_path, capsys, command, option, value, expected
):
    out = tmp_path / "out.gpkg"
    assert main([*command, option, value, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert option in err and expected in err and "Traceback" not in err, err
    assert not list(tmp_path.iterdir())  # nothing read, nothing written


def test_a_grid_with_no_point_inside_the_areas_says_so():
    areas, _ = _nyc_areas_and_shops(None)
    with pytest.raises(ParameterError, match="puts no point inside the areas"):
        proximity(areas, {"shops": np.zeros((0, 2))}, spacing=5000.0)


def test_one_check_for_library_command_line_and_configuration():
    with pytest.raises(ParameterError, match=r"walk speed nan: expected a number above 0"):
        PtalParameters(walk_speed=float("nan")).check()
    with pytest.raises(ParameterError, match=r"WALK_SPEED"):
        PtalParameters.of(walk_speed=0.0, names={"walk_speed": "Walking speed (WALK_SPEED)"})
    with pytest.raises(ParameterError, match=r"catchment of tram inf"):
        PtalParameters(
            catchment={"bus": 640.0, "tram": math.inf}, reliability={"bus": 2.0, "tram": 0.75}
        ).check()
    assert check_parameter("grid", 100, "--grid") == 100.0
    assert parse_route_types("99=bus, 1000-1002=none") == {
        99: "bus",
        1000: None,
        1001: None,
        1002: None,
    }
    assert parse_route_types({"4": "none", "99": "Tram"}) == {4: None, 99: "tram"}


def _config(tmp_path: Path, extra: str) -> Path:
    for name in ("survey_su.tsv", "quartier.gpkg", "gtfs"):
        (tmp_path / name).symlink_to(SAMPLE / name)
    config = tmp_path / "config.toml"
    config.write_text('[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\nlayer = "iris"\n'
                      + extra, encoding="utf-8")  # fmt: skip
    return config


@pytest.mark.parametrize(
    "extra, column, expected",
    [
        ('[transit]\ngtfs = "gtfs"\ngrid = inf\n', "[transit] grid", "from 10 up to 10000 m"),
        ('[transit]\ngtfs = "gtfs"\ngrid = nan\n', "[transit] grid", "from 10 up to 10000 m"),
        ('[transit]\ngtfs = "gtfs"\ngrid = 1e12\n', "[transit] grid", "from 10 up to 10000 m"),
        ('[transit]\ngtfs = "gtfs"\nroute_types = { "99" = "boat" }\n', "[transit] route_types", "CODE=MODE"),
        ('[transit]\ngtfs = "gtfs"\nroute_types = "99=bus"\n', "[transit] route_types", "a table"),
        ('[proximity]\nservices = { m = "quartier.gpkg:marches" }\nradius = inf\n', "[proximity] radius",
         "above 0 and up to 100000 m"),
        ('[proximity]\nservices = { m = "quartier.gpkg:marches" }\ngrid = -5\n', "[proximity] grid",
         "from 10 up to 10000 m"),
    ],
)  # fmt: skip
def test_configuration_keys_are_checked_the_same_way(tmp_path, extra, column, expected):
    from qet_geo.pipeline import load_config

    with pytest.raises(InputError) as error:
        load_config(_config(tmp_path, extra))
    text = str(error.value)
    assert column in text and expected in text, text


def test_configuration_route_types_reach_ptal(tmp_path):
    from qet_geo.pipeline import load_config

    config = load_config(
        _config(
            tmp_path,
            '[transit]\ngtfs = "gtfs"\nroute_types = { "0" = "rail", "1500-1599" = "bus" }\n',
        )
    )
    table = config["transit"]["route_types"]
    assert table[0] == "rail" and table[1500] == "bus" and len(table) == 101
    params = PtalParameters.of(route_types=table)
    assert params.route_types == table


# ------------------------------------------------------------------ output names
def test_the_csvs_beside_the_geopackages_are_not_doubled(tmp_path):
    from qet_geo.areas.output import area_map_files
    from qet_geo.constraints.output import COMPARE_LAYERS, layers_files
    from qet_geo.transit.output import transit_files

    names = lambda files: [p.name for p in files]  # noqa: E731
    assert names(layers_files(tmp_path / "proximity.gpkg", ["proximity_areas"])) == [
        "proximity.gpkg", "proximity_areas.csv"]  # fmt: skip
    assert names(layers_files(tmp_path / "compare.gpkg", COMPARE_LAYERS)) == [
        "compare.gpkg", "compare_areas.csv", "compare_classes.csv", "compare_satisfaction.csv"]  # fmt: skip
    assert names(transit_files(tmp_path / "ptal.gpkg")) == ["ptal.gpkg", "ptal_areas.csv"]
    assert names(area_map_files(tmp_path / "areas.gpkg")) == [
        "areas.gpkg", "areas.csv", "areas_profiles.csv", "areas_representativeness.csv"]  # fmt: skip
    # another name keeps its stem in front
    assert names(layers_files(tmp_path / "c.gpkg", ["compare_areas"])) == [
        "c.gpkg",
        "c_compare_areas.csv",
    ]


def test_the_proximity_command_writes_proximity_areas_csv(tmp_path):
    out = tmp_path / "proximity.gpkg"
    assert main([*PROXIMITY, "-o", str(out)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proximity.gpkg", "proximity_areas.csv"]
