"""``qetgeo:importsurvey``: read and validate a survey export into a Respondents layer.

A thin shell over :func:`qet_geo.survey.import_survey`: Processing parameters become the
library's arguments, its Respondents table becomes the OUTPUT layer (points when the homes
are located, else a table) and its rejects become the REJECTS table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)

from ..plugin.i18n import tr
from ..qet_geo.errors import InputError
from ..qet_geo.survey import builtin_schemas, import_with
from ..qet_geo.survey.params import LOCATION_KINDS, SurveyParameters
from .base import (
    FILE_BEHAVIOR,
    SOURCE_ANY_GEOMETRY,
    SOURCE_TABLE,
    WKB_NO_GEOMETRY,
    WKB_POINT,
    QetGeoAlgorithm,
    advanced,
    choice_parameter,
    make_field,
)
from .requirements import PIP_NAMES

#: Python packages this algorithm needs (import names), checked before it is registered.
REQUIRES = (
    "numpy",
    "pandas",
    "geopandas",
    "pyogrio",
    "shapely",
    "pyproj",
    "yaml",
    "openpyxl",
    "odf",
)

#: Share of the progress bar taken by reading and checking (the rest is writing).
READ_SHARE = 70.0
#: Features handed to a sink at a time.
BATCH_SIZE = 2000
#: the defaults of the parameters
DEFAULTS = SurveyParameters()


def _schema_labels() -> dict[str, str]:
    """How the dialog names the built-in schemas (another one by its name)."""
    return {"near-su": tr("Sphères d'Usages survey (NEAR, Quartiers en Transitions)")}


def _location_labels() -> list[str]:
    return [
        tr("Automatic (point geometry, longitude/latitude, X/Y or area code columns)"),
        tr("Longitude/latitude columns (WGS 84)"),
        tr("X/Y columns in the CRS given below"),
        tr("Area code column (e.g. IRIS code)"),
        tr("Point geometry of the layer"),
        tr("None (a table without location)"),
    ]


class ImportSurvey(QetGeoAlgorithm):
    NAME = "importsurvey"
    ISOLATED = True

    INPUT = "INPUT"
    SCHEMA = "SCHEMA"
    SCHEMA_FILE = "SCHEMA_FILE"
    LOCATION = "LOCATION"
    X_FIELD = "X_FIELD"
    Y_FIELD = "Y_FIELD"
    AREA_FIELD = "AREA_FIELD"
    CRS = "CRS"
    LAYER = "LAYER"
    SHEET = "SHEET"
    EXTENT_CHECK = "EXTENT_CHECK"
    STRICT = "STRICT"
    OUTPUT = "OUTPUT"
    REJECTS = "REJECTS"
    ROWS_READ = "ROWS_READ"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"

    def displayName(self) -> str:
        return tr("Import survey answers")

    def tags(self) -> list[str]:
        return tr("survey,questionnaire,answers,respondents,import,CSV,spreadsheet,NEAR").split(",")

    def help_text(self) -> str:
        return tr(
            "Reads a survey export (CSV or TSV, XLSX, ODS, or a point layer such as a "
            "GeoPackage) and checks every answer against the survey schema (by default the "
            "Sphères d'Usages survey of the Quartiers en Transitions method, as exported by "
            "NEAR).\n\n"
            "Each accepted respondent becomes one feature of the Respondents layer, with the "
            "six usage answers as ordered codes 1, 2, 3 and a weight of 1. The layer holds "
            "points when the homes are located (point geometry, longitude/latitude or X/Y "
            "columns), otherwise it is a table.\n\n"
            "Nothing is guessed and nothing valid is dropped: each row that cannot be used "
            "is in the Rejected rows table with its reasons, and the log names the row, the "
            "column and the value of every problem. Check the “Strict” box to stop at the "
            "first problem instead."
        )

    def initAlgorithm(self, config=None) -> None:
        self.schemas = builtin_schemas()
        self.addParameter(
            QgsProcessingParameterFile(
                self.INPUT,
                tr("Survey export"),
                behavior=FILE_BEHAVIOR,
                fileFilter=tr("Survey exports")
                + " (*.csv *.tsv *.txt *.xlsx *.ods *.gpkg *.geojson *.shp);;"
                + tr("All files")
                + " (*.*)",
            )
        )
        self.addParameter(
            choice_parameter(
                self.SCHEMA,
                tr("Survey schema"),
                self.schemas,
                [_schema_labels().get(name, name) for name in self.schemas],
                default=DEFAULTS.schema if DEFAULTS.schema in self.schemas else None,
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterFile(
                    self.SCHEMA_FILE,
                    tr("Schema file (YAML or JSON; replaces the survey schema)"),
                    behavior=FILE_BEHAVIOR,
                    optional=True,
                    fileFilter=tr("Survey schemas") + " (*.yaml *.yml *.json)",
                )
            )
        )
        self.addParameter(
            choice_parameter(
                self.LOCATION,
                tr("Location of the homes"),
                LOCATION_KINDS,
                _location_labels(),
                default=DEFAULTS.location,
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterString(
                    self.X_FIELD,
                    tr("Longitude or X column (default: recognised by its name)"),
                    optional=True,
                )
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterString(
                    self.Y_FIELD,
                    tr("Latitude or Y column (default: recognised by its name)"),
                    optional=True,
                )
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterString(
                    self.AREA_FIELD,
                    tr("Area code column (default: recognised by its name)"),
                    optional=True,
                )
            )
        )
        self.addParameter(
            QgsProcessingParameterCrs(
                self.CRS, tr("CRS of the X/Y columns (e.g. EPSG:2154, Lambert-93)"), optional=True
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterString(
                    self.LAYER, tr("Layer (of a file with several layers)"), optional=True
                )
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterString(
                    self.SHEET, tr("Sheet (of a workbook: name or number from 0)"), optional=True
                )
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.EXTENT_CHECK,
                tr("Reject homes outside France and swapped longitude/latitude"),
                defaultValue=DEFAULTS.extent_check,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.STRICT,
                tr("Strict: stop at the first problem instead of rejecting rows"),
                defaultValue=DEFAULTS.strict,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT,
                tr("Respondents"),
                type=SOURCE_ANY_GEOMETRY,
                defaultValue=QgsProcessing.TEMPORARY_OUTPUT,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.REJECTS,
                tr("Rejected rows"),
                type=SOURCE_TABLE,
                optional=True,
                createByDefault=True,
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.ROWS_READ, tr("Number of rows read")))
        self.addOutput(
            QgsProcessingOutputNumber(self.ACCEPTED, tr("Number of respondents accepted"))
        )
        self.addOutput(QgsProcessingOutputNumber(self.REJECTED, tr("Number of rows rejected")))

    # --- run -------------------------------------------------------------------------------

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        p = self.read(parameters, context)
        result = _import(p.input, SurveyParameters(
            schema=p.schema_file or p.schema, location=p.location, x=_text(p.x_field),
            y=_text(p.y_field), area=_text(p.area_field), layer=_text(p.layer),
            crs=_crs_text(self.parameterAsCrs(parameters, self.CRS, context)),
            sheet=_text(p.sheet), extent_check=p.extent_check, strict=p.strict,
        ), feedback)  # fmt: skip
        report = result.report
        self.report(feedback, [report.to_text()], [
            tr("Rows rejected: {rejected} of {rows}; the Rejected rows table gives the reason "
               "for each.").format(rejected=report.rejected, rows=report.rows_read)
        ] if report.rejected else [])  # fmt: skip
        outputs = self._sinks(parameters, context, feedback, result)
        return {**outputs, self.ROWS_READ: report.rows_read, self.ACCEPTED: report.accepted,
                self.REJECTED: report.rejected}  # fmt: skip

    def _sinks(self, parameters, context, feedback, result) -> dict:
        """The respondents (points when the homes are located, else a table) to OUTPUT and
        the rejected rows to REJECTS (when asked), fields typed as the columns are."""
        from .layers import for_sink

        respondents = result.respondents
        geometry = _point_geometry(respondents)
        if geometry is not None:
            from ..qet_geo.geo import crs_of

            attributes = pd.DataFrame(respondents.drop(columns="geometry"))
            wkb_type, sink_crs = WKB_POINT, _qgis_crs(crs_of(respondents))
        else:
            attributes = pd.DataFrame(respondents)
            wkb_type, sink_crs = WKB_NO_GEOMETRY, QgsCoordinateReferenceSystem()
        fields, columns = _fields_and_values(
            for_sink(self, parameters, self.OUTPUT, context, attributes)
        )
        sink, output_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, wkb_type, sink_crs
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        rejects_fields, rejects_columns = _fields_and_values(
            for_sink(self, parameters, self.REJECTS, context, result.rejects)
        )
        rejects_sink, rejects_id = self.parameterAsSink(
            parameters,
            self.REJECTS,
            context,
            rejects_fields,
            WKB_NO_GEOMETRY,
            QgsCoordinateReferenceSystem(),
        )
        report = result.report
        total = max(report.accepted + (report.rejected if rejects_sink is not None else 0), 1)
        written = self._write(sink, fields, columns, geometry, feedback, 0, total)
        if rejects_sink is None:
            return {self.OUTPUT: output_id}
        self._write(rejects_sink, rejects_fields, rejects_columns, None, feedback, written, total)
        return {self.OUTPUT: output_id, self.REJECTS: rejects_id}

    def _write(self, sink, fields, columns, geometry, feedback, done, total) -> int:
        """Add the features to ``sink`` in batches; return ``done`` + the features written."""
        rows = list(zip(*columns, strict=True))
        for start in range(0, len(rows), BATCH_SIZE):
            if feedback.isCanceled():
                raise QgsProcessingException(tr("Canceled: the outputs are incomplete."))
            batch = []
            for index in range(start, min(start + BATCH_SIZE, len(rows))):
                feature = QgsFeature(fields)
                feature.setAttributes(list(rows[index]))
                if geometry is not None:
                    point = QgsGeometry()
                    point.fromWkb(geometry[index])
                    feature.setGeometry(point)
                batch.append(feature)
            if not sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert):
                raise QgsProcessingException(
                    tr("Could not write the features: {error}").format(error=sink.lastError())
                )
            done += len(batch)
            feedback.setProgress(READ_SHARE + (100.0 - READ_SHARE) * done / total)
        return done


ALGORITHM = ImportSurvey


def _text(value: str) -> str | None:
    """A text parameter's value, None when empty."""
    return value.strip() or None


