"""The poster as a QGIS print layout, in real QGIS: the run's ``affiche_*.qpt`` loaded by the
plugin (``plugin/results.py: load_layout``) and the layouts of ``projet.qgz`` exported to PDF
by QGIS; ``pdftotext`` finds the title, every profile name and the statistical-secrecy
note ("moins de 11 réponses"), and the map shows the area indicators (issue 14)."""

from __future__ import annotations

import csv
import importlib
import shutil
import sqlite3
import subprocess
import unicodedata
from contextlib import closing
from pathlib import Path

import pytest
from plugin_testing import PLUGIN
from qgis.core import (
    QgsLayoutExporter,
    QgsLayoutItemMap,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

TITLE = "Sphères d'Usages — Quartier fictif des Tilleuls"  # sample_data/qet-geo.toml
NOTE = "moins de 11 réponses"
HIDDEN = "masqué (secret statistique, seuil 11 réponses)"

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing"
)


@pytest.fixture()
def results(plugin):
    return importlib.import_module(f"{PLUGIN}.plugin.results")


def profiles(out: Path) -> dict[int, tuple[str, str]]:
    """{profile: (name, colour)} of the run's area map, read from the GeoPackage itself."""
    with closing(sqlite3.connect(out / "areas.gpkg")) as db:
        rows = db.execute("SELECT profile, name, colour FROM profiles").fetchall()
    return {int(p): (str(n), str(c)) for p, n, c in rows}


def pdf_text(layout, path: Path) -> str:
    """The layout exported to PDF by QGIS, read back by pdftotext (ligatures and line
    breaks undone: "ﬁ" → "fi", wrapped lines joined)."""
    result = QgsLayoutExporter(layout).exportToPdf(str(path), QgsLayoutExporter.PdfExportSettings())
    assert result == QgsLayoutExporter.Success, result
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(unicodedata.normalize("NFKC", text).split())


def assert_poster_text(text: str, out: Path) -> None:
    assert TITLE in text
    for number, (name, _colour) in profiles(out).items():
        assert f"{number}. {name}" in text, name
    assert NOTE in text
    assert HIDDEN in text
    assert "Sources : enquête Sphères d'Usages" in text


def map_pixels(layout, colour: str) -> int:
    """Pixels of ``colour`` (±12 per channel) inside the map item, the page drawn 1 px/mm."""
    page = layout.pageCollection().page(0).pageSize()
    image = QgsLayoutExporter(layout).renderPageToImage(
        0, QSize(int(page.width()), int(page.height()))
    )
    (item,) = [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)]
    box = item.sceneBoundingRect()
    want = QColor(colour)
    found = 0
    for x in range(int(box.left()) + 2, int(box.right()) - 2):
        for y in range(int(box.top()) + 2, int(box.bottom()) - 2):
            got = QColor(image.pixel(x, y))
            if max(abs(got.red() - want.red()), abs(got.green() - want.green()),
                   abs(got.blue() - want.blue())) <= 12:  # fmt: skip
                found += 1
    return found


def test_the_template_exports_to_pdf_with_the_poster_text(results, cli_sample_job, tmp_path):
    out, _ = cli_sample_job
    project = QgsProject()
    layer = QgsVectorLayer(f"{out / 'areas.gpkg'}|layername=area_indicators", "areas", "ogr")
    assert layer.isValid()
    project.addMapLayer(layer)
    layout = results.load_layout(out / "affiche_A3.qpt", project, "Affiche A3")
    assert layout is not None
    assert project.layoutManager().layoutByName("Affiche A3") is layout
    size = layout.pageCollection().page(0).pageSize()
    assert (size.width(), size.height()) == (420, 297)
    assert_poster_text(pdf_text(layout, tmp_path / "affiche_A3.pdf"), out)
    a0 = results.load_layout(out / "affiche_A0.qpt", project, "Affiche A0")
    assert a0.pageCollection().page(0).pageSize().width() == 1189
    assert_poster_text(pdf_text(a0, tmp_path / "affiche_A0.pdf"), out)


