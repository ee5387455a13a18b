"""The forum outputs inside a real headless QGIS: ``qetgeo:runpipeline`` on the documented
example configuration, the ``.qgz`` it writes opened by QGIS with every layer valid,
``qetgeo:exportwebmap`` and ``qetgeo:exportposter``; held to the command line."""

from __future__ import annotations

import json
import subprocess
import zipfile

import pytest
from plugin_testing import ROOT
from qgis.core import QgsProcessingException, QgsProject, QgsVectorLayer

CONFIG = ROOT / "sample_data" / "qet-geo.toml"
EXPECTED = [
    "respondents.gpkg", "rejects.csv", "profiles.json", "profiles.private.json", "profiles.html", "profiles.csv",
    "areas.gpkg", "ptal.gpkg", "proximity.gpkg", "compare.gpkg", "carte.html",
    "affiche_A3.pdf", "affiche_A3.png", "affiche_A0.pdf", "affiche_A0.png", "projet.qgz",
]  # fmt: skip


def _run(algorithm, parameters):
    import processing

    return processing.run(algorithm, parameters)


@pytest.fixture(scope="module")
def runs(plugin, tmp_path_factory, cli_sample_job):
    """The example configuration run by QGIS and by the command line."""
    in_qgis = tmp_path_factory.mktemp("qgis") / "sorties"
    result = _run("qetgeo:runpipeline", {"CONFIG": str(CONFIG), "OUTPUT_FOLDER": str(in_qgis)})
    cli, _ = cli_sample_job
    return in_qgis, result, cli


def _features(path, layer):
    vector = QgsVectorLayer(f"{path}|layername={layer}", layer, "ogr")
    assert vector.isValid(), f"{path}|{layer}"
    return {f["area_id"]: f for f in vector.getFeatures()}


def test_runpipeline_writes_every_output(runs):
    out, result, _ = runs
    for name in EXPECTED:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert result["PROJECT"] == str(out / "projet.qgz")
    assert result["WEBMAP"] == str(out / "carte.html")


def test_runpipeline_same_as_the_command_line(runs):
    out, _, cli = runs
    qgis_areas, cli_areas = _features(out / "areas.gpkg", "area_indicators"), _features(cli / "areas.gpkg", "area_indicators")  # fmt: skip
    assert sorted(qgis_areas) == sorted(cli_areas) and len(qgis_areas) == 12
    for area, feature in qgis_areas.items():
        other = cli_areas[area]
        for field in ("n", "suppressed", "dominant_profile", "share_1", "fp_total"):
            a, b = feature[field], other[field]
            if isinstance(b, float):
                assert a == pytest.approx(b, rel=1e-6, abs=1e-9), (area, field)
            else:
                assert a == b, (area, field)
    ptal_q, ptal_c = _features(out / "ptal.gpkg", "ptal_areas"), _features(cli / "ptal.gpkg", "ptal_areas")  # fmt: skip
    assert {a: f["band_of_mean"] for a, f in ptal_q.items()} == {a: f["band_of_mean"] for a, f in ptal_c.items()}  # fmt: skip
    prox = QgsVectorLayer(f"{out / 'proximity.gpkg'}|layername=proximity_areas", "p", "ogr")
    assert "dist_alimentation_mean" in prox.fields().names()  # the configuration's service names
    biv_q, biv_c = _features(out / "compare.gpkg", "compare_areas"), _features(cli / "compare.gpkg", "compare_areas")  # fmt: skip
    assert {a: f["bivariate_class"] for a, f in biv_q.items()} == {a: f["bivariate_class"] for a, f in biv_c.items()}  # fmt: skip