def _import(path: str, survey: SurveyParameters, feedback):
    """The survey export read as ``survey`` says (:func:`qet_geo.survey.import_with`), its
    progress and Cancel the feedback's; every problem of a refused import in the log."""
    try:
        return import_with(
            path, survey,
            progress=lambda fraction, _message: feedback.setProgress(READ_SHARE * fraction),
            is_canceled=feedback.isCanceled,
        )  # fmt: skip
    except InputError as exc:
        for problem in exc.problems[1:]:
            feedback.reportError(str(problem))
        raise
    except ImportError as exc:  # a dependency installed but broken, found only now
        raise QgsProcessingException(_dependency_error(exc)) from exc


# --- conversions between the library's tables and QGIS features ------------------------------


def _crs_text(crs: QgsCoordinateReferenceSystem) -> str | None:
    if not crs.isValid():
        return None
    return crs.authid() or crs.toWkt()


def _qgis_crs(crs) -> QgsCoordinateReferenceSystem:
    """QGIS CRS of the library's CRS text ("EPSG:…" or WKT)."""
    if not crs:
        return QgsCoordinateReferenceSystem()
    found = QgsCoordinateReferenceSystem(crs)
    return found if found.isValid() else QgsCoordinateReferenceSystem.fromWkt(crs)


def _point_geometry(table: pd.DataFrame) -> list[bytes] | None:
    """WKB of each point of the respondents (a ``geometry`` column of shapely points, as
    the QGIS backend gives them), None for a table without location."""
    if "geometry" not in table.columns:
        return None
    import shapely

    return shapely.to_wkb(table["geometry"].to_numpy(), output_dimension=2).tolist()


