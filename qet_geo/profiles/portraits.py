"""Portraits of profiles: size, modal answers, index scores, footprints, a name and a short
plain-French description; the names library and the colour-blind-safe palette.

Index score of a profile on a variable ([Gale-2016]): profile mean / study mean × 100, the
mean being taken on NEAR's CO2 weights of the answers (``current`` preset) so that it reads
as an intensity; read as < 80 far below, 80–120 close to, 120–200 above, > 200 far above.
"""

from __future__ import annotations

import numpy as np

from .encoding import SU_VARIABLES, WEIGHT_PRESETS

#: Paul Tol's "muted" qualitative scheme (colour-blind safe), then Okabe–Ito.
PALETTE = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
    "#AA4499", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442",
)  # fmt: skip
GREY = "#BBBBBB"

#: Short neutral wording of each answer, used in names and descriptions.
ANSWER_WORDS = {
    "meat_frequency": {1: "peu ou pas de viande", 2: "viande à quelques repas", 3: "viande à presque tous les repas"},
    "transportation_mode": {1: "marche et vélo", 2: "transports en commun", 3: "voiture au quotidien"},
    "digital_intensity": {1: "numérique léger", 2: "numérique modéré", 3: "numérique intensif"},
    "purchasing_strategy": {1: "occasion d'abord", 2: "occasion et neuf", 3: "achats neufs"},
    "air_travel_frequency": {1: "sans avion", 2: "avion 1 à 3 fois par an", 3: "avion plus de 3 fois par an"},
    "heat_source": {1: "chauffage électrique, bois ou réseau", 2: "chauffage au gaz", 3: "chauffage au fioul"},
}  # fmt: skip
#: What each variable measures, in a sentence.
VARIABLE_WORDS = {
    "meat_frequency": "viande",
    "transportation_mode": "voiture et transports motorisés",
    "digital_intensity": "numérique",
    "purchasing_strategy": "achats neufs",
    "air_travel_frequency": "avion",
    "heat_source": "chauffage carboné",
}
USAGE_WORDS = {
    "alimentation": "alimentation",
    "avion": "avion",
    "mobilite": "mobilité",
    "achats": "achats",
    "numerique": "numérique",
    "total": "total des cinq usages",
    "chauffage": "chauffage",
}
#: The same words in English (reports, posters and tables in ``language="en"``)
VARIABLE_WORDS_EN = {
    "meat_frequency": "meat",
    "transportation_mode": "car and motorised transport",
    "digital_intensity": "digital",
    "purchasing_strategy": "new purchases",
    "air_travel_frequency": "air travel",
    "heat_source": "carbon-intensive heating",
}
ANSWER_WORDS_EN = {
    "meat_frequency": {1: "little or no meat", 2: "meat at some meals", 3: "meat at nearly every meal"},
    "transportation_mode": {1: "walking and cycling", 2: "public transport", 3: "car every day"},
    "digital_intensity": {1: "light digital use", 2: "moderate digital use", 3: "heavy digital use"},
    "purchasing_strategy": {1: "second-hand first", 2: "second-hand and new", 3: "new purchases"},
    "air_travel_frequency": {1: "no flight", 2: "flying 1 to 3 times a year", 3: "flying more than 3 times a year"},
    "heat_source": {1: "electric, wood or network heating", 2: "gas heating", 3: "fuel-oil heating"},
}  # fmt: skip
USAGE_WORDS_EN = {
    "alimentation": "food",
    "avion": "air travel",
    "mobilite": "mobility",
    "achats": "purchases",
    "numerique": "digital",
    "total": "total of the five usages",
    "chauffage": "heating",
}
READINGS_FR = {
    "far below": "nettement en dessous",
    "close to": "proche",
    "above": "au-dessus",
    "far above": "nettement au-dessus",
}
READINGS_EN = {
    "far below": "well below",
    "close to": "close to",
    "above": "above",
    "far above": "well above",
}
AVERAGE_NAME = "Habitudes proches de l'ensemble"


def reading(index: float) -> str:
    """The reading of an index score (docs/profiles.md)."""
    if not np.isfinite(index):
        return "close to"
    if index < 80:
        return "far below"
    if index <= 120:
        return "close to"
    if index <= 200:
        return "above"
    return "far above"


def intensity(codes: np.ndarray, variables) -> np.ndarray:
    """Answers as intensities for index scores: NEAR's ``current`` CO2 weights for the SU
    variables, the codes themselves for others."""
    out = codes.astype(float)
    for j, variable in enumerate(variables):
        table = WEIGHT_PRESETS["current"].get(variable)
        if table is not None:
            index = np.clip(codes[:, j] - 1, 0, len(table) - 1)
            out[:, j] = np.asarray(table, dtype=float)[index]
    return out


