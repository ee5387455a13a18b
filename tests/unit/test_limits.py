"""Reading limits (qet_geo.limits): tiny files that claim or unpack into huge ones are
refused with an error naming the limit and how to raise it, within bounded memory.

Each file is generated small in ``tmp_path`` and read in a subprocess whose address space is
capped (``RLIMIT_AS``), with a generous ``timeout`` as a guard: a regression fails the test
instead of eating the machine.  No test asserts a time.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from unit_helpers import SU_HEADER, su_rows, write_text

from qet_geo.survey import import_survey
from qet_geo.survey.readers import _unique_headers

ROOT = Path(__file__).parents[2]
#: address space of the subprocess: today's reading of the DoS files needs far more, the
#: limited reading far less (numpy, pandas, pyarrow and GDAL reserve some at import)
CEILING = 3 << 30
GUARD_SECONDS = 900  # a guard against a runaway read, never a measure (a loaded machine is slow)


def run_limited(code: str, *args, env=None) -> str:
    """Run ``code`` in a Python subprocess capped at :data:`CEILING` bytes of address space;
    its standard output (the test fails when it crashes or runs past the guard)."""

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (CEILING, CEILING))

    result = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
        preexec_fn=cap,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QET_GEO_LANG": "en", **(env or {})},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


READ_TABLE = """
import sys
from qet_geo.errors import InputError
from qet_geo.survey.readers import read_table
try:
    table = read_table(sys.argv[1])
except InputError as exc:
    print("InputError:", exc)
else:
    print("read", len(table.data), table.columns)
    for row, (line, problem) in table.malformed.items():
        print("malformed", row, len(line), repr(line[:20]), problem.reason)
