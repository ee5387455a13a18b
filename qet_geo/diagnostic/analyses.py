"""The diagnostic's analyses (docs/diagnostic.md): satisfaction, wishes to change, barriers,
trips and carbon, per profile, for the neighbourhood and pooled, with QeT's conventions.

Each analysis is a table of rows ``question`` × ``profile`` where ``profile`` is

- a profile's local number (``"1"``, ``"2"``…): the respondents linked to it;
- ``"ensemble"``: every respondent linked to a profile, pooled (the raw figure; those
  linked to none are left out by :func:`summarize`, so that no published count tells how
  many they are);
- ``"quartier"``: the neighbourhood figure, the mean of the profiles' figures weighted by
  each profile's population share (a post-stratification by profile; the shares of the
  profiles with respondents renormalised to 1), with a normal-approximation interval
  √(Σ w² p(1 − p)/n).

A share comes with its Wilson interval ([Wilson-1927]) and ``n``; a mean with its Student
interval. Satisfaction, wishes and trips are shares among those who answered; a barrier's
share (per family and per choice) is among **all** the profile's respondents, and "Autres
raisons" counts those who wrote a free text.

Disclosure ([INSEE-secret]): every count a share stands for is checked against the
threshold. A table whose shares partition its rows (satisfaction, wishes, trips) goes
through :func:`qet_geo.areas.disclosure.protect` — the area maps' mechanism: primary and
complementary suppression, then the audit of every published number — with the pooled row
as its column totals (a pooled count under the threshold hides its column); a barrier
table, whose choices overlap, hides each count under the threshold and then, in each
column, one more when a single one is hidden (the pooled count would give it back). The
neighbourhood figure of a column is hidden when any profile's value in it is (with the
pooled figure and the population shares it would give a hidden value back). A mean over
fewer respondents than the threshold is hidden, and then one more profile's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..areas.disclosure import protect
from ..areas.stats import Z95, mean_interval, wilson
from ..i18n import Message
from ..threshold import DEFAULT_MIN_CELL, check_min_cell
from .emdv import OTHER, SATISFACTION_CODES, WISH_CODES, EmdvImport

QUARTIER = "quartier"
ENSEMBLE = "ensemble"
UNLINKED = "sans profil"
#: the family of the choices a respondent wrote in ("Autre")
OTHER_FAMILY = "Autres raisons"
ANALYSES = ("satisfaction", "wishes", "barriers", "trips", "carbon")

#: distance class of a trip from its mode and time (docs/diagnostic.md)
WALK = {"WALKING"}
BICYCLE = {"PERSONAL_BICYCLE", "SHARED_BICYCLE", "BICYCLE"}
MOTOR = {"PUBLIC_TRANSPORT", "CAR", "ELECTRIC_CAR", "TAXI_VTC", "BUS", "TRAIN"}
NO_TRIP = {"NONE_I_DONT_MOVE"}
TIME_CLASS = {"LESS_THAN_10_MIN": 0, "BETWEEN_10_AND_20_MIN": 1, "BETWEEN_20_AND_30_MIN": 2,
              "BETWEEN_30_AND_45_MIN": 3, "ABOVE_45_MIN": 3}  # fmt: skip
DISTANCE = {
    "walk": ("D0", "D1", "D2", "D3"),
    "bicycle": ("D1", "D2", "D4", "D4"),
    "motor": ("D2", "D3", "D3", "D4"),
}


def distance_class(mode: str | None, time: str | None) -> str | None:
    """QeT's distance class of a trip: walking < 10 min D0, 10–20 D1, 20–30 D2, ≥ 30 D3;
    bicycle < 10 D1, 10–20 D2, ≥ 20 D4; public transport and car < 10 D2, 10–30 D3, ≥ 30
    D4; no trip D0. None when the mode or the time is missing."""
    if mode in NO_TRIP:
        return "D0"
    family = (
        "walk"
        if mode in WALK
        else "bicycle"
        if mode in BICYCLE
        else "motor"
        if mode in MOTOR
        else None
    )
    if family is None or time not in TIME_CLASS:
        return None
    return DISTANCE[family][TIME_CLASS[time]]


@dataclass
class Groups:
    """The respondents' groups: position 0..k−1 of their profile, k when they have none."""

    numbers: list  # profile numbers (or area ids), in order
    shares: np.ndarray  # population share of each profile
    index: np.ndarray  # group of each respondent
    unlinked: bool  # some respondents have no profile (or no area)
    outside: str = UNLINKED  # the label of their group

    @classmethod
    def of(cls, profile: pd.Series, numbers: list, shares: dict) -> Groups:
        position = {p: i for i, p in enumerate(numbers)}
        values = profile.to_numpy(dtype=object, na_value=None)
        index = np.array([len(numbers) if v is None else position[int(v)] for v in values],
                         dtype=np.int64)  # fmt: skip
        return cls(list(numbers), np.array([shares[p] for p in numbers], dtype=float), index,
                   bool((index == len(numbers)).any()))  # fmt: skip

    @property
    def k(self) -> int:
        return len(self.numbers)

    @property
    def rows(self) -> int:
        return self.k + (1 if self.unlinked else 0)

    def labels(self) -> list[str]:
        return [str(p) for p in self.numbers] + ([self.outside] if self.unlinked else [])


