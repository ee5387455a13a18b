"""The room for manoeuvre (docs/manoeuvre.md): per-person savings of each lever, potentials
per profile and per area split by willingness, the structural areas, the forum's subjects."""

from __future__ import annotations

import json
import subprocess
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from ngc_stored import ENGINE_GUARD_SECONDS, have_engine
from unit_helpers import ROOT, cli_in_process

from qet_geo.diagnostic.manoeuvre import (
    read_levers,
    room_for_manoeuvre,
    savings,
    savings_table,
)
from qet_geo.diagnostic.subjects import subject_areas, subjects_table
from qet_geo.errors import InputError
from qet_geo.i18n import translate

SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")  # fmt: skip
DIAG = SHARED / "data" / "near-diag"
BANDS = json.loads((ROOT / "qet_geo/footprint/data/su-bands-values.json").read_text("utf-8"))
CAR = """
levers:
  car:
    label: {fr: "Moins de voiture", en: "Less car use"}
    usage: mobilite
    variable: transportation_mode
    moves: {3: 2}
    wish: want_to_reduce_car_usage
    barrier: reasons_to_continue_using_car
    constraint: {measure: ptal, poor: ["0", "1a", "1b", "2"]}
    action: {fr: "une ligne de bus"}
    subject: mobilite
subjects:
  mobilite: {fr: "Se déplacer autrement", en: "Getting around"}
"""


def wishes(shares: dict, n: int = 40, profiles=("1", "ensemble", "quartier")) -> pd.DataFrame:
    return pd.DataFrame([{"key": "want_to_reduce_car_usage", "profile": p, "n": n,
                          **{f"share_{c}": v for c, v in shares.items()}} for p in profiles])  # fmt: skip


def barriers() -> pd.DataFrame:
    rows = []
    for family, share in (("Accessibilité pratique", 0.4), ("Temps & Organisation", 0.2),
                          ("Non concerné", 0.5)):  # fmt: skip
        for p in ("1", "ensemble", "quartier"):
            rows.append({"key": "reasons_to_continue_using_car", "level": "family",
                         "family": family, "profile": p, "share": share})  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture
def car(tmp_path):
    path = tmp_path / "levers.yaml"
    path.write_text(CAR, encoding="utf-8")
    return read_levers(path)


EVEN = {"NO": 0.25, "I_WISH_BUT_CANT": 0.25, "I_WISH_AND_IT_IS_PLAN": 0.25, "YES_I_DO": 0.25}


def test_one_profile_one_lever_two_bands_by_hand(car):
    # 30 SU respondents of profile 1: 18 by car (band 3), 12 by public transport (band 2)
    bands = {1: {"transportation_mode": np.array([0, 12, 18])}}
    diag = SimpleNamespace(wishes=wishes(EVEN), barriers=pd.DataFrame())
    m = room_for_manoeuvre(car, bands, [1], {1: 1.0}, diag, residents=1000)
    values = BANDS["usages"]["mobilite"]["values"]
    saving = values["3"]["estimate"] - values["2"]["estimate"]  # 2058.21 − 877.98
    assert saving == pytest.approx(1180.23)
    q = m.levers.set_index("profile").loc["quartier"]
    assert q["saving_kg"] == pytest.approx(saving, abs=0.05)
    assert q["applies"] == pytest.approx(0.6)
    assert q["per_resident_kg"] == pytest.approx(0.6 * saving, abs=0.05)
    assert q["potential_t"] == pytest.approx(1000 * 0.6 * saving / 1000, abs=0.01)  # 708.14 t
    # the willingness split: a quarter already do it, the rest splits in thirds
    assert q["share_done"] == 0.25
    assert (
        q["planned_t"] == q["blocked_t"] == q["not_wanted_t"] == pytest.approx(708.14 / 3, abs=0.01)
    )
    assert q["planned_t"] + q["blocked_t"] + q["not_wanted_t"] == pytest.approx(
        q["potential_t"], abs=0.02
    )
    # the interval holds the estimate, and carries the band range (wider than sampling alone)
    assert q["potential_low_t"] < q["potential_t"] < q["potential_high_t"]
    low, high = (values["3"][x] - values["2"][x] for x in ("low", "high"))
    assert q["potential_high_t"] > 0.6 * high  # the high situations' saving
    assert q["potential_low_t"] < 0.6 * low


