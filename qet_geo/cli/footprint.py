"""``qet-geo footprint``: footprints per usage (kgCO2e/yr, Nos Gestes Climat) of survey
answers, of a table of results computed by NGC, or of a JSON array of NGC situations or
simulations."""

from __future__ import annotations

import argparse

from ..footprint.files import footprints_of_file
from ..survey import write_respondents
from ._common import SURVEY, add_lang, check_command_outputs, print_json, survey_parameters, warn


def add_parser(commands) -> None:
    footprint = commands.add_parser(
        "footprint",
        parents=[SURVEY],
        help="footprints per usage (kgCO2e/yr, Nos Gestes Climat) of survey answers",
    )
    footprint.add_argument(
        "--json", action="store_true", help="print one JSON object per respondent"
    )
    footprint.add_argument(
        "-o", "--output", help="respondents with their fp_* columns: .gpkg, .parquet or .csv"
    )
    add_lang(footprint)
    footprint.set_defaults(func=footprint_command)


def footprint_command(args: argparse.Namespace) -> int:
    if args.output:
        check_command_outputs(args, args.output)
    survey = survey_parameters(args, strict=args.strict, extent_check=not args.no_extent_check)
    result = footprints_of_file(args.file, survey, results=args.schema is None)
    for warning in result.warnings:
        warn(warning)
    if args.output:
        write_respondents(result.footprints, args.output)
    if args.json:
        print_json(result.records())
    else:
        print("\n".join(result.lines()))
    return 0
