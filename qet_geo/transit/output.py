"""Transit access as files: a GeoPackage with the grid points (AI, band) and the areas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..io import atomic_path, write_table
from .access import TransitAccess


def write_transit_access(result: TransitAccess, path: str | Path) -> list[Path]:
    """Layers ``ptal_grid`` (points) and ``ptal_areas`` (polygons), and the areas as CSV
    beside it; written atomically."""
    import geopandas as gpd

    path = Path(path)
    grid = gpd.GeoDataFrame(
        result.grid.drop(columns=["x", "y"]),
        geometry=gpd.points_from_xy(result.grid["x"], result.grid["y"]),
        crs=result.crs,
    )
    areas = gpd.GeoDataFrame(
        result.areas.drop(columns="geometry"),
        geometry=gpd.GeoSeries(result.areas["geometry"].to_numpy(), crs=result.crs),
    )
    with atomic_path(path) as tmp:
        write_table(grid, tmp, layer="ptal_grid", atomic=False)
        write_table(areas, tmp, layer="ptal_areas", atomic=False)
    csv = transit_files(path)[1]
    write_table(pd.DataFrame(result.areas.drop(columns="geometry")), csv)
    return [path, csv]


def transit_files(path: str | Path) -> list[Path]:
    """Every file :func:`write_transit_access` writes for ``path``."""
    path = Path(path)
    return [path, path.with_name(f"{path.stem}_areas.csv")]
