"""GTFS feeds (zip or folder): stops with parent stations, routes with basic and extended
route types, trips, stop_times past midnight, calendar and calendar_dates, frequencies.

Errors name the file, the row (its line in the file, header = 1) and the field.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import limits
from ..errors import InputError, Problem

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
    ``calendar_dates``, ``frequencies`` (or None)."""

    source: str
    stops: pd.DataFrame
    routes: pd.DataFrame
    trips: pd.DataFrame
    stop_times: pd.DataFrame
    calendar: pd.DataFrame | None
    calendar_dates: pd.DataFrame | None
    frequencies: pd.DataFrame | None


class _Files:
    def __init__(self, path: Path):
        self.path = path
        self.zip = None
        if path.is_file():
            try:
                self.zip = zipfile.ZipFile(path)
            except zipfile.BadZipFile as exc:
                raise InputError(Problem.of(str(path), "not a GTFS zip or folder")) from exc
            names = {Path(n).name: n for n in self.zip.namelist() if not n.endswith("/")}
            self.names = names
        elif path.is_dir():
            self.names = {p.name: p for p in path.iterdir() if p.is_file()}
        else:
            raise InputError(Problem.of(str(path), "file not found"))

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> pd.DataFrame:
        if self.zip is not None:
            raw = limits.read_member(self.zip, self.names[name], str(self.path))  # capped
        else:
            limits.check_file_size(self.names[name], "inflated_bytes")
            raw = Path(self.names[name]).read_bytes()
        frame = pd.read_csv(
            io.BytesIO(raw),
            encoding="utf-8-sig",
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
        )
        frame.columns = [c.strip() for c in frame.columns]
        return frame


def _where(source, name) -> str:
    return f"{source} [{name}]"


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


def _numbers(frame, name, column, source, *, integer=False, low=None, high=None, required=True):
    text = frame[column].str.strip()
    values = pd.to_numeric(text, errors="coerce")
    bad = (values.isna() & (text.ne("") | required)) if required else (values.isna() & text.ne(""))
    if low is not None:
        bad |= values < low
    if high is not None:
        bad |= values > high
    if integer:
        bad |= values.notna() & (values != values.round())
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            Problem.of(
                _where(source, name),
                "not a valid value",
                row=row + 2,
                column=column,
                value=frame[column].iloc[row],
                expected=("a whole number" if integer else "a number")
                + (f" from {low} to {high}" if low is not None and high is not None else ""),
            )
        )
    return values


def parse_time(text: pd.Series, name, column, source) -> np.ndarray:
    """GTFS times "H:MM:SS" (hours may pass 24) to seconds; empty → NaN."""
    stripped = text.str.strip()
    parts = stripped.str.extract(r"^(\d{1,3}):([0-5]\d):([0-5]\d)$")
    seconds = parts[0].astype(float) * 3600 + parts[1].astype(float) * 60 + parts[2].astype(float)
    bad = seconds.isna() & stripped.ne("")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            Problem.of(
                _where(source, name),
                "not a GTFS time",
                row=row + 2,
                column=column,
                value=text.iloc[row],
                expected="HH:MM:SS (hours may pass 24, e.g. 25:10:00)",
            )
        )
    return seconds.to_numpy(dtype=float)


def _dates(frame, name, column, source) -> pd.Series:
    text = frame[column].str.strip()
    dates = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
    bad = dates.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            Problem.of(
                _where(source, name),
                "not a GTFS date",
                row=row + 2,
                column=column,
                value=frame[column].iloc[row],
                expected="YYYYMMDD",
            )
        )
    return dates.dt.date


