"""``qetgeo:forumpanels`` in a real headless QGIS, in QGIS's process and apart (the worker's
Python, as in the QGIS window): from the diagnostic of the sample run, the same panels,
layouts and ballots as ``qet-geo run`` wrote, readable (pdftotext) and the layout loading
into a real print layout; a diagnostic without subjects refused with a clear message."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from qgis.core import QgsProcessingException, QgsProcessingFeedback


def _run(parameters):
    import processing

    return processing.run("qetgeo:forumpanels", parameters, feedback=QgsProcessingFeedback())


@pytest.mark.parametrize("isolate", ["0", "1"])
def test_the_panels_and_ballots_of_the_run(plugin, cli_sample_job, tmp_path, isolate, monkeypatch):
    monkeypatch.setenv("QET_GEO_ISOLATE", isolate)
    out, _ = cli_sample_job
    folder = tmp_path / "forum"
    result = _run({"DIAGNOSTIC": str(out / "diagnostic.gpkg"), "A3": True, "A0": False,
                   "LANGUAGE": "fr", "OUTPUT_FOLDER": str(folder)})  # fmt: skip
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(os.path.basename(p) for p in result["WRITTEN"].splitlines())
    # the run's A3 panels, layouts and ballots: the same names
    of_run = sorted(p.name for p in out.iterdir()
                    if p.name.startswith(("panneau_", "bulletin_vote")) and "_A0" not in p.name)  # fmt: skip
    assert written == of_run and len(written) == 6 * 3 + 2
    text = subprocess.run(["pdftotext", str(folder / "panneau_mobilite_A3.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "Se déplacer autrement qu'en voiture" in text and "pas une prévision" in text
    ballot = subprocess.run(["pdftotext", str(folder / "bulletin_vote.pdf"), "-"],
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "code : mobilite" in ballot and "code : alimentation" in ballot


def test_the_panel_layout_loads_into_a_print_layout(plugin, cli_sample_job, tmp_path):
    from qgis.core import QgsLayoutExporter, QgsPrintLayout, QgsProject, QgsReadWriteContext
    from qgis.PyQt.QtXml import QDomDocument

    out, _ = cli_sample_job
    project = QgsProject.instance()
    assert project.read(str(out / "projet.qgz"))
    try:
        names = [layout.name() for layout in project.layoutManager().layouts()]
        assert sum(name.startswith("Panneau A3 — ") for name in names) == 6
        document = QDomDocument()
        document.setContent((out / "panneau_avion_A3.qpt").read_text(encoding="utf-8"))
        layout = QgsPrintLayout(project)
        items, ok = layout.loadFromTemplate(document, QgsReadWriteContext())
        assert ok and items
        pdf = tmp_path / "avion.pdf"
        assert (
            QgsLayoutExporter(layout).exportToPdf(str(pdf), QgsLayoutExporter.PdfExportSettings())
            == 0
        )
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip
        assert "Voyager sans avion" in text
    finally:
        project.clear()


def test_a_diagnostic_without_subjects_is_refused(plugin, tmp_path, cli_sample_job):
    out, _ = cli_sample_job
    other = tmp_path / "areas.gpkg"
    shutil.copy(out / "areas.gpkg", other)
    with pytest.raises(
        QgsProcessingException, match="no forum subjects|pas de sujets du forum|not a readable"
    ):
        _run({"DIAGNOSTIC": str(other), "LANGUAGE": "fr", "OUTPUT_FOLDER": str(tmp_path / "f")})


def test_the_help_panel_shows_the_file_names_whole(plugin):
    """QGIS reads an algorithm's help as HTML: ``panneau_<subject>_A3.qpt`` must not lose
    ``<subject>`` as if it were a tag."""
    from qgis.core import QgsApplication

    algorithm = QgsApplication.processingRegistry().algorithmById("qetgeo:forumpanels")
    shown = algorithm.shortHelpString()
    assert "panneau_&lt;" in shown and "&gt;_A3.qpt" in shown and "<subject>" not in shown
