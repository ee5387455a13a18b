"""The ``qet-geo`` command line: a thin shell over the library.

Exit codes: 0 success; 1 ``survey check`` found rows it would reject; 2 an input, a parameter
or an output cannot be used (the message names the file, row, column and value; a full disk
included); 3 an unexpected error, a fault of qet-geo (one line; ``--debug`` prints the
traceback); 130 interrupted (Ctrl+C); 141 the reader of the standard output closed it
(``| head``: no message); 143 stopped by SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .errors import ParameterError, QetGeoError
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
    _check_outputs(args, (output, "respondents"), (rejects_path, "rejects"))
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
    if report.id_column is None:
        print(tr("Ids: no respondent id column, ids are the row numbers"))
    return 0


def _footprint(args: argparse.Namespace) -> int:
    from .footprint.su import USAGES, model_version, su_footprints

    if args.output:
        _check_outputs(args, args.output)
    if Path(args.file).suffix.lower() == ".json":
        return _footprint_of_situations(args)
    if args.schema is None and _is_ngc_results(args):
        return _footprint_of_ngc_results(args)
    result = _run_import(args)
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


#: Options of the commands that name files they read.
INPUT_OPTIONS = ("file", "respondents", "areas", "census", "model", "gtfs", "streets",
                 "population", "schema", "weights", "ptal", "compare", "proximity")  # fmt: skip


def _inputs_of(args: argparse.Namespace) -> list[str]:
    """Every file the command reads (options of :data:`INPUT_OPTIONS`, --service and
    --background specs)."""
    paths = [getattr(args, name, None) for name in INPUT_OPTIONS]
    for spec in getattr(args, "service", None) or []:
        paths.append(spec.partition("=")[2])
    paths += list(getattr(args, "background", None) or [])
    return [str(p) for p in paths if isinstance(p, str) and p]


def _check_outputs(args: argparse.Namespace, *outputs) -> None:
    """Before any work: no output (side files included) is one of the inputs, and no two
    outputs are one file (:func:`qet_geo.io.check_outputs`)."""
    from .io import check_outputs

    check_outputs(_inputs_of(args), outputs)


def _check_published_inputs(args: argparse.Namespace) -> None:
    """The exports publish nothing from the folder of a run that did not finish."""
    from .manifest import check_complete

    check_complete(_inputs_of(args))


# ---------------------------------------------------------------------- profiles
def _load_respondents(args: argparse.Namespace):
    """Respondents of FILE: a respondents file written by qet-geo (read as it is), or a
    survey export imported with its schema. Returns (respondents, rows rejected)."""
    from .survey.readers import read_respondents_file

    respondents = read_respondents_file(args.file) if args.schema is None else None
    if respondents is not None:
        return respondents, 0
    result = _run_import(args)
    return result.respondents, result.report.rejected


def _profile_model(args: argparse.Namespace):
    from .profiles import ProfileModel
    from .profiles.params import ProfileParameterError, check_parameters

    weights = args.weights
    if weights not in ("current", "2023"):
        from .errors import InputError
        from .profiles.encoding import read_weights

        try:
            weights = read_weights(weights)
        except InputError as exc:
            raise ParameterError(
                tr(
                    "--weights: expected current, 2023 or a JSON file of weights ({error})",
                    error=exc,
                )
            ) from exc
    k = args.k
    if k is not None and k != "auto":
        try:
            k = int(k)
        except ValueError as exc:
            raise ParameterError(tr("--k: expected a whole number or auto")) from exc
    try:
        check_parameters(n_boot=args.bootstrap)  # before the import and the fit
        model = ProfileModel(
            args.method,
            weights=weights,
            encoding=args.encoding,
            min_share=args.min_share,
            max_share=args.max_share,
            min_count=args.min_count,
            target_count=args.target_count,
            tie_tolerance=args.tie_tolerance,
            k=k,
            k_range=(args.k_min, args.k_max),
            n_init=args.n_init,
            seed=args.seed,
            names=_pairs(args.names, "--names"),
            colours=_pairs(args.colours, "--colours"),
            assign=args.assign,
            min_cell=args.min_cell,
            allow_below_3=args.allow_below_3,
        )
        model.checked_parameters()  # fit checks them too: here, before the import
        return model
    except ProfileParameterError as exc:
        raise ParameterError(exc.for_cli()) from exc
    except ValueError as exc:
        raise ParameterError(str(exc)) from exc


def _pairs(text: str | None, option: str) -> dict:
    """ "1=Name;2=Other" → {1: "Name", 2: "Other"}."""
    if not text:
        return {}
    out = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        number, sep, value = part.partition("=")
        if not sep or not number.strip().isdigit():
            raise ParameterError(
                tr(
                    "{option}: expected profile=value pairs separated by ';', got {part!r}",
                    option=option,
                    part=part,
                )
            )
        if int(number) in out:
            raise ParameterError(
                tr("{option}: profile {number} is given twice", option=option, number=int(number))
            )
        out[int(number)] = value.strip()
    return out


def _profiles_detect(args: argparse.Namespace) -> int:
    from .profiles.model import private_model_path
    from .profiles.report import write_report

    private = Path(args.private) if args.private else private_model_path(Path(args.output))
    _check_outputs(args, args.output, private, (args.labelled, "respondents"),
                   (args.table, "profiles"), args.report)  # fmt: skip
    model = _profile_model(args)  # its parameters checked before the import
    respondents, rejected = _load_respondents(args)
    try:
        model.fit(respondents, source=args.file)
        if args.bootstrap:
            model.stability(respondents, n_boot=args.bootstrap)
    except ValueError as exc:
        raise ParameterError(getattr(exc, "for_cli", exc.__str__)()) from exc
    output = Path(args.output)
    try:
        model.save(output, private=private)
    except ValueError as exc:
        raise ParameterError(str(exc)) from exc
    written = [output, private]
    if args.labelled:
        write_respondents(_with_profiles(respondents, model.predict(respondents)), args.labelled)
        written.append(Path(args.labelled))
    if args.table:
        from .io import write_table

        write_table(
            model.profiles_table(language=_output_language(args)), args.table, layer="profiles"
        )
        written.append(Path(args.table))
    if args.report:
        write_report(model, args.report, language=_output_language(args))
        written.append(Path(args.report))
    if args.json:
        summary = model.summary()
        summary["written"] = [str(p) for p in written]
        summary["rejected_rows"] = rejected
        json.dump(summary, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
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
        lines.append(tr("stopped: {reason}", reason=tr(model.stop_reason_)))
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
    """Respondents with their profile columns (replacing those of an earlier assignment)."""
    return respondents.drop(columns=[c for c in assigned.columns if c in respondents]).join(
        assigned
    )


def _profiles_assign(args: argparse.Namespace) -> int:
    from .profiles import ProfileModel

    _check_outputs(args, args.output)
    model = ProfileModel.load(args.model)
    respondents, rejected = _load_respondents(args)
    assigned = model.predict(respondents, source=args.file)
    write_respondents(_with_profiles(respondents, assigned), args.output)
    counts = assigned["profile"].value_counts(dropna=False)
    if args.json:
        json.dump(
            {
                "model": str(args.model),
                "respondents": len(assigned),
                "assigned": int(assigned["profile"].notna().sum()),
                "outliers": int(assigned["outlier"].fillna(False).sum()),
                "by_fitted_answer": int((assigned["assigned_by"] == "fitted answer").sum()),
                "profiles": {str(int(p)): int(counts.get(p, 0)) for p in range(1, model.k_ + 1)},
                "rejected_rows": rejected,
                "written": str(args.output),
            },
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        sys.stdout.write("\n")
        return 0
    print(
        tr(
            "{n} respondents assigned to {k} profiles",
            n=int(assigned["profile"].notna().sum()),
            k=model.k_,
        )
    )
    for entry in model.portraits_:
        print(
            f"  {entry['profile']:>2}. {int(counts.get(entry['profile'], 0)):>7}  {entry['name']}"
        )
    outliers = int(assigned["outlier"].fillna(False).sum())
    if outliers:
        print(tr("{n} answers far from every profile (outliers)", n=outliers))
    print(tr("written: {path}", path=args.output))
    return 0


def _add_profile_options(parser: argparse.ArgumentParser) -> None:
    from .profiles.methods import METHODS

    parser.add_argument(
        "--method", choices=METHODS, default="near", help="default: near (NEAR's Sphères d'Usages)"
    )
    parser.add_argument(
        "--weights",
        default="current",
        help="NEAR weights: current, 2023 or a JSON file {variable: [w1, w2, w3]}",
    )
    parser.add_argument(
        "--encoding",
        choices=("weights", "standardised", "onehot", "footprints", "codes", "codes+footprints"),
        help="default by method",
    )
    parser.add_argument(
        "--min-share",
        type=float,
        default=0.11,
        help="near: go on while the smallest profile is under this share (0.11)",
    )
    parser.add_argument(
        "--max-share",
        type=float,
        default=0.95,
        help="near: … and the largest under this share (0.95)",
    )
    parser.add_argument(
        "--min-count", type=int, default=3, help="near: … and more profiles than this (3)"
    )
    parser.add_argument(
        "--target-count",
        type=int,
        help="near: merge until this many profiles remain (replaces the three rules above)",
    )
    parser.add_argument(
        "--tie-tolerance",
        type=float,
        default=1e-9,
        help="near: relative tolerance of tied distances",
    )
    parser.add_argument("--k", help="number of profiles, or auto (other methods)")
    parser.add_argument("--k-min", type=int, default=2)
    parser.add_argument("--k-max", type=int, default=10)
    parser.add_argument("--n-init", type=int, help="starts of k-means and the like (the best kept)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--bootstrap", type=int, default=100, help="resamples for stability (0: none)"
    )
    parser.add_argument(
        "--assign",
        choices=("lookup", "nearest"),
        default="lookup",
        help="fitted answers keep their profile (lookup) or go to the nearest centroid (NEAR)",
    )
    parser.add_argument("--names", help="profile names: '1=Name one;2=Name two'")
    parser.add_argument("--colours", help="profile colours: '1=#332288;2=#88CCEE'")


# ---------------------------------------------------------------------- areas
def _areas_map(args: argparse.Namespace) -> int:
    from .areas import map_areas, read_areas, read_census, write_area_map
    from .areas.output import area_map_files
    from .areas.zones import parse_groups
    from .profiles import ProfileModel

    _check_outputs(args, *area_map_files(args.output, csv=not args.no_csv))
    survey_args = argparse.Namespace(**vars(args))
    survey_args.file = args.respondents
    respondents, rejected = _load_respondents(survey_args)
    try:
        groups = parse_groups(args.neighbourhoods)
    except ValueError as exc:
        raise ParameterError(str(exc)) from exc
    areas = read_areas(args.areas, layer=args.areas_layer, id_field=args.id_field,
                       name_field=args.name_field, groups=groups)  # fmt: skip
    model = ProfileModel.load(args.model) if args.model else None
    census = read_census(args.census) if args.census else None
    try:
        result = map_areas(
            respondents,
            areas,
            model=model,
            census=census,
            weights=args.weights,
            min_cell=args.min_cell,
            allow_below_3=args.allow_below_3,
            code_column=args.code_field,
            raking_cap=args.raking_cap,
        )
    except ValueError as exc:
        raise ParameterError(str(exc)) from exc
    written = write_area_map(result, Path(args.output), csv=not args.no_csv)
    for warning in result.warnings:
        print(f"qet-geo: {tr('warning')}: {warning}", file=sys.stderr)
    if args.json:
        json.dump(
            {
                **result.summary,
                "join_report": result.joined.report(),
                "warnings": [w.to_dict() for w in result.warnings],
                "rejected_rows": rejected,
                "written": [str(p) for p in written],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        sys.stdout.write("\n")
        return 0
    s = result.summary
    print(tr("{joined} of {n} respondents mapped in {areas} areas ({join})",
             joined=s["joined"], n=s["respondents"], areas=s["areas"], join=s["join"]))  # fmt: skip
    if s["reprojected"]:
        print(tr("points reprojected: {what}", what=s["reprojected"]))
    if s["on_boundary"]:
        print(
            tr(
                "{n} points on a shared boundary, given to the area whose id sorts first",
                n=s["on_boundary"],
            )
        )
    print(
        tr("{areas} areas suppressed and {cells} cells (threshold {min_cell} respondents)",
           areas=s["areas_suppressed"], cells=s["cells_suppressed"], min_cell=s["min_cell"])
    )  # fmt: skip
    if s.get("raking"):
        r = s["raking"]
        print(tr("raking: {iterations} cycles, largest gap {gap} points, {trimmed} weights capped",
                 iterations=r["iterations"], gap=r["max_gap_points"], trimmed=r["trimmed"]))  # fmt: skip
    if s.get("margin_of_error") is not None:
        print(tr("margin of error (95 %, p = 0.5): {e:.1%}; target sizes 3/4/5 %: {a}/{b}/{c}",
                 e=s["margin_of_error"], a=s["target_n_3pct"], b=s["target_n_4pct"],
                 c=s["target_n_5pct"]))  # fmt: skip
    for path in written:
        print(tr("written: {path}", path=path))
    return 0


# ---------------------------------------------------------------------- transit
def _layer_in(spec: str, crs: str, option: str):
    """PATH[:LAYER] read with geopandas and reprojected to ``crs``."""
    import geopandas as gpd

    path, layer = (spec, None) if Path(spec).exists() else spec.rpartition(":")[::2]
    if not Path(path).exists():
        raise ParameterError(tr("{option}: no such file {path}", option=option, path=path))
    frame = gpd.read_file(path, layer=layer or None)
    from .geo import check_features_read

    check_features_read(path, layer or None, len(frame))
    if frame.crs is None:
        raise ParameterError(
            tr("{option}: the layer has no coordinate reference system", option=option)
        )
    return frame.to_crs(crs)


def _population(args: argparse.Namespace, crs: str):
    """(x/y in ``crs``, counts) of --population's features (centroids of squares)."""
    import numpy as np
    import shapely

    from .pipeline import split_layer
    from .privacy import check_not_respondents

    layer = _layer_in(args.population, crs, "--population")
    path, name = split_layer(args.population)
    check_not_respondents(layer, "population", path=path, layer=name, name=args.population,
                          respondents=_known_respondents(args))  # fmt: skip
    if args.population_field not in layer.columns:
        raise ParameterError(
            tr(
                "--population-field: no field {field!r} in the population layer",
                field=args.population_field,
            )
        )
    centres = shapely.centroid(layer.geometry.to_numpy())
    return (
        np.column_stack([shapely.get_x(centres), shapely.get_y(centres)]),
        pd_numeric(layer[args.population_field]),
    )


