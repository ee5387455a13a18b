"""The library's layers, as CI checks them: the import-linter contracts of pyproject.toml
(no module imports a higher layer, no import cycle, private modules stay in their package,
no QGIS), no private name imported across packages, and a QGIS plugin start that loads
none of the geometry wheels.

The contracts run on the real tree, and again on a copy of it with one import added inside
a function (upward, or closing a cycle): that copy must break them, which also shows that
imports inside functions are counted.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import importlinter  # noqa: F401 - the dev extra (make venv): CI must not skip these tests
import pytest
from unit_helpers import ROOT

LIBRARY = ROOT / "qet_geo"
#: what the QGIS process must not load when the plugin starts: their wheels bring their own
#: GEOS, PROJ and GDAL (algorithms/isolation.py), and they cost seconds
NOT_AT_PLUGIN_START = ("shapely", "pyproj", "pyogrio", "geopandas", "matplotlib", "folium",
                       "scipy", "sklearn", "kmodes", "openpyxl", "odf", "yaml")  # fmt: skip


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` with the project's contracts on the ``qet_geo`` found in ``tree``."""
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run(
        [sys.executable, "-c", code, "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=tree, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_contracts_are_kept():
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    for contract in ("layers", "import cycle", "private module", "never imports QGIS"):
        assert any(contract in line and "KEPT" in line for line in done.stdout.splitlines())


@pytest.fixture()
def copy_of_library(tmp_path):
    shutil.copytree(LIBRARY, tmp_path / "qet_geo",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "vendor", "data"))  # fmt: skip
    return tmp_path


def add_function(path: Path, body: str) -> None:
    path.write_text(path.read_text() + f"\n\ndef _added_by_the_test():\n    {body}\n")


@pytest.mark.parametrize(
    ("module", "statement", "broken"),
    [
        # a base module reaching up to the pipeline, inside a function
        ("io.py", "from .pipeline import load_config", "qet_geo layers: nothing imports upward BROKEN"),
        # transit reaching up to constraints (the old grid borrowing, the other way round)
        ("transit/access.py", "from ..constraints import proximity",
         "qet_geo layers: nothing imports upward BROKEN"),
        # two modules of one package importing each other
        ("transit/gtfs.py", "from . import access", "no import cycle between the modules of a package BROKEN"),
        # the library importing QGIS
        ("geo.py", "from qgis.core import QgsVectorLayer",
         "the library never imports QGIS nor Qt (qgis covers qgis.PyQt) BROKEN"),
        # a private module used from outside its package
        ("survey/readers.py", "from ..footprint import _units",
         "a private module (_name.py) is imported only inside its package BROKEN"),
    ],
)  # fmt: skip
def test_an_import_inside_a_function_that_breaks_a_layer_fails(
    copy_of_library, module, statement, broken
):
    assert lint_imports(copy_of_library).returncode == 0  # the copy as it is keeps them
    add_function(copy_of_library / "qet_geo" / module, statement)
    done = lint_imports(copy_of_library)
    assert done.returncode != 0
    assert broken in done.stdout, done.stdout


def _unit(module: str) -> str:
    """The package a module belongs to for the rule on private names: qet_geo.areas for
    qet_geo.areas.output, qet_geo.io for the top-level module qet_geo.io."""
    return ".".join(module.split(".")[:2])


def _module_of(path: Path, base: Path) -> str:
    parts = path.relative_to(base).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def private_names_across_packages(root: Path = LIBRARY) -> list[str]:
    """Every ``from X import _name`` and ``X._name`` (X a qet_geo module bound by an import)
    where X is in another package than the importing module."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module = _module_of(path, root.parent)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if not source.startswith("qet_geo"):
                continue
            for alias in node.names:
                target = f"{source}.{alias.name}"  # a module, when the name is one
                aliases[alias.asname or alias.name] = target
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private and _unit(source) != _unit(module):
                    found.append(
                        f"{path.relative_to(root.parent)}:{node.lineno}: {source}.{alias.name}"
                    )
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and _unit(aliases[node.value.id]) != _unit(module)
            ):
                found.append(
                    f"{path.relative_to(root.parent)}:{node.lineno}: {node.value.id}.{node.attr}"
                )
    return found


def test_no_private_name_crosses_a_package():
    assert private_names_across_packages() == []


def test_a_private_name_across_packages_is_found(tmp_path):
    shutil.copytree(
        LIBRARY,
        tmp_path / "qet_geo",
        ignore=shutil.ignore_patterns("__pycache__", "vendor", "data"),
    )
    add_function(
        tmp_path / "qet_geo" / "constraints" / "proximity.py", "from ..transit.ptal import _hhmm"
    )
    add_function(
        tmp_path / "qet_geo" / "export" / "project.py", "from .. import geo; return geo._xy"
    )
    assert private_names_across_packages(tmp_path / "qet_geo") == [
        "qet_geo/constraints/proximity.py:"
        + _last_line(tmp_path / "qet_geo/constraints/proximity.py")
        + ": qet_geo.transit.ptal._hhmm",
        "qet_geo/export/project.py:"
        + _last_line(tmp_path / "qet_geo/export/project.py")
        + ": geo._xy",
    ]


def _last_line(path: Path) -> str:
    return str(len(path.read_text().splitlines()))


def _plugin_start_modules() -> list[str]:
    """The library modules the plugin and its algorithms import when QGIS loads them."""
    found = set()
    for path in [*(ROOT / "algorithms").glob("*.py"), *(ROOT / "plugin").glob("*.py")]:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.ImportFrom)
                and node.level == 2
                and (node.module or "").startswith("qet_geo")
            ):
                found.add(node.module)
    return sorted(found)


def test_the_plugin_start_loads_no_geometry_wheel():
    modules = _plugin_start_modules()
    assert "qet_geo.survey" in modules and "qet_geo.geo" in modules  # what the plugin imports today
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + (f"print(sorted(m for m in {NOT_AT_PLUGIN_START!r} if m in sys.modules))")
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


#: The imports of the library's own modules left inside functions, each for a heavy
#: dependency its importer does not load otherwise (importer → the modules it imports
#: late): io reads tables without pandas on import (geo loads it); the command line and the
#: pipeline load shapely, scipy and scikit-learn only for the steps that need them (the
#: pipeline and the worker are imported inside QGIS, where shapely must not load); the
#: poster, the profile files and the diagnostic's link load scikit-learn only with a model;
#: ``export project --diagnostic`` reads the diagnostic (pandas) only when given.
LATE_IMPORTS = {
    "cli.areas": {"areas", "areas.output"},
    "cli.compare": {"constraints", "constraints.compare"},
    "cli.constraints": {"constraints.proximity"},
    "cli.export": {"diagnostic.output"},
    "diagnostic.link": {"profiles.assign", "profiles.publish", "survey"},
    "diagnostic.places": {"areas"},
    "export.poster": {"profiles.model"},
    "io": {"geo"},
    "diagnostic.located": {"areas.join"},
    "pipeline": {"areas", "areas.output", "transit", "transit.output", "transit.gtfs",
                 "constraints.proximity", "constraints", "export.webmap", "export.poster", "export.layout",
                 "profiles", "diagnostic.job", "diagnostic.link", "diagnostic.output", "export.diagnostic_poster",
                 "diagnostic.places", "diagnostic.manoeuvre", "diagnostic.su_codes", "export.forum_panels", "forum.votes"},
    "export.forum_panels": {"diagnostic.output"},
    "cli.forum": {"forum.votes", "diagnostic.output", "export.forum_panels"},
    "export.webmap": {"forum.votes"},
    "forum.votes": {"areas.zones"},
    "profiles.publish": {"profiles.portraits", "profiles.model"},
    "profiles.stability": {"profiles.encoding"},
    "worker": {"export.posters", "profiles"},
}  # fmt: skip


def _late_imports() -> dict[str, set[str]]:
    """importer → the library modules it imports inside a function."""
    found: dict[str, set[str]] = {}
    for path in sorted(LIBRARY.rglob("*.py")):
        parts = list(path.relative_to(LIBRARY).with_suffix("").parts)
        package = parts[:-1]
        importer = ".".join(p for p in parts if p != "__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and node.level > 0:
                    base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                    target = ".".join([*base, *([node.module] if node.module else [])])
                    found.setdefault(importer, set()).add(target)
    return found


def test_imports_inside_functions_are_only_for_heavy_dependencies():
    """A library module imported inside a function is one of :data:`LATE_IMPORTS` (each
    loads a heavy package its importer does not): any other belongs at the top of the
    module, where the layering contracts and a reader see it."""
    unexpected = {
        importer: sorted(targets - LATE_IMPORTS.get(importer, set()))
        for importer, targets in _late_imports().items()
        if targets - LATE_IMPORTS.get(importer, set())
    }
    assert not unexpected, unexpected


def test_the_whole_job_s_modules_load_no_geometry_wheel_nor_scikit_learn():
    """``qet_geo.pipeline`` and ``qet_geo.worker`` are imported inside QGIS (the whole
    diagnostic, the desktop's separate process): importing them loads no shapely, pyproj,
    pyogrio, geopandas, scipy or scikit-learn (each step loads what it needs when it runs)."""
    code = (
        "import sys, qet_geo.pipeline, qet_geo.worker\n"
        "print(sorted(m for m in ('shapely', 'pyproj', 'pyogrio', 'geopandas', 'scipy', "
        "'sklearn') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
