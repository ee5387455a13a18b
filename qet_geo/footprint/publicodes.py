"""Vectorised evaluator of the Nos Gestes Climat publicodes model ([NGC-model]).

Mirrors publicodes 1.10.3 evaluating ``@incubateur-ademe/nosgestesclimat`` 4.10.2 (the
rules of ``data/ngc-model.json``) for a whole batch of respondents at once: every node of
the model is evaluated once per batch on numpy arrays (one row per distinct situation),
with publicodes' three states per row kept apart — a value, *non applicable* (``null``)
and *undefined* (missing) — and with its units and conversions.

    model = load_model()
    values = evaluate(model, situations)            # DataFrame, one float column per root
    problems = check_situation(model, situation)    # [(rule, value, message), ...]

Situations use the NGC syntax: choices carry inner quotes (``"'propriétaire'"``), booleans
are ``"oui"``/``"non"``, numbers are in the rule's unit. Unanswered questions take the
model's defaults (gate questions such as ``transport . voiture . utilisateur`` left
unanswered give the French average, as NGC does). As in publicodes, a choice outside the
possibilities is kept (the terms testing it then match no branch and count 0) and numbers
outside plancher/plafond are clamped; ``check_situation`` reports both.

How it mirrors publicodes (``tools/ngc/node_modules/publicodes/dist/index.js``):

* parsing (``_parse.py``): the expression grammar, reference disambiguation, the chained
  mechanisms in publicodes' order (contexte, avec, applicable si, non applicable si,
  arrondi, unité, plancher, plafond, par défaut, situation), ``remplace`` inlined, and the
  node types (nullable / boolean) that decide which parent can disable a rule;
* evaluation is lazy per row as in publicodes: a branch, the right operand of a
  short-circuiting operation or a contexte is evaluated only for the rows reaching it;
  values are memoised per node with the rows already computed;
* ``contexte`` runs a sub-evaluator whose situation has the replaced rules; the rules that
  do not depend on them are taken from the outer evaluator; re-entering a contexte with the
  same amended situation gives *non applicable* (publicodes' guard, which NGC's average
  footprints rely on); nesting deeper than ``MAX_CONTEXTE_DEPTH`` is cut (never reached
  by a row publicodes evaluates);
* units (``_units.py``): publicodes' conversion table, conversions at ``unité`` and in
  ``+``, ``-``, comparisons and ``variations``, ``%`` in products and additions.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ._parse import Node, Parser, parse_expression
from ._units import UnitError, conversion_factor, infer_unit, serialize_unit, simplify_unit

DATA = Path(__file__).with_name("data") / "ngc-model.json"

__all__ = ["Model", "load_model", "evaluate", "check_situation", "ROOTS"]

ROOTS = (
    "alimentation",
    "transport . avion",
    "transport . voiture",
    "transport . deux roues",
    "transport . mobilité douce",
    "transport . transports commun",
    "transport . train",
    "divers . textile",
    "divers . électroménager",
    "divers . ameublement",
    "divers . numérique",
)

# ---------------------------------------------------------------- model


class Model:
    """The parsed NGC rules, their types (nullable / boolean, as publicodes infers them)."""

    def __init__(self, data: dict):
        self.model_version = data.get("model_version")
        self.publicodes_version = data.get("publicodes_version")
        self.roots = tuple(data.get("roots") or ROOTS)
        # the action rules extracted with the roots (qet_geo/footprint/actions.py)
        self.actions = tuple(data.get("actions") or ())
        self.raw = data["rules"]
        parser = Parser(self.raw)
        self.rules: dict[str, Node] = parser.rules
        self.possibilities = parser.possibilities
        # rules the roots reference but the extracted file lacks (or has without formula)
        self.incomplete = {name.split(" . ", 1)[1] for name in parser.missing}
        for ref in parser.refs:
            raw = self.raw.get(ref.name)
            if isinstance(raw, dict) and raw.get("parent seulement"):
                self.incomplete.add(ref.name)
        self._types: dict[int, tuple] = {}
        for rule in list(self.rules.values()):
            self.node_type(rule)
        # rules each rule reads (references anywhere in its formula, its disabling parent)
        self.users: dict[str, set] = {}
        for name, rule in self.rules.items():
            for dep in _references(rule.a):
                self.users.setdefault(dep, set()).add(name)
        # first parent of each rule that can disable it (publicodes' "nullable parent")
        self.disabling_parent: dict[str, str | None] = {}
        for name, rule in self.rules.items():
            parent = None
            for p in rule.extra:
                t = self.node_type(self.rules[p]) if p in self.rules else (None, None)
                if t[0] or t[1] == "boolean":
                    parent = p
                    break
            self.disabling_parent[name] = parent
            if parent is not None:
                self.users.setdefault(parent, set()).add(name)
        self._affected: dict = {}

    def closure(self, names) -> frozenset:
        """The rules ``names`` read, directly or not, with their ancestors (``names`` too)."""
        seen: set = set()
        todo = list(names)
        while todo:
            name = todo.pop()
            if name in seen or name not in self.rules:
                continue
            seen.add(name)
            todo.extend(_references(self.rules[name].a))
            parts = name.split(" . ")
            todo.extend(" . ".join(parts[:i]) for i in range(1, len(parts)))
        return frozenset(seen)

    def affected_by(self, amended) -> frozenset:
        """Rules whose value may change when the rules ``amended`` change (contexte)."""
        key = frozenset(amended)
        got = self._affected.get(key)
        if got is None:
            seen = set(key)
            todo = list(key)
            while todo:
                for user in self.users.get(todo.pop(), ()):
                    if user not in seen:
                        seen.add(user)
                        todo.append(user)
            got = self._affected[key] = frozenset(seen)
        return got

    # publicodes' inferNodesTypes: (isNullable, type)
    def node_type(self, node):
        if node is None or not isinstance(node, Node):
            return (None, None)
        key = id(node)
        if key in self._types:
            return self._types[key]
        self._types[key] = (None, None)
        t = self._infer(node)
        self._types[key] = t
        return t

    def _infer(self, n):
        T = self.node_type
        k = n.kind
        if k == "grille":
            return (False, "number")
        if k in ("nondef", "nonapp"):
            return (False, "boolean")
        if k == "const":
            return (bool(n.extra), n.type)
        if k == "op":
            o = n.name
            if o in ("<", "<=", ">", ">=", "/", "*"):
                nullable = bool(T(n.a)[0] or T(n.b)[0])
            elif o == "-":
                nullable = T(n.a)[0]
            else:
                nullable = False
            typ = "boolean" if o in ("<", "<=", ">", ">=", "=", "!=", "et", "ou") else "number"
            return (nullable, typ)
        if k == "arrondi" or k == "unite":
            return (T(n.a)[0], "number")
        if k == "contexte":
            return T(n.a)
        if k == "possibilities":
            if n.type == "reference":
                return (False, "string")  # references to sub-rules that are never non applicable
            return (False, n.type)
        if k == "rule":
            ti = T(n.a)
            if n.b is not None:
                tp = T(n.b)
                return (bool(ti[0] or tp[0]), tp[1])
            if ti[1] is not None:
                return ti
            raw = n.value or {}
            typ = {"nombre": "number", "texte": "string", "date": "date", "booléen": "boolean"}.get(
                raw.get("type")
            )
            if not typ and raw.get("question"):
                typ = "boolean"
            return (ti[0], typ)
        if k == "cond":
            ts = [T(n.a), T(n.b), T(n.c)]
            return (any(t[0] for t in ts), ts[1][1] if ts[1][1] is not None else ts[2][1])
        if k == "variations":
            ts = [T(c) for _, c in n.a]
            return (any(t[0] for t in ts), next((t[1] for t in ts if t[1] is not None), None))
        if k == "ref":
            return T(self.rules[n.name])
        if k == "situation":
            return (False, None)
        if k == "minmax":
            return (False, "number")
        return (None, None)


def _references(node, out=None, seen=None):
    """Names of the rules referenced in a node tree."""
    if out is None:
        out, seen = set(), set()
    if not isinstance(node, Node) or id(node) in seen:
        return out
    seen.add(id(node))
    if node.kind == "ref":
        out.add(node.name)
    for child in (node.a, node.b, node.c):
        if isinstance(child, Node):
            _references(child, out, seen)
        elif isinstance(child, list):
            for item in child:
                for x in item if isinstance(item, tuple) else (item,):
                    _references(x, out, seen)
    return out


@functools.lru_cache(maxsize=4)
def _load(path: str) -> Model:
    with open(path, encoding="utf-8") as f:
        return Model(json.load(f))


def load_model(path: str | Path | None = None) -> Model:
    """The NGC model of ``data/ngc-model.json`` (parsed once, cached)."""
    return _load(str(path or DATA))


# ---------------------------------------------------------------- values

NUM, BOOL, STR = "number", "boolean", "string"

_STRINGS: dict[str, float] = {}
_STRING_LIST: list[str] = []


def _code(s: str) -> float:
    c = _STRINGS.get(s)
    if c is None:
        c = float(len(_STRING_LIST))
        _STRINGS[s] = c
        _STRING_LIST.append(s)
    return c


_F = np.bool_(False)
_T = np.bool_(True)


class V:
    """Value of a node for the batch: ``v`` (float64; booleans 0/1; strings as codes),
    ``null`` (non applicable) and ``undef`` (undefined) masks, ``kind`` and ``unit``.
    Arrays are of shape () when the value is the same for every row."""

    __slots__ = ("v", "null", "undef", "kind", "unit")

    def __init__(self, v, null=_F, undef=_F, kind=None, unit=None):
        self.v = v
        self.null = null
        self.undef = undef
        self.kind = kind
        self.unit = unit

    def valued(self):
        return ~(self.null | self.undef)


UNDEF = V(np.float64(0.0), _F, _T, None)
NULL = V(np.float64(0.0), _T, _F, None)


def _kind(*vals):
    kinds = {x.kind for x in vals if x.kind is not None}
    if len(kinds) > 1:
        # mixed kinds in one node: keep the first (values of other kinds compare unequal)
        return vals[0].kind if vals[0].kind is not None else kinds.pop()
    return kinds.pop() if kinds else None


def _sel(mask, a, b):
    """np.where(mask, a, b) avoiding work for equal scalars and boolean scalars."""
    if np.ndim(a) == 0 and np.ndim(b) == 0:
        if a == b:
            return a
        if a.dtype == bool:
            return mask.copy() if bool(a) else ~mask
    return np.where(mask, a, b)


def _where(mask, a: V, b: V) -> V:
    """Row-wise selection: ``a`` where mask, else ``b``."""
    if np.ndim(mask) == 0:
        return a if bool(mask) else b
    if a is b:
        return a
    return V(
        _sel(mask, a.v, b.v),
        _sel(mask, a.null, b.null),
        _sel(mask, a.undef, b.undef),
        _kind(a, b),
        a.unit if a.unit is not None else b.unit,
    )


def _scalar_bool(x):
    return np.bool_(x)


def _convert(val: V, to) -> V:
    """convertNodeToUnit: value converted into unit ``to`` (identity without a source unit)."""
    if val.unit is None or to is None or val.kind not in (NUM, None):
        return V(val.v, val.null, val.undef, val.kind, to if to is not None else val.unit)
    f = conversion_factor(val.unit, to)
    if f == 1.0:
        return V(val.v, val.null, val.undef, val.kind, to)
    return V(val.v * f, val.null, val.undef, val.kind, to)


class CycleWarning(UserWarning):
    pass


# ---------------------------------------------------------------- evaluator


class Evaluator:
    """Evaluation of the model for one batch (``situation``: rule -> V).

    ``ev(node, rows)`` evaluates a node for the rows of the boolean mask ``rows`` (``None``:
    every row) as publicodes evaluates it lazily: a branch, the right operand of a
    short-circuiting operation or a contexte is only evaluated for the rows that reach it.
    Values are memoised per node with the mask of the rows already computed."""

    def __init__(
        self,
        model: Model,
        situation: dict,
        n: int,
        contexte_guard=None,
        depth=0,
        parent=None,
        affected=None,
    ):
        self.parent = parent
        self.affected = affected  # rules this sub-engine must evaluate itself
        self.model = model
        self.situation = situation
        self.n = n
        self.memo: dict = {}
        self.stack: list[str] = []
        self.parent_stack: list[str] = []
        self.subs: dict = {}
        self.contexte_guard = contexte_guard  # (contexte key, amended masks) of this sub-engine
        self.warnings: list[str] = []
        self._na_stack: set = set()
        self.depth = depth
        # rules whose value varies between rows (they read the situation): the others are
        # evaluated once for every row
        self.varying = model.affected_by(situation.keys())

    def rule(self, name: str) -> V:
        return self.ev(self.model.rules[name], None)

    # -- memoised evaluation on a subset of rows
    def _memo(self, key, rows, compute):
        ent = self.memo.get(key)
        if ent is not None:
            val, done = ent
            if done is None:
                return val
            missing = ~done if rows is None else (rows & ~done)
            if not missing.any():
                return val
            new = compute(missing)
            merged = _merge(missing, new, val, self.n)
            done = done | missing
            self.memo[key] = (merged, None if done.all() else done)
            return merged
        val = compute(rows)
        self.memo[key] = (val, rows)
        return val

    def ev(self, node: Node, rows) -> V:
        if rows is not None and not rows.any():
            return UNDEF
        return self._memo(id(node), rows, lambda r: getattr(self, "_" + node.kind)(node, r))

    # -- leaves
    def _const(self, n, rows):
        if n.value is None:
            return NULL if n.extra else UNDEF
        if n.type == NUM:
            return V(np.float64(n.value), _F, _F, NUM, n.unit)
        if n.type == BOOL:
            return V(np.float64(1.0 if n.value else 0.0), _F, _F, BOOL)
        if n.type == STR:
            return V(np.float64(_code(n.value)), _F, _F, STR)
        raise NotImplementedError(f"constant of type {n.type}")

    def _situation(self, n, rows):
        return self.situation.get(n.name, UNDEF)

    def _possibilities(self, n, rows):
        return UNDEF

    def _ref(self, n, rows):
        return self.ev(self.model.rules[n.name], rows)

    # -- rules
    def _disabled(self, rule: Node, rows):
        """Row mask of the rule being disabled by its first nullable / boolean parent."""
        parent = self.model.disabling_parent.get(rule.name)
        if parent is None:
            return _F
        prule = self.model.rules[parent]
        nullable, typ = self.model.node_type(prule)
        disabled = _F
        if rule.name not in self.parent_stack:
            self.parent_stack.insert(0, rule.name)
            try:
                na = FALSE_V
                if nullable:
                    na = self.not_applicable(prule, rows)
                if typ == BOOL:
                    not_true = _and(rows, ~_true(na))
                    if _any(not_true):
                        pv = self.ev(prule, not_true)
                        eq_false = _eq_values(pv, FALSE_V)
                        na = _where(not_true, eq_false, na)
            finally:
                self.parent_stack.pop(0)
            disabled = _true(na)
        if typ == BOOL:
            pv = self.ev(prule, _and(rows, ~disabled))
            disabled = disabled | (pv.valued() & (pv.v == 0.0) & (pv.kind == BOOL))
        return disabled

    def _rule(self, n, rows):
        if self.parent is not None and n.name not in self.affected:
            return self.parent.ev(n, rows)  # same value as outside the contexte
        if n.name not in self.varying:
            rows = None
        disabled = self._disabled(n, rows)
        if np.ndim(disabled) == 0 and bool(disabled):
            return NULL
        if self.stack.count(n.name) > 1:
            self.warnings.append(f"cycle: {n.name}")
            return UNDEF
        self.stack.insert(0, n.name)
        try:
            val = self.ev(n.a, _and(rows, ~disabled))
        finally:
            self.stack.pop(0)
        if np.ndim(disabled) == 0:
            return val
        return _where(disabled, NULL, val)

    # -- est non applicable
    def not_applicable(self, node: Node, rows) -> V:
        """publicodes' ``est non applicable`` (boolean V, possibly undefined)."""
        if rows is not None and not rows.any():
            return UNDEF
        key = ("nonapp", id(node))
        if key in self._na_stack:
            # re-entered (publicodes would have a cached value here): fall back on the value
            val = self.ev(node, rows)
            return V(np.asarray(val.null, dtype=np.float64), _F, val.undef & ~val.null, BOOL)
        self._na_stack.add(key)
        try:
            return self._memo(key, rows, lambda r: self._not_applicable(node, r))
        finally:
            self._na_stack.discard(key)

    def _not_applicable(self, node, rows):
        nullable = self.model.node_type(node)[0]
        if nullable is False and node.kind not in ("rule", "ref"):
            return FALSE_V
        ent = self.memo.get(id(node))
        if ent is not None and (
            ent[1] is None or (rows is not None and not (rows & ~ent[1]).any())
        ):
            cached = ent[0]
            return V(np.asarray(cached.null, dtype=np.float64), _F, _F, BOOL)
        if node.kind == "rule":
            disabled = self._disabled(node, rows)
            if np.ndim(disabled) == 0 and bool(disabled):
                return TRUE_V
            inner = self.not_applicable(node.a, _and(rows, ~disabled))
            if np.ndim(disabled) == 0:
                return inner
            return _where(disabled, TRUE_V, inner)
        if node.kind == "ref":
            return self.not_applicable(self.model.rules[node.name], rows)
        if node.kind == "cond":
            return self._cond_values(
                self.ev(node.a, rows),
                rows,
                lambda r: self.not_applicable(node.b, r),
                lambda r: self.not_applicable(node.c, r),
            )
        val = self.ev(node, rows)
        return V(np.asarray(val.null, dtype=np.float64), _F, val.undef & ~val.null, BOOL)

    def _nonapp(self, n, rows):
        return self.not_applicable(n.a, rows)

    def _nondef(self, n, rows):
        val = self.ev(n.a, rows)
        return V(np.asarray(val.undef, dtype=np.float64), _F, _F, BOOL)

    # -- conditions
    def _cond(self, n, rows):
        return self._cond_values(
            self.ev(n.a, rows), rows, lambda r: self.ev(n.b, r), lambda r: self.ev(n.c, r)
        )

    def _cond_values(self, c: V, rows, alors, sinon) -> V:
        true = c.valued() & (c.v != 0.0)
        if np.ndim(true) == 0 and np.ndim(c.undef) == 0 and np.ndim(c.null) == 0:
            if c.null:
                return NULL
            if c.undef:
                a, b = alors(rows), sinon(rows)  # both evaluated by publicodes
                return V(
                    np.float64(0.0), _F, _T, _kind(a, b), a.unit if a.unit is not None else b.unit
                )
            return alors(rows) if bool(true) else sinon(rows)
        false = c.valued() & (c.v == 0.0)
        a = alors(_and(rows, true | c.undef))
        b = sinon(_and(rows, false | c.undef))
        unit = a.unit if a.unit is not None else b.unit
        out = _where(true, a, b)
        out = V(
            out.v,
            np.where(c.null, True, out.null),
            np.where(c.null, False, np.where(c.undef, True, out.undef)),
            out.kind,
            unit,
        )
        return out

    def _variations(self, n, rows):
        s_false = rows if rows is not None else _T  # rows with no branch taken yet
        result = NULL
        unit = None
        for cond_node, cons_node in n.a:
            if not _any(s_false):
                break
            c = self.ev(cond_node, None if np.ndim(s_false) == 0 else s_false)
            c_true = c.valued() & ((c.v != 0.0) | (c.kind != BOOL))
            take = s_false & c_true
            to_undef = s_false & c.undef
            need = take | to_undef
            if not _any(need):
                continue
            cons = self.ev(cons_node, None if np.ndim(need) == 0 else need)
            if unit is None:
                unit = cons.unit
            elif cons.unit is not None and cons.unit != unit:
                try:
                    cons = _convert(cons, unit)
                except UnitError:
                    self.warnings.append("variations: incompatible units")
            result = _where(take, cons, result)
            if _any(to_undef):
                result = V(
                    result.v,
                    np.where(to_undef, False, result.null),
                    np.where(to_undef, True, result.undef),
                    result.kind,
                    result.unit,
                )
            s_false = s_false & ~need
        if unit is not None and result.unit != unit:
            result = V(result.v, result.null, result.undef, result.kind, unit)
        return result

    # -- operations
    def _op(self, n, rows):
        o = n.name
        a = self.ev(n.a, rows)
        if o in ("et", "ou"):
            at = a.valued() & (a.v != 0.0)
            if o == "et":
                af = a.null | (a.valued() & (a.v == 0.0))
                b = self.ev(n.b, _and(rows, ~af)) if not _all_true(af) else FALSE_V
                bt = b.valued() & (b.v != 0.0)
                bf = b.null | (b.valued() & (b.v == 0.0))
                false = af | bf
                undef = ~false & (a.undef | b.undef)
                return V(np.asarray(at & bt, dtype=np.float64), _F, undef, BOOL)
            b = self.ev(n.b, _and(rows, ~at)) if not _all_true(at) else FALSE_V
            bt = b.valued() & (b.v != 0.0)
            true = at | bt
            undef = ~true & (a.undef | b.undef)
            return V(np.asarray(true, dtype=np.float64), _F, undef, BOOL)
        if o in ("=", "!="):
            b = self.ev(n.b, rows)
            a2, b2 = self._unit_align(a, b, o)
            r = _eq_values(a2, b2)
            if o == "!=":
                r = V(1.0 - r.v, _F, r.undef, BOOL)
            return r
        if o in ("+", "-"):
            b = self.ev(n.b, _and(rows, ~a.null)) if o == "-" else self.ev(n.b, rows)
            pct = (
                b.unit is not None
                and serialize_unit(b.unit) == "%"
                and serialize_unit(a.unit) != "%"
            )
            if not pct:
                a, b = self._unit_align(a, b, o)
            av = _zero_null(a)
            bv = _zero_null(b)
            with np.errstate(all="ignore"):
                if pct:
                    v = av * (1 + bv / 100 * (-1 if o == "-" else 1))
                    unit = infer_unit("*", infer_unit("*", a.unit, b.unit), ((), ("%",)))
                else:
                    v = av + bv if o == "+" else av - bv
                    unit = infer_unit(o, a.unit, b.unit)
            undef = a.undef | b.undef
            null = _F
            if o == "-":
                null = a.null  # node1 null short-circuits (before node2 is looked at)
                undef = undef & ~a.null
            return V(v, null, undef, NUM, unit)
        if o in ("*", "/", "//", "**"):
            a_null = a.null if o != "**" else _F
            a_zero = (a.valued() & (a.v == 0.0)) if (o in ("*", "/") and a.kind == NUM) else _F
            first = a_null | a_zero
            b = self.ev(n.b, _and(rows, ~first)) if not _all_true(first) else UNDEF
            b_null = b.null if o != "**" else _F
            b_zero = (b.valued() & (b.v == 0.0)) if (o == "*" and b.kind == NUM) else _F
            with np.errstate(all="ignore"):
                if o == "*":
                    v = a.v * b.v
                elif o == "/":
                    v = a.v / b.v
                elif o == "//":
                    v = (a.v - np.fmod(a.v, b.v)) / b.v
                else:
                    v = a.v**b.v
            unit = infer_unit("/" if o in ("/", "//") else "*", a.unit, b.unit)
            second = ~first & (b_null | b_zero)
            null = a_null | (~first & b_null)
            zero = (a_zero & ~a_null) | (~first & ~b_null & b_zero)
            undef = ~first & ~second & (a.undef | b.undef)
            if o == "*" and unit is not None and "%" in unit[0]:
                v = v / 100
                unit = infer_unit("*", unit, ((), ("%",)))
            if np.ndim(zero) == 0:
                if bool(zero):
                    v = np.float64(0.0)
            elif zero.any():
                v = np.where(zero, 0.0, v)
            return V(v, null, undef, NUM, unit)
        # comparisons
        b = self.ev(n.b, _and(rows, ~a.null)) if not _all_true(a.null) else NULL
        a, b = self._unit_align(a, b, o)
        null = a.null | b.null
        undef = ~null & (a.undef | b.undef)
        with np.errstate(all="ignore"):
            if o == "<":
                r = a.v < b.v
            elif o == "<=":
                r = a.v <= b.v
            elif o == ">":
                r = a.v > b.v
            else:
                r = a.v >= b.v
        return V(np.asarray(r, dtype=np.float64), null, undef, BOOL)

    def _unit_align(self, a: V, b: V, o):
        try:
            if a.unit is not None and b.unit is not None:
                b = _convert(b, a.unit)
            elif b.unit is not None:
                a = _convert(a, b.unit)
        except UnitError:
            self.warnings.append(f"unit mismatch in {o}")
        return a, b

    # -- units, rounding
    def _unite(self, n, rows):
        val = self.ev(n.a, rows)
        out = val
        if val.unit is not None and val.kind in (NUM, None):
            try:
                f = conversion_factor(val.unit, n.unit)
                if f != 1.0:
                    out = V(val.v * f, val.null, val.undef, val.kind, n.unit)
            except UnitError:
                self.warnings.append("explicit unit conversion error")
        return V(out.v, out.null, out.undef, out.kind, n.unit)

    def _arrondi(self, n, rows):
        val = self.ev(n.a, rows)
        if val.unit is not None:
            with contextlib.suppress(UnitError):
                val = _convert(val, simplify_unit(val.unit))
        r = self.ev(n.b, rows)
        if val.kind != NUM:
            return val
        if r.kind == NUM:
            d = r.v
        elif r.kind == BOOL:
            d = np.where(r.v != 0.0, 0.0, np.nan)
        else:
            return val
        scale = 10.0 ** np.where(np.isnan(d), 0.0, d)
        rounded = np.floor((val.v + np.finfo(float).eps) * scale + 0.5) / scale
        v = np.where(np.isnan(d), val.v, rounded)
        return V(v, val.null, val.undef | r.undef, NUM, val.unit)

    def _minmax(self, n, rows):
        vals = [self.ev(x, rows) for x in n.a]
        out = vals[0]
        f = np.maximum if n.name == "le maximum de" else np.minimum
        for x in vals[1:]:
            out = V(f(out.v, x.v), out.null & x.null, out.undef | x.undef, NUM, out.unit or x.unit)
        return out

    def _grille(self, n, rows):
        assiette = self.ev(n.a, rows)
        mult = self.ev(n.b, rows)
        result = None
        done = _F
        for montant_node, plafond_node in n.c:
            montant = self.ev(montant_node, rows)
            if plafond_node is None:
                active = ~done
            else:
                plafond = self.ev(plafond_node, rows)
                active = ~done & (assiette.v < plafond.v * mult.v)
            result = montant if result is None else _where(active, montant, result)
            done = done | active
        return V(
            result.v, result.null | assiette.null, result.undef | assiette.undef, NUM, result.unit
        )

    # -- contexte
    def _contexte(self, n, rows):
        if self.depth >= MAX_CONTEXTE_DEPTH:
            self.warnings.append("contexte nesting cut")
            return UNDEF
        amended = {}
        for origin, replacement in n.b:
            o = self.ev(origin, rows)
            r = self.ev(replacement, rows)
            amended[origin.name] = (r, _differs(o, r))
        key = n.value
        masks = {name: m for name, (_, m) in amended.items()}
        guard = self.contexte_guard
        if guard is not None:
            # publicodes returns "non applicable" when a contexte is evaluated inside a
            # sub-engine whose amended situation is the same (e.g. the NGC average
            # footprints whose formulas lead back to themselves)
            g_key, g_masks = guard
            same = _none(masks) & _none(g_masks)
            if g_key == key:
                eq = _T
                for name in masks:
                    eq = eq & (masks[name] == g_masks[name])
                same = same | eq
            if np.ndim(same) == 0:
                if bool(same):
                    return NULL
            elif _all_true(_or_not(rows, same)):
                return NULL
            else:
                sub_rows = _and(rows, ~same)
                sub_val = self._sub(key, amended, sub_rows).ev(n.a, sub_rows)
                return _where(same, NULL, sub_val)
        return self._sub(key, amended, rows).ev(n.a, rows)

    def _sub(self, key, amended, rows):
        sub = self.subs.get(key)
        if sub is None:
            situation = dict(self.situation)
            masks = {}
            for name, (r, m) in amended.items():
                situation[name] = r
                masks[name] = m
            affected = self.model.affected_by(amended)
            sub = Evaluator(
                self.model,
                situation,
                self.n,
                (key, masks),
                self.depth + 1,
                parent=self,
                affected=affected,
            )
            self.subs[key] = sub
        else:
            # the replacements were evaluated for these rows only: update the sub-engine
            masks = sub.contexte_guard[1]
            for name, (r, m) in amended.items():
                if rows is None:
                    sub.situation[name] = r
                    masks[name] = m
                else:
                    sub.situation[name] = _where(rows, r, sub.situation.get(name, UNDEF))
                    masks[name] = np.where(rows, m, masks[name])
        return sub


