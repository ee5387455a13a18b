"""``qet-geo run CONFIG.toml``: the whole job on the sample neighbourhood, as a user runs it,
and the configuration errors a user can make."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from unit_helpers import cli_in_process, digests

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
CONFIG = SAMPLE / "qet-geo.toml"


def qet_geo(*args, cwd=ROOT):
    """``qet-geo --lang fr ARGS`` in a process of its own, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "--lang", "fr", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def quick(*args, cwd=ROOT):
    """``qet-geo --lang fr ARGS`` in this process: the commands refused, checked or ended
    within seconds (a process costs two seconds of imports each, twenty under load)."""
    return cli_in_process("--lang", "fr", *args, cwd=cwd)


@pytest.fixture(scope="module")
def run(sample_job):
    """The documented example configuration, run once into a temporary folder."""
    return sample_job


EXPECTED = [
    "respondents.gpkg", "rejects.csv", "profiles.json", "profiles.private.json", "profiles.html", "profiles.csv",
    "areas.gpkg", "ptal.gpkg", "proximity.gpkg", "compare.gpkg", "carte.html",
    "affiche_A3.pdf", "affiche_A3.png", "affiche_A0.pdf", "affiche_A0.png", "projet.qgz",
    "diagnostic.gpkg", "diagnostic.html", "diagnostic.private.gpkg", "diagnostic_place_bands.csv",
    "affiche_diagnostic_A3.pdf", "affiche_diagnostic_A3.png", "affiche_diagnostic_A0.pdf",
    "diagnostic_forum_subjects.csv", "diagnostic_levers.csv",
    "panneau_alimentation_A3.pdf", "panneau_alimentation_A3.png", "panneau_alimentation_A0.pdf",
    "panneau_alimentation_A3.qpt", "bulletin_vote.pdf", "bulletin_vote_classement.pdf",
    "vote.csv", "vote_rounds.csv", "vote_areas.csv", "vote.png", "vote.pdf", "vote_areas.gpkg",
]  # fmt: skip


