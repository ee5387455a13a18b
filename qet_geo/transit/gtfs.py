"""GTFS feeds (zip or folder): stops with parent stations, routes with basic and extended
route types, trips, stop_times past midnight, calendar and calendar_dates, frequencies.

Errors name the file, the row (its line in the file, header = 1, as for survey files),
the field, the value and what was expected; what can be read with a doubt (a file in
Windows-1252, stops at 0,0, a stop without coordinates placed at its station) is a warning
in ``Feed.warnings``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import limits
from ..errors import InputError, ParameterError, Problem
from ..i18n import Message, tr
from ..parameters import check_path
from ..textio import one_row_per_line

REQUIRED = {
    "stops.txt": ("stop_id",),
    "routes.txt": ("route_id", "route_type"),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "stop_id", "stop_sequence"),
}
OPTIONAL = ("calendar.txt", "calendar_dates.txt", "frequencies.txt")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


#: The modes of PTAL, each with its own AI (TfL keeps bus, tram, metro and rail apart).
MODES = ("bus", "tram", "metro", "rail", "ferry", "cable", "funicular")
#: GTFS route type → PTAL mode (None: left out of PTAL), basic codes (0–12) and extended
#: ones by hundred (100–1799, the Hierarchical Vehicle Types of the GTFS reference).
BASIC_ROUTE_TYPES = {
    0: "tram",  # tram, streetcar, light rail
    1: "metro",  # subway, metro
    2: "rail",  # rail (intercity, long distance)
    3: "bus",
    4: "ferry",
    5: "tram",  # cable tram (San Francisco)
    6: "cable",  # aerial lift, gondola
    7: "funicular",
    11: "bus",  # trolleybus
    12: "metro",  # monorail
}
EXTENDED_ROUTE_TYPES = {  # first code of the hundred → mode
    100: "rail",  # railway service
    200: "bus",  # coach service
    300: "rail",  # suburban railway
    400: "metro",  # urban railway, metro, underground, monorail
    500: "metro",  # metro service
    600: "metro",  # underground service
    700: "bus",  # bus service
    800: "bus",  # trolleybus service
    900: "tram",  # tram service
    1000: "ferry",  # water transport
    1100: None,  # air service
    1200: "ferry",  # ferry service
    1300: "cable",  # aerial lift service
    1400: "funicular",  # funicular service
    1500: None,  # taxi service
    1600: None,  # self drive
    1700: None,  # miscellaneous service
}
#: A route type in neither table (8–10, 13–99): unknown, left out with a warning.
UNKNOWN = "unknown"


def mode_of_route_type(route_type: int, overrides: dict | None = None) -> str | None:
    """PTAL mode of a GTFS route type: ``overrides`` (route type → mode or None) first,
    then the basic codes (0–12) and the extended ones (100–1799); None for the types left
    out of PTAL (air, taxi, self drive, miscellaneous); :data:`UNKNOWN` for a type in no
    table."""
    route_type = int(route_type)
    if overrides and route_type in overrides:
        return overrides[route_type]
    if route_type in BASIC_ROUTE_TYPES:
        return BASIC_ROUTE_TYPES[route_type]
    hundred = route_type // 100 * 100
    if 100 <= route_type < 1800 and hundred in EXTENDED_ROUTE_TYPES:
        return EXTENDED_ROUTE_TYPES[hundred]
    return UNKNOWN


@dataclass
class Feed:
    """A GTFS feed as tables: ``stops`` (stop_id, stop_lat, stop_lon, location_type,
    parent_station), ``routes`` (route_id, route_type, mode), ``trips`` (trip_id, route_id,
    service_id, direction_id), ``stop_times`` (trip_id, stop_id, stop_sequence, departure
    in seconds from the service day's midnight, may pass 24 h), ``calendar``,
    ``calendar_dates``, ``frequencies`` (or None); ``warnings``: problems read through
    (:class:`~qet_geo.errors.Problem`)."""

    source: str
    stops: pd.DataFrame
    routes: pd.DataFrame
    trips: pd.DataFrame
    stop_times: pd.DataFrame
    calendar: pd.DataFrame | None
    calendar_dates: pd.DataFrame | None
    frequencies: pd.DataFrame | None
    warnings: list = field(default_factory=list)


class _Files:
    """The files of a feed: a zip (files at its root or in one folder) or a folder."""

    def __init__(self, path: Path):
        self.path = path
        self.source = str(path)
        self.zip = None
        self.warnings: list[Problem] = []
        if path.is_file():
            try:
                self.zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise InputError(Problem.of(str(path), "not a GTFS zip or folder")) from exc
            by_name: dict[str, list[str]] = {}
            for member in self.zip.namelist():
                if member.endswith("/") or member.startswith("__MACOSX/"):
                    continue
                by_name.setdefault(member.replace("\\", "/").rsplit("/", 1)[-1], []).append(member)
            for name in (*REQUIRED, *OPTIONAL):
                if len(by_name.get(name, ())) > 1:
                    raise InputError(
                        Problem.of(
                            self.source,
                            "the zip holds more than one file of this name",
                            value=", ".join(sorted(by_name[name])),
                            expected="one GTFS feed per zip: its files at the root or in one folder",
                        )
                    )
            self.names = {name: members[0] for name, members in by_name.items()}
        elif path.is_dir():
            self.names = {p.name: p for p in path.iterdir() if p.is_file()}
        else:
            raise InputError(Problem.of(str(path), "file not found"))

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> pd.DataFrame | None:
        """The rows of ``name`` as text columns, indexed by their line in the file (header =
        line 1), or None for an empty file (no byte, or only blanks)."""
        where = _where(self.source, name)
        if self.zip is not None:
            raw = limits.read_member(self.zip, self.names[name], self.source)  # capped
        else:
            limits.check_file_size(self.names[name], "inflated_bytes")
            raw = Path(self.names[name]).read_bytes()
        text = _decode(raw, where, self.warnings)
        del raw
        if not text.strip():
            return None
        return _parse_csv(text, where)

    def table(self, name: str, what: str | None) -> pd.DataFrame | None:
        """``read``, with an empty file refused for a required file (``what`` names its
        rows, e.g. "stops") and a header without rows refused too; an optional file
        (``what`` None) that is empty is as if absent, with a warning."""
        frame = self.read(name)
        where = _where(self.source, name)
        if frame is None:
            if what is None:
                self.warnings.append(
                    Problem.of(where, "the file is empty: read as if absent",
                               expected="a header row of GTFS fields, or no file")
                )  # fmt: skip
                return None
            raise InputError(
                Problem.of(where, "the file is empty",
                           expected=f"a header row of GTFS fields and one row per {what[:-1]}")
            )  # fmt: skip
        if what is not None and not len(frame):
            raise InputError(
                Problem.of(where, f"the file has a header but no {what}",
                           expected=f"one row per {what[:-1]}")
            )  # fmt: skip
        return frame


def _decode(raw: bytes, where: str, warnings: list) -> str:
    """GTFS text is UTF-8 (a UTF-8 BOM is allowed). A UTF-16 file with its BOM (a Windows
    "Unicode text" export) is decoded as such; bytes that are not UTF-8 are read as
    Windows-1252, with a warning naming the first such line (the file should be UTF-8)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                Problem.of(where, "not valid UTF-16 text (the file starts with a UTF-16 mark)",
                           expected="a GTFS file in UTF-8")
            ) from exc  # fmt: skip
        return text.lstrip("\ufeff")
    if b"\x00" in raw[:4096]:
        raise InputError(
            Problem.of(where, "the file contains NUL bytes: binary, or UTF-16 without its mark",
                       expected="a GTFS file in UTF-8")
        )  # fmt: skip
    try:
        return raw.decode("utf-8-sig").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        row = raw.count(b"\n", 0, exc.start) + 1
        byte = f"0x{raw[exc.start]:02x}"
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(
                Problem.of(where, "byte is neither UTF-8 nor Windows-1252 text", row=row,
                           value=byte, expected="a GTFS file in UTF-8")
            ) from exc  # fmt: skip
        warnings.append(
            Problem.of(where, "not UTF-8 text: read as Windows-1252", row=row, value=byte,
                       expected="a GTFS file in UTF-8 (GTFS requires it)")
        )  # fmt: skip
        return text.lstrip("\ufeff")


