"""``qetgeo:runpipeline``: the whole job from a qet-geo configuration file (TOML), inside
QGIS — the same file and the same steps as ``qet-geo run CONFIG.toml``.

Each step is the plugin's own Processing algorithm run as a child (import, footprints,
profiles, map by area, transit access, proximity, profiles against constraints, web map,
posters), so QGIS reads and writes every layer; the QGIS project is written last. The
outputs carry the same names as the command line's, in the configuration's output folder.
"""

from __future__ import annotations

import sys
import tempfile
import time
import zipfile
from pathlib import Path

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputFile,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsVectorLayer,
)

from ..plugin.i18n import tr
from ..qet_geo.errors import QetGeoError
from .base import FILE_BEHAVIOR, QetGeoAlgorithm

REQUIRES = ("numpy", "pandas", "scipy", "shapely", "sklearn", "folium", "matplotlib",
            "tomllib" if sys.version_info >= (3, 11) else "tomli")  # fmt: skip


def route_types_text(table: dict) -> str:
    """[transit] route_types (route type → mode or None) as ROUTE_TYPES takes it."""
    return ",".join(f"{code}={mode or 'none'}" for code, mode in sorted((table or {}).items()))


def _gpkg_table(path: Path, table: str) -> str:
    """A sink destination writing ``table`` into the GeoPackage ``path``."""
    return f"ogr:dbname='{path}' table=\"{table}\" (geom)"


def _pairs(table: dict | None) -> str:
    return ";".join(f"{k}={v}" for k, v in (table or {}).items())


