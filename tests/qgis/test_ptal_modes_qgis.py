"""``qetgeo:transitaccess`` in a real headless QGIS on TfL's worked example (fig. 2.15):
the modes kept apart, the route type parameter, and areas in US feet measured in metres
by QGIS's own reprojection (issue 12). The feed and the areas are written by the unit
test's helpers (tests/unit/test_ptal_modes.py) in a subprocess: pyproj and geopandas stay
out of the QGIS process."""

from __future__ import annotations

import subprocess
import sys

import pytest
from plugin_testing import ROOT
from qgis.core import QgsProcessingException, QgsVectorLayer

ALGORITHM = "qetgeo:transitaccess"
MAKE = """
import sys
sys.path.insert(0, sys.argv[2])
from pathlib import Path
import geopandas as gpd
import test_ptal_modes as t
folder = Path(sys.argv[1])
import zipfile
feed = t.write_tfl_feed(folder / "gtfs", "new_york", extra_routes=[("X1", 99, 12)])
with zipfile.ZipFile(folder / "gtfs.zip", "w") as archive:
    for file in feed.iterdir():
        archive.write(file, file.name)
frame, crs = t.tfl_areas("new_york", "EPSG:2263")
gpd.GeoDataFrame(frame, geometry="geometry", crs=crs).to_file(folder / "feet.gpkg", layer="zones")
"""


@pytest.fixture
def tfl(tmp_path):
    subprocess.run([sys.executable, "-c", MAKE, str(tmp_path), str(ROOT / "tests" / "unit")],
                   check=True, cwd=ROOT)  # fmt: skip
    return tmp_path


def _poi(path) -> dict:
    layer = QgsVectorLayer(str(path), "areas", "ogr")
    assert layer.isValid() and layer.crs().authid() == "EPSG:2263"
    return {f["area_id"]: f for f in layer.getFeatures()}["poi"]


def _run(tfl, **extra) -> tuple[dict, object]:
    import processing

    areas = tfl / f"out{len(list(tfl.glob('out*.gpkg')))}.gpkg"
    result = processing.run(ALGORITHM, {
        "GTFS": str(tfl / "gtfs.zip"), "AREAS": f"{tfl / 'feet.gpkg'}|layername=zones",
        "ID_FIELD": "code", "DATE": "2026-03-10", "OUTPUT_GRID": "TEMPORARY_OUTPUT",
        "OUTPUT_AREAS": str(areas), **extra,
    })  # fmt: skip
    return result, _poi(areas)


def test_tfl_example_in_feet_gives_15_16_band_4(plugin, tfl):
    result, poi = _run(tfl)
    assert result["GRID_POINTS"] == 101  # 100 m, not 100 ft
    assert poi["ai_mean"] == pytest.approx(15.16, abs=0.01) and poi["band_of_mean"] == "4"


def test_route_types_parameter(plugin, tfl):
    _, merged = _run(tfl, ROUTE_TYPES="1=rail")  # metro counted as rail: TfL's modes merged
    assert merged["ai_mean"] == pytest.approx(14.48, abs=0.01) and merged["band_of_mean"] == "3"
    _, mapped = _run(tfl, ROUTE_TYPES="99=bus")  # the unknown route type given a mode
    assert mapped["ai_mean"] > 16
    with pytest.raises(QgsProcessingException, match="ROUTE_TYPES"):
        _run(tfl, ROUTE_TYPES="99=boat")
    with pytest.raises(QgsProcessingException, match="WALK_SPEED"):
        _run(tfl, WALK_SPEED=1e9)
