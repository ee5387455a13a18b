"""``ProfileModel``: detect usage profiles, describe them, place later answers in them.

Configured in ``__init__``, fitted with :meth:`ProfileModel.fit`, used with
:meth:`ProfileModel.predict` (NEAR's "script 2"), kept as a versioned JSON file with
:meth:`ProfileModel.save` / :meth:`ProfileModel.load`.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin

from .. import __version__
from ..errors import InputError, ParameterError, Problem
from ..footprint.su import band_values, su_footprints
from ..i18n import Message, either, forum_language, tr
from ..io import atomic_path, json_ready
from ..limits import echo, read_json
from ..parameters import check_respondents
from ..threshold import DEFAULT_MIN_CELL, check_min_cell
from . import methods as m
from .encoding import (
    FOOTPRINT_OF,
    SU_VARIABLES,
    WEIGHT_PRESETS,
    answer_codes,
    distinct_rows,
    encode,
    resolve_weights,
    respondent_weights,
)
from .near import near_cluster, stop_reason_data, stop_reason_from_data
from .notes import STRUCTURE, note, quality_message
from .params import (
    ProfileParameterError,
    check_against_answers,
    check_parameters,
    effective_seed,
)
from .portraits import (
    answer_shares,
    default_colours,
    default_names,
    describe,
    footprint_means,
    portraits,
)
from .publish import (
    COMPLEMENTARY,
    described,
    group_name,
    publication,
    published_labels,
    shareable_dict,
    small_profiles,
)
from .stability import bootstrap

FORMAT = "qet-geo.profiles"
FORMAT_VERSION = 2
#: versions :meth:`ProfileModel.load` reads (1: one file, all of it private)
READABLE_VERSIONS = (1, 2)
#: encoding used by each method unless told otherwise
DEFAULT_ENCODING = {
    "near": "weights",
    "kmeans": "standardised",
    "ward": "standardised",
    "gmm": "standardised",
    "kmodes": "codes",
    "kprototypes": "codes+footprints",
}
#: encodings each method can work with
ENCODINGS_OF = {
    "near": ("weights",),
    "kmeans": ("standardised", "onehot", "weights", "footprints"),
    "ward": ("standardised", "onehot", "weights", "footprints"),
    "gmm": ("standardised", "onehot", "weights", "footprints"),
    "kmodes": ("codes",),
    "kprototypes": ("codes+footprints",),
}
DEFAULT_N_INIT = {"kmeans": 100, "kmodes": 20, "kprototypes": 10, "gmm": 10}
OUTLIER_QUANTILE = 0.99
#: a profile of this many respondents or fewer is degenerate
TINY = 2
#: a profile holding this share of the weight or more holds "nearly everyone"
NEARLY_ALL = 0.9
#: under this (weighted) silhouette a partition shows no clear structure: Kaufman &
#: Rousseeuw (1990, *Finding Groups in Data*, ch. 2) read an average silhouette ≤ 0.25 as
#: "no substantial structure has been found" (0.26–0.50 weak, 0.51–0.70 reasonable)
WEAK_STRUCTURE = 0.25


class ProfileModel(ClusterMixin, BaseEstimator):
    """Usage profiles of survey respondents.

    A scikit-learn estimator: ``__init__`` only stores the parameters, :meth:`fit` checks
    them (the rule a run's configuration and the command line use, :mod:`.params`) and
    sets the learned state in attributes ending ``_``; ``get_params``/``set_params`` and
    ``sklearn.base.clone`` work (a clone is unfitted). Its input is a table of categorical
    answers (codes in named columns), not a numeric array.

    Parameters
    ----------
    method : "near" (NEAR's Sphères d'Usages, [NEAR-SU]), "kmeans", "kmodes",
        "kprototypes", "ward" or "gmm".
    variables : answer columns (default: the six SU variables).
    weights : NEAR's CO2 weights of the answer codes: "current", "2023" or a mapping
        variable → weights of codes 1, 2, 3 (for ``encoding="weights"``).
    encoding : "weights", "standardised", "onehot", "footprints" (NGC band footprints of
        the SU answers, kgCO2e/yr); default by method (near: weights; kmeans, ward, gmm:
        standardised; kmodes: the codes; kprototypes: codes and standardised footprints).
    min_share, max_share, min_count, target_count, tie_tolerance : NEAR's stopping rule and
        ties (see :mod:`qet_geo.profiles.near`).
    k : number of profiles for the other methods, or "auto" (chosen in ``k_range`` by
        silhouette, Calinski–Harabasz and Davies–Bouldin; the table is ``scores_``).
    n_init : starts of k-means / k-modes / k-prototypes / mixtures (the best kept).
    seed : random seed (results are identical run to run): the name a run's configuration
        (``[profiles] seed``), the command line (``--seed``) and QGIS (``SEED``) use.
    random_state : scikit-learn's name for the seed, given instead of ``seed`` (an int is
        the seed itself; a numpy ``Generator``/``RandomState`` gives one seed drawn at each
        fit; both given is an error); None (default): ``seed``. The seed used is kept in
        ``parameters_["seed"]`` and in the model file, so that the same seed gives the
        same model.
    names, colours : profile number → name / colour, overriding the defaults.
    assign : "lookup" (default: an answer vector seen at fitting keeps its fitted profile,
        others go to the nearest centroid) or "nearest" (NEAR's script 2: always the
        nearest centroid).
    min_cell : disclosure threshold ([INSEE-secret], default 11): profiles of fewer
        respondents are published grouped, without portrait (see
        :mod:`qet_geo.profiles.publish`); under 3 it needs ``allow_below_3``.

    Attributes
    ----------
    parameters_ : the parameters checked and normalised (what the model file keeps).
    k_ : number of profiles found. labels_ : profile (1..k, <NA> for a missing answer)
        of each fitting respondent. portraits_ : one entry per profile. quality_ : notes
        as keys and numbers (:mod:`qet_geo.profiles.notes`; :meth:`quality_messages`
        says them). scores_, structure_, stability_, centroids_ …

    References
    ----------
    Keys of ``docs/references.md``; the method is ``docs/profiles.md``.

    - [NEAR-SU]: the SU answers, their CO2 weights, the detection ("script 1") and the
      assignment ("script 2") of ``method="near"``.
    - [Lloyd-1982], [Arthur-Vassilvitskii-2007], [Scikit-learn-2011]: ``kmeans``.
    - [Huang-1998], [Huang-1997], [Kmodes-package]: ``kmodes``, ``kprototypes``.
    - [Ward-1963]: ``ward``; [Dempster-1977]: ``gmm``.
    - [Rousseeuw-1987], [Calinski-Harabasz-1974], [Davies-Bouldin-1979]: the scores that
      choose k; [Kaufman-Rousseeuw-1990]: the "no clear structure" warning.
    - [Gale-2016]: the portraits; [Tol-colour-schemes], [Okabe-Ito-2008]: the colours.
    - [NGC-model]: ``encoding="footprints"``; [INSEE-secret], [Hundepool-2012]: the
      grouping of small profiles (``min_cell``).

    Examples
    --------
    >>> import qet_geo as qg
    >>> respondents = qg.read_survey("sample_data/survey_su.tsv").respondents
    >>> model = qg.ProfileModel("near").fit(respondents)
    >>> model.k_ >= 1
    True
    """

    def __init__(
        self,
        method: str = "near",
        *,
        variables=SU_VARIABLES,
        weights="current",
        encoding: str | None = None,
        min_share: float = 0.11,
        max_share: float = 0.95,
        min_count: int = 3,
        target_count: int | None = None,
        tie_tolerance: float = 1e-9,
        k=None,
        k_range=(2, 10),
        n_init: int | None = None,
        seed: int = 0,
        random_state=None,
        names=None,
        colours=None,
        assign: str = "lookup",
        min_cell: int = DEFAULT_MIN_CELL,
        allow_below_3: bool = False,
    ):
        # scikit-learn's rule: only store the parameters; fit checks them
        self.method = method
        self.variables = variables
        self.weights = weights
        self.encoding = encoding
        self.min_share = min_share
        self.max_share = max_share
        self.min_count = min_count
        self.target_count = target_count
        self.tie_tolerance = tie_tolerance
        self.k = k
        self.k_range = k_range
        self.n_init = n_init
        self.seed = seed
        self.random_state = random_state
        self.names = names
        self.colours = colours
        self.assign = assign
        self.min_cell = min_cell
        self.allow_below_3 = allow_below_3

    def __sklearn_tags__(self):
        """scikit-learn's tags: a clusterer of categorical answers (a table of answer
        codes 1, 2, 3 in named columns, missing answers left out), not of numbers."""
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.input_tags.allow_nan = True  # a respondent with a missing answer is left out
        tags.non_deterministic = False  # the same seed, the same model
        return tags

    # ------------------------------------------------------------------ parameters
    def checked_parameters(self) -> dict:
        """The parameters checked — by the rule a run's configuration and the command line
        use (:func:`~qet_geo.profiles.params.check_parameters`) — and normalised, as a model
        file keeps them; the first bad one raises :class:`ProfileParameterError` (or a
        ``ValueError``). :meth:`fit` runs it first; call it to check before any work.

        ``seed`` in the result is the seed the fit uses: ``random_state`` when it is given
        (see :func:`~qet_geo.profiles.params.effective_seed`), else ``seed``."""
        method = self.method
        if method not in m.METHODS:
            raise ValueError(tr("unknown method {method}; expected one of {methods}",
                                method=repr(method), methods=", ".join(m.METHODS)))  # fmt: skip
        if self.assign not in ("lookup", "nearest"):
            raise ValueError("assign must be 'lookup' or 'nearest'")
        checked = check_parameters(
            min_share=self.min_share, max_share=self.max_share, min_count=self.min_count,
            target_count=self.target_count, tie_tolerance=self.tie_tolerance, k=self.k,
            k_range=self.k_range, n_init=self.n_init, seed=self.seed, method=method,
        )  # fmt: skip
        seed = effective_seed(checked["seed"], self.random_state)
        check_min_cell(int(self.min_cell), bool(self.allow_below_3))
        if method != "near" and self.k is None:
            raise ValueError(
                tr("method {method!r} needs k (a number of profiles, or 'auto')", method=method)
            )
        encoding = self.encoding or DEFAULT_ENCODING[method]
        if encoding not in ENCODINGS_OF[method]:
            raise ValueError(
                f"method {method!r} works with encoding "
                + " or ".join(repr(e) for e in ENCODINGS_OF[method])
                + f", not {encoding!r}"
            )
        weights = self.weights
        return {
            "method": method,
            "variables": list(self.variables),
            "weights": weights if isinstance(weights, str) else dict(weights),
            "encoding": encoding,
            "min_share": checked["min_share"],
            "max_share": checked["max_share"],
            "min_count": checked["min_count"],
            "target_count": checked["target_count"],
            "tie_tolerance": checked["tie_tolerance"],
            "k": checked["k"],
            "k_range": list(checked["k_range"]),
            "n_init": checked["n_init"],
            "seed": seed,
            "assign": self.assign,
            "min_cell": int(self.min_cell),
            "allow_below_3": bool(self.allow_below_3),
        }

    @property
    def _encoding(self) -> str:
        """The encoding worked with: the fitted one, else the one the parameters give."""
        fitted = getattr(self, "encoding_", None)
        return fitted or self.encoding or DEFAULT_ENCODING[self.method]

    def _check_parameters(self) -> None:
        """Check the parameters and set what the fit works with (``parameters_``,
        ``encoding_``)."""
        self.parameters_ = self.checked_parameters()
        self.encoding_ = self.parameters_["encoding"]

    # ------------------------------------------------------------------ fitting
    def fit(
        self, respondents: pd.DataFrame, y=None, sample_weight=None, source: str = "respondents"
    ):
        """Detect the profiles of ``respondents`` (one row each; answer codes in the
        variables' columns; weights from ``sample_weight``, a ``weight`` column or 1).
        ``y`` is not used (scikit-learn's signature). The parameters are checked first
        (:meth:`checked_parameters`).

        Respondents with a missing answer are left out and counted (``excluded_``).

        Parameters
        ----------
        respondents : pandas.DataFrame
            One row per respondent, the answer codes 1, 2, 3 in the variables' columns
            (:func:`qet_geo.read_survey`).
        y : None
            Not used (scikit-learn's signature).
        sample_weight : array-like, optional
            Weights of the respondents (default: their ``weight`` column, else 1).
        source : str
            The name given to the respondents in messages.

        Returns
        -------
        ProfileModel
            ``self``, fitted (``k_``, ``labels_``, ``portraits_``, ``quality_``…).

        Raises
        ------
        ProfileParameterError
            A parameter that cannot be used (a :class:`~qet_geo.errors.ParameterError`).
        InputError
            A missing answer column or a bad answer code.

        References
        ----------
        The methods' sources are on the class (:class:`ProfileModel`): [NEAR-SU],
        [Lloyd-1982], [Arthur-Vassilvitskii-2007], [Huang-1998], [Huang-1997],
        [Ward-1963], [Dempster-1977], [Rousseeuw-1987], [Calinski-Harabasz-1974],
        [Davies-Bouldin-1979], [Gale-2016]. The page is ``docs/profiles.md``.

        Examples
        --------
        >>> import qet_geo as qg
        >>> respondents = qg.read_survey("sample_data/survey_su.tsv").respondents
        >>> model = qg.ProfileModel("kmeans", k=3, seed=1).fit(respondents)
        >>> model.k_
        3
        """
        check_respondents(respondents, "ProfileModel.fit")
        self._check_parameters()
        self.weight_table_ = self._weight_table()
        codes, complete = answer_codes(respondents, self.variables, source, self._allowed())
        w_all = respondent_weights(respondents, sample_weight, rows=complete)
        self.n_respondents_ = int(len(respondents))
        self.excluded_ = int((~complete).sum())
        codes, w = codes[complete], w_all[complete]
        if len(codes) == 0:
            raise InputError(Problem.of(source, "no respondent with every answer of the profiles"))
        distinct = distinct_rows(codes, w)
        check_against_answers(self, len(distinct.codes), len(codes))
        self.scores_ = None
        chosen = self._fit_distinct(distinct, codes, w)
        labels_distinct, centroids, extra, distinct = chosen
        self._finish(distinct, labels_distinct, centroids, extra, codes, w, respondents, complete)
        return self

    def _allowed(self) -> dict:
        """Answer codes each variable may take: those of its weights (or footprints) table,
        1–3 for the SU variables otherwise; other variables any whole number."""
        table = getattr(self, "weight_table_", None) or {}
        allowed = {v: set(range(1, len(table[v]) + 1)) for v in self.variables if v in table}
        for v in self.variables:
            if v not in allowed and v in SU_VARIABLES:
                allowed[v] = {1, 2, 3}
        return allowed

    def _weight_table(self):
        if self._encoding == "footprints" or self._encoding == "codes+footprints":
            return footprint_table(self.variables)
        if self._encoding == "weights":
            return resolve_weights(self.weights, self.variables)
        return None

    def _points(self, codes, weights=None, stats=None):
        """Encoded numbers of answer codes (``stats`` fixed at fitting)."""
        if self._encoding in ("weights", "footprints"):
            return encode(codes, self.variables, "weights", weights=self.weight_table_)[0]
        if self._encoding in ("standardised", "onehot"):
            x, stats = encode(
                codes,
                self.variables,
                self._encoding,
                weights=weights,
                stats=stats,
                levels=self._allowed(),
            )
            return x, stats
        if self._encoding == "codes":
            return codes.astype(float)
        if self._encoding == "codes+footprints":
            fp = encode(codes, self.variables, "weights", weights=self.weight_table_)[0]
            if stats is None:
                mean = np.average(fp, axis=0, weights=weights)
                std = np.sqrt(np.average((fp - mean) ** 2, axis=0, weights=weights))
                stats = {"mean": mean.tolist(), "std": np.where(std > 0, std, 1).tolist()}
            z = (fp - np.asarray(stats["mean"])) / np.asarray(stats["std"])
            return np.column_stack([codes.astype(float), z]), stats
        raise ValueError(f"unknown encoding {self._encoding!r}")

    def _encode(self, codes, weights=None):
        """Encoded points; sets ``encoding_stats_`` when fitting (weights given)."""
        if self._encoding in ("weights", "footprints", "codes"):
            return self._points(codes)
        if weights is not None:
            x, self.encoding_stats_ = self._points(codes, weights)
            return x
        return self._points(codes, stats=self.encoding_stats_)[0]

    def _fit_distinct(self, distinct, codes, w):
        self.encoding_stats_ = None
        self.structure_ = None
        # weights on the scale of their largest: the same encoding whatever their scale
        x = self._encode(distinct.codes, distinct.weight / distinct.weight.max())
        if self.method == "near":
            result = near_cluster(
                x,
                distinct.weight,
                min_share=self.parameters_["min_share"],
                max_share=self.parameters_["max_share"],
                min_count=self.parameters_["min_count"],
                target_count=self.parameters_["target_count"],
                tie_tolerance=self.parameters_["tie_tolerance"],
                respondent_weights=w,
            )
            if result.labels is None:  # NEAR stops before its first merge
                n = len(codes)
                distinct = type(distinct)(
                    codes, w, np.ones(n, dtype=np.int64), np.arange(n), np.arange(n)
                )
                x = self._encode(codes)
                labels = np.arange(n)
                centroids = x
            else:
                labels, centroids = result.labels, result.centroids
            self.history_ = result.history
            self.stop_reason_ = result.stop_reason
            return labels, centroids, {}, distinct
        if self.parameters_["k"] == "auto":
            table = []
            low, high = self.parameters_["k_range"]
            high = min(high, len(distinct.codes))
            low = max(2, low)
            if low > high:
                raise ValueError(
                    f"k_range {tuple(self.parameters_['k_range'])} leaves no k from 2 to the "
                    f"{len(distinct.codes)} distinct answers"
                )
            fits = {}
            # weights rescaled to one per respondent on average: the scores do not depend
            # on the scale of the weights
            per_respondent = distinct.weight * distinct.count.sum() / distinct.weight.sum()
            space = self._score_space(x)
            dist = m.distances(space)  # once for every k
            for k in range(low, high + 1):
                fits[k] = self._fit_k(x, distinct, k)
                table.append({"k": k, **m.scores(space, per_respondent, fits[k][0], dist)})
            self.scores_ = choose_k(table)
            best = next(row["k"] for row in self.scores_ if row["chosen"])
            self.k_ = best
            top = max(table, key=lambda row: _finite(row["silhouette"]))
            self.structure_ = _structure(top["silhouette"], int(top["k"]), (low, high))
            return (*fits[best], distinct)
        self.k_ = int(self.parameters_["k"])
        fitted = self._fit_k(x, distinct, self.k_)
        per_respondent = distinct.weight * distinct.count.sum() / distinct.weight.sum()
        space = self._score_space(x)
        value = m.silhouette(space, per_respondent, np.asarray(fitted[0]))
        self.structure_ = _structure(value, self.k_, None)
        return (*fitted, distinct)

    def _score_space(self, x):
        """Points the k scores measure distances in (codes one-hot for k-modes)."""
        if self._encoding == "codes":
            return encode(x.astype(np.int64), self.variables, "onehot")[0]
        return x

    def _fit_k(self, x, distinct, k):
        n_init = self.parameters_["n_init"] or DEFAULT_N_INIT.get(self.method, 10)
        seed = self.parameters_["seed"]
        w = distinct.weight
        if self.method == "kmeans":
            return m.kmeans(x, w, k, n_init=n_init, seed=seed)
        if self.method == "ward":
            return m.ward(x, w, k)
        if self.method == "gmm":
            return m.gmm(x, w, k, n_init=n_init, seed=seed)
        if self.method == "kmodes":
            return m.kmodes(distinct.codes, w, k, n_init=n_init, seed=seed)
        if self.method == "kprototypes":
            p = len(self.variables)
            return m.kprototypes(
                x[:, :p].astype(np.int64), x[:, p:], w, k, n_init=n_init, seed=seed
            )
        raise AssertionError(self.method)

    def _finish(self, distinct, labels_d, centroids, extra, codes, w, respondents, complete):
        used, labels_d = np.unique(labels_d, return_inverse=True)  # no empty profile
        labels_d = labels_d.reshape(-1)
        self.empty_profiles_ = int(len(centroids) - len(used))
        centroids = np.asarray(centroids, dtype=float)[used]
        extra = {
            key: _reorder(value, used) if key in ("variances", "mixing") else value
            for key, value in extra.items()
        }
        k = len(used)
        size = np.bincount(labels_d, weights=distinct.weight, minlength=k)
        count = np.bincount(labels_d, weights=distinct.count, minlength=k)
        first = np.full(k, np.iinfo(np.int64).max)
        np.minimum.at(first, labels_d, distinct.first)
        # profiles by decreasing weighted size; equal sizes by first respondent; profiles
        # under the disclosure threshold last (they are published grouped)
        order = np.lexsort((first, -size, count < self.min_cell))
        number = np.empty(k, dtype=np.int64)
        number[order] = np.arange(1, k + 1)
        near_order = np.empty(k, dtype=np.int64)
        near_order[np.argsort(first, kind="stable")] = np.arange(1, k + 1)
        self.centroids_ = np.asarray(centroids, dtype=float)[order]
        self.extra_ = {
            key: _reorder(value, order) if key in ("variances", "mixing") else value
            for key, value in extra.items()
        }
        profile_of_distinct = number[labels_d]
        labels = profile_of_distinct[distinct.inverse]
        self.k_ = k
        # lookup of fitted answers
        self.lookup_ = {}
        self.vector_counts_ = {}  # respondents of each answer vector (private file only)
        for row, p, n in zip(distinct.codes, profile_of_distinct, distinct.count, strict=True):
            self.lookup_.setdefault(_key(row), int(p))  # the first respondent's profile
            self.vector_counts_[_key(row)] = self.vector_counts_.get(_key(row), 0) + int(n)
        self.kind_ = "private"
        # distances of the fitting respondents to their profile
        x_d = self._encode(distinct.codes)
        self._distinct = (x_d, distinct.weight)  # for the report's dendrogram (not saved)
        # the answers of the profiles, for the report's shares (not saved)
        self._answers = (distinct.codes, profile_of_distinct, distinct.weight, distinct.count)
        d_own = self._distance(x_d, profile_of_distinct)
        dist = d_own[distinct.inverse]
        self.outlier_threshold_ = weighted_quantile(dist, w, OUTLIER_QUANTILE)
        nearest = self._nearest(x_d)[0]
        moved = nearest != profile_of_distinct
        self.nearest_moves_ = {
            "respondents": int(distinct.count[moved].sum()),
            "share": float(distinct.weight[moved].sum() / distinct.weight.sum()),
        }
        labels_all = pd.array([pd.NA] * len(respondents), dtype="Int64")
        labels_all[np.flatnonzero(complete)] = labels
        self.labels_ = labels_all
        # portraits, on the distinct answers (footprints of the respondents' own fp_*
        # columns when they have them, else the NGC band footprints of the answers)
        own = [c for c in respondents.columns if c.startswith("fp_") and c.count("_") == 1]
        if own:
            frame = respondents.loc[complete, own]
            fp = footprint_means(
                {c[3:]: frame[c].to_numpy(dtype=float, na_value=np.nan) for c in own},
                w,
                labels,
                k,
            )
        else:
            frame = su_footprint_frame(distinct.codes, self.variables)
            fp = (
                None
                if frame is None
                else footprint_means(
                    {c[3:]: frame[c].to_numpy(dtype=float) for c in frame.columns},
                    distinct.weight,
                    profile_of_distinct,
                    k,
                )
            )
        self.portraits_ = portraits(
            distinct.codes,
            distinct.weight,
            profile_of_distinct,
            k,
            self.variables,
            fp,
            counts=distinct.count,
        )
        shares, overall = answer_shares(
            distinct.codes, distinct.weight, profile_of_distinct, k, self.variables
        )
        defaults_n = default_names(self.portraits_, self.variables, shares, overall)
        # the published profiles' names told apart among themselves only: a "(4)" must not
        # say that a profile under the threshold has the same distinctive answers
        kept = [i for i, e in enumerate(self.portraits_) if e["size"] >= self.min_cell]
        for i, name in zip(kept, default_names([self.portraits_[i] for i in kept], self.variables, [shares[i] for i in kept], overall), strict=True):  # fmt: skip
            defaults_n[i] = name
        given_names, given_colours = dict(self.names or {}), dict(self.colours or {})
        _check_numbers(given_names, given_colours, k, defaults_n)
        defaults_c = default_colours(k)
        for entry, name, colour in zip(self.portraits_, defaults_n, defaults_c, strict=True):
            p = entry["profile"]
            entry["name"] = str(given_names.get(p, name))
            entry["colour"] = _colour(given_colours.get(p, colour))
            entry["near_number"] = int(near_order[order[p - 1]])
            inside = profile_of_distinct == p
            entry["centroid_codes"] = np.average(
                distinct.codes[inside], axis=0, weights=distinct.weight[inside]
            ).tolist()
            entry["centroid"] = self.centroids_[p - 1].tolist()
            entry["description"] = describe(entry, entry["name"], self.variables)
        self.history_ = getattr(self, "history_", None) if self.method == "near" else None
        if self.method == "ward":
            self.history_ = None
        self.stability_ = None
        self.quality_ = self._quality()
        self.fitted_ = True

    # ------------------------------------------------------------------ distances
    def _distance(self, x, profiles):
        """Distance of encoded points to the centroid of the given profiles (1..k)."""
        c = self.centroids_[np.asarray(profiles) - 1]
        if self._encoding == "codes":
            return (x != c).sum(axis=1).astype(float)
        if self._encoding == "codes+footprints":
            p = len(self.variables)
            gamma = self.extra_.get("gamma", 1.0)
            return np.sqrt(
                ((x[:, p:] - c[:, p:]) ** 2).sum(axis=1)
                + gamma * (x[:, :p] != c[:, :p]).sum(axis=1)
            )
        return np.sqrt(((x - c) ** 2).sum(axis=1))

    def _nearest(self, x):
        """Nearest profile (1..k) of encoded points and the distance to it."""
        k = len(self.centroids_)
        d = np.column_stack([self._distance(x, np.full(len(x), p)) for p in range(1, k + 1)])
        if self.method == "gmm":
            best = m.gmm_predict(
                x, self.centroids_, self.extra_["variances"], self.extra_["mixing"]
            )
        else:
            best = d.argmin(axis=1)
        return best + 1, d[np.arange(len(x)), best]

    # ------------------------------------------------------------------ assignment
    def predict(self, respondents: pd.DataFrame, source: str = "respondents") -> pd.DataFrame:
        """Profile of each respondent (NEAR's script 2): ``profile`` (1..k, <NA> when an
        answer is missing), ``profile_name``, ``distance`` to the profile's centroid,
        ``outlier`` (farther than the 99th percentile of the fitting distances) and
        ``assigned_by`` ("fitted answer" or "nearest centroid").

        Parameters
        ----------
        respondents : pandas.DataFrame
            Respondents with the model's answer columns.
        source : str
            The name given to the respondents in messages.

        Returns
        -------
        pandas.DataFrame
            One row per respondent (same index): ``profile``, ``profile_name``,
            ``distance``, ``outlier``, ``assigned_by``.

        Raises
        ------
        InputError
            A missing answer column or a bad answer code.

        References
        ----------
        [NEAR-SU]: the nearest-centroid assignment ("script 2"). The page is
        ``docs/profiles.md``.

        Examples
        --------
        >>> assigned = model.predict(respondents)  # doctest: +SKIP
        >>> assigned["profile"].value_counts()  # doctest: +SKIP
        """
        check_respondents(respondents, "ProfileModel.predict")
        self._check_fitted()
        codes, complete = answer_codes(respondents, self.variables, source, self._allowed())
        if self.k_ == 0:  # a shareable model whose profiles are all under the threshold
            complete = np.zeros(len(respondents), dtype=bool)
        distinct = distinct_rows(codes[complete], np.ones(int(complete.sum())))
        x = self._encode(distinct.codes)
        nearest, d_near = self._nearest(x) if len(x) else (np.zeros(0, int), np.zeros(0))
        profile = nearest.copy()
        how = np.full(len(x), "nearest centroid", dtype=object)
        if self.assign == "lookup":
            for i, row in enumerate(distinct.codes):
                fitted = self.lookup_.get(_key(row))
                if fitted is not None:
                    profile[i] = fitted
                    how[i] = "fitted answer"
        dist = self._distance(x, profile) if len(x) else np.zeros(0)
        n = len(respondents)
        out = pd.DataFrame(index=respondents.index)
        out["profile"] = pd.array([pd.NA] * n, dtype="Int64")
        out["profile_name"] = pd.Series([None] * n, index=respondents.index, dtype=object)
        out["distance"] = np.nan
        out["outlier"] = pd.array([pd.NA] * n, dtype="boolean")
        out["assigned_by"] = pd.Series([None] * n, index=respondents.index, dtype=object)
        rows = np.flatnonzero(complete)
        names = np.array([e["name"] for e in self.portraits_], dtype=object)
        if len(rows):
            p = profile[distinct.inverse]
            out.iloc[rows, out.columns.get_loc("profile")] = p
            out.iloc[rows, out.columns.get_loc("profile_name")] = names[p - 1]
            out.iloc[rows, out.columns.get_loc("distance")] = dist[distinct.inverse]
            out.iloc[rows, out.columns.get_loc("outlier")] = dist[
                distinct.inverse
            ] > self.outlier_threshold_ * (1 + 1e-12)
            out.iloc[rows, out.columns.get_loc("assigned_by")] = how[distinct.inverse]
        return out

    def fit_predict(self, respondents, y=None, sample_weight=None):
        """:meth:`fit`, then :meth:`predict` of the same respondents (the table; the
        labels alone are ``labels_``)."""
        return self.fit(respondents, sample_weight=sample_weight).predict(respondents)

    # ------------------------------------------------------------------ quality
    def _quality(self) -> list[dict]:
        """Warnings about the result: degenerate profiles, nearly everyone in one profile,
        answers the nearest-centroid rule would move, k at the edge of its range. Each is a
        key and its numbers (:mod:`qet_geo.profiles.notes`), said by
        :meth:`quality_messages` in the language asked."""
        notes = []
        for entry in self.portraits_:
            p = int(entry["profile"])
            if entry["size"] <= TINY:
                notes.append(note("tiny profile", "tiny_profile", p, n=entry["size"]))
            if entry["share"] >= NEARLY_ALL and self.k_ > 1:
                notes.append(
                    note("one profile holds nearly everyone", "nearly_everyone", p,
                         share=entry["share"])
                )  # fmt: skip
        if self.k_ == 1:
            notes.append(note("single profile", "single_profile", 1))
        small = [e["profile"] for e in self.portraits_ if e["size"] < self.min_cell]
        if small:
            sizes = {int(e["profile"]): int(e["size"]) for e in self.portraits_}
            added = sorted(p for p in small_profiles(self) if sizes[p] >= self.min_cell)
            notes.append(
                note("small profiles grouped", "small_profiles_grouped", m=len(small),
                     n=int(self.min_cell), first=min(small), last=max(small), name=group_name())
            )  # fmt: skip
            if added:  # complementary grouping: say it, or the forum loses them unsaid
                # private: its sizes and the group's give the rest
                notes.append(
                    note(COMPLEMENTARY, "complementary_suppression", profiles=added,
                         sizes=[sizes[p] for p in added], name=group_name(),
                         n=int(self.min_cell))
                )  # fmt: skip
        if getattr(self, "empty_profiles_", 0):
            notes.append(
                note("empty profiles dropped", "empty_profiles_dropped", n=self.empty_profiles_)
            )
        if getattr(self, "_distinct", None) is not None and len(self.lookup_) < len(
            self._distinct[0]
        ):
            notes.append(note("identical answers in different profiles", "identical_answers_split"))
        if self.nearest_moves_["respondents"] and self.method in (
            "near",
            "ward",
            "kmodes",
            "kprototypes",
            "gmm",
        ):
            notes.append(
                note("nearest centroid differs", "nearest_centroid_differs",
                     n=self.nearest_moves_["respondents"], share=self.nearest_moves_["share"])
            )  # fmt: skip
        structure = getattr(self, "structure_", None)
        if structure and structure["weak"]:
            notes.append(note("no clear structure", STRUCTURE, **structure))
        if self.scores_:
            chosen = next(row["k"] for row in self.scores_ if row["chosen"])
            ks = [row["k"] for row in self.scores_]
            if len(ks) > 1 and chosen in (min(ks), max(ks)):
                notes.append(
                    note("k at the edge of its range", "k_at_edge", k=chosen, low=min(ks),
                         high=max(ks))
                )  # fmt: skip
        return json_ready(notes)

    def quality_messages(self, language: str | None = None) -> list[str]:
        """The sentence of each quality note (``quality_``), in ``language`` ("fr" or
        "en"; default: the language of messages); "kind: sentence" lines are
        :func:`qet_geo.profiles.notes.quality_warning`'s."""
        self._check_fitted()
        return [quality_message(q, language) for q in self.quality_]

    # ------------------------------------------------------------------ stability
    def stability(
        self, respondents, sample_weight=None, n_boot: int = 100, seed: int | None = None
    ):
        """Bootstrap stability (sets and returns ``stability_``); see
        :func:`qet_geo.profiles.stability.bootstrap`.

        Parameters
        ----------
        respondents : pandas.DataFrame
            The respondents the model was fitted on.
        sample_weight : array-like, optional
            Their weights (as for :meth:`fit`).
        n_boot : int
            The number of bootstrap resamples.
        seed : int, optional
            Their seed (default: the model's).

        Returns
        -------
        dict
            ``stability_``: the adjusted Rand index of each refit against the full-data
            profiles, and per profile its mean best Jaccard similarity and verdict
            (unstable under 0.5, stable from 0.75).

        References
        ----------
        [Efron-Tibshirani-1993]: the resamples; [Hubert-Arabie-1985]: the adjusted Rand
        index; [Hennig-2007]: the per-profile Jaccard stability. The page is
        ``docs/profiles.md#stability-and-quality``.

        Examples
        --------
        >>> model.stability(respondents, n_boot=50)  # doctest: +SKIP
        """
        n_boot = check_parameters(n_boot=n_boot)["n_boot"]
        self.stability_ = bootstrap(self, respondents, sample_weight, n_boot=n_boot, seed=seed)
        for entry in self.portraits_:
            entry["stability"] = self.stability_["profiles"][entry["profile"] - 1]
        self.quality_ = [q for q in self.quality_ if q["kind"] != "unstable profile"]
        for row in self.stability_["profiles"]:
            if row["status"] == "unstable":
                self.quality_.append(
                    json_ready(note("unstable profile", "unstable_profile", row["profile"],
                                j=row["jaccard"], n=self.stability_["n_boot"]))
                )  # fmt: skip
        return self.stability_

    # ------------------------------------------------------------------ tables
    def profiles_table(self, private: bool = False, language: str | None = None) -> pd.DataFrame:
        """One row per published profile (``private``: per profile of the model): number,
        name, colour, size, weight, share, NEAR number, index scores, mean footprints,
        stability, description (in ``language``: French by default, or "en"). Published,
        the profiles under ``min_cell`` respondents are one row "small profiles grouped",
        without portrait, and a size under the threshold is empty (see
        :mod:`qet_geo.profiles.publish`)."""
        self._check_fitted()

        rows = []
        entries = (
            described(copy.deepcopy(self.portraits_), self, forum_language(language))
            if private
            else self.published_profiles(language)
        )
        for e in entries:
            row = {
                "profile": e["profile"],
                "name": e["name"],
                "colour": e["colour"],
                "size": e["size"],
                "weight": e["weight"],
                "share": e["share"],
                "near_number": e.get("near_number"),
            }
            for v in self.variables:
                modal = e["modal"].get(v)
                row[f"modal_{v}"] = modal["code"] if modal else None
            for v in self.variables:
                row[f"index_{v}"] = e["index"].get(v)
            for usage, value in (e.get("footprints") or {}).items():
                row[f"fp_{usage}"] = value
            if e.get("stability"):
                row["jaccard"] = e["stability"]["jaccard"]
                row["stability"] = e["stability"]["status"]
            row["description"] = e["description"]
            rows.append(row)
        table = pd.DataFrame(rows)
        for column in ("size", "near_number"):
            if column in table:
                table[column] = table[column].astype("Int64")
        return table

    # ------------------------------------------------------------------ publication
    def published_profiles(self, language: str | None = None) -> list[dict]:
        """Portraits as published: the profiles of ``min_cell`` respondents or more, then
        one entry "small profiles grouped" (``group``: True) for the others, if any; their
        descriptions in ``language`` (French by default, or "en")."""
        self._check_fitted()

        return publication(self, language)["profiles"]

    def published_quality(self) -> list[dict]:
        """Quality notes as published (none about a profile under the threshold)."""
        self._check_fitted()

        return publication(self)["quality"]

    def published_names(self) -> dict:
        """Published profile number → name (the group of small profiles included)."""
        return {e["profile"]: e["name"] for e in self.published_profiles()}

    def published_labels(self, labels) -> np.ndarray:
        """Published profile numbers (floats, NaN for none) of profile numbers given by
        :meth:`predict`: the profiles under the threshold become the group's number."""
        self._check_fitted()

        return published_labels(self, labels)

    def summary(self) -> dict:
        """What ``qet-geo profiles detect --json`` prints."""
        self._check_fitted()
        return {
            "method": self.method,
            "k": self.k_,
            "respondents": self.n_respondents_,
            "excluded": self.excluded_,
            "stop_reason": getattr(self, "stop_reason_", None) if self.method == "near" else None,
            "profiles": [
                {
                    "profile": e["profile"],
                    "name": e["name"],
                    "colour": e["colour"],
                    "size": e["size"],
                    "share": round(e["share"], 6),
                    "near_number": e["near_number"],
                    **({"stability": e["stability"]["status"]} if e.get("stability") else {}),
                }
                for e in self.portraits_
            ],
            "scores": self.scores_,
            "structure": getattr(self, "structure_", None),
            "stability": None
            if not self.stability_
            else {"ari": self.stability_["ari"], "n_boot": self.stability_["n_boot"]},
            # printed, not saved: each note with its sentence in the language of messages
            "quality": [{**q, "message": quality_message(q)} for q in self.quality_],
        }

    # ------------------------------------------------------------------ names and colours
    def rename(self, names=None, colours=None):
        """Set names and colours of profiles (profile number → text / #RRGGBB)."""
        self._check_fitted()
        for p, name in (names or {}).items():
            entry = self._entry(p)
            entry["name"] = str(name)
            entry["description"] = describe(entry, entry["name"], self.variables)
            self.names = {**(self.names or {}), int(p): str(name)}
        for p, colour in (colours or {}).items():
            self._entry(p)["colour"] = _colour(colour)
            self.colours = {**(self.colours or {}), int(p): _colour(colour)}
        return self

    def _entry(self, p):
        p = int(p)
        if not 1 <= p <= self.k_:
            raise ValueError(f"no profile {p}: profiles are 1 to {self.k_}")
        return self.portraits_[p - 1]

    # ------------------------------------------------------------------ files
    def to_dict(self) -> dict:
        """The private working file's content: the whole model (merge history, every
        fitted answer vector with its number of respondents). For a model read from a
        shareable file, the shareable content."""
        self._check_fitted()
        if self.kind_ == "shareable":
            return self.shareable_dict()
        lookup = [[*map(int, key.split(",")), p] for key, p in self.lookup_.items()]
        counts = getattr(self, "vector_counts_", None) or {}
        return json_ready(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "kind": "private",
                "library": f"qet-geo {__version__}",
                "parameters": self.parameters_,
                "min_cell": self.min_cell,
                "weight_table": self.weight_table_,
                "encoding_stats": self.encoding_stats_,
                "k": self.k_,
                "respondents": self.n_respondents_,
                "excluded": self.excluded_,
                "centroids": self.centroids_.tolist(),
                "extra": self.extra_,
                "outlier_threshold": self.outlier_threshold_,
                "nearest_moves": self.nearest_moves_,
                "lookup": lookup,
                "lookup_counts": [counts.get(key) for key in self.lookup_] if counts else None,
                "profiles": self.portraits_,
                "history": self.history_,
                "stop_reason": stop_reason_data(getattr(self, "stop_reason_", None)),
                "scores": self.scores_,
                "structure": getattr(self, "structure_", None),
                "stability": self.stability_,
                "quality": self.quality_,
            }
        )

    def shareable_dict(self) -> dict:
        """The shareable model file's content (:func:`qet_geo.profiles.publish.shareable_dict`):
        what assignment needs and the published portraits, no count under ``min_cell``."""
        self._check_fitted()

        return shareable_dict(self)

    def save(self, path, private=None) -> Path:
        """Write the shareable model file to ``path`` (publishable) and, for a fitted or
        private model, the private working file to ``private`` (default:
        :func:`private_model_path` of ``path``, beside it); both atomically. Returns
        ``path``.

        Parameters
        ----------
        path : str or pathlib.Path
            The shareable model file (``profiles.json``): small profiles grouped, no
            respondent-level data.
        private : str or pathlib.Path, optional
            The private working file (default beside ``path``).

        Returns
        -------
        pathlib.Path
            ``path``.

        References
        ----------
        [INSEE-secret], [Hundepool-2012]: what the shareable file may publish. The pages
        are ``docs/profiles.md`` and ``docs/privacy.md``.

        Examples
        --------
        >>> model.save("out/profiles.json")  # doctest: +SKIP
        PosixPath('out/profiles.json')
        """
        path = Path(path)
        self._check_fitted()
        if self.kind_ == "private":
            private = private_model_path(path) if private is None else Path(private)
            if private.resolve() == path.resolve():
                raise ValueError(
                    tr("{path}: the shareable and the private model need two files", path=path)
                )
            self.save_private(private)
        _write_json(path, self.shareable_dict())
        return path

    def save_private(self, path) -> Path:
        """Write the private working file (the whole model; not for publication)."""
        path = Path(path)
        _write_json(path, self.to_dict())
        return path

    @classmethod
    def load(cls, path) -> ProfileModel:
        """Read a model file written by :meth:`save` — the shareable one or the private
        working file (or a file of version 1, all private) — names and colours edited in
        the file taken as they are, checked.

        Parameters
        ----------
        path : str or pathlib.Path
            The model file.

        Returns
        -------
        ProfileModel
            The fitted model, ready for :meth:`predict`.

        Raises
        ------
        InputError
            A missing, unreadable or invalid model file.

        References
        ----------
        [NEAR-SU]: the model the file keeps (centroids, weights of the answers). The page
        is ``docs/profiles.md``.

        Examples
        --------
        >>> import qet_geo as qg
        >>> model = qg.ProfileModel.load("out/profiles.json")  # doctest: +SKIP
        """
        data = read_json(path)
        try:
            return cls.from_dict(data, str(path))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            # a model file edited by hand
            missing = isinstance(exc, KeyError)
            raise InputError(
                Problem.of(str(path), "not a readable profile model: a key is missing" if missing
                           else Message("not a readable profile model: {error}",
                                        error=f"{type(exc).__name__}: {exc}"),
                           column=str(exc.args[0]) if missing and exc.args else None,
                           expected="a model file written by qet-geo profiles detect")
            ) from exc  # fmt: skip

    @classmethod
    def from_dict(cls, data, name: str = "model") -> ProfileModel:
        """A model from the content of a model file (see :meth:`load`)."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputError(
                Problem.of(name, "not a qet-geo profile model", expected=f'"format": "{FORMAT}"')
            )
        if data.get("format_version") not in READABLE_VERSIONS:
            raise InputError(
                Problem.of(
                    name,
                    "unsupported profile model version",
                    value=str(data.get("format_version")),
                    expected=either(map(str, READABLE_VERSIONS)),
                )
            )
        kind = data.get("kind", "private") if data["format_version"] >= 2 else "private"
        if kind not in ("private", "shareable"):
            raise InputError(
                Problem.of(name, "unknown kind of model file", column="kind", value=str(kind),
                           expected="shareable or private")
            )  # fmt: skip
        params = dict(data["parameters"])
        k_range = params.pop("k_range")
        try:
            model = cls(**{**params, "k_range": k_range})
            model._check_parameters()
        except ProfileParameterError as exc:
            raise InputError(
                Problem.of(name, "profile parameter that cannot be used",
                           column=f"parameters.{exc.parameter}", value=str(exc.value),
                           expected=exc.expected)
            ) from exc  # fmt: skip
        model.kind_ = kind
        model.weight_table_ = data["weight_table"]
        if model._encoding in ("weights", "footprints", "codes+footprints"):
            table = model.weight_table_ if isinstance(model.weight_table_, dict) else {}
            for variable in model.variables:  # a table edited by hand: said at load
                values = table.get(variable)
                if (
                    not isinstance(values, list)
                    or not values
                    or not all(
                        isinstance(v, (int, float)) and not isinstance(v, bool) for v in values
                    )
                ):
                    raise InputError(
                        Problem.of(name, "not a readable profile model: a key is missing",
                                   column=f"weight_table.{variable}", value=echo(str(values)),
                                   expected="the values of the answers' bands (a list of numbers)")
                    )  # fmt: skip
        model.encoding_stats_ = data["encoding_stats"]
        model.k_ = int(data["k"])
        model.n_respondents_ = data["respondents"]
        model.excluded_ = data["excluded"]
        model.centroids_ = np.asarray(data["centroids"], dtype=float)
        if model.k_ == 0:  # every profile under the threshold: nothing to assign to
            model.centroids_ = model.centroids_.reshape(0, 0)
        model.extra_ = data.get("extra") or {}
        model.outlier_threshold_ = float(data["outlier_threshold"])
        model.nearest_moves_ = data["nearest_moves"]
        model.lookup_ = {",".join(map(str, row[:-1])): int(row[-1]) for row in data["lookup"]}
        counts = data.get("lookup_counts") if kind == "private" else None
        model.vector_counts_ = (
            dict(zip(model.lookup_, map(int, counts), strict=False)) if counts else {}
        )
        model.portraits_ = data["profiles"]
        model.group_ = data.get("small_profiles") if kind == "shareable" else None
        model.history_ = data.get("history") if kind == "private" else None
        model.stop_reason_ = stop_reason_from_data(data.get("stop_reason"))
        model.scores_ = data.get("scores")
        model.structure_ = data.get("structure")
        model.stability_ = data.get("stability")
        model.quality_ = data.get("quality") or []
        if len(model.portraits_) != model.k_ or len(model.centroids_) != model.k_:
            raise InputError(
                Problem.of(name, "profiles and centroids do not match k", value=str(model.k_))
            )
        for entry in model.portraits_ + ([model.group_] if model.group_ else []):
            try:
                entry["colour"] = _colour(entry["colour"])
            except ValueError as exc:
                raise InputError(
                    Problem.of(
                        name,
                        str(exc),
                        column=f"profiles[{entry['profile']}].colour",
                        value=str(entry.get("colour")),
                    )
                ) from exc
            entry["name"] = str(entry["name"])
        model.fitted_ = True
        return model

    def _check_fitted(self):
        if not getattr(self, "fitted_", False):
            raise RuntimeError("the model is not fitted: call fit() or load()")

    def __repr__(self) -> str:
        state = f", k={self.k_}" if getattr(self, "fitted_", False) else ""
        return f"ProfileModel(method={self.method!r}{state})"


# ---------------------------------------------------------------------- helpers
def private_model_path(path) -> Path:
    """Where the private working file of the shareable model file ``path`` goes by
    default: beside it, ``<stem>.private.json``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.private.json")


def _write_json(path: Path, data: dict) -> None:
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def footprint_table(variables) -> dict:
    """NGC band footprints (kgCO2e/yr) of the codes 1, 2, 3 of each SU variable."""
    usages = band_values()["usages"]
    by_variable = {spec["variable"]: spec for spec in usages.values()}
    missing = [v for v in variables if v not in by_variable]
    if missing:
        raise ValueError(
            "no footprint for " + ", ".join(missing) + " (footprints need SU variables)"
        )
    return {
        v: tuple(float(by_variable[v]["values"][str(c)]["estimate"]) for c in (1, 2, 3))
        for v in variables
    }


def su_footprint_frame(codes: np.ndarray, variables) -> pd.DataFrame | None:
    """NGC band footprints (fp_* columns) of SU answer codes, or None when the variables are
    not the SU ones."""
    if not set(v for v in FOOTPRINT_OF if v != "heat_source") <= set(variables):
        return None

    frame = pd.DataFrame({v: codes[:, j] for j, v in enumerate(variables) if v in FOOTPRINT_OF})
    try:
        result = su_footprints(frame)
    except InputError:
        return None
    return result[[c for c in result.columns if c.startswith("fp_") and c.count("_") == 1]]


def choose_k(table: list[dict]) -> list[dict]:
    """Mark the chosen k: best mean rank over silhouette (high), Calinski–Harabasz (high)
    and Davies–Bouldin (low); ties to the smaller k."""
    frame = pd.DataFrame(table)
    ranks = pd.concat(
        [
            frame["silhouette"].rank(ascending=False),
            frame["calinski_harabasz"].rank(ascending=False),
            frame["davies_bouldin"].rank(ascending=True),
        ],
        axis=1,
    ).mean(axis=1)
    frame["mean_rank"] = ranks
    best = frame.sort_values(["mean_rank", "k"]).iloc[0]["k"]
    frame["chosen"] = frame["k"] == best
    return json_ready(frame.to_dict("records"))


def _finite(value) -> float:
    return float(value) if value is not None and np.isfinite(value) else -np.inf


def _structure(silhouette, k: int, k_range) -> dict:
    """How clear the structure of the profiles is: the (best) weighted silhouette, the k
    it belongs to, the range of k tried (None for a k given) and whether it is under
    :data:`WEAK_STRUCTURE`."""
    value = None if silhouette is None or not np.isfinite(silhouette) else float(silhouette)
    return {
        "silhouette": value,
        "k": int(k),
        "k_range": None if k_range is None else [int(k_range[0]), int(k_range[1])],
        "threshold": WEAK_STRUCTURE,
        "weak": value is not None and value < WEAK_STRUCTURE,
    }


def weighted_quantile(values, weights, q) -> float:
    if len(values) == 0:
        return float("nan")
    order = np.argsort(values, kind="stable")
    v, w = np.asarray(values)[order], np.asarray(weights)[order]
    cum = np.cumsum(w) / w.sum()
    return float(v[min(int(np.searchsorted(cum, q, side="left")), len(v) - 1)])


def _key(row) -> str:
    return ",".join(str(int(x)) for x in row)


def _reorder(value, order):
    return [value[i] for i in order]


def _colour(value) -> str:
    text = str(value).strip()
    if not (
        len(text) == 7
        and text.startswith("#")
        and all(c in "0123456789abcdefABCDEF" for c in text[1:])
    ):
        raise ValueError(tr("colour {value!r} is not #RRGGBB", value=value))
    return text.upper()


__all__ = ["ProfileModel", "SU_VARIABLES", "WEIGHT_PRESETS", "private_model_path"]


def _check_numbers(names: dict, colours: dict, k: int, defaults=None) -> None:
    """Names and colours given for profiles that the fit did not find are an error: the
    numbers were chosen for another run, and the names of the others may be wrong too."""

    def key(name) -> str:
        return " ".join(str(name).split()).casefold()

    final = {p: str(defaults[p - 1]) for p in range(1, len(defaults or []) + 1)}
    final.update({int(p): str(name) for p, name in names.items()})
    for name in names.values():  # a given name, against every other profile's final name
        profiles = sorted(q for q, other in final.items() if key(other) == key(name))
        if len(profiles) > 1:  # two profiles told apart by nothing on a map or a poster
            raise ParameterError(
                tr("profile names: {name!r} is given to profiles {profiles}; each profile "
                   "needs a name of its own", name=str(name),
                   profiles=", ".join(map(str, profiles)))
            )  # fmt: skip
    for what, given in (("profile names", names), ("profile colours", colours)):
        missing = sorted(p for p in given if not 1 <= int(p) <= k)
        if missing:
            found = tr("1 to {k}", k=k) if k > 1 else ("1" if k else tr("none at all"))
            raise ParameterError(
                tr("{what} given for profile(s) {missing}, which the detection did not find: "
                   "the profiles are {found} (see the report)", what=tr(what),
                   missing=", ".join(map(str, missing)), found=found)
            )  # fmt: skip
