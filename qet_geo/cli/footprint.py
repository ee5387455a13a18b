"""``qet-geo footprint``: footprints per usage (kgCO2e/yr, Nos Gestes Climat) of survey
answers, of a table of results computed by NGC, or of a JSON array of NGC situations or
simulations."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..footprint.results import peek_header, result_columns, results_cells, results_footprints
from ..footprint.situations import holds_results, items_of, load_json_array, situation_footprints
from ..footprint.su import model_version, su_footprints
from ..footprint.usages import USAGES
from ..i18n import tr
from ..survey import write_respondents
from ..survey.readers import read_table
from ._common import (
    SURVEY,
    add_lang,
    check_command_outputs,
    import_file,
    print_json,
    sheet_of,
    warn,
)


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
    if Path(args.file).suffix.lower() == ".json":
        return _footprint_of_situations(args)
    if args.schema is None and _is_ngc_results(args):
        raw = _read_raw(args)
        footprints, warnings = results_footprints(raw.data, raw.path)
        return _show_footprints(args, footprints, warnings, "results")
    result = import_file(args)
    respondents = su_footprints(result.respondents)
    if args.output:
        write_respondents(respondents, args.output)
    if args.json:
        _print_footprints_json(respondents, respondents["respondent_id"].astype(str))
        return 0
    print(
        tr(
            "Footprints (kgCO2e/yr, {model}), {n} respondents: mean [low–high]",
            model=model_version(),
            n=len(respondents),
        )
    )
    for usage in [*USAGES, "total", "chauffage"]:
        if f"fp_{usage}" not in respondents:
            continue
        mean = respondents[[f"fp_{usage}", f"fp_{usage}_low", f"fp_{usage}_high"]].mean()
        print(f"  {usage:<13}{mean.iloc[0]:>8.0f}  [{mean.iloc[1]:.0f}–{mean.iloc[2]:.0f}]")
    if result.report.rejected:
        print(tr("{n} rows rejected: see qet-geo survey check", n=result.report.rejected))
    return 0


def _is_ngc_results(args: argparse.Namespace) -> bool:
    """Is FILE a table of NGC results (a poll export) rather than survey answers?"""
    if args.sheet is not None:
        return result_columns(_read_raw(args).columns) is not None
    return result_columns(peek_header(args.file)) is not None


def _read_raw(args: argparse.Namespace):
    return read_table(args.file, layer=args.layer, sheet=sheet_of(args))


def _footprint_of_situations(args: argparse.Namespace) -> int:
    """FILE is a JSON array of NGC situations (or {"name", "situation"} items), or of NGC
    simulations holding computedResults."""
    data = load_json_array(args.file)
    if holds_results(data):
        cells, names = results_cells(data, args.file)
        footprints, warnings = results_footprints(cells, args.file, names)
        return _show_footprints(args, footprints, warnings, "results")
    items = items_of(data, args.file)
    footprints, warnings = situation_footprints(items, source=args.file)
    return _show_footprints(args, footprints, warnings, "situations")


def _show_footprints(args, footprints, warnings, kind: str) -> int:
    for warning in warnings:
        warn(warning)
    if args.output:
        write_respondents(footprints, args.output)
    names = footprints["name"]
    if kind == "results":
        names = [
            name if name is not None else tr("row {n}", n=row)
            for name, row in zip(footprints["name"], footprints["row"], strict=True)
        ]
    if args.json:
        _print_footprints_json(footprints, names)
        return 0
    if kind == "results":
        title = tr("Footprints (kgCO2e/yr) computed by NGC, {n} results", n=len(footprints))
    else:
        title = tr(
            "Footprints (kgCO2e/yr, {model}), {n} situations",
            model=model_version(),
            n=len(footprints),
        )
    print(title)
    print("  " + " ".join(f"{u:>12}" for u in [*USAGES, "total"]) + "  name")
    for number, (name, row) in enumerate(
        zip(names, footprints.itertuples(index=False), strict=True), start=1
    ):
        values = [getattr(row, f"fp_{u}") for u in [*USAGES, "total"]]
        cells = " ".join("           —" if v != v else f"{v:>12.0f}" for v in values)
        print(f"  {cells}  {name or number}")
    return 0


def _print_footprints_json(footprints, names) -> None:
    """One JSON object per row: its name (if any), the five usages, the total, heating."""
    heating = "fp_chauffage" in footprints
    answer = [
        {
            **({"name": name} if name is not None else {}),
            "usages": {usage: _kg(row[f"fp_{usage}"]) for usage in USAGES},
            "total": _kg(row["fp_total"]),
            **({"chauffage": _kg(row["fp_chauffage"])} if heating else {}),
        }
        for name, (_, row) in zip(names, footprints.iterrows(), strict=True)
    ]
    print_json(answer)


def _kg(value: float) -> float | None:
    return None if value != value else round(float(value), 2)
