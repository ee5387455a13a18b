"""The ``qet-geo`` command line: a thin shell over the library.

Exit codes: 0 success; 1 ``survey check`` found rows it would reject; 2 the input cannot be
used at all (the message names the file, row, column and value).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .errors import OutputError, QetGeoError
from .i18n import set_language, tr
from .survey import Location, builtin_schemas, import_survey, write_rejects, write_respondents
from .survey.importer import LOCATION_KINDS


def _add_import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", help="survey export: CSV/TSV, XLSX, ODS, GeoPackage, GeoJSON, Shapefile"
    )
    parser.add_argument(
        "--schema",
        default=None,
        help=f"built-in schema ({', '.join(builtin_schemas())}) or a YAML/JSON "
        "schema file (default: near-su)",
    )
    parser.add_argument(
        "--location",
        choices=LOCATION_KINDS,
        default="auto",
        help="where homes are: point geometry, lon/lat or x/y columns, an area "
        "code column, or none (default: auto)",
    )
    parser.add_argument("--x", dest="x", help="longitude or x column (default: recognised by name)")
    parser.add_argument("--y", dest="y", help="latitude or y column (default: recognised by name)")
    parser.add_argument("--crs", help="CRS of the x/y columns, e.g. EPSG:2154")
    parser.add_argument("--area", help="area (IRIS) code column (default: recognised by name)")
    parser.add_argument("--layer", help="layer of a multi-layer file (GeoPackage)")
    parser.add_argument("--sheet", help="sheet of a workbook (name or 0-based number)")
    parser.add_argument(
        "--no-extent-check",
        action="store_true",
        help="do not flag locations outside France or swapped lon/lat",
    )
    parser.add_argument(
        "--strict", action="store_true", help="stop at the first problem instead of rejecting rows"
    )


def _run_import(args: argparse.Namespace):
    sheet = int(args.sheet) if args.sheet is not None and args.sheet.isdigit() else args.sheet
    kind = "xy" if args.location == "auto" and args.crs else args.location
    return import_survey(
        args.file,
        schema=args.schema or "near-su",
        location=Location(kind=kind, x=args.x, y=args.y, crs=args.crs, area=args.area),
        strict=args.strict,
        extent=None if args.no_extent_check else "france",
        layer=args.layer,
        sheet=sheet,
    )


def _survey_check(args: argparse.Namespace) -> int:
    result = _run_import(args)
    if args.json:
        json.dump(result.report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(result.report.to_text())
    return 1 if result.report.rejected else 0


def _survey_import(args: argparse.Namespace) -> int:
    output = Path(args.output)
    rejects_path = (
        Path(args.rejects)
        if args.rejects
        else output.with_name(
            f"{output.stem}_rejects{'.gpkg' if output.suffix.lower() == '.gpkg' else '.csv'}"
        )
    )
    _check_outputs(Path(args.file), output, rejects_path)
    result = _run_import(args)
    write_respondents(result.respondents, output)
    write_rejects(result.rejects, rejects_path)  # always: an old rejects file must not linger
    report = result.report
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
    return 0


def _footprint(args: argparse.Namespace) -> int:
    from .footprint.su import USAGES, model_version, su_footprints

    if Path(args.file).suffix.lower() == ".json":
        return _footprint_of_situations(args)
    if args.schema is None and _is_ngc_results(args):
        return _footprint_of_ngc_results(args)
    result = _run_import(args)
    respondents = su_footprints(result.respondents)
    if args.output:
        _check_outputs(Path(args.file), Path(args.output))
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
    from .footprint.results import peek_header, result_columns

    if args.sheet is not None:
        return result_columns(_read_raw(args).columns) is not None
    return result_columns(peek_header(args.file)) is not None


def _read_raw(args: argparse.Namespace):
    from .survey.readers import read_table

    sheet = int(args.sheet) if args.sheet is not None and args.sheet.isdigit() else args.sheet
    return read_table(args.file, layer=args.layer, sheet=sheet)


def _footprint_of_ngc_results(args: argparse.Namespace) -> int:
    """FILE is a table of results computed by NGC (poll export)."""
    from .footprint.results import results_footprints

    raw = _read_raw(args)
    footprints, warnings = results_footprints(raw.data, raw.path)
    return _show_footprints(args, footprints, warnings, "results")


def _footprint_of_situations(args: argparse.Namespace) -> int:
    """FILE is a JSON array of NGC situations (or {"name", "situation"} items), or of NGC
    simulations holding computedResults."""
    from .footprint.results import results_cells, results_footprints
    from .footprint.situations import (
        holds_results,
        items_of,
        load_json_array,
        situation_footprints,
    )

    data = load_json_array(args.file)
    if holds_results(data):
        cells, names = results_cells(data, args.file)
        footprints, warnings = results_footprints(cells, args.file, names)
        return _show_footprints(args, footprints, warnings, "results")
    items = items_of(data, args.file)
    footprints, warnings = situation_footprints(items, source=args.file)
    return _show_footprints(args, footprints, warnings, "situations")


def _show_footprints(args, footprints, warnings, kind: str) -> int:
    from .footprint.su import USAGES, model_version

    for warning in warnings:
        print(f"qet-geo: {tr('warning')}: {warning}", file=sys.stderr)
    if args.output:
        _check_outputs(Path(args.file), Path(args.output))
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
    from .footprint.usages import USAGES

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
    json.dump(answer, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def _kg(value: float) -> float | None:
    return None if value != value else round(float(value), 2)


def _check_outputs(source: Path, output: Path, rejects: Path | None = None) -> None:
    """Never write over the survey export, nor the respondents over the rejects."""
    for path in (output, rejects):
        if (
            path is not None
            and path.exists()
            and source.exists()
            and path.resolve() == source.resolve()
        ):
            raise OutputError(tr("{path}: is the input file; choose another output", path=path))
    if (
        rejects is not None
        and output.resolve() == rejects.resolve()
        and output.suffix.lower() != ".gpkg"
    ):
        raise OutputError(
            tr(
                "{path}: respondents and rejects cannot share a file (except a GeoPackage, "
                "where they are two layers)",
                path=output,
            )
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qet-geo",
        description="Maps of usage profiles (Sphères d'Usages) from neighbourhood surveys.",
    )
    parser.add_argument("--version", action="version", version=f"qet-geo {__version__}")
    parser.add_argument(
        "--lang",
        choices=("fr", "en"),
        help="language of messages (default: from QET_GEO_LANG or LANG)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    survey = commands.add_parser("survey", help="check and import survey exports")
    survey_commands = survey.add_subparsers(dest="survey_command", required=True)

    check = survey_commands.add_parser(
        "check", help="report what an import would accept and reject"
    )
    _add_import_options(check)
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.set_defaults(func=_survey_check)

    do_import = survey_commands.add_parser("import", help="import answers to a respondents file")
    _add_import_options(do_import)
    do_import.add_argument(
        "-o", "--output", required=True, help="respondents file: .gpkg, .parquet or .csv"
    )
    do_import.add_argument(
        "--rejects", help="rejected rows with their reasons (default: beside the output, *_rejects)"
    )
    do_import.set_defaults(func=_survey_import)

    footprint = commands.add_parser(
        "footprint",
        help="footprints per usage (kgCO2e/yr, Nos Gestes Climat) of survey answers",
    )
    _add_import_options(footprint)
    footprint.add_argument(
        "--json", action="store_true", help="print one JSON object per respondent"
    )
    footprint.add_argument(
        "-o", "--output", help="respondents with their fp_* columns: .gpkg, .parquet or .csv"
    )
    footprint.set_defaults(func=_footprint)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        set_language(args.lang)
    try:
        return args.func(args)
    except QetGeoError as exc:
        print(f"qet-geo: {tr('error')}: {exc}", file=sys.stderr)
        problems = getattr(exc, "problems", [])
        if getattr(args, "json", False):  # a script reading stdout gets JSON all the same
            json.dump(
                {"error": str(exc), "problems": [p.to_dict() for p in problems]},
                sys.stdout,
                ensure_ascii=False,
                indent=2,
            )
            sys.stdout.write("\n")
        for problem in problems[1:20]:
            print(f"  - {problem}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
