"""Readers for survey exports: CSV/TSV, XLSX, ODS and point layers.

Every reader returns a :class:`RawTable`: the header as written, every cell as text, and
for each row the row number a person sees in a spreadsheet or a text editor (header = 1),
so that every later problem can name it.  Readers never guess silently: an encoding or a
delimiter that cannot be told apart is an error naming the line and bytes involved.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

import numpy as np
import pandas as pd

from .. import geo, limits
from ..constants import CSV_DELIMITERS, DELIMITER_SNIFF_LINES
from ..errors import InputError, Problem
from ..geo import check_features_read, gpkg_feature_count
from ..i18n import Message
from ..io import spreadsheet_text_back
from ..textio import one_row_per_line

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".ods"}
LAYER_SUFFIXES = {".gpkg", ".geojson", ".json", ".shp", ".fgb", ".gml", ".kml", ".sqlite"}

# Windows-1252 text that was UTF-8 before ("Ã©" for "é"): a file saved twice.
_MOJIBAKE = re.compile(
    "[ÂÃ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)
_CHUNK_ROWS = 100_000
#: floats from this magnitude are written as floats ("1e+308"), not as their 309 digits
_EXACT_INTEGERS = 2.0**53
# Free-text answers can be long: lift the csv module's 128 KiB cell limit.
csv.field_size_limit(2**31 - 1)
#: dtype of every cell a reader returns: text, stored compactly by Arrow.
TEXT = pd.StringDtype("pyarrow")
_DELIMITER_NAMES = {"\t": "tab", ";": "';'", ",": "','"}


@dataclass
class RawTable:
    """A survey export as read: text cells, source row numbers, optional point geometry."""

    path: str
    format: str
    columns: list[str]
    data: pd.DataFrame  # TEXT cells ("" when empty), index = source row numbers
    geometry: object = None  # GeoSeries aligned on ``data.index`` for point layers
    crs: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    #: row number of the header (blank rows or lines above it are skipped)
    header_row: int = 1
    #: rows that could not be split into the header's columns: row number → (raw text, reason)
    malformed: dict[int, tuple[str, Problem]] = field(default_factory=dict)

    @property
    def rows_read(self) -> int:
        return len(self.data) + len(self.malformed)


def read_table(
    path: str | Path, layer: str | None = None, sheet: str | int | None = None
) -> RawTable:
    """Read a survey export, choosing the reader from the file's suffix and content."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError(Problem.of(name, "file not found"))
    if path.is_dir():
        raise InputError(Problem.of(name, "is a folder, expected a file"))
    suffix = path.suffix.lower()
    check_sheet_and_layer(name, layer=layer, sheet=sheet)
    if suffix in SPREADSHEET_SUFFIXES:
        return read_spreadsheet(path, sheet=sheet)
    if suffix in LAYER_SUFFIXES:
        return read_layer(path, layer=layer)
    return read_text(path)


def sheet_or_layer_problem(path, layer=None, sheet=None) -> Problem | None:
    """A sheet is chosen in a workbook only, a layer in a layer file only: either given for
    another kind of file would be ignored, and the file read may not be the one meant."""
    suffix = Path(path).suffix.lower()
    if sheet is not None and suffix not in SPREADSHEET_SUFFIXES:
        return Problem.of(str(path), "a sheet is chosen in an XLSX or ODS workbook only",
                          column="sheet", value=str(sheet),
                          expected="no sheet for this file, or the workbook itself")  # fmt: skip
    if layer is not None and suffix not in LAYER_SUFFIXES and suffix not in SPREADSHEET_SUFFIXES:
        return Problem.of(str(path), "a layer is chosen in a GeoPackage or another layer file only",
                          column="layer", value=str(layer),
                          expected="no layer for this file")  # fmt: skip
    return None


def check_sheet_and_layer(path, layer=None, sheet=None) -> None:
    """:func:`sheet_or_layer_problem` raised as an :class:`InputError`."""
    problem = sheet_or_layer_problem(path, layer=layer, sheet=sheet)
    if problem is not None:
        raise InputError(problem)


# --- CSV / TSV ------------------------------------------------------------------------------


