"""qet-geo's vectorised publicodes evaluator against the official NGC engine (METHODS §5).

The reference is ``tools/ngc/run_engine.mjs`` (publicodes 1.10.3 +
@incubateur-ademe/nosgestesclimat 4.10.2), called once per module with every situation in
one batch. Every root rule must agree within 1 % or 1 kgCO2e. These comparisons skip, saying
so, only where Node or tools/ngc/node_modules is absent.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from unit_helpers import ROOT

from qet_geo.footprint.publicodes import ROOTS, check_situation, evaluate, load_model

NGC = ROOT / "tools" / "ngc"
HAVE_ENGINE = shutil.which("node") is not None and (NGC / "node_modules" / "publicodes").is_dir()
needs_engine = pytest.mark.skipif(
    not HAVE_ENGINE,
    reason="Node or tools/ngc/node_modules absent (run `make ngc`): no reference engine here",
)

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

PERSONAS = {
    "vegan cyclist": {
        "alimentation . plats . végétalien . nombre": 14,
        "alimentation . plats . végétarien . nombre": 0,
        "alimentation . plats . viande blanche . nombre": 0,
        "alimentation . plats . viande rouge . nombre": 0,
        "alimentation . plats . poisson gras . nombre": 0,
        "alimentation . plats . poisson blanc . nombre": 0,
        "alimentation . petit déjeuner . type": "'végétalien'",
        "alimentation . boisson . type de lait": "'lait d'avoine'",
        "alimentation . local . consommation": "'souvent'",
        "alimentation . de saison . consommation": "'oui toujours'",
        "transport . voiture . utilisateur": "'jamais'",
        "transport . avion . usager": "'jamais'",
        "transport . deux roues . usager": "non",
        "transport . mobilité douce . vélo . présent": "oui",
        "transport . train . usager": "non",
        "transport . transports commun . bus . présent": "non",
        "transport . transports commun . car . présent": "non",
        "transport . transports commun . métro ou tram . présent": "non",
    },
    "diesel commuter": {
        "transport . voiture . utilisateur": "'propriétaire'",
        "transport . voiture . motorisation": "'thermique'",
        "transport . voiture . thermique . carburant": "'gazole B7 ou B10'",
        "transport . voiture . gabarit": "'berline'",
        "transport . voiture . km": 25000,
        "transport . voiture . voyageurs": 1,
        "transport . voiture . thermique . consommation aux 100": 6.5,
        "transport . avion . usager": "'occasionnellement'",
        "transport . avion . vols amortis . heures court courrier . saisie": 6,
        "transport . avion . vols amortis . heures moyen et long courrier . saisie": 0,
    },
    "frequent long-haul flyer": {
        "transport . avion . usager": "'fréquemment'",
        "transport . avion . vols annuels . heures court courrier . saisie": 20,
        "transport . avion . vols annuels . heures moyen et long courrier . saisie": 120,
        "transport . voiture . utilisateur": "'non régulier'",
    },
    "heavy buyer": {
        "divers . textile . volume": "'accro au shopping'",
        "divers . textile . qualité": "'neuf fast fashion'",
        "divers . textile . revente": "'jamais'",
        "divers . ameublement . préservation": "'faible'",
        "divers . électroménager . appareils . réfrigérateur . nombre": 2,
        "divers . électroménager . appareils . sèche-linge . nombre": 1,
        "divers . ameublement . meubles . canapé . nombre": 3,
        "logement . surface": 180,
        "logement . habitants": 2,
    },
    "digital-heavy": {
        "divers . numérique . internet . durée journalière": 12,
        "divers . numérique . appareils . téléphone . nombre": 3,
        "divers . numérique . appareils . ordinateur portable . nombre": 3,
        "divers . numérique . appareils . ordinateur fixe . nombre": 2,
        "divers . numérique . appareils . TV . nombre": 4,
        "divers . numérique . appareils . console de salon . nombre": 2,
        "divers . numérique . appareils . renouvellement téléphone": "'élevé'",
    },
    "transit commuter": {
        "transport . voiture . utilisateur": "'jamais'",
        "transport . transports commun . bus . présent": "oui",
        "transport . transports commun . bus . heures par semaine": 5,
        "transport . transports commun . métro ou tram . présent": "oui",
        "transport . transports commun . métro ou tram . heures par semaine": 8,
        "transport . train . usager": "oui",
        "transport . train . km": 9000,
    },
    "EV driver": {
        "transport . voiture . utilisateur": "'propriétaire'",
        "transport . voiture . motorisation": "'électrique'",
        "transport . voiture . gabarit": "'SUV'",
        "transport . voiture . km": 15000,
        "transport . voiture . voyageurs": 2,
        "transport . voiture . électrique . recharge à domicile": "'toujours domicile'",
    },
    "hybrid, out of range": {
        "transport . voiture . utilisateur": "'régulier non propriétaire'",
        "transport . voiture . motorisation": "'hybride rechargeable'",
        "transport . voiture . km": 250000,  # above plafond 99999: clamped
        "transport . voiture . voyageurs": 0,  # below plancher 1: clamped
        "transport . deux roues . usager": "oui",
        "transport . deux roues . type": "'scooter électrique'",
        "transport . deux roues . km": -5,
    },
}


def run_engine(items: list) -> list[dict]:
    command = ["node", str(NGC / "run_engine.mjs")]
    run = subprocess.run(
        command, input=json.dumps(items), capture_output=True, text=True, check=True, timeout=600
    )
    return json.loads(run.stdout)["results"]


@pytest.fixture(scope="module")
def model():
    # QET_GEO_NGC_MODEL: another extraction of the same pinned model (development aid)
    return load_model(os.environ.get("QET_GEO_NGC_MODEL") or None)


def _incomplete(model) -> str | None:
    if model.incomplete:
        return (
            "qet_geo/footprint/data/ngc-model.json lacks rules the roots need "
            f"({', '.join(sorted(model.incomplete)[:4])}, …): regenerate it with "
            "tools/ngc/extract.mjs following references to ancestors and to `avec` sub-rules"
        )
    return None


# ------------------------------------------------------------- situation generator


def _questions(model):
    base_rules = [
        q
        for q in model.raw
        if q in model.rules and isinstance(model.raw[q], dict) and "question" in model.raw[q]
    ]
    base = evaluate(model, [{}], rules=base_rules)
    out = []
    for q in base_rules:
        raw = model.raw[q]
        if q.startswith(("futureco-data", "parc français")):
            continue  # modelling parameters, not questions put to respondents
        if any(k in raw for k in ("formule", "somme", "valeur")):
            continue  # "mosaic" headers computed from their sub-questions
        poss = model.possibilities.get(q)
        if poss is not None:
            out.append((q, "choice", poss[1]))
            continue
        if model.node_type(model.rules[q])[1] == "boolean":
            out.append((q, "bool", None))
            continue

        def bound(key, raw=raw):
            v = raw.get(key)
            return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None

        lo, hi = bound("plancher"), bound("plafond")
        typical = max(3 * abs(float(base[q].iloc[0])), 5.0)
        lo2 = lo if lo is not None else 0.0
        hi2 = hi if hi is not None and hi <= 1000 else max(typical, lo2 + 1)
        out.append((q, "number", (lo, hi, lo2, hi2)))
    return out


def generate_situations(model, n: int, seed: int) -> list[dict]:
    """Random NGC situations: each answers a random subset of the questions (gate
    questions included, so that many stay unanswered), with valid choices, oui/non and
    numbers drawn within plancher/plafond, plus a few out-of-range numbers."""
    rng = np.random.default_rng(seed)
    questions = _questions(model)
    situations = []
    for _ in range(n):
        p = rng.uniform(0.05, 0.9)
        s = {}
        for q, kind, info in questions:
            if rng.random() > p:
                continue
            if kind == "choice":
                choice = info[rng.integers(len(info))]
                if rng.random() < 0.02:
                    choice += "x"  # misspelt: publicodes warns and keeps it
                s[q] = f"'{choice}'"
            elif kind == "bool":
                s[q] = "oui" if rng.random() < 0.5 else "non"
            else:
                lo, hi, lo2, hi2 = info
                r = rng.random()
                if r < 0.03 and lo is not None:
                    x = lo - 1 - float(rng.random()) * 5
                elif r < 0.06 and hi is not None:
                    x = hi * (1 + float(rng.random()))
                elif r < 0.2:
                    x = float(rng.integers(int(lo2), int(max(hi2, lo2 + 1)) + 1))
                else:
                    x = round(float(rng.uniform(lo2, hi2)), 2)
                s[q] = x
        situations.append(s)
    return situations


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


# ------------------------------------------------------------- against the engine


@pytest.fixture(scope="module")
def generated(model):
    if _incomplete(model):
        pytest.fail(_incomplete(model))
    situations = generate_situations(model, 400, seed=20251126)
    named = [{"name": name, "situation": s} for name, s in PERSONAS.items()]
    items = [{}] + named + situations
    results = run_engine(items) if HAVE_ENGINE else None
    ours = evaluate(model, items[1 + len(PERSONAS) :])
    return items, results, ours


@needs_engine
def test_defaults_match_the_engine(model, generated):
    if _incomplete(model):
        pytest.fail(_incomplete(model))
    items, results, _ = generated
    [ours] = evaluate(model, [{}]).to_dict("records")
    for root in ROOTS:
        assert ours[root] == pytest.approx(results[0]["rules"][root], rel=1e-9, abs=1e-9), root
        assert ours[root] == pytest.approx(DEFAULTS[root], abs=0.01), root


@needs_engine
def test_personas_match_the_engine(model, generated):
    if _incomplete(model):
        pytest.fail(_incomplete(model))
    items, results, _ = generated
    personas = [item["situation"] for item in items[1 : 1 + len(PERSONAS)]]
    ours = evaluate(model, personas)
    report = _compare(ours, results[1 : 1 + len(PERSONAS)], names=list(PERSONAS))
    assert {root: r for root, r in report.items() if r[0]} == {}


@needs_engine
@pytest.mark.parametrize("root", ROOTS)
def test_generated_situations_match_the_engine(model, generated, root):
    if _incomplete(model):
        pytest.fail(_incomplete(model))
    items, results, ours = generated
    situations = items[1 + len(PERSONAS) :]
    assert len(situations) >= 300
    engine = np.array([r["rules"][root] or 0.0 for r in results[1 + len(PERSONAS) :]])
    err = np.abs(ours[root].to_numpy() - engine)
    bad = np.nonzero((err > 1.0) & (err > 0.01 * np.abs(engine)))[0]
    assert bad.size == 0, [(int(i), situations[i], engine[i], ours[root].iloc[i]) for i in bad[:3]]


@needs_engine
def test_a_dataframe_batch_matches_the_list_batch(model, generated):
    items, _, ours = generated
    situations = items[1 + len(PERSONAS) :]
    frame = pd.DataFrame(situations)
    pd.testing.assert_frame_equal(evaluate(model, frame), ours)


@needs_engine
def test_misspelt_choice_behaves_like_the_engine(model):
    """publicodes only warns about a choice outside the possibilities and keeps it: the
    terms testing that choice then match no branch (e.g. the car footprint becomes 0)."""
    if _incomplete(model):
        pytest.fail(_incomplete(model))
    situations = [
        {"transport . voiture . utilisateur": "'jamai'"},
        {"transport . avion . usager": "'souvent'", "divers . textile . volume": "'beaucoup'"},
    ]
    results = run_engine(situations)
    report = _compare(evaluate(model, situations), results)
    assert {root: r for root, r in report.items() if r[0]} == {}


def test_no_nan_and_finite(model):
    situations = generate_situations(model, 50, seed=7)
    values = evaluate(model, situations)
    assert np.isfinite(values.to_numpy()).all()
    assert not math.isnan(values.to_numpy().sum())