def test_the_split_sums_to_the_total_with_uneven_willingness(car):
    bands = {1: {"transportation_mode": np.array([13, 30, 40])},
             2: {"transportation_mode": np.array([50, 12, 15])}}  # fmt: skip
    shares = {"NO": 0.1, "I_WISH_BUT_CANT": 0.5, "I_WISH_AND_IT_IS_PLAN": 0.2, "YES_I_DO": 0.2}
    table = pd.concat([wishes(shares, profiles=("1",)),
                       wishes({"NO": 0.6, "I_WISH_BUT_CANT": 0.1, "I_WISH_AND_IT_IS_PLAN": 0.1,
                               "YES_I_DO": 0.2}, profiles=("2", "ensemble", "quartier"))])  # fmt: skip
    m = room_for_manoeuvre(car, bands, [1, 2], {1: 0.3, 2: 0.7},
                           SimpleNamespace(wishes=table, barriers=pd.DataFrame()), residents=5000)  # fmt: skip
    rows = m.levers.set_index("profile")
    for p in ("1", "2", "quartier"):
        r = rows.loc[p]
        assert r["planned_t"] + r["blocked_t"] + r["not_wanted_t"] == pytest.approx(
            r["potential_t"], abs=0.03
        )
    # the neighbourhood is the sum of its profiles
    assert rows.loc["quartier", "potential_t"] == pytest.approx(
        rows.loc["1", "potential_t"] + rows.loc["2", "potential_t"], abs=0.02)  # fmt: skip
    # profile 1: blocked is 0.5 / 0.8 of its potential
    assert rows.loc["1", "blocked_t"] == pytest.approx(
        rows.loc["1", "potential_t"] * 0.5 / 0.8, abs=0.02
    )


def test_a_blocked_share_with_a_poor_ptal_is_structural_and_with_a_good_one_is_not(car):
    bands = {1: {"transportation_mode": np.array([0, 12, 18])}}
    diag = SimpleNamespace(wishes=wishes(EVEN), barriers=barriers())
    estimates = pd.DataFrame({
        "area_id": ["A", "B"], "area_name": ["Les Lilas", "La Gare"], "pop_15p": [600.0, 400.0],
        "want_to_reduce_car_usage__I_WISH_BUT_CANT": [0.25, 0.25], "ptal_band": ["1b", "5"],
        "reasons_to_continue_using_car__accessibilite_pratique": [0.4, 0.4],
        "reasons_to_continue_using_car__temps_organisation": [0.2, 0.2],
        "reasons_to_continue_using_car__non_concerne": [0.5, 0.5],
    })  # fmt: skip
    m = room_for_manoeuvre(car, bands, [1], {1: 1.0}, diag, estimates=estimates,
                           area_shares=np.array([[1.0], [1.0]]))  # fmt: skip
    assert m.residents == 1000  # the areas' census
    areas = m.areas.set_index("area_id")
    assert areas.loc["A", "car__structural"] == 1 and areas.loc["B", "car__structural"] == 0
    assert areas.loc["A", "car__structural_t"] == pytest.approx(
        600 * 0.6 * 1180.23 / 3 / 1000, abs=0.02
    )
    assert np.isnan(areas.loc["B", "car__structural_t"])
    assert areas.loc["A", "car__constraint"] == "PTAL 1b"
    # the barriers residents cite there, "not concerned" left out
    assert (
        areas.loc["A", "car__barriers"] == "Accessibilité pratique 40 % ; Temps & Organisation 20 %"
    )
    s = m.structural
    assert list(s["area_id"]) == ["A"] and s.loc[0, "rank"] == 1
    assert s.loc[0, "method"] == "potentiel, pas une prévision"
    assert s.loc[0, "potential_low_t"] < s.loc[0, "potential_t"] < s.loc[0, "potential_high_t"]
    # under the blocked threshold (20 % by default) it is not structural, even with a poor PTAL
    low = estimates.assign(**{"want_to_reduce_car_usage__I_WISH_BUT_CANT": [0.1, 0.25]})
    m = room_for_manoeuvre(car, bands, [1], {1: 1.0}, diag, estimates=low,
                           area_shares=np.array([[1.0], [1.0]]))  # fmt: skip
    assert m.areas["car__structural"].tolist() == [0.0, 0.0] and not len(m.structural)
    subjects = subjects_table(m, diag)
    assert subjects.loc[0, "structural_t"] == 0.0


