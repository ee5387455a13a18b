"""The "Diagnostic" dock: the whole job in working order, for a planner who has never used
qet-geo, without a terminal.

A dock rather than a wizard: a planner goes back and forth between the steps and the map
(picking the areas layer and its fields, looking at the survey check, changing the method
and running again), which a dock beside the canvas allows and a modal wizard does not.

The steps, top to bottom: the survey file (checked in place by ``qetgeo:importsurvey``:
rows read, accepted, rejected, the first problems, the rejects opened), the areas layer
and its id and name fields, the census file, the GTFS feed and its service day, the service
layers, the profile method in plain words, the "Espace et Mode de Vie" and Nos Gestes Climat
answers (the rest of the diagnostic), the outputs. "Lancer le diagnostic" writes the
settings as the TOML file ``qet-geo run`` reads (``qet-geo.toml`` in the output folder, so
that the GIS team can replay the run from the command line) and runs ``qetgeo:runpipeline``
on it as a cancellable task: the window never freezes, the progress goes step by step, the
results land in the project in one styled group (``plugin/results.py``). The settings can
be saved and loaded as that TOML file; a loaded file keeps every key the dock does not show.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import html
import os
import time
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsMapLayerProxyModel,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingUtils,
    QgsProject,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsDockWidget, QgsFieldComboBox, QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QDate, Qt, QUrl, pyqtSignal
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..algorithms.provider import PROVIDER_ID
from ..qet_geo.errors import QetGeoError
from ..qet_geo.io import split_layer
from ..qet_geo.parameters import choices, default
from ..qet_geo.pipeline import NAMES, SCHEMA
from ..qet_geo.profiles.params import ProfileParameters
from ..qet_geo.survey import builtin_schemas
from ..qet_geo.tomlfile import read_config, write_config
from .i18n import tr

PLUGIN_DIR = Path(__file__).resolve().parent.parent
#: the fictional sample shipped in the plugin, and its configuration
SAMPLE_DIR = PLUGIN_DIR / "sample_data"
SAMPLE_CONFIG = SAMPLE_DIR / "qet-geo.toml"
#: the configuration a run writes in its output folder (what ``qet-geo run`` replays)
RUN_CONFIG = "qet-geo.toml"
#: the files a run writes: their layers are results, not services to measure
OUTPUT_FILES = {name for name in NAMES.values() if "{" not in name}
#: how many of the survey's problems the dock shows (the rejects file has them all)
FIRST_PROBLEMS = 5


def method_label(code: str) -> str:
    """The profile method ``code`` in plain words, as the Processing dialog names it."""
    from ..algorithms.detectprofiles import method_labels

    return method_labels().get(code, code)


class _Report(QTextBrowser):
    """The survey check's report: rich text, every line shown (a box of seven lines that
    scrolls; a wrapped label in a scrolled dock gets the height of a few lines only)."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 8 + 8)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - the QLabel API
        self.setHtml(text)

    def text(self) -> str:
        return self.toPlainText()


class _Feedback(QgsProcessingFeedback):
    """A Processing feedback whose messages reach the dock through queued signals (the
    task runs in another thread; widgets are touched in the main one only)."""

    message = pyqtSignal(str, str)

    def pushInfo(self, info):  # noqa: N802 - QGIS API
        super().pushInfo(info)
        self.message.emit("info", str(info))

    def pushWarning(self, warning):  # noqa: N802
        super().pushWarning(warning)
        self.message.emit("warning", str(warning))

    def reportError(self, error, fatalError=False):  # noqa: N802, N803
        super().reportError(error, fatalError)
        self.message.emit("error", str(error))

    def setProgressText(self, text):  # noqa: N802
        super().setProgressText(text)
        self.message.emit("step", str(text))


