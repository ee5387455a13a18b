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
from ..qet_geo.parameters import choices
from ..qet_geo.profiles.encoding import SU_VARIABLES
from ..qet_geo.profiles.params import (
    WEIGHT_PRESET_NAMES,
    ProfileParameterError,
    ProfileParameters,
    parse_pairs,
)
from ..qet_geo.survey.fields import answer_fields
from .base import (
    NUMBER_INTEGER,
    SOURCE_TABLE,
    QetGeoAlgorithm,
    add_language_parameter,
    add_threshold_parameters,
    advanced,
    check_files,
    choice_parameter,
    share_parameter,
)
from .layers import numeric, table_of, write_with_profiles

#: Python packages this algorithm needs (import names), checked before it is registered.
REQUIRES = ("numpy", "pandas", "scipy", "sklearn", "kmodes", "matplotlib")
#: the defaults of the parameters
DEFAULTS = ProfileParameters()


def answers_of(algorithm, p, feedback, weight: str | None = None):
    """(respondents, features) of the INPUT layer: a table of the SU answers, each in the
    field chosen (FIELD_<variable>) or named like the variable (a missing one an error
    naming the layer's fields), as numbers; with ``weight``, that field as ``weight``."""
    columns = answer_fields(
        p.input.fields().names(), SU_VARIABLES, {v: p[f"field_{v}"] for v in SU_VARIABLES}
    )
    if weight:
        columns["weight"] = weight
    table, features = table_of(p.input, columns, feedback)
    return numeric(table, columns), features


def _model(p):
    """The (unfitted) profile model the parameters describe (0: k chosen, NEAR's rule)."""
    from ..qet_geo.profiles import ProfileModel  # scikit-learn: not at QGIS start

    return ProfileModel(
        p.method, weights=p.weights, min_share=p.min_share, max_share=p.max_share,
        min_count=p.min_count, target_count=p.target_count or None,
        k=None if p.method == "near" else (p.k or "auto"), k_range=(p.k_min, p.k_max),
        seed=p.seed, names=parse_pairs(p.names, tr("Profile names")),
        colours=parse_pairs(p.colours, tr("Profile colours")), min_cell=p.min_cell,
        allow_below_3=p.allow_below_3,
    )  # fmt: skip


def method_labels() -> dict:
    """How the dialogs and the log name each profile method (the code stays the value)."""
    return {
        "near": tr("NEAR method (Sphères d'Usages)"),
        "kmeans": tr("k-means"),
        "kmodes": tr("k-modes (answers as categories)"),
        "kprototypes": tr("k-prototypes (answers and footprints)"),
        "ward": tr("Ward hierarchical clustering"),
        "gmm": tr("Gaussian mixture"),
    }


def weights_labels() -> dict:
    """How the dialogs name each preset of NEAR's weights."""
    return {"current": tr("NEAR's current weights"), "2023": tr("NEAR's 2023 weights")}


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
    ISOLATED = True

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

    def groupId(self) -> str:
        return "profiles"

    def tags(self) -> list[str]:
        return tr("profiles,Sphères d'Usages,SU,NEAR,clustering,k-means,typology").split(",")

    def help_text(self) -> str:
        return tr(
            "Finds the groups of respondents who share carbon habits (usage profiles) from "
            "their six Sphères d'Usages answers (codes 1/2/3).\n\n"
            "The NEAR method reproduces NEAR's detection (NEAR's current or 2023 weights): merge "
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
            "field) are honoured. The input layer is not changed.\n\n"
            "In scripts and qgis_process, METHOD takes the codes near, kmeans, kmodes, "
            "kprototypes, ward, gmm and WEIGHTS current, 2023 (or their position, from 0); "
            "MIN_SHARE and MAX_SHARE are shares from 0 to 1 (0.11 for 11 %), shown here in "
            "percent."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.INPUT, tr("Respondents"), types=[SOURCE_TABLE])
        )
        methods = choices(ProfileParameters, "method")
        labels = method_labels()
        self.addParameter(
            choice_parameter(self.METHOD, tr("Method"), methods,
                             [labels.get(m, m) for m in methods], default=DEFAULTS.method)
        )  # fmt: skip
        labels = weights_labels()
        self.addParameter(
            choice_parameter(self.WEIGHTS, tr("NEAR weights"), WEIGHT_PRESET_NAMES,
                             [labels.get(w, w) for w in WEIGHT_PRESET_NAMES],
                             default=DEFAULTS.weights)
        )  # fmt: skip
        self.addParameter(
            share_parameter(self.MIN_SHARE, tr("NEAR method: minimum share"), DEFAULTS.min_share)
        )
        self.addParameter(
            share_parameter(self.MAX_SHARE, tr("NEAR method: maximum share"), DEFAULTS.max_share)
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MIN_COUNT,
                tr("NEAR method: minimum number of profiles"),
                NUMBER_INTEGER,
                DEFAULTS.min_count,
                False,
                1,
            )  # fmt: skip
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.TARGET_COUNT,
                tr("NEAR method: target number of profiles (0: NEAR's rule)"),
                NUMBER_INTEGER,
                0,
                False,
                0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.K,
                tr("Other methods: number of profiles k (0: chosen automatically)"),
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
        from ..qet_geo.profiles import detect, private_model_path, written_lines

        p = self.read(parameters, context)
        weight = p.weight_field or ("weight" if "weight" in p.input.fields().names() else None)
        respondents, features = answers_of(self, p, feedback, weight)
        method = method_labels().get(p.method, p.method)
        feedback.pushInfo(tr("Detecting profiles: {method}…").format(method=method))
        if p.bootstrap:
            feedback.pushInfo(tr("Stability: {n} bootstrap resamples…").format(n=p.bootstrap))
        try:
            result = detect(respondents, model=_model(p), n_boot=p.bootstrap,
                            source=p.input.sourceName(),
                            progress=lambda done, _: feedback.setProgress(45 * done))  # fmt: skip
        except ProfileParameterError as exc:  # the same rule as the command line's
            raise QgsProcessingException(exc.text(self._label(exc.parameter))) from exc
        if feedback.isCanceled():
            raise QgsProcessingException(tr("Canceled: the outputs are incomplete."))
        model_path, report, table = (
            self.parameterAsFileOutput(parameters, name, context) or None
            for name in (self.OUTPUT_MODEL, self.OUTPUT_REPORT, self.OUTPUT_TABLE)
        )
        if table and not Path(table).suffix:  # the dialog's format: CSV
            table += ".csv"
        private = private_model_path(model_path)
        check_files(self, parameters, context, [model_path, private, report, table])
        # as the command line: the suffix of the table chooses .csv, .gpkg or .parquet
        written = result.write(model_path, table=table, report=report, language=p.language)
        output = write_with_profiles(
            self, parameters, context, feedback, p.input, features, result.labelled, self.OUTPUT
        )
        self.report(feedback, [*result.lines(), *written_lines(written, private)],
                    result.warnings())  # fmt: skip
        return {self.OUTPUT_MODEL: model_path, self.PROFILES: result.model.k_,
                self.OUTPUT: output, **({self.OUTPUT_REPORT: report} if report else {}),
                **({self.OUTPUT_TABLE: str(Path(table))} if table else {})}  # fmt: skip

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