def test_a_small_source_band_is_hidden_with_another_profile(car):
    bands = {1: {"transportation_mode": np.array([12, 20, 5])},  # 5 by car: under 11
             2: {"transportation_mode": np.array([12, 20, 30])},
             3: {"transportation_mode": np.array([12, 20, 40])}}  # fmt: skip
    m = room_for_manoeuvre(car, bands, [1, 2, 3], {1: 0.2, 2: 0.3, 3: 0.5}, None, residents=100)
    rows = m.levers.set_index("profile")
    assert np.isnan(rows.loc["1", "potential_t"]) and rows.loc["1", "suppressed"] == "potential"
    # one more (the smallest) so that the neighbourhood does not give it back
    assert np.isnan(rows.loc["2", "potential_t"]) and np.isfinite(rows.loc["3", "potential_t"])
    assert np.isfinite(rows.loc["quartier", "potential_t"])
    assert rows["n"].isna().sum() == 2


def test_a_small_band_the_lever_does_not_move_is_hidden_too(car):
    # hostile review: n = 33 and applies 32/33 gave back the one who walks (band 1)
    bands = {1: {"transportation_mode": np.array([1, 12, 20])},
             2: {"transportation_mode": np.array([40, 30, 30])},
             3: {"transportation_mode": np.array([30, 30, 40])}}  # fmt: skip
    m = room_for_manoeuvre(car, bands, [1, 2, 3], {1: 0.2, 2: 0.3, 3: 0.5}, None, residents=100)
    rows = m.levers.set_index("profile")
    assert np.isnan(rows.loc["1", "applies"]) and rows.loc["1", "suppressed"] == "potential"


def test_the_hidden_profiles_together_are_not_given_back(car):
    # hidden together, 1 and 2 would hold 5 + 5 = 10 by car: a third profile is hidden
    bands = {1: {"transportation_mode": np.array([20, 20, 5])},
             2: {"transportation_mode": np.array([20, 20, 5])},
             3: {"transportation_mode": np.array([30, 30, 40])},
             4: {"transportation_mode": np.array([50, 30, 60])}}  # fmt: skip
    m = room_for_manoeuvre(car, bands, [1, 2, 3, 4], {1: 0.1, 2: 0.1, 3: 0.3, 4: 0.5}, None,
                           residents=100)  # fmt: skip
    rows = m.levers.set_index("profile")
    assert rows.loc[["1", "2", "3"], "applies"].isna().all()
    assert np.isfinite(rows.loc["4", "applies"]) and np.isfinite(rows.loc["quartier", "applies"])


def test_the_built_in_levers_and_their_savings_per_band():
    levers = read_levers()
    keys = [lv.key for lv in levers.levers]
    assert keys == ["car", "meat", "local_food", "second_hand", "air", "digital", "heating"]
    table = savings_table(levers).set_index(["lever", "band"])
    values = BANDS["usages"]
    for lever in levers.levers:
        if lever.saving != "bands":
            continue
        for source, target in lever.moves.items():
            v = values[lever.usage]["values"]
            expected = max(v[str(source)]["estimate"] - v[str(target)]["estimate"], 0)
            assert table.loc[(lever.key, source), "saving_kg"] == pytest.approx(expected, abs=0.01)
            row = table.loc[(lever.key, source)]
            assert row["saving_low_kg"] <= row["saving_kg"] <= row["saving_high_kg"]
    # local and seasonal food: NGC's own actions on each band's diet, every band
    food = savings(levers.of("local_food"))
    assert (food[0] > 0).all() and (food[1] <= food[0]).all() and (food[0] <= food[2]).all()


