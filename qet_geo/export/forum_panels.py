"""The forum's exhibition outputs, drawn from the table of impact subjects
(``forum_subjects``, :mod:`qet_geo.forum`) and the layer of the areas' potentials
(``area_potentials``), in French (default) or English (docs/forum_panels.md):

- one panel per subject (``panneau_<key>_<size>.pdf/.png``, A3 and A0): its title, its
  room for manoeuvre (tCO2e a year, the interval, per resident), that it is a potential
  and not a forecast, the residents' willingness (hatched "masqué" where hidden), the
  main barriers, a small map of the potential per resident with the areas where a public
  action would unlock it outlined, the public action, the sources and the date;
- the ballot sheet (``bulletin_vote.pdf``: A4 portrait, two identical ballots to cut), the
  subjects in rank order with the key the counting sheet uses;
- each panel as a QGIS print layout (``panneau_<key>_<size>.qpt``), written without QGIS
  as :mod:`.layout` writes the poster's.

The type sizes, heading, footer, files and hatching are the posters' (:mod:`.poster`,
:mod:`.diagnostic_poster`). Every text from the tables is drawn as written (no math mode,
no markup, no QGIS expression); a hidden value (NaN) is hatched grey and said "masqué",
never 0. Aggregates only.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from ..errors import InputError, Problem
from ..geo import crs_of, read_frame
from ..i18n import Message, forum_language, tr
from ..io import atomic_path, xml_attr
from ..styles import forum_styles
from ..threshold import DEFAULT_MIN_CELL, suppressed_label
from .diagnostic_poster import CODE_COLOURS, HIDDEN_FILL, HIDDEN_HATCH
from .layout import _fill, _item, _label, _map, _scalebar, _shape, _uuid
from .params import POSTER_SIZES
from .poster import (
    SIZES,
    USAGE_COLOURS,
    _path,
    _plain,
    _pyplot,
    date_text,
    footer,
    heading,
    page,
    save_poster,
)
from .project import layer_id_of, template_source

#: the columns of the ``forum_subjects`` table the outputs read
SUBJECT_COLUMNS = (
    "rank", "key", "title", "levers", "lever_labels", "residents",
    "potential_t", "potential_low_t", "potential_high_t",
    "per_resident_kg", "per_resident_low_kg", "per_resident_high_kg",
    "share_done", "share_planned", "share_blocked", "share_not_wanted",
    "planned_t", "blocked_t", "not_wanted_t", "barriers", "areas",
    "structural_t", "structural_areas", "action", "note",
)  # fmt: skip
#: the columns of the ``area_potentials`` layer, besides those of each subject
AREA_COLUMNS = ("area_id", "area_name", "geometry")
#: the willingness shares, in the order of the bar, with the diagnostic's wish colours
WILLINGNESS = (
    ("share_done", "YES_I_DO"),
    ("share_planned", "I_WISH_AND_IT_IS_PLAN"),
    ("share_blocked", "I_WISH_BUT_CANT"),
    ("share_not_wanted", "NO"),
)
#: a colour per subject (the posters' usage colours, Tol's palette); others: indigo
SUBJECT_COLOURS = {**USAGE_COLOURS, "chauffage": "#882255"}
OTHER_COLOUR = "#332288"
#: the map's ramp of the potential per resident (colour-blind safe, far from the hatched grey)
RAMP = "YlOrBr"
STRUCTURAL_EDGE = "#111111"
PANEL_SIZES = POSTER_SIZES  # the posters' sizes
#: the ballot sheet: A4 portrait, in millimetres; two ballots a page up to this many subjects
A4 = (210.0, 297.0)
TWO_BALLOTS_UP_TO = 8

TEXT = {
    "fr": {
        "subtitle": "Sujet n° {rank} sur {n} — marge de manœuvre des habitants de 15 ans et plus ({residents})",
        "unit": "tCO2e/an",
        "interval": "entre {low} et {high} tCO2e/an",
        "per_resident": "soit {value} kgCO2e/an par habitant de 15 ans et plus (entre {low} et {high})",
        "sentence": "C'est un potentiel, pas une prévision : ce que l'on économiserait si tous "
                    "les habitants qui ne le font pas encore adoptaient ces gestes : {levers}.",
        "willingness": "Les habitants et ces gestes",
        "done": "déjà fait", "planned": "prévu",
        "blocked": "j'aimerais mais je n'ai pas le choix", "not_wanted": "non",
        "no_question": "pas de question d'envie pour ce sujet",
        "split": "Du potentiel : {planned} chez ceux qui l'ont prévu, {blocked} chez ceux qui "
                 "n'ont pas le choix, {not_wanted} chez ceux qui ne le veulent pas.",
        "tonnes": "{value} t",
        "barriers": "Les principaux freins",
        "no_barriers": "aucun frein publié pour ce sujet",
        "map": "Potentiel par habitant, par quartier",
        "map_unit": "kgCO2e/an par habitant de 15 ans et plus",
        "structural": "là où une action publique débloquerait le potentiel",
        "where": "Là où ça compte le plus",
        "action": "Une action publique",
        "unlock": "{action} : {value} tCO2e/an débloquées là où les habitants n'ont pas le "
                  "choix ({areas}).",
        "unlock_no_action": "Une action publique débloquerait {value} tCO2e/an ({areas}).",
        "no_constraint": "pas de contrainte mesurée pour ce sujet",
        "none_structural": "{action} : aucune zone ne combine aujourd'hui beaucoup d'habitants "
        "qui n'ont pas le choix et une contrainte mesurée faible.",
        "none": "—",
        "hidden": "masqué",
        "hidden_label": "masqué (secret statistique)",
        "note": "Note : {note}",
        "sources": "Sources : empreintes Nos Gestes Climat 4.10.2 (ADEME) ; enquêtes Sphères "
                   "d'Usages et Espace et Mode de Vie (Quartiers en Transitions) ; calculs "
                   "qet-geo, {date}. Un potentiel masqué l'est par le secret statistique. "
                   "Aucune réponse individuelle n'est montrée.",
        "layout": "Panneau {size} — {title}",
        # the ballot
        "ballot_title": "Vote : le sujet sur lequel le quartier va travailler",
        "ballot_single": "Cochez une seule case : le sujet que vous choisissez.",
        "ballot_ranked": "Numérotez les sujets par ordre de préférence : 1 pour celui que vous "
                         "préférez, puis 2, 3…",
        "ballot_number": "Bulletin n° ",
        "ballot_area": "Votre IRIS ou quartier (facultatif) : ",
        "ballot_key": "code : {key}",
        "ballot_cut": "découper ici",
        "ballot_rank": "rang",
    },
    "en": {
        "subtitle": "Subject {rank} of {n} — room for manoeuvre of the residents aged 15 and over ({residents})",
        "unit": "tCO2e/yr",
        "interval": "between {low} and {high} tCO2e/yr",
        "per_resident": "that is {value} kgCO2e/yr per resident aged 15 and over (between {low} and {high})",
        "sentence": "It is a potential, not a forecast: what would be saved if every resident "
                    "not doing so yet took up these habits: {levers}.",
        "willingness": "The residents and these habits",
        "done": "already done", "planned": "planned",
        "blocked": "would like to but have no choice", "not_wanted": "no",
        "no_question": "no willingness question for this subject",
        "split": "Of the potential: {planned} among those who plan it, {blocked} among those "
                 "who have no choice, {not_wanted} among those who do not want it.",
        "tonnes": "{value} t",
        "barriers": "The main barriers",
        "no_barriers": "no barrier published for this subject",
        "map": "Potential per resident, per area",
        "map_unit": "kgCO2e/yr per resident aged 15 and over",
        "structural": "where a public action would unlock the potential",
        "where": "Where it matters most",
        "action": "A public action",
        "unlock": "{action}: {value} tCO2e/yr unlocked where the residents have no choice "
                  "({areas}).",
        "unlock_no_action": "A public action would unlock {value} tCO2e/yr ({areas}).",
        "no_constraint": "no measured constraint for this subject",
        "none_structural": "{action}: no area combines today many residents who have no choice "
        "and a poor measured constraint.",
        "none": "—",
        "hidden": "hidden",
        "hidden_label": "hidden (statistical secrecy)",
        "note": "Note: {note}",
        "sources": "Sources: Nos Gestes Climat 4.10.2 footprints (ADEME); Sphères d'Usages and "
                   "Espace et Mode de Vie surveys (Quartiers en Transitions); computations by "
                   "qet-geo, {date}. A hidden potential is hidden by statistical secrecy. No "
                   "individual answer is shown.",
        "layout": "Panel {size} — {title}",
        "ballot_title": "Vote: the subject the neighbourhood will work on",
        "ballot_single": "Tick one box only: the subject you choose.",
        "ballot_ranked": "Number the subjects in order of preference: 1 for the one you "
                         "prefer, then 2, 3…",
        "ballot_number": "Ballot no. ",
        "ballot_area": "Your IRIS or area (optional): ",
        "ballot_key": "code: {key}",
        "ballot_cut": "cut here",
        "ballot_rank": "rank",
    },
}  # fmt: skip
_KEY = re.compile(r"[A-Za-z0-9_-]+")


# ------------------------------------------------------------------------------ the input


def check_subjects(subjects) -> pd.DataFrame:
    """The ``forum_subjects`` table in rank order; a missing column, a key that is not
    a file name part (letters, digits, ``_``, ``-``) or the same key twice is refused
    (:class:`~qet_geo.errors.InputError` naming it)."""
    if not isinstance(subjects, pd.DataFrame):
        raise InputError(Problem.of("forum_subjects", "not a table",
                                    expected="the forum subjects table"))  # fmt: skip
    for column in SUBJECT_COLUMNS:
        if column not in subjects.columns:
            raise InputError(Problem.of("forum_subjects", Message("no column {column!r}", column=column),
                                        column=column, expected="the forum subjects table"))  # fmt: skip
    ranks = pd.to_numeric(subjects["rank"], errors="coerce")
    for i, (raw, rank) in enumerate(zip(subjects["rank"], ranks, strict=True), start=1):
        if not np.isfinite(rank) or rank < 1 or rank != int(rank):
            raise InputError(Problem.of("forum_subjects", "not a valid value", row=i, column="rank",
                                        value=str(raw)[:80], expected="a whole number from 1"))  # fmt: skip
    table = subjects.sort_values("rank", kind="stable").reset_index(drop=True)
    for i, key in enumerate(table["key"], start=1):
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise InputError(Problem.of("forum_subjects", "not a subject key", row=i, column="key",
                                        value=str(key)[:80],
                                        expected="letters, digits, _ or -"))  # fmt: skip
    twice = table["key"][table["key"].duplicated()]
    if len(twice):
        raise InputError(Problem.of("forum_subjects", "the same subject key twice", column="key",
                                    value=str(twice.iloc[0])))  # fmt: skip
    return table


def check_areas(areas, keys) -> pd.DataFrame | None:
    """The ``area_potentials`` layer (None: no map), its columns checked: ``area_id``,
    ``area_name``, a geometry and each subject's ``<key>__per_resident_kg``."""
    if areas is None:
        return None
    if not isinstance(areas, pd.DataFrame):
        raise InputError(Problem.of("area_potentials", "not a table",
                                    expected="the area potentials layer"))  # fmt: skip
    needed = [*AREA_COLUMNS, *(f"{key}__per_resident_kg" for key in keys)]
    for column in needed:
        if column not in areas.columns:
            raise InputError(Problem.of("area_potentials", Message("no column {column!r}", column=column),
                                        column=column, expected="the area potentials layer"))  # fmt: skip
    return areas


