"""What the commands share: the options common to several commands (``--lang`` after a
command, the survey options as a parent parser and as an option group),
the checks of inputs and outputs, the language of forum outputs, the way results, warnings
and errors are printed, and the safety net around a command (exit codes: see
:mod:`qet_geo.cli`)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import traceback

from ..engine import ENGINES, Engine
from ..errors import ParameterError, QetGeoError
from ..export.params import LANGUAGES, OutputParameters
from ..i18n import set_language, tr
from ..io import FULL_ERRNO, Terminated, check_outputs, disk_full_error, terminated_status
from ..io import json_ready as json_safe  # noqa: F401 - JSON-safe values
from ..manifest import check_complete
from ..parameters import default
from ..survey import builtin_schemas, import_with
from ..survey.params import LOCATION_KINDS, SurveyParameters
from ..survey.readers import read_respondents_file
from ..threshold import check_min_cell
from ..transit.params import PARTITIONS, Partitioning

#: Exit codes (see :mod:`qet_geo.cli`).
EXIT_INPUT, EXIT_UNEXPECTED, EXIT_INTERRUPTED = 2, 3, 130
#: The status of a command whose reader closed the pipe (128 + SIGPIPE, as Unix tools).
EXIT_BROKEN_PIPE = 141

#: The help of ``--areas`` where distances are measured.
AREAS_HELP = "polygon layer, any CRS (distances are measured in metres in a local metric CRS)"
#: The help of ``--grid`` of the commands that lay a grid over the areas (its default set
#: by the option: ``TransitParameters.grid``, ``ProximityParameters.grid``).
GRID_HELP = "grid spacing in metres (%(default)g)"


# ---------------------------------------------------------------------- shared options
def add_lang(parser: argparse.ArgumentParser, *, forum: bool = False) -> None:
    """``--lang`` after the command: the same option as ``qet-geo --lang`` before it (given
    both ways, the one after the command wins; :func:`resolve_language` merges them). On
    the commands that write forum outputs (``forum``: report, web map, poster, QGIS project)
    it is also their language, and its help says so."""
    parser.add_argument(
        "--lang",
        dest="command_lang",
        choices=LANGUAGES,
        help="language of messages and of forum outputs (default: messages from "
        "QET_GEO_LANG or LANG, outputs in French)"
        if forum
        else "language of messages (default: from QET_GEO_LANG or LANG)",
    )


def resolve_language(args: argparse.Namespace) -> None:
    """``args.lang``: the ``--lang`` after the command, else the one before it."""
    if args.command_lang:
        args.lang = args.command_lang


def output_language(args: argparse.Namespace) -> str:
    """The language of forum outputs: ``--lang`` when given, else French (never the
    language of messages taken from the environment)."""
    return args.lang or default(OutputParameters, "language")


def _add_location_options(group) -> None:
    group.add_argument(
        "--schema",
        default=None,
        help=f"built-in schema ({', '.join(builtin_schemas())}) or a YAML/JSON "
        f"schema file (default: {SurveyParameters.schema})",
    )
    group.add_argument(
        "--location",
        choices=LOCATION_KINDS,
        default=SurveyParameters.location,
        help="where homes are: point geometry, lon/lat or x/y columns, an area "
        "code column, or none (default: auto)",
    )
    group.add_argument("--x", dest="x", help="longitude or x column (default: recognised by name)")
    group.add_argument("--y", dest="y", help="latitude or y column (default: recognised by name)")
    group.add_argument("--crs", help="CRS of the x/y columns, e.g. EPSG:2154")
    group.add_argument("--area", help="area (IRIS) code column (default: recognised by name)")
    group.add_argument("--layer", help="layer of a multi-layer file (GeoPackage)")
    group.add_argument("--sheet", help="sheet of a workbook (name or 0-based number)")


def _survey_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "file", help="survey export: CSV/TSV, XLSX, ODS, GeoPackage, GeoJSON, Shapefile"
    )
    _add_location_options(parent)
    parent.add_argument(
        "--no-extent-check",
        action="store_true",
        help="do not flag locations outside France or swapped lon/lat",
    )
    parent.add_argument(
        "--strict", action="store_true", help="stop at the first problem instead of rejecting rows"
    )
    return parent


def add_respondents_survey_options(parser: argparse.ArgumentParser) -> None:
    """How to read ``--respondents`` when it is a survey export rather than a respondents
    file (areas map, compare): the options of ``survey import``, in a group of their own."""
    _add_location_options(
        parser.add_argument_group(
            "when --respondents is a survey export",
            "how to read it (as for qet-geo survey import); rows that cannot be imported are "
            "left out",
        )
    )


#: FILE, a survey export, and how to read it (survey, footprint and profiles commands).
SURVEY = _survey_parent()


# ---------------------------------------------------------------------- reading inputs
def survey_parameters(args: argparse.Namespace, *, strict=False, extent_check=True):
    """The options of :data:`SURVEY` as the library's :class:`SurveyParameters`."""
    return SurveyParameters(
        schema=args.schema or SurveyParameters.schema, location=args.location, x=args.x,
        y=args.y, crs=args.crs, area=args.area, layer=args.layer, sheet=args.sheet,
        extent_check=extent_check, strict=strict,
    )  # fmt: skip


