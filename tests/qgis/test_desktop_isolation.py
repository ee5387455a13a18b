"""The whole diagnostic in a separate Python process (``algorithms/isolation.py``), as in
the QGIS window, forced here with ``QET_GEO_ISOLATE=1`` in the headless QGIS: Cancel stops
it cleanly and its errors come back as clear Processing errors (the real window, where the
whole run goes through it, is ``test_desktop_xvfb.py``)."""

from __future__ import annotations

import json

import pytest
from plugin_testing import PLUGIN, ROOT
from qgis.core import QgsProcessingException, QgsProcessingFeedback

SAMPLE = ROOT / "sample_data"


class Recording(QgsProcessingFeedback):
    def __init__(self, cancel_at: str | None = None):
        super().__init__()
        self.lines: list[str] = []
        self.cancel_at = cancel_at

    def pushInfo(self, text):
        self.lines.append(text)
        if self.cancel_at and text.startswith(self.cancel_at):
            self.cancel()

    def reportError(self, text, fatal=False):
        self.lines.append("ERROR " + text)


@pytest.fixture()
def apart(monkeypatch, plugin):
    monkeypatch.setenv("QET_GEO_ISOLATE", "1")
    return plugin


def run(parameters, feedback):
    import processing

    return processing.run("qetgeo:runpipeline", parameters, feedback=feedback)


def test_cancel_stops_the_separate_process_and_leaves_no_temporary_file(apart, tmp_path):
    out = tmp_path / "out"
    feedback = Recording(cancel_at="[3/")  # during the profiles (bootstrap)
    with pytest.raises(QgsProcessingException, match="Canceled"):
        run({"CONFIG": str(SAMPLE / "qet-geo.toml"), "OUTPUT_FOLDER": str(out)}, feedback)
    assert any("separate Python process" in line for line in feedback.lines), feedback.lines
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is False  # the exports refuse this folder
    leftovers = list((out / ".qet-geo-tmp").glob("*")) if (out / ".qet-geo-tmp").exists() else []
    assert leftovers == []
    assert not (out / "carte.html").exists()


def test_an_error_of_the_separate_process_is_a_clear_processing_error(apart, tmp_path):
    header = (SAMPLE / "survey_su.tsv").read_text(encoding="utf-8").splitlines()[0]
    survey = tmp_path / "vide.tsv"
    survey.write_text(header + "\n", encoding="utf-8")
    config = tmp_path / "qet-geo.toml"
    config.write_text(
        f'output = "out"\n[survey]\nfile = "{survey.as_posix()}"\n'
        f'[areas]\nfile = "{(SAMPLE / "quartier.gpkg").as_posix()}"\nlayer = "iris"\n'
        "[outputs]\nwebmap = false\nposter = false\nproject = false\n",
        encoding="utf-8",
    )
    with pytest.raises(QgsProcessingException) as raised:
        run({"CONFIG": str(config)}, Recording())
    message = str(raised.value)
    assert "vide.tsv" in message and "Traceback" not in message, message


@pytest.fixture()
def isolation(apart):
    import importlib

    module = importlib.import_module(f"{PLUGIN}.algorithms.isolation")
    yield module
    module._cache.pop("worker", None)  # forget what the test chose


def test_the_chosen_python_is_checked_and_a_bad_one_skipped(isolation, monkeypatch, tmp_path):
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\necho 'not a Python'\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("QET_GEO_PYTHON", str(fake))
    worker = isolation.find_worker(refresh=True)
    assert worker.tried and worker.tried[0].startswith(str(fake)), worker.tried
    assert worker.python and worker.python != str(fake)  # QGIS's own Python, found next
    assert worker.flat is True and worker.wheels["GEOS"]


def test_no_usable_python_is_a_clear_error_naming_the_setting(isolation, monkeypatch, tmp_path):
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(isolation, "_candidates", lambda: [str(fake)])
    isolation.find_worker(refresh=True)
    with pytest.raises(QgsProcessingException, match="QET_GEO_PYTHON"):
        run({"CONFIG": str(SAMPLE / "qet-geo.toml"), "OUTPUT_FOLDER": str(tmp_path / "o")},
            Recording())  # fmt: skip


def test_the_algorithms_that_run_apart_are_the_whitelist_of_the_worker(plugin):
    """``ISOLATED`` on an algorithm class (the wrapper of processAlgorithm sends it apart)
    and the worker's whitelist ``APART`` (what it agrees to run) name the same algorithms:
    one that ran apart without being on the list would be refused by the worker."""
    import importlib

    from qgis.core import QgsApplication

    isolation = importlib.import_module(f"{PLUGIN}.algorithms.isolation")
    provider = QgsApplication.processingRegistry().providerById("qetgeo")
    isolated = {a.name() for a in provider.algorithms() if getattr(a, "ISOLATED", False)}
    assert isolated == set(isolation.APART)
    assert {"importsurvey", "mapprofiles", "transitaccess", "exportwebmap"} <= isolated
