"""Declarative survey schemas.

A schema says, for each question of a survey export, the canonical variable it becomes,
its type, the column headers it may have, the allowed answers with their label variants,
and optional rules: number→band ("2" flights → the "1 à 3" band), answers that exclude a
respondent (non-residents, under 15), and values filled from another question (PCS of the
retired).  Schemas are YAML or JSON files; the built-in ones live in ``schemas/`` beside
this module.  See ``docs/survey-schemas.md`` for the format and a worked example.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..constants import SUGGESTION_CUTOFF
from ..errors import InputError, SchemaError
from ..i18n import Message, tr
from ..limits import check_file_size, read_yaml
from .params import DEFAULT_SCHEMA

BUILTIN_DIR = Path(__file__).with_name("schemas")
QUESTION_TYPES = ("choice", "number", "text")

_QUOTES = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "\u00a0": " ",
        "\u202f": " ",
    }
)
_SPACES = re.compile(r"\s+")
_RENAMED = re.compile(r" \(\d+\)$")
# a number as written in exports: decimal point or comma, optional exponent, thousands
# separated by (non-breaking) spaces ("1 000"); no underscores, no words
_NUMBER = re.compile(
    r"[+-]?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)?(?:[eE][+-]?\d+)?|[+-]?[.,]\d+"
)


def normalise(text: Any) -> str:
    """Return the matching key of a label or header.

    Case, accents, curly quotes, non-breaking and repeated spaces, and leading/trailing
    punctuation such as "…", "?", "," are ignored, so that "Mobilités actives (vélo, marche"
    and "mobilites actives (velo, marche," give the same key.
    """
    text = unicodedata.normalize("NFKD", str(text).translate(_QUOTES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _SPACES.sub(" ", text)
    return text.strip(" .,;:?!'\"")


def parse_number(text: str) -> float | None:
    """Parse a number written with a decimal point or a decimal comma; None if not one."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    value = float(re.sub("[ \u00a0\u202f]", "", text).replace(",", "."))
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class NumberBand:
    """A band of numbers coded as one answer: ``min``/``max`` inclusive, ``below``/``above``
    exclusive, any of them optional."""

    code: Any
    min: float | None = None
    max: float | None = None
    below: float | None = None
    above: float | None = None

    def contains(self, value: float) -> bool:
        return not (
            (self.min is not None and value < self.min)
            or (self.max is not None and value > self.max)
            or (self.below is not None and value >= self.below)
            or (self.above is not None and value <= self.above)
        )

    def describe(self) -> str:
        parts = []
        if self.min is not None:
            parts.append(f">= {self.min:g}")
        if self.above is not None:
            parts.append(f"> {self.above:g}")
        if self.max is not None:
            parts.append(f"<= {self.max:g}")
        if self.below is not None:
            parts.append(f"< {self.below:g}")
        if not parts:
            return "any number"
        text = parts[0]
        for part in parts[1:]:  # "a and b": its "and" in the user's language when shown
            text = Message("{low} and {high}", low=text, high=part)
        return text


@dataclass
class Match:
    """Outcome of matching one answer text: a code, or a reason it is not one."""

    code: Any = None
    missing: bool = False
    reason: str | None = None
    kind: str | None = None
    suggestion: str | None = None


