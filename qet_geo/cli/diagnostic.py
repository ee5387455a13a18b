"""``qet-geo diagnostic summarize``: the "Espace et Mode de Vie" and Nos Gestes Climat
answers linked to the profiles and analysed per profile and for the neighbourhood."""

from __future__ import annotations

import argparse

from ..diagnostic.job import run_diagnostic
from ..diagnostic.output import output_files
from ..diagnostic.places import read_place
from ..errors import ParameterError
from ..i18n import tr
from ..threshold import DEFAULT_MIN_CELL
from ._common import (
    add_lang,
    check_command_outputs,
    check_threshold,
    json_safe,
    output_language,
    print_json,
    print_lines,
    print_written,
)


def add_parser(commands) -> None:
    diagnostic = commands.add_parser(
        "diagnostic", help="EMdV and Nos Gestes Climat answers analysed per profile"
    )
    sub = diagnostic.add_subparsers(dest="diagnostic_command", required=True)
    summ = sub.add_parser(
        "summarize",
        help="satisfaction, wishes, barriers, trips and carbon per profile and for the "
        "neighbourhood",
    )
    summ.add_argument("--su", required=True,
                      help="SU answers (NEAR export with Su ID, or the six answers): respondents per profile")  # fmt: skip
    summ.add_argument(
        "--emdv", help="Espace et Mode de Vie answers (Metabase JSON/CSV, dump, Typeform payloads)"
    )
    summ.add_argument(
        "--ngc", help="Nos Gestes Climat answers (Metabase JSON/CSV, dump, NEAR payloads)"
    )
    profiles = summ.add_mutually_exclusive_group(required=True)
    profiles.add_argument("--su-data", help="NEAR's Su Data.json: SU numbers, shares, barycentres")
    profiles.add_argument("--model", help="a saved profile model (profiles.json)")
    summ.add_argument(
        "--areas",
        help="an area map PATH[:LAYER] with the profile shares share_<p> "
        "(qet-geo areas map): each area's figures estimated from its profile mix",
    )
    summ.add_argument("--ptal", help="transit access GeoPackage (qet-geo transit ptal): transit "
                      "satisfaction and the barrier 'no stop near my home' against PTAL, with --areas")  # fmt: skip
    summ.add_argument("--proximity", help="proximity GeoPackage (qet-geo constraints proximity): "
                      "food-shop satisfaction and 'no second-hand shop near me' against the distance")  # fmt: skip
    summ.add_argument(
        "--food-service", help="the proximity service of the food shops (e.g. alimentation)"
    )
    summ.add_argument("--repair-service",
                      help="the proximity service of the repair and second-hand shops (e.g. reparation)")  # fmt: skip
    summ.add_argument("--levers", help="levers file (.yaml) of the room for manoeuvre "
                      "(default: the built-in levers and subjects)")  # fmt: skip
    summ.add_argument("--residents", type=float, help="residents aged 15+ of the neighbourhood, for "
                      "the potentials in tCO2e/yr (default: the area map's pop_15p)")  # fmt: skip
    summ.add_argument("--min-cell", type=int, default=DEFAULT_MIN_CELL,
                      help="disclosure threshold: no value under this many respondents (default 11)")  # fmt: skip
    summ.add_argument(
        "--allow-below-3", action="store_true", help="allow a threshold under 3 (recorded)"
    )
    summ.add_argument(
        "--review", help="reviewer file: text_id (and publish) of the testimonies to publish"
    )
    summ.add_argument(
        "--private", help="private working file (default: beside the output, <stem>.private.gpkg)"
    )
    summ.add_argument("-o", "--output", required=True, help="diagnostic GeoPackage (.gpkg)")
    summ.add_argument("--json", action="store_true", help="print the analyses as JSON")
    add_lang(summ, forum=True)
    summ.set_defaults(func=summarize_command)


def summarize_command(args: argparse.Namespace) -> int:
    check_threshold(args)
    if args.residents is not None and not (args.residents > 0 and args.residents < 1e9):
        raise ParameterError(tr("--residents: expected a number of residents above 0, got {value}",
                                value=args.residents))  # fmt: skip
    check_command_outputs(args, *output_files(args.output, args.private))
    place = read_place(args.ptal, args.proximity, args.food_service, args.repair_service)
    if place is not None and not args.areas:
        raise ParameterError(tr("--ptal and --proximity set the areas' figures against the place: "
                                "give the area map too (--areas)"))  # fmt: skip
    run = run_diagnostic(
        su=args.su, emdv=args.emdv, ngc=args.ngc, su_data=args.su_data, model=args.model,
        min_cell=args.min_cell, allow_below_3=args.allow_below_3, review=args.review,
        output=args.output, private=args.private, language=output_language(args), areas=args.areas,
        place=place, levers=args.levers, residents=args.residents,
    )  # fmt: skip
    if args.json:
        print_json(json_safe(run.to_json()))
        return 0
    print_lines(run.lines())
    print_written(run.written)
    return 0
