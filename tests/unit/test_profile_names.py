"""Default profile names state only what is true of a clear majority of the profile and
distinguishes it, checked from the answers of the real NEAR export (issue 12)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from qet_geo.profiles import SU_VARIABLES, ProfileModel
from qet_geo.profiles.portraits import default_names
from qet_geo.survey import Location, import_survey

ROOT = Path(__file__).resolve().parents[2]
#: a statement is true of the profile when this weighted share of it gave the answer(s)…
MAJORITY = 0.60
#: … and distinguishes it when its share is this many times the share in the whole study
DISTINGUISHING = 1.2

#: What each statement of a name means, written here apart from the library: the
#: variable and the answer codes it claims ([NEAR-SU]: codes 1/2/3 of each question).
MEANING = {
    "peu ou pas de viande": ("meat_frequency", {1}),
    "viande à quelques repas": ("meat_frequency", {2}),
    "viande à presque tous les repas": ("meat_frequency", {3}),
    "viande à quelques repas au plus": ("meat_frequency", {1, 2}),
    "viande à quelques repas ou plus": ("meat_frequency", {2, 3}),
    "marche et vélo": ("transportation_mode", {1}),
    "transports en commun": ("transportation_mode", {2}),
    "voiture au quotidien": ("transportation_mode", {3}),
    "sans voiture au quotidien": ("transportation_mode", {1, 2}),
    "transports motorisés": ("transportation_mode", {2, 3}),
    "numérique léger": ("digital_intensity", {1}),
    "numérique modéré": ("digital_intensity", {2}),
    "numérique intensif": ("digital_intensity", {3}),
    "numérique léger ou modéré": ("digital_intensity", {1, 2}),
    "numérique modéré ou intensif": ("digital_intensity", {2, 3}),
    "occasion d'abord": ("purchasing_strategy", {1}),
    "occasion et neuf": ("purchasing_strategy", {2}),
    "achats neufs": ("purchasing_strategy", {3}),
    "occasion au moins en partie": ("purchasing_strategy", {1, 2}),
    "neuf au moins en partie": ("purchasing_strategy", {2, 3}),
    "sans avion": ("air_travel_frequency", {1}),
    "avion 1 à 3 fois par an": ("air_travel_frequency", {2}),
    "avion plus de 3 fois par an": ("air_travel_frequency", {3}),
    "avion 3 fois par an au plus": ("air_travel_frequency", {1, 2}),
    "avion au moins une fois par an": ("air_travel_frequency", {2, 3}),
    "chauffage sans gaz ni fioul": ("heat_source", {1}),
    "chauffage au gaz": ("heat_source", {2}),
    "chauffage au fioul": ("heat_source", {3}),
    "chauffage au gaz ou au fioul": ("heat_source", {2, 3}),
}
#: "<theme> mixte": no single answer of the variable holds a clear majority
MIXED = {
    "alimentation mixte": "meat_frequency",
    "mobilité mixte": "transportation_mode",
    "numérique mixte": "digital_intensity",
    "achats mixtes": "purchasing_strategy",
    "avion : fréquences mixtes": "air_travel_frequency",
    "chauffage mixte": "heat_source",
}
AVERAGE = "habitudes proches de l'ensemble"


def real_export() -> Path:
    """The real NEAR export of ../shared/data (beside the repository, or beside the folder of
    worktrees holding it)."""
    for base in ROOT.parents:
        path = base / "shared" / "data" / "near" / "survey_0.tsv"
        if path.is_file():
            return path
    raise AssertionError("the real NEAR export ../shared/data/near/survey_0.tsv is missing")


@pytest.fixture(scope="module")
def respondents():
    return import_survey(
        real_export(), schema="near-su", location=Location(kind="none")
    ).respondents


def statements(name: str) -> list[str]:
    assert not re.search(r"\(\d+\)$", name), f"{name!r}: told apart by a number only"
    return [s.strip() for s in (name[:1].lower() + name[1:]).split(", ")]


def share(respondents, inside, variable, codes) -> float:
    w = respondents["weight"].to_numpy(dtype=float) if "weight" in respondents else None
    w = np.ones(len(respondents)) if w is None else w
    gave = respondents[variable].isin(list(codes)).to_numpy()
    return float(w[inside & gave].sum() / w[inside].sum())


def check_names_from_the_data(model, respondents):
    labels = model.labels_.to_numpy(dtype=float)
    everyone = np.isfinite(labels)
    names = [e["name"] for e in model.portraits_]
    assert len(set(names)) == len(names), names
    for entry in model.portraits_:
        inside = labels == entry["profile"]
        said = statements(entry["name"])
        for position, statement in enumerate(said):
            if statement == AVERAGE:
                assert said == [AVERAGE]
                continue
            if statement in MIXED:
                variable = MIXED[statement]
                for code in (1, 2, 3):
                    assert share(respondents, inside, variable, {code}) < MAJORITY, entry["name"]
                continue
            assert statement in MEANING, f"{entry['name']!r}: unknown statement {statement!r}"
            variable, codes = MEANING[statement]
            held = share(respondents, inside, variable, codes)
            assert held >= MAJORITY, (entry["name"], statement, held)
            if position == 0:  # the name's first statement tells the profile apart
                whole = share(respondents, everyone, variable, codes)
                assert held >= DISTINGUISHING * whole, (entry["name"], statement, held, whole)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"method": "near"},
        {"method": "near", "max_share": 0.4},  # NEAR's own test constants
        {"method": "kmeans", "k": "auto", "seed": 0},
        {"method": "kmeans", "k": 9, "seed": 0},
    ],
    ids=["near", "near-0.40", "kmeans-auto", "kmeans-9"],
)
def test_names_are_true_of_the_majority_of_their_profile(respondents, kwargs):
    model = ProfileModel(**kwargs).fit(respondents)
    check_names_from_the_data(model, respondents)


def test_the_no_car_profile_is_named_so(respondents):
    """The largest NEAR profile: 54 % transit and 46 % walking or cycling, ~no car — it was
    named "Transports en commun"."""
    model = ProfileModel("near").fit(respondents)
    first = model.portraits_[0]
    assert first["name"] == "Sans voiture au quotidien"
    assert first["modal"]["transportation_mode"]["share"] < MAJORITY


def _portrait(profile, index):
    return {"profile": profile, "index": index, "reading": {}}


def test_names_that_coincide_are_told_apart_by_a_true_statement_not_a_number():
    variables = list(SU_VARIABLES)
    flat = {v: {1: 1 / 3, 2: 1 / 3, 3: 1 / 3} for v in variables}
    overall = {**flat, "transportation_mode": {1: 0.2, 2: 0.4, 3: 0.4}}
    both = {
        **flat,
        "transportation_mode": {1: 0.9, 2: 0.1, 3: 0.0},  # index 450
        "air_travel_frequency": {1: 0.9, 2: 0.1, 3: 0.0},  # index 270
    }
    first = {**both, "heat_source": {1: 0.1, 2: 0.7, 3: 0.2}}  # index 210
    second = {**both, "digital_intensity": {1: 0.7, 2: 0.2, 3: 0.1}}  # index 210
    index = {v: 100.0 for v in variables}
    portraits = [_portrait(1, index), _portrait(2, index)]
    names = default_names(portraits, variables, [first, second], overall)
    assert names == [
        "Marche et vélo, sans avion, chauffage au gaz",
        "Marche et vélo, sans avion, numérique léger",
    ]
    # identical shares: nothing true of one is not of the other, a number as last resort
    same = default_names(portraits, variables, [both, both], overall)
    assert same == ["Marche et vélo, sans avion (1)", "Marche et vélo, sans avion (2)"]


def test_no_majority_is_said_mixed_and_the_average_profile_so():
    variables = list(SU_VARIABLES)
    flat = {v: {1: 1 / 3, 2: 1 / 3, 3: 1 / 3} for v in variables}
    leaning = {**flat, "transportation_mode": {1: 0.5, 2: 0.45, 3: 0.05}}
    index = {v: 100.0 for v in variables}
    names = default_names(
        [_portrait(1, {**index, "transportation_mode": 40.0})], variables, [leaning], flat
    )
    # 95 % walk, cycle or take transit (index 143) is true and distinguishing
    assert names == ["Sans voiture au quotidien"]
    mixed = {**flat, "transportation_mode": {1: 0.45, 2: 0.2, 3: 0.35}}
    names = default_names(
        [_portrait(1, {**index, "transportation_mode": 40.0})], variables, [mixed], flat
    )
    assert names == ["Mobilité mixte"]


def test_a_larger_profile_grouped_to_protect_a_smaller_one_is_said_privately(tmp_path):
    """On the real export, NEAR's profile of 71 respondents is grouped with the profile of
    10 (alone, the group would stay under 11): the organiser is told which and why, the
    published group says a larger profile is in it, and no published file gives its size
    (the group's minus it would give the small profile's)."""
    import json

    from unit_helpers import cli_in_process

    model = tmp_path / "near.json"
    done = cli_in_process(
        "--lang", "fr", "profiles", "detect", str(real_export()), "--location", "none",
        "--bootstrap", "0", "-o", str(model), "--report", str(tmp_path / "near.html"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "le(s) profil(s) 2 (71 répondants) sont aussi publiés" in done.stderr
    published = json.loads(model.read_text(encoding="utf-8"))
    group = published["small_profiles"]
    assert "avec un profil plus grand pour que le groupe atteigne 11" in group["description"]
    for name in ("near.json", "near.html"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "71 répondants" not in text and "71 réponses" not in text, name
        assert not re.search(r'"size": ?71\b', text), name
