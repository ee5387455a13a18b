"""Benchmark of GTFS reading (qet_geo.transit.read_gtfs) per stop_times row, on a generated
feed shaped like New York City's subway (about 500 stations with their two platforms,
25 routes, trips up to 1,000,000 stop_times, times past 24:00:00, one-digit hours and
blank times at stops that are not timepoints), and of PTAL on the real STAR (Rennes) feed
of ``../shared/data/gtfs/rennes-star-2012-05.zip``.

"before" is the reading of qet-geo before issue 12 (pandas' CSV parser, time parsing by a
regular expression per value), kept below as ``before_read_stop_times`` so that the two
can be timed on the same file; "after" is ``read_gtfs`` as it is.  Prints JSON lines.

    .venv/bin/python bench/bench_gtfs_read.py [--stop-times 1000000] [--no-rennes]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")  # fmt: skip
RENNES = SHARED / "data" / "gtfs" / "rennes-star-2012-05.zip"


def make_nyc_like_feed(path: Path, target: int, seed: int = 12) -> dict:
    """A zipped feed shaped like the NYC subway's: 496 stations (location_type 1), each with
    a north and a south platform, 25 routes of 20–60 stations, trips every few minutes
    from 04:00 to 27:00 (past midnight) in both directions until ``target`` stop_times."""
    rng = np.random.default_rng(seed)
    n_stations, n_routes = 496, 25
    lat = 40.55 + rng.random(n_stations) * 0.35
    lon = -74.05 + rng.random(n_stations) * 0.30
    ids = [f"{100 + i}" for i in range(n_stations)]
    stop_rows = ["stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station"]
    for i, sid in enumerate(ids):
        stop_rows.append(f"{sid},Station {i},{lat[i]:.6f},{lon[i]:.6f},1,")
        for side in "NS":
            stop_rows.append(f"{sid}{side},Station {i},{lat[i]:.6f},{lon[i]:.6f},0,{sid}")
    routes = [f"R{r}" for r in range(n_routes)]
    paths = [rng.choice(n_stations, int(rng.integers(20, 61)), replace=False) for _ in routes]
    stops_per_pair = sum(2 * len(p) for p in paths)
    rounds = max(1, int(np.ceil(target / stops_per_pair)))
    trip_lines = ["route_id,trip_id,service_id,direction_id"]
    st = io.StringIO()
    st.write("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
    written = 0
    span = 23 * 3600  # 04:00 to 27:00
    for k in range(rounds):
        for r, stations in enumerate(paths):
            for direction in (0, 1):
                if written >= target:
                    break
                order = stations if direction == 0 else stations[::-1]
                side = "N" if direction == 0 else "S"
                trip = f"{routes[r]}_{k}_{direction}"
                trip_lines.append(f"{routes[r]},{trip},WKD,{direction}")
                start = 4 * 3600 + (k * span) // rounds + int(rng.integers(0, 60))
                times = start + np.cumsum(rng.integers(60, 150, len(order)))
                n = min(len(order), target - written)
                for seq in range(n):
                    t = int(times[seq])
                    text = f"{t // 3600:02d}:{t % 3600 // 60:02d}:{t % 60:02d}"
                    if t < 10 * 3600 and seq % 3 == 0:
                        text = text[1:]  # "H:MM:SS", as some feeds write
                    if 0 < seq < n - 1 and seq % 7 == 0:
                        text = ""  # not a timepoint
                    st.write(f"{trip},{text},{text},{ids[order[seq]]}{side},{seq + 1}\n")
                written += n
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\n"
                   "MTA,MTA New York City Transit,https://new.mta.info,America/New_York\n")  # fmt: skip
        z.writestr("stops.txt", "\n".join(stop_rows) + "\n")
        z.writestr("routes.txt", "route_id,route_short_name,route_type\n"
                   + "".join(f"{r},{r[1:]},1\n" for r in routes))  # fmt: skip
        z.writestr("trips.txt", "\n".join(trip_lines) + "\n")
        z.writestr("stop_times.txt", st.getvalue())
        z.writestr("calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,"
                   "saturday,sunday,start_date,end_date\nWKD,1,1,1,1,1,0,0,20260101,20261231\n")  # fmt: skip
    return {"stations": n_stations, "routes": n_routes, "trips": len(trip_lines) - 1,
            "stop_times": written}  # fmt: skip


def before_read_stop_times(path: Path) -> pd.DataFrame:
    """stop_times.txt as qet-geo read it before issue 12 (qet_geo/transit/gtfs.py at
    a830b9e): pandas' parser, then a regular expression per time value."""
    with zipfile.ZipFile(path) as z:
        raw = z.read("stop_times.txt")
    st = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False,
                     skipinitialspace=True)  # fmt: skip
    st.columns = [c.strip() for c in st.columns]

    def parse_time(text):
        stripped = text.str.strip()
        parts = stripped.str.extract(r"^(\d{1,3}):([0-5]\d):([0-5]\d)$")
        seconds = (parts[0].astype(float) * 3600 + parts[1].astype(float) * 60
                   + parts[2].astype(float))  # fmt: skip
        assert not (seconds.isna() & stripped.ne("")).any()
        return seconds.to_numpy(dtype=float)

    departure = parse_time(st["departure_time"])
    arrival = parse_time(st["arrival_time"])
    departure = np.where(np.isnan(departure), arrival, departure)
    sequence = pd.to_numeric(st["stop_sequence"].str.strip(), errors="coerce")
    return pd.DataFrame({"trip_id": st["trip_id"].str.strip().to_numpy(),
                         "stop_id": st["stop_id"].str.strip().to_numpy(),
                         "stop_sequence": sequence.astype(np.int64).to_numpy(),
                         "departure": departure})  # fmt: skip


