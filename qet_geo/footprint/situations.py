"""Footprints of detailed Nos Gestes Climat answers (situations, NGC syntax).

A situation maps NGC rule names to answers as NGC writes them: choices with inner quotes
(``"'propriétaire'"``), booleans ``"oui"``/``"non"``, numbers in the rule's unit. They are
evaluated by qet-geo's own vectorised evaluator of the pinned NGC model
(:mod:`qet_geo.footprint.publicodes`), held to the official engine by the tests.

Bad input is an error, not a silent zero (NGC silently zeroes a misspelt choice): unknown
rule names, unknown choices, non-numbers, negative numbers. Numbers beyond a rule's bounds
are clamped as NGC clamps them, with a warning that says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..limits import read_json
from .publicodes import check_situation, evaluate, load_model
from .usages import USAGE_RULES, USAGES


def read_items(path: str | Path) -> list[tuple[str | None, dict]]:
    """Read a JSON array of items: situations, or ``{"name": …, "situation": {…}}``."""
    return items_of(load_json_array(path), str(path))


def load_json_array(path: str | Path) -> list:
    """The JSON array of a file, or an InputError saying what is wrong with it."""
    name = str(path)
    data = read_json(path)
    if not isinstance(data, list):
        raise InputError(
            Problem.of(
                name,
                "expected a JSON array of situations",
                expected='[{"name": …, "situation": {…}}, …]',
            )
        )
    return data


def holds_results(data: list) -> bool:
    """True when the items are NGC simulations with computed results and no situation."""
    return bool(data) and all(
        isinstance(item, dict) and "computedResults" in item and "situation" not in item
        for item in data
    )


def items_of(data: list, name: str) -> list[tuple[str | None, dict]]:
    """(name, situation) of each item of a JSON array (see :func:`read_items`)."""
    items = []
    for number, item in enumerate(data, start=1):
        if isinstance(item, dict) and "situation" in item:
            situation = item["situation"]
            label = item.get("name")
        else:
            situation, label = item, None
        if not isinstance(situation, dict):
            raise InputError(
                Problem.of(
                    name,
                    "an item is not a situation object",
                    row=number,
                    value=json.dumps(item, ensure_ascii=False)[:80],
                    expected='{"rule . name": value, …}',
                )
            )
        items.append((None if label is None else str(label), situation))
    return items


def situation_footprints(
    items: Iterable[tuple[str | None, dict]], source: str = "situations"
) -> tuple[pd.DataFrame, list[Problem]]:
    """Footprints of each situation: ``name``, ``fp_<usage>`` for the five usages and
    ``fp_total`` (kgCO2e/yr); and the warnings (values NGC clamps).

    Any other problem stops with an :class:`InputError` naming the item (``row``, from 1),
    the rule (``column``) and the value.
    """
    items = list(items)
    model = load_model()
    errors, warnings = [], []
    for number, (_, situation) in enumerate(items, start=1):
        for rule, value, message in check_situation(model, situation):
            problem = Problem.of(source, message, row=number, column=rule, value=str(value))
            (warnings if "NGC clamps" in message else errors).append(problem)
    if errors:
        raise InputError(errors)
    rules = [rule for usage in USAGES for rule in USAGE_RULES[usage]]
    values = evaluate(model, [situation for _, situation in items], rules=rules)
    result = pd.DataFrame({"name": pd.Series([label for label, _ in items], dtype=object)})
    for usage in USAGES:
        result[f"fp_{usage}"] = values[USAGE_RULES[usage]].sum(axis=1).to_numpy()
    result["fp_total"] = result[[f"fp_{u}" for u in USAGES]].sum(axis=1)
    return result, warnings