FALSE_V = V(np.float64(0.0), _F, _F, BOOL)
TRUE_V = V(np.float64(1.0), _F, _F, BOOL)
MAX_CONTEXTE_DEPTH = 6
_KCODE = {None: 0, BOOL: 1, NUM: 2, STR: 3}


def _and(rows, mask):
    """Rows (None = all) restricted to ``mask``."""
    if np.ndim(mask) == 0:
        if bool(mask):
            return rows
        return np.zeros(1, dtype=bool) if rows is None else np.zeros_like(rows)
    return mask if rows is None else rows & mask


def _or_not(rows, mask):
    return mask if rows is None else (~rows | mask)


def _any(mask):
    return bool(mask) if np.ndim(mask) == 0 else bool(mask.any())


def _all_true(mask):
    return bool(mask) if np.ndim(mask) == 0 else bool(mask.all())


def _true(val: V):
    return val.valued() & (val.v != 0.0)


def _zero_null(val: V):
    if np.ndim(val.null) == 0:
        return np.float64(0.0) if bool(val.null) else val.v
    return np.where(val.null, 0.0, val.v) if val.null.any() else val.v


def _eq_values(a: V, b: V) -> V:
    """(a ?? false) === (b ?? false), undefined when either is undefined."""
    ka, kb = _KCODE[a.kind], _KCODE[b.kind]
    va, vb = a.v, b.v
    if np.ndim(a.null) or bool(a.null):
        ka = np.where(a.null, _KCODE[BOOL], ka)
        va = np.where(a.null, 0.0, va)
    if np.ndim(b.null) or bool(b.null):
        kb = np.where(b.null, _KCODE[BOOL], kb)
        vb = np.where(b.null, 0.0, vb)
    eq = (va == vb) & (ka == kb)
    return V(np.asarray(eq, dtype=np.float64), _F, a.undef | b.undef, BOOL)


