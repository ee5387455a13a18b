"""``qetgeo:analysediagnostic``: the EMdV and Nos Gestes Climat answers linked to the
profiles and analysed per profile and for the neighbourhood, as one GeoPackage.

A thin shell over :func:`qet_geo.diagnostic.job.run_diagnostic`, the function the command
``qet-geo diagnostic summarize`` calls (docs/diagnostic.md): the same files, the same
figures. The published GeoPackage holds aggregates only (every value under the threshold
hidden); the private working file beside it holds the free texts, the links and the
rejected rows.
"""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..plugin.i18n import tr
from .base import (
    FILE_BEHAVIOR,
    NUMBER_DOUBLE,
    QetGeoAlgorithm,
    add_threshold_parameters,
    advanced,
    check_files,
    optional_geopackage,
)
from .importemdv import add_profile_parameters, export_filter, names_of, problems_to_log

REQUIRES = ("numpy", "pandas", "scipy", "yaml")


def table_names() -> dict[str, str]:
    """How the project names the published tables."""
    return {
        "satisfaction": tr("Diagnostic: satisfaction"),
        "wishes": tr("Diagnostic: wishes to change"),
        "barriers": tr("Diagnostic: barriers"),
        "trips": tr("Diagnostic: trips"),
        "carbon": tr("Diagnostic: carbon footprint"),
        "profiles": tr("Diagnostic: profiles"),
        "testimonies": tr("Diagnostic: testimonies"),
        "area_estimates": tr("Diagnostic: estimates per area (from the profile mix)"),
        "place_bands": tr("Diagnostic: against the place (transit and shops per band)"),
        "forum_subjects": tr("Forum: impact subjects, ranked"),
        "levers": tr("Room for manoeuvre: potential per lever and profile"),
        "lever_savings": tr("Room for manoeuvre: saving per lever and band"),
        "structural": tr("Room for manoeuvre: where a public action could unlock it"),
        "area_potentials": tr("Forum: potential of each subject per area"),
        "lever_areas": tr("Room for manoeuvre: potential of each lever per area"),
    }


