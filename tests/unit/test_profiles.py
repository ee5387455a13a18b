"""Usage profiles: NEAR's detection without its defects, other methods, assignment, files."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qet_geo.cli import main
from qet_geo.errors import InputError
from qet_geo.profiles import SU_VARIABLES, WEIGHT_PRESETS, ProfileModel, near_cluster
from qet_geo.profiles.methods import silhouette
from qet_geo.profiles.stability import adjusted_rand, best_jaccard
from qet_geo.survey import import_survey

NEAR_EXPORT = Path(__file__).parents[1] / "fixtures" / "near" / "survey_0.tsv"


@pytest.fixture(scope="module")
def survey():
    return import_survey(NEAR_EXPORT).respondents


def partition(labels) -> set:
    groups: dict = {}
    for i, label in enumerate(np.asarray(labels).tolist()):
        groups.setdefault(label, set()).add(i)
    return {frozenset(g) for g in groups.values()}


def naive_near(x, w, min_share, max_share, min_count, rtol=1e-9):
    """NEAR's loop as its code runs it ([NEAR-SU]), one cluster per respondent, no shortcut."""
    clusters = [[i] for i in range(len(x))]
    centroids = [x[i].astype(float) for i in range(len(x))]
    weights = [float(v) for v in w]
    total = sum(weights)
    while True:
        shares = np.array(weights) / total
        if not (
            len(clusters) > min_count and shares.min() < min_share and shares.max() < max_share
        ):
            break
        c = np.array(centroids)
        d = np.sqrt(((c[:, None] - c[None]) ** 2).sum(axis=2))
        np.fill_diagonal(d, np.inf)
        d_min = d.min()
        atol = rtol * max(1.0, np.abs(c).max())
        pairs = np.argwhere(np.triu(d <= d_min * (1 + rtol) + atol, k=1))
        parent = list(range(len(clusters)))

        def find(a, parent=parent):
            while parent[a] != a:
                a = parent[a]
            return a

        for a, b in pairs:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        groups: dict = {}
        for i in range(len(clusters)):
            groups.setdefault(find(i), []).append(i)
        new_clusters, new_centroids, new_weights = [], [], []
        for members in groups.values():
            wsum = sum(weights[i] for i in members)
            new_clusters.append([r for i in members for r in clusters[i]])
            new_centroids.append(sum(centroids[i] * weights[i] for i in members) / wsum)
            new_weights.append(wsum)
        clusters, centroids, weights = new_clusters, new_centroids, new_weights
    labels = np.empty(len(x), dtype=int)
    for label, members in enumerate(clusters):
        labels[members] = label
    return labels


def near_points(frame, preset="current"):
    table = WEIGHT_PRESETS[preset]
    return np.column_stack(
        [np.asarray(table[v])[frame[v].to_numpy(dtype=int) - 1] for v in SU_VARIABLES]
    ).astype(float)


# ------------------------------------------------------------------ NEAR
@pytest.mark.parametrize(
    "min_share, max_share, min_count, preset",
    [(0.11, 0.95, 3, "current"), (0.11, 0.40, 3, "current"), (0.11, 0.95, 3, "2023"),
     (0.05, 0.60, 2, "2023")],
)  # fmt: skip
def test_grouping_identical_answers_first_gives_nears_own_result(
    survey, min_share, max_share, min_count, preset
):
    model = ProfileModel(
        "near", weights=preset, min_share=min_share, max_share=max_share, min_count=min_count
    ).fit(survey)
    reference = naive_near(
        near_points(survey, preset), np.ones(len(survey)), min_share, max_share, min_count
    )
    assert partition(model.labels_.to_numpy()) == partition(reference)


def test_near_properties_on_the_real_export(survey):
    for max_share in (0.95, 0.40):
        model = ProfileModel("near", max_share=max_share).fit(survey)
        shares = np.array([e["share"] for e in model.portraits_])
        assert shares.sum() == pytest.approx(1.0)
        # profiles by decreasing size, the NEAR order kept as a permutation
        assert list(shares) == sorted(shares, reverse=True)
        assert sorted(e["near_number"] for e in model.portraits_) == list(range(1, model.k_ + 1))
        # NEAR's stopping rule holds at the end
        assert model.k_ <= 3 or shares.min() >= 0.11 or shares.max() >= max_share
        # but held just before the last merge: a merge happened while it was false
        assert model.history_ and model.history_[-1]["groups"]