@pytest.mark.skipif(not have_engine(), reason="Node or tools/ngc/node_modules absent (make ngc)")
def test_the_savings_are_the_ngc_engine_s_band_values(tmp_path):
    """Per-person savings held to the official engine: its band values, evaluated afresh."""
    out = tmp_path / "bands.json"
    subprocess.run(["node", str(ROOT / "tools/ngc/su_bands.mjs"), "--out", str(out)], check=True,
                   capture_output=True, timeout=ENGINE_GUARD_SECONDS)  # fmt: skip
    engine = json.loads(out.read_text("utf-8"))["usages"]
    table = savings_table(read_levers()).set_index(["lever", "band"])
    for lever in read_levers().levers:
        for source, target in lever.moves.items():
            v = engine[lever.usage]["values"]
            for level, column in (
                ("estimate", "saving_kg"),
                ("low", "saving_low_kg"),
                ("high", "saving_high_kg"),
            ):
                diff = max(v[str(source)][level] - v[str(target)][level], 0)
                got = table.loc[(lever.key, source), column]
                # the range always holds the estimate
                if level == "low":
                    diff = min(
                        diff, max(v[str(source)]["estimate"] - v[str(target)]["estimate"], 0)
                    )
                if level == "high":
                    diff = max(
                        diff, max(v[str(source)]["estimate"] - v[str(target)]["estimate"], 0)
                    )
                assert got == pytest.approx(diff, abs=0.01), (lever.key, source, level)


@pytest.mark.parametrize(
    "text, column",
    [
        (
            CAR.replace("variable: transportation_mode", "variable: meat_frequency"),
            "levers.car.variable",
        ),
        (CAR.replace("moves: {3: 2}", "moves: {2: 3}"), "levers.car.moves"),
        (CAR.replace("moves: {3: 2}", "moves: {3: 7}"), "levers.car.moves"),
        (CAR.replace("usage: mobilite", "usage: velo"), "levers.car.usage"),
        (CAR.replace("measure: ptal", "measure: metro"), "levers.car.constraint.measure"),
        (CAR.replace("moves: {3: 2}", "saving: prix"), "levers.car.saving"),
    ],
)
def test_a_bad_levers_file_names_the_lever_and_the_field(tmp_path, text, column):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_levers(path)
    problem = error.value.problems[0]
    assert problem.file == str(path) and problem.column == column
    assert translate("fr", problem.reason) != problem.reason  # said in French too


def test_a_levers_file_that_is_not_yaml_or_missing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("levers: [car: {", encoding="utf-8")
    with pytest.raises(InputError, match="not a YAML file"):
        read_levers(bad)
    with pytest.raises(InputError, match="no such file"):
        read_levers(tmp_path / "none.yaml")
    (tmp_path / "empty.yaml").write_text("subjects: {}\n", encoding="utf-8")
    with pytest.raises(InputError, match="no levers"):
        read_levers(tmp_path / "empty.yaml")


def test_the_hidden_profiles_count_as_one_for_the_neighbourhood_and_its_intervals(car):
    """Re-attack of issue 16: the neighbourhood's figure and its intervals (seeded draws)
    gave the hidden profiles' bands back one by one; with the same hidden profiles together,
    swapping their bands changes nothing published."""

    def published(first, second):
        bands = {1: {"transportation_mode": np.array(first)},
                 2: {"transportation_mode": np.array(second)},
                 3: {"transportation_mode": np.array([40, 40, 40])}}  # fmt: skip
        m = room_for_manoeuvre(car, bands, [1, 2, 3], {1: 0.1, 2: 0.3, 3: 0.6}, None,
                               residents=1000)  # fmt: skip
        return m.levers.drop(columns=["n"])

    one, other = published([12, 20, 6], [20, 12, 6]), published([20, 12, 6], [12, 20, 6])
    pd.testing.assert_frame_equal(one, other)
    assert one["suppressed"].tolist() == ["potential", "potential", "", ""]