def timed(function, repeat: int = 3) -> tuple[float, float, object]:
    """(best wall seconds, CPU seconds of that run, result): CPU time holds better than wall
    time on a loaded machine."""
    best, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = function()
        wall = time.perf_counter() - t0
        if wall < best:
            best, cpu = wall, time.process_time() - c0
    return best, cpu, result


def _line(case: str, wall: float, cpu: float, rows: int, **extra) -> None:
    print(json.dumps({"case": case, "seconds": round(wall, 3), "cpu_seconds": round(cpu, 3),
                      "microseconds_per_stop_times_row": round(wall / rows * 1e6, 3),
                      "cpu_microseconds_per_stop_times_row": round(cpu / rows * 1e6, 3),
                      **extra}, ensure_ascii=False), flush=True)  # fmt: skip


def before_tree(tree: str, feed: Path, repeat: int) -> None:
    """read_gtfs of another checkout (e.g. ``git archive a830b9e | tar -x -C DIR``), timed
    in a subprocess so that its qet_geo is the one imported."""
    import subprocess

    code = (
        "import sys, time, json; sys.path.insert(0, sys.argv[1]);"
        "from qet_geo.transit import read_gtfs; best = (9e9, 0)\n"
        "for _ in range(int(sys.argv[3])):\n"
        "    t0, c0 = time.perf_counter(), time.process_time(); f = read_gtfs(sys.argv[2])\n"
        "    best = min(best, (time.perf_counter() - t0, time.process_time() - c0))\n"
        "print(json.dumps([best[0], best[1], len(f.stop_times)]))"
    )
    out = subprocess.run([sys.executable, "-c", code, tree, str(feed), str(repeat)],
                         capture_output=True, text=True, check=True, cwd=tree)  # fmt: skip
    wall, cpu, rows = json.loads(out.stdout)
    _line(f"before: read_gtfs, whole feed ({tree})", wall, cpu, rows)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stop-times", type=int, default=1_000_000)
    ap.add_argument("--feed", default="/tmp/qet_geo_bench_nyc_like.zip")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-rennes", action="store_true")
    ap.add_argument("--before-tree", help="a checkout of qet-geo before (e.g. at a830b9e)")
    args = ap.parse_args(argv)
    from qet_geo.transit import read_gtfs
    from qet_geo.transit.gtfs import _Files

    path = Path(args.feed)
    shape = make_nyc_like_feed(path, args.stop_times)
    print(json.dumps({"feed": "generated, NYC-subway-shaped", **shape}), flush=True)
    rows = shape["stop_times"]
    before, before_cpu, old = timed(lambda: before_read_stop_times(path), args.repeat)
    after, after_cpu, _ = timed(lambda: _stop_times_only(path, _Files), args.repeat)
    whole, whole_cpu, feed = timed(lambda: read_gtfs(path), args.repeat)
    assert len(feed.stop_times) == len(old) == rows
    # the same times where the file gives one; blanks (not timepoints) now interpolated
    given = np.isfinite(old["departure"].to_numpy())
    same = np.array_equal(feed.stop_times["departure"].to_numpy()[given],
                          old["departure"].to_numpy()[given])  # fmt: skip
    interpolated = int((~given & np.isfinite(feed.stop_times["departure"].to_numpy())).sum())
    _line("before: stop_times.txt read and parsed (a830b9e)", before, before_cpu, rows)
    _line("after: stop_times.txt read and parsed", after, after_cpu, rows)
    _line("after: read_gtfs, whole feed", whole, whole_cpu, rows)
    if args.before_tree:
        before_tree(args.before_tree, path, args.repeat)
    print(json.dumps({"speed-up (stop_times, wall)": round(before / after, 1),
                      "speed-up (stop_times, CPU)": round(before_cpu / after_cpu, 1),
                      "same times where given": bool(same),
                      "blank times interpolated": interpolated}), flush=True)  # fmt: skip
    if args.no_rennes:
        return
    rennes(args.repeat)
    if args.before_tree:
        before_tree(args.before_tree, RENNES, args.repeat)


