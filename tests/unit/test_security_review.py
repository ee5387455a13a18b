"""Hostile review of issue 11: inputs a careless or hostile user gives, refused with a
clear error naming the file (never a traceback)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from unit_helpers import cli_in_process

from qet_geo.errors import InputError
from qet_geo.footprint.situations import load_json_array
from qet_geo.limits import read_json
from qet_geo.profiles import ProfileModel

ROOT = Path(__file__).resolve().parents[2]
SURVEY = ROOT / "sample_data" / "survey_su.tsv"

#: JSON files no Python parser reads: nested far deeper than its recursion limit, and
#: bytes that are not UTF-8
BAD_JSON = {
    "deep.json": ("[" * 200_000 + "]" * 200_000).encode(),
    "binary.json": b"\xff\xfe[1, 2]",
}


@pytest.fixture(params=sorted(BAD_JSON))
def bad_json(request, tmp_path) -> Path:
    path = tmp_path / request.param
    path.write_bytes(BAD_JSON[request.param])
    return path


def test_read_json_refuses_deep_and_binary_files(bad_json):
    with pytest.raises(InputError) as caught:
        read_json(bad_json)
    assert bad_json.name in str(caught.value)
    assert "not valid JSON" in str(caught.value)


def test_model_and_situations_files_refused_clearly(bad_json):
    with pytest.raises(InputError, match="not valid JSON"):
        ProfileModel.load(bad_json)
    with pytest.raises(InputError, match="not valid JSON"):
        load_json_array(bad_json)


def _cli(*args, cwd) -> subprocess.CompletedProcess:
    """``qet-geo ARGS`` in this process (English, as the unit tests run): these commands are
    refused, or end, within seconds."""
    return cli_in_process(*args, cwd=cwd)


@pytest.mark.parametrize("command", ["weights", "model"])
def test_command_line_refuses_bad_json_without_traceback(bad_json, tmp_path, command):
    if command == "weights":
        args = ["profiles", "detect", SURVEY, "--bootstrap", "0", "--weights", bad_json]
        args += ["-o", tmp_path / "m.json"]
    else:
        args = ["profiles", "assign", SURVEY, "--model", bad_json, "-o", tmp_path / "a.csv"]
    result = _cli(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert bad_json.name in result.stderr and "not valid JSON" in result.stderr


def test_configuration_weights_file_refused_before_the_run(bad_json, tmp_path):
    config = tmp_path / "job.toml"
    config.write_text(
        f'[survey]\nfile = "{SURVEY.as_posix()}"\n[profiles]\nweights = "{bad_json.name}"\n',
        encoding="utf-8",
    )
    result = _cli("run", config, "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "weights" in result.stderr and "not valid JSON" in result.stderr
    assert not (tmp_path / "out" / "respondents.gpkg").exists()


def test_french_messages(bad_json):
    from qet_geo.i18n import set_language, tr

    with pytest.raises(InputError) as caught:
        read_json(bad_json)
    set_language("fr")
    try:
        text = tr(caught.value.problems[0].reason)
    finally:
        set_language("en")
    assert text.startswith("JSON invalide")


def test_configuration_nested_too_deeply_refused(tmp_path):
    config = tmp_path / "deep.toml"
    config.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    result = _cli("run", config, "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "deep.toml" in result.stderr and "not valid TOML" in result.stderr


SAMPLE = ROOT / "sample_data"


@pytest.fixture(scope="module")
def respondents_file(tmp_path_factory) -> Path:
    """The sample survey imported: a respondents GeoPackage as qet-geo writes it."""
    folder = tmp_path_factory.mktemp("respondents")
    result = _cli("survey", "import", SURVEY, "-o", folder / "respondents.gpkg", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "respondents.gpkg"


def _population_run(command, population, folder, *extra):
    areas = ["--areas", SAMPLE / "quartier.gpkg", "--areas-layer", "iris"]
    if command == "proximity":
        args = ["constraints", "proximity", *areas, "--service",
                f"marches={SAMPLE / 'quartier.gpkg'}:marches"]  # fmt: skip
    else:
        args = ["transit", "ptal", SAMPLE / "gtfs", *areas]
    args += ["--population", population, "--population-field", "weight", *extra]
    return _cli(*args, "-o", folder / "out.gpkg", cwd=folder)


@pytest.mark.parametrize("command", ["proximity", "ptal"])
def test_respondents_refused_as_population(respondents_file, tmp_path, command):
    """Weighted by the respondents, an area's population-weighted centroid is the home of
    its only respondent (a suppressed area), and its distances are published."""
    result = _population_run(command, respondents_file, tmp_path)
    assert result.returncode == 2, result.stderr
    assert "refused as a population layer" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("out*"))


def test_homes_without_fields_refused_as_population_with_respondents(respondents_file, tmp_path):
    import geopandas as gpd

    homes = gpd.read_file(respondents_file)[["weight", "geometry"]]
    homes.to_file(tmp_path / "homes.gpkg")
    result = _population_run(
        "proximity", tmp_path / "homes.gpkg", tmp_path, "--respondents", respondents_file
    )
    assert result.returncode == 2, result.stderr
    assert "refused as a population layer" in result.stderr
    assert "lie within 5 m of a respondent's home" in result.stderr


def _survey_layer(path: Path, declared: int) -> Path:
    """The sample survey as a GeoPackage point layer whose gpkg_ogr_contents declares
    ``declared`` features (GDAL believes it)."""
    import sqlite3
    from contextlib import closing

    import geopandas as gpd
    import pandas as pd

    table = pd.read_csv(SURVEY, sep="\t", dtype=str)
    homes = gpd.points_from_xy(table.pop("longitude").astype(float),
                               table.pop("latitude").astype(float))  # fmt: skip
    gpd.GeoDataFrame(table, geometry=homes, crs="EPSG:4326").to_file(path, layer="survey")
    with closing(sqlite3.connect(path)) as db:
        db.execute("UPDATE gpkg_ogr_contents SET feature_count = ?", (declared,))
        db.commit()
    return path


def test_geopackage_declaring_fewer_features_refused_not_truncated(tmp_path):
    """GDAL read 3 of the 600 answers, the 597 others lost without a word."""
    from qet_geo.survey import import_survey

    path = _survey_layer(tmp_path / "survey.gpkg", 3)
    with pytest.raises(InputError, match="says the layer has 3 features but it holds 600"):
        import_survey(path)


def test_geopackage_declared_count_cannot_bypass_the_row_limit(tmp_path, monkeypatch):
    """A declared count beyond 2**31 wrapped to a negative number: the row limit passed."""
    from qet_geo.survey import import_survey

    path = _survey_layer(tmp_path / "survey.gpkg", 10**12)
    monkeypatch.setenv("QET_GEO_MAX_ROWS", "100")
    with pytest.raises(InputError, match="QET_GEO_MAX_ROWS"):
        import_survey(path)


def _declare(path: Path, table: str, declared: int) -> Path:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as db:
        db.execute(
            "UPDATE gpkg_ogr_contents SET feature_count = ? WHERE table_name = ?",
            (declared, table),
        )
        db.commit()
    return path


def test_areas_and_respondents_layers_never_read_short(tmp_path, respondents_file):
    """The areas (4 of 12 read) and a respondents file (5 of 593): refused, not cut."""
    import shutil

    from qet_geo.areas import read_areas
    from qet_geo.geo import read_frame
    from qet_geo.survey.readers import read_respondents_file

    areas = _declare(shutil.copy(SAMPLE / "quartier.gpkg", tmp_path / "q.gpkg"), "iris", 4)
    with pytest.raises(InputError, match="has 4 features but it holds 12"):
        read_areas(areas, layer="iris")
    with pytest.raises(InputError, match="has 4 features but it holds 12"):
        read_frame(areas, "iris")
    homes = _declare(shutil.copy(respondents_file, tmp_path / "r.gpkg"), "respondents", 5)
    with pytest.raises(InputError, match="has 5 features but it holds 593"):
        read_respondents_file(homes)
