"""Room for manoeuvre (docs/manoeuvre.md): the reduction potential of each lever, per
profile and per area, split by willingness, and where a public action would unlock it.

- A **lever** (``schemas/levers.yaml``, or a team's own file) acts on one SU usage: it moves
  a respondent from their band to a target band, and saves the usage's footprint in the
  current band minus in the target band, from the NGC band values of the footprints step
  (``fp_*``: estimate, low, high). A lever with ``saving: actions`` (local and seasonal
  food: no SU question) saves what the NGC model's own action rules give on the situation
  of the respondent's band. Where the pinned model's action values of the bands are known
  (``footprint/data/su-bands-actions.json``), the lever's own NGC action is given beside the
  band difference as the finer figure (``ngc_action_kg``).
- **Per member** of profile p: e_p = Σ_b q_pb S_b, with q_pb the share of its SU respondents
  in band b and S_b the saving from band b (0 in a band the lever does not move).
- **Potential** of a profile: its residents aged 15+ (the neighbourhood's, × its population
  share) × e_p; of the neighbourhood: the sum; of an area: its residents aged 15+ (census)
  × the estimate of e from its profile mix, as :func:`~qet_geo.diagnostic.places.area_estimates`
  makes it (the published shares and figures; the rest of the mix at the figure of the
  neighbourhood's other residents).
- **Willingness** (the lever's EMdV wish question): the potential of a profile is split
  among "planned" (j'aimerais bien et je prévois de le faire), "blocked" (j'aimerais bien
  mais je n'ai pas le choix: a structural lever) and "not wanted" in the proportions of the
  profile's answers among those who do not already do it ("already done": no potential
  left, its share of residents is given). The three parts sum to the potential.
- **Intervals** (95 %) carry the sampling uncertainty (Dirichlet draws of each profile's band
  shares and willingness shares, Jeffreys prior, seeded) and the band range: the low end is
  the 2.5 % quantile of the draws with every band at its low situation, the high end the
  97.5 % quantile with every band at its high one. The profiles' population shares are taken
  as given.
- **Structural** (``constraint`` of a lever): an area where the estimated share of residents
  blocked reaches ``blocked_min`` and the measured constraint is poor (a PTAL band of the
  lever's list, a distance to the service from ``poor_from_m``): its blocked potential is
  what a public action could unlock there. A potential, not a forecast.

Disclosure: a profile's figure of a lever is hidden when one of the bands of the lever's
question counts fewer SU respondents than the threshold (but some) — a band the lever does
not move too: the profile's count less the share it applies to gives it back — and then
the smallest other profiles' while the hidden ones together would be given back by the
neighbourhood figure less the shown ones (a single one, or a band of fewer respondents
than the threshold among them); the profiles whose figure is hidden are
split by willingness together, at the pooled shares, so that no part of the split tells them
apart; the areas are estimated from published figures only. Every other input is already
published (the wish shares of the diagnostic, the area map's shares and census).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import limits
from ..errors import InputError, Problem
from ..footprint.actions import band_actions
from ..footprint.su import band_values
from ..i18n import Message, tr
from ..threshold import DEFAULT_MIN_CELL
from .emdv import load_emdv_schema
from .places import slug

SCHEMA = Path(__file__).with_name("schemas") / "levers.yaml"
QUARTIER = "quartier"
ENSEMBLE = "ensemble"
#: what the outputs say of every figure
METHOD = "potentiel, pas une prévision"
METHOD_EN = "a potential, not a forecast"
#: the wish codes and the part of the potential each one stands for
DONE, PLANNED, BLOCKED, NOT_WANTED = "YES_I_DO", "I_WISH_AND_IT_IS_PLAN", "I_WISH_BUT_CANT", "NO"
SPLIT = {"planned": PLANNED, "blocked": BLOCKED, "not_wanted": NOT_WANTED}
CODES = (1, 2, 3)
LEVELS = ("estimate", "low", "high")
SAVINGS = ("bands", "actions")
MEASURES = ("ptal", "food", "repair")
#: the share of blocked residents from which an area with a poor constraint is structural
BLOCKED_MIN = 0.2
DRAWS = 2000
SEED = 16
#: where a profile's willingness comes from: its own published answers, or the pooled
#: respondents' (its own hidden, or its potential hidden)
OWN, POOLED = "profil", "ensemble"
#: the barrier family left out of "the barriers residents cite"
NOT_CONCERNED = "Non concerné"


@dataclass(frozen=True)
class Lever:
    key: str
    label: dict  # language → text
    usage: str
    variable: str
    saving: str = "bands"  # or "actions"
    moves: dict = field(default_factory=dict)  # source band → target band
    actions: tuple = ()
    wish: str | None = None
    barrier: str | None = None
    constraint: dict | None = None
    action: dict = field(default_factory=dict)
    subject: str | None = None

    def text(self, what: str = "label", language: str = "fr") -> str:
        values = getattr(self, what) or {}
        return str(values.get(language) or values.get("fr") or "")


@dataclass(frozen=True)
class Levers:
    """The levers and the forum's subjects (key → titles) of a levers file."""

    levers: tuple
    subjects: dict
    blocked_min: float
    source: str

    def of(self, key: str) -> Lever:
        return next(lever for lever in self.levers if lever.key == key)

    def subject_title(self, key: str, language: str = "fr") -> str:
        titles = self.subjects.get(key) or {}
        return str(titles.get(language) or titles.get("fr") or key)


