"""Benchmark of usage-profile detection (qet_geo.profiles).

Times ``ProfileModel(method="near").fit`` and ``predict`` on 1,000,000 respondents and
``ProfileModel(method="kmeans", k="auto")`` (k = 2…10) on 100,000, with answers drawn from
the shares of the real NEAR export (tests/fixtures/near/survey_0.tsv) so that the number of
distinct answer vectors is realistic; prints one JSON line per case.

    .venv/bin/python bench/bench_profiles.py [--rows 1000000] [--auto-rows 100000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qet_geo.profiles import SU_VARIABLES, ProfileModel  # noqa: E402
from qet_geo.survey import import_survey  # noqa: E402


def respondents(n: int, seed: int) -> pd.DataFrame:
    """n respondents drawn from the real export's answer vectors (with their frequencies)."""
    real = import_survey(ROOT / "tests/fixtures/near/survey_0.tsv").respondents
    rng = np.random.default_rng(seed)
    rows = real.iloc[rng.integers(0, len(real), n)].reset_index(drop=True)
    # a share of answers changed at random, as a larger population would give
    noise = rng.random((n, len(SU_VARIABLES))) < 0.05
    frame = pd.DataFrame({"respondent_id": np.arange(n).astype(str)})
    for j, variable in enumerate(SU_VARIABLES):
        codes = rows[variable].to_numpy(dtype=np.int8)
        codes = np.where(noise[:, j], rng.integers(1, 4, n), codes).astype(np.int8)
        frame[variable] = pd.array(codes, dtype="Int8")
    frame["weight"] = 1.0
    return frame


def timed(label, rows, function):
    t0 = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - t0
    print(json.dumps({"case": label, "rows": rows, "seconds": round(seconds, 3)}), flush=True)
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--auto-rows", type=int, default=100_000)
    args = ap.parse_args(argv)
    data = respondents(args.rows, seed=1)
    model = timed("near fit", args.rows, lambda: ProfileModel("near").fit(data))
    timed("near predict", args.rows, lambda: model.predict(data))
    print(json.dumps({"near profiles": model.k_, "distinct answers": len(model.lookup_)}))
    data = respondents(args.auto_rows, seed=2)
    model = timed(
        "kmeans k=auto (2..10)", args.auto_rows, lambda: ProfileModel("kmeans", k="auto").fit(data)
    )
    print(json.dumps({"kmeans chosen k": model.k_}))


if __name__ == "__main__":
    main()