def test_every_output_written_and_listed(run):
    out, done, _ = run
    for name in EXPECTED:
        path = out / name
        assert path.is_file() and path.stat().st_size > 0, name
        assert str(path) in done.stdout, f"{name} missing from the final summary"
    # the progress shows each step, numbered, and the summary its figures
    assert "12/12" in done.stderr
    for label in (
        "import de l'enquête",
        "profils d'usages",
        "le diagnostic (EMdV, NGC)",
        "carte web",
        "affiches",
        "projet QGIS",
    ):
        assert label in done.stderr, label
    assert re.search(r"593 lignes importées sur 600 \(7 rejetées\) ; 3 profils", done.stdout)
    # nothing left half-written
    assert not [p for p in out.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def test_the_inputs_are_untouched(run):
    _, _, before = run
    assert digests(SAMPLE) == before


def test_published_outputs_hold_aggregates_only(run):
    out, _, _ = run
    page = (out / "carte.html").read_text(encoding="utf-8")
    # no respondent's home in the web map: none of their coordinates appears
    survey = pd.read_csv(SAMPLE / "survey_su.tsv", sep="\t", dtype=str)
    lon, lat = survey.columns[-2], survey.columns[-1]
    assert survey[lon].str.match(r"^\d\.\d{6}$").all(), "the sample holds lon/lat columns"
    homes = [f"{x},{y}" for x, y in zip(survey[lon], survey[lat], strict=True)]
    assert len(homes) == 600 and not any(h in page or h.replace(",", ", ") in page for h in homes)
    assert not any(x in page for x in survey[lon].iloc[:50])
    # the areas are embedded once: 12 features
    assert page.count('"type":"Feature","properties":{"id":') == 12
    # offline: no script or style fetched from the network
    assert not re.search(r"<script[^>]+src=\"https?:", page)
    assert not re.search(r"<link[^>]+href=\"https?:", page)
    with zipfile.ZipFile(out / "projet.qgz") as archive:
        xml = archive.read("projet.qgs").decode("utf-8")
    assert "respondents" not in xml


def test_project_points_at_the_outputs(run):
    out, _, _ = run
    with zipfile.ZipFile(out / "projet.qgz") as archive:
        xml = archive.read("projet.qgs").decode("utf-8")
    sources = re.findall(r"<datasource>([^<]+)</datasource>", xml)
    assert sources[0] == "./areas.gpkg|layername=area_indicators"
    assert {s.split("|")[0] for s in sources} == {
        "./areas.gpkg", "./ptal.gpkg", "./compare.gpkg", "./proximity.gpkg", "./diagnostic.gpkg"
    }  # fmt: skip
    assert "diagnostic.private" not in xml  # the private working file never in the project
    for source in sources:
        path, layer = source.split("|layername=")
        with sqlite3.connect(out / path) as db:
            assert db.execute("SELECT count(*) FROM gpkg_contents WHERE table_name = ?",
                              (layer,)).fetchone()[0] == 1  # fmt: skip


def test_posters_render_with_their_text(run, tmp_path):
    out, _, _ = run
    for size in ("A3", "A0"):
        pdf = out / f"affiche_{size}.pdf"
        text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout  # fmt: skip
        for expected in ("Sphères d'Usages — Quartier fictif des Tilleuls", "Les profils",
                         "Empreinte par usage", "Sources", "Nos Gestes Climat",
                         "masqué (secret statistique, seuil 11 réponses)", "Centre-Gare"):  # fmt: skip
            assert expected in text, (size, expected)
        model = json.loads((out / "profiles.json").read_text(encoding="utf-8"))
        names = [p["name"] for p in model["profiles"]]
        assert all(n in text.replace("\n", " ") for n in names), names
        subprocess.run(["pdftoppm", "-r", "20", "-png", pdf, tmp_path / size], check=True)
        pages = list(tmp_path.glob(f"{size}*.png"))
        assert len(pages) == 1


@pytest.mark.parametrize(
    ("text", "where", "expected"),
    [
        ('[survey]\nfile = "survey_su.tsv"\nfichier = "x"\n[areas]\nfile = "quartier.gpkg"\n',
         "ligne 3, colonne '[survey] fichier'", "clé inconnue"),
        ('[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\nmin_cell = "onze"\n',
         "ligne 5, colonne '[areas] min_cell': valeur 'onze'", "un nombre entier"),
        ('[survey]\nfile = "absent.tsv"\n[areas]\nfile = "quartier.gpkg"\n',
         "ligne 2, colonne '[survey] file': valeur 'absent.tsv'", "un fichier existant"),
        ('[survey]\nfile = "survey_su.tsv"\n', "colonne '[areas] file'", "manquant"),
        ('[survey]\nfile = "survey_su.tsv\n', "ligne 2", "TOML"),
        ('[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\n[outputs]\nposter = ["A4"]\n',
         "ligne 6, colonne '[outputs] poster'", "A3"),
        ('[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\n[proximity]\n'
         'services = { marches = "quartier.gpkg:marches" }\n[compare]\nservice = "ecoles"\n',
         "colonne '[compare] service': valeur 'ecoles'", "marches"),

        ('[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\n[profiles]\ncolours = { 1 = "bleu" }\n', "ligne 6, colonne '[profiles] colours'", '"#RRVVBB"'),
        ('[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\n[profiles]\nk = 3\n', "ligne 6, colonne '[profiles] k'", "target_count avec near"),
        ('[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\n[profiles]\nmethod = "kmeans"\nk = 1\n', "ligne 7, colonne '[profiles] k'", 'à partir de 2, ou "auto"'),
        ('[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\nmin_cell = 0\nallow_below_3 = true\n', "ligne 5, colonne '[areas] min_cell'", "à partir de 1"),
        ('[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\ncensus = "gtfs"\n', "ligne 5, colonne '[areas] census'", "un fichier, pas un dossier"),
        ('[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\n[transit]\ngtfs = "gtfs"\nwindow = "matin"\n', "ligne 7, colonne '[transit] window'", "plage horaire"),
        ('[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\n[transit]\ngtfs = "gtfs"\ndate = 2026-03-10T08:00:00\n', "colonne '[transit] date'", "sans heure"),
        ('[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\n[transit]\ngtfs = "gtfs"\ngrid = 1\n', "colonne '[transit] grid'", "à partir de 10"),
        ('[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\n[proximity]\nservices = { a = "quartier.gpkg:absente" }\n', "colonne '[proximity] services.a'", "couche absente du fichier"),
        ('[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\n[outputs]\nbackground = ["quartier.gpkg:marches"]\n', "ligne 6, colonne '[outputs] background'", "ne peut pas servir de fond"),
        ('output = "."\n[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\n', "ligne 1, colonne 'output'", "le dossier de sortie contient une entrée"),
        ('output = "survey_su.tsv"\n[survey]\nfile = "survey_su.tsv"\n[areas]\nfile = "quartier.gpkg"\n', "ligne 1, colonne 'output'", "est un fichier, pas un dossier"),
    ],
)  # fmt: skip
def test_configuration_errors_name_the_line_and_key(tmp_path, text, where, expected):
    config = tmp_path / "config.toml"
    for name in ("survey_su.tsv", "quartier.gpkg", "gtfs"):
        (tmp_path / name).symlink_to(SAMPLE / name)
    config.write_text(text, encoding="utf-8")
    done = quick("run", config)
    assert done.returncode == 2, done.stdout + done.stderr
    assert str(config) in done.stderr
    assert where in done.stderr, done.stderr
    assert expected in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()  # nothing ran
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "config.toml",
        "gtfs",
        "quartier.gpkg",
        "survey_su.tsv",
    ]


