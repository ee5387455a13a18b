"""Reading limits: how much of an input qet-geo accepts before refusing it.

A small file can claim or unpack into a huge one: a spreadsheet whose used range says
``A1:XFD1048576``, a zip member that inflates to gigabytes, a GTFS frequency every second for
999 hours, a grid of one metre over a town.  Every reader checks what it reads against the
limits below, and refuses what exceeds one with an :class:`~qet_geo.errors.InputError` (or a
:class:`~qet_geo.errors.ParameterError` for a parameter) that names the file, the limit, the
value found and how to raise it.  Checks cost what the data costs, never what a header
claims: declared dimensions are not trusted, zip members are inflated in chunks with a cap.

Every limit has a default (below) and can be raised (or lowered) by an environment variable
``QET_GEO_MAX_<NAME>`` (e.g. ``QET_GEO_MAX_CELLS=50000000``), read when a check runs; the
values are whole numbers (``_`` allowed: ``50_000_000``).
"""

from __future__ import annotations

import json
import math
import numbers
import os
import zipfile
import zlib
from dataclasses import dataclass, fields
from pathlib import Path

from .errors import ECHO_CHARS, InputError, ParameterError, Problem
from .i18n import Count, Message, tr

#: the finest grid spacing, in metres (the configuration's ``grid``, ``--grid`` and the
#: Processing parameters): a rule of the method, not a limit to raise
MIN_GRID_SPACING_M = 10.0


@dataclass(frozen=True)
class Limits:
    """The reading limits (defaults); ``QET_GEO_MAX_<NAME>`` overrides each one."""

    #: bytes one zip member (XLSX/ODS part, GTFS file) may inflate to
    inflated_bytes: int = 1 << 30
    #: bytes a text input may have (CSV/TSV survey, census CSV, JSON)
    file_bytes: int = 2 << 30
    #: bytes of a configuration (TOML), a weights file or a survey schema
    config_bytes: int = 16 << 20
    #: rows of a survey table or features of a survey layer (Excel's own limit: 1,048,576)
    rows: int = 1_048_576
    #: columns of a survey table (Excel's own limit is 16,384)
    columns: int = 16_384
    #: cells (rows × columns) of a survey table
    cells: int = 20_000_000
    #: characters in one cell (a long free-text answer is far shorter)
    cell_chars: int = 1_000_000
    #: blank rows in a row inside a spreadsheet (stored or skipped) before more content
    blank_rows: int = 10_000
    #: departures of one service day, trips of frequencies.txt expanded
    departures: int = 20_000_000
    #: points of a PTAL or proximity grid
    grid_points: int = 4_000_000

    @staticmethod
    def variable(name: str) -> str:
        return f"QET_GEO_MAX_{name.upper()}"


def current() -> Limits:
    """The limits in force: the defaults, overridden by ``QET_GEO_MAX_<NAME>`` variables."""
    values = {}
    for item in fields(Limits):
        text = os.environ.get(Limits.variable(item.name))
        if text is None or not text.strip():
            continue
        try:
            value = int(text.strip().replace("_", ""))
        except ValueError:
            value = 0
        if value < 1:
            raise ParameterError(
                tr(
                    "{variable}={text!r}: expected a whole number",
                    variable=Limits.variable(item.name),
                    text=text,
                )
            )
        values[item.name] = value
    return Limits(**values)


def get(name: str) -> int:
    """One limit in force, by its field name (``get("cells")``)."""
    return getattr(current(), name)


def problem(
    file: str,
    name: str,
    found: int | Message,
    what: str,
    *,
    row: int | None = None,
    column: str | None = None,
) -> Problem:
    """The problem of an input over the limit ``name``: ``what`` (an English label of the
    catalogue) was ``found``: a whole number, or :func:`more_than` / :func:`or_more`.
    Numbers are said with their digits grouped (1,234,567; in French 1 234 567)."""
    return Problem.of(
        file,
        Message(
            "{what} exceeds the reading limit of {limit} (found {found}); "
            "raise it with the environment variable {variable}",
            what=what if isinstance(what, Message) else Message(what),
            limit=Count(get(name)),
            found=Count(found) if isinstance(found, numbers.Integral) else found,
            variable=Limits.variable(name),
        ),
        row=row,
        column=column,
    )


def more_than(n: int) -> Message:
    """The ``found`` of a reading stopped as soon as it passed the limit ``n``."""
    return Message("more than {n}", n=Count(n))


def or_more(n: int) -> Message:
    """The ``found`` of a count stopped at ``n`` (there may be more)."""
    return Message("{n} or more", n=Count(n))


def refuse(file: str, name: str, found: int | Message, what: str, **where) -> InputError:
    """The InputError of :func:`problem` (to ``raise``)."""
    return InputError(problem(file, name, found, what, **where))


def check(file: str, name: str, found: int, what: str, **where) -> None:
    """Raise the InputError of :func:`problem` when ``found`` exceeds the limit."""
    if found > get(name):
        raise refuse(file, name, int(found), what, **where)


