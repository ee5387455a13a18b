"""The QGIS styles of every map layer (``qet_geo/styles.py``): well-formed QML, legends
that say what the classes mean, labels and aliases, values from data escaped, and the
project embedding nothing of a stored style but its renderer, labels and aliases."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from qet_geo import styles
from qet_geo.export.project import style_parts

HOSTILE = '<b>Voitüre</b> & "co" \' ]]> \x01'


def _rules(qml: str) -> list[tuple[str, str]]:
    root = ET.fromstring(qml)
    return [(r.get("filter"), r.get("label")) for r in root.iter("rule")]


def test_ptal_bands_are_labelled_with_their_meaning():
    root = ET.fromstring(styles.qml(styles.ptal_renderer("band_of_mean")))
    labels = [c.get("label") for c in root.iter("category")]
    assert labels[0] == "0 — aucune desserte"
    assert labels[1] == "1a — très faible (IA 0,01–2,5)"
    assert labels[-1] == "6b — excellent (IA > 40)"
    english = ET.fromstring(styles.qml(styles.ptal_renderer("band", "marker", "en")))
    assert [c.get("label") for c in english.iter("category")][4] == "3 — moderate (AI 10.01–15)"
    assert english.find(".//symbol").get("type") == "marker"


def test_bivariate_classes_are_explained():
    areas = pd.DataFrame(columns=["area_id", "area_name", "share_profile_2", "bivariate_class"])
    ((_name, qml, default, _d),) = styles.bivariate_styles(areas, "Voiture au quotidien")
    labels = dict(_rules(qml))
    assert labels["\"bivariate_class\" = 'A1'"] == (
        "A1 — part du profil 2 (Voiture au quotidien) faible, accès faible"
    )
    assert labels["\"bivariate_class\" = 'C3'"].endswith("élevée, accès élevé")
    assert labels['"bivariate_class" IS NULL'].startswith("sans classe")
    assert default


def test_no_dominant_profile_is_visible_and_hidden_areas_hatched():
    qml = styles.qml(styles.dominant_renderer({1: "A", 2: "B"}, {1: "#112233"}, 11))
    root = ET.fromstring(qml)
    labels = [r.get("label") for r in root.iter("rule")]
    assert labels[0] == "masqué (secret statistique, seuil 11 réponses)"
    assert labels[-1] == "aucun profil nettement dominant"
    symbols = {s.get("name"): s for s in root.iter("symbol")}
    hidden = [p.get("v") for p in symbols["0"].iter("prop") if p.get("k") == "style"]
    assert "b_diagonal" in hidden
    none = symbols[str(len(labels) - 1)]
    colours = [p.get("v") for p in none.iter("prop") if p.get("k") == "color"]
    assert "255,255,255,255" not in colours  # not white on a white canvas
    assert [p.get("v") for p in none.iter("prop") if p.get("k") == "style"] == ["solid", "dense6"]


def test_labels_and_aliases():
    columns = ["area_id", "area_name", "n", "share_1", "share_1_low", "fp_mobilite", "dist_marches_mean",
               "share_marches_300m", "unknown_field"]  # fmt: skip
    aliases = styles.field_aliases(columns, profiles={1: "Sobres"}, services={"marches": "Marchés"})
    assert aliases["area_name"] == "Nom de la zone"
    assert aliases["share_1"] == "Part du profil 1 (Sobres)"
    assert aliases["fp_mobilite"] == "Empreinte mobilité quotidienne (kg CO2e/an)"
    assert aliases["dist_marches_mean"] == "Distance moyenne à « Marchés » (m)"
    assert aliases["share_marches_300m"] == "Part de la zone à moins de 300 m de « Marchés »"
    assert "unknown_field" not in aliases
    assert styles.field_aliases(["area_name"], "en") == {"area_name": "Area name"}
    root = ET.fromstring(styles.qml("<renderer-v2/>", label_field="area_name", aliases=aliases,
                                    columns=columns))  # fmt: skip
    assert root.get("labelsEnabled") == "1"
    assert root.find(".//text-style").get("fieldName") == "area_name"
    index = {a.get("field"): int(a.get("index")) for a in root.iter("alias")}
    assert index["area_id"] == 1  # after the GeoPackage's fid


def test_values_from_data_are_escaped():
    qml = styles.qml(styles.dominant_renderer({1: HOSTILE}, {1: "javascript:"}, 11),
                     label_field="area_name", columns=["area_name", "share_1"],
                     aliases=styles.field_aliases(["share_1"], profiles={1: HOSTILE}))  # fmt: skip
    root = ET.fromstring(qml)  # well-formed
    assert any("<b>Voitüre</b>" in (r.get("label") or "") for r in root.iter("rule"))
    assert root.find(".//alias").get("name").startswith("Part du profil 1 (<b>")
    services = pd.DataFrame(columns=["area_id", "dist_x_mean"])
    for _n, style, _d, _desc in styles.proximity_styles(services, services={"x": HOSTILE}):
        ET.fromstring(style)


def test_distance_classes():
    rules = _rules(styles.qml(styles.distance_renderer("dist_marches_mean")))
    assert rules[0] == ('"dist_marches_mean" < 300', "moins de 300 m")
    assert rules[2] == ('"dist_marches_mean" >= 500 AND "dist_marches_mean" < 800', "500 à 800 m")
    assert rules[-1][1] == "non mesuré"


def test_qgis_version(monkeypatch):
    monkeypatch.setenv("QET_GEO_QGIS_VERSION", "3.34.5")
    assert styles.qgis_version() == "3.34.5"
    assert ET.fromstring(styles.qml("<renderer-v2/>")).get("version") == "3.34.5"
    monkeypatch.setenv("QET_GEO_QGIS_VERSION", '3"><x')
    assert styles.qgis_version() != '3"><x'


def test_a_stored_style_gives_the_project_its_renderer_labels_and_aliases_only():
    hostile = (
        '<qgis labelsEnabled="1"><renderer-v2 type="RuleRenderer"/><labeling type="simple"/>'
        '<aliases><alias field="a" name="b"/></aliases>'
        '<properties><Macros><Option value="import os"/></Macros></properties>'
        "<datasource>/etc/passwd</datasource></qgis>"
    )
    xml, labels = style_parts(hostile)
    assert labels
    assert "Macros" not in xml and "datasource" not in xml and "passwd" not in xml
    assert xml.startswith("<renderer-v2") and "<labeling" in xml and "<aliases>" in xml
    assert style_parts("<qgis><renderer-v2>") == ("", False)
    assert style_parts(None) == ("", False)


def test_add_styles_replaces_a_style_of_the_same_name(tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    path = tmp_path / "p.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)], crs="EPSG:2154").to_file(path, layer="l")
    styles.add_styles(path, "l", [("S", "<qgis/>", True, "d")])
    styles.add_styles(path, "l", [("S", "<qgis a='1'/>", True, "d")])
    styles.add_styles(path, "missing", [("S", "<qgis/>", True, "d")])  # no such layer: nothing
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT f_table_name, styleQML FROM layer_styles").fetchall()
    assert rows == [("l", "<qgis a='1'/>")]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_style_is_well_formed(language):
    areas = pd.DataFrame(columns=["area_id", "area_name", "band_of_mean", "ai_mean"])
    for layer_styles in styles.ptal_styles(areas, ["area_id", "ai", "band"], language).values():
        for _name, qml, _default, _d in layer_styles:
            ET.fromstring(qml)
    assert ET.fromstring(
        styles.qml(styles.footprint_renderer([1000.0, 2500.0, None], 11, language))
    )


def test_two_services_of_similar_names_keep_two_styles_one_default():
    areas = pd.DataFrame(columns=["area_id", "dist_a_mean", "dist_b_mean"])
    found = styles.proximity_styles(areas, services={"a": "École maternelle publique",
                                                     "b": "École maternelle privée"})  # fmt: skip
    names = [name for name, *_ in found]
    assert len(set(names)) == 2 and [d for _, _, d, _ in found] == [True, False]


@pytest.mark.parametrize("name", ["{{7*7}}", "</script><b>", "`rm -rf`", '=HYPERLINK("x")'])
def test_hostile_names_stay_text_in_styles_and_configurations(name):
    """A profile or service named like a template, a script end, a backtick or a formula
    stays that text in the QML and in the TOML the dock writes (nothing evaluates them)."""
    import tomllib

    from qet_geo.tomlfile import dump_toml

    root = ET.fromstring(styles.qml(styles.dominant_renderer({1: name}, {1: "#112233"}, 11),
                                    aliases=styles.field_aliases(["share_1"], profiles={1: name}),
                                    columns=["share_1"]))  # fmt: skip
    assert f"1. {name}" in [r.get("label") for r in root.iter("rule")]
    assert root.find(".//alias").get("name") == f"Part du profil 1 ({name})"
    data = {"title": name, "proximity": {"services": {name: f"{name}.gpkg:{name}"}}}
    assert tomllib.loads(dump_toml(data)) == data
