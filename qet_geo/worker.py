"""The whole job run for a parent process (the QGIS plugin), in a Python of its own.

Inside the QGIS window the wheels of shapely, pyproj and pyogrio would call QGIS's own GEOS,
PROJ and GDAL (:mod:`qet_geo.native`); the plugin runs this module in a separate Python
process instead, where each wheel calls its own library::

    python -m qet_geo.worker versions
    python -m qet_geo.worker run CONFIG.toml [--output FOLDER] [--lang fr|en]
    python -m qet_geo.worker poster OUTPUT.pdf AREA_MAP.gpkg [--model M] [--size A3]
                                    [--diagnostic D.gpkg] [--language fr|en] …

``run`` is :func:`qet_geo.pipeline.run`, the very function of ``qet-geo run``;
``poster`` is :func:`qet_geo.export.posters.write_posters` (``--language``: the posters',
``--lang``: the messages'). Events go
to stdout, one per line, as ``MARK`` followed by JSON: ``start`` / ``finish`` of each step
(``step``, ``total``, ``label``, ``seconds``), ``warning``, then ``done`` (``written``:
kind → paths, ``figures``) or ``error`` (``message``, ``problems``, ``traceback`` for a
bug). SIGTERM stops the run and removes its temporary files (exit code 143).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import traceback

from . import __file__ as package_file
from .errors import QetGeoError
from .i18n import set_language
from .io import Terminated, stop_on_sigterm
from .native import flat_polygon_reads_flat, global_libraries, wheel_libraries
from .pipeline import load_config, run, set_output, steps_of

#: Start of every event line (anything else on stdout is a plain message).
MARK = "@qet-geo-worker "


def emit(event: str, **values) -> None:
    sys.stdout.write(MARK + json.dumps({"event": event, **values}, default=str) + "\n")
    sys.stdout.flush()


class _Events:
    """:class:`qet_geo.pipeline.Progress` as events."""

    def __init__(self, total: int):
        self.total, self.done = total, 0

    def start(self, label: str) -> None:
        emit("start", step=self.done, total=self.total, label=label)

    def finish(self, label: str, seconds: float) -> None:
        self.done += 1
        emit("finish", step=self.done, total=self.total, label=label, seconds=seconds)


def _versions() -> int:
    emit(
        "versions",
        python=sys.executable,
        version="{}.{}.{}".format(*sys.version_info[:3]),
        wheels=wheel_libraries(),
        globals=global_libraries(),
        flat=flat_polygon_reads_flat(),
        library=package_file,
    )
    return 0


def _run(args) -> int:
    try:
        config = load_config(args.config)
        if args.output:
            set_output(config, args.output)
        result = run(config, _Events(len(steps_of(config))))
    except Terminated as exc:
        emit("error", message="stopped (SIGTERM): the outputs are incomplete", problems=[])
        return int(exc.code)
    except QetGeoError as exc:
        problems = getattr(exc, "problems", None) or []
        emit("error", message=str(exc), problems=[str(p) for p in problems])
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug: the parent shows it whole
        emit("error", message=f"{type(exc).__name__}: {exc}", problems=[],
             traceback=traceback.format_exc())  # fmt: skip
        return 1
    for warning in result.warnings:
        emit("warning", message=str(warning))
    emit(
        "done",
        written={kind: [str(p) for p in paths] for kind, paths in result.written.items()},
        figures=result.figures.to_dict(),
        output=str(config.output),
    )
    return 0


def _poster(args) -> int:
    from .export.posters import write_posters
    from .profiles import ProfileModel

    try:
        model = ProfileModel.load(args.model) if args.model else None
        written = write_posters(
            args.output, args.area_map, model, size=args.size, title=args.title,
            date=dt.date.fromisoformat(args.date) if args.date else None, png=args.png,
            language=args.language, diagnostic=args.diagnostic,
        )  # fmt: skip
    except (QetGeoError, ValueError, OSError) as exc:
        problems = getattr(exc, "problems", None) or []
        emit("error", message=str(exc), problems=[str(p) for p in problems])
        return 2
    emit("done", written={kind: [str(p) for p in paths] for kind, paths in written.items()})
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qet_geo.worker")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("versions")
    run = commands.add_parser("run")
    run.add_argument("config")
    run.add_argument("--output")
    poster = commands.add_parser("poster")
    poster.add_argument("output")
    poster.add_argument("area_map")
    poster.add_argument("--model")
    poster.add_argument("--size", default="A3")
    poster.add_argument("--title")
    poster.add_argument("--date")
    poster.add_argument("--png", action="store_true")
    poster.add_argument("--diagnostic")
    poster.add_argument("--language", choices=("fr", "en"), default="fr")
    for command in (run, poster):
        command.add_argument("--lang", choices=("fr", "en"))
    args = parser.parse_args(argv)
    if args.command == "versions":
        return _versions()

    if args.lang:
        set_language(args.lang)
    stop_on_sigterm()  # a stopped run removes its temporary files
    return _run(args) if args.command == "run" else _poster(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
