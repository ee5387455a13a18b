"""The Processing algorithms are thin shells over the library, as the commands are: what
the log of ``qetgeo:transitaccess`` and ``qetgeo:proximity`` says of their result is what
``qet-geo transit ptal`` and ``qet-geo constraints proximity`` print (one library
function, ``lines()``, writes both); the parameters are checked by the library before any
layer is read, named as in the dialog."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from plugin_testing import ROOT
from qgis.core import QgsProcessingException, QgsProcessingFeedback

SAMPLE = ROOT / "sample_data"
IRIS = f"{SAMPLE / 'quartier.gpkg'}|layername=iris"
SHOPS = f"{SAMPLE / 'quartier.gpkg'}|layername=commerces_alimentaires"


class Logged(QgsProcessingFeedback):
    """A feedback that keeps its info lines."""

    def __init__(self):
        super().__init__()
        self.info = []

    def pushInfo(self, text):  # noqa: N802 - QGIS's name
        self.info.append(text)
        super().pushInfo(text)


def _run(algorithm: str, parameters: dict) -> list[str]:
    import processing

    feedback = Logged()
    processing.run(algorithm, parameters, feedback=feedback)
    return feedback.info


def _printed(*args) -> list[str]:
    """The lines the command prints, before the files it wrote, without their indent."""
    done = subprocess.run([sys.executable, "-m", "qet_geo.cli", "--lang", "en", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, check=True)  # fmt: skip
    lines = [line.strip() for line in done.stdout.splitlines()]
    return [line for line in lines if not line.startswith("written: ")]


def test_the_transit_log_says_what_the_command_prints(plugin, tmp_path):
    feed = tmp_path / "gtfs.zip"
    with zipfile.ZipFile(feed, "w") as archive:
        for file in (SAMPLE / "gtfs").iterdir():
            archive.write(file, file.name)
    log = _run("qetgeo:transitaccess", {"GTFS": str(feed), "AREAS": IRIS, "DATE": "2026-03-10",
                                        "OUTPUT_GRID": str(tmp_path / "g.gpkg"),
                                        "OUTPUT_AREAS": str(tmp_path / "a.gpkg")})  # fmt: skip
    printed = _printed("transit", "ptal", SAMPLE / "gtfs", "--areas", SAMPLE / "quartier.gpkg",
                       "--areas-layer", "iris", "--date", "2026-03-10", "-o", tmp_path / "c.gpkg")  # fmt: skip
    summary = printed[:3]  # then one line per area
    assert summary[0].startswith("PTAL on ") and "service day 2026-03-10 (given)" in summary[0]
    assert "routes" in summary[1] and summary[2].startswith("distances in metres in EPSG:2154")
    assert [line for line in log if line in summary] == summary


def test_the_proximity_log_says_what_the_command_prints(plugin, tmp_path):
    log = _run(
        "qetgeo:proximity", {"AREAS": IRIS, "SERVICES": [SHOPS], "OUTPUT": str(tmp_path / "p.gpkg")}
    )
    printed = _printed("constraints", "proximity", "--areas", SAMPLE / "quartier.gpkg",
                       "--areas-layer", "iris", "--service",
                       f"commerces_alimentaires={SAMPLE / 'quartier.gpkg'}:commerces_alimentaires",
                       "-o", tmp_path / "c.gpkg")  # fmt: skip
    assert printed == [
        "Proximity to 1 service layer(s) in 12 areas",
        "distances in metres in EPSG:2154",
    ]
    assert [line for line in log if line in printed] == printed


@pytest.mark.parametrize(
    ("algorithm", "parameters", "words"),
    [
        ("qetgeo:proximity", {"WITHIN": "300,loin"}, ("(WITHIN)", "expected distances in metres")),
        ("qetgeo:profilesvsconstraints", {"INPUT": str(SAMPLE / "survey_su.tsv"), "DATE": "2026-02-30"},
         ("(DATE)", "2026-02-30")),
    ],
    ids=["within", "date"],
)  # fmt: skip
def test_parameters_are_checked_before_any_file_is_read(
    plugin, tmp_path, algorithm, parameters, words
):
    """The GTFS feed and the service layers do not exist: the parameter is said first."""
    common = {"AREAS": IRIS, "GTFS": str(tmp_path / "absent.zip"), "SERVICES": [SHOPS],
              "OUTPUT": str(tmp_path / "p.gpkg"), "OUTPUT_AREAS": str(tmp_path / "a.gpkg"),
              "OUTPUT_CLASSES": str(tmp_path / "c.gpkg")}  # fmt: skip
    with pytest.raises(QgsProcessingException) as caught:
        _run(algorithm, {**common, **parameters})
    for word in words:
        assert word in str(caught.value), str(caught.value)
    assert "Traceback" not in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
