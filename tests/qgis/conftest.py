"""Real headless QGIS (pytest-qgis, ``QT_QPA_PLATFORM=offscreen``) running the built plugin.

The plugin is tested as users get it: ``make plugin`` builds the zip, which is unzipped into
a temporary QGIS profile and started through ``classFactory`` by ``qgis.utils``, exactly as
QGIS does.  Inside the zip the library is ``qet_geo_plugin.qet_geo``; the editable
top-level ``qet_geo`` of the development venv is blocked while the plugin is loaded, so a
plugin module importing it by mistake fails here instead of on users' machines.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from plugin_testing import (
    PLUGIN,
    ROOT,
    install_plugin,
    metadata_version,
    plugin_instance,
    start_plugin,
    stop_plugin,
)
from qgis.core import QgsApplication, QgsProcessingFeedback


@pytest.fixture(scope="session")
def plugin_zip() -> Path:
    """``make plugin``: the zip users install (i18n/*.qm built by lrelease)."""
    build = subprocess.run(
        ["make", "plugin"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if build.returncode:
        pytest.fail(f"make plugin failed:\n{build.stdout}\n{build.stderr}")
    path = ROOT / "dist" / f"{PLUGIN}-{metadata_version()}.zip"
    assert path.is_file(), f"make plugin did not write {path}"
    return path


@pytest.fixture(scope="session")
def plugins_dir(plugin_zip: Path, tmp_path_factory) -> Path:
    return install_plugin(plugin_zip, tmp_path_factory.mktemp("qgis-config"))


@pytest.fixture(scope="session")
def plugin(qgis_app: QgsApplication, qgis_iface, qgis_processing, plugins_dir: Path):
    """The plugin unzipped in a profile, loaded and started by qgis.utils (English UI).

    Tests that unload it start it again before they end; use :func:`plugin_instance` for
    the current instance.
    """
    import qgis.utils

    blocked = "qet_geo" not in sys.modules
    if blocked:
        sys.modules["qet_geo"] = None  # the dev copy must not be used by the plugin
    qgis.utils.plugin_paths.insert(0, str(plugins_dir))
    sys.path.insert(0, str(plugins_dir))
    qgis.utils.updateAvailablePlugins()
    start_plugin("en_US")
    yield plugin_instance()
    stop_plugin()
    sys.path.remove(str(plugins_dir))
    qgis.utils.plugin_paths.remove(str(plugins_dir))
    if blocked:
        del sys.modules["qet_geo"]


@pytest.fixture(scope="session")
def cli_sample_job(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The example configuration run once by the command line (``qet-geo run
    sample_data/qet-geo.toml -o …/sorties --json``, a process of its own), for the tests
    that compare with it or read its outputs: (output folder, the finished process)."""
    out = tmp_path_factory.mktemp("cli") / "sorties"
    done = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "run", str(ROOT / "sample_data" / "qet-geo.toml"),
         "-o", str(out), "--json"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return out, done


@pytest.fixture()
def feedback() -> QgsProcessingFeedback:
    return QgsProcessingFeedback()
