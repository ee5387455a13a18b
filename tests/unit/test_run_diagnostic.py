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


# -- respondents who say where they live ------------------------------------------------------


def _located_files(tmp_path: Path):
    """The real EMdV answers four times over (ids made unique), each respondent given an
    IRIS code of the sample's first three areas (every tenth none); their transit answer
    set by area: area 1 mostly unhappy (60 % NO), the others mostly happy (25 % NO). The NGC answers with a
    home point (WGS 84) inside one of the three areas (every seventh none)."""
    import json

    import geopandas as gpd

    iris = gpd.read_file(SAMPLE / "quartier.gpkg", layer="iris")
    codes = iris["code_iris"].astype(str).tolist()
    base = json.loads((NEAR / "Way Of Life Answer.json").read_text(encoding="utf-8"))
    rows = []
    for copy in range(4):
        for record in base:
            record = dict(record, ID=f"{record['ID']}-{copy}")
            i = len(rows)
            record["Code Iris"] = codes[i % 3] if i % 10 else ""
            j = (i // 3) % 20  # 60 / 25 / 15 %: every answer in every area
            first, second = ("NO", "YES") if i % 3 == 0 else ("YES", "NO")
            record["Easy Public Transports"] = (
                first if j < 12 else second if j < 17 else "DONT_KNOW"
            )
            rows.append(record)
    (tmp_path / "emdv.json").write_text(json.dumps(rows), encoding="utf-8")
    ngc = json.loads((NEAR / "Carbon Footprint Answer.json").read_text(encoding="utf-8"))
    points = iris.to_crs(4326).representative_point()
    for i, record in enumerate(ngc):
        point = points.iloc[i % 3]
        record["Longitude"], record["Latitude"] = (point.x, point.y) if i % 7 else ("", "")
    (tmp_path / "ngc.json").write_text(json.dumps(ngc), encoding="utf-8")
    mix = np.random.default_rng(1).dirichlet([2, 5, 1], len(iris))
    for j in range(3):
        iris[f"share_{j + 1}"] = mix[:, j]
    iris["n"] = 40
    iris.to_file(tmp_path / "carte.gpkg", layer="areas", driver="GPKG")
    return rows, ngc, codes


@pytest.mark.skipif(not NEAR.is_dir(), reason="the real diagnostic is not beside the repository")
def test_located_respondents_are_analysed_per_area_and_per_ptal_band(tmp_path):
    from qet_geo.diagnostic.job import run_diagnostic

    rows, ngc, codes = _located_files(tmp_path)
    bands = ["2", "1b", "2"] + ["3"] * (len(codes) - 3)
    ptal = pd.DataFrame({"area_id": codes, "band_of_mean": bands, "ai_mean": 5.0})
    run = run_diagnostic(
        su=NEAR / "Su Answer.json", emdv=tmp_path / "emdv.json", ngc=tmp_path / "ngc.json",
        su_data=NEAR / "Su Data.json", areas=f"{tmp_path / 'carte.gpkg'}:areas",
        output=tmp_path / "out" / "diagnostic.gpkg", place=PlaceMeasures(ptal=ptal),
    )  # fmt: skip
    lines = "\n".join(run.lines())
    assert "EMdV: 457 respondents located in an area (457 by their area code" in lines
    assert "51 not saying where they live" in lines
    assert (
        "NGC: 106 respondents located in an area (0 by their area code, 106 by their home point)"
        in lines
    )
    # per area, computed here from the file: the share of NO among those who answered
    table = _table(tmp_path / "out" / "diagnostic.gpkg", "area_satisfaction")
    transit = table[table["key"] == "easy_public_transports"].set_index("area_id")
    assert set(transit.index) == {*codes[:3], "non localisé", "ensemble"}  # areas with someone
    for code in codes[:3]:
        mine = [r["Easy Public Transports"] for r in rows if r["Code Iris"] == code]
        assert transit.loc[code, "n"] == len(mine)
        assert transit.loc[code, "share_NO"] == pytest.approx(mine.count("NO") / len(mine))
    assert transit.loc["ensemble", "n"] == len(rows)  # the profiles' base: no difference
    # per PTAL band: areas 1 and 3 (band 2) pooled, area 2 (band 1b) alone
    bands_table = _table(tmp_path / "out" / "diagnostic.gpkg", "place_bands")
    mine = bands_table[(bands_table["method"] == "répondants localisés")
                       & (bands_table["indicator"] == "transit_dissatisfied")].set_index("band")  # fmt: skip
    band2 = [r["Easy Public Transports"] for r in rows if r["Code Iris"] in (codes[0], codes[2])]
    assert mine.loc["2", "n"] == len(band2)
    assert mine.loc["2", "share"] == pytest.approx(band2.count("NO") / len(band2), abs=1e-6)
    assert mine.loc["2", "low"] < mine.loc["2", "share"] < mine.loc["2", "high"]
    band1b = [r["Easy Public Transports"] for r in rows if r["Code Iris"] == codes[1]]
    assert mine.loc["1b", "share"] == pytest.approx(band1b.count("NO") / len(band1b), abs=1e-6)
    assert (mine.loc["3", "n"], mine.loc["3", "suppressed"]) == (0, "")  # nobody lives there
    # NGC per area: the mean total of the respondents of each area
    carbon = _table(tmp_path / "out" / "diagnostic.gpkg", "area_carbon")
    total = carbon[carbon["key"] == "bilan"].set_index("area_id")
    assert set(total.index) == {*codes[:3], "non localisé", "ensemble"}
    # the home points never reach a published file
    published = [p for p in (tmp_path / "out").iterdir() if "private" not in p.name]
    point = f"{ngc[1]['Longitude']:.6f}"[:8]
    assert all(point.encode() not in p.read_bytes() for p in published)


def test_a_bad_home_location_rejects_its_row_naming_it(tmp_path):
    from qet_geo.diagnostic.located import location_columns, read_location

    data = pd.DataFrame({"Longitude": ["2.3", "200", "", "2,31"], "Latitude": ["48.8", "48.8", "48.8", "48,82"],
                         "Code IRIS": ["751145501", None, "75 11;drop", "751145503"]},
                        index=[1, 2, 3, 4])  # fmt: skip
    where = location_columns(data.columns)
    assert where == {"lon": "Longitude", "lat": "Latitude", "area": "Code IRIS"}
    home, problems = read_location(data, where, "emdv.csv")
    assert sorted(problems) == [2, 3]
    [lon] = problems[2]
    assert (lon.file, lon.row, lon.column, lon.value) == ("emdv.csv", 2, "Longitude", "200")
    assert "-180 to 180" in str(lon.expected)
    reasons = {str(p.reason) for p in problems[3]}
    assert reasons == {"not an area code", "half a home point"}
    assert home.loc[4, "home_lon"] == pytest.approx(2.31)  # a decimal comma read
    assert home.loc[1, "home_area"] == "751145501"


# -- the sample's whole job ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """``qet-geo run`` of the sample configuration (its [diagnostic] section: the sample's
    EMdV and NGC answers), one A3 poster, no bootstrap."""
    tmp_path = tmp_path_factory.mktemp("run")
    folder = tmp_path / "config"
    folder.mkdir()
    for item in SAMPLE.iterdir():
        if item.name != "qet-geo.toml":
            (folder / item.name).symlink_to(item)
    text = (SAMPLE / "qet-geo.toml").read_text(encoding="utf-8")
    text = text.replace('output = "../out"', 'output = "out"').replace(
        "bootstrap = 100", "bootstrap = 0"
    )
    text = text.replace("bootstrap = 200", "bootstrap = 0").replace(
        'poster = ["A3", "A0"]', 'poster = ["A3"]'
    )
    (folder / "qet-geo.toml").write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "qet_geo.cli", "--lang", "fr", "run", folder / "qet-geo.toml"],
                          cwd=ROOT, capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1"})  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return folder / "out", done.stdout


def test_the_sample_run_estimates_each_area_from_its_mix_and_the_profiles_figures(sample_run):
    out, stdout = sample_run
    assert "EMdV : 304 réponses importées, 3 rejetées" in stdout
    assert "NGC : 266 réponses importées, 2 rejetées" in stdout
    gpkg = out / "diagnostic.gpkg"
    areas = _table(out / "areas.gpkg", "area_indicators").set_index("area_id")
    satisfaction = _table(gpkg, "satisfaction")
    estimates = _table(gpkg, "area_estimates").set_index("area_id")
    checked = filled = 0
    for key, rows in satisfaction.groupby("key"):
        by = rows.set_index("profile")
        for code in ("NO", "DONT_KNOW", "YES"):
            f = {p: by.loc[p, f"share_{code}"] for p in ("1", "2", "3", "ensemble")}
            n = {p: by.loc[p, "n"] for p in ("1", "2", "3", "ensemble")}
            for area, row in areas.iterrows():
                shares = {str(p): row[f"share_{p}"] for p in (1, 2, 3)}
                got = estimates.loc[area, f"{key}__{code}"]
                known = [
                    p
                    for p in shares
                    if not pd.isna(shares[p]) and not pd.isna(f[p]) and not pd.isna(n[p])
                ]
                rest = 1 - sum(shares[p] for p in known)
                assert not pd.isna(f["ensemble"])  # the sample's pooled figures are published
                left = n["ensemble"] - sum(n[p] for p in known)
                other = (n["ensemble"] * f["ensemble"] - sum(n[p] * f[p] for p in known)) / left
                if all(pd.isna(v) for v in shares.values()):
                    assert pd.isna(got), (key, code, area)
                    continue
                expected = sum(shares[p] * f[p] for p in known) + rest * min(max(other, 0), 1)
                assert got == pytest.approx(expected, abs=1e-6), (key, code, area)
                checked += 1
                filled += rest > 1e-9
    assert checked >= 100 and filled >= 100  # the sample's map hides profiles 2 and 3
    bands = _table(gpkg, "place_bands")
    assert {"transit_dissatisfied", "no_stop_near_home", "food_shops_dissatisfied",
            "no_second_hand_shop_near"} <= set(bands["indicator"])  # fmt: skip


def test_the_sample_run_shows_the_diagnostic_on_the_map_the_poster_and_the_project(sample_run):
    import zipfile

    out, _ = sample_run
    page = (out / "carte.html").read_text(encoding="utf-8")
    for words in ("Envie de changer", "estimation par profils", "Empreinte carbone"):
        assert words in page, words
    text = subprocess.run(["pdftotext", "-layout", out / "affiche_diagnostic_A3.pdf", "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    for words in (
        "Satisfaction du cadre de vie",
        "Envie de changer",
        "Freins",
        "Empreinte carbone",
    ):
        assert words in text, words
    assert (out / "affiche_diagnostic_A3.png").is_file()
    with zipfile.ZipFile(out / "projet.qgz") as project:
        xml = project.read(next(n for n in project.namelist() if n.endswith(".qgs"))).decode(
            "utf-8"
        )
    assert 'name="Diagnostic"' in xml and "./diagnostic.gpkg|layername=area_estimates" in xml


def test_no_free_text_of_the_answers_reaches_a_published_output(sample_run):
    """Every free text of the sample's EMdV answers (testimonies, "Autre" answers, zones
    written out), as the private file lists them, is absent from every published file."""
    out, _ = sample_run
    texts = _table(out / "diagnostic.private.gpkg", "texts")["text"].tolist()
    assert len(texts) > 20
    published = [p for p in out.iterdir() if p.is_file() and "private" not in p.name
                 and p.name not in ("respondents.gpkg", "profiles.private.json", "rejects.csv")]  # fmt: skip
    assert len(published) > 20
    for path in published:
        data = path.read_bytes()
        if path.suffix == ".qgz":
            import zipfile

            with zipfile.ZipFile(path) as z:
                data = b"".join(z.read(n) for n in z.namelist())
        for text in texts:
            if len(text) >= 8:  # a short word ("vélo") can be a label of the form too
                assert text.encode("utf-8") not in data, (path.name, text)


def test_the_su_survey_export_counts_the_profiles_and_an_ngc_code_is_declared(sample_run, tmp_path):
    """``--su`` takes the SU survey's own export (the near-su schema's French headers): each
    respondent assigned by the model, the counts of the run; an NGC ``Su`` column is the
    code a respondent gave (declared); a word there rejects its row."""
    import json

    from qet_geo.diagnostic.job import import_answers, run_diagnostic

    out, _ = sample_run
    run = run_diagnostic(su=SAMPLE / "survey_su.tsv", ngc=SAMPLE / "ngc_answers.json",
                         model=out / "profiles.json")  # fmt: skip
    theirs = _table(out / "areas.gpkg", "profiles").set_index("profile")["n"]
    assert run.diagnostic.profiles.set_index("profile")["n_su"].astype(int).to_dict() == {
        str(p): int(n) for p, n in theirs.items()}  # fmt: skip
    assert run.su_rows == 600
    linked = import_answers(SAMPLE / "ngc_answers.json", "ngc", model=out / "profiles.json")
    assert linked.links["link"].fillna("none").value_counts().to_dict() == {
        "declared": 161, "assigned": 101, "none": 4}  # fmt: skip
    rows = json.loads((SAMPLE / "ngc_answers.json").read_text(encoding="utf-8"))
    rows[0]["Su"] = "deux"
    (tmp_path / "ngc.json").write_text(json.dumps(rows), encoding="utf-8")
    bad = import_answers(tmp_path / "ngc.json", "ngc", model=out / "profiles.json")
    [problem] = [p for p in bad.report.problems if p.row == 1]
    assert (problem.column, problem.value, str(problem.reason)) == ("Su", "deux", "not an SU code")


# -- after a hostile review -----------------------------------------------------------------


def test_an_su_code_is_read_alike_in_both_surveys():
    from qet_geo.diagnostic.su_codes import su_code_of

    assert [su_code_of(t) for t in ("2", "2.0", "SU 2", "'SU 2'", "su2")] == [2, 2, 2, 2, 2]
    assert [su_code_of(t) for t in ("2.5", "deux", "1e0", "")] == [None] * 4


def _emdv_with(tmp_path, edit) -> Path:
    import json

    rows = json.loads((SAMPLE / "emdv_answers.json").read_text(encoding="utf-8"))
    edit(rows)
    path = tmp_path / "emdv.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


def test_an_emdv_su_code_in_nears_words_is_declared_and_a_fraction_is_refused(sample_run, tmp_path):
    from qet_geo.diagnostic.job import import_answers

    out, _ = sample_run
    first = next(
        i for i, r in enumerate(json_rows(SAMPLE / "emdv_answers.json")) if r.get("Su") == 2
    )

    def edit(rows):
        rows[first]["Su"] = "SU 2"
        rows[first + 1]["Su"] = "2.5"

    got = import_answers(_emdv_with(tmp_path, edit), "emdv", model=out / "profiles.json")
    assert got.answers.loc[got.answers["row"] == first + 1, "link"].tolist() == ["declared"]
    [problem] = [p for p in got.report.problems if p.row == first + 2]
    assert (problem.column, problem.value, str(problem.reason)) == ("Su", "2.5", "not an SU code")


def json_rows(path):
    import json

    return json.loads(Path(path).read_text(encoding="utf-8"))


@pytest.mark.skipif(not NEAR.is_dir(), reason="the real diagnostic is not beside the repository")
def test_home_points_swapped_projected_or_odd_and_codes_without_their_zeros(tmp_path):
    import json

    from qet_geo.diagnostic.job import run_diagnostic

    rows, ngc, codes = _located_files(tmp_path)
    common = dict(su=NEAR / "Su Answer.json", su_data=NEAR / "Su Data.json",
                  areas=f"{tmp_path / 'carte.gpkg'}:areas")  # fmt: skip
    # swapped: an error naming the file, before anything is written
    swapped = [dict(r, Longitude=r["Latitude"], Latitude=r["Longitude"]) for r in ngc]
    (tmp_path / "swapped.json").write_text(json.dumps(swapped), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        run_diagnostic(ngc=tmp_path / "swapped.json", output=tmp_path / "o1" / "d.gpkg", **common)
    [problem] = caught.value.problems
    assert problem.file.endswith("swapped.json") and "swapped" in str(problem.reason)
    assert not (tmp_path / "o1").exists()
    # projected metres: the column refused as a whole
    metres = [dict(r, Longitude=652000 + i, Latitude=6860000) if r["Longitude"] != "" else r
              for i, r in enumerate(ngc)]  # fmt: skip
    (tmp_path / "metres.json").write_text(json.dumps(metres), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        run_diagnostic(ngc=tmp_path / "metres.json", **common)
    [problem] = caught.value.problems
    assert problem.column == "Longitude" and "not WGS 84 degrees" in str(problem.reason)
    assert "projected" in str(problem.expected)
    # one odd value: the answers kept, not located, and said
    odd = [dict(r) for r in ngc]
    odd[1]["Longitude"] = "2°19'E"
    (tmp_path / "odd.json").write_text(json.dumps(odd), encoding="utf-8")
    run = run_diagnostic(ngc=tmp_path / "odd.json", **common)
    assert run.imports["ngc"].report.accepted == 124
    assert any(
        "not located" in str(n) and "row 2" in str(n) for n in run.imports["ngc"].report.notes
    )
    # codes that lost their leading zero (read as numbers by a spreadsheet)
    iris = __import__("geopandas").read_file(tmp_path / "carte.gpkg", layer="areas")
    iris["code_iris"] = "0" + iris["code_iris"].astype(str)
    iris.to_file(tmp_path / "zeros.gpkg", layer="areas", driver="GPKG")
    run = run_diagnostic(emdv=tmp_path / "emdv.json", su=NEAR / "Su Answer.json",
                         su_data=NEAR / "Su Data.json", areas=f"{tmp_path / 'zeros.gpkg'}:areas")  # fmt: skip
    line = "\n".join(run.location_lines)
    assert (
        "457 respondents located in an area" in line
        and "457 codes read with their lost leading zeros" in line
    )
    # a code the map lacks: named in the line
    rows[3]["Code Iris"] = "999999999"
    (tmp_path / "unknown.json").write_text(json.dumps(rows), encoding="utf-8")
    run = run_diagnostic(emdv=tmp_path / "unknown.json", **common)
    assert "codes the area map lacks: 999999999" in "\n".join(run.location_lines)


def test_two_columns_of_one_question_are_an_error(tmp_path):
    from qet_geo.diagnostic.emdv import import_emdv

    path = tmp_path / "dup.csv"
    path.write_text("ID,Easy Public Transports,Want To Reduce Car Usage,Easy Public Transports\n"
                    "1,YES,NO,NO\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError) as caught:
        import_emdv(path)
    [problem] = caught.value.problems
    assert problem.column == "Easy Public Transports" and "columns 2 and 4" in str(problem.reason)


def test_a_run_with_nears_profiles_estimates_no_area_and_names_them_as_near(tmp_path):
    import json

    su_data = tmp_path / "Su Data.json"
    su_data.write_text(json.dumps([
        {"ID": 9100 + p, "Su": p, "Pop Percentage": str(s), "Barycenter": json.dumps(c)}
        for p, s, c in ((1, 20, [200, 300, 180, 800, 0, 200]), (2, 30, [1000, 2300, 180, 800, 800, 1100]),
                        (3, 50, [1000, 300, 360, 1600, 2000, 1100]))]), encoding="utf-8")  # fmt: skip
    config = config_with(tmp_path, f'[diagnostic]\nemdv = "emdv_answers.json"\nsu_data = "{su_data}"\n',
                         lambda t: t.replace("bootstrap = 100", "bootstrap = 0")
                         .replace('poster = ["A3", "A0"]', 'poster = ["A3"]'))  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "qet_geo.cli", "--lang", "fr", "run", config],
                          cwd=ROOT, capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1"})  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "les profils de NEAR ne sont pas ceux de ce traitement" in done.stderr
    out = config.parent / "out"
    with sqlite3.connect(out / "diagnostic.gpkg") as db:
        layers = {r[0] for r in db.execute("SELECT table_name FROM gpkg_contents")}
    assert "area_estimates" not in layers and "place_bands" not in layers
    text = subprocess.run(["pdftotext", out / "affiche_diagnostic_A3.pdf", "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "SU 1" in text and "Voiture au quotidien" not in text  # NEAR's, not the run's names


def test_declared_codes_of_grouped_small_profiles_go_to_the_group(tmp_path):
    """At a threshold of 25 the run publishes profile 3 (and 2) grouped: a respondent who
    declared 3 is in the group, not rejected."""
    config = config_with(tmp_path, '[diagnostic]\nemdv = "emdv_answers.json"\nngc = "ngc_answers.json"\n',
                         lambda t: t.replace("bootstrap = 100", "bootstrap = 0")
                         .replace("min_cell = 11", "min_cell = 25")
                         .replace('poster = ["A3", "A0"]', "poster = false"))  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "qet_geo.cli", "--lang", "fr", "run", config],
                          cwd=ROOT, capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1"})  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "EMdV : 304 réponses importées, 3 rejetées" in done.stdout  # the sample's own three
    profiles = _table(config.parent / "out" / "diagnostic.gpkg", "profiles")
    assert "Petits profils regroupés" in set(profiles["name"])
    assert "Avion plus de 3 fois par an, transports en commun" not in set(profiles["name"])


def test_the_command_line_sets_the_areas_against_the_place_as_the_run(sample_run, tmp_path):
    """``qet-geo diagnostic summarize --areas --ptal --proximity --food-service
    --repair-service`` on the run's own files: the run's place bands, value for value."""
    out, _ = sample_run
    base = [sys.executable, "-m", "qet_geo.cli", "--lang", "fr", "diagnostic", "summarize",
            "--su", SAMPLE / "survey_su.tsv", "--emdv", SAMPLE / "emdv_answers.json",
            "--ngc", SAMPLE / "ngc_answers.json", "--model", out / "profiles.json"]  # fmt: skip
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1"}

    def cli(*extra):
        return subprocess.run([*map(str, base), *map(str, extra)], cwd=ROOT, capture_output=True,
                              text=True, check=False, env=env)  # fmt: skip

    gpkg = tmp_path / "cli" / "diagnostic.gpkg"
    done = cli("--areas", f"{out / 'areas.gpkg'}:area_indicators", "--ptal", out / "ptal.gpkg",
               "--proximity", out / "proximity.gpkg", "--food-service", "alimentation",
               "--repair-service", "reparation", "-o", gpkg)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    mine, theirs = _table(gpkg, "place_bands"), _table(out / "diagnostic.gpkg", "place_bands")
    assert len(mine) == len(theirs) > 0
    pd.testing.assert_frame_equal(mine.drop(columns="fid"), theirs.drop(columns="fid"))
    # a service the proximity file does not measure, the place without the areas
    bad = cli("--areas", out / "areas.gpkg", "--proximity", out / "proximity.gpkg",
              "--food-service", "boulangerie", "-o", tmp_path / "x" / "d.gpkg")  # fmt: skip
    assert bad.returncode == 2 and "boulangerie" in bad.stderr and "alimentation" in bad.stderr
    assert "Traceback" not in bad.stderr
    alone = cli("--ptal", out / "ptal.gpkg", "-o", tmp_path / "y" / "d.gpkg")
    assert alone.returncode == 2 and "--areas" in alone.stderr


def test_a_hostile_area_name_stays_text_in_the_published_tables(tmp_path):
    """An area named like a spreadsheet formula or a template reaches the area estimates'
    CSV neutralised and the GeoPackage as plain text."""
    import csv

    import geopandas as gpd

    from qet_geo.diagnostic.job import run_diagnostic

    iris = gpd.read_file(SAMPLE / "quartier.gpkg", layer="iris")
    for j in range(3):
        iris[f"share_{j + 1}"] = [0.6, 0.3, 0.1][j]
    hostile = '=HYPERLINK("http://x.invalid","{{7*7}}</script>")'
    iris.loc[0, "nom_iris"] = hostile
    iris.to_file(tmp_path / "carte.gpkg", layer="areas", driver="GPKG")
    model = tmp_path / "profiles.json"
    done = subprocess.run([sys.executable, "-m", "qet_geo.cli", "profiles", "detect", SAMPLE / "survey_su.tsv",
                           "-o", model], cwd=ROOT, capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    out = tmp_path / "out" / "diagnostic.gpkg"
    run_diagnostic(emdv=SAMPLE / "emdv_answers.json", model=model, areas=f"{tmp_path / 'carte.gpkg'}:areas",
                   output=out)  # fmt: skip
    with open(out.parent / "diagnostic_area_estimates.csv", encoding="utf-8-sig", newline="") as f:
        names = [row["area_name"] for row in csv.DictReader(f)]
    assert names[0] == "'" + hostile  # a spreadsheet shows it, never runs it
    assert _table(out, "area_estimates")["area_name"][0] == hostile  # the GeoPackage: as it is
