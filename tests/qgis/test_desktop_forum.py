"""The room for manoeuvre and the forum in the real QGIS window (issue 16): ``qgis`` under
Xvfb, in French, with the plugin installed from its zip. On the sample's whole run (the
command line's), the window loads the run as the plugin does after *Exécuter tout le
traitement* (each subject's panel a print layout whose map is on the run's
``area_potentials`` layer, exported to PNG by QGIS); opens *Panneaux du forum et bulletins
de vote* and runs it, and *Dépouiller le vote citoyen*, both apart from the window (their
separate process); runs *Analyser le diagnostic* with the SU answers and the residents on
the real Porte d'Orléans exports. The figures are the command line's; screenshots are kept
(the panel as QGIS draws it, the dialog, the window).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from plugin_testing import ROOT
from test_desktop_xvfb import QGIS, XVFB_RUN, launch, prepare_session

SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")  # fmt: skip
DIAG = SHARED / "data" / "near-diag"
SAMPLE = ROOT / "sample_data"
RESIDENTS = 5571.3  # Porte d'Orléans, residents aged 15+ (docs/manoeuvre.md)
pytestmark = pytest.mark.skipif(not (DIAG / "Way Of Life Answer.json").is_file(),
                                reason="../shared/data/near-diag is missing")  # fmt: skip

STARTUP = textwrap.dedent(
    r"""
    import json, os, traceback
    from pathlib import Path
    from qgis.PyQt.QtCore import QSize, QTimer
    from qgis.core import (QgsApplication, QgsLayoutExporter, QgsLayoutItemMap,
                           QgsProcessingFeedback, QgsProject, QgsVectorLayer)
    from qgis.utils import iface, plugins

    OUT = Path(os.environ["QET_TEST_DIR"])
    RUN = Path(os.environ["QET_TEST_RUN"])
    DIAG = Path(os.environ["QET_TEST_DIAG"])
    SAMPLE = Path(os.environ["QET_TEST_SAMPLE"])
    seen = {"errors": []}

    def step(name, work):
        try:
            work()
        except Exception:
            seen["errors"].append(name + ": " + traceback.format_exc())

    def value(v):
        return None if v is None or (hasattr(v, "isNull") and v.isNull()) else v

    def load():
        package = type(next(iter(plugins.values()))).__module__.split(".")[0]
        results = __import__(package + ".plugin.results", fromlist=["load_run"])
        project = QgsProject.instance()
        results.load_run(RUN, project=project, iface=iface)
        (potentials,) = [l for l in project.mapLayers().values()
                         if l.source().endswith("diagnostic.gpkg|layername=area_potentials")]
        seen["potentials"] = potentials.id()
        seen["layouts"] = {}
        for layout in project.layoutManager().printLayouts():
            maps = [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)]
            seen["layouts"][layout.name()] = [l.id() for l in maps[0].layers()] if maps else None
        panel = next(l for l in project.layoutManager().printLayouts()
                     if l.name().startswith("Panneau A3 — Manger"))
        image = QgsLayoutExporter(panel).renderPageToImage(0, QSize(1680, 1188))
        image.save(str(OUT / "panel.png"))
        QgsApplication.processEvents()
        iface.mainWindow().grab().save(str(OUT / "window.png"))

    def panels():
        import processing
        dialog = processing.createAlgorithmDialog("qetgeo:forumpanels")
        seen["dialog"] = dialog.windowTitle()
        dialog.show()
        QgsApplication.processEvents()
        dialog.grab().save(str(OUT / "dialog.png"))
        dialog.close()
        result = processing.run("qetgeo:forumpanels", {
            "DIAGNOSTIC": str(RUN / "diagnostic.gpkg"), "A0": False,
            "OUTPUT_FOLDER": str(OUT / "forum")}, feedback=QgsProcessingFeedback())
        seen["panels"] = result["WRITTEN"]

    def votes():
        import processing
        result = processing.run("qetgeo:forumvotes", {
            "BALLOTS": str(SAMPLE / "bulletins_vote.csv"),
            "SUBJECTS": str(RUN / "diagnostic_forum_subjects.csv"),
            "AREAS": str(RUN / "areas.gpkg"), "OUTPUT_FOLDER": str(OUT / "vote")},
            feedback=QgsProcessingFeedback())
        seen["winner"] = result["WINNER"]

    def levers():
        import processing
        processing.run("qetgeo:analysediagnostic", {
            "SU": str(DIAG / "Su Answer.json"), "EMDV": str(DIAG / "Way Of Life Answer.json"),
            "SU_DATA": str(DIAG / "Su Data.json"), "RESIDENTS": float(os.environ["QET_TEST_RESIDENTS"]),
            "OUTPUT": str(OUT / "diagnostic.gpkg")}, feedback=QgsProcessingFeedback())
        layer = QgsVectorLayer(str(OUT / "diagnostic.gpkg") + "|layername=levers", "l", "ogr")
        seen["levers"] = [[f["lever"], str(value(f["profile"])), value(f["potential_t"]),
                           value(f["planned_t"])] for f in layer.getFeatures()]

    def run():
        for name, work in (("load", load), ("panels", panels), ("votes", votes), ("levers", levers)):
            step(name, work)
        seen["finished"] = True
        (OUT / "seen.json").write_text(json.dumps(seen, indent=1, default=str), encoding="utf-8")
        QgsApplication.exit(0)

    QTimer.singleShot(3000, run)
    """
)


@pytest.fixture(scope="module")
def window(plugin_zip, cli_sample_job, tmp_path_factory) -> dict:
    if not (QGIS and XVFB_RUN):
        pytest.fail("the QGIS desktop or xvfb-run is missing: `make test` installs them")
    run, _ = cli_sample_job
    work = tmp_path_factory.mktemp("forum-window")
    profiles, script, env = prepare_session(plugin_zip, work, STARTUP, "fr_FR")
    env.update(QET_TEST_RUN=str(run), QET_TEST_DIAG=str(DIAG), QET_TEST_SAMPLE=str(SAMPLE),
               QET_TEST_RESIDENTS=str(RESIDENTS))  # fmt: skip
    returncode, output, seconds = launch(profiles, script, env, "1400x900x24")
    seen_file = work / "seen.json"
    seen = json.loads(seen_file.read_text(encoding="utf-8")) if seen_file.is_file() else {}
    seen.update(returncode=returncode, output=output[-4000:], work=work, run=run)
    print(f"\nQGIS window: {seconds:.0f} s; screenshots {work}/panel.png, dialog.png, window.png")
    return seen


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qet_geo.cli", "--lang", "fr", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip


def test_the_window_loads_each_subject_panel_on_the_run_layer(window):
    assert window.get("finished"), window.get("output")
    assert window["errors"] == [], window["errors"]
    with open(window["run"] / "diagnostic_forum_subjects.csv", encoding="utf-8-sig") as f:
        titles = [row["title"] for row in csv.DictReader(f)]
    panels = {name: ids for name, ids in window["layouts"].items() if name.startswith("Panneau")}
    assert sorted(panels) == sorted(f"Panneau A3 — {t}" for t in titles)
    assert all(ids == [window["potentials"]] for ids in panels.values()), panels
    assert (window["work"] / "panel.png").stat().st_size > 50_000  # the panel QGIS drew
    assert (window["work"] / "window.png").stat().st_size > 10_000


def test_the_window_writes_the_panels_and_counts_the_vote_as_the_command_line(window, tmp_path):
    assert window["errors"] == [], window["errors"]
    assert window["dialog"] == "Panneaux du forum et bulletins de vote"
    written = {Path(p).name for p in window["panels"].split("\n")}
    assert {"bulletin_vote.pdf", "bulletin_vote_classement.pdf",
            "panneau_alimentation_A3.pdf", "panneau_alimentation_A3.qpt"} <= written  # fmt: skip
    assert not any("_A0" in name for name in written)
    done = cli("forum", "votes", SAMPLE / "bulletins_vote.csv", "--subjects",
               window["run"] / "diagnostic_forum_subjects.csv", "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert window["winner"] == json.loads(done.stdout)["winner"]["key"] == "alimentation"


def test_the_window_computes_the_levers_of_the_command_line(window, tmp_path):
    assert window["errors"] == [], window["errors"]
    out = tmp_path / "cli.gpkg"
    done = cli("diagnostic", "summarize", "--su", DIAG / "Su Answer.json", "--emdv",
               DIAG / "Way Of Life Answer.json", "--su-data", DIAG / "Su Data.json",
               "--residents", RESIDENTS, "-o", out, "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    expected = {(r["lever"], str(r["profile"])): (r["potential_t"], r["planned_t"])
                for r in json.loads(done.stdout)["manoeuvre"]["levers"]}  # fmt: skip
    got = {(lever, profile): (p, planned) for lever, profile, p, planned in window["levers"]}
    assert got.keys() == expected.keys() and len(got) >= 7
    for key, (potential, planned) in expected.items():
        for a, b in ((got[key][0], potential), (got[key][1], planned)):
            assert (a is None) == (b is None), key
            if a is not None:
                assert a == pytest.approx(b, abs=0.01), key
    heating = got[("heating", "quartier")][0]
    assert heating == pytest.approx(1997, abs=1)  # docs/manoeuvre.md, Porte d'Orléans
