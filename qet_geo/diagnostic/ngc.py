"""Import of Nos Gestes Climat (NGC) results (docs/diagnostic.md): the built-in schema
``near-ngc`` (the tree of QeT's carbon boards) and :func:`import_ngc`, for the three shapes
of :mod:`qet_geo.diagnostic.records`.

A node is read from its Metabase header ("Transportation Car"), its snake_case (a database
dump) or its NGC key (``transport . voiture``, a webhook's ``calculatedResults``), in kg
CO2e per year. The contract is the EMdV import's: a value that is not a number, or a
negative one, rejects its row with a problem naming the file, row, column and value.

NEAR's Metabase exports hold numbers turned into dates ("2155-03-31T22:00:00.000Z" for
2155, the display of a number column typed as a date): such a cell is read as missing,
then given back by the tree where the tree holds — a parent is the sum of its children on
every clean row of the export — as the parent minus the other children, or the sum of the
children; a cell the tree cannot give back stays missing. The report says how many of each.

The raw NGC answers of a respondent (``Answers``, the nested question objects) are read and
not kept; the SU link is read as the EMdV one: the SU id and "Know Su" of an export, the
``'SU 2'`` a webhook's ``services sociétaux . su . choix`` gives, or the six answers of
``services sociétaux . su . calcul su . question 1…6`` (NEAR's mapping).
"""

from __future__ import annotations

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
from .emdv import _link_columns, report_lines, snake
from .located import (
    AREA_CODES,
    LATITUDES,
    LONGITUDES,
    location_columns,
    location_note,
    read_location,
)
from .records import read_records
from .su_codes import HEADERS, NEAR_CODES, SU_VARIABLES, su_code_of

SCHEMAS = Path(__file__).with_name("schemas")
#: a number a Metabase export shows as a date
MANGLED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?$")
#: the tolerance of the tree's identity (relative, on every clean row)
TREE_TOLERANCE = 1e-6
#: NEAR's mapping of the SU questions of its NGC form (app-near, convertCarbonFootprintBody)
WEBHOOK_SU = {
    "meat_frequency": ("question 1", {"'faible'": 1, "'moyen'": 2, "'beaucoup'": 3}),
    "transportation_mode": ("question 2", {"'marche vélo trottinette'": 1,
                                           "'transports en commun'": 2, "'voiture'": 3}),
    "digital_intensity": ("question 3", {"'faible'": 1, "'moyen'": 2, "'beaucoup'": 3}),
    "purchasing_strategy": ("question 4", {"'priorité occasion'": 1, "'mélange'": 2,
                                           "'priorité neuf'": 3}),
    "air_travel_frequency": ("question 5", {"'faible'": 1, "'moyen'": 2, "'beaucoup'": 3}),
    "heat_source": ("question 6", {"'écologique'": 1, "'gaz'": 2, "'fioul'": 3}),
}  # fmt: skip
WEBHOOK_PREFIX = "answers.services sociétaux . "
#: the link columns of an export (Metabase header → what they give)
LINK_HEADERS = {
    "Su": "su",  # the code the respondent gave (its profile's number), as in the EMdV export
    "Su ID": "su_id",
    "Know Su": "know_su",
    "Distance To Barycenter": "distance_to_barycenter",
}
ID_HEADERS = ("ID", "id")


@dataclass(frozen=True)
class Node:
    key: str
    header: str
    label: str
    parent: str | None
    level: int

    @property
    def column(self) -> str:
        """The results' column of the node (the snake_case of its Metabase header)."""
        return snake(self.header)


@dataclass(frozen=True)
class NgcSchema:
    name: str
    title: str
    unit: str
    nodes: dict  # key → Node

    def node_list(self) -> list[dict]:
        """The nodes as the analyses take them (column, key, header, label, parent, level)."""
        return [{"column": n.column, "key": n.key, "header": n.header, "label": n.label,
                 "parent": n.parent, "level": n.level} for n in self.nodes.values()]  # fmt: skip

    def match(self, header: str) -> str | None:
        """The node of a column: its Metabase header or its snake_case (as the EMdV
        columns are matched), or its NGC key written exactly (``transport . voiture``)."""
        if header in self.nodes:
            return header
        return self._columns().get(normalise(header))

    def _columns(self) -> dict:
        out = {}
        for n in self.nodes.values():
            for name in (n.header, snake(n.header)):
                out[normalise(name)] = n.key
        return out

    def children(self, key: str) -> list[str]:
        return [n.key for n in self.nodes.values() if n.parent == key]


