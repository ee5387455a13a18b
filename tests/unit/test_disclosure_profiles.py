"""Disclosure control of profiles (docs/profiles.md): no profile of fewer than ``min_cell``
respondents is published as such — not in profiles.csv, profiles.json, profiles.html, the
posters, the web map, the area or comparison layers — and the shareable model file holds
no count that could be solved back (the private working file keeps everything)."""

from __future__ import annotations

import html
import json
import sqlite3
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_pipeline import qet_geo

from qet_geo.profiles import SU_VARIABLES, ProfileModel
from qet_geo.profiles.publish import GROUP_NAME
from qet_geo.survey import import_survey

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
MIN_CELL = 11


@pytest.fixture(scope="module")
def survey():
    return import_survey(SAMPLE / "survey_su.tsv").respondents


def _forms(name: str) -> set[str]:
    """The ways a name can be written in an output (as is, HTML-escaped, JSON-escaped)."""
    return {name, html.escape(name), html.escape(name, quote=False), json.dumps(name)[1:-1]}


def _small(private: dict) -> list[dict]:
    return [e for e in private["profiles"] if e["size"] < private["min_cell"]]


def _gpkg_texts(path: Path) -> str:
    """Every table name, column name and text value of a GeoPackage, as one text."""
    parts = []
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents")]
        for table in tables:
            cursor = db.execute(f'SELECT * FROM "{table}"')
            parts.append(table)
            parts += [d[0] for d in cursor.description]
            for row in cursor:
                parts += [v for v in row if isinstance(v, str)]
    return "\n".join(parts)


