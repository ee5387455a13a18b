"""NEAR's Sphères d'Usages detection ([NEAR-SU]), without its defects.

Agglomerative clustering on weighted centroids with Euclidean distance: start from one
cluster per respondent; while (clusters > ``min_count``) and (smallest share <
``min_share``) and (largest share < ``max_share``) — or, with ``target_count``, while
clusters > ``target_count`` — merge **every** pair of clusters at the minimum distance at
once, tied pairs that chain together forming one group (connected components), the new
centroid being the weighted mean of the merged ones.

Ties are pairs whose distance is within ``d_min × (1 + rtol) + atol`` of the minimum
``d_min`` (``rtol`` = ``tie_tolerance``, default 1e-9; ``atol`` = ``tie_tolerance`` × the
largest coordinate), not exact float equality. Identical answers are merged first as
weighted points: NEAR's first step merges them anyway (they are at distance 0), so the
result is the same, and the cost depends on the number of distinct answers (≤ 729 for six
three-level answers), not on the number of respondents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..i18n import Message, retranslate, translate
from ..i18n import language as messages_language


@dataclass
class NearResult:
    """Clusters of the distinct points: ``labels`` (point → cluster 0..k-1, in order of
    each cluster's first point), ``centroids``, ``weights``, and the merge ``history``:
    one entry per step ``{"step", "distance", "groups": [[cluster ids…] → new id], …}`` with
    scipy-style ids (points 0..m-1, then m, m+1… for merged clusters)."""

    labels: np.ndarray
    centroids: np.ndarray
    weights: np.ndarray
    history: list = field(default_factory=list)
    stop_reason: str = ""  #: a Message (:func:`stop_reason`)
    #: cluster id (scipy-style) of each final cluster, in label order
    cluster_ids: list = field(default_factory=list)


def keep_merging(n: int, shares: np.ndarray, min_share, max_share, min_count, target_count) -> bool:
    """NEAR's loop condition (or the target count when one is given)."""
    if n <= 1:
        return False
    if target_count is not None:
        return n > target_count
    return n > min_count and shares.min() < min_share and shares.max() < max_share


#: the sentence (English; French in :mod:`qet_geo.i18n`) of each reason NEAR stops for,
#: by the key a model file keeps (:func:`stop_reason_data`)
STOP_REASONS = {
    "target_count": "{n} profiles remain (target {target_count})",
    "min_count": "{n} profiles remain (minimum count {min_count})",
    "min_share": "the smallest profile holds {share:.1%} (minimum share {min_share:.0%})",
    "max_share": "the largest profile holds {share:.1%} (maximum share {max_share:.0%})",
    "one_profile": "one profile remains",
}
_STOP_KEYS = {template: key for key, template in STOP_REASONS.items()}


def stop_reason(n, shares, min_share, max_share, min_count, target_count) -> Message:
    """Why NEAR stopped: a :class:`~qet_geo.i18n.Message` (its English text, translated
    by its template when shown)."""
    if target_count is not None:
        return _reason("target_count", n=int(n), target_count=int(target_count))
    if n <= min_count:
        return _reason("min_count", n=int(n), min_count=int(min_count))
    if shares.min() >= min_share:
        return _reason("min_share", share=float(shares.min()), min_share=float(min_share))
    if shares.max() >= max_share:
        return _reason("max_share", share=float(shares.max()), max_share=float(max_share))
    return _reason("one_profile")


def _reason(key: str, **values) -> Message:
    return Message(STOP_REASONS[key], **values)


def stop_reason_data(reason):
    """The stop reason as a model file keeps it: ``{"key": …, "values": {…}}``, no
    sentence (the same fit saves the same bytes in every language); the text of an older
    model file as it is."""
    if isinstance(reason, Message) and reason.template in _STOP_KEYS:
        return {"key": _STOP_KEYS[reason.template], "values": dict(reason.values)}
    return reason


def stop_reason_from_data(data):
    """The stop reason of a model file (:func:`stop_reason_data`): a
    :class:`~qet_geo.i18n.Message`; an older file's sentence (a string) as it is."""
    if isinstance(data, dict) and data.get("key") in STOP_REASONS:
        return _reason(data["key"], **(data.get("values") or {}))
    return data


def stop_reason_text(reason, language: str | None = None) -> str | None:
    """The stop reason in ``language`` ("fr" or "en"; default: the language of messages):
    by its template; the sentence of an older model file (English, or French) as well as it
    can be (:func:`qet_geo.i18n.retranslate`)."""
    if reason is None:
        return None
    lang = messages_language() if language is None else language
    if isinstance(reason, Message):
        return translate(lang, reason)
    return retranslate(lang, str(reason))


def near_cluster(
    points: np.ndarray,
    weights: np.ndarray,
    *,
    min_share: float = 0.11,
    max_share: float = 0.95,
    min_count: int = 3,
    target_count: int | None = None,
    tie_tolerance: float = 1e-9,
    respondent_weights: np.ndarray | None = None,
) -> NearResult:
    """Run NEAR's detection on distinct ``points`` with summed ``weights``.

    ``respondent_weights`` (the weights of the respondents before grouping) decide NEAR's
    very first test, made on one cluster per respondent: if the loop would not even start,
    every respondent stays alone (returned as ``labels`` of ``None``: the caller keeps one
    profile per respondent).
    """
    m = len(points)
    total = float(weights.sum())
    if respondent_weights is not None and not keep_merging(
        len(respondent_weights),
        respondent_weights / total,
        min_share,
        max_share,
        min_count,
        target_count,
    ):
        reason = stop_reason(
            len(respondent_weights),
            respondent_weights / total,
            min_share,
            max_share,
            min_count,
            target_count,
        )
        return NearResult(None, points, weights, [], reason)
    history = []
    if respondent_weights is not None and len(respondent_weights) > m:
        history.append(
            {"step": 0, "distance": 0.0, "groups": [], "note": "identical answers merged"}
        )
    centroids = np.array(points, dtype=float)
    w = np.array(weights, dtype=float)
    ids = list(range(m))  # scipy-style id of the cluster in each slot
    active = np.ones(m, dtype=bool)
    members = [[i] for i in range(m)]
    diff = centroids[:, None, :] - centroids[None, :, :]
    dist = np.sqrt((diff**2).sum(axis=2))
    np.fill_diagonal(dist, np.inf)
    del diff
    atol = tie_tolerance * max(1.0, float(np.abs(centroids).max(initial=0.0)))
    next_id = m
    step = 0
    while keep_merging(
        int(active.sum()), w[active] / total, min_share, max_share, min_count, target_count
    ):
        row_min = dist.min(axis=1)
        d_min = float(row_min.min())
        if not np.isfinite(d_min):
            break
        limit = d_min * (1 + tie_tolerance) + atol
        near_rows = np.flatnonzero(row_min <= limit)
        sub_rows, cols = np.nonzero(dist[near_rows] <= limit)
        groups = _components(near_rows[sub_rows], cols)
        step += 1
        record = {"step": step, "distance": d_min, "groups": []}
        for group in groups:
            slot = min(group)
            weight = w[group].sum()
            centroid = (centroids[group] * w[group, None]).sum(axis=0) / weight
            record["groups"].append(
                {"merged": [ids[g] for g in group], "into": next_id, "weight": float(weight)}
            )
            for g in group:
                if g != slot:
                    active[g] = False
                    dist[g, :] = np.inf
                    dist[:, g] = np.inf
                    members[slot].extend(members[g])
                    members[g] = []
            centroids[slot] = centroid
            w[slot] = weight
            ids[slot] = next_id
            next_id += 1
        for group in groups:
            slot = min(group)
            d = np.sqrt(((centroids - centroids[slot]) ** 2).sum(axis=1))
            d[~active] = np.inf
            d[slot] = np.inf
            dist[slot, :] = d
            dist[:, slot] = d
        record["clusters"] = int(active.sum())
        history.append(record)
    slots = np.flatnonzero(active)  # in order of first point: slot = smallest member
    labels = np.empty(m, dtype=np.int64)
    for label, slot in enumerate(slots):
        labels[members[slot]] = label
    n = len(slots)
    reason = stop_reason(n, w[slots] / total, min_share, max_share, min_count, target_count)
    return NearResult(labels, centroids[slots], w[slots], history, reason, [ids[s] for s in slots])


def _components(rows: np.ndarray, cols: np.ndarray) -> list[list[int]]:
    """Connected components of the tie graph, each as a sorted list of slots."""
    parent: dict[int, int] = {}

    def find(x):
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in zip(rows.tolist(), cols.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    return [sorted(g) for _, g in sorted(groups.items())]


def linkage_matrix(history: list, m: int, weights: np.ndarray) -> np.ndarray:
    """The merges of ``history`` as a scipy linkage matrix (k-way merges as k-1 binary
    merges at the same height), for drawing the dendrogram; clusters NEAR left apart are
    not joined (the matrix may be partial)."""
    rows = []
    size = {i: 1 for i in range(m)}
    alias = {}
    next_id = m
    for record in history:
        for group in record.get("groups", []):
            parts = [alias.get(i, i) for i in group["merged"]]
            current = parts[0]
            for other in parts[1:]:
                rows.append([current, other, record["distance"], size[current] + size[other]])
                size[next_id] = size[current] + size[other]
                current = next_id
                next_id += 1
            alias[group["into"]] = current
    return np.array(rows, dtype=float).reshape(-1, 4)
