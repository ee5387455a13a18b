"""The help pages shipped inside the plugin (``help/fr/index.html``, ``help/en/index.html``).

The project has no public homepage yet: the Help buttons (the qet-geo menu's, each
Processing dialog's) open these pages, which need no network.
"""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QUrl

from .i18n import user_locale

#: The help folder of the installed plugin (beside ``plugin/`` and ``algorithms/``).
HELP_DIR = Path(__file__).resolve().parent.parent / "help"
#: The languages the help is written in; any other locale gets the English page.
HELP_LANGUAGES = ("fr", "en")


def help_language(locale: str | None = None) -> str:
    """``fr`` when ``locale`` (default: QGIS's, ``fr_FR``, ``fr``…) is French, else ``en``."""
    code = (locale if locale is not None else user_locale()).split("_")[0].lower()
    return code if code in HELP_LANGUAGES else "en"


def help_page(locale: str | None = None) -> Path:
    """The help page in the language of ``locale`` (default: QGIS's)."""
    return HELP_DIR / help_language(locale) / "index.html"


def help_url(anchor: str = "", locale: str | None = None) -> str:
    """A ``file://`` URL of the help page, at ``#anchor`` when given (an algorithm's
    section is its name: ``#importsurvey``)."""
    url = QUrl.fromLocalFile(str(help_page(locale)))
    if anchor:
        url.setFragment(anchor)
    return url.toString()
