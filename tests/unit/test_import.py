"""Survey import end to end: the real NEAR export and the bad-input corpus.

Each bad input must give its precise message (file, row, column, value, reason) and the
valid rows beside it must survive.
"""

from __future__ import annotations

import codecs
from collections import Counter

import pandas as pd
import pytest
from unit_helpers import SU_ANSWERS, SU_HEADER, SURVEY_0, su_rows, write_text

from qet_geo.errors import InputError
from qet_geo.survey import Location, import_survey


def test_real_near_export_end_to_end():
    result = import_survey(SURVEY_0)
    report = result.report
    assert (report.rows_read, report.accepted, report.rejected) == (314, 313, 1)
    assert report.rejected_by_reason == {"missing answer": 1}
    # the one rejected row: id 84, flights left empty, file row 82
    [problem] = report.problems
    assert (problem.row, problem.column, problem.value) == (
        82,
        "Combien de fois prenez-vous l'avion par an ?",
        "",
    )
    assert result.rejects.loc[0, "Identifiant"] == "84"
    respondents = result.respondents
    assert list(respondents.columns[:2]) == ["respondent_id", "source_row"]
    assert respondents["weight"].eq(1.0).all()
    assert respondents.iloc[0].to_dict() | {} == {
        "respondent_id": "4",
        "source_row": 2,
        "meat_frequency": 3,
        "transportation_mode": 1,
        "digital_intensity": 3,
        "purchasing_strategy": 2,
        "air_travel_frequency": 1,
        "heat_source": 1,
        "weight": 1.0,
    }
    # counts by answer equal the label counts of the file (minus the rejected row)
    assert Counter(respondents["meat_frequency"]) == {1: 37, 2: 150, 3: 126}
    assert Counter(respondents["transportation_mode"]) == {1: 107, 2: 125, 3: 81}
    assert Counter(respondents["air_travel_frequency"]) == {1: 150, 2: 139, 3: 24}
    assert Counter(respondents["heat_source"]) == {1: 156, 2: 151, 3: 6}


def test_input_file_is_not_modified(tmp_path):
    before = SURVEY_0.read_bytes()
    import_survey(SURVEY_0)
    assert SURVEY_0.read_bytes() == before


# --- encodings ------------------------------------------------------------------------------


def test_cp1252_and_utf8_bom_are_read(tmp_path):
    for encoding in ("cp1252", "utf-8-sig"):
        path = write_text(tmp_path / f"{encoding}.csv", SU_HEADER, su_rows(3), encoding=encoding)
        result = import_survey(path)
        assert result.report.accepted == 3, encoding
        assert result.respondents["purchasing_strategy"].eq(2).all()  # "Mélange occasion/neuf"


def test_mixed_encodings_name_the_rows(tmp_path):
    path = tmp_path / "mixed.csv"
    lines = [";".join(SU_HEADER).encode("utf-8")]
    lines += [";".join(row).encode("utf-8") for row in su_rows(2)]
    lines += [";".join(row).encode("cp1252") for row in su_rows(1)]
    path.write_bytes(b"\n".join(lines))
    # UTF-8 rows are the most: the file is UTF-8 and the Windows-1252 row alone is rejected
    report = import_survey(path).report
    assert (report.accepted, report.rejected) == (2, 1)
    (problem,) = report.problems
    assert problem.file == str(path) and problem.row == 4
    assert "byte 0xe9 at byte " in problem.reason and "is not UTF-8" in problem.reason
    # most rows not UTF-8 but one is: which encoding is right cannot be told
    lines = [";".join(SU_HEADER).encode("cp1252")]
    lines += [";".join(row).encode("cp1252") for row in su_rows(2)]
    lines += [";".join(row).encode("utf-8") for row in su_rows(1)]
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(InputError) as error:
        import_survey(path)
    assert "mixed encodings: row 1 is not UTF-8 while row 4 is UTF-8" in str(error.value)


def test_utf16_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "a;b\n1;2\n".encode("utf-16-le"))
    with pytest.raises(InputError, match="UTF-16 encoded; expected UTF-8 or Windows-1252"):
        import_survey(path)


def test_text_encoded_twice_is_refused(tmp_path):
    path = write_text(tmp_path / "twice.csv", SU_HEADER, su_rows(2))
    path.write_bytes(
        path.read_text(encoding="utf-8").encode("utf-8").decode("cp1252").encode("utf-8")
    )
    with pytest.raises(InputError, match=r"row 1: value .*: the text is encoded twice \('Ã©'"):
        import_survey(path)


