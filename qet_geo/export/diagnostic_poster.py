"""The diagnostic's poster for a neighbourhood forum (docs/forum.md), in French (default) or
English: satisfaction by theme, willingness to change, barriers and the carbon footprint
per sector, for the neighbourhood and each usage profile; PDF and PNG, A3 or A0, with the
type sizes, sources line and files of the profiles' poster (:mod:`.poster`).

Drawn from the published diagnostic only (``diagnostic.gpkg``, docs/diagnostic.md): a
hidden value is drawn grey and hatched and said "masqué", never as 0. The trips board (one
row per mode × time × destination, mostly hidden at the default threshold) is left to the
HTML report.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..diagnostic.analyses import QUARTIER, SATISFACTION_CODES, WISH_CODES, Diagnostic
from ..diagnostic.output import read_diagnostic
from ..diagnostic.report import COLOURS, SECTOR_COLOURS, WORDS
from ..errors import InputError, Problem
from ..i18n import forum_language
from ..profiles.portraits import default_colours
from ..threshold import SUPPRESSED_NOTE, suppressed_label
from .poster import _dark, _plain, date_text, footer, heading, page, save_poster

#: the six satisfaction themes and the four levers, in the order of the boards
THEMES = ("food", "mobility", "services", "housing", "parks_life", "politics")
LEVERS = ("car", "meat", "local_food", "second_hand")
HIDDEN_FILL, HIDDEN_HATCH = "#BEBEBE", "#666666"
#: the barriers' cells: white (no one) to this colour (everyone)
BARRIER_COLOUR = (0x88, 0x22, 0x55)
#: the report's colours, "no opinion" sand rather than grey (grey is for what is hidden)
CODE_COLOURS = {**COLOURS, "DONT_KNOW": "#DDCC77"}

TEXT = {
    "fr": {
        "title": "Diagnostic du quartier",
        "subtitle": "Espace et Mode de Vie{emdv}, Nos Gestes Climat{ngc} : par profil d'usages "
                    "et pour le quartier",
        "answers": " ({n} réponses)",
        "satisfaction": "Satisfaction du cadre de vie, par thème",
        "satisfaction_note": "moyenne des parts des questions du thème",
        "wishes": "Envie de changer",
        "barriers": "Freins au changement",
        "barriers_note": "part des répondants citant chaque famille de freins",
        "carbon": "Empreinte carbone par secteur",
        "axis": "t CO2e par an et par personne",
        "quartier": "Quartier",
        "key": "Quartier : moyenne des profils pondérée par leur part de la population.",
        "profiles": "Profils :",
        "more": "+ masqué",
        "sources": "Sources : enquêtes Espace et Mode de Vie et Nos Gestes Climat (Quartiers en "
                   "Transitions, NEAR), profils des Sphères d'Usages ; calculs qet-geo, {date}. ",
        "no_answer": " Aucune réponse individuelle n'est montrée.",
        "empty": "rien à montrer",
    },
    "en": {
        "title": "Neighbourhood diagnostic",
        "subtitle": "Espace et Mode de Vie{emdv}, Nos Gestes Climat{ngc}: per usage profile "
                    "and for the neighbourhood",
        "answers": " ({n} answers)",
        "satisfaction": "Satisfaction with the living environment, per theme",
        "satisfaction_note": "mean of the shares of the theme's questions",
        "wishes": "Willingness to change",
        "barriers": "Barriers to change",
        "barriers_note": "share of the respondents citing each family of barriers",
        "carbon": "Carbon footprint per sector",
        "axis": "t CO2e per year and per person",
        "quartier": "Neighbourhood",
        "key": "Neighbourhood: the mean of the profiles weighted by their population share.",
        "profiles": "Profiles:",
        "more": "+ hidden",
        "sources": "Sources: Espace et Mode de Vie and Nos Gestes Climat surveys (Quartiers en "
                   "Transitions, NEAR), Sphères d'Usages profiles; computations by qet-geo, {date}. ",
        "no_answer": " No individual answer is shown.",
        "empty": "nothing to show",
    },
}  # fmt: skip
#: NGC's sectors (level 1) in English
SECTORS_EN = {"transport": "Transport", "alimentation": "Food", "logement": "Housing",
              "divers": "Goods", "services sociétaux": "Public services"}  # fmt: skip
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


class _Poster:
    """The boards of one poster: the diagnostic's tables, the rows (the neighbourhood, then
    each profile), the words and the sizes."""

    def __init__(self, diagnostic: Diagnostic, lang: str, base: float, names, colours):
        self.d, self.lang, self.base = diagnostic, lang, base
        self.t, self.w = TEXT[lang], WORDS[lang]
        self.hidden = suppressed_label(diagnostic.min_cell, lang)
        self.hidden_word = self.w["hidden"]
        numbers = _profile_numbers(diagnostic)
        table = diagnostic.profiles
        given = dict(zip(table["profile"].astype(str), table["name"].astype(str), strict=True)) if (
            "name" in table.columns) else {}  # fmt: skip
        names = {str(k): str(v) for k, v in (names or {}).items()}
        self.names = {p: names.get(p, given.get(p, f"SU {p}")) for p in numbers}
        fallback = dict(zip(numbers, default_colours(len(numbers)), strict=True))
        colours = {str(k): str(v).strip() for k, v in (colours or {}).items()}
        self.colours = {p: (colours[p] if COLOUR.fullmatch(colours.get(p, "")) else fallback[p])
                        for p in numbers}  # fmt: skip
        self.rows = [QUARTIER, *numbers]

    # -- words -----------------------------------------------------------------------------

    def who(self, profile: str) -> str:
        return self.t["quartier"] if profile == QUARTIER else profile

    def percent(self, value: float) -> str:
        return f"{100 * value:.0f} %" if self.lang == "fr" else f"{100 * value:.0f}%"

    def tonnes(self, kg: float) -> str:
        text = f"{kg / 1000:.1f}"
        return text.replace(".", ",") if self.lang == "fr" else text

    def word(self, key: str) -> str:
        return str(self.w.get(key, key))

    # -- drawing ---------------------------------------------------------------------------

    def hatched(self, ax, y, left, width, height=0.72, text=True):
        ax.barh(y, width, left=left, height=height, color=HIDDEN_FILL, edgecolor=HIDDEN_HATCH,
                hatch="///", linewidth=0)  # fmt: skip
        if text and width >= 0.14:
            ax.text(left + width / 2, y, self.hidden_word, ha="center", va="center",
                    fontsize=self.base * 0.55, color="#111111",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85})  # fmt: skip

    def stacked(self, ax, shares: list[dict], codes, title: str):
        """One bar per row of ``shares`` (code → share, NaN hidden): the published shares
        side by side, what is left of 1 hatched (the hidden codes together: 1 minus the
        published shares, which gives nothing away)."""
        for y, row in enumerate(shares):
            left = 0.0
            for code in codes:
                value = row.get(code, np.nan)
                if not np.isfinite(value) or value <= 0:
                    continue
                ax.barh(y, value, left=left, height=0.72, color=CODE_COLOURS[code], edgecolor="white",
                        linewidth=0.4)  # fmt: skip
                if value >= 0.09:
                    ax.text(left + value / 2, y, self.percent(value), ha="center", va="center",
                            fontsize=self.base * 0.55, color="white" if _dark(CODE_COLOURS[code]) else "#111111")  # fmt: skip
                left += value
            if any(not np.isfinite(row.get(code, np.nan)) for code in codes):
                self.hatched(ax, y, left, max(1.0 - left, 0.0))
        self.frame(ax, title, xlim=(0, 1))
        ax.set_xticks([])

    def frame(self, ax, title: str, xlim=None):
        ax.set_yticks(range(len(self.rows)), [self.who(p) for p in self.rows],
                      fontsize=self.base * 0.62)  # fmt: skip
        for tick, profile in zip(ax.get_yticklabels(), self.rows, strict=True):
            tick.set_color("#111111")
            tick.set_weight("bold" if profile == QUARTIER else "normal")
        ax.set_ylim(len(self.rows) - 0.5, -0.5)
        if xlim:
            ax.set_xlim(*xlim)
        ax.set_title(_plain(title), fontsize=self.base * 0.78, loc="left", pad=2)
        ax.tick_params(axis="y", length=0, pad=self.base * 0.45)
        for spine in ("top", "right", "bottom"):
            ax.spines[spine].set_visible(False)
        for y, profile in enumerate(self.rows):  # the profile's colour beside its number
            if profile != QUARTIER:
                ax.add_patch(_rectangle((-0.018, y - 0.36), 0.014, 0.72, self.colours[profile],
                                        ax.get_yaxis_transform()))  # fmt: skip

    def panel_title(self, fig, x, y, title, note=None):
        fig.text(x, y, _plain(title), fontsize=self.base * 1.25, weight="bold", va="top")
        if note:
            fig.text(x, y - 0.03, _plain(note), fontsize=self.base * 0.7, va="top", color="#333333")

    def legend(self, fig, x, y, items, ncol):
        from matplotlib.patches import Patch

        handles = [
            Patch(facecolor=c, edgecolor="#444444", label=_plain(label)) for label, c in items
        ]
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(x, y), fontsize=self.base * 0.6,
                   frameon=False, ncol=ncol, handlelength=1.2, columnspacing=0.8)  # fmt: skip

    # -- the boards ------------------------------------------------------------------------

    def satisfaction(self, fig, box):
        x, y, w, h = box
        table = self.d.satisfaction
        self.panel_title(fig, x, y + h, self.t["satisfaction"], self.t["satisfaction_note"])
        self.legend(
            fig, x, y + h - 0.05, [(self.word(c), CODE_COLOURS[c]) for c in SATISFACTION_CODES], 3
        )
        themes = [t for t in THEMES if len(table) and (table["theme"] == t).any()]
        cols, gap = 2, 0.04
        rows = max(1, -(-len(themes) // cols))
        cell_w, cell_h = (w - gap * (cols - 1)) / cols, (h - 0.07) / rows
        for i, theme in enumerate(themes):
            r, c = divmod(i, cols)
            ax = fig.add_axes([x + 0.06 + c * (cell_w + gap), y + (rows - 1 - r) * cell_h,
                               cell_w - 0.06, cell_h - 0.03])  # fmt: skip
            mine = table[table["theme"] == theme]
            self.stacked(ax, [_theme_shares(mine, p, SATISFACTION_CODES) for p in self.rows],
                         SATISFACTION_CODES, self.word(theme))  # fmt: skip

    def wishes(self, fig, box):
        x, y, w, h = box
        table = self.d.wishes
        self.panel_title(fig, x, y + h, self.t["wishes"])
        self.legend(fig, x, y + h - 0.03, [(self.word(c), CODE_COLOURS[c]) for c in WISH_CODES], 2)
        levers = [lever for lever in LEVERS if len(table) and (table["theme"] == lever).any()]
        cell_h = (h - 0.075) / max(len(levers), 1)
        for i, lever in enumerate(levers):
            ax = fig.add_axes([x + 0.06, y + (len(levers) - 1 - i) * cell_h, w - 0.06,
                               cell_h - 0.03])  # fmt: skip
            mine = table[table["theme"] == lever]
            self.stacked(ax, [_theme_shares(mine, p, WISH_CODES) for p in self.rows], WISH_CODES,
                         self.word(lever))  # fmt: skip

    def barriers(self, fig, box):
        x, y, w, h = box
        table = self.d.barriers
        self.panel_title(fig, x, y + h, self.t["barriers"], self.t["barriers_note"])
        if not len(table):
            return
        table = table[table["level"].astype(str) == "family"]
        levers = [lever for lever in LEVERS if (table["lever"] == lever).any()]
        gap = 0.012
        cell_w = (w - gap * (len(levers) - 1)) / max(len(levers), 1)
        for i, lever in enumerate(levers):
            mine = table[table["lever"] == lever]
            families = list(dict.fromkeys(mine["family"].astype(str)))
            left = x + i * (cell_w + gap)
            fig.text(left, y + h - 0.045, _plain(self.word(lever)), fontsize=self.base * 0.85,
                     weight="bold", va="top")  # fmt: skip
            ax = fig.add_axes([left + 0.085, y, cell_w - 0.085, h - 0.085])
            for fy, family in enumerate(families):
                for px, profile in enumerate(self.rows):
                    cell = mine[
                        (mine["family"].astype(str) == family) & (mine["profile"] == profile)
                    ]
                    share = float(cell["share"].iloc[0]) if len(cell) else np.nan
                    self.heat(ax, px, fy, share)
            ax.set_xlim(-0.5, len(self.rows) - 0.5)
            ax.set_ylim(len(families) - 0.5, -0.5)
            ax.set_xticks(range(len(self.rows)), [self.who(p) for p in self.rows],
                          fontsize=self.base * 0.55)  # fmt: skip
            ax.xaxis.tick_top()
            ax.set_yticks(range(len(families)), [_plain(_wrap(f, 22)) for f in families],
                          fontsize=self.base * 0.55)  # fmt: skip
            ax.tick_params(length=0)
            for spine in ax.spines.values():
                spine.set_visible(False)

    def heat(self, ax, x, y, share):
        from matplotlib.patches import Rectangle

        if not np.isfinite(share):
            ax.add_patch(Rectangle((x - 0.46, y - 0.44), 0.92, 0.88, facecolor=HIDDEN_FILL,
                                   edgecolor=HIDDEN_HATCH, hatch="///", linewidth=0))  # fmt: skip
            ax.text(x, y, self.hidden_word, ha="center", va="center", fontsize=self.base * 0.5,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85})  # fmt: skip
            return
        share = min(max(share, 0.0), 1.0)
        rgb = tuple((255 - (255 - c) * share) / 255 for c in BARRIER_COLOUR)
        ax.add_patch(Rectangle((x - 0.46, y - 0.44), 0.92, 0.88, facecolor=rgb, edgecolor="#DDDDDD",
                               linewidth=0.3))  # fmt: skip
        dark = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] < 0.5
        ax.text(x, y, self.percent(share), ha="center", va="center", fontsize=self.base * 0.55,
                color="white" if dark else "#111111")  # fmt: skip

    def carbon(self, fig, box):
        x, y, w, h = box
        table = self.d.carbon
        self.panel_title(fig, x, y + h, self.t["carbon"])
        if not len(table):
            return
        level = table["level"].astype(str)
        top = table[level.isin(["1", "sector"])]
        totals = table[level.isin(["0"])]
        sectors = list(dict.fromkeys(top["key"].astype(str)))
        labels = {k: str(top[top["key"].astype(str) == k]["label"].iloc[0]) for k in sectors}
        if self.lang == "en":  # NGC's own labels are French
            labels = {k: SECTORS_EN.get(k, label) for k, label in labels.items()}
        colours = {s: SECTOR_COLOURS[i % len(SECTOR_COLOURS)] for i, s in enumerate(sectors)}
        self.legend(fig, x, y + h - 0.03, [(labels[s], colours[s]) for s in sectors], 2)
        ax = fig.add_axes([x + 0.06, y + 0.04, w - 0.07, h - 0.165])
        biggest = 0.0
        for row, profile in enumerate(self.rows):
            mine = top[top["profile"] == profile].set_index(
                top[top["profile"] == profile]["key"].astype(str)
            )
            values = {s: float(mine["mean"].get(s, np.nan)) for s in sectors}
            total_row = totals[totals["profile"] == profile]["mean"]
            total = float(total_row.iloc[0]) if len(total_row) else np.nan
            left = 0.0
            for s in sectors:
                if np.isfinite(values[s]) and values[s] > 0:
                    ax.barh(row, values[s] / 1000, left=left, height=0.72, color=colours[s],
                            edgecolor="white", linewidth=0.4)  # fmt: skip
                    left += values[s] / 1000
            hidden = any(not np.isfinite(v) for v in values.values())
            end = left
            if hidden and np.isfinite(total) and total / 1000 > left:
                self.hatched(ax, row, left, total / 1000 - left, text=False)
                end = total / 1000
            label = self.tonnes(total if np.isfinite(total) else 1000 * left) if end > 0 else ""
            if hidden and not np.isfinite(total):
                label = (label + " " if label else "") + self.t["more"]
            if end == 0 and hidden:
                self.hatched(ax, row, 0, 0.0, text=False)
                label = self.hidden_word
            ax.text(end, row, " " + label, va="center", ha="left", fontsize=self.base * 0.62)
            biggest = max(biggest, end)
        self.frame(ax, "", xlim=(0, max(biggest * 1.18, 1.0)))
        ax.set_xlabel(self.t["axis"], fontsize=self.base * 0.62)
        ax.tick_params(axis="x", labelsize=self.base * 0.55)
        ax.spines["bottom"].set_visible(True)

    def key(self, fig, y):
        """The profiles' numbers, colours and names, the hidden values' label, and what
        "Quartier" is."""
        from matplotlib.patches import Patch

        handles = [Patch(facecolor=self.colours[p], edgecolor="#444444", label=_plain(f"{p}. {self.names[p]}"))
                   for p in self.rows[1:]]  # fmt: skip
        handles.append(Patch(facecolor=HIDDEN_FILL, edgecolor=HIDDEN_HATCH, hatch="///",
                             label=self.hidden))  # fmt: skip
        fig.text(0.02, y, _plain(self.t["profiles"]), fontsize=self.base * 0.85, va="top",
                 weight="bold")  # fmt: skip
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.085, y + 0.008),
                   fontsize=self.base * 0.85, frameon=False, ncol=len(handles))  # fmt: skip
        fig.text(0.02, y - 0.035, _plain(self.t["key"]), fontsize=self.base * 0.75, va="top",
                 color="#333333")  # fmt: skip


def build_diagnostic_poster(diagnostic, *, size: str = "A3", title: str | None = None,
                            date: dt.date | None = None, language: str = "fr", names=None,
                            colours=None):  # fmt: skip
    """The diagnostic's poster as a matplotlib figure (see :func:`write_diagnostic_poster`)."""
    diagnostic = as_diagnostic(diagnostic)
    lang = forum_language(language)
    t = TEXT[lang]
    fig, _scale, base = page(size)
    date = date or dt.date.today()
    poster = _Poster(diagnostic, lang, base, names, colours)
    emdv = _respondents(diagnostic.satisfaction, diagnostic.wishes)
    ngc = _respondents(diagnostic.carbon)
    heading(fig, base, title or t["title"],
            t["subtitle"].format(emdv=t["answers"].format(n=emdv) if emdv else "",
                                 ngc=t["answers"].format(n=ngc) if ngc else ""))  # fmt: skip
    poster.key(fig, 0.865)
    poster.satisfaction(fig, (0.02, 0.42, 0.41, 0.38))
    poster.wishes(fig, (0.47, 0.42, 0.24, 0.38))
    poster.carbon(fig, (0.75, 0.42, 0.23, 0.38))
    poster.barriers(fig, (0.02, 0.085, 0.96, 0.30))
    sources = (t["sources"].format(date=date_text(date, lang))
               + SUPPRESSED_NOTE[lang].format(n=diagnostic.min_cell) + t["no_answer"])  # fmt: skip
    footer(fig, base, sources)
    return fig


