"""The whole job in one run: ``qet-geo run CONFIG.toml``.

survey → footprints → profiles → areas → transit access → proximity → comparison →
GeoPackages, web map, posters, QGIS project; every output in one folder, with a progress
bar and a final summary of what was written. :func:`run` is the one orchestration:
``qetgeo:runpipeline`` calls it too, inside QGIS, with QGIS's geo backend.

The configuration is a TOML file (``sample_data/qet-geo.toml`` is the documented example);
paths in it are relative to the file. Every key is checked before anything runs: an
unknown key, a value of the wrong kind or a missing input file is an error naming the
file, the line, the key, the value and what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import sys
import time
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Protocol

from .areas.params import AreaParameters
from .constraints.output import (
    COMPARE_LAYERS,
    PROXIMITY_LAYERS,
    layers_files,
    write_comparison,
    write_proximity,
)
from .constraints.params import CompareParameters, ProximityParameters
from .display import Summary
from .engine import ENGINES, Engine
from .errors import InputError, ParameterError, Problem, QetGeoError
from .export.params import POSTER_SIZES, OutputParameters
from .export.project import write_project
from .footprint.params import FootprintParameters
from .footprint.su import su_footprints
from .geo import layer_names, read_frame
from .i18n import Message, language, tr
from .io import overwrite_problems, remove_leftovers, split_layer
from .limits import check_file_size
from .manifest import MANIFEST, running, write_manifest
from .parameters import CONFIG, check_argument, check_path, choices, default
from .privacy import check_not_respondents
from .profiles.encoding import read_weights
from .profiles.params import WEIGHT_PRESET_NAMES, ProfileParameterError, ProfileParameters
from .survey import builtin_schemas, import_with, write_rejects
from .survey.params import SurveyParameters
from .survey.readers import sheet_or_layer_problem
from .transit import parse_window
from .transit.feeds import feed_paths, read_feeds
from .transit.params import PARTITIONS, Partitioning, TransitParameters
from .transit.ptal import parameter_problem, parse_route_types

#: The parameter dataclass of each section: its defaults and choices are the
#: configuration's (:mod:`qet_geo.parameters`), and its ``validate()`` runs on the checked
#: values (the rules that need several keys).
PARAMETERS = {
    "survey": SurveyParameters, "footprints": FootprintParameters, "profiles": ProfileParameters,
    "areas": AreaParameters, "transit": TransitParameters, "proximity": ProximityParameters,
    "compare": CompareParameters, "outputs": OutputParameters,
}  # fmt: skip


def _d(section: str, key: str):
    """The default of ``[section] key`` (the top-level keys are the outputs')."""
    return default(PARAMETERS.get(section, OutputParameters), key)


def _c(section: str, key: str) -> tuple:
    """The choices of ``[section] key``."""
    return choices(PARAMETERS.get(section, OutputParameters), key)


#: What the configuration may hold: section → key → (kind, default). Kinds: "str",
#: "path" (an existing file or folder, relative to the configuration), "int", "float",
#: "bool", a tuple of allowed strings, "sizes" (poster sizes), "table" (name → text),
#: "paths" (a list of PATH[:LAYER]). Defaults and choices come from :data:`PARAMETERS`.
SCHEMA: dict[str, dict[str, tuple]] = {
    "": {"title": ("str", _d("", "title")), "language": (_c("", "language"), _d("", "language")),
         "output": ("str", "out"), "date": ("date", _d("", "date"))},
    "survey": {"file": ("file", None), "schema": ("str", _d("survey", "schema")),
               "location": (_c("survey", "location"), _d("survey", "location")),
               **{key: ("str", _d("survey", key)) for key in ("x", "y", "crs", "area", "layer")},
               "sheet": ("sheet", _d("survey", "sheet")),
               "extent_check": ("bool", _d("survey", "extent_check"))},
    "footprints": {"heating": ("bool", _d("footprints", "heating"))},
    "profiles": {"method": (_c("profiles", "method"), _d("profiles", "method")),
                 "weights": ("str", _d("profiles", "weights")), "k": ("k", _d("profiles", "k")),
                 "target_count": ("count2", _d("profiles", "target_count")),
                 "seed": ("int", _d("profiles", "seed")),
                 "bootstrap": ("count0", _d("profiles", "bootstrap")),
                 "names": ("names", _d("profiles", "names")),
                 "colours": ("colours", _d("profiles", "colours"))},
    "areas": {"file": ("file", None), "layer": ("str", None), "id_field": ("str", None),
              "name_field": ("str", None), "census": ("file", None),
              "weights": (_c("areas", "weights"), _d("areas", "weights")),
              "min_cell": ("count1", _d("areas", "min_cell")),
              "allow_below_3": ("bool", _d("areas", "allow_below_3"))},
    "transit": {"gtfs": ("feeds", None), "date": ("date", _d("transit", "date")),
                "window": ("window", _d("transit", "window")),
                "grid": ("grid", _d("transit", "grid")),
                "route_types": ("route_types", _d("transit", "route_types"))},
    "proximity": {"services": ("table", None), "grid": ("grid", _d("proximity", "grid")),
                  "radius": ("radius", _d("proximity", "radius")), "people": ("paths", [])},
    "compare": {"service": ("str", _d("compare", "service")),
                "profile": ("count1", _d("compare", "profile")),
                "bootstrap": ("count0", _d("compare", "bootstrap"))},
    "diagnostic": {"emdv": ("file", None), "ngc": ("file", None), "su_data": ("file", None),
                   "review": ("file", None), "food_service": ("str", None),
                   "repair_service": ("str", None), "levers": ("file", None),
                   "residents": ("count1", None)},
    "forum": {"votes": ("file", None)},
    # large runs: the PTAL grid in partitions, computed here or on a Dask cluster
    "run": {"engine": (ENGINES, None), "scheduler": ("str", None), "workers": ("count1", None),
            "partition": (PARTITIONS, None), "tile": ("float", None)},
    "outputs": {"webmap": ("bool", _d("outputs", "webmap")),
                "offline": ("bool", _d("outputs", "offline")),
                "tiles": ("bool", _d("outputs", "tiles")),
                "transit_lines": ("bool", _d("outputs", "transit_lines")),
                "background": ("paths", []), "poster": ("sizes", list(_d("outputs", "poster"))),
                "project": ("bool", _d("outputs", "project"))},
}  # fmt: skip
#: Sections and keys a run cannot go without.
REQUIRED = {"survey": ("file",), "areas": ("file",)}
#: Output file names in the output folder.
NAMES = {
    "respondents": "respondents.gpkg",
    "rejects": "rejects.csv",
    "model": "profiles.json",
    "private_model": "profiles.private.json",
    "report": "profiles.html",
    "profiles_table": "profiles.csv",
    "areas": "areas.gpkg",
    "ptal": "ptal.gpkg",
    "proximity": "proximity.gpkg",
    "compare": "compare.gpkg",
    "webmap": "carte.html",
    "poster": "affiche_{size}.pdf",
    "layout": "affiche_{size}.qpt",
    "project": "projet.qgz",
    "diagnostic": "diagnostic.gpkg",
    "diagnostic_private": "diagnostic.private.gpkg",
    "diagnostic_poster": "affiche_diagnostic_{size}.pdf",
}


@dataclass
class Config:
    """A checked configuration: ``values[section][key]`` with defaults filled in and paths
    made absolute."""

    path: Path
    values: dict

    def __getitem__(self, section: str) -> dict:
        return self.values[section]

    def has(self, section: str) -> bool:
        return bool(self.values.get(section, {}).get("_present"))

    @property
    def output(self) -> Path:
        return self.values[""]["output"]

    def out(self, name: str, **values) -> Path:
        return self.output / NAMES[name].format(**values)


def load_config(path) -> Config:
    """Read and check a configuration file (see :data:`SCHEMA`).

    Parameters
    ----------
    path : str or pathlib.Path
        The TOML configuration (``sample_data/qet-geo.toml`` is the documented example).

    Returns
    -------
    Config
        The checked values, the paths resolved from the file's folder, ``output``; for
        :func:`run`.

    Raises
    ------
    InputError
        The file is missing, too large, not TOML (line, column), or a key or value is
        unknown or bad (section, key, value, expected).

    References
    ----------
    [QeT-method]: the job a configuration describes, step by step; each step's sources
    are cited by its function (:func:`run`). The pages are ``docs/notebook.md`` and
    ``docs/forum.md``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> config = qg.load_config("sample_data/qet-geo.toml")
    >>> config.output.name  # doctest: +SKIP
    'out'
    """
    check_path(path, "load_config", "path")
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise InputError(Problem.of(name, "file not found", expected="a TOML configuration"))

    check_file_size(path, "config_bytes")
    text = _config_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+), column (\d+)", str(exc))
        raise InputError(
            Problem.of(name, Message("not valid TOML: {error}", error=str(exc)), row=int(found.group(1)) if found else None,
                       expected="key = value lines under [section] headers")
        ) from exc  # fmt: skip
    except RecursionError as exc:  # [[[[… deeper than Python's parser goes
        raise InputError(
            Problem.of(name, Message("not valid TOML: {error}", error="nested too deeply"),
                       expected="key = value lines under [section] headers")
        ) from exc  # fmt: skip
    base = path.resolve().parent
    problems: list[Problem] = []

    def problem(section, key, value, reason, expected=None):
        column = f"[{section}] {key}" if section else key
        problems.append(Problem.of(name, reason, row=_line_of(text, section, key), column=column,
                                   value=None if value is None else _shown(value), expected=expected))  # fmt: skip

    values: dict = {}
    top = {k: v for k, v in data.items() if not isinstance(v, dict)}
    for section, content in [("", top)] + [(k, v) for k, v in data.items() if isinstance(v, dict)]:
        if section not in SCHEMA:
            problem("", section, None, "unknown section",
                    expected=", ".join(f"[{s}]" for s in SCHEMA if s))  # fmt: skip
            continue
        out = {"_present": True}
        for key, value in content.items():
            if key not in SCHEMA[section]:
                problem(section, key, value, "unknown key", expected=", ".join(SCHEMA[section]))
                continue
            kind = SCHEMA[section][key][0]
            checked, expected = _check(kind, value, base)
            if expected:
                problem(section, key, value, "not a valid value", expected=expected)
            else:
                out[key] = checked
        values[section] = out
    for section, spec in SCHEMA.items():
        content = values.setdefault(section, {"_present": False})
        for key, (_kind, value) in spec.items():
            content.setdefault(key, value)
    for section, keys in REQUIRED.items():
        for key in keys:
            if values[section].get(key) is None and not any(
                p.column == f"[{section}] {key}" for p in problems
            ):
                problem(section, key, None, "missing", expected="a file")
    _resolve_choice_or_file(values, "survey", "schema", _builtin_schemas(), base, problem)
    _resolve_choice_or_file(values, "profiles", "weights", WEIGHT_PRESET_NAMES, base, problem)
    _check_profiles(values["profiles"], problem)
    survey = values["survey"]
    if survey.get("file") is not None:
        wrong = sheet_or_layer_problem(survey["file"], layer=survey["layer"], sheet=survey["sheet"])
        if wrong is not None:
            problem("survey", wrong.column, wrong.value, wrong.reason, expected=wrong.expected)
    areas = values["areas"]
    if areas.get("file") is not None and areas.get("layer"):
        _check_layer(str(areas["file"]), areas["layer"], "areas", "layer", problem)
    elif areas.get("file") is not None:
        _check_one_polygon_layer(str(areas["file"]), problem)
    services = values["proximity"].get("services") or {}
    for service, spec in services.items():
        resolved = _layer_spec(spec, base)
        if resolved is None:
            problem("proximity", f"services.{service}", spec, "file not found",
                    expected="PATH or PATH:LAYER of a point layer")  # fmt: skip
        else:
            services[service] = resolved
            if _check_layer(*split_layer(resolved), "proximity", f"services.{service}", problem):
                _check_private(resolved, "service", "proximity", f"services.{service}", problem)
    for name in values["proximity"].get("people") or []:
        if name not in services:
            problem("proximity", "people", name, "no such service in [proximity] services",
                    expected=", ".join(services) or "a [proximity] services table")  # fmt: skip
    focus = values["compare"].get("service")
    if focus is not None and focus not in services:
        problem("compare", "service", focus, "no such service in [proximity] services",
                expected=", ".join(services) or "a [proximity] services table")  # fmt: skip
    run_section = values["run"]
    try:
        engine = Engine.of(run_section.get("engine"), run_section.get("scheduler"),
                           run_section.get("workers"))  # fmt: skip
    except ParameterError as exc:  # the key the message is about
        key = next((k for k in ("scheduler", "workers") if k in str(exc) and run_section.get(k)),
                   "engine")  # fmt: skip
        problem("run", key, run_section.get(key), str(exc))
    else:
        try:
            Partitioning.of(run_section.get("partition") or ("auto" if engine.name == "dask" else None),
                            run_section.get("tile"), names={"by": "[run] partition", "tile": "[run] tile"})  # fmt: skip
        except ParameterError as exc:
            key = "tile" if run_section.get("tile") is not None else "partition"
            problem("run", key, run_section.get(key), str(exc))
    if values["compare"]["_present"] and not values["transit"].get("gtfs"):
        problem("compare", "service", None, "the comparison needs [transit] gtfs")
    diagnostic = values["diagnostic"]
    answers = ("[diagnostic] emdv", "[diagnostic] ngc")
    if (
        diagnostic["_present"]
        and diagnostic.get("emdv") is None
        and diagnostic.get("ngc") is None
        and not any(p.column in answers for p in problems)
    ):
        problem("diagnostic", "emdv", None, "missing",
                expected="emdv = FILE (the EMdV answers), ngc = FILE (the NGC answers) or both")  # fmt: skip
    if diagnostic.get("levers") is not None:  # the levers file: checked before anything runs
        from .diagnostic.manoeuvre import read_levers

        try:
            read_levers(diagnostic["levers"])
        except InputError as exc:
            first = exc.problems[0]
            problem("diagnostic", "levers", first.column or diagnostic["levers"], first.reason,
                    expected=first.expected)  # fmt: skip
    for key in ("food_service", "repair_service"):
        service = diagnostic.get(key)
        if service is not None and service not in services:
            problem("diagnostic", key, service, "no such service in [proximity] services",
                    expected=", ".join(services) or "a [proximity] services table")  # fmt: skip
    _validate(values, "areas", problems, problem)
    background = []
    for spec in values["outputs"].get("background") or []:
        resolved = _layer_spec(spec, base)
        if resolved is None:
            problem("outputs", "background", spec, "file not found", expected="PATH or PATH:LAYER")
            continue
        background.append(resolved)
        kind = _check_layer(*split_layer(resolved), "outputs", "background", problem)
        if kind is not None and "point" in kind.lower():
            problem("outputs", "background", spec, "a point layer cannot be a background "
                    "(it could show respondents' homes)", expected="lines or polygons")  # fmt: skip
        elif kind is not None:
            _check_private(resolved, "background", "outputs", "background", problem)
    values["outputs"]["background"] = background
    for section in ("survey", "footprints", "transit", "proximity", "compare", "outputs"):
        _validate(values, section, problems, problem)
    output = Path(values[""]["output"])
    values[""]["output"] = output if output.is_absolute() else (base / output).resolve()
    config = Config(path.resolve(), values)
    problems.extend(output_problems(config, row=_line_of(text, "", "output")))
    if problems:
        raise InputError(problems)
    return config


