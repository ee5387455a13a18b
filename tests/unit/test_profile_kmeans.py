"""k-means with k = "auto" on the real NEAR export: vectorised on the distinct answers, and
a plain warning when no k gives a clear structure (issue 12). Speed is measured in the
report of the change, not asserted here."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from test_profile_names import ROOT, real_export

from qet_geo.i18n import set_language
from qet_geo.profiles import ProfileModel
from qet_geo.profiles import methods as m
from qet_geo.profiles.encoding import answer_codes, distinct_rows
from qet_geo.profiles.model import WEAK_STRUCTURE
from qet_geo.profiles.notes import quality_message
from qet_geo.survey import Location, import_survey


@pytest.fixture(scope="module")
def respondents():
    return import_survey(
        real_export(), schema="near-su", location=Location(kind="none")
    ).respondents


@pytest.fixture(scope="module")
def auto(respondents):
    return ProfileModel("kmeans", k="auto", seed=0).fit(respondents)


def test_kmeans_finds_partitions_as_good_as_scikit_learns(respondents):
    """The vectorised weighted k-means on the distinct answers reaches the inertia of
    scikit-learn's KMeans (100 starts each) within 2 %, and its labels are the nearest
    centre of each point."""
    from sklearn.cluster import KMeans

    model = ProfileModel("kmeans", k=3)
    codes, _ = answer_codes(respondents, model.variables)
    distinct = distinct_rows(codes, np.ones(len(codes)))
    x = model._points(distinct.codes, distinct.weight)[0]
    for k in (2, 3, 5, 8, 10):
        labels, centres, extra = m.kmeans(x, distinct.weight, k, n_init=100, seed=0)
        theirs = KMeans(n_clusters=k, n_init=100, random_state=0).fit(
            x, sample_weight=distinct.weight
        )
        assert extra["inertia"] <= theirs.inertia_ * 1.02, k
        d = ((x[:, None, :] - centres[None]) ** 2).sum(axis=2)
        assert (labels == d.argmin(axis=1)).all()
        own = d[np.arange(len(x)), labels]
        assert extra["inertia"] == pytest.approx(float((own * distinct.weight).sum()))
    again = m.kmeans(x, distinct.weight, 5, n_init=100, seed=0)
    assert (again[0] == m.kmeans(x, distinct.weight, 5, n_init=100, seed=0)[0]).all()


def test_vectorised_scores_are_the_respondent_by_respondent_ones(respondents, auto):
    """Silhouette, Calinski–Harabasz and Davies–Bouldin on the distinct answers with their
    multiplicity are scikit-learn's on the respondents one by one."""
    from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

    codes, _ = answer_codes(respondents, auto.variables)
    x = auto._encode(codes)
    labels = auto.labels_.to_numpy(dtype=int)
    distinct = distinct_rows(codes, np.ones(len(codes)))
    xd = auto._encode(distinct.codes)
    labels_d = labels[distinct.first] - 1
    got = m.scores(xd, distinct.weight, labels_d, m.distances(xd))
    assert got["silhouette"] == pytest.approx(silhouette_score(x, labels))
    assert got["calinski_harabasz"] == pytest.approx(calinski_harabasz_score(x, labels))
    assert got["davies_bouldin"] == pytest.approx(davies_bouldin_score(x, labels))


def test_no_clear_structure_is_said_and_stored(auto, tmp_path):
    best = max(row["silhouette"] for row in auto.scores_)
    assert best < WEAK_STRUCTURE == 0.25
    assert auto.structure_["weak"] and auto.structure_["silhouette"] == pytest.approx(best)
    assert auto.structure_["k_range"] == [2, 10]
    [note] = [q for q in auto.quality_ if q["kind"] == "no clear structure"]
    message = quality_message(note)  # the note keeps a key; said when shown
    assert f"{best:.2f}" in message and "NEAR" in message
    path = auto.save(tmp_path / "m.json")
    for stored in (
        json.loads(path.read_text()),
        json.loads((tmp_path / "m.private.json").read_text()),
    ):
        assert stored["structure"]["weak"] is True
        assert "no clear structure" in [q["kind"] for q in stored["quality"]]
    loaded = ProfileModel.load(path)
    assert loaded.structure_ == auto.structure_
    assert auto.summary()["structure"]["weak"] is True


def test_a_k_given_gets_the_same_warning(respondents):
    model = ProfileModel("kmeans", k=4).fit(respondents)
    assert model.structure_["weak"] and model.structure_["k_range"] is None
    assert "no clear structure" in [q["kind"] for q in model.quality_]


def test_a_clear_structure_gets_no_warning():
    import pandas as pd

    from qet_geo.profiles import SU_VARIABLES

    # two groups of identical answers, far apart: silhouette 1
    frame = pd.DataFrame({v: [1] * 20 + [3] * 20 for v in SU_VARIABLES})
    frame.loc[0, "heat_source"] = 2  # two distinct answers in the first group
    model = ProfileModel("kmeans", k="auto", k_range=(2, 3)).fit(frame)
    assert model.structure_["silhouette"] > 0.9 and not model.structure_["weak"]
    assert "no clear structure" not in [q["kind"] for q in model.quality_]


def test_the_command_says_it_in_english_and_french(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for lang, words in (("en", "no clear structure"), ("fr", "pas de structure nette")):
        out = tmp_path / lang
        run = subprocess.run(
            [sys.executable, "-m", "qet_geo.cli", "--lang", lang, "profiles", "detect",
             str(real_export()), "--location", "none", "--method", "kmeans", "--k", "auto",
             "--bootstrap", "0", "-o", str(out / "m.json"), "--report", str(out / "r.html")],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert words in run.stderr and "Traceback" not in run.stderr
        assert words in (out / "r.html").read_text(encoding="utf-8")
    set_language("en")
