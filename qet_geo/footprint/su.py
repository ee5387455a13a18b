"""Footprints of Sphères d'Usages answers: each band read as a representative NGC situation.

The SU survey asks one banded question per usage ([NEAR-SU]). Each band (code 1/2/3) stands
for a representative Nos Gestes Climat situation, with a low and a high one bounding the band
(``data/su-bands.json``, reasons in ``docs/footprints.md``). The pinned official engine
evaluates them once (``tools/ngc/su_bands.mjs`` → ``data/su-bands-values.json``); here each
respondent's footprints are looked up from their codes, for any number of respondents at
once.

Usages and their columns (kgCO2e per year): ``fp_alimentation`` (meat_frequency),
``fp_avion`` (air_travel_frequency), ``fp_mobilite`` (transportation_mode), ``fp_achats``
(purchasing_strategy), ``fp_numerique`` (digital_intensity), ``fp_total`` their sum; each
with ``_low`` and ``_high``. Heating (heat_source) is ``fp_chauffage``, outside the total:
NGC's ``logement . chauffage`` plus the electricity an electric system adds, against the same
dwelling heated by gas.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..parameters import check_respondents
from .usages import USAGES

DATA = Path(__file__).with_name("data")
HEATING = "chauffage"
LEVELS = ("estimate", "low", "high")


@lru_cache(maxsize=1)
def band_values() -> dict:
    """The engine's footprints of every band (``data/su-bands-values.json``)."""
    return json.loads((DATA / "su-bands-values.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def ngc_average() -> dict:
    """Nos Gestes Climat's footprint of each of the five usages with no answer at all (the
    French average of the pinned model), kgCO2e/yr, and ``total`` their sum
    (``data/ngc-average.json``, held to the evaluator and so to the official engine)."""
    values = json.loads((DATA / "ngc-average.json").read_text(encoding="utf-8"))["usages"]
    out = {usage: float(values[usage]) for usage in USAGES}
    out["total"] = float(sum(out.values()))
    return out


def model_version() -> str:
    values = band_values()
    return f"{values['model']}@{values['model_version']}"


def su_footprints(respondents: pd.DataFrame, *, heating: bool = True) -> pd.DataFrame:
    """Return ``respondents`` with the ``fp_*`` columns added (the input is not changed).

    A missing answer gives NaN for its usage and for the total. A code other than 1, 2, 3 is
    an error naming the respondent and the column.
    """
    values = band_values()["usages"]
    result = respondents.copy()
    with_heating = heating and values[HEATING]["variable"] in respondents
    usages = [*USAGES, HEATING] if with_heating else USAGES
    for usage in usages:
        spec = values[usage]
        variable = spec["variable"]
        if variable not in respondents:
            raise InputError(
                Problem.of(
                    "respondents",
                    f"missing column for the footprint of {usage}",
                    column=variable,
                    expected="the SU answer codes 1, 2, 3",
                )
            )
        codes = pd.to_numeric(respondents[variable], errors="coerce").to_numpy(dtype="float64")
        known = np.isnan(codes) | np.isin(codes, [1, 2, 3])
        if not known.all():
            row = int(np.flatnonzero(~known)[0])
            raise InputError(
                Problem.of(
                    "respondents",
                    "unknown SU answer code",
                    row=_row(respondents, row),
                    column=variable,
                    value=str(respondents[variable].iloc[row]),
                    expected="1, 2 or 3",
                )
            )
        index = np.where(np.isnan(codes), 0, codes).astype(int)
        for level in LEVELS:
            table = np.array([np.nan] + [spec["values"][str(c)][level] for c in (1, 2, 3)])
            result[_column(usage, level)] = table[index]
    for level in LEVELS:
        result[_column("total", level)] = result[[_column(u, level) for u in USAGES]].sum(
            axis=1, min_count=len(USAGES), skipna=False
        )
    return result


def add_footprints(respondents: pd.DataFrame, *, heating: bool = True) -> pd.DataFrame:
    """The respondents with their carbon footprint per usage, in kgCO2e per year.

    Each SU answer (1, 2, 3) of the five usages gets the Nos Gestes Climat footprint of its
    band ([NGC-model], the pinned official model, ``tools/ngc``): columns ``fp_<usage>`` with
    ``fp_<usage>_low`` and ``fp_<usage>_high``, and ``fp_total``.

    Parameters
    ----------
    respondents : pandas.DataFrame
        The respondents of :func:`qet_geo.read_survey` (``.respondents``); not changed.
    heating : bool
        Add the heating usage where the survey asked it.

    Returns
    -------
    pandas.DataFrame
        A copy of ``respondents`` with the ``fp_*`` columns (NaN where an answer is
        missing).

    Raises
    ------
    InputError
        A bad answer code (column, value, expected).

    References
    ----------
    [NGC-model] (evaluated as [Publicodes-engine] does): the footprint of each band;
    [NEAR-SU]: the SU answers and their bands. The page is ``docs/footprints.md``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> survey = qg.read_survey("sample_data/survey_su.tsv")
    >>> respondents = qg.add_footprints(survey.respondents)
    >>> bool((respondents["fp_total"] > 0).any())
    True
    """
    check_respondents(respondents, "add_footprints")
    return su_footprints(respondents, heating=heating)


def _column(usage: str, level: str) -> str:
    return f"fp_{usage}" if level == "estimate" else f"fp_{usage}_{level}"


def _row(respondents: pd.DataFrame, position: int) -> int:
    if "source_row" in respondents:
        return int(respondents["source_row"].iloc[position])
    return position + 1
