"""Survey import: raw export → validated Respondents, rejects and a report.

The Respondents contract (docs/architecture.md): one row per accepted respondent with
``respondent_id``, ``source_row``, one column per schema question holding its code (the
six SU answers as ordered codes 1/2/3), ``weight`` (1.0 until weighting) and a location:
point geometry with its CRS, or an area code (``area_code``), or none.

Nothing is guessed silently and nothing valid is dropped: every row that is not accepted is
in the rejects table with all its reasons, and every problem names its row, column and value.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import geo
from ..constants import DEFAULT_WEIGHT, FRANCE_EXTENTS
from ..display import html_summary, to_geodataframe
from ..errors import Canceled, InputError, Problem
from ..i18n import Message, either, tr
from ..limits import echo
from ..parameters import check_path
from .params import LOCATION_KINDS, SurveyParameters
from .readers import RawTable, read_table
from .schema import _RENAMED, Schema, load_schema, normalise

Progress = Callable[[float, str], None]


@dataclass
class Location:
    """Where respondents live, as found in the export.

    ``kind``: ``auto`` (point geometry, else lon/lat columns, else x/y columns with ``crs``,
    else an area code column, else none), ``lonlat``, ``xy``, ``area``, ``geometry`` or
    ``none``.  Column names default to those the schema's ``location`` section recognises.
    """

    kind: str = "auto"
    x: str | None = None
    y: str | None = None
    crs: str | None = None
    area: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in LOCATION_KINDS:
            raise ValueError(f"location kind {self.kind!r} is not one of {LOCATION_KINDS}")


@dataclass
class ImportReport:
    """What the import saw: counts, columns, and every problem."""

    file: str
    format: str
    schema: str
    encoding: str | None
    delimiter: str | None
    rows_read: int
    accepted: int
    rejected: int
    rejected_by_reason: dict[str, int]
    columns: dict[str, str]
    unknown_columns: list[str]
    missing_columns: list[str]
    duplicate_ids: list[str]
    location: str
    crs: str | None
    problems: list[Problem] = field(default_factory=list)
    #: the column of respondent ids; None: there is none, ids are the source row numbers
    id_column: str | None = None

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "format": self.format,
            "schema": self.schema,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows_read": self.rows_read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "rejected_by_reason": self.rejected_by_reason,
            "columns": self.columns,
            "unknown_columns": self.unknown_columns,
            "missing_columns": self.missing_columns,
            "duplicate_ids": self.duplicate_ids,
            "location": self.location,
            "crs": self.crs,
            "id_column": self.id_column,
            "problems": [p.to_dict() for p in self.problems],
        }

    def to_text(self, max_problems: int = 50) -> str:
        """The report for a person, in the user's language (see :mod:`qet_geo.i18n`)."""
        delimiter = {"\t": tr("tab"), None: "-"}.get(self.delimiter, repr(self.delimiter))
        lines = [
            f"{tr('File')}: {self.file} ({self.format}"
            + (f", {self.encoding}, {tr('delimiter')} {delimiter}" if self.encoding else "")
            + ")",
            f"{tr('Schema')}: {self.schema}",
            f"{tr('Rows read')}: {self.rows_read}",
            f"{tr('Accepted')}: {self.accepted}",
            f"{tr('Rejected')}: {self.rejected}",
        ]
        for reason, count in sorted(self.rejected_by_reason.items(), key=lambda kv: -kv[1]):
            lines.append(f"  {count:>6}  {tr(reason)}")
        if self.id_column is None:
            lines.append(tr("Ids: no respondent id column, ids are the row numbers"))
        lines.append(f"{tr('Location')}: {self.location}" + (f" ({self.crs})" if self.crs else ""))
        if self.location == "none":
            lines.append(
                "  "
                + tr(
                    "no column recognised as longitude/latitude, x/y or area code "
                    "(name them with --x/--y or --area)"
                )
            )
        lines.append(
            f"{tr('Columns')}: " + ", ".join(f"{k} <- {v!r}" for k, v in self.columns.items())
        )
        if self.missing_columns:
            lines.append(
                f"{tr('Optional questions not in the file')}: " + ", ".join(self.missing_columns)
            )
        if self.unknown_columns:
            lines.append(
                f"{tr('Unknown columns (not imported)')}: "
                + ", ".join(repr(echo(c)) for c in self.unknown_columns)
            )
        if self.duplicate_ids:
            lines.append(
                f"{tr('Duplicate ids')}: "
                + ", ".join(echo(i) for i in self.duplicate_ids[:20])
                + (" …" if len(self.duplicate_ids) > 20 else "")
            )
        if self.problems:
            lines.append(f"{tr('Problems')} ({len(self.problems)}):")
            for problem in self.problems[:max_problems]:
                lines.append(f"  - {problem}")
            if len(self.problems) > max_problems:
                lines.append(
                    "  … "
                    + tr(
                        "and {n} more (see the rejects file or --json)",
                        n=len(self.problems) - max_problems,
                    )
                )
        return "\n".join(lines)

    def written_lines(self, output, rejects) -> list[str]:
        """What an import written to ``output`` (its rejected rows to ``rejects``) says:
        the counts, the reasons of the rejected rows, the unknown columns, the ids."""
        line = tr("{n} respondents written to {path}", n=self.accepted, path=output)
        if self.rejected:
            line += "; " + tr("{n} rows rejected, see {path}", n=self.rejected, path=rejects)
        lines = [line]
        for reason, count in sorted(self.rejected_by_reason.items(), key=lambda kv: -kv[1]):
            lines.append(f"  {count:>6}  {tr(reason)}")
        if self.unknown_columns:
            lines.append(
                f"{tr('Unknown columns (not imported)')}: "
                + ", ".join(map(repr, self.unknown_columns))
            )
        if self.id_column is None:
            lines.append(tr("Ids: no respondent id column, ids are the row numbers"))
        return lines


