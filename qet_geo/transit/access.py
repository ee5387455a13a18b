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
from ..errors import InputError, Problem
from ..grid import area_of_points, grid_points, in_metres, lonlat_bounds
from ..i18n import Message, translate
from ..i18n import language as messages_language
from ..io import public_name
from ..parameters import FEED, check_areas, check_argument
from .gtfs import (
    MODES,
    UNKNOWN,
    Feed,
    departures,
    mode_of_route_type,
    parse_date,
    read_gtfs,
    stops_near_areas,
    typical_weekday,
    validity,
    window_problems,
)
from .network import StreetNetwork
from .params import DEFAULT_GRID_SPACING, DEFAULT_POPULATION_FIELD, TransitParameters
from .ptal import BAND_NAMES, PtalParameters, access_points, band, ptal_at, stop_indicators


@dataclass(frozen=True)
class TransitSummary(Summary):
    """The figures of transit access: the ``--json`` output of ``qet-geo transit ptal``;
    the ``ptal_summary`` layer of ``ptal.gpkg`` holds some of them
    (:func:`~qet_geo.transit.output.summary_table`), which :meth:`from_table` reads back
    (``key="key"``), the others taking the defaults below."""

    #: the feed's name (no folder; default None)
    feed: str | None = None
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
) -> TransitAccess:
    """PTAL and simpler indicators on a grid of ``spacing`` metres over ``areas``.

    Parameters
    ----------
    feed : Feed, str or pathlib.Path
        The GTFS feed (:func:`qet_geo.read_gtfs`), or its zip or folder.
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
    if isinstance(feed, (str, os.PathLike)):  # a zip or a folder
        feed = read_gtfs(feed)
    check_argument(feed, Feed, "transit_access", "feed", FEED, hint)
    check_areas(areas, "transit_access")
    params = (params or PtalParameters()).check()
    if population is not None:
        population = population_points(population, areas.crs)
    input_areas = areas
    areas, metric = in_metres(areas)
    feed_warnings = list(feed.warnings) + stops_near_areas(feed, lonlat_bounds(input_areas))
    day = date or typical_weekday(feed)
    deps = departures(feed, day)
    if not len(deps):  # a date outside the feed would give PTAL 0 everywhere, silently
        start, end = validity(feed)
        raise InputError(
            Problem.of(feed.source, "no transit service on this day", value=day.isoformat(),
                       expected=Message("a service day of the feed ({start} to {end})",
                                        start=start, end=end))
        )  # fmt: skip
    feed_warnings += window_problems(deps, params.window, day, feed.source)
    modes, mode_warnings, left_out = route_modes(feed, params)
    deps = deps.assign(mode=deps["route_id"].map(modes).to_numpy())
    saps, frequency = access_points(feed.stops, deps, params)
    backend = geo.backend()
    sx, sy = backend.transform(
        "EPSG:4326", metric.crs, saps["stop_lon"].to_numpy(), saps["stop_lat"].to_numpy()
    )
    saps_xy = np.column_stack([sx, sy]) if len(saps) else np.zeros((0, 2))
    network = None
    if streets is not None:
        network = StreetNetwork.from_lines(metric.geometries_in(streets))
    gx, gy, area_index = grid_points(areas, spacing)
    points_xy = np.column_stack([gx, gy])
    ptal = ptal_at(points_xy, saps_xy, saps, frequency, params, network=network)
    # simpler indicators: every boarding stop (not only PTAL modes), departures per hour
    start, end = params.window
    window = deps[(deps["departure"] >= start) & (deps["departure"] < end)]
    per_stop = window.groupby("stop_id").size() / params.window_hours
    stops = feed.stops[feed.stops["stop_id"].isin(deps["stop_id"].unique())]
    tx, ty = backend.transform(
        "EPSG:4326", metric.crs, stops["stop_lon"].to_numpy(), stops["stop_lat"].to_numpy()
    )
    simple = stop_indicators(
        points_xy,
        np.column_stack([tx, ty]) if len(stops) else np.zeros((0, 2)),
        per_stop.reindex(stops["stop_id"]).fillna(0.0).to_numpy(),
    )
    ids = areas.frame["area_id"].to_numpy()
    grid = pd.concat(
        [pd.DataFrame({"x": gx, "y": gy, "area_id": ids[area_index]}), ptal, simple], axis=1
    )
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
                np.bincount(area_index, weights=simple[column].to_numpy(), minlength=n_areas)
                / count,
                1,
            )
    if population is not None:
        pop_xy, pop_w = population
        pop_xy = metric.xy_in(np.asarray(pop_xy, dtype=float).reshape(-1, 2))
        pop_w = np.asarray(pop_w, dtype=float)
        pop_area = area_of_points(areas, pop_xy)
        ok = (pop_area >= 0) & np.isfinite(pop_w) & (pop_w > 0)
        pop_ai = ptal_at(pop_xy[ok], saps_xy, saps, frequency, params, network=network)[
            "ai"
        ].to_numpy()
        weight = np.bincount(pop_area[ok], weights=pop_w[ok], minlength=n_areas)
        with np.errstate(divide="ignore", invalid="ignore"):
            weighted = (
                np.bincount(pop_area[ok], weights=pop_w[ok] * pop_ai, minlength=n_areas) / weight
            )
        out["population"] = np.round(weight, 1)
        out["ai_mean_population"] = np.round(weighted, 3)
        out["band_of_population_mean"] = np.where(weight > 0, band(np.nan_to_num(weighted)), None)
    out["geometry"] = input_areas.geometries
    grid_xy_m = grid[["x", "y"]].to_numpy(dtype=float)
    if metric.reprojected:  # the outputs in the areas' own CRS
        back = metric.xy_out(grid_xy_m)
        grid["x"], grid["y"] = back[:, 0], back[:, 1]
    summary = TransitSummary(**{
        "feed": public_name(feed.source),
        "service_date": day.isoformat(),
        "date_chosen": "given" if date else "busiest weekday of the feed",
        "parameters": params.to_dict(),
        "grid_spacing_m": spacing,
        "grid_points": int(len(grid)),
        "access_points": int(len(saps)),
        "routes": int(frequency["route_id"].nunique()) if len(frequency) else 0,
        "routes_by_mode": {
            m: int(n)
            for m, n in frequency.drop_duplicates("route_id").groupby("mode").size().items()
        }
        if len(frequency)
        else {},
        "routes_left_out": left_out,
        **metric.to_dict(),
        "departures_in_window": int(len(window)),
        "areas": int(n_areas),
        "walking": "street network"
        if network is not None
        else f"straight line × {params.detour:g}",
        "population_weighted": population is not None,
    })  # fmt: skip
    warnings = feed_warnings + list(mode_warnings)
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