def _config_text(path: Path) -> str:
    """The configuration's text: UTF-8, with or without the BOM Windows Notepad writes; any
    other encoding is an error naming the line and the byte (never a replacement character
    published in a title or a profile name)."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            Problem.of(str(path), Message("not UTF-8 text: byte 0x{byte:02X} at column {column}",
                                          byte=raw[exc.start], column=column), row=line, expected="a TOML file saved as UTF-8 (the encoding TOML requires)")
        ) from exc  # fmt: skip


def _shown(value) -> str:
    """A configuration value as a message shows it: short, whatever its depth."""
    import reprlib

    if isinstance(value, str):
        return value if len(value) <= 200 else value[:200] + "…"
    shown = reprlib.Repr()
    shown.maxlevel, shown.maxstring, shown.maxother = 3, 80, 80
    return shown.repr(value)


def inputs_of(config: Config) -> list[Path]:
    """Every file or folder the configuration reads."""
    v = config.values
    gtfs = v["transit"].get("gtfs")
    paths = [v["survey"].get("file"), v["areas"].get("file"), v["areas"].get("census"),
             *(gtfs if isinstance(gtfs, list) else [gtfs])]  # fmt: skip
    paths += [v["diagnostic"].get(k) for k in ("emdv", "ngc", "su_data", "review", "levers")]
    paths.append(v["forum"].get("votes"))
    for section, key in (("survey", "schema"), ("profiles", "weights")):
        value = v[section].get(key)
        if value is not None and Path(value).is_absolute():
            paths.append(value)
    for spec in list((v["proximity"].get("services") or {}).values()) + list(
        v["outputs"]["background"]
    ):
        paths.append(split_layer(spec)[0])
    out = []
    for path in paths:
        if path is not None:
            out += [Path(os.path.abspath(path)), Path(path).resolve()]
    return out


def output_problems(config: Config, row: int | None = None) -> list[Problem]:
    """Problems of the output folder: it must be a folder (or not exist yet) and hold none
    of the inputs, so that no output can ever be written over an input."""
    folder = config.output
    where = dict(file=str(config.path), row=row, column="output", value=str(folder))
    if folder.exists() and not folder.is_dir():
        return [
            Problem.of(
                reason="is a file, not a folder", expected="a folder for the outputs", **where
            )
        ]
    for used in inputs_of(config):
        if used == folder or folder in used.parents:
            return [Problem.of(reason="the output folder holds an input", expected="a folder of its own "
                               "for the outputs (inputs are only read)", **where)]  # fmt: skip

    return overwrite_problems(inputs_of(config), outputs_of(config))


def outputs_of(config: Config) -> list[Path]:
    """Every file a run of ``config`` may write, side files included (CSVs beside the
    GeoPackages, PNGs beside the posters, the manifest)."""
    from .areas.output import area_map_files
    from .transit.output import transit_files

    steps = steps_of(config)
    paths = [config.output / MANIFEST, config.out("rejects")]
    paths += [config.out(n) for n in ("model", "report", "profiles_table", "respondents")]
    paths += area_map_files(config.out("areas"))
    if "transit" in steps:
        paths += transit_files(config.out("ptal"))
    if "proximity" in steps:
        paths += layers_files(config.out("proximity"), PROXIMITY_LAYERS)
    if "compare" in steps:
        paths += layers_files(config.out("compare"), COMPARE_LAYERS)
    if "diagnostic" in steps:
        from .diagnostic.output import output_files

        paths += output_files(config.out("diagnostic"), config.out("diagnostic_private"))
    if "vote" in steps:
        from .forum.votes import VOTE_AREAS, VOTE_FILES

        paths += [config.output / name for name in (*VOTE_FILES, VOTE_AREAS)]
    paths += [config.out(n) for n in ("webmap", "project") if n in steps]
    for size in config["outputs"]["poster"] or []:
        pdf = config.out("poster", size=size)
        paths += [pdf, pdf.with_suffix(".png"), config.out("layout", size=size)]
        if "diagnostic" in steps:
            pdf = config.out("diagnostic_poster", size=size)
            paths += [pdf, pdf.with_suffix(".png")]
    if "diagnostic" in steps and config["outputs"]["poster"]:
        from .diagnostic.manoeuvre import read_levers
        from .export.forum_panels import forum_files

        keys = dict.fromkeys(
            lv.subject for lv in read_levers(config["diagnostic"]["levers"]).levers
        )
        paths += forum_files(config.output, keys, config["outputs"]["poster"])
    return paths


def set_output(config: Config, folder) -> None:
    """Send the outputs to ``folder`` (checked like the configuration's own)."""
    config.values[""]["output"] = Path(folder).resolve()
    problems = output_problems(config)
    if problems:
        raise InputError(problems)


def _check_layer(path: str, layer: str | None, section: str, key: str, problem) -> str | None:
    """The geometry type of ``layer`` in ``path`` (its only layer when None); a problem when
    the file cannot be read or has no such layer."""
    try:
        layers = dict(layer_names(path))
    except Exception as exc:  # noqa: BLE001 - any unreadable file
        problem(section, key, path, Message("not a readable layer: {error}", error=str(exc)))
        return None
    if layer is None:
        return next(iter(layers.values())) if len(layers) == 1 else None
    if layer not in layers:
        problem(section, key, f"{path}:{layer}", "no such layer in the file",
                expected=", ".join(layers))  # fmt: skip
        return None
    return layers[layer]


def _check_private(spec: str, use: str, section: str, key: str, problem, respondents=None):
    """A problem when the layer ``spec`` holds respondents or derives from them."""
    path, layer = split_layer(spec)
    try:
        check_not_respondents(path, use, layer=layer, name=spec, respondents=respondents)
    except InputError as exc:
        first = exc.problems[0]
        problem(section, key, spec, first.reason, expected=first.expected)


def _check_one_polygon_layer(path: str, problem) -> None:
    """Without ``[areas] layer`` the file must hold one polygon layer (or one layer)."""
    try:
        layers = layer_names(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable file
        problem("areas", "file", path, Message("not a readable layer: {error}", error=str(exc)))
        return
    polygons = [name for name, kind in layers if "polygon" in str(kind).lower()]
    if len(polygons) != 1 and len(layers) != 1:
        problem("areas", "layer", None, "several layers: choose the areas layer",
                expected=Message("one of {choices}",
                                 choices=", ".join(polygons or [n for n, _ in layers])))  # fmt: skip


def parameters_of(values: dict, section: str):
    """The parameter dataclass of ``section`` (:data:`PARAMETERS`) holding the checked
    ``values`` (the top-level title, date and language are the outputs')."""
    cls = PARAMETERS[section]
    given = {**values.get("", {}), **values[section]} if section == "outputs" else values[section]
    names = {f.name for f in fields(cls)}
    return cls(**{
        key: tuple(value) if isinstance(value, list) else value
        for key, value in given.items() if key in names
    })  # fmt: skip


def _validate(values: dict, section: str, problems: list, problem) -> list[Problem]:
    """The problems the parameters of ``section`` find (``validate()``), reported at their
    key unless that key already has one; returned."""
    found = parameters_of(values, section).validate()
    reported = {p.column for p in problems}
    for wrong in found:
        where = "" if section == "outputs" and wrong.column in ("title", "date", "language") else section  # fmt: skip
        if (f"[{where}] {wrong.column}" if where else wrong.column) not in reported:
            problem(where, wrong.column, wrong.value, wrong.reason, expected=wrong.expected)
    return found


def _check_profiles(p: dict, problem) -> None:
    """The profile parameters as the model takes them: an error now, not after the import
    (:meth:`ProfileParameters.validate`, then the model's own checks)."""
    from .profiles import ProfileModel

    if p["method"] != "near" and p.get("k") is None:
        p["k"] = "auto"
    found = ProfileParameters(**{
        key: value for key, value in p.items() if key in {f.name for f in fields(ProfileParameters)}
        and value is not None
    }).validate()  # fmt: skip
    for wrong in found:
        problem("profiles", wrong.column, wrong.value, wrong.reason, expected=wrong.expected)
    if any(wrong.reason.startswith("k is for the other methods") for wrong in found):
        return
    weights = p.get("weights")
    if weights not in (None, *WEIGHT_PRESET_NAMES):
        try:
            weights = read_weights(weights)
        except InputError as exc:
            problem("profiles", "weights", p["weights"],
                    Message("not a JSON file of weights ({error})", error=str(exc)))  # fmt: skip
            return
    if found:
        return

    try:
        ProfileModel(p["method"], weights=weights or "current", target_count=p.get("target_count"),
                     k=p.get("k"), seed=p.get("seed") or 0, names=p.get("names") or {},
                     colours=p.get("colours") or {}).checked_parameters()  # fmt: skip
    except ProfileParameterError as exc:
        problem("profiles", exc.config_key, exc.value, "not a valid value", expected=exc.expected)
    except (ValueError, TypeError, KeyError) as exc:
        problem("profiles", "method", p["method"],
                Message("the profile parameters cannot be used: {error}", error=str(exc)))  # fmt: skip


def _builtin_schemas() -> tuple:
    return tuple(builtin_schemas())


def _resolve_choice_or_file(values, section, key, choices, base, problem) -> None:
    """A value that is one of ``choices`` or a file relative to the configuration."""
    value = values[section].get(key)
    if value is None or value in choices:
        return
    target = Path(value) if Path(value).is_absolute() else base / value
    if target.is_file():
        values[section][key] = str(target.resolve())
    else:
        problem(section, key, value, "not a valid value",
                expected=Message("one of {choices}, or a file", choices=", ".join(choices)))  # fmt: skip


def _check(kind, value, base: Path):
    """(value as used, None) or (None, what was expected)."""
    if isinstance(kind, tuple):
        return (
            (value, None)
            if value in kind
            else (None, Message("one of {choices}", choices=", ".join(kind)))
        )
    if kind == "str":
        return (value, None) if isinstance(value, str) else (None, "text in quotes")
    if kind == "bool":
        return (value, None) if isinstance(value, bool) else (None, "true or false")
    if kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return (value, None) if ok else (None, "a whole number")
    if kind == "float" and isinstance(value, float) and not math.isfinite(value):
        return None, "a finite number (not inf or nan)"  # grid and radius: their range below
    if kind == "float":
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
        return (float(value), None) if ok else (None, "a positive number")
    if kind in ("count0", "count1", "count2"):
        low = int(kind[-1])
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
        return (value, None) if ok else (None, Message("a whole number from {low}", low=low))
    if kind in ("grid", "radius"):  # the check of the command line and Processing
        expected = parameter_problem(kind, value)
        return (float(value), None) if expected is None else (None, expected)
    if kind == "route_types":
        if not isinstance(value, dict):
            return None, 'a table such as { "99" = "bus", "4" = "none" }'
        try:
            return parse_route_types(value, "route_types"), None
        except ParameterError as exc:
            return None, str(exc).partition("expected ")[2] or str(exc)
    if kind == "k":
        if value == "auto" or (
            isinstance(value, int) and not isinstance(value, bool) and value >= 2
        ):
            return value, None
        return None, 'a whole number from 2, or "auto"'
    if kind == "sheet":
        ok = isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
        return (str(value), None) if ok else (None, "a sheet name or number")
    if kind == "window":
        try:
            parse_window(str(value))
        except ValueError:
            return None, "a time window HH:MM-HH:MM"
        return str(value), None
    if kind in ("names", "colours"):
        if not isinstance(value, dict) or not value:
            return None, 'a table such as { 1 = "…", 2 = "…" }'
        out = {}
        for key, text in value.items():
            if not str(key).isdigit() or int(key) < 1 or not isinstance(text, str):
                return None, 'profile numbers as keys: { 1 = "…", 2 = "…" }'
            if kind == "colours" and not re.fullmatch(r"#[0-9A-Fa-f]{6}", text):
                return None, 'colours as "#RRGGBB"'
            if kind == "names" and (not text.strip() or ";" in text or "=" in text):
                return None, "names without ; or ="
            out[int(key)] = text.strip()
        return out, None
    if kind == "date":
        if isinstance(value, dt.datetime):
            return None, "a date YYYY-MM-DD (without a time)"
        if isinstance(value, dt.date):
            return value, None
        from .transit.gtfs import service_date  # the rule of --date and Processing

        try:
            return service_date(str(value)), None
        except ValueError:
            return None, "a date YYYY-MM-DD"
    if kind == "feeds":  # a GTFS zip or folder, a folder of feeds, or a list of them
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(v, str) for v in items):
            return None, 'a path in quotes, or a list of paths ["star.zip", "ter.zip"]'
        paths = []
        for item in items:
            checked, expected = _check("path", item, base)
            if expected:
                return None, Message("{expected}: {path}", expected=tr(expected), path=item)
            paths.append(checked)
        try:
            feed_paths(paths)  # a feed twice, a folder without a feed: said now, not midway
        except InputError as exc:
            return None, str(exc)
        return (paths if isinstance(value, list) else paths[0]), None
    if kind in ("path", "file"):
        if not isinstance(value, str):
            return None, "a path in quotes"
        target = Path(value) if Path(value).is_absolute() else base / value
        if not target.exists():
            return None, "an existing file (relative to the configuration)"
        if kind == "file" and not target.is_file():
            return None, "a file, not a folder"
        return Path(os.path.abspath(target)), None  # not resolved: a link is where it is
    if kind == "table":
        ok = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        return (dict(value), None) if ok else (None, 'a table such as { name = "text" }')
    if kind == "paths":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return (list(value), None) if ok else (None, 'a list such as ["file.gpkg:layer"]')
    if kind == "sizes":
        if isinstance(value, bool) and not value:
            return [], None
        if isinstance(value, str):
            value = [value]
        ok = isinstance(value, list) and all(v in POSTER_SIZES for v in value)
        return (list(value), None) if ok else (None, '["A3", "A0"], "A3", "A0" or false')
    raise AssertionError(kind)


def _layer_spec(spec: str, base: Path) -> str | None:
    """PATH[:LAYER] with PATH made absolute; None when the file does not exist."""
    if not isinstance(spec, str):
        return None
    whole = Path(spec) if Path(spec).is_absolute() else base / spec
    if whole.exists():
        return os.path.abspath(whole)
    path, sep, layer = spec.rpartition(":")
    if not sep or not path:
        return None
    target = Path(path) if Path(path).is_absolute() else base / path
    return f"{os.path.abspath(target)}:{layer}" if target.exists() else None


def _line_of(text: str, section: str, key: str) -> int | None:
    """The line (1-based) of ``key`` in ``[section]`` (or of the section header), if found."""
    current = ""
    header = None
    root = key.split(".")[0]
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        found = re.match(r"\[\s*([^\]]+?)\s*\]", stripped)
        if found:
            current = found.group(1)
            if not section and current == root:
                return number
            if current == section:
                header = number
            continue
        if current == section and re.match(rf"{re.escape(root)}\s*=", stripped):
            return number
    return header


# ---------------------------------------------------------------------------- running
def _step(step: str) -> dict:
    """The metadata of a figure of the run: the step that gives it."""
    return {"step": step}


@dataclass(frozen=True)
class RunFigures(Summary):
    """The key figures of a run, as its steps gave them (``figures`` of ``qet-geo run
    --json`` and of the worker's ``done`` event; the last line of the run). The figures of
    a step that did not run are None and left out of :meth:`to_dict`."""

    #: rows read from the survey file (step ``survey``)
    rows_read: int | None = field(default=None, metadata=_step("survey"))
    #: respondents imported (step ``survey``)
    accepted: int | None = field(default=None, metadata=_step("survey"))
    #: rows rejected (step ``survey``)
    rejected: int | None = field(default=None, metadata=_step("survey"))
    #: the respondents' mean total footprint, kgCO2e/yr (step ``footprints``)
    mean_footprint_kg: float | None = field(default=None, metadata=_step("footprints"))
    #: profiles found (step ``profiles``)
    profiles: int | None = field(default=None, metadata=_step("profiles"))
    #: areas of the map (step ``areas``)
    areas: int | None = field(default=None, metadata=_step("areas"))
    #: of them, areas suppressed (step ``areas``)
    areas_suppressed: int | None = field(default=None, metadata=_step("areas"))
    #: respondents mapped in an area (step ``areas``)
    mapped: int | None = field(default=None, metadata=_step("areas"))
    #: Cramér's V of profiles × PTAL band (step ``compare``; None when undefined)
    cramers_v: float | None = field(default=None, metadata=_step("compare"))
    #: Spearman's ρ of the mobility footprint against the access index (step ``compare``)
    spearman: float | None = field(default=None, metadata=_step("compare"))
    #: EMdV answers imported and rejected (step ``diagnostic``)
    emdv_accepted: int | None = field(default=None, metadata=_step("diagnostic"))
    emdv_rejected: int | None = field(default=None, metadata=_step("diagnostic"))
    #: NGC answers imported and rejected (step ``diagnostic``)
    ngc_accepted: int | None = field(default=None, metadata=_step("diagnostic"))
    ngc_rejected: int | None = field(default=None, metadata=_step("diagnostic"))
    #: the citizen vote: ballots counted and the subject chosen (key), step ``vote``
    vote_ballots: int | None = field(default=None, metadata=_step("vote"))
    vote_winner: str | None = field(default=None, metadata=_step("vote"))
    #: the steps that gave figures, in the order they ran
    steps: tuple[str, ...] = ()

    def _written(self, name: str) -> bool:
        step = next(f.metadata.get("step") for f in fields(self) if f.name == name)
        return step in self.steps

    def of_step(self, step: str, **figures) -> RunFigures:
        """These figures and those ``step`` gave."""
        return replace(self, steps=(*self.steps, step), **figures)

    @classmethod
    def from_dict(cls, values, *, source: str = "figures") -> RunFigures:
        """The figures of ``values`` (as :meth:`to_dict` gives them); the steps of the keys
        given."""
        given = super().from_dict(values, source=source)
        steps = [f.metadata["step"] for f in fields(cls) if f.name in values and f.metadata]
        return replace(given, steps=tuple(dict.fromkeys(steps)))


@dataclass
class RunResult:
    """What a run wrote (kind → paths) and its key figures (:class:`RunFigures`)."""

    written: dict = field(default_factory=dict)
    figures: RunFigures = field(default_factory=RunFigures)
    warnings: list = field(default_factory=list)
    seconds: dict = field(default_factory=dict)


class RunProgress(Protocol):
    """What :func:`run` tells while it runs, and asks: each step's start and end (its label
    translated, its seconds), and — optional method — whether to stop (``canceled()``,
    asked before each step). :class:`Progress` (the command line), the worker's events
    (``qet_geo/worker.py``) and the QGIS feedback (``algorithms/runpipeline.py``) are such."""

    def start(self, label: str) -> None: ...

    def finish(self, label: str, seconds: float) -> None: ...


class Canceled(QetGeoError):
    """The run was stopped between two steps (:meth:`RunProgress.canceled`)."""


class Progress:
    """A progress bar on a terminal, one line per step elsewhere (logs, CI)."""

    def __init__(self, total: int, stream=None, width: int = 30):
        self.total, self.done, self.width = total, 0, width
        self.stream = stream or sys.stderr
        self.tty = getattr(self.stream, "isatty", lambda: False)()

    def start(self, label: str) -> None:
        self._draw(label, "…")

    def canceled(self) -> bool:  # Ctrl+C stops the command line at once (KeyboardInterrupt)
        return False

    def part(self, label: str, done: int, total: int) -> None:
        """A step computed in parts (PTAL's partitions): where it is, on a terminal."""
        if self.tty and total > 1:
            self._draw(label, tr("partition {done}/{total}", done=done, total=total))

    def finish(self, label: str, seconds: float) -> None:
        self.done += 1
        self._draw(label, seconds_text(seconds))
        if self.tty and self.done == self.total:
            self.stream.write("\n")

    def _draw(self, label: str, tail: str) -> None:
        filled = round(self.width * self.done / max(self.total, 1))
        bar = "█" * filled + "·" * (self.width - filled)
        line = f"[{bar}] {self.done}/{self.total} {label} {tail}"
        if self.tty:
            self.stream.write("\r\033[K" + line)
        elif tail != "…":
            self.stream.write(line + "\n")
        self.stream.flush()


def steps_of(config: Config) -> list[str]:
    """The steps a configuration runs, in order."""
    steps = ["survey", "footprints", "profiles", "areas"]
    if config["transit"].get("gtfs"):
        steps.append("transit")
    if config["proximity"].get("services"):
        steps.append("proximity")
    if config["transit"].get("gtfs"):
        steps.append("compare")
    d = config["diagnostic"]
    if d.get("emdv") is not None or d.get("ngc") is not None:
        steps.append("diagnostic")
    if config["forum"].get("votes") is not None:
        steps.append("vote")
    if config["outputs"]["webmap"]:
        steps.append("webmap")
    if config["outputs"]["poster"]:
        steps.append("poster")
    if config["outputs"]["project"]:
        steps.append("project")
    return steps


#: Step labels (translated when shown).
LABELS = {
    "survey": "survey import",
    "footprints": "footprints (Nos Gestes Climat)",
    "profiles": "usage profiles",
    "areas": "indicators by area",
    "transit": "transit access (PTAL)",
    "proximity": "proximity to services",
    "compare": "profiles against constraints",
    "diagnostic": "the diagnostic (EMdV, NGC)",
    "vote": "the citizen vote",
    "webmap": "web map",
    "poster": "posters",
    "project": "QGIS project",
}


def run(config, progress: RunProgress | None = None, *, output=None) -> RunResult:
    """Run the whole job of a configuration (``qet-geo run CONFIG.toml``); the outputs go
    to ``config.output`` (created).

    The one orchestration of the whole job: ``qet-geo run``, the desktop's separate process
    (``qet_geo/worker.py``) and ``qetgeo:runpipeline`` (inside ``geo.using(QgisBackend())``,
    so that QGIS reads and writes every layer) all call it.

    Parameters
    ----------
    config : str, pathlib.Path or Config
        The TOML configuration (``sample_data/qet-geo.toml`` is the documented example),
        or one already read by :func:`load_config`.
    progress : RunProgress, optional
        Hears of each step (default: a :class:`Progress` bar on the standard error); a
        ``progress.canceled()`` that turns true stops the run before the next step
        (:class:`Canceled`, the manifest left saying "complete": false).
    output : str or pathlib.Path, optional
        The output folder, in place of the configuration's (``qet-geo run -o``).

    Returns
    -------
    RunResult
        What was written (``written``: kind → paths), the key figures and the warnings.

    Raises
    ------
    InputError
        A bad configuration (:func:`load_config`) or input file of a step.

    References
    ----------
    [QeT-method]: the job, step by step. Each step cites its own sources:
    :func:`read_survey` ([NEAR-SU]), :func:`add_footprints` ([NGC-model]),
    :class:`ProfileModel`, :func:`map_areas` ([Wilson-1927], [Deming-Stephan-1940]…),
    :func:`transit_access` ([TfL-PTAL-2015]), :func:`compare`. The pages are
    ``docs/notebook.md`` and ``docs/forum.md``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> result = qg.run("sample_data/qet-geo.toml")  # doctest: +SKIP
    >>> sorted(result.written)  # doctest: +SKIP
    ['areas', 'compare', 'poster', 'profiles', ...]
    """
    if not isinstance(config, Config):
        check_argument(config, (str, os.PathLike), "run", "config", CONFIG)
        config = load_config(config)
    if output is not None:
        set_output(config, output)
    steps = steps_of(config)

    progress = progress or Progress(len(steps))
    canceled = getattr(progress, "canceled", lambda: False)
    state = _State(config, RunResult(), progress)
    config.output.mkdir(parents=True, exist_ok=True)
    remove_leftovers(config.output, [p.name for p in outputs_of(config)])  # a killed run's
    with running(config.output, config.path):  # "complete": false before any output
        for step in steps:
            if canceled():
                raise Canceled(tr("canceled: the outputs are incomplete"))
            label = tr(LABELS[step])
            progress.start(label)
            began = time.perf_counter()
            getattr(state, step)()
            elapsed = time.perf_counter() - began
            state.result.seconds[step] = elapsed
            progress.finish(label, elapsed)
        written = [path for paths in state.result.written.values() for path in paths]
        write_manifest(config.output, config.path, written, complete=True)  # last
    return state.result


class _State:
    """The steps, sharing what they computed."""

    def __init__(self, config: Config, result: RunResult, progress=None):
        self.c, self.result, self.progress = config, result, progress
        self._feeds = None

    def feeds(self) -> list:
        """The GTFS feeds of ``[transit] gtfs``, read once for PTAL and the web map's lines."""
        if self._feeds is None:
            self._feeds = read_feeds(self.c["transit"]["gtfs"])
        return self._feeds

    def _wrote(self, kind: str, *paths) -> None:
        self.result.written.setdefault(kind, []).extend(Path(p) for p in paths)

    def survey(self) -> None:
        s = self.c["survey"]
        result = import_with(s["file"], parameters_of(self.c, "survey"))
        self.respondents = result.respondents
        report = result.report
        self.result.figures = self.result.figures.of_step(
            "survey", rows_read=report.rows_read, accepted=report.accepted, rejected=report.rejected
        )
        write_rejects(result.rejects, self.c.out("rejects"))
        self._wrote("rejects", self.c.out("rejects"))
        if not report.accepted:
            raise InputError(Problem.of(str(s["file"]), "no row could be imported",
                                        expected="see " + str(self.c.out("rejects"))))  # fmt: skip
        self._refuse_private_layers()

    def _refuse_private_layers(self) -> None:
        """Service and background layers on the respondents' homes, refused as soon as the
        homes are known (the configuration check caught the marked ones)."""
        problems: list[Problem] = []

        def problem(section, key, value, reason, expected=None):
            problems.append(Problem.of(str(self.c.path), reason, column=f"[{section}] {key}",
                                       value=value, expected=expected))  # fmt: skip

        for name, spec in (self.c["proximity"].get("services") or {}).items():
            _check_private(spec, "service", "proximity", f"services.{name}", problem, self.respondents)  # fmt: skip
        for spec in self.c["outputs"]["background"] if self.c["outputs"]["webmap"] else []:
            _check_private(spec, "background", "outputs", "background", problem, self.respondents)  # fmt: skip
        if problems:
            raise InputError(problems)

    def footprints(self) -> None:
        self.respondents = su_footprints(self.respondents, heating=self.c["footprints"]["heating"])
        fp = self.respondents["fp_total"]
        self.result.figures = self.result.figures.of_step(
            "footprints", mean_footprint_kg=round(float(fp.mean()), 0)
        )

    def profiles(self) -> None:
        from .profiles import ProfileModel, detect, weights_of

        p = self.c["profiles"]
        model = ProfileModel(
            p["method"], weights=weights_of(p["weights"]), target_count=p["target_count"], k=p["k"],
            seed=p["seed"], names=p["names"] or {}, colours=p["colours"] or {},
            min_cell=self.c["areas"]["min_cell"], allow_below_3=self.c["areas"]["allow_below_3"],
        )  # fmt: skip
        try:
            detection = detect(self.respondents, model=model, n_boot=p["bootstrap"],
                               source=str(self.c["survey"]["file"]))  # fmt: skip
        except ProfileParameterError as exc:  # k or target_count beyond what the answers allow
            raise InputError(
                Problem.of(str(self.c.path), "not a valid value for these answers",
                           column=f"[profiles] {exc.config_key}", value=str(exc.value),
                           expected=exc.expected)
            ) from exc  # fmt: skip
        model, self.respondents = detection
        self.model = model
        detection.write(self.c.out("model"), private=self.c.out("private_model"),
                        labelled=self.c.out("respondents"), table=self.c.out("profiles_table"),
                        report=self.c.out("report"), language=self.c[""]["language"])  # fmt: skip
        self._wrote("respondents", self.c.out("respondents"))
        self._wrote("private_model", self.c.out("private_model"))
        self._wrote(
            "profiles", self.c.out("model"), self.c.out("report"), self.c.out("profiles_table")
        )
        self.result.figures = self.result.figures.of_step("profiles", profiles=model.k_)
        self.result.warnings.extend(model.quality_messages())

    def _areas(self):
        if not hasattr(self, "_area_layer"):
            from .areas import read_areas

            a = self.c["areas"]
            self._area_layer = read_areas(a["file"], layer=a["layer"], id_field=a["id_field"],
                                          name_field=a["name_field"])  # fmt: skip
        return self._area_layer

    def areas(self) -> None:
        from .areas import map_areas, read_census, write_area_map

        a = self.c["areas"]
        result = map_areas(
            self.respondents, self._areas(), model=self.model,
            census=read_census(a["census"]) if a["census"] else None, weights=a["weights"],
            min_cell=a["min_cell"], allow_below_3=a["allow_below_3"],
        )  # fmt: skip
        self.area_pattern = result.pattern  # the one pattern every table by area applies
        written = write_area_map(result, self.c.out("areas"), csv=True, language=self.c[""]["language"])  # fmt: skip
        self._wrote("areas", *written)
        s = result.summary
        self.result.figures = self.result.figures.of_step(
            "areas", areas=s.areas, areas_suppressed=s.areas_suppressed, mapped=s.joined
        )
        self.result.warnings.extend(str(w) for w in result.warnings)

    def transit(self) -> None:
        from .transit import transit_access
        from .transit.output import write_transit_access

        t = self.c["transit"]
        params = TransitParameters.of(date=t["date"], window=t["window"], grid=t["grid"],
                                      route_types=t["route_types"])  # fmt: skip
        r = self.c["run"]
        engine = Engine.of(r["engine"], r["scheduler"], r["workers"])
        partition = Partitioning.of(r["partition"] or ("auto" if engine.name == "dask" else None),
                                    r["tile"])  # fmt: skip
        part = getattr(self.progress, "part", None)
        self.transit_result = transit_access(
            self.feeds(), self._areas(), params=params, partition=partition, engine=engine,
            progress=(lambda done, total: part(tr(LABELS["transit"]), done, total)) if part else None,
        )  # fmt: skip
        self._wrote(
            "ptal",
            *write_transit_access(
                self.transit_result, self.c.out("ptal"), language=self.c[""]["language"]
            ),
        )
        self.result.warnings.extend(str(w) for w in self.transit_result.warnings)
        if self.transit_result.metric.reprojected:  # say where the metres were measured
            self.result.warnings.append(self.transit_result.metric.describe())

    def _services(self) -> dict:
        if not hasattr(self, "_service_points"):
            from .constraints.proximity import read_services

            specs = self.c["proximity"]["services"] or {}
            self._service_points = read_services(
                specs, self._areas().crs, getattr(self, "respondents", None)
            )
        return self._service_points

    def proximity(self) -> None:
        from .constraints import proximity

        pr = self.c["proximity"]
        result = proximity(self._areas(), self._services(), spacing=pr["grid"], radius=pr["radius"],
                           people=pr["people"] or (), min_cell=self.c["areas"]["min_cell"],
                           allow_below_3=self.c["areas"]["allow_below_3"])  # fmt: skip
        self.proximity_result = result.areas
        self._wrote(
            "proximity",
            *write_proximity(result, self.c.out("proximity"), language=self.c[""]["language"]),
        )
        self.result.warnings.extend(str(w) for w in result.warnings)

    def compare(self) -> None:
        from .constraints import compare

        c = self.c["compare"]
        if c["profile"] is not None and c["profile"] > self.model.k_:
            raise InputError(Problem.of(str(self.c.path), "no such profile", column="[compare] profile",
                                        value=str(c["profile"]), expected=Message("{low} to {high}", low=1, high=self.model.k_)))  # fmt: skip
        services = self._services()
        if c["service"]:
            services = {c["service"]: services[c["service"]]}
        result = compare(
            self.respondents, self._areas(), self.transit_result, model=self.model,
            services=services or None,
            focus_profile=c["profile"], min_cell=self.c["areas"]["min_cell"],
            allow_below_3=self.c["areas"]["allow_below_3"], n_boot=c["bootstrap"],
            pattern=self.area_pattern,
        )  # fmt: skip
        self._wrote(
            "compare",
            *write_comparison(result, self.c.out("compare"), language=self.c[""]["language"]),
        )
        s = result.summary
        self.result.figures = self.result.figures.of_step(
            "compare", cramers_v=s.cramers_v_profiles_ptal, spearman=s.spearman_mobility_ai
        )

    def diagnostic(self) -> None:
        """The EMdV and NGC answers linked to the run's profiles (or NEAR's ``Su Data``),
        analysed with the run's threshold, estimated per area from the area map's profile
        mix and set against the measured PTAL and proximity."""
        import pandas as pd

        from .diagnostic.job import run_diagnostic
        from .diagnostic.link import model_profiles
        from .diagnostic.manoeuvre import band_counts
        from .diagnostic.places import PlaceMeasures
        from .diagnostic.su_codes import SU_VARIABLES

        d, a = self.c["diagnostic"], self.c["areas"]
        profiles, counts, bands = None, None, None
        if d["su_data"] is None:  # the run's profiles as published, with the area map's shares
            profiles = model_profiles(self.model, source=str(self.c.out("model")))
            profiles.shares = self._population_shares(profiles.shares)
            labels = pd.Series(self.model.published_labels(self.respondents["profile"]))
            counts = {int(p): int(n) for p, n in labels.value_counts().items() if not pd.isna(p)}
            answered = [v for v in SU_VARIABLES if v in self.respondents.columns]
            # the respondents' bands: the room for manoeuvre of the levers
            bands = band_counts(labels, self.respondents[answered], profiles.numbers)
        place = PlaceMeasures(
            ptal=getattr(getattr(self, "transit_result", None), "areas", None),
            proximity=getattr(self, "proximity_result", None),
            food=d["food_service"], repair=d["repair_service"],
        )  # fmt: skip
        names = {key: f"[diagnostic] {key}" for key in ("emdv", "ngc", "su_data")}
        names["model"] = str(self.c.out("model"))
        # NEAR's profiles (su_data) are not the run's: the area map's mix, the run's counts
        # and names say nothing of them, so no area is estimated with them
        own = d["su_data"] is None
        run = run_diagnostic(
            emdv=d["emdv"], ngc=d["ngc"], su_data=d["su_data"], model=profiles,
            min_cell=a["min_cell"], allow_below_3=a["allow_below_3"], review=d["review"],
            output=self.c.out("diagnostic"), private=self.c.out("diagnostic_private"),
            language=self.c[""]["language"],
            areas=f"{self.c.out('areas')}:area_indicators" if own else None,
            names=names, place=place if own else None, su_counts_of=counts,
            su_bands_of=bands, levers=d["levers"], residents=d["residents"],
        )  # fmt: skip
        self.diagnostic_own_profiles = own
        self.diagnostic_subjects = run.subjects is not None
        if not own:
            self.result.warnings.append(tr(
                "[diagnostic] su_data: NEAR's profiles are not this run's, so the diagnostic "
                "is not estimated per area nor set against the place, and the room for "
                "manoeuvre is not computed"))  # fmt: skip
        private = self.c.out("diagnostic_private")
        self._wrote("diagnostic", *[p for p in run.written if Path(p) != private])
        self._wrote("diagnostic_private", private)
        for survey, imp in run.imports.items():
            if not imp.report.accepted:  # nothing of it analysed: not a diagnostic
                raise InputError(Problem.of(
                    str(d[survey]), "no row could be imported",
                    column=f"[diagnostic] {survey}", expected=Message(
                        "see the layer {layer} of {file}", layer=f"{survey}_rejects",
                        file=self.c.out("diagnostic_private").name)))  # fmt: skip
        figures = {}
        for survey, imp in run.imports.items():
            figures[f"{survey}_accepted"] = imp.report.accepted
            figures[f"{survey}_rejected"] = imp.report.rejected
        self.result.figures = self.result.figures.of_step("diagnostic", **figures)
        self.result.warnings.extend(tr(n) for n in run.diagnostic.notes)
        self.result.warnings.extend(line.strip() for line in run.location_lines)
        for survey, imp in run.imports.items():
            if imp.report.rejected:
                self.result.warnings.append(tr(
                    "{survey}: {rejected} of {rows} rows rejected, each with its reasons in "
                    "{file} (layer {layer})", survey=survey.upper().replace("EMDV", "EMdV"),
                    rejected=imp.report.rejected, rows=imp.report.rows_read,
                    file=self.c.out("diagnostic_private").name, layer=f"{survey}_rejects"))  # fmt: skip

    def _population_shares(self, fallback: dict) -> dict:
        """Each profile's share of the population as the area map publishes it (weighted
        when the run weights the answers), the model's shares where it does not."""
        table = read_frame(str(self.c.out("areas")), "profiles")
        shares = {int(r.profile): float(r.share) for r in table.itertuples()
                  if r.share is not None and math.isfinite(float(r.share))}  # fmt: skip
        if set(shares) != set(fallback) or not sum(shares.values()):
            return fallback
        total = sum(shares.values())
        return {p: s / total for p, s in shares.items()}

    def vote(self) -> None:
        """The citizen vote (``[forum] votes``) on the run's subjects (those of the
        diagnostic's room for manoeuvre, else the usage keys), per area of the area map,
        with the run's threshold."""
        from .diagnostic.output import csv_of
        from .forum.votes import vote

        a = self.c["areas"]
        subjects = csv_of(self.c.out("diagnostic"), "forum_subjects")
        result = vote(self.c["forum"]["votes"], self.c.output,
                      subjects=subjects if getattr(self, "diagnostic_subjects", False) else None,
                      areas=f"{self.c.out('areas')}:area_indicators", min_cell=a["min_cell"],
                      allow_below_3=a["allow_below_3"], language=self.c[""]["language"])  # fmt: skip
        self._wrote("vote", *result.written)
        self.result.figures = self.result.figures.of_step(
            "vote", vote_ballots=len(result.ballots.choices), vote_winner=result.winner
        )
        self.result.warnings.extend(line for line in result.lines() if "ex aequo" in line)

    def webmap(self) -> None:
        from .export.webmap import read_inputs, write_webmap

        o = self.c["outputs"]
        has = self.result.written
        inputs = read_inputs(
            self.c.out("areas"),
            ptal=self.c.out("ptal") if "ptal" in has else None,
            compare=self.c.out("compare") if "compare" in has else None,
            gtfs=self.feeds() if o["transit_lines"] and self.c["transit"].get("gtfs") else None,
            background=o["background"], respondents=getattr(self, "respondents", None),
            # the diagnostic's themes are its estimates per area (none with NEAR's profiles)
            diagnostic=self.c.out("diagnostic")
            if "diagnostic" in has and self.diagnostic_own_profiles else None,
            votes=self.c.output / "vote_areas.gpkg" if "vote" in has else None,
        )  # fmt: skip
        path = write_webmap(self.c.out("webmap"), inputs, title=self.c[""]["title"],
                            language=self.c[""]["language"], offline=o["offline"],
                            tiles=o["tiles"], date=self.c[""]["date"])  # fmt: skip
        self._wrote("webmap", path)

    def poster(self) -> None:
        from .export.layout import write_layout
        from .export.poster import write_poster

        for size in self.c["outputs"]["poster"]:
            self._wrote("poster", *write_poster(
                self.c.out("poster", size=size), self.c.out("areas"), self.model, size=size,
                title=self.c[""]["title"], date=self.c[""]["date"],
                language=self.c[""]["language"]))  # fmt: skip
            self._wrote("layout", write_layout(
                self.c.out("layout", size=size), self.c.out("areas"), size=size,
                title=self.c[""]["title"], date=self.c[""]["date"],
                language=self.c[""]["language"]))  # fmt: skip
            if "diagnostic" in self.result.written:
                from .export.diagnostic_poster import write_diagnostic_poster
                from .export.poster import area_profiles

                colours, names = (area_profiles(self.c.out("areas"))  # those of the maps
                                  if self.diagnostic_own_profiles else (None, None))  # fmt: skip
                self._wrote("diagnostic_poster", *write_diagnostic_poster(
                    self.c.out("diagnostic_poster", size=size), self.c.out("diagnostic"),
                    size=size, title=self.c[""]["title"], date=self.c[""]["date"],
                    language=self.c[""]["language"], names=names, colours=colours))  # fmt: skip
        if getattr(self, "diagnostic_subjects", False):  # the forum: a panel per subject, ballots
            from .export.forum_panels import write_forum

            self._wrote("forum", *write_forum(
                self.c.out("diagnostic"), self.c.output, sizes=self.c["outputs"]["poster"],
                language=self.c[""]["language"], date=self.c[""]["date"]))  # fmt: skip

    def project(self) -> None:
        has = self.result.written
        layers = {kind: self.c.out(kind) for kind in ("areas", "ptal", "compare", "proximity",
                                                     "diagnostic") if kind in has}  # fmt: skip
        self._wrote("project", write_project(self.c.out("project"), layers, title=self.c[""]["title"],
                                             language=self.c[""]["language"], layouts=self._layouts))  # fmt: skip

    def _layouts(self, layer_ids: dict) -> str:
        """The poster's print layouts (one per poster size, A3 without posters) for the
        project whose layers have ``layer_ids`` (GeoPackage layer → project layer id)."""
        from .export.layout import layout_xml

        posters = "".join(
            layout_xml(self.c.out("areas"), size=size, title=self.c[""]["title"],
                       date=self.c[""]["date"], language=self.c[""]["language"],
                       layer_id=layer_ids.get("area_indicators"))
            for size in self.c["outputs"]["poster"] or ["A3"]
        )  # fmt: skip
        if not getattr(self, "diagnostic_subjects", False) or "area_potentials" not in layer_ids:
            return posters
        from .export.forum_panels import project_layouts  # each subject's panel, A3

        return posters + project_layouts(self.c.out("diagnostic"), layer_ids["area_potentials"],
                                         language=self.c[""]["language"], date=self.c[""]["date"])  # fmt: skip


def summary_text(config: Config, result: RunResult) -> str:
    """What was written, where, with the key figures (for the end of a run)."""
    f = result.figures
    lines = [tr("Done in {s}. Outputs in {folder}:", s=seconds_text(sum(result.seconds.values())),
                folder=config.output)]  # fmt: skip
    kinds = {"respondents": "respondents (private: one row per respondent)",
             "private_model": "profile model, private working file (every answer vector: do not publish)",
             "rejects": "rejected rows", "profiles": "profile model, report and table",
             "areas": "indicators by area (GeoPackage and CSV)", "ptal": "transit access (PTAL)",
             "proximity": "proximity to services", "compare": "profiles against constraints",
             "diagnostic": "the diagnostic: EMdV and NGC analyses (GeoPackage, CSV, report)",
             "diagnostic_private": "the diagnostic's private working file (free texts, links: do not publish)",
             "webmap": "web map", "poster": "posters (PDF and PNG)",
             "diagnostic_poster": "the diagnostic's posters (PDF and PNG)",
             "forum": "the forum: a panel per impact subject (PDF, PNG, QGIS layout) and the ballots",
             "vote": "the citizen vote (tables, chart, vote per area)",
             "layout": "posters as QGIS print layouts (.qpt)", "project": "QGIS project"}  # fmt: skip
    for kind, paths in result.written.items():
        lines.append(tr("  {what}:", what=tr(kinds.get(kind, kind))))
        for path in paths:
            size = path.stat().st_size if path.exists() else 0
            lines.append(f"    {path}  ({_size(size)})")
    lines.append(tr("{accepted} of {rows} rows imported ({rejected} rejected); {k} profiles; "
                    "{mapped} respondents in {areas} areas, {suppressed} suppressed",
                    accepted=f.accepted, rows=f.rows_read, rejected=f.rejected,
                    k=f.profiles, mapped=f.mapped, areas=f.areas,
                    suppressed=f.areas_suppressed))  # fmt: skip
    if f.vote_winner is not None:
        lines.append(tr("the citizen vote: {n} ballots, subject chosen: {subject}",
                        n=f.vote_ballots, subject=f.vote_winner))  # fmt: skip
    for survey, name in (("emdv", "EMdV"), ("ngc", "NGC")):
        accepted = getattr(f, f"{survey}_accepted")
        if accepted is not None:
            lines.append(tr("{survey}: {accepted} answers imported, {rejected} rejected",
                            survey=name, accepted=accepted,
                            rejected=getattr(f, f"{survey}_rejected")))  # fmt: skip
    return "\n".join(lines)


def seconds_text(seconds: float) -> str:
    """ "4.6 s", "4,6 s" in French."""
    text = f"{seconds:.1f} s"
    return text.replace(".", ",") if language() == "fr" else text


def _size(n: float) -> str:
    units = ("o", "Ko", "Mo", "Go") if language() == "fr" else ("B", "kB", "MB", "GB")
    for unit in units:
        if n < 1024 or unit == units[-1]:
            text = f"{n:.0f} {unit}" if unit == units[0] else f"{n:.1f} {unit}"
            return text.replace(".", ",") if language() == "fr" else text
        n /= 1024
    return str(n)
