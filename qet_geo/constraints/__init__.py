"""Constraints of the place: proximity to services, and profiles set against transit access
and proximity."""

from ..lazy import lazy_package

#: Each public name → the module defining it, imported when the name is first used (the
#: parameters of the step, :mod:`.params`, stay importable without shapely and scipy).
_MODULES = {
    "Comparison": "compare",
    "compare": "compare",
    "cramers_v": "compare",
    "spearman": "compare",
    "Proximity": "proximity",
    "proximity": "proximity",
    "service_points": "proximity",
}

__all__ = [
    "Comparison",
    "Proximity",
    "compare",
    "cramers_v",
    "proximity",
    "service_points",
    "spearman",
]

lazy_package(__name__, _MODULES)
