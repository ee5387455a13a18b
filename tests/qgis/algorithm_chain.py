"""Every standalone qet-geo Processing algorithm on the sample data, one after the other, and
a summary of what each wrote (features, their values, their geometry's dimensions).

Used twice: by ``test_desktop_algorithms.py`` under ``python`` (in QGIS's process, then
apart with ``QET_GEO_ISOLATE=1``) and by its startup script inside the real QGIS window,
so that the three runs can be compared. It imports nothing but QGIS and Processing.

The respondents go from one algorithm to the next as memory layers (what the dialogs
give), the areas of the transit step as a selection, and one service layer is a memory
layer named by a custom property: what the separate process must receive whole.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

FIXED_DATE = "2026-01-15"


def _gtfs_zip(sample: Path, folder: Path) -> str:
    target = folder / "gtfs.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for file in sorted((sample / "gtfs").glob("*.txt")):
            archive.write(file, file.name)
    return str(target)


def _plain(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, int):
        return value
    return str(value)


def summary(layer) -> dict:
    """Features, sorted rows of their values (``fid`` left out), and how many geometries
    have Z or M."""
    from qgis.core import QgsWkbTypes

    names = [n for n in layer.fields().names() if n != "fid"]
    rows, with_z_or_m, geometries = [], 0, 0
    for feature in layer.getFeatures():
        rows.append([_plain(feature[n]) for n in names])
        geometry = feature.geometry()
        if geometry is not None and not geometry.isNull():
            geometries += 1
            kind = geometry.wkbType()
            with_z_or_m += bool(QgsWkbTypes.hasZ(kind) or QgsWkbTypes.hasM(kind))
    rows.sort(key=repr)
    return {
        "features": len(rows),
        "fields": names,
        "rows": rows,
        "geometries": geometries,
        "with_z_or_m": with_z_or_m,
        "layer_z_or_m": bool(
            QgsWkbTypes.hasZ(layer.wkbType()) or QgsWkbTypes.hasM(layer.wkbType())
        ),
    }


def run_chain(
    sample: Path, folder: Path, watch=lambda name, function: function(), feedback=None
) -> dict:
    """Run the algorithms (each through ``watch(name, function)``), outputs in ``folder``;
    name → summary of each output layer (or size of each output file). ``feedback``: the
    Processing feedback of the runs (default: one whose info lines are ``lines``)."""
    import processing
    from qgis.core import (
        QgsFeatureRequest,
        QgsProcessingContext,
        QgsProcessingFeatureSourceDefinition,
        QgsProcessingFeedback,
        QgsProject,
        QgsVectorLayer,
    )

    folder.mkdir(parents=True, exist_ok=True)
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    lines: list[str] = []
    if feedback is None:
        feedback = QgsProcessingFeedback()
        feedback.pushInfo = lines.append  # type: ignore[method-assign]
    out: dict = {"lines": lines}

    def run(name, parameters):
        return watch(name, lambda: processing.run(
            f"qetgeo:{name}", parameters, context=context, feedback=feedback,
            is_child_algorithm=True,
        ))  # fmt: skip

    def layer(value):
        if isinstance(value, QgsVectorLayer):
            return value
        found = context.getMapLayer(value)
        return found if found is not None else QgsVectorLayer(value, "out", "ogr")

    gpkg = sample / "quartier.gpkg"
    areas = f"{gpkg}|layername=iris"
    gtfs = _gtfs_zip(sample, folder)
    survey = run("importsurvey", {
        "INPUT": str(sample / "survey_su.tsv"), "OUTPUT": "TEMPORARY_OUTPUT",
        "REJECTS": str(folder / "rejects.csv"),
    })  # fmt: skip
    out["importsurvey"] = summary(layer(survey["OUTPUT"]))
    out["importsurvey_accepted"] = survey["ACCEPTED"]
    footprints = run("computefootprints", {
        "INPUT": survey["OUTPUT"], "HEATING": True, "OUTPUT": "TEMPORARY_OUTPUT",
    })  # fmt: skip
    respondents = footprints["OUTPUT"]
    model = folder / "profiles.json"
    profiles = run("detectprofiles", {
        "INPUT": respondents, "BOOTSTRAP": 10, "SEED": 0, "OUTPUT_MODEL": str(model),
        "OUTPUT": "TEMPORARY_OUTPUT", "OUTPUT_REPORT": str(folder / "profiles.html"),
        "OUTPUT_TABLE": str(folder / "profiles.csv"),
    })  # fmt: skip
    out["detectprofiles"] = summary(layer(profiles["OUTPUT"]))
    out["profiles"] = profiles["PROFILES"]
    respondents = profiles["OUTPUT"]
    private = folder / "profiles.private.json"
    assigned = run("assignprofiles", {
        "INPUT": footprints["OUTPUT"], "MODEL": str(model), "OUTPUT": "TEMPORARY_OUTPUT",
    })  # fmt: skip
    out["assignprofiles"] = summary(layer(assigned["OUTPUT"]))
    run("mapprofiles", {
        "INPUT": respondents, "AREAS": areas, "MODEL": str(private), "WEIGHTS": 2,
        "OUTPUT": str(folder / "areas.gpkg"),
    })  # fmt: skip
    out["mapprofiles"] = summary(
        QgsVectorLayer(f"{folder / 'areas.gpkg'}|layername=area_indicators", "a", "ogr")
    )
    selected = QgsVectorLayer(areas, "iris", "ogr")
    context.temporaryLayerStore().addMapLayer(selected)
    selected.selectByIds([f.id() for f in selected.getFeatures(QgsFeatureRequest().setLimit(3))])
    ptal = folder / "ptal.gpkg"
    run("transitaccess", {
        "GTFS": gtfs, "AREAS": QgsProcessingFeatureSourceDefinition(selected.id(), True),
        "DATE": FIXED_DATE, "GRID": 100,
        "OUTPUT_AREAS": f"ogr:dbname='{ptal}' table=\"ptal_areas\" (geom)",
        "OUTPUT_GRID": f"ogr:dbname='{ptal}' table=\"ptal_grid\" (geom)",
    })  # fmt: skip
    for table in ("ptal_areas", "ptal_grid"):
        out[f"transitaccess_{table}"] = summary(QgsVectorLayer(f"{ptal}|layername={table}"))
    markets = QgsVectorLayer(f"{gpkg}|layername=marches", "marchés", "ogr")
    memory = markets.materialize(QgsFeatureRequest())  # a memory copy, named by a property
    memory.setCustomProperty("qet_geo/service", "marches")
    context.temporaryLayerStore().addMapLayer(memory)
    food = QgsVectorLayer(f"{gpkg}|layername=commerces_alimentaires", "alimentation", "ogr")
    context.temporaryLayerStore().addMapLayer(food)
    run("proximity", {
        "AREAS": areas, "SERVICES": [food, memory], "GRID": 100, "RADIUS": 500,
        "OUTPUT": str(folder / "proximity.gpkg"), "RESPONDENTS": respondents,
    })  # fmt: skip
    out["proximity"] = summary(QgsVectorLayer(str(folder / "proximity.gpkg"), "p", "ogr"))
    compare = folder / "compare.gpkg"
    run("profilesvsconstraints", {
        "INPUT": respondents, "AREAS": areas, "GTFS": gtfs, "DATE": FIXED_DATE, "GRID": 100,
        "MODEL": str(private), "SERVICES": [food], "BOOTSTRAP": 20,
        "OUTPUT_AREAS": f"ogr:dbname='{compare}' table=\"compare_areas\" (geom)",
        "OUTPUT_CLASSES": f"ogr:dbname='{compare}' table=\"compare_classes\" (geom)",
    })  # fmt: skip
    for table in ("compare_areas", "compare_classes"):
        out[f"profilesvsconstraints_{table}"] = summary(
            QgsVectorLayer(f"{compare}|layername={table}")
        )
    webmap = folder / "carte.html"
    run("exportwebmap", {
        "AREA_MAP": str(folder / "areas.gpkg"), "PTAL": f"{ptal}|layername=ptal_areas",
        "BACKGROUND": [f"{gpkg}|layername=perimetre"], "GTFS": gtfs, "DATE": FIXED_DATE,
        "OFFLINE": True, "OUTPUT": str(webmap), "RESPONDENTS": respondents,
    })  # fmt: skip
    out["exportwebmap"] = webmap.stat().st_size if webmap.is_file() else 0
    return out