def read_text(path: Path) -> RawTable:
    """Read a delimited text export (``,`` ``;`` or tab; UTF-8, UTF-8 BOM or Windows-1252).

    Exports where every line is one row (no quoted line breaks) are parsed by Arrow's CSV
    reader; others by Python's csv module.  Both give the same cells and row numbers.
    """
    name = str(path)
    limits.check_file_size(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(
            Problem.of(
                name,
                "the file is empty",
                expected="a header row and one row per respondent",
            )
        )
    if raw[:4] == b"PK\x03\x04":
        raise InputError(
            Problem.of(
                name,
                "this is a zipped file (XLSX or ODS spreadsheet?), not text",
                expected="a .xlsx or .ods suffix for spreadsheets, or a CSV/TSV export",
            )
        )
    text, encoding, undecodable = _decode(raw, name)
    del raw
    if not text.strip():  # only byte order marks: Excel's "CSV UTF-8" of an empty sheet
        raise InputError(
            Problem.of(
                name,
                "the file is empty (no header): it holds only a UTF-8 byte order mark (BOM), "
                "as Excel writes for an empty sheet",
                expected="a header row and one row per respondent",
            )
        )
    delimiter = _detect_delimiter(text, name)
    if undecodable:
        _check_header_decoded(name, text, undecodable)
    parsed = _parse_lines_arrow(text, delimiter, name) if one_row_per_line(text) else None
    if parsed is None:
        parsed = _parse_csv_module(text, delimiter, name)
    header_row, columns, data, malformed = parsed
    if undecodable:
        data = _reject_undecodable(name, text, data, malformed, undecodable, columns)
    data = _check_size(name, data, malformed, delimiter)
    return RawTable(
        name,
        "csv" if delimiter != "\t" else "tsv",
        columns,
        data,
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        malformed=malformed,
    )


def _split_header(text: str, delimiter: str, name: str) -> tuple[int, int, list[str]]:
    """Row number and end offset of the header line (the first non-blank one), its cells."""
    offset, row = 0, 1
    while True:
        end = text.find("\n", offset)
        line = text[offset:] if end < 0 else text[offset:end]
        if line.strip():
            cells = _header_cells(next(csv.reader([line], delimiter=delimiter)))
            limits.check(name, "columns", len(cells), "the columns of the header", row=row)
            return row, (len(text) if end < 0 else end + 1), _unique_headers(cells, name, row)
        offset, row = end + 1, row + 1


def _parse_lines_arrow(text: str, delimiter: str, name: str):
    """Fast path: Arrow's CSV reader, one row per line; row numbers from line offsets."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    header_row, body_start, columns = _split_header(text, delimiter, name)
    body = text[body_start:].encode("utf-8")
    width = len(columns)
    odd_lines: list[tuple[int, str]] = []

    def keep_odd_line(row) -> str:
        odd_lines.append((row.number, row.text))
        return "skip"

    names = [f"c{i}" for i in range(width)]
    try:
        table = (
            pa_csv.read_csv(
                pa.py_buffer(body),
                read_options=pa_csv.ReadOptions(
                    column_names=names, use_threads=False, block_size=1 << 24
                ),
                parse_options=pa_csv.ParseOptions(
                    delimiter=delimiter,
                    newlines_in_values=False,
                    ignore_empty_lines=True,
                    invalid_row_handler=keep_odd_line,
                ),
                convert_options=pa_csv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            if body.strip()
            else None
        )
    except (pa.ArrowInvalid, ValueError):
        return None  # let the csv module say precisely what is wrong
    # Row numbers: Arrow skips empty lines and numbers the others from 1 (``row.number``);
    # the rows it returns are those lines less the ones it could not split.
    buffer = np.frombuffer(body, dtype=np.uint8)
    newlines = np.flatnonzero(buffer == ord("\n"))
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(buffer)]))
    line_numbers = np.arange(header_row + 1, header_row + 1 + len(starts))[ends > starts]
    if any(number is None or not 0 < number <= len(line_numbers) for number, _ in odd_lines):
        return None
    odd_lines = [(int(line_numbers[number - 1]), line) for number, line in odd_lines]
    odd = np.fromiter((number for number, _ in odd_lines), dtype=np.int64, count=len(odd_lines))
    row_numbers = line_numbers[~np.isin(line_numbers, odd)]
    if len(row_numbers) != (0 if table is None else table.num_rows):
        return None
    string = TEXT
    # arrays, not Series: no index to align per column (a cost that grows faster than the
    # number of columns)
    data = pd.DataFrame(
        {
            column: (
                pd.arrays.ArrowStringArray(table.column(i))
                if table is not None
                else pd.array([], dtype=string)
            )
            for i, column in enumerate(columns)
        },
        index=pd.Index(row_numbers, name="source_row"),
        copy=False,
    )
    malformed: dict[int, tuple[str, Problem]] = {}
    extra_rows, extra_numbers = [], []
    for number, line in odd_lines:
        fields = next(csv.reader([line], delimiter=delimiter), [])
        if not "".join(fields).strip():
            continue  # blank line: not a row
        if len(fields) > width and not "".join(fields[width:]).strip():
            extra_rows.append(fields[:width])  # trailing delimiters
            extra_numbers.append(number)
        else:
            malformed[number] = (line, _width_problem(name, number, fields, width, delimiter, line))
    if extra_rows:
        extra = pd.DataFrame(
            extra_rows,
            columns=columns,
            dtype=string,
            index=pd.Index(extra_numbers, name="source_row"),
        )
        data = pd.concat([data, extra]).sort_index()
    return header_row, columns, _drop_blank_rows(data), malformed


def _drop_blank_rows(data: pd.DataFrame) -> pd.DataFrame:
    """Rows whose every cell is empty or spaces are not rows (as blank lines are not)."""
    if data.empty:
        return data
    candidates = data.index[data.iloc[:, 0].str.strip().eq("")]
    if len(candidates) == 0:
        return data
    blank = data.loc[candidates].apply(lambda column: column.str.strip().eq("")).all(axis=1)
    return data.drop(index=blank.index[blank])


def _parse_csv_module(text: str, delimiter: str, name: str):
    """General path: Python's csv module (quoted values may span lines).

    Rows are moved into Arrow arrays every ``_CHUNK_ROWS`` rows, so that memory holds at
    most one chunk of Python strings.
    """
    import pyarrow as pa

    buffer = io.StringIO(text, newline="")
    reader = csv.reader(buffer, delimiter=delimiter)
    lines = _Lines(text)
    before = 0  # lines read before the current reader started (after a restart)
    header: list[str] | None = None
    width = 0
    rows: list[list[str]] = []
    chunks: list[list] = []
    row_numbers: list[int] = []
    malformed: dict[int, tuple[str, Problem]] = {}

    def flush() -> None:
        if rows:
            chunks.append(
                [pa.array(column, type=pa.string()) for column in zip(*rows, strict=True)]
            )
            rows.clear()

    line_start = 1
    while True:
        fields = next(reader, None)
        if fields is None:
            break
        row_number = line_start
        last_line = before + reader.line_num
        line_start = last_line + 1
        if not "".join(fields).strip():
            continue  # blank line: not a row
        if header is None:
            own_width = lines[row_number - 1].count(delimiter) + 1
            if last_line > row_number and _runs_over_rows(
                lines, row_number, last_line, delimiter, own_width
            ):
                raise InputError(_unbalanced_quote(name, row_number, lines[row_number - 1]))
            header = _header_cells(fields)
            header_row = row_number
            limits.check(name, "columns", len(header), "the columns of the header", row=row_number)
            width = len(header)
            continue
        if last_line > row_number and _runs_over_rows(
            lines, row_number, last_line, delimiter, width
        ):
            # A quote opened on this row and closed (if ever) rows later, over lines that
            # are rows of the header's width on their own: a stray quote, not a line break
            # inside a quoted answer.  This row alone is rejected; reading starts again on
            # the next line, so that the rows after it are read on their own (a record
            # over lines that are not rows is one row: kept, or rejected for its width).
            malformed[row_number] = (
                lines[row_number - 1],
                _unbalanced_quote(name, row_number, lines[row_number - 1]),
            )
            buffer.seek(lines.starts[row_number])  # the start of the next line
            reader = csv.reader(buffer, delimiter=delimiter)
            before, line_start = row_number, row_number + 1
            continue
        if len(fields) != width:
            if len(fields) > width and not "".join(fields[width:]).strip():
                fields = fields[:width]  # trailing delimiters
            else:
                raw_line = delimiter.join(fields)
                malformed[row_number] = (
                    raw_line,
                    _width_problem(name, row_number, fields, width, delimiter, raw_line),
                )
                continue
        rows.append(fields)
        row_numbers.append(row_number)
        if len(rows) == _CHUNK_ROWS:
            flush()
    flush()
    assert header is not None  # the text is not blank
    columns = _unique_headers(header, name, header_row)
    index = pd.Index(row_numbers, name="source_row", dtype="int64")
    if not chunks:
        empty = pd.DataFrame(columns=columns, index=index, dtype=TEXT)
        return header_row, columns, empty, malformed
    data = pd.DataFrame(
        {
            column: pd.Series(
                pd.arrays.ArrowStringArray(
                    pa.chunked_array([chunk[i] for chunk in chunks], type=pa.string())
                ),
                index=index,
            )
            for i, column in enumerate(columns)
        }
    )
    return header_row, columns, data, malformed


class _Lines:
    """The lines of a text by number (from 1), without holding a copy of each."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = array("q", [0])
        self.starts.extend(match.end() for match in re.finditer("\n", text))

    def __getitem__(self, index: int) -> str:  # 0-based, as a list of lines would be
        start = self.starts[index]
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return self.text[start:end]


def _header_cells(fields: list[str]) -> list[str]:
    """Header titles without surrounding spaces; empty titles at the end are dropped (the
    trailing delimiters some tools write), their cells are then trailing delimiters too."""
    cells = [cell.strip() for cell in fields]
    while len(cells) > 1 and not cells[-1]:
        cells.pop()
    return cells


def _runs_over_rows(lines: _Lines, first: int, last: int, delimiter: str, width: int) -> bool:
    """True when a record read from lines ``first``..``last`` swallowed lines that look like
    rows of their own: a quote opened in a cell and never closed (a stray ``"`` in a
    comment), not a real line break inside a quoted answer."""
    return any(
        lines[number - 1].count(delimiter) + 1 >= width for number in range(first + 1, last + 1)
    )


def _unbalanced_quote(name: str, row: int, line: str) -> Problem:
    return Problem(
        name,
        row,
        None,
        line,
        "a quote opened on this row is not closed on it (the rows below are read on their own)",
        expected='quotes in pairs around a value ("…"), or no quote',
    )


def _decode(raw: bytes, name: str) -> tuple[str, str, dict[int, tuple[int, int, str]]]:
    """The text of a text export, its encoding, and the lines that are not in that
    encoding: line number → (offset of the first bad byte in the line, the byte, the
    encoding), their bytes replaced by U+FFFD (the rows are rejected by
    :func:`_reject_undecodable`, never read as text).

    Line ends become ``\n``.  U+FEFF is removed wherever it is: at the start it is the
    byte order mark (Excel writes one; a file saved twice has two, one of which Python's
    ``utf-8-sig`` leaves in the first header), elsewhere the mark of a file concatenated
    from exports, or pasted from one, into a cell: never content (as a "zero width
    no-break space" it is deprecated since Unicode 3.2, U+2060 replaces it), and invisible,
    so that an id "\ufeff12" would be another respondent than "12" that nobody sees.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(
            Problem.of(
                name,
                "the file is UTF-16 encoded",
                expected="UTF-8 or Windows-1252 text (re-export as 'CSV UTF-8')",
            )
        )
    if b"\x00" in raw[:4096]:
        raise InputError(
            Problem.of(
                name,
                "the file contains NUL bytes: binary or UTF-16, not a text export",
                expected="UTF-8 or Windows-1252 text",
            )
        )
    encoding = "utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-8"
    undecodable: dict[int, tuple[int, int, str]] = {}
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        text, encoding, undecodable = _decode_not_utf8(raw, name)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    match = _MOJIBAKE.search(text)
    if match:
        row = text.count("\n", 0, match.start()) + 1
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        line = text[start : end if end >= 0 else len(text)]
        raise InputError(
            Problem(
                name,
                row,
                None,
                line.strip(),
                Message(
                    "the text is encoded twice ({letters!r} stands for an accented letter): "
                    "the file was saved as UTF-8 after being read as Windows-1252",
                    letters=match.group(),
                ),
                expected="the original export, or re-save it with the right encoding",
            )
        )
    return (
        text,
        "utf-8" if encoding == "utf-8" else "utf-8 (BOM)" if encoding == "utf-8-sig" else encoding,
        undecodable,
    )


def _decode_not_utf8(raw: bytes, name: str) -> tuple[str, str, dict[int, tuple[int, int, str]]]:
    """Bytes that are not all UTF-8, decoded line by line.

    A file with no UTF-8 line beyond ASCII is Windows-1252 (the other encoding of French
    exports).  A file where UTF-8 lines are at least as many as the others is UTF-8 with
    a few stray bytes (a row pasted from elsewhere): those lines alone are rejected.  A
    file where most lines beyond ASCII are not UTF-8 but some are is an error: which
    encoding is right cannot be told."""
    raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    lines = raw.split(b"\n")
    utf8_rows: list[int] = []
    bad_rows: list[int] = []
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_rows.append(number)
        except UnicodeDecodeError:
            bad_rows.append(number)
    if utf8_rows and len(bad_rows) > len(utf8_rows):
        raise InputError(
            Problem(
                name,
                bad_rows[0],
                None,
                None,
                Message(
                    "mixed encodings: row {row} is not UTF-8 while row {utf8_row} is UTF-8 "
                    "({rows} rows are not UTF-8, {utf8_rows} are)",
                    row=bad_rows[0],
                    utf8_row=utf8_rows[0],
                    rows=len(bad_rows),
                    utf8_rows=len(utf8_rows),
                ),
                expected="one encoding for the whole file (re-export as 'CSV UTF-8')",
            )
        )
    encoding = "utf-8" if utf8_rows else "cp1252"
    undecodable: dict[int, tuple[int, int, str]] = {}
    texts = []
    for number, line in enumerate(lines, start=1):
        try:
            texts.append(line.decode(encoding))
        except UnicodeDecodeError as exc:
            undecodable[number] = (exc.start, line[exc.start], encoding)
            texts.append(line.decode(encoding, errors="replace"))
    return "\n".join(texts), encoding, undecodable


def _undecodable_reason(offset: int, byte: int, encoding: str, where: str = "") -> Message:
    """Why a row (``where`` " (in the header)": the header) cannot be decoded."""
    if encoding == "cp1252":
        template = (
            "byte 0x{byte:02x} at byte {offset} of the row is neither UTF-8 nor Windows-1252 text"
        )
    else:
        template = (
            "byte 0x{byte:02x} at byte {offset} of the row is not UTF-8, the encoding of the "
            "rest of the file (a row pasted from a Windows-1252 text?)"
        )
    return Message(template + where, byte=byte, offset=offset + 1)


def _check_header_decoded(name: str, text: str, undecodable: dict) -> None:
    """A header that is not in the file's encoding cannot be read: the whole file is refused."""
    lines = _Lines(text)
    row = next(n for n in range(1, len(lines.starts) + 1) if lines[n - 1].strip())
    if row in undecodable:
        offset, byte, encoding = undecodable[row]
        raise InputError(
            Problem(
                name,
                row,
                None,
                lines[row - 1],
                _undecodable_reason(offset, byte, encoding, " (in the header)"),
                expected="UTF-8 text (re-export as 'CSV UTF-8')",
            )
        )


def _reject_undecodable(
    name: str, text: str, data: pd.DataFrame, malformed: dict, undecodable: dict, columns
) -> pd.DataFrame:
    """The rows holding a line not in the file's encoding become malformed rows (their
    problem names the row, the byte and where it is); the other rows are kept."""
    lines = _Lines(text)
    starts = np.array(sorted({*data.index.tolist(), *malformed}), dtype=np.int64)
    rejected = []
    for line_number, (offset, byte, encoding) in sorted(undecodable.items()):
        position = np.searchsorted(starts, line_number, side="right") - 1
        if position < 0:
            continue  # above the header: not a row
        row = int(starts[position])
        if row in malformed or row not in data.index:
            continue  # already rejected for another reason
        values = data.loc[row].tolist()
        column = next((c for c, v in zip(columns, values, strict=True) if "\ufffd" in v), None)
        malformed[row] = (
            lines[row - 1],
            Problem(
                name,
                row,
                column,
                lines[line_number - 1],
                _undecodable_reason(offset, byte, encoding),
                expected="UTF-8 text (re-save the file as UTF-8, or correct this row)",
            ),
        )
        rejected.append(row)
    return data.drop(index=rejected) if rejected else data


def _detect_delimiter(text: str, name: str) -> str:
    """The delimiter that splits the first lines into the most, equally wide, columns.

    The header must be the first non-blank line: a title line above it (fewer columns than
    the rows below) is an error that says so, rather than a header guessed further down.
    """
    numbered = [
        (number, line)
        for number, line in enumerate(text.split("\n", DELIMITER_SNIFF_LINES * 4), start=1)
        if line.strip()
    ][:DELIMITER_SNIFF_LINES]
    lines = [line for _, line in numbered]
    # each line on its own: a stray quote on one line does not make it swallow the next
    parsed = {d: [next(csv.reader([line], delimiter=d)) for line in lines] for d in CSV_DELIMITERS}
    best, best_score = None, (0.0, 0)
    for delimiter, rows in parsed.items():
        width = len(_header_cells(rows[0]))
        if width < 2:
            continue
        body = rows[1:]
        fits = sum(_fits(row, width) for row in body) / len(body) if body else 1.0
        if (fits, width) > best_score:
            best, best_score = delimiter, (fits, width)
    if best is not None and best_score[0] >= 0.5:
        return best
    # No delimiter splits the rows as the first line: is that line a title?
    for rows in parsed.values():
        body = [len(row) for row in rows[1:]]
        modal = max(set(body), key=body.count) if body else 0
        if modal >= 2 and body.count(modal) >= 0.8 * len(body):
            if lines[0].count('"') % 2:  # a header cut short by a quote never closed
                raise InputError(_unbalanced_quote(name, numbered[0][0], lines[0]))
            raise InputError(
                Problem(
                    name,
                    numbered[0][0],
                    None,
                    lines[0],
                    Message(
                        "the first row has {first} column(s) but the rows below have "
                        "{modal}: a title above the header?",
                        first=len(rows[0]),
                        modal=modal,
                    ),
                    expected="the header on the first row (remove the lines above it)",
                )
            )
    if best is not None:
        return best
    raise InputError(
        Problem(
            name,
            numbered[0][0],
            None,
            lines[0],
            "no delimiter found: the header is a single column",
            expected="columns separated by ',', ';' or tabs",
        )
    )


def _fits(row: list[str], width: int) -> bool:
    """A row fits a header of ``width`` columns (trailing empty cells allowed)."""
    return len(row) == width or (len(row) > width and not "".join(row[width:]).strip())


def _width_problem(
    name: str, row: int, fields: list[str], width: int, delimiter: str, raw_line: str
) -> Problem:
    other = [d for d in CSV_DELIMITERS if d != delimiter and _width_with(raw_line, d) == width]
    reason = "the row has {fields} field(s) but the header has {width}"
    if other:
        reason += (
            "; it seems separated by {other} while the file uses {delimiter} (mixed delimiters)"
        )
    names = {"other": _DELIMITER_NAMES[other[0]]} if other else {}
    return Problem(
        name,
        row,
        None,
        raw_line,
        Message(
            reason, fields=len(fields), width=width, delimiter=_DELIMITER_NAMES[delimiter], **names
        ),
        expected=Message(
            "{width} fields separated by tab"
            if delimiter == "\t"
            else "{width} fields separated by {delimiter}",
            width=width,
            delimiter=_DELIMITER_NAMES[delimiter],
        ),
    )


def _width_with(line: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter), []))
    except csv.Error:
        return -1


