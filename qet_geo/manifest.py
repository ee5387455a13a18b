"""The manifest of an output folder: did the run that wrote it finish?

``qet-geo run`` (and ``qetgeo:runpipeline`` in QGIS) write ``manifest.json`` in the output
folder twice: first, before touching any output, with ``"complete": false``; last, once
every output is in place, with ``"complete": true``, the library version, the configuration
file's name, the time the run finished and every output with its size and SHA-256.  A run
that was killed (SIGKILL, a power cut) leaves ``"complete": false`` behind, and the exports
(``qet-geo export webmap|poster|project``, the QGIS export algorithms) refuse to publish
from such a folder.  The manifest names files, never their content: it is as public as the
folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import __version__
from .errors import InputError, Problem
from .io import atomic_path, input_path

#: The manifest's name in an output folder.
MANIFEST = "manifest.json"
#: Folders a run of this process is writing (its own exports may read them).
_WRITING: set[str] = set()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(
    folder: str | Path,
    configuration: str | Path | None,
    outputs: Iterable[str | Path] = (),
    *,
    complete: bool,
) -> Path:
    """Write ``folder/manifest.json`` (atomically); ``outputs`` are listed with their size
    and SHA-256 (paths relative to ``folder`` when inside it)."""
    folder = Path(folder)
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    entries = []
    target = folder / MANIFEST
    for path in dict.fromkeys(Path(p) for p in outputs):
        if not path.is_file() or path.resolve() == target.resolve():
            continue
        try:
            name = path.resolve().relative_to(folder.resolve()).as_posix()
        except ValueError:
            name = str(path)
        entries.append({"file": name, "size": path.stat().st_size, "sha256": _sha256(path)})
    data = {
        "complete": complete,
        "library": "qet-geo",
        "version": __version__,
        "configuration": Path(configuration).name if configuration else None,
        ("finished" if complete else "started"): now,
        "outputs": entries,
    }
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target


@contextlib.contextmanager
def running(folder: str | Path, configuration: str | Path | None) -> Iterator[None]:
    """A run writing into ``folder``: the manifest says ``"complete": false`` from the
    start (write it again with ``complete=True`` last, inside the ``with``); meanwhile
    this process's own exports may read the folder."""
    write_manifest(folder, configuration, complete=False)
    key = str(Path(folder).resolve())
    _WRITING.add(key)
    try:
        yield
    finally:
        _WRITING.discard(key)


def read_manifest(folder: str | Path) -> dict | None:
    """The manifest of ``folder``, None when it has none; ``{"complete": False}`` when
    it cannot be read."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"complete": False}
    return data if isinstance(data, dict) else {"complete": False}


def incomplete_problems(inputs: Iterable[str | Path | None]) -> list[Problem]:
    """A problem for each folder among those of ``inputs`` (files, or folders) whose
    manifest says the run that wrote it did not finish."""
    problems, seen = [], set()
    for spec in inputs:
        text = input_path(spec)
        if text is None:
            continue
        path = Path(text)
        folder = path if path.is_dir() else path.parent
        key = str(folder.resolve())
        if key in seen or key in _WRITING:
            continue
        seen.add(key)
        manifest = read_manifest(folder)
        if manifest is not None and manifest.get("complete") is not True:
            problems.append(
                Problem.of(
                    str(folder / MANIFEST),
                    "the run that wrote this folder did not finish: its outputs may be "
                    "partial or out of date",
                    value=str(path),
                    expected="run qet-geo run again until it ends, then export",
                )
            )
    return problems


def check_complete(inputs: Iterable[str | Path | None]) -> None:
    """Raise :class:`~qet_geo.errors.InputError` when :func:`incomplete_problems` finds
    any: nothing is published from the folder of an unfinished run."""
    problems = incomplete_problems(inputs)
    if problems:
        raise InputError(problems)
