"""Area indicators: who answered where, which profiles live there and in what proportion,
with what footprint, how representative — aggregates only, small cells suppressed.

:func:`map_areas` joins respondents to areas, weights them (survey weights, raking to the
census, or none), aggregates per area and applies disclosure control. Nothing it returns
carries a respondent-level column, point or id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..display import Summary, html_summary, map_title, plot_language, plot_map, to_geodataframe
from ..errors import InputError, Problem
from ..footprint.su import ngc_average as average
from ..footprint.su import su_footprints
from ..footprint.usages import USAGES
from ..i18n import Message, tr, translate
from ..io import json_ready, public_name
from ..parameters import check_areas, check_argument, check_respondents
from ..profiles.portraits import default_colours
from ..profiles.publish import group_small_labels
from ..survey.importer import respondent_weights
from ..threshold import suppressed_label
from . import stats
from .census import MARGINS, Census, area_census, check_raking_cap, rake
from .disclosure import (
    DEFAULT_MIN_CELL,
    Suppression,
    area_counts,
    check_min_cell,
    protect,
    published_reason,
)
from .join import Joined, join_respondents
from .params import DEFAULT_RAKING_CAP
from .zones import Areas, as_areas

#: What map_areas takes as its census (its French in qet_geo.i18n).
CENSUS = "the census of qg.read_census(path) (Census), or None"

NONE_DOMINANT = "aucun profil nettement dominant"
FP_USAGES = (*USAGES, "total")
WEIGHT_MODES = ("survey", "raking", "none")


#: The figures of the census, in an area summary only when a census was given.
CENSUS_FIGURES = ("census", "census_year", "population_15p", "margin_of_error",
                  "target_n_3pct", "target_n_4pct", "target_n_5pct")  # fmt: skip


@dataclass(frozen=True)
class AreaSummary(Summary):
    """The study's figures of an area map: the ``study_summary`` layer of ``areas.gpkg``
    (:func:`~qet_geo.areas.output.summary_table`), the ``--json`` output of ``qet-geo
    areas map``, what the web map and the poster say of the study.

    Read back from a file by :meth:`from_table` (:func:`~qet_geo.areas.read_area_map`);
    a key an older file lacks takes the default below. The census figures are written
    only with a census (:data:`CENSUS_FIGURES`).
    """

    #: respondents given (default 0)
    respondents: int = 0
    #: respondents in an area and with a profile: those the indicators count (default 0)
    joined: int = 0
    #: respondents in an area without a profile (default 0)
    without_profile: int = 0
    #: respondents whose point is in no area (default 0)
    outside: int = 0
    #: respondents without a location (default 0)
    unlocated: int = 0
    #: respondents whose area code names no area (default 0)
    unknown_code_respondents: int = 0
    #: those codes → number of respondents (default none)
    unknown_codes: dict[str, int] = field(default_factory=dict)
    #: points in several areas, given to the area whose id sorts first (default 0)
    on_boundary: int = 0
    #: how respondents were joined: "points" or "codes" (default "points")
    join: str = "points"
    #: the reprojection of the points, "EPSG:4326 → EPSG:2154"; None when none (default)
    reprojected: str | None = None
    #: areas of the map (default 0)
    areas: int = 0
    #: areas with at least one respondent (default 0)
    areas_with_respondents: int = 0
    #: areas suppressed: fewer respondents than ``min_cell`` (default 0)
    areas_suppressed: int = 0
    #: cells (area × profile) suppressed in the areas shown (default 0)
    cells_suppressed: int = 0
    #: the disclosure threshold, in respondents (default :data:`DEFAULT_MIN_CELL`)
    min_cell: int = DEFAULT_MIN_CELL
    #: whether the threshold is under 3 by the explicit override (default False)
    below_3_override: bool = False
    #: the weights: "survey", "raking" or "none" (default "none")
    weights: str = "none"
    #: respondents counted (joined, with a profile; default 0)
    n: int = 0
    #: their effective number under the weights, Kish's n_eff (default 0.0)
    n_eff: float = 0.0
    #: the raking's report (cycles, convergence, largest gap in points, weights capped,
    #: cap, variables); None without raking (default)
    raking: dict | None = None
    #: profiles published (default 0)
    profiles: int = 0
    #: the study's weighted mean footprint per usage and ``total``, kgCO2e/yr (None where
    #: no respondent has one; default none)
    study_fp: dict[str, float | None] = field(default_factory=dict)
    #: Nos Gestes Climat's French average per usage, kgCO2e/yr; None without footprints
    #: (default)
    ngc_average: dict[str, float] | None = None
    #: the census file's name (no folder); None without a census (default)
    census: str | None = None
    #: the census year, as the file names it ("2021"); None without a census (default)
    census_year: str | None = None
    #: the population aged 15 and over of the areas (default None)
    population_15p: float | None = None
    #: the achieved margin of error at 95 %, p = 0.5, with the finite population
    #: correction (default None)
    margin_of_error: float | None = None
    #: NEAR's target sample size for a margin of error of 3 % (default None)
    target_n_3pct: int | None = None
    #: the same for 4 % (default None)
    target_n_4pct: int | None = None
    #: the same for 5 % (default None)
    target_n_5pct: int | None = None

    def _written(self, name: str) -> bool:
        return name not in CENSUS_FIGURES or any(
            getattr(self, f) is not None for f in CENSUS_FIGURES
        )


@dataclass
class AreaMap:
    """``indicators``: one row per area with a ``geometry`` column (shapely polygons in
    ``crs``); the study's figures (:class:`AreaSummary`); the tables; what the join did;
    warnings; names and colours of profiles."""

    indicators: pd.DataFrame
    summary: AreaSummary
    profiles: pd.DataFrame
    representativeness: pd.DataFrame
    joined: Joined
    warnings: list = field(default_factory=list)
    profile_names: dict = field(default_factory=dict)
    profile_colours: dict = field(default_factory=dict)
    crs: str | None = None
    pattern: Suppression | None = None  # the study's suppression pattern (areas × profiles)

    def __post_init__(self):
        self.summary = AreaSummary.of(self.summary)

    def to_geodataframe(self):
        """The indicators per area as a GeoDataFrame in :attr:`crs` (geopandas imported
        here): ``.plot(column=...)``, ``.explore()`` as any GeoDataFrame."""
        return to_geodataframe(self.indicators, self.crs)

    def plot(self, column: str | None = None, *, ax=None, language: str | None = None, **kwargs):
        """Draw the map with matplotlib and return the axes.

        Parameters
        ----------
        column : str, optional
            An indicator column (e.g. ``"fp_total"``): a choropleth. By default the
            dominant profile of each area, in the profiles' colours (suppressed areas grey,
            areas without a clearly dominant profile white, as on the poster).
        ax : matplotlib.axes.Axes, optional
            Where to draw (a new figure by default).
        language : {"fr", "en"}, optional
            The language of the title and the legend (default: the current language of
            messages, :func:`qet_geo.i18n.language`).
        **kwargs
            Passed to :meth:`geopandas.GeoDataFrame.plot`.

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> ax = amap.plot()  # doctest: +SKIP
        >>> ax.figure.savefig("map.png")  # doctest: +SKIP
        """
        gdf = self.to_geodataframe()
        colours = None
        language = plot_language(language)
        if column is None and "dominant_profile" in gdf.columns:
            column, kwargs["title"] = "dominant profile", map_title("dominant_profile", language)
            dominant = pd.to_numeric(gdf["dominant_profile"], errors="coerce")
            hidden = gdf["suppressed"].astype(bool) if "suppressed" in gdf else False
            labels = {p: str(self.profile_names.get(p, p)) for p in self.profile_colours}
            hidden_label = suppressed_label(self.summary.min_cell, language)
            none = translate(language, "no clearly dominant profile")
            gdf[column] = [
                hidden_label if h else none if pd.isna(d) else labels.get(int(d), str(int(d)))
                for d, h in zip(dominant, np.broadcast_to(hidden, len(gdf)), strict=True)
            ]  # fmt: skip
            colours = {labels[p]: c for p, c in self.profile_colours.items()}
            colours.update({none: "#FFFFFF", hidden_label: "#BEBEBE"})  # as the poster
        return plot_map(gdf, column, ax=ax, colours=colours, language=language, **kwargs)

    def _repr_html_(self) -> str:
        s = self.summary
        return html_summary("Area map", [
            ("areas", s.areas), ("suppressed", s.areas_suppressed),
            ("respondents mapped", s.joined), ("CRS", self.crs),
            ("profiles", ", ".join(f"{p}: {n}" for p, n in self.profile_names.items()) or None),
            ("threshold", s.min_cell), ("warnings", len(self.warnings) or None)])  # fmt: skip

    def lines(self) -> list[str]:
        """What is said of the map: the respondents mapped and how, the points reprojected
        or on a shared boundary, what was suppressed, the raking, the margin of error."""
        s = self.summary
        lines = [tr("{joined} of {n} respondents mapped in {areas} areas ({join})",
                    joined=s.joined, n=s.respondents, areas=s.areas, join=s.join)]  # fmt: skip
        if s.reprojected:
            lines.append(tr("points reprojected: {what}", what=s.reprojected))
        if s.on_boundary:
            lines.append(
                tr(
                    "{n} points on a shared boundary, given to the area whose id sorts first",
                    n=s.on_boundary,
                )
            )
        lines.append(
            tr("{areas} areas suppressed and {cells} cells (threshold {min_cell} respondents)",
               areas=s.areas_suppressed, cells=s.cells_suppressed, min_cell=s.min_cell)
        )  # fmt: skip
        if s.raking:
            r = s.raking
            lines.append(
                tr("raking: {iterations} cycles, largest gap {gap} points, {trimmed} weights capped",
                   iterations=r["iterations"], gap=r["max_gap_points"], trimmed=r["trimmed"])
            )  # fmt: skip
        if s.margin_of_error is not None:
            lines.append(
                tr("margin of error (95 %, p = 0.5): {e:.1%}; target sizes 3/4/5 %: {a}/{b}/{c}",
                   e=s.margin_of_error, a=s.target_n_3pct, b=s.target_n_4pct,
                   c=s.target_n_5pct)
            )  # fmt: skip
        return lines


def ngc_average() -> dict:
    """Nos Gestes Climat's French average per usage (see :func:`qet_geo.footprint.su.ngc_average`)."""
    return average()


