"""PTAL over a region or a country in partitions: the areas split by département (from the
IRIS or commune code) or in square tiles, each partition's grid computed by the same
functions as a single run, against the access points within a halo of the largest
catchment; the grid points stitched back in the single run's order, so that a partitioned
run gives the single run's figures cell for cell. Memory is bounded by the largest
partition (and, inside one, by chunks of grid points), not by the country."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import limits
from ..errors import InputError, ParameterError, Problem
from ..grid import area_of_points, grid_points
from ..i18n import tr
from .network import StreetNetwork
from .params import DEFAULT_TILE, PARTITIONS, Partitioning  # noqa: F401 - the module's API
from .ptal import PtalParameters, ptal_at, stop_indicators

#: The radii of the simpler indicators (departures within 400 m and 800 m).
RADII = (400.0, 800.0)
_DEPARTEMENT = re.compile(r"(97\d|2[AB]|\d{2})")


def departement(code) -> str | None:
    """The département of an INSEE IRIS (9 characters) or commune (5) code: "75" for
    "751010101", "2A" for Corsica, "971" overseas; None for another code."""
    text = str(code).strip()
    if len(text) not in (5, 9):
        return None
    match = _DEPARTEMENT.match(text)
    return match.group(1) if match and (text[:2] != "97" or len(match.group(1)) == 3) else None


def split(areas_m, partitioning: Partitioning, source: str = "areas") -> tuple[list, str]:
    """(the positions of the areas (in a CRS in metres) of each partition, partitions in a
    stable order — département codes, or tiles south to north, west to east —, how they
    were made: "none", "departement" or "tile", "auto" resolved); empty partitions are
    left out."""
    import shapely

    n = len(areas_m.frame)
    if partitioning.by == "none" or n == 0:
        return [np.arange(n)], "none"
    by = partitioning.by
    if by in ("departement", "auto"):
        ids = areas_m.frame["area_id"].astype(str).to_numpy()
        keys = np.array([departement(i) for i in ids], dtype=object)
        bad = np.flatnonzero(pd.isna(keys))
        if len(bad) and by == "auto":
            by = "tile"
        elif len(bad):
            raise InputError(
                Problem.of(source, "an area id that is not an INSEE IRIS or commune code: "
                           "no département to partition by", row=int(bad[0]) + 1,
                           column=getattr(areas_m, "id_field", None) or "area_id",
                           value=ids[bad[0]],
                           expected=tr("9-character IRIS or 5-character commune codes "
                                       "(751010101, 2A0040000), or partitions by tile"))
            )  # fmt: skip
    if by == "tile":
        points = shapely.point_on_surface(areas_m.geometries)
        x, y = shapely.get_x(points), shapely.get_y(points)
        keys = np.array(
            [f"{int(j):+06d}{int(i):+06d}"
             for i, j in zip(np.floor(x / partitioning.tile), np.floor(y / partitioning.tile), strict=True)],
            dtype=object,
        )  # fmt: skip
    order = pd.Index(sorted(set(keys.tolist())))
    codes = order.get_indexer(keys)
    return [np.flatnonzero(codes == k) for k in range(len(order))], by


@dataclass
class _AreaSet:
    """What :func:`qet_geo.grid.grid_points` reads of areas: ``frame`` (area_id, geometry)."""

    frame: pd.DataFrame

    @property
    def geometries(self) -> np.ndarray:
        return self.frame["geometry"].to_numpy()


@dataclass
class PtalTask:
    """One partition: its areas (``members``, positions in the whole), the areas around
    them that may hold a boundary grid point first (``context``: positions, ids,
    geometries in metres), the access points and stops within the halo, the parameters."""

    index: int
    members: np.ndarray
    context: np.ndarray
    context_ids: np.ndarray
    context_geometries: np.ndarray
    spacing: float
    params: PtalParameters
    saps_xy: np.ndarray
    saps: pd.DataFrame
    frequency: pd.DataFrame
    stops_xy: np.ndarray
    stop_weights: np.ndarray
    streets: np.ndarray | None = None
    population_xy: np.ndarray | None = None
    population_index: np.ndarray | None = None


def tasks(areas_m, parts, *, spacing, params, saps_xy, saps, frequency, stops_xy,
          stop_weights, streets=None, population_xy=None) -> list[PtalTask]:  # fmt: skip
    """The tasks of ``parts`` (:func:`split`): each with the access points, stops, streets
    and population points within the halo (the largest catchment, the largest radius of
    the simpler indicators and a grid step) of its areas."""
    import shapely

    geometries = np.asarray(areas_m.geometries, dtype=object)
    ids = areas_m.frame["area_id"].astype(str).to_numpy()
    bounds = shapely.bounds(geometries)
    halo = max(max(params.catchment.values(), default=0.0), *RADII) + spacing
    out = []
    single = len(parts) == 1
    for k, members in enumerate(parts):
        x0, y0 = bounds[members, 0].min(), bounds[members, 1].min()
        x1, y1 = bounds[members, 2].max(), bounds[members, 3].max()
        if single:
            context = np.arange(len(geometries))
        else:  # the areas touching the partition's extent: a shared boundary's first id
            pad = spacing
            context = np.flatnonzero(
                (bounds[:, 0] <= x1 + pad) & (bounds[:, 2] >= x0 - pad)
                & (bounds[:, 1] <= y1 + pad) & (bounds[:, 3] >= y0 - pad)
            )  # fmt: skip

        def near(xy, x0=x0, y0=y0, x1=x1, y1=y1):
            if single or len(xy) == 0:
                return np.ones(len(xy), dtype=bool)
            return ((xy[:, 0] >= x0 - halo) & (xy[:, 0] <= x1 + halo)
                    & (xy[:, 1] >= y0 - halo) & (xy[:, 1] <= y1 + halo))  # fmt: skip

        keep = near(saps_xy)
        sap_ids = saps["sap_id"].to_numpy()[keep]
        part_streets = None
        if streets is not None:
            if single:
                part_streets = streets
            else:
                box = shapely.box(x0 - halo, y0 - halo, x1 + halo, y1 + halo)
                part_streets = streets[shapely.intersects(streets, box)]
        pop_index = pop_xy = None
        if population_xy is not None:
            pop_index = np.flatnonzero(near(population_xy))
            pop_xy = population_xy[pop_index]
        out.append(
            PtalTask(
                index=k, members=members, context=context, context_ids=ids[context],
                context_geometries=geometries[context], spacing=spacing, params=params,
                saps_xy=saps_xy[keep], saps=saps[keep].reset_index(drop=True),
                frequency=frequency[frequency["sap_id"].isin(sap_ids)].reset_index(drop=True),
                stops_xy=stops_xy, stop_weights=stop_weights, streets=part_streets,
                population_xy=pop_xy, population_index=pop_index,
            )
        )  # fmt: skip
    return out


def run_task(task: PtalTask) -> dict:
    """The grid points of one partition (x, y in metres, the area's position in the whole,
    PTAL and the simpler indicators) and its population points' AI: a top-level function,
    so that a Dask worker can import it."""
    zones = _AreaSet(pd.DataFrame({"area_id": task.context_ids,
                                   "geometry": task.context_geometries}))  # fmt: skip
    member = np.isin(task.context, task.members)  # the partition's own areas among them
    gx, gy, local = grid_points(zones, task.spacing, within=member, require=False)
    area = task.context[local]
    points_xy = np.column_stack([gx, gy])
    network = None
    saps_xy, saps, frequency = task.saps_xy, task.saps, task.frequency
    if task.streets is not None and len(task.streets):
        network = StreetNetwork.from_lines(task.streets)
    elif task.streets is not None:  # streets given, none within the halo: nothing in reach
        saps_xy, saps, frequency = saps_xy[:0], saps[:0], frequency[:0]
    ptal = ptal_at(points_xy, saps_xy, saps, frequency, task.params, network=network)
    simple = stop_indicators(points_xy, task.stops_xy, task.stop_weights, RADII)
    grid = pd.concat([pd.DataFrame({"x": gx, "y": gy, "area": area}), ptal, simple], axis=1)
    out = {"index": task.index, "grid": grid}
    if task.population_xy is not None:
        local_pop = area_of_points(zones, task.population_xy)
        ok = local_pop >= 0
        ok[ok] = member[local_pop[ok]]
        ai = ptal_at(task.population_xy[ok], saps_xy, saps, frequency, task.params,
                     network=network)["ai"].to_numpy()  # fmt: skip
        out["population"] = (task.population_index[ok], task.context[local_pop[ok]], ai)
    return out


def stitch(results: list[dict]) -> tuple[pd.DataFrame, tuple | None]:
    """The partitions' grid points in the single run's order (south to north, west to
    east: the grid's rows), and the population points' (index, area, AI) in their order."""
    results = sorted(results, key=lambda r: r["index"])
    total = sum(len(r["grid"]) for r in results)
    if total > limits.get("grid_points"):  # the partitions' grids, stitched in memory
        raise ParameterError(
            tr("the grid has {points:,} points over the areas, over the limit of {limit:,}: "
               "choose a wider spacing, or raise the limit with the environment variable "
               "{variable}", points=total, limit=limits.get("grid_points"),
               variable=limits.Limits.variable("grid_points"))
        )  # fmt: skip
    grids = [r["grid"] for r in results]
    grid = pd.concat(grids, ignore_index=True) if len(grids) > 1 else grids[0]
    if len(grids) > 1:
        order = np.lexsort((grid["x"].to_numpy(), grid["y"].to_numpy()))
        grid = grid.iloc[order].reset_index(drop=True)
        grid["band"] = grid["band"].astype(grids[0]["band"].dtype if len(grids[0]) else str)
    population = None
    if results and "population" in results[0]:
        index = np.concatenate([r["population"][0] for r in results])
        area = np.concatenate([r["population"][1] for r in results])
        ai = np.concatenate([r["population"][2] for r in results])
        order = np.argsort(index, kind="stable")
        population = (index[order], area[order], ai[order])
    return grid, population
