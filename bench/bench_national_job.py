"""The whole job at national scale (issue 17): ``qet-geo run`` on 1,000,000 respondents with
homes over 50,000 areas, a 1,000,000 stop_times feed, with the sample's configuration
(survey, footprints, profiles with their stability bootstrap, areas with census
representativeness and raking, PTAL, the comparison with its bootstrap, the web map, the
A3 and A0 posters and the QGIS project; no diagnostic or vote: they are a
neighbourhood's). Run in a fresh process: its wall time, peak memory (max RSS) and the
seconds of each step (the run's own ``--json``).

The data are generated once into ``--folder`` (seeded): 50,000 squares of 200 m in
Lambert-93 with 9-character codes (50 "départements" of 1,000), their census rows (the
sample's structure, scaled), the sample survey's 593 answers drawn again 1,000,000 times
with a home in a random square, and a generated feed (``bench/synthetic.py``).

    .venv/bin/python bench/bench_national_job.py [--respondents 1000000] [--areas 50000]
        [--stop-times 1000000] [--folder /tmp/qet_geo_national] [--no-bootstrap]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SAMPLE = ROOT / "sample_data"
X0, Y0, SIZE = 650_000.0, 6_600_000.0, 200.0


def make_data(folder: Path, respondents: int, n_areas: int, stop_times: int, seed: int = 7):
    import pandas as pd
    import shapely
    from pyproj import Transformer
    from synthetic import one_feed

    from qet_geo.io import write_table

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n_areas)))
    i, j = np.divmod(np.arange(n_areas), side)
    codes = np.array([f"{10 + k // 1000:02d}{k % 1000:07d}" for k in range(n_areas)])
    boxes = shapely.box(X0 + j * SIZE, Y0 + i * SIZE, X0 + (j + 1) * SIZE, Y0 + (i + 1) * SIZE)
    areas = pd.DataFrame({"code_iris": codes, "nom_iris": [f"Zone {k}" for k in range(n_areas)],
                          "geometry": boxes})  # fmt: skip
    areas.attrs["crs"] = "EPSG:2154"
    write_table(areas, folder / "areas.gpkg", layer="iris")
    # census: the sample's rows' structure, each area a scaled copy of one of them
    with (SAMPLE / "base-ic-evol-struct-pop-quartier.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter=";"))
    header, sample_rows = rows[0], rows[1:]
    numeric = [k for k, name in enumerate(header) if name.startswith(("P21_", "C21_"))]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    scale = rng.uniform(0.02, 0.06, n_areas)  # 50–150 residents per 200 m square
    for k in range(n_areas):
        row = list(sample_rows[k % len(sample_rows)])
        row[0], row[1], row[3] = codes[k], codes[k][:5], f"Zone {k}"
        for c in numeric:
            row[c] = f"{float(row[c]) * scale[k]:.2f}"
        writer.writerow(row)
    (folder / "census.csv").write_text(out.getvalue(), encoding="utf-8")
    # respondents: the sample's answers drawn again, a home in a random square
    survey = pd.read_csv(SAMPLE / "survey_su.tsv", sep="\t", dtype=str, keep_default_na=False)
    take = rng.integers(0, len(survey), respondents)
    frame = survey.iloc[take].reset_index(drop=True)
    frame["Identifiant"] = np.arange(1, respondents + 1).astype(str)
    where = rng.integers(0, n_areas, respondents)
    x = X0 + (where % side + rng.random(respondents)) * SIZE
    y = Y0 + (where // side + rng.random(respondents)) * SIZE
    lon, lat = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True).transform(x, y)
    frame["longitude"] = np.char.mod("%.6f", lon)
    frame["latitude"] = np.char.mod("%.6f", lat)
    frame.to_csv(folder / "survey.tsv", sep="\t", index=False)
    bounds = (X0, Y0, X0 + side * SIZE, Y0 + (n_areas // side + 1) * SIZE)
    one_feed(folder / "gtfs.zip", bounds, stop_times, seed)
    (folder / "made").write_text(json.dumps({"respondents": respondents, "areas": n_areas,
                                             "stop_times": stop_times}))  # fmt: skip


CONFIG = """title = "National benchmark"
language = "fr"
output = "out"
[survey]
file = "survey.tsv"
schema = "near-su"
[footprints]
heating = true
[profiles]
method = "near"
bootstrap = {profile_bootstrap}
seed = 0
[areas]
file = "areas.gpkg"
layer = "iris"
census = "census.csv"
weights = "raking"
min_cell = 11
[transit]
gtfs = "gtfs.zip"
grid = 100
[compare]
bootstrap = {compare_bootstrap}
[outputs]
webmap = true
offline = true
transit_lines = true
poster = ["A3", "A0"]
project = true
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--areas", type=int, default=50_000)
    parser.add_argument("--stop-times", type=int, default=1_000_000)
    parser.add_argument("--folder", default="/tmp/qet_geo_national")
    parser.add_argument("--no-bootstrap", action="store_true")
    parser.add_argument("--profile", help="write a cProfile of the run to this file")
    args = parser.parse_args()
    folder = Path(args.folder)
    wanted = {"respondents": args.respondents, "areas": args.areas, "stop_times": args.stop_times}
    made = folder / "made"
    if not made.exists() or json.loads(made.read_text()) != wanted:
        t = time.perf_counter()
        make_data(folder, args.respondents, args.areas, args.stop_times)
        print(json.dumps({"generated": wanted, "seconds": round(time.perf_counter() - t, 1)}),
              flush=True)  # fmt: skip
    boot = (0, 0) if args.no_bootstrap else (100, 200)
    config = folder / "qet-geo.toml"
    config.write_text(CONFIG.format(profile_bootstrap=boot[0], compare_bootstrap=boot[1]),
                      encoding="utf-8")  # fmt: skip
    command = [sys.executable, "-m", "qet_geo.cli", "run", str(config), "--json"]
    if args.profile:
        command = [sys.executable, "-m", "cProfile", "-o", args.profile, "-m", "qet_geo.cli",
                   "run", str(config), "--json"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    began = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            text=True, cwd=ROOT)  # fmt: skip
    out, err = proc.communicate()
    (folder / "run.out").write_text(out + "\n----\n" + err, encoding="utf-8")
    wall = time.perf_counter() - began
    if proc.returncode != 0:
        raise SystemExit(f"the run failed ({proc.returncode}): {err[-3000:]}")
    import resource

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    start = 0 if out.startswith("{") else out.index("\n{") + 1
    result = json.loads(out[start:])
    print(json.dumps({"case": "qet-geo run, national job", **wanted,
                      "bootstrap": not args.no_bootstrap, "seconds": round(wall, 1),
                      "peak_gib": round(peak, 2),
                      "steps": {k: round(v, 1) for k, v in result["seconds"].items()}},
                     ensure_ascii=False), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
