"""The command line as a package (issue 13): every command has its help and takes
``--lang`` after it, and no option a command line may use is hidden from that help."""

from __future__ import annotations

from pathlib import Path

import pytest
from unit_helpers import cli_in_process

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"

COMMANDS = [
    ("survey", "check"), ("survey", "import"), ("footprint",), ("profiles", "detect"),
    ("profiles", "assign"), ("areas", "map"), ("transit", "ptal"),
    ("constraints", "proximity"), ("compare",), ("export", "webmap"), ("export", "poster"),
    ("export", "project"), ("run",), ("forum", "votes"),
]  # fmt: skip
#: What ``--lang`` after the command says it sets.
FORUM = {("profiles", "detect"), ("export", "webmap"), ("export", "poster"),
         ("export", "project"), ("run",), ("forum", "votes")}  # fmt: skip


def test_the_top_help_lists_every_command():
    result = cli_in_process("--help")
    assert result.returncode == 0, result.stderr
    for command in dict.fromkeys(c[0] for c in COMMANDS):
        assert f"\n    {command} " in result.stdout, command


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_its_help_and_takes_lang_after_it(command):
    result = cli_in_process(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: qet-geo {' '.join(command)} ")
    assert "--lang {fr,en}" in result.stdout
    forum = "language of messages and of forum outputs" in " ".join(result.stdout.split())
    assert forum == (command in FORUM)


@pytest.mark.parametrize("command", [("areas", "map"), ("compare",)], ids=" ".join)
def test_how_a_survey_export_given_as_respondents_is_read_is_in_the_help(command):
    """These options were accepted but hidden (argparse.SUPPRESS): now a group of the help."""
    text = " ".join(cli_in_process(*command, "--help").stdout.split())
    assert "when --respondents is a survey export: how to read it" in text
    for option in ("--schema SCHEMA", "--location {auto,", "--x X", "--y Y", "--crs CRS",
                   "--area AREA", "--layer LAYER", "--sheet SHEET"):  # fmt: skip
        assert option in text, option


def test_a_survey_option_of_areas_map_is_used(tmp_path):
    """``--schema`` of ``areas map`` reads --respondents as a survey export with it."""
    result = cli_in_process(
        "--lang", "en", "areas", "map", "--respondents", SAMPLE / "survey_su.tsv",
        "--schema", tmp_path / "no-such-schema.yaml", "--areas", SAMPLE / "quartier.gpkg",
        "-o", tmp_path / "areas.gpkg",
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "no-such-schema.yaml" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "areas.gpkg").exists()


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [("fr", None, "valide ; étapes"), ("fr", "en", "valid; steps"), ("en", "fr", "valide ;"),
     (None, "en", "valid; steps")],
)  # fmt: skip
def test_lang_after_the_command_is_the_same_option_and_wins(before, after, said):
    args = [*(("--lang", before) if before else ()), "run", SAMPLE / "qet-geo.toml", "--check",
            *(("--lang", after) if after else ())]  # fmt: skip
    result = cli_in_process(*args)
    assert result.returncode == 0, result.stderr
    assert said in result.stdout
