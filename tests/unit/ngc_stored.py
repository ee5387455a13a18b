"""The official Nos Gestes Climat engine's results for qet-geo's reference situations, stored.

Running the engine (``tools/ngc/run_engine.mjs``) on the 400-odd reference situations takes
minutes (170 s on a quiet machine, past 600 s on a loaded one), so its results are kept in
:data:`STORED`, keyed by what decides them:

* the model version (``@incubateur-ademe/nosgestesclimat``) and the engine version
  (``publicodes``), as pinned in ``tools/ngc/package-lock.json``;
* the SHA-256 of the situations (canonical JSON: sorted keys, no spaces, UTF-8), as the
  generator below makes them today.

``make ngc-reference`` runs this file: it makes the situations, runs the live engine on them
and writes :data:`STORED`.  ``tests/unit/test_ngc_stored.py`` checks the key against the pins
and the generator (and runs the live engine on a few of the situations);
``tests/unit/test_publicodes.py`` holds qet-geo's evaluator to the stored results.

Imported by name by the tests (tests/unit is on their sys.path); no pytest here.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if __name__ == "__main__":  # `make ngc-reference`: this worktree's qet_geo
    sys.path.insert(0, str(ROOT))

from qet_geo.footprint.publicodes import ROOTS, evaluate, load_model  # noqa: E402

NGC = ROOT / "tools" / "ngc"
LOCK = NGC / "package-lock.json"
STORED = ROOT / "tests" / "fixtures" / "ngc" / "reference_results.json"
MODEL_PACKAGE = "@incubateur-ademe/nosgestesclimat"
ENGINE_PACKAGE = "publicodes"
REGENERATE = "run `make ngc-reference` (it runs the live engine and rewrites {})"
#: a hang guard for the engine, never a measure (the 400 situations take minutes)
ENGINE_GUARD_SECONDS = 1800
GENERATED = 400
SEED = 20251126


def have_engine() -> bool:
    return shutil.which("node") is not None and (NGC / "node_modules" / "publicodes").is_dir()


def pinned_versions(lock: Path = LOCK) -> dict[str, str]:
    """The model and engine versions pinned in ``package-lock.json``."""
    packages = json.loads(lock.read_text(encoding="utf-8"))["packages"]
    return {
        "model_version": packages[f"node_modules/{MODEL_PACKAGE}"]["version"],
        "publicodes_version": packages[f"node_modules/{ENGINE_PACKAGE}"]["version"],
    }


def canonical_json(value) -> bytes:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def situations_sha256(groups: dict[str, list]) -> str:
    return hashlib.sha256(canonical_json(groups)).hexdigest()


def run_engine(items: list, *rules: str) -> dict:
    """The live engine's answer for ``items`` (``{"model", "publicodes", "results"}``)."""
    command = ["node", str(NGC / "run_engine.mjs")]
    if rules:
        command += ["--rules", ",".join(rules)]
    run = subprocess.run(
        command,
        input=json.dumps(items),
        capture_output=True,
        text=True,
        check=True,
        timeout=ENGINE_GUARD_SECONDS,
    )
    return json.loads(run.stdout)


# ------------------------------------------------------------- the reference situations

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

#: choices outside the possibilities: publicodes only warns and keeps them
MISSPELT = [
    {"transport . voiture . utilisateur": "'jamai'"},
    {"transport . avion . usager": "'souvent'", "divers . textile . volume": "'beaucoup'"},
]


def reference_model():
    # QET_GEO_NGC_MODEL: another extraction of the same pinned model (development aid)
    return load_model(os.environ.get("QET_GEO_NGC_MODEL") or None)


