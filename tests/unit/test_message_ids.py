"""Messages with values are translated by their message id, never by re-parsing English.

A reason built where the problem is found is a :class:`qet_geo.i18n.Message`: its text is
the formatted English (what the rejects file and the JSON report keep, byte for byte as
before), its template the key of the French catalogue. The data files of a bad survey are
compared with the ones the code of before message ids wrote (``data/message_ids``, written
by main at commit ed649af with ``python tests/unit/test_message_ids.py OUT_DIR``).
"""

from __future__ import annotations

import json
import os
import pickle
import sys
from pathlib import Path

import pytest

import qet_geo.i18n
from qet_geo.i18n import set_language, translate
from qet_geo.survey import import_survey, write_rejects

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "survey_su.tsv"
GOLDEN = Path(__file__).resolve().parent / "data" / "message_ids"
#: the regexes over English the catalogue had (none left: tests/unit/test_i18n_catalogue.py)
_FR_COMPILED = getattr(qet_geo.i18n, "_FR_COMPILED", ())


def bad_survey(path: Path) -> Path:
    """A survey export with the defects whose reasons carry values (40 rows of the sample)."""
    lines = SAMPLE.read_bytes().split(b"\n")[:41]
    rows = [line.split(b"\t") for line in lines]
    rows[3] = rows[3] + [b"extra"]  # one field too many
    rows[4] = [b";".join(rows[4])]  # mixed delimiters: the row separated by ';'
    rows[5][0] = rows[6][0]  # duplicate respondent id
    rows[7][5] = b"400"  # a number outside every band
    rows[8][8] = b"150"  # an age outside every band
    rows[9][3] = "Du numérique".encode()  # unknown answer
    rows[10][1] = b"Caf\xe9"  # a byte that is not UTF-8 (Windows-1252 é)
    rows[11][13], rows[11][14] = rows[11][14], rows[11][13]  # lon/lat swapped
    rows[12][14] = b"91"  # latitude out of range
    rows[13] = rows[13][:5]  # too few fields
    path.write_bytes(b"\n".join(b"\t".join(row) for row in rows) + b"\n")
    return path


def outputs(folder: Path) -> dict[str, bytes]:
    """The rejects CSV, the JSON report and the text report (English and French)."""
    work = folder / "work"
    work.mkdir(parents=True, exist_ok=True)
    bad_survey(work / "bad_survey.tsv")
    files = {}
    here = os.getcwd()
    os.chdir(work)  # the file named as a user names it: no temporary folder in the reports
    try:
        for lang in ("en", "fr"):
            set_language(lang)
            try:
                survey = import_survey("bad_survey.tsv")
                report = json.dumps(survey.report.to_dict(), ensure_ascii=False, indent=2)
                files[f"report_{lang}.json"] = report.encode("utf-8")
                text = survey.report.to_text(max_problems=100)
                files[f"report_{lang}.txt"] = text.encode("utf-8")
            finally:
                set_language(None)
        files["rejects.csv"] = write_rejects(survey.rejects, "rejects.csv").read_bytes()
    finally:
        os.chdir(here)
    return files


def test_data_files_and_reports_are_the_ones_of_before(tmp_path):
    """Rejects CSV and JSON report byte for byte as main wrote them, French text too."""
    written = outputs(tmp_path)
    for name, content in written.items():
        assert content == (GOLDEN / name).read_bytes(), name


def test_a_reason_with_values_is_translated_by_its_message_id(tmp_path):
    from qet_geo.i18n import Message

    survey = import_survey(bad_survey(tmp_path / "bad.tsv"))
    reasons = {p.reason for p in survey.report.problems}
    width = next(r for r in reasons if r.startswith("the row has 16 field(s)"))
    assert width == "the row has 16 field(s) but the header has 15"
    assert isinstance(width, Message)
    assert width.template == "the row has {fields} field(s) but the header has {width}"
    assert width.values == {"fields": 16, "width": 15, "delimiter": "tab"}
    # no regex of the catalogue knows it any more: French comes from the template
    assert not any(pattern.fullmatch(width) for pattern, _ in _FR_COMPILED)
    assert translate("fr", width) == "la ligne a 16 champ(s) mais l'en-tête en a 15"
    duplicate = next(r for r in reasons if r.startswith("duplicate respondent id ("))
    assert not any(pattern.fullmatch(duplicate) for pattern, _ in _FR_COMPILED)
    assert translate("fr", duplicate).startswith(
        "identifiant de répondant en double (déjà vu ligne "
    )
    bands = next(r for r in reasons if r.startswith("number outside every band (1: "))
    assert (
        bands == "number outside every band (1: >= 0 and < 1; 2: >= 1 and <= 3; 3: > 3 and <= 365)"
    )
    assert not any(pattern.fullmatch(bands) for pattern, _ in _FR_COMPILED)
    assert translate("fr", bands) == (
        "nombre hors de toutes les classes (1: >= 0 et < 1; 2: >= 1 et <= 3; 3: > 3 et <= 365)"
    )
    # a value that is itself a message is translated with it
    nested = Message("stopped: {reason}", reason=Message("one of {choices}", choices="'a', 'b'"))
    assert translate("fr", nested) == "arrêt : une valeur parmi 'a', 'b'"
    assert translate("en", nested) == "stopped: one of 'a', 'b'"