# ------------------------------------------------------------------------------ the words


def _finite(value) -> bool:
    try:
        return bool(np.isfinite(float(value)))
    except (TypeError, ValueError):
        return False


def _text(value) -> str:
    """A text cell as written; NaN / None → ""."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return ""
    return str(value).strip()


def number(value, lang: str, decimals: int | None = None) -> str:
    """A figure as the posters say it: thousands grouped (a narrow no-break space in French,
    a comma in English), one decimal under 10 (a decimal comma in French); "masqué" /
    "hidden" when NaN."""
    if not _finite(value):
        return TEXT[lang]["hidden"]
    value = float(value)
    if decimals is None:
        decimals = 1 if abs(value) < 10 and round(value, 1) != round(value) else 0
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def percent(value, lang: str) -> str:
    if not _finite(value):
        return TEXT[lang]["hidden"]
    return f"{100 * float(value):.0f}\u202f%" if lang == "fr" else f"{100 * float(value):.0f}%"


def potential_text(row, lang: str) -> dict[str, str]:
    """The figures of a subject's potential in words: ``figure`` ("1 234 tCO2e/an"),
    ``interval``, ``per_resident``."""
    t = TEXT[lang]
    if not _finite(row["potential_t"]):  # hidden: said so, no "masqué tCO2e/an"
        return {"figure": t["hidden"], "interval": t["hidden_label"], "per_resident": ""}
    return {
        "figure": f"{number(row['potential_t'], lang)} {t['unit']}",
        "interval": t["interval"].format(low=number(row["potential_low_t"], lang),
                                         high=number(row["potential_high_t"], lang)),
        "per_resident": t["per_resident"].format(value=number(row["per_resident_kg"], lang),
                                                 low=number(row["per_resident_low_kg"], lang),
                                                 high=number(row["per_resident_high_kg"], lang)),
    }  # fmt: skip


def sentence(row, lang: str) -> str:
    """ "C'est un potentiel, pas une prévision : ce que l'on économiserait si …" with the
    subject's levers."""
    labels = [part.strip() for part in _text(row["lever_labels"]).split(";") if part.strip()]
    levers = ", ".join(label[:1].lower() + label[1:] for label in labels) or _text(row["title"])
    return TEXT[lang]["sentence"].format(levers=levers)


