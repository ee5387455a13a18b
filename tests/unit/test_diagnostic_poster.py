"""The diagnostic's forum poster (qet_geo/export/diagnostic_poster.py, issue 15) drawn from
the real Porte d'Orléans diagnostic: its boards' titles, figures computed here again from
the GeoPackage's tables as the poster prints them, hidden values said "masqué" (never 0),
text from the file drawn as written (no math mode), English, A0."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from qet_geo.diagnostic.output import read_diagnostic
from qet_geo.errors import InputError
from qet_geo.export import write_diagnostic_poster

ROOT = Path(__file__).resolve().parents[2]
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), ROOT.parent / "shared")  # fmt: skip
DATA = SHARED / "data" / "near-diag"
DATE = dt.date(2026, 12, 4)

pytestmark = [
    pytest.mark.skipif(not (DATA / "Way Of Life Answer.json").is_file(), reason="no shared data"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext"),
]


def _diagnostic(folder: Path, min_cell: int):
    from qet_geo.diagnostic.job import run_diagnostic

    output = folder / f"diagnostic_{min_cell}.gpkg"
    run = run_diagnostic(su=DATA / "Su Answer.json", emdv=DATA / "Way Of Life Answer.json",
                         ngc=DATA / "Carbon Footprint Answer.json", su_data=DATA / "Su Data.json",
                         output=output, min_cell=min_cell)  # fmt: skip
    return output, run


@pytest.fixture(scope="module")
def diagnostics(tmp_path_factory):
    """The real diagnostic at the default threshold (11) and at 5 (more is published)."""
    folder = tmp_path_factory.mktemp("diagnostic")
    return {n: _diagnostic(folder, n) for n in (11, 5)}


def _text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def _rows(gpkg: Path, sql: str, *args):
    with closing(sqlite3.connect(gpkg)) as db:
        return db.execute(sql, args).fetchall()


def _percent(value: float) -> str:
    return f"{100 * value:.0f} %"


def test_the_poster_shows_the_boards_and_the_published_figures(diagnostics, tmp_path):
    gpkg, _ = diagnostics[5]
    written = write_diagnostic_poster(tmp_path / "diagnostic_A3.pdf", gpkg, date=DATE)
    assert [p.name for p in written] == ["diagnostic_A3.pdf", "diagnostic_A3.png"]
    assert all(p.stat().st_size > 10_000 for p in written)
    text = _text(written[0])
    for title in ("Diagnostic du quartier", "Satisfaction du cadre de vie, par thème",
                  "Envie de changer", "Freins au changement", "Empreinte carbone par secteur",
                  "Voiture", "Viande et poisson", "Alimentation locale et de saison",
                  "Occasion et réparation", "Parcs et vie de quartier", "Quartier", "04/12/2026"):  # fmt: skip
        assert title in text, title
    # willingness to change: the neighbourhood's share of "already does" for the car
    (car,) = _rows(
        gpkg, "SELECT share_YES_I_DO FROM wishes WHERE theme = 'car' AND profile = 'quartier'"
    )
    assert car[0] is not None and _percent(car[0]) in text
    # satisfaction by theme: the mean of the theme's questions, every one published
    parks = [r[0] for r in _rows(gpkg, "SELECT share_YES FROM satisfaction WHERE theme = "
                                       "'parks_life' AND profile = 'quartier'")]  # fmt: skip
    assert len(parks) == 4 and None not in parks
    assert _percent(sum(parks) / len(parks)) in text
    # barriers: the neighbourhood's share citing the cost of local food
    (cost,) = _rows(gpkg, "SELECT share FROM barriers WHERE level = 'family' AND lever = 'local_food' "
                          "AND family = 'Accessibilité financière' AND profile = 'quartier'")  # fmt: skip
    assert _percent(cost[0]) in text
    # carbon: the neighbourhood's total in tonnes, French decimal comma
    (total,) = _rows(gpkg, "SELECT mean FROM carbon WHERE key = 'bilan' AND profile = 'quartier'")
    assert f"{total[0] / 1000:.1f}".replace(".", ",") in text
    assert "masqué (secret statistique, seuil 5 réponses)" in text


def test_hidden_values_are_said_hidden_never_zero(diagnostics, tmp_path):
    gpkg, _ = diagnostics[11]
    text = _text(write_diagnostic_poster(tmp_path / "a.pdf", gpkg, date=DATE, png=False)[0])
    assert "masqué (secret statistique, seuil 11 réponses)" in text
    # at 11, every wish of the neighbourhood is hidden: four levers, each a hatched bar
    hidden = _rows(
        gpkg, "SELECT count(*) FROM wishes WHERE profile = 'quartier' AND share_YES_I_DO IS NULL"
    )
    assert hidden[0][0] == 4
    assert text.count("masqué") > 40
    assert not re.search(r"(?<![0-9])0 %", text)  # no hidden value printed as 0


def test_text_from_the_file_is_drawn_as_written(diagnostics, tmp_path):
    _, run = diagnostics[11]
    names = {1: "Profil $x^2$", "2": "Vélo & <b>"}
    written = write_diagnostic_poster(tmp_path / "b.pdf", run.diagnostic, title="Affiche $x^2$",
                                      date=DATE, names=names, colours={1: "#123456", 2: "rouge"},
                                      png=False)  # fmt: skip
    text = _text(written[0])
    assert "Affiche $x^2$" in text and "1. Profil $x^2$" in text and "2. Vélo & <b>" in text
    assert "3. SU 3" in text  # the name of the diagnostic's own profiles table


def test_the_poster_in_english_and_on_a0(diagnostics, tmp_path):
    gpkg, _ = diagnostics[11]
    written = write_diagnostic_poster(tmp_path / "c.pdf", read_diagnostic(gpkg), size="A0",
                                      language="en", date=DATE, png=False)  # fmt: skip
    text = _text(written[0])
    for words in ("Neighbourhood diagnostic", "Willingness to change", "Barriers to change",
                  "Carbon footprint per sector", "Neighbourhood", "2026-12-04",
                  "hidden (statistical secrecy, threshold 11 answers)"):  # fmt: skip
        assert words in text, words
    assert "masqué" not in text
    info = subprocess.run(["pdfinfo", str(written[0])], capture_output=True, text=True).stdout
    assert "3370.39 x 2383.94 pts" in info  # 1189 × 841 mm


def test_a_file_that_is_no_diagnostic_is_refused(tmp_path):
    bad = tmp_path / "x.gpkg"
    bad.write_text("not sqlite", encoding="utf-8")
    with pytest.raises(InputError, match="x.gpkg"):
        write_diagnostic_poster(tmp_path / "d.pdf", bad)
    with pytest.raises(InputError, match="file not found"):
        write_diagnostic_poster(tmp_path / "d.pdf", tmp_path / "none.gpkg")
    assert not (tmp_path / "d.pdf").exists()