@cache
def load_ngc_schema(name: str = "near-ngc") -> NgcSchema:
    """The built-in NGC schema (``near-ngc``) or a schema file of the same form."""
    path = SCHEMAS / f"{name}.yaml" if name == "near-ngc" else Path(name)
    if not path.is_file():
        raise SchemaError(
            tr("unknown NGC schema {name!r}: expected near-ngc or a .yaml file", name=name)
        )
    try:
        data = limits.read_yaml(path)
    except InputError as exc:
        raise SchemaError(str(exc)) from exc
    nodes = {str(k): Node(str(k), str(v["header"]), str(v.get("label") or k),
                          None if v.get("parent") is None else str(v["parent"]), int(v.get("level", 0)))
             for k, v in data["nodes"].items()}  # fmt: skip
    return NgcSchema(str(data.get("name", name)), str(data.get("title", name)),
                     str(data.get("unit", "kg CO2e/an")), nodes)  # fmt: skip


@dataclass
class NgcReport:
    file: str
    format: str
    schema: str
    rows_read: int
    accepted: int
    rejected: int
    columns: dict
    missing_nodes: list
    mangled: dict = field(default_factory=dict)  # column → cells read as dates
    recovered: dict = field(default_factory=dict)  # column → cells given back by the tree
    notes: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"file": self.file, "format": self.format, "schema": self.schema,
                "rows_read": self.rows_read, "accepted": self.accepted, "rejected": self.rejected,
                "columns": self.columns, "missing_nodes": self.missing_nodes,
                "mangled": self.mangled, "recovered": self.recovered,
                "notes": [str(n) for n in self.notes],
                "problems": [p.to_dict() for p in self.problems]}  # fmt: skip

    def lines(self, max_problems: int = 20) -> list[str]:
        return report_lines(self, max_problems)


@dataclass
class NgcImport:
    """Result of :func:`import_ngc`: ``results`` (one row per accepted respondent: id, row,
    the link columns, one float column per node), ``rejects`` (rows as read, with
    ``reason``), ``report``."""

    results: pd.DataFrame
    rejects: pd.DataFrame
    report: NgcReport
    schema: NgcSchema
    private: pd.DataFrame | None = None

    def lines(self) -> list[str]:
        return self.report.lines()


def import_ngc(path, schema: str = "near-ngc", *, sheet=None) -> NgcImport:
    """Import NGC results (Metabase JSON/CSV, database dump or NEAR's webhook payloads)."""
    form = load_ngc_schema(schema)
    wanted = {snake(h) for h in (*LINK_HEADERS, *ID_HEADERS, *HEADERS.values())}
    wanted |= {*AREA_CODES, *LONGITUDES, *LATITUDES}  # where the respondent lives

    def keep(column: str) -> bool:  # the raw answers (nested objects) are not read
        return (form.match(column) is not None or snake(column) in wanted or column in ID_HEADERS
                or column.startswith(WEBHOOK_PREFIX))  # fmt: skip

    return decode(read_records(path, sheet=sheet, keep=keep), form)


