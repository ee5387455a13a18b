"""Nos Gestes Climat's own actions: what each of its action rules saves, in kgCO2e per year.

NGC's model lists its actions in the rule ``actions`` (a sum of action rules such as
``alimentation . repas . réduire viande . max 1 par jour``). Each one is worth what it saves
on a situation: positive is a saving, negative a cost (a heat pump in place of electric
heating saves less than its construction weighs), ``None``/NaN where NGC does not apply it to
that situation (already vegetarian, no flight…). The actions are alternatives, not additive
(``max 1 par jour``, ``max 2 par semaine`` and ``devenir végétarien`` each start from the same
diet): never sum them.

:func:`band_actions` gives, per lever, the actions the pinned official engine computes on the
representative situations of the SU bands (``data/su-bands-actions.json``, written by
``tools/ngc/su_actions.mjs``; docs/footprints.md, "Actions"). :func:`action_savings` evaluates
the same action rules on detailed NGC situations with qet-geo's own evaluator
(:mod:`qet_geo.footprint.publicodes`, the rules of ``data/ngc-model.json``), held to the
official engine by the tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from .publicodes import check_situation, evaluate, load_model

DATA = Path(__file__).with_name("data")


@lru_cache(maxsize=1)
def band_actions() -> dict:
    """The engine's action values on every band (``data/su-bands-actions.json``).

    ``{"model", "model_version", "publicodes_version", "unit", "levers": {lever: {"variable":
    SU question, "actions": {rule: {"main": bool, "title": NGC's French title or None,
    "values": {"1"|"2"|"3": {"estimate", "low", "high"}}}}}}}``, kgCO2e/yr, ``None`` where the
    action does not apply to that situation. Treat the result as read-only (it is cached).
    """
    return json.loads((DATA / "su-bands-actions.json").read_text(encoding="utf-8"))


def main_action(lever: str) -> str:
    """The rule of ``lever``'s main action (the one closest to moving one band down)."""
    actions = band_actions()["levers"][lever]["actions"]
    return next(rule for rule, spec in actions.items() if spec["main"])


def action_rules() -> tuple[str, ...]:
    """The NGC action rules qet-geo evaluates (those of the levers, ``data/ngc-model.json``)."""
    return load_model().actions


def action_savings(situations, rules: Iterable[str] | None = None) -> pd.DataFrame:
    """What each NGC action saves on each situation, kgCO2e/yr: one float column per action
    rule (default: :func:`action_rules`), one row per situation, NaN where NGC does not
    apply the action to the situation.

    ``situations``: NGC situations (list of dicts in NGC syntax, or a DataFrame whose columns
    are rule names, NaN = unanswered), as for :func:`qet_geo.footprint.publicodes.evaluate`.
    An action rule qet-geo does not extract, an unknown rule name, choice or a non-number in
    a situation is an :class:`InputError`; numbers beyond a rule's bounds are clamped as NGC
    clamps them. The actions are alternatives: never sum the columns.
    """
    model = load_model()
    rules = list(model.actions if rules is None else rules)
    unknown = [rule for rule in rules if rule not in model.actions]
    if unknown:
        raise InputError(
            [
                Problem.of(
                    "actions",
                    "not one of the NGC actions qet-geo evaluates",
                    value=rule,
                    expected=", ".join(model.actions),
                )
                for rule in unknown
            ]
        )
    if not isinstance(situations, pd.DataFrame):
        situations = list(situations)
        errors = [
            Problem.of("situations", message, row=number, column=rule, value=str(value))
            for number, situation in enumerate(situations, start=1)
            for rule, value, message in check_situation(model, situation)
            if "NGC clamps" not in message
        ]
        if errors:
            raise InputError(errors)
    return evaluate(model, situations, rules=rules, missing=np.nan)