@dataclass
class Question:
    variable: str
    type: str = "choice"
    label: str = ""
    ordered: bool = False
    required: bool = False
    headers: list[str] = field(default_factory=list)
    answers: dict[Any, list[str]] = field(default_factory=dict)
    number_bands: list[NumberBand] = field(default_factory=list)
    reject: dict[Any, str] = field(default_factory=dict)
    fill_from: dict | None = None
    min: float | None = None
    max: float | None = None
    truncation_min_length: int = 8

    def __post_init__(self) -> None:
        self._lookup: dict[str, Any] = {}
        self._display: dict[str, str] = {}
        # Codes are accepted as answers too ("2" for answer 2), except where numbers are
        # put in bands: there "2" is a number of flights, not answer 2.
        with_codes = self.type == "choice" and not self.number_bands
        for code, labels in self.answers.items():
            for label in [*labels, str(code)] if with_codes else labels:
                key = normalise(label)
                if not key:
                    continue
                other = self._lookup.get(key)
                if other is not None and other != code:
                    raise SchemaError(
                        f"question {self.variable!r}: label {label!r} is given for answers "
                        f"{other!r} and {code!r}"
                    )
                self._lookup[key] = code
                self._display.setdefault(key, label)
        #: characters beyond which an answer cannot be a label (spaces and punctuation
        #: that normalising removes allowed for, many times over)
        self._longest = 4 * max(map(len, self._display.values()), default=0) + 1000

    @property
    def codes(self) -> list:
        return list(self.answers)

    def expected(self) -> str:
        if self.type == "number":
            bounds = []
            if self.min is not None:
                bounds.append(f">= {self.min:g}")
            if self.max is not None:
                bounds.append(f"<= {self.max:g}")
            if bounds:
                return Message("a number ({bounds})", bounds=" and ".join(bounds))
            return "a number"
        if self.type == "text":
            return "any text"
        labels = [labels[0] if labels else str(code) for code, labels in self.answers.items()]
        choices = ", ".join(repr(label) for label in labels)
        if self.number_bands:
            low, high = self.band_range()
            if math.isfinite(low) and math.isfinite(high):
                return Message(
                    "a number from {low:g} to {high:g} or one of {choices}",
                    low=low,
                    high=high,
                    choices=choices,
                )
            return Message("one of {choices} or a number", choices=choices)
        return Message("one of {choices}", choices=choices)

    def band_range(self) -> tuple[float, float]:
        """The lowest and highest number the number bands take (-inf, inf: unbounded)."""
        lows = [b.min if b.min is not None else b.above for b in self.number_bands]
        highs = [b.max if b.max is not None else b.below for b in self.number_bands]
        low = -math.inf if any(v is None for v in lows) else min(lows, default=-math.inf)
        high = math.inf if any(v is None for v in highs) else max(highs, default=math.inf)
        return low, high

    def match(self, raw: str) -> Match:
        """Match one answer as exported; never guesses (see module docstring)."""
        text = raw.strip()
        if not text:
            return Match(missing=True)
        if self.type == "text":
            return Match(code=text)
        if self.type == "number":
            value = parse_number(text)
            if value is None:
                return Match(reason="not a number", kind="not a number")
            if (self.min is not None and value < self.min) or (
                self.max is not None and value > self.max
            ):
                return Match(reason="number out of range", kind="number out of range")
            return Match(code=value)
        if len(text) > self._longest:
            # far longer than every label (a free text pasted in the wrong column, a 10 MB
            # cell): no label, cut or number can match; not worth normalising nor comparing
            return Match(reason="unknown answer", kind="unknown answer")
        key = normalise(text)
        if key in self._lookup:
            return Match(code=self._lookup[key])
        if self.number_bands:
            value = parse_number(text)
            if value is not None:
                for band in self.number_bands:
                    if band.contains(value):
                        return Match(code=band.code)
                bands = {
                    f"band{i}": Message("{code}: {range}", code=b.code, range=b.describe())
                    for i, b in enumerate(self.number_bands)
                }
                return Match(
                    reason=Message(
                        "number outside every band ({bands})",
                        bands=Message("; ".join(f"{{{name}}}" for name in bands), **bands),
                    ),
                    kind="number out of range",
                )
        if len(key) >= self.truncation_min_length:
            codes = {code for label, code in self._lookup.items() if label.startswith(key)}
            if len(codes) == 1:
                return Match(code=codes.pop())
            if len(codes) > 1:
                return Match(
                    reason=Message(
                        "truncated label matches several answers: {codes}",
                        codes=", ".join(sorted(map(str, codes))),
                    ),
                    kind="ambiguous answer",
                )
        close = difflib.get_close_matches(key, list(self._lookup), n=1, cutoff=SUGGESTION_CUTOFF)
        return Match(
            reason="unknown answer",
            kind="unknown answer",
            suggestion=self._display[close[0]] if close else None,
        )

    def matches_header(self, header_key: str) -> int:
        """How well a normalised column header fits this question: 2 exact, 1 prefix, 0 no."""
        return _header_score(header_key, self.headers + [self.variable])


def _header_score(header_key: str, variants: list[str]) -> int:
    best = 0
    for variant in variants:
        key = normalise(variant)
        if not key:
            continue
        if header_key == key:
            return 2
        # Exports cut long question texts: a header that is the start of a long variant
        # matches it.  A header that goes on past a variant does not ("Quelle est votre
        # situation familiale" is not "Quelle est votre situation"): list full texts.
        if len(header_key) >= 15 and key.startswith(header_key):
            best = 1
    return best


@dataclass
class IdSpec:
    variable: str = "respondent_id"
    headers: list[str] = field(default_factory=list)
    required: bool = False