# --- structure ------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\n  \n")
    with pytest.raises(InputError, match=r"empty.csv: the file is empty; expected a header row"):
        import_survey(path)


def test_header_only(tmp_path):
    path = write_text(tmp_path / "header.csv", SU_HEADER, [])
    with pytest.raises(InputError, match="header.csv: the file has a header but no answers"):
        import_survey(path)


def test_missing_required_column_names_it(tmp_path):
    path = write_text(tmp_path / "nocol.csv", SU_HEADER[:-1], [r[:-1] for r in su_rows(2)])
    with pytest.raises(InputError) as error:
        import_survey(path)
    message = str(error.value)
    assert (
        'nocol.csv, row 1, column "Quelle est l\'énergie de chauffage de votre logement"' in message
    )
    assert "missing required column for question 'heat_source'" in message


def test_misspelt_header_gets_a_suggestion(tmp_path):
    header = [*SU_HEADER[:-1], "Quelle est l'energie de chaufage de votre logement ?"]
    path = write_text(tmp_path / "typo.csv", header, su_rows(2))
    with pytest.raises(InputError) as error:
        import_survey(path)
    assert error.value.problems[0].suggestion == header[-1]


def test_mixed_delimiters_reject_only_the_odd_row(tmp_path):
    path = tmp_path / "mixed.csv"
    rows = [";".join(SU_HEADER)] + [";".join(r) for r in su_rows(4)]
    rows[3] = (
        '3,Tous les repas ou presque,Voiture individuelle,"Bureautique, Internet",'
        "Mélange occasion/neuf,1 à 3,Gaz"
    )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = import_survey(path)
    assert (result.report.accepted, result.report.rejected) == (3, 1)
    [problem] = result.report.problems
    assert problem.row == 4
    assert "seems separated by ',' while the file uses ';' (mixed delimiters)" in problem.reason
    assert result.rejects.loc[0, "raw_line"].startswith("3,Tous les repas")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_detected(tmp_path, delimiter):
    rows = su_rows(3)
    quoted = [[f'"{c}"' if "," in c and delimiter == "," else c for c in r] for r in rows]
    header = [f'"{c}"' if "," in c and delimiter == "," else c for c in SU_HEADER]
    path = write_text(tmp_path / "d.csv", header, quoted, delimiter=delimiter)
    result = import_survey(path)
    assert result.report.delimiter == delimiter and result.report.accepted == 3


def test_quoted_newlines_and_crlf_keep_row_numbers(tmp_path):
    path = tmp_path / "crlf.csv"
    header = [*SU_HEADER, "Commentaire"]
    body = [
        ";".join([*r, '"deux\r\nlignes"' if i == 0 else "ok"]) for i, r in enumerate(su_rows(3))
    ]
    body[2] = body[2].replace("Gaz", "Charbon")
    path.write_bytes(("\r\n".join([";".join(header), *body]) + "\r\n").encode("utf-8"))
    result = import_survey(path)
    [problem] = result.report.problems
    assert problem.row == 5 and problem.value == "Charbon"  # row 2 spans two lines
    assert result.report.unknown_columns == ["Commentaire"]
    assert "Commentaire" not in result.respondents  # free text is never imported


# --- answers --------------------------------------------------------------------------------


def test_unknown_labels_are_rejected_with_the_nearest_answer(tmp_path):
    rows = su_rows(4, r1={1: "Quelques rpas"}, r2={6: "Charbon"})
    path = write_text(tmp_path / "labels.csv", SU_HEADER, rows)
    result = import_survey(path)
    assert (result.report.accepted, result.report.rejected) == (2, 2)
    first, second = result.report.problems
    assert (first.row, first.column, first.value) == (3, SU_HEADER[1], "Quelques rpas")
    assert first.reason == "unknown answer" and first.suggestion == "Quelques repas"
    assert "expected one of 'Aucun repas ou très rarement', 'Quelques repas'" in str(first)
    assert (second.row, second.value) == (4, "Charbon")
    assert list(result.respondents["respondent_id"]) == ["1", "4"]


def test_strict_stops_at_the_first_problem(tmp_path):
    rows = su_rows(4, r1={1: "Quelques rpas"}, r2={6: "Charbon"})
    path = write_text(tmp_path / "labels.csv", SU_HEADER, rows)
    with pytest.raises(
        InputError, match=r"labels.csv, row 3, column .*'Quelques rpas': unknown answer"
    ):
        import_survey(path, strict=True)


