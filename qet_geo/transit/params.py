"""The parameters of the transit step: the service day, the time window, the grid and PTAL's
constants (:class:`~qet_geo.transit.ptal.PtalParameters`); see :mod:`qet_geo.parameters`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..errors import ParameterError, Problem
from ..grid import check_parameter
from ..i18n import tr
from ..limits import check_grid_spacing
from .gtfs import parse_date
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

    @classmethod
    def of(cls, *, date=None, window: str = DEFAULT_WINDOW, grid: float = DEFAULT_GRID_SPACING,
           route_types=None, names: dict | None = None, **ptal) -> TransitParameters:  # fmt: skip
        """The parameters as the command line, the configuration and Processing give them
        (``date`` YYYY-MM-DD or a date, ``window`` HH:MM-HH:MM, ``route_types`` CODE=MODE,
        ``ptal``: the keyword arguments of :meth:`PtalParameters.of`), checked before any
        file is read, in this order: the grid spacing, the window, the date, PTAL's
        constants and route types. ``names``: parameter → the name the user knows it by
        (``{"date": "--date"}``), for the messages."""
        names = names or {}
        check_parameter("grid", grid, names.get("grid", tr("grid spacing")))
        check_grid_spacing(grid)
        try:
            seconds = parse_window(window) if isinstance(window, str) else tuple(window)
        except ValueError as exc:
            raise ParameterError(str(exc)) from exc
        day = parse_date(date, names.get("date", tr("date")))
        params = PtalParameters.of(**ptal, window=seconds, route_types=route_types, names=names)
        return cls(date=day, window=window, grid=float(grid), route_types=params.route_types,
                   ptal=params)  # fmt: skip


def _problem(file: str, column: str, value, expected: str) -> Problem:
    return Problem.of(file, "not a valid value", column=column, value=str(value),
                      expected=expected)  # fmt: skip


PARTITIONS = ("none", "auto", "departement", "tile")
#: The side of a square tile (m) by default: 50 km, a few hundred thousand grid points at 100 m.
DEFAULT_TILE = 50_000.0


@dataclass(frozen=True)
class Partitioning:
    """``by``: "none" (one partition), "departement" (the first two characters of an INSEE
    IRIS or commune code, three overseas: 971…976), "tile" (squares of ``tile`` metres,
    an area going to the tile of its representative point) or "auto" (by département when
    every area id is an INSEE code, else by tile)."""

    by: str = "none"
    tile: float = DEFAULT_TILE

    @classmethod
    def of(cls, by=None, tile=None, names: dict | None = None) -> Partitioning:
        names = {"by": "partition", "tile": "tile", **(names or {})}
        by = by or ("tile" if tile is not None else "none")
        if tile is not None and by not in ("tile", "auto"):  # never ignored silently
            raise ParameterError(
                tr("{name} is for the partitions by tile: add {by} tile", name=names["tile"],
                   by=names["by"])
            )  # fmt: skip
        if by not in PARTITIONS:
            raise ParameterError(tr("{name} {value}: expected {expected}", name=names["by"],
                                    value=by, expected=", ".join(PARTITIONS)))  # fmt: skip
        size = DEFAULT_TILE if tile is None else tile
        try:
            size = float(size)
        except (TypeError, ValueError):
            size = float("nan")
        if isinstance(tile, bool) or not (1_000.0 <= size <= 1_000_000.0):
            raise ParameterError(
                tr("{name} {value}: expected {expected}", name=names["tile"], value=tile,
                   expected=tr("a tile side in metres, from 1,000 to 1,000,000"))
            )  # fmt: skip
        return cls(by, size)

    def to_dict(self) -> dict:
        return {"by": self.by, "tile_m": self.tile if self.by == "tile" else None}
