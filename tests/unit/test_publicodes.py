"""qet-geo's vectorised publicodes evaluator against the official NGC engine ([NGC-model]).

The reference is ``tools/ngc/run_engine.mjs`` (publicodes 1.10.3 +
@incubateur-ademe/nosgestesclimat 4.10.2). Its results for the reference situations
(defaults, personas, misspelt choices and 400 generated situations, ``ngc_stored.py``) are
stored in ``tests/fixtures/ngc/reference_results.json``, keyed by the pinned versions and the
situations' hash (checked, with a live engine run on a few of them, in test_ngc_stored.py);
``make ngc-reference`` regenerates it. Every root rule must agree within 1 % or 1 kgCO2e.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from ngc_stored import (
    PERSONAS,
    generate_situations,
    reference_model,
    reference_situations,
    stored_results,
)

from qet_geo.footprint.publicodes import ROOTS, check_situation, evaluate

DEFAULTS = {
    "alimentation": 2045.85,
    "transport . avion": 417.61,
    "transport . voiture": 1472.91,
    "transport . deux roues": 33.62,
    "transport . mobilité douce": 0.0,
    "transport . transports commun": 47.64,
    "transport . train": 13.71,
    "divers . textile": 340.18,
    "divers . électroménager": 98.90,
    "divers . ameublement": 213.49,
    "divers . numérique": 194.24,
}


@pytest.fixture(scope="module")
def model():
    return reference_model()


def _incomplete(model) -> str | None:
    if model.incomplete:
        return (
            "qet_geo/footprint/data/ngc-model.json lacks rules the roots need "
            f"({', '.join(sorted(model.incomplete)[:4])}, …): regenerate it with "
            "tools/ngc/extract.mjs following references to ancestors and to `avec` sub-rules"
        )
    return None


def _compare(ours: pd.DataFrame, results: list[dict], names=None):
    """{root: (number of disagreements, max relative error)}; tolerance 1 % or 1 kg."""
    report = {}
    for root in ROOTS:
        engine = np.array([r["rules"][root] or 0.0 for r in results], dtype=float)
        mine = ours[root].to_numpy()
        err = np.abs(mine - engine)
        rel = err / np.maximum(np.abs(engine), 1e-12)
        bad = (err > 1.0) & (rel > 0.01)
        where = [names[i] if names else i for i in np.nonzero(bad)[0][:5]]
        report[root] = (int(bad.sum()), float(np.max(np.where(err > 1e-9, rel, 0.0))), where)
    return report


# ------------------------------------------------------------- without the engine


def test_defaults_without_the_engine(model):
    if _incomplete(model):
        pytest.fail(_incomplete(model))
    values = evaluate(model, [{}])
    for root, expected in DEFAULTS.items():
        assert values[root].iloc[0] == pytest.approx(expected, abs=0.01), root


def test_output_shape_and_dataframe_input(model):
    frame = pd.DataFrame(
        {
            "transport . voiture . utilisateur": ["'jamais'", None, "'propriétaire'", np.nan],
            "transport . voiture . km": [np.nan, 12000, 12000, np.nan],
        },
        index=["a", "b", "c", "d"],
    )
    values = evaluate(model, frame)
    assert list(values.columns) == list(ROOTS)
    assert list(values.index) == ["a", "b", "c", "d"]
    assert values.dtypes.eq(np.float64).all()
    assert not values.isna().any().any()
    assert values.loc["a", "transport . voiture"] == 0.0
    listed = evaluate(
        model,
        [{}, {"transport . voiture . utilisateur": "'jamais'"}],
        rules=["transport . voiture", "transport . voiture . km"],
    )
    assert list(listed.columns) == ["transport . voiture", "transport . voiture . km"]
    assert listed["transport . voiture"].iloc[1] == 0.0
    assert evaluate(model, []).shape == (0, len(ROOTS))


def test_identical_situations_give_identical_rows(model):
    persona = PERSONAS["diesel commuter"]
    values = evaluate(model, [persona, {}, persona, {}])
    pd.testing.assert_series_equal(values.iloc[0], values.iloc[2], check_names=False)
    pd.testing.assert_series_equal(values.iloc[1], values.iloc[3], check_names=False)


def test_check_situation(model):
    problems = check_situation(
        model,
        {
            "transport . voiture . utilisateur": "'jamai'",
            "transport . voiture . km": "beaucoup",
            "transport . voiture . voyageurs": 0,
            "transport . avion . vols annuels . heures court courrier . saisie": 500,
            "transport . voiture . inconnue": 3,
            "transport . deux roues . usager": "peut-être",
            "alimentation . plats . végétalien . nombre": 7,
        },
    )
    by_rule = {rule: message for rule, _, message in problems}
    assert "'propriétaire'" in by_rule["transport . voiture . utilisateur"]
    assert "number" in by_rule["transport . voiture . km"]
    assert "clamps it to 1" in by_rule["transport . voiture . voyageurs"]
    assert (
        "clamps it to 200"
        in by_rule["transport . avion . vols annuels . heures court courrier . saisie"]
    )
    assert "unknown rule" in by_rule["transport . voiture . inconnue"]
    assert "transport . deux roues . usager" in by_rule
    assert "alimentation . plats . végétalien . nombre" not in by_rule
    assert check_situation(model, PERSONAS["EV driver"]) == []


# ------------------------------------------------------------- against the engine (stored)


@pytest.fixture(scope="module")
def reference(model):
    """Today's reference situations by group and the official engine's results for them,
    as stored (a stale file fails here: its key is today's pins and situations' hash)."""
    if _incomplete(model):
        pytest.fail(_incomplete(model))
    groups = reference_situations(model)
    try:
        results = stored_results(groups)
    except LookupError as stale:
        pytest.fail(str(stale))
    assert {group: len(r) for group, r in results.items()} == {
        group: len(items) for group, items in groups.items()
    }
    return groups, results


@pytest.fixture(scope="module")
def generated(model, reference):
    groups, results = reference
    situations = groups["generated"]
    return situations, results["generated"], evaluate(model, situations)


def test_defaults_match_the_engine(model, reference):
    _, results = reference
    [engine] = results["defaults"]
    [ours] = evaluate(model, [{}]).to_dict("records")
    for root in ROOTS:
        assert ours[root] == pytest.approx(engine["rules"][root], rel=1e-9, abs=1e-9), root
        assert ours[root] == pytest.approx(DEFAULTS[root], abs=0.01), root


def test_personas_match_the_engine(model, reference):
    groups, results = reference
    assert [item["name"] for item in groups["personas"]] == list(PERSONAS)
    assert [r["name"] for r in results["personas"]] == list(PERSONAS)
    ours = evaluate(model, [item["situation"] for item in groups["personas"]])
    report = _compare(ours, results["personas"], names=list(PERSONAS))
    assert {root: r for root, r in report.items() if r[0]} == {}


@pytest.mark.parametrize("root", ROOTS)
def test_generated_situations_match_the_engine(generated, root):
    situations, results, ours = generated
    assert len(situations) >= 300
    engine = np.array([r["rules"][root] or 0.0 for r in results])
    err = np.abs(ours[root].to_numpy() - engine)
    bad = np.nonzero((err > 1.0) & (err > 0.01 * np.abs(engine)))[0]
    assert bad.size == 0, [(int(i), situations[i], engine[i], ours[root].iloc[i]) for i in bad[:3]]


def test_a_dataframe_batch_matches_the_list_batch(model, generated):
    situations, _, ours = generated
    frame = pd.DataFrame(situations)
    pd.testing.assert_frame_equal(evaluate(model, frame), ours)


def test_misspelt_choice_behaves_like_the_engine(model, reference):
    """publicodes only warns about a choice outside the possibilities and keeps it: the
    terms testing that choice then match no branch (e.g. the car footprint becomes 0)."""
    groups, results = reference
    situations = groups["misspelt"]
    assert situations[0] == {"transport . voiture . utilisateur": "'jamai'"}
    report = _compare(evaluate(model, situations), results["misspelt"])
    assert {root: r for root, r in report.items() if r[0]} == {}
    assert results["misspelt"][0]["rules"]["transport . voiture"] == 0.0


def test_no_nan_and_finite(model):
    situations = generate_situations(model, 50, seed=7)
    values = evaluate(model, situations)
    assert np.isfinite(values.to_numpy()).all()
    assert not math.isnan(values.to_numpy().sum())