class RunPipeline(QetGeoAlgorithm):
    NAME = "runpipeline"

    CONFIG = "CONFIG"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    PROJECT = "PROJECT"
    WEBMAP = "WEBMAP"

    def displayName(self) -> str:
        return tr("Run the whole diagnostic (configuration file)")

    def group(self) -> str:
        return tr("Forum outputs")

    def groupId(self) -> str:
        return "forum"

    def tags(self) -> list[str]:
        return tr("pipeline,configuration,toml,whole job,forum,diagnostic").split(",")

    def help_text(self) -> str:
        return tr(
            "Runs every step from one configuration file, as the command qet-geo run does: "
            "survey import, footprints, usage profiles, indicators by area, transit access "
            "(PTAL), proximity to services, profiles against constraints, then the web map, "
            "the posters and a QGIS project that opens every output styled.\n\n"
            "The configuration is a TOML file (sample_data/qet-geo.toml is a documented "
            "example); every key is checked before anything runs. The outputs go to the "
            "configuration's output folder, or to the folder chosen here."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFile(
                self.CONFIG,
                tr("Configuration (TOML)"),
                behavior=FILE_BEHAVIOR,
                extension="toml",
            )
        )
        self.addParameter(
            QgsProcessingParameterFolderDestination(
                self.OUTPUT_FOLDER,
                tr("Output folder (default: the configuration's)"),
                optional=True,
                createByDefault=False,
            )
        )
        self.addOutput(QgsProcessingOutputFile(self.PROJECT, tr("QGIS project")))
        self.addOutput(QgsProcessingOutputFile(self.WEBMAP, tr("Web map")))

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        from ..qet_geo.export.project import write_project
        from ..qet_geo.pipeline import LABELS, load_config, set_output, steps_of
        from .isolation import isolation_needed

        if isolation_needed():  # QGIS's GEOS is in shapely's way (isolation.py): even the
            return self._run_apart(parameters, context, feedback)  # check reads layers
        try:
            config = load_config(self.parameterAsFile(parameters, self.CONFIG, context))
            folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
            if folder and folder != "TEMPORARY_OUTPUT":
                set_output(config, folder)
        except QetGeoError as exc:  # every problem of the file, one per line
            problems = getattr(exc, "problems", None)
            message = "\n".join(map(str, problems)) if problems else str(exc)
            raise QgsProcessingException(message) from exc
        if config["profiles"]["weights"] not in ("current", "2023"):
            raise QgsProcessingException(
                tr("[profiles] weights: inside QGIS, one of {presets}").format(
                    presets="current, 2023"
                )
            )
        from ..qet_geo.io import remove_leftovers
        from ..qet_geo.manifest import running, write_manifest
        from ..qet_geo.pipeline import outputs_of

        config.output.mkdir(parents=True, exist_ok=True)
        remove_leftovers(config.output, [p.name for p in outputs_of(config)])  # a killed run's
        steps = steps_of(config)
        multi = QgsProcessingMultiStepFeedback(len(steps), feedback)
        self._scratch = tempfile.TemporaryDirectory(prefix="qet-geo-")
        run = _Run(config, context, multi, Path(self._scratch.name))
        manifest = running(config.output, config.path)  # "complete": false from now on
        manifest.__enter__()
        started = time.time() - 1  # side files (CSVs beside the GeoPackages) written from now
        try:
            for number, step in enumerate(steps):
                if feedback.isCanceled():
                    raise QgsProcessingException(tr("Canceled: the outputs are incomplete."))
                multi.setCurrentStep(number)
                feedback.pushInfo(f"[{number + 1}/{len(steps)}] {self._label(LABELS[step])}")
                if step == "project":
                    layers = {k: config.out(k) for k in ("areas", "ptal", "compare", "proximity")
                              if k in run.done}  # fmt: skip
                    write_project(config.out("project"), layers, title=config[""]["title"],
                                  language=config[""]["language"])  # fmt: skip
                    run.done.add("project")
                else:
                    getattr(run, step)()
            side = [p for p in outputs_of(config) if p.is_file() and p.stat().st_mtime >= started]
            write_manifest(config.output, config.path, [*run.written(), *side], complete=True)
        except QetGeoError as exc:
            raise QgsProcessingException(str(exc)) from exc
        finally:
            manifest.__exit__(None, None, None)
            self._scratch.cleanup()
        feedback.pushInfo(tr("Outputs in {folder}:").format(folder=config.output))
        for path in sorted(run.written(), key=str):
            if path.is_file():
                feedback.pushInfo(f"  {path.name}  ({path.stat().st_size / 1024:.0f} kB)")
        if "areas" in run.done:
            context.addLayerToLoadOnCompletion(
                f"{config.out('areas')}|layername=area_indicators",
                QgsProcessingContext.LayerDetails(
                    tr("Usage profiles by area"), context.project(), "areas"
                ),
            )
        return {
            self.OUTPUT_FOLDER: str(config.output),
            self.PROJECT: str(config.out("project")) if "project" in run.done else None,
            self.WEBMAP: str(config.out("webmap")) if "webmap" in run.done else None,
        }

    def _run_apart(self, parameters, context, feedback) -> dict:
        """The command line's pipeline in a separate Python process (``qet_geo.worker``),
        configuration check included: the same outputs, the areas layer loaded back into
        the project."""
        from ..qet_geo.i18n import language
        from ..qet_geo.i18n import tr as library_tr
        from .isolation import WorkerCanceled, WorkerFailed, run_pipeline

        config = self.parameterAsFile(parameters, self.CONFIG, context)
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        folder = folder if folder and folder != "TEMPORARY_OUTPUT" else None
        try:
            done = run_pipeline(config, folder, language(), feedback)
        except WorkerCanceled as exc:
            raise QgsProcessingException(tr("Canceled: the outputs are incomplete.")) from exc
        except WorkerFailed as exc:  # every problem of the file, one per line
            if exc.detail:
                feedback.reportError(exc.detail, False)
            message = "\n".join(exc.problems) if exc.problems else library_tr(str(exc))
            raise QgsProcessingException(message) from exc
        written = {kind: [Path(p) for p in paths] for kind, paths in done["written"].items()}
        feedback.pushInfo(tr("Outputs in {folder}:").format(folder=done["output"]))
        for path in sorted((p for paths in written.values() for p in paths), key=str):
            if path.is_file():
                feedback.pushInfo(f"  {path.name}  ({path.stat().st_size / 1024:.0f} kB)")
        areas = [p for p in written.get("areas", []) if p.suffix == ".gpkg"]
        if areas:
            context.addLayerToLoadOnCompletion(
                f"{areas[0]}|layername=area_indicators",
                QgsProcessingContext.LayerDetails(
                    tr("Usage profiles by area"), context.project(), "areas"
                ),
            )
        project, webmap = written.get("project", [None])[0], written.get("webmap", [None])[0]
        return {
            self.OUTPUT_FOLDER: done["output"],
            self.PROJECT: str(project) if project else None,
            self.WEBMAP: str(webmap) if webmap else None,
        }

    def _label(self, text: str) -> str:
        from ..qet_geo.i18n import tr as library_tr

        return library_tr(text)