def portraits(
    codes: np.ndarray,
    weights: np.ndarray,
    labels: np.ndarray,
    k: int,
    variables,
    footprints: dict | None = None,
    counts: np.ndarray | None = None,
) -> list[dict]:
    """One portrait per profile 1..k.

    ``codes``, ``weights``, ``labels`` (profile numbers 1..k) describe weighted answer
    vectors — respondents, or distinct answers with ``counts`` respondents each.
    ``footprints``: usage → (per-profile mean, study mean), from :func:`footprint_means`.
    """
    counts = np.ones(len(codes), dtype=np.int64) if counts is None else counts
    total = weights.sum()
    values = intensity(codes, variables)
    overall = np.average(values, axis=0, weights=weights)
    size = np.bincount(labels, weights=counts, minlength=k + 1)[1:]
    weight = np.bincount(labels, weights=weights, minlength=k + 1)[1:]
    out = []
    for profile in range(1, k + 1):
        entry = {
            "profile": profile,
            "size": int(round(size[profile - 1])),
            "weight": float(weight[profile - 1]),
            "share": float(weight[profile - 1] / total) if total else 0.0,
            "modal": {},
            "index": {},
            "reading": {},
        }
        out.append(entry)
    for j, variable in enumerate(variables):
        sums = np.bincount(labels, weights=weights * values[:, j], minlength=k + 1)[1:]
        levels, level_of = np.unique(codes[:, j], return_inverse=True)
        table = np.zeros((k + 1, len(levels)))
        np.add.at(table, (labels, level_of.reshape(-1)), weights)
        for entry in out:
            p = entry["profile"]
            if entry["weight"] <= 0:
                continue
            top = int(np.argmax(table[p]))
            entry["modal"][variable] = {
                "code": int(levels[top]),
                "share": float(table[p, top] / entry["weight"]),
            }
            mean = sums[p - 1] / entry["weight"]
            index = float(mean / overall[j] * 100) if overall[j] else float("nan")
            entry["index"][variable] = index
            entry["reading"][variable] = reading(index)
    if footprints:
        for entry in out:
            p = entry["profile"]
            entry["footprints"] = {u: v[0][p - 1] for u, v in footprints.items()}
            entry["footprints_study"] = {u: v[1] for u, v in footprints.items()}
    return out


def footprint_means(values: dict, weights: np.ndarray, labels: np.ndarray, k: int) -> dict:
    """usage → (mean per profile 1..k, study mean), weighted, NaN footprints left out."""
    out = {}
    for usage, column in values.items():
        column = np.asarray(column, dtype=float)
        ok = ~np.isnan(column)
        w = np.where(ok, weights, 0.0)
        x = np.where(ok, column, 0.0)
        sums = np.bincount(labels, weights=w * x, minlength=k + 1)[1:]
        wsum = np.bincount(labels, weights=w, minlength=k + 1)[1:]
        per = [float(a / b) if b > 0 else None for a, b in zip(sums, wsum, strict=True)]
        study = float((w * x).sum() / w.sum()) if w.sum() > 0 else None
        out[usage] = (per, study)
    return out


#: A default name states an answer (or a group of related answers, below) only when at
#: least this weighted share of the profile gave it: a clear majority, not a modal answer
#: that barely leads (three answers per question: a plurality can be 34 %).
NAME_MAJORITY = 0.60
#: … and when it distinguishes the profile: its share in the profile at least this index
#: (share in the profile / share in the whole study × 100; the portraits read 120 "above").
NAME_INDEX = 120.0
#: How many distinguishing statements a default name makes (more only to tell names apart).
NAME_STATEMENTS = 2
#: Statements a name may make, by variable: one answer code, or a group of related answers
#: (adjacent codes of an ordered question; heating only gas or oil together). No comma in
#: a statement: names join statements with ", ".
NAME_WORDS = {
    "meat_frequency": {
        (1,): "peu ou pas de viande", (2,): "viande à quelques repas",
        (3,): "viande à presque tous les repas", (1, 2): "viande à quelques repas au plus",
        (2, 3): "viande à quelques repas ou plus",
    },
    "transportation_mode": {
        (1,): "marche et vélo", (2,): "transports en commun", (3,): "voiture au quotidien",
        (1, 2): "sans voiture au quotidien", (2, 3): "transports motorisés",
    },
    "digital_intensity": {
        (1,): "numérique léger", (2,): "numérique modéré", (3,): "numérique intensif",
        (1, 2): "numérique léger ou modéré", (2, 3): "numérique modéré ou intensif",
    },
    "purchasing_strategy": {
        (1,): "occasion d'abord", (2,): "occasion et neuf", (3,): "achats neufs",
        (1, 2): "occasion au moins en partie", (2, 3): "neuf au moins en partie",
    },
    "air_travel_frequency": {
        (1,): "sans avion", (2,): "avion 1 à 3 fois par an", (3,): "avion plus de 3 fois par an",
        (1, 2): "avion 3 fois par an au plus", (2, 3): "avion au moins une fois par an",
    },
    "heat_source": {
        (1,): "chauffage sans gaz ni fioul", (2,): "chauffage au gaz", (3,): "chauffage au fioul",
        (2, 3): "chauffage au gaz ou au fioul",
    },
}  # fmt: skip
#: The theme of a variable on which no answer holds a clear majority.
MIXED_WORDS = {
    "meat_frequency": "alimentation mixte",
    "transportation_mode": "mobilité mixte",
    "digital_intensity": "numérique mixte",
    "purchasing_strategy": "achats mixtes",
    "air_travel_frequency": "avion : fréquences mixtes",
    "heat_source": "chauffage mixte",
}


