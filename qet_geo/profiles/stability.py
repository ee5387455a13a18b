"""Stability of profiles by bootstrap ([Hennig-2007], clusterboot convention).

Each resample draws the respondents with replacement, fits the same method with the same
parameters, and compares with the profiles of the full data on the respondents drawn:
adjusted Rand index overall, and per profile the best Jaccard similarity with a profile of
the resample. A profile whose mean Jaccard is under 0.5 is unstable ("dissolved"), 0.75 or
more stable, between the two "doubtful". Respondent weights are honoured: the resampled
respondents keep theirs, and every count is a sum of weights.
"""

from __future__ import annotations

import copy

import numpy as np

from .params import DEFAULT_BOOTSTRAP

UNSTABLE = 0.5
STABLE = 0.75


def status(jaccard: float) -> str:
    if not np.isfinite(jaccard):
        return "unknown"
    if jaccard < UNSTABLE:
        return "unstable"
    if jaccard >= STABLE:
        return "stable"
    return "doubtful"


def bootstrap(
    model, respondents, sample_weight=None, n_boot: int = DEFAULT_BOOTSTRAP, seed=None
) -> dict:
    from .encoding import answer_codes, respondent_weights

    codes, complete = answer_codes(respondents, model.variables, allowed=model._allowed())
    w = respondent_weights(respondents, sample_weight, rows=complete)[complete]
    data = respondents[complete].reset_index(drop=True)
    if getattr(model, "labels_", None) is not None and len(model.labels_) == len(respondents):
        reference = np.asarray(model.labels_, dtype="float64")[complete].astype(np.int64)
    else:  # a model read from its file: the profiles it gives these respondents
        reference = model.predict(data)["profile"].to_numpy(dtype=np.int64)
    n = len(data)
    k = model.k_
    rng = np.random.default_rng(model.parameters_["seed"] if seed is None else seed)
    aris, jaccards, failed = [], [], 0
    for _ in range(n_boot):
        draw = rng.integers(0, n, n)
        sample = data.iloc[draw].reset_index(drop=True)
        refit = copy.copy(model)
        refit.names, refit.colours = {}, {}
        # the seed the model was fitted with (a random_state generator is not drawn again)
        refit.seed, refit.random_state = model.parameters_["seed"], None
        if refit.k == "auto":  # the stability of the k chosen, not of the choice
            refit.k = model.k_
        try:
            refit.fit(sample, sample_weight=w[draw])
        except ValueError:  # e.g. a resample with fewer distinct answers than k
            failed += 1
            continue
        labels = np.asarray(refit.labels_, dtype="float64").astype(np.int64)
        ref = reference[draw]
        aris.append(adjusted_rand(ref, labels, w[draw]))
        jaccards.append(best_jaccard(ref, labels, w[draw], k))
    jaccards = np.array(jaccards).reshape(-1, k)  # resamples × k (NaN: profile not drawn)
    with np.errstate(all="ignore"):
        mean_j = np.nanmean(jaccards, axis=0) if len(jaccards) else np.full(k, np.nan)
    return {
        "n_boot": int(n_boot),
        "failed": int(failed),
        "ari": float(np.mean(aris)) if aris else None,
        "ari_low": float(np.quantile(aris, 0.05)) if aris else None,
        "ari_high": float(np.quantile(aris, 0.95)) if aris else None,
        "profiles": [
            {"profile": p + 1, "jaccard": float(mean_j[p]), "status": status(float(mean_j[p]))}
            for p in range(k)
        ],
    }


def adjusted_rand(a, b, w) -> float:
    """Adjusted Rand index of two partitions of weighted respondents (weights as counts;
    with all weights 1 it is sklearn's adjusted_rand_score)."""
    w = np.asarray(w, dtype=float)
    w = w * len(w) / w.sum()  # one per respondent on average: the index ignores the scale
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1))
    np.add.at(table, (ai, bi), w)
    n = table.sum()

    def pairs(x):
        return (x * (x - 1) / 2).sum()

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / (n * (n - 1) / 2) if n > 1 else 0.0
    top = (rows + cols) / 2
    if top == expected:
        return 1.0
    return float((index - expected) / (top - expected))


def best_jaccard(reference, labels, w, k) -> np.ndarray:
    """Per reference profile 1..k: the largest Jaccard similarity (weighted) with a profile
    of ``labels``; NaN when the profile has no respondent in the resample."""
    out = np.full(k, np.nan)
    for p in range(1, k + 1):
        in_ref = reference == p
        if not in_ref.any():
            continue
        best = 0.0
        for q in np.unique(labels[in_ref]):
            in_new = labels == q
            inter = w[in_ref & in_new].sum()
            union = w[in_ref | in_new].sum()
            best = max(best, inter / union)
        out[p - 1] = best
    return out