def _parse_csv(text: str, where: str) -> pd.DataFrame:
    """Rows of a GTFS text file as text columns, indexed by line number (header = 1).

    Files whose every line is one row go through Arrow's CSV reader; others (a quoted value
    over two lines, a quote never closed, a row of the wrong width, spaces before quotes)
    through Python's csv module, which says at which line what is wrong."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    offset, header_line = 0, 1
    while True:  # the header: the first line that is not blank
        end = text.find("\n", offset)
        line = text[offset:] if end < 0 else text[offset:end]
        if line.strip():
            break
        offset, header_line = end + 1, header_line + 1
    header = [c.strip().lstrip("\ufeff").strip() for c in next(csv.reader([line]))]
    while len(header) > 1 and not header[-1]:
        header.pop()  # trailing commas
    limits.check(where, "columns", len(header), "the columns of the header", row=header_line)
    for position, title in enumerate(header):
        if not title or title in header[:position]:
            raise InputError(
                Problem.of(where, "a field without a name" if not title else "duplicate field name",
                           row=header_line, column=title or None,
                           value=line[: limits.ECHO_CHARS], expected="unique GTFS field names")
            )  # fmt: skip
    body = "" if end < 0 else text[end + 1 :]
    frame = None
    if one_row_per_line(body) and ', "' not in body:
        frame = _parse_arrow(body, header, header_line)
    if frame is None:
        frame = _parse_csv_module(body, header, header_line, where)
    return frame


def _parse_arrow(body: str, header: list[str], header_line: int) -> pd.DataFrame | None:
    """Arrow's CSV reader on lines that are each one row; None when a row does not fit."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    names = [f"c{i}" for i in range(len(header))]
    data = body.encode("utf-8")
    if not data or data.isspace():  # (no copy of a file of millions of rows)
        return pd.DataFrame(
            {h: pd.array([], dtype="str") for h in header},
            index=pd.Index([], dtype="int64", name="line"),
        )
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(newlines_in_values=False, ignore_empty_lines=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None  # the csv module says which line and why
    if "\n\n" in body or body.startswith("\n"):  # empty lines are skipped: number the others
        buffer = np.frombuffer(data, dtype=np.uint8)
        newlines = np.flatnonzero(buffer == ord("\n"))
        starts = np.concatenate(([0], newlines + 1))
        ends = np.concatenate((newlines, [len(buffer)]))
        lines = np.arange(header_line + 1, header_line + 1 + len(starts))[ends > starts]
    else:
        lines = np.arange(header_line + 1, header_line + 1 + table.num_rows)
    if len(lines) != table.num_rows:
        return None
    return pd.DataFrame(
        {h: pd.array(table.column(i), dtype="str") for i, h in enumerate(header)},
        index=pd.Index(lines, name="line"),
        copy=False,
    )


def _parse_csv_module(body: str, header: list[str], header_line: int, where: str):
    width = len(header)
    reader = csv.reader(io.StringIO(body, newline=""), strict=True, skipinitialspace=True)
    body_lines = body.split("\n")
    rows, lines, problems = [], [], []
    start = 1
    while True:
        first = start
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(
                Problem.of(where, "a quote opened on this line is never closed, or a value "
                           "goes on after its closing quote", row=header_line + first,
                           value=body_lines[first - 1][: limits.ECHO_CHARS],
                           expected=Message('quotes in pairs around a value ("…"), or no quote '
                                            "({error})", error=str(exc)))
            )  # fmt: skip
            break  # the reader cannot go on past a broken quote
        start = reader.line_num + 1
        if not "".join(fields).strip():
            continue  # blank line
        last = reader.line_num
        if last > first and any(
            body_lines[n - 1].count(",") + 1 >= width for n in range(first + 1, last + 1)
        ):
            problems.append(
                Problem.of(where, Message("a quote opened on this line is never closed and "
                                          "runs over the next lines (to line {line})",
                                          line=header_line + last),
                           row=header_line + first,
                           value=body_lines[first - 1][: limits.ECHO_CHARS],
                           expected='quotes in pairs around a value ("…"), or no quote')
            )  # fmt: skip
            continue
        if len(fields) > width and not "".join(fields[width:]).strip():
            fields = fields[:width]  # trailing commas
        if len(fields) != width:
            problems.append(
                Problem.of(where, Message("this row has {fields} fields, the header {width}",
                                          fields=len(fields), width=width),
                           row=header_line + first,
                           value=body_lines[first - 1][: limits.ECHO_CHARS],
                           expected=Message("{width} fields: {header}", width=width,
                                            header=",".join(header)[: limits.ECHO_CHARS]))
            )  # fmt: skip
            if len(problems) >= 100:
                break
            continue
        rows.append(fields)
        lines.append(header_line + first)
    if problems:
        raise InputError(problems)
    columns = list(zip(*rows, strict=True)) if rows else [()] * width
    return pd.DataFrame(
        {h: pd.array(list(columns[i]), dtype="str") for i, h in enumerate(header)},
        index=pd.Index(lines, dtype="int64", name="line"),
    )


def _where(source, name) -> str:
    return f"{source} [{name}]"


def _row(frame: pd.DataFrame, position: int) -> int:
    """The line in the file of the row at ``position`` (header = line 1)."""
    return int(frame.index[position])


def _first(bad) -> int:
    return int(np.flatnonzero(np.asarray(bad, dtype=bool))[0])


def _require(frame, name, columns, source):
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            Problem.of(
                _where(source, name),
                "missing required GTFS field(s)",
                value=", ".join(missing),
                expected="fields " + ", ".join(columns),
            )
        )


