"""``qetgeo:forumvotes`` in a real headless QGIS: the same count as ``qet-geo forum votes
--json`` (ranked ballots where the plurality leader loses the instant run-off), the files
written, the vote per area loaded; a bad ballot file refused with its row, column and value
in the error and every problem in the log, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from plugin_testing import ROOT
from qgis.core import QgsProcessingException, QgsProcessingFeedback

#: (ballots, ranks): mobilite leads the first choices, alimentation wins the run-off
BLOCS = [(70, ("mobilite", "avion")), (60, ("alimentation", "chauffage")),
         (50, ("chauffage", "alimentation")), (12, ("avion", "mobilite")),
         (5, ("achats", "alimentation")), (3, ("numerique",))]  # fmt: skip


class Recording(QgsProcessingFeedback):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def pushInfo(self, info: str) -> None:  # noqa: N802 - QGIS API
        self.lines.append(info)

    def reportError(self, error: str, fatalError: bool = False) -> None:  # noqa: N802, N803
        self.lines.append(error)


def ballots(path, areas=True):
    rows = ["ballot_id;rank_1;rank_2;area"]
    k = 0
    for n, ranks in BLOCS:
        for _ in range(n):
            k += 1
            second = ranks[1] if len(ranks) > 1 else ""
            rows.append(f"B{k};{ranks[0]};{second};{'A1' if k % 2 else 'A2'}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    return path


def _run(parameters, feedback=None):
    import processing

    return processing.run("qetgeo:forumvotes", parameters, feedback=feedback or Recording())


def test_the_algorithm_counts_as_the_command_line(plugin, tmp_path):
    from qgis.core import QgsApplication

    algorithm = QgsApplication.processingRegistry().algorithmById("qetgeo:forumvotes")
    assert algorithm.groupId() == "forum" and algorithm.displayName() == "Count the citizen vote"
    path = ballots(tmp_path / "bulletins.csv")
    feedback = Recording()
    result = _run({"BALLOTS": str(path), "MIN_CELL": 11, "LANGUAGE": "fr",
                   "OUTPUT_FOLDER": str(tmp_path / "vote")}, feedback)  # fmt: skip
    assert result["WINNER"] == "alimentation"
    for name in ("vote.csv", "vote_rounds.csv", "vote_areas.csv", "vote.png", "vote.pdf"):
        assert (tmp_path / "vote" / name).stat().st_size > 0
        assert str(tmp_path / "vote" / name) in result["WRITTEN"]
    assert any("winner: Alimentation (alimentation)" in line for line in feedback.lines)
    done = subprocess.run([sys.executable, "-m", "qet_geo.cli", "--lang", "en", "forum", "votes",
                           str(path), "--json"], cwd=ROOT, capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    cli = json.loads(done.stdout)
    assert cli["winner"]["key"] == result["WINNER"]
    with open(tmp_path / "vote" / "vote_rounds.csv", encoding="utf-8-sig") as rounds:
        lines = rounds.read().splitlines()
    assert len(lines) - 1 == len(cli["rounds"])


def test_a_bad_ballot_file_is_refused_with_its_row(plugin, tmp_path):
    path = tmp_path / "bulletins.csv"
    path.write_text("ballot_id,subject\n1,avion\n1,vélo\n", encoding="utf-8")
    feedback = Recording()
    with pytest.raises(QgsProcessingException) as error:
        _run({"BALLOTS": str(path), "OUTPUT_FOLDER": str(tmp_path / "vote")}, feedback)
    assert "1 of 2 rows cannot be counted" in str(error.value)
    assert "Traceback" not in str(error.value)
    log = "\n".join(feedback.lines)
    assert "row 3, column 'subject': value 'vélo': an unknown subject" in log
    assert "row 3, column 'ballot_id': value '1'" in log
    assert not (tmp_path / "vote" / "vote.csv").exists()
