"""The parameters of proximity and of the comparison of profiles with the constraints (see
:mod:`qet_geo.parameters`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ParameterError, Problem
from ..grid import check_parameter
from ..i18n import tr
from ..limits import check_grid_spacing
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

    @classmethod
    def of(cls, *, grid: float = DEFAULT_GRID_SPACING, radius: float = DEFAULT_RADIUS,
           within: str | tuple = DEFAULT_WITHIN, detour: float = 1.0, people=(),
           names: dict | None = None) -> ProximityParameters:  # fmt: skip
        """The parameters as the command line and Processing give them (``within`` and
        ``people`` may be text, comma-separated), checked before any file is read
        (:func:`check_proximity_parameters`, then the grid's finest spacing); ``names``:
        parameter → the name the user knows it by (``{"within": "--within"}``)."""
        names = names or {}
        if isinstance(within, str):
            try:
                within = tuple(float(value) for value in within.split(","))
            except ValueError as exc:
                raise ParameterError(
                    tr("{option}: expected distances in metres separated by commas",
                       option=names.get("within", tr("within")))
                ) from exc  # fmt: skip
        check_proximity_parameters(spacing=grid, radius=radius, within=within, detour=detour,
                                   names=names)  # fmt: skip
        check_grid_spacing(grid)
        if isinstance(people, str):
            people = [name.strip() for name in people.split(",") if name.strip()]
        return cls(grid=grid, radius=radius, within=tuple(within), detour=detour,
                   people=tuple(people))  # fmt: skip


def check_proximity_parameters(*, spacing=DEFAULT_GRID_SPACING, radius=DEFAULT_RADIUS,
                               within=DEFAULT_WITHIN, detour=1.0, names: dict | None = None) -> None:  # fmt: skip
    """A ParameterError naming the parameter (by ``names``: parameter → the option or
    key the user wrote), its value and the range expected, for a grid spacing, radius,
    distance or detour out of range (:func:`qet_geo.grid.check_parameter`, the
    same check as PTAL's)."""
    names = names or {}
    check_parameter("grid", spacing, names.get("grid", tr("grid spacing")))
    check_parameter("radius", radius, names.get("radius", tr("radius")))
    for value in within:
        check_parameter("distance", value, names.get("within", tr("within")))
    check_parameter("detour", detour, names.get("detour", tr("detour")))


def check_people(people, services, names: dict | None = None) -> None:
    """Every layer of ``people`` (layers whose points are people) is one of the
    ``services`` (their names), or an error naming those that are not: a ParameterError
    naming the options as ``names`` says (``{"people": "--people", "services":
    "--service"}``), a ValueError without ``names``."""
    missing = sorted(set(people) - set(services))
    if not missing:
        return
    if names is None:
        raise ValueError(f"people layers that are not service layers: {', '.join(missing)}")
    raise ParameterError(tr("{option} {names}: no such {services} layer",
                            option=names.get("people", "people"), names=", ".join(missing),
                            services=names.get("services", "services")))  # fmt: skip


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


def service_key(name: str) -> str:
    """A field-friendly form of a service name (``"Marchés de plein air"`` →
    ``marchés_de_plein_air``): the key of its fields in the proximity layer."""
    text = "".join(c if c.isalnum() else "_" for c in name.strip().lower())
    return "_".join(part for part in text.split("_") if part) or "service"
