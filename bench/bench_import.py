"""Benchmark: import of a generated 1,000,000-row NEAR SU export (target: ≤ 10 s, ≤ 2 GiB).

Run: ``make bench`` or ``.venv/bin/python bench/bench_import.py [--rows N]``.  The CSV is
generated once under ``bench/data/`` (seeded; not committed), then imported in a fresh
process so that the peak memory (ru_maxrss) is that of the import alone.  Prints one JSON
line per run.  This is a measurement, never a test assertion.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SU_FILE = HERE.parent / "tests" / "fixtures" / "near" / "survey_0.tsv"


def generate(path: Path, rows: int, seed: int = 20261126, comments: bool = False) -> None:
    """A TSV like a real export: the NEAR headers and labels, ids, home lon/lat.

    With ``comments``, a last free-text column whose every 10th value is quoted and holds
    a line break, as exports of open questions do: the reader's general (csv module) path.
    """
    lines = SU_FILE.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    answers = [sorted({line.split("\t")[c] for line in lines[1:]} - {""}) for c in range(1, 7)]
    rng = np.random.default_rng(seed)
    columns = [np.arange(1, rows + 1).astype(str)]
    for labels in answers:
        columns.append(np.asarray(labels, dtype=object)[rng.integers(0, len(labels), rows)])
    columns.append(np.char.mod("%.6f", rng.uniform(2.30, 2.40, rows)))
    columns.append(np.char.mod("%.6f", rng.uniform(48.80, 48.90, rows)))
    if comments:
        comment = np.full(rows, "", dtype=object)
        comment[::10] = '"Trop de voitures,\nmais de beaux arbres"'
        columns.append(comment)
        header = [*header, "longitude", "latitude", "Commentaire"]
    else:
        header = [*header, "longitude", "latitude"]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        out.write("\t".join(header) + "\n")
        chunk = 100_000
        for start in range(0, rows, chunk):
            block = zip(*(c[start : start + chunk] for c in columns), strict=True)
            out.write("".join("\t".join(map(str, row)) + "\n" for row in block))
    tmp.replace(path)


def run_once(path: Path) -> dict:
    from qet_geo.survey import import_survey

    start = time.perf_counter()
    result = import_survey(path)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "rows": result.report.rows_read,
        "accepted": result.report.accepted,
        "seconds": round(seconds, 2),
        "peak_mib": round(peak_kib / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--comments", action="store_true", help="add a free-text column with quoted line breaks"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_once(Path(args.child))))
        return
    path = HERE / "data" / f"survey_{args.rows}{'_comments' if args.comments else ''}.tsv"
    if not path.exists():
        generate(path, args.rows, comments=args.comments)
    print(f"# {path} ({path.stat().st_size / 2**20:.0f} MiB)", file=sys.stderr)
    for _ in range(args.repeat):
        subprocess.run([sys.executable, __file__, "--child", str(path)], check=True)


if __name__ == "__main__":
    main()
