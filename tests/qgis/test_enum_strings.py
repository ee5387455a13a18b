"""Enum parameters travel as the library's codes (issue 13): ``METHOD=kmeans``,
``WEIGHTS=raking``, ``LANGUAGE=en`` through ``processing.run`` and ``qgis_process``; an index
(what scripts and models written before pass) still means the same choice; the dialogs
still show the translated labels; the defaults are the library's."""

from __future__ import annotations

import json
import re

import pytest
from plugin_testing import SAMPLE_SURVEY, SURVEY_0
from qgis.core import QgsApplication, QgsProcessingException, QgsVectorLayer
from test_qgis_process import config, qgis_process  # noqa: F401 - config is a fixture

#: algorithm, parameter, its codes (in the order of the old indices), its default
ENUMS = [
    ("detectprofiles", "METHOD", ("near", "kmeans", "kmodes", "kprototypes", "ward", "gmm"), "near"),
    ("detectprofiles", "WEIGHTS", ("current", "2023"), "current"),
    ("detectprofiles", "LANGUAGE", ("fr", "en"), "fr"),
    ("mapprofiles", "WEIGHTS", ("survey", "raking", "none"), "survey"),
    ("importsurvey", "LOCATION", ("auto", "lonlat", "xy", "area", "geometry", "none"), "auto"),
    ("exportposter", "SIZE", ("A3", "A0"), "A3"),
    ("exportposter", "LANGUAGE", ("fr", "en"), "fr"),
    ("exportwebmap", "LANGUAGE", ("fr", "en"), "fr"),
]  # fmt: skip


def _algorithm(name: str):
    return QgsApplication.processingRegistry().createAlgorithmById(f"qetgeo:{name}")


def _run(name: str, parameters: dict) -> dict:
    import processing

    return processing.run(f"qetgeo:{name}", parameters)


@pytest.mark.parametrize("name, parameter, codes, default", ENUMS)
def test_each_enum_takes_the_codes(plugin, name, parameter, codes, default):
    algorithm = _algorithm(name)  # kept: the definitions belong to it
    definition = algorithm.parameterDefinition(parameter)
    assert definition.usesStaticStrings()
    assert tuple(definition.options()) == codes
    assert definition.defaultValue() == default


def test_the_schema_enum_takes_the_schema_names(plugin):
    algorithm = _algorithm("importsurvey")
    definition = algorithm.parameterDefinition("SCHEMA")
    assert definition.usesStaticStrings()
    assert "near-su" in definition.options() and definition.defaultValue() == "near-su"


@pytest.mark.parametrize(
    "name, parameter, default",
    [
        ("mapprofiles", "MIN_CELL", 11),
        ("transitaccess", "WINDOW", "08:15-09:15"),
        ("transitaccess", "GRID", 100.0),
        ("transitaccess", "WALK_SPEED", 80.0),
        ("transitaccess", "BUS_CATCHMENT", 640.0),
        ("proximity", "RADIUS", 500.0),
        ("proximity", "WITHIN", "300,500,800"),
        ("detectprofiles", "BOOTSTRAP", 100),
        ("detectprofiles", "MIN_SHARE", 0.11),
        ("detectprofiles", "K_MAX", 10),
        ("profilesvsconstraints", "BOOTSTRAP", 200),
        ("computefootprints", "HEATING", True),
    ],
)
def test_the_defaults_are_the_librarys(plugin, name, parameter, default):
    algorithm = _algorithm(name)
    assert algorithm.parameterDefinition(parameter).defaultValue() == default


@pytest.fixture(scope="module")
def respondents(plugin, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("enums") / "respondents.gpkg")
    _run("importsurvey", {"INPUT": str(SURVEY_0), "OUTPUT": path})
    return path


def _detect(respondents, folder, **parameters):
    """(number of profiles, the model's method, the report's language)."""
    model, report = folder / "model.json", folder / "report.html"
    results = _run("detectprofiles", {"INPUT": respondents, "K": 2, "BOOTSTRAP": 0,
                                      "OUTPUT_MODEL": str(model), "OUTPUT_REPORT": str(report),
                                      "OUTPUT": str(folder / "labelled.gpkg"), **parameters})  # fmt: skip
    methods = re.findall(r'"method": "(\w+)"', model.read_text(encoding="utf-8"))
    language = re.search(r'<html lang="(\w+)"', report.read_text(encoding="utf-8")).group(1)
    return results["PROFILES"], set(methods), language