@dataclass
class SurveyImport:
    """Result of :func:`import_survey`."""

    respondents: pd.DataFrame  # a GeoDataFrame when the location is a point
    rejects: pd.DataFrame
    report: ImportReport

    def to_geodataframe(self):
        """The respondents as a GeoDataFrame with their CRS (homes as points; private: never
        publish it). Raises ValueError when the export placed no one by a point."""
        if "geometry" not in self.respondents.columns:
            raise ValueError(
                "the respondents have no point geometry (placed by area or not at all)"
            )
        return to_geodataframe(self.respondents, geo.crs_of(self.respondents, "respondents"))

    def _repr_html_(self) -> str:
        r = self.report
        return html_summary(
            f"Survey import: {Path(r.file).name}",
            [("rows read", r.rows_read), ("accepted", r.accepted), ("rejected", r.rejected),
             ("schema", r.schema), ("location", r.location), ("CRS", r.crs)],
        )  # fmt: skip


def import_survey(
    path: str | Path,
    schema: str | Path | Schema | None = None,
    location: Location | None = None,
    *,
    strict: bool = False,
    extent: str | tuple | None = "france",
    layer: str | None = None,
    sheet: str | int | None = None,
    progress: Progress | None = None,
    is_canceled: Callable[[], bool] | None = None,
) -> SurveyImport:
    """Read and validate a survey export.

    Parameters
    ----------
    path : CSV/TSV, XLSX, ODS, or a point layer (GeoPackage, GeoJSON, Shapefile…).
    schema : built-in schema name (default ``"near-su"``), a schema file, or a Schema.
    location : where homes are (see :class:`Location`); default automatic.
    strict : raise :class:`InputError` on the first problem instead of rejecting rows.
    extent : ``"france"`` (default) flags points outside France and swapped lon/lat;
        ``None`` switches the check off; or ``(lon_min, lat_min, lon_max, lat_max)``.
    layer, sheet : layer of a multi-layer file, sheet of a workbook.
    progress, is_canceled : optional callbacks ``progress(fraction, message)`` and
        ``is_canceled() -> bool``.
    """
    with _gc_paused():
        return _import_survey(
            path,
            schema,
            location or Location(),
            strict,
            extent,
            layer,
            sheet,
            progress,
            is_canceled,
        )


