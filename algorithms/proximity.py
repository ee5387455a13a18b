"""``qetgeo:proximity``: distance to services (shops, markets, repair shops, schools,
parks…) per area, from a grid over each area and from its centroid."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..plugin.i18n import tr
from ..qet_geo.constraints.params import ProximityParameters
from ..qet_geo.limits import MIN_GRID_SPACING_M
from .base import (
    NUMBER_DOUBLE,
    SOURCE_ANY_GEOMETRY,
    WKB_MULTIPOLYGON,
    QetGeoAlgorithm,
    add_area_parameters,
    add_population_parameters,
    advanced,
    parameter_names,
    with_decimals,
)
from .layers import areas_of, frame_of

#: the defaults of the parameters
DEFAULTS = ProximityParameters()

REQUIRES = ("numpy", "pandas", "scipy", "shapely")


#: A layer's custom property naming its service (set by qetgeo:runpipeline from the
#: configuration's names); without it a GeoPackage layer goes by its own name.
SERVICE_PROPERTY = "qet_geo/service"


def service_layers(algorithm, parameters, name, context, feedback, crs, respondents=None) -> dict:
    """Layer name → x/y of its features (centroids) in ``crs``, read and reprojected by QGIS;
    a layer of respondents, or on their homes (``respondents``: a frame), is refused."""
    from qgis.core import QgsProviderRegistry

    from ..qet_geo.constraints import service_points
    from ..qet_geo.privacy import check_not_respondents

    out = {}
    for layer in algorithm.parameterAsLayerList(parameters, name, context):
        parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
        label = (
            layer.customProperty(SERVICE_PROPERTY)
            or parts.get("layerName")  # a GeoPackage layer by its own name
            or layer.name()
        )
        frame = frame_of(layer, context, feedback)
        check_not_respondents(frame, "service", path=parts.get("path"),
                              layer=parts.get("layerName"), name=layer.name(),
                              respondents=respondents)  # fmt: skip
        out[label] = service_points(frame, label, crs)
    return out


def add_respondents_parameter(algorithm, name: str = "RESPONDENTS") -> None:
    """The optional respondents layer: layers on their homes are then refused."""
    from qgis.core import QgsProcessingParameterFeatureSource

    from .base import SOURCE_TABLE

    algorithm.addParameter(
        advanced(
            QgsProcessingParameterFeatureSource(
                name,
                tr("Respondents (to refuse layers made from their homes)"),
                types=[SOURCE_TABLE],
                optional=True,
            )
        )
    )


def respondents_frame(algorithm, parameters, context, feedback, name: str = "RESPONDENTS"):
    """The respondents of the optional parameter ``name`` as a frame, or None."""
    source = algorithm.parameterAsSource(parameters, name, context)
    return None if source is None else frame_of(source, context, feedback)


class Proximity(QetGeoAlgorithm):
    NAME = "proximity"
    ISOLATED = True

    AREAS = "AREAS"
    ID_FIELD = "ID_FIELD"
    NAME_FIELD = "NAME_FIELD"
    SERVICES = "SERVICES"
    PEOPLE = "PEOPLE"
    GRID = "GRID"
    RADIUS = "RADIUS"
    WITHIN = "WITHIN"
    DETOUR = "DETOUR"
    POPULATION = "POPULATION"
    POPULATION_FIELD = "POPULATION_FIELD"
    RESPONDENTS = "RESPONDENTS"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:
        return tr("Proximity to services")

    def groupId(self) -> str:
        return "constraints"

    def tags(self) -> list[str]:
        return tr("proximity,distance,shops,market,repair,services,accessibility").split(",")

    def help_text(self) -> str:
        return tr(
            "For each area and each service layer (food shops, markets, repair and "
            "second-hand shops, schools, parks…): the mean distance from the area's grid "
            "points to the nearest service, the distance from the area's centroid, the number "
            "of services within the radius of the centroid, and the share of the area within "
            "each distance. Fields are named after the layers. Distances are in metres whatever "
            "the areas' CRS (measured in a local metric CRS when needed)."
        )

    def initAlgorithm(self, config=None) -> None:
        add_area_parameters(self)
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.SERVICES, tr("Service layers"), layerType=SOURCE_ANY_GEOMETRY
            )
        )
        self.addParameter(
            with_decimals(
                QgsProcessingParameterNumber(
                    self.GRID,
                    tr("Grid spacing (m)"),
                    NUMBER_DOUBLE,
                    DEFAULTS.grid,
                    False,
                    MIN_GRID_SPACING_M,
                ),
                1,
            )
        )
        self.addParameter(
            with_decimals(
                QgsProcessingParameterNumber(
                    self.RADIUS,
                    tr("Count services within (m)"),
                    NUMBER_DOUBLE,
                    DEFAULTS.radius,
                    False,
                    1.0,
                ),
                0,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.WITHIN,
                tr("Shares of the area within (m, comma-separated)"),
                defaultValue=",".join(f"{d:g}" for d in DEFAULTS.within),
            )
        )
        self.addParameter(
            advanced(
                with_decimals(
                    QgsProcessingParameterNumber(
                        self.DETOUR,
                        tr("Detour factor (walk / straight line)"),
                        NUMBER_DOUBLE,
                        DEFAULTS.detour,
                        False,
                        1.0,
                    ),
                    2,
                )
            )
        )
        add_population_parameters(
            self, tr("Population points or squares (population-weighted centroids)")
        )
        add_respondents_parameter(self, self.RESPONDENTS)
        self.addParameter(
            advanced(
                QgsProcessingParameterString(
                    self.PEOPLE,
                    tr("Service layers whose points are people (names, comma-separated)"),
                    defaultValue="",
                    optional=True,
                )
            )
        )
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Proximity by area")))

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        from ..qet_geo.constraints import proximity
        from .transitaccess import population_points

        p = self.read(parameters, context)
        params = ProximityParameters.of(  # before any layer is read, named as in the dialog
            grid=p.grid, radius=p.radius, within=p.within, detour=p.detour, people=p.people,
            names=parameter_names(self, "grid", "radius", "within", "detour"),
        )  # fmt: skip
        areas = areas_of(self, parameters, p.areas, context, feedback)
        respondents = respondents_frame(self, parameters, context, feedback, self.RESPONDENTS)
        result = proximity(
            areas,
            service_layers(self, parameters, self.SERVICES, context, feedback, areas.crs, respondents),
            params=params,
            population=population_points(self, parameters, context, feedback, p.areas.sourceCrs()),
        )  # fmt: skip
        written = self.sinks(parameters, context, feedback, {
            self.OUTPUT: (result.areas, WKB_MULTIPOLYGON, result.crs),
        })  # fmt: skip
        self.report(feedback, result.lines(), result.warnings)
        return written


ALGORITHM = Proximity
