"""Constraints of the place: proximity to services, and profiles set against transit access
and proximity."""

import sys
import types
from importlib import import_module

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


def __getattr__(name: str):
    if name in _MODULES:
        return getattr(import_module(f".{_MODULES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """``compare`` and ``proximity`` are functions named like their modules: importing a
    module does not hide the function (as the eager ``from .compare import compare`` did)."""

    def __setattr__(self, name, value):
        if name in _MODULES and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
