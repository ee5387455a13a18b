"""GTFS and PTAL against values computed by hand ([TfL-PTAL-2015])."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
from pyproj import Transformer
from shapely.geometry import box

from qet_geo.areas import areas_from_frame
from qet_geo.cli import main
from qet_geo.errors import InputError
from qet_geo.transit import (
    PtalParameters,
    active_services,
    band,
    departures,
    parse_window,
    read_gtfs,
    transit_access,
    typical_weekday,
)

ROOT = Path(__file__).parents[2]
TO_WGS84 = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
ORIGIN = (650000.0, 6860000.0)  # Lambert-93, metres
X_ORIGIN, Y_ORIGIN = ORIGIN
DAY = dt.date(2026, 3, 10)  # a Tuesday


def write_feed(
    folder: Path, stops, routes, trips, stop_times, calendar_dates=None, frequencies=None
):
    """A GTFS folder: stops as (id, x, y in Lambert-93 metres from ORIGIN, parent)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station"]
    for stop_id, dx, dy, *rest in stops:
        lon, lat = TO_WGS84.transform(ORIGIN[0] + dx, ORIGIN[1] + dy)
        parent = rest[0] if rest else ""
        kind = rest[1] if len(rest) > 1 else 0
        rows.append(f"{stop_id},{stop_id},{lat:.8f},{lon:.8f},{kind},{parent}")
    (folder / "stops.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "routes.txt").write_text(
        "route_id,route_short_name,route_type\n" + "".join(f"{r},{r},{t}\n" for r, t in routes),
        encoding="utf-8",
    )
    (folder / "trips.txt").write_text(
        "route_id,service_id,trip_id,direction_id\n"
        + "".join(f"{r},{s},{t},{d}\n" for r, s, t, d in trips),
        encoding="utf-8",
    )
    (folder / "stop_times.txt").write_text(
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        + "".join(f"{t},{time},{time},{s},{q}\n" for t, time, s, q in stop_times),
        encoding="utf-8",
    )
    (folder / "calendar.txt").write_text(
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "WK,1,1,1,1,1,0,0,20260101,20261231\n",
        encoding="utf-8",
    )
    if calendar_dates:
        (folder / "calendar_dates.txt").write_text(
            "service_id,date,exception_type\n"
            + "".join(f"{s},{d},{e}\n" for s, d, e in calendar_dates),
            encoding="utf-8",
        )
    if frequencies:
        (folder / "frequencies.txt").write_text(
            "trip_id,start_time,end_time,headway_secs\n"
            + "".join(f"{t},{a},{b},{h}\n" for t, a, b, h in frequencies),
            encoding="utf-8",
        )
    return folder


def every(minutes, route, stop, last_stop, start="08:00", end="10:00", service="WK", direction=0):
    """Trips of ``route`` leaving ``stop`` every ``minutes`` (and reaching ``last_stop``)."""
    h0, m0 = map(int, start.split(":"))
    h1, m1 = map(int, end.split(":"))
    trips, times = [], []
    t = h0 * 60 + m0
    number = 0
    while t < h1 * 60 + m1:
        trip = f"{route}-{direction}-{number}"
        trips.append((route, service, trip, direction))
        times.append((trip, f"{t // 60:02d}:{t % 60:02d}:00", stop, 1))
        times.append((trip, f"{(t + 5) // 60:02d}:{(t + 5) % 60:02d}:00", last_stop, 2))
        t += minutes
        number += 1
    return trips, times


def one_point_ptal(feed_folder, point=(0.0, 0.0), params=None):
    """PTAL at one point (metres from ORIGIN), through the same functions as the grid."""
    from qet_geo.transit.ptal import access_points, ptal_at

    params = params or PtalParameters()
    feed = read_gtfs(feed_folder)
    saps, frequency = access_points(feed.stops, departures(feed, DAY), params)
    to_l93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    x, y = to_l93.transform(saps["stop_lon"].to_numpy(), saps["stop_lat"].to_numpy())
    xy = np.column_stack([np.asarray(x) - ORIGIN[0], np.asarray(y) - ORIGIN[1]])
    return ptal_at(np.array([point]), xy, saps, frequency, params).iloc[0], frequency