def _transit_ptal(args: argparse.Namespace) -> int:
    from .areas import read_areas
    from .limits import check_grid_spacing
    from .transit import PtalParameters, parse_window, read_gtfs, transit_access
    from .transit.gtfs import parse_date
    from .transit.output import transit_files, write_transit_access
    from .transit.ptal import PTAL_OPTIONS, check_parameter

    check_parameter("grid", args.grid, "--grid")  # before any file is read
    check_grid_spacing(args.grid)
    _check_outputs(args, *transit_files(args.output))
    try:
        window = parse_window(args.window)
    except ValueError as exc:
        raise ParameterError(str(exc)) from exc
    date = parse_date(args.date, "--date")
    params = PtalParameters.of(
        **{key: getattr(args, key) for key in PTAL_OPTIONS}, window=window,
        route_types=args.route_type,
        names={**{key: "--" + key.replace("_", "-") for key in PTAL_OPTIONS}, "route_types": "--route-type"},
    )  # fmt: skip
    feed = read_gtfs(args.gtfs)
    areas = read_areas(
        args.areas, layer=args.areas_layer, id_field=args.id_field, name_field=args.name_field
    )
    streets = population = None
    if args.streets:
        streets = _layer_in(args.streets, areas.crs, "--streets").geometry.to_numpy()
    if args.population:
        population = _population(args, areas.crs)
    result = transit_access(
        feed,
        areas,
        date=date,
        params=params,
        spacing=args.grid,
        streets=streets,
        population=population,
    )
    written = write_transit_access(result, args.output)
    for warning in result.warnings:
        print(f"qet-geo: {tr('warning')}: {warning}", file=sys.stderr)
    if args.json:
        areas_table = result.areas.drop(columns="geometry")
        from .profiles.model import _clean

        json.dump(
            _clean({**result.summary, "written": [str(p) for p in written],
                    "areas_table": areas_table.to_dict("records")}),
            sys.stdout, ensure_ascii=False, indent=1,
        )  # fmt: skip
        sys.stdout.write("\n")
        return 0
    s = result.summary
    print(tr("PTAL on {points} grid points ({spacing:g} m), service day {date} ({how}), window {start}–{end}",
             points=s["grid_points"], spacing=s["grid_spacing_m"], date=s["service_date"],
             how=tr(s["date_chosen"]), start=s["parameters"]["window"][0],
             end=s["parameters"]["window"][1]))  # fmt: skip
    print("  " + result.metric.describe())
    for row in result.areas.itertuples(index=False):
        print(
            f"  {row.area_id:<12} {row.ai_mean:>7.2f}  {row.band_of_mean or '-':<3} {row.area_name}"
        )
    for path in written:
        print(tr("written: {path}", path=path))
    return 0