def _no_key(value, banned: set, where="") -> list[str]:
    """Paths of keys in ``banned`` anywhere in a JSON value."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in banned:
                found.append(f"{where}/{key}")
            found += _no_key(item, banned, f"{where}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _no_key(item, banned, f"{where}[{i}]")
    return found


def _check_sizes(data: dict) -> None:
    """Sizes published only from the threshold, and none recoverable by difference."""
    n = data["min_cell"]
    entries = data["profiles"] + ([data["small_profiles"]] if data["small_profiles"] else [])
    sizes = [e["size"] for e in entries]
    assert all(s is None or s >= n for s in sizes), sizes
    # one withheld size would be the number of respondents minus the others
    assert sum(s is None for s in sizes) != 1, sizes
    assert sum(e["share"] is None for e in entries) != 1
    for e in entries:
        if e["size"] is None:
            assert e["share"] is None and e["weight"] is None
            assert "réponse" not in e["description"]


# ------------------------------------------------------------------ the whole job
@pytest.fixture(scope="module")
def run8(tmp_path_factory):
    """The sample study with NEAR stopped at 8 profiles (4 of them under 11 respondents)."""
    folder = tmp_path_factory.mktemp("run8")
    text = (SAMPLE / "qet-geo.toml").read_text(encoding="utf-8")
    text = text.replace("bootstrap = 100 ", "bootstrap = 0 ").replace(
        "seed = 0\n", "seed = 0\ntarget_count = 8\n"
    )
    text = text.replace('poster = ["A3", "A0"]', 'poster = ["A3"]')
    for name in (
        "survey_su.tsv",
        "quartier.gpkg",
        "gtfs",
        "base-ic-evol-struct-pop-quartier.csv",
        "emdv_answers.json",
        "ngc_answers.json",
        "bulletins_vote.csv",
    ):
        (folder / name).symlink_to(SAMPLE / name)
    config = folder / "qet-geo.toml"
    config.write_text(text, encoding="utf-8")
    out = folder / "out"
    done = qet_geo("run", config, "-o", out)
    assert done.returncode == 0, done.stderr
    return out, done


def test_the_whole_job_publishes_no_profile_under_the_threshold(run8):
    out, done = run8
    private = json.loads((out / "profiles.private.json").read_text(encoding="utf-8"))
    small = _small(private)
    assert len(small) == 4 and private["k"] == 8  # the detection itself is unchanged
    names = [e["name"] for e in small]
    # profiles.csv: the profiles from 11 respondents, then one row for the others
    table = pd.read_csv(out / "profiles.csv")
    assert list(table["name"]) == [e["name"] for e in private["profiles"][:4]] + [GROUP_NAME]
    assert (table["size"].iloc[:-1] >= MIN_CELL).all()
    group = table.iloc[-1]
    portrait = [c for c in table if c.startswith(("modal_", "index_", "fp_"))]
    assert portrait and group[portrait].isna().all()
    # profiles.json, profiles.html, carte.html, the poster's text, the area and comparison
    # layers: no name of a small profile, the group instead
    poster = subprocess.run(["pdftotext", out / "affiche_A3.pdf", "-"], capture_output=True,
                            text=True, check=True).stdout.replace("\n", " ")  # fmt: skip
    texts = {
        "profiles.json": (out / "profiles.json").read_text(encoding="utf-8"),
        "profiles.html": (out / "profiles.html").read_text(encoding="utf-8"),
        "carte.html": (out / "carte.html").read_text(encoding="utf-8"),
        "affiche_A3.pdf": poster,
        "areas.gpkg": _gpkg_texts(out / "areas.gpkg"),
        "compare.gpkg": _gpkg_texts(out / "compare.gpkg"),
    }
    for where, text in texts.items():
        for name in names:
            assert not any(form in text for form in _forms(name)), (where, name)
    for where in ("profiles.json", "profiles.html", "carte.html", "affiche_A3.pdf", "areas.gpkg"):
        assert any(form in texts[where] for form in _forms(GROUP_NAME)), where
    # the quality notes say so, in French, and give no size of a small profile
    report = texts["profiles.html"]
    assert "sont montrés regroupés sous « Petits profils regroupés »" in report
    assert "compte 1 répondant" not in report and "compte 2 répondant" not in report
    # the area columns: one per published profile, the group last
    with sqlite3.connect(out / "areas.gpkg") as db:
        columns = [r[1] for r in db.execute('PRAGMA table_info("area_indicators")')]
        rows = db.execute('SELECT profile, name FROM "profiles" ORDER BY profile').fetchall()
    assert [r[1] for r in rows][-1] == GROUP_NAME and len(rows) == 5
    assert "share_5" in columns and "share_6" not in columns
    # the shareable model is listed with the published files, the private one as private
    lines = done.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith(str(out / "profiles.private.json")))  # fmt: skip
    assert "privé" in lines[at - 1]
    # the respondents (private) keep their detected profile
    import pyogrio

    respondents = pyogrio.read_dataframe(out / "respondents.gpkg", read_geometry=False)
    assert respondents["profile"].max() == 8


# ------------------------------------------------------------------ the shareable file
def test_the_shareable_model_file_holds_no_recoverable_count(tmp_path, capsys):
    from qet_geo.cli import main

    model = tmp_path / "profiles.json"
    code = main(["profiles", "detect", str(SAMPLE / "survey_su.tsv"), "--target-count", "8",
                 "--bootstrap", "5", "-o", str(model), "--json"])  # fmt: skip
    assert code == 0
    capsys.readouterr()
    data = json.loads(model.read_text(encoding="utf-8"))
    private = json.loads((tmp_path / "profiles.private.json").read_text(encoding="utf-8"))
    assert data["kind"] == "shareable" and private["kind"] == "private"
    assert data["format_version"] == 2 and data["min_cell"] == MIN_CELL
    # no merge history, no per-answer counts or weights, no linkage
    assert _no_key(data, {"history", "lookup_counts", "linkage", "groups", "count"}) == []
    assert private["history"] and len(private["lookup_counts"]) == len(private["lookup"]) == 251
    # the fitted answers kept are only those held by 11 respondents or more, without count
    counts = {tuple(r[:-1]): c for r, c in zip(private["lookup"], private["lookup_counts"], strict=True)}  # fmt: skip
    assert all(len(row) == len(SU_VARIABLES) + 1 for row in data["lookup"])
    assert all(counts[tuple(row[:-1])] >= MIN_CELL for row in data["lookup"])
    _check_sizes(data)
    assert [e["size"] for e in data["profiles"]] == [256, 154, 152, 11]
    assert data["small_profiles"]["size"] == 20 and not data["small_profiles"]["modal"]
    assert len(data["centroids"]) == data["k"] == 4
    # the stability and quality kept are about the published profiles only
    assert [row["profile"] for row in data["stability"]["profiles"]] == [1, 2, 3, 4]
    assert not [q for q in data["quality"] if q["kind"] == "tiny profile"]


def test_a_small_group_takes_the_smallest_profile_until_it_reaches_the_threshold(tmp_path):
    """A group under the threshold takes the smallest published profile in: withholding
    that profile's size instead would not protect, its exact shares give it back (74/163 of
    a profile of 163, found by the review), and the group's size by difference."""
    a, b, c = [1, 1, 1, 1, 1, 1], [3, 3, 3, 3, 3, 3], [1, 3, 1, 3, 1, 3]
    rows = [a] * 30 + [b] * 20 + [c] * 3
    respondents = pd.DataFrame(rows, columns=list(SU_VARIABLES))
    model = ProfileModel("kmeans", k=3).fit(respondents)
    assert [e["size"] for e in model.portraits_] == [30, 20, 3]
    model.save(tmp_path / "m.json")
    data = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    _check_sizes(data)
    assert [e["size"] for e in data["profiles"]] == [30]
    assert data["small_profiles"]["size"] == 23
    assert len(data["centroids"]) == 1  # the profile of 20 is not described anywhere
    table = model.profiles_table()
    assert table["size"].tolist() == [30, 23]
    assert "20 réponses" not in " ".join(table["description"]) and "3 réponses" not in str(table)
    kinds = [q["kind"] for q in model.published_quality()]
    assert "complementary suppression" not in kinds and "small profiles grouped" in kinds
    from qet_geo.profiles.report import report_html

    text = report_html(model)
    assert '<td class="n">20<' not in text and '<td class="n">3<' not in text