def _merge(mask, new: V, old: V, n) -> V:
    out = _where(mask, new, old)
    return out


def _none(masks):
    out = _T
    for m in masks.values():
        out = out & ~m
    return out


def _differs(o: V, r: V):
    """Rows where the contexte replacement differs from the rule's current value."""
    same_state = (o.null == r.null) & (o.undef == r.undef)
    both_valued = o.valued() & r.valued()
    same_value = np.where(both_valued, o.v == r.v, True)
    unit_same = serialize_unit(o.unit) == serialize_unit(r.unit)
    return ~(same_state & same_value) | (not unit_same)


# ---------------------------------------------------------------- situations


def _parse_situation_value(model: Model, rule: str, raw):
    """A situation cell -> (kind, float value) or None when unanswered/invalid."""
    if raw is None:
        return None
    if isinstance(raw, float) and math.isnan(raw):
        return None
    if isinstance(raw, (bool, np.bool_)):
        return (BOOL, 1.0 if raw else 0.0)
    if isinstance(raw, (int, float, np.integer, np.floating)):
        return (NUM, float(raw))
    text = str(raw).strip()
    if text == "":
        return None
    try:
        tree = parse_expression(text)
    except Exception:
        return ("invalid", text)
    if "constant" in tree:
        c = tree["constant"]
        if c["type"] == "number":
            return (NUM, float(c["nodeValue"]))
        if c["type"] == "boolean":
            return (BOOL, 1.0 if c["nodeValue"] else 0.0)
        if c["type"] == "string":
            return (STR, c["nodeValue"])
    if "-" in tree and "constant" in tree["-"][1] and tree["-"][1]["constant"]["type"] == "number":
        return (NUM, -float(tree["-"][1]["constant"]["nodeValue"]))
    return ("invalid", text)


