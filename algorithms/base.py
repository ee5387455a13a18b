"""Base class of the qet-geo Processing algorithms, and the QGIS 3 / QGIS 4 (Qt6) helpers.

Only ``qgis.PyQt`` is imported and enums are fully scoped.  Enums that QGIS moved to the
``Qgis`` namespace (3.30, 3.36) are taken from there when they exist, so the same code runs
on QGIS 3.22 LTR and on Qt6 builds, where the old names are gone.
"""

from __future__ import annotations

import html

from qgis.core import (
    Qgis,
    QgsField,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFile,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ..plugin.help import help_url
from ..plugin.i18n import tr
from ..qet_geo.export.params import LANGUAGES, OutputParameters
from ..qet_geo.limits import MIN_GRID_SPACING_M
from ..qet_geo.threshold import DEFAULT_MIN_CELL
from ..qet_geo.transit.params import DEFAULT_GRID_SPACING, TransitParameters

if hasattr(Qgis, "ProcessingSourceType"):  # QGIS >= 3.36
    SOURCE_TABLE = Qgis.ProcessingSourceType.Vector
    SOURCE_ANY_GEOMETRY = Qgis.ProcessingSourceType.VectorAnyGeometry
else:
    SOURCE_TABLE = QgsProcessing.SourceType.TypeVector
    SOURCE_ANY_GEOMETRY = QgsProcessing.SourceType.TypeVectorAnyGeometry

if hasattr(Qgis, "ProcessingSourceType"):  # QGIS >= 3.36
    SOURCE_POLYGON = Qgis.ProcessingSourceType.VectorPolygon
else:
    SOURCE_POLYGON = QgsProcessing.SourceType.TypeVectorPolygon

if hasattr(Qgis, "ProcessingFileParameterBehavior"):  # QGIS >= 3.36
    FILE_BEHAVIOR = Qgis.ProcessingFileParameterBehavior.File
else:
    FILE_BEHAVIOR = QgsProcessingParameterFile.Behavior.File

if hasattr(Qgis, "ProcessingParameterFlag"):  # QGIS >= 3.36
    FLAG_ADVANCED = Qgis.ProcessingParameterFlag.Advanced
else:
    FLAG_ADVANCED = QgsProcessingParameterDefinition.Flag.FlagAdvanced

if hasattr(Qgis, "ProcessingParameterFlag"):  # QGIS >= 3.36
    FLAG_OPTIONAL = Qgis.ProcessingParameterFlag.Optional
else:
    FLAG_OPTIONAL = QgsProcessingParameterDefinition.Flag.FlagOptional

if hasattr(Qgis, "ProcessingNumberParameterType"):  # QGIS >= 3.36
    NUMBER_DOUBLE = Qgis.ProcessingNumberParameterType.Double
    NUMBER_INTEGER = Qgis.ProcessingNumberParameterType.Integer
else:
    from qgis.core import QgsProcessingParameterNumber

    NUMBER_DOUBLE = QgsProcessingParameterNumber.Type.Double
    NUMBER_INTEGER = QgsProcessingParameterNumber.Type.Integer

if hasattr(Qgis, "WkbType"):  # QGIS >= 3.30
    WKB_POINT = Qgis.WkbType.Point
    WKB_NO_GEOMETRY = Qgis.WkbType.NoGeometry
    WKB_MULTIPOLYGON = Qgis.WkbType.MultiPolygon
else:
    WKB_POINT = QgsWkbTypes.Type.Point
    WKB_NO_GEOMETRY = QgsWkbTypes.Type.NoGeometry
    WKB_MULTIPOLYGON = QgsWkbTypes.Type.MultiPolygon

#: Field kinds :func:`make_field` knows.
FIELD_KINDS = ("int", "int64", "double", "string", "bool")


def make_field(name: str, kind: str) -> QgsField:
    """A QgsField of ``kind`` (one of FIELD_KINDS), typed the way this QGIS wants.

    QGIS >= 3.38 takes ``QMetaType.Type``; older versions (and only they) ``QVariant.Type``,
    which Qt6 no longer has.
    """
    if Qgis.QGIS_VERSION_INT >= 33800:
        types = {
            "int": QMetaType.Type.Int,
            "int64": QMetaType.Type.LongLong,
            "double": QMetaType.Type.Double,
            "string": QMetaType.Type.QString,
            "bool": QMetaType.Type.Bool,
        }
    else:
        from qgis.PyQt.QtCore import QVariant

        types = {
            "int": QVariant.Type.Int,
            "int64": QVariant.Type.LongLong,
            "double": QVariant.Type.Double,
            "string": QVariant.Type.String,
            "bool": QVariant.Type.Bool,
        }
    return QgsField(name, types[kind])


def add_area_parameters(algorithm) -> None:
    """The areas layer (``AREAS``) with its optional id and name fields (``ID_FIELD``,
    ``NAME_FIELD``), as every algorithm working per area asks for them."""
    from qgis.core import QgsProcessingParameterFeatureSource, QgsProcessingParameterField

    algorithm.addParameter(
        QgsProcessingParameterFeatureSource("AREAS", tr("Areas"), types=[SOURCE_POLYGON])
    )
    for name, label in (("ID_FIELD", tr("Area id field")), ("NAME_FIELD", tr("Area name field"))):
        algorithm.addParameter(
            QgsProcessingParameterField(
                name, label, parentLayerParameterName="AREAS", optional=True
            )
        )


def add_threshold_parameters(algorithm) -> None:
    """MIN_CELL (:data:`~qet_geo.threshold.DEFAULT_MIN_CELL` by default) and the advanced
    ALLOW_BELOW_3 of disclosure control."""
    from qgis.core import QgsProcessingParameterBoolean, QgsProcessingParameterNumber

    algorithm.addParameter(
        QgsProcessingParameterNumber(
            "MIN_CELL",
            tr("Suppress areas and cells under (respondents)"),
            NUMBER_INTEGER,
            DEFAULT_MIN_CELL,
            False,
            1,
        )  # fmt: skip
    )
    algorithm.addParameter(
        advanced(
            QgsProcessingParameterBoolean(
                "ALLOW_BELOW_3", tr("Allow a threshold under 3 (recorded)"), defaultValue=False
            )
        )
    )


def add_service_day_parameters(algorithm) -> None:
    """DATE, WINDOW and GRID of the algorithms computing transit access."""
    from qgis.core import QgsProcessingParameterNumber, QgsProcessingParameterString

    algorithm.addParameter(
        QgsProcessingParameterString(
            "DATE",
            tr("Service day YYYY-MM-DD (default: the busiest weekday of the feed)"),
            optional=True,
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterString(
            "WINDOW", tr("Time window"), defaultValue=TransitParameters.window
        )
    )
    algorithm.addParameter(
        with_decimals(
            QgsProcessingParameterNumber(
                "GRID",
                tr("Grid spacing (m)"),
                NUMBER_DOUBLE,
                DEFAULT_GRID_SPACING,
                False,
                MIN_GRID_SPACING_M,
            ),
            1,
        )
    )


def add_population_parameters(algorithm, label: str) -> None:
    """The optional POPULATION layer (points or squares) and its POPULATION_FIELD."""
    from qgis.core import QgsProcessingParameterFeatureSource, QgsProcessingParameterField

    algorithm.addParameter(
        QgsProcessingParameterFeatureSource(
            "POPULATION", label, types=[SOURCE_ANY_GEOMETRY], optional=True
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterField(
            "POPULATION_FIELD",
            tr("Population field"),
            parentLayerParameterName="POPULATION",
            optional=True,
        )  # fmt: skip
    )


def choice_parameter(name: str, label: str, codes, labels=None, default=None, **options):
    """An enum parameter whose values are the library's codes (``"near"``, ``"raking"``,
    ``"fr"``…: static strings, so that scripts, models and ``qgis_process`` pass the code
    itself), ``default`` the first code unless given. ``labels``: what the dialog shows for
    each code (translated), through the widget of :mod:`.choice_widget`: QGIS 3.22 shows the
    codes of a static-string enum as they are. Read it with :func:`enum_string`; an index
    (what these parameters took before) is still accepted (:func:`enum_strings`)."""
    from qgis.core import QgsProcessingParameterEnum

    codes = list(codes)
    parameter = QgsProcessingParameterEnum(
        name, label, options=codes, defaultValue=codes[0] if default is None else default,
        usesStaticStrings=True, **options,
    )  # fmt: skip
    if labels is not None:
        parameter.setMetadata(
            {
                "widget_wrapper": {
                    "class": f"{__package__}.choice_widget.LabelledChoiceWrapper",
                    "labels": dict(zip(codes, labels, strict=True)),
                }
            }  # fmt: skip
        )
    return parameter


def share_parameter(name: str, label: str, default: float, minimum=0.0, maximum=1.0):
    """A number parameter whose value is a share from ``minimum`` to ``maximum`` (0 to 1:
    what scripts, models and ``qgis_process`` pass, ``0.11``), shown in percent by the
    dialogs (``11,0 %``, the widget of :mod:`.choice_widget`); its help says so."""
    from qgis.core import QgsProcessingParameterNumber

    parameter = QgsProcessingParameterNumber(
        name, label, NUMBER_DOUBLE, default, False, minimum, maximum
    )
    parameter.setMetadata(
        {"widget_wrapper": {"class": f"{__package__}.choice_widget.PercentWrapper", "decimals": 1}}
    )
    parameter.setHelp(
        tr("Shown in percent; scripts and qgis_process give {name} as a share from 0 to 1 "
           "({example} for {percent} %).").format(name=name, example=default,
                                                  percent=f"{100 * default:g}")
    )  # fmt: skip
    return parameter


def with_decimals(parameter, decimals: int):
    """``parameter`` (a number) shown with ``decimals`` decimals by the dialogs (QGIS's
    default is 6: ``100,000000``)."""
    parameter.setMetadata({"widget_wrapper": {"decimals": decimals}})
    return parameter


#: How the dialogs show each language of :data:`~qet_geo.export.params.LANGUAGES`.
LANGUAGE_LABELS = {"fr": "Français", "en": "English"}


def add_language_parameter(algorithm, name: str = "LANGUAGE") -> None:
    """The language of a published output (French unless asked: a forum output)."""
    algorithm.addParameter(
        choice_parameter(
            name,
            tr("Language"),
            LANGUAGES,
            [LANGUAGE_LABELS[c] for c in LANGUAGES],
            default=OutputParameters.language,
        )  # fmt: skip
    )


def _index_of(definition, value) -> int | None:
    """The option index ``value`` stands for, when a static-string enum gets an index."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit() and value not in definition.options():
        value = int(value.strip())
    if isinstance(value, int) and 0 <= value < len(definition.options()):
        return value
    return None


def enum_strings(algorithm, parameters: dict) -> dict:
    """``parameters`` with every index given to a static-string enum of ``algorithm``
    replaced by its code (``METHOD=1`` → ``METHOD=kmeans``), as scripts and models written
    before the codes pass them."""
    out = dict(parameters)
    for definition in algorithm.parameterDefinitions():
        if definition.type() != "enum" or not definition.usesStaticStrings():
            continue
        index = _index_of(definition, parameters.get(definition.name()))
        if index is not None:
            out[definition.name()] = definition.options()[index]
    return out


def enum_string(algorithm, parameters: dict, name: str, context) -> str:
    """The code of the static-string enum ``name`` (an index given is taken as its code)."""
    return algorithm.parameterAsEnumString(enum_strings(algorithm, parameters), name, context)


def optional_geopackage(name: str, description: str):
    """An optional file parameter of a GeoPackage (another step's output, read by the
    library): the area map, the transit access, the proximity, the diagnostic."""
    return QgsProcessingParameterFile(name, description, behavior=FILE_BEHAVIOR,
                                      extension="gpkg", optional=True)  # fmt: skip


def advanced(parameter: QgsProcessingParameterDefinition) -> QgsProcessingParameterDefinition:
    """Show ``parameter`` under "Advanced parameters" in the algorithm dialog."""
    parameter.setFlags(parameter.flags() | FLAG_ADVANCED)
    return parameter


#: The toolbox groups (``groupId()``) in working order.
GROUP_ORDER = ("survey", "footprints", "profiles", "maps", "constraints", "diagnostic", "forum")


def group_name(group_id: str) -> str:
    """``1 · Enquête``, ``2 · Empreintes``…: the toolbox sorts groups by name, so the
    number gives the working order (the ids do not change)."""
    names = {
        "survey": tr("Survey"),
        "footprints": tr("Footprints"),
        "profiles": tr("Profiles"),
        "maps": tr("Maps"),
        "constraints": tr("Constraints of the place"),
        "diagnostic": tr("Diagnostic"),
        "forum": tr("Forum outputs"),
    }
    return f"{GROUP_ORDER.index(group_id) + 1} · {names[group_id]}"


class QetGeoAlgorithm(QgsProcessingAlgorithm):
    """What every qet-geo algorithm shares: instance creation, group, translation, help.

    A subclass sets ``NAME`` (lowercase, frozen once released: it is the id in models and
    scripts) and defines ``displayName``, ``help_text``, ``initAlgorithm`` and
    ``processAlgorithm``, which runs inside ``geo.using(QgisBackend())`` (:func:`_in_qgis`):
    the library reads, reprojects and writes layers by QGIS there, in the thread Processing
    runs it in, never by pyproj or pyogrio.
    """

    NAME = ""
    #: True: run in a separate Python process when QGIS's GEOS is in shapely's way
    #: (:mod:`.isolation`); the wrapper of ``processAlgorithm`` (:func:`_in_qgis`) decides.
    ISOLATED = False

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "processAlgorithm" in cls.__dict__:
            cls.processAlgorithm = _in_qgis(cls.__dict__["processAlgorithm"])

    def createInstance(self):
        return type(self)()

    def name(self) -> str:
        return self.NAME

    def group(self) -> str:
        """The toolbox group, numbered so that groups sort in working order."""
        return group_name(self.groupId())

    def groupId(self) -> str:
        return "survey"

    def tr(self, text: str) -> str:
        return tr(text)

    def help_text(self) -> str:
        raise NotImplementedError

    def shortHelpString(self) -> str:
        """The help as the dialog's panel shows it: QGIS reads it as HTML, so the plain text
        is escaped (``panneau_<sujet>_A3.qpt`` would lose ``<sujet>`` as a tag)."""
        return html.escape(self.help_text(), quote=False)

    def helpUrl(self) -> str:
        """The help shipped in the plugin, at this algorithm's section (``#`` + its name),
        in French when QGIS is in French, else in English (``plugin/help.py``)."""
        return help_url(self.NAME)

    def checkParameterValues(self, parameters, context):
        """QGIS's checks, with an enum's index taken as its code (:func:`enum_strings`)."""
        return super().checkParameterValues(enum_strings(self, parameters), context)

    def read(self, parameters, context) -> Values:
        """Every input parameter's value, read the way its type says (:func:`value_of`), as
        attributes named after the parameters in lower case (``MIN_CELL`` → ``.min_cell``).
        A required layer QGIS cannot open is an error naming the parameter; a disclosure
        threshold under 3 without its override (``MIN_CELL``, ``ALLOW_BELOW_3``) too, the
        override named as the dialog shows it."""
        values = {}
        for definition in self.parameterDefinitions():
            if definition.isDestination():
                continue
            values[definition.name().lower()] = value_of(self, definition, parameters, context)
        if "min_cell" in values and "allow_below_3" in values:  # before any layer is read
            from ..qet_geo.threshold import check_min_cell

            override = self.parameterDefinition("ALLOW_BELOW_3").description()
            check_min_cell(values["min_cell"], values["allow_below_3"],
                           override=f"{override} (ALLOW_BELOW_3)")  # fmt: skip
        return Values(values)

    def sinks(self, parameters, context, feedback, outputs: dict) -> dict:
        """Write ``outputs`` (``{NAME: (frame, wkb_type, crs)}``) to their feature sinks
        (:func:`~.layers.frame_to_sink`) and return ``{NAME: sink id}``. An optional output
        the user left out, or a ``None`` frame, is skipped."""
        from .layers import frame_to_sink

        written = {}
        for name, (frame, wkb_type, crs) in outputs.items():
            definition = self.parameterDefinition(name)
            optional = definition is not None and definition.flags() & FLAG_OPTIONAL
            if frame is None or (optional and not parameters.get(name)):
                continue
            written[name] = frame_to_sink(
                self, parameters, context, feedback, name, frame, wkb_type, crs
            )
        return written

    @staticmethod
    def report(feedback, lines=(), warnings=()) -> None:
        """Show ``lines`` in the log and ``warnings`` as warnings (messages translated in the
        language of the messages, :mod:`qet_geo.i18n`)."""
        for line in lines:
            feedback.pushInfo(plain(line))
        for warning in warnings:
            feedback.pushWarning(plain(warning))


def plain(value) -> str:
    """``value`` as text for the log, never a Python repr: a path as its text, a list or a
    tuple as its items separated by commas, a mapping as ``key: value`` pairs."""
    from pathlib import PurePath

    if isinstance(value, str):
        return value
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, dict):
        return ", ".join(f"{plain(k)}: {plain(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(plain(v) for v in value)
    return str(value)


class Values(dict):
    """The values of an algorithm's parameters (:meth:`QetGeoAlgorithm.read`), as a dict and
    as attributes."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def value_of(algorithm, definition, parameters, context):
    """The value of parameter ``definition`` as its type says: a number (int or float), a
    boolean, a string (a static-string enum's code, an enum's index otherwise), a file path,
    a field name (a list for a multiple field parameter), a feature source (None when an
    optional one is not given), a list of layers."""
    from qgis.core import QgsProcessingException

    name, kind = definition.name(), definition.type()
    if kind == "number":
        integer = definition.dataType() == NUMBER_INTEGER
        read = algorithm.parameterAsInt if integer else algorithm.parameterAsDouble
        return read(parameters, name, context)
    if kind == "boolean":
        return algorithm.parameterAsBoolean(parameters, name, context)
    if kind == "enum":
        if definition.usesStaticStrings():
            return enum_string(algorithm, parameters, name, context)
        return algorithm.parameterAsEnum(parameters, name, context)
    if kind == "file":
        return algorithm.parameterAsFile(parameters, name, context)
    if kind == "field":
        fields = algorithm.parameterAsFields(parameters, name, context) or []
        return fields if definition.allowMultiple() else (fields[0] if fields else "")
    if kind == "source":
        source = algorithm.parameterAsSource(parameters, name, context)
        if source is None and not definition.flags() & FLAG_OPTIONAL:
            raise QgsProcessingException(algorithm.invalidSourceError(parameters, name))
        return source
    if kind == "multilayer":
        return algorithm.parameterAsLayerList(parameters, name, context) or []
    return algorithm.parameterAsString(parameters, name, context)


def _in_qgis(process):
    """``process`` (a ``processAlgorithm``) run as every qet-geo algorithm runs: in a
    separate Python process when the algorithm is ``ISOLATED`` and QGIS's GEOS is in
    shapely's way (:mod:`.isolation`); otherwise with the library's geo backend set to
    QGIS's for the call (a context variable: only this call, in this thread, sees it), and
    the library's errors (:class:`~qet_geo.errors.QetGeoError`, ``ValueError``: messages
    written for the user, naming file, row, column, value and what was expected) shown as
    they are, as a Processing error."""
    import functools

    @functools.wraps(process)
    def wrapped(self, parameters, context, feedback):
        from qgis.core import QgsProcessingException

        from ..qet_geo import geo
        from ..qet_geo.errors import QetGeoError
        from .qgis_geo import QgisBackend

        with geo.using(QgisBackend()):
            if self.ISOLATED:
                from .isolation import isolation_needed, run_apart

                if isolation_needed():
                    return run_apart(self, parameters, context, feedback)
            try:
                return process(self, parameters, context, feedback)
            except QgsProcessingException:
                raise
            except (QetGeoError, ValueError) as exc:
                raise QgsProcessingException(str(exc)) from exc

    return wrapped


def input_files(algorithm, parameters, context) -> list[str]:
    """The files the algorithm reads: its file parameters and the files behind its layer
    parameters (``path|layername=…`` taken as path)."""
    paths = []
    for definition in algorithm.parameterDefinitions():
        if definition.isDestination() or parameters.get(definition.name()) is None:
            continue
        name, kind = definition.name(), definition.type()
        try:
            if kind == "file":
                paths.append(algorithm.parameterAsFile(parameters, name, context))
            elif kind == "multilayer":
                layers = algorithm.parameterAsLayerList(parameters, name, context) or []
                paths += [_file_of(layer) for layer in layers]
            elif kind in ("source", "vector", "layer"):
                paths.append(_file_of(algorithm.parameterAsVectorLayer(parameters, name, context)))
        except Exception:  # noqa: BLE001 - a parameter QGIS cannot evaluate is reported later
            continue
    return [p for p in paths if p]


def _file_of(layer) -> str | None:
    """The file behind a layer read by OGR (None for a memory or database layer)."""
    from qgis.core import QgsProviderRegistry

    if layer is None or layer.providerType() != "ogr":
        return None
    return QgsProviderRegistry.instance().decodeUri("ogr", layer.source()).get("path") or None


def check_files(algorithm, parameters, context, outputs, published: bool = False) -> None:
    """Before writing anything, the library's checks: no output (side files included) is
    an input or another output (:func:`qet_geo.io.overwrite_problems`); with
    ``published``, no input comes from the folder of a run that did not finish
    (:func:`qet_geo.manifest.incomplete_problems`)."""
    from qgis.core import QgsProcessingException

    from ..qet_geo.io import overwrite_problems
    from ..qet_geo.manifest import incomplete_problems

    inputs = input_files(algorithm, parameters, context)
    problems = overwrite_problems(inputs, [o for o in outputs if o])
    if published:
        problems += incomplete_problems(inputs)
    if problems:
        raise QgsProcessingException("\n".join(map(str, problems)))


def parameter_names(algorithm, *keys: str) -> dict:
    """How messages name the parameters ``keys`` (the library's names, ``"route_types"``):
    each by its label and its name in the dialog, "… (ROUTE_TYPES)"."""
    return {
        key: f"{algorithm.parameterDefinition(key.upper()).description()} ({key.upper()})"
        for key in keys
    }