@pytest.mark.parametrize(
    "kwargs", [{"method": "near", "target_count": 8}, {"method": "ward", "k": 8}]
)
def test_assignment_from_the_shareable_file(survey, kwargs, tmp_path):
    """The private file assigns as the fitted model; the shareable one the same published
    profile, except exactly: the respondents of the small profiles (to the nearest published
    profile), and answers held by fewer than 11 whose fitted profile is not the nearest."""
    model = ProfileModel(**kwargs).fit(survey)
    model.save(tmp_path / "m.json", private=tmp_path / "private" / "m.json")
    private = ProfileModel.load(tmp_path / "private" / "m.json")
    shared = ProfileModel.load(tmp_path / "m.json")
    fitted = model.predict(survey)
    assert private.predict(survey).equals(fitted)
    published = model.published_labels(fitted["profile"])
    got = shared.predict(survey)["profile"].to_numpy(dtype=float)
    codes = survey[list(SU_VARIABLES)].to_numpy(dtype=np.int64)
    keys = [",".join(map(str, row)) for row in codes]
    x = shared._encode(codes)
    nearest = shared._nearest(x)[0]
    small = published > shared.k_
    rare = np.array([model.vector_counts_[key] < MIN_CELL for key in keys])
    expected = small | (rare & (nearest != published))
    assert ((got != published) == expected).all()
    assert expected.any()  # near: the small profiles; ward: rare answers nearer another
    # what is published is the same from either file
    assert shared.published_profiles() == json.loads(json.dumps(model.published_profiles()))
    pd.testing.assert_frame_equal(shared.profiles_table(), model.profiles_table())


def test_many_one_person_profiles_are_not_published(tmp_path, capsys):
    """``--method gmm --k 250``: every profile under 11 respondents goes into the group."""
    from qet_geo.cli import main

    model, table = tmp_path / "m.json", tmp_path / "profiles.csv"
    code = main(["profiles", "detect", str(SAMPLE / "survey_su.tsv"), "--method", "gmm",
                 "--k", "250", "--n-init", "1", "--bootstrap", "0", "-o", str(model),
                 "--table", str(table), "--report", str(tmp_path / "r.html")])  # fmt: skip
    assert code == 0
    capsys.readouterr()
    private = json.loads((tmp_path / "m.private.json").read_text(encoding="utf-8"))
    assert len(_small(private)) > 100
    rows = pd.read_csv(table)
    assert len(rows) < 20 and rows["name"].iloc[-1] == GROUP_NAME
    assert (rows["size"].dropna() >= MIN_CELL).all()
    data = json.loads(model.read_text(encoding="utf-8"))
    _check_sizes(data)
    assert len(data["extra"]["mixing"]) == data["k"]
    assert sum(data["extra"]["mixing"]) == pytest.approx(1)


