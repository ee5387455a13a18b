"""Neighbourhood maps: respondents joined to areas, profile mix with intervals,
representativeness against the census, raking weights, disclosure control, styled outputs."""

from .census import Census, RakingError, rake, read_census
from .indicators import AreaMap, map_areas
from .join import join_respondents
from .output import read_area_map, write_area_map
from .zones import Areas, areas_from_frame, read_areas

__all__ = [
    "AreaMap",
    "Areas",
    "Census",
    "RakingError",
    "areas_from_frame",
    "join_respondents",
    "map_areas",
    "rake",
    "read_area_map",
    "read_areas",
    "read_census",
    "write_area_map",
]