@dataclass
class Diagnostic:
    """The analyses' tables (long: one row per question × profile, shares as columns
    ``share_CODE`` / ``low_CODE`` / ``high_CODE``, hidden values NaN with ``suppressed``
    listing them), the profiles' table and the notes."""

    satisfaction: pd.DataFrame
    wishes: pd.DataFrame
    barriers: pd.DataFrame
    trips: pd.DataFrame
    carbon: pd.DataFrame
    profiles: pd.DataFrame
    min_cell: int
    notes: list = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in (*ANALYSES, "profiles")}

    def to_json(self) -> dict:
        """The command line's ``--json``: each analysis as a list of rows with ``question``
        (the export's header), ``profile`` (a number, ``"quartier"``, ``"ensemble"``),
        ``n`` and the shares keyed by answer code (or ``family``/
        ``choice`` and ``share`` for barriers, ``mode``/``time``/``zone`` and ``share`` for
        trips, ``mean`` for carbon); a hidden value is null and named in ``suppressed``."""
        out = {}
        for name in ANALYSES:
            out[name] = [_json_row(row) for row in getattr(self, name).to_dict("records")]
        out["profiles"] = [_json_row(row) for row in self.profiles.to_dict("records")]
        out["min_cell"] = self.min_cell
        out["notes"] = [str(n) for n in self.notes]
        return out


def _json_row(row: dict) -> dict:
    out: dict = {}
    intervals: dict = {}
    for key, value in row.items():
        if isinstance(value, float) and np.isnan(value):
            value = None
        elif isinstance(value, np.generic):
            value = value.item()
        if key.startswith("share_"):
            out[key[6:]] = value
        elif key.startswith(("low_", "high_")):
            side, code = key.split("_", 1)
            intervals.setdefault(code, [None, None])[0 if side == "low" else 1] = value
        elif key == "n" and isinstance(value, float) and value.is_integer():
            value = int(value)
            out[key] = value
        elif key == "profile":
            out[key] = int(value) if str(value).isdigit() else value
        elif key == "suppressed":
            out[key] = [s for s in str(value or "").split(",") if s]
        else:
            out[key] = value
    if intervals:
        out["intervals"] = intervals
    return out


# -- the shares of a partition and of overlapping choices -------------------------------


def _counts(groups: Groups, values: np.ndarray, codes: list) -> np.ndarray:
    """groups × codes counts of a single-choice answer (None: not answered)."""
    position = {c: j for j, c in enumerate(codes)}
    counts = np.zeros((groups.rows, len(codes)), dtype=np.int64)
    for g, v in zip(groups.index, values, strict=True):
        j = position.get(v)
        if j is not None:
            counts[g, j] += 1
    return counts


def _hide_rows(n: np.ndarray, min_cell: int) -> np.ndarray:
    """Groups whose respondent count is hidden: under the threshold, and one more when a
    single one is (the pooled count would give it back)."""
    hidden = np.asarray(n) < min_cell
    if hidden.sum() == 1 and (~hidden).any():
        open_ = np.flatnonzero(~hidden)
        hidden[open_[np.argmin(np.asarray(n)[open_])]] = True
    return hidden


