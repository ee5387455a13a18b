"""Disclosure control of area tables (METHODS §7).

A table of respondent counts, areas × categories (profiles, or the categories of a census
variable), is published with its margins: each area's total, each category's total over
the study, the study total. Primary suppression: an area with fewer than ``min_cell``
respondents is suppressed whole; a cell under ``min_cell`` is suppressed. Complementary
suppression then makes sure that no published line — an area, a category, the list of
area totals — holds exactly one suppressed value, which could be recovered by subtracting
the others from its total: the smallest published value of such a line is suppressed too,
until no line changes. (This is the usual line-by-line rule; it is not an audit by linear
programming of every combination of lines.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_MIN_CELL = 11
ABSOLUTE_MIN = 3

PRIMARY_AREA = "area under {n} respondents"
PRIMARY_CELL = "cell under {n} respondents"
COMPLEMENTARY_AREA = "complementary suppression (area)"
COMPLEMENTARY_CELL = "complementary suppression (cell)"


@dataclass
class Suppression:
    """Which areas (rows) and cells are suppressed, and why."""

    area: np.ndarray  # bool per area
    area_reason: np.ndarray  # object per area (None when published)
    cell: np.ndarray  # bool areas × categories
    cell_reason: np.ndarray  # object areas × categories


def check_min_cell(min_cell: int, allow_below_3: bool) -> None:
    if min_cell < ABSOLUTE_MIN and not allow_below_3:
        raise ValueError(
            f"a threshold of {min_cell} respondents is under {ABSOLUTE_MIN}: it needs the "
            "explicit override (--allow-below-3), which the outputs record"
        )
    if min_cell < 1:
        raise ValueError("the threshold must be at least 1 respondent")


def suppress(
    counts: np.ndarray,
    min_cell: int = DEFAULT_MIN_CELL,
    totals: np.ndarray | None = None,
    hidden_areas: np.ndarray | None = None,
) -> Suppression:
    """Suppression pattern of an areas × categories table of respondent counts.

    ``totals``: each area's published respondent count when it is more than the sum of the
    cells (answers missing for this variable); ``hidden_areas``: areas suppressed already
    (by another table), suppressed here too."""
    counts = np.asarray(counts, dtype=np.int64)
    n_areas, k = counts.shape
    totals = counts.sum(axis=1) if totals is None else np.asarray(totals)
    area = totals < min_cell
    area_reason = np.array(
        [PRIMARY_AREA.format(n=min_cell) if a else None for a in area], dtype=object
    )
    if hidden_areas is not None:
        extra = np.asarray(hidden_areas, dtype=bool) & ~area
        area |= extra
        area_reason[extra] = COMPLEMENTARY_AREA
    cell = (counts < min_cell) | area[:, None]
    cell_reason = np.full(counts.shape, None, dtype=object)
    cell_reason[counts < min_cell] = PRIMARY_CELL.format(n=min_cell)
    for i in np.flatnonzero(area):
        cell_reason[i, :] = area_reason[i]
    changed = True
    while changed:
        changed = False
        # area totals against the study total
        if area.sum() == 1 and n_areas > 1:
            candidates = np.flatnonzero(~area)
            pick = candidates[np.argmin(totals[candidates])]
            area[pick] = True
            area_reason[pick] = COMPLEMENTARY_AREA
            cell[pick, :] = True
            cell_reason[pick, cell_reason[pick] == None] = COMPLEMENTARY_AREA  # noqa: E711
            changed = True
        # each published area: its cells against its total
        for i in np.flatnonzero(~area):
            if cell[i].sum() == 1 and k > 1:
                open_ = np.flatnonzero(~cell[i])
                pick = open_[np.argmin(counts[i, open_])]
                cell[i, pick] = True
                cell_reason[i, pick] = COMPLEMENTARY_CELL
                changed = True
        # each category: its cells against the study total of the category
        for j in range(k):
            if cell[:, j].sum() == 1 and n_areas > 1:
                open_ = np.flatnonzero(~cell[:, j])
                pick = open_[np.argmin(counts[open_, j])]
                cell[pick, j] = True
                cell_reason[pick, j] = COMPLEMENTARY_CELL
                changed = True
    return Suppression(area, area_reason, cell, cell_reason)


def recoverable(counts: np.ndarray, pattern: Suppression) -> list[tuple[int, int]]:
    """Cells whose value a reader can get by one subtraction from a published total: the
    check that :func:`suppress` must pass (returns the cells, empty when safe)."""
    counts = np.asarray(counts)
    found = []
    for i in np.flatnonzero(~pattern.area):
        hidden = np.flatnonzero(pattern.cell[i])
        if len(hidden) == 1:
            found.append((int(i), int(hidden[0])))
    for j in range(counts.shape[1]):
        hidden = np.flatnonzero(pattern.cell[:, j])
        if len(hidden) == 1:
            found.append((int(hidden[0]), j))
    if pattern.area.sum() == 1 and len(pattern.area) > 1:
        found.append((int(np.flatnonzero(pattern.area)[0]), -1))
    return found