def decode(table, form: NgcSchema) -> NgcImport:
    name = table.path
    data = table.data
    # exact names first (header, snake_case, NGC key); a name equal only once normalised
    # ("alimentation ", a raw answer's nested object) for a node not named exactly
    exact = {
        name: n.key for n in form.nodes.values() for name in (n.header, snake(n.header), n.key)
    }
    mapping = {c: exact[c] for c in table.columns if c in exact}
    for c in table.columns:
        key = form.match(c)
        if c not in mapping and key is not None and key not in mapping.values():
            mapping[c] = key
    if not mapping:
        raise InputError(Problem.of(
            name, "no column of the NGC results found",
            value=", ".join(limits.echo(c, 40) for c in table.columns[:8]),
            expected=Message("headers such as {a!r} or {b!r}", a="Global Note", b="Transportation")))  # fmt: skip
    seen: dict[str, str] = {}
    for column, key in mapping.items():
        if key in seen:
            raise InputError(Problem.of(name, Message("two columns are the same question {key}", key=key),
                                        column=column, value=seen[key], expected="one column per question"))  # fmt: skip
        seen[key] = column
    bad: dict[int, list[Problem]] = {}
    n = len(data)
    values = {}
    mangled: dict[str, np.ndarray] = {}
    for column, key in mapping.items():
        node = form.nodes[key]
        cells = data[column].to_numpy(dtype=object)
        # plain numbers at once; the other cells (a date, a decimal comma, a word) one by one
        out = pd.to_numeric(pd.Series(cells, dtype=object), errors="coerce").to_numpy(
            dtype=float, copy=True
        )
        hit = np.zeros(n, bool)
        for i in np.flatnonzero(~np.isfinite(out) | (out < 0)):
            row, text = data.index[i], "" if cells[i] is None else str(cells[i]).strip()
            out[i] = np.nan
            if not text or text.lower() in ("null", "none", "nan"):
                continue
            if MANGLED.match(text):
                hit[i] = True
                continue
            value = parse_number(text)
            if value is None or not np.isfinite(value):
                bad.setdefault(int(row), []).append(Problem.of(
                    name, "not a number", row=int(row), column=column, value=limits.echo(text),
                    expected="a number (kg CO2e per year)"))  # fmt: skip
                continue
            if value < 0:
                bad.setdefault(int(row), []).append(Problem.of(
                    name, "a negative footprint", row=int(row), column=column,
                    value=limits.echo(text), expected="a number ≥ 0 (kg CO2e per year)"))  # fmt: skip
                continue
            out[i] = value
        values[node.column] = out
        if hit.any():
            mangled[node.column] = hit
    where = location_columns(c for c in table.columns if c not in mapping)
    if where:
        home, wrong = read_location(data, where, name)
        located_note = location_note(wrong)
    link = _link(table, data, bad)
    ids = _ids(data)
    first: dict[str, int] = {}
    for row, rid in zip(data.index, ids, strict=True):
        if rid in first:
            bad.setdefault(int(row), []).append(Problem.of(
                name, Message("duplicate respondent id (first at row {first})", first=first[rid]),
                row=int(row), value=rid, expected="one answer per respondent"))  # fmt: skip
        else:
            first[rid] = int(row)
    keep = ~data.index.isin(list(bad))
    results = pd.DataFrame({"respondent_id": ids, "row": data.index.astype("int64")})
    _link_columns(results, link)
    if where:
        for column in home.columns:
            results[column] = home[column].to_numpy()
    for column, out in values.items():
        results[column] = out
    results = results[keep].reset_index(drop=True)
    mangled = {c: m[keep] for c, m in mangled.items()}
    recovered = _recover(results, form, mangled)
    rejects = table.data.loc[sorted(bad)].copy() if bad else table.data.iloc[0:0].copy()
    rejects = rejects.drop(
        columns=[c for c in rejects.columns if not (c in mapping or c in ID_HEADERS)]
    )
    rejects.insert(0, "row", rejects.index.astype("int64"))
    rejects["reason"] = ["; ".join(str(p.reason) for p in bad[r]) for r in sorted(bad)]
    notes = []
    total_mangled = sum(int(m.sum()) for m in mangled.values())
    if total_mangled:
        given = sum(recovered.values())
        notes.append(Message("{n} numbers shown as dates by the export read as missing, {given} given back "
                             "by the tree of the results (a parent is the sum of its children), {left} left missing",
                             n=total_mangled, given=given, left=total_mangled - given))  # fmt: skip
    if where and located_note is not None:
        notes.append(located_note)
    if any(c.startswith("answers.") or c in ("Answers",) for c in table.columns):
        notes.append(Message("the raw NGC answers are read and not kept"))
    report = NgcReport(name, table.format, form.name, table.rows_read, len(results),
                       table.rows_read - len(results), dict(mapping),
                       [k for k in form.nodes if k not in mapping.values()],
                       {c: int(m.sum()) for c, m in mangled.items()}, recovered, notes,
                       [p for r in sorted(bad) for p in bad[r]])  # fmt: skip
    return NgcImport(results, rejects.reset_index(drop=True), report, form)


