"""Numbers that are choices, in one place, each with its source."""

from __future__ import annotations

# Survey import ------------------------------------------------------------------------

#: The six SU answer fields of the Respondents table, in NEAR's order ([NEAR-SU]).
SU_FIELDS = (
    "meat_frequency",
    "transportation_mode",
    "digital_intensity",
    "purchasing_strategy",
    "air_travel_frequency",
    "heat_source",
)

#: Extents (lon_min, lat_min, lon_max, lat_max, name) where French respondents' homes can
#: lie: metropolitan France with Corsica and the five overseas departments.  Rounded
#: outwards from the IGN ADMIN EXPRESS bounding boxes.  Used to flag swapped or wrong
#: coordinates; pass ``extent=None`` to the importer to switch the check off.
FRANCE_EXTENTS: tuple[tuple[float, float, float, float, str], ...] = (
    (-5.8, 41.2, 10.0, 51.3, "France métropolitaine"),
    (-61.9, 15.8, -60.9, 16.6, "Guadeloupe"),
    (-61.3, 14.3, -60.7, 14.95, "Martinique"),
    (-54.7, 2.0, -51.5, 6.0, "Guyane"),
    (55.1, -21.5, 55.9, -20.8, "La Réunion"),
    (44.9, -13.1, 45.4, -12.5, "Mayotte"),
)

#: How many rows the delimiter detector looks at.
DELIMITER_SNIFF_LINES = 50

#: The delimiters a CSV/TSV export may use, in order of preference on a tie.
CSV_DELIMITERS = ("\t", ";", ",")

#: Weight given to every respondent before weighting (docs/areas.md).
DEFAULT_WEIGHT = 1.0

#: Cut-off of difflib's similarity ratio for proposing the nearest known answer.
SUGGESTION_CUTOFF = 0.5

#: GeoPackage version written: QGIS 3.22 (GDAL 3.6) warns on 1.4, the default of recent GDAL.
GPKG_VERSION = "1.2"
