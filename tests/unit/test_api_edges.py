"""The rough edges of issue 13's public API and command line, tried as a user meets them:
maps drawn in the user's language, wrong-typed arguments said clearly, the threshold's
override named as the caller spells it, the options' defaults from the parameters, JSON
from ``run --check --json``, empty profile names, GTFS times past midnight, a street
layer of polygons, and style names in the language of the outputs."""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from unit_helpers import cli_in_process

import qet_geo as qg
from qet_geo.areas.params import AreaParameters
from qet_geo.constraints.params import ProximityParameters
from qet_geo.i18n import set_language
from qet_geo.profiles.model import ENCODINGS_OF
from qet_geo.profiles.params import ProfileParameters
from qet_geo.transit.params import TransitParameters

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
IRIS = SAMPLE / "quartier.gpkg"


@pytest.fixture(scope="module")
def job():
    """The sample survey, its profiles and areas, as a notebook user makes them."""
    respondents = qg.add_footprints(qg.read_survey(SAMPLE / "survey_su.tsv").respondents)
    model = qg.ProfileModel("near").fit(respondents)
    labelled = qg.assign_profiles(respondents, model)
    areas = qg.read_areas(IRIS, layer="iris")
    return respondents, model, labelled, areas, qg.map_areas(labelled, areas, model=model)


@pytest.fixture(scope="module")
def labelled_file(tmp_path_factory):
    """Respondents with their profile, written by the command line (for ``areas map``)."""
    folder = tmp_path_factory.mktemp("labelled")
    done = cli_in_process("profiles", "detect", SAMPLE / "survey_su.tsv", "-o",
                          folder / "model.json", "--bootstrap", "0", "--labelled",
                          folder / "labelled.gpkg")  # fmt: skip
    assert done.returncode == 0, done.stderr
    return folder / "labelled.gpkg"


# ---------------------------------------------------------------------- 1. plots
def _legend(ax) -> list[str]:
    return [text.get_text() for text in ax.get_legend().get_texts()]


def test_the_area_map_is_drawn_in_the_language_asked_or_the_current_one(job):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    amap = job[4]
    french = amap.plot(language="fr")
    assert french.get_title() == "Profil dominant"
    assert "masqué (secret statistique, seuil 11 réponses)" in _legend(french)
    english = amap.plot(language="en")
    assert english.get_title() == "Dominant profile"
    assert "hidden (statistical secrecy, threshold 11 answers)" in _legend(english)
    assert not {"aucun profil nettement dominant", *_legend(french)} & set(_legend(english)) - {
        str(n) for n in amap.profile_names.values()
    }
    set_language("fr")  # no language=: the language of messages
    assert amap.plot().get_title() == "Profil dominant"
    assert amap.plot("fp_total").get_title().startswith("Empreinte moyenne des cinq usages")
    set_language("en")
    assert amap.plot("fp_total").get_title().startswith("Mean footprint of the five usages")


def test_the_other_results_draw_their_titles_in_the_language_asked(job):
    pytest.importorskip("matplotlib")
    areas = job[3]
    access = qg.transit_access(qg.read_gtfs(SAMPLE / "gtfs"), areas)
    assert access.plot(language="fr").get_title() == "Indice d'accessibilité moyen (PTAL)"
    assert access.plot(language="en").get_title() == "Mean access index (PTAL)"
    near = qg.proximity(areas, {"marches": f"{IRIS}:marches"})
    assert near.plot(language="fr").get_title() == "Distance moyenne à marches (m)"
    assert near.plot(language="en").get_title() == "Mean distance to marches (m)"


# ---------------------------------------------------------------------- 2. arguments
def test_proximity_takes_a_list_of_layers_named_by_their_layer(job):
    areas = job[3]
    result = qg.proximity(areas, [f"{IRIS}:marches", f"{IRIS}:commerces_alimentaires"])
    assert list(result.summary.services) == ["marches", "commerces_alimentaires"]
    assert {"dist_marches_mean", "dist_commerces_alimentaires_mean"} <= set(result.areas)
    same = qg.proximity(areas, {"marches": f"{IRIS}:marches"})
    assert result.areas["dist_marches_mean"].equals(same.areas["dist_marches_mean"])