def read_gtfs(path: str | Path) -> Feed:
    """Read a GTFS feed (zip or folder)."""
    path = Path(path)
    source = str(path)
    files = _Files(path)
    for name in REQUIRED:
        if not files.has(name):
            raise InputError(
                Problem.of(source, "missing GTFS file", value=name, expected=", ".join(REQUIRED))
            )
    tables = {}
    for name, columns in REQUIRED.items():
        frame = files.read(name)
        _require(frame, name, columns, source)
        tables[name] = frame
    # stops
    stops = tables["stops.txt"]
    for column in ("location_type", "parent_station"):
        if column not in stops:
            stops[column] = ""
    location_type = _numbers(
        stops, "stops.txt", "location_type", source, integer=True, low=0, high=4, required=False
    )
    stops = pd.DataFrame(
        {
            "stop_id": stops["stop_id"].str.strip(),
            "stop_name": stops.get("stop_name", pd.Series("", index=stops.index)),
            "location_type": location_type.fillna(0).astype(int).to_numpy(),
            "parent_station": stops["parent_station"].str.strip(),
        }
    ).assign(
        stop_lat=_coordinates(tables["stops.txt"], "stop_lat", source, -90, 90, location_type),
        stop_lon=_coordinates(tables["stops.txt"], "stop_lon", source, -180, 180, location_type),
    )
    duplicated = stops["stop_id"].duplicated()
    if duplicated.any():
        row = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise InputError(
            Problem.of(
                _where(source, "stops.txt"),
                "duplicate stop_id",
                row=row + 2,
                column="stop_id",
                value=stops["stop_id"].iloc[row],
            )  # fmt: skip
        )
    parents = stops["parent_station"].ne("") & ~stops["parent_station"].isin(stops["stop_id"])
    if parents.any():
        row = int(np.flatnonzero(parents.to_numpy())[0])
        raise InputError(
            Problem.of(
                _where(source, "stops.txt"),
                "parent_station names no stop",
                row=row + 2,
                column="parent_station",
                value=stops["parent_station"].iloc[row],
            )  # fmt: skip
        )
    # routes
    routes = tables["routes.txt"]
    route_type = _numbers(
        routes, "routes.txt", "route_type", source, integer=True, low=0, high=1799
    )
    routes = pd.DataFrame(
        {
            "route_id": routes["route_id"].str.strip(),
            "route_short_name": routes.get("route_short_name", pd.Series("", index=routes.index)),
            "route_type": route_type.astype(int).to_numpy(),
        }
    )
    routes["mode"] = [mode_of_route_type(t) for t in routes["route_type"]]
    # trips
    trips = tables["trips.txt"]
    if "direction_id" not in trips:
        trips["direction_id"] = ""
    unknown = ~trips["route_id"].str.strip().isin(routes["route_id"])
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(
            Problem.of(
                _where(source, "trips.txt"),
                "route_id names no route",
                row=row + 2,
                column="route_id",
                value=trips["route_id"].iloc[row],
            )  # fmt: skip
        )
    trips = pd.DataFrame(
        {
            "trip_id": trips["trip_id"].str.strip(),
            "route_id": trips["route_id"].str.strip(),
            "service_id": trips["service_id"].str.strip(),
            "direction_id": trips["direction_id"].str.strip(),
        }
    )
    # stop_times
    st = tables["stop_times.txt"]
    for column in ("arrival_time", "departure_time", "pickup_type"):
        if column not in st:
            st[column] = ""
    departure = parse_time(st["departure_time"], "stop_times.txt", "departure_time", source)
    arrival = parse_time(st["arrival_time"], "stop_times.txt", "arrival_time", source)
    departure = np.where(np.isnan(departure), arrival, departure)
    sequence = _numbers(
        st, "stop_times.txt", "stop_sequence", source, integer=True, low=0, high=None
    )
    stop_times = pd.DataFrame(
        {
            "trip_id": st["trip_id"].str.strip().to_numpy(),
            "stop_id": st["stop_id"].str.strip().to_numpy(),
            "stop_sequence": sequence.astype(np.int64).to_numpy(),
            "departure": departure,
            "pickup_type": st["pickup_type"].str.strip().to_numpy(),
        }
    )
    for column, known, target in (
        ("trip_id", trips["trip_id"], "trip"),
        ("stop_id", stops["stop_id"], "stop"),
    ):
        bad = ~stop_times[column].isin(known)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                Problem.of(
                    _where(source, "stop_times.txt"),
                    f"{column} names no {target}",
                    row=row + 2,
                    column=column,
                    value=stop_times[column].iloc[row],
                )  # fmt: skip
            )
    calendar = calendar_dates = frequencies = None
    if files.has("calendar.txt"):
        c = files.read("calendar.txt")
        _require(c, "calendar.txt", ("service_id", *WEEKDAYS, "start_date", "end_date"), source)
        calendar = pd.DataFrame({"service_id": c["service_id"].str.strip()})
        for day in WEEKDAYS:
            calendar[day] = _numbers(
                c, "calendar.txt", day, source, integer=True, low=0, high=1
            ).astype(int)
        calendar["start_date"] = _dates(c, "calendar.txt", "start_date", source)
        calendar["end_date"] = _dates(c, "calendar.txt", "end_date", source)
    if files.has("calendar_dates.txt"):
        c = files.read("calendar_dates.txt")
        _require(c, "calendar_dates.txt", ("service_id", "date", "exception_type"), source)
        calendar_dates = pd.DataFrame(
            {
                "service_id": c["service_id"].str.strip(),
                "date": _dates(c, "calendar_dates.txt", "date", source),
                "exception_type": _numbers(
                    c, "calendar_dates.txt", "exception_type", source, integer=True, low=1, high=2
                ).astype(int),  # fmt: skip
            }
        )
    if calendar is None and calendar_dates is None:
        raise InputError(
            Problem.of(
                source, "no service calendar", expected="calendar.txt and/or calendar_dates.txt"
            )
        )
    if files.has("frequencies.txt"):
        f = files.read("frequencies.txt")
        _require(
            f, "frequencies.txt", ("trip_id", "start_time", "end_time", "headway_secs"), source
        )
        frequencies = pd.DataFrame(
            {
                "trip_id": f["trip_id"].str.strip(),
                "start": parse_time(f["start_time"], "frequencies.txt", "start_time", source),
                "end": parse_time(f["end_time"], "frequencies.txt", "end_time", source),
                "headway": _numbers(
                    f, "frequencies.txt", "headway_secs", source, low=1, high=None
                ).to_numpy(),
            }
        )
    return Feed(source, stops, routes, trips, stop_times, calendar, calendar_dates, frequencies)


