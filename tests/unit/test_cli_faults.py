"""The command line never shows a traceback (issue 12).

Every case runs the real command line in a subprocess on a real malformed input (census,
weights, profile models, areas, configurations, outputs on a full disk) and asserts one
clear line naming the file (and the key), exit code 2, no "Traceback". An error nobody
foresaw is one line naming its type with the hint to rerun with ``--debug`` (exit 3); Ctrl+C
is one line (exit 130).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
CENSUS = SAMPLE / "base-ic-evol-struct-pop-quartier.csv"
ENV = {**os.environ, "QET_GEO_LANG": "en", "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
WEIGHTS = {
    "meat_frequency": [200, 1000, 2000],
    "transportation_mode": [0, 300, 2300],
    "digital_intensity": [90, 180, 360],
    "purchasing_strategy": [400, 800, 1600],
    "air_travel_frequency": [0, 800, 2000],
    "heat_source": [200, 1100, 1600],
}


def cli(*args, preexec_fn=None, lang="en", stdout=subprocess.PIPE):
    return subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "--lang", lang, *map(str, args)],
        cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE, text=True, check=False, env=ENV,
        preexec_fn=preexec_fn,
    )  # fmt: skip


def clear_error(result, *named):
    """Exit 2, no traceback, and every one of ``named`` in the message."""
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 2, result.stderr[-2000:]
    for text in named:
        assert str(text) in result.stderr, (text, result.stderr[-2000:])


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Respondents, a profile model and an area map of the sample, made by the library."""
    from qet_geo.areas import map_areas, read_areas, write_area_map
    from qet_geo.profiles import ProfileModel
    from qet_geo.survey import import_survey, write_respondents

    folder = tmp_path_factory.mktemp("inputs")
    respondents = import_survey(SAMPLE / "survey_su.tsv").respondents
    write_respondents(respondents, folder / "respondents.gpkg")
    model = ProfileModel("near").fit(respondents)
    model.save(folder / "model.json")
    areas = read_areas(SAMPLE / "quartier.gpkg", layer="iris")
    write_area_map(map_areas(respondents, areas, model=model), folder / "areas.gpkg", csv=False)
    return folder


def areas_map(inputs, *extra, output):
    return cli("areas", "map", "--respondents", inputs / "respondents.gpkg", "--areas",
               SAMPLE / "quartier.gpkg", "--areas-layer", "iris", "--model",
               inputs / "model.json", *extra, "-o", output)  # fmt: skip


# ---------------------------------------------------------------------- the safety net
def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(tmp_path):
    """A real fault no code foresees (Python's recursion limit lowered, as a small stack
    would): one line with the type and the --debug hint, exit 3, a JSON object with --json;
    --debug prints the traceback. Whatever the limit, never a bare traceback."""
    survey = SAMPLE / "survey_su.tsv"
    unexpected = 0
    for limit in (60, 100, 140):
        code = (
            f"import sys, qet_geo.cli as c; sys.setrecursionlimit({limit}); "
            "sys.exit(c.main(sys.argv[1:]))"
        )
        for debug in ([], ["--debug"]):
            front, back = (debug, []) if limit != 100 else ([], debug)  # before or after
            result = subprocess.run(
                [sys.executable, "-c", code, "--lang", "en", *front, "survey", "check",
                 str(survey), "--json", *back],
                cwd=ROOT, capture_output=True, text=True, check=False, env=ENV,
            )  # fmt: skip
            if result.returncode != 3:
                assert "Traceback" not in result.stderr, result.stderr[-2000:]
                continue
            unexpected += 1
            lines = [line for line in result.stderr.splitlines() if line.startswith("qet-geo:")]
            assert lines[0].startswith("qet-geo: unexpected error: RecursionError: "), lines
            error = json.loads(result.stdout[result.stdout.index("{") :])
            assert error["unexpected"] is True and error["type"] == "RecursionError"
            if debug:
                assert "Traceback (most recent call last)" in result.stderr
            else:
                assert "Traceback" not in result.stderr
                assert lines[1] == "qet-geo: rerun with --debug to see the traceback", lines
    assert unexpected, "no recursion limit gave an unexpected error: the test sees nothing"


