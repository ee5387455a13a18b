"""The diagnostic's report (docs/diagnostic.md): one self-contained HTML page, in French by
default, with one chart per board — satisfaction by theme, willingness to change,
barriers, trips, carbon per sector — for the neighbourhood, each profile and all the
respondents pooled. It is drawn from the published tables only (hidden values are said
hidden, never drawn), works offline (no script, no font, no request) and escapes every
value it shows."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from ..io import atomic_path
from .analyses import ENSEMBLE, QUARTIER, SATISFACTION_CODES, UNLINKED, WISH_CODES

COLOURS = {
    "NO": "#CC6677", "DONT_KNOW": "#BBBBBB", "YES": "#44AA99",
    "I_WISH_BUT_CANT": "#DDCC77", "I_WISH_AND_IT_IS_PLAN": "#88CCEE", "YES_I_DO": "#117733",
}  # fmt: skip
SECTOR_COLOURS = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677",
                  "#882255", "#AA4499", "#DDDDDD")  # fmt: skip

WORDS = {
    "fr": {
        "title": "Diagnostic du quartier : Espace et Mode de Vie, Nos Gestes Climat",
        "lead": "Réponses des habitants par profil d'usages et pour le quartier (moyenne des "
        "profils pondérée par leur part de la population). Les valeurs de moins de {n} "
        "répondants sont masquées (secret statistique).",
        "satisfaction": "Satisfaction du cadre de vie",
        "wishes": "Envie de changer",
        "barriers": "Freins",
        "trips": "Déplacements",
        "carbon": "Empreinte carbone par secteur",
        "testimonies": "Témoignages (relus)",
        "profiles": "Profils",
        QUARTIER: "Quartier",
        ENSEMBLE: "Tous les répondants",
        UNLINKED: "Sans profil",
        "profile": "Profil {p}",
        "hidden": "masqué",
        "n": "n = {n}",
        "kg": "{v} kg CO2e/an",
        "population": "part de la population",
        "respondents": "répondants",
        "NO": "Non",
        "DONT_KNOW": "Sans avis",
        "YES": "Oui",
        "I_WISH_BUT_CANT": "J'aimerais mais je ne peux pas",
        "I_WISH_AND_IT_IS_PLAN": "J'aimerais et c'est prévu",
        "YES_I_DO": "Je le fais déjà",
        "food": "Alimentation",
        "mobility": "Mobilité",
        "services": "Services",
        "housing": "Logement",
        "parks_life": "Parcs et vie de quartier",
        "politics": "Vie locale et participation",
        "general": "Général",
        "solidarity": "Solidarité",
        "car": "Voiture",
        "meat": "Viande et poisson",
        "local_food": "Alimentation locale et de saison",
        "second_hand": "Occasion et réparation",
        "leisure": "Loisirs",
        "work": "Travail",
        "share_of": "part des répondants du profil",
        "none": "Rien à montrer : tout est masqué.",
        "cells": "Trajets (mode · durée · destination), classe de distance",
    },
    "en": {
        "title": "Neighbourhood diagnostic: Espace et Mode de Vie, Nos Gestes Climat",
        "lead": "Residents' answers per usage profile and for the neighbourhood (the mean "
        "of the profiles weighted by their population share). Values of fewer than {n} "
        "respondents are hidden (statistical secrecy).",
        "satisfaction": "Satisfaction with the living environment",
        "wishes": "Willingness to change",
        "barriers": "Barriers",
        "trips": "Trips",
        "carbon": "Carbon footprint per sector",
        "testimonies": "Testimonies (reviewed)",
        "profiles": "Profiles",
        QUARTIER: "Neighbourhood",
        ENSEMBLE: "All respondents",
        UNLINKED: "No profile",
        "profile": "Profile {p}",
        "hidden": "hidden",
        "n": "n = {n}",
        "kg": "{v} kg CO2e/yr",
        "population": "share of the population",
        "respondents": "respondents",
        "NO": "No",
        "DONT_KNOW": "No opinion",
        "YES": "Yes",
        "I_WISH_BUT_CANT": "Would like to but cannot",
        "I_WISH_AND_IT_IS_PLAN": "Would like to and plans to",
        "YES_I_DO": "Already does",
        "food": "Food",
        "mobility": "Mobility",
        "services": "Services",
        "housing": "Housing",
        "parks_life": "Parks and neighbourhood life",
        "politics": "Local life and participation",
        "general": "General",
        "solidarity": "Solidarity",
        "car": "Car",
        "meat": "Meat and fish",
        "local_food": "Local and seasonal food",
        "second_hand": "Second hand and repair",
        "leisure": "Leisure",
        "work": "Work",
        "share_of": "share of the profile's respondents",
        "none": "Nothing to show: all hidden.",
        "cells": "Trips (mode · time · destination), distance class",
    },
}

STYLE = """
body{font-family:system-ui,sans-serif;max-width:70em;margin:1em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{border-bottom:2px solid #332288;margin-top:2em}h3{margin-bottom:.3em}
.chart{margin:.4em 0 1.2em}.row{display:flex;align-items:center;margin:2px 0}
.label{width:22em;font-size:.85em;padding-right:.5em}.bar{flex:1;display:flex;height:1.2em;
background:#f4f4f4}.seg{height:100%}.hidden{font-size:.8em;color:#666;font-style:italic}
.n{width:6em;font-size:.8em;color:#555;text-align:right}.legend span{display:inline-block;
margin-right:1em;font-size:.85em}.legend i{display:inline-block;width:1em;height:1em;
margin-right:.3em;vertical-align:middle}table{border-collapse:collapse}td,th{padding:2px 8px;
border-bottom:1px solid #ddd;text-align:left}blockquote{border-left:3px solid #88CCEE;
margin:.5em 0;padding:.2em .8em}
"""


def _profiles_order(table: pd.DataFrame) -> list[str]:
    seen = list(dict.fromkeys(table["profile"].astype(str)))
    numbers = sorted((p for p in seen if p.isdigit()), key=int)
    return [p for p in (QUARTIER, *numbers, UNLINKED, ENSEMBLE) if p in seen]


class _Report:
    def __init__(self, diagnostic, lang: str, names: dict):
        self.d = diagnostic
        self.lang = "en" if lang == "en" else "fr"
        self.w = WORDS[self.lang]
        self.names = names

    def word(self, key, **values) -> str:
        text = self.w.get(key, key)
        return text.format(**values) if values else text

    def who(self, profile: str) -> str:
        if profile.isdigit():
            name = self.names.get(profile)
            return f"{self.word('profile', p=profile)}" + (
                f" — {name}" if name and name != f"SU {profile}" else ""
            )
        return self.word(profile)

    def percent(self, value) -> str:
        text = f"{100 * value:.0f} %"
        return text if self.lang == "fr" else text.replace(" %", "%")

    def legend(self, codes) -> str:
        items = "".join(f'<span><i style="background:{COLOURS[c]}"></i>{escape(self.word(c))}</span>'
                        for c in codes)  # fmt: skip
        return f'<div class="legend">{items}</div>'

    def stacked(self, label: str, row: dict, codes) -> str:
        """One bar of shares keyed by code (hidden codes said hidden)."""
        n = row.get("n")
        n_text = "" if n is None or pd.isna(n) else escape(self.word("n", n=int(n)))
        hidden = [c for c in codes if pd.isna(row.get(f"share_{c}"))]
        if len(hidden) == len(codes):
            bar = f'<span class="hidden">{escape(self.word("hidden"))}</span>'
        else:
            segs = "".join(
                f'<div class="seg" style="width:{100 * row[f"share_{c}"]:.2f}%;background:{COLOURS[c]}" '
                f'title="{escape(self.word(c), quote=True)} {self.percent(row[f"share_{c}"])}"></div>'
                for c in codes if c not in hidden and row[f"share_{c}"] > 0)  # fmt: skip
            bar = segs + (f'<span class="hidden">&nbsp;{escape(self.word("hidden"))} : '
                          f'{escape(", ".join(self.word(c) for c in hidden))}</span>' if hidden else "")  # fmt: skip
        return (f'<div class="row"><div class="label">{escape(label)}</div><div class="bar">{bar}</div>'
                f'<div class="n">{n_text}</div></div>')  # fmt: skip

    def single(self, label: str, share, n=None, colour="#332288", text=None) -> str:
        n_text = "" if n is None or pd.isna(n) else escape(self.word("n", n=int(n)))
        if share is None or pd.isna(share):
            bar = f'<span class="hidden">{escape(self.word("hidden"))}</span>'
        else:
            shown = text if text is not None else self.percent(share)
            bar = (f'<div class="seg" style="width:{100 * min(max(share, 0), 1):.2f}%;background:{colour}"></div>'
                   f'<span style="font-size:.8em">&nbsp;{escape(shown)}</span>')  # fmt: skip
        return (f'<div class="row"><div class="label">{escape(label)}</div><div class="bar">{bar}</div>'
                f'<div class="n">{n_text}</div></div>')  # fmt: skip

    # -- the boards --------------------------------------------------------------------

    def shares_board(self, name: str, codes, group_key: str) -> str:
        table = self.d.tables()[name]
        if not len(table):
            return ""
        out = [f"<h2>{escape(self.word(name))}</h2>", self.legend(codes)]
        for profile in _profiles_order(table):
            mine = table[table["profile"].astype(str) == profile]
            out.append(f"<h3>{escape(self.who(profile))}</h3>")
            for group, rows in mine.groupby(group_key, sort=False):
                out.append(f'<div class="chart"><b>{escape(self.word(str(group)))}</b>')
                out += [self.stacked(str(r["label"]), r, codes) for r in rows.to_dict("records")]
                out.append("</div>")
        return "\n".join(out)

    def barriers_board(self) -> str:
        table = self.d.barriers
        if not len(table):
            return ""
        table = table[table["level"] == "family"]
        out = [f"<h2>{escape(self.word('barriers'))}</h2><p>{escape(self.word('share_of'))}</p>"]
        for profile in _profiles_order(table):
            mine = table[table["profile"].astype(str) == profile]
            out.append(f"<h3>{escape(self.who(profile))}</h3>")
            for _, rows in mine.groupby("question", sort=False):
                first = rows.iloc[0]
                out.append(f'<div class="chart"><b>{escape(str(first["label"]))}</b>')
                out += [self.single(str(r["family"]), r["share"], r["n"], "#882255")
                        for r in rows.to_dict("records")]  # fmt: skip
                out.append("</div>")
        return "\n".join(out)

    def trips_board(self) -> str:
        table = self.d.trips
        if not len(table):
            return ""
        out = [f"<h2>{escape(self.word('trips'))}</h2><p>{escape(self.word('cells'))}</p>"]
        for profile in _profiles_order(table):
            mine = table[(table["profile"].astype(str) == profile) & table["share"].notna()]
            out.append(f"<h3>{escape(self.who(profile))}</h3>")
            if not len(mine):
                out.append(f'<p class="hidden">{escape(self.word("none"))}</p>')
                continue
            for purpose, rows in mine.groupby("purpose", sort=False):
                out.append(f'<div class="chart"><b>{escape(self.word(str(purpose)))}</b>')
                for r in rows.sort_values("share", ascending=False).to_dict("records"):
                    label = " · ".join(str(v) for v in (r["mode"], r["time"], r["zone"]) if v)
                    label += f" ({r['distance_class']})" if r["distance_class"] else ""
                    out.append(self.single(label, r["share"], r["n"], "#44AA99"))
                out.append("</div>")
        return "\n".join(out)

    def carbon_board(self) -> str:
        table = self.d.carbon
        if not len(table):
            return ""
        top = table[table["level"].astype(str).isin(["sector", "1"])]
        if not len(top):
            top = table[table["parent"].astype(str).isin(["bilan", ""])]
        out = [f"<h2>{escape(self.word('carbon'))}</h2>"]
        sectors = list(dict.fromkeys(top["label"]))
        colours = {s: SECTOR_COLOURS[i % len(SECTOR_COLOURS)] for i, s in enumerate(sectors)}
        out.append('<div class="legend">' + "".join(
            f'<span><i style="background:{colours[s]}"></i>{escape(str(s))}</span>' for s in sectors) + "</div>")  # fmt: skip
        rows_html = []
        biggest = top.groupby(top["profile"].astype(str))["mean"].sum().max()
        for profile in _profiles_order(top):
            mine = top[top["profile"].astype(str) == profile]
            if mine["mean"].isna().all():
                rows_html.append(self.single(self.who(profile), None))
                continue
            total = float(mine["mean"].sum())
            segs = "".join(self.segment(r, biggest, colours[r["label"]])
                           for r in mine.to_dict("records") if not pd.isna(r["mean"]) and r["mean"] > 0)  # fmt: skip
            n = mine["n"].dropna()
            n_text = escape(self.word("n", n=int(n.max()))) if len(n) else ""
            rows_html.append(f'<div class="row"><div class="label">{escape(self.who(profile))}</div>'
                             f'<div class="bar">{segs}<span style="font-size:.8em">&nbsp;'
                             f'{escape(self.word("kg", v=round(total)))}</span></div>'
                             f'<div class="n">{n_text}</div></div>')  # fmt: skip
        out.append('<div class="chart">' + "".join(rows_html) + "</div>")
        return "\n".join(out)

    def segment(self, row: dict, biggest: float, colour: str) -> str:
        kg = self.word("kg", v=f"{row['mean']:.0f}")
        title = escape(f"{row['label']} {kg}", quote=True)
        width = 100 * row["mean"] / biggest
        return f'<div class="seg" style="width:{width:.2f}%;background:{colour}" title="{title}"></div>'

    def profiles_board(self) -> str:
        table = self.d.profiles
        if not len(table):
            return ""
        columns = [c for c in table.columns if c.startswith("n_")]
        head = "".join(
            f"<th>{escape(c[2:].upper())} ({escape(self.word('respondents'))})</th>"
            for c in columns
        )
        body = []
        for r in table.to_dict("records"):
            cells = "".join("<td>" + ("—" if r[c] is None or pd.isna(r[c]) else str(int(r[c]))) + "</td>"
                            for c in columns)  # fmt: skip
            body.append(f"<tr><td>{escape(self.who(str(r['profile'])))}</td>"
                        f"<td>{self.percent(r['population_share'])}</td>{cells}</tr>")  # fmt: skip
        return (f"<h2>{escape(self.word('profiles'))}</h2><table><tr><th></th>"
                f"<th>{escape(self.word('population'))}</th>{head}</tr>{''.join(body)}</table>")  # fmt: skip

    def testimonies_board(self, testimonies) -> str:
        if testimonies is None or not len(testimonies):
            return ""
        out = [f"<h2>{escape(self.word('testimonies'))}</h2>"]
        for theme, rows in testimonies.groupby("theme", sort=False):
            out.append(f"<h3>{escape(self.word(str(theme)))}</h3>")
            out += [f"<blockquote>{escape(str(t))}</blockquote>" for t in rows["text"]]
        return "\n".join(out)

    def html(self, testimonies=None) -> str:
        body = [
            f"<h1>{escape(self.word('title'))}</h1>",
            f"<p>{escape(self.word('lead', n=self.d.min_cell))}</p>",
            self.profiles_board(),
            self.shares_board("satisfaction", SATISFACTION_CODES, "theme"),
            self.shares_board("wishes", WISH_CODES, "theme"),
            self.barriers_board(),
            self.trips_board(),
            self.carbon_board(),
            self.testimonies_board(testimonies),
        ]
        return (f'<!DOCTYPE html>\n<html lang="{self.lang}"><head><meta charset="utf-8">'
                f"<title>{escape(self.word('title'))}</title><style>{STYLE}</style></head>"
                f"<body>{''.join(b for b in body if b)}</body></html>\n")  # fmt: skip


def report_html(
    diagnostic, language: str = "fr", names: dict | None = None, testimonies=None
) -> str:
    """The report as one HTML page (``language`` "fr" or "en"; ``names``: profile number →
    name)."""
    names = {str(k): str(v) for k, v in (names or {}).items()}
    return _Report(diagnostic, language, names).html(testimonies)


def write_report(diagnostic, path, *, language: str = "fr", names=None, testimonies=None) -> Path:
    """Write :func:`report_html` to ``path`` atomically."""
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(report_html(diagnostic, language, names, testimonies), encoding="utf-8")
    return path
