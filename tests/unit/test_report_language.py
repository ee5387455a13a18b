"""The profile report read as a person reads it, and the language of every forum output
(issue 12, "Profiles — Report").

The NEAR export is ``tests/fixtures/near/survey_0.tsv``, byte for byte the real export of
``../shared/data/near/survey_0.tsv`` (MIT, see its README). Unit tests run with English
messages (conftest): every output below that is French by default is so *despite* the
language of messages.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.cluster.hierarchy import dendrogram
from test_webmap import area_map, browser, browser_needed
from unit_helpers import ROOT, SURVEY_0

from qet_geo.cli import main
from qet_geo.i18n import set_language
from qet_geo.profiles import ProfileModel
from qet_geo.profiles.report import dendrogram_svg, monotone_tree, report_html
from qet_geo.survey import Location, import_survey

SAMPLE = ROOT / "sample_data"
NBSP = "\u202f"
FRENCH_HEADINGS = ["Profils d'usages — near", "Avertissements", "Profils", "Réponses et indices",
                   "Empreintes moyennes (kgCO2e/an)", "Dendrogramme"]  # fmt: skip
ENGLISH_HEADINGS = ["Usage profiles — near", "Warnings", "Profiles", "Answers and index scores",
                    "Mean footprints (kgCO2e/yr)", "Dendrogram"]  # fmt: skip
ENGLISH_WORDS = ["Index scores", "Usage profiles", "Mean footprints", "whole study", "answer",
                 "respondents", "NEAR number", "Stability", "heating (apart"]  # fmt: skip
FRENCH_WORDS = ["Indices", "Profils d'usages", "Empreintes moyennes", "ensemble", "réponse",
                "répondants", "Stabilité", "chauffage (à part"]  # fmt: skip


@pytest.fixture(scope="module")
def near_export():
    respondents = import_survey(SURVEY_0, schema="near-su", location=Location(kind="none"))
    return respondents.respondents


@pytest.fixture(scope="module")
def near(near_export):
    """NEAR's detection on the real export, as ``qet-geo profiles detect`` runs it."""
    return ProfileModel("near").fit(near_export)


def headings(page: str) -> list[str]:
    return [unescape(h) for h in re.findall(r"<h[12]>(.*?)</h[12]>", page)]


def cells(page: str, tag: str = "th") -> list[str]:
    found = re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", page)
    return [re.sub(r"[ \t\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", c))).strip() for c in found]


