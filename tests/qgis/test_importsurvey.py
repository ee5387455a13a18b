"""``qetgeo:importsurvey`` run with ``processing.run`` on real files, outputs reopened in QGIS.

Expected values come from the files themselves, read here with the csv module (an
implementation independent of the library's readers).
"""

from __future__ import annotations

import csv

import pytest
from plugin_testing import SAMPLE_SURVEY, SURVEY_0
from qgis.core import (
    NULL,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)

ALGORITHM = "qetgeo:importsurvey"
QUESTIONS = (
    "meat_frequency",
    "transportation_mode",
    "digital_intensity",
    "purchasing_strategy",
    "air_travel_frequency",
    "heat_source",
)
#: Column headers of the six questions in the NEAR export.
HEADERS = (
    "Lors de vos repas, la viande est présente dans...",
    "Quel moyen de transport employez-vous le plus fréquemment dans la semaine ?",
    "Quelle est votre utilisation du numérique",
    "Lorsque vous avez besoin de quelque chose, vous favorisez",
    "Combien de fois prenez-vous l'avion par an ?",
    "Quelle est l'énergie de chauffage de votre logement ?",
)
#: One answer per question, with its code.
ANSWERS = (
    ("Tous les repas ou presque", 3),
    ("Transport en commun", 2),
    ("Faible", 1),
    ("Occasion en priorité", 1),
    ("Plus de 3", 3),
    ("Gaz", 2),
)


def run(parameters: dict, feedback=None) -> dict:
    import processing  # importable once pytest-qgis has initialised Processing

    return processing.run(ALGORITHM, parameters, feedback=feedback)


def read_rows(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def layer(path: str) -> QgsVectorLayer:
    opened = QgsVectorLayer(path, "output", "ogr")
    assert opened.isValid(), path
    return opened


def features_by(opened: QgsVectorLayer, key: str) -> dict:
    return {feature[key]: feature for feature in opened.getFeatures()}


def write_csv(path, header: list[str], rows: list[list[str]], delimiter: str = ";") -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)


def test_survey_0_becomes_a_table_of_respondents(plugin, tmp_path, feedback):
    progress = []
    feedback.progressChanged.connect(progress.append)
    results = run(
        {
            "INPUT": str(SURVEY_0),
            "OUTPUT": str(tmp_path / "respondents.gpkg"),
            "REJECTS": str(tmp_path / "rejects.gpkg"),
        },
        feedback=feedback,
    )

    assert (results["ROWS_READ"], results["ACCEPTED"], results["REJECTED"]) == (314, 313, 1)
    respondents = layer(results["OUTPUT"])
    assert respondents.featureCount() == 313
    assert respondents.wkbType() == QgsWkbTypes.Type.NoGeometry
    types = {field.name(): field.typeName() for field in respondents.fields()}
    assert {name: types[name] for name in QUESTIONS} == dict.fromkeys(QUESTIONS, "Integer")
    assert (types["respondent_id"], types["weight"]) == ("String", "Real")

    rows = read_rows(SURVEY_0)
    assert len(rows) == 314
    first = next(respondents.getFeatures())
    assert rows[0][HEADERS[0]] == "Tous les repas ou presque"
    assert (
        first["respondent_id"],
        first["source_row"],
        first["meat_frequency"],
        first["weight"],
    ) == (rows[0]["Identifiant"], 2, 3, 1.0)
    # every "Tous les repas ou presque" of the file is a 3, and nothing else is
    by_id = features_by(respondents, "respondent_id")
    expected_3 = {
        row["Identifiant"] for row in rows if row[HEADERS[0]] == "Tous les repas ou presque"
    } & set(by_id)
    assert {key for key, feature in by_id.items() if feature["meat_frequency"] == 3} == expected_3

    rejects = list(layer(results["REJECTS"]).getFeatures())
    blank_flights = [
        number for number, row in enumerate(rows, start=2) if not row[HEADERS[4]].strip()
    ]
    assert blank_flights == [82]
    assert [(feature["source_row"], feature["reason"]) for feature in rejects] == [
        (82, "missing answer")
    ]
    assert rejects[0]["Identifiant"] == rows[80]["Identifiant"]  # raw text kept
    assert progress and progress[-1] == 100 and progress == sorted(progress)