def has_willingness(row) -> bool:
    """Has the subject a willingness question (one share or tonnage published or hidden by
    disclosure control)? All four shares and tonnages NaN: no question."""
    cells = [row[c] for c, _ in WILLINGNESS] + [
        row[c] for c in ("planned_t", "blocked_t", "not_wanted_t")
    ]
    return any(_finite(v) for v in cells)  # fmt: skip


def split_text(row, lang: str) -> str:
    t = TEXT[lang]
    words = {c: t["tonnes"].format(value=number(row[f"{c}_t"], lang)) if _finite(row[f"{c}_t"])
             else t["hidden"] for c in ("planned", "blocked", "not_wanted")}  # fmt: skip
    return t["split"].format(**words)


def barrier_lines(row) -> list[str]:
    return [part.strip() for part in _text(row["barriers"]).split(";") if part.strip()]


def action_text(row, lang: str) -> str:
    """What a public action would unlock, or that there is no measured constraint."""
    t = TEXT[lang]
    if not _finite(row["structural_t"]):
        return t["no_constraint"]
    action, areas = _text(row["action"]), _text(row["structural_areas"]) or t["none"]
    if float(row["structural_t"]) <= 0 and action:
        return t["none_structural"].format(action=action[:1].upper() + action[1:])
    value = number(row["structural_t"], lang)
    if action:
        return t["unlock"].format(action=action[:1].upper() + action[1:], value=value, areas=areas)
    return t["unlock_no_action"].format(value=value, areas=areas)


def _hidden_label(lang: str, min_cell) -> str:
    return suppressed_label(int(min_cell), lang) if min_cell else TEXT[lang]["hidden_label"]


def _colour(key: str) -> str:
    return SUBJECT_COLOURS.get(key, OTHER_COLOUR)


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(str(text), width=width, break_long_words=True)


# ------------------------------------------------------------------------------ the panel