def test_tied_pairs_chaining_are_one_group_not_two():
    # A–B and B–C at the same distance: NEAR's single pass put B in two groups
    points = np.array([[0.0], [1.0], [2.0], [10.0]])
    result = near_cluster(points, np.ones(4), target_count=2)
    assert partition(result.labels) == {frozenset({0, 1, 2}), frozenset({3})}
    assert sorted(result.weights) == [1.0, 3.0]  # no weight counted twice
    assert result.history[0]["groups"][0]["merged"] == [0, 1, 2]


def test_ties_found_with_a_tolerance_not_float_equality():
    points = np.array([[0.1], [0.2], [0.3], [5.0]])  # 0.2-0.1 != 0.3-0.2 in floats
    assert (0.2 - 0.1) != (0.3 - 0.2)
    result = near_cluster(points, np.ones(4), target_count=2)
    assert partition(result.labels) == {frozenset({0, 1, 2}), frozenset({3})}
    exact = near_cluster(points, np.ones(4), target_count=2, tie_tolerance=0.0)
    assert len(exact.history[0]["groups"][0]["merged"]) == 2


def test_target_count_and_parameters(survey):
    model = ProfileModel("near", target_count=6).fit(survey)
    assert model.k_ <= 6 and "target 6" in model.stop_reason_
    assert ProfileModel("near", min_count=8, max_share=0.3).fit(survey).k_ >= 8


def test_results_are_identical_run_to_run(survey, tmp_path):
    for kwargs in ({"method": "near"}, {"method": "kmeans", "k": 4}, {"method": "kmodes", "k": 3}):
        a = ProfileModel(**kwargs).fit(survey).save(tmp_path / "a.json")
        b = ProfileModel(**kwargs).fit(survey).save(tmp_path / "b.json")
        assert a.read_text() == b.read_text()


def test_near_stops_before_merging_when_the_rule_says_so():
    frame = pd.DataFrame({v: [1, 1, 3] for v in SU_VARIABLES})  # 3 respondents, min_count 3
    model = ProfileModel("near").fit(frame)
    assert model.k_ == 3  # identical answers are not merged: NEAR would not merge them
    assert [q["kind"] for q in model.quality_].count("tiny profile") == 3


# ------------------------------------------------------------------ weights
@pytest.mark.parametrize("kwargs", [{"method": "near"}, {"method": "kmeans", "k": 3},
                                    {"method": "ward", "k": 3}])  # fmt: skip
def test_a_weight_of_two_is_a_respondent_counted_twice(survey, kwargs):
    weighted = survey.copy()
    weighted.loc[weighted.index[:40], "weight"] = 2.0
    doubled = pd.concat([survey, survey.iloc[:40]], ignore_index=True)
    a = ProfileModel(**kwargs).fit(weighted)
    b = ProfileModel(**kwargs).fit(doubled)
    assert [e["share"] for e in a.portraits_] == pytest.approx([e["share"] for e in b.portraits_])
    assert np.allclose(a.centroids_, b.centroids_)
    assert partition(a.labels_.to_numpy()) == partition(b.labels_.to_numpy()[: len(survey)])


def test_bad_weights_and_missing_answers(survey):
    bad = survey.copy()
    bad.loc[bad.index[5], "weight"] = -1
    with pytest.raises(InputError) as error:
        ProfileModel().fit(bad)
    assert error.value.problems[0].row == int(survey["source_row"].iloc[5])
    holes = survey.copy()
    holes["meat_frequency"] = holes["meat_frequency"].astype("Int8")
    holes.loc[holes.index[:3], "meat_frequency"] = pd.NA
    model = ProfileModel().fit(holes)
    assert model.excluded_ == 3 and model.labels_[:3].isna().all()