# ---------------------------------------------------------------------- constraints
def _services(specs: list[str] | None, crs: str, respondents=None) -> dict:
    """--service NAME=PATH[:LAYER] → name → x/y in ``crs`` (never a layer of, or on, the
    ``respondents``)."""
    from .constraints.proximity import read_services
    from .pipeline import split_layer

    layers = {}
    for spec in specs or []:
        name, sep, target = spec.partition("=")
        if not sep or not name.strip():
            raise ParameterError(
                tr("--service: expected NAME=PATH[:LAYER], got {spec!r}", spec=spec)
            )
        path, _ = split_layer(target)
        if not Path(path).exists():
            raise ParameterError(tr("--service {name}: no such file {path}", name=name, path=path))
        layers[name.strip()] = target
    return read_services(layers, crs, respondents)


def _known_respondents(args: argparse.Namespace):
    """The respondents of ``--respondents`` (a respondents file written by qet-geo), so that
    layers on their homes are refused; None without it."""
    if not getattr(args, "respondents", None):
        return None
    from .survey.readers import read_respondents_file

    respondents = read_respondents_file(args.respondents)
    if respondents is None:
        raise ParameterError(
            tr("--respondents: {path} is not a respondents file written by qet-geo",
               path=args.respondents)
        )  # fmt: skip
    return respondents