def _footprints(respondents: pd.DataFrame) -> dict | None:
    """Column → array of the respondents' footprints: their fp_* columns, or the SU band
    footprints of their answers; None when neither is there."""
    present = [f"fp_{u}" for u in FP_USAGES if f"fp_{u}" in respondents.columns]
    if len(present) == len(FP_USAGES):
        return {c: pd.to_numeric(respondents[c], errors="coerce").to_numpy(float) for c in present}

    try:
        frame = su_footprints(
            pd.DataFrame(respondents.drop(columns="geometry", errors="ignore")), heating=False
        )
    except InputError:
        return None
    return {f"fp_{u}": frame[f"fp_{u}"].to_numpy(float) for u in FP_USAGES}


def map_areas(
    respondents: pd.DataFrame,
    areas: Areas,
    *,
    model=None,
    profile_column: str = "profile",
    census: Census | None = None,
    weights: str = "survey",
    min_cell: int = DEFAULT_MIN_CELL,
    allow_below_3: bool = False,
    code_column: str | None = None,
    join: str = "auto",
    raking_variables=None,
    raking_cap: float = DEFAULT_RAKING_CAP,
) -> AreaMap:
    """Indicators per area: profile mix, footprints, representativeness, small cells
    suppressed.

    Joins the respondents to the areas, weights them, aggregates per area and applies
    disclosure control; nothing returned carries a respondent-level column, point or id.

    Parameters
    ----------
    respondents : pandas.DataFrame
        The respondents (:func:`qet_geo.read_survey`, :func:`qet_geo.assign_profiles`),
        with their homes (points) or an area code.
    areas : Areas, GeoDataFrame or DataFrame
        The areas (:func:`qet_geo.read_areas`, :func:`qet_geo.areas_from_frame`), or a
        frame of polygons with its CRS (:func:`qet_geo.areas.as_areas`).
    model : ProfileModel, optional
        The fitted model: the profiles as it publishes them (those under its threshold
        grouped), their names and colours. Without it, the ``profile_column``.
    profile_column : str
        The column of profile numbers (1..k) when no model is given.
    census : Census, optional
        The census margins (:func:`qet_geo.read_census`): representativeness per area,
        and the targets of ``weights="raking"``.
    weights : {"survey", "raking", "none"}
        The survey's own weights (a ``weight`` column, else 1), raking to the census
        margins, or every respondent 1.
    min_cell, allow_below_3 : int, bool
        The disclosure threshold (default 11); under 3 only with ``allow_below_3``.
    code_column : str, optional
        The respondents' column of area codes (for a join by code).
    join : str
        How respondents meet areas: ``"auto"``, by point in polygon or by code.
    raking_variables : sequence of str, optional
        The census variables raked to (default: those the respondents have).
    raking_cap : float
        The cap on the raked weights.

    Returns
    -------
    AreaMap
        ``indicators`` (one row per area, with ``geometry``: n, n_eff, shares with
        their Wilson and simultaneous intervals, index, dominant profile, mean footprints
        with their t intervals, suppression), ``summary``, ``profiles``,
        ``representativeness``, ``joined``, ``warnings``, ``pattern``; ``.plot()``.

    Raises
    ------
    InputError
        No model and no profile column.
    ParameterError
        A bad ``min_cell`` or ``raking_cap``.
    ValueError
        An unknown ``weights``, or raking without ``census``.

    References
    ----------
    Keys of ``docs/references.md``; the method is ``docs/areas.md``.

    - [Kish-1965]: the effective sample size n_eff of the weights.
    - [Wilson-1927]: the 95 % interval of each share.
    - [Goodman-1965]: the simultaneous intervals and the dominant profile.
    - [Student-1908]: the t interval of the mean footprints.
    - [Deming-Stephan-1940]: raking to the census margins ([INSEE-base-ic]).
    - [Hundepool-2012], [INSEE-secret]: cell suppression and its threshold.
    - [NGC-model]: the footprints of the SU answers.

    Examples
    --------
    >>> import qet_geo as qg
    >>> respondents = qg.read_survey("sample_data/survey_su.tsv").respondents
    >>> model = qg.ProfileModel("near").fit(respondents)
    >>> areas = qg.read_areas("sample_data/quartier.gpkg", layer="iris")
    >>> amap = qg.map_areas(respondents, areas, model=model)
    >>> len(amap.indicators) == len(areas.frame)
    True
    """
    check_respondents(respondents, "map_areas")
    check_areas(areas, "map_areas", containers=True)
    check_argument(census, (Census, type(None)), "map_areas", "census", CENSUS,
                   Message("read it first: qg.read_census(path)"))  # fmt: skip
    if weights not in WEIGHT_MODES:
        raise ValueError(tr("weights must be one of {modes}, not {weights}",
                            modes=", ".join(WEIGHT_MODES), weights=repr(weights)))  # fmt: skip
    check_raking_cap(raking_cap)  # checked even when unused: never ignored silently
    check_min_cell(min_cell, allow_below_3)
    areas = as_areas(areas)  # Areas, or a frame of polygons with its CRS (one rule: crs_of)
    warnings: list = list(areas.warnings)
    # ---- profiles
    if model is not None:
        assigned = model.predict(respondents)
        # the profiles as published: those under the model's threshold are one category
        profile = model.published_labels(assigned["profile"])
        published = model.published_profiles()
        if (
            published
            and published[-1].get("group")
            and not (profile == published[-1]["profile"]).any()
        ):
            published = published[:-1]  # no one here in the group (a shareable model): no column
        k = len(published)
        names = {e["profile"]: e["name"] for e in published}
        colours = {e["profile"]: e["colour"] for e in published}
    elif profile_column in respondents.columns:
        profile = pd.to_numeric(respondents[profile_column], errors="coerce").to_numpy(dtype=float)
        k = int(np.nanmax(profile)) if np.isfinite(profile).any() else 0
        names = {}
        if "profile_name" in respondents.columns:
            for p, name in zip(profile, respondents["profile_name"], strict=True):
                if np.isfinite(p) and isinstance(name, str):
                    names.setdefault(int(p), name)

        colours = dict(zip(range(1, k + 1), default_colours(k), strict=True))
        names = {p: names.get(p, f"Profil {p}") for p in range(1, k + 1)}
        # profiles of fewer than min_cell respondents: one group, as a model would publish

        profile, names, colours = group_small_labels(profile, names, colours, min_cell)
        k = len(names)
    else:
        raise InputError(
            Problem.of(
                "respondents",
                "no profiles: give the profile model, or respondents with a profile column",
                expected=Message(
                    "--model MODEL.json, or a column {column!r}", column=profile_column
                ),
            )
        )
    # ---- join
    joined = join_respondents(respondents, areas, code_column=code_column, how=join)
    n_areas = len(areas.frame)
    area = joined.area
    # ---- weights
    raking = None
    w = respondent_weights(respondents) if weights == "survey" else np.ones(len(respondents))
    members = areas.frame["members"].to_numpy() if "members" in areas.frame else None
    census_by_area = (
        area_census(census, areas.frame["area_id"].to_numpy(), members)
        if census is not None
        else None
    )
    if weights == "raking":
        if census is None:
            raise ValueError(tr("raking weights need the census margins (--census)"))
        variables = list(
            raking_variables or [v for v in census.variables if v in respondents.columns]
        )
        study = census_by_area.sum(skipna=True)
        targets = {v: {c: float(study[(v, c)]) for c in census.variables[v]} for v in variables}
        inside = area >= 0
        result = rake(respondents[inside], targets, cap=raking_cap)
        w = np.zeros(len(respondents))
        w[inside] = result.weights
        raking = result
    # ---- per area aggregates (respondents joined, with a profile)
    has_profile = np.isfinite(profile)
    use = (area >= 0) & has_profile
    a = area[use]
    p = profile[use].astype(np.int64) - 1
    wu = w[use]
    n = np.bincount(a, minlength=n_areas)
    sum_w = np.bincount(a, weights=wu, minlength=n_areas)
    sum_w2 = np.bincount(a, weights=wu**2, minlength=n_areas)
    n_eff = stats.kish(sum_w, sum_w2)
    counts = area_counts(area, profile, n_areas, k)
    wcounts = np.zeros((n_areas, k))
    np.add.at(wcounts, (a, p), wu)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = wcounts / sum_w[:, None]
    study_w = wcounts.sum(axis=0)
    study_share = study_w / study_w.sum() if study_w.sum() > 0 else np.full(k, np.nan)
    wl, wh = stats.wilson(shares, n_eff[:, None])
    gl, gh = stats.goodman(shares, n_eff)
    # dominant profile: the largest share, when its simultaneous interval clears the others'
    out = pd.DataFrame(
        {
            "area_id": areas.frame["area_id"].to_numpy(),
            "area_name": areas.frame["area_name"].to_numpy(),
        }
    )
    out["n"] = n
    out["n_eff"] = np.round(n_eff, 2)
    dominant = np.full(n_areas, np.nan)
    if k:
        top = np.argmax(np.where(np.isfinite(shares), shares, -1), axis=1)
        rows = np.arange(n_areas)
        others = np.where(np.isfinite(gh), gh, -np.inf)
        others[rows, top] = -np.inf
        clear = (gl[rows, top] > others.max(axis=1)) if k > 1 else np.ones(n_areas, bool)
        dominant = np.where((n > 0) & clear, top + 1.0, np.nan)
    # ---- footprints
    fp = _footprints(respondents)
    fp_cols = {}
    study_fp = {}
    if fp is not None:
        for usage in FP_USAGES:
            x = fp[f"fp_{usage}"][use]
            ok = np.isfinite(x)
            sw = np.bincount(a[ok], weights=wu[ok], minlength=n_areas)
            sw2 = np.bincount(a[ok], weights=wu[ok] ** 2, minlength=n_areas)
            sx = np.bincount(a[ok], weights=wu[ok] * x[ok], minlength=n_areas)
            with np.errstate(divide="ignore", invalid="ignore"):
                mean = sx / sw
                dev = x[ok] - mean[a[ok]]
                var = np.bincount(a[ok], weights=wu[ok] * dev**2, minlength=n_areas) / sw
            ne = stats.kish(sw, sw2)
            low, high = stats.mean_interval(mean, np.sqrt(var), ne)
            fp_cols[f"fp_{usage}"] = mean
            fp_cols[f"fp_{usage}_low"] = low
            fp_cols[f"fp_{usage}_high"] = high
            study_fp[usage] = float(np.average(x[ok], weights=wu[ok])) if ok.any() else np.nan
    # ---- disclosure control
    pattern = protect(counts, min_cell)
    # ---- assemble
    out["suppressed"] = pattern.area
    out["suppression"] = published_reason(pattern.area, min_cell)
    out["dominant_profile"] = pd.array(
        [None if not np.isfinite(d) else int(d) for d in dominant], dtype="Int64"
    )
    out["dominant_name"] = [
        None
        if n[i] == 0
        else (names.get(int(dominant[i])) if np.isfinite(dominant[i]) else NONE_DOMINANT)
        for i in range(n_areas)
    ]
    for j in range(k):
        tag = j + 1
        hidden = pattern.cell[:, j]
        out[f"share_{tag}"] = np.where(hidden, np.nan, np.round(shares[:, j], 6))
        out[f"share_{tag}_low"] = np.where(hidden, np.nan, np.round(wl[:, j], 6))
        out[f"share_{tag}_high"] = np.where(hidden, np.nan, np.round(wh[:, j], 6))
        out[f"share_{tag}_sim_low"] = np.where(hidden, np.nan, np.round(gl[:, j], 6))
        out[f"share_{tag}_sim_high"] = np.where(hidden, np.nan, np.round(gh[:, j], 6))
        with np.errstate(divide="ignore", invalid="ignore"):
            index = shares[:, j] / study_share[j] * 100
        out[f"index_{tag}"] = np.where(hidden, np.nan, np.round(index, 1))
        out[f"cell_{tag}_suppression"] = published_reason(hidden, min_cell)
    # the dominant profile of an area whose cells are hidden stays (a name, not a count),
    # except in suppressed areas
    for column, values in fp_cols.items():
        out[column] = np.where(pattern.area, np.nan, np.round(values, 1))
    if study_fp.get("total") is not None and "fp_total" in out:
        ngc = ngc_average()
        with np.errstate(divide="ignore", invalid="ignore"):
            out["fp_total_vs_study_pct"] = np.round(
                (out["fp_total"] / study_fp["total"] - 1) * 100, 1
            )
            out["fp_total_vs_ngc_pct"] = np.round((out["fp_total"] / ngc["total"] - 1) * 100, 1)
    for column in ("n_eff",):
        out[column] = np.where(pattern.area, np.nan, out[column])
    out["n"] = pd.array(
        [None if s else int(v) for v, s in zip(n, pattern.area, strict=True)], dtype="Int64"
    )
    out.loc[pattern.area, "dominant_profile"] = pd.NA
    out.loc[pattern.area, "dominant_name"] = None
    # ---- representativeness
    rep_rows, area_rep = _representativeness(
        respondents, area, use, wu, w, n, n_eff, census, census_by_area, areas, min_cell, pattern
    )
    for column, values in area_rep.items():
        out[column] = values
    out["geometry"] = areas.geometries
    indicators = out
    # ---- study tables
    study_counts = counts.sum(axis=0)
    hide_study = study_counts < min_cell
    if n_areas == 1:  # the study total of a profile is then its only cell
        hide_study = hide_study | pattern.cell[0]
    profiles = pd.DataFrame(
        {
            "profile": np.arange(1, k + 1),
            "name": [names.get(j + 1, f"Profil {j + 1}") for j in range(k)],
            "colour": [colours.get(j + 1, "#BBBBBB") for j in range(k)],
            "n": pd.array(
                [None if h else int(c) for c, h in zip(study_counts, hide_study, strict=True)],
                dtype="Int64",
            ),
            "share": np.where(hide_study, np.nan, np.round(study_share, 6)),
        }
    )
    total_n = int(n.sum())
    summary = {
        "respondents": int(len(respondents)),
        "joined": int(use.sum()),
        "without_profile": int(((area >= 0) & ~has_profile).sum()),
        "outside": len(joined.outside_rows),
        "unlocated": len(joined.unlocated_rows),
        "unknown_code_respondents": len(joined.unknown_rows),
        "unknown_codes": joined.unknown_codes,
        "on_boundary": joined.on_boundary,
        "join": joined.how,
        "reprojected": joined.reprojected,
        "areas": n_areas,
        "areas_with_respondents": int((n > 0).sum()),
        "areas_suppressed": int(pattern.area.sum()),
        "cells_suppressed": int(pattern.cell[~pattern.area].sum()),
        "min_cell": int(min_cell),
        "below_3_override": bool(min_cell < 3),
        "weights": weights,
        "n": total_n,
        "n_eff": round(float(stats.kish(wu.sum(), (wu**2).sum())), 2),
        "raking": None if raking is None else raking.report(),
        "profiles": k,
        "study_fp": {u: (None if not np.isfinite(v) else round(v, 1)) for u, v in study_fp.items()},
        "ngc_average": {u: round(v, 1) for u, v in ngc_average().items()} if study_fp else None,
    }
    if census is not None:
        population = float(np.nansum(census_by_area["population"].to_numpy()))
        summary["census"] = public_name(census.source)  # published: no folders
        summary["census_year"] = census.year
        summary["population_15p"] = round(population, 1)
        summary["margin_of_error"] = _round(stats.margin_of_error(summary["n_eff"], population))
        for e in (3, 4, 5):
            target = stats.target_size(population, e / 100)
            summary[f"target_n_{e}pct"] = int(target) if np.isfinite(target) else None
    if joined.outside_rows:
        warnings.append(
            Problem.of(
                "respondents",
                "respondents outside every area (not mapped)",
                value=str(len(joined.outside_rows)),
            )
        )
    if joined.unknown_rows:
        warnings.append(
            Problem.of(
                "respondents",
                "respondents with an area code that names no area (not mapped)",
                value=", ".join(f"{c} ({m})" for c, m in list(joined.unknown_codes.items())[:10]),
            )
        )
    if joined.unlocated_rows:
        warnings.append(
            Problem.of(
                "respondents",
                "respondents without a location (not mapped)",
                value=str(len(joined.unlocated_rows)),
            )
        )

    return AreaMap(
        indicators=indicators,
        summary=AreaSummary(**json_ready(summary)),
        profiles=profiles,
        representativeness=pd.DataFrame(rep_rows),
        joined=joined,
        warnings=warnings,
        profile_names=names,
        profile_colours=colours,
        crs=areas.crs,
        pattern=pattern,
    )


