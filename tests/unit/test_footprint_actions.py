"""Nos Gestes Climat's actions on the SU bands, held to the official engine."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ngc_stored import ENGINE_GUARD_SECONDS, PERSONAS, have_engine, run_engine
from unit_helpers import ROOT

from qet_geo.errors import InputError
from qet_geo.footprint.actions import action_rules, action_savings, band_actions, main_action
from qet_geo.footprint.publicodes import ROOTS, load_model
from qet_geo.footprint.su import band_values

NGC = ROOT / "tools" / "ngc"
COMMITTED = ROOT / "qet_geo" / "footprint" / "data" / "su-bands-actions.json"
LEVERS = {
    "car": "transportation_mode",
    "meat": "meat_frequency",
    "local_food": "meat_frequency",
    "second_hand": "purchasing_strategy",
    "air": "air_travel_frequency",
    "digital": "digital_intensity",
    "heating": "heat_source",
}


needs_engine = pytest.mark.skipif(
    not have_engine(),
    reason="Node or tools/ngc/node_modules absent (run `make ngc`): no reference engine here",
)
BANDS = json.loads((ROOT / "qet_geo" / "footprint" / "data" / "su-bands.json").read_text("utf-8"))
GAS = {"logement . chauffage . mode": "'individuel'", "logement . chauffage . principal": "'gaz'"}
CAR = {"transport . voiture . utilisateur": "'propriétaire'"}
#: situations where each action applies or not for a different reason
SITUATIONS = {
    "défauts": {},
    "12 repas de viande": BANDS["bands"]["meat_frequency"]["3"]["estimate"],
    "gaz individuel": GAS,
    "fioul, locataire": {
        "logement . chauffage . mode": "'individuel'",
        "logement . chauffage . principal": "'fioul'",
        "logement . propriétaire": "'locataire'",
    },
    "PAC déjà là": BANDS["bands"]["heat_source"]["1"]["low"],
    "appartement, chauffage collectif au gaz": {
        "logement . type": "'appartement'",
        "logement . chauffage . mode": "'collectif'",
        "logement . chauffage . collectif": "'gaz'",
    },
    "chauffage changé": {
        **GAS,
        "logement . construction . rénovation . travaux . chauffage . présent": "oui",
    },
    "au travail en vélo électrique": {
        **CAR,
        "transport . voiture . km": 15000,
        "transport . voiture . boulot . sans voiture . type": "'vélo électrique'",
        "transport . voiture . boulot . distance . km aller": 12,
        "transport . voiture . boulot . jours travaillés en voiture": 4,
        "transport . voiture . boulot . voyageurs": 2,
    },
    "au travail en trottinette": {
        **CAR,
        "transport . voiture . boulot . sans voiture . type": "'trotinette électrique'",
        "transport . voiture . voiture 5km . fréquence": 5,
    },
    "au travail en vélo": {
        **CAR,
        "transport . voiture . boulot . sans voiture . type": "'vélo classique'",
    },
    "voiture de temps en temps": {"transport . voiture . utilisateur": "'non régulier'"},
    "petits trajets, 2000 km": BANDS["bands"]["transportation_mode"]["1"]["estimate"],
    "mode rapide": {
        "divers . textile . qualité": "'neuf fast fashion'",
        "divers . textile . volume": "'accro au shopping'",
        "divers . ameublement . préservation": "'maximum'",
        "divers . numérique . appareils . renouvellement téléphone": "'élevé'",
    },
    "local et de saison": {
        "alimentation . local . consommation": "'oui toujours'",
        "alimentation . de saison . consommation": "'oui toujours'",
    },
    "végétalien à vélo": PERSONAS["vegan cyclist"],
    "long-courriers": BANDS["bands"]["air_travel_frequency"]["3"]["high"],
}


def test_every_action_is_extracted_with_the_footprint_roots_unchanged():
    model = load_model()
    assert model.roots == ROOTS
    assert action_rules() == tuple(
        rule for lever in band_actions()["levers"].values() for rule in lever["actions"]
    )
    assert not model.incomplete


def test_action_savings_on_the_bands_are_the_committed_ones():
    """The evaluator gives the engine's figures of su-bands-actions.json, nulls included."""
    for lever in band_actions()["levers"].values():
        bands = BANDS["bands"][lever["variable"]]
        situations = [bands[code][level] for code in bands for level in ("estimate", "low", "high")]
        values = action_savings(situations, list(lever["actions"]))
        for rule, spec in lever["actions"].items():
            expected = [
                spec["values"][code][level]
                for code in bands
                for level in ("estimate", "low", "high")
            ]
            expected = np.array([np.nan if x is None else x for x in expected], dtype=float)
            np.testing.assert_allclose(values[rule].to_numpy(), expected, atol=0.006, err_msg=rule)


@needs_engine
def test_action_savings_are_the_engine_s():
    """Held to the live engine on varied situations: the same applicability, the same kg."""
    rules = list(action_rules())
    ours = action_savings(list(SITUATIONS.values()), rules)
    results = run_engine(list(SITUATIONS.values()), *rules)["results"]
    for rule in rules:
        engine = np.array(
            [np.nan if r["rules"][rule] is None else r["rules"][rule] for r in results], dtype=float
        )
        mine = ours[rule].to_numpy()
        for name, e, m in zip(SITUATIONS, engine, mine, strict=True):
            assert np.isnan(e) == np.isnan(m), (rule, name, e, m)
            if not np.isnan(e):
                assert m == pytest.approx(e, rel=1e-9, abs=1e-9), (rule, name)
    # each action applies somewhere and is not applicable somewhere else
    for rule in rules:
        assert ours[rule].notna().any() and ours[rule].isna().any(), rule


