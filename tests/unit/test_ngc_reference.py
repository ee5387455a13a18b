"""The official Nos Gestes Climat engine, pinned, as qet-geo's reference ([NGC-model]).

These tests need Node and ``make ngc`` (tools/ngc/node_modules); they skip, saying so,
only where Node is absent.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from ngc_stored import (
    ENGINE_GUARD_SECONDS,
    LIVE_PICKS,
    MISSPELT,
    have_engine,
    live_run,
    pinned_versions,
)
from unit_helpers import ROOT

NGC = ROOT / "tools" / "ngc"
MODEL_FILE = ROOT / "qet_geo" / "footprint" / "data" / "ngc-model.json"

pytestmark = pytest.mark.skipif(
    not have_engine(),
    reason="Node or tools/ngc/node_modules absent (run `make ngc`): no reference engine here",
)


@pytest.fixture(scope="module")
def answer() -> dict:
    """The unit tests' one live engine run (ngc_stored.live_run): the defaults, bare and
    named, and a misspelt choice among its items."""
    answer = live_run()
    assert MISSPELT[LIVE_PICKS[3][1]] == {"transport . voiture . utilisateur": "'jamai'"}
    return {
        "model": answer["model"],
        "publicodes": answer["publicodes"],
        "results": [
            answer["picks"][("defaults", 0)],
            answer["named default"],
            answer["picks"][LIVE_PICKS[3]],
        ],
    }


def test_pinned_versions(answer):
    assert answer["model"] == "@incubateur-ademe/nosgestesclimat@4.10.2"
    assert answer["publicodes"] == "1.10.3"
    stamped = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert (stamped["model_version"], stamped["publicodes_version"]) == ("4.10.2", "1.10.3")
    assert pinned_versions() == {"model_version": "4.10.2", "publicodes_version": "1.10.3"}


def test_defaults_of_the_engine(answer):
    result = answer["results"][1]
    assert result["name"] == "tout par défaut"
    assert "name" not in answer["results"][0]
    assert answer["results"][0]["usages"] == result["usages"]
    assert round(result["bilan"]) == 8287  # docs/footprints.md: default total with no answers
    assert {k: round(v, 1) for k, v in result["usages"].items()} == {
        "alimentation": 2045.8,
        "avion": 417.6,
        "mobilite": 1567.9,
        "achats": 652.6,
        "numerique": 194.2,
    }


def test_a_misspelt_choice_only_warns_in_the_engine(answer):
    """Why qet-geo checks situations itself: NGC accepts 'jamai' with a warning."""
    result = answer["results"][2]
    assert any("ne fait pas partie des possibilités" in w for w in result["warnings"])


def run_script(script: str, out: Path) -> Path:
    """Run one of tools/ngc's writers with ``--out``; return ``out``."""
    subprocess.run(
        ["node", str(NGC / script), "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=ENGINE_GUARD_SECONDS,
    )
    return out


def test_extraction_is_reproducible(tmp_path: Path):
    out = run_script("extract.mjs", tmp_path / "ngc-model.json")
    assert out.read_bytes() == MODEL_FILE.read_bytes(), (
        "qet_geo/footprint/data/ngc-model.json is stale: run node tools/ngc/extract.mjs"
    )
    rules = json.loads(out.read_text(encoding="utf-8"))["rules"]
    for root in ("alimentation", "transport . avion", "divers . numérique"):
        assert "formule" in rules[root] or "valeur" in rules[root]


def test_band_footprints_are_the_engine_s(tmp_path: Path, answer):
    out = run_script("su_bands.mjs", tmp_path / "su-bands-values.json")
    committed = ROOT / "qet_geo" / "footprint" / "data" / "su-bands-values.json"
    assert out.read_bytes() == committed.read_bytes(), (
        "su-bands-values.json is stale: run node tools/ngc/su_bands.mjs"
    )
    # band 2 of every usage but flights is NGC's average person for that usage
    default = answer["results"][0]
    values = json.loads(out.read_text(encoding="utf-8"))["usages"]
    assert values["alimentation"]["values"]["2"]["estimate"] == round(
        default["usages"]["alimentation"], 2
    )
    assert values["numerique"]["values"]["2"]["estimate"] == round(
        default["usages"]["numerique"], 2
    )
    assert values["achats"]["values"]["2"]["estimate"] == round(default["usages"]["achats"], 2)