def import_answers(args: argparse.Namespace, file, *, strict=False, extent_check=True):
    """The survey export ``file`` imported with the options of :data:`SURVEY`."""
    return import_with(file, survey_parameters(args, strict=strict, extent_check=extent_check))


def import_file(args: argparse.Namespace):
    """FILE imported with the options of :data:`SURVEY` (``--strict`` included)."""
    return import_answers(
        args, args.file, strict=args.strict, extent_check=not args.no_extent_check
    )


def load_respondents(args: argparse.Namespace, file, *, strict=False, extent_check=True):
    """Respondents of ``file``: a respondents file written by qet-geo (read as it is), or a
    survey export imported with its schema. Returns (respondents, rows rejected)."""
    respondents = read_respondents_file(file) if args.schema is None else None
    if respondents is not None:
        return respondents, 0
    result = import_answers(args, file, strict=strict, extent_check=extent_check)
    return result.respondents, result.report.rejected


def known_respondents(args: argparse.Namespace):
    """The respondents of ``--respondents`` (a respondents file written by qet-geo), so that
    layers on their homes are refused; None without it."""
    if not getattr(args, "respondents", None):
        return None
    respondents = read_respondents_file(args.respondents)
    if respondents is None:
        raise ParameterError(
            tr("--respondents: {path} is not a respondents file written by qet-geo",
               path=args.respondents)
        )  # fmt: skip
    return respondents


#: Options of the commands that name files they read.
INPUT_OPTIONS = ("file", "respondents", "areas", "census", "model", "gtfs", "streets",
                 "population", "schema", "weights", "ptal", "compare", "proximity", "su",
                 "emdv", "ngc", "su_data", "review", "diagnostic", "ballots", "subjects", "votes",
                 "levers")  # fmt: skip


def inputs_of(args: argparse.Namespace) -> list[str]:
    """Every file the command reads (options of :data:`INPUT_OPTIONS`, --service and
    --background specs)."""
    paths = []
    for name in INPUT_OPTIONS:
        value = getattr(args, name, None)
        paths.extend(value if isinstance(value, list) else [value])  # several GTFS feeds
    for spec in getattr(args, "service", None) or []:
        paths.append(spec.partition("=")[2])
    paths += list(getattr(args, "background", None) or [])
    return [str(p) for p in paths if isinstance(p, str) and p]


def check_command_outputs(args: argparse.Namespace, *outputs) -> None:
    """Before any work: no output (side files included) is one of the inputs, and no two
    outputs are one file (:func:`qet_geo.io.check_outputs`)."""
    check_outputs(inputs_of(args), outputs)


def check_published_inputs(args: argparse.Namespace) -> None:
    """The exports publish nothing from the folder of a run that did not finish."""
    check_complete(inputs_of(args))


def check_threshold(args: argparse.Namespace) -> None:
    """--min-cell under 3 without --allow-below-3 refused before any file is read, the
    message naming the flag (the library's names its parameter, ``allow_below_3=True``)."""
    try:
        check_min_cell(args.min_cell, args.allow_below_3, override="--allow-below-3")
    except ValueError as exc:
        raise ParameterError(str(exc)) from exc


