"""Import of the Nos Gestes Climat results (issue 15): the real Porte d'Orléans export with
every row accounted for and its numbers held to the raw JSON, the numbers the export shows
as dates found and given back by the tree only where it holds, NEAR's webhook payloads
linked by their SU code or their six answers, each bad input a precise error, and the
carbon means per profile and for the neighbourhood."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from unit_helpers import cli_in_process

from qet_geo.diagnostic.link import link_profiles, read_su_data
from qet_geo.diagnostic.ngc import import_ngc, load_ngc_schema
from qet_geo.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")  # fmt: skip
DIAG = SHARED / "data" / "near-diag"
NGC = DIAG / "Carbon Footprint Answer.json"
SU_DATA = DIAG / "Su Data.json"
pytestmark = pytest.mark.skipif(not NGC.is_file(), reason="../shared/data/near-diag is missing")
DATE = re.compile(r"^\d{4}-\d\d-\d\dT")


def raw() -> list[dict]:
    return json.loads(NGC.read_text(encoding="utf-8"))


def nodes() -> dict:
    """The tree of QeT's catalogue, read here: Metabase header of each NGC key."""
    catalogue = json.loads((DIAG / "MetaCarbon.json").read_text(encoding="utf-8"))
    return {x["NGC Key"]: x["Metabase Question Key"] for x in catalogue if x["is_node"]}


