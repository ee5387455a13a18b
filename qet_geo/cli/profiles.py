"""``qet-geo profiles detect|assign``: usage profiles (Sphères d'Usages) fitted to survey
answers and saved as a model file; answers placed in the profiles of a model file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import profiles  # ProfileModel on first use: scikit-learn takes seconds to import
from ..errors import InputError, ParameterError
from ..i18n import tr
from ..io import write_table
from ..parameters import choices
from ..profiles.encoding import read_weights
from ..profiles.near import stop_reason_text
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
)
from ..profiles.report import write_report
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
    split_pairs,
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
    if text in WEIGHT_PRESET_NAMES:
        return text
    try:
        return read_weights(text)
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
            n_init=args.n_init, seed=args.seed, names=split_pairs(args.names, "--names"),
            colours=split_pairs(args.colours, "--colours"), assign=args.assign,
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
        model, labelled = profiles.detect(
            respondents, model=model, n_boot=args.bootstrap, source=args.file
        )
    except ValueError as exc:
        raise ParameterError(getattr(exc, "for_cli", exc.__str__)()) from exc
    written = _write_detected(args, model, labelled, private)
    if args.json:
        print_json({**model.summary(), "written": [str(p) for p in written],
                    "rejected_rows": rejected})  # fmt: skip
        return 0
    print(_profiles_text(model))
    for quality, message in zip(model.quality_, model.quality_messages(), strict=True):
        print(f"qet-geo: {tr('warning')}: {tr(quality['kind'])}: {message}", file=sys.stderr)
    for path in written:
        if path == private:
            print(tr("written (private, not for publication): {path}", path=path))
        else:
            print(tr("written: {path}", path=path))
    return 0


def _write_detected(args: argparse.Namespace, model, labelled, private: Path) -> list[Path]:
    """The model file, its private working file and the outputs asked for; their paths."""
    output = Path(args.output)
    try:
        model.save(output, private=private)
    except ValueError as exc:
        raise ParameterError(str(exc)) from exc
    written = [output, private]
    if args.labelled:
        write_respondents(labelled, args.labelled)
        written.append(Path(args.labelled))
    if args.table:
        write_table(
            model.profiles_table(language=output_language(args)), args.table, layer="profiles"
        )
        written.append(Path(args.table))
    if args.report:
        write_report(model, args.report, language=output_language(args))
        written.append(Path(args.report))
    return written


def _profiles_text(model) -> str:
    lines = [
        tr(
            "{k} profiles ({method}), {n} respondents",
            k=model.k_,
            method=model.method,
            n=model.n_respondents_ - model.excluded_,
        )
    ]
    if model.excluded_:
        lines.append(tr("{n} respondents left out (an answer missing)", n=model.excluded_))
    if model.method == "near" and getattr(model, "stop_reason_", None):
        lines.append(tr("stopped: {reason}", reason=stop_reason_text(model.stop_reason_)))
    if model.scores_:
        lines.append("   k  silhouette  Calinski-Harabasz  Davies-Bouldin")
        for row in model.scores_:
            mark = " <" if row["chosen"] else ""
            lines.append(
                f"  {row['k']:>2}  {row['silhouette']:>10.3f}  {row['calinski_harabasz']:>17.1f}"
                f"  {row['davies_bouldin']:>14.3f}{mark}"
            )
    for entry in model.portraits_:
        stability = entry.get("stability")
        extra = f"  [{tr(stability['status'])} {stability['jaccard']:.2f}]" if stability else ""
        lines.append(
            f"  {entry['profile']:>2}. {entry['share']:>6.1%}  n={entry['size']:<6} "
            f"{entry['name']}{extra}"
        )
    if model.stability_ and model.stability_["ari"] is None:
        lines.append(tr("stability: no resample could be fitted"))
    elif model.stability_:
        lines.append(
            tr(
                "stability: adjusted Rand index {ari:.2f} over {n} resamples",
                ari=model.stability_["ari"],
                n=model.stability_["n_boot"],
            )
        )
    return "\n".join(lines)


def _with_profiles(respondents, assigned):
    """Respondents with their profile columns (replacing those of an earlier assignment),
    their CRS kept."""
    return profiles.with_profiles(respondents, assigned)


def profiles_assign(args: argparse.Namespace) -> int:
    check_command_outputs(args, args.output)
    model = profiles.ProfileModel.load(args.model)
    respondents, rejected = _load_respondents(args)
    assigned = model.predict(respondents, source=args.file)
    write_respondents(_with_profiles(respondents, assigned), args.output)
    counts = assigned["profile"].value_counts(dropna=False)
    assigned_n = int(assigned["profile"].notna().sum())
    outliers = int(assigned["outlier"].fillna(False).sum())
    if args.json:
        print_json({
            "model": str(args.model), "respondents": len(assigned), "assigned": assigned_n,
            "outliers": outliers,
            "by_fitted_answer": int((assigned["assigned_by"] == "fitted answer").sum()),
            "profiles": {str(int(p)): int(counts.get(p, 0)) for p in range(1, model.k_ + 1)},
            "rejected_rows": rejected, "written": str(args.output),
        })  # fmt: skip
        return 0
    print(tr("{n} respondents assigned to {k} profiles", n=assigned_n, k=model.k_))
    for entry in model.portraits_:
        print(
            f"  {entry['profile']:>2}. {int(counts.get(entry['profile'], 0)):>7}  {entry['name']}"
        )
    if outliers:
        print(tr("{n} answers far from every profile (outliers)", n=outliers))
    print_written([args.output])
    return 0
