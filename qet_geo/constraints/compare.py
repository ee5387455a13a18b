"""Profiles set against the constraints of the place.

Each respondent gets the transit access (AI and PTAL band) of the grid point nearest to
their home (the grid of :func:`qet_geo.transit.transit_access`; respondents placed only by
an area code get their area's mean), and optionally the distance to the nearest service of
a layer. Then:

- per constraint class (PTAL band; distance class) the profile mix and the mean mobility
  footprint with their intervals, cells under the threshold suppressed (complementary
  suppression included);
- Cramér's V of profiles × PTAL band and Spearman's ρ of the mobility footprint against AI,
  each with a bootstrap 95 % interval (respondents resampled, weights kept);
- per area a 3 × 3 bivariate class: the share of one profile (by default the one most
  turned to the car) in tertiles × the area's mean AI in tertiles, "A1" … "C3" (letter: the
  profile's share, low to high; digit: access, low to high), areas under the threshold
  left without a class;
- where a satisfaction answer on transit access is given (NO / DONT_KNOW / YES), the
  answers per PTAL band.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from .. import geo
from ..areas import stats
from ..areas.disclosure import Suppression, area_pattern, check_min_cell, protect, published_reason
from ..areas.join import join_respondents
from ..areas.zones import as_areas
from ..display import Summary, html_summary, plot_map, to_geodataframe
from ..errors import InputError, ParameterError, Problem
from ..footprint.su import band_values
from ..i18n import language as messages_language
from ..i18n import tr, translate
from ..parameters import check_areas, check_argument, check_respondents
from ..profiles.params import ProfileParameterError, check_parameters
from ..survey import respondent_weights
from ..threshold import DEFAULT_MIN_CELL
from ..transit.access import TransitAccess
from ..transit.ptal import BAND_NAMES, band
from .params import DEFAULT_COMPARE_BOOTSTRAP
from .proximity import services_xy

#: What compare takes as its transit access (its French in qet_geo.i18n).
TRANSIT = "the transit access of qg.transit_access(feed, areas) (TransitAccess)"

DISTANCE_CLASSES = ((300.0, "< 300 m"), (800.0, "300–800 m"), (np.inf, "> 800 m"))
SATISFACTION = {"NO": "NO", "NON": "NO", "👎": "NO", "DONT_KNOW": "DONT_KNOW", "🤷": "DONT_KNOW",
                "NE_SAIT_PAS": "DONT_KNOW", "YES": "YES", "OUI": "YES", "👍": "YES"}  # fmt: skip


@dataclass(frozen=True)
class ComparisonSummary(Summary):
    """The figures of profiles against constraints: the ``--json`` output of ``qet-geo
    compare``, V and ρ in the QGIS log and the run's figures. Intervals are the bootstrap's
    2.5 and 97.5 percentiles, None with fewer than 10 usable resamples."""

    #: respondents given (default 0)
    respondents: int = 0
    #: of them, those with a transit access value (their home's grid point or their
    #: area's mean; default 0)
    with_access: int = 0
    #: those compared: a profile and an access value (default 0)
    compared: int = 0
    #: Cramér's V of profiles × PTAL band; None when undefined (default)
    cramers_v_profiles_ptal: float | None = None
    #: its 95 % bootstrap interval [low, high] (default None)
    cramers_v_95: list[float] | None = None
    #: Spearman's ρ of the mobility footprint against the access index (default None)
    spearman_mobility_ai: float | None = None
    #: its 95 % bootstrap interval [low, high] (default None)
    spearman_95: list[float] | None = None
    #: bootstrap resamples (default 0)
    bootstrap: int = 0
    #: the disclosure threshold, in respondents (default :data:`DEFAULT_MIN_CELL`)
    min_cell: int = DEFAULT_MIN_CELL
    #: whether the threshold is under 3 by the explicit override (default False)
    below_3_override: bool = False
    #: the profile of the bivariate map (default 0: none)
    bivariate_profile: int = 0
    #: its name (default None)
    bivariate_profile_name: str | None = None


@dataclass
class Comparison:
    classes: pd.DataFrame  # constraint × class: n, profile shares, mobility footprint
    areas: pd.DataFrame  # per area: bivariate class (with geometry)
    satisfaction: pd.DataFrame
    summary: ComparisonSummary
    crs: str
    warnings: list = field(default_factory=list)
    #: private, never written: constraint → (respondent counts class × profile, their
    #: suppression pattern), for the disclosure audit
    tables: dict = field(default_factory=dict)

    def __post_init__(self):
        self.summary = ComparisonSummary.of(self.summary)

    def to_geodataframe(self):
        """The areas with their bivariate class as a GeoDataFrame in :attr:`crs`."""
        return to_geodataframe(self.areas, self.crs)

    def lines(self, language: str | None = None) -> list[str]:
        """What the command line prints and the Processing log shows: Cramér's V and
        Spearman's ρ, with their intervals when there were resamples; in ``language``
        (default: the language of messages)."""
        s = self.summary
        lang = language or messages_language()

        def interval(bounds) -> str:  # none without resamples (bootstrap 0): nothing said
            return "" if bounds is None else f" {bounds}"

        def value(number) -> str:  # undefined (one class only, no variance): said so
            return translate(lang, "not computable") if number is None else str(number)

        return [translate(lang,
                          "Cramér's V (profiles × PTAL band): {v}{ci}; Spearman (mobility footprint, AI): {rho}{ci2}",
                          v=value(s.cramers_v_profiles_ptal), ci=interval(s.cramers_v_95),
                          rho=value(s.spearman_mobility_ai), ci2=interval(s.spearman_95))]  # fmt: skip

    def plot(self, column: str = "bivariate_class", *, ax=None, **kwargs):
        """Map the bivariate classes (or another column of :attr:`areas`) with matplotlib;
        returns the axes."""
        return plot_map(self.to_geodataframe(), column, ax=ax, **kwargs)

    def _repr_html_(self) -> str:
        s = self.summary
        return html_summary("Profiles against constraints", [
            ("respondents compared", s.compared), ("areas", len(self.areas)),
            ("CRS", self.crs), ("Cramér's V (profiles × PTAL band)", s.cramers_v_profiles_ptal),
            ("Spearman ρ (mobility footprint, AI)", s.spearman_mobility_ai),
            ("bivariate map of profile", s.bivariate_profile_name or s.bivariate_profile)])  # fmt: skip


def cramers_v(table: np.ndarray) -> float:
    """Cramér's V of a contingency table (weighted counts)."""
    table = np.asarray(table, dtype=float)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    n = table.sum()
    if n == 0 or min(table.shape) < 2:
        return float("nan")
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    chi2 = ((table - expected) ** 2 / expected).sum()
    return float(np.sqrt(chi2 / (n * (min(table.shape) - 1))))