def table_rows(page: str, heading: str) -> list[list[str]]:
    """The rows (cell texts) of the table under ``<h2>heading</h2>``."""
    table = page.split(f"<h2>{heading}</h2>", 1)[1].split("</table>", 1)[0]
    return [cells(row, "t[hd]") for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


# ------------------------------------------------------------------ the dendrogram
def branches_at_cut(svg: str) -> int:
    """How many vertical branches of the drawn tree the dashed stop line crosses, read
    from the SVG paths (each merge is one ⊓-shaped path of four points)."""
    paths = re.findall(r'<path d="([^"]*)"[^>]*style="([^"]*)"', svg)
    cut = [d for d, style in paths if "#cc6677" in style and "dasharray" in style]
    assert len(cut) == 1, "one stop line"
    y = float(re.findall(r"[-\d.]+", cut[0])[1])
    crossing = 0
    for d, style in paths:
        if "fill: none" not in style or "#cc6677" in style:
            continue
        points = [tuple(map(float, p)) for p in re.findall(r"([-\d.]+) ([-\d.]+)", d)]
        if len(points) != 4:
            continue
        for (x1, y1), (x2, y2) in ((points[0], points[1]), (points[2], points[3])):
            if x1 == x2 and min(y1, y2) < y < max(y1, y2):
                crossing += 1
    return crossing


def test_the_dendrogram_cut_crosses_one_branch_per_profile_on_the_near_export(near):
    """NEAR's merge distances are not monotone on the real export (5 merges closer than
    the one before): drawn as they were, the "3 profiles" line crossed 5 branches."""
    assert near.k_ == 3
    svg = dendrogram_svg(near)
    assert branches_at_cut(svg) == near.k_


@pytest.mark.parametrize("k", [2, 4, 6])
def test_the_ward_dendrogram_cut_crosses_k_branches(near_export, k):
    model = ProfileModel("ward", k=k).fit(near_export)
    assert branches_at_cut(dendrogram_svg(model)) == k


@pytest.mark.parametrize("target", [2, 4, 5, 8])
def test_the_near_cut_for_other_targets(near_export, target):
    model = ProfileModel("near", target_count=target).fit(near_export)
    assert branches_at_cut(dendrogram_svg(model)) == model.k_


def test_a_tie_at_the_cut_is_drawn_by_merge_step():
    """When the first merge after the stop is drawn at the height of the last one before it
    (a closer merge raised to the highest so far), the tree is drawn by merge step."""
    linkage = np.array([[0, 1, 1.0, 2], [2, 3, 3.0, 2], [4, 5, 2.0, 4]])  # 2.0 after 3.0
    drawn, cut, axis = monotone_tree(linkage, done=2)  # stopped at 2 profiles
    assert axis == "step" and drawn[:, 2].tolist() == [1.0, 2.0, 3.0] and cut == 2.5
    tree = dendrogram(drawn, no_plot=True)
    legs = sum(
        1
        for xs, ys in zip(tree["icoord"], tree["dcoord"], strict=True)
        for i in (0, 3)
        if min(ys[i], ys[i ^ 1]) < cut < max(ys[i], ys[i ^ 1])
    )
    assert legs == 2
    drawn, cut, axis = monotone_tree(linkage[:2].copy(), done=1)
    assert axis == "distance" and 1.0 < cut < 3.0


# ------------------------------------------------------------------ answers and index
def test_each_answer_shows_its_share_and_the_index_is_labelled_as_an_index(near, near_export):
    """The index table printed "23 / transports en commun": a CO2-weight index read as a
    share. Each answer now has its weighted share in the profile and in the study; the
    index is on its own row, named."""
    page = report_html(near)
    rows = table_rows(page, "Réponses et indices")
    assert rows[0][:3] == ["question", "réponse", "ensemble"]
    assert rows[0][3] == "1. " + near.published_profiles()[0]["name"]
    labels = near.labels_.to_numpy(dtype=float)
    mode = near_export["transportation_mode"].to_numpy(dtype=float)
    inside = labels == 1
    expected = {code: np.mean(mode[inside] == code) for code in (1, 2, 3)}
    study = {code: np.mean(mode[~np.isnan(labels)] == code) for code in (1, 2, 3)}
    question = next(i for i, r in enumerate(rows) if r[0] == "voiture et transports motorisés")
    index_row = rows[question]
    assert index_row[1] == "indice des poids CO2 (ensemble = 100)"
    index = near.published_profiles()[0]["index"]["transportation_mode"]
    assert index_row[3] == f"{index:.0f} nettement en dessous" and round(index) == 23
    words = {1: "marche et vélo", 2: "transports en commun", 3: "voiture au quotidien"}
    for offset, code in enumerate((1, 2, 3), start=1):
        row = rows[question + offset]
        assert row[1] == words[code]
        assert row[2] == f"{study[code] * 100:.0f}{NBSP}%"
        assert row[3] == f"{expected[code] * 100:.0f}{NBSP}%"
    # the index is never printed over an answer's label any more
    assert not re.search(r">\d+<br><small>[a-zé ]+</small>", page)
    legend = page.split("<h2>Réponses et indices</h2>", 1)[1].split("</p>", 1)[0]
    assert "ce n'est pas une part" in unescape(legend)
    assert "la part qui a donné cette réponse" in unescape(legend)


def test_answers_held_by_fewer_than_the_threshold_are_hidden(near, near_export):
    """A share of an answer given by 1 to 10 respondents of a profile is not published,
    nor one more when a single one would be given back by difference from 100 %."""
    page = report_html(near)
    rows = table_rows(page, "Réponses et indices")
    labels = near.labels_.to_numpy(dtype=float)
    heat = near_export["heat_source"].to_numpy(dtype=float)
    counts = {code: int(((labels == 1) & (heat == code)).sum()) for code in (1, 2, 3)}
    assert 0 < counts[3] < 11  # fuel oil: a handful of respondents
    question = next(i for i, r in enumerate(rows) if r[0] == "chauffage carboné")
    shown = [rows[question + offset][3] for offset in (1, 2, 3)]
    assert shown[2] == "masqué" and shown.count("masqué") == 2
    # never a single hidden answer in a question's column (it would come back by difference)
    starts = [i for i, r in enumerate(rows) if r[0]] + [len(rows)]
    for first, end in zip(starts[1:-1], starts[2:], strict=True):
        for column in range(2, len(rows[0])):
            hidden = [rows[i][column] for i in range(first + 1, end)].count("masqué")
            assert hidden != 1, (rows[first][0], column)
    assert "Une réponse donnée par moins de 11 répondants d'un profil est masquée" in unescape(page)


def test_the_total_says_heating_is_apart(near):
    page = report_html(near)
    rows = table_rows(page, "Empreintes moyennes (kgCO2e/an)")
    header = rows[0]
    assert header[-2:] == ["total des cinq usages (sans le chauffage)", "chauffage (à part, hors total)"]  # fmt: skip
    assert header[1:6] == ["alimentation", "avion", "mobilité", "achats", "numérique"]
    for row in rows[1:]:  # the total is the five usages, heating not in it
        values = [float(v) for v in row[1:]]
        assert abs(sum(values[:5]) - values[5]) <= 3  # each rounded to the kilogram
        assert abs(sum(values[:5]) + values[6] - values[5]) > 3
    legend = unescape(page.split("<h2>Empreintes moyennes (kgCO2e/an)</h2>", 1)[1].split("</p>", 1)[0])  # fmt: skip
    assert "Le chauffage n'est pas compris dans le total" in legend
    assert "logement . chauffage" in legend


# ------------------------------------------------------------------ language of the report
def test_the_report_is_french_by_default_whatever_the_language_of_messages(near):
    set_language("en")
    page = report_html(near)
    assert '<html lang="fr">' in page
    assert headings(page) == FRENCH_HEADINGS
    text = " ".join(cells(page) + headings(page))
    for word in ENGLISH_WORDS:
        assert word not in text, word
    assert "arrêt : il reste 3 profils (nombre minimal 3)" in page
    assert "ils sont montrés regroupés" in page  # the group's note, in the report's language


def test_the_report_in_english(near, near_export):
    set_language("fr")  # messages in French do not make it French
    page = report_html(near, language="en")
    assert '<html lang="en">' in page
    assert headings(page) == ENGLISH_HEADINGS
    text = " ".join(cells(page) + headings(page))
    for word in FRENCH_WORDS:
        assert word not in text, word
    rows = table_rows(page, "Answers and index scores")
    assert rows[0][:3] == ["question", "answer", "whole study"]
    assert rows[[r[1] for r in rows].index("public transport")][:2] == ["", "public transport"]
    assert "Index (study = 100, not a share)" in unescape(page)
    assert "Heating is not in the total" in unescape(page)
    assert "stopped: 3 profiles remain (minimum count 3)" in page


def test_profiles_detect_report_language_from_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setenv("QET_GEO_LANG", "en")
    set_language(None)
    base = ["profiles", "detect", str(SURVEY_0), "--location", "none", "--bootstrap", "0"]
    assert main([*base, "-o", str(tmp_path / "a.json"), "--report", str(tmp_path / "a.html")]) == 0  # fmt: skip
    assert headings((tmp_path / "a.html").read_text(encoding="utf-8")) == FRENCH_HEADINGS
    assert main([*base, "-o", str(tmp_path / "b.json"), "--report", str(tmp_path / "b.html"), "--lang", "en"]) == 0  # fmt: skip
    assert headings((tmp_path / "b.html").read_text(encoding="utf-8")) == ENGLISH_HEADINGS
    set_language(None)
    assert main(["--lang", "en", *base, "-o", str(tmp_path / "c.json"), "--report", str(tmp_path / "c.html")]) == 0  # fmt: skip
    assert headings((tmp_path / "c.html").read_text(encoding="utf-8")) == ENGLISH_HEADINGS


# ------------------------------------------------------------------ poster, map, project
def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout  # fmt: skip


POSTER_FR = ["Sphères d'Usages du quartier", "Qui partage quelles habitudes", "Les profils",
             "Empreinte par usage", "aucun profil nettement dominant", "Aucune réponse individuelle"]  # fmt: skip
POSTER_EN = ["Usage profiles of the neighbourhood", "Who shares which habits", "The profiles",
             "Footprint per usage", "no clearly dominant profile", "No individual answer"]  # fmt: skip


def test_the_poster_is_french_by_default_and_english_with_lang(tmp_path, monkeypatch):
    monkeypatch.setenv("QET_GEO_LANG", "en")
    set_language(None)
    gpkg = area_map(tmp_path)
    assert main(["export", "poster", str(gpkg), "--no-png", "-o", str(tmp_path / "fr.pdf")]) == 0
    text = " ".join(pdf_text(tmp_path / "fr.pdf").split())
    assert all(w in text for w in POSTER_FR), text
    assert not any(w in text for w in POSTER_EN)
    assert main(["export", "poster", str(gpkg), "--no-png", "--lang", "en", "-o", str(tmp_path / "en.pdf")]) == 0  # fmt: skip
    text = " ".join(pdf_text(tmp_path / "en.pdf").split())
    assert all(w in text for w in POSTER_EN), text
    assert not any(w in text for w in POSTER_FR)


def test_the_web_map_takes_lang_and_map_language_is_a_deprecated_alias(tmp_path, monkeypatch, capsys):  # fmt: skip
    monkeypatch.setenv("QET_GEO_LANG", "en")
    set_language(None)
    gpkg = area_map(tmp_path)
    assert main(["export", "webmap", str(gpkg), "-o", str(tmp_path / "fr.html")]) == 0
    assert '<html lang="fr">' in (tmp_path / "fr.html").read_text(encoding="utf-8")
    assert main(["--lang", "en", "export", "webmap", str(gpkg), "-o", str(tmp_path / "en.html")]) == 0  # fmt: skip
    page = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Dominant profile" in page
    assert main(["export", "webmap", str(gpkg), "--lang", "en", "-o", str(tmp_path / "en2.html")]) == 0  # fmt: skip
    assert '<html lang="en">' in (tmp_path / "en2.html").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["export", "webmap", str(gpkg), "--map-language", "en", "-o", str(tmp_path / "old.html")]) == 0  # fmt: skip
    assert '<html lang="en">' in (tmp_path / "old.html").read_text(encoding="utf-8")
    assert "--map-language is deprecated: use --lang" in capsys.readouterr().err


