"""Usage profiles (Sphères d'Usages): detection, portraits, stability, assignment.

``ProfileModel(method="near")`` reproduces NEAR's detection (METHODS §3) without its
defects; other methods (k-means, k-modes, k-prototypes, Ward, Gaussian mixture, k chosen by
scores) give the comparison; ``predict`` places any later survey with the same variables. :func:`detect` is the whole
step: fit, stability, the respondents labelled.
"""

from .detection import PROFILE_COLUMNS, Detection, detect
from .encoding import SU_VARIABLES, WEIGHT_PRESETS
from .model import ProfileModel
from .near import near_cluster
from .notes import quality_message, quality_warning

__all__ = [
    "PROFILE_COLUMNS",
    "SU_VARIABLES",
    "WEIGHT_PRESETS",
    "Detection",
    "ProfileModel",
    "detect",
    "near_cluster",
    "quality_message",
    "quality_warning",
]
