"""The citizen vote of the forum (qet_geo.forum.votes, ``qet-geo forum votes``): generated
votes of 2,000 ballots with a known winner (plurality, and ranked ballots where the
plurality leader loses the instant run-off, counted by hand below), every defect of a
ballot file said with its row, column and value, the areas under the threshold hidden with
their complement, the command line, the chart, and the "Vote" theme of the web map offline
in a headless Chromium."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from test_webmap import (
    ARTIFACTS,
    area_map,
    browser,
    browser_needed,
    click_area,
    open_page,
    wait_until,
)

from qet_geo.areas import areas_from_frame
from qet_geo.errors import InputError
from qet_geo.export.webmap import read_inputs, write_webmap
from qet_geo.forum.votes import (
    count_votes,
    default_subjects,
    read_ballots,
    vote,
    write_vote,
)
from qet_geo.i18n import set_language

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "QET_GEO_LANG": "en", "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
KEYS = ["alimentation", "avion", "mobilite", "achats", "numerique", "chauffage"]

#: Ranked blocs of 2,000 ballots. First choices: mobilite 700 (the plurality leader),
#: alimentation 600, chauffage 500, avion 120, achats 50, numerique 30. By hand, the
#: majority is more than half of the ballots still counting:
#: round 1: no majority (> 1000); numerique out (30 ballots exhausted, 1,970 counting);
#: round 2: achats out, its 50 go to alimentation (650);
#: round 3: avion out, its 120 go to mobilite (820);
#: round 4: mobilite 820, alimentation 650, chauffage 500: chauffage out, its 500 go to
#: alimentation (1,150);
#: round 5: alimentation 1,150 of 1,970 (> 985): elected.
#: Borda (6 subjects: 5 points first, 4 second): alimentation 600×5 + 550×4 = 5,200;
#: chauffage 500×5 + 600×4 = 4,900; mobilite 700×5 + 120×4 = 3,980; avion 120×5 + 700×4 = 3,400;
#: achats 250; numerique 150.
BLOCS = [
    (700, ("Mobilité", "avion")),
    (600, ("alimentation", "CHAUFFAGE")),
    (500, ("chauffage", "Alimentation")),
    (120, ("avion", "mobilite")),
    (50, ("achats", "alimentation")),
    (30, ("numérique",)),
]


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language(None)


def write_csv(path: Path, header: list, rows: list, *, delimiter=",", encoding="utf-8") -> Path:
    text = "\n".join(delimiter.join(map(str, r)) for r in [header, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def ranked_file(path: Path, areas: list | None = None, *, delimiter=",", encoding="utf-8") -> Path:
    rng = np.random.default_rng(16)
    ballots = [ranks for n, ranks in BLOCS for _ in range(n)]
    order = rng.permutation(len(ballots))
    header = ["ballot_id", "rank_1", "rank_2", "rank_3"] + (["area"] if areas else [])
    rows = []
    for k, i in enumerate(order):
        ranks = list(ballots[i]) + [""] * (3 - len(ballots[i]))
        rows.append([f"B{k + 1:04d}", *ranks] + ([areas[k]] if areas else []))
    return write_csv(path, header, rows, delimiter=delimiter, encoding=encoding)


def plurality_file(path: Path, n=2000, areas=None, p=(0.1, 0.05, 0.4, 0.2, 0.1, 0.15)) -> Path:
    rng = np.random.default_rng(7)
    chosen = rng.choice(KEYS, size=n, p=p)
    header = ["ballot_id", "subject"] + (["area"] if areas else [])
    rows = [[f"v{k}", s] + ([areas[k]] if areas else []) for k, s in enumerate(chosen)]
    return write_csv(path, header, rows)


def problems_of(path, **options) -> list:
    with pytest.raises(InputError) as error:
        read_ballots(path, **options)
    return error.value.problems


def cli(*args, lang="en"):
    return subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "--lang", lang, *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, check=False, env=ENV,
    )  # fmt: skip


# ---------------------------------------------------------------------- counting
def test_plurality_of_2000_ballots_has_its_known_winner(tmp_path):
    result = count_votes(read_ballots(plurality_file(tmp_path / "b.csv")))
    table = result.subjects.set_index("key")
    assert result.method == "plurality" and len(result.ballots) == 2000
    assert table["votes"].sum() == 2000
    assert result.winner == "mobilite" and table.loc["mobilite", "rank"] == 1
    assert result.runner_up == "achats"
    assert not result.statistical_tie  # about 40 % against 20 %: far beyond the intervals
    assert table.loc["mobilite", "low"] > table.loc["achats", "high"]
    for key, row in table.iterrows():  # the Wilson interval holds the share
        assert row["low"] < row["share"] < row["high"], key
    assert result.rounds is None and result.borda_winner is None
    assert "winner: Mobilité (mobilite)" in result.lines()
    data = result.to_json()
    assert data["winner"] == {"key": "mobilite", "title": "Mobilité"}
    assert sum(s["votes"] for s in data["subjects"]) == 2000


def test_a_close_plurality_is_a_statistical_tie(tmp_path):
    rows = [
        [f"v{k}", "avion" if k < 31 else "achats" if k < 60 else "numerique"] for k in range(70)
    ]
    result = count_votes(
        read_ballots(write_csv(tmp_path / "b.csv", ["ballot_id", "subject"], rows))
    )
    assert result.winner == "avion" and result.runner_up == "achats"
    assert result.statistical_tie
    set_language("fr")
    assert (
        "ex aequo statistique avec Achats : leurs intervalles à 95 % se recouvrent"
        in result.lines()
    )


def test_ranked_ballots_are_counted_by_instant_runoff(tmp_path):
    result = count_votes(read_ballots(ranked_file(tmp_path / "b.csv")))
    table = result.subjects.set_index("key")
    assert result.method == "irv"
    assert table["votes"].idxmax() == "mobilite"  # the plurality leader…
    assert result.winner == "alimentation"  # … loses the run-off
    rounds = result.rounds
    assert rounds["round"].max() == 5
    out = rounds[rounds["outcome"] == "eliminated"].sort_values("round")
    assert list(out["key"]) == ["numerique", "achats", "avion", "chauffage"]
    votes = {(r.round, r.key): r.votes for r in rounds.itertuples()}
    assert votes[(2, "alimentation")] == 600 and votes[(3, "alimentation")] == 650
    assert votes[(4, "mobilite")] == 820 and votes[(5, "alimentation")] == 1150
    assert votes[(5, "mobilite")] == 820
    final = rounds[rounds["round"] == 5].iloc[0]
    assert final["active"] == 1970 and final["exhausted"] == 30
    assert rounds[rounds["outcome"] == "elected"]["key"].tolist() == ["alimentation"]
    assert dict(table["borda"]) == {"alimentation": 5200, "chauffage": 4900, "mobilite": 3980,
                                    "avion": 3400, "achats": 250, "numerique": 150}  # fmt: skip
    assert result.borda_winner == "alimentation"
    assert list(result.subjects["key"]) == ["alimentation", "mobilite", "chauffage", "avion",
                                            "achats", "numerique"]  # fmt: skip
    assert result.runner_up == "mobilite" and not result.statistical_tie  # 1,150 vs 820 of 1,970
    lines = result.lines()
    assert any(line.startswith("round 5:") and "Alimentation elected with 1,150 of 1,970" in line
               for line in lines)  # fmt: skip


def test_a_tie_for_elimination_goes_by_first_choices_then_the_subjects_order(tmp_path):
    # round 1: achats 3, avion 3, numerique 2, chauffage 2 (alimentation, mobilite 0)
    rows = [["1", "achats", ""], ["2", "achats", ""], ["3", "achats", ""],
            ["4", "avion", ""], ["5", "avion", ""], ["6", "avion", ""],
            ["7", "numerique", "achats"], ["8", "numerique", "achats"],
            ["9", "chauffage", "avion"], ["10", "chauffage", "avion"]]  # fmt: skip
    path = write_csv(tmp_path / "b.csv", ["ballot_id", "rank_1", "rank_2"], rows)
    result = count_votes(read_ballots(path))
    out = result.rounds[result.rounds["outcome"] == "eliminated"].sort_values("round")
    # 0 votes: alimentation and mobilite, equal first choices: the later in the table first
    # (mobilite), then alimentation; then numerique and chauffage (2 each, 2 first choices
    # each): chauffage, later in the table; its ballots give avion 5 against achats 3 + 2
    assert list(out["key"])[:3] == ["mobilite", "alimentation", "chauffage"]
    assert out["tie_broken"].tolist()[:3] == [True, False, True]
    assert result.winner == "avion"


def test_a_subjects_table_sets_the_keys_titles_and_order(tmp_path):
    subjects = write_csv(tmp_path / "forum_subjects.csv", ["key", "title", "room"],
                         [["velo", "Vélo au quotidien", "12"], ["cantine", "Cantine bio", "8"]])  # fmt: skip
    rows = [["1", "VELO AU QUOTIDIEN"], ["2", "cantine"], ["3", "Vélos"], ["4", "Vélo"]]
    path = write_csv(tmp_path / "b.csv", ["ballot_id", "subject"], rows)
    problems = problems_of(path, subjects=subjects)  # case and accents only: no plural guessed
    assert len(problems) == 2 and problems[1].row == 4 and problems[1].value == "Vélos"
    assert problems[1].suggestion == "velo"  # said, never applied
    write_csv(path, ["ballot_id", "subject"], [rows[0], rows[1], rows[3]])
    result = count_votes(read_ballots(path, subjects=subjects))
    assert result.winner == "velo" and result.title("velo") == "Vélo au quotidien"
    assert list(result.subjects["key"]) == ["velo", "cantine"]


def test_titles_from_a_file_are_plain_text_on_the_chart(tmp_path):
    hostile = "$\\frac{1}{0$ <b>=cmd|' /C calc'!A0"
    subjects = write_csv(tmp_path / "s.csv", ["key", "title"], [["a", hostile], ["b", "Bus"]])
    path = write_csv(
        tmp_path / "b.csv", ["ballot_id", "subject"], [["1", "a"], ["2", "a"], ["3", "b"]]
    )
    result = vote(path, tmp_path / "out", subjects=subjects)
    assert result.winner == "a" and (tmp_path / "out" / "vote.png").stat().st_size > 0
    table = pd.read_csv(tmp_path / "out" / "vote.csv", encoding="utf-8-sig")
    assert table["title"].iloc[0] == hostile  # a text cell, not a formula (starts with $)


def test_default_subjects_in_both_languages():
    assert [s.key for s in default_subjects()] == KEYS
    assert [s.title for s in default_subjects()][2] == "Mobilité"
    assert [s.title for s in default_subjects("en")] == ["Food", "Air travel", "Mobility",
                                                         "Purchases", "Digital", "Heating"]  # fmt: skip


# ---------------------------------------------------------------------- bad files
def test_every_bad_row_is_listed_and_the_count_refused(tmp_path):
    rows = [["1", "Mobilité", "", ""],  # fine
            ["2", "avoin", "", ""],  # unknown subject (row 3)
            ["2", "achats", "", ""],  # duplicate id (row 4)
            ["", "achats", "", ""],  # no id (row 5)
            ["5", "", "", ""],  # empty ballot (row 6)
            ["6", "achats", "Achats", ""],  # ranked twice (row 7)
            ["7", "", "avion", ""],  # a gap: rank_2 without rank_1 (row 8)
            ["8", "avion", "", "numerique"]]  # a gap (row 9)  # fmt: skip
    path = write_csv(tmp_path / "b.csv", ["ballot_id", "rank_1", "rank_2", "rank_3"], rows)
    problems = problems_of(path)
    summary, *listed = problems
    assert "7 of 8 rows cannot be counted (7 problems)" in str(summary)
    assert "the vote is not counted" in str(summary)
    found = {(p.row, p.column, p.value): str(p.reason) for p in listed}
    assert found[(3, "rank_1", "avoin")] == "an unknown subject"
    assert listed[0].suggestion == "avion"
    assert "alimentation, avion, mobilite, achats, numerique, chauffage" in str(listed[0].expected)
    assert found[(4, "ballot_id", "2")] == "a ballot id already given on row 3"
    assert found[(5, "ballot_id", "")] == "a ballot without an id"
    assert found[(6, "rank_1", "")] == "an empty ballot: no subject chosen"
    assert found[(7, "rank_2", "Achats")] == "a subject ranked twice on one ballot (already rank_1)"
    assert found[(8, "rank_2", "avion")] == "a rank given after an empty one"
    assert found[(9, "rank_3", "numerique")] == "a rank given after an empty one"
    gap = next(p for p in listed if p.row == 9)
    assert str(gap.expected) == "rank_2 filled before rank_3"
    assert all(p.file == str(path) for p in problems)


@pytest.mark.parametrize(
    ("header", "column", "reason"),
    [(["id", "subject"], None, "no column 'ballot_id'"),
     (["ballot_id", "choice"], None, "no column 'subject'"),
     (["ballot_id", "rank_1", "rank_3"], "rank_3", "a rank column without the one before it"),
     (["ballot_id", "subject", "rank_1"], "subject", "both a subject column and rank columns")],
)  # fmt: skip
def test_missing_columns_are_named(tmp_path, header, column, reason):
    path = write_csv(tmp_path / "b.csv", header, [["1"] + ["avion"] * (len(header) - 1)])
    problems = problems_of(path)
    assert problems[0].row == 1 and problems[0].column == column
    assert str(problems[0].reason).startswith(reason)
    assert ("rank_2 before it" if column == "rank_3" else "ballot_id, and subject") in str(
        problems[0].expected
    )


def test_french_excel_files_are_read_bom_semicolon_windows_1252(tmp_path):
    bom = tmp_path / "bom.csv"
    ranked_file(bom, delimiter=";")
    bom.write_bytes(b"\xef\xbb\xbf" + bom.read_bytes())
    cp1252 = ranked_file(tmp_path / "cp1252.csv", delimiter=";", encoding="cp1252")
    for path in (bom, cp1252):
        ballots = read_ballots(path)
        assert len(ballots) == 2000 and ballots.delimiter == ";"
        assert count_votes(ballots).winner == "alimentation"
    assert read_ballots(cp1252).encoding == "cp1252"


def test_mixed_encodings_and_a_broken_row_are_refused_with_their_row(tmp_path):
    path = tmp_path / "mixed.csv"
    lines = ["ballot_id,subject", "1,Mobilité", "2,Numérique"]
    raw = "\n".join(lines).encode("utf-8") + "\n3,Mobilité\n4,Numérique\n5,Mobilité\n".encode(
        "cp1252"
    )
    path.write_bytes(raw)
    problems = problems_of(path)
    assert problems[0].row == 4 and "mixed encodings" in str(problems[0].reason)
    write_csv(
        path, ["ballot_id", "subject"], [["1", "avion"], ["2", "avion", "en trop"], ["3", "achats"]]
    )
    problems = problems_of(path)
    assert "1 of 3 rows cannot be counted" in str(problems[0])
    assert problems[1].row == 3


def test_a_bad_subjects_table_is_named(tmp_path):
    subjects = write_csv(
        tmp_path / "s.csv", ["key", "title"], [["velo", "Vélo"], ["VÉLO", "Bicyclette"]]
    )
    path = write_csv(tmp_path / "b.csv", ["ballot_id", "subject"], [["1", "velo"]])
    problems = problems_of(path, subjects=subjects)
    assert problems[0].row == 3 and problems[0].value == "VÉLO"
    write_csv(subjects, ["name", "title"], [["velo", "Vélo"]])
    assert problems_of(path, subjects=subjects)[0].reason == "no column 'key'"


# ---------------------------------------------------------------------- by area
def test_areas_under_the_threshold_are_hidden_with_their_complement(tmp_path):
    areas = ["A1"] * 900 + ["A2"] * 600 + ["A3"] * 400 + ["A4"] * 95 + ["A5"] * 5
    np.random.default_rng(1).shuffle(areas)
    result = count_votes(read_ballots(plurality_file(tmp_path / "b.csv", areas=areas)))
    summary = result.area_summary.set_index("area_id")
    assert summary["hidden"].to_dict() == {
        "A1": False,
        "A2": False,
        "A3": False,
        "A4": True,
        "A5": True,
    }
    assert summary.loc[["A1", "A2", "A3"], "n_ballots"].tolist() == [900, 600, 400]
    assert (
        summary.loc[["A4", "A5"], "n_ballots"].isna().all()
    )  # neither is given back by difference
    long = result.areas
    hidden = long[long["hidden"]]
    assert len(hidden) == 2 and hidden["votes"].isna().all() and hidden["key"].isna().all()
    assert (hidden["note"] == "masqué (secret statistique, seuil 11 bulletins)").all()
    shown = long[~long["hidden"]]
    assert shown.groupby("area_id")["votes"].sum().to_dict() == {"A1": 900, "A2": 600, "A3": 400}
    assert set(shown[shown["leader"]]["area_id"]) == {"A1", "A2", "A3"}
    text = "\n".join(result.lines())
    assert "5 areas: 3 shown, 2 hidden" in text and "A4" not in text and "A5" not in text
    # two small areas: hidden together, nothing more
    areas = ["A1"] * 1000 + ["A2"] * 985 + ["A3"] * 10 + ["A4"] * 5
    result = count_votes(read_ballots(plurality_file(tmp_path / "c.csv", areas=areas)))
    assert result.area_summary.set_index("area_id")["hidden"].to_dict() == {
        "A1": False, "A2": False, "A3": True, "A4": True}  # fmt: skip


def _recoverable(result) -> list:
    """Hidden first-choice counts that one subtraction gives back: a subject's whole-vote
    count less its shown counts when a single line of that subject is hidden, or an area's
    ballots less its shown counts when a single subject of the area is hidden."""
    long = result.areas[result.areas["key"].notna() | result.areas["hidden"]]
    found = []
    for key in result.subjects["key"]:
        lines = long[(long["key"] == key) | long["hidden"]]
        hidden = set(lines.loc[lines["votes"].isna(), "area_id"])
        hidden |= {"(no area)"} if result.unlocated is None else set()
        if len(hidden) == 1:
            found.append((hidden.pop(), key))
    for area, rows in long[~long["hidden"]].groupby("area_id"):
        if rows["votes"].isna().sum() == 1:
            found.append((area, rows.loc[rows["votes"].isna(), "key"].iloc[0]))
    return found


def test_the_vote_by_area_hides_small_counts_and_what_gives_them_back(tmp_path):
    # ten areas of twelve ballots, one of two, a map area without any (hostile review):
    # the lone small area is not left alone because an empty area counts as hidden
    areas = [f"A{i:02d}" for i in range(10) for _ in range(12)] + ["TINY"] * 2
    result = count_votes(read_ballots(plurality_file(tmp_path / "b.csv", n=122, areas=areas)))
    long = result.areas
    assert long.loc[long["area_id"] == "TINY", "votes"].isna().all()
    assert _recoverable(result) == []
    # no subject's count of an area under the threshold is published
    shown = long["votes"].dropna()
    assert ((shown == 0) | (shown >= 11)).all() or shown.empty
    # a lone unlocated group is hidden, not printed
    areas = ["A1"] * 60 + ["A2"] * 60 + [""] * 3
    result = count_votes(read_ballots(plurality_file(tmp_path / "c.csv", n=123, areas=areas)))
    assert result.unlocated is None or result.unlocated >= 11
    assert "3 ballots without an area" not in "\n".join(result.lines())


def test_a_subject_without_a_vote_has_an_interval_holding_zero(tmp_path):
    path = write_csv(tmp_path / "b.csv", ["ballot_id", "subject"],
                     [[f"v{i}", "alimentation" if i % 2 else "avion"] for i in range(100)])  # fmt: skip
    result = count_votes(read_ballots(path))
    table = result.subjects
    assert (table["low"] <= table["share"]).all() and (table["share"] <= table["high"]).all()
    done = cli("forum", "votes", path, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert {"vote.csv", "vote.png", "vote.pdf"} <= {p.name for p in (tmp_path / "out").iterdir()}


def test_area_ids_against_a_map_leading_zeros_and_unknown_ids(tmp_path):
    cells = [shapely.box(i * 100, 0, (i + 1) * 100, 100) for i in range(3)]
    frame = pd.DataFrame({"code": ["091230101", "091230102", "091230103"],
                          "nom": ["Un", "Deux", "Trois"], "geometry": cells})  # fmt: skip
    amap = areas_from_frame(frame, "iris", id_field="code", name_field="nom", crs="EPSG:2154")
    areas = ["91230101"] * 40 + ["091230102"] * 30 + ["091230103"] * 20
    ballots = read_ballots(plurality_file(tmp_path / "b.csv", n=90, areas=areas))
    result = count_votes(ballots, areas=amap)
    assert result.padded == 40
    assert result.area_summary["area_id"].tolist() == ["091230101", "091230102", "091230103"]
    written = write_vote(result, tmp_path / "out", amap)
    layer = pyogrio.read_dataframe(tmp_path / "out" / "vote_areas.gpkg", layer="vote_areas")
    assert layer["area_id"].tolist() == ["091230101", "091230102", "091230103"]
    assert layer["n_ballots"].tolist() == [40, 30, 20]
    assert tmp_path / "out" / "vote_areas.gpkg" in written
    bad = read_ballots(plurality_file(tmp_path / "c.csv", n=3, areas=["091230101", "99", "99"]))
    with pytest.raises(InputError) as error:
        count_votes(bad, areas=amap)
    problem = error.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (3, "area", "99")
    assert problem.reason == "an area id the area map lacks"


# ---------------------------------------------------------------------- outputs
def test_the_command_line_counts_and_writes(tmp_path):
    areas = ["A1"] * 800 + ["A2"] * 700 + ["A3"] * 494 + ["A4"] * 6
    path = ranked_file(tmp_path / "bulletins.csv", areas=areas)
    out = tmp_path / "vote"
    run = cli("forum", "votes", path, "--json", "-o", out, lang="fr")  # outputs in French
    assert run.returncode == 0, run.stderr[-2000:]
    data = json.loads(run.stdout)
    assert data["method"] == "irv" and data["ballots"] == 2000
    assert data["winner"]["key"] == "alimentation" and data["borda_winner"] == "alimentation"
    assert [r["round"] for r in data["rounds"] if r["outcome"] == "elected"] == [5]
    assert {a["area_id"]: a["hidden"] for a in data["areas"]} == {
        "A1": False, "A2": False, "A3": True, "A4": True}  # fmt: skip
    for name in ("vote.csv", "vote_rounds.csv", "vote_areas.csv", "vote.png", "vote.pdf"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "vote.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = pd.read_csv(out / "vote.csv", encoding="utf-8-sig")
    assert table["key"].iloc[0] == "alimentation" and table["votes"].sum() == 2000
    rounds = pd.read_csv(out / "vote_rounds.csv", encoding="utf-8-sig")
    assert rounds["round"].max() == 5
    text = subprocess.run(["pdftotext", out / "vote.pdf", "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "Vote citoyen du forum" in text and "Sujet retenu : Alimentation" in text
    assert "vote alternatif" in text
    run = cli("forum", "votes", path, lang="fr")
    assert run.returncode == 0 and "sujet retenu : Alimentation (alimentation)" in run.stdout
    assert "tour 5 :" in run.stdout


def test_the_command_line_says_a_bad_file_without_traceback(tmp_path):
    path = write_csv(tmp_path / "b.csv", ["ballot_id", "subject"], [["1", "avion"], ["1", "vélo"]])
    run = cli("forum", "votes", path, lang="fr")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "1 lignes sur 2 ne peuvent pas être comptées" in run.stderr
    assert "ligne 3, colonne 'ballot_id': valeur '1'" in run.stderr
    assert "ligne 3, colonne 'subject': valeur 'vélo': un sujet inconnu" in run.stderr
    run = cli("forum", "votes", path, "--json")
    assert run.returncode == 2
    assert len(json.loads(run.stdout)["problems"]) == 3


def test_the_english_chart(tmp_path):
    result = vote(plurality_file(tmp_path / "b.csv"), tmp_path / "out", language="en")
    text = subprocess.run(["pdftotext", tmp_path / "out" / "vote.pdf", "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "The forum's citizen vote" in text and "Subject chosen: Mobility" in text
    assert result.title("mobilite") == "Mobility"


@browser_needed
def test_the_vote_theme_of_the_web_map_offline_in_chromium(tmp_path):
    amap = area_map(tmp_path)
    counts = [300, 250, 200, 150, 5, 120, 100, 80, 60]  # Z4: hidden, with Z8 the next smallest
    areas = [f"Z{k}" for k, n in enumerate(counts) for _ in range(n)]
    path = plurality_file(tmp_path / "b.csv", n=len(areas), areas=areas)
    result = vote(path, tmp_path / "out", areas=f"{amap}:area_indicators")
    gpkg = tmp_path / "out" / "vote_areas.gpkg"
    assert gpkg in result.written
    layer = pyogrio.read_dataframe(gpkg, layer="vote_areas").set_index("area_id")
    assert layer["hidden"].to_dict() == {f"Z{k}": k in (4, 8) for k in range(9)}
    run = cli("export", "webmap", amap, "--votes", gpkg, "-o", tmp_path / "carte.html")
    assert run.returncode == 0, run.stderr[-2000:]
    page = write_webmap(tmp_path / "carte.html", read_inputs(amap, votes=gpkg), offline=True)
    driver = browser()
    try:
        open_page(driver, page)
        assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
        assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
        driver.find_element("css selector", ".leaflet-control-layers-toggle").click()
        boards = wait_until(driver, lambda d: [s.text for s in d.find_elements("css selector", ".qg-board summary")
                                                if s.is_displayed()], "the boards do not show")  # fmt: skip
        assert "Vote citoyen" in boards
        label = wait_until(driver, lambda d: [x for x in d.find_elements("css selector", ".qg-board label")
                                              if x.is_displayed() and "Vote — sujet en tête" in x.text],
                           "no Vote theme")[0]  # fmt: skip
        label.find_element("css selector", "input").click()
        wait_until(driver, lambda d: d.find_element("css selector", ".qg-dleg:not([hidden])").is_displayed(),
                   "the theme's legend does not show")  # fmt: skip
        legend = driver.find_element("css selector", ".qg-dleg:not([hidden])").text
        assert "Vote — sujet en tête" in legend and "Mobilité" in legend
        assert "masqué (secret statistique, seuil 11 bulletins)" in legend
        assert "vote citoyen du forum" in driver.find_element("css selector", ".qg-sources").text
        table = pyogrio.read_dataframe(amap, layer="area_indicators")
        for index in range(len(table)):
            popup = click_area(driver, index)
            area = table[table["area_name"] == popup.splitlines()[0]].iloc[0]["area_id"]
            if area in ("Z4", "Z8"):
                assert "Vote : masqué (secret statistique, seuil 11 bulletins)" in popup
            else:
                row = layer.loc[area]
                if pd.isna(row["leader"]):  # a count of the area hidden: no leader either
                    assert "Vote : masqué (secret statistique" in popup and "nan" not in popup
                    continue
                if pd.isna(row["leader_share"]):  # a last round under the threshold
                    assert f"Vote : {row['leader_title']}" in popup and "nan" not in popup
                    continue
                share = f"{round(row['leader_share'] * 100)}\u202f%"
                assert f"Vote : {row['leader_title']} ({share})" in popup
        hatched = driver.execute_script(
            "return document.querySelectorAll('path.qg-suppressed').length"
        )
        assert hatched >= 2
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "webmap_vote.png"))
    finally:
        driver.quit()


def test_a_subjects_table_qet_geo_wrote_is_read_back_without_its_formula_quotes(tmp_path):
    from qet_geo.forum.votes import read_subjects
    from qet_geo.io import write_table

    table = pd.DataFrame({"key": ["alimentation", "avion"],
                          "title": ["=SUM(1) Manger", "'cité' en tête"]})  # fmt: skip
    path = tmp_path / "diagnostic_forum_subjects.csv"
    write_table(table, path)
    assert "'=SUM(1) Manger" in path.read_text(encoding="utf-8")
    subjects = read_subjects(path)
    assert [s.title for s in subjects] == ["=SUM(1) Manger", "'cité' en tête"]


@pytest.mark.parametrize(
    "header",
    [["ballot_id", "rank_1", "rank_2", "rank 3"], ["ballot_id", "rank_1", "rank_2", "rank_2"],
     ["ballot_id", "Subject", "subject"]],
)  # fmt: skip
def test_a_misnamed_or_repeated_ballot_column_is_an_error_not_a_lost_choice(tmp_path, header):
    rows = [["1", "alimentation", "avion", "mobilite"][: len(header)],
            ["2", "avion", "achats", "numerique"][: len(header)]]  # fmt: skip
    path = write_csv(tmp_path / "b.csv", header, rows)
    problems = problems_of(path)
    assert problems[0].row == 1 and problems[0].column in (header[-1], f"{header[-1]} (2)")
    done = cli("forum", "votes", path)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_other_columns_are_said_not_read(tmp_path):
    path = write_csv(tmp_path / "b.csv", ["ballot_id", "subject", "horodatage"],
                     [["1", "avion", "2026-11-30"], ["2", "achats", "2026-11-30"]])  # fmt: skip
    result = count_votes(read_ballots(path))
    assert result.ballots.ignored == ("horodatage",)
    set_language("en")
    assert "columns not read: horodatage" in "\n".join(result.lines())


def test_an_area_with_a_hidden_count_names_no_leader(tmp_path):
    # re-attack: two subjects, X 8/7 and Y 8/8 hidden, Z 20/20 shown: X's and Y's leaders
    # bounded their hidden counts until all four came back
    rows = [[f"{a}{i}", s, a] for a, counts in (("X", (8, 7)), ("Y", (8, 8)), ("Z", (20, 20)))
            for s, c in zip(("alimentation", "avion"), counts, strict=True) for i in range(c)]  # fmt: skip
    rows = [[f"v{k}", s, a] for k, (_, s, a) in enumerate(rows)]
    path = write_csv(tmp_path / "b.csv", ["ballot_id", "subject", "area"], rows)
    result = count_votes(read_ballots(path, subjects=[("alimentation", "A"), ("avion", "B")]))
    summary = result.area_summary.set_index("area_id")
    for area in ("X", "Y"):
        assert pd.isna(summary.loc[area, "leader"]) and pd.isna(
            summary.loc[area, "statistical_tie"]
        )
    assert result.areas.loc[result.areas["area_id"].isin(["X", "Y"]), "leader"].isna().all()
    assert "X: 15 ballots" in "\n".join(result.lines()) or summary.loc["X", "hidden"]


def test_a_subject_without_a_vote_does_not_hide_every_area(tmp_path):
    rows = [
        [f"v{a}{i}", s, a]
        for a in ("A", "B", "C")
        for s in ("alimentation", "avion", "mobilite", "achats", "chauffage")
        for i in range(20)
    ]  # fmt: skip  (numerique: 0)
    rows = [[f"v{k}", s, a] for k, (_, s, a) in enumerate(rows)]
    path = write_csv(tmp_path / "b.csv", ["ballot_id", "subject", "area"], rows)
    result = count_votes(read_ballots(path))
    assert not result.area_summary["hidden"].any()
    long = result.areas
    assert (long.loc[long["key"] == "numerique", "votes"] == 0).all()
    assert long["votes"].notna().all()


def test_a_ranked_vote_gives_no_last_round_share_per_area(tmp_path):
    # area X: 11 / 11 / 11 first choices; 10 of the achats voters rank nothing more: its last
    # round (or, with the whole vote's rounds, another area's) would say so
    rows = [["alimentation", ""]] * 11 + [["avion", ""]] * 11 + [["achats", "alimentation"]]
    rows += [["achats", ""]] * 10 + [["mobilite", ""]] * 11
    body = [[f"v{k}", a, b, "X"] for k, (a, b) in enumerate(rows)]
    mine = ["mobilite"] * 30 + ["alimentation", "avion", "achats"] * 12
    body += [[f"w{k}", s, "", "Y"] for k, s in enumerate(mine)]
    path = write_csv(tmp_path / "b.csv", ["ballot_id", "rank_1", "rank_2", "area"], body)
    result = count_votes(read_ballots(path))
    summary = result.area_summary.set_index("area_id")
    assert summary["leader_share"].isna().all() and summary["statistical_tie"].isna().all()
    assert summary.loc["Y", "leader"] == "mobilite"  # the leader is named


@pytest.mark.parametrize("header", [["ballot_id", "rank_1", "rank_01", "rank_2"],
                                    ["ballot_id", "rank_1", "rang_2"],
                                    ["ballot_id", "rank_1", "choice_2"],
                                    ["ballot_id", "subject", "zone"]])  # fmt: skip
def test_more_near_miss_columns_are_errors(tmp_path, header):
    rows = [["1", "avion", "achats", "chauffage"][: len(header)]] * 2
    rows = [[f"{i}", *r[1:]] for i, r in enumerate(rows)]
    problems = problems_of(write_csv(tmp_path / "b.csv", header, rows))
    assert problems[0].row == 1


def test_an_empty_area_column_is_the_whole_vote(tmp_path):
    path = write_csv(tmp_path / "b.csv", ["ballot_id", "subject", "area"],
                     [[f"v{i}", "avion", ""] for i in range(30)])  # fmt: skip
    result = count_votes(read_ballots(path))
    assert result.unlocated == 30
    set_language("en")
    assert "30 ballots without an area" in "\n".join(result.lines())
    done = cli("forum", "votes", path, "--json")
    assert done.returncode == 0, done.stderr
