"""Proximity to services (food shops, markets, repair and second-hand shops, schools,
parks…) per area: from a regular grid over each area, and from its centroid.

For each service layer and area: the mean distance from the area's grid points to the
nearest service, the distance from the area's centroid, the number of services within
``radius`` of the centroid, and the share of the area (its grid points) within each
distance of ``within``. Distances are straight lines × ``detour`` (1.0 by default).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from .. import geo
from ..areas.disclosure import check_min_cell
from ..areas.zones import as_areas
from ..display import Summary, html_summary, plot_map, to_geodataframe
from ..errors import InputError, Problem
from ..geo import read_frame
from ..grid import area_of_points, grid_points, in_metres
from ..i18n import Message, translate
from ..i18n import language as messages_language
from ..io import split_layer
from ..parameters import argument_error, check_areas
from ..privacy import check_not_respondents
from ..threshold import DEFAULT_MIN_CELL
from ..transit.access import population_points
from ..transit.params import DEFAULT_GRID_SPACING
from .params import (  # noqa: F401 - check_proximity_parameters: the public name here too
    DEFAULT_RADIUS,
    DEFAULT_WITHIN,
    ProximityParameters,
    check_people,
    check_proximity_parameters,
)
from .params import service_key as _key

#: What proximity and compare take as their services (its French in qet_geo.i18n).
SERVICES = ("a mapping service name → layer (PATH[:LAYER], a point layer or an n × 2 array "
            "of x/y), or a list of PATH[:LAYER] each named by its layer")  # fmt: skip


@dataclass(frozen=True)
class ProximitySummary(Summary):
    """The figures of proximity to services: the ``--json`` output of ``qet-geo
    proximity``."""

    #: service layer → its number of points; None for a layer of people (no total is
    #: published; default none)
    services: dict[str, int | None] = field(default_factory=dict)
    #: the grid's spacing, metres (default :data:`DEFAULT_GRID_SPACING`)
    grid_spacing_m: float = DEFAULT_GRID_SPACING
    #: the radius of the counts around each centroid, metres (default :data:`DEFAULT_RADIUS`)
    radius_m: float = DEFAULT_RADIUS
    #: the distances of the shares within, metres (default :data:`DEFAULT_WITHIN`)
    within_m: list[float] = field(default_factory=lambda: list(DEFAULT_WITHIN))
    #: the straight-line distances' factor (default 1.0)
    detour: float = 1.0
    #: the areas' CRS (default "")
    input_crs: str = ""
    #: the CRS in metres distances were measured in (default "")
    distance_crs: str = ""
    #: why it is not the areas' own: None when it is (default)
    reprojected_because: str | None = None


@dataclass
class Proximity:
    areas: pd.DataFrame  # one row per area, with geometry
    summary: ProximitySummary
    crs: str
    warnings: list = field(default_factory=list)
    metric: object = None  # where distances were measured (qet_geo.geo.MetricCrs)

    def __post_init__(self):
        self.summary = ProximitySummary.of(self.summary)

    def to_geodataframe(self):
        """The indicators per area as a GeoDataFrame in :attr:`crs`."""
        return to_geodataframe(self.areas, self.crs)

    def plot(self, column: str | None = None, *, ax=None, **kwargs):
        """Map one indicator (default: the mean distance to the first service) with
        matplotlib; returns the axes."""
        if column is None:
            column = next((c for c in self.areas.columns if c.startswith("dist_")), None)
        return plot_map(self.to_geodataframe(), column, ax=ax, **kwargs)

    def lines(self, language: str | None = None) -> list[str]:
        """What the command line prints and the Processing log shows: the service layers
        and the areas; where distances were measured. In ``language`` (default: the
        language of messages)."""
        lang = language or messages_language()
        lines = [translate(lang, "Proximity to {n} service layer(s) in {areas} areas",
                           n=len(self.summary.services), areas=len(self.areas))]  # fmt: skip
        if self.metric is not None:
            lines.append(self.metric.describe(lang))
        return lines

    def _repr_html_(self) -> str:
        services = self.summary.services
        return html_summary("Proximity to services", [
            ("areas", len(self.areas)), ("CRS", self.crs),
            ("services", ", ".join(f"{n} ({c if c is not None else 'people'})" for n, c in services.items())),
            ("grid", f"{self.summary.grid_spacing_m:g} m"),
            ("warnings", len(self.warnings) or None)])  # fmt: skip


def service_points(frame: pd.DataFrame, name: str, target_crs: str) -> np.ndarray:
    """x/y (in ``target_crs``) of a service layer's points (a GeoDataFrame or a DataFrame
    with shapely points and ``attrs["crs"]``, :func:`qet_geo.geo.crs_of`); polygons count
    by their centroid."""
    crs = geo.crs_of(frame, name, reason="the service layer has no coordinate reference system")
    if crs is None:
        raise InputError(Problem.of(name, "the service layer has no coordinate reference system"))
    geometry = np.asarray(frame["geometry"].to_numpy(), dtype=object)
    geometry = geometry[~pd.isna(geometry)]
    if len(geometry):
        geometry = geometry[~shapely.is_empty(geometry)]
    points = shapely.centroid(geometry) if len(geometry) else geometry
    x = shapely.get_x(points) if len(points) else np.zeros(0)
    y = shapely.get_y(points) if len(points) else np.zeros(0)
    if len(x) and not geo.backend().same_crs(crs, target_crs):
        x, y = geo.backend().transform(crs, target_crs, x, y)
    return (
        np.column_stack([np.asarray(x, float), np.asarray(y, float)])
        if len(x)
        else np.zeros((0, 2))
    )


def read_services(
    specs: dict[str, str], target_crs: str, respondents=None
) -> dict[str, np.ndarray]:
    """name → x/y in ``target_crs`` of each service layer given as "PATH[:LAYER]" (read by
    the geo backend: QGIS inside QGIS). A layer of respondents, or derived from them (on
    their homes, when ``respondents`` are given), is refused
    (:func:`qet_geo.privacy.check_not_respondents`)."""
    out = {}
    for name, spec in specs.items():
        path, layer = split_layer(spec)
        label = f"{path}{' [' + layer + ']' if layer else ''}"
        frame = read_frame(path, layer)
        check_not_respondents(
            frame, "service", path=path, layer=layer, name=label, respondents=respondents
        )
        out[name] = service_points(frame, label, target_crs)
    return out


def named_services(services, function: str = "proximity") -> dict:
    """``services`` as name → layer: a mapping as it is; a list of "PATH[:LAYER]" (or one)
    each named by its layer, else by its file's name (``"quartier.gpkg:marches"`` →
    ``marches``). Anything else, or two layers of one name, is an
    :class:`~qet_geo.parameters.ArgumentError` asking for a mapping name → layer."""
    if isinstance(services, Mapping):
        return services
    if isinstance(services, (str, os.PathLike)):
        services = [services]
    if not isinstance(services, (list, tuple)) or not all(
        isinstance(spec, (str, os.PathLike)) for spec in services
    ):
        tables = isinstance(services, (list, tuple)) and any(
            hasattr(s, "columns") for s in services
        )
        raise argument_error(function, "services", services, SERVICES,
                             "a layer given as a table has no name: give a mapping, e.g. dict(marches=table)" if tables else None)  # fmt: skip
    named = {}
    for spec in map(os.fspath, services):
        path, layer = split_layer(spec)
        name = layer or Path(path).stem
        if name in named:
            raise argument_error(function, "services", spec, SERVICES,
                                 Message("two layers named {name!r}", name=name))  # fmt: skip
        named[name] = spec
    return named


def services_xy(services: dict, target_crs: str, respondents=None) -> dict[str, np.ndarray]:
    """name → x/y (in ``target_crs``) of service layers given as an x/y array already in
    ``target_crs``, a point layer (a GeoDataFrame, or a DataFrame with shapely points and
    ``attrs["crs"]``; polygons count by their centroid) or "PATH[:LAYER]" of a file
    (:func:`read_services`). A layer of respondents, or on their homes when
    ``respondents`` are given, is refused."""
    out = {}
    for name, value in named_services(services).items():
        if isinstance(value, (str, os.PathLike)):
            out.update(read_services({name: os.fspath(value)}, target_crs, respondents))
        elif isinstance(value, pd.DataFrame):
            check_not_respondents(value, "service", name=str(name), respondents=respondents)
            out[name] = service_points(value, str(name), target_crs)
        else:
            xy = np.asarray(value, dtype=float)
            if xy.size == 0:
                xy = np.zeros((0, 2))
            if xy.ndim != 2 or xy.shape[1] != 2:
                raise InputError(
                    Problem.of(str(name), "not a service layer", value=f"an array of shape {xy.shape}",
                               expected="PATH[:LAYER], a point layer, or an n × 2 array of x/y")
                )  # fmt: skip
            out[name] = xy
    return out


def proximity(
    areas,
    services: dict,
    *,
    spacing: float = DEFAULT_GRID_SPACING,
    radius: float = DEFAULT_RADIUS,
    within: tuple = DEFAULT_WITHIN,
    detour: float = 1.0,
    population=None,
    people=(),
    min_cell: int = DEFAULT_MIN_CELL,
    params: ProximityParameters | None = None,
    allow_below_3: bool = False,
) -> Proximity:
    """Indicators per area for each service layer.

    Parameters
    ----------
    areas : Areas, GeoDataFrame or DataFrame
        The areas (:func:`qet_geo.read_areas`), or a frame of polygons with its CRS
        (:func:`qet_geo.areas.as_areas`).
    services : dict
        Service name → its points: "PATH[:LAYER]" of a file (e.g.
        ``"quartier.gpkg:marches"``), a point layer (GeoDataFrame, or DataFrame with
        ``attrs["crs"]``), or an n × 2 array of x/y in the areas' CRS.
    spacing, radius : float
        The grid's spacing and the radius around each centroid, in metres.
    within : tuple of float
        Distances (metres) of the shares of each area within reach.
    detour : float
        Walking distance over straight-line distance.
    population : tuple, DataFrame or GeoDataFrame, optional
        Population points: (x/y array in the areas' CRS, weights), or a layer of points
        or squares with a ``population`` field (:func:`qet_geo.transit.access.population_points`).
    people : sequence of str
        The service layers whose points are people.
    min_cell : int
        The disclosure threshold of counts of people (under 3 only with ``allow_below_3``).
    params : ProximityParameters, optional
        ``spacing``, ``radius``, ``within``, ``detour`` and ``people`` together
        (:meth:`ProximityParameters.of`), taking their place.
    allow_below_3 : bool
        The explicit override a threshold under 3 needs (as for the area map).

    Returns
    -------
    Proximity
        ``areas``: one row per area (distances, counts, shares, geometry), ``summary``,
        ``crs``, ``warnings``.

    Raises
    ------
    InputError
        A service layer that cannot be read or has no CRS.
    ParameterError
        A bad ``spacing``, ``radius``, ``within`` or ``detour``.

    Notes
    -----
    ``population``: each area's centroid is then its population-weighted centroid
    (``centroid`` says which).
    ``people``: the names of layers whose points are people (homes, households): their
    counts go through disclosure control like any count of people (under ``min_cell``
    suppressed; no layer total; no distance from a centroid to the nearest one, which
    points at one home).

    Distances are metres whatever the areas' CRS: degrees or feet are measured in the UTM
    zone of the areas (:func:`qet_geo.grid.in_metres`; ``distance_crs`` in the
    summary); ``spacing``, ``radius``, ``within`` and ``detour`` are checked
    (:func:`check_proximity_parameters`).

    References
    ----------
    [INSEE-secret], [Hundepool-2012]: the disclosure control of counts of people. The
    page is ``docs/transit.md``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> areas = qg.read_areas("sample_data/quartier.gpkg", layer="iris")
    >>> result = qg.proximity(areas, {"marches": "sample_data/quartier.gpkg:marches"})
    >>> "dist_marches_mean" in result.areas
    True
    """
    if params is not None:
        spacing, radius, within = params.grid, params.radius, params.within
        detour, people = params.detour, params.people
    check_areas(areas, "proximity", containers=True)
    services = named_services(services)
    check_min_cell(min_cell, allow_below_3)
    check_proximity_parameters(spacing=spacing, radius=radius, within=within, detour=detour)
    check_people(people, services)
    people = set(people)
    from scipy.spatial import cKDTree

    areas = as_areas(areas)
    services = services_xy(services, areas.crs)
    if population is not None:
        population = population_points(population, areas.crs)
    input_areas = areas
    areas, metric = in_metres(areas)
    services = {name: metric.xy_in(xy) for name, xy in services.items()}
    gx, gy, area_index = grid_points(areas, spacing)
    grid_xy = np.column_stack([gx, gy])
    n_areas = len(areas.frame)
    count = np.bincount(area_index, minlength=n_areas)
    centroids = shapely.centroid(areas.geometries)
    cxy = np.column_stack([shapely.get_x(centroids), shapely.get_y(centroids)])
    kind = np.full(n_areas, "geometric", dtype=object)
    if population is not None:
        pop_xy = metric.xy_in(np.asarray(population[0], dtype=float).reshape(-1, 2))
        pop_w = np.asarray(population[1], dtype=float)
        where = area_of_points(areas, pop_xy)
        ok = (where >= 0) & np.isfinite(pop_w) & (pop_w > 0)
        weight = np.bincount(where[ok], weights=pop_w[ok], minlength=n_areas)
        for axis in (0, 1):
            total = np.bincount(where[ok], weights=pop_w[ok] * pop_xy[ok, axis], minlength=n_areas)
            with np.errstate(divide="ignore", invalid="ignore"):
                cxy[:, axis] = np.where(weight > 0, total / weight, cxy[:, axis])
        kind[weight > 0] = "population-weighted"
    out = pd.DataFrame(
        {
            "area_id": areas.frame["area_id"].to_numpy(),
            "area_name": areas.frame["area_name"].to_numpy(),
            "grid_points": count,
            "centroid": kind,
        }
    )
    summary = {"services": {}, "grid_spacing_m": spacing, "radius_m": radius, "within_m": list(within),
               "detour": detour, **metric.to_dict()}  # fmt: skip
    for name, xy in services.items():
        key = _key(name)
        summary["services"][name] = None if name in people else int(len(xy))
        if len(xy) == 0:
            out[f"dist_{key}_mean"] = np.nan
            out[f"dist_{key}_centroid"] = np.nan
            out[f"count_{key}_{int(radius)}m"] = None if name in people else 0
            for d in within:
                out[f"share_{key}_{int(d)}m"] = np.where(count > 0, 0.0, np.nan)
            continue
        tree = cKDTree(xy)
        grid_distance = tree.query(grid_xy, k=1)[0] * detour if len(grid_xy) else np.zeros(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"dist_{key}_mean"] = np.round(
                np.bincount(area_index, weights=grid_distance, minlength=n_areas) / count, 1
            )
            out[f"dist_{key}_centroid"] = np.round(tree.query(cxy, k=1)[0] * detour, 1)
            near = np.array([len(p) for p in tree.query_ball_point(cxy, r=radius / detour)])
            if name in people:
                # counts of people: the disclosure threshold (the discs overlap and no
                # total is published, so there is no margin to subtract from)
                out[f"count_{key}_{int(radius)}m"] = pd.array(
                    [None if c < min_cell else int(c) for c in near], dtype="Int64"
                )
                out[f"dist_{key}_centroid"] = np.nan
            else:
                out[f"count_{key}_{int(radius)}m"] = near
            for d in within:
                inside = (grid_distance <= d).astype(float)
                out[f"share_{key}_{int(d)}m"] = np.round(
                    np.bincount(area_index, weights=inside, minlength=n_areas) / count, 4
                )
    out["geometry"] = input_areas.geometries
    warnings = []
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
    return Proximity(out, ProximitySummary(**summary), input_areas.crs, warnings, metric)
