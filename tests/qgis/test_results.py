"""A finished run's outputs in a QGIS project (``plugin/results.py: load_run``): one group
per run, every layer of the pipeline's own project styled from its GeoPackage, loaded from
the output files, never the person-level respondents."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from plugin_testing import PLUGIN
from qgis.core import QgsProject

EXPECTED = {"area_indicators", "ptal_areas", "ptal_grid", "compare_areas", "proximity_areas"}
#: the diagnostic's layers of the sample run, in a group of their own
DIAGNOSTIC = {"area_estimates", "satisfaction", "wishes", "barriers", "carbon", "profiles",
              "place_bands", "forum_subjects", "levers", "area_potentials", "structural"}  # fmt: skip


@pytest.fixture()
def results(plugin):
    return importlib.import_module(f"{PLUGIN}.plugin.results")


def _layers(group):
    """The maps of the group (the diagnostic's group apart)."""
    return [node.layer() for node in group.findLayers() if node.parent().name() != "Diagnostic"]


def _diagnostic(group) -> dict:
    [sub] = [g for g in group.findGroups() if g.name() == "Diagnostic"]
    return {n.layer().source().split("layername=")[-1]: n for n in sub.findLayers()}


def test_load_run_adds_one_styled_group(results, cli_sample_job):
    out, _done = cli_sample_job
    project = QgsProject()
    group = results.load_run(out, project=project)
    assert project.layerTreeRoot().children()[0] is group
    layers = _layers(group)
    names = {layer.source().split("layername=")[-1] for layer in layers}
    assert names == EXPECTED
    for layer in layers:
        path = Path(layer.source().split("|")[0])
        assert path.parent == out and path.is_file(), layer.source()
        assert path.name != "respondents.gpkg"
        assert layer.renderer().type() in ("RuleRenderer", "categorizedSymbol"), layer.name()
        assert layer.attributeAlias(layer.fields().indexOf("area_id")), layer.name()
        if "ptal_grid" not in layer.source():  # points: no area name to label
            assert layer.labelsEnabled() and layer.labeling() is not None, layer.name()
    shown = {n.layer().source().split("layername=")[-1] for n in group.findLayers()
             if n.itemVisibilityChecked() and n.layer().isSpatial()}  # fmt: skip
    assert shown == {"area_indicators"}
    # the diagnostic: its estimates per area styled (hidden areas hatched), its tables
    diagnostic = _diagnostic(group)
    assert set(diagnostic) == DIAGNOSTIC
    estimates = diagnostic["area_estimates"].layer()
    assert estimates.renderer().type() == "RuleRenderer" and estimates.featureCount() == 12
    # every table holds rows (the sample has no structural area: its table is empty)
    assert all(
        diagnostic[t].layer().featureCount() > 0
        for t in DIAGNOSTIC - {"area_estimates", "structural"}
    )


def test_two_loads_give_two_groups(results, cli_sample_job):
    out, _done = cli_sample_job
    project = QgsProject()
    results.load_run(out, project=project)
    results.load_run(out, project=project)
    groups = project.layerTreeRoot().findGroups()  # the runs' groups (each with its Diagnostic)
    assert len(groups) == 2
    assert all(len(_layers(g)) == len(EXPECTED) for g in groups if g.name() != "Diagnostic")


def test_an_unfinished_folder_is_refused(results, tmp_path):
    with pytest.raises(ValueError, match="manifest"):
        results.load_run(tmp_path, project=QgsProject())


def test_the_legends_say_what_classes_mean(results, cli_sample_job):
    """PTAL bands with their meaning, bivariate classes explained, hidden areas and areas
    without a dominant profile in the legend (the sample's outputs are in French)."""
    out, _done = cli_sample_job
    project = QgsProject()
    group = results.load_run(out, project=project)
    legend = {}
    for layer in _layers(group):
        name = layer.source().split("layername=")[-1]
        legend[name] = [item.label() for item in layer.renderer().legendSymbolItems()]
    assert "1a — très faible (IA 0,01–2,5)" in legend["ptal_areas"]
    assert any(label.startswith("6b — excellent") for label in legend["ptal_grid"])
    assert any(label.startswith("C3 — part du profil") and "accès élevé" in label
               for label in legend["compare_areas"])  # fmt: skip
    assert "aucun profil nettement dominant" in legend["area_indicators"]
    assert any(
        label.startswith("masqué (secret statistique") for label in legend["area_indicators"]
    )
    assert "moins de 300 m" in legend["proximity_areas"]
