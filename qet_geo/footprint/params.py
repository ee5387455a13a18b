"""The parameters of the footprints step (see :mod:`qet_geo.parameters`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem


@dataclass(frozen=True)
class FootprintParameters:
    """``heating``: add the heating footprint (outside the total) when the answers hold
    the heating question."""

    heating: bool = True

    def validate(self, file: str = "") -> list[Problem]:
        """The problems of these parameters (none can be wrong once typed)."""
        return []
