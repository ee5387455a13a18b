"""Reading an "Espace et Mode de Vie" or Nos Gestes Climat export into a table of text cells.

The answers come in three shapes (docs/diagnostic.md):

- a **Metabase export**, JSON (a list of objects) or CSV, with humanised headers
  ("Prefer Second And") and multi-choice answers as PostgreSQL array literals
  (``{A,B,"texte libre"}``);
- a **database dump**, the same with snake_case column names (``prefer_second_and``);
- **raw webhook payloads**: a Typeform ``form_response`` (field ``ref``, ``choice.ref``,
  ``choices.refs``) or NEAR's Nos Gestes Climat payload (``calculatedResults`` with dotted
  keys), one per file, a list of them, or one per line (JSON Lines).

Every shape becomes a :class:`~qet_geo.survey.readers.RawTable` of text cells indexed by the
number a person finds the row by (the line of a CSV file, header = 1; the position of the
object in a JSON list, first = 1; the line of a JSON Lines file), so that one decoder reads
them all.  A webhook's multi-choice answer is written as the array literal a database
export would hold, its choices by ``ref`` (the schema knows the refs), a free "Autre" text
quoted inside.  Reading is bounded by :mod:`qet_geo.limits`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import limits
from ..errors import InputError, Problem
from ..i18n import Message
from ..survey.readers import RawTable, read_table

#: ``RawTable.format`` of each shape
METABASE_JSON = "json"
TYPEFORM = "typeform-webhook"
NGC_WEBHOOK = "ngc-webhook"


@dataclass
class Records(RawTable):
    """A :class:`RawTable` with what a webhook payload adds: the label of every choice
    ``ref`` of the form definitions read (``{(field_ref, choice_ref): label}``)."""

    choice_labels: dict[tuple[str, str], str] = field(default_factory=dict)


def read_records(path: str | Path, *, sheet=None, keep=None) -> Records:
    """Read an EMdV or NGC export of any of the three shapes (see the module's docstring).

    ``keep``: a test of a column's name; the cells of the other columns of a JSON export
    are not turned into text (the columns are listed, their cells empty): a NGC export
    holds each respondent's raw answers as nested objects, sixteen kilobytes a row."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError(Problem.of(name, "file not found"))
    if path.is_dir():
        raise InputError(Problem.of(name, "is a folder, expected a file"))
    if path.suffix.lower() in {".json", ".jsonl", ".ndjson"}:
        return _read_json(path, keep)
    table = read_table(path, sheet=sheet)
    columns = list(table.columns)
    for column in columns:  # the reader names a repeated header "X (2)": which one is meant?
        found = re.fullmatch(r"(.+) \((\d+)\)", str(column))
        if found and found.group(1) in columns:
            raise InputError(Problem.of(
                name, Message("two columns named {column!r} (columns {first} and {second})",
                              column=found.group(1), first=columns.index(found.group(1)) + 1,
                              second=columns.index(column) + 1),
                column=found.group(1), expected="one column per question"))  # fmt: skip
    return Records(**{f: getattr(table, f) for f in RawTable.__dataclass_fields__})


def array_literal(items: list[str]) -> str:
    """A PostgreSQL array literal of text items, quoted where they need it: what a
    database export writes for a multi-choice answer (``{A,B,"texte libre"}``)."""
    out = []
    for item in items:
        text = str(item)
        if text == "" or any(c in text for c in ',{}"\\ ') or text.upper() == "NULL":
            text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        out.append(text)
    return "{" + ",".join(out) + "}"


def parse_array_literal(text: str) -> list[str] | None:
    """The items of a PostgreSQL array literal (``{A,"b, c"}`` → ``["A", "b, c"]``), or
    None when ``text`` is not one (no braces, an unclosed quote, text after the brace)."""
    text = text.strip()
    if len(text) < 2 or text[0] != "{" or text[-1] != "}":
        return None
    body = text[1:-1]
    items: list[str] = []
    i, n = 0, len(body)
    if not body.strip():
        return []
    while i <= n:
        while i < n and body[i] == " ":
            i += 1
        if i < n and body[i] == '"':
            i += 1
            buf = []
            while i < n and body[i] != '"':
                if body[i] == "\\" and i + 1 < n:
                    i += 1
                buf.append(body[i])
                i += 1
            if i >= n:
                return None  # unclosed quote
            i += 1
            while i < n and body[i] == " ":
                i += 1
            if i < n and body[i] != ",":
                return None  # text after a closing quote
            items.append("".join(buf))
        else:
            j = body.find(",", i)
            j = n if j < 0 else j
            item = body[i:j].strip()
            if '"' in item or "{" in item or "}" in item:
                return None
            items.append(item)
            i = j
        i += 1
    return items


def _cells(values: list) -> list:
    """JSON values as text cells (most are text already)."""
    return [v if type(v) is str else _cell(v) for v in values]


def _cell(value) -> str:
    """A JSON value as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _read_json(path: Path, keep=None) -> Records:
    name = str(path)
    limits.check_file_size(path)
    text = path.read_bytes()
    if not text.strip():
        raise InputError(Problem.of(name, "the file is empty",
                                    expected="a JSON list of answers, or webhook payloads"))  # fmt: skip
    try:
        content = limits.read_json(path)
        objects = content if isinstance(content, list) else [content]
        rownums = list(range(1, len(objects) + 1))
    except InputError:
        # JSON Lines: one payload per line
        objects, rownums = [], []
        for number, line in enumerate(text.decode("utf-8-sig", "replace").splitlines(), 1):
            if not line.strip():
                continue
            try:
                objects.append(json.loads(line))
            except (json.JSONDecodeError, RecursionError):
                # not JSON Lines either: the whole file's own error
                limits.read_json(path)
                raise
            rownums.append(number)
    lim = limits.current()
    if len(objects) > lim.rows:
        raise limits.refuse(name, "rows", len(objects), "the rows")
    for number, obj in zip(rownums, objects, strict=True):
        if not isinstance(obj, dict):
            raise InputError(Problem.of(
                name, "an answer is not a JSON object", row=number,
                value=limits.echo(_cell(obj)),
                expected="a list of objects (one per answer), or webhook payloads"))  # fmt: skip
    if objects and all(_is_typeform(o) for o in objects):
        return _typeform(name, objects, rownums)
    if objects and all("calculatedResults" in o for o in objects):
        return _ngc_payloads(name, objects, rownums)
    columns: list[str] = []
    seen: set[str] = set()
    for obj in objects:
        for key in obj:
            if key not in seen:
                seen.add(key)
                columns.append(key)
    return _records(name, METABASE_JSON, columns, objects, rownums, keep=keep)


def _records(name, fmt, columns, rows, rownums, choice_labels=None, keep=None) -> Records:
    lim = limits.current()
    if len(columns) > lim.columns:
        raise limits.refuse(name, "columns", len(columns), "the columns")
    cells = len(rows) * max(len(columns), 1)
    if cells > lim.cells:
        raise limits.refuse(name, "cells", cells, "the cells (rows × columns)")
    data = pd.DataFrame(
        {
            c: _cells([r.get(c) for r in rows]) if keep is None or keep(c) else [""] * len(rows)
            for c in columns
        },
        index=pd.Index(rownums, dtype="int64"),
        columns=columns,
        dtype=object,
    )
    malformed = {}
    for column in columns:
        if max(map(len, data[column]), default=0) <= lim.cell_chars:
            continue
        over = data[column].str.len() > lim.cell_chars
        for row in data.index[over]:
            malformed[int(row)] = (
                limits.echo(str(data.at[row, column])),
                limits.problem(name, "cell_chars", len(data.at[row, column]),
                               "the characters in a cell", row=int(row), column=column),
            )  # fmt: skip
    if malformed:
        data = data.drop(index=list(malformed))
    return Records(name, fmt, columns, data, encoding="utf-8", malformed=malformed,
                   choice_labels=choice_labels or {})  # fmt: skip


# --- Typeform -------------------------------------------------------------------------------


def _is_typeform(obj: dict) -> bool:
    return isinstance(obj.get("form_response"), dict)


def _typeform(name: str, objects: list[dict], rownums: list[int]) -> Records:
    rows, labels, columns, seen = [], {}, [], set()

    def column(key):
        if key not in seen:
            seen.add(key)
            columns.append(key)

    for number, obj in zip(rownums, objects, strict=True):
        response = obj["form_response"]
        definition = response.get("definition") or {}
        for item in definition.get("fields") or []:
            if not isinstance(item, dict):
                continue
            for choice in item.get("choices") or []:
                if isinstance(choice, dict) and choice.get("ref") is not None:
                    labels[(str(item.get("ref")), str(choice["ref"]))] = str(
                        choice.get("label", "")
                    )
        row: dict[str, object] = {}
        for key, value in (response.get("hidden") or {}).items():
            row[f"hidden.{key}"] = value
        row["token"] = response.get("token")
        row["submitted_at"] = response.get("submitted_at")
        for key in ("token", "submitted_at", *[k for k in row if k.startswith("hidden.")]):
            column(key)
        answers = response.get("answers")
        if not isinstance(answers, list):
            raise InputError(Problem.of(name, "a Typeform payload has no answers list",
                                        row=number, column="form_response.answers",
                                        expected="form_response.answers: a list"))  # fmt: skip
        for answer in answers:
            ref = (answer.get("field") or {}).get("ref") if isinstance(answer, dict) else None
            if ref is None:
                raise InputError(Problem.of(name, "a Typeform answer has no field ref",
                                            row=number, column="form_response.answers",
                                            value=limits.echo(_cell(answer)),
                                            expected="an answer with field.ref"))  # fmt: skip
            ref = str(ref)
            column(ref)
            row[ref] = _typeform_value(name, number, ref, answer)
        rows.append(row)
    return _records(name, TYPEFORM, columns, rows, rownums, labels)


def _typeform_value(name, number, ref, answer: dict):
    kind = answer.get("type")
    if kind == "choice":
        choice = answer.get("choice") or {}
        if choice.get("ref") is not None:
            return str(choice["ref"])
        if choice.get("other") is not None:
            return str(choice["other"])
        return choice.get("label")
    if kind == "choices":
        choices = answer.get("choices") or {}
        refs = choices.get("refs")
        items = [str(r) for r in refs] if isinstance(refs, list) else [
            str(lab) for lab in (choices.get("labels") or [])]  # fmt: skip
        if choices.get("other"):
            items.append(str(choices["other"]))
        return array_literal(items)
    if kind in answer:
        return answer[kind]
    raise InputError(Problem.of(
        name, Message("a Typeform answer of an unknown type {type}", type=str(kind)),
        row=number, column=ref, value=limits.echo(_cell(answer)),
        expected="choice, choices, text, number, boolean, email or date"))  # fmt: skip


# --- NEAR's Nos Gestes Climat payload ---------------------------------------------------------


def _ngc_payloads(name: str, objects: list[dict], rownums: list[int]) -> Records:
    rows, columns, seen = [], [], set()
    for number, obj in zip(rownums, objects, strict=True):
        results = obj.get("calculatedResults")
        if not isinstance(results, dict):
            raise InputError(Problem.of(name, "calculatedResults is not an object", row=number,
                                        column="calculatedResults",
                                        value=limits.echo(_cell(results)),
                                        expected="an object of NGC keys and numbers"))  # fmt: skip
        row: dict[str, object] = {}
        for key, value in obj.items():
            if key not in ("calculatedResults", "answers"):
                row[key] = value
        answers = obj.get("answers")
        user = answers.get("userAnswers") if isinstance(answers, dict) else None
        if isinstance(user, dict):
            for key, value in user.items():
                row[f"answers.{key}"] = value
        for key, value in results.items():
            row[str(key)] = value
        for key in row:
            if key not in seen:
                seen.add(key)
                columns.append(key)
        rows.append(row)
    return _records(name, NGC_WEBHOOK, columns, rows, rownums)
