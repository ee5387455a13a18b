"""Proximity to services and profiles set against the constraints of the place."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point, box

from qet_geo.areas import areas_from_frame
from qet_geo.cli import main
from qet_geo.constraints import compare, cramers_v, proximity, spearman
from qet_geo.constraints.compare import _tertiles
from qet_geo.transit import TransitAccess

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "sample_data"
X0, Y0 = 650000.0, 6860000.0


def square_areas():
    frame = pd.DataFrame({"code": ["A", "B"], "geometry": [box(X0, Y0, X0 + 200, Y0 + 200),
                                                          box(X0 + 1000, Y0, X0 + 1200, Y0 + 200)]})  # fmt: skip
    return areas_from_frame(frame, "zones", id_field="code", crs="EPSG:2154")


def test_proximity_by_hand():
    areas = square_areas()
    shops = np.array([[X0 + 100, Y0 + 100]])  # the centre of A
    result = proximity(
        areas, {"Commerces alimentaires": shops}, spacing=100, radius=500, within=(100, 1000)
    )
    table = result.areas.set_index("area_id")
    assert table.loc["A", "grid_points"] == 4  # at ±50 m from the centre
    assert table.loc["A", "dist_commerces_alimentaires_mean"] == pytest.approx(
        np.hypot(50, 50), abs=0.1
    )
    assert table.loc["A", "dist_commerces_alimentaires_centroid"] == 0
    assert table.loc["A", "count_commerces_alimentaires_500m"] == 1
    assert table.loc["B", "count_commerces_alimentaires_500m"] == 0
    assert table.loc["A", "share_commerces_alimentaires_100m"] == 1
    assert table.loc["B", "share_commerces_alimentaires_100m"] == 0
    # B's grid points are 850–1050 m… from the shop: x offsets 950/1050, y offsets ±50
    expected = np.mean([np.hypot(dx, 50) for dx in (950, 1050) for _ in (0, 1)])
    assert table.loc["B", "dist_commerces_alimentaires_mean"] == pytest.approx(expected, abs=0.1)
    assert table.loc["B", "share_commerces_alimentaires_1000m"] == 0.5
    empty = proximity(areas, {"marché": np.zeros((0, 2))})
    assert (
        empty.areas["count_march_500m"].eq(0).all() if "count_march_500m" in empty.areas else True
    )


def test_association_measures():
    # a perfect association: each class holds one profile
    assert cramers_v(np.array([[10, 0], [0, 10]])) == pytest.approx(1.0)
    assert cramers_v(np.array([[5, 5], [5, 5]])) == pytest.approx(0.0)
    # by hand: χ² of [[20, 10], [10, 20]] = 60 · (20·20 − 10·10)² / (30·30·30·30) = 6.667
    assert cramers_v(np.array([[20, 10], [10, 20]])) == pytest.approx(
        np.sqrt(6.6667 / 60), abs=1e-4
    )
    x = np.arange(10.0)
    assert spearman(x, x**3, np.ones(10)) == pytest.approx(1.0)
    assert spearman(x, -x, np.ones(10)) == pytest.approx(-1.0)
    from scipy.stats import spearmanr

    rng = np.random.default_rng(0)
    a, b = rng.random(50), rng.random(50)
    assert spearman(a, b, np.ones(50)) == pytest.approx(spearmanr(a, b).statistic)
    assert list(_tertiles(np.array([1, 2, 3, 4, 5, 6, np.nan]))) == [0, 0, 1, 1, 2, 2, -1]


def _transit(grid_rows, area_ai):
    areas = square_areas()
    grid = pd.DataFrame(grid_rows, columns=["x", "y", "ai"])
    table = areas.frame[["area_id", "area_name"]].assign(ai_mean=area_ai, geometry=areas.geometries)
    return areas, TransitAccess(grid, table, {"grid_spacing_m": 100.0}, "EPSG:2154")


def test_compare_classes_suppression_and_bivariate():
    # area A well served (AI 12, band 3), area B poorly (AI 1, band 1a)
    areas, transit = _transit([(X0 + 50, Y0 + 50, 12.0), (X0 + 1050, Y0 + 50, 1.0)], [12.0, 1.0])
    points, profile, mode, fp = [], [], [], []
    for i in range(36):  # in A: 25 of profile 1 (transit), 11 of profile 2 (car)
        points.append(Point(X0 + 50, Y0 + 50))
        profile.append(1 if i < 25 else 2)
    for i in range(30):  # in B: 12 of profile 1, 18 of profile 2
        points.append(Point(X0 + 1050, Y0 + 50))
        profile.append(1 if i < 12 else 2)
    for p in profile:
        mode.append(2 if p == 1 else 3)
        fp.append(500.0 if p == 1 else 2000.0)
    respondents = pd.DataFrame({"geometry": points, "transportation_mode": mode, "fp_mobilite": fp,
                                "satisfaction_transit": ["YES" if i < 36 else "NO" for i in range(66)]})  # fmt: skip
    respondents.attrs["crs"] = "EPSG:2154"
    from qet_geo.areas import join_respondents

    area_of = join_respondents(respondents, areas).area
    result = compare(respondents, areas, transit, profile=np.array(profile, float),
                     profile_names={1: "Transports en commun", 2: "Voiture"}, area_of=area_of,
                     satisfaction_column="satisfaction_transit", n_boot=50)  # fmt: skip
    classes = result.classes[result.classes["constraint"] == "ptal_band"].set_index("class")
    assert classes.loc["3", "n"] == 36 and classes.loc["3", "share_1"] == pytest.approx(
        25 / 36, abs=1e-4
    )
    assert classes.loc["1a", "share_2"] == pytest.approx(18 / 30, abs=1e-4)
    assert classes.loc["1a", "fp_mobilite"] == pytest.approx((12 * 500 + 18 * 2000) / 30)
    s = result.summary
    assert s.bivariate_profile == 2  # the most car-turned profile
    assert s.spearman_mobility_ai < 0 and s.cramers_v_profiles_ptal > 0
    lo, hi = s.cramers_v_95
    assert lo <= s.cramers_v_profiles_ptal <= hi
    bivariate = result.areas.set_index("area_id")["bivariate_class"]
    assert bivariate["A"][1] == "3" or bivariate["A"] in {"A3", "B3", "C3", "A2", "B2", "C2"}
    assert bivariate["B"][0] in "BC" and bivariate["A"] != bivariate["B"]
    sat = result.satisfaction.set_index("ptal_band")
    assert list(sat.index) == ["1a", "3"] and list(sat["n"]) == [30, 36]
    # every "no" is in band 1a and every "yes" in band 3: the zero cells are under 11, and
    # any one published share would give the others away, so all are hidden
    assert sat[["share_no", "share_dont_know", "share_yes"]].isna().all().all()
    # a stricter threshold: the 11 car users of band 3 are hidden, and so are the cells that
    # would give them away by subtraction (their line and their column)
    strict = compare(respondents, areas, transit, profile=np.array(profile, float),
                     profile_names={1: "a", 2: "b"}, area_of=area_of, min_cell=12, n_boot=0)  # fmt: skip
    table = strict.classes[strict.classes["constraint"] == "ptal_band"].set_index("class")
    assert pd.isna(table.loc["3", "share_2"]) and pd.isna(table.loc["3", "share_1"])
    assert pd.isna(table.loc["1a", "share_2"])


def test_compare_and_proximity_on_the_sample(tmp_path, capsys):
    labelled = tmp_path / "labelled.gpkg"
    model = tmp_path / "model.json"
    assert main(["profiles", "detect", str(SAMPLE / "survey_su.tsv"), "--bootstrap", "0", "-o", str(model),
                 "--labelled", str(labelled)]) == 0  # fmt: skip
    capsys.readouterr()
    out = tmp_path / "compare.gpkg"
    code = main(["compare", "--respondents", str(labelled), "--areas", str(SAMPLE / "quartier.gpkg"),
                 "--areas-layer", "iris", "--gtfs", str(SAMPLE / "gtfs"), "--model", str(model),
                 "--service", f"alimentation={SAMPLE / 'quartier.gpkg'}:commerces_alimentaires",
                 "--bootstrap", "50", "--date", "2026-03-10", "-o", str(out), "--json"])  # fmt: skip
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["with_access"] == 593 and summary["compared"] == 593
    assert (
        -1 <= summary["spearman_mobility_ai"] <= 1 and 0 <= summary["cramers_v_profiles_ptal"] <= 1
    )
    constraints = {row["constraint"] for row in summary["classes"]}
    assert constraints == {"ptal_band", "distance_alimentation"}
    areas = pyogrio.read_dataframe(out, layer="compare_areas")
    assert set(areas["bivariate_class"].dropna()) <= {f"{a}{b}" for a in "ABC" for b in "123"}
    assert (
        areas.loc[areas["area_id"].isin(["991230203", "991230304"]), "bivariate_class"].isna().all()
    )
    assert "respondent_id" not in pyogrio.read_info(out, layer="compare_classes")["fields"]
    prox = tmp_path / "prox.gpkg"
    assert main(["constraints", "proximity", "--areas", str(SAMPLE / "quartier.gpkg"), "--areas-layer", "iris",
                 "--service", f"marches={SAMPLE / 'quartier.gpkg'}:marches", "-o", str(prox), "--json"]) == 0  # fmt: skip
    table = json.loads(capsys.readouterr().out)["areas_table"]
    assert len(table) == 12 and all(row["dist_marches_mean"] >= 0 for row in table)


def test_population_weighted_centroid():
    areas = square_areas()
    shops = np.array([[X0 + 100, Y0 + 100]])
    # everyone in A lives in its south-west corner, 10 m from the corner
    population = (np.array([[X0 + 10, Y0 + 10]]), np.array([50.0]))
    result = proximity(areas, {"shop": shops}, population=population).areas.set_index("area_id")
    assert result.loc["A", "centroid"] == "population-weighted"
    assert result.loc["A", "dist_shop_centroid"] == pytest.approx(np.hypot(90, 90), abs=0.1)
    assert result.loc["B", "centroid"] == "geometric"  # nobody counted there


def test_the_bootstrap_on_groups_of_alike_respondents_is_the_bootstrap_of_their_rows():
    """A resample drawn as counts of alike respondents (``_Atoms``) gives the Spearman ρ and
    the contingency table of the resample's rows."""
    from qet_geo.constraints.compare import _Atoms, _contingency, spearman

    rng = np.random.default_rng(5)
    n = 3000
    fp = rng.choice([150.0, 900.0, 2400.0, 4100.0], n)  # band footprints: ties
    ai = np.round(rng.gamma(2.0, 3.0, n), 3)  # AI of grid points: some alike
    w = rng.choice([0.7, 1.0, 1.6], n)
    labels, cls = rng.integers(0, 3, n), rng.integers(0, 9, n)
    ranks = _Atoms.of(fp, ai, w)
    table = _Atoms.of(labels, cls, w)
    assert len(ranks.m) < n and ranks.m.sum() == n and table.m.sum() == n
    key_r = {
        (a, b, c): i for i, (a, b, c) in enumerate(zip(ranks.a, ranks.b, ranks.w, strict=True))
    }
    key_t = {
        (a, b, c): i for i, (a, b, c) in enumerate(zip(table.a, table.b, table.w, strict=True))
    }
    for _ in range(5):
        draw = rng.integers(0, n, n)
        count = np.bincount([key_r[(fp[i], ai[i], w[i])] for i in draw], minlength=len(ranks.m))
        assert ranks.spearman(count) == pytest.approx(
            spearman(fp[draw], ai[draw], w[draw]), abs=1e-12
        )
        count = np.bincount(
            [key_t[(labels[i], cls[i], w[i])] for i in draw], minlength=len(table.m)
        )
        np.testing.assert_allclose(
            _contingency(table.a, table.b, table.w * count, 3, 9),
            _contingency(labels[draw], cls[draw], w[draw], 3, 9),
            atol=1e-9,
        )