def _to_float(text: pd.Series) -> pd.Series:
    """Text to float64 (NaN where not a number): Arrow's cast when every value is a
    number, pandas' parser otherwise."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        values = pc.cast(pa.array(text.array, type=pa.large_string()), pa.float64())
        return pd.Series(values.to_numpy(zero_copy_only=False), index=text.index)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError):
        return pd.to_numeric(text, errors="coerce").astype(float)


def _numbers(frame, name, column, source, *, integer=False, low=None, high=None, required=True):
    text = frame[column].str.strip()
    values = _to_float(text)
    bad = values.isna() & (text.ne("") | required) if required else values.isna() & text.ne("")
    bad |= ~np.isfinite(values.fillna(0))
    if low is not None:
        bad |= values < low
    if high is not None:
        bad |= values > high
    if integer:
        bad |= values.notna() & (values != values.round())
    if bad.any():
        row = _first(bad)
        raise InputError(
            Problem.of(
                _where(source, name),
                "not a valid value",
                row=_row(frame, row),
                column=column,
                value=limits.echo(frame[column].iloc[row]),
                expected=_number_expected(integer, low, high),
            )
        )
    return values


def _number_expected(integer: bool, low, high, required: bool = False) -> str:
    """What a number field of the feed takes, by its message id."""
    what = "a whole number" if integer else "a number"
    if low is None:
        return what
    if high is None:
        return Message(what + " from {low}", low=low)
    tail = " (required for stops, stations and entrances)" if required else ""
    return Message(what + " from {low} to {high}" + tail, low=low, high=high)


def parse_time(text: pd.Series, name, column, source, *, required=False) -> np.ndarray:
    """GTFS times "HH:MM:SS" or "H:MM:SS" (hours may pass 24, up to 999) to seconds;
    empty → NaN (a stop that is not a timepoint), or an error when ``required``.

    Vectorised: the bytes of Arrow's string array are read by numpy at fixed offsets
    from each value's end (no Python loop, no regular expression per value)."""
    seconds, bad = _time_seconds(text)
    if required:
        bad |= np.isnan(seconds)
    if bad.any():
        row = _first(bad)
        raise InputError(
            Problem.of(
                _where(source, name),
                "not a GTFS time",
                row=_row(text, row) if isinstance(text, pd.Series) else row + 2,
                column=column,
                value=limits.echo(
                    str(text.iloc[row] if isinstance(text, pd.Series) else text[row])
                ),
                expected="HH:MM:SS (hours may pass 24, e.g. 25:10:00)",
            )
        )
    return seconds


def _time_seconds(text) -> tuple[np.ndarray, np.ndarray]:
    """(seconds or NaN, True where the value is neither blank nor a time)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = text.array if isinstance(text, pd.Series) else text
    array = pa.array(values, type=pa.large_string(), from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    array = pc.utf8_trim_whitespace(pc.fill_null(array, ""))
    n = len(array)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[array.offset : array.offset + n + 1]
    data = array.buffers()[2]
    data = (
        np.frombuffer(data, dtype=np.uint8)
        if data is not None and data.size
        else np.zeros(1, np.uint8)
    )
    end = offsets[1:]
    length = end - offsets[:-1]
    shaped = (length >= 7) & (length <= 9)
    at = np.where(shaped, end, 9)  # positions from each value's end, kept in the buffer

    def byte(back):
        return data[np.clip(at - back, 0, len(data) - 1)].astype(np.int64)

    digit = lambda b: (b >= 48) & (b <= 57)  # noqa: E731
    s1, s0, c1, m1, m0, c0 = byte(1), byte(2), byte(3), byte(4), byte(5), byte(6)
    ok = shaped & (c1 == 58) & (c0 == 58) & digit(s1) & digit(s0) & digit(m1) & digit(m0)
    ok &= (s0 <= 53) & (m0 <= 53)  # minutes and seconds below 60
    hours = np.zeros(n, dtype=np.int64)
    for k, scale in enumerate((1, 10, 100)):
        present = length >= 7 + k
        h = byte(7 + k)
        ok &= ~present | digit(h)
        hours += np.where(present, (h - 48) * scale, 0)
    seconds = np.where(
        ok, hours * 3600 + ((m0 - 48) * 10 + m1 - 48) * 60 + (s0 - 48) * 10 + s1 - 48, 0
    )
    out = np.where(ok, seconds.astype(float), np.nan)
    return out, ~ok & (length > 0)


def _dates(frame, name, column, source) -> pd.Series:
    text = frame[column].str.strip()
    dates = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
    bad = dates.isna()
    if bad.any():
        row = _first(bad)
        raise InputError(
            Problem.of(
                _where(source, name),
                "not a GTFS date",
                row=_row(frame, row),
                column=column,
                value=limits.echo(frame[column].iloc[row]),
                expected="YYYYMMDD",
            )
        )
    return dates.dt.date


def _unique(frame, name, column, source, values) -> None:
    duplicated = pd.Series(values).duplicated().to_numpy()
    if duplicated.any():
        row = _first(duplicated)
        raise InputError(
            Problem.of(
                _where(source, name),
                f"duplicate {column}",
                row=_row(frame, row),
                column=column,
                value=limits.echo(str(values[row])),
                expected=f"one row per {column}",
            )
        )


def _isin(values, known) -> np.ndarray:
    """``values`` in ``known`` (text arrays), by Arrow's hash kernel."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def arrow(v):
        v = v.array if isinstance(v, pd.Series | pd.Index) else v
        return pa.array(v, type=pa.large_string(), from_pandas=True)

    found = pc.is_in(arrow(values), value_set=arrow(known).unique())
    return found.to_numpy(zero_copy_only=False).astype(bool)


def _names_none(frame, name, column, source, values, known, target) -> None:
    bad = ~_isin(values, known)
    if bad.any():
        row = _first(bad)
        raise InputError(
            Problem.of(
                _where(source, name),
                f"{column} names no {target}",
                row=_row(frame, row),
                column=column,
                value=limits.echo(str(values[row])),
                expected=f"a {column} of {target}s.txt" if target != "route" else
                "a route_id of routes.txt",
            )
        )  # fmt: skip


def _ids(frame, column) -> pd.Series:
    """A text column without surrounding spaces (Arrow-backed, no Python objects), indexed
    from 0."""
    return frame[column].str.strip().reset_index(drop=True)


