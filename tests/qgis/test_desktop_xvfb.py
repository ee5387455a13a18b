"""The plugin inside the real QGIS window (``qgis`` under Xvfb), where ``qgis.bin`` holds
its own GEOS, PROJ and GDAL in the global symbol scope.

There the pip shapely (GEOS 3.14) calls QGIS's GEOS 3.11: a plain 2-D polygon reads as
3-D with M values, and whole-diagnostic runs crashed in the poster step (GEOSException).
Tests under ``python`` cannot see it (nothing is global there), so this one starts the
desktop binary with the built plugin in a temporary profile (French locale) and a startup
script that: probes shapely in the process, runs the whole sample diagnostic through the
plugin's Processing algorithm (what its dialog runs), runs the poster step a few more
times, asks the plugin's "Check Python dependencies", checks that every vector layer added
to the project and every layer of every GeoPackage written is 2-D (layer type and each
feature), screenshots the window and writes what it saw to JSON.

The PYTHONPATH given to QGIS is the venv's site-packages: what a user's install (pip for
QGIS's Python, or the QPIP plugin's folder) puts on QGIS's ``sys.path``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sysconfig
import textwrap
import time
from contextlib import closing

import pytest
from plugin_testing import PLUGIN, ROOT, install_plugin

QGIS = shutil.which("qgis")
XVFB_RUN = shutil.which("xvfb-run")
CONFIG = ROOT / "sample_data" / "qet-geo.toml"
#: Generous: the machine may be loaded (the run takes about 40 s on a quiet one).
TIMEOUT = 900
POSTER_REPEATS = 2


def launch(profiles, script, env: dict, screen: str) -> tuple[int, str, float]:
    """The real QGIS desktop under Xvfb with ``profiles`` running ``script`` at start-up:
    (exit status, output, seconds). A hang is killed with its whole process group
    (xvfb-run, Xvfb and qgis.bin: ours only) after ``TIMEOUT``."""
    command = [XVFB_RUN, "-a", "-s", f"-screen 0 {screen}", QGIS, "--profiles-path",
               str(profiles), "--nologo", "--noversioncheck", "--code", str(script)]  # fmt: skip
    began = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)  # fmt: skip
    try:
        output, _ = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
    return process.returncode, output, time.perf_counter() - began


#: What the sample configuration writes (names of `qet_geo.pipeline.NAMES`, in French).
EXPECTED = (
    "manifest.json", "rejects.csv", "profiles.json", "profiles.private.json",
    "profiles.html", "profiles.csv", "respondents.gpkg", "areas.gpkg", "ptal.gpkg",
    "proximity.gpkg", "compare.gpkg", "carte.html", "projet.qgz", "affiche_A3.pdf",
    "affiche_A3.png", "affiche_A0.pdf", "affiche_A0.png",
)  # fmt: skip

STARTUP = textwrap.dedent(
    r'''
    import json, os, sys, time, traceback
    from pathlib import Path
    from qgis.PyQt.QtCore import QTimer
    from qgis.core import (Qgis, QgsApplication, QgsProcessingFeedback, QgsProject,
                           QgsVectorLayer, QgsWkbTypes)
    from qgis.utils import iface

    OUT = Path(os.environ["QET_TEST_DIR"])
    seen = {"messages": [], "errors": [], "steps": [], "shapely_calls": []}
    QgsApplication.messageLog().messageReceived.connect(
        lambda message, tag, level: seen["messages"].append([tag, int(level), message]))
    import qgis.utils
    shown = qgis.utils.showException
    def record_exception(type_, value, tb, *args, **kwargs):
        seen["errors"].append("".join(traceback.format_exception(type_, value, tb)))
        return shown(type_, value, tb, *args, **kwargs)
    qgis.utils.showException = record_exception

    def save():
        (OUT / "seen.json").write_text(json.dumps(seen, indent=1, default=str))

    def probe(count=200):
        """2-D polygons shapely reads with Z or M (or cannot read) in this process."""
        import shapely
        bad = 0
        for i in range(count):
            try:
                p = shapely.Polygon([(0, 0), (1 + i, 0), (1, 1), (0, 0)])
                m = bool(shapely.has_m(p)) if hasattr(shapely, "has_m") else False
                if shapely.has_z(p) or m or shapely.get_coordinate_dimension(p) != 2 \
                        or len(shapely.to_wkt(p).split(",")[0].split()) != 3:
                    bad += 1
            except Exception:
                bad += 1
        return {"probes": count, "with_z_or_m": bad, "geos": shapely.geos_version_string}

    class Feedback(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines = []
        def pushInfo(self, text):
            self.lines.append(text)
        def reportError(self, text, fatal=False):
            self.lines.append("ERROR " + text)

    def geometry_report(layer):
        """[layer type, features, features with Z, features with M]"""
        z = m = n = 0
        for feature in layer.getFeatures():
            geometry = feature.geometry()
            if geometry is None or geometry.isNull():
                continue
            n += 1
            z += QgsWkbTypes.hasZ(geometry.wkbType())
            m += QgsWkbTypes.hasM(geometry.wkbType())
        return [QgsWkbTypes.displayString(layer.wkbType()), QgsWkbTypes.hasZ(layer.wkbType()),
                QgsWkbTypes.hasM(layer.wkbType()), n, z, m]

    def first_shapely_call(frame, event, arg):
        """The first call into shapely's Python code in this process (then no more)."""
        if event == "call" and frame.f_globals.get("__name__", "").startswith("shapely"):
            sys.setprofile(None)
            seen["shapely_calls"].append(
                "".join(traceback.format_stack(frame, limit=8)))

    def step(name, function, watch=False):
        began = time.time()
        if watch:
            sys.setprofile(first_shapely_call)
        try:
            seen[name] = function()
        except Exception:
            seen["errors"].append(f"{name}: " + traceback.format_exc())
        finally:
            sys.setprofile(None)
        seen["steps"].append([name, round(time.time() - began, 1)])
        save()

    def run_all():
        import processing
        seen["qgis_geos"] = Qgis.geosVersion()
        step("probe_before", probe)
        folder = OUT / "out"
        def whole():
            feedback = Feedback()
            try:
                result = processing.runAndLoadResults("qetgeo:runpipeline", {
                    "CONFIG": os.environ["QET_TEST_CONFIG"], "OUTPUT_FOLDER": str(folder)},
                    feedback=feedback)
            finally:
                seen["run_feedback"] = feedback.lines
            return {k: str(v) for k, v in result.items()}
        step("run", whole, watch=True)
        def posters():
            done = []
            for i in range(int(os.environ["QET_TEST_POSTERS"])):
                feedback = Feedback()
                result = processing.run("qetgeo:exportposter", {
                    "AREA_MAP": str(folder / "areas.gpkg"), "MODEL": str(folder / "profiles.json"),
                    "SIZE": 0, "PNG": True, "OUTPUT": str(OUT / f"poster_{i}.pdf")},
                    feedback=feedback)
                done.append([str(result["OUTPUT"]), feedback.lines])
            return done
        step("posters", posters, watch=True)
        step("probe_after", probe)
        def check():
            qgis.utils.plugins["qet_geo_plugin"].check_dependencies()
            return [m for m in seen["messages"] if m[0] == "qet-geo"]
        step("check", check)
        def layers():
            return {layer.source(): geometry_report(layer)
                    for layer in QgsProject.instance().mapLayers().values()
                    if isinstance(layer, QgsVectorLayer) and layer.isSpatial()}
        step("project_layers", layers)
        def geopackages():
            found = {}
            for path in sorted(folder.glob("*.gpkg")):
                probe_layer = QgsVectorLayer(str(path), "probe", "ogr")
                for sub in probe_layer.dataProvider().subLayers():
                    name = sub.split(probe_layer.dataProvider().sublayerSeparator())[1]
                    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
                    if layer.isSpatial():
                        found[f"{path.name}|{name}"] = geometry_report(layer)
            return found
        step("geopackages", geopackages)
        areas = [layer for layer in QgsProject.instance().mapLayers().values()
                 if "areas.gpkg" in layer.source()]
        if areas:  # the map the run drew, for the screenshot
            iface.mapCanvas().setExtent(areas[0].extent())
            iface.mapCanvas().refreshAllLayers()
            iface.mapCanvas().waitWhileRendering()
            QgsApplication.processEvents()
        iface.mainWindow().grab().save(str(OUT / "window.png"))
        seen["finished"] = True
        save()
        QgsApplication.exit(0)

    QTimer.singleShot(2000, run_all)
    '''
)


def site_packages() -> str:
    """This venv's packages, for QGIS's Python (as a user's install puts them on its path)."""
    paths = sysconfig.get_paths()
    return os.pathsep.join(dict.fromkeys((paths["purelib"], paths["platlib"])))


def prepare_session(plugin_zip, work, startup: str, locale: str):
    """(profiles, startup script, environment) of a QGIS window session in ``work``: a
    fresh profile with the plugin installed from ``plugin_zip`` and enabled, QGIS in
    ``locale``, ``startup`` as the script, the venv's packages on QGIS's path, a real window
    (no offscreen platform) and ``QET_TEST_DIR`` the folder where the script writes."""
    profiles = work / "profiles"
    install_plugin(plugin_zip, profiles)
    settings = profiles / "profiles" / "default" / "QGIS"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "QGIS3.ini").write_text(
        f"[PythonPlugins]\n{PLUGIN}=true\n\n[locale]\nuserLocale={locale}\noverrideFlag=true\n",
        encoding="utf-8",
    )
    script = work / "startup.py"
    script.write_text(startup, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # a real window
    env.update(PYTHONPATH=site_packages(), QET_TEST_DIR=str(work), PYTHONDONTWRITEBYTECODE="1")
    env.pop("QET_GEO_ISOLATE", None)
    return profiles, script, env


@pytest.fixture(scope="module")
def desktop(plugin_zip, tmp_path_factory) -> dict:
    """One session of the QGIS window running the startup script; what it saw."""
    if not (QGIS and XVFB_RUN):
        pytest.fail("the QGIS desktop or xvfb-run is missing: `make test` installs them")
    work = tmp_path_factory.mktemp("desktop")
    profiles, script, env = prepare_session(plugin_zip, work, STARTUP, "fr_FR")
    env.update(QET_TEST_CONFIG=str(CONFIG), QET_TEST_POSTERS=str(POSTER_REPEATS))
    returncode, output, seconds = launch(profiles, script, env, "1600x1000x24")
    seen_file = work / "seen.json"
    seen = json.loads(seen_file.read_text()) if seen_file.is_file() else {}
    seen.update(returncode=returncode, output=output[-6000:], seconds=seconds,
                folder=work / "out", work=work)  # fmt: skip
    print(  # the figures of the report
        f"\nQGIS window: {seconds:.0f} s in all; steps {seen.get('steps')}; "
        f"in-process shapely probes {seen.get('probe_before')} / {seen.get('probe_after')}; "
        f"screenshot {work / 'window.png'}"
    )
    return seen


def _context(seen: dict) -> str:
    return f"QGIS said:\n{seen['output']}\nerrors: {seen.get('errors')}"


def test_the_window_ran_the_whole_diagnostic_without_an_error(desktop):
    assert desktop.get("finished"), "QGIS did not reach the end of the script\n" + _context(desktop)
    assert desktop["returncode"] == 0, _context(desktop)
    assert desktop["errors"] == [], _context(desktop)
    problems = [
        m for m in desktop["messages"]
        if m[1] == 2 or "Traceback" in m[2] or "GEOSException" in m[2]
    ]  # fmt: skip
    assert problems == [], problems
    assert "GEOSException" not in desktop["output"], desktop["output"]


def test_every_output_is_written(desktop):
    folder = desktop["folder"]
    missing = [name for name in EXPECTED if not (folder / name).is_file()]
    empty = [name for name in EXPECTED if (folder / name).is_file() and not (folder / name).stat().st_size]  # fmt: skip
    assert (missing, empty) == ([], []), sorted(p.name for p in folder.glob("*"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True
    for i in range(POSTER_REPEATS):  # the poster step again, where the run used to crash
        poster = desktop["work"] / f"poster_{i}.pdf"
        assert poster.is_file() and poster.stat().st_size > 0, desktop.get("posters")
        assert poster.with_suffix(".png").stat().st_size > 0


def test_every_geometry_drawn_is_2d(desktop):
    layers = desktop.get("project_layers") or {}
    assert any("areas.gpkg" in source for source in layers), layers  # the map it draws
    geopackages = desktop.get("geopackages") or {}
    assert {"areas.gpkg|area_indicators", "ptal.gpkg|ptal_grid", "ptal.gpkg|ptal_areas",
            "proximity.gpkg|proximity_areas", "compare.gpkg|compare_areas",
            "respondents.gpkg|respondents"} <= set(geopackages), geopackages  # fmt: skip
    for name, (kind, has_z, has_m, features, with_z, with_m) in {**layers, **geopackages}.items():
        assert features > 0, name
        assert (has_z, has_m, with_z, with_m) == (False, False, 0, 0), (name, kind)
    for path in desktop["folder"].glob("*.gpkg"):  # what the files declare, read by SQLite
        with closing(sqlite3.connect(path)) as db:
            declared = db.execute("SELECT table_name, z, m FROM gpkg_geometry_columns").fetchall()
        assert all(z == 0 and m == 0 for _, z, m in declared), (path.name, declared)


def test_no_geometry_work_of_the_run_used_the_mismatched_geos(desktop):
    """In this window shapely reads 2-D polygons as 3-D (QGIS's GEOS answers its calls):
    the whole run must not have used it, and the dependency check must say so."""
    before = desktop["probe_before"]
    if before["with_z_or_m"] == 0:  # shapely works in-process here: nothing to avoid
        return
    assert desktop["shapely_calls"] == [], desktop["shapely_calls"][0]  # none in QGIS's process
    apart = "Exécution dans un processus Python séparé"
    assert any(apart in line for line in desktop["run_feedback"]), desktop["run_feedback"]
    for _, lines in desktop["posters"]:
        assert any(apart in line for line in lines), lines
    report = "\n".join(message for _, _, message in desktop["check"])
    assert desktop["qgis_geos"] in report and before["geos"] in report, report
    assert "processus Python séparé" in report, report
