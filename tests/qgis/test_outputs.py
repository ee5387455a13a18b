"""Files written by the command line open cleanly in QGIS 3.22, the oldest QGIS supported."""

from __future__ import annotations

import subprocess
import sys

import pytest
from plugin_testing import ROOT
from qgis.core import QgsVectorLayer

GDAL_VERSION_WARNING = "may only be partially supported"


def _open(path: str, layer: str) -> QgsVectorLayer:
    vector = QgsVectorLayer(f"{path}|layername={layer}", layer, "ogr")
    assert vector.isValid(), path
    return vector


@pytest.mark.parametrize("suffix", [".gpkg", ".csv"])
def test_command_line_output_opens_in_qgis_without_warnings(tmp_path, capfd, suffix):
    output = tmp_path / f"respondents{suffix}"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "qet_geo.cli",
            "--lang",
            "en",
            "survey",
            "import",
            str(ROOT / "sample_data" / "survey_su.tsv"),
            "-o",
            str(output),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    capfd.readouterr()
    if suffix == ".gpkg":
        layer = _open(str(output), "respondents")
        assert layer.crs().authid() == "EPSG:4326"
        assert layer.featureCount() == 593
        assert layer.fields().field("meat_frequency").typeName().lower().startswith("int")
    else:  # a CSV read by QGIS's delimited text provider, points from longitude/latitude
        uri = (
            f"file://{output}?type=csv&delimiter=,&xField=longitude&yField=latitude"
            "&crs=EPSG:4326&detectTypes=yes"
        )
        layer = QgsVectorLayer(uri, "respondents", "delimitedtext")
        assert layer.isValid() and layer.featureCount() == 593
        assert layer.fields().field("respondent_id") is not None
    assert GDAL_VERSION_WARNING not in capfd.readouterr().err


def test_the_warning_check_can_fail(tmp_path, capfd):
    """A GeoPackage as recent GDAL writes it by default (1.4) does warn in QGIS 3.22."""
    import geopandas as gpd
    import shapely

    path = tmp_path / "v14.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(2, 48)], crs=4326).to_file(
        path, layer="v14"
    )
    capfd.readouterr()
    _open(str(path), "v14")
    assert GDAL_VERSION_WARNING in capfd.readouterr().err
