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
import os

from .errors import ParameterError, Problem
from .i18n import Message, tr


def choice(default: str | None, choices: tuple[str, ...], **metadata):
    """A field whose value is one of ``choices``, ``default`` unless given (None: chosen
    by the step from other parameters, e.g. the encoding of a method)."""
    assert default is None or default in choices, (default, choices)
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
        if value is None and spec.default is None:
            continue  # left to the step
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


# ---------------------------------------------------------------------- arguments
class ArgumentError(ParameterError, TypeError):
    """An argument of a public function is not of a type it takes (a path where a table is
    wanted, a list where a mapping is…): the message names the function, the argument,
    what it was given and what it takes. A :class:`~qet_geo.errors.ParameterError` (a
    qet-geo error) and a ``TypeError`` (what Python raises for a wrong type)."""


#: What the public functions take, as their messages say it (each has its French).
AREAS = "the areas of qg.read_areas(path, layer=…) or qg.areas_from_frame(frame) (Areas)"
RESPONDENTS = "a table of respondents (pandas DataFrame, e.g. qg.read_survey(path).respondents)"
FEED = "a GTFS feed read by qg.read_gtfs(path) (Feed)"
AREA_MAP = "the area map of qg.map_areas (AreaMap)"
AREA_MAP_OR_FILE = "the area map of qg.map_areas (AreaMap), or the GeoPackage written from it"
PATH = "a path (str or pathlib.Path)"
CONFIG = "the path of a TOML configuration, or the Config of qg.load_config(path)"


def argument_error(function: str, name: str, value, expected: str, hint: str | None = None):
    """The :class:`ArgumentError` of ``function``'s argument ``name`` given ``value``
    (shown by its repr when it is short text or a number, else by its type)."""
    if isinstance(value, (str, os.PathLike, int, float)) or value is None:
        shown = repr(os.fspath(value) if isinstance(value, os.PathLike) else value)
        shown = shown if len(shown) <= 80 else shown[:79] + "…"
    else:
        shown = f"<{type(value).__name__}>"
    text = tr("{function}(): {name} = {value}; expected {expected}", function=function,
              name=name, value=shown, expected=tr(expected))  # fmt: skip
    return ArgumentError(text + (f" ({tr(hint)})" if hint else ""))


def check_argument(value, kinds, function: str, name: str, expected: str, hint=None):
    """``value`` when it is one of ``kinds`` (a type or a tuple of them), else
    :func:`argument_error`."""
    if isinstance(value, kinds):
        return value
    raise argument_error(function, name, value, expected, hint)


def check_path(value, function: str, name: str, hint=None):
    """``value`` when it is a path (str or os.PathLike), else :func:`argument_error`."""
    return check_argument(value, (str, os.PathLike), function, name, PATH, hint)


def frame_hint(value) -> Message | None:
    """What to write instead of an object whose table is one of its attributes."""
    for attribute in ("respondents", "frame", "indicators"):
        if hasattr(getattr(value, attribute, None), "columns"):
            return Message("its table is .{attribute}", attribute=attribute)
    return None


def check_respondents(value, function: str, name: str = "respondents"):
    """``value`` when it is a pandas DataFrame (a table of respondents), else
    :func:`argument_error` (a survey import's table: ``.respondents``)."""
    import pandas as pd

    return check_argument(value, pd.DataFrame, function, name, RESPONDENTS, frame_hint(value))


def check_areas(value, function: str, name: str = "areas", *, containers: bool = False):
    """``value`` when it is areas (:class:`~qet_geo.areas.Areas`: a ``frame``, its
    ``geometries`` and ``crs``), else :func:`argument_error` saying how to make them from a
    path or a table. With ``containers``, a table or a result with a per-area table is
    let through too, for :func:`qet_geo.areas.as_areas` to read (the steps that take areas
    in any container)."""
    if all(hasattr(value, a) for a in ("frame", "geometries", "crs", "source")):
        return value
    if containers and (
        hasattr(value, "columns") or any(hasattr(value, a) for a in ("indicators", "areas"))
    ):
        return value
    if isinstance(value, (str, os.PathLike)):
        hint = "read them first: qg.read_areas(path, layer=…)"
    elif hasattr(value, "columns"):
        hint = Message("a table of polygons: qg.areas_from_frame(frame)")
    else:
        hint = None
    raise argument_error(function, name, value, AREAS, hint)