def test_a_band_of_the_whole_under_the_threshold_hides_the_neighbourhood(car):
    bands = {1: {"transportation_mode": np.array([0, 8, 12])}}  # 8 by public transport
    m = room_for_manoeuvre(car, bands, [1], {1: 1.0}, None, residents=1000)
    q = m.levers.set_index("profile").loc["quartier"]
    assert q["suppressed"] == "potential"
    assert np.isnan(q["potential_t"]) and np.isnan(q["applies"]) and np.isnan(q["saving_kg"])


BAD_LEVERS = {  # hostile review of issue 16: each a clear error, never a crash
    "moves as a list": ("moves: {3: 2}", "moves: [3, 2]", "levers.car.moves"),
    "a label as a number": ('label: {fr: "Moins de voiture", en: "Less car use"}', "label: 5",
                            "levers.car.label"),
    "an action as a list": ('action: {fr: "une ligne de bus"}', "action: [x]", "levers.car.action"),
    "poor as a number": ('poor: ["0", "1a", "1b", "2"]', "poor: 5", "levers.car.constraint.poor"),
    "poor as a string": ('poor: ["0", "1a", "1b", "2"]', 'poor: "1a"', "levers.car.constraint.poor"),
    "a misspelt field": ("wish: want", "wishh: want", "levers.car.wishh"),
    "an unknown wish": ("wish: want_to_reduce_car_usage", "wish: want_to_fly", "levers.car.wish"),
    "a subject key with a path": ("subject: mobilite", 'subject: "../../evil x"',
                                  "levers.car.subject"),
    "a variable as a list": ("variable: transportation_mode", "variable: [transportation_mode]",
                             "levers.car.variable"),
    "an unknown NGC action": ("moves: {3: 2}", 'moves: {3: 2}\n    actions: ["transport . vélo"]',
                              "levers.car.actions"),
    "a subject title as a list": ('mobilite: {fr: "Se déplacer autrement", en: "Getting around"}',
                                  "mobilite: [a]", "subjects.mobilite"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_LEVERS))