def test_a_message_is_its_english_text_in_data_and_keeps_its_id_when_copied():
    from qet_geo.errors import Problem
    from qet_geo.i18n import Message

    reason = Message("coordinates outside the valid range of {crs}", crs="EPSG:2154")
    problem = Problem("f.csv", 3, "x", "1e9", reason)
    assert problem.to_dict()["reason"] == "coordinates outside the valid range of EPSG:2154"
    assert json.loads(json.dumps(problem.to_dict()))["reason"] == reason
    for copy in (pickle.loads(pickle.dumps(problem)).reason, problem.to_dict()["reason"]):
        assert copy.template == reason.template and copy.values == {"crs": "EPSG:2154"}
    set_language("fr")
    try:
        assert str(problem) == (
            "f.csv, ligne 3, colonne 'x': valeur '1e9': "
            "coordonnées hors du domaine valide de EPSG:2154"
        )
    finally:
        set_language(None)


@pytest.mark.parametrize(
    ("template", "values", "french"),
    [
        (
            "byte 0x{byte:02x} at byte {offset} of the row is neither UTF-8 nor Windows-1252 text",
            {"byte": 0x81, "offset": 4},
            "l'octet 0x81 (octet 4 de la ligne) n'est ni de l'UTF-8 ni du Windows-1252",
        ),
        (
            "a number from {low:g} to {high:g} or one of {choices}",
            {"low": 0.0, "high": 365.0, "choices": "'Jamais'"},
            "un nombre de 0 à 365 ou une valeur parmi 'Jamais'",
        ),
        (
            "mixed encodings: row {row} is not UTF-8 while row {utf8_row} is UTF-8 "
            "({rows} rows are not UTF-8, {utf8_rows} are)",
            {"row": 3, "utf8_row": 2, "rows": 5, "utf8_rows": 1},
            "encodages mélangés : la ligne 3 n'est pas en UTF-8 alors que la ligne 2 l'est "
            "(5 lignes ne sont pas en UTF-8, 1 le sont)",
        ),
        (
            "this row has {fields} fields, the header {width}",
            {"fields": 3, "width": 5},
            "cette ligne a 3 champs, l'en-tête 5",
        ),
        (
            "a number from {low} to {high} (required for stops, stations and entrances)",
            {"low": -90, "high": 90},
            "un nombre de -90 à 90 (obligatoire pour les arrêts, stations et entrées)",
        ),
        (
            "not UTF-8 text: byte 0x{byte:02X} at column {column}",
            {"byte": 0xE9, "column": 12},
            "pas du texte UTF-8 : octet 0xE9 en colonne 12",
        ),
        (
            "{variable}={text!r}: expected a whole number",
            {"variable": "QET_GEO_MAX_ROWS", "text": "many"},
            "QET_GEO_MAX_ROWS='many' : nombre entier attendu",
        ),
        (  # its old pattern never matched: this one was shown in English
            "the text is encoded twice ({letters!r} stands for an accented letter): the file "
            "was saved as UTF-8 after being read as Windows-1252",
            {"letters": "Ã©"},
            "le texte est encodé deux fois ('Ã©' remplace une lettre accentuée) : le fichier a "
            "été enregistré en UTF-8 après avoir été lu en Windows-1252",
        ),
        (
            "truncated label matches several answers: {codes}",
            {"codes": "1, 2"},
            "libellé tronqué correspondant à plusieurs réponses : 1, 2",
        ),
    ],
)
def test_converted_templates_need_no_pattern(template, values, french):
    from qet_geo.i18n import Message

    message = Message(template, **values)
    assert not any(pattern.fullmatch(message) for pattern, _ in _FR_COMPILED)
    assert translate("fr", message) == french


if __name__ == "__main__":  # write the reference files (with the code of before)
    out = Path(sys.argv[1])
    for name, content in outputs(out).items():
        (out / name).write_bytes(content)
