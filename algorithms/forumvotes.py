"""``qetgeo:forumvotes``: the citizen vote of the forum counted, per subject and per area.

A thin shell over :func:`qet_geo.forum.votes.vote`, the function the command
``qet-geo forum votes`` calls (docs/forum.md, "Le vote / The vote"): the same ballots, the
same checks (every bad row listed, the count refused), the same count (plurality, or
instant run-off for ranked ballots with Borda beside), the same files.
"""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
)

from ..plugin.i18n import tr
from .base import (
    FILE_BEHAVIOR,
    QetGeoAlgorithm,
    add_language_parameter,
    add_threshold_parameters,
    check_files,
    enum_string,
    optional_geopackage,
)
from .importemdv import problems_to_log

REQUIRES = ("numpy", "pandas", "scipy", "shapely", "matplotlib")


def table_filter() -> str:
    return tr("Tables") + " (*.csv *.tsv *.txt *.xlsx *.ods);;" + tr("All files") + " (*.*)"


class ForumVotes(QetGeoAlgorithm):
    NAME = "forumvotes"
    # the area map and the vote per area are geometries (shapely): apart in the window
    ISOLATED = True

    BALLOTS = "BALLOTS"
    SUBJECTS = "SUBJECTS"
    AREAS = "AREAS"
    MIN_CELL = "MIN_CELL"
    ALLOW_BELOW_3 = "ALLOW_BELOW_3"
    LANGUAGE = "LANGUAGE"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    WINNER = "WINNER"
    WRITTEN = "WRITTEN"

    def displayName(self) -> str:
        return tr("Count the citizen vote")

    def groupId(self) -> str:
        return "forum"

    def tags(self) -> list[str]:
        return tr("forum,vote,ballots,subjects,instant run-off,Borda,disclosure").split(",")

    def help_text(self) -> str:
        return tr(
            "The citizen vote of the forum on the impact subjects, as the command qet-geo "
            "forum votes counts it. The ballots are a table, one row per ballot: ballot_id "
            "and subject (one choice: counted by plurality) or rank_1, rank_2, … (ranked "
            "ballots: counted by instant run-off, with the Borda scores beside as a consensus "
            "check), and optionally area (the voter's IRIS or area id). Subjects are the usage "
            "keys of the footprints, or those of a subjects table (key and title), named by "
            "key or title, case and accents ignored.\n\n"
            "Every problem of the file is listed (unknown subject, duplicate ballot id, "
            "empty ballot, a subject ranked twice, a rank after an empty one) and the vote is "
            "then not counted: no ballot is left out silently.\n\n"
            "Each subject's share has its 95 % interval; when the winner's and the runner-up's "
            "overlap, the result says ex aequo statistique. By area, an area with fewer ballots "
            "than the threshold is hidden, with the next smallest when it is the only one. The "
            "folder gets vote.csv, vote_rounds.csv, vote_areas.csv, the chart vote.png and "
            "vote.pdf, and with the area map vote_areas.gpkg, the Vote theme of the web map."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFile(
                self.BALLOTS, tr("Ballots (ballot_id, subject or rank_1, rank_2, …, area)"),
                behavior=FILE_BEHAVIOR, fileFilter=table_filter(),
            )
        )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterFile(
                self.SUBJECTS, tr("Subjects table (key, title); default: the usage keys"),
                behavior=FILE_BEHAVIOR, optional=True, fileFilter=table_filter(),
            )
        )  # fmt: skip
        self.addParameter(optional_geopackage(self.AREAS, tr("Area map: the vote per area")))
        add_threshold_parameters(self)
        add_language_parameter(self, self.LANGUAGE)
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER,
                                                                  tr("Output folder")))  # fmt: skip
        self.addOutput(QgsProcessingOutputString(self.WINNER, tr("Subject chosen")))
        self.addOutput(QgsProcessingOutputString(self.WRITTEN, tr("Files written")))

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        from pathlib import Path

        from ..qet_geo.forum.votes import VOTE_AREAS, VOTE_FILES, vote

        p = self.read(parameters, context)
        folder = Path(self.parameterAsString(parameters, self.OUTPUT_FOLDER, context))
        outputs = [folder / name for name in VOTE_FILES] + (
            [folder / VOTE_AREAS] if p.areas else []
        )
        check_files(self, parameters, context, outputs)
        language = enum_string(self, parameters, self.LANGUAGE, context)
        result = problems_to_log(lambda: vote(
            p.ballots, folder, subjects=p.subjects or None, areas=p.areas or None,
            min_cell=p.min_cell, allow_below_3=p.allow_below_3, language=language,
        ), feedback)  # fmt: skip
        feedback.setProgress(90)
        self.report(feedback, [*result.lines(), *(f"  {path}" for path in result.written)])
        if p.areas:
            from qgis.core import QgsProcessingContext

            details = QgsProcessingContext.LayerDetails(tr("Vote per area"), context.project(),
                                                        self.OUTPUT_FOLDER)  # fmt: skip
            context.addLayerToLoadOnCompletion(f"{folder / VOTE_AREAS}|layername=vote_areas",
                                               details)  # fmt: skip
        return {
            self.OUTPUT_FOLDER: str(folder),
            self.WINNER: result.winner,
            self.WRITTEN: "\n".join(str(path) for path in result.written),
        }


ALGORITHM = ForumVotes
