"""Constraints of the place: proximity to services, and profiles set against transit access
and proximity."""

from .compare import Comparison, compare, cramers_v, spearman
from .proximity import Proximity, proximity, service_points

__all__ = [
    "Comparison",
    "Proximity",
    "compare",
    "cramers_v",
    "proximity",
    "service_points",
    "spearman",
]
