"""``qet-geo compare``: profiles and footprints against transit access and proximity."""

from __future__ import annotations

import argparse

from .. import profiles  # ProfileModel on first use: scikit-learn takes seconds to import
from ..areas import read_areas
from ..constraints.output import COMPARE_LAYERS, layers_files, write_comparison
from ..constraints.params import CompareParameters
from ..threshold import DEFAULT_MIN_CELL
from ..transit import transit_access
from ..transit.params import TransitParameters
from ._common import (
    AREAS_HELP,
    add_lang,
    add_respondents_survey_options,
    check_command_outputs,
    json_safe,
    load_respondents,
    output_language,
    print_json,
    print_lines,
    print_written,
    warn,
)
from .constraints import services
from .transit import add_route_type, ptal_names


def add_parser(commands) -> None:
    comp = commands.add_parser(
        "compare",
        help="profiles and footprints against transit access and proximity",
    )
    comp.add_argument("--respondents", required=True)
    comp.add_argument("--areas", required=True, help=AREAS_HELP)
    comp.add_argument("--areas-layer")
    comp.add_argument("--id-field")
    comp.add_argument("--name-field")
    comp.add_argument(
        "--gtfs",
        required=True,
        nargs="+",
        help="GTFS feed(s): zips or folders, or a folder of feeds",
    )
    comp.add_argument("--date")
    comp.add_argument("--window", default=TransitParameters.window)
    comp.add_argument("--grid", type=float, default=TransitParameters.grid)
    add_route_type(comp, "mode of a GTFS route type (as for transit ptal)")
    comp.add_argument("--model")
    comp.add_argument("--code-field")
    comp.add_argument(
        "--service", action="append", help="NAME=PATH[:LAYER]: distance classes to this service"
    )
    comp.add_argument(
        "--satisfaction", help="column of satisfaction with transit access (NO/DONT_KNOW/YES)"
    )
    comp.add_argument(
        "--profile", type=int, help="profile of the bivariate map (default: the most car-turned)"
    )
    comp.add_argument("--min-cell", type=int, default=DEFAULT_MIN_CELL)
    comp.add_argument(
        "--allow-below-3", action="store_true", help="allow a threshold under 3 (recorded)"
    )
    comp.add_argument("--bootstrap", type=int, default=CompareParameters.bootstrap)
    comp.add_argument("-o", "--output", required=True)
    comp.add_argument("--json", action="store_true")
    add_respondents_survey_options(comp)
    add_lang(comp)
    comp.set_defaults(func=compare_command)


def compare_command(args: argparse.Namespace) -> int:
    # scipy and shapely (a second of start-up) only for the commands that read areas
    from ..constraints import compare
    from ..constraints.compare import check_compare_parameters, check_profiles

    # before any file is read
    transit_params = TransitParameters.of(date=args.date, window=args.window, grid=args.grid,
                                          route_types=args.route_type, names=ptal_names(()))  # fmt: skip
    check_compare_parameters(min_cell=args.min_cell, allow_below_3=args.allow_below_3,
                             n_boot=args.bootstrap,
                             names={"n_boot": "--bootstrap", "allow_below_3": "--allow-below-3"})  # fmt: skip
    check_command_outputs(args, *layers_files(args.output, COMPARE_LAYERS))
    respondents, _ = load_respondents(args, args.respondents)
    model = profiles.ProfileModel.load(args.model) if args.model else None
    check_profiles(respondents, model, name="--model")
    areas = read_areas(
        args.areas, layer=args.areas_layer, id_field=args.id_field, name_field=args.name_field
    )
    transit = transit_access(args.gtfs, areas, params=transit_params)
    for warning in transit.warnings:  # the feed's (stops left out…) and the grid's
        warn(warning)
    result = compare(
        respondents, areas, transit, model=model, code_column=args.code_field,
        services=services(args.service, areas.crs, respondents),
        satisfaction_column=args.satisfaction, focus_profile=args.profile, min_cell=args.min_cell,
        allow_below_3=args.allow_below_3, n_boot=args.bootstrap,
    )  # fmt: skip
    written = write_comparison(result, args.output, language=output_language(args))
    if args.json:
        print_json(json_safe({**result.summary.to_dict(), "classes": result.classes.to_dict("records"),
                              "written": [str(p) for p in written]}))  # fmt: skip
        return 0
    print_lines(result.lines())
    print_written(written)
    return 0
