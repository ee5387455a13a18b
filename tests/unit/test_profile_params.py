"""Profile parameters that cannot work are clear errors naming the option, the value and the
expected range — the same rule for the library, the command line and a run's configuration
(issue 12: ``--bootstrap -1``, ``--min-share 2`` or ``nan`` were accepted, ``target_count =
100000`` crashed after a minute, ``k = 500`` was an unwrapped ValueError)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from test_profile_names import ROOT, real_export

from qet_geo.errors import InputError, ParameterError
from qet_geo.pipeline import load_config
from qet_geo.profiles import ProfileModel
from qet_geo.profiles.params import ProfileParameterError, check_parameters
from qet_geo.survey import Location, import_survey

#: distinct answer vectors of the real export's 313 complete answers
DISTINCT = 172
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def detect(tmp_path, *options, lang="en"):
    return subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "--lang", lang, "profiles", "detect",
         str(real_export()), "--location", "none", "-o", str(tmp_path / "m.json"), *options],
        capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300,
    )  # fmt: skip


CASES = [
    (["--bootstrap", "-1"], ["--bootstrap", "-1", "a whole number from 0"]),
    (["--min-share", "2"], ["--min-share", "2.0", "between 0 and 1"]),
    (["--min-share", "nan"], ["--min-share", "nan", "between 0 and 1"]),
    (["--min-share", "0"], ["--min-share", "0.0", "between 0 and 1"]),
    (["--max-share", "1.5"], ["--max-share", "1.5", "between 0 and 1"]),
    (["--min-share", "0.6", "--max-share", "0.5"], ["--max-share", "0.5", "above the smallest share (0.6)"]),
    (["--min-count", "0"], ["--min-count", "value 0", "a whole number from 1"]),
    (["--target-count", "100000"], ["--target-count", "100000", f"from 2 to {DISTINCT}",
                                    f"{DISTINCT} distinct answer vectors"]),
    (["--method", "kmeans", "--k", "500"], ["--k", "500", f"from 2 to {DISTINCT}",
                                            f"{DISTINCT} distinct answer vectors"]),
    (["--method", "kmeans", "--k", "auto", "--k-min", "300", "--k-max", "400"],
     ["--k-min/--k-max", "(300, 400)", f"from 2 to {DISTINCT}"]),
    (["--method", "kmeans", "--k", "auto", "--k-min", "6", "--k-max", "3"],
     ["--k-min/--k-max", "(6, 3)", "2 ≤ smallest ≤ largest"]),
    (["--method", "kmeans", "--k", "auto", "--k-min", "1"], ["--k-min/--k-max", "(1, 10)"]),
    (["--method", "kmeans", "--k", "4", "--n-init", "0"], ["--n-init", "value 0"]),
    (["--seed", "-1"], ["--seed", "-1", "from 0 to 4294967295"]),
    (["--tie-tolerance", "nan"], ["--tie-tolerance", "nan", "from 0 to under 1"]),
    (["--names", "1=Vélo;1=Voiture"], ["--names", "profile 1 is given twice"]),
    (["--names", "1=Vélo;2=  vélo "], ["'Vélo'", "profiles 1, 2", "a name of its own"]),
]  # fmt: skip


@pytest.mark.parametrize("options, words", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_the_command_line_names_the_option_the_value_and_the_range(tmp_path, options, words):
    if "--bootstrap" not in options:
        options = ["--bootstrap", "0", *options]
    run = detect(tmp_path, *options)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "m.json").exists()
    line = run.stderr.strip().splitlines()[0]
    assert line.startswith("qet-geo: error: "), line
    for word in words:
        assert word in line, (word, line)


def test_the_message_is_french_too(tmp_path):
    run = detect(tmp_path, "--bootstrap", "0", "--method", "kmeans", "--k", "500", lang="fr")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert (
        f"--k : valeur 500 : attendu un nombre entier de 2 à {DISTINCT} : les 313 réponses "
        f"comptent {DISTINCT} combinaisons de réponses distinctes"
    ) in run.stderr


@pytest.mark.parametrize(
    "kwargs, parameter",
    [({"min_share": 2}, "min_share"), ({"min_share": float("nan")}, "min_share"),
     ({"max_share": 0}, "max_share"), ({"min_share": 0.6, "max_share": 0.6}, "max_share"),
     ({"min_count": 2.5}, "min_count"),
     ({"target_count": 1}, "target_count"), ({"target_count": True}, "target_count"),
     ({"method": "kmeans", "k": 1}, "k"), ({"method": "kmeans", "k": "many"}, "k"),
     ({"method": "kmeans", "k": "auto", "k_range": (3,)}, "k_range"),
     ({"seed": -3}, "seed"), ({"n_init": 0, "method": "kmeans", "k": 3}, "n_init"),
     ({"tie_tolerance": -1e-9}, "tie_tolerance")],
)  # fmt: skip
def test_the_library_refuses_them_when_the_model_is_fitted(kwargs, parameter, respondents):
    kwargs = {"method": "near", **kwargs}
    model = ProfileModel(**kwargs)  # scikit-learn's rule: __init__ only stores them
    with pytest.raises(ProfileParameterError) as error:
        model.fit(respondents)
    assert error.value.parameter == parameter
    assert isinstance(error.value, ParameterError) and isinstance(error.value, ValueError)


@pytest.fixture(scope="module")
def respondents():
    return import_survey(
        real_export(), schema="near-su", location=Location(kind="none")
    ).respondents


def test_what_the_answers_allow_is_checked_before_any_work(respondents):
    for kwargs, parameter in (
        ({"method": "near", "target_count": 100000}, "target_count"),
        ({"method": "near", "target_count": DISTINCT + 1}, "target_count"),
        ({"method": "kmeans", "k": 500}, "k"),
        ({"method": "ward", "k": DISTINCT + 1}, "k"),
        ({"method": "kmeans", "k": "auto", "k_range": (DISTINCT + 1, DISTINCT + 5)}, "k_range"),
    ):
        with pytest.raises(ProfileParameterError) as error:
            ProfileModel(**kwargs).fit(respondents)
        assert error.value.parameter == parameter
        assert f"{DISTINCT} distinct answer vectors" in str(error.value)
    # at the limit it works: one profile per distinct answer
    assert ProfileModel("near", target_count=DISTINCT).fit(respondents).k_ == DISTINCT
    model = ProfileModel("near").fit(respondents)
    with pytest.raises(ProfileParameterError, match="n_boot: value -1"):
        model.stability(respondents, n_boot=-1)
    assert check_parameters(n_boot=0)["n_boot"] == 0


def _config(tmp_path, profiles: str):
    sample = ROOT / "sample_data"
    path = tmp_path / "qet-geo.toml"
    path.write_text(
        f'output = "{tmp_path / "out"}"\n[survey]\nfile = "{sample / "survey_su.tsv"}"\n'
        f'[areas]\nfile = "{sample / "quartier.gpkg"}"\nlayer = "iris"\n[profiles]\n{profiles}',
        encoding="utf-8",
    )
    return path


def test_a_configuration_gets_the_same_rule(tmp_path):
    with pytest.raises(InputError) as error:
        load_config(_config(tmp_path, "seed = -1\n"))
    problem = error.value.problems[0]
    assert (problem.column, problem.value) == ("[profiles] seed", "-1")
    assert "4294967295" in problem.expected


def test_a_run_with_too_many_profiles_stops_at_once_naming_the_key(tmp_path):
    config = _config(tmp_path, "target_count = 100000\nbootstrap = 0\n")
    run = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "run", str(config)],
        capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert "[profiles] target_count" in run.stderr and "100000" in run.stderr
    assert "distinct answer vectors" in run.stderr


def test_the_comparison_bootstrap_has_the_same_rule(tmp_path):
    """A sibling: ``compare --bootstrap -1`` gave a summary of -1 resamples, no interval."""
    sample = ROOT / "sample_data"
    run = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "compare", "--respondents",
         str(sample / "survey_su.tsv"), "--areas", str(sample / "quartier.gpkg"),
         "--gtfs", str(sample / "gtfs"), "--bootstrap", "-1", "-o", str(tmp_path / "c.gpkg")],
        capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "--bootstrap: value -1: expected a whole number from 0" in run.stderr


def test_a_given_name_that_is_another_profile_s_default_name_is_refused():
    """Found by review: ``--names "1=<profile 3's default name>"`` gave two profiles one
    name on the map and the poster."""
    from qet_geo.errors import ParameterError

    sample = import_survey(ROOT / "sample_data" / "survey_su.tsv").respondents
    fitted = ProfileModel("kmeans", k=3).fit(sample)
    other = fitted.portraits_[2]["name"]
    with pytest.raises(ParameterError, match="profiles 1, 3"):
        ProfileModel("kmeans", k=3, names={1: other}).fit(sample)
    renamed = ProfileModel("kmeans", k=3, names={1: other + " (bis)"}).fit(sample)
    assert renamed.portraits_[0]["name"] == other + " (bis)"
