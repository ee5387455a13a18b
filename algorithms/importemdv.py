"""``qetgeo:importemdv``: read the "Espace et Mode de Vie" (EMdV) answers into a table.

A thin shell over :func:`qet_geo.diagnostic.job.import_answers` (docs/diagnostic.md): its
answers table (codes, a multi-choice answer as the text ``{A,B}``, each respondent's
profile when the profiles are given; never a free text) becomes the OUTPUT table, its
rejected rows (number and reasons) the REJECTS table, its report the log.
``qetgeo:importngc`` is the same shell on the Nos Gestes Climat answers.
"""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
)

from ..plugin.i18n import tr
from ..qet_geo.errors import InputError
from .base import (
    FILE_BEHAVIOR,
    SOURCE_TABLE,
    WKB_NO_GEOMETRY,
    QetGeoAlgorithm,
)

REQUIRES = ("numpy", "pandas", "yaml")

#: the exports the import reads (Metabase JSON or CSV, database dumps, webhook payloads)
EXPORT_SUFFIXES = "*.json *.jsonl *.ndjson *.csv *.tsv *.txt *.xlsx *.ods"


def export_filter() -> str:
    return (
        tr("Answer exports") + f" ({EXPORT_SUFFIXES});;" + tr("All files") + " (*.*)"
    )  # fmt: skip


def add_profile_parameters(algorithm) -> None:
    """SU_DATA (NEAR's ``Su Data.json``) and MODEL (a saved profile model), both optional:
    the profiles the answers are linked to."""
    for name, label in (
        ("SU_DATA", tr("Profiles: NEAR's Su Data.json")),
        ("MODEL", tr("Profiles: a saved profile model (instead of Su Data.json)")),
    ):
        algorithm.addParameter(
            QgsProcessingParameterFile(
                name, label, behavior=FILE_BEHAVIOR, extension="json", optional=True
            )
        )


def names_of(algorithm) -> dict:
    """How the library's messages name the files: by their parameters' names (``SU_DATA``,
    ``MODEL``, ``EMDV``, ``NGC``), where the command line names its options."""
    return {key: key.upper() for key in ("su_data", "model", "emdv", "ngc")
            if algorithm.parameterDefinition(key.upper()) is not None}  # fmt: skip


def problems_to_log(call, feedback):
    """``call()``; every problem of a refused file but the first (which the error says) in
    the log."""
    try:
        return call()
    except InputError as exc:
        for problem in exc.problems[1:]:
            feedback.reportError(str(problem))
        raise


class ImportAnswers(QetGeoAlgorithm):
    """The import of a diagnostic survey's answers: ``SURVEY`` ("emdv", "ngc") says which."""

    SURVEY = "emdv"

    INPUT = "INPUT"
    SU_DATA = "SU_DATA"
    MODEL = "MODEL"
    OUTPUT = "OUTPUT"
    REJECTS = "REJECTS"
    ROWS_READ = "ROWS_READ"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"

    def groupId(self) -> str:
        return "diagnostic"

    def input_label(self) -> str:
        raise NotImplementedError

    def output_label(self) -> str:
        raise NotImplementedError

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFile(
                self.INPUT, self.input_label(), behavior=FILE_BEHAVIOR, fileFilter=export_filter()
            )
        )
        add_profile_parameters(self)
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT,
                self.output_label(),
                type=SOURCE_TABLE,
                defaultValue=QgsProcessing.TEMPORARY_OUTPUT,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.REJECTS,
                tr("Rejected rows"),
                type=SOURCE_TABLE,
                optional=True,
                createByDefault=True,
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.ROWS_READ, tr("Number of rows read")))
        self.addOutput(
            QgsProcessingOutputNumber(self.ACCEPTED, tr("Number of respondents accepted"))
        )
        self.addOutput(QgsProcessingOutputNumber(self.REJECTED, tr("Number of rows rejected")))

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        from ..qet_geo.diagnostic.job import import_answers

        p = self.read(parameters, context)
        result = problems_to_log(lambda: import_answers(
            p.input, self.SURVEY, su_data=p.su_data or None, model=p.model or None,
            names=names_of(self),
        ), feedback)  # fmt: skip
        feedback.setProgress(60)
        report = result.report
        self.report(feedback, result.lines(), [
            tr("Rows rejected: {rejected} of {rows}; the Rejected rows table gives the reason "
               "for each.").format(rejected=report.rejected, rows=report.rows_read)
        ] if report.rejected else [])  # fmt: skip
        outputs = self.sinks(parameters, context, feedback, {
            self.OUTPUT: (result.answers, WKB_NO_GEOMETRY, None),
            self.REJECTS: (result.rejects, WKB_NO_GEOMETRY, None),
        })  # fmt: skip
        return {**outputs, self.ROWS_READ: report.rows_read, self.ACCEPTED: report.accepted,
                self.REJECTED: report.rejected}  # fmt: skip


class ImportEmdv(ImportAnswers):
    NAME = "importemdv"
    SURVEY = "emdv"

    def displayName(self) -> str:
        return tr("Import the Espace et Mode de Vie answers")

    def tags(self) -> list[str]:
        return tr("EMdV,Espace et Mode de Vie,way of life,diagnostic,NEAR,Metabase,Typeform,"
                  "import").split(",")  # fmt: skip

    def input_label(self) -> str:
        return tr("EMdV export (Metabase JSON or CSV, database dump, Typeform payloads)")

    def output_label(self) -> str:
        return tr("EMdV answers")

    def help_text(self) -> str:
        return tr(
            "Reads the answers to the Espace et Mode de Vie form (EMdV) of the Quartiers en "
            "Transitions diagnostic, as they come out of NEAR: a Metabase export (JSON or "
            "CSV), a database dump or Typeform webhook payloads, and checks every answer "
            "against the form.\n\n"
            "Each accepted respondent becomes one row of the answers table, each answer as "
            "its code; a question with several choices gives them as {A,B}. Free text "
            "(testimonies, the text of an “Other” choice, a zone written out) never reaches "
            "the table: the answer holds OTHER in its place, and the private working file of "
            "“Analyse the diagnostic” keeps the texts for review.\n\n"
            "With the profiles (NEAR's Su Data.json or a saved profile model), each "
            "respondent gets its profile: the one whose code it gave (declared), else the "
            "nearest by its six Sphères d'Usages answers (assigned, with the distance).\n\n"
            "Nothing is guessed and nothing valid is dropped: each row that cannot be used "
            "is in the Rejected rows table with its reasons, and the log names the row, the "
            "column and the value of every problem."
        )


ALGORITHM = ImportEmdv
