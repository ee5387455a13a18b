"""The geometry work in a separate Python process when this QGIS has its own GEOS, PROJ or
GDAL in the global symbol scope (``qgis.bin``, ``qgis_process.bin`` on Linux).

There the wheels of shapely, pyproj and pyogrio would call QGIS's libraries instead of
their own (:mod:`qet_geo.native`): a 2-D polygon reads as 3-D with M values, and the
poster step raised ``GEOSException``. So the whole diagnostic (``qetgeo:runpipeline``)
runs :mod:`qet_geo.worker` (the command line's own pipeline) in a Python found next to
QGIS's, with the plugin's copy of the library and QGIS's ``sys.path`` (where the user's
packages are); its progress goes to the Processing feedback, Cancel stops it. Every other
algorithm working on geometries (:data:`APART`) runs itself in that Python, in a headless
QGIS, on its layers as QGIS gives them (:func:`run_apart`).

The Python is, in order: ``QET_GEO_PYTHON``; the ``python3.X`` of QGIS's own Python
installation (``sys.exec_prefix``), the same version as QGIS's, so that compiled packages
installed for QGIS fit; the same name on ``PATH``. ``sys.executable`` is not used: in the
QGIS window it is not a Python (``qgis.bin``, or whatever ``python3`` is on ``PATH``).
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..qet_geo.i18n import tr as library_tr
from ..qet_geo.native import global_libraries

PLUGIN_DIR = Path(__file__).resolve().parent.parent
#: Set to "0" to keep the work in QGIS's process, "1" to isolate it anywhere (tests).
ISOLATE_VARIABLE = "QET_GEO_ISOLATE"
PYTHON_VARIABLE = "QET_GEO_PYTHON"
_VERSION = "{}.{}".format(*sys.version_info[:2])
_cache: dict[str, object] = {}


def conflicting_libraries() -> dict[str, str]:
    """GEOS, PROJ, GDAL of the program itself (global symbols) that the wheels would call."""
    if "globals" not in _cache:
        _cache["globals"] = global_libraries()
    return dict(_cache["globals"])


def isolation_needed() -> bool:
    """Whether the geometry work must leave this process."""
    forced = os.environ.get(ISOLATE_VARIABLE, "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    return "GEOS" in conflicting_libraries()


def worker_environment() -> dict[str, str]:
    """QGIS's environment, with the plugin's library and QGIS's ``sys.path`` first."""
    paths = [str(PLUGIN_DIR), str(PLUGIN_DIR.parent)]  # qet_geo, and the plugin's package
    paths += [p for p in sys.path if p and os.path.isdir(p) and p not in paths]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["MPLBACKEND"] = "Agg"
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop(ISOLATE_VARIABLE, None)
    return env


def _candidates() -> list[str]:
    names = [f"python{_VERSION}", "python3", "python"]
    found = []
    chosen = os.environ.get(PYTHON_VARIABLE, "").strip()
    if chosen:
        found.append(chosen)
    for prefix in dict.fromkeys((sys.exec_prefix, sys.base_exec_prefix)):
        base = Path(prefix)
        found += [str(base / "bin" / name) for name in names]
        found += [str(base / "python.exe"), str(base / "python3.exe")]  # Windows, OSGeo4W
    found += [p for p in (shutil.which(name) for name in names) if p]
    return list(dict.fromkeys(found))


@dataclass
class Worker:
    """The Python found for the worker, and what it reports (``versions``)."""

    python: str | None
    wheels: dict = field(default_factory=dict)
    flat: bool = False
    tried: list = field(default_factory=list)


def find_worker(refresh: bool = False) -> Worker:
    """The first candidate Python of QGIS's version that runs ``qet_geo.worker versions``
    with a shapely that reads a 2-D polygon as 2-D."""
    if "worker" in _cache and not refresh:
        return _cache["worker"]  # type: ignore[return-value]
    env = worker_environment()
    tried = []
    worker = None
    for python in _candidates():
        if not (os.path.isfile(python) and os.access(python, os.X_OK)):
            continue
        try:
            done = subprocess.run(
                [python, "-m", "qet_geo.worker", "versions"],
                cwd=str(PLUGIN_DIR), env=env, capture_output=True, text=True,
                encoding="utf-8", timeout=120, check=False,
            )  # fmt: skip
        except (OSError, subprocess.SubprocessError) as exc:
            tried.append(f"{python}: {exc}")
            continue
        events = [e for e in map(_event, done.stdout.splitlines()) if e]
        info = next((e for e in events if e.get("event") == "versions"), None)
        if info is None:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
            tried.append(f"{python}: {tail[0]}")
            continue
        if not str(info.get("version", "")).startswith(_VERSION + "."):
            tried.append(f"{python}: Python {info.get('version')}, not {_VERSION}")
            continue
        if not info.get("flat") or "GEOS" not in (info.get("wheels") or {}):
            tried.append(f"{python}: no shapely reading 2-D polygons as 2-D")
            continue
        worker = Worker(python, dict(info.get("wheels") or {}), bool(info.get("flat")), tried)
        break
    worker = worker or Worker(None, tried=tried)
    _cache["worker"] = worker
    return worker


