"""The diagnostic in the whole job: ``[diagnostic]`` of ``qet-geo run`` links the EMdV and
NGC answers to the run's profiles, estimates each area from the area map's profile mix,
and sets the transit and shop indicators against the measured PTAL and proximity."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qet_geo.diagnostic.places import PlaceMeasures, distance_band, measured_columns, place_bands
from qet_geo.errors import InputError
from qet_geo.pipeline import load_config

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")  # fmt: skip
NEAR = SHARED / "data" / "near-diag"


def config_with(tmp_path: Path, diagnostic: str, edit=lambda text: text) -> Path:
    """The sample configuration (its files linked beside it) with ``diagnostic`` as its
    ``[diagnostic]`` section, the outputs in ``tmp_path/config/out``."""
    folder = tmp_path / "config"
    folder.mkdir(parents=True)
    for item in SAMPLE.iterdir():
        if item.name != "qet-geo.toml":
            (folder / item.name).symlink_to(item)
    text = (SAMPLE / "qet-geo.toml").read_text(encoding="utf-8")
    text = text.replace('output = "../out"', 'output = "out"')
    if "[diagnostic]" in text:  # the sample's own section, replaced
        head, rest = text.split("[diagnostic]", 1)
        text = head + "[outputs]" + rest.split("[outputs]", 1)[1]
    text = text.replace("[outputs]", diagnostic + "\n[outputs]", 1)
    config = folder / "qet-geo.toml"
    config.write_text(edit(text), encoding="utf-8")
    return config


def problems_of(config: Path) -> list:
    with pytest.raises(InputError) as caught:
        load_config(config)
    return caught.value.problems


# -- the configuration ---------------------------------------------------------------------


def test_a_diagnostic_section_without_answers_is_an_error(tmp_path):
    config = config_with(tmp_path, '[diagnostic]\nfood_service = "alimentation"\n')
    [problem] = problems_of(config)
    assert problem.column == "[diagnostic] emdv" and problem.reason == "missing"
    assert "ngc = FILE" in str(problem.expected)


def test_a_service_the_proximity_lacks_and_a_missing_file_are_errors(tmp_path):
    config = config_with(
        tmp_path, '[diagnostic]\nemdv = "pas_la.json"\nrepair_service = "ressourcerie"\n'
    )
    problems = {p.column: p for p in problems_of(config)}
    assert set(problems) == {"[diagnostic] emdv", "[diagnostic] repair_service"}
    assert problems["[diagnostic] repair_service"].value == "ressourcerie"
    assert "reparation" in str(problems["[diagnostic] repair_service"].expected)
    assert problems["[diagnostic] emdv"].row is not None  # the line of the key


# -- against the place ----------------------------------------------------------------------


def test_distance_bands():
    assert [distance_band(d) for d in (0, 299.9, 300, 500, 799, 800, 5000)] == [
        "< 300 m", "< 300 m", "300–500 m", "500–800 m", "500–800 m", "≥ 800 m", "≥ 800 m"]  # fmt: skip
    assert distance_band(float("nan")) is None


def test_a_band_is_the_population_weighted_mean_of_its_published_estimates():
    column = "easy_public_transports__NO"
    estimates = pd.DataFrame({"area_id": ["a", "b", "c", "d"], column: [0.2, 0.4, np.nan, 0.5],
                              "neighborhood_organic_market_satisfaction__NO": [0.1, 0.3, 0.2, 0.6]})  # fmt: skip
    weights = pd.Series({"a": 100.0, "b": 300.0, "c": 50.0, "d": 200.0})
    ptal = pd.DataFrame({"area_id": ["a", "b", "c", "d"], "band_of_mean": ["2", "2", "2", "1b"],
                         "ai_mean": [8.0, 9.0, 7.5, 3.0]})  # fmt: skip
    proximity = pd.DataFrame({"area_id": ["a", "b", "c", "d"],
                              "dist_alimentation_mean": [120.0, 450.0, 610.0, np.nan]})  # fmt: skip
    place = PlaceMeasures(ptal=ptal, proximity=proximity, food="alimentation")
    table = place_bands(estimates, weights, place)
    transit = table[table["indicator"] == "transit_dissatisfied"].set_index("band")
    assert list(transit.index) == ["1b", "2"]  # the bands in PTAL's order
    # band 2: a and b (c is hidden): (0.2·100 + 0.4·300) / 400
    assert transit.loc["2", "share"] == pytest.approx((0.2 * 100 + 0.4 * 300) / 400)
    assert (transit.loc["2", "areas"], transit.loc["2", "areas_used"]) == (3, 2)
    assert transit.loc["1b", "share"] == pytest.approx(0.5)
    food = table[table["indicator"] == "food_shops_dissatisfied"].set_index("band")
    assert food["share"].to_dict() == {"< 300 m": pytest.approx(0.1), "300–500 m": pytest.approx(0.3),
                                       "500–800 m": pytest.approx(0.2)}  # fmt: skip
    assert set(table["method"]) == {"estimation par profils"}
    assert "no_second_hand_shop_near" not in set(table["indicator"])  # no repair service given
    shown = measured_columns(estimates, place)
    assert list(shown["ptal_band"]) == ["2", "2", "2", "1b"]
    assert list(shown["dist_alimentation_band"][:3]) == ["< 300 m", "300–500 m", "500–800 m"]
    assert pd.isna(shown["dist_alimentation_band"][3])  # no distance measured: no band


# -- the whole job ----------------------------------------------------------------------------


def _table(path: Path, layer: str) -> pd.DataFrame:
    with sqlite3.connect(path) as db:
        return pd.read_sql(f'SELECT * FROM "{layer}"', db)


@pytest.mark.skipif(not NEAR.is_dir(), reason="the real diagnostic is not beside the repository")
def test_the_run_writes_the_diagnostic_against_its_own_profiles_and_place(tmp_path):
    emdv, ngc = NEAR / "Way Of Life Answer.json", NEAR / "Carbon Footprint Answer.json"
    config = config_with(tmp_path, f'[diagnostic]\nemdv = "{emdv}"\nngc = "{ngc}"\n'
                         'food_service = "alimentation"\nrepair_service = "reparation"\n',
                         lambda t: t.replace("bootstrap = 100", "bootstrap = 0")
                         .replace('poster = ["A3", "A0"]', "poster = false"))  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "qet_geo.cli", "--lang", "fr", "run", config],
                          cwd=ROOT, capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                               "OPENBLAS_NUM_THREADS": "1"})  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    out = config.parent / "out"
    assert "EMdV : 127 réponses importées, 0 rejetées" in done.stdout
    assert "NGC : 124 réponses importées, 0 rejetées" in done.stdout
    gpkg = out / "diagnostic.gpkg"
    for name in ("diagnostic.html", "diagnostic.private.gpkg", "diagnostic_place_bands.csv",
                 "diagnostic_area_estimates.csv"):  # fmt: skip
        assert (out / name).is_file(), name
    # the run's profiles: their SU counts and (weighted) shares as the area map publishes them
    mine = _table(gpkg, "profiles").set_index("profile")
    theirs = _table(out / "areas.gpkg", "profiles").set_index("profile")
    theirs.index = theirs.index.astype(str)
    assert list(mine.index) == list(theirs.index)
    assert (mine["n_su"].astype(int) == theirs["n"].astype(int)).all()
    assert mine["population_share"].to_numpy() == pytest.approx(
        (theirs["share"] / theirs["share"].sum()).to_numpy(), abs=1e-9)  # fmt: skip
    # each area beside its measured PTAL band and distance to food shops
    estimates = _table(gpkg, "area_estimates").set_index("area_id")
    ptal = _table(out / "ptal.gpkg", "ptal_areas").set_index("area_id")
    proximity = _table(out / "proximity.gpkg", "proximity_areas").set_index("area_id")
    assert len(estimates) == len(ptal) == 12
    assert (estimates["ptal_band"] == ptal.loc[estimates.index, "band_of_mean"]).all()
    metres = proximity.loc[estimates.index, "dist_alimentation_mean"].round(0)
    assert (estimates["dist_alimentation_m"] == metres).all()
    bands = _table(gpkg, "place_bands")
    transit = bands[bands["indicator"] == "transit_dissatisfied"]
    assert set(transit["band"]) == set(ptal["band_of_mean"])
    assert transit["areas"].sum() == 12
    # the private file is not one of the published outputs the manifest lists as such
    assert "diagnostic.private.gpkg" in done.stdout and "ne pas publier" in done.stdout