def test_outputs_never_go_where_the_inputs_are(tmp_path):
    before = digests(SAMPLE)
    done = quick("run", CONFIG, "-o", SAMPLE)
    assert done.returncode == 2
    assert "le dossier de sortie contient une entrée" in done.stderr
    assert digests(SAMPLE) == before


def test_errors_found_while_running(tmp_path):
    """What only the data can tell: a profile the model does not have, a day without
    service. Clear errors, no traceback."""
    for name in ("survey_su.tsv", "quartier.gpkg", "gtfs"):
        (tmp_path / name).symlink_to(SAMPLE / name)
    base = '[survey]\nfile = "survey_su.tsv"\n[profiles]\nbootstrap = 0\n[areas]\nfile = "quartier.gpkg"\nlayer = "iris"\n[transit]\ngtfs = "gtfs"\n'
    config = tmp_path / "c.toml"
    config.write_text(
        base + "[compare]\nprofile = 9\n[outputs]\nposter = false\n", encoding="utf-8"
    )
    done = quick("run", config)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert (
        "colonne '[compare] profile': valeur '9': ce profil n'existe pas; attendu de 1 à 3"
        in done.stderr
    )
    config.write_text(
        base.replace('gtfs = "gtfs"', 'gtfs = "gtfs"\ndate = 1999-03-10'), encoding="utf-8"
    )
    done = quick("run", config)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "aucun service de transport ce jour-là" in done.stderr and "1999-03-10" in done.stderr


def test_check_only(tmp_path):
    done = quick("run", CONFIG, "--check")
    assert done.returncode == 0, done.stderr
    assert (
        "valide ; étapes : import de l'enquête, empreintes (Nos Gestes Climat), profils d'usages"
        in done.stdout
    )
    assert f"sorties dans {ROOT / 'out'}" in done.stdout
    done = quick("run", CONFIG, "--check", "-o", tmp_path / "o")
    assert done.returncode == 0 and not (tmp_path / "o").exists()


def test_export_commands_on_the_run_outputs(run, tmp_path):
    out, _, _ = run
    page = tmp_path / "carte.html"
    done = quick("export", "webmap", out / "areas.gpkg", "--ptal", out / "ptal.gpkg",
                   "--title", "Forum <b>", "-o", page)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = page.read_text(encoding="utf-8")
    assert "Forum &lt;b&gt;" in text and text.count('"type":"Feature","properties":{"id":') == 12
    done = quick("export", "poster", out / "areas.gpkg", "--model", out / "profiles.json",
                   "--size", "A3", "--size", "A0", "--no-png", "--title", "Forum à 5$ $x$",
                   "-o", tmp_path / "affiche.pdf")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.glob("affiche*")) == ["affiche_A0.pdf", "affiche_A3.pdf"]
    text = subprocess.run(["pdftotext", tmp_path / "affiche_A3.pdf", "-"], capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "Forum à 5$ $x$" in text  # drawn as written, not as math
    done = quick("export", "webmap", out / "areas.gpkg", "--background", out / "respondents.gpkg", "-o", tmp_path / "x.html")  # fmt: skip
    refused = "refusée comme fond de la carte web : c'est un fichier de répondants"
    assert done.returncode == 2 and refused in done.stderr
    assert not (tmp_path / "x.html").exists()
    done = quick("export", "project", "--areas", out / "areas.gpkg", "-o", tmp_path / "p.qgz")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "p.qgz") as archive:
        xml = archive.read("p.qgs").decode("utf-8")
    relative = Path("..") / out.parent.name / out.name / "areas.gpkg"
    assert f"<datasource>./{relative.as_posix()}|layername=area_indicators</datasource>" in xml


def test_export_refuses_a_file_that_is_not_an_area_map(tmp_path):
    done = quick("export", "poster", SAMPLE / "quartier.gpkg", "-o", tmp_path / "a.pdf")
    assert done.returncode == 2
    assert (
        "quartier.gpkg" in done.stderr
        and "pas une carte par zone écrite par qet-geo" in done.stderr
    )
    assert "area_indicators" in done.stderr
    assert not list(tmp_path.iterdir())