@dataclass
class Schema:
    name: str
    questions: dict[str, Question]
    id: IdSpec = field(default_factory=IdSpec)
    title: str = ""
    version: Any = 1
    location: dict[str, list[str]] = field(default_factory=dict)
    source: str | None = None

    @property
    def required(self) -> list[Question]:
        return [q for q in self.questions.values() if q.required]

    def match_columns(
        self, headers: list[str]
    ) -> tuple[dict[str, str], dict[str, str], list[str], dict[str, list[str]]]:
        """Map file headers to questions and location roles.

        Returns ``(questions, location, unknown, ambiguous)``: variable → header, role →
        header (roles ``lon``, ``lat``, ``x``, ``y``, ``area``, ``id``), the headers that
        match nothing, and variable (or role) → headers for questions (or roles) that
        several columns match equally well (an error for the caller to report: which one
        is right is not guessed; a role's first column is in ``location`` all the same).
        """
        # a repeated header was renamed "title (2)" by the reader: match it as "title"
        keys = {}
        for header in headers:
            base = _RENAMED.sub("", header)
            keys[header] = normalise(base if base in headers else header)
        question_columns: dict[str, str] = {}
        location_columns: dict[str, str] = {}
        ambiguous: dict[str, list[str]] = {}
        used: set[str] = set()
        id_variants = self.id.headers + [self.id.variable]
        roles = [("id", id_variants), *self.location.items()]
        for role, variants in roles:
            matching = [
                header
                for header, key in keys.items()
                if header not in used and _header_score(key, variants) == 2
            ]
            if matching:
                location_columns[role] = matching[0]
                used.update(matching)
            if len(matching) > 1:
                ambiguous[role] = matching
        for variable, question in self.questions.items():
            scored = [
                (question.matches_header(key), header)
                for header, key in keys.items()
                if header not in used
            ]
            scored = [item for item in scored if item[0] > 0]
            if not scored:
                continue
            best = max(score for score, _ in scored)
            candidates = [header for score, header in scored if score == best]
            if len(candidates) > 1:
                ambiguous[variable] = candidates
                used.update(candidates)
                continue
            question_columns[variable] = candidates[0]
            used.add(candidates[0])
        unknown = [header for header in headers if header not in used]
        return question_columns, location_columns, unknown, ambiguous


# --- loading ------------------------------------------------------------------------------


def builtin_schemas() -> list[str]:
    """Names of the schemas shipped with qet_geo."""
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))


def load_schema(name_or_path: str | Path | None = None) -> Schema:
    """Load a built-in schema by name (default ``near-su``) or a YAML/JSON schema file."""
    if name_or_path is None:
        name_or_path = DEFAULT_SCHEMA
    text = str(name_or_path)
    if text in builtin_schemas():
        return _load_builtin(text)
    path = Path(text)
    if not path.exists():
        raise SchemaError(
            f"{text}: "
            + tr(
                "no such schema file, and not a built-in schema (built-in: {names})",
                names=", ".join(builtin_schemas()),
            )
        )
    return _load_file(path)


@lru_cache(maxsize=8)
def _load_builtin(name: str) -> Schema:
    return _load_file(BUILTIN_DIR / f"{name}.yaml")


def _load_file(path: Path) -> Schema:
    check_file_size(path, "config_bytes")
    try:
        raw_text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"{path}: cannot read schema file: {exc}") from exc
    try:
        # no key twice; YAML: no aliases (a few bytes of them expand to gigabytes)
        data = (json.loads(raw_text, object_pairs_hook=_unique_keys)
                if path.suffix.lower() == ".json" else read_yaml(path))  # fmt: skip
    except InputError as exc:
        raise SchemaError(str(exc)) from exc
    except Exception as exc:  # yaml and json errors carry the line number
        raise SchemaError(
            f"{path}: "
            + tr("not valid {format}: {error}", format=path.suffix.lstrip(".").upper(), error=exc)
        ) from exc
    return schema_from_dict(data, source=str(path))


def _bound(value, where: str, name: str):
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise SchemaError(f"{where}: {name} {value!r} is not a number")
    return value


def _unique_keys(pairs) -> dict:
    """A JSON object whose keys are each given once (``json.loads`` keeps the last one)."""
    out = {}
    for key, value in pairs:
        if key in out:
            raise SchemaError(f"the key {key!r} is given twice in an object")
        out[key] = value
    return out


def schema_from_dict(data: Any, source: str = "<schema>") -> Schema:
    """Build and check a Schema from its YAML/JSON structure; a value of the wrong type
    anywhere is a :class:`SchemaError` naming the file, never a crash."""
    try:
        return _schema_from_dict(data, source)
    except SchemaError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        raise SchemaError(f"{source}: " + tr("not a valid schema: a value of the wrong type ({error})",
                                               error=f"{type(exc).__name__}: {exc}")) from exc  # fmt: skip


