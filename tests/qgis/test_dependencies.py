"""A missing or broken Python package never breaks QGIS start-up.

Each case starts a fresh QGIS (a subprocess, so that the package can be made unimportable
before anything imports it), loads the plugin from its folder as QGIS does, and reports
what was registered, logged and shown.
"""

from __future__ import annotations

import json
import subprocess
import textwrap

import pytest
from plugin_testing import PLUGIN, PYTHON, subprocess_env

ALGORITHM = "qetgeo:importsurvey"

#: Runs in the subprocess: argv = plugins folder, QGIS config folder, how to break, package.
START_QGIS = textwrap.dedent("""
    import json, sys
    plugins, config, how, package = sys.argv[1:5]
    sys.modules["qet_geo"] = None  # the plugin must use the library inside it
    if how == "absent":  # not installed
        sys.modules[package] = None
    elif how == "broken":  # installed, but importing it fails (a shadowing package)
        sys.path.insert(0, config + "/shadow")

    from qgis.core import QgsApplication
    from qgis.gui import QgsMapCanvas
    from pytest_qgis.mock_qgis_classes import MockMessageBar
    from pytest_qgis.qgis_interface import QgisInterface
    from qgis.PyQt.QtWidgets import QMainWindow

    app = QgsApplication([], True)
    app.initQgis()
    log = []
    QgsApplication.messageLog().messageReceived.connect(
        lambda message, tag, level: log.append([tag, int(level), message]))
    window = QMainWindow()
    iface = QgisInterface(QgsMapCanvas(window), MockMessageBar(), window)

    import qgis.utils
    qgis.utils.iface = iface
    qgis.utils.plugin_paths.insert(0, plugins)
    sys.path.insert(0, plugins)
    qgis.utils.updateAvailablePlugins()
    loaded = qgis.utils.loadPlugin("{plugin}")
    started = loaded and qgis.utils.startPlugin("{plugin}")
    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("qetgeo")
    state = {{
        "started": bool(started),
        "provider": provider is not None,
        "algorithms": [a.id() for a in provider.algorithms()] if provider else [],
        "log": log,
        "bar": iface.messageBar().get_messages(1),
    }}
    if how == "absent" and len(sys.argv) > 5 and sys.argv[5] == "install-then-check":
        del sys.modules[package]  # as if installed now, with the QPIP plugin or pip
        [menu] = [a.menu() for a in window.menuBar().actions() if a.menu()]
        [check] = [a for a in menu.actions() if a.objectName() == "qetGeoCheckDependencies"]
        check.trigger()
        state["after_check"] = [a.id() for a in provider.algorithms()]
        state["bar_success"] = iface.messageBar().get_messages(3)
    print(json.dumps(state))
""").format(plugin=PLUGIN)


def start_qgis(plugins_dir, tmp_path, how: str, package: str, then: str = "") -> dict:
    if how == "broken":
        shadow = tmp_path / "shadow" / package
        shadow.mkdir(parents=True)
        (shadow / "__init__.py").write_text(
            f"raise ImportError('{package} is broken here (simulated)')\n", encoding="utf-8"
        )
    done = subprocess.run(
        [PYTHON, "-c", START_QGIS, str(plugins_dir), str(tmp_path), how, package, then],
        env=subprocess_env(QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "config")),
        capture_output=True,
        text=True,
        timeout=1800,  # a hang guard, never a measure
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def qet_geo_warnings(state: dict) -> list[str]:
    return [message for tag, level, message in state["log"] if tag == "qet-geo" and level >= 1]


def test_with_every_package_the_algorithm_is_registered_silently(plugins_dir, tmp_path):
    state = start_qgis(plugins_dir, tmp_path, "none", "-")
    assert state["started"] and state["provider"]
    assert ALGORITHM in state["algorithms"]
    assert qet_geo_warnings(state) == []
    assert state["bar"] == []


def test_without_geopandas_qgis_starts_and_says_what_to_install(plugins_dir, tmp_path):
    state = start_qgis(plugins_dir, tmp_path, "absent", "geopandas")

    assert state["started"] and state["provider"]
    assert ALGORITHM not in state["algorithms"]
    assert "qetgeo:computefootprints" in state["algorithms"]  # needs no geopandas
    [message] = qet_geo_warnings(state)
    assert "Import survey answers (qetgeo:importsurvey): geopandas is not installed" in message
    assert "python -m pip install geopandas" in message
    assert "requirements.txt" in message
    assert "QPIP" in message
    [shown] = state["bar"]
    assert "geopandas" in shown and "python -m pip install geopandas" in shown


def test_a_package_with_another_import_name_is_named_by_its_pip_name(plugins_dir, tmp_path):
    state = start_qgis(plugins_dir, tmp_path, "absent", "yaml")

    assert ALGORITHM not in state["algorithms"]
    [message] = qet_geo_warnings(state)
    assert "pyyaml is not installed" in message
    assert "python -m pip install pyyaml" in message


def test_a_broken_pandas_is_reported_with_its_error(plugins_dir, tmp_path):
    state = start_qgis(plugins_dir, tmp_path, "broken", "pandas")

    assert state["started"] and state["provider"]
    assert ALGORITHM not in state["algorithms"]
    [message] = qet_geo_warnings(state)
    assert "pandas is installed but cannot be imported" in message
    assert "pandas is broken here (simulated)" in message
    assert "python -m pip install --upgrade pandas" in message


def test_without_kmodes_only_profile_detection_is_disabled(plugins_dir, tmp_path):
    state = start_qgis(plugins_dir, tmp_path, "absent", "kmodes")

    assert state["started"] and state["provider"]
    assert "qetgeo:detectprofiles" not in state["algorithms"]
    assert {ALGORITHM, "qetgeo:computefootprints", "qetgeo:assignprofiles"} <= set(
        state["algorithms"]
    )
    [message] = qet_geo_warnings(state)
    assert "Detect usage profiles (qetgeo:detectprofiles): kmodes is not installed" in message
    assert "python -m pip install kmodes" in message


@pytest.mark.parametrize("package", ["numpy", "shapely", "odf"])
def test_each_requirement_is_checked(plugins_dir, tmp_path, package):
    state = start_qgis(plugins_dir, tmp_path, "absent", package)

    assert state["started"] and state["provider"]
    assert ALGORITHM not in state["algorithms"]
    pip_name = {"odf": "odfpy"}.get(package, package)
    assert f"python -m pip install {pip_name}" in qet_geo_warnings(state)[0]


def test_check_dependencies_registers_what_was_installed_since_start(plugins_dir, tmp_path):
    state = start_qgis(plugins_dir, tmp_path, "absent", "geopandas", "install-then-check")

    assert ALGORITHM not in state["algorithms"]
    assert sorted(state["after_check"]) == [
        "qetgeo:assignprofiles",
        "qetgeo:computefootprints",
        "qetgeo:detectprofiles",
        "qetgeo:exportposter",
        "qetgeo:exportwebmap",
        ALGORITHM,
        "qetgeo:mapprofiles",
        "qetgeo:profilesvsconstraints",
        "qetgeo:proximity",
        "qetgeo:runpipeline",
        "qetgeo:transitaccess",
    ]
    assert state["bar_success"] == ["qet-geo:All the Python packages qet-geo needs are installed."]
