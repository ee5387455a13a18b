"""Usage profiles (Sphères d'Usages): detection, portraits, stability, assignment.

``ProfileModel(method="near")`` reproduces NEAR's detection ([NEAR-SU]) without its
defects; other methods (k-means, k-modes, k-prototypes, Ward, Gaussian mixture, k chosen by
scores) give the comparison; ``predict`` places any later survey with the same variables.
:func:`detect` is the whole step: fit, stability, the respondents labelled.

The names are imported when first used: ``ProfileModel`` is a scikit-learn estimator, and
scikit-learn takes seconds to import, which the command line's start and QGIS's need not
pay (``qet_geo.profiles.methods`` or ``.params`` alone do not import it).
"""

from __future__ import annotations

from ..lazy import lazy_package

#: Each public name → the module defining it, imported when the name is first used.
_MODULES = {
    "PROFILE_COLUMNS": "detection",
    "Detection": "detection",
    "detect": "detection",
    "written_lines": "detection",
    "assignment_lines": "assign",
    "assignment_summary": "assign",
    "assignment_warnings": "assign",
    "assign_profiles": "assign",
    "parse_pairs": "params",
    "weights_of": "encoding",
    "SU_VARIABLES": "encoding",
    "WEIGHT_PRESETS": "encoding",
    "ProfileModel": "model",
    "private_model_path": "model",
    "with_profiles": "assign",
    "near_cluster": "near",
    "quality_message": "notes",
    "quality_warning": "notes",
}
__all__ = sorted(_MODULES)

lazy_package(__name__, _MODULES)
