"""Answers as numbers: the SU variables, NEAR's CO2 weights and the other encodings.

Every method works on *distinct* answer vectors with their summed respondent weights
(:func:`distinct_rows`): with six answers of three levels there are at most 729 of them, so
the cost of a fit no longer grows with the number of respondents, and weighted methods give
the same result as on the respondents one by one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..constants import SU_FIELDS
from ..errors import InputError, Problem
from ..i18n import Message
from ..limits import read_json

#: The six SU variables, in NEAR's order ([NEAR-SU]).
SU_VARIABLES = SU_FIELDS

#: NEAR's CO2 weights of the answer codes 1/2/3 ([NEAR-SU]; unit not stated by NEAR).
WEIGHT_PRESETS = {
    "current": {
        "meat_frequency": (200, 1000, 2000),
        "transportation_mode": (0, 300, 2300),
        "digital_intensity": (90, 180, 360),
        "purchasing_strategy": (400, 800, 1600),
        "air_travel_frequency": (0, 800, 2000),
        "heat_source": (200, 1100, 1600),
    },
    "2023": {
        "meat_frequency": (365, 1000, 2200),
        "transportation_mode": (500, 1000, 3000),
        "digital_intensity": (32, 130, 390),
        "purchasing_strategy": (62, 300, 630),
        "air_travel_frequency": (0, 1500, 3500),
        "heat_source": (330, 2090, 3000),
    },
}

#: Footprint columns standing for each SU variable (``encoding="footprints"``).
FOOTPRINT_OF = {
    "meat_frequency": "fp_alimentation",
    "transportation_mode": "fp_mobilite",
    "digital_intensity": "fp_numerique",
    "purchasing_strategy": "fp_achats",
    "air_travel_frequency": "fp_avion",
    "heat_source": "fp_chauffage",
}

ENCODINGS = ("weights", "standardised", "onehot", "footprints")


def resolve_weights(weights, variables) -> dict[str, tuple[float, ...]]:
    """A preset name, or a mapping variable → values of the codes 1, 2, 3…"""
    if isinstance(weights, str):
        if weights not in WEIGHT_PRESETS:
            raise ValueError(
                f"unknown weight preset {weights!r}; expected one of "
                + ", ".join(map(repr, WEIGHT_PRESETS))
                + " or a mapping variable → weights of codes 1, 2, 3"
            )
        table = WEIGHT_PRESETS[weights]
    else:
        table = check_weights(weights, "weights", variables)
    missing = [v for v in variables if v not in table]
    if missing:
        raise ValueError("no weights for " + ", ".join(missing))
    return {v: tuple(float(x) for x in table[v]) for v in variables}


#: What a weights file holds, as said in its errors.
WEIGHTS_EXPECTED = (
    'a JSON object {"meat_frequency": [200, 1000, 2000], …}: per variable, the '
    "weights of its answer codes 1, 2, 3 (numbers ≥ 0)"
)


def weights_of(text: str, variables=SU_VARIABLES):
    """A ``weights`` parameter: the name of a preset (:data:`WEIGHT_PRESETS`) as it is,
    else the weights read from that JSON file (:func:`read_weights`)."""
    return text if text in WEIGHT_PRESETS else read_weights(text, variables)


def read_weights(path, variables=SU_VARIABLES) -> dict[str, tuple[float, ...]]:
    """NEAR's CO2 weights from a JSON file, checked (:func:`check_weights`)."""
    return check_weights(read_json(path, "config_bytes"), str(path), variables)


def check_weights(table, source: str, variables=SU_VARIABLES) -> dict[str, tuple[float, ...]]:
    """A mapping variable → weights of codes 1, 2, 3…, every one a finite number ≥ 0, with
    every variable of ``variables``; else an :class:`InputError` naming ``source``, the
    variable, the value and what was expected."""
    import math

    if not isinstance(table, dict):
        raise InputError(
            Problem.of(source, "not a table of weights", value=type(table).__name__,
                       expected=WEIGHTS_EXPECTED)
        )  # fmt: skip
    problems = [Problem.of(source, "no weights for this variable", column=v, expected=WEIGHTS_EXPECTED)
                for v in variables if v not in table]  # fmt: skip
    out = {}
    for key, values in table.items():
        shown = str(values)[:80]
        if not isinstance(values, list | tuple) or not values:
            problems.append(Problem.of(source, "not a list of weights", column=str(key),
                                       value=shown, expected=WEIGHTS_EXPECTED))  # fmt: skip
            continue
        ok = all(
            isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) and x >= 0
            for x in values
        )
        if not ok:
            problems.append(Problem.of(source, "a weight is not a finite number ≥ 0", column=str(key),
                                       value=shown, expected=WEIGHTS_EXPECTED))  # fmt: skip
            continue
        out[str(key)] = tuple(float(x) for x in values)
    if problems:
        raise InputError(problems)
    return out


@dataclass
class Distinct:
    """Distinct answer vectors: ``codes`` (m × p ints), their summed respondent ``weight``,
    ``count`` of respondents, ``first`` respondent position, and ``inverse`` (respondent →
    row of ``codes``)."""

    codes: np.ndarray
    weight: np.ndarray
    count: np.ndarray
    first: np.ndarray
    inverse: np.ndarray


