"""Benchmark of PTAL at regional and national scale (issue 17), on real IRIS with generated
multi-operator feeds (``bench/synthetic.py``: the feeds reuse each other's ids).

- ``idf``: every IRIS of Île-de-France (5,265 polygons), a 100 m grid over them, feeds of
  ``--stop-times`` (5,000,000) stop times from 4 operators whose routes start at IRIS
  (so that the generated service follows where people live), the local engine, one
  partition: time per step, peak memory, grid points; and the Spearman correlation
  between each IRIS's mean AI and its share of workers commuting by car (2018 census).
  With a generated feed this only checks the plumbing: its figure says nothing of
  Île-de-France's transit.
- ``france``: every IRIS of metropolitan France as a point (48,592), each made an area
  of its Voronoi cell within 500 m of it (the points are all the file gives), a 100 m
  grid over them, 13 regional feeds of ``--stop-times`` (20,000,000) in all, partitioned
  by département; per partition its grid points and seconds, each worker's peak memory,
  and the time projected on a cluster of N workers.

Prints JSON lines. The shared data folder (``shared/data/iris``) must be beside the repository.

    .venv/bin/python bench/bench_national_ptal.py idf [--stop-times 5000000]
    .venv/bin/python bench/bench_national_ptal.py france [--stop-times 20000000] [--engine dask --workers 2]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")  # fmt: skip
IRIS = SHARED / "data" / "iris"
MODES = ["nodep", "marche", "velo", "drm", "voiture", "tcom"]


def peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def emit(**values) -> None:
    print(json.dumps(values, ensure_ascii=False), flush=True)


def idf(args) -> None:
    import pyogrio
    from scipy.stats import spearmanr
    from synthetic import region_feeds

    from qet_geo.areas import read_areas
    from qet_geo.transit import transit_access
    from qet_geo.transit.feeds import read_feeds

    path = IRIS / "idf-iris-commute-2018.gpkg"
    frame = pyogrio.read_dataframe(path)
    points = frame.geometry.representative_point()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        made = region_feeds(Path(tmp) / "feeds", frame.total_bounds, feeds=4,
                            stop_times=args.stop_times,
                            centres=np.column_stack([points.x, points.y]))  # fmt: skip
        emit(step="generate feeds", seconds=round(time.perf_counter() - t, 1), feeds=made)
        t = time.perf_counter()
        areas = read_areas(path, id_field="CODE_IRIS", name_field="NOM_IRIS")
        feeds = read_feeds(Path(tmp) / "feeds")
        read_s = time.perf_counter() - t
        emit(step="read areas and feeds", seconds=round(read_s, 1),
             stop_times=int(sum(len(f.stop_times) for f in feeds)),
             per_row_us=round(1e6 * read_s / sum(len(f.stop_times) for f in feeds), 2),
             peak_gib=round(peak_gib(), 2))  # fmt: skip
        t = time.perf_counter()
        cpu = time.process_time()
        access = transit_access(feeds, areas, spacing=args.grid)
        seconds = time.perf_counter() - t
        emit(step="PTAL", engine="local", partitions=access.summary.partitions,
             grid_points=access.summary.grid_points, access_points=access.summary.access_points,
             merged=access.summary.access_points_merged, routes=access.summary.routes,
             seconds=round(seconds, 1), cpu_seconds=round(time.process_time() - cpu, 1),
             us_per_point=round(1e6 * seconds / access.summary.grid_points, 1),
             peak_gib=round(peak_gib(), 2))  # fmt: skip
    table = access.areas.merge(frame[["CODE_IRIS", *MODES]], left_on="area_id",
                               right_on="CODE_IRIS")  # fmt: skip
    workers = table[MODES].sum(axis=1)
    keep = workers > 0
    car = table.loc[keep, "voiture"] / workers[keep]
    rho, p = spearmanr(table.loc[keep, "ai_mean"], car)
    emit(step="Spearman mean AI × car share", iris=int(keep.sum()), rho=round(float(rho), 3),
         p=float(p), note="a generated feed: plumbing only, not Île-de-France's transit")  # fmt: skip


def france_areas(radius: float = 500.0):
    """The IRIS points of France, each an area: its Voronoi cell within ``radius`` metres."""
    import pyogrio
    import shapely

    frame = pyogrio.read_dataframe(IRIS / "france-iris-points-commute-2018.gpkg")
    frame = frame.drop_duplicates("CODE_IRIS")
    xy = shapely.get_coordinates(frame.geometry.to_numpy())
    cells = shapely.voronoi_polygons(
        shapely.multipoints(xy), extend_to=shapely.box(*frame.total_bounds).buffer(10_000)
    )
    cells = shapely.get_parts(cells)
    # a cell per point: the cell that holds it
    tree = shapely.STRtree(cells)
    point_of, cell_of = tree.query(shapely.points(xy), predicate="intersects")
    order = np.full(len(xy), -1)
    order[point_of] = cell_of
    discs = shapely.buffer(shapely.points(xy), radius, quad_segs=8)
    areas = shapely.intersection(cells[order], discs)
    frame = frame.set_geometry(areas)
    return frame


def france(args) -> None:
    from synthetic import region_feeds

    from qet_geo.areas import areas_from_frame
    from qet_geo.engine import Engine
    from qet_geo.transit import partition as part
    from qet_geo.transit import transit_access
    from qet_geo.transit.feeds import read_feeds

    t = time.perf_counter()
    frame = france_areas()
    frame = frame[["CODE_IRIS", "NOM_IRIS", "geometry"]]
    areas = areas_from_frame(frame, "france-iris-points", id_field="CODE_IRIS",
                             name_field="NOM_IRIS", crs="EPSG:2154")  # fmt: skip
    emit(step="areas (Voronoi cells within 500 m)", areas=len(frame),
         seconds=round(time.perf_counter() - t, 1))  # fmt: skip
    xy = np.column_stack([frame.geometry.centroid.x, frame.geometry.centroid.y])
    # 13 regional operators: the IRIS split in 13 bands of longitude × latitude
    order = np.lexsort((xy[:, 1], np.floor((xy[:, 0] - xy[:, 0].min()) / 250_000)))
    groups = np.array_split(order, 13)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "feeds"
        t = time.perf_counter()
        made = []
        for k, group in enumerate(groups):
            bounds = (*xy[group].min(axis=0), *xy[group].max(axis=0))
            made += region_feeds(folder / f"region{k + 1:02d}", bounds, feeds=1,
                                 stop_times=args.stop_times // 13, seed=100 + k,
                                 centres=xy[group])  # fmt: skip
        emit(step="generate feeds", feeds=len(made), stop_times=sum(m["stop_times"] for m in made),
             seconds=round(time.perf_counter() - t, 1))  # fmt: skip
        paths = sorted(folder.glob("*/*.zip"))
        t = time.perf_counter()
        feeds = read_feeds(paths)
        read_s = time.perf_counter() - t
        rows = int(sum(len(f.stop_times) for f in feeds))
        emit(step="read feeds", seconds=round(read_s, 1), stop_times=rows,
             per_row_us=round(1e6 * read_s / rows, 2), peak_gib=round(peak_gib(), 2))  # fmt: skip
        timings = []
        original = part.run_task

        def timed(task):
            began = time.perf_counter()
            out = original(task)
            timings.append((task.index, len(task.members), len(out["grid"]),
                            time.perf_counter() - began))  # fmt: skip
            return out

        engine = Engine.of(args.engine, workers=args.workers)
        if engine.name == "local":
            part.run_task = timed  # the partitions' own seconds (in this process)
            import qet_geo.transit.access as access_module

            access_module.run_task = timed
        t = time.perf_counter()
        access = transit_access(feeds, areas, spacing=args.grid, partition="departement",
                                engine=engine)  # fmt: skip
        seconds = time.perf_counter() - t
    emit(step="PTAL", engine=engine.name, partitions=access.summary.partitions,
         grid_points=access.summary.grid_points, routes=access.summary.routes,
         access_points=access.summary.access_points, seconds=round(seconds, 1),
         peak_gib=round(peak_gib(), 2))  # fmt: skip
    if timings:
        times = np.array([s for *_, s in timings])
        points = np.array([g for _, _, g, _ in timings])
        biggest = int(np.argmax(points))
        emit(step="partitions", n=len(timings), seconds_sum=round(float(times.sum()), 1),
             seconds_max=round(float(times.max()), 1), seconds_median=round(float(np.median(times)), 2),
             largest_partition_points=int(points[biggest]),
             largest_partition_seconds=round(float(times[biggest]), 1),
             us_per_point=round(1e6 * float(times.sum()) / max(int(points.sum()), 1), 1),
             driver_seconds=round(seconds - float(times.sum()), 1),
             projected_seconds={n: round(max(float(times.sum()) / n, float(times.max()))
                                         + (seconds - float(times.sum())), 1)
                                for n in (1, 2, 4, 8, 16, 32)})  # fmt: skip
        for index, members, grid, s in sorted(timings):
            emit(partition=index, areas=members, grid_points=grid, seconds=round(s, 2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["idf", "france"])
    parser.add_argument("--stop-times", type=int)
    parser.add_argument("--grid", type=float, default=100.0)
    parser.add_argument("--engine", default="local")
    parser.add_argument("--workers", type=int)
    args = parser.parse_args()
    if args.stop_times is None:
        args.stop_times = 5_000_000 if args.what == "idf" else 20_000_000
    (idf if args.what == "idf" else france)(args)


if __name__ == "__main__":
    main()