"""


# ------------------------------------------------------------------ generators
def _xlsx(path: Path, far: str | None = None, text: str = "Paris") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "age", "commune"])
    sheet.append(["1", "30", text])
    if far:
        sheet[far] = "x"
    book.save(path)
    return path


def _zip_with(path: Path, changes: dict) -> Path:
    """A copy of the zip ``path`` where each member of ``changes`` is written from the
    chunks its function gives for the old bytes (``b""`` for a new member)."""
    out = path.with_name("dos-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = source.namelist()
        for name in [*names, *(n for n in changes if n not in names)]:
            data = source.read(name) if name in names else b""
            if name not in changes:
                zout.writestr(name, data)
                continue
            with zout.open(name, "w", force_zip64=True) as handle:
                for chunk in changes[name](data):
                    handle.write(chunk)
    return out


def _replacing(old: bytes, chunks):
    """A change of :func:`_zip_with`: ``old`` replaced by ``chunks``."""

    def change(data: bytes):
        head, tail = data.split(old)
        yield head
        yield from chunks
        yield tail

    return change


def _megabytes(size: int):
    chunk = b"x" * (1 << 20)
    return (chunk[: min(1 << 20, size - i)] for i in range(0, size, 1 << 20))


def xlsx_long_string(path: Path, size=400_000_000, shared=True) -> Path:
    """A workbook of ~400 KB with one 400 MB text, in its shared strings (as Excel writes
    texts) or inline in the sheet (as openpyxl writes them)."""
    _xlsx(path, text="PLACEHOLDER")
    sheet = "xl/worksheets/sheet1.xml"
    if not shared:
        return _zip_with(path, {sheet: _replacing(b"PLACEHOLDER", _megabytes(size))})
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/></Types>'
    cell = b'<c r="C2" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>'
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    return _zip_with(
        path,
        {
            "[Content_Types].xml": _replacing(b"</Types>", [override.encode()]),
            sheet: _replacing(cell, [b'<c r="C2" t="s"><v>0</v></c>']),
            "xl/sharedStrings.xml": lambda _: [strings, *_megabytes(size), b"</t></si></sst>"],
        },
    )


def xlsx_blank_rows(path: Path, count=1_000_000) -> Path:
    """Header, one row, ``count`` blank (formatted, valueless) rows, then one more row."""
    _xlsx(path)

    def rows():
        for start in range(3, 3 + count, 10_000):
            yield "".join(
                f'<row r="{r}"><c s="0"/><c s="0"/><c s="0"/></row>'
                for r in range(start, min(start + 10_000, 3 + count))
            ).encode()
        last = 3 + count
        yield f'<row r="{last}"><c r="A{last}" t="inlineStr"><is><t>2</t></is></c></row>'.encode()
        yield b"</sheetData>"

    return _zip_with(path, {"xl/worksheets/sheet1.xml": _replacing(b"</sheetData>", rows())})


# ------------------------------------------------------------------ spreadsheets
def test_xlsx_with_one_cell_at_xfd1048576_is_refused(tmp_path):
    path = _xlsx(tmp_path / "far.xlsx", far="XFD1048576")
    assert path.stat().st_size < 10_000
    out = run_limited(READ_TABLE, path)
    assert "InputError:" in out, out
    assert "the blank rows in a row exceeds the reading limit of 10,000" in out
    assert "QET_GEO_MAX_BLANK_ROWS" in out and "row 3" in out


def test_xlsx_far_cell_costs_one_cell_when_the_limit_is_raised(tmp_path):
    # the declared used range (A1:XFD1048576) is not trusted: the cells are read as stored
    path = _xlsx(tmp_path / "far.xlsx", far="XFD1048576")
    out = run_limited(READ_TABLE, path, env={"QET_GEO_MAX_BLANK_ROWS": "2000000"})
    assert out.startswith("read 2 ['id', 'age', 'commune', 'colonne_4']"), out


@pytest.mark.parametrize("shared", [True, False], ids=["shared-strings", "inline"])
def test_xlsx_with_a_400_mb_text_is_a_row_error_echoed_short(tmp_path, shared):
    path = xlsx_long_string(tmp_path / "long.xlsx", shared=shared)
    assert path.stat().st_size < 1_000_000
    out = run_limited(READ_TABLE, path)
    assert out.startswith("read 0 ['id', 'age', 'commune']"), out
    line = next(line for line in out.splitlines() if line.startswith("malformed"))
    _, row, length, _ = line.split(" ", 3)
    assert row == "2" and int(length) < 300  # the rejects file never echoes 400 MB
    assert "'xxxxxxxxxxxxxxxxxxxx'" in line
    assert "the characters in a cell exceeds the reading limit of 1,000,000" in line
    assert "(found 400,000,000)" in line and "QET_GEO_MAX_CELL_CHARS" in line


def test_xlsx_of_a_million_blank_rows_is_refused(tmp_path):
    path = xlsx_blank_rows(tmp_path / "blank.xlsx")
    out = run_limited(READ_TABLE, path)
    assert "InputError:" in out, out
    assert "the blank rows in a row exceeds the reading limit of 10,000" in out
    assert "QET_GEO_MAX_BLANK_ROWS" in out


def test_ods_of_repeated_cells_is_refused(tmp_path):
    # one cell repeated 1,000 columns in a row repeated 1,000,000 times: 2 KB, 10⁹ cells
    import pandas as pd

    path = tmp_path / "rep.ods"
    pd.DataFrame({"id": ["1"], "age": ["30"]}).to_excel(path, engine="odf", index=False)
    row = (
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
        'table:number-columns-repeated="1000" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table>"
    )
    path = _zip_with(path, {"content.xml": _replacing(b"</table:table>", [row.encode()])})
    assert path.stat().st_size < 10_000
    out = run_limited(READ_TABLE, path)
    assert "InputError:" in out, out
    assert "the cells of the sheet exceeds the reading limit of 20,000,000" in out
    assert "QET_GEO_MAX_CELLS" in out


def test_spreadsheet_limits_can_be_raised_or_lowered(tmp_path, monkeypatch):
    from qet_geo.errors import InputError
    from qet_geo.survey.readers import read_table

    path = _xlsx(tmp_path / "small.xlsx")
    monkeypatch.setenv("QET_GEO_MAX_CELLS", "2")
    with pytest.raises(InputError, match="QET_GEO_MAX_CELLS"):
        read_table(path)
    monkeypatch.setenv("QET_GEO_MAX_CELLS", "1_000")
    assert len(read_table(path).data) == 1


# ------------------------------------------------------------------ text exports
def test_tsv_of_100000_columns_is_refused(tmp_path):
    path = tmp_path / "wide.tsv"
    path.write_text(
        "\t".join(f"q{i}" for i in range(100_000)) + "\n" + "\t".join(["1"] * 100_000) + "\n",
        encoding="utf-8",
    )
    out = run_limited(READ_TABLE, path)
    assert "InputError:" in out, out
    assert "the columns of the header exceeds the reading limit of 16,384" in out
    assert "(found 100,000)" in out and "QET_GEO_MAX_COLUMNS" in out


def test_many_equal_titles_are_numbered_in_linear_time():
    # 100,000 equal titles: each title used to try every number from 2 (n² set look-ups)
    out = run_limited(
        "from qet_geo.survey.readers import _unique_headers\n"
        "c = _unique_headers(['q'] * 100_000, 'f', 1)\n"
        "print(len(set(c)), c[1], c[-1])"
    )
    assert out.split() == ["100000", "q", "(2)", "q", "(100000)"]
    assert _unique_headers(["q", "q (2)", "q"], "f", 1) == ["q", "q (2)", "q (3)"]


def test_over_long_cell_in_a_csv_is_a_row_error_and_echoed_short(tmp_path):
    rows = [[*row, "x" * 2_000_000 if i == 1 else ""] for i, row in enumerate(su_rows(3))]
    path = write_text(tmp_path / "c.tsv", [*SU_HEADER, "Commentaire"], rows, delimiter="\t")
    result = import_survey(path)
    assert result.report.accepted == 2 and result.report.rejected == 1
    problem = result.report.problems[0]
    assert problem.row == 3 and problem.column == "Commentaire"
    assert "QET_GEO_MAX_CELL_CHARS" in problem.reason and "(found 2,000,000)" in problem.reason
    raw = result.rejects["raw_line"].iloc[0]
    assert len(raw) < 300 and raw.endswith("characters)")


# ------------------------------------------------------------------ GTFS
STOP_LINE = b"S1,Arret,48.85,2.35\n"


def _gtfs_zip(path: Path, stops_bytes: int = 0, zip64=True, **members: str) -> Path:
    """A GTFS zip; ``stops_bytes`` pads stops.txt with repeated lines up to that size."""
    base = {
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS0,Gare,48.85,2.35\n",
        "routes.txt": "route_id,route_type\nR,3\n",
        "trips.txt": "route_id,service_id,trip_id\nR,WK,T\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        + "".join(f"T,08:0{i}:00,08:0{i}:00,S0,{i}\n" for i in range(10)),
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        "start_date,end_date\nWK,1,1,1,1,1,0,0,20260101,20261231\n",
        **members,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name, text in base.items():
            if name == "stops.txt" and stops_bytes:
                with out.open(name, "w", force_zip64=zip64) as handle:
                    handle.write(text.encode())
                    block = STOP_LINE * ((1 << 20) // len(STOP_LINE))
                    for _ in range(stops_bytes // len(block)):
                        handle.write(block)
            else:
                out.writestr(name, text)
    return path


GTFS = """
import sys, datetime as dt
from qet_geo.errors import InputError
from qet_geo.transit import departures, read_gtfs, typical_weekday
try:
    feed = read_gtfs(sys.argv[1])
    if sys.argv[2] == "departures":
        print("departures", len(departures(feed, dt.date(2026, 3, 10))))
    else:
        print("weekday", typical_weekday(feed))
