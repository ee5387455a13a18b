"""Packages whose public names are imported on first use (PEP 562).

Processing reads the steps' parameters (``<package>.params``) when QGIS starts: importing a
package for them must not load its heavy modules (shapely, scipy, matplotlib), so each
package's ``__init__`` declares name → module and calls :func:`lazy_package`.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module


def lazy_package(package: str, modules: dict[str, str]) -> None:
    """Make ``package`` (its ``__name__``) import each public name of ``modules`` (name →
    submodule) on first use. A function named like its module (``constraints.compare``,
    ``export.webmap``) stays the function once the module is imported, as an eager
    ``from .compare import compare`` made it."""
    module = sys.modules[package]

    def __getattr__(name: str):
        if name in modules:
            value = getattr(import_module(f".{modules[name]}", package), name)
            setattr(module, name, value)
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    class _Package(types.ModuleType):
        def __setattr__(self, name, value):
            if name in modules and isinstance(value, types.ModuleType):
                return  # the submodule being imported: the name is the function's
            super().__setattr__(name, value)

    module.__getattr__ = __getattr__
    module.__class__ = _Package
