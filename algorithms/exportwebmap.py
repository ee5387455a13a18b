"""``qetgeo:exportwebmap``: the forum web map (one HTML page, offline by default) from the
area map GeoPackage, with PTAL, the bivariate map, transit lines and plain background
layers as options.

A thin shell over :mod:`qet_geo.export.webmap`; QGIS reads every layer (no geopandas or
pyproj inside QGIS, see qet_geo/geo.py). Aggregates only: the page never holds a
respondent point.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
)

from ..plugin.i18n import tr
from ..qet_geo.errors import QetGeoError
from ..qet_geo.export.params import OutputParameters
from .base import (
    FILE_BEHAVIOR,
    SOURCE_ANY_GEOMETRY,
    SOURCE_POLYGON,
    QetGeoAlgorithm,
    add_language_parameter,
    advanced,
    check_files,
    date_parameter,
    enum_string,
)
from .layers import frame_of
from .proximity import add_respondents_parameter

REQUIRES = ("numpy", "pandas", "shapely", "folium")
#: the defaults of the outputs' parameters
DEFAULTS = OutputParameters()


class ExportWebMap(QetGeoAlgorithm):
    NAME = "exportwebmap"

    AREA_MAP = "AREA_MAP"
    PTAL = "PTAL"
    BIVARIATE = "BIVARIATE"
    GTFS = "GTFS"
    BACKGROUND = "BACKGROUND"
    RESPONDENTS = "RESPONDENTS"
    TITLE = "TITLE"
    DATE = "DATE"
    LANGUAGE = "LANGUAGE"
    OFFLINE = "OFFLINE"
    TILES = "TILES"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:
        return tr("Export the forum web map")

    def group(self) -> str:
        return tr("Forum outputs")

    def groupId(self) -> str:
        return "forum"

    def tags(self) -> list[str]:
        return tr("web map,html,leaflet,forum,offline,carte").split(",")

    def help_text(self) -> str:
        return tr(
            "One HTML page to show at a neighbourhood forum, from the area map GeoPackage "
            "written by Map usage profiles by area: the dominant profile in the profiles' "
            "colours, the share of each profile, the mean footprint in total and per usage, "
            "and, when given, transit access (PTAL) and the bivariate map profile × access; "
            "a layer control, a legend, a popup per area (n, profile mix, footprint against "
            "the study and the French average, PTAL band), title, sources and date. Areas "
            "under the threshold are grey and hatched.\n\n"
            "Offline (the default), the page carries every script and style and uses no tile "
            "server: it works in a hall without internet. Plain background layers can be "
            "drawn instead of tiles. Only aggregates are written, never a respondent."
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
            QgsProcessingParameterFeatureSource(
                self.PTAL, tr("Transit access by area (PTAL)"), [SOURCE_POLYGON], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.BIVARIATE,
                tr("Bivariate classes by area (Profiles against constraints)"),
                [SOURCE_POLYGON],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.GTFS,
                tr("GTFS feed (zip): transit stops and lines"),
                behavior=FILE_BEHAVIOR,
                extension="zip",
                optional=True,
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterMultipleLayers(
                    self.BACKGROUND,
                    tr("Plain background layers (drawn in grey, offline)"),
                    layerType=SOURCE_ANY_GEOMETRY,
                    optional=True,
                )
            )
        )
        add_respondents_parameter(self, self.RESPONDENTS)
        self.addParameter(QgsProcessingParameterString(self.TITLE, tr("Title"), optional=True))
        self.addParameter(
            advanced(
                QgsProcessingParameterString(
                    self.DATE, tr("Date printed (YYYY-MM-DD; default: today)"), optional=True
                )
            )
        )
        add_language_parameter(self, self.LANGUAGE)
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.OFFLINE,
                tr("Offline: everything in the page, no tile server"),
                defaultValue=DEFAULTS.offline,
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterBoolean(
                    self.TILES,
                    tr("OpenStreetMap background (online pages only)"),
                    defaultValue=DEFAULTS.tiles,
                )
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT, tr("Web map"), tr("HTML files (*.html)")
            )
        )

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        from .isolation import isolation_needed, run_apart

        if isolation_needed():  # QGIS's GEOS is in shapely's way (isolation.py)
            return run_apart(self, parameters, context, feedback)
        from qgis.core import QgsProviderRegistry

        from ..qet_geo.export.webmap import read_inputs, write_webmap
        from ..qet_geo.privacy import check_not_respondents
        from ..qet_geo.transit import transit_geometry
        from .proximity import respondents_frame

        area_map = self.parameterAsFile(parameters, self.AREA_MAP, context)
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        check_files(self, parameters, context, [output], published=True)
        try:
            inputs = read_inputs(area_map)
            feedback.setProgress(20)
            for name, target in ((self.PTAL, "ptal"), (self.BIVARIATE, "bivariate")):
                source = self.parameterAsSource(parameters, name, context)
                if source is not None:
                    setattr(inputs, target, frame_of(source, context, feedback))
            gtfs = self.parameterAsFile(parameters, self.GTFS, context)
            if gtfs:
                inputs.stops, inputs.lines = transit_geometry(gtfs)
            homes = respondents_frame(self, parameters, context, feedback, self.RESPONDENTS)
            for layer in self.parameterAsLayerList(parameters, self.BACKGROUND, context) or []:
                frame = frame_of(layer, context, feedback)
                parts = QgsProviderRegistry.instance().decodeUri(
                    layer.providerType(), layer.source()
                )
                check_not_respondents(frame, "background", path=parts.get("path"),
                                      layer=parts.get("layerName"), name=layer.name(),
                                      respondents=homes)  # fmt: skip
                inputs.background.append((layer.name(), frame))
            feedback.setProgress(50)
            path = write_webmap(
                output,
                inputs,
                title=self.parameterAsString(parameters, self.TITLE, context) or None,
                date=date_parameter(self.parameterAsString(parameters, self.DATE, context)),
                language=enum_string(self, parameters, self.LANGUAGE, context),
                offline=self.parameterAsBoolean(parameters, self.OFFLINE, context),
                tiles=self.parameterAsBoolean(parameters, self.TILES, context),
            )
        except (QetGeoError, ValueError, OSError) as exc:
            raise QgsProcessingException(str(exc)) from exc
        feedback.pushInfo(
            tr("Web map written: {path} ({size:.0f} kB)").format(
                path=path, size=Path(path).stat().st_size / 1024
            )
        )
        return {self.OUTPUT: str(path)}


ALGORITHM = ExportWebMap
