"""The command line and the Processing algorithms say the same things: each summary line a
command prints, its algorithm puts in the log, word for word (one library function makes
them: ``footprint_lines``, ``Detection.lines``, ``assignment_lines``, ``AreaMap.lines``),
and the same warnings.

The command runs as a user runs it (a process of its own, in English); the algorithm in
this headless QGIS, on the layer ``qetgeo:importsurvey`` made of the same export.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from plugin_testing import ROOT, SAMPLE_SURVEY, subprocess_env
from qgis.core import QgsProcessingFeedback

SAMPLE = ROOT / "sample_data"


class Logged(QgsProcessingFeedback):
    """A feedback that keeps its info lines and warnings."""

    def __init__(self):
        super().__init__()
        self.info, self.warnings = [], []

    def pushInfo(self, text):  # noqa: N802 - QGIS's name
        if not text.startswith("Results: "):  # what processing.run adds
            self.info.append(text)
        super().pushInfo(text)

    def pushWarning(self, text):  # noqa: N802 - QGIS's name
        self.warnings.append(text)
        super().pushWarning(text)


def _run(algorithm: str, parameters: dict) -> Logged:
    import processing

    feedback = Logged()
    processing.run(algorithm, parameters, feedback=feedback)
    return feedback


def _cli(*args) -> tuple[list[str], list[str]]:
    """The lines the command prints on its standard output and error, in English."""
    done = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", *map(str, args)], capture_output=True, text=True,
        cwd=ROOT, check=True, env=subprocess_env(QET_GEO_LANG="en", PYTHONPATH=str(ROOT)),
    )  # fmt: skip
    return done.stdout.splitlines(), done.stderr.splitlines()


def _said(lines: list[str], first: str) -> list[str]:
    """``lines`` from ``first`` on (what the algorithm logged before it is not compared)."""
    assert first in lines, lines
    return lines[lines.index(first) :]


@pytest.fixture(scope="module")
def respondents(plugin, tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("shell-lines") / "respondents.gpkg")
    _run("qetgeo:importsurvey", {"INPUT": str(SAMPLE_SURVEY), "OUTPUT": path})
    return path


def test_computefootprints_logs_what_qet_geo_footprint_prints(respondents, tmp_path):
    said = _run(
        "qetgeo:computefootprints", {"INPUT": respondents, "OUTPUT": str(tmp_path / "f.gpkg")}
    )
    printed, _ = _cli("footprint", SAMPLE_SURVEY)
    logged = _said(said.info, printed[0])
    assert len(logged) == 8, "\n".join(said.info)  # the title, five usages, the total, heating
    assert printed[: len(logged)] == logged
    assert printed[0].startswith("Footprints (kgCO2e/yr, ")


def test_detectprofiles_logs_what_qet_geo_profiles_detect_prints(respondents, tmp_path):
    model = tmp_path / "m.json"
    said = _run("qetgeo:detectprofiles", {"INPUT": respondents, "BOOTSTRAP": 0,
                                          "OUTPUT_MODEL": str(model), "OUTPUT": str(tmp_path / "l.gpkg")})  # fmt: skip
    printed, errors = _cli("profiles", "detect", SAMPLE_SURVEY, "--bootstrap", "0",
                           "-o", tmp_path / "cli.json")  # fmt: skip
    summary = printed[: next(i for i, line in enumerate(printed) if line.startswith("written"))]
    assert summary[0] == "3 profiles (near), 593 respondents"
    assert _said(said.info, summary[0])[: len(summary)] == summary
    assert f"written: {model}" in said.info
    assert said.warnings == [line.removeprefix("qet-geo: warning: ") for line in errors]


def test_assignprofiles_logs_what_qet_geo_profiles_assign_prints(respondents, tmp_path):
    model = tmp_path / "m.json"
    _cli("profiles", "detect", SAMPLE_SURVEY, "--bootstrap", "0", "-o", model)
    said = _run("qetgeo:assignprofiles", {"INPUT": respondents, "MODEL": str(model),
                                          "OUTPUT": str(tmp_path / "a.gpkg")})  # fmt: skip
    printed, _ = _cli("profiles", "assign", SAMPLE_SURVEY, "--model", model,
                      "-o", tmp_path / "cli.gpkg")  # fmt: skip
    assert printed[-1].startswith("written: ")
    assert printed[0] == "593 respondents assigned to 3 profiles"
    assert _said(said.info, printed[0]) == printed[:-1]


def test_mapprofiles_logs_what_qet_geo_areas_map_prints(plugin, tmp_path):
    labelled = tmp_path / "labelled.gpkg"
    _cli("profiles", "detect", SAMPLE_SURVEY, "--bootstrap", "0", "-o", tmp_path / "m.json",
         "--labelled", labelled)  # fmt: skip
    said = _run("qetgeo:mapprofiles", {"INPUT": str(labelled),
                                       "AREAS": f"{SAMPLE / 'quartier.gpkg'}|layername=iris",
                                       "OUTPUT": str(tmp_path / "q.gpkg")})  # fmt: skip
    printed, errors = _cli("areas", "map", "--respondents", labelled, "--areas",
                           SAMPLE / "quartier.gpkg", "--areas-layer", "iris", "--no-csv",
                           "-o", tmp_path / "cli.gpkg")  # fmt: skip
    summary = [line for line in printed if not line.startswith("written: ")]
    # inside QGIS the points are reprojected by QGIS before the library sees them
    summary = [line for line in summary if not line.startswith("points reprojected: ")]
    assert summary == [
        "593 of 593 respondents mapped in 12 areas (points)",
        "2 areas suppressed and 23 cells (threshold 11 respondents)",
    ]
    assert _said(said.info, summary[0])[: len(summary)] == summary
    assert said.warnings == [line.removeprefix("qet-geo: warning: ") for line in errors]
