"""Configuration and parameters never ignored silently (issue 12): the raking cap, the
encoding of the TOML file (UTF-8, with or without a BOM), names for profiles that do not
exist, a sheet for a text file; unknown keys and wrong types still reported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qet_geo.areas.census import RakingError, rake
from qet_geo.errors import InputError, ParameterError
from qet_geo.pipeline import load_config

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
ENV = {**os.environ, "QET_GEO_LANG": "en", "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "--lang", "en", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, check=False, env=ENV,
    )  # fmt: skip


def sample_config(tmp_path: Path, edit=lambda text: text, encoding="utf-8", bom=b"") -> Path:
    """The sample configuration beside links to the sample's files, edited."""
    folder = tmp_path / "config"
    folder.mkdir(parents=True)
    for item in SAMPLE.iterdir():
        if item.name != "qet-geo.toml":
            (folder / item.name).symlink_to(item)
    text = (SAMPLE / "qet-geo.toml").read_text().replace('output = "../out"', 'output = "out"')
    config = folder / "qet-geo.toml"
    config.write_bytes(bom + edit(text).encode(encoding, errors="replace"))
    return config


def problems_of(config: Path) -> list:
    with pytest.raises(InputError) as caught:
        load_config(config)
    return caught.value.problems


# ---------------------------------------------------------------------- the raking cap
RESPONDENTS = pd.DataFrame({"gender": ["homme"] * 30 + ["femme"] * 70})
TARGETS = {"gender": {"homme": 480.0, "femme": 520.0}}


@pytest.mark.parametrize("cap", [0, -1, 1, 0.5, float("nan"), float("inf")])
def test_a_raking_cap_that_cannot_work_is_an_error(cap):
    with pytest.raises(ParameterError, match="raking cap .*: expected a finite number above 1"):
        rake(RESPONDENTS, TARGETS, cap=cap)


def test_a_sound_raking_cap_still_rakes():
    result = rake(RESPONDENTS, TARGETS, cap=5)
    assert result.converged and np.isfinite(result.weights).all()
    assert result.weights[:30].sum() / result.weights.sum() == pytest.approx(0.48, abs=1e-3)


def test_raking_never_says_converged_with_nan_weights():
    """Base weights of 0 make every share 0/0: the summary said "converged" (max() keeps
    0.0 before a NaN); now the raking does not converge and says so."""
    with pytest.raises(RakingError, match="did not converge"):
        rake(RESPONDENTS, TARGETS, base=np.zeros(len(RESPONDENTS)))


@pytest.mark.parametrize("cap", ["0", "nan"])
def test_the_raking_cap_option_is_checked(cap, tmp_path):
    """--raking-cap 0 gave every share NaN and "converged"; nan was ignored."""
    from qet_geo.profiles import ProfileModel
    from qet_geo.survey import import_survey, write_respondents

    respondents = import_survey(SAMPLE / "survey_su.tsv").respondents
    write_respondents(respondents, tmp_path / "respondents.gpkg")
    ProfileModel("near").fit(respondents).save(tmp_path / "model.json")
    result = cli("areas", "map", "--respondents", tmp_path / "respondents.gpkg",
                 "--areas", SAMPLE / "quartier.gpkg", "--areas-layer", "iris",
                 "--model", tmp_path / "model.json", "--census",
                 SAMPLE / "base-ic-evol-struct-pop-quartier.csv", "--weights", "raking",
                 "--raking-cap", cap, "-o", tmp_path / "areas.gpkg")  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert f"raking cap {float(cap)}: expected a finite number above 1" in result.stderr
    assert not (tmp_path / "areas.gpkg").exists()


# ---------------------------------------------------------------------- the TOML's encoding
def test_a_cp1252_configuration_is_an_error_naming_the_line_and_the_byte(tmp_path):
    """It was decoded with replacement characters: "Quartier �t�" published."""
    config = sample_config(
        tmp_path, lambda t: t.replace("Quartier fictif", "Quartier été"), encoding="cp1252"
    )
    (problem,) = problems_of(config)
    assert problem.file == str(config)
    assert problem.row == 1  # the first byte that is not UTF-8: "—" in cp1252
    assert problem.reason == "not UTF-8 text: byte 0x97 at column 11"
    assert "UTF-8" in problem.expected
    ascii_only = sample_config(
        tmp_path / "2",
        lambda t: "\n".join(
            line for line in t.splitlines() if line.isascii() or line.startswith("title")
        ).replace("Quartier fictif", "Quartier été"),
        encoding="cp1252",
    )
    (problem,) = problems_of(ascii_only)
    assert (problem.row, problem.reason) == (7, "not UTF-8 text: byte 0xE8 at column 13")


def test_a_configuration_with_a_utf8_bom_is_read(tmp_path):
    """Windows Notepad's BOM gave "Invalid statement (line 1, column 1)"."""
    config = sample_config(tmp_path, bom=b"\xef\xbb\xbf")
    assert load_config(config)["survey"]["file"].name == "survey_su.tsv"
    result = cli("run", config, "--check")
    assert result.returncode == 0, result.stderr


