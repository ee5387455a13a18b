"""The steps' summaries are typed records (``AreaSummary``, ``TransitSummary``,
``ComparisonSummary``, ``ProximitySummary``, the run's ``RunFigures``) whose dictionaries
are those the outputs held before: the sample job's ``study_summary`` and ``ptal_summary``
tables are those the code of dict summaries wrote (``tests/unit/data/sample_summaries.json``,
written by main at 08cbf91); ``study_summary`` read back is the summary written; a file of an
older version, with fewer keys, still reads; the web map and the poster read it alike."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from unit_helpers import ROOT

from qet_geo.areas.indicators import AreaMap, AreaSummary
from qet_geo.areas.output import read_area_map, summary_table
from qet_geo.cli import main
from qet_geo.constraints.compare import ComparisonSummary
from qet_geo.constraints.proximity import ProximitySummary
from qet_geo.errors import InputError
from qet_geo.export.webmap import build_webmap, read_inputs
from qet_geo.pipeline import RunFigures
from qet_geo.threshold import DEFAULT_MIN_CELL
from qet_geo.transit.access import TransitSummary

EXPECTED = json.loads(
    (ROOT / "tests" / "unit" / "data" / "sample_summaries.json").read_text("utf-8")
)


def _table(path: Path, layer: str, key: str) -> list[list[str]]:
    with sqlite3.connect(path) as db:
        return [list(row) for row in db.execute(f"SELECT {key}, value FROM {layer} ORDER BY fid")]


def test_the_sample_job_writes_the_summary_tables_it_wrote_before(sample_job):
    out, _, _ = sample_job
    assert _table(out / "areas.gpkg", "study_summary", "indicator") == EXPECTED["study_summary"]
    assert _table(out / "ptal.gpkg", "ptal_summary", "key") == EXPECTED["ptal_summary"]


def test_study_summary_read_back_is_the_summary_written(sample_job):
    out, _, _ = sample_job
    table = pd.DataFrame(EXPECTED["study_summary"], columns=["indicator", "value"])
    summary = AreaSummary.from_table(table)
    # typed: numbers, booleans, mappings and text as the step made them
    assert summary.min_cell == 11 and summary.n == 593 and summary.n_eff == 537.95
    assert summary.below_3_override is False and summary.raking["converged"] is True
    assert summary.census_year == "2021" and summary.reprojected == "EPSG:4326 → EPSG:2154"
    assert summary.study_fp["total"] == 4513.4 and summary.target_n_5pct == 377
    # written again: the same table, key for key and text for text
    assert summary_table(summary).equals(table)
    # the summary as the command line's --json gives it: the keys in the table's order
    assert list(summary.to_dict()) == list(table["indicator"])
    # the web map and the poster read the file through this one decoding
    _, _, read = read_area_map(out / "areas.gpkg")
    assert read == summary
    assert read_inputs(out / "areas.gpkg").summary == summary


def _area_map(weights: str, census: bool) -> AreaMap:
    import qet_geo as qg

    sample = ROOT / "sample_data"
    respondents = qg.add_footprints(qg.read_survey(sample / "survey_su.tsv").respondents)
    model = qg.ProfileModel("near", random_state=0).fit(respondents)
    areas = qg.read_areas(sample / "quartier.gpkg", layer="iris")
    census = qg.read_census(sample / "base-ic-evol-struct-pop-quartier.csv") if census else None
    return qg.map_areas(respondents, areas, model=model, census=census, weights=weights)


@pytest.mark.parametrize(("weights", "census"), [("raking", True), ("none", False)])
def test_summary_table_round_trips(weights, census):
    amap = _area_map(weights, census)
    table = summary_table(amap)
    assert AreaSummary.from_table(table) == amap.summary
    # the object and its file give the web map and the poster the same summary
    assert read_area_map(amap)[2] == AreaSummary.from_table(table)
    keys = list(amap.summary.to_dict())
    assert ("census_year" in keys) is census and ("raking" in keys)  # raking: None without
    assert keys == list(table["indicator"])


def _older(tmp_path: Path, sample_job, missing=(), values=None) -> Path:
    """The sample's areas.gpkg as an older version (or a hand) wrote it: rows left out,
    values changed."""
    out, _, _ = sample_job
    path = tmp_path / "areas.gpkg"
    shutil.copy(out / "areas.gpkg", path)
    with sqlite3.connect(path) as db:
        for key in missing:
            db.execute("DELETE FROM study_summary WHERE indicator = ?", (key,))
        for key, value in (values or {}).items():
            db.execute("UPDATE study_summary SET value = ? WHERE indicator = ?", (value, key))
    return path


def test_an_older_study_summary_with_keys_missing_still_reads(tmp_path, sample_job):
    path = _older(tmp_path, sample_job,
                  missing=("min_cell", "below_3_override", "cells_suppressed", "ngc_average"))  # fmt: skip
    _, _, summary = read_area_map(path)
    # each missing key takes its documented default
    assert summary.min_cell == DEFAULT_MIN_CELL and summary.below_3_override is False
    assert summary.cells_suppressed == 0 and summary.ngc_average is None
    assert summary.n == 593 and summary.census_year == "2021"  # the others as written
    assert _threshold_said(tmp_path, path) == f"seuil : {DEFAULT_MIN_CELL} réponses"


def _threshold_said(tmp_path: Path, path: Path) -> str:
    """The threshold the web map and the poster of ``path`` say (the same, or a failure)."""
    import re
    import subprocess

    html = build_webmap(read_inputs(path))
    assert "INSEE RP 2021" in html
    pdf = tmp_path / "affiche.pdf"
    assert main(["export", "poster", str(path), "--no-png", "-o", str(pdf)]) == 0
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True)
    said = re.findall(r"seuil : \d+ réponses", html + text.stdout.replace("\n", " "))
    assert len(set(said)) == 1 and len(said) >= 2, said
    return said[0]


def test_the_web_map_and_the_poster_say_the_threshold_of_the_file(tmp_path, sample_job):
    path = _older(tmp_path, sample_job, values={"min_cell": "15"})
    assert _threshold_said(tmp_path, path) == "seuil : 15 réponses"


def test_an_empty_value_takes_the_default_and_a_wrong_one_is_refused(tmp_path, sample_job, capsys):
    _, _, summary = read_area_map(_older(tmp_path, sample_job, values={"min_cell": ""}))
    assert summary.min_cell == DEFAULT_MIN_CELL
    path = _older(tmp_path, sample_job, values={"min_cell": "onze"})
    with pytest.raises(InputError) as caught:
        read_area_map(path)
    message = str(caught.value)
    assert str(path) in message and "'min_cell'" in message and "'onze'" in message
    assert "a whole number" in message
    assert main(["export", "webmap", str(path), "-o", str(tmp_path / "carte.html")]) == 2
    err = capsys.readouterr().err
    assert "'onze'" in err and "Traceback" not in err
    assert not (tmp_path / "carte.html").exists()


def test_ptal_summary_reads_back_its_keys():
    table = pd.DataFrame(EXPECTED["ptal_summary"], columns=["key", "value"])
    summary = TransitSummary.from_table(table, key="key")
    assert summary.grid_spacing_m == 100.0 and summary.grid_points == 746
    assert summary.reprojected_because is None and summary.routes_by_mode == {"bus": 2, "tram": 1}
    assert summary.parameters["window"] == ["08:15", "09:15"]
    assert summary.departures_in_window == 0  # not in the table: the default


def test_the_summaries_keys_are_those_of_the_outputs_in_their_order():
    """The keys of each step's --json output as the dict summaries gave them."""
    keys = {
        TransitSummary: ["feed", "feeds", "service_date", "date_chosen", "parameters",
                         "grid_spacing_m", "grid_points", "access_points", "routes",
                         "routes_by_mode", "routes_left_out", "input_crs", "distance_crs",
                         "reprojected_because", "departures_in_window", "areas", "walking",
                         "population_weighted", "access_points_merged", "partitions",
                         "partitioning", "engine"],
        ComparisonSummary: ["respondents", "with_access", "compared", "cramers_v_profiles_ptal",
                            "cramers_v_95", "spearman_mobility_ai", "spearman_95", "bootstrap",
                            "min_cell", "below_3_override", "bivariate_profile",
                            "bivariate_profile_name"],
        ProximitySummary: ["services", "grid_spacing_m", "radius_m", "within_m", "detour",
                           "input_crs", "distance_crs", "reprojected_because"],
    }  # fmt: skip
    for kind, expected in keys.items():
        assert list(kind().to_dict()) == expected, kind.__name__
        assert dataclasses.is_dataclass(kind) and kind.__dataclass_params__.frozen
    summary = ComparisonSummary(compared=3, cramers_v_95=[0.1, 0.2])
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.compared = 4  # type: ignore[misc]
    copy = summary.to_dict()
    copy["cramers_v_95"].append(0.3)  # a copy: the summary is unchanged
    assert summary.cramers_v_95 == [0.1, 0.2]
    assert ComparisonSummary.from_dict(copy).cramers_v_95 == [0.1, 0.2, 0.3]


def test_run_figures_give_the_steps_that_ran():
    figures = EXPECTED["run_figures"]
    ran = (RunFigures()
           .of_step("survey", rows_read=600, accepted=593, rejected=7)
           .of_step("footprints", mean_footprint_kg=4511.0)
           .of_step("profiles", profiles=3)
           .of_step("areas", areas=12, areas_suppressed=2, mapped=593)
           .of_step("compare", cramers_v=0.2602, spearman=-0.363))  # fmt: skip
    assert json.dumps(ran.to_dict()) == json.dumps(figures)
    assert RunFigures.from_dict(figures) == ran
    # a run without the comparison: no V nor ρ; a V that is undefined is said so
    assert "cramers_v" not in RunFigures().of_step("profiles", profiles=3).to_dict()
    assert RunFigures().of_step("compare").to_dict() == {"cramers_v": None, "spearman": None}
