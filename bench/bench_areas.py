"""Benchmark of the area map (qet_geo.areas.map_areas) against QGIS's own join.

1,000,000 respondent points × 50,000 square areas (200 m, Lambert-93): qet-geo joins them
(vectorised point-in-polygon) and aggregates (n, n_eff, profile shares with Wilson and
Goodman intervals, dominant profile, index scores, footprints with intervals, disclosure
control); QGIS's ``native:joinbylocationsummary`` (``qgis:…`` in QGIS 3.22) does the join with a count and a mean of
the footprint on the same files. Each runs in a fresh process and both do the same work: read the two GeoPackages,
join, aggregate, write a GeoPackage; the figure compared is the whole process's wall time
(start, imports, work, exit). Prints JSON lines with the seconds and the peak memory (max
RSS).

    .venv/bin/python bench/bench_areas.py [--points 1000000] [--areas 50000] [--no-qgis]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_data(folder: Path, n_points: int, n_areas: int, seed: int = 1):
    import geopandas as gpd
    import pandas as pd
    import shapely

    side = int(np.ceil(np.sqrt(n_areas)))
    size = 200.0
    x0, y0 = 650000.0, 6860000.0
    i, j = np.divmod(np.arange(n_areas), side)
    boxes = shapely.box(x0 + j * size, y0 + i * size, x0 + (j + 1) * size, y0 + (i + 1) * size)
    areas = gpd.GeoDataFrame(
        {
            "code": [f"Z{k:06d}" for k in range(n_areas)],
            "nom": [f"zone {k}" for k in range(n_areas)],
        },
        geometry=boxes,
        crs="EPSG:2154",
    )
    rng = np.random.default_rng(seed)
    rows = int(np.ceil(n_areas / side))
    xs = x0 + rng.random(n_points) * side * size
    ys = y0 + rng.random(n_points) * rows * size
    profile = rng.integers(1, 6, n_points)
    points = gpd.GeoDataFrame(
        {
            "respondent_id": np.arange(n_points).astype(str),
            "profile": profile,
            "fp_total": 3000 + 800 * profile + rng.normal(0, 500, n_points),
            **{
                f"fp_{u}": rng.random(n_points) * 1000
                for u in ("alimentation", "avion", "mobilite", "achats", "numerique")
            },
        },
        geometry=shapely.points(xs, ys),
        crs="EPSG:2154",
    )
    from qet_geo.io import write_table

    write_table(areas, folder / "areas.gpkg", layer="areas")
    write_table(points, folder / "points.gpkg", layer="points")
    pd.to_pickle((areas, points), folder / "data.pkl")


def run_qet_geo(folder: Path):
    """The same work as QGIS's join: the two GeoPackages read, joined, aggregated (with
    everything qet-geo adds), the areas written to a GeoPackage."""
    import pyogrio

    from qet_geo.areas import map_areas, read_areas, write_area_map

    t0 = time.perf_counter()
    areas = read_areas(folder / "areas.gpkg", layer="areas", id_field="code", name_field="nom")
    points = pyogrio.read_dataframe(folder / "points.gpkg", layer="points", use_arrow=True)
    t1 = time.perf_counter()
    result = map_areas(points, areas)
    t2 = time.perf_counter()
    write_area_map(result, folder / "qet_geo_areas.gpkg")
    seconds = time.perf_counter() - t0
    return {
        "case": "qet-geo: read both GeoPackages, map_areas (join + aggregate + disclosure), "
        "write the areas' GeoPackage",
        "seconds": round(seconds, 2),
        "read_seconds": round(t1 - t0, 2),
        "map_seconds": round(t2 - t1, 2),
        "joined": result.summary.joined,
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_qgis(folder: Path):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication, QgsProcessingFeedback

    app = QgsApplication([], False)
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    import processing
    from processing.core.Processing import Processing

    Processing.initialize()
    from qgis.analysis import QgsNativeAlgorithms

    if QgsApplication.processingRegistry().providerById("native") is None:
        QgsApplication.processingRegistry().addProvider(QgsNativeAlgorithms())
    registry = QgsApplication.processingRegistry()
    # native:… from QGIS 3.32 on; QGIS 3.22 has the Python version, qgis:…
    name = next(
        n
        for n in ("native:joinbylocationsummary", "qgis:joinbylocationsummary")
        if registry.algorithmById(n) is not None
    )
    t0 = time.perf_counter()
    result = processing.run(
        name,
        {
            "INPUT": f"{folder / 'areas.gpkg'}|layername=areas",
            "JOIN": f"{folder / 'points.gpkg'}|layername=points",
            "PREDICATE": [0],  # intersects
            "JOIN_FIELDS": ["fp_total"],
            "SUMMARIES": [0, 6],  # count, mean
            "DISCARD_NONMATCHING": False,
            "OUTPUT": str(folder / "qgis_join.gpkg"),
        },
        feedback=QgsProcessingFeedback(),
    )
    seconds = time.perf_counter() - t0
    return {
        "case": f"QGIS {name} (count, mean)",
        "seconds": round(seconds, 2),
        "output": str(result["OUTPUT"]),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--areas", type=int, default=50_000)
    ap.add_argument("--folder", default="/tmp/qet_geo_bench_areas")
    ap.add_argument("--no-qgis", action="store_true")
    ap.add_argument("--only", choices=("data", "qet_geo", "qgis"))
    args = ap.parse_args(argv)
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    if args.only == "data":
        make_data(folder, args.points, args.areas)
        return
    if args.only == "qet_geo":
        print(json.dumps(run_qet_geo(folder)), flush=True)
        return
    if args.only == "qgis":
        print(json.dumps(run_qgis(folder)), flush=True)
        return
    me = [
        sys.executable,
        __file__,
        "--folder",
        str(folder),
        "--points",
        str(args.points),
        "--areas",
        str(args.areas),
    ]
    subprocess.run([*me, "--only", "data"], check=True)

    def whole(only, python=sys.executable):  # the whole process: start, imports, work, exit
        began = time.perf_counter()
        out = subprocess.run([python, *me[1:], "--only", only], check=True,
                             capture_output=True, text=True).stdout  # fmt: skip
        result = json.loads(out.strip().splitlines()[-1])
        result["process_seconds"] = round(time.perf_counter() - began, 2)
        return result

    ours = whole("qet_geo")
    print(json.dumps(ours), flush=True)
    if args.no_qgis:
        return
    theirs = whole("qgis")
    print(json.dumps(theirs), flush=True)
    print(json.dumps({"ratio_qgis_over_qet_geo (whole processes)":
                      round(theirs["process_seconds"] / ours["process_seconds"], 1)}),
          flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
