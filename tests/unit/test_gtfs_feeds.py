"""Malformed GTFS feeds written as real files (the sample feed with one file changed), read
by ``read_gtfs`` and by the command line: each is a clear error naming the file, the line
(header = line 1), the field, the value and what was expected, or a correct result with a
warning; never a traceback, never exit 0 with a silently wrong result (issue 12)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from qet_geo.errors import InputError, ParameterError
from qet_geo.transit import read_gtfs, transit_access, typical_weekday
from qet_geo.transit.gtfs import departures, parse_date, parse_time

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "sample_data" / "gtfs"
AREAS = ROOT / "sample_data" / "quartier.gpkg"
# ../shared/data from the repository (a worktree of it one folder deeper)
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")  # fmt: skip
RENNES = SHARED / "data" / "gtfs" / "rennes-star-2012-05.zip"


def text(name: str) -> str:
    return (BASE / name).read_text(encoding="utf-8")


def lines(name: str) -> list[str]:
    return text(name).splitlines()


def feed(tmp_path: Path, folder: str = "feed", **files) -> Path:
    """The sample feed with files replaced (``stops_txt="…"`` or bytes; None removes)."""
    target = tmp_path / folder
    shutil.copytree(BASE, target)
    for key, content in files.items():
        path = target / key.replace("_txt", ".txt")
        if content is None:
            path.unlink()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return target


def replaced(name: str, line: int, new: str) -> str:
    """``name``'s text with its ``line`` (header = 1) replaced by ``new``."""
    rows = lines(name)
    rows[line - 1] = new
    return "\n".join(rows) + "\n"


def cli(path: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QET_GEO_LANG": "en"}
    out = tmp_path / f"ptal-{len(list(tmp_path.glob('ptal-*')))}.gpkg"
    return subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "transit", "ptal", str(path), "--areas", str(AREAS),
         "--areas-layer", "iris", "--grid", "200", "-o", str(out), *extra],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
    )  # fmt: skip


def refused(path: Path, tmp_path: Path, *words: str, cli_too: bool = True) -> InputError:
    """read_gtfs raises an InputError whose message holds ``words``; so does the command
    line (exit 2, no traceback)."""
    with pytest.raises(InputError) as error:
        read_gtfs(path)
    message = str(error.value)
    for word in words:
        assert word in message, (word, message)
    if cli_too:
        run = cli(path, tmp_path)
        assert run.returncode == 2, run.stderr
        assert "Traceback" not in run.stderr
        for word in words:
            assert word in run.stderr, (word, run.stderr)
    return error.value


