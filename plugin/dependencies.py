"""Telling the user which Python packages are missing, and how to install them.

Every missing package is named at once: those the disabled algorithms need and every other
line of the shipped ``requirements.txt`` that Python cannot find (checked with
``find_spec``, nothing imported). The command works on the user's platform:

- a virtual environment: its own ``python -m pip install …``;
- Debian, Ubuntu and other systems whose Python is "externally managed" (PEP 668):
  ``/usr/bin/python3 -m pip install --user --break-system-packages …``, the documented
  choice: it installs into the user's home only, and Debian 12's own ``python3-pandas``,
  ``python3-geopandas``, ``python3-shapely``… are older than qet-geo needs;
- Windows: ``python -m pip install …`` in the OSGeo4W Shell;
- macOS and other systems: the Python of QGIS with ``-m pip install --user …``.
"""

from __future__ import annotations

import re
import shlex
import sys
import sysconfig
from pathlib import Path

from ..algorithms.requirements import PIP_NAMES, MissingPackage, Unavailable, find_missing
from .i18n import tr

#: pip (distribution) name -> import name, where they differ
IMPORT_NAMES = {pip: module for module, pip in PIP_NAMES.items()}
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_PYTHON_BELOW = re.compile(r"""^python_version\s*<\s*['"](\d+)\.(\d+)['"]$""")


def requirement_modules(requirements: Path) -> list[str]:
    """Import names of the packages ``requirements`` lists for this Python (a line whose
    environment marker is not ``python_version < 'X.Y'`` is kept)."""
    try:
        lines = requirements.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    modules = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        requirement, _, marker = line.partition(";")
        below = _PYTHON_BELOW.match(marker.strip())
        if below and sys.version_info[:2] >= (int(below[1]), int(below[2])):
            continue
        name = _REQUIREMENT.match(requirement)
        if name:
            pip = name[1].lower()
            modules.append(IMPORT_NAMES.get(pip, pip.replace("-", "_")))
    return modules


def missing_packages(
    unavailable: dict[str, Unavailable], requirements: Path | None = None
) -> list[MissingPackage]:
    """Every package that cannot be used: those of the disabled algorithms first, then the
    other requirements Python cannot find; each once."""
    found: dict[str, MissingPackage] = {}
    for item in unavailable.values():
        for package in item.missing:
            found.setdefault(package.pip_name, package)
    if requirements is not None:
        for package in find_missing(requirement_modules(requirements)):
            found.setdefault(package.pip_name, package)
    return list(found.values())


def _externally_managed() -> bool:
    """True for a system Python that refuses pip outside a venv (PEP 668: Debian 12)."""
    if sys.prefix != sys.base_prefix:  # a venv: pip installs into it
        return False
    return (Path(sysconfig.get_path("stdlib")) / "EXTERNALLY-MANAGED").is_file()


def python_of_qgis() -> str:
    """The Python interpreter QGIS runs (inside QGIS ``sys.executable`` is QGIS itself)."""
    prefix = Path(sys.prefix)
    if sys.platform == "win32":
        return "python"
    if sys.prefix != sys.base_prefix:
        return str(prefix / "bin" / "python")
    return str(prefix / "bin" / "python3")


def pip_command(unavailable: dict[str, Unavailable], requirements: Path | None = None) -> str:
    """The command that installs every missing package (pip names) here, or "".

    ``--upgrade`` when a package is installed but broken (often: built for another numpy).
    """
    packages = missing_packages(unavailable, requirements)
    if not packages:
        return ""
    upgrade = ["--upgrade"] if any(package.error for package in packages) else []
    names = [package.pip_name for package in packages]
    python = python_of_qgis()
    if sys.platform == "win32":
        options = []
    elif _externally_managed():
        options = ["--user", "--break-system-packages"]
    elif sys.prefix == sys.base_prefix:
        options = ["--user"]
    else:
        options = []
    return shlex.join([python, "-m", "pip", "install", *options, *upgrade, *names])


def where_to_run() -> str:
    """Where the user types the command, on this platform."""
    if sys.platform == "win32":
        return tr("in the OSGeo4W Shell (Start menu ▸ OSGeo4W ▸ OSGeo4W Shell)")
    if _externally_managed():
        return tr(
            "in a terminal (this Python is managed by the system: the packages go into your "
            "home folder only; the distribution's own python3-… packages are older than "
            "qet-geo needs)"
        )
    return tr("in a terminal")


def summary(unavailable: dict[str, Unavailable], requirements: Path | None = None) -> str:
    """One line for the message bar: every missing package and the command."""
    command = pip_command(unavailable, requirements)
    if not command:
        return tr("Some algorithms could not be loaded; see the qet-geo tab of the log.")
    packages = ", ".join(p.pip_name for p in missing_packages(unavailable, requirements))
    return tr(
        "Some algorithms are disabled because Python packages are missing or broken: "
        "{packages}. Install them {where}: {command} — then restart QGIS or choose "
        "Check again."
    ).format(packages=packages, where=where_to_run(), command=command)


def details(unavailable: dict[str, Unavailable], requirements: Path) -> str:
    """The full report for the log: each disabled algorithm, why, and how to install."""
    lines = [tr("qet-geo: these algorithms are disabled:")]
    for name, item in unavailable.items():
        label = f"{item.display_name} (qetgeo:{name})" if item.display_name else f"qetgeo:{name}"
        reasons = [
            tr("{package} is not installed").format(package=package.pip_name)
            if not package.error
            else tr("{package} is installed but cannot be imported: {error}").format(
                package=package.pip_name, error=package.error
            )
            for package in item.missing
        ]
        if item.error:
            reasons.append(tr("error while loading it: {error}").format(error=item.error))
        lines.append(f"  - {label}: " + "; ".join(reasons))
    missing = missing_packages(unavailable, requirements)
    if missing:
        lines.append(
            tr("Missing or broken Python packages: {packages}").format(
                packages=", ".join(package.pip_name for package in missing)
            )
        )
        lines.append(
            tr("Install them {where}: {command}").format(
                where=where_to_run(), command=pip_command(unavailable, requirements)
            )
        )
        lines.append(
            tr(
                "Or with the QPIP plugin, which installs the packages listed in {requirements} "
                "into your QGIS profile."
            ).format(requirements=requirements)
        )
        lines.append(tr("Then restart QGIS, or choose qet-geo ▸ Check Python dependencies."))
    if any(item.error for item in unavailable.values()):
        lines.append(
            tr(
                "An error that is not a missing package is a bug: please report it "
                "with this message."
            )
        )
    return "\n".join(lines)
