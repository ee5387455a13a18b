"""``qet-geo survey check|import``: what an import of a survey export accepts and rejects,
and the import itself (a respondents file and its rejected rows)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import tr
from ..survey import write_rejects, write_respondents
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
    rejects_path = (
        Path(args.rejects)
        if args.rejects
        else output.with_name(
            f"{output.stem}_rejects{'.gpkg' if output.suffix.lower() == '.gpkg' else '.csv'}"
        )
    )
    check_command_outputs(args, (output, "respondents"), (rejects_path, "rejects"))
    result = import_file(args)
    write_respondents(result.respondents, output)
    write_rejects(result.rejects, rejects_path)  # always: an old rejects file must not linger
    _print_import(result.report, output, rejects_path)
    return 0


def _print_import(report, output: Path, rejects_path: Path) -> None:
    line = tr("{n} respondents written to {path}", n=report.accepted, path=output)
    if report.rejected:
        line += "; " + tr("{n} rows rejected, see {path}", n=report.rejected, path=rejects_path)
    print(line)
    for reason, count in sorted(report.rejected_by_reason.items(), key=lambda kv: -kv[1]):
        print(f"  {count:>6}  {tr(reason)}")
    if report.unknown_columns:
        print(
            f"{tr('Unknown columns (not imported)')}: "
            + ", ".join(map(repr, report.unknown_columns))
        )
    if report.id_column is None:
        print(tr("Ids: no respondent id column, ids are the row numbers"))
