"""What of a profile model is published (disclosure control), and the shareable model file.

A profile of fewer than ``min_cell`` respondents (the study's disclosure threshold, 11 by
default) is not published as such: its portrait (modal answers, index scores, footprints,
name, description) would be the answers of a handful of people. Every published output —
``profiles.csv``, ``profiles.html``, the shareable ``profiles.json``, the posters, the area
tables, the web map — shows the profiles of at least ``min_cell`` respondents with their
numbers, and one entry "Petits profils regroupés" (small profiles grouped) for all the
others, without portrait. When the profiles under the threshold hold fewer than
``min_cell`` respondents together, the smallest published profiles join the group until it
reaches the threshold: every published size is then at least ``min_cell`` and shown.
(Withholding one more size instead does not protect: the published shares, indices and
centroids of a profile are exact fractions of its size, which gives the size back, and the
group's by difference.) The detection itself is not changed: the private working file and
the respondents keep every profile.

The shareable model file holds what assignment needs — the published profiles' centroids
(and, for mixtures, their variances and mixing proportions rescaled among them), the
encoding and its statistics, the portraits published — and no count under the threshold:
no merge history, no per-answer weights, no Ward linkage, and of the fitted answers only
those held by ``min_cell`` respondents or more whose fitted profile is not the nearest
centroid's (without their count).
"""

from __future__ import annotations

import copy

import numpy as np

from .. import __version__
from ..i18n import forum_language
from ..io import json_ready
from .near import stop_reason_data
from .notes import note

SHAREABLE = "shareable"
PRIVATE = "private"
COMPLEMENTARY = "complementary suppression"
GROUP_KINDS = ("small profiles grouped", COMPLEMENTARY)  # the second: notes of older files


#: the name of the group (a profile name: French, like the default names)
GROUP_NAME = "Petits profils regroupés"
#: its colour: a dark neutral grey, unlike the light grey of suppressed areas (#BEBEBE)
GROUP_COLOUR = "#777777"


def group_name() -> str:
    return GROUP_NAME


def grouped(sizes: dict[int, int], min_cell: int) -> set[int]:
    """The profiles published as one group: those held by 1 to ``min_cell`` − 1
    respondents, and then — while the group holds fewer than ``min_cell`` — the smallest of
    the others (the highest number on a tie), so that every published size reaches the
    threshold. Empty profiles are left as they are."""
    small = {p for p, n in sizes.items() if 0 < n < min_cell}
    if not small:
        return small
    total = sum(sizes[p] for p in small)
    rest = sorted((p for p, n in sizes.items() if n >= min_cell), key=lambda p: (sizes[p], -p))
    while total < min_cell and rest:
        p = rest.pop(0)
        small.add(p)
        total += sizes[p]
    return small


def small_profiles(model) -> list[int]:
    """Profiles (model numbers) published grouped, of a fitted or private model (see
    :func:`grouped`)."""
    if getattr(model, "kind_", PRIVATE) == SHAREABLE:
        return []
    sizes = {int(e["profile"]): int(e["size"]) for e in model.portraits_}
    chosen = grouped(sizes, model.min_cell)
    return [p for p in sizes if p in chosen]


def numbering(model) -> dict[int, int]:
    """Model profile number → published number: the profiles kept in their order (1, 2, …),
    every profile under the threshold → the number after them (the group)."""
    small = set(small_profiles(model))
    kept = [int(e["profile"]) for e in model.portraits_ if int(e["profile"]) not in small]
    out = {p: i for i, p in enumerate(kept, start=1)}
    for p in small:
        out[p] = len(kept) + 1
    return out


