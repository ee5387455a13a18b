"""Neighbourhood maps: respondents joined to areas, profile mix with intervals,
representativeness against the census, raking weights, disclosure control, styled outputs."""

from ..lazy import lazy_package

#: Each public name → the module defining it, imported when the name is first used (the
#: parameters of the step, :mod:`.params`, stay importable without shapely and scipy).
_MODULES = {
    "Census": "census",
    "RakingError": "census",
    "rake": "census",
    "read_census": "census",
    "AreaMap": "indicators",
    "map_areas": "indicators",
    "join_respondents": "join",
    "read_area_map": "output",
    "write_area_map": "output",
    "Areas": "zones",
    "areas_from_frame": "zones",
    "as_areas": "zones",
    "read_areas": "zones",
}

__all__ = [
    "AreaMap",
    "Areas",
    "Census",
    "RakingError",
    "areas_from_frame",
    "as_areas",
    "join_respondents",
    "map_areas",
    "rake",
    "read_area_map",
    "read_areas",
    "read_census",
    "write_area_map",
]

lazy_package(__name__, _MODULES)