def test_project_opens_with_every_layer_valid(runs):
    out, _, _ = runs
    project = QgsProject()
    assert project.read(str(out / "projet.qgz"))
    layers = list(project.mapLayers().values())
    # the maps, the diagnostic's estimates and six tables, the forum's four
    assert len(layers) == 5 + 7 + 4
    assert all(layer.isValid() for layer in layers), [l.name() for l in layers if not l.isValid()]  # noqa: E741
    [group] = [g for g in project.layerTreeRoot().findGroups() if g.name() == "Diagnostic"]
    assert len(group.findLayers()) == 7 + 4  # with the forum's four
    assert project.crs().authid() == "EPSG:2154"
    order = [layer.name() for layer in project.layerTreeRoot().layerOrder()]
    assert order[0] == "Profil dominant par zone"
    top = project.mapLayersByName("Profil dominant par zone")[0]
    assert top.renderer().type() == "RuleRenderer"  # the area map's own style
    labels = [rule.label() for rule in top.renderer().rootRule().children()]
    assert (
        labels[0] == "masqué (secret statistique, seuil 11 réponses)"
        and "2. Voiture au quotidien" in labels
    )
    ptal = project.mapLayersByName("Accessibilité en transports (PTAL) par zone")[0]
    assert ptal.renderer().type() == "categorizedSymbol"
    assert ptal.renderer().classAttribute() == "band_of_mean"
    assert ptal.featureCount() == 12
    shown = {node.name(): node.isVisible() for node in project.layerTreeRoot().findLayers()}
    assert (
        shown["Profil dominant par zone"]
        and not shown["Accessibilité en transports (PTAL) par zone"]
    )
    # the project holds no respondent layer
    assert not any("respondents" in layer.source() for layer in layers)
    # every layer styled as its GeoPackage says: renderer, labels of the area names (not
    # on the grid points), French aliases
    diagnostic = {node.layer().id() for node in group.findLayers()}
    maps = ("layername=area_estimates", "layername=area_potentials")  # the forum's map too
    assert all(layer.isSpatial() == layer.source().endswith(maps)
               for layer in layers if layer.id() in diagnostic)  # fmt: skip
    for layer in layers:
        if layer.id() in diagnostic:  # its estimates styled as their GeoPackage says
            if layer.isSpatial():
                assert layer.renderer().type() == "RuleRenderer", layer.name()
            continue
        assert layer.renderer().type() in ("RuleRenderer", "categorizedSymbol"), layer.name()
        assert layer.attributeAlias(layer.fields().indexOf("area_id")) == "Identifiant de la zone"
        if layer.geometryType() != 0:  # QgsWkbTypes.PointGeometry
            assert layer.labelsEnabled(), layer.name()
            assert layer.labeling().settings().fieldName == "area_name"
    # written by the running QGIS's version: no "project file is older" banner
    from qgis.core import Qgis

    assert project.lastSaveVersion().text().split("-")[0] == Qgis.version().split("-")[0]
    project.clear()


