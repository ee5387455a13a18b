"""Benchmark of the offline web map: 2,500 areas (Voronoi cells, irregular like IRIS) with
their indicators, the page's size, and its rendering time in headless Chromium (network
off): from navigation to every area drawn.

    .venv/bin/python bench/bench_webmap.py [--areas 2500]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_area_map(folder: Path, n_areas: int, seed: int = 1) -> Path:
    import shapely

    from qet_geo.areas import areas_from_frame, map_areas, write_area_map

    rng = np.random.default_rng(seed)
    side = 20000.0
    x0, y0 = 640000.0, 6850000.0
    seeds = shapely.points(x0 + rng.random(n_areas) * side, y0 + rng.random(n_areas) * side)
    cells = shapely.voronoi_polygons(
        shapely.multipoints(seeds), extend_to=shapely.box(x0, y0, x0 + side, y0 + side)
    )
    cells = shapely.intersection(
        shapely.get_parts(cells), shapely.box(x0, y0, x0 + side, y0 + side)
    )
    # densify the borders (real IRIS have many vertices): a point every 20 m
    cells = shapely.segmentize(cells, 20.0)
    frame = pd.DataFrame({"code": [f"A{i:05d}" for i in range(len(cells))],
                          "nom": [f"Zone {i}" for i in range(len(cells))], "geometry": cells})  # fmt: skip
    areas = areas_from_frame(frame, "areas", id_field="code", name_field="nom", crs="EPSG:2154")
    n = 40 * len(cells)
    minx, miny, maxx, maxy = x0, y0, x0 + side, y0 + side
    respondents = pd.DataFrame({"geometry": shapely.points(minx + rng.random(n) * (maxx - minx),
                                                           miny + rng.random(n) * (maxy - miny)),
                                "profile": rng.integers(1, 5, n)})  # fmt: skip
    respondents.attrs["crs"] = "EPSG:2154"
    for usage in ("alimentation", "avion", "mobilite", "achats", "numerique"):
        respondents[f"fp_{usage}"] = rng.normal(800, 200, n)
    respondents["fp_total"] = respondents[[c for c in respondents if c.startswith("fp_")]].sum(
        axis=1
    )
    path = folder / "areas.gpkg"
    write_area_map(map_areas(respondents, areas), path, csv=False)
    return path


def render_seconds(page: Path, n_areas: int) -> float:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--window-size=1400,1000", "--proxy-server=http://127.0.0.1:9",
                     "--host-resolver-rules=MAP * ~NOTFOUND"):  # fmt: skip
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium")
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        t0 = time.perf_counter()
        driver.get(page.as_uri())
        while (
            driver.execute_script(
                "return document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length"
            )
            < n_areas
        ):
            time.sleep(0.02)
            if time.perf_counter() - t0 > 60:
                raise RuntimeError("the map did not draw every area in 60 s")
        return time.perf_counter() - t0
    finally:
        driver.quit()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--areas", type=int, default=2500)
    args = ap.parse_args(argv)
    from qet_geo.export.webmap import read_inputs, write_webmap

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        gpkg = make_area_map(folder, args.areas)
        t0 = time.perf_counter()
        page = write_webmap(folder / "carte.html", read_inputs(gpkg), offline=True)
        build = time.perf_counter() - t0
        size = page.stat().st_size
        seconds = render_seconds(page, args.areas)
        print(json.dumps({"areas": args.areas, "page_mib": round(size / 2**20, 2), "build_seconds": round(build, 2),
                          "render_seconds_chromium": round(seconds, 2)}))  # fmt: skip


if __name__ == "__main__":
    main()