def _partition_pattern(counts: np.ndarray, min_cell: int):
    """Hidden cells of a partition table (groups × codes), of its pooled row, and its
    hidden groups (whose count is hidden too)."""
    pooled = counts.sum(axis=0)
    col_hidden = pooled < min_cell
    if col_hidden.sum() == 1 and (~col_hidden).any():  # the pooled total would give it back
        open_ = np.flatnonzero(~col_hidden)
        col_hidden[open_[np.argmin(pooled[open_])]] = True
    pattern = protect(counts, min_cell, col_known=~col_hidden)
    hidden = pattern.cell | col_hidden[None, :]
    hidden |= pattern.area[:, None]
    return hidden, col_hidden, pattern.area.copy()


def _overlap_pattern(counts: np.ndarray, min_cell: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hidden cells of a table of overlapping choices (groups × choices, all respondents
    as each row's denominator): each count under the threshold, then one more per column
    where a single one is hidden among the groups."""
    pooled = counts.sum(axis=0)
    col_hidden = pooled < min_cell
    hidden = (counts < min_cell) | col_hidden[None, :]
    for j in np.flatnonzero(~col_hidden):
        column = hidden[:, j]
        if column.sum() == 1:
            open_ = np.flatnonzero(~column)
            hidden[open_[np.argmin(counts[open_, j])], j] = True
    return hidden, col_hidden


def _share_rows(base: dict, groups: Groups, counts: np.ndarray, n: np.ndarray, codes: list,
                hidden: np.ndarray, col_hidden: np.ndarray, row_hidden: np.ndarray,
                pooled_n: int) -> list[dict]:  # fmt: skip
    """One row per group, then ``ensemble`` and ``quartier``, with shares and intervals."""
    rows = []
    labels = groups.labels()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n[:, None] > 0, counts / n[:, None], np.nan)
    low, high = wilson(share, np.repeat(n[:, None], len(codes), axis=1))
    for g, label in enumerate(labels):
        row = {**base, "profile": label, "n": None if row_hidden[g] else int(n[g])}
        _put(row, codes, share[g], low[g], high[g], hidden[g] | row_hidden[g])
        rows.append(row)
    pooled = counts.sum(axis=0)
    p_pool = pooled / pooled_n if pooled_n else np.full(len(codes), np.nan)
    lo, hi = wilson(p_pool, np.full(len(codes), pooled_n))
    row = {**base, "profile": ENSEMBLE, "n": int(pooled_n)}
    _put(row, codes, p_pool, lo, hi, col_hidden)
    rows.append(row)
    # the neighbourhood: Σ w p over the profiles with respondents, w renormalised
    k = groups.k
    present = n[:k] > 0
    row = {**base, "profile": QUARTIER, "n": int(n[:k].sum())}
    if present.any():
        w = groups.shares * present
        w = w / w.sum()
        p = np.nansum(w[:, None] * np.nan_to_num(share[:k]), axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            var = np.nansum(np.where(present[:, None], w[:, None] ** 2 * share[:k] * (1 - share[:k])
                                     / n[:k, None], 0.0), axis=0)  # fmt: skip
        half = Z95 * np.sqrt(var)
        gone = (hidden[:k] | row_hidden[:k, None])[present].any(axis=0) | col_hidden
        _put(row, codes, p, np.clip(p - half, 0, 1), np.clip(p + half, 0, 1), gone)
        if not present.all():
            row["note"] = str(Message("profiles without respondents left out: {profiles}",
                                      profiles=", ".join(str(groups.numbers[i]) for i in
                                                         np.flatnonzero(~present))))  # fmt: skip
    else:
        _put(row, codes, np.full(len(codes), np.nan), None, None, np.ones(len(codes), bool))
    rows.append(row)
    return rows


def _put(row: dict, codes, share, low, high, hidden) -> None:
    suppressed = []
    for j, code in enumerate(codes):
        if hidden[j]:
            suppressed.append(code)
            row[f"share_{code}"] = row[f"low_{code}"] = row[f"high_{code}"] = np.nan
        else:
            row[f"share_{code}"] = float(share[j])
            row[f"low_{code}"] = np.nan if low is None else float(low[j])
            row[f"high_{code}"] = np.nan if high is None else float(high[j])
    row["suppressed"] = ",".join(suppressed)


def _answers_table(answers, groups, items, codes, min_cell) -> pd.DataFrame:
    rows = []
    for item in items:
        values = answers[item.key].to_numpy(dtype=object, na_value=None)
        counts = _counts(groups, values, list(codes))
        n = counts.sum(axis=1)
        hidden, col_hidden, row_hidden = _partition_pattern(counts, min_cell)
        base = {"question": item.header, "key": item.key, "label": item.title,
                "theme": item.theme or item.lever or ""}  # fmt: skip
        rows += _share_rows(base, groups, counts, n, list(codes), hidden, col_hidden,
                            row_hidden, int(n.sum()))  # fmt: skip
    return pd.DataFrame(rows)


def _barrier_table(answers, groups, items, min_cell) -> pd.DataFrame:
    """Per barrier question: one row per group and family, one per group and choice;
    every share among all the group's respondents."""
    rows = []
    n = np.bincount(groups.index, minlength=groups.rows)
    row_hidden = _hide_rows(n, min_cell)
    for item in items:
        cells = answers[item.key].to_numpy(dtype=object, na_value=None)
        ticked = [set(v) if isinstance(v, (tuple, list)) else set() for v in cells]
        choices = list(item.choices)
        family_of = {c: (OTHER_FAMILY if (ch.other or c == OTHER) else ch.family or OTHER_FAMILY)
                     for c, ch in item.choices.items()}  # fmt: skip
        families = list(dict.fromkeys(family_of[c] for c in choices))
        for level, columns, member in (
            ("family", families, lambda t, f, of=family_of: any(of.get(c) == f for c in t)),
            ("choice", choices, lambda t, c: c in t),
        ):
            counts = np.zeros((groups.rows, len(columns)), dtype=np.int64)
            for g, t in zip(groups.index, ticked, strict=True):
                for j, col in enumerate(columns):
                    if member(t, col):
                        counts[g, j] += 1
            hidden, col_hidden = _overlap_pattern(counts, min_cell, groups.k)
            hidden |= row_hidden[:, None]
            for j, col in enumerate(columns):
                base = {"question": item.header, "key": item.key, "label": item.title,
                        "lever": item.lever or "", "level": level,
                        "family": col if level == "family" else family_of[col],
                        "choice": "" if level == "family" else col,
                        "choice_label": "" if level == "family" else item.choices[col].label}  # fmt: skip
                block = _share_rows(base, groups, counts[:, [j]], n, ["x"], hidden[:, [j]],
                                    col_hidden[[j]], row_hidden, int(n.sum()))  # fmt: skip
                for r in block:
                    r["share"], r["low"], r["high"] = (
                        r.pop("share_x"),
                        r.pop("low_x"),
                        r.pop("high_x"),
                    )
                    r["suppressed"] = "share" if r["suppressed"] else ""
                rows += block
    return pd.DataFrame(rows)


def _trip_table(answers, groups, schema, min_cell) -> pd.DataFrame:
    """Per purpose (food, leisure, work): the mode × time × zone table, with the distance
    class of each cell, among the respondents who gave a mode."""
    rows = []
    by_purpose: dict = {}
    for item in schema.of_kind("trip_mode", "trip_time", "trip_zone"):
        by_purpose.setdefault(item.purpose, {})[item.kind] = item
    for purpose, items in by_purpose.items():
        if set(items) != {"trip_mode", "trip_time", "trip_zone"}:
            continue
        mode_item = items["trip_mode"]
        mode = answers[mode_item.key].to_numpy(dtype=object, na_value=None)
        time = answers[items["trip_time"].key].to_numpy(dtype=object, na_value=None)
        zone = answers[items["trip_zone"].key].to_numpy(dtype=object, na_value=None)
        combos = [None if m is None else (m, None if m in NO_TRIP else t, None if m in NO_TRIP else z)
                  for m, t, z in zip(mode, time, zone, strict=True)]  # fmt: skip
        order = {c: i for i, c in enumerate(mode_item.choices)}
        times = {c: i for i, c in enumerate(items["trip_time"].choices)}
        zones = {c: i for i, c in enumerate(items["trip_zone"].choices)}
        columns = sorted({c for c in combos if c is not None}, key=lambda c: (
            order.get(c[0], 99), times.get(c[1], 99), zones.get(c[2], 99)))  # fmt: skip
        counts = _counts(groups, combos, columns)
        n = counts.sum(axis=1)
        hidden, col_hidden, row_hidden = _partition_pattern(counts, min_cell)
        for j, (m, t, z) in enumerate(columns):
            base = {"question": mode_item.header, "purpose": purpose, "mode": m,
                    "time": t or "", "zone": z or "", "distance_class": distance_class(m, t) or ""}  # fmt: skip
            block = _share_rows(base, groups, counts[:, [j]], n, ["x"], hidden[:, [j]],
                                col_hidden[[j]], row_hidden, int(n.sum()))  # fmt: skip
            for r in block:
                r["share"], r["low"], r["high"] = r.pop("share_x"), r.pop("low_x"), r.pop("high_x")
                r["suppressed"] = "share" if r["suppressed"] else ""
            rows += block
    return pd.DataFrame(rows)


# -- carbon -------------------------------------------------------------------------------


def _carbon_table(
    results: pd.DataFrame, groups: Groups, nodes: list, min_cell: int
) -> pd.DataFrame:
    """Mean kg CO2e per year of each NGC node per profile (Student interval), pooled and
    for the neighbourhood. ``nodes``: dicts with ``column``, ``key``, ``header``, ``label``,
    ``parent``, ``level``."""
    rows = []
    for node in nodes:
        x = results[node["column"]].to_numpy(dtype=float, na_value=np.nan)
        ok = np.isfinite(x)
        n = np.bincount(groups.index[ok], minlength=groups.rows)
        total = np.bincount(groups.index[ok], weights=x[ok], minlength=groups.rows)
        square = np.bincount(groups.index[ok], weights=x[ok] ** 2, minlength=groups.rows)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = total / n
            sd = np.sqrt(np.maximum(square / n - mean**2, 0) * n / np.maximum(n - 1, 1))
        low, high = mean_interval(mean, sd, n)
        hidden = _hide_rows(n, min_cell)  # a single hidden mean: the pooled one gives it back
        base = {"question": node["header"], "key": node["key"], "label": node["label"],
                "parent": node.get("parent") or "", "level": "" if node.get("level") is None else node["level"]}  # fmt: skip
        for g, label in enumerate(groups.labels()):
            rows.append({**base, "profile": label, "n": None if hidden[g] else int(n[g]),
                         **_mean(mean[g], low[g], high[g], hidden[g])})  # fmt: skip
        pooled = x[ok]
        n_all = len(pooled)
        m = pooled.mean() if n_all else np.nan
        s = pooled.std(ddof=1) if n_all > 1 else np.nan
        lo, hi = mean_interval(np.array([m]), np.array([s]), np.array([n_all]))
        rows.append({**base, "profile": ENSEMBLE, "n": n_all,
                     **_mean(m, lo[0], hi[0], n_all < min_cell)})  # fmt: skip
        k = groups.k
        present = n[:k] > 0
        if present.any():
            w = groups.shares * present
            w = w / w.sum()
            q = float(np.nansum(w * np.where(present, mean[:k], 0)))
            with np.errstate(divide="ignore", invalid="ignore"):
                var = np.nansum(np.where(present & (n[:k] > 1), w**2 * sd[:k] ** 2 / n[:k], 0.0))
            half = Z95 * np.sqrt(var)
            rows.append({**base, "profile": QUARTIER, "n": int(n[:k].sum()),
                         **_mean(q, q - half, q + half, bool(hidden[:k][present].any()))})  # fmt: skip
        else:
            rows.append(
                {**base, "profile": QUARTIER, "n": 0, **_mean(np.nan, np.nan, np.nan, True)}
            )
    return pd.DataFrame(rows)


def _mean(mean, low, high, hidden) -> dict:
    if hidden:
        return {"mean": np.nan, "low": np.nan, "high": np.nan, "suppressed": "mean"}
    return {"mean": float(mean), "low": float(low), "high": float(high), "suppressed": ""}


# -- the whole -----------------------------------------------------------------------------


def summarize(
    profiles,
    emdv: EmdvImport | None = None,
    emdv_links: pd.DataFrame | None = None,
    ngc=None,
    ngc_links: pd.DataFrame | None = None,
    *,
    carbon_nodes: list | None = None,
    su_counts: dict | None = None,
    min_cell: int = DEFAULT_MIN_CELL,
    allow_below_3: bool = False,
) -> Diagnostic:
    """The analyses of the EMdV answers and the NGC results, linked to ``profiles``
    (:class:`~qet_geo.diagnostic.link.Profiles`) by ``emdv_links`` / ``ngc_links``
    (:func:`~qet_geo.diagnostic.link.link_profiles`)."""
    check_min_cell(min_cell, allow_below_3)
    empty = pd.DataFrame()
    tables = dict.fromkeys(ANALYSES, empty)
    notes: list = []
    counts = {p: {} for p in profiles.numbers}
    if emdv is not None:
        linked = emdv_links["profile"].notna().to_numpy()
        groups = Groups.of(emdv_links["profile"][linked], profiles.numbers, profiles.shares)
        answers, schema = emdv.answers[linked].reset_index(drop=True), emdv.schema
        tables["satisfaction"] = _answers_table(answers, groups, schema.of_kind("satisfaction"),
                                                SATISFACTION_CODES, min_cell)  # fmt: skip
        tables["wishes"] = _answers_table(
            answers, groups, schema.of_kind("wish"), WISH_CODES, min_cell
        )
        tables["barriers"] = _barrier_table(answers, groups, schema.of_kind("barrier"), min_cell)
        tables["trips"] = _trip_table(answers, groups, schema, min_cell)
        _count_links(counts, emdv_links, "emdv")
    if ngc is not None:
        linked = ngc_links["profile"].notna().to_numpy()
        groups = Groups.of(ngc_links["profile"][linked], profiles.numbers, profiles.shares)
        results = ngc.results[linked].reset_index(drop=True)
        tables["carbon"] = _carbon_table(results, groups, carbon_nodes or [], min_cell)
        _count_links(counts, ngc_links, "ngc")
    table = pd.DataFrame([
        {"profile": str(p), "name": profiles.names.get(p, str(p)),
         "population_share": float(profiles.shares[p]),
         **({"n_su": int((su_counts or {}).get(p, 0))} if su_counts is not None else {}),
         **counts[p]}
        for p in profiles.numbers
    ])  # fmt: skip
    for column in [c for c in table.columns if c.startswith("n_")]:
        values = table[column].fillna(0).astype(int).to_numpy()
        survey = column[2:]
        links = {"emdv": emdv_links, "ngc": ngc_links}.get(survey)
        outside = 0 if links is None else int(links["profile"].isna().sum())
        # with the respondents of no profile, whose count the analyses publish
        hidden = (
            _hide_rows(np.append(values, outside), min_cell)[:-1]
            if outside
            else _hide_rows(values, min_cell)
        )
        table[column] = pd.array([None if h else int(v) for v, h in zip(values, hidden, strict=True)],
                                 dtype="Int64")  # fmt: skip
    for survey, links in (("EMdV", emdv_links), ("NGC", ngc_links)):
        if links is not None:
            notes.append(link_note(survey, links, min_cell))
    table["min_cell"] = min_cell  # the threshold every published value obeys, recorded
    table["below_3_allowed"] = bool(allow_below_3)
    for frame in tables.values():
        if "n" in frame.columns:
            frame["n"] = frame["n"].astype("Int64")
    return Diagnostic(**tables, profiles=table, min_cell=min_cell, notes=notes)


#: the group of the respondents who do not say where they live (or live outside the areas)
NOT_LOCATED = "non localisé"
#: the tables per area, by the name of the table per profile they repeat
AREA_ANALYSES = {name: f"area_{name}" for name in ANALYSES}


def summarize_areas(
    area_ids: list,
    emdv: EmdvImport | None = None,
    emdv_area: np.ndarray | None = None,
    ngc=None,
    ngc_area: np.ndarray | None = None,
    *,
    carbon_nodes: list | None = None,
    min_cell: int = DEFAULT_MIN_CELL,
) -> dict[str, pd.DataFrame]:
    """The analyses per area of the respondents who say where they live: the same tables
    as :func:`summarize` with ``area_id`` in place of ``profile`` — one row per area,
    (an area where none of them lives has no row), ``non localisé`` for those who do
    not say (or live outside every area: kept as a group, so that the pooled ``ensemble`` row is the profiles' one and no difference of
    the two tables gives a hidden count back), and ``ensemble``; no ``quartier`` row.

    ``emdv`` / ``ngc``: the imports, with the respondents the profile tables count (those
    linked to a profile); ``emdv_area`` / ``ngc_area``: the position of each one's area in
    ``area_ids``, −1 when not located. The same disclosure control as per profile (the
    threshold checked by the caller, :func:`summarize`'s)."""
    tables: dict[str, pd.DataFrame] = {}

    def groups_of(position: np.ndarray) -> Groups:
        # the areas where someone lives, in the areas' order: an area nobody of the
        # survey lives in has no row (a count of zero says nothing of anyone)
        present = np.unique(position[position >= 0])
        k = len(present)
        rank = np.full(len(area_ids), -1, dtype=np.int64)
        rank[present] = np.arange(k)
        index = np.where(position >= 0, rank[np.maximum(position, 0)], k).astype(np.int64)
        return Groups([str(area_ids[i]) for i in present], np.full(k, 1.0 / max(k, 1)), index,
                      bool((index == k).any()), NOT_LOCATED)  # fmt: skip

    if emdv is not None and emdv_area is not None:
        groups, answers, schema = groups_of(emdv_area), emdv.answers, emdv.schema
        tables["satisfaction"] = _answers_table(answers, groups, schema.of_kind("satisfaction"),
                                                SATISFACTION_CODES, min_cell)  # fmt: skip
        tables["wishes"] = _answers_table(answers, groups, schema.of_kind("wish"), WISH_CODES,
                                          min_cell)  # fmt: skip
        tables["barriers"] = _barrier_table(answers, groups, schema.of_kind("barrier"), min_cell)
        tables["trips"] = _trip_table(answers, groups, schema, min_cell)
    if ngc is not None and ngc_area is not None:
        tables["carbon"] = _carbon_table(ngc.results, groups_of(ngc_area), carbon_nodes or [],
                                         min_cell)  # fmt: skip
    out = {}
    for name, frame in tables.items():
        if not len(frame):
            continue
        frame = frame[frame["profile"] != QUARTIER].rename(columns={"profile": "area_id"})
        frame = frame.drop(columns=[c for c in ("note",) if c in frame.columns])
        if "n" in frame.columns:
            frame["n"] = frame["n"].astype("Int64")
        out[AREA_ANALYSES[name]] = frame.reset_index(drop=True)
    return out


def link_note(survey: str, links: pd.DataFrame, min_cell: int | None = None) -> Message:
    """How the respondents of ``survey`` ("EMdV", "NGC") got their profile (``links``:
    :func:`~qet_geo.diagnostic.link.link_profiles`). With ``min_cell`` (a published note)
    a count of the respondents of no profile under it is not said."""
    none = int(links["profile"].isna().sum())
    if min_cell is not None and 0 < none < min_cell:
        return Message("{survey}: {declared} respondents gave their SU code, {assigned} were "
                       "assigned to the nearest profile, fewer than {n} have no profile "
                       "(left out of the analyses)",
                       survey=survey, declared=int((links["link"] == "declared").sum()),
                       assigned=int((links["link"] == "assigned").sum()), n=min_cell)  # fmt: skip
    return Message("{survey}: {declared} respondents gave their SU code, {assigned} were "
                   "assigned to the nearest profile, {none} have no profile",
                   survey=survey, declared=int((links["link"] == "declared").sum()),
                   assigned=int((links["link"] == "assigned").sum()),
                   none=int(links["profile"].isna().sum()))  # fmt: skip


def _count_links(counts: dict, links: pd.DataFrame, survey: str) -> None:
    for p in counts:
        mine = links["profile"] == p
        counts[p][f"n_{survey}"] = int(mine.sum())
