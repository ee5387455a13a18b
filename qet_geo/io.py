"""Writing outputs: atomically, in formats the oldest supported QGIS opens cleanly."""

from __future__ import annotations

import contextlib
import errno
import math
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from .constants import GPKG_VERSION  # noqa: F401 - where the writers read it
from .errors import InputError, OutputError, Problem
from .i18n import tr

if TYPE_CHECKING:  # pandas is loaded by the functions that take tables, not on import:
    import pandas as pd  # qet_geo.pipeline (the configuration check) imports this module

#: Suffixes :func:`write_table` knows.
TABLE_SUFFIXES = (".gpkg", ".parquet", ".csv", ".geojson")


#: The private folder (mode 0700) that holds temporary files while they are written, inside
#: the target's folder (same filesystem: moving a finished file into place stays atomic).
TEMPORARY_FOLDER = ".qet-geo-tmp"
#: Leftovers of a writer older than this are removed even when its process id is in use.
STALE_SECONDS = 24 * 3600


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_leftovers(folder: str | Path, outputs=()) -> list[Path]:
    """Remove what killed writers left in ``folder``'s temporary folder (work folders of
    processes that no longer run, or older than a day); returns what was removed.

    A write stopped by SIGKILL or a power cut cannot clean up after itself: its
    temporary files (respondents' homes among them) stay in :data:`TEMPORARY_FOLDER`
    until the next write into the same folder calls this.  For each of ``outputs`` (file
    names in ``folder``), the hidden copies that qet-geo 0.1 wrote beside it
    (``.areas.k2j4.gpkg``, ``..areas.k2j4.x8f1.gpkg``, their ``-wal``/``-shm``) go too."""
    private = Path(folder) / TEMPORARY_FOLDER
    removed = []
    patterns = [
        re.compile(rf"\.+{re.escape(Path(name).stem)}\.[^/]+{re.escape(Path(name).suffix)}(-wal|-shm|-journal)?")
        for name in outputs
    ]  # fmt: skip
    if patterns and Path(folder).is_dir():
        for entry in Path(folder).iterdir():
            if entry.is_file() and any(p.fullmatch(entry.name) for p in patterns):
                entry.unlink()
                removed.append(entry)
    try:
        entries = list(private.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return removed
    for entry in entries:
        pid = entry.name.split("-", 1)[0]
        try:
            old = time.time() - entry.lstat().st_mtime > STALE_SECONDS
        except FileNotFoundError:
            continue
        if pid.isdigit() and (int(pid) == os.getpid() or _alive(int(pid))) and not old:
            continue  # a writer at work
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
        removed.append(entry)
    with contextlib.suppress(OSError):
        private.rmdir()  # only when empty
    return removed


def _work_folder(folder: Path) -> Path:
    """A new private work folder ``<folder>/.qet-geo-tmp/<pid>-XXXX`` (both mode 0700)."""
    private = folder / TEMPORARY_FOLDER
    for _attempt in range(5):  # another writer may remove the empty parent meanwhile
        try:
            private.mkdir(mode=0o700, exist_ok=True)
            if private.is_symlink() or not private.is_dir():
                raise OutputError(f"{private}: " + tr("is not a folder"))
            if private.stat().st_mode & 0o077:
                os.chmod(private, 0o700)
            return Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=private))
        except FileNotFoundError:
            continue
        except OSError as exc:  # read-only, no permission, full
            raise disk_full_error(exc, private, folder) or OutputError(
                tr("{path}: cannot be written: {reason}", path=private, reason=exc.strerror or exc)
            ) from exc
    raise OutputError(f"{private}: " + tr("cannot create the temporary folder"))


