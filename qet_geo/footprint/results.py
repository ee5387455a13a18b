"""Footprints already computed by Nos Gestes Climat: result tables and simulation exports.

Two shapes of NGC results are read:

- the spreadsheet an organisation downloads from an NGC poll ("campagne"):
  ``Export_<poll>_Simulations.xlsx``, sheet ``Simulations``, columns ``date``, ``total
  carbone``, ``transport carbone``, ``alimentation carbone``, ``logement carbone``, ``divers
  carbone``, ``services sociétaux carbone`` (kgCO2e/yr, rounded), the same in water, then one
  column per custom question of the poll; older exports head the carbon columns ``total``,
  ``transport``… without ``carbone``. Any CSV/XLSX/ODS table with these columns is read the
  same way, and so is a table with columns named after NGC rules (``transport . avion``,
  ``divers . numérique``…);
- NGC simulation objects in JSON holding ``computedResults`` (``{"carbone": {"bilan",
  "categories", "subcategories"}}``, or the older flat ``{"bilan", "categories"}``).

Food (``alimentation``) is an NGC category, so it is exact. Air, mobility, purchases and
digital are parts of the ``transport`` and ``divers`` categories: they are exact where the
results give the sub-categories (NGC rule names), and left empty otherwise, with a warning,
never guessed. The NGC categories are kept as ``ngc_*`` columns. Totals above 100,000 kg are
kept but flagged (``above_ngc_cap``): NGC leaves them out of its poll statistics.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..i18n import Message
from ..survey.readers import check_ods, first_xlsx_row
from .usages import USAGE_RULES, USAGES

#: NGC categories, as the ``ngc_*`` columns name them.
CATEGORIES = {
    "total": "ngc_total",
    "transport": "ngc_transport",
    "alimentation": "ngc_alimentation",
    "logement": "ngc_logement",
    "divers": "ngc_divers",
    "services sociétaux": "ngc_services_societaux",
}
#: NGC leaves results above this total (kgCO2e/yr) out of poll statistics.
NGC_CAP = 100_000
#: the six categories are rounded separately: their sum may differ from the total by this.
ROUNDING = 3.0
_SUBCATEGORIES = {rule for rules in USAGE_RULES.values() for rule in rules}
_WATER = re.compile(
    r"^(total|transport|alimentation|logement|divers|services sociétaux) (eau|caeau)$"
)


def _key(header: str) -> str:
    return " ".join(str(header).replace("\u00a0", " ").split()).lower()


def result_columns(columns) -> dict[str, str] | None:
    """Column → what it holds (category or NGC rule), if ``columns`` are NGC results.

    A table is an NGC result table when it has a total and the five categories, headed as
    the poll export heads them (``total carbone``…, or ``total``… in older exports).
    """
    keys = {_key(c): c for c in columns}
    for suffix in (" carbone", ""):
        if all(
            f"{category}{suffix}" in keys
            for category in CATEGORIES
            if category != "services sociétaux"
        ):
            found = {
                keys[f"{category}{suffix}"]: category
                for category in CATEGORIES
                if f"{category}{suffix}" in keys
            }
            found.update({keys[k]: k for k in keys if k in _SUBCATEGORIES})
            return found
    return None


def water_columns(columns) -> list[str]:
    """The water-footprint columns of a poll export (not read: qet-geo maps carbon)."""
    return [c for c in columns if _WATER.match(_key(c))]


def results_footprints(
    cells: pd.DataFrame, source: str, names: pd.Series | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Footprints of NGC results: ``cells`` are text cells indexed by source row number.

    Returns the table (``row``, ``name``, ``fp_<usage>``, ``fp_total``, ``ngc_*``,
    ``above_ngc_cap``, then the other columns as they were) and the warnings. Cells that are
    not numbers, ``#####`` (NGC's mark of an invalid result) and negative values are errors
    naming the row, column and value.
    """
    mapping = result_columns(cells.columns)
    if mapping is None:
        raise InputError(
            Problem.of(
                source,
                "not an NGC result table",
                expected="columns total, transport, alimentation, logement, divers "
                "(or total carbone, transport carbone…)",
            )
        )
    problems, values = [], {}
    for column, meaning in mapping.items():
        values[meaning], bad = _numbers(cells[column], blank_ok=meaning not in CATEGORIES)
        for row in bad:
            raw = cells.at[row, column]
            if str(raw).strip().startswith("#"):
                reason = "NGC marked this result as invalid"
            elif not str(raw).strip():
                reason = "missing value"
            elif np.isnan(values[meaning][row]):
                reason = "not a number"
            else:
                reason = "negative footprint"
            problems.append(
                Problem.of(
                    source,
                    reason,
                    row=int(row),
                    column=str(column),
                    value=str(raw),
                    expected="a footprint in kgCO2e/yr (0 or more)",
                )
            )
    if problems:
        raise InputError(problems)
    rows = cells.index.to_numpy()
    out = pd.DataFrame({"row": rows.astype("int64")}, index=cells.index)
    out["name"] = names if names is not None else pd.Series([None] * len(rows), index=cells.index)
    warnings: list[Problem] = []
    out["fp_alimentation"] = values["alimentation"]
    missing = []
    for usage in USAGES:
        if usage == "alimentation":
            continue
        rules = USAGE_RULES[usage]
        if all(rule in values for rule in rules):
            parts = pd.concat([values[rule] for rule in rules], axis=1)
            out[f"fp_{usage}"] = parts.sum(axis=1, min_count=len(rules))
        else:
            out[f"fp_{usage}"] = np.nan
        if out[f"fp_{usage}"].isna().any():
            missing.append(usage)
    if missing:
        warnings.append(
            Problem.of(
                source,
                "NGC results give categories only: air, mobility, purchases and digital "
                "are inside transport and divers, and are left empty where their "
                "sub-categories are not all given (food is exact)",
                value=", ".join(missing),
                expected="sub-category columns named after NGC rules (transport . avion, "
                "divers . numérique…)",
            )
        )
    out["fp_total"] = out[[f"fp_{u}" for u in USAGES]].sum(axis=1, min_count=len(USAGES))
    for category, column in CATEGORIES.items():
        out[column] = values.get(category, np.nan)
    parts = out[[CATEGORIES[c] for c in CATEGORIES if c != "total"]].sum(axis=1)
    for row in out.index[(out["ngc_total"] - parts).abs() > ROUNDING]:
        warnings.append(
            Problem.of(
                source,
                "the total differs from the sum of the categories by more than rounding",
                row=int(row),
                column=_column_of(mapping, "total"),
                value=f"{out.at[row, 'ngc_total']:g} ≠ {parts[row]:g}",
            )
        )
    out["above_ngc_cap"] = out["ngc_total"] > NGC_CAP
    for row in out.index[out["above_ngc_cap"]]:
        warnings.append(
            Problem.of(
                source,
                "total above 100,000 kgCO2e/yr: NGC leaves such results out of its statistics",
                row=int(row),
                column=_column_of(mapping, "total"),
                value=f"{out.at[row, 'ngc_total']:g}",
            )
        )
    water = set(water_columns(cells.columns))
    for column in cells.columns:
        if column not in mapping and column not in water and column not in out:
            out[column] = cells[column]
    return out.reset_index(drop=True), warnings


