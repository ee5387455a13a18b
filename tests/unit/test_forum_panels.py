"""The forum's exhibition outputs (qet_geo/export/forum_panels.py, issue 16) from a subjects
table and an areas layer written by hand to the schema (forum_fixture.py): one panel per
subject and paper size (PDF and PNG), the ballot sheet, the QGIS print layouts; text from
the tables drawn as written (no math mode, no markup), hidden values "masqué" never 0,
French by default and English, a missing column refused by name."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from forum_fixture import HOSTILE, areas, subjects

from qet_geo.errors import InputError
from qet_geo.export.forum_panels import (
    number,
    potential_text,
    subject_layouts,
    write_ballot,
    write_subject_panels,
)
from qet_geo.export.project import layer_id_of

DATE = dt.date(2026, 12, 4)
NNBSP = "\u202f"

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="no pdftotext / pdftoppm (poppler-utils)",
)


def _text(pdf: Path) -> str:
    """The PDF's text, its lines joined (a wrapped sentence read whole), ligatures undone."""
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(unicodedata.normalize("NFKC", done.stdout).split())


def _raw(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def panels(tmp_path_factory):
    folder = tmp_path_factory.mktemp("panneaux")
    return folder, write_subject_panels(subjects(), areas(), folder, date=DATE)


def test_one_panel_per_subject_and_size_pdf_and_png(panels):
    folder, written = panels
    names = [p.name for p in written]
    for key in subjects()["key"]:
        for size in ("A3", "A0"):
            assert f"panneau_{key}_{size}.pdf" in names
            assert f"panneau_{key}_{size}.png" in names
    assert len(written) == 4 * 2 * 2
    assert all(p.is_file() and p.stat().st_size > 10_000 for p in written)
    assert not list(folder.glob(".*"))  # the atomic writer's work folder is gone


def test_the_panel_says_the_title_the_potential_and_that_it_is_not_a_forecast(panels):
    folder, _ = panels
    raw = _raw(folder / "panneau_mobilite_A3.pdf")
    # drawn grouped as the posters group (a narrow no-break space, read back as a space)
    assert potential_text(subjects().iloc[0], "fr")["figure"] == f"1{NNBSP}234 tCO2e/an"
    assert "1 234 tCO2e/an" in raw.replace(NNBSP, " ")
    text = _text(folder / "panneau_mobilite_A3.pdf")
    for words in ("Se déplacer autrement qu'en voiture", "Sujet n° 1 sur 4",
                  "entre 980 et 1 510 tCO2e/an", "286 kgCO2e/an par habitant de 15 ans et plus",
                  "C'est un potentiel, pas une prévision : ce que l'on économiserait si",
                  "moins de voiture", "déjà fait", "prévu", "j'aimerais mais je n'ai pas le choix",
                  "non", "30 %", "35 %", "Accessibilité pratique 34 %", "Temps & Organisation 20 %",
                  "Là où ça compte le plus", "Montsouris $1 ; Porte d'Orléans",
                  "Une ligne de bus, des passages plus fréquents : 412 tCO2e/an débloquées",
                  "PTAL 1b", "Nos Gestes Climat 4.10.2", "Sphères d'Usages",
                  "Espace et Mode de Vie", "04/12/2026", "seuil 11 réponses"):  # fmt: skip
        assert words in text, words


def test_a_hidden_share_is_masque_and_no_question_is_said(panels):
    folder, _ = panels
    food = _text(folder / "panneau_alimentation_A3.pdf")
    assert "masqué" in food  # share_planned hidden: hatched "masqué", never 0 %
    assert "0 %" not in food.replace("10 %", "").replace("20 %", "")
    assert "masqué chez ceux qui l'ont prévu" in food
    assert "pas de contrainte mesurée pour ce sujet" in food
    air = _text(folder / "panneau_avion_A3.pdf")
    assert "pas de question d'envie pour ce sujet" in air
    assert "déjà fait" not in air


def test_a_hostile_title_and_names_are_drawn_as_written(panels):
    folder, _ = panels
    text = _text(folder / "panneau_achats_malins_A3.pdf")
    assert unicodedata.normalize("NFKC", HOSTILE) in text  # no math mode, no markup
    assert "Offre <i>locale</i> 12 %" in text
    assert "[% 1+1 %]" in text
    assert "8,5 tCO2e/an" in text  # one decimal under 10, a decimal comma
    assert "Jourdan" in text and "≥ 800 m" in text


def test_the_png_is_not_blank(panels, tmp_path):
    folder, _ = panels
    subprocess.run(["pdftoppm", "-r", "20", "-png", "-singlefile",
                    str(folder / "panneau_mobilite_A3.pdf"), str(tmp_path / "page")], check=True)  # fmt: skip
    from matplotlib.image import imread

    for image in (imread(tmp_path / "page.png"), imread(folder / "panneau_mobilite_A3.png")):
        rgb = image[..., :3]
        assert (rgb < 0.9).mean() > 0.05  # ink on the page
        assert len(np.unique((rgb * 15).round().reshape(-1, 3), axis=0)) > 10  # the map's colours


def test_english_panels(tmp_path):
    (pdf, png) = write_subject_panels(subjects().head(1), areas(), tmp_path, sizes=("A3",),
                                      language="en", date=DATE)  # fmt: skip
    assert png.is_file()
    text = _text(pdf)
    for words in ("1,234 tCO2e/yr", "between 980 and 1,510 tCO2e/yr",
                  "It is a potential, not a forecast", "already done",
                  "would like to but have no choice", "Where it matters most", "A public action",
                  "2026-12-04", "Sources: Nos Gestes Climat 4.10.2"):  # fmt: skip
        assert words in text, words
    assert "potentiel" not in text


def test_the_ballot_lists_every_subject_in_rank_order_twice(tmp_path):
    table = subjects().sample(frac=1.0, random_state=3)  # any order: the ranks decide
    path = write_ballot(table, tmp_path / "bulletin_vote.pdf")
    assert path.name == "bulletin_vote.pdf"
    text = _text(path)
    assert text.count("Vote : le sujet sur lequel le quartier va travailler") == 2
    assert "Cochez une seule case" in text
    assert "Bulletin n°" in text and "Votre IRIS ou quartier (facultatif)" in text
    assert "découper ici" in text
    ordered = subjects().sort_values("rank")
    at = -1
    for _, row in ordered.iterrows():
        title = unicodedata.normalize("NFKC", f"{row['rank']}. {row['title']}")
        found = text.find(title, at + 1)
        assert found > at, title
        assert f"code : {row['key']}" in text[found:], row["key"]
        at = found
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        assert "595.276 x 841.89" in info or "595.28 x 841.89" in info  # A4 portrait


def test_a_ranked_ballot_in_english(tmp_path):
    text = _text(write_ballot(subjects(), tmp_path / "ballot.pdf", ranked=True, language="en"))
    assert "Vote: the subject the neighbourhood will work on" in text
    assert "Number the subjects in order of preference: 1" in text
    assert "Ballot no." in text and "Your IRIS or area (optional)" in text
    assert "rank" in text and "code: mobilite" in text and "cut here" in text


@pytest.mark.parametrize("column", ["potential_t", "share_blocked", "title"])
def test_a_missing_column_is_refused_by_name(tmp_path, column):
    with pytest.raises(InputError, match=column):
        write_subject_panels(subjects().drop(columns=column), areas(), tmp_path)
    with pytest.raises(InputError, match=column):
        write_ballot(subjects().drop(columns=column), tmp_path / "b.pdf")
    assert not list(tmp_path.iterdir())  # nothing written


def test_a_missing_area_column_is_refused_by_name(tmp_path):
    with pytest.raises(InputError, match="avion__per_resident_kg"):
        write_subject_panels(subjects(), areas().drop(columns="avion__per_resident_kg"), tmp_path)


def test_a_bad_key_is_refused(tmp_path):
    table = subjects()
    table.loc[0, "key"] = "../mobilite"
    with pytest.raises(InputError, match="key"):
        write_ballot(table, tmp_path / "b.pdf")


@pytest.mark.parametrize("rank", [np.nan, 0, 1.5, "premier"])
def test_a_bad_rank_is_refused(tmp_path, rank):
    table = subjects()
    table["rank"] = table["rank"].astype(object)
    table.loc[1, "rank"] = rank
    with pytest.raises(InputError) as error:
        write_ballot(table, tmp_path / "b.pdf")
    assert error.value.problems[0].column == "rank" and error.value.problems[0].row == 2
    assert not any(tmp_path.iterdir())


def test_numbers_in_french_and_english():
    assert number(1234.4, "fr") == f"1{NNBSP}234"
    assert number(1234.4, "en") == "1,234"
    assert number(8.46, "fr") == "8,5"
    assert number(float("nan"), "fr") == "masqué"
    assert number(float("nan"), "en") == "hidden"


def test_the_layouts_hold_the_texts_and_the_map_on_the_layer(tmp_path):
    gpkg = tmp_path / "forum.gpkg"
    areas().to_file(gpkg, layer="area_potentials", driver="GPKG")
    written = subject_layouts(subjects(), gpkg, tmp_path / "layouts", sizes=("A3", "A0"))
    assert sorted(p.name for p in written) == sorted(
        f"panneau_{k}_{s}.qpt" for k in subjects()["key"] for s in ("A3", "A0")
    )
    root = ET.parse(tmp_path / "layouts" / "panneau_achats_malins_A3.qpt").getroot()
    assert root.tag == "Layout"
    assert root.get("name") == f"Panneau A3 — {HOSTILE}"
    labels = {i.get("id"): i.get("labelText") for i in root.iter("LayoutItem")}
    assert labels["title"] == HOSTILE  # escaped for XML, read back as written
    assert labels["potential"] == "8,5 tCO2e/an"
    assert "[% '[' %]% 1+1 %]" in labels["action"]  # kept from QGIS's expressions
    (layer,) = root.iter("Layer")
    # the GeoPackage by its file name, never the organiser's folders (it is not in the
    # templates' folder); the id a qet-geo project gives the layer
    assert layer.get("source") == "./forum.gpkg|layername=area_potentials"
    assert str(tmp_path) not in (tmp_path / "layouts" / "panneau_achats_malins_A3.qpt").read_text()
    assert layer.text == layer_id_of("./forum.gpkg|layername=area_potentials")
    assert layer.get("name") == "area_potentials" and layer.get("provider") == "ogr"
    (crs,) = root.iter("authid")
    assert crs.text == "EPSG:2154"
    air = ET.parse(tmp_path / "layouts" / "panneau_avion_A3.qpt").getroot()
    texts = [i.get("labelText") for i in air.iter("LayoutItem")]
    assert "pas de question d'envie pour ce sujet" in texts
    food = ET.parse(tmp_path / "layouts" / "panneau_alimentation_A3.qpt").getroot()
    assert any(i.get("id") == "bar hidden" for i in food.iter("LayoutItem"))


def test_a_hidden_potential_is_said_masque(tmp_path):
    table = subjects().head(1)
    table.loc[0, ["potential_t", "potential_low_t", "potential_high_t"]] = float("nan")
    (pdf,) = write_subject_panels(table, areas(), tmp_path, sizes=("A3",), png=False, date=DATE)
    text = _text(pdf)
    assert "masqué (secret statistique)" in text
    assert "masqué tCO2e" not in text
    assert not re.search(r"(?<![\d ])0 tCO2e/an", text)  # never 0