def test_a_bad_levers_file_names_the_field(tmp_path, case):
    old, new, column = BAD_LEVERS[case]
    assert old in CAR
    path = tmp_path / "levers.yaml"
    path.write_text(CAR.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_levers(path)
    assert error.value.problems[0].column == column, str(error.value)


def test_a_levers_file_with_aliases_twice_a_key_or_no_lever(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text('a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a]\n'
                    "levers: {car: {usage: mobilite, actions: [*b, *b, *b]}}\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError) as error:
        read_levers(path)
    assert error.value.problems[0].row == 2 and "alias" in str(error.value)
    car = CAR.split("subjects:")[0].replace("levers:\n", "")
    path.write_text("levers:\n" + car + car, encoding="utf-8")
    with pytest.raises(InputError, match="given twice") as error:
        read_levers(path)
    assert error.value.problems[0].value == "car"
    path.write_text("levers: {}\n", encoding="utf-8")
    with pytest.raises(InputError, match="no levers"):
        read_levers(path)
    # what is said is said in French too
    path.write_text(CAR.replace("moves: {3: 2}", "moves: [3, 2]"), encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_levers(path)
    assert "table de codes de tranche" in translate("fr", error.value.problems[0].expected)


def test_keys_twice_case_aside_deep_nesting_and_moves_of_an_actions_lever(tmp_path):
    path = tmp_path / "levers.yaml"
    car = CAR.split("subjects:")[0].replace("levers:\n", "")
    path.write_text("levers:\n" + car + car.replace("  car:", "  CAR:"), encoding="utf-8")
    with pytest.raises(InputError, match="case aside"):
        read_levers(path)
    # a lever's own subject key against another's, case aside (one GeoPackage column)
    path.write_text("levers:\n" + car + car.replace("  car:", "  car2:").replace(
        "subject: mobilite", "subject: Mobilite"), encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError, match="case aside"):
        read_levers(path)
    path.write_text("levers: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="nested too deep|no levers"):
        read_levers(path)
    path.write_text(CAR.replace("moves: {3: 2}", "moves: {1: 3}\n    saving: actions\n"
                                "    actions: [\"transport . voiture . covoiturage\"]"), encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError) as error:
        read_levers(path)
    assert error.value.problems[0].column == "levers.car.moves"


def test_an_edited_levers_file_is_read_again(tmp_path):
    path = tmp_path / "levers.yaml"
    path.write_text(CAR, encoding="utf-8")
    assert read_levers(path).levers[0].text("label") == "Moins de voiture"
    path.write_text(CAR.replace("Moins de voiture", "Moins d'auto"), encoding="utf-8")
    assert read_levers(path).levers[0].text("label") == "Moins d'auto"


def test_the_command_line_says_a_bad_levers_file_without_a_traceback(tmp_path):
    path = tmp_path / "levers.yaml"
    path.write_text(CAR.replace("moves: {3: 2}", "moves: [3, 2]"), encoding="utf-8")
    done = cli_in_process("--lang", "en", "diagnostic", "summarize", "--su", DIAG / "Su Answer.json",
                          "--emdv", DIAG / "Way Of Life Answer.json", "--su-data", DIAG / "Su Data.json",
                          "--levers", path, "-o", tmp_path / "d.gpkg")  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "levers.car.moves" in done.stderr
    assert not any(p.name != "levers.yaml" for p in tmp_path.iterdir())


def test_a_team_adds_a_lever_without_code(tmp_path):
    """A facilitator's team adds "the train instead of the plane" in its own file."""
    path = tmp_path / "mine.yaml"
    levers_part = CAR.split("subjects:")[0]
    path.write_text(levers_part + """  train:
    label: {fr: "Le train plutôt que l'avion"}
    usage: avion
    variable: air_travel_frequency
    moves: {2: 1}
    subject: voyages
subjects:
  voyages: {fr: "Voyager autrement"}
""", encoding="utf-8")  # fmt: skip
    levers = read_levers(path)
    bands = {
        1: {
            "transportation_mode": np.array([0, 12, 18]),
            "air_travel_frequency": np.array([12, 18, 0]),
        }
    }
    m = room_for_manoeuvre(levers, bands, [1], {1: 1.0}, None, residents=1000)
    subjects = subjects_table(m)
    assert set(subjects["key"]) == {"mobilite", "voyages"}
    row = subjects.set_index("key").loc["voyages"]
    assert row["title"] == "Voyager autrement"
    v = BANDS["usages"]["avion"]["values"]
    assert row["potential_t"] == pytest.approx(
        0.6 * (v["2"]["estimate"] - v["1"]["estimate"]), abs=0.01
    )
    assert "pas de question d'envie" in row["note"] and "pas une prévision" in row["note"]


def test_subject_areas_sum_their_levers(car):
    bands = {1: {"transportation_mode": np.array([0, 12, 18])}}
    estimates = pd.DataFrame({"area_id": ["A"], "area_name": ["a"], "pop_15p": [500.0],
                              "want_to_reduce_car_usage__I_WISH_BUT_CANT": [0.3], "ptal_band": ["0"]})  # fmt: skip
    m = room_for_manoeuvre(car, bands, [1], {1: 1.0}, SimpleNamespace(wishes=wishes(EVEN), barriers=barriers()),
                           estimates=estimates, area_shares=np.array([[1.0]]))  # fmt: skip
    areas = subject_areas(m)
    assert areas.loc[0, "mobilite__potential_t"] == m.areas.loc[0, "car__potential_t"]
    assert areas.loc[0, "mobilite__structural"] == 1
    assert areas.loc[0, "mobilite__constraint"] == "PTAL 0"
    subjects = subjects_table(m, SimpleNamespace(barriers=barriers()))
    row = subjects.loc[0]
    assert row["areas"] == "a" and row["structural_areas"] == "a"
    assert row["barriers"] == "Accessibilité pratique 40 % ; Temps & Organisation 20 %"
    assert row["share_blocked"] == 0.25 and row["action"] == "une ligne de bus"


# -- the real diagnostic of Porte d'Orléans --------------------------------------------------


@pytest.mark.skipif(
    not (DIAG / "Su Answer.json").is_file(), reason="../shared/data/near-diag is missing"
)
def test_porte_d_orleans_potentials_per_lever_and_profile(tmp_path):
    population = json.loads((DIAG / "Quartiers.json").read_text("utf-8"))[0]["Population Sum"]
    out = tmp_path / "diag.gpkg"
    args = ["diagnostic", "summarize", "--su", str(DIAG / "Su Answer.json"),
            "--su-data", str(DIAG / "Su Data.json"), "--emdv", str(DIAG / "Way Of Life Answer.json"),
            "--residents", str(population), "--min-cell", "5", "-o", str(out), "--json"]  # fmt: skip
    done = cli_in_process(*args)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    levers = pd.DataFrame(result["manoeuvre"]["levers"])
    q = levers[levers["profile"] == "quartier"].set_index("lever")
    assert set(q.index) == {"car", "meat", "local_food", "second_hand", "air", "digital", "heating"}
    # every interval holds its estimate, in every profile (car in profile 1: nobody drives,
    # 0 t, its draws above 0: the low end is 0), the willingness parts too
    for name in ("potential", "planned", "blocked", "not_wanted"):
        shown = levers[levers[f"{name}_t"].notna()]
        assert len(shown) > 0, name
        assert (shown[f"{name}_low_t"] <= shown[f"{name}_t"]).all(), name
        assert (shown[f"{name}_t"] <= shown[f"{name}_high_t"]).all(), name
    assert (
        levers.loc[
            (levers["lever"] == "car") & (levers["profile"] == "1"), "potential_low_t"
        ].item()
        == 0
    )
    assert result["manoeuvre"]["residents"] == pytest.approx(population)
    # 400 SU respondents; profile 3 is the car profile: all of its 33 respondents drive
    car = levers[levers["lever"] == "car"].set_index("profile")
    assert car.loc["3", "n"] == 33 and car.loc["3", "applies"] == 1.0
    assert car.loc["quartier", "potential_t"] == pytest.approx(
        population * 8.25 / 100 * 1180.23 / 1000, rel=0.01
    )  # its population share × the saving
    # the wishes split the potential of the EMdV levers (threshold 5 here)
    for key in ("car", "meat", "second_hand", "local_food"):
        row = q.loc[key]
        if row["planned_t"] is not None and not pd.isna(row["planned_t"]):
            assert row["planned_t"] + row["blocked_t"] + row["not_wanted_t"] == pytest.approx(
                row["potential_t"], abs=0.05
            )
    subjects = pd.DataFrame(result["subjects"])
    assert list(subjects["rank"]) == list(range(1, 7))
    assert subjects["potential_t"].is_monotonic_decreasing
    assert set(subjects["key"]) == {
        "alimentation",
        "avion",
        "mobilite",
        "achats",
        "numerique",
        "chauffage",
    }
    # the published tables
    csv = pd.read_csv(out.with_name("diag_forum_subjects.csv"))
    assert csv["note"].str.contains("pas une prévision").all()


def test_every_action_of_the_built_in_levers_is_evaluated_on_the_bands():
    """The levers name NGC action rules the pinned engine evaluated on their variable's bands
    (su-bands-actions.json, held to the engine in test_footprint_actions.py); the finer
    figure is, per band, the first of them that applies."""
    data = json.loads((ROOT / "qet_geo/footprint/data/su-bands-actions.json").read_text("utf-8"))
    evaluated = {(e["variable"], rule) for e in data["levers"].values() for rule in e["actions"]}
    for lever in read_levers().levers:
        for rule in lever.actions:
            assert (lever.variable, rule) in evaluated, (lever.key, rule)
    table = savings_table(read_levers()).set_index(["lever", "band"])
    meat = data["levers"]["meat"]["actions"]
    assert (
        table.loc[("meat", 3), "ngc_action_kg"]
        == meat["alimentation . repas . réduire viande . max 1 par jour"]["values"]["3"]["estimate"]
    )
    # "one a day" does not apply to 5–9 meals: "two a week" does
    assert table.loc[("meat", 2), "ngc_action"].endswith("max 2 par semaine")
