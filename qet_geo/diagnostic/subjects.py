"""The forum's impact subjects (docs/forum.md): one per subject of the levers file (by
default the six usages), ranked by their room for manoeuvre.

A subject gathers its levers (food: less meat and fish, local and seasonal food). Its
potential is the sum of its levers' (their savings act on different parts of the usage; the
sum is an upper bound where they overlap, as a local diet with less meat), its interval the
sum of theirs (conservative). Its willingness shares are those of its main lever (the
largest potential with a wish question), named in ``note``; its barriers are the families
the neighbourhood's residents cite most for its levers (EMdV barrier questions, the
neighbourhood figure); its areas the three with the largest potential; its structural
potential the sum of its levers' over the areas where a public action could unlock them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..i18n import Message, translate
from .manoeuvre import ENSEMBLE, METHOD, METHOD_EN, NOT_CONCERNED, QUARTIER, Manoeuvre

COLUMNS = [
    "rank", "key", "title", "levers", "lever_labels", "residents",
    "potential_t", "potential_low_t", "potential_high_t",
    "per_resident_kg", "per_resident_low_kg", "per_resident_high_kg",
    "share_done", "share_planned", "share_blocked", "share_not_wanted",
    "planned_t", "blocked_t", "not_wanted_t",
    "barriers", "areas", "structural_t", "structural_areas", "action", "note",
]  # fmt: skip
#: the columns of the subjects' area layer, per subject key K: ``K__<column>``
AREA_COLUMNS = ("potential_t", "per_resident_kg", "blocked_t", "structural_t", "structural",
                "constraint", "barriers")  # fmt: skip
TOP_AREAS = 3


def subjects_table(manoeuvre: Manoeuvre, diagnostic=None, *, language: str = "fr") -> pd.DataFrame:
    """One row per subject, ranked by potential (the largest first; a subject none of whose
    levers has a potential comes last)."""
    defs = manoeuvre.definitions
    q = manoeuvre.levers[manoeuvre.levers["profile"] == QUARTIER].set_index("lever")
    barriers = getattr(diagnostic, "barriers", None)
    rows = []
    for key in dict.fromkeys(lever.subject for lever in defs.levers):
        levers = [lever for lever in defs.levers if lever.subject == key and lever.key in q.index]
        if not levers:
            continue
        mine = q.loc[[lever.key for lever in levers]]
        row = {"key": key, "title": defs.subject_title(key, language),
               "levers": ",".join(lever.key for lever in levers),
               "lever_labels": " ; ".join(lever.text("label", language) for lever in levers),
               "residents": manoeuvre.residents}  # fmt: skip
        for column in ("potential_t", "potential_low_t", "potential_high_t", "per_resident_kg",
                       "per_resident_low_kg", "per_resident_high_kg"):  # fmt: skip
            values = pd.to_numeric(mine[column], errors="coerce")
            row[column] = round(float(values.sum()), 2) if values.notna().all() else np.nan
        with_wish = [
            lv for lv in levers if lv.wish and np.isfinite(_f(mine.loc[lv.key, "share_blocked"]))
        ]
        notes = []
        if with_wish:
            main = max(with_wish, key=lambda lv: _f(mine.loc[lv.key, "potential_t"], -1.0))
            for column in ("share_done", "share_planned", "share_blocked", "share_not_wanted"):
                row[column] = _f(mine.loc[main.key, column])
            parts = {
                c: [_f(mine.loc[lv.key, c]) for lv in levers]
                for c in ("planned_t", "blocked_t", "not_wanted_t")
            }
            # the split of the subject: its levers' splits, where every lever has one
            for column, values in parts.items():
                row[column] = round(sum(values), 2) if all(np.isfinite(values)) else np.nan
            if len(levers) > 1:
                notes.append(translate(language, Message(
                    "willingness of the lever {lever}", lever=main.text("label", language))))  # fmt: skip
        else:
            for column in ("share_done", "share_planned", "share_blocked", "share_not_wanted",
                           "planned_t", "blocked_t", "not_wanted_t"):  # fmt: skip
                row[column] = np.nan
            if not any(lv.wish for lv in levers):
                notes.append(translate(language, Message("no wish question for this subject")))
        row["barriers"] = _barriers(levers, barriers)
        row["areas"], row["structural_t"], row["structural_areas"] = _areas(levers, manoeuvre)
        row["action"] = " ; ".join(
            t for t in dict.fromkeys(lv.text("action", language) for lv in levers) if t
        )
        notes.append(METHOD if language == "fr" else METHOD_EN)
        row["note"] = " ; ".join(notes)
        rows.append(row)
    table = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "rank"])
    order = table["potential_t"].fillna(-1.0).to_numpy()
    table = table.iloc[np.argsort(-order, kind="stable")].reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


def _f(value, default=np.nan) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return out if np.isfinite(out) else default


def _barriers(levers, barriers) -> str:
    """The three barrier families the neighbourhood cites most for the subject's levers."""
    if barriers is None or not len(barriers):
        return ""
    keys = [lv.barrier for lv in levers if lv.barrier]
    rows = barriers[barriers["key"].isin(keys) & (barriers["level"] == "family")]
    # the neighbourhood's figure, or the pooled respondents' where it is hidden
    for profile in (QUARTIER, ENSEMBLE):
        mine = rows[rows["profile"].astype(str) == profile]
        if pd.to_numeric(mine["share"], errors="coerce").notna().any():
            rows = mine
            break
    else:
        return ""
    best: dict = {}
    for family, share in zip(
        rows["family"], pd.to_numeric(rows["share"], errors="coerce"), strict=True
    ):
        if family != NOT_CONCERNED and np.isfinite(share):
            best[family] = max(best.get(family, 0.0), float(share))
    top = sorted(best.items(), key=lambda kv: -kv[1])[:3]
    return " ; ".join(f"{family} {round(share * 100):d} %" for family, share in top if share > 0)


