"""Translations of the plugin's user-facing strings.

Every string a user sees goes through :func:`tr`, in one Qt translation context, so that
``i18n/qet_geo_<locale>.ts`` holds them all (``i18n/update_ts.py`` keeps it in sync with the
code).  The translator is installed when QGIS creates the plugin, before the Processing
provider exists, so that algorithm and parameter names are translated too.
"""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

#: The one translation context of the plugin (the <context> of the .ts files).
CONTEXT = "qet-geo"
#: Translation files: ``i18n/qet_geo_fr_FR.qm`` then ``i18n/qet_geo_fr.qm``.
QM_PATTERN = "qet_geo_{}.qm"


def tr(text: str) -> str:
    """Translate ``text`` (an English literal) into the language of QGIS."""
    return QCoreApplication.translate(CONTEXT, text)


def user_locale() -> str:
    """The locale of the QGIS user interface, e.g. ``fr_FR`` (QGIS keeps it in its settings)."""
    value = QSettings().value("locale/userLocale", "")
    return str(value or QLocale().name()).replace("-", "_")


def install_translator(folder: Path, locale: str | None = None) -> QTranslator | None:
    """Install the translator of ``locale`` (default: QGIS's) found in ``folder``, if any."""
    locale = locale or user_locale()
    for code in dict.fromkeys((locale, locale.split("_")[0])):
        path = Path(folder) / QM_PATTERN.format(code)
        if not path.is_file():
            continue
        translator = QTranslator()
        if translator.load(str(path)):
            QCoreApplication.installTranslator(translator)
            return translator
    return None


def remove_translator(translator: QTranslator | None) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
