"""``qet-geo transit ptal``: transit access (PTAL) from a GTFS feed, on a grid over the
areas and per area. Also the layers that transit and proximity share: ``--streets`` and
``--population`` read as PATH[:LAYER]."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..areas import read_areas
from ..errors import InputError, ParameterError, Problem
from ..geo import check_features_read, population_points
from ..i18n import tr
from ..io import split_layer
from ..privacy import check_not_respondents
from ..transit import transit_access
from ..transit.feeds import read_feeds
from ..transit.output import transit_files, write_transit_access
from ..transit.params import TransitParameters
from ..transit.ptal import (
    BUS_CATCHMENT,
    BUS_RELIABILITY,
    DETOUR,
    OTHER_WEIGHT,
    PTAL_OPTIONS,
    RAIL_CATCHMENT,
    RAIL_RELIABILITY,
    WALK_SPEED,
)
from ._common import (
    AREAS_HELP,
    GRID_HELP,
    PartitionProgress,
    add_engine,
    add_lang,
    check_command_outputs,
    engine_of,
    json_safe,
    known_respondents,
    output_language,
    print_json,
    print_lines,
    print_written,
    warn,
)


def add_parser(commands) -> None:
    transit = commands.add_parser("transit", help="transit access from GTFS (PTAL)")
    transit_commands = transit.add_subparsers(dest="transit_command", required=True)
    ptal = transit_commands.add_parser("ptal", help="PTAL on a grid over the areas, and per area")
    ptal.add_argument("gtfs", nargs="+",
                      help="GTFS feed(s): zips or folders, or a folder of feeds (every "
                           "operator of a region: ids kept apart, each feed's own service day)")  # fmt: skip
    ptal.add_argument("--areas", required=True, help=AREAS_HELP)
    ptal.add_argument("--areas-layer", help="layer of the areas file")
    ptal.add_argument("--id-field")
    ptal.add_argument("--name-field")
    ptal.add_argument(
        "--date", help="service day YYYY-MM-DD (default: the busiest weekday of the feed)"
    )
    ptal.add_argument(
        "--window", default=TransitParameters.window, help="time window (default %(default)s)"
    )
    ptal.add_argument("--grid", type=float, default=TransitParameters.grid, help=GRID_HELP)
    ptal.add_argument("--walk-speed", type=float, default=WALK_SPEED, help="m/min (%(default)g)")
    ptal.add_argument("--bus-catchment", type=float, default=BUS_CATCHMENT, help="m (%(default)g)")
    ptal.add_argument(
        "--rail-catchment", type=float, default=RAIL_CATCHMENT, help="m (%(default)g)"
    )
    ptal.add_argument(
        "--bus-reliability", type=float, default=BUS_RELIABILITY, help="min (%(default)s)"
    )
    ptal.add_argument(
        "--rail-reliability", type=float, default=RAIL_RELIABILITY, help="min (%(default)s)"
    )
    ptal.add_argument(
        "--other-weight",
        type=float,
        default=OTHER_WEIGHT,
        help="weight of the other routes (%(default)s)",
    )
    ptal.add_argument(
        "--detour",
        type=float,
        default=DETOUR,
        help="walking / straight-line distance (%(default)s)",
    )
    add_route_type(ptal, "mode of a GTFS route type over the default table (repeat; ranges "
                   "FIRST-LAST=MODE): bus, tram, metro, rail, ferry, cable, funicular or none, "
                   "e.g. --route-type 99=bus")  # fmt: skip
    ptal.add_argument("--streets", help="PATH[:LAYER] of street lines: walk along them")
    ptal.add_argument("--population", help="PATH[:LAYER] of population points or squares")
    ptal.add_argument(
        "--population-field",
        default=TransitParameters.population_field,
        help="field of the population counts (%(default)s)",
    )
    ptal.add_argument("-o", "--output", required=True, help="GeoPackage (.gpkg)")
    ptal.add_argument("--json", action="store_true")
    add_engine(ptal)
    add_lang(ptal)
    ptal.set_defaults(func=transit_ptal)


def add_route_type(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--route-type", action="append", metavar="CODE=MODE", help=help_text)


def ptal_names(keys=PTAL_OPTIONS) -> dict:
    """The options of the PTAL parameters ``keys`` (``walk_speed`` → ``--walk-speed``) and of
    the others of the transit step, as messages name them."""
    return {**{key: "--" + key.replace("_", "-") for key in keys}, "route_types": "--route-type",
            "grid": "--grid", "date": "--date"}  # fmt: skip


def layer_in(spec: str, crs: str, option: str):
    """PATH[:LAYER] read with geopandas and reprojected to ``crs``."""
    import geopandas as gpd

    path, layer = split_layer(spec)
    if not Path(path).exists():
        raise ParameterError(tr("{option}: no such file {path}", option=option, path=path))
    frame = gpd.read_file(path, layer=layer)
    check_features_read(path, layer, len(frame))
    if frame.crs is None:
        raise ParameterError(
            tr("{option}: the layer has no coordinate reference system", option=option)
        )
    return frame.to_crs(crs)


def street_lines(spec: str, crs: str):
    """The lines of the street layer ``spec`` in ``crs``. A layer without lines (polygons of
    blocks or areas, points) is refused, naming the file, the layer and what it holds: it
    has no street to walk along, and its outlines are not streets (they cross blocks and
    parks, and miss the streets inside an area)."""
    frame = layer_in(spec, crs, "--streets")
    kinds = frame.geom_type.dropna()
    lines = kinds.isin(["LineString", "MultiLineString"]).to_numpy()
    if not lines.any():
        path, layer = split_layer(spec)
        raise InputError(
            Problem.of(f"{path}{' [' + layer + ']' if layer else ''}", "the street layer has no lines",
                       value=", ".join(sorted(set(kinds))) or None,
                       expected="a layer of street lines (LineString, MultiLineString)")
        )  # fmt: skip
    return frame.geometry.to_numpy()[frame.geom_type.isin(["LineString", "MultiLineString"])]


def population(args: argparse.Namespace, crs: str):
    """(x/y in ``crs``, counts) of --population's features (centroids of squares)."""
    layer = layer_in(args.population, crs, "--population")
    path, name = split_layer(args.population)
    check_not_respondents(layer, "population", path=path, layer=name, name=args.population,
                          respondents=known_respondents(args))  # fmt: skip
    if args.population_field not in layer.columns:
        raise ParameterError(
            tr(
                "--population-field: no field {field!r} in the population layer",
                field=args.population_field,
            )
        )
    return population_points(layer, args.population_field)


