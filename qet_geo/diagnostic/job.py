"""The whole diagnostic from its files, once for every shell (docs/diagnostic.md): the
command line ``qet-geo diagnostic summarize`` and the Processing algorithm
``qetgeo:analysediagnostic`` both call :func:`run_diagnostic`; the algorithms
``qetgeo:importemdv`` and ``qetgeo:importngc`` call :func:`import_answers`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..i18n import tr
from ..threshold import DEFAULT_MIN_CELL, check_min_cell
from .analyses import Diagnostic, link_note, summarize, summarize_areas
from .emdv import import_emdv
from .link import Profiles, link_profiles, model_profiles, read_su_data, su_answers
from .located import locate, located
from .manoeuvre import Manoeuvre, band_counts, read_levers, records, room_for_manoeuvre
from .ngc import import_ngc
from .output import read_review, report_path, testimonies, text_cells, text_ids, write_diagnostic
from .places import (
    PlaceMeasures,
    area_estimates,
    located_bands,
    measured_columns,
    place_bands,
    read_area_mix,
)
from .report import write_report
from .subjects import subject_areas, subjects_table


@dataclass
class DiagnosticRun:
    """What :func:`run_diagnostic` made: the analyses, the imports, the files written."""

    diagnostic: Diagnostic
    profiles: Profiles
    imports: dict  # survey → EmdvImport / NgcImport
    links: dict  # survey → link table (respondent, profile, link, distance)
    texts: pd.DataFrame  # every free text, with its id (private)
    published_texts: pd.DataFrame | None = None
    su_rows: int = 0
    written: list = field(default_factory=list)
    area_estimates: pd.DataFrame | None = None  # per area, from its profile mix
    crs: str | None = None
    place_bands: pd.DataFrame | None = None  # the place indicators per band of their measure
    area_tables: dict = field(default_factory=dict)  # the analyses per area (located respondents)
    place_located: pd.DataFrame | None = None  # the place indicators of located respondents
    location_lines: list = field(default_factory=list)  # how the respondents were located
    manoeuvre: Manoeuvre | None = None  # the room for manoeuvre (with the SU answers' bands)
    subjects: pd.DataFrame | None = None  # the forum's impact subjects, ranked
    subject_areas: pd.DataFrame | None = None  # each subject's potential per area

    def lines(self) -> list[str]:
        out = [
            tr("Profiles: {source} ({kind})", source=self.profiles.source, kind=self.profiles.kind)
        ]
        out += [line for imp in self.imports.values() for line in imp.lines()]
        out += [tr(n) for n in self.diagnostic.notes]
        out += self.location_lines
        if self.manoeuvre is not None:
            out += self.manoeuvre.lines()
        out.append(tr("Values under {n} respondents are hidden (statistical secrecy).",
                      n=self.diagnostic.min_cell))  # fmt: skip
        if self.published_texts is not None:
            out.append(tr("{n} reviewed testimonies published (e-mails, phones and street numbers masked)",
                          n=len(self.published_texts)))  # fmt: skip
        return out

    def to_json(self) -> dict:
        out = self.diagnostic.to_json()
        out["imports"] = {s: imp.report.to_dict() for s, imp in self.imports.items()}
        if self.manoeuvre is not None:
            out["manoeuvre"] = self.manoeuvre.to_json()
            out["subjects"] = records(self.subjects)
        out["written"] = [str(p) for p in self.written]
        return out


#: how the messages name the files a diagnostic takes (the command line's options; a
#: shell with other names passes its own: ``names=``)
OPTION_NAMES = {"su_data": "--su-data", "model": "--model", "emdv": "--emdv", "ngc": "--ngc"}


def load_profiles(su_data=None, model=None, *, names: dict | None = None) -> Profiles:
    """The profiles: NEAR's ``Su Data.json`` or a saved model, exactly one (the error
    names them as ``names`` says, the command line's options by default); a
    :class:`~qet_geo.diagnostic.link.Profiles` as ``model`` is taken as it is."""
    if isinstance(model, Profiles) and su_data is None:
        return model
    if (su_data is None) == (model is None):
        names = {**OPTION_NAMES, **(names or {})}
        raise ParameterError(tr("give the profiles as Su Data.json ({su_data}) or as a saved "
                                "model ({model}), one of them", su_data=names["su_data"],
                                model=names["model"]))  # fmt: skip
    return read_su_data(su_data) if su_data is not None else model_profiles(model)


def run_diagnostic(
    *,
    su=None,
    emdv=None,
    ngc=None,
    su_data=None,
    model=None,
    min_cell: int = DEFAULT_MIN_CELL,
    allow_below_3: bool = False,
    review=None,
    output=None,
    private=None,
    language: str = "fr",
    areas=None,
    names: dict | None = None,
    su_counts_of: dict | None = None,
    place: PlaceMeasures | None = None,
    su_bands_of: dict | None = None,
    residents: float | None = None,
    levers=None,
) -> DiagnosticRun:
    """Import the EMdV and NGC answers, link them to the profiles, analyse, and write
    ``output`` (with its private working file) when given. ``names``: how the messages
    name the files (:data:`OPTION_NAMES`, the command line's options by default).

    ``areas``: an area map (``PATH[:LAYER]`` with ``share_<p>``) whose areas get the
    estimates from their profile mix; ``place``: the measures of the place (PTAL,
    proximity) set against them, per area and per band. ``su_counts_of``: the SU
    respondents per profile when the SU answers are not given as a file (``qet-geo
    run``), ``su_bands_of`` their answer codes' counts per profile
    (:func:`~qet_geo.diagnostic.manoeuvre.band_counts`).

    With the SU answers' bands (``su`` or ``su_bands_of``), the room for manoeuvre of the
    ``levers`` (a levers file, the built-in ones by default) for the neighbourhood's
    ``residents`` aged 15+ (default: the area map's census), and the forum's subjects."""
    check_min_cell(min_cell, allow_below_3)
    for target in (output, private):
        if target is not None and Path(target).suffix.lower() != ".gpkg":
            raise ParameterError(tr("{path}: the diagnostic and its private working file are GeoPackages (.gpkg)",
                                    path=target))  # fmt: skip
    if emdv is None and ngc is None:
        named = {**OPTION_NAMES, **(names or {})}
        raise ParameterError(tr("give the EMdV answers ({emdv}), the NGC answers ({ngc}) or both",
                                emdv=named["emdv"], ngc=named["ngc"]))  # fmt: skip
    profiles = load_profiles(su_data, model, names=names)
    counts, su_rows, bands = su_counts_of, 0, su_bands_of
    if su is not None:
        numbers, codes, su_rows = su_answers(su, profiles)
        counts = {p: int((numbers == p).sum()) for p in profiles.numbers}
        if codes is not None:
            bands = band_counts(pd.Series(numbers), codes, profiles.numbers)
    definitions = read_levers(levers) if bands is not None or levers is not None else None
    imports, links, rejects = {}, {}, {}
    texts = []
    if emdv is not None:
        imports["emdv"] = _linked(import_emdv(emdv), profiles, str(emdv), links, "emdv")
    if ngc is not None:
        imports["ngc"] = _linked(import_ngc(ngc), profiles, str(ngc), links, "ngc")
    for survey, imp in imports.items():
        rejects[survey] = imp.rejects
        own = getattr(imp, "private", None)
        if own is not None and len(own):
            frame = own.copy()
            frame.insert(0, "text_id", text_ids(own, survey))
            frame.insert(1, "survey", survey)
            texts.append(frame)
    texts = pd.concat(texts, ignore_index=True) if texts else pd.DataFrame(
        columns=["text_id", "survey", "respondent_id", "row", "question", "theme", "kind", "text"])  # fmt: skip
    diagnostic = summarize(
        profiles, imports.get("emdv"), links.get("emdv"), imports.get("ngc"), links.get("ngc"),
        carbon_nodes=_carbon_nodes(imports.get("ngc")), su_counts=counts, min_cell=min_cell,
        allow_below_3=allow_below_3,
    )  # fmt: skip
    published = testimonies(texts, read_review(review, texts)) if review is not None else None
    run = DiagnosticRun(diagnostic, profiles, imports, links, texts, published, su_rows)
    shares = None
    if areas is not None:
        frame, shares, crs, area_layer = read_area_mix(areas, profiles.numbers)
        population = [profiles.shares[p] for p in profiles.numbers]
        estimates = area_estimates(diagnostic, frame, shares, profiles.numbers, population)
        run.area_tables, run.location_lines = _per_area(imports, links, area_layer, min_cell)
        if place is not None:
            weights = frame.set_index(frame["area_id"].astype(str)).get("weight")
            parts = [place_bands(estimates, weights, place)] if weights is not None else []
            if run.area_tables:
                run.place_located = located_bands(run.area_tables, place)
                parts.append(run.place_located)
            parts = [p for p in parts if len(p)]
            run.place_bands = pd.concat(parts, ignore_index=True) if parts else None
            estimates = measured_columns(estimates, place)
        run.area_estimates = estimates
        run.crs = crs
    if bands is not None:
        run.manoeuvre = room_for_manoeuvre(
            definitions, bands, profiles.numbers, profiles.shares, diagnostic,
            residents=residents, estimates=run.area_estimates, area_shares=shares,
            services={"food": place.food, "repair": place.repair} if place is not None else None,
            min_cell=min_cell, language=language,
        )  # fmt: skip
        run.subjects = subjects_table(run.manoeuvre, diagnostic, language=language)
        run.subject_areas = subject_areas(run.manoeuvre)
    if output is not None:
        link_tables = {s: pd.concat([_rows(imports[s])[["respondent_id", "row"]], frame], axis=1)
                       for s, frame in links.items()}  # fmt: skip
        run.written = write_diagnostic(diagnostic, output, private=private, texts=texts,
                                       links=link_tables, rejects=rejects,
                                       published_texts=published,
                                       areas=(run.area_estimates, run.crs),
                                       place_bands=run.place_bands,
                                       area_tables=run.area_tables,
                                       manoeuvre=_manoeuvre_layers(run),
                                       language=language)  # fmt: skip
        report = write_report(diagnostic, report_path(output), language=language,
                              names=profiles.names, testimonies=published)  # fmt: skip
        run.written.insert(-1, report)
    return run


def _manoeuvre_layers(run: DiagnosticRun) -> list:
    """The published layers of the room for manoeuvre: (name, table, crs)."""
    m = run.manoeuvre
    if m is None:
        return []
    layers = [("forum_subjects", run.subjects, None), ("levers", m.levers, None),
              ("lever_savings", m.savings, None), ("structural", m.structural, None)]  # fmt: skip
    if m.areas is not None:
        layers += [
            ("area_potentials", run.subject_areas, run.crs),
            ("lever_areas", m.areas, run.crs),
        ]
    return layers


def _per_area(imports: dict, links: dict, areas, min_cell: int) -> tuple[dict, list]:
    """The analyses per area of the respondents linked to a profile who say where they
    live (:func:`~qet_geo.diagnostic.analyses.summarize_areas`), and the lines saying how
    they were located (for the person running it: not published). Nothing when no
    respondent says it."""
    positions, lines = {}, []
    for survey, imp in imports.items():
        table = _rows(imp)
        if not located(table):
            continue
        linked = links[survey]["profile"].notna().to_numpy()
        position, line = locate(table[linked].reset_index(drop=True), areas, SURVEYS[survey],
                                imp.report.file)  # fmt: skip
        positions[survey] = position
        lines.append("  " + tr(line))
    if not positions:
        return {}, []
    emdv, ngc = imports.get("emdv"), imports.get("ngc")
    if emdv is not None:
        emdv = _only(emdv, links["emdv"]["profile"].notna().to_numpy())
    if ngc is not None:
        ngc = _only(ngc, links["ngc"]["profile"].notna().to_numpy())
    ids = areas.frame["area_id"].astype(str).tolist()
    tables = summarize_areas(
        ids, emdv, positions.get("emdv"), ngc, positions.get("ngc"),
        carbon_nodes=_carbon_nodes(imports.get("ngc")), min_cell=min_cell,
    )  # fmt: skip
    return tables, lines


def _only(imp, keep: np.ndarray):
    """``imp`` with only the respondents ``keep`` says (a shallow copy)."""
    import copy

    out = copy.copy(imp)
    if hasattr(imp, "answers"):
        out.answers = imp.answers[keep].reset_index(drop=True)
    else:
        out.results = imp.results[keep].reset_index(drop=True)
    return out


def _rows(imp) -> pd.DataFrame:
    """The respondents' table of an import: EMdV answers or NGC results."""
    return imp.answers if hasattr(imp, "answers") else imp.results


def _linked(imp, profiles: Profiles, file: str, links: dict, survey: str):
    """``imp`` with its link to the profiles in ``links[survey]``; a row whose code the
    profiles lack moves to the rejects (with its reason) and out of the analyses."""
    table = _rows(imp)
    frame, problems = link_profiles(table, profiles, file)
    if problems:
        bad = sorted(problems)
        moved = pd.DataFrame({"row": table["row"].iloc[bad].to_numpy(),
                              "respondent_id": table["respondent_id"].iloc[bad].to_numpy(),
                              "reason": [str(problems[i].reason) for i in bad]})  # fmt: skip
        keep = ~table.index.isin(table.index[bad])
        imp.rejects = pd.concat([imp.rejects, moved], ignore_index=True)
        kept = table[keep].reset_index(drop=True)
        if hasattr(imp, "answers"):
            imp.answers = kept
        else:
            imp.results = kept
        if getattr(imp, "private", None) is not None:
            imp.private = imp.private[~imp.private["row"].isin(moved["row"])].reset_index(drop=True)
        imp.report.accepted -= len(bad)
        imp.report.rejected += len(bad)
        imp.report.problems.extend(problems[i] for i in bad)
        frame = frame[keep].reset_index(drop=True)
    links[survey] = frame
    return imp


def _carbon_nodes(ngc) -> list:
    if ngc is None:
        return []
    return ngc.schema.node_list()


#: the surveys :func:`import_answers` reads, as the reports name them
SURVEYS = {"emdv": "EMdV", "ngc": "NGC"}
#: the columns of the rejected rows a shell shows (the rows as read hold free text)
REJECT_COLUMNS = ("row", "respondent_id", "reason")


@dataclass
class ImportedAnswers:
    """What :func:`import_answers` gives a shell: ``answers``, a table every GIS format
    holds (codes, a multi-choice answer as the text ``{A,B}``, no free text; with the
    profiles, each respondent's ``profile``, ``link`` and ``distance``), ``rejects`` (each
    rejected row by its number, with its reasons: never the row as read, which holds free
    text), the import itself (``imported``: its ``report``) and the profiles."""

    survey: str
    answers: pd.DataFrame
    rejects: pd.DataFrame
    imported: object  # EmdvImport / NgcImport
    profiles: Profiles | None = None
    links: pd.DataFrame | None = None

    @property
    def report(self):
        return self.imported.report

    def lines(self) -> list[str]:
        out = []
        if self.profiles is not None:
            out.append(tr("Profiles: {source} ({kind})", source=self.profiles.source,
                          kind=self.profiles.kind))  # fmt: skip
        out += self.imported.lines()
        if self.links is not None:
            out.append("  " + tr(link_note(SURVEYS[self.survey], self.links)))
        return out


def import_answers(
    path, survey: str = "emdv", *, su_data=None, model=None, names: dict | None = None
) -> ImportedAnswers:
    """Import the EMdV (``survey="emdv"``) or NGC (``"ngc"``) answers ``path`` and, given
    the profiles (NEAR's ``Su Data.json`` or a saved model, at most one), link each
    respondent to one (:func:`~qet_geo.diagnostic.link.link_profiles`: a row whose code
    the profiles lack moves to the rejects). ``names``: as for :func:`run_diagnostic`."""
    if survey not in SURVEYS:
        raise ParameterError(tr("unknown survey {survey!r}; expected one of {surveys}",
                                survey=survey, surveys=", ".join(SURVEYS)))  # fmt: skip
    profiles = None
    if su_data is not None or model is not None:
        profiles = load_profiles(su_data, model, names=names)  # both: the error says one
    imp = import_emdv(path) if survey == "emdv" else import_ngc(path)
    links = {}
    if profiles is not None:
        imp = _linked(imp, profiles, str(path), links, survey)
    table = _rows(imp)
    answers = text_cells(table.reset_index(drop=True))
    link = links.get(survey)
    if link is not None:
        for column in ("profile", "link", "distance"):
            answers[column] = link[column].to_numpy()
        answers["profile"] = answers["profile"].astype("Int64")
    rejects = imp.rejects
    rejects = pd.DataFrame({c: rejects[c] for c in REJECT_COLUMNS if c in rejects.columns})
    if "row" in rejects.columns:
        rejects["row"] = rejects["row"].astype("Int64")
    return ImportedAnswers(survey, answers, rejects.reset_index(drop=True), imp, profiles, link)