# ------------------------------------------------------------------ coordinates
def test_swapped_lat_lon_found_from_the_areas_extent(tmp_path):
    rows = lines("stops.txt")
    header = rows[0].split(",")
    i, j = header.index("stop_lat"), header.index("stop_lon")
    header[i], header[j] = header[j], header[i]  # the header names the columns the wrong way
    bad = feed(tmp_path, stops_txt="\n".join([",".join(header), *rows[1:]]) + "\n")
    # Valmont's stops are at 48.9 N, 1.9 E: swapped, every "latitude" is 1.9 — within ±90:
    # only the areas' extent can tell
    with pytest.raises(InputError) as error:
        transit_access(read_gtfs(bad), _areas())
    message = str(error.value)
    assert "stop_lat and stop_lon look swapped" in message and "stops.txt" in message
    assert "swap the names stop_lat and stop_lon" in message
    run = cli(bad, tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "look swapped" in run.stderr


def test_swapped_lat_lon_beyond_90_is_an_error_at_the_first_row(tmp_path):
    # San Francisco: its longitude -122.4 written as the latitude is beyond ±90 everywhere
    rows = lines("stops.txt")
    out = [rows[0]]
    for k, row in enumerate(rows[1:]):
        cells = row.split(",")
        cells[2], cells[3] = f"{-122.42 - k / 1000:.5f}", f"{37.77 + k / 1000:.5f}"
        out.append(",".join(cells))
    bad = feed(tmp_path, stops_txt="\n".join(out) + "\n")
    error = refused(bad, tmp_path, "stops.txt", "row 2", "'stop_lat'", "look swapped",
                    f"{len(out) - 1} of {len(out) - 1} stops")  # fmt: skip
    assert error.problems[0].row == 2


def test_stops_at_0_0_are_left_out_with_a_warning(tmp_path):
    rows = lines("stops.txt")
    cells = rows[1].split(",")
    stop = cells[0]
    cells[2], cells[3] = "0", "0"
    bad = feed(tmp_path, stops_txt=replaced("stops.txt", 2, ",".join(cells)))
    result = read_gtfs(bad)
    assert stop not in set(result.stops["stop_id"])
    assert stop not in set(result.stop_times["stop_id"])
    assert len(result.stop_times) < len(read_gtfs(BASE).stop_times)
    (warning,) = result.warnings
    assert warning.row == 2 and stop in warning.value and "0,0" in warning.reason
    run = cli(bad, tmp_path, "--date", "2026-03-10")
    assert run.returncode == 0, run.stderr
    assert "warning" in run.stderr and stop in run.stderr and "0,0" in run.stderr


def test_every_stop_at_0_0_is_an_error(tmp_path):
    rows = lines("stops.txt")
    out = [rows[0]]
    for row in rows[1:]:
        cells = row.split(",")
        cells[2], cells[3] = "0.0", "0.0"
        out.append(",".join(cells))
    refused(feed(tmp_path, stops_txt="\n".join(out) + "\n"), tmp_path, "stops.txt",
            "no stop of stop_times.txt has coordinates")  # fmt: skip


def test_generic_node_without_coordinates_used_in_stop_times(tmp_path):
    # a stop_times row at a generic node (location_type 3) without coordinates: placed at
    # its parent station; a boarding area (4) without parent: left out with a warning
    rows = lines("stops.txt")
    station = rows[1].split(",")
    stations = station[:]
    stations[0], stations[4], stations[5] = "ST_X", "1", ""
    node = ["NODE_X", "node", "", "", "3", "ST_X", ""]
    area = ["AREA_X", "boarding area", "", "", "4", "", ""]
    stops = "\n".join([*rows, ",".join(stations), ",".join(node), ",".join(area)]) + "\n"
    st = lines("stop_times.txt")
    first = st[1].split(",")
    second = st[2].split(",")
    first[3], second[3] = "NODE_X", "AREA_X"
    st[1], st[2] = ",".join(first), ",".join(second)
    bad = feed(tmp_path, stops_txt=stops, stop_times_txt="\n".join(st) + "\n")
    result = read_gtfs(bad)
    placed = result.stops.set_index("stop_id")
    assert placed.loc["NODE_X", "stop_lat"] == pytest.approx(float(station[2]))
    assert "AREA_X" not in placed.index and "AREA_X" not in set(result.stop_times["stop_id"])
    reasons = " | ".join(f"{w.reason}: {w.value}" for w in result.warnings)
    assert "placed at their parent station: NODE_X" in reasons
    assert "left out with their stop times: AREA_X" in reasons
    run = cli(bad, tmp_path, "--date", "2026-03-10")
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert "NODE_X" in run.stderr and "AREA_X" in run.stderr


def test_no_stop_near_the_areas_is_a_warning(tmp_path):
    # a feed of another town: PTAL 0 everywhere is said, not silent
    rows = lines("stops.txt")
    out = [rows[0]]
    for row in rows[1:]:
        cells = row.split(",")
        cells[2], cells[3] = f"{float(cells[2]) - 5:.6f}", cells[3]
        out.append(",".join(cells))
    bad = feed(tmp_path, stops_txt="\n".join(out) + "\n")
    result = transit_access(read_gtfs(bad), _areas(), date=_day())
    assert any("no stop of the feed is near the areas" in str(w) for w in result.warnings)


# ------------------------------------------------------------------ calendar
def test_calendar_start_after_end_is_an_error_naming_the_row(tmp_path):
    bad = feed(tmp_path, calendar_txt=replaced(
        "calendar.txt", 2, "SEM,1,1,1,1,1,0,0,20261231,20260101"))  # fmt: skip
    # before: the weekday service never ran, and the 14 July holiday (the weekend service
    # added by calendar_dates.txt) was chosen as the "typical weekday"
    refused(bad, tmp_path, "calendar.txt", "row 2", "'start_date'", "20261231 > 20260101",
            "start_date after end_date")  # fmt: skip


def test_typical_weekday_is_never_the_holiday(tmp_path):
    # the sample: weekdays SEM all year, on 14 July SEM removed and the weekend service added
    feed_ = read_gtfs(BASE)
    day = typical_weekday(feed_)
    assert day.weekday() < 5 and day.isoformat() != "2026-07-14"
    busiest = len(departures(feed_, day))
    assert len(departures(feed_, dt_date("2026-07-14"))) < busiest


@pytest.mark.parametrize("name", ["calendar.txt", "calendar_dates.txt"])
def test_calendar_files_with_headers_only(tmp_path, name):
    # one file with its header only: the other gives the service days
    header = lines(name)[0] + "\n"
    result = read_gtfs(feed(tmp_path, **{name.replace(".txt", "_txt"): header}))
    assert len(result.calendar if name == "calendar.txt" else result.calendar_dates) == 0
    assert typical_weekday(result).weekday() < 5


def test_both_calendar_files_with_headers_only(tmp_path):
    bad = feed(tmp_path, calendar_txt=lines("calendar.txt")[0] + "\n",
               calendar_dates_txt=lines("calendar_dates.txt")[0] + "\n")  # fmt: skip
    refused(bad, tmp_path, "no service calendar", "calendar.txt and/or calendar_dates.txt")


# ------------------------------------------------------------------ frequencies
FREQ = "trip_id,start_time,end_time,headway_secs\n"


def _freq_trip() -> str:
    return lines("trips.txt")[1].split(",")[2]


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("NO_SUCH_TRIP,07:00:00,09:00:00,600", ["row 3", "'trip_id'", "'NO_SUCH_TRIP'",
                                                 "trip_id names no trip"]),
        ("{trip},09:00:00,07:00:00,600", ["row 3", "'end_time'", "09:00:00–07:00:00",
                                          "end_time not after start_time"]),
        ("{trip},07:00:00,09:00:00,0", ["row 3", "'headway_secs'", "'0'", "a whole number from 1"]),
        ("{trip},07:00:00,09:00:00,-60", ["row 3", "'headway_secs'", "'-60'"]),
        ("{trip},07:00:00,,600", ["row 3", "'end_time'", "not a GTFS time"]),
    ],
)  # fmt: skip
def test_bad_frequencies_rows_are_errors(tmp_path, row, words):
    good = f"{_freq_trip()},06:00:00,07:00:00,600"
    bad = feed(tmp_path, frequencies_txt=FREQ + good + "\n" + row.format(trip=_freq_trip()) + "\n")
    refused(bad, tmp_path, "frequencies.txt", *words, cli_too="NO_SUCH" in row)


