"""The parameters of the survey import, with their one default (see
:mod:`qet_geo.parameters`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem
from ..parameters import choice, choice_problems

#: The built-in schema a survey is read with unless another is named.
DEFAULT_SCHEMA = "near-su"
#: How the homes are located (values of :attr:`qet_geo.survey.Location.kind`), in the order
#: of the Processing enum (an index given by an older script means the same kind).
LOCATION_KINDS = ("auto", "lonlat", "xy", "area", "geometry", "none")


@dataclass(frozen=True)
class SurveyParameters:
    """How a survey export is read: ``schema`` (a built-in name or a schema file),
    ``location`` (one of :data:`LOCATION_KINDS`), the columns ``x``, ``y``, ``area`` (None:
    recognised by their names), ``crs`` of x/y, the ``layer`` or ``sheet`` of a file with
    several, ``extent_check`` (reject homes outside France and swapped longitude/latitude),
    ``strict`` (stop at the first problem)."""

    schema: str = DEFAULT_SCHEMA
    location: str = choice("auto", LOCATION_KINDS)
    x: str | None = None
    y: str | None = None
    crs: str | None = None
    area: str | None = None
    layer: str | None = None
    sheet: str | None = None
    extent_check: bool = True
    strict: bool = False

    def sheet_read(self) -> str | int | None:
        """The sheet as the readers take it: written in digits, its position (from 0)."""
        return (
            int(self.sheet) if isinstance(self.sheet, str) and self.sheet.isdigit() else self.sheet
        )

    def validate(self, file: str = "") -> list[Problem]:
        """The problems of these parameters (``column``: the parameter's name)."""
        return choice_problems(self, file)
