"""The "detect" step: fit the profiles, their stability if asked, and label the respondents.

What the command line (``qet-geo profiles detect``), a run (``qet-geo run``) and QGIS
(``qetgeo:detectprofiles``) each do between reading the respondents and writing the files
(:func:`detect` writes nothing); then the files they write (:meth:`Detection.write`) and
what they say of the profiles (:meth:`Detection.lines`, :meth:`Detection.warnings`).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ..i18n import tr
from ..io import write_table
from ..survey import write_respondents
from .assign import with_profiles
from .model import ProfileModel, private_model_path
from .near import stop_reason_text
from .params import check_parameters
from .report import write_report

#: the columns :meth:`ProfileModel.predict` gives each respondent
PROFILE_COLUMNS = ("profile", "profile_name", "distance", "outlier", "assigned_by")


class Detection(NamedTuple):
    """What :func:`detect` gives: the fitted ``model`` and the ``labelled`` respondents
    (their columns, then :data:`PROFILE_COLUMNS`); ``model, labelled = detect(...)``."""

    model: ProfileModel
    labelled: pd.DataFrame

    def write(
        self, output, *, private=None, labelled=None, table=None, report=None, language=None
    ) -> list[Path]:
        """Write the shareable model file ``output`` and its private working file
        (``private``, default beside it), and those asked for: the ``labelled``
        respondents, the ``table`` of the profiles (one row each: .csv, .parquet or .gpkg,
        by its suffix) and the HTML ``report``, these two in ``language`` (French unless
        "en": forum outputs). Returns the paths written, in that order."""
        output = Path(output)
        private = Path(private) if private else private_model_path(output)
        self.model.save(output, private=private)
        written = [output, private]
        if labelled:
            write_respondents(self.labelled, labelled)
            written.append(Path(labelled))
        if table:
            profiles = self.model.profiles_table(language=language)
            written.append(write_table(profiles, table, layer="profiles"))
        if report:
            write_report(self.model, report, language=language)
            written.append(Path(report))
        return written

    def lines(self) -> list[str]:
        """What is said of the profiles found: their number, the respondents left out,
        why NEAR's merging stopped, the scores of each k tried, each profile's share, size,
        name and stability, the stability of the whole."""
        model = self.model
        lines = [
            tr(
                "{k} profiles ({method}), {n} respondents",
                k=model.k_,
                method=model.method,
                n=model.n_respondents_ - model.excluded_,
            )
        ]
        if model.excluded_:
            lines.append(tr("{n} respondents left out (an answer missing)", n=model.excluded_))
        if model.method == "near" and getattr(model, "stop_reason_", None):
            lines.append(tr("stopped: {reason}", reason=stop_reason_text(model.stop_reason_)))
        if model.scores_:
            lines.append("   k  silhouette  Calinski-Harabasz  Davies-Bouldin")
            for row in model.scores_:
                mark = " <" if row["chosen"] else ""
                lines.append(
                    f"  {row['k']:>2}  {row['silhouette']:>10.3f}  "
                    f"{row['calinski_harabasz']:>17.1f}  {row['davies_bouldin']:>14.3f}{mark}"
                )
        for entry in model.portraits_:
            stability = entry.get("stability")
            extra = f"  [{tr(stability['status'])} {stability['jaccard']:.2f}]" if stability else ""
            lines.append(
                f"  {entry['profile']:>2}. {entry['share']:>6.1%}  n={entry['size']:<6} "
                f"{entry['name']}{extra}"
            )
        if model.stability_ and model.stability_["ari"] is None:
            lines.append(tr("stability: no resample could be fitted"))
        elif model.stability_:
            lines.append(
                tr(
                    "stability: adjusted Rand index {ari:.2f} over {n} resamples",
                    ari=model.stability_["ari"],
                    n=model.stability_["n_boot"],
                )
            )
        return lines

    def warnings(self) -> list[str]:
        """The quality notes of the fit, each "kind: sentence", in the language of messages
        (the command line's colon in French too: ``tests/unit/test_profile_estimator.py``;
        :func:`~qet_geo.profiles.notes.quality_warning` is the report's, French spacing)."""
        return [
            f"{tr(quality['kind'])}: {message}"
            for quality, message in zip(self.model.quality_, self.model.quality_messages(),
                                        strict=True)
        ]  # fmt: skip


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


def written_lines(paths, private=None) -> list[str]:
    """One line per file written, the ``private`` one said not for publication."""
    return [
        tr("written (private, not for publication): {path}", path=path)
        if private is not None and Path(path) == Path(private)
        else tr("written: {path}", path=path)
        for path in paths
    ]
