"""Footprints of SU answers: each band read from the engine's values, per respondent."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from unit_helpers import SURVEY_0

from qet_geo.errors import InputError
from qet_geo.footprint.su import USAGES, band_values, model_version, su_footprints
from qet_geo.survey import import_survey

SU = [
    "meat_frequency",
    "air_travel_frequency",
    "transportation_mode",
    "purchasing_strategy",
    "digital_intensity",
    "heat_source",
]


def _respondents(rows):
    frame = pd.DataFrame(rows, columns=SU).astype("Int8")
    frame.insert(0, "respondent_id", [str(i + 1) for i in range(len(frame))])
    return frame


def test_band_2_of_meat_is_the_ngc_default_diet():
    """Band 2 (5–9 meat meals a week) stands for NGC's default diet: 2045.85 kg."""
    footprints = su_footprints(_respondents([[2, 1, 1, 1, 1, 1]]))
    assert footprints.loc[0, "fp_alimentation"] == pytest.approx(2045.85, abs=0.01)
    assert footprints.loc[0, "fp_avion"] == 0  # no flight at all


def test_each_column_is_its_band_and_the_total_their_sum():
    values = band_values()["usages"]
    rows = [[1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2], [3, 3, 3, 3, 3, 3], [3, 1, 2, 1, 3, 2]]
    footprints = su_footprints(_respondents(rows))
    for i, row in enumerate(rows):
        codes = dict(zip(SU, row, strict=True))
        for usage in [*USAGES, "chauffage"]:
            band = values[usage]["values"][str(codes[values[usage]["variable"]])]
            for level, suffix in (("estimate", ""), ("low", "_low"), ("high", "_high")):
                assert footprints.loc[i, f"fp_{usage}{suffix}"] == band[level]
        assert footprints.loc[i, "fp_total"] == pytest.approx(
            sum(footprints.loc[i, f"fp_{u}"] for u in USAGES)
        )
        assert (
            footprints.loc[i, "fp_total_low"]
            <= footprints.loc[i, "fp_total"]
            <= footprints.loc[i, "fp_total_high"]
        )
    # more meat, more flights, more car, more new things, more screens: more kgCO2e
    for usage in USAGES:
        assert list(footprints[f"fp_{usage}"][:3]) == sorted(footprints[f"fp_{usage}"][:3])


def test_heating_is_outside_the_total():
    footprints = su_footprints(_respondents([[2, 2, 2, 2, 2, 3]]))
    assert footprints.loc[0, "fp_chauffage"] > 1000  # fuel oil
    assert footprints.loc[0, "fp_total"] == pytest.approx(
        sum(footprints.loc[0, f"fp_{u}"] for u in USAGES)
    )
    without = su_footprints(_respondents([[2, 2, 2, 2, 2, 3]]).drop(columns="heat_source"))
    assert "fp_chauffage" not in without


def test_missing_answer_gives_nan_not_zero():
    respondents = _respondents([[2, 2, 2, 2, 2, 2]])
    respondents.loc[0, "air_travel_frequency"] = pd.NA
    footprints = su_footprints(respondents)
    assert np.isnan(footprints.loc[0, "fp_avion"]) and np.isnan(footprints.loc[0, "fp_total"])
    assert footprints.loc[0, "fp_alimentation"] > 0


def test_input_is_not_changed_and_bad_codes_are_named():
    respondents = _respondents([[2, 2, 2, 2, 2, 2], [2, 4, 2, 2, 2, 2]])
    before = respondents.copy()
    with pytest.raises(
        InputError,
        match=r"row 2, column 'air_travel_frequency': value '4': "
        r"unknown SU answer code; expected 1, 2 or 3",
    ):
        su_footprints(respondents)
    pd.testing.assert_frame_equal(respondents, before)
    with pytest.raises(InputError, match="missing column for the footprint of alimentation"):
        su_footprints(respondents.drop(columns="meat_frequency"))


def test_whole_real_export():
    respondents = import_survey(SURVEY_0).respondents
    footprints = su_footprints(respondents)
    assert len(footprints) == 313 and footprints["fp_total"].notna().all()
    assert model_version() == "@incubateur-ademe/nosgestesclimat@4.10.2"


def test_cli_footprint_json(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "qet_geo.cli",
            "footprint",
            str(SURVEY_0),
            "--json",
            "-o",
            str(tmp_path / "fp.gpkg"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QET_GEO_LANG": "en"},
    )
    assert run.returncode == 0, run.stderr
    items = json.loads(run.stdout)
    assert len(items) == 313 and items[0]["name"] == "4"
    assert set(items[0]["usages"]) == set(USAGES)
    assert items[0]["total"] == pytest.approx(sum(items[0]["usages"].values()), abs=0.05)
    import geopandas as gpd

    assert "fp_total_high" in gpd.read_file(tmp_path / "fp.gpkg").columns


def test_one_mapping_of_usages_to_ngc_rules():
    """The band values, the engine runner and the library sum the same NGC rules."""
    from unit_helpers import ROOT

    from qet_geo.footprint.usages import USAGE_RULES

    bands = band_values()["usages"]
    assert {u: bands[u]["rules"] for u in USAGES} == USAGE_RULES
    runner = (ROOT / "tools" / "ngc" / "run_engine.mjs").read_text(encoding="utf-8")
    for rules in USAGE_RULES.values():
        for rule in rules:
            assert f"'{rule}'" in runner


def test_the_stored_ngc_average_is_the_model_with_no_answer():
    from qet_geo.footprint.publicodes import evaluate, load_model
    from qet_geo.footprint.su import ngc_average
    from qet_geo.footprint.usages import USAGE_RULES, USAGES

    rules = [r for u in USAGES for r in USAGE_RULES[u]]
    values = evaluate(load_model(), [{}], rules=rules).iloc[0]
    stored = ngc_average()
    for usage in USAGES:
        assert stored[usage] == pytest.approx(sum(values[r] for r in USAGE_RULES[usage]), abs=1e-3)
    assert stored["total"] == pytest.approx(sum(stored[u] for u in USAGES))
