"""The library's geo backend inside QGIS: QGIS's own CRS, transformation, layer reading and
GeoPackage writing.

Every algorithm runs inside ``geo.using(QgisBackend())`` (``base.QetGeoAlgorithm``; see
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
        # what the provider says, asked first: a layer read in a task's thread may see its
        # provider replaced when the file changes under it (another table written)
        storage = vector.dataProvider().storageType() or "layer"
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
        return attributes, geometry, crs_text, storage

    def write_layer(self, table, path, layer, metadata=None):
        """The library's GeoPackage writes by QGIS's own writer (GDAL as QGIS links it):
        GeoPackage 1.2 when the file is new, else the layer added or replaced; fields and
        geometry type as pyogrio gives them (see ``qet_geo.geo.PyprojBackend.write_layer``)."""
        from pathlib import Path

        from qgis.core import QgsFields, QgsVectorFileWriter

        from ..qet_geo.geo import crs_of
        from ..qet_geo.io import GPKG_VERSION
        from .base import make_field

        name = getattr(getattr(table, "geometry", None), "name", None)
        spatial = name is not None and name in table.columns
        geometry = np.asarray(table[name].to_numpy(), dtype=object) if spatial else None
        data = pd.DataFrame(table.drop(columns=name) if spatial else table)
        kinds = {str(column): field_kind(data[column], widths=True) for column in data.columns}
        fields = QgsFields()
        for column, kind in kinds.items():
            fields.append(make_field(column, kind))
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = layer
        options.fileEncoding = "UTF-8"
        if Path(path).exists():
            options.actionOnExistingFile = (
                QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
            )
        else:
            options.datasourceOptions = [f"VERSION={GPKG_VERSION}"]
        crs = crs_of(table, layer) if spatial else None  # geometry without a CRS: refused
        writer = QgsVectorFileWriter.create(
            str(path),
            fields,
            _geometry_type(geometry),
            _crs(crs) if crs else QgsCoordinateReferenceSystem(),
            QgsProject.instance().transformContext(),
            options,
        )
        if writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
            message = writer.errorMessage()
            del writer
            raise OSError(f"{path} [{layer}]: {message}")
        multi = spatial and _geometry_name(geometry).startswith("Multi")
        add_rows(writer, fields, data, list(kinds.values()), geometry, multi)
        failed = writer.hasError() != QgsVectorFileWriter.WriterError.NoError
        message = writer.errorMessage()
        del writer  # closes the file
        if failed:
            raise OSError(f"{path} [{layer}]: {message}")
        if metadata:
            _add_metadata(path, layer, metadata)


def add_rows(sink, fields, data: pd.DataFrame, kinds: list, geometry, multi: bool, check=None):
    """Add the rows of ``data`` (fields of ``kinds``) and their shapely ``geometry`` (or
    None) to a QGIS feature sink (a file writer or a Processing sink), in batches; ``check``
    is called before each row (to stop on Cancel)."""
    from qgis.core import QgsFeature, QgsFeatureSink, QgsGeometry

    wkb = _wkb(np.asarray(geometry, dtype=object)) if geometry is not None else None
    values = data.astype(object).to_numpy()
    batch = []
    for position in range(len(data)):
        if check is not None:
            check()
        feature = QgsFeature(fields)
        feature.setAttributes(
            [field_value(v, k) for v, k in zip(values[position], kinds, strict=True)]
        )
        if wkb is not None and wkb[position] is not None:
            shape = QgsGeometry()
            shape.fromWkb(wkb[position])
            if multi:
                shape.convertToMultiType()
            feature.setGeometry(shape)
        batch.append(feature)
        if len(batch) == 2000:
            sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
            batch = []
    if batch:
        sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)


def field_kind(series: pd.Series, widths: bool = False) -> str:
    """The field kind (``make_field``) of a column; with ``widths``, as pyogrio gives it
    (32-bit integers as "int", others as "int64")."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        small = np.dtype(getattr(dtype, "numpy_dtype", dtype)).itemsize < 8
        return "int" if widths and small else "int64"
    if pd.api.types.is_float_dtype(dtype):
        return "double"
    return "string"