def read_levers(path=None) -> Levers:
    """The levers of ``path`` (a YAML file of the form of ``schemas/levers.yaml``), the
    built-in ones by default; each entry checked (its fields, usage, variable, bands,
    saving, questions, constraint). Read again when the file changes."""
    path = Path(path) if path is not None else SCHEMA
    try:
        stamp = path.stat()
        key = (stamp.st_mtime_ns, stamp.st_size)
    except OSError:
        key = None
    return _read_levers(str(path), key)


#: the fields of a levers file, of a lever, of a lever's constraint
FILE_FIELDS = ("levers", "subjects", "structural")
LEVER_FIELDS = ("label", "usage", "variable", "saving", "moves", "actions", "wish", "barrier",
                "constraint", "action", "subject")  # fmt: skip
CONSTRAINT_FIELDS = ("measure", "poor", "poor_from_m")
PTAL_BANDS = ("0", "1a", "1b", "2", "3", "4", "5", "6a", "6b")
#: a lever's or a subject's key: it names files and columns
KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


@cache
def _read_levers(name: str, _stamp=None) -> Levers:
    path = Path(name)
    if not path.is_file():
        raise InputError(Problem.of(name, "no such file", expected="a levers file (.yaml)"))
    data = limits.read_yaml(path)

    def bad(column, value, expected, reason="not a valid lever field"):
        return InputError(Problem.of(name, reason, column=column,
                                     value=limits.echo(str(value)), expected=expected))  # fmt: skip

    if not isinstance(data, dict) or not isinstance(data.get("levers"), dict) or not data["levers"]:
        raise InputError(
            Problem.of(name, "no levers", expected="a mapping 'levers:' of lever entries")
        )
    for field_ in data:
        if field_ not in FILE_FIELDS:
            raise bad(str(field_), "", ", ".join(FILE_FIELDS), "not a field of a levers file")
    usages = band_values()["usages"]
    variables = {spec["variable"]: usage for usage, spec in usages.items()}
    form = load_emdv_schema()
    questions = {kind: [item.key for item in form.of_kind(kind)] for kind in ("wish", "barrier")}
    raw_subjects = data.get("subjects") or {}
    if not isinstance(raw_subjects, dict):
        raise InputError(Problem.of(name, "not a mapping", column="subjects",
                                    expected="subject key: {fr: title, en: title}"))  # fmt: skip
    subjects = {}
    for key, titles in raw_subjects.items():
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise bad(f"subjects.{key}", key, "letters, digits, _ or - (40 at most)",
                      "not a subject key")  # fmt: skip
        twin = next((k for k in subjects if k.casefold() == key.casefold()), None)
        if twin is not None:
            raise bad(f"subjects.{key}", key, Message("another key than {key!r}", key=twin),
                      "a subject key given twice (case aside)")  # fmt: skip
        subjects[key] = _texts(
            name, f"subjects.{key}", titles, "subject key: {fr: title, en: title}"
        )
    structural = data.get("structural") or {}
    if not isinstance(structural, dict) or set(structural) - {"blocked_min"}:
        raise bad("structural", structural, "structural: {blocked_min: a number from 0 to 1}")
    blocked_min = _fraction(
        name, "structural.blocked_min", structural.get("blocked_min", BLOCKED_MIN)
    )
    levers, seen_keys = [], {}
    for key, spec in data["levers"].items():
        where = f"levers.{key}"
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise bad(where, key, "letters, digits, _ or - (40 at most)", "not a lever key")
        if not isinstance(spec, dict):
            raise bad(where, spec, "a mapping of the lever's fields")
        for field_ in spec:
            if field_ not in LEVER_FIELDS:
                raise bad(
                    f"{where}.{field_}", "", ", ".join(LEVER_FIELDS), "not a field of a lever"
                )
        usage, variable = spec.get("usage"), spec.get("variable")
        if not isinstance(usage, str) or usage not in usages:
            raise bad(f"{where}.usage", usage, ", ".join(usages))
        if (
            not isinstance(variable, str)
            or variable not in variables
            or variables[variable] != usage
        ):
            raise bad(f"{where}.variable", variable, usages[usage]["variable"])
        saving = spec.get("saving", "bands")
        if saving not in SAVINGS:
            raise bad(f"{where}.saving", saving, "bands or actions")
        raw_moves = spec.get("moves") or {}
        if not isinstance(raw_moves, dict):
            raise bad(f"{where}.moves", raw_moves, "a mapping of band codes, source: target (3: 2)")
        if saving == "actions" and raw_moves:
            raise bad(
                f"{where}.moves",
                raw_moves,
                "no moves: an actions lever saves NGC's actions on each band",
            )
        moves = {}
        for source, target in raw_moves.items():
            if str(source) not in map(str, CODES) or str(target) not in map(str, CODES):
                raise bad(
                    f"{where}.moves", f"{source}: {target}", "band codes 1, 2, 3 (source: target)"
                )
            if int(target) >= int(source) and saving == "bands":
                raise bad(
                    f"{where}.moves", f"{source}: {target}", "a target band below its source band"
                )
            moves[int(source)] = int(target)
        if saving == "bands" and not moves:
            raise bad(f"{where}.moves", "", "the bands the lever moves (source: target)")
        raw_actions = spec.get("actions") or []
        if not isinstance(raw_actions, list) or not all(isinstance(a, str) for a in raw_actions):
            raise bad(f"{where}.actions", raw_actions, "a list of NGC action rules")
        actions = tuple(raw_actions)
        if saving == "actions" and not actions:
            raise bad(f"{where}.actions", "", "the NGC action rules of the lever")
        known = _known_actions(variable)
        for rule in actions if known is not None else ():
            if rule not in known:
                raise bad(f"{where}.actions", rule, ", ".join(known) or "an action rule evaluated on the bands",
                          "not an NGC action evaluated on this question's bands")  # fmt: skip
        for kind in ("wish", "barrier"):
            question = spec.get(kind)
            if question is not None and question not in questions[kind]:
                raise bad(f"{where}.{kind}", question, ", ".join(questions[kind]),
                          "not a question of the EMdV form")  # fmt: skip
        constraint = spec.get("constraint")
        if constraint is not None:
            constraint = _read_constraint(name, f"{where}.constraint", constraint, bad)
        label = _texts(
            name, f"{where}.label", spec.get("label") or {"fr": key}, "{fr: text, en: text}"
        )
        action = _texts(name, f"{where}.action", spec.get("action") or {}, "{fr: text, en: text}")
        subject = spec.get("subject", usage)
        if not isinstance(subject, str) or not KEY.fullmatch(subject):
            raise bad(f"{where}.subject", subject, "letters, digits, _ or - (40 at most)",
                      "not a subject key")  # fmt: skip
        if key.casefold() in seen_keys:  # car and CAR: one column name in a GeoPackage
            raise bad(where, key, Message("another key than {key!r}", key=seen_keys[key.casefold()]),
                      "a lever key given twice (case aside)")  # fmt: skip
        seen_keys[key.casefold()] = key
        levers.append(Lever(key, label, usage, variable, saving, moves, actions,
                            spec.get("wish"), spec.get("barrier"), constraint, action, subject))  # fmt: skip
        twin = next(
            (k for k in subjects if k != subject and k.casefold() == subject.casefold()), None
        )
        if twin is not None:  # Mobilite and mobilite: one column name in a GeoPackage
            raise bad(f"{where}.subject", subject, Message("another key than {key!r}", key=twin),
                      "a subject key given twice (case aside)")  # fmt: skip
        if subject not in subjects:
            subjects[subject] = {"fr": subject}
    return Levers(tuple(levers), subjects, blocked_min, name)


