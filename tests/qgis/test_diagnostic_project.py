"""The diagnostic's QGIS project (issue 15) opened by a real headless QGIS: written by the
library (tests/fixtures/diagnostic/make_project.py, a process of its own), every layer of
the group "Diagnostic" valid with its feature count, the area estimates drawn by their
rule-based style (hidden areas grey and hatched), the tables without geometry."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest
from plugin_testing import ROOT
from qgis.core import QgsProject, QgsVectorLayer, QgsWkbTypes

SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), ROOT.parent / "shared")  # fmt: skip
DATA = SHARED / "data" / "near-diag"
TABLES = ("satisfaction", "wishes", "barriers", "carbon", "profiles")
FORUM = ("forum_subjects", "levers", "area_potentials", "structural")

pytestmark = pytest.mark.skipif(
    not (DATA / "Way Of Life Answer.json").is_file(), reason="no shared data"
)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("diagnostic") / "sorties"
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fixtures" / "diagnostic" / "make_project.py"),
         str(out), str(DATA)],
        cwd=ROOT, capture_output=True, text=True, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def _count(gpkg, table: str) -> int:
    with closing(sqlite3.connect(gpkg)) as db:
        return db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def test_qgis_opens_the_diagnostic_project(made, qgis_app):
    project = QgsProject()
    assert project.read(str(made / "projet.qgz"))
    group = project.layerTreeRoot().findGroup("Diagnostic")
    assert group is not None
    by_name = {}
    for node in group.findLayers():
        layer = node.layer()
        assert layer is not None and layer.isValid(), node.name()
        by_name[layer.source().rsplit("layername=", 1)[1]] = layer
    # with the SU answers, the forum's layers too: the subjects' potential per area and tables
    assert set(by_name) == {"area_estimates", *TABLES, *FORUM}
    for name, layer in by_name.items():
        assert layer.featureCount() == _count(made / "diagnostic.gpkg", name), name
    estimates = by_name["area_estimates"]
    assert estimates.featureCount() == 12
    assert estimates.geometryType() == QgsWkbTypes.PolygonGeometry
    renderer = estimates.renderer()
    assert renderer.type() == "RuleRenderer"
    rules = renderer.rootRule().children()
    assert rules[0].filterExpression() == '"carbon__bilan" IS NULL'
    assert rules[0].label() == "masqué (secret statistique, seuil 11 réponses)"
    assert [s.layerType() for s in rules[0].symbol().symbolLayers()] == ["SimpleFill", "SimpleFill"]
    assert len(rules) >= 3
    # each area falls in one rule: its class, or hidden
    for feature in estimates.getFeatures():
        matched = [r for r in rules if _matches(r, feature, estimates)]
        assert len(matched) == 1, (feature["area_name"], feature["carbon__bilan"])
    for name in TABLES:
        assert by_name[name].geometryType() == QgsWkbTypes.NullGeometry, name
    assert (
        estimates.fields().field("carbon__bilan").alias()
        == "Empreinte carbone totale estimée (kg CO2e/an)"
    )


def _matches(rule, feature, layer) -> bool:
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils

    context = QgsExpressionContext()
    context.appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    context.setFeature(feature)
    return bool(QgsExpression(rule.filterExpression()).evaluate(context))


def test_qgis_opens_the_estimates_styled_from_the_geopackage_alone(made, qgis_app):
    """Added by hand (Browser, drag and drop): QGIS finds the default style in the file."""
    layer = QgsVectorLayer(f"{made / 'diagnostic.gpkg'}|layername=area_estimates", "e", "ogr")
    assert layer.isValid()
    message, ok = layer.loadDefaultStyle()
    assert ok, message
    assert layer.renderer().type() == "RuleRenderer"
