"""``qetgeo:detectprofiles`` and ``qetgeo:assignprofiles`` in a real headless QGIS."""

from __future__ import annotations

import json

import pytest
from plugin_testing import SAMPLE_SURVEY, SURVEY_0
from qgis.core import NULL, QgsProcessingException, QgsVectorLayer

DETECT = "qetgeo:detectprofiles"
ASSIGN = "qetgeo:assignprofiles"


def _run(algorithm: str, parameters: dict, feedback=None) -> dict:
    import processing

    return processing.run(algorithm, parameters, feedback=feedback)


def _respondents(tmp_path, survey=SAMPLE_SURVEY, name="respondents.gpkg") -> str:
    path = str(tmp_path / name)
    _run("qetgeo:importsurvey", {"INPUT": str(survey), "OUTPUT": path})
    return path


def _profiles(path) -> list:
    layer = QgsVectorLayer(str(path), "labelled", "ogr")
    assert layer.isValid()
    return [feature["profile"] for feature in layer.getFeatures()]


def test_near_on_the_real_export_then_assign_from_the_model(plugin, tmp_path):
    respondents = _respondents(tmp_path, SURVEY_0)
    model = tmp_path / "model.json"
    report = tmp_path / "report.html"
    table = tmp_path / "profiles.csv"
    labelled = tmp_path / "labelled.gpkg"
    result = _run(
        DETECT,
        {
            "INPUT": respondents,
            "METHOD": 0,  # near
            "MAX_SHARE": 0.4,
            "BOOTSTRAP": 10,
            "OUTPUT_MODEL": str(model),
            "OUTPUT": str(labelled),
            "OUTPUT_REPORT": str(report),
            "OUTPUT_TABLE": str(table),
        },
    )
    data = json.loads(model.read_text(encoding="utf-8"))
    assert data["format"] == "qet-geo.profiles" and data["parameters"]["max_share"] == 0.4
    # the shareable file holds the profiles of 11 respondents or more; the private working
    # file beside it, every profile
    private_model = tmp_path / "model.private.json"
    private = json.loads(private_model.read_text(encoding="utf-8"))
    k = result["PROFILES"]
    assert k == private["k"] and k >= 3 and data["k"] < k
    assert all(e["size"] is None or e["size"] >= 11 for e in data["profiles"])
    profiles = _profiles(labelled)
    assert len(profiles) == 313 and set(profiles) == set(range(1, k + 1))
    sizes = [profiles.count(p) for p in range(1, k + 1)]
    assert sizes == sorted(sizes, reverse=True)  # numbered by decreasing size
    layer = QgsVectorLayer(str(labelled), "labelled", "ogr")
    names = layer.fields().names()
    for field in (
        "profile",
        "profile_name",
        "distance",
        "outlier",
        "assigned_by",
        "meat_frequency",
    ):
        assert field in names
    text = report.read_text(encoding="utf-8")
    assert "<svg" in text and "Profiles" in text or "Profils" in text
    assert table.read_text(encoding="utf-8-sig").startswith("profile,name,colour")
    # the same layer assigned from the private model file gets the same profiles
    assigned = tmp_path / "assigned.gpkg"
    out = _run(
        ASSIGN, {"INPUT": str(labelled), "MODEL": str(private_model), "OUTPUT": str(assigned)}
    )
    assert out["ASSIGNED"] == 313
    assert _profiles(assigned) == profiles
    again = QgsVectorLayer(str(assigned), "assigned", "ogr").fields().names()
    assert again.count("profile") == 1  # replaced, not duplicated


@pytest.mark.parametrize("method, k", [(1, 4), (5, 3), (2, 0)])  # kmeans, gmm, kmodes auto
def test_other_methods_on_the_sample_neighbourhood(plugin, tmp_path, method, k):
    respondents = _respondents(tmp_path)
    labelled = tmp_path / "labelled.gpkg"
    result = _run(
        DETECT,
        {
            "INPUT": respondents,
            "METHOD": method,
            "K": k,
            "K_MAX": 5,
            "BOOTSTRAP": 0,
            "OUTPUT_MODEL": str(tmp_path / "m.json"),
            "OUTPUT": str(labelled),
        },
    )
    profiles = _profiles(labelled)
    assert len(profiles) == 593
    if k:
        assert result["PROFILES"] == k
    assert set(profiles) == set(range(1, result["PROFILES"] + 1))
    layer = QgsVectorLayer(str(labelled), "labelled", "ogr")
    assert layer.crs().authid() == "EPSG:4326" and layer.geometryType() == 0  # points kept


