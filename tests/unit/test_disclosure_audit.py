"""Disclosure control audited over every published table by area (docs/privacy.md).

The audit (:func:`qet_geo.areas.disclosure.audit`) takes what a reader of the outputs
knows as a linear system over the hidden values and, by linear programming, the interval
each hidden value can take. Here the published numbers are read back from the written
files (areas.gpkg with its study summary, compare.gpkg, the web map's embedded data, the
command line's summary lines) and the true counts are recomputed from the private
respondents: every number a file publishes must be one the study's pattern allows, and
no hidden value may be pinned down by all of them together.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from qet_geo.areas import areas_from_frame, join_respondents, map_areas, read_areas
from qet_geo.areas.disclosure import (
    Published,
    add_table,
    area_counts,
    area_pattern,
    audit,
    protect,
    suppress,
)
from qet_geo.areas.output import write_area_map
from qet_geo.constraints import compare
from qet_geo.constraints.output import write_layers
from qet_geo.transit import TransitAccess

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "sample_data"


# ------------------------------------------------------------------ reading back
def _layer(path, layer):
    return pd.DataFrame(gpd.read_file(path, layer=layer, engine="pyogrio")).drop(
        columns="geometry", errors="ignore"
    )


def published_area_cells(areas_gpkg, k, compare_gpkg=None, webmap=None):
    """(rows published, cells published) of the areas × profiles table, from every file
    that prints an area's n or a profile's share (or a number computed from it)."""
    ind = _layer(areas_gpkg, "area_indicators")
    ids = ind["area_id"].astype(str).tolist()
    row = ind["n"].notna().to_numpy().copy()
    cell = np.column_stack(
        [ind[f"share_{j}"].notna() | ind[f"index_{j}"].notna() for j in range(1, k + 1)]
    )
    if compare_gpkg is not None:
        comp = _layer(compare_gpkg, "compare_areas").set_index("area_id").loc[ids]
        row |= comp["n"].notna().to_numpy()
        for column in comp.columns:
            if column.startswith("share_profile_"):
                j = int(column.rsplit("_", 1)[1]) - 1
                known = comp[column].notna() | comp["bivariate_class"].notna()
                cell[:, j] |= known.to_numpy()
    if webmap is not None:
        html = Path(webmap).read_text(encoding="utf-8")
        for props in re.findall(r'"properties":(\{.*?\}),"geometry"', html):
            p = json.loads(props)
            i = ids.index(p["id"])
            row[i] |= p.get("n") is not None
            for j, share in enumerate(p.get("s") or []):
                cell[i, j] |= share is not None
    return row, cell


def true_counts(respondents_gpkg, areas, k):
    respondents = gpd.read_file(respondents_gpkg, engine="pyogrio")
    joined = join_respondents(respondents, areas)
    return area_counts(joined.area, respondents["profile"].to_numpy(float), len(areas.frame), k)


def audit_area_table(counts, row, cell, min_cell=11):
    published = Published()
    add_table(published, "areas", counts, ~cell, ~row)
    return audit(published, min_cell)


# ------------------------------------------------------------------ the audit itself
def test_the_audit_finds_what_the_line_rule_misses():
    # A holds 30 answers, all of profile 1: its two hidden zeros are in one line, but the
    # published 30 of 30 tells they are 0 (the line rule sees two hidden values and stops)
    counts = np.array([[30, 0, 0], [25, 10, 5], [0, 4, 0], [0, 0, 0]])
    pattern = suppress(counts, 11)
    published = Published()
    add_table(published, "t", counts, pattern.cell, pattern.area)
    pinned = {p.name: (p.lo, p.hi) for p in audit(published, 11)}
    assert pinned["t[0,1]"] == (0, 0) and pinned["t[0,2]"] == (0, 0)
    # C and D (4 and 0 answers) are hidden together: each total anywhere in [0, 4], as
    # wide as their line (the areas' totals against the study's) allows: protected
    assert "t[2] total" not in pinned and "t[3] total" not in pinned
    safe = protect(counts, 11)
    published = Published()
    add_table(published, "t", counts, safe.cell, safe.area)
    assert audit(published, 11) == [] and safe.unprotected == []
    assert (safe.cell[counts < 11]).all()


def test_the_audit_holds_the_true_values_and_widths_by_hand():
    # two hidden cells in one published line: each anywhere in [0, their sum]
    counts = np.array([[40, 30, 12], [40, 30, 13]])
    published = Published()
    hidden = np.array([[False, True, True], [False, True, True]])
    add_table(published, "t", counts, hidden)
    assert audit(published, 11) == []  # 30 + 12: the 12 and the 30 move by 12
    # the same with a hidden value of 2 next to 11: its line's hidden sum is 13, its
    # column's (2 + 11 hidden elsewhere) too: width 13 ≥ 11, safe
    counts = np.array([[50, 11, 2], [50, 11, 11]])
    hidden = np.array([[False, True, True], [False, True, True]])
    published = Published()
    add_table(published, "t", counts, hidden)
    assert audit(published, 11) == []


# ------------------------------------------------------------------ the sample, whole run
@pytest.fixture(scope="module")
def sample_run(sample_job):
    """The sample job (run once for the unit tests, conftest.sample_job)."""
    out, done, _ = sample_job
    return out, done.stdout + done.stderr


def test_sample_run_no_hidden_value_can_be_pinned(sample_run):
    out, text = sample_run
    areas = read_areas(SAMPLE / "quartier.gpkg", layer="iris")
    k = len(_layer(out / "areas.gpkg", "profiles"))
    counts = true_counts(out / "respondents.gpkg", areas, k)
    row, cell = published_area_cells(
        out / "areas.gpkg", k, out / "compare.gpkg", out / "carte.html"
    )
    # every published n is the true one (the reader's equalities are right)
    ind = _layer(out / "areas.gpkg", "area_indicators")
    assert (ind["n"].dropna().astype(int).to_numpy() == counts.sum(axis=1)[row]).all()
    # the study total is published (summary, and the command line's last line)
    summary = dict(_layer(out / "areas.gpkg", "study_summary").to_numpy())
    assert int(summary["n"]) == counts.sum()
    assert f"{counts.sum()} respondents in {len(counts)} areas" in text or str(counts.sum()) in text
    # nothing any file publishes is hidden by the study's pattern
    pattern = area_pattern(*_joined(out, areas), len(areas.frame), k)
    assert not (row & pattern.area).any()
    assert not (cell & pattern.cell).any()
    assert audit_area_table(counts, row, cell) == []
    # transit access and proximity per area count grid points and services, no respondent
    for path, layer in ((out / "ptal.gpkg", "ptal_areas"),
                        (out / "proximity.gpkg", "proximity_areas")):  # fmt: skip
        import pyogrio

        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        for name in layers if layer not in layers else [layer]:
            columns = set(pyogrio.read_info(path, layer=name)["fields"])
            assert not {c for c in columns if re.fullmatch(r"n|n_eff|share_\d+|respondents", c)}


def _joined(out, areas):
    respondents = gpd.read_file(out / "respondents.gpkg", engine="pyogrio")
    return join_respondents(respondents, areas).area, respondents["profile"].to_numpy(float)


def test_compare_no_longer_gives_back_the_cells_the_area_map_hides(sample_run):
    """The review's attack: share_profile_<k> × n in compare.gpkg, for the cells that
    areas.gpkg suppresses (18 of 20 came back exactly, values 0–7)."""
    out, _ = sample_run
    areas = read_areas(SAMPLE / "quartier.gpkg", layer="iris")
    k = len(_layer(out / "areas.gpkg", "profiles"))
    counts = true_counts(out / "respondents.gpkg", areas, k)
    ind = _layer(out / "areas.gpkg", "area_indicators")
    comp = _layer(out / "compare.gpkg", "compare_areas").set_index("area_id")
    comp = comp.loc[ind["area_id"]]
    focus = [c for c in comp.columns if c.startswith("share_profile_")][0]
    j = int(focus.rsplit("_", 1)[1]) - 1
    hidden = ind[f"share_{j + 1}"].isna().to_numpy()
    assert hidden.any()
    recovered = (comp[focus] * comp["n"]).to_numpy()[hidden]
    assert np.isnan(recovered).all(), recovered
    # and the one area just under the threshold is not the study total minus the others
    n_comp = comp["n"].to_numpy(dtype=float)
    assert np.isnan(n_comp[ind["n"].isna().to_numpy()]).all()
    assert ind["n"].isna().sum() != 1
    # the audit over both files: each hidden cell keeps an interval ≥ 11 (or its line)
    row, cell = published_area_cells(out / "areas.gpkg", k, out / "compare.gpkg")
    assert audit_area_table(counts, row, cell) == []


def test_compare_classes_are_audited_too(sample_run):
    out, _ = sample_run
    classes = _layer(out / "compare.gpkg", "compare_classes")
    # no published class n under the threshold, and no line with one hidden share
    assert (classes["n"].dropna() >= 11).all()
    shares = classes[[c for c in classes.columns if re.fullmatch(r"share_\d+", c)]]
    published_rows = classes["n"].notna()
    assert ((shares[published_rows].isna().sum(axis=1)) != 1).all()


# ------------------------------------------------------------------ many small areas
def _survey(n_side=8, seed=5, k=4):
    rng = np.random.default_rng(seed)
    size = 200.0
    x0, y0 = 650000.0, 6860000.0
    frame = pd.DataFrame(
        {"code": [f"Z{i:03d}" for i in range(n_side * n_side)],
         "geometry": [box(x0 + (i % n_side) * size, y0 + (i // n_side) * size,
                          x0 + (i % n_side + 1) * size, y0 + (i // n_side + 1) * size)
                      for i in range(n_side * n_side)]}
    )  # fmt: skip
    areas = areas_from_frame(frame, "zones", id_field="code", crs="EPSG:2154")
    points, profiles, modes = [], [], []
    mix = np.array([0.55, 0.3, 0.1, 0.05])[:k]
    for i in range(n_side * n_side):
        n = rng.poisson(14)
        cx, cy = x0 + (i % n_side + 0.5) * size, y0 + (i // n_side + 0.5) * size
        for p in rng.choice(np.arange(1, k + 1), n, p=mix / mix.sum()):
            points.append(Point(cx + rng.uniform(-80, 80), cy + rng.uniform(-80, 80)))
            profiles.append(int(p))
            modes.append(3 if p == 2 else 2)
    respondents = gpd.GeoDataFrame(
        {"profile": profiles, "transportation_mode": modes,
         "fp_mobilite": [2000.0 if p == 2 else 600.0 for p in profiles]},
        geometry=points, crs="EPSG:2154",
    )  # fmt: skip
    centres = np.array([[x0 + (i % n_side + 0.5) * size, y0 + (i // n_side + 0.5) * size]
                        for i in range(n_side * n_side)])  # fmt: skip
    ai = rng.uniform(0, 30, len(centres))
    grid = pd.DataFrame({"x": centres[:, 0], "y": centres[:, 1], "ai": ai})
    table = areas.frame[["area_id", "area_name"]].assign(ai_mean=ai, geometry=areas.geometries)
    transit = TransitAccess(grid, table, {"grid_spacing_m": size}, "EPSG:2154")
    return areas, respondents, transit


@pytest.mark.parametrize("seed", [5, 11])
def test_many_small_areas_written_and_read_back(tmp_path, seed):
    k = 4
    areas, respondents, transit = _survey(seed=seed, k=k)
    names = {p: f"P{p}" for p in range(1, k + 1)}
    result = map_areas(respondents.assign(profile_name=[names[p] for p in respondents["profile"]]),
                       areas, weights="none")  # fmt: skip
    write_area_map(result, tmp_path / "areas.gpkg", csv=False)
    joined = join_respondents(respondents, areas)
    comp = compare(respondents, areas, transit, profile=respondents["profile"].to_numpy(float),
                   profile_names=names, area_of=joined.area, n_boot=0)  # fmt: skip
    write_layers(tmp_path / "compare.gpkg", [("compare_areas", comp.areas, comp.crs),
                                             ("compare_classes", comp.classes, None)])  # fmt: skip
    counts = area_counts(joined.area, respondents["profile"].to_numpy(float), len(areas.frame), k)
    assert (counts.sum(axis=1) < 11).sum() >= 5  # many small areas
    row, cell = published_area_cells(tmp_path / "areas.gpkg", k, tmp_path / "compare.gpkg")
    assert not (row & result.pattern.area).any() and not (cell & result.pattern.cell).any()
    assert audit_area_table(counts, row, cell) == []
    # the classes table (profile × PTAL band), read back, audited with its margins
    classes = _layer(tmp_path / "compare.gpkg", "compare_classes")
    band = classes[classes["constraint"] == "ptal_band"].set_index("class")
    table, pattern = comp.tables["ptal_band"]
    from qet_geo.transit.ptal import BAND_NAMES

    crow = np.array([b in band.index and pd.notna(band.loc[b, "n"]) for b in BAND_NAMES])
    ccell = np.array([[b in band.index and pd.notna(band.loc[b, f"share_{j}"])
                       for j in range(1, k + 1)] for b in BAND_NAMES])  # fmt: skip
    empty = table.sum(axis=1) == 0  # not printed: the reader knows them empty
    crow |= empty
    ccell |= empty[:, None]
    published = Published()
    add_table(published, "classes", table, ~ccell, ~crow)
    assert audit(published, 11) == []


def test_the_command_line_compare_gives_the_same_pattern(sample_run, tmp_path):
    out, _ = sample_run
    done = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "compare", "--respondents",
         str(out / "respondents.gpkg"), "--areas", str(SAMPLE / "quartier.gpkg"),
         "--areas-layer", "iris", "--gtfs", str(SAMPLE / "gtfs"), "--model",
         str(out / "profiles.json"), "-o", str(tmp_path / "c.gpkg"), "--bootstrap", "0"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.fail(done.stderr[-2000:])
    a = _layer(out / "compare.gpkg", "compare_areas")
    b = _layer(tmp_path / "c.gpkg", "compare_areas")
    assert a["n"].isna().tolist() == b["n"].isna().tolist()
    focus = [c for c in a.columns if c.startswith("share_profile_")][0]
    assert a[focus].isna().tolist() == b[focus].isna().tolist()


# ------------------------------------------------------------------ counts of people
def test_a_layer_of_people_is_counted_under_disclosure_control(tmp_path):
    from qet_geo.cli import main
    from qet_geo.constraints import proximity

    frame = pd.DataFrame({"code": ["A", "B"], "geometry": [box(0, 0, 200, 200),
                                                          box(5000, 0, 5200, 200)]})  # fmt: skip
    frame["geometry"] = [box(650000 + g.bounds[0], 6860000, 650000 + g.bounds[2], 6860200)
                         for g in frame["geometry"]]  # fmt: skip
    areas = areas_from_frame(frame, "zones", id_field="code", crs="EPSG:2154")
    rng = np.random.default_rng(0)
    homes = np.vstack(
        [
            rng.uniform([650000, 6860000], [650200, 6860200], (30, 2)),  # 30 in A
            rng.uniform([655000, 6860000], [655200, 6860200], (4, 2)),
        ]
    )  # 4 in B
    result = proximity(areas, {"logements": homes, "shops": homes[:3]}, people=["logements"])
    table = result.areas.set_index("area_id")
    assert table.loc["A", "count_logements_500m"] == 30
    assert pd.isna(table.loc["B", "count_logements_500m"])  # 4 homes: under 11
    assert table["dist_logements_centroid"].isna().all()  # the nearest home: one household
    assert result.summary.services["logements"] is None  # no total to subtract from
    assert table.loc["B", "count_shops_500m"] == 0  # other layers unchanged
    with pytest.raises(ValueError, match="not service layers"):
        proximity(areas, {"shops": homes}, people=["homes"])
    # the command line: --people names a --service layer
    gpd.GeoDataFrame(geometry=[Point(x, y) for x, y in homes], crs="EPSG:2154").to_file(
        tmp_path / "homes.gpkg", layer="homes"
    )
    gpd.GeoDataFrame(frame, crs="EPSG:2154").to_file(tmp_path / "zones.gpkg", layer="zones")
    code = main(["constraints", "proximity", "--areas", str(tmp_path / "zones.gpkg"),
                 "--id-field", "code", "--service", f"logements={tmp_path / 'homes.gpkg'}",
                 "--people", "logements", "-o", str(tmp_path / "p.gpkg")])  # fmt: skip
    assert code == 0
    back = _layer(tmp_path / "p.gpkg", "proximity_areas").set_index("area_id")
    assert back.loc["A", "count_logements_500m"] == 30
    assert pd.isna(back.loc["B", "count_logements_500m"])
    code = main(["constraints", "proximity", "--areas", str(tmp_path / "zones.gpkg"),
                 "--id-field", "code", "--service", f"logements={tmp_path / 'homes.gpkg'}",
                 "--people", "homes", "-o", str(tmp_path / "q.gpkg")])  # fmt: skip
    assert code != 0 and not (tmp_path / "q.gpkg").exists()


def test_representativeness_tables_audited_with_the_area_table(sample_run):
    """The census variables' counts per area share the areas' totals with the profile
    table: audited together (a hidden area's n bounded by both)."""
    from qet_geo.areas.disclosure import row_terms

    out, _ = sample_run
    areas = read_areas(SAMPLE / "quartier.gpkg", layer="iris")
    k = len(_layer(out / "areas.gpkg", "profiles"))
    counts = true_counts(out / "respondents.gpkg", areas, k)
    row, cell = published_area_cells(out / "areas.gpkg", k, out / "compare.gpkg")
    rep = _layer(out / "areas.gpkg", "representativeness")
    respondents = gpd.read_file(out / "respondents.gpkg", engine="pyogrio")
    where = join_respondents(respondents, areas).area
    use = (where >= 0) & np.isfinite(respondents["profile"].to_numpy(float))
    ids = areas.frame["area_id"].astype(str).tolist()
    published = Published()
    var = add_table(published, "areas", counts, ~cell, ~row)
    link = row_terms(var)
    variables = rep["variable"].unique()
    assert len(variables) >= 2
    for variable in variables:
        part = rep[rep["variable"] == variable]
        categories = list(dict.fromkeys(part["category"]))
        values = respondents[variable].astype("string").fillna("").to_numpy(dtype=object)
        table = np.array([[int(((where == i) & use & (values == c)).sum()) for c in categories]
                          for i in range(len(ids))])  # fmt: skip
        by_area = part[part["scope"] != "study"].set_index(["scope", "category"])["n"]
        shown = np.array([[pd.notna(by_area.get((a, c))) for c in categories] for a in ids])
        # what is printed is true
        for i, a in enumerate(ids):
            for j, c in enumerate(categories):
                if shown[i, j]:
                    assert by_area[(a, c)] == table[i, j]
        study = part[part["scope"] == "study"].set_index("category")["n"]
        col_known = np.array([pd.notna(study.get(c)) for c in categories])
        add_table(published, f"rep_{variable}", table, ~shown, ~row, col_known=col_known,
                  row_link=link, row_targets=False)  # fmt: skip
    assert audit(published, 11) == []


def test_the_whole_run_takes_people_layers_from_the_configuration(tmp_path):
    from qet_geo.errors import InputError
    from qet_geo.pipeline import load_config

    def config(people):
        path = tmp_path / "c.toml"
        path.write_text(
            f'[survey]\nfile = "{(SAMPLE / "survey_su.tsv").as_posix()}"\n'
            f'[areas]\nfile = "{(SAMPLE / "quartier.gpkg").as_posix()}"\nlayer = "iris"\n'
            f'[proximity]\nservices = {{ logements = "{(SAMPLE / "quartier.gpkg").as_posix()}'
            f':marches" }}\npeople = {json.dumps(people)}\n',
            encoding="utf-8",
        )
        return load_config(path)

    assert config(["logements"])["proximity"]["people"] == ["logements"]
    with pytest.raises(InputError, match=r"\[proximity\] people.*homes"):
        config(["homes"])


# The lower bound of the widths as computed before issue 17 (one pass over every row per
# hidden cell and partner column): the faster one must give the same widths.
def _moves_before(counts: np.ndarray, hidden: np.ndarray, free_rows: np.ndarray) -> np.ndarray:
    """A lower bound of each hidden cell's interval width from moves that keep every
    published number: cycles of four hidden cells on two rows and two columns (+t, −t,
    −t, +t), through any partner rows, and, between rows whose totals are hidden
    (``free_rows``), the cells of one column."""
    counts = np.asarray(counts, dtype=float)
    n, k = counts.shape
    width = np.zeros((n, k))
    both = {(j, jj): hidden[:, j] & hidden[:, jj] for j in range(k) for jj in range(k) if jj != j}
    for i, j in zip(*np.nonzero(hidden), strict=True):
        up = down = 0.0
        room = counts[:, j].copy()  # what each partner row's cell in column j can give
        room[i] = 0.0
        if free_rows[i]:
            others = hidden[:, j] & free_rows
            others[i] = False
            if others.any():  # take from all of them at once: no row total binds them
                up += room[others].sum()
                room[others] = 0.0
                down = counts[i, j]
        for jj in np.flatnonzero(hidden[i]):
            if jj == j:
                continue
            m = both[j, jj].copy()
            m[i] = False
            # down: (i, j) gives to (i, jj), each partner row's (r, jj) gives to (r, j)
            down += counts[m, jj].sum()
            # up: (i, jj) gives to (i, j), partner rows' (r, j) give, within their room
            give = min(counts[i, jj], room[m].sum())
            if give > 0:
                taken = np.minimum(room[m], np.maximum(give - (np.cumsum(room[m]) - room[m]), 0))
                room[np.flatnonzero(m)] -= taken
                up += give
        width[i, j] = up + min(down, counts[i, j])
    return width


@pytest.mark.parametrize("seed", range(12))
def test_the_widths_of_hidden_cells_are_those_of_the_row_by_row_computation(seed):
    from qet_geo.areas.disclosure import _moves

    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(3, 60)), int(rng.integers(2, 7))
    counts = rng.poisson(rng.uniform(0.5, 9), (n, k)).astype(float)
    hidden = (counts < 5) | (rng.random((n, k)) < 0.15)
    free = rng.random(n) < rng.uniform(0, 0.6)
    hidden[free] = True  # a row whose total is hidden has every cell hidden
    np.testing.assert_array_equal(_moves(counts, hidden, free),
                                  _moves_before(counts, hidden, free))  # fmt: skip
    none = np.zeros(n, dtype=bool)
    np.testing.assert_array_equal(_moves(counts, hidden, none), _moves_before(counts, hidden, none))