def test_min_cell_of_profiles_detect(tmp_path, capsys):
    from qet_geo.cli import main

    out = tmp_path / "m.json"
    args = ["profiles", "detect", str(SAMPLE / "survey_su.tsv"), "--target-count", "8",
            "--bootstrap", "0", "-o", str(out), "--table", str(tmp_path / "t.csv")]  # fmt: skip
    assert main([*args, "--min-cell", "2"]) == 2
    assert "--allow-below-3" in capsys.readouterr().err
    assert main([*args, "--min-cell", "2", "--allow-below-3"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["parameters"]["min_cell"] == 2
    # the profile of 1 respondent is grouped with the smallest other one (2), so that the
    # group reaches the threshold and every size is published
    assert [e["size"] for e in data["profiles"]] == [256, 154, 152, 11, 9, 8]
    assert data["small_profiles"]["size"] == 3
    _check_sizes(data)


def test_a_model_file_of_version_1_is_read_and_published_safely(survey, tmp_path):
    model = ProfileModel("near", target_count=8).fit(survey)
    old = model.to_dict()
    old["format_version"] = 1
    for key in ("kind", "lookup_counts", "min_cell"):
        old.pop(key)
    for key in ("min_cell", "allow_below_3"):
        old["parameters"].pop(key)
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    loaded = ProfileModel.load(path)
    assert loaded.predict(survey).equals(model.predict(survey))
    assert loaded.published_profiles() == json.loads(json.dumps(model.published_profiles()))
    loaded.save(tmp_path / "new.json")
    data = json.loads((tmp_path / "new.json").read_text(encoding="utf-8"))
    assert "history" not in data and data["lookup"] == []  # no counts known: none kept
    _check_sizes(data)


def test_areas_from_a_profile_column_group_the_small_profiles(run8):
    """Without the model (the respondents' own profile column), the same grouping."""
    import pyogrio

    from qet_geo.areas import map_areas, read_areas

    out, _ = run8
    private = json.loads((out / "profiles.private.json").read_text(encoding="utf-8"))
    respondents = pyogrio.read_dataframe(out / "respondents.gpkg")
    result = map_areas(respondents, read_areas(SAMPLE / "quartier.gpkg", layer="iris"))
    names = list(result.profiles["name"])
    assert names[:4] == [e["name"] for e in private["profiles"][:4]]
    assert names[4:] == [GROUP_NAME]
    assert not [e["name"] for e in _small(private) if e["name"] in names]


def test_profiles_under_the_threshold_are_numbered_last():
    """Numbered by decreasing weighted size, except that the small ones come last: a heavy
    profile of 5 respondents is not profile 1."""
    a, b, c = [1, 1, 1, 1, 1, 1], [3, 3, 3, 3, 3, 3], [1, 3, 1, 3, 1, 3]
    respondents = pd.DataFrame([a] * 30 + [b] * 20 + [c] * 5, columns=list(SU_VARIABLES))
    respondents["weight"] = [1.0] * 50 + [10.0] * 5
    model = ProfileModel("kmeans", k=3).fit(respondents)
    assert [e["size"] for e in model.portraits_] == [30, 20, 5]
    # the 5 come last, and take the 20 with them into the group (5 alone is under 11)
    assert [e["profile"] for e in model.published_profiles()] == [1, 2]
    assert [e["size"] for e in model.published_profiles()] == [30, 25]
    assert model.published_profiles()[-1]["name"] == GROUP_NAME


def test_published_names_say_nothing_of_the_small_profiles(survey):
    """A published profile's default name is not numbered because a small profile has the
    same distinctive answers."""
    model = ProfileModel("near", target_count=8).fit(survey)
    published = [e["name"] for e in model.published_profiles()]
    assert published[3] == "Avion plus de 3 fois par an, viande à quelques repas"
    assert len(set(e["name"] for e in model.portraits_)) == model.k_  # still told apart


def test_areas_from_the_shareable_model_have_no_empty_group(run8):
    """The shareable model assigns no one to the group: no empty column for it (an empty
    column would be suppressed, and force a complementary suppression in every area)."""
    import pyogrio

    from qet_geo.areas import map_areas, read_areas

    out, _ = run8
    respondents = pyogrio.read_dataframe(out / "respondents.gpkg")
    shared = ProfileModel.load(out / "profiles.json")
    result = map_areas(
        respondents, read_areas(SAMPLE / "quartier.gpkg", layer="iris"), model=shared
    )
    assert GROUP_NAME not in list(result.profiles["name"]) and len(result.profiles) == 4
    assert "share_5" not in result.indicators
