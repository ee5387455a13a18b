"""A planner's first run in the real QGIS window (``qgis`` under Xvfb), in French and in
English: a fresh profile, the plugin installed from the built zip, and a startup script that
clicks what a planner clicks: the qet-geo toolbar button, "Charger l'exemple" in the
Diagnostic dock, "Lancer le diagnostic"; then it looks at the project as the planner would
(one group, every layer styled with labels and aliases, the web map and poster offered, the
profiles report in a panel), opens the run's own ``projet.qgz`` (no "older version" banner)
and takes screenshots of the window, the dock and the canvas, kept in ``tests/artifacts``
and shown in the README.
"""

from __future__ import annotations

import json
import textwrap

import pytest
from plugin_testing import ROOT
from test_desktop_xvfb import QGIS, XVFB_RUN, launch, prepare_session

ARTIFACTS = ROOT / "tests" / "artifacts"

STARTUP = textwrap.dedent(
    r"""
    import json, os, time, traceback
    from pathlib import Path
    from qgis.PyQt.QtCore import Qt, QTimer
    from qgis.PyQt.QtTest import QTest
    from qgis.PyQt.QtWidgets import QDockWidget, QPushButton, QToolBar
    try:
        from qgis.PyQt.QtGui import QAction
    except ImportError:
        from qgis.PyQt.QtWidgets import QAction
    from qgis.core import QgsApplication, QgsProject, QgsWkbTypes
    from qgis.utils import iface
    import qgis.utils

    OUT = Path(os.environ["QET_TEST_DIR"])
    seen = {"errors": [], "messages": []}
    QgsApplication.messageLog().messageReceived.connect(
        lambda message, tag, level: seen["messages"].append([tag, int(level), message]))
    shown = qgis.utils.showException
    def record_exception(type_, value, tb, *args, **kwargs):
        seen["errors"].append("".join(traceback.format_exception(type_, value, tb)))
        return shown(type_, value, tb, *args, **kwargs)
    qgis.utils.showException = record_exception

    def save():
        (OUT / "seen.json").write_text(json.dumps(seen, indent=1, default=str))

    def wait(predicate, seconds=600):
        end = time.time() + seconds
        while not predicate() and time.time() < end:
            QgsApplication.processEvents()
            time.sleep(0.05)
        return predicate()

    def bar_texts():
        return [item.text() + " " + item.title() for item in iface.messageBar().items()]

    def main():
        try:
            drive()
        except Exception:
            seen["errors"].append(traceback.format_exc())
        seen["finished"] = True
        save()
        QgsApplication.exit(0)

    def drive():
        window = iface.mainWindow()
        seen["menus"] = [a.text() for a in window.menuBar().actions()]
        toolbar = window.findChild(QToolBar, "qetGeoToolbar")
        seen["toolbar"] = [a.objectName() for a in toolbar.actions()] if toolbar else None
        button = toolbar.widgetForAction(window.findChild(QAction, "qetGeoDiagnostic"))
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)  # the toolbar button
        dock = window.findChild(QDockWidget, "qetGeoDiagnosticDock")
        seen["dock_visible"] = dock.isVisible()
        QTest.mouseClick(dock.findChild(QPushButton, "qetGeoLoadExample"), Qt.MouseButton.LeftButton)
        seen["checked"] = wait(lambda: dock.check_task is None)
        seen["survey_report"] = dock.survey_report.text()
        seen["method"] = dock.method.currentText()
        seen["output"] = dock.output.filePath()
        QgsApplication.processEvents()
        dock.grab().save(str(OUT / "dock.png"))
        QTest.mouseClick(dock.findChild(QPushButton, "qetGeoRun"), Qt.MouseButton.LeftButton)
        seen["running"] = dock.task is not None
        seen["ran"] = wait(lambda: dock.task is None)
        seen["status"] = dock.status.text()
        seen["progress"] = dock.progress.value()
        seen["log"] = dock.log.toPlainText()
        groups = QgsProject.instance().layerTreeRoot().findGroups()
        seen["groups"] = [g.name() for g in groups]
        layers, diagnostic = {}, {}
        for node in (groups[0].findLayers() if groups else []):
            layer = node.layer()
            if node.parent().name() == "Diagnostic":  # the diagnostic's estimates and tables
                diagnostic[layer.source().split("layername=")[-1]] = {
                    "title": layer.name(), "spatial": layer.isSpatial(),
                    "renderer": layer.renderer().type() if layer.isSpatial() else None,
                    "features": layer.featureCount(), "visible": node.isVisible()}
                continue
            renderer = layer.renderer()
            layers[layer.source().split("layername=")[-1]] = {
                "title": layer.name(), "renderer": renderer.type(),
                "legend": [item.label() for item in renderer.legendSymbolItems()],
                "labels": layer.labelsEnabled(), "point": layer.geometryType() == QgsWkbTypes.PointGeometry,
                "alias": layer.attributeAlias(layer.fields().indexOf("area_id")),
                "visible": node.isVisible()}
        seen["layers"] = layers
        seen["diagnostic"] = diagnostic
        seen["webmap_button"] = bool(window.findChildren(QPushButton, "qetGeoOpenWebMap"))
        seen["poster_button"] = bool(window.findChildren(QPushButton, "qetGeoOpenPoster"))
        report = window.findChild(QDockWidget, "qetGeoReportDock")
        seen["report_panel"] = bool(report and report.isVisible())
        if report is not None:
            report.close()  # the screenshot shows the dock and the map
        # the layers panel wide enough to read the legends (what a planner does)
        browser = window.findChild(QDockWidget, "Browser")
        if browser is not None:
            browser.hide()
        layers_panel = window.findChild(QDockWidget, "Layers")
        if layers_panel is not None:
            window.resizeDocks([layers_panel], [330], Qt.Orientation.Horizontal)
        areas = [n.layer() for n in (groups[0].findLayers() if groups else [])
                 if "area_indicators" in n.layer().source()]
        if areas:
            canvas = iface.mapCanvas()
            canvas.setExtent(areas[0].extent().buffered(areas[0].extent().width() * 0.05))
            canvas.refreshAllLayers()
            wait(lambda: False, 2)
            canvas.waitWhileRendering()
            QgsApplication.processEvents()
            canvas.grab().save(str(OUT / "canvas.png"))
        window.grab().save(str(OUT / "window.png"))
        save()
        # the run's own project, opened as a planner opens it: no "older version" banner
        iface.messageBar().clearWidgets()
        QgsProject.instance().setDirty(False)
        iface.addProject(str(Path(seen["output"]) / "projet.qgz"))
        wait(lambda: False, 2)
        seen["project_layers"] = len(QgsProject.instance().mapLayers())
        seen["bar_after_open"] = bar_texts()

    QTimer.singleShot(3000, main)
    """
)