except InputError as exc:
    print("InputError:", exc)
"""


def test_gtfs_stops_inflating_to_1_5_gb_is_refused(tmp_path):
    path = _gtfs_zip(tmp_path / "big.zip", stops_bytes=1_500_000_000)
    assert path.stat().st_size < 20_000_000
    out = run_limited(GTFS, path, "departures")
    assert "InputError:" in out and "[stops.txt]" in out, out
    assert "the inflated size in bytes exceeds the reading limit of 1,073,741,824" in out
    assert "QET_GEO_MAX_INFLATED_BYTES" in out


def _declare_size(path: Path, member: str, size: int) -> None:
    """Patch the uncompressed size the zip's central directory declares for ``member``."""
    data = bytearray(path.read_bytes())
    at = data.index(b"PK\x01\x02")
    while at >= 0:
        name_length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_length].decode() == member:
            data[at + 24 : at + 28] = size.to_bytes(4, "little")
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 46)
    raise AssertionError(member)


def test_gtfs_member_inflating_past_its_declared_size_is_refused(tmp_path):
    # a header that lies (1 KB declared, 8 MB inside): zipfile stops at the declared size
    # and the CRC check fails; a clear error, not a traceback
    path = _gtfs_zip(tmp_path / "liar.zip", stops_bytes=8_000_000, zip64=False)
    _declare_size(path, "stops.txt", 1000)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("stops.txt").file_size == 1000
    out = run_limited(GTFS, path, "departures")
    assert "InputError:" in out and "[stops.txt]" in out, out
    assert "corrupt zip member" in out


def test_frequencies_every_second_for_999_hours_is_refused(tmp_path):
    path = _gtfs_zip(
        tmp_path / "freq.zip",
        **{"frequencies.txt": "trip_id,start_time,end_time,headway_secs\nT,00:00:00,999:00:00,1\n"},
    )
    out = run_limited(GTFS, path, "departures")
    assert "InputError:" in out and "[frequencies.txt], row 2, column 'headway_secs'" in out, out
    assert "departures of the service day (frequencies.txt expanded) exceeds" in out
    assert (
        "(found 32,367,600)" in out
    )  # 3,596,400 trips × 9 stops with a departure and "QET_GEO_MAX_DEPARTURES" in out


