"""The plugin zip users install: layout, metadata QGIS reads, requirements QPIP reads."""

from __future__ import annotations

import configparser
import re
import zipfile
from pathlib import PurePosixPath

import tomllib
from plugin_testing import PLUGIN, ROOT

REQUIRED_FILES = (
    "__init__.py",
    "metadata.txt",
    "LICENSE",
    "requirements.txt",
    "plugin/plugin.py",
    "plugin/icons/qet_geo.png",
    "algorithms/provider.py",
    "algorithms/importsurvey.py",
    "qet_geo/__init__.py",
    "qet_geo/survey/importer.py",
    "qet_geo/survey/schemas/near-su.yaml",
    "i18n/qet_geo_fr.qm",
)
#: Folders and files of the repository that have no place in a user's QGIS profile.
DEV_PARTS = {
    "tests",
    ".venv",
    "__pycache__",
    ".git",
    "dist",
    "docs",
    "bench",
    ".pytest_cache",
    ".ruff_cache",
    ".benchmarks",
    ".ci",
    "out",
    "qet_geo.egg-info",
}
DEV_NAMES = {
    "generate.py",  # the sample's generator: the zip ships the sample (Charger l'exemple), not it
    "Makefile",
    "pyproject.toml",
    ".gitignore",
    "update_ts.py",
    "README.md",
    "CHANGELOG.md",
}
DEV_SUFFIXES = {".pyc", ".ts", ".orig", ".rej"}


def _metadata(plugin_zip) -> configparser.ConfigParser:
    """metadata.txt parsed the way QGIS parses it (qgis.utils.findPlugins)."""
    parser = configparser.ConfigParser()
    with zipfile.ZipFile(plugin_zip) as archive:
        parser.read_string(archive.read(f"{PLUGIN}/metadata.txt").decode("utf-8"))
    return parser


def test_zip_has_one_top_folder_with_the_plugin_library_and_translations(plugin_zip):
    with zipfile.ZipFile(plugin_zip) as archive:
        names = [name for name in archive.namelist() if not name.endswith("/")]
    assert {PurePosixPath(name).parts[0] for name in names} == {PLUGIN}
    inside = {name.removeprefix(f"{PLUGIN}/") for name in names}
    missing = [name for name in REQUIRED_FILES if name not in inside]
    assert not missing, f"not in the zip: {missing}"


def test_zip_holds_no_development_files(plugin_zip):
    with zipfile.ZipFile(plugin_zip) as archive:
        paths = [PurePosixPath(name) for name in archive.namelist()]
    dev = [
        str(path)
        for path in paths
        if DEV_PARTS & set(path.parts) or path.name in DEV_NAMES or path.suffix in DEV_SUFFIXES
    ]
    assert not dev, f"development files in the zip: {dev}"


def test_versions_agree(plugin_zip):
    metadata = _metadata(plugin_zip)["general"]["version"]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    with zipfile.ZipFile(plugin_zip) as archive:
        library = re.search(
            r'__version__ = "([^"]+)"', archive.read(f"{PLUGIN}/qet_geo/__init__.py").decode()
        ).group(1)
    assert plugin_zip.name == f"{PLUGIN}-{metadata}.zip"
    assert metadata == pyproject == library


def test_metadata_is_complete_in_english_and_french(plugin_zip):
    general = _metadata(plugin_zip)["general"]
    # every value must be readable: a '%' would break QGIS's ConfigParser interpolation
    values = {key: general.get(key) for key in general}
    for key in (
        "name",
        "description",
        "description[fr]",
        "about",
        "about[fr]",
        "version",
        "author",
        "tags",
        "tags[fr]",
        "changelog",
        "icon",
    ):
        assert values.get(key, "").strip(), f"metadata.txt: {key} is missing or empty"
    assert values["qgisminimumversion"] == "3.22"
    assert values["qgismaximumversion"] == "4.99"
    assert values["category"] == "Analysis"
    assert values["hasprocessingprovider"] == "yes"
    # a plugin dependency makes QGIS's installer ask the plugin repository: offline it fails
    assert "plugin_dependencies" not in values
    assert general.getboolean("experimental") is True
    assert values["description"] != values["description[fr]"]
    assert "Sphères d'Usages" in values["description[fr]"]
    # no placeholder: the project has no public homepage, tracker nor address yet
    for key in ("email", "homepage", "tracker", "repository"):
        assert "example.org" not in values.get(key, ""), key
    with zipfile.ZipFile(plugin_zip) as archive:
        icon = archive.read(f"{PLUGIN}/{values['icon']}")
    assert icon.startswith(b"\x89PNG")


def test_requirements_match_pyproject_dependencies(plugin_zip):
    with zipfile.ZipFile(plugin_zip) as archive:
        text = archive.read(f"{PLUGIN}/requirements.txt").decode("utf-8")
    shipped = {
        line.replace(" ", "")
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    declared = {dependency.replace(" ", "") for dependency in pyproject["project"]["dependencies"]}
    assert shipped == declared