# ------------------------------------------------------------------ PTAL by hand
def test_one_stop_one_route_by_hand(tmp_path):
    # a bus every 10 min: 6 departures in 08:15–09:15 (08:20 … 09:10); the stop 400 m away
    trips, times = every(10, "B1", "S", "END")
    folder = write_feed(
        tmp_path / "f", [("S", 400, 0), ("END", 5000, 0)], [("B1", 3)], trips, times
    )
    row, frequency = one_point_ptal(folder)
    assert frequency.set_index("route_id").loc["B1", "f"] == 6
    walk = 400 / 80  # 5 min
    swt = 0.5 * 60 / 6  # 5 min
    awt = swt + 2.0  # bus reliability
    tat = walk + awt  # 12 min
    edf = 30 / tat  # 2.5
    assert row["ai"] == pytest.approx(edf) and row["ai"] == pytest.approx(2.5)
    assert row["band"] == "1a" and row["saps"] == 1


def test_two_routes_at_one_stop_weigh_the_other_half(tmp_path):
    t1, s1 = every(10, "B1", "S", "END")  # f = 6
    t2, s2 = every(5, "B2", "S", "END")  # f = 12
    folder = write_feed(tmp_path / "f", [("S", 400, 0), ("END", 5000, 0)],
                        [("B1", 3), ("B2", 3)], t1 + t2, s1 + s2)  # fmt: skip
    row, _ = one_point_ptal(folder)
    edf1 = 30 / (5 + 5 + 2)  # 2.5
    edf2 = 30 / (5 + 2.5 + 2)  # 3.158
    assert row["ai"] == pytest.approx(max(edf1, edf2) + 0.5 * min(edf1, edf2))
    assert row["ai"] == pytest.approx(4.4079, abs=1e-4) and row["band"] == "1b"


def test_beyond_the_catchment_counts_nothing_and_rail_reaches_further(tmp_path):
    t1, s1 = every(10, "B1", "BUS", "END")
    t2, s2 = every(10, "R1", "RAIL", "END")
    folder = write_feed(tmp_path / "f", [("BUS", 700, 0), ("RAIL", 0, 900), ("END", 9000, 0)],
                        [("B1", 3), ("R1", 2)], t1 + t2, s1 + s2)  # fmt: skip
    row, _ = one_point_ptal(folder)
    # the bus stop at 700 m is beyond 640 m; the station at 900 m is within 960 m
    rail = 30 / (900 / 80 + 5 + 0.75)
    assert row["ai_bus"] == 0 and row["ai_rail"] == pytest.approx(rail)
    far, _ = one_point_ptal(folder, point=(0.0, -2000.0))
    assert far["ai"] == 0 and far["band"] == "0" and far["saps"] == 0


def test_bus_and_rail_reliability(tmp_path):
    t1, s1 = every(10, "B1", "BUS", "END")
    t2, s2 = every(10, "T1", "TRAM", "END")
    folder = write_feed(tmp_path / "f", [("BUS", 400, 0), ("TRAM", -400, 0), ("END", 9000, 0)],
                        [("B1", 3), ("T1", 0)], t1 + t2, s1 + s2)  # fmt: skip
    row, _ = one_point_ptal(folder)
    assert row["ai_bus"] == pytest.approx(30 / (5 + 5 + 2.0))
    assert row["ai_tram"] == pytest.approx(30 / (5 + 5 + 0.75))  # modes add up, no 0.5
    assert row["ai"] == pytest.approx(row["ai_bus"] + row["ai_tram"])