def _known_actions(variable: str) -> list | None:
    """The NGC action rules evaluated on the bands of ``variable`` (None: not computed)."""
    try:
        data = band_actions()
    except (FileNotFoundError, InputError):
        return None
    found = [rule for entry in (data.get("levers") or {}).values() if entry.get("variable") == variable
             for rule in (entry.get("actions") or {})]  # fmt: skip
    return list(dict.fromkeys(found))


def _texts(name: str, column: str, value, expected: str) -> dict:
    """A text field in each language: a text (French) or {fr: …, en: …} of texts."""
    if isinstance(value, str):
        value = {"fr": value}
    if not isinstance(value, dict) or any(
        k not in ("fr", "en") or not isinstance(v, str) for k, v in value.items()
    ):
        raise InputError(Problem.of(name, "not a text in French and English", column=column,
                                    value=limits.echo(str(value)), expected=expected))  # fmt: skip
    return dict(value)


def _read_constraint(name: str, column: str, constraint, bad) -> dict:
    if not isinstance(constraint, dict):
        raise bad(
            column, constraint, "{measure: ptal, poor: [...]} or {measure: food, poor_from_m: 800}"
        )
    for field_ in constraint:
        if field_ not in CONSTRAINT_FIELDS:
            raise bad(
                f"{column}.{field_}",
                "",
                ", ".join(CONSTRAINT_FIELDS),
                "not a field of a constraint",
            )
    measure = constraint.get("measure")
    if measure not in MEASURES:
        raise bad(f"{column}.measure", measure, "ptal, food or repair")
    if measure == "ptal":
        poor = constraint.get("poor")
        if not isinstance(poor, list) or not poor or any(str(b) not in PTAL_BANDS or isinstance(b, bool)
                                                         for b in poor):  # fmt: skip
            raise bad(
                f"{column}.poor",
                poor,
                "a list of PTAL bands counted as poor (" + ", ".join(PTAL_BANDS) + ")",
            )
        return {"measure": measure, "poor": [str(b) for b in poor]}
    distance = constraint.get("poor_from_m")
    if (
        isinstance(distance, bool)
        or not isinstance(distance, (int, float))
        or not 0 < distance < 1e6
    ):
        raise bad(f"{column}.poor_from_m", distance, "a distance in metres (more than 0)")
    return {"measure": measure, "poor_from_m": float(distance), "poor": []}


