"""Survey import: schemas, readers, validation and the Respondents table."""

from .fields import answer_fields
from .importer import (
    ImportReport,
    Location,
    SurveyImport,
    import_survey,
    import_with,
    respondent_weights,
)
from .readers import RawTable, read_table
from .schema import Question, Schema, builtin_schemas, load_schema, normalise
from .writers import rejects_path, write_rejects, write_respondents

__all__ = [
    "answer_fields",
    "ImportReport",
    "Location",
    "Question",
    "RawTable",
    "Schema",
    "SurveyImport",
    "builtin_schemas",
    "import_survey",
    "import_with",
    "load_schema",
    "normalise",
    "read_table",
    "rejects_path",
    "respondent_weights",
    "write_rejects",
    "write_respondents",
]