def answer_shares(codes: np.ndarray, weights: np.ndarray, labels: np.ndarray, k: int, variables):
    """Weighted share of each answer code: ``(per_profile, overall)``, ``per_profile[p - 1]``
    and ``overall`` mapping variable → {code: share} (profiles 1..k; codes seen)."""
    per = [{} for _ in range(k)]
    overall = {}
    total = weights.sum()
    weight = np.bincount(labels, weights=weights, minlength=k + 1)[1:]
    for j, variable in enumerate(variables):
        levels = np.unique(codes[:, j])
        overall[variable] = {
            int(c): float(weights[codes[:, j] == c].sum() / total) if total else 0.0 for c in levels
        }
        for c in levels:
            by = np.bincount(labels, weights=weights * (codes[:, j] == c), minlength=k + 1)[1:]
            for p in range(k):
                per[p].setdefault(variable, {})[int(c)] = (
                    float(by[p] / weight[p]) if weight[p] > 0 else 0.0
                )
    return per, overall


def name_statements(shares: dict, overall: dict, variables) -> tuple[list, list, list]:
    """What may be said of a profile from its answer shares: ``(distinguishing, true,
    mixed)``. ``distinguishing``: per variable, the answer (or else the group of answers)
    held by at least :data:`NAME_MAJORITY` of the profile with an index of at least
    :data:`NAME_INDEX`, most distinguishing (highest index) first; ``true``: the other
    statements held by a clear majority, highest index first (to tell names apart);
    ``mixed``: the variables on which no single answer holds a clear majority. Each
    statement is ``(index, variable, codes, words)``."""
    distinguishing, true, mixed = [], [], []
    for variable in variables:
        words = NAME_WORDS.get(variable)
        if words is None or variable not in shares:
            continue
        held = []  # statements held by a clear majority, single answers first
        for codes, text in words.items():
            share = holds(shares, variable, codes)
            whole = holds(overall, variable, codes)
            if share >= NAME_MAJORITY and whole > 0:
                held.append((share / whole * 100, variable, codes, text))
        telling = [s for s in held if s[0] >= NAME_INDEX]
        singles = [s for s in telling if len(s[2]) == 1]
        if singles or telling:
            distinguishing.append(singles[0] if singles else max(telling, key=lambda s: s[0]))
        elif held:
            true.append(held[0])
        if max(shares[variable].values(), default=0.0) < NAME_MAJORITY:
            mixed.append(variable)
    distinguishing.sort(key=lambda s: -s[0])
    true.sort(key=lambda s: -s[0])
    return distinguishing, true, mixed


