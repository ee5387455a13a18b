"""``qetgeo:detectprofiles``: find the usage profiles (Sphères d'Usages) of respondents.

A thin shell over :class:`qet_geo.profiles.ProfileModel`: the respondents' SU answer codes
(the fields ``qetgeo:importsurvey`` writes) give the profiles; outputs are the model file
(for ``qetgeo:assignprofiles`` and later surveys), the respondents with their profile, an
HTML report (portraits, choice of k, stability, dendrogram) and a CSV of the profiles.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..plugin.i18n import tr
from ..qet_geo.errors import QetGeoError
from ..qet_geo.i18n import language as messages_language
from ..qet_geo.i18n import tr as library_tr
from ..qet_geo.parameters import choices
from ..qet_geo.profiles.encoding import SU_VARIABLES
from ..qet_geo.profiles.params import WEIGHT_PRESET_NAMES, ProfileParameterError, ProfileParameters
from ..qet_geo.profiles.report import write_report
from .base import (
    NUMBER_DOUBLE,
    NUMBER_INTEGER,
    SOURCE_TABLE,
    QetGeoAlgorithm,
    add_language_parameter,
    add_threshold_parameters,
    advanced,
    check_files,
    choice_parameter,
    enum_string,
)
from .layers import numeric, table_of, write_with_profiles

#: Python packages this algorithm needs (import names), checked before it is registered.
REQUIRES = ("numpy", "pandas", "scipy", "sklearn", "kmodes", "matplotlib")
#: the defaults of the parameters
DEFAULTS = ProfileParameters()


def parse_pairs(text: str, what: str) -> dict:
    """'1=Name;2=Other' → {1: 'Name', 2: 'Other'}."""
    out = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        number, sep, value = part.partition("=")
        if not sep or not number.strip().isdigit():
            raise QgsProcessingException(
                tr("{what}: expected profile=value pairs separated by ';', got {part}").format(
                    what=what, part=repr(part)
                )
            )
        if int(number) in out:
            raise QgsProcessingException(
                library_tr(
                    "{option}: profile {number} is given twice", option=what, number=int(number)
                )
            )
        out[int(number)] = value.strip()
    return out


def answer_columns(algorithm, parameters, context, source) -> dict[str, str]:
    """Variable → field of the layer (fields named like the variables by default)."""
    names = source.fields().names()
    columns = {}
    for variable in SU_VARIABLES:
        field = algorithm.parameterAsString(parameters, f"FIELD_{variable}", context) or variable
        if field not in names:
            raise QgsProcessingException(
                tr("The layer has no field {field} ({variable}); its fields: {fields}").format(
                    field=repr(field), variable=variable, fields=", ".join(names)
                )
            )
        columns[variable] = field
    return columns


def add_answer_fields(algorithm, parent: str) -> None:
    for variable in SU_VARIABLES:
        algorithm.addParameter(
            advanced(
                QgsProcessingParameterField(
                    f"FIELD_{variable}",
                    tr("Field of {variable} (default: the field of that name)").format(
                        variable=variable
                    ),
                    defaultValue=variable,
                    parentLayerParameterName=parent,
                    optional=True,
                )
            )
        )


class DetectProfiles(QetGeoAlgorithm):
    NAME = "detectprofiles"

    INPUT = "INPUT"
    METHOD = "METHOD"
    WEIGHTS = "WEIGHTS"
    MIN_SHARE = "MIN_SHARE"
    MAX_SHARE = "MAX_SHARE"
    MIN_COUNT = "MIN_COUNT"
    TARGET_COUNT = "TARGET_COUNT"
    K = "K"
    K_MIN = "K_MIN"
    K_MAX = "K_MAX"
    SEED = "SEED"
    BOOTSTRAP = "BOOTSTRAP"
    WEIGHT_FIELD = "WEIGHT_FIELD"
    NAMES = "NAMES"
    COLOURS = "COLOURS"
    OUTPUT_MODEL = "OUTPUT_MODEL"
    OUTPUT = "OUTPUT"
    OUTPUT_REPORT = "OUTPUT_REPORT"
    OUTPUT_TABLE = "OUTPUT_TABLE"
    LANGUAGE = "LANGUAGE"
    PROFILES = "PROFILES"

    def displayName(self) -> str:
        return tr("Detect usage profiles")

    def group(self) -> str:
        return tr("Profiles")

    def groupId(self) -> str:
        return "profiles"

    def tags(self) -> list[str]:
        return tr("profiles,Sphères d'Usages,SU,NEAR,clustering,k-means,typology").split(",")

    def help_text(self) -> str:
        return tr(
            "Finds the groups of respondents who share carbon habits (usage profiles) from "
            "their six Sphères d'Usages answers (codes 1/2/3).\n\n"
            "Method 'near' reproduces NEAR's detection (weights 'current' or '2023'): merge "
            "the closest profiles while there are more than the minimum count, the smallest "
            "is under the minimum share and the largest under the maximum share; or until the "
            "target count remains. Tied merges are joined, and identical answers grouped first "
            "(same result, any number of respondents). Other methods (k-means, k-modes, "
            "k-prototypes, Ward, Gaussian mixture) need k; k = 0 chooses it in the range by "
            "silhouette, Calinski–Harabasz and Davies–Bouldin.\n\n"
            "Profiles are numbered by decreasing size (the NEAR order is kept in the model); "
            "stability is measured by bootstrap. Outputs: the model file (for 'Assign usage "
            "profiles'), the respondents with their profile, an HTML report with portraits, "
            "warnings and dendrogram, and a CSV of the profiles. Respondent weights (a weight "
            "field) are honoured. The input layer is not changed."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.INPUT, tr("Respondents"), types=[SOURCE_TABLE])
        )
        self.addParameter(
            choice_parameter(
                self.METHOD,
                tr("Method"),
                choices(ProfileParameters, "method"),
                default=DEFAULTS.method,
            )  # fmt: skip
        )
        self.addParameter(
            choice_parameter(
                self.WEIGHTS, tr("NEAR weights"), WEIGHT_PRESET_NAMES, default=DEFAULTS.weights
            )  # fmt: skip
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MIN_SHARE,
                tr("near: minimum share"),
                NUMBER_DOUBLE,
                DEFAULTS.min_share,
                False,
                0.0,
                1.0,
            )  # fmt: skip
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MAX_SHARE,
                tr("near: maximum share"),
                NUMBER_DOUBLE,
                DEFAULTS.max_share,
                False,
                0.0,
                1.0,
            )  # fmt: skip
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MIN_COUNT,
                tr("near: minimum number of profiles"),
                NUMBER_INTEGER,
                DEFAULTS.min_count,
                False,
                1,
            )  # fmt: skip
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.TARGET_COUNT,
                tr("near: target number of profiles (0: NEAR's rule)"),
                NUMBER_INTEGER,
                0,
                False,
                0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.K,
                tr("Other methods: number of profiles k (0: choose)"),
                NUMBER_INTEGER,
                0,
                False,
                0,
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterNumber(
                    self.K_MIN,
                    tr("Smallest k tried"),
                    NUMBER_INTEGER,
                    DEFAULTS.k_range[0],
                    False,
                    2,
                )
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterNumber(
                    self.K_MAX, tr("Largest k tried"), NUMBER_INTEGER, DEFAULTS.k_range[1], False, 2
                )
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterNumber(
                    self.SEED, tr("Random seed"), NUMBER_INTEGER, DEFAULTS.seed
                )
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.BOOTSTRAP,
                tr("Bootstrap resamples for stability (0: none)"),
                NUMBER_INTEGER,
                DEFAULTS.bootstrap,
                False,
                0,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.WEIGHT_FIELD,
                tr("Respondent weight field (default: 'weight' if present, else 1)"),
                parentLayerParameterName=self.INPUT,
                optional=True,
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterString(
                    self.NAMES, tr("Profile names, e.g. 1=Name;2=Other"), optional=True
                )
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterString(
                    self.COLOURS, tr("Profile colours, e.g. 1=#332288;2=#88CCEE"), optional=True
                )
            )
        )
        add_answer_fields(self, self.INPUT)
        add_threshold_parameters(self)  # profiles under MIN_CELL are published grouped
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_MODEL, tr("Profile model"), tr("Profile model (*.json)")
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Respondents with their profile"))
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_REPORT, tr("Report"), tr("HTML files (*.html)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_TABLE, tr("Profiles table"), tr("CSV files (*.csv)"), optional=True
            )
        )
        add_language_parameter(self, self.LANGUAGE)  # of the report, a forum output
        self.addOutput(QgsProcessingOutputNumber(self.PROFILES, tr("Number of profiles")))

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        from .isolation import isolation_needed, run_apart

        if isolation_needed():  # QGIS's GEOS is in shapely's way (isolation.py)
            return run_apart(self, parameters, context, feedback)
        # scikit-learn (ProfileModel's base) takes seconds to import: not at QGIS start
        from ..qet_geo.profiles import PROFILE_COLUMNS, detect
        from ..qet_geo.profiles.model import ProfileModel, private_model_path

        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        columns = answer_columns(self, parameters, context, source)
        weight_field = self.parameterAsString(parameters, self.WEIGHT_FIELD, context)
        if not weight_field and "weight" in source.fields().names():
            weight_field = "weight"
        if weight_field:
            columns["weight"] = weight_field
        table, features = table_of(source, columns, feedback)
        respondents = numeric(table, columns)
        method = enum_string(self, parameters, self.METHOD, context)
        k = self.parameterAsInt(parameters, self.K, context)
        target = self.parameterAsInt(parameters, self.TARGET_COUNT, context)
        try:
            model = ProfileModel(
                method,
                weights=enum_string(self, parameters, self.WEIGHTS, context),
                min_share=self.parameterAsDouble(parameters, self.MIN_SHARE, context),
                max_share=self.parameterAsDouble(parameters, self.MAX_SHARE, context),
                min_count=self.parameterAsInt(parameters, self.MIN_COUNT, context),
                target_count=target or None,
                k=None if method == "near" else (k or "auto"),
                k_range=(
                    self.parameterAsInt(parameters, self.K_MIN, context),
                    self.parameterAsInt(parameters, self.K_MAX, context),
                ),
                seed=self.parameterAsInt(parameters, self.SEED, context),
                names=parse_pairs(
                    self.parameterAsString(parameters, self.NAMES, context), tr("Profile names")
                ),
                colours=parse_pairs(
                    self.parameterAsString(parameters, self.COLOURS, context), tr("Profile colours")
                ),
                min_cell=self.parameterAsInt(parameters, "MIN_CELL", context),
                allow_below_3=self.parameterAsBoolean(parameters, "ALLOW_BELOW_3", context),
            )
            feedback.pushInfo(tr("Detecting profiles ({method})…").format(method=method))
            n_boot = self.parameterAsInt(parameters, self.BOOTSTRAP, context)
            if n_boot:
                feedback.pushInfo(tr("Stability: {n} bootstrap resamples…").format(n=n_boot))
            model, labelled = detect(respondents, model=model, n_boot=n_boot,
                                     source=source.sourceName(),
                                     progress=lambda done, _: feedback.setProgress(45 * done))  # fmt: skip
            assigned = labelled[[c for c in PROFILE_COLUMNS if c in labelled.columns]]
        except ProfileParameterError as exc:  # the same rule as the command line's
            raise QgsProcessingException(exc.text(self._label(exc.parameter))) from exc
        except (QetGeoError, ValueError) as exc:
            raise QgsProcessingException(str(exc)) from exc
        if feedback.isCanceled():
            raise QgsProcessingException(tr("Canceled: the outputs are incomplete."))
        model_path = self.parameterAsFileOutput(parameters, self.OUTPUT_MODEL, context)
        report = self.parameterAsFileOutput(parameters, self.OUTPUT_REPORT, context)
        table_path = self.parameterAsFileOutput(parameters, self.OUTPUT_TABLE, context)
        if table_path and not Path(table_path).suffix:  # the dialog's format: CSV
            table_path += ".csv"
        check_files(self, parameters, context, [model_path, private_model_path(model_path), report,
                                                table_path or None])  # fmt: skip
        model.save(model_path)  # and the private working file beside it
        feedback.pushInfo(
            library_tr(
                "written (private, not for publication): {path}",
                path=private_model_path(model_path),
            )
        )
        results = {self.OUTPUT_MODEL: model_path, self.PROFILES: model.k_}
        language = enum_string(self, parameters, self.LANGUAGE, context)
        if report:
            write_report(model, report, language=language)
            results[self.OUTPUT_REPORT] = report
        if table_path:  # as the command line: the suffix chooses .csv, .gpkg or .parquet
            from ..qet_geo.io import write_table

            table = model.profiles_table(language=language)
            results[self.OUTPUT_TABLE] = str(write_table(table, table_path, layer="profiles"))
        results[self.OUTPUT] = write_with_profiles(
            self, parameters, context, feedback, source, features, assigned, self.OUTPUT
        )
        for entry in model.portraits_:
            feedback.pushInfo(
                f"  {entry['profile']}. {entry['share']:.1%}  n={entry['size']}  {entry['name']}"
            )
        for quality, message in zip(model.quality_, model.quality_messages(), strict=True):
            feedback.pushWarning(
                library_tr(quality["kind"]) + (" : " if messages_language() == "fr" else ": ")
                + message
            )  # fmt: skip
        if model.excluded_:
            feedback.pushWarning(
                tr("{n} respondents left out (an answer missing)").format(n=model.excluded_)
            )
        return results

    def _label(self, parameter: str) -> str:
        """The label of the algorithm's parameter standing for a library parameter."""
        names = {"min_share": [self.MIN_SHARE], "max_share": [self.MAX_SHARE],
                 "min_count": [self.MIN_COUNT], "target_count": [self.TARGET_COUNT],
                 "k": [self.K], "k_range": [self.K_MIN, self.K_MAX], "seed": [self.SEED],
                 "n_boot": [self.BOOTSTRAP]}  # fmt: skip
        labels = [
            self.parameterDefinition(n).description()
            for n in names.get(parameter, [])
            if self.parameterDefinition(n) is not None
        ]
        return " / ".join(labels) or parameter


ALGORITHM = DetectProfiles