def test_an_unexpected_error_in_french():
    code = "import sys, qet_geo.cli as c; sys.setrecursionlimit(80); sys.exit(c.main(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-c", code, "--lang", "fr", "survey", "check", str(SAMPLE / "survey_su.tsv")],
        cwd=ROOT, capture_output=True, text=True, check=False, env=ENV,
    )  # fmt: skip
    assert result.returncode == 3, result.stderr[-2000:]
    assert "qet-geo: erreur inattendue : RecursionError" in result.stderr
    assert "relancez avec --debug pour voir la trace" in result.stderr


def test_ctrl_c_is_one_line_exit_130_and_no_temporary_file(tmp_path):
    """SIGINT (Ctrl+C) sent to a real run while it works: 'interrupted', exit 130. The
    sample's run with 20,000 bootstrap resamples of the profiles, so that the signal falls
    inside the run however busy the machine is (sent once the import is done)."""
    sample = tmp_path / "sample"
    shutil.copytree(SAMPLE, sample)
    config = sample / "qet-geo.toml"
    text = config.read_text(encoding="utf-8")
    assert "bootstrap = 100 " in text
    config.write_text(text.replace("bootstrap = 100 ", "bootstrap = 20000 "), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "qet_geo.cli", "--lang", "en", "run", str(config),
         "-o", str(tmp_path / "out")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV,
        # Ctrl+C as a terminal delivers it: a test process may have SIGINT ignored (a test
        # worker started in the background is), which a child would inherit and keep
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    seen = b""
    with contextlib.suppress(Exception):
        os.set_blocking(process.stderr.fileno(), False)
    deadline = time.monotonic() + 300
    while b"survey import" not in seen and process.poll() is None and time.monotonic() < deadline:
        chunk = process.stderr.read() or b""
        seen += chunk
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=300)
    stderr = (seen + (err or b"")).decode()
    assert process.returncode == 130, stderr[-2000:]
    assert "Traceback" not in stderr
    assert "qet-geo: interrupted (Ctrl+C): the outputs are incomplete" in stderr
    assert not list((tmp_path / "out").rglob(".qet-geo-tmp"))


# ---------------------------------------------------------------------- census files
GOOD_CENSUS = CENSUS.read_text(encoding="utf-8-sig")
HEADER, LINE_2 = GOOD_CENSUS.splitlines()[:2]
assert HEADER.split(";")[14] == "C21_POP15P"
CENSUS_CASES = {
    "binary": (bytes(range(256)) * 40, ["not a text file (binary content)", "IRIS"]),
    "empty": (b"", ["the file is empty", "C21_POP15P"]),
    "bom_only": (b"\xef\xbb\xbf", ["the file is empty"]),
    "unclosed_quote": (GOOD_CENSUS.replace("\n", '\n"', 1).encode(), ["a quote is not closed"]),
    "extra_fields": (
        (GOOD_CENSUS + "991230101" + ";1" * 60 + "\n").encode(),
        ["row 14", "a row does not have as many fields as the header"],
    ),
    "header_only": ((HEADER + "\n").encode(), ["no IRIS row under the header"]),
    "not_insee": (b"a;b;c\n1;2;3\n", ["no IRIS code column", "'IRIS'"]),
    "infinite_count": (
        GOOD_CENSUS.replace(
            LINE_2, ";".join([*LINE_2.split(";")[:14], "inf", *LINE_2.split(";")[15:]])
        ).encode(),
        ["row 2", "C21_POP15P", "not a population count", "'inf'"],
    ),
}


def test_a_census_that_is_a_device_is_refused_unread(inputs, tmp_path):
    """/dev/zero (size 0, endless) was read until memory ran out (capped here at 3 GB)."""

    def capped():
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    result = cli("areas", "map", "--respondents", inputs / "respondents.gpkg", "--areas",
                 SAMPLE / "quartier.gpkg", "--areas-layer", "iris", "--model", inputs / "model.json",
                 "--census", "/dev/zero", "--weights", "raking", "-o", tmp_path / "areas.gpkg",
                 preexec_fn=capped)  # fmt: skip
    clear_error(result, "/dev/zero", "not a regular file")