def panel_names(out: Path) -> list[str]:
    """The layout name of each forum subject's panel (A3): "Panneau A3 — <title>"."""
    with open(out / "diagnostic_forum_subjects.csv", encoding="utf-8-sig", newline="") as f:
        return [f"Panneau A3 — {row['title']}" for row in csv.DictReader(f)]


def test_load_run_adds_the_poster_and_panel_layouts(results, cli_sample_job):
    out, _ = cli_sample_job
    project = QgsProject()
    results.load_run(out, project=project)
    layouts = {layout.name(): layout for layout in project.layoutManager().printLayouts()}
    panels = panel_names(out)
    assert len(panels) == 6
    assert sorted(layouts) == sorted([f"Poster A0 — {TITLE}", f"Poster A3 — {TITLE}", *panels])
    # each panel's map on the run's area_potentials layer, though the template names its
    # GeoPackage relatively (no folder of the organiser) and the layer has its French title
    (potentials,) = [lyr for lyr in project.mapLayers().values()
                     if lyr.source().endswith("diagnostic.gpkg|layername=area_potentials")]  # fmt: skip
    for name in panels:
        (item,) = [i for i in layouts[name].items() if isinstance(i, QgsLayoutItemMap)]
        assert [lyr.id() for lyr in item.layers()] == [potentials.id()], name
        assert item.keepLayerStyles() and potentials.id() in item.layerStyleOverrides()
    assert str(out) not in (out / "panneau_alimentation_A3.qpt").read_text(encoding="utf-8")


def test_the_project_layouts_export_to_pdf_with_the_map(cli_sample_job, tmp_path):
    out, _ = cli_sample_job
    project = QgsProject()
    assert project.read(str(out / "projet.qgz"))
    every = project.layoutManager().printLayouts()
    assert sorted(layout.name() for layout in every) == sorted(
        [f"Affiche A0 — {TITLE}", f"Affiche A3 — {TITLE}", *panel_names(out)]
    )
    # the panels' maps on the diagnostic's area_potentials layer, by its id
    (potentials,) = [lyr for lyr in project.mapLayers().values()
                     if "layername=area_potentials" in lyr.source()]  # fmt: skip
    for layout in every:
        if layout.name().startswith("Panneau"):
            (item,) = [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)]
            assert [lyr.id() for lyr in item.layers()] == [potentials.id()], layout.name()
    layouts = [layout for layout in every if layout.name().startswith("Affiche")]
    (area,) = [
        lyr for lyr in project.mapLayers().values() if "layername=area_indicators" in lyr.source()
    ]
    colours = profiles(out)
    for layout in layouts:
        (item,) = [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)]
        assert [lyr.id() for lyr in item.layers()] == [area.id()]
        assert item.crs().authid() == "EPSG:2154"
        assert item.extent().contains(area.extent())
        assert_poster_text(pdf_text(layout, tmp_path / f"{layout.name()[:10]}.pdf"), out)
    a3 = next(layout for layout in layouts if "A3" in layout.name())
    assert map_pixels(a3, colours[1][1]) > 1000  # the areas where profile 1 dominates, drawn


def test_a_hostile_title_is_shown_as_written(results, plugin, cli_sample_job, tmp_path):
    out, _ = cli_sample_job
    layout_module = importlib.import_module(f"{PLUGIN}.qet_geo.export.layout")
    title = "<b>&\"' [% 1+1 %] $CURRENT_DATE"
    path = layout_module.write_layout(tmp_path / "affiche_A3.qpt", out / "areas.gpkg", title=title)
    project = QgsProject()
    layout = results.load_layout(path, project, "hostile")
    assert layout is not None
    text = pdf_text(layout, tmp_path / "hostile.pdf")
    assert title in text  # no expression evaluated, no date put in, no markup read