def build_subject_panel(row, areas=None, *, n: int = 1, size: str = "A3",
                        date: dt.date | None = None, language: str = "fr", min_cell=None):  # fmt: skip
    """The panel of one subject (a row of ``forum_subjects``) as a matplotlib figure, on
    the poster's page of paper ``size``; ``areas``: the ``area_potentials`` layer (None: no
    map); ``n``: the number of subjects (the subtitle's "n° 2 sur 6")."""
    lang = forum_language(language)
    t = TEXT[lang]
    plt = _pyplot()
    fig, scale, base = page(size)
    date = date or dt.date.today()
    key = str(row["key"])
    colour = _colour(key)
    heading(fig, base, _text(row["title"]),
            t["subtitle"].format(rank=int(row["rank"]), n=n, residents=number(row["residents"], lang)))  # fmt: skip
    fig.patches.append(plt.Rectangle((0.0, 0.885), 0.008, 0.115, transform=fig.transFigure,
                                     facecolor=colour, edgecolor="none"))  # fmt: skip
    figures = potential_text(row, lang)
    # the potential, big
    fig.text(0.02, 0.86, _plain(figures["figure"]), fontsize=base * 4.2, weight="bold", va="top",
             color="#111111")  # fmt: skip
    fig.text(
        0.02, 0.755, _plain(figures["interval"]), fontsize=base * 1.15, va="top", color="#333333"
    )
    fig.text(0.02, 0.72, _plain(_wrap(figures["per_resident"], 75)), fontsize=base * 1.0, va="top",
             color="#333333")  # fmt: skip
    fig.text(0.02, 0.665, _plain(_wrap(sentence(row, lang), 70)), fontsize=base * 1.05, va="top",
             style="italic", color="#111111")  # fmt: skip
    # the willingness bar
    fig.text(0.02, 0.525, _plain(t["willingness"]), fontsize=base * 1.25, weight="bold", va="top")
    ax = fig.add_axes([0.02, 0.43, 0.46, 0.05])
    _willingness_bar(ax, row, lang, base)
    if has_willingness(row):
        fig.text(0.02, 0.345, _plain(_wrap(split_text(row, lang), 85)), fontsize=base * 0.75,
                 va="top", color="#333333")  # fmt: skip
    # the barriers
    fig.text(0.02, 0.285, _plain(t["barriers"]), fontsize=base * 1.25, weight="bold", va="top")
    lines = barrier_lines(row) or [t["no_barriers"]]
    fig.text(0.02, 0.245, _plain("\n".join(f"• {line}" for line in lines[:5])),
             fontsize=base * 0.95, va="top", color="#111111", linespacing=1.4)  # fmt: skip
    # the map
    fig.text(0.53, 0.86, _plain(t["map"]), fontsize=base * 1.25, weight="bold", va="top")
    if areas is not None:
        _area_map(fig, [0.53, 0.36, 0.45, 0.46], areas, key, lang, base, scale, min_cell)
    # where, the action, the note
    y = 0.27
    where = _text(row["areas"])
    fig.text(0.53, y, _plain(t["where"]), fontsize=base * 1.05, weight="bold", va="top")
    fig.text(0.53, y - 0.03, _plain(_wrap(where or t["none"], 80)), fontsize=base * 0.85, va="top")
    y -= 0.07 + 0.022 * _wrap(where or t["none"], 80).count("\n")
    fig.text(0.53, y, _plain(t["action"]), fontsize=base * 1.05, weight="bold", va="top")
    body = _wrap(action_text(row, lang), 80)
    fig.text(0.53, y - 0.03, _plain(body), fontsize=base * 0.85, va="top")
    y -= 0.07 + 0.022 * body.count("\n")
    note = _text(row["note"])
    if note:
        fig.text(0.53, y, _plain(_wrap(t["note"].format(note=note), 90)), fontsize=base * 0.75,
                 va="top", color="#333333")  # fmt: skip
    footer(fig, base, t["sources"].format(date=date_text(date, lang)))
    return fig


def _willingness_bar(ax, row, lang: str, base: float) -> None:
    """The four shares side by side; what is left of 1 hatched "masqué" when one is hidden;
    a line saying so when the subject has no willingness question."""
    from matplotlib.patches import Patch

    t = TEXT[lang]
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.5, 0.5)
    ax.set_axis_off()
    if not has_willingness(row):
        ax.text(0.0, 0.0, _plain(t["no_question"]), ha="left", va="center", fontsize=base * 1.0,
                style="italic", color="#333333")  # fmt: skip
        return
    left = 0.0
    hidden = False
    for column, code in WILLINGNESS:
        value = row[column]
        if not _finite(value):
            hidden = True
            continue
        value = float(value)
        if value <= 0:
            continue
        ax.barh(0, value, left=left, height=0.9, color=CODE_COLOURS[code], edgecolor="white",
                linewidth=0.5)  # fmt: skip
        if value >= 0.07:
            dark = code in ("YES_I_DO",)
            ax.text(left + value / 2, 0, percent(value, lang), ha="center", va="center",
                    fontsize=base * 0.8, color="white" if dark else "#111111")  # fmt: skip
        left += value
    if hidden:
        width = max(1.0 - left, 0.0)
        ax.barh(0, width, left=left, height=0.9, color=HIDDEN_FILL, edgecolor=HIDDEN_HATCH,
                hatch="///", linewidth=0)  # fmt: skip
        if width >= 0.1:
            ax.text(left + width / 2, 0, t["hidden"], ha="center", va="center", fontsize=base * 0.7,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85})  # fmt: skip
    handles = [
        Patch(facecolor=CODE_COLOURS[code], edgecolor="#444444", label=t[column[6:]])
        for column, code in WILLINGNESS
    ]
    if hidden:
        handles.append(Patch(facecolor=HIDDEN_FILL, edgecolor=HIDDEN_HATCH, hatch="///",
                             label=t["hidden"]))  # fmt: skip
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.05), ncol=len(handles),
              fontsize=base * 0.7, frameon=False, handlelength=1.2, columnspacing=0.8)  # fmt: skip


