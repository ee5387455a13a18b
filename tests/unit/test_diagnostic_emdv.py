"""Import of the "Espace et Mode de Vie" answers (issue 15): the real Porte d'Orléans
export with every row accounted for, the counts held to what the raw JSON says (computed
here, not by the code under test), the three shapes (Metabase JSON, a database dump with
snake_case columns, Typeform payloads), free text kept out of the answers, the link to the
profiles, and each bad input a precise error."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from qet_geo.diagnostic.emdv import import_emdv
from qet_geo.diagnostic.link import link_profiles, read_su_data
from qet_geo.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
# ../shared/data from the repository (a worktree of it one folder deeper)
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")  # fmt: skip
DIAG = SHARED / "data" / "near-diag"
EMDV = DIAG / "Way Of Life Answer.json"
SU_DATA = DIAG / "Su Data.json"
pytestmark = pytest.mark.skipif(not EMDV.is_file(), reason="../shared/data/near-diag is missing")

PLACEHOLDER = "texte libre retiré"
#: NEAR's current weights of the answers 1/2/3 of the six SU questions, and their codes
WEIGHTS = {
    "Meat Frequency": ({"MINOR": 200, "REGULAR": 1000, "MAJOR": 2000}),
    "Transportation Mode": ({"LIGHT": 0, "PUBLIC": 300, "CAR": 2300}),
    "Digital Intensity": ({"LIGHT": 90, "REGULAR": 180, "INTENSE": 360}),
    "Purchasing Strategy": ({"SECOND_HAND": 400, "MIXED": 800, "NEW": 1600}),
    "Air Travel Frequency": ({"ZERO": 0, "FROM_1_TO_3": 800, "ABOVE_3": 2000}),
    "Heat Source": ({"ELECTRICITY": 200, "GAZ": 1100, "OIL": 1600}),
}


def raw() -> list[dict]:
    return json.loads(EMDV.read_text(encoding="utf-8"))


def write(tmp_path: Path, rows, name="emdv.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def free_texts(rows: list[dict]) -> list[str]:
    """Every free-text value of the raw export, found by its form (not by the schema):
    the testimony columns ("Other … Information", "Comment"), quoted or unknown items of a
    list, a zone that is not a zone code."""
    found = []
    for row in rows:
        for header, value in row.items():
            if not isinstance(value, str) or not value.strip():
                continue
            if header.startswith("Other ") or header in ("Comment", "Neighborhood Purpose"):
                found.append(value)
            elif value.startswith("{") and value.endswith("}"):
                for part in re.findall(r'"((?:[^"\\]|\\.)*)"|([^,{}"]+)', value[1:-1]):
                    text = part[0] or part[1]
                    if part[0] or not re.fullmatch(r"[A-Z0-9_]+", text):
                        found.append(text)
            elif header.endswith("Zone") and not re.fullmatch(r"[A-Z_]+", value):
                found.append(value)
    return found


def test_the_real_export_imports_with_every_row_accounted_for():
    rows = raw()
    got = import_emdv(EMDV)
    report = got.report
    assert (report.rows_read, report.accepted, report.rejected) == (127, 127, 0)
    assert len(got.answers) == 127 and got.rejects.empty
    assert report.format == "json" and report.schema == "near-emdv"
    assert not report.missing_questions and not report.unknown_columns
    # the satisfaction and wish codes are the raw ones, cell by cell
    for header, key in (("Easy Public Transports", "easy_public_transports"),
                        ("Want To Reduce Car Usage", "want_to_reduce_car_usage"),
                        ("Public Service Presence", "public_service_presence"),
                        ("Prefer Second And", "prefer_second_and")):  # fmt: skip
        expected = Counter(r[header] for r in rows if r[header])
        assert Counter(got.answers[key].dropna()) == expected, header
    # a list answer: each code as often as in the raw literals
    raw_meat = Counter(
        c for r in rows for c in re.findall(r"[A-Z][A-Z_]+", r["Reasons To Eat Meat"] or "")
    )
    got_meat = Counter(c for t in got.answers["reasons_to_eat_meat"].dropna() for c in t)
    for code, count in raw_meat.items():
        assert got_meat[code] == count, code
    # NEAR's empty local-food barrier is "Ça ne me concerne pas", said in a note
    empty = sum(r["Reasons To Not Buy French And Season Food"] == "{}" for r in rows)
    assert empty == 32
    local = got.answers["reasons_to_not_buy_french_and_season_food"]
    assert sum(t == ("NOT_CONCERNED",) for t in local) >= empty
    assert any("NOT_CONCERNED" in line and "32" in line for line in report.lines())
    # zone B is east and C south, as the form says (not the boards' swap)
    form = got.schema.items["food_market_zone"]
    assert "est" in form.choices["ZONE_B"].label and "sud" in form.choices["ZONE_C"].label


def test_free_text_never_reaches_the_answers_and_is_all_kept_private():
    rows = raw()
    got = import_emdv(EMDV)
    texts = free_texts(rows)
    assert texts.count(PLACEHOLDER) == sum(
        str(v).count(PLACEHOLDER) for r in rows for v in r.values()
    )
    assert Counter(got.private["text"]) == Counter(t.strip() for t in texts)
    cells = {str(v) for column in got.answers.columns for v in got.answers[column].dropna()}
    cells |= {c for column in got.answers.columns for v in got.answers[column].dropna()
              if isinstance(v, tuple) for c in v}  # fmt: skip
    for text in set(texts):
        if text.strip() and text.strip() not in ("Non", "Rien"):
            assert text.strip() not in cells, text
    assert PLACEHOLDER not in cells
    # an "Autre" text is OTHER in the answers
    assert any("OTHER" in t for t in got.answers["your_volontary_work"].dropna())


def test_the_profiles_are_the_declared_su_or_the_nearest_barycentre():
    rows = raw()
    su = json.loads(SU_DATA.read_text(encoding="utf-8"))
    number = {str(s["ID"]): s["Su"] for s in su}
    centres = {s["Su"]: np.array(json.loads(s["Barycenter"]) if isinstance(s["Barycenter"], str)
                                 else s["Barycenter"], dtype=float) for s in su}  # fmt: skip
    got = import_emdv(EMDV)
    frame, problems = link_profiles(got.answers, read_su_data(SU_DATA), "x")
    assert not problems
    by_id = dict(zip(got.answers["respondent_id"], range(len(got.answers)), strict=True))
    declared = assigned = 0
    for r in rows:
        i = by_id[str(r["ID"])]
        if r["Know Su"]:
            expected, link = number[str(r["Su ID"])], "declared"
            declared += 1
        else:
            x = np.array([WEIGHTS[h][r[h]] for h in WEIGHTS], dtype=float)
            expected = min(centres, key=lambda k: np.linalg.norm(x - centres[k]))
            link = "assigned"
            assigned += 1
            assert frame["distance"][i] == pytest.approx(np.linalg.norm(x - centres[expected]))
        assert frame["profile"][i] == expected and frame["link"][i] == link
    assert (declared, assigned) == (57, 70)


def test_a_database_dump_with_snake_case_columns_reads_the_same(tmp_path):
    import csv

    rows = raw()
    path = tmp_path / "way_of_life_answer.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        header = [h.lower().replace(" ", "_") for h in rows[0]]
        writer = csv.writer(f)
        writer.writerow(header)
        for r in rows:
            writer.writerow(["" if v is None else str(v).lower() if isinstance(v, bool) else v
                             for v in r.values()])  # fmt: skip
    dump = import_emdv(path)
    export = import_emdv(EMDV)
    assert dump.report.accepted == 127
    for key in ("easy_public_transports", "want_to_reduce_car_usage", "reasons_to_eat_meat",
                "food_market_zone", "transport_time_to_work"):  # fmt: skip
        assert dump.answers[key].tolist() == export.answers[key].tolist(), key


def test_a_typeform_payload_reads_by_choice_ref_and_drops_the_email():
    got = import_emdv(DIAG / "webhooks" / "way-of-life.json")
    assert got.report.format == "typeform-webhook"
    assert (got.report.rows_read, got.report.accepted) == (1, 1)
    payload = json.loads((DIAG / "webhooks" / "way-of-life.json").read_text(encoding="utf-8"))
    emails = re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", json.dumps(payload))
    cells = {str(v) for c in got.answers.columns for v in got.answers[c].dropna()}
    assert not any(e in cell for e in emails for cell in cells)
    assert any("dropped" in line or "supprim" in line for line in got.lines())
    satisfaction = got.answers[[i.key for i in got.schema.of_kind("satisfaction")]]
    assert satisfaction.notna().sum().sum() > 0
    assert set(satisfaction.stack()) <= {"NO", "DONT_KNOW", "YES"}


def test_a_renamed_header_is_named_with_the_question_it_looks_like(tmp_path):
    rows = raw()
    for r in rows:
        r["Easy Public Transport"] = r.pop("Easy Public Transports")
    with pytest.raises(InputError) as error:
        import_emdv(write(tmp_path, rows))
    text = str(error.value)
    assert "emdv.json" in text and "'Easy Public Transport'" in text
    assert "Easy Public Transports" in text


def test_an_unknown_code_rejects_its_row_naming_file_row_column_value_and_codes(tmp_path):
    rows = raw()
    rows[4]["Easy Walking"] = "MAYBE"
    got = import_emdv(write(tmp_path, rows))
    assert (got.report.rows_read, got.report.accepted, got.report.rejected) == (127, 126, 1)
    (problem,) = got.report.problems
    text = str(problem)
    assert "emdv.json" in text and "5" in text and "Easy Walking" in text and "MAYBE" in text
    assert "NO" in text and "DONT_KNOW" in text and "YES" in text
    assert got.rejects["row"].tolist() == [5] and got.rejects["Easy Walking"][0] == "MAYBE"
    assert "unknown answer code" in got.rejects["reason"][0]
    assert str(rows[4]["ID"]) not in got.answers["respondent_id"].tolist()
    # the rejected row's free text stays out of the private texts too (the row is not read)
    assert not (got.private["row"] == 5).any()


def test_a_broken_array_literal_rejects_its_row(tmp_path):
    rows = raw()
    rows[9]["Reasons To Eat Meat"] = '{MY_FAMILY_EAT_MEAT,"non fermé'
    got = import_emdv(write(tmp_path, rows))
    assert got.report.rejected == 1
    (problem,) = got.report.problems
    assert problem.row == 10 and problem.column == "Reasons To Eat Meat"
    assert "array literal" in str(problem) and "{" in str(problem.expected)


def test_a_duplicate_respondent_is_rejected_once(tmp_path):
    rows = raw()
    rows.append(dict(rows[0]))
    got = import_emdv(write(tmp_path, rows))
    assert (got.report.rows_read, got.report.accepted, got.report.rejected) == (128, 127, 1)
    assert "duplicate" in str(got.report.problems[0])


def test_a_profile_code_the_profiles_lack_is_an_error_of_the_row(tmp_path):
    rows = raw()
    known = next(i for i, r in enumerate(rows) if r["Know Su"])
    rows[known]["Su ID"] = 999
    got = import_emdv(write(tmp_path, rows))
    frame, problems = link_profiles(got.answers, read_su_data(SU_DATA), "emdv.json")
    (i, problem), = problems.items()  # fmt: skip
    assert got.answers["row"][i] == known + 1
    text = str(problem)
    assert "999" in text and "477" in text and "Su Data.json" in text


def test_the_su_records_are_checked(tmp_path):
    su = json.loads(SU_DATA.read_text(encoding="utf-8"))
    profiles = read_su_data(SU_DATA)
    assert profiles.numbers == sorted(s["Su"] for s in su)
    assert sum(profiles.shares.values()) == pytest.approx(1)
    bad = [dict(s) for s in su]
    bad[1]["Barycenter"] = "[1, 2, 3]"
    path = write(tmp_path, bad, "Su Data.json")
    with pytest.raises(InputError) as error:
        read_su_data(path)
    assert "Su Data.json" in str(error.value) and "Barycenter" in str(error.value)


def test_the_problems_and_the_report_are_said_in_french(tmp_path):
    from qet_geo.i18n import set_language

    rows = raw()
    rows[4]["Easy Walking"] = "MAYBE"
    got = import_emdv(write(tmp_path, rows))
    set_language("fr")
    try:
        problem = str(got.report.problems[0])
        report = "\n".join(got.lines())
    finally:
        set_language(None)
    assert "ligne 5" in problem and "code de réponse inconnu" in problem
    assert "l'un de" in problem and "NO" in problem
    assert "127 lignes lues, 126 acceptées, 1 rejetées" in report
    assert "lues comme « Ça ne me concerne pas »" in report
    # the data keep their English reasons: stable keys for scripts
    assert "unknown answer code" in got.rejects["reason"][0]
