"""``qet-geo survey check|import``: what an import of a survey export accepts and rejects,
and the import itself (a respondents file and its rejected rows)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..survey import rejects_path, write_rejects, write_respondents
from ._common import SURVEY, add_lang, check_command_outputs, import_file, print_json


def add_parser(commands) -> None:
    survey = commands.add_parser("survey", help="check and import survey exports")
    survey_commands = survey.add_subparsers(dest="survey_command", required=True)

    check = survey_commands.add_parser(
        "check", parents=[SURVEY], help="report what an import would accept and reject"
    )
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    add_lang(check)
    check.set_defaults(func=survey_check)

    do_import = survey_commands.add_parser(
        "import", parents=[SURVEY], help="import answers to a respondents file"
    )
    do_import.add_argument(
        "-o", "--output", required=True, help="respondents file: .gpkg, .parquet or .csv"
    )
    do_import.add_argument(
        "--rejects", help="rejected rows with their reasons (default: beside the output, *_rejects)"
    )
    add_lang(do_import)
    do_import.set_defaults(func=survey_import)


def survey_check(args: argparse.Namespace) -> int:
    result = import_file(args)
    if args.json:
        print_json(result.report.to_dict(), indent=2)
    else:
        print(result.report.to_text())
    return 1 if result.report.rejected else 0


def survey_import(args: argparse.Namespace) -> int:
    output = Path(args.output)
    rejects = Path(args.rejects) if args.rejects else rejects_path(output)
    check_command_outputs(args, (output, "respondents"), (rejects, "rejects"))
    result = import_file(args)
    write_respondents(result.respondents, output)
    write_rejects(result.rejects, rejects)  # always: an old rejects file must not linger
    print("\n".join(result.report.written_lines(output, rejects)))
    return 0
