"""Schemas: loading, label matching, number bands, and schema errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from unit_helpers import ROOT, SURVEY_0

import qet_geo.survey.schema
from qet_geo.errors import SchemaError
from qet_geo.survey import builtin_schemas, load_schema, normalise
from qet_geo.survey.schema import schema_from_dict


def test_builtin_schema_lists_near_su():
    assert "near-su" in builtin_schemas()
    schema = load_schema("near-su")
    su = [
        "meat_frequency",
        "transportation_mode",
        "digital_intensity",
        "purchasing_strategy",
        "air_travel_frequency",
        "heat_source",
    ]
    assert [q.variable for q in schema.required] == su
    assert all(schema.questions[v].codes == [1, 2, 3] for v in su)


def test_every_label_of_the_real_export_is_recognised():
    schema = load_schema()
    lines = SURVEY_0.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    questions, location, unknown, ambiguous = schema.match_columns(header)
    assert location == {"id": "Identifiant"} and unknown == [] and ambiguous == {}
    assert len(questions) == 6
    for line in lines[1:]:
        cells = dict(zip(header, line.split("\t"), strict=True))
        for variable, column in questions.items():
            value = cells[column]
            match = schema.questions[variable].match(value)
            assert match.reason is None, (value, match)
            assert match.missing or match.code in (1, 2, 3)


@pytest.mark.parametrize(
    ("variable", "value", "code"),
    [
        ("transportation_mode", "Mobilités actives (vélo, marche", 1),  # truncated export
        ("transportation_mode", "  MOBILITES ACTIVES (velo, marche, trottinette) ", 1),
        ("heat_source", "électricité, réseau de chaleur,", 1),
        ("heat_source", "Electricite, reseau de chaleur, pompe a chaleur", 1),
        ("meat_frequency", "tous les repas ou presque…", 3),
        ("purchasing_strategy", "Occasion en priorité", 1),
        ("air_travel_frequency", "0", 1),
        ("air_travel_frequency", "2", 2),  # a number of flights goes to its band
        ("air_travel_frequency", "3", 2),
        ("air_travel_frequency", "0,5", 1),  # decimal comma
        ("air_travel_frequency", "4", 3),
        ("air_travel_frequency", "Plus de 3", 3),
        ("age_class", "37", "30-44"),
        ("pcs", "Cadre, profession intellectuelle supérieure", "CS3"),
        ("financial_ease", "C’est juste", 2),  # curly apostrophe
        ("meat_frequency", "2", 2),  # a code is an answer where no number bands exist
    ],
)
def test_label_variants_are_matched(variable, value, code):
    assert load_schema().questions[variable].match(value).code == code


@pytest.mark.parametrize(
    ("variable", "value", "reason", "suggestion"),
    [
        ("meat_frequency", "Quelques rpas", "unknown answer", "Quelques repas"),
        ("transportation_mode", "Trottinette électrique", "unknown answer", None),
        ("air_travel_frequency", "-1", "number outside every band", None),
        ("air_travel_frequency", "deux", "unknown answer", None),
        ("heat_source", "Géothermie", "unknown answer", None),
    ],
)
def test_unknown_answers_are_errors_with_the_nearest_label(variable, value, reason, suggestion):
    match = load_schema().questions[variable].match(value)
    assert match.code is None and match.reason.startswith(reason)
    if suggestion:
        assert match.suggestion == suggestion


def test_short_truncations_are_not_guessed():
    question = load_schema().questions["meat_frequency"]
    # "Tous" is a prefix of one label only, but too short to be taken as a truncation.
    assert question.match("Tous").reason == "unknown answer"


def test_ambiguous_truncation_is_an_error():
    schema = schema_from_dict(
        {
            "name": "t",
            "truncation_min_length": 4,
            "questions": {"q": {"answers": {1: ["Transport en commun"], 2: ["Transport privé"]}}},
        }
    )
    match = schema.questions["q"].match("Transport")
    assert match.kind == "ambiguous answer"


def test_normalise_ignores_case_accents_spaces_quotes_and_trailing_punctuation():
    assert normalise("  Mobilités  actives (vélo, marche…") == "mobilites actives (velo, marche"
    assert normalise("L’énergie ?") == normalise("l'energie")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "a schema is a mapping"),
        ({"name": "x"}, "missing key 'questions'"),
        ({"name": "x", "questions": {"q": {"type": "date"}}}, "type 'date' is not one of"),
        ({"name": "x", "questions": {"q": {"type": "choice"}}}, "needs 'answers'"),
        (
            {"name": "x", "questions": {"q": {"answers": {1: ["a"], 2: ["A"]}}}},
            "label 'A' is given for answers 1 and 2",
        ),
        (
            {
                "name": "x",
                "questions": {
                    "q": {"answers": {1: ["a"]}, "number_bands": [{"code": 9, "min": 0}]}
                },
            },
            "number band code 9 is not an answer",
        ),
        (
            {"name": "x", "questions": {"q": {"answers": {1: ["a"]}, "reject": {2: "no"}}}},
            "reject names 2",
        ),
        (
            {
                "name": "x",
                "questions": {
                    "q": {"answers": {1: ["a"]}, "fill_from": {"variable": "z", "values": {}}}
                },
            },
            "unknown question 'z'",
        ),
    ],
)
def test_bad_schemas_say_what_is_wrong(data, message):
    with pytest.raises(SchemaError, match=message):
        schema_from_dict(data, source="my-schema.yaml")


def test_schema_file_errors_name_the_file(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nquestions: [unclosed\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="broken.yaml, row 3: not a YAML file"):
        load_schema(broken)
    # a few hundred bytes of nested aliases would expand to gigabytes: refused at the alias
    broken.write_text('a: &a ["x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\n'
                      "name: x\nquestions: {q: {type: text, header: [*b, *b]}}\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(SchemaError, match="broken.yaml, row 2: an alias"):
        load_schema(broken)
    with pytest.raises(SchemaError, match="no such schema file, and not a built-in"):
        load_schema(tmp_path / "missing.yaml")


def test_a_schema_value_of_the_wrong_type_is_a_schema_error(tmp_path):
    builtin = (
        Path(qet_geo.survey.schema.__file__).with_name("schemas") / "near-su.yaml"
    ).read_text("utf-8")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(builtin.replace("\nid:", "\nid: [x]\nold_id:", 1), encoding="utf-8")
    with pytest.raises(SchemaError, match="wrong.yaml: not a valid schema"):
        load_schema(wrong)
    twice = tmp_path / "twice.json"
    twice.write_text('{"name": "a", "name": "b", "questions": {}}', encoding="utf-8")
    with pytest.raises(SchemaError, match="given twice"):
        load_schema(twice)


def test_json_schema_is_read(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(
        json.dumps(
            {
                "name": "mine",
                "questions": {
                    "meat": {
                        "required": True,
                        "headers": ["Viande"],
                        "answers": {"1": ["peu"], "2": ["beaucoup"]},
                    }
                },
            }
        ),
        encoding="utf-8",
    )
    schema = load_schema(path)
    assert schema.name == "mine" and schema.questions["meat"].match("Beaucoup").code == 2


def test_worked_example_schema_of_the_docs_loads():
    schema = load_schema(ROOT / "docs" / "examples" / "kobo-su.yaml")
    assert schema.questions["air_travel_frequency"].match("2").code == 2
    assert schema.questions["household_size"].match("3").code == 3.0
    assert schema.questions["household_size"].match("trois").reason == "not a number"