def _constraints_proximity(args: argparse.Namespace) -> int:
    from .areas import read_areas
    from .constraints import proximity
    from .constraints.output import layers_files, write_layers
    from .constraints.proximity import check_proximity_parameters
    from .limits import check_grid_spacing

    try:  # before any file is read
        within = tuple(float(v) for v in args.within.split(","))
    except ValueError as exc:
        raise ParameterError(
            tr("--within: expected distances in metres separated by commas")
        ) from exc
    check_proximity_parameters(spacing=args.grid, radius=args.radius, within=within,
                               detour=args.detour, names={"grid": "--grid", "radius": "--radius",
                               "within": "--within", "detour": "--detour"})  # fmt: skip
    check_grid_spacing(args.grid)
    _check_outputs(args, *layers_files(args.output, ["proximity_areas"]))
    areas = read_areas(
        args.areas, layer=args.areas_layer, id_field=args.id_field, name_field=args.name_field
    )
    services = _services(args.service, areas.crs, _known_respondents(args))
    if not services:
        raise ParameterError(tr("give at least one service layer with --service NAME=PATH"))
    population = _population(args, areas.crs) if args.population else None
    missing = sorted(set(args.people or ()) - set(services))
    if missing:
        raise ParameterError(
            tr("--people {names}: no such --service layer", names=", ".join(missing))
        )
    result = proximity(
        areas,
        services,
        spacing=args.grid,
        radius=args.radius,
        within=within,
        detour=args.detour,
        population=population,
        people=args.people or (),
        min_cell=args.min_cell,
    )
    written = write_layers(args.output, [("proximity_areas", result.areas, result.crs)])
    for warning in result.warnings:
        print(f"qet-geo: {tr('warning')}: {warning}", file=sys.stderr)
    if args.json:
        from .profiles.model import _clean

        json.dump(_clean({**result.summary, "areas_table": result.areas.drop(columns="geometry").to_dict("records"),
                          "written": [str(p) for p in written]}), sys.stdout, ensure_ascii=False, indent=1)  # fmt: skip
        sys.stdout.write("\n")
        return 0
    print(
        tr(
            "Proximity to {n} service layer(s) in {areas} areas",
            n=len(services),
            areas=len(result.areas),
        )
    )
    print("  " + result.metric.describe())
    for path in written:
        print(tr("written: {path}", path=path))
    return 0


def _compare(args: argparse.Namespace) -> int:
    import numpy as np

    from .areas import join_respondents, read_areas
    from .constraints import compare
    from .constraints.output import layers_files, write_layers
    from .limits import check_grid_spacing
    from .pipeline import COMPARE_LAYERS
    from .profiles import ProfileModel
    from .transit import PtalParameters, parse_window, read_gtfs, transit_access
    from .transit.gtfs import parse_date
    from .transit.ptal import check_parameter

    check_parameter("grid", args.grid, "--grid")  # before any file is read
    check_grid_spacing(args.grid)
    from .profiles.params import ProfileParameterError, check_parameters

    try:
        check_parameters(n_boot=args.bootstrap)
    except ProfileParameterError as exc:
        raise ParameterError(exc.for_cli()) from exc
    _check_outputs(args, *layers_files(args.output, COMPARE_LAYERS))
    survey_args = argparse.Namespace(**vars(args))
    survey_args.file = args.respondents
    respondents, _ = _load_respondents(survey_args)
    areas = read_areas(
        args.areas, layer=args.areas_layer, id_field=args.id_field, name_field=args.name_field
    )
    try:
        params = PtalParameters.of(window=parse_window(args.window), route_types=args.route_type,
                                   names={"route_types": "--route-type"})  # fmt: skip
    except ValueError as exc:
        raise ParameterError(str(exc)) from exc
    date = parse_date(args.date, "--date")
    transit = transit_access(
        read_gtfs(args.gtfs), areas, date=date, params=params, spacing=args.grid
    )
    for warning in transit.warnings:  # the feed's (stops left out…) and the grid's
        print(f"qet-geo: {tr('warning')}: {warning}", file=sys.stderr)
    if args.min_cell < 3 and not args.allow_below_3:
        raise ParameterError(tr("a threshold under 3 needs --allow-below-3"))
    if args.model:
        model = ProfileModel.load(args.model)
        profile = model.published_labels(model.predict(respondents)["profile"])
        names = model.published_names()
    elif "profile" in respondents.columns:
        profile = pd_numeric(respondents["profile"])
        k = int(np.nanmax(profile)) if np.isfinite(profile).any() else 0
        names = {p: f"Profil {p}" for p in range(1, k + 1)}
    else:
        raise ParameterError(tr("no profiles: give --model, or respondents with a profile column"))
    joined = join_respondents(respondents, areas, code_column=args.code_field)
    weights = (
        respondents["weight"].to_numpy(dtype=float) if "weight" in respondents.columns else None
    )
    result = compare(
        respondents, areas, transit, profile=profile, profile_names=names, weights=weights,
        area_of=joined.area, services=_services(args.service, areas.crs, respondents),
        satisfaction_column=args.satisfaction, focus_profile=args.profile, min_cell=args.min_cell,
        allow_below_3=args.allow_below_3, n_boot=args.bootstrap,
    )  # fmt: skip
    written = write_layers(
        args.output,
        [("compare_areas", result.areas, result.crs), ("compare_classes", result.classes, None),
         ("satisfaction", result.satisfaction, None)],
    )  # fmt: skip
    if args.json:
        from .profiles.model import _clean

        json.dump(_clean({**result.summary, "classes": result.classes.to_dict("records"),
                          "written": [str(p) for p in written]}), sys.stdout, ensure_ascii=False, indent=1)  # fmt: skip
        sys.stdout.write("\n")
        return 0
    s = result.summary

    def interval(bounds) -> str:  # none without resamples (--bootstrap 0): nothing said
        return "" if bounds is None else f" {bounds}"

    print(tr("Cramér's V (profiles × PTAL band): {v}{ci}; Spearman (mobility footprint, AI): {rho}{ci2}",
             v=s["cramers_v_profiles_ptal"], ci=interval(s["cramers_v_95"]),
             rho=s["spearman_mobility_ai"], ci2=interval(s["spearman_95"])))  # fmt: skip
    for path in written:
        print(tr("written: {path}", path=path))
    return 0