@pytest.mark.parametrize("case", CENSUS_CASES)
def test_a_census_file_that_is_not_insee_is_a_clear_error(case, inputs, tmp_path):
    content, named = CENSUS_CASES[case]
    census = tmp_path / f"census_{case}.csv"
    census.write_bytes(content)
    result = areas_map(inputs, "--census", census, "--weights", "raking",
                       output=tmp_path / "areas.gpkg")  # fmt: skip
    clear_error(result, census, *named)
    assert not (tmp_path / "areas.gpkg").exists()


# ---------------------------------------------------------------------- weights files
WEIGHT_CASES = {
    "list": ("[1, 2, 3]", ["not a table of weights", "'list'"]),
    "number": ("3", ["not a table of weights"]),
    "missing_keys": (
        json.dumps({"meat_frequency": [200, 1000, 2000]}),
        ["column 'transportation_mode'", "no weights for this variable"],
    ),
    "negative": (
        json.dumps({**WEIGHTS, "meat_frequency": [-200, 1000, 2000]}),
        ["column 'meat_frequency'", "-200", "a weight is not a finite number ≥ 0"],
    ),
    "nan": (
        json.dumps({**WEIGHTS, "heat_source": [float("nan"), 1, 2]}),
        ["column 'heat_source'", "nan", "a weight is not a finite number ≥ 0"],
    ),
    "null": (
        json.dumps({**WEIGHTS, "digital_intensity": [None, 1, 2]}),
        ["column 'digital_intensity'", "None"],
    ),
    "nested": (
        json.dumps({**WEIGHTS, "meat_frequency": [[1], [2], [3]]}),
        ["column 'meat_frequency'", "a weight is not a finite number ≥ 0"],
    ),
    "text": (json.dumps({**WEIGHTS, "meat_frequency": "abc"}), ["not a list of weights"]),
}


@pytest.mark.parametrize("case", WEIGHT_CASES)
def test_a_bad_weights_file_is_a_clear_error(case, inputs, tmp_path):
    text, named = WEIGHT_CASES[case]
    weights = tmp_path / f"weights_{case}.json"
    weights.write_text(text)
    result = cli("profiles", "detect", inputs / "respondents.gpkg", "--weights", weights,
                 "--bootstrap", "0", "-o", tmp_path / "model.json")  # fmt: skip
    clear_error(result, weights, *named)
    assert not (tmp_path / "model.json").exists()


def test_a_bad_weights_file_in_the_configuration_names_the_key(tmp_path):
    folder = _sample_copy(tmp_path)
    (folder / "weights.json").write_text("[1, 2]")
    config = folder / "qet-geo.toml"
    config.write_text(config.read_text().replace('weights = "current"', 'weights = "weights.json"'))
    result = cli("run", config, "--check")
    clear_error(result, "[profiles] weights", "not a table of weights")


# ---------------------------------------------------------------------- profile models
@pytest.mark.parametrize(
    "change, named",
    [
        (lambda m: {k: v for k, v in m.items() if k != "profiles"}, ["column 'profiles'", "a key is missing"]),
        (lambda m: {**m, "centroids": "x"}, ["not a readable profile model: ValueError"]),
    ],
    ids=["missing_key", "bad_centroids"],
)  # fmt: skip
def test_a_model_file_edited_by_hand_is_a_clear_error(change, named, inputs, tmp_path):
    model = tmp_path / "model.json"
    model.write_text(json.dumps(change(json.loads((inputs / "model.json").read_text()))))
    result = cli("profiles", "assign", inputs / "respondents.gpkg", "--model", model,
                 "-o", tmp_path / "assigned.gpkg")  # fmt: skip
    clear_error(result, model, *named)


# ---------------------------------------------------------------------- areas and layers
def test_an_area_with_a_nan_vertex_is_a_clear_error(inputs, tmp_path):
    areas = tmp_path / "areas.geojson"
    areas.write_text(
        '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": '
        '"urn:ogc:def:crs:EPSG::2154"}}, "features": [{"type": "Feature", "properties": '
        '{"code_iris": "991230101"}, "geometry": {"type": "Polygon", "coordinates": '
        "[[[0, 0], [NaN, 0], [10, 10], [0, 0]]]}}]}"
    )
    result = cli("areas", "map", "--respondents", inputs / "respondents.gpkg", "--areas", areas,
                 "--model", inputs / "model.json", "-o", tmp_path / "out.gpkg")  # fmt: skip
    clear_error(result, areas, "row 1", "991230101", "not a number (NaN or infinite)")