# ------------------------------------------------------------------ other methods
@pytest.mark.parametrize(
    "kwargs",
    [{"method": "kmeans", "k": 5}, {"method": "kmeans", "k": 4, "encoding": "footprints"},
     {"method": "kmeans", "k": 4, "encoding": "onehot"}, {"method": "kmodes", "k": 4},
     {"method": "kprototypes", "k": 4}, {"method": "ward", "k": 5}, {"method": "gmm", "k": 4},
     {"method": "kmeans", "k": "auto", "k_range": (2, 6)}],
)  # fmt: skip
def test_every_method_on_the_real_export(survey, kwargs, tmp_path):
    model = ProfileModel(**kwargs).fit(survey)
    shares = [e["share"] for e in model.portraits_]
    assert sum(shares) == pytest.approx(1.0)
    assert shares == sorted(shares, reverse=True)
    assert len({e["name"] for e in model.portraits_}) == model.k_
    predicted = model.predict(survey)
    assert (predicted["profile"].to_numpy() == model.labels_.to_numpy()).all()
    if kwargs["method"] != "ward":  # partitions by nearest centre: no answer nearer another
        assert model.nearest_moves_["respondents"] == 0
    again = ProfileModel.load(model.save(tmp_path / "m.json"))
    assert ProfileModel.load(tmp_path / "m.private.json").predict(survey).equals(predicted)
    # the shareable file: the same published profiles, but for the small profiles grouped
    # (and, for ward, rare answers nearer another centroid)
    published = model.published_labels(predicted["profile"])
    kept = published <= again.k_
    shared = again.predict(survey)["profile"].to_numpy(dtype=float)
    assert (shared[kept] == published[kept]).all() or kwargs["method"] == "ward"
    if kwargs["k"] == "auto":
        assert [row["k"] for row in model.scores_] == [2, 3, 4, 5, 6]
        assert sum(row["chosen"] for row in model.scores_) == 1


def test_kmeans_keeps_the_lowest_inertia_of_many_starts(survey):
    few = ProfileModel("kmeans", k=6, n_init=1, seed=3).fit(survey)
    many = ProfileModel("kmeans", k=6, n_init=200, seed=3).fit(survey)
    assert many.extra_["inertia"] <= few.extra_["inertia"] + 1e-9


def test_weighted_silhouette_is_sklearns_on_the_respondents(survey):
    from sklearn.metrics import silhouette_score

    from qet_geo.profiles.encoding import distinct_rows

    x = near_points(survey)
    labels = ProfileModel("kmeans", k=4, encoding="weights").fit(survey).labels_.to_numpy() - 1
    codes = survey[list(SU_VARIABLES)].to_numpy(dtype=int)
    d = distinct_rows(codes, np.ones(len(codes)))
    ours = silhouette(
        near_points(pd.DataFrame(d.codes, columns=SU_VARIABLES)), d.weight, labels[d.first]
    )
    assert ours == pytest.approx(silhouette_score(x, labels))


# ------------------------------------------------------------------ assignment
def test_assignment_of_later_answers_and_outliers(survey):
    model = ProfileModel("near", max_share=0.4).fit(survey.iloc[:200])
    later = model.predict(survey.iloc[200:])
    assert later["profile"].notna().all()
    assert set(later["assigned_by"]) <= {"fitted answer", "nearest centroid"}
    fitted = model.predict(survey.iloc[:200])
    assert fitted["outlier"].mean() <= 0.02  # the 99th percentile of fitting distances
    nearest = ProfileModel("near", max_share=0.4, assign="nearest").fit(survey.iloc[:200])
    moved = (nearest.predict(survey.iloc[:200])["profile"] != fitted["profile"]).sum()
    assert moved == model.nearest_moves_["respondents"]


def test_a_survey_with_other_variables_is_refused(survey, tmp_path):
    model = ProfileModel().fit(survey)
    with pytest.raises(InputError) as error:
        model.predict(survey.drop(columns=["heat_source"]))
    problem = error.value.problems[0]
    assert problem.value == "heat_source" and "meat_frequency" in problem.expected


def test_model_file_is_versioned_and_checked(survey, tmp_path):
    path = ProfileModel().fit(survey).save(tmp_path / "model.json")
    data = json.loads(path.read_text())
    assert data["format"] == "qet-geo.profiles" and data["format_version"] == 2
    assert data["library"].startswith("qet-geo ")
    for key in ("parameters", "weight_table", "centroids", "profiles"):
        assert data[key]
    private = json.loads((tmp_path / "model.private.json").read_text())
    assert private["kind"] == "private" and private["history"]
    assert data["parameters"]["seed"] == 0 and data["parameters"]["method"] == "near"
    data["profiles"][0]["name"] = "Les marcheurs"
    data["profiles"][0]["colour"] = "#123456"
    path.write_text(json.dumps(data))
    again = ProfileModel.load(path)
    assert again.predict(survey)["profile_name"].eq("Les marcheurs").sum() > 0
    data["profiles"][0]["colour"] = "blue"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match="#RRGGBB"):
        ProfileModel.load(path)
    data["format_version"] = 99
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match="version"):
        ProfileModel.load(path)


