"""``qetgeo:transitaccess``: PTAL (Transport for London) from a GTFS feed on a grid over
the areas, and per area; distance to the nearest stop and departures nearby.

A thin shell over :func:`qet_geo.transit.transit_access`; QGIS reads the areas and
reprojects the stops (no pyproj inside QGIS, see qet_geo/geo.py).
"""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
)

from ..plugin.i18n import tr
from ..qet_geo.errors import QetGeoError
from ..qet_geo.transit.ptal import PtalParameters
from .base import (
    FILE_BEHAVIOR,
    NUMBER_DOUBLE,
    WKB_MULTIPOLYGON,
    WKB_POINT,
    QetGeoAlgorithm,
    add_area_parameters,
    add_population_parameters,
    add_service_day_parameters,
    advanced,
    parameter_names,
    with_decimals,
)
from .layers import areas_of, frame_of

REQUIRES = ("numpy", "pandas", "scipy", "shapely")

try:  # QGIS >= 3.36
    from qgis.core import Qgis

    SOURCE_LINE = Qgis.ProcessingSourceType.VectorLine
except AttributeError:
    from qgis.core import QgsProcessing

    SOURCE_LINE = QgsProcessing.SourceType.TypeVectorLine


def add_route_types_parameter(algorithm) -> None:
    """ROUTE_TYPES (advanced): modes of GTFS route types over the default table."""
    from qgis.core import QgsProcessingParameterString

    algorithm.addParameter(
        advanced(
            QgsProcessingParameterString(
                "ROUTE_TYPES",
                tr("Modes of route types (CODE=MODE, comma-separated, e.g. 99=bus, 4=none)"),
                defaultValue="",
                optional=True,
            )
        )
    )


def population_points(algorithm, parameters, context, feedback, crs):
    """(x/y, weights) of the population layer's features (centroids) in ``crs``, or None."""
    from ..qet_geo.geo import crs_of
    from ..qet_geo.geo import population_points as centroids_and_counts

    source = algorithm.parameterAsSource(parameters, "POPULATION", context)
    if source is None:
        return None
    field = algorithm.parameterAsString(parameters, "POPULATION_FIELD", context)
    if not field:
        raise QgsProcessingException(tr("Choose the population field of the population layer"))
    frame = frame_of(source, context, feedback, target_crs=crs)
    crs_of(frame, source.sourceName())  # squares without a CRS: refused, not assumed
    _refuse_respondents(algorithm, parameters, context, feedback, frame, source)
    return centroids_and_counts(frame, field)


def _refuse_respondents(algorithm, parameters, context, feedback, frame, source) -> None:
    """A layer of respondents (or, with the algorithm's RESPONDENTS, one on their homes) is
    no population layer: weighted by respondents, a small area's centroid is a home, and
    its distances and PTAL are published (the command line's ``--population`` refuses it
    the same way, with the same library check)."""
    from qgis.core import QgsProviderRegistry

    from ..qet_geo.privacy import check_not_respondents

    layer = algorithm.parameterAsVectorLayer(parameters, "POPULATION", context)
    parts = (
        QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
        if layer is not None
        else {}
    )
    respondents = None
    if algorithm.parameterDefinition("RESPONDENTS") is not None:
        from .proximity import respondents_frame

        respondents = respondents_frame(algorithm, parameters, context, feedback)
    try:
        check_not_respondents(frame, "population", path=parts.get("path"),
                              layer=parts.get("layerName"), name=source.sourceName(),
                              respondents=respondents)  # fmt: skip
    except QetGeoError as exc:
        raise QgsProcessingException(str(exc)) from exc


def optional_layers(algorithm, parameters, context, feedback, crs) -> dict:
    """``streets`` (the street lines, shapely, in ``crs``) and ``population`` (the
    population points), each None when not given; a layer without a CRS is refused, not
    assumed."""
    from ..qet_geo.geo import crs_of

    streets = None
    source = algorithm.parameterAsSource(parameters, "STREETS", context)
    if source is not None:
        frame = frame_of(source, context, feedback, target_crs=crs)
        crs_of(frame, source.sourceName())  # lines without a CRS: refused, not assumed
        streets = frame["geometry"].dropna().to_numpy()
    population = population_points(algorithm, parameters, context, feedback, crs)
    return {"streets": streets, "population": population}


