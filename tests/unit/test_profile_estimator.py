"""``ProfileModel`` is a scikit-learn estimator, its saved files hold no translated text,
and ``profiles.detect`` is the one "detect" step (issue 13).

scikit-learn's own checks that apply are run as they are (``SKLEARN_CHECKS``): those about
parameters, cloning, the repr and the tags. The others feed the estimator numeric arrays
(``make_blobs``, random floats, sparse matrices, NaN/inf, 1-d input, one feature): a profile
model reads a table of categorical answer codes 1–3 in named columns and refuses anything
else with a clear error, so they cannot pass and say nothing about it. What they check is
checked here on real answers instead: fit returns self and leaves the parameters as given
(``check_dont_overwrite_parameters``, ``check_estimators_fit_returns_self``), fitting twice
gives the same profiles (``check_fit_idempotent``), ``labels_`` are ``fit_predict``'s
(``check_clustering``), a pickled model predicts the same (``check_estimators_pickle``).
"""

from __future__ import annotations

import json
import pickle

import numpy as np
import pandas as pd
import pytest
import sklearn.utils.estimator_checks as checks
from sklearn.base import clone
from test_profile_names import ROOT

from qet_geo.errors import InputError
from qet_geo.i18n import set_language
from qet_geo.pipeline import load_config
from qet_geo.profiles import (
    PROFILE_COLUMNS,
    ProfileModel,
    detect,
    quality_message,
    quality_warning,
)
from qet_geo.profiles.params import ProfileParameterError
from qet_geo.profiles.report import report_html
from qet_geo.survey import import_survey

SAMPLE = ROOT / "sample_data" / "survey_su.tsv"


@pytest.fixture(scope="module")
def respondents():
    return import_survey(SAMPLE).respondents


# ---------------------------------------------------------------------- scikit-learn
SKLEARN_CHECKS = [
    "check_estimator_cloneable",
    "check_estimator_repr",
    "check_no_attributes_set_in_init",
    "check_get_params_invariance",
    "check_set_params",
    "check_parameters_default_constructible",
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_estimator_tags_renamed",
    "check_valid_tag_types",
    "check_mixin_order",
]


@pytest.mark.parametrize("name", SKLEARN_CHECKS)
@pytest.mark.parametrize(
    "estimator",
    [ProfileModel(), ProfileModel("kmeans", k=3, names={1: "Vélo"}, random_state=4)],
    ids=["near", "kmeans"],
)
def test_scikit_learn_s_checks_that_apply(name, estimator):
    getattr(checks, name)(type(estimator).__name__, estimator)


def test_clone_gives_an_unfitted_copy_with_the_same_parameters(respondents):
    model = ProfileModel("kmeans", k=3, names={1: "Vélo"}, colours={2: "#112233"}, seed=7)
    model.fit(respondents)
    copy = clone(model)
    assert copy is not model and type(copy) is ProfileModel
    assert copy.get_params() == model.get_params()
    assert copy.get_params()["names"] == {1: "Vélo"} and copy.names is not model.names
    assert not hasattr(copy, "k_") and not hasattr(copy, "parameters_")
    with pytest.raises(RuntimeError, match="not fitted"):
        copy.predict(respondents)
    # fitted, the clone is the same model
    assert copy.fit(respondents).to_dict() == model.to_dict()


def test_get_params_and_set_params_round_trip():
    params = ProfileModel("gmm", k=4, n_init=3, seed=9).get_params()
    assert params["method"] == "gmm" and params["k"] == 4 and params["random_state"] is None
    assert set(params) >= {"seed", "random_state", "names", "colours", "min_cell", "weights"}
    other = ProfileModel()
    assert other.set_params(**params) is other
    assert other.get_params() == params
    assert other.get_params(deep=False) == other.get_params(deep=True)  # no sub-estimator
    with pytest.raises(ValueError, match="no_such"):
        other.set_params(no_such=1)