def _form() -> QFormLayout:
    """A step's form, labels above their fields when the dock is narrow."""
    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def _combo(name: str) -> QComboBox:
    """A combo box that shrinks with the dock (its items' full text in the popup)."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


def _step(title: str, layout) -> QGroupBox:
    box = QGroupBox(title)
    box.setLayout(layout)
    return box


def _file_widget(name: str, *, directory: bool = False, filter_: str = "") -> QgsFileWidget:
    widget = QgsFileWidget()
    widget.setObjectName(name)
    mode = (
        QgsFileWidget.StorageMode.GetDirectory if directory else QgsFileWidget.StorageMode.GetFile
    )
    widget.setStorageMode(mode)
    if filter_:
        widget.setFilter(filter_)
    return widget


def layer_file(layer) -> tuple[str, str | None] | None:
    """(file, layer name or None) of a layer stored in a file that qet-geo can read (OGR:
    GeoPackage, Shapefile, GeoJSON…) as it is; None for a memory, database or web layer,
    and for a filtered layer or one opened by its index (the run would read the whole
    table, or another one)."""
    if layer is None or layer.providerType() != "ogr":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path") or ""
    if not path or not Path(path).is_file():
        return None
    if parts.get("subset") or layer.subsetString() or parts.get("geometryType"):
        return None
    if parts.get("layerId") not in (None, "") and not parts.get("layerName"):
        return None
    return path, parts.get("layerName") or None


def _spec(path: str, layer: str | None) -> str:
    return f"{path}:{layer}" if layer else path


def _relative(path, base: Path) -> str:
    """``path`` relative to ``base`` where it can be (portable folder), else absolute."""
    try:
        return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return str(Path(path).resolve())


def _absolute(value, base: Path) -> str:
    return str((base / str(value)).resolve()) if value not in (None, "") else ""


class DiagnosticDock(QgsDockWidget):
    """The Diagnostic dock (see the module's docstring)."""

    def __init__(self, iface, parent=None) -> None:
        super().__init__(tr("qet-geo — Diagnostic"), parent)
        self.setObjectName("qetGeoDiagnosticDock")
        self.iface = iface
        #: the configuration loaded (every key kept, the dock's own overwritten on save)
        self.loaded: dict = {}
        #: the folder the loaded configuration's relative paths start from
        self.loaded_base: Path | None = None
        #: service key → "PATH:LAYER" of services of a loaded file not among the layers
        self.extra_services: dict[str, tuple] = {}
        #: layer id → the service key a loaded configuration gave it
        self.service_keys: dict[str, str] = {}
        self.task = None
        self.check_task = None
        self.rejects: Path | None = None
        self.started = 0.0
        self._build()
        project = QgsProject.instance()
        project.layersAdded.connect(self._refresh_services)
        project.layersRemoved.connect(self._refresh_services)
        self._refresh_services()

    # ------------------------------------------------------------------ the widgets

    def _build(self) -> None:
        body = QWidget()
        column = QVBoxLayout(body)

        intro = QLabel(tr("From the survey to the forum map, step by step. Every setting is "
                          "saved as the configuration file that the command qet-geo run reads."))  # fmt: skip
        intro.setWordWrap(True)
        column.addWidget(intro)
        buttons = QGridLayout()
        self.example_button = self._button(
            tr("Load the example"), "qetGeoLoadExample", self.load_example
        )
        self.example_button.setToolTip(tr("The fictional neighbourhood shipped with the plugin: its layers in the project, every step filled in"))  # fmt: skip
        self.open_button = self._button(tr("Open…"), "qetGeoOpenConfig", self.open_config)
        self.open_button.setToolTip(tr("Open a configuration…"))
        self.save_button = self._button(tr("Save…"), "qetGeoSaveConfig", self.save_config)
        self.save_button.setToolTip(tr("Save the configuration…"))
        buttons.addWidget(self.example_button, 0, 0, 1, 3)
        buttons.addWidget(QLabel(tr("Configuration:")), 1, 0)
        buttons.addWidget(self.open_button, 1, 1)
        buttons.addWidget(self.save_button, 1, 2)
        column.addLayout(buttons)

        # 1. the survey
        form = _form()
        self.survey_file = _file_widget("qetGeoSurveyFile", filter_=tr("Survey exports") + " (*.csv *.tsv *.txt *.xlsx *.ods *.gpkg *.geojson *.shp)")  # fmt: skip
        self.survey_file.fileChanged.connect(self._survey_changed)
        form.addRow(tr("Survey export"), self.survey_file)
        self.schema = _combo("qetGeoSchema")
        for name in builtin_schemas():
            self.schema.addItem(name, name)
        self.schema.setCurrentIndex(
            max(self.schema.findData(default(_survey_params(), "schema")), 0)
        )
        form.addRow(tr("Survey schema"), self.schema)
        row = QHBoxLayout()
        self.check_button = self._button(tr("Check"), "qetGeoCheckSurvey", self.check_survey)
        self.check_button.setToolTip(tr("Check the survey"))
        self.rejects_button = self._button(
            tr("Rejected rows"), "qetGeoOpenRejects", self.open_rejects
        )
        self.rejects_button.setToolTip(tr("Open the rejected rows"))
        self.rejects_button.setEnabled(False)
        row.addWidget(self.check_button)
        row.addWidget(self.rejects_button)
        self.survey_report = _Report(tr("Not checked yet."))
        self.survey_report.setObjectName("qetGeoSurveyReport")
        # a box, not a form row: a wrapped label gets its height there
        survey = QVBoxLayout()
        survey.addLayout(form)
        survey.addLayout(row)
        survey.addWidget(self.survey_report)
        column.addWidget(_step(tr("1 · Survey"), survey))

        # 2. the areas
        form = _form()
        self.areas_layer = QgsMapLayerComboBox()
        self.areas_layer.setObjectName("qetGeoAreasLayer")
        self.areas_layer.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.areas_layer.setAllowEmptyLayer(True)
        self.areas_layer.setLayer(None)
        form.addRow(tr("Areas layer (IRIS, neighbourhoods…)"), self.areas_layer)
        self.area_id = QgsFieldComboBox()
        self.area_id.setObjectName("qetGeoAreaId")
        self.area_name = QgsFieldComboBox()
        self.area_name.setObjectName("qetGeoAreaName")
        self.area_name.setAllowEmptyFieldName(True)
        self.areas_layer.layerChanged.connect(self._areas_changed)
        for combo in (self.areas_layer, self.area_id, self.area_name):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        form.addRow(tr("Area id field"), self.area_id)
        form.addRow(tr("Area name field"), self.area_name)
        self.census_file = _file_widget(
            "qetGeoCensusFile", filter_=tr("Census files") + " (*.csv *.xlsx *.zip)"
        )
        form.addRow(tr("Census file (optional: representativeness)"), self.census_file)
        column.addWidget(_step(tr("2 · Areas and census"), form))

        # 3. transit
        form = _form()
        self.gtfs = _file_widget("qetGeoGtfs", filter_=tr("GTFS feed (zip, or any .txt of an unzipped feed)") + " (*.zip *.txt)")  # fmt: skip
        self.gtfs.setToolTip(
            tr("A GTFS zip file, or any file of an unzipped GTFS folder (its folder is used)")
        )
        form.addRow(tr("GTFS feed (optional)"), self.gtfs)
        self.auto_day = QCheckBox(tr("the busiest weekday of the feed"))
        self.auto_day.setObjectName("qetGeoAutoDay")
        self.auto_day.setChecked(True)
        self.service_day = QDateEdit(QDate.currentDate())
        self.service_day.setObjectName("qetGeoServiceDay")
        self.service_day.setCalendarPopup(True)
        self.service_day.setDisplayFormat("yyyy-MM-dd")
        self.service_day.setEnabled(False)
        self.auto_day.toggled.connect(lambda on: self.service_day.setEnabled(not on))
        day = QHBoxLayout()
        day.addWidget(self.auto_day)
        day.addWidget(self.service_day)
        form.addRow(tr("Service day"), day)
        column.addWidget(_step(tr("3 · Public transport"), form))

        # 4. services
        form = _form()
        self.services = QListWidget()
        self.services.setObjectName("qetGeoServices")
        self.services.setMaximumHeight(110)
        services_label = QLabel(tr("Point layers of shops and services (ticked: measured)"))
        services_label.setWordWrap(True)
        form.addRow(services_label)
        form.addRow(self.services)
        column.addWidget(_step(tr("4 · Shops and services"), form))

        # 5. profiles
        form = _form()
        self.method = _combo("qetGeoMethod")
        for code in choices(ProfileParameters, "method"):
            self.method.addItem(method_label(code), code)
        self.method.setCurrentIndex(
            max(self.method.findData(default(ProfileParameters, "method")), 0)
        )
        form.addRow(tr("Method"), self.method)
        self.k = QSpinBox()
        self.k.setObjectName("qetGeoK")
        self.k.setRange(1, 30)
        self.k.setSpecialValueText(tr("chosen automatically"))
        self.k.setMinimum(1)
        self.k.setValue(1)
        self.method.currentIndexChanged.connect(self._method_changed)
        form.addRow(tr("Number of profiles"), self.k)
        column.addWidget(_step(tr("5 · Usage profiles"), form))
        self._method_changed()

        # 6. the rest of the diagnostic: EMdV and NGC answers
        form = _form()
        answers = tr("Survey exports") + " (*.json *.csv *.tsv *.xlsx *.ods)"
        self.emdv_file = _file_widget("qetGeoEmdvFile", filter_=answers)
        self.emdv_file.setToolTip(tr("The “Espace et Mode de Vie” answers (NEAR's Metabase "
                                     "export, a database dump or Typeform payloads)"))  # fmt: skip
        form.addRow(tr("Espace et Mode de Vie answers (optional)"), self.emdv_file)
        self.ngc_file = _file_widget("qetGeoNgcFile", filter_=answers)
        self.ngc_file.setToolTip(tr("The Nos Gestes Climat results (NEAR's Metabase export, a "
                                    "database dump or webhook payloads)"))  # fmt: skip
        form.addRow(tr("Nos Gestes Climat answers (optional)"), self.ngc_file)
        column.addWidget(_step(tr("6 · Satisfaction, wishes, carbon"), form))

        # 6. outputs
        form = _form()
        self.title = QLineEdit()
        self.title.setObjectName("qetGeoTitle")
        self.title.setPlaceholderText(tr("Usage profiles of the neighbourhood"))
        form.addRow(tr("Title of the maps"), self.title)
        self.language = _combo("qetGeoLanguage")
        self.language.addItem("Français", "fr")
        self.language.addItem("English", "en")
        form.addRow(tr("Language of the outputs"), self.language)
        self.output = _file_widget("qetGeoOutput", directory=True)
        form.addRow(tr("Output folder"), self.output)
        self.webmap = self._check(tr("web map (works offline)"), "qetGeoWebmap")
        self.webmap.setToolTip(tr("web map for the forum (works offline)"))
        self.poster = self._check(tr("posters A3 and A0"), "qetGeoPoster")
        self.poster.setToolTip(tr("posters A3 and A0 (PDF, PNG) and the QGIS print layout"))
        self.qgis_project = self._check(tr("QGIS project"), "qetGeoProject")
        self.qgis_project.setToolTip(tr("QGIS project of the results"))
        for box in (self.webmap, self.poster, self.qgis_project):
            form.addRow(box)
        column.addWidget(_step(tr("7 · Outputs"), form))

        # run
        row = QHBoxLayout()
        self.run_button = self._button(tr("Run the diagnostic"), "qetGeoRun", self.run)
        self.cancel_button = self._button(tr("Cancel"), "qetGeoCancel", self.cancel)
        self.cancel_button.setEnabled(False)
        row.addWidget(self.run_button)
        row.addWidget(self.cancel_button)
        column.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setObjectName("qetGeoProgress")
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        column.addWidget(self.progress)
        self.status = QLabel("")
        self.status.setObjectName("qetGeoStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        column.addWidget(self.status)
        self.log = QPlainTextEdit()
        self.log.setObjectName("qetGeoLog")
        self.log.setReadOnly(True)
        self.log.setMaximumHeight(140)
        column.addWidget(self.log)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # wraps instead
        scroll.setWidget(body)
        # never narrower than its content (a clipped field hides its end), the scroll bar
        # beside it, not over it
        scroll.setMinimumWidth(
            body.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 6
        )
        self.setWidget(scroll)

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _=False: slot())
        return button

    def _check(self, text: str, name: str) -> QCheckBox:
        box = QCheckBox(text)
        box.setObjectName(name)
        box.setChecked(True)
        return box

    # ------------------------------------------------------------------ reactions

    def _survey_changed(self, *_):
        self.rejects = None
        self.rejects_button.setEnabled(False)
        self._report(tr("Not checked yet."))

    def _areas_changed(self, layer):
        self.area_id.setLayer(layer)
        self.area_name.setLayer(layer)
        if layer is None:
            return
        from ..qet_geo.areas.params import ID_FIELDS, NAME_FIELDS

        names = [f.name() for f in layer.fields()]  # as read_areas chooses them
        found_id = next((c for c in ID_FIELDS if c in names), None)
        found_name = next((c for c in NAME_FIELDS if c in names), None)
        if found_id:
            self.area_id.setField(found_id)
        self.area_name.setField(found_name or "")

    def _method_changed(self, *_):
        near = self.method.currentData() == "near"
        self.k.setEnabled(not near)
        self.k.setToolTip(tr("The NEAR method finds its own profiles") if near else "")

    def _refresh_services(self, *_):
        ticked = {self.services.item(i).data(Qt.ItemDataRole.UserRole)
                  for i in range(self.services.count())
                  if self.services.item(i).checkState() == Qt.CheckState.Checked}  # fmt: skip
        self.services.clear()
        for layer in QgsProject.instance().mapLayers().values():
            if (
                not isinstance(layer, QgsVectorLayer)
                or layer.geometryType() != QgsWkbTypes.GeometryType.PointGeometry
            ):
                continue
            stored = layer_file(layer)
            if stored is None or Path(stored[0]).name in OUTPUT_FILES:  # a run's own outputs
                continue
            item = QListWidgetItem(layer.name())
            item.setData(Qt.ItemDataRole.UserRole, layer.id())
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if layer.id() in ticked else Qt.CheckState.Unchecked
            )
            self.services.addItem(item)

    def _report(self, text: str) -> None:
        """The survey check's report, its whole height shown (a wrapped label in a form
        gets the height of one line otherwise)."""
        self.survey_report.setText(text)

    def _say(self, text: str, error: bool = False) -> None:
        colour = "#b00020" if error else "#1b5e20"
        self.status.setText(
            f'<span style="color:{colour}">{html.escape(text).replace(chr(10), "<br>")}</span>'
        )

    def _log(self, kind: str, text: str) -> None:
        if kind == "step":
            self.status.setText(html.escape(text))
            return
        prefix = {"warning": tr("Warning: "), "error": tr("Error: ")}.get(kind, "")
        self.log.appendPlainText(prefix + text)
        if kind == "info" and text.startswith("[") and "]" in text:  # "[3/9] Profiles"
            self.status.setText(html.escape(text))

    # ------------------------------------------------------------------ the configuration

    def settings(self, base: Path) -> dict:
        """The dock's settings as a configuration (the loaded one's other keys kept), its
        paths relative to ``base``; raises ValueError saying what is missing."""
        data = copy.deepcopy(self.loaded)
        if self.loaded_base is not None:
            _rebase(data, self.loaded_base, base)
        survey = self.survey_file.filePath().strip()
        if not survey:
            raise ValueError(tr("Step 1: choose the survey export."))
        if not Path(survey).is_file():
            raise ValueError(
                tr("Step 1: the survey export {file} does not exist.").format(file=survey)
            )
        areas = self.areas_layer.currentLayer()
        if areas is None:
            raise ValueError(tr("Step 2: choose the areas layer."))
        stored = layer_file(areas)
        if stored is None:
            raise ValueError(tr("Step 2: the layer “{layer}” is not stored in a file qet-geo can read as it is "
                                "(a memory, database or filtered layer). Save it first (Export › Save Features As…, GeoPackage), then choose "
                                "the saved layer.").format(layer=areas.name()))  # fmt: skip
        if not self.area_id.currentField():
            raise ValueError(tr("Step 2: choose the field of the area ids."))
        title = self.title.text().strip()
        _set(data, "title", title or None)  # none: the pipeline's, in the outputs' language
        data["language"] = self.language.currentData()
        data["output"] = "."
        schema = self.schema.currentData()
        if schema not in builtin_schemas():  # a schema file, relative like the others
            schema = _relative(schema, base)
        data.setdefault("survey", {}).update(file=_relative(survey, base), schema=schema)
        areas_section = data.setdefault("areas", {})
        areas_section.update(file=_relative(stored[0], base), id_field=self.area_id.currentField())
        _set(areas_section, "layer", stored[1])
        _set(areas_section, "name_field", self.area_name.currentField() or None)
        census = self.census_file.filePath().strip()
        _set(areas_section, "census", _relative(census, base) if census else None)
        gtfs = self.gtfs.filePath().strip()
        if gtfs:
            gtfs_path = Path(gtfs)
            if gtfs_path.suffix.lower() == ".txt":
                gtfs_path = gtfs_path.parent
            transit = data.setdefault("transit", {})
            transit["gtfs"] = _relative(gtfs_path, base)
            first, others = getattr(self, "_more_feeds", (None, []))
            if others and first is not None and Path(gtfs_path).resolve() == first:
                # a configuration of several feeds: the dock shows the first, keeps them all
                transit["gtfs"] = [transit["gtfs"], *(_relative(p, base) for p in others)]
            _set(transit, "date", None if self.auto_day.isChecked()
                 else self.service_day.date().toString("yyyy-MM-dd"))  # fmt: skip
        else:
            data.pop("transit", None)
            data.pop("compare", None)
        services = {key: _spec(_relative(path, base), layer)
                    for key, (path, layer) in self.extra_services.items()}  # fmt: skip
        for i in range(self.services.count()):
            item = self.services.item(i)
            if item.checkState() != Qt.CheckState.Checked:
                continue
            layer = QgsProject.instance().mapLayer(item.data(Qt.ItemDataRole.UserRole))
            stored_service = layer_file(layer)
            if stored_service is not None:
                key = self.service_keys.get(layer.id()) or _service_key(
                    layer.name(),
                    stored_service[1] or Path(stored_service[0]).stem,
                    {**services, **{k: None for k in self.service_keys.values()}},
                )  # a loaded file's own key kept (compare.service, people name it)
                services[key] = _spec(_relative(stored_service[0], base), stored_service[1])
        if services:
            data.setdefault("proximity", {})["services"] = services
            compare = data.get("compare")
            if compare is not None and compare.get("service") not in services:
                compare["service"] = next(iter(services))
            people = data["proximity"].get("people")
            if isinstance(people, list):
                data["proximity"]["people"] = [p for p in people if p in services]
        else:
            data.pop("proximity", None)
            if "compare" in data:
                data["compare"].pop("service", None)
        diagnostic = data.setdefault("diagnostic", {})
        for key, widget in (("emdv", self.emdv_file), ("ngc", self.ngc_file)):
            path = widget.filePath().strip()
            _set(diagnostic, key, _relative(path, base) if path else None)
        if not diagnostic.get("emdv") and not diagnostic.get("ngc"):
            data.pop("diagnostic", None)  # the rest of the diagnostic not run
        else:
            for key in ("food_service", "repair_service"):  # a service no longer measured
                if diagnostic.get(key) not in services:
                    diagnostic.pop(key, None)
        profiles = data.setdefault("profiles", {})
        profiles["method"] = self.method.currentData()
        if profiles["method"] == "near":
            profiles.pop("k", None)
        else:
            profiles["k"] = "auto" if self.k.value() <= 1 else int(self.k.value())
        outputs = data.setdefault("outputs", {})
        outputs["webmap"] = self.webmap.isChecked()
        outputs["project"] = self.qgis_project.isChecked()
        if self.poster.isChecked():
            if outputs.get("poster") in (None, False, []):
                outputs["poster"] = ["A3", "A0"]
        else:
            outputs["poster"] = False
        return data

    def apply(self, data: dict, base: Path) -> None:
        """Fill the dock from a configuration ``data`` whose paths start at ``base``;
        the layers it names are added to the project when they are not there."""
        self.loaded, self.loaded_base = copy.deepcopy(data), base
        survey = data.get("survey", {})
        self.survey_file.setFilePath(_absolute(survey.get("file"), base))
        schema = str(survey.get("schema", default(_survey_params(), "schema")))
        index = self.schema.findData(schema)
        if index < 0:  # a schema file of the user's: kept, its path made absolute
            schema = _absolute(schema, base)
            index = self.schema.findData(schema)
            if index < 0:
                self.schema.addItem(Path(schema).name, schema)
                index = self.schema.count() - 1
        self.schema.setCurrentIndex(index)
        areas = data.get("areas", {})
        self.areas_layer.setLayer(None)
        if areas.get("file"):
            layer = self._project_layer(_absolute(areas["file"], base), areas.get("layer"),
                                        areas.get("layer") or Path(areas["file"]).stem)  # fmt: skip
            self.areas_layer.setLayer(layer)
            self._areas_changed(layer)
            if areas.get("id_field"):
                self.area_id.setField(areas["id_field"])
            if areas.get("name_field"):
                self.area_name.setField(areas["name_field"])
        self.census_file.setFilePath(_absolute(areas.get("census"), base))
        transit = data.get("transit", {})
        feeds = transit.get("gtfs")
        feeds = [f for f in feeds if isinstance(f, str)] if isinstance(feeds, list) else [feeds]
        self._more_feeds = (
            (Path(_absolute(feeds[0], base)), [Path(_absolute(f, base)) for f in feeds[1:]])
            if feeds and feeds[0] else (None, [])
        )  # fmt: skip
        self.gtfs.setFilePath(_absolute(feeds[0] if feeds else None, base))
        diagnostic = data.get("diagnostic", {})
        self.emdv_file.setFilePath(_absolute(diagnostic.get("emdv"), base))
        self.ngc_file.setFilePath(_absolute(diagnostic.get("ngc"), base))
        day = transit.get("date")
        parsed = QDate.fromString(str(day), "yyyy-MM-dd") if day else QDate()
        self.auto_day.setChecked(not parsed.isValid())
        if parsed.isValid():
            self.service_day.setDate(parsed)
        self.extra_services = {}
        wanted = {}
        for key, spec in (data.get("proximity", {}).get("services") or {}).items():
            path, layer_name = split_relative(spec, base)
            layer = self._project_layer(path, layer_name, str(key))
            if layer is None:  # kept as it was, though not shown
                self.extra_services[str(key)] = (path, layer_name)
            else:
                wanted[layer.id()] = str(key)
        self.service_keys = wanted
        self._refresh_services()
        for i in range(self.services.count()):  # exactly the configuration's services
            item = self.services.item(i)
            ticked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        profiles = data.get("profiles", {})
        index = self.method.findData(profiles.get("method", default(ProfileParameters, "method")))
        if index >= 0:
            self.method.setCurrentIndex(index)
        k = profiles.get("k")
        self.k.setValue(int(k) if isinstance(k, int) else 1)
        self.title.setText(str(data.get("title", "")))
        lang = self.language.findData(data.get("language", "fr"))
        self.language.setCurrentIndex(max(lang, 0))
        outputs = data.get("outputs", {})
        self.webmap.setChecked(bool(outputs.get("webmap", True)))
        self.poster.setChecked(outputs.get("poster", True) not in (False, [], None))
        self.qgis_project.setChecked(bool(outputs.get("project", True)))
        # drop the keys the dock sets itself from what it keeps as they were
        self.loaded.get("proximity", {}).pop("services", None)

    def _project_layer(self, path: str, layer_name: str | None, title: str):
        """The project's layer of ``path`` (and ``layer_name``), added when missing."""
        if not path or not Path(path).is_file():
            return None
        for layer in QgsProject.instance().mapLayers().values():
            stored = layer_file(layer)
            if stored and Path(stored[0]).resolve() == Path(path).resolve() and (
                    stored[1] == layer_name or layer_name is None):  # fmt: skip
                return layer
        source = f"{path}|layername={layer_name}" if layer_name else path
        layer = QgsVectorLayer(source, title, "ogr")
        if not layer.isValid():
            return None
        QgsProject.instance().addMapLayer(layer)
        return layer

    def load_example(self) -> None:
        """The fictional sample shipped in the plugin: its layers in the project, every step
        filled in, the outputs in a folder of the user's (never inside the plugin)."""
        if not SAMPLE_CONFIG.is_file():
            self._say(tr("The example is not in this installation of the plugin ({path}).").format(path=SAMPLE_CONFIG), True)  # fmt: skip
            return
        if self._load(SAMPLE_CONFIG) is None:
            return
        folder = Path.home() / "qet-geo" / "exemple"
        self.output.setFilePath(str(folder))
        self.check_survey()
        self._say(
            tr(
                "Example loaded: a fictional neighbourhood. Check each step, then run the diagnostic."
            )
        )

    def _load(self, path: Path) -> dict | None:
        """Read the configuration ``path`` and fill the dock from it; None (said in the
        status) when it cannot be read."""
        try:
            data = read_config(path)
        except QetGeoError as exc:
            self._say(str(exc), True)
            return None
        self.apply(data, Path(path).resolve().parent)
        return data

    def open_config(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, tr("Open a configuration"), "", "TOML (*.toml)"
            )
        if not path:
            return
        data = self._load(Path(path))
        if data is None:
            return
        output = data.get("output")
        if output:
            self.output.setFilePath(_absolute(output, Path(path).resolve().parent))
        self._say(tr("Configuration {file} loaded.").format(file=path))

    def save_config(self, path: str | None = None) -> Path | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, tr("Save the configuration"), "qet-geo.toml", "TOML (*.toml)"
            )
        if not path:
            return None
        path = Path(path)
        if path.suffix.lower() != ".toml":
            path = path.with_suffix(".toml")
        try:
            data = self.settings(path.resolve().parent)
            output = self.output.filePath().strip()
            data["output"] = _relative(output, path.resolve().parent) if output else "out"
            write_config(path, data, header=_header())
        except (ValueError, OSError, QetGeoError) as exc:
            self._say(str(exc), True)
            return None
        self._say(
            tr("Configuration saved: {file}. Replay it with: qet-geo run {file}").format(file=path)
        )
        return path

    # ------------------------------------------------------------------ running

    def _context(self):
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        return context

    def check_survey(self) -> None:
        """The survey checked by ``qetgeo:importsurvey`` (in a task): the report in place."""
        survey = self.survey_file.filePath().strip()
        if not survey or not Path(survey).is_file():
            self._report(_red(tr("Choose an existing survey export first.")))
            return
        algorithm = QgsApplication.processingRegistry().createAlgorithmById(
            f"{PROVIDER_ID}:importsurvey"
        )
        if algorithm is None:
            self._report(_red(tr("The survey check is not available: see “qet-geo › Check Python dependencies”.")))  # fmt: skip
            return
        self.rejects = Path(QgsProcessingUtils.generateTempFilename("rejets.csv"))
        parameters = {"INPUT": survey, "SCHEMA": self.schema.currentData(),
                      "OUTPUT": "TEMPORARY_OUTPUT", "REJECTS": str(self.rejects)}  # fmt: skip
        self.check_context, self.check_feedback = self._context(), _Feedback()
        errors: list[str] = []
        self.check_feedback.message.connect(
            lambda kind, text: errors.append(text) if kind == "error" else None
        )
        task = QgsProcessingAlgRunnerTask(
            algorithm, parameters, self.check_context, self.check_feedback
        )
        task.executed.connect(lambda ok, results: self._survey_checked(ok, results, errors))
        self.check_task = task
        self._report(tr("Checking…"))
        self.check_button.setEnabled(False)
        QgsApplication.taskManager().addTask(task)

    def _survey_checked(self, ok: bool, results: dict, errors: list[str]) -> None:
        self.check_button.setEnabled(True)
        self.check_task = None
        if not ok:
            self._report(_red("\n".join(errors[-3:]) or tr("The survey could not be read.")))
            return
        read, accepted, rejected = (
            int(results.get(k) or 0) for k in ("ROWS_READ", "ACCEPTED", "REJECTED")
        )
        text = tr("{read} rows read, {accepted} accepted, {rejected} rejected.").format(
            read=read, accepted=accepted, rejected=rejected)  # fmt: skip
        lines = [f"<b>{html.escape(text)}</b>"]
        problems = _first_problems(self.rejects, FIRST_PROBLEMS) if rejected else []
        for row, reason in problems:
            lines.append(html.escape(tr("row {row}: {reason}").format(row=row, reason=reason)))
        if rejected > len(problems):
            lines.append(html.escape(tr("… all of them in the rejected rows file.")))
        self._report("<br>".join(lines))
        self.rejects_button.setEnabled(
            bool(rejected) and self.rejects is not None and self.rejects.is_file()
        )

    def open_rejects(self) -> None:
        if self.rejects is not None and self.rejects.is_file():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.rejects)))

    def run(self) -> None:
        """Write the run's configuration in the output folder and run the whole job on it
        as a cancellable task."""
        if self.task is not None:
            return
        output = self.output.filePath().strip()
        if not output:
            self._say(tr("Step 6: choose the output folder."), True)
            return
        folder = Path(output)
        target = folder / RUN_CONFIG
        if target.is_file() and not _written_by_dock(target):
            self._say(tr("Step 6: the output folder already holds {file}, not written by this dock: "
                         "choose another output folder (it is never overwritten).").format(file=target), True)  # fmt: skip
            return
        try:
            data = self.settings(folder)
            folder.mkdir(parents=True, exist_ok=True)
            config = write_config(target, data, header=_header())
        except (ValueError, OSError, QetGeoError) as exc:
            self._say(str(exc), True)
            return
        algorithm = QgsApplication.processingRegistry().createAlgorithmById(
            f"{PROVIDER_ID}:runpipeline"
        )
        if algorithm is None:
            self._say(
                tr(
                    "The whole diagnostic is not available: see “qet-geo › Check Python dependencies”."
                ),
                True,
            )
            return
        self.log.clear()
        self.progress.setValue(0)
        self.context, self.feedback = self._context(), _Feedback()
        self.feedback.message.connect(self._log)
        self.feedback.progressChanged.connect(lambda value: self.progress.setValue(int(value)))
        parameters = {"CONFIG": str(config), "OUTPUT_FOLDER": str(folder)}
        self.task = QgsProcessingAlgRunnerTask(algorithm, parameters, self.context, self.feedback)
        self.task.executed.connect(self._finished)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.started = time.monotonic()
        self._say(tr("Running… the configuration of this run is {file}").format(file=config))
        QgsApplication.taskManager().addTask(self.task)

    def cancel(self) -> None:
        if self.task is not None:
            self.feedback.cancel()
            self.task.cancel()
            self._say(tr("Canceling…"))

    def _finished(self, ok: bool, results: dict) -> None:
        seconds = time.monotonic() - self.started
        self.task = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if ok:
            self.progress.setValue(100)
            self._say(tr("Finished in {seconds:.0f} s: the results are in the project, in the group of this run. "
                         "Replay from the command line: qet-geo run {file}").format(
                seconds=seconds, file=Path(str(results.get("OUTPUT_FOLDER") or self.output.filePath())) / RUN_CONFIG))  # fmt: skip
            self.show_report(Path(str(results.get("OUTPUT_FOLDER") or self.output.filePath())))
        elif self.feedback.isCanceled():
            self._say(tr("Canceled: the outputs are incomplete."), True)
        else:
            errors = [line[len(tr("Error: ")):] for line in self.log.toPlainText().splitlines()
                      if line.startswith(tr("Error: "))]  # fmt: skip
            self._say("\n".join(errors[-5:]) or tr("The run failed: see the log below."), True)

    def show_report(self, folder: Path) -> None:
        """The profiles' report (portraits, choice of k, stability) in a panel."""
        from .report import show_report

        self.report_dock = show_report(
            self.iface, folder, self.report_dock if hasattr(self, "report_dock") else None
        )

    def closeEvent(self, event):  # noqa: N802 - Qt API
        project = QgsProject.instance()
        for signal in (project.layersAdded, project.layersRemoved):
            with contextlib.suppress(TypeError, RuntimeError):
                signal.disconnect(self._refresh_services)
        super().closeEvent(event)