def test_an_unreadable_background_layer_is_a_clear_error(inputs, tmp_path):
    background = tmp_path / "background.gpkg"
    background.write_bytes(bytes(range(256)) * 40)
    result = cli("export", "webmap", inputs / "areas.gpkg", "--background", background,
                 "-o", tmp_path / "carte.html")  # fmt: skip
    clear_error(result, background, "not a readable layer")


def test_a_project_of_a_file_that_is_not_a_geopackage_is_a_clear_error(tmp_path):
    areas = tmp_path / "areas.gpkg"
    areas.write_bytes(bytes(range(256)) * 40)
    result = cli("export", "project", "--areas", areas, "-o", tmp_path / "projet.qgz")
    clear_error(result, areas, "not a readable GeoPackage")


def test_an_output_under_a_file_or_that_is_a_folder_is_a_clear_error(inputs, tmp_path):
    (tmp_path / "afile").write_text("x")
    clear_error(areas_map(inputs, output=tmp_path / "afile" / "areas.gpkg"),
                tmp_path / "afile", "is a file, not a folder")  # fmt: skip
    clear_error(areas_map(inputs, output=tmp_path), tmp_path, "is a folder")
    result = areas_map(inputs, output=tmp_path / "areas.xyz")
    clear_error(result, tmp_path / "areas.xyz", "unknown output format")
    assert ".qet-geo-tmp" not in result.stderr  # the file asked for, not the temporary one


# ---------------------------------------------------------------------- configurations
def _sample_copy(tmp_path: Path) -> Path:
    """The sample configuration beside links to the sample's files, outputs in tmp_path."""
    folder = tmp_path / "config"
    folder.mkdir()
    for item in SAMPLE.iterdir():
        (folder / item.name).symlink_to(item)
    (folder / "qet-geo.toml").unlink()
    text = (SAMPLE / "qet-geo.toml").read_text().replace('output = "../out"', 'output = "out"')
    (folder / "qet-geo.toml").write_text(text)
    return folder


@pytest.mark.parametrize(
    "old, new, named",
    [
        ("grid = 100               #", "grid = inf #", ["[transit] grid", "'inf'", "from 10 up to 10000 m"]),
        ("radius = 500", "radius = inf", ["[proximity] radius", "'inf'", "up to 100000 m"]),
        ("radius = 500", "radius = nan", ["[proximity] radius", "'nan'"]),
        ("heating = true", "heating = true\n[survey." + ".".join(["a"] * 3000) + "]\nx = 1",
         ["[survey] a", "unknown key"]),
        ("heating = true", "heating = " + "[" * 100000 + "]" * 100000, ["nested too deeply"]),
        ("heating = true", "heating = " + "{a = " * 3000 + "1" + "}" * 3000, ["nested too deeply"]),
    ],
    ids=["grid_inf", "radius_inf", "radius_nan", "deep_section", "deep_array", "deep_table"],
)  # fmt: skip
def test_a_configuration_fault_is_a_clear_error_before_the_run(old, new, named, tmp_path):
    folder = _sample_copy(tmp_path)
    config = folder / "qet-geo.toml"
    text = config.read_text()
    assert old in text
    config.write_text(text.replace(old, new, 1))
    clear_error(cli("run", config, "--check"), config, *named)


# ---------------------------------------------------------------------- a full disk
def _file_size_limit(limit: int):
    def limited():  # EFBIG instead of SIGXFSZ once a file reaches ``limit`` bytes
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