def test_frequencies_of_a_trip_without_stop_times(tmp_path):
    # before: a KeyError traceback when the service day was expanded
    trips = lines("trips.txt")
    idle = trips[1].split(",")
    idle[2] = "IDLE_TRIP"
    bad = feed(tmp_path, trips_txt="\n".join([*trips, ",".join(idle)]) + "\n",
               frequencies_txt=FREQ + "IDLE_TRIP,07:00:00,09:00:00,600\n")  # fmt: skip
    result = read_gtfs(bad)
    (warning,) = result.warnings
    assert warning.row == 2 and warning.value == "IDLE_TRIP" and "frequencies.txt" in warning.file
    assert len(departures(result, _day())) == len(departures(read_gtfs(BASE), _day()))
    run = cli(bad, tmp_path, "--date", "2026-03-10")
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert "IDLE_TRIP" in run.stderr and "no departure" in run.stderr


# ------------------------------------------------------------------ encodings
@pytest.mark.parametrize(("name", "column"), [("stops.txt", "stop_name"),
                                            ("routes.txt", "route_long_name")])  # fmt: skip
def test_file_in_cp1252_read_with_a_warning(tmp_path, name, column):
    content = text(name)
    assert not content.isascii()  # "Cimetière", "Pont-Neuf – Parc d'Activités"
    result = read_gtfs(feed(tmp_path, **{name.replace(".txt", "_txt"): content.encode("cp1252")}))
    if name == "stops.txt":
        assert set(result.stops[column]) == set(read_gtfs(BASE).stops[column])
    (warning,) = result.warnings
    assert "Windows-1252" in warning.reason and name in warning.file
    first = next(n for n, row in enumerate(content.splitlines(), start=1) if not row.isascii())
    assert warning.row == first
    run = cli(feed(tmp_path, "cli", **{name.replace(".txt", "_txt"): content.encode("cp1252")}),
              tmp_path, "--date", "2026-03-10")  # fmt: skip
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert "Windows-1252" in run.stderr and f"[{name}], row {first}" in run.stderr