# ------------------------------------------------------------------ portraits, names
def test_portraits_names_colours(survey):
    model = ProfileModel("near", max_share=0.4, names={2: "Deuxième"}, colours={1: "#000000"}).fit(
        survey
    )
    first, second = model.portraits_[0], model.portraits_[1]
    assert second["name"] == "Deuxième" and first["colour"] == "#000000"
    assert first["description"].startswith(first["name"] + " : ")
    assert "t CO2e/an" in first["description"] and "," in first["description"]
    for e in model.portraits_:
        assert set(e["index"]) == set(SU_VARIABLES)
        for v, index in e["index"].items():
            expected = ("far below" if index < 80 else "close to" if index <= 120
                        else "above" if index <= 200 else "far above")  # fmt: skip
            assert e["reading"][v] == expected
        assert e["footprints"]["total"] > 0
    banned = ("pollueur", "gros", "mauvais", "riche", "pauvre", "irresponsable")
    assert not any(b in e["name"].lower() for e in model.portraits_ for b in banned)
    model.rename({1: "Premier"}, {3: "#aabbcc"})
    assert model.portraits_[0]["name"] == "Premier" and model.portraits_[2]["colour"] == "#AABBCC"
    table = model.profiles_table(private=True)
    assert list(table["profile"]) == list(range(1, model.k_ + 1))
    assert "index_meat_frequency" in table and "description" in table
    published = model.profiles_table()  # profiles under 11 respondents: one row, grouped
    assert list(published["profile"]) == list(range(1, len(model.published_profiles()) + 1))


def test_quality_report_flags_degenerate_results(survey):
    model = ProfileModel("near", max_share=0.4).fit(survey)
    kinds = [q["kind"] for q in model.quality_]
    assert "tiny profile" in kinds
    crowd = pd.DataFrame({v: [2] * 95 + [1, 3, 1, 3, 1] for v in SU_VARIABLES})
    everyone = ProfileModel("kmeans", k=2).fit(crowd)
    assert "one profile holds nearly everyone" in [q["kind"] for q in everyone.quality_]


# ------------------------------------------------------------------ stability
def test_adjusted_rand_and_jaccard_are_the_usual_ones():
    from sklearn.metrics import adjusted_rand_score

    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 4, 200), rng.integers(0, 3, 200)
    assert adjusted_rand(a, b, np.ones(200)) == pytest.approx(adjusted_rand_score(a, b))
    assert adjusted_rand(a, a, np.ones(200)) == pytest.approx(1.0)
    j = best_jaccard(np.array([1, 1, 2, 2]), np.array([5, 5, 5, 6]), np.ones(4), 2)
    assert j.tolist() == pytest.approx([2 / 3, 1 / 3 * 0 + 0.5])


def test_bootstrap_stability(survey):
    model = ProfileModel("near").fit(survey)
    result = model.stability(survey, n_boot=20)
    assert result["n_boot"] == 20 and -1 <= result["ari"] <= 1
    assert [p["profile"] for p in result["profiles"]] == list(range(1, model.k_ + 1))
    assert {p["status"] for p in result["profiles"]} <= {"stable", "doubtful", "unstable"}
    assert all(e["stability"] for e in model.portraits_)
    shaky = ProfileModel("ward", k=9).fit(survey)
    shaky.stability(survey, n_boot=15)
    assert "unstable profile" in [q["kind"] for q in shaky.quality_]


