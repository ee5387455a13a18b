"""The Diagnostic dock (``plugin/diagnostic.py``) as a planner uses it: the example loaded
from the plugin, the survey checked in place, the whole job run as a task whose results land
in the project styled, the settings saved as the TOML file that ``qet-geo run`` replays, and
plain errors for what is missing."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import tomllib
from plugin_testing import PLUGIN, ROOT, plugin_instance
from qgis.core import QgsApplication, QgsProject, QgsVectorLayer

#: generous: a loaded machine may be slow; the loop ends as soon as the task does
WAIT_S = 600


def _wait(predicate) -> None:
    end = time.monotonic() + WAIT_S
    while not predicate():
        QgsApplication.processEvents()
        time.sleep(0.05)
        assert time.monotonic() < end, "the task did not end"


@pytest.fixture()
def dock(plugin, qgis_iface, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    QgsProject.instance().clear()
    plugin_instance().close_diagnostic()  # a fresh dock for each test
    dock = plugin_instance().show_diagnostic()
    yield dock
    _wait(lambda: dock.task is None and dock.check_task is None)
    QgsProject.instance().clear()


def test_the_example_fills_every_step_and_checks_the_survey(dock, tmp_path):
    dock.load_example()
    assert dock.survey_file.filePath().endswith(f"{PLUGIN}/sample_data/survey_su.tsv")
    assert dock.areas_layer.currentLayer().name() == "iris"
    assert (dock.area_id.currentField(), dock.area_name.currentField()) == ("code_iris", "nom_iris")
    assert dock.census_file.filePath().endswith("base-ic-evol-struct-pop-quartier.csv")
    assert dock.gtfs.filePath().endswith("sample_data/gtfs")
    ticked = [dock.services.item(i).text() for i in range(dock.services.count())
              if dock.services.item(i).checkState() == 2]  # fmt: skip
    assert sorted(ticked) == ["alimentation", "marches", "reparation"]
    assert dock.method.currentData() == "near"
    assert dock.method.currentText().startswith("NEAR method")
    assert dock.emdv_file.filePath().endswith(f"{PLUGIN}/sample_data/emdv_answers.json")
    assert dock.ngc_file.filePath().endswith(f"{PLUGIN}/sample_data/ngc_answers.json")
    assert dock.output.filePath() == str(tmp_path / "home" / "qet-geo" / "exemple")
    _wait(lambda: dock.check_task is None)
    report = dock.survey_report.text()
    assert "600 rows read, 593 accepted, 7 rejected." in report, report
    assert "row 68: ne réside pas dans le quartier" in report
    assert dock.rejects_button.isEnabled() and dock.rejects.is_file()


def test_a_saved_configuration_is_what_qet_geo_run_replays(dock, tmp_path):
    dock.load_example()
    dock.title.setText('Quartier "test" <b>')
    dock.poster.setChecked(False)
    dock.webmap.setChecked(False)
    dock.output.setFilePath(str(tmp_path / "sorties"))
    saved = dock.save_config(str(tmp_path / "conf" / "diagnostic.toml"))
    assert saved is not None, dock.status.text()
    data = tomllib.loads(saved.read_text(encoding="utf-8"))
    assert data["title"] == 'Quartier "test" <b>'
    assert data["survey"]["file"].endswith("sample_data/survey_su.tsv")
    assert not data["survey"]["file"].startswith("/")  # relative to the file: portable
    assert data["areas"]["layer"] == "iris" and data["areas"]["id_field"] == "code_iris"
    assert data["outputs"]["poster"] is False and data["outputs"]["webmap"] is False
    assert data["output"] == "../sorties"
    assert data["footprints"] == {"heating": True}  # a key the dock does not show: kept
    diagnostic = data["diagnostic"]  # the EMdV and NGC answers, relative like the others
    assert diagnostic["emdv"].endswith("sample_data/emdv_answers.json")
    assert not diagnostic["emdv"].startswith("/") and diagnostic["ngc"].endswith("ngc_answers.json")
    assert (diagnostic["food_service"], diagnostic["repair_service"]) == (
        "alimentation",
        "reparation",
    )
    # a file key the dock does not show (the citizen vote) stays a file from the new folder
    assert data["forum"]["votes"].endswith("sample_data/bulletins_vote.csv")
    assert (saved.parent / data["forum"]["votes"]).is_file()
    done = subprocess.run([sys.executable, "-m", "qet_geo.cli", "run", str(saved)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "sorties" / "areas.gpkg").is_file()
    assert (tmp_path / "sorties" / "diagnostic.gpkg").is_file()
    assert (tmp_path / "sorties" / "vote.csv").is_file()
    # loaded again, the dock shows what it saved
    dock.open_config(str(saved))
    assert dock.title.text() == 'Quartier "test" <b>' and not dock.poster.isChecked()
    assert dock.ngc_file.filePath().endswith("sample_data/ngc_answers.json")
    # without the answers, no [diagnostic] section
    dock.emdv_file.setFilePath("")
    dock.ngc_file.setFilePath("")
    again = dock.save_config(str(tmp_path / "conf" / "sans.toml"))
    assert "diagnostic" not in tomllib.loads(again.read_text(encoding="utf-8"))


def test_the_run_lands_in_the_project_styled(dock, tmp_path):
    dock.load_example()
    _wait(lambda: dock.check_task is None)
    dock.output.setFilePath(str(tmp_path / "run"))
    dock.run()
    assert dock.task is not None and not dock.run_button.isEnabled()
    _wait(lambda: dock.task is None)
    assert dock.progress.value() == 100, dock.log.toPlainText()
    assert "Finished" in dock.status.text(), dock.status.text()
    assert (tmp_path / "run" / "qet-geo.toml").is_file()
    groups = QgsProject.instance().layerTreeRoot().findGroups()
    assert len(groups) == 1 and groups[0].name().startswith("Sphères d'Usages")
    layers = [node.layer() for node in groups[0].findLayers()]
    # the maps, the diagnostic's estimates and tables, the forum's four
    assert len(layers) == 5 + 7 + 4
    [diagnostic] = [g for g in groups[0].findGroups() if g.name() == "Diagnostic"]
    assert len(diagnostic.findLayers()) == 7 + 4  # with the forum's four
    for layer in layers:
        if layer.isSpatial():
            assert layer.renderer().type() in ("RuleRenderer", "categorizedSymbol"), layer.name()
    assert "[1/" in dock.log.toPlainText()


def test_cancel_stops_the_run(dock, tmp_path):
    dock.load_example()
    _wait(lambda: dock.check_task is None)
    dock.output.setFilePath(str(tmp_path / "run"))
    dock.run()
    dock.cancel()
    _wait(lambda: dock.task is None)
    assert "Cancel" in dock.status.text(), dock.status.text()
    assert dock.run_button.isEnabled() and not dock.cancel_button.isEnabled()


def test_what_is_missing_is_said_plainly(dock, tmp_path):
    dock.output.setFilePath(str(tmp_path / "out"))
    dock.run()
    assert "Step 1: choose the survey export." in dock.status.text()
    dock.survey_file.setFilePath(str(ROOT / "sample_data" / "survey_su.tsv"))
    dock.run()
    assert "Step 2: choose the areas layer." in dock.status.text()
    memory = QgsVectorLayer("Polygon?crs=EPSG:2154&field=code_iris:string", "dessin", "memory")
    QgsProject.instance().addMapLayer(memory)
    dock.areas_layer.setLayer(memory)
    dock.run()
    assert "“dessin” is not stored in a file" in dock.status.text()
    assert dock.task is None and not (tmp_path / "out").exists()


def test_a_loaded_configuration_keeps_its_keys_schema_and_names(dock, tmp_path):
    """Saved elsewhere, a loaded file keeps its service keys (what compare and people
    name), its schema file, and [proximity] people as names, not paths."""
    import shutil

    from qet_geo_plugin.qet_geo.tomlfile import read_config, write_config

    src = tmp_path / "src"
    shutil.copytree(ROOT / "sample_data", src)
    data = read_config(src / "qet-geo.toml")
    data["proximity"]["services"] = {"epicerie": "quartier.gpkg:commerces_alimentaires",
                                     "marche": "quartier.gpkg:marches"}  # fmt: skip
    data["proximity"]["people"] = ["marche"]
    data["compare"]["service"] = "epicerie"
    data["survey"]["schema"] = "mon-schema.yaml"
    (src / "mon-schema.yaml").write_text("x: 1\n", encoding="utf-8")
    write_config(src / "perso.toml", data)
    dock.open_config(str(src / "perso.toml"))
    saved = dock.save_config(str(tmp_path / "ailleurs" / "copie.toml"))
    assert saved is not None, dock.status.text()
    back = tomllib.loads(saved.read_text(encoding="utf-8"))
    assert back["proximity"]["services"] == {"epicerie": "../src/quartier.gpkg:commerces_alimentaires",
                                             "marche": "../src/quartier.gpkg:marches"}  # fmt: skip
    assert back["proximity"]["people"] == ["marche"]
    assert back["compare"]["service"] == "epicerie"
    assert back["survey"]["schema"] == "../src/mon-schema.yaml"
    # the diagnostic's answers rebased too; a service no longer measured is not named
    assert back["diagnostic"]["emdv"] == "../src/emdv_answers.json"
    assert back["diagnostic"]["ngc"] == "../src/ngc_answers.json"
    assert "food_service" not in back["diagnostic"] and "repair_service" not in back["diagnostic"]
    # another configuration then: only its own services ticked
    dock.open_config(str(src / "qet-geo.toml"))
    ticked = [dock.services.item(i).text() for i in range(dock.services.count())
              if dock.services.item(i).checkState() == 2]  # fmt: skip
    assert len(ticked) == 3


def test_a_configuration_of_several_feeds_keeps_them_all(dock, tmp_path):
    """A configuration of several GTFS feeds (``gtfs = [...]``, issue 17): the dock shows the
    first and, saved elsewhere, keeps every feed, each rebased; [run] kept as written."""
    import shutil

    from qet_geo_plugin.qet_geo.tomlfile import read_config, write_config

    src = tmp_path / "src"
    shutil.copytree(ROOT / "sample_data", src)
    shutil.copytree(src / "gtfs", src / "ter")
    data = read_config(src / "qet-geo.toml")
    data["transit"]["gtfs"] = ["gtfs", "ter"]
    data["run"] = {"partition": "tile", "tile": 2000}
    write_config(src / "deux.toml", data)
    dock.open_config(str(src / "deux.toml"))
    assert dock.gtfs.filePath() == str((src / "gtfs").resolve())
    saved = dock.save_config(str(tmp_path / "ailleurs" / "copie.toml"))
    assert saved is not None, dock.status.text()
    back = tomllib.loads(saved.read_text(encoding="utf-8"))
    assert back["transit"]["gtfs"] == ["../src/gtfs", "../src/ter"]
    assert back["run"] == {"partition": "tile", "tile": 2000}


def test_a_filtered_layer_and_a_users_file_are_refused(dock, tmp_path):
    dock.load_example()
    _wait(lambda: dock.check_task is None)
    areas = dock.areas_layer.currentLayer()
    areas.setSubsetString("\"code_iris\" = 'X'")
    dock.output.setFilePath(str(tmp_path / "out"))
    dock.run()
    assert "filtered layer" in dock.status.text() and dock.task is None
    areas.setSubsetString("")
    (tmp_path / "out").mkdir()
    mine = tmp_path / "out" / "qet-geo.toml"
    mine.write_text("# mon fichier\ntitle = 'x'\n", encoding="utf-8")
    dock.run()
    assert "never overwritten" in dock.status.text() and dock.task is None
    assert mine.read_text(encoding="utf-8") == "# mon fichier\ntitle = 'x'\n"
