"""The library's geo backend inside QGIS: QGIS's own CRS, transformation and layer reading.

Installed into the plugin's copy of the library when the provider loads (see
``qet_geo/geo.py`` for why): no pyproj, pyogrio or geopandas is ever imported in QGIS.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
)

from ..qet_geo.geo import PlainBackend


def _crs(text: str) -> QgsCoordinateReferenceSystem:
    crs = QgsCoordinateReferenceSystem(text)
    if not crs.isValid():
        crs = QgsCoordinateReferenceSystem.fromWkt(text)
    return crs


class QgisBackend(PlainBackend):
    name = "qgis"

    def normalise_crs(self, text: str) -> str:
        crs = _crs(text)
        if not crs.isValid():
            raise ValueError(f"QGIS does not know the CRS {text!r}")
        return crs.authid() or crs.toWkt()

    def simplify_coverage(self, geometry, tolerance):
        """Left as it is inside QGIS: shapely's coverage simplification needs a newer GEOS
        than QGIS's, and simplifying polygons one by one would open gaps."""
        return geometry

    def is_geographic(self, crs: str) -> bool:
        return _crs(crs).isGeographic()

    def metres_per_unit(self, crs: str) -> float | None:
        """Metres in one map unit of the CRS; None for a geographic CRS (degrees)."""
        from qgis.core import QgsUnitTypes

        parsed = _crs(crs)
        if parsed.isGeographic():
            return None
        try:  # QGIS >= 3.30
            from qgis.core import Qgis

            metres = Qgis.DistanceUnit.Meters
        except AttributeError:  # QGIS 3.22
            metres = QgsUnitTypes.DistanceMeters
        factor = QgsUnitTypes.fromUnitToUnitFactor(parsed.mapUnits(), metres)
        return float(factor) if factor and factor > 0 else None

    def crs_wkt(self, crs: str) -> str:
        from qgis.core import QgsCoordinateReferenceSystem

        return _crs(crs).toWkt(QgsCoordinateReferenceSystem.WktVariant.WKT2_2019)

    def same_crs(self, a: str, b: str) -> bool:
        return a == b or _crs(a) == _crs(b)

    def transform(self, source: str, target: str, xs, ys):
        transform = QgsCoordinateTransform(_crs(source), _crs(target), QgsProject.instance())
        xs = np.asarray(xs, dtype=float)
        ys = np.asarray(ys, dtype=float)
        out_x = np.empty_like(xs)
        out_y = np.empty_like(ys)
        for i, (x, y) in enumerate(zip(xs.tolist(), ys.tolist(), strict=True)):
            point = transform.transform(QgsPointXY(x, y))
            out_x[i], out_y[i] = point.x(), point.y()
        return out_x, out_y

    def point_pairs(self, polygons, points):
        """The point-in-polygon test by QGIS (spatial index, then each candidate polygon's
        geometry engine): inside QGIS, shapely calls resolve partly to QGIS's older GEOS,
        and its newer predicates crash there."""
        import shapely
        from qgis.core import QgsGeometry, QgsRectangle, QgsSpatialIndex

        shapes = []
        index = QgsSpatialIndex()
        for position, wkb in enumerate(shapely.to_wkb(polygons, output_dimension=2).tolist()):
            shape = QgsGeometry()
            shape.fromWkb(wkb)
            engine = QgsGeometry.createGeometryEngine(shape.constGet())
            engine.prepareGeometry()
            shapes.append(engine)
            index.addFeature(position, shape.boundingBox())
        xs = shapely.get_x(points).tolist()
        ys = shapely.get_y(points).tolist()
        point_of, polygon_of = [], []
        for position, (x, y) in enumerate(zip(xs, ys, strict=True)):
            point = QgsGeometry.fromPointXY(QgsPointXY(x, y))
            for candidate in index.intersects(QgsRectangle(x, y, x, y)):
                if shapes[candidate].intersects(point.constGet()):
                    point_of.append(position)
                    polygon_of.append(candidate)
        return np.asarray(point_of, dtype=np.int64), np.asarray(polygon_of, dtype=np.int64)

    def list_layers(self, path):
        layer = QgsVectorLayer(str(path), "probe", "ogr")
        names = []
        for sub in layer.dataProvider().subLayers():
            # "index!!::!!name!!::!!count!!::!!geometry type!!::!!…"
            parts = sub.split(layer.dataProvider().sublayerSeparator())
            if len(parts) >= 4:
                names.append((parts[1], parts[3]))
        return names or [(layer.name(), "Unknown")]

    def layer_size(self, path, layer):
        uri = f"{path}|layername={layer}" if layer else str(path)
        vector = QgsVectorLayer(uri, "probe", "ogr")
        if not vector.isValid():
            return None
        return int(vector.featureCount()), vector.fields().count()

    def read_layer(self, path, layer):
        import shapely

        uri = f"{path}|layername={layer}" if layer else str(path)
        vector = QgsVectorLayer(uri, "survey", "ogr")
        if not vector.isValid():
            raise ValueError(f"QGIS cannot open {uri}")
        names = vector.fields().names()
        rows, ids, wkb = [], [], []
        for feature in vector.getFeatures():
            values = []
            for name in names:
                value = feature[name]
                values.append(
                    None
                    if value is None or (hasattr(value, "isNull") and value.isNull())
                    else value
                )
            rows.append(values)
            ids.append(feature.id())
            geometry = feature.geometry()
            wkb.append(None if geometry is None or geometry.isNull() else bytes(geometry.asWkb()))
        attributes = pd.DataFrame(rows, columns=names, index=pd.Index(ids, dtype="int64"))
        spatial = vector.isSpatial()
        geometry = np.asarray(shapely.from_wkb(wkb), dtype=object) if spatial else None
        crs = vector.crs()
        crs_text = (crs.authid() or crs.toWkt()) if spatial and crs.isValid() else None
        return attributes, geometry, crs_text, vector.dataProvider().storageType() or "layer"