def project_layers(path: Path) -> tuple[str, list[str]]:
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read(next(n for n in archive.namelist() if n.endswith(".qgs"))))  # fmt: skip
    return root.find("title").text, [e.text for e in root.iter("layername")]


def test_the_qgis_project_titles_follow_the_output_language(tmp_path, monkeypatch):
    monkeypatch.setenv("QET_GEO_LANG", "en")
    set_language(None)
    gpkg = area_map(tmp_path)
    assert main(["export", "project", "--areas", str(gpkg), "-o", str(tmp_path / "fr.qgz")]) == 0
    assert project_layers(tmp_path / "fr.qgz") == ("Sphères d'Usages du quartier", ["Profil dominant par zone"])  # fmt: skip
    assert main(["export", "project", "--areas", str(gpkg), "--lang", "en", "-o", str(tmp_path / "en.qgz")]) == 0  # fmt: skip
    assert project_layers(tmp_path / "en.qgz") == ("Usage profiles of the neighbourhood", ["Dominant profile per area"])  # fmt: skip


# ------------------------------------------------------------------ the whole job
def config(tmp_path: Path, language: str | None) -> Path:
    path = tmp_path / "qet-geo.toml"
    path.write_text(
        (f'language = "{language}"\n' if language else "")
        + f'output = "{(tmp_path / "out").as_posix()}"\n'
        f'[survey]\nfile = "{(SAMPLE / "survey_su.tsv").as_posix()}"\n'
        "[profiles]\nbootstrap = 0\n"
        f'[areas]\nfile = "{(SAMPLE / "quartier.gpkg").as_posix()}"\nlayer = "iris"\n'
        '[outputs]\nposter = ["A3"]\nproject = true\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("language", "argv", "expected"),
    [(None, [], "fr"), ("en", [], "en"), ("fr", ["--lang", "en"], "en")],
)
def test_the_whole_job_writes_every_forum_output_in_its_language(tmp_path, monkeypatch, language, argv, expected):  # fmt: skip
    """``language`` in the configuration (French by default; ``--lang`` on the command
    replaces it) is the report's, the map's, the posters' and the project's."""
    monkeypatch.setenv("QET_GEO_LANG", "fr" if expected == "en" else "en")  # never the messages'
    set_language(None)
    assert main(["run", str(config(tmp_path, language)), *argv]) == 0
    out = tmp_path / "out"
    report = (out / "profiles.html").read_text(encoding="utf-8")
    assert headings(report)[0] == ("Profils d'usages — near" if expected == "fr" else "Usage profiles — near")  # fmt: skip
    assert f'<html lang="{expected}">' in report
    assert f'<html lang="{expected}">' in (out / "carte.html").read_text(encoding="utf-8")
    poster = " ".join(pdf_text(out / "affiche_A3.pdf").split())
    assert all(w in poster for w in (POSTER_FR if expected == "fr" else POSTER_EN)[:4]), poster
    title, layers = project_layers(out / "projet.qgz")
    assert layers[0] == ("Profil dominant par zone" if expected == "fr" else "Dominant profile per area")  # fmt: skip
    # the profiles' descriptions too: in the table, the report and on the poster
    mine, other = ("des répondants", "of respondents") if expected == "fr" else ("of respondents", "des répondants")  # fmt: skip
    descriptions = pd.read_csv(out / "profiles.csv", encoding="utf-8-sig")["description"]
    assert all(mine in d and other not in d for d in descriptions), descriptions.tolist()
    assert mine in unescape(report) and other not in unescape(report)
    frequent = ("Réponses les plus fréquentes", "Most frequent answers")
    assert frequent[expected == "en"] in poster and frequent[expected == "fr"] not in poster