def _recover(results: pd.DataFrame, form: NgcSchema, mangled: dict) -> dict:
    """Give back the mangled cells the tree holds (in place); per column, how many."""
    recovered: dict[str, int] = {}
    families = {}
    for node in form.nodes.values():
        kids = [form.nodes[k] for k in form.children(node.key)]
        if kids and node.column in results and all(k.column in results for k in kids):
            parent = results[node.column].to_numpy(float)
            children = np.column_stack([results[k.column].to_numpy(float) for k in kids])
            clean = np.isfinite(parent) & np.isfinite(children).all(axis=1)
            if clean.sum() >= 3:
                error = np.abs(parent[clean] - children[clean].sum(axis=1)) / np.maximum(
                    1.0, np.abs(parent[clean])
                )
                if error.max() <= TREE_TOLERANCE:
                    families[node.key] = (node, kids)
    for _ in range(3):  # a cell given back may let another be
        for node, kids in families.values():
            columns = [node.column] + [k.column for k in kids]
            block = np.column_stack([results[c].to_numpy(float) for c in columns])
            for i in np.flatnonzero(np.isnan(block).sum(axis=1) == 1):
                j = int(np.flatnonzero(np.isnan(block[i]))[0])
                column = columns[j]
                if column not in mangled or not mangled[column][i]:
                    continue
                if j == 0:
                    value = block[i, 1:].sum()
                else:
                    value = block[i, 0] - np.delete(block[i, 1:], j - 1).sum()
                if value < -TREE_TOLERANCE * max(1.0, abs(block[i, 0])):
                    continue
                results.loc[i, column] = max(value, 0.0)
                recovered[column] = recovered.get(column, 0) + 1
    return recovered


def _ids(data: pd.DataFrame) -> list[str]:
    for header in ID_HEADERS:
        if header in data.columns:
            return [
                str(v).strip() or f"#{row}" for row, v in zip(data.index, data[header], strict=True)
            ]
    return [f"#{row}" for row in data.index]


def _link(table, data: pd.DataFrame, bad: dict) -> dict:
    """The link columns as :func:`qet_geo.diagnostic.emdv._link_columns` takes them; a code
    that is not one adds its row's problem to ``bad``."""
    n = len(data)
    out: dict[str, list] = {}
    columns = {snake(c): c for c in data.columns}
    for header, name in LINK_HEADERS.items():
        column = columns.get(snake(header))
        if column is not None:
            cells = [str(v).strip() for v in data[column]]
            if name == "know_su":
                out[name] = [
                    None if not v else ("true" if v.lower() in ("true", "1", "oui") else "false")
                    for v in cells
                ]
            elif name == "su_id":
                out[name] = [int(float(v)) if parse_number(v) is not None else None for v in cells]
            elif name == "su":  # "2", or "SU 2" as NEAR's form shows it
                codes = []
                for row, v in zip(data.index, cells, strict=True):
                    code = su_code_of(v)
                    if code is None and v.lower() not in ("", "none", "null", "nan"):
                        bad.setdefault(int(row), []).append(Problem.of(
                            table.path, "not an SU code", row=int(row), column=column,
                            value=limits.echo(v), expected="the profile's number (2, or SU 2)"))  # fmt: skip
                    codes.append(code)
                out[name] = codes
            else:
                out[name] = [parse_number(v) for v in cells]
    for variable in SU_VARIABLES:
        column = columns.get(snake(HEADERS[variable]))
        if column is not None:
            out[variable] = [NEAR_CODES[variable].get(str(v).strip()) for v in data[column]]
    # NEAR's webhook
    choice = data.get(WEBHOOK_PREFIX + "su . choix")
    if choice is not None:
        codes = []
        for v in choice:
            found = re.fullmatch(r"'?SU\s*(\d+)'?", str(v).strip())
            codes.append(int(found.group(1)) if found else None)
        out["su"] = codes
    know = data.get(WEBHOOK_PREFIX + "connaissance su")
    if know is not None:
        out["know_su"] = [
            None if not str(v).strip() else ("true" if str(v).strip() == "oui" else "false")
            for v in know
        ]
    for variable, (question, codes) in WEBHOOK_SU.items():
        column = data.get(WEBHOOK_PREFIX + "su . calcul su . " + question)
        if column is not None:
            out[variable] = [codes.get(str(v).strip()) for v in column]
    for key in list(out):
        if len(out[key]) != n:  # pragma: no cover - a column of the frame has its length
            del out[key]
    return out
