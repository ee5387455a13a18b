"""Footprints of detailed NGC situations: reading, checks, command line.

Values are held to the official engine in test_publicodes.py; here: what users get.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from qet_geo.errors import InputError
from qet_geo.footprint.situations import read_items, situation_footprints


def _write(tmp_path, data, name="s.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_items_named_or_bare(tmp_path):
    path = _write(
        tmp_path, [{"name": "A", "situation": {}}, {"transport . avion . usager": "'jamais'"}]
    )
    assert read_items(path) == [("A", {}), (None, {"transport . avion . usager": "'jamais'"})]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", r"s.json, row 1: not valid JSON"),
        ('{"a": 1}', r"s.json: expected a JSON array of situations"),
        ("[{}, 3]", r"s.json, row 2: value '3': an item is not a situation object"),
    ],
)
def test_bad_files(tmp_path, content, message):
    with pytest.raises(InputError, match=message):
        read_items(_write(tmp_path, content))


def test_bad_answers_are_errors_not_silent_zeros():
    items = [
        (None, {}),
        (
            "x",
            {
                "transport . voiture . utilisateur": "'jamai'",
                "divers . numérique . internet . durée journalière": "beaucoup",
                "alimentation . plats . viande rouge . nombre": "'3'",
                "transport . bateau": 1,
            },
        ),
    ]
    with pytest.raises(InputError) as error:
        situation_footprints(items, source="mes.json")
    problems = {p.column: p for p in error.value.problems}
    assert set(problems) == {
        "transport . voiture . utilisateur",
        "divers . numérique . internet . durée journalière",
        "alimentation . plats . viande rouge . nombre",
        "transport . bateau",
    }
    assert all(p.row == 2 and p.file == "mes.json" for p in problems.values())
    assert "unknown choice" in problems["transport . voiture . utilisateur"].reason
    assert "'jamais'" in problems["transport . voiture . utilisateur"].reason
    assert problems["transport . bateau"].reason.startswith("unknown rule")


def test_clamped_values_warn_as_ngc_clamps():
    footprints, warnings = situation_footprints(
        [
            (
                "far",
                {
                    "transport . voiture . utilisateur": "'propriétaire'",
                    "transport . voiture . km": 250000,
                },
            )
        ]
    )
    [warning] = warnings
    assert warning.column == "transport . voiture . km"
    assert "NGC clamps it to 99999" in warning.reason
    assert footprints.loc[0, "fp_mobilite"] > 5000


def test_cli_json(tmp_path):
    path = _write(
        tmp_path, [{"name": "défaut", "situation": {}}, {"transport . avion . usager": "'jamais'"}]
    )
    run = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "footprint", str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QET_GEO_LANG": "en"},
    )
    assert run.returncode == 0, run.stderr
    first, second = json.loads(run.stdout)
    assert first["name"] == "défaut" and "name" not in second
    assert set(first["usages"]) == {"alimentation", "avion", "mobilite", "achats", "numerique"}
    assert first["total"] == pytest.approx(sum(first["usages"].values()), abs=0.05)
    assert second["usages"]["avion"] == 0
