"""Nos Gestes Climat's actions on the SU bands, held to the official engine."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from ngc_stored import ENGINE_GUARD_SECONDS, have_engine
from unit_helpers import ROOT

from qet_geo.footprint.actions import band_actions, main_action
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


@pytest.mark.skipif(
    not have_engine(),
    reason="Node or tools/ngc/node_modules absent (run `make ngc`): no reference engine here",
)
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
