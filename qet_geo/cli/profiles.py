"""``qet-geo profiles detect|assign``: usage profiles (Sphères d'Usages) fitted to survey
answers and saved as a model file; answers placed in the profiles of a model file."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import profiles  # ProfileModel on first use: scikit-learn takes seconds to import
from ..errors import InputError, ParameterError
from ..i18n import tr
from ..parameters import choices
from ..profiles.encoding import weights_of
from ..profiles.params import (
    DEFAULT_BOOTSTRAP,
    DEFAULT_K_RANGE,
    DEFAULT_MAX_SHARE,
    DEFAULT_MIN_COUNT,
    DEFAULT_MIN_SHARE,
    WEIGHT_PRESET_NAMES,
    ProfileParameterError,
    ProfileParameters,
    check_parameters,
    parse_pairs,
)
from ..survey import write_respondents
from ..threshold import DEFAULT_MIN_CELL
from ._common import (
    SURVEY,
    add_lang,
    check_command_outputs,
    check_threshold,
    load_respondents,
    output_language,
    print_json,
    print_written,
    warn,
)


def add_parser(commands) -> None:
    profiles = commands.add_parser(
        "profiles", help="usage profiles (Sphères d'Usages): detect, assign"
    )
    profile_commands = profiles.add_subparsers(dest="profiles_command", required=True)
    detect = profile_commands.add_parser(
        "detect", parents=[SURVEY], help="detect profiles and write the model file"
    )
    _add_profile_options(detect)
    detect.add_argument(
        "-o", "--output", required=True, help="shareable model file (.json, publishable)"
    )
    detect.add_argument(
        "--private",
        help="private working file of the model (default: beside it, <stem>.private.json)",
    )
    detect.add_argument(
        "--min-cell",
        type=int,
        default=DEFAULT_MIN_CELL,
        help="profiles under this many respondents are published grouped (%(default)s)",
    )
    detect.add_argument(
        "--allow-below-3",
        action="store_true",
        help="allow a threshold under 3 (recorded in the model)",
    )
    detect.add_argument(
        "--labelled", help="respondents with their profile: .gpkg, .parquet or .csv"
    )
    detect.add_argument("--table", help="one row per profile (portraits): .csv, .parquet or .gpkg")
    detect.add_argument("--report", help="HTML report (portraits, scores, stability, dendrogram)")
    detect.add_argument("--json", action="store_true", help="print a JSON summary")
    add_lang(detect, forum=True)
    detect.set_defaults(func=profiles_detect)
    assign = profile_commands.add_parser(
        "assign", parents=[SURVEY], help="place answers in the profiles of a model file"
    )
    assign.add_argument("--model", required=True, help="model file written by profiles detect")
    assign.add_argument("-o", "--output", required=True, help="respondents with their profile")
    assign.add_argument("--json", action="store_true", help="print a JSON summary")
    add_lang(assign)
    assign.set_defaults(func=profiles_assign)


def _add_profile_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--method",
        choices=choices(ProfileParameters, "method"),
        default=ProfileParameters.method,
        help="default: %(default)s (NEAR's Sphères d'Usages)",
    )
    parser.add_argument(
        "--weights",
        default=ProfileParameters.weights,
        help=f"NEAR weights: {', '.join(WEIGHT_PRESET_NAMES)} or a JSON file "
        "{variable: [w1, w2, w3]}",
    )
    parser.add_argument(
        "--encoding",
        choices=choices(ProfileParameters, "encoding"),
        default=ProfileParameters.encoding,
        help="default by method",
    )
    parser.add_argument(
        "--min-share",
        type=float,
        default=DEFAULT_MIN_SHARE,
        help="near: go on while the smallest profile is under this share (%(default)s)",
    )
    parser.add_argument(
        "--max-share",
        type=float,
        default=DEFAULT_MAX_SHARE,
        help="near: … and the largest under this share (%(default)s)",
    )
    parser.add_argument(
        "--min-count",
        type=int,
        default=DEFAULT_MIN_COUNT,
        help="near: … and more profiles than this (%(default)s)",
    )
    parser.add_argument(
        "--target-count",
        type=int,
        help="near: merge until this many profiles remain (replaces the three rules above)",
    )
    parser.add_argument(
        "--tie-tolerance",
        type=float,
        default=ProfileParameters.tie_tolerance,
        help="near: relative tolerance of tied distances (%(default)g)",
    )
    parser.add_argument("--k", help="number of profiles, or auto (other methods)")
    parser.add_argument("--k-min", type=int, default=DEFAULT_K_RANGE[0])
    parser.add_argument("--k-max", type=int, default=DEFAULT_K_RANGE[1])
    parser.add_argument("--n-init", type=int, help="starts of k-means and the like (the best kept)")
    parser.add_argument("--seed", type=int, default=ProfileParameters.seed)
    parser.add_argument(
        "--bootstrap", type=int, default=DEFAULT_BOOTSTRAP, help="resamples for stability (0: none)"
    )
    parser.add_argument(
        "--assign",
        choices=choices(ProfileParameters, "assign"),
        default=ProfileParameters.assign,
        help="fitted answers keep their profile (lookup) or go to the nearest centroid (NEAR)",
    )
    parser.add_argument("--names", help="profile names: '1=Name one;2=Name two'")
    parser.add_argument("--colours", help="profile colours: '1=#332288;2=#88CCEE'")


def _weights(text: str):
    """--weights: a preset name, or the weights read from a JSON file."""
    try:
        return weights_of(text)
    except InputError as exc:
        raise ParameterError(
            tr("--weights: expected current, 2023 or a JSON file of weights ({error})", error=exc)
        ) from exc


def _k(text: str | None):
    """--k: a whole number, auto, or None."""
    if text is None or text == "auto":
        return text
    try:
        return int(text)
    except ValueError as exc:
        raise ParameterError(tr("--k: expected a whole number or auto")) from exc


def _profile_model(args: argparse.Namespace) -> profiles.ProfileModel:
    """The (unfitted) model the options describe, its parameters checked."""
    weights, k = _weights(args.weights), _k(args.k)
    check_threshold(args)
    try:
        check_parameters(n_boot=args.bootstrap)  # before the import and the fit
        model = profiles.ProfileModel(
            args.method, weights=weights, encoding=args.encoding, min_share=args.min_share,
            max_share=args.max_share, min_count=args.min_count, target_count=args.target_count,
            tie_tolerance=args.tie_tolerance, k=k, k_range=(args.k_min, args.k_max),
            n_init=args.n_init, seed=args.seed, names=parse_pairs(args.names, "--names"),
            colours=parse_pairs(args.colours, "--colours"), assign=args.assign,
            min_cell=args.min_cell, allow_below_3=args.allow_below_3,
        )  # fmt: skip
        model.checked_parameters()  # fit checks them too: here, before the import
        return model
    except ProfileParameterError as exc:
        raise ParameterError(exc.for_cli()) from exc
    except ValueError as exc:
        raise ParameterError(str(exc)) from exc


def _load_respondents(args: argparse.Namespace):
    return load_respondents(
        args, args.file, strict=args.strict, extent_check=not args.no_extent_check
    )


def profiles_detect(args: argparse.Namespace) -> int:
    private = Path(args.private) if args.private else profiles.private_model_path(Path(args.output))
    check_command_outputs(args, args.output, private, (args.labelled, "respondents"),
                          (args.table, "profiles"), args.report)  # fmt: skip
    model = _profile_model(args)  # its parameters checked before the import
    respondents, rejected = _load_respondents(args)
    try:
        result = profiles.detect(respondents, model=model, n_boot=args.bootstrap, source=args.file)
        written = result.write(args.output, private=private, labelled=args.labelled,
                               table=args.table, report=args.report,
                               language=output_language(args))  # fmt: skip
    except ValueError as exc:
        raise ParameterError(getattr(exc, "for_cli", exc.__str__)()) from exc
    if args.json:
        print_json({**result.model.summary(), "written": [str(p) for p in written],
                    "rejected_rows": rejected})  # fmt: skip
        return 0
    print("\n".join(result.lines()))
    for warning in result.warnings():
        warn(warning)
    print("\n".join(profiles.written_lines(written, private)))
    return 0


def profiles_assign(args: argparse.Namespace) -> int:
    check_command_outputs(args, args.output)
    model = profiles.ProfileModel.load(args.model)
    respondents, rejected = _load_respondents(args)
    labelled = profiles.assign_profiles(respondents, model, source=args.file)
    write_respondents(labelled, args.output)
    if args.json:
        print_json({"model": str(args.model), **profiles.assignment_summary(model, labelled),
                    "rejected_rows": rejected, "written": str(args.output)})  # fmt: skip
        return 0
    print("\n".join(profiles.assignment_lines(model, labelled)))
    print_written([args.output])
    return 0
