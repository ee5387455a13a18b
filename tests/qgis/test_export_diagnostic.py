"""``qetgeo:exportwebmap`` and ``qetgeo:exportposter`` with DIAGNOSTIC (issue 15), in a real
headless QGIS, held to ``qet-geo export webmap|poster --diagnostic`` (one wiring: the same
library calls): the same page but for folium's random ids, the same posters' text, the
diagnostic's poster beside the poster; a file that is not a diagnostic refused with the
library's message. The inputs are made by the command line from the sample (profiles
detect, areas map, diagnostic summarize), each in a process of its own."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from plugin_testing import ROOT
from qgis.core import QgsProcessingException

SAMPLE = ROOT / "sample_data"


def _cli(*args) -> None:
    done = subprocess.run([sys.executable, "-m", "qet_geo.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict:
    """The sample's model, area map and diagnostic; the command line's page and posters."""
    folder = tmp_path_factory.mktemp("inputs")
    model, areas, diag = folder / "profiles.json", folder / "areas.gpkg", folder / "diagnostic.gpkg"
    _cli("profiles", "detect", SAMPLE / "survey_su.tsv", "--bootstrap", 0, "-o", model,
         "--labelled", folder / "respondents.gpkg")  # fmt: skip
    _cli("areas", "map", "--respondents", folder / "respondents.gpkg", "--areas",
         SAMPLE / "quartier.gpkg", "--areas-layer", "iris", "--model", model, "--no-csv", "-o", areas)  # fmt: skip
    _cli("diagnostic", "summarize", "--su", SAMPLE / "survey_su.tsv", "--emdv", SAMPLE / "emdv_answers.json",
         "--ngc", SAMPLE / "ngc_answers.json", "--model", model, "--areas", areas, "-o", diag)  # fmt: skip
    cli = tmp_path_factory.mktemp("cli")
    _cli("export", "webmap", areas, "--diagnostic", diag, "-o", cli / "carte.html")
    _cli("export", "poster", areas, "--model", model, "--diagnostic", diag, "--no-png",
         "-o", cli / "affiche.pdf")  # fmt: skip
    return {"model": model, "areas": areas, "diagnostic": diag, "cli": cli}


def _run(algorithm, parameters):
    import processing

    return processing.run(algorithm, parameters)


def _unnamed(page: str) -> str:
    """The page but for folium's random ids and the areas' coordinates: QGIS reads a ring
    from another vertex than shapely does (the same polygon; :func:`_points`)."""
    page = re.sub(r'"coordinates":\[[^{}]*\]', '"coordinates":[]', page)
    return re.sub(r"_[0-9a-f]{32}\b", "_ID", page)


def _points(page: str) -> dict:
    """area id → the set of its outline's points, as the page embeds them."""
    data = json.loads(re.search(r"var data = (\{.*?\});\n", page).group(1))
    out = {}
    for feature in data["features"]:
        text = json.dumps(feature["geometry"]["coordinates"])
        points = re.findall(r"\[(-?[0-9.]+), (-?[0-9.]+)\]", text)
        out[feature["properties"]["id"]] = set(points)
    return out


def _pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def test_exportwebmap_with_the_diagnostic_writes_the_command_line_s_page(plugin, made, tmp_path):
    page = tmp_path / "carte.html"
    _run("qetgeo:exportwebmap", {"AREA_MAP": str(made["areas"]),
                                 "DIAGNOSTIC": str(made["diagnostic"]), "OUTPUT": str(page)})  # fmt: skip
    text = page.read_text(encoding="utf-8")
    assert "Envie de changer" in text and "estimation par profils" in text
    theirs = (made["cli"] / "carte.html").read_text(encoding="utf-8")
    assert _unnamed(text) == _unnamed(theirs)
    assert _points(text) == _points(theirs)
    assert all(len(points) > 3 for points in _points(text).values())


@pytest.mark.parametrize("isolate", ["0", "1"])  # "1": in the worker (qet_geo.worker poster)
def test_exportposter_with_the_diagnostic_writes_its_poster_beside(plugin, made, tmp_path,
                                                                   monkeypatch, isolate):  # fmt: skip
    monkeypatch.setenv("QET_GEO_ISOLATE", isolate)
    poster = tmp_path / "affiche.pdf"
    result = _run("qetgeo:exportposter", {"AREA_MAP": str(made["areas"]), "MODEL": str(made["model"]),
                                          "DIAGNOSTIC": str(made["diagnostic"]), "SIZE": "A3",
                                          "PNG": False, "OUTPUT": str(poster)})  # fmt: skip
    assert result["OUTPUT"] == str(poster)
    assert result["OUTPUT_DIAGNOSTIC"] == str(tmp_path / "affiche_diagnostic.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["affiche.pdf", "affiche_diagnostic.pdf"]
    text = _pdf_text(tmp_path / "affiche_diagnostic.pdf")
    for words in (
        "Satisfaction du cadre de vie",
        "Envie de changer",
        "Freins",
        "Empreinte carbone",
    ):
        assert words in text, words
    assert text == _pdf_text(made["cli"] / "affiche_diagnostic.pdf")
    assert _pdf_text(poster) == _pdf_text(made["cli"] / "affiche.pdf")


@pytest.mark.parametrize("isolate", ["0", "1"])
def test_exportposter_in_english_with_the_diagnostic(plugin, made, tmp_path, monkeypatch, isolate):
    monkeypatch.setenv("QET_GEO_ISOLATE", isolate)
    result = _run("qetgeo:exportposter", {"AREA_MAP": str(made["areas"]), "DIAGNOSTIC": str(made["diagnostic"]),
                                          "LANGUAGE": "en", "PNG": False, "OUTPUT": str(tmp_path / "poster.pdf")})  # fmt: skip
    text = _pdf_text(result["OUTPUT_DIAGNOSTIC"])
    assert "Willingness to change" in text and "Envie de changer" not in text
    assert "Usage profiles of the neighbourhood" in _pdf_text(result["OUTPUT"])


def test_exportposter_without_the_diagnostic_writes_one_poster(plugin, made, tmp_path):
    result = _run("qetgeo:exportposter", {"AREA_MAP": str(made["areas"]), "PNG": False,
                                          "OUTPUT": str(tmp_path / "affiche.pdf")})  # fmt: skip
    assert result["OUTPUT_DIAGNOSTIC"] is None
    assert [p.name for p in tmp_path.iterdir()] == ["affiche.pdf"]


@pytest.mark.parametrize(("algorithm", "message"), [
    ("exportwebmap", "'area_estimates': no such layer"),
    ("exportposter", "not a diagnostic GeoPackage"),
])  # fmt: skip
def test_an_area_map_as_the_diagnostic_is_refused(plugin, made, tmp_path, algorithm, message):
    output = tmp_path / ("carte.html" if algorithm == "exportwebmap" else "affiche.pdf")
    with pytest.raises(QgsProcessingException, match=re.escape(message)):
        _run(f"qetgeo:{algorithm}", {"AREA_MAP": str(made["areas"]), "DIAGNOSTIC": str(made["areas"]),
                                     "OUTPUT": str(output)})  # fmt: skip
    assert list(tmp_path.iterdir()) == []