def test_byte_neither_utf8_nor_cp1252(tmp_path):
    rows = lines("stops.txt")
    bad = ("\n".join(rows[:4]) + "\n").encode() + b"X\x81," + rows[4].encode() + b"\n"
    refused(feed(tmp_path, stops_txt=bad), tmp_path, "stops.txt", "row 5", "0x81",
            "neither UTF-8 nor Windows-1252", cli_too=False)  # fmt: skip


def test_trips_of_a_service_in_no_calendar_are_warned(tmp_path):
    trips = lines("trips.txt")
    cells = trips[3].split(",")
    cells[1] = "NO_CALENDAR"
    result = read_gtfs(feed(tmp_path, trips_txt=replaced("trips.txt", 4, ",".join(cells))))
    (warning,) = result.warnings
    assert warning.row == 4 and warning.value == "NO_CALENDAR" and "never run" in warning.reason


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_stops_in_utf16_or_with_a_bom(tmp_path, encoding):
    raw = text("stops.txt").encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    result = read_gtfs(feed(tmp_path, stops_txt=raw))
    assert result.stops.equals(read_gtfs(BASE).stops) and not result.warnings


def test_utf16_without_its_mark_is_an_error(tmp_path):
    bad = feed(tmp_path, stops_txt=text("stops.txt").encode("utf-16-le"))
    refused(bad, tmp_path, "stops.txt", "NUL bytes", "UTF-8", cli_too=False)


# ------------------------------------------------------------------ empty files
@pytest.mark.parametrize("name", ["stops.txt", "routes.txt", "trips.txt", "stop_times.txt"])
@pytest.mark.parametrize("content", ["", "header", "\n\n"])
def test_required_file_empty_or_header_only(tmp_path, name, content):
    body = lines(name)[0] + "\n" if content == "header" else content
    bad = feed(tmp_path, **{name.replace(".txt", "_txt"): body})
    reason = "the file has a header but no" if content == "header" else "the file is empty"
    refused(bad, tmp_path, name, reason, cli_too=name == "stops.txt")


def test_empty_optional_file_read_as_absent(tmp_path):
    result = read_gtfs(feed(tmp_path, calendar_dates_txt=""))
    assert result.calendar_dates is None
    assert any("read as if absent" in w.reason for w in result.warnings)


# ------------------------------------------------------------------ CSV structure
def test_unbalanced_quote(tmp_path):
    bad = feed(tmp_path, stops_txt=replaced(
        "stops.txt", 3, lines("stops.txt")[2].replace(",", ',"', 1)))  # fmt: skip
    refused(bad, tmp_path, "stops.txt", "row 3", "quote opened on this line is never closed")


def test_unbalanced_quote_on_the_last_line(tmp_path):
    rows = lines("stops.txt")
    rows[-1] = rows[-1].replace(",", ',"', 1)
    refused(feed(tmp_path, stops_txt="\n".join(rows) + "\n"), tmp_path, "stops.txt",
            f"row {len(rows)}", "never closed", cli_too=False)  # fmt: skip