def read_gtfs(path: str | Path) -> Feed:
    """Read a GTFS feed (zip or folder). Bad data is an :class:`InputError` naming the
    file, its line (header = 1), the field, the value and what was expected; what can be
    read with a doubt (a file in Windows-1252, stops at 0,0…) is in ``Feed.warnings``.

    Parameters
    ----------
    path : str or pathlib.Path
        The feed: a zip or a folder of ``stops.txt``, ``routes.txt``, ``trips.txt``,
        ``stop_times.txt`` and the calendar (``calendar.txt`` and/or
        ``calendar_dates.txt``; ``frequencies.txt`` when there).

    Returns
    -------
    Feed
        The stops (with their parent stations), routes with their mode, trips, stop times
        (seconds from midnight, past 24:00:00 kept), the service calendar and
        ``warnings``, for :func:`qet_geo.transit_access`.

    Raises
    ------
    InputError
        A missing file or field, a bad value (file, line, field, value, expected).

    References
    ----------
    [GTFS-Schedule]: the files, fields, calendar and route types read;
    [TfL-PTAL-2015]: the modes they are sorted into. The page is ``docs/transit.md``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> feed = qg.read_gtfs("sample_data/gtfs")
    >>> len(feed.stops) > 0
    True
    """
    check_path(path, "read_gtfs", "path")
    path = Path(path)
    source = str(path)
    files = _Files(path)
    for name in REQUIRED:
        if not files.has(name):
            raise InputError(
                Problem.of(source, "missing GTFS file", value=name, expected=", ".join(REQUIRED))
            )
    what = {"stops.txt": "stops", "routes.txt": "routes", "trips.txt": "trips",
            "stop_times.txt": "stop times"}  # fmt: skip
    tables = {}
    for name, columns in REQUIRED.items():
        frame = files.table(name, what[name])
        _require(frame, name, columns, source)
        tables[name] = frame
    stops = _stops_table(tables["stops.txt"], source)
    # routes
    routes = tables["routes.txt"]
    route_type = _numbers(
        routes, "routes.txt", "route_type", source, integer=True, low=0, high=1799
    )
    route_ids = _ids(routes, "route_id")
    _unique(routes, "routes.txt", "route_id", source, route_ids)
    routes = pd.DataFrame(
        {
            "route_id": route_ids,
            "route_short_name": routes.get(
                "route_short_name", pd.Series("", index=routes.index)
            ).to_numpy(dtype=object),
            "route_type": route_type.astype(int).to_numpy(),
        }
    )
    routes["mode"] = [mode_of_route_type(t) for t in routes["route_type"]]
    # trips
    trips = tables["trips.txt"]
    trip_ids = _ids(trips, "trip_id")
    _unique(trips, "trips.txt", "trip_id", source, trip_ids)
    _names_none(trips, "trips.txt", "route_id", source, _ids(trips, "route_id"),
                routes["route_id"], "route")  # fmt: skip
    raw_trip_lines = trips.index.to_numpy()
    trips = pd.DataFrame(
        {
            "trip_id": trip_ids,
            "route_id": _ids(trips, "route_id"),
            "service_id": _ids(trips, "service_id"),
            "direction_id": _ids(trips, "direction_id") if "direction_id" in trips else "",
        }
    )
    stop_times = _stop_times_table(tables["stop_times.txt"], source)
    raw_st = tables["stop_times.txt"]
    _names_none(raw_st, "stop_times.txt", "trip_id", source, stop_times["trip_id"],
                trips["trip_id"], "trip")  # fmt: skip
    _names_none(raw_st, "stop_times.txt", "stop_id", source, stop_times["stop_id"],
                stops["stop_id"], "stop")  # fmt: skip
    del tables, raw_st
    stops, stop_times = _placed(stops, stop_times, source, files.warnings)
    files.warnings.extend(_isolated(stops, stop_times, source))
    calendar = calendar_dates = frequencies = None
    if files.has("calendar.txt"):
        calendar = _calendar_table(files.table("calendar.txt", None), source)
    if files.has("calendar_dates.txt"):
        calendar_dates = _calendar_dates_table(files.table("calendar_dates.txt", None), source)
    if (calendar is None or not len(calendar)) and (
        calendar_dates is None or not len(calendar_dates)
    ):
        raise InputError(
            Problem.of(
                source, "no service calendar", expected="calendar.txt and/or calendar_dates.txt"
            )
        )
    services = pd.concat(
        [t["service_id"] for t in (calendar, calendar_dates) if t is not None], ignore_index=True
    )
    never = ~_isin(trips["service_id"], services)
    if never.any():
        first = _first(never)
        files.warnings.append(
            Problem.of(_where(source, "trips.txt"),
                       "trips whose service_id is in no calendar: they never run",
                       row=int(raw_trip_lines[first]), column="service_id",
                       value=_names(pd.unique(trips["service_id"][never]), what="services"),
                       expected="a service_id of calendar.txt or calendar_dates.txt")
        )  # fmt: skip
    if files.has("frequencies.txt"):
        frequencies = _frequencies_table(
            files.table("frequencies.txt", None), source, trips["trip_id"]
        )
        if frequencies is not None:
            idle = ~_isin(frequencies["trip_id"], stop_times["trip_id"])
            if idle.any():
                first = _first(idle)
                files.warnings.append(
                    Problem.of(_where(source, "frequencies.txt"),
                               "trips without stop times: their frequencies give no departure",
                               row=int(frequencies["line"].iloc[first]), column="trip_id",
                               value=_names(pd.unique(frequencies["trip_id"][idle]), what="trips"),
                               expected="the trip's stops in stop_times.txt")
                )  # fmt: skip
            frequencies = frequencies.drop(columns="line")
    return Feed(source, stops, routes, trips, stop_times, calendar, calendar_dates, frequencies,
                warnings=files.warnings)  # fmt: skip


