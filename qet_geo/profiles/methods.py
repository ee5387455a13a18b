"""Other profile methods, all on weighted distinct points: k-means, k-modes, k-prototypes,
Ward hierarchical, Gaussian mixture; and the scores that choose k.

Every function takes the distinct points and their summed respondent weights, so weights
are honoured and the cost depends on the number of distinct answers.
"""

from __future__ import annotations

import numpy as np

METHODS = ("near", "kmeans", "kmodes", "kprototypes", "ward", "gmm")


def _check_k(k: int, m: int) -> None:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if k > m:
        raise ValueError(f"k = {k} profiles, but the answers hold only {m} distinct vectors")


def kmeans(x, w, k, *, n_init=100, seed=0, max_iter=300):
    """Weighted k-means: ``n_init`` weighted k-means++ starts run together (Lloyd's
    iterations vectorised over the starts, to a fixed point of the labels), the lowest
    inertia kept. ``x`` are distinct points with summed weights ``w`` (at most 729 for the
    SU answers), so a start costs microseconds; results depend only on ``seed``."""
    _check_k(k, len(x))
    x = np.asarray(x, dtype=float)
    w_in = np.asarray(w, dtype=float)
    w = w_in / w_in.max()  # the same draws whatever the scale of the weights
    m = len(x)
    rng = np.random.default_rng(seed)
    sq = (x**2).sum(axis=1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0.0)  # m × m
    # greedy weighted k-means++ (as scikit-learn's): 2 + log k candidates drawn ∝ weight ×
    # squared distance to the nearest centre, the one lowering the inertia most kept
    chosen = np.empty((n_init, k), dtype=np.int64)
    cum = np.cumsum(w)
    chosen[:, 0] = np.minimum(np.searchsorted(cum, rng.random(n_init) * cum[-1], "right"), m - 1)
    closest = d2[chosen[:, 0]]  # n_init × m
    trials = 2 + int(np.log(k))
    rows = np.arange(n_init)
    for c in range(1, k):
        p = np.cumsum(closest * w, axis=1)
        draw = rng.random((n_init, trials)) * p[:, -1:]
        pick = np.minimum((p[:, None, :] <= draw[:, :, None]).sum(axis=2), m - 1)
        nearer = np.minimum(closest[:, None, :], d2[pick])  # n_init × trials × m
        best = _tied((nearer * w).sum(axis=2)).argmin(axis=1)
        chosen[:, c] = pick[rows, best]
        closest = nearer[rows, best]
    centres = x[chosen]  # n_init × k × d
    labels = np.full((n_init, m), -1)
    active = np.arange(n_init)  # starts whose labels still change
    points = np.arange(m)[None, :]
    for _ in range(max_iter):
        dist = _sq_distances(x, sq, centres[active])
        new = dist.argmin(axis=2)
        moving = (new != labels[active]).any(axis=1)
        if not moving.any():
            break
        active, new, dist = active[moving], new[moving], dist[moving]
        labels[active] = new
        n = len(active)
        member = np.zeros((n, k, m))
        member[np.arange(n)[:, None], new, points] = w[None, :]
        mass = member.sum(axis=2)  # starts × k
        sums = member @ x  # starts × k × d
        empty = mass <= 0
        if empty.any():  # an emptied centre moves to the point farthest from its own
            far = np.take_along_axis(dist, new[:, :, None], axis=2)[:, :, 0]
            for s_, j in zip(*np.nonzero(empty), strict=True):
                i = int(np.argmax(far[s_]))
                sums[s_, j], mass[s_, j] = x[i] * w[i], w[i]
                far[s_, i] = -1
        centres[active] = sums / mass[:, :, None]
    dist = _sq_distances(x, sq, centres)
    labels = dist.argmin(axis=2)
    own = np.take_along_axis(dist, labels[:, :, None], axis=2)[:, :, 0]
    inertia = (np.maximum(own, 0.0) * w_in[None, :]).sum(axis=1)
    best = int(np.argmin(inertia))
    return (
        labels[best].astype(np.int64),
        centres[best],
        {"inertia": float(inertia[best])},
    )


def _tied(values):
    """``values`` rounded to 10 significant digits of their largest: ties that floats
    break at random (answers are on a grid, many distances are equal) go to the first."""
    top = float(np.abs(values).max(initial=0.0))
    if top == 0:
        return values
    step = 10.0 ** (np.floor(np.log10(top)) - 10)
    return np.round(values / step)


def _sq_distances(x, sq, centres):
    """Squared distances of the points to the centres of every start (starts × m × k)."""
    return (
        sq[None, :, None]
        - 2 * (centres @ x.T).transpose(0, 2, 1)
        + (centres**2).sum(axis=2)[:, None, :]
    )


