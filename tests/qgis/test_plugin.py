"""The plugin in QGIS: provider, menu, clean unload and restart, French user interface."""

from __future__ import annotations

import sys

import pytest
from plugin_testing import PLUGIN, plugin_instance, start_plugin, stop_plugin
from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QTimer
from qgis.PyQt.QtWidgets import QApplication, QDialog, QMenu, QToolBar

ALGORITHM = "qetgeo:importsurvey"


def qet_geo_menu(iface) -> QMenu | None:
    menus = [
        action.menu()
        for action in iface.mainWindow().menuBar().actions()
        if action.menu() is not None and action.menu().title() == "qet-geo"
    ]
    assert len(menus) <= 1, "the qet-geo menu was added twice"
    return menus[0] if menus else None


def test_provider_registers_importsurvey(plugin):
    provider = QgsApplication.processingRegistry().providerById("qetgeo")
    assert provider is not None
    assert provider.name() == "qet-geo"
    assert not provider.icon().isNull()
    assert sorted(algorithm.id() for algorithm in provider.algorithms()) == [
        "qetgeo:analysediagnostic",
        "qetgeo:assignprofiles",
        "qetgeo:computefootprints",
        "qetgeo:detectprofiles",
        "qetgeo:exportposter",
        "qetgeo:exportwebmap",
        "qetgeo:forumpanels",
        "qetgeo:forumvotes",
        "qetgeo:importemdv",
        "qetgeo:importngc",
        ALGORITHM,
        "qetgeo:mapprofiles",
        "qetgeo:profilesvsconstraints",
        "qetgeo:proximity",
        "qetgeo:runpipeline",
        "qetgeo:transitaccess",
    ]
    assert provider.unavailable == {}
    algorithm = QgsApplication.processingRegistry().algorithmById(ALGORITHM)
    assert algorithm.displayName() == "Import survey answers"
    assert (algorithm.group(), algorithm.groupId()) == ("1 · Survey", "survey")
    assert "Rejected rows" in algorithm.shortHelpString()
    assert algorithm.helpUrl().endswith("#importsurvey")


def test_plugin_runs_the_library_shipped_inside_it(plugin):
    module = sys.modules[f"{PLUGIN}.algorithms.importsurvey"]
    assert module.import_with.__module__ == f"{PLUGIN}.qet_geo.survey.importer"
    assert sys.modules[f"{PLUGIN}.qet_geo"].__file__.startswith(
        str(sys.modules[PLUGIN].__path__[0])
    )


def test_menu_holds_the_import_and_dependency_actions(plugin, qgis_iface):
    menu = qet_geo_menu(qgis_iface)
    assert menu is not None
    assert [action.text() for action in menu.actions()] == [
        "Diagnostic…",
        "",
        "Import survey answers…",
        "Run the whole diagnostic from a configuration file…",
        "",
        "Check Python dependencies",
        "Help",
    ]
    assert menu.icon().isNull()  # a title in the menu bar, not a clipped icon
    [toolbar] = [
        t
        for t in qgis_iface.mainWindow().findChildren(QToolBar)
        if t.objectName() == "qetGeoToolbar"
    ]
    assert [action.objectName() for action in toolbar.actions()] == ["qetGeoDiagnostic"]


@pytest.fixture()
def slot_errors(monkeypatch) -> list:
    """Exceptions raised in Qt slots: PyQt hands them to sys.excepthook (and aborts the whole
    test session when it is Python's default)."""
    errors = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc_info: errors.append(exc_info[1]))
    return errors


def test_import_action_opens_the_algorithm_dialog(plugin, qgis_iface, monkeypatch, slot_errors):
    from qgis.gui import QgsBrowserGuiModel

    # pytest-qgis's stub iface lacks browserModel(), which the Processing dialog asks for
    browser = QgsBrowserGuiModel()
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: browser, raising=False)
    seen = []
    tries = iter(range(1800))  # 90 s of 50 ms polls: an upper bound under load, not a measure

    def close_dialog():  # the Processing dialog is not modal: find it among the windows
        dialogs = [
            widget
            for widget in QApplication.topLevelWidgets()
            if isinstance(widget, QDialog) and widget.isVisible()
        ]
        if not dialogs and next(tries, None) is not None:
            QTimer.singleShot(50, close_dialog)
            return
        for dialog in dialogs:
            algorithm = dialog.algorithm().id() if hasattr(dialog, "algorithm") else None
            seen.append((dialog.windowTitle().lower(), algorithm))  # QGIS may Title Case it
            dialog.reject()

    QTimer.singleShot(50, close_dialog)
    [action] = [
        a for a in qet_geo_menu(qgis_iface).actions() if a.objectName() == "qetGeoImportSurvey"
    ]
    action.trigger()  # returns when the dialog is closed
    assert slot_errors == []
    assert seen == [("import survey answers", ALGORITHM)]