@pytest.mark.parametrize(
    "services, words",
    [
        (lambda areas: [areas.frame], "a layer given as a table has no name"),
        (lambda areas: [f"{IRIS}:marches", "other.gpkg:marches"], "two layers named 'marches'"),
        (lambda areas: 3, "services = 3"),
    ],
)
def test_proximity_refuses_services_it_cannot_name(job, services, words):
    areas = job[3]
    with pytest.raises(TypeError) as error:
        qg.proximity(areas, services(areas))
    assert isinstance(error.value, qg.QetGeoError)
    assert words in str(error.value) and "a mapping service name → layer" in str(error.value)


def _calls(job):
    respondents, model, labelled, areas, amap = job
    survey = qg.read_survey(SAMPLE / "survey_su.tsv")
    feed = qg.read_gtfs(SAMPLE / "gtfs")
    return [
        ("add_footprints", lambda: qg.add_footprints(survey), "its table is .respondents"),
        ("ProfileModel.fit", lambda: qg.ProfileModel().fit(str(SAMPLE / "survey_su.tsv")), "a table of respondents"),
        ("ProfileModel.predict", lambda: model.predict(survey), "a table of respondents"),
        ("assign_profiles", lambda: qg.assign_profiles(respondents, {"k": 2}), "a fitted ProfileModel"),
        ("map_areas", lambda: qg.map_areas(labelled, f"{IRIS}:iris"), "qg.read_areas(path, layer=…)"),
        ("map_areas", lambda: qg.map_areas(labelled, [areas]), "qg.areas_from_frame(frame)"),
        ("map_areas", lambda: qg.map_areas(labelled, areas, census=str(SAMPLE)), "qg.read_census(path)"),
        ("read_areas", lambda: qg.read_areas(areas.frame), "qg.areas_from_frame(frame)"),
        ("areas_from_frame", lambda: qg.areas_from_frame(str(IRIS)), "qg.read_areas(path, layer=…)"),
        ("read_survey", lambda: qg.read_survey(survey.respondents), "a path"),
        ("read_census", lambda: qg.read_census(None), "a path"),
        ("read_gtfs", lambda: qg.read_gtfs({"stops": []}), "a path"),
        ("read_model", lambda: qg.read_model(model), "a path"),
        ("transit_access", lambda: qg.transit_access(areas, feed), "the feed comes first"),
        ("transit_access", lambda: qg.transit_access(42, areas), "qg.read_gtfs(path)"),
        ("proximity", lambda: qg.proximity(str(IRIS), {"m": f"{IRIS}:marches"}), "Areas"),
        ("compare", lambda: qg.compare(labelled, areas, None, model=model), "TransitAccess"),
        ("compare", lambda: qg.compare(survey, areas, None), "a table of respondents"),
        ("write_area_map", lambda: qg.write_area_map(labelled, "x.gpkg"), "AreaMap"),
        ("webmap", lambda: qg.webmap(labelled, "x.html"), "AreaMap"),
        ("poster", lambda: qg.poster(amap.indicators, model, "x.pdf"), "AreaMap"),
        ("run", lambda: qg.run({"survey": {}}), "TOML configuration"),
        ("load_config", lambda: qg.load_config(3), "a path"),
    ]  # fmt: skip


