"""Import of "Espace et Mode de Vie" (EMdV) answers: the built-in schema ``near-emdv`` and
:func:`import_emdv`, for the three shapes of :mod:`qet_geo.diagnostic.records`.

A column is the question whose Metabase header it is ("Easy Public Transports"), whose
snake_case it is (a database dump: ``easy_public_transports``) or whose Typeform field
``ref`` it is (``easyPublicTransports``).  A cell is read as its code (``YES``), a code the
schema lists as an alias (NEAR's ``ZONE_PORTE_ORLEANS`` for the neighbourhood), a Typeform
choice ``ref`` or a label.  The contract is the SU import's: a problem names the file, the
row, the column, the value and what was expected; a row with a problem goes to the rejects
table with its reasons; ``rows_read == accepted + rejected``.

Free text never reaches the answers table: testimonies, the "Autre" text of a barrier or a
voluntary work, a zone written out ("Malakoff") are kept in :attr:`EmdvImport.private`
(respondent, question, text), and the answers hold ``OTHER`` in their place.  Unknown codes
in a multi-choice answer are such "other" texts; an unknown code of a single-choice question
is an error of the row.  E-mail addresses are read and dropped.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import limits
from ..errors import InputError, Problem, SchemaError
from ..i18n import Message, tr
from ..survey.schema import normalise, parse_number
from .located import location_columns, location_note, read_location
from .records import TYPEFORM, Records, parse_array_literal, read_records
from .su_codes import SU_VARIABLES, su_code_of

SCHEMAS = Path(__file__).with_name("schemas")

KINDS = ("satisfaction", "wish", "barrier", "trip_mode", "trip_time", "trip_zone",
         "habit", "testimony", "link", "su", "demographic", "drop", "id")  # fmt: skip

#: the answer codes of each kind of question, in their order on the boards
SATISFACTION_CODES = ("NO", "DONT_KNOW", "YES")
WISH_CODES = ("NO", "I_WISH_BUT_CANT", "I_WISH_AND_IT_IS_PLAN", "YES_I_DO")
OTHER = "OTHER"
#: the local-food barrier's "Ça ne me concerne pas", which NEAR stores as ``{}``
LOCAL_FOOD_BARRIER = "reasons_to_not_buy_french_and_season_food"


def snake(header: str) -> str:
    """A Metabase header as the database column it humanises ("Prefer Second And" →
    ``prefer_second_and``)."""
    return re.sub(r"[^a-z0-9]+", "_", str(header).lower()).strip("_")


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    short: str | None = None
    family: str | None = None
    other: bool = False
    reject: str | None = None


@dataclass(frozen=True)
class Item:
    key: str
    header: str
    kind: str
    ref: str | None = None
    label: str | None = None
    text: str | None = None
    theme: str | None = None
    lever: str | None = None
    purpose: str | None = None
    multiple: bool = False
    number: dict | None = None
    choices: dict = field(default_factory=dict)  # code → Choice
    lookup: dict = field(default_factory=dict)  # code, alias, ref, normalised label → code

    @property
    def title(self) -> str:
        return self.label or self.header

    def code_of(self, text: str) -> str | None:
        found = self.lookup.get(text)
        if found is None:
            found = self.lookup.get(normalise(text))
        return found


@dataclass(frozen=True)
class FormSchema:
    name: str
    title: str
    items: dict  # key → Item
    meta: tuple
    columns: dict  # header, snake_case, ref (normalised) → key

    def of_kind(self, *kinds) -> list[Item]:
        return [item for item in self.items.values() if item.kind in kinds]

    def match(self, header: str) -> str | None:
        return self.columns.get(header) or self.columns.get(normalise(header))


@cache
def load_emdv_schema(name: str = "near-emdv") -> FormSchema:
    """The built-in EMdV schema (``near-emdv``) or a schema file of the same form."""
    path = (
        SCHEMAS / f"{name}.yaml" if "/" not in name and not name.endswith(".yaml") else Path(name)
    )
    if not path.is_file():
        raise SchemaError(tr("unknown EMdV schema {name!r}: expected near-emdv or a .yaml file",
                             name=name))  # fmt: skip
    try:
        data = limits.read_yaml(path)
    except InputError as exc:
        raise SchemaError(str(exc)) from exc
    items, columns = {}, {}
    for key, spec in (data.get("questions") or {}).items():
        kind = spec.get("kind")
        if kind not in KINDS:
            raise SchemaError(f"{path}: question {key}: kind {kind!r} is not one of {KINDS}")
        choices, lookup = {}, {}
        for code, c in (spec.get("choices") or {}).items():
            code = str(code)
            c = c or {}
            choices[code] = Choice(code, c.get("label", code), c.get("short"), c.get("family"),
                                   bool(c.get("other")), c.get("reject"))  # fmt: skip
            for alias in [code, *(c.get("codes") or []), *(c.get("refs") or [])]:
                lookup[str(alias)] = code
            for text in [c.get("label"), *(c.get("labels") or [])]:
                if text:
                    lookup.setdefault(normalise(text), code)
            lookup.setdefault(normalise(code), code)
        item = Item(key, spec.get("header", key), kind, spec.get("ref"), spec.get("label"),
                    spec.get("text"), spec.get("theme"), spec.get("lever"), spec.get("purpose"),
                    bool(spec.get("multiple")), spec.get("number"), choices, lookup)  # fmt: skip
        items[key] = item
        for name_ in (item.header, key, item.ref):
            if name_:
                columns[name_] = key
                columns[normalise(name_)] = key
    meta = tuple(data.get("meta") or ())
    for m in meta:
        columns[m] = "__meta__"
        columns[normalise(m)] = "__meta__"
    return FormSchema(data.get("name", path.stem), data.get("title", ""), items, meta, columns)


@dataclass
class EmdvReport:
    """What the import saw: counts, columns, notes and every problem."""

    file: str
    format: str
    schema: str
    rows_read: int
    accepted: int
    rejected: int
    columns: dict
    unknown_columns: list
    missing_questions: list
    notes: list = field(default_factory=list)  # Messages: what was read in a special way
    problems: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"file": self.file, "format": self.format, "schema": self.schema,
                "rows_read": self.rows_read, "accepted": self.accepted,
                "rejected": self.rejected, "columns": self.columns,
                "unknown_columns": self.unknown_columns,
                "missing_questions": self.missing_questions,
                "notes": [str(n) for n in self.notes],
                "problems": [p.to_dict() for p in self.problems]}  # fmt: skip

    def lines(self, max_problems: int = 20) -> list[str]:
        return report_lines(self, max_problems)


def report_lines(report, max_problems: int = 20) -> list[str]:
    """The lines of an import's report (EMdV or NGC): the counts, the notes, the unknown
    columns, the first problems."""
    out = [tr("{file}: {read} rows read, {accepted} accepted, {rejected} rejected ({format}, schema {schema})",
              file=report.file, read=report.rows_read, accepted=report.accepted,
              rejected=report.rejected, format=report.format, schema=report.schema)]  # fmt: skip
    out += ["  " + tr(n) for n in report.notes]
    unknown = getattr(report, "unknown_columns", None)
    if unknown:
        out.append("  " + tr("Unknown columns (not imported)") + ": "
                   + ", ".join(repr(limits.echo(c, 60)) for c in unknown))  # fmt: skip
    for p in report.problems[:max_problems]:
        out.append(f"  - {p}")
    if len(report.problems) > max_problems:
        out.append("  … " + tr("and {n} more (see the rejects file or --json)",
                               n=len(report.problems) - max_problems))  # fmt: skip
    return out


@dataclass
class EmdvImport:
    """Result of :func:`import_emdv`: ``answers`` (codes; multi-choice answers as tuples
    of codes), ``private`` (free text: never published), ``rejects`` (rows as read, with
    ``reason``), ``report``."""

    answers: pd.DataFrame
    private: pd.DataFrame
    rejects: pd.DataFrame
    report: EmdvReport
    schema: FormSchema

    def lines(self) -> list[str]:
        return self.report.lines()


def import_emdv(path, schema: str = "near-emdv", *, sheet=None) -> EmdvImport:
    """Import an EMdV export (Metabase JSON/CSV, database dump or Typeform payloads)."""
    form = load_emdv_schema(schema)
    table = read_records(path, sheet=sheet)
    return decode(table, form)


def _column_problems(table: Records, form: FormSchema):
    """Columns → question keys; unknown columns; a renamed header (close to a question
    whose column is missing) is an error naming the nearest header."""
    mapping, unknown = {}, []
    for column in table.columns:
        key = form.match(column)
        if key is None and column.startswith("hidden."):
            key = "__meta__"
        if key is None:
            unknown.append(column)
        elif key != "__meta__":
            if key in mapping.values():
                first = next(c for c, k in mapping.items() if k == key)
                raise InputError(Problem.of(
                    table.path, Message("two columns are the same question {key}", key=key),
                    column=column, value=first, expected="one column per question"))  # fmt: skip
            mapping[column] = key
    found = set(mapping.values())
    problems = []
    for column in unknown:
        candidates = {
            item.header: item.key for item in form.items.values() if item.key not in found
        }
        close = difflib.get_close_matches(column, list(candidates), n=1, cutoff=0.85)
        close = close or difflib.get_close_matches(
            snake(column), [snake(c) for c in candidates], n=1, cutoff=0.85)  # fmt: skip
        if close:
            header = next(h for h in candidates if h == close[0] or snake(h) == close[0])
            problems.append(Problem.of(
                table.path, Message("unknown column {column!r}: is it {header!r} renamed?",
                                    column=column, header=header),
                column=column, value=column,
                expected=Message("the header {header!r} (or {snake!r})", header=header,
                                 snake=snake(header))))  # fmt: skip
    if problems:
        raise InputError(problems)
    return mapping, unknown


def decode(table: Records, form: FormSchema) -> EmdvImport:
    """The answers of a table read by :func:`read_records`, decoded by ``form``."""
    name = table.path
    mapping, unknown = _column_problems(table, form)
    where = location_columns(unknown)  # a home area or point, when the answers say it
    unknown = [c for c in unknown if c not in where.values()]
    if not any(form.items[k].kind in ("satisfaction", "wish", "barrier") for k in mapping.values()):
        raise InputError(Problem.of(
            name, "no column of the EMdV form found",
            value=", ".join(limits.echo(c, 40) for c in table.columns[:8]),
            expected=Message("headers such as {a!r} or {b!r}", a="Easy Public Transports",
                             b="Want To Reduce Car Usage")))  # fmt: skip
    labels = {}
    for (field_ref, choice_ref), label in table.choice_labels.items():
        labels[(field_ref, choice_ref)] = label
    data = table.data
    out: dict[str, list] = {}
    bad: dict[int, list[Problem]] = {}
    private: list[dict] = []
    notes: list = []
    ids = _ids(table, mapping)
    empty_local_food = 0

    def problem(row, column, value, reason, expected):
        bad.setdefault(row, []).append(Problem.of(
            name, reason, row=int(row), column=column, value=limits.echo(str(value)),
            expected=expected))  # fmt: skip

    for column, key in mapping.items():
        item = form.items[key]
        cells = data[column].to_numpy(dtype=object)
        if item.kind == "drop":
            notes.append(Message("column {column!r} read and dropped (personal data)",
                                 column=column))  # fmt: skip
            continue
        if item.kind == "id":
            continue
        # each distinct text decoded once; the rows of a plain value mapped at once, the
        # others (a problem, a free text, NEAR's empty list) one by one
        texts = pd.Series(["" if t is None else str(t) for t in cells], dtype=object)
        decoded = {t: _decode_cell(item, key, t, labels, table.format) for t in pd.unique(texts)}
        plain = {t: got[1] for t, got in decoded.items() if got[0] == "value" and not got[2]}
        values = texts.map(plain).astype(object).where(texts.isin(list(plain)), None).tolist()
        special = [t for t, got in decoded.items() if got[0] != "skip" and t not in plain]
        index, text_of = data.index, texts.to_numpy()
        for i in np.flatnonzero(texts.isin(special).to_numpy()):
            row = index[i]
            kind, value, extra = decoded[text_of[i]]
            if kind == "problem":
                problem(row, column, value, *extra)
                continue
            for private_kind, theme, part in extra:
                private.append({"respondent_id": ids[i], "row": int(row), "question": key,
                                "theme": theme, "kind": private_kind, "text": part})  # fmt: skip
            if kind == "local_food":
                empty_local_food += 1
            values[i] = value
        out[key] = values
    if where:
        home, wrong = read_location(data, where, name)
        located_note = location_note(wrong)
    if where and located_note is not None:
        notes.append(located_note)
    if empty_local_food:
        notes.append(Message(
            "{n} empty answers {{}} to the local-food barrier read as \"Ça ne me concerne "
            "pas\" (NOT_CONCERNED): NEAR stores that choice as an empty list",
            n=empty_local_food))  # fmt: skip
    answers = pd.DataFrame(index=data.index)
    answers["respondent_id"] = ids
    answers["row"] = data.index.astype("int64")
    _link_columns(answers, out)
    if where:
        for column in home.columns:
            answers[column] = home[column].to_numpy()
    for key, values in out.items():
        item = form.items[key]
        if key in answers.columns or item.kind == "link":
            continue
        if item.kind in ("su", "testimony"):
            continue
        if item.number is not None and not item.choices:
            answers[key] = pd.array(values, dtype="Float64")
        else:
            answers[key] = pd.Series(values, index=data.index, dtype=object)
    # duplicate respondent ids: the later rows are rejected (two answers of one person)
    seen = {}
    for i, (row, rid) in enumerate(zip(data.index, ids, strict=True)):
        if rid in seen and not rid.startswith("#"):
            problem(row, None, rid, Message("duplicate respondent id (first at row {first})",
                                            first=seen[rid]), "one answer per respondent")  # fmt: skip
        else:
            seen.setdefault(rid, int(row))
        del i
    bad_rows = sorted(bad)
    keep = ~data.index.isin(bad_rows)
    rejects = table.data.loc[bad_rows].copy() if bad_rows else table.data.iloc[0:0].copy()
    rejects.insert(0, "row", rejects.index.astype("int64"))
    rejects["reason"] = pd.Series(["; ".join(str(p.reason) for p in bad[r]) for r in bad_rows],
                                  index=rejects.index, dtype=object)  # fmt: skip
    rejects["row"] = rejects["row"].astype(object)
    for row, (_text, prob) in sorted(table.malformed.items()):
        bad.setdefault(row, []).append(prob)
        rejects.loc[row, "row"] = row
        rejects.loc[row, "reason"] = str(prob.reason)
    private_frame = pd.DataFrame(private, columns=["respondent_id", "row", "question", "theme",
                                                   "kind", "text"])  # fmt: skip
    private_frame = private_frame[~private_frame["row"].isin(bad_rows)].reset_index(drop=True)
    answers = answers[keep].reset_index(drop=True)
    problems = [p for r in sorted(bad) for p in bad[r]]
    report = EmdvReport(
        name, table.format, form.name, table.rows_read, len(answers),
        table.rows_read - len(answers), dict(mapping), unknown,
        [k for k, item in form.items.items()
         if item.kind in ("satisfaction", "wish", "barrier") and k not in out],
        notes, problems)  # fmt: skip
    return EmdvImport(answers, private_frame, rejects.reset_index(drop=True), report, form)


def _decode_cell(item: Item, key: str, text: str, labels: dict, fmt: str) -> tuple:
    """What a cell's text gives, the same for every row holding it: ``("skip", None, ())``
    (empty), ``("problem", text, (reason, expected))``, or ``(kind, value, private)``
    where ``private`` lists the (kind, theme, text) of its free texts and ``kind`` is
    ``"value"`` or ``"local_food"`` (NEAR's ``{}`` for "Ça ne me concerne pas")."""
    if not text.strip() or text.strip().lower() in ("null", "none", "nan"):
        return ("skip", None, ())
    text = text.strip()
    if item.kind == "testimony":
        return ("value", None, (("testimony", item.theme, text),))
    if key == "su":  # the SU code a respondent gave: its profile's number
        code = su_code_of(text)
        if code is None:
            return ("problem", text, ("not an SU code", "the profile's number (2, or SU 2)"))
        return ("value", code, ())
    if item.number is not None and not item.choices:
        value = parse_number(text)
        lo, hi = item.number.get("min"), item.number.get("max")
        if value is None or (lo is not None and value < lo) or (hi is not None and value > hi):
            span = f"{lo}–{hi}" if hi is not None else f"≥ {lo}"
            return ("problem", text, ("not a number in the range",
                                      Message("a number {span}", span=span)))  # fmt: skip
        return ("value", value, ())
    if item.multiple:
        parts = parse_array_literal(text)
        if parts is None and fmt == TYPEFORM:
            parts = [text]
        if parts is None:
            return ("problem", text, ("not a list of choices (PostgreSQL array literal)",
                                      Message("a list such as {example}",
                                              example="{" + ",".join(list(item.choices)[:2]) + "}")))  # fmt: skip
        codes, private = [], []
        for part in parts:
            code = item.code_of(part)
            if code is None and item.ref:
                label = labels.get((item.ref, part))
                code = item.code_of(label) if label else None
            if code is None or item.choices[code].other:
                code = OTHER
                if part.strip():
                    private.append(("other", item.theme or item.lever, part))
            if code not in codes:
                codes.append(code)
        if not codes and key == LOCAL_FOOD_BARRIER and fmt != TYPEFORM:
            return ("local_food", ("NOT_CONCERNED",), ())
        return ("value", tuple(codes), tuple(private))
    code = item.code_of(text)
    if code is None and item.ref:
        label = labels.get((item.ref, text))
        code = item.code_of(label) if label else None
    if code is None and item.kind == "trip_zone":
        return ("value", OTHER, (("zone", item.purpose, text),))
    if code is None:
        near = difflib.get_close_matches(text, list(item.choices), n=1)
        expected = (Message("one of {codes}", codes=", ".join(item.choices)) if not near else
                    Message("one of {codes} (nearest: {near})", codes=", ".join(item.choices),
                            near=near[0]))  # fmt: skip
        return ("problem", text, ("unknown answer code", expected))
    choice = item.choices[code]
    if choice.reject:
        return ("problem", text, (choice.reject, None))
    return ("value", code, ())


def _ids(table: Records, mapping: dict) -> list[str]:
    for wanted in ("ID", "id", "token", "Token"):
        if wanted in table.columns:
            values = table.data[wanted].astype(str).tolist()
            if all(v.strip() for v in values):
                return [v.strip() for v in values]
    return [f"#{r}" for r in table.data.index]


def _link_columns(answers: pd.DataFrame, out: dict) -> None:
    """``su_id``, ``su_code``, ``know_su``, ``near_distance`` and the six SU answers
    (Int8 1/2/3) in the same columns whatever the shape."""
    n = len(answers)
    nothing = [None] * n
    answers["su_id"] = pd.array([None if v is None else int(v) for v in out.get("su_id", nothing)],
                                dtype="Int64")  # fmt: skip
    answers["su_code"] = pd.array([None if v is None else int(v) for v in out.get("su", nothing)],
                                  dtype="Int64")  # fmt: skip
    answers["know_su"] = pd.array(
        [None if v is None else v == "true" for v in out.get("know_su", nothing)],
        dtype="boolean")  # fmt: skip
    answers["near_distance"] = pd.array(out.get("distance_to_barycenter", nothing),
                                        dtype="Float64")  # fmt: skip
    for variable in SU_VARIABLES:
        answers[variable] = pd.array(
            [None if v is None else int(v) for v in out.get(variable, nothing)], dtype="Int8"
        )
