""":func:`qet_geo.diagnostic.job.import_answers`, what the Processing imports write
(issue 15): codes only, multi-choice answers as ``{A,B}``, each respondent's profile when
the profiles are given, the rejected rows by number and reasons (never the row as read),
and messages naming the files as the caller names them."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from qet_geo.diagnostic.job import import_answers, run_diagnostic
from qet_geo.errors import ParameterError

ROOT = Path(__file__).resolve().parents[2]
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")  # fmt: skip
DIAG = SHARED / "data" / "near-diag"
EMDV = DIAG / "Way Of Life Answer.json"
NGC = DIAG / "Carbon Footprint Answer.json"
SU_DATA = DIAG / "Su Data.json"
PLACEHOLDER = "texte libre retiré"
needs_data = pytest.mark.skipif(not EMDV.is_file(), reason="../shared/data/near-diag is missing")


@needs_data
def test_the_answers_are_codes_with_the_profiles():
    got = import_answers(EMDV, su_data=SU_DATA)
    report = got.report
    assert (report.rows_read, report.accepted + report.rejected) == (127, 127)
    answers = got.answers
    assert len(answers) == report.accepted
    assert {"profile", "link", "distance"} <= set(answers.columns)
    assert answers["link"].value_counts().to_dict() == {"assigned": 70, "declared": 57}
    for column in answers.columns:  # no tuple left, no free text
        for value in answers[column].dropna():
            assert not isinstance(value, (tuple, list)), column
            assert PLACEHOLDER not in str(value), column
    barriers = answers["reasons_to_continue_using_car"].dropna()
    assert barriers.str.startswith("{").all() and barriers.str.endswith("}").all()
    assert list(got.rejects.columns) == ["row", "reason"]
    lines = got.lines()
    assert lines[0].startswith("Profiles: ") and "127 rows read, 127 accepted" in lines[1]
    assert lines[-1].startswith("  EMdV: 57 respondents gave their SU code")


@needs_data
def test_without_profiles_the_codes_only():
    got = import_answers(EMDV)
    assert "profile" not in got.answers.columns and got.profiles is None


@needs_data
def test_a_row_whose_code_the_profiles_lack_is_a_reject_by_number(tmp_path):
    rows = json.loads(EMDV.read_text(encoding="utf-8"))
    rows[4]["Su"] = 99
    rows[4]["Know Su"] = True
    bad = tmp_path / "emdv.json"
    bad.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    got = import_answers(bad, su_data=SU_DATA)
    assert (got.report.accepted, got.report.rejected) == (126, 1)
    assert got.rejects["row"].tolist() == [5]
    assert "the profiles lack" in got.rejects["reason"].iloc[0]
    assert set(got.rejects.columns) <= {"row", "respondent_id", "reason"}


def test_the_messages_name_the_files_as_the_caller_does(tmp_path):
    names = {"su_data": "SU_DATA", "model": "MODEL", "emdv": "EMDV", "ngc": "NGC"}
    with pytest.raises(ParameterError, match=r"Su Data.json \(SU_DATA\) .* \(MODEL\)"):
        import_answers(tmp_path / "x.json", su_data="a", model="b", names=names)
    with pytest.raises(ParameterError, match=r"\(EMDV\), the NGC answers \(NGC\)"):
        run_diagnostic(su="x", su_data="y", names=names)
    with pytest.raises(ParameterError, match=r"\(--su-data\) .* \(--model\)"):
        run_diagnostic(su="x", emdv="e")  # the command line's names by default
    with pytest.raises(ParameterError, match="unknown survey"):
        import_answers(tmp_path / "x.json", "su")


@needs_data
@pytest.mark.skipif(importlib.util.find_spec("qet_geo.diagnostic.ngc") is None,
                    reason="qet_geo.diagnostic.ngc is not there yet")  # fmt: skip
def test_the_ngc_results_with_the_profiles():
    got = import_answers(NGC, "ngc", su_data=SU_DATA)
    assert got.report.rows_read == got.report.accepted + got.report.rejected
    assert "profile" in got.answers.columns and len(got.answers) == got.report.accepted