class AnalyseDiagnostic(QetGeoAlgorithm):
    NAME = "analysediagnostic"

    SU = "SU"
    EMDV = "EMDV"
    NGC = "NGC"
    SU_DATA = "SU_DATA"
    MODEL = "MODEL"
    MIN_CELL = "MIN_CELL"
    ALLOW_BELOW_3 = "ALLOW_BELOW_3"
    REVIEW = "REVIEW"
    AREAS = "AREAS"
    PTAL = "PTAL"
    PROXIMITY = "PROXIMITY"
    FOOD_SERVICE = "FOOD_SERVICE"
    REPAIR_SERVICE = "REPAIR_SERVICE"
    LEVERS = "LEVERS"
    RESIDENTS = "RESIDENTS"
    OUTPUT = "OUTPUT"
    PRIVATE = "PRIVATE"
    WRITTEN = "WRITTEN"

    def displayName(self) -> str:
        return tr("Analyse the diagnostic")

    def groupId(self) -> str:
        return "diagnostic"

    def tags(self) -> list[str]:
        return tr("diagnostic,EMdV,Espace et Mode de Vie,Nos Gestes Climat,NGC,profiles,"
                  "satisfaction,barriers,trips,carbon,disclosure").split(",")  # fmt: skip

    def help_text(self) -> str:
        return tr(
            "The Quartiers en Transitions diagnostic per usage profile and for the "
            "neighbourhood, as the command qet-geo diagnostic summarize gives it: "
            "satisfaction with the neighbourhood, wishes to change and their barriers, "
            "trips with their distance classes (from the Espace et Mode de Vie answers) and "
            "the mean carbon footprint (from the Nos Gestes Climat answers), each share with "
            "its interval.\n\n"
            "Give the SU answers (for the number of respondents per profile), the EMdV "
            "answers, the NGC answers or both, and the profiles: NEAR's Su Data.json or a "
            "saved profile model. Each respondent is linked to the profile whose code it "
            "gave, else to the nearest by its six Sphères d'Usages answers. The "
            "neighbourhood figure weights each profile by its share of the population.\n\n"
            "The GeoPackage holds aggregates only, a CSV beside it for each table: every "
            "value under the threshold (11 respondents by default) is hidden, with the "
            "values that would give it back. The private working file beside it "
            "(name.private.gpkg, never to be shared) holds every free text with its id, the "
            "links to the profiles and the rejected rows; a reviewer lists the testimonies to "
            "publish in a review file (text_id and publish columns), whose texts are "
            "published with e-mails, phone numbers and street numbers masked.\n\n"
            "With an area map (the GeoPackage of Map usage profiles by area, with the "
            "profile shares of each area), every figure is also estimated per area from its "
            'profile mix, flagged "estimation par profils", and loaded as a map layer. With '
            "the transit access (PTAL) and proximity GeoPackages too, transit satisfaction and "
            'the barrier "no stop near my home" are set against PTAL, food-shop satisfaction '
            'and "no second-hand shop near me" against the distance to the food and repair '
            "services named, per area and per band.\n\n"
            "With the SU answers' six habits, the room for manoeuvre too: each lever's "
            "saving per person (the Nos Gestes Climat footprint of the respondent's band "
            "minus the lever's target band), its potential in tCO2e per year for the "
            "residents aged 15+ (the area map's census, or the number given), per profile "
            "and per area, split by willingness (already done, planned, wished but blocked, "
            "not wanted), the areas where residents are blocked and the measured constraint "
            "is poor (what a public action could unlock), and the forum's impact subjects "
            "ranked. A potential, not a forecast. The levers are the built-in ones, or a "
            "levers file (.yaml) of the same form."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFile(
                self.SU,
                tr("SU answers (NEAR export with Su ID, or the six answers)"),
                behavior=FILE_BEHAVIOR,
                fileFilter=export_filter(),
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.EMDV,
                tr("Espace et Mode de Vie answers"),
                behavior=FILE_BEHAVIOR,
                optional=True,
                fileFilter=export_filter(),
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.NGC,
                tr("Nos Gestes Climat answers"),
                behavior=FILE_BEHAVIOR,
                optional=True,
                fileFilter=export_filter(),
            )
        )
        add_profile_parameters(self)
        add_threshold_parameters(self)
        self.addParameter(
            QgsProcessingParameterFile(
                self.REVIEW,
                tr("Review file: the testimonies to publish (text_id, publish)"),
                behavior=FILE_BEHAVIOR,
                optional=True,
                fileFilter=tr("Tables")
                + " (*.csv *.tsv *.txt *.xlsx *.ods);;"
                + tr("All files")
                + " (*.*)",
            )
        )
        for name, label in (
            (self.AREAS, tr("Area map (GeoPackage from Map usage profiles by area): estimates per area")),
            (self.PTAL, tr("Transit access (GeoPackage from Transit access (PTAL) from GTFS)")),
            (self.PROXIMITY, tr("Proximity of services (GeoPackage from Proximity to services)")),
        ):  # fmt: skip
            self.addParameter(optional_geopackage(name, label))
        for name, label in (
            (self.FOOD_SERVICE, tr("Service of the food shops (in the proximity file)")),
            (self.REPAIR_SERVICE, tr("Service of the repair and second-hand shops")),
        ):
            self.addParameter(QgsProcessingParameterString(name, label, optional=True))
        self.addParameter(
            advanced(
                QgsProcessingParameterFile(
                    self.LEVERS,
                    tr("Levers file (.yaml; default: the built-in levers)"),
                    behavior=FILE_BEHAVIOR,
                    optional=True,
                    fileFilter="YAML (*.yaml *.yml)",
                )
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.RESIDENTS,
                tr("Residents aged 15+ (default: the area map's census)"),
                NUMBER_DOUBLE,
                None,
                True,
                1,
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT, tr("Diagnostic (GeoPackage)"), tr("GeoPackage (*.gpkg)")
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterFileDestination(
                    self.PRIVATE,
                    tr("Private working file (default: beside the diagnostic, name.private.gpkg)"),
                    tr("GeoPackage (*.gpkg)"),
                    optional=True,
                    createByDefault=False,
                )
            )
        )
        self.addOutput(QgsProcessingOutputString(self.WRITTEN, tr("Files written")))

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        from pathlib import Path

        from ..qet_geo.diagnostic.job import run_diagnostic
        from ..qet_geo.diagnostic.output import output_files, private_path
        from ..qet_geo.diagnostic.places import read_place

        p = self.read(parameters, context)
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        if not Path(output).suffix:  # the dialog's format: GeoPackage
            output += ".gpkg"
        private = self.parameterAsFileOutput(parameters, self.PRIVATE, context) or None
        check_files(self, parameters, context, output_files(output, private))
        place = problems_to_log(lambda: read_place(
            p.ptal or None, p.proximity or None, p.food_service or None, p.repair_service or None,
        ), feedback)  # fmt: skip
        if place is not None and not p.areas:
            raise QgsProcessingException(
                tr(
                    "The transit access and proximity files set the areas' figures against the "
                    "place: give the area map too (AREAS)."
                )
            )
        given = parameters.get(self.RESIDENTS)
        residents = (self.parameterAsDouble(parameters, self.RESIDENTS, context)
                     if given not in (None, "") else None)  # fmt: skip
        run = problems_to_log(lambda: run_diagnostic(
            su=p.su, emdv=p.emdv or None, ngc=p.ngc or None, su_data=p.su_data or None,
            model=p.model or None, min_cell=p.min_cell, allow_below_3=p.allow_below_3,
            review=p.review or None, output=output, private=private, names=names_of(self),
            areas=p.areas or None, place=place, levers=p.levers or None,
            residents=residents,
        ), feedback)  # fmt: skip
        feedback.setProgress(90)
        self.report(feedback, [*run.lines(), *(f"  {path}" for path in run.written)])
        self._load(context, output, run)
        return {
            self.OUTPUT: output,
            self.PRIVATE: str(private or private_path(output)),
            self.WRITTEN: "\n".join(str(path) for path in run.written),
        }

    def _load(self, context, output: str, run) -> None:
        """The published tables loaded into the project at the end of the run, as the
        area map of ``qetgeo:mapprofiles`` is (tables: no style to apply, so no
        post-processor)."""
        from qgis.core import QgsProcessingContext

        names = table_names()
        layers = [name for name, table in run.diagnostic.tables().items() if len(table.columns)]
        if run.published_texts is not None and len(run.published_texts):
            layers.append("testimonies")
        if run.area_estimates is not None:
            layers.append("area_estimates")
        if run.place_bands is not None and len(run.place_bands):
            layers.append("place_bands")
        if run.manoeuvre is not None:
            layers += ["forum_subjects", "levers", "structural"]
            if run.subject_areas is not None:
                layers.append("area_potentials")
        for layer in layers:
            details = QgsProcessingContext.LayerDetails(names[layer], context.project(),
                                                        self.OUTPUT)  # fmt: skip
            context.addLayerToLoadOnCompletion(f"{output}|layername={layer}", details)


ALGORITHM = AnalyseDiagnostic
