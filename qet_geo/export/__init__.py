"""Forum-ready outputs: offline web map, poster, QGIS project.

Each takes the objects just computed (an :class:`~qet_geo.areas.AreaMap`,
a :class:`~qet_geo.transit.TransitAccess`, a :class:`~qet_geo.constraints.Comparison`) or
the GeoPackages written from them.
"""

from .poster import build_poster, poster, write_poster
from .project import write_project
from .webmap import WebMapInputs, build_webmap, read_inputs, webmap, write_webmap

__all__ = [
    "WebMapInputs",
    "build_poster",
    "build_webmap",
    "poster",
    "read_inputs",
    "webmap",
    "write_poster",
    "write_project",
    "write_webmap",
]