def _unique_headers(header: list[str], name: str, header_row: int) -> list[str]:
    columns: list[str] = []
    taken: set[str] = set()
    tried: dict[str, int] = {}  # title → last number tried: n equal titles cost n, not n²
    for position, title in enumerate(header, start=1):
        title = title or f"colonne_{position}"
        unique, number = title, tried.get(title, 1)
        while unique in taken:
            number += 1
            unique = f"{title} ({number})"
        tried[title] = number
        taken.add(unique)
        columns.append(unique)
    return columns


def _check_size(name: str, data: pd.DataFrame, malformed: dict, delimiter: str) -> pd.DataFrame:
    """Refuse a table over the limits ``rows`` or ``cells``; rows with a cell over the limit
    ``cell_chars`` become malformed rows (their text echoed short, see :func:`limits.echo`)."""
    lim = limits.current()
    if len(data) + len(malformed) > lim.rows:
        raise limits.refuse(name, "rows", len(data) + len(malformed), "the rows")
    cells = len(data) * max(len(data.columns), 1)
    if cells > lim.cells:
        raise limits.refuse(name, "cells", cells, "the cells (rows × columns)")
    for row in list(malformed):  # a malformed row's raw text is echoed short too
        line, problem = malformed[row]
        malformed[row] = (limits.echo(line), problem)
    if data.empty:
        return data
    import pyarrow.compute as pc

    long_rows = None
    for _column, series in data.items():
        # bytes ≥ characters: most columns are cleared by one Arrow kernel call
        if (
            pc.max(pc.binary_length(series.array.__arrow_array__())).as_py() or 0
        ) <= lim.cell_chars:
            continue
        over = series.str.len().gt(lim.cell_chars).to_numpy(dtype=bool)
        if over.any():
            long_rows = over if long_rows is None else long_rows | over
    if long_rows is None or not long_rows.any():
        return data
    for row in data.index[long_rows]:
        values = data.loc[row].tolist()
        position = next(i for i, v in enumerate(values) if len(v) > lim.cell_chars)
        column = data.columns[position]
        length = sum(map(len, values)) + len(values) - 1
        head = delimiter.join(v[: limits.ECHO_CHARS + 1] for v in values)
        malformed[int(row)] = (
            limits.echo(head, length),
            limits.problem(name, "cell_chars", len(values[position]),
                           "the characters in a cell", row=int(row), column=column),
        )  # fmt: skip
    return data[~long_rows]


