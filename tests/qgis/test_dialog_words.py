"""The Processing dialogs in plain words (issue 14), in a French QGIS: every enum parameter
shows words and gives the library's code; shares show in percent and give the share;
numbers show at most 2 decimals; the output folder of the whole run is never "[Skip
output]"; the log of a run is French and prints no Python reprs."""

from __future__ import annotations

import re

import pytest
from algorithm_chain import run_chain
from plugin_testing import ROOT, start_plugin, stop_plugin
from qgis.core import QgsApplication, QgsProcessingFeedback
from qgis.PyQt.QtWidgets import QLineEdit
from test_qgis_process import config, qgis_process  # noqa: F401 - config is a fixture

SAMPLE = ROOT / "sample_data"
#: What the French dialog shows for some codes (the rest: words, never the code).
FRENCH = {
    ("detectprofiles", "METHOD"): {
        "near": "méthode NEAR (Sphères d'Usages)",
        "kmeans": "k-moyennes",
        "gmm": "mélange gaussien",
    },
    ("detectprofiles", "WEIGHTS"): {"current": "poids actuels de NEAR"},
    ("exportposter", "SIZE"): {"A3": "A3 paysage (42 × 29,7 cm)"},
    ("importsurvey", "SCHEMA"): {
        "near-su": "enquête Sphères d'Usages (NEAR, Quartiers en Transitions)"
    },
    ("mapprofiles", "WEIGHTS"): {"raking": "calage sur le recensement"},
}
#: Python reprs that must not reach the log.
REPRS = re.compile(r"\{'|\{\"|\[\(|\[\'|Path\(|PosixPath|WindowsPath|\bNone\b|<[a-z_.]+ object")


@pytest.fixture(scope="module")
def french(plugin):
    """The plugin restarted in a French QGIS; back in English afterwards."""
    stop_plugin()
    try:
        yield start_plugin("fr_FR")
    finally:
        stop_plugin()
        start_plugin("en_US")


@pytest.fixture()
def dialog(french, qgis_iface, monkeypatch):
    """``dialog(name)``: the parameter wrappers of the algorithm dialog of ``qetgeo:name``."""
    import processing

    # pytest-qgis's iface has no browser model; the dialog only hands it to file widgets
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: None, raising=False)
    dialogs = []

    def wrappers(name: str) -> dict:
        dialogs.append(processing.createAlgorithmDialog(f"qetgeo:{name}"))
        return dialogs[-1].mainWidget().wrappers

    yield wrappers
    for shown in dialogs:
        shown.deleteLater()


def _widget(wrapper):
    """The widget of a wrapper (Python wrappers: ``.widget``; QGIS's: ``wrappedWidget()``)."""
    return wrapper.widget if hasattr(wrapper, "widget") else wrapper.wrappedWidget()


def _percent(value: float) -> str:
    """How the dialog writes ``value`` % (the decimal separator is the locale's)."""
    from qgis.PyQt.QtCore import QLocale

    return QLocale().toString(value, "f", 1) + " %"


def _enums():
    provider = QgsApplication.processingRegistry().providerById("qetgeo")
    return [
        (algorithm.name(), definition)
        for algorithm in provider.algorithms()
        for definition in algorithm.parameterDefinitions()
        if definition.type() == "enum"
    ]


def test_every_enum_shows_words_and_gives_its_code(french, dialog):
    enums = _enums()
    assert len(enums) >= 9
    for name, definition in enums:
        combo = _widget(dialog(name)[definition.name()])
        codes = list(definition.options())
        shown = [combo.itemText(i) for i in range(combo.count())]
        given = [combo.itemData(i) for i in range(combo.count())]
        assert given == codes, (name, definition.name())
        for code, label in zip(codes, shown, strict=True):
            assert label.strip().lower() != code.lower() and label not in codes, (name, label)
            assert re.search(r"[A-Za-zÀ-ÿ]{3}", label), (name, label)  # a word, not a code
        for code, label in FRENCH.get((name, definition.name()), {}).items():
            assert shown[codes.index(code)] == label, (name, shown)


def test_the_dialog_gives_codes_and_shares(french, dialog):
    wrappers = dialog("detectprofiles")
    combo = _widget(wrappers["METHOD"])
    combo.setCurrentIndex(combo.findText("k-moyennes"))
    assert wrappers["METHOD"].parameterValue() == "kmeans"
    assert wrappers["WEIGHTS"].parameterValue() == "current"
    spin = _widget(wrappers["MIN_SHARE"])
    assert spin.text() == _percent(11.0)  # "11,0 %" in QGIS in French
    spin.setValue(25.5)
    assert wrappers["MIN_SHARE"].parameterValue() == 0.255
    assert _widget(wrappers["MAX_SHARE"]).text() == _percent(95.0)
    assert wrappers["MAX_SHARE"].parameterValue() == 0.95