@pytest.mark.parametrize("name", ["stops.txt", "routes.txt", "trips.txt", "stop_times.txt",
                                  "calendar.txt"])  # fmt: skip
def test_row_with_extra_fields_reported_at_its_line(tmp_path, name):
    # before: pandas took the first column as the index and the error, if any, named a
    # shifted row
    bad = feed(tmp_path, **{name.replace(".txt", "_txt"): replaced(
        name, 3, lines(name)[2] + ",extra")})  # fmt: skip
    width = len(lines(name)[0].split(","))
    error = refused(bad, tmp_path, name, "row 3", f"this row has {width + 1} fields, the header "
                    f"{width}", cli_too=name == "stops.txt")  # fmt: skip
    assert error.problems[0].row == 3


def test_row_with_missing_fields(tmp_path):
    bad = feed(tmp_path, trips_txt=replaced("trips.txt", 5, "T1,SEM"))
    refused(bad, tmp_path, "trips.txt", "row 5", "this row has 2 fields", cli_too=False)


def test_quoted_values_and_blank_lines_keep_their_line_numbers(tmp_path):
    # a quoted comma, a value over two lines and blank lines: read, and a later error is
    # still reported at its line
    rows = lines("stops.txt")
    cells = rows[1].split(",")
    cells[1] = '"Champ-Fleury, ""nord""\nquai 2"'
    rows[1] = ",".join(cells)
    rows.insert(3, "")
    bad_row = rows[5].split(",")
    bad_row[2] = "north"
    rows[5] = ",".join(bad_row)  # line 7 of the file: header, 2 lines, 1, blank, 1, bad
    path = feed(tmp_path, stops_txt="\n".join(rows) + "\n")
    error = refused(path, tmp_path, "stops.txt", "row 7", "'stop_lat'", "'north'", cli_too=False)
    assert error.problems[0].row == 7
    rows[5] = rows[5].replace("north", "48.86")
    good = read_gtfs(feed(tmp_path, "good", stops_txt="\n".join(rows) + "\n"))
    assert good.stops["stop_name"].iloc[0] == 'Champ-Fleury, "nord"\nquai 2'


def test_duplicate_ids_and_fields(tmp_path):
    rows = lines("trips.txt")
    refused(feed(tmp_path, "a", trips_txt="\n".join([*rows, rows[3]]) + "\n"), tmp_path,
            "trips.txt", f"row {len(rows) + 1}", "duplicate trip_id", cli_too=False)  # fmt: skip
    rows = lines("routes.txt")
    refused(feed(tmp_path, "b", routes_txt="\n".join([*rows, rows[1]]) + "\n"), tmp_path,
            "routes.txt", "duplicate route_id", cli_too=False)  # fmt: skip
    rows = lines("stops.txt")
    rows[0] = rows[0].replace("platform_code", "stop_lat")
    refused(feed(tmp_path, "c", stops_txt="\n".join(rows) + "\n"), tmp_path, "stops.txt",
            "row 1", "duplicate field name", cli_too=False)  # fmt: skip


# ------------------------------------------------------------------ zips
def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_zip_with_two_stops_txt_is_an_error_naming_both(tmp_path):
    members = {p.name: p.read_bytes() for p in BASE.iterdir()}
    members["feed/stops.txt"] = b""
    refused(_zip(tmp_path / "two.zip", members), tmp_path, "more than one file of this name",
            "feed/stops.txt, stops.txt")  # fmt: skip


def test_zip_with_the_feed_in_one_folder_is_read(tmp_path):
    members = {f"gtfs/{p.name}": p.read_bytes() for p in BASE.iterdir()}
    members["__MACOSX/gtfs/._stops.txt"] = b"\x00\x05\x16\x07"
    result = read_gtfs(_zip(tmp_path / "one.zip", members))
    assert len(result.stop_times) == len(read_gtfs(BASE).stop_times)