def test_a_station_with_two_platforms_is_one_access_point(tmp_path):
    t1, s1 = every(10, "R1", "P1", "END")
    t2, s2 = every(10, "R2", "P2", "END")
    stops = [("STA", 300, 0, "", 1), ("P1", 300, 0, "STA"), ("P2", 310, 0, "STA"), ("END", 9000, 0)]
    folder = write_feed(tmp_path / "f", stops, [("R1", 1), ("R2", 1)], t1 + t2, s1 + s2)
    row, frequency = one_point_ptal(folder)
    assert set(frequency["sap_id"]) == {"STA"} and row["saps"] == 1
    edf = 30 / (300 / 80 + 5 + 0.75)
    assert row["ai"] == pytest.approx(edf * 1.5)


def test_most_frequent_direction_and_nearest_stop_only(tmp_path):
    out, s_out = every(10, "B1", "NEAR", "END", direction=0)  # f = 6 outbound
    back, s_back = every(5, "B1", "NEAR", "END", direction=1)  # f = 12 inbound
    far, s_far = every(5, "B1", "FAR", "END", direction=0)
    far = [(r, s, t + "f", d) for r, s, t, d in far]
    s_far = [(t + "f", time, stop, q) for t, time, stop, q in s_far]
    folder = write_feed(tmp_path / "f", [("NEAR", 200, 0), ("FAR", 500, 0), ("END", 9000, 0)],
                        [("B1", 3)], out + back + far, s_out + s_back + s_far)  # fmt: skip
    row, _ = one_point_ptal(folder)
    # the route counts once, at its nearest stop (200 m), in its busiest direction (12/h)
    assert row["ai"] == pytest.approx(30 / (200 / 80 + 2.5 + 2.0))


# ------------------------------------------------------------------ calendars and times
def test_calendar_dates_remove_and_add(tmp_path):
    trips, times = every(10, "B1", "S", "END")
    extra, extra_times = every(10, "B2", "S", "END", service="EXTRA")
    folder = write_feed(tmp_path / "f", [("S", 400, 0), ("END", 5000, 0)], [("B1", 3), ("B2", 3)],
                        trips + extra, times + extra_times,
                        calendar_dates=[("WK", "20260714", 2), ("EXTRA", "20260714", 1)])  # fmt: skip
    feed = read_gtfs(folder)
    assert active_services(feed, dt.date(2026, 7, 14)) == {"EXTRA"}
    assert active_services(feed, dt.date(2026, 7, 15)) == {"WK"}
    assert active_services(feed, dt.date(2026, 7, 18)) == set()  # a Saturday
    assert set(departures(feed, dt.date(2026, 7, 14))["route_id"]) == {"B2"}


def test_frequencies_are_expanded(tmp_path):
    stops = [("S", 400, 0), ("END", 5000, 0)]
    trips = [("B1", "WK", "TPL", 0)]
    times = [("TPL", "08:00:00", "S", 1), ("TPL", "08:07:00", "END", 2)]
    folder = write_feed(tmp_path / "f", stops, [("B1", 3)], trips, times,
                        frequencies=[("TPL", "08:00:00", "10:00:00", 600)])  # fmt: skip
    deps = departures(read_gtfs(folder), DAY)
    assert len(deps) == 12  # 08:00, 08:10 … 09:50 at S; none at the last stop
    assert deps["departure"].min() == 8 * 3600 and deps["departure"].max() == 9 * 3600 + 50 * 60
    row, _ = one_point_ptal(folder)
    assert row["ai"] == pytest.approx(2.5)  # 6 in the window, as by hand above


def test_a_trip_after_midnight(tmp_path):
    trips = [("N1", "WK", "NIGHT", 0)]
    times = [("NIGHT", "25:10:00", "S", 1), ("NIGHT", "25:30:00", "END", 2)]
    folder = write_feed(
        tmp_path / "f", [("S", 400, 0), ("END", 5000, 0)], [("N1", 3)], trips, times
    )
    deps = departures(read_gtfs(folder), DAY)
    assert deps["departure"].tolist() == [25 * 3600 + 10 * 60]  # on the service day of the 10th
    params = PtalParameters(window=parse_window("25:00-26:00"))
    row, _ = one_point_ptal(folder, params=params)
    assert row["ai"] == pytest.approx(30 / (5 + 30 + 2))