def _stops_table(raw: pd.DataFrame, source: str) -> pd.DataFrame:
    """stops.txt: ids unique, parents known, coordinates in range and not swapped
    (location types 3 and 4 may have none)."""
    where = _where(source, "stops.txt")
    for column in ("stop_lat", "stop_lon"):
        if column not in raw:
            raise InputError(Problem.of(where, "missing required GTFS field(s)", value=column))
    location_type = _numbers(
        raw, "stops.txt", "location_type", source, integer=True, low=0, high=4, required=False
    ) if "location_type" in raw else pd.Series(np.nan, index=raw.index)  # fmt: skip
    kind = location_type.fillna(0).astype(int).to_numpy()
    ids = _ids(raw, "stop_id")
    _unique(raw, "stops.txt", "stop_id", source, ids)
    parent = (
        np.asarray(_ids(raw, "parent_station"), dtype=object)
        if "parent_station" in raw
        else np.full(len(raw), "", dtype=object)
    )
    unknown = (parent != "") & ~_isin(parent, ids)
    if unknown.any():
        row = _first(unknown)
        raise InputError(
            Problem.of(where, "parent_station names no stop", row=_row(raw, row),
                       column="parent_station", value=limits.echo(str(parent[row])),
                       expected="a stop_id of stops.txt")
        )  # fmt: skip
    text = {c: raw[c].str.strip() for c in ("stop_lat", "stop_lon")}
    value = {c: pd.to_numeric(t, errors="coerce").astype(float).to_numpy() for c, t in text.items()}
    lat, lon = value["stop_lat"], value["stop_lon"]
    needed = kind <= 2
    for column, bound in (("stop_lat", 90), ("stop_lon", 180)):
        v, t = value[column], text[column].to_numpy(dtype=object)
        not_number = np.isnan(v) & ((t != "") | needed)
        if not_number.any():
            row = _first(not_number)
            raise InputError(
                Problem.of(where, "not a valid coordinate", row=_row(raw, row), column=column,
                           value=limits.echo(str(raw[column].iloc[row])),
                           expected=_number_expected(False, -bound, bound, t[row] == ""))
            )  # fmt: skip
    with np.errstate(invalid="ignore"):
        lat_out, lon_out = np.abs(lat) > 90, np.abs(lon) > 180
        placed = ~np.isnan(lat) & ~np.isnan(lon)
        if lat_out.any():
            swapped = lat_out & (np.abs(lon) <= 90) & (np.abs(lat) <= 180)
            row = _first(lat_out)
            if swapped.sum() == lat_out.sum():
                raise InputError(
                    Problem.of(where, Message("stop_lat and stop_lon look swapped: {swapped} "
                                              "of {stops} stops have a latitude beyond ±90° "
                                              "that would be a valid longitude",
                                              swapped=int(lat_out.sum()),
                                              stops=int(placed.sum())), row=_row(raw, row),
                               column="stop_lat",
                               value=f"{raw['stop_lat'].iloc[row]} / {raw['stop_lon'].iloc[row]}",
                               expected="the latitude in stop_lat and the longitude in stop_lon "
                               "(swap the two names in the header of stops.txt)")
                )  # fmt: skip
        bad = lat_out | lon_out
        if bad.any():
            row = _first(bad)
            column, bound = ("stop_lat", 90) if lat_out[row] else ("stop_lon", 180)
            raise InputError(
                Problem.of(where, "not a valid coordinate", row=_row(raw, row), column=column,
                           value=limits.echo(str(raw[column].iloc[row])),
                           expected=_number_expected(False, -bound, bound))
            )  # fmt: skip
    return pd.DataFrame(
        {
            "stop_id": ids,
            "stop_name": raw["stop_name"].to_numpy(dtype=object) if "stop_name" in raw else "",
            "location_type": kind,
            "parent_station": parent,
            "stop_lat": lat,
            "stop_lon": lon,
            "line": raw.index.to_numpy(),
        }
    )


def _names(ids, limit: int = 10, what: str = "stops") -> str:
    ids = [str(i) for i in ids]
    shown = ", ".join(ids[:limit])
    return shown + (f"… ({len(ids):,} {what})" if len(ids) > limit else "")


def _placed(stops: pd.DataFrame, stop_times: pd.DataFrame, source: str, warnings: list):
    """Stops with coordinates: those at 0,0 (the "null island" an exporter writes for a
    blank) and those without any (generic nodes and boarding areas, location_type 3 and 4)
    take their parent station's place when it has one, else are left out with their stop
    times, with a warning naming them; no stop placed at all is an error."""
    where = _where(source, "stops.txt")
    lat, lon = stops["stop_lat"].to_numpy(), stops["stop_lon"].to_numpy()
    zero = (lat == 0) & (lon == 0)
    missing = np.isnan(lat) | np.isnan(lon) | zero
    if not missing.any():
        return stops.drop(columns="line"), stop_times
    used = _isin(stops["stop_id"], stop_times["stop_id"])  # Arrow: pandas lists the values
    lat, lon = lat.copy(), lon.copy()
    lat[missing], lon[missing] = np.nan, np.nan
    by_id = pd.Series(np.arange(len(stops)), index=stops["stop_id"].to_numpy())
    parent = stops["parent_station"].to_numpy()
    for _ in range(2):  # a boarding area's platform, a platform's station
        todo = np.flatnonzero(np.isnan(lat) & (parent != ""))
        if not len(todo):
            break
        up = by_id.reindex(parent[todo]).to_numpy()
        lat[todo], lon[todo] = lat[up], lon[up]
    from_parent = missing & ~np.isnan(lat)
    left_out = np.isnan(lat)
    if (left_out | ~used).all():
        first = _first(zero | left_out)
        raise InputError(
            Problem.of(where, "no stop of stop_times.txt has coordinates (at 0,0 or none)",
                       row=int(stops["line"].iloc[first]), column="stop_lat",
                       value=f"{stops['stop_lat'].iloc[first]} / {stops['stop_lon'].iloc[first]}",
                       expected="each stop's latitude and longitude")
        )  # fmt: skip
    ids = stops["stop_id"].to_numpy()
    for mask, reason in (
        (zero & from_parent, "stops at 0,0 (blank coordinates?): placed at their parent station"),
        (zero & left_out, "stops at 0,0 (blank coordinates?): left out with their stop times"),
        (~zero & missing & used & from_parent,
         "stops of stop_times.txt without coordinates: placed at their parent station"),
        (~zero & missing & used & left_out,
         "stops of stop_times.txt without coordinates and without a parent station that has "
         "some: left out with their stop times"),
    ):  # fmt: skip
        if mask.any():
            first = _first(mask)
            warnings.append(
                Problem.of(where, reason, row=int(stops["line"].iloc[first]), column="stop_id",
                           value=_names(ids[mask]), expected="each stop's latitude and longitude")
            )  # fmt: skip
    stops = stops.assign(stop_lat=lat, stop_lon=lon)
    gone = stops["stop_id"][left_out]
    if len(gone):
        parent_gone = stops["parent_station"].isin(gone)
        stops.loc[parent_gone, "parent_station"] = ""  # platforms of a station left out
        stops = stops[~left_out]
        stop_times = stop_times[~stop_times["stop_id"].isin(gone)].reset_index(drop=True)
    return stops.drop(columns="line").reset_index(drop=True), stop_times


#: A stop is isolated when its nearest other stop is farther than this many kilometres and
#: than ``ISOLATED_RATIO`` times the feed's median nearest-stop distance (a long-distance
#: coach feed has stops tens of kilometres apart; a city's, a few hundred metres).
ISOLATED_KM, ISOLATED_RATIO = 50.0, 20.0


