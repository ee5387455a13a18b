"""The help shipped in the plugin zip: French and English pages, an anchor per algorithm,
nothing loaded from the network, no placeholder URL; the Help buttons open it."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import pytest
from plugin_testing import PLUGIN, start_plugin, stop_plugin
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QObject, QUrl, pyqtSlot
from qgis.PyQt.QtGui import QDesktopServices

PAGES = ("help/fr/index.html", "help/en/index.html")
#: Pictures stay small: the zip is downloaded by every user.
MAX_IMAGE_BYTES = 150_000
#: A URL the page would fetch from the network (``//host`` included).
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


class _Page(HTMLParser):
    """The ids, loaded resources and links of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.resources: list[str] = []  # src of any element, href of <link>
        self.links: list[str] = []  # href of <a>
        self.scripts = 0
        self.inline_css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "script":
            self.scripts += 1
        if tag == "style":
            self._in_style = True
        if attrs.get("style"):
            self.inline_css.append(attrs["style"])
        for name in ("src", "srcset", "poster", "data"):
            if attrs.get(name):
                self.resources.append(attrs[name])
        if tag == "link" and attrs.get("href"):
            self.resources.append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.inline_css.append(data)


def _zip_texts(plugin_zip: Path) -> dict[str, bytes]:
    """The files of the zip, by their path inside the plugin folder."""
    with zipfile.ZipFile(plugin_zip) as archive:
        return {
            name.removeprefix(f"{PLUGIN}/"): archive.read(name)
            for name in archive.namelist()
            if not name.endswith("/")
        }


def _algorithm_names(files: dict[str, bytes]) -> set[str]:
    """Every algorithm's NAME, as its module in the zip sets it."""
    names = set()
    for path, data in files.items():
        if path.startswith("algorithms/") and path.endswith(".py"):
            names |= set(re.findall(r'^    NAME = "([a-z0-9_]+)"$', data.decode(), re.M))
    return names


def _parse(data: bytes) -> _Page:
    page = _Page()
    page.feed(data.decode("utf-8"))
    page.close()
    return page


def _resolve(page_path: str, reference: str) -> str:
    """The path inside the plugin of a relative ``reference`` made in ``page_path``."""
    parts: list[str] = []
    for part in (PurePosixPath(page_path).parent / reference).parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


@pytest.fixture(scope="module")
def files(plugin_zip) -> dict[str, bytes]:
    return _zip_texts(plugin_zip)


def test_help_pages_are_in_the_zip_with_an_anchor_per_algorithm(files):
    names = _algorithm_names(files)
    assert len(names) >= 11, names  # the regex found the algorithms
    for page_path in PAGES:
        assert page_path in files, f"{page_path} is not in the zip"
        missing = names - _parse(files[page_path]).ids
        assert not missing, f"{page_path}: no anchor for {sorted(missing)}"


def test_help_loads_nothing_from_the_network_and_every_picture_is_shipped(files):
    pictures = set()
    for page_path in PAGES:
        page = _parse(files[page_path])
        assert page.scripts == 0, f"{page_path}: a script"
        for reference in page.resources:
            assert not REMOTE.match(reference), f"{page_path} loads {reference}"
            target = _resolve(page_path, reference)
            assert target in files, f"{page_path}: {reference} is not in the zip"
            pictures |= {target} if target.endswith(".png") else set()
        for css in page.inline_css:
            assert "url(" not in css and "@import" not in css, f"{page_path}: {css}"
        for link in page.links:  # links to other pages of the help, or their sections
            if REMOTE.match(link) or link.startswith("mailto:"):
                continue
            target, _, anchor = link.partition("#")
            target = _resolve(page_path, target) if target else page_path
            assert target in files, f"{page_path}: link {link} leads nowhere"
            if anchor:
                assert anchor in _parse(files[target]).ids, f"{page_path}: link {link}"
    assert len({p.rsplit("_", 1)[0] for p in pictures}) >= 2, pictures  # pictures of the tour
    for picture in pictures:
        assert files[picture].startswith(b"\x89PNG"), picture
        assert len(files[picture]) < MAX_IMAGE_BYTES, f"{picture}: {len(files[picture])} bytes"
    for path, data in files.items():
        if path.startswith("help/") and path.endswith(".css"):
            css = data.decode("utf-8")
            assert "@import" not in css, path
            urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
            assert not [u for u in urls if REMOTE.match(u)], f"{path}: {urls}"


def test_no_placeholder_url_in_the_help_metadata_or_code(files):
    checked = [
        path
        for path in files
        if not path.startswith("sample_data/")  # fictional data, fictional addresses
        and (path.startswith("help/") or path == "metadata.txt" or path.endswith(".py"))
        and not path.endswith(".png")
    ]
    assert "metadata.txt" in checked and any(p.startswith("help/") for p in checked)
    found = [path for path in checked if b"example.org" in files[path]]
    assert not found, f"example.org in {found}"


def _help_file(url: str, plugins_dir: Path) -> tuple[Path, str]:
    qurl = QUrl(url)
    assert qurl.isLocalFile(), url
    path = Path(qurl.toLocalFile())
    assert path.is_file(), url
    assert path.resolve().is_relative_to((plugins_dir / PLUGIN / "help").resolve()), (
        url
    )  # installed
    return path, qurl.fragment()


def test_each_algorithm_help_url_is_its_section_of_the_shipped_page(plugin, plugins_dir):
    provider = QgsApplication.processingRegistry().providerById("qetgeo")
    algorithms = provider.algorithms()
    assert algorithms
    for algorithm in algorithms:
        path, anchor = _help_file(algorithm.helpUrl(), plugins_dir)
        assert path.parent.name == "en"  # an English QGIS
        assert anchor == algorithm.name()
        assert f'id="{anchor}"' in path.read_text("utf-8")


class _Opened(QObject):
    """Stands for the system's browser: keeps the URLs QDesktopServices is asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @pyqtSlot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture()
def opened():
    browser = _Opened()
    QDesktopServices.setUrlHandler("file", browser, "open")
    yield browser
    QDesktopServices.unsetUrlHandler("file")


@pytest.mark.parametrize(("locale", "language"), [("en_US", "en"), ("fr_FR", "fr"), ("de", "en")])
def test_help_action_opens_the_page_in_the_language_of_qgis(
    plugin, plugins_dir, qgis_iface, opened, locale, language
):
    _restart(locale)
    try:
        [menu] = [
            a.menu()
            for a in qgis_iface.mainWindow().menuBar().actions()
            if a.menu() is not None and a.menu().title() == "qet-geo"
        ]
        [action] = [a for a in menu.actions() if a.objectName() == "qetGeoHelp"]
        action.trigger()
        assert len(opened.urls) == 1, opened.urls
        path, _ = _help_file(opened.urls[0], plugins_dir)
        assert path.parent.name == language
        algorithm = QgsApplication.processingRegistry().algorithmById("qetgeo:mapprofiles")
        path, anchor = _help_file(algorithm.helpUrl(), plugins_dir)
        assert (path.parent.name, anchor) == (language, "mapprofiles")
    finally:
        _restart("en_US")


def _restart(locale: str) -> None:
    """The plugin started again in ``locale``."""
    stop_plugin()
    # the unloaded toolbar goes at the next event loop turn, which tests never reach
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    start_plugin(locale)