@pytest.fixture(scope="module", params=["fr_FR", "en_US"])
def desktop(request, plugin_zip, tmp_path_factory) -> dict:
    """One QGIS window session per locale; what the startup script saw."""
    if not (QGIS and XVFB_RUN):
        pytest.fail("the QGIS desktop or xvfb-run is missing: `make test` installs them")
    locale = request.param
    work = tmp_path_factory.mktemp(f"dock-{locale}")
    profiles, script, env = prepare_session(plugin_zip, work, STARTUP, locale)
    env["HOME"] = str(work / "home")  # where Charger l'exemple puts its outputs
    returncode, output, seconds = launch(profiles, script, env, "1400x900x24")
    seen_file = work / "seen.json"
    seen = json.loads(seen_file.read_text()) if seen_file.is_file() else {}
    seen.update(returncode=returncode, output=output[-6000:], seconds=seconds, work=work,
                locale=locale, french=locale.startswith("fr"))  # fmt: skip
    kept = ARTIFACTS / f"desktop-{locale[:2]}"
    kept.mkdir(parents=True, exist_ok=True)
    for name in ("window.png", "dock.png", "canvas.png"):
        if (work / name).is_file():
            (kept / name).write_bytes((work / name).read_bytes())
    print(f"\nQGIS window ({locale}): {seconds:.0f} s; screenshots in {kept}")
    return seen