def _event(line: str) -> dict | None:
    from ..qet_geo.worker import MARK

    if not line.startswith(MARK):
        return None
    try:
        return json.loads(line[len(MARK) :])
    except ValueError:
        return None


class WorkerFailed(Exception):
    """The separate process reported an error (``message``, ``problems``)."""

    def __init__(self, message: str, problems=(), detail: str = ""):
        super().__init__(message)
        self.problems, self.detail = list(problems), detail


class WorkerCanceled(Exception):
    pass


def run_pipeline(config: str, output: str | None, language: str, feedback) -> dict:
    """``qet_geo.worker run`` in the worker's Python; the ``done`` event (written, figures,
    output). Progress and messages go to ``feedback``; Cancel stops the process."""
    arguments = ["run", config, "--lang", language]
    return run_worker(arguments + (["--output", output] if output else []), feedback)


def run_worker(arguments: list[str], feedback, module: str = "qet_geo.worker") -> dict:
    """``python -m MODULE ARGUMENTS`` (by default :mod:`qet_geo.worker`) in the worker's
    Python, its events relayed to ``feedback`` (steps and ``progress`` as progress,
    ``info`` as messages, warnings); the ``done`` event. Cancel (in the dialog) stops the
    process, which removes its temporary files."""
    worker = find_worker()
    if worker.python is None:
        raise WorkerFailed(no_python_message(worker))
    feedback.pushInfo(
        library_tr(
            "Running in a separate Python process ({python}): QGIS's GEOS is not shapely's",
            python=worker.python,
        )  # fmt: skip
    )
    command = [worker.python, "-m", module, *arguments]
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errors:
        process = subprocess.Popen(
            command, cwd=str(PLUGIN_DIR), env=worker_environment(), stdout=subprocess.PIPE,
            stderr=errors, text=True, encoding="utf-8", errors="replace",
        )  # fmt: skip
        lines: queue.Queue = queue.Queue()
        reader = threading.Thread(target=_read, args=(process.stdout, lines), daemon=True)
        reader.start()
        done, failure, canceled = None, None, False
        while True:
            if feedback.isCanceled() and not canceled:
                canceled = True
                process.terminate()  # the worker removes its temporary files
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                break
            event = _event(line)
            if event is None:
                if line.strip():
                    feedback.pushInfo(line.rstrip())
                continue
            kind = event.get("event")
            if kind == "start":
                feedback.pushInfo(f"[{event['step'] + 1}/{event['total']}] {event['label']}")
            elif kind == "finish":
                feedback.setProgress(100.0 * event["step"] / max(event["total"], 1))
            elif kind == "progress":
                feedback.setProgress(float(event.get("percent", 0)))
            elif kind == "info":
                feedback.pushInfo(event.get("message", ""))
            elif kind == "warning":
                feedback.pushWarning(event.get("message", ""))
            elif kind == "report":  # an error the algorithm reported before it failed
                feedback.reportError(event.get("message", ""), False)
            elif kind == "done":
                done = event
            elif kind == "error":
                failure = event
        reader.join()
        process.stdout.close()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        errors.seek(0)
        stderr = errors.read()
    if canceled:
        raise WorkerCanceled()
    if failure is not None:
        raise WorkerFailed(failure.get("message", ""), failure.get("problems", ()),
                           failure.get("traceback", "") or stderr[-4000:])  # fmt: skip
    if done is None or process.returncode:
        raise WorkerFailed(
            library_tr(
                "the separate Python process ended with code {code}", code=process.returncode
            ),
            detail=stderr[-4000:],
        )
    return done


def _read(stream, lines: queue.Queue) -> None:
    try:
        for line in stream:
            lines.put(line)
    finally:
        lines.put(None)


