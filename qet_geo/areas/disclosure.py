"""Disclosure control of area tables ([INSEE-secret], [Hundepool-2012]).

A table of respondent counts, areas × categories (profiles, or the categories of a census
variable), is published with its margins: each area's total, each category's total over
the study, the study total. Primary suppression: an area with fewer than ``min_cell``
respondents is suppressed whole; a cell under ``min_cell`` is suppressed. Complementary
suppression then makes sure that no published line — an area, a category, the list of
area totals — holds exactly one suppressed value, which could be recovered by subtracting
the others from its total: the smallest published value of such a line is suppressed too,
until no line changes. Then :func:`audit` checks every combination of the published numbers
by linear programming (the protection rule below) and :func:`protect` suppresses more
until it passes. :func:`area_pattern` gives THE pattern of a study's areas × profiles,
which every published table by area applies (area map, comparison, web map, posters).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..threshold import ABSOLUTE_MIN, DEFAULT_MIN_CELL, check_min_cell  # noqa: F401 (re-exported)

PRIMARY_AREA = "area under {n} respondents"
PRIMARY_CELL = "cell under {n} respondents"
COMPLEMENTARY_AREA = "complementary suppression (area)"
COMPLEMENTARY_CELL = "complementary suppression (cell)"
#: The reason the outputs publish, the same for every hidden value: saying which values are
#: under the threshold, and which hide to protect them, would tell a reader that the second
#: kind hold at least the threshold (see the protection rule below).
PUBLISHED = "suppressed (threshold {n} respondents)"


def published_reason(hidden, min_cell: int) -> np.ndarray:
    """The published reason of each hidden value (None where published)."""
    hidden = np.asarray(hidden, dtype=bool)
    out = np.full(hidden.shape, None, dtype=object)
    out[hidden] = PUBLISHED.format(n=min_cell)
    return out


def area_counts(area: np.ndarray, profile: np.ndarray, n_areas: int, k: int) -> np.ndarray:
    """Respondents per area × profile: ``area`` the area position of each respondent (-1
    outside), ``profile`` their profile 1..k (NaN when none)."""
    area = np.asarray(area)
    profile = np.asarray(profile, dtype=float)
    use = (area >= 0) & np.isfinite(profile)
    counts = np.zeros((n_areas, k), dtype=np.int64)
    np.add.at(counts, (area[use], profile[use].astype(np.int64) - 1), 1)
    return counts


def area_pattern(area, profile, n_areas: int, k: int, min_cell: int = DEFAULT_MIN_CELL):
    """THE suppression pattern of a study's areas × profiles table, which every published
    table by area applies (the area map, the comparison, the web map, the posters): the
    command line, the whole-job run and the Processing algorithms all get it here."""
    return protect(area_counts(area, profile, n_areas, k), min_cell)


@dataclass
class Suppression:
    """Which areas (rows) and cells are suppressed, and why."""

    area: np.ndarray  # bool per area
    area_reason: np.ndarray  # object per area (None when published)
    cell: np.ndarray  # bool areas × categories
    cell_reason: np.ndarray  # object areas × categories
    unprotected: list = field(default_factory=list)  # what the audit still pins (protect)


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
    pattern = Suppression(area, area_reason, cell, cell_reason)
    _complete_lines(counts, totals, pattern)
    return pattern


def _hide_area(pattern: Suppression, i: int) -> None:
    pattern.area[i] = True
    pattern.area_reason[i] = COMPLEMENTARY_AREA
    pattern.cell[i, :] = True
    pattern.cell_reason[i, pattern.cell_reason[i] == None] = COMPLEMENTARY_AREA  # noqa: E711


def _hide_cell(pattern: Suppression, i: int, j: int) -> None:
    pattern.cell[i, j] = True
    pattern.cell_reason[i, j] = COMPLEMENTARY_CELL


def _complete_lines(counts: np.ndarray, totals: np.ndarray, pattern: Suppression) -> None:
    """The line rule: no published line holds exactly one suppressed value (in place)."""
    n_areas, k = counts.shape
    area, cell = pattern.area, pattern.cell
    changed = True
    while changed:
        changed = False
        # area totals against the study total
        if area.sum() == 1 and n_areas > 1:
            candidates = np.flatnonzero(~area)
            _hide_area(pattern, candidates[np.argmin(totals[candidates])])
            changed = True
        # each published area: its cells against its total
        for i in np.flatnonzero(~area):
            if cell[i].sum() == 1 and k > 1:
                open_ = np.flatnonzero(~cell[i])
                _hide_cell(pattern, i, open_[np.argmin(counts[i, open_])])
                changed = True
        # each category: its cells against the study total of the category
        for j in range(k):
            if cell[:, j].sum() == 1 and n_areas > 1:
                open_ = np.flatnonzero(~cell[:, j])
                _hide_cell(pattern, open_[np.argmin(counts[open_, j])], j)
                changed = True


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


# ---------------------------------------------------------------------------- the audit
#
# Protection rule. A reader may combine every number the outputs publish. For each value
# the outputs hide (a cell, or an area's total), take what the reader knows as a linear
# system over the hidden values — each published cell, each published area total, each
# category's total over the study, the study total (all assumed known, even where they are
# not printed), every count in another published table that shares these margins — with
# the hidden values non-negative reals. Linear programming gives the interval [lo, hi] of
# values the hidden one can take. The value is protected when hi − lo is at least the
# threshold (11), or, when a published total that contains it is smaller than the
# threshold, at least that total: a reader cannot tell a hidden 0 from a hidden 10. The
# published reason of a suppression is the same for every hidden value (it does not say
# which values are under the threshold and which protect them: that would tell a reader
# that the second kind are at least 11, and narrow the intervals).


@dataclass
class Target:
    """A hidden value to check: ``terms`` (unknown → coefficient), the smallest sum of
    the hidden values of a published line that holds it (``cap``), where it is (table,
    row, column; column -1 for a row's total)."""

    name: str
    terms: dict
    cap: float
    where: tuple
    known_width: float = 0.0  # a width already shown by feasible moves (no programme needed)


@dataclass
class Pinned:
    """A hidden value the published numbers narrow to [lo, hi], narrower than ``need``."""

    name: str
    lo: float
    hi: float
    need: float
    where: tuple


@dataclass
class Published:
    """What a reader of the outputs knows, as a linear system over the hidden values:
    unknowns (each with its true value, kept for the audit's own check), equalities
    Σ coefficient × unknown = value, and the hidden values to check."""

    names: list = field(default_factory=list)
    truth: list = field(default_factory=list)
    equalities: list = field(default_factory=list)
    targets: list = field(default_factory=list)

    def unknown(self, name: str, truth: float) -> int:
        self.names.append(name)
        self.truth.append(float(truth))
        return len(self.names) - 1

    def equal(self, terms: dict, value: float) -> None:
        if terms:
            self.equalities.append((dict(terms), float(value)))

    def target(self, name: str, terms: dict, cap: float, where: tuple, known_width=0.0) -> None:
        self.targets.append(Target(name, dict(terms), float(cap), where, float(known_width)))


def add_table(
    published: Published,
    name: str,
    counts: np.ndarray,
    cell_hidden: np.ndarray,
    row_hidden: np.ndarray | None = None,
    *,
    col_known: np.ndarray | None = None,
    total_known: bool = True,
    row_link: list | None = None,
    row_targets: bool = True,
) -> np.ndarray:
    """Add a table of counts (rows × categories) to what the reader knows: its published
    cells, the totals of its published rows, the totals of its categories (``col_known``,
    all by default) and its grand total. ``row_link``: for each row, the terms of its
    total in a table added before (the same areas counted in another table): the reader
    knows that this table's cells of the row are at most that total. Returns the unknown
    of each cell (-1 for a published cell)."""
    counts = np.asarray(counts, dtype=float)
    n_rows, k = counts.shape
    hidden = np.asarray(cell_hidden, dtype=bool)
    rows = np.zeros(n_rows, bool) if row_hidden is None else np.asarray(row_hidden, bool)
    hidden = hidden | rows[:, None]
    col_known = np.ones(k, bool) if col_known is None else np.asarray(col_known, bool)
    var = np.full((n_rows, k), -1, dtype=np.int64)
    for i, j in zip(*np.nonzero(hidden), strict=True):
        var[i, j] = published.unknown(f"{name}[{i},{j}]", counts[i, j])
    row_sum, col_sum, total = counts.sum(axis=1), counts.sum(axis=0), counts.sum()

    def open_sum(index) -> float:
        return float(counts[index][var[index] < 0].sum())

    for i in range(n_rows):
        terms = {int(v): 1.0 for v in var[i] if v >= 0}
        if not rows[i]:
            published.equal(terms, row_sum[i] - open_sum(np.s_[i, :]))
        elif row_link is not None and row_link[i]:
            slack = published.unknown(f"{name}[{i}] outside", sum(
                published.truth[v] * c for v, c in row_link[i].items()) - row_sum[i])  # fmt: skip
            link = {**terms, slack: 1.0}
            for v, c in row_link[i].items():
                link[v] = link.get(v, 0.0) - c
            published.equal(link, 0.0)
    for j in range(k):
        terms = {int(v): 1.0 for v in var[:, j] if v >= 0}
        if col_known[j]:
            published.equal(terms, col_sum[j] - open_sum(np.s_[:, j]))
    if total_known:
        published.equal({int(v): 1.0 for v in var.ravel() if v >= 0}, total - open_sum(np.s_[:, :]))
    # the smallest sum of hidden values in a published line through each hidden value:
    # the most any suppression pattern lets a reader not know about it
    masked = np.where(var >= 0, counts, 0.0)
    row_open, col_open = masked.sum(axis=1), masked.sum(axis=0)
    big = masked.sum() if total_known else np.inf
    areas_open = row_sum[rows].sum() if total_known else np.inf
    width = _moves(counts, var >= 0, rows if row_link is None else np.zeros(n_rows, bool))
    for i, j in zip(*np.nonzero(var >= 0), strict=True):
        cap = min(big, col_open[j] if col_known[j] else np.inf,
                  row_open[i] if not rows[i] else areas_open)  # fmt: skip
        published.target(f"{name}[{i},{j}]", {int(var[i, j]): 1.0}, cap, (name, int(i), int(j)),
                         width[i, j])  # fmt: skip
    if row_targets:
        for i in np.flatnonzero(rows):
            published.target(f"{name}[{i}] total", {int(v): 1.0 for v in var[i]}, areas_open,
                             (name, int(i), -1))  # fmt: skip
    return var


def _moves(counts: np.ndarray, hidden: np.ndarray, free_rows: np.ndarray) -> np.ndarray:
    """A lower bound of each hidden cell's interval width from moves that keep every
    published number: cycles of four hidden cells on two rows and two columns (+t, −t,
    −t, +t), through any partner rows, and, between rows whose totals are hidden
    (``free_rows``), the cells of one column.

    For a hidden cell (i, j): "down" is what (i, j) can give — to each other hidden cell
    (i, jj) of its row, with every partner row r hidden in both columns giving (r, jj) to
    (r, j) — and "up" what it can take, each (i, jj) giving to it within what the
    partner rows' cells (r, j) can give, taken from the partner rows in their order (each
    row's cell given once). Sums over the partner rows are computed once per pair of
    columns and the rows given from are walked only as far as needed: the cost grows with
    the hidden cells, not with the hidden cells × the rows."""
    counts = np.asarray(counts, dtype=float)
    hidden = np.asarray(hidden, dtype=bool)
    free_rows = np.asarray(free_rows, dtype=bool)
    n, k = counts.shape
    width = np.zeros((n, k))
    # per pair of columns (j, jj): the rows hidden in both, the sum of their (r, jj), and
    # the rows whose (r, j) can give (count > 0), all of them and those whose total is
    # published (not free)
    down_sum, givers, givers_fixed, all_room, fixed_room = {}, {}, {}, {}, {}
    for j in range(k):
        for jj in range(k):
            if jj == j:
                continue
            rows = np.flatnonzero(hidden[:, j] & hidden[:, jj])
            down_sum[j, jj] = float(counts[rows, jj].sum())
            positive = rows[counts[rows, j] > 0]
            givers[j, jj] = positive
            givers_fixed[j, jj] = positive[~free_rows[positive]]
            all_room[j, jj] = float(counts[positive, j].sum())
            fixed_room[j, jj] = float(counts[givers_fixed[j, jj], j].sum())
    free_in_column = (hidden & free_rows[:, None]).sum(axis=0)
    free_room = np.where(hidden & free_rows[:, None], counts, 0.0).sum(axis=0)
    for i, j in zip(*np.nonzero(hidden), strict=True):
        up = down = 0.0
        cell = counts[i, j]
        # the other free rows of column j give all they hold at once (no row total binds them)
        drained = bool(free_rows[i]) and free_in_column[j] > 1
        if drained:
            up += free_room[j] - cell
            down = cell
        taken: dict[int, float] = {}  # what each partner row's (r, j) has given already
        for jj in np.flatnonzero(hidden[i]):
            if jj == j:
                continue
            down += down_sum[j, jj] - counts[i, jj]
            # what the partner rows' (r, j) can still give, i and drained rows aside
            rows = givers_fixed[j, jj] if drained else givers[j, jj]
            want = counts[i, jj]
            if want <= 0:
                continue
            room_left = fixed_room[j, jj] if drained else all_room[j, jj]
            if not drained and hidden[i, jj] and counts[i, j] > 0:
                room_left -= counts[i, j]  # row i itself gives nothing to itself
            room_left -= sum(v for r, v in taken.items() if hidden[r, jj] and r != i
                             and (not drained or not free_rows[r]))  # fmt: skip
            give = min(want, room_left)
            if give <= 0:
                continue
            left = give
            for r in rows:  # in row order, as far as needed
                if r == i:
                    continue
                room = counts[r, j] - taken.get(r, 0.0)
                if room <= 0:
                    continue
                step = min(room, left)
                taken[r] = taken.get(r, 0.0) + step
                left -= step
                if left <= 0:
                    break
            up += give
        width[i, j] = up + min(down, cell)
    return width


def row_terms(var: np.ndarray) -> list:
    """Each row's total as terms over the unknowns of :func:`add_table` (None when the row
    has a published cell: its total is then not a sum of unknowns only)."""
    return [None if (row < 0).any() else {int(v): 1.0 for v in row} for row in var]


def audit(published: Published, min_cell: int = DEFAULT_MIN_CELL) -> list[Pinned]:
    """The hidden values that the published numbers pin down (see the protection rule
    above): two linear programmes (scipy's HiGHS) per hidden value, over the unknowns
    connected to it by the equalities. Empty when every hidden value is protected."""
    from scipy import sparse
    from scipy.optimize import linprog

    n = len(published.names)
    if not published.targets:
        return []
    truth = np.asarray(published.truth)
    eq = published.equalities
    # connected parts of the system (union-find over the unknowns of each equality)
    parent = np.arange(n)

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for terms, _ in eq:
        keys = list(terms)
        root = find(keys[0])
        for other in keys[1:]:
            parent[find(other)] = root
    part = np.array([find(a) for a in range(n)])
    by_part: dict = {}
    for e, (terms, _) in enumerate(eq):
        by_part.setdefault(int(part[next(iter(terms))]), []).append(e)
    systems: dict = {}

    def system(roots):
        key = tuple(sorted(roots))
        if key not in systems:
            members = np.flatnonzero(np.isin(part, key))
            position = {int(v): p for p, v in enumerate(members)}
            rows = [e for r in key for e in by_part.get(r, [])]
            data, ri, ci, b = [], [], [], []
            for r, e in enumerate(rows):
                terms, value = eq[e]
                for v, c in terms.items():
                    data.append(c)
                    ri.append(r)
                    ci.append(position[v])
                b.append(value)
            matrix = sparse.csr_matrix((data, (ri, ci)), shape=(len(rows), len(members)))
            systems[key] = (position, matrix if rows else None, np.array(b), members)
        return systems[key]

    # targets by connected part; each linear programme's solution is a feasible point
    # that widens the known range of every target of its part, so most targets need none
    groups: dict = {}
    for t, target in enumerate(published.targets):
        groups.setdefault(tuple(sorted({int(part[v]) for v in target.terms})), []).append(t)
    rng = np.random.default_rng(0)
    pinned = []
    for key, members_t in groups.items():
        position, matrix, b, members = system(set(key))
        # each target as a sparse row over the part's unknowns: a country's part holds
        # about as many unknowns as targets (a dense table of them would not fit in memory)
        fr, fc, fv = [], [], []
        for r, t in enumerate(members_t):
            for v, coef in published.targets[t].terms.items():
                fr.append(r)
                fc.append(position[v])
                fv.append(coef)
        forms = sparse.csr_matrix((fv, (fr, fc)), shape=(len(members_t), len(members)))
        value = forms @ truth[members]
        # a value under the threshold needs an interval as wide as the threshold (capped by
        # its smallest published total); a value hidden to protect it, only not to be exact
        need = np.array([min(float(min_cell), published.targets[t].cap) for t in members_t])
        need = np.where(value < min_cell, np.maximum(need, 1.0), 1.0)
        if matrix is None:
            lo, hi = np.zeros(len(members_t)), np.full(len(members_t), np.inf)
        else:
            seen_lo, seen_hi = value.copy(), value.copy()
            lo, hi = np.full(len(members_t), np.nan), np.full(len(members_t), np.nan)

            def solve(c, matrix=matrix, b=b, forms=forms, seen_lo=seen_lo, seen_hi=seen_hi):
                res = linprog(c, A_eq=matrix, b_eq=b, bounds=(0, None), method="highs")
                if res.status == 3:
                    return None
                if res.status != 0:
                    raise RuntimeError(f"disclosure audit: {res.message}")
                x = forms @ res.x
                np.minimum(seen_lo, x, out=seen_lo)
                np.maximum(seen_hi, x, out=seen_hi)
                return float(c @ res.x)

            todo = np.array([published.targets[t].known_width for t in members_t]) < need - 1e-6
            todo &= np.array([published.targets[t].cap > 0 for t in members_t])
            if todo.sum() > 8:  # feasible points far apart in many targets at once
                total = np.asarray(forms.sum(axis=0)).ravel()
                solve(total)
                solve(-total)
                for _ in range(6):
                    solve(forms.T @ rng.choice([-1.0, 1.0], len(members_t)))
            known = np.array([published.targets[t].known_width for t in members_t])
            for r in range(len(members_t)):
                if published.targets[members_t[r]].cap == 0:  # a published line says 0
                    lo[r] = hi[r] = 0.0
                    continue
                if max(seen_hi[r] - seen_lo[r], known[r]) >= need[r] - 1e-6:
                    lo[r], hi[r] = seen_lo[r], max(seen_hi[r], seen_lo[r] + known[r])
                    continue
                row = forms[r].toarray().ravel()
                top = solve(-row)
                hi[r] = np.inf if top is None else -top
                if hi[r] - seen_lo[r] >= need[r] - 1e-6:
                    continue
                lo[r] = solve(row)
            lo = np.where(np.isnan(lo), seen_lo, lo)
            hi = np.where(np.isnan(hi), seen_hi, hi)
        for r, t in enumerate(members_t):
            target = published.targets[t]
            if not lo[r] - 1e-6 <= value[r] <= hi[r] + 1e-6:  # the system holds the truth
                raise RuntimeError(f"disclosure audit: {target.name} outside [{lo[r]}, {hi[r]}]")
            if hi[r] - lo[r] < need[r] - 1e-6:
                pinned.append(Pinned(target.name, round(float(lo[r]), 6),
                                     round(float(hi[r]), 6), float(need[r]), target.where))  # fmt: skip
    return pinned


def protect(
    counts: np.ndarray,
    min_cell: int = DEFAULT_MIN_CELL,
    totals: np.ndarray | None = None,
    hidden_areas: np.ndarray | None = None,
    col_known: np.ndarray | None = None,
) -> Suppression:
    """The suppression pattern of a table that passes the audit: :func:`suppress` (primary
    suppression and the line rule), then, while :func:`audit` finds a hidden value that
    the published numbers pin down, the smallest published value of a line of that value
    is suppressed too (of the whole table when its lines have nothing left to hide; a
    whole area when the failing value is an area's total, or when no cell is left). ``pattern.unprotected`` lists what could not be
    protected (empty unless every value is hidden already)."""
    counts = np.asarray(counts, dtype=np.int64)
    totals_ = counts.sum(axis=1) if totals is None else np.asarray(totals)
    pattern = suppress(counts, min_cell, totals, hidden_areas)
    n_rows, k = counts.shape
    while True:
        published = Published()
        add_table(published, "t", counts, pattern.cell, pattern.area, col_known=col_known)
        pinned = audit(published, min_cell)
        pattern.unprotected = pinned
        if not pinned:
            return pattern
        rows_done, cols_done, progress = set(), set(), False
        for p in pinned:
            _, i, j = p.where
            if i in rows_done or (j >= 0 and j in cols_done):
                continue
            options = []
            if j >= 0:
                if not pattern.area[i]:
                    options += [(counts[i, c], i, c) for c in range(k) if not pattern.cell[i, c]]
                options += [(counts[r, j], r, j) for r in range(n_rows)
                            if not pattern.cell[r, j] and not pattern.area[r]]  # fmt: skip
            if not options:  # its lines are hidden: any published cell adds freedom
                options = [(counts[r, c], r, c) for r, c in zip(*np.nonzero(~pattern.cell), strict=True)
                           if not pattern.area[r]]  # fmt: skip
            if options:
                _, r, c = min(options)
                _hide_cell(pattern, r, c)
                rows_done.add(r)
                cols_done.add(c)
                progress = True
                continue
            open_areas = np.flatnonzero(~pattern.area)
            if len(open_areas):
                pick = (
                    i
                    if j >= 0 and not pattern.area[i]
                    else open_areas[np.argmin(totals_[open_areas])]
                )
                _hide_area(pattern, pick)
                rows_done.add(pick)
                progress = True
        if not progress:
            return pattern
        _complete_lines(counts, totals_, pattern)