def _valid_choice(model: Model, rule: str, kind, value) -> bool:
    poss = model.possibilities.get(rule)
    if poss is None:
        return True
    ptype, values = poss
    if ptype in ("string", "reference"):
        return kind == STR and value in values
    if ptype == "number":
        return kind == NUM and value in values
    return True


def _columns(situations):
    """list of dicts / DataFrame -> (n, {rule: pandas Series of raw cells})."""
    if isinstance(situations, pd.DataFrame):
        return len(situations), {str(c): situations[c] for c in situations.columns}
    situations = list(situations)
    n = len(situations)
    cols: dict[str, list] = {}
    for i, s in enumerate(situations):
        for k, v in (s or {}).items():
            col = cols.get(k)
            if col is None:
                col = cols[k] = [None] * n
            col[i] = v
    return n, {k: pd.Series(v, dtype=object) for k, v in cols.items()}


def _encode_columns(model: Model, n, cols):
    """Per known rule: (codes int64 array, -1 = unanswered; table of parsed distinct values)."""
    encoded = {}
    for rule, series in cols.items():
        if rule not in model.rules:
            continue
        if isinstance(series.dtype, pd.CategoricalDtype):  # fast path: codes are given
            codes, uniques = series.cat.codes.to_numpy(), series.cat.categories
        else:
            codes, uniques = pd.factorize(series.reset_index(drop=True), use_na_sentinel=True)
        table = []
        for u in list(uniques):
            parsed = _parse_situation_value(model, rule, u)
            if parsed is not None and parsed[0] == "invalid":
                parsed = None
            # a choice outside the possibilities only warns in publicodes: it is kept (and
            # usually makes the terms that test the choice non applicable)
            table.append(parsed)
        codes = np.asarray(codes, dtype=np.int64)
        # several raw spellings of one value ("oui" / True, 3 / 3.0) share one code
        canon: dict = {}
        remap = np.empty(len(table) + 1, dtype=np.int64)
        for j, t in enumerate(table):
            remap[j] = -1 if t is None else canon.setdefault(t, len(canon))
        remap[-1] = -1
        codes = remap[codes]
        table = [None] * len(canon)
        for t, j in canon.items():
            table[j] = t
        if len(table) == 0:
            continue
        encoded[rule] = (codes, table)
    return encoded