# ---------------------------------------------------------------------- forum outputs
def _export_webmap(args: argparse.Namespace) -> int:
    from .export.webmap import read_inputs, write_webmap

    _check_outputs(args, args.output)
    _check_published_inputs(args)
    inputs = read_inputs(args.areas, ptal=args.ptal, compare=args.compare, gtfs=args.gtfs,
                         background=args.background or (), respondents=_known_respondents(args))  # fmt: skip
    if args.map_language:
        print(
            f"qet-geo: {tr('warning')}: {tr('--map-language is deprecated: use --lang')}",
            file=sys.stderr,
        )
    language = args.map_language or _output_language(args)
    path = write_webmap(args.output, inputs, title=args.title, language=language,
                        offline=not args.online, tiles=args.tiles)  # fmt: skip
    print(tr("written: {path}", path=path))
    return 0


def _export_poster(args: argparse.Namespace) -> int:
    from .export.poster import poster_files, write_poster
    from .profiles import ProfileModel

    sizes = list(dict.fromkeys(args.size or ["A3"]))
    outputs = {}
    for size in sizes:
        output = Path(args.output)
        if len(sizes) > 1:
            output = output.with_name(f"{output.stem}_{size}{output.suffix or '.pdf'}")
        outputs[size] = output
    _check_outputs(args, *(p for o in outputs.values() for p in poster_files(o, not args.no_png)))
    _check_published_inputs(args)
    model = ProfileModel.load(args.model) if args.model else None
    for size, output in outputs.items():
        for path in write_poster(output, args.areas, model, size=size, title=args.title,
                                 png=not args.no_png, language=_output_language(args)):  # fmt: skip
            print(tr("written: {path}", path=path))
    return 0


def _export_project(args: argparse.Namespace) -> int:
    from .export.project import write_project

    _check_outputs(args, Path(args.output).with_suffix(".qgz"))
    _check_published_inputs(args)
    layers = {k: getattr(args, k) for k in ("areas", "ptal", "compare", "proximity")
              if getattr(args, k)}  # fmt: skip
    path = write_project(args.output, layers, title=args.title, language=_output_language(args))
    print(tr("written: {path}", path=path))
    return 0


def _run(args: argparse.Namespace) -> int:
    from .pipeline import LABELS, Progress, load_config, run, set_output, steps_of, summary_text

    config = load_config(args.config)
    if getattr(args, "lang", None):  # the command's --lang before the configuration's
        config[""]["language"] = args.lang
    if args.output:
        set_output(config, args.output)
    if args.check:
        print(tr("{path}: valid; steps: {steps}", path=args.config,
                 steps=", ".join(tr(LABELS[s]) for s in steps_of(config))))  # fmt: skip
        print(tr("outputs in {folder}", folder=config.output))
        return 0
    progress = Progress(len(steps_of(config)), stream=sys.stderr)
    result = run(config, progress)
    for warning in result.warnings:
        print(f"qet-geo: {tr('warning')}: {warning}", file=sys.stderr)
    if args.json:
        json.dump({"written": {k: [str(p) for p in v] for k, v in result.written.items()},
                   "figures": result.figures, "seconds": result.seconds},
                  sys.stdout, ensure_ascii=False, indent=1, default=str)  # fmt: skip
        sys.stdout.write("\n")
        return 0
    print(summary_text(config, result))
    return 0


def pd_numeric(series):
    import pandas as pd

    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)


#: The help of ``--areas`` where distances are measured.
AREAS_HELP = "polygon layer, any CRS (distances are measured in metres in a local metric CRS)"


#: The commands that write forum outputs (report, web map, poster, QGIS project): there
#: ``--lang`` is also their language.
_FORUM_COMMANDS = (_profiles_detect, _export_webmap, _export_poster, _export_project, _run)


def _add_lang(parser: argparse.ArgumentParser) -> None:
    """``--lang`` after the command as well as before it (the same option: messages and
    forum outputs); not given here, it leaves the one before the command as it was. Its
    help speaks of forum outputs only on the commands that write some."""
    forum = parser.get_default("func") in _FORUM_COMMANDS
    parser.add_argument(
        "--lang",
        choices=("fr", "en"),
        default=argparse.SUPPRESS,
        help="language of messages and of forum outputs (default: messages from "
        "QET_GEO_LANG or LANG, outputs in French)"
        if forum
        else "language of messages (default: from QET_GEO_LANG or LANG)",
    )


