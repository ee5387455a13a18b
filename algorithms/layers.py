"""Layers to tables and back, for the algorithms that work on respondents."""

from __future__ import annotations

import pandas as pd
from qgis.core import QgsFeature, QgsFeatureSink, QgsFields, QgsProcessingException

from ..plugin.i18n import tr
from .base import make_field

BATCH_SIZE = 2000


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
    kept = [i for i, field in enumerate(source.fields()) if field.name() not in names]
    fields = QgsFields()
    for i in kept:
        fields.append(source.fields().at(i))
    for name, kind in PROFILE_FIELDS:
        fields.append(make_field(name, kind))
    sink, output_id = self.parameterAsSink(
        parameters, output, context, fields, source.wkbType(), source.sourceCrs()
    )
    if sink is None:
        raise QgsProcessingException(self.invalidSinkError(parameters, output))
    rows = assigned[names].astype(object).where(assigned[names].notna(), None)
    values = rows.to_numpy()
    batch = []
    for position, feature in enumerate(features):
        if feedback.isCanceled():
            raise QgsProcessingException(tr("Canceled: the outputs are incomplete."))
        out = QgsFeature(fields)
        out.setGeometry(feature.geometry())
        attributes = feature.attributes()
        extra = [
            None if v is None else int(v) if n == "profile" else float(v) if n == "distance"
            else bool(v) if n == "outlier" else str(v)
            for n, v in zip(names, values[position], strict=True)
        ]  # fmt: skip
        out.setAttributes([*(attributes[i] for i in kept), *extra])
        batch.append(out)
        if len(batch) == BATCH_SIZE or position == len(features) - 1:
            sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
            batch = []
            feedback.setProgress(50 + 50.0 * (position + 1) / max(len(features), 1))
    return output_id
