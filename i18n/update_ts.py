"""Update ``i18n/qet_geo_*.ts`` from the ``tr("…")`` strings of ``plugin/`` and ``algorithms/``.

Qt's ``lupdate`` does not read Python, so this does its job: every string literal passed to
``tr()`` (or ``self.tr()``) becomes a message of the ``qet-geo`` context; translations
already in the file are kept, new strings are marked unfinished for a translator (Qt
Linguist opens the file), strings gone from the code are dropped.

    python i18n/update_ts.py            # update every i18n/qet_geo_*.ts
    python i18n/update_ts.py --check    # exit 1 if strings are missing or unfinished

``make i18n`` then builds the ``.qm`` files with ``lrelease``.
"""

from __future__ import annotations

import argparse
import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("__init__.py", "plugin", "algorithms")
CONTEXT = "qet-geo"


def extract(root: Path = ROOT) -> dict[str, list[tuple[str, int]]]:
    """Source string -> [(file, line)] of every ``tr("literal")`` call, in code order.

    A ``tr()`` call whose first argument is not a string literal is an error: it could not
    be translated.
    """
    messages: dict[str, list[tuple[str, int]]] = {}
    files = []
    for source in SOURCES:
        path = root / source
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    for path in files:
        relative = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _tr_calls(tree):
            argument = node.args[0] if node.args else None
            if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                raise SystemExit(f"{relative}:{node.lineno}: tr() needs a string literal")
            messages.setdefault(argument.value, []).append((relative, node.lineno))
    return dict(sorted(messages.items(), key=lambda item: item[1][0]))


def _tr_calls(tree: ast.AST, inside_tr: bool = False):
    """The tr() calls of ``tree``, except those in the body of a function named tr (the
    forwarding ``def tr(self, text): return tr(text)``)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Call) and _is_tr(node.func) and not inside_tr:
            yield node
        yield from _tr_calls(
            node,
            inside_tr
            or (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "tr"),
        )


def _is_tr(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "tr") or (
        isinstance(func, ast.Attribute) and func.attr == "tr"
    )


def read_ts(path: Path) -> dict[str, tuple[str, bool]]:
    """Source -> (translation, finished) of a .ts file."""
    translations = {}
    for message in ET.parse(path).getroot().iter("message"):
        source = message.findtext("source") or ""
        element = message.find("translation")
        text = (element.text or "") if element is not None else ""
        finished = element is not None and element.get("type") not in (
            "unfinished",
            "vanished",
            "obsolete",
        )
        translations[source] = (text, finished and bool(text))
    return translations


def render_ts(language: str, messages: dict, translations: dict) -> str:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!DOCTYPE TS>",
        f'<TS version="2.1" language="{language}" sourcelanguage="en">',
        "<context>",
        f"    <name>{CONTEXT}</name>",
    ]
    for source, locations in messages.items():
        text, finished = translations.get(source, ("", False))
        lines.append("    <message>")
        for file, line in locations:
            lines.append(f'        <location filename="../{file}" line="{line}"/>')
        lines.append(f"        <source>{escape(source)}</source>")
        state = "" if finished else ' type="unfinished"'
        lines.append(f"        <translation{state}>{escape(text)}</translation>")
        lines.append("    </message>")
    lines += ["</context>", "</TS>", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 if a .ts file is out of date or unfinished",
    )
    args = parser.parse_args()
    messages = extract()
    status = 0
    for path in sorted((ROOT / "i18n").glob("qet_geo_*.ts")):
        language = path.stem.removeprefix("qet_geo_")
        translations = read_ts(path)
        text = render_ts(language, messages, translations)
        unfinished = [s for s in messages if not translations.get(s, ("", False))[1]]
        if args.check:
            new, gone = set(messages) - set(translations), set(translations) - set(messages)
            if new or gone or unfinished:
                print(
                    f"{path.name}: {len(new)} new, {len(gone)} gone, {len(unfinished)} "
                    "unfinished message(s)",
                    file=sys.stderr,
                )
                status = 1
            continue
        path.write_text(text, encoding="utf-8")
        print(f"{path.name}: {len(messages)} messages, {len(unfinished)} to translate")
    return status


if __name__ == "__main__":
    sys.exit(main())
