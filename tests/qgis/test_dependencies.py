"""A missing or broken Python package never breaks QGIS start-up.

Each case starts a fresh QGIS (a subprocess, so that the package can be made unimportable
before anything imports it), loads the plugin from its folder as QGIS does, and reports
what was registered, logged and shown.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import textwrap
from pathlib import Path

import pytest
from plugin_testing import PLUGIN, PYTHON, subprocess_env

ALGORITHM = "qetgeo:importsurvey"

#: Runs in the subprocess: argv = plugins folder, QGIS config folder, how to break, package.
START_QGIS = textwrap.dedent("""
    import json, sys
    plugins, config, how, package = sys.argv[1:5]
    sys.modules["qet_geo"] = None  # the plugin must use the library inside it
    if how == "absent":  # not installed (a comma-separated list: several)
        for name in package.split(","):
            sys.modules[name] = None
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
    assert "qetgeo:analysediagnostic" in state["algorithms"]  # neither
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
        "qetgeo:analysediagnostic",
        "qetgeo:assignprofiles",
        "qetgeo:computefootprints",
        "qetgeo:detectprofiles",
        "qetgeo:exportposter",
        "qetgeo:exportwebmap",
        "qetgeo:forumpanels",
        "qetgeo:forumvotes",
        "qetgeo:importemdv",
        "qetgeo:importngc",
        ALGORITHM,
        "qetgeo:mapprofiles",
        "qetgeo:profilesvsconstraints",
        "qetgeo:proximity",
        "qetgeo:runpipeline",
        "qetgeo:transitaccess",
    ]
    assert state["bar_success"] == ["qet-geo:All the Python packages qet-geo needs are installed."]


def test_every_missing_package_is_named_at_once_with_one_command(plugins_dir, tmp_path):
    """pandas missing disables every algorithm at the first check; the other missing
    requirements (here geopandas and kmodes) are named in the same message and command."""
    state = start_qgis(plugins_dir, tmp_path, "absent", "pandas,geopandas,kmodes")

    assert state["started"] and state["provider"]
    assert state["algorithms"] == []
    [message] = qet_geo_warnings(state)
    [shown] = state["bar"]
    for text in (message, shown):
        command = next(line for line in text.split(": ") if "-m pip install" in line)
        for package in ("pandas", "geopandas", "kmodes"):
            assert package in text
            assert package in command.split()
        assert "numpy" not in command.split()  # installed: not asked for
    assert "Missing or broken Python packages: pandas, geopandas, kmodes" in message
    assert "Check again" in shown


#: In the system Python (Debian's /usr/bin/python3, where PyQGIS lives): the command the
#: plugin proposes there for the requirements that Python lacks.
SYSTEM_COMMAND = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    plugins = Path(sys.argv[1])
    sys.path.insert(0, str(plugins))
    from {plugin}.plugin import dependencies
    requirements = plugins / "{plugin}" / "requirements.txt"
    print(json.dumps({{
        "command": dependencies.pip_command({{}}, requirements),
        "missing": [p.pip_name for p in dependencies.missing_packages({{}}, requirements)],
        "where": dependencies.where_to_run(),
    }}))
""").format(plugin=PLUGIN)


@pytest.mark.skipif(
    not Path("/usr/lib/python3.11/EXTERNALLY-MANAGED").is_file(),
    reason="a Debian 12 system Python (externally managed)",
)
def test_the_command_for_debian_gets_past_pip_s_externally_managed_refusal(plugins_dir, tmp_path):
    """On Debian 12 ``python -m pip install pandas`` stops at externally-managed-environment;
    the proposed command does not: pip goes on to look for the packages (here in an empty
    local index, so that the test needs no network and installs nothing)."""
    done = subprocess.run(
        ["/usr/bin/python3", "-c", SYSTEM_COMMAND, str(plugins_dir)],
        env=subprocess_env(), capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    state = json.loads(done.stdout.strip().splitlines()[-1])
    if not state["missing"]:
        pytest.skip("this system Python has every requirement")
    words = shlex.split(state["command"])
    assert words[:7] == ["/usr/bin/python3", "-m", "pip", "install", "--user",
                         "--break-system-packages", *state["missing"][:1]]  # fmt: skip
    assert words[6:] == state["missing"]
    assert "home folder" in state["where"]
    empty = tmp_path / "index"
    empty.mkdir()
    offline = ["--dry-run", "--no-index", "--find-links", str(empty)]

    def pip(arguments):
        return subprocess.run(
            [*arguments[:4], *offline, *arguments[4:]],
            env=subprocess_env(PIP_FIND_LINKS=str(empty)), capture_output=True, text=True,
            timeout=600, check=False,
        )  # fmt: skip

    proposed = pip(words)
    assert "externally-managed-environment" not in proposed.stderr
    assert "No matching distribution found" in proposed.stderr, proposed.stderr[-2000:]
    plain = pip([w for w in words if w not in ("--user", "--break-system-packages")])
    assert "externally-managed-environment" in plain.stderr  # what the old advice met
