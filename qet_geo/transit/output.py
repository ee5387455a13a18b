"""Transit access as files: a GeoPackage with the grid points (AI, band) and the areas."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from ..io import write_table
from .access import TransitAccess


def write_transit_access(result: TransitAccess, path: str | Path) -> list[Path]:
    """Layers ``ptal_grid`` (points) and ``ptal_areas`` (polygons), and the areas as CSV
    beside it; written atomically."""
    import geopandas as gpd

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".gpkg", dir=path.parent)
    os.close(handle)
    os.unlink(tmp)
    grid = gpd.GeoDataFrame(
        result.grid.drop(columns=["x", "y"]),
        geometry=gpd.points_from_xy(result.grid["x"], result.grid["y"]),
        crs=result.crs,
    )
    areas = gpd.GeoDataFrame(
        result.areas.drop(columns="geometry"),
        geometry=gpd.GeoSeries(result.areas["geometry"].to_numpy(), crs=result.crs),
    )
    try:
        write_table(grid, tmp, layer="ptal_grid")
        write_table(areas, tmp, layer="ptal_areas")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    csv = path.with_name(f"{path.stem}_areas.csv")
    write_table(pd.DataFrame(result.areas.drop(columns="geometry")), csv)
    return [path, csv]
