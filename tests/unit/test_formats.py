"""Other input formats (XLSX, ODS, point layers) and the output files."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from unit_helpers import SU_HEADER, SURVEY_0, su_rows

from qet_geo.errors import InputError, OutputError
from qet_geo.io import write_table
from qet_geo.survey import import_survey, write_respondents


def _frame(n=4, **overrides):
    return pd.DataFrame(su_rows(n, **overrides), columns=SU_HEADER)


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_spreadsheets(tmp_path, suffix):
    frame = _frame(4, r2={6: "Charbon"})
    frame["Identifiant"] = frame["Identifiant"].astype(int)  # numbers in cells
    frame["code_iris"] = ["010040101", "010040101", "010040102", "010040102"]
    path = tmp_path / f"answers{suffix}"
    frame.to_excel(path, index=False, engine="odf" if suffix == ".ods" else "openpyxl")
    result = import_survey(path)
    assert (result.report.accepted, result.report.rejected) == (3, 1)
    problem = result.report.problems[0]
    assert (problem.row, problem.value) == (4, "Charbon")  # spreadsheet row numbers
    assert result.respondents["respondent_id"].tolist() == ["1", "2", "4"]  # not "1.0"
    assert result.respondents["area_code"].tolist()[0] == "010040101"


def test_corrupt_workbook(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError, match="broken.xlsx: not a readable XLSX workbook"):
        import_survey(path)


def test_spreadsheet_saved_as_csv_is_explained(tmp_path):
    path = tmp_path / "answers.csv"
    _frame(2).to_excel(tmp_path / "a.xlsx", index=False)
    path.write_bytes((tmp_path / "a.xlsx").read_bytes())
    with pytest.raises(InputError, match=r"zipped file \(XLSX or ODS spreadsheet\?\)"):
        import_survey(path)


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_point_layers(tmp_path, suffix):
    frame = _frame(3)
    layer = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy([651000, 651100, 651200], [6862000] * 3), crs=2154
    )
    layer.loc[2, "geometry"] = None
    path = tmp_path / f"points{suffix}"
    layer.to_file(path)
    result = import_survey(path)
    assert result.report.location == "geometry"
    assert result.respondents.crs.to_epsg() == 2154
    assert result.respondents.geometry.x.tolist() == [651000, 651100]
    assert result.report.problems[0].reason == "missing point"


def test_shapefile_with_a_custom_schema(tmp_path):
    schema = {
        "name": "shp",
        "questions": {
            "meat_frequency": {
                "required": True,
                "headers": ["viande"],
                "answers": {1: ["peu"], 2: ["souvent"]},
            }
        },
    }
    path_schema = tmp_path / "shp.json"
    path_schema.write_text(json.dumps(schema), encoding="utf-8")
    layer = gpd.GeoDataFrame(
        {"viande": ["peu", "souvent"]},
        geometry=gpd.points_from_xy([2.35, 2.36], [48.85, 48.86]),
        crs=4326,
    )
    layer.to_file(tmp_path / "homes.shp")
    result = import_survey(tmp_path / "homes.shp", schema=path_schema)
    assert result.respondents["meat_frequency"].tolist() == [1, 2]


def test_polygon_layer_is_refused(tmp_path):
    layer = gpd.GeoDataFrame(_frame(1), geometry=[shapely.box(0, 0, 1, 1)], crs=2154)
    layer.to_file(tmp_path / "areas.gpkg")
    with pytest.raises(
        InputError,
        match="areas.gpkg, column 'geometry': value 'Polygon': the layer does not hold points",
    ):
        import_survey(tmp_path / "areas.gpkg")


# --- outputs --------------------------------------------------------------------------------


def test_geopackage_output_opens_in_old_qgis(tmp_path):
    result = import_survey(SURVEY_0)
    path = write_respondents(result.respondents, tmp_path / "r.gpkg")
    with sqlite3.connect(path) as db:
        user_version = db.execute("PRAGMA user_version").fetchone()[0]
        application_id = db.execute("PRAGMA application_id").fetchone()[0]
    assert application_id == 0x47504B47  # "GPKG"
    assert user_version == 10200  # GeoPackage 1.2, read by QGIS 3.22 without warnings
    back = gpd.read_file(path, layer="respondents")
    assert len(back) == 313 and back["meat_frequency"].tolist()[:3] == [3, 2, 3]
    assert not list(tmp_path.glob(".r.*"))  # no temporary file left


def test_second_layer_keeps_the_first(tmp_path):
    result = import_survey(SURVEY_0)
    write_respondents(result.respondents, tmp_path / "r.gpkg")
    write_table(result.rejects, tmp_path / "r.gpkg", layer="rejects")
    import pyogrio

    assert sorted(name for name, _ in pyogrio.list_layers(tmp_path / "r.gpkg")) == [
        "rejects",
        "respondents",
    ]


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".gpkg"])
def test_located_respondents_round_trip(tmp_path, suffix):
    frame = _frame(3)
    frame["longitude"], frame["latitude"] = ["2.35", "2.36", "2.37"], ["48.85", "48.86", "48.87"]
    source = tmp_path / "in.csv"
    frame.to_csv(source, index=False, sep=";")
    first = import_survey(source)
    out = write_respondents(first.respondents, tmp_path / f"out{suffix}")
    if suffix == ".parquet":
        back = gpd.read_parquet(out)
        assert back.crs.to_epsg() == 4326 and back.geometry.x.tolist() == [2.35, 2.36, 2.37]
    elif suffix == ".csv":  # CSV gets longitude/latitude columns: it reads back the same
        again = pd.read_csv(out, dtype=str)
        assert again["longitude"].tolist() == ["2.35", "2.36", "2.37"]
    else:
        back = gpd.read_file(out)
        assert back.crs.to_epsg() == 4326 and len(back) == 3


def test_failed_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(OutputError, match="unknown output format '.xls'"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "r.xls")

    class Boom(pd.DataFrame):
        def to_csv(self, *args, **kwargs):
            raise OSError("disk full")

    with pytest.raises(OutputError, match="cannot write: disk full"):
        import qet_geo.io as io_module

        original = io_module._csv_frame
        io_module._csv_frame = lambda table: Boom(table)
        try:
            write_table(pd.DataFrame({"a": [1]}), path)
        finally:
            io_module._csv_frame = original
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


# --- command line ---------------------------------------------------------------------------


def _cli(*args, lang="en"):
    import os

    return subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QET_GEO_LANG": lang},
    )


def test_cli_check_json():
    run = _cli("survey", "check", SURVEY_0, "--json")
    assert run.returncode == 1  # one row would be rejected
    report = json.loads(run.stdout)
    assert (report["rows_read"], report["accepted"], report["rejected"]) == (314, 313, 1)
    assert report["problems"] == [
        {
            "file": str(SURVEY_0),
            "row": 82,
            "column": "Combien de fois prenez-vous l'avion par an ?",
            "value": "",
            "reason": "missing answer",
            "expected": "a number from 0 to 365 or one of '0', '1 à 3', 'Plus de 3'",
            "suggestion": None,
            "value_chars": None,
            "message": f'{SURVEY_0}, row 82, column "Combien de fois prenez-vous l\'avion par an ?": '
            "value '': missing answer; expected a number from 0 to 365 or one of '0', '1 à 3', "
            "'Plus de 3'",
        }
    ]


def test_cli_import_writes_respondents_and_rejects(tmp_path):
    run = _cli("survey", "import", SURVEY_0, "-o", tmp_path / "r.gpkg")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("313 respondents written to")
    assert len(gpd.read_file(tmp_path / "r.gpkg")) == 313
    rejects = gpd.read_file(tmp_path / "r_rejects.gpkg")
    assert rejects["reason"].tolist() == ["missing answer"]


def test_cli_bad_file_exit_2_with_the_message(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    run = _cli("survey", "import", empty, "-o", tmp_path / "r.gpkg")
    assert run.returncode == 2
    assert (
        run.stderr.strip()
        == f"qet-geo: error: {empty}: the file is empty; expected a header row and one row per respondent"
    )
    assert not (tmp_path / "r.gpkg").exists()


def test_cli_speaks_french(tmp_path):
    empty = tmp_path / "vide.csv"
    empty.write_text("", encoding="utf-8")
    run = _cli("survey", "import", empty, "-o", tmp_path / "r.gpkg", lang="fr_FR.UTF-8")
    assert run.stderr.strip() == (
        f"qet-geo: erreur: {empty}: le fichier est vide; attendu une "
        "ligne d'en-tête et une ligne par répondant"
    )
    run = _cli("survey", "import", SURVEY_0, "-o", tmp_path / "r.gpkg", lang="fr")
    assert run.stdout.splitlines()[:2] == [
        f"313 répondants écrits dans {tmp_path / 'r.gpkg'}; 1 lignes rejetées, voir "
        f"{tmp_path / 'r_rejects.gpkg'}",
        "       1  réponse manquante",
    ]


def test_multipoints_of_one_point_are_points(tmp_path):
    layer = gpd.GeoDataFrame(
        _frame(2),
        crs=2154,
        geometry=[
            shapely.MultiPoint([(651000, 6862000)]),
            shapely.MultiPoint([(651000, 6862000), (651500, 6862500)]),
        ],
    )
    layer.to_file(tmp_path / "multi.gpkg")
    result = import_survey(tmp_path / "multi.gpkg")
    assert result.respondents.geometry.geom_type.tolist() == ["Point"]
    assert result.report.problems[0].reason == "several points for one respondent"
