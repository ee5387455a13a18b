"""The "Diagnostic" dock (being written: helper "dock")."""

from __future__ import annotations

from qgis.gui import QgsDockWidget


class DiagnosticDock(QgsDockWidget):
    """The guided whole job: survey, areas, census, transit, services, profiles, outputs."""

    def __init__(self, iface, parent=None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.setObjectName("qetGeoDiagnosticDock")
