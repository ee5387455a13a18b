"""``qet-geo export webmap|poster|project``: the forum outputs (one HTML page, PDF and PNG
posters, a styled QGIS project) of the GeoPackages the other commands wrote."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import export as forum  # its modules on first use: matplotlib, shapely, scipy
from .. import profiles  # ProfileModel on first use: scikit-learn takes seconds to import
from ..export.params import LANGUAGES, POSTER_SIZES, OutputParameters
from ..i18n import tr
from ._common import (
    add_lang,
    check_command_outputs,
    check_published_inputs,
    known_respondents,
    output_language,
    print_written,
    warn,
)

#: The help of ``--diagnostic``, then what each export does with it.
DIAGNOSTIC_HELP = "diagnostic GeoPackage (qet-geo diagnostic summarize --areas)"


def add_parser(commands) -> None:
    export = commands.add_parser("export", help="forum outputs: web map, poster, QGIS project")
    export_commands = export.add_subparsers(dest="export_command", required=True)
    web = export_commands.add_parser("webmap", help="one HTML page, offline by default")
    web.add_argument("areas", help="area map GeoPackage (qet-geo areas map)")
    web.add_argument("--ptal", help="transit access GeoPackage (qet-geo transit ptal)")
    web.add_argument("--compare", help="comparison GeoPackage (qet-geo compare): bivariate map")
    web.add_argument("--gtfs", help="GTFS feed: transit stops and lines")
    web.add_argument("--diagnostic", help=DIAGNOSTIC_HELP + ": its themes per area")
    web.add_argument("--votes", help="the vote per area (qet-geo forum votes --areas -o: "
                     "vote_areas.gpkg): the Vote theme")  # fmt: skip
    web.add_argument(
        "--background", action="append", help="PATH[:LAYER] plain background layer (repeat)"
    )
    web.add_argument(
        "--respondents",
        help="respondents file (qet-geo survey import): refuse backgrounds on their homes",
    )
    web.add_argument("--title")
    web.add_argument(
        "--map-language", choices=LANGUAGES, help="deprecated: use --lang (language of the page)"
    )
    # the flags turn on what OutputParameters leaves off (offline, no tiles by default)
    web.add_argument(
        "--online",
        action="store_true",
        default=not OutputParameters.offline,
        help="load Leaflet from its CDN instead of inlining it",
    )
    web.add_argument(
        "--tiles",
        action="store_true",
        default=OutputParameters.tiles,
        help="OpenStreetMap tiles (with --online)",
    )
    web.add_argument("-o", "--output", required=True, help="HTML file")
    add_lang(web, forum=True)
    web.set_defaults(func=export_webmap)
    poster = export_commands.add_parser(
        "poster", help=f"PDF and PNG poster, {' or '.join(POSTER_SIZES)} (French by default)"
    )
    poster.add_argument("areas", help="area map GeoPackage (qet-geo areas map)")
    poster.add_argument("--model", help="profile model (portraits and footprints)")
    poster.add_argument(
        "--diagnostic",
        help=DIAGNOSTIC_HELP + ": its poster too, beside each poster (<stem>_diagnostic…)",
    )
    poster.add_argument(
        "--size",
        choices=POSTER_SIZES,
        action="append",
        help=f"paper size (repeat; {POSTER_SIZES[0]})",
    )
    poster.add_argument("--title")
    poster.add_argument("--no-png", action="store_true", help="PDF only")
    poster.add_argument("-o", "--output", required=True, help="PDF file")
    add_lang(poster, forum=True)
    poster.set_defaults(func=export_poster)
    project = export_commands.add_parser(
        "project", help="QGIS project (.qgz) of the outputs, styled"
    )
    project.add_argument("--areas", required=True, help="area map GeoPackage")
    project.add_argument("--ptal", help="transit access GeoPackage")
    project.add_argument("--compare", help="comparison GeoPackage")
    project.add_argument("--proximity", help="proximity GeoPackage")
    project.add_argument("--diagnostic", help=DIAGNOSTIC_HELP + ": its layers in a group")
    project.add_argument("--title")
    project.add_argument("-o", "--output", required=True, help=".qgz file")
    add_lang(project, forum=True)
    project.set_defaults(func=export_project)


def export_webmap(args: argparse.Namespace) -> int:
    check_command_outputs(args, args.output)
    check_published_inputs(args)
    if args.map_language:
        warn(tr("--map-language is deprecated: use --lang"))
    path = forum.webmap(
        args.areas, args.output, transit=args.ptal, comparison=args.compare, gtfs=args.gtfs,
        background=args.background or (), respondents=known_respondents(args), title=args.title,
        language=args.map_language or output_language(args), offline=not args.online,
        tiles=args.tiles, diagnostic=args.diagnostic, votes=args.votes,
    )  # fmt: skip
    print_written([path])
    return 0


def export_poster(args: argparse.Namespace) -> int:
    outputs = forum.poster_paths(args.output, args.size)
    pdfs = list(outputs.values())
    if args.diagnostic:  # the diagnostic's poster beside each, as qet-geo run names it
        pdfs += [forum.diagnostic_poster_path(o, size) for size, o in outputs.items()]
    check_command_outputs(args, *(p for o in pdfs for p in forum.poster_files(o, not args.no_png)))
    check_published_inputs(args)
    model = profiles.ProfileModel.load(args.model) if args.model else None
    for size, output in outputs.items():
        written = forum.write_posters(output, args.areas, model, size=size, title=args.title,
                                      png=not args.no_png, language=output_language(args),
                                      diagnostic=args.diagnostic)  # fmt: skip
        print_written(written["poster"] + written["diagnostic_poster"])
    return 0


def export_project(args: argparse.Namespace) -> int:
    check_command_outputs(args, Path(args.output).with_suffix(".qgz"))
    check_published_inputs(args)
    if args.diagnostic:  # a file that is not a diagnostic is refused, not left out
        from ..diagnostic.output import read_diagnostic

        read_diagnostic(args.diagnostic)
    layers = {k: getattr(args, k) for k in ("areas", "ptal", "compare", "proximity", "diagnostic")
              if getattr(args, k)}  # fmt: skip
    path = forum.write_project(
        args.output, layers, title=args.title, language=output_language(args)
    )
    print_written([path])
    return 0
