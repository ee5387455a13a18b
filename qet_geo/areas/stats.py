"""Small-area statistics ([Kish-1965], [Wilson-1927], [Goodman-1965]): effective sizes, intervals for shares and means,
sample sizes and margins of error. Vectorised over areas."""

from __future__ import annotations

import numpy as np
from scipy import stats

Z95 = 1.959963984540054


def kish(sum_w: np.ndarray, sum_w2: np.ndarray) -> np.ndarray:
    """Kish's effective sample size (Σw)² / Σw² (0 where there is no weight)."""
    sum_w = np.asarray(sum_w, dtype=float)
    sum_w2 = np.asarray(sum_w2, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sum_w2 > 0, sum_w**2 / sum_w2, 0.0)


def wilson(p: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a share ``p`` on ``n`` (effective) observations."""
    p = np.asarray(p, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    # the interval holds its share (rounding puts the low end of p = 0 at 1e-18)
    low = np.where(n > 0, np.clip(np.fmin(centre - half, p), 0, 1), np.nan)
    high = np.where(n > 0, np.clip(np.fmax(centre + half, p), 0, 1), np.nan)
    return low, high


def goodman(p: np.ndarray, n: np.ndarray, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Goodman's simultaneous intervals for the k shares of a mix (rows: areas, columns:
    categories): with A = χ²(1 − α/k; 1), p ± … as in Goodman (1965)."""
    p = np.asarray(p, dtype=float)
    n = np.asarray(n, dtype=float)[:, None]
    k = p.shape[1]
    a = stats.chi2.ppf(1 - alpha / k, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(a * (a + 4 * n * p * (1 - p)))
        low = (a + 2 * n * p - root) / (2 * (n + a))
        high = (a + 2 * n * p + root) / (2 * (n + a))
    bad = ~(n > 0)
    low = np.where(bad, np.nan, np.clip(low, 0, 1))
    high = np.where(bad, np.nan, np.clip(high, 0, 1))
    return low, high


def mean_interval(
    mean: np.ndarray, sd: np.ndarray, n_eff: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Student interval of a weighted mean: mean ± t(n_eff − 1) · sd / √n_eff."""
    n_eff = np.asarray(n_eff, dtype=float)
    # one quantile per distinct size (areas share few sizes): the same, much faster
    sizes, which = np.unique(np.maximum(n_eff - 1, 1), return_inverse=True)
    t = stats.t.ppf(0.5 + level / 2, sizes)[which.reshape(-1)]
    with np.errstate(divide="ignore", invalid="ignore"):
        half = t * np.asarray(sd, dtype=float) / np.sqrt(n_eff)
    ok = n_eff >= 2
    return np.where(ok, mean - half, np.nan), np.where(ok, mean + half, np.nan)


def target_size(population, e: float, z: float = Z95) -> np.ndarray:
    """NEAR's target sample size for a margin of error ``e`` at 95 %, p = 0.5, finite
    population N: n = z²·0.25 / (e² + z²·0.25 / N)."""
    population = np.asarray(population, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        n = z**2 * 0.25 / (e**2 + z**2 * 0.25 / population)
    return np.where(population > 0, np.ceil(n), np.nan)


def margin_of_error(n, population, z: float = Z95) -> np.ndarray:
    """Achieved margin of error at 95 % with p = 0.5 and the finite population correction
    (NEAR used p = n/N, which is wrong; [Cochran-1977]): z·√(0.25/n · (N − n)/(N − 1))."""
    n = np.asarray(n, dtype=float)
    population = np.asarray(population, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        fpc = np.where(population > 1, (population - n) / (population - 1), 1.0)
        e = z * np.sqrt(0.25 / n * np.clip(fpc, 0, None))
    return np.where(n > 0, e, np.nan)
