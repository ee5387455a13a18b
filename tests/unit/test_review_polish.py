"""Defects of a hostile review of the command line: English inside French messages and
reports, a traceback when the standard output is full or closed, help texts that said
what is no longer true, an interval printed as "None"."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
SURVEY = SAMPLE / "survey_su.tsv"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
ENV.pop("QET_GEO_LANG", None)
ENV.pop("LC_ALL", None)


def cli(*argv, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", *map(str, argv)],
        stdout=stdout, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("model") / "m.json"
    run = cli("profiles", "detect", SURVEY, "--bootstrap", "0", "-o", path)
    assert run.returncode == 0, run.stderr
    return path


# 1. the weak-structure warning, whole in French
WEAK = ("profiles", "detect", SURVEY, "--method", "kmeans", "--k", "auto", "--bootstrap", "0")
ENGLISH_WEAK = ("no k from", "clear structure", "the best silhouette", "continuum of habits")


def test_the_weak_structure_warning_is_french_in_the_french_report(tmp_path):
    """The report (French by default) of a run whose messages are English: the warning
    (a head with values and its advice, joined by "; ") was left in English."""
    run = cli(*WEAK, "-o", tmp_path / "k.json", "--report", tmp_path / "k.html")
    assert run.returncode == 0, run.stderr
    assert "no k from 2 to 10 gives a clear structure" in run.stderr  # messages: English
    page = (tmp_path / "k.html").read_text(encoding="utf-8")
    warning = re.search(r'<li class="warn">pas de structure nette : ([^<]*)</li>', page)
    assert warning, page
    assert warning.group(1).startswith("aucun k de 2 à 10 ne donne de structure nette")
    assert "les profils découpent un continuum d&#x27;habitudes" in warning.group(1)
    assert not any(text in warning.group(1) for text in ENGLISH_WEAK)


def test_the_weak_structure_warning_is_french_on_the_console(tmp_path):
    run = cli("--lang", "fr", *WEAK, "-o", tmp_path / "k.json")
    assert run.returncode == 0, run.stderr
    assert "aucun k de 2 à 10 ne donne de structure nette" in run.stderr
    assert "les profils découpent un continuum d'habitudes" in run.stderr
    assert not any(text in run.stderr for text in ENGLISH_WEAK)


def test_an_english_report_of_a_french_run_has_the_warning_in_english(tmp_path):
    """The way back: messages in French, the report asked in English."""
    out = tmp_path / "k.html"
    run = cli(*WEAK, "-o", tmp_path / "k.json", "--report", out, "--lang", "en")
    assert run.returncode == 0, run.stderr
    env_fr = {**ENV, "QET_GEO_LANG": "fr"}
    run = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", *map(str, WEAK), "-o", tmp_path / "f.json",
         "--report", tmp_path / "f.html"],
        capture_output=True, text=True, env=env_fr, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0 and "aucun k de 2 à 10" in run.stderr, run.stderr
    from qet_geo.i18n import retranslate

    french = run.stderr.split("pas de structure nette: ", 1)[1].splitlines()[0]
    english = retranslate("en", french)
    assert english.startswith("no k from 2 to 10 gives a clear structure")
    assert english.endswith("NEAR's method (the QeT reference) or more answers")


# 2. messages of parameters, in French under --lang fr
@pytest.mark.parametrize(
    ("argv", "french"),
    [
        (("transit", "ptal", SAMPLE / "gtfs", "--areas", SAMPLE / "quartier.gpkg",
          "--window", "abc"), "fenêtre horaire 'abc' : attendu HH:MM-HH:MM"),
        (("transit", "ptal", SAMPLE / "gtfs", "--areas", SAMPLE / "quartier.gpkg",
          "--window", "09:15-08:15"),
         "fenêtre horaire '09:15-08:15' : la fin doit venir après le début"),
        (("profiles", "detect", SURVEY, "--bootstrap", "0", "--colours", "1=notacolour"),
         "la couleur 'notacolour' n'est pas de la forme #RRGGBB"),
        (("profiles", "detect", SURVEY, "--bootstrap", "0", "--min-cell", "2"),
         "un seuil de 2 répondants est sous 3 : il demande l'autorisation explicite"),
        (("profiles", "detect", SURVEY, "--bootstrap", "0", "--method", "kmeans"),
         "la méthode 'kmeans' demande k (un nombre de profils, ou 'auto')"),
        (("areas", "map", "--respondents", SURVEY, "--areas", SAMPLE / "quartier.gpkg",
          "--areas-layer", "iris", "--neighbourhoods", "Centre"),
         "quartier 'Centre' : attendu NOM=code,code,…"),
    ],
    ids=["window", "window-order", "colour", "min-cell", "kmeans-k", "neighbourhoods"],
)  # fmt: skip
def test_parameter_errors_are_french(tmp_path, argv, french):
    run = cli("--lang", "fr", *argv, "-o", tmp_path / "out.gpkg")
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert french in run.stderr
    for english in ("time window", "expected", "is not #", "respondents is under", "needs k",
                    "neighbourhood"):  # fmt: skip
        assert english not in run.stderr


def test_the_stop_reason_is_french(tmp_path):
    run = cli("--lang", "fr", "profiles", "detect", SURVEY, "--bootstrap", "0", "-o",
              tmp_path / "m.json")  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "arrêt : il reste 3 profils (nombre minimal 3)" in run.stdout
    assert "profiles remain" not in run.stdout


# 3. a full disk or a closed pipe on the standard output
@pytest.mark.parametrize("argv", [("--help",), ("--version",), ("transit", "ptal", "--help")])
def test_help_to_a_full_disk_is_one_line(argv):
    with open("/dev/full", "w") as full:
        run = cli(*argv, stdout=full)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [
        "qet-geo: error: standard output: disk full (no space left on the device)"
    ]


def test_help_to_a_full_disk_in_french():
    with open("/dev/full", "w") as full:
        run = cli("--lang", "fr", "--help", stdout=full)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        "qet-geo: erreur: sortie standard : disque plein (plus de place sur le périphérique)"
    ]


@pytest.mark.parametrize(
    "argv", [("survey", "check", SURVEY, "--json"), ("--help",)], ids=["command", "help"]
)
def test_a_closed_pipe_stops_quietly(argv):
    """The reader goes away before qet-geo writes (``| head`` that has had enough)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "qet_geo.cli", *map(str, argv)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, cwd=ROOT,
    )  # fmt: skip
    process.stdout.close()  # the read end: every write now fails with EPIPE
    error = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=300) == 141
    assert error == ""


