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
``tools/ngc/su_actions.mjs``; docs/footprints.md, "Actions").
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

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
