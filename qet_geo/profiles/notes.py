"""The quality notes of a profile model: kept as keys and numbers, said in a language.

A fitted model's ``quality_`` (and the ``quality`` of its model files) is a list of notes
such as ``{"kind": "k at the edge of its range", "profile": None, "key": "k_at_edge",
"k": 2, "low": 2, "high": 10}``: no sentence in the language the fit happened to run in, so
that the same fit saves the same bytes under French and English. :func:`quality_message`
makes the sentence when it is shown (a warning, the report), in the language asked. Notes
of older model files carry their sentence as ``message``: it is shown translated as well as
it can be (:func:`qet_geo.i18n.retranslate`).
"""

from __future__ import annotations

from ..i18n import forum_language, retranslate, translate
from ..i18n import language as messages_language

#: the sentence (English; French in :mod:`qet_geo.i18n`) of each key; ``{p}`` is the
#: note's profile
TEMPLATES = {
    "tiny_profile": "profile {p} holds {n} respondent(s)",
    "nearly_everyone": "profile {p} holds {share:.0%} of the weight",
    "single_profile": "one profile only",
    "small_profiles_grouped": "{m} profile(s) under {n} respondents (profiles {first} to "
    "{last}) are published grouped as “{name}”, without portrait",
    "complementary_suppression": "profile(s) {profiles} ({sizes} respondents) are published "
    "in “{name}” too: grouped alone, the small profiles would stay under {n} respondents and "
    "could be recovered by difference",
    "empty_profiles_dropped": "{n} of the profiles asked for ended empty and were dropped",
    "identical_answers_split": "NEAR stopped before its first merge: identical answers stay "
    "in different profiles, and assignment gives them the first one's",
    "nearest_centroid_differs": "{n} fitting respondent(s) ({share:.1%}) are nearer another "
    "profile's centroid than their own (assignment keeps their fitted profile)",
    "k_at_edge": "k = {k} is at the edge of the range tried ({low}–{high})",
    "unstable_profile": "profile {p} is unstable (mean Jaccard {j:.2f} < 0.5 over {n} resamples)",
    "published_grouped": "profiles under {n} respondents are not published as such: they are "
    "shown grouped as “{name}”, without portrait",
}
#: the key "no_clear_structure" is said by :func:`structure_message`
STRUCTURE = "no_clear_structure"


def note(kind: str, key: str, profile: int | None = None, **values) -> dict:
    """A quality note: its ``kind`` (an English label, shown translated), the ``profile``
    it is about (or None), the ``key`` of its sentence and the numbers the sentence says."""
    if key != STRUCTURE and key not in TEMPLATES:
        raise KeyError(key)
    return {"kind": kind, "profile": profile, "key": key, **values}


def _language(language: str | None) -> str:
    return messages_language() if language is None else forum_language(language)


def quality_message(quality: dict, language: str | None = None) -> str:
    """The sentence of a quality note in ``language`` ("fr" or "en"; default: the language
    of messages). A note of an older model file (a ``message``, no ``key``) is given in
    ``language`` when its sentence is a known one, else as it is."""
    lang = _language(language)
    key = quality.get("key")
    if key is None:
        return retranslate(lang, str(quality.get("message", "")))
    values = {k: v for k, v in quality.items() if k not in ("kind", "profile", "key")}
    if key == STRUCTURE:
        return structure_message(values, lang)
    for name in ("profiles", "sizes"):  # lists of numbers, said "3, 4"
        if isinstance(values.get(name), (list, tuple)):
            values[name] = ", ".join(map(str, values[name]))
    return translate(lang, TEMPLATES[key], p=quality.get("profile"), **values)


def quality_warning(quality: dict, language: str | None = None) -> str:
    """The warning line of a quality note, "kind: sentence", both in ``language`` (French
    spacing in French)."""
    lang = _language(language)
    colon = " : " if lang == "fr" else ": "
    return translate(lang, quality["kind"]) + colon + quality_message(quality, lang)


def structure_message(structure: dict, language: str | None = None) -> str:
    """The plain warning about a weak structure, with what to do, in ``language``."""
    lang = _language(language)
    advice = translate(
        lang,
        "the profiles cut a continuum of habits rather than separate groups: read them as "
        "tendencies, not types; prefer fewer profiles, NEAR's method (the QeT reference) "
        "or more answers",
    )
    if structure.get("k_range"):
        low, high = structure["k_range"]
        head = translate(
            lang,
            "no k from {low} to {high} gives a clear structure: the best silhouette is "
            "{s:.2f} (k = {k}), under {t:.2f} (Kaufman & Rousseeuw: no substantial structure)",
            low=low, high=high, s=structure["silhouette"], k=structure["k"],
            t=structure["threshold"],
        )  # fmt: skip
    else:
        head = translate(
            lang,
            "the {k} profiles show no clear structure: silhouette {s:.2f}, under {t:.2f} "
            "(Kaufman & Rousseeuw: no substantial structure)",
            k=structure["k"], s=structure["silhouette"], t=structure["threshold"],
        )  # fmt: skip
    return f"{head}; {advice}"