def default_names(portraits_: list[dict], variables, shares=None, overall=None) -> list[str]:
    """Neutral names (no judgement words) that state only what is true of a clear majority
    of each profile and distinguishes it from the whole study (:func:`name_statements`):
    its :data:`NAME_STATEMENTS` most distinguishing answers; a profile with none is named
    by its most distinctive theme without a majority ("Mobilité mixte"), or
    :data:`AVERAGE_NAME` when it has none either. Names that coincide are told apart by
    the next statements true of each profile and not of the others, a number only as a
    last resort. ``shares``/``overall``: :func:`answer_shares` (one per portrait)."""
    su = all(v in NAME_WORDS for v in variables)
    names, extra = [], []
    for i, entry in enumerate(portraits_):
        if not su or not entry["index"] or shares is None:
            names.append([f"Profil {entry['profile']}"])
            extra.append([])
            continue
        distinguishing, true, mixed = name_statements(shares[i], overall, variables)
        if distinguishing:
            names.append([s[3] for s in distinguishing[:NAME_STATEMENTS]])
        elif mixed:
            theme = max(
                mixed, key=lambda v: abs(np.log(max(entry["index"].get(v, 100.0), 1e-9) / 100))
            )
            names.append([MIXED_WORDS[theme]])
        else:
            names.append([AVERAGE_NAME])
        extra.append(distinguishing[NAME_STATEMENTS:] + true)
    # names must tell profiles apart: add, to each of the profiles sharing a name, its next
    # statement that is not true of all of the others sharing it
    for _ in range(len(variables)):
        groups: dict[tuple, list[int]] = {}
        for i, name in enumerate(names):
            groups.setdefault(tuple(name), []).append(i)
        clashes = [g for g in groups.values() if len(g) > 1]
        if not clashes:
            break
        added = False
        for group in clashes:
            for i in group:
                for statement in extra[i]:
                    _, variable, codes, text = statement
                    if text in names[i]:
                        continue
                    if any(
                        holds(shares[o], variable, codes) < NAME_MAJORITY for o in group if o != i
                    ):
                        names[i] = names[i] + [text]
                        added = True
                        break
        if not added:
            break
    text = [_capitalise(", ".join(name)) for name in names]
    seen: dict[str, int] = {}
    for name in text:
        seen[name] = seen.get(name, 0) + 1
    return [
        f"{n} ({e['profile']})" if seen[n] > 1 else n for n, e in zip(text, portraits_, strict=True)
    ]


def holds(shares: dict, variable: str, codes) -> float:
    """Weighted share of the answers ``codes`` of ``variable`` in ``shares``."""
    return float(sum(shares.get(variable, {}).get(c, 0.0) for c in codes))


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def default_colours(k: int) -> list[str]:
    """Colours of profiles 1..k from the colour-blind-safe palette (cycled beyond it)."""
    return [PALETTE[i % len(PALETTE)] for i in range(k)]


def describe(entry: dict, name: str, variables, lang: str = "fr") -> str:
    """A short plain description of a profile from its portrait, in French (default) or
    English (``lang="en"``). Made anew for each output from the portrait's numbers, so
    that what is saved holds no sentence in one language (a name is the user's text)."""
    fr = lang != "en"
    if entry.get("size") is None or entry.get("share") is None:  # withheld (secret statistique)
        parts = [
            f"{name} : effectif non publié (secret statistique)."
            if fr
            else f"{name}: size not published (statistical confidentiality)."
        ]
    else:
        share = entry["share"] * 100
        size = entry["size"]
        plural = "s" if size > 1 else ""
        parts = [
            f"{name} : {share:.0f} % des répondants ({size} réponse{plural})."
            if fr
            else f"{name}: {share:.0f}% of respondents ({size} answer{plural})."
        ]
    variable_words, answer_words = (VARIABLE_WORDS, ANSWER_WORDS) if fr else (VARIABLE_WORDS_EN, ANSWER_WORDS_EN)  # fmt: skip
    if entry.get("index"):
        groups: dict[str, list[str]] = {}
        for variable in variables:
            if variable not in entry["index"] or variable not in entry.get("reading", {}):
                continue
            groups.setdefault(entry["reading"][variable], []).append(
                variable_words.get(variable, variable)
            )
        sentences = []
        for key in ("far above", "above", "far below", "close to"):
            if key in groups:
                words = ", ".join(groups[key])
                sentences.append(
                    f"{words} : {READINGS_FR[key]} de l'ensemble"
                    if fr
                    else f"{words}: {READINGS_EN[key]} average"
                )
        if sentences:
            parts.append(_capitalise("; ".join(sentences)) + ".")
        modal = [
            answer_words[v][entry["modal"][v]["code"]]
            for v in variables
            if v in answer_words and v in entry.get("modal", {})
        ]
        if modal:
            lead = "Réponses les plus fréquentes : " if fr else "Most frequent answers: "
            parts.append(lead + ", ".join(modal) + ".")
    fp = entry.get("footprints")
    study = (entry.get("footprints_study") or {}).get("total")
    if fp and fp.get("total") is not None and study is not None:
        mine, whole = _decimal(fp["total"] / 1000, fr), _decimal(study / 1000, fr)
        parts.append(
            f"Empreinte estimée des cinq usages : {mine} t CO2e/an par personne "
            f"(ensemble : {whole} t)."
            if fr
            else f"Estimated footprint of the five usages: {mine} t CO2e/yr per person "
            f"(all respondents: {whole} t)."
        )
    return " ".join(parts)


def _decimal(value: float, fr: bool = True) -> str:
    """One decimal, French style (4,2) unless ``fr`` is false (4.2)."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if fr else text


def answer_label(variable: str, code: int) -> str:
    return ANSWER_WORDS.get(variable, {}).get(code, str(code))


SU_DEFAULT = SU_VARIABLES
