"""Installing the zip offline, as a user does (Plugins ▸ Install from ZIP), enables the plugin.

The real QGIS desktop under Xvfb (no network here), a fresh profile with no plugin, and a
startup script that calls the plugin installer's own install-from-zip code path
(``pyplugin_installer.instance().installFromZipFile``). A ``plugin_dependencies`` entry in
metadata.txt sent that path to ``find_dependencies``, which needs the plugin repository
(unreachable offline). Any dialog that opens is recorded and closed, any exception shown by
``qgis.utils.showException`` is recorded; a screenshot is kept.
"""

from __future__ import annotations

import json
import os
import textwrap

import pytest
from plugin_testing import PLUGIN
from test_desktop_xvfb import QGIS, XVFB_RUN, launch, site_packages

STARTUP = textwrap.dedent(
    r'''
    import json, os, traceback
    from pathlib import Path
    from qgis.PyQt.QtCore import QTimer
    from qgis.PyQt.QtWidgets import QApplication, QDialog, QMessageBox
    from qgis.core import QgsApplication, QgsSettings
    from qgis.utils import iface
    import qgis.utils

    OUT = Path(os.environ["QET_TEST_DIR"])
    seen = {"errors": [], "dialogs": []}
    shown = qgis.utils.showException
    def record_exception(type_, value, tb, *args, **kwargs):
        seen["errors"].append("".join(traceback.format_exception(type_, value, tb)))
        return shown(type_, value, tb, *args, **kwargs)
    qgis.utils.showException = record_exception

    def close_dialogs():
        """A modal dialog (dependencies, error) would block the installer: note it, close it."""
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and isinstance(widget, (QDialog, QMessageBox)):
                text = widget.text() if isinstance(widget, QMessageBox) else ""
                seen["dialogs"].append([type(widget).__name__, widget.windowTitle(), text])
                widget.grab().save(str(OUT / f"dialog_{len(seen['dialogs'])}.png"))
                widget.reject()
    watcher = QTimer()
    watcher.timeout.connect(close_dialogs)
    watcher.start(500)

    def install():
        try:
            import pyplugin_installer
            pyplugin_installer.instance().installFromZipFile(os.environ["QET_TEST_ZIP"])
            from pyplugin_installer.plugindependencies import find_dependencies
            seen["dependencies"] = [sorted(d) for d in find_dependencies("{plugin}")]
            seen["loaded"] = qgis.utils.isPluginLoaded("{plugin}")
            seen["active"] = "{plugin}" in qgis.utils.active_plugins
            seen["enabled"] = QgsSettings().value("PythonPlugins/{plugin}", False, type=bool)
            registry = QgsApplication.processingRegistry()
            seen["provider"] = registry.providerById("qetgeo") is not None
        except Exception:
            seen["errors"].append(traceback.format_exc())
        iface.mainWindow().grab().save(str(OUT / "window.png"))
        seen["finished"] = True
        (OUT / "seen.json").write_text(json.dumps(seen, indent=1))
        QgsApplication.exit(0)

    QTimer.singleShot(2000, install)
    '''
).replace("{plugin}", PLUGIN)


@pytest.fixture(scope="module")
def installed(plugin_zip, tmp_path_factory) -> dict:
    if not (QGIS and XVFB_RUN):
        pytest.fail("the QGIS desktop or xvfb-run is missing: `make test` installs them")
    work = tmp_path_factory.mktemp("install")
    profiles = work / "profiles"
    settings = profiles / "profiles" / "default" / "QGIS"
    settings.mkdir(parents=True)
    (settings / "QGIS3.ini").write_text(
        "[locale]\nuserLocale=fr_FR\noverrideFlag=true\n", encoding="utf-8"
    )
    script = work / "startup.py"
    script.write_text(STARTUP, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # a real window
    env.update(PYTHONPATH=site_packages(), QET_TEST_DIR=str(work),
               QET_TEST_ZIP=str(plugin_zip), PYTHONDONTWRITEBYTECODE="1")  # fmt: skip
    returncode, output, seconds = launch(profiles, script, env, "1280x900x24")
    seen_file = work / "seen.json"
    seen = json.loads(seen_file.read_text()) if seen_file.is_file() else {}
    seen.update(returncode=returncode, output=output[-4000:], work=str(work))
    print(f"\ninstall from ZIP: {seconds:.0f} s; screenshot {work / 'window.png'}")
    return seen


def test_installing_the_zip_offline_enables_the_plugin_without_an_error(installed):
    context = f"QGIS said:\n{installed['output']}\nseen: {installed}"
    assert installed.get("finished"), context
    assert installed["errors"] == [], context
    assert installed["dialogs"] == [], context
    assert installed["dependencies"] == [[], [], []], context  # nothing asked of the repository
    assert installed["loaded"] and installed["active"] and installed["enabled"], context
    assert installed["provider"], context