def test_init_only_stores_and_fit_checks_as_the_configuration_does(respondents, tmp_path):
    model = ProfileModel(method="near", k=3)  # stored as given: no error yet
    assert model.k == 3
    with pytest.raises(ProfileParameterError) as error:
        model.fit(respondents)
    assert error.value.parameter == "k" and not hasattr(model, "k_")
    # the same rule and words as the run's configuration
    config = tmp_path / "qet-geo.toml"
    config.write_text(
        f'output = "{tmp_path / "out"}"\n[survey]\nfile = "{SAMPLE}"\n'
        f'[areas]\nfile = "{ROOT / "sample_data" / "quartier.gpkg"}"\nlayer = "iris"\n'
        "[profiles]\nk = 3\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as toml:
        load_config(config)
    problem = toml.value.problems[0]
    assert (problem.column, problem.value) == ("[profiles] k", "3")
    assert (error.value.reason, error.value.expected) == (problem.reason, problem.expected)
    assert str(error.value) == (
        "k: value 3: k is for the other methods; near stops by its own rules; "
        "expected target_count with near"
    )
    set_language("fr")
    try:
        with pytest.raises(ProfileParameterError, match="k sert aux autres méthodes"):
            ProfileModel(method="near", k=3).fit(respondents)
    finally:
        set_language("en")
    # set_params is not checked either, fit is
    fitted = ProfileModel("kmeans", k=3).fit(respondents)
    with pytest.raises(ProfileParameterError, match="min_share: value 2"):
        fitted.set_params(min_share=2).fit(respondents)


def _bytes(model, path):
    model.save(path)
    return path.read_bytes(), path.with_name(f"{path.stem}.private.json").read_bytes()


def test_seed_and_random_state_give_identical_models(respondents, tmp_path):
    def saved(name, **kwargs):
        return _bytes(ProfileModel("kmeans", k=4, **kwargs).fit(respondents), tmp_path / name)

    five = saved("a.json", seed=5)
    assert saved("b.json", seed=5) == five  # the same seed, the same model files
    assert saved("c.json", random_state=5) == five  # random_state is the seed's other name
    with pytest.raises(ProfileParameterError, match="not both"):  # both: which one is a guess
        saved("d.json", seed=1, random_state=5)
    assert saved("e.json", seed=6) != five
    assert json.loads(five[0])["parameters"]["seed"] == 5
    generator = [saved(f"g{i}.json", random_state=np.random.default_rng(3)) for i in (1, 2)]
    assert generator[0] == generator[1]
    legacy = [saved(f"r{i}.json", random_state=np.random.RandomState(3)) for i in (1, 2)]
    assert legacy[0] == legacy[1]
    with pytest.raises(ProfileParameterError) as error:
        ProfileModel("kmeans", k=4, random_state="seven").fit(respondents)
    assert error.value.parameter == "random_state" and "4294967295" in str(error.value)
    # the stability's resamples follow the seed too
    a = ProfileModel("kmeans", k=3, random_state=2).fit(respondents)
    b = ProfileModel("kmeans", k=3, seed=2).fit(respondents)
    assert a.stability(respondents, n_boot=4) == b.stability(respondents, n_boot=4)


def test_fitting_keeps_the_parameters_and_is_repeatable(respondents, tmp_path):
    names = {1: "Vélo"}
    model = ProfileModel("kmeans", k=3, k_range=[2, 5], names=names, variables=["meat_frequency",
                         "transportation_mode", "digital_intensity", "purchasing_strategy",
                         "air_travel_frequency", "heat_source"])  # fmt: skip
    before = model.get_params()
    assert model.fit(respondents) is model
    after = model.get_params()
    assert after == before and after["names"] is names and names == {1: "Vélo"}
    first = model.predict(respondents)
    model.fit(respondents)
    pd.testing.assert_frame_equal(model.predict(respondents), first)
    table = ProfileModel("kmeans", k=3).fit_predict(respondents)
    assert np.array_equal(
        table["profile"].to_numpy(dtype=float, na_value=np.nan),
        np.asarray(ProfileModel("kmeans", k=3).fit(respondents).labels_, dtype=float),
        equal_nan=True,
    )
    loaded = pickle.loads(pickle.dumps(model))
    pd.testing.assert_frame_equal(loaded.predict(respondents), first)
    # rename() records the names without changing the dict the user gave
    model.rename({2: "Voiture"})
    assert names == {1: "Vélo"} and model.names == {1: "Vélo", 2: "Voiture"}


# ---------------------------------------------------------------------- saved data
FITS = [
    ("near", {}, 0),
    ("near", {"min_cell": 40}, 0),  # small profiles grouped, complementary grouping
    ("kmeans", {"k": "auto", "k_range": (2, 6)}, 0),  # no clear structure, k at the edge
    ("kmeans", {"k": 8, "min_cell": 20}, 6),  # unstable profiles
]


@pytest.mark.parametrize(("method", "kwargs", "n_boot"), FITS)
def test_french_and_english_fits_save_byte_identical_files(
    respondents, tmp_path, method, kwargs, n_boot
):
    files, notes = {}, {}
    try:
        for lang in ("fr", "en"):
            set_language(lang)
            model, _ = detect(respondents, method=method, n_boot=n_boot, **kwargs)
            files[lang] = _bytes(model, tmp_path / f"{lang}.json")
            notes[lang] = model.quality_messages()
    finally:
        set_language("en")
    assert files["fr"][0] == files["en"][0]  # the shareable model file
    assert files["fr"][1] == files["en"][1]  # the private working file
    for text in files["en"]:
        data = json.loads(text)
        assert all("message" not in q and q["key"] for q in data["quality"])
        if method == "near":  # NEAR's stop reason: a key and its values, no sentence
            assert set(data["stop_reason"]) == {"key", "values"}
    assert notes["fr"] != notes["en"] or not notes["en"]  # said in each language when shown


def test_the_notes_are_keys_said_in_the_language_asked(respondents):
    model = ProfileModel("kmeans", k="auto", k_range=(2, 6)).fit(respondents)
    [edge] = [q for q in model.quality_ if q["kind"] == "k at the edge of its range"]
    assert edge == {"kind": "k at the edge of its range", "profile": None, "key": "k_at_edge",
                    "k": model.k_, "low": 2, "high": 6}  # fmt: skip
    assert quality_message(edge, "en") == f"k = {model.k_} is at the edge of the range tried (2–6)"
    assert quality_message(edge, "fr") == f"k = {model.k_} est au bord de l'intervalle essayé (2–6)"
    assert quality_warning(edge, "fr").startswith("k au bord de son intervalle : k = ")
    set_language("fr")
    try:
        assert model.quality_messages() == [quality_message(q, "fr") for q in model.quality_]
        summary = model.summary()  # printed by --json, not saved: with its sentence
        assert any("au bord de l'intervalle" in q["message"] for q in summary["quality"])
    finally:
        set_language("en")


def test_old_model_files_with_sentences_still_load_and_show(respondents, tmp_path):
    """Model files written before issue 13 carry each note's sentence (``message``), in
    the language of that fit: they load, and the report shows the note in its language."""
    model = ProfileModel("kmeans", k="auto", k_range=(2, 6)).fit(respondents)
    path = model.save(tmp_path / "m.json")
    old = {}
    for name in (path, tmp_path / "m.private.json"):
        data = json.loads(name.read_text(encoding="utf-8"))
        for q in data["quality"]:
            sentence = quality_message(q, "fr")
            for key in [k for k in q if k not in ("kind", "profile")]:
                del q[key]
            q["message"] = sentence  # as a French fit wrote it
        name.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        old[name.name] = data
    for name in ("m.json", "m.private.json"):
        loaded = ProfileModel.load(tmp_path / name)
        assert loaded.quality_ == old[name]["quality"]
        english = loaded.quality_messages("en")
        assert f"k = {model.k_} is at the edge of the range tried (2–6)" in english
        assert any(m.startswith("no k from 2 to 6 gives a clear structure") for m in english)
        page = report_html(loaded, language="en")
        assert "is at the edge of the range tried" in page and "au bord" not in page
        assert "au bord de l&#x27;intervalle" in report_html(loaded, language="fr")


# ---------------------------------------------------------------------- detect
def test_detect_fits_measures_the_stability_and_labels_the_respondents(respondents):
    before = respondents.copy()
    seen = []
    model, labelled = detect(
        respondents, method="near", n_boot=5, progress=lambda f, m: seen.append(f)
    )
    pd.testing.assert_frame_equal(respondents, before)  # not modified
    assert model.k_ >= 2 and model.stability_["n_boot"] == 5
    assert all("stability" in e for e in model.portraits_)
    assert list(labelled.columns) == [*respondents.columns, *PROFILE_COLUMNS]
    assert labelled.index.equals(respondents.index)
    pd.testing.assert_frame_equal(labelled[list(PROFILE_COLUMNS)], model.predict(respondents))
    assert labelled["profile"].notna().sum() == model.n_respondents_ - model.excluded_
    assert seen == sorted(seen) and seen[0] == 0 and seen[-1] == 1
    # a model given is fitted (as the command line's, built from its options)
    given = ProfileModel("kmeans", k=3)
    result = detect(labelled, model=given)  # earlier profile columns are replaced
    assert result.model is given and given.k_ == 3 and given.stability_ is None
    assert list(result.labelled.columns) == list(labelled.columns)
    # the same seed, the same detection
    again = detect(respondents, method="near", n_boot=5)
    assert again.model.to_dict() == model.to_dict()


def test_detect_refuses_bad_parameters_before_any_work(respondents):
    with pytest.raises(ProfileParameterError, match="n_boot: value -1"):
        detect(respondents, n_boot=-1)
    model = ProfileModel("near", k=3)
    with pytest.raises(ProfileParameterError) as error:
        detect(respondents, model=model)
    assert error.value.parameter == "k" and not hasattr(model, "k_")
    with pytest.raises(TypeError, match="not both"):
        detect(respondents, model=ProfileModel(), method="kmeans")


def test_the_command_line_says_the_notes_in_its_language_and_saves_the_same_files(tmp_path):
    """``qet-geo --lang fr|en profiles detect``: the warnings in the language of messages,
    the model files byte for byte the same."""
    import os
    import subprocess
    import sys

    saved, errors = {}, {}
    for lang in ("fr", "en"):
        out = tmp_path / lang
        out.mkdir()
        run = subprocess.run(
            [sys.executable, "-m", "qet_geo.cli", "--lang", lang, "profiles", "detect",
             str(SAMPLE), "--method", "kmeans", "--k", "auto", "--k-max", "6",
             "--bootstrap", "0", "-o", str(out / "m.json")],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        saved[lang] = [(out / n).read_bytes() for n in ("m.json", "m.private.json")]
        errors[lang] = run.stderr
    assert saved["fr"] == saved["en"]
    assert "k au bord de son intervalle: k = " in errors["fr"]  # the command line's colon
    assert "est au bord de l'intervalle essayé (2–6)" in errors["fr"]
    assert "k at the edge of its range: k = " in errors["en"]
    assert "is at the edge of the range tried (2–6)" in errors["en"]
    assert "au bord" not in errors["en"] and "at the edge" not in errors["fr"]
