"""The parameters of proximity and of the comparison of profiles with the constraints (see
:mod:`qet_geo.parameters`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem
from ..parameters import whole_problem
from ..transit.params import DEFAULT_GRID_SPACING, DEFAULT_POPULATION_FIELD
from ..transit.ptal import parameter_problem

#: The distance (m) within which services are counted around an area's centroid.
DEFAULT_RADIUS = 500.0
#: The distances (m) of the "share of the grid within d of a service" indicators.
DEFAULT_WITHIN = (300.0, 500.0, 800.0)
#: The bootstrap replicates of the comparison's confidence intervals.
DEFAULT_COMPARE_BOOTSTRAP = 200


@dataclass(frozen=True)
class ProximityParameters:
    """``grid`` (spacing, m), ``radius`` (m), ``within`` (distances, m), ``detour`` (walk /
    straight line), ``people``: the service layers whose points are people (their counts
    go through disclosure control) and ``population_field`` (the field of the counts of a
    population layer)."""

    grid: float = DEFAULT_GRID_SPACING
    radius: float = DEFAULT_RADIUS
    within: tuple = DEFAULT_WITHIN
    detour: float = 1.0
    people: tuple = ()
    population_field: str = DEFAULT_POPULATION_FIELD

    def validate(self, file: str = "") -> list[Problem]:
        """The problems of these parameters (``column``: the parameter's name)."""
        problems = []
        checks = [("grid", "grid", self.grid), ("radius", "radius", self.radius)]
        checks += [("within", "distance", d) for d in self.within]
        checks.append(("detour", "detour", self.detour))
        for column, kind, value in checks:
            expected = parameter_problem(kind, value)
            if expected is not None:
                problems.append(Problem.of(file, "not a valid value", column=column,
                                           value=str(value), expected=expected))  # fmt: skip
        return problems


@dataclass(frozen=True)
class CompareParameters:
    """``profile`` (the profile set against the others; None: every profile), ``service``
    (the one service compared; None: all) and ``bootstrap`` (replicates, 0: none)."""

    profile: int | None = None
    service: str | None = None
    bootstrap: int = DEFAULT_COMPARE_BOOTSTRAP

    def validate(self, file: str = "") -> list[Problem]:
        """The problems of these parameters (``column``: the parameter's name)."""
        return whole_problem(self, "profile", 1, file) + whole_problem(self, "bootstrap", 0, file)