def no_python_message(worker: Worker) -> str:
    return library_tr(
        "no Python {version} with qet-geo's packages was found to run the geometry work "
        "outside QGIS (tried: {tried}); set QET_GEO_PYTHON to one",
        version=_VERSION,
        tried="; ".join(worker.tried) or "-",
    )


def report(qgis_versions: dict[str, str]) -> tuple[bool, str]:
    """(a problem to show, the text) for "Check Python dependencies": which GEOS, PROJ and
    GDAL QGIS loaded, which the wheels bring, and what qet-geo does about it."""
    loaded = conflicting_libraries()
    if not isolation_needed():
        return False, ""
    worker = find_worker(refresh=True)
    qgis = ", ".join(f"{k} {v}" for k, v in {**qgis_versions, **loaded}.items())
    lines = [
        library_tr(
            "This QGIS exposes its own GEOS, PROJ and GDAL to every Python module ({qgis}): "
            "shapely, pyproj and pyogrio would call them instead of their own, and 2-D geometries "
            "would read as 3-D or make the run crash.",
            qgis=qgis,
        )
    ]
    if worker.python is None:
        lines.append(no_python_message(worker))
        return True, "\n".join(lines)
    wheels = ", ".join(f"{k} {v}" for k, v in worker.wheels.items()) or "-"
    differ = [k for k, v in worker.wheels.items() if k in loaded and not loaded[k].startswith(v)]
    lines.append(
        library_tr(
            "Versions that differ from QGIS's: {names}.",
            names=", ".join(differ) or "-",
        )
    )
    lines.append(
        library_tr(
            "qet-geo therefore runs every algorithm that works on geometries in a separate "
            "Python process: {python} (packages: {wheels}); QGIS reads their input layers and "
            "writes their outputs. They are: the whole diagnostic, the posters, {names}. "
            "The footprints and the profile assignment do no geometry work and run in "
            "QGIS's process.",
            python=worker.python,
            wheels=wheels,
            names=", ".join(APART),
        )
    )
    return True, "\n".join(lines)


# --- a Processing algorithm apart ----------------------------------------------------------
#
# Parent (QGIS's process): :func:`run_apart` gives the worker the algorithm's layers read
# from files as those files (with their subset, the selection or feature limit asked for),
# and writes the others (memory layers, databases, layers with unsaved edits) to temporary
# GeoPackages 1.2 with QGIS's writer; every other parameter as JSON and every feature sink
# a temporary GeoPackage; runs ``python -m <plugin>.algorithms.isolation algorithm
# REQUEST.json`` and copies the features of those GeoPackages into the real sinks, QGIS
# writing them. Worker (its own Python, where QGIS's GEOS is not global): :func:`main`
# starts a headless QGIS, imports the algorithm's module and runs the very same algorithm
# (one of :data:`APART`: a whitelist) on those parameters: the same library calls, checks
# and messages as in QGIS's process.

#: The algorithms whose library work uses shapely, so that inside the window they run apart
#: (the whole diagnostic and the posters go through :mod:`qet_geo.worker` directly).
APART = (
    "importsurvey", "detectprofiles", "mapprofiles", "transitaccess", "proximity",
    "profilesvsconstraints", "exportwebmap", "forumpanels", "forumvotes",
)  # fmt: skip
_LAYER_TYPES = ("source", "vector", "layer")


def _json_value(algorithm, definition, parameters, context):
    """The value of a parameter that is not a layer nor a destination, as JSON."""
    name, kind = definition.name(), definition.type()
    if kind == "crs":
        crs = algorithm.parameterAsCrs(parameters, name, context)
        return (crs.authid() or crs.toWkt()) if crs.isValid() else None
    if kind == "enum":
        if definition.usesStaticStrings() and not definition.allowMultiple():
            from .base import enum_string

            return enum_string(algorithm, parameters, name, context)
        if definition.allowMultiple():
            return algorithm.parameterAsEnums(parameters, name, context)
        return algorithm.parameterAsEnum(parameters, name, context)
    if kind == "boolean":
        return algorithm.parameterAsBoolean(parameters, name, context)
    if kind == "number":
        return algorithm.parameterAsDouble(parameters, name, context)
    if kind == "field":
        if definition.allowMultiple():
            return algorithm.parameterAsFields(parameters, name, context)
        return algorithm.parameterAsString(parameters, name, context)
    if kind == "file":
        return algorithm.parameterAsFile(parameters, name, context)
    return algorithm.parameterAsString(parameters, name, context)