def write_diagnostic_poster(path, diagnostic, *, size: str = "A3", title: str | None = None,
                            date: dt.date | None = None, png: bool = True, language: str = "fr",
                            names=None, colours=None) -> list[Path]:  # fmt: skip
    """Write the diagnostic's forum poster as PDF (vector) and, with ``png``, as PNG beside it
    (150 dpi for A3, 50 dpi for A0), atomically; in French (default) or ``language="en"``.

    Parameters
    ----------
    path : str or pathlib.Path
        The PDF to write; the PNG gets the same name.
    diagnostic : str, pathlib.Path or Diagnostic
        The published diagnostic GeoPackage (``qet-geo diagnostic summarize``), or the
        :class:`~qet_geo.diagnostic.analyses.Diagnostic` (or the run) it was written from.
    size : {"A3", "A0"}
        The paper size; the type sizes grow with it.
    title, date
        The title printed (default "Diagnostic du quartier"), the date (default today).
    names, colours : dict, optional
        Profile number → name and → colour "#RRGGBB" (the profile model's); by default the
        names of the diagnostic's ``profiles`` table and the posters' palette.

    Returns
    -------
    list of pathlib.Path
        The PDF and, with ``png``, the PNG.

    References
    ----------
    [QeT-method]: the forum it serves; [INSEE-secret]: the hidden values. The pages are
    ``docs/forum.md`` and ``docs/diagnostic.md``.
    """
    fig = build_diagnostic_poster(diagnostic, size=size, title=title, date=date,
                                  language=language, names=names, colours=colours)  # fmt: skip
    return save_poster(fig, path, size=size, png=png)