def field_value(value, kind):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return {"bool": bool, "int64": int, "int": int, "double": float}.get(kind, str)(value)


#: shapely's geometry type ids → names
_TYPE_NAMES = {0: "Point", 1: "LineString", 2: "LineString", 3: "Polygon", 4: "MultiPoint",
               5: "MultiLineString", 6: "MultiPolygon", 7: "GeometryCollection"}  # fmt: skip


def _geometry_name(geometry) -> str:
    """The layer's geometry type as pyogrio chooses it: the one type of the geometries,
    single and multi parts of one kind promoted to multi, else Unknown."""
    import shapely

    if geometry is None:
        return "NoGeometry"
    present = geometry[~pd.isna(geometry)]
    names = {_TYPE_NAMES.get(int(t), "Unknown") for t in shapely.get_type_id(present).tolist()}
    if len(names) == 1:
        return names.pop()
    kinds = {n.replace("Multi", "") for n in names}
    return f"Multi{kinds.pop()}" if len(kinds) == 1 else "Unknown"


def _geometry_type(geometry):
    from qgis.core import QgsWkbTypes

    return QgsWkbTypes.parseType(_geometry_name(geometry))


def _wkb(geometry) -> list:
    import shapely

    out = [None] * len(geometry)
    present = ~pd.isna(geometry)
    for position, blob in zip(
        np.flatnonzero(present).tolist(),
        shapely.to_wkb(geometry[present], output_dimension=2).tolist(),
        strict=True,
    ):
        out[position] = blob
    return out


def _add_metadata(path, layer: str, metadata: dict) -> None:
    """The layer's metadata items in ``gpkg_metadata`` as GDAL writes them (pyogrio's
    ``layer_metadata``), which :mod:`qet_geo.privacy` reads back."""
    import sqlite3
    from contextlib import closing
    from xml.sax.saxutils import escape, quoteattr

    items = "".join(
        f"    <MDI key={quoteattr(str(k))}>{escape(str(v))}</MDI>\n" for k, v in metadata.items()
    )
    xml = f"<GDALMultiDomainMetadata>\n  <Metadata>\n{items}  </Metadata>\n</GDALMultiDomainMetadata>\n"
    uri = "http://www.geopackage.org/spec120/#extension_metadata"
    with closing(sqlite3.connect(str(path))) as db, db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY "
            "ASC NOT NULL,md_scope TEXT NOT NULL DEFAULT 'dataset',md_standard_uri TEXT NOT "
            "NULL,mime_type TEXT NOT NULL DEFAULT 'text/xml',metadata TEXT NOT NULL DEFAULT '')"
        )
        db.execute(
            "CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (reference_scope TEXT NOT "
            "NULL,table_name TEXT,column_name TEXT,row_id_value INTEGER,timestamp DATETIME NOT "
            "NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),md_file_id INTEGER NOT NULL,"
            "md_parent_id INTEGER,CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES "
            "gpkg_metadata(id),CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES "
            "gpkg_metadata(id))"
        )
        db.execute(
            "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT,column_name TEXT,"
            "extension_name TEXT NOT NULL,definition TEXT NOT NULL,scope TEXT NOT NULL,"
            "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))"
        )
        for table in ("gpkg_metadata", "gpkg_metadata_reference"):
            known = db.execute(
                "SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND extension_name = "
                "'gpkg_metadata'",
                (table,),
            ).fetchone()
            if not known:
                db.execute(
                    "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, "
                    "definition, scope) VALUES (?, NULL, 'gpkg_metadata', ?, 'read-write')",
                    (table, uri),
                )
        cursor = db.execute(
            "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) "
            "VALUES ('dataset', 'http://gdal.org', 'text/xml', ?)",
            (xml,),
        )
        db.execute(
            "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, md_file_id) "
            "VALUES ('table', ?, ?)",
            (layer, cursor.lastrowid),
        )
