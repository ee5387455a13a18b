"""French is first-class: every user-facing string has a translation, and the zip carries it."""

from __future__ import annotations

import importlib.util
import re
import zipfile

import pytest
from plugin_testing import PLUGIN, ROOT
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

TS = ROOT / "i18n" / "qet_geo_fr.ts"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


@pytest.fixture(scope="module")
def update_ts():
    """i18n/update_ts.py: the extractor of tr() strings (lupdate does not read Python)."""
    spec = importlib.util.spec_from_file_location("update_ts", ROOT / "i18n" / "update_ts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_tr_string_has_a_finished_french_translation(update_ts):
    in_code = update_ts.extract()
    in_ts = update_ts.read_ts(TS)
    assert len(in_code) > 40
    assert sorted(set(in_code) - set(in_ts)) == [], "run: python i18n/update_ts.py"
    assert sorted(set(in_ts) - set(in_code)) == [], "run: python i18n/update_ts.py"
    unfinished = [source for source, (_, finished) in in_ts.items() if not finished]
    assert unfinished == [], "translate these in i18n/qet_geo_fr.ts"


def test_translations_keep_the_placeholders(update_ts):
    for source, (translation, _) in update_ts.read_ts(TS).items():
        assert sorted(PLACEHOLDER.findall(translation)) == sorted(PLACEHOLDER.findall(source)), (
            source
        )


def test_the_zip_translates_every_string(update_ts, plugin_zip, tmp_path):
    with zipfile.ZipFile(plugin_zip) as archive:
        qm = tmp_path / "qet_geo_fr.qm"
        qm.write_bytes(archive.read(f"{PLUGIN}/i18n/qet_geo_fr.qm"))
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)  # (QTranslator.translate wants ASCII)
    try:
        for source, (translation, _) in update_ts.read_ts(TS).items():
            assert QCoreApplication.translate("qet-geo", source) == translation, source
    finally:
        QCoreApplication.removeTranslator(translator)