def _stop_times_only(path, files_class):
    from qet_geo.transit.gtfs import _stop_times_table

    files = files_class(path)
    return _stop_times_table(files.read("stop_times.txt"), files.source)


def rennes(repeat: int) -> None:
    """PTAL over Rennes: 1 km squares over the stops' extent (Lambert-93), 100 m grid."""
    import shapely
    from pyproj import Transformer

    from qet_geo.areas import areas_from_frame
    from qet_geo.transit import read_gtfs, transit_access

    read, read_cpu, feed = timed(lambda: read_gtfs(RENNES), repeat)
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True).transform(
        feed.stops["stop_lon"].to_numpy(), feed.stops["stop_lat"].to_numpy()
    )
    # the central 8 km × 8 km around the median stop, in 1 km squares
    cx, cy = np.floor(np.median(x) / 1000) * 1000, np.floor(np.median(y) / 1000) * 1000
    squares = [shapely.box(cx + i * 1000, cy + j * 1000, cx + (i + 1) * 1000, cy + (j + 1) * 1000)
               for i in range(-4, 4) for j in range(-4, 4)]  # fmt: skip
    zone = pd.DataFrame({"code": [f"K{i}" for i in range(len(squares))], "geometry": squares})
    areas = areas_from_frame(zone, "rennes-1km", id_field="code", crs="EPSG:2154")
    whole, whole_cpu, result = timed(lambda: transit_access(read_gtfs(RENNES), areas), repeat)
    rows = len(feed.stop_times)
    s = result.summary
    _line("Rennes STAR 2012: read_gtfs", read, read_cpu, rows)
    _line("Rennes STAR 2012: read + PTAL, 100 m grid over 8 km × 8 km", whole, whole_cpu, rows,
          service_date=s.service_date, grid_points=s.grid_points,
          access_points=s.access_points, routes=s.routes,
          ai_mean=round(float(result.areas["ai_mean"].mean()), 3),
          warnings=[str(w) for w in result.warnings])  # fmt: skip


if __name__ == "__main__":
    main()
