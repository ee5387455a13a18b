"""GTFS feeds and the service day in the Processing algorithm (real headless QGIS): the
same reader and the same date rule as the command line (issue 12)."""

from __future__ import annotations

import shutil
import zipfile

import pytest
from plugin_testing import ROOT
from qgis.core import QgsProcessingException

SAMPLE = ROOT / "sample_data"


def _run(parameters: dict) -> dict:
    import processing

    return processing.run("qetgeo:transitaccess", parameters)


def _zipped(folder, path):
    with zipfile.ZipFile(path, "w") as archive:
        for file in folder.iterdir():
            archive.write(file, file.name)
    return path


def _parameters(gtfs, date: str) -> dict:
    return {"GTFS": str(gtfs), "AREAS": f"{SAMPLE / 'quartier.gpkg'}|layername=iris",
            "DATE": date, "GRID": 200, "OUTPUT_GRID": "TEMPORARY_OUTPUT",
            "OUTPUT_AREAS": "TEMPORARY_OUTPUT"}  # fmt: skip


def test_a_date_that_does_not_exist_names_the_parameter_and_the_format(plugin, tmp_path):
    # before: "day is out of range for month", naming neither the parameter nor the format
    with pytest.raises(QgsProcessingException) as error:
        _run(_parameters(_zipped(SAMPLE / "gtfs", tmp_path / "gtfs.zip"), "2026-02-30"))
    message = str(error.value)
    assert "2026-02-30" in message and ("YYYY-MM-DD" in message or "AAAA-MM-JJ" in message)
    assert "Service day" in message or "Jour de service" in message


def test_a_bad_feed_is_the_reader_s_error(plugin, tmp_path):
    folder = tmp_path / "gtfs"
    shutil.copytree(SAMPLE / "gtfs", folder)
    rows = (folder / "calendar.txt").read_text(encoding="utf-8").splitlines()
    rows[1] = "SEM,1,1,1,1,1,0,0,20261231,20260101"
    (folder / "calendar.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException) as error:
        _run(_parameters(_zipped(folder, tmp_path / "gtfs.zip"), ""))
    message = str(error.value)
    assert "calendar.txt" in message and "start_date" in message and "20261231" in message
