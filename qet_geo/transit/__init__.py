"""Transit access from GTFS: feeds, service days, PTAL (Transport for London) on a grid,
simpler indicators per area."""

from ..lazy import lazy_package

#: Each public name → the module defining it, imported when the name is first used (the
#: parameters of the step, :mod:`.params`, stay importable without shapely and scipy:
#: Processing reads them when QGIS starts).
_MODULES = {
    "TransitAccess": "access",
    "transit_access": "access",
    "Feed": "gtfs",
    "active_services": "gtfs",
    "departures": "gtfs",
    "read_gtfs": "gtfs",
    "transit_geometry": "feeds",
    "read_feeds": "feeds",
    "typical_weekday": "gtfs",
    "BAND_NAMES": "ptal",
    "PtalParameters": "ptal",
    "band": "ptal",
    "parse_window": "ptal",
    "ptal_at": "ptal",
    "TransitParameters": "params",
}

__all__ = [
    "BAND_NAMES",
    "Feed",
    "PtalParameters",
    "TransitAccess",
    "TransitParameters",
    "active_services",
    "band",
    "departures",
    "parse_window",
    "ptal_at",
    "read_feeds",
    "read_gtfs",
    "transit_access",
    "transit_geometry",
    "typical_weekday",
]

lazy_package(__name__, _MODULES)
