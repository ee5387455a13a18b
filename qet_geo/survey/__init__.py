"""Survey import: schemas, readers, validation and the Respondents table."""

from .importer import ImportReport, Location, SurveyImport, import_survey, respondent_weights
from .readers import RawTable, read_table
from .schema import Question, Schema, builtin_schemas, load_schema, normalise
from .writers import write_rejects, write_respondents

__all__ = [
    "ImportReport",
    "Location",
    "Question",
    "RawTable",
    "Schema",
    "SurveyImport",
    "builtin_schemas",
    "import_survey",
    "load_schema",
    "normalise",
    "read_table",
    "respondent_weights",
    "write_rejects",
    "write_respondents",
]