def _questions(model):
    # the questions of the footprints (the rules kept for the actions add a few, not asked here)
    footprint = model.closure(model.roots)
    base_rules = [
        q
        for q in model.raw
        if q in footprint and isinstance(model.raw[q], dict) and "question" in model.raw[q]
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


def reference_situations(model) -> dict[str, list]:
    """The situations whose engine results are stored, by group (engine items: a named
    item is ``{"name", "situation"}``)."""
    return {
        "defaults": [{}],
        "personas": [{"name": name, "situation": s} for name, s in PERSONAS.items()],
        "misspelt": MISSPELT,
        "generated": generate_situations(model, GENERATED, seed=SEED),
    }


#: the stored situations put to the live engine by the tests (a few: each takes a while)
LIVE_PICKS = (
    ("defaults", 0),
    ("personas", 0),
    ("personas", 7),
    ("misspelt", 0),
    ("generated", 0),
    ("generated", 399),
)
NAMED_DEFAULT = {"name": "tout par défaut", "situation": {}}


@functools.lru_cache(maxsize=1)
def live_run() -> dict:
    """The one live engine run of the unit tests (test_ngc_stored, test_ngc_reference):
    ``{"model", "publicodes", "picks": {(group, index): result}, "named default": result}``
    for :data:`LIVE_PICKS` and :data:`NAMED_DEFAULT`."""
    groups = reference_situations(reference_model())
    items = [groups[group][index] for group, index in LIVE_PICKS] + [NAMED_DEFAULT]
    answer = run_engine(items)
    results = answer["results"]
    return {
        "model": answer["model"],
        "publicodes": answer["publicodes"],
        "picks": dict(zip(LIVE_PICKS, results[: len(LIVE_PICKS)], strict=True)),
        "named default": results[-1],
    }


def _kept(result: dict) -> dict:
    """What is stored of one engine result: its name, the root rules and the total."""
    kept = {"rules": {root: result["rules"][root] for root in ROOTS}, "bilan": result["bilan"]}
    if "name" in result:
        kept = {"name": result["name"], **kept}
    return kept


# ------------------------------------------------------------- the stored file


def stored_key(groups: dict[str, list], lock: Path = LOCK) -> dict:
    """What the stored results must be keyed by today."""
    return {
        "model": MODEL_PACKAGE,
        **pinned_versions(lock),
        "situations_sha256": situations_sha256(groups),
        "counts": {group: len(items) for group, items in groups.items()},
    }


def key_mismatches(stored: dict, expected: dict) -> list[str]:
    """The differences between a stored file's key and today's, as sentences."""
    return [
        f"{field}: stored {stored.get(field)!r}, today {value!r}"
        for field, value in expected.items()
        if stored.get(field) != value
    ]


def read_stored(path: Path = STORED) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def stored_results(groups: dict[str, list], path: Path = STORED) -> dict[str, list]:
    """The stored engine results by group, after checking their key against today's pins
    and situations; :class:`LookupError` (saying to run ``make ngc-reference``) otherwise."""
    if not path.is_file():
        raise LookupError(f"{path} is missing: " + REGENERATE.format(path.name))
    stored = read_stored(path)
    wrong = key_mismatches(stored, stored_key(groups))
    if wrong:
        raise LookupError(
            f"{path.name} was made for other situations or versions ({'; '.join(wrong)}): "
            + REGENERATE.format(path.name)
        )
    return stored["results"]


def render(key: dict, results: dict[str, list]) -> str:
    """The stored file's text: the key, then one line per result (reviewable diffs)."""
    lines = ["{"]
    lines.append(
        '  "about": '
        + json.dumps(
            "Results of the official Nos Gestes Climat engine (tools/ngc/run_engine.mjs) for "
            "qet-geo's reference situations (tests/unit/ngc_stored.py). Generated by "
            "`make ngc-reference`; do not edit.",
            ensure_ascii=False,
        )
        + ","
    )
    for field, value in key.items():
        lines.append(f"  {json.dumps(field)}: {json.dumps(value, ensure_ascii=False)},")
    lines.append('  "results": {')
    for g, (group, items) in enumerate(results.items()):
        lines.append(f"    {json.dumps(group)}: [")
        for i, item in enumerate(items):
            comma = "," if i < len(items) - 1 else ""
            lines.append("      " + json.dumps(item, ensure_ascii=False, allow_nan=False) + comma)
        lines.append("    ]" + ("," if g < len(results) - 1 else ""))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def regenerate(path: Path = STORED) -> Path:
    """Run the live engine on today's reference situations and write ``path``."""
    if not have_engine():
        raise SystemExit("Node or tools/ngc/node_modules absent: run `make ngc` first")
    groups = reference_situations(reference_model())
    key = stored_key(groups)
    items = [item for group in groups.values() for item in group]
    answer = run_engine(items)
    engine = {"model": f"{MODEL_PACKAGE}@{key['model_version']}",
              "publicodes": key["publicodes_version"]}  # fmt: skip
    if {k: answer[k] for k in engine} != engine:
        raise SystemExit(
            f"tools/ngc/node_modules holds {answer['model']} and publicodes "
            f"{answer['publicodes']}, the lock file pins {engine}: run `make ngc`"
        )
    results, start = {}, 0
    for group, group_items in groups.items():
        results[group] = [_kept(r) for r in answer["results"][start : start + len(group_items)]]
        start += len(group_items)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(render(key, results), encoding="utf-8")
    os.replace(partial, path)
    return path


if __name__ == "__main__":
    written = regenerate()
    print(f"wrote {written.relative_to(ROOT)} ({written.stat().st_size} bytes)")