class _Run:
    """The steps as child algorithms, sharing their outputs."""

    def __init__(self, config, context, feedback, scratch: Path):
        self.c, self.context, self.feedback, self.scratch = config, context, feedback, scratch
        self.done: set[str] = set()

    def written(self) -> list[Path]:
        """The files this run wrote (not whatever else the folder holds)."""
        kinds = {"survey": ["rejects"], "profiles": ["model", "private_model", "respondents", "report", "profiles_table"],
                 "areas": ["areas"], "ptal": ["ptal"], "proximity": ["proximity"],
                 "compare": ["compare"], "webmap": ["webmap"], "project": ["project"]}  # fmt: skip
        paths = [self.c.out(name) for step in self.done for name in kinds.get(step, [])]
        if "poster" in self.done:
            for size in self.c["outputs"]["poster"]:
                pdf = self.c.out("poster", size=size)
                paths += [pdf, pdf.with_suffix(".png")]
        return paths

    def child(self, name: str, parameters: dict) -> dict:
        import processing

        return processing.run(
            f"qetgeo:{name}",
            parameters,
            context=self.context,
            feedback=self.feedback,
            is_child_algorithm=True,
        )

    def _areas(self) -> str:
        a = self.c["areas"]
        return f"{a['file']}|layername={a['layer']}" if a["layer"] else str(a["file"])

    def _area_fields(self) -> dict:
        a = self.c["areas"]
        return {"AREAS": self._areas(), "ID_FIELD": a["id_field"], "NAME_FIELD": a["name_field"]}

    def _gtfs(self) -> str:
        """The feed as a zip (the algorithms take zips; a folder is zipped in a scratch
        folder)."""
        gtfs = Path(self.c["transit"]["gtfs"])
        if gtfs.is_file():
            return str(gtfs)
        target = self.scratch / f"{gtfs.name}.zip"
        if not target.exists():
            with zipfile.ZipFile(target, "w") as archive:
                for file in sorted(gtfs.glob("*.txt")):
                    archive.write(file, file.name)
        return str(target)

    def _service_layers(self, names=None) -> list:
        from .proximity import SERVICE_PROPERTY

        layers = []
        for name, spec in (self.c["proximity"]["services"] or {}).items():
            if names is not None and name not in names:
                continue
            path, _, layer = spec.rpartition(":") if not Path(spec).exists() else (spec, "", "")
            uri = f"{path}|layername={layer}" if layer else path
            vector = QgsVectorLayer(uri, name, "ogr")
            if not vector.isValid():
                raise QgsProcessingException(
                    tr("[proximity] services.{name}: QGIS cannot open {uri}").format(
                        name=name, uri=uri
                    )
                )
            vector.setCustomProperty(SERVICE_PROPERTY, name)
            self.context.temporaryLayerStore().addMapLayer(vector)
            layers.append(vector)
        return layers

    def survey(self) -> None:
        s = self.c["survey"]
        builtin = self._schemas()
        result = self.child("importsurvey", {
            "INPUT": str(s["file"]),
            "SCHEMA": s["schema"] if s["schema"] in builtin else None,
            "SCHEMA_FILE": None if s["schema"] in builtin else s["schema"],
            "LOCATION": s["location"],
            "X_FIELD": s["x"], "Y_FIELD": s["y"], "AREA_FIELD": s["area"], "CRS": s["crs"],
            "LAYER": s["layer"], "SHEET": s["sheet"], "EXTENT_CHECK": s["extent_check"],
            "OUTPUT": "TEMPORARY_OUTPUT", "REJECTS": str(self.c.out("rejects")),
        })  # fmt: skip
        if not result.get("ACCEPTED"):
            raise QgsProcessingException(
                tr("No row of {path} could be imported: see {rejects}").format(
                    path=s["file"], rejects=self.c.out("rejects")
                )
            )
        self.respondents = result["OUTPUT"]
        self.done.add("survey")

    def _schemas(self) -> list:
        from ..qet_geo.survey import builtin_schemas

        return list(builtin_schemas())

    def footprints(self) -> None:
        result = self.child("computefootprints", {
            "INPUT": self.respondents, "HEATING": self.c["footprints"]["heating"],
            "OUTPUT": "TEMPORARY_OUTPUT",
        })  # fmt: skip
        self.respondents = result["OUTPUT"]
        self.done.add("footprints")

    def profiles(self) -> None:
        from ..qet_geo.profiles.encoding import WEIGHT_PRESETS

        p = self.c["profiles"]
        presets = list(WEIGHT_PRESETS)
        if p["weights"] not in presets:
            raise QgsProcessingException(
                tr("[profiles] weights: inside QGIS, one of {presets}").format(
                    presets=", ".join(presets)
                )
            )
        k = p["k"]
        result = self.child("detectprofiles", {
            "INPUT": self.respondents, "METHOD": p["method"],
            "WEIGHTS": p["weights"], "TARGET_COUNT": p["target_count"] or 0,
            "K": int(k) if k is not None and str(k).isdigit() else 0, "SEED": p["seed"],
            "BOOTSTRAP": p["bootstrap"], "NAMES": _pairs(p["names"]),
            "COLOURS": _pairs(p["colours"]), "OUTPUT_MODEL": str(self.c.out("model")),
            "OUTPUT": str(self.c.out("respondents")), "OUTPUT_REPORT": str(self.c.out("report")),
            "OUTPUT_TABLE": str(self.c.out("profiles_table")),
            "MIN_CELL": self.c["areas"]["min_cell"], "ALLOW_BELOW_3": self.c["areas"]["allow_below_3"],
            "LANGUAGE": self.c[""]["language"],
        })  # fmt: skip
        self.respondents = result["OUTPUT"]
        self.done.add("profiles")

    def areas(self) -> None:
        a = self.c["areas"]
        self.child("mapprofiles", {
            "INPUT": self.respondents, **self._area_fields(),
            "MODEL": str(self.c.out("private_model")),  # the study's own respondents
            "CENSUS": str(a["census"]) if a["census"] else None,
            "WEIGHTS": a["weights"],
            "MIN_CELL": a["min_cell"], "ALLOW_BELOW_3": a["allow_below_3"],
            "OUTPUT": str(self.c.out("areas")),
        })  # fmt: skip
        self.done.add("areas")

    def transit(self) -> None:
        t = self.c["transit"]
        target = self.c.out("ptal")
        target.unlink(missing_ok=True)
        self.child("transitaccess", {
            "GTFS": self._gtfs(), **self._area_fields(),
            "DATE": t["date"].isoformat() if t["date"] else None, "WINDOW": t["window"],
            "GRID": t["grid"], "ROUTE_TYPES": route_types_text(t["route_types"]),
            "OUTPUT_AREAS": _gpkg_table(target, "ptal_areas"),
            "OUTPUT_GRID": _gpkg_table(target, "ptal_grid"),
        })  # fmt: skip
        self.done.add("ptal")

    def proximity(self) -> None:
        pr = self.c["proximity"]
        target = self.c.out("proximity")
        target.unlink(missing_ok=True)
        self.child("proximity", {
            **self._area_fields(), "SERVICES": self._service_layers(), "GRID": pr["grid"],
            "RADIUS": pr["radius"], "PEOPLE": ",".join(pr.get("people") or []),
            "OUTPUT": _gpkg_table(target, "proximity_areas"), "RESPONDENTS": self.respondents,
        })  # fmt: skip
        self.done.add("proximity")

    def compare(self) -> None:
        c, t = self.c["compare"], self.c["transit"]
        target = self.c.out("compare")
        target.unlink(missing_ok=True)
        focus = [c["service"]] if c["service"] else None
        self.child("profilesvsconstraints", {
            "INPUT": self.respondents, **self._area_fields(), "GTFS": self._gtfs(),
            "DATE": t["date"].isoformat() if t["date"] else None, "WINDOW": t["window"],
            "GRID": t["grid"], "ROUTE_TYPES": route_types_text(t["route_types"]),
            "MODEL": str(self.c.out("private_model")),
            "SERVICES": self._service_layers(focus), "PROFILE": c["profile"] or 0,
            "MIN_CELL": self.c["areas"]["min_cell"],
            "ALLOW_BELOW_3": self.c["areas"]["allow_below_3"], "BOOTSTRAP": c["bootstrap"],
            "OUTPUT_AREAS": _gpkg_table(target, "compare_areas"),
            "OUTPUT_CLASSES": _gpkg_table(target, "compare_classes"),
        })  # fmt: skip
        self.done.add("compare")

    def webmap(self) -> None:
        o = self.c["outputs"]
        background = []
        for spec in o["background"]:
            path, _, layer = spec.rpartition(":") if not Path(spec).exists() else (spec, "", "")
            background.append(f"{path}|layername={layer}" if layer else path)
        self.child("exportwebmap", {
            "AREA_MAP": str(self.c.out("areas")),
            "PTAL": f"{self.c.out('ptal')}|layername=ptal_areas" if "ptal" in self.done else None,
            "BIVARIATE": f"{self.c.out('compare')}|layername=compare_areas"
            if "compare" in self.done else None,
            "GTFS": self._gtfs() if o["transit_lines"] and self.c["transit"]["gtfs"] else None,
            "BACKGROUND": background or None, "TITLE": self.c[""]["title"], "DATE": self._date(),
            "LANGUAGE": self.c[""]["language"], "OFFLINE": o["offline"],
            "TILES": o["tiles"], "OUTPUT": str(self.c.out("webmap")),
            "RESPONDENTS": self.respondents,
        })  # fmt: skip
        self.done.add("webmap")

    def _date(self) -> str | None:
        date = self.c[""]["date"]
        return date.isoformat() if date else None

    def poster(self) -> None:
        for size in self.c["outputs"]["poster"]:
            self.child("exportposter", {
                "AREA_MAP": str(self.c.out("areas")), "MODEL": str(self.c.out("model")),
                "SIZE": size, "TITLE": self.c[""]["title"], "PNG": True,
                "DATE": self._date(), "LANGUAGE": self.c[""]["language"],
                "OUTPUT": str(self.c.out("poster", size=size)),
            })  # fmt: skip
        self.done.add("poster")


ALGORITHM = RunPipeline