# --- spreadsheets ---------------------------------------------------------------------------


def read_spreadsheet(path: Path, sheet: str | int | None = None) -> RawTable:
    """Read the first (or the named) sheet of an XLSX or ODS workbook.

    XLSX sheets are read row by row as stored, whatever used range the sheet declares (a
    stray cell at ``XFD1048576`` costs one cell, not 17 billion); rows, columns, cells,
    characters in a cell and blank rows in a row are checked against :mod:`qet_geo.limits`.
    """
    name = str(path)
    engine = "odf" if path.suffix.lower() == ".ods" else "openpyxl"
    _check_workbook_zip(path, name)
    if engine == "openpyxl":
        return _read_xlsx(path, name, sheet)
    return _read_ods(path, name, sheet)
    try:
        book = pd.ExcelFile(path, engine=engine)
        sheets = book.sheet_names
    except Exception as exc:  # corrupt workbook: zipfile/odf/openpyxl errors
        raise InputError(
            Problem.of(
                name,
                Message(
                    "not a readable {format} workbook: {error}",
                    format=path.suffix.lstrip(".").upper(),
                    error=str(exc),
                ),
            )
        ) from exc
    sheet = _choose_sheet(name, sheets, sheet)
    try:
        frame = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
    except Exception as exc:  # a sheet the reader cannot make sense of
        raise InputError(
            Problem.of(name, Message("cannot read the sheet: {error}", error=exc), value=str(sheet))
        ) from exc
    finally:
        book.close()
    cells = frame.apply(lambda column: column.map(_cell_text))
    cells.index = pd.RangeIndex(1, len(cells) + 1)
    return _sheet_table(name, sheets, sheet, cells, "ods")


def _check_workbook_zip(path: Path, name: str) -> None:
    """A workbook is a zip: refuse members declared to inflate beyond the limit."""
    try:
        with zipfile.ZipFile(path) as archive:
            limits.check_zip_members(archive, name)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            Problem.of(
                name,
                Message(
                    "not a readable {format} workbook: {error}",
                    format=path.suffix.lstrip(".").upper(),
                    error=str(exc),
                ),
            )
        ) from exc