def test_exportwebmap_and_exportposter(runs, tmp_path):
    out, _, _ = runs
    page = tmp_path / "carte.html"
    _run("qetgeo:exportwebmap", {"AREA_MAP": str(out / "areas.gpkg"),
                                 "PTAL": f"{out / 'ptal.gpkg'}|layername=ptal_areas",
                                 "TITLE": "Forum <du> quartier", "DATE": "2026-03-14", "OUTPUT": str(page)})  # fmt: skip
    text = page.read_text(encoding="utf-8")
    assert "Forum &lt;du&gt; quartier" in text and "Forum <du>" not in text
    assert text.count('"type":"Feature","properties":{"id":') == 12
    assert '"band":' in text
    assert "14/03/2026" in text  # the date asked for, French style
    poster = tmp_path / "affiche.pdf"
    result = _run("qetgeo:exportposter", {"AREA_MAP": str(out / "areas.gpkg"),
                                          "MODEL": str(out / "profiles.json"), "SIZE": 1,
                                          "OUTPUT": str(poster)})  # fmt: skip
    assert result["OUTPUT_PNG"] == str(tmp_path / "affiche.png")
    pdf = subprocess.run(["pdftotext", str(poster), "-"], capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "Sphères d'Usages du quartier" in pdf and "Les profils" in pdf and "Sources" in pdf
    assert "carte et calculs qet-geo" in pdf
    with zipfile.ZipFile(out / "projet.qgz") as archive:
        assert archive.namelist() == ["projet.qgs"]


def test_exportwebmap_refuses_a_file_that_is_not_an_area_map(runs, tmp_path):
    with pytest.raises(QgsProcessingException, match="not an area map written by qet-geo"):
        _run("qetgeo:exportwebmap", {"AREA_MAP": str(ROOT / "sample_data" / "quartier.gpkg"),
                                     "OUTPUT": str(tmp_path / "x.html")})  # fmt: skip
    assert not (tmp_path / "x.html").exists()


def test_runpipeline_refuses_a_bad_configuration(runs, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text(
        '[survey]\nfile = "nowhere.tsv"\n[areas]\nfile = "x.gpkg"\n', encoding="utf-8"
    )
    with pytest.raises(QgsProcessingException) as raised:
        _run("qetgeo:runpipeline", {"CONFIG": str(config)})
    lines = str(raised.value).splitlines()
    assert len(lines) == 2  # every problem, one per line
    assert "row 2, column '[survey] file': value 'nowhere.tsv'" in lines[0]
    assert "row 4, column '[areas] file': value 'x.gpkg'" in lines[1]
    assert json.dumps([p.name for p in tmp_path.iterdir()]) == '["bad.toml"]'


def test_runpipeline_never_writes_where_the_inputs_are(runs):
    sample = ROOT / "sample_data"
    before = sorted((p.name, p.stat().st_mtime_ns) for p in sample.rglob("*"))
    with pytest.raises(QgsProcessingException, match="the output folder holds an input"):
        _run("qetgeo:runpipeline", {"CONFIG": str(CONFIG), "OUTPUT_FOLDER": str(sample)})
    assert sorted((p.name, p.stat().st_mtime_ns) for p in sample.rglob("*")) == before


def test_exportposter_refuses_a_bad_date(runs, tmp_path):
    out, _, _ = runs
    with pytest.raises(QgsProcessingException, match="'14/03/2026' is not a date YYYY-MM-DD"):
        _run("qetgeo:exportposter", {"AREA_MAP": str(out / "areas.gpkg"), "DATE": "14/03/2026",
                                     "OUTPUT": str(tmp_path / "a.pdf")})  # fmt: skip
    assert not list(tmp_path.iterdir())


def test_runpipeline_writes_its_manifest_last(runs):
    out, _, _ = runs
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True and manifest["configuration"] == "qet-geo.toml"
    listed = {entry["file"]: entry["size"] for entry in manifest["outputs"]}
    assert set(EXPECTED) <= set(listed) and "manifest.json" not in listed
    assert "areas.csv" in listed  # the side files too
    assert all((out / name).stat().st_size == size for name, size in listed.items())
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_exports_refuse_the_folder_of_an_unfinished_run(runs, tmp_path):
    out, _, _ = runs
    folder = tmp_path / "sorties"
    folder.mkdir()
    for name in ("areas.gpkg", "profiles.json"):
        (folder / name).write_bytes((out / name).read_bytes())
    (folder / "manifest.json").write_text('{"complete": false}', encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="did not finish"):
        _run("qetgeo:exportwebmap", {"AREA_MAP": str(folder / "areas.gpkg"),
                                     "OUTPUT": str(tmp_path / "carte.html")})  # fmt: skip
    with pytest.raises(QgsProcessingException, match="did not finish"):
        _run("qetgeo:exportposter", {"AREA_MAP": str(folder / "areas.gpkg"),
                                     "MODEL": str(folder / "profiles.json"),
                                     "OUTPUT": str(tmp_path / "affiche.pdf")})  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sorties"]


def test_an_output_parameter_never_points_at_an_input(runs, tmp_path):
    out, _, _ = runs
    areas = tmp_path / "zones.gpkg"
    areas.write_bytes((out / "areas.gpkg").read_bytes())
    with pytest.raises(QgsProcessingException, match="is an input of this command"):
        _run("qetgeo:exportwebmap", {"AREA_MAP": str(areas), "OUTPUT": str(areas)})
    census = tmp_path / "z_areas.csv"  # the name of a CSV written beside z.gpkg
    census.write_bytes((ROOT / "sample_data" / "base-ic-evol-struct-pop-quartier.csv").read_bytes())
    with pytest.raises(QgsProcessingException, match="is an input of this command"):
        _run("qetgeo:mapprofiles", {"INPUT": str(out / "respondents.gpkg"),
                                    "AREAS": f"{ROOT / 'sample_data' / 'quartier.gpkg'}|layername=iris",
                                    "MODEL": str(out / "profiles.json"), "CENSUS": str(census),
                                    "OUTPUT": str(tmp_path / "z.gpkg")})  # fmt: skip
    assert areas.read_bytes() == (out / "areas.gpkg").read_bytes()
    assert (
        census.read_bytes()
        == (ROOT / "sample_data" / "base-ic-evol-struct-pop-quartier.csv").read_bytes()
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["z_areas.csv", "zones.gpkg"]


def test_runpipeline_puts_the_whole_run_in_the_project_styled(runs):
    """The run's outputs land in the project of the run (processing.run: the current one)
    in one group, each layer styled from its GeoPackage, the person-level layer left out."""
    out, _, _ = runs
    groups = [
        group
        for group in QgsProject.instance().layerTreeRoot().findGroups()
        if any(str(out) in node.layer().source() for node in group.findLayers())
    ]
    assert len(groups) == 1
    layers = [node.layer() for node in groups[0].findLayers()]
    names = {layer.source().split("layername=")[-1] for layer in layers}
    assert {"area_indicators", "ptal_areas", "compare_areas"} <= names
    assert not any("respondents" in layer.source() for layer in layers)
    [areas] = [layer for layer in layers if layer.source().endswith("area_indicators")]
    assert areas.renderer().type() != "singleSymbol"
