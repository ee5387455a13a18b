"""``qetgeo:profilesvsconstraints``: usage profiles and mobility footprints set against
transit access (PTAL from GTFS) and proximity to services; aggregates only."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
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
from ..qet_geo.errors import QetGeoError
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
)
from .layers import areas_of, frame_of, frame_to_sink
from .proximity import service_layers
from .transitaccess import _label, add_route_types_parameter

REQUIRES = ("numpy", "pandas", "scipy", "shapely")


class ProfilesVsConstraints(QetGeoAlgorithm):
    NAME = "profilesvsconstraints"

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

    def group(self) -> str:
        return tr("Constraints of the place")

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
        from .isolation import isolation_needed, run_apart

        if isolation_needed():  # QGIS's GEOS is in shapely's way (isolation.py)
            return run_apart(self, parameters, context, feedback)

        from ..qet_geo.areas.disclosure import check_min_cell
        from ..qet_geo.constraints import compare
        from ..qet_geo.profiles import ProfileModel
        from ..qet_geo.transit import PtalParameters, parse_window, read_gtfs, transit_access
        from ..qet_geo.transit.gtfs import parse_date

        # parameters first: an error raised while layers are open can outlive QGIS
        min_cell = self.parameterAsInt(parameters, self.MIN_CELL, context)
        try:
            check_min_cell(
                min_cell, self.parameterAsBoolean(parameters, self.ALLOW_BELOW_3, context)
            )
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from None
        source = self.parameterAsSource(parameters, self.INPUT, context)
        polygons = self.parameterAsSource(parameters, self.AREAS, context)
        if source is None or polygons is None:
            raise QgsProcessingException(
                self.invalidSourceError(parameters, self.INPUT if source is None else self.AREAS)
            )
        try:
            areas = areas_of(self, parameters, polygons, context, feedback)
            respondents = frame_of(source, context, feedback, target_crs=polygons.sourceCrs())
            if respondents["geometry"].isna().all():
                respondents = respondents.drop(columns="geometry")
            date_text = self.parameterAsString(parameters, self.DATE, context).strip()
            transit = transit_access(
                read_gtfs(self.parameterAsFile(parameters, self.GTFS, context)),
                areas,
                date=parse_date(date_text, self.parameterDefinition(self.DATE).description()),
                params=PtalParameters.of(
                    window=parse_window(self.parameterAsString(parameters, self.WINDOW, context)),
                    route_types=self.parameterAsString(parameters, "ROUTE_TYPES", context),
                    names={"route_types": _label(self, "ROUTE_TYPES")},
                ),
                spacing=self.parameterAsDouble(parameters, self.GRID, context),
            )
            for warning in transit.warnings:  # the feed's (stops left out…) and the grid's
                feedback.pushWarning(str(warning))
            feedback.setProgress(40)
            model_path = self.parameterAsFile(parameters, self.MODEL, context)
            model = ProfileModel.load(model_path) if model_path else None
            if model is None and "profile" not in respondents.columns:
                raise QgsProcessingException(
                    tr("No profiles: give the profile model, or respondents with a profile field")
                )
            result = compare(
                respondents,
                areas,
                transit,
                model=model,
                services=service_layers(
                    self, parameters, self.SERVICES, context, feedback, areas.crs, respondents
                ),
                satisfaction_column=self.parameterAsString(parameters, self.SATISFACTION, context)
                or None,
                focus_profile=self.parameterAsInt(parameters, self.PROFILE, context) or None,
                min_cell=min_cell,
                allow_below_3=self.parameterAsBoolean(parameters, self.ALLOW_BELOW_3, context),
                n_boot=self.parameterAsInt(parameters, self.BOOTSTRAP, context),
            )
        except (QetGeoError, ValueError) as exc:
            raise QgsProcessingException(str(exc)) from exc
        s = result.summary
        feedback.pushInfo(
            tr(
                "Cramér's V {v} {ci}; Spearman's ρ {rho} {ci2}; bivariate map of profile {p}"
            ).format(
                v=s.cramers_v_profiles_ptal,
                ci=s.cramers_v_95,
                rho=s.spearman_mobility_ai,
                ci2=s.spearman_95,
                p=s.bivariate_profile,
            )  # fmt: skip
        )
        results = {
            self.OUTPUT_AREAS: frame_to_sink(
                self,
                parameters,
                context,
                feedback,
                self.OUTPUT_AREAS,
                result.areas,
                WKB_MULTIPOLYGON,
                result.crs,
            ),  # fmt: skip
            self.OUTPUT_CLASSES: frame_to_sink(
                self,
                parameters,
                context,
                feedback,
                self.OUTPUT_CLASSES,
                result.classes,
                WKB_NO_GEOMETRY,
                None,
            ),  # fmt: skip
            self.CRAMERS_V: s.cramers_v_profiles_ptal,
            self.SPEARMAN: s.spearman_mobility_ai,
        }
        if len(result.satisfaction) and parameters.get(self.OUTPUT_SATISFACTION):
            results[self.OUTPUT_SATISFACTION] = frame_to_sink(
                self,
                parameters,
                context,
                feedback,
                self.OUTPUT_SATISFACTION,
                result.satisfaction,
                WKB_NO_GEOMETRY,
                None,
            )
        return results


ALGORITHM = ProfilesVsConstraints