def check_ods(path: Path, name: str) -> None:
    """Refuse an ODS workbook whose repeated rows and cells (``number-rows-repeated``,
    ``number-columns-repeated``) would expand beyond the reading limits, counted from
    content.xml read in chunks before any cell is made.  Trailing empty rows and cells,
    however repeated, cost nothing (the reader never makes them)."""
    lim = limits.current()
    state = {"table": "", "rows": 0, "blank": 0, "width": 0, "row_repeat": 1,
             "column": 0, "row_width": 0, "cell_repeat": 1, "filled": False, "chars": 0,
             "in_cell": False}  # fmt: skip

    def where():
        return f"{name} [{state['table']}]"

    def start(tag, attrs):
        tag = tag.rpartition(":")[2]
        if tag == "table":
            state.update(table=attrs.get("table:name", ""), rows=0, blank=0, width=0)
        elif tag == "table-row":
            state.update(row_repeat=int(attrs.get("table:number-rows-repeated", 1)),
                         column=0, row_width=0)  # fmt: skip
        elif tag in ("table-cell", "covered-table-cell"):
            state.update(cell_repeat=int(attrs.get("table:number-columns-repeated", 1)),
                         filled="office:value-type" in attrs, chars=0, in_cell=True)  # fmt: skip

    def end(tag):
        tag = tag.rpartition(":")[2]
        if tag in ("table-cell", "covered-table-cell"):
            state["in_cell"] = False
            state["column"] += state["cell_repeat"]
            if state["filled"] or state["chars"]:
                state["row_width"] = state["column"]
        elif tag == "table-row":
            if not state["row_width"]:
                state["blank"] += state["row_repeat"]
                return
            if state["blank"] > lim.blank_rows:
                raise _blank_rows(where(), state["rows"] + 1, state["blank"])
            state["rows"] += state["blank"] + state["row_repeat"]
            state["blank"] = 0
            state["width"] = max(state["width"], state["row_width"])
            if state["rows"] > lim.rows:
                raise limits.refuse(where(), "rows", state['rows'],
                                    "the rows of the sheet")  # fmt: skip
            if state["width"] > lim.columns:
                raise limits.refuse(where(), "columns", state['width'],
                                    "the columns with a value", row=state["rows"])  # fmt: skip
            if state["rows"] * state["width"] > lim.cells:
                raise limits.refuse(where(), "cells", state['rows'] * state['width'],
                                    "the cells of the sheet", row=state["rows"])  # fmt: skip

    def data(text):
        if not state["in_cell"]:
            return
        state["chars"] += len(text)
        if state["chars"] > lim.cell_chars:
            raise limits.refuse(where(), "cell_chars", limits.more_than(lim.cell_chars),
                                "the characters in a cell", row=state["rows"] + 1)  # fmt: skip

    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as source:
            for _ in _expat((start, end, data), source, f"{name} [content.xml]"):
                pass
    except InputError:
        raise
    except Exception as exc:  # not a zip, no content.xml, not XML: the reader says why
        raise InputError(
            Problem.of(
                name,
                Message("not a readable {format} workbook: {error}", format="ODS", error=str(exc)),
            )
        ) from exc


class _OdsRows:
    """Expat handlers reading the tables of an ODS content.xml as pandas' ODF reader
    reads them (strings with ``text:s`` spaces, line breaks and paragraphs, numbers,
    booleans, dates, times; annotations left out), without a document tree.  Rows of the
    table ``wanted`` (a position, or a name) go to ``rows`` as (row number, {column:
    value}, repeat); the names of every table to ``names``."""

    CELLS = ("table-cell", "covered-table-cell")

    def __init__(self, wanted, limit: int):
        self.wanted = wanted
        self.names: list[str] = []
        self.texts = _Texts(limit)
        self.rows: list[tuple[int, dict[int, object], int]] = []
        self.reading = False
        self.row = 0  # rows of the table so far (repeats counted)
        self.row_repeat = 1
        self.column = 0
        self.cells: dict[int, tuple[object, int]] = {}
        self.cell = None  # attributes of the cell being read
        self.depth = 0  # element depth inside the cell
        self.paragraphs = 0
        self.annotation = 0

    def start(self, tag, attrs):
        tag = tag.rpartition(":")[2]
        if self.cell is not None:
            self.depth += 1
            if self.annotation or tag == "annotation":
                self.annotation += 1
            elif tag == "s":
                self.texts.add(" " * int(attrs.get("text:c", 1)))
            elif tag == "line-break":
                self.texts.add("\n")
            elif tag == "p" and self.depth == 1:
                if self.paragraphs:
                    self.texts.add("\n")
                self.paragraphs += 1
            return
        if tag == "table":
            self.names.append(attrs.get("table:name", ""))
            wanted = self.wanted
            self.reading = (
                wanted == self.names[-1]
                if isinstance(wanted, str)
                else wanted == len(self.names) - 1
            )
            self.row = 0
        elif tag == "table-row" and self.reading:
            self.row_repeat = int(attrs.get("table:number-rows-repeated", 1))
            self.column, self.cells = 0, {}
        elif tag in self.CELLS and self.reading:
            self.cell = (tag, attrs)
            self.depth = self.paragraphs = self.annotation = 0
            self.texts.start()
            self.texts.inside = True

    def end(self, tag):
        tag = tag.rpartition(":")[2]
        if self.cell is not None and self.depth:
            self.depth -= 1
            if self.annotation:
                self.annotation -= 1
            return
        if tag in self.CELLS and self.cell is not None:
            kind, attrs = self.cell
            repeat = int(attrs.get("table:number-columns-repeated", 1))
            value = self._value(kind, attrs)
            if value is not None:
                self.cells[self.column + 1] = (value, repeat)
            self.column += repeat
            self.cell = None
        elif tag == "table-row" and self.reading:
            self.rows.append((self.row + 1, self.cells, self.row_repeat))
            self.row += self.row_repeat
        elif tag == "table":
            self.reading = False

    def data(self, text):
        if self.cell is not None and not self.annotation:
            self.texts.add(text.strip("\n"))

    def _value(self, kind, attrs):
        text = self.texts.value()
        kind_of = attrs.get("office:value-type")
        if (kind == "covered-table-cell" and "office:value" not in attrs) or kind_of is None:
            return None
        if text == "#N/A":
            return None
        if kind_of == "boolean":  # the value, not its text ("VRAI" in French)
            return attrs.get("office:boolean-value", "").lower() == "true"
        if kind_of == "float":
            value = float(attrs.get("office:value"))
            return int(value) if value.is_integer() and abs(value) < _EXACT_INTEGERS else value
        if kind_of in ("percentage", "currency"):
            return float(attrs.get("office:value"))
        if kind_of == "string":
            return text or None
        if kind_of == "date":
            return pd.Timestamp(attrs.get("office:date-value"))
        if kind_of == "time":
            return pd.Timestamp(text).time()
        raise ValueError(f"Unrecognized type {kind_of}")