def _column_of(mapping: dict, meaning: str) -> str:
    return next(column for column, m in mapping.items() if m == meaning)


def _numbers(column: pd.Series, blank_ok: bool = False) -> tuple[pd.Series, list]:
    """Numbers of a text column (decimal comma and spaces allowed) and the bad rows
    (blank cells are bad unless ``blank_ok``: then they are NaN)."""
    text = column.astype(str).str.replace("\u202f", "").str.replace("\u00a0", "").str.strip()
    text = text.str.replace(" ", "").str.replace(",", ".")
    numbers = pd.to_numeric(text.where(text.ne("")), errors="coerce").astype("float64")
    blank = text.eq("") | column.isna()
    bad = column.index[(numbers.isna() & ~(blank & blank_ok)) | (numbers < 0)].tolist()
    return numbers, bad


def results_cells(items: list, source: str) -> tuple[pd.DataFrame, pd.Series]:
    """Text cells of NGC simulation objects holding ``computedResults``, one row per item
    (rows numbered from 1), and their names."""
    records, names = [], []
    for number, item in enumerate(items, start=1):
        results = item.get("computedResults") if isinstance(item, dict) else None
        if isinstance(results, dict) and isinstance(results.get("carbone"), dict):
            results = results["carbone"]
        if not isinstance(results, dict) or "bilan" not in results:
            raise InputError(
                Problem.of(
                    source,
                    "an item has no computedResults with a bilan",
                    row=number,
                    expected='{"computedResults": {"carbone": {"bilan": …, "categories": {…}}}}',
                )
            )
        record = {"total": results.get("bilan")}
        for group in ("categories", "subcategories"):
            part = results.get(group) or {}
            if not isinstance(part, dict):
                raise InputError(
                    Problem.of(
                        source,
                        Message("{group} is not an object", group=group),
                        row=number,
                        column=group,
                    )
                )
            record.update(part)
        records.append({k: "" if v is None else str(v) for k, v in record.items()})
        names.append(item.get("name"))
    cells = pd.DataFrame.from_records(records).fillna("")
    cells.index = pd.RangeIndex(1, len(records) + 1)
    return cells, pd.Series(names, index=cells.index, dtype=object)


def peek_header(path: str | Path) -> list[str]:
    """The header cells of a CSV/TSV/XLSX/ODS table without reading it all ([] if unsure)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return first_xlsx_row(path)  # within the reading limits
        if suffix == ".ods":
            check_ods(path, str(path))  # repeated cells within the reading limits
            frame = pd.read_excel(path, engine="odf", header=None, nrows=5, dtype=str)
            for _, row in frame.iterrows():
                cells = ["" if pd.isna(c) else str(c) for c in row]
                if any(cells):
                    return cells
            return []
        with open(path, "rb") as handle:
            raw = handle.read(65536)
    except Exception:  # unreadable here: the full readers say why
        return []
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return []
    line = next((row for row in text.splitlines() if row.strip()), "")
    delimiter = max("\t;,", key=line.count)
    return [cell.strip().strip('"') for cell in line.split(delimiter)]
