"""The parameters of the forum outputs: web map, posters, QGIS project (see
:mod:`qet_geo.parameters`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import ParameterError, Problem
from ..i18n import tr
from ..parameters import choice, choice_problems

#: The languages of the published outputs (French first: the users are French).
LANGUAGES = ("fr", "en")
#: The poster sizes (ISO 216), in the order of the Processing enum.
POSTER_SIZES = ("A3", "A0")


@dataclass(frozen=True)
class OutputParameters:
    """What a run publishes: ``webmap`` (``offline``: its libraries inside the file;
    ``tiles``: an OpenStreetMap background; ``transit_lines``; ``background`` layers),
    ``poster`` (sizes of :data:`POSTER_SIZES`), ``project`` (a QGIS project), and the
    ``title``, ``date`` and ``language`` (one of :data:`LANGUAGES`) they show."""

    webmap: bool = True
    offline: bool = True
    tiles: bool = False
    transit_lines: bool = True
    background: tuple = ()
    poster: tuple = POSTER_SIZES
    project: bool = True
    title: str | None = None
    date: dt.date | None = None
    language: str = choice("fr", LANGUAGES)

    def validate(self, file: str = "") -> list[Problem]:
        """The problems of these parameters (``column``: the parameter's name)."""
        problems = choice_problems(self, file)
        wrong = [size for size in self.poster if size not in POSTER_SIZES]
        if wrong:
            problems.append(
                Problem.of(
                    file,
                    "not a valid value",
                    column="poster",
                    value=", ".join(map(str, wrong)),
                    expected='["A3", "A0"], "A3", "A0" or false',
                )  # fmt: skip
            )
        return problems


def output_date(value, name: str = "date") -> dt.date | None:
    """The date an output prints, as the command line and Processing give it: None (today)
    when blank, a date as it is, else text YYYY-MM-DD; a ParameterError naming the
    parameter (``name``, as the user knows it) and the value otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ParameterError(tr("{name}: {value!r} is not a date YYYY-MM-DD", name=name,
                                value=value)) from exc  # fmt: skip