def answer_codes(respondents: pd.DataFrame, variables, source: str = "respondents", allowed=None):
    """(codes as an int array n × p, mask of complete rows).

    A missing column, a value that is not a whole number and, with ``allowed`` (variable →
    codes), a code outside them are errors naming the row, column and value; an empty
    answer leaves the respondent out (``complete`` is False)."""
    missing = [v for v in variables if v not in respondents.columns]
    if missing:
        raise InputError(
            Problem.of(
                source,
                "missing answer column(s) for the profiles",
                value=", ".join(missing),
                expected=Message(
                    "the variables of the model: {variables}", variables=", ".join(variables)
                ),
            )
        )
    frame = respondents[list(variables)]
    values = np.empty((len(frame), len(variables)), dtype=np.int64)
    complete = np.ones(len(frame), dtype=bool)
    for j, variable in enumerate(variables):
        raw = frame[variable]
        column = pd.to_numeric(raw, errors="coerce")
        ok = column.notna().to_numpy()
        blank = raw.isna().to_numpy() | raw.astype(str).str.strip().eq("").to_numpy()
        numbers = column.to_numpy(dtype=float, na_value=np.nan)
        safe = np.where(ok, numbers, 0)
        codes = sorted(allowed[variable]) if allowed and variable in allowed else None
        bad = (~ok & ~blank) | (ok & (safe != np.round(safe)))
        if codes is not None:
            bad |= ok & ~np.isin(safe, codes)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(
                Problem.of(
                    source,
                    "not an answer code of the model",
                    row=_row_of(respondents, row),
                    column=variable,
                    value=str(raw.iloc[row]),
                    expected=Message(
                        "codes {codes}", codes=", ".join(map(str, codes or (1, 2, 3)))
                    ),
                )
            )
        values[:, j] = safe.astype(np.int64)
        complete &= ok
    return values, complete


def _row_of(respondents: pd.DataFrame, position: int) -> int:
    if "source_row" in respondents.columns:
        return int(respondents["source_row"].iloc[position])
    return position + 1


def respondent_weights(respondents: pd.DataFrame, sample_weight=None, rows=None) -> np.ndarray:
    """Respondent weights: ``sample_weight`` (array or column name), else the ``weight``
    column, else 1; they must be finite and positive."""
    if sample_weight is None:
        sample_weight = "weight" if "weight" in respondents.columns else None
    if sample_weight is None:
        return np.ones(len(respondents))
    if isinstance(sample_weight, str):
        w = pd.to_numeric(respondents[sample_weight], errors="coerce").to_numpy(dtype=float)
        name = sample_weight
    else:
        w = np.asarray(sample_weight, dtype=float)
        name = "weight"
    if len(w) != len(respondents):
        raise ValueError("sample_weight has not one value per respondent")
    bad = ~np.isfinite(w) | (w <= 0)
    if rows is not None:  # only the respondents used must have a weight
        bad &= np.asarray(rows, dtype=bool)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            Problem.of(
                "respondents",
                "respondent weight must be a positive number",
                row=_row_of(respondents, row),
                column=name,
                value=str(w[row]),
                expected="a number > 0",
            )
        )
    return w


def distinct_rows(codes: np.ndarray, weights: np.ndarray) -> Distinct:
    """Group identical answer vectors (in order of first appearance)."""
    if len(codes) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Distinct(codes[:0], np.zeros(0), empty, empty, empty)
    low, high = int(codes.min()), int(codes.max())
    base = high - low + 1
    if base ** codes.shape[1] < 2**62:  # one integer per vector: a fast 1-D unique
        key = np.zeros(len(codes), dtype=np.int64)
        for j in range(codes.shape[1]):
            key = key * base + (codes[:, j] - low)
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(codes, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    order = np.argsort(first, kind="stable")  # rows in order of first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    inverse = rank[inverse]
    first = first[order]
    weight = np.bincount(inverse, weights=weights, minlength=len(first))
    count = np.bincount(inverse, minlength=len(first))
    return Distinct(codes[first], weight, count, first, inverse)


def encode(codes: np.ndarray, variables, encoding: str, *, weights=None, stats=None, levels=None):
    """Numbers of answer codes for a method, and the statistics that fix the encoding (kept
    in the model so later surveys are encoded the same way).

    - ``weights``: NEAR's CO2 weights of each code (``weights`` is the table);
    - ``standardised``: codes centred and scaled by the fitting data's weighted mean and
      standard deviation;
    - ``onehot``: one 0/1 column per code seen at fitting (``stats["levels"]``).
    """
    if encoding == "weights":
        out = np.empty(codes.shape, dtype=float)
        for j, variable in enumerate(variables):
            table = np.asarray(weights[variable], dtype=float)
            index = codes[:, j] - 1
            if ((index < 0) | (index >= len(table))).any():
                bad = codes[:, j][(index < 0) | (index >= len(table))][0]
                raise ValueError(f"code {bad} of {variable} has no weight")
            out[:, j] = table[index]
        return out, stats or {}
    if encoding == "standardised":
        x = codes.astype(float)
        if stats is None:
            w = np.ones(len(x)) if weights is None else weights
            mean = np.average(x, axis=0, weights=w)
            std = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=w))
            stats = {"mean": mean.tolist(), "std": np.where(std > 0, std, 1.0).tolist()}
        return (x - np.asarray(stats["mean"])) / np.asarray(stats["std"]), stats
    if encoding == "onehot":
        if stats is None:  # every code a variable may take (``levels``), seen or not
            known = levels or {}
            stats = {
                "levels": [
                    sorted(set(known.get(v, ())) | {int(c) for c in np.unique(codes[:, j])})
                    for j, v in enumerate(variables)
                ]
            }
        columns = [
            (codes[:, j] == level).astype(float)
            for j in range(codes.shape[1])
            for level in stats["levels"][j]
        ]
        return np.column_stack(columns) if columns else np.zeros((len(codes), 0)), stats
    raise ValueError(f"unknown encoding {encoding!r}; expected one of {', '.join(ENCODINGS)}")
