"""The parameters of the areas step: weights and disclosure control (see
:mod:`qet_geo.parameters`; the threshold's default and rule live in
:mod:`qet_geo.threshold`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem
from ..parameters import choice, choice_problems, whole_problem
from ..threshold import ABSOLUTE_MIN, DEFAULT_MIN_CELL

#: the id and name fields recognised in an areas layer, in order (what ``read_areas`` takes
#: when none is given; the QGIS Diagnostic dock preselects them the same way)
ID_FIELDS = ("code_iris", "CODE_IRIS", "IRIS", "iris", "id", "code", "ID", "area_id")
NAME_FIELDS = ("nom_iris", "NOM_IRIS", "LIBIRIS", "nom", "name", "NOM", "libelle", "area_name")

#: How respondents are weighted per area: the survey's weights, raked to the census, none.
WEIGHTINGS = ("survey", "raking", "none")
#: Raking weights are capped at this multiple of their mean (trimming, docs/areas.md).
DEFAULT_RAKING_CAP = 5.0


@dataclass(frozen=True)
class AreaParameters:
    """``weights`` (one of :data:`WEIGHTINGS`), ``min_cell`` (the disclosure threshold:
    nothing about fewer respondents is published, [INSEE-secret], docs/privacy.md) and ``allow_below_3`` (the
    explicit override a threshold under :data:`~qet_geo.threshold.ABSOLUTE_MIN` needs),
    ``raking_cap`` (raked weights capped at this multiple of their mean)."""

    weights: str = choice("survey", WEIGHTINGS)
    min_cell: int = DEFAULT_MIN_CELL
    allow_below_3: bool = False
    raking_cap: float = DEFAULT_RAKING_CAP

    def validate(self, file: str = "") -> list[Problem]:
        """The problems of these parameters (``column``: the parameter's name)."""
        problems = choice_problems(self, file) + whole_problem(self, "min_cell", 1, file)
        if not problems and self.min_cell < ABSOLUTE_MIN and not self.allow_below_3:
            problems.append(
                Problem.of(
                    file,
                    "a threshold under 3 needs allow_below_3 = true",
                    column="min_cell",
                    value=str(self.min_cell),
                )  # fmt: skip
            )
        return problems
