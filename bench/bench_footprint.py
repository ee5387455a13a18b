"""Benchmark of qet-geo's vectorised NGC evaluator (qet_geo.footprint.publicodes).

Times ``evaluate()`` on 1,000,000 situations (a DataFrame, one column per NGC question),
made of (a) a few thousand distinct situations repeated and (b) fully random ones, and
prints one JSON line per case: seconds, peak MiB (tracemalloc, numpy arrays included),
distinct situations.

    .venv/bin/python bench/bench_footprint.py [--rows 1000000] [--distinct 3000] [--model FILE]
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qet_geo.footprint.publicodes import evaluate, load_model  # noqa: E402
from qet_geo.footprint.su import su_footprints  # noqa: E402


def questions(model):
    """(rule, kind, info) of the questions put to respondents."""
    out = []
    for q, raw in model.raw.items():
        if q not in model.rules or not isinstance(raw, dict) or "question" not in raw:
            continue
        if q.startswith(("futureco-data", "parc français")):
            continue
        if any(k in raw for k in ("formule", "somme", "valeur")):
            continue
        poss = model.possibilities.get(q)
        if poss is not None:
            out.append((q, "choice", [f"'{p}'" for p in poss[1]]))
        elif model.node_type(model.rules[q])[1] == "boolean":
            out.append((q, "bool", ["oui", "non"]))
        else:
            lo = raw.get("plancher")
            hi = raw.get("plafond")
            lo = float(lo) if isinstance(lo, (int, float)) else 0.0
            hi = float(hi) if isinstance(hi, (int, float)) and hi <= 1000 else lo + 100.0
            out.append((q, "number", (lo, hi)))
    return out


def random_frame(model, n: int, seed: int, answered: float = 0.5) -> pd.DataFrame:
    """n random situations as a DataFrame (NaN / None = unanswered), built column-wise."""
    rng = np.random.default_rng(seed)
    cols = {}
    for q, kind, info in questions(model):
        ask = rng.random(n) < answered
        if kind == "number":
            lo, hi = info
            x = np.round(rng.uniform(lo, hi, n), 1)
            cols[q] = np.where(ask, x, np.nan)
        else:
            choices = np.array(info + [None], dtype=object)
            idx = rng.integers(0, len(info), n)
            idx[~ask] = len(info)
            cols[q] = choices[idx]
    return pd.DataFrame(cols)


def categorical(frame: pd.DataFrame) -> pd.DataFrame:
    """Choice columns as pandas categoricals (evaluate() then skips hashing them)."""
    return frame.apply(lambda c: c if pd.api.types.is_numeric_dtype(c) else c.astype("category"))


def run(label, model, frame, distinct):
    gc.collect()
    t0 = time.perf_counter()
    values = evaluate(model, frame)
    seconds = time.perf_counter() - t0
    del values
    gc.collect()
    tracemalloc.start()
    evaluate(model, frame)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "case": label,
                "rows": len(frame),
                "distinct": distinct,
                "seconds": round(seconds, 3),
                "peak_mib": round(peak / 2**20, 1),
            }
        ),
        flush=True,
    )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--distinct", type=int, default=3000)
    ap.add_argument("--model", default=None)
    ap.add_argument(
        "--random-rows",
        type=int,
        default=50_000,
        help="all-different situations (about 0.16 ms each)",
    )
    args = ap.parse_args(argv)
    su_answers = pd.DataFrame(
        {
            variable: pd.array(np.random.default_rng(4).integers(1, 4, args.rows), dtype="Int8")
            for variable in (
                "meat_frequency",
                "air_travel_frequency",
                "transportation_mode",
                "purchasing_strategy",
                "digital_intensity",
                "heat_source",
            )
        }
    )
    t0 = time.perf_counter()
    su_footprints(su_answers)
    print(
        json.dumps(
            {
                "case": "SU answers (band lookup)",
                "rows": args.rows,
                "seconds": round(time.perf_counter() - t0, 3),
            }
        ),
        flush=True,
    )
    t0 = time.perf_counter()
    model = load_model(args.model)
    print(
        json.dumps({"case": "load_model", "seconds": round(time.perf_counter() - t0, 3)}),
        flush=True,
    )
    base = random_frame(model, args.distinct, seed=1)
    repeated = base.iloc[np.random.default_rng(2).integers(0, args.distinct, args.rows)]
    repeated = repeated.reset_index(drop=True)
    run("repeated", model, repeated, args.distinct)
    run("repeated, categorical columns", model, categorical(repeated), args.distinct)
    fresh = random_frame(model, args.random_rows, seed=3)
    run("random", model, fresh, args.random_rows)


if __name__ == "__main__":
    main()
