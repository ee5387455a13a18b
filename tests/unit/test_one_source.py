"""Each piece of step glue lives once, in the library, and the command line says what the
library gives: how a survey export is read from its parameters, which fields hold the
answers, where the rejected rows go, what a detection writes and says, what an assignment
says."""

from __future__ import annotations

import pandas as pd
import pytest
from unit_helpers import SU_HEADER, cli_in_process, su_rows, write_text

from qet_geo.errors import ParameterError
from qet_geo.i18n import set_language
from qet_geo.survey import answer_fields, import_with, rejects_path
from qet_geo.survey.importer import read_survey
from qet_geo.survey.params import SurveyParameters

SAMPLE = "sample_data/survey_su.tsv"


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language(None)


def test_a_sheet_written_in_digits_is_the_sheet_s_position(tmp_path):
    path = tmp_path / "answers.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as book:
        pd.DataFrame(su_rows(2), columns=SU_HEADER).to_excel(book, sheet_name="first", index=False)
        pd.DataFrame(su_rows(5), columns=SU_HEADER).to_excel(book, sheet_name="second", index=False)
    assert import_with(path, SurveyParameters(sheet="1")).report.accepted == 5
    assert import_with(path, SurveyParameters(sheet="first")).report.accepted == 2
    assert import_with(path).report.accepted == 2  # the first sheet by default


def test_a_crs_with_the_automatic_location_reads_x_y_columns(tmp_path):
    rows = [[*row, "651000", "6862000"] for row in su_rows(3)]
    path = write_text(tmp_path / "xy.csv", [*SU_HEADER, "X", "Y"], rows)
    read = import_with(path, SurveyParameters(crs="EPSG:2154", x="X", y="Y"))
    assert (read.report.location, read.report.crs) == ("xy", "EPSG:2154")
    same = read_survey(path, crs="EPSG:2154", x="X", y="Y")
    assert read.report.to_dict() == same.report.to_dict()
    unchecked = import_with(path, SurveyParameters(crs="EPSG:2154", x="X", y="Y",
                                                   extent_check=False))  # fmt: skip
    assert unchecked.report.accepted == 3


def test_the_fields_of_the_answers_are_chosen_or_named_like_the_variables(english):
    fields = ["meat", "air_travel_frequency", "heat_source"]
    assert answer_fields(fields, ["meat_frequency", "air_travel_frequency"],
                         {"meat_frequency": "meat"}) == {"meat_frequency": "meat",
                                                         "air_travel_frequency": "air_travel_frequency"}  # fmt: skip
    assert answer_fields(["a"], ["heat_source"], optional=["heat_source"]) == {}
    with pytest.raises(ParameterError) as error:
        answer_fields(["a", "b"], ["heat_source"], {"heat_source": "chauffage"},
                      optional=["heat_source"])  # fmt: skip
    assert str(error.value) == (
        "The layer has no field 'chauffage' (heat_source); its fields: a, b"
    )
    set_language("fr")
    with pytest.raises(ParameterError, match="La couche n'a pas de champ 'x' "):
        answer_fields(["a"], ["x"])


@pytest.mark.parametrize(
    ("output", "rejects"),
    [("r.gpkg", "r_rejects.gpkg"), ("r.parquet", "r_rejects.csv"), ("r.csv", "r_rejects.csv")],
)
def test_rejected_rows_go_beside_the_respondents(tmp_path, output, rejects):
    assert rejects_path(tmp_path / output) == tmp_path / rejects
    done = cli_in_process("--lang", "en", "survey", "import", SAMPLE, "-o", tmp_path / output)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / rejects).is_file()
    assert f"written to {tmp_path / output}" in done.stdout.splitlines()[0]


def test_detection_writes_the_files_asked_and_says_which(tmp_path, english):
    from qet_geo.profiles import detect, written_lines

    respondents = read_survey(SAMPLE).respondents
    result = detect(respondents, method="near")
    written = result.write(tmp_path / "m.json", table=tmp_path / "p.gpkg", language="en")
    private = tmp_path / "m.private.json"
    assert written == [tmp_path / "m.json", private, tmp_path / "p.gpkg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.private.json", "p.gpkg"]
    assert written_lines(written, private) == [
        f"written: {tmp_path / 'm.json'}",
        f"written (private, not for publication): {private}",
        f"written: {tmp_path / 'p.gpkg'}",
    ]
    lines = result.lines()
    assert lines[0] == f"{result.model.k_} profiles (near), 593 respondents"
    assert len([line for line in lines if " n=" in line]) == result.model.k_


def test_the_command_prints_what_the_library_says(tmp_path, english):
    from qet_geo.profiles import ProfileModel, assign_profiles, assignment_lines

    model_path = tmp_path / "m.json"
    detected = cli_in_process("profiles", "detect", SAMPLE, "--bootstrap", "0", "-o", model_path)
    assert detected.returncode == 0, detected.stderr
    done = cli_in_process("profiles", "assign", SAMPLE, "--model", model_path,
                          "-o", tmp_path / "a.csv")  # fmt: skip
    assert done.returncode == 0, done.stderr
    model = ProfileModel.load(model_path)
    labelled = assign_profiles(read_survey(SAMPLE).respondents, model)
    assert done.stdout.splitlines()[:-1] == assignment_lines(model, labelled)


def test_a_bad_neighbourhood_is_an_input_error(tmp_path):
    done = cli_in_process("--lang", "en", "areas", "map", "--respondents", SAMPLE, "--areas",
                          "sample_data/quartier.gpkg", "--areas-layer", "iris",
                          "--neighbourhoods", "Centre", "-o", tmp_path / "q.gpkg")  # fmt: skip
    assert done.returncode == 2
    assert "neighbourhood 'Centre': expected NAME=code,code,…" in done.stderr
    assert "unexpected" not in done.stderr