class TransitAccess(QetGeoAlgorithm):
    NAME = "transitaccess"
    ISOLATED = True

    GTFS = "GTFS"
    AREAS = "AREAS"
    ID_FIELD = "ID_FIELD"
    NAME_FIELD = "NAME_FIELD"
    DATE = "DATE"
    WINDOW = "WINDOW"
    GRID = "GRID"
    WALK_SPEED = "WALK_SPEED"
    BUS_CATCHMENT = "BUS_CATCHMENT"
    RAIL_CATCHMENT = "RAIL_CATCHMENT"
    BUS_RELIABILITY = "BUS_RELIABILITY"
    RAIL_RELIABILITY = "RAIL_RELIABILITY"
    OTHER_WEIGHT = "OTHER_WEIGHT"
    DETOUR = "DETOUR"
    ROUTE_TYPES = "ROUTE_TYPES"
    STREETS = "STREETS"
    POPULATION = "POPULATION"
    POPULATION_FIELD = "POPULATION_FIELD"
    OUTPUT_GRID = "OUTPUT_GRID"
    OUTPUT_AREAS = "OUTPUT_AREAS"
    GRID_POINTS = "GRID_POINTS"

    def displayName(self) -> str:
        return tr("Transit access (PTAL) from GTFS")

    def groupId(self) -> str:
        return "constraints"

    def tags(self) -> list[str]:
        return tr("PTAL,GTFS,transit,bus,tram,access,accessibility").split(",")

    def help_text(self) -> str:
        return tr(
            "Public Transport Accessibility Level (Transport for London) from a GTFS feed, "
            "on a regular grid over the areas, and per area: mean access index, its band, "
            "the share of the area in each band, distance to the nearest stop and departures "
            "per hour within 400 m and 800 m.\n\n"
            "Bus stops count within 640 m and stations within 960 m, walked at 80 m/min; for "
            "each route, its nearest stop and busiest direction in the time window (08:15–09:15 "
            "by default) give its frequency. The service day is the date given, or the "
            "busiest weekday of the feed. Every constant can be changed (advanced "
            "parameters). Modes are kept apart as TfL does (bus, tram, metro, rail, ferry, "
            "cable, funicular), each route by its GTFS route type; an unknown route type is "
            "reported and can be given a mode (e.g. 99=bus). Distances are metres: areas in "
            "degrees or feet are measured in their UTM zone (the log says which)."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFile(
                self.GTFS, tr("GTFS feed (zip)"), behavior=FILE_BEHAVIOR, extension="zip"
            )
        )
        add_area_parameters(self)
        add_service_day_parameters(self)
        ptal = PtalParameters()  # TfL's constants
        for name, label, default, decimals in (
            (self.WALK_SPEED, tr("Walking speed (m/min)"), ptal.walk_speed, 1),
            (self.BUS_CATCHMENT, tr("Bus stop catchment (m)"), ptal.catchment["bus"], 0),
            (self.RAIL_CATCHMENT, tr("Station catchment (m)"), ptal.catchment["rail"], 0),
            (self.BUS_RELIABILITY, tr("Bus reliability (min)"), ptal.reliability["bus"], 2),
            (self.RAIL_RELIABILITY, tr("Rail reliability (min)"), ptal.reliability["rail"], 2),
            (self.OTHER_WEIGHT, tr("Weight of the other routes"), ptal.other_weight, 2),
            (self.DETOUR, tr("Detour factor (walk / straight line)"), ptal.detour, 2),
        ):
            number = QgsProcessingParameterNumber(name, label, NUMBER_DOUBLE, default, False, 0.0)
            self.addParameter(advanced(with_decimals(number, decimals)))
        add_route_types_parameter(self)
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.STREETS,
                tr("Street lines (walk along them; default: straight lines × detour)"),
                types=[SOURCE_LINE],
                optional=True,
            )  # fmt: skip
        )
        add_population_parameters(
            self, tr("Population points or squares (population-weighted mean per area)")
        )
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT_GRID, tr("PTAL grid")))
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT_AREAS, tr("Transit access by area"))
        )
        self.addOutput(QgsProcessingOutputNumber(self.GRID_POINTS, tr("Grid points")))

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        from ..qet_geo.transit import transit_access
        from ..qet_geo.transit.params import TransitParameters
        from ..qet_geo.transit.ptal import PTAL_OPTIONS

        p = self.read(parameters, context)
        areas = areas_of(self, parameters, p.areas, context, feedback)
        params = TransitParameters.of(
            date=p.date, window=p.window, grid=p.grid, route_types=p.route_types,
            names=parameter_names(self, *PTAL_OPTIONS, "route_types", "date"),
            **{key: p[key] for key in PTAL_OPTIONS},
        )  # fmt: skip
        result = transit_access(p.gtfs, areas, params=params,
                                **optional_layers(self, parameters, context, feedback, p.areas.sourceCrs()))  # fmt: skip
        feedback.setProgress(70)
        written = self.sinks(parameters, context, feedback, {
            self.OUTPUT_GRID: (result.grid_frame(), WKB_POINT, result.crs),
            self.OUTPUT_AREAS: (result.areas, WKB_MULTIPOLYGON, result.crs),
        })  # fmt: skip
        self.report(feedback, result.lines(), result.warnings)
        return {**written, self.GRID_POINTS: result.summary.grid_points}


ALGORITHM = TransitAccess
