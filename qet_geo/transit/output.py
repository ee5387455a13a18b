"""Transit access as files: a GeoPackage with the grid points (AI, band) and the areas."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..io import atomic_path, side_csv, with_crs, write_table
from ..styles import add_styles, ptal_styles
from .access import TransitAccess


def write_transit_access(
    result: TransitAccess, path: str | Path, *, language: str = "fr"
) -> list[Path]:
    """Layers ``ptal_grid`` (points) and ``ptal_areas`` (polygons), each with its QGIS
    style (the PTAL bands labelled with their meaning, in ``language``), and the areas as
    CSV beside it; written atomically."""
    path = Path(path)
    grid, areas = with_crs(result.grid_frame(), result.crs), with_crs(result.areas, result.crs)
    with atomic_path(path) as tmp:
        write_table(grid, tmp, layer="ptal_grid", atomic=False)
        write_table(areas, tmp, layer="ptal_areas", atomic=False)
        write_table(summary_table(result), tmp, layer="ptal_summary", atomic=False)
        for layer, layer_styles in ptal_styles(areas, grid.columns, language).items():
            add_styles(tmp, layer, layer_styles)
    csv = transit_files(path)[1]
    write_table(pd.DataFrame(result.areas.drop(columns="geometry")), csv)
    return [path, csv]


def summary_table(result: TransitAccess) -> pd.DataFrame:
    """The layer ``ptal_summary`` (key, value): where distances were measured (the input
    CRS, the CRS in metres used and why), the service day, the grid and the parameters."""
    s = result.summary
    keys = ("input_crs", "distance_crs", "reprojected_because", "grid_spacing_m",
            "grid_points", "feed", "service_date", "date_chosen", "walking", "access_points",
            "access_points_merged", "routes")  # fmt: skip
    rows = [(key, "" if getattr(s, key) is None else str(getattr(s, key))) for key in keys]
    rows += [(key, json.dumps(getattr(s, key), ensure_ascii=False))
             for key in ("feeds", "routes_by_mode", "routes_left_out", "parameters")]  # fmt: skip
    return pd.DataFrame(rows, columns=["key", "value"])


def transit_files(path: str | Path) -> list[Path]:
    """Every file :func:`write_transit_access` writes for ``path``."""
    path = Path(path)
    return [path, side_csv(path, "areas")]