def test_calendar_from_1900_to_9999_gives_its_busiest_weekday_without_a_walk(tmp_path):
    path = _gtfs_zip(
        tmp_path / "long.zip",
        **{
            "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,"
            "sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,19000101,99991231\n"
            "XT,0,0,0,0,0,0,0,19000101,99991231\n",
            "trips.txt": "route_id,service_id,trip_id\nR,WK,T\nR,XT,U\n",
            "calendar_dates.txt": "service_id,date,exception_type\nXT,20260312,1\nWK,19000101,2\n",
        },
    )
    out = run_limited(GTFS, path, "weekday")
    assert out.strip() == "weekday 2026-03-12", out


def test_typical_weekday_is_the_earliest_of_the_busiest(tmp_path):
    # same answer as the day-by-day walk on a small feed: removals, additions, a weekend
    from qet_geo.transit import active_services, read_gtfs, typical_weekday

    path = _gtfs_zip(
        tmp_path / "small.zip",
        **{
            "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,"
            "sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20260105,20260301\n"
            "TH,0,0,0,1,0,0,0,20260201,20260228\n",
            "trips.txt": "route_id,service_id,trip_id\nR,WK,T\nR,TH,U\nR,SA,V\n",
            "calendar_dates.txt": "service_id,date,exception_type\nTH,20260205,2\n"
            "SA,20260207,1\nSA,20260103,1\n",
        },
    )
    feed = read_gtfs(path)
    counts = feed.trips.groupby("service_id").size()
    day, best = dt.date(2026, 1, 3), None
    while day <= dt.date(2026, 3, 1):
        if day.weekday() < 5:
            count = sum(counts.get(s, 0) for s in active_services(feed, day))
            if best is None or count > best[1]:
                best = (day, count)
        day += dt.timedelta(days=1)
    assert typical_weekday(feed) == best[0] == dt.date(2026, 2, 12)


# ------------------------------------------------------------------ grids
def test_cli_grid_of_one_metre_is_refused():
    result = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "--lang", "en", "transit", "ptal",
         "sample_data/gtfs", "--areas", "sample_data/quartier.gpkg", "--areas-layer", "iris",
         "--grid", "1",
         "-o", "/nonexistent/x.gpkg"],
        capture_output=True, text=True, timeout=GUARD_SECONDS, cwd=ROOT,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (CEILING, CEILING)),
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.returncode == 2, result.stderr[-2000:]
    # the message names the option
    assert "--grid 1.0: expected a number from 10 up to 10000 m" in result.stderr


def test_grid_of_too_many_points_is_refused_before_it_is_made():
    out = run_limited(
        "from shapely.geometry import box\n"
        "import geopandas as gpd\n"
        "from qet_geo.areas import areas_from_frame\n"
        "from qet_geo.errors import ParameterError\n"
        "from qet_geo.transit.access import grid_points\n"
        "frame = gpd.GeoDataFrame({'area_id': ['A'], 'area_name': ['A']},\n"
        "    geometry=[box(600000, 6800000, 700000, 6900000)], crs='EPSG:2154')\n"
        "try:\n"
        "    print(len(grid_points(areas_from_frame(frame, id_field='area_id'), 10.0)[0]))\n"
        "except ParameterError as exc:\n"
        "    print('ParameterError:', exc)\n"
    )
    assert "ParameterError: a grid of 10 m over the areas (100.0 km × 100.0 km)" in out, out
    assert "over the limit of 4,000,000" in out and "QET_GEO_MAX_GRID_POINTS" in out


def test_limit_variables_are_checked():
    from qet_geo import limits
    from qet_geo.errors import ParameterError

    assert limits.current() == limits.Limits()
    os.environ["QET_GEO_MAX_ROWS"] = "many"
    try:
        with pytest.raises(ParameterError, match="QET_GEO_MAX_ROWS='many': expected a whole"):
            limits.current()
    finally:
        del os.environ["QET_GEO_MAX_ROWS"]


