"""Every public entry point (``qet_geo.__all__``) has a numpydoc docstring that says what it
takes, what it gives back and where its method comes from (issue 13).

``help(qg.map_areas)`` is where a user of the library first reads about a function: its
docstring has a Parameters section (a class: on the class or its ``__init__``), a Returns
section (a function) and a References section citing the method sources by their keys in
``docs/references.md`` (``[Wilson-1927]``), each of which exists there. The errors a caller
may catch (``InputError``, ``QetGeoError``) are exceptions, not methods: they are left out.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import qet_geo

ROOT = Path(__file__).resolve().parents[2]
REFERENCES = ROOT / "docs" / "references.md"
#: A citation key, as ``tests/unit/test_references.py`` reads them.
CITATION = re.compile(r"\[([A-Z][A-Za-z]+(?:-[A-Za-z0-9]+)+)\]")
DEFINITION = re.compile(r"^- \*\*\[([^\]]+)\]\*\*", re.MULTILINE)
#: The methods of ProfileModel a user calls, documented as the functions are.
PROFILE_MODEL_METHODS = ("fit", "predict", "stability", "save", "load")


def entry_points() -> list[str]:
    names = []
    for name in qet_geo.__all__:
        value = getattr(qet_geo, name)
        if inspect.isclass(value) and issubclass(value, BaseException):
            continue
        if inspect.isfunction(value) or inspect.isclass(value):
            names.append(name)
    return names


def sections(doc: str) -> dict[str, str]:
    """numpydoc sections of ``doc``: title (a line followed by a line of dashes as long) →
    its text."""
    lines = doc.splitlines()
    found: dict[str, list[str]] = {}
    current = None
    i = 0
    while i < len(lines):
        title = lines[i].strip()
        under = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if title and under and set(under) == {"-"} and len(under) == len(title):
            current = title
            found[current] = []
            i += 2
            continue
        if current is not None:
            found[current].append(lines[i])
        i += 1
    return {title: "\n".join(text) for title, text in found.items()}


def defined_keys() -> set[str]:
    return set(DEFINITION.findall(REFERENCES.read_text(encoding="utf-8")))


def check_references(where: str, doc: str) -> None:
    found = sections(doc)
    assert "References" in found, f"{where}: no References section"
    cited = set(CITATION.findall(found["References"]))
    assert cited, f"{where}: the References section cites no key of docs/references.md"
    missing = set(CITATION.findall(doc)) - defined_keys()
    assert not missing, f"{where}: cites keys not in docs/references.md: {sorted(missing)}"
    assert "docs/" in found["References"], f"{where}: References names no doc page"


def test_the_entry_points_are_found():
    names = entry_points()
    assert {"map_areas", "ProfileModel", "PtalParameters", "run"} <= set(names)
    assert "InputError" not in names


def test_the_section_reader_reads_numpydoc():
    doc = "Title.\n\nParameters\n----------\nx : int\n    X.\n\nReturns\n-------\nint\n"
    assert set(sections(doc)) == {"Parameters", "Returns"}
    assert sections("Parameters\n---\n") == {}  # dashes shorter than the title: no section


@pytest.mark.parametrize("name", entry_points())
def test_entry_point_docstring(name):
    value = getattr(qet_geo, name)
    doc = inspect.getdoc(value) or ""
    found = sections(doc)
    if inspect.isclass(value):
        init = inspect.getdoc(value.__init__) if "__init__" in vars(value) else None
        assert "Parameters" in found or "Parameters" in sections(init or ""), (
            f"{name}: no Parameters section on the class or its __init__"
        )
    else:
        assert "Parameters" in found, f"{name}: no Parameters section"
        assert "Returns" in found, f"{name}: no Returns section"
    check_references(name, doc)


@pytest.mark.parametrize("method", PROFILE_MODEL_METHODS)
def test_profile_model_method_docstring(method):
    doc = inspect.getdoc(getattr(qet_geo.ProfileModel, method)) or ""
    found = sections(doc)
    assert "Parameters" in found, f"ProfileModel.{method}: no Parameters section"
    assert "Returns" in found, f"ProfileModel.{method}: no Returns section"
    check_references(f"ProfileModel.{method}", doc)


def test_area_map_plot_says_the_colours_it_draws():
    """Suppressed areas are drawn grey (as on the poster), not white."""
    from qet_geo.areas.indicators import AreaMap

    doc = inspect.getdoc(AreaMap.plot)
    assert "suppressed areas grey" in doc
    assert "suppressed areas and" not in doc