def test_typical_weekday_skips_a_quieter_day(tmp_path):
    trips, times = every(10, "B1", "S", "END")
    folder = write_feed(tmp_path / "f", [("S", 400, 0), ("END", 5000, 0)], [("B1", 3)], trips, times,
                        calendar_dates=[("WK", "20260101", 2), ("WK", "20260102", 2)])  # fmt: skip
    assert typical_weekday(read_gtfs(folder)) == dt.date(2026, 1, 5)  # first full Monday


def test_bands():
    values = [0, 0.01, 2.5, 2.51, 5, 5.01, 10, 15, 20, 25, 25.01, 40, 40.01]
    assert list(band(np.array(values))) == ["0", "1a", "1a", "1b", "1b", "2", "2", "3", "4", "5",
                                             "6a", "6a", "6b"]  # fmt: skip


# ------------------------------------------------------------------ bad feeds
@pytest.mark.parametrize(
    "change, file, row, column, value",
    [
        (("stop_times.txt", "08:00:00", "8h00"), "stop_times.txt", 2, "arrival_time", "8h00"),
        (("routes.txt", ",3\n", ",3x\n"), "routes.txt", 2, "route_type", "3x"),
        (("stop_times.txt", ",END,2", ",NOWHERE,2"), "stop_times.txt", 3, "stop_id", "NOWHERE"),
    ],
)
def test_bad_feeds_name_file_row_field(tmp_path, change, file, row, column, value):
    trips, times = every(60, "B1", "S", "END")
    folder = write_feed(
        tmp_path / "f", [("S", 400, 0), ("END", 5000, 0)], [("B1", 3)], trips, times
    )
    name, old, new = change
    text = (folder / name).read_text(encoding="utf-8")
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_gtfs(folder)
    problem = error.value.problems[0]
    assert file in problem.file and problem.column == column and problem.value == value
    assert problem.row == row  # the line in the file, header = 1


def test_zip_feed_and_missing_file(tmp_path):
    trips, times = every(10, "B1", "S", "END")
    folder = write_feed(
        tmp_path / "f", [("S", 400, 0), ("END", 5000, 0)], [("B1", 3)], trips, times
    )
    archive = tmp_path / "feed.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for file in folder.iterdir():
            z.write(file, f"gtfs/{file.name}")
    assert len(read_gtfs(archive).stop_times) == len(read_gtfs(folder).stop_times)
    (folder / "trips.txt").unlink()
    with pytest.raises(InputError, match="missing GTFS file"):
        read_gtfs(folder)


# ------------------------------------------------------------------ grid and areas
def test_grid_over_areas_by_hand(tmp_path):
    trips, times = every(10, "B1", "S", "END")
    folder = write_feed(tmp_path / "f", [("S", 0, 0), ("END", 50000, 0)], [("B1", 3)], trips, times)
    x0, y0 = ORIGIN
    zones = pd.DataFrame(
        {"code": ["IN", "OUT"],
         "geometry": [box(x0 - 100, y0 - 100, x0 + 100, y0 + 100), box(x0 + 900, y0 - 100, x0 + 1100, y0 + 100)]}
    )  # fmt: skip
    areas = areas_from_frame(zones, "zones", id_field="code", crs="EPSG:2154")
    result = transit_access(read_gtfs(folder), areas, date=DAY)
    table = result.areas.set_index("area_id")
    # 4 grid points at ±50 m from the stop: walk √(50²+50²)/80 min; SWT 5, bus 2
    expected = 30 / (np.hypot(50, 50) / 80 + 5 + 2)
    assert table.loc["IN", "grid_points"] == 4
    assert table.loc["IN", "ai_mean"] == pytest.approx(expected, abs=1e-3)
    assert table.loc["OUT", "ai_mean"] == 0 and table.loc["OUT", "share_band_0"] == 1
    assert table.loc["IN", "nearest_stop_m_mean"] == pytest.approx(np.hypot(50, 50), abs=0.1)
    assert table.loc["IN", "departures_400m_mean"] == 6
    # areas in degrees are measured in metres in their UTM zone, and given back in degrees
    # (they were refused before; tests/unit/test_ptal_modes.py checks the figures)
    import shapely

    lonlat = shapely.transform(zones["geometry"].to_numpy(), lambda xy: np.column_stack(
        TO_WGS84.transform(xy[:, 0], xy[:, 1])))  # fmt: skip
    degrees = transit_access(read_gtfs(folder), areas_from_frame(zones.assign(geometry=lonlat),
                             "z", id_field="code", crs="EPSG:4326"), date=DAY)  # fmt: skip
    assert degrees.crs == "EPSG:4326" and degrees.summary.distance_crs == "EPSG:32631"
    assert degrees.grid["x"].between(2, 3).all() and degrees.grid["y"].between(48, 49).all()