def _area_map(fig, box, areas, key: str, lang: str, base: float, scale: float, min_cell) -> None:
    """The areas' potential per resident (white to brown), the hidden ones hatched grey, the
    structural ones outlined black and labelled with their constraint."""
    import matplotlib as mpl
    from matplotlib.patches import Patch, PathPatch

    t = TEXT[lang]
    ax = fig.add_axes(box)
    ax.set_axis_off()
    values = pd.to_numeric(areas[f"{key}__per_resident_kg"], errors="coerce").to_numpy(float)
    structural = (
        pd.to_numeric(areas[f"{key}__structural"], errors="coerce").to_numpy(float)
        if f"{key}__structural" in areas.columns else np.full(len(areas), np.nan)
    )  # fmt: skip
    constraint = (areas[f"{key}__constraint"] if f"{key}__constraint" in areas.columns
                  else pd.Series([""] * len(areas)))  # fmt: skip
    finite = values[np.isfinite(values)]
    vmax = float(finite.max()) if len(finite) else 1.0
    vmin = min(0.0, float(finite.min())) if len(finite) else 0.0
    norm = mpl.colors.Normalize(vmin=vmin, vmax=vmax if vmax > vmin else vmin + 1.0)
    cmap = mpl.colormaps[RAMP]
    geometries = list(areas["geometry"])
    for geometry, value in zip(geometries, values, strict=True):
        path = _path(geometry)
        if path is None:
            continue
        if np.isfinite(value):
            ax.add_patch(PathPatch(path, facecolor=cmap(norm(value)), edgecolor="#777777",
                                   linewidth=0.5 * scale))  # fmt: skip
        else:
            ax.add_patch(PathPatch(path, facecolor=HIDDEN_FILL, edgecolor="#777777",
                                   linewidth=0.5 * scale))  # fmt: skip
            ax.add_patch(PathPatch(path, facecolor="none", edgecolor=HIDDEN_HATCH, hatch="///",
                                   linewidth=0))  # fmt: skip
    for geometry, outlined in zip(geometries, structural == 1, strict=True):  # on top
        path = _path(geometry)
        if path is not None and outlined:
            ax.add_patch(PathPatch(path, facecolor="none", edgecolor=STRUCTURAL_EDGE,
                                   linewidth=2.2 * scale))  # fmt: skip
    present = [g for g in geometries if g is not None and not g.is_empty]
    if present:
        x0, y0, x1, y1 = shapely.total_bounds(np.asarray(present, dtype=object))
        pad = 0.03 * max(x1 - x0, y1 - y0, 1e-9)
        ax.set_xlim(x0 - pad, x1 + pad)
        ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect("equal")
    for row, geometry, outlined, limit in zip(areas.itertuples(), geometries, structural == 1,
                                              constraint, strict=True):  # fmt: skip
        if not outlined or geometry is None or geometry.is_empty:
            continue
        point = geometry.representative_point()
        label = _text(row.area_name) + (f"\n{_text(limit)}" if _text(limit) else "")
        ax.annotate(_plain(label), (point.x, point.y), ha="center", va="center",
                    fontsize=base * 0.62, weight="bold", color="#111111",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.8, "alpha": 0.8})  # fmt: skip
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(sm, ax=ax, orientation="horizontal", fraction=0.04, pad=0.02, aspect=40)
    bar.set_label(_plain(t["map_unit"]), fontsize=base * 0.7)
    bar.ax.tick_params(labelsize=base * 0.6)
    bar.ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _p: number(v, lang)))
    handles = [
        Patch(facecolor="white", edgecolor=STRUCTURAL_EDGE, linewidth=2, label=t["structural"]),
        Patch(facecolor=HIDDEN_FILL, edgecolor=HIDDEN_HATCH, hatch="///",
              label=_hidden_label(lang, min_cell)),
    ]  # fmt: skip
    ax.legend(handles=[Patch(facecolor=h.get_facecolor(), edgecolor=h.get_edgecolor(),
                             hatch=h.get_hatch(), label=_plain(h.get_label())) for h in handles],
              loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=base * 0.65, frameon=False,
              ncol=2)  # fmt: skip


def panel_name(key: str, size: str, suffix: str = ".pdf") -> str:
    """``panneau_<key>_<size>.pdf`` (or ``suffix``)."""
    return f"panneau_{key}_{size}{suffix}"


def write_subject_panels(subjects, areas, folder, *, sizes=PANEL_SIZES, language: str = "fr",
                         date: dt.date | None = None, png: bool = True,
                         min_cell: int | None = None) -> list[Path]:  # fmt: skip
    """Write one panel per subject of ``subjects`` (the ``forum_subjects`` table) and per
    paper size of ``sizes`` into ``folder``: ``panneau_<key>_<size>.pdf`` (vector) and,
    with ``png``, ``.png`` beside it (150 dpi for A3, 50 dpi for A0), atomically.

    ``areas``: the ``area_potentials`` layer (a GeoDataFrame; None: panels without map);
    ``min_cell``: the threshold of the statistical secrecy, said in the map's key (default
    ``subjects.attrs["min_cell"]`` when there). Both tables are checked before anything is
    written. Returns the files written, subject by subject in rank order."""
    table = check_subjects(subjects)
    areas = check_areas(areas, list(table["key"]))
    for size in sizes:
        if size not in SIZES:
            raise ValueError(tr("poster size {size}: expected one of {sizes}", size=repr(size),
                                sizes=", ".join(SIZES)))  # fmt: skip
    min_cell = min_cell if min_cell is not None else subjects.attrs.get("min_cell")
    date = date or dt.date.today()
    folder = Path(folder)
    written: list[Path] = []
    for _, row in table.iterrows():
        for size in dict.fromkeys(sizes):
            fig = build_subject_panel(row, areas, n=len(table), size=size, date=date,
                                      language=language, min_cell=min_cell)  # fmt: skip
            written += save_poster(fig, folder / panel_name(row["key"], size), size=size, png=png)
    return written