def test_the_share_help_tells_scripts_the_share(french):
    algorithm = QgsApplication.processingRegistry().algorithmById("qetgeo:detectprofiles")
    help_text = algorithm.parameterDefinition("MIN_SHARE").help()
    assert "0.11 pour 11 %" in help_text and "qgis_process" in help_text
    assert "MIN_SHARE et MAX_SHARE sont des parts de 0 à 1" in algorithm.shortHelpString()


@pytest.mark.parametrize("name", ["transitaccess", "proximity", "detectprofiles"])
def test_numbers_show_at_most_two_decimals(french, dialog, name):
    wrappers = dialog(name)
    algorithm = QgsApplication.processingRegistry().algorithmById(f"qetgeo:{name}")
    doubles = [
        d.name()
        for d in algorithm.parameterDefinitions()
        if d.type() == "number" and hasattr(_widget(wrappers[d.name()]), "decimals")
    ]
    assert doubles
    for parameter in doubles:
        widget = _widget(wrappers[parameter])
        assert widget.decimals() <= 2, (parameter, widget.text())


def test_the_output_folder_of_the_whole_run_is_a_folder(french, dialog):
    algorithm = QgsApplication.processingRegistry().algorithmById("qetgeo:runpipeline")
    definition = algorithm.parameterDefinition("OUTPUT_FOLDER")
    assert not definition.flags() & definition.FlagOptional
    default = definition.defaultValue()
    assert default and default != "TEMPORARY_OUTPUT" and default.endswith("qet-geo")
    wrapper = dialog("runpipeline")["OUTPUT_FOLDER"]
    assert wrapper.parameterValue() == default
    texts = [e.text() + e.placeholderText() for e in _widget(wrapper).findChildren(QLineEdit)]
    assert default in texts and not any("Ignorer" in t or "Skip" in t for t in texts), texts


def test_scripts_may_leave_the_output_folder_out(french, config, tmp_path):  # noqa: F811
    """Left out by a script (``processing.run``, as before): the configuration's folder, so
    a bad configuration is reported as such. ``qgis_process`` wants every mandatory
    parameter given: it names OUTPUT_FOLDER (the help says so)."""
    import processing
    from qgis.core import QgsProcessingException

    toml = tmp_path / "bad.toml"
    toml.write_text('[survey]\nfile = "nowhere.tsv"\n', encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="nowhere.tsv"):
        processing.run("qetgeo:runpipeline", {"CONFIG": str(toml)})
    assert [p.name for p in tmp_path.iterdir()] == ["bad.toml"]
    done = qgis_process(config, "run", "qetgeo:runpipeline", f"--CONFIG={toml}")
    assert done.returncode != 0 and "OUTPUT_FOLDER" in done.stderr
    algorithm = QgsApplication.processingRegistry().algorithmById("qetgeo:runpipeline")
    assert "qgis_process" in algorithm.parameterDefinition("OUTPUT_FOLDER").help()


class _Log(QgsProcessingFeedback):
    """Every message of the runs, by kind."""

    def __init__(self):
        super().__init__()
        self.lines: list[tuple[str, str]] = []

    def pushInfo(self, text):
        self.lines.append(("info", text))

    def pushWarning(self, text):
        self.lines.append(("warning", text))

    def reportError(self, text, fatalError=False):
        self.lines.append(("error", text))


def _ours(log: _Log) -> list[str]:
    """The log without QGIS's own "Results: {…}" lines (``processing.run``'s)."""
    return [text for _, text in log.lines if not text.startswith("Results: {")]


def test_the_log_of_a_run_is_french_without_python_reprs(french, tmp_path, monkeypatch):
    import processing
    import qgis.utils

    log = _Log()
    run_chain(SAMPLE, tmp_path / "chain", feedback=log)
    monkeypatch.setattr(qgis.utils, "iface", None)  # no message bar to offer the outputs
    processing.run("qetgeo:runpipeline", {"CONFIG": str(SAMPLE / "qet-geo.toml"),
                                          "OUTPUT_FOLDER": str(tmp_path / "run")}, feedback=log)  # fmt: skip
    lines = _ours(log)
    text = "\n".join(lines)
    assert len(lines) > 40
    assert not REPRS.search(text), REPRS.search(text)
    assert "Traceback" not in text
    for french_line in ("Détection des profils : méthode NEAR (Sphères d'Usages)…",
                        "[1/12] import de l'enquête", "[8/12] le diagnostic (EMdV, NGC)", "Lignes lues: 600"):  # fmt: skip
        assert french_line in text, french_line
    assert re.search(r"  projet\.qgz  \(\d+ Ko\)", text), text
    for english in ("Detecting", "Written", " kB)", "Outputs in", "Rows read", "Stability"):
        assert english not in text, english


def test_base_report_prints_plain_text(french):
    from pathlib import Path

    from qet_geo_plugin.algorithms.base import QetGeoAlgorithm

    log = _Log()
    QetGeoAlgorithm.report(log, [Path("/tmp/a.gpkg"), ("a", 1), {"k": 2}], [["w", Path("b")]])
    assert log.lines == [("info", "/tmp/a.gpkg"), ("info", "a, 1"), ("info", "k: 2"),
                         ("warning", "w, b")]  # fmt: skip
