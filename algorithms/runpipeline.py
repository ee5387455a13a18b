"""``qetgeo:runpipeline``: the whole job from a qet-geo configuration file (TOML), inside
QGIS — the same file and the same function as ``qet-geo run CONFIG.toml``.

It calls :func:`qet_geo.pipeline.run`, the one orchestration of the whole job, with QGIS's
geo backend (``geo.using(QgisBackend())``: QGIS reads, reprojects and writes every layer)
and the Processing feedback as its progress (:class:`FeedbackProgress`). Inside the QGIS
window, where QGIS's GEOS is in shapely's way, the same function runs in a separate Python
process (``algorithms/isolation.py``, ``qet_geo/worker.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
)

from ..plugin.i18n import tr
from ..qet_geo.errors import QetGeoError
from .base import FILE_BEHAVIOR, QetGeoAlgorithm

REQUIRES = ("numpy", "pandas", "scipy", "shapely", "sklearn", "folium", "matplotlib",
            "tomllib" if sys.version_info >= (3, 11) else "tomli")  # fmt: skip


def default_folder() -> str:
    """Where a run from the dialog writes unless told: ``qet-geo`` in the user's documents
    folder (the home folder when there is none)."""
    from qgis.PyQt.QtCore import QStandardPaths

    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return str(Path(documents or Path.home()) / "qet-geo")


class FeedbackProgress:
    """:class:`qet_geo.pipeline.RunProgress` on a Processing feedback: "[n/total] step" lines
    (``pushInfo``), the progress bar step by step, Cancel asked between steps."""

    def __init__(self, feedback, total: int):
        self.feedback, self.total, self.done = feedback, total, 0

    def start(self, label: str) -> None:
        self.feedback.pushInfo(f"[{self.done + 1}/{self.total}] {label}")
        self.feedback.setProgress(100.0 * self.done / max(self.total, 1))

    def finish(self, label: str, seconds: float) -> None:
        self.done += 1
        self.feedback.setProgress(100.0 * self.done / max(self.total, 1))

    def canceled(self) -> bool:
        return self.feedback.isCanceled()


class RunPipeline(QetGeoAlgorithm):
    NAME = "runpipeline"

    CONFIG = "CONFIG"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    PROJECT = "PROJECT"
    WEBMAP = "WEBMAP"

    def displayName(self) -> str:
        return tr("Run the whole diagnostic (configuration file)")

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
            "folder chosen here (by default qet-geo in your documents folder). Scripts "
            "(processing.run) that leave OUTPUT_FOLDER out get the configuration's output "
            "folder, as before; qgis_process needs it given."
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
        folder = QgsProcessingParameterFolderDestination(
            self.OUTPUT_FOLDER, tr("Output folder"), defaultValue=default_folder()
        )
        folder.setHelp(
            tr("Left out by a script (processing.run): the configuration's output folder; "
               "qgis_process needs it given (--OUTPUT_FOLDER=…).")
        )  # fmt: skip
        self.addParameter(folder)
        self.addOutput(QgsProcessingOutputFile(self.PROJECT, tr("QGIS project")))
        self.addOutput(QgsProcessingOutputFile(self.WEBMAP, tr("Web map")))

    def checkParameterValues(self, parameters, context):
        """QGIS's checks, OUTPUT_FOLDER left out accepted (the configuration's folder)."""
        if not parameters.get(self.OUTPUT_FOLDER):
            parameters = {**parameters, self.OUTPUT_FOLDER: "TEMPORARY_OUTPUT"}
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        from ..qet_geo import geo
        from ..qet_geo.pipeline import Canceled, load_config, run, set_output, steps_of
        from .isolation import isolation_needed
        from .qgis_geo import QgisBackend

        if isolation_needed():  # QGIS's GEOS is in shapely's way (isolation.py): even the
            return self._run_apart(parameters, context, feedback)  # check reads layers
        folder = self._folder(parameters, context)
        try:
            with geo.using(QgisBackend()):
                config = load_config(self.parameterAsFile(parameters, self.CONFIG, context))
                if folder:
                    set_output(config, folder)
                result = run(config, FeedbackProgress(feedback, len(steps_of(config))))
        except Canceled as exc:
            raise QgsProcessingException(tr("Canceled: the outputs are incomplete.")) from exc
        except QetGeoError as exc:  # every problem of the file, one per line
            problems = getattr(exc, "problems", None)
            raise QgsProcessingException(
                "\n".join(map(str, problems)) if problems else str(exc)
            ) from exc
        for warning in result.warnings:
            feedback.pushWarning(str(warning))
        return self._finished(result.written, str(config.output), context, feedback)

    def _folder(self, parameters, context) -> str | None:
        """The output folder asked for; None (the configuration's) when OUTPUT_FOLDER is
        left out or temporary, as scripts and ``qgis_process`` written before pass it."""
        if not parameters.get(self.OUTPUT_FOLDER):
            return None
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        return folder if folder and folder != "TEMPORARY_OUTPUT" else None

    def _run_apart(self, parameters, context, feedback) -> dict:
        """The command line's pipeline in a separate Python process (``qet_geo.worker``),
        configuration check included: the same outputs, the areas layer loaded back into
        the project."""
        from ..qet_geo.i18n import language
        from ..qet_geo.i18n import tr as library_tr
        from .isolation import WorkerCanceled, WorkerFailed, run_pipeline

        config = self.parameterAsFile(parameters, self.CONFIG, context)
        folder = self._folder(parameters, context)
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
        return self._finished(written, done["output"], context, feedback)

    def _finished(self, written: dict, output: str, context, feedback) -> dict:
        """What a run wrote, said in the log; the folder kept for :meth:`postProcessAlgorithm`."""
        feedback.pushInfo(tr("Outputs in {folder}:").format(folder=output))
        for path in sorted((p for paths in written.values() for p in paths), key=str):
            if path.is_file():
                size = f"{path.stat().st_size / 1024:.0f}"
                feedback.pushInfo(tr("  {name}  ({size} kB)").format(name=path.name, size=size))
        self._output = output
        project, webmap = written.get("project", [None])[0], written.get("webmap", [None])[0]
        return {
            self.OUTPUT_FOLDER: output,
            self.PROJECT: str(project) if project else None,
            self.WEBMAP: str(webmap) if webmap else None,
        }

    def postProcessAlgorithm(self, context, feedback) -> dict:
        """In the main thread, after the run: every output of the run in the project, one
        styled group (``plugin/results.py``), the web map and the poster offered in the
        message bar of the QGIS window."""
        output = getattr(self, "_output", None)
        if output and context.project() is not None:
            import qgis.utils

            from ..plugin.results import load_run

            try:
                load_run(output, project=context.project(), iface=qgis.utils.iface)
            except ValueError as exc:  # no finished run there: said, not raised
                feedback.reportError(str(exc), False)
        return {}


ALGORITHM = RunPipeline
