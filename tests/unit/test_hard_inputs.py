"""Exports that broke earlier versions (a review's adversarial corpus), each kept as a test."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from unit_helpers import SU_HEADER, SURVEY_0, cli_in_process, su_rows, write_text

from qet_geo.errors import InputError
from qet_geo.io import write_table
from qet_geo.survey import Location, import_survey

COMMENT_HEADER = [*SU_HEADER, "Commentaire"]


def _with_comments(tmp_path, comments: dict[int, str], n=20, name="c.tsv"):
    rows = [[*row, comments.get(i, "")] for i, row in enumerate(su_rows(n))]
    return write_text(tmp_path / name, COMMENT_HEADER, rows, delimiter="\t")


def _balanced(report):
    assert report.rows_read == report.accepted + report.rejected


def test_a_stray_quote_never_swallows_rows_silently(tmp_path):
    result = import_survey(_with_comments(tmp_path, {3: '"Trop de voitures'}))
    report = result.report
    _balanced(report)
    # the row of the quote alone is rejected; the rows after it are read on their own
    assert report.accepted == 19 and report.rejected == 1
    (problem,) = report.problems
    assert problem.row == 5 and "quote opened on this row is not closed on it" in problem.reason
    assert result.rejects["raw_line"].iloc[0].startswith("4\t")


def test_two_quotes_in_two_comments(tmp_path):
    path = _with_comments(tmp_path, {3: '"Trop de voitures', 4: 'Le "marché" du dimanche'}, n=10)
    result = import_survey(path)
    report = result.report
    _balanced(report)
    assert {p.row for p in report.problems} == {5}
    assert report.accepted == 9  # a quote inside a value is a character: row 6 is kept
    assert result.respondents["source_row"].tolist() == [2, 3, 4, 6, 7, 8, 9, 10, 11]


def test_a_real_line_break_in_a_quoted_comment_is_kept(tmp_path):
    path = _with_comments(tmp_path, {2: '"Trop de voitures,\nmais de beaux arbres"'}, n=5)
    result = import_survey(path)
    assert result.report.accepted == 5 and result.report.problems == []
    assert result.respondents["source_row"].tolist() == [2, 3, 4, 6, 7]


def test_very_long_comment(tmp_path):
    result = import_survey(_with_comments(tmp_path, {1: "x" * 200_000}, n=3))
    assert result.report.accepted == 3


def test_short_row_with_a_quoted_line_break_is_a_malformed_row(tmp_path):
    path = _with_comments(tmp_path, {}, n=3)
    with path.open("a", encoding="utf-8") as out:
        out.write('17\tTous les repas ou presque\t"commentaire\nsur deux lignes"\n')
    report = import_survey(path).report
    _balanced(report)
    assert report.rejected == 1 and report.problems[0].row == 5
    assert "the row has 3 field(s) but the header has 8" in report.problems[0].reason


def test_rows_of_spaces_are_skipped_by_both_parsers(tmp_path):
    for extra in ("", '"a\nb"'):  # the second forces the csv-module parser
        path = _with_comments(tmp_path, {0: extra}, n=3, name=f"s{bool(extra)}.tsv")
        text = path.read_text(encoding="utf-8")
        path.write_text(text + " \t \t \t \t \t \t \t \n", encoding="utf-8")
        report = import_survey(path).report
        assert (report.rows_read, report.rejected) == (3, 0), extra


def test_trailing_empty_header_cells(tmp_path):
    path = write_text(tmp_path / "t.tsv", [*SU_HEADER, "", ""], su_rows(3), delimiter="\t")
    assert import_survey(path).report.accepted == 3


def test_repeated_headers_get_distinct_names(tmp_path):
    header = [*SU_HEADER, "Note", "Note", "Note (2)"]
    rows = [[*r, "a", "b", "c"] for r in su_rows(2)]
    report = import_survey(write_text(tmp_path / "n.csv", header, rows)).report
    assert report.unknown_columns == ["Note", "Note (2)", "Note (2) (2)"]  # none lost


def test_two_columns_for_one_question_is_an_error(tmp_path):
    header = [*SU_HEADER, SU_HEADER[1]]
    rows = [[*r, "Quelques repas"] for r in su_rows(2)]
    with pytest.raises(InputError, match="several columns for question 'meat_frequency'"):
        import_survey(write_text(tmp_path / "d.csv", header, rows))


def test_a_longer_question_is_not_taken_for_a_shorter_one(tmp_path):
    header = [*SU_HEADER, "Quelle est votre situation familiale ?"]
    rows = [[*r, "En couple"] for r in su_rows(2)]
    report = import_survey(write_text(tmp_path / "f.csv", header, rows)).report
    assert report.accepted == 2
    assert report.unknown_columns == ["Quelle est votre situation familiale ?"]


def test_title_line_above_the_header(tmp_path):
    path = tmp_path / "title.csv"
    path.write_text(
        "Export NEAR du 12/03/2026\n" + ";".join(SU_HEADER) + "\n" + ";".join(su_rows(1)[0]) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(
        InputError,
        match=r"title.csv, row 1: .*the first row has 1 column\(s\) "
        r"but the rows below have 7: a title above the header",
    ):
        import_survey(path)


def test_missing_column_names_the_header_row(tmp_path):
    path = tmp_path / "late.csv"
    path.write_text(
        "\n\n" + ";".join(SU_HEADER[:-1]) + "\n" + ";".join(su_rows(1)[0][:-1]), encoding="utf-8"
    )
    with pytest.raises(InputError) as error:
        import_survey(path)
    assert error.value.problems[0].row == 3


def test_input_columns_named_like_the_rejects_columns(tmp_path):
    header = [*SU_HEADER, "source_row", "reason"]
    rows = [[*r, "12", "corrigé"] for r in su_rows(3, r1={6: "Charbon"})]
    result = import_survey(write_text(tmp_path / "again.csv", header, rows))
    assert list(result.rejects.columns[:2]) == ["source_row", "reason"]
    assert result.rejects.loc[0, "reason (input)"] == "corrigé"


def test_field_names_gdal_refuses_are_renamed(tmp_path):
    header = [*SU_HEADER, "fid", "Note", "note"]
    rows = [[*r, "1", "a", "b"] for r in su_rows(2, r0={6: "Charbon"})]
    result = import_survey(write_text(tmp_path / "fid.csv", header, rows))
    write_table(result.rejects, tmp_path / "r.gpkg", layer="rejects")
    back = gpd.read_file(tmp_path / "r.gpkg")
    assert {"fid_source", "Note", "note (2)"} <= set(back.columns)


def test_empty_point_is_a_missing_point(tmp_path):
    frame = pd.DataFrame(su_rows(2), columns=SU_HEADER)
    layer = gpd.GeoDataFrame(
        frame, geometry=[shapely.Point(651000, 6862000), shapely.Point()], crs=2154
    )
    layer.to_file(tmp_path / "e.gpkg")
    result = import_survey(tmp_path / "e.gpkg")
    assert result.report.accepted == 1
    assert result.report.problems[0].reason == "missing point"


def test_layer_choice(tmp_path):
    frame = pd.DataFrame(su_rows(2), columns=SU_HEADER)
    path = tmp_path / "multi.gpkg"
    gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy([651000] * 2, [6862000] * 2), crs=2154
    ).to_file(path, layer="homes")
    gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.box(0, 0, 1, 1)], crs=2154).to_file(
        path, layer="iris"
    )
    assert import_survey(path).report.file == f"{path} [homes]"  # the only point layer
    gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy([651000] * 2, [6862000] * 2), crs=2154
    ).to_file(path, layer="homes_2025")
    with pytest.raises(
        InputError,
        match="the file has several layers; expected the layer to "
        "read .*'homes', 'iris', 'homes_2025'",
    ):
        import_survey(path)
    assert import_survey(path, layer="homes_2025").report.accepted == 2


def test_sheet_named_like_a_number(tmp_path):
    path = tmp_path / "w.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"notes": ["lisez-moi"]}).to_excel(writer, sheet_name="Notes", index=False)
        pd.DataFrame(su_rows(3), columns=SU_HEADER).to_excel(writer, sheet_name="2024", index=False)
    assert import_survey(path, sheet="2024").report.accepted == 3
    with pytest.raises(
        InputError, match=r"value 'x': no such sheet; expected one of 'Notes', '2024'"
    ):
        import_survey(path, sheet="x")


def test_xy_in_a_geographic_crs_is_range_checked(tmp_path):
    header = [*SU_HEADER, "x", "y"]
    rows = [r + c for r, c in zip(su_rows(2), [["2.35", "48.85"], ["-400", "200"]], strict=True)]
    path = write_text(tmp_path / "xy.csv", header, rows)
    result = import_survey(path, location=Location(kind="xy", crs="EPSG:4326"), extent=None)
    assert result.report.accepted == 1
    assert result.report.problems[0].reason == "coordinates outside the valid range of EPSG:4326"


def test_area_code_is_kept_beside_points(tmp_path):
    header = [*SU_HEADER, "longitude", "latitude", "code_iris"]
    rows = [[*r, "2.35", "48.85", "751010101"] for r in su_rows(2)]
    result = import_survey(write_text(tmp_path / "a.csv", header, rows))
    assert result.report.location == "lonlat"
    assert result.respondents["area_code"].tolist() == ["751010101"] * 2


@pytest.mark.parametrize(
    ("flights", "code"),
    [("1 000", None), ("1 0", None), ("1_0", None), ("1e3", None), ("1e1", 3), ("365", 3)],
)
def test_numbers_as_written(tmp_path, flights, code):
    rows = su_rows(1, r0={5: flights})
    result = import_survey(write_text(tmp_path / "n.csv", SU_HEADER, rows))
    assert result.respondents["air_travel_frequency"].tolist() == ([code] if code else [])


def test_strict_reports_the_first_problem_of_the_file(tmp_path):
    rows = su_rows(5, r3={6: "Charbon"}, r1={1: "Jamais"})
    path = write_text(tmp_path / "s.csv", SU_HEADER, rows)
    with open(path, "a", encoding="utf-8") as out:
        out.write("99;Quelques repas\n")
    with pytest.raises(InputError) as error:
        import_survey(path, strict=True)
    assert [p.row for p in error.value.problems] == [3, 5, 7]


def _cli(*args):
    """``qet-geo ARGS`` in this process (English, as the unit tests run)."""
    return cli_in_process(*args)


def test_cli_never_writes_over_the_input(tmp_path):
    source = tmp_path / "answers.csv"
    source.write_bytes(SURVEY_0.read_bytes())
    run = _cli("survey", "import", source, "-o", source)
    assert run.returncode == 2 and "is an input of this command" in run.stderr
    assert source.read_bytes() == SURVEY_0.read_bytes()
    run = _cli(
        "survey", "import", source, "-o", tmp_path / "a.csv", "--rejects", tmp_path / "a.csv"
    )
    assert run.returncode == 2 and "are the same file" in run.stderr
    run = _cli(
        "survey", "import", source, "-o", tmp_path / "a.gpkg", "--rejects", tmp_path / "a.gpkg"
    )
    assert run.returncode == 0, run.stderr
    assert len(gpd.read_file(tmp_path / "a.gpkg", layer="respondents")) == 313
    assert len(gpd.read_file(tmp_path / "a.gpkg", layer="rejects")) == 1


def test_cli_replaces_an_old_rejects_file(tmp_path):
    assert _cli("survey", "import", SURVEY_0, "-o", tmp_path / "z.csv").returncode == 0
    assert len(pd.read_csv(tmp_path / "z_rejects.csv")) == 1
    clean = write_text(tmp_path / "clean.csv", SU_HEADER, su_rows(2))
    assert _cli("survey", "import", clean, "-o", tmp_path / "z.csv").returncode == 0
    assert len(pd.read_csv(tmp_path / "z_rejects.csv")) == 0


def test_cli_json_on_error(tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_text("", encoding="utf-8")
    run = _cli("survey", "check", empty, "--json")
    assert run.returncode == 2
    answer = json.loads(run.stdout)
    assert answer["problems"][0]["reason"] == "the file is empty"
    assert answer["error"].startswith(str(empty))


def test_answers_of_spaces_only_are_missing(tmp_path):
    rows = su_rows(2, r0={1: "   "})
    report = import_survey(write_text(tmp_path / "sp.csv", SU_HEADER, rows)).report
    assert report.problems[0].reason == "missing answer"