# ------------------------------------------------------------------------------ the ballot


def build_ballot(subjects, *, ranked: bool = False, language: str = "fr"):
    """The ballot sheet as a matplotlib figure: A4 portrait, two identical ballots to cut
    (one when more than :data:`TWO_BALLOTS_UP_TO` subjects)."""
    table = check_subjects(subjects)
    lang = forum_language(language)
    t = TEXT[lang]
    plt = _pyplot()
    fig = plt.figure(figsize=(A4[0] / 25.4, A4[1] / 25.4))
    copies = 2 if len(table) <= TWO_BALLOTS_UP_TO else 1
    height = 1.0 / copies
    base = 11.0 if copies == 2 else 12.0
    for copy in range(copies):
        top = 1.0 - copy * height
        _ballot(fig, table, top, height, base, ranked, t)
        if copy:  # the cut line
            fig.add_artist(plt.Line2D([0.03, 0.97], [top, top], transform=fig.transFigure,
                                      color="#777777", linestyle=(0, (4, 3)), linewidth=0.8))  # fmt: skip
            fig.text(0.5, top, t["ballot_cut"], ha="center", va="center", fontsize=base * 0.6,
                     color="#555555", bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})  # fmt: skip
    return fig


def _ballot(fig, table: pd.DataFrame, top: float, height: float, base: float, ranked: bool, t):
    from matplotlib.patches import Rectangle

    x0 = 0.07
    unit = height / 0.5  # positions below are for a half page
    y = top - 0.035 * unit
    fig.text(x0, y, _plain(t["ballot_title"]), fontsize=base * 1.35, weight="bold", va="top")
    y -= 0.035 * unit
    fig.text(x0, y, _plain(_wrap(t["ballot_ranked"] if ranked else t["ballot_single"], 95)),
             fontsize=base * 0.9, va="top", style="italic")  # fmt: skip
    y -= 0.03 * unit
    fig.text(x0, y, t["ballot_number"] + "_" * 14, fontsize=base * 0.9, va="top")
    fig.text(0.45, y, _plain(t["ballot_area"]) + "_" * 20, fontsize=base * 0.9, va="top")
    y -= 0.035 * unit
    room = (y - (top - height) - 0.02 * unit) / max(len(table), 1)
    step = min(0.045 * unit, room)
    box_h = min(0.022 * unit, step * 0.7)
    box_w = box_h * A4[1] / A4[0]  # square on the paper
    if ranked:  # the column of the ranks
        fig.text(x0 + box_w / 2, y + 0.004, t["ballot_rank"], ha="center", va="bottom",
                 fontsize=base * 0.65, color="#555555")  # fmt: skip
    for _, row in table.iterrows():
        fig.patches.append(Rectangle((x0, y - box_h), box_w, box_h, transform=fig.transFigure,
                                     facecolor="white", edgecolor="#111111", linewidth=1.0))  # fmt: skip
        text_x = x0 + box_w + 0.025
        title = _wrap(f"{int(row['rank'])}. {_text(row['title'])}", 70)
        fig.text(text_x, y - box_h / 2, _plain(title), fontsize=base * 1.0, va="center")
        fig.text(0.93, y - box_h / 2, _plain(t["ballot_key"].format(key=row["key"])),
                 fontsize=base * 0.65, va="center", ha="right", color="#555555")  # fmt: skip
        y -= step


def write_ballot(subjects, path, *, ranked: bool = False, language: str = "fr") -> Path:
    """Write the ballot sheet (``bulletin_vote.pdf``) to ``path``, atomically: A4 portrait,
    two identical ballots to cut, each with its title, one instruction, a line for the
    ballot's number and one for the voter's IRIS or area (optional), then the subjects in
    rank order each with a box and, written small, its key (what the counting sheet of
    ``qet-geo forum votes`` carries: ``subject`` or ``rank_1``, ``rank_2``…). ``ranked``:
    the voter numbers the boxes 1, 2, 3… instead of ticking one. In French (default) or
    ``language="en"``."""
    plt = _pyplot()
    path = Path(path).with_suffix(".pdf")
    fig = build_ballot(subjects, ranked=ranked, language=language)
    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="pdf")
    finally:
        plt.close(fig)
    return path


# ------------------------------------------------------------------------------ the layouts


def layer_source(source) -> tuple[str, str]:
    """(the layer's source as QGIS writes it, its layer name) of ``areas_layer_source``: a
    GeoPackage path (layer ``area_potentials``) or ``"path|layername=name"``."""
    text = str(source)
    path, _, rest = text.partition("|")
    name = "area_potentials"
    for part in rest.split("|"):
        if part.startswith("layername="):
            name = part[len("layername=") :]
    return f"{path}|layername={name}", name