def _areas(levers, manoeuvre: Manoeuvre) -> tuple[str, float, str]:
    """(the areas with the largest potential, the structural potential, its areas)."""
    areas = manoeuvre.areas
    if areas is None or not len(areas):
        return "", np.nan, ""
    columns = [f"{lv.key}__potential_t" for lv in levers if f"{lv.key}__potential_t" in areas]
    names = areas["area_name"].astype(str) if "area_name" in areas else areas["area_id"].astype(str)
    total = areas[columns].apply(pd.to_numeric, errors="coerce").sum(axis=1, min_count=len(columns))
    ranked = total.dropna().sort_values(ascending=False, kind="stable")
    top = " ; ".join(names.loc[ranked.index[:TOP_AREAS]])
    s = manoeuvre.structural
    mine = s[s["lever"].isin([lv.key for lv in levers])] if len(s) else s
    measured = any(lv.constraint for lv in levers)
    if not measured:
        return top, np.nan, ""
    structural = round(float(pd.to_numeric(mine["potential_t"]).sum()), 2) if len(mine) else 0.0
    where = " ; ".join(dict.fromkeys(mine["area_name"].astype(str))) if len(mine) else ""
    return top, structural, where


def subject_areas(manoeuvre: Manoeuvre) -> pd.DataFrame | None:
    """The areas with each subject's columns ``K__potential_t``, ``K__per_resident_kg``,
    ``K__blocked_t``, ``K__structural_t``, ``K__structural``, ``K__constraint``,
    ``K__barriers`` (sums over the subject's levers; NaN where a lever's is hidden)."""
    areas = manoeuvre.areas
    if areas is None:
        return None
    out = areas[[c for c in ("area_id", "area_name", "pop_15p", "mix_known", "geometry")
                 if c in areas.columns]].copy()  # fmt: skip
    defs = manoeuvre.definitions
    for key in dict.fromkeys(lv.subject for lv in defs.levers):
        levers = [lv for lv in defs.levers if lv.subject == key]
        for column in ("potential_t", "per_resident_kg", "blocked_t"):
            present = [f"{lv.key}__{column}" for lv in levers if f"{lv.key}__{column}" in areas]
            if present:
                values = areas[present].apply(pd.to_numeric, errors="coerce")
                out[f"{key}__{column}"] = values.sum(axis=1, min_count=len(present)).round(2)
        measured = [lv for lv in levers if f"{lv.key}__structural" in areas]
        if measured:
            flags = areas[[f"{lv.key}__structural" for lv in measured]].apply(
                pd.to_numeric, errors="coerce"
            )
            out[f"{key}__structural"] = flags.max(axis=1, skipna=True)
            unlocked = areas[[f"{lv.key}__structural_t" for lv in measured]].apply(
                pd.to_numeric, errors="coerce"
            )
            out[f"{key}__structural_t"] = unlocked.sum(axis=1, min_count=1).round(2)
            out[f"{key}__constraint"] = [" ; ".join(t for t in dict.fromkeys(row) if t) for row in
                                         areas[[f"{lv.key}__constraint" for lv in measured]].fillna("").astype(str).to_numpy()]  # fmt: skip
        texts = [f"{lv.key}__barriers" for lv in levers if f"{lv.key}__barriers" in areas]
        if texts:
            out[f"{key}__barriers"] = [" ; ".join(t for t in dict.fromkeys(row) if t)
                                       for row in areas[texts].fillna("").astype(str).to_numpy()]  # fmt: skip
    out["method"] = areas.get("method", METHOD)
    return out