def _read_ods(path: Path, name: str, sheet: str | int | None) -> RawTable:
    """An ODS sheet read from content.xml in chunks by :class:`_OdsRows` (repeated rows
    and cells checked against the reading limits before they are made)."""
    lim = limits.current()

    def parse(wanted):
        parser = _OdsRows(wanted, lim.cell_chars)
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as source:
            for _ in _expat((parser.start, parser.end, parser.data), source, name):
                yield parser
                parser.rows.clear()

    try:
        wanted = 0
        if sheet is not None:  # a first look for the names (a name before a position)
            for looked in parse(None):
                sheets = looked.names
            wanted = sheets.index(_choose_sheet(name, sheets, sheet))
        rows: dict[int, dict[int, str]] = {}
        too_long: dict[int, tuple[int, int, str]] = {}
        used: set[int] = set()
        count, last, table_name = 0, 0, name
        for parser in parse(wanted):
            if parser.names and len(parser.names) > wanted:
                table_name = f"{name} [{parser.names[wanted]}]"
            for number, cells, repeat in parser.rows:
                values = {}
                for column, (value, times) in cells.items():
                    text, over = _limited_text(value, lim.cell_chars)
                    if text == "":
                        continue
                    if over:
                        too_long.setdefault(number, (column, over, text))
                    if column + times - 1 > lim.columns:
                        raise limits.refuse(table_name, "columns", column + times - 1,
                                            "the columns with a value", row=number)  # fmt: skip
                    values.update(dict.fromkeys(range(column, column + times), text))
                if not values:
                    continue
                if number - last - 1 > lim.blank_rows:
                    raise _blank_rows(table_name, last + 1, number - last - 1)
                end = number + repeat - 1
                if end > lim.rows:
                    raise limits.refuse(table_name, "rows", end,
                                        "the rows of the sheet", row=number)  # fmt: skip
                used.update(values)
                if len(used) > lim.columns:
                    raise limits.refuse(table_name, "columns", len(used),
                                        "the columns with a value", row=number)  # fmt: skip
                count += len(values) * repeat
                if count > lim.cells or (len(rows) + repeat) * len(used) > lim.cells:
                    found = max(count, (len(rows) + repeat) * len(used))
                    raise limits.refuse(table_name, "cells", found,
                                        "the cells of the sheet", row=number)  # fmt: skip
                for copy in range(number, end + 1):
                    rows[copy] = values
                last = end
        sheets = parser.names
    except InputError:
        raise
    except Exception as exc:  # not a zip, no content.xml, not XML, an unknown cell type
        raise InputError(
            Problem.of(
                name,
                Message("not a readable {format} workbook: {error}", format="ODS", error=str(exc)),
            )
        ) from exc
    if not sheets:
        raise InputError(
            Problem.of(
                name,
                Message(
                    "not a readable {format} workbook: {error}", format="ODS", error="no sheet"
                ),
            )
        )
    sheet = sheets[wanted]
    cells, too_long = _sparse_cells(rows, used, too_long)
    return _sheet_table(name, sheets, sheet, cells, "ods", too_long)


def _choose_sheet(name: str, sheets: list[str], sheet: str | int | None) -> str:
    if sheet is None:
        return sheets[0]
    if str(sheet) in sheets:
        return str(sheet)  # a sheet named "2024" is that sheet, not the 2025th
    if str(sheet).isdigit() and int(sheet) < len(sheets):
        return sheets[int(sheet)]
    raise InputError(
        Problem(
            name,
            None,
            None,
            str(sheet),
            "no such sheet",
            expected=Message("one of {choices}", choices=", ".join(map(repr, sheets))),
        )
    )


def _sheet_table(name, sheets, sheet, cells: pd.DataFrame, fmt: str, too_long=None) -> RawTable:
    """The RawTable of a sheet's cells as text (index = spreadsheet row numbers)."""
    non_blank = cells.index[cells.ne("").any(axis=1)]
    if len(non_blank) == 0:
        raise InputError(
            Problem(
                name,
                None,
                None,
                sheet,
                "the sheet is empty",
                expected=(
                    Message(
                        "a header row and one row per respondent (choose another sheet: {sheets})",
                        sheets=", ".join(map(repr, sheets)),
                    )
                    if len(sheets) > 1
                    else "a header row and one row per respondent"
                ),
            )
        )
    header_row = int(non_blank[0])
    header = [cell.strip() for cell in cells.loc[header_row]]
    # drop trailing columns that have neither a header nor any value
    keep = [i for i, title in enumerate(header) if title or cells.iloc[:, i].ne("").any()]
    cells = cells.iloc[:, keep]
    columns = _unique_headers([header[i] for i in keep], name, header_row)
    body = cells.loc[[row for row in non_blank if row > header_row]]
    body.columns = columns
    body.index = pd.Index(body.index.astype("int64"), name="source_row")
    table_name = name if len(sheets) == 1 else f"{name} [{sheet}]"
    malformed = {}
    for row, (column, length, head) in sorted((too_long or {}).items()):
        if row <= header_row:
            raise limits.refuse(table_name, "cell_chars", length,
                                "the characters in a header cell", row=row)  # fmt: skip
        problem = limits.problem(table_name, "cell_chars", length,
                                 "the characters in a cell", row=row,
                                 column=columns[keep.index(column)])  # fmt: skip
        malformed[row] = (head, problem)
        body = body.drop(index=row, errors="ignore")
    return RawTable(
        table_name,
        fmt,
        columns,
        body.astype(TEXT),
        header_row=header_row,
        malformed=malformed,
    )


class _TooLong(str):
    """A text over the limit ``cell_chars``: its first characters and its length."""

    length: int


class _Texts:
    """Character data of the ``<t>`` elements (outside ``<rPh>``), kept up to the limit
    ``cell_chars`` and counted beyond it (an expat helper)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0
        self.inside = False
        self.phonetic = 0

    def start(self):
        self.parts, self.size = [], 0

    def add(self, text: str):
        if self.size <= self.limit:
            self.parts.append(text)
        self.size += len(text)

    def value(self) -> str:
        text = "".join(self.parts).replace("x005F_", "")
        if self.size > self.limit:
            text = _TooLong(text[: limits.ECHO_CHARS])
            text.length = self.size
        return text


def _expat(handlers, source, where: str):
    """Feed ``source`` (a binary file) to an expat parser with ``handlers`` in chunks,
    yielding after each chunk (so that the caller checks its limits as the data comes)."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = handlers
    size, limit = 0, limits.get("inflated_bytes")
    while chunk := source.read(1 << 20):
        size += len(chunk)
        if size > limit:
            raise limits.refuse(where, "inflated_bytes", limits.more_than(limit),
                                "the inflated size in bytes")  # fmt: skip
        parser.Parse(chunk, False)
        yield
    parser.Parse(b"", True)
    yield


def _shared_strings(source, name: str) -> list[str]:
    """The shared strings of an XLSX workbook, read with expat in chunks: a text over the
    limit ``cell_chars`` is kept as a :class:`_TooLong` of its first characters, never
    whole (openpyxl would hold every one in memory, however long)."""
    strings: list[str] = []
    texts = _Texts(limits.get("cell_chars"))

    def start(tag, _attrs):
        tag = tag.rpartition(":")[2]
        if tag == "si":
            texts.start()
        elif tag == "rPh":
            texts.phonetic += 1
        elif tag == "t" and not texts.phonetic:
            texts.inside = True

    def end(tag):
        tag = tag.rpartition(":")[2]
        if tag == "si":
            strings.append(texts.value())
        elif tag == "rPh":
            texts.phonetic -= 1
        elif tag == "t":
            texts.inside = False

    def data(text):
        if texts.inside:
            texts.add(text)

    for _ in _expat((start, end, data), source, f"{name} [sharedStrings]"):
        pass
    return strings