def _properties(layer) -> dict:
    """The layer's custom properties that are plain values (e.g. the service name)."""
    out = {}
    for key in layer.customPropertyKeys() if layer is not None else []:
        value = layer.customProperty(key)
        if isinstance(value, (str, int, float, bool)):
            out[key] = value
    return out


def _write_source(source, path: Path, layer: str, context, feedback) -> None:
    """The features of ``source`` (a layer, or a Processing source with its selection or
    filter) as the only layer of a GeoPackage 1.2, written by QGIS."""
    from qgis.core import QgsProcessingException, QgsVectorFileWriter

    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = layer
    options.fileEncoding = "UTF-8"
    options.datasourceOptions = ["VERSION=1.2"]
    crs = source.sourceCrs() if hasattr(source, "sourceCrs") else source.crs()
    writer = QgsVectorFileWriter.create(
        str(path), source.fields(), source.wkbType(), crs, context.transformContext(), options
    )
    if writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
        raise QgsProcessingException(f"{path} [{layer}]: {writer.errorMessage()}")
    for feature in source.getFeatures():
        if feedback.isCanceled():
            break
        writer.addFeature(feature)
    del writer


def _file_uri(layer) -> str | None:
    """The URI the worker opens ``layer`` with when it is read from a file by OGR (its
    subset included), so that the checks on input paths (privacy markers, run folders,
    outputs over inputs) see the very file; None for a memory or database layer."""
    if layer is None or layer.providerType() != "ogr" or layer.isModified():
        return None  # (unsaved edits are not in the file)
    uri = layer.source()
    if layer.subsetString() and "|subset=" not in uri:
        uri += f"|subset={layer.subsetString()}"
    return uri


def _layer_spec(algorithm, definition, parameters, context, feedback, folder: Path) -> dict | None:
    """A source or layer parameter for the worker: the layer's file with the selection,
    feature limit or filter the parameter asks for; or, for a layer in no file (memory,
    database), its features (selection applied) in a temporary GeoPackage."""
    from qgis.core import QgsProcessingFeatureSourceDefinition

    name = definition.name()
    layer = algorithm.parameterAsVectorLayer(parameters, name, context)
    uri = _file_uri(layer)
    if uri is not None:
        spec = {"uri": uri, "name": layer.name(), "properties": _properties(layer)}
        value = parameters.get(name)
        if isinstance(value, QgsProcessingFeatureSourceDefinition):
            if value.selectedFeaturesOnly:
                spec["selected"] = sorted(layer.selectedFeatureIds())
            spec["limit"] = int(getattr(value, "featureLimit", -1))
            spec["filter"] = getattr(value, "filterExpression", "") or ""
        return spec
    source = algorithm.parameterAsSource(parameters, name, context)
    if source is None:
        return None
    path = folder / f"{name.lower()}.gpkg"
    _write_source(source, path, name.lower(), context, feedback)
    label = layer.name() if layer is not None else source.sourceName()
    return {"uri": f"{path}|layername={name.lower()}", "name": label,
            "properties": _properties(layer)}  # fmt: skip


def _layer_list_specs(algorithm, name, parameters, context, feedback, folder: Path) -> list:
    specs = []
    for number, layer in enumerate(algorithm.parameterAsLayerList(parameters, name, context)):
        properties = _properties(layer)
        uri = _file_uri(layer)
        if uri is not None:
            specs.append({"uri": uri, "name": layer.name(), "properties": properties})
            continue
        table = f"{name.lower()}_{number}"
        path = folder / f"{table}.gpkg"
        _write_source(layer, path, table, context, feedback)
        specs.append({"uri": f"{path}|layername={table}", "name": layer.name(),
                      "properties": properties})  # fmt: skip
    return specs


def request_of(algorithm, parameters, context, feedback, folder: Path) -> dict:
    """What the worker needs to run ``algorithm`` on ``parameters``: plain values, layers
    (``uri``, ``name``, ``properties``), and a temporary GeoPackage per requested sink."""
    request = {"algorithm": algorithm.id(), "values": {}, "layers": {}, "layer_lists": {},
               "sinks": {}}  # fmt: skip
    for definition in algorithm.parameterDefinitions():
        name, kind = definition.name(), definition.type()
        if parameters.get(name) is None:
            continue
        if kind == "sink":
            destination = algorithm.parameterAsOutputLayer(parameters, name, context)
            if destination:
                request["sinks"][name] = str(folder / f"sink_{name.lower()}.gpkg")
        elif kind in ("fileDestination", "folderDestination"):
            request["values"][name] = algorithm.parameterAsFileOutput(parameters, name, context)
        elif kind in _LAYER_TYPES:
            spec = _layer_spec(algorithm, definition, parameters, context, feedback, folder)
            if spec is not None:
                request["layers"][name] = spec
        elif kind == "multilayer":
            request["layer_lists"][name] = _layer_list_specs(
                algorithm, name, parameters, context, feedback, folder
            )
        else:
            request["values"][name] = _json_value(algorithm, definition, parameters, context)
    return request


