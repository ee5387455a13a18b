"""The geometry work in a separate Python process when this QGIS has its own GEOS, PROJ or
GDAL in the global symbol scope (``qgis.bin``, ``qgis_process.bin`` on Linux).

There the wheels of shapely, pyproj and pyogrio would call QGIS's libraries instead of
their own (:mod:`qet_geo.native`): a 2-D polygon reads as 3-D with M values, and the
poster step raised ``GEOSException``. So the whole diagnostic (``qetgeo:runpipeline``)
runs :mod:`qet_geo.worker` (the command line's own pipeline) in a Python found next to
QGIS's, with the plugin's copy of the library and QGIS's ``sys.path`` (where the user's
packages are); its progress goes to the Processing feedback, Cancel stops it.

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
    paths = [str(PLUGIN_DIR)]
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


def run_worker(arguments: list[str], feedback) -> dict:
    """``python -m qet_geo.worker ARGUMENTS`` in the worker's Python, its events relayed to
    ``feedback`` (steps as progress, warnings); the ``done`` event. Cancel (in the dialog)
    stops the process, which removes its temporary files."""
    worker = find_worker()
    if worker.python is None:
        raise WorkerFailed(no_python_message(worker))
    feedback.pushInfo(
        library_tr(
            "Running in a separate Python process ({python}): QGIS's GEOS is not shapely's",
            python=worker.python,
        )  # fmt: skip
    )
    command = [worker.python, "-m", "qet_geo.worker", *arguments]
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
            elif kind == "warning":
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
            "qet-geo therefore runs the whole diagnostic and the posters in a separate Python "
            "process: {python} (packages: {wheels}). The other algorithms run in QGIS's "
            "process, QGIS reading and writing their layers.",
            python=worker.python,
            wheels=wheels,
        )
    )
    return True, "\n".join(lines)
