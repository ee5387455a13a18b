"""Typed errors of qet_geo.

Every error raised for bad input names where the problem is (file, row, column, value) and
what was expected, so that the command line, the QGIS plugin and library users can show it
as it is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .i18n import language, tr

#: characters of an over-long value echoed in a message or a rejects file
#: (:data:`qet_geo.limits.ECHO_CHARS` is this one)
ECHO_CHARS = 200


class QetGeoError(Exception):
    """Base class of every error qet_geo raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file.

    ``row`` is the number a person finds the row by: the line of a CSV/TSV file in a text
    editor (header = 1), the row of a spreadsheet, the feature id of a layer; ``None`` for
    a problem with the whole file.

    ``reason`` and ``expected`` are English text (the rejects file and the JSON report keep
    them as they are: stable keys for scripts). One with values (a count, a row, a column)
    is a :class:`qet_geo.i18n.Message`: that same English text, carrying its message id (the
    template with ``{fields}``) and its values, so that it is shown in the user's language
    by its template, never by re-parsing the English.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str
    expected: str | None = None
    suggestion: str | None = None
    #: characters of the whole value when ``value`` holds only its beginning: every value
    #: is cut to :data:`ECHO_CHARS` characters here, the one place where
    #: echoed values are bounded (a 10 MB answer makes a message of a few hundred bytes,
    #: in the text and in ``--json`` alike; the rejects file keeps the row as read)
    value_chars: int | None = None

    def __post_init__(self) -> None:
        value = self.value
        if isinstance(value, str) and len(value) > ECHO_CHARS:
            if self.value_chars is None:
                object.__setattr__(self, "value_chars", len(value))
            object.__setattr__(self, "value", value[:ECHO_CHARS])

    @classmethod
    def of(
        cls,
        file: str,
        reason: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        expected: str | None = None,
        suggestion: str | None = None,
    ) -> Problem:
        """A problem named by keywords: ``Problem.of(path, "the file is empty")``."""
        return cls(file, row, column, value, reason, expected, suggestion)

    def to_dict(self) -> dict:
        """The fields (reasons in English: stable keys) and ``message``, the translated line."""
        return {**asdict(self), "message": str(self)}

    def __str__(self) -> str:
        """The problem in one line, in the user's language (see :mod:`qet_geo.i18n`)."""
        where = [self.file]
        if self.row is not None:
            where.append(f"{tr('row')} {self.row}")
        if self.column is not None:
            where.append(f"{tr('column')} {self.column!r}")
        text = ", ".join(where)
        if self.value is not None:
            text += f": {tr('value')} {self.value!r}"
            if self.value_chars is not None:
                text += "… " + tr("({n} characters)", n=_count(self.value_chars))
        text += f": {tr(self.reason)}"
        if self.expected:
            text += f"; {tr('expected')} {tr(self.expected)}"
        if self.suggestion:
            text += f" ({tr('did you mean')} {self.suggestion!r}?)"
        return text


def _count(number: int) -> str:
    """A whole number with its thousands grouped as the user's language writes them."""
    text = f"{number:,}"
    return text.replace(",", "\u202f") if language() == "fr" else text


class InputError(QetGeoError):
    """An input file cannot be used; ``problems`` says exactly why."""

    def __init__(self, problems: Problem | list[Problem]):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)

        message = str(self.problems[0])
        if len(self.problems) > 1:
            message += f" ({tr('and')} {len(self.problems) - 1} {tr('more problem(s)')})"
        super().__init__(message)


class SchemaError(QetGeoError):
    """A survey schema file is not valid."""


class OutputError(QetGeoError):
    """An output cannot be written."""


class ParameterError(QetGeoError):
    """A parameter of a command or an algorithm cannot be used (the message says why)."""


class Canceled(QetGeoError):
    """The caller asked to stop (``is_canceled()`` returned True)."""