def _copy_to_sink(algorithm, parameters, name, context, feedback, path: str):
    """The features the worker wrote to ``path`` into the sink ``name``, by QGIS (text made
    safe for a spreadsheet when the sink is a CSV file, as the algorithm does)."""
    from qgis.core import (
        QgsFeature,
        QgsFeatureSink,
        QgsFields,
        QgsProcessingException,
        QgsVectorLayer,
    )

    from ..qet_geo.io import spreadsheet_safe_text

    layer = QgsVectorLayer(path, "worker", "ogr")
    if not layer.isValid():
        raise QgsProcessingException(
            library_tr("{path}: the separate Python process wrote no layer", path=path)
        )
    destination = str(algorithm.parameterAsOutputLayer(parameters, name, context) or "")
    csv = destination.split("|")[0].lower().endswith(".csv")
    source_fields = layer.fields()
    kept = [i for i in range(source_fields.count()) if source_fields.at(i).name() != "fid"]
    fields = QgsFields()
    for i in kept:
        field = source_fields.at(i)
        if csv:
            field.setName(spreadsheet_safe_text(field.name()))
        fields.append(field)
    sink, sink_id = algorithm.parameterAsSink(
        parameters, name, context, fields, layer.wkbType(), layer.crs()
    )
    if sink is None:
        raise QgsProcessingException(algorithm.invalidSinkError(parameters, name))
    batch = []
    for feature in layer.getFeatures():
        if feedback.isCanceled():
            break
        out = QgsFeature(fields)
        out.setGeometry(feature.geometry())
        values = feature.attributes()
        values = [values[i] for i in kept]
        if csv:
            values = [spreadsheet_safe_text(v) if isinstance(v, str) else v for v in values]
        out.setAttributes(values)
        batch.append(out)
        if len(batch) == 2000:
            sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
            batch = []
    if batch:
        sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
    del sink
    return sink_id


def run_apart(algorithm, parameters, context, feedback) -> dict:
    """Run ``algorithm`` (one of :data:`APART`) in the worker's Python, on its parameters:
    its results, its sinks filled by QGIS. The temporary files are removed whatever
    happens (Cancel, error)."""
    from qgis.core import QgsProcessingException

    from ..plugin.i18n import tr, user_locale
    from ..qet_geo.i18n import language

    with tempfile.TemporaryDirectory(prefix="qet-geo-") as scratch:
        folder = Path(scratch)
        request = request_of(algorithm, parameters, context, feedback, folder)
        if feedback.isCanceled():
            raise QgsProcessingException(tr("Canceled: the outputs are incomplete."))
        request.update(language=language(), locale=user_locale())
        request_file = folder / "request.json"
        request_file.write_text(json.dumps(request), encoding="utf-8")
        module = f"{PLUGIN_DIR.name}.algorithms.isolation"
        try:
            done = run_worker(["algorithm", str(request_file)], feedback, module=module)
        except WorkerCanceled as exc:
            raise QgsProcessingException(tr("Canceled: the outputs are incomplete.")) from exc
        except WorkerFailed as exc:
            if exc.detail:
                feedback.reportError(exc.detail, False)
            message = "\n".join(exc.problems) if exc.problems else library_tr(str(exc))
            raise QgsProcessingException(message) from exc
        results = dict(done.get("results") or {})
        for name, path in request["sinks"].items():
            results[name] = _copy_to_sink(algorithm, parameters, name, context, feedback, path)
            if feedback.isCanceled():
                raise QgsProcessingException(tr("Canceled: the outputs are incomplete."))
        from .layer_style import load_styled

        for uri, name, output in done.get("load") or []:
            if not uri.startswith(scratch):
                load_styled(context, uri, name, output)
    return results


# --- the worker's side ---------------------------------------------------------------------