# ------------------------------------------------------------------ times
def test_times_vectorised_past_midnight_one_digit_hours_and_blanks():
    import pandas as pd

    values = pd.Series(["25:10:00", "5:01:02", " 08:00:00 ", "", "123:59:59", "00:00:00"],
                       dtype="str")  # fmt: skip
    seconds = parse_time(values, "stop_times.txt", "departure_time", "f")
    assert seconds[:3].tolist() == [90600, 18062, 28800]
    assert np.isnan(seconds[3]) and seconds[4] == 123 * 3600 + 3599 and seconds[5] == 0


@pytest.mark.parametrize("value", ["08:60:00", "8:5:00", "08h00", "1234:00:00", "-1:00:00",
                                   "08:00:00.5", "٣:00:00"])  # fmt: skip
def test_bad_time_reported_with_its_line_and_value(tmp_path, value):
    st = lines("stop_times.txt")
    cells = st[9].split(",")
    cells[2] = value
    bad = feed(tmp_path, stop_times_txt=replaced("stop_times.txt", 10, ",".join(cells)))
    refused(bad, tmp_path, "stop_times.txt", "row 10", "'departure_time'", repr(value),
            "not a GTFS time", cli_too=value == "08h00")  # fmt: skip


def test_bad_arrival_time_reported_even_when_departures_are_all_given(tmp_path):
    st = lines("stop_times.txt")
    cells = st[4].split(",")
    cells[1] = "7h30"
    bad = feed(tmp_path, stop_times_txt=replaced("stop_times.txt", 5, ",".join(cells)))
    refused(bad, tmp_path, "row 5", "'arrival_time'", "'7h30'", cli_too=False)


def test_blank_times_of_stops_that_are_not_timepoints_are_interpolated(tmp_path):
    # before: NaN, so the stop's departures were never counted (PTAL too low there)
    st = lines("stop_times.txt")
    cells = st[2].split(",")  # the trip's second stop, between 06:00:00 and 06:03:00
    stop = cells[3]
    cells[1] = cells[2] = ""
    bad = feed(tmp_path, stop_times_txt=replaced("stop_times.txt", 3, ",".join(cells)))
    given = read_gtfs(BASE).stop_times
    result = read_gtfs(bad).stop_times
    before, after = given["departure"].iloc[0], given["departure"].iloc[2]  # lines 2 and 4
    assert result["departure"].iloc[1] == round((before + after) / 2) == 6 * 3600 + 90
    assert np.isfinite(result["departure"]).all()
    day = departures(read_gtfs(bad), _day())
    assert (day["stop_id"] == stop).sum() == (departures(read_gtfs(BASE), _day())["stop_id"]
                                              == stop).sum()  # fmt: skip


def test_stop_times_without_any_time_is_an_error(tmp_path):
    rows = [row.split(",") for row in lines("stop_times.txt")]
    body = "\n".join(",".join([r[0], "", "", *r[3:]]) if i else ",".join(r)
                     for i, r in enumerate(rows)) + "\n"  # fmt: skip
    refused(feed(tmp_path, stop_times_txt=body), tmp_path, "stop_times.txt",
            "no stop time has a time", cli_too=False)  # fmt: skip


# ------------------------------------------------------------------ --date
@pytest.mark.parametrize("value", ["2026-02-30", "10/03/2026", "2026-3-10", "20260310"])
def test_date_option_names_itself_and_the_format(tmp_path, value):
    from qet_geo.pipeline import _check

    assert _check("date", value, ROOT) == (None, "a date YYYY-MM-DD")  # the TOML key too
    with pytest.raises(ParameterError, match="--date.*expected a date YYYY-MM-DD"):
        parse_date(value, "--date")
    run = cli(BASE, tmp_path, "--date", value)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "--date" in run.stderr and "YYYY-MM-DD" in run.stderr and value in run.stderr


