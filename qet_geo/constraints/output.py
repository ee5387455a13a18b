"""Proximity and comparison as files (GeoPackage layers and CSV)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..io import atomic_path, side_csv, with_crs, write_table
from ..styles import add_styles, bivariate_styles, proximity_styles
from .params import service_key

#: The layers of the comparison GeoPackage (:func:`write_comparison`).
COMPARE_LAYERS = ("compare_areas", "compare_classes", "satisfaction")
#: The layer of the proximity GeoPackage (:func:`write_proximity`).
PROXIMITY_LAYERS = ("proximity_areas",)


def write_layers(
    path: str | Path, layers: list[tuple[str, pd.DataFrame, str | None]], styles: dict | None = None
) -> list[Path]:
    """Write (name, table, crs) layers into one GeoPackage atomically (a ``geometry``
    column of shapely geometries makes a spatial layer), with ``styles`` (layer → QGIS
    styles, :func:`qet_geo.styles.add_styles`), and each as CSV beside it."""
    path = Path(path)
    written = [path]
    with atomic_path(path) as tmp:
        for name, table, crs in layers:
            frame = with_crs(table, crs) if "geometry" in table.columns else table
            if len(frame.columns):
                write_table(frame, tmp, layer=name, atomic=False)
        for name, layer_styles in (styles or {}).items():
            add_styles(tmp, name, layer_styles)
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


def write_comparison(result, path: str | Path, *, language: str = "fr") -> list[Path]:
    """A :class:`~qet_geo.constraints.Comparison` as the GeoPackage ``path`` (layers
    :data:`COMPARE_LAYERS`: the bivariate classes by area, explained in the style's legend
    in ``language``, the profiles by constraint class, the satisfaction by PTAL band) and
    a CSV beside it for each layer."""
    tables = (result.areas, result.classes, result.satisfaction)
    crs = (result.crs, None, None)
    style = bivariate_styles(result.areas, result.summary.bivariate_profile_name, language)
    return write_layers(path, list(zip(COMPARE_LAYERS, tables, crs, strict=True)),
                        {COMPARE_LAYERS[0]: style})  # fmt: skip


def write_proximity(result, path: str | Path, *, language: str = "fr") -> list[Path]:
    """A :class:`~qet_geo.constraints.Proximity` as the GeoPackage ``path`` (layer
    ``proximity_areas``, styled: the distance to each service in walking classes, in
    ``language``) and the CSV beside it."""
    services = {service_key(name): name for name in (result.summary.services or {})}
    style = proximity_styles(result.areas, language, services)
    return write_layers(path, [(PROXIMITY_LAYERS[0], result.areas, result.crs)],
                        {PROXIMITY_LAYERS[0]: style})  # fmt: skip