def kmodes(codes, w, k, *, n_init=20, seed=0):
    """Weighted k-modes (Huang initialisation, matching dissimilarity) from ``kmodes``."""
    from kmodes.kmodes import KModes

    _check_k(k, len(codes))
    model = KModes(n_clusters=k, init="Huang", n_init=n_init, random_state=seed)
    model.fit(codes, sample_weight=w)
    return (
        np.asarray(model.labels_, dtype=np.int64),
        np.asarray(model.cluster_centroids_, dtype=float),
        {"cost": float(model.cost_)},
    )


def kprototypes(codes, numbers, w, k, *, n_init=10, seed=0, gamma=None):
    """Weighted k-prototypes (``kmodes``): answer codes as categories, footprints as
    numbers (standardised), ``gamma`` weighing the two (default: Huang's, half the mean
    standard deviation of the numbers)."""
    from kmodes.kprototypes import KPrototypes

    _check_k(k, len(codes))
    data = np.column_stack([codes.astype(object), numbers.astype(object)])
    categorical = list(range(codes.shape[1]))
    model = KPrototypes(n_clusters=k, n_init=n_init, random_state=seed, gamma=gamma)
    model.fit(data, categorical=categorical, sample_weight=w)
    # kmodes puts the numeric columns first: back to (codes, numbers)
    raw = np.asarray(model.cluster_centroids_, dtype=float)
    n_numbers = numbers.shape[1]
    centroids = np.column_stack([raw[:, n_numbers:], raw[:, :n_numbers]])
    return (
        np.asarray(model.labels_, dtype=np.int64),
        centroids,
        {"cost": float(model.cost_), "gamma": float(model.gamma)},
    )


