"""What a hostile review of issue 13 found, each checked as a user meets it: a missing
GeoPackage for the QGIS project, an area map asked as CSV, a model file whose weights were
edited away (clear errors, exit 2, in French); an Areas round trip through a GeoDataFrame;
a service day given as text; "or" and an undefined statistic said in French."""

from __future__ import annotations

import json
import shutil

import pytest
from unit_helpers import ROOT

import qet_geo as qg
from qet_geo.cli import main
from qet_geo.i18n import either, set_language, translate

SAMPLE = ROOT / "sample_data"


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    work = tmp_path_factory.mktemp("review")
    shutil.copytree(SAMPLE, work / "s")
    assert (
        main(["--lang", "en", "run", str(work / "s" / "qet-geo.toml"), "-o", str(work / "out")])
        == 0
    )
    return work


def _error(capsys, argv) -> str:
    assert main(["--lang", "fr", *map(str, argv)]) == 2
    return capsys.readouterr().err


def test_a_missing_geopackage_of_the_project_is_an_input_error(job, capsys):
    err = _error(capsys, ["export", "project", "--areas", job / "absent.gpkg", "-o", job / "p.qgz"])
    assert "absent.gpkg: fichier introuvable; attendu un GeoPackage" in err, err
    assert "inattendue" not in err


def test_an_area_map_asked_as_csv_is_refused_before_any_work(job, capsys):
    err = _error(capsys, ["areas", "map", "--respondents", job / "out" / "respondents.gpkg",
                          "--areas", job / "s" / "quartier.gpkg", "--areas-layer", "iris",
                          "-o", job / "c" / "am.csv"])  # fmt: skip
    assert "format de sortie inconnu '.csv' ; formats possibles : .gpkg" in err, err
    assert not (job / "c").exists()


def test_a_model_whose_weights_were_edited_away_is_refused_at_load(job, capsys):
    data = json.loads((job / "out" / "profiles.json").read_text(encoding="utf-8"))
    data["weight_table"] = {}
    bad = job / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    err = _error(capsys, ["profiles", "assign", "--model", bad, job / "out" / "respondents.gpkg",
                          "-o", job / "lab.gpkg"])  # fmt: skip
    assert "weight_table.meat_frequency" in err and "modèle de profils illisible" in err, err
    assert "KeyError" not in err and not (job / "lab.gpkg").exists()


def test_areas_come_back_from_their_geodataframe_and_a_date_may_be_text(job):
    areas = qg.read_areas(job / "s" / "quartier.gpkg", layer="iris")
    model = qg.read_model(job / "out" / "profiles.json")
    labelled = qg.assign_profiles(qg.read_survey(job / "s" / "survey_su.tsv").respondents, model)
    direct = qg.map_areas(labelled, areas, model=model)
    again = qg.map_areas(labelled, areas.to_geodataframe(), model=model)
    assert again.indicators["area_id"].tolist() == direct.indicators["area_id"].tolist()
    assert again.indicators["area_name"].tolist() == direct.indicators["area_name"].tolist()
    feed = qg.read_gtfs(job / "s" / "gtfs")
    access = qg.transit_access(feed, areas, date="2026-03-10")
    assert str(access.summary.service_date) == "2026-03-10"
    with pytest.raises(qg.QetGeoError, match="date '2026-02-30': not a date"):
        qg.transit_access(feed, areas, date="2026-02-30")


def test_alternatives_and_undefined_figures_are_said_in_french():
    assert translate("fr", either(["'a'", "'b'"])) == "'a' ou 'b'"
    assert either(["1", "2", "3"]) == "1, 2 or 3" and either(["x"]) == "x"
    set_language("fr")
    try:
        from qet_geo.constraints.compare import Comparison, ComparisonSummary

        summary = ComparisonSummary.from_dict({"cramers_v_profiles_ptal": None,
                                               "spearman_mobility_ai": None})  # fmt: skip
        comparison = Comparison(*([None] * 3), summary, "EPSG:2154")
        line = comparison.lines()[0]
    finally:
        set_language(None)
    assert "None" not in line and line.count("non calculable") == 2, line


def test_proximity_refuses_a_threshold_under_3_without_its_override(job, capsys):
    """Counts of people under 3 respondents only with --allow-below-3, as for the area map
    (the command used to accept --min-cell 2 without a word)."""
    argv = ["constraints", "proximity", "--areas", job / "s" / "quartier.gpkg", "--areas-layer",
            "iris", "--service", f"m={job / 's' / 'quartier.gpkg'}:marches", "--people", "m",
            "--min-cell", "2", "-o", job / "prox.gpkg"]  # fmt: skip
    err = _error(capsys, argv)
    assert "--allow-below-3" in err and not (job / "prox.gpkg").exists(), err
    assert main(["--lang", "fr", *map(str, argv), "--allow-below-3"]) == 0
    areas = qg.read_areas(job / "s" / "quartier.gpkg", layer="iris")
    with pytest.raises(ValueError, match="allow_below_3=True"):
        qg.proximity(areas, {"m": f"{job / 's' / 'quartier.gpkg'}:marches"}, min_cell=2)


def test_wrong_choices_of_the_library_are_said_in_french(job):
    set_language("fr")
    try:
        with pytest.raises(ValueError, match="méthode inconnue 'zz'"):
            qg.ProfileModel(method="zz").fit(
                qg.read_survey(job / "s" / "survey_su.tsv").respondents
            )
        areas = qg.read_areas(job / "s" / "quartier.gpkg", layer="iris")
        model = qg.read_model(job / "out" / "profiles.json")
        labelled = qg.assign_profiles(
            qg.read_survey(job / "s" / "survey_su.tsv").respondents, model
        )
        with pytest.raises(ValueError, match="les poids sont l'un de"):
            qg.map_areas(labelled, areas, model=model, weights="zz")
        amap = qg.map_areas(labelled, areas, model=model)
        with pytest.raises(ValueError, match="format d'affiche 'A4'"):
            qg.poster(amap, model, job / "a.pdf", size="A4")
    finally:
        set_language(None)