def test_sample_gtfs_end_to_end(tmp_path, capsys):
    out = tmp_path / "ptal.gpkg"
    code = main(["transit", "ptal", str(ROOT / "sample_data" / "gtfs"), "--areas",
                 str(ROOT / "sample_data" / "quartier.gpkg"), "--areas-layer", "iris",
                 "--date", "2026-03-10", "-o", str(out), "--json"])  # fmt: skip
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["service_date"] == "2026-03-10" and summary["routes"] == 3
    layers = {str(n) for n, _ in pyogrio.list_layers(out)}
    assert layers == {"ptal_grid", "ptal_areas", "ptal_summary", "layer_styles"}  # QGIS styles
    grid = pyogrio.read_dataframe(out, layer="ptal_grid")
    assert set(grid["band"]) <= {"0", "1a", "1b", "2", "3", "4", "5", "6a", "6b"}
    assert (grid["ai"] >= 0).all() and grid.crs.to_epsg() == 2154
    areas = pyogrio.read_dataframe(out, layer="ptal_areas")
    shares = areas[[c for c in areas.columns if c.startswith("share_band_")]].sum(axis=1)
    assert np.allclose(shares, 1.0, atol=1e-3)
    # the station's area has better access than the outskirts
    table = areas.set_index("area_id")
    assert table.loc["991230101", "ai_mean"] > table.loc["991230204", "ai_mean"]
    # a Sunday: only the weekend service runs
    assert main(["transit", "ptal", str(ROOT / "sample_data" / "gtfs"), "--areas",
                 str(ROOT / "sample_data" / "quartier.gpkg"), "--areas-layer", "iris",
                 "--date", "2026-03-15", "-o", str(tmp_path / "sunday.gpkg"), "--json"]) == 0  # fmt: skip
    sunday = json.loads(capsys.readouterr().out)
    assert sunday["departures_in_window"] < summary["departures_in_window"]


# ------------------------------------------------------------------ streets and population
def test_walking_along_streets(tmp_path):
    from shapely.geometry import LineString

    from qet_geo.transit.network import StreetNetwork
    from qet_geo.transit.ptal import access_points, ptal_at

    trips, times = every(10, "B1", "S", "END")
    folder = write_feed(
        tmp_path / "f", [("S", 0, 300), ("END", 5000, 0)], [("B1", 3)], trips, times
    )
    feed = read_gtfs(folder)
    params = PtalParameters()
    saps, frequency = access_points(feed.stops, departures(feed, DAY), params)
    to_l93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    x, y = to_l93.transform(saps["stop_lon"].to_numpy(), saps["stop_lat"].to_numpy())
    saps_xy = np.column_stack([np.asarray(x) - X_ORIGIN, np.asarray(y) - Y_ORIGIN])
    point = np.array([[0.0, 0.0]])
    # a detour: east 400 m, north 300 m, west 400 m — 1,100 m, beyond the bus catchment
    detour = StreetNetwork.from_lines([LineString([(0, 0), (400, 0), (400, 300), (0, 300)])])
    assert ptal_at(point, saps_xy, saps, frequency, params, network=detour).iloc[0]["ai"] == 0
    straight = ptal_at(point, saps_xy, saps, frequency, params).iloc[0]["ai"]
    assert straight == pytest.approx(30 / (300 / 80 + 5 + 2))
    # a direct street: the same as the straight line; two lines sharing a vertex connect
    direct = StreetNetwork.from_lines(
        [LineString([(0, 0), (0, 150)]), LineString([(0, 150), (0, 300)])]
    )
    assert ptal_at(point, saps_xy, saps, frequency, params, network=direct).iloc[0][
        "ai"
    ] == pytest.approx(straight, abs=1e-6)
    # a point 30 m off the street walks those 30 m too
    off = ptal_at(np.array([[30.0, 0.0]]), saps_xy, saps, frequency, params, network=direct).iloc[
        0
    ]["ai"]
    assert off == pytest.approx(30 / ((30 + 300) / 80 + 5 + 2))


