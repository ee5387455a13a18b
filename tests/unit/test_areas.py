"""Neighbourhood maps: areas, join, intervals, representativeness, raking, disclosure."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from qet_geo.areas import (
    RakingError,
    areas_from_frame,
    map_areas,
    rake,
    read_areas,
    read_census,
    stats,
    write_area_map,
)
from qet_geo.areas.disclosure import recoverable, suppress
from qet_geo.areas.join import join_respondents
from qet_geo.cli import main
from qet_geo.errors import InputError

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "sample_data"
SU = ("meat_frequency", "transportation_mode", "digital_intensity", "purchasing_strategy",
      "air_travel_frequency", "heat_source")  # fmt: skip


def squares(crs="EPSG:2154", ids=("B", "A", "C", "D")):
    """Four 100 m squares around (1000, 1000): B bottom-left, A bottom-right, C top-left,
    D top-right (ids not in geometric order, to test the boundary rule)."""
    cells = [box(900, 900, 1000, 1000), box(1000, 900, 1100, 1000),
             box(900, 1000, 1000, 1100), box(1000, 1000, 1100, 1100)]  # fmt: skip
    return gpd.GeoDataFrame({"code": list(ids), "nom": [f"zone {i}" for i in ids]},
                            geometry=cells, crs=crs)  # fmt: skip


def people(points, crs="EPSG:2154", profiles=None, **columns):
    n = len(points)
    frame = gpd.GeoDataFrame(
        {
            "respondent_id": [f"R{i:05d}" for i in range(n)],
            "source_row": np.arange(2, n + 2),
            **{v: 2 for v in SU},
            "profile": profiles if profiles is not None else [1] * n,
            **columns,
        },
        geometry=[Point(xy) if xy is not None else None for xy in points],
        crs=crs,
    )
    return frame


# ------------------------------------------------------------------ statistics
def test_wilson_goodman_kish_and_sample_sizes():
    low, high = stats.wilson(np.array([0.5]), np.array([100]))
    assert (low[0], high[0]) == pytest.approx((0.4038, 0.5962), abs=1e-4)  # textbook value
    low, high = stats.wilson(np.array([0.0]), np.array([10]))
    assert low[0] == 0 and high[0] == pytest.approx(0.2775, abs=1e-4)
    # Goodman (1965) for counts 50/30/20 of 100, α = 0.05, three categories, by hand:
    # A = χ²(1 − 0.05/3; 1) = 2.3940² = 5.7311; p = 0.5: √(A(A + 4·100·0.25)) = 24.616,
    # low = (A + 100 − 24.616) / (2(100 + A)) = 0.3836, high = (A + 100 + 24.616) / … = 0.6164
    glow, ghigh = stats.goodman(np.array([[0.5, 0.3, 0.2]]), np.array([100]))
    assert glow[0] == pytest.approx([0.3836, 0.2036, 0.1217], abs=2e-4)
    assert ghigh[0] == pytest.approx([0.6164, 0.4181, 0.3108], abs=2e-4)
    wlow, whigh = stats.wilson(np.array([0.5, 0.3, 0.2]), np.array([100]))
    assert (glow[0] < wlow).all() and (ghigh[0] > whigh).all()  # simultaneous: wider
    assert stats.kish(np.array([4.0]), np.array([4.0]))[0] == 4  # four weights of 1
    assert stats.kish(np.array([5.0]), np.array([17.0]))[0] == pytest.approx(25 / 17)  # 1 and 4
    # NEAR's target size: N = 1000, e = 5 % -> 278; the margin of error uses p = 0.5 and the
    # finite population correction
    assert stats.target_size(np.array([1000]), 0.05)[0] == 278
    assert stats.margin_of_error(np.array([400]), np.array([1e9]))[0] == pytest.approx(
        0.049, abs=1e-3
    )
    assert stats.margin_of_error(np.array([278]), np.array([1000]))[0] == pytest.approx(
        0.05, abs=1e-3
    )


# ------------------------------------------------------------------ areas
def test_areas_fields_duplicates_and_repair():
    frame = squares()
    areas = areas_from_frame(frame, "zones.gpkg", id_field="code", name_field="nom")
    assert list(areas.frame["area_id"]) == ["B", "A", "C", "D"]
    with pytest.raises(InputError) as error:
        areas_from_frame(squares(ids=("A", "A", "C", "D")), "zones.gpkg", id_field="code")
    assert [p.row for p in error.value.problems] == [1, 2]
    assert error.value.problems[0].reason == "duplicate area id"
    bowtie = frame.copy()
    bowtie.loc[0, "geometry"] = Polygon([(900, 900), (1000, 1000), (1000, 900), (900, 1000)])
    repaired = areas_from_frame(bowtie, "zones.gpkg", id_field="code")
    [warning] = repaired.warnings
    assert warning.value == "B" and "repaired" in warning.reason
    assert shapely.is_valid(repaired.geometries).all()
    with pytest.raises(InputError, match="no id field of that name"):
        areas_from_frame(frame, "zones.gpkg", id_field="nope")


def test_neighbourhood_as_a_set_of_codes():
    areas = areas_from_frame(
        squares(), "z", id_field="code", groups={"Sud": ["A", "B"], "Nord": ["C", "D"]}
    )
    assert list(areas.frame["area_id"]) == ["Sud", "Nord"]
    assert shapely.area(areas.geometries).tolist() == [20000, 20000]
    by_code = pd.DataFrame({"area_code": ["A", "C", "B", "Z"], **{v: [2] * 4 for v in SU}})
    joined = join_respondents(by_code, areas, code_column="area_code")
    assert joined.area.tolist() == [0, 1, 0, -1] and joined.unknown_codes == {"Z": 1}
    with pytest.raises(InputError, match="unknown area id"):
        areas_from_frame(squares(), "z", id_field="code", groups={"X": ["A", "Q"]})


# ------------------------------------------------------------------ join
def test_points_on_boundaries_go_to_the_first_id():
    areas = areas_from_frame(squares(), "z", id_field="code")
    pts = [(950, 950), (1000, 950), (1000, 1000), (950, 1000), (1050, 1050), (5000, 5000), None]
    joined = join_respondents(people(pts), areas)
    ids = [areas.frame["area_id"][i] if i >= 0 else None for i in joined.area]
    # inside B; edge B|A -> A; corner of all four -> A; edge B|C -> B; inside D; outside; none
    assert ids == ["B", "A", "A", "B", "D", None, None]
    assert joined.on_boundary == 3
    assert joined.outside_rows == [7] and joined.unlocated_rows == [8]


def test_crs_mismatch_is_reprojected_and_missing_crs_refused():
    areas = areas_from_frame(squares(crs="EPSG:2154"), "z", id_field="code")
    lambert = gpd.GeoSeries([Point(950, 950), Point(1050, 1050)], crs="EPSG:2154")
    wgs84 = lambert.to_crs("EPSG:4326")
    frame = people([(p.x, p.y) for p in wgs84], crs="EPSG:4326")
    joined = join_respondents(frame, areas)
    assert [areas.frame["area_id"][i] for i in joined.area] == ["B", "D"]
    assert joined.reprojected.startswith("EPSG:4326")
    with pytest.raises(InputError, match="no coordinate reference system"):
        join_respondents(frame.set_crs(None, allow_override=True), areas)
    # a plain DataFrame with shapely points and its CRS in attrs (as inside QGIS)
    plain = pd.DataFrame({"geometry": list(lambert)})
    plain.attrs["crs"] = "EPSG:2154"
    assert join_respondents(plain, areas).area.tolist() == [0, 3]


# ------------------------------------------------------------------ disclosure
def test_a_cell_of_10_next_to_one_of_11():
    counts = np.array([[10, 11, 30], [20, 25, 30], [15, 12, 40]])
    pattern = suppress(counts, 11)
    assert pattern.cell[0, 0] and not pattern.cell[0, 2]
    assert pattern.cell_reason[0, 0] == "cell under 11 respondents"
    # the row and the column of the 10 each get a second hidden cell
    assert pattern.cell[0].sum() >= 2 and pattern.cell[:, 0].sum() >= 2
    assert recoverable(counts, pattern) == []
    assert not pattern.cell[:, 2].any() or pattern.cell[:, 2].sum() >= 2


@pytest.mark.parametrize(
    "counts",
    [
        [[5, 40, 40], [30, 30, 30], [30, 30, 30]],  # one small cell
        [[50, 50], [50, 50], [3, 4], [50, 50]],  # one small area
        [[0, 20, 20], [20, 0, 20], [20, 20, 0]],  # a diagonal of zeros
        [[11, 11], [10, 12]],
        [[100]],
    ],
)
def test_complementary_suppression_leaves_nothing_to_subtract(counts):
    counts = np.array(counts)
    pattern = suppress(counts, 11)
    assert recoverable(counts, pattern) == []
    assert (pattern.cell[counts < 11]).all()  # every small cell hidden


def test_one_small_area_hides_a_second_one():
    pattern = suppress(np.array([[50, 50], [50, 50], [3, 4], [30, 30]]), 11)
    assert pattern.area.tolist() == [False, False, True, True]
    assert pattern.area_reason[3] == "complementary suppression (area)"


# ------------------------------------------------------------------ raking
def test_raking_reaches_given_margins_and_says_when_it_cannot():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {"age_class": rng.choice(["15-29", "30-44", "45-59"], 300, p=[0.6, 0.3, 0.1]),
         "gender": rng.choice(["femme", "homme", "autre"], 300, p=[0.7, 0.28, 0.02])}
    )  # fmt: skip
    targets = {"age_class": {"15-29": 300, "30-44": 400, "45-59": 300},
               "gender": {"femme": 520, "homme": 480}}  # fmt: skip
    result = rake(frame, targets)
    assert result.converged and result.weights.mean() == pytest.approx(1)
    for variable, target in targets.items():
        known = frame[variable].isin(list(target))
        for category, value in target.items():
            share = (
                result.weights[(frame[variable] == category).to_numpy()].sum()
                / result.weights[known.to_numpy()].sum()
            )
            assert share == pytest.approx(value / sum(target.values()), abs=1e-4)
    with pytest.raises(RakingError, match="75\\+.*no respondent in that category"):
        rake(frame, {"age_class": {"15-29": 1, "30-44": 1, "45-59": 1, "75+": 1}})
    with pytest.raises(RakingError, match="did not converge"):
        rake(frame, targets, cap=1.05, max_iter=50)


# ------------------------------------------------------------------ the whole map
def _map_case(min_cell=11, **kwargs):
    areas = areas_from_frame(squares(), "z", id_field="code", name_field="nom")
    rng = np.random.default_rng(3)
    points, profiles = [], []
    # B: 40 answers (profile 1: 25, 2: 10, 3: 5); A: 30 (all profile 1); C: 10 (2: 4,
    # 3: 6); D: none. Every profile has at least 11 answers in the study (55, 14, 11): none
    # is grouped for publication
    for count, (x0, y0), mix in ((40, (900, 900), [1] * 25 + [2] * 10 + [3] * 5),
                                 (30, (1000, 900), [1] * 30),
                                 (10, (900, 1000), [2] * 4 + [3] * 6)):  # fmt: skip
        for i in range(count):
            points.append((x0 + 5 + rng.random() * 90, y0 + 5 + rng.random() * 90))
            profiles.append(mix[i])
    frame = people(points, profiles=profiles, profile_name=[f"P{p}" for p in profiles])
    frame["fp_total"] = 4000.0 + 1000 * (np.array(profiles) == 2)
    for usage in ("alimentation", "avion", "mobilite", "achats", "numerique"):
        frame[f"fp_{usage}"] = frame["fp_total"] / 5
    return map_areas(frame, areas, min_cell=min_cell, **kwargs), frame


def test_area_indicators_by_hand():
    result, frame = _map_case()
    ind = result.indicators.set_index("area_id")
    assert ind.loc["B", "n"] == 40 and ind.loc["A", "n"] == 30
    assert pd.isna(ind.loc["B", "share_1"])  # see below
    assert bool(ind.loc["C", "suppressed"]) and pd.isna(ind.loc["C", "n"])  # 10 answers
    assert bool(ind.loc["D", "suppressed"])  # no answer
    # one published reason for every hidden value (it does not say which are under 11)
    assert ind.loc["D", "suppression"] == "suppressed (threshold 11 respondents)"
    assert ind.loc["C", "suppression"] == ind.loc["D", "suppression"]
    # B: profile 3 has 5 (hidden) so a second cell of B is hidden; A: 2 and 3 are 0: A's
    # share of profile 1 (30 of 30) would tell they are 0, so the audit hides it too, and
    # C and D's 10 answers need B's profile 1 hidden for their cells to stay uncertain
    assert pd.isna(ind.loc["B", "share_3"]) and pd.isna(ind.loc["B", "share_2"])
    assert pd.isna(ind.loc["A", "share_1"]) and pd.isna(ind.loc["A", "index_1"])
    assert ind.loc["A", "dominant_profile"] == 1 and ind.loc["A", "dominant_name"] == "P1"
    assert result.pattern is not None and result.pattern.unprotected == []
    # footprints: A all 4000 (no spread: interval of zero width), B mean 4250
    assert ind.loc["A", "fp_total"] == 4000 and ind.loc["B", "fp_total"] == pytest.approx(4250)
    assert ind.loc["B", "fp_total_low"] < 4250 < ind.loc["B", "fp_total_high"]
    assert result.summary.areas_suppressed == 2 and result.summary.n == 80
    assert result.summary.ngc_average["total"] > 0
    assert "fp_total_vs_ngc_pct" in ind


def test_small_threshold_needs_the_override_which_is_recorded():
    with pytest.raises(ValueError, match="override"):
        _map_case(min_cell=2)
    result, _ = _map_case(min_cell=2, allow_below_3=True)
    assert result.summary.below_3_override is True and result.summary.min_cell == 2
    ind = result.indicators.set_index("area_id")
    # C (10 answers) passes the threshold of 2, but D (none) is then the only area hidden:
    # its count would be the study total minus the others, so C is hidden with it
    assert bool(ind.loc["C", "suppressed"]) and pd.isna(ind.loc["C", "n"])
    assert result.pattern.area_reason[2] == "complementary suppression (area)"  # private


def test_outputs_carry_aggregates_only_and_open_styled(tmp_path):
    result, frame = _map_case()
    written = write_area_map(result, tmp_path / "map.gpkg")
    assert [p.name for p in written] == ["map.gpkg", "map_areas.csv", "map_profiles.csv"]
    layers = {str(row[0]) for row in pyogrio.list_layers(written[0])}
    assert {"area_indicators", "study_summary", "profiles", "layer_styles"} <= layers
    forbidden = {"respondent_id", "source_row", "longitude", "latitude", "weight", *SU}
    for layer in layers - {"layer_styles"}:
        columns = set(pyogrio.read_info(written[0], layer=layer)["fields"])
        assert not columns & forbidden, layer
    table = pyogrio.read_dataframe(written[0], layer="area_indicators")
    assert table.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    values = " ".join(map(str, pyogrio.read_dataframe(written[0], layer="study_summary")["value"]))
    assert not any(rid in values.split() for rid in frame["respondent_id"])
    with sqlite3.connect(written[0]) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200  # GeoPackage 1.2
        styles = db.execute("SELECT styleName, useAsDefault, styleQML FROM layer_styles").fetchall()
    assert [(s[0], s[1]) for s in styles] == [("Profil dominant", 1), ("Empreinte totale", 0)]
    assert (
        "masqué (secret statistique, seuil 11 réponses)" in styles[0][2]
        and "b_diagonal" in styles[0][2]
    )


def test_sample_data_end_to_end_by_the_command_line(tmp_path, capsys):
    labelled = tmp_path / "labelled.gpkg"
    model = tmp_path / "model.json"
    assert main(["profiles", "detect", str(SAMPLE / "survey_su.tsv"), "--bootstrap", "0",
                 "-o", str(model), "--labelled", str(labelled)]) == 0  # fmt: skip
    capsys.readouterr()
    out = tmp_path / "map.gpkg"
    code = main(["areas", "map", "--respondents", str(labelled), "--areas",
                 str(SAMPLE / "quartier.gpkg"), "--areas-layer", "iris", "--model", str(model),
                 "--census", str(SAMPLE / "base-ic-evol-struct-pop-quartier.csv"),
                 "--weights", "raking", "-o", str(out), "--json"])  # fmt: skip
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["joined"] == 593 and summary["areas"] == 12
    assert summary["raking"]["converged"] and summary["raking"]["max_gap_points"] < 0.01
    assert summary["areas_suppressed"] >= 2  # the two small IRIS of the sample
    assert summary["target_n_5pct"] == 377 and 0 < summary["margin_of_error"] < 0.1
    table = pyogrio.read_dataframe(out, layer="area_indicators")
    small = table.set_index("area_id").loc[["991230203", "991230304"]]
    assert small["suppressed"].all() and small["n"].isna().all()
    rep = pyogrio.read_dataframe(out, layer="representativeness")
    study = rep[rep["scope"] == "study"]
    assert study["weighted_gap_points"].abs().max() < 0.05  # raked to the census
    assert study["gap_points"].abs().max() > 1  # the raw sample is not
    assert "respondent_id" not in rep.columns


def test_census_errors_name_row_and_column(tmp_path):
    text = (SAMPLE / "base-ic-evol-struct-pop-quartier.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    header = lines[0].split(";")
    cells = lines[2].split(";")
    cells[header.index("C21_H15P")] = "beaucoup"
    lines[2] = ";".join(cells)
    bad = tmp_path / "census.csv"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_census(bad)
    problem = error.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (3, "C21_H15P", "beaucoup")
    census = read_census(SAMPLE / "base-ic-evol-struct-pop-quartier.csv")
    assert census.year == "2021" and set(census.variables) == {"age_class", "gender", "pcs"}


def test_read_areas_from_the_sample(tmp_path):
    areas = read_areas(SAMPLE / "quartier.gpkg", layer="iris")
    assert (
        areas.id_field == "code_iris" and areas.name_field == "nom_iris" and len(areas.frame) == 12
    )
    with pytest.raises(InputError, match="several layers"):
        read_areas(SAMPLE / "quartier.gpkg")
