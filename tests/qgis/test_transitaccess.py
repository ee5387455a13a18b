"""``qetgeo:transitaccess`` on the sample GTFS in a real headless QGIS, held to the command
line (which computes with pyproj where the plugin uses QGIS)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
from plugin_testing import ROOT
from qgis.core import QgsVectorLayer

SAMPLE = ROOT / "sample_data"
ALGORITHM = "qetgeo:transitaccess"


def _run(parameters: dict) -> dict:
    import processing

    return processing.run(ALGORITHM, parameters)


@pytest.fixture
def feed_zip(tmp_path):
    path = tmp_path / "gtfs.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for file in (SAMPLE / "gtfs").iterdir():
            archive.write(file, file.name)
    return path


def test_sample_ptal_same_as_the_command_line(plugin, tmp_path, feed_zip):
    grid, areas = tmp_path / "grid.gpkg", tmp_path / "areas.gpkg"
    result = _run(
        {
            "GTFS": str(feed_zip),
            "AREAS": f"{SAMPLE / 'quartier.gpkg'}|layername=iris",
            "DATE": "2026-03-10",
            "OUTPUT_GRID": str(grid),
            "OUTPUT_AREAS": str(areas),
        }
    )
    grid_layer = QgsVectorLayer(str(grid), "grid", "ogr")
    area_layer = QgsVectorLayer(str(areas), "areas", "ogr")
    assert grid_layer.isValid() and area_layer.isValid()
    assert grid_layer.featureCount() == result["GRID_POINTS"] > 500
    assert grid_layer.crs().authid() == "EPSG:2154" and area_layer.featureCount() == 12
    bands = {f["band"] for f in grid_layer.getFeatures()}
    assert bands <= {"0", "1a", "1b", "2", "3", "4", "5", "6a", "6b"}
    cli = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "transit", "ptal", str(SAMPLE / "gtfs"), "--areas",
         str(SAMPLE / "quartier.gpkg"), "--areas-layer", "iris", "--date", "2026-03-10", "-o",
         str(tmp_path / "cli.gpkg"), "--json"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    expected = {row["area_id"]: row for row in json.loads(cli.stdout)["areas_table"]}
    for feature in area_layer.getFeatures():
        row = expected[feature["area_id"]]
        assert feature["grid_points"] == row["grid_points"]
        assert feature["ai_mean"] == pytest.approx(row["ai_mean"], abs=1e-3)
        assert feature["band_of_mean"] == row["band_of_mean"]


def test_areas_in_degrees_are_measured_in_metres(plugin, tmp_path, feed_zip):
    """Areas in degrees were refused; they are now measured in their UTM zone (issue 12,
    tests/qgis/test_ptal_modes_qgis.py holds the figures) and given back in degrees."""
    wgs84 = tmp_path / "iris_wgs84.gpkg"
    import processing

    processing.run("native:reprojectlayer", {"INPUT": f"{SAMPLE / 'quartier.gpkg'}|layername=iris",
                                             "TARGET_CRS": "EPSG:4326", "OUTPUT": str(wgs84)})  # fmt: skip
    areas = tmp_path / "areas.gpkg"
    result = _run({"GTFS": str(feed_zip), "AREAS": str(wgs84), "DATE": "2026-03-10",
                   "OUTPUT_GRID": "TEMPORARY_OUTPUT", "OUTPUT_AREAS": str(areas)})  # fmt: skip
    assert result["GRID_POINTS"] > 500
    layer = QgsVectorLayer(str(areas), "areas", "ogr")
    assert layer.crs().authid() == "EPSG:4326" and layer.featureCount() == 12


MAKE_LAYERS = """
import sys, numpy as np, geopandas as gpd, shapely
folder = sys.argv[1]
iris = gpd.read_file(sys.argv[2], layer="iris")
x0, y0, x1, y1 = iris.total_bounds
lines = [shapely.LineString([(x, y0), (x, y1)]) for x in np.arange(x0, x1, 150)]
lines += [shapely.LineString([(x0, y), (x1, y)]) for y in np.arange(y0, y1, 150)]
gpd.GeoDataFrame(geometry=shapely.get_parts(shapely.union_all(lines)), crs=iris.crs).to_file(folder + "/streets.gpkg")
squares = [shapely.box(x, y, x + 200, y + 200) for x in np.arange(x0, x1, 200) for y in np.arange(y0, y1, 200)]
pop = np.arange(len(squares)) % 7 * 10
gpd.GeoDataFrame({"pop": pop}, geometry=squares, crs=iris.crs).to_file(folder + "/pop.gpkg")
"""


def test_streets_and_population_same_as_the_command_line(plugin, tmp_path, feed_zip):
    subprocess.run(
        [sys.executable, "-c", MAKE_LAYERS, str(tmp_path), str(SAMPLE / "quartier.gpkg")],
        check=True,
    )
    areas = tmp_path / "areas.gpkg"
    _run(
        {
            "GTFS": str(feed_zip),
            "AREAS": f"{SAMPLE / 'quartier.gpkg'}|layername=iris",
            "DATE": "2026-03-10",
            "STREETS": str(tmp_path / "streets.gpkg"),
            "POPULATION": str(tmp_path / "pop.gpkg"),
            "POPULATION_FIELD": "pop",
            "OUTPUT_GRID": "TEMPORARY_OUTPUT",
            "OUTPUT_AREAS": str(areas),
        }
    )
    cli = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "transit", "ptal", str(SAMPLE / "gtfs"), "--areas",
         str(SAMPLE / "quartier.gpkg"), "--areas-layer", "iris", "--date", "2026-03-10",
         "--streets", str(tmp_path / "streets.gpkg"), "--population", str(tmp_path / "pop.gpkg"),
         "--population-field", "pop", "-o", str(tmp_path / "cli.gpkg"), "--json"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    expected = {row["area_id"]: row for row in json.loads(cli.stdout)["areas_table"]}
    for feature in QgsVectorLayer(str(areas), "a", "ogr").getFeatures():
        row = expected[feature["area_id"]]
        assert feature["ai_mean"] == pytest.approx(row["ai_mean"], abs=1e-3)
        assert feature["ai_mean_population"] == pytest.approx(row["ai_mean_population"], abs=1e-3)
