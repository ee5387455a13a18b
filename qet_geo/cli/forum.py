"""``qet-geo forum panels``: the exhibition of the forum's impact subjects (a panel per
subject, its QGIS layout, the ballots); ``qet-geo forum votes``: the citizen vote of the
forum counted (plurality, or instant run-off for ranked ballots), per subject and per area,
and its tables, chart and area layer written."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..export.params import POSTER_SIZES
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
    forum = commands.add_parser("forum", help="the forum: the impact subjects' panels and ballots, "
                                "the citizen vote on the subjects")  # fmt: skip
    sub = forum.add_subparsers(dest="forum_command", required=True)
    panels = sub.add_parser(
        "panels",
        help="a panel per impact subject (PDF, PNG, QGIS layout) and the ballot sheets, from "
        "a diagnostic with its room for manoeuvre",
    )
    panels.add_argument("diagnostic", help="diagnostic GeoPackage (qet-geo diagnostic summarize "
                        "with --su, or qet-geo run): its forum_subjects and area_potentials")  # fmt: skip
    panels.add_argument("--size", nargs="+", choices=POSTER_SIZES, default=list(POSTER_SIZES),
                        help=f"paper sizes of the panels (default: {' '.join(POSTER_SIZES)})")  # fmt: skip
    panels.add_argument("-o", "--output", required=True, help="folder: panneau_<subject>_<size>"
                        ".pdf/.png/.qpt, bulletin_vote.pdf, bulletin_vote_classement.pdf")  # fmt: skip
    add_lang(panels, forum=True)
    panels.set_defaults(func=panels_command)
    votes = sub.add_parser(
        "votes",
        help="count the citizen vote: plurality, or instant run-off for ranked ballots",
    )
    votes.add_argument("ballots", help="ballots CSV: ballot_id, and subject or rank_1, rank_2, "
                       "…; area optional (the voter's IRIS or area id)")  # fmt: skip
    votes.add_argument("--subjects", help="subjects table (CSV with key and title, e.g. "
                       "forum_subjects.csv); default: the usage keys of the footprints")  # fmt: skip
    votes.add_argument("--areas", help="area map PATH[:LAYER]: the area ids checked, "
                       "vote_areas.gpkg written for the web map (with -o)")  # fmt: skip
    votes.add_argument("--min-cell", type=int, default=DEFAULT_MIN_CELL,
                       help="disclosure threshold: no area figure under this many ballots (default 11)")  # fmt: skip
    votes.add_argument(
        "--allow-below-3", action="store_true", help="allow a threshold under 3 (recorded)"
    )
    votes.add_argument("-o", "--output", help="folder: vote.csv, vote_rounds.csv, "
                       "vote_areas.csv, vote.png, vote.pdf (and vote_areas.gpkg with --areas)")  # fmt: skip
    votes.add_argument("--json", action="store_true", help="print the result as JSON")
    add_lang(votes, forum=True)
    votes.set_defaults(func=votes_command)


def panels_command(args: argparse.Namespace) -> int:
    from ..diagnostic.output import read_forum
    from ..export.forum_panels import forum_files, write_forum

    subjects, _, _ = read_forum(args.diagnostic)
    check_command_outputs(args, *forum_files(args.output, list(subjects["key"]), args.size))
    written = write_forum(args.diagnostic, args.output, sizes=args.size,
                          language=output_language(args))  # fmt: skip
    print_written(written)
    return 0


def votes_command(args: argparse.Namespace) -> int:
    from ..forum.votes import VOTE_AREAS, VOTE_FILES, vote

    check_threshold(args)
    if args.output:
        folder = Path(args.output)
        outputs = [folder / name for name in VOTE_FILES]
        check_command_outputs(args, *outputs, *([folder / VOTE_AREAS] if args.areas else []))
    result = vote(args.ballots, args.output, subjects=args.subjects, areas=args.areas,
                  min_cell=args.min_cell, allow_below_3=args.allow_below_3,
                  language=output_language(args))  # fmt: skip
    if args.json:
        print_json(json_safe({**result.to_json(), "written": [str(p) for p in result.written]}))
        return 0
    print_lines(result.lines())
    print_written(result.written)
    return 0
