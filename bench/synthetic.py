"""Generated GTFS feeds over a real territory, for the benchmarks and tests of regional and
national runs: several operators whose feeds reuse the same ids (as French feeds do: "1",
"A", "S1"…), bus, tram, metro and rail routes along straight-ish lines of stops, trips every
few minutes in both directions from 05:00 to past midnight, written as zips.

    from synthetic import region_feeds
    region_feeds(folder, bounds_l93, feeds=4, stop_times=5_000_000)
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

#: route_type, share of routes, stop spacing (m), headway in the peak (min)
MODES = [(3, 0.80, 350.0, 8), (0, 0.08, 500.0, 6), (1, 0.06, 700.0, 4), (2, 0.06, 2500.0, 15)]


def _zip(path: Path, files: dict[str, str]) -> None:
    tmp = path.with_suffix(".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in files.items():
            z.writestr(name, text)
    tmp.replace(path)


def _clock(seconds: np.ndarray) -> np.ndarray:
    s = seconds.astype(np.int64)
    h, m, sec = s // 3600, (s // 60) % 60, s % 60
    return np.char.add(
        np.char.add(np.char.add(np.char.zfill(h.astype(str), 2), ":"),
                    np.char.add(np.char.zfill(m.astype(str), 2), ":")),
        np.char.zfill(sec.astype(str), 2),
    )  # fmt: skip


def one_feed(path: Path, bounds, stop_times: int, seed: int, crs: str = "EPSG:2154",
             centres=None, hours=(5.0, 24.0)) -> dict:  # fmt: skip
    """A zipped feed of about ``stop_times`` stop times over ``bounds`` (xmin, ymin, xmax,
    ymax in ``crs``, metres): routes start near ``centres`` (x/y, e.g. the areas' own
    points, so that stops follow where people live) or anywhere in the bounds; trips from
    ``hours[0]`` to ``hours[1]`` (a test may keep only the morning peak)."""
    from pyproj import Transformer

    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = bounds
    to_wgs84 = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    stops_x, stops_y, route_rows, patterns = [], [], [], []
    per_pair = 0
    n_routes = 0
    while per_pair < stop_times:
        kind = rng.choice(len(MODES), p=[m[1] for m in MODES])
        route_type, _, spacing, headway = MODES[kind]
        length = int(rng.integers(12, 40))
        if centres is not None and len(centres):
            sx, sy = centres[int(rng.integers(len(centres)))]
        else:
            sx, sy = rng.uniform(x0, x1), rng.uniform(y0, y1)
        angle = rng.uniform(0, 2 * np.pi)
        turns = np.cumsum(rng.normal(0, 0.15, length))
        steps = spacing * rng.uniform(0.7, 1.3, length)
        xs = sx + np.cumsum(steps * np.cos(angle + turns))
        ys = sy + np.cumsum(steps * np.sin(angle + turns))
        first = len(stops_x)
        stops_x.extend(xs.tolist())
        stops_y.extend(ys.tolist())
        route_rows.append((n_routes, route_type, headway))
        patterns.append(np.arange(first, first + length))
        n_routes += 1
        # trips of one route over the day: both directions, headway × 1 in the peaks, × 2 off
        trips_per_direction = int((hours[1] - hours[0]) * 60 / headway * 0.75) + 1
        per_pair += 2 * trips_per_direction * length
    stop_id = np.array([f"S{i}" for i in range(len(stops_x))])
    lon, lat = to_wgs84.transform(np.array(stops_x), np.array(stops_y))
    stops = pd.DataFrame({"stop_id": stop_id, "stop_name": stop_id, "stop_lat": np.round(lat, 6),
                          "stop_lon": np.round(lon, 6)})  # fmt: skip
    routes = pd.DataFrame({"route_id": [f"{r}" for r, _, _ in route_rows],
                           "route_short_name": [f"{r}" for r, _, _ in route_rows],
                           "route_type": [t for _, t, _ in route_rows]})  # fmt: skip
    trip_parts, st_parts = [], []
    for (r, _route_type, headway), pattern in zip(route_rows, patterns, strict=True):
        starts = []
        t = hours[0] * 3600.0
        while t < hours[1] * 3600:
            peak = 7 * 3600 <= t < 10 * 3600 or 16 * 3600 <= t < 19.5 * 3600
            starts.append(t)
            t += 60 * headway * (1 if peak else 2)
        starts = np.array(starts)
        hop = rng.uniform(60, 150, len(pattern) - 1)
        offsets = np.concatenate([[0.0], np.cumsum(hop)])
        for direction in (0, 1):
            seq = pattern if direction == 0 else pattern[::-1]
            ids = np.array([f"{r}-{direction}-{k}" for k in range(len(starts))])
            trip_parts.append(pd.DataFrame({"route_id": f"{r}", "service_id": "WK",
                                            "trip_id": ids, "direction_id": direction}))  # fmt: skip
            times = (starts[:, None] + offsets[None, :]).ravel()
            st_parts.append(pd.DataFrame({
                "trip_id": np.repeat(ids, len(seq)),
                "time": times,
                "stop_id": np.tile(stop_id[seq], len(starts)),
                "stop_sequence": np.tile(np.arange(1, len(seq) + 1), len(starts)),
            }))  # fmt: skip
    trips = pd.concat(trip_parts, ignore_index=True)
    st = pd.concat(st_parts, ignore_index=True)
    clock = _clock(st["time"].to_numpy())
    st = pd.DataFrame({"trip_id": st["trip_id"], "arrival_time": clock, "departure_time": clock,
                       "stop_id": st["stop_id"], "stop_sequence": st["stop_sequence"]})  # fmt: skip
    files = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Operator,https://example.org,Europe/Paris\n",
        "stops.txt": stops.to_csv(index=False),
        "routes.txt": routes.to_csv(index=False),
        "trips.txt": trips.to_csv(index=False),
        "stop_times.txt": st.to_csv(index=False),
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        "start_date,end_date\nWK,1,1,1,1,1,0,0,20260105,20261218\n",
    }
    _zip(path, files)
    return {"feed": path.name, "stops": len(stops), "routes": len(routes), "trips": len(trips),
            "stop_times": len(st)}  # fmt: skip


def region_feeds(folder: Path, bounds, *, feeds: int = 4, stop_times: int = 1_000_000,
                 seed: int = 17, centres=None, hours=(5.0, 24.0)) -> list[dict]:  # fmt: skip
    """``feeds`` zipped feeds in ``folder`` sharing their ids, ``stop_times`` in all."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [one_feed(folder / f"operator{k + 1}.zip", bounds, stop_times // feeds, seed + k,
                     centres=centres, hours=hours) for k in range(feeds)]  # fmt: skip
