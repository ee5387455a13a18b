"""``qetgeo:profilesvsconstraints``: usage profiles and mobility footprints set against
transit access (PTAL from GTFS) and proximity to services; aggregates only."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
)

from ..plugin.i18n import tr
from ..qet_geo.constraints.params import CompareParameters
from .base import (
    FILE_BEHAVIOR,
    NUMBER_INTEGER,
    SOURCE_ANY_GEOMETRY,
    SOURCE_TABLE,
    WKB_MULTIPOLYGON,
    WKB_NO_GEOMETRY,
    QetGeoAlgorithm,
    add_area_parameters,
    add_service_day_parameters,
    add_threshold_parameters,
    advanced,
    parameter_names,
)
from .layers import areas_of, respondents_of
from .proximity import service_layers
from .transitaccess import add_route_types_parameter

REQUIRES = ("numpy", "pandas", "scipy", "shapely")


class ProfilesVsConstraints(QetGeoAlgorithm):
    NAME = "profilesvsconstraints"
    ISOLATED = True

    INPUT = "INPUT"
    AREAS = "AREAS"
    ID_FIELD = "ID_FIELD"
    NAME_FIELD = "NAME_FIELD"
    GTFS = "GTFS"
    DATE = "DATE"
    WINDOW = "WINDOW"
    GRID = "GRID"
    MODEL = "MODEL"
    SERVICES = "SERVICES"
    SATISFACTION = "SATISFACTION"
    PROFILE = "PROFILE"
    MIN_CELL = "MIN_CELL"
    ALLOW_BELOW_3 = "ALLOW_BELOW_3"
    BOOTSTRAP = "BOOTSTRAP"
    OUTPUT_AREAS = "OUTPUT_AREAS"
    OUTPUT_CLASSES = "OUTPUT_CLASSES"
    OUTPUT_SATISFACTION = "OUTPUT_SATISFACTION"
    CRAMERS_V = "CRAMERS_V"
    SPEARMAN = "SPEARMAN"

    def displayName(self) -> str:
        return tr("Profiles against the constraints of the place")

    def groupId(self) -> str:
        return "constraints"

    def tags(self) -> list[str]:
        return tr("profiles,PTAL,transit,proximity,bivariate,Cramér,Spearman").split(",")

    def help_text(self) -> str:
        return tr(
            "Sets the usage profiles against the constraints of the place. Each respondent "
            "gets the transit access (PTAL) of their home and, for each service layer, the "
            "distance to the nearest service. Outputs, aggregates only with small cells "
            "suppressed: per PTAL band and distance class the profile mix and the mean mobility "
            "footprint with intervals; per area a 3 × 3 bivariate class (share of the profile "
            "most turned to the car × transit access) for a bivariate map; with a satisfaction "
            "field (NO / DONT_KNOW / YES), the answers per PTAL band. The log gives Cramér's V "
            "(profiles × PTAL band) and Spearman's ρ (mobility footprint × access) with "
            "bootstrap intervals."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.INPUT, tr("Respondents"), types=[SOURCE_TABLE])
        )
        add_area_parameters(self)
        self.addParameter(
            QgsProcessingParameterFile(
                self.GTFS, tr("GTFS feed (zip)"), behavior=FILE_BEHAVIOR, extension="zip"
            )
        )
        add_service_day_parameters(self)
        add_route_types_parameter(self)
        self.addParameter(
            QgsProcessingParameterFile(
                self.MODEL,
                tr("Profile model (default: the respondents' profile field)"),
                behavior=FILE_BEHAVIOR,
                extension="json",
                optional=True,
            )  # fmt: skip
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.SERVICES,
                tr("Service layers (distance classes)"),
                layerType=SOURCE_ANY_GEOMETRY,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.SATISFACTION,
                tr("Satisfaction with transit access (NO / DONT_KNOW / YES)"),
                parentLayerParameterName=self.INPUT,
                optional=True,
            )  # fmt: skip
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterNumber(
                    self.PROFILE,
                    tr("Profile of the bivariate map (0: the most car-turned)"),
                    NUMBER_INTEGER,
                    0,
                    False,
                    0,
                )
            )
        )
        add_threshold_parameters(self)
        self.addParameter(
            advanced(
                QgsProcessingParameterNumber(
                    self.BOOTSTRAP,
                    tr("Bootstrap resamples"),
                    NUMBER_INTEGER,
                    CompareParameters.bootstrap,
                    False,
                    0,
                )
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT_AREAS, tr("Bivariate classes by area"))
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT_CLASSES, tr("Profiles by constraint class")
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT_SATISFACTION, tr("Satisfaction by PTAL band"), optional=True
            )
        )
        self.addOutput(
            QgsProcessingOutputNumber(self.CRAMERS_V, tr("Cramér's V (profiles × PTAL band)"))
        )
        self.addOutput(
            QgsProcessingOutputNumber(
                self.SPEARMAN, tr("Spearman's ρ (mobility footprint × access)")
            )
        )

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        from ..qet_geo.constraints import compare
        from ..qet_geo.constraints.compare import check_compare_parameters, check_profiles
        from ..qet_geo.profiles import ProfileModel
        from ..qet_geo.transit import transit_access
        from ..qet_geo.transit.params import TransitParameters

        p = self.read(parameters, context)
        # parameters first: an error raised while layers are read can outlive QGIS
        transit_params = TransitParameters.of(date=p.date, window=p.window, grid=p.grid,
                                              route_types=p.route_types,
                                              names=parameter_names(self, "date", "route_types"))  # fmt: skip
        check_compare_parameters(min_cell=p.min_cell, allow_below_3=p.allow_below_3,
                                 n_boot=p.bootstrap,
                                 names=parameter_names(self, "allow_below_3") | {"n_boot": "BOOTSTRAP"})  # fmt: skip
        areas = areas_of(self, parameters, p.areas, context, feedback)
        respondents = respondents_of(p.input, context, feedback, target_crs=p.areas.sourceCrs())
        model = ProfileModel.load(p.model) if p.model else None
        check_profiles(respondents, model, name=parameter_names(self, "model")["model"])
        transit = transit_access(p.gtfs, areas, params=transit_params)
        self.report(feedback, warnings=transit.warnings)  # the feed's (stops left out…), the grid's
        feedback.setProgress(40)
        result = compare(
            respondents, areas, transit, model=model,
            services=service_layers(self, parameters, self.SERVICES, context, feedback, areas.crs, respondents),
            satisfaction_column=p.satisfaction or None, focus_profile=p.profile or None,
            min_cell=p.min_cell, allow_below_3=p.allow_below_3, n_boot=p.bootstrap,
        )  # fmt: skip
        self.report(feedback, result.lines())
        written = self.sinks(parameters, context, feedback, {
            self.OUTPUT_AREAS: (result.areas, WKB_MULTIPOLYGON, result.crs),
            self.OUTPUT_CLASSES: (result.classes, WKB_NO_GEOMETRY, None),
            self.OUTPUT_SATISFACTION: (result.satisfaction if len(result.satisfaction) else None,
                                       WKB_NO_GEOMETRY, None),
        })  # fmt: skip
        s = result.summary
        return {**written, self.CRAMERS_V: s.cramers_v_profiles_ptal,
                self.SPEARMAN: s.spearman_mobility_ai}  # fmt: skip


ALGORITHM = ProfilesVsConstraints
