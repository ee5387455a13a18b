"""``qetgeo:assignprofiles``: place respondents in the profiles of a model file.

NEAR's "script 2": each respondent goes to the profile of the model (an answer seen when
the model was fitted keeps its profile; any other goes to the nearest centroid), with its
distance and an outlier flag beyond the 99th percentile of the fitting distances.
"""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
)

from ..plugin.i18n import tr
from ..qet_geo.errors import QetGeoError
from .base import FILE_BEHAVIOR, SOURCE_TABLE, QetGeoAlgorithm
from .detectprofiles import add_answer_fields, answer_columns
from .layers import numeric, table_of, write_with_profiles

REQUIRES = ("numpy", "pandas", "scipy", "sklearn")


class AssignProfiles(QetGeoAlgorithm):
    NAME = "assignprofiles"

    INPUT = "INPUT"
    MODEL = "MODEL"
    OUTPUT = "OUTPUT"
    ASSIGNED = "ASSIGNED"
    OUTLIERS = "OUTLIERS"

    def displayName(self) -> str:
        return tr("Assign usage profiles")

    def group(self) -> str:
        return tr("Profiles")

    def groupId(self) -> str:
        return "profiles"

    def tags(self) -> list[str]:
        return tr("profiles,Sphères d'Usages,SU,NEAR,assign,classify").split(",")

    def help_text(self) -> str:
        return tr(
            "Places each respondent in one of the profiles of a model file written by "
            "'Detect usage profiles' (NEAR's script 2), for the survey the model was fitted "
            "on or any later one with the same answers. An answer seen when the model was "
            "fitted keeps its profile; any other goes to the nearest profile. Adds the "
            "profile, its name, the distance to the profile's centre and an outlier flag "
            "(farther than 99 % of the fitting answers). A layer without the model's answers "
            "is refused with the missing fields named."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.INPUT, tr("Respondents"), types=[SOURCE_TABLE])
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.MODEL, tr("Profile model"), behavior=FILE_BEHAVIOR, extension="json"
            )
        )
        add_answer_fields(self, self.INPUT)
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Respondents with their profile"))
        )
        self.addOutput(QgsProcessingOutputNumber(self.ASSIGNED, tr("Respondents assigned")))
        self.addOutput(QgsProcessingOutputNumber(self.OUTLIERS, tr("Outliers")))

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        from ..qet_geo.profiles import ProfileModel  # scikit-learn: not at QGIS start

        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        try:
            model = ProfileModel.load(self.parameterAsFile(parameters, self.MODEL, context))
        except QetGeoError as exc:
            raise QgsProcessingException(str(exc)) from exc
        columns = answer_columns(self, parameters, context, source)
        table, features = table_of(source, columns, feedback)
        try:
            assigned = model.predict(numeric(table, columns), source=source.sourceName())
        except (QetGeoError, ValueError) as exc:
            raise QgsProcessingException(str(exc)) from exc
        output = write_with_profiles(
            self, parameters, context, feedback, source, features, assigned, self.OUTPUT
        )
        n = int(assigned["profile"].notna().sum())
        outliers = int(assigned["outlier"].fillna(False).sum())
        counts = assigned["profile"].value_counts()
        for entry in model.portraits_:
            feedback.pushInfo(
                f"  {entry['profile']}. {int(counts.get(entry['profile'], 0))}  {entry['name']}"
            )
        if n < len(assigned):
            feedback.pushWarning(
                tr("{n} respondents left out (an answer missing)").format(n=len(assigned) - n)
            )
        return {self.OUTPUT: output, self.ASSIGNED: n, self.OUTLIERS: outliers}


ALGORITHM = AssignProfiles
