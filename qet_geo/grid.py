"""The grid behind transit access and proximity: areas measured in metres, a regular grid
of points over them, the area each point falls in, and the accepted range of every
distance parameter measured on it (PTAL's and proximity's).

Every distance of PTAL and proximity (grid, catchments, radii, walks) is in metres:
:func:`in_metres` gives the areas in a CRS in metres (:func:`qet_geo.geo.metric_crs`), then
:func:`grid_points` lays the grid and :func:`area_of_points` places other points (population
squares) in the areas, the first id on shared boundaries, as for respondents.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import geo, limits
from .errors import ParameterError
from .i18n import tr
from .limits import MIN_GRID_SPACING_M

#: parameter kind → (low, high, low included, unit, what): the accepted range of every
#: PTAL and proximity parameter, for the command line, the configuration and Processing
RANGES = {
    "walk_speed": (0.0, 1000.0, False, "m/min", "a walking speed"),
    "detour": (1.0, 10.0, True, "", "a detour factor (walk / straight line)"),
    "other_weight": (0.0, 1.0, True, "", "a weight"),
    "catchment": (0.0, 10_000.0, False, "m", "a distance"),
    "reliability": (0.0, 60.0, True, "min", "a time"),
    "radius": (0.0, 100_000.0, False, "m", "a distance"),
    "distance": (0.0, 100_000.0, False, "m", "a distance"),
    "grid": (None, 10_000.0, True, "m", "a grid spacing"),  # low: limits.MIN_GRID_SPACING_M
}


def expected_range(kind: str) -> str:
    """What a value of parameter kind ``kind`` must be, in words (English; translated)."""
    low, high, included, unit, _ = RANGES[kind]
    low = MIN_GRID_SPACING_M if low is None else low
    unit = f" {unit}" if unit else ""
    if included:
        return tr("a number from {low:g} up to {high:g}{unit}", low=low, high=high, unit=unit)
    return tr("a number above {low:g} and up to {high:g}{unit}", low=low, high=high, unit=unit)


def parameter_problem(kind: str, value) -> str | None:
    """None when ``value`` is a valid parameter of kind ``kind`` (:data:`RANGES`), else
    what was expected (the one check behind :func:`check_parameter` and the
    configuration's)."""
    low, high, included, _, _ = RANGES[kind]
    low = MIN_GRID_SPACING_M if low is None else low
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    ok = ok and math.isfinite(value) and value <= high
    ok = ok and (value >= low if included else value > low)
    return None if ok else expected_range(kind)


def check_parameter(kind: str, value, name: str) -> float:
    """``value`` as a float, or a ParameterError naming the parameter ``name`` (the
    option, key or field the user wrote), the value and the range expected."""
    expected = parameter_problem(kind, value)
    if expected is not None:
        raise ParameterError(
            tr("{name} {value}: expected {expected}", name=name, value=value, expected=expected)
        )
    return float(value)


def in_metres(areas):
    """(the areas in a CRS in metres, its :class:`~qet_geo.geo.MetricCrs`): the areas as
    they are when their CRS is in metres, else reprojected to the UTM zone of their centre
    (geographic CRS, US feet, any other unit) — every distance of PTAL and proximity
    (grid, catchments, radii, walks) is then in metres."""
    metric = geo.metric_crs(areas.crs, areas.geometries)
    if not metric.reprojected:
        return areas, metric
    frame = areas.frame.copy()
    frame["geometry"] = list(metric.geometries_in(areas.geometries))
    return dataclasses.replace(areas, frame=frame, crs=metric.crs), metric


def lonlat_bounds(areas) -> tuple[float, float, float, float]:
    """The areas' extent in longitude/latitude (their bounds' edges reprojected)."""
    import shapely  # not at QGIS start (PtalParameters' checks import this module)

    x0, y0, x1, y1 = shapely.total_bounds(areas.geometries)
    t = np.linspace(0.0, 1.0, 9)
    xs = np.concatenate([x0 + (x1 - x0) * t, np.full(9, x1), x0 + (x1 - x0) * t, np.full(9, x0)])
    ys = np.concatenate([np.full(9, y0), y0 + (y1 - y0) * t, np.full(9, y1), y0 + (y1 - y0) * t])
    lon, lat = geo.backend().transform(areas.crs, "EPSG:4326", xs, ys)
    return (
        float(np.nanmin(lon)),
        float(np.nanmin(lat)),
        float(np.nanmax(lon)),
        float(np.nanmax(lat)),
    )


#: Candidate grid points tested against the areas at once (rows of the grid's extent): the
#: memory of a grid over a region stays bounded by this, not by the region.
GRID_BLOCK = 250_000


def grid_points(areas, spacing: float, *, within=None, require: bool = True):
    """Centres of a regular grid of ``spacing`` metres over the areas, with the area each
    falls in (the first id on shared boundaries, as for respondents). The grid is anchored
    at multiples of ``spacing``, so that the grid of a part of the areas is the same points
    as the whole's there. ``within`` (a mask over the areas): only the points falling in
    those areas (first id among all of them), over their extent. ``require``: a grid
    with no point in the areas is an error."""
    import shapely  # not at QGIS start (PtalParameters' checks import this module)

    geometries = areas.geometries
    mask = None if within is None else np.asarray(within, dtype=bool)
    bounds = shapely.total_bounds(geometries if mask is None else geometries[mask])
    check_parameter("grid", spacing, tr("grid spacing"))
    if not np.all(np.isfinite(bounds)):  # no area (or none of ``within``)
        limits.check_grid_spacing(spacing)
        empty = np.zeros(0)
        return empty, empty.copy(), np.zeros(0, dtype=np.int64)
    limits.check_grid(spacing, bounds)
    # the centres (k + ½) × spacing of whole numbers k: the same values to the bit whatever
    # the extent the grid is made over (a partition's or the whole's)
    xs = _centres(bounds[0], bounds[2], spacing)
    ys = _centres(bounds[1], bounds[3], spacing)
    rows = max(1, GRID_BLOCK // max(len(xs), 1))
    parts_x, parts_y, parts_a = [], [], []
    for start in range(0, len(ys), rows):
        gx, gy = np.meshgrid(xs, ys[start : start + rows])
        gx, gy = gx.ravel(), gy.ravel()
        area = area_of_points(areas, np.column_stack([gx, gy]))
        inside = area >= 0
        if mask is not None:
            inside[inside] = mask[area[inside]]
        parts_x.append(gx[inside])
        parts_y.append(gy[inside])
        parts_a.append(area[inside])
    gx = np.concatenate(parts_x) if parts_x else np.zeros(0)
    gy = np.concatenate(parts_y) if parts_y else np.zeros(0)
    area = np.concatenate(parts_a) if parts_a else np.zeros(0, dtype=np.int64)
    if require and len(areas.frame) and not len(gx):
        raise ParameterError(
            tr(
                "a grid of {spacing:g} m puts no point inside the areas "
                "({width:.2f} km × {height:.2f} km): choose a finer spacing",
                spacing=spacing,
                width=(bounds[2] - bounds[0]) / 1000,
                height=(bounds[3] - bounds[1]) / 1000,
            )  # fmt: skip
        )
    return gx, gy, area


def _centres(low: float, high: float, spacing: float) -> np.ndarray:
    """(k + ½) × spacing for the whole numbers k from floor(low / spacing), below ``high``."""
    first = np.floor(low / spacing)
    k = first + np.arange(max(int(np.ceil((high - first * spacing) / spacing)) + 1, 0))
    centres = (k + 0.5) * spacing
    return centres[centres < high]


def area_of_points(areas, xy: np.ndarray) -> np.ndarray:
    """Area position of each point (-1 outside), the first id on shared boundaries."""
    import shapely  # not at QGIS start (PtalParameters' checks import this module)

    points = shapely.points(xy[:, 0], xy[:, 1]) if len(xy) else np.zeros(0, dtype=object)
    point_of, area_of = geo.backend().point_pairs(areas.geometries, points)
    ids = areas.frame["area_id"].to_numpy().astype(str)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[np.argsort(ids, kind="stable")] = np.arange(len(ids))
    best = np.full(len(xy), np.iinfo(np.int64).max)
    np.minimum.at(best, point_of, rank[area_of])
    by_rank = np.argsort(rank)
    return np.where(best < len(ids), by_rank[np.minimum(best, len(ids) - 1)], -1)
