"""Proximity and comparison as files (GeoPackage layers and CSV)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..io import atomic_path, side_csv, with_crs, write_table


def write_layers(
    path: str | Path, layers: list[tuple[str, pd.DataFrame, str | None]]
) -> list[Path]:
    """Write (name, table, crs) layers into one GeoPackage atomically (a ``geometry``
    column of shapely geometries makes a spatial layer), and each as CSV beside it."""
    path = Path(path)
    written = [path]
    with atomic_path(path) as tmp:
        for name, table, crs in layers:
            frame = with_crs(table, crs) if "geometry" in table.columns else table
            if len(frame.columns):
                write_table(frame, tmp, layer=name, atomic=False)
    for name, table, _ in layers:
        if len(table.columns):
            target = csv_of(path, name)
            write_table(pd.DataFrame(table.drop(columns="geometry", errors="ignore")), target)
            written.append(target)
    return written


def csv_of(path: str | Path, name: str) -> Path:
    """The CSV beside GeoPackage ``path`` of its layer ``name`` (:func:`~qet_geo.io.side_csv`:
    ``compare.gpkg``'s ``compare_areas`` → ``compare_areas.csv``)."""
    return side_csv(path, name)


def layers_files(path: str | Path, names) -> list[Path]:
    """Every file :func:`write_layers` may write for ``path`` and layers ``names``."""
    return [Path(path), *(csv_of(path, name) for name in names)]
