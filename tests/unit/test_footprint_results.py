"""NGC results as input: a poll's export spreadsheet and simulation objects in JSON."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from qet_geo.cli import main
from qet_geo.errors import InputError
from qet_geo.footprint.results import results_cells, results_footprints

# The layout of NGC's poll export (Export_<poll>_Simulations.xlsx, sheet "Simulations"):
# carbon columns, water columns (with NGC's own "divers caeau" header), custom questions.
HEADER = [
    "date", "total carbone", "transport carbone", "alimentation carbone", "logement carbone",
    "divers carbone", "services sociétaux carbone", "total eau", "transport eau",
    "alimentation eau", "logement eau", "divers caeau", "services sociétaux eau",
    "Dans quel quartier habitez-vous ?",
]  # fmt: skip
ROWS = [
    ["12/03/2025", 8734, 2510, 2180, 1620, 1040, 1384, 9120, 310, 7600, 540, 430, 240, "Centre"],
    ["13/03/2025", 6402, 1205, 1990, 1330, 493, 1384, 8400, 120, 7100, 610, 350, 220, ""],
    ["14/03/2025", 104500, 98000, 2200, 1500, 1416, 1384, 9000, 300, 7600, 500, 400, 200, "Gare"],
]  # fmt: skip


def poll_export(path, rows=ROWS, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Simulations"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_poll_export_gives_food_exactly_and_no_guess_for_the_rest(tmp_path, capsys):
    path = poll_export(tmp_path / "Export_quartier_Simulations.xlsx")
    before = path.read_bytes()
    out = tmp_path / "fp.csv"
    assert main(["footprint", str(path), "--json", "-o", str(out)]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert [item["name"] for item in answer] == ["row 2", "row 3", "row 4"]
    assert [item["usages"]["alimentation"] for item in answer] == [2180, 1990, 2200]
    assert all(item["usages"]["avion"] is None and item["total"] is None for item in answer)
    table = pd.read_csv(out)
    assert table["ngc_total"].tolist() == [8734, 6402, 104500]
    assert table["ngc_transport"].tolist() == [2510, 1205, 98000]
    assert table["ngc_services_societaux"].tolist() == [1384] * 3
    assert table["above_ngc_cap"].tolist() == [False, False, True]
    assert table["Dans quel quartier habitez-vous ?"].fillna("").tolist() == ["Centre", "", "Gare"]
    assert not any("eau" in column for column in table.columns)
    assert path.read_bytes() == before


def test_poll_export_warnings_say_what_is_missing_and_what_ngc_drops(tmp_path, capsys):
    path = poll_export(tmp_path / "export.xlsx")
    assert main(["footprint", str(path)]) == 0
    captured = capsys.readouterr()
    assert (
        "categories only" in captured.err and "avion, mobilite, achats, numerique" in captured.err
    )
    assert "row 4" in captured.err and "100,000" in captured.err
    assert "2180" in captured.out and "—" in captured.out


def test_older_export_headers_and_csv(tmp_path, capsys):
    header = ["date", "total", "transport", "alimentation", "logement", "divers",
              "services sociétaux"]  # fmt: skip
    path = tmp_path / "export.csv"
    path.write_text(
        ";".join(header) + "\n" + "01/02/2024;9000;2000;2500;2000;1116;1384\n", encoding="utf-8"
    )
    assert main(["footprint", str(path), "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert item["usages"]["alimentation"] == 2500


def test_subcategory_columns_give_every_usage(tmp_path):
    cells = pd.DataFrame(
        {
            "total": ["9000"], "transport": ["2000"], "alimentation": ["2500"],
            "logement": ["2000"], "divers": ["1116"], "services sociétaux": ["1384"],
            "transport . avion": ["600"], "transport . voiture": ["1200"],
            "transport . deux roues": ["0"], "transport . mobilité douce": ["10"],
            "transport . transports commun": ["90"], "transport . train": ["20"],
            "divers . textile": ["150"], "divers . électroménager": ["60"],
            "divers . ameublement": ["90"], "divers . numérique": ["200"],
        },
        index=pd.Index([2]),
    )  # fmt: skip
    table, warnings = results_footprints(cells, "results.csv")
    assert warnings == []
    row = table.iloc[0]
    assert (row["fp_avion"], row["fp_mobilite"], row["fp_achats"], row["fp_numerique"]) == (
        600,
        1320,
        300,
        200,
    )
    assert row["fp_total"] == 2500 + 600 + 1320 + 300 + 200


def test_simulation_objects_with_computed_results(tmp_path, capsys):
    items = [
        {
            "name": "A",
            "computedResults": {
                "carbone": {
                    "bilan": 9000,
                    "categories": {"transport": 2000, "alimentation": 2500, "logement": 2000,
                                   "divers": 1116, "services sociétaux": 1384},  # fmt: skip
                    "subcategories": {"transport . avion": 600, "divers . numérique": 200},
                },
                "eau": {"bilan": 10, "categories": {}, "subcategories": {}},
            },
        },
        {"computedResults": {"bilan": 7000, "categories": {"transport": 1000,
         "alimentation": 2000, "logement": 1500, "divers": 1116, "services sociétaux": 1384}}},
    ]  # fmt: skip
    path = tmp_path / "simulations.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    assert main(["footprint", str(path), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert [a["name"] for a in answer] == ["A", "row 2"]
    assert answer[0]["usages"]["alimentation"] == 2500
    assert answer[1]["usages"]["alimentation"] == 2000
    # a usage is given only when all of its sub-categories are
    assert (answer[0]["usages"]["avion"], answer[0]["usages"]["numerique"]) == (600, 200)
    assert answer[0]["usages"]["mobilite"] is None and answer[1]["usages"]["avion"] is None


@pytest.mark.parametrize(
    "value, reason",
    [("#####", "NGC marked this result as invalid"), ("abc", "not a number"),
     ("-5", "negative footprint"), ("", "missing value")],
)  # fmt: skip
def test_bad_cells_are_errors_naming_row_column_value(tmp_path, capsys, value, reason):
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[1][3] = value
    path = poll_export(tmp_path / "export.xlsx", rows=rows)
    assert main(["footprint", str(path), "--json"]) != 0
    [reported] = json.loads(capsys.readouterr().out)["problems"]
    assert (reported["row"], reported["column"], reported["value"]) == (
        3,
        "alimentation carbone",
        value,
    )
    cells = pd.DataFrame(
        [[str(v) for v in r] for r in rows], columns=HEADER, index=pd.Index([2, 3])
    )
    with pytest.raises(InputError) as error:
        results_footprints(cells, "export.xlsx")
    [problem] = error.value.problems
    assert (problem.row, problem.column, problem.value, problem.reason) == (
        3,
        "alimentation carbone",
        value,
        reason,
    )


def test_inconsistent_total_is_a_warning(tmp_path):
    rows = [list(ROWS[0])]
    rows[0][1] = 9999
    cells = pd.DataFrame([[str(v) for v in r] for r in rows], columns=HEADER, index=[2])
    _, warnings = results_footprints(cells, "export.xlsx")
    assert [w.row for w in warnings if "sum of the categories" in w.reason] == [2]


def test_json_items_without_results_are_named():
    with pytest.raises(InputError) as error:
        results_cells([{"computedResults": {"carbone": {}}}], "s.json")
    assert error.value.problems[0].row == 1


def test_messages_in_french(tmp_path):
    from qet_geo.i18n import set_language, tr

    rows = [list(ROWS[0]), list(ROWS[2])]
    rows[0][1] = 9999
    cells = pd.DataFrame([[str(v) for v in r] for r in rows], columns=HEADER, index=[2, 3])
    _, warnings = results_footprints(cells, "export.xlsx")
    bad = cells.copy()
    bad.iloc[0, 3], bad.iloc[1, 3] = "#####", "-1"
    bad.iloc[0, 4] = ""
    with pytest.raises(InputError) as error:
        results_footprints(bad, "export.xlsx")
    try:
        set_language("fr")
        texts = [p.reason for p in warnings + error.value.problems]
        texts += [p.expected for p in warnings + error.value.problems if p.expected]
        assert len(texts) >= 8
        assert [t for t in texts if tr(t) == t] == []
    finally:
        set_language("en")
