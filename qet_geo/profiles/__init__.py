"""Usage profiles (Sphères d'Usages): detection, portraits, stability, assignment.

``ProfileModel(method="near")`` reproduces NEAR's detection ([NEAR-SU]) without its
defects; other methods (k-means, k-modes, k-prototypes, Ward, Gaussian mixture, k chosen by
scores) give the comparison; ``predict`` places any later survey with the same variables.
"""

from .encoding import SU_VARIABLES, WEIGHT_PRESETS
from .model import ProfileModel
from .near import near_cluster

__all__ = ["SU_VARIABLES", "WEIGHT_PRESETS", "ProfileModel", "near_cluster"]