def _situation_arrays(encoded, idx):
    """rule -> V for the rows ``idx`` (indices into the original rows)."""
    situation = {}
    for rule, (codes, table) in encoded.items():
        c = codes[idx]
        kinds = {t[0] for t in table}
        if len(kinds) > 1:
            # mixed kinds in one column: keep the majority kind, drop the others
            kind = max(kinds, key=lambda k: sum(1 for t in table if t[0] == k))
        else:
            (kind,) = kinds
        lut_v = np.zeros(len(table) + 1)
        lut_u = np.ones(len(table) + 1, dtype=bool)
        for j, t in enumerate(table):
            if t[0] == kind:
                lut_v[j] = _code(t[1]) if kind == STR else t[1]
                lut_u[j] = False
        v = lut_v[c]  # code -1 -> last slot (undefined)
        u = lut_u[c]
        if u.all():
            continue
        situation[rule] = V(v, np.zeros(len(c), dtype=bool), u, kind)
    return situation


_MIX = np.uint64(0x9E3779B97F4A7C15)


def _column_bits(series: pd.Series) -> np.ndarray:
    """uint64 per cell, equal for equal cells (NaN / None all alike)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy().astype(np.uint64)
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=np.uint64, na_value=2)
    if pd.api.types.is_numeric_dtype(series.dtype):
        x = series.to_numpy(dtype=np.float64, na_value=np.nan)
        x = np.where(np.isnan(x), np.nan, x + 0.0)  # one NaN, -0.0 == 0.0
        return x.view(np.uint64)
    codes, _ = pd.factorize(series, use_na_sentinel=True)
    return np.asarray(codes).astype(np.uint64)


def _distinct_rows(cols: dict, n: int):
    """Distinct situations: (index of one row per group, inverse), by hashing rows."""
    if not cols or n == 0:
        return np.zeros(min(n, 1), dtype=np.int64), np.zeros(n, dtype=np.int64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for series in cols.values():
            bits = _column_bits(series.reset_index(drop=True))
            h = (h ^ (bits + _MIX + (h << np.uint64(6)) + (h >> np.uint64(2)))) * _MIX
    inverse, uniq = pd.factorize(h)
    inverse = np.asarray(inverse, dtype=np.int64)
    first = np.empty(len(uniq), dtype=np.int64)
    first[inverse[::-1]] = np.arange(n - 1, -1, -1)
    return first, inverse


def _group_rows(encoded, n):
    """Distinct situations: (index of one row per group, inverse)."""
    if not encoded or n == 0:
        return np.zeros(min(n, 1), dtype=np.int64), np.zeros(n, dtype=np.int64)
    key = np.zeros(n, dtype=np.int64)
    card = 1
    for codes, table in encoded.values():
        k = len(table) + 1
        if card * k >= 2**62:
            key, uniq = pd.factorize(key)
            key = np.asarray(key, dtype=np.int64)
            card = len(uniq)
        key = key * k + (codes + 1)
        card *= k
    inverse, uniq = pd.factorize(key)
    inverse = np.asarray(inverse, dtype=np.int64)
    first = np.empty(len(uniq), dtype=np.int64)
    first[inverse[::-1]] = np.arange(n - 1, -1, -1)
    return first, inverse


CHUNK = 10_000  # distinct situations evaluated together (bounds memory)


def evaluate(model: Model, situations, rules=None, *, missing: float = 0.0) -> pd.DataFrame:
    """Values of ``rules`` (default: the 11 NGC roots) for each situation, in their units.

    ``situations``: list of dicts (NGC syntax) or DataFrame whose columns are rule names
    (NaN / None = unanswered). Returns one float64 column per rule, one row per situation;
    non applicable and undefined values are ``missing``: 0 by default (as publicodes sums
    count them), NaN to tell them apart (an action NGC does not apply).
    """
    rules = list(rules) if rules is not None else list(model.roots)
    index = situations.index if isinstance(situations, pd.DataFrame) else None
    n, cols = _columns(situations)
    for r in rules:
        if r not in model.rules:
            raise KeyError(f"unknown rule {r!r}")
    if n == 0:
        return pd.DataFrame({r: np.zeros(0) for r in rules})
    missing = np.float64(missing)
    cols = {k: v for k, v in cols.items() if k in model.rules}
    first, inverse = _distinct_rows(cols, n)
    m = len(first)
    # only the distinct situations are parsed
    encoded = _encode_columns(model, m, {k: v.iloc[first] for k, v in cols.items()})
    first = np.arange(m)
    out = {r: np.empty(m) for r in rules}
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))
    try:
        for start in range(0, m, CHUNK):
            idx = first[start : start + CHUNK]
            k = len(idx)
            ev = Evaluator(model, _situation_arrays(encoded, idx), k)
            for r in rules:
                val = ev.rule(r)
                v = np.broadcast_to(np.asarray(val.v, dtype=np.float64), (k,))
                bad = np.broadcast_to(val.null | val.undef, (k,))
                out[r][start : start + k] = np.where(bad | ~np.isfinite(v), missing, v)
    finally:
        sys.setrecursionlimit(limit)
    out = {r: v[inverse] for r, v in out.items()}
    df = pd.DataFrame(out)
    if index is not None:
        df.index = index
    return df


# ---------------------------------------------------------------- checks


def _bounds(raw_rule: dict, key: str):
    b = raw_rule.get(key)
    if isinstance(b, (int, float)) and not isinstance(b, bool):
        return float(b)
    if isinstance(b, str):
        try:
            tree = parse_expression(b)
        except Exception:
            return None
        if "constant" in tree and tree["constant"]["type"] == "number":
            return float(tree["constant"]["nodeValue"])
    return None


def check_situation(model: Model, situation: dict) -> list[tuple[str, object, str]]:
    """Problems of one situation: [(rule, value, message)], empty when all is well."""
    problems = []
    for rule, value in (situation or {}).items():
        if rule not in model.rules:
            problems.append((rule, value, "unknown rule (not in the NGC model used by qet-geo)"))
            continue
        parsed = _parse_situation_value(model, rule, value)
        if parsed is None:
            continue
        raw = model.raw.get(rule) or {}
        poss = model.possibilities.get(rule)
        if parsed[0] == "invalid":
            problems.append((rule, value, "not a number, a 'quoted choice' nor oui/non"))
            continue
        if poss is not None and poss[0] in ("string", "reference"):
            allowed = ", ".join(f"'{p}'" for p in poss[1])
            if parsed[0] != STR:
                problems.append((rule, value, f"expected a quoted choice among {allowed}"))
            elif parsed[1] not in poss[1]:
                problems.append(
                    (
                        rule,
                        value,
                        f"unknown choice; allowed: {allowed} (NGC only warns "
                        "and keeps it: the terms testing it count 0)",
                    )
                )
            continue
        typ = model.node_type(model.rules[rule])[1]
        numeric = typ == NUM or "unité" in raw or "plancher" in raw or "plafond" in raw
        if typ == BOOL and parsed[0] != BOOL:
            problems.append((rule, value, "expected oui / non"))
            continue
        if numeric:
            if parsed[0] != NUM:
                problems.append(
                    (
                        rule,
                        value,
                        "expected a number" + (f" in {raw['unité']}" if "unité" in raw else ""),
                    )
                )
                continue
            x = parsed[1]
            lo, hi = _bounds(raw, "plancher"), _bounds(raw, "plafond")
            if lo is not None and x < lo:
                problems.append((rule, value, f"below the minimum {lo:g}: NGC clamps it to {lo:g}"))
            elif hi is not None and x > hi:
                problems.append((rule, value, f"above the maximum {hi:g}: NGC clamps it to {hi:g}"))
            elif lo is None and x < 0:
                problems.append((rule, value, "negative value"))
            elif not math.isfinite(x):
                problems.append((rule, value, "not a finite number"))
    return problems