# 4. help texts
@pytest.mark.parametrize("command", [("transit", "ptal"), ("constraints", "proximity"),
                                     ("compare",)])  # fmt: skip
def test_the_areas_help_accepts_any_crs(command):
    run = cli(*command, "--help")
    assert run.returncode == 0, run.stderr
    text = " ".join(run.stdout.split())
    assert "projected CRS" not in text
    assert "--areas AREAS polygon layer, any CRS (distances are measured in metres" in text


def test_debug_is_in_the_main_help():
    run = cli("--help")
    assert run.returncode == 0 and "--debug" in run.stdout


def test_lang_speaks_of_forum_outputs_only_where_there_are_some():
    messages = " ".join(cli("survey", "check", "--help").stdout.split())
    assert "--lang {fr,en} language of messages (default: from QET_GEO_LANG or LANG)" in messages
    assert "forum outputs" not in messages
    forum = " ".join(cli("profiles", "detect", "--help").stdout.split())
    assert "language of messages and of forum outputs" in forum


# 5. no interval without resamples
def test_compare_without_resamples_prints_no_interval(tmp_path, model):
    run = cli("compare", "--respondents", SURVEY, "--model", model, "--areas",
              SAMPLE / "quartier.gpkg", "--areas-layer", "iris", "--gtfs", SAMPLE / "gtfs",
              "--bootstrap", "0", "-o", tmp_path / "c.gpkg")  # fmt: skip
    assert run.returncode == 0, run.stderr
    line = run.stdout.splitlines()[0]
    assert "None" not in line
    assert re.fullmatch(
        r"Cramér's V \(profiles × PTAL band\): [\d.]+; "
        r"Spearman \(mobility footprint, AI\): -?[\d.]+",
        line,
    ), line