def test_date_key_of_the_configuration(tmp_path):
    import re

    from qet_geo.pipeline import load_config

    shutil.copytree(ROOT / "sample_data", tmp_path / "sd")
    toml = tmp_path / "sd" / "qet-geo.toml"
    base = toml.read_text(encoding="utf-8")
    toml.write_text(re.sub(r"(?m)^\[transit\].*$", '[transit]\ndate = "2026-02-30"', base, count=1),
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(Exception) as error:
        load_config(toml)
    message = str(error.value)
    assert "date" in message and "2026-02-30" in message and "YYYY-MM-DD" in message


# ------------------------------------------------------------------ real feed
def test_rennes_real_feed_reads_and_ptal_runs():
    result = read_gtfs(RENNES)
    assert len(result.stops) == 1365 and len(result.stop_times) == 182_666
    assert not result.warnings
    assert np.isfinite(result.stop_times["departure"]).all()


# ------------------------------------------------------------------ helpers
def _areas():
    from qet_geo.areas import read_areas

    return read_areas(AREAS, layer="iris")


def _day():
    return dt_date("2026-03-10")


def dt_date(text):
    import datetime as dt

    return dt.date.fromisoformat(text)


def test_json_summary_of_a_good_feed_has_no_warning(tmp_path):
    run = cli(BASE, tmp_path, "--date", "2026-03-10", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["service_date"] == "2026-03-10"
    assert "warning" not in run.stderr


def test_one_swapped_stop_and_one_far_stop_are_warnings_naming_them(tmp_path):
    """One stop with its latitude and longitude swapped, another moved a degree north: the
    range and the areas' extent cannot see them (every other stop is right), and PTAL fell
    silently. Each is a warning naming the stop (kept as given), on the command line too."""
    rows = lines("stops.txt")
    cells = rows[3].split(",")  # B12_HAUT_VALMONT
    cells[2], cells[3] = cells[3], cells[2]
    rows[3] = ",".join(cells)
    cells = rows[5].split(",")
    cells[2] = f"{float(cells[2]) + 1:.6f}"
    rows[5] = ",".join(cells)
    moved = cells[0]
    path = feed(tmp_path, stops_txt="\n".join(rows) + "\n")
    warnings = [str(w) for w in read_gtfs(path).warnings]
    swapped = [w for w in warnings if "look swapped" in w]
    far = [w for w in warnings if "far from every other stop" in w]
    assert len(swapped) == 1 and "B12_HAUT_VALMONT" in swapped[0], warnings
    assert len(far) == 1 and moved in far[0] and "B12_HAUT_VALMONT" not in far[0], warnings
    assert not [w for w in (str(x) for x in read_gtfs(BASE).warnings) if "stops" in w]
    done = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "--lang", "fr", "transit", "ptal", str(path),
         "--areas", str(AREAS), "--areas-layer", "iris", "-o", str(tmp_path / "p.gpkg")],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=1800,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "semblent inversées" in done.stderr and "B12_HAUT_VALMONT" in done.stderr
    assert "loin de tout autre arrêt" in done.stderr and moved in done.stderr


def test_two_stops_at_the_very_same_place_are_each_other_s_nearest():
    """The check of stops far from every other measures each stop's nearest other stop: a
    served stop with a twin at the very same coordinates is 0 km from it, as it was with
    the KD-tree, whatever the index does with equal points; alone there, it is warned."""
    import pandas as pd

    from qet_geo.transit.gtfs import _isolated

    lat = [48.80 + 0.002 * i for i in range(10)] + [49.9, 49.9]
    lon = [2.30 + 0.002 * i for i in range(10)] + [2.3, 2.3]
    ids = [f"S{i}" for i in range(10)] + ["FAR", "TWIN"]
    stops = pd.DataFrame({"stop_id": ids, "stop_lat": lat, "stop_lon": lon})
    times = pd.DataFrame({"stop_id": ids})
    assert not [w for w in map(str, _isolated(stops, times, "f")) if "far from every" in w]
    alone = [w for w in map(str, _isolated(stops, times[times["stop_id"] != "TWIN"], "f"))
             if "far from every" in w]  # fmt: skip
    assert len(alone) == 1 and "FAR" in alone[0]
