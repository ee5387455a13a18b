"""One source of parameters (issue 13): each step's frozen dataclass holds the defaults and
choices that the run's configuration, Processing and the library use, and its
``validate()`` gives the same problems as the configuration's check."""

from __future__ import annotations

import argparse
import ast
import dataclasses
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qet_geo.areas.params import WEIGHTINGS, AreaParameters
from qet_geo.constraints.params import CompareParameters, ProximityParameters
from qet_geo.errors import InputError, Problem
from qet_geo.export.params import LANGUAGES, POSTER_SIZES, OutputParameters
from qet_geo.footprint.params import FootprintParameters
from qet_geo.parameters import choices, default
from qet_geo.pipeline import PARAMETERS, SCHEMA, load_config
from qet_geo.profiles.methods import METHODS
from qet_geo.profiles.params import ProfileParameters
from qet_geo.survey.params import LOCATION_KINDS, SurveyParameters
from qet_geo.threshold import DEFAULT_MIN_CELL
from qet_geo.transit.params import DEFAULT_GRID_SPACING, TransitParameters
from qet_geo.transit.ptal import PtalParameters, parse_window

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
ALL = (SurveyParameters, FootprintParameters, ProfileParameters, AreaParameters,
       TransitParameters, ProximityParameters, CompareParameters, OutputParameters)  # fmt: skip


@pytest.mark.parametrize("cls", ALL)
def test_each_dataclass_is_frozen_with_defaults_that_validate(cls):
    params = cls()
    assert params.validate() == []
    field = dataclasses.fields(cls)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(params, field.name, getattr(params, field.name))


def test_the_choices_are_the_steps_own():
    assert choices(SurveyParameters, "location") == LOCATION_KINDS
    assert choices(ProfileParameters, "method") == METHODS
    assert choices(AreaParameters, "weights") == WEIGHTINGS == ("survey", "raking", "none")
    assert choices(OutputParameters, "language") == LANGUAGES == ("fr", "en")
    assert OutputParameters().poster == POSTER_SIZES == ("A3", "A0")


def minimal_config(tmp_path: Path, extra: str = "") -> Path:
    """A configuration with only the required survey and areas, plus ``extra``."""
    config = tmp_path / "qet-geo.toml"
    config.write_text(
        f'[survey]\nfile = "{SAMPLE / "survey_su.tsv"}"\n'
        f'[areas]\nfile = "{SAMPLE / "quartier.gpkg"}"\nlayer = "iris"\n{extra}',
        encoding="utf-8",
    )
    return config


def test_a_configuration_without_a_key_gets_the_dataclass_default(tmp_path):
    config = load_config(minimal_config(tmp_path))
    for section, cls in PARAMETERS.items():
        for field in dataclasses.fields(cls):
            where = "" if section == "outputs" and field.name in ("title", "date", "language") else section  # fmt: skip
            if field.name not in SCHEMA[where]:
                continue  # a parameter of Processing or the command line only
            expected = default(cls, field.name)
            value = config[where][field.name]
            assert (tuple(value) if isinstance(value, list) else value) == expected, (section, field.name)  # fmt: skip
    assert config["areas"]["min_cell"] == DEFAULT_MIN_CELL
    assert config["transit"]["window"] == TransitParameters().window == "08:15-09:15"
    assert config["proximity"]["grid"] == config["transit"]["grid"] == DEFAULT_GRID_SPACING


