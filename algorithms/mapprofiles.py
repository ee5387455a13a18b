"""``qetgeo:mapprofiles``: indicators per area — profile mix with intervals, footprints,
representativeness against the census, disclosure control — as one styled GeoPackage.

A thin shell over :func:`qet_geo.areas.map_areas` and :func:`qet_geo.areas.write_area_map`.

Inside QGIS no geopandas, pyproj or pyogrio is used: their wheels carry their own PROJ and
GDAL, which conflict with QGIS's (QGIS or qgis_process crash on exit). QGIS reads the layers,
reprojects the points and writes the GeoPackage; the library works on pandas and shapely.
"""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)

from ..plugin.i18n import tr
from ..qet_geo.areas.params import WEIGHTINGS, AreaParameters
from .base import (
    FILE_BEHAVIOR,
    SOURCE_TABLE,
    QetGeoAlgorithm,
    add_area_parameters,
    add_threshold_parameters,
    advanced,
    check_files,
    choice_parameter,
)
from .layer_style import load_styled
from .layers import areas_of, respondents_of

REQUIRES = ("numpy", "pandas", "scipy", "shapely")


class MapProfiles(QetGeoAlgorithm):
    NAME = "mapprofiles"
    ISOLATED = True

    INPUT = "INPUT"
    AREAS = "AREAS"
    ID_FIELD = "ID_FIELD"
    NAME_FIELD = "NAME_FIELD"
    CODE_FIELD = "CODE_FIELD"
    NEIGHBOURHOODS = "NEIGHBOURHOODS"
    MODEL = "MODEL"
    CENSUS = "CENSUS"
    WEIGHTS = "WEIGHTS"
    MIN_CELL = "MIN_CELL"
    ALLOW_BELOW_3 = "ALLOW_BELOW_3"
    OUTPUT = "OUTPUT"
    JOINED = "JOINED"
    SUPPRESSED = "SUPPRESSED"

    def displayName(self) -> str:
        return tr("Map usage profiles by area")

    def groupId(self) -> str:
        return "maps"

    def tags(self) -> list[str]:
        return tr("map,IRIS,quartier,profiles,representativeness,census,raking,disclosure").split(
            ","
        )

    def help_text(self) -> str:
        return tr(
            "For each area (IRIS, quartier or any zone): how many answered (n and effective "
            "n), the share of each usage profile with its Wilson interval and Goodman "
            "simultaneous interval, the dominant profile (or none clearly dominant), index "
            "scores against the whole study, the mean footprint per usage with its interval "
            "against the study and the French Nos Gestes Climat average.\n\n"
            "With the INSEE census file (base-ic-evol-struct-pop): representativeness by age, "
            "sex and PCS, target sample sizes at 3/4/5 %, the achieved margin of error, and "
            "optional raking weights.\n\n"
            "Respondents join by point (a point on a shared boundary goes to the area whose id "
            "sorts first) or by an area code field; those outside every area or with an "
            "unknown code are counted in the log. Areas and area × profile cells under the "
            "threshold (11 by default) are suppressed, with complementary suppression. The "
            "GeoPackage holds aggregates only and opens styled: dominant profile in the "
            "profiles' colours, suppressed areas grey and hatched."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.INPUT, tr("Respondents"), types=[SOURCE_TABLE])
        )
        add_area_parameters(self)
        self.addParameter(
            advanced(
                QgsProcessingParameterField(
                    self.CODE_FIELD,
                    tr("Join by this area code field of the respondents (instead of points)"),
                    parentLayerParameterName=self.INPUT,
                    optional=True,
                )
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterString(
                    self.NEIGHBOURHOODS,
                    tr("Neighbourhoods as sets of area ids, dissolved (Centre=id1,id2;North=id3)"),
                    optional=True,
                )
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.MODEL,
                tr("Profile model (default: the respondents' profile field)"),
                behavior=FILE_BEHAVIOR,
                extension="json",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.CENSUS,
                tr("INSEE census file (base-ic-evol-struct-pop, CSV)"),
                behavior=FILE_BEHAVIOR,
                extension="csv",
                optional=True,
            )
        )
        self.addParameter(
            choice_parameter(
                self.WEIGHTS,
                tr("Weights"),
                WEIGHTINGS,
                [tr("survey weights"), tr("raking to the census"), tr("none")],
                default=AreaParameters.weights,
            )
        )
        add_threshold_parameters(self)
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT, tr("Area map (GeoPackage)"), tr("GeoPackage (*.gpkg)")
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.JOINED, tr("Respondents mapped")))
        self.addOutput(QgsProcessingOutputNumber(self.SUPPRESSED, tr("Areas suppressed")))

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        from ..qet_geo.areas import map_areas, read_census
        from ..qet_geo.areas.output import LAYER, area_map_files, write_area_map
        from ..qet_geo.areas.zones import parse_groups
        from ..qet_geo.profiles import ProfileModel

        p = self.read(parameters, context)
        respondents = respondents_of(p.input, context, feedback, target_crs=p.areas.sourceCrs())
        areas = areas_of(self, parameters, p.areas, context, feedback,
                         groups=parse_groups(p.neighbourhoods))  # fmt: skip
        feedback.setProgress(20)
        result = map_areas(
            respondents, areas, model=ProfileModel.load(p.model) if p.model else None,
            census=read_census(p.census) if p.census else None, weights=p.weights,
            min_cell=p.min_cell, allow_below_3=p.allow_below_3, code_column=p.code_field or None,
        )  # fmt: skip
        feedback.setProgress(70)
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        check_files(self, parameters, context, area_map_files(output))
        written = write_area_map(result, output)  # by QGIS (the geo backend)
        self.report(feedback, [*result.lines(), *(f"  {path}" for path in written)],
                    result.warnings)  # fmt: skip
        load_styled(context, f"{written[0]}|layername={LAYER}", tr("Usage profiles by area"),
                    self.OUTPUT)  # fmt: skip
        s = result.summary
        return {self.OUTPUT: str(written[0]), self.JOINED: s.joined,
                self.SUPPRESSED: s.areas_suppressed}  # fmt: skip


ALGORITHM = MapProfiles
