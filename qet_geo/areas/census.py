"""Census margins (INSEE "base-ic-evol-struct-pop", [INSEE-base-ic]), representativeness and
raking weights.

Margins of the population aged 15 or more, per IRIS: age ``P21_POP1529`` … ``P21_POP75P``,
sex ``C21_H15P``/``C21_F15P``, PCS ``C21_POP15P_CS1`` … ``CS8``; total ``C21_POP15P``. The
year in the column names (21 for 2021) is read from the file, whatever it is.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, ParameterError, Problem, QetGeoError
from ..i18n import Message, tr
from ..limits import check_file_size
from ..parameters import check_path
from .params import DEFAULT_RAKING_CAP

#: survey variable -> category -> census column (``{y}`` is the census year, e.g. 21)
MARGINS = {
    "age_class": {
        "15-29": "P{y}_POP1529",
        "30-44": "P{y}_POP3044",
        "45-59": "P{y}_POP4559",
        "60-74": "P{y}_POP6074",
        "75+": "P{y}_POP75P",
    },
    "gender": {"homme": "C{y}_H15P", "femme": "C{y}_F15P"},
    "pcs": {f"CS{i}": f"C{{y}}_POP15P_CS{i}" for i in range(1, 9)},
}
POPULATION = "C{y}_POP15P"
CODE = "IRIS"


class RakingError(QetGeoError):
    """Raking cannot reach the census margins (the message says which and why)."""


@dataclass
class Census:
    """Census rows by IRIS code: ``table`` indexed by code with ``population`` (15+) and one
    column per (variable, category)."""

    table: pd.DataFrame
    source: str
    year: str
    variables: dict = field(default_factory=dict)  # variable -> [categories]


def read_census(path: str | Path) -> Census:
    """Read an INSEE IRIS file (``;``-separated; ``,`` accepted) with its IRIS code column.

    Parameters
    ----------
    path : str or pathlib.Path
        INSEE's ``base-ic-evol-struct-pop`` file (or an extract of it): the column
        ``IRIS``, the population aged 15 or more ``C<yy>_POP15P`` and the margins of age,
        sex and PCS.

    Returns
    -------
    Census
        ``table`` (one row per IRIS), ``source``, ``year`` and ``variables`` (variable →
        its categories), for :func:`qet_geo.map_areas` (``census=``).

    Raises
    ------
    InputError
        No IRIS code column, not one population column, no row, a bad number, a
        duplicate IRIS code (file, row, column, value).

    References
    ----------
    [INSEE-base-ic]: the file and its margins; [Deming-Stephan-1940]: the raking they
    serve. The page is ``docs/areas.md#representativeness-and-weights``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> census = qg.read_census("base-ic-evol-struct-pop-2021.csv")  # doctest: +SKIP
    >>> census.year  # doctest: +SKIP
    '21'
    """
    check_path(path, "read_census", "path")
    name = str(path)
    check_file_size(path)
    raw = _census_table(Path(path), name)
    if CODE not in raw.columns:
        raise InputError(
            Problem.of(
                name,
                "no IRIS code column",
                expected=Message("a column {code!r} (INSEE)", code=CODE),
            )
        )
    years = {m.group(1) for c in raw.columns if (m := re.fullmatch(r"C(\d\d)_POP15P", c))}
    if len(years) != 1:
        raise InputError(
            Problem.of(
                name,
                "no single population column of people aged 15 or more",
                expected="one column C<yy>_POP15P (e.g. C21_POP15P)",
            )
        )
    year = years.pop()
    if raw.empty:
        raise InputError(
            Problem.of(name, "no IRIS row under the header", expected="one row per IRIS (INSEE)")
        )
    table = pd.DataFrame(index=raw[CODE].astype(str).str.strip())
    table.index.name = "iris"
    problems = []
    wanted = {"population": POPULATION.format(y=year)}
    variables = {}
    for variable, categories in MARGINS.items():
        columns = {c: column.format(y=year) for c, column in categories.items()}
        if all(col in raw.columns for col in columns.values()):
            variables[variable] = list(columns)
            for category, column in columns.items():
                wanted[(variable, category)] = column
    for key, column in wanted.items():
        text = raw[column].astype("string").str.strip().str.replace(",", ".", regex=False)
        values = pd.to_numeric(text, errors="coerce")
        finite = np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))
        bad = (values.isna() & text.notna() & text.ne("")) | (values < 0)
        bad = bad | (values.notna() & ~finite)  # "inf" is not a count
        for row in np.flatnonzero(bad.to_numpy())[:20]:
            problems.append(
                Problem.of(
                    name,
                    "not a population count",
                    row=int(row) + 2,
                    column=column,
                    value=str(raw[column].iloc[row]),
                    expected="a number ≥ 0",
                )
            )
        table[key] = values.fillna(0.0).to_numpy()
    if problems:
        raise InputError(problems)
    if table.index.duplicated().any():
        code = table.index[table.index.duplicated()][0]
        raise InputError(Problem.of(name, "duplicate IRIS code", column=CODE, value=code))
    return Census(table, name, f"20{year}", variables)


def _census_table(path: Path, name: str) -> pd.DataFrame:
    """The census file's cells as text; UTF-8 (BOM or not) or Windows-1252, ``;`` or ``,``.
    A file that is not such a table is an error naming it and saying what was expected."""
    expected = (f"an INSEE IRIS file (base-ic-evol-struct-pop): text, ';'-separated, "
                f"with the columns {CODE}, C21_POP15P, P21_POP1529…")  # fmt: skip
    if path.exists() and not path.is_file():  # a folder, a device or a pipe: never read whole
        raise InputError(Problem.of(name, "not a regular file", expected=expected))
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(Problem.of(name, "file not found")) from exc
    except OSError as exc:  # a folder, no permission
        raise InputError(
            Problem.of(
                name, Message("cannot read the file: {error}", error=str(exc.strerror or exc))
            )
        ) from exc
    if b"\x00" in raw[:65536]:
        raise InputError(Problem.of(name, "not a text file (binary content)", expected=expected))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise InputError(
                Problem.of(name, "not a text file (binary content)", row=line,
                           value=f"byte 0x{raw[exc.start]:02X}", expected=expected)
            ) from exc  # fmt: skip
    if not text.strip():
        raise InputError(Problem.of(name, "the file is empty", expected=expected))
    head = text.split("\n", 1)[0]
    sep = ";" if head.count(";") >= head.count(",") else ","

    try:
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str)
    except pd.errors.ParserError as exc:
        found = re.search(r"line (\d+)", str(exc))
        reason = (
            "a quote is not closed" if "EOF inside string" in str(exc)
            else "a row does not have as many fields as the header"
        )  # fmt: skip
        raise InputError(
            Problem.of(name, reason, row=int(found.group(1)) if found else None,
                       expected=expected)
        ) from exc  # fmt: skip


def area_census(census: Census, area_ids, members=None) -> pd.DataFrame:
    """Census of each area: its own IRIS row, or the sum of its members' (neighbourhoods
    dissolved from IRIS). Areas with no census row get NaN. One sum over (area, code)
    pairs, not a loop over the areas."""
    area_ids = list(area_ids)
    table = census.table
    position, codes = [], []
    for k, area_id in enumerate(area_ids):
        if members is not None and isinstance(members[k], str) and members[k]:
            parts = members[k].split(",")
        else:
            parts = [area_id]
        position.extend([k] * len(parts))
        codes.extend(parts)
    where = table.index.get_indexer(pd.Index(codes, dtype=object)) if codes else np.zeros(0, int)
    found = where >= 0
    values = np.nan_to_num(table.to_numpy(dtype=float, na_value=np.nan))  # a sum skips blanks
    out = np.zeros((len(area_ids), table.shape[1]))
    np.add.at(out, np.asarray(position, dtype=np.int64)[found], values[where[found]])
    has = np.bincount(np.asarray(position, dtype=np.int64)[found], minlength=len(area_ids)) > 0
    out[~has] = np.nan
    return pd.DataFrame(out, index=pd.Index(area_ids, name="area_id"), columns=table.columns)


# ---------------------------------------------------------------------- raking
@dataclass
class Raking:
    weights: np.ndarray  # mean 1 over the respondents raked
    iterations: int
    converged: bool
    max_gap_points: float  # largest |weighted share − census share| after raking, in points
    trimmed: int  # weights capped
    cap: float
    variables: list

    def report(self) -> dict:
        return {
            "iterations": self.iterations,
            "converged": self.converged,
            "max_gap_points": round(self.max_gap_points, 4),
            "trimmed": self.trimmed,
            "cap": self.cap,
            "variables": self.variables,
        }


def rake(
    respondents: pd.DataFrame,
    targets: dict[str, dict[str, float]],
    base: np.ndarray | None = None,
    *,
    cap: float = DEFAULT_RAKING_CAP,
    max_iter: int = 200,
    tolerance: float = 1e-4,
) -> Raking:
    """Iterative proportional fitting of respondent weights to census shares, with weights
    trimmed at ``cap`` × their mean after each cycle.

    ``targets``: variable → category → census population. A respondent whose answer to a
    variable is missing or outside the census categories ("autre") is left as it is for
    that variable. A category with people in the census and no respondent cannot be
    reached: :class:`RakingError` says which. Not converging within ``max_iter`` cycles
    (with trimming, margins can conflict) is also an error naming the worst margin."""
    check_raking_cap(cap)
    n = len(respondents)
    w = np.ones(n) if base is None else np.asarray(base, dtype=float).copy()
    columns = {}
    for variable, categories in targets.items():
        if variable not in respondents.columns:
            raise RakingError(f"raking on {variable}: the respondents have no such column")
        values = respondents[variable].astype("string").fillna("").to_numpy(dtype=object)
        total = sum(categories.values())
        if total <= 0:
            raise RakingError(f"raking on {variable}: the census total is 0")
        shares = {c: v / total for c, v in categories.items()}
        for category, share in shares.items():
            if share > 0 and not (values == category).any():
                raise RakingError(
                    f"raking cannot reach the census margin of {variable} = {category} "
                    f"({share:.1%} of the population): no respondent in that category; "
                    "merge it with a neighbouring category or rake without this variable"
                )
        # each respondent's category as a number (-1: missing or outside the census)
        code = pd.Index(list(shares), dtype=object).get_indexer(values).astype(np.int64)
        columns[variable] = (code, np.array(list(shares.values()), dtype=float), list(shares))
    trimmed = 0
    gap = np.inf
    iterations = 0
    while iterations < max_iter:
        iterations += 1
        for code, share, _ in columns.values():
            known = code >= 0
            base_total = w[known].sum()
            current = np.bincount(code[known], weights=w[known], minlength=len(share))
            with np.errstate(invalid="ignore", divide="ignore"):
                factor = np.where(current > 0, share * base_total / current, 1.0)
            w[known] *= factor[code[known]]
        mean = w.mean()
        over = w > cap * mean
        if over.any():
            trimmed = int(over.sum())
            w[over] = cap * mean
        gap = _max_gap(w, columns)
        if gap < tolerance:
            break
    with np.errstate(invalid="ignore", divide="ignore"):
        w = w * n / w.sum()
    converged = bool(np.isfinite(w).all()) and gap < tolerance  # NaN never "converged"
    if not converged:
        worst = _worst(w, columns)
        raise RakingError(
            f"raking did not converge in {max_iter} cycles: {worst} is still "
            f"{gap * 100:.2f} points from the census (weights capped at {cap:g}× the mean "
            "conflict with the margins; raise the cap or rake on fewer variables)"
        )
    return Raking(w, iterations, converged, gap * 100, trimmed, cap, list(targets))


def check_raking_cap(cap) -> float:
    """The cap on raking weights (× their mean, docs/areas.md): a finite number above 1 (at 1
    or below every weight is cut to the mean or under it and no margin can be reached)."""
    try:
        value = float(cap)
    except (TypeError, ValueError):
        value = float("nan")
    if not (math.isfinite(value) and value > 1):
        raise ParameterError(
            tr("raking cap {cap}: expected a finite number above 1 (a multiple of the mean "
               "weight, e.g. 5)", cap=cap)
        )  # fmt: skip
    return value


def _gaps(w, code, share) -> np.ndarray:
    known = code >= 0
    total = w[known].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.abs(np.bincount(code[known], weights=w[known], minlength=len(share)) / total
                      - share)  # fmt: skip


def _max_gap(w, columns) -> float:
    gap = 0.0
    for code, share, _ in columns.values():
        here = _gaps(w, code, share)
        if not np.isfinite(here).all():  # NaN: never "converged"
            return math.inf
        gap = max(gap, float(here.max(initial=0.0)))
    return gap


def _worst(w, columns) -> str:
    best = (0.0, "")
    for variable, (code, share, names) in columns.items():
        for category, gap in zip(names, _gaps(w, code, share), strict=True):
            if gap >= best[0]:
                best = (gap, f"{variable} = {category}")
    return best[1]
