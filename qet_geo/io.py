"""Writing outputs: atomically, in formats the oldest supported QGIS opens cleanly."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from .errors import OutputError
from .i18n import tr

#: GeoPackage version written: QGIS 3.22 (GDAL 3.6) warns on 1.4, the default of recent GDAL.
GPKG_VERSION = "1.2"
#: Suffixes :func:`write_table` knows.
TABLE_SUFFIXES = (".gpkg", ".parquet", ".csv", ".geojson")


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only on success.

    A reader of ``target`` sees the old file or the new one, never a partial one, and a
    failed write leaves the old file as it was.
    """
    target = Path(target)
    if target.parent and not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent
    )
    os.close(handle)
    tmp = Path(tmp_name)
    tmp.unlink()  # writers (GDAL) want to create the file themselves
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, *tmp.parent.glob(tmp.name + "-*")):  # sqlite -wal/-shm
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def write_table(table: pd.DataFrame, path: str | Path, layer: str | None = None) -> Path:
    """Write a (Geo)DataFrame to GeoPackage, Parquet, CSV or GeoJSON, chosen by suffix.

    A GeoPackage gets ``layer`` (default: the file's stem) and replaces a layer of that name,
    keeping the file's other layers.  CSV is UTF-8 with a BOM (so that Excel shows accents)
    and ``,`` as delimiter; point geometry goes to ``longitude``/``latitude`` columns.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise OutputError(
            f"{path}: "
            + tr(
                "unknown output format {suffix}; expected one of {formats}",
                suffix=repr(suffix),
                formats=", ".join(TABLE_SUFFIXES),
            )
        )
    table = _plain_columns(table)
    if suffix in (".gpkg", ".geojson"):
        table = _gdal_field_names(table)
    try:
        if suffix == ".gpkg":
            _write_gpkg(table, path, layer or path.stem)
        elif suffix == ".parquet":
            with atomic_path(path) as tmp:
                table.to_parquet(tmp, index=False)
        elif suffix == ".geojson":
            import pyogrio

            if not hasattr(table, "geometry"):
                raise OutputError(
                    f"{path}: " + tr("GeoJSON needs point locations; use .csv or .gpkg")
                )
            with atomic_path(path) as tmp:
                pyogrio.write_dataframe(table.to_crs("EPSG:4326"), tmp, driver="GeoJSON")
        else:
            with atomic_path(path) as tmp:
                _csv_frame(table).to_csv(tmp, index=False, encoding="utf-8-sig")
    except OSError as exc:
        raise OutputError(f"{path}: " + tr("cannot write: {error}", error=exc)) from exc
    return path


def _plain_columns(table: pd.DataFrame) -> pd.DataFrame:
    """Nullable small ints as Int32, which every driver takes."""
    table = table.copy()
    for column in table.columns:
        dtype = table[column].dtype
        if str(dtype) in ("Int8", "Int16"):
            table[column] = table[column].astype("Int32")
    return table


def _gdal_field_names(table: pd.DataFrame) -> pd.DataFrame:
    """Field names GDAL takes: ``fid`` is the GeoPackage's own key and names differing
    only by case are one field for it; rename them ("fid_source", "note (2)")."""
    geometry = table.geometry.name if hasattr(table, "geometry") else None
    renamed, taken = {}, set()
    for column in table.columns:
        if column == geometry:
            continue
        name = "fid_source" if str(column).lower() == "fid" else str(column)
        unique, number = name, 1
        while unique.lower() in taken:
            number += 1
            unique = f"{name} ({number})"
        taken.add(unique.lower())
        if unique != column:
            renamed[column] = unique
    return table.rename(columns=renamed) if renamed else table


def _csv_frame(table: pd.DataFrame) -> pd.DataFrame:
    if not hasattr(table, "geometry") or table.geometry.name not in table:
        return pd.DataFrame(table)
    geographic = table.to_crs("EPSG:4326") if table.crs is not None else table
    frame = pd.DataFrame(table.drop(columns=table.geometry.name))
    frame["longitude"] = geographic.geometry.x.round(7)
    frame["latitude"] = geographic.geometry.y.round(7)
    return frame


def _write_gpkg(table: pd.DataFrame, path: Path, layer: str) -> None:
    import pyogrio

    options = {"dataset_options": {"VERSION": GPKG_VERSION}}
    spatial = hasattr(table, "geometry") and table.geometry.name in table
    if not spatial:
        table = pd.DataFrame(table)
    if path.exists():
        # add or replace one layer in place of a copy of the existing file
        import shutil

        with atomic_path(path) as tmp:
            shutil.copyfile(path, tmp)
            pyogrio.write_dataframe(
                table, tmp, layer=layer, driver="GPKG", layer_options={"OVERWRITE": "YES"}
            )
        return
    with atomic_path(path) as tmp:
        pyogrio.write_dataframe(table, tmp, layer=layer, driver="GPKG", **options)
