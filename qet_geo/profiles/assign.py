"""Profiles given to respondents: a fitted (or saved) :class:`ProfileModel` applied to a
survey, the result being the *labelled respondents* every later step takes."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..geo import with_crs_of
from ..i18n import tr
from ..parameters import check_argument, check_path, check_respondents
from .model import ProfileModel

#: What assign_profiles takes as its model (its French in qet_geo.i18n).
MODEL = "a fitted ProfileModel, or the path of a model file"


def read_model(path: str | Path) -> ProfileModel:
    """Read a profile model saved by :meth:`ProfileModel.save` (``profiles.json``).

    Parameters
    ----------
    path : str or pathlib.Path
        The shareable model file, or the private working file.

    Returns
    -------
    ProfileModel
        The fitted model, ready for :func:`assign_profiles`.

    Raises
    ------
    InputError
        A missing, unreadable or invalid model file.

    References
    ----------
    [NEAR-SU]: the model the file keeps. The page is ``docs/profiles.md``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> model = qg.read_model("out/profiles.json")  # doctest: +SKIP
    >>> model.k_  # doctest: +SKIP
    4
    """
    return ProfileModel.load(check_path(path, "read_model", "path"))


def assign_profiles(
    respondents: pd.DataFrame, model: ProfileModel | str | Path, source: str = "respondents"
) -> pd.DataFrame:
    """The respondents with the profile of each (NEAR's script 2, :meth:`ProfileModel.predict`).

    Parameters
    ----------
    respondents : pandas.DataFrame
        Respondents with the model's answer columns (from :func:`qet_geo.read_survey`,
        with or without footprints); not changed.
    model : ProfileModel, str or pathlib.Path
        A fitted model, or the path of a saved one.
    source : str
        The name given to the respondents in error messages.

    Returns
    -------
    pandas.DataFrame
        A copy of ``respondents`` (same index, geometry and CRS kept) with ``profile``
        (1..k, <NA> when an answer is missing), ``profile_name``, ``distance``, ``outlier``
        and ``assigned_by``; columns of those names already there are replaced.

    Raises
    ------
    InputError
        A missing answer column or a bad answer code, or a bad model file.

    References
    ----------
    [NEAR-SU]: the nearest-centroid assignment ("script 2"). The page is
    ``docs/profiles.md``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> respondents = qg.read_survey("sample_data/survey_su.tsv").respondents
    >>> model = qg.ProfileModel("near").fit(respondents)
    >>> labelled = qg.assign_profiles(respondents, model)
    >>> int(labelled["profile"].max()) == model.k_
    True
    """
    check_respondents(respondents, "assign_profiles")
    if not isinstance(model, ProfileModel):
        check_argument(model, (str, os.PathLike), "assign_profiles", "model", MODEL)
        model = read_model(model)
    return with_profiles(respondents, model.predict(respondents, source=source))


def with_profiles(respondents: pd.DataFrame, assigned: pd.DataFrame) -> pd.DataFrame:
    """``respondents`` joined to their ``assigned`` profile columns (those of an earlier
    assignment replaced), their CRS kept (:func:`qet_geo.geo.with_crs_of`: pandas' join drops
    a plain frame's ``attrs``)."""
    labelled = respondents.drop(columns=[c for c in assigned.columns if c in respondents])
    return with_crs_of(labelled.join(assigned), respondents)


def assignment_summary(model: ProfileModel, assigned: pd.DataFrame) -> dict:
    """What an assignment did (``assigned``: the respondents with their profile columns):
    the ``respondents``, those ``assigned`` a profile (an answer missing: none), the
    ``outliers``, those placed ``by_fitted_answer`` and the number in each of the
    ``profiles`` (``{"1": n, …}``)."""
    counts = assigned["profile"].value_counts(dropna=False)
    return {
        "respondents": len(assigned),
        "assigned": int(assigned["profile"].notna().sum()),
        "outliers": int(assigned["outlier"].fillna(False).sum()),
        "by_fitted_answer": int((assigned["assigned_by"] == "fitted answer").sum()),
        "profiles": {str(int(p)): int(counts.get(p, 0)) for p in range(1, model.k_ + 1)},
    }


def assignment_lines(model: ProfileModel, assigned: pd.DataFrame) -> list[str]:
    """What is said of an assignment: the respondents assigned, the number in each profile
    with its name, the outliers."""
    summary = assignment_summary(model, assigned)
    counts = assigned["profile"].value_counts(dropna=False)
    lines = [tr("{n} respondents assigned to {k} profiles", n=summary["assigned"], k=model.k_)]
    for entry in model.portraits_:
        lines.append(
            f"  {entry['profile']:>2}. {int(counts.get(entry['profile'], 0)):>7}  {entry['name']}"
        )
    if summary["outliers"]:
        lines.append(tr("{n} answers far from every profile (outliers)", n=summary["outliers"]))
    return lines


def assignment_warnings(assigned: pd.DataFrame) -> list[str]:
    """The respondents left out of an assignment (an answer missing), if any."""
    left_out = int(assigned["profile"].isna().sum())
    return [tr("{n} respondents left out (an answer missing)", n=left_out)] if left_out else []
