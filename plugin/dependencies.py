"""Telling the user which Python packages are missing, and how to install them."""

from __future__ import annotations

from pathlib import Path

from ..algorithms.requirements import Unavailable
from .i18n import tr


def pip_command(unavailable: dict[str, Unavailable]) -> str:
    """``python -m pip install …`` for every missing package (pip names), or "".

    ``--upgrade`` when a package is installed but broken (often: built for another numpy).
    """
    packages = [package for item in unavailable.values() for package in item.missing]
    if not packages:
        return ""
    upgrade = "--upgrade " if any(package.error for package in packages) else ""
    names = dict.fromkeys(package.pip_name for package in packages)
    return "python -m pip install " + upgrade + " ".join(names)


def summary(unavailable: dict[str, Unavailable]) -> str:
    """One line for the message bar."""
    command = pip_command(unavailable)
    if not command:
        return tr("Some algorithms could not be loaded; see the qet-geo tab of the log.")
    packages = ", ".join(
        dict.fromkeys(package.pip_name for item in unavailable.values() for package in item.missing)
    )
    return tr(
        "Some algorithms are disabled because Python packages are missing or broken: "
        "{packages}. Install them with the QPIP plugin, or run: {command}"
    ).format(packages=packages, command=command)


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
    command = pip_command(unavailable)
    if command:
        lines.append(
            tr(
                "Install the missing packages with the QPIP plugin, which installs the packages "
                "listed in {requirements} into your QGIS profile, or with the Python of QGIS (the "
                "OSGeo4W Shell on Windows): {command}"
            ).format(requirements=requirements, command=command)
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
