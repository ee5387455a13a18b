"""The footprints of a file, whatever it holds — survey answers, a table of results that
Nos Gestes Climat computed, a JSON array of NGC situations or simulations — and the way
they are shown: what ``qet-geo footprint`` and ``qetgeo:computefootprints`` print."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..i18n import tr
from ..survey import import_with, read_table
from ..survey.params import SurveyParameters
from .results import peek_header, result_columns, results_cells, results_footprints
from .situations import holds_results, items_of, load_json_array, situation_footprints
from .su import HEATING, LEVELS, model_version, su_footprints
from .usages import USAGES


def footprint_columns(heating: bool) -> list[str]:
    """The ``fp_*`` columns :func:`~qet_geo.footprint.su_footprints` adds, in their order:
    each usage, the total, then heating (``heating``), each with its ``_low`` and
    ``_high``."""
    usages = [*USAGES, "total", *([HEATING] if heating else [])]
    return [
        f"fp_{usage}" if level == "estimate" else f"fp_{usage}_{level}"
        for usage in usages
        for level in LEVELS
    ]


def footprint_lines(footprints: pd.DataFrame, rejected: int = 0) -> list[str]:
    """What is said of the footprints of respondents: the model's version, their number,
    and per usage the mean with the means of the band's low and high; the rows the import
    ``rejected``."""
    lines = [
        tr(
            "Footprints (kgCO2e/yr, {model}), {n} respondents: mean [low–high]",
            model=model_version(),
            n=len(footprints),
        )
    ]
    for usage in [*USAGES, "total", HEATING]:
        if f"fp_{usage}" not in footprints:
            continue
        mean = footprints[[f"fp_{usage}", f"fp_{usage}_low", f"fp_{usage}_high"]].mean()
        lines.append(f"  {usage:<13}{mean.iloc[0]:>8.0f}  [{mean.iloc[1]:.0f}–{mean.iloc[2]:.0f}]")
    if rejected:
        lines.append(tr("{n} rows rejected: see qet-geo survey check", n=rejected))
    return lines


@dataclass
class FileFootprints:
    """What :func:`footprints_of_file` gives: one row per respondent, result or situation
    with its ``fp_*`` columns (``footprints``); ``kind`` ("answers", "results" or
    "situations"); a name per row (``names``, None where there is none); the
    ``warnings``; the rows the survey import ``rejected``."""

    footprints: pd.DataFrame
    kind: str
    names: list
    warnings: list = field(default_factory=list)
    rejected: int = 0

    def lines(self) -> list[str]:
        """The footprints for a person: the means of the survey's answers, else one line
        per result or situation."""
        if self.kind == "answers":
            return footprint_lines(self.footprints, self.rejected)
        if self.kind == "results":
            title = tr(
                "Footprints (kgCO2e/yr) computed by NGC, {n} results", n=len(self.footprints)
            )
        else:
            title = tr(
                "Footprints (kgCO2e/yr, {model}), {n} situations",
                model=model_version(),
                n=len(self.footprints),
            )
        lines = [title, "  " + " ".join(f"{u:>12}" for u in [*USAGES, "total"]) + "  name"]
        for number, (name, row) in enumerate(
            zip(self.names, self.footprints.itertuples(index=False), strict=True), start=1
        ):
            values = [getattr(row, f"fp_{u}") for u in [*USAGES, "total"]]
            cells = " ".join("           —" if v != v else f"{v:>12.0f}" for v in values)
            lines.append(f"  {cells}  {name or number}")
        return lines

    def records(self) -> list[dict]:
        """One JSON-ready object per row: its name (if any), the five usages, the total,
        heating (kgCO2e/yr, to the hundredth; None where unknown)."""
        heating = f"fp_{HEATING}" in self.footprints
        return [
            {
                **({"name": name} if name is not None else {}),
                "usages": {usage: _kg(row[f"fp_{usage}"]) for usage in USAGES},
                "total": _kg(row["fp_total"]),
                **({HEATING: _kg(row[f"fp_{HEATING}"])} if heating else {}),
            }
            for name, (_, row) in zip(self.names, self.footprints.iterrows(), strict=True)
        ]


def footprints_of_file(
    path: str | Path, survey: SurveyParameters | None = None, *, results: bool = True
) -> FileFootprints:
    """The footprints of the file ``path``.

    Parameters
    ----------
    path : str or pathlib.Path
        A JSON array of NGC situations (or ``{"name", "situation"}`` items) or of NGC
        simulations holding ``computedResults``; a table of NGC results (a poll export:
        recognised by its columns, when ``results``); else a survey export, read as
        ``survey`` says (:func:`qet_geo.survey.import_with`), whose SU answers give the
        footprints (:func:`~qet_geo.footprint.su_footprints`).
    survey : SurveyParameters, optional
        How to read a survey export (its layer and sheet also those of a results table).
    results : bool
        Recognise a table of NGC results (False: the file is survey answers, as when a
        schema is named).

    Returns
    -------
    FileFootprints
    """
    survey = survey or SurveyParameters()
    sheet = survey.sheet_read()
    if Path(path).suffix.lower() == ".json":
        data = load_json_array(path)
        if holds_results(data):
            cells, names = results_cells(data, path)
            return _results(*results_footprints(cells, path, names))
        footprints, warnings = situation_footprints(items_of(data, path), source=path)
        return FileFootprints(footprints, "situations", list(footprints["name"]), warnings)
    if results:
        header = (
            read_table(path, layer=survey.layer, sheet=sheet).columns
            if survey.sheet is not None
            else peek_header(path)
        )
        if result_columns(header) is not None:
            raw = read_table(path, layer=survey.layer, sheet=sheet)
            return _results(*results_footprints(raw.data, raw.path))
    imported = import_with(path, survey)
    footprints = su_footprints(imported.respondents)
    return FileFootprints(footprints, "answers", list(footprints["respondent_id"].astype(str)),
                          rejected=imported.report.rejected)  # fmt: skip


def _results(footprints: pd.DataFrame, warnings: list) -> FileFootprints:
    names = [
        name if name is not None else tr("row {n}", n=row)
        for name, row in zip(footprints["name"], footprints["row"], strict=True)
    ]
    return FileFootprints(footprints, "results", names, warnings)


def _kg(value: float) -> float | None:
    return None if value != value else round(float(value), 2)
