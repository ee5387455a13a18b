"""``qetgeo:exportwebmap``: the forum web map (one HTML page, offline by default) from the
area map GeoPackage, with PTAL, the bivariate map, transit lines and plain background
layers and the diagnostic's themes per area as options.

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
from ..qet_geo.export.params import OutputParameters
from .base import (
    FILE_BEHAVIOR,
    SOURCE_ANY_GEOMETRY,
    SOURCE_POLYGON,
    QetGeoAlgorithm,
    add_language_parameter,
    advanced,
    check_files,
    optional_geopackage,
    parameter_names,
)
from .layers import frame_of
from .proximity import add_respondents_parameter

REQUIRES = ("numpy", "pandas", "shapely", "folium")
#: the defaults of the outputs' parameters
DEFAULTS = OutputParameters()


def background_layers(layers, context, feedback, respondents=None) -> list:
    """(name, frame) of each background layer, read by QGIS; a layer of respondents, or
    one on their homes (``respondents``: a frame), is refused."""
    from qgis.core import QgsProviderRegistry

    from ..qet_geo.privacy import check_not_respondents

    out = []
    for layer in layers:
        frame = frame_of(layer, context, feedback)
        parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
        check_not_respondents(frame, "background", path=parts.get("path"),
                              layer=parts.get("layerName"), name=layer.name(),
                              respondents=respondents)  # fmt: skip
        out.append((layer.name(), frame))
    return out


class ExportWebMap(QetGeoAlgorithm):
    NAME = "exportwebmap"
    ISOLATED = True

    AREA_MAP = "AREA_MAP"
    PTAL = "PTAL"
    BIVARIATE = "BIVARIATE"
    GTFS = "GTFS"
    DIAGNOSTIC = "DIAGNOSTIC"
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
            "With the diagnostic GeoPackage written by Analyse the diagnostic (with the area "
            "map), its themes are added per area: satisfaction, wishes to change, barriers "
            "and the carbon footprint, estimated from each area's profile mix, hidden "
            "figures shown as hidden.\n\n"
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
            optional_geopackage(
                self.DIAGNOSTIC, tr("Diagnostic (GeoPackage from Analyse the diagnostic)")
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
        from ..qet_geo.export import webmap
        from ..qet_geo.export.params import output_date
        from .proximity import respondents_frame

        p = self.read(parameters, context)
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        check_files(self, parameters, context, [output], published=True)
        date = output_date(p.date, parameter_names(self, "date")["date"])
        homes = respondents_frame(self, parameters, context, feedback, self.RESPONDENTS)
        try:
            path = webmap(
                p.area_map, output,
                transit=None if p.ptal is None else frame_of(p.ptal, context, feedback),
                comparison=None if p.bivariate is None else frame_of(p.bivariate, context, feedback),
                gtfs=p.gtfs or None, background=background_layers(p.background, context, feedback, homes),
                respondents=homes, title=p.title or None, date=date, language=p.language,
                offline=p.offline, tiles=p.tiles, diagnostic=p.diagnostic or None,
            )  # fmt: skip
        except OSError as exc:  # a full disk, a folder one may not write to
            raise QgsProcessingException(str(exc)) from exc
        size = Path(path).stat().st_size / 1024
        self.report(
            feedback, [tr("Web map written: {path} ({size:.0f} kB)").format(path=path, size=size)]
        )
        return {self.OUTPUT: str(path)}


ALGORITHM = ExportWebMap