def _fraction(name: str, column: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= float(value) <= 1:
        raise InputError(Problem.of(name, "not a fraction", column=column,
                                    value=limits.echo(str(value)), expected="a number from 0 to 1"))  # fmt: skip
    return float(value)


# -- savings per band ----------------------------------------------------------------------


def _band_values(lever: Lever) -> dict:
    return band_values()["usages"][lever.usage]["values"]


def _action_values(lever: Lever, rule: str) -> dict | None:
    """The pinned model's value of an action rule on each band's situation of the lever's
    variable ({code: {estimate, low, high}}), None when not computed."""
    try:
        data = band_actions()
    except (FileNotFoundError, InputError):
        return None
    for entry in (data.get("levers") or {}).values():
        if entry.get("variable") == lever.variable and rule in (entry.get("actions") or {}):
            return entry["actions"][rule].get("values")
    return None


def savings(lever: Lever) -> np.ndarray:
    """3 levels × 3 bands: the per-person saving (kg CO2e/yr) of the lever from each band
    (estimate, low, high), 0 where it moves nobody."""
    out = np.zeros((3, 3))
    if lever.saving == "actions":
        for rule in lever.actions:
            values = _action_values(lever, rule)
            if values is None:
                raise InputError(Problem.of(
                    "footprint/data/su-bands-actions.json", "no NGC action values for a lever",
                    column=lever.key, value=rule,
                    expected="an action rule evaluated on the bands (tools/ngc/su_actions.mjs)"))  # fmt: skip
            for j, code in enumerate(CODES):
                for i, level in enumerate(LEVELS):
                    v = (values.get(str(code)) or {}).get(level)
                    out[i, j] += 0.0 if v is None else max(float(v), 0.0)
    else:
        values = _band_values(lever)
        for source, target in lever.moves.items():
            for i, level in enumerate(LEVELS):
                diff = float(values[str(source)][level]) - float(values[str(target)][level])
                out[i, source - 1] = max(diff, 0.0)
    # the range always holds the estimate
    out[1] = np.minimum(out[1], out[0])
    out[2] = np.maximum(out[2], out[0])
    return out


def savings_table(levers: Levers, language: str = "fr") -> pd.DataFrame:
    """One row per lever and band it acts on: the saving (estimate, low, high) and, where
    the pinned model's values are known, the lever's NGC action on the band's situation."""
    rows = []
    for lever in levers.levers:
        s = savings(lever)
        values = _band_values(lever)
        actions = [(rule, _action_values(lever, rule) or {}) for rule in lever.actions]
        sources = sorted(lever.moves) if lever.saving == "bands" else list(CODES)
        for code in sources:
            target = lever.moves.get(code, code)
            # the finer figure: the first of the lever's actions NGC applies to the band
            rule, ngc = next(((r, v[str(code)]) for r, v in actions
                              if (v.get(str(code)) or {}).get("estimate") is not None), ("", {}))  # fmt: skip
            if lever.saving == "actions":
                rule, ngc = (
                    " + ".join(lever.actions),
                    {lvl: s[i, code - 1] for i, lvl in enumerate(LEVELS)},
                )
            rows.append({
                "lever": lever.key, "label": lever.text("label", language), "usage": lever.usage,
                "variable": lever.variable, "band": code, "band_label": values[str(code)]["label"],
                "target": target, "target_label": values[str(target)]["label"],
                "saving_kg": round(s[0, code - 1], 2), "saving_low_kg": round(s[1, code - 1], 2),
                "saving_high_kg": round(s[2, code - 1], 2),
                "ngc_action": rule,
                "ngc_action_kg": _float(ngc.get("estimate")),
                "ngc_action_low_kg": _float(ngc.get("low")),
                "ngc_action_high_kg": _float(ngc.get("high")),
            })  # fmt: skip
    return pd.DataFrame(rows)


def _float(value) -> float:
    return float("nan") if value is None else round(float(value), 2)


# -- the SU respondents' bands per profile -------------------------------------------------


def band_counts(profiles: pd.Series, codes: pd.DataFrame, numbers: list) -> dict:
    """{profile: {variable: counts of the codes 1, 2, 3}} of the SU respondents (their
    published profile and their answer codes; unanswered and unlinked left out)."""
    out = {}
    profile = pd.to_numeric(pd.Series(profiles).reset_index(drop=True), errors="coerce")
    for number in numbers:
        mine = (profile == number).to_numpy()
        out[number] = {}
        for variable in codes.columns:
            values = pd.to_numeric(codes[variable].reset_index(drop=True), errors="coerce")
            values = values.to_numpy(float)[mine]
            out[number][variable] = np.array([(values == c).sum() for c in CODES], dtype=np.int64)
    return out


# -- the potentials -----------------------------------------------------------------------


@dataclass
class Manoeuvre:
    """The room for manoeuvre: ``levers`` (one row per lever × profile, then the
    neighbourhood), ``savings`` (per lever and band), ``areas`` (one row per area with the
    columns ``<lever>__…``, or None), ``structural`` (the areas where a public action could
    unlock a lever, ranked), the residents aged 15+ the potentials are for, the notes."""

    levers: pd.DataFrame
    savings: pd.DataFrame
    areas: pd.DataFrame | None
    structural: pd.DataFrame
    residents: float
    definitions: Levers
    min_cell: int
    notes: list = field(default_factory=list)

    def to_json(self) -> dict:
        """``levers`` (per lever × profile and the neighbourhood), ``savings``,
        ``structural``, ``residents``, ``min_cell``, ``method`` and ``notes``; hidden or
        unknown values null."""
        return {"levers": records(self.levers), "savings": records(self.savings),
                "structural": records(self.structural),
                "residents": None if not np.isfinite(self.residents) else self.residents,
                "min_cell": self.min_cell, "method": METHOD, "notes": [str(n) for n in self.notes]}  # fmt: skip

    def lines(self, language: str = "fr") -> list[str]:
        out = []
        q = self.levers[self.levers["profile"] == QUARTIER]
        for row in q.sort_values("potential_t", ascending=False, na_position="last").to_dict(
            "records"
        ):
            out.append(tr("{lever}: {potential} tCO2e/yr ({low}–{high}) for {residents} residents aged 15+",
                          lever=row["label"], potential=_t(row["potential_t"]),
                          low=_t(row["potential_low_t"]), high=_t(row["potential_high_t"]),
                          residents=_t(self.residents, 0)))  # fmt: skip
        if len(self.structural):
            out.append(tr("{n} lever × area pairs where a public action could unlock a potential",
                          n=len(self.structural)))  # fmt: skip
        return out


def records(table: pd.DataFrame | None) -> list:
    """A table as JSON-ready rows (NaN: null)."""
    if table is None:
        return []
    frame = pd.DataFrame(table.drop(columns=["geometry"], errors="ignore"))
    return [{k: (None if isinstance(v, float) and not np.isfinite(v) else v.item() if isinstance(v, np.generic) else v)
             for k, v in row.items()} for row in frame.to_dict("records")]  # fmt: skip


def _t(value, digits: int = 1) -> str:
    return (
        "—" if value is None or not np.isfinite(value) else f"{value:,.{digits}f}".replace(",", " ")
    )


def room_for_manoeuvre(
    levers: Levers,
    bands: dict,
    numbers: list,
    shares: dict,
    diagnostic=None,
    *,
    residents: float | None = None,
    estimates: pd.DataFrame | None = None,
    area_shares: np.ndarray | None = None,
    services: dict | None = None,
    min_cell: int = DEFAULT_MIN_CELL,
    draws: int = DRAWS,
    seed: int = SEED,
    language: str = "fr",
) -> Manoeuvre:
    """The potential of every lever per profile and for the neighbourhood, split by
    willingness with intervals, and, with the areas' ``estimates`` (the diagnostic's
    ``area_estimates`` with the measures of the place) and their profile mix
    ``area_shares`` (areas × profiles, NaN where hidden), per area with the structural
    areas.

    ``bands``: :func:`band_counts` of the SU respondents; ``numbers``/``shares``: the
    published profiles and their population shares; ``diagnostic``: the diagnostic's
    analyses (its ``wishes`` and ``barriers``), None for potentials without willingness;
    ``residents``: the neighbourhood's residents aged 15+ (default: the sum of the areas'
    ``pop_15p``); ``services``: the proximity services of ``food`` and ``repair``."""
    k = len(numbers)
    w_all = np.array([float(shares.get(p, 0.0)) for p in numbers])
    if residents is None and estimates is not None and "pop_15p" in estimates.columns:
        pop = pd.to_numeric(estimates["pop_15p"], errors="coerce")
        residents = float(pop.sum()) if pop.notna().all() else None
    notes = []
    if residents is None or not np.isfinite(residents):
        residents = float("nan")
        notes.append(Message("no residents aged 15+ given: potentials per resident only"))
    wishes = getattr(diagnostic, "wishes", None)
    barriers = getattr(diagnostic, "barriers", None)
    rows, area_columns, structural = [], {}, []
    for lever in levers.levers:
        s = savings(lever)
        n = np.stack([bands.get(p, {}).get(lever.variable, np.zeros(3, np.int64)) for p in numbers])
        total = n.sum(axis=1)
        present = total > 0
        w = np.where(present, w_all, 0.0)
        w = w / w.sum() if w.sum() > 0 else w
        sources = [c - 1 for c in (sorted(lever.moves) if lever.saving == "bands" else CODES)]
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.where(present[:, None], n / total[:, None], 0.0)
        e = q @ s.T  # k × levels: per member
        draw = np.stack([_rng(seed, lever, "bands", i).dirichlet(n[i] + 0.5, size=draws) if present[i]
                         else np.zeros((draws, 3)) for i in range(k)])  # fmt: skip
        e_draw = np.einsum("kdb,lb->lkd", draw, s)  # levels × k × draws
        # any band, moved or not: n and the share the lever applies to give the rest back
        small = present & ((n > 0) & (n < min_cell)).any(axis=1)
        small |= present & (total < min_cell)
        hidden = _complement(small, present, n, min_cell)
        # the hidden profiles count as one stratum for every other figure (the neighbourhood's,
        # its intervals, the areas'): by profile, their counts would come back from the
        # population-weighted figures and the intervals of the draws
        together = n[hidden].sum(axis=0)
        if hidden.any() and together.sum() > 0:
            q[hidden] = together / together.sum()
            e[hidden] = q[hidden] @ s.T
            union = _rng(seed, lever, "hidden", 0).dirichlet(together + 0.5, size=draws)
            e_draw[:, hidden, :] = np.einsum("db,lb->ld", union, s)[:, None, :]
        # every profile hidden and a band of the whole under the threshold: the neighbourhood
        # figure would give it back
        whole_hidden = bool(hidden.any() and ((together > 0) & (together < min_cell)).any())
        # willingness: the profile's published wish shares (the pooled ones for the hidden)
        split, split_draw, done, wish_n, source = _willingness(
            lever,
            wishes,
            numbers,
            hidden,
            lambda i, lever=lever: _rng(seed, lever, "wish", i),
            draws,
        )
        applies = q[:, sources].sum(axis=1)
        for i, p in enumerate(numbers):
            gone = hidden[i] or not present[i]
            row = _lever_row(lever, str(p), None if gone else int(total[i]), language)
            res = residents * w[i]
            row.update(_figures(None if gone else e[i], None if gone else e_draw[:, i], res,
                                None if gone else applies[i]))  # fmt: skip
            row.update(_split_figures(None if gone else e[i, 0], None if gone else e_draw[0, i],
                                      res, split[i], split_draw[i], done[i], lever.wish))  # fmt: skip
            row["willingness_from"] = source[i] if np.isfinite(row["planned_t"]) else ""
            row["suppressed"] = "potential" if hidden[i] else ""
            rows.append(row)
        pooled = (w[:, None] * e).sum(axis=0)
        pooled_draw = np.einsum("k,lkd->ld", w, e_draw)
        row = _lever_row(lever, QUARTIER, int(total.sum()), language)
        if whole_hidden:
            row.update(_figures(None, None, residents, None))
            row.update(_split_figures(None, None, residents, None, None, np.nan, lever.wish))
            row.update({"willingness_from": "", "suppressed": "potential"})
            rows.append(row)
            # nothing of it per area either
            pooled, pooled_draw = np.full_like(pooled, np.nan), np.full_like(pooled_draw, np.nan)
            e = np.full_like(e, np.nan)
        else:
            row.update(_figures(pooled, pooled_draw, residents, float((w * applies).sum())))
            part = (w[:, None] * e[:, [0]] * split).sum(axis=0) if lever.wish else None
            part_draw = np.einsum("k,kd,kcd->cd", w, e_draw[0], split_draw) if lever.wish else None
            wish_ok = lever.wish is not None and np.isfinite(split[present]).all()
            row.update(_split_figures(pooled[0], pooled_draw[0], residents,
                                      (part / pooled[0] if pooled[0] > 0 else np.zeros(3)) if wish_ok else None,
                                      None, _pooled_done(done, w), lever.wish,
                                      parts=(part, part_draw) if wish_ok else None))  # fmt: skip
            used = [source[i] for i in range(k) if present[i] and source[i]]
            row["willingness_from"] = ",".join(dict.fromkeys(used)) if wish_ok else ""
            row["suppressed"] = ""
            rows.append(row)
        if estimates is not None and area_shares is not None:
            figures = np.where(hidden | ~present, np.nan, e[:, 0])
            columns, structural_rows = _areas(
                lever, estimates, area_shares, w, figures, e[:, 0], e_draw, pooled_draw, split,
                split_draw,
                barriers, levers.blocked_min, services or {}, language,
            )  # fmt: skip
            area_columns.update(columns)
            structural += structural_rows
        if lever.wish and wish_n == 0:
            notes.append(Message("{lever}: no answer to its wish question, potential not split",
                                 lever=lever.key))  # fmt: skip
    table = pd.DataFrame(rows)
    areas = None
    if estimates is not None and area_shares is not None:
        base = estimates[[c for c in ("area_id", "area_name", "pop_15p", "mix_known", "geometry")
                          if c in estimates.columns]].copy()  # fmt: skip
        areas = pd.concat([base.reset_index(drop=True),
                           pd.DataFrame(area_columns, index=range(len(base)))], axis=1)  # fmt: skip
        areas["method"] = METHOD if language == "fr" else METHOD_EN
    structural = pd.DataFrame(structural, columns=STRUCTURAL_COLUMNS)
    if len(structural):
        structural = structural.sort_values("potential_t", ascending=False, kind="stable")
        structural.insert(0, "rank", range(1, len(structural) + 1))
    else:
        structural.insert(0, "rank", pd.Series(dtype="int64"))
    return Manoeuvre(table, savings_table(levers, language), areas, structural.reset_index(drop=True),
                     residents, levers, min_cell, notes)  # fmt: skip


STRUCTURAL_COLUMNS = ["lever", "label", "subject", "area_id", "area_name", "blocked_share",
                      "measure", "constraint", "potential_t", "potential_low_t", "potential_high_t",
                      "barriers", "action", "method"]  # fmt: skip


def _complement(small: np.ndarray, present: np.ndarray, n: np.ndarray, min_cell: int) -> np.ndarray:
    """Hidden profiles: the small ones, then the smallest of the others while the hidden
    ones, taken together, would be given back by the neighbourhood figure less the shown
    ones: a single one, or together a band of fewer respondents than the threshold (but
    some). ``n``: profiles × bands of the SU respondents."""
    hidden = small.copy()
    total = n.sum(axis=1)

    def given_back() -> bool:
        if not hidden.any():
            return False
        together = n[hidden].sum(axis=0)
        return bool(hidden.sum() == 1 or ((together > 0) & (together < min_cell)).any())

    while given_back():
        open_ = np.flatnonzero(present & ~hidden)
        if not len(open_):
            break
        hidden[open_[np.argmin(total[open_])]] = True
    return hidden


def _rng(seed: int, lever: Lever, what: str, i: int) -> np.random.Generator:
    """The random stream of one profile's draws of one lever: its own, so that no published
    interval depends on another profile's counts through a shared stream."""
    return np.random.default_rng([seed, zlib.crc32(f"{lever.key}:{what}".encode()), i])


def _willingness(lever, wishes, numbers, hidden, rng_of, draws):
    """Per profile: the split fractions (planned, blocked, not wanted) of the potential,
    their draws, the share already done, and the answers' count. NaN without answers.
    ``rng_of(i)``: profile i's random stream."""
    k = len(numbers)
    split = np.full((k, 3), np.nan)
    split_draw = np.full((k, 3, draws), np.nan)
    done = np.full(k, np.nan)
    source = np.full(k, "", dtype=object)
    if lever.wish is None or wishes is None or not len(wishes):
        return split, split_draw, done, 0, source
    rows = wishes[wishes["key"] == lever.wish]
    if not len(rows):
        return split, split_draw, done, 0, source
    by = rows.set_index(rows["profile"].astype(str))
    codes = (DONE, PLANNED, BLOCKED, NOT_WANTED)

    def shares_of(label):
        if label not in by.index:
            return None, 0.0
        r = by.loc[label]
        values = np.array([_num(r.get(f"share_{c}")) for c in codes])
        n = _num(r.get("n"))
        return (
            (values, n) if np.isfinite(values).all() and np.isfinite(n) and n > 0 else (None, 0.0)
        )

    pooled, pooled_n = shares_of(ENSEMBLE)
    if pooled is None:
        pooled, pooled_n = shares_of(QUARTIER)
    answered = 0.0
    for i, p in enumerate(numbers):
        own, n = shares_of(str(p))
        values, count = (pooled, pooled_n) if hidden[i] or own is None else (own, n)
        if values is None:
            continue
        source[i] = POOLED if values is pooled else OWN
        answered += n
        done[i] = values[0]
        rest = values[1:]
        if rest.sum() <= 1e-9:
            split[i] = 0.0
            split_draw[i] = 0.0
            continue
        split[i] = rest / rest.sum()
        d = rng_of(i).dirichlet(rest * count + 0.5, size=draws)  # among those not doing it
        split_draw[i] = d.T
    return split, split_draw, done, answered, source


def _num(value) -> float:
    try:
        return float("nan") if value is None or pd.isna(value) else float(value)
    except (TypeError, ValueError):
        return float("nan")


def _pooled_done(done: np.ndarray, w: np.ndarray) -> float:
    ok = np.isfinite(done) & (w > 0)
    return float((w[ok] * done[ok]).sum() / w[ok].sum()) if ok.any() else float("nan")


def _lever_row(lever: Lever, profile: str, n, language: str) -> dict:
    return {"lever": lever.key, "label": lever.text("label", language), "usage": lever.usage,
            "subject": lever.subject, "variable": lever.variable, "profile": profile, "n": n}  # fmt: skip


def _quantiles(low_draw, high_draw, factor: float) -> tuple[float, float]:
    return (
        float(np.quantile(low_draw, 0.025)) * factor,
        float(np.quantile(high_draw, 0.975)) * factor,
    )


def _figures(e, e_draw, residents: float, applies) -> dict:
    """The per-member figures (kg/yr) and the potential of ``residents`` (t/yr)."""
    if e is None:
        keys = ("applies", "saving_kg", "per_resident_kg", "per_resident_low_kg",
                "per_resident_high_kg", "residents", "potential_t", "potential_low_t", "potential_high_t")  # fmt: skip
        return dict.fromkeys(keys, np.nan)
    low, high = _quantiles(e_draw[1], e_draw[2], 1.0)
    # the interval holds its estimate (a share of 0 draws above 0: the low end is then 0)
    low, high = min(low, float(e[0])), max(high, float(e[0]))
    return {
        "applies": round(float(applies), 4),
        "saving_kg": round(float(e[0] / applies), 1) if applies > 0 else 0.0,
        "per_resident_kg": round(float(e[0]), 1),
        "per_resident_low_kg": round(low, 1),
        "per_resident_high_kg": round(high, 1),
        "residents": round(float(residents), 1),
        "potential_t": round(float(e[0]) * residents / 1000, 2),
        "potential_low_t": round(low * residents / 1000, 2),
        "potential_high_t": round(high * residents / 1000, 2),
    }


def _split_figures(e0, e0_draw, residents, split, split_draw, done, wish, parts=None) -> dict:
    """The willingness split of a potential: shares and tonnes of planned, blocked, not
    wanted (their sum is the potential), the share already done; NaN without answers."""
    out = {"wish": wish or "", "share_done": round(float(done), 4) if np.isfinite(done) else np.nan}
    for name in SPLIT:
        out[f"share_{name}"] = np.nan
        for suffix in ("", "_low", "_high"):
            out[f"{name}{suffix}_t"] = np.nan
    if wish is None or e0 is None or split is None or not np.isfinite(split).all():
        return out
    not_done = (1 - done) if np.isfinite(done) else np.nan
    for j, name in enumerate(SPLIT):
        out[f"share_{name}"] = (
            round(float(split[j] * not_done), 4) if np.isfinite(not_done) else np.nan
        )
        if parts is not None:
            value, draw = parts[0][j], parts[1][j]
        else:
            value, draw = e0 * split[j], e0_draw * split_draw[j]
        value = float(value)
        out[f"{name}_t"] = round(value * residents / 1000, 2)
        low, high = (
            min(float(np.quantile(draw, 0.025)), value),
            max(float(np.quantile(draw, 0.975)), value),
        )
        out[f"{name}_low_t"] = round(low * residents / 1000, 2)
        out[f"{name}_high_t"] = round(high * residents / 1000, 2)
    return out


# -- per area ------------------------------------------------------------------------------


def _mix(
    shares: np.ndarray, figures: np.ndarray, known: np.ndarray, w: np.ndarray, pooled: np.ndarray
) -> np.ndarray:
    """Areas × draws estimate of a per-resident figure from each area's mix: the published
    shares × the published figures (``known`` profiles), the rest of the mix at the figure of
    the neighbourhood's other residents, (pooled − Σ_known w f) / (1 − Σ_known w).
    ``figures``: profiles × draws; ``pooled``: draws."""
    mask = np.isfinite(shares) & known[None, :]
    own = np.where(mask, shares, 0.0)
    rest = np.clip(1.0 - own.sum(axis=1), 0.0, 1.0)
    wk = np.where(mask, w[None, :], 0.0)
    f = np.nan_to_num(figures)
    left = 1.0 - wk.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        other = np.where(left[:, None] > 1e-9, (pooled[None, :] - wk @ f) / left[:, None], 0.0)
    out = own @ f + rest[:, None] * np.maximum(other, 0.0)
    out[~np.isfinite(shares).any(axis=1)] = np.nan
    return out


def _areas(lever, estimates, area_shares, w, figures, e_true, e_draw, pooled_draw, split,
           split_draw, barriers, blocked_min, services, language):  # fmt: skip
    """The lever's columns of the area table and its structural areas. ``figures``: the
    published per-member figure of each profile (NaN where hidden)."""
    key = lever.key
    a = len(estimates)
    pop = (pd.to_numeric(estimates["pop_15p"], errors="coerce").to_numpy(float)
           if "pop_15p" in estimates.columns else np.full(a, np.nan))  # fmt: skip
    known = np.isfinite(figures)
    e0 = np.nan_to_num(figures)
    pooled = np.array([float((w * e_true).sum())])
    point = _mix(area_shares, e0[:, None], known, w, pooled)[:, 0]
    low = np.quantile(_mix(area_shares, e_draw[1], known, w, pooled_draw[1]), 0.025, axis=1)
    high = np.quantile(_mix(area_shares, e_draw[2], known, w, pooled_draw[2]), 0.975, axis=1)
    low, high = np.fmin(low, point), np.fmax(high, point)  # each interval holds its estimate
    cols = {
        f"{key}__per_resident_kg": np.round(point, 1),
        f"{key}__potential_t": np.round(point * pop / 1000, 2),
        f"{key}__potential_low_t": np.round(low * pop / 1000, 2),
        f"{key}__potential_high_t": np.round(high * pop / 1000, 2),
    }
    rows = []
    if lever.wish is None or not np.isfinite(split).all():
        return cols, rows
    blocked_draw_f = e_draw[0] * split_draw[:, 1]  # profiles × draws
    pooled_blocked = float((w * e_true * split[:, 1]).sum())
    blocked = _mix(area_shares, (e0 * split[:, 1])[:, None], known, w, np.array([pooled_blocked]))[
        :, 0
    ]
    blocked_draw = _mix(
        area_shares, blocked_draw_f, known, w, np.einsum("k,kd->d", w, blocked_draw_f)
    )
    cols[f"{key}__blocked_t"] = np.round(blocked * pop / 1000, 2)
    share_col = f"{lever.wish}__{BLOCKED}"
    blocked_share = (pd.to_numeric(estimates[share_col], errors="coerce").to_numpy(float)
                     if share_col in estimates.columns else np.full(a, np.nan))  # fmt: skip
    cols[f"{key}__blocked_share"] = np.round(blocked_share, 4)
    families = _barrier_families(lever, estimates, barriers, language)
    cols[f"{key}__barriers"] = families
    if lever.constraint is None:
        return cols, rows
    measure, value, poor = _constraint(lever, estimates, services)
    cols[f"{key}__constraint"] = value
    known = np.isfinite(poor) & np.isfinite(blocked_share) & np.isfinite(blocked) & np.isfinite(pop)
    structural = known & (poor == 1) & (blocked_share >= blocked_min)
    # unknown where the constraint is not measured or the area has no estimate
    cols[f"{key}__structural"] = np.where(known, structural.astype(float), np.nan)
    unlocked = np.where(structural, np.round(blocked * pop / 1000, 2), np.nan)
    cols[f"{key}__structural_t"] = unlocked
    method = METHOD if language == "fr" else METHOD_EN
    for i in np.flatnonzero(structural):
        rows.append({
            "lever": key, "label": lever.text("label", language), "subject": lever.subject,
            "area_id": str(estimates["area_id"].iloc[i]),
            "area_name": str(estimates["area_name"].iloc[i]) if "area_name" in estimates else "",
            "blocked_share": round(float(blocked_share[i]), 4), "measure": measure,
            "constraint": value[i], "potential_t": float(unlocked[i]),
            "potential_low_t": round(min(float(np.quantile(blocked_draw[i], 0.025)),
                                         float(blocked[i])) * pop[i] / 1000, 2),
            "potential_high_t": round(max(float(np.quantile(blocked_draw[i], 0.975)),
                                          float(blocked[i])) * pop[i] / 1000, 2),
            "barriers": families[i], "action": lever.text("action", language), "method": method,
        })  # fmt: skip
    return cols, rows


def _constraint(lever: Lever, estimates: pd.DataFrame, services: dict):
    """(the measure's name, its value per area as text, 1 where poor / 0 / NaN unmeasured)."""
    c = lever.constraint
    a = len(estimates)
    if c["measure"] == "ptal":
        if "ptal_band" not in estimates.columns:
            return "PTAL", [""] * a, np.full(a, np.nan)
        bands = estimates["ptal_band"].to_numpy(dtype=object)
        text = ["" if b is None or pd.isna(b) else f"PTAL {b}" for b in bands]
        poor = np.array([np.nan if b is None or pd.isna(b) else float(str(b) in c["poor"])
                         for b in bands])  # fmt: skip
        return "PTAL", text, poor
    service = services.get(c["measure"])
    column = f"dist_{service}_m"
    if service is None or column not in estimates.columns:
        return c["measure"], [""] * a, np.full(a, np.nan)
    metres = pd.to_numeric(estimates[column], errors="coerce").to_numpy(float)
    text = ["" if not np.isfinite(m) else f"{m:.0f} m" for m in metres]
    poor = np.where(np.isfinite(metres), (metres >= float(c["poor_from_m"])).astype(float), np.nan)
    return service, text, poor


def _barrier_families(lever: Lever, estimates: pd.DataFrame, barriers, language: str) -> list:
    """Per area: the two barrier families most cited (estimated shares), as text."""
    a = len(estimates)
    if lever.barrier is None or barriers is None or not len(barriers):
        return [""] * a
    families = barriers[(barriers["key"] == lever.barrier) & (barriers["level"] == "family")]
    names = [f for f in dict.fromkeys(families["family"]) if f != NOT_CONCERNED]
    columns = [(f, f"{lever.barrier}__{slug(f)}") for f in names]
    columns = [(f, c) for f, c in columns if c in estimates.columns]
    out = []
    for i in range(a):
        values = [(f, _num(estimates[c].iloc[i])) for f, c in columns]
        values = sorted([v for v in values if np.isfinite(v[1]) and v[1] > 0], key=lambda v: -v[1])
        out.append(" ; ".join(f"{f} {round(v * 100):d} %" for f, v in values[:2]))
    return out
