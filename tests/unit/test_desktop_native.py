"""Which GEOS shapely really calls (``qet_geo.native``) and the worker the QGIS window runs
the diagnostic in (``qet_geo.worker``), without QGIS.

A GEOS loaded into the global symbol scope before shapely (what ``qgis.bin`` does by being
linked with it) reproduces the QGIS window's defect in a plain ``python``: shapely's calls
go to that GEOS and a 2-D polygon no longer reads as 2-D.
"""

from __future__ import annotations

import ctypes.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qet_geo.worker import MARK

ROOT = Path(__file__).resolve().parents[2]


def python(code: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def worker(*arguments: str) -> tuple[int, list[dict]]:
    done = subprocess.run(
        [sys.executable, "-m", "qet_geo.worker", *arguments], cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    events = [json.loads(line[len(MARK) :]) for line in done.stdout.splitlines() if line.startswith(MARK)]  # fmt: skip
    return done.returncode, events


PROBE = (
    "import json; from qet_geo.native import global_libraries, flat_polygon_reads_flat; "
    "print(json.dumps([global_libraries(), flat_polygon_reads_flat()]))"
)


def test_under_python_no_library_is_global_and_shapely_reads_2d():
    found, flat = python(PROBE)
    assert (found, flat) == ({}, True)


def test_a_global_geos_is_found_and_is_what_breaks_shapely():
    library = ctypes.util.find_library("geos_c")
    if library is None:
        pytest.skip("no system GEOS (QGIS's) to load")
    found, flat = python(
        f"import ctypes; ctypes.CDLL({library!r}, mode=ctypes.RTLD_GLOBAL); " + PROBE
    )
    import shapely

    assert "GEOS" in found and found["GEOS"] != shapely.geos_version_string
    assert flat is False  # the QGIS window's defect, reproduced in a plain python


def test_the_worker_reports_the_versions_of_its_own_libraries():
    import shapely

    code, events = worker("versions")
    assert code == 0
    (info,) = events
    assert info["event"] == "versions" and info["flat"] is True and info["globals"] == {}
    assert info["wheels"]["GEOS"] == shapely.geos_version_string
    assert Path(info["library"]).parent == ROOT / "qet_geo"


def test_a_configuration_the_worker_cannot_read_is_an_error_event(tmp_path):
    config = tmp_path / "qet-geo.toml"
    config.write_text("[survey]\nfile = 3\n", encoding="utf-8")
    code, events = worker("run", str(config), "--lang", "en")
    assert code == 2
    assert [e["event"] for e in events] == ["error"]
    assert str(config) in events[0]["message"] + " ".join(events[0]["problems"])
    assert "traceback" not in events[0]