def test_located_csv_becomes_points_in_wgs84(plugin, tmp_path):
    homes = {"a1": ("2,3522", "48,8566"), "a2": ("4,8357", "45,7640"), "a3": ("-1,5536", "47,2184")}
    ages = {"a1": "30-44 ans", "a2": "", "a3": "75 ans et plus"}  # an optional question
    source = tmp_path / "located.csv"
    write_csv(
        source,
        ["Identifiant", *HEADERS, "Quel âge avez-vous ?", "longitude", "latitude"],
        [
            [key, *(answer for answer, _ in ANSWERS), ages[key], lon, lat]
            for key, (lon, lat) in homes.items()
        ],
    )

    results = run(
        {
            "INPUT": str(source),
            "OUTPUT": str(tmp_path / "located.gpkg"),
            "REJECTS": str(tmp_path / "located_rejects.gpkg"),
        }
    )

    rejects = layer(results["REJECTS"])
    assert rejects.featureCount() == 0
    assert rejects.fields().names()[1:3] == ["source_row", "reason"]  # after the GeoPackage fid
    points = layer(results["OUTPUT"])
    assert points.wkbType() == QgsWkbTypes.Type.Point
    assert points.crs().authid() == "EPSG:4326"
    by_id = features_by(points, "respondent_id")
    assert set(by_id) == set(homes)
    for key, (lon, lat) in homes.items():
        point = by_id[key].geometry().asPoint()
        assert (point.x(), point.y()) == pytest.approx(
            (float(lon.replace(",", ".")), float(lat.replace(",", "."))), abs=1e-9
        )
        assert [by_id[key][name] for name in QUESTIONS] == [code for _, code in ANSWERS]
    assert points.fields().field("age_class").typeName() == "String"
    assert (by_id["a1"]["age_class"], by_id["a3"]["age_class"]) == ("30-44", "75+")
    assert by_id["a2"]["age_class"] == NULL  # a missing answer is NULL, not "None" or "nan"


def test_xy_columns_keep_the_crs_given(plugin, tmp_path):
    source = tmp_path / "lambert93.csv"
    write_csv(
        source,
        ["Identifiant", *HEADERS, "x", "y"],
        [["b1", *(answer for answer, _ in ANSWERS), "652469,5", "6862035,2"]],
    )

    results = run(
        {
            "INPUT": str(source),
            "CRS": QgsCoordinateReferenceSystem("EPSG:2154"),
            "OUTPUT": str(tmp_path / "lambert93.gpkg"),
        }
    )

    points = layer(results["OUTPUT"])
    assert points.crs().authid() == "EPSG:2154"
    point = next(points.getFeatures()).geometry().asPoint()
    assert (point.x(), point.y()) == pytest.approx((652469.5, 6862035.2))


def test_point_layer_input_keeps_its_geometry_and_crs(plugin, tmp_path):
    homes = QgsVectorLayer(
        "Point?crs=EPSG:2154&field=Identifiant:string"
        + "".join(f"&field={header}:string" for header in HEADERS),
        "homes",
        "memory",
    )
    # a field name of a memory layer URI stops at '&' or ':'; the headers have neither
    assert [field.name() for field in homes.fields()][1:] == list(HEADERS)
    feature = QgsFeature(homes.fields())
    feature.setAttributes(["d1", *(answer for answer, _ in ANSWERS)])
    feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(652469.5, 6862035.2)))
    homes.dataProvider().addFeatures([feature])
    source = tmp_path / "homes.gpkg"
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    written = QgsVectorFileWriter.writeAsVectorFormatV3(
        homes, str(source), QgsProject.instance().transformContext(), options
    )
    assert written[0] == QgsVectorFileWriter.WriterError.NoError, written

    results = run({"INPUT": str(source), "OUTPUT": str(tmp_path / "located.gpkg")})

    points = layer(results["OUTPUT"])
    assert points.crs().authid() == "EPSG:2154"
    [located] = list(points.getFeatures())
    assert located["respondent_id"] == "d1"
    point = located.geometry().asPoint()
    assert (point.x(), point.y()) == pytest.approx((652469.5, 6862035.2))
    assert [located[name] for name in QUESTIONS] == [code for _, code in ANSWERS]


