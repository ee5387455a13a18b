"""The ``qetgeo`` Processing provider.

``loadAlgorithms`` creates fresh instances of the algorithms whose Python packages are all
importable, and records the others in ``unavailable`` for the plugin to report: a missing
or broken dependency never breaks QGIS start-up, it only hides the algorithms needing it.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from qgis.core import Qgis, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..plugin.i18n import tr
from .requirements import MissingPackage, Unavailable, culprit, find_missing

PROVIDER_ID = "qetgeo"
#: One module per algorithm, named like the algorithm (frozen once released).
ALGORITHM_MODULES = (
    "importsurvey",
    "computefootprints",
    "detectprofiles",
    "assignprofiles",
    "mapprofiles",
    "transitaccess",
    "proximity",
    "profilesvsconstraints",
    "importemdv",
    "importngc",
    "analysediagnostic",
    "forumpanels",
    "forumvotes",
    "exportwebmap",
    "exportposter",
    "runpipeline",
)
#: What the library imports as soon as an algorithm module imports it.
CORE_REQUIRES = ("numpy", "pandas")
ICON = Path(__file__).resolve().parent.parent / "plugin" / "icons" / "qet_geo.png"
_OWN_PACKAGE = __package__.split(".")[0]


class QetGeoProvider(QgsProcessingProvider):
    def __init__(self) -> None:
        super().__init__()
        # the version the projects and styles the library writes declare (qet_geo/styles.py
        # qgis_version): this QGIS's, so that it opens them without an "older file" banner
        os.environ.setdefault("QET_GEO_QGIS_VERSION", Qgis.version().split("-")[0])
        #: algorithm name -> why it is not registered
        self.unavailable: dict[str, Unavailable] = {}

    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return "qet-geo"

    def longName(self) -> str:
        return tr("qet-geo — neighbourhood usage profiles (Sphères d'Usages)")

    def icon(self) -> QIcon:
        return QIcon(str(ICON))

    def loadAlgorithms(self) -> None:
        self.unavailable = {}
        core_missing = find_missing(CORE_REQUIRES)
        for name in ALGORITHM_MODULES:
            if core_missing:
                self.unavailable[name] = Unavailable(name, missing=core_missing)
                continue
            try:
                module = importlib.import_module(f"{__package__}.{name}")
            except Exception as exc:  # any failure of a dependency: never break QGIS start
                error = f"{type(exc).__name__}: {exc}"
                package = culprit(exc, _OWN_PACKAGE)
                self.unavailable[name] = (
                    Unavailable(name, missing=[MissingPackage(package, error)])
                    if package
                    else Unavailable(name, error=error)
                )
                continue
            algorithm = module.ALGORITHM()
            missing = find_missing(module.REQUIRES)
            if missing:
                self.unavailable[name] = Unavailable(name, algorithm.displayName(), missing)
                continue
            self.addAlgorithm(algorithm)