def test_check_dependencies_action_confirms_all_is_installed(plugin, qgis_iface, slot_errors):
    messages = qgis_iface.messageBar().messages
    before = len(messages[Qgis.MessageLevel.Success])
    [check] = [
        a for a in qet_geo_menu(qgis_iface).actions() if a.objectName() == "qetGeoCheckDependencies"
    ]
    check.trigger()
    assert slot_errors == []
    assert messages[Qgis.MessageLevel.Success][before:] == [
        "qet-geo:All the Python packages qet-geo needs are installed."
    ]
    assert QgsApplication.processingRegistry().algorithmById(ALGORITHM) is not None


def test_unload_removes_everything_and_the_plugin_starts_again(plugin, qgis_iface):
    registry = QgsApplication.processingRegistry()
    stop_plugin()
    try:
        assert registry.providerById("qetgeo") is None
        assert registry.algorithmById(ALGORITHM) is None
        assert qet_geo_menu(qgis_iface) is None
        assert [name for name in sys.modules if name.startswith(PLUGIN)] == []
    finally:
        start_plugin("en_US")
    assert registry.algorithmById(ALGORITHM) is not None
    assert qet_geo_menu(qgis_iface) is not None


@pytest.fixture()
def french_plugin(plugin):
    """The plugin restarted in a French QGIS; back in English afterwards."""
    stop_plugin()
    try:
        yield start_plugin("fr_FR")
    finally:
        stop_plugin()
        start_plugin("en_US")


def test_french_user_interface(french_plugin, qgis_iface):
    algorithm = QgsApplication.processingRegistry().algorithmById(ALGORITHM)
    assert algorithm.displayName() == "Importer les réponses d'une enquête"
    assert algorithm.group() == "1 · Enquête"
    assert algorithm.parameterDefinition("INPUT").description() == "Export de l'enquête"
    assert algorithm.parameterDefinition("OUTPUT").description() == "Répondants"
    assert algorithm.shortHelpString().startswith("Lit un export d'enquête")
    assert [action.text() for action in qet_geo_menu(qgis_iface).actions()] == [
        "Diagnostic…",
        "",
        "Importer les réponses d'une enquête…",
        "Exécuter tout le diagnostic depuis un fichier de configuration…",
        "",
        "Vérifier les dépendances Python",
        "Aide",
    ]


def test_unload_removes_the_french_translator(french_plugin, qgis_iface):
    assert QCoreApplication.translate("qet-geo", "Survey") == "Enquête"
    stop_plugin()
    assert QCoreApplication.translate("qet-geo", "Survey") == "Survey"
    start_plugin("en_US")
    algorithm = QgsApplication.processingRegistry().algorithmById(ALGORITHM)
    assert algorithm.displayName() == "Import survey answers"
    assert qet_geo_menu(qgis_iface).actions()[2].text() == "Import survey answers…"
    assert plugin_instance().translator is None


def test_library_messages_follow_the_qgis_language(french_plugin, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    empty = tmp_path / "vide.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(QgsProcessingException) as error:
        processing.run(ALGORITHM, {"INPUT": str(empty), "OUTPUT": str(tmp_path / "r.gpkg")})
    assert str(error.value) == (
        f"{empty}: le fichier est vide; attendu une ligne d'en-tête et une ligne par répondant"
    )


def test_toolbox_groups_sort_in_working_order(french_plugin):
    """The toolbox sorts groups by name: numbered names give the working order."""
    provider = QgsApplication.processingRegistry().providerById("qetgeo")
    groups = {algorithm.groupId(): algorithm.group() for algorithm in provider.algorithms()}
    order = ["survey", "footprints", "profiles", "maps", "constraints", "diagnostic", "forum"]
    assert sorted(groups, key=groups.get) == order
    assert groups["survey"] == "1 · Enquête"
    assert groups["diagnostic"] == "6 · Diagnostic"
    assert groups["forum"].startswith("7 · ")