def publication(model, language: str | None = None) -> dict:
    """The published view: ``profiles`` (the kept profiles, then the group if any),
    ``group`` (its entry or None), ``quality`` (notes as keys and numbers, said by
    :func:`qet_geo.profiles.notes.quality_message`) and ``stability`` as published; the
    descriptions in ``language`` (default: French, the language of outputs)."""
    if getattr(model, "kind_", PRIVATE) == SHAREABLE:
        group = copy.deepcopy(model.group_) if model.group_ else None
        profiles = copy.deepcopy(model.portraits_) + ([group] if group else [])
        return {
            "profiles": described(profiles, model, forum_language(language)),
            "group": group,
            "quality": copy.deepcopy(model.quality_),
            "stability": copy.deepcopy(model.stability_),
        }
    n = model.min_cell
    small = set(small_profiles(model))
    number = numbering(model)
    kept = []
    for e in model.portraits_:
        if int(e["profile"]) in small:
            continue
        entry = copy.deepcopy(e)
        entry["profile"] = number[int(e["profile"])]
        kept.append(entry)
    group = None
    if small:
        members = [e for e in model.portraits_ if int(e["profile"]) in small]
        size = int(sum(int(e["size"]) for e in members))
        weight = float(sum(float(e["weight"]) for e in members))
        share = float(sum(float(e["share"]) for e in members))
        shown = size >= n
        group = {
            "profile": len(kept) + 1,
            "name": group_name(),
            "colour": GROUP_COLOUR,
            "group": True,
            "size": size if shown else None,
            "weight": weight if shown else None,
            "share": share if shown else None,
            "near_number": None,
            "modal": {},
            "index": {},
            "reading": {},
            "suppression": None if shown else f"under {n} respondents",
        }
        added = sum(int(e["size"]) >= n for e in members)  # grouped to protect the others
        group["grouped_larger"] = added
        group["description"] = group_description(group, n, added)
    quality = []
    for q in model.quality_:
        if q["kind"] in GROUP_KINDS or (q.get("profile") is not None and q["profile"] in small):
            continue
        q = dict(q)
        if q.get("profile") is not None:
            q["profile"] = number[int(q["profile"])]
        quality.append(q)
    if group:
        quality.append(  # a key and numbers: said in the language of each output
            note("small profiles grouped", "published_grouped", group["profile"], n=n,
                 name=group["name"])
        )  # fmt: skip
    stability = copy.deepcopy(model.stability_)
    if stability and stability.get("profiles"):
        stability["profiles"] = [
            {**row, "profile": number[int(row["profile"])]}
            for row in stability["profiles"]
            if int(row["profile"]) not in small
        ]
    return {
        "profiles": described(kept + ([group] if group else []), model, forum_language(language)),
        "group": group,
        "quality": quality,
        "stability": stability,
    }


def group_description(group: dict, n: int, added: int = 0, lang: str = "fr") -> str:
    """Plain description of the group of small profiles, in French (default) or English
    (``added``: profiles of ``n`` respondents or more put in it so that it reaches ``n``;
    their size is not said, as the group's minus theirs would give the small profiles'
    total)."""
    fr = lang != "en"
    if group["size"] is None:
        first = (
            f"{group['name']} : moins de {n} répondants en tout."
            if fr
            else f"{group['name']}: fewer than {n} respondents in all."
        )
    else:
        size = group["size"]
        plural = "s" if size > 1 else ""
        first = (
            f"{group['name']} : {group['share'] * 100:.0f} % des répondants "
            f"({size} réponse{plural})."
            if fr
            else f"{group['name']}: {group['share'] * 100:.0f}% of respondents "
            f"({size} answer{plural})."
        )
    if added and fr:
        more = "un profil plus grand" if added == 1 else f"{added} profils plus grands"
        return (
            f"{first} Profils de moins de {n} répondants chacun, avec {more} pour que le "
            f"groupe atteigne {n} répondants, regroupés et non décrits (secret statistique)."
        )
    if added:
        more = "one larger profile" if added == 1 else f"{added} larger profiles"
        return (
            f"{first} Profiles of fewer than {n} respondents each, with {more} so that the "
            f"group reaches {n} respondents, grouped and not described (statistical "
            "confidentiality)."
        )
    if fr:
        return (
            f"{first} Profils de moins de {n} répondants chacun, regroupés et non décrits "
            "(secret statistique)."
        )
    return (
        f"{first} Profiles of fewer than {n} respondents each, grouped and not described "
        "(statistical confidentiality)."
    )


def described(entries: list[dict], model, lang: str) -> list[dict]:
    """``entries`` (portraits, published or not, and the group) with their description
    made in ``lang``: descriptions are written for each output, never kept from the
    language the model was fitted in."""
    from .portraits import describe

    n = int(model.min_cell)
    for entry in entries:
        if entry.get("group") and "grouped_larger" not in entry:
            continue  # a shareable file of an earlier version: its words are kept
        if entry.get("group"):
            entry["description"] = group_description(
                entry, n, int(entry.get("grouped_larger") or 0), lang
            )
        else:
            entry["description"] = describe(entry, entry["name"], model.variables, lang)
    return entries


