"""The diagnostic in the real QGIS window (issue 15): ``qgis`` under Xvfb, in French, with
the plugin installed from its zip, opens the dialog of *Analyser le diagnostic*, runs
``qetgeo:analysediagnostic`` on the real Porte d'Orléans exports and loads its tables; the
figures are the command line's, nothing fails, and a screenshot of the dialog is kept.
"""

from __future__ import annotations

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
pytestmark = pytest.mark.skipif(not (DIAG / "Way Of Life Answer.json").is_file(),
                                reason="../shared/data/near-diag is missing")  # fmt: skip

STARTUP = textwrap.dedent(
    r"""
    import json, os, traceback
    from pathlib import Path
    from qgis.PyQt.QtCore import QTimer
    from qgis.core import QgsApplication, QgsProcessingFeedback, QgsProject, QgsVectorLayer
    from qgis.utils import iface

    OUT = Path(os.environ["QET_TEST_DIR"])
    DIAG = Path(os.environ["QET_TEST_DIAG"])
    seen = {"errors": []}

    def value(v):
        return None if v is None or (hasattr(v, "isNull") and v.isNull()) else v

    def save():
        (OUT / "seen.json").write_text(json.dumps(seen, indent=1, default=str), encoding="utf-8")

    def run():
        try:
            import processing
            dialog = processing.createAlgorithmDialog("qetgeo:analysediagnostic")
            seen["title"] = dialog.windowTitle()
            dialog.show()
            QgsApplication.processEvents()
            dialog.grab().save(str(OUT / "dialog.png"))
            dialog.close()
            result = processing.run("qetgeo:analysediagnostic", {
                "SU": str(DIAG / "Su Answer.json"), "EMDV": str(DIAG / "Way Of Life Answer.json"),
                "NGC": str(DIAG / "Carbon Footprint Answer.json"),
                "SU_DATA": str(DIAG / "Su Data.json"), "MIN_CELL": 5,
                "OUTPUT": str(OUT / "diagnostic.gpkg")}, feedback=QgsProcessingFeedback())
            seen["written"] = result["WRITTEN"]
            layer = QgsVectorLayer(str(OUT / "diagnostic.gpkg") + "|layername=satisfaction", "s", "ogr")
            seen["satisfaction"] = [
                [f["question"], f["profile"], value(f["share_YES"])] for f in layer.getFeatures()]
            carbon = QgsVectorLayer(str(OUT / "diagnostic.gpkg") + "|layername=carbon", "c", "ogr")
            seen["carbon"] = [[f["key"], f["profile"], value(f["mean"])] for f in carbon.getFeatures()]
            iface.mainWindow().grab().save(str(OUT / "window.png"))
        except Exception:
            seen["errors"].append(traceback.format_exc())
        seen["finished"] = True
        save()
        QgsApplication.exit(0)

    QTimer.singleShot(3000, run)
    """
)


@pytest.fixture(scope="module")
def window(plugin_zip, tmp_path_factory) -> dict:
    if not (QGIS and XVFB_RUN):
        pytest.fail("the QGIS desktop or xvfb-run is missing: `make test` installs them")
    work = tmp_path_factory.mktemp("diagnostic-window")
    profiles, script, env = prepare_session(plugin_zip, work, STARTUP, "fr_FR")
    env.update(QET_TEST_DIAG=str(DIAG))
    returncode, output, seconds = launch(profiles, script, env, "1400x900x24")
    seen_file = work / "seen.json"
    seen = json.loads(seen_file.read_text(encoding="utf-8")) if seen_file.is_file() else {}
    seen.update(returncode=returncode, output=output[-4000:], work=work)
    print(
        f"\nQGIS window: {seconds:.0f} s; screenshots {work / 'dialog.png'}, {work / 'window.png'}"
    )
    return seen


def test_the_window_runs_the_diagnostic_with_the_command_line_figures(window, tmp_path):
    assert window.get("finished"), window.get("output")
    assert window["errors"] == [], window["errors"]
    assert window["title"] == "Analyser le diagnostic"
    assert (window["work"] / "dialog.png").stat().st_size > 10_000
    out = tmp_path / "cli.gpkg"
    cli = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "diagnostic", "summarize", "--su", DIAG / "Su Answer.json",
         "--emdv", DIAG / "Way Of Life Answer.json", "--ngc", DIAG / "Carbon Footprint Answer.json",
         "--su-data", DIAG / "Su Data.json", "--min-cell", "5", "-o", out, "--json"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    data = json.loads(cli.stdout)
    expected = {(r["question"], str(r["profile"])): r["YES"] for r in data["satisfaction"]}
    got = {(q, str(p)): v for q, p, v in window["satisfaction"]}
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert (got[key] is None) == (value is None), key
        if value is not None:
            assert got[key] == pytest.approx(value), key
    carbon = {(r["key"], str(r["profile"])): r["mean"] for r in data["carbon"]}
    assert len(window["carbon"]) == len(carbon) > 100
    for key, profile, mean in window["carbon"]:
        expected_mean = carbon[(key, str(profile))]
        assert (mean is None) == (expected_mean is None), (key, profile)
        if mean is not None:
            assert mean == pytest.approx(expected_mean), (key, profile)
    assert any(Path(p).suffix == ".html" for p in window["written"].split("\n"))
