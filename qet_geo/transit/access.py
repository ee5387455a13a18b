"""Transit access per area: PTAL on a regular grid over the areas, and simpler indicators
(distance to the nearest stop, departures per hour within 400 m and 800 m)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import geo
from ..display import Summary, html_summary, plot_map, to_geodataframe
from ..engine import Engine
from ..errors import InputError, Problem
from ..grid import grid_points, in_metres, lonlat_bounds
from ..i18n import Message, translate
from ..i18n import language as messages_language
from ..io import public_name
from ..parameters import FEED, check_areas, check_argument
from .feeds import NAMESPACE, feed_names, read_feeds
from .gtfs import (
    MODES,
    UNKNOWN,
    Feed,
    departures,
    mode_of_route_type,
    parse_date,
    stops_near_areas,
    typical_weekday,
    validity,
    window_problems,
)
from .network import StreetNetwork
from .params import DEFAULT_GRID_SPACING, DEFAULT_POPULATION_FIELD, TransitParameters
from .partition import Partitioning, run_task, split, stitch, tasks
from .ptal import BAND_NAMES, PtalParameters, access_points, band


@dataclass(frozen=True)
class TransitSummary(Summary):
    """The figures of transit access: the ``--json`` output of ``qet-geo transit ptal``;
    the ``ptal_summary`` layer of ``ptal.gpkg`` holds some of them
    (:func:`~qet_geo.transit.output.summary_table`), which :meth:`from_table` reads back
    (``key="key"``), the others taking the defaults below."""

    #: the feed's name (no folder; several feeds: their names, comma-separated; default None)
    feed: str | None = None
    #: per feed: name, source (no folder), service_date, date_chosen,
    #: departures_in_window, routes (default none)
    feeds: list = field(default_factory=list)
    #: the service day, ISO "2026-03-10" (default "")
    service_date: str = ""
    #: how it was chosen: "given" or "busiest weekday of the feed" (default "")
    date_chosen: str = ""
    #: the PTAL parameters (:meth:`PtalParameters.to_dict`: walk speed, catchments,
    #: reliability, weights, detour, window, route types; default none)
    parameters: dict = field(default_factory=dict)
    #: the grid's spacing, metres (default :data:`DEFAULT_GRID_SPACING`)
    grid_spacing_m: float = DEFAULT_GRID_SPACING
    #: grid points over the areas (default 0)
    grid_points: int = 0
    #: service access points, TfL's SAPs: stops, the platforms of a station as one
    #: (default 0)
    access_points: int = 0
    #: routes with departures that day (default 0)
    routes: int = 0
    #: those routes by PTAL mode (default none)
    routes_by_mode: dict[str, int] = field(default_factory=dict)
    #: routes left out of PTAL, by reason (unknown route type, route type not in PTAL,
    #: mode without a catchment; default none)
    routes_left_out: dict[str, int] = field(default_factory=dict)
    #: the areas' CRS (default "")
    input_crs: str = ""
    #: the CRS in metres distances were measured in (default "")
    distance_crs: str = ""
    #: why it is not the areas' own: None when it is (default)
    reprojected_because: str | None = None
    #: departures in the time window (default 0)
    departures_in_window: int = 0
    #: areas (default 0)
    areas: int = 0
    #: how walking was measured: "street network" or "straight line × <detour>"
    #: (default "")
    walking: str = ""
    #: whether population points weighted the mean AI per area (default False)
    population_weighted: bool = False
    #: access points of different feeds closer than 5 m sharing a mode, counted as one
    #: (default 0)
    access_points_merged: int = 0
    #: partitions the grid was computed in (default 1)
    partitions: int = 1
    #: how: ``{"by": "none" | "departement" | "tile", "tile_m": …}`` (default none)
    partitioning: dict = field(default_factory=dict)
    #: the engine that computed them: "local" or "dask" (default "local")
    engine: str = "local"


@dataclass
class TransitAccess:
    """``grid``: one row per grid point (x, y, area_id, ai, band, ai_<mode>, saps,
    nearest_stop_m, departures_400m, departures_800m) in ``crs``; ``areas``: one row per
    area with ``geometry`` (mean AI, its band, share of the area in each band, mean
    simpler indicators); ``summary`` (:class:`TransitSummary`)."""

    grid: pd.DataFrame
    areas: pd.DataFrame
    summary: TransitSummary
    crs: str
    warnings: list = field(default_factory=list)
    #: where distances were measured (metres) and the grid points there (x/y)
    metric: object = None
    grid_xy_m: np.ndarray | None = None

    def __post_init__(self):
        self.summary = TransitSummary.of(self.summary)

    def to_geodataframe(self, layer: str = "areas"):
        """The areas (``layer="areas"``, polygons) or the grid points (``layer="grid"``)
        as a GeoDataFrame in :attr:`crs`."""
        if layer == "grid":
            return to_geodataframe(self.grid, self.crs, xy=("x", "y"))
        if layer != "areas":
            raise ValueError(f"layer must be 'areas' or 'grid', not {layer!r}")
        return to_geodataframe(self.areas, self.crs)

    def grid_frame(self) -> pd.DataFrame:
        """The grid points as the layer ``ptal_grid`` holds them: :attr:`grid` with a
        ``geometry`` column of shapely points in :attr:`crs` instead of ``x`` and ``y``."""
        import shapely

        points = shapely.points(self.grid["x"].to_numpy(), self.grid["y"].to_numpy())
        return self.grid.drop(columns=["x", "y"]).assign(geometry=points)

    def lines(self, *, per_area: bool = False, language: str | None = None) -> list[str]:
        """What the command line prints and the Processing log shows: the grid, the
        service day and the time window; the routes and their departures in the window;
        where distances were measured; with
        ``per_area``, one line per area (id, mean AI, its band, name). In ``language``
        (default: the language of messages)."""
        lang = language or messages_language()
        s = self.summary
        start, end = s.parameters["window"]
        lines = [translate(lang, "PTAL on {points} grid points ({spacing:g} m), service day {date} ({how}), window {start}–{end}",
                           points=s.grid_points, spacing=s.grid_spacing_m, date=s.service_date,
                           how=translate(lang, s.date_chosen), start=start, end=end),
                 translate(lang, "{routes} routes, {departures} departures in the window",
                           routes=s.routes, departures=s.departures_in_window)]  # fmt: skip
        if len(s.feeds) > 1:  # each feed's own service day
            lines += [translate(lang, "feed {name}: service day {date} ({how}), {routes} routes, {departures} departures in the window",
                                name=f["name"], date=f["service_date"], how=translate(lang, f["date_chosen"]),
                                routes=f["routes"], departures=f["departures_in_window"])
                      for f in s.feeds]  # fmt: skip
            lines.append(translate(lang, "{n} access points of different feeds within 5 m of each other and sharing a mode counted as one",
                                   n=s.access_points_merged))  # fmt: skip
        if s.partitions > 1:
            lines.append(translate(lang, "computed in {n} partitions ({by}), engine {engine}",
                                   n=s.partitions, by=s.partitioning.get("by", ""), engine=s.engine))  # fmt: skip
        if self.metric is not None:
            lines.append(self.metric.describe(lang))
        if per_area:
            lines += [f"{row.area_id:<12} {row.ai_mean:>7.2f}  {row.band_of_mean or '-':<3} {row.area_name}"
                      for row in self.areas.itertuples(index=False)]  # fmt: skip
        return lines

    def plot(self, column: str = "ai_mean", *, ax=None, **kwargs):
        """Map one indicator per area (default the mean access index) with matplotlib;
        returns the axes."""
        return plot_map(self.to_geodataframe(), column, ax=ax, **kwargs)

    def _repr_html_(self) -> str:
        s = self.summary
        ai = pd.to_numeric(self.areas["ai_mean"], errors="coerce")
        return html_summary("Transit access (PTAL)", [
            ("areas", len(self.areas)), ("grid points", s.grid_points), ("CRS", self.crs),
            ("service day", s.service_date), ("access points", s.access_points),
            ("routes", s.routes),
            ("mean AI by area", f"{ai.min():.2f} to {ai.max():.2f}" if ai.notna().any() else None),
            ("warnings", len(self.warnings) or None)])  # fmt: skip


def population_points(population, target_crs: str, field: str = DEFAULT_POPULATION_FIELD):
    """(x/y in ``target_crs``, weights) of population points.

    ``population``: such a pair already, or a layer of points or squares (a GeoDataFrame,
    or a DataFrame with shapely geometries and ``attrs["crs"]``) with the counts in
    ``field`` (INSEE's 200 m squares: their centroids)."""
    if not isinstance(population, pd.DataFrame):
        xy, weights = population
        return np.asarray(xy, dtype=float).reshape(-1, 2), np.asarray(weights, dtype=float)
    crs = geo.crs_of(population, "population")  # the one rule: no CRS, refused
    if crs is None:
        raise InputError(Problem.of("population", "the layer has no coordinate reference system"))
    if field not in population.columns:
        raise InputError(Problem.of("population", "no population field", column=field,
                                    expected=", ".join(map(str, population.columns))))  # fmt: skip
    present = ~pd.isna(np.asarray(population["geometry"].to_numpy(), dtype=object))
    xy, weights = geo.population_points(population[present], field)
    if len(xy) and not geo.backend().same_crs(crs, target_crs):
        xy = np.column_stack(geo.backend().transform(crs, target_crs, xy[:, 0], xy[:, 1]))
    return np.asarray(xy, dtype=float).reshape(-1, 2), weights


def transit_access(
    feed: Feed | str | Path,
    areas,
    *,
    date: dt.date | None = None,
    params: PtalParameters | TransitParameters | None = None,
    spacing: float = DEFAULT_GRID_SPACING,
    streets=None,
    population=None,
    partition=None,
    engine=None,
    progress=None,
) -> TransitAccess:
    """PTAL and simpler indicators on a grid of ``spacing`` metres over ``areas``.

    Parameters
    ----------
    feed : Feed, str, pathlib.Path or list
        The GTFS feed (:func:`qet_geo.read_gtfs`), or its zip or folder; a folder of feeds
        (zips or folders), or a list of feeds and paths: every operator of a region at
        once, each feed with its own service day, ids kept apart (``name:id``).
    areas : Areas
        The areas (:func:`qet_geo.read_areas`; a frame of polygons with its CRS:
        :func:`qet_geo.areas_from_frame` first: transit does not import the areas).
    date : datetime.date, optional
        The service day (default: the busiest weekday of the feed).
    params : PtalParameters or TransitParameters, optional
        The PTAL parameters (time window, walk speed, route types…), or the whole step's
        (:meth:`TransitParameters.of`: the service day, the grid spacing and PTAL's,
        taking the place of ``date`` and ``spacing``).
    spacing : float
        The grid's spacing in metres.
    streets : array of shapely lines, optional
        Streets in the areas' CRS: walking along them instead of straight lines × detour.
    population : tuple, DataFrame or GeoDataFrame, optional
        Population points (e.g. INSEE's 200 m squares): a layer with a ``population``
        field (:func:`population_points`), or (x/y array in the areas' CRS, weights).
        PTAL at those points gives a population-weighted mean AI per area
        (``ai_mean_population``).
    partition : str or Partitioning, optional
        "departement" (from INSEE codes), "tile" (50 km squares) or a
        :class:`~qet_geo.transit.partition.Partitioning`: the grid computed in
        partitions, each against the access points within a halo of the largest
        catchment, stitched back (the same figures as one run).
    engine : str or Engine, optional
        Where the partitions are computed: "local" (this process, default) or an
        :class:`~qet_geo.engine.Engine` ("dask": a LocalCluster or a scheduler).
    progress : callable, optional
        ``progress(done, total)`` after each partition.

    Returns
    -------
    TransitAccess
        ``grid`` (one row per grid point), ``areas`` (one row per area, with geometry),
        ``summary``, ``crs``, ``warnings``.

    Raises
    ------
    InputError
        Population points without a CRS or a ``population`` field, nothing to measure.
    ParameterError
        A PTAL parameter that cannot be used (:class:`PtalParameters`).

    Notes
    -----

    Every distance is in metres: areas in a CRS whose unit is not the metre (degrees, US
    feet…) are measured in the UTM zone of their centre (:func:`in_metres`; the summary's
    ``distance_crs`` says which), and the outputs are in the areas' own CRS. Routes of a
    route type no table maps (``params.route_types``, then the default table) are left out
    with a warning naming them.

    References
    ----------
    [TfL-PTAL-2015]: PTAL (SWT, AWT, EDF, AI per mode, the bands); [GTFS-Schedule]: the
    service day and the departures; [Dijkstra-1959], [SciPy-2020]: walking along
    ``streets``. The page is ``docs/transit.md``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> areas = qg.read_areas("sample_data/quartier.gpkg", layer="iris")
    >>> access = qg.transit_access(qg.read_gtfs("sample_data/gtfs"), areas)
    >>> bool(access.areas["band_of_mean"].notna().all())
    True
    """
    if isinstance(params, TransitParameters):
        date, spacing, params = params.date, params.grid, params.ptal
    date = parse_date(date, "date")  # a date, or its text YYYY-MM-DD
    hint = ("the feed comes first: transit_access(feed, areas)" if isinstance(areas, Feed) or hasattr(feed, "geometries")
            else None)  # fmt: skip
    if not isinstance(feed, (Feed, str, os.PathLike, list, tuple)):
        check_argument(feed, Feed, "transit_access", "feed", FEED, hint)
    check_areas(areas, "transit_access")
    params = (params or PtalParameters()).check()
    partitioning = partition if isinstance(partition, Partitioning) else Partitioning.of(partition)
    engine = engine if isinstance(engine, Engine) else Engine.of(engine)
    feeds = read_feeds(feed)  # a zip or a folder, a folder of feeds, or a list
    for one in feeds:
        check_argument(one, Feed, "transit_access", "feed", FEED, hint)
    if population is not None:
        population = population_points(population, areas.crs)
    input_areas = areas
    areas, metric = in_metres(areas)
    service = _service(feeds, input_areas, date, params)
    deps, saps, frequency = service.departures, service.saps, service.frequency
    backend = geo.backend()
    sx, sy = backend.transform(
        "EPSG:4326", metric.crs, saps["stop_lon"].to_numpy(), saps["stop_lat"].to_numpy()
    )
    saps_xy = np.column_stack([sx, sy]) if len(saps) else np.zeros((0, 2))
    saps, frequency, saps_xy, merged = _merge_across_feeds(saps, frequency, saps_xy, len(feeds))
    # simpler indicators: every boarding stop (not only PTAL modes), departures per hour
    start, end = params.window
    window = deps[(deps["departure"] >= start) & (deps["departure"] < end)]
    per_stop = window.groupby("stop_id").size() / params.window_hours
    stops = service.stops[service.stops["stop_id"].isin(deps["stop_id"].unique())]
    tx, ty = backend.transform(
        "EPSG:4326", metric.crs, stops["stop_lon"].to_numpy(), stops["stop_lat"].to_numpy()
    )
    stops_xy = np.column_stack([tx, ty]) if len(stops) else np.zeros((0, 2))
    streets_m = None
    if streets is not None:
        streets_m = np.asarray(metric.geometries_in(streets), dtype=object)
        StreetNetwork.from_lines(streets_m)  # an unusable street layer: one error, here
    pop_xy = pop_w = None
    if population is not None:
        pop_xy = metric.xy_in(np.asarray(population[0], dtype=float).reshape(-1, 2))
        pop_w = np.asarray(population[1], dtype=float)
    parts, partitioned_by = split(areas, partitioning, areas.source)
    jobs = tasks(areas, parts, spacing=spacing, params=params, saps_xy=saps_xy, saps=saps,
                 frequency=frequency, stops_xy=stops_xy,
                 stop_weights=per_stop.reindex(stops["stop_id"]).fillna(0.0).to_numpy(),
                 streets=streets_m, population_xy=pop_xy)  # fmt: skip
    grid_m, pop_ai = stitch(engine.map(run_task, jobs, progress))
    if not len(grid_m) and len(areas.frame):  # the error of a grid with no point, once
        grid_points(areas, spacing)
    area_index = grid_m["area"].to_numpy()
    gx, gy = grid_m["x"].to_numpy(), grid_m["y"].to_numpy()
    ptal = grid_m.drop(columns=["x", "y", "area"])
    ids = areas.frame["area_id"].to_numpy()
    grid = pd.concat([pd.DataFrame({"x": gx, "y": gy, "area_id": ids[area_index]}), ptal], axis=1)
    grid["ai"] = grid["ai"].round(3)
    # per area
    n_areas = len(areas.frame)
    count = np.bincount(area_index, minlength=n_areas)
    out = pd.DataFrame({"area_id": ids, "area_name": areas.frame["area_name"].to_numpy()})
    out["grid_points"] = count
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_ai = np.bincount(area_index, weights=ptal["ai"].to_numpy(), minlength=n_areas) / count
        out["ai_mean"] = np.round(mean_ai, 3)
        out["band_of_mean"] = np.where(count > 0, band(np.nan_to_num(mean_ai)), None)
        for name in BAND_NAMES:
            inside = (ptal["band"].to_numpy() == name).astype(float)
            out[f"share_band_{name}"] = np.round(
                np.bincount(area_index, weights=inside, minlength=n_areas) / count, 4
            )
        for column in ("nearest_stop_m", "departures_400m", "departures_800m"):
            out[f"{column}_mean"] = np.round(
                np.bincount(area_index, weights=ptal[column].to_numpy(), minlength=n_areas) / count,
                1,
            )
    if population is not None:
        index, pop_area, ai = pop_ai
        w = pop_w[index]
        ok = np.isfinite(w) & (w > 0)
        weight = np.bincount(pop_area[ok], weights=w[ok], minlength=n_areas)
        with np.errstate(divide="ignore", invalid="ignore"):
            weighted = np.bincount(pop_area[ok], weights=w[ok] * ai[ok], minlength=n_areas) / weight
        out["population"] = np.round(weight, 1)
        out["ai_mean_population"] = np.round(weighted, 3)
        out["band_of_population_mean"] = np.where(weight > 0, band(np.nan_to_num(weighted)), None)
    out["geometry"] = input_areas.geometries
    grid_xy_m = grid[["x", "y"]].to_numpy(dtype=float)
    if metric.reprojected:  # the outputs in the areas' own CRS
        back = metric.xy_out(grid_xy_m)
        grid["x"], grid["y"] = back[:, 0], back[:, 1]
    days = sorted({f["service_date"] for f in service.feeds})
    summary = TransitSummary(**{
        "feed": ", ".join(f["name"] for f in service.feeds),
        "service_date": ", ".join(days),
        "date_chosen": "given" if date else "busiest weekday of the feed",
        "feeds": service.feeds,
        "parameters": params.to_dict(),
        "grid_spacing_m": spacing,
        "grid_points": int(len(grid)),
        "access_points": int(len(saps)),
        "access_points_merged": int(merged),
        "routes": int(frequency["route_id"].nunique()) if len(frequency) else 0,
        "routes_by_mode": {
            m: int(n)
            for m, n in frequency.drop_duplicates("route_id").groupby("mode").size().items()
        }
        if len(frequency)
        else {},
        "routes_left_out": service.left_out,
        **metric.to_dict(),
        "departures_in_window": int(len(window)),
        "areas": int(n_areas),
        "walking": "street network"
        if streets is not None
        else f"straight line × {params.detour:g}",
        "population_weighted": population is not None,
        "partitions": len(parts),
        "partitioning": {**partitioning.to_dict(), "by": partitioned_by,
                         "tile_m": partitioning.tile if partitioned_by == "tile" else None,
                         "asked": partitioning.by},
        "engine": engine.name,
    })  # fmt: skip
    warnings = list(service.warnings)
    empty = out.loc[count == 0, "area_id"].tolist()
    if empty:
        warnings.append(
            Problem.of(
                areas.source,
                "areas smaller than the grid: no grid point falls in them",
                value=", ".join(map(str, empty[:10])),
                expected=f"a grid finer than {spacing:g} m",
            )  # fmt: skip
        )
    return TransitAccess(grid, out, summary, input_areas.crs, warnings, metric, grid_xy_m)


@dataclass
class _Service:
    """The feeds' service as PTAL reads it: ``departures`` of each feed's service day,
    ``stops``, ``saps`` and their ``frequency`` per route (ids prefixed by the feed's name
    when there are several), one summary dict per feed, the warnings, routes left out."""

    departures: pd.DataFrame
    stops: pd.DataFrame
    saps: pd.DataFrame
    frequency: pd.DataFrame
    feeds: list
    warnings: list
    left_out: dict


def _service(feeds: list[Feed], input_areas, date, params: PtalParameters) -> _Service:
    names = feed_names([f.source for f in feeds])
    several = len(feeds) > 1
    bounds = lonlat_bounds(input_areas)
    all_deps, all_stops, infos, warnings = [], [], [], []
    left_out: dict[str, int] = {}
    for name, feed in zip(names, feeds, strict=True):
        warnings += list(feed.warnings) + stops_near_areas(feed, bounds)
        day = date or typical_weekday(feed)  # each feed's own service day
        deps = departures(feed, day)
        if not len(deps):  # a date outside the feed would give PTAL 0 everywhere, silently
            start, end = validity(feed)
            raise InputError(
                Problem.of(feed.source, "no transit service on this day", value=day.isoformat(),
                           expected=Message("a service day of the feed ({start} to {end})",
                                            start=start, end=end))
            )  # fmt: skip
        warnings += window_problems(deps, params.window, day, feed.source)
        modes, mode_warnings, feed_left_out = route_modes(feed, params)
        warnings += list(mode_warnings)
        for key, value in feed_left_out.items():
            left_out[key] = left_out.get(key, 0) + value
        deps = deps.assign(mode=deps["route_id"].map(modes).to_numpy())
        stops = feed.stops
        if several:  # one feed's "1001" is not another's
            prefix = name + NAMESPACE
            deps = deps.assign(stop_id=prefix + deps["stop_id"].astype(str),
                               route_id=prefix + deps["route_id"].astype(str))  # fmt: skip
            parent = stops["parent_station"].astype(str)
            stops = stops.assign(
                stop_id=prefix + stops["stop_id"].astype(str),
                parent_station=np.where(parent.ne(""), prefix + parent, ""),
            )
        start, end = params.window
        in_window = (deps["departure"] >= start) & (deps["departure"] < end)
        infos.append({
            "name": name, "source": public_name(feed.source), "service_date": day.isoformat(),
            "date_chosen": "given" if date else "busiest weekday of the feed",
            "departures_in_window": int(in_window.sum()),
            "routes": int(deps.loc[in_window, "route_id"].nunique()),
        })  # fmt: skip
        all_deps.append(deps.assign(feed=name))
        all_stops.append(stops.assign(feed=name))
    deps = pd.concat(all_deps, ignore_index=True) if several else all_deps[0]
    stops = pd.concat(all_stops, ignore_index=True) if several else all_stops[0]
    saps, frequency = access_points(stops, deps, params)
    saps = saps.assign(feed=stops.set_index("stop_id")["feed"].reindex(saps["sap_id"]).to_numpy())
    return _Service(deps, stops, saps, frequency, infos, warnings, left_out)


#: Access points of different feeds closer than this (m) and sharing a mode are one access
#: point (one stop served by two operators), counted in the summary.
MERGE_DISTANCE = 5.0


def _merge_across_feeds(saps, frequency, saps_xy, n_feeds: int):
    """One SAP per stop and mode, as TfL counts them: access points of different feeds
    within :data:`MERGE_DISTANCE` metres of each other and sharing a mode are one (the
    first feed's), their routes kept apart; returns (saps, frequency, saps_xy, merged)."""
    if n_feeds < 2 or len(saps) < 2:
        return saps, frequency, saps_xy, 0
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    pairs = cKDTree(saps_xy).query_pairs(MERGE_DISTANCE, output_type="ndarray")
    if not len(pairs):
        return saps, frequency, saps_xy, 0
    feed = saps["feed"].to_numpy()
    modes = frequency.groupby("sap_id")["mode"].agg(frozenset)
    mode_of = modes.reindex(saps["sap_id"]).to_numpy()
    a, b = pairs[:, 0], pairs[:, 1]
    keep = (feed[a] != feed[b]) & np.array([bool(mode_of[i] & mode_of[j]) for i, j in pairs])
    a, b = a[keep], b[keep]
    if not len(a):
        return saps, frequency, saps_xy, 0
    n = len(saps)
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    first = pd.Series(np.arange(n)).groupby(label).transform("min").to_numpy()
    ids = saps["sap_id"].to_numpy()
    rename = dict(zip(ids[first != np.arange(n)], ids[first[first != np.arange(n)]], strict=True))
    frequency = frequency.assign(sap_id=frequency["sap_id"].replace(rename))
    # a route of one feed reaching two of its own stops merged: its best one stays
    frequency = frequency.groupby(["sap_id", "route_id", "mode"], as_index=False, sort=False)[
        "f"
    ].max()
    kept = first == np.arange(n)
    return saps[kept].reset_index(drop=True), frequency, saps_xy[kept], int((~kept).sum())


def route_modes(feed: Feed, params: PtalParameters):
    """(route_id → PTAL mode or None, warnings, routes left out by reason): the mode of
    each route by ``params.route_types`` then the default table; routes of an unknown
    route type are left out with a warning naming them (ids and count) and how to map
    them; routes of a type left out on purpose (air, taxi…, or mapped to "none") and of a
    mode without a catchment are counted in the summary."""
    routes = feed.routes
    types = routes["route_type"].to_numpy()
    modes = np.array([mode_of_route_type(t, params.route_types) for t in types], dtype=object)
    warnings = []
    unknown = modes == UNKNOWN
    for route_type in sorted(set(types[unknown].tolist())):
        ids = routes.loc[unknown & (types == route_type), "route_id"].astype(str).tolist()
        shown = ", ".join(ids[:10]) + (f", … ({len(ids)})" if len(ids) > 10 else "")
        warnings.append(
            Problem.of(
                f"{feed.source} [routes.txt]",
                Message(
                    "{n} route(s) of unknown route_type {route_type} left out of PTAL",
                    n=len(ids),
                    route_type=route_type,
                ),
                column="route_type",
                value=shown,
                expected=Message(
                    "a GTFS route type (0–7, 11, 12, extended 100–1799), or a mode "
                    "given to it: --route-type {route_type}=bus, or in the "
                    'configuration [transit] route_types = {{ "{route_type}" = "bus" }}',
                    route_type=route_type,
                ),
            )
        )
    without = np.array([m not in (None, UNKNOWN) and m not in params.catchment for m in modes])
    for mode in sorted(set(modes[without].tolist())):
        ids = routes.loc[without & (modes == mode), "route_id"].astype(str).tolist()
        warnings.append(
            Problem.of(
                f"{feed.source} [routes.txt]",
                Message(
                    "{n} route(s) of mode {mode} left out of PTAL: no catchment for this mode",
                    n=len(ids),
                    mode=mode,
                ),
                value=", ".join(ids[:10]) + (f", … ({len(ids)})" if len(ids) > 10 else ""),
                expected=Message(
                    "a catchment and a reliability for every mode: {modes}", modes=", ".join(MODES)
                ),
            )
        )
    left_out = {
        "unknown_route_type": int(unknown.sum()),
        "route_type_not_in_ptal": int(sum(m is None for m in modes)),
        "mode_without_catchment": int(
            sum(m not in (None, UNKNOWN) and m not in params.catchment for m in modes)
        ),
    }
    keep = np.array([m in params.catchment for m in modes], dtype=bool)
    return (
        pd.Series(np.where(keep, modes, None), index=routes["route_id"].to_numpy()),
        warnings,
        left_out,
    )