def _round(value):
    value = float(np.asarray(value))
    return None if not np.isfinite(value) else round(value, 4)


def _representativeness(
    respondents, area, use, wu, w, n, n_eff, census, census_by_area, areas, min_cell, pattern
):
    """Rows (scope, variable, category, counts, achieved shares raw and weighted, census
    share, gap in points) and per-area columns (population 15+, target sizes, achieved
    margin of error). Cells under the threshold are suppressed, with complementary cells."""
    n_areas = len(areas.frame)
    per_area = {}
    rows = []
    if census is None:
        return rows, per_area
    population = census_by_area["population"].to_numpy(dtype=float)
    per_area["pop_15p"] = np.round(population, 1)
    for e in (3, 4, 5):
        per_area[f"target_n_{e}pct"] = stats.target_size(population, e / 100)
    moe = stats.margin_of_error(n_eff, population)
    per_area["margin_of_error"] = np.where(pattern.area, np.nan, np.round(moe, 4))
    ids = areas.frame["area_id"].to_numpy()
    a = area[use]
    for variable, categories in census.variables.items():
        if variable not in respondents.columns:
            continue
        values = respondents[variable].astype("string").fillna("").to_numpy(dtype=object)[use]
        k = len(categories)
        counts = np.zeros((n_areas, k), dtype=np.int64)
        weighted = np.zeros((n_areas, k))
        for j, category in enumerate(categories):
            inside = values == category
            counts[:, j] = np.bincount(a[inside], minlength=n_areas)
            weighted[:, j] = np.bincount(a[inside], weights=wu[inside], minlength=n_areas)
        cells = protect(counts, min_cell, totals=n, hidden_areas=pattern.area)
        reasons = published_reason(cells.cell, min_cell)
        census_counts = np.array(
            [[census_by_area[(variable, c)].iloc[i] for c in categories] for i in range(n_areas)],
            dtype=float,
        )
        for i in range(n_areas):
            known = counts[i].sum()
            wknown = weighted[i].sum()
            total_census = np.nansum(census_counts[i])
            for j, category in enumerate(categories):
                hidden = bool(cells.cell[i, j])
                census_share = census_counts[i, j] / total_census if total_census > 0 else np.nan
                achieved = counts[i, j] / known if known else np.nan
                achieved_w = weighted[i, j] / wknown if wknown else np.nan
                rows.append(
                    {
                        "scope": ids[i],
                        "variable": variable,
                        "category": category,
                        "n": None if hidden else int(counts[i, j]),
                        "achieved_share": None if hidden else _round(achieved),
                        "weighted_share": None if hidden else _round(achieved_w),
                        "census_share": _round(census_share),
                        "gap_points": None if hidden else _round((achieved - census_share) * 100),
                        "weighted_gap_points": None
                        if hidden
                        else _round((achieved_w - census_share) * 100),
                        "suppression": reasons[i, j],
                    }
                )
        study_counts = counts.sum(axis=0)
        study_weighted = weighted.sum(axis=0)
        study_census = np.nansum(census_counts, axis=0)
        # the study line: its total is known from any count and its share, so one hidden
        # category would come back by difference; the same rule as the areas' lines
        study_hidden = protect(
            study_counts[None, :], min_cell, col_known=np.zeros(k, dtype=bool)
        ).cell[0]
        for j, category in enumerate(categories):
            hidden = bool(study_hidden[j])
            census_share = study_census[j] / study_census.sum() if study_census.sum() else np.nan
            achieved = study_counts[j] / study_counts.sum() if study_counts.sum() else np.nan
            achieved_w = (
                study_weighted[j] / study_weighted.sum() if study_weighted.sum() else np.nan
            )
            rows.append(
                {
                    "scope": "study",
                    "variable": variable,
                    "category": category,
                    "n": None if hidden else int(study_counts[j]),
                    "achieved_share": None if hidden else _round(achieved),
                    "weighted_share": None if hidden else _round(achieved_w),
                    "census_share": _round(census_share),
                    "gap_points": None if hidden else _round((achieved - census_share) * 100),
                    "weighted_gap_points": None
                    if hidden
                    else _round((achieved_w - census_share) * 100),
                    "suppression": published_reason(hidden, min_cell)[()],
                }
            )
    return rows, per_area


MARGIN_VARIABLES = tuple(MARGINS)
