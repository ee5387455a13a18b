"""``qet-geo areas map``: the neighbourhood map, indicators per area (profile mix,
footprints, representativeness)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import profiles  # ProfileModel on first use: scikit-learn takes seconds to import
from ..areas.params import WEIGHTINGS, AreaParameters
from ..areas.zones import parse_groups
from ..errors import ParameterError
from ..threshold import DEFAULT_MIN_CELL
from ._common import (
    add_lang,
    add_respondents_survey_options,
    check_command_outputs,
    check_threshold,
    load_respondents,
    output_language,
    print_json,
    print_written,
    warn,
)


def add_parser(commands) -> None:
    areas = commands.add_parser("areas", help="neighbourhood maps: indicators per area")
    area_commands = areas.add_subparsers(dest="areas_command", required=True)
    amap = area_commands.add_parser(
        "map",
        help="profile mix, footprints, representativeness per area",
    )
    amap.add_argument(
        "--respondents",
        required=True,
        help="respondents (qet-geo file, or a survey export with --schema)",
    )
    amap.add_argument("--areas", required=True, help="polygon layer: IRIS, quartiers, zones")
    amap.add_argument("--areas-layer", help="layer of the areas file")
    amap.add_argument("--id-field", help="area id field (default: recognised, e.g. code_iris)")
    amap.add_argument("--name-field", help="area name field (default: recognised, e.g. nom_iris)")
    amap.add_argument(
        "--neighbourhoods",
        help="areas as sets of ids, dissolved: 'Centre=991230101,991230102;Nord=…'",
    )
    amap.add_argument("--code-field", help="join by this area code column instead of points")
    amap.add_argument("--model", help="profile model (default: the respondents' profile column)")
    amap.add_argument(
        "--census", help="INSEE IRIS file (base-ic-evol-struct-pop) for representativeness"
    )
    amap.add_argument("--weights", choices=WEIGHTINGS, default=AreaParameters.weights,
                      help="survey: the weight column; raking: raked to the census; none")  # fmt: skip
    amap.add_argument(
        "--raking-cap",
        type=float,
        default=AreaParameters.raking_cap,
        help="weights capped at this multiple of the mean (%(default)g)",
    )
    amap.add_argument(
        "--min-cell",
        type=int,
        default=DEFAULT_MIN_CELL,
        help="suppress areas and cells under this many respondents (%(default)s)",
    )
    amap.add_argument(
        "--allow-below-3",
        action="store_true",
        help="allow a threshold under 3 (recorded in the outputs)",
    )
    amap.add_argument("--no-csv", action="store_true", help="no CSV tables beside the GeoPackage")
    amap.add_argument("-o", "--output", required=True, help="GeoPackage (.gpkg)")
    amap.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_respondents_survey_options(amap)
    add_lang(amap)  # also the language of the styles in the GeoPackage (output_language)
    amap.set_defaults(func=areas_map)


def areas_map(args: argparse.Namespace) -> int:
    # scipy and shapely (a second of start-up) only for the commands that map areas
    from ..areas import map_areas, read_areas, read_census, write_area_map
    from ..areas.output import area_map_files

    check_command_outputs(args, *area_map_files(args.output, csv=not args.no_csv))
    check_threshold(args)
    respondents, rejected = load_respondents(args, args.respondents)
    areas = read_areas(args.areas, layer=args.areas_layer, id_field=args.id_field,
                       name_field=args.name_field, groups=parse_groups(args.neighbourhoods))  # fmt: skip
    model = profiles.ProfileModel.load(args.model) if args.model else None
    census = read_census(args.census) if args.census else None
    try:
        result = map_areas(
            respondents, areas, model=model, census=census, weights=args.weights,
            min_cell=args.min_cell, allow_below_3=args.allow_below_3,
            code_column=args.code_field, raking_cap=args.raking_cap,
        )  # fmt: skip
    except ValueError as exc:
        raise ParameterError(str(exc)) from exc
    written = write_area_map(result, Path(args.output), csv=not args.no_csv,
                             language=output_language(args))  # fmt: skip
    for warning in result.warnings:
        warn(warning)
    if args.json:
        print_json({**result.summary.to_dict(), "join_report": result.joined.report(),
                    "warnings": [w.to_dict() for w in result.warnings],
                    "rejected_rows": rejected, "written": [str(p) for p in written]})  # fmt: skip
        return 0
    print("\n".join(result.lines()))
    print_written(written)
    return 0
