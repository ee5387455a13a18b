"""The diagnostic in the QGIS project (qet_geo/export/project.py, issue 15), read as XML
without QGIS: the area estimates and the five tables in a group "Diagnostic", paths
relative to the project, the estimates styled from their GeoPackage (the estimated total
footprint in classes, hidden areas grey and hatched), titles in English too. QGIS itself
opens the project in tests/qgis/test_diagnostic_project.py."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

from qet_geo.export.project import write_project

ROOT = Path(__file__).resolve().parents[2]
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), ROOT.parent / "shared")  # fmt: skip
DATA = SHARED / "data" / "near-diag"
TABLES = ("satisfaction", "wishes", "barriers", "carbon", "profiles")
#: the room for manoeuvre's layers, after the diagnostic's (its SU answers are given)
FORUM = ("area_potentials", "forum_subjects", "levers", "structural")

pytestmark = pytest.mark.skipif(
    not (DATA / "Way Of Life Answer.json").is_file(), reason="no shared data"
)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The diagnostic and its project, written by the library in a process of its own."""
    out = tmp_path_factory.mktemp("diagnostic") / "sorties"
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fixtures" / "diagnostic" / "make_project.py"),
         str(out), str(DATA)],
        cwd=ROOT, capture_output=True, text=True, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def _project(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as archive:
        return ET.fromstring(archive.read(path.stem + ".qgs").decode("utf-8"))


def test_the_estimates_carry_their_style_in_the_geopackage(made):
    with closing(sqlite3.connect(made / "diagnostic.gpkg")) as db:
        styles = db.execute(
            "SELECT styleName, useAsDefault, styleQML FROM layer_styles "
            "WHERE f_table_name = 'area_estimates' ORDER BY id"
        ).fetchall()
    names = [s[0] for s in styles]
    assert names[0] == "Empreinte carbone estimée (profils)" and styles[0][1] == 1
    assert "Empreinte estimée : Transport" in names and sum(s[1] for s in styles) == 1
    root = ET.fromstring(styles[0][2])
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "RuleRenderer"
    rules = renderer.findall("rules/rule")
    assert rules[0].get("filter") == '"carbon__bilan" IS NULL'
    assert rules[0].get("label") == "masqué (secret statistique, seuil 11 réponses)"
    hidden = renderer.find("symbols/symbol[@name='0']")
    assert [layer.find("prop[@k='style']").get("v") for layer in hidden.findall("layer")] == [
        "solid",
        "b_diagonal",
    ]
    assert all(
        "carbon__bilan" in r.get("filter") and "t CO2e/an" in r.get("label") for r in rules[1:]
    )
    assert len(rules) >= 3
    alias = root.find("aliases/alias[@field='carbon__bilan']")
    assert alias.get("name") == "Empreinte carbone totale estimée (kg CO2e/an)"


def test_the_project_holds_the_diagnostic_in_its_group(made):
    root = _project(made / "projet.qgz")
    group = root.find("layer-tree-group/layer-tree-group[@name='Diagnostic']")
    assert group is not None
    nodes = group.findall("layer-tree-layer")
    sources = [n.get("source") for n in nodes]
    assert sources == [
        f"./diagnostic.gpkg|layername={name}" for name in ("area_estimates", *TABLES, *FORUM)
    ]
    # the only map of the project: shown; the tables draw nothing
    assert nodes[0].get("checked") == "Qt::Checked"
    layers = {m.find("datasource").text.rsplit("=", 1)[1]: m for m in root.iter("maplayer")}
    assert set(layers) == {"area_estimates", *TABLES, *FORUM}
    assert nodes[len(TABLES) + 1].get("checked") == "Qt::Unchecked"  # the forum's map: hidden
    estimates = layers["area_estimates"]
    assert estimates.get("geometry") == "Polygon"
    assert estimates.find("renderer-v2").get("type") == "RuleRenderer"
    assert estimates.find("srs/spatialrefsys/authid").text == "EPSG:2154"
    for name in (*TABLES, *FORUM[1:]):
        assert layers[name].get("geometry") == "No geometry"
        assert layers[name].find("srs") is None
    order = [e.get("id") for e in root.find("layerorder")]
    assert order == [
        estimates.find("id").text,
        layers["area_potentials"].find("id").text,
    ]  # what draws
    assert root.find("properties/Paths/Absolute").text == "false"


def test_the_project_in_english_from_another_folder(made, tmp_path):
    import shutil

    folder = tmp_path / "projet"
    (folder / "data").mkdir(parents=True)
    shutil.copy(made / "diagnostic.gpkg", folder / "data" / "diagnostic.gpkg")
    areas = ROOT / "sample_data" / "quartier.gpkg"  # no area_indicators: left out
    path = write_project(folder / "p.qgz", {"areas": areas, "diagnostic": folder / "data" / "diagnostic.gpkg"},
                         language="en")  # fmt: skip
    root = _project(path)
    sources = [n.get("source") for n in root.iter("layer-tree-layer")]
    assert sources[0] == "./data/diagnostic.gpkg|layername=area_estimates"
    names = [n.get("name") for n in root.iter("layer-tree-layer")]
    assert names[0] == "Diagnostic — estimated carbon footprint per area"
    assert "Willingness to change (table)" in names and "Barriers to change (table)" in names
    assert root.find("layer-tree-group/layer-tree-group").get("name") == "Diagnostic"
