"""``qetgeo:proximity`` and ``qetgeo:profilesvsconstraints`` in a real headless QGIS, held
to the command line (pyproj there, QGIS here)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
from plugin_testing import ROOT, SAMPLE_SURVEY
from qgis.core import QgsProcessingException, QgsVectorLayer

SAMPLE = ROOT / "sample_data"
IRIS = f"{SAMPLE / 'quartier.gpkg'}|layername=iris"
SHOPS = f"{SAMPLE / 'quartier.gpkg'}|layername=commerces_alimentaires"
MARKETS = f"{SAMPLE / 'quartier.gpkg'}|layername=marches"


def _run(algorithm, parameters):
    import processing

    return processing.run(algorithm, parameters)


def _cli(*args):
    done = subprocess.run([sys.executable, "-m", "qet_geo.cli", *map(str, args), "--json"],
                          capture_output=True, text=True, cwd=ROOT, check=True)  # fmt: skip
    return json.loads(done.stdout)


def test_proximity_same_as_the_command_line(plugin, tmp_path):
    out = tmp_path / "prox.gpkg"
    _run("qetgeo:proximity", {"AREAS": IRIS, "SERVICES": [SHOPS, MARKETS], "OUTPUT": str(out)})
    layer = QgsVectorLayer(str(out), "p", "ogr")
    assert layer.isValid() and layer.featureCount() == 12
    names = layer.fields().names()
    assert "dist_commerces_alimentaires_mean" in names and "share_marches_500m" in names
    cli = _cli("constraints", "proximity", "--areas", SAMPLE / "quartier.gpkg", "--areas-layer", "iris",
               "--service", f"commerces_alimentaires={SAMPLE / 'quartier.gpkg'}:commerces_alimentaires",
               "--service", f"marches={SAMPLE / 'quartier.gpkg'}:marches", "-o", tmp_path / "cli.gpkg")  # fmt: skip
    expected = {row["area_id"]: row for row in cli["areas_table"]}
    for feature in layer.getFeatures():
        row = expected[feature["area_id"]]
        for field in (
            "dist_commerces_alimentaires_mean",
            "dist_marches_centroid",
            "count_marches_500m",
        ):
            assert feature[field] == pytest.approx(row[field], abs=0.2)


def test_profiles_against_constraints(plugin, tmp_path):
    respondents = tmp_path / "respondents.gpkg"
    _run("qetgeo:importsurvey", {"INPUT": str(SAMPLE_SURVEY), "OUTPUT": str(respondents)})
    model, labelled = tmp_path / "m.json", tmp_path / "l.gpkg"
    _run("qetgeo:detectprofiles", {"INPUT": str(respondents), "BOOTSTRAP": 0, "OUTPUT_MODEL": str(model),
                                   "OUTPUT": str(labelled)})  # fmt: skip
    feed = tmp_path / "gtfs.zip"
    with zipfile.ZipFile(feed, "w") as archive:
        for file in (SAMPLE / "gtfs").iterdir():
            archive.write(file, file.name)
    areas, classes = tmp_path / "areas.gpkg", tmp_path / "classes.gpkg"
    result = _run(
        "qetgeo:profilesvsconstraints",
        {"INPUT": str(labelled), "AREAS": IRIS, "GTFS": str(feed), "DATE": "2026-03-10", "MODEL": str(model),
         "SERVICES": [SHOPS], "BOOTSTRAP": 50, "OUTPUT_AREAS": str(areas), "OUTPUT_CLASSES": str(classes)},
    )  # fmt: skip
    area_layer = QgsVectorLayer(str(areas), "a", "ogr")
    class_layer = QgsVectorLayer(str(classes), "c", "ogr")
    assert area_layer.isValid() and area_layer.featureCount() == 12
    assert {f["bivariate_class"] for f in area_layer.getFeatures() if f["bivariate_class"]} <= {
        f"{a}{b}" for a in "ABC" for b in "123"
    }
    assert {f["constraint"] for f in class_layer.getFeatures()} == {
        "ptal_band",
        "distance_commerces_alimentaires",
    }
    assert "respondent_id" not in class_layer.fields().names()
    cli = _cli("compare", "--respondents", labelled, "--areas", SAMPLE / "quartier.gpkg", "--areas-layer",
               "iris", "--gtfs", SAMPLE / "gtfs", "--model", model, "--date", "2026-03-10",
               "--bootstrap", "50", "-o", tmp_path / "cli.gpkg")  # fmt: skip
    assert result["CRAMERS_V"] == pytest.approx(cli["cramers_v_profiles_ptal"], abs=1e-3)
    assert result["SPEARMAN"] == pytest.approx(cli["spearman_mobility_ai"], abs=1e-3)


def test_a_threshold_under_3_needs_the_override(plugin, tmp_path):
    try:
        _run("qetgeo:profilesvsconstraints", {"INPUT": str(SAMPLE_SURVEY), "AREAS": IRIS, "GTFS": str(tmp_path / "gtfs.zip"),
                                              "MIN_CELL": 2, "OUTPUT_AREAS": str(tmp_path / "x.gpkg"),
                                              "OUTPUT_CLASSES": str(tmp_path / "y.gpkg")})  # fmt: skip
    except QgsProcessingException as exc:
        message = str(exc)
    else:
        message = ""
    assert "override" in message