def ward(x, w, k):
    """Weighted Ward hierarchical clustering: merge the pair whose merge raises the
    within-profile sum of squares least, Δ = WᵢWⱼ/(Wᵢ+Wⱼ)·‖cᵢ−cⱼ‖², down to ``k`` profiles.
    Returns labels, centroids and the scipy linkage of the merges made."""
    m = len(x)
    _check_k(k, m)
    centroids = np.array(x, dtype=float)
    size = np.array(w, dtype=float)
    active = np.ones(m, dtype=bool)
    members = [[i] for i in range(m)]
    ids = list(range(m))
    sq = ((centroids[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    cost = size[:, None] * size[None, :] / (size[:, None] + size[None, :]) * sq
    np.fill_diagonal(cost, np.inf)
    count = {i: 1 for i in range(m)}
    linkage = []
    next_id = m
    for _ in range(m - k):
        flat = int(np.argmin(cost))
        a, b = divmod(flat, m)
        a, b = min(a, b), max(a, b)
        height = float(np.sqrt(2 * cost[a, b]))
        new_size = size[a] + size[b]
        centroids[a] = (centroids[a] * size[a] + centroids[b] * size[b]) / new_size
        size[a] = new_size
        active[b] = False
        members[a].extend(members[b])
        members[b] = []
        count[next_id] = count[ids[a]] + count[ids[b]]
        linkage.append([ids[a], ids[b], height, count[next_id]])
        ids[a] = next_id
        next_id += 1
        cost[b, :] = np.inf
        cost[:, b] = np.inf
        d = ((centroids - centroids[a]) ** 2).sum(axis=1)
        row = size[a] * size / (size[a] + size) * d
        row[~active] = np.inf
        row[a] = np.inf
        cost[a, :] = row
        cost[:, a] = row
    slots = np.flatnonzero(active)
    labels = np.empty(m, dtype=np.int64)
    for label, slot in enumerate(slots):
        labels[members[slot]] = label
    return labels, centroids[slots], {"linkage": linkage}


def gmm(x, w, k, *, n_init=10, seed=0, reg=1e-3, max_iter=300, tol=1e-6):
    """Weighted Gaussian mixture with diagonal covariances (EM), started from weighted
    k-means, ``n_init`` starts, the highest log-likelihood kept."""
    _check_k(k, len(x))
    best = None
    rng = np.random.default_rng(seed)
    total = w.sum()
    for start in range(n_init):
        labels, centres, _ = kmeans(x, w, k, n_init=1, seed=int(rng.integers(2**31)))
        means = centres.copy()
        var = np.empty_like(means)
        mix = np.empty(k)
        for j in range(k):
            in_j = labels == j
            wj = w[in_j].sum()
            mix[j] = wj / total
            var[j] = np.average((x[in_j] - means[j]) ** 2, axis=0, weights=w[in_j]) + reg
        previous = -np.inf
        for _ in range(max_iter):
            log_p = _log_density(x, means, var, mix)
            top = log_p.max(axis=1, keepdims=True)
            log_norm = top[:, 0] + np.log(np.exp(log_p - top).sum(axis=1))
            likelihood = float((w * log_norm).sum())
            resp = np.exp(log_p - log_norm[:, None]) * w[:, None]
            nk = resp.sum(axis=0) + 1e-12
            mix = nk / total
            means = (resp.T @ x) / nk[:, None]
            var = (resp.T @ x**2) / nk[:, None] - means**2 + reg
            var = np.maximum(var, reg)
            if likelihood - previous < tol * abs(likelihood):
                break
            previous = likelihood
        if best is None or likelihood > best[0]:
            best = (likelihood, means, var, mix, start)
    likelihood, means, var, mix, _ = best
    labels = _log_density(x, means, var, mix).argmax(axis=1).astype(np.int64)
    return (
        labels,
        means,
        {
            "log_likelihood": likelihood,
            "variances": var.tolist(),
            "mixing": mix.tolist(),
        },
    )


def _log_density(x, means, var, mix):
    """log(mix_j · N(x | mean_j, diag var_j)) for every point and component."""
    out = np.empty((len(x), len(means)))
    for j in range(len(means)):
        out[:, j] = (
            np.log(mix[j] + 1e-300)
            - 0.5 * np.sum(np.log(2 * np.pi * var[j]))
            - 0.5 * (((x - means[j]) ** 2) / var[j]).sum(axis=1)
        )
    return out


def gmm_predict(x, means, var, mix):
    return _log_density(x, np.asarray(means), np.asarray(var), np.asarray(mix)).argmax(axis=1)


# ------------------------------------------------------------------ scores for choosing k
def distances(x) -> np.ndarray:
    """Euclidean distances between the distinct points (m × m), computed once for every k."""
    x = np.asarray(x, dtype=float)
    sq = (x**2).sum(axis=1)
    return np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0.0))


def scores(x, w, labels, dist=None) -> dict:
    """Weighted silhouette (higher is better), Calinski–Harabasz (higher) and
    Davies–Bouldin (lower) of a partition of weighted points; ``dist``: :func:`distances`
    of ``x`` (computed if not given)."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    k = int(labels.max()) + 1 if len(labels) else 0
    total = w.sum()
    member = np.zeros((len(x), k))
    member[np.arange(len(x)), labels] = w
    wk = member.sum(axis=0)
    mean = (w @ x) / total
    centroids = (member.T @ x) / np.where(wk > 0, wk, 1)[:, None]
    own = np.sqrt(((x - centroids[labels]) ** 2).sum(axis=1))
    within = float((w * own**2).sum())
    between = float((wk * ((centroids - mean) ** 2).sum(axis=1)).sum())
    ch = float(between / (k - 1) / (within / (total - k))) if k > 1 and within > 0 else np.nan
    spread = (member.T @ own) / np.where(wk > 0, wk, 1)
    sep = np.sqrt(((centroids[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(sep, np.inf)
    db = (
        float(np.mean(np.max((spread[:, None] + spread[None, :]) / sep, axis=1)))
        if k > 1
        else np.nan
    )
    return {
        "silhouette": silhouette(x, w, labels, dist),
        "calinski_harabasz": ch,
        "davies_bouldin": db,
    }


def silhouette(x, w, labels, dist=None) -> float:
    """Silhouette of the respondents behind weighted distinct points (a respondent's own
    weight left out of its cluster's mean distance; a profile of one respondent scores 0)."""
    k = int(labels.max()) + 1
    if k < 2:
        return float("nan")
    w = np.asarray(w, dtype=float)
    d = distances(x) if dist is None else dist
    member = np.zeros((len(w), k))
    member[np.arange(len(w)), labels] = w
    sums = d @ member  # weighted distance of each point to each cluster
    wk = member.sum(axis=0)
    own = sums[np.arange(len(w)), labels]
    # the mean weight of one respondent at the point stands for "itself"
    rest = wk[labels] - 1.0
    a = np.where(rest > 0, own / np.where(rest > 0, rest, 1), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        other = sums / wk
    other[:, wk <= 0] = np.inf  # an empty cluster is no neighbour
    other[np.arange(len(w)), labels] = np.inf
    b = other.min(axis=1)
    s = np.where(rest > 0, (b - a) / np.maximum(np.maximum(a, b), 1e-300), 0.0)
    return float(np.average(s, weights=w))