class _SheetRows:
    """Expat handlers reading an XLSX sheet's cells as stored (``data_only``: the cached
    values of formulas), as openpyxl converts them: numbers, dates (by the cell's style),
    booleans, shared and inline strings; errors (``#N/A``…) are empty, as pandas reads them.
    Completed rows go to ``rows`` as (row number, {column number: value})."""

    def __init__(self, book, shared: list[str], limit: int):
        self.book, self.shared = book, shared
        self.texts = _Texts(limit)
        self.rows: list[tuple[int, dict[int, object]]] = []
        self.row = self.column = 0
        self.cells: dict[int, object] = {}
        self.cell = None  # (type, style) of the cell being read
        self.in_value = False

    def start(self, tag, attrs):
        from openpyxl.utils.cell import coordinate_to_tuple

        tag = tag.rpartition(":")[2]
        if tag == "row":
            self.row = int(float(attrs["r"])) if "r" in attrs else self.row + 1
            self.column = 0
            self.cells = {}
        elif tag == "c":
            if "r" in attrs:
                _, self.column = coordinate_to_tuple(attrs["r"])
            else:
                self.column += 1
            self.cell = (attrs.get("t", "n"), int(attrs.get("s", 0) or 0))
            self.texts.start()
        elif self.cell is not None:
            if tag == "v":
                self.in_value = True
                self.texts.start()
            elif tag == "rPh":
                self.texts.phonetic += 1
            elif tag == "t" and not self.texts.phonetic and self.cell[0] == "inlineStr":
                self.texts.inside = True

    def end(self, tag):
        tag = tag.rpartition(":")[2]
        if tag == "row":
            self.rows.append((self.row, self.cells))
        elif tag == "c":
            value = self._value()
            if value is not None:
                self.cells[self.column] = value
            self.cell = None
        elif tag == "v":
            self.in_value = False
        elif tag == "rPh":
            self.texts.phonetic -= 1
        elif tag == "t":
            self.texts.inside = False

    def data(self, text):
        if self.in_value or self.texts.inside:
            self.texts.add(text)

    def _value(self):
        from openpyxl.utils.datetime import from_excel, from_ISO8601
        from openpyxl.worksheet._reader import _cast_number

        kind, style = self.cell
        text = self.texts.value()
        if kind == "inlineStr" or (kind == "str" and isinstance(text, _TooLong)):
            return text
        if not text or isinstance(text, _TooLong):
            return text or None  # a value of a million digits: kept short
        if kind == "n":
            value = _cast_number(text)
            if style in self.book._date_formats:
                try:
                    return from_excel(
                        value, self.book.epoch, timedelta=style in self.book._timedelta_formats
                    )
                except (OverflowError, ValueError):
                    return None  # outside the dates: an error cell
            if isinstance(value, float) and not (
                value.is_integer() and abs(value) < _EXACT_INTEGERS
            ):
                return value  # also nan and inf, which int() refuses, and 1e308
            return int(value)
        if kind == "s":
            return self.shared[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "str":
            return text
        if kind == "d":
            return from_ISO8601(text)
        return None  # "e": an error such as #N/A


def first_xlsx_row(path: str | Path) -> list[str]:
    """The first non-blank row of an XLSX workbook's first sheet, as text, read within
    the reading limits (for a quick look at a header)."""
    path = Path(path)
    _check_workbook_zip(path, str(path))
    return _read_xlsx(path, str(path), None, first_row=True)


def _read_xlsx(path: Path, name: str, sheet: str | int | None, first_row: bool = False):
    """An XLSX sheet, cell by cell as stored (never padded to its declared used range),
    checked against the reading limits as it goes.  openpyxl reads the workbook's parts
    (sheet names, styles, dates' epoch); the sheet and the shared strings are read with
    expat, in chunks, by :class:`_SheetRows` and :func:`_shared_strings`."""
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader

    class Reader(ExcelReader):
        def read_strings(self):
            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as source:
                    self.shared_strings = _shared_strings(source, name)

    try:
        reader = Reader(str(path), read_only=True, data_only=True, keep_links=False)
        reader.read()
        book = reader.wb
        sheets = book.sheetnames
    except InputError:
        raise
    except Exception as exc:  # corrupt workbook: zipfile/xml/openpyxl errors
        raise InputError(
            Problem.of(
                name,
                Message("not a readable {format} workbook: {error}", format="XLSX", error=str(exc)),
            )
        ) from exc
    try:
        sheet = _choose_sheet(name, sheets, sheet)
        worksheet = book[sheet]
        table_name = name if len(sheets) == 1 else f"{name} [{sheet}]"
        lim = limits.current()
        rows: dict[int, dict[int, str]] = {}
        too_long: dict[int, tuple[int, int, str]] = {}
        used: set[int] = set()
        count, last = 0, 0
        parser = _SheetRows(book, worksheet._shared_strings, lim.cell_chars)
        handlers = (parser.start, parser.end, parser.data)
        try:
            with worksheet._get_source() as source:
                for _ in _expat(handlers, source, table_name):
                    for number, cells in parser.rows:
                        values = {}
                        for column, value in cells.items():
                            text, over = _limited_text(value, lim.cell_chars)
                            if text == "":
                                continue
                            if over:
                                too_long.setdefault(number, (column, over, text))
                            values[column] = text
                        if not values:
                            if number - last > lim.blank_rows:
                                raise _blank_rows(table_name, last + 1, number - last)
                            continue
                        if number - last - 1 > lim.blank_rows:
                            raise _blank_rows(table_name, last + 1, number - last - 1)
                        if number > lim.rows:
                            raise limits.refuse(table_name, "rows", number,
                                                "the rows of the sheet", row=number)  # fmt: skip
                        used.update(values)
                        if len(used) > lim.columns:
                            raise limits.refuse(table_name, "columns", len(used),
                                                "the columns with a value", row=number)  # fmt: skip
                        count += len(values)
                        if count > lim.cells or len(rows) * len(used) > lim.cells:
                            raise limits.refuse(table_name, "cells",
                                                max(count, len(rows) * len(used)),
                                                "the cells of the sheet", row=number)  # fmt: skip
                        rows[number] = values
                        last = number
                        if first_row:
                            return [values.get(c, "") for c in range(1, max(values) + 1)]
                    parser.rows.clear()
        except InputError:
            raise
        except Exception as exc:  # a sheet the reader cannot make sense of
            raise InputError(
                Problem.of(
                    name,
                    Message("cannot read the sheet: {error}", error=str(exc)),
                    value=str(sheet),
                )
            ) from exc
    finally:
        book.close()
    cells, too_long = _sparse_cells(rows, used, too_long)
    return _sheet_table(name, sheets, sheet, cells, "xlsx", too_long)


def _limited_text(value, cell_chars: int) -> tuple[str, int | None]:
    """A cell's text, and its length when over ``cell_chars`` (the text then echoed short);
    an over-long value read by the sheet parsers carries its ``length`` (never kept whole)."""
    length = getattr(value, "length", None)
    text = value if length else _cell_text(value)
    if text == "":
        return "", None
    length = length or len(text)
    if length > cell_chars:
        return limits.echo(text, length), length
    return text, None


def _sparse_cells(rows: dict, used: set, too_long: dict) -> tuple[pd.DataFrame, dict]:
    """The cells read sparsely (row → {column: text}) as a table of the columns used, in
    order, and the over-long cells' columns as positions in it."""
    if not rows:
        return pd.DataFrame(index=pd.RangeIndex(1, 1)), too_long
    order = sorted(used)
    position = {column: i for i, column in enumerate(order)}
    grid = [[""] * len(order) for _ in rows]
    for line, values in zip(grid, rows.values(), strict=True):
        for column, text in values.items():
            line[position[column]] = text
    cells = pd.DataFrame(grid, index=list(rows), columns=range(len(order)), dtype=object)
    return cells, {r: (position[c], n, head) for r, (c, n, head) in too_long.items()}


def _blank_rows(name: str, first: int, found: int) -> InputError:
    return limits.refuse(
        name,
        "blank_rows",
        limits.or_more(found) if found == limits.get("blank_rows") + 1 else found,
        "the blank rows in a row",
        row=first,
    )


def _cell_text(value: object) -> str:
    if value is None or (not isinstance(value, (str, bytes)) and pd.isna(value)):
        return ""  # None, NaN, NaT, NA
    if isinstance(value, (bool, np.bool_)):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_INTEGERS:
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return value.isoformat()
    text = str(value)
    # U+FEFF is never content (see _decode): a cell pasted from a CSV with its byte order mark
    return text.replace("\ufeff", "") if "\ufeff" in text else text


# --- point layers ---------------------------------------------------------------------------


def read_layer(path: Path, layer: str | None = None) -> RawTable:
    """Read a point layer (GeoPackage, GeoJSON, Shapefile…); row numbers are feature ids."""
    name = str(path)
    if layer is None:
        try:
            layers = geo.backend().list_layers(path)
        except Exception as exc:
            raise InputError(
                Problem.of(name, Message("cannot read the layer: {error}", error=str(exc)))
            ) from exc
        if len(layers) > 1:
            points = [n for n, kind in layers if kind in ("Point", "MultiPoint")]
            if len(points) != 1:
                raise InputError(
                    Problem.of(
                        name,
                        "the file has several layers",
                        expected=Message(
                            "the layer to read (--layer), one of {layers}",
                            layers=", ".join(repr(n) for n, _ in layers),
                        ),
                    )
                )
            layer = points[0]
        name_with_layer = f"{name} [{layer}]" if layer is not None else name
    else:
        name_with_layer = f"{name} [{layer}]"
    _check_layer_size(path, layer, name_with_layer)
    try:
        attributes, geometry, crs, driver = geo.backend().read_layer(path, layer)
    except Exception as exc:
        raise InputError(
            Problem(
                name, None, None, layer, Message("cannot read the layer: {error}", error=str(exc))
            )
        ) from exc
    if geometry is not None and crs is None:
        raise InputError(
            Problem.of(
                name,
                "the layer has no coordinate reference system",
                expected="a layer with a CRS (set it in QGIS, then re-save)",
            )
        )
    if geometry is not None:
        import shapely

        present = geometry[~pd.isna(geometry)]
        kinds = set(shapely.get_type_id(present).tolist()) - {
            int(shapely.GeometryType.POINT),
            int(shapely.GeometryType.MULTIPOINT),
        }
        if kinds:
            raise InputError(
                Problem(
                    name,
                    None,
                    "geometry",
                    ", ".join(sorted(shapely.GeometryType(k).name.title() for k in kinds)),
                    "the layer does not hold points",
                    expected="a point layer (one point per respondent's home)",
                )
            )
    if len(attributes) == 0:
        raise InputError(
            Problem.of(
                name,
                "the layer has no features",
                expected="one feature per respondent",
            )
        )
    cells = attributes.apply(lambda column: column.map(_cell_text)).astype(TEXT)
    cells.index = pd.Index(attributes.index.astype("int64"), name="source_row")
    if any("\ufeff" in str(title) for title in cells.columns):  # a field named from a BOM CSV
        titles = [str(title).replace("\ufeff", "").strip() for title in cells.columns]
        cells.columns = _unique_headers(titles, name, 1)
    return RawTable(
        name_with_layer,
        driver,
        list(cells.columns),
        cells,
        geometry=pd.Series(geometry, index=cells.index, dtype=object)
        if geometry is not None
        else None,
        crs=crs if geometry is not None else None,
    )


def _check_layer_size(path: Path, layer: str | None, name: str) -> None:
    """Refuse a survey layer whose features × fields exceed the reading limits, from the
    counts the geo backend gives before reading (GDAL's, or QGIS's inside QGIS, where
    pyogrio must not be loaded); skipped when it cannot say (the reader then says why)."""
    try:
        size = geo.backend().layer_size(path, layer)
    except Exception:  # unreadable: the reader says why
        return
    if size is None:
        return
    features, fields = size

    stored = gpkg_feature_count(path, layer)
    if stored is not None and stored != features:
        # GDAL takes the count of gpkg_ogr_contents as it is, and reads that many features
        # (the others lost) or, wrapped to a negative number, none of the limits
        limits.check(name, "rows", stored, "the features of the layer")
        raise InputError(
            Problem.of(
                name,
                Message(
                    "the GeoPackage says the layer has {read} features but it holds {stored}",
                    read=features,
                    stored=stored,
                ),
                expected="a GeoPackage saved again (QGIS: Export > Save Features As)",
            )
        )
    limits.check(name, "rows", features, "the features of the layer")
    limits.check(name, "columns", fields, "the fields of the layer")
    limits.check(name, "cells", max(features, 0) * fields, "the cells (features × fields)")


# --- respondents files written by qet-geo ---------------------------------------------------

#: columns every respondents file written by qet-geo has
RESPONDENT_MARKERS = ("respondent_id", "source_row")


def read_respondents_file(path: str | Path) -> pd.DataFrame | None:
    """A respondents file written by qet-geo (``survey import``, ``footprint -o``…), read
    as it is: GeoPackage (layer ``respondents`` or the only one), Parquet or CSV. ``None``
    when the file is not one (then it is a survey export, to import with a schema)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file() or suffix not in (".gpkg", ".parquet", ".csv"):
        return None
    try:
        if suffix == ".csv":
            with open(path, encoding="utf-8-sig") as handle:
                header = next(csv.reader(handle), [])
            if not all(m in header for m in RESPONDENT_MARKERS):
                return None

            frame = spreadsheet_text_back(  # written by qet-geo: its text cells as they were
                pd.read_csv(path, encoding="utf-8-sig", dtype={"respondent_id": str})
            )
        elif suffix == ".parquet":
            import pyarrow.parquet as pq

            names = pq.read_schema(path).names
            if not all(m in names for m in RESPONDENT_MARKERS):
                return None
            frame = pd.read_parquet(path)
            if "geometry" in names:
                import geopandas as gpd

                frame = gpd.read_parquet(path)
        else:
            import pyogrio

            layers = [str(row[0]) for row in pyogrio.list_layers(path)]
            layer = (
                "respondents"
                if "respondents" in layers
                else layers[0]
                if len(layers) == 1
                else None
            )
            if layer is None:
                return None
            fields = list(pyogrio.read_info(path, layer=layer)["fields"])
            if not all(m in fields for m in RESPONDENT_MARKERS):
                return None
            import geopandas as gpd

            frame = gpd.read_file(path, layer=layer)

            check_features_read(path, layer, len(frame))
    except Exception as exc:  # a file that says it is one but cannot be read
        raise InputError(
            Problem.of(
                str(path), Message("cannot read the respondents file: {error}", error=str(exc))
            )
        ) from exc
    frame["respondent_id"] = frame["respondent_id"].astype(str)
    return frame
