"""What the parameter dataclasses of every step share.

Each step keeps its parameters beside its code in a frozen dataclass (``SurveyParameters``
in :mod:`qet_geo.survey.params`, ``ProfileParameters`` in :mod:`qet_geo.profiles.params`,
``AreaParameters``, ``TransitParameters``, ``ProximityParameters``, ``CompareParameters``,
``OutputParameters``…): its fields carry the one default of each parameter, and a field
whose value is one of a few words carries them as ``choices`` in its metadata
(:func:`choice`). The run's configuration (:mod:`qet_geo.pipeline`), the command line and
the Processing algorithms take their defaults and choices from there (:func:`default`,
:func:`choices`), and ``validate()`` returns the :class:`~qet_geo.errors.Problem` of each
bad value, named by the field (``column``), in English (translated when shown).
"""

from __future__ import annotations

import dataclasses

from .errors import Problem
from .i18n import Message


def choice(default: str, choices: tuple[str, ...], **metadata):
    """A field whose value is one of ``choices`` (``default`` the first unless given)."""
    assert default in choices, (default, choices)
    return dataclasses.field(default=default, metadata={"choices": tuple(choices), **metadata})


def default(cls, name: str):
    """The default of the field ``name`` of the parameter dataclass ``cls``."""
    spec = _field(cls, name)
    if spec.default is not dataclasses.MISSING:
        return spec.default
    return spec.default_factory()  # type: ignore[misc]


def choices(cls, name: str) -> tuple[str, ...]:
    """The allowed values of the field ``name`` of ``cls`` (a :func:`choice` field)."""
    return _field(cls, name).metadata["choices"]


def _field(cls, name: str) -> dataclasses.Field:
    for spec in dataclasses.fields(cls):
        if spec.name == name:
            return spec
    raise KeyError(f"{cls.__name__} has no parameter {name!r}")


def choice_problems(params, file: str = "") -> list[Problem]:
    """A problem for each :func:`choice` field of ``params`` holding another value."""
    problems = []
    for spec in dataclasses.fields(params):
        allowed = spec.metadata.get("choices")
        value = getattr(params, spec.name)
        if allowed is not None and value not in allowed:
            problems.append(
                Problem.of(
                    file,
                    "not a valid value",
                    column=spec.name,
                    value=str(value),
                    expected=Message("one of {choices}", choices=", ".join(allowed)),
                )  # fmt: skip
            )
    return problems


def whole_problem(params, name: str, low: int, file: str = "") -> list[Problem]:
    """A problem when the field ``name`` is set and is not a whole number from ``low``."""
    value = getattr(params, name)
    if value is None:
        return []
    if isinstance(value, int) and not isinstance(value, bool) and value >= low:
        return []
    return [Problem.of(file, "not a valid value", column=name, value=str(value),
                       expected=Message("a whole number from {low}", low=low))]  # fmt: skip
