"""Survey files that gave a traceback, a silent wrong import or an unclear error (issue 12).

Each bad file is written for real (TSV, CSV, XLSX, GeoJSON), imported by the library and by
the command line (``python -m qet_geo.cli survey check|import``): no traceback, a message
naming the file, row, column and value, and every valid row kept (counted).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from unit_helpers import ROOT, SU_ANSWERS, SU_HEADER, SURVEY_0, su_rows, write_text

from qet_geo.errors import InputError, Problem
from qet_geo.i18n import set_language, tr
from qet_geo.survey import Location, import_survey

BOM = b"\xef\xbb\xbf"
# the real NEAR export, beside the repository (a git worktree is one folder further down);
# tests/fixtures/near/survey_0.tsv is the same file
NEAR = next(
    (
        folder / "shared" / "data" / "near" / "survey_0.tsv"
        for folder in (ROOT.parent, ROOT.parent.parent)
        if (folder / "shared" / "data" / "near" / "survey_0.tsv").is_file()
    ),
    SURVEY_0,
)
COMMENT_HEADER = [*SU_HEADER, "Commentaire"]


def _cli(*args, lang: str = "en", **env) -> subprocess.CompletedProcess:
    run = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "QET_GEO_LANG": lang, **env},
    )
    assert "Traceback" not in run.stderr, run.stderr
    return run


def _check_json(path, *options, **env) -> dict:
    """``survey check --json``: exit 1 (rows rejected) and its report."""
    run = _cli("survey", "check", path, "--json", *options, **env)
    assert run.returncode == 1, run.stderr
    return json.loads(run.stdout)


def _imported(path, tmp_path, *options) -> pd.DataFrame:
    """``survey import`` to a CSV: exit 0 and the respondents written."""
    out = tmp_path / "out" / "respondents.csv"
    out.parent.mkdir(exist_ok=True)
    run = _cli("survey", "import", path, "-o", out, *options)
    assert run.returncode == 0, run.stderr
    return pd.read_csv(out, dtype={"respondent_id": str})


def _refused(path, *options, lang: str = "en") -> str:
    """``survey check``: exit 2 and its one-line error (stderr)."""
    run = _cli("survey", "check", path, *options, lang=lang)
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert str(path) in run.stderr
    return run.stderr


def _ids(n: int) -> list[list[str]]:
    """``n`` valid rows whose ids are not their row numbers ("R1"…)."""
    return [[f"R{i + 1}", *row[1:]] for i, row in enumerate(su_rows(n))]


def _xlsx(path, header, rows):
    """A workbook (XLSX or ODS, by the suffix) of ``header`` and ``rows``."""
    pd.DataFrame(rows, columns=range(len(header))).set_axis(header, axis=1).to_excel(
        path, index=False, engine="odf" if path.suffix == ".ods" else "openpyxl"
    )
    return path


# --- a file that is only a byte order mark ---------------------------------------------------


@pytest.mark.parametrize(
    "content", [BOM, BOM + b"\r\n", BOM + BOM, BOM + b"  \n\n", BOM + b"\xef\xbb\xbf\t\n"]
)
def test_a_file_of_only_a_bom_is_an_empty_file(tmp_path, content):
    path = tmp_path / "vide.csv"
    path.write_bytes(content)  # Excel's "CSV UTF-8" of an empty sheet
    with pytest.raises(InputError) as error:
        import_survey(path)
    (problem,) = error.value.problems
    assert problem.file == str(path) and problem.row is None
    assert problem.reason.startswith("the file is empty (no header)")
    assert "the file is empty (no header)" in _refused(path)
    assert "le fichier est vide (aucun en-tête)" in _refused(path, lang="fr")


# --- byte order marks inside the file ------------------------------------------------------


def test_a_double_bom_keeps_the_id_column(tmp_path):
    path = write_text(tmp_path / "deux.tsv", SU_HEADER, _ids(4), delimiter="\t")
    path.write_bytes(BOM + BOM + path.read_bytes())  # saved twice as "UTF-8 with BOM"
    result = import_survey(path)
    report = result.report
    assert report.unknown_columns == [] and report.id_column == "Identifiant"
    assert result.respondents["respondent_id"].tolist() == ["R1", "R2", "R3", "R4"]
    assert _imported(path, tmp_path)["respondent_id"].tolist() == ["R1", "R2", "R3", "R4"]


def test_ids_that_are_row_numbers_are_said(tmp_path):
    header = ["Note", *SU_HEADER[1:]]  # no id column
    path = write_text(tmp_path / "sans_id.csv", header, _ids(2))
    report = import_survey(path).report
    assert report.id_column is None
    assert "no respondent id column, ids are the row numbers" in report.to_text()
    run = _cli("survey", "import", path, "-o", tmp_path / "r.csv", lang="fr")
    assert run.returncode == 0 and "les identifiants sont les numéros de ligne" in run.stdout


def test_a_bom_inside_the_file_is_not_kept_in_an_id(tmp_path):
    rows = _ids(5)
    rows[1][0] = "\ufeffR2b"  # a row pasted from another export, its BOM with it
    rows[3][0] = "\ufeffR1"  # the same respondent as row 2 of the file, invisibly apart
    header = [*SU_HEADER[:-1], "\ufeff" + SU_HEADER[-1]]  # and one in a header title
    path = write_text(tmp_path / "colle.csv", header, rows)
    result = import_survey(path)
    report = result.report
    assert report.unknown_columns == [] and "heat_source" in report.columns
    assert result.respondents["respondent_id"].tolist() == ["R1", "R2b", "R3", "R5"]
    assert report.duplicate_ids == ["R1"] and report.rejected == 1
    (problem,) = report.problems
    assert (problem.row, problem.column, problem.value) == (5, "Identifiant", "R1")
    assert problem.reason == "duplicate respondent id (first seen on row 2)"
    assert _imported(path, tmp_path)["respondent_id"].tolist() == ["R1", "R2b", "R3", "R5"]


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_a_bom_in_spreadsheet_cells_is_not_kept(tmp_path, suffix):
    rows = _ids(3)
    rows[2][0] = "\ufeffR3"
    path = _xlsx(tmp_path / f"bom.{suffix}", ["\ufeffIdentifiant", *SU_HEADER[1:]], rows)
    result = import_survey(path)
    assert result.report.id_column == "Identifiant"
    assert result.respondents["respondent_id"].tolist() == ["R1", "R2", "R3"]


def test_a_bom_in_a_layer_field_name_is_not_kept(tmp_path):
    path = _geojson(tmp_path / "champ.geojson", ["[2.35, 48.85]", "[2.36, 48.86]"])
    path.write_text(path.read_text().replace('"Identifiant"', '"\\ufeffIdentifiant"'))
    result = import_survey(path)
    assert result.report.id_column == "Identifiant" and result.report.unknown_columns == []


# --- repeated columns --------------------------------------------------------------------------

LONLAT = ["longitude", "latitude"]


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "ods"])
def test_two_longitude_and_latitude_columns_are_an_error(tmp_path, suffix):
    header = [*SU_HEADER, *LONLAT, *LONLAT]  # columns 8, 9 then 10, 11
    rows = [[*r, "2.35", "48.85", "7.75", "48.58"] for r in su_rows(3)]
    path = tmp_path / f"deux_points.{suffix}"
    if suffix == "csv":
        write_text(path, header, rows)
    else:
        _xlsx(path, header, rows)
    with pytest.raises(InputError) as error:
        import_survey(path)
    lon, lat = error.value.problems
    assert lon.file == str(path) and lon.row == 1
    assert lon.reason == "several columns for the longitude"
    assert lon.value == "'longitude' (column 8), 'longitude' (column 10)"
    assert lat.reason == "several columns for the latitude"
    assert lat.value == "'latitude' (column 9), 'latitude' (column 11)"
    assert "--x" in lon.expected and "--y" in lat.expected
    stderr = _refused(path)
    assert "'longitude' (column 8), 'longitude' (column 10)" in stderr
    assert "'latitude' (column 9), 'latitude' (column 11)" in stderr
    assert "(colonne 8)" in _refused(path, lang="fr")
    # named, the first pair is used and the second is listed, not lost silently
    result = import_survey(path, location=Location(x="longitude", y="latitude"))
    assert result.report.accepted == 3
    assert result.report.unknown_columns == ["longitude (2)", "latitude (2)"]
    assert result.respondents.geometry.x.tolist() == [2.35] * 3


def test_two_names_for_one_coordinate_or_two_id_columns_are_an_error(tmp_path):
    header = [*SU_HEADER, "lon", "longitude", "latitude"]
    rows = [[*r, "2.35", "7.75", "48.85"] for r in su_rows(2)]
    with pytest.raises(InputError) as error:
        import_survey(write_text(tmp_path / "lon.csv", header, rows))
    (problem,) = error.value.problems
    assert problem.value == "'lon' (column 8), 'longitude' (column 9)"
    header = [*SU_HEADER, "ID"]
    rows = [[*r, f"X{r[0]}"] for r in su_rows(2)]
    path = write_text(tmp_path / "ids.csv", header, rows)
    with pytest.raises(InputError) as error:
        import_survey(path)
    (problem,) = error.value.problems
    assert problem.reason == "several columns for the respondent id"
    assert problem.value == "'Identifiant' (column 1), 'ID' (column 8)"
    assert "several columns for the respondent id" in _refused(path)


def test_repeated_columns_of_an_unused_role_are_listed(tmp_path):
    # lon/lat locate the homes; two "x" columns are not used, and listed, not hidden
    header = [*SU_HEADER, *LONLAT, "x", "x"]
    rows = [[*r, "2.35", "48.85", "1", "2"] for r in su_rows(2)]
    report = import_survey(write_text(tmp_path / "x.csv", header, rows)).report
    assert report.accepted == 2 and report.location == "lonlat"
    assert report.unknown_columns == ["x", "x (2)"]


def test_two_columns_for_a_question_give_their_positions(tmp_path):
    header = [*SU_HEADER, SU_HEADER[1]]
    rows = [[*r, "Quelques repas"] for r in su_rows(2)]
    with pytest.raises(InputError) as error:
        import_survey(write_text(tmp_path / "q.csv", header, rows))
    (problem,) = error.value.problems
    assert problem.value == f"{SU_HEADER[1]!r} (column 2), {SU_HEADER[1]!r} (column 8)"


# --- coordinates that are not numbers --------------------------------------------------------


def _geojson(path, coordinates: list[str]):
    # written as text: json.dumps would not write the NaN and Infinity under test as given
    features = [
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": ' + xy + "}, "
        '"properties": ' + json.dumps(dict(zip(SU_HEADER, row, strict=True))) + "}"
        for xy, row in zip(coordinates, su_rows(len(coordinates)), strict=True)
    ]
    path.write_text('{"type": "FeatureCollection", "features": [' + ", ".join(features) + "]}")
    return path


def test_a_geojson_point_of_nan_or_infinity_is_rejected(tmp_path):
    points = ["[2.35, 48.85]", "[NaN, 48.85]", "[2.35, Infinity]", "[2.36, 48.86]"]
    path = _geojson(tmp_path / "nan.geojson", points)  # NaN and Infinity: GDAL reads them
    result = import_survey(path)
    report = result.report
    assert (report.accepted, report.rejected) == (2, 2)
    assert result.respondents["respondent_id"].tolist() == ["1", "4"]
    nan, infinite = report.problems
    assert (nan.row, nan.column, nan.value) == (1, "geometry", "POINT (NaN 48.85)")
    assert nan.reason == "point with a coordinate that is not a number (NaN or infinite)"
    assert infinite.value == "POINT (2.35 Infinity)"
    problems = _check_json(path)["problems"]
    assert [p["value"] for p in problems] == ["POINT (NaN 48.85)", "POINT (2.35 Infinity)"]
    assert len(_imported(path, tmp_path)) == 2


def test_csv_coordinates_of_nan_or_infinity_are_rejected(tmp_path):
    header = [*SU_HEADER, *LONLAT]
    coordinates = [("2.35", "48.85"), ("NaN", "48.85"), ("2.35", "inf"), ("-1e400", "48")]
    rows = [[*r, *xy] for r, xy in zip(su_rows(4), coordinates, strict=True)]
    path = write_text(tmp_path / "nan.csv", header, rows)
    report = import_survey(path).report
    assert (report.accepted, report.rejected) == (1, 3)
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (3, "longitude", "NaN"),
        (4, "latitude", "inf"),
        (5, "longitude", "-1e400"),
    ]
    assert {p.reason for p in report.problems} == {"coordinate is not a number"}
    assert len(_imported(path, tmp_path)) == 1


# --- numbers of flights ------------------------------------------------------------------------

IMPLAUSIBLE = ["1e308", "1 000", "1\u00a0000", "1\u202f000", "366", "1e3", "inf", "nan", "1e309"]


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "ods"])
def test_implausible_numbers_of_flights_are_rejected_with_the_range(tmp_path, suffix):
    plausible = ["4", "365", "12,0", "Plus de 3"]
    flights = [*plausible, *IMPLAUSIBLE]
    rows = [[*r[:5], n, r[6]] for r, n in zip(su_rows(len(flights)), flights, strict=True)]
    path = tmp_path / f"vols.{suffix}"
    if suffix == "csv":
        write_text(path, SU_HEADER, rows)
    else:
        cells = [[*r[:5], float(r[5]) if r[5] == "1e308" else r[5], r[6]] for r in rows]
        _xlsx(path, SU_HEADER, cells)  # 1e308 a number cell, as Excel stores it
    result = import_survey(path)
    report = result.report
    assert result.respondents["air_travel_frequency"].tolist() == [3] * len(plausible)
    assert report.rejected == len(IMPLAUSIBLE)
    column = SU_HEADER[5]
    by_row = {p.row: p for p in report.problems}
    assert set(by_row) == set(range(len(plausible) + 2, len(flights) + 2))
    for problem in by_row.values():
        assert problem.column == column
        assert problem.expected == "a number from 0 to 365 or one of '0', '1 à 3', 'Plus de 3'"
    first = by_row[len(plausible) + 2]
    assert first.value in ("1e308", "1e+308")
    assert first.reason == (
        "number outside every band (1: >= 0 and < 1; 2: >= 1 and <= 3; 3: > 3 and <= 365)"
    )
    assert by_row[len(plausible) + 3].value == "1 000"
    problems = _check_json(path)["problems"]
    assert len(problems) == len(IMPLAUSIBLE)
    assert "expected a number from 0 to 365" in problems[0]["message"]
    assert len(_imported(path, tmp_path)) == len(plausible)


def test_a_custom_schema_without_an_upper_band_still_says_a_number():
    from qet_geo.survey.schema import schema_from_dict

    schema = schema_from_dict(
        {
            "name": "s",
            "questions": {
                "q": {"answers": {1: ["peu"], 2: ["beaucoup"]},
                      "number_bands": [{"code": 1, "max": 3}, {"code": 2, "above": 3}]},
            },
        }
    )  # fmt: skip
    assert schema.questions["q"].expected() == "one of 'peu', 'beaucoup' or a number"


# --- a huge value in a message -----------------------------------------------------------------


def test_a_10_mb_answer_is_echoed_short(tmp_path):
    rows = su_rows(3)
    rows[1][1] = "x" * (10 << 20)
    path = write_text(tmp_path / "long.csv", SU_HEADER, rows)
    env = {"QET_GEO_MAX_CELL_CHARS": "20000000"}  # read whole: it reaches the answer check
    run = _cli("survey", "check", path, "--json", **env)
    assert run.returncode == 1, run.stderr
    assert len(run.stdout) < 10_000  # 21 MB before
    report = json.loads(run.stdout)
    (problem,) = report["problems"]
    assert (problem["row"], problem["reason"]) == (3, "unknown answer")
    assert problem["value"] == "x" * 200 and problem["value_chars"] == 10 << 20
    assert f"'{'x' * 200}'… (10,485,760 characters): unknown answer" in problem["message"]
    assert (report["accepted"], report["rejected"]) == (2, 1)
    run = _cli("survey", "check", path, lang="fr", **env)
    assert "… (10\u202f485\u202f760 caractères)" in run.stdout
    assert len(run.stdout) < 10_000


def test_every_echoed_value_is_bounded():
    problem = Problem.of("f.csv", "unknown answer", row=2, value="é" * 1000)
    assert problem.value == "é" * 200 and problem.value_chars == 1000
    assert len(str(problem)) < 300
    assert len(json.dumps(problem.to_dict(), ensure_ascii=False)) < 1000
    assert Problem.of("f.csv", "x", value="court").value_chars is None


# --- a stray quote -----------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_a_stray_quote_rejects_its_row_only(tmp_path, delimiter):
    rows = [[*r, ""] for r in su_rows(600)]
    rows[2][-1] = '"Trop de voitures'  # file row 4; 597 rows after it
    rows[300][1] = '"Quelques repas'  # file row 302: in an answer column
    path = write_text(tmp_path / "guillemet.txt", COMMENT_HEADER, rows, delimiter=delimiter)
    result = import_survey(path)
    report = result.report
    assert (report.rows_read, report.accepted, report.rejected) == (600, 598, 2)
    assert [(p.row, p.column) for p in report.problems] == [(4, None), (302, None)]
    assert report.problems[0].value.startswith(f"3{delimiter}")
    assert "quote opened on this row is not closed on it" in report.problems[0].reason
    kept = result.respondents["source_row"].tolist()
    assert kept == [n for n in range(2, 602) if n not in (4, 302)]
    assert len(_imported(path, tmp_path)) == 598
    assert [p["row"] for p in _check_json(path)["problems"]] == [4, 302]


def test_quoted_line_breaks_are_kept_beside_a_stray_quote(tmp_path):
    rows = [[*r, ""] for r in su_rows(8)]
    rows[1][-1] = '"Trop de voitures,\nmais de beaux arbres"'  # file rows 3-4: one answer
    rows[4][-1] = '"Trop de bruit'  # file row 7: a stray quote
    rows[6][-1] = '"Un marché\n\nle dimanche"'  # file rows 9-11
    path = write_text(tmp_path / "mixte.tsv", COMMENT_HEADER, rows, delimiter="\t")
    result = import_survey(path)
    report = result.report
    assert (report.accepted, report.rejected) == (7, 1)
    assert [p.row for p in report.problems] == [7]
    assert result.respondents["source_row"].tolist() == [2, 3, 5, 6, 8, 9, 12]
    comments = result.rejects  # the rejected row as written, for the person who fixes it
    assert comments["source_row"].tolist() == [7]
    assert comments["raw_line"].iloc[0].endswith('\t"Trop de bruit')


def test_a_stray_quote_in_the_header_is_an_error(tmp_path):
    path = write_text(tmp_path / "entete.tsv", ['"Identifiant', *SU_HEADER[1:]], su_rows(3), "\t")
    with pytest.raises(InputError) as error:
        import_survey(path)
    (problem,) = error.value.problems
    assert problem.row == 1 and "quote opened on this row" in problem.reason


# --- a stray byte that is not UTF-8 ----------------------------------------------------------


def _utf8_with(tmp_path, row: int, old: bytes, new: bytes, name="octet.csv"):
    path = write_text(tmp_path / name, SU_HEADER, su_rows(10))
    lines = path.read_bytes().split(b"\n")
    assert old in lines[row - 1]
    lines[row - 1] = lines[row - 1].replace(old, new, 1)
    path.write_bytes(b"\n".join(lines))
    return path


def test_a_stray_byte_rejects_its_row_only(tmp_path):
    # row 6: "Mélange" typed in a Windows-1252 editor, in a UTF-8 file
    path = _utf8_with(tmp_path, 6, "Mélange".encode(), "Mélange".encode("cp1252"))
    result = import_survey(path)
    report = result.report
    assert (report.rows_read, report.accepted, report.rejected) == (10, 9, 1)
    assert report.encoding == "utf-8"
    (problem,) = report.problems
    offset = ("5;" + ";".join(SU_ANSWERS[:3]) + ";M").encode().__len__() + 1
    assert (problem.file, problem.row, problem.column) == (str(path), 6, SU_HEADER[4])
    assert problem.reason.startswith(f"byte 0xe9 at byte {offset} of the row is not UTF-8")
    assert problem.value.startswith("5;") and "M\ufffdlange" in problem.value
    assert result.respondents["source_row"].tolist() == [2, 3, 4, 5, 7, 8, 9, 10, 11]
    assert len(_imported(path, tmp_path)) == 9
    (line,) = _check_json(path)["problems"]
    assert line["row"] == 6 and "0xe9" in line["message"]
    run = _cli("survey", "check", path, lang="fr")
    assert "l'octet 0xe9" in run.stdout and "n'est pas de l'UTF-8" in run.stdout


def test_a_byte_windows_1252_does_not_have_rejects_its_row_only(tmp_path):
    path = write_text(tmp_path / "w.csv", SU_HEADER, su_rows(4), encoding="cp1252")
    path.write_bytes(path.read_bytes().replace(b"\n3;", b"\n3\x81;", 1))
    report = import_survey(path).report
    assert (report.encoding, report.accepted, report.rejected) == ("cp1252", 3, 1)
    (problem,) = report.problems
    assert problem.row == 4 and problem.column == "Identifiant"
    assert "byte 0x81 at byte 2 of the row is neither UTF-8 nor Windows-1252" in problem.reason


def test_a_stray_byte_in_a_quoted_multiline_answer_rejects_that_answer(tmp_path):
    rows = [[*r, ""] for r in su_rows(4)]
    rows[1][-1] = '"Trop de voitures,\nmais de beaux arbres"'  # rows 3-4 of the file
    path = write_text(tmp_path / "m.tsv", COMMENT_HEADER, rows, delimiter="\t")
    path.write_bytes(path.read_bytes().replace(b"beaux", b"b\xe9aux"))
    result = import_survey(path)
    assert result.respondents["source_row"].tolist() == [2, 5, 6]
    (problem,) = result.report.problems
    assert (problem.row, problem.column) == (3, "Commentaire")


def test_a_header_that_is_not_utf8_is_an_error(tmp_path):
    path = _utf8_with(tmp_path, 1, "présente".encode(), "présente".encode("cp1252"))
    with pytest.raises(InputError) as error:
        import_survey(path)
    (problem,) = error.value.problems
    assert problem.row == 1 and problem.reason.endswith("(in the header)")
    assert "(in the header)" in _refused(path)


# --- the real NEAR export ----------------------------------------------------------------------


def test_the_real_near_export_imports_as_before(tmp_path):
    result = import_survey(NEAR)
    report = result.report
    assert (report.rows_read, report.accepted, report.rejected) == (314, 313, 1)
    assert report.unknown_columns == [] and report.id_column == "Identifiant"
    text = result.respondents.to_csv(index=False)
    # the respondents as imported before the changes of issue 12 (measured on its parent)
    assert hashlib.sha256(text.encode()).hexdigest()[:16] == "1a3a90f1fdd527ca"


# --- French ------------------------------------------------------------------------------------


def test_every_new_message_is_translated(tmp_path):
    problems = []
    for build in (
        lambda: (tmp_path / "b.csv").write_bytes(BOM) and tmp_path / "b.csv",
        lambda: write_text(tmp_path / "d.csv", [*SU_HEADER, *LONLAT, *LONLAT], []),
        lambda: write_text(tmp_path / "i.csv", [*SU_HEADER, "ID"], [["1"] * 8]),
        lambda: _utf8_with(tmp_path, 1, "présente".encode(), b"pr\xe9sente", "h.csv"),
    ):
        with pytest.raises(InputError) as error:
            import_survey(build())
        problems += error.value.problems
    rows = [[*r, ""] for r in su_rows(3, r0={5: "1e308"})]
    rows[1][-1] = '"x'
    path = write_text(tmp_path / "r.tsv", COMMENT_HEADER, rows, delimiter="\t")
    problems += import_survey(path).report.problems
    problems += import_survey(
        _utf8_with(tmp_path, 3, b"M\xc3\xa9", b"M\xe9", "u.csv")
    ).report.problems
    path = _geojson(tmp_path / "n.geojson", ["[NaN, 1]"])
    problems += import_survey(path).report.problems
    assert len(problems) >= 8
    set_language("fr")
    try:
        untranslated = {p.reason for p in problems if tr(p.reason) == p.reason}
        untranslated |= {
            p.expected for p in problems if p.expected and tr(p.expected) == p.expected
        }
        assert untranslated == set()
        assert tr("Ids: no respondent id column, ids are the row numbers") != (
            "Ids: no respondent id column, ids are the row numbers"
        )
    finally:
        set_language(None)