def _schema_from_dict(data: Any, source: str = "<schema>") -> Schema:
    if not isinstance(data, dict):
        raise SchemaError(f"{source}: a schema is a mapping with 'name' and 'questions'")
    for key in ("name", "questions"):
        if key not in data:
            raise SchemaError(f"{source}: missing key {key!r}")
    if not isinstance(data["questions"], dict) or not data["questions"]:
        raise SchemaError(f"{source}: 'questions' must map variable names to questions")
    trunc = int(data.get("truncation_min_length", 8))
    questions = {}
    for variable, spec in data["questions"].items():
        questions[variable] = _question(variable, spec, trunc, source)
    for question in questions.values():
        if question.fill_from:
            other = question.fill_from.get("variable")
            if other not in questions:
                raise SchemaError(
                    f"{source}: question {question.variable!r}: fill_from names unknown "
                    f"question {other!r}"
                )
    id_spec = data.get("id") or {}
    location = {
        role: [str(v) for v in variants] for role, variants in (data.get("location") or {}).items()
    }
    bad_roles = set(location) - {"lon", "lat", "x", "y", "area"}
    if bad_roles:
        raise SchemaError(f"{source}: unknown location role(s) {sorted(bad_roles)}")
    return Schema(
        name=str(data["name"]),
        title=str(data.get("title", "")),
        version=data.get("version", 1),
        questions=questions,
        id=IdSpec(
            variable=str(id_spec.get("variable", "respondent_id")),
            headers=[str(h) for h in id_spec.get("headers", [])],
            required=bool(id_spec.get("required", False)),
        ),
        location=location,
        source=source,
    )


def _code(code: Any) -> Any:
    """Answer codes written "1" (JSON keys are always text) are the integer 1."""
    if isinstance(code, str) and code.isdigit():
        return int(code)
    return code


def _question(variable: str, spec: Any, trunc: int, source: str) -> Question:
    where = f"{source}: question {variable!r}"
    if not isinstance(spec, dict):
        raise SchemaError(f"{where}: expected a mapping")
    qtype = spec.get("type", "choice")
    if qtype not in QUESTION_TYPES:
        raise SchemaError(f"{where}: type {qtype!r} is not one of {QUESTION_TYPES}")
    answers = spec.get("answers") or {}
    if qtype == "choice" and not answers:
        raise SchemaError(f"{where}: a choice question needs 'answers'")
    if not isinstance(answers, dict):
        raise SchemaError(f"{where}: 'answers' maps each code to a list of labels")
    answers = {
        _code(code): [str(label) for label in (labels if isinstance(labels, list) else [labels])]
        for code, labels in answers.items()
    }
    bands = []
    for band in spec.get("number_bands") or []:
        if not isinstance(band, dict) or "code" not in band:
            raise SchemaError(f"{where}: each number band needs a 'code'")
        band = {**band, "code": _code(band["code"])}
        if band["code"] not in answers:
            raise SchemaError(f"{where}: number band code {band['code']!r} is not an answer")
        unknown = set(band) - {"code", "min", "max", "below", "above"}
        if unknown:
            raise SchemaError(f"{where}: unknown number band key(s) {sorted(unknown)}")
        for bound in ("min", "max", "below", "above"):
            value = band.get(bound)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, (int, float))
            ):
                raise SchemaError(f"{where}: number band {bound} {value!r} is not a number")
        bands.append(NumberBand(**band))
    reject = {_code(code): reason for code, reason in (spec.get("reject") or {}).items()}
    for code in reject:
        if code not in answers:
            raise SchemaError(f"{where}: reject names {code!r}, which is not an answer")
    fill_from = spec.get("fill_from")
    if fill_from is not None:
        values = fill_from.get("values") if isinstance(fill_from, dict) else None
        if isinstance(values, dict):
            fill_from = {**fill_from, "values": {k: _code(v) for k, v in values.items()}}
            values = fill_from["values"]
        if not isinstance(values, dict) or any(v not in answers for v in values.values()):
            raise SchemaError(
                f"{where}: fill_from needs 'variable' and 'values' mapping "
                "answers of that question to answers of this one"
            )
    headers = spec.get("headers") or []
    if isinstance(headers, str):
        headers = [headers]
    return Question(
        variable=variable,
        type=qtype,
        label=str(spec.get("label", "")),
        ordered=bool(spec.get("ordered", False)),
        required=bool(spec.get("required", False)),
        headers=[str(h) for h in headers],
        answers=answers,
        number_bands=bands,
        reject={code: str(reason) for code, reason in reject.items()},
        fill_from=fill_from,
        min=_bound(spec.get("min"), where, "min"),
        max=_bound(spec.get("max"), where, "max"),
        truncation_min_length=int(spec.get("truncation_min_length", trunc)),
    )
