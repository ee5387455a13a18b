"""The qet-geo QGIS plugin: Processing provider, "qet-geo" menu, dependency report, i18n."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsMessageLog
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QDesktopServices, QIcon
from qgis.PyQt.QtWidgets import QMenu, QPushButton

try:  # Qt6
    from qgis.PyQt.QtGui import QAction
except ImportError:  # Qt5
    from qgis.PyQt.QtWidgets import QAction

from ..algorithms.provider import ICON, PROVIDER_ID, QetGeoProvider
from ..qet_geo.i18n import set_language
from . import dependencies
from .help import help_url
from .i18n import install_translator, remove_translator, tr, user_locale

PLUGIN_DIR = Path(__file__).resolve().parent.parent
REQUIREMENTS = PLUGIN_DIR / "requirements.txt"
#: Tab of the QGIS log (View ▸ Panels ▸ Log Messages) where the plugin writes.
LOG_TAG = "qet-geo"
#: Object name of QGIS's Help menu: the qet-geo menu goes just before it.
QGIS_HELP_MENU = "mHelpMenu"


class QetGeoPlugin:
    def __init__(self, iface) -> None:
        self.iface = iface  # None under qgis_process
        # before the provider exists, so that algorithm names are translated
        self.translator = install_translator(PLUGIN_DIR / "i18n")
        # the library's messages (errors, import report) in QGIS's language too
        set_language(user_locale())
        self.provider: QetGeoProvider | None = None
        self.menu: QMenu | None = None
        self.toolbar = None
        self.actions: list[QAction] = []
        #: the message bar item about missing packages (replaced when checked again)
        self.dependency_message = None
        #: the Diagnostic dock, made when first shown
        self.dock = None

    # --- QGIS plugin API -------------------------------------------------------------------

    def initProcessing(self) -> None:
        if self.provider is not None:
            return
        self.provider = QetGeoProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)  # loads the algorithms
        self.report_dependencies()
        self.note_native_libraries()

    def initGui(self) -> None:
        self.initProcessing()
        main_window = self.iface.mainWindow()
        icon = QIcon(str(ICON))
        # a title, no icon: a menu bar shows a menu's icon instead of its title (which
        # QGIS 3.22 then clipped to "et-ge" when the menu opened)
        self.menu = QMenu("qet-geo", main_window)
        self.menu.setObjectName("qetGeoMenu")
        self.menu.setToolTipsVisible(True)
        diagnostic = self._add_action(
            icon, tr("Diagnostic…"), "qetGeoDiagnostic", self.show_diagnostic
        )
        diagnostic.setToolTip(
            tr("The whole diagnostic step by step, from the survey to the forum map")
        )
        self.menu.addSeparator()
        self._add_action(
            icon, tr("Import survey answers…"), "qetGeoImportSurvey", self.open_import_dialog
        )
        self._add_action(
            icon,
            tr("Run the whole diagnostic from a configuration file…"),
            "qetGeoRunDiagnostic",
            self.open_run_dialog,
        )
        self.menu.addSeparator()
        self._add_action(
            QIcon(),
            tr("Check Python dependencies"),
            "qetGeoCheckDependencies",
            self.check_dependencies,
        )
        self._add_action(QIcon(), tr("Help"), "qetGeoHelp", self.open_help)
        # a toolbar of its own (View ▸ Toolbars ▸ qet-geo), with the Diagnostic dock
        self.toolbar = self.iface.addToolBar("qet-geo")
        self.toolbar.setObjectName("qetGeoToolbar")
        self.toolbar.setToolTip("qet-geo")
        self.toolbar.addAction(diagnostic)
        menu_bar = main_window.menuBar()
        help_menu = main_window.findChild(QMenu, QGIS_HELP_MENU)
        if help_menu is not None:
            menu_bar.insertMenu(help_menu.menuAction(), self.menu)
        else:
            menu_bar.addMenu(self.menu)

    def unload(self) -> None:
        self._close_dependency_message()
        self.close_diagnostic()
        if self.toolbar is not None:
            self.toolbar.deleteLater()  # its actions are deleted below
            self.toolbar = None
        if self.menu is not None:
            self.iface.mainWindow().menuBar().removeAction(self.menu.menuAction())
            self.menu.deleteLater()
            self.menu = None
        for action in self.actions:
            action.deleteLater()
        self.actions = []
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)  # deletes it
            self.provider = None
        remove_translator(self.translator)
        self.translator = None
        set_language(None)
        _forget_modules(__package__.split(".")[0])

    # --- actions ---------------------------------------------------------------------------

    def show_diagnostic(self):
        """The Diagnostic dock (``diagnostic.py``), docked on the right; returns it."""
        from qgis.PyQt.QtCore import Qt

        from .diagnostic import DiagnosticDock

        if self.dock is None:
            self.dock = DiagnosticDock(self.iface, self.iface.mainWindow())
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
            window = self.iface.mainWindow()
            if hasattr(window, "resizeDocks"):  # wide enough for its labels
                window.resizeDocks([self.dock], [460], Qt.Orientation.Horizontal)
        self.dock.show()
        self.dock.raise_()
        return self.dock

    def close_diagnostic(self) -> None:
        """Take the Diagnostic dock and its report panel out of the window."""
        remove = getattr(self.iface, "removeDockWidget", None)  # not in every iface
        for dock in (self.dock, getattr(self.dock, "report_dock", None)):
            if dock is None:
                continue
            with contextlib.suppress(RuntimeError):  # already deleted with the window
                if remove is not None:
                    remove(dock)
                dock.close()
                dock.deleteLater()
        self.dock = None

    def open_import_dialog(self) -> None:
        self._open_dialog(f"{PROVIDER_ID}:importsurvey")

    def open_run_dialog(self) -> None:
        """The whole diagnostic from a configuration file: its results land in the project."""
        self._open_dialog(f"{PROVIDER_ID}:runpipeline")

    def _open_dialog(self, algorithm_id: str) -> None:
        if QgsApplication.processingRegistry().algorithmById(algorithm_id) is None:
            self.report_dependencies()
            return
        import processing

        processing.execAlgorithmDialog(algorithm_id)

    def open_help(self) -> None:
        """The help shipped in the plugin, in QGIS's language (French or English), in the
        system's browser: no network needed."""
        QDesktopServices.openUrl(QUrl(help_url()))

    def check_dependencies(self) -> None:
        """Look again (after installing packages) and register what can now be."""
        self.provider.refreshAlgorithms()
        missing = self.report_dependencies()
        if self.report_native_libraries() or missing:
            return
        self._close_dependency_message()
        if self.iface is not None:
            self.iface.messageBar().pushMessage(
                "qet-geo",
                tr("All the Python packages qet-geo needs are installed."),
                Qgis.MessageLevel.Success,
                5,
            )

    def report_dependencies(self) -> bool:
        """Log (and show) which algorithms are disabled and how to fix it; True if any."""
        unavailable = self.provider.unavailable
        if not unavailable:
            return False
        text = dependencies.details(unavailable, REQUIREMENTS)
        QgsMessageLog.logMessage(text, LOG_TAG, Qgis.MessageLevel.Warning)
        if self.iface is None:  # qgis_process or a script, where the log is not shown
            print(text, file=sys.stderr)
        else:
            self._push_with_check_again(dependencies.summary(unavailable, REQUIREMENTS))
        return True

    def _close_dependency_message(self) -> None:
        if self.iface is None or self.dependency_message is None:
            return
        with contextlib.suppress(RuntimeError):  # already closed (the C++ object is gone)
            self.iface.messageBar().popWidget(self.dependency_message)
        self.dependency_message = None

    def _push_with_check_again(self, text: str) -> None:
        """A lasting warning in the message bar with a "Check again" button (the
        message bar of pytest-qgis's iface takes text only)."""
        self._close_dependency_message()
        bar = self.iface.messageBar()
        if not hasattr(bar, "createMessage"):
            bar.pushMessage("qet-geo", text, Qgis.MessageLevel.Warning, 0)
            return
        item = bar.createMessage("qet-geo", text)
        button = QPushButton(tr("Check again"), item)
        button.setObjectName("qetGeoCheckAgain")
        button.clicked.connect(self.check_dependencies)
        item.layout().addWidget(button)
        self.dependency_message = bar.pushWidget(item, Qgis.MessageLevel.Warning, 0)

    def note_native_libraries(self) -> None:
        """At load, in the window: a line in the log when QGIS's GEOS is in shapely's way
        (cheap: no process started; "Check Python dependencies" says more)."""
        from ..algorithms.isolation import conflicting_libraries, isolation_needed
        from ..qet_geo.i18n import tr as library_tr

        if self.iface is None or not isolation_needed():
            return
        loaded = ", ".join(f"{k} {v}" for k, v in conflicting_libraries().items())
        QgsMessageLog.logMessage(
            library_tr(
                "QGIS's own libraries are global in this process ({libraries}): every "
                "algorithm working on geometries will run in a separate Python process.",
                libraries=loaded,
            ),
            LOG_TAG,
            Qgis.MessageLevel.Info,
        )

    def report_native_libraries(self) -> bool:
        """Log (and show) that QGIS's own GEOS, PROJ and GDAL would be called by shapely,
        pyproj and pyogrio in this process, and what qet-geo does about it; True if so."""
        from ..algorithms.isolation import report

        problem, text = report(qgis_libraries())
        if not problem:
            return False
        QgsMessageLog.logMessage(text, LOG_TAG, Qgis.MessageLevel.Warning)
        if self.iface is None:
            print(text, file=sys.stderr)
        else:
            self.iface.messageBar().pushMessage("qet-geo", text, Qgis.MessageLevel.Warning, 0)
        return True

    def _add_action(self, icon: QIcon, text: str, name: str, slot) -> QAction:
        action = QAction(icon, text, self.iface.mainWindow())
        action.setObjectName(name)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        self.actions.append(action)
        return action


def qgis_libraries() -> dict[str, str]:
    """The GEOS, PROJ and GDAL versions QGIS reports."""
    found = {"GEOS": Qgis.geosVersion()}
    try:
        from qgis.core import QgsProjUtils

        found["PROJ"] = f"{QgsProjUtils.projVersionMajor()}.{QgsProjUtils.projVersionMinor()}"
    except (ImportError, AttributeError):
        pass
    try:
        from osgeo import gdal

        found["GDAL"] = gdal.VersionInfo("RELEASE_NAME")
    except ImportError:
        pass
    return found


def _forget_modules(package: str) -> None:
    """Drop the plugin's modules from ``sys.modules``, so that a reload (plugin upgrade,
    Plugin Reloader) runs the new code: QGIS forgets only the modules it saw imported."""
    for name in [name for name in sys.modules if name == package or name.startswith(package + ".")]:
        del sys.modules[name]