def test_duplicate_ids(tmp_path):
    rows = su_rows(4, r2={0: "1"})
    path = write_text(tmp_path / "dups.csv", SU_HEADER, rows)
    result = import_survey(path)
    assert result.report.duplicate_ids == ["1"]
    [problem] = result.report.problems
    assert (problem.row, problem.column, problem.value) == (4, "Identifiant", "1")
    assert problem.reason == "duplicate respondent id (first seen on row 2)"
    assert result.report.accepted == 3


def test_demographics_rules(tmp_path):
    header = [
        *SU_HEADER,
        "Habitez-vous dans le quartier ?",
        "Quel âge avez-vous ?",
        "Quelle est votre situation ?",
        "Quelle est votre catégorie socioprofessionnelle ?",
    ]
    extra = [
        ["Oui", "30-44 ans", "En emploi", "Ouvrier"],
        ["Non", "30-44 ans", "En emploi", "Employé"],
        ["Oui", "Moins de 15 ans", "Étudiant(e)", ""],
        ["Oui", "75 ans et plus", "Retraité(e)", ""],
        ["Oui", "17", "Étudiant(e)", ""],
    ]
    rows = [r + e for r, e in zip(su_rows(5), extra, strict=True)]
    result = import_survey(write_text(tmp_path / "demo.csv", header, rows))
    assert result.report.rejected_by_reason == {
        "ne réside pas dans le quartier (not a resident of the neighbourhood)": 1,
        "moins de 15 ans (under 15)": 1,
    }
    kept = result.respondents.set_index("respondent_id")
    assert kept.loc["1", "pcs"] == "CS6"
    assert kept.loc["4", "pcs"] == "CS7"  # retired → CS7 ([NEAR-SU])
    assert kept.loc["5", ["age_class", "pcs"]].tolist() == ["15-29", "CS8"]


def test_non_numeric_numbers_in_a_number_question(tmp_path):
    from unit_helpers import ROOT

    path = tmp_path / "kobo.csv"
    text = (ROOT / "docs" / "examples" / "kobo_export.csv").read_text(encoding="utf-8")
    path.write_text(text.replace(";3;48,8566", ";trois;48,8566"), encoding="utf-8")
    result = import_survey(path, schema=ROOT / "docs" / "examples" / "kobo-su.yaml")
    problems = {(p.row, p.column): p for p in result.report.problems}
    assert problems[(2, "taille_foyer")].reason == "not a number"
    assert problems[(2, "taille_foyer")].value == "trois"
    assert result.report.accepted == 2  # rows 3 and 4; rows 5 and 6 have unknown answers


# --- locations ------------------------------------------------------------------------------


def _located(tmp_path, coordinates, name="loc.csv"):
    header = [*SU_HEADER, "longitude", "latitude"]
    rows = [r + list(c) for r, c in zip(su_rows(len(coordinates)), coordinates, strict=True)]
    return write_text(tmp_path / name, header, rows)


def test_lon_lat_with_decimal_comma(tmp_path):
    path = _located(tmp_path, [("2,3522", "48,8566"), ("2.36", "48.86")])
    result = import_survey(path)
    assert result.report.location == "lonlat" and str(result.respondents.crs) == "EPSG:4326"
    assert result.respondents.geometry.x.tolist() == [2.3522, 2.36]


def test_swapped_out_of_range_and_non_numeric_coordinates(tmp_path):
    path = _located(
        tmp_path,
        [
            ("2.35", "48.85"),
            ("48.85", "2.35"),
            ("2.35", "95"),
            ("abc", "48.85"),
            ("", "48.85"),
            ("-73.98", "40.75"),
        ],
    )
    result = import_survey(path)
    reasons = {p.row: p.reason for p in result.report.problems}
    assert reasons == {
        3: "longitude and latitude look swapped",
        4: "latitude out of range",
        5: "coordinate is not a number",
        6: "missing coordinate",
        7: "location outside the expected extent (France métropolitaine and overseas departments)",
    }
    assert result.report.accepted == 1
    # without the check, the swapped point (in Africa) and New York are accepted
    assert import_survey(path, extent=None).report.accepted == 3