def _worker_feedback():
    from qgis.core import QgsProcessingFeedback

    from ..qet_geo.worker import emit

    class Events(QgsProcessingFeedback):
        """The algorithm's feedback as events for the parent."""

        def pushInfo(self, text):
            emit("info", message=text)

        def pushWarning(self, text):
            emit("warning", message=text)

        def reportError(self, text, fatal=False):
            emit("report", message=text)

    feedback = Events()
    feedback.progressChanged.connect(lambda percent: emit("progress", percent=percent))
    return feedback


def _layer(spec: dict, context):
    from qgis.core import QgsProcessingException, QgsVectorLayer

    layer = QgsVectorLayer(spec["uri"], spec["name"], "ogr")
    if not layer.isValid():
        raise QgsProcessingException(
            library_tr("{uri}: QGIS cannot open this layer", uri=spec["uri"])
        )
    for key, value in spec.get("properties", {}).items():
        layer.setCustomProperty(key, value)
    context.temporaryLayerStore().addMapLayer(layer)
    return layer


def _source(spec: dict, context):
    """The layer of ``spec``, as a source with its selection, limit and filter if any."""
    from qgis.core import QgsProcessingFeatureSourceDefinition

    layer = _layer(spec, context)
    selected, limit = spec.get("selected"), spec.get("limit", -1)
    if selected is None and limit < 0 and not spec.get("filter"):
        return layer
    if selected is not None:
        layer.selectByIds(selected)
    definition = QgsProcessingFeatureSourceDefinition(layer.id(), selected is not None)
    definition.featureLimit = limit
    if spec.get("filter"):
        definition.filterExpression = spec["filter"]
    return definition


def run_request(request: dict) -> int:
    """Run the request :func:`run_apart` wrote, in this (headless) QGIS; events on stdout."""
    import importlib

    from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProject

    from ..plugin.i18n import install_translator
    from ..qet_geo.errors import QetGeoError
    from ..qet_geo.worker import emit
    from .provider import PROVIDER_ID

    provider, _, name = request["algorithm"].partition(":")
    if provider != PROVIDER_ID or name not in APART:  # a whitelist: nothing else runs here
        emit("error", message=f"{request['algorithm']} does not run apart", problems=[])
        return 2
    # kept for the whole run: a QTranslator nobody holds is deleted, and uninstalled with it
    translator = install_translator(PLUGIN_DIR / "i18n", request.get("locale") or None)  # noqa: F841
    try:  # only this algorithm's module (and packages): the others' cost seconds to import
        algorithm = importlib.import_module(f"{__package__}.{name}").ALGORITHM().create({})
    except ImportError as exc:
        emit("error", message=f"{name}: {type(exc).__name__}: {exc}", problems=[])
        return 2
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = _worker_feedback()
    import signal

    signal.signal(signal.SIGTERM, lambda *_: feedback.cancel())  # Cancel in the parent
    parameters = dict(request["values"])
    parameters.update({k: _source(v, context) for k, v in request["layers"].items()})
    parameters.update(
        {k: [_layer(v, context) for v in specs] for k, specs in request["layer_lists"].items()}
    )
    parameters.update(request["sinks"])
    try:  # in the library's QGIS backend, as every qet-geo processAlgorithm (base.py)
        results = algorithm.processAlgorithm(parameters, context, feedback)
    except (QgsProcessingException, QetGeoError) as exc:
        emit("error", message=str(exc), problems=[])
        return 143 if feedback.isCanceled() else 2
    except Exception as exc:  # noqa: BLE001 - a bug: the parent shows it whole
        import traceback

        emit("error", message=f"{type(exc).__name__}: {exc}", problems=[],
             traceback=traceback.format_exc())  # fmt: skip
        return 1
    import gc

    gc.collect()  # the sinks are closed (and their files complete) when collected
    load = [[uri, details.name, details.outputName]
            for uri, details in context.layersToLoadOnCompletion().items()]  # fmt: skip
    emit("done", results={k: v for k, v in (results or {}).items()
                          if isinstance(v, (str, int, float, bool, type(None)))},
         load=load)  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m <plugin>.algorithms.isolation algorithm REQUEST.json``."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or argv[0] != "algorithm":
        sys.stderr.write("usage: python -m <plugin>.algorithms.isolation algorithm REQUEST\n")
        return 2
    request = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    from ..qet_geo.i18n import set_language

    set_language(request.get("language"))
    application = QgsApplication([], False)
    application.initQgis()
    try:
        code = run_request(request)
    finally:
        sys.stdout.flush()
    os._exit(code)  # no QGIS teardown: it can crash on exit, and everything is written


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
