"""The five usages of the SU method as sums of Nos Gestes Climat rules ([NGC-model])."""

from __future__ import annotations

#: Usages in the order of their columns (``fp_<usage>``).
USAGES = ("alimentation", "avion", "mobilite", "achats", "numerique")

#: NGC rules whose sum is each usage's footprint, in kgCO2e per year.
USAGE_RULES = {
    "alimentation": ["alimentation"],
    "avion": ["transport . avion"],
    "mobilite": [
        "transport . voiture",
        "transport . deux roues",
        "transport . mobilité douce",
        "transport . transports commun",
        "transport . train",
    ],
    "achats": ["divers . textile", "divers . électroménager", "divers . ameublement"],
    "numerique": ["divers . numérique"],
}
