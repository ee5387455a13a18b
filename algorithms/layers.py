"""Layers to tables and back, for the algorithms that work on respondents."""

from __future__ import annotations

import pandas as pd
from qgis.core import QgsFeature, QgsFeatureSink, QgsFields, QgsProcessingException

from ..plugin.i18n import tr
from .base import make_field
from .qgis_geo import add_rows
from .qgis_geo import field_kind as _field_kind

BATCH_SIZE = 2000


def areas_of(algorithm, parameters, polygons, context, feedback, groups=None):
    """The areas (``qet_geo.areas.Areas``) of the AREAS source, with the ID_FIELD and
    NAME_FIELD parameters, read by QGIS (see :func:`frame_of`)."""
    from ..qet_geo.areas import areas_from_frame
    from ..qet_geo.geo import crs_of

    frame = frame_of(polygons, context, feedback)
    return areas_from_frame(
        frame,
        polygons.sourceName(),
        crs=crs_of(frame),
        groups=groups,
        id_field=algorithm.parameterAsString(parameters, "ID_FIELD", context) or None,
        name_field=algorithm.parameterAsString(parameters, "NAME_FIELD", context) or None,
    )


def table_of(source, columns: dict[str, str], feedback=None) -> tuple[pd.DataFrame, list]:
    """The features of ``source`` and a DataFrame of the fields ``columns`` (name in the
    table → field name), values as QGIS gives them (NULL → NaN / None), ``source_row`` the
    feature id."""
    features = []
    for feature in source.getFeatures():
        if feedback is not None and feedback.isCanceled():
            raise QgsProcessingException(tr("Canceled: the outputs are incomplete."))
        features.append(feature)
    table = pd.DataFrame(
        {
            name: pd.Series([_plain(feature[field]) for feature in features], dtype=object)
            for name, field in columns.items()
        }
    )
    table["source_row"] = [feature.id() for feature in features]
    return table, features


def _plain(value):
    """QGIS NULL (a QVariant) as None."""
    try:
        if value is None or (hasattr(value, "isNull") and value.isNull()):
            return None
    except TypeError:
        pass
    return value


def numeric(table: pd.DataFrame, columns) -> pd.DataFrame:
    out = table.copy()
    for column in columns:
        out[column] = pd.to_numeric(out[column], errors="coerce")
    return out


#: the profile fields added to respondents: (name, kind)
PROFILE_FIELDS = (
    ("profile", "int"),
    ("profile_name", "string"),
    ("distance", "double"),
    ("outlier", "bool"),
    ("assigned_by", "string"),
)


def write_with_profiles(
    self, parameters, context, feedback, source, features, assigned: pd.DataFrame, output: str
):
    """Write ``source``'s features with the profile fields (replacing earlier ones)."""
    names = [name for name, _ in PROFILE_FIELDS]
    return write_with_columns(self, parameters, context, feedback, source, features,
                              assigned[names], output, [kind for _, kind in PROFILE_FIELDS],
                              start=50.0)  # fmt: skip


def frame_of(source, context, feedback=None, target_crs=None) -> pd.DataFrame:
    """A DataFrame of ``source``'s fields and a ``geometry`` column of shapely geometries,
    transformed by QGIS into ``target_crs`` (a QgsCoordinateReferenceSystem) when given; its
    CRS as text, set by :func:`qet_geo.geo.with_crs` (read by ``crs_of``). No geopandas or pyproj: inside QGIS their own PROJ and
    GDAL conflict with QGIS's (QGIS crashes on exit), so QGIS does the reprojection."""
    import shapely
    from qgis.core import QgsCoordinateTransform

    from ..qet_geo.geo import with_crs

    crs = source.sourceCrs()
    transform = None
    if target_crs is not None and crs.isValid() and crs != target_crs:
        transform = QgsCoordinateTransform(crs, target_crs, context.transformContext())
        crs = target_crs
    names = source.fields().names()
    rows, wkb = [], []
    for feature in source.getFeatures():
        if feedback is not None and feedback.isCanceled():
            raise QgsProcessingException(tr("Canceled: the outputs are incomplete."))
        rows.append([_plain(feature[name]) for name in names])
        geometry = feature.geometry()
        if geometry is None or geometry.isNull() or geometry.isEmpty():
            wkb.append(None)
            continue
        if transform is not None:
            geometry.transform(transform)
        wkb.append(bytes(geometry.asWkb()))
    frame = pd.DataFrame(rows, columns=names)
    frame["geometry"] = shapely.from_wkb(wkb) if wkb else []
    return with_crs(frame, (crs.authid() or crs.toWkt()) if crs.isValid() else None)


