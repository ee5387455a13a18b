"""The stored results of the official NGC engine (tests/fixtures/ngc/reference_results.json)
are those of the pinned engine for today's reference situations (see ngc_stored.py).

The file is keyed by the model and engine versions pinned in tools/ngc/package-lock.json and
by the SHA-256 of the situations the generator makes today: when either changes, these tests
fail and say to run ``make ngc-reference``.  One small live run (Node, ``make ngc``) checks
that the engine installed still gives the stored numbers.
"""

from __future__ import annotations

import json
import math

import pytest
from ngc_stored import (
    LIVE_PICKS,
    LOCK,
    MODEL_PACKAGE,
    ROOTS,
    STORED,
    canonical_json,
    have_engine,
    key_mismatches,
    live_run,
    pinned_versions,
    read_stored,
    reference_model,
    reference_situations,
    situations_sha256,
    stored_key,
    stored_results,
)

REMEDY = "run `make ngc-reference`"


@pytest.fixture(scope="module")
def groups():
    return reference_situations(reference_model())


@pytest.fixture(scope="module")
def stored():
    assert STORED.is_file(), f"{STORED} is missing: {REMEDY}"
    return read_stored()


def test_stored_file_is_for_the_pinned_model_and_engine(stored):
    lock = json.loads(LOCK.read_text(encoding="utf-8"))["packages"]
    pins = {
        "model_version": lock[f"node_modules/{MODEL_PACKAGE}"]["version"],
        "publicodes_version": lock["node_modules/publicodes"]["version"],
    }
    assert pinned_versions() == pins
    assert stored["model"] == MODEL_PACKAGE
    found = {field: stored.get(field) for field in pins}
    assert found == pins, (
        f"the stored engine results are for {found}, tools/ngc pins {pins}: {REMEDY}"
    )


def test_stored_file_is_for_today_s_situations(groups, stored):
    expected = stored_key(groups)
    assert stored["situations_sha256"] == expected["situations_sha256"], (
        "the reference situations changed (generator, personas, model extraction or numpy's "
        f"random streams): {REMEDY}"
    )
    assert key_mismatches(stored, expected) == []
    assert stored["counts"] == {
        "defaults": 1,
        "personas": len(groups["personas"]),
        "misspelt": 2,
        "generated": 400,
    }
    assert {group: len(items) for group, items in stored["results"].items()} == stored["counts"]


def test_every_stored_result_has_every_root_as_a_number(stored):
    for group, results in stored["results"].items():
        for index, result in enumerate(results):
            assert set(result["rules"]) == set(ROOTS), (group, index)
            values = [*result["rules"].values(), result["bilan"]]
            assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in values), (
                group,
                index,
            )
    names = [result["name"] for result in stored["results"]["personas"]]
    assert len(set(names)) == len(names) == len(stored["results"]["personas"])


def test_the_hash_is_of_canonical_json():
    a = {"generated": [{"b": 1.5, "a": "'x'"}], "defaults": [{}]}
    b = {"defaults": [{}], "generated": [{"a": "'x'", "b": 1.5}]}
    assert canonical_json(a) == canonical_json(b)
    assert situations_sha256(a) == situations_sha256(b)
    changed = {"defaults": [{}], "generated": [{"a": "'x'", "b": 1.51}]}
    assert situations_sha256(changed) != situations_sha256(a)
    assert canonical_json({"é": "ü"}) == '{"é":"ü"}'.encode()


def test_a_stale_file_is_refused_with_the_command_to_run(groups, tmp_path):
    """The comparisons of test_publicodes.py read the file through ``stored_results``: a
    file made for other versions or other situations is refused there, not compared."""
    assert set(stored_results(groups)) == set(groups)
    text = STORED.read_text(encoding="utf-8")
    stale = json.loads(text)
    stale["publicodes_version"] = "0.0.1"
    (tmp_path / "versions.json").write_text(json.dumps(stale), encoding="utf-8")
    with pytest.raises(
        LookupError, match=r"publicodes_version: stored '0.0.1'.*make ngc-reference"
    ):
        stored_results(groups, tmp_path / "versions.json")
    other = {
        **groups,
        "generated": [dict(groups["generated"][0], extra=1), *groups["generated"][1:]],
    }
    with pytest.raises(LookupError, match=r"situations_sha256: stored .*make ngc-reference"):
        stored_results(other)
    other_lock = tmp_path / "package-lock.json"
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    lock["packages"][f"node_modules/{MODEL_PACKAGE}"]["version"] = "9.9.9"
    other_lock.write_text(json.dumps(lock), encoding="utf-8")
    assert key_mismatches(read_stored(), stored_key(groups, other_lock)) == [
        f"model_version: stored {read_stored()['model_version']!r}, today '9.9.9'"
    ]
    with pytest.raises(LookupError, match="is missing: run `make ngc-reference`"):
        stored_results(groups, tmp_path / "absent.json")


@pytest.mark.skipif(
    not have_engine(),
    reason="Node or tools/ngc/node_modules absent (run `make ngc`): no live engine here",
)
def test_the_live_engine_still_gives_the_stored_numbers(groups, stored):
    """A few of the stored situations (the defaults, two personas, a misspelt choice and
    two generated situations) through the engine installed from the lock file."""
    answer = live_run()
    pins = pinned_versions()
    assert answer["model"] == f"{MODEL_PACKAGE}@{pins['model_version']}"
    assert answer["publicodes"] == pins["publicodes_version"]
    assert {group for group, _ in LIVE_PICKS} == set(groups)
    for (group, index), live in answer["picks"].items():
        kept = stored["results"][group][index]
        assert live.get("name") == kept.get("name")
        for root in ROOTS:
            assert live["rules"][root] == pytest.approx(kept["rules"][root], rel=1e-9, abs=1e-9), (
                group,
                index,
                root,
            )
        assert live["bilan"] == pytest.approx(kept["bilan"], rel=1e-9, abs=1e-9), (group, index)


def test_make_ngc_reference_regenerates_the_file():
    makefile = (STORED.parents[3] / "Makefile").read_text(encoding="utf-8")
    assert "\nngc-reference:" in makefile
    recipe = makefile.split("\nngc-reference:", 1)[1].split("\n\n", 1)[0]
    assert "tests/unit/ngc_stored.py" in recipe
