"""The sample's diagnostic answers (sample_data/emdv_answers.json, ngc_answers.json, made by
sample_data/generate.py): every row accounted for, the deliberately bad rows rejected with
their reasons, the regenerated files identical, and one figure of the analyses computed
again from the raw JSON (docs/diagnostic.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qet_geo.diagnostic.emdv import import_emdv
from qet_geo.diagnostic.job import import_answers, run_diagnostic
from qet_geo.diagnostic.ngc import import_ngc

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
EMDV = SAMPLE / "emdv_answers.json"
NGC = SAMPLE / "ngc_answers.json"
#: the population shares of the sample run's profiles (out/profiles.json), in percent
SHARES = {1: 69.14, 2: 27.49, 3: 3.37}


def generator():
    sys.path.insert(0, str(SAMPLE))
    try:
        import generate  # noqa: PLC0415
    finally:
        sys.path.remove(str(SAMPLE))
    return generate


@pytest.fixture(scope="module")
def su_data(tmp_path_factory) -> Path:
    """NEAR's Su Data of the sample's profiles (their database ids and barycentres as
    generate.py writes them): the profiles without the minutes of a sample run."""
    profiles = generator().DIAG_PROFILES
    path = tmp_path_factory.mktemp("su") / "Su Data.json"
    path.write_text(json.dumps([
        {"ID": p["su_id"], "Su": number, "Pop Percentage": str(SHARES[number]),
         "Barycenter": json.dumps(p["barycentre"])}
        for number, p in profiles.items()
    ]), encoding="utf-8")  # fmt: skip
    return path


def raw(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def test_emdv_rows_are_accounted_for(su_data):
    imp = import_emdv(EMDV)
    report = imp.report
    assert (report.rows_read, report.accepted, report.rejected) == (307, 305, 2)
    assert report.unknown_columns == [] and report.missing_questions == []
    reasons = {p.column: str(p.reason) for p in report.problems}
    assert reasons == {
        "Want To Reduce Car Usage": "unknown answer code",
        "Reasons To Not Buy French And Season Food":
            "not a list of choices (PostgreSQL array literal)",
    }  # fmt: skip
    # the free texts are private, the answers hold OTHER
    texts = " ".join(imp.private["text"])
    assert "camille.fictive@example.org" in texts and "14 bis rue des Glycines" in texts
    assert not imp.answers.astype(str).apply(lambda c: c.str.contains("@")).any().any()
    linked = import_answers(EMDV, "emdv", su_data=su_data)
    counts = (linked.report.rows_read, linked.report.accepted, linked.report.rejected)
    assert counts == (307, 304, 3)
    assert list(linked.rejects["row"]) == [31, 96, 151]  # the Su 7 the profiles lack: row 151
    assert linked.links["link"].fillna("none").value_counts().to_dict() == {
        "declared": 180, "assigned": 120, "none": 4}  # fmt: skip


def test_ngc_rows_are_accounted_for(su_data):
    report = import_ngc(NGC).report
    assert (report.rows_read, report.accepted, report.rejected) == (268, 266, 2)
    assert [(p.row, p.column) for p in report.problems] == [
        (61, "Divers Textile"), (121, "Transportation Car")]  # fmt: skip
    assert report.missing_nodes == []
    assert sum(report.mangled.values()) == 3 and sum(report.recovered.values()) == 3
    linked = import_answers(NGC, "ngc", su_data=su_data)
    assert linked.links["link"].fillna("none").value_counts().to_dict() == {
        "declared": 161, "assigned": 101, "none": 4}  # fmt: skip


def test_ngc_tree_holds_on_every_clean_row():
    schema = import_ngc(NGC).schema
    for row in raw(NGC):
        values = {}
        for node in schema.nodes.values():
            try:
                values[node.key] = float(row[node.header])
            except ValueError:
                values[node.key] = None
        if any(v is None or v < 0 for v in values.values()):
            continue
        for node in schema.nodes.values():
            kids = schema.children(node.key)
            if kids:
                assert abs(values[node.key] - sum(values[k] for k in kids)) <= 1e-6 * max(
                    1.0, values[node.key]
                ), (row["ID"], node.key)


def test_sample_totals_are_plausible():
    results = import_ngc(NGC).results
    assert 8000 < results["global_note"].mean() < 10000  # kg CO2e per year


def test_regenerating_gives_identical_files(tmp_path):
    done = subprocess.run([sys.executable, str(SAMPLE / "generate.py"), "--out", str(tmp_path)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    for path in (EMDV, NGC):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
        assert path.stat().st_size < 800_000  # a sample, not a data set


def test_car_profile_total_computed_again_from_the_raw_json(su_data, tmp_path):
    """The mean total footprint of profile 2 ("Voiture au quotidien") in the carbon table,
    computed again from the JSON: rows with a word or a negative number left out, a
    declared respondent by its SU id, the others to the nearest barycentre with NEAR's
    weights."""
    gen = generator()
    run = run_diagnostic(su=None, ngc=NGC, su_data=su_data, output=tmp_path / "d.gpkg")
    carbon = run.diagnostic.tables()["carbon"]
    got = carbon[(carbon["key"] == "bilan") & (carbon["profile"] == "2")]
    ids = {p["su_id"]: n for n, p in gen.DIAG_PROFILES.items()}
    centres = np.array([gen.DIAG_PROFILES[n]["barycentre"] for n in (1, 2, 3)])
    totals = []
    for row in raw(NGC):
        cells = [row[h] for _k, h, _p in gen.NGC_TREE]
        if any(not c.replace(".", "", 1).replace("-", "", 1).isdigit() and "T" not in c
               for c in cells) or any(c.startswith("-") for c in cells):  # fmt: skip
            continue
        if row["Know Su"]:
            profile = ids[row["Su ID"]]
        elif row["Meat Frequency"] is not None:
            x = np.array([gen.NEAR_WEIGHTS[j][gen.DIAG_SU_CODES[j].index(row[h])]
                          for j, h in enumerate(gen.DIAG_SU_HEADERS)])  # fmt: skip
            profile = 1 + int(np.argmin(((centres - x) ** 2).sum(axis=1)))
        else:
            continue
        if profile == 2:
            totals.append(float(row["Global Note"]))
    assert int(got["n"].iloc[0]) == len(totals) == 90
    assert got["mean"].iloc[0] == pytest.approx(np.mean(totals), rel=1e-12)
    assert 9500 < np.mean(totals) < 12000