# ------------------------------------------------------------------ other readers
def _situations(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('[{"name": "a", "situation": {}}]' + " " * 200, encoding="utf-8")
    return path


def _weights(tmp_path):
    path = tmp_path / "w.json"
    path.write_text('{"alimentation": 1.0}' + " " * 200, encoding="utf-8")
    return path


def _survey_layer(tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    path = tmp_path / "survey.gpkg"
    frame = gpd.GeoDataFrame(
        {"id": [str(i) for i in range(20)]},
        geometry=[Point(650000 + i, 6860000) for i in range(20)],
        crs="EPSG:2154",
    )
    frame.to_file(path, layer="answers")
    return path


@pytest.mark.parametrize(
    "variable, make, read",
    [
        ("CONFIG_BYTES", lambda _: ROOT / "sample_data/qet-geo.toml",
         lambda p: __import__("qet_geo.pipeline").pipeline.load_config(p)),
        ("FILE_BYTES", lambda _: ROOT / "sample_data/base-ic-evol-struct-pop-quartier.csv",
         lambda p: __import__("qet_geo.areas.census").areas.census.read_census(p)),
        ("FILE_BYTES", _situations,
         lambda p: __import__("qet_geo.footprint.situations").footprint.situations.load_json_array(p)),
        ("FILE_BYTES", lambda _: ROOT / "sample_data/survey_su.tsv",
         lambda p: __import__("qet_geo.survey.readers").survey.readers.read_table(p)),
        ("ROWS", _survey_layer,
         lambda p: __import__("qet_geo.survey.readers").survey.readers.read_table(p)),
        ("CONFIG_BYTES", _weights,
         lambda p: __import__("qet_geo.cli").cli.main(
             ["profiles", "detect", str(ROOT / "sample_data/survey_su.tsv"), "--weights", str(p),
              "-o", str(p.with_suffix(".out"))])),
    ],
    ids=["config", "census", "situations", "survey-text", "survey-layer", "weights"],
)  # fmt: skip
def test_every_reader_checks_its_size(tmp_path, monkeypatch, capsys, variable, make, read):
    from qet_geo.errors import InputError

    path = make(tmp_path)
    monkeypatch.setenv("QET_GEO_LANG", "en")
    monkeypatch.setenv(f"QET_GEO_MAX_{variable}", "10")
    try:
        code = read(path)
    except InputError as exc:
        message = str(exc)
    else:
        assert code == 2, code  # the command line prints the error
        message = capsys.readouterr().err
    assert "exceeds the reading limit of 10 (found" in message
    assert f"QET_GEO_MAX_{variable}" in message


def test_xlsx_cells_read_as_before(tmp_path):
    # the streaming reader gives the texts pandas + openpyxl gave: numbers, dates, times,
    # booleans, empty cells, a second sheet, an error cell
    import pandas as pd

    from qet_geo.survey.readers import _cell_text, read_table

    path = tmp_path / "types.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "n", "x", "date", "when", "time", "ok", "text", "err"])
    sheet.append([1, 2.0, 2.5, dt.date(2026, 3, 10), dt.datetime(2026, 3, 10, 8, 30),
                  dt.time(8, 15), True, "  é  ", "#N/A"])  # fmt: skip
    sheet.append([2, None, -1e-7, None, None, None, False, "", None])
    sheet["I3"].data_type = "e"
    book.create_sheet("other").append(["a"])
    book.save(path)
    table = read_table(path)
    old = pd.read_excel(path, header=None, dtype=object).apply(lambda c: c.map(_cell_text))
    assert table.columns == old.iloc[0].tolist()
    assert table.data.to_numpy().tolist() == old.iloc[1:].to_numpy().tolist()
    assert table.data.index.tolist() == [2, 3]


def test_ods_cells_read_as_before(tmp_path):
    # the streaming ODS reader gives the texts pandas' ODF reader gave (spaces, lines,
    # numbers, dates, empty cells, repeated rows), with booleans read from their value
    import pandas as pd

    from qet_geo.survey.readers import _cell_text, read_table

    path = tmp_path / "types.ods"
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "text": ["a  b   c", "ligne 1\nligne 2", None],
            "x": [2.5, 3.0, None],
            "date": [pd.Timestamp("2026-03-10"), pd.Timestamp("2026-03-10 08:30"), None],
        }
    )
    with pd.ExcelWriter(path, engine="odf") as writer:
        frame.to_excel(writer, index=False, sheet_name="réponses")
        frame.head(1).to_excel(writer, index=False, sheet_name="2024")
    for sheet in (None, "2024", 1, "réponses"):
        table = read_table(path) if sheet is None else None
        if sheet is not None:
            from qet_geo.survey.readers import read_spreadsheet

            table = read_spreadsheet(path, sheet=sheet)
        name = "réponses" if sheet in (None, "réponses") else "2024"
        old = pd.read_excel(path, sheet_name=name, header=None, dtype=object)
        old = old.apply(lambda c: c.map(_cell_text))
        assert table.columns == old.iloc[0].tolist()
        assert table.data.to_numpy().tolist() == old.iloc[1:].to_numpy().tolist(), sheet
