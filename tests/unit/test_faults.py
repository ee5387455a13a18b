"""Files and faults: no output over an input, no temporary file left behind (a killed run
included), and an output folder that says whether the run that wrote it finished.

The fault test kills ``qet-geo run`` at random points (SIGKILL and SIGTERM, delays drawn
from the length of a run measured first, so that a loaded machine only makes it slower),
then looks at what the killed run left in the output folder."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from unit_helpers import cli_in_process

from qet_geo.errors import InputError
from qet_geo.io import TEMPORARY_FOLDER, atomic_path, check_outputs, remove_leftovers, write_table
from qet_geo.manifest import MANIFEST, read_manifest, write_manifest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
SURVEY = SAMPLE / "survey_su.tsv"
ENV = {**os.environ, "QET_GEO_LANG": "en", "PYTHONPATH": str(ROOT)}
#: a hang guard for a process that should end, never a measure (a loaded machine is slow)
HANG_SECONDS = 1800


def cli(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "--lang", "en", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, check=False, env=ENV,
    )  # fmt: skip


def in_process(*args):
    """``qet-geo --lang en ARGS`` in this process: exports that end within seconds (the runs,
    killed or timed, have a process of their own)."""
    return cli_in_process("--lang", "en", *args, cwd=ROOT)


def hidden(folder: Path) -> list[Path]:
    """Every hidden file or folder under ``folder``."""
    return sorted(
        p
        for p in folder.rglob("*")
        if any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def respondents():
    from qet_geo.survey import import_survey

    return import_survey(SURVEY).respondents


# ------------------------------------------------------------------ temporary files
def test_an_output_name_with_a_semicolon_is_written_and_leaves_nothing(tmp_path, respondents):
    """GDAL (through pyogrio) took ``.resp;v2.xxxx.gpkg`` for the URL ``.resp`` with
    parameters: it wrote a hidden ``.resp`` file with every respondent, then failed."""
    from qet_geo.survey import write_respondents

    target = tmp_path / "resp;v2.gpkg"
    write_respondents(respondents, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["resp;v2.gpkg"]
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT COUNT(*) FROM respondents").fetchone()[0] == len(respondents)


def test_temporary_files_are_written_in_a_private_folder(tmp_path):
    target = tmp_path / "areas.gpkg"
    with atomic_path(target) as tmp:
        private = tmp_path / TEMPORARY_FOLDER
        assert private in tmp.parents  # not beside the target, where anyone may list it
        assert private.stat().st_mode & 0o777 == 0o700
        assert tmp.parent.stat().st_mode & 0o777 == 0o700
        tmp.write_text("x")
    assert target.read_text() == "x" and not (tmp_path / TEMPORARY_FOLDER).exists()


SLEEPER = textwrap.dedent(
    """
    import os, signal, sys, time
    from pathlib import Path
    from qet_geo.io import atomic_path, stop_on_sigterm
    stop_on_sigterm()
    with atomic_path(Path(sys.argv[1])) as tmp:
        tmp.write_text("home of respondent 1: 48.85, 2.35")
        print("writing", flush=True)
        if sys.argv[2] == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(60)
    """
)


def _writer(target: Path, how: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", SLEEPER, str(target), how],
        stdout=subprocess.PIPE, text=True, env=ENV,
    )  # fmt: skip
    assert process.stdout.readline().strip() == "writing"
    return process


def test_sigterm_during_a_write_removes_the_temporary_file(tmp_path):
    process = _writer(tmp_path / "respondents.gpkg", "wait")
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=HANG_SECONDS) == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


def test_leftovers_of_a_killed_write_are_removed_by_the_next(tmp_path):
    process = _writer(tmp_path / "respondents.gpkg", "kill")
    assert process.wait(timeout=HANG_SECONDS) == -signal.SIGKILL
    assert hidden(tmp_path)  # SIGKILL cannot be caught: the next write cleans up
    write_table(pd.DataFrame({"a": [1]}), tmp_path / "other.csv")
    assert hidden(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.csv"]


def test_a_live_writer_keeps_its_temporary_file(tmp_path):
    process = _writer(tmp_path / "respondents.gpkg", "wait")
    try:
        assert remove_leftovers(tmp_path) == []
        assert len([p for p in hidden(tmp_path) if p.is_file()]) == 1
    finally:
        process.kill()
        process.wait(timeout=HANG_SECONDS)
    assert remove_leftovers(tmp_path) and hidden(tmp_path) == []


# ------------------------------------------------------------------ inputs never overwritten
def test_profiles_detect_never_writes_over_the_survey(tmp_path):
    survey = tmp_path / "p.tsv"
    survey.write_bytes(SURVEY.read_bytes())
    for option in ("--table", "--report", "--labelled"):
        done = in_process("profiles", "detect", survey, "-o", tmp_path / "m.json", option, survey)
        assert done.returncode == 2, done.stderr
        assert "is an input of this command" in done.stderr
        assert survey.read_bytes() == SURVEY.read_bytes()
    assert not (tmp_path / "m.json").exists()  # refused before any work
    done = in_process(
        "profiles", "detect", survey, "-o", tmp_path / "m.json", "--report", tmp_path / "m.json"
    )
    assert done.returncode == 2 and "two outputs of this command are the same file" in done.stderr


def test_side_files_never_write_over_an_input(reference, tmp_path):
    """The CSVs beside a GeoPackage (``<stem>_areas.csv``…) replaced the census or the
    respondents when they had that name."""
    model = reference["folder"] / "profiles.json"
    census = tmp_path / "cen_areas.csv"
    census.write_bytes((SAMPLE / "base-ic-evol-struct-pop-quartier.csv").read_bytes())
    done = in_process("areas", "map", "--respondents", SURVEY, "--areas", SAMPLE / "quartier.gpkg",
               "--areas-layer", "iris", "--census", census, "--model", model,
               "-o", tmp_path / "cen.gpkg")  # fmt: skip
    assert done.returncode == 2 and "cen_areas.csv" in done.stderr, done.stderr
    assert "is an input of this command" in done.stderr
    assert census.read_bytes() == (SAMPLE / "base-ic-evol-struct-pop-quartier.csv").read_bytes()
    respondents = tmp_path / "c_compare_areas.csv"
    respondents.write_bytes(SURVEY.read_bytes())
    done = in_process("compare", "--respondents", respondents, "--areas", SAMPLE / "quartier.gpkg",
               "--areas-layer", "iris", "--gtfs", SAMPLE / "gtfs", "--model", model,
               "-o", tmp_path / "c.gpkg")  # fmt: skip
    assert done.returncode == 2 and "is an input of this command" in done.stderr, done.stderr
    assert respondents.read_bytes() == SURVEY.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c_compare_areas.csv", "cen_areas.csv"]


def test_the_check_of_outputs_is_one_library_function(tmp_path):
    source = tmp_path / "a.csv"
    source.write_text("x")
    link = tmp_path / "b.csv"
    link.symlink_to(source)
    with pytest.raises(InputError, match="is an input"):
        check_outputs([source], [tmp_path / "out.gpkg", link])
    layers = tmp_path / "a.gpkg"
    layers.write_text("x")
    with pytest.raises(InputError, match="is an input"):
        check_outputs([f"{layers}:iris"], [layers])
    with pytest.raises(InputError, match="same file"):
        check_outputs([], [tmp_path / "x.csv", tmp_path / "y" / ".." / "x.csv"])
    with pytest.raises(InputError, match="same file"):
        check_outputs([], [(tmp_path / "r.csv", "respondents"), (tmp_path / "r.csv", "rejects")])
    # two layers of one GeoPackage are two outputs
    check_outputs(
        [source], [(tmp_path / "r.gpkg", "respondents"), (tmp_path / "r.gpkg", "rejects")]
    )


# ------------------------------------------------------------------ manifest and faults
def _config(tmp_path: Path, poster: bool) -> Path:
    """The sample configuration, quicker (no stability resampling), with or without a
    poster (A3)."""
    text = (SAMPLE / "qet-geo.toml").read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        key = line.split("=")[0].strip()
        if key == "bootstrap":
            line = "bootstrap = 0" if "profils" in line or "100" in line else "bootstrap = 20"
        elif key == "poster":
            line = 'poster = ["A3"]' if poster else "poster = false"
        lines.append(line)
    text = "\n".join(lines).replace('"survey_su.tsv"', f'"{SURVEY}"')
    for name in (
        "quartier.gpkg",
        "base-ic-evol-struct-pop-quartier.csv",
        "gtfs",
        "emdv_answers.json",
        "ngc_answers.json",
        "bulletins_vote.csv",
    ):
        text = text.replace(f'"{name}', f'"{SAMPLE / name}')
    path = tmp_path / ("poster.toml" if poster else "quick.toml")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """One whole run with a poster, timed step by step: the folder, the wall time, the
    time of the steps before the poster, the number of respondents."""
    base = tmp_path_factory.mktemp("faults")
    config = _config(base, poster=True)
    began = time.monotonic()
    done = cli("run", config, "-o", base / "reference", "--json")
    wall = time.monotonic() - began
    assert done.returncode == 0, done.stderr
    seconds = json.loads(done.stdout)["seconds"]
    start_up = max(wall - sum(seconds.values()), 0.0)
    quick = start_up + sum(s for step, s in seconds.items() if step != "poster")
    with sqlite3.connect(base / "reference" / "respondents.gpkg") as db:
        n = db.execute("SELECT COUNT(*) FROM respondents").fetchone()[0]
    return {"base": base, "folder": base / "reference", "wall": wall, "quick": quick, "n": n}


def test_a_finished_run_says_so_in_its_manifest(reference):
    folder = reference["folder"]
    manifest = read_manifest(folder)
    assert manifest["complete"] is True and manifest["configuration"] == "poster.toml"
    assert manifest["version"] and manifest["finished"]
    listed = {entry["file"]: entry for entry in manifest["outputs"]}
    on_disk = {p.name for p in folder.iterdir()} - {MANIFEST}
    assert set(listed) == on_disk
    for name, entry in listed.items():
        assert entry["size"] == (folder / name).stat().st_size
        assert entry["sha256"] == sha256(folder / name)


def test_exports_refuse_a_folder_whose_run_did_not_finish(reference, tmp_path):
    folder = tmp_path / "sorties"
    folder.mkdir()
    for name in ("areas.gpkg", "profiles.json", "ptal.gpkg", "compare.gpkg"):
        (folder / name).write_bytes((reference["folder"] / name).read_bytes())
    write_manifest(folder, "qet-geo.toml", complete=False)
    for command in (
        ["webmap", folder / "areas.gpkg", "-o", tmp_path / "carte.html"],
        ["poster", folder / "areas.gpkg", "--model", folder / "profiles.json", "-o", tmp_path / "a.pdf"],
        ["project", "--areas", folder / "areas.gpkg", "--ptal", folder / "ptal.gpkg", "-o", tmp_path / "p.qgz"],
    ):  # fmt: skip
        done = in_process("export", *command)
        assert done.returncode == 2, done.stderr
        assert "did not finish" in done.stderr and str(folder) in done.stderr
        assert "run qet-geo run again" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sorties"]
    write_manifest(folder, "qet-geo.toml", complete=True)
    done = in_process("export", "webmap", folder / "areas.gpkg", "-o", tmp_path / "carte.html")
    assert done.returncode == 0, done.stderr


def _check_folder(folder: Path, reference: dict, finished: bool) -> None:
    """What a run killed at any point may leave: no hidden file, only complete outputs
    (the names of a finished run, GeoPackages whole, every respondent or none), and a
    manifest that is true."""
    assert hidden(folder) == []
    names = {p.name for p in reference["folder"].iterdir()}
    for path in folder.iterdir():
        assert path.name in names, path
        if path.suffix == ".gpkg":
            with sqlite3.connect(path) as db:
                assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                if path.name == "respondents.gpkg":
                    count = db.execute("SELECT COUNT(*) FROM respondents").fetchone()[0]
                    assert count == reference["n"]
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
    manifest = read_manifest(folder)
    if finished:
        assert manifest is not None and manifest["complete"] is True
    if manifest is not None and manifest["complete"]:  # the folder is what a finished run left
        for entry in manifest["outputs"]:
            assert sha256(folder / entry["file"]) == entry["sha256"], entry


def test_killed_runs_leave_no_hidden_or_partial_file(reference):
    """10 runs killed at random points (SIGKILL and SIGTERM alternately; 8 without a
    poster, 2 with, killed late), then a run that finishes, all into one folder.  The
    delays are drawn from the run's length: measured first, then the shortest run seen
    that finished (a machine whose load changes only makes fewer kills land)."""
    base, folder = reference["base"], reference["base"] / "killed"
    quick, with_poster = _config(base, poster=False), _config(base, poster=True)
    length = {quick: reference["quick"], with_poster: reference["wall"]}
    draw = random.Random(11)
    outcomes = []
    for number in range(10):
        config = quick if number < 8 else with_poster
        low = 0.0 if config == quick else 0.8 * length[quick]
        delay = draw.uniform(low, max(low, length[config]))
        how = signal.SIGKILL if number % 2 == 0 else signal.SIGTERM
        began = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "qet_geo.cli", "run", str(config), "-o", str(folder)],
            cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(how)
        _, stderr = process.communicate(timeout=HANG_SECONDS)
        code = process.returncode
        if code == 0:
            length[config] = min(length[config], time.monotonic() - began)
        outcomes.append((how.name, round(delay, 1), code))
        assert code in (0, -signal.SIGKILL, -signal.SIGTERM, 128 + signal.SIGTERM), stderr
        if how == signal.SIGKILL and folder.exists():
            leftovers = hidden(folder)
            assert all(TEMPORARY_FOLDER in p.parts for p in leftovers), leftovers
            remove_leftovers(folder)  # what the next run does first
        if folder.exists():
            _check_folder(folder, reference, finished=code == 0)
    print(outcomes)
    codes = {code for _, _, code in outcomes}
    assert -signal.SIGKILL in codes and 128 + signal.SIGTERM in codes, outcomes  # some landed
    for name in (".areas.k2j4abcd.gpkg", "..areas.k2j4.x8f1.gpkg", ".respondents.q1w2.gpkg-wal"):
        (folder / name).write_bytes(b"homes")  # what qet-geo 0.1 left beside its outputs
    done = cli("run", quick, "-o", folder)
    assert done.returncode == 0, done.stderr
    _check_folder(folder, reference, finished=True)


def test_a_geopackage_named_with_uri_characters_is_read_as_that_file(reference, tmp_path):
    """SQLite read ``file:…/zones#1?.gpkg?mode=ro`` as the file ``zones`` (a traceback)."""
    areas = tmp_path / "zones#1?.gpkg"
    areas.write_bytes((reference["folder"] / "areas.gpkg").read_bytes())
    done = in_process("export", "project", "--areas", areas, "-o", tmp_path / "p.qgz")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "p.qgz") as archive:
        text = archive.read("p.qgs").decode("utf-8")
    assert "./zones#1?.gpkg|layername=area_indicators" in text
    assert "RuleRenderer" in text  # its style, read from the file
