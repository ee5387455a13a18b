"""The diagnostic's analyses as a user gets them (issue 15): ``qet-geo diagnostic summarize``
on the real Porte d'Orléans exports, its ``--json`` and its files held to figures computed
here from the raw JSON (the profiles by NEAR's rule, the shares by counting, the barrier
families from QeT's own catalogue ``MetaEmdvChoices.json``), the threshold applied to every
published count, and no free text in any published file."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from unit_helpers import cli_in_process

from qet_geo.diagnostic.analyses import distance_class
from qet_geo.diagnostic.output import mask_personal

ROOT = Path(__file__).resolve().parents[2]
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")  # fmt: skip
DIAG = SHARED / "data" / "near-diag"
EMDV = DIAG / "Way Of Life Answer.json"
SU = DIAG / "Su Answer.json"
SU_DATA = DIAG / "Su Data.json"
pytestmark = pytest.mark.skipif(not EMDV.is_file(), reason="../shared/data/near-diag is missing")

PLACEHOLDER = "texte libre retiré"
WEIGHTS = {
    "Meat Frequency": {"MINOR": 200, "REGULAR": 1000, "MAJOR": 2000},
    "Transportation Mode": {"LIGHT": 0, "PUBLIC": 300, "CAR": 2300},
    "Digital Intensity": {"LIGHT": 90, "REGULAR": 180, "INTENSE": 360},
    "Purchasing Strategy": {"SECOND_HAND": 400, "MIXED": 800, "NEW": 1600},
    "Air Travel Frequency": {"ZERO": 0, "FROM_1_TO_3": 800, "ABOVE_3": 2000},
    "Heat Source": {"ELECTRICITY": 200, "GAZ": 1100, "OIL": 1600},
}


def raw() -> list[dict]:
    return json.loads(EMDV.read_text(encoding="utf-8"))


def expected_profiles(rows) -> list[int]:
    """Each raw row's profile by NEAR's rule: the declared SU, else the nearest barycentre."""
    su = json.loads(SU_DATA.read_text(encoding="utf-8"))
    number = {str(s["ID"]): s["Su"] for s in su}
    centres = {s["Su"]: np.array(json.loads(s["Barycenter"]) if isinstance(s["Barycenter"], str)
                                 else s["Barycenter"], dtype=float) for s in su}  # fmt: skip
    out = []
    for r in rows:
        if r["Know Su"]:
            out.append(number[str(r["Su ID"])])
        else:
            x = np.array([WEIGHTS[h][r[h]] for h in WEIGHTS], dtype=float)
            out.append(min(centres, key=lambda k: np.linalg.norm(x - centres[k])))
    return out


def shares() -> dict[int, float]:
    su = json.loads(SU_DATA.read_text(encoding="utf-8"))
    return {s["Su"]: float(s["Pop Percentage"]) / 100 for s in su}


def summarize(tmp_path, *extra, min_cell=3):
    out = tmp_path / "diagnostic.gpkg"
    got = cli_in_process("diagnostic", "summarize", "--su", SU, "--emdv", EMDV,
                         "--su-data", SU_DATA, "-o", out, "--min-cell", min_cell, "--json",
                         *extra)  # fmt: skip
    assert got.returncode == 0, got.stderr
    return json.loads(got.stdout), out


def row_of(rows, question, profile, **match):
    found = [r for r in rows if r["question"] == question and r["profile"] == profile
             and all(r.get(k) == v for k, v in match.items())]  # fmt: skip
    assert len(found) == 1, (question, profile, match, len(found))
    return found[0]


def test_satisfaction_and_wishes_are_the_shares_counted_from_the_raw_export(tmp_path):
    data, _ = summarize(tmp_path)
    rows = raw()
    profiles = expected_profiles(rows)
    w = shares()
    checked = quartiers = 0
    for table, question, codes in (
        ("satisfaction", "Easy Public Transports", ("NO", "DONT_KNOW", "YES")),
        ("satisfaction", "Public Service Presence", ("NO", "DONT_KNOW", "YES")),
        ("wishes", "Want To Reduce Car Usage", ("NO", "I_WISH_BUT_CANT", "I_WISH_AND_IT_IS_PLAN", "YES_I_DO")),
        ("wishes", "Prefer Second And", ("NO", "I_WISH_BUT_CANT", "I_WISH_AND_IT_IS_PLAN", "YES_I_DO")),
    ):  # fmt: skip
        per = {p: Counter(r[question] for r, q in zip(rows, profiles, strict=True) if q == p and r[question])
               for p in (1, 2, 3)}  # fmt: skip
        pooled = Counter(r[question] for r in rows if r[question])
        for p, counts in per.items():
            got = row_of(data[table], question, p)
            n = sum(counts.values())
            for code in codes:
                if code in got["suppressed"]:
                    assert got[code] is None
                    continue
                assert got[code] == pytest.approx(counts[code] / n)
                assert counts[code] >= 3  # nothing published under the threshold
                low, high = got["intervals"][code]
                assert low <= got[code] <= high
                checked += 1
            if got["n"] is not None:
                assert got["n"] == n
        ensemble = row_of(data[table], question, "ensemble")
        assert ensemble["n"] == sum(pooled.values())
        quartier = row_of(data[table], question, "quartier")
        for code in codes:
            if ensemble[code] is not None:
                assert ensemble[code] == pytest.approx(pooled[code] / sum(pooled.values()))
            if quartier[code] is not None:
                expected = sum(w[p] * per[p][code] / sum(per[p].values()) for p in per)
                assert quartier[code] == pytest.approx(expected)
                # hidden in no profile: else the two figures give the hidden value back
                assert all(code not in row_of(data[table], question, p)["suppressed"] for p in per)
                quartiers += 1
    assert checked >= 15 and quartiers >= 3


def test_barrier_families_are_shares_of_all_the_profile_respondents(tmp_path):
    data, _ = summarize(tmp_path)
    rows = raw()
    profiles = expected_profiles(rows)
    catalogue = json.loads((DIAG / "MetaEmdvChoices.json").read_text(encoding="utf-8"))
    question = "Reasons To Not Buy French And Season Food"
    # the family of each code of this question, as QeT's catalogue gives it
    family = {c["Metabase Choice Key"]: c["famille_barriere"] for c in catalogue
              if c["Metabase Question Key"] == question and c["famille_barriere"]}  # fmt: skip
    family.pop("OTHER", None)
    family["NOT_CONCERNED"] = "Non concerné"

    def ticked(r) -> set:
        value = r[question]
        if value == "{}":
            return {"NOT_CONCERNED"}  # NEAR's storage of "Ça ne me concerne pas"
        parts = [p.strip('"') for p in value[1:-1].split(",")] if value else []
        return {p if p in family else "OTHER" for p in parts if p}

    checked = 0
    for p in (1, 2, 3):
        mine = [r for r, q in zip(rows, profiles, strict=True) if q == p]
        for name in ("Accessibilité financière", "Informations et compétences", "Non concerné",
                     "Autres raisons"):  # fmt: skip
            count = sum(1 for r in mine if any(
                (family.get(c) == name) or (c == "OTHER" and name == "Autres raisons") for c in ticked(r)))  # fmt: skip
            got = row_of(data["barriers"], question, p, level="family", family=name)
            if got["share"] is None:
                continue
            assert got["n"] == len(mine)  # the denominator: every respondent of the profile
            assert got["share"] == pytest.approx(count / len(mine))
            assert count >= 3
            checked += 1
    assert checked >= 4


def test_trips_are_mode_time_zone_cells_with_their_distance_class(tmp_path):
    data, _ = summarize(tmp_path)
    rows = raw()
    profiles = expected_profiles(rows)
    mode, time, zone = (
        "Transport Mode To Buy Food",
        "Transport Time To Buy Food",
        "Food Market Zone",
    )
    cells = Counter((q, r[mode], r[time], r[zone]) for r, q in zip(rows, profiles, strict=True)
                    if r[mode] and r[mode] != "NONE_I_DONT_MOVE")  # fmt: skip
    n = Counter(q for r, q in zip(rows, profiles, strict=True) if r[mode])
    published = [t for t in data["trips"] if t["question"] == mode and isinstance(t["profile"], int)
                 and t["share"] is not None]  # fmt: skip
    assert published
    for t in published:
        if t["mode"] == "NONE_I_DONT_MOVE":
            continue
        zone_code = {"ZONE_PORTE_ORLEANS": "NEIGHBOURHOOD"}
        count = sum(v for (q, m, ti, z), v in cells.items() if q == t["profile"] and m == t["mode"]
                    and ti == t["time"] and zone_code.get(z, z) == t["zone"])  # fmt: skip
        assert t["share"] == pytest.approx(count / n[t["profile"]])
        assert t["distance_class"] == distance_class(t["mode"], t["time"])
    assert distance_class("WALKING", "LESS_THAN_10_MIN") == "D0"
    assert distance_class("PERSONAL_BICYCLE", "BETWEEN_20_AND_30_MIN") == "D4"
    assert distance_class("CAR", "BETWEEN_30_AND_45_MIN") == "D4"
    assert distance_class("PUBLIC_TRANSPORT", "BETWEEN_20_AND_30_MIN") == "D3"
    assert distance_class("NONE_I_DONT_MOVE", None) == "D0"


def test_the_default_threshold_hides_every_count_under_11(tmp_path):
    data, out = summarize(tmp_path, min_cell=11)
    assert data["min_cell"] == 11
    for table in ("satisfaction", "wishes"):
        for r in data[table]:
            if r["n"] is None:
                continue
            for code, value in r.items():
                if code.isupper() and value is not None and isinstance(r["profile"], int):
                    assert round(value * r["n"]) >= 11, (r["question"], r["profile"], code)
    for r in data["barriers"] + data["trips"]:
        if r["share"] is not None and r["n"] is not None:
            assert round(r["share"] * r["n"]) >= 11
    # the files say the same as the JSON
    csv = pd.read_csv(out.with_name("diagnostic_satisfaction.csv"), encoding="utf-8-sig")
    assert len(csv) == len(data["satisfaction"])
    with sqlite3.connect(out) as db:
        tables = {t for (t,) in db.execute("select table_name from gpkg_contents")}
    assert {"satisfaction", "wishes", "barriers", "trips", "profiles"} <= tables
    profiles = {r["profile"]: r for r in data["profiles"]}
    assert profiles[2]["n_su"] == 318 and profiles[2]["population_share"] == pytest.approx(0.795)


def _published_text(out: Path) -> str:
    """Every byte of every published file (the GeoPackage's cells as text, the CSVs)."""
    parts = []
    for path in sorted(out.parent.iterdir()):
        if ".private." in path.name:
            continue
        if path.suffix == ".gpkg":
            with sqlite3.connect(path) as db:
                for (name,) in db.execute("select name from sqlite_master where type='table'"):
                    for row in db.execute(f'select * from "{name}"'):
                        parts += [str(v) for v in row if isinstance(v, str)]
            parts.append(path.read_bytes().decode("utf-8", "replace"))
        else:
            parts.append(path.read_text(encoding="utf-8-sig", errors="replace"))
    return "\n".join(parts)


def test_no_free_text_reaches_a_published_file(tmp_path):
    rows = raw()
    secrets = {"Comment": "Témoignage-secret de Jean Dupont au 06 12 34 56 78",
               "Reasons To Eat Meat": '{MY_FAMILY_EAT_MEAT,"raison-autre-secrète"}',
               "Hobby Zone": "Zone-écrite-secrète Montrouge"}  # fmt: skip
    for header, value in secrets.items():
        assert header in rows[3], header
        rows[3][header] = value
    source = tmp_path / "in" / "emdv.json"
    source.parent.mkdir()
    source.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    before = source.read_bytes()
    out = tmp_path / "out" / "diagnostic.gpkg"
    got = cli_in_process("diagnostic", "summarize", "--su", SU, "--emdv", source, "--su-data",
                         SU_DATA, "-o", out, "--min-cell", 3, "--json")  # fmt: skip
    assert got.returncode == 0, got.stderr
    assert source.read_bytes() == before
    published = _published_text(out) + got.stdout
    from qet_geo.diagnostic.emdv import import_emdv

    private = set(import_emdv(source).private["text"])
    assert {"Témoignage-secret de Jean Dupont au 06 12 34 56 78", "raison-autre-secrète",
            "Zone-écrite-secrète Montrouge", PLACEHOLDER} <= private  # fmt: skip
    # every free text of the input; the shortest ("Non", "11e") are words of the form or
    # of numbers, so the test reads those of at least 5 characters
    for text in private:
        if len(text) >= 5:
            assert text not in published, text
    # the private working file holds them, with their ids, for a reviewer
    with sqlite3.connect(out.with_name("diagnostic.private.gpkg")) as db:
        kept = {t for (t,) in db.execute("select text from texts")}
        ids = dict(db.execute("select text, text_id from texts"))
    assert private <= kept
    # a reviewer publishes one testimony: it appears masked, nothing else does
    review = tmp_path / "in" / "review.csv"
    review.write_text("text_id,publish\n" + ids[secrets["Comment"]] + ",oui\n", encoding="utf-8")
    got = cli_in_process("diagnostic", "summarize", "--su", SU, "--emdv", source, "--su-data",
                         SU_DATA, "-o", out, "--min-cell", 3, "--review", review)  # fmt: skip
    assert got.returncode == 0, got.stderr
    published = _published_text(out)
    assert "Témoignage-secret de Jean Dupont au [téléphone masqué]" in published
    assert "06 12 34 56 78" not in published
    for text in private - {secrets["Comment"]}:
        if len(text) >= 5:
            assert text not in published, text


def test_personal_details_are_masked():
    assert mask_personal("écrire à jean.dupont@example.org") == "écrire à [e-mail masqué]"
    assert mask_personal("tel +33 6 12 34 56 78 ou 01.45.67.89.10") == \
        "tel [téléphone masqué] ou [téléphone masqué]"  # fmt: skip
    assert mask_personal("j'habite au 12 bis rue Friant") == "j'habite au [n°] rue Friant"
    assert mask_personal("3, avenue du Général Leclerc") == "[n°] avenue du Général Leclerc"
    assert mask_personal("le 14e arrondissement, 2 enfants") == "le 14e arrondissement, 2 enfants"


def test_bad_inputs_are_precise_errors(tmp_path):
    rows = raw()
    known = next(i for i, r in enumerate(rows) if r["Know Su"])
    rows[known]["Su ID"] = 999
    source = tmp_path / "emdv.json"
    source.write_text(json.dumps(rows), encoding="utf-8")
    out = tmp_path / "d.gpkg"
    got = cli_in_process("diagnostic", "summarize", "--su", SU, "--emdv", source, "--su-data",
                         SU_DATA, "-o", out, "--json")  # fmt: skip
    assert got.returncode == 0, got.stderr
    report = json.loads(got.stdout)["imports"]["emdv"]
    assert (report["rows_read"], report["accepted"], report["rejected"]) == (127, 126, 1)
    assert "999" in json.dumps(report["problems"])
    # no profiles, or both
    got = cli_in_process("diagnostic", "summarize", "--su", SU, "--emdv", EMDV, "-o", out)
    assert got.returncode == 2 and "--su-data" in got.stderr
    # a threshold under 3 needs the override
    got = cli_in_process("diagnostic", "summarize", "--su", SU, "--emdv", EMDV, "--su-data",
                         SU_DATA, "-o", out, "--min-cell", 2)  # fmt: skip
    assert got.returncode == 2 and "--allow-below-3" in got.stderr
    # the output is not an input
    got = cli_in_process("diagnostic", "summarize", "--su", SU, "--emdv", EMDV, "--su-data",
                         SU_DATA, "-o", SU_DATA.with_suffix(".gpkg").with_name("Su Data.json"))  # fmt: skip
    assert got.returncode == 2


def test_the_report_is_one_offline_french_page_with_every_board_and_escapes_what_it_shows(tmp_path):
    rows = raw()
    rows[3]["Comment"] = '<script>alert("x")</script> au 12 rue Friant'
    source = tmp_path / "emdv.json"
    source.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out" / "diagnostic.gpkg"
    args = ("diagnostic", "summarize", "--su", SU, "--emdv", source, "--su-data", SU_DATA,
            "-o", out, "--min-cell", 5)  # fmt: skip
    assert cli_in_process(*args).returncode == 0
    with sqlite3.connect(out.with_name("diagnostic.private.gpkg")) as db:
        (text_id,) = db.execute("select text_id from texts where text like '%alert%'").fetchone()
    review = tmp_path / "review.csv"
    review.write_text(f"text_id\n{text_id}\n", encoding="utf-8")
    got = cli_in_process(*args, "--review", review)
    assert got.returncode == 0, got.stderr
    page = out.with_suffix(".html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    for title in ("Satisfaction du cadre de vie", "Envie de changer", "Freins", "Déplacements",
                  "Profils", "Quartier", "Profil 2", "Tous les répondants", "Témoignages"):  # fmt: skip
        assert title in page, title
    assert "<script" not in page and "http" not in page  # nothing runs, nothing is fetched
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; au [n°] rue Friant" in page
    english = cli_in_process(*args, "--lang", "en")
    assert english.returncode == 0
    assert "Willingness to change" in out.with_suffix(".html").read_text(encoding="utf-8")


def test_each_area_is_estimated_from_its_profile_mix(tmp_path):
    import geopandas as gpd

    iris = gpd.read_file(ROOT / "sample_data" / "quartier.gpkg", layer="iris")
    rng = np.random.default_rng(3)
    mix = rng.dirichlet([2, 5, 1], len(iris))
    for j in range(3):
        iris[f"share_{j + 1}"] = mix[:, j]
    iris.loc[0, "share_3"] = np.nan  # hidden in the area map: taken with the other profiles
    iris.loc[1, ["share_1", "share_2", "share_3"]] = np.nan  # an area hidden: no estimate
    areas = tmp_path / "carte.gpkg"
    iris.to_file(areas, layer="areas", driver="GPKG")
    data, out = summarize(tmp_path, "--areas", f"{areas}:areas")
    estimates = gpd.read_file(out, layer="area_estimates")
    assert len(estimates) == len(iris) and estimates.crs == iris.crs
    assert set(estimates["method"]) == {"estimation par profils"}
    population = {int(r["profile"]): r["population_share"] for r in data["profiles"]}
    mixes = iris[["share_1", "share_2", "share_3"]].to_numpy(float)
    checked = filled = 0
    for key, question in {(r["key"], r["question"]) for r in data["satisfaction"]}:
        rows = {p: row_of(data["satisfaction"], question, p) for p in (1, 2, 3, "ensemble")}
        for code in ("NO", "DONT_KNOW", "YES"):
            column = f"{key}__{code}"
            f = {p: rows[p][code] for p in rows}
            n = {p: rows[p]["n"] for p in rows}
            for area, mix_of in enumerate(mixes):
                got = estimates[column][area]
                # the part of the mix whose share, figure and n are published, and the rest
                # at the figure of the other respondents (from the pooled figure)
                known = [
                    p
                    for p in (1, 2, 3)
                    if np.isfinite(mix_of[p - 1]) and f[p] is not None and n[p] is not None
                ]
                rest = 1 - sum(mix_of[p - 1] for p in known)
                if f["ensemble"] is not None:
                    left = n["ensemble"] - sum(n[p] for p in known)
                    other = ((n["ensemble"] * f["ensemble"] - sum(n[p] * f[p] for p in known)) / left
                             if left > 0 else None)  # fmt: skip
                else:
                    others = [p for p in (1, 2, 3) if p not in known and f[p] is not None]
                    weight = sum(population[p] for p in others)
                    other = sum(population[p] * f[p] for p in others) / weight if others else None
                if not np.isfinite(mix_of).any() or (rest > 1e-9 and other is None):
                    assert np.isnan(got), (column, area)
                    continue
                other = min(max(other or 0.0, 0.0), 1.0)
                expected = sum(mix_of[p - 1] * f[p] for p in known) + rest * other
                assert got == pytest.approx(expected, abs=1e-6), (column, area)
                checked += 1
                filled += rest > 1e-9
    assert checked >= 100 and filled >= 10  # the hidden share of area 0, the hidden figures
    assert np.isnan(estimates["mix_known"][1])
    assert estimates["mix_known"][0] == pytest.approx(round(mix[0, 0] + mix[0, 1], 3))
    # an area map without the profile shares is a precise error
    iris.drop(columns="share_2").to_file(tmp_path / "bad.gpkg", layer="areas", driver="GPKG")
    got = cli_in_process("diagnostic", "summarize", "--su", SU, "--emdv", EMDV, "--su-data",
                         SU_DATA, "-o", tmp_path / "x.gpkg", "--areas", tmp_path / "bad.gpkg")  # fmt: skip
    assert got.returncode == 2 and "share_2" in got.stderr and "bad.gpkg" in got.stderr


def test_what_a_hostile_review_found_stays_fixed(tmp_path):
    rows = raw()
    # respondents of no profile (no code, no SU answers) are left out: no count of them
    # published anywhere, however small
    unlinked = [i for i, r in enumerate(rows) if not r["Know Su"]][:5]
    for i in unlinked:
        rows[i]["Meat Frequency"] = None
    source = tmp_path / "in" / "emdv.json"
    source.parent.mkdir()
    source.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    data, out = summarize(tmp_path, "--emdv", source, min_cell=11)
    for table in ("satisfaction", "wishes", "barriers", "trips"):
        assert {r["profile"] for r in data[table]} <= {1, 2, 3, "ensemble", "quartier"}
        for r in data[table]:
            if r["profile"] == "ensemble" and r.get("n") is not None:
                assert r["n"] <= 122
    assert any("fewer than 11 have no profile" in n for n in data["notes"])
    assert all("5 have no profile" not in n for n in data["notes"])
    # the threshold is recorded in the files
    profiles = pd.read_csv(out.with_name("diagnostic_profiles.csv"), encoding="utf-8-sig")
    assert set(profiles["min_cell"]) == {11}
    # a testimony published by an earlier run does not linger beside a new one
    stale = out.with_name("diagnostic_testimonies.csv")
    stale.write_text("theme,question,text\nx,y,ancien témoignage\n", encoding="utf-8")
    summarize(tmp_path)
    assert not stale.exists()
    # GeoPackages only; shares that do not sum to 100; area shares that are not fractions
    got = cli_in_process("diagnostic", "summarize", "--su", SU, "--emdv", EMDV, "--su-data",
                         SU_DATA, "-o", tmp_path / "o.gpkg", "--private", tmp_path / "p.csv")  # fmt: skip
    assert got.returncode == 2 and "p.csv" in got.stderr and ".gpkg" in got.stderr
    su = json.loads(SU_DATA.read_text(encoding="utf-8"))
    su[0]["Pop Percentage"] = "50"
    bad = tmp_path / "in" / "Su Data.json"
    bad.write_text(json.dumps(su), encoding="utf-8")
    got = cli_in_process("diagnostic", "summarize", "--su", SU, "--emdv", EMDV, "--su-data", bad,
                         "-o", tmp_path / "o.gpkg")  # fmt: skip
    assert got.returncode == 2 and "Pop Percentage" in got.stderr and "100" in got.stderr
    import geopandas as gpd

    iris = gpd.read_file(ROOT / "sample_data" / "quartier.gpkg", layer="iris")
    iris["share_1"], iris["share_2"], iris["share_3"] = 5.0, 0.0, 0.0
    iris.to_file(tmp_path / "in" / "m.gpkg", layer="areas", driver="GPKG")
    got = cli_in_process("diagnostic", "summarize", "--su", SU, "--emdv", EMDV, "--su-data",
                         SU_DATA, "-o", tmp_path / "o.gpkg", "--areas", tmp_path / "in" / "m.gpkg")  # fmt: skip
    assert got.returncode == 2 and "share_1" in got.stderr and "'5.0'" in got.stderr
    # a cell over the reading limit is a rejected row, not a crash
    rows = raw()
    rows[2]["Comment"] = "x" * 2_000_001
    big = tmp_path / "in" / "big.json"
    big.write_text(json.dumps(rows), encoding="utf-8")
    from qet_geo.diagnostic.emdv import import_emdv

    got = import_emdv(big)
    assert got.report.rejected == 1 and got.rejects["row"].tolist() == [3]
