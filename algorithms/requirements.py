"""Which Python packages an algorithm needs, and which of them this QGIS lacks.

Checking never breaks QGIS start-up: a package that is not installed, or that is installed
but fails to import (a broken or incompatible install), is recorded with the reason, and
the algorithms that need it are not registered.  Nothing is ever installed from here: the
plugin tells the user how (``requirements.txt`` for the QPIP plugin, or a pip command).
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field

#: Import name -> pip (distribution) name, where they differ.
PIP_NAMES = {"yaml": "pyyaml", "odf": "odfpy", "sklearn": "scikit-learn"}

#: Modules whose frames are not a package's own when looking for the culprit of an error.
_IMPORT_MACHINERY = ("importlib", "_frozen_importlib", "_frozen_importlib_external")


@dataclass(frozen=True)
class MissingPackage:
    """A package that cannot be used: not installed (``error`` empty) or failing to import."""

    module: str
    error: str = ""

    @property
    def pip_name(self) -> str:
        return PIP_NAMES.get(self.module, self.module)


@dataclass
class Unavailable:
    """An algorithm that is not registered, and why."""

    name: str
    display_name: str = ""
    missing: list[MissingPackage] = field(default_factory=list)
    error: str = ""  # an error that is not a missing package (a bug: please report it)


def find_missing(modules: tuple[str, ...] | list[str]) -> list[MissingPackage]:
    """The packages of ``modules`` (import names) that Python cannot find.

    Uses ``importlib.util.find_spec``: cheap, and it does not load the package's compiled
    libraries into QGIS at start-up.
    """
    importlib.invalidate_caches()  # packages installed since QGIS started (QPIP, pip)
    missing = []
    for module in modules:
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError) as exc:  # ValueError: module with no __spec__
            missing.append(MissingPackage(module, f"{type(exc).__name__}: {exc}"))
            continue
        if spec is None:
            missing.append(MissingPackage(module))
    return missing


def culprit(exc: BaseException, own_package: str) -> str | None:
    """The top-level package an import error comes from, or None if it is our own code.

    ``ModuleNotFoundError`` names the module; any other error (e.g. ``ImportError: numpy.core
    .multiarray failed to import`` from a package built for another numpy) is blamed on the
    package of the deepest frame of the traceback that is not ours nor the import machinery.
    """
    name = getattr(exc, "name", None)
    if isinstance(exc, ImportError) and name:
        top = name.split(".")[0]
        return None if top == own_package else top
    found = None
    traceback = exc.__traceback__
    while traceback is not None:
        module = str(traceback.tb_frame.f_globals.get("__name__", ""))
        top = module.split(".")[0]
        if top and top != own_package and not module.startswith(_IMPORT_MACHINERY):
            found = top
        traceback = traceback.tb_next
    return found