@contextlib.contextmanager
def _small_disk(folder: Path, size: str = "64k"):
    """A real tmpfs of ``size`` mounted on ``folder`` (root only); None when it cannot."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, check=False).returncode == 0  # fmt: skip
    try:
        yield folder if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=False)


def _writers(inputs, out: Path):
    return {
        "poster": ["export", "poster", inputs / "areas.gpkg", "--model", inputs / "model.json",
                   "-o", out / "affiche.pdf"],
        "geopackage": ["areas", "map", "--respondents", inputs / "respondents.gpkg", "--areas",
                       SAMPLE / "quartier.gpkg", "--areas-layer", "iris", "--model",
                       inputs / "model.json", "--no-csv", "-o", out / "areas.gpkg"],
        "csv": ["survey", "import", SAMPLE / "survey_su.tsv", "-o", out / "respondents.csv",
                "--rejects", out / "rejects.csv"],
    }  # fmt: skip


@pytest.mark.parametrize("writer", ["poster", "geopackage", "csv"])
def test_a_file_size_limit_is_a_disk_full_error_and_leaves_nothing(writer, inputs, tmp_path):
    """RLIMIT_FSIZE makes writes fail with EFBIG, as a full disk fails them with ENOSPC."""
    out = tmp_path / "out"
    out.mkdir()
    result = cli(*_writers(inputs, out)[writer], preexec_fn=_file_size_limit(20_000))
    clear_error(result, "disk full (file size limit reached)", out)
    assert sorted(p.name for p in out.iterdir()) == [], list(out.rglob("*"))


@pytest.mark.parametrize("writer", ["poster", "geopackage"])
def test_a_full_disk_is_a_clear_error_and_leaves_nothing(writer, inputs, tmp_path):
    """A real full file system (tmpfs of 64 KiB): 'disk full' naming the output, exit 2,
    the temporary file removed and no partial output (the poster's PDF is not left
    without its PNG). PIL's OSError and pyogrio's errors without errno alike."""
    with _small_disk(tmp_path / "disk") as disk:
        if disk is None:
            pytest.skip("mounting a tmpfs needs root (the file size limit test covers it)")
        result = cli(*_writers(inputs, disk)[writer])
        clear_error(result, "disk full (no space left on the device)", disk)
        assert sorted(p.name for p in disk.iterdir()) == [], list(disk.rglob("*"))


def test_a_full_standard_output_is_said_as_such(inputs):
    """stdout on /dev/full (ENOSPC on every write): the catch-all says the disk is full."""
    with open("/dev/full", "w") as full:
        result = cli("footprint", SAMPLE / "survey_su.tsv", "--json", stdout=full)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 2, result.stderr[-2000:]
    assert "disk full (no space left on the device)" in result.stderr


def test_a_read_only_output_folder_is_a_clear_error_not_a_full_disk(tmp_path):
    """A sibling: EROFS is said as it is (and a small read-only disk is not "full")."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
                             capture_output=True, check=False).returncode == 0  # fmt: skip
    if not mounted:
        pytest.skip("mounting a tmpfs needs root")
    try:
        result = cli("survey", "import", SAMPLE / "survey_su.tsv", "-o", folder / "r.csv")
    finally:
        subprocess.run(["umount", str(folder)], check=False)
    clear_error(result, folder, "cannot be written: Read-only file system")
    assert "disk full" not in result.stderr


def test_sigterm_inside_an_import_is_a_stop_not_an_unexpected_error():
    """SIGTERM while a C extension initialises comes out of the import as ``ImportError:
    initialization failed`` (seen killing ``qet-geo run`` under load), not as the stop
    raised by the handler: it is still said as a stop, exit 143, not exit 3. A real SIGTERM
    to the real ``main``; the command turns the stop into that ImportError as CPython does."""
    code = (
        "import os, signal, sys, time, qet_geo.cli as c, qet_geo.cli.survey as survey\n"
        "def command(args):\n"
        "    try:\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"
        "        time.sleep(30)\n"
        "    except BaseException as exc:\n"
        "        raise ImportError('initialization failed') from exc\n"
        "survey.survey_check = command\n"
        "sys.exit(c.main(['--lang', 'en', 'survey', 'check', sys.argv[1]]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLE / "survey_su.tsv")],
        cwd=ROOT, capture_output=True, text=True, check=False, env=ENV, timeout=1800,
    )  # fmt: skip
    assert result.returncode == 143, result.stderr
    assert "stopped (SIGTERM): the outputs are incomplete" in result.stderr
    assert "unexpected error" not in result.stderr and "Traceback" not in result.stderr
