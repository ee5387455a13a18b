"""Each EMdV or NGC respondent's profile (docs/diagnostic.md): the surveys share only the
neighbourhood and the profile, so no person-level join is made.

The profiles come from NEAR's ``Su Data.json`` (each SU's database id, local number
``Su``, population share ``Pop Percentage`` and barycentre) or from a saved
:class:`~qet_geo.profiles.model.ProfileModel` (``profiles.json``).  A respondent is linked

- **declared**: by the code it gave (the "code secret" e-mailed after the SU survey: the
  local number; in a NEAR export, the SU's database id when ``Know Su`` is true), checked
  against the profiles: a code the profiles lack is an error of the row;
- **assigned**: else by its six SU answers, to the nearest barycentre (NEAR's script 2,
  with NEAR's current weights) or by the model's own assignment, with its distance;

and the link's origin is kept (``link``: ``declared`` / ``assigned``).  A respondent with
neither stays in the pooled figures only (``link`` empty).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import limits
from ..errors import InputError, Problem
from ..i18n import Message
from ..survey.schema import parse_number
from .records import read_records
from .su_codes import NEAR_CODES, SU_VARIABLES

#: NEAR's current CO2 weights of the answers 1/2/3 (docs/profiles.md), in SU_VARIABLES order
NEAR_WEIGHTS = np.array([
    [200, 1000, 2000], [0, 300, 2300], [90, 180, 360],
    [400, 800, 1600], [0, 800, 2000], [200, 1100, 1600],
], dtype=float)  # fmt: skip


@dataclass
class Profiles:
    """The profiles a diagnostic is read against: local numbers, names, population shares,
    and how a code or six answers give one."""

    source: str  # the file
    kind: str  # "su-data" or "model"
    numbers: list
    shares: dict  # number → share of the population (sums to 1)
    names: dict = field(default_factory=dict)
    su_ids: dict = field(default_factory=dict)  # NEAR database id → number
    barycentres: dict = field(default_factory=dict)  # number → six weights
    model: object = None
    #: a declared code → its profile, when the codes respondents got are the detection's
    #: numbers and the profiles are published grouped (a fitted model's small profiles)
    declared: dict = field(default_factory=dict)

    def assign(self, codes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Profile number and distance of each row of six answer codes (complete rows)."""
        if self.model is not None:  # the model's profile, as it publishes it
            got = self.model.predict(codes.astype("Int64"), source=self.source)
            labels = got["profile"].to_numpy(dtype=float)
            published = self.model.published_labels(labels)
            # a saved (shareable) model predicts its published numbers, the group's too
            published = np.where(
                np.isnan(published) & np.isin(labels, self.numbers), labels, published
            )
            return published, got["distance"].to_numpy(dtype=float)
        x = np.stack([NEAR_WEIGHTS[j][codes[v].to_numpy(dtype=int) - 1]
                      for j, v in enumerate(SU_VARIABLES)], axis=1)  # fmt: skip
        numbers = np.array(self.numbers)
        centres = np.stack([self.barycentres[p] for p in self.numbers])
        d = np.sqrt(((x[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))
        best = d.argmin(axis=1)
        return numbers[best].astype(float), d[np.arange(len(x)), best]


def read_su_data(path) -> Profiles:
    """NEAR's SU records (``Su Data.json``, a Metabase export): id, ``Su``,
    ``Pop Percentage``, ``Barycenter``."""
    name = str(path)
    content = limits.read_json(path)
    rows = content if isinstance(content, list) else None
    if not rows:
        raise InputError(Problem.of(name, "not a list of SU records",
                                    expected="the Metabase export of Su Data (a JSON list)"))  # fmt: skip
    numbers, shares, su_ids, centres = [], {}, {}, {}
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise InputError(Problem.of(name, "an SU record is not an object", row=i))
        for column in ("ID", "Su", "Pop Percentage", "Barycenter"):
            if column not in row:
                raise InputError(Problem.of(name, Message("no column {column!r}", column=column),
                                            row=i, expected="ID, Su, Pop Percentage, Barycenter"))  # fmt: skip
        number = parse_number(str(row["Su"]))
        share = parse_number(str(row["Pop Percentage"]))
        if number is None or number != int(number) or number < 0:
            raise InputError(Problem.of(name, "not an SU number", row=i, column="Su",
                                        value=limits.echo(str(row["Su"])),
                                        expected="a whole number"))  # fmt: skip
        if share is None or not 0 <= share <= 100:
            raise InputError(Problem.of(name, "not a percentage", row=i, column="Pop Percentage",
                                        value=limits.echo(str(row["Pop Percentage"])),
                                        expected="a number from 0 to 100"))  # fmt: skip
        try:
            centre = row["Barycenter"]
            centre = np.array(
                json.loads(centre) if isinstance(centre, str) else centre, dtype=float
            )
            if centre.shape != (6,) or not np.isfinite(centre).all():
                raise ValueError
        except (ValueError, TypeError) as exc:
            raise InputError(Problem.of(name, "not a barycentre of six numbers", row=i,
                                        column="Barycenter",
                                        value=limits.echo(str(row["Barycenter"])),
                                        expected="a list of six numbers")) from exc  # fmt: skip
        number = int(number)
        if number in shares:
            raise InputError(Problem.of(name, "the same SU number twice", row=i, column="Su",
                                        value=str(number), expected="one record per SU"))  # fmt: skip
        numbers.append(number)
        shares[number] = share
        su_ids[str(row["ID"]).strip()] = number
        centres[number] = centre
    total = sum(shares.values())
    if total <= 0:
        raise InputError(Problem.of(name, "the population shares sum to 0",
                                    column="Pop Percentage", expected="shares summing to 100"))  # fmt: skip
    if abs(total - 100) > 1:
        raise InputError(Problem.of(name, "the population shares do not sum to 100",
                                    column="Pop Percentage", value=f"{total:g}",
                                    expected="shares summing to 100"))  # fmt: skip
    shares = {p: s / total for p, s in shares.items()}
    return Profiles(name, "su-data", sorted(numbers), shares, {p: f"SU {p}" for p in numbers},
                    su_ids, centres)  # fmt: skip


def model_profiles(model, source: str = "profiles.json") -> Profiles:
    """The profiles of a model (fitted, or saved: ``profiles.json``) as it publishes them:
    the profiles of at least its threshold of respondents, then the group of the small
    ones (``Petits profils regroupés``) if any — never a small profile of its own, whose
    figures would be published under the threshold. Their numbers, names and shares (a
    share the model hides, the group's, is what the others leave: it is known from them)."""
    from ..profiles.assign import read_model

    if not hasattr(model, "predict"):
        source = str(model)
        model = read_model(model)
    entries = model.published_profiles()
    from ..profiles.publish import SHAREABLE, numbering

    declared = {}
    if getattr(model, "kind_", None) != SHAREABLE:  # fitted: codes are the detection's numbers
        declared = {int(p): int(q) for p, q in numbering(model).items()}
    shares = {int(e["profile"]): e.get("share") for e in entries}
    known = sum(float(v) for v in shares.values() if v is not None)
    missing = [p for p, v in shares.items() if v is None]
    for p in missing:
        shares[p] = max(0.0, 1.0 - known) / len(missing)
    total = sum(float(v) for v in shares.values()) or 1.0
    return Profiles(source, "model", sorted(shares),
                    {p: float(v) / total for p, v in shares.items()},
                    {int(e["profile"]): e["name"] for e in entries}, model=model,
                    declared=declared)  # fmt: skip


def link_profiles(answers: pd.DataFrame, profiles: Profiles, file: str):
    """``profile`` (Int64), ``link`` (declared / assigned / None), ``distance`` and
    ``near_profile`` (NEAR's own, from its SU id) of each respondent, and the problems of
    rows whose code the profiles lack (those rows are to be rejected)."""
    n = len(answers)
    profile = np.full(n, np.nan)
    link = np.full(n, None, dtype=object)
    distance = np.full(n, np.nan)
    near = np.full(n, np.nan)
    problems: dict[int, Problem] = {}
    known = set(profiles.numbers)
    su_code = answers["su_code"].to_numpy(dtype=float, na_value=np.nan)
    su_id = answers["su_id"].astype("string").to_numpy(dtype=object, na_value=None)
    know = answers["know_su"].to_numpy(dtype=object, na_value=None)
    rows = answers["row"].to_numpy()
    for i in range(n):
        if su_id[i] is not None and profiles.su_ids:
            number = profiles.su_ids.get(su_id[i])
            if number is None:
                problems[i] = Problem.of(
                    file, "an SU id the profiles lack", row=int(rows[i]), column="Su ID",
                    value=su_id[i], expected=Message("one of {ids} ({source})",
                                                     ids=", ".join(profiles.su_ids),
                                                     source=profiles.source))  # fmt: skip
                continue
            near[i] = number
        if not np.isnan(su_code[i]):
            code = int(su_code[i])
            number = profiles.declared.get(code) if profiles.declared else code
            if number is None or number not in known:
                codes = sorted(profiles.declared) if profiles.declared else profiles.numbers
                problems[i] = Problem.of(
                    file, "a profile code the profiles lack", row=int(rows[i]), column="Su",
                    value=str(code), expected=Message("one of {codes} ({source})",
                                                      codes=", ".join(map(str, codes)),
                                                      source=profiles.source))  # fmt: skip
                continue
            profile[i], link[i] = number, "declared"
        elif know[i] is True and not np.isnan(near[i]):
            profile[i], link[i] = near[i], "declared"
    codes = answers[list(SU_VARIABLES)]
    open_ = np.isnan(profile) & codes.notna().all(axis=1).to_numpy()
    open_[list(problems)] = False
    if open_.any():
        p, d = profiles.assign(codes[open_])
        profile[open_], distance[open_] = p, d
        link[open_] = np.where(np.isnan(p), None, "assigned")
    out = pd.DataFrame(index=answers.index)
    out["profile"] = pd.array([None if np.isnan(v) else int(v) for v in profile], dtype="Int64")
    out["link"] = link
    out["distance"] = distance
    out["near_profile"] = pd.array([None if np.isnan(v) else int(v) for v in near], dtype="Int64")
    return out, problems


def su_counts(path, profiles: Profiles) -> tuple[dict, int]:
    """SU respondents per profile of the SU answers ``path`` (a NEAR export with ``Su ID``,
    a file with a ``profile`` column, or the six SU answers, assigned as the diagnostic's
    respondents are) and the number of rows read. Each row with neither is an error."""
    numbers, _, rows = su_answers(path, profiles)
    counts = dict.fromkeys(profiles.numbers, 0)
    for number in numbers:
        counts[int(number)] += 1
    return counts, rows


def su_answers(path, profiles: Profiles) -> tuple[np.ndarray, pd.DataFrame | None, int]:
    """(the profile of each SU respondent of ``path``, their six answer codes 1/2/3 — NaN
    where unanswered — when the file gives them, the number of rows read): see
    :func:`su_counts`."""
    table = read_records(path)
    data, name = table.data, str(path)
    columns = {snake_of(c): c for c in data.columns}
    six = all(v in columns for v in SU_VARIABLES)
    if "su_id" in columns and profiles.su_ids:
        numbers = []
        for row, value in data[columns["su_id"]].items():
            number = profiles.su_ids.get(str(value).strip())
            if number is None:
                raise InputError(Problem.of(
                    name, "an SU id the profiles lack", row=int(row), column=columns["su_id"],
                    value=limits.echo(str(value)),
                    expected=Message("one of {ids} ({source})", ids=", ".join(profiles.su_ids),
                                     source=profiles.source)))  # fmt: skip
            numbers.append(number)
        codes = _six_codes(data, columns, name, missing_ok=True) if six else None
        return np.array(numbers, dtype=float), codes, len(data)
    if "profile" in columns:
        numbers = []
        for row, value in data[columns["profile"]].items():
            number = parse_number(value)
            if number is None or int(number) not in profiles.numbers:
                raise InputError(Problem.of(
                    name, "a profile code the profiles lack", row=int(row),
                    column=columns["profile"], value=limits.echo(str(value)),
                    expected=Message("one of {codes} ({source})",
                                     codes=", ".join(map(str, profiles.numbers)),
                                     source=profiles.source)))  # fmt: skip
            numbers.append(int(number))
        codes = _six_codes(data, columns, name, missing_ok=True) if six else None
        return np.array(numbers, dtype=float), codes, len(data)
    if six:
        codes = _six_codes(data, columns, name, missing_ok=False)
        numbers, _ = profiles.assign(codes.astype(int))
        return np.asarray(numbers, dtype=float), codes, len(data)
    counted = _answers_from_survey(path, profiles)  # the SU survey's own export
    if counted is not None:
        return counted
    raise InputError(Problem.of(
        name, "no column giving the SU respondents' profile",
        expected="Su ID, profile, or the six SU answers (Meat Frequency, …)"))  # fmt: skip


def _six_codes(data: pd.DataFrame, columns: dict, name: str, *, missing_ok: bool) -> pd.DataFrame:
    """The six SU answers as codes 1/2/3 (NEAR's enum codes or the codes themselves); an
    empty answer is NaN where ``missing_ok``, else an error like any unknown code."""
    codes = {}
    for variable in SU_VARIABLES:
        column = columns[variable]
        values = []
        for row, value in data[column].items():
            text = (
                ""
                if value is None or (isinstance(value, float) and np.isnan(value))
                else str(value).strip()
            )
            code = NEAR_CODES[variable].get(text) or (
                int(text) if text in ("1", "2", "3") else None
            )
            if code is None and not (missing_ok and text in ("", "None", "nan")):
                raise InputError(Problem.of(
                    name, "unknown answer code", row=int(row), column=column,
                    value=limits.echo(text),
                    expected=Message("one of {codes}",
                                     codes=", ".join([*NEAR_CODES[variable], "1", "2", "3"]))))  # fmt: skip
            values.append(np.nan if code is None else float(code))
        codes[variable] = values
    return pd.DataFrame(codes)


def _answers_from_survey(path, profiles: Profiles):
    """(profiles, answer codes, rows read) of an SU survey export the survey import reads
    (the ``near-su`` schema: its French headers), each imported respondent assigned by the
    profiles; None when the file is not one."""
    from ..survey import import_survey  # the survey import: only for such a file

    try:
        result = import_survey(path, extent=None)
    except InputError:
        return None
    respondents = result.respondents
    if not len(respondents) or not all(v in respondents.columns for v in SU_VARIABLES):
        return None
    codes = respondents[list(SU_VARIABLES)].astype(int).reset_index(drop=True)
    numbers, _ = profiles.assign(codes)
    return np.asarray(numbers, dtype=float), codes.astype(float), result.report.rows_read


def snake_of(header: str) -> str:
    """A header as its snake_case column ("Su ID" → ``su_id``)."""
    return re.sub(r"[^a-z0-9]+", "_", str(header).lower()).strip("_")
