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
    stop_reason: str = ""
    #: cluster id (scipy-style) of each final cluster, in label order
    cluster_ids: list = field(default_factory=list)


def keep_merging(n: int, shares: np.ndarray, min_share, max_share, min_count, target_count) -> bool:
    """NEAR's loop condition (or the target count when one is given)."""
    if n <= 1:
        return False
    if target_count is not None:
        return n > target_count
    return n > min_count and shares.min() < min_share and shares.max() < max_share


def stop_reason(n, shares, min_share, max_share, min_count, target_count) -> str:
    if target_count is not None:
        return f"{n} profiles remain (target {target_count})"
    if n <= min_count:
        return f"{n} profiles remain (minimum count {min_count})"
    if shares.min() >= min_share:
        return f"the smallest profile holds {shares.min():.1%} (minimum share {min_share:.0%})"
    if shares.max() >= max_share:
        return f"the largest profile holds {shares.max():.1%} (maximum share {max_share:.0%})"
    return "one profile remains"


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
