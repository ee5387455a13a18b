"""``qetgeo:exportposter``: the forum poster (PDF, and PNG beside it), A3 or A0, in French
(default) or English:
the map of dominant profiles, the profile portraits, the footprint breakdown, sources and
date; with the diagnostic, its poster beside it.

A thin shell over :func:`qet_geo.export.posters.write_posters`; the layers are read by QGIS
(see qet_geo/geo.py). Aggregates only.
"""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)

from ..plugin.i18n import tr
from ..qet_geo.export.params import POSTER_SIZES
from .base import (
    FILE_BEHAVIOR,
    QetGeoAlgorithm,
    add_language_parameter,
    advanced,
    check_files,
    choice_parameter,
    optional_geopackage,
    parameter_names,
)

REQUIRES = ("numpy", "pandas", "shapely", "matplotlib")


class ExportPoster(QetGeoAlgorithm):
    NAME = "exportposter"

    AREA_MAP = "AREA_MAP"
    MODEL = "MODEL"
    DIAGNOSTIC = "DIAGNOSTIC"
    SIZE = "SIZE"
    TITLE = "TITLE"
    DATE = "DATE"
    PNG = "PNG"
    OUTPUT = "OUTPUT"
    OUTPUT_PNG = "OUTPUT_PNG"
    OUTPUT_DIAGNOSTIC = "OUTPUT_DIAGNOSTIC"
    LANGUAGE = "LANGUAGE"

    def displayName(self) -> str:
        return tr("Export the forum poster")

    def groupId(self) -> str:
        return "forum"

    def tags(self) -> list[str]:
        return tr("poster,affiche,pdf,png,A3,A0,forum").split(",")

    def help_text(self) -> str:
        return tr(
            "A poster for a neighbourhood forum (in French, or English), A3 or A0 (landscape), as a PDF "
            "(text kept as text) and a PNG beside it: the map of dominant profiles (areas "
            "under the threshold grey and hatched), the portrait of each profile from the "
            "profile model, the footprint per usage of each profile against the study and the "
            "French average, sources and date. Type sizes grow with the paper so that an A0 "
            "reads across a room. Aggregates only.\n\n"
            "With the diagnostic GeoPackage written by Analyse the diagnostic, its poster is "
            "written too, beside the first (poster.pdf: poster_diagnostic.pdf): the "
            "satisfaction, the wishes to change, the barriers and the carbon footprint per "
            "profile, in the profiles' names and colours of the area map."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFile(
                self.AREA_MAP,
                tr("Area map (GeoPackage from Map usage profiles by area)"),
                behavior=FILE_BEHAVIOR,
                extension="gpkg",
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.MODEL,
                tr("Profile model (portraits and footprints of the profiles)"),
                behavior=FILE_BEHAVIOR,
                extension="json",
                optional=True,
            )
        )
        self.addParameter(
            optional_geopackage(
                self.DIAGNOSTIC, tr("Diagnostic (GeoPackage from Analyse the diagnostic)")
            )
        )
        labels = {"A3": tr("A3 landscape (42 × 29.7 cm)"), "A0": tr("A0 landscape (119 × 84 cm)")}
        self.addParameter(
            choice_parameter(
                self.SIZE, tr("Paper size"), POSTER_SIZES, [labels.get(s, s) for s in POSTER_SIZES]
            )
        )
        self.addParameter(QgsProcessingParameterString(self.TITLE, tr("Title"), optional=True))
        self.addParameter(
            advanced(
                QgsProcessingParameterString(
                    self.DATE, tr("Date printed (YYYY-MM-DD; default: today)"), optional=True
                )
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.PNG, tr("Also a PNG image"), defaultValue=True)
        )
        add_language_parameter(self, self.LANGUAGE)
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT, tr("Poster"), tr("PDF files (*.pdf)")
            )
        )
        self.addOutput(QgsProcessingOutputFile(self.OUTPUT_PNG, tr("Poster image (PNG)")))
        self.addOutput(
            QgsProcessingOutputFile(self.OUTPUT_DIAGNOSTIC, tr("Diagnostic poster (PDF)"))
        )

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        from ..qet_geo.export.params import output_date
        from ..qet_geo.export.poster import diagnostic_poster_path, poster_files
        from ..qet_geo.export.posters import write_posters
        from ..qet_geo.profiles import ProfileModel
        from .isolation import isolation_needed

        p = self.read(parameters, context)
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        pdfs = [output] + ([diagnostic_poster_path(output, p.size)] if p.diagnostic else [])
        check_files(self, parameters, context, [f for pdf in pdfs for f in poster_files(pdf, p.png)],
                    published=True)  # fmt: skip
        date = output_date(p.date, parameter_names(self, "date")["date"])
        if isolation_needed():  # QGIS's GEOS is in shapely's way: see isolation.py
            written = self._write_apart(p, output, date, feedback)
        else:
            try:
                written = write_posters(output, p.area_map, ProfileModel.load(p.model) if p.model else None,
                                        size=p.size, title=p.title or None, date=date, png=p.png,
                                        language=p.language, diagnostic=p.diagnostic or None)  # fmt: skip
            except OSError as exc:  # a full disk, a folder one may not write to
                raise QgsProcessingException(str(exc)) from exc
        posters, diagnostic = written["poster"], written.get("diagnostic_poster") or []
        self.report(
            feedback, [tr("Written: {path}").format(path=path) for path in posters + diagnostic]
        )
        return {self.OUTPUT: str(posters[0]),
                self.OUTPUT_PNG: str(posters[1]) if len(posters) > 1 else None,
                self.OUTPUT_DIAGNOSTIC: str(diagnostic[0]) if diagnostic else None}  # fmt: skip

    @staticmethod
    def _write_apart(p, output, date, feedback) -> dict:
        """:func:`write_posters` in a separate Python process (``qet_geo.worker poster``):
        {"poster": files, "diagnostic_poster": files}."""
        from ..qet_geo.i18n import language
        from .isolation import WorkerCanceled, WorkerFailed, run_worker

        arguments = ["poster", output, p.area_map, "--size", p.size, "--lang", language(),
                     "--language", p.language]  # fmt: skip
        arguments += ["--model", p.model] if p.model else []
        arguments += ["--diagnostic", p.diagnostic] if p.diagnostic else []
        arguments += ["--title", p.title] if p.title else []
        arguments += ["--date", date.isoformat()] if date else []
        arguments += ["--png"] if p.png else []
        try:
            return run_worker(arguments, feedback)["written"]
        except WorkerCanceled as exc:
            raise QgsProcessingException(tr("Canceled: the outputs are incomplete.")) from exc
        except WorkerFailed as exc:
            if exc.detail:
                feedback.reportError(exc.detail, False)
            raise QgsProcessingException("\n".join([str(exc), *exc.problems])) from exc


ALGORITHM = ExportPoster
