"""``qetgeo:computefootprints`` on respondents imported by ``qetgeo:importsurvey``.

Expected values are read from the band values file the pinned Nos Gestes Climat engine wrote
(``qet_geo/footprint/data/su-bands-values.json``), not from the library's code.
"""

from __future__ import annotations

import json

import pytest
from plugin_testing import ROOT, SAMPLE_SURVEY, SURVEY_0
from qgis.core import NULL, QgsProcessingException, QgsVectorLayer

ALGORITHM = "qetgeo:computefootprints"
BANDS = json.loads(
    (ROOT / "qet_geo" / "footprint" / "data" / "su-bands-values.json").read_text(encoding="utf-8")
)["usages"]
USAGES = ("alimentation", "avion", "mobilite", "achats", "numerique")


def _run(algorithm: str, parameters: dict, feedback=None) -> dict:
    import processing

    return processing.run(algorithm, parameters, feedback=feedback)


def _respondents(tmp_path, survey=SAMPLE_SURVEY) -> str:
    path = str(tmp_path / "respondents.gpkg")
    _run("qetgeo:importsurvey", {"INPUT": str(survey), "OUTPUT": path})
    return path


def test_footprints_of_the_sample_neighbourhood(plugin, tmp_path):
    respondents = _respondents(tmp_path)
    output = str(tmp_path / "footprints.gpkg")
    _run(ALGORITHM, {"INPUT": respondents, "OUTPUT": output})
    layer = QgsVectorLayer(output, "footprints", "ogr")
    assert layer.isValid() and layer.featureCount() == 593
    assert layer.crs().authid() == "EPSG:4326"  # points kept as they were
    names = layer.fields().names()
    for usage in (*USAGES, "total", "chauffage"):
        for suffix in ("", "_low", "_high"):
            assert f"fp_{usage}{suffix}" in names
    assert "meat_frequency" in names and "respondent_id" in names  # input fields kept
    for feature in layer.getFeatures():
        total = 0.0
        for usage in USAGES:
            band = BANDS[usage]["values"][str(feature[BANDS[usage]["variable"]])]
            assert feature[f"fp_{usage}"] == pytest.approx(band["estimate"])
            assert feature[f"fp_{usage}_low"] == pytest.approx(band["low"])
            total += band["estimate"]
        assert feature["fp_total"] == pytest.approx(total, abs=0.02)
        heating = BANDS["chauffage"]["values"][str(feature["heat_source"])]
        assert feature["fp_chauffage"] == pytest.approx(heating["estimate"])
    assert not QgsVectorLayer(respondents, "r", "ogr").fields().names().count("fp_total")


def test_without_heating_and_a_second_run_replaces_the_fields(plugin, tmp_path):
    first = str(tmp_path / "first.gpkg")
    _run(ALGORITHM, {"INPUT": _respondents(tmp_path, SURVEY_0), "OUTPUT": first})
    second = str(tmp_path / "second.gpkg")
    _run(ALGORITHM, {"INPUT": first, "HEATING": False, "OUTPUT": second})
    names = QgsVectorLayer(second, "s", "ogr").fields().names()
    assert names.count("fp_total") == 1
    assert "fp_chauffage" not in names or names.count("fp_chauffage") == 1


def _set_answer(path: str, value) -> int:
    """Change the flights answer of the first respondent in the GeoPackage (plain SQLite:
    a QGIS edit session left behind would outlive the QGIS application in this process)."""
    import sqlite3

    with sqlite3.connect(path) as db:
        [table] = db.execute("SELECT table_name FROM gpkg_contents").fetchone()
        [fid] = db.execute(f'SELECT min(fid) FROM "{table}"').fetchone()
        db.execute(f'UPDATE "{table}" SET air_travel_frequency = ? WHERE fid = ?', (value, fid))
    return fid


def test_missing_answer_gives_null_and_bad_code_names_the_feature(plugin, tmp_path):
    respondents = _respondents(tmp_path, SURVEY_0)
    _set_answer(respondents, None)
    output = str(tmp_path / "fp.gpkg")
    _run(ALGORITHM, {"INPUT": respondents, "OUTPUT": output})
    feature = next(QgsVectorLayer(output, "fp", "ogr").getFeatures())
    assert feature["fp_avion"] == NULL and feature["fp_total"] == NULL
    assert feature["fp_alimentation"] != NULL
    fid = _set_answer(respondents, 7)
    with pytest.raises(
        QgsProcessingException,
        match=rf"row {fid}, column 'air_travel_frequency': value '7': "
        "unknown SU answer code",
    ):
        _run(ALGORITHM, {"INPUT": respondents, "OUTPUT": str(tmp_path / "bad.gpkg")})
    assert not (tmp_path / "bad.gpkg").exists()


def test_canceled_run(plugin, tmp_path, feedback):
    respondents = _respondents(tmp_path, SURVEY_0)
    feedback.cancel()
    with pytest.raises(QgsProcessingException):
        _run(ALGORITHM, {"INPUT": respondents, "OUTPUT": str(tmp_path / "c.gpkg")}, feedback)


def test_a_missing_answer_field_is_named(plugin, tmp_path):
    respondents = _respondents(tmp_path, SURVEY_0)
    with pytest.raises(
        QgsProcessingException,
        match=r"The layer has no field 'viande' \(meat_frequency\); its fields: ",
    ):
        _run(
            ALGORITHM,
            {"INPUT": respondents, "MEAT_FIELD": "viande", "OUTPUT": str(tmp_path / "x.gpkg")},
        )
