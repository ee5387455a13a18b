"""Every message a user can meet in the bad-input corpus exists in French."""

from __future__ import annotations

import re

import pytest
from unit_helpers import SU_ANSWERS, SU_HEADER, write_text

from qet_geo.errors import InputError
from qet_geo.i18n import language, set_language, tr
from qet_geo.survey import Location, import_survey


def _problems(tmp_path):
    """Problems of a file with one of each row-level defect, and file-level errors."""
    header = [
        *SU_HEADER,
        "Habitez-vous dans le quartier ?",
        "Quel âge avez-vous ?",
        "longitude",
        "latitude",
    ]
    good = [*SU_ANSWERS, "Oui", "30-44 ans"]
    rows = [
        ["1", *good, "2.35", "48.85"],
        ["1", *good, "2.35", "48.85"],  # duplicate id
        ["", *good, "2.35", "48.85"],  # missing id
        ["4", "Jamais", *good[1:], "2.35", "48.85"],  # unknown answer
        ["5", *SU_ANSWERS[:4], "-2", *good[5:], "2.35", "48.85"],  # number out of bands
        ["6", *SU_ANSWERS[:5], "", *good[6:], "2.35", "48.85"],  # missing answer
        ["7", *SU_ANSWERS, "Non", "30-44 ans", "2.35", "48.85"],
        ["8", *good, "48.85", "2.35"],  # swapped
        ["9", *good, "2.35", "95"],  # out of range
        ["10", *good, "abc", "48.85"],  # not a number
        ["11", *good, "", "48.85"],  # missing coordinate
        ["12", *good, "-73.98", "40.75"],  # outside France
        ["13,x,y"],  # malformed
    ]
    path = write_text(tmp_path / "all.csv", header, rows)
    problems = list(import_survey(path).report.problems)
    for text in ("", "a;b\n", "\x00\x00", "PK\x03\x04"):
        bad = tmp_path / "bad.csv"
        bad.write_bytes(text.encode("latin-1"))
        with pytest.raises(InputError) as error:
            import_survey(bad)
        problems += error.value.problems
    with pytest.raises(InputError) as error:
        import_survey(write_text(tmp_path / "nocol.csv", SU_HEADER[:-1], [["1"]]))
    problems += error.value.problems
    xy = write_text(tmp_path / "xy.csv", [*SU_HEADER, "x", "y"], [["1", *SU_ANSWERS, "1", "2"]])
    with pytest.raises(InputError) as error:
        import_survey(xy, location=Location(kind="xy"))
    problems += error.value.problems
    return problems


def test_every_message_of_the_corpus_is_translated(tmp_path):
    problems = _problems(tmp_path)
    assert len(problems) >= 15
    set_language("fr")
    untranslated = {
        p.reason
        for p in problems
        if tr(p.reason) == p.reason and not re.search("réside|moins de 15", p.reason)
    }
    untranslated |= {p.expected for p in problems if p.expected and tr(p.expected) == p.expected}
    assert untranslated == set()


def test_messages_follow_the_language(tmp_path, monkeypatch):
    set_language(None)
    monkeypatch.setenv("QET_GEO_LANG", "")
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LC_MESSAGES", "")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert language() == "fr"
    path = tmp_path / "vide.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(
        InputError, match="vide.csv: le fichier est vide; attendu une ligne d'en-tête"
    ):
        import_survey(path)
    set_language("en")
    with pytest.raises(InputError, match="vide.csv: the file is empty; expected a header row"):
        import_survey(path)
