"""The plugin through QGIS's own command line, as a user or a batch job runs it.

Debian's ``/usr/bin/qgis_process`` wrapper is broken in QGIS 3.22 ("Command
--noversioncheck not known!"), so the binary ``qgis_process.bin`` is called.  It runs
Debian's Python, which does not see the venv: the venv's site-packages go on PYTHONPATH,
as the QPIP plugin puts its packages on the path of a real QGIS.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from plugin_testing import PLUGIN, SURVEY_0, install_plugin, subprocess_env
from qgis.core import QgsVectorLayer

QGIS_PROCESS = Path("/usr/bin/qgis_process.bin")
ALGORITHM = "qetgeo:importsurvey"

pytestmark = pytest.mark.skipif(
    not os.access(QGIS_PROCESS, os.X_OK), reason=f"{QGIS_PROCESS} is not installed"
)


def site_packages() -> str:
    paths = sysconfig.get_paths()
    return os.pathsep.join(dict.fromkeys((paths["purelib"], paths["platlib"])))


def qgis_process(config: Path, *args: str, pythonpath: str | None = None):
    env = subprocess_env(
        QGIS_CUSTOM_CONFIG_PATH=str(config),
        PYTHONPATH=pythonpath if pythonpath is not None else site_packages(),
    )
    return subprocess.run(
        [str(QGIS_PROCESS), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,  # a hang guard, never a measure
        check=False,
    )


@pytest.fixture(scope="module")
def config(plugin_zip, tmp_path_factory) -> Path:
    """A QGIS configuration folder whose default profile has the plugin, enabled."""
    root = tmp_path_factory.mktemp("qgis-process-config")
    install_plugin(plugin_zip, root)
    enabled = qgis_process(root, "plugins", "enable", PLUGIN)
    assert enabled.returncode == 0, enabled.stdout + enabled.stderr
    return root


def test_plugin_is_enabled_and_lists_its_algorithm(config):
    plugins = qgis_process(config, "plugins")
    assert f"* {PLUGIN}" in plugins.stdout  # '*' marks the enabled plugins
    listed = qgis_process(config, "list")
    assert listed.returncode == 0, listed.stderr
    assert ALGORITHM in listed.stdout


def test_run_writes_the_respondents(config, tmp_path):
    output = tmp_path / "r.gpkg"
    done = qgis_process(
        config, "--json", "run", ALGORITHM, f"--INPUT={SURVEY_0}", f"--OUTPUT={output}"
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads(done.stdout)["results"]
    assert (results["ROWS_READ"], results["ACCEPTED"], results["REJECTED"]) == (314, 313, 1)
    respondents = QgsVectorLayer(str(output), "r", "ogr")
    assert respondents.isValid()
    assert respondents.featureCount() == 313


def test_a_broken_dependency_is_explained_on_stderr(config, tmp_path):
    shadow = tmp_path / "pandas"
    shadow.mkdir()
    (shadow / "__init__.py").write_text(
        "raise ImportError('simulated broken pandas')\n", encoding="utf-8"
    )
    listed = qgis_process(
        config, "list", pythonpath=os.pathsep.join((str(tmp_path), site_packages()))
    )
    assert listed.returncode == 0, listed.stderr
    assert ALGORITHM not in listed.stdout
    assert "simulated broken pandas" in listed.stderr
    # the Python of qgis_process is the system's: on Debian 12, externally managed
    assert re.search(
        r"python3? -m pip install (--user --break-system-packages )?--upgrade pandas",
        listed.stderr,
    ), listed.stderr[-2000:]


def test_the_whole_chain_through_qgis_process(config, tmp_path):
    """importsurvey (homes as lon/lat) → detectprofiles → mapprofiles in qgis_process, which
    must also exit cleanly: inside QGIS the library uses QGIS for coordinate systems, layers
    and point-in-polygon, never pyproj, pyogrio or geopandas (their own PROJ and GDAL crash
    the process) — see qet_geo/geo.py."""
    from plugin_testing import ROOT, SAMPLE_SURVEY

    respondents = tmp_path / "respondents.gpkg"
    model = tmp_path / "model.json"
    labelled = tmp_path / "labelled.gpkg"
    area_map = tmp_path / "map.gpkg"
    steps = [
        ("qetgeo:importsurvey", [f"--INPUT={SAMPLE_SURVEY}", f"--OUTPUT={respondents}"]),
        (
            "qetgeo:detectprofiles",
            [
                f"--INPUT={respondents}",
                "--BOOTSTRAP=0",
                f"--OUTPUT_MODEL={model}",
                f"--OUTPUT={labelled}",
            ],
        ),  # fmt: skip
        (
            "qetgeo:mapprofiles",
            [
                f"--INPUT={labelled}",
                f"--AREAS={ROOT / 'sample_data' / 'quartier.gpkg'}|layername=iris",
                f"--MODEL={model}",
                f"--OUTPUT={area_map}",
            ],
        ),  # fmt: skip
    ]
    for algorithm, arguments in steps:
        done = qgis_process(config, "--json", "run", algorithm, *arguments)
        assert done.returncode == 0, algorithm + done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads(done.stdout)["results"]
    assert results["JOINED"] == 593
    layer = QgsVectorLayer(f"{area_map}|layername=area_indicators", "areas", "ogr")
    assert layer.isValid() and layer.featureCount() == 12
    assert layer.renderer().type() == "RuleRenderer"
    points = QgsVectorLayer(str(respondents), "r", "ogr")
    assert points.crs().authid() == "EPSG:4326" and points.featureCount() == 593


def test_a_point_layer_and_xy_columns_through_qgis_process(config, tmp_path):
    """A survey given as a point layer (read by QGIS) and one with Lambert-93 x/y columns
    (reprojected by QGIS): same respondents as the command line finds."""
    from plugin_testing import ROOT, SAMPLE_SURVEY

    reference = tmp_path / "reference.gpkg"
    subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "survey", "import", str(SAMPLE_SURVEY), "-o",
         str(reference)], check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    out = tmp_path / "from_layer.gpkg"
    done = qgis_process(config, "--json", "run", "qetgeo:importsurvey", f"--INPUT={reference}",
                        f"--OUTPUT={out}")  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert json.loads(done.stdout)["results"]["ACCEPTED"] == 593
    # x/y in Lambert-93
    import csv

    with open(SAMPLE_SURVEY, encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    layer = QgsVectorLayer(str(reference), "r", "ogr")
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject

    to_l93 = QgsCoordinateTransform(
        layer.crs(), QgsCoordinateReferenceSystem("EPSG:2154"), QgsProject.instance()
    )
    by_row = {
        f["source_row"]: to_l93.transform(f.geometry().asPoint()) for f in layer.getFeatures()
    }
    header = rows[0]
    lon, lat = header.index("longitude"), header.index("latitude")
    xy = tmp_path / "xy.tsv"
    with open(xy, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow([h for i, h in enumerate(header) if i not in (lon, lat)] + ["x", "y"])
        for number, row in enumerate(rows[1:], start=2):
            point = by_row.get(number)
            cells = [c for i, c in enumerate(row) if i not in (lon, lat)]
            writer.writerow(
                cells + ([f"{point.x():.2f}", f"{point.y():.2f}"] if point else ["", ""])
            )
    out_xy = tmp_path / "from_xy.gpkg"
    done = qgis_process(config, "--json", "run", "qetgeo:importsurvey", f"--INPUT={xy}",
                        "--CRS=EPSG:2154", f"--OUTPUT={out_xy}")  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    imported = QgsVectorLayer(str(out_xy), "xy", "ogr")
    assert imported.crs().authid() == "EPSG:2154" and imported.featureCount() == 593
    for feature in imported.getFeatures():  # the points as given (QGIS checked them in WGS 84)
        point, expected = feature.geometry().asPoint(), by_row[feature["source_row"]]
        assert abs(point.x() - expected.x()) < 0.01 and abs(point.y() - expected.y()) < 0.01


def test_runpipeline_through_qgis_process(config, tmp_path):
    """The whole job from the example configuration in qgis_process (a batch job), which
    must exit cleanly with the web map, the posters and the project written."""
    from plugin_testing import ROOT

    out = tmp_path / "sorties"
    done = qgis_process(config, "--json", "run", "qetgeo:runpipeline",
                        f"--CONFIG={ROOT / 'sample_data' / 'qet-geo.toml'}",
                        f"--OUTPUT_FOLDER={out}")  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads(done.stdout)["results"]
    assert results["PROJECT"] == str(out / "projet.qgz")
    for name in ("areas.gpkg", "carte.html", "affiche_A3.pdf", "affiche_A0.png", "projet.qgz"):
        assert (out / name).is_file(), name
