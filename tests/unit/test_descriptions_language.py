"""Profile descriptions are written in the output's language (issue 12: "Headings are
English while names are French"; after the first fix the descriptions stayed French in
``--lang en`` outputs): the profiles table, the report, the poster and the shareable
model's group say the same numbers in French by default and in English when asked."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from qet_geo.profiles import SU_VARIABLES, ProfileModel
from qet_geo.profiles.report import report_html

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
#: words only a French description holds
FRENCH = re.compile(r"répondants|réponses? |Réponses les plus|de l'ensemble|Empreinte|secret statistique|\d,\d t")  # fmt: skip
#: words only an English description holds
ENGLISH = re.compile(r"of respondents|Most frequent answers|average|Estimated footprint|statistical confidentiality|\d\.\d t")  # fmt: skip


@pytest.fixture(scope="module")
def model():
    a, b, c = [1, 1, 1, 1, 1, 1], [3, 3, 3, 3, 3, 3], [1, 3, 1, 3, 1, 3]
    respondents = pd.DataFrame([a] * 30 + [b] * 20 + [c] * 3, columns=list(SU_VARIABLES))
    return ProfileModel("kmeans", k=3).fit(respondents)


def _english_only(text: str) -> None:
    assert ENGLISH.search(text), text
    assert not FRENCH.search(text), FRENCH.search(text).group(0) + " in: " + text


def test_the_table_is_french_by_default_and_english_when_asked(model):
    fr = model.profiles_table()["description"].tolist()
    en = model.profiles_table(language="en")["description"].tolist()
    assert len(fr) == len(en) == 2  # one profile, then the group (20 + 3 respondents)
    for text in fr:
        assert FRENCH.search(text) and not re.search(r"Most frequent|of respondents", text)
    for text in en:
        _english_only(text)
    assert "30 answers" in en[0] and "30 réponses" in fr[0]
    # the group says it holds a larger profile, in both languages, without its size
    assert "one larger profile" in en[1] and "un profil plus grand" in fr[1]
    assert "20 " not in en[1] and "20 " not in fr[1]
    # the private table (every profile) too
    for text in model.profiles_table(private=True, language="en")["description"]:
        _english_only(text)


def test_the_report_and_the_shareable_model_in_english(model, tmp_path):
    text = report_html(model, language="en")
    cells = re.findall(r"<td>([^<]*(?:answers|respondents)[^<]*)", text)
    assert len(cells) == 2, cells
    for cell in cells:
        _english_only(cell.replace("&#x27;", "'"))
    model.save(tmp_path / "m.json")
    shared = ProfileModel.load(tmp_path / "m.json")
    for text in shared.profiles_table(language="en")["description"]:
        _english_only(text)
    # what is saved is the French default, whatever was asked before
    data = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert FRENCH.search(data["profiles"][0]["description"])


def test_profiles_detect_lang_en_writes_english_descriptions(tmp_path):
    """As a user runs it: ``qet-geo --lang en profiles detect … --table profiles.csv``."""
    table = tmp_path / "profiles.csv"
    done = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "--lang", "en", "profiles", "detect",
         str(SAMPLE / "survey_su.tsv"), "--method", "near", "--bootstrap", "0",
         "-o", str(tmp_path / "m.json"), "--table", str(table)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    with open(table, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        _english_only(row["description"])
