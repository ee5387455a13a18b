"""Transit access from GTFS: feeds, service days, PTAL (Transport for London) on a grid,
simpler indicators per area."""

from .access import TransitAccess, transit_access
from .gtfs import Feed, active_services, departures, read_gtfs, transit_geometry, typical_weekday
from .ptal import BAND_NAMES, PtalParameters, band, parse_window, ptal_at

__all__ = [
    "BAND_NAMES",
    "Feed",
    "PtalParameters",
    "TransitAccess",
    "active_services",
    "band",
    "departures",
    "parse_window",
    "ptal_at",
    "read_gtfs",
    "transit_access",
    "transit_geometry",
    "typical_weekday",
]
