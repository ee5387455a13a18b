"""Benchmark of the diagnostic (qet_geo.diagnostic): 100,000 "Espace et Mode de Vie" and
100,000 Nos Gestes Climat answers, made by drawing the real Porte d'Orléans rows again
(../shared/data/near-diag, new ids), imported, linked to the profiles and analysed, as
``qet-geo diagnostic summarize`` does. Prints JSON lines with the seconds of each stage and
the peak memory (max RSS).

    .venv/bin/python bench/bench_diagnostic.py [--rows 100000] [--folder /tmp/bench]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")  # fmt: skip
DIAG = SHARED / "data" / "near-diag"


def make(source: Path, target: Path, rows: int, seed: int = 1) -> None:
    real = json.loads(source.read_text(encoding="utf-8"))
    pick = np.random.default_rng(seed).integers(0, len(real), rows)
    out = []
    for i, j in enumerate(pick):
        row = dict(real[j])
        row["ID"] = i + 1
        out.append(row)
    target.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--folder", default="/tmp/qet-geo-bench-diagnostic")
    args = parser.parse_args()
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = {"emdv": folder / "emdv.json", "ngc": folder / "ngc.json"}
    sources = {
        "emdv": DIAG / "Way Of Life Answer.json",
        "ngc": DIAG / "Carbon Footprint Answer.json",
    }
    for survey, path in files.items():
        if not path.exists() and sources[survey].exists():
            make(sources[survey], path, args.rows)

    from qet_geo.diagnostic.analyses import summarize
    from qet_geo.diagnostic.emdv import import_emdv
    from qet_geo.diagnostic.link import link_profiles, read_su_data
    from qet_geo.diagnostic.ngc import import_ngc
    from qet_geo.diagnostic.output import write_diagnostic

    profiles = read_su_data(DIAG / "Su Data.json")
    figures = {"rows": args.rows}
    start = time.perf_counter()
    emdv = import_emdv(files["emdv"])
    figures["import_emdv_s"] = time.perf_counter() - start
    start = time.perf_counter()
    ngc = import_ngc(files["ngc"]) if files["ngc"].exists() else None
    figures["import_ngc_s"] = time.perf_counter() - start
    start = time.perf_counter()
    emdv_links, _ = link_profiles(emdv.answers, profiles, "emdv")
    ngc_links = link_profiles(ngc.results, profiles, "ngc")[0] if ngc is not None else None
    figures["link_s"] = time.perf_counter() - start
    start = time.perf_counter()
    nodes = ngc.schema.node_list() if ngc is not None else []
    diagnostic = summarize(profiles, emdv, emdv_links, ngc, ngc_links, carbon_nodes=nodes)
    figures["analyse_s"] = time.perf_counter() - start
    start = time.perf_counter()
    write_diagnostic(diagnostic, folder / "out" / "diagnostic.gpkg", texts=emdv.private)
    figures["write_s"] = time.perf_counter() - start
    figures["accepted"] = {
        "emdv": emdv.report.accepted,
        "ngc": None if ngc is None else ngc.report.accepted,
    }
    figures["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in figures.items()}))


if __name__ == "__main__":
    main()