def _safe_name(target: Path) -> str:
    """A name GDAL opens: pyogrio reads ``a;b.gpkg`` as the URL ``a`` with parameters
    ``b.gpkg`` (and writes the file ``a``), so the temporary copy gets a plain name."""
    stem = re.sub(r"[^\w.-]", "_", target.stem, flags=re.ASCII).lstrip(".") or "output"
    return stem + target.suffix


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path for ``target``; move it into place only on success.

    A reader of ``target`` sees the old file or the new one, never a partial one, and a
    failed write leaves the old file as it was.  The temporary file is written in a private
    folder (:data:`TEMPORARY_FOLDER`, mode 0700) inside ``target``'s folder and that folder
    is removed whatever happens (an exception, SIGTERM once :func:`stop_on_sigterm` is on);
    after a SIGKILL, the next write into the same folder removes it
    (:func:`remove_leftovers`).  Every writer of qet-geo writes through this.
    """
    target = Path(target)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:  # a file on the way
        raise OutputError(tr("{path}: cannot be written: {folder} is a file, not a folder",
                             path=target, folder=exc.filename or folder)) from exc  # fmt: skip
    except OSError as exc:
        raise disk_full_error(exc, target, folder) or OutputError(
            tr("{path}: cannot be written: {reason}", path=target, reason=exc.strerror or exc)
        ) from exc
    if target.is_dir():
        raise OutputError(tr("{path}: is a folder, expected a file name", path=target))
    with _sigterm_held():  # the work folder is made and cleaned whole
        remove_leftovers(folder)
        work = _work_folder(folder)
    tmp = work / _safe_name(target)
    try:
        yield tmp
        os.replace(tmp, target)
    except OutputError as exc:
        if str(tmp) in str(exc):  # the message names the file the user asked for
            raise OutputError(str(exc).replace(str(tmp), str(target))) from exc
        raise
    except Exception as exc:
        full = disk_full_error(exc, target, work)
        if full is not None:
            raise full from exc
        if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise OutputError(
                tr("{path}: cannot be written: {reason}", path=target, reason=exc.strerror)
            ) from exc
        raise
    finally:
        with _sigterm_held():
            shutil.rmtree(work, ignore_errors=True)
            with contextlib.suppress(OSError):
                (folder / TEMPORARY_FOLDER).rmdir()  # only when empty


#: errno of a write that found no room: no space left, file too large (a file size limit,
#: RLIMIT_FSIZE), disk quota exceeded.
FULL_ERRNO = {errno.ENOSPC: "no space left on the device", errno.EFBIG: "file size limit reached",
               errno.EDQUOT: "disk quota exceeded"}  # fmt: skip
#: Free space under which a failed write (GDAL/SQLite errors carry no errno) is a full disk.
_NEARLY_FULL_BYTES = 1 << 20


def disk_full_error(exc: BaseException, target=None, work=None) -> OutputError | None:
    """The :class:`OutputError` to raise when ``exc`` (or what caused it) is a write that
    found no room — a full disk, a quota, a file size limit — else None.

    The one place that tells a full disk: OSError's errno (ENOSPC, EFBIG, EDQUOT) anywhere
    in the chain of exceptions (matplotlib and PIL wrap it); for errors without an errno
    (pyogrio: "Failed to commit transaction", "no such table: gpkg_contents"), the free
    space of ``target``'s file system, or a temporary file of ``work`` at the process's
    file size limit."""
    reason = None
    other = False  # an OSError that says another cause (read-only, permission…)
    seen = set()
    cause = exc
    while cause is not None and id(cause) not in seen and reason is None:
        seen.add(id(cause))
        if isinstance(cause, OSError) and cause.errno in FULL_ERRNO:
            reason = FULL_ERRNO[cause.errno]
            target = target or cause.filename
        elif isinstance(cause, OSError) and cause.errno is not None:
            other = True
        cause = cause.__cause__ or cause.__context__
    writer = type(exc).__module__.split(".")[0] in ("pyogrio", "sqlite3", "osgeo", "fiona")
    if reason is None and not other and target is not None and writer:
        reason = _no_room(Path(target), work)
    if reason is None:
        return None
    if work is None:  # outside atomic_path: a stream already open (the standard output…)
        return OutputError(
            tr("{path}: disk full ({reason}): the outputs are incomplete; free some space and "
               "run again", path=target or tr("an output"), reason=tr(reason))
        )  # fmt: skip
    return OutputError(
        tr("{path}: disk full ({reason}): the file was not written, the temporary file is "
           "removed; free some space and run again", path=target, reason=tr(reason))
    )  # fmt: skip


def _no_room(target: Path, work) -> str | None:
    """Why writing ``target`` found no room, seen from outside the failed write."""
    try:
        stat = os.statvfs(target.parent)
        if stat.f_bavail * stat.f_frsize < _NEARLY_FULL_BYTES:
            return FULL_ERRNO[errno.ENOSPC]
    except OSError:
        return None
    try:
        import resource

        limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    except (ImportError, OSError, ValueError):  # Windows
        return None
    if limit == resource.RLIM_INFINITY or work is None:
        return None
    sizes = [p.stat().st_size for p in Path(work).rglob("*") if p.is_file()]
    if any(size >= limit - 65536 for size in sizes):
        return FULL_ERRNO[errno.EFBIG]
    return None


@contextlib.contextmanager
def _sigterm_held() -> Iterator[None]:
    """SIGTERM waits until the block ends (in the main thread, where Python handles it)."""
    hold = (
        hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    )
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM}) if hold else None
    try:
        yield
    finally:
        if hold:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)


class Terminated(SystemExit):
    """SIGTERM arrived: raised in the main thread so that every ``finally`` runs."""


_terminated: list[int] = []


def terminated_status() -> int | None:
    """The exit status of a SIGTERM received (143), or None: :class:`Terminated` raised
    while a module was being imported comes out as another exception (``ImportError:
    initialization failed``), which must still be said as a stop, not as a fault."""
    return _terminated[-1] if _terminated else None


def stop_on_sigterm() -> None:
    """Turn SIGTERM into :class:`Terminated` (exit status 143), so that a stopped run
    removes its temporary files; call once from a program's main thread."""
    if threading.current_thread() is not threading.main_thread():
        return
    _terminated.clear()

    def handler(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends at once
        _terminated.append(128 + signum)
        raise Terminated(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def same_file(a: str | Path, b: str | Path) -> bool:
    """Are ``a`` and ``b`` one file (links and hard links included)?"""
    a, b = Path(a), Path(b)
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def overwrite_problems(inputs, outputs) -> list:
    """Problems of a set of outputs: one of them is an input, or two are one file.

    ``inputs``: paths (``None`` skipped; ``PATH:LAYER`` or ``PATH|layername=…`` taken as
    PATH); ``outputs``: paths or ``(path, layer)`` pairs, side files included (the CSVs
    beside a GeoPackage, the PNG beside a PDF); two layers of one GeoPackage may share it.
    The command line, ``qet-geo run`` and the Processing algorithms all check this before
    writing anything."""
    read = [Path(p) for p in (input_path(i) for i in inputs) if p is not None]
    problems, seen = [], []
    for item in outputs:
        path, layer = item if isinstance(item, tuple) else (item, None)
        if path is None:
            continue
        path = Path(path)
        for source in read:
            if same_file(path, source):
                problems.append(Problem.of(str(path), "is an input of this command; choose "
                                           "another output (inputs are only read)",
                                           value=str(source)))  # fmt: skip
                break
        for other, other_layer in seen:
            both_layers = layer is not None and other_layer is not None and layer != other_layer
            if same_file(path, other) and not (both_layers and path.suffix.lower() == ".gpkg"):
                problems.append(Problem.of(str(path), "two outputs of this command are the "
                                           "same file; give each its own name", value=str(other)))  # fmt: skip
                break
        seen.append((path, layer))
    return problems


def check_outputs(inputs, outputs) -> None:
    """Raise :class:`~qet_geo.errors.InputError` with :func:`overwrite_problems`, if any."""
    problems = overwrite_problems(inputs, outputs)
    if problems:
        raise InputError(problems)


def input_path(spec) -> str | None:
    """The file of an input: ``PATH`` of ``PATH:LAYER`` or ``PATH|layername=…`` (``PATH``
    itself when it exists, colons and all); None for no input."""
    if spec is None or spec == "":
        return None
    text = str(spec).split("|", 1)[0]
    if not _exists(text) and ":" in text[2:]:
        head = text.rpartition(":")[0]
        if _exists(head):
            return head
    return text


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except (OSError, ValueError):  # a name too long, a NUL: no such file
        return False


#: characters XML 1.0 cannot hold (a style or a project holding one does not open in QGIS)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text) -> str:
    """``text`` as XML character data, or as an attribute value inside double quotes
    (``& < > "`` escaped; characters XML cannot hold left out): for QGIS styles and
    projects, where names come from data."""
    from xml.sax.saxutils import escape  # loads urllib.request, http, ssl: not on import

    return escape(_NOT_XML.sub("", str(text)), {'"': "&quot;"})


def xml_attr(text) -> str:
    """``text`` as a quoted XML attribute value (quotes included), see :func:`xml_text`."""
    from xml.sax.saxutils import quoteattr

    return quoteattr(_NOT_XML.sub("", str(text)))


def write_table(
    table: pd.DataFrame,
    path: str | Path,
    layer: str | None = None,
    metadata: dict | None = None,
    *,
    atomic: bool = True,
) -> Path:
    """Write a (Geo)DataFrame to GeoPackage, Parquet, CSV or GeoJSON, chosen by suffix.

    A GeoPackage gets ``layer`` (default: the file's stem) and replaces a layer of that name,
    keeping the file's other layers.  CSV is UTF-8 with a BOM (so that Excel shows accents)
    and ``,`` as delimiter, CRLF line ends; ``metadata`` (GeoPackage only) goes into the
    layer's metadata (``gpkg_metadata``); point geometry goes to ``longitude``/``latitude``
    columns; text cells that a spreadsheet would run as a formula are neutralised
    (:func:`spreadsheet_safe`). ``atomic=False`` writes into ``path`` itself: for a file
    that is already the temporary path of an :func:`atomic_path` (several layers of one
    GeoPackage).
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
            _write_gpkg(table, path, layer or path.stem, metadata, atomic=atomic)
        elif not atomic:
            _write_plain(table, path, suffix)
        else:
            with atomic_path(path) as tmp:
                _write_plain(table, tmp, suffix)
    except OSError as exc:
        raise OutputError(f"{path}: " + tr("cannot write: {error}", error=exc)) from exc
    return path


def _write_plain(table: pd.DataFrame, path: Path, suffix: str) -> None:
    if suffix == ".parquet":
        table.to_parquet(path, index=False)
    elif suffix == ".geojson":
        import pyogrio

        from .geo import crs_of, geometry_name

        if geometry_name(table) is None:
            raise OutputError(f"{path}: " + tr("GeoJSON needs point locations; use .csv or .gpkg"))
        crs = crs_of(table, str(path))  # no CRS: refused, never assumed
        if not hasattr(table, "set_crs"):  # a plain frame: its geometry column, its CRS
            import geopandas as gpd

            table = gpd.GeoDataFrame(table.drop(columns="geometry"),
                                     geometry=gpd.GeoSeries(table["geometry"].to_numpy(), crs=crs))  # fmt: skip
        pyogrio.write_dataframe(table.to_crs("EPSG:4326"), path, driver="GeoJSON")
    else:
        # CRLF line ends (RFC 4180): Python's csv module then quotes a cell holding a lone
        # carriage return, which would otherwise start a row of its own
        _csv_frame(table).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")


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


def spreadsheet_text(text: str) -> str:
    """The text a cell :func:`spreadsheet_safe_text` wrote stands for (its leading ``'``
    removed): what reading back a CSV qet-geo wrote needs."""
    return text[1:] if text.startswith("'") else text


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every text cell, and every column name, made safe for a spreadsheet
    (:func:`spreadsheet_safe_text`); numbers, booleans and dates are left as they are.
    Every CSV qet-geo writes goes through it (:func:`write_table`)."""
    import pandas as pd

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
    import pandas as pd

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


def side_csv(path: str | Path, name: str) -> Path:
    """The CSV beside the GeoPackage ``path`` of its table ``name``: ``<stem>_<name>.csv``,
    or ``<name>.csv`` when the name already starts with the stem (``proximity.gpkg``'s
    ``proximity_areas`` → ``proximity_areas.csv``, not ``proximity_proximity_areas.csv``)."""
    path = Path(path)
    stem = path.stem
    if name == stem or name.startswith(stem + "_"):
        return path.with_name(f"{name}.csv")
    return path.with_name(f"{stem}_{name}.csv")


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
    """What a CSV holds: no geometry (points as longitude/latitude, in WGS 84 from the
    table's CRS, :func:`qet_geo.geo.crs_of`), text cells and names safe in a spreadsheet
    (:func:`spreadsheet_safe`)."""
    import numpy as np
    import pandas as pd
    import shapely

    from .geo import crs_of, geometry_name, to_wgs84
    from .geo import with_crs as _with_crs

    name = geometry_name(table)
    if name is None:
        return spreadsheet_safe(pd.DataFrame(table))
    points = _with_crs(pd.DataFrame({"geometry": table[name].to_numpy()}), crs_of(table))
    geographic = np.asarray(to_wgs84(points, "table"), dtype=object)
    frame = pd.DataFrame(table.drop(columns=name))
    present = ~pd.isna(geographic)
    x = np.full(len(geographic), np.nan)
    y = np.full(len(geographic), np.nan)
    x[present], y[present] = shapely.get_x(geographic[present]), shapely.get_y(geographic[present])
    frame["longitude"] = np.round(x, 7)
    frame["latitude"] = np.round(y, 7)
    return spreadsheet_safe(frame)


def with_crs(table: pd.DataFrame, crs: str | None) -> pd.DataFrame:
    """A copy of ``table`` that says its CRS, as :func:`write_table` writes it: the one
    rule, :func:`qet_geo.geo.with_crs` (imported here: this module loads no pandas)."""
    from .geo import with_crs as _with_crs

    return _with_crs(table, crs)


def _write_gpkg(
    table: pd.DataFrame,
    path: Path,
    layer: str,
    metadata: dict | None = None,
    *,
    atomic: bool = True,
) -> None:
    """One layer into the GeoPackage ``path`` by the geo backend (pyogrio, or QGIS's writer
    inside QGIS: :func:`qet_geo.geo.write_layer`), atomically unless told otherwise: the
    existing file copied and the layer added to the copy, which then replaces it."""
    from .geo import write_layer

    if not atomic:
        write_layer(table, path, layer, metadata=metadata)
        return
    with atomic_path(path) as tmp:
        if path.exists():  # in place of a copy of the existing file
            shutil.copyfile(path, tmp)
        write_layer(table, tmp, layer, metadata=metadata)


def read_only_uri(path: str | Path) -> str:
    """A SQLite URI opening ``path`` read-only: the path percent-encoded, so that a name
    with ``?``, ``#`` or ``%`` is that file and not a query (``a#b.gpkg`` opened ``a``)."""
    return f"file:{quote(str(Path(path).resolve()))}?mode=ro"


# Layer specs and JSON: what every step and shell reads its inputs and writes its summaries
# with.


def split_layer(spec: str) -> tuple[str, str | None]:
    """ "PATH[:LAYER]" → (PATH, LAYER or None); a PATH that exists is taken whole (a colon
    in a file name, a Windows drive letter)."""
    if Path(spec).exists():
        return spec, None
    path, _, layer = spec.rpartition(":")
    if not path:  # no colon (or a leading one): a path, missing or not
        return spec, None
    return path, layer or None


def json_ready(value):
    """``value`` made JSON-safe: numpy scalars and arrays to Python, NaN and infinities to
    None, tuples to lists, keys to text (summaries, model files, the command line's JSON)."""
    np = sys.modules.get("numpy")  # no numpy value exists unless numpy is loaded
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if np is not None and isinstance(value, np.ndarray):
        return json_ready(value.tolist())
    if np is not None and isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float) or (np is not None and isinstance(value, np.floating)):
        value = float(value)
        return None if math.isnan(value) or math.isinf(value) else value
    if np is not None and isinstance(value, np.bool_):
        return bool(value)
    return value
