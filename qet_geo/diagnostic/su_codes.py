"""The six SU questions as NEAR's database stores them, and the weights NEAR's assignment
uses: what links an EMdV or NGC respondent to a profile when it answered the SU questions
again instead of giving its code (docs/profiles.md, docs/diagnostic.md)."""

from __future__ import annotations

import re

#: the six usages, in the order of NEAR's barycentres (``Su Data.Barycenter``) and of
#: :data:`qet_geo.profiles.encoding.VARIABLES`
SU_VARIABLES = (
    "meat_frequency",
    "transportation_mode",
    "digital_intensity",
    "purchasing_strategy",
    "air_travel_frequency",
    "heat_source",
)

#: NEAR's enum codes of the six questions → the answer code 1/2/3 of the SU schema
NEAR_CODES: dict[str, dict[str, int]] = {
    "meat_frequency": {"MINOR": 1, "REGULAR": 2, "MAJOR": 3},
    "transportation_mode": {"LIGHT": 1, "PUBLIC": 2, "CAR": 3},
    "digital_intensity": {"LIGHT": 1, "REGULAR": 2, "INTENSE": 3},
    "purchasing_strategy": {"SECOND_HAND": 1, "MIXED": 2, "NEW": 3},
    "air_travel_frequency": {"ZERO": 1, "FROM_1_TO_3": 2, "ABOVE_3": 3},
    "heat_source": {"ELECTRICITY": 1, "GAZ": 2, "OIL": 3},
}

#: the Metabase header of each (the snake_case column is the variable itself)
HEADERS = {
    "meat_frequency": "Meat Frequency",
    "transportation_mode": "Transportation Mode",
    "digital_intensity": "Digital Intensity",
    "purchasing_strategy": "Purchasing Strategy",
    "air_travel_frequency": "Air Travel Frequency",
    "heat_source": "Heat Source",
}

_SU_CODE = re.compile(r"'?(?:SU\s*)?(\d+)(?:\.0+)?'?", re.IGNORECASE)


def su_code_of(text: str) -> int | None:
    """The profile number a respondent gave as its SU code: "2", "2.0", "SU 2" (NEAR's
    form), "'SU 2'" (its webhook); None for anything else ("2.5", "deux")."""
    found = _SU_CODE.fullmatch(str(text).strip())
    return int(found.group(1)) if found else None
