"""Layers without a CRS given to the Processing algorithms (issue 13, one CRS rule): the
library's ``crs_of`` refuses them by name instead of taking their coordinates as the areas'
(a population layer without a CRS once weighted the areas as if it were in Lambert-93)."""

from __future__ import annotations

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsVectorLayer,
)
from test_transitaccess import SAMPLE, _run, feed_zip  # noqa: F401 - a fixture


def _without_crs(kind: str, name: str, wkt: str) -> QgsVectorLayer:
    """A memory layer of one feature whose CRS is not set (as a Shapefile without .prj)."""
    layer = QgsVectorLayer(f"{kind}?field=pop:double", name, "memory")
    layer.setCrs(QgsCoordinateReferenceSystem())  # a memory layer's default is EPSG:4326
    assert layer.isValid() and not layer.crs().isValid()
    feature = QgsFeature(layer.fields())
    feature.setAttributes([250.0])
    feature.setGeometry(QgsGeometry.fromWkt(wkt))
    assert layer.dataProvider().addFeatures([feature])[0]
    return layer


@pytest.mark.parametrize(
    ("parameter", "kind", "wkt"),
    [
        ("POPULATION", "Point", "POINT(652200 6862300)"),
        ("STREETS", "LineString", "LINESTRING(652000 6862000, 652500 6862500)"),
    ],
)
def test_a_layer_without_crs_is_refused_by_name(plugin, tmp_path, feed_zip, parameter, kind, wkt):  # noqa: F811
    layer = _without_crs(kind, f"sans_crs_{parameter.lower()}", wkt)
    parameters = {
        "GTFS": str(feed_zip),
        "AREAS": f"{SAMPLE / 'quartier.gpkg'}|layername=iris",
        "DATE": "2026-03-10",
        parameter: layer,
        "OUTPUT_GRID": "TEMPORARY_OUTPUT",
        "OUTPUT_AREAS": str(tmp_path / "areas.gpkg"),
    }
    if parameter == "POPULATION":
        parameters["POPULATION_FIELD"] = "pop"
    with pytest.raises(QgsProcessingException) as error:
        _run(parameters)
    text = str(error.value)
    assert f"sans_crs_{parameter.lower()}" in text, text
    assert "coordinate reference system" in text or "système de coordonnées" in text, text
    assert not (tmp_path / "areas.gpkg").exists()
