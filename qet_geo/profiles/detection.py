"""The "detect" step: fit the profiles, their stability if asked, and label the respondents.

What the command line (``qet-geo profiles detect``), a run (``qet-geo run``) and QGIS
(``qetgeo:detectprofiles``) each do between reading the respondents and writing the files;
it writes nothing.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from ..i18n import tr
from .assign import with_profiles
from .model import ProfileModel
from .params import check_parameters

#: the columns :meth:`ProfileModel.predict` gives each respondent
PROFILE_COLUMNS = ("profile", "profile_name", "distance", "outlier", "assigned_by")


class Detection(NamedTuple):
    """What :func:`detect` gives: the fitted ``model`` and the ``labelled`` respondents
    (their columns, then :data:`PROFILE_COLUMNS`); ``model, labelled = detect(...)``."""

    model: ProfileModel
    labelled: pd.DataFrame


def detect(
    respondents: pd.DataFrame,
    *,
    model: ProfileModel | None = None,
    n_boot: int | None = None,
    sample_weight=None,
    source: str = "respondents",
    progress=None,
    **parameters,
) -> Detection:
    """Detect the usage profiles of ``respondents`` and label each respondent with one.

    Parameters
    ----------
    respondents : one row per respondent, the answer codes in the model's variables'
        columns (as :func:`qet_geo.survey.import_survey` gives them); weights from
        ``sample_weight``, else a ``weight`` column, else 1. Not modified.
    model : a :class:`ProfileModel` to fit (it is fitted in place, as its ``fit`` does);
        or None, and the model is ``ProfileModel(**parameters)``.
    n_boot : bootstrap resamples of the stability (``docs/profiles.md``;
        :meth:`ProfileModel.stability`); None or 0: none.
    source : the name of the respondents in error messages (their file).
    progress : optional ``progress(fraction, message)`` callback.
    **parameters : the parameters of a new :class:`ProfileModel` (``method="near"``,
        ``k``, ``seed``…), when ``model`` is not given.

    Returns
    -------
    Detection
        ``(model, labelled)``: the fitted model and a copy of ``respondents`` with the
        columns of :data:`PROFILE_COLUMNS` (replacing those of an earlier assignment).

    Raises
    ------
    ProfileParameterError
        a parameter (``n_boot`` included) that cannot be used, before any work.
    InputError
        answers that cannot be read (file, row, column, value, expected).

    References
    ----------
    ``docs/profiles.md``: "NEAR's method, reproduced", "Other methods", "Stability and
    quality" (the bootstrap Jaccard of clusterboot, :mod:`qet_geo.profiles.stability`).
    [NEAR-SU]: the detection and assignment of ``method="near"`` (the other methods'
    sources are on :class:`ProfileModel`); [Efron-Tibshirani-1993],
    [Hubert-Arabie-1985], [Hennig-2007]: the stability.
    """
    if model is not None and parameters:
        raise TypeError(
            "detect: give a model or the parameters of one, not both ("
            + ", ".join(sorted(parameters))
            + ")"
        )
    if model is None:
        model = ProfileModel(**parameters)
    n_boot = check_parameters(n_boot=n_boot)["n_boot"]  # before the fit: no work lost
    model.checked_parameters()

    def report(fraction: float, message: str) -> None:
        if progress is not None:
            progress(fraction, message)

    report(0.0, tr("detecting profiles ({method})", method=model.method))
    model.fit(respondents, sample_weight=sample_weight, source=source)
    if n_boot:
        report(0.3, tr("stability: {n} bootstrap resamples", n=n_boot))
        model.stability(respondents, sample_weight, n_boot=n_boot)
    report(0.9, tr("assigning the respondents to the profiles"))
    assigned = model.predict(respondents, source=source)
    labelled = with_profiles(respondents, assigned)  # the CRS kept (join drops attrs)
    report(1.0, "")
    return Detection(model, labelled)
