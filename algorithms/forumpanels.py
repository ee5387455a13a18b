"""``qetgeo:forumpanels``: the exhibition of the forum's impact subjects — a panel per
subject (A3 and A0, PDF and PNG), each as a QGIS print layout, and the ballot sheets.

A thin shell over :func:`qet_geo.export.forum_panels.write_forum`, the function the command
``qet-geo forum panels`` and ``qet-geo run`` call (docs/forum_panels.md): the same subjects,
read from the diagnostic GeoPackage (its ``forum_subjects`` and ``area_potentials``), the
same files.
"""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
)

from ..plugin.i18n import tr
from .base import FILE_BEHAVIOR, QetGeoAlgorithm, add_language_parameter, check_files, enum_string
from .importemdv import problems_to_log

REQUIRES = ("numpy", "pandas", "shapely", "matplotlib")


class ForumPanels(QetGeoAlgorithm):
    NAME = "forumpanels"
    # the panels' maps draw shapely geometries: apart from QGIS's GEOS in the window
    ISOLATED = True

    DIAGNOSTIC = "DIAGNOSTIC"
    A3 = "A3"
    A0 = "A0"
    LANGUAGE = "LANGUAGE"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    WRITTEN = "WRITTEN"

    def displayName(self) -> str:
        return tr("Forum panels and ballots")

    def groupId(self) -> str:
        return "forum"

    def tags(self) -> list[str]:
        return tr("forum,subjects,panels,exhibition,ballot,vote,room for manoeuvre,layout").split(
            ","
        )

    def help_text(self) -> str:
        return tr(
            "The exhibition of the forum's impact subjects, as the command qet-geo forum "
            "panels writes it, from a diagnostic made with the SU answers (Analyse the "
            "diagnostic, or the whole diagnostic): one panel per subject, ranked by its "
            "reduction potential — the potential in tCO2e per year with its interval and per "
            "resident, the residents ready, planning or blocked, the main barriers, a map of "
            "the potential per resident with the areas where a public action would unlock it, "
            "the public action — as PDF and PNG in A3 and A0 and as a QGIS print layout "
            "(panneau_<subject>_A3.qpt), and the ballot sheets (bulletin_vote.pdf for one "
            "choice, bulletin_vote_classement.pdf for ranked ballots; two ballots to cut per "
            "A4 page). A potential, not a forecast: the panels say so."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFile(
                self.DIAGNOSTIC, tr("Diagnostic (GeoPackage from Analyse the diagnostic)"),
                behavior=FILE_BEHAVIOR, fileFilter=tr("GeoPackage (*.gpkg)"),
            )
        )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterBoolean(self.A3, tr("A3 panels"), defaultValue=True)
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.A0, tr("A0 panels"), defaultValue=True)
        )
        add_language_parameter(self, self.LANGUAGE)
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER,
                                                                  tr("Output folder")))  # fmt: skip
        self.addOutput(QgsProcessingOutputString(self.WRITTEN, tr("Files written")))

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        from pathlib import Path

        from qgis.core import QgsProcessingException

        from ..qet_geo.diagnostic.output import read_forum
        from ..qet_geo.export.forum_panels import forum_files, write_forum

        p = self.read(parameters, context)
        sizes = [s for s, wanted in (("A3", p.a3), ("A0", p.a0)) if wanted]
        if not sizes:
            raise QgsProcessingException(tr("Choose at least one paper size (A3 or A0)."))
        folder = Path(self.parameterAsString(parameters, self.OUTPUT_FOLDER, context))
        subjects, _, _ = problems_to_log(lambda: read_forum(p.diagnostic), feedback)
        check_files(self, parameters, context, forum_files(folder, list(subjects["key"]), sizes),
                    published=True)  # fmt: skip
        language = enum_string(self, parameters, self.LANGUAGE, context)
        written = problems_to_log(lambda: write_forum(p.diagnostic, folder, sizes=sizes,
                                                      language=language), feedback)  # fmt: skip
        feedback.setProgress(100)
        self.report(feedback, [tr("Files written:"), *(f"  {path}" for path in written)])
        return {self.OUTPUT_FOLDER: str(folder), self.WRITTEN: "\n".join(map(str, written))}


ALGORITHM = ForumPanels