def _coordinates(frame, column, source, low, high, location_type):
    """Latitude or longitude; required for stops, stations and entrances (types 0–2)."""
    if column not in frame:
        raise InputError(
            Problem.of(_where(source, "stops.txt"), "missing required GTFS field(s)", value=column)
        )
    text = frame[column].str.strip()
    values = pd.to_numeric(text, errors="coerce")
    needed = location_type.fillna(0) <= 2
    bad = (values.isna() & needed) | (values < low) | (values > high)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            Problem.of(
                _where(source, "stops.txt"),
                "not a valid coordinate",
                row=row + 2,
                column=column,
                value=frame[column].iloc[row],
                expected=f"a number from {low} to {high}",
            )  # fmt: skip
        )
    return values.to_numpy(dtype=float)


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
    st = feed.stop_times[feed.stop_times["trip_id"].isin(trips["trip_id"])]
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
            offsets = template["departure"].to_numpy() - first_departure[row.trip_id]
            if len(starts) == 0 or len(template) == 0:
                continue
            copy = template.loc[template.index.repeat(len(starts))].copy()
            copy["departure"] = np.tile(offsets, len(starts)) + np.repeat(starts, len(template))
            parts.append(copy)
        st = pd.concat(parts, ignore_index=True)
    out = st.merge(trips[["trip_id", "route_id", "direction_id"]], on="trip_id")
    out = out.merge(feed.routes[["route_id", "mode"]], on="route_id")
    return out[["stop_id", "route_id", "direction_id", "mode", "departure"]]


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
            f"{int(total):,}",
            "the departures of the service day (frequencies.txt expanded)",
            row=int(freq.index[worst]) + 2,
            column="headway_secs",
        )
