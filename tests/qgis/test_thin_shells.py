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
from qgis.core import QgsApplication, QgsProcessingException, QgsProcessingFeedback

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


@pytest.mark.parametrize("algorithm", ["mapprofiles", "detectprofiles", "profilesvsconstraints"])
def test_a_threshold_under_3_names_the_dialog_s_override(plugin, tmp_path, algorithm):
    """MIN_CELL 2 without ALLOW_BELOW_3: refused before any layer is read (the inputs are
    layers of the wrong kind, which reading would refuse), the override named as the dialog
    shows it, not as Python spells it."""
    import processing

    feed = tmp_path / "empty.zip"  # a feed that reading would refuse
    zipfile.ZipFile(feed, "w").close()
    parameters = {"INPUT": SHOPS, "AREAS": IRIS, "GTFS": str(feed), "MIN_CELL": 2,
                  "OUTPUT": str(tmp_path / "out.gpkg"), "OUTPUT_MODEL": str(tmp_path / "m.json"),
                  "OUTPUT_AREAS": str(tmp_path / "a.gpkg"), "OUTPUT_CLASSES": str(tmp_path / "c.csv")}  # fmt: skip
    registered = QgsApplication.processingRegistry().algorithmById(f"qetgeo:{algorithm}")
    definitions = {d.name() for d in registered.parameterDefinitions()}
    parameters = {k: v for k, v in parameters.items() if k in definitions}
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(f"qetgeo:{algorithm}", parameters)
    message = str(raised.value)
    assert "(ALLOW_BELOW_3)" in message and "allow_below_3=True" not in message, message
