"""``qetgeo:computefootprints``: add the footprint of each usage to a respondents layer.

A thin shell over :func:`qet_geo.footprint.su.su_footprints`: the layer's SU answer codes
(1/2/3) become ``fp_*`` fields in kgCO2e per year (Nos Gestes Climat, pinned version), each
with its low–high range; heating is ``fp_chauffage``, outside ``fp_total``.
"""

from __future__ import annotations

from qgis.core import (
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
)

from ..plugin.i18n import tr
from ..qet_geo.footprint.files import footprint_columns, footprint_lines
from ..qet_geo.footprint.params import FootprintParameters
from ..qet_geo.footprint.su import HEATING, su_footprints
from ..qet_geo.survey.fields import answer_fields
from .base import SOURCE_TABLE, QetGeoAlgorithm
from .layers import numeric, table_of, write_with_columns

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


def _labels() -> dict[str, str]:
    return {
        "meat_frequency": tr("Meat meals (SU code 1/2/3)"),
        "air_travel_frequency": tr("Flights a year (SU code 1/2/3)"),
        "transportation_mode": tr("Weekly transport mode (SU code 1/2/3)"),
        "purchasing_strategy": tr("Purchases (SU code 1/2/3)"),
        "digital_intensity": tr("Screen time (SU code 1/2/3)"),
        "heat_source": tr("Heating energy (SU code 1/2/3; optional)"),
    }


class ComputeFootprints(QetGeoAlgorithm):
    NAME = "computefootprints"

    INPUT = "INPUT"
    HEATING = "HEATING"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:
        return tr("Compute footprints per usage")

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
        p = self.read(parameters, context)
        columns = answer_fields(
            p.input.fields().names(), [variable for _, variable, _ in ANSWER_FIELDS],
            {variable: p[name.lower()] for name, variable, _ in ANSWER_FIELDS},
            optional=[variable for _, variable, optional in ANSWER_FIELDS if optional],
        )  # fmt: skip
        if not p.heating:
            columns.pop("heat_source", None)
        table, features = table_of(p.input, columns, feedback)
        footprints = su_footprints(numeric(table, columns), heating="heat_source" in columns)
        added = footprints[footprint_columns(f"fp_{HEATING}" in footprints)].round(2)
        output = write_with_columns(
            self, parameters, context, feedback, p.input, features, added, self.OUTPUT
        )
        self.report(feedback, footprint_lines(footprints))
        return {self.OUTPUT: output}


ALGORITHM = ComputeFootprints
