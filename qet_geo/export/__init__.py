"""Forum-ready outputs: offline web map, poster (and its QGIS print layout), QGIS project,
the impact subjects' panels and the ballot sheet.

Each takes the objects just computed (an :class:`~qet_geo.areas.AreaMap`,
a :class:`~qet_geo.transit.TransitAccess`, a :class:`~qet_geo.constraints.Comparison`) or
the GeoPackages written from them.
"""

from ..lazy import lazy_package

#: Each public name → the module defining it, imported when the name is first used (the
#: parameters of the outputs, :mod:`.params`, stay importable without matplotlib, shapely
#: and scipy: Processing reads them when QGIS starts).
_MODULES = {
    "layout_xml": "layout",
    "write_layout": "layout",
    "build_diagnostic_poster": "diagnostic_poster",
    "write_diagnostic_poster": "diagnostic_poster",
    "build_ballot": "forum_panels",
    "build_subject_panel": "forum_panels",
    "subject_layouts": "forum_panels",
    "write_ballot": "forum_panels",
    "write_subject_panels": "forum_panels",
    "area_profiles": "poster",
    "build_poster": "poster",
    "diagnostic_poster_path": "poster",
    "poster": "poster",
    "poster_files": "poster",
    "poster_paths": "poster",
    "write_poster": "poster",
    "write_posters": "posters",
    "write_project": "project",
    "WebMapInputs": "webmap",
    "build_webmap": "webmap",
    "read_inputs": "webmap",
    "webmap": "webmap",
    "write_webmap": "webmap",
}

__all__ = [
    "WebMapInputs",
    "area_profiles",
    "build_ballot",
    "build_diagnostic_poster",
    "build_poster",
    "build_subject_panel",
    "build_webmap",
    "diagnostic_poster_path",
    "layout_xml",
    "poster",
    "read_inputs",
    "subject_layouts",
    "webmap",
    "write_ballot",
    "write_diagnostic_poster",
    "write_layout",
    "write_poster",
    "write_posters",
    "write_project",
    "write_subject_panels",
    "write_webmap",
]

lazy_package(__name__, _MODULES)