# ------------------------------------------------------------------ command line
def test_cli_detect_and_assign(tmp_path, capsys):
    model = tmp_path / "model.json"
    labelled = tmp_path / "labelled.csv"
    report = tmp_path / "report.html"
    code = main(["profiles", "detect", str(NEAR_EXPORT), "--method", "near", "--bootstrap", "10",
                 "-o", str(model), "--labelled", str(labelled), "--report", str(report),
                 "--table", str(tmp_path / "profiles.csv"), "--json"])  # fmt: skip
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["method"] == "near" and summary["k"] == len(summary["profiles"])
    assert sum(p["share"] for p in summary["profiles"]) == pytest.approx(1, abs=1e-5)
    assert all(0 <= p["share"] <= 1 and p["size"] > 0 for p in summary["profiles"])
    text = report.read_text()
    assert "<svg" in text and "<script" not in text
    table = pd.read_csv(labelled)
    assert table["profile"].between(1, summary["k"]).all() and len(table) == 313
    # assign the labelled file again (a qet-geo respondents file, read as it is), with the
    # private working file (the shareable one knows no fitted answer held by few)
    out = tmp_path / "assigned.gpkg"
    private = tmp_path / "model.private.json"
    assert str(private) in summary["written"]
    assert (
        main(
            ["profiles", "assign", str(labelled), "--model", str(private), "-o", str(out), "--json"]
        )
        == 0
    )
    assigned = json.loads(capsys.readouterr().out)
    assert assigned["assigned"] == 313 and assigned["by_fitted_answer"] == 313
    import pyogrio

    again = pyogrio.read_dataframe(out)
    assert (again["profile"].to_numpy() == table["profile"].to_numpy()).all()


def test_cli_parameters_errors(tmp_path, capsys):
    out = str(tmp_path / "m.json")
    assert main(["profiles", "detect", str(NEAR_EXPORT), "--method", "kmeans", "-o", out]) == 2
    assert "needs k" in capsys.readouterr().err
    assert (
        main(["profiles", "detect", str(NEAR_EXPORT), "--method", "kmeans", "--k", "x", "-o", out])
        == 2
    )
    assert main(["profiles", "detect", str(NEAR_EXPORT), "--method", "kmeans", "--k", "900",
                 "--bootstrap", "0", "-o", out]) == 2  # fmt: skip
    assert "distinct" in capsys.readouterr().err
    assert main(["profiles", "assign", str(NEAR_EXPORT), "--model", str(tmp_path / "none.json"),
                 "-o", out]) == 2  # fmt: skip


def test_unknown_codes_are_errors_not_silent_assignments(survey):
    model = ProfileModel("kmeans", k=3).fit(survey)
    for value in (4, 0, "abc", 1.5):
        later = survey.iloc[:10].copy()
        later["digital_intensity"] = later["digital_intensity"].astype(object)
        later.loc[later.index[7], "digital_intensity"] = value
        with pytest.raises(InputError) as error:
            model.predict(later)
        problem = error.value.problems[0]
        assert (problem.row, problem.column, problem.value) == (
            int(survey["source_row"].iloc[7]),
            "digital_intensity",
            str(value),
        )
        with pytest.raises(InputError):
            ProfileModel().fit(later)


def test_scores_and_stability_do_not_depend_on_the_scale_of_the_weights(survey):
    scaled = survey.copy()
    scaled["weight"] = 1 / len(survey)
    a = ProfileModel("kmeans", k="auto", k_range=(2, 6), n_init=10).fit(survey)
    b = ProfileModel("kmeans", k="auto", k_range=(2, 6), n_init=10).fit(scaled)
    assert a.k_ == b.k_
    for x, y in zip(a.scores_, b.scores_, strict=True):
        assert x["silhouette"] == pytest.approx(y["silhouette"])
        assert x["calinski_harabasz"] == pytest.approx(y["calinski_harabasz"])
    rng = np.random.default_rng(1)
    u, v = rng.integers(0, 3, 100), rng.integers(0, 3, 100)
    assert adjusted_rand(u, v, np.full(100, 0.01)) == pytest.approx(
        adjusted_rand(u, v, np.ones(100))
    )
    assert adjusted_rand(u, u, np.full(100, 0.01)) == pytest.approx(1.0)


def test_parameters_that_cannot_work_are_refused(survey):
    for kwargs in ({"method": "kmodes", "k": 3, "encoding": "standardised"},
                   {"method": "ward", "k": 3, "encoding": "codes"},
                   {"method": "near", "encoding": "onehot"},
                   {"method": "kmeans", "k": 1}):  # fmt: skip
        with pytest.raises(ValueError):  # checked by fit (scikit-learn's rule)
            ProfileModel(**kwargs).fit(survey)
    with pytest.raises(ValueError, match="k_range: value \\(1, 1\\)"):
        ProfileModel("kmeans", k="auto", k_range=(1, 1)).fit(survey)