def spearman(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Weighted Spearman's ρ: the weighted Pearson correlation of mid-ranks."""
    from scipy.stats import rankdata

    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3:
        return float("nan")
    rx, ry, w = rankdata(x[ok]), rankdata(y[ok]), w[ok]
    mx, my = np.average(rx, weights=w), np.average(ry, weights=w)
    cov = np.average((rx - mx) * (ry - my), weights=w)
    sx = np.sqrt(np.average((rx - mx) ** 2, weights=w))
    sy = np.sqrt(np.average((ry - my) ** 2, weights=w))
    return float(cov / (sx * sy)) if sx > 0 and sy > 0 else float("nan")


@dataclass(frozen=True)
class _Atoms:
    """Respondents alike in (``a``, ``b``, weight ``w``) grouped, ``m`` of each: a bootstrap
    resample of the n respondents is a multinomial draw of the groups' counts (the same law
    as n draws of a respondent), so each resample costs the groups, not the respondents."""

    a: np.ndarray
    b: np.ndarray
    w: np.ndarray
    m: np.ndarray

    @classmethod
    def of(cls, a, b, w) -> _Atoms:
        keys = np.column_stack([np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                                np.asarray(w, dtype=float)])  # fmt: skip
        if not len(keys):
            return cls(keys[:, 0], keys[:, 1], keys[:, 2], np.zeros(0, dtype=np.int64))
        groups, inverse = np.unique(keys, axis=0, return_inverse=True)
        m = np.bincount(inverse.reshape(-1), minlength=len(groups))
        a0 = (
            groups[:, 0].astype(np.asarray(a).dtype)
            if np.asarray(a).dtype.kind in "iu"
            else groups[:, 0]
        )
        b0 = (
            groups[:, 1].astype(np.asarray(b).dtype)
            if np.asarray(b).dtype.kind in "iu"
            else groups[:, 1]
        )
        return cls(a0, b0, groups[:, 2], m)

    def draw(self, rng) -> np.ndarray:
        n = int(self.m.sum())
        return rng.multinomial(n, self.m / n) if n else self.m

    def spearman(self, count: np.ndarray) -> float:
        """:func:`spearman` of the resample that holds each group ``count`` times: the
        mid-ranks of ``a`` and ``b`` among the drawn respondents, their weighted Pearson."""
        keep = count > 0
        c, a, b, w = count[keep], self.a[keep], self.b[keep], self.w[keep]
        if c.sum() < 3:
            return float("nan")
        rx, ry = _mid_ranks(a, c), _mid_ranks(b, c)
        weight = c * w
        mx, my = np.average(rx, weights=weight), np.average(ry, weights=weight)
        cov = np.average((rx - mx) * (ry - my), weights=weight)
        sx = np.sqrt(np.average((rx - mx) ** 2, weights=weight))
        sy = np.sqrt(np.average((ry - my) ** 2, weights=weight))
        return float(cov / (sx * sy)) if sx > 0 and sy > 0 else float("nan")


def _mid_ranks(values: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The mid-rank (scipy's ``rankdata``, ties averaged) of each group's value among
    ``count`` respondents per group."""
    unique, index = np.unique(values, return_inverse=True)
    per_value = np.bincount(index.reshape(-1), weights=count, minlength=len(unique))
    below = np.cumsum(per_value) - per_value
    return (below + (per_value + 1) / 2)[index.reshape(-1)]


def _contingency(labels, classes, w, k, n_classes):
    table = np.zeros((n_classes, k))
    np.add.at(table, (classes, labels), w)
    return table


def profiles_of(respondents: pd.DataFrame, model=None) -> tuple[np.ndarray, dict]:
    """(published profile number per respondent, NaN for none; number → name) of labelled
    respondents: by ``model`` (the respondents assigned by it, its published profiles:
    those under the threshold grouped), else from their ``profile`` column, named
    "Profil N"."""
    if model is not None:  # the model's profiles: the respondents assigned by it
        labels = model.predict(respondents)["profile"]
        return model.published_labels(labels), model.published_names()
    if "profile" not in respondents.columns:
        raise InputError(Problem.of("respondents", "no profiles", column="profile",
                                    expected="labelled respondents (qet_geo.assign_profiles) or model="))  # fmt: skip
    profile = pd.to_numeric(respondents["profile"], errors="coerce").to_numpy(dtype=float)
    k = int(np.nanmax(profile)) if np.isfinite(profile).any() else 0
    return profile, {p: f"Profil {p}" for p in range(1, k + 1)}


def compare(
    respondents: pd.DataFrame,
    areas,
    transit,
    *,
    model=None,
    profile: np.ndarray | None = None,
    profile_names: dict | None = None,
    weights: np.ndarray | None = None,
    area_of: np.ndarray | None = None,
    code_column: str | None = None,
    services: dict | None = None,
    satisfaction_column: str | None = None,
    focus_profile: int | None = None,
    min_cell: int = DEFAULT_MIN_CELL,
    allow_below_3: bool = False,
    n_boot: int = DEFAULT_COMPARE_BOOTSTRAP,
    seed: int = 0,
    pattern=None,
) -> Comparison:
    """Profiles set against transit access and proximity (see the module docstring).

    Parameters
    ----------
    respondents : pandas.DataFrame
        The labelled respondents (:func:`qet_geo.assign_profiles`), with their homes.
    areas : Areas, GeoDataFrame or DataFrame
        The areas (:func:`qet_geo.read_areas`), or a frame of polygons with its CRS
        (:func:`qet_geo.areas.as_areas`).
    transit : TransitAccess
        Transit access over the areas (:func:`qet_geo.transit_access`).
    model : ProfileModel, optional
        The fitted model: the profiles as it publishes them (those under its threshold
        grouped) and their names. Without it, the ``profile`` column, named "Profil N".
    code_column : str, optional
        The column of the respondents' area codes, for those without a home point
        (default ``area_code``, :func:`qet_geo.areas.join_respondents`).
    services : dict, optional
        Service name → "PATH[:LAYER]", a point layer, or an n × 2 array of x/y in the
        areas' CRS (as :func:`qet_geo.proximity`): distance classes per respondent.
    satisfaction_column : str, optional
        A column of satisfaction with transit access (NO / DONT_KNOW / YES).
    focus_profile : int, optional
        The profile of the bivariate map (default: the one most turned to the car).
    min_cell, allow_below_3 : int, bool
        The disclosure threshold (under 3 only with ``allow_below_3``).
    n_boot, seed : int
        Bootstrap resamples of the association measures and their seed.
    pattern : Suppression, optional
        The study's suppression pattern of areas × profiles (``AreaMap.pattern``), so that
        the comparison hides what the area map hides; computed here with the same
        function (:func:`qet_geo.areas.disclosure.area_pattern`) when not given.
    profile, profile_names, weights, area_of : optional
        The older call form, derived from ``respondents`` and ``model`` when ``profile`` is
        not given: profile number (1..k, NaN when none) per respondent, number → name, the
        respondents' weights (their ``weight`` column), area position per respondent
        (-1 when outside, :func:`qet_geo.areas.join_respondents`). When ``profile`` is
        given nothing is derived: no weights means all 1, no ``area_of`` no areas.

    Returns
    -------
    Comparison
        ``classes`` (constraint × class: profile mix, mobility footprint), ``areas``
        (bivariate class per area, with geometry), ``satisfaction``, ``summary`` (Cramér's
        V, Spearman's ρ, their intervals), ``crs``.

    References
    ----------
    Keys of ``docs/references.md``; the page is ``docs/transit.md``.

    - [Cramer-1946]: Cramér's V of profiles × PTAL band; [Spearman-1904]: Spearman's ρ of
      the mobility footprint against the access index.
    - [Efron-Tibshirani-1993]: their bootstrap intervals.
    - [Kish-1965], [Wilson-1927]: n_eff and the intervals of the shares.
    - [Stevens-2015]: the 3 × 3 bivariate classes; [NEAR-SU]: the satisfaction answers.
    - [INSEE-secret], [Hundepool-2012]: the cells hidden as in the area map.

    Examples
    --------
    >>> import qet_geo as qg
    >>> comparison = qg.compare(labelled, areas, access, model=model)  # doctest: +SKIP
    >>> comparison.summary.cramers_v_profiles_ptal  # doctest: +SKIP
    0.31
    """
    from scipy.spatial import cKDTree

    check_respondents(respondents, "compare")
    check_areas(areas, "compare", containers=True)
    check_argument(transit, TransitAccess, "compare", "transit", TRANSIT)
    if profile is not None and np.ndim(profile) == 0:
        raise TypeError(
            "compare(): profile= is each respondent's profile (an array); the profile of the "
            "bivariate map is focus_profile="
        )
    areas = as_areas(areas)  # Areas, or a frame of polygons with its CRS
    if profile is None:
        profile, names = profiles_of(respondents, model)
        profile_names = names if profile_names is None else profile_names
        if weights is None:
            weights = respondent_weights(respondents)
        if area_of is None:
            area_of = join_respondents(respondents, areas, code_column=code_column).area
    elif profile_names is None:
        raise TypeError("compare(): profile= needs profile_names= (or give model= instead)")
    if services:
        services = services_xy(services, areas.crs)
    check_min_cell(min_cell, allow_below_3)
    n_boot = check_parameters(n_boot=n_boot)["n_boot"]  # the rule of the profiles' bootstrap
    n = len(respondents)
    w = np.ones(n) if weights is None else np.asarray(weights, float)
    k = len(profile_names)
    grid = transit.grid
    # ---- AI at each respondent's home
    ai = np.full(n, np.nan)
    if "geometry" in respondents.columns and respondents["geometry"].notna().any():
        crs = geo.crs_of(
            respondents,
            "respondents",
            reason="the respondents' points have no coordinate reference system",
        )
        shapes = np.asarray(respondents["geometry"].to_numpy(), dtype=object)
        located = ~pd.isna(shapes)
        x = np.full(n, np.nan)
        y = np.full(n, np.nan)
        x[located] = shapely.get_x(shapes[located])
        y[located] = shapely.get_y(shapes[located])
        # distances in metres: where transit access measured them (its grid there)
        metric = getattr(transit, "metric", None)
        target = metric.crs if metric is not None else transit.crs
        grid_xy = transit.grid_xy_m if metric is not None else grid[["x", "y"]].to_numpy()
        if located.any() and not geo.backend().same_crs(crs, target):
            x[located], y[located] = geo.backend().transform(crs, target, x[located], y[located])
        if len(grid) and located.any():
            tree = cKDTree(grid_xy)
            distance, nearest = tree.query(np.column_stack([x[located], y[located]]), k=1)
            spacing = transit.summary.grid_spacing_m
            near = distance <= spacing  # homes outside the grid's cover get none
            values = np.where(near, grid["ai"].to_numpy()[nearest], np.nan)
            ai[located] = values
        home_xy = np.column_stack([x, y])
    else:
        home_xy = None
    if area_of is not None:
        area_ai = transit.areas["ai_mean"].to_numpy()
        fill = np.isnan(ai) & (area_of >= 0)
        ai[fill] = area_ai[area_of[fill]]

    bands = np.where(np.isfinite(ai), band(np.nan_to_num(ai)), None)
    band_index = {b: i for i, b in enumerate(BAND_NAMES)}
    has = np.isfinite(profile) & np.isfinite(ai)
    labels = np.where(has, profile, 1).astype(int) - 1
    fp = _mobility_footprint(respondents)
    rows = []
    tables: dict = {}
    constraints = {"ptal_band": (np.array([band_index.get(b, -1) if b is not None else -1 for b in bands]),
                                 list(BAND_NAMES))}  # fmt: skip
    if services and home_xy is not None:
        for name, xy in services.items():
            cls = np.full(n, -1)
            if len(xy):
                if getattr(transit, "metric", None) is not None:
                    xy = transit.metric.xy_in(xy)  # the areas' CRS → metres
                ok = np.isfinite(home_xy[:, 0])
                d = cKDTree(xy).query(home_xy[ok], k=1)[0]
                cls[ok] = np.searchsorted([b for b, _ in DISTANCE_CLASSES[:-1]], d, side="left")
            constraints[f"distance_{name}"] = (cls, [label for _, label in DISTANCE_CLASSES])
    for constraint, (cls, names) in constraints.items():
        use = has & (cls >= 0)
        counts = np.zeros((len(names), k), dtype=np.int64)
        np.add.at(counts, (cls[use], labels[use]), 1)
        weighted = _contingency(labels[use], cls[use], w[use], k, len(names))
        # empty classes are not published: a reader must not take them for hidden values
        present = counts.sum(axis=1) > 0
        cells = _suppress_present(counts, present, min_cell)
        tables[constraint] = (counts, cells)
        if constraint == "ptal_band":
            band_hidden = cells.area
        totals = weighted.sum(axis=1)
        n_cls = counts.sum(axis=1)
        sw2 = np.bincount(cls[use], weights=w[use] ** 2, minlength=len(names))
        n_eff = stats.kish(totals, sw2)
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = weighted / totals[:, None]
        low, high = stats.wilson(shares, n_eff[:, None])
        for i, name in enumerate(names):
            if n_cls[i] == 0:
                continue
            row = {"constraint": constraint, "class": name,
                   "n": None if cells.area[i] else int(n_cls[i]),
                   "suppression": published_reason(cells.area[i], min_cell)[()]}  # fmt: skip
            for j in range(k):
                hidden = cells.cell[i, j]
                row[f"share_{j + 1}"] = None if hidden else round(float(shares[i, j]), 4)
                row[f"share_{j + 1}_low"] = None if hidden else round(float(low[i, j]), 4)
                row[f"share_{j + 1}_high"] = None if hidden else round(float(high[i, j]), 4)
            inside = use & (cls == i) & np.isfinite(fp)
            if inside.any() and not cells.area[i]:
                mean = np.average(fp[inside], weights=w[inside])
                sd = np.sqrt(np.average((fp[inside] - mean) ** 2, weights=w[inside]))
                ne = stats.kish(w[inside].sum(), (w[inside] ** 2).sum())
                lo, hi = stats.mean_interval(np.array([mean]), np.array([sd]), np.array([ne]))
                row.update(
                    fp_mobilite=round(mean, 1),
                    fp_mobilite_low=_r(lo[0]),
                    fp_mobilite_high=_r(hi[0]),
                )
            rows.append(row)
    classes = pd.DataFrame(rows)
    # ---- association measures with bootstrap intervals
    rng = np.random.default_rng(seed)
    cls = constraints["ptal_band"][0]
    use = np.flatnonzero(has & (cls >= 0))
    v = cramers_v(_contingency(labels[use], cls[use], w[use], k, len(BAND_NAMES)))
    fp_ok = use[np.isfinite(fp[use])]
    rho = spearman(fp[fp_ok], ai[fp_ok], w[fp_ok]) if len(fp_ok) else float("nan")
    boot_v, boot_rho = [], []
    table_atoms = _Atoms.of(labels[use], cls[use], w[use])
    ranked = fp_ok[np.isfinite(ai[fp_ok])]
    rank_atoms = _Atoms.of(fp[ranked], ai[ranked], w[ranked])
    for _ in range(n_boot):
        # a resample of the respondents drawn with replacement, as counts of alike ones
        count = table_atoms.draw(rng)
        boot_v.append(cramers_v(_contingency(table_atoms.a, table_atoms.b,
                                             table_atoms.w * count, k, len(BAND_NAMES))))  # fmt: skip
        boot_rho.append(rank_atoms.spearman(rank_atoms.draw(rng)) if len(ranked) else np.nan)
    summary = {
        "respondents": int(n),
        "with_access": int(np.isfinite(ai).sum()),
        "compared": int(len(use)),
        "cramers_v_profiles_ptal": _r(v),
        "cramers_v_95": _interval(boot_v),
        "spearman_mobility_ai": _r(rho),
        "spearman_95": _interval(boot_rho),
        "bootstrap": n_boot,
        "min_cell": min_cell,
        "below_3_override": bool(min_cell < 3),
    }
    # ---- bivariate classes per area
    if focus_profile and focus_profile not in profile_names:  # a user's choice: exit 2
        raise ParameterError(
            tr(
                "profile {profile} of the bivariate map: no such profile (expected one of "
                "{profiles})",
                profile=focus_profile,
                profiles=", ".join(map(str, sorted(profile_names))),
            )
        )
    focus = focus_profile or _car_profile(profile_names, respondents, labels, has, w, k)
    summary["bivariate_profile"] = int(focus)
    summary["bivariate_profile_name"] = profile_names.get(focus)
    area_table = transit.areas[["area_id", "area_name", "ai_mean", "geometry"]].copy()
    if area_of is not None:
        in_area = (area_of >= 0) & np.isfinite(profile)
        n_area = np.bincount(area_of[in_area], minlength=len(area_table))
        w_area = np.bincount(area_of[in_area], weights=w[in_area], minlength=len(area_table))
        w_focus = np.bincount(area_of[in_area], weights=w[in_area] * (profile[in_area] == focus),
                              minlength=len(area_table))  # fmt: skip
        with np.errstate(divide="ignore", invalid="ignore"):
            share = w_focus / w_area
        if pattern is None:
            pattern = area_pattern(area_of, profile, len(area_table), k, min_cell)
        if pattern.cell.shape != (len(area_table), k):
            raise ValueError(
                f"the suppression pattern is of {pattern.cell.shape[0]} areas × "
                f"{pattern.cell.shape[1]} profiles, not {len(area_table)} × {k}"
            )
        # the study's pattern: an area's n where the area map publishes it, the focus
        # profile's share (a count, times n) where the area map publishes that cell; the
        # bivariate class, a function of that share, only there too
        published = ~pattern.area
        shown = published & ~pattern.cell[:, focus - 1]
        area_table["n"] = np.where(published, n_area, np.nan)
        area_table[f"share_profile_{focus}"] = np.where(shown, np.round(share, 4), np.nan)
        share_class = _tertiles(np.where(shown, share, np.nan))
        access_class = _tertiles(area_table["ai_mean"].to_numpy(dtype=float))
        area_table["bivariate_class"] = [
            f"{'ABC'[s]}{a + 1}" if s >= 0 and a >= 0 else None
            for s, a in zip(share_class, access_class, strict=True)
        ]
        area_table["suppression"] = published_reason(~shown, min_cell)
    # ---- satisfaction against measured access
    satisfaction = pd.DataFrame()
    if satisfaction_column:
        if satisfaction_column not in respondents.columns:
            raise InputError(
                Problem.of("respondents", "no satisfaction column", value=satisfaction_column)
            )
        answers = (
            respondents[satisfaction_column]
            .astype("string")
            .str.strip()
            .str.upper()
            .map(SATISFACTION)
        )
        order = ["NO", "DONT_KNOW", "YES"]
        code = answers.map({a: i for i, a in enumerate(order)}).to_numpy(
            dtype=float, na_value=np.nan
        )
        ok = np.isfinite(code) & (cls >= 0)
        counts = np.zeros((len(BAND_NAMES), 3), dtype=np.int64)
        np.add.at(counts, (cls[ok], code[ok].astype(int)), 1)
        # the bands the classes table hides are hidden here too (they share its totals);
        # the answers' totals over the study are not published
        answers_by_band = _suppress_present(counts, counts.sum(axis=1) > 0, min_cell,
                                            band_hidden, col_known=np.zeros(3, dtype=bool))  # fmt: skip
        rows = []
        for i, name in enumerate(BAND_NAMES):
            if counts[i].sum() == 0:
                continue
            hidden_band = answers_by_band.area[i]
            row = {"ptal_band": name, "n": None if hidden_band else int(counts[i].sum())}
            for j, answer in enumerate(order):
                row[f"share_{answer.lower()}"] = (
                    None if answers_by_band.cell[i, j] else round(counts[i, j] / counts[i].sum(), 4)
                )
            rows.append(row)
        satisfaction = pd.DataFrame(rows)
    return Comparison(classes, area_table, satisfaction, ComparisonSummary(**summary), transit.crs,
                      tables=tables)  # fmt: skip


def check_compare_parameters(*, min_cell: int = DEFAULT_MIN_CELL, allow_below_3: bool = False,
                             n_boot: int = DEFAULT_COMPARE_BOOTSTRAP,
                             names: dict | None = None) -> int:  # fmt: skip
    """The parameters of :func:`compare` checked before any file is read: the disclosure
    threshold (under 3 only with ``allow_below_3``) and the bootstrap's resamples (the
    rule of the profiles' bootstrap); ``n_boot`` as a whole number, or a ParameterError
    naming the parameter as ``names`` says the user knows it (``{"n_boot": "--bootstrap",
    "allow_below_3": "--allow-below-3"}``)."""
    names = names or {}
    try:
        check_min_cell(min_cell, allow_below_3,
                       override=names.get("allow_below_3", "allow_below_3=True"))  # fmt: skip
    except ValueError as exc:
        raise ParameterError(str(exc)) from exc
    try:
        return check_parameters(n_boot=n_boot)["n_boot"]
    except ProfileParameterError as exc:
        raise ParameterError(exc.text((names or {}).get("n_boot"))) from exc


def check_profiles(respondents: pd.DataFrame, model=None, *, name: str | None = None) -> None:
    """A ParameterError when the respondents have no profiles to compare: no ``model`` and
    no ``profile`` column; ``name``: how the user gives the model (``--model``)."""
    if model is None and "profile" not in respondents.columns:
        raise ParameterError(tr("no profiles: give {model}, or respondents with a profile column",
                                model=name or "model="))  # fmt: skip


def _suppress_present(counts, present, min_cell, hidden=None, col_known=None):
    """The suppression pattern (audited, :func:`qet_geo.areas.disclosure.protect`) of the
    classes present, spread back over all classes; ``hidden``: classes hidden already."""
    part = protect(counts[present], min_cell,
                   hidden_areas=None if hidden is None else np.asarray(hidden)[present],
                   col_known=col_known)  # fmt: skip
    n, k = counts.shape
    area = np.zeros(n, dtype=bool)
    area_reason = np.full(n, None, dtype=object)
    cell = np.zeros((n, k), dtype=bool)
    cell_reason = np.full((n, k), None, dtype=object)
    area[present], area_reason[present] = part.area, part.area_reason
    cell[present], cell_reason[present] = part.cell, part.cell_reason
    return Suppression(area, area_reason, cell, cell_reason)


def _mobility_footprint(respondents: pd.DataFrame) -> np.ndarray:
    """The respondents' fp_mobilite, or the NGC band footprint of their transport answer."""
    if "fp_mobilite" in respondents.columns:
        return pd.to_numeric(respondents["fp_mobilite"], errors="coerce").to_numpy(float)
    if "transportation_mode" in respondents.columns:
        values = band_values()["usages"]["mobilite"]["values"]
        table = np.array([np.nan] + [values[str(c)]["estimate"] for c in (1, 2, 3)])
        codes = pd.to_numeric(respondents["transportation_mode"], errors="coerce").to_numpy(float)
        index = np.where(np.isin(codes, [1, 2, 3]), np.nan_to_num(codes), 0).astype(int)
        return table[index]
    return np.full(len(respondents), np.nan)


def _car_profile(names, respondents, labels, has, w, k) -> int:
    """The profile most turned to the car: the highest weighted share of
    transportation_mode = 3 (car)."""
    if "transportation_mode" not in respondents.columns or k == 0:
        return 1
    car = pd.to_numeric(respondents["transportation_mode"], errors="coerce").to_numpy(float) == 3
    shares = []
    for j in range(k):
        inside = has & (labels == j)
        shares.append(np.average(car[inside], weights=w[inside]) if inside.any() else -1)
    return int(np.argmax(shares)) + 1


def _tertiles(values: np.ndarray) -> np.ndarray:
    """0, 1, 2 for the lower, middle and upper third of the finite values (-1 for NaN)."""
    values = np.asarray(values, dtype=float)
    out = np.full(len(values), -1)
    finite = np.isfinite(values)
    if finite.sum() == 0:
        return out
    cuts = np.quantile(values[finite], [1 / 3, 2 / 3])
    out[finite] = np.searchsorted(cuts, values[finite], side="right")
    return out


def _r(value) -> float | None:
    value = float(value)
    return None if not np.isfinite(value) else round(value, 4)


def _interval(values) -> list | None:
    values = np.asarray([v for v in values if np.isfinite(v)])
    if len(values) < 10:
        return None
    return [
        round(float(np.quantile(values, 0.025)), 4),
        round(float(np.quantile(values, 0.975)), 4),
    ]
