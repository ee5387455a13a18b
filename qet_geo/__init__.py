"""qet_geo: maps of neighbourhood usage profiles (Sphères d'Usages) from resident surveys.

The library never imports QGIS; the QGIS plugin (``plugin/``, ``algorithms/``) and the
command line (``qet_geo.cli``) are thin shells over it.

The whole job from Python, step by step (``docs/notebook.md``)::

    import qet_geo as qg

    survey = qg.read_survey("sample_data/survey_su.tsv")
    respondents = qg.add_footprints(survey.respondents)
    model = qg.ProfileModel("near").fit(respondents)
    labelled = qg.assign_profiles(respondents, model)
    areas = qg.read_areas("sample_data/quartier.gpkg", layer="iris")
    amap = qg.map_areas(labelled, areas, model=model)
    amap.plot()

or in one call, from a configuration file: ``qg.run("sample_data/qet-geo.toml")``.

The entry points are imported on first use (PEP 562): ``import qet_geo`` itself stays cheap,
since QGIS imports the plugin, and so this package, when it starts.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: public name → "module:attribute" it is read from on first use
_ENTRY_POINTS = {
    # survey → footprints → profiles
    "read_survey": "qet_geo.survey.importer:read_survey",
    "add_footprints": "qet_geo.footprint.su:add_footprints",
    "ProfileModel": "qet_geo.profiles.model:ProfileModel",
    "read_model": "qet_geo.profiles.assign:read_model",
    "assign_profiles": "qet_geo.profiles.assign:assign_profiles",
    # areas
    "read_areas": "qet_geo.areas.zones:read_areas",
    "areas_from_frame": "qet_geo.areas.zones:areas_from_frame",
    "read_census": "qet_geo.areas.census:read_census",
    "map_areas": "qet_geo.areas.indicators:map_areas",
    "write_area_map": "qet_geo.areas.output:write_area_map",
    # transit and constraints
    "read_gtfs": "qet_geo.transit.gtfs:read_gtfs",
    "PtalParameters": "qet_geo.transit.ptal:PtalParameters",
    "transit_access": "qet_geo.transit.access:transit_access",
    "proximity": "qet_geo.constraints.proximity:proximity",
    "compare": "qet_geo.constraints.compare:compare",
    # forum outputs
    "webmap": "qet_geo.export.webmap:webmap",
    "poster": "qet_geo.export.poster:poster",
    # the whole job
    "load_config": "qet_geo.pipeline:load_config",
    "run": "qet_geo.pipeline:run",
    # errors a caller may catch
    "InputError": "qet_geo.errors:InputError",
    "QetGeoError": "qet_geo.errors:QetGeoError",
}

__all__ = sorted(_ENTRY_POINTS)


def __getattr__(name: str):
    """The entry point ``name``, imported on first use and kept in the module."""
    target = _ENTRY_POINTS.get(name)
    if target is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, _, attribute = target.partition(":")
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({"__version__", *__all__})