def test_near_stopping_at_once_says_so_and_assigns_the_first_profile():
    frame = pd.DataFrame({v: [1, 1, 3] for v in SU_VARIABLES})
    model = ProfileModel("near").fit(frame)
    assert list(model.labels_) == [1, 2, 3]
    assert list(model.predict(frame)["profile"]) == [1, 1, 3]
    assert "identical answers in different profiles" in [q["kind"] for q in model.quality_]


def test_stability_of_a_model_read_from_its_file_and_failed_resamples(survey, tmp_path):
    model = ProfileModel("kmeans", k=4, n_init=5).fit(survey)
    loaded = ProfileModel.load(model.save(tmp_path / "m.json"))
    assert loaded.stability(survey, n_boot=5)["ari"] > 0
    small = survey.iloc[:20]
    many = ProfileModel("kmeans", k=12, n_init=2).fit(small)  # 18 distinct answers
    result = many.stability(small, n_boot=20)  # resamples often hold fewer than 12
    assert 0 < result["failed"] < 20 and len(result["profiles"]) == many.k_
    none = ProfileModel("kmeans", k=17, n_init=2).fit(small)
    result = none.stability(small, n_boot=5)
    assert result["failed"] == 5 and result["ari"] is None
    assert {p["status"] for p in result["profiles"]} == {"unknown"}


def test_a_bad_weight_of_a_respondent_left_out_does_not_matter(survey):
    frame = survey.copy()
    frame["meat_frequency"] = frame["meat_frequency"].astype("Int8")
    frame.loc[frame.index[0], "meat_frequency"] = pd.NA
    frame.loc[frame.index[0], "weight"] = np.nan
    assert ProfileModel().fit(frame).excluded_ == 1


def test_a_code_unseen_at_fitting_has_its_own_one_hot_column(survey):
    fitted = survey[survey["heat_source"] != 3]
    model = ProfileModel("kmeans", k=3, encoding="onehot").fit(fitted)
    later = survey[survey["heat_source"] == 3]
    assert len(later) and model.predict(later)["profile"].notna().all()
    assert len(model.encoding_stats_["levels"][SU_VARIABLES.index("heat_source")]) == 3


@pytest.mark.parametrize("method", ["near", "kmeans", "ward"])
def test_a_resample_on_atoms_scores_as_the_fit_of_its_rows(survey, method):
    """The stability bootstrap fits each resample on its atoms' counts (not its n rows): for
    a given draw of respondents, the same adjusted Rand index and Jaccards as fitting the
    drawn rows themselves, as it was done before."""
    from qet_geo.profiles.stability import prepare, resample_scores

    frame = survey.copy()
    frame["weight"] = np.random.default_rng(3).choice([0.5, 1.0, 2.0], len(frame))
    model = ProfileModel(method, **({} if method == "near" else {"k": 4})).fit(frame)
    at, refit, atom_of = prepare(model, frame)
    complete = ~pd.isna(np.asarray(model.labels_, dtype=object))
    data = frame[complete].reset_index(drop=True)
    w = data["weight"].to_numpy(dtype=float)
    reference = np.asarray(model.labels_, dtype="float64")[complete].astype(np.int64)
    rng = np.random.default_rng(11)
    for _ in range(5):
        draw = rng.integers(0, len(data), len(data))
        # the draw's rows in the order of their atoms (an order a fit does not depend on)
        draw = draw[np.argsort(atom_of[draw], kind="stable")]
        rows = copy.copy(refit).fit(data.iloc[draw].reset_index(drop=True), sample_weight=w[draw])
        labels = np.asarray(rows.labels_, dtype="float64").astype(np.int64)
        expected_ari = adjusted_rand(reference[draw], labels, w[draw])
        expected_j = best_jaccard(reference[draw], labels, w[draw], model.k_)
        count = np.bincount(atom_of[draw], minlength=len(at.multiplicity))
        ari, jaccard = resample_scores(refit, at, count, model.k_)
        assert ari == pytest.approx(expected_ari, abs=1e-12)
        np.testing.assert_allclose(jaccard, expected_j, atol=1e-12)