def _survey_params():
    from ..qet_geo.survey.params import SurveyParameters

    return SurveyParameters


def _set(section: dict, key: str, value) -> None:
    if value in (None, ""):
        section.pop(key, None)
    else:
        section[key] = value


def _service_key(name: str, fallback: str, taken: dict) -> str:
    text = "".join(c if c.isalnum() else "_" for c in name.strip().lower())
    key = "_".join(p for p in text.split("_") if p) or fallback
    base, n = key, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


#: the keys holding paths, relative to the configuration's folder: every file or path key of
#: the configuration's schema (a key the dock does not show, as [forum] votes, kept valid)
PATH_KEYS = tuple(
    (section, key)
    for section, keys in SCHEMA.items()
    for key, (kind, _default) in keys.items()
    if kind in ("file", "path", "feeds")
)


def _rebase(data: dict, old: Path, new: Path) -> None:
    """The relative paths of a configuration loaded from ``old`` made relative to ``new``."""
    for section, key in PATH_KEYS:
        value = data.get(section, {}).get(key)
        if isinstance(value, list):  # several GTFS feeds
            data[section][key] = [_relative(old / v, new) for v in value if isinstance(v, str)]
        elif value:
            data[section][key] = _relative(old / value, new)
    weights = data.get("profiles", {}).get("weights")
    if weights and (old / str(weights)).is_file():  # a weights file, not a preset's name
        data["profiles"]["weights"] = _relative(old / str(weights), new)
    values = data.get("outputs", {}).get("background")
    if isinstance(values, list):  # PATH[:LAYER] each ([proximity] people are names)
        data["outputs"]["background"] = [
            _spec(_relative(path, new), layer)
            for path, layer in (split_relative(v, old) for v in values)
        ]


