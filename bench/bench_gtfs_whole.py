"""GTFS reading and per-stop counts, whole process against whole process: each case in a
fresh Python process (interpreter, imports, reading the zip, the work), its wall time and
peak memory (the child's maximum resident set). qet-geo's ``read_gtfs`` against
gtfs-kit's ``read_feed`` and partridge's ``load_feed`` (every table read), and reading +
the trips of the day per stop against gtfs-kit's ``compute_stop_stats``.

gtfs-kit and partridge are not dependencies of qet-geo: give a folder where they are
installed (``pip install --target DIR gtfs-kit partridge json2html rtree isoweek networkx
--no-deps``) with ``--others DIR``. The feed is the NYC-subway-shaped one of
``bench_gtfs_read.py`` (1,000,000 stop times by default) and the real STAR (Rennes) feed.

What is counted, said plainly: gtfs-kit's ``num_trips`` of a stop counts every stop time
of the day's trips there, the trip's last stop included; qet-geo's departures leave out a
trip's last stop and stops without pickup (nobody boards there), as PTAL counts. Both are
compared: qet-geo's stop times of the day's trips per stop against gtfs-kit's num_trips,
and its departures.

    .venv/bin/python bench/bench_gtfs_whole.py --others /tmp/gk [--stop-times 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

CASES = {
    "qet-geo read_gtfs": """
from qet_geo.transit import read_gtfs
feed = read_gtfs(PATH)
rows = len(feed.stop_times)
""",
    "gtfs-kit read_feed": """
import gtfs_kit as gk
feed = gk.read_feed(PATH, dist_units="km")
rows = len(feed.stop_times)
""",
    "partridge load_feed (every table)": """
import partridge as ptg
feed = ptg.load_feed(PATH)
for name in ("stops", "routes", "trips", "stop_times", "calendar", "calendar_dates"):
    getattr(feed, name)
rows = len(feed.stop_times)
""",
    "qet-geo read + trips of the day per stop": """
from qet_geo.transit import read_gtfs
from qet_geo.transit.gtfs import active_services, departures, typical_weekday
feed = read_gtfs(PATH)
day = typical_weekday(feed)
trips = feed.trips[feed.trips["service_id"].isin(active_services(feed, day))]
st = feed.stop_times[feed.stop_times["trip_id"].isin(trips["trip_id"])]
every = st.groupby("stop_id").size()
deps = departures(feed, day).groupby("stop_id").size()
rows = len(feed.stop_times)
OUT = {"day": day.isoformat(), "every": {str(k): int(v) for k, v in every.items()},
       "departures": {str(k): int(v) for k, v in deps.items()}}
""",
    "gtfs-kit read + compute_stop_stats": """
import gtfs_kit as gk
feed = gk.read_feed(PATH, dist_units="km")
stats = gk.compute_stop_stats(feed, [DAY.replace("-", "")])
rows = len(feed.stop_times)
OUT = {"num_trips": {str(k): int(v) for k, v in zip(stats["stop_id"], stats["num_trips"])}}
""",
}


def run_case(code: str, path: Path, day: str, others: str | None) -> dict:
    script = (
        "import json, sys, time\n"
        f"PATH = {str(path)!r}\nDAY = {day!r}\nOUT = None\n"
        "began = time.perf_counter()\n" + code + "\n"
        "print(json.dumps({'inner_seconds': time.perf_counter() - began, 'rows': rows, 'out': OUT}))\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT), others or "", env.get("PYTHONPATH", "")) if p
    )
    env["PYTHONWARNINGS"] = "ignore"
    began = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, text=True)  # fmt: skip
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - began
    out, err = proc.stdout.read(), proc.stderr.read()
    if status != 0:  # said, and the other cases go on (gtfs-kit fails on blank times)
        return {"error": err.strip().splitlines()[-1][:300]}
    result = json.loads(out.strip().splitlines()[-1])
    return {"seconds": round(wall, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_mib": round(usage.ru_maxrss / 1024), **result}  # fmt: skip


def bench(path: Path, label: str, others: str | None, repeat: int) -> None:
    day = None
    results = {}
    for case, code in CASES.items():
        if ("gtfs-kit" in case or "partridge" in case) and others is None:
            continue
        if "compute_stop_stats" in case and day is None:
            continue
        best = None
        for _ in range(repeat):
            r = run_case(code, path, day or "", others)
            if "error" in r:
                best = r
                break
            if best is None or r["seconds"] < best["seconds"]:
                best = r
        if "error" in best:
            print(json.dumps({"feed": label, "case": case, "error": best["error"]}), flush=True)
            continue
        if best["out"] and "day" in best["out"]:
            day = best["out"]["day"]
        results[case] = best
        print(json.dumps({"feed": label, "case": case, "seconds": best["seconds"],
                          "cpu_seconds": best["cpu_seconds"], "peak_mib": best["peak_mib"],
                          "rows": best["rows"],
                          "microseconds_per_row": round(1e6 * best["seconds"] / best["rows"], 2)}),
              flush=True)  # fmt: skip
    ours = results.get("qet-geo read + trips of the day per stop", {}).get("out")
    theirs = results.get("gtfs-kit read + compute_stop_stats", {}).get("out")
    if ours and theirs:
        kit = theirs["num_trips"]
        every = ours["every"]
        deps = ours["departures"]
        print(json.dumps({"feed": label, "stops": len(kit),
                          "stops where qet-geo's stop times of the day = gtfs-kit's num_trips":
                              sum(every.get(s, 0) == n for s, n in kit.items()),
                          "stops where qet-geo's departures = gtfs-kit's num_trips":
                              sum(deps.get(s, 0) == n for s, n in kit.items())}), flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stop-times", type=int, default=1_000_000)
    parser.add_argument("--feed", default="/tmp/qet_geo_bench_nyc_like.zip")
    parser.add_argument("--others", help="a folder where gtfs-kit and partridge are installed")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--rennes-only", action="store_true")
    args = parser.parse_args()
    from bench_gtfs_read import RENNES, make_nyc_like_feed

    path = Path(args.feed)
    if not path.exists():
        make_nyc_like_feed(path, args.stop_times)
    if not args.rennes_only:
        bench(path, "NYC-subway-shaped, generated", args.others, args.repeat)
    if RENNES.is_file():
        bench(RENNES, "STAR Rennes 2012", args.others, args.repeat)


if __name__ == "__main__":
    main()
