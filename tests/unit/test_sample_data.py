"""Tests of the fictional sample neighbourhood (sample_data/, made by sample_data/generate.py).

No QGIS needed.  The generator is run into temporary folders; its output must be
deterministic and identical to the committed files, and the committed files must keep the
properties the rest of the project relies on: the IRIS tile the neighbourhood, the census
margins add up, the survey is well formed and its habits vary in space, the GTFS feed is
referentially sound.  The last tests break copies on purpose to show the checks can fail.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pyogrio
import pyproj
import pytest
import shapely

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
GENERATOR = SAMPLE / "generate.py"

GPKG = "quartier.gpkg"
CENSUS = "base-ic-evol-struct-pop-quartier.csv"
SURVEY = "survey_su.tsv"
GTFS_FILES = [
    "agency.txt",
    "stops.txt",
    "routes.txt",
    "trips.txt",
    "stop_times.txt",
    "calendar.txt",
    "calendar_dates.txt",
    "feed_info.txt",
]
EMDV = "emdv_answers.json"  # the diagnostic's answers: tests/unit/test_sample_diagnostic.py
NGC = "ngc_answers.json"
BALLOTS = "bulletins_vote.csv"  # the forum's fictional vote: tests/unit/test_forum_votes.py
OUTPUTS = [GPKG, CENSUS, SURVEY, EMDV, NGC, BALLOTS] + [f"gtfs/{name}" for name in GTFS_FILES]
LAYERS = ["iris", "perimetre", "commerces_alimentaires", "marches", "reparation_occasion"]
MAX_TOTAL_BYTES = 5 * 1024 * 1024

CENTRAL_IRIS = "991230101"  # Centre-Gare, on the tram line
OUTER_IRIS = ["991230201", "991230204", "991230301", "991230304"]  # the four corners

SURVEY_HEADER = [
    "Identifiant",
    "Lors de vos repas, la viande est présente dans...",
    "Quel moyen de transport employez-vous le plus fréquemment dans la semaine ?",
    "Quelle est votre utilisation du numérique",
    "Lorsque vous avez besoin de quelque chose, vous favorisez",
    "Combien de fois prenez-vous l'avion par an ?",
    "Quelle est l'énergie de chauffage de votre logement ?",
    "Habitez-vous dans le quartier ?",
    "Quel âge avez-vous ?",
    "Vous êtes",
    "Quelle est votre situation ?",
    "Quelle est votre catégorie socioprofessionnelle ?",
    "Financièrement, vous diriez que vous êtes…",
    "longitude",
    "latitude",
]
SURVEY_LABELS = {  # header -> allowed answers (as in the NEAR export and near-su.yaml)
    SURVEY_HEADER[1]: {
        "Aucun repas ou très rarement",
        "Quelques repas",
        "Tous les repas ou presque",
    },
    SURVEY_HEADER[2]: {
        "Mobilités actives (vélo, marche",
        "Transport en commun",
        "Voiture individuelle",
    },
    SURVEY_HEADER[3]: {"Faible", "Bureautique, Internet", "Jeux vidéos, streaming, vidéos"},
    SURVEY_HEADER[4]: {
        "Occasion en priorité",
        "Mélange occasion/neuf",
        "Achat de neuf systématiquement",
    },
    SURVEY_HEADER[5]: {"0", "1 à 3", "Plus de 3"},
    SURVEY_HEADER[6]: {"électricité, réseau de chaleur,", "Gaz", "Fioul"},
    SURVEY_HEADER[7]: {"Oui", "Non"},
    SURVEY_HEADER[8]: {
        "Moins de 15 ans",
        "15-29 ans",
        "30-44 ans",
        "45-59 ans",
        "60-74 ans",
        "75 ans et plus",
    },
    SURVEY_HEADER[9]: {"Une femme", "Un homme", "Autre"},
    SURVEY_HEADER[10]: {
        "En emploi",
        "Étudiant(e)",
        "Au foyer",
        "Sans activité professionnelle",
        "Retraité(e)",
    },
    SURVEY_HEADER[11]: {
        "",
        "Agriculteur exploitant",
        "Artisan, commerçant, chef d'entreprise",
        "Cadre, profession intellectuelle supérieure",
        "Profession intermédiaire",
        "Employé(e)",
        "Ouvrier, ouvrière",
    },
    SURVEY_HEADER[12]: {"À l'aise", "C'est juste", "Difficilement"},
}
CAR = "Voiture individuelle"
ACTIVE = "Mobilités actives (vélo, marche"


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def run_generator(out: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(out)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def read_layer(folder: Path, layer: str):
    return pyogrio.read_dataframe(folder / GPKG, layer=layer)


def to_lambert93(lon, lat):
    transformer = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    return transformer.transform(np.asarray(lon, float), np.asarray(lat, float))


def gtfs_seconds(text: str) -> int:
    hours, minutes, seconds = (int(v) for v in text.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def survey_with_iris(folder: Path) -> list[dict[str, str]]:
    """Survey rows, each with the code of the IRIS containing its point ("" if none)."""
    rows = read_csv(folder / SURVEY, delimiter="\t")
    iris = read_layer(folder, "iris")
    x, y = to_lambert93([r["longitude"] for r in rows], [r["latitude"] for r in rows])
    inside = np.array([shapely.contains_xy(g, x, y) for g in iris.geometry])  # iris x rows
    for k, row in enumerate(rows):
        hits = np.flatnonzero(inside[:, k])
        row["_iris"] = ";".join(iris["code_iris"].iloc[hits])
        row["_x"], row["_y"] = float(x[k]), float(y[k])
    return rows


def car_share(rows: list[dict[str, str]]) -> float:
    return sum(r[SURVEY_HEADER[2]] == CAR for r in rows) / len(rows)


# ---------------------------------------------------------------------------------------
# Checks of one folder of sample files (used on the committed files and on broken copies)
# ---------------------------------------------------------------------------------------


def check_iris_tiling(folder: Path) -> None:
    iris = read_layer(folder, "iris")
    outline = read_layer(folder, "perimetre")
    assert iris.crs.to_epsg() == 2154 and outline.crs.to_epsg() == 2154
    assert 10 <= len(iris) <= 14
    assert iris["code_iris"].is_unique
    assert all(re.fullmatch(r"99123\d{4}", c) for c in iris["code_iris"])
    assert set(iris["typ_iris"]) == {"H"}
    assert iris["nom_iris"].is_unique and iris["nom_iris"].str.len().min() > 2
    geoms = list(iris.geometry)
    assert all(g.is_valid and g.geom_type == "Polygon" for g in geoms)
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            overlap = shapely.intersection(geoms[i], geoms[j]).area
            assert overlap < 1e-3, (iris["code_iris"][i], iris["code_iris"][j], overlap)
    union = shapely.union_all(geoms)
    boundary = outline.geometry.iloc[0]
    assert union.geom_type == "Polygon" and len(union.interiors) == 0  # no holes, one piece
    assert abs(union.area - boundary.area) < 1.0
    assert abs(sum(g.area for g in geoms) - boundary.area) < 1.0  # no overlaps, no gaps
    assert shapely.symmetric_difference(union, boundary).area < 1.0
    minx, miny, maxx, maxy = boundary.bounds
    assert 2500 < maxx - minx < 3600 and 2000 < maxy - miny < 3000
    # somewhere in metropolitan France in Lambert-93
    assert 100_000 < minx < 1_300_000 and 6_000_000 < miny < 7_200_000


def check_census(folder: Path) -> None:
    rows = read_csv(folder / CENSUS, delimiter=";")
    ages = ["P21_POP1529", "P21_POP3044", "P21_POP4559", "P21_POP6074", "P21_POP75P"]
    cs = [f"C21_POP15P_CS{k}" for k in range(1, 9)]
    required = (
        ["IRIS", "COM", "TYP_IRIS", "LAB_IRIS", "P21_POP", "C21_POP15P", "C21_H15P", "C21_F15P"]
        + ages
        + cs
    )
    assert rows and all(c in rows[0] for c in required)
    iris_codes = sorted(read_layer(folder, "iris")["code_iris"])
    assert [r["IRIS"] for r in rows] == iris_codes
    for r in rows:
        v = {c: float(r[c]) for c in ["P21_POP", "C21_POP15P", "C21_H15P", "C21_F15P"] + ages + cs}
        assert re.fullmatch(r"\d+(\.\d{1,4})?", r["P21_POP"])  # INSEE style, '.' decimals
        assert 1500 <= v["P21_POP"] <= 2500, r["IRIS"]
        assert 0.7 * v["P21_POP"] < v["C21_POP15P"] < v["P21_POP"]
        assert abs(sum(v[c] for c in ages) - v["C21_POP15P"]) < 1e-6, r["IRIS"]
        assert abs(v["C21_H15P"] + v["C21_F15P"] - v["C21_POP15P"]) < 1e-6, r["IRIS"]
        assert abs(sum(v[c] for c in cs) - v["C21_POP15P"]) < 1e-6, r["IRIS"]
        assert all(v[c] >= 0 for c in cs)
        assert r["COM"] == r["IRIS"][:5] and r["TYP_IRIS"] == "H"
        if "P21_POP0014" in r:
            assert abs(float(r["P21_POP0014"]) + v["C21_POP15P"] - v["P21_POP"]) < 1e-6


def check_gtfs(folder: Path) -> None:
    gtfs = {name: read_csv(folder / "gtfs" / name) for name in GTFS_FILES}
    stops = {s["stop_id"]: s for s in gtfs["stops.txt"]}
    assert len(stops) == len(gtfs["stops.txt"])
    routes = {r["route_id"]: r for r in gtfs["routes.txt"]}
    trips = {t["trip_id"]: t for t in gtfs["trips.txt"]}
    assert len(trips) == len(gtfs["trips.txt"])
    agencies = {a["agency_id"] for a in gtfs["agency.txt"]}
    services = {c["service_id"] for c in gtfs["calendar.txt"]} | {
        c["service_id"] for c in gtfs["calendar_dates.txt"]
    }

    # referential integrity
    assert all(r["agency_id"] in agencies for r in routes.values())
    assert all(t["route_id"] in routes for t in trips.values())
    assert all(t["service_id"] in services for t in trips.values())
    for st in gtfs["stop_times.txt"]:
        assert st["trip_id"] in trips, st
        assert st["stop_id"] in stops, st
        assert stops[st["stop_id"]]["location_type"] in ("", "0"), st  # never a station
    used_trips = {st["trip_id"] for st in gtfs["stop_times.txt"]}
    assert used_trips == set(trips)
    for s in stops.values():
        if s["parent_station"]:
            assert stops[s["parent_station"]]["location_type"] == "1", s
    children = Counter(s["parent_station"] for s in stops.values() if s["parent_station"])
    assert max(children.values(), default=0) >= 2  # a station with platforms

    # routes: one tram, two buses, both directions each
    assert sorted(r["route_type"] for r in routes.values()) == ["0", "3", "3"]
    for route_id in routes:
        directions = {t["direction_id"] for t in trips.values() if t["route_id"] == route_id}
        assert directions == {"0", "1"}, route_id

    # times increase along each trip; some trips run past midnight
    by_trip: dict[str, list[tuple[int, int, int]]] = {}
    for st in gtfs["stop_times.txt"]:
        by_trip.setdefault(st["trip_id"], []).append(
            (
                int(st["stop_sequence"]),
                gtfs_seconds(st["arrival_time"]),
                gtfs_seconds(st["departure_time"]),
            )
        )
    for trip_id, times in by_trip.items():
        times.sort()
        assert all(a <= d for _, a, d in times), trip_id
        assert all(times[k][2] <= times[k + 1][1] for k in range(len(times) - 1)), trip_id
    assert max(d for times in by_trip.values() for _, _, d in times) >= 24 * 3600

    # calendar: weekdays and weekend in 2026, one holiday exception swapping them
    calendar = {c["service_id"]: c for c in gtfs["calendar.txt"]}
    for c in calendar.values():
        assert c["start_date"] <= "20260101" and c["end_date"] >= "20261231"
    weekday = [sid for sid, c in calendar.items() if c["monday"] == "1"]
    weekend = [sid for sid, c in calendar.items() if c["saturday"] == "1"]
    assert weekday and weekend and not set(weekday) & set(weekend)
    assert {e["exception_type"] for e in gtfs["calendar_dates.txt"]} == {"1", "2"}
    n_trips = Counter(t["service_id"] for t in trips.values())
    assert sum(n_trips[s] for s in weekend) < sum(n_trips[s] for s in weekday)

    # stops in WGS84 with 6 decimals, on or near the neighbourhood
    outline = read_layer(folder, "perimetre").geometry.iloc[0]
    for s in stops.values():
        assert re.fullmatch(r"-?\d+\.\d{6}", s["stop_lat"]) and re.fullmatch(
            r"-?\d+\.\d{6}", s["stop_lon"]
        ), s
    x, y = to_lambert93(
        [s["stop_lon"] for s in stops.values()], [s["stop_lat"] for s in stops.values()]
    )
    distances = shapely.distance(outline, shapely.points(x, y))
    assert distances.max() < 600.0
    assert (distances == 0).sum() >= len(stops) // 2


# ---------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample_a")
    run_generator(out)
    return out


@pytest.fixture(scope="module")
def generated_again(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample_b")
    run_generator(out)
    return out


@pytest.fixture(scope="module")
def survey() -> list[dict[str, str]]:
    return survey_with_iris(SAMPLE)


# ---------------------------------------------------------------------------------------
# Determinism and committed files
# ---------------------------------------------------------------------------------------


def test_generator_writes_every_output(generated):
    written = sorted(str(p.relative_to(generated)) for p in generated.rglob("*") if p.is_file())
    assert written == sorted(OUTPUTS)


def test_generator_is_deterministic(generated, generated_again):
    different = [
        name for name in OUTPUTS if sha256(generated / name) != sha256(generated_again / name)
    ]
    assert not different


def test_committed_text_files_are_byte_identical_to_generated(generated):
    for name in OUTPUTS:
        assert (SAMPLE / name).is_file(), f"missing committed file sample_data/{name}"
    different = [
        name
        for name in OUTPUTS
        if name != GPKG and sha256(generated / name) != sha256(SAMPLE / name)
    ]
    assert not different, "regenerate with: python sample_data/generate.py"


def test_committed_geopackage_matches_generated(generated):
    if sha256(generated / GPKG) == sha256(SAMPLE / GPKG):
        return
    # The same GDAL must give the same bytes; another GDAL must give the same content.
    sys.path.insert(0, str(SAMPLE))
    try:
        import generate  # noqa: PLC0415
    finally:
        sys.path.remove(str(SAMPLE))
    assert pyogrio.__gdal_version_string__ != generate.REFERENCE_GDAL_VERSION, (
        "quartier.gpkg differs from a fresh run with the same GDAL: regenerate it"
    )
    for layer in LAYERS:
        new, old = read_layer(generated, layer), read_layer(SAMPLE, layer)
        assert list(new.columns) == list(old.columns), layer
        assert new.drop(columns="geometry").equals(old.drop(columns="geometry")), layer
        assert all(shapely.equals_exact(new.geometry, old.geometry, tolerance=0)), layer
        assert new.crs == old.crs, layer


def test_geopackage_is_version_1_2_with_fixed_timestamps():
    with sqlite3.connect(SAMPLE / GPKG) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200
        contents = db.execute(
            "SELECT table_name, srs_id, last_change FROM gpkg_contents ORDER BY table_name"
        ).fetchall()
    assert sorted(t for t, _, _ in contents) == sorted(LAYERS)
    assert {srs for _, srs, _ in contents} == {2154}
    assert {stamp for _, _, stamp in contents} == {"2026-01-01T00:00:00.000Z"}


def test_total_size_is_small():
    total = sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file())
    assert total < MAX_TOTAL_BYTES


def test_sample_data_says_it_is_fictional():
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert "données fictives" in readme and "fictional data" in readme


# ---------------------------------------------------------------------------------------
# Content of the committed files
# ---------------------------------------------------------------------------------------


def test_iris_tile_the_neighbourhood():
    check_iris_tiling(SAMPLE)


def test_points_of_interest_layers():
    outline = read_layer(SAMPLE, "perimetre").geometry.iloc[0]
    expected = {
        "commerces_alimentaires": (30, 50, ["nom", "type"]),
        "marches": (3, 6, ["nom", "jours"]),
        "reparation_occasion": (10, 20, ["nom", "type"]),
    }
    for layer, (low, high, fields) in expected.items():
        frame = read_layer(SAMPLE, layer)
        assert frame.crs.to_epsg() == 2154
        assert low <= len(frame) <= high, layer
        assert all(f in frame.columns for f in fields), layer
        assert frame["nom"].is_unique, layer
        assert all(frame.geometry.geom_type == "Point"), layer
        assert all(shapely.contains(outline, frame.geometry)), layer
    food_types = set(read_layer(SAMPLE, "commerces_alimentaires")["type"])
    assert {"boulangerie", "supérette", "primeur", "boucherie"} <= food_types
    repair_types = set(read_layer(SAMPLE, "reparation_occasion")["type"])
    assert {"ressourcerie", "repair café", "dépôt-vente", "cordonnerie"} <= repair_types


def test_census_margins_add_up():
    check_census(SAMPLE)


def test_survey_format():
    raw = (SAMPLE / SURVEY).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n")
    lines = raw.decode("utf-8").split("\n")[:-1]
    assert lines[0].split("\t") == SURVEY_HEADER
    rows = [line.split("\t") for line in lines[1:]]
    assert 550 <= len(rows) <= 650
    assert all(len(r) == len(SURVEY_HEADER) for r in rows)
    ids = [int(r[0]) for r in rows]
    assert len(set(ids)) == len(ids)
    for k, header in enumerate(SURVEY_HEADER):
        if header in SURVEY_LABELS:
            unknown = {r[k] for r in rows} - SURVEY_LABELS[header]
            assert not unknown, (header, unknown)
    for r in rows:
        assert re.fullmatch(r"-?\d+\.\d{6}", r[13]) and re.fullmatch(r"-?\d+\.\d{6}", r[14])
        assert (r[11] != "") == (r[10] == "En emploi"), r  # PCS asked of the employed only
    column = dict(zip(SURVEY_HEADER, zip(*rows, strict=True), strict=True))
    assert Counter(column["Habitez-vous dans le quartier ?"])["Non"] == 5
    assert Counter(column["Quel âge avez-vous ?"])["Moins de 15 ans"] == 2
    for header in list(SURVEY_LABELS)[:6]:  # every usage answer occurs
        assert set(column[header]) == SURVEY_LABELS[header], header


def test_every_respondent_lives_in_one_iris(survey):
    outside = [r["Identifiant"] for r in survey if not r["_iris"] or ";" in r["_iris"]]
    assert not outside


def test_respondents_follow_population_with_small_iris(survey):
    census = {r["IRIS"]: float(r["C21_POP15P"]) for r in read_csv(SAMPLE / CENSUS, ";")}
    counts = Counter(r["_iris"] for r in survey if r[SURVEY_HEADER[7]] == "Oui")
    assert set(counts) == set(census)
    small = [code for code, n in counts.items() if n < 11]
    assert 1 <= len(small) <= 2
    others = [code for code in census if code not in small]
    rate = np.array([counts[c] / census[c] for c in others])
    assert rate.max() / rate.min() < 1.5  # roughly proportional to population aged 15+


def test_car_use_grows_away_from_the_tram(survey):
    residents = [r for r in survey if r[SURVEY_HEADER[7]] == "Oui"]
    central = [r for r in residents if r["_iris"] == CENTRAL_IRIS]
    outer = [r for r in residents if r["_iris"] in OUTER_IRIS]
    assert len(central) >= 30 and len(outer) >= 60
    assert car_share(outer) > car_share(central) + 0.2

    stops = read_csv(SAMPLE / "gtfs" / "stops.txt")
    tram_routes = {
        r["route_id"] for r in read_csv(SAMPLE / "gtfs" / "routes.txt") if r["route_type"] == "0"
    }
    tram_trips = {
        t["trip_id"]
        for t in read_csv(SAMPLE / "gtfs" / "trips.txt")
        if t["route_id"] in tram_routes
    }
    tram_stop_ids = {
        st["stop_id"]
        for st in read_csv(SAMPLE / "gtfs" / "stop_times.txt")
        if st["trip_id"] in tram_trips
    }
    tram = [s for s in stops if s["stop_id"] in tram_stop_ids]
    tx, ty = to_lambert93([s["stop_lon"] for s in tram], [s["stop_lat"] for s in tram])
    distance = np.array([np.min(np.hypot(tx - r["_x"], ty - r["_y"])) for r in residents])
    near = [r for r, d in zip(residents, distance, strict=True) if d < 400]
    far = [r for r, d in zip(residents, distance, strict=True) if d > 800]
    assert len(near) >= 50 and len(far) >= 50
    assert car_share(far) > car_share(near) + 0.2


def test_other_habits_vary_plausibly(survey):
    residents = [r for r in survey if r[SURVEY_HEADER[7]] == "Oui"]
    central = [r for r in residents if r["_iris"] == CENTRAL_IRIS]
    outer = [r for r in residents if r["_iris"] in OUTER_IRIS]

    def share(rows, header, answers):
        return sum(r[header] in answers for r in rows) / len(rows)

    assert share(central, SURVEY_HEADER[2], {ACTIVE}) > share(outer, SURVEY_HEADER[2], {ACTIVE})
    assert share(outer, SURVEY_HEADER[6], {"Gaz", "Fioul"}) > share(
        central, SURVEY_HEADER[6], {"Gaz", "Fioul"}
    )
    at_ease = [r for r in residents if r[SURVEY_HEADER[12]] == "À l'aise"]
    hard = [r for r in residents if r[SURVEY_HEADER[12]] == "Difficilement"]
    assert share(at_ease, SURVEY_HEADER[5], {"1 à 3", "Plus de 3"}) > share(
        hard, SURVEY_HEADER[5], {"1 à 3", "Plus de 3"}
    )
    assert share(at_ease, SURVEY_HEADER[1], {"Tous les repas ou presque"}) > share(
        hard, SURVEY_HEADER[1], {"Tous les repas ou presque"}
    )


def test_gtfs_feed_is_consistent():
    check_gtfs(SAMPLE)


# ---------------------------------------------------------------------------------------
# The checks fail on broken data
# ---------------------------------------------------------------------------------------


@pytest.fixture()
def broken_copy(generated, tmp_path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(generated, copy)
    return copy


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_checks_pass_on_a_fresh_copy(broken_copy):
    check_iris_tiling(broken_copy)
    check_census(broken_copy)
    check_gtfs(broken_copy)


def test_gtfs_check_catches_unknown_stop(broken_copy):
    path = broken_copy / "gtfs" / "stop_times.txt"
    _rewrite(path, ",T_MAIRIE,", ",T_NOWHERE,")
    with pytest.raises(AssertionError):
        check_gtfs(broken_copy)


def test_gtfs_check_catches_unknown_service(broken_copy):
    _rewrite(broken_copy / "gtfs" / "trips.txt", ",WE,", ",DIMANCHE,")
    with pytest.raises(AssertionError):
        check_gtfs(broken_copy)


def test_census_check_catches_bad_sum(broken_copy):
    path = broken_copy / CENSUS
    lines = path.read_text(encoding="utf-8").split("\n")
    header, first = lines[0].split(";"), lines[1].split(";")
    k = header.index("C21_POP15P_CS3")
    first[k] = str(float(first[k]) + 10)
    lines[1] = ";".join(first)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(AssertionError):
        check_census(broken_copy)


def test_tiling_check_catches_overlap(broken_copy):
    iris = read_layer(broken_copy, "iris")
    iris.loc[0, "geometry"] = iris.geometry.iloc[0].buffer(50.0)
    pyogrio.write_dataframe(iris, broken_copy / GPKG, layer="iris")
    with pytest.raises(AssertionError):
        check_iris_tiling(broken_copy)
