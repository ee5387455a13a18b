"""``qet-geo compare``: profiles and footprints against transit access and proximity."""

from __future__ import annotations

import argparse

from .. import profiles
from ..constraints.params import CompareParameters
from ..errors import ParameterError
from ..i18n import tr
from ..pipeline import COMPARE_LAYERS
from ..profiles.params import ProfileParameterError, check_parameters
from ..survey import (
    respondent_weights,  # ProfileModel on first use: scikit-learn takes seconds to import
)
from ..threshold import DEFAULT_MIN_CELL
from ..transit import PtalParameters, read_gtfs, transit_access
from ..transit.gtfs import parse_date
from ..transit.params import TransitParameters
from ._common import (
    AREAS_HELP,
    add_lang,
    add_respondents_survey_options,
    check_command_outputs,
    json_safe,
    load_respondents,
    print_json,
    print_written,
    warn,
)
from .constraints import services
from .transit import add_route_type, check_grid, window_option


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
    comp.add_argument("--gtfs", required=True, help="GTFS feed (zip or folder)")
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
    from ..areas import join_respondents, read_areas
    from ..constraints import compare
    from ..constraints.compare import profiles_of
    from ..constraints.output import layers_files, write_layers

    _check_options(args)  # before any file is read
    check_command_outputs(args, *layers_files(args.output, COMPARE_LAYERS))
    respondents, _ = load_respondents(args, args.respondents)
    areas = read_areas(
        args.areas, layer=args.areas_layer, id_field=args.id_field, name_field=args.name_field
    )
    transit = _transit_access(args, areas)
    if args.min_cell < 3 and not args.allow_below_3:
        raise ParameterError(tr("a threshold under 3 needs --allow-below-3"))
    if not args.model and "profile" not in respondents.columns:
        raise ParameterError(tr("no profiles: give --model, or respondents with a profile column"))
    labels = profiles_of(
        respondents, profiles.ProfileModel.load(args.model) if args.model else None
    )
    area_of = join_respondents(respondents, areas, code_column=args.code_field).area
    result = compare(
        respondents, areas, transit, profile=labels[0], profile_names=labels[1], weights=respondent_weights(respondents),
        area_of=area_of, services=services(args.service, areas.crs, respondents),
        satisfaction_column=args.satisfaction, focus_profile=args.profile, min_cell=args.min_cell,
        allow_below_3=args.allow_below_3, n_boot=args.bootstrap,
    )  # fmt: skip
    written = write_layers(args.output, [("compare_areas", result.areas, result.crs),
                                         ("compare_classes", result.classes, None),
                                         ("satisfaction", result.satisfaction, None)])  # fmt: skip
    if args.json:
        print_json(json_safe({**result.summary.to_dict(), "classes": result.classes.to_dict("records"),
                              "written": [str(p) for p in written]}))  # fmt: skip
        return 0
    _print_summary(result.summary)
    print_written(written)
    return 0


def _transit_access(args: argparse.Namespace, areas):
    """Transit access of --gtfs over the areas (--window, --route-type, --date, --grid)."""
    params = PtalParameters.of(window=window_option(args.window), route_types=args.route_type,
                               names={"route_types": "--route-type"})  # fmt: skip
    date = parse_date(args.date, "--date")
    transit = transit_access(read_gtfs(args.gtfs), areas, date=date, params=params, spacing=args.grid)  # fmt: skip
    for warning in transit.warnings:  # the feed's (stops left out…) and the grid's
        warn(warning)
    return transit


def _check_options(args: argparse.Namespace) -> None:
    check_grid(args.grid)
    try:
        check_parameters(n_boot=args.bootstrap)
    except ProfileParameterError as exc:
        raise ParameterError(exc.for_cli()) from exc


def _print_summary(s) -> None:
    def interval(bounds) -> str:  # none without resamples (--bootstrap 0): nothing said
        return "" if bounds is None else f" {bounds}"

    print(tr("Cramér's V (profiles × PTAL band): {v}{ci}; Spearman (mobility footprint, AI): {rho}{ci2}",
             v=s.cramers_v_profiles_ptal, ci=interval(s.cramers_v_95),
             rho=s.spearman_mobility_ai, ci2=interval(s.spearman_95)))  # fmt: skip
