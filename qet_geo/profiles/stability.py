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
from dataclasses import dataclass

import numpy as np

from .params import DEFAULT_BOOTSTRAP, check_against_answers

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
    """The stability of ``model``'s profiles over ``n_boot`` resamples of ``respondents``.

    A resample draws the n respondents with replacement. Respondents alike in their answer
    vector, their weight and their profile ("atoms") are interchangeable, so a resample is
    drawn as each atom's count (one multinomial draw of n over the atoms: the same law as n
    draws of a respondent) and fitted on the distinct answer vectors those counts give,
    with their summed weights — what the fit of the n rows computes, without the n rows:
    the cost of a resample grows with the atoms (a few hundred to a few thousand), not
    with the respondents."""
    at, refit, _ = prepare(model, respondents, sample_weight)
    n, k = at.n, model.k_
    multiplicity = at.multiplicity
    rng = np.random.default_rng(model.parameters_["seed"] if seed is None else seed)
    aris, jaccards, failed = [], [], 0
    for _ in range(n_boot):
        count = rng.multinomial(n, multiplicity / n) if n else multiplicity
        scores = resample_scores(refit, at, count, k)
        if scores is None:  # e.g. a resample with fewer distinct answers than k
            failed += 1
            continue
        aris.append(scores[0])
        jaccards.append(scores[1])
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


def prepare(model, respondents, sample_weight=None):
    """(the respondents' :class:`Atoms`, the model to refit on resamples, each respondent's
    atom among the complete ones)."""
    from .encoding import answer_codes, distinct_rows, respondent_weights

    codes, complete = answer_codes(respondents, model.variables, allowed=model._allowed())
    w = respondent_weights(respondents, sample_weight, rows=complete)[complete]
    codes = codes[complete]
    if getattr(model, "labels_", None) is not None and len(model.labels_) == len(respondents):
        reference = np.asarray(model.labels_, dtype="float64")[complete].astype(np.int64)
    else:  # a model read from its file: the profiles it gives these respondents
        data = respondents[complete].reset_index(drop=True)
        reference = model.predict(data)["profile"].to_numpy(dtype=np.int64)
    n = len(codes)
    vectors = distinct_rows(codes, w)
    keys = np.column_stack([vectors.inverse.astype(float), reference.astype(float), w])
    atoms, atom_of = np.unique(keys, axis=0, return_inverse=True)
    atom_vector = atoms[:, 0].astype(np.int64)
    atom_reference = atoms[:, 1].astype(np.int64)
    atom_weight = atoms[:, 2]
    multiplicity = np.bincount(atom_of.reshape(-1), minlength=len(atoms))
    refit = copy.copy(model)
    refit.names, refit.colours = {}, {}
    # the seed the model was fitted with (a random_state generator is not drawn again)
    refit.seed, refit.random_state = model.parameters_["seed"], None
    if refit.k == "auto":  # the stability of the k chosen, not of the choice
        refit.k = model.k_
    refit._check_parameters()
    refit.weight_table_ = model.weight_table_
    at = Atoms(vectors.codes, atom_vector, atom_reference, atom_weight, multiplicity, n)
    return at, refit, atom_of.reshape(-1)


@dataclass(frozen=True)
class Atoms:
    """Respondents grouped by answer vector, weight and profile: ``codes`` (the distinct
    vectors), per atom its ``vector`` (row of ``codes``), ``reference`` profile,
    ``weight`` (one respondent's) and ``multiplicity``; ``n`` respondents in all."""

    codes: np.ndarray
    vector: np.ndarray
    reference: np.ndarray
    weight: np.ndarray
    multiplicity: np.ndarray
    n: int


def resample_scores(refit, at: Atoms, count: np.ndarray, k: int):
    """(adjusted Rand index, best Jaccard per profile) of the resample that draws each atom
    ``count`` times, fitted by ``refit`` on its distinct vectors; None when it cannot be
    fitted (fewer distinct answers than profiles)."""
    from .encoding import Distinct

    keep = count > 0
    c, vector = count[keep], at.vector[keep]
    ref, aw = at.reference[keep], at.weight[keep]
    used, rank = np.unique(vector, return_inverse=True)
    rank = rank.reshape(-1)
    starts = np.cumsum(c) - c  # each atom's first respondent in the resample
    first = np.full(len(used), np.iinfo(np.int64).max)
    np.minimum.at(first, rank, starts)
    # the distinct vectors in order of first appearance, as a fit of the rows has them
    order = np.argsort(first, kind="stable")
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    rank = position[rank]
    weight = np.bincount(rank, weights=c * aw, minlength=len(used))
    distinct = Distinct(at.codes[used[order]], weight,
                        np.bincount(rank, weights=c, minlength=len(used)).astype(np.int64),
                        first[order], np.repeat(rank, c))  # fmt: skip
    w_draw = np.repeat(aw, c)
    try:
        check_against_answers(refit, len(distinct.codes), at.n)
        labels_d, _, _, fitted = refit._fit_distinct(
            distinct, distinct.codes[distinct.inverse], w_draw
        )
    except ValueError:
        return None
    if fitted is distinct:  # a profile per distinct vector of the resample
        labels, weights = np.asarray(labels_d, dtype=np.int64)[rank], c * aw
    else:  # NEAR stopped before its first merge: a profile per respondent
        labels, ref, weights = np.asarray(labels_d, dtype=np.int64), np.repeat(ref, c), w_draw
    return adjusted_rand(ref, labels, weights, n=int(c.sum())), best_jaccard(
        ref, labels, weights, k
    )


def adjusted_rand(a, b, w, n: int | None = None) -> float:
    """Adjusted Rand index of two partitions of weighted respondents (weights as counts;
    with all weights 1 it is sklearn's adjusted_rand_score). ``n``: the respondents the
    rows stand for (rows that are groups of respondents: their summed weights), default
    one per row."""
    w = np.asarray(w, dtype=float)
    w = w * (n or len(w)) / w.sum()  # one per respondent on average: the index ignores the scale
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