def _field_kind(dtype) -> str:
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int" if dtype.itemsize <= 4 else "int64"
    if pd.api.types.is_float_dtype(dtype):
        return "double"
    return "string"


def _field_name(name: object) -> str:
    """A field name every QGIS output format takes (GeoPackage reserves ``fid``)."""
    text = str(name)
    return f"{text}_source" if text.lower() == "fid" else text


def _fields_and_values(table: pd.DataFrame) -> tuple[QgsFields, list[list]]:
    """QGIS fields for the columns of ``table``, and each column as Python values.

    Integers (nullable or not) become Int fields (LongLong beyond 32 bits), floats Double,
    booleans Bool, everything else String; missing values (NA, NaN, None) become NULL.
    """
    fields = QgsFields()
    columns = []
    for name in table.columns:
        column = table[name]
        kind = _field_kind(column.dtype)
        fields.append(make_field(_field_name(name), kind))
        missing = column.isna().to_numpy()
        if kind in ("int", "int64"):
            values = column.to_numpy(dtype="int64", na_value=0).astype(object)
        elif kind == "double":
            values = column.to_numpy(dtype="float64", na_value=np.nan).astype(object)
        elif kind == "bool":
            values = column.to_numpy(dtype=bool, na_value=False).astype(object)
        else:
            values = np.array([str(value) for value in column.to_numpy(dtype=object)], dtype=object)
        values[missing] = None
        columns.append(values.tolist())
    return fields, columns


def _dependency_error(exc: ImportError) -> str:
    module = (exc.name or "").split(".")[0]
    package = PIP_NAMES.get(module, module)
    return tr(
        "A Python package qet-geo needs cannot be imported ({error}). Install the packages "
        "listed in the plugin's requirements.txt, for example with the QPIP plugin, or run: "
        "python -m pip install {package}"
    ).format(error=exc, package=package or "…")