def test_population_weighted_mean(tmp_path):
    trips, times = every(10, "B1", "S", "END")
    folder = write_feed(tmp_path / "f", [("S", 0, 0), ("END", 50000, 0)], [("B1", 3)], trips, times)
    x0, y0 = ORIGIN
    zones = pd.DataFrame(
        {"code": ["IN"], "geometry": [box(x0 - 600, y0 - 600, x0 + 600, y0 + 600)]}
    )
    areas = areas_from_frame(zones, "zones", id_field="code", crs="EPSG:2154")
    population = (np.array([[x0 + 80, y0], [x0 + 500, y0 + 500]]), np.array([99.0, 1.0]))
    result = transit_access(read_gtfs(folder), areas, date=DAY, population=population)
    row = result.areas.iloc[0]
    near = 30 / (80 / 80 + 5 + 2)
    far = 0.0  # 707 m: beyond the bus catchment
    assert row["population"] == 100
    assert row["ai_mean_population"] == pytest.approx((99 * near + 1 * far) / 100, abs=1e-3)
    assert row["ai_mean_population"] > row["ai_mean"]  # people live nearer the stop than the grid


def test_command_line_with_streets_and_population(tmp_path, capsys):
    import geopandas as gpd
    import shapely

    iris = gpd.read_file(ROOT / "sample_data" / "quartier.gpkg", layer="iris")
    x0, y0, x1, y1 = iris.total_bounds
    lines = [shapely.LineString([(x, y0), (x, y1)]) for x in np.arange(x0, x1, 150)]
    lines += [shapely.LineString([(x0, y), (x1, y)]) for y in np.arange(y0, y1, 150)]
    streets = shapely.get_parts(shapely.union_all(lines))  # noded at the crossings
    gpd.GeoDataFrame(geometry=streets, crs=iris.crs).to_crs(4326).to_file(tmp_path / "streets.gpkg")
    squares = [
        box(x, y, x + 200, y + 200) for x in np.arange(x0, x1, 200) for y in np.arange(y0, y1, 200)
    ]
    gpd.GeoDataFrame({"pop": np.full(len(squares), 10)}, geometry=squares, crs=iris.crs).to_file(
        tmp_path / "pop.gpkg"
    )
    base = ["transit", "ptal", str(ROOT / "sample_data" / "gtfs"), "--areas", str(ROOT / "sample_data" / "quartier.gpkg"),
            "--areas-layer", "iris", "--date", "2026-03-10", "--json"]  # fmt: skip
    assert main([*base, "-o", str(tmp_path / "a.gpkg")]) == 0
    straight = json.loads(capsys.readouterr().out)
    assert main([*base, "--streets", str(tmp_path / "streets.gpkg"), "--population", str(tmp_path / "pop.gpkg"),
                 "--population-field", "pop", "-o", str(tmp_path / "b.gpkg")]) == 0  # fmt: skip
    network = json.loads(capsys.readouterr().out)
    assert network["walking"] == "street network" and network["population_weighted"]
    for a, b in zip(straight["areas_table"], network["areas_table"], strict=True):
        assert b["ai_mean"] <= a["ai_mean"] + 1e-9  # a street walk is never shorter
        assert b["ai_mean_population"] is not None
