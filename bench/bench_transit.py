"""Benchmark of transit access (qet_geo.transit) on a generated feed of ~1,000,000
stop_times over 100 km², and of the per-stop frequency step against gtfs-kit.

Prints JSON lines: reading the feed, the departures of the service day, PTAL on a 100 m
grid over 10 km × 10 km (10,000 points), and per-stop departures in the window by qet-geo
and by ``gtfs_kit.compute_stop_stats`` on the same feed and day (when gtfs-kit is
installed: ``pip install gtfs-kit``; it is not a dependency of qet-geo).

    .venv/bin/python bench/bench_transit.py [--stop-times 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ORIGIN = (650000.0, 6860000.0)  # Lambert-93
SIDE = 10000.0  # m


def make_feed(folder: Path, target: int, seed: int = 1) -> None:
    from pyproj import Transformer

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n_stops = 1200
    xs = ORIGIN[0] + rng.random(n_stops) * SIDE
    ys = ORIGIN[1] + rng.random(n_stops) * SIDE
    lon, lat = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True).transform(xs, ys)
    pd.DataFrame({"stop_id": [f"S{i}" for i in range(n_stops)], "stop_name": "stop",
                  "stop_lat": np.round(lat, 7), "stop_lon": np.round(lon, 7)}).to_csv(folder / "stops.txt", index=False)  # fmt: skip
    n_routes = 100
    stops_per_route = 30
    route_types = rng.choice([3, 3, 3, 0, 1, 2, 700, 900], n_routes)
    pd.DataFrame({"route_id": [f"R{i}" for i in range(n_routes)], "route_short_name": [str(i) for i in range(n_routes)],
                  "route_type": route_types}).to_csv(folder / "routes.txt", index=False)  # fmt: skip
    per_trip = stops_per_route
    trips_needed = target // per_trip
    trips_per_route_dir = max(1, trips_needed // (n_routes * 2))
    headway = (24 - 5) * 3600 / trips_per_route_dir
    trip_rows, st_trip, st_time, st_stop, st_seq = [], [], [], [], []
    for r in range(n_routes):
        path = rng.choice(n_stops, stops_per_route, replace=False)
        for direction in (0, 1):
            order = path if direction == 0 else path[::-1]
            for k in range(trips_per_route_dir):
                trip = f"R{r}-{direction}-{k}"
                trip_rows.append((f"R{r}", "WK", trip, direction))
                start = 5 * 3600 + k * headway + rng.random() * 60
                times = start + np.arange(per_trip) * 90
                st_trip.extend([trip] * per_trip)
                st_time.extend(times)
                st_stop.extend(order)
                st_seq.extend(range(1, per_trip + 1))
    pd.DataFrame(trip_rows, columns=["route_id", "service_id", "trip_id", "direction_id"]).to_csv(
        folder / "trips.txt", index=False
    )
    seconds = np.asarray(st_time).astype(int)
    text = pd.Series([f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}" for s in seconds])
    pd.DataFrame({"trip_id": st_trip, "arrival_time": text, "departure_time": text,
                  "stop_id": [f"S{i}" for i in st_stop], "stop_sequence": st_seq}).to_csv(folder / "stop_times.txt", index=False)  # fmt: skip
    (folder / "calendar.txt").write_text(
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "WK,1,1,1,1,1,0,0,20260101,20261231\n"
    )
    (folder / "agency.txt").write_text(
        "agency_id,agency_name,agency_url,agency_timezone\nA,bench,https://example.org,Europe/Paris\n"
    )


def timed(label, function, **extra):
    t0 = time.perf_counter()
    result = function()
    print(
        json.dumps({"case": label, "seconds": round(time.perf_counter() - t0, 2), **extra}),
        flush=True,
    )
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stop-times", type=int, default=1_000_000)
    ap.add_argument("--folder", default="/tmp/qet_geo_bench_gtfs")
    args = ap.parse_args(argv)
    folder = Path(args.folder)
    make_feed(folder, args.stop_times)
    from shapely.geometry import box

    from qet_geo.areas import areas_from_frame
    from qet_geo.transit import PtalParameters, departures, read_gtfs, transit_access

    day = dt.date(2026, 3, 10)
    feed = timed("read_gtfs", lambda: read_gtfs(folder))
    print(
        json.dumps(
            {"stop_times": len(feed.stop_times), "stops": len(feed.stops), "trips": len(feed.trips)}
        )
    )
    zone = pd.DataFrame(
        {"code": ["Z"], "geometry": [box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + SIDE, ORIGIN[1] + SIDE)]}
    )
    areas = areas_from_frame(zone, "zone", id_field="code", crs="EPSG:2154")
    t0 = time.perf_counter()
    feed = read_gtfs(folder)
    result = transit_access(feed, areas, date=day)
    print(json.dumps({"case": "read + PTAL on a 100 m grid over 100 km² (whole job)",
                      "seconds": round(time.perf_counter() - t0, 2),
                      "grid_points": result.summary.grid_points}), flush=True)  # fmt: skip
    params = PtalParameters()
    start, end = params.window

    def ours():
        deps = departures(feed, day)
        inside = deps[(deps["departure"] >= start) & (deps["departure"] < end)]
        return inside.groupby("stop_id").size()

    mine = timed("qet-geo per-stop departures in the window", ours)
    try:
        import gtfs_kit as gk
    except ImportError:
        print(json.dumps({"gtfs_kit": "not installed"}))
        return
    kit_feed = gk.read_feed(folder, dist_units="km")

    def theirs():
        return gk.compute_stop_stats(kit_feed, [day.strftime("%Y%m%d")], headway_start_time="08:15:00",
                                     headway_end_time="09:15:00")  # fmt: skip

    t0 = time.perf_counter()
    kit = theirs()
    kit_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours()
    our_seconds = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "case": "gtfs_kit.compute_stop_stats (whole day, per stop)",
                "seconds": round(kit_seconds, 2),
            }
        )
    )
    print(json.dumps({"ratio_gtfs_kit_over_qet_geo": round(kit_seconds / our_seconds, 1),
                      "stops_compared": int(len(mine)), "gtfs_kit_stops": int(len(kit))}))  # fmt: skip


if __name__ == "__main__":
    main()
