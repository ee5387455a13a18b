"""Every standalone algorithm apart (``algorithms/isolation.py``, :func:`run_apart`): the
same outputs as in QGIS's process, inputs given whole (memory layers, a selection, a
service named by a property), temporary files removed, Cancel and errors clear; and in
the real QGIS window (``qgis`` under Xvfb, one launch for all of them) no call into
shapely in QGIS's process, every output written and 2-D, the same results as ``python``.

The chain of algorithms is ``algorithm_chain.py`` (shared with the window's script).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from algorithm_chain import run_chain
from plugin_testing import PLUGIN, ROOT, install_plugin
from test_desktop_xvfb import QGIS, XVFB_RUN, launch, site_packages

SAMPLE = ROOT / "sample_data"
#: the algorithms that run apart, as the chain runs them
APART = ("importsurvey", "detectprofiles", "mapprofiles", "transitaccess", "proximity",
         "profilesvsconstraints", "exportwebmap")  # fmt: skip
APART_LINE = "separate Python process"


def _outputs(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k not in ("lines", "exportwebmap")}


@pytest.fixture(scope="module")
def headless(plugin, tmp_path_factory) -> dict:
    """The chain in QGIS's process, then apart; temporary folder of the parent watched."""
    work = tmp_path_factory.mktemp("algorithms")
    saved = os.environ.get("QET_GEO_ISOLATE")
    runs = {}
    scratch = work / "tmp"
    scratch.mkdir()
    try:
        os.environ["QET_GEO_ISOLATE"] = "0"
        began = time.perf_counter()
        runs["in_process"] = run_chain(SAMPLE, work / "in_process")
        runs["in_process_s"] = time.perf_counter() - began
        os.environ["QET_GEO_ISOLATE"] = "1"
        tempfile.tempdir = str(scratch)  # where run_apart puts its temporary GeoPackages
        began = time.perf_counter()
        runs["apart"] = run_chain(SAMPLE, work / "apart")
        runs["apart_s"] = time.perf_counter() - began
    finally:
        tempfile.tempdir = None
        if saved is None:
            os.environ.pop("QET_GEO_ISOLATE", None)
        else:
            os.environ["QET_GEO_ISOLATE"] = saved
    runs["leftovers"] = sorted(p.name for p in scratch.iterdir())
    runs["work"] = work
    print(f"\nchain in QGIS's process {runs['in_process_s']:.1f} s, apart {runs['apart_s']:.1f} s")
    return runs


def test_apart_the_algorithms_write_what_they_write_in_qgis_process(headless):
    inside, apart = headless["in_process"], headless["apart"]
    assert inside["importsurvey"]["features"] > 0 and inside["mapprofiles"]["features"] > 0
    assert inside["transitaccess_ptal_areas"]["features"] == 3  # the selection only
    for name, expected in _outputs(inside).items():
        assert apart[name] == expected, name
    assert apart["exportwebmap"] > 0 and inside["exportwebmap"] > 0
    said = sum(APART_LINE in line for line in apart["lines"])
    assert said == len(APART), apart["lines"]  # each of them went apart
    assert not any(APART_LINE in line for line in inside["lines"])


def test_apart_the_csv_files_are_the_same_bytes(headless):
    """The rejects (a sink copied back by QGIS into a CSV file, its text cells made safe
    for a spreadsheet) and the profiles table (a file the worker writes itself)."""
    work = headless["work"]
    for name in ("rejects.csv", "profiles.csv"):
        inside = (work / "in_process" / name).read_bytes()
        assert inside and (work / "apart" / name).read_bytes() == inside, name


def test_apart_no_temporary_file_is_left(headless):
    assert headless["leftovers"] == []


def test_the_service_named_by_a_property_keeps_its_name_apart(headless):
    fields = headless["apart"]["proximity"]["fields"]
    assert any("marches" in f for f in fields) and not any("march\u00e9s" in f for f in fields)


@pytest.fixture()
def apart(plugin, monkeypatch, tmp_path):
    monkeypatch.setenv("QET_GEO_ISOLATE", "1")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    return tmp_path


@pytest.mark.parametrize("subset", ["", "fid > 10"])
def test_a_refused_layer_is_refused_apart_with_the_same_clear_error(apart, subset):
    """The privacy check runs in the separate process on the layer as given, its file
    included (a subset of the respondents is opened from their file, with its marker):
    respondents are no service layer."""
    import processing
    from qgis.core import QgsProcessingException, QgsProject, QgsVectorLayer

    imported = processing.run("qetgeo:importsurvey", {
        "INPUT": str(SAMPLE / "survey_su.tsv"), "OUTPUT": str(apart / "respondents.gpkg"),
    })  # fmt: skip
    layer = QgsVectorLayer(imported["OUTPUT"], "quelques commerces", "ogr")
    assert layer.setSubsetString(subset)
    # the project owns the layer and frees it while QGIS runs: the exception's traceback
    # keeps it referenced, and a layer freed at the interpreter's exit, after QGIS has
    # exited, crashes Python (segmentation fault in GDAL, exit 139)
    QgsProject.instance().addMapLayer(layer, False)
    try:
        with pytest.raises(QgsProcessingException) as raised:
            processing.run("qetgeo:proximity", {
                "AREAS": f"{SAMPLE / 'quartier.gpkg'}|layername=iris",
                "SERVICES": [layer], "OUTPUT": str(apart / "p.gpkg"),
            })  # fmt: skip
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    assert "refused as a service layer" in str(raised.value), raised.value
    assert "Traceback" not in str(raised.value)
    assert not (apart / "p.gpkg").exists()
    assert list((apart / "tmp").iterdir()) == []


