"""The disclosure threshold ([INSEE-secret]): its default and its check, in one place below
every step that publishes (profiles, areas, constraints), so that each of them uses the
same rule without importing another's package."""

from __future__ import annotations

from .i18n import tr

#: INSEE's rule: nothing under 11 units published.
DEFAULT_MIN_CELL = 11
#: The lowest threshold accepted without the explicit override (``allow_below_3``).
ABSOLUTE_MIN = 3


def check_min_cell(
    min_cell: int, allow_below_3: bool, *, override: str = "allow_below_3=True"
) -> None:
    """ValueError when ``min_cell`` is under :data:`ABSOLUTE_MIN` without the override, or
    under 1; the message names the override as the caller spells it (``override``: the
    library's parameter by default, ``--allow-below-3`` on the command line)."""
    if min_cell < ABSOLUTE_MIN and not allow_below_3:
        raise ValueError(
            tr(
                "a threshold of {n} respondents is under {low}: it needs the explicit "
                "override ({override}), which the outputs record",
                n=min_cell,
                low=ABSOLUTE_MIN,
                override=override,
            )
        )
    if min_cell < 1:
        raise ValueError(tr("the threshold must be at least 1 respondent"))


#: The label of a hidden area or value on published maps: an area can be hidden because it
#: has fewer answers than the threshold or to protect another (then it has more), and the
#: published outputs never say which ("fewer than 11 answers" would be false for the second
#: kind and tell a reader it holds at least 11).
SUPPRESSED_LABEL = {
    "fr": "masqué (secret statistique, seuil {n} réponses)",
    "en": "hidden (statistical secrecy, threshold {n} answers)",
}
#: The sentence of the sources line of published maps and posters.
SUPPRESSED_NOTE = {
    "fr": "Zones et valeurs masquées par le secret statistique (seuil : {n} réponses).",
    "en": "Areas and values hidden by statistical secrecy (threshold: {n} answers).",
}

#: The rule itself, for a note of the published maps (true of every hidden area: some are
#: hidden for having fewer answers, others with them so that none is given back by
#: difference; it never says which).
SUPPRESSED_RULE = {
    "fr": "Une zone de moins de {n} réponses est masquée, et d'autres avec elle quand elles "
    "permettraient de la retrouver par différence.",
    "en": "An area with fewer than {n} answers is hidden, and others with it when they would "
    "give it back by difference.",
}


def suppressed_label(n: int, language: str = "fr") -> str:
    """:data:`SUPPRESSED_LABEL` for threshold ``n``, in French (default) or English."""
    return SUPPRESSED_LABEL.get(language, SUPPRESSED_LABEL["fr"]).format(n=n)