def for_sink(algorithm, parameters, name, context, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` as the sink ``name`` should hold it: its text cells safe in a spreadsheet
    when the destination is a CSV file (``qet_geo.io.spreadsheet_safe``, as every CSV the
    library writes), as it is otherwise."""
    from ..qet_geo.io import spreadsheet_safe

    destination = str(algorithm.parameterAsOutputLayer(parameters, name, context) or "")
    return spreadsheet_safe(table) if destination.split("|")[0].lower().endswith(".csv") else table


def frame_to_sink(
    algorithm, parameters, context, feedback, name, table: pd.DataFrame, wkb_type, crs
):
    """Write ``table`` to the feature sink ``name``: its ``geometry`` column (shapely) as
    geometry, the other columns as fields. Returns the sink's id."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsWkbTypes

    multi = QgsWkbTypes.isMultiType(wkb_type)
    geometry = table["geometry"].to_numpy() if "geometry" in table.columns else None
    data = table.drop(columns="geometry") if geometry is not None else table
    data = for_sink(algorithm, parameters, name, context, data)
    kinds = {column: _field_kind(data[column]) for column in data.columns}
    fields = QgsFields()
    for column, kind in kinds.items():
        fields.append(make_field(str(column), kind))
    target = QgsCoordinateReferenceSystem(crs) if crs else QgsCoordinateReferenceSystem()
    sink, sink_id = algorithm.parameterAsSink(parameters, name, context, fields, wkb_type, target)
    if sink is None:
        raise QgsProcessingException(algorithm.invalidSinkError(parameters, name))

    def check():
        if feedback.isCanceled():
            raise QgsProcessingException(tr("Canceled: the outputs are incomplete."))

    add_rows(sink, fields, data, list(kinds.values()), geometry, multi, check)
    return sink_id


def respondents_of(source, context, feedback, target_crs=None) -> pd.DataFrame:
    """The respondents of ``source`` as :func:`frame_of` reads them, without a ``geometry``
    column when no feature has a geometry (a table: respondents placed by area code)."""
    respondents = frame_of(source, context, feedback, target_crs=target_crs)
    if respondents["geometry"].isna().all():
        respondents = respondents.drop(columns="geometry")
    return respondents


def write_with_columns(
    algorithm, parameters, context, feedback, source, features, table: pd.DataFrame, output: str,
    kinds=None, start: float = 0.0,
):  # fmt: skip
    """Write ``source``'s ``features`` to the sink ``output`` with the columns of ``table``
    (one row per feature, in their order) added as fields of ``kinds`` (default: as the
    columns' types say), replacing fields of those names (a second run). The progress
    goes from ``start`` to 100. Returns the sink's id."""
    new = [str(column) for column in table.columns]
    kinds = kinds or [_field_kind(table[column]) for column in table.columns]
    kept = [i for i, field in enumerate(source.fields()) if field.name() not in new]
    fields = QgsFields()
    for i in kept:
        fields.append(source.fields().at(i))
    for name, kind in zip(new, kinds, strict=True):
        fields.append(make_field(name, kind))
    sink, output_id = algorithm.parameterAsSink(
        parameters, output, context, fields, source.wkbType(), source.sourceCrs()
    )
    if sink is None:
        raise QgsProcessingException(algorithm.invalidSinkError(parameters, output))
    from .qgis_geo import field_value

    values = table.astype(object).to_numpy()
    batch = []
    for position, feature in enumerate(features):
        if feedback.isCanceled():
            raise QgsProcessingException(tr("Canceled: the outputs are incomplete."))
        out = QgsFeature(fields)
        out.setGeometry(feature.geometry())
        attributes = feature.attributes()
        extra = [field_value(v, k) for v, k in zip(values[position], kinds, strict=True)]
        out.setAttributes([*(attributes[i] for i in kept), *extra])
        batch.append(out)
        if len(batch) == BATCH_SIZE or position == len(features) - 1:
            sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
            batch = []
            feedback.setProgress(start + (100.0 - start) * (position + 1) / max(len(features), 1))
    return output_id
