"""The language of the forum outputs written by the Processing algorithms, in a real
headless QGIS (issue 12): the profile report of ``qetgeo:detectprofiles`` and the poster of
``qetgeo:exportposter`` are French by default, whatever the language of QGIS (English
here), and English with ``LANGUAGE`` = 1."""

from __future__ import annotations

import re
import subprocess
from html import unescape

from plugin_testing import ROOT, SAMPLE_SURVEY, SURVEY_0

SAMPLE = ROOT / "sample_data"


def _run(algorithm: str, parameters: dict) -> dict:
    import processing

    return processing.run(algorithm, parameters)


def _headings(path) -> list[str]:
    page = path.read_text(encoding="utf-8")
    return [unescape(h) for h in re.findall(r"<h[12]>(.*?)</h[12]>", page)]


def test_the_report_of_detectprofiles_is_french_unless_english_is_asked(plugin, tmp_path):
    respondents = str(tmp_path / "respondents.gpkg")
    _run("qetgeo:importsurvey", {"INPUT": str(SURVEY_0), "OUTPUT": respondents})
    for language, name in ((None, "default"), (1, "en"), (0, "fr")):
        parameters = {"INPUT": respondents, "BOOTSTRAP": 0, "OUTPUT_MODEL": str(tmp_path / f"{name}.json"),
                      "OUTPUT": str(tmp_path / f"{name}.gpkg"), "OUTPUT_REPORT": str(tmp_path / f"{name}.html")}  # fmt: skip
        if language is not None:
            parameters["LANGUAGE"] = language
        _run("qetgeo:detectprofiles", parameters)
    french = _headings(tmp_path / "default.html")
    assert french[0] == "Profils d'usages — near" and "Réponses et indices" in french
    assert "Dendrogramme" in french and "Usage profiles — near" not in french
    assert _headings(tmp_path / "fr.html") == french
    english = _headings(tmp_path / "en.html")
    assert english[0] == "Usage profiles — near" and "Answers and index scores" in english
    assert "Dendrogram" in english and "Réponses et indices" not in english


def test_the_poster_of_exportposter_is_french_unless_english_is_asked(plugin, tmp_path):
    respondents = str(tmp_path / "respondents.gpkg")
    _run("qetgeo:importsurvey", {"INPUT": str(SAMPLE_SURVEY), "OUTPUT": respondents})
    model = tmp_path / "model.json"
    labelled = str(tmp_path / "labelled.gpkg")
    _run("qetgeo:detectprofiles", {"INPUT": respondents, "BOOTSTRAP": 0, "OUTPUT_MODEL": str(model),
                                   "OUTPUT": labelled})  # fmt: skip
    areas = tmp_path / "areas.gpkg"
    _run("qetgeo:mapprofiles", {"INPUT": labelled, "AREAS": f"{SAMPLE / 'quartier.gpkg'}|layername=iris",
                                "MODEL": str(tmp_path / "model.private.json"), "OUTPUT": str(areas)})  # fmt: skip
    texts = {}
    for language, name in ((None, "default"), (1, "en")):
        parameters = {"AREA_MAP": str(areas), "MODEL": str(model), "PNG": False,
                      "OUTPUT": str(tmp_path / f"{name}.pdf")}  # fmt: skip
        if language is not None:
            parameters["LANGUAGE"] = language
        _run("qetgeo:exportposter", parameters)
        pdf = subprocess.run(["pdftotext", str(tmp_path / f"{name}.pdf"), "-"], capture_output=True, text=True, check=True).stdout  # fmt: skip
        texts[name] = " ".join(pdf.split())
    for word in ("Sphères d'Usages du quartier", "Les profils", "Empreinte par usage"):
        assert word in texts["default"] and word not in texts["en"], word
    for word in ("Usage profiles of the neighbourhood", "The profiles", "Footprint per usage"):
        assert word in texts["en"] and word not in texts["default"], word
