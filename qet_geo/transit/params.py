"""The parameters of the transit step: the service day, the time window, the grid and PTAL's
constants (:class:`~qet_geo.transit.ptal.PtalParameters`); see :mod:`qet_geo.parameters`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..errors import Problem
from .ptal import DEFAULT_WINDOW, PtalParameters, parameter_problem, parse_window

#: The spacing of the grid the access of an area is averaged over (m): a block of a town.
DEFAULT_GRID_SPACING = 100.0
#: The field of the counts of a population layer (INSEE's squares: ``population``).
DEFAULT_POPULATION_FIELD = "population"


@dataclass(frozen=True)
class TransitParameters:
    """``date`` (None: the busiest weekday of the feed), ``window`` (HH:MM-HH:MM, TfL's
    morning peak by default), ``grid`` (spacing in metres), ``route_types`` (route type →
    mode or None, over the default table), ``ptal`` (PTAL's constants) and
    ``population_field`` (the field of the counts of a population layer)."""

    date: dt.date | None = None
    window: str = DEFAULT_WINDOW
    grid: float = DEFAULT_GRID_SPACING
    route_types: dict = field(default_factory=dict)
    ptal: PtalParameters = field(default_factory=PtalParameters)
    population_field: str = DEFAULT_POPULATION_FIELD

    def validate(self, file: str = "") -> list[Problem]:
        """The problems of these parameters (``column``: the parameter's name)."""
        problems = []
        if self.date is not None and (
            not isinstance(self.date, dt.date) or isinstance(self.date, dt.datetime)
        ):
            problems.append(_problem(file, "date", self.date, "a date YYYY-MM-DD"))
        try:
            parse_window(str(self.window))
        except ValueError:
            problems.append(_problem(file, "window", self.window, "a time window HH:MM-HH:MM"))
        expected = parameter_problem("grid", self.grid)
        if expected is not None:
            problems.append(_problem(file, "grid", self.grid, expected))
        return problems


def _problem(file: str, column: str, value, expected: str) -> Problem:
    return Problem.of(file, "not a valid value", column=column, value=str(value),
                      expected=expected)  # fmt: skip
