"""A run's outputs in the current QGIS project: one layer group per run, on top, each
GeoPackage layer styled from its own ``layer_styles`` (the set and the visibility of the
QGIS project the pipeline writes, ``qet_geo/export/project.py``: never the person-level
``respondents.gpkg``), the print layouts of the folder's ``.qpt`` templates, the profiles
report in a panel and the web map and the poster offered in the message bar."""

from __future__ import annotations

import html
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from qgis.core import (
    Qgis,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QPushButton
from qgis.PyQt.QtXml import QDomDocument

from ..algorithms.layer_style import apply_default_style
from ..qet_geo.export.project import GROUPS, KNOWN, TITLES_EN
from ..qet_geo.manifest import read_manifest
from ..qet_geo.pipeline import NAMES
from .i18n import tr, user_locale


class RunNotFinished(ValueError):
    """The folder has no manifest, or its run did not finish."""


def load_run(output_folder, *, project=None, iface=None, title: str | None = None):
    """Add the outputs a whole run wrote in ``output_folder`` (its ``manifest.json``) to
    ``project`` (default: the current one) in one layer group, each layer styled; return
    the group. Offers the web map and the poster in ``iface``'s message bar."""
    folder = Path(output_folder)
    project = project or QgsProject.instance()
    manifest = read_manifest(folder)
    if manifest is None or manifest.get("complete") is not True:
        raise RunNotFinished(
            tr("{folder}: no finished qet-geo run here (manifest.json missing or incomplete).")
            .format(folder=folder)
        )  # fmt: skip
    listed = {str(entry.get("file")) for entry in manifest.get("outputs", [])}
    title = title or _project_title(folder / NAMES["project"]) or folder.name
    when = str(manifest.get("finished", ""))[:16].replace("T", " ")
    group = project.layerTreeRoot().insertGroup(0, f"{title} — {when}" if when else title)
    english = not user_locale().startswith("fr")
    for kind, layers in KNOWN.items():
        gpkg = folder / NAMES[kind]
        if gpkg.name not in listed or not gpkg.is_file():
            continue
        parent = group
        if kind in GROUPS:  # the diagnostic's layers in a group of their own
            parent = group.addGroup(GROUPS[kind]["en" if english else "fr"])
        for name, label, shown in layers:
            label = TITLES_EN.get(name, label) if english else label
            layer = QgsVectorLayer(f"{gpkg}|layername={name}", label, "ogr")
            if not layer.isValid():
                continue
            apply_default_style(layer)  # renderer, labels, aliases of its GeoPackage
            project.addMapLayer(layer, False)
            parent.addLayer(layer).setItemVisibilityChecked(shown)
    for template in sorted(folder.glob("*.qpt")):
        if template.name.startswith("affiche_"):
            name = tr("Poster {size} — {title}").format(
                size=template.stem.split("_")[-1], title=title
            )
        else:  # a forum subject's panel: the name it carries ("Panneau A3 — Alimentation")
            name = _layout_name(template) or template.stem
        load_layout(template, project, name)
    if iface is not None:
        offer_outputs(iface, folder, title)
    return group


def _layout_name(template: Path) -> str:
    """The name a template's ``<Layout>`` carries; "" if none or unreadable."""
    try:
        return ElementTree.parse(template).getroot().get("name", "")
    except (OSError, ElementTree.ParseError):
        return ""


def _source_key(source: str) -> tuple[str, str]:
    """(file name, layer name) of an OGR source ``path|layername=name``."""
    path, _, rest = str(source).partition("|")
    layer = next(
        (p[len("layername=") :] for p in rest.split("|") if p.startswith("layername=")), ""
    )
    return Path(path.replace("\\", "/")).name, layer


def relink_layers(document, project) -> None:
    """Point the layers a template's map items name (``<Layer>`` of a ``<LayerSet>``, and
    ``<LayerStyle layerid=…>``) at ``project``'s layers: a layer id the project does not
    hold is replaced by the id of the project layer of the same file and layer name (a qet-
    geo template names its GeoPackage relative to itself, never by an absolute path, so
    QGIS's own match by source would miss it)."""
    by_source = {}
    for layer in project.mapLayers().values():
        if layer.dataProvider() is not None:
            by_source.setdefault(_source_key(layer.source()), layer)

    def match(element, current: str):
        if not current or project.mapLayer(current) is not None:
            return None
        return by_source.get(_source_key(element.attribute("source")))

    layers = document.elementsByTagName("Layer")
    for i in range(layers.count()):
        element = layers.at(i).toElement()
        found = match(element, element.text().strip())
        if found is not None:
            while element.hasChildNodes():
                element.removeChild(element.firstChild())
            element.appendChild(document.createTextNode(found.id()))
            element.setAttribute("source", found.publicSource())
            element.setAttribute("name", found.name())
    styles = document.elementsByTagName("LayerStyle")
    for i in range(styles.count()):
        element = styles.at(i).toElement()
        found = match(element, element.attribute("layerid"))
        if found is not None:
            element.setAttribute("layerid", found.id())
            element.setAttribute("source", found.publicSource())
            element.setAttribute("name", found.name())


def load_layout(template: Path, project, name: str):
    """The print layout of ``template`` in ``project``'s layout manager as ``name``
    (replacing one of that name), its map items on the project's layers
    (:func:`relink_layers`); None if the template cannot be read."""
    document = QDomDocument()
    if not document.setContent(template.read_text(encoding="utf-8")):
        return None
    relink_layers(document, project)
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.loadFromTemplate(document, QgsReadWriteContext())
    layout.setName(name)
    manager = project.layoutManager()
    old = manager.layoutByName(name)
    if old is not None:
        manager.removeLayout(old)
    manager.addLayout(layout)
    return layout


def offer_outputs(iface, folder: Path, title: str) -> None:
    """A message bar item with buttons opening the web map and the poster."""
    bar = iface.messageBar()
    if not hasattr(bar, "createMessage"):  # a message bar of text only (pytest-qgis)
        bar.pushMessage("qet-geo", tr("Results of {title} added to the project.").format(
            title=html.escape(title)), Qgis.MessageLevel.Success, 0)  # fmt: skip
        return
    item = bar.createMessage(
        "qet-geo", tr("Results of {title} added to the project.").format(title=html.escape(title))
    )
    for path, text in ((folder / NAMES["webmap"], tr("Open the web map")),
                       (_first(folder, "affiche_*.pdf"), tr("Open the poster"))):  # fmt: skip
        if path is None or not path.is_file():
            continue
        button = QPushButton(text, item)
        button.setObjectName("qetGeoOpen" + ("WebMap" if path.suffix == ".html" else "Poster"))
        button.clicked.connect(
            lambda _=False, p=path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(p)))
        )
        item.layout().addWidget(button)
    bar.pushWidget(item, Qgis.MessageLevel.Success, 0)


def _first(folder: Path, pattern: str) -> Path | None:
    found = sorted(folder.glob(pattern))
    return found[0] if found else None


def _project_title(qgz: Path) -> str | None:
    """The title of the run's QGIS project (the configuration's ``title``)."""
    try:
        with zipfile.ZipFile(qgz) as archive:
            name = next(n for n in archive.namelist() if n.endswith(".qgs"))
            root = ElementTree.fromstring(archive.read(name))
    except (OSError, StopIteration, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    return (root.findtext("title") or "").strip() or None