def check_file_size(path, name: str = "file_bytes") -> None:
    """Refuse a file larger than the limit ``name`` before reading it (missing: no-op)."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return
    check(str(path), name, size, "the file's size in bytes")


def read_yaml(path, name: str = "config_bytes"):
    """The data of a small YAML file (a levers file, a schema), read bounded: its size
    against the limit ``name``, no anchors nor aliases (a few hundred bytes of nested
    aliases expand to gigabytes), no key given twice in a mapping (YAML keeps the last one
    silently), only YAML's safe types. An error names the file and the line."""
    import yaml  # noqa: PLC0415 (YAML only where a YAML file is read)

    file = str(path)
    check_file_size(path, name)

    class Strict(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                line = self.peek_event().start_mark.line + 1
                raise InputError(Problem.of(file, "an alias (*name): not accepted here", row=line,
                                            expected="plain YAML values, no anchors nor aliases"))  # fmt: skip
            return super().compose_node(parent, index)

        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                key = str(self.construct_object(key_node, deep=True))  # 1 and "1" collide
                if key in seen:
                    raise InputError(Problem.of(file, "a key given twice in a mapping",
                                                row=key_node.start_mark.line + 1, value=echo(key),
                                                expected="each key once"))  # fmt: skip
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
        return yaml.load(text, Loader=Strict)  # noqa: S506 (a SafeLoader, stricter)
    except UnicodeDecodeError as exc:
        raise InputError(Problem.of(file, "not a UTF-8 text file", expected="a YAML file")) from exc
    except RecursionError as exc:
        raise InputError(Problem.of(file, "nested too deep", expected="a YAML file")) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise InputError(Problem.of(file, Message("not a YAML file: {error}", error=str(reason)),
                                    row=None if mark is None else mark.line + 1,
                                    expected="a YAML file")) from exc  # fmt: skip


def read_json(path, name: str = "file_bytes"):
    """The content of a JSON file within the limit ``name`` on its size, or an InputError
    naming the file: missing, unreadable, not UTF-8, not JSON (with its line) or nested
    deeper than Python's parser goes (``[[[[…`` a hundred thousand times)."""
    file = str(path)
    check_file_size(path, name)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(Problem.of(file, "file not found")) from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            Problem.of(
                file,
                Message("not valid JSON: {error}", error="not UTF-8 text"),
                expected="a JSON file in UTF-8",
            )
        ) from exc
    except OSError as exc:
        raise InputError(
            Problem.of(
                file, Message("cannot read the file: {error}", error=str(exc.strerror or exc))
            )
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            Problem.of(file, Message("not valid JSON: {error}", error=exc.msg), row=exc.lineno)
        ) from exc
    except RecursionError as exc:
        raise InputError(
            Problem.of(
                file,
                Message("not valid JSON: {error}", error="nested too deeply"),
                expected="a JSON file in UTF-8",
            )
        ) from exc


def echo(value: str, length: int | None = None) -> str:
    """A value as echoed in a message or a rejects file: at most :data:`ECHO_CHARS`
    characters, then "… (N characters)" (``length``: of the whole value, when ``value``
    is already its beginning)."""
    length = len(value) if length is None else length
    if length <= ECHO_CHARS:
        return value
    return f"{value[:ECHO_CHARS]}… ({length:,} characters)"


def check_zip_members(archive, source: str) -> None:
    """Refuse a zip (XLSX, ODS, GTFS) with a member declared to inflate beyond the limit
    ``inflated_bytes``.  Python's zipfile never inflates a member past its declared size
    (it stops there, and a lying header then fails its CRC check), so the declared sizes
    bound what any later reading of the archive costs."""
    for info in archive.infolist():
        check(
            f"{source} [{info.filename}]",
            "inflated_bytes",
            info.file_size,
            "the inflated size in bytes",
        )


def read_member(archive, member: str, source: str) -> bytes:
    """A zip member's bytes, inflated in chunks and refused as soon as they pass the limit
    ``inflated_bytes`` (whatever its header says); a corrupt member is an InputError."""
    limit = get("inflated_bytes")
    where = f"{source} [{member}]"
    check(where, "inflated_bytes", archive.getinfo(member).file_size, "the inflated size in bytes")
    chunks, size = [], 0
    try:
        with archive.open(member) as handle:
            while chunk := handle.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise refuse(where, "inflated_bytes", more_than(limit),
                                 "the inflated size in bytes")  # fmt: skip
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise InputError(
            Problem.of(where, Message("corrupt zip member: {error}", error=str(exc)))
        ) from exc
    return b"".join(chunks)


def check_grid_spacing(spacing: float) -> float:
    """The grid spacing in metres, or a ParameterError below :data:`MIN_GRID_SPACING_M`."""
    if (
        isinstance(spacing, bool)
        or not isinstance(spacing, int | float)
        or not (math.isfinite(spacing) and spacing >= MIN_GRID_SPACING_M)
    ):
        raise ParameterError(
            tr(
                "grid spacing {spacing}: expected a number of metres from {low:g}",
                spacing=spacing,
                low=MIN_GRID_SPACING_M,
            )  # fmt: skip
        )
    return float(spacing)


def check_grid(spacing: float, bounds) -> None:
    """Refuse a grid of ``spacing`` metres over ``bounds`` (xmin, ymin, xmax, ymax) finer
    than :data:`MIN_GRID_SPACING_M` or of more points than the limit ``grid_points``,
    counted from the bounds before any point is made."""
    check_grid_spacing(spacing)
    width, height = max(bounds[2] - bounds[0], 0.0), max(bounds[3] - bounds[1], 0.0)
    points = (math.floor(width / spacing) + 2) * (math.floor(height / spacing) + 2)
    if points > get("grid_points"):
        raise ParameterError(
            tr(
                "a grid of {spacing:g} m over the areas ({width:.1f} km × {height:.1f} km) has "
                "about {points:,} points, over the limit of {limit:,}: choose a wider spacing, "
                "or raise the limit with the environment variable {variable}",
                spacing=spacing,
                width=width / 1000,
                height=height / 1000,
                points=points,
                limit=get("grid_points"),
                variable=Limits.variable("grid_points"),
            )  # fmt: skip
        )
