"""``qetgeo:assignprofiles``: place respondents in the profiles of a model file.

NEAR's "script 2": each respondent goes to the profile of the model (an answer seen when
the model was fitted keeps its profile; any other goes to the nearest centroid), with its
distance and an outlier flag beyond the 99th percentile of the fitting distances.
"""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
)

from ..plugin.i18n import tr
from .base import FILE_BEHAVIOR, SOURCE_TABLE, QetGeoAlgorithm
from .detectprofiles import add_answer_fields, answers_of
from .layers import write_with_profiles

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
        # scikit-learn (ProfileModel's base) takes seconds to import: not at QGIS start
        from ..qet_geo.profiles import (
            ProfileModel,
            assignment_lines,
            assignment_summary,
            assignment_warnings,
        )

        p = self.read(parameters, context)
        model = ProfileModel.load(p.model)
        respondents, features = answers_of(self, p, feedback)
        assigned = model.predict(respondents, source=p.input.sourceName())
        output = write_with_profiles(
            self, parameters, context, feedback, p.input, features, assigned, self.OUTPUT
        )
        summary = assignment_summary(model, assigned)
        self.report(feedback, assignment_lines(model, assigned), assignment_warnings(assigned))
        return {self.OUTPUT: output, self.ASSIGNED: summary["assigned"],
                self.OUTLIERS: summary["outliers"]}  # fmt: skip


ALGORITHM = AssignProfiles
