"""The forum subjects' panels as QGIS print layouts, in real QGIS (issue 16): each
``panneau_<key>_A3.qpt`` written by the library without QGIS is loaded into a
QgsPrintLayout of a project holding the ``area_potentials`` layer (the map item finds it by
name, source and provider) and exported to PDF; ``pdftotext`` finds the subject's title,
its potential and the sentence, a hostile title as written."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from plugin_testing import PLUGIN, ROOT
from qgis.core import QgsLayoutExporter, QgsLayoutItemMap, QgsProject, QgsVectorLayer

sys.path.insert(0, str(ROOT / "tests" / "unit"))
from forum_fixture import HOSTILE, areas, subjects  # noqa: E402

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing"
)


def pdf_text(layout, path: Path) -> str:
    result = QgsLayoutExporter(layout).exportToPdf(str(path), QgsLayoutExporter.PdfExportSettings())
    assert result == QgsLayoutExporter.Success, result
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(unicodedata.normalize("NFKC", text).replace("\u202f", " ").split())


def test_the_subject_layouts_load_show_the_layer_and_export_with_their_text(plugin, tmp_path):
    panels = importlib.import_module(f"{PLUGIN}.qet_geo.export.forum_panels")
    results = importlib.import_module(f"{PLUGIN}.plugin.results")
    gpkg = tmp_path / "forum.gpkg"
    areas().to_file(gpkg, layer="area_potentials", driver="GPKG")
    written = panels.subject_layouts(subjects(), gpkg, tmp_path / "layouts")
    assert len(written) == len(subjects())
    project = QgsProject()
    layer = QgsVectorLayer(f"{gpkg}|layername=area_potentials", "area_potentials", "ogr")
    assert layer.isValid()
    project.addMapLayer(layer)
    for path, (_, row) in zip(written, subjects().iterrows(), strict=True):
        layout = results.load_layout(path, project, row["key"])
        assert layout is not None, path
        size = layout.pageCollection().page(0).pageSize()
        assert (size.width(), size.height()) == (420, 297)
        (item,) = [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)]
        assert [lyr.id() for lyr in item.layers()] == [layer.id()]
        assert item.crs().authid() == "EPSG:2154"
        text = pdf_text(layout, tmp_path / f"{row['key']}.pdf")
        assert unicodedata.normalize("NFKC", row["title"]) in text, row["key"]
        assert "C'est un potentiel, pas une prévision" in text
        assert "Nos Gestes Climat 4.10.2" in text
        if row["key"] == "mobilite":
            assert "1 234 tCO2e/an" in text
            assert "déjà fait" in text and "30 %" in text
        if row["key"] == "avion":
            assert "pas de question d'envie pour ce sujet" in text
        if row["title"] == HOSTILE:
            assert "[% 1+1 %]" in text  # the note: no expression evaluated
