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


@pytest.fixture()
def results(plugin):
    return importlib.import_module(f"{PLUGIN}.plugin.results")


def _layers(group):
    return [node.layer() for node in group.findLayers()]


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
        if "proximity_areas" in layer.source():
            continue  # its style is issue 14's helper "styles": the test below
        assert layer.renderer().type() != "singleSymbol", (layer.name(), layer.renderer().type())
    shown = {n.layer().source().split("layername=")[-1] for n in group.findLayers()
             if n.itemVisibilityChecked()}  # fmt: skip
    assert shown == {"area_indicators"}


def test_two_loads_give_two_groups(results, cli_sample_job):
    out, _done = cli_sample_job
    project = QgsProject()
    results.load_run(out, project=project)
    results.load_run(out, project=project)
    groups = project.layerTreeRoot().findGroups()
    assert len(groups) == 2
    assert all(len(_layers(g)) == len(EXPECTED) for g in groups)


def test_an_unfinished_folder_is_refused(results, tmp_path):
    with pytest.raises(ValueError, match="manifest"):
        results.load_run(tmp_path, project=QgsProject())


@pytest.mark.xfail(strict=True, reason="proximity.gpkg has no style until helper 'styles' lands")
def test_the_proximity_layer_is_styled(results, cli_sample_job):
    out, _done = cli_sample_job
    group = results.load_run(out, project=QgsProject())
    (layer,) = [x for x in _layers(group) if "proximity_areas" in x.source()]
    assert layer.renderer().type() != "singleSymbol"