def write(tmp_path, rows, name="ngc.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_real_export_imports_with_every_row_and_every_number_accounted_for():
    rows = raw()
    got = import_ngc(NGC)
    assert (got.report.rows_read, got.report.accepted, got.report.rejected) == (124, 124, 0)
    headers = nodes()
    schema = load_ngc_schema()
    assert set(schema.nodes) == set(headers)
    # the numbers shown as dates: counted here by their form
    mangled = {h: sum(1 for r in rows if isinstance(r.get(h), str) and DATE.match(r[h]))
               for h in headers.values()}  # fmt: skip
    mangled = {h: n for h, n in mangled.items() if n}
    assert sum(mangled.values()) == 32
    assert {schema.nodes[k].header: n for k, n in
            ((k, got.report.mangled.get(schema.nodes[k].column, 0)) for k in schema.nodes) if n} == mangled  # fmt: skip
    # every clean number is the raw one
    for key, header in headers.items():
        column = schema.nodes[key].column
        for i, r in enumerate(rows):
            value = r.get(header)
            if value is not None and not DATE.match(str(value)):
                assert got.results[column][i] == pytest.approx(float(value)), (header, i)
    # a given-back cell is its parent minus its siblings (the tree holds on the clean rows)
    recovered = got.report.recovered
    assert sum(recovered.values()) == 24 and set(recovered) <= {
        schema.nodes[k].column for k in schema.nodes
    }
    for key, node in schema.nodes.items():
        if node.column not in recovered:
            continue
        parent = schema.nodes[node.parent]
        siblings = [schema.nodes[k] for k in schema.children(node.parent) if k != key]
        for i, r in enumerate(rows):
            if isinstance(r.get(node.header), str) and DATE.match(r[node.header]):
                value = got.results[node.column][i]
                if np.isfinite(value):
                    expected = float(r[parent.header]) - sum(float(r[s.header]) for s in siblings)
                    assert value == pytest.approx(max(expected, 0.0), abs=1e-6)
    # the others stay missing; nothing else of a respondent is kept
    assert got.results.isna().sum().sum() >= 8
    assert not any(c in got.results.columns for c in ("answers", "transport ", "Answers"))
    assert any("given back by the tree" in str(n) for n in got.report.notes)


def test_the_webhooks_link_by_their_su_code_or_their_six_answers():
    profiles = read_su_data(SU_DATA)
    known = import_ngc(DIAG / "webhooks" / "ngc-known-su.json")
    assert known.results["su_code"].tolist() == [2]
    links, problems = link_profiles(known.results, profiles, "ngc-known-su.json")
    assert (
        not problems and links["link"].tolist() == ["declared"] and links["profile"].tolist() == [2]
    )
    unknown = import_ngc(DIAG / "webhooks" / "ngc-unknown-su.json")
    payload = json.loads((DIAG / "webhooks" / "ngc-unknown-su.json").read_text(encoding="utf-8"))
    answers = payload["answers"]["userAnswers"]
    assert answers["services sociétaux . su . calcul su . question 2"] == "'voiture'"
    assert unknown.results["transportation_mode"].tolist() == [3]  # NEAR's mapping: car
    links, _ = link_profiles(unknown.results, profiles, "ngc-unknown-su.json")
    assert links["link"].tolist() == ["assigned"] and links["distance"].notna().all()
    assert unknown.results["global_note"][0] == pytest.approx(payload["calculatedResults"]["bilan"])


def test_bad_numbers_reject_their_row_naming_file_row_column_and_value(tmp_path):
    rows = raw()
    rows[6]["Transportation Car"] = "beaucoup"
    rows[9]["Logement Heating"] = "-12.5"
    got = import_ngc(write(tmp_path, rows))
    assert (got.report.rows_read, got.report.accepted, got.report.rejected) == (124, 122, 2)
    first, second = got.report.problems
    assert first.row == 7 and first.column == "Transportation Car" and first.value == "beaucoup"
    assert "ngc.json" in str(first) and "kg CO2e" in str(first)
    assert second.row == 10 and "negative" in str(second)
    assert got.rejects["row"].tolist() == [7, 10]
    # a webhook value that is not a number names its NGC key
    payload = json.loads((DIAG / "webhooks" / "ngc-known-su.json").read_text(encoding="utf-8"))
    payload["calculatedResults"]["transport . avion"] = "NaN kg"
    got = import_ngc(write(tmp_path, payload, "payload.json"))
    (problem,) = got.report.problems
    assert problem.column == "transport . avion" and "NaN kg" in str(problem)
    # no NGC column at all
    with pytest.raises(InputError) as error:
        import_ngc(write(tmp_path, [{"a": 1}], "other.json"))
    assert "other.json" in str(error.value) and "Global Note" in str(error.value)


def test_carbon_means_per_profile_and_for_the_neighbourhood(tmp_path):
    rows = raw()
    su = json.loads(SU_DATA.read_text(encoding="utf-8"))
    number = {str(s["ID"]): s["Su"] for s in su}
    share = {s["Su"]: float(s["Pop Percentage"]) / 100 for s in su}
    out = tmp_path / "d.gpkg"
    got = cli_in_process("diagnostic", "summarize", "--su", DIAG / "Su Answer.json", "--ngc", NGC,
                         "--su-data", SU_DATA, "-o", out, "--json")  # fmt: skip
    assert got.returncode == 0, got.stderr
    carbon = json.loads(got.stdout)["carbon"]
    declared = [r for r in rows if r["Know Su"]]
    assert len(declared) == 91
    total = {r["profile"]: r for r in carbon if r["key"] == "bilan"}
    assert total["ensemble"]["n"] == 124
    assert total["ensemble"]["mean"] == pytest.approx(
        np.mean([float(r["Global Note"]) for r in rows])
    )
    # the declared respondents' profile is their SU; the others are assigned (EMdV's rule)
    by_profile = {}
    frame = import_ngc(NGC)
    links, _ = link_profiles(frame.results, read_su_data(SU_DATA), "x")
    for r, p in zip(rows, links["profile"], strict=True):
        if r["Know Su"]:
            assert p == number[str(r["Su ID"])]
        by_profile.setdefault(int(p), []).append(float(r["Global Note"]))
    for p, values in by_profile.items():
        assert total[p]["mean"] == pytest.approx(np.mean(values)) and total[p]["n"] == len(values)
        low, high = total[p]["low"], total[p]["high"]
        assert low < total[p]["mean"] < high
    assert total["quartier"]["mean"] == pytest.approx(
        sum(share[p] * np.mean(v) for p, v in by_profile.items())
    )