def test_action_savings_figures():
    values = action_savings(
        [SITUATIONS["appartement, chauffage collectif au gaz"], SITUATIONS["local et de saison"]],
        [
            "logement . chauffage . raccordement réseau de chaleur",
            "alimentation . bonus . manger local",
        ],
    )
    assert values.iloc[0, 0] > 0
    assert np.isnan(values.iloc[1, 1])  # already eating local: NGC does not apply the action
    frame = pd.DataFrame([GAS, {}])
    pac = action_savings(frame, ["logement . chauffage . installer une PAC"])
    assert list(pac.columns) == ["logement . chauffage . installer une PAC"]
    assert pac.iloc[0, 0] == pytest.approx(
        band_actions()["levers"]["heating"]["actions"]["logement . chauffage . installer une PAC"][
            "values"
        ]["2"]["estimate"],
        abs=0.006,
    )


def test_bad_input_is_an_error():
    with pytest.raises(InputError, match="not one of the NGC actions"):
        action_savings([{}], ["alimentation"])
    with pytest.raises(InputError, match="unknown choice"):
        action_savings([{"transport . voiture . utilisateur": "'jamai'"}], None)
    with pytest.raises(InputError, match="unknown rule"):
        action_savings([{"no such rule": 1}])


@needs_engine
def test_band_actions_are_the_engine_s(tmp_path: Path):
    out = tmp_path / "su-bands-actions.json"
    subprocess.run(
        ["node", str(NGC / "su_actions.mjs"), "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=ENGINE_GUARD_SECONDS,
    )
    assert out.read_bytes() == COMMITTED.read_bytes(), (
        "su-bands-actions.json is stale: run node tools/ngc/su_actions.mjs"
    )
    # every action is a term of the pinned model's `actions` sum
    model = NGC / "node_modules" / "@incubateur-ademe" / "nosgestesclimat" / "public"
    rules = json.loads((model / "co2-model.FR-lang.fr.json").read_text(encoding="utf-8"))
    listed = set(rules["actions"]["formule"]["somme"])
    for lever in band_actions()["levers"].values():
        assert set(lever["actions"]) <= listed


def test_structure_and_stamp():
    actions = band_actions()
    assert (actions["model_version"], actions["publicodes_version"]) == ("4.10.2", "1.10.3")
    stamp = band_values()
    assert (actions["model_version"], actions["publicodes_version"]) == (
        stamp["model_version"],
        stamp["publicodes_version"],
    )
    assert actions["unit"] == "kgCO2e/an"
    assert {k: v["variable"] for k, v in actions["levers"].items()} == LEVERS
    for lever in actions["levers"].values():
        assert sum(spec["main"] for spec in lever["actions"].values()) == 1
        for spec in lever["actions"].values():
            assert set(spec["values"]) == {"1", "2", "3"}
            for levels in spec["values"].values():
                assert set(levels) == {"estimate", "low", "high"}
                assert all(v is None or isinstance(v, (int, float)) for v in levels.values())


def test_figures():
    levers = band_actions()["levers"]
    meat = levers["meat"]["actions"]
    # 12 meat meals a week: down to 7 (one a day), to 2, to none; alternatives, not a sum
    assert meat["alimentation . repas . réduire viande . max 1 par jour"]["values"]["3"][
        "estimate"
    ] == pytest.approx(572.0)
    assert meat["alimentation . repas . réduire viande . max 2 par semaine"]["values"]["3"][
        "estimate"
    ] == pytest.approx(1144.0)
    assert meat["alimentation . devenir végétarien"]["values"]["3"]["estimate"] == pytest.approx(
        1435.2
    )
    # NGC's own condition: more than 7 meat meals a week; band 2 (7) is not concerned
    assert (
        meat["alimentation . repas . réduire viande . max 1 par jour"]["values"]["2"]["estimate"]
        is None
    )
    # flying nothing: no flight action applies
    for spec in levers["air"]["actions"].values():
        assert spec["values"]["1"] == {"estimate": None, "low": None, "high": None}
    # stopping flying saves the whole air footprint of the band
    air = band_values()["usages"]["avion"]["values"]
    stop = levers["air"]["actions"]["transport . avion . arrêter l'avion"]["values"]
    for code in ("2", "3"):
        assert stop[code]["estimate"] == pytest.approx(air[code]["estimate"])
    # a heat pump in place of electric heating costs more (its construction) than it saves
    pac = levers["heating"]["actions"]["logement . chauffage . installer une PAC"]["values"]
    assert pac["1"]["estimate"] < 0 < pac["2"]["estimate"] < pac["3"]["estimate"]


def test_main_actions():
    assert {lever: main_action(lever) for lever in LEVERS} == {
        "car": "transport . voiture . boulot . sans voiture",
        "meat": "alimentation . repas . réduire viande . max 1 par jour",
        "local_food": "alimentation . bonus . manger local",
        "second_hand": "divers . meuble ou électroménager . allongement",
        "air": "transport . avion . prendre moins l'avion",
        "digital": "divers . numérique . appareils . allongement",
        "heating": "logement . chauffage . installer une PAC",
    }