# ---------------------------------------------------------------------- printing
def warn(warning) -> None:
    """One warning on the standard error."""
    print(f"qet-geo: {tr('warning')}: {warning}", file=sys.stderr)


def print_json(content, indent: int = 1, **options) -> None:
    """``content`` as JSON on the standard output."""
    json.dump(content, sys.stdout, ensure_ascii=False, indent=indent, **options)
    sys.stdout.write("\n")


def print_lines(lines) -> None:
    """A result's summary (its ``lines()``): the first line, the others under it, indented."""
    for number, line in enumerate(lines):
        print(line if number == 0 else f"  {line}")


def print_written(paths) -> None:
    for path in paths:
        print(tr("written: {path}", path=path))


# ---------------------------------------------------------------------- the safety net
def execute(args: argparse.Namespace) -> int:
    """Run the command ``args.func``: a qet-geo error is its message (exit 2), Ctrl+C and
    SIGTERM one line, a closed pipe silence, anything else one line (:func:`unexpected`)."""
    try:
        status = args.func(args)
        sys.stdout.flush()  # here, not at exit: a closed pipe is then said as such
        return status
    except BrokenPipeError:
        return broken_pipe()
    except Terminated as exc:
        print(f"qet-geo: {tr('stopped (SIGTERM): the outputs are incomplete')}", file=sys.stderr)
        return int(exc.code)
    except QetGeoError as exc:
        print(f"qet-geo: {tr('error')}: {exc}", file=sys.stderr)
        problems = getattr(exc, "problems", [])
        if getattr(args, "json", False):  # a script reading stdout gets JSON all the same
            json_error({"error": str(exc), "problems": [p.to_dict() for p in problems]})
        for problem in problems[1:20]:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(f"qet-geo: {tr('interrupted (Ctrl+C): the outputs are incomplete')}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the last safety net: one line, not a traceback
        status = terminated_status()
        if status is not None:  # SIGTERM inside an import: another exception, still a stop
            print(f"qet-geo: {tr('stopped (SIGTERM): the outputs are incomplete')}",
                  file=sys.stderr)  # fmt: skip
            return status
        return unexpected(exc, args)


def broken_pipe() -> int:
    """The reader of the standard output closed it (``| head``): stop quietly, as Unix
    tools do; what is left of the output goes nowhere (its flush at exit would fail)."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def stream_failed(exc: OSError, argv: list[str]) -> int:
    """What argparse wrote (help, version, usage) could not be written: a closed pipe is
    quiet, a full disk one line; anything else is raised again."""
    if isinstance(exc, BrokenPipeError):
        return broken_pipe()
    if exc.errno not in FULL_ERRNO:
        raise exc
    for i, arg in enumerate(argv[:-1]):  # the options are not parsed: --lang read here
        if arg == "--lang" and argv[i + 1] in LANGUAGES:
            set_language(argv[i + 1])
    reason = tr(FULL_ERRNO[exc.errno])
    print(f"qet-geo: {tr('error')}: {tr('standard output: disk full ({reason})', reason=reason)}",
          file=sys.stderr)  # fmt: skip
    drop_stdout()
    return EXIT_INPUT


def unexpected(exc: Exception, args: argparse.Namespace) -> int:
    """An exception qet-geo did not raise on purpose: one line naming it and the hint to
    rerun with --debug (which prints the traceback); a full disk is said as such."""
    full = disk_full_error(exc)
    if full is not None:
        print(f"qet-geo: {tr('error')}: {full}", file=sys.stderr)
        if getattr(args, "json", False):
            json_error({"error": str(full), "problems": []})
        else:
            drop_stdout()  # flushed, or dropped when it is the stream that is full
        return EXIT_INPUT
    if args.debug:
        traceback.print_exception(exc, file=sys.stderr)
    message = " ".join(str(exc).split())
    if len(message) > 300:
        message = message[:300] + "…"
    kind = type(exc).__name__
    print(f"qet-geo: {tr('unexpected error: {kind}: {message}', kind=kind, message=message)}",
          file=sys.stderr)  # fmt: skip
    if not args.debug:
        print(f"qet-geo: {tr('rerun with --debug to see the traceback')}", file=sys.stderr)
    if getattr(args, "json", False):
        json_error(
            {"error": f"{kind}: {message}", "unexpected": True, "type": kind, "problems": []}
        )
    return EXIT_UNEXPECTED


def json_error(content: dict) -> None:
    try:
        json.dump(content, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    except OSError:  # the standard output is what failed (a full disk, a closed pipe)
        pass
    drop_stdout()


def drop_stdout() -> None:
    """Send what is left of the standard output nowhere: its last flush at exit would fail
    again, with a message after ours and exit code 120."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def add_engine(parser: argparse.ArgumentParser) -> None:
    """The options of large runs: partitions and the engine that computes them."""
    group = parser.add_argument_group(tr("large runs (regions, a country)"))
    group.add_argument("--partition", choices=PARTITIONS,
                       help="compute the PTAL grid in partitions: by département (INSEE codes), "
                            "by square tile, auto (département when every id is a code); "
                            "default none, auto with --engine dask")  # fmt: skip
    group.add_argument("--tile", type=float, help="side of a tile in metres (default 50000)")
    group.add_argument("--engine", choices=ENGINES,
                       help="where the partitions are computed: local (this process, default) "
                            "or dask (pip install 'qet-geo[dask]')")  # fmt: skip
    group.add_argument("--scheduler", help="address of a running Dask scheduler: tcp://HOST:8786")
    group.add_argument(
        "--workers",
        type=int,
        help="worker processes of Dask's local cluster (default: one per core)",
    )


ENGINE_NAMES = {"by": "--partition", "tile": "--tile", "engine": "--engine",
                "scheduler": "--scheduler", "workers": "--workers"}  # fmt: skip


def engine_of(args: argparse.Namespace, defaults: dict | None = None):
    """(Partitioning, Engine) of the options of :func:`add_engine`, over ``defaults`` (the
    configuration's ``[run]``): an option given replaces its key, ``--engine local`` the
    configuration's workers and scheduler, ``--scheduler`` its workers and ``--workers``
    its scheduler (either implies the dask engine); checked before any file is read."""
    d = {k: v for k, v in (defaults or {}).items() if not k.startswith("_")}
    given = {k: getattr(args, k) for k in ("engine", "scheduler", "workers", "partition", "tile")
             if getattr(args, k, None) is not None}  # fmt: skip
    if given.get("engine") == "local":
        d.pop("scheduler", None)
        d.pop("workers", None)
    if "scheduler" in given:
        d.pop("workers", None)
    if "workers" in given:
        d.pop("scheduler", None)
    if ("scheduler" in given or "workers" in given) and "engine" not in given:
        d["engine"] = "dask"
    values = {**d, **given}
    engine = Engine.of(values.get("engine"), values.get("scheduler"), values.get("workers"),
                       names=ENGINE_NAMES)  # fmt: skip
    by = values.get("partition") or ("auto" if engine.name == "dask" else None)
    return Partitioning.of(by, values.get("tile"), names=ENGINE_NAMES), engine


class PartitionProgress:
    """``progress(done, total)`` of the partitions on standard error: a bar on a terminal,
    nothing for a single partition."""

    def __init__(self, label: str = "PTAL", stream=None, width: int = 30):
        self.label, self.width = label, width
        self.stream = stream or sys.stderr
        self.tty = getattr(self.stream, "isatty", lambda: False)()

    def __call__(self, done: int, total: int) -> None:
        if total <= 1:
            return
        filled = round(self.width * done / total)
        line = tr("{label}: partition {done}/{total}", label=self.label, done=done, total=total)
        line = f"[{'█' * filled}{'·' * (self.width - filled)}] {line}"
        if self.tty:
            self.stream.write("\r\033[K" + line + ("\n" if done == total else ""))
        elif done == total or (10 * done) // total != (10 * (done - 1)) // total:
            self.stream.write(line + "\n")  # a log: about ten lines
        self.stream.flush()