def test_the_french_message_of_a_cp1252_configuration(tmp_path):
    config = sample_config(
        tmp_path, lambda t: t.replace("Tilleuls", "Tilleuls été"), encoding="cp1252"
    )
    result = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "--lang", "fr", "run", str(config), "--check"],
        cwd=ROOT, capture_output=True, text=True, check=False, env=ENV,
    )  # fmt: skip
    assert result.returncode == 2
    assert "ligne 1: pas du texte UTF-8 : octet 0x97 en colonne 11" in result.stderr
    assert "\ufffd" not in result.stderr + result.stdout


# ---------------------------------------------------------------------- names and sheets
def test_names_for_a_profile_that_does_not_exist_are_an_error(tmp_path):
    """`names = {9 = …}` was ignored. An error rather than a warning: the numbers were
    chosen on another run, so the names given to the profiles that do exist may be wrong
    too; the message says which profiles exist."""
    from qet_geo.profiles import ProfileModel
    from qet_geo.survey import import_survey

    respondents = import_survey(SAMPLE / "survey_su.tsv").respondents
    model = ProfileModel("near", names={1: "Un", 9: "Neuf"}, colours={12: "#112233"})
    with pytest.raises(ParameterError) as caught:
        model.fit(respondents)
    assert str(caught.value) == (
        "profile names given for profile(s) 9, which the detection did not find: "
        "the profiles are 1 to 3 (see the report)"
    )
    model = ProfileModel("near", colours={12: "#112233"})
    with pytest.raises(ParameterError, match=r"profile colours given for profile\(s\) 12"):
        model.fit(respondents)
    named = ProfileModel("near", names={3: "Trois"}).fit(respondents)
    assert named.portraits_[2]["name"] == "Trois"


def test_the_names_option_for_a_profile_that_does_not_exist(tmp_path):
    from qet_geo.survey import import_survey, write_respondents

    write_respondents(import_survey(SAMPLE / "survey_su.tsv").respondents, tmp_path / "r.gpkg")
    result = cli("profiles", "detect", tmp_path / "r.gpkg", "--names", "1=Un;9=Neuf",
                 "--bootstrap", "0", "-o", tmp_path / "model.json")  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert (
        "profile(s) 9, which the detection did not find: the profiles are 1 to 3" in result.stderr
    )
    assert not (tmp_path / "model.json").exists()


def test_a_sheet_for_a_tsv_survey_is_an_error(tmp_path):
    config = sample_config(
        tmp_path,
        lambda t: t.replace("extent_check = true", 'extent_check = true\nsheet = "Feuil1"'),
    )
    (problem,) = problems_of(config)
    assert (problem.column, problem.value, problem.row) == ("[survey] sheet", "Feuil1", 27)
    assert problem.reason == "a sheet is chosen in an XLSX or ODS workbook only"


@pytest.mark.parametrize("option, value", [("--sheet", "2"), ("--layer", "answers")])
def test_a_sheet_or_a_layer_for_a_text_file_is_an_error(option, value):
    result = cli("survey", "check", SAMPLE / "survey_su.tsv", option, value)
    assert result.returncode == 2, result.stderr
    assert "survey_su.tsv" in result.stderr and f"{value!r}" in result.stderr
    assert "is chosen in" in result.stderr


# ---------------------------------------------------------------------- numbers and keys
@pytest.mark.parametrize(
    "old, new, column",
    [
        ("grid = 100               #", "grid = inf #", "[transit] grid"),
        ("radius = 500", "radius = inf", "[proximity] radius"),
        ("radius = 500", "radius = -inf", "[proximity] radius"),
        ("grid = 100\nradius", "grid = nan\nradius", "[proximity] grid"),
    ],
)
def test_numbers_that_are_not_finite_are_refused(old, new, column, tmp_path):
    config = sample_config(tmp_path, lambda t: t.replace(old, new, 1))
    (problem,) = problems_of(config)
    assert problem.column == column and problem.row is not None
    assert problem.value in ("inf", "-inf", "nan")


def test_unknown_keys_and_wrong_types_are_reported_together(tmp_path):
    """Siblings already caught: every one listed with its line, none ignored."""
    config = sample_config(
        tmp_path,
        lambda t: t.replace("heating = true", 'heating = "yes"\nheatin = 2').replace(
            "min_cell = 11", "min_cell = 2.5"
        ),
    )
    found = {(p.column, p.reason) for p in problems_of(config)}
    assert ("[footprints] heatin", "unknown key") in found
    assert ("[footprints] heating", "not a valid value") in found
    assert ("[areas] min_cell", "not a valid value") in found


def test_names_beyond_a_given_k_are_refused_by_the_check(tmp_path):
    """With k given, `names = {9 = …}` is wrong before anything runs: said with its line."""
    config = sample_config(
        tmp_path,
        lambda t: t.replace('method = "near"', 'method = "kmeans"').replace(
            '# k = "auto"', 'k = 3\nnames = { 1 = "Un", 9 = "Neuf" }'
        ),
    )
    (problem,) = problems_of(config)
    assert (problem.column, problem.value, problem.reason) == (
        "[profiles] names",
        "9",
        "no such profile",
    )
    assert problem.row is not None and problem.expected == "profile numbers 1 to 3"