def published_labels(model, labels) -> np.ndarray:
    """Published profile numbers (float, NaN where none) of model profile numbers."""
    values = np.asarray(
        labels.to_numpy(dtype="float64", na_value=np.nan)
        if hasattr(labels, "to_numpy")
        else labels,
        dtype=float,
    )
    mapping = numbering(model)
    out = np.full(values.shape, np.nan)
    for p, q in mapping.items():
        out[values == p] = q
    return out


def group_small_labels(labels, names: dict, colours: dict, min_cell: int):
    """Profile numbers read from respondents (no model): the profiles :func:`grouped` picks
    become one group after the others, which keep their order.
    Returns (labels, names, colours), numbered 1… ."""
    labels = np.asarray(labels, dtype=float)
    k = len(names)
    counts = {p: int((labels == p).sum()) for p in range(1, k + 1)}
    chosen = grouped(counts, min_cell)
    small = [p for p in range(1, k + 1) if p in chosen]
    if not small:
        return labels, names, colours
    kept = [p for p in range(1, k + 1) if p not in small]
    number = {p: i for i, p in enumerate(kept, start=1)}
    out = np.full(labels.shape, np.nan)
    for p, q in number.items():
        out[labels == p] = q
    group = len(kept) + 1
    for p in small:
        out[labels == p] = group
    new_names = {number[p]: names[p] for p in kept} | {group: GROUP_NAME}
    new_colours = {number[p]: colours[p] for p in kept} | {group: GROUP_COLOUR}
    return out, new_names, new_colours


def shareable_dict(model) -> dict:
    """The shareable model file's content (see the module docstring)."""
    from .model import FORMAT, FORMAT_VERSION, ProfileModel

    pub = publication(model)
    kept = [e for e in pub["profiles"] if not e.get("group")]
    if getattr(model, "kind_", PRIVATE) == SHAREABLE:
        rows = list(range(len(kept)))
        lookup = [[*map(int, key.split(",")), p] for key, p in model.lookup_.items()]
    else:
        small = set(small_profiles(model))
        rows = [int(e["profile"]) - 1 for e in model.portraits_ if int(e["profile"]) not in small]
        lookup = None
    extra = {}
    for key, value in (model.extra_ or {}).items():
        if key == "linkage":  # merge sizes: counts of answers
            continue
        if key in ("variances", "mixing"):
            value = [value[i] for i in rows]
        extra[key] = value
    if "mixing" in extra and len(extra["mixing"]):
        total = float(np.sum(extra["mixing"]))
        extra["mixing"] = (
            [float(v) / total for v in extra["mixing"]] if total > 0 else extra["mixing"]
        )
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": SHAREABLE,
        "library": f"qet-geo {__version__}",
        "parameters": model.parameters_,
        "min_cell": int(model.min_cell),
        "weight_table": model.weight_table_,
        "encoding_stats": model.encoding_stats_,
        "k": len(kept),
        "respondents": model.n_respondents_,
        "excluded": model.excluded_,
        "centroids": np.asarray(model.centroids_, dtype=float)[rows].tolist(),
        "extra": extra,
        "outlier_threshold": model.outlier_threshold_,
        "nearest_moves": model.nearest_moves_,
        "lookup": [],
        "profiles": kept,
        "small_profiles": pub["group"],
        "stop_reason": stop_reason_data(getattr(model, "stop_reason_", None)),
        "scores": model.scores_,
        "structure": getattr(model, "structure_", None),
        "stability": pub["stability"],
        "quality": pub["quality"],
    }
    data = json_ready(data)
    if lookup is None:
        lookup = []
        if model.assign == "lookup" and kept:
            # fitted answers that the nearest centroid would place elsewhere, when held by
            # min_cell respondents or more (no count written)
            shared = ProfileModel.from_dict(data, "shareable model")
            number = numbering(model)
            counts = getattr(model, "vector_counts_", {}) or {}
            keys = [
                key
                for key, p in model.lookup_.items()
                if p not in small and counts.get(key, 0) >= model.min_cell
            ]
            if keys:
                codes = np.array([[int(c) for c in key.split(",")] for key in keys], dtype=np.int64)
                nearest = shared._nearest(shared._encode(codes))[0]
                for key, row, near in zip(keys, codes, nearest, strict=True):
                    p = number[model.lookup_[key]]
                    if int(near) != p:
                        lookup.append([*map(int, row), p])
    data["lookup"] = lookup
    return data
