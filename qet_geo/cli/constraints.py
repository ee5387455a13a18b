"""``qet-geo constraints proximity``: the constraints of the place, distance to services
per area."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..areas import read_areas
from ..constraints import proximity
from ..constraints.output import PROXIMITY_LAYERS, layers_files, write_proximity
from ..constraints.params import DEFAULT_WITHIN, ProximityParameters, check_people
from ..errors import ParameterError
from ..i18n import tr
from ..io import split_layer
from ..threshold import DEFAULT_MIN_CELL
from ._common import (
    AREAS_HELP,
    GRID_HELP,
    add_lang,
    check_command_outputs,
    check_threshold,
    json_safe,
    known_respondents,
    output_language,
    print_json,
    print_lines,
    print_written,
    warn,
)
from .transit import population


def add_parser(commands) -> None:
    constraints = commands.add_parser(
        "constraints", help="constraints of the place: proximity to services"
    )
    constraint_commands = constraints.add_subparsers(dest="constraints_command", required=True)
    prox = constraint_commands.add_parser("proximity", help="distance to services per area")
    prox.add_argument("--areas", required=True, help=AREAS_HELP)
    prox.add_argument("--areas-layer")
    prox.add_argument("--id-field")
    prox.add_argument("--name-field")
    prox.add_argument(
        "--service", action="append", help="NAME=PATH[:LAYER] (repeat): a point layer of services"
    )
    prox.add_argument("--grid", type=float, default=ProximityParameters.grid, help=GRID_HELP)
    prox.add_argument(
        "--radius",
        type=float,
        default=ProximityParameters.radius,
        help="count services within this radius of the centroid (%(default)g)",
    )
    prox.add_argument(
        "--within",
        default=",".join(f"{d:g}" for d in DEFAULT_WITHIN),
        help="shares of the area within these distances (%(default)s)",
    )
    prox.add_argument("--detour", type=float, default=ProximityParameters.detour)
    prox.add_argument(
        "--population", help="PATH[:LAYER] of population points or squares: weighted centroids"
    )
    prox.add_argument("--population-field", default=ProximityParameters.population_field,
                      help="field of the population counts (%(default)s)")  # fmt: skip
    prox.add_argument(
        "--respondents",
        help="respondents file (qet-geo survey import): refuse services on their homes",
    )
    prox.add_argument(
        "--people", action="append", metavar="NAME",
        help="a --service layer whose points are people (homes): its counts are suppressed "
        "under --min-cell",
    )  # fmt: skip
    prox.add_argument("--min-cell", type=int, default=DEFAULT_MIN_CELL)
    prox.add_argument(
        "--allow-below-3", action="store_true", help="allow a threshold under 3 (recorded)"
    )
    prox.add_argument("-o", "--output", required=True)
    prox.add_argument("--json", action="store_true")
    add_lang(prox)
    prox.set_defaults(func=constraints_proximity)


def services(specs: list[str] | None, crs: str, respondents=None) -> dict:
    """--service NAME=PATH[:LAYER] → name → x/y in ``crs`` (never a layer of, or on, the
    ``respondents``)."""
    from ..constraints.proximity import read_services  # scipy and shapely: a second

    layers = {}
    for spec in specs or []:
        name, sep, target = spec.partition("=")
        if not sep or not name.strip():
            raise ParameterError(
                tr("--service: expected NAME=PATH[:LAYER], got {spec!r}", spec=spec)
            )
        path, _ = split_layer(target)
        if not Path(path).exists():
            raise ParameterError(tr("--service {name}: no such file {path}", name=name, path=path))
        layers[name.strip()] = target
    return read_services(layers, crs, respondents)


#: How the messages name the parameters of proximity: by the options.
OPTIONS = {"grid": "--grid", "radius": "--radius", "within": "--within", "detour": "--detour",
           "people": "--people", "services": "--service"}  # fmt: skip


def constraints_proximity(args: argparse.Namespace) -> int:
    # scipy and shapely (a second of start-up) only for the commands that read areas

    params = ProximityParameters.of(grid=args.grid, radius=args.radius, within=args.within,
                                    detour=args.detour, people=args.people or (),
                                    names=OPTIONS)  # before any file is read  # fmt: skip
    check_threshold(args)
    check_command_outputs(args, *layers_files(args.output, PROXIMITY_LAYERS))
    areas = read_areas(
        args.areas, layer=args.areas_layer, id_field=args.id_field, name_field=args.name_field
    )
    points = services(args.service, areas.crs, known_respondents(args))
    if not points:
        raise ParameterError(tr("give at least one service layer with --service NAME=PATH"))
    check_people(params.people, points, names=OPTIONS)
    people = population(args, areas.crs) if args.population else None
    result = proximity(areas, points, params=params, population=people, min_cell=args.min_cell,
                       allow_below_3=args.allow_below_3)  # fmt: skip
    written = write_proximity(result, args.output, language=output_language(args))
    for warning in result.warnings:
        warn(warning)
    if args.json:
        print_json(json_safe({**result.summary.to_dict(), "areas_table": result.areas.drop(columns="geometry").to_dict("records"),
                              "written": [str(p) for p in written]}))  # fmt: skip
        return 0
    print_lines(result.lines())
    print_written(written)
    return 0
