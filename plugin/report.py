"""The profiles' report of a run (``profiles.html``: the portraits, the choice of the number
of profiles, the stability) in a panel of the QGIS window, beside the map.

Shown in a web view where QGIS has one (QtWebKit in QGIS 3), JavaScript and plugins off
(the report needs neither; it is a local file that loads nothing else); elsewhere a button opens it in the browser.
"""

from __future__ import annotations

from pathlib import Path

from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from ..qet_geo.pipeline import NAMES
from .i18n import tr


def _web_view():
    try:
        from qgis.PyQt.QtWebKit import QWebSettings
        from qgis.PyQt.QtWebKitWidgets import QWebView
    except ImportError:  # Qt without QtWebKit (QGIS 4)
        return None
    view = QWebView()
    settings = view.settings()
    settings.setAttribute(QWebSettings.WebAttribute.JavascriptEnabled, False)
    settings.setAttribute(QWebSettings.WebAttribute.PluginsEnabled, False)
    return view


class ReportDock(QgsDockWidget):
    """A panel showing one run's ``profiles.html``."""

    def __init__(self, parent=None) -> None:
        super().__init__(tr("qet-geo — Profiles report"), parent)
        self.setObjectName("qetGeoReportDock")
        body = QWidget()
        layout = QVBoxLayout(body)
        self.view = _web_view()
        self.path: Path | None = None
        if self.view is not None:
            self.view.setObjectName("qetGeoReportView")
            layout.addWidget(self.view, 1)
        else:
            note = QLabel(tr("This QGIS has no web view: open the report in the browser."))
            note.setWordWrap(True)
            layout.addWidget(note)
        self.open_button = QPushButton(tr("Open in the browser"))
        self.open_button.setObjectName("qetGeoReportBrowser")
        self.open_button.clicked.connect(self._open)
        layout.addWidget(self.open_button)
        self.setWidget(body)

    def show_file(self, path: Path) -> None:
        self.path = Path(path)
        if self.view is not None:
            self.view.load(QUrl.fromLocalFile(str(self.path)))

    def _open(self) -> None:
        if self.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path)))


def show_report(iface, folder: Path, dock: ReportDock | None = None) -> ReportDock | None:
    """The report of the run in ``folder`` in ``dock`` (made and docked on the right of
    ``iface``'s window when None); None when the run wrote no report."""
    path = Path(folder) / NAMES["report"]
    if not path.is_file():
        return dock
    if dock is None:
        dock = ReportDock(iface.mainWindow() if iface is not None else None)
        if iface is not None:
            iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.show_file(path)
    dock.show()
    dock.raise_()
    return dock


__all__ = ["ReportDock", "show_report"]
