"""PTAL's modes kept apart (TfL) and metres whatever the CRS ([TfL-PTAL-2015], issue 12).

The worked example of TfL's Connectivity Assessment Guide (2015, fig. 2.15) sums three
modes: bus 9.99 + metro (LU) 3.26 + rail 1.92 = 15.16, PTAL 4 (15.01–20.00). The feed
below is written by the test: a point of interest (POI) at the centre of a 100 m grid cell,
two bus stops, an underground station and two rail stations at walking distances and
frequencies (departures in 08:15–09:15) chosen to give the guide's figures by mode:

- bus (640 m, reliability 2 min): stop A at 130 m, routes of 17 and 14 per hour; stop B at
  280 m, a route of 11 per hour: EDF 5.7233, 5.1931, 3.3570 → 5.7233 + 0.5 × 8.5501 = 9.990;
- metro (960 m, 0.75 min): a station at 459 m, 11 per hour: EDF 3.2556 → 3.256;
- rail (960 m, 0.75 min): stations at 500 m and 910 m, 2 per hour each: EDF 1.3636, 1.1060
  → 1.3636 + 0.5 × 1.1060 = 1.917;

AI = 15.162 → 15.16, band 4. With metro and rail merged into one mode (the code before
issue 12) the weaker rail routes count half: 9.990 + 3.256 + 0.5 × 2.470 = 14.48, band 3.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import box

from qet_geo.areas import areas_from_frame
from qet_geo.cli import main
from qet_geo.transit import PtalParameters, read_gtfs, transit_access
from qet_geo.transit.gtfs import mode_of_route_type

DAY = dt.date(2026, 3, 10)  # a Tuesday
#: (stop, metres from the POI, bearing in degrees, [(route, route_type, departures/hour)])
TFL_STOPS = [
    ("BUS_A", 130.0, 0.0, [("B17", 3, 17), ("B14", 3, 14)]),
    ("BUS_B", 280.0, 90.0, [("B11", 3, 11)]),
    ("LU", 459.0, 180.0, [("LU11", 1, 11)]),
    ("NR_1", 500.0, 270.0, [("NR2a", 2, 2)]),
    ("NR_2", 910.0, 225.0, [("NR2b", 2, 2)]),
]
#: places: (longitude, latitude, UTM zone's EPSG code)
PLACES = {"london": (-0.1276, 51.5072, 32630), "new_york": (-73.9857, 40.7484, 32618),
          "paris": (2.3522, 48.8566, 32631)}  # fmt: skip
#: Lambert-93 in international feet (a French CRS whose unit is not the metre)
LAMBERT93_FEET = (
    "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 "
    "+ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=ft +no_defs +type=crs"
)


def poi_of(place: str) -> tuple[float, float, int]:
    """The POI in the UTM zone of ``place``: the centre of a 100 m cell of that zone."""
    lon, lat, epsg = PLACES[place]
    x, y = Transformer.from_crs(4326, epsg, always_xy=True).transform(lon, lat)
    return math.floor(x / 100) * 100 + 50.0, math.floor(y / 100) * 100 + 50.0, epsg


def write_tfl_feed(folder: Path, place: str = "london", extra_routes=()) -> Path:
    """TfL's fig. 2.15 as a GTFS folder around the POI of ``place``; ``extra_routes``:
    more (route, route_type, per hour) at stop BUS_A."""
    x0, y0, epsg = poi_of(place)
    to_wgs84 = Transformer.from_crs(epsg, 4326, always_xy=True)
    folder.mkdir(parents=True, exist_ok=True)
    stops = ["stop_id,stop_name,stop_lat,stop_lon"]
    routes = ["route_id,route_short_name,route_type"]
    trips = ["route_id,service_id,trip_id,direction_id"]
    times = ["trip_id,arrival_time,departure_time,stop_id,stop_sequence"]
    plan = [
        (s, d, b, list(r) + (list(extra_routes) if s == "BUS_A" else []))
        for s, d, b, r in TFL_STOPS
    ]
    for stop, distance, bearing, served in plan:
        angle = math.radians(bearing)
        lon, lat = to_wgs84.transform(
            x0 + distance * math.sin(angle), y0 + distance * math.cos(angle)
        )
        stops.append(f"{stop},{stop},{lat:.10f},{lon:.10f}")
        for route, route_type, per_hour in served:
            routes.append(f"{route},{route},{route_type}")
            end = f"END_{route}"
            lon, lat = to_wgs84.transform(x0 + 20000.0, y0 + 20000.0 + len(routes))
            stops.append(f"{end},{end},{lat:.10f},{lon:.10f}")
            for k in range(per_hour):  # evenly in 08:15–09:15
                t = 8 * 3600 + 15 * 60 + int(k * 3600 / per_hour)
                trip = f"{route}-{k}"
                trips.append(f"{route},WK,{trip},0")
                for seq, (when, where) in enumerate(((t, stop), (t + 600, end)), start=1):
                    clock = f"{when // 3600:02d}:{when % 3600 // 60:02d}:{when % 60:02d}"
                    times.append(f"{trip},{clock},{clock},{where},{seq}")
    for name, rows in (
        ("stops", stops),
        ("routes", routes),
        ("trips", trips),
        ("stop_times", times),
    ):
        (folder / f"{name}.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "calendar.txt").write_text(
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "WK,1,1,1,1,1,0,0,20260101,20261231\n",
        encoding="utf-8",
    )
    return folder


def tfl_areas(place: str = "london", crs: str | None = None):
    """Two areas around the POI, in ``crs`` (default: the place's UTM zone, metres): "poi",
    the 100 m cell whose centre is the POI, and "block", 1 km × 1 km beside it."""
    x0, y0, epsg = poi_of(place)
    cells = [box(x0 - 50, y0 - 50, x0 + 50, y0 + 50), box(x0 + 50, y0 - 50, x0 + 1050, y0 + 950)]
    geometry = np.array(cells, dtype=object)
    target = crs or f"EPSG:{epsg}"
    if crs is not None:
        move = Transformer.from_crs(epsg, crs, always_xy=True)
        geometry = shapely.transform(
            geometry, lambda xy: np.column_stack(move.transform(xy[:, 0], xy[:, 1]))
        )
    frame = pd.DataFrame({"code": ["poi", "block"], "geometry": list(geometry)})
    return frame, target


def run(place="london", crs=None, params=None, tmp_path=None, feed=None):
    frame, target = tfl_areas(place, crs)
    areas = areas_from_frame(frame, "areas", id_field="code", crs=target)
    feed = read_gtfs(feed or write_tfl_feed(tmp_path / "gtfs", place))
    return transit_access(feed, areas, date=DAY, params=params)


def poi_row(result) -> pd.Series:
    """The grid point of the "poi" area (there is exactly one)."""
    rows = result.grid[result.grid["area_id"] == "poi"]
    assert len(rows) == 1
    return rows.iloc[0]


# ------------------------------------------------------------------ TfL fig. 2.15
def test_tfl_worked_example_gives_15_16_and_band_4(tmp_path):
    result = run(tmp_path=tmp_path)
    row = poi_row(result)
    assert row["ai_bus"] == pytest.approx(9.99, abs=0.005)
    assert row["ai_metro"] == pytest.approx(3.26, abs=0.005)
    assert row["ai_rail"] == pytest.approx(1.92, abs=0.005)
    assert row["ai_tram"] == 0 and row["ai_ferry"] == 0
    assert row["ai"] == pytest.approx(15.16, abs=0.01) and row["band"] == "4"
    assert row["saps"] == 5
    table = result.areas.set_index("area_id")
    assert table.loc["poi", "ai_mean"] == pytest.approx(15.16, abs=0.01)
    assert table.loc["poi", "band_of_mean"] == "4"
    assert result.summary.routes_by_mode == {"bus": 3, "metro": 1, "rail": 2}


def test_tfl_worked_example_by_the_command_line(tmp_path, capsys):
    frame, crs = tfl_areas()
    areas = tmp_path / "areas.gpkg"
    pyogrio.write_dataframe(
        __import__("geopandas").GeoDataFrame(frame, geometry="geometry", crs=crs),
        areas,
        layer="zones",
    )
    out = tmp_path / "ptal.gpkg"
    code = main(["transit", "ptal", str(write_tfl_feed(tmp_path / "gtfs")), "--areas", str(areas),
                 "--id-field", "code", "--date", DAY.isoformat(), "-o", str(out), "--json"])  # fmt: skip
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    poi = {row["area_id"]: row for row in summary["areas_table"]}["poi"]
    assert poi["ai_mean"] == pytest.approx(15.16, abs=0.01) and poi["band_of_mean"] == "4"
    grid = pyogrio.read_dataframe(out, layer="ptal_grid")
    assert {
        "ai_bus",
        "ai_tram",
        "ai_metro",
        "ai_rail",
        "ai_ferry",
        "ai_cable",
        "ai_funicular",
    } <= set(grid.columns)


def test_metro_and_rail_are_two_modes_not_one(tmp_path):
    """The same feed with the underground mapped to rail (one mode, as before): the rail
    routes then count half, 14.48 and band 3 — the figure the merged modes gave."""
    merged = run(tmp_path=tmp_path, params=PtalParameters(route_types={1: "rail"}))
    row = poi_row(merged)
    assert row["ai"] == pytest.approx(14.48, abs=0.01) and row["band"] == "3"


# ------------------------------------------------------------------ the route type table
@pytest.mark.parametrize(
    "route_type, mode",
    [(0, "tram"), (1, "metro"), (2, "rail"), (3, "bus"), (4, "ferry"), (5, "tram"), (6, "cable"),
     (7, "funicular"), (11, "bus"), (12, "metro"), (100, "rail"), (109, "rail"), (200, "bus"),
     (300, "rail"), (400, "metro"), (401, "metro"), (402, "metro"), (405, "metro"), (500, "metro"),
     (600, "metro"), (700, "bus"), (715, "bus"), (800, "bus"), (900, "tram"), (1000, "ferry"),
     (1100, None), (1200, "ferry"), (1300, "cable"), (1400, "funicular"), (1500, None), (1700, None),
     (8, "unknown"), (99, "unknown")],
)  # fmt: skip
def test_route_type_table(route_type, mode):
    assert mode_of_route_type(route_type) == mode


def test_an_unknown_route_type_is_a_warning_naming_the_routes(tmp_path):
    feed = write_tfl_feed(tmp_path / "gtfs", extra_routes=[("X1", 99, 12), ("X2", 99, 6)])
    result = run(feed=feed)
    warnings = [str(w) for w in result.warnings]
    assert any("2 route(s) of unknown route_type 99" in w and "X1, X2" in w for w in warnings), (
        warnings
    )
    assert any("--route-type 99=bus" in w for w in warnings)
    assert poi_row(result)["ai"] == pytest.approx(15.16, abs=0.01)  # left out
    assert result.summary.routes_left_out["unknown_route_type"] == 2
    # mapped: they count as buses at stop A
    mapped = run(feed=feed, params=PtalParameters(route_types={99: "bus"}))
    assert not [w for w in mapped.warnings if "route_type" in str(w)]
    assert poi_row(mapped)["ai_bus"] > poi_row(result)["ai_bus"] + 1


def test_route_types_on_the_command_line_and_bad_ones(tmp_path, capsys):
    feed = write_tfl_feed(tmp_path / "gtfs", extra_routes=[("X1", 99, 12)])
    frame, crs = tfl_areas()
    areas = tmp_path / "areas.gpkg"
    pyogrio.write_dataframe(
        __import__("geopandas").GeoDataFrame(frame, geometry="geometry", crs=crs), areas
    )
    base = ["transit", "ptal", str(feed), "--areas", str(areas), "--id-field", "code",
            "--date", DAY.isoformat()]  # fmt: skip
    assert main([*base, "-o", str(tmp_path / "a.gpkg")]) == 0
    err = capsys.readouterr().err
    assert "unknown route_type 99" in err and "X1" in err
    assert (
        main(
            [
                *base,
                "--route-type",
                "99=bus",
                "--route-type",
                "1=rail",
                "-o",
                str(tmp_path / "b.gpkg"),
            ]
        )
        == 0
    )
    assert "route_type" not in capsys.readouterr().err
    for bad in ("99=boat", "abc=bus", "99", "2000=bus", "7-3=tram"):
        assert main([*base, "--route-type", bad, "-o", str(tmp_path / "c.gpkg")]) == 2
        err = capsys.readouterr().err
        assert "--route-type" in err and "Traceback" not in err, err
    assert not (tmp_path / "c.gpkg").exists()


# ------------------------------------------------------------------ metres whatever the CRS
@pytest.mark.parametrize(
    "place, crs",
    [("london", "EPSG:4326"), ("new_york", "EPSG:2263"), ("paris", LAMBERT93_FEET),
     ("paris", "EPSG:4326"), ("london", "EPSG:3857"), ("paris", "EPSG:3857")],
)  # fmt: skip
def test_the_same_ai_and_grid_in_feet_and_degrees(tmp_path, place, crs):
    feed = write_tfl_feed(tmp_path / "gtfs", place)
    metres = run(place, feed=feed)
    other = run(place, crs, feed=feed)
    assert poi_row(metres)["ai"] == pytest.approx(15.16, abs=0.01)
    assert poi_row(other)["ai"] == pytest.approx(poi_row(metres)["ai"], abs=1e-6)
    assert len(other.grid) == len(metres.grid) == 101
    a = metres.areas.set_index("area_id")
    b = other.areas.set_index("area_id")
    for column in ("grid_points", "ai_mean", "nearest_stop_m_mean", "departures_400m_mean"):
        assert b[column].to_numpy() == pytest.approx(a[column].to_numpy(), abs=1e-3), column
    # measured in the UTM zone, said, and given back in the input's CRS
    assert other.summary.distance_crs == f"EPSG:{PLACES[place][2]}"
    assert other.summary.input_crs == other.crs == crs
    assert metres.summary.distance_crs == metres.crs  # metres already: not reprojected
    back = Transformer.from_crs(crs, PLACES[place][2], always_xy=True)
    x, y = back.transform(poi_row(other)["x"], poi_row(other)["y"])
    assert (x, y) == pytest.approx(poi_of(place)[:2], abs=0.01)


def test_the_command_line_says_which_crs_measured_the_distances(tmp_path, capsys):
    import geopandas as gpd

    frame, crs = tfl_areas("new_york", "EPSG:2263")
    areas = tmp_path / "areas.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame(frame, geometry="geometry", crs=crs), areas)
    out = tmp_path / "ptal.gpkg"
    feed = write_tfl_feed(tmp_path / "gtfs", "new_york")
    code = main(["transit", "ptal", str(feed), "--areas", str(areas), "--id-field", "code",
                 "--date", DAY.isoformat(), "-o", str(out)])  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert "EPSG:32618" in printed and "EPSG:2263" in printed
    assert "PTAL on 101 grid points" in printed
    grid = pyogrio.read_dataframe(out, layer="ptal_grid")
    assert grid.crs.to_epsg() == 2263
    meta = pyogrio.read_dataframe(out, layer="ptal_summary")
    assert dict(zip(meta["key"], meta["value"], strict=True))["distance_crs"] == "EPSG:32618"
    areas_out = pyogrio.read_dataframe(out, layer="ptal_areas").set_index("area_id")
    assert areas_out.loc["poi", "ai_mean"] == pytest.approx(15.16, abs=0.01)
    assert areas_out.loc["poi", "band_of_mean"] == "4"


def test_a_mode_without_catchment_is_a_warning_too(tmp_path):
    """Parameters of before issue 12 (bus and rail only): the metro route is not lost silently."""
    params = PtalParameters(
        catchment={"bus": 640.0, "rail": 960.0}, reliability={"bus": 2.0, "rail": 0.75}
    )
    result = run(tmp_path=tmp_path, params=params)
    warnings = [str(w) for w in result.warnings]
    assert any(
        "1 route(s) of mode metro left out of PTAL" in w and "LU11" in w for w in warnings
    ), warnings
    assert poi_row(result)["ai"] == pytest.approx(9.99 + 1.92, abs=0.01)