def transit_ptal(args: argparse.Namespace) -> int:
    # scipy and shapely (a second of start-up) only for the commands that read areas

    params = TransitParameters.of(
        date=args.date, window=args.window, grid=args.grid, route_types=args.route_type,
        names=ptal_names(), **{key: getattr(args, key) for key in PTAL_OPTIONS},
    )  # fmt: skip
    partition, engine = engine_of(args)
    check_command_outputs(args, *transit_files(args.output))
    feed = read_feeds(args.gtfs)
    areas = read_areas(
        args.areas, layer=args.areas_layer, id_field=args.id_field, name_field=args.name_field
    )
    streets = street_lines(args.streets, areas.crs) if args.streets else None
    result = transit_access(
        feed, areas, params=params, streets=streets,
        population=population(args, areas.crs) if args.population else None,
        partition=partition, engine=engine, progress=PartitionProgress(),
    )  # fmt: skip
    written = write_transit_access(result, args.output, language=output_language(args))
    for warning in result.warnings:
        warn(warning)
    if args.json:
        print_json(json_safe({**result.summary.to_dict(), "written": [str(p) for p in written],
                              "areas_table": result.areas.drop(columns="geometry").to_dict("records")}))  # fmt: skip
        return 0
    print_lines(result.lines(per_area=True))
    print_written(written)
    return 0