def test_xy_columns_with_a_crs(tmp_path):
    header = [*SU_HEADER, "x", "y"]
    rows = [
        r + c
        for r, c in zip(su_rows(2), [["651000", "6862000"], ["6862000", "651000"]], strict=True)
    ]
    path = write_text(tmp_path / "xy.csv", header, rows)
    with pytest.raises(InputError, match="x/y columns need a coordinate reference system"):
        import_survey(path)
    result = import_survey(path, location=Location(kind="xy", crs="EPSG:2154"))
    assert result.respondents.crs.to_epsg() == 2154 and result.report.accepted == 1
    assert (
        result.report.problems[0].reason
        == "location outside the expected extent (France métropolitaine and overseas departments)"
    )


def test_area_code_column_keeps_leading_zeros(tmp_path):
    header = [*SU_HEADER, "code_iris"]
    rows = [r + c for r, c in zip(su_rows(3), [["010040101"], ["2A0040101"], [""]], strict=True)]
    result = import_survey(write_text(tmp_path / "iris.csv", header, rows))
    assert result.report.location == "area"
    assert result.respondents["area_code"].tolist() == ["010040101", "2A0040101"]
    assert result.report.problems[0].reason == "missing area code"


def test_named_columns_must_exist(tmp_path):
    path = _located(tmp_path, [("2.35", "48.85")])
    with pytest.raises(InputError, match="loc.csv, row 1, column 'lng': no such column"):
        import_survey(path, location=Location(kind="lonlat", x="lng", y="latitude"))


def test_valid_rows_survive_every_problem_at_once(tmp_path):
    header = [*SU_HEADER, "longitude", "latitude"]
    good = [*SU_ANSWERS, "2.35", "48.85"]
    rows = [
        ["1", *good],
        ["1", *good],
        ["3", "Jamais", *good[1:]],
        ["4", *good[:-1], "x"],
        ["5", *good],
    ]
    result = import_survey(write_text(tmp_path / "all.csv", header, rows))
    assert result.respondents["respondent_id"].tolist() == ["1", "5"]
    assert result.report.rows_read == len(result.respondents) + len(result.rejects)
    assert set(result.rejects["source_row"]) == {3, 4, 5}
    assert isinstance(result.rejects, pd.DataFrame)


# --- the two CSV parsers agree ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        SURVEY_0.read_text(encoding="utf-8"),
        '\n\na;b;c\n1;2;3\n\n4;5\n6;7;8\n   \n9;"x;y";10\n11;12;13;14\n15;16;17;;\n;;\n18,19,20\n',
        "a,b\n1,2\n3,4,\n\n5,6",
        'a\tb\n"q""uote"\t2\n',
        "a;b;c;;\n1;2;3\n \t ; ; \n4;5;6;;\n",  # trailing empty headers, a row of spaces
    ],
)
def test_arrow_and_csv_module_parsers_agree(text):
    from qet_geo.survey import readers

    delimiter = readers._detect_delimiter(text, "t")
    fast = readers._parse_lines_arrow(text, delimiter, "t")
    slow = readers._parse_csv_module(text, delimiter, "t")
    assert fast is not None
    assert fast[:2] == slow[:2]  # header row and columns
    pd.testing.assert_frame_equal(fast[2], slow[2])
    assert {k: (v[1].reason, v[1].row) for k, v in fast[3].items()} == {
        k: (v[1].reason, v[1].row) for k, v in slow[3].items()
    }


def test_number_questions_keep_decimals(tmp_path):
    from unit_helpers import ROOT

    path = tmp_path / "kobo.csv"
    text = (ROOT / "docs" / "examples" / "kobo_export.csv").read_text(encoding="utf-8")
    path.write_text(text.replace(";3;48,8566", ";2,5;48,8566"), encoding="utf-8")
    result = import_survey(path, schema=ROOT / "docs" / "examples" / "kobo-su.yaml")
    sizes = result.respondents.set_index("respondent_id")["household_size"]
    assert str(sizes.dtype) == "Float64" and sizes.loc["101"] == 2.5
    assert result.respondents["meat_frequency"].dtype == "Int8"


def test_progress_is_reported_and_cancel_stops(tmp_path):
    from qet_geo.errors import Canceled

    seen = []
    import_survey(SURVEY_0, progress=lambda fraction, message: seen.append(fraction))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    with pytest.raises(Canceled):
        import_survey(SURVEY_0, is_canceled=lambda: len(seen) > 0)
