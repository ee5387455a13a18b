"""Writing a configuration as the TOML file ``qet-geo run`` reads.

The QGIS Diagnostic dock saves its settings with :func:`write_config`, so that a
facilitator's run from the QGIS window can be replayed from the command line; a file loaded
and saved again keeps every section and key it had, known or not (:func:`read_config` then
:func:`dump_toml`). Only what TOML can hold is written (text, whole and finite numbers,
booleans, dates, lists and tables of them); text is escaped as TOML basic strings, so that no
value can close its string or add a key.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from pathlib import Path

from .errors import InputError, Problem
from .i18n import Message
from .io import atomic_path
from .limits import check_file_size

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key(key) -> str:
    key = str(key)
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    out = []
    for char in str(text):
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:  # a lone surrogate: not text TOML can hold
            out.append("\\uFFFD")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _value(value, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where}: {value} is not a number TOML can hold")
        return repr(value)
    if isinstance(value, str | Path):
        return _string(str(value))
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, _dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v, where) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{_key(k)} = {_value(v, f'{where}.{k}')}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    raise ValueError(f"{where}: a {type(value).__name__} is not a value TOML can hold")


def dump_toml(data: dict, header: str = "") -> str:
    """``data`` as TOML: its top-level values first, then one ``[section]`` per table (a
    table inside a section written inline). ``header``: comment lines put first."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()] if header else []
    if lines:
        lines.append("")
    sections = {k: v for k, v in data.items() if isinstance(v, dict)}
    for key, value in data.items():
        if key not in sections and value is not None:
            lines.append(f"{_key(key)} = {_value(value, str(key))}")
    for section, values in sections.items():
        lines += ["", f"[{_key(section)}]"]
        for key, value in values.items():
            if value is not None:
                lines.append(f"{_key(key)} = {_value(value, f'{section}.{key}')}")
    return "\n".join(lines).lstrip("\n") + "\n"


def read_config(path) -> dict:
    """The TOML file ``path`` as it is (every section and key, known or not), for an editor
    that saves it again; its errors name the file and the line."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    path = Path(path)
    if not path.is_file():
        raise InputError(Problem.of(str(path), "file not found", expected="a TOML configuration"))
    check_file_size(path, "config_bytes")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(
            Problem.of(str(path), "not UTF-8 text", expected="a TOML configuration")
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise InputError(
            Problem.of(str(path), Message("not valid TOML: {error}", error=str(exc)),
                       row=int(found.group(1)) if found else None,
                       expected="key = value lines under [section] headers")
        ) from exc  # fmt: skip


def write_config(path, data: dict, header: str = "") -> Path:
    """Write ``data`` as the TOML file ``path`` atomically, checked by reading it back."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    text = dump_toml(data, header)
    if tomllib.loads(text) != _plain(data):
        raise ValueError("the configuration does not read back as written")
    path = Path(path)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return path


def _plain(data):
    """``data`` as TOML reads it back: None values left out, tuples and paths as lists and
    text, lone surrogates replaced."""
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items() if v is not None}
    if isinstance(data, list | tuple):
        return [_plain(v) for v in data]
    if isinstance(data, Path):
        return str(data)
    if isinstance(data, str):
        return re.sub(r"[\ud800-\udfff]", "\ufffd", data)
    return data
