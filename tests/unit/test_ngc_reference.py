"""The official Nos Gestes Climat engine, pinned, as qet-geo's reference (METHODS §5).

These tests need Node and ``make ngc`` (tools/ngc/node_modules); they skip, saying so,
only where Node is absent.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from unit_helpers import ROOT

NGC = ROOT / "tools" / "ngc"
MODEL_FILE = ROOT / "qet_geo" / "footprint" / "data" / "ngc-model.json"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (NGC / "node_modules" / "publicodes").is_dir(),
    reason="Node or tools/ngc/node_modules absent (run `make ngc`): no reference engine here",
)


def run_engine(items: list, *rules: str) -> dict:
    command = ["node", str(NGC / "run_engine.mjs")]
    if rules:
        command += ["--rules", ",".join(rules)]
    run = subprocess.run(
        command, input=json.dumps(items), capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(run.stdout)


def test_pinned_versions():
    answer = run_engine([{}])
    assert answer["model"] == "@incubateur-ademe/nosgestesclimat@4.10.2"
    assert answer["publicodes"] == "1.10.3"
    stamped = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert (stamped["model_version"], stamped["publicodes_version"]) == ("4.10.2", "1.10.3")


def test_defaults_of_the_engine():
    [result] = run_engine([{"name": "tout par défaut", "situation": {}}])["results"]
    assert result["name"] == "tout par défaut"
    assert round(result["bilan"]) == 8287  # METHODS §5: default total with no answers
    assert {k: round(v, 1) for k, v in result["usages"].items()} == {
        "alimentation": 2045.8,
        "avion": 417.6,
        "mobilite": 1567.9,
        "achats": 652.6,
        "numerique": 194.2,
    }


def test_a_misspelt_choice_only_warns_in_the_engine():
    """Why qet-geo checks situations itself: NGC accepts 'jamai' with a warning."""
    [result] = run_engine([{"transport . voiture . utilisateur": "'jamai'"}])["results"]
    assert any("ne fait pas partie des possibilités" in w for w in result["warnings"])


def run_script(script: str, out: Path) -> Path:
    """Run one of tools/ngc's writers with ``--out``; return ``out``."""
    subprocess.run(
        ["node", str(NGC / script), "--out", str(out)], check=True, capture_output=True, timeout=120
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


def test_band_footprints_are_the_engine_s(tmp_path: Path):
    out = run_script("su_bands.mjs", tmp_path / "su-bands-values.json")
    committed = ROOT / "qet_geo" / "footprint" / "data" / "su-bands-values.json"
    assert out.read_bytes() == committed.read_bytes(), (
        "su-bands-values.json is stale: run node tools/ngc/su_bands.mjs"
    )
    # band 2 of every usage but flights is NGC's average person for that usage
    [default] = run_engine([{}])["results"]
    values = json.loads(out.read_text(encoding="utf-8"))["usages"]
    assert values["alimentation"]["values"]["2"]["estimate"] == round(
        default["usages"]["alimentation"], 2
    )
    assert values["numerique"]["values"]["2"]["estimate"] == round(
        default["usages"]["numerique"], 2
    )
    assert values["achats"]["values"]["2"]["estimate"] == round(default["usages"]["achats"], 2)