def read_survey(
    path: str | Path,
    schema: str | Path | Schema | None = None,
    *,
    location: str | Location = "auto",
    x: str | None = None,
    y: str | None = None,
    crs: str | None = None,
    area: str | None = None,
    extent: str | tuple | None = "france",
    layer: str | None = None,
    sheet: str | int | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    is_canceled: Callable[[], bool] | None = None,
) -> SurveyImport:
    """Read and validate a survey export (the public face of :func:`import_survey`).

    Parameters
    ----------
    path : str or pathlib.Path
        CSV/TSV, XLSX, ODS, or a point layer (GeoPackage, GeoJSON, Shapefile…).
    schema : str, pathlib.Path or Schema, optional
        A built-in schema name (default ``"near-su"``), a schema file
        (``docs/survey-schemas.md``) or a :class:`Schema`.
    location : {"auto", "geometry", "lonlat", "xy", "area", "none"} or Location
        Where the respondents' homes are; ``"auto"`` recognises the columns by their
        names.
    x, y, crs, area : str, optional
        The coordinate columns and their CRS, or the column of an area code (IRIS).
    extent : "france", (lon_min, lat_min, lon_max, lat_max) or None
        Points outside it, or with longitude and latitude swapped, are rejected;
        ``None`` switches the check off.
    layer, sheet : str, optional
        The layer of a multi-layer file, the sheet of a workbook.
    strict : bool
        Raise :class:`~qet_geo.errors.InputError` on the first problem instead of
        rejecting the row.
    progress, is_canceled : callable, optional
        ``progress(fraction, message)`` and ``is_canceled() -> bool``.

    Returns
    -------
    SurveyImport
        ``respondents`` (one row per accepted answer, a GeoDataFrame-like table with
        ``attrs["crs"]`` when homes are points), ``rejects`` (one row per rejected row,
        with its reasons) and ``report`` (counts, columns, every problem).

    Raises
    ------
    InputError
        A file that cannot be read, a missing required column or schema problem, and with
        ``strict`` the first bad row (file, row, column, value, expected).

    References
    ----------
    [NEAR-SU]: the SU questionnaire, its answer codes, the exclusions (non-residents,
    under 15) and the PCS (schema ``near-su``); [INSEE-base-ic]: the IRIS codes of
    ``area``. The page is ``docs/survey-schemas.md``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> survey = qg.read_survey("sample_data/survey_su.tsv")
    >>> survey.report.accepted > 0
    True
    """
    check_path(path, "read_survey", "path")
    if not isinstance(location, Location):
        kind = "xy" if location == "auto" and crs else location  # as the whole-job run
        location = Location(kind=kind, x=x, y=y, crs=crs, area=area)
    return import_survey(
        path, schema, location, strict=strict, extent=extent, layer=layer, sheet=sheet,
        progress=progress, is_canceled=is_canceled,
    )  # fmt: skip


def import_with(
    path: str | Path,
    parameters: SurveyParameters | None = None,
    *,
    progress: Progress | None = None,
    is_canceled: Callable[[], bool] | None = None,
) -> SurveyImport:
    """Read and validate the survey export ``path`` as ``parameters`` say.

    The options of ``qet-geo survey``, the parameters of ``qetgeo:importsurvey`` and the
    ``[survey]`` section of a job are each a :class:`~qet_geo.survey.params.SurveyParameters`;
    this is where they become the arguments of :func:`read_survey`: a ``crs`` with the
    location ``auto`` means x/y columns, a sheet written in digits is the sheet's position
    (from 0), ``extent_check`` is the check against France.

    Parameters
    ----------
    path : str or pathlib.Path
        The survey export.
    parameters : SurveyParameters, optional
        How to read it (the defaults when None).
    progress, is_canceled : callable, optional
        As for :func:`read_survey`.

    Returns
    -------
    SurveyImport
        As :func:`read_survey`.
    """
    p = parameters or SurveyParameters()
    return read_survey(
        path, p.schema, location=p.location, x=p.x, y=p.y, crs=p.crs, area=p.area,
        extent="france" if p.extent_check else None, layer=p.layer, sheet=p.sheet_read(),
        strict=p.strict, progress=progress, is_canceled=is_canceled,
    )  # fmt: skip