def _isolated(stops: pd.DataFrame, stop_times: pd.DataFrame, source: str) -> list[Problem]:
    """Warnings for the served stops far from every other (a stop's latitude and longitude
    swapped, a digit wrong): named, and said to look swapped when swapping them puts the stop
    among the others. The stops are kept as given: only the feed's producer can correct."""
    import shapely  # its STRtree: scipy.spatial's import alone took a third of a read

    served = _isin(stops["stop_id"], stop_times["stop_id"])
    lat = stops["stop_lat"].to_numpy(float)[served]
    lon = stops["stop_lon"].to_numpy(float)[served]
    if len(lat) < 3:
        return []
    middle = np.radians(np.median(lat))

    def km(y, x):  # equirectangular at the median latitude: enough to find outliers
        return np.column_stack([np.radians(x) * np.cos(middle), np.radians(y)]) * 6371.0

    points = km(lat, lon)
    tree = shapely.STRtree(shapely.points(points))

    def nearest_of(xy, exclusive):  # distance to the nearest stop (another one: exclusive)
        which, distance = tree.query_nearest(shapely.points(xy), exclusive=exclusive,
                                             return_distance=True, all_matches=False)  # fmt: skip
        out = np.full(len(xy), np.inf)
        np.minimum.at(out, which[0], distance)
        return out

    nearest = nearest_of(points, True)
    # "exclusive" leaves out stops at the very same place: their nearest is at 0 km
    _, twin_of, twins = np.unique(points, axis=0, return_inverse=True, return_counts=True)
    nearest[twins[twin_of.reshape(-1)] > 1] = 0.0
    limit = max(ISOLATED_KM, ISOLATED_RATIO * float(np.median(nearest)))
    far = nearest > limit
    if not far.any():
        return []
    ids = stops["stop_id"].to_numpy()[served]
    back = nearest_of(km(lon[far], lat[far]), False)  # the stop's coordinates swapped
    swapped = np.zeros(len(lat), bool)
    swapped[np.flatnonzero(far)] = back <= limit
    where = _where(source, "stops.txt")
    out = []
    for mask, reason in (
        (swapped, "stops whose latitude and longitude look swapped (swapped, they are among "
                  "the other stops): kept as given, their PTAL is wrong"),
        (far & ~swapped, "stops far from every other stop of the feed (over {km:.0f} km): "
                         "check their coordinates"),
    ):  # fmt: skip
        if mask.any():
            first = int(np.flatnonzero(mask)[0])
            out.append(
                Problem.of(where, Message(reason, km=limit), column="stop_lat / stop_lon",
                           value=f"{_names(ids[mask])} ({lat[first]:g} / {lon[first]:g})",
                           expected="each stop's latitude and longitude")
            )  # fmt: skip
    return out


def _stop_times_table(st: pd.DataFrame, source: str) -> pd.DataFrame:
    """stop_times.txt: departure in seconds from the service day's midnight (the arrival
    where the departure is blank; NaN at a stop that is not a timepoint)."""
    empty = pd.Series("", index=st.index, dtype="str")
    departure = parse_time(st.get("departure_time", empty), "stop_times.txt", "departure_time",
                           source)  # fmt: skip
    if "arrival_time" in st:
        blank = np.isnan(departure)
        if blank.any():
            arrival = parse_time(st["arrival_time"], "stop_times.txt", "arrival_time", source)
            departure = np.where(blank, arrival, departure)
        else:  # still checked: a malformed arrival is an error
            parse_time(st["arrival_time"], "stop_times.txt", "arrival_time", source)
    if np.isnan(departure).all():
        raise InputError(
            Problem.of(_where(source, "stop_times.txt"), "no stop time has a time",
                       column="departure_time",
                       expected="arrival_time and departure_time, at least at each trip's first "
                       "and last stop (HH:MM:SS)")
        )  # fmt: skip
    sequence = _numbers(
        st, "stop_times.txt", "stop_sequence", source, integer=True, low=0, high=None
    )
    trip_id = _ids(st, "trip_id")
    sequence = sequence.astype(np.int64).to_numpy()
    return pd.DataFrame(
        {
            "trip_id": trip_id,
            "stop_id": _ids(st, "stop_id"),
            "stop_sequence": sequence,
            "departure": _interpolated(departure, trip_id, sequence),
            "pickup_type": _ids(st, "pickup_type") if "pickup_type" in st else "",
        }
    )


def _interpolated(departure: np.ndarray, trip_id: pd.Series, sequence: np.ndarray):
    """Times of the stops that are not timepoints (blank in stop_times.txt), interpolated
    between the trip's timed stops before and after, by stop order (GTFS: "times are
    interpolated"); a blank before the trip's first time or after its last stays NaN."""
    missing = np.isnan(departure)
    if not missing.any():
        return departure
    codes = pd.factorize(trip_id)[0]
    order = np.lexsort((sequence, codes))
    times, trips = departure[order], codes[order]
    n = len(times)
    position = np.arange(n)
    known = ~np.isnan(times)
    before = np.maximum.accumulate(np.where(known, position, -1))
    after = np.minimum.accumulate(np.where(known, position, n)[::-1])[::-1]
    inside = ~known & (before >= 0) & (after < n)
    b, a = np.clip(before, 0, n - 1), np.clip(after, 0, n - 1)
    inside &= (trips[b] == trips) & (trips[a] == trips)
    share = (position - b) / np.maximum(a - b, 1)
    times = np.where(inside, times[b] + (times[a] - times[b]) * share, times)
    out = np.empty_like(departure)
    out[order] = np.round(times)  # whole seconds; NaN stays NaN
    return out


def _calendar_table(c: pd.DataFrame | None, source: str) -> pd.DataFrame | None:
    if c is None:
        return None
    _require(c, "calendar.txt", ("service_id", *WEEKDAYS, "start_date", "end_date"), source)
    calendar = pd.DataFrame({"service_id": _ids(c, "service_id")})
    for day in WEEKDAYS:
        calendar[day] = (
            _numbers(c, "calendar.txt", day, source, integer=True, low=0, high=1)
            .astype(int)
            .to_numpy()
        )
    calendar["start_date"] = _dates(c, "calendar.txt", "start_date", source).to_numpy()
    calendar["end_date"] = _dates(c, "calendar.txt", "end_date", source).to_numpy()
    after = (calendar["start_date"] > calendar["end_date"]).to_numpy(dtype=bool)
    if after.any():
        row = _first(after)
        raise InputError(
            Problem.of(_where(source, "calendar.txt"), "start_date after end_date",
                       row=_row(c, row), column="start_date",
                       value=f"{c['start_date'].iloc[row].strip()} > {c['end_date'].iloc[row].strip()}",
                       expected="a start_date on or before the end_date (YYYYMMDD)")
        )  # fmt: skip
    return calendar