def test_a_layer_with_unsaved_edits_is_taken_as_shown_apart(apart):
    """The separate process gets what the user sees: an area deleted but not saved is not
    in the output (its file, which is never modified, still has it)."""
    import shutil

    import processing
    from qgis.core import QgsVectorLayer

    copy = apart / "quartier.gpkg"  # QGIS's editing touches the file, even rolled back
    shutil.copyfile(SAMPLE / "quartier.gpkg", copy)
    areas = QgsVectorLayer(f"{copy}|layername=iris", "iris", "ogr")
    total = areas.featureCount()
    areas.startEditing()
    assert areas.deleteFeature(next(areas.getFeatures()).id())
    try:
        processing.run("qetgeo:proximity", {
            "AREAS": areas, "SERVICES": [f"{copy}|layername=marches"],
            "OUTPUT": str(apart / "p.gpkg"),
        })  # fmt: skip
    finally:
        areas.rollBack()
    assert QgsVectorLayer(str(apart / "p.gpkg"), "p", "ogr").featureCount() == total - 1
    assert list((apart / "tmp").iterdir()) == []


def test_cancel_stops_the_algorithm_apart_and_removes_its_files(apart):
    import processing
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    class Canceling(QgsProcessingFeedback):
        def pushInfo(self, text):
            if APART_LINE in text:
                self.cancel()

    with pytest.raises(QgsProcessingException, match="Canceled"):
        processing.run("qetgeo:importsurvey", {
            "INPUT": str(SAMPLE / "survey_su.tsv"), "OUTPUT": str(apart / "r.gpkg"),
        }, feedback=Canceling())  # fmt: skip
    assert not (apart / "r.gpkg").exists()
    assert list((apart / "tmp").iterdir()) == []


STARTUP = textwrap.dedent(
    r'''
    import json, os, sys, time, traceback
    from pathlib import Path
    from qgis.PyQt.QtCore import QTimer
    from qgis.core import QgsApplication

    OUT = Path(os.environ["QET_TEST_DIR"])
    sys.path.insert(0, os.environ["QET_TEST_HELPERS"])
    seen = {"errors": [], "shapely_calls": {}, "took": {}}

    def save():
        (OUT / "seen.json").write_text(json.dumps(seen, indent=1, default=str))

    def watch(name, function):
        """Run one algorithm, recording its first call into shapely in this process."""
        def first_call(frame, event, arg):
            if event == "call" and frame.f_globals.get("__name__", "").startswith("shapely"):
                sys.setprofile(None)
                seen["shapely_calls"][name] = "".join(traceback.format_stack(frame, limit=8))
        began = time.time()
        sys.setprofile(first_call)
        try:
            return function()
        finally:
            sys.setprofile(None)
            seen["took"][name] = round(time.time() - began, 1)
            save()

    def run_all():
        try:
            from algorithm_chain import run_chain
            seen["chain"] = run_chain(Path(os.environ["QET_TEST_SAMPLE"]), OUT / "out", watch)
        except Exception:
            seen["errors"].append(traceback.format_exc())
        seen["finished"] = True
        save()
        QgsApplication.exit(0)

    QTimer.singleShot(1000, run_all)
    '''
)


@pytest.fixture(scope="module")
def desktop(plugin_zip, tmp_path_factory) -> dict:
    """One session of the QGIS window running the chain; what it saw."""
    if not (QGIS and XVFB_RUN):
        pytest.fail("the QGIS desktop or xvfb-run is missing: `make test` installs them")
    work = tmp_path_factory.mktemp("desktop_algorithms")
    profiles = work / "profiles"
    install_plugin(plugin_zip, profiles)
    settings = profiles / "profiles" / "default" / "QGIS"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "QGIS3.ini").write_text(f"[PythonPlugins]\n{PLUGIN}=true\n", encoding="utf-8")
    script = work / "startup.py"
    script.write_text(STARTUP, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "QET_GEO_ISOLATE")}
    env.update(
        PYTHONPATH=site_packages(), QET_TEST_DIR=str(work), QET_TEST_SAMPLE=str(SAMPLE),
        QET_TEST_HELPERS=str(Path(__file__).parent), PYTHONDONTWRITEBYTECODE="1",
        TMPDIR=str(work / "tmp"),
    )  # fmt: skip
    (work / "tmp").mkdir()
    returncode, output, seconds = launch(profiles, script, env, "1280x800x24")
    seen_file = work / "seen.json"
    seen = json.loads(seen_file.read_text()) if seen_file.is_file() else {}
    seen.update(returncode=returncode, output=output[-6000:], seconds=seconds,
                leftovers=sorted(p.name for p in (work / "tmp").glob("qet-geo-*")))  # fmt: skip
    print(f"\nQGIS window, every algorithm: {seconds:.0f} s in all; {seen.get('took')}")
    return seen


def test_in_the_window_no_algorithm_calls_shapely_in_qgis_process(desktop):
    assert desktop.get("finished") and desktop["errors"] == [], (
        desktop.get("errors"), desktop["output"])  # fmt: skip
    assert desktop["shapely_calls"] == {}, desktop["shapely_calls"]
    said = sum(APART_LINE in line for line in desktop["chain"]["lines"])
    assert said == len(APART), desktop["chain"]["lines"]


def test_in_the_window_every_output_is_written_2d_and_as_under_python(desktop, headless):
    chain = desktop["chain"]
    for name, expected in _outputs(headless["in_process"]).items():
        if not isinstance(expected, dict):
            assert chain[name] == expected, name
            continue
        got = chain[name]
        assert got["features"] > 0, name
        assert (got["with_z_or_m"], got["layer_z_or_m"]) == (0, False), name
        assert got == json.loads(json.dumps(expected)), name  # same values as under python
    assert chain["exportwebmap"] > 0
    assert desktop["leftovers"] == []


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