def as_diagnostic(diagnostic) -> Diagnostic:
    """A :class:`Diagnostic` of a diagnostic GeoPackage, a run or a Diagnostic."""
    if isinstance(diagnostic, Diagnostic):
        return diagnostic
    if isinstance(getattr(diagnostic, "diagnostic", None), Diagnostic):
        return diagnostic.diagnostic
    if isinstance(diagnostic, (str, os.PathLike)):
        return read_diagnostic(diagnostic)
    raise InputError(Problem.of(repr(type(diagnostic).__name__), "not a diagnostic GeoPackage",
                                expected="a diagnostic GeoPackage (qet-geo diagnostic summarize)"))  # fmt: skip


# ---------------------------------------------------------------- figures from the tables


def _profile_numbers(diagnostic: Diagnostic) -> list[str]:
    seen = []
    for table in (
        diagnostic.profiles,
        *(getattr(diagnostic, n) for n in ("satisfaction", "wishes", "barriers", "carbon")),
    ):
        if len(table) and "profile" in table.columns:
            seen += [str(p) for p in table["profile"]]
    return sorted({p for p in seen if p.isdigit()}, key=int)


def _theme_shares(rows: pd.DataFrame, profile: str, codes) -> dict:
    """code → the mean over the questions of ``rows`` of the share of ``code`` for
    ``profile``; NaN when the share of one question is hidden (a mean over the questions
    published would mix other questions into each profile's figure)."""
    mine = rows[rows["profile"].astype(str) == profile]
    out = {}
    for code in codes:
        values = pd.to_numeric(mine.get(f"share_{code}", pd.Series(dtype=float)), errors="coerce")
        out[code] = float(values.mean()) if len(values) and values.notna().all() else np.nan
    return out


def theme_shares(table: pd.DataFrame, theme: str, profile: str, codes) -> dict:
    """The figures the poster draws for a satisfaction theme or a lever (column ``theme``)
    and a profile (``"quartier"`` or a number): code → share, NaN when hidden."""
    return _theme_shares(table[table["theme"] == theme], str(profile), codes)


def _respondents(*tables) -> int | None:
    """The respondents of a survey as published: the largest ``n`` of its pooled rows."""
    found = []
    for table in tables:
        if len(table) and "n" in table.columns:
            pooled = pd.to_numeric(
                table[table["profile"].astype(str) == "ensemble"]["n"], errors="coerce"
            )
            found += [int(v) for v in pooled.dropna()]
    return max(found) if found else None


def _wrap(text: str, width: int) -> str:
    import textwrap

    return textwrap.fill(str(text), width=width)


def _rectangle(xy, width, height, colour, transform):
    from matplotlib.patches import Rectangle

    return Rectangle(xy, width, height, facecolor=colour, edgecolor="none", transform=transform,
                     clip_on=False)  # fmt: skip