def test_a_code_and_the_old_index_give_the_same_run(respondents, tmp_path):
    (tmp_path / "code").mkdir()
    (tmp_path / "index").mkdir()
    by_code = _detect(respondents, tmp_path / "code", METHOD="kmeans", LANGUAGE="en")
    by_index = _detect(respondents, tmp_path / "index", METHOD=1, LANGUAGE=1)
    assert by_code == by_index == (2, {"kmeans"}, "en")
    assert _detect(respondents, tmp_path, METHOD="ward", LANGUAGE="fr")[1:] == ({"ward"}, "fr")


def test_a_code_that_is_not_a_choice_is_refused(respondents, tmp_path):
    with pytest.raises(QgsProcessingException, match="METHOD"):
        _detect(respondents, tmp_path, METHOD="k-means")
    assert not (tmp_path / "model.json").exists()


def test_qgis_process_takes_codes_and_indices(config, tmp_path):  # noqa: F811
    accepted = {}
    for value in ("none", "5"):
        out = tmp_path / f"respondents_{value}.gpkg"
        done = qgis_process(config, "--json", "run", "qetgeo:importsurvey",
                            f"--INPUT={SAMPLE_SURVEY}", f"--LOCATION={value}",
                            "--SCHEMA=near-su", f"--OUTPUT={out}")  # fmt: skip
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        accepted[value] = json.loads(done.stdout)["results"]["ACCEPTED"]
        layer = QgsVectorLayer(str(out), "respondents", "ogr")
        assert layer.isValid() and not layer.isSpatial()  # no location: a table
    assert accepted["none"] == accepted["5"] > 0
    wrong = qgis_process(config, "run", "qetgeo:importsurvey", f"--INPUT={SAMPLE_SURVEY}",
                         "--LOCATION=gps", f"--OUTPUT={tmp_path / 'x.gpkg'}")  # fmt: skip
    assert wrong.returncode != 0 and "LOCATION" in wrong.stdout + wrong.stderr
    assert not (tmp_path / "x.gpkg").exists()


@pytest.fixture
def dialogs(plugin, qgis_iface, monkeypatch):
    """The dialogs a test opens (append them), closed and deleted by Qt when it ends, then
    their Python wrappers collected at once, not by a garbage collection in the middle of
    another test."""
    # the test interface has no browser model, which the Processing panel asks for
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: None, raising=False)
    import gc

    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    opened: list = []
    yield opened
    for dialog in opened:
        dialog.close()
        dialog.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    opened.clear()
    gc.collect()


def _texts(combo) -> list:
    return [combo.itemText(i) for i in range(combo.count())]


def test_the_dialogs_show_the_labels_and_give_the_codes(dialogs):
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    from processing.gui.BatchAlgorithmDialog import BatchAlgorithmDialog

    algorithm = _algorithm("mapprofiles")
    labels = ["survey weights", "raking to the census", "none"]
    dialog = AlgorithmDialog(algorithm)
    dialogs.append(dialog)
    weights = dialog.mainWidget().wrappers["WEIGHTS"]
    assert _texts(weights.widget) == labels
    assert weights.parameterValue() == "survey"
    weights.setValue("raking")
    assert weights.widget.currentText() == "raking to the census"
    assert weights.parameterValue() == "raking"
    weights.setValue(2)  # an index, as a saved run of the old parameter holds
    assert weights.parameterValue() == "none"

    # a dialog owns its algorithm (and deletes it): one instance each, or the second
    # dialog's deletion frees it again (the segmentation fault this test caused)
    batch_dialog = BatchAlgorithmDialog(_algorithm("mapprofiles"))
    dialogs.append(batch_dialog)
    batch = batch_dialog.mainWidget()
    cell = batch.wrappers[0][batch.parameter_to_column["WEIGHTS"]]
    assert _texts(cell.widget) == labels and batch.valueForParameter(0, "WEIGHTS") == "survey"

    poster = _algorithm("exportposter")
    poster_dialog = AlgorithmDialog(poster)
    dialogs.append(poster_dialog)
    language = poster_dialog.mainWidget().wrappers["LANGUAGE"]
    assert _texts(language.widget) == ["Français", "English"]
    assert language.parameterValue() == "fr"


def test_the_model_designer_stores_the_code(dialogs):
    from processing.modeler.ModelerParametersDialog import ModelerParametersDialog
    from qgis.core import QgsProcessingModelAlgorithm

    algorithm, model = _algorithm("mapprofiles"), QgsProcessingModelAlgorithm()
    dialog = ModelerParametersDialog(algorithm, model)
    dialogs.append(dialog)
    child = dialog.createAlgorithm()
    assert child.parameterSources()["WEIGHTS"][0].staticValue() == "survey"