@contextlib.contextmanager
def _gc_paused():
    """Pause Python's cyclic garbage collector while millions of cells are created.

    The import makes no reference cycles; without this, full collections scanning every
    cell take more time than the parsing itself on a million-row export (bench/).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import_survey(
    path, schema, location, strict, extent, layer, sheet, progress, is_canceled
) -> SurveyImport:
    schema = schema if isinstance(schema, Schema) else load_schema(schema)
    report_progress = progress or (lambda fraction, message: None)

    def check_canceled() -> None:
        if is_canceled is not None and is_canceled():
            raise Canceled("survey import canceled")

    report_progress(0.0, "reading")
    table = read_table(path, layer=layer, sheet=sheet)
    check_canceled()
    name = table.path
    if table.rows_read == 0:
        raise InputError(
            Problem.of(
                name,
                "the file has a header but no answers",
                expected="one row per respondent below the header",
            )
        )
    question_columns, location_columns, unknown, ambiguous = schema.match_columns(table.columns)
    repeated_roles = {k: v for k, v in ambiguous.items() if k not in schema.questions}
    ambiguous = {k: v for k, v in ambiguous.items() if k in schema.questions}
    _check_required_columns(schema, question_columns, table, unknown, ambiguous)
    kind, roles, crs = _resolve_location(location, location_columns, table, schema)
    unknown = _check_role_columns(table, repeated_roles, kind, location, unknown)

    index = table.data.index
    problems: list[Problem] = [problem for _, problem in table.malformed.values()]
    bad = pd.Series(False, index=index)
    reasons: dict[int, list[str]] = {row: [p.reason] for row, (_, p) in table.malformed.items()}
    kinds: dict[int, list[str]] = {row: ["malformed row"] for row in table.malformed}

    def flag(
        mask: pd.Series,
        column: str | None,
        values: pd.Series | None,
        reason: str | pd.Series,
        kind: str,
        expected: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        """Reject the rows of ``mask``; ``reason`` may differ per row (a Series)."""
        rows = mask[mask].index
        if len(rows) == 0:
            return
        bad.loc[rows] = True
        for row in rows:
            why = reason if isinstance(reason, str) else reason.loc[row]
            why = why if isinstance(why, str) else str(why)  # a Message stays one
            problems.append(
                Problem(
                    name,
                    int(row),
                    column,
                    None if values is None else str(values.loc[row]),
                    why,
                    expected,
                    suggestion,
                )
            )
            reasons.setdefault(int(row), []).append(why)
            kinds.setdefault(int(row), []).append(kind)

    # --- answers -------------------------------------------------------------------------
    codes: dict[str, pd.Series] = {}
    n_questions = max(len(question_columns), 1)
    for step, (variable, column) in enumerate(question_columns.items()):
        check_canceled()
        report_progress(0.1 + 0.6 * step / n_questions, f"checking {variable}")
        question = schema.questions[variable]
        values = table.data[column]  # readers give text cells
        positions, uniques = pd.factorize(values, sort=False)
        matches = [question.match(value) for value in uniques]
        code_of = np.array([m.code for m in matches] + [None], dtype=object)
        codes[variable] = pd.Series(code_of[positions], index=index, dtype=object)
        for match_index, match in enumerate(matches):
            if match.reason is None:
                continue
            mask = pd.Series(positions == match_index, index=index)
            flag(
                mask,
                column,
                values,
                match.reason,
                match.kind or match.reason,
                question.expected(),
                match.suggestion,
            )
        missing_positions = [i for i, m in enumerate(matches) if m.missing]
        if question.required and missing_positions:
            mask = pd.Series(np.isin(positions, missing_positions), index=index)
            flag(mask, column, values, "missing answer", "missing answer", question.expected())

    # answers filled from another question (e.g. PCS of the retired)
    for variable, question in schema.questions.items():
        source = question.fill_from and question.fill_from["variable"]
        if not source or source not in codes:
            continue
        filled = codes[source].map(question.fill_from["values"])
        if variable in codes:
            codes[variable] = codes[variable].where(codes[variable].notna(), filled)
        else:
            codes[variable] = filled.astype(object)

    # answers that exclude a respondent (non-residents, under 15)
    for variable, question in schema.questions.items():
        if variable not in codes:
            continue
        for code, reason in question.reject.items():
            mask = codes[variable] == code
            column = question_columns.get(variable, variable)
            values = table.data[column] if column in table.data else codes[variable]
            flag(mask, column, values, reason, reason)

    # --- ids -------------------------------------------------------------------------------
    check_canceled()
    report_progress(0.75, "checking ids")
    id_column = location_columns.get("id")
    if id_column is not None:
        ids = table.data[id_column].str.strip()
        flag(
            ids.eq(""),
            id_column,
            ids,
            "missing respondent id",
            "missing respondent id",
            "an id on every row",
        )
    else:
        if schema.id.required:
            raise InputError(
                Problem(
                    name,
                    table.header_row,
                    None,
                    None,
                    "no respondent id column",
                    expected=Message(
                        "one of {choices}", choices=", ".join(map(repr, schema.id.headers))
                    ),
                )
            )
        ids = pd.Series(index.astype(str), index=index)
    duplicated = ids.duplicated(keep="first") & ids.ne("")
    duplicate_ids = sorted(set(ids[duplicated]))
    if duplicated.any():
        first_row = pd.Series(index, index=index).groupby(ids.to_numpy()).transform("first")
        flag(
            duplicated,
            id_column,
            ids,
            pd.Series(  # dtype object: pandas would make the messages plain text
                [
                    Message("duplicate respondent id (first seen on row {first})", first=int(f))
                    for f in first_row[duplicated]
                ],
                index=first_row.index[duplicated],
                dtype=object,
            ),
            "duplicate respondent id",
            "a unique id per respondent",
        )

    # --- location --------------------------------------------------------------------------
    check_canceled()
    report_progress(0.85, "checking locations")
    geometry, area_codes = _locate(kind, roles, crs, table, extent, flag)
    area_column = location.area or location_columns.get("area")
    if area_codes is None and area_column in table.data:
        area_codes = table.data[area_column].str.strip()  # kept beside the points
    if strict and problems:
        raise InputError(sorted(problems, key=_problem_order))  # the first one in the file

    # --- assemble --------------------------------------------------------------------------
    ok = ~bad
    respondents = pd.DataFrame(
        {"respondent_id": ids[ok].to_numpy(dtype=object), "source_row": index[ok].to_numpy()}
    )
    for variable, question in schema.questions.items():
        if variable not in codes:
            continue
        column = codes[variable][ok].to_numpy()
        if question.type == "number":
            respondents[variable] = pd.Series(column.astype("float64"), dtype="Float64")
        elif question.type == "choice" and all(isinstance(c, int) for c in question.codes):
            # None → NaN → NA: nullable small integers, as ordered codes 1/2/3 are
            respondents[variable] = pd.Series(column.astype("float64")).astype("Int8")
        else:
            respondents[variable] = pd.Series(column, dtype=object)
    respondents["weight"] = DEFAULT_WEIGHT
    if area_codes is not None:
        respondents["area_code"] = area_codes[ok].to_numpy(dtype=object)
    if geometry is not None:
        # homes as points in their CRS (a GeoDataFrame; inside QGIS a plain frame whose CRS
        # geo.with_crs keeps and geo.crs_of reads)
        respondents = geo.backend().with_points(respondents, geometry[ok].to_numpy(), crs)

    rejects = _rejects_table(table, bad, reasons)
    counts = Counter(kind for row_kinds in kinds.values() for kind in dict.fromkeys(row_kinds))
    problems.sort(key=_problem_order)
    report = ImportReport(
        file=name,
        format=table.format,
        schema=schema.name,
        encoding=table.encoding,
        delimiter=table.delimiter,
        rows_read=table.rows_read,
        accepted=int(ok.sum()),
        rejected=len(rejects),
        rejected_by_reason=dict(counts),
        columns=question_columns,
        unknown_columns=unknown,
        missing_columns=[
            v for v, q in schema.questions.items() if v not in question_columns and not q.required
        ],
        duplicate_ids=duplicate_ids,
        location=kind,
        crs=crs,
        problems=problems,
        id_column=id_column,
    )
    report_progress(1.0, "done")
    return SurveyImport(respondents, rejects, report)


def _problem_order(problem: Problem) -> tuple:
    return (problem.row if problem.row is not None else -1, problem.column or "")


def _check_required_columns(
    schema: Schema,
    found: dict[str, str],
    table: RawTable,
    unknown: list[str],
    ambiguous: dict[str, list[str]],
) -> None:
    problems = [
        Problem(
            table.path,
            table.header_row,
            " / ".join(columns),
            _positions(table, columns),
            Message("several columns for question {variable!r}", variable=variable),
            expected="one column per question (rename or remove the others)",
        )
        for variable, columns in ambiguous.items()
    ]
    for question in schema.required:
        if question.variable in ambiguous:
            continue
        if question.variable in found:
            continue
        hint = difflib.get_close_matches(
            normalise(question.headers[0] if question.headers else question.variable),
            [normalise(c) for c in unknown],
            n=1,
            cutoff=0.6,
        )
        suggestion = next((c for c in unknown if hint and normalise(c) == hint[0]), None)
        problems.append(
            Problem(
                table.path,
                table.header_row,
                question.headers[0] if question.headers else question.variable,
                None,
                Message(
                    "missing required column for question {variable!r}",
                    variable=question.variable,
                ),
                expected=Message(
                    "a column headed {headers}",
                    headers=either(repr(h) for h in question.headers[:2]),
                ),
                suggestion=suggestion,
            )
        )
    if problems:
        raise InputError(problems)


#: what each location role of a schema is, in messages
_ROLE_NAMES = {
    "id": "the respondent id",
    "lon": "the longitude",
    "lat": "the latitude",
    "x": "the x coordinate",
    "y": "the y coordinate",
    "area": "the area code",
}


_ROLE_OPTIONS = {"lon": "--x", "x": "--x", "lat": "--y", "y": "--y", "area": "--area"}


def _positions(table: RawTable, headers: list[str]) -> str:
    """Columns as the file shows them: their title as written and their position
    ("'longitude' (column 8), 'longitude' (column 10)"; a repeated title renamed
    "longitude (2)" by the reader is shown as written)."""

    def written(header: str) -> str:
        base = _RENAMED.sub("", header)
        return base if base != header and base in table.columns else header

    return ", ".join(
        f"{written(h)!r} ({tr('column')} {table.columns.index(h) + 1})" for h in headers
    )


def _check_role_columns(
    table: RawTable,
    repeated: dict[str, list[str]],
    kind: str,
    location: Location,
    unknown: list[str],
) -> list[str]:
    """Refuse several columns for the id or for a coordinate (or area code) the import
    uses, unless the caller named the one to use: the first one is not taken silently.
    Repeated columns of a role the import does not use are listed as unknown columns."""
    given = {"lon": location.x, "x": location.x, "lat": location.y, "y": location.y,
             "area": location.area}  # fmt: skip
    used_roles = {"id", "area"} | {
        "lonlat": {"lon", "lat"},
        "xy": {"x", "y"},
    }.get(kind, set())
    problems = []
    for role, headers in repeated.items():
        if role in used_roles and not given.get(role):
            problems.append(
                Problem(
                    table.path,
                    table.header_row,
                    None,
                    _positions(table, headers),
                    f"several columns for {_ROLE_NAMES.get(role, role)}",
                    expected="one column (rename or remove the others)"
                    if role not in _ROLE_OPTIONS
                    else Message(
                        "one column (rename or remove the others, or name the one to use "
                        "with {option})",
                        option=_ROLE_OPTIONS[role],
                    ),
                )
            )
        else:
            unknown = unknown + [h for h in headers if h != given.get(role)]
    if problems:
        raise InputError(problems)
    order = {h: i for i, h in enumerate(table.columns)}
    return sorted(dict.fromkeys(unknown), key=lambda h: order.get(h, len(order)))


def _resolve_location(
    location: Location, found: dict[str, str], table: RawTable, schema: Schema
) -> tuple[str, dict[str, str], str | None]:
    name = table.path
    columns = set(table.columns)

    def column(role: str, given: str | None) -> str | None:
        if given is not None:
            if given not in columns:
                raise InputError(
                    Problem(
                        name,
                        table.header_row,
                        given,
                        None,
                        "no such column",
                        expected=Message(
                            "one of {choices}", choices=", ".join(map(repr, table.columns))
                        ),
                    )
                )
            return given
        return found.get(role)

    kind = location.kind
    if kind == "auto":
        if table.geometry is not None:
            kind = "geometry"
        elif (
            (location.x or found.get("lon"))
            and (location.y or found.get("lat"))
            and not location.crs
        ):
            kind = "lonlat"
        elif (location.x or found.get("x")) and (location.y or found.get("y")):
            kind = "xy"
        elif location.area or found.get("area"):
            kind = "area"
        else:
            kind = "none"
    if kind == "geometry":
        if table.geometry is None:
            raise InputError(
                Problem.of(
                    name,
                    "the file has no point geometry",
                    expected="a point layer, or lon/lat, x/y or area columns",
                )
            )
        return kind, {}, table.crs
    if kind == "lonlat":
        roles = {"x": column("lon", location.x), "y": column("lat", location.y)}
        crs = "EPSG:4326"
    elif kind == "xy":
        roles = {"x": column("x", location.x), "y": column("y", location.y)}
        crs = location.crs
        if not crs:
            raise InputError(
                Problem(
                    name,
                    table.header_row,
                    roles["x"],
                    None,
                    "x/y columns need a coordinate reference system",
                    expected="a CRS such as EPSG:2154 (Lambert-93)",
                )
            )

        try:
            crs = geo.backend().normalise_crs(crs)
        except ValueError as exc:
            raise InputError(
                Problem(
                    name,
                    None,
                    None,
                    str(location.crs),
                    Message("unknown coordinate reference system: {error}", error=str(exc)),
                    expected="a CRS such as EPSG:2154",
                )
            ) from exc
    elif kind == "area":
        roles = {"area": column("area", location.area)}
        crs = None
    else:
        return "none", {}, None
    for role, col in roles.items():
        if col is None:
            raise InputError(
                Problem(
                    name,
                    table.header_row,
                    None,
                    None,
                    Message("no {role} column found for location {kind!r}", role=role, kind=kind),
                    expected=Message(
                        "one of {choices}",
                        choices=", ".join(
                            map(
                                repr,
                                schema.location.get(
                                    {"x": "lon", "y": "lat"}[role] if kind == "lonlat" else role,
                                    [],
                                ),
                            )
                        ),
                    ),
                )
            )
    return kind, roles, crs


def _locate(kind, roles, crs, table: RawTable, extent, flag):
    """Build point geometry or area codes; flag rows whose location is unusable."""
    index = table.data.index
    if kind == "none":
        return None, None
    if kind == "area":
        codes = table.data[roles["area"]].str.strip()
        flag(
            codes.eq(""),
            roles["area"],
            codes,
            "missing area code",
            "missing location",
            "an area code (e.g. IRIS code)",
        )
        return None, codes
    import shapely

    if kind == "geometry":
        shapes = np.asarray(pd.Series(table.geometry).to_numpy(), dtype=object)
        empty = np.asarray(pd.isna(shapes), dtype=bool)
        empty[~empty] = shapely.is_empty(shapes[~empty])
        empty = pd.Series(empty, index=index)
        geometry = pd.Series(np.where(empty, None, shapes), index=index, dtype=object)
        flag(empty, "geometry", None, "missing point", "missing location", "a point")
        # a MultiPoint of one point is a point; more than one is ambiguous
        parts = pd.Series(shapely.get_num_geometries(geometry.to_numpy()), index=index)
        multipoint = pd.Series(
            shapely.get_type_id(geometry.to_numpy()) == shapely.GeometryType.MULTIPOINT,
            index=index,
        )
        flag(
            multipoint & parts.gt(1),
            "geometry",
            None,
            "several points for one respondent",
            "bad location",
            "one point",
        )
        # a MultiPoint of one point is that point
        geometry = pd.Series(shapely.get_geometry(geometry.to_numpy(), 0), index=index).where(
            multipoint, geometry
        )
        xs = pd.Series(shapely.get_x(geometry.to_numpy()), index=index)
        ys = pd.Series(shapely.get_y(geometry.to_numpy()), index=index)
        # a point of NaN or infinite coordinates (GeoJSON's NaN, which GDAL reads) is not
        # a place: rejected here, not left to fall outside every area later
        not_finite = ~empty & ~(np.isfinite(xs) & np.isfinite(ys))
        if not_finite.any():
            flag(
                not_finite,
                "geometry",
                pd.Series(shapely.to_wkt(shapes, rounding_precision=-1), index=index),
                "point with a coordinate that is not a number (NaN or infinite)",
                "bad location",
                "a point with finite coordinates",
            )
        xy_text = None
    else:
        x_text = table.data[roles["x"]]
        y_text = table.data[roles["y"]]
        xs = _numbers(x_text)
        ys = _numbers(y_text)
        for text, values, col in ((x_text, xs, roles["x"]), (y_text, ys, roles["y"])):
            flag(
                text.str.strip().eq(""),
                col,
                text,
                "missing coordinate",
                "missing location",
                "a number",
            )
            flag(
                values.isna() & text.str.strip().ne(""),
                col,
                text,
                "coordinate is not a number",
                "bad location",
                "a number such as 2.3522 or 2,3522",
            )
        xy_text = (x_text, y_text)
    valid = pd.Series(np.isfinite(xs.to_numpy()) & np.isfinite(ys.to_numpy()), index=index)
    lon, lat = xs.copy(), ys.copy()
    if crs and crs != "EPSG:4326" and valid.any() and not geo.backend().same_crs(crs, "EPSG:4326"):
        lon_v, lat_v = geo.backend().transform(
            crs, "EPSG:4326", xs[valid].to_numpy(), ys[valid].to_numpy()
        )
        lon[valid], lat[valid] = lon_v, lat_v
    if kind == "lonlat":
        x_col, y_col = roles["x"], roles["y"]
        flag(
            valid & (ys.abs() > 90),
            y_col,
            xy_text[1],
            "latitude out of range",
            "coordinates out of range",
            "a latitude between -90 and 90",
        )
        flag(
            valid & (xs.abs() > 180),
            x_col,
            xy_text[0],
            "longitude out of range",
            "coordinates out of range",
            "a longitude between -180 and 180",
        )
        valid &= (ys.abs() <= 90) & (xs.abs() <= 180)
    else:  # x/y or layer points: what their CRS cannot place on Earth
        impossible = valid & ~(
            np.isfinite(lon) & np.isfinite(lat) & (lat.abs() <= 90) & (lon.abs() <= 180)
        )
        flag(
            impossible,
            roles.get("x", "geometry"),
            None if xy_text is None else xy_text[0] + " / " + xy_text[1],
            Message("coordinates outside the valid range of {crs}", crs=str(crs)),
            "coordinates out of range",
            "coordinates in the CRS given",
        )
        valid &= ~impossible
    bounds = _extent_boxes(extent)
    if bounds is not None and valid.any():
        inside = _inside(lon, lat, bounds)
        swapped = _inside(lat, lon, bounds)
        column = roles.get("x", "geometry")
        values = xy_text[0] + " / " + xy_text[1] if xy_text else None
        flag(
            valid & ~inside & swapped,
            column,
            values,
            "longitude and latitude look swapped",
            "coordinates swapped",
            "longitude in the x/lon column and latitude in the y/lat column",
        )
        flag(
            valid & ~inside & ~swapped,
            column,
            values,
            "location outside the expected extent ("
            + ", ".join(box[4] for box in bounds[:1])
            + " and overseas departments)"
            if extent == "france"
            else "location outside the expected extent",
            "location outside extent",
            "a home in the surveyed area",
        )
    geometry_out = pd.Series(
        shapely.points(xs.to_numpy(dtype=float), ys.to_numpy(dtype=float)), index=index
    )
    return geometry_out, None


def _numbers(text: pd.Series) -> pd.Series:
    """Text to float64 (NaN where not a number); a decimal comma is accepted."""
    values = pd.Series(
        pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64", na_value=np.nan),
        index=text.index,
    )
    failed = values.isna() & text.ne("")
    if failed.any():
        retry = text[failed].str.strip()
        retry = retry.where(
            ~retry.str.fullmatch(r"[+-]?\d+,\d+"), retry.str.replace(",", ".", regex=False)
        )
        values[failed] = pd.to_numeric(retry, errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )
    return values.where(np.isfinite(values))


def _extent_boxes(extent):
    if extent is None:
        return None
    if extent == "france":
        return FRANCE_EXTENTS
    if isinstance(extent, tuple | list) and len(extent) == 4:
        return ((*map(float, extent), "extent"),)
    raise ValueError(
        f"extent must be 'france', None or (lon_min, lat_min, lon_max, lat_max), not {extent!r}"
    )


def _inside(lon: pd.Series, lat: pd.Series, boxes) -> pd.Series:
    result = pd.Series(False, index=lon.index)
    for lon_min, lat_min, lon_max, lat_max, _ in boxes:
        result |= lon.between(lon_min, lon_max) & lat.between(lat_min, lat_max)
    return result


def _rejects_table(table: RawTable, bad: pd.Series, reasons: dict[int, list[str]]) -> pd.DataFrame:
    own = ("source_row", "reason", "raw_line", "geometry_wkt")
    rejected = table.data[bad].rename(columns={c: f"{c} (input)" for c in own})
    rejected.insert(
        0, "reason", ["; ".join(dict.fromkeys(reasons[int(r)])) for r in rejected.index]
    )
    if table.geometry is not None:
        geometry = table.geometry[bad]
        rejected["geometry_wkt"] = [g.wkt if g is not None else "" for g in geometry]
    if table.malformed:
        raw_rows = pd.DataFrame(
            {
                "reason": [p.reason for _, p in table.malformed.values()],
                "raw_line": [line for line, _ in table.malformed.values()],
            },
            index=pd.Index(list(table.malformed), name="source_row"),
        )
        rejected = pd.concat([rejected, raw_rows])
    rejected.index.name = "source_row"
    rejected = rejected.sort_index().reset_index()
    return rejected.astype({"source_row": "int64"}).fillna("")


def respondent_weights(respondents: pd.DataFrame) -> np.ndarray:
    """Each respondent's weight, as every step weighs them (indicators by area, profiles
    against constraints, in the command line and in QGIS alike): the ``weight`` field, a
    missing or non-numeric one counted as :data:`~qet_geo.constants.DEFAULT_WEIGHT` — what
    the import gives every row until weighting (a layer edited by hand may leave one empty;
    an empty weight that made every weighted share "NaN" would tell the analyst nothing) —
    and 1 for everyone when there is no such field."""
    if "weight" not in respondents.columns:
        return np.full(len(respondents), DEFAULT_WEIGHT)
    weights = pd.to_numeric(respondents["weight"], errors="coerce")
    return weights.fillna(DEFAULT_WEIGHT).to_numpy(float)
