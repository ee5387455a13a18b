"""The French catalogue is keyed by message id only: no regex re-parses English (issue 13).

Each message that a regex of ``_FR_PATTERNS`` used to translate is now a template of
``_FR_EXACT`` (a :class:`~qet_geo.i18n.Message`, or ``tr(template, **values)``): its French
is checked here as the real command or function says it, the same French as the regexes
gave (except "file not found; expected a transit access GeoPackage …", shown in English
before). NEAR's stop reason is saved as a key and its values, said when shown.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import shapely
from test_ptal_modes import DAY, run, tfl_areas, write_tfl_feed
from test_webmap import area_map
from unit_helpers import ROOT

import qet_geo.i18n
from qet_geo import limits
from qet_geo.areas import areas_from_frame, read_areas
from qet_geo.areas.params import AreaParameters
from qet_geo.cli import main
from qet_geo.errors import InputError, ParameterError
from qet_geo.export.webmap import read_inputs
from qet_geo.i18n import Count, Message, set_language, translate
from qet_geo.privacy import check_not_respondents
from qet_geo.profiles import ProfileModel
from qet_geo.profiles.near import stop_reason_text
from qet_geo.profiles.params import ProfileParameters
from qet_geo.profiles.report import report_html
from qet_geo.survey import import_survey
from qet_geo.transit import PtalParameters, read_gtfs, transit_access

SAMPLE = ROOT / "sample_data"
SURVEY = SAMPLE / "survey_su.tsv"
NNBSP = "\u202f"  # French digit grouping


@pytest.fixture
def french():
    set_language("fr")
    yield
    set_language("en")


@pytest.fixture(scope="module")
def respondents():
    return import_survey(SURVEY).respondents


def _error(call) -> str:
    with pytest.raises((InputError, ParameterError)) as error:
        call()
    return str(error.value)


# ---------------------------------------------------------------------- the catalogue
def test_no_regex_over_english_is_left():
    assert not hasattr(qet_geo.i18n, "_FR_PATTERNS")
    assert not hasattr(qet_geo.i18n, "_FR_COMPILED")
    # a text that only a regex knew is not translated by guessing any more
    assert translate("fr", "7 profiles remain (target 7)") == "7 profiles remain (target 7)"
    message = Message("{n} profiles remain (target {target_count})", n=7, target_count=7)
    assert translate("fr", message) == "il reste 7 profils (cible 7)"


def test_every_template_has_its_fields_in_french():
    fields = re.compile(r"\{(\w+)(?:![rsa])?(?::[^{}]*)?\}")
    for english, french in qet_geo.i18n._FR_EXACT.items():
        assert set(fields.findall(english)) == set(fields.findall(french)), english


def test_a_count_is_grouped_in_each_language():
    message = Message("more than {n}", n=Count(1234567))
    assert message == "more than 1,234,567"
    assert translate("fr", message) == f"plus de 1{NNBSP}234{NNBSP}567"
    assert translate("en", message) == "more than 1,234,567"
    assert f"{Count(1234):d}" == "1234" and json.dumps(Count(5)) == "5"


# ---------------------------------------------------------------------- reading limits
def test_a_reading_limit_is_said_in_french_with_grouped_digits(monkeypatch, capsys):
    monkeypatch.setenv("QET_GEO_MAX_CELLS", "1000")
    reason = _error(lambda: import_survey(SURVEY))
    assert (
        "the cells (rows × columns) exceeds the reading limit of 1,000 (found 9,000); raise it "
        "with the environment variable QET_GEO_MAX_CELLS"
    ) in reason
    assert main(["--lang", "fr", "survey", "check", str(SURVEY)]) == 2
    err = capsys.readouterr().err
    assert (
        f"le nombre de cellules (lignes × colonnes) dépasse la limite de lecture de 1{NNBSP}000 "
        f"(trouvé : 9{NNBSP}000) ; relevez-la avec la variable d'environnement QET_GEO_MAX_CELLS"
    ) in err
    assert "exceeds" not in err and "1,000" not in err


def test_more_than_and_or_more_are_french(french, monkeypatch):
    monkeypatch.setenv("QET_GEO_MAX_CELL_CHARS", "1000")
    monkeypatch.setenv("QET_GEO_MAX_BLANK_ROWS", "10000")
    over = limits.problem(
        "f.xlsx", "cell_chars", limits.more_than(1000), "the characters in a cell"
    )
    assert over.reason == (
        "the characters in a cell exceeds the reading limit of 1,000 (found more than 1,000); "
        "raise it with the environment variable QET_GEO_MAX_CELL_CHARS"
    )
    assert str(over) == (
        f"f.xlsx: le nombre de caractères d'une cellule dépasse la limite de lecture de 1{NNBSP}000 "
        f"(trouvé : plus de 1{NNBSP}000) ; relevez-la avec la variable d'environnement "
        "QET_GEO_MAX_CELL_CHARS"
    )
    blank = limits.problem("f.xlsx", "blank_rows", limits.or_more(10001), "the blank rows in a row")
    assert "(found 10,001 or more)" in blank.reason
    assert f"(trouvé : 10{NNBSP}001 ou plus)" in str(blank)


# ---------------------------------------------------------------------- private layers
def _points(xy, crs="EPSG:2154", **columns):
    frame = pd.DataFrame({**columns, "geometry": [shapely.Point(x, y) for x, y in xy]})
    frame.attrs["crs"] = crs
    return frame


@pytest.mark.parametrize(
    ("use", "frame", "text"),
    [
        ("population", pd.DataFrame({"respondent_id": [1]}),
         "refusée comme couche de population : elle a un champ respondent_id (une entité par "
         "répondant); attendu une couche de la population elle-même"),
        ("service", pd.DataFrame({"meat_frequency": [1], "transportation_mode": [2],
                                  "air_travel_frequency": [3]}),
         "refusée comme couche de services : elle a des champs de réponses des répondants "
         "(meat_frequency, transportation_mode, air_travel_frequency); attendu une couche des "
         "services eux-mêmes"),
        ("background", _points([(652000 + 100 * i, 6862000) for i in range(5)]).assign(
            geometry=lambda f: [g.buffer(2) for g in f["geometry"]]),
         "refusée comme fond de la carte web : 5 de ses 5 entités sont des polygones de moins "
         "de 100 m², dessinés comme des points qui pourraient montrer des domiciles"),
        ("background", _points([(652000, 6862000)]),
         "refusée comme fond de la carte web : c'est une couche de points (des points "
         "pourraient montrer le domicile des répondants)"),
    ],
    ids=["id-field", "answer-fields", "dots", "points"],
)  # fmt: skip
def test_a_private_layer_is_refused_in_french(french, use, frame, text):
    message = _error(lambda: check_not_respondents(frame, use, name="couche.gpkg"))
    assert message.startswith("couche.gpkg: " + text), message
    set_language("en")
    english = _error(lambda: check_not_respondents(frame, use, name="couche.gpkg"))
    assert "refused as a" in english and "refusée" not in english


def test_a_layer_on_the_homes_is_refused_in_french(french):
    homes = _points([(652000 + 50 * i, 6862000) for i in range(5)])
    near = _points([(652000 + 50 * i, 6862002) for i in range(5)])
    message = _error(lambda: check_not_respondents(near, "service", name="s.gpkg",
                                                   respondents=homes))  # fmt: skip
    assert message.startswith(
        "s.gpkg: refusée comme couche de services : 5 de ses 5 entités sont à moins de 5 m du "
        "domicile d'un répondant; attendu"
    ), message


# ---------------------------------------------------------------------- transit access
def test_ptal_warnings_and_errors_are_french(tmp_path, french):
    feed = write_tfl_feed(tmp_path / "gtfs", extra_routes=[("X1", 99, 12), ("X2", 99, 6)])
    warnings = [str(w) for w in run(feed=feed).warnings]
    assert any(w.endswith(
        "[routes.txt], colonne 'route_type': valeur 'X1, X2': 2 ligne(s) de route_type inconnu 99 "
        "laissée(s) hors du PTAL; attendu un type de ligne GTFS (0–7, 11, 12, étendu 100–1799), "
        "ou un mode qui lui est donné : --route-type 99=bus, ou dans la configuration [transit] "
        'route_types = { "99" = "bus" }') for w in warnings), warnings  # fmt: skip
    old = PtalParameters(catchment={"bus": 640.0, "rail": 960.0},
                         reliability={"bus": 2.0, "rail": 0.75})  # fmt: skip
    warnings = [str(w) for w in run(tmp_path=tmp_path / "old", params=old).warnings]
    assert any(w.endswith(
        "valeur 'LU11': 1 ligne(s) du mode metro laissée(s) hors du PTAL : aucun rayon pour ce "
        "mode; attendu un rayon et une fiabilité pour chaque mode : bus, tram, metro, rail, "
        "ferry, cable, funicular") for w in warnings), warnings  # fmt: skip
    frame, crs = tfl_areas()
    areas = areas_from_frame(frame, "areas", id_field="code", crs=crs)
    message = _error(lambda: transit_access(read_gtfs(feed), areas, date=DAY.replace(year=2030)))
    assert message.endswith(
        "valeur '2030-03-10': aucun service de transport ce jour-là; attendu un jour de service "
        "du flux (du 2026-01-01 au 2026-12-31)"
    ), message
    tram = {"catchment": {"bus": 640.0, "rail": 960.0, "tram": -3.0},
            "reliability": {"bus": 2.0, "rail": 0.75, "tram": 1.0}}  # fmt: skip
    assert _error(lambda: PtalParameters(**tram).check()) == (
        "rayon du mode tram -3.0 : attendu un nombre supérieur à 0 et jusqu'à 10000 m"
    )
    tram["catchment"]["tram"], tram["reliability"]["tram"] = 500.0, -1.0
    assert _error(lambda: PtalParameters(**tram).check()).startswith("fiabilité du mode tram -1.0")


def test_the_ptal_command_warns_in_french(tmp_path, capsys):
    import geopandas as gpd
    import pyogrio

    feed = write_tfl_feed(tmp_path / "gtfs", extra_routes=[("X1", 99, 12)])
    frame, crs = tfl_areas()
    areas = tmp_path / "areas.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame(frame, geometry="geometry", crs=crs), areas)
    assert main(["--lang", "fr", "transit", "ptal", str(feed), "--areas", str(areas),
                 "--id-field", "code", "--date", DAY.isoformat(),
                 "-o", str(tmp_path / "a.gpkg")]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert "1 ligne(s) de route_type inconnu 99 laissée(s) hors du PTAL" in err, err
    assert "--route-type 99=bus, ou dans la configuration" in err
    assert "left out of PTAL" not in err


# ---------------------------------------------------------------------- profiles
def test_profile_messages_are_french(respondents, tmp_path, french):
    model = ProfileModel("kmeans", k=3).fit(respondents)
    missing = _error(lambda: model.predict(respondents.drop(columns="meat_frequency")))
    assert missing.endswith(
        "attendu les variables du modèle : meat_frequency, transportation_mode, "
        "digital_intensity, purchasing_strategy, air_travel_frequency, heat_source"
    ), missing
    bad = respondents.copy()
    bad.loc[bad.index[0], "meat_frequency"] = 7
    assert _error(lambda: model.predict(bad)).endswith(
        "valeur '7': pas un code de réponse du modèle; attendu les codes 1, 2, 3"
    )
    [beyond] = ProfileParameters(method="kmeans", k=3, names={5: "Vélo"}).validate("qet-geo.toml")
    assert str(beyond) == (
        "qet-geo.toml, colonne 'names': valeur '5': ce profil n'existe pas; attendu des numéros "
        "de profil de 1 à 3"
    )
    path = model.save(tmp_path / "m.json")
    path.write_text(json.dumps({**json.loads(path.read_text()), "k": "x"}), encoding="utf-8")
    assert _error(lambda: ProfileModel.load(path)).startswith(
        f"{path}: modèle de profils illisible : ValueError: invalid literal for int()"
    )


def test_a_choice_and_a_whole_number_are_expected_in_french(french):
    problems = AreaParameters(weights="zzz", min_cell=0).validate("qet-geo.toml")
    assert [str(p) for p in problems] == [
        "qet-geo.toml, colonne 'weights': valeur 'zzz': valeur invalide; attendu une valeur "
        "parmi survey, raking, none",
        "qet-geo.toml, colonne 'min_cell': valeur '0': valeur invalide; attendu un nombre entier "
        "à partir de 1",
    ]


@pytest.mark.parametrize(
    ("kwargs", "key", "values", "english", "french"),
    [
        ({}, "min_count", {"n": 3, "min_count": 3},
         "3 profiles remain (minimum count 3)", "il reste 3 profils (nombre minimal 3)"),
        ({"target_count": 4}, "target_count", {"n": 4, "target_count": 4},
         "4 profiles remain (target 4)", "il reste 4 profils (cible 4)"),
        ({"min_count": 2, "min_share": 0.02}, "min_share", None,
         "the smallest profile holds 3.4% (minimum share 2%)",
         "le plus petit profil rassemble 3.4% (part minimale 2%)"),
    ],
    ids=["min-count", "target", "min-share"],
)  # fmt: skip
def test_near_saves_its_stop_reason_as_a_key_and_says_it_when_shown(
    respondents, tmp_path, kwargs, key, values, english, french
):
    model = ProfileModel("near", **kwargs).fit(respondents)
    assert model.stop_reason_ == english  # its English text, as the --json summary prints it
    assert model.summary()["stop_reason"] == english
    path = model.save(tmp_path / "m.json")
    for name in (path, tmp_path / "m.private.json"):
        saved = json.loads(name.read_text(encoding="utf-8"))["stop_reason"]
        assert saved["key"] == key and set(saved) == {"key", "values"}
        assert values is None or saved["values"] == values
        loaded = ProfileModel.load(name)
        assert stop_reason_text(loaded.stop_reason_, "en") == english
        assert stop_reason_text(loaded.stop_reason_, "fr") == french
        assert f"arrêt : {french}" in report_html(loaded, language="fr")
        assert f"stopped: {english}" in report_html(loaded, language="en")


def test_an_old_model_file_with_a_stop_sentence_still_loads_and_shows(respondents, tmp_path):
    path = ProfileModel("near").fit(respondents).save(tmp_path / "m.json")
    for name in (path, tmp_path / "m.private.json"):
        data = json.loads(name.read_text(encoding="utf-8"))
        data["stop_reason"] = "3 profiles remain (minimum count 3)"  # as written before
        name.write_text(json.dumps(data), encoding="utf-8")
        loaded = ProfileModel.load(name)
        assert loaded.stop_reason_ == "3 profiles remain (minimum count 3)"
        assert "arrêt : il reste 3 profils (nombre minimal 3)" in report_html(loaded, language="fr")
        page = report_html(loaded, language="en")
        assert "stopped: 3 profiles remain (minimum count 3)" in page and "il reste" not in page
        assert loaded.to_dict()["stop_reason"] == "3 profiles remain (minimum count 3)"
    assert stop_reason_text("something else", "fr") == "something else"


def test_the_near_command_says_its_stop_in_its_language_and_saves_the_same_files(tmp_path, capsys):
    saved, said = {}, {}
    for lang in ("fr", "en"):
        out = tmp_path / lang
        out.mkdir()
        assert main(["--lang", lang, "profiles", "detect", str(SURVEY), "--bootstrap", "0",
                     "-o", str(out / "m.json")]) == 0  # fmt: skip
        saved[lang] = [(out / n).read_bytes() for n in ("m.json", "m.private.json")]
        said[lang] = capsys.readouterr().out
    assert saved["fr"] == saved["en"]
    assert "arrêt : il reste 3 profils (nombre minimal 3)" in said["fr"]
    assert "stopped: 3 profiles remain (minimum count 3)" in said["en"]
    assert "profiles remain" not in said["fr"] and "il reste" not in said["en"]
    assert json.loads(saved["en"][0])["stop_reason"] == {
        "key": "min_count", "values": {"n": 3, "min_count": 3}
    }  # fmt: skip


# ---------------------------------------------------------------------- files and layers
def test_layers_and_files_expected_are_french(tmp_path, french, capsys):
    gpkg = area_map(tmp_path)
    quartier = SAMPLE / "quartier.gpkg"
    layers = "iris, perimetre, commerces_alimentaires, marches, reparation_occasion"
    assert _error(lambda: read_inputs(gpkg, ptal=quartier)).endswith(
        "valeur 'ptal_areas': couche absente du fichier; attendu un GeoPackage d'accès aux "
        f"transports (qet-geo transit ptal) : {layers}"
    )
    assert _error(lambda: read_inputs(gpkg, compare=tmp_path / "none.gpkg")).endswith(
        "none.gpkg: fichier introuvable; attendu un GeoPackage de comparaison (qet-geo compare)"
    )
    assert _error(lambda: read_inputs(gpkg, background=[f"{quartier}:rues"])).endswith(
        f"valeur 'rues': couche absente du fichier; attendu une couche du fichier : {layers}"
    )
    assert _error(lambda: read_areas(quartier, layer="rues")).endswith(
        "valeur 'rues': couche introuvable; attendu une valeur parmi 'iris', 'perimetre', "
        "'commerces_alimentaires', 'marches', 'reparation_occasion'"
    )
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(bytes(range(256)) * 40)
    assert main(["--lang", "fr", "export", "project", "--areas", str(junk),
                 "-o", str(tmp_path / "p.qgz")]) == 2  # fmt: skip
    assert (
        f"{junk}: GeoPackage illisible : file is not a database; attendu un GeoPackage écrit par "
        "qet-geo"
    ) in capsys.readouterr().err


def test_a_proximity_people_layer_and_footprint_results_are_french(tmp_path, capsys):
    quartier = SAMPLE / "quartier.gpkg"
    assert main(["--lang", "fr", "constraints", "proximity", "--areas", str(quartier),
                 "--areas-layer", "iris", "--service", f"marches={quartier}:marches",
                 "--people", "logements", "-o", str(tmp_path / "p.gpkg")]) == 2  # fmt: skip
    assert "--people logements : aucune couche --service de ce nom" in capsys.readouterr().err
    results = tmp_path / "simulations.json"
    results.write_text(json.dumps([{"computedResults": {"bilan": 7000, "categories": 5}}]))
    assert main(["--lang", "fr", "footprint", str(results)]) == 2
    err = capsys.readouterr().err
    assert "ligne 1, colonne 'categories': categories n'est pas un objet" in err, err


def test_a_generic_range_is_french():
    """``[compare] profile`` beyond k (qet_geo.pipeline): "1 to 3", in French "de 1 à 3"."""
    message = Message("{low} to {high}", low=1, high=3)
    assert (message, translate("fr", message)) == ("1 to 3", "de 1 à 3")
