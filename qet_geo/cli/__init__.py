"""The ``qet-geo`` command line: a thin shell over the library, one module per command
group (each registers its subcommands with ``add_parser`` and holds their handlers), the
options and the safety net they share in :mod:`qet_geo.cli._common`.

Exit codes: 0 success; 1 ``survey check`` found rows it would reject; 2 an input, a parameter
or an output cannot be used (the message names the file, row, column and value; a full disk
included); 3 an unexpected error, a fault of qet-geo (one line; ``--debug`` prints the
traceback); 130 interrupted (Ctrl+C); 141 the reader of the standard output closed it
(``| head``: no message); 143 stopped by SIGTERM.
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..i18n import set_language
from ..io import stop_on_sigterm
from . import (
    areas,
    compare,
    constraints,
    diagnostic,
    export,
    footprint,
    forum,
    profiles,
    run,
    survey,
    transit,
)
from ._common import LANGUAGES, execute, resolve_language, stream_failed

#: The command modules, in the order ``qet-geo --help`` lists their commands.
COMMANDS = (
    survey,
    footprint,
    profiles,
    areas,
    transit,
    constraints,
    compare,
    diagnostic,
    forum,
    export,
    run,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qet-geo",
        description="Maps of usage profiles (Sphères d'Usages) from neighbourhood surveys.",
    )
    parser.add_argument("--version", action="version", version=f"qet-geo {__version__}")
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of messages and of forum outputs: report, web map, poster, QGIS "
        "project (default: messages from QET_GEO_LANG or LANG, outputs in French); also "
        "accepted after the command",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="print the whole traceback of an unexpected error (anywhere on the line)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv[: argv.index("--") if "--" in argv else None]
    if debug:  # anywhere on the line, as after a command it is what one types on an error
        argv = [a for i, a in enumerate(argv) if a != "--debug" or "--" in argv[:i]]
    try:
        args = parser.parse_args(argv)
    except OSError as exc:  # --help, --version or a usage error written to a full disk…
        return stream_failed(exc, argv)
    args.debug = debug
    resolve_language(args)
    if args.lang:
        set_language(args.lang)
    stop_on_sigterm()  # a stopped command removes its temporary files
    return execute(args)


__all__ = ["build_parser", "main"]