def split_relative(spec, base: Path) -> tuple[str, str | None]:
    """(absolute path, layer or None) of "PATH[:LAYER]" relative to ``base``: split before
    joining, so that a drive letter of ``base`` is never taken for a layer separator."""
    text = str(spec)
    path, layer = split_layer(text) if not (base / text).exists() else (text, None)
    return str((base / path).resolve()), layer


def _written_by_dock(path: Path) -> bool:
    """Whether ``path`` starts with the comment the dock writes (in either language)."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return False
    return first.startswith("# qet-geo configuration written by the QGIS Diagnostic dock") or \
        first.startswith("# Configuration qet-geo écrite par le panneau Diagnostic")  # fmt: skip


def _header() -> str:
    return tr("qet-geo configuration written by the QGIS Diagnostic dock.\n"
              "Replay the run from a terminal: qet-geo run THIS_FILE\n"
              "Paths are relative to this file.")  # fmt: skip


def _red(text: str) -> str:
    return f'<span style="color:#b00020">{html.escape(text).replace(chr(10), "<br>")}</span>'


def _first_problems(path: Path | None, limit: int) -> list[tuple[str, str]]:
    """(row, reason) of the first rows of a rejects file (columns ``source_row``,
    ``reason``: ``qet_geo.survey.write_rejects``)."""
    if path is None or not path.is_file():
        return []
    out = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            out.append((str(record.get("source_row", "?")), str(record.get("reason", ""))))
            if len(out) >= limit:
                break
    return out
