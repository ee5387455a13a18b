"""Carbon footprints per usage, in kgCO2e per year, following Nos Gestes Climat ([NGC-model]).

The reference is the official model, pinned (``tools/ngc``): ``data/ngc-model.json`` holds the
rules the five SU usages need, extracted by ``tools/ngc/extract.mjs`` and stamped with the
model's version.
"""

from .su import add_footprints, band_values, model_version, ngc_average, su_footprints
from .usages import USAGE_RULES, USAGES

__all__ = [
    "USAGES",
    "USAGE_RULES",
    "add_footprints",
    "band_values",
    "model_version",
    "ngc_average",
    "su_footprints",
]