def test_every_entry_point_says_which_argument_has_the_wrong_type(job, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing may be written, but never in the repository
    for function, call, words in _calls(job):
        with pytest.raises(TypeError) as error:
            call()
        assert isinstance(error.value, qg.QetGeoError), function
        message = str(error.value)
        assert message.startswith(f"{function}(): ") and words in message, message
    assert list(tmp_path.iterdir()) == []


def test_a_wrong_type_is_said_in_french(job):
    set_language("fr")
    with pytest.raises(TypeError) as error:
        qg.proximity(job[3], [job[3].frame])
    assert str(error.value).startswith("proximity() : services = <list> ; attendu un dictionnaire")
    assert "une couche donnée comme table n'a pas de nom" in str(error.value)
    with pytest.raises(TypeError) as error:
        qg.add_footprints(qg.read_survey(SAMPLE / "survey_su.tsv"))
    assert "attendu une table de répondants" in str(error.value)
    assert "(sa table est .respondents)" in str(error.value)


# ---------------------------------------------------------------------- 3. threshold
def test_the_threshold_override_is_named_as_python_spells_it(job):
    with pytest.raises(ValueError) as error:
        qg.ProfileModel("near", min_cell=2).fit(job[0])
    assert "allow_below_3=True" in str(error.value) and "--allow" not in str(error.value)
    with pytest.raises(ValueError) as error:
        qg.map_areas(job[2], job[3], model=job[1], min_cell=2)
    assert "allow_below_3=True" in str(error.value)
    assert qg.ProfileModel("near", min_cell=2, allow_below_3=True).fit(job[0]).k_ >= 1


@pytest.mark.parametrize("command", [["profiles", "detect", SAMPLE / "survey_su.tsv", "-o", "m.json"],
                                     ["areas", "map", "--respondents", "r.gpkg", "--areas", IRIS,
                                      "-o", "a.gpkg"]])  # fmt: skip
def test_the_threshold_override_is_named_as_the_command_line_spells_it(command, tmp_path):
    done = cli_in_process(*command, "--min-cell", "2", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "--allow-below-3" in done.stderr and "allow_below_3=True" not in done.stderr
    assert "Traceback" not in done.stderr and list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------- 4. defaults
def _options(*command) -> dict:
    from qet_geo.cli import build_parser

    parser = build_parser()
    for word in command:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[word]
    return {a.option_strings[-1]: a for a in parser._actions if a.option_strings}


def test_the_last_options_take_their_defaults_and_choices_from_the_parameters():
    detect = _options("profiles", "detect")
    assert detect["--tie-tolerance"].default == ProfileParameters().tie_tolerance == 1e-9
    assert (
        tuple(detect["--encoding"].choices)
        == ProfileParameters.__dataclass_fields__["encoding"].metadata["choices"]
    )
    assert set(detect["--encoding"].choices) == set().union(*ENCODINGS_OF.values())
    assert detect["--encoding"].default is None is ProfileParameters().encoding
    assert tuple(detect["--assign"].choices) == ("lookup", "nearest")
    assert detect["--assign"].default == ProfileParameters().assign
    assert _options("areas", "map")["--raking-cap"].default == AreaParameters().raking_cap == 5.0
    population = TransitParameters().population_field
    assert _options("transit", "ptal")["--population-field"].default == population
    assert _options("constraints", "proximity")["--population-field"].default == population
    assert ProximityParameters().population_field == population == "population"
    assert ProfileParameters(assign="closest").validate()[0].column == "assign"
    assert ProfileParameters(encoding="zip").validate()[0].column == "encoding"


# ---------------------------------------------------------------------- 5. run --check --json
def test_run_check_json_prints_json_with_the_steps(tmp_path):
    done = cli_in_process("run", "--check", "--json", SAMPLE / "qet-geo.toml")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["valid"] is True and report["problems"] == []
    assert report["steps"][:4] == ["survey", "footprints", "profiles", "areas"]
    bad = tmp_path / "bad.toml"
    bad.write_text('[survey]\nfile = "none.tsv"\nbogus = 1\n[areas]\nfile = "none.gpkg"\n')
    done = cli_in_process("run", "--check", "--json", bad)
    assert done.returncode == 2
    problems = json.loads(done.stdout)["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [
        (2, "[survey] file"), (3, "[survey] bogus"), (5, "[areas] file")]  # fmt: skip


# ---------------------------------------------------------------------- 6. --names '1='
@pytest.mark.parametrize("option", ["--names", "--colours"])
def test_an_empty_profile_name_or_colour_is_refused(option, tmp_path):
    done = cli_in_process("profiles", "detect", SAMPLE / "survey_su.tsv", "-o", "m.json",
                          option, "1=", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2
    assert f"{option}: value '1=': expected a value after '=' (profile=value)" in done.stderr
    assert list(tmp_path.iterdir()) == []
    done = cli_in_process("--lang", "fr", "profiles", "detect", SAMPLE / "survey_su.tsv", "-o",
                          "m.json", option, "1=Un;2= ", cwd=tmp_path)  # fmt: skip
    assert f"{option} : valeur '2=' : attendu une valeur après « = » (profil=valeur)" in done.stderr


# ---------------------------------------------------------------------- 7. past midnight
def _late_feed(tmp_path: Path) -> Path:
    """The sample feed with its first trip moved past midnight: 25:10 and on."""
    feed = tmp_path / "gtfs"
    shutil.copytree(SAMPLE / "gtfs", feed)
    lines = (feed / "stop_times.txt").read_text(encoding="utf-8").splitlines()
    trip = lines[1].split(",")[0]
    out = [lines[0]]
    for line in lines[1:]:
        fields = line.split(",")
        if fields[0] == trip:  # 06:00:00 → 25:10:00, 06:01:30 → 25:11:30…
            for i in (1, 2):
                h, m, s = map(int, fields[i].split(":"))
                seconds = h * 3600 + m * 60 + s + (25 * 3600 + 600 - 6 * 3600)
                fields[i] = f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        out.append(",".join(fields))
    (feed / "stop_times.txt").write_text("\n".join(out) + "\n", encoding="utf-8")
    return feed


def test_departures_past_midnight_count_in_a_window_past_midnight(tmp_path):
    feed = _late_feed(tmp_path)
    done = cli_in_process("transit", "ptal", feed, "--areas", IRIS, "--areas-layer", "iris",
                          "--window", "25:00-26:00", "-o", tmp_path / "late.gpkg", "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["parameters"]["window"] == ["25:00", "26:00"]
    assert summary["routes"] == 1
    assert max(row["ai_mean"] for row in summary["areas_table"]) > 0
    assert "no departure in the time window" not in done.stderr


def test_a_window_without_departures_warns_instead_of_a_silent_zero(tmp_path):
    done = cli_in_process("transit", "ptal", SAMPLE / "gtfs", "--areas", IRIS, "--areas-layer",
                          "iris", "--window", "26:00-27:00", "-o", tmp_path / "p.gpkg")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "value '26:00-27:00 (" in done.stderr
    assert "no departure in the time window: PTAL is 0 everywhere" in done.stderr
    assert "(06:00 to 24:43; after midnight: 24:00 and more)" in done.stderr
    access = qg.transit_access(qg.read_gtfs(SAMPLE / "gtfs"), qg.read_areas(IRIS, layer="iris"),
                               params=qg.PtalParameters.of(window=(26 * 3600, 27 * 3600)))  # fmt: skip
    assert any("no departure in the time window" in str(w) for w in access.warnings)
    set_language("fr")
    assert any("aucun départ dans la plage horaire" in str(w) for w in access.warnings)
    normal = qg.transit_access(qg.read_gtfs(SAMPLE / "gtfs"), qg.read_areas(IRIS, layer="iris"))
    assert not any("plage horaire" in str(w) for w in normal.warnings)


# ---------------------------------------------------------------------- 8. streets
def test_a_street_layer_of_polygons_is_refused_naming_the_file_and_layer(tmp_path):
    done = cli_in_process("transit", "ptal", SAMPLE / "gtfs", "--areas", IRIS, "--areas-layer",
                          "iris", "--streets", f"{IRIS}:perimetre", "-o", tmp_path / "p.gpkg")  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert f"{IRIS} [perimetre]: value 'Polygon': the street layer has no lines; expected a " \
           "layer of street lines (LineString, MultiLineString)" in done.stderr  # fmt: skip
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------- 9. style names
def _styles(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT styleName, description, styleQML FROM layer_styles").fetchall()


def test_the_styles_of_the_area_map_follow_the_language_of_the_outputs(labelled_file, tmp_path):
    for lang in ("en", "fr"):
        done = cli_in_process("--lang", lang, "areas", "map", "--respondents", labelled_file,
                              "--areas", IRIS, "--areas-layer", "iris", "-o",
                              tmp_path / f"{lang}.gpkg", "--no-csv")  # fmt: skip
        assert done.returncode == 0, done.stderr
    english, french = _styles(tmp_path / "en.gpkg"), _styles(tmp_path / "fr.gpkg")
    assert [s[0] for s in english] == ["Dominant profile", "Total footprint"]
    assert [s[1] for s in english] == ["dominant profile per area", "mean footprint of the five usages"]  # fmt: skip
    assert "hidden (statistical secrecy, threshold 11 answers)" in english[0][2]
    assert "no clearly dominant profile" in english[0][2] and "t CO2e/yr" in english[1][2]
    assert "masqué" not in english[0][2] + english[1][2]
    assert [s[0] for s in french] == ["Profil dominant", "Empreinte totale"]
    assert "t CO2e/an" in french[1][2]
    done = cli_in_process("areas", "map", "--respondents", labelled_file, "--areas", IRIS,
                          "--areas-layer", "iris", "-o", tmp_path / "default.gpkg", "--no-csv")  # fmt: skip
    assert [s[0] for s in _styles(tmp_path / "default.gpkg")] == ["Profil dominant", "Empreinte totale"]  # fmt: skip