def _calendar_dates_table(c: pd.DataFrame | None, source: str) -> pd.DataFrame | None:
    if c is None:
        return None
    _require(c, "calendar_dates.txt", ("service_id", "date", "exception_type"), source)
    return pd.DataFrame(
        {
            "service_id": _ids(c, "service_id"),
            "date": _dates(c, "calendar_dates.txt", "date", source).to_numpy(),
            "exception_type": _numbers(
                c, "calendar_dates.txt", "exception_type", source, integer=True, low=1, high=2
            ).astype(int).to_numpy(),
        }
    )  # fmt: skip


def _frequencies_table(f: pd.DataFrame | None, source: str, trip_ids) -> pd.DataFrame | None:
    """frequencies.txt: a known trip, start before end, a headway of a whole number of
    seconds from 1."""
    if f is None:
        return None
    name = "frequencies.txt"
    _require(f, name, ("trip_id", "start_time", "end_time", "headway_secs"), source)
    ids = _ids(f, "trip_id")
    _names_none(f, name, "trip_id", source, ids, trip_ids, "trip")
    start = parse_time(f["start_time"], name, "start_time", source, required=True)
    end = parse_time(f["end_time"], name, "end_time", source, required=True)
    backwards = end <= start
    if backwards.any():
        row = _first(backwards)
        raise InputError(
            Problem.of(_where(source, name), "end_time not after start_time", row=_row(f, row),
                       column="end_time",
                       value=f"{f['start_time'].iloc[row].strip()}–{f['end_time'].iloc[row].strip()}",
                       expected="an end_time after the start_time (HH:MM:SS, hours may pass 24)")
        )  # fmt: skip
    headway = _numbers(f, name, "headway_secs", source, integer=True, low=1, high=None)
    return pd.DataFrame({"trip_id": ids, "start": start, "end": end,
                         "headway": headway.to_numpy(), "line": f.index.to_numpy()})  # fmt: skip


def service_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD (and nothing else: not 20260310, not 2026-3-10), or a
    ValueError saying why."""
    value = str(text).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("not YYYY-MM-DD")
    return dt.date.fromisoformat(value)


def parse_date(text, option: str = "--date") -> dt.date | None:
    """A service day given as text (``--date``, the TOML key, the Processing parameter):
    None when blank, else the date; a :class:`ParameterError` naming ``option`` and the
    format YYYY-MM-DD when it is not a real date (2026-02-30)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if isinstance(text, dt.date) and not isinstance(text, dt.datetime):
        return text
    value = str(text).strip()
    try:
        return service_date(value)
    except ValueError as exc:
        raise ParameterError(
            tr("{option} {value!r}: not a date ({reason}); expected a date YYYY-MM-DD, e.g. "
               "2026-03-10", option=option, value=limits.echo(value), reason=tr(str(exc)))
        ) from exc  # fmt: skip


def stops_near_areas(feed: Feed, bounds_lonlat, margin: float = 0.02) -> list[Problem]:
    """Check the stops against the areas' extent (``bounds_lonlat``: lon/lat min/max):
    when no stop is near the areas but some are once latitude and longitude are swapped,
    the columns are swapped (an InputError saying so); when none is near either way, a
    warning (every PTAL would be 0)."""
    lon_min, lat_min, lon_max, lat_max = bounds_lonlat
    lat, lon = feed.stops["stop_lat"].to_numpy(), feed.stops["stop_lon"].to_numpy()

    def near(y, x):
        return (
            (y >= lat_min - margin) & (y <= lat_max + margin)
            & (x >= lon_min - margin) & (x <= lon_max + margin)
        )  # fmt: skip

    if not len(lat) or near(lat, lon).any():
        return []
    where = _where(feed.source, "stops.txt")
    box = f"{lon_min:.3f}, {lat_min:.3f} – {lon_max:.3f}, {lat_max:.3f}"
    swapped = near(lon, lat)
    if swapped.any():
        first = _first(swapped)
        raise InputError(
            Problem.of(where, Message("stop_lat and stop_lon look swapped: no stop is near "
                                      "the areas, {swapped} of {stops} are once swapped",
                                      swapped=int(swapped.sum()), stops=len(lat)),
                       column="stop_lat", value=f"{lat[first]:g} / {lon[first]:g}",
                       expected=Message("stops near the areas (lon/lat {box}): swap the names "
                                        "stop_lat and stop_lon in the header of stops.txt",
                                        box=box))
        )  # fmt: skip
    return [
        Problem.of(where, "no stop of the feed is near the areas: PTAL is 0 everywhere",
                   value=f"{np.nanmin(lon):.3f}, {np.nanmin(lat):.3f} – "
                   f"{np.nanmax(lon):.3f}, {np.nanmax(lat):.3f}",
                   expected=Message("a feed whose stops serve the areas (lon/lat {box})",
                                    box=box))
    ]  # fmt: skip


# ---------------------------------------------------------------------- service days
def active_services(feed: Feed, date: dt.date) -> set[str]:
    """Services running on ``date``: calendar.txt (weekday and validity) with
    calendar_dates.txt additions (1) and removals (2)."""
    services = set()
    if feed.calendar is not None:
        c = feed.calendar
        day = WEEKDAYS[date.weekday()]
        running = (c[day] == 1) & (c["start_date"] <= date) & (c["end_date"] >= date)
        services = set(c.loc[running, "service_id"])
    if feed.calendar_dates is not None:
        d = feed.calendar_dates[feed.calendar_dates["date"] == date]
        services |= set(d.loc[d["exception_type"] == 1, "service_id"])
        services -= set(d.loc[d["exception_type"] == 2, "service_id"])
    return services


def validity(feed: Feed) -> tuple[dt.date, dt.date]:
    dates = []
    if feed.calendar is not None and len(feed.calendar):
        dates += [feed.calendar["start_date"].min(), feed.calendar["end_date"].max()]
    if feed.calendar_dates is not None and len(feed.calendar_dates):
        dates += [feed.calendar_dates["date"].min(), feed.calendar_dates["date"].max()]
    return min(dates), max(dates)


