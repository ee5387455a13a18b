"""Helpers of the QGIS tests: paths, installing and starting the plugin as QGIS does.

(A module with its own name, not conftest, so that test modules can import it.)
"""

from __future__ import annotations

import configparser
import os
import sys
import zipfile
from pathlib import Path

from qgis.PyQt.QtCore import QSettings

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = "qet_geo_plugin"
FIXTURES = ROOT / "tests" / "fixtures"
SURVEY_0 = FIXTURES / "near" / "survey_0.tsv"
SAMPLE_SURVEY = ROOT / "sample_data" / "survey_su.tsv"
#: The Python that runs this session (it has PyQGIS and the plugin's dependencies).
PYTHON = sys.executable


def metadata_version() -> str:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "metadata.txt", encoding="utf-8")
    return parser.get("general", "version")


def install_plugin(plugin_zip: Path, config_root: Path) -> Path:
    """Unzip the plugin into ``<config_root>/profiles/default/python/plugins``; return it."""
    plugins = config_root / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(plugin_zip) as archive:
        archive.extractall(plugins)
    return plugins


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


def plugin_instance():
    import qgis.utils

    return qgis.utils.plugins[PLUGIN]


def start_plugin(locale: str = "en_US"):
    """Load and start the installed plugin as QGIS does, in the QGIS user locale ``locale``."""
    import qgis.utils

    QSettings().setValue("locale/userLocale", locale)
    assert qgis.utils.loadPlugin(PLUGIN), "qgis.utils.loadPlugin failed (see the log above)"
    assert qgis.utils.startPlugin(PLUGIN), "qgis.utils.startPlugin failed (see the log above)"
    return plugin_instance()


def stop_plugin() -> None:
    import qgis.utils

    if qgis.utils.isPluginLoaded(PLUGIN):
        assert qgis.utils.unloadPlugin(PLUGIN)
