"""The poster as a QGIS print layout (qet_geo/export/layout.py), read as XML without QGIS:
well-formed, every text from the configuration escaped and kept from QGIS's expressions,
in the project with its map on the area indicators layer (issue 14). QGIS itself loads and
exports it in tests/qgis/test_layout.py."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest

from qet_geo.export.layout import layout_xml, literal, write_layout

HOSTILE = "<b>&\"' [% 1+1 %] $CURRENT_DATE ]]> <!-- x"
LABEL, MAP, SHAPE, SCALEBAR, PAGE = "65641", "65639", "65643", "65646", "65638"


@pytest.fixture(scope="module")
def areas(sample_job):
    return sample_job[0] / "areas.gpkg"


def labels(root) -> list[str]:
    return [i.get("labelText") for i in root.iter("LayoutItem") if i.get("type") == LABEL]


def test_the_template_is_well_formed_and_holds_the_poster(sample_job):
    out = sample_job[0]
    root = ET.parse(out / "affiche_A3.qpt").getroot()
    assert root.tag == "Layout"  # a .qpt is the <Layout> element, as QGIS saves one
    kinds = [i.get("type") for i in root.iter("LayoutItem")]
    for kind in (PAGE, MAP, LABEL, SHAPE, SCALEBAR):
        assert kind in kinds
    page = next(i for i in root.iter("LayoutItem") if i.get("type") == PAGE)
    assert page.get("size") == "420,297,mm"
    a0 = ET.parse(out / "affiche_A0.qpt").getroot()
    assert (
        next(i for i in a0.iter("LayoutItem") if i.get("type") == PAGE).get("size") == "1189,841,mm"
    )
    texts = labels(root)
    assert "Sphères d'Usages — Quartier fictif des Tilleuls" in texts
    assert "1. Transports en commun" in texts and "2. Voiture au quotidien" in texts
    assert "masqué (secret statistique, seuil 11 réponses)" in texts  # the maps' own label
    assert any("moins de 11 réponses" in t for t in texts)
    assert any(t.startswith("Sources : enquête Sphères d'Usages") for t in texts)
    shown = next(i for i in root.iter("LayoutItem") if i.get("type") == MAP)
    assert shown.get("keepLayerSet") == "false"  # a template shows the project's layers
    assert shown.find("crs/spatialrefsys/authid").text == "EPSG:2154"
    scalebar = next(i for i in root.iter("LayoutItem") if i.get("type") == SCALEBAR)
    assert scalebar.get("mapUuid") == shown.get("uuid")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {"affiche_A3.qpt", "affiche_A0.qpt"} <= {e["file"] for e in manifest["outputs"]}


def test_a_hostile_title_is_escaped_and_shown_as_written(areas, tmp_path):
    path = write_layout(tmp_path / "affiche_A3.qpt", areas, title=HOSTILE, date=dt.date(2026, 3, 1))
    text = path.read_text(encoding="utf-8")
    root = ET.fromstring(text)  # well-formed whatever the title holds
    title = labels(root)[0]
    assert title == literal(HOSTILE)
    assert "<b>" not in text and "<!-- x" not in text
    # QGIS evaluates [% … %] and $CURRENT_DATE in a label: none is left as an expression
    # but those giving back the characters themselves
    expressions = re.findall(r"\[%(.*?)%\]", title)
    assert expressions and all(e.strip() in ("'['", "'CURRENT_DATE'") for e in expressions)
    assert "$CURRENT_DATE" not in title
    assert re.sub(r"\[% '(.*?)' %\]", r"\1", title) == HOSTILE  # what QGIS shows
    assert ET.fromstring(layout_xml(areas, title=HOSTILE)).get("name").endswith(HOSTILE)
    assert "01/03/2026" in labels(root)[-1]


def test_the_layout_in_english(areas):
    root = ET.fromstring(layout_xml(areas, language="en", size="A0"))
    texts = labels(root)
    assert "Usage profiles of the neighbourhood" in texts
    assert "hidden (statistical secrecy, threshold 11 answers)" in texts
    assert any("fewer than 11 answers" in t for t in texts)
    assert root.get("name") == "Poster A0 — Usage profiles of the neighbourhood"
    with pytest.raises(ValueError, match="A4"):
        layout_xml(areas, size="A4")


def test_the_project_holds_the_layouts_on_its_area_layer(sample_job):
    with zipfile.ZipFile(sample_job[0] / "projet.qgz") as archive:
        root = ET.fromstring(archive.read("projet.qgs"))
    ids = [e.text for e in root.iter("id")]
    area_id = next(i for i in ids if i.startswith("area_indicators_"))
    layouts = root.findall("Layouts/Layout")
    names = [la.get("name").split(" — ")[0] for la in layouts]
    # the posters, then each forum subject's panel (A3) on the subjects' area layer
    assert names[:2] == ["Affiche A3", "Affiche A0"] and set(names[2:]) == {"Panneau A3"}
    potentials = next(i for i in ids if i.startswith("area_potentials_"))
    for panel in layouts[2:]:
        shown = next(i for i in panel.iter("LayoutItem") if i.get("type") == MAP)
        assert [e.text for e in shown.findall("LayerSet/Layer")] == [potentials]
        assert shown.find("LayerStyles/LayerStyle").get("layerid") == potentials
    for layout in layouts[:2]:
        shown = next(i for i in layout.iter("LayoutItem") if i.get("type") == MAP)
        assert shown.get("keepLayerSet") == "true"
        assert [e.text for e in shown.findall("LayerSet/Layer")] == [area_id]