def typical_weekday(feed: Feed) -> dt.date:
    """The busiest weekday (Monday to Friday) within the feed's validity: the date with the
    most trips running; the earliest of equal dates. (A holiday with fewer trips is never
    chosen; a feed whose weekdays all match gives its first weekday.)"""
    start, end = validity(feed)
    trips_per_service = feed.trips.groupby("service_id").size()
    # The count of a weekday only changes where a calendar row starts or ends and on the
    # dates of calendar_dates.txt: the first date of each weekday after each such change
    # is where the earliest busiest date can be (no walk over decades of validity).
    changes = {start}
    if feed.calendar is not None:
        changes.update(feed.calendar["start_date"])
        changes.update(d + dt.timedelta(days=1) for d in feed.calendar["end_date"] if d < end)
    if feed.calendar_dates is not None:
        dates = set(feed.calendar_dates["date"])
        changes.update(dates)
        changes.update(d + dt.timedelta(days=1) for d in dates if d < end)
    changes = sorted(d for d in changes if start <= d <= end)
    candidates = set()
    for i, low in enumerate(changes):
        high = changes[i + 1] - dt.timedelta(days=1) if i + 1 < len(changes) else end
        for weekday in range(5):
            offset = (weekday - low.weekday()) % 7
            if (high - low).days >= offset:
                candidates.add(low + dt.timedelta(days=offset))
    best, best_count = None, -1
    for day in sorted(candidates):
        count = int(sum(trips_per_service.get(s, 0) for s in active_services(feed, day)))
        if count > best_count:
            best, best_count = day, count
    if best is None:
        raise InputError(
            Problem.of(feed.source, "no weekday in the feed's validity", value=f"{start}–{end}")
        )
    return best


def departures(feed: Feed, date: dt.date) -> pd.DataFrame:
    """Every departure of the service day ``date``: stop_id, route_id, direction_id, mode,
    departure (seconds from the day's midnight). Trips of frequencies.txt are expanded
    (start, start + headway, … before end), the last stop of a trip and stops with no
    pickup (pickup_type 1) are left out: nobody boards there."""
    services = active_services(feed, date)
    trips = feed.trips[feed.trips["service_id"].isin(services)]
    st = feed.stop_times[_isin(feed.stop_times["trip_id"], trips["trip_id"])]
    st = st.sort_values(["trip_id", "stop_sequence"], kind="stable")
    last = ~st["trip_id"].duplicated(keep="last")
    st = st[~last & st["pickup_type"].ne("1")]
    if feed.frequencies is not None and len(feed.frequencies):
        freq = feed.frequencies[feed.frequencies["trip_id"].isin(trips["trip_id"])]
        expanded = st[~st["trip_id"].isin(freq["trip_id"])]
        _check_expansion(feed, freq, st, len(expanded))
        parts = [expanded]
        first_departure = feed.stop_times.groupby("trip_id")["departure"].min()
        for row in freq.itertuples(index=False):
            starts = np.arange(row.start, row.end, row.headway)
            template = st[st["trip_id"] == row.trip_id]
            if len(starts) == 0 or len(template) == 0:
                continue  # a trip without stop times (warned when read) has no departure
            offsets = template["departure"].to_numpy() - first_departure[row.trip_id]
            copy = template.loc[template.index.repeat(len(starts))].copy()
            copy["departure"] = np.tile(offsets, len(starts)) + np.repeat(starts, len(template))
            parts.append(copy)
        st = pd.concat(parts, ignore_index=True)
    out = st.merge(trips[["trip_id", "route_id", "direction_id"]], on="trip_id")
    out = out.merge(feed.routes[["route_id", "mode"]], on="route_id")
    return out[["stop_id", "route_id", "direction_id", "mode", "departure"]]


def window_problems(deps: pd.DataFrame, window: tuple, day: dt.date, source) -> list[Problem]:
    """A warning when no departure of :func:`departures` falls in ``window`` (start, end in
    seconds from the service day's midnight): PTAL is then 0 everywhere, which would pass
    for a place without transit. GTFS writes the times of a service day's trips past
    midnight as 24:00 and more, and they are kept: a window 25:00-26:00 counts the
    departures the feed writes 25:10."""
    times = deps["departure"].to_numpy(dtype=float)
    start, end = window
    if not len(times) or ((times >= start) & (times < end)).any():
        return []
    return [Problem.of(
        _where(source, "stop_times.txt"), "no departure in the time window: PTAL is 0 everywhere",
        value=f"{_clock(start)}-{_clock(end)} ({day.isoformat()})",
        expected=Message("a window between the first and the last departure of the day "
                         "({first} to {last}; after midnight: 24:00 and more)",
                         first=_clock(times.min()), last=_clock(times.max())),
    )]  # fmt: skip


def _clock(seconds: float) -> str:
    """Seconds from midnight as GTFS writes them: HH:MM, past 24:00 for the trips after it."""
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _check_expansion(feed: Feed, freq: pd.DataFrame, st: pd.DataFrame, others: int) -> None:
    """Refuse frequencies that expand into more departures than the limit ``departures``,
    counted before any is made (a headway of 1 s over 999 h is 3.6 million trips)."""
    spans = (freq["end"] - freq["start"]).clip(lower=0).to_numpy(dtype=float)
    trips = np.ceil(spans / freq["headway"].to_numpy(dtype=float))
    stops = freq["trip_id"].map(st.groupby("trip_id").size()).fillna(0).to_numpy(dtype=float)
    per_row = trips * stops
    total = others + per_row.sum()
    if total > limits.get("departures"):
        worst = int(np.argmax(per_row))
        raise limits.refuse(
            _where(feed.source, "frequencies.txt"),
            "departures",
            int(total),
            "the departures of the service day (frequencies.txt expanded)",
            row=int(freq.index[worst]) + 2,
            column="headway_secs",
        )


def feed_geometry(feed: Feed):
    """What a map shows of ``feed``: (the stops — boarding stops, not platforms' parents:
    stop_id, stop_name, stop_lat, stop_lon —, one line per route: (name, colour
    "#RRGGBB", [(lat, lon)…]) along the stop sequence of its longest trip)."""
    used = feed.stop_times["stop_id"].unique()
    stops = feed.stops[feed.stops["stop_id"].isin(used)][
        ["stop_id", "stop_name", "stop_lat", "stop_lon"]
    ]
    lines = []
    longest = feed.stop_times.groupby("trip_id").size()
    trips = feed.trips.assign(n=feed.trips["trip_id"].map(longest)).sort_values(
        "n", ascending=False
    )
    colours = dict(
        zip(
            feed.routes["route_id"],
            feed.routes.get("route_color", pd.Series(dtype=str)),
            strict=False,
        )
    )
    names = dict(zip(feed.routes["route_id"], feed.routes["route_short_name"], strict=True))
    position = feed.stops.set_index("stop_id")[["stop_lat", "stop_lon"]]
    for route_id, group in trips.groupby("route_id", sort=True):
        trip = group.iloc[0]["trip_id"]
        sequence = feed.stop_times[feed.stop_times["trip_id"] == trip].sort_values("stop_sequence")
        coords = position.reindex(sequence["stop_id"]).dropna().to_numpy().tolist()
        colour = colours.get(route_id) or "333333"
        colour = (
            "#" + str(colour).lstrip("#")
            if re.fullmatch(r"#?[0-9A-Fa-f]{6}", str(colour))
            else "#333333"
        )
        lines.append((str(names.get(route_id) or route_id), colour, coords))
    return stops, lines