def _said(seen) -> str:
    return (
        f"QGIS said:\n{seen['output']}\nerrors: {seen.get('errors')}\nstatus: {seen.get('status')}"
    )


def test_the_planner_runs_the_example_from_the_dock(desktop):
    assert desktop.get("finished"), _said(desktop)
    assert desktop["errors"] == [], _said(desktop)
    assert "qet-geo" in desktop["menus"]  # a titled menu, not a clipped icon
    assert desktop["toolbar"] == ["qetGeoDiagnostic"] and desktop["dock_visible"]
    french = desktop["french"]
    report = desktop["survey_report"]
    expected = (
        "600 lignes lues, 593 acceptées, 7 rejetées."
        if french
        else "600 rows read, 593 accepted, 7 rejected."
    )
    assert expected in report, report
    assert desktop["method"].startswith("méthode NEAR" if french else "NEAR method")
    assert desktop["running"] and desktop["ran"], _said(desktop)
    assert desktop["progress"] == 100, desktop["log"]
    assert ("Terminé en" if french else "Finished in") in desktop["status"], _said(desktop)
    problems = [m for m in desktop["messages"] if m[1] == 2 or "Traceback" in m[2]]
    assert problems == [], problems


def test_the_project_holds_the_run_styled(desktop):
    assert len(desktop["groups"]) == 1, desktop["groups"]
    layers = desktop["layers"]
    assert set(layers) == {
        "area_indicators",
        "ptal_areas",
        "ptal_grid",
        "compare_areas",
        "proximity_areas",
    }
    for name, layer in layers.items():
        assert layer["renderer"] in ("RuleRenderer", "categorizedSymbol"), (name, layer)
        assert layer["alias"] == "Identifiant de la zone", (
            name,
            layer,
        )  # the outputs are in French
        assert layer["labels"] or layer["point"], (name, layer)
    assert [n for n, layer in layers.items() if layer["visible"]] == ["area_indicators"]
    assert "aucun profil nettement dominant" in layers["area_indicators"]["legend"]
    assert "1a — très faible (IA 0,01–2,5)" in layers["ptal_areas"]["legend"]
    title = layers["area_indicators"]["title"]
    assert title == (
        "Profil dominant par zone" if desktop["french"] else "Dominant profile per area"
    )
    assert desktop["webmap_button"] and desktop["poster_button"] and desktop["report_panel"]
    # the diagnostic in a group of its own: its estimates per area styled, its tables
    diagnostic = desktop["diagnostic"]
    assert set(diagnostic) == {"area_estimates", "satisfaction", "wishes", "barriers", "carbon",
                               "profiles", "place_bands", "forum_subjects", "levers",
                               "area_potentials", "structural"}, diagnostic  # fmt: skip
    assert diagnostic["area_estimates"]["renderer"] == "RuleRenderer"
    assert diagnostic["area_estimates"]["features"] == 12
    assert not diagnostic["area_estimates"]["visible"]  # there to switch on
    # the forum's potential per subject and area, styled, beside the subjects' tables
    assert diagnostic["area_potentials"]["features"] == 12
    assert diagnostic["area_potentials"]["renderer"] == "RuleRenderer"
    maps = {"area_estimates", "area_potentials"}
    assert all(not d["spatial"] for n, d in diagnostic.items() if n not in maps)


def test_the_runs_project_opens_without_a_version_banner(desktop):
    # the maps, the diagnostic's 7 layers and the forum's 4
    assert desktop["project_layers"] == 5 + 7 + 4, desktop.get("bar_after_open")
    banner = [t for t in desktop["bar_after_open"] if "version" in t.lower()]
    assert banner == [], banner


def test_the_screenshots_show_the_map(desktop):
    from PIL import Image

    kept = ARTIFACTS / f"desktop-{desktop['locale'][:2]}"
    for name in ("window.png", "dock.png", "canvas.png"):
        assert (kept / name).is_file(), name
    canvas = Image.open(kept / "canvas.png").convert("RGB")
    colours = canvas.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50, "the canvas screenshot is blank"