def test_a_layer_without_the_answers_is_refused_with_the_field_named(plugin, tmp_path):
    respondents = _respondents(tmp_path, SURVEY_0)  # no geometry: plain SQLite edits
    model = tmp_path / "model.json"
    _run(DETECT, {"INPUT": respondents, "BOOTSTRAP": 0, "OUTPUT_MODEL": str(model),
                  "OUTPUT": str(tmp_path / "l.gpkg")})  # fmt: skip
    import sqlite3

    copy = tmp_path / "copy.gpkg"
    copy.write_bytes((tmp_path / "respondents.gpkg").read_bytes())
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE respondents SET heat_source = NULL WHERE fid <= 5")
    out = _run(
        ASSIGN, {"INPUT": str(copy), "MODEL": str(model), "OUTPUT": str(tmp_path / "a.gpkg")}
    )
    assert out["ASSIGNED"] == 313 - 5
    values = _profiles(tmp_path / "a.gpkg")
    assert values.count(NULL) == 5
    with pytest.raises(QgsProcessingException, match="heat_source"):
        _run(ASSIGN, {"INPUT": str(copy), "MODEL": str(model), "FIELD_heat_source": "nothing",
                      "OUTPUT": str(tmp_path / "b.gpkg")})  # fmt: skip
    bad_model = tmp_path / "bad.json"
    bad_model.write_text("{}", encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="not a qet-geo profile model"):
        _run(
            ASSIGN,
            {"INPUT": str(copy), "MODEL": str(bad_model), "OUTPUT": str(tmp_path / "c.gpkg")},
        )


class _Recording:
    """A feedback that keeps warnings and errors apart (``qgis_process`` prints the first
    as "WARNING", the second as "ERROR")."""

    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class Feedback(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.warnings, self.errors = [], []

            def pushWarning(self, text):
                self.warnings.append(text)

            def reportError(self, text, fatal=False):
                self.errors.append(text)

        return Feedback()


@pytest.mark.parametrize("apart", ["0", "1"])
def test_a_weak_structure_is_a_warning_not_an_error(plugin, tmp_path, monkeypatch, apart):
    """k-means on the sample finds no clear structure: Processing shows it as a warning
    (``pushWarning``), not as an error, in QGIS and when it runs in a separate process
    (the window's case), whose events are relayed."""
    respondents = _respondents(tmp_path)
    monkeypatch.setenv("QET_GEO_ISOLATE", apart)
    feedback = _Recording()
    _run(
        DETECT,
        {"INPUT": respondents, "METHOD": 1, "K": 2, "BOOTSTRAP": 0,
         "OUTPUT_MODEL": str(tmp_path / "m.json"), "OUTPUT": str(tmp_path / "labelled.gpkg")},
        feedback,
    )  # fmt: skip
    assert feedback.errors == []
    assert any("structure" in w for w in feedback.warnings), feedback.warnings


def test_apart_the_plugin_s_own_messages_are_in_the_user_s_language(plugin, tmp_path, monkeypatch):
    """In the separate process the plugin's translator was installed and at once deleted
    (nobody held it): the window's log said "Detecting profiles (kmeans)…" in a French
    QGIS. With the user's locale French, the line is French."""
    from qgis.core import QgsSettings

    respondents = _respondents(tmp_path)
    settings = QgsSettings()
    before = settings.value("locale/userLocale", "")
    settings.setValue("locale/userLocale", "fr_FR")
    monkeypatch.setenv("QET_GEO_ISOLATE", "1")
    lines = []

    class Feedback(_Recording().__class__):
        def pushInfo(self, text):
            lines.append(text)

    try:
        _run(
            DETECT,
            {"INPUT": respondents, "METHOD": 1, "K": 2, "BOOTSTRAP": 0,
             "OUTPUT_MODEL": str(tmp_path / "m.json"), "OUTPUT": str(tmp_path / "labelled.gpkg")},
            Feedback(),
        )  # fmt: skip
    finally:
        settings.setValue("locale/userLocale", before)
    assert "Détection des profils : k-moyennes…" in lines, lines


def test_a_profile_named_twice_is_refused_in_qgis_too(plugin, tmp_path):
    respondents = _respondents(tmp_path)
    with pytest.raises(QgsProcessingException, match="given twice"):
        _run(
            DETECT,
            {"INPUT": respondents, "METHOD": 1, "K": 2, "BOOTSTRAP": 0, "NAMES": "1=A;1=B",
             "OUTPUT_MODEL": str(tmp_path / "m.json"), "OUTPUT": str(tmp_path / "labelled.gpkg")},
        )  # fmt: skip