def subject_layout_xml(row, areas, *, source: str, layer_name: str, n: int = 1,
                       size: str = "A3", date: dt.date | None = None,
                       language: str = "fr", layer_id: str | None = None,
                       min_cell: int | None = None) -> str:  # fmt: skip
    """The ``<Layout>`` of one subject's panel as QGIS 3.22 writes it: the text items, the
    potential figure, the willingness bar (shapes, hatched where hidden), the map item on
    the ``area_potentials`` layer (found in the project by its name, source and provider)
    and the sources."""
    lang = forum_language(language)
    if size not in SIZES:
        raise ValueError(tr("poster size {size}: expected one of {sizes}", size=repr(size),
                            sizes=", ".join(SIZES)))  # fmt: skip
    t = TEXT[lang]
    width, height = SIZES[size]
    k = width / SIZES["A3"][0]
    date = date or dt.date.today()
    key = str(row["key"])
    figures = potential_text(row, lang)
    title = _text(row["title"])
    items = [
        _shape("colour", 0, 0, 3, 35, k, _fill(_colour(key), outline=False)),
        _label("title", title, 10, 8, 400, 18, k, 30, bold=True),
        _label("subtitle", t["subtitle"].format(rank=int(row["rank"]), n=n,
               residents=number(row["residents"], lang)), 10, 26, 400, 10, k, 15, colour="51,51,51"),
        _label("potential", figures["figure"], 10, 40, 200, 28, k, 54, bold=True),
        _label("interval", figures["interval"], 10, 70, 200, 8, k, 15, colour="51,51,51"),
        _label("per resident", figures["per_resident"], 10, 79, 200, 14, k, 13, colour="51,51,51"),
        _label("sentence", sentence(row, lang), 10, 96, 200, 24, k, 14),
        _label("willingness", t["willingness"], 10, 126, 200, 9, k, 16, bold=True),
    ]  # fmt: skip
    items += _layout_bar(row, lang, k, 10, 137, 195, 12)
    items.append(_label("barriers heading", t["barriers"], 10, 200, 200, 9, k, 16, bold=True))
    lines = barrier_lines(row) or [t["no_barriers"]]
    items.append(_label("barriers", "\n".join(f"• {line}" for line in lines[:5]), 10, 211, 200,
                        55, k, 13))  # fmt: skip
    items.append(_label("map heading", t["map"], 222, 40, 190, 9, k, 16, bold=True))
    map_uuid = _uuid(f"{key}:map", k)
    # the map draws this subject's potential per resident, whatever the layer's style
    styles = forum_styles(areas, [(key, title)], min_cell or DEFAULT_MIN_CELL, lang)
    items.append(_map(map_uuid, (222, 51, 188, 150), k, areas, layer_id or _layer_id(source),
                      source=source, name=layer_name, style=styles[0][1] if styles else None))  # fmt: skip
    items.append(_scalebar(map_uuid, 222, 203, k))
    items.append(_label("where heading", t["where"], 222, 216, 190, 8, k, 14, bold=True))
    items.append(_label("where", _text(row["areas"]) or t["none"], 222, 224, 190, 12, k, 11))
    items.append(_label("action heading", t["action"], 222, 237, 190, 8, k, 14, bold=True))
    body = action_text(row, lang)
    note = _text(row["note"])
    if note:
        body += "\n" + t["note"].format(note=note)
    items.append(_label("action", body, 222, 245, 190, 30, k, 11))
    items.append(_label("sources", t["sources"].format(date=date_text(date, lang)), 10, 281,
                        400, 14, k, 8, colour="51,51,51"))  # fmt: skip
    page_item = _item(65638, _uuid(f"{key}:page", k), 0, 0, width / k, height / k, k, z=0,
                      background=True, children=_fill("#FFFFFF", outline=False))  # fmt: skip
    name = t["layout"].format(size=size, title=title)
    return (
        f'<Layout name={xml_attr(name)} units="mm" worldFileMap="" printResolution="300">'
        '<Snapper snapToGuides="1" tolerance="5" snapToItems="1" snapToGrid="0"/>'
        '<Grid resolution="10" offsetUnits="mm" offsetY="0" resUnits="mm" offsetX="0"/>'
        f'<PageCollection>{page_item}<GuideCollection visible="1"/></PageCollection>'
        + "".join(items)
        + "<customproperties/></Layout>"
    )


def _layer_id(source: str) -> str:
    """The id of the area layer of ``source`` (relative, as :func:`template_source` writes
    it): the id a qet-geo project beside the template gives that layer, so that QGIS finds
    it there by its id; elsewhere the plugin finds it by name and file
    (``plugin.results.load_layout``)."""
    return layer_id_of(source)


def _layout_bar(row, lang: str, k: float, x, y, w, h) -> list[str]:
    """The willingness bar as shape items with their shares, the legend below."""
    t = TEXT[lang]
    if not has_willingness(row):
        return [_label("no question", t["no_question"], x, y, w, h, k, 14)]
    items, left, hidden = [], 0.0, False
    for column, code in WILLINGNESS:
        value = row[column]
        if not _finite(value):
            hidden = True
            continue
        value = float(value)
        if value <= 0:
            continue
        items.append(_shape(f"bar {column}", x + left * w, y, value * w, h, k,
                            _fill(CODE_COLOURS[code], outline=False)))  # fmt: skip
        if value >= 0.07:
            items.append(_label(f"bar {column} value", percent(value, lang), x + left * w + 1,
                                y + 2.5, value * w - 2, h - 4, k, 11))  # fmt: skip
        left += value
    if hidden and left < 1:
        items.append(_shape("bar hidden", x + left * w, y, (1 - left) * w, h, k,
                            _fill(HIDDEN_FILL, hatched=True, outline=False)))  # fmt: skip
    legend = [(t[column[6:]], _fill(CODE_COLOURS[code])) for column, code in WILLINGNESS]
    if hidden:
        legend.append((t["hidden"], _fill(HIDDEN_FILL, hatched=True)))
    ly = y + h + 4
    for i, (text, symbol) in enumerate(legend):
        items.append(_shape(f"bar legend box {i}", x, ly, 6, 4.5, k, symbol))
        items.append(_label(f"bar legend {i}", text, x + 8, ly - 0.5, w - 8, 6, k, 11))
        ly += 6.5
    items.append(_label("split", split_text(row, lang), x, ly + 1, w, 12, k, 10,
                        colour="51,51,51"))  # fmt: skip
    return items