def test_missing_required_column_names_the_file_and_the_column(plugin, tmp_path):
    source = tmp_path / "no_flights.csv"
    kept = [index for index in range(6) if index != 4]
    write_csv(
        source,
        ["Identifiant", *(HEADERS[i] for i in kept)],
        [["c1", *(ANSWERS[i][0] for i in kept)]],
    )
    output = tmp_path / "never.gpkg"

    with pytest.raises(QgsProcessingException) as error:
        run({"INPUT": str(source), "OUTPUT": str(output)})

    assert str(source) in str(error.value)
    assert "air_travel_frequency" in str(error.value)
    assert "Combien de fois prenez-vous l'avion par an" in str(error.value)
    assert not output.exists()


def test_empty_file_is_refused(plugin, tmp_path):
    source = tmp_path / "empty.csv"
    source.write_text("", encoding="utf-8")

    with pytest.raises(QgsProcessingException) as error:
        run({"INPUT": str(source), "OUTPUT": str(tmp_path / "e.gpkg")})

    assert str(source) in str(error.value)
    assert "empty" in str(error.value)


def test_strict_run_stops_at_the_first_problem(plugin, tmp_path):
    with pytest.raises(QgsProcessingException) as error:
        run({"INPUT": str(SURVEY_0), "STRICT": True, "OUTPUT": str(tmp_path / "strict.gpkg")})

    assert "row 82" in str(error.value)
    assert "missing answer" in str(error.value)
    assert not (tmp_path / "strict.gpkg").exists()


def test_canceled_run_writes_nothing(plugin, tmp_path, feedback):
    feedback.cancel()
    output = tmp_path / "canceled.gpkg"

    with pytest.raises(QgsProcessingException) as error:
        run(
            {
                "INPUT": str(SURVEY_0),
                "OUTPUT": str(output),
                "REJECTS": str(tmp_path / "canceled_rejects.gpkg"),
            },
            feedback=feedback,
        )

    assert "cancel" in str(error.value).lower()
    assert list(tmp_path.iterdir()) == []


def test_sample_survey_points_and_rejects(plugin, tmp_path):
    if not SAMPLE_SURVEY.exists():
        pytest.skip(f"{SAMPLE_SURVEY} is not generated yet (sample_data/generate.py)")
    rows = read_rows(SAMPLE_SURVEY)
    not_resident = {
        number
        for number, row in enumerate(rows, start=2)
        if row["Habitez-vous dans le quartier ?"] == "Non"
    }
    under_15 = {
        number
        for number, row in enumerate(rows, start=2)
        if row["Quel âge avez-vous ?"] == "Moins de 15 ans"
    }

    results = run(
        {
            "INPUT": str(SAMPLE_SURVEY),
            "OUTPUT": str(tmp_path / "sample.gpkg"),
            "REJECTS": str(tmp_path / "sample_rejects.gpkg"),
        }
    )

    points = layer(results["OUTPUT"])
    rejects = layer(results["REJECTS"])
    assert results["ROWS_READ"] == len(rows)
    assert points.featureCount() == results["ACCEPTED"]
    assert rejects.featureCount() == results["REJECTED"]
    assert results["ACCEPTED"] + results["REJECTED"] == len(rows)
    assert points.wkbType() == QgsWkbTypes.Type.Point
    assert points.crs().authid() == "EPSG:4326"
    rejected_rows = {feature["source_row"] for feature in rejects.getFeatures()}
    assert not_resident | under_15 <= rejected_rows
    accepted_rows = {feature["source_row"] for feature in points.getFeatures()}
    assert not accepted_rows & rejected_rows
    # each point is where its row of the file says
    for feature in points.getFeatures():
        row = rows[feature["source_row"] - 2]
        point = feature.geometry().asPoint()
        assert (point.x(), point.y()) == pytest.approx(
            (float(row["longitude"]), float(row["latitude"])), abs=1e-9
        )