def test_a_bad_choice_in_the_configuration_lists_the_dataclass_choices(tmp_path):
    config = (
        minimal_config(tmp_path).read_text().replace("[survey]\n", '[survey]\nlocation = "gps"\n')
    )
    (tmp_path / "qet-geo.toml").write_text(config, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(tmp_path / "qet-geo.toml")
    [problem] = caught.value.problems
    assert problem.column == "[survey] location" and problem.value == "gps"
    assert problem.expected == "one of " + ", ".join(LOCATION_KINDS)
    assert problem.row == 2


@pytest.mark.parametrize(
    "extra, params, column",
    [
        ("min_cell = 2\n", AreaParameters(min_cell=2), "[areas] min_cell"),
        ("[profiles]\nk = 3\n", ProfileParameters(k=3), "[profiles] k"),
        ('[profiles]\nmethod = "kmeans"\nk = 3\nnames = { 5 = "Cinq" }\n',
         ProfileParameters(method="kmeans", k=3, names={5: "Cinq"}), "[profiles] names"),
    ],
)  # fmt: skip
def test_validate_gives_the_problem_the_configuration_reports(tmp_path, extra, params, column):
    with pytest.raises(InputError) as caught:
        load_config(minimal_config(tmp_path, extra))
    [reported] = [p for p in caught.value.problems if p.column == column]
    [found] = params.validate("qet-geo.toml")
    assert isinstance(found, Problem)
    assert (found.reason, found.expected, found.value) == (
        reported.reason, reported.expected, reported.value,
    )  # fmt: skip
    assert reported.row is not None  # the configuration adds the line


def test_the_override_makes_a_low_threshold_valid():
    assert AreaParameters(min_cell=2, allow_below_3=True).validate() == []
    [problem] = AreaParameters(min_cell=0, allow_below_3=True).validate()
    assert problem.expected == "a whole number from 1"


@pytest.mark.parametrize(
    "params, column, expected",
    [
        (SurveyParameters(location="gps"), "location", "one of auto, lonlat"),
        (ProfileParameters(method="near-ish"), "method", "one of near, kmeans"),
        (ProfileParameters(method="kmeans", k=1), "k", "a whole number from 2"),
        (ProfileParameters(bootstrap=-1), "bootstrap", "a whole number from 0"),
        (ProfileParameters(seed=2**40), "seed", "a whole number from 0 to"),
        (TransitParameters(window="09:15-08:15"), "window", "a time window HH:MM-HH:MM"),
        (TransitParameters(grid=0.5), "grid", "a number from"),
        (ProximityParameters(radius=0), "radius", "a number above 0"),
        (ProximityParameters(within=(300.0, -1.0)), "within", "a number above 0"),
        (CompareParameters(profile=0), "profile", "a whole number from 1"),
        (OutputParameters(language="de"), "language", "one of fr, en"),
        (OutputParameters(poster=("A4",)), "poster", '["A3", "A0"]'),
    ],
)  # fmt: skip
def test_validate_names_the_parameter_the_value_and_what_is_expected(params, column, expected):
    problems = params.validate("job.toml")
    assert [p.column for p in problems] == [column]
    assert problems[0].file == "job.toml" and problems[0].value is not None
    assert problems[0].expected.startswith(expected), problems[0].expected


def test_library_defaults_are_the_single_defaults():
    from qet_geo.constraints import compare, proximity
    from qet_geo.transit import transit_access

    def default_of(function, name):
        return inspect.signature(function).parameters[name].default

    assert default_of(proximity, "min_cell") == default_of(compare, "min_cell") == DEFAULT_MIN_CELL
    assert default_of(proximity, "spacing") == ProximityParameters().grid
    assert default_of(proximity, "radius") == ProximityParameters().radius
    assert default_of(proximity, "within") == ProximityParameters().within
    assert default_of(compare, "n_boot") == CompareParameters().bootstrap
    assert default_of(transit_access, "spacing") == TransitParameters().grid
    assert PtalParameters().window == parse_window(TransitParameters().window)
    assert AreaParameters().min_cell == DEFAULT_MIN_CELL


#: The literals of these defaults appear once, beside their dataclass: the command line,
#: the configuration and Processing take them from there.
LITERALS = {
    r"min_cell\b[^\n]{0,12}\b11\b|\b11\b[^\n]{0,3}min_cell": "qet_geo/threshold.py",
    r"08:15-09:15": "qet_geo/transit/ptal.py",
}


@pytest.mark.parametrize("pattern", LITERALS)
def test_a_default_is_written_once(pattern):
    found = set()
    for path in sorted((ROOT / "qet_geo").rglob("*.py")) + sorted(
        (ROOT / "algorithms").glob("*.py")
    ):
        relative = path.relative_to(ROOT).as_posix()
        for line in path.read_text(encoding="utf-8").splitlines():
            code = line.split("#")[0]
            if re.search(pattern, code) and '"""' not in line and not code.strip().startswith(("\"", "'")):  # fmt: skip
                found.add(relative)
    assert found <= {LITERALS[pattern]}, found


#: Options of the command line whose default or choices have no parameter dataclass yet
#: (their one value lives in the function they configure), or that name a field: none left.
CLI_OWN_VALUES: set = set()


def _literal(node) -> bool:
    if isinstance(node, ast.Constant):
        return node.value is not None and not isinstance(node.value, bool)
    return isinstance(node, (ast.Tuple, ast.List)) and all(map(_literal, node.elts))


def test_the_command_line_takes_its_defaults_and_choices_from_the_parameters():
    """No ``default=`` or ``choices=`` of an option is a literal number, word or tuple of
    them, and no help repeats a default ("(11)", "(300,500,800)", "08:15-09:15"): they are
    the constants beside the code they configure, the help formats them."""
    found = []
    for path in sorted((ROOT / "qet_geo" / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and re.search(r"\(\d[\d.,]*\)|\d\d:\d\d", text):
                found.append((path.name, node.lineno, text))
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument":
                option = next((a.value for a in node.args if isinstance(a, ast.Constant)
                               and str(a.value).startswith("--")), None)  # fmt: skip
                found += [(path.name, k.value.lineno, option, k.arg) for k in node.keywords
                          if k.arg in ("default", "choices") and _literal(k.value)
                          and option not in CLI_OWN_VALUES]  # fmt: skip
    assert not found, found


def test_the_command_line_defaults_are_the_parameters_defaults():
    from qet_geo.cli import build_parser
    from qet_geo.profiles.params import DEFAULT_K_RANGE

    def options(command):
        parser = build_parser()
        for word in command:
            sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
            parser = sub.choices[word]
        return {a.option_strings[-1]: a for a in parser._actions if a.option_strings}

    detect = options(["profiles", "detect"])
    assert detect["--method"].default == ProfileParameters().method
    assert tuple(detect["--method"].choices) == METHODS
    assert (detect["--k-min"].default, detect["--k-max"].default) == DEFAULT_K_RANGE
    assert detect["--bootstrap"].default == ProfileParameters().bootstrap
    assert detect["--location"].default == SurveyParameters().location
    assert tuple(detect["--location"].choices) == LOCATION_KINDS
    amap = options(["areas", "map"])
    assert amap["--weights"].default == AreaParameters().weights
    assert tuple(amap["--weights"].choices) == WEIGHTINGS
    ptal = options(["transit", "ptal"])
    assert parse_window(ptal["--window"].default) == PtalParameters().window
    assert ptal["--grid"].default == TransitParameters().grid == DEFAULT_GRID_SPACING
    prox = options(["constraints", "proximity"])
    within = tuple(float(d) for d in prox["--within"].default.split(","))
    assert within == ProximityParameters().within
    assert options(["compare"])["--bootstrap"].default == CompareParameters().bootstrap
    for command in (["profiles", "detect"], ["areas", "map"], ["constraints", "proximity"],
                    ["compare"]):  # fmt: skip
        assert options(command)["--min-cell"].default == DEFAULT_MIN_CELL
    web = options(["export", "webmap"])
    assert (not web["--online"].default, web["--tiles"].default) == (
        OutputParameters().offline, OutputParameters().tiles)  # fmt: skip
    assert tuple(options(["export", "poster"])["--size"].choices) == POSTER_SIZES
    assert tuple(options(["survey", "import"])["--lang"].choices) == LANGUAGES


def test_the_parameters_of_constraints_and_areas_load_without_shapely():
    """Processing reads these defaults when QGIS starts: no shapely or scipy then; and
    ``compare`` and ``proximity`` stay the functions once their modules are imported."""
    code = (
        "import sys\n"
        "import qet_geo.areas.params, qet_geo.constraints.params, qet_geo.export.params\n"
        "assert not {'shapely', 'scipy'} & set(sys.modules), sorted(sys.modules)\n"
        "from qet_geo.constraints.proximity import read_services\n"
        "import qet_geo.constraints.compare\n"
        "from qet_geo.constraints import compare, proximity\n"
        "assert callable(compare) and callable(proximity)\n"
        "assert compare.__module__ == 'qet_geo.constraints.compare'\n"
        "from qet_geo.areas import map_areas, read_areas\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.stdout.strip() == "ok", done.stderr
