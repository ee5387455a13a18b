"""``qetgeo:mapprofiles``: the sample end to end in a real headless QGIS, and the GeoPackage
opening styled (its default style from ``layer_styles``) without warnings."""

from __future__ import annotations

import json

import pytest
from plugin_testing import ROOT, SAMPLE_SURVEY
from qgis.core import (
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsProcessingException,
    QgsRenderContext,
    QgsVectorLayer,
)

SAMPLE = ROOT / "sample_data"
ALGORITHM = "qetgeo:mapprofiles"


def _run(algorithm: str, parameters: dict, feedback=None) -> dict:
    import processing

    return processing.run(algorithm, parameters, feedback=feedback)


@pytest.fixture
def labelled(plugin, tmp_path):
    respondents = str(tmp_path / "respondents.gpkg")
    _run("qetgeo:importsurvey", {"INPUT": str(SAMPLE_SURVEY), "OUTPUT": respondents})
    model = tmp_path / "model.json"
    out = str(tmp_path / "labelled.gpkg")
    _run("qetgeo:detectprofiles", {"INPUT": respondents, "BOOTSTRAP": 0, "OUTPUT_MODEL": str(model),
                                   "OUTPUT": out})  # fmt: skip
    return out, model


def _symbol_colours(layer: QgsVectorLayer) -> dict:
    """Fill colour (first symbol layer) and symbol layer styles of each feature, by area id."""
    renderer = layer.renderer().clone()
    context = QgsRenderContext()
    expression = QgsExpressionContext()
    expression.appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    context.setExpressionContext(expression)
    renderer.startRender(context, layer.fields())
    out = {}
    for feature in layer.getFeatures():
        context.expressionContext().setFeature(feature)
        [symbol] = renderer.symbolsForFeature(feature, context)
        out[feature["area_id"]] = (
            symbol.symbolLayer(0).color().name().upper(),
            [sl.properties().get("style") for sl in symbol.symbolLayers()],
        )
    renderer.stopRender(context)
    return out


def test_sample_neighbourhood_opens_styled(labelled, tmp_path, capfd):
    respondents, model = labelled
    output = tmp_path / "map.gpkg"
    result = _run(
        ALGORITHM,
        {
            "INPUT": respondents,
            "AREAS": f"{SAMPLE / 'quartier.gpkg'}|layername=iris",
            "MODEL": str(model),
            "CENSUS": str(SAMPLE / "base-ic-evol-struct-pop-quartier.csv"),
            "WEIGHTS": 1,  # raking
            "OUTPUT": str(output),
        },
    )
    assert result["JOINED"] == 593 and result["SUPPRESSED"] >= 2
    capfd.readouterr()
    layer = QgsVectorLayer(f"{output}|layername=area_indicators", "areas", "ogr")
    assert layer.isValid() and layer.featureCount() == 12
    assert "may only be partially supported" not in capfd.readouterr().err
    assert layer.crs().authid() == "EPSG:2154"
    assert layer.renderer().type() == "RuleRenderer"  # the default style, applied on load
    colours = {e["profile"]: e["colour"] for e in json.loads(model.read_text())["profiles"]}
    drawn = _symbol_colours(layer)
    for feature in layer.getFeatures():
        colour, styles = drawn[feature["area_id"]]
        if feature["suppressed"]:
            assert styles == ["solid", "b_diagonal"] and colour == "#BEBEBE"
        elif feature["dominant_profile"]:
            assert colour == colours[feature["dominant_profile"]].upper()
        else:  # no clearly dominant profile: pale and dotted, seen on a white canvas
            assert (colour, styles) == ("#F6F4EE", ["solid", "dense6"])
    names = layer.fields().names()
    for field in ("respondent_id", "source_row", "meat_frequency", "weight"):
        assert field not in names
    for table in ("study_summary", "profiles", "representativeness"):
        assert QgsVectorLayer(f"{output}|layername={table}", table, "ogr").isValid()
    count, ids, names_, _, _ = layer.listStylesInDatabase()
    assert names_ == ["Profil dominant", "Empreinte totale"]
    qml, error = layer.getStyleFromDatabase(ids[1])
    from qgis.PyQt.QtXml import QDomDocument

    document = QDomDocument()
    document.setContent(qml)
    assert layer.importNamedStyle(document)[0]
    for colour, styles in _symbol_colours(layer).values():
        assert colour != "#FFFFFF" or styles == ["no"]  # every area with a footprint coloured


def test_join_by_code_and_bad_threshold(labelled, tmp_path):
    respondents, model = labelled
    with pytest.raises(QgsProcessingException, match="override"):
        _run(ALGORITHM, {"INPUT": respondents, "AREAS": f"{SAMPLE / 'quartier.gpkg'}|layername=iris",
                         "MODEL": str(model), "MIN_CELL": 2, "OUTPUT": str(tmp_path / "x.gpkg")})  # fmt: skip
    # codes that name no area: nobody is mapped, every area is suppressed, nothing fails
    result = _run(ALGORITHM, {"INPUT": respondents, "AREAS": f"{SAMPLE / 'quartier.gpkg'}|layername=iris",
                              "MODEL": str(model), "CODE_FIELD": "respondent_id",
                              "OUTPUT": str(tmp_path / "y.gpkg")})  # fmt: skip
    assert result["JOINED"] == 0 and result["SUPPRESSED"] == 12


def test_neighbourhoods_dissolved_from_iris(labelled, tmp_path):
    respondents, model = labelled
    output = tmp_path / "quartiers.gpkg"
    groups = (
        "Nord=991230101,991230102,991230103,991230104;Sud=991230201,991230202,991230203,991230204"
    )
    result = _run(ALGORITHM, {"INPUT": respondents, "AREAS": f"{SAMPLE / 'quartier.gpkg'}|layername=iris",
                              "MODEL": str(model), "NEIGHBOURHOODS": groups, "OUTPUT": str(output)})  # fmt: skip
    layer = QgsVectorLayer(f"{output}|layername=area_indicators", "q", "ogr")
    assert sorted(f["area_id"] for f in layer.getFeatures()) == ["Nord", "Sud"]
    assert 0 < result["JOINED"] < 593  # the other IRIS are outside both neighbourhoods
    assert not any(f["suppressed"] for f in layer.getFeatures())


def test_the_layer_processing_loads_has_its_style(labelled, tmp_path):
    """Processing loads result layers in one random colour; the area map arrives with its
    own style (renderer, labels of the area names, aliases) as a dialog run loads it."""
    import processing
    from qgis.core import QgsProject

    respondents, model = labelled
    QgsProject.instance().clear()
    processing.runAndLoadResults(
        ALGORITHM,
        {"INPUT": respondents, "AREAS": f"{SAMPLE / 'quartier.gpkg'}|layername=iris",
         "MODEL": str(model), "OUTPUT": str(tmp_path / "loaded.gpkg")},
    )  # fmt: skip
    [layer] = [x for x in QgsProject.instance().mapLayers().values() if "loaded.gpkg" in x.source()]
    assert layer.renderer().type() == "RuleRenderer"
    assert layer.labelsEnabled()
    assert layer.attributeAlias(layer.fields().indexOf("area_name")) == "Nom de la zone"
    QgsProject.instance().clear()
