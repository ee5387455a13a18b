"""``qetgeo:computefootprints``: add the footprint of each usage to a respondents layer.

A thin shell over :func:`qet_geo.footprint.su.su_footprints`: the layer's SU answer codes
(1/2/3) become ``fp_*`` fields in kgCO2e per year (Nos Gestes Climat, pinned version), each
with its low–high range; heating is ``fp_chauffage``, outside ``fp_total``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
)

from ..plugin.i18n import tr
from ..qet_geo.errors import QetGeoError
from ..qet_geo.footprint.params import FootprintParameters
from ..qet_geo.footprint.su import HEATING, LEVELS, USAGES, model_version, su_footprints
from .base import SOURCE_TABLE, QetGeoAlgorithm, make_field

#: Python packages this algorithm needs (import names), checked before it is registered.
REQUIRES = ("numpy", "pandas")

#: (parameter, SU variable, optional)
ANSWER_FIELDS = (
    ("MEAT_FIELD", "meat_frequency", False),
    ("AIR_FIELD", "air_travel_frequency", False),
    ("MODE_FIELD", "transportation_mode", False),
    ("PURCHASES_FIELD", "purchasing_strategy", False),
    ("DIGITAL_FIELD", "digital_intensity", False),
    ("HEATING_FIELD", "heat_source", True),
)
BATCH_SIZE = 2000


def _labels() -> dict[str, str]:
    return {
        "meat_frequency": tr("Meat meals (SU code 1/2/3)"),
        "air_travel_frequency": tr("Flights a year (SU code 1/2/3)"),
        "transportation_mode": tr("Weekly transport mode (SU code 1/2/3)"),
        "purchasing_strategy": tr("Purchases (SU code 1/2/3)"),
        "digital_intensity": tr("Screen time (SU code 1/2/3)"),
        "heat_source": tr("Heating energy (SU code 1/2/3; optional)"),
    }


def output_columns(heating: bool) -> list[str]:
    usages = [*USAGES, "total", *([HEATING] if heating else [])]
    return [
        f"fp_{usage}" if level == "estimate" else f"fp_{usage}_{level}"
        for usage in usages
        for level in LEVELS
    ]


class ComputeFootprints(QetGeoAlgorithm):
    NAME = "computefootprints"

    INPUT = "INPUT"
    HEATING = "HEATING"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:
        return tr("Compute footprints per usage")

    def group(self) -> str:
        return tr("Footprints")

    def groupId(self) -> str:
        return "footprints"

    def tags(self) -> list[str]:
        return tr("carbon,footprint,kgCO2e,Nos Gestes Climat,usage,SU").split(",")

    def help_text(self) -> str:
        return tr(
            "Adds to each respondent the carbon footprint of each usage, in kgCO2e per year, "
            "following Nos Gestes Climat (the version is in the log): food, air travel, daily "
            "mobility, purchases and digital, and their total; heating apart, outside the "
            "total.\n\n"
            "Each answer of the Sphères d'Usages survey (code 1, 2 or 3) stands for a "
            "representative Nos Gestes Climat situation; the _low and _high fields give the "
            "range of the answer's band. A missing answer gives an empty footprint, never "
            "zero. The input layer is not changed."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.INPUT, tr("Respondents"), types=[SOURCE_TABLE])
        )
        labels = _labels()
        for parameter, variable, _ in ANSWER_FIELDS:
            self.addParameter(
                QgsProcessingParameterField(
                    parameter,
                    labels[variable],
                    defaultValue=variable,
                    parentLayerParameterName=self.INPUT,
                    # empty means the field named like the variable (QGIS 3.22 does not
                    # apply a field parameter's default when a script leaves it out)
                    optional=True,
                )
            )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.HEATING,
                tr("Heating footprint (outside the total)"),
                defaultValue=FootprintParameters.heating,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Respondents with footprints"))
        )

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        columns = {}
        names = source.fields().names()
        for parameter, variable, optional in ANSWER_FIELDS:
            name = self.parameterAsString(parameters, parameter, context) or variable
            if name in names:
                columns[variable] = name
            elif not optional or self.parameterAsString(parameters, parameter, context):
                raise QgsProcessingException(
                    tr("The layer has no field {field} ({variable}); its fields: {fields}").format(
                        field=repr(name), variable=variable, fields=", ".join(names)
                    )
                )
        if not self.parameterAsBoolean(parameters, self.HEATING, context):
            columns.pop("heat_source", None)
        features = list(source.getFeatures())
        answers = pd.DataFrame(
            {
                variable: pd.to_numeric(
                    pd.Series([feature[name] for feature in features], dtype=object),
                    errors="coerce",
                )
                for variable, name in columns.items()
            }
        )
        answers["source_row"] = [feature.id() for feature in features]
        try:
            footprints = su_footprints(answers, heating="heat_source" in columns)
        except QetGeoError as exc:
            raise QgsProcessingException(str(exc)) from exc
        feedback.pushInfo(
            tr("Footprints in kgCO2e per year, {model}").format(model=model_version())
        )
        new_columns = output_columns("fp_chauffage" in footprints)
        # a layer that already has fp_* fields (a second run) gets them replaced
        kept = [i for i, field in enumerate(source.fields()) if field.name() not in new_columns]
        fields = QgsFields()
        for i in kept:
            fields.append(source.fields().at(i))
        for name in new_columns:
            fields.append(make_field(name, "double"))
        sink, output_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, source.wkbType(), source.sourceCrs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        values = footprints[new_columns].to_numpy(dtype="float64").round(2).astype(object)
        values[pd.isna(footprints[new_columns]).to_numpy()] = None
        batch = []
        for position, feature in enumerate(features):
            if feedback.isCanceled():
                raise QgsProcessingException(tr("Canceled: the outputs are incomplete."))
            out = QgsFeature(fields)
            out.setGeometry(feature.geometry())
            attributes = feature.attributes()
            out.setAttributes([*(attributes[i] for i in kept), *values[position].tolist()])
            batch.append(out)
            if len(batch) == BATCH_SIZE or position == len(features) - 1:
                sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
                batch = []
                feedback.setProgress(100.0 * (position + 1) / max(len(features), 1))
        for usage in [*USAGES, "total"]:
            mean = np.nanmean(footprints[f"fp_{usage}"]) if len(footprints) else float("nan")
            feedback.pushInfo(f"  fp_{usage}: {mean:.0f}")
        return {self.OUTPUT: output_id}


ALGORITHM = ComputeFootprints
