"""Proximity and comparison as files (GeoPackage layers and CSV)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from ..io import write_table


def write_layers(
    path: str | Path, layers: list[tuple[str, pd.DataFrame, str | None]]
) -> list[Path]:
    """Write (name, table, crs) layers into one GeoPackage atomically (a ``geometry``
    column of shapely geometries makes a spatial layer), and each as CSV beside it."""
    import geopandas as gpd

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".gpkg", dir=path.parent)
    os.close(handle)
    os.unlink(tmp)
    written = [path]
    try:
        for name, table, crs in layers:
            if "geometry" in table.columns:
                frame = gpd.GeoDataFrame(
                    table.drop(columns="geometry"),
                    geometry=gpd.GeoSeries(table["geometry"].to_numpy(), crs=crs),
                )
            else:
                frame = table
            if len(frame.columns):
                write_table(frame, tmp, layer=name)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    for name, table, _ in layers:
        if len(table.columns):
            target = path.with_name(f"{path.stem}_{name}.csv")
            write_table(pd.DataFrame(table.drop(columns="geometry", errors="ignore")), target)
            written.append(target)
    return written
