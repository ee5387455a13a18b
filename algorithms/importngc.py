"""``qetgeo:importngc``: read the Nos Gestes Climat (NGC) answers of a diagnostic into a
table: the shell of ``qetgeo:importemdv`` (:mod:`.importemdv`) on the NGC results
(:func:`qet_geo.diagnostic.job.import_answers` with ``survey="ngc"``)."""

from __future__ import annotations

from ..plugin.i18n import tr
from .importemdv import REQUIRES, ImportAnswers

__all__ = ["REQUIRES", "ImportNgc"]


class ImportNgc(ImportAnswers):
    NAME = "importngc"
    SURVEY = "ngc"

    def displayName(self) -> str:
        return tr("Import the Nos Gestes Climat answers")

    def tags(self) -> list[str]:
        return tr("NGC,Nos Gestes Climat,carbon footprint,diagnostic,NEAR,Metabase,"
                  "import").split(",")  # fmt: skip

    def input_label(self) -> str:
        return tr("NGC export (Metabase JSON or CSV, database dump, NEAR's payloads)")

    def output_label(self) -> str:
        return tr("NGC results")

    def help_text(self) -> str:
        return tr(
            "Reads the Nos Gestes Climat (NGC) answers of the Quartiers en Transitions "
            "diagnostic, as they come out of NEAR: a Metabase export (JSON or CSV), a "
            "database dump or NEAR's NGC payloads, and checks every result.\n\n"
            "Each accepted respondent becomes one row of the results table: the footprint "
            "of each category in kgCO2e per year. With the profiles (NEAR's Su Data.json or "
            "a saved profile model), each respondent gets its profile: the one whose code it "
            "gave (declared), else the nearest by its six Sphères d'Usages answers "
            "(assigned, with the distance).\n\n"
            "Nothing is guessed and nothing valid is dropped: each row that cannot be used "
            "is in the Rejected rows table with its reasons, and the log names the row, the "
            "column and the value of every problem."
        )


ALGORITHM = ImportNgc