# ------------------------------------------------------------------ in a real browser
@browser_needed
def test_the_report_read_in_chromium(near, tmp_path):
    page = tmp_path / "profiles.html"
    page.write_text(report_html(near), encoding="utf-8")
    driver = browser()
    try:
        driver.get(page.as_uri())
        assert driver.execute_script("return document.documentElement.lang") == "fr"
        shown = driver.execute_script(
            "return [...document.querySelectorAll('h1, h2')].map(h => h.innerText)"
        )
        assert shown == FRENCH_HEADINGS
        header = driver.execute_script(
            "return [...document.querySelectorAll('table')[1].rows[0].cells].map(c => c.innerText)"
        )
        assert header[:3] == ["question", "réponse", "ensemble"]
        svg = driver.execute_script("return document.querySelector('svg').getBoundingClientRect().height")  # fmt: skip
        assert svg > 100  # the dendrogram is drawn
    finally:
        driver.quit()


@pytest.mark.parametrize(("messages", "output"), [("en", "fr"), ("fr", "en")])
def test_the_notes_of_the_fit_are_in_the_language_of_the_report(near_export, messages, output):
    """A model's notes are written at the fit, in the language of messages; the report
    shows them in its own."""
    set_language(messages)
    model = ProfileModel("near", target_count=8).fit(near_export)
    page = unescape(report_html(model, language=output))
    notes = re.findall(r'<li class="warn">(.*?)</li>', page)
    french = "répondant(s) de l'ajustement (2.6%) sont plus près du centre d'un autre profil"
    english = "fitting respondent(s) (2.6%) are nearer another profile's centroid"
    wanted, unwanted = (french, english) if output == "fr" else (english, french)
    assert any(wanted in n for n in notes), notes
    assert not any(unwanted in n for n in notes), notes
    kind = "centre le plus proche différent" if output == "fr" else "nearest centroid differs"
    assert any(n.startswith(kind) for n in notes), notes