def _output_language(args: argparse.Namespace) -> str:
    """The language of forum outputs: ``--lang`` when given, else French (never the
    language of messages taken from the environment)."""
    return getattr(args, "lang", None) or "fr"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qet-geo",
        description="Maps of usage profiles (Sphères d'Usages) from neighbourhood surveys.",
    )
    parser.add_argument("--version", action="version", version=f"qet-geo {__version__}")
    parser.add_argument(
        "--lang",
        choices=("fr", "en"),
        help="language of messages and of forum outputs: report, web map, poster, QGIS "
        "project (default: messages from QET_GEO_LANG or LANG, outputs in French)",
    )
    parser.add_argument(
        "--debug", action="store_true", help="print the whole traceback of an unexpected error"
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

    profiles = commands.add_parser(
        "profiles", help="usage profiles (Sphères d'Usages): detect, assign"
    )
    profile_commands = profiles.add_subparsers(dest="profiles_command", required=True)
    detect = profile_commands.add_parser("detect", help="detect profiles and write the model file")
    _add_import_options(detect)
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
        default=11,
        help="profiles under this many respondents are published grouped (11)",
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
    detect.set_defaults(func=_profiles_detect)
    assign = profile_commands.add_parser(
        "assign", help="place answers in the profiles of a model file"
    )
    _add_import_options(assign)
    assign.add_argument("--model", required=True, help="model file written by profiles detect")
    assign.add_argument("-o", "--output", required=True, help="respondents with their profile")
    assign.add_argument("--json", action="store_true", help="print a JSON summary")
    assign.set_defaults(func=_profiles_assign)

    areas = commands.add_parser("areas", help="neighbourhood maps: indicators per area")
    area_commands = areas.add_subparsers(dest="areas_command", required=True)
    amap = area_commands.add_parser(
        "map", help="profile mix, footprints, representativeness per area"
    )
    amap.add_argument(
        "--respondents",
        required=True,
        help="respondents (qet-geo file, or a survey export with --schema)",
    )
    amap.add_argument("--areas", required=True, help="polygon layer: IRIS, quartiers, zones")
    amap.add_argument("--areas-layer", help="layer of the areas file")
    amap.add_argument("--id-field", help="area id field (default: recognised, e.g. code_iris)")
    amap.add_argument("--name-field", help="area name field (default: recognised, e.g. nom_iris)")
    amap.add_argument(
        "--neighbourhoods",
        help="areas as sets of ids, dissolved: 'Centre=991230101,991230102;Nord=…'",
    )
    amap.add_argument("--code-field", help="join by this area code column instead of points")
    amap.add_argument("--model", help="profile model (default: the respondents' profile column)")
    amap.add_argument(
        "--census", help="INSEE IRIS file (base-ic-evol-struct-pop) for representativeness"
    )
    amap.add_argument("--weights", choices=("survey", "raking", "none"), default="survey",
                      help="survey: the weight column; raking: raked to the census; none")  # fmt: skip
    amap.add_argument(
        "--raking-cap", type=float, default=5.0, help="weights capped at this multiple of the mean"
    )
    amap.add_argument(
        "--min-cell",
        type=int,
        default=11,
        help="suppress areas and cells under this many respondents (11)",
    )
    amap.add_argument(
        "--allow-below-3",
        action="store_true",
        help="allow a threshold under 3 (recorded in the outputs)",
    )
    amap.add_argument("--no-csv", action="store_true", help="no CSV tables beside the GeoPackage")
    amap.add_argument("-o", "--output", required=True, help="GeoPackage (.gpkg)")
    amap.add_argument("--json", action="store_true", help="print the summary as JSON")
    for option, default in (("--schema", None), ("--location", "auto"), ("--x", None), ("--y", None),
                            ("--crs", None), ("--area", None), ("--layer", None), ("--sheet", None)):  # fmt: skip
        amap.add_argument(option, default=default, help=argparse.SUPPRESS)
    amap.set_defaults(func=_areas_map, strict=False, no_extent_check=False)

    transit = commands.add_parser("transit", help="transit access from GTFS (PTAL)")
    transit_commands = transit.add_subparsers(dest="transit_command", required=True)
    ptal = transit_commands.add_parser("ptal", help="PTAL on a grid over the areas, and per area")
    ptal.add_argument("gtfs", help="GTFS feed (zip or folder)")
    ptal.add_argument("--areas", required=True, help=AREAS_HELP)
    ptal.add_argument("--areas-layer", help="layer of the areas file")
    ptal.add_argument("--id-field")
    ptal.add_argument("--name-field")
    ptal.add_argument(
        "--date", help="service day YYYY-MM-DD (default: the busiest weekday of the feed)"
    )
    ptal.add_argument("--window", default="08:15-09:15", help="time window (default 08:15-09:15)")
    ptal.add_argument("--grid", type=float, default=100.0, help="grid spacing in metres (100)")
    ptal.add_argument("--walk-speed", type=float, default=80.0, help="m/min (80)")
    ptal.add_argument("--bus-catchment", type=float, default=640.0, help="m (640)")
    ptal.add_argument("--rail-catchment", type=float, default=960.0, help="m (960)")
    ptal.add_argument("--bus-reliability", type=float, default=2.0, help="min (2.0)")
    ptal.add_argument("--rail-reliability", type=float, default=0.75, help="min (0.75)")
    ptal.add_argument(
        "--other-weight", type=float, default=0.5, help="weight of the other routes (0.5)"
    )
    ptal.add_argument(
        "--detour", type=float, default=1.0, help="walking / straight-line distance (1.0)"
    )
    ptal.add_argument(
        "--route-type", action="append", metavar="CODE=MODE",
        help="mode of a GTFS route type over the default table (repeat; ranges FIRST-LAST=MODE): "
        "bus, tram, metro, rail, ferry, cable, funicular or none, e.g. --route-type 99=bus",
    )  # fmt: skip
    ptal.add_argument("--streets", help="PATH[:LAYER] of street lines: walk along them")
    ptal.add_argument("--population", help="PATH[:LAYER] of population points or squares")
    ptal.add_argument(
        "--population-field", default="population", help="field of the population counts"
    )
    ptal.add_argument("-o", "--output", required=True, help="GeoPackage (.gpkg)")
    ptal.add_argument("--json", action="store_true")
    ptal.set_defaults(func=_transit_ptal)

    constraints = commands.add_parser(
        "constraints", help="constraints of the place: proximity to services"
    )
    constraint_commands = constraints.add_subparsers(dest="constraints_command", required=True)
    prox = constraint_commands.add_parser("proximity", help="distance to services per area")
    prox.add_argument("--areas", required=True, help=AREAS_HELP)
    prox.add_argument("--areas-layer")
    prox.add_argument("--id-field")
    prox.add_argument("--name-field")
    prox.add_argument(
        "--service", action="append", help="NAME=PATH[:LAYER] (repeat): a point layer of services"
    )
    prox.add_argument("--grid", type=float, default=100.0, help="grid spacing in metres (100)")
    prox.add_argument(
        "--radius",
        type=float,
        default=500.0,
        help="count services within this radius of the centroid (500)",
    )
    prox.add_argument(
        "--within",
        default="300,500,800",
        help="shares of the area within these distances (300,500,800)",
    )
    prox.add_argument("--detour", type=float, default=1.0)
    prox.add_argument(
        "--population", help="PATH[:LAYER] of population points or squares: weighted centroids"
    )
    prox.add_argument("--population-field", default="population")
    prox.add_argument(
        "--respondents",
        help="respondents file (qet-geo survey import): refuse services on their homes",
    )
    prox.add_argument(
        "--people", action="append", metavar="NAME",
        help="a --service layer whose points are people (homes): its counts are suppressed "
        "under --min-cell",
    )  # fmt: skip
    prox.add_argument("--min-cell", type=int, default=11)
    prox.add_argument("-o", "--output", required=True)
    prox.add_argument("--json", action="store_true")
    prox.set_defaults(func=_constraints_proximity)

    comp = commands.add_parser(
        "compare", help="profiles and footprints against transit access and proximity"
    )
    comp.add_argument("--respondents", required=True)
    comp.add_argument("--areas", required=True, help=AREAS_HELP)
    comp.add_argument("--areas-layer")
    comp.add_argument("--id-field")
    comp.add_argument("--name-field")
    comp.add_argument("--gtfs", required=True, help="GTFS feed (zip or folder)")
    comp.add_argument("--date")
    comp.add_argument("--window", default="08:15-09:15")
    comp.add_argument("--grid", type=float, default=100.0)
    comp.add_argument("--route-type", action="append", metavar="CODE=MODE",
                      help="mode of a GTFS route type (as for transit ptal)")  # fmt: skip
    comp.add_argument("--model")
    comp.add_argument("--code-field")
    comp.add_argument(
        "--service", action="append", help="NAME=PATH[:LAYER]: distance classes to this service"
    )
    comp.add_argument(
        "--satisfaction", help="column of satisfaction with transit access (NO/DONT_KNOW/YES)"
    )
    comp.add_argument(
        "--profile", type=int, help="profile of the bivariate map (default: the most car-turned)"
    )
    comp.add_argument("--min-cell", type=int, default=11)
    comp.add_argument(
        "--allow-below-3", action="store_true", help="allow a threshold under 3 (recorded)"
    )
    comp.add_argument("--bootstrap", type=int, default=200)
    comp.add_argument("-o", "--output", required=True)
    comp.add_argument("--json", action="store_true")
    for option, default in (("--schema", None), ("--location", "auto"), ("--x", None), ("--y", None),
                            ("--crs", None), ("--area", None), ("--layer", None), ("--sheet", None)):  # fmt: skip
        comp.add_argument(option, default=default, help=argparse.SUPPRESS)
    comp.set_defaults(func=_compare, strict=False, no_extent_check=False)

    export = commands.add_parser("export", help="forum outputs: web map, poster, QGIS project")
    export_commands = export.add_subparsers(dest="export_command", required=True)
    web = export_commands.add_parser("webmap", help="one HTML page, offline by default")
    web.add_argument("areas", help="area map GeoPackage (qet-geo areas map)")
    web.add_argument("--ptal", help="transit access GeoPackage (qet-geo transit ptal)")
    web.add_argument("--compare", help="comparison GeoPackage (qet-geo compare): bivariate map")
    web.add_argument("--gtfs", help="GTFS feed: transit stops and lines")
    web.add_argument(
        "--background", action="append", help="PATH[:LAYER] plain background layer (repeat)"
    )
    web.add_argument(
        "--respondents",
        help="respondents file (qet-geo survey import): refuse backgrounds on their homes",
    )
    web.add_argument("--title")
    web.add_argument(
        "--map-language", choices=("fr", "en"), help="deprecated: use --lang (language of the page)"
    )
    web.add_argument(
        "--online", action="store_true", help="load Leaflet from its CDN instead of inlining it"
    )
    web.add_argument("--tiles", action="store_true", help="OpenStreetMap tiles (with --online)")
    web.add_argument("-o", "--output", required=True, help="HTML file")
    web.set_defaults(func=_export_webmap)
    poster = export_commands.add_parser(
        "poster", help="PDF and PNG poster, A3 or A0 (French by default)"
    )
    poster.add_argument("areas", help="area map GeoPackage (qet-geo areas map)")
    poster.add_argument("--model", help="profile model (portraits and footprints)")
    poster.add_argument(
        "--size", choices=("A3", "A0"), action="append", help="paper size (repeat; A3)"
    )
    poster.add_argument("--title")
    poster.add_argument("--no-png", action="store_true", help="PDF only")
    poster.add_argument("-o", "--output", required=True, help="PDF file")
    poster.set_defaults(func=_export_poster, size=None)
    project = export_commands.add_parser(
        "project", help="QGIS project (.qgz) of the outputs, styled"
    )
    project.add_argument("--areas", required=True, help="area map GeoPackage")
    project.add_argument("--ptal", help="transit access GeoPackage")
    project.add_argument("--compare", help="comparison GeoPackage")
    project.add_argument("--proximity", help="proximity GeoPackage")
    project.add_argument("--title")
    project.add_argument("-o", "--output", required=True, help=".qgz file")
    project.set_defaults(func=_export_project)

    run = commands.add_parser(
        "run",
        help="the whole job from a configuration file: survey, footprints, profiles, areas, "
        "constraints, GeoPackages, web map, posters, QGIS project",
    )
    run.add_argument("config", help="TOML configuration (see sample_data/qet-geo.toml)")
    run.add_argument("-o", "--output", help="output folder (default: the configuration's)")
    run.add_argument("--check", action="store_true", help="check the configuration, run nothing")
    run.add_argument("--json", action="store_true")
    run.set_defaults(func=_run)
    for command in _commands(parser):  # --lang after any command too (run: it replaces
        _add_lang(command)  # the configuration's language)
    return parser


def _commands(parser: argparse.ArgumentParser):
    """The parsers of the commands that run something (the leaves of the subcommands)."""
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subcommands:
        yield parser
    for action in subcommands:
        for sub in dict.fromkeys(action.choices.values()):  # aliases once
            yield from _commands(sub)


#: Exit codes (see the module's docstring).
EXIT_INPUT, EXIT_UNEXPECTED, EXIT_INTERRUPTED = 2, 3, 130


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv[: argv.index("--") if "--" in argv else None]
    if debug:  # anywhere on the line, as after a command it is what one types on an error
        argv = [a for i, a in enumerate(argv) if a != "--debug" or "--" in argv[:i]]
    try:
        args = parser.parse_args(argv)
    except OSError as exc:  # --help, --version or a usage error written to a full disk…
        return _stream_failed(exc, argv)
    args.debug = debug
    if args.lang:
        set_language(args.lang)
    from .io import Terminated, stop_on_sigterm

    stop_on_sigterm()  # a stopped command removes its temporary files
    try:
        status = args.func(args)
        sys.stdout.flush()  # here, not at exit: a closed pipe is then said as such
        return status
    except BrokenPipeError:
        return _broken_pipe()
    except Terminated as exc:
        print(f"qet-geo: {tr('stopped (SIGTERM): the outputs are incomplete')}", file=sys.stderr)
        return int(exc.code)
    except QetGeoError as exc:
        print(f"qet-geo: {tr('error')}: {exc}", file=sys.stderr)
        problems = getattr(exc, "problems", [])
        if getattr(args, "json", False):  # a script reading stdout gets JSON all the same
            _json_error({"error": str(exc), "problems": [p.to_dict() for p in problems]})
        for problem in problems[1:20]:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(f"qet-geo: {tr('interrupted (Ctrl+C): the outputs are incomplete')}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the last safety net: one line, not a traceback
        from .io import terminated_status

        status = terminated_status()
        if status is not None:  # SIGTERM inside an import: another exception, still a stop
            print(f"qet-geo: {tr('stopped (SIGTERM): the outputs are incomplete')}",
                  file=sys.stderr)  # fmt: skip
            return status
        return _unexpected(exc, args)


#: The status of a command whose reader closed the pipe (128 + SIGPIPE, as Unix tools).
EXIT_BROKEN_PIPE = 141


def _broken_pipe() -> int:
    """The reader of the standard output closed it (``| head``): stop quietly, as Unix
    tools do; what is left of the output goes nowhere (its flush at exit would fail)."""
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def _stream_failed(exc: OSError, argv: list[str]) -> int:
    """What argparse wrote (help, version, usage) could not be written: a closed pipe is
    quiet, a full disk one line; anything else is raised again."""
    from .io import _FULL_ERRNO

    if isinstance(exc, BrokenPipeError):
        return _broken_pipe()
    if exc.errno not in _FULL_ERRNO:
        raise exc
    for i, arg in enumerate(argv[:-1]):  # the options are not parsed: --lang read here
        if arg == "--lang" and argv[i + 1] in ("fr", "en"):
            set_language(argv[i + 1])
    reason = tr(_FULL_ERRNO[exc.errno])
    print(f"qet-geo: {tr('error')}: {tr('standard output: disk full ({reason})', reason=reason)}",
          file=sys.stderr)  # fmt: skip
    _drop_stdout()
    return EXIT_INPUT


def _unexpected(exc: Exception, args: argparse.Namespace) -> int:
    """An exception qet-geo did not raise on purpose: one line naming it and the hint to
    rerun with --debug (which prints the traceback); a full disk is said as such."""
    from .io import disk_full_error

    full = disk_full_error(exc)
    if full is not None:
        print(f"qet-geo: {tr('error')}: {full}", file=sys.stderr)
        if getattr(args, "json", False):
            _json_error({"error": str(full), "problems": []})
        else:
            _drop_stdout()  # flushed, or dropped when it is the stream that is full
        return EXIT_INPUT
    if args.debug:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    message = " ".join(str(exc).split())
    if len(message) > 300:
        message = message[:300] + "…"
    kind = type(exc).__name__
    print(f"qet-geo: {tr('unexpected error: {kind}: {message}', kind=kind, message=message)}",
          file=sys.stderr)  # fmt: skip
    if not args.debug:
        print(f"qet-geo: {tr('rerun with --debug to see the traceback')}", file=sys.stderr)
    if getattr(args, "json", False):
        _json_error(
            {"error": f"{kind}: {message}", "unexpected": True, "type": kind, "problems": []}
        )
    return EXIT_UNEXPECTED


def _json_error(content: dict) -> None:
    try:
        json.dump(content, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    except OSError:  # the standard output is what failed (a full disk, a closed pipe)
        pass
    _drop_stdout()


def _drop_stdout() -> None:
    """Send what is left of the standard output nowhere: its last flush at exit would fail
    again, with a message after ours and exit code 120."""
    import os

    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        import contextlib

        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