def subject_layouts(subjects, areas_layer_source, folder, *, sizes=("A3",),
                    language: str = "fr", date: dt.date | None = None,
                    areas=None) -> list[Path]:  # fmt: skip
    """Write each subject's panel as a QGIS print layout template into ``folder``:
    ``panneau_<key>_<size>.qpt`` for each of ``sizes``, atomically.

    ``areas_layer_source``: the ``area_potentials`` layer, a GeoPackage (layer
    ``area_potentials``) or ``"path|layername=name"``; its map item shows that layer once
    the template is loaded into a project holding it (QGIS finds it by name, source and
    provider). The layer is read for the map's extent and CRS, unless ``areas`` (the same
    layer as a GeoDataFrame) is given. Returns the files written."""
    table = check_subjects(subjects)
    source, name = layer_source(areas_layer_source)
    if areas is None:
        areas = read_frame(source.split("|")[0], name)
    areas = check_areas(areas, list(table["key"]))
    crs_of(areas)  # a layer without CRS is said here, not in QGIS
    folder = Path(folder)
    source = template_source(source.split("|")[0], folder, name)  # no organiser's folder
    written = []
    for _, row in table.iterrows():
        for size in dict.fromkeys(sizes):
            xml = subject_layout_xml(row, areas, source=source, layer_name=name, n=len(table),
                                     size=size, date=date, language=language,
                                     min_cell=subjects.attrs.get("min_cell"))  # fmt: skip
            path = folder / panel_name(row["key"], size, ".qpt")
            with atomic_path(path) as tmp:
                Path(tmp).write_text(xml, encoding="utf-8")
            written.append(path)
    return written


def project_layouts(diagnostic, layer_id: str | None, *, size: str = "A3", language: str = "fr",
                    date: dt.date | None = None) -> str:  # fmt: skip
    """The ``<Layout>`` elements of every subject's panel for a QGIS project whose layer
    ``layer_id`` is the diagnostic's ``area_potentials``; "" without areas."""
    from ..diagnostic.output import read_forum

    subjects, areas, min_cell = read_forum(diagnostic)
    if areas is None:
        return ""
    table = check_subjects(subjects)
    areas = check_areas(areas, list(table["key"]))
    source = template_source(diagnostic, Path(diagnostic).parent, "area_potentials")
    return "".join(
        subject_layout_xml(
            row,
            areas,
            source=source,
            layer_name="area_potentials",
            n=len(table),
            size=size,
            date=date,
            language=language,
            layer_id=layer_id,
        )  # fmt: skip
        for _, row in table.iterrows()
    )


BALLOT = "bulletin_vote.pdf"
RANKED_BALLOT = "bulletin_vote_classement.pdf"


def forum_files(folder, keys, sizes=PANEL_SIZES, layouts=("A3",)) -> list[Path]:
    """Every file :func:`write_forum` writes for the subjects ``keys`` (checked against the
    inputs before anything runs)."""
    folder = Path(folder)
    out = []
    for key in keys:
        for size in dict.fromkeys(sizes):
            out += [folder / panel_name(key, size), folder / panel_name(key, size, ".png")]
        out += [folder / panel_name(key, size, ".qpt") for size in dict.fromkeys(layouts)]
    return [*out, folder / BALLOT, folder / RANKED_BALLOT]


def write_forum(diagnostic, folder, *, sizes=PANEL_SIZES, layouts=("A3",), language: str = "fr",
                date: dt.date | None = None) -> list[Path]:  # fmt: skip
    """The forum's exhibition of the published ``diagnostic`` GeoPackage: one panel per
    subject and size (PDF, PNG), each as a QGIS print layout (``layouts`` sizes, on its layer
    ``area_potentials``), and the ballot sheets (single choice and ranked) in ``folder``."""
    from ..diagnostic.output import read_forum

    subjects, areas, min_cell = read_forum(diagnostic)
    folder = Path(folder)
    written = write_subject_panels(subjects, areas, folder, sizes=sizes, language=language,
                                   date=date, min_cell=min_cell)  # fmt: skip
    if areas is not None and layouts:
        written += subject_layouts(subjects, f"{diagnostic}|layername=area_potentials", folder,
                                   sizes=layouts, language=language, date=date, areas=areas)  # fmt: skip
    written.append(write_ballot(subjects, folder / BALLOT, language=language))
    written.append(write_ballot(subjects, folder / RANKED_BALLOT, ranked=True, language=language))
    return written


__all__ = [
    "build_ballot",
    "forum_files",
    "write_forum",
    "build_subject_panel",
    "check_subjects",
    "subject_layout_xml",
    "subject_layouts",
    "write_ballot",
    "write_subject_panels",
]
