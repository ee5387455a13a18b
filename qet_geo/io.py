"""Writing outputs: atomically, in formats the oldest supported QGIS opens cleanly."""

from __future__ import annotations

import contextlib
import os
import re
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


def write_table(
    table: pd.DataFrame, path: str | Path, layer: str | None = None, metadata: dict | None = None
) -> Path:
    """Write a (Geo)DataFrame to GeoPackage, Parquet, CSV or GeoJSON, chosen by suffix.

    A GeoPackage gets ``layer`` (default: the file's stem) and replaces a layer of that name,
    keeping the file's other layers.  CSV is UTF-8 with a BOM (so that Excel shows accents)
    and ``,`` as delimiter, CRLF line ends; ``metadata`` (GeoPackage only) goes into the layer's metadata
    (``gpkg_metadata``); point geometry goes to ``longitude``/``latitude`` columns;
    text cells that a spreadsheet would run as a formula are neutralised
    (:func:`spreadsheet_safe`).
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
            _write_gpkg(table, path, layer or path.stem, metadata)
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
                # CRLF line ends (RFC 4180): Python's csv module then quotes a cell holding
                # a lone carriage return, which would otherwise start a row of its own
                _csv_frame(table).to_csv(
                    tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n"
                )
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


#: First characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell
#: as a formula or a command (OWASP, "CSV Injection"), and the quote that neutralises them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEUTRALISED = re.compile(r"^[=+\-@\t\r']")
_FIRST = [*FORMULA_STARTS, "'"]
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")


def spreadsheet_safe_text(text: str) -> str:
    """A text cell a spreadsheet shows as text: a ``'`` in front of a cell that starts with
    ``=`` ``+`` ``-`` ``@``, a tab or a carriage return (OWASP's advice), or with ``'``
    itself, so that the rule can be undone: remove the first character of every text cell
    that starts with ``'``. A text that is just a number ("-2.5") is left as it is."""
    if _NEUTRALISED.match(text) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every text cell, and every column name, made safe for a spreadsheet
    (:func:`spreadsheet_safe_text`); numbers, booleans and dates are left as they are.
    Every CSV qet-geo writes goes through it (:func:`write_table`)."""
    out = table.copy()
    for position in range(len(table.columns)):
        series = table.iloc[:, position]
        if isinstance(series.dtype, pd.CategoricalDtype):
            safe = series.cat.rename_categories(
                lambda c: spreadsheet_safe_text(c) if isinstance(c, str) else c
            )
        elif pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
            text = series.astype("string")
            flag = text.str.slice(0, 1).isin(_FIRST).to_numpy(dtype=bool, na_value=False).copy()
            if flag.any():  # the number test only on the few cells that start so
                flagged = text[flag]
                flag[flag] = ~flagged.str.match(_PLAIN_NUMBER.pattern, na=False).to_numpy(
                    dtype=bool, na_value=False
                )
            safe = series
            if flag.any():
                safe = text.copy()
                safe[flag] = "'" + text[flag]
        elif series.dtype == object:
            safe = series.map(lambda v: spreadsheet_safe_text(v) if isinstance(v, str) else v)
        else:
            continue
        out.isetitem(position, safe)
    out.columns = [spreadsheet_safe_text(c) if isinstance(c, str) else c for c in out.columns]
    return out


def spreadsheet_text_back(table: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`spreadsheet_safe` on a CSV qet-geo wrote (read back as text): the first
    character of every text cell, and column name, that starts with ``'`` is removed."""
    out = table.copy()
    for position in range(len(table.columns)):
        series = table.iloc[:, position]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out.isetitem(
                position,
                series.map(lambda v: v[1:] if isinstance(v, str) and v[:1] == "'" else v),
            )
    out.columns = [c[1:] if isinstance(c, str) and c[:1] == "'" else c for c in out.columns]
    return out


def public_name(source) -> str:
    """The file name of ``source`` (a path, "PATH:LAYER" or "PATH [LAYER]"), without the
    folders: what a published output may say of an input or of another output, never the
    organiser's absolute path or folder names. ``None`` stays ``None``."""
    if source is None:
        return None
    text = str(source)
    tail = ""
    match = re.match(r"^(.*?)( \[[^\]]*\])$", text)
    if match:
        text, tail = match.groups()
    name = re.split(r"[\\/]", text.rstrip("\\/"))[-1]
    return name + tail


def _csv_frame(table: pd.DataFrame) -> pd.DataFrame:
    """What a CSV holds: no geometry (points as longitude/latitude), text cells and names
    safe in a spreadsheet (:func:`spreadsheet_safe`)."""
    if not hasattr(table, "geometry") or table.geometry.name not in table:
        return spreadsheet_safe(pd.DataFrame(table))
    geographic = table.to_crs("EPSG:4326") if table.crs is not None else table
    frame = pd.DataFrame(table.drop(columns=table.geometry.name))
    frame["longitude"] = geographic.geometry.x.round(7)
    frame["latitude"] = geographic.geometry.y.round(7)
    return spreadsheet_safe(frame)


def _write_gpkg(table: pd.DataFrame, path: Path, layer: str, metadata: dict | None = None) -> None:
    import pyogrio

    options = {"dataset_options": {"VERSION": GPKG_VERSION}}
    if metadata:
        options["layer_metadata"] = dict(metadata)
    spatial = hasattr(table, "geometry") and table.geometry.name in table
    if not spatial:
        table = pd.DataFrame(table)
    if path.exists():
        # add or replace one layer in place of a copy of the existing file
        import shutil

        with atomic_path(path) as tmp:
            shutil.copyfile(path, tmp)
            pyogrio.write_dataframe(
                table,
                tmp,
                layer=layer,
                driver="GPKG",
                layer_options={"OVERWRITE": "YES"},
                **({"layer_metadata": dict(metadata)} if metadata else {}),
            )
        return
    with atomic_path(path) as tmp:
        pyogrio.write_dataframe(table, tmp, layer=layer, driver="GPKG", **options)
