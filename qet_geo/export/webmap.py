"""A web map of the diagnostic for a neighbourhood forum (folium / Leaflet).

Layers: the dominant profile in the profiles' colours, the share of each profile, the mean
footprint (total and per usage), PTAL and the bivariate profile × access map when given;
suppressed areas grey and hatched ("masqué (secret statistique, seuil N réponses)"); a layer control; a legend; a
popup per area (name, respondents, the profile mix as a small inline SVG bar chart, the
footprint against the study and the French average, the PTAL band); transit stops and
lines as an option; title, sources and date. French by default, English by option.

With a published diagnostic (docs/diagnostic.md), its themes per area, each "estimation par
profils" (the area's profile mix times each profile's published figures): the share who
would like to change per lever, the mean share of negative answers per satisfaction theme,
the most cited barrier family per lever, the mean carbon footprint in total and per sector;
hidden where a figure it comes from is. The themes are grouped by board in the layer
control (a ``<details>`` per board), each diagnostic theme has its legend, shown with it.

Aggregates only: the map is built from the area map GeoPackage (no respondent point, id
or answer ever reaches it). No text (the title, names from data) ever goes through a
template: each is escaped for where it lands (HTML text or attribute, JSON inside a script,
text set by the page's script) and colours are checked. Polygons are simplified as a coverage (shared edges simplified once, so no gap opens between
neighbours). With ``offline=True`` the page inlines Leaflet (vendored, BSD-2) and its style
and uses no tile server: it works with the network off.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from ..areas.indicators import AreaMap, AreaSummary
from ..areas.output import read_area_map
from ..diagnostic.analyses import OTHER_FAMILY
from ..diagnostic.places import METHOD, slug
from ..errors import InputError, Problem
from ..geo import backend, crs_of, layer_names, read_frame, to_wgs84, with_crs
from ..i18n import Message
from ..io import atomic_path, split_layer
from ..parameters import AREA_MAP_OR_FILE, check_argument
from ..privacy import check_not_respondents
from ..threshold import SUPPRESSED_LABEL, SUPPRESSED_NOTE
from ..transit import transit_geometry

VENDOR = Path(__file__).with_name("vendor") / "leaflet"
LEAFLET_CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/"
GREY = "#BEBEBE"
RAMP = ("#FFFFD4", "#FED98E", "#FE9929", "#D95F0E", "#993404")  # YlOrBr, colour-blind safe
PTAL_COLOURS = {"0": "#FFFFFF", "1a": "#08519C", "1b": "#3182BD", "2": "#6BAED6", "3": "#BDD7E7",
                "4": "#FFF7BC", "5": "#FEC44F", "6a": "#F03B20", "6b": "#BD0026"}  # fmt: skip
# 3 × 3 bivariate palette (Stevens' "blue-green × pink", colour-blind safe): [share][access]
BIVARIATE = {
    "A1": "#E8E8E8", "A2": "#ACE4E4", "A3": "#5AC8C8",
    "B1": "#DFB0D6", "B2": "#A5ADD3", "B3": "#5698B9",
    "C1": "#BE64AC", "C2": "#8C62AA", "C3": "#3B4994",
}  # fmt: skip
# the diagnostic's themes (docs/diagnostic.md): sequential ramps (ColorBrewer, colour-blind
# safe) and, for the barrier families, Okabe and Ito's palette
WISH_RAMP = ("#FFFFCC", "#C2E699", "#78C679", "#31A354", "#006837")  # YlGn
DISSATISFACTION_RAMP = ("#FEEBE2", "#FBB4B9", "#F768A1", "#C51B8A", "#7A0177")  # RdPu
FAMILY_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
#: barrier families never chosen as an area's main barrier while another has a value
SET_ASIDE = {"Non concerné": "#E0E0E0", OTHER_FAMILY: "#8C8C8C"}
WANT_CODES = ("I_WISH_BUT_CANT", "I_WISH_AND_IT_IS_PLAN")  # "would like to"
LEVERS = ("car", "meat", "local_food", "second_hand")
THEMES = ("housing", "parks_life", "mobility", "food", "services", "politics")
DIAGNOSTIC_TABLES = {"satisfaction": ("key", "label", "theme"), "wishes": ("key", "label", "theme"),
                     "barriers": ("key", "label", "lever", "level", "family"),
                     "carbon": ("key", "label", "level", "parent")}  # fmt: skip
DIAGNOSTIC_FILE = (
    "a diagnostic GeoPackage with its area estimates (qet-geo diagnostic summarize --areas)"
)
#: the potential a public action would unlock (ColorBrewer Purples, 5 classes)
STRUCTURAL_RAMP = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
#: more themes than this: the boards of the layer control start closed but the current one
OPEN_BOARDS = 14

TEXT = {
    "fr": {
        "dominant": "Profil dominant",
        "share": "Part du profil {p} — {name}",
        "footprint": "Empreinte moyenne — {usage}",
        "ptal": "Accessibilité en transports (PTAL)",
        "bivariate": "Profil {name} × accès aux transports",
        "stops": "Arrêts et lignes de transport",
        "suppressed": SUPPRESSED_LABEL["fr"],
        "none": "aucun profil nettement dominant",
        "respondents": "{n} réponses",
        "mix": "Répartition des profils",
        "hidden": "masqué",
        "fp_line": "Empreinte des cinq usages : {value} t CO2e/an (étude : {study} t ; moyenne française NGC : {ngc} t)",
        "ptal_line": "Accessibilité en transports : classe {band} (indice {ai})",
        "legend": "Légende",
        "sources": "Sources : enquête Sphères d'Usages (Quartiers en Transitions) ; empreintes Nos Gestes Climat {ngc} (ADEME) ; {extra}carte qet-geo, {date}. " + SUPPRESSED_NOTE["fr"],
        "title": "Sphères d'Usages du quartier",
        "usages": {"total": "cinq usages", "alimentation": "alimentation", "avion": "avion",
                   "mobilite": "mobilité", "achats": "achats", "numerique": "numérique"},
        "low_high": ("faible", "fort"),
        "share_axis": "part du profil",
        "access_axis": "accès aux transports",
        "boards": {"profiles": "Profils d'usages", "footprints": "Empreinte des usages",
                   "transit": "Transports", "wishes": "Envie de changer",
                   "dissatisfaction": "Insatisfaction", "barriers": "Freins",
                   "carbon": "Empreinte carbone (Nos Gestes Climat)", "vote": "Vote citoyen",
                   "forum": "Sujets du forum : marges de manœuvre"},
        "subject_layer": "Potentiel — {title}, kg CO2e/an par habitant",
        "subject_legend": "potentiel de réduction par habitant de 15 ans ou plus : un potentiel, pas une prévision",
        "structural_layer": "Action publique — {title} : potentiel débloqué, t CO2e/an",
        "structural_legend": "là où beaucoup d'habitants n'ont pas le choix et où la contrainte mesurée est faible : un potentiel, pas une prévision",
        "estimated": "{title} (estimation par profils)",
        "wish_layer": "Envie de changer — {lever}",
        "dissatisfaction_layer": "Insatisfaction — {theme} : part moyenne d'avis négatifs",
        "barrier_layer": "Frein principal — {lever}",
        "carbon_layer": "Empreinte carbone — {node}, t CO2e/an",
        "levers": {"car": "mobilité durable", "meat": "alimentation plus végétale",
                   "local_food": "alimentation locale et de saison",
                   "second_hand": "occasion et réparation"},
        "themes": {"housing": "logement", "parks_life": "parcs et vie de quartier",
                   "mobility": "mobilité", "food": "alimentation", "services": "services",
                   "politics": "vie locale et participation"},
        "nodes": {},
        "wish_legend": "part qui aimerait changer (« j'aimerais mais je ne peux pas » + « j'aimerais et c'est prévu »)",
        "dissatisfaction_legend": "part moyenne d'avis négatifs (« non ») sur les questions du thème",
        "barrier_legend": "famille de freins la plus citée (hors « Non concerné » et « Autres raisons »)",
        "carbon_legend": "empreinte moyenne estimée par personne, t CO2e/an",
        "no_estimate": "pas d'estimation pour cette zone",
        "diag_note": "Chiffres estimés d'après la répartition des profils de la zone et les réponses de chaque profil aux enquêtes Espace et Mode de Vie (EMdV) et Nos Gestes Climat (NGC) : ce ne sont pas les réponses des habitants de la zone.",
        "diag_heading": "Diagnostic (estimation par profils)",
        "diag_wish": "envie de changer",
        "diag_barrier": "frein principal",
        "diag_carbon": "Empreinte carbone estimée : {value}",
        "diag_tonnes": "{value} t CO2e/an",
        "diag_sources": "enquêtes Espace et Mode de Vie (EMdV) et Nos Gestes Climat (NGC) du diagnostic, estimation par profils ; ",
        "vote_layer": "Vote — sujet en tête",
        "vote_legend": "sujet en tête des bulletins de la zone (premier choix ; vote alternatif pour des bulletins classés)",
        "vote_heading": "Vote",
        "vote_hidden": "masqué (secret statistique, seuil {n} bulletins)",
        "vote_none": "pas de bulletin",
        "vote_tie": "ex aequo statistique",
        "vote_sources": "vote citoyen du forum ; ",
    },
    "en": {
        "dominant": "Dominant profile",
        "share": "Share of profile {p} — {name}",
        "footprint": "Mean footprint — {usage}",
        "ptal": "Public transport access (PTAL)",
        "bivariate": "Profile {name} × transit access",
        "stops": "Transit stops and lines",
        "suppressed": SUPPRESSED_LABEL["en"],
        "none": "no clearly dominant profile",
        "respondents": "{n} answers",
        "mix": "Profile mix",
        "hidden": "hidden",
        "fp_line": "Footprint of the five usages: {value} t CO2e/yr (study: {study} t; French NGC average: {ngc} t)",
        "ptal_line": "Transit access: band {band} (index {ai})",
        "legend": "Legend",
        "sources": "Sources: Sphères d'Usages survey (Quartiers en Transitions); Nos Gestes Climat {ngc} footprints (ADEME); {extra}map by qet-geo, {date}. " + SUPPRESSED_NOTE["en"],
        "title": "Usage profiles of the neighbourhood",
        "usages": {"total": "five usages", "alimentation": "food", "avion": "air travel",
                   "mobilite": "mobility", "achats": "purchases", "numerique": "digital"},
        "low_high": ("low", "high"),
        "share_axis": "share of the profile",
        "access_axis": "transit access",
        "boards": {"profiles": "Usage profiles", "footprints": "Footprint of the usages",
                   "transit": "Transit", "wishes": "Willingness to change",
                   "dissatisfaction": "Dissatisfaction", "barriers": "Barriers",
                   "carbon": "Carbon footprint (Nos Gestes Climat)", "vote": "Citizen vote",
                   "forum": "Forum subjects: room for manoeuvre"},
        "subject_layer": "Potential — {title}, kg CO2e/yr per resident",
        "subject_legend": "reduction potential per resident aged 15+: a potential, not a forecast",
        "structural_layer": "Public action — {title}: potential unlocked, t CO2e/yr",
        "structural_legend": "where many residents have no choice and the measured constraint is poor: a potential, not a forecast",
        "estimated": "{title} (estimated from the profiles)",
        "wish_layer": "Willingness to change — {lever}",
        "dissatisfaction_layer": "Dissatisfaction — {theme}: mean share of negative answers",
        "barrier_layer": "Main barrier — {lever}",
        "carbon_layer": "Carbon footprint — {node}, t CO2e/yr",
        "levers": {"car": "sustainable mobility", "meat": "more plant-based food",
                   "local_food": "local and seasonal food",
                   "second_hand": "second hand and repair"},
        "themes": {"housing": "housing", "parks_life": "parks and neighbourhood life",
                   "mobility": "mobility", "food": "food", "services": "services",
                   "politics": "local life and participation"},
        "nodes": {"bilan": "total", "transport": "transport", "alimentation": "food",
                  "logement": "housing", "divers": "goods", "services_societaux": "public and market services"},
        "wish_legend": "share who would like to change (\"would like to but cannot\" + \"would like to and plans to\")",
        "dissatisfaction_legend": "mean share of negative answers (\"no\") over the theme's questions",
        "barrier_legend": "most cited family of barriers (\"Non concerné\" and \"Autres raisons\" aside)",
        "carbon_legend": "estimated mean footprint per person, t CO2e/yr",
        "no_estimate": "no estimate for this area",
        "diag_note": "Figures estimated from the area's mix of profiles and each profile's answers to the Espace et Mode de Vie (EMdV) and Nos Gestes Climat (NGC) surveys: they are not the answers of the area's residents.",
        "diag_heading": "Diagnostic (estimated from the profiles)",
        "diag_wish": "would like to change",
        "diag_barrier": "main barrier",
        "diag_carbon": "Estimated carbon footprint: {value}",
        "diag_tonnes": "{value} t CO2e/yr",
        "diag_sources": "the diagnostic's Espace et Mode de Vie (EMdV) and Nos Gestes Climat (NGC) surveys, estimated from the profiles; ",
        "vote_layer": "Vote — leading subject",
        "vote_legend": "subject ahead on the area's ballots (first choice; instant run-off for ranked ballots)",
        "vote_heading": "Vote",
        "vote_hidden": "hidden (statistical secrecy, threshold {n} ballots)",
        "vote_none": "no ballot",
        "vote_tie": "statistical tie",
        "vote_sources": "the forum's citizen vote; ",
    },
}  # fmt: skip


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


#: characters that may not stand as they are in a JSON text inside a <script> element: "<"
#: would let "</script>" or "<!--" end or change the element, "&" and ">" are escaped with
#: it, U+2028 and U+2029 are line ends for older JavaScript engines
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                   "\u2028": "\\u2028", "\u2029": "\\u2029"}  # fmt: skip
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def script_json(value) -> str:
    """``value`` as JSON that can be written raw inside a ``<script>`` element (a JSON text
    already made is given as ``str``): the same data once parsed, never markup. JSON holds
    these characters only inside strings, where the escape means the character itself."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_ESCAPES[m.group(0)], text)


def profile_table(profiles: pd.DataFrame, source: str) -> tuple[dict, dict]:
    """({profile: colour}, {profile: name}) of the ``profiles`` table of an area map, in
    profile order. The colours are checked ("#RRGGBB", anything else refused): a colour is
    written into styles and attributes of the published pages and posters."""
    colours, names = {}, {}
    for row, entry in enumerate(profiles.itertuples(index=False), start=1):
        colour = _text(entry.colour).strip()
        if not COLOUR.fullmatch(colour):
            raise InputError(Problem.of(str(source), "not a colour", row=row, column="colour",
                                        value=_text(entry.colour), expected='a colour "#RRGGBB"'))  # fmt: skip
        try:
            profile = int(entry.profile)
        except (TypeError, ValueError):
            raise InputError(Problem.of(str(source), "not a profile number", row=row, column="profile",
                                        value=_text(entry.profile))) from None  # fmt: skip
        colours[profile] = colour.upper()
        names[profile] = _text(entry.name)
    order = sorted(colours)
    return {p: colours[p] for p in order}, {p: names[p] for p in order}


def _raw_element(text: str):
    """A folium element that writes ``text`` as it is. ``folium.Element(text)`` would read
    ``text`` as a Jinja template and run what it finds between braces: no text made from
    data may go there."""
    from branca.element import Element

    class Raw(Element):
        def render(self, **kwargs) -> str:
            return text

    return Raw()


def _num(value, digits=1) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "—"
    return f"{float(value):.{digits}f}"


@dataclass
class WebMapInputs:
    """What the map shows, read from the outputs of the earlier steps."""

    areas: object  # GeoDataFrame of area indicators (any CRS)
    profiles: pd.DataFrame  # profile, name, colour
    summary: AreaSummary  # the study's figures (min_cell, study_fp, ngc_average…)
    ptal: object | None = None  # GeoDataFrame of PTAL per area (area_id, ai_mean, band_of_mean)
    bivariate: object | None = None  # GeoDataFrame of compare_areas
    stops: pd.DataFrame | None = None  # stop_name, lat, lon
    lines: list = field(default_factory=list)  # [(name, colour, [(lat, lon)…])]
    background: list = field(default_factory=list)  # [(name, GeoDataFrame)] plain layers
    source: str = "profiles"  # the file the profiles were read from (named in errors)
    diagnostic: DiagnosticThemes | None = None  # the diagnostic's estimates per area
    votes: VoteThemes | None = None  # the forum's vote per area

    def __post_init__(self):
        self.summary = AreaSummary.of(self.summary)  # a mapping given by a caller


@dataclass
class DiagnosticThemes:
    """A published diagnostic's figures per area (its ``area_estimates``, "estimation par
    profils") and the questions they answer, in the order the map shows them."""

    estimates: dict  # area id → {column: value (NaN: hidden)}
    wishes: list  # [(question key, lever, label)]
    themes: list  # [(theme, [satisfaction item keys])]
    barriers: list  # [(question key, lever, label, [families])]
    carbon: list  # [(node key, label)]: the total, then the sectors (level 1)
    families: list  # every barrier family, those set aside last
    source: str = "diagnostic"
    subjects: list = field(default_factory=list)  # [(key, title)]: the forum's, ranked

    def value(self, area_id, column) -> float:
        row = self.estimates.get(str(area_id))
        return np.nan if row is None else _float(row.get(column))

    def wish(self, area_id, key) -> float:
        """The share who would like to change (NaN if either share is hidden)."""
        return sum(self.value(area_id, f"{key}__{code}") for code in WANT_CODES)

    def dissatisfaction(self, area_id, items) -> float:
        """The mean over the theme's items of the share of "NO" (NaN if any is hidden)."""
        return float(np.mean([self.value(area_id, f"{key}__NO") for key in items]))

    def main_barrier(self, area_id, key, families) -> str | None:
        """The most cited family of the area (None: hidden). "Non concerné" and "Autres
        raisons" only when no other family is cited; a hidden value among those compared
        hides the answer (it could be the largest)."""
        values = {f: self.value(area_id, f"{key}__{slug(f)}") for f in families}
        for group in ([f for f in families if f not in SET_ASIDE],
                      [f for f in families if f in SET_ASIDE]):  # fmt: skip
            if not group:
                continue
            if any(not np.isfinite(values[f]) for f in group):
                return None
            best = max(group, key=lambda f: values[f])  # the first of equals
            if values[best] > 0:
                return best
        return None


@dataclass
class VoteThemes:
    """The forum's vote per area (``qet-geo forum votes --areas``: ``vote_areas.gpkg``):
    each area's leading subject and its share (None where the area is hidden)."""

    areas: dict  # area id → (leader key or None when hidden, its share)
    subjects: list  # [(key, title)] of the subjects ahead somewhere, in the vote's order
    min_cell: int
    source: str = "votes"
    keys: list = field(default_factory=list)  # every subject of the vote: the colours' order


#: What ``--votes`` expects.
VOTES_FILE = "the vote per area (qet-geo forum votes --areas … -o FOLDER: vote_areas.gpkg)"


def read_votes(source) -> VoteThemes:
    """The vote per area: its GeoPackage (layer ``vote_areas``), its table already read, or
    the :class:`~qet_geo.forum.votes.VoteResult` counted with an area map."""
    if hasattr(source, "area_summary") and hasattr(source, "ballots"):
        from ..forum.votes import vote_map

        where, table = source.source, vote_map(source, source.area_map)
        min_cell = source.min_cell
    elif isinstance(source, pd.DataFrame):
        where, table = "votes", source
        thresholds = pd.to_numeric(table.get("min_cell", pd.Series(dtype=float)), errors="coerce")
        min_cell = int(thresholds.max()) if thresholds.notna().any() else 11
    else:
        where = str(source)
        _check_layer(where, "vote_areas", VOTES_FILE)
        table = read_frame(where, "vote_areas")
        thresholds = pd.to_numeric(table.get("min_cell", pd.Series(dtype=float)), errors="coerce")
        min_cell = int(thresholds.max()) if thresholds.notna().any() else 11
    for column in ("area_id", "hidden", "leader", "leader_share"):
        if column not in table.columns:
            raise InputError(Problem.of(f"{where} [vote_areas]", Message("no column {column!r}", column=column),
                                        expected=VOTES_FILE))  # fmt: skip
    keys = [c[len("share__") :] for c in table.columns if str(c).startswith("share__")]
    titles: dict = {}
    areas = {}
    for record in table.drop(columns=["geometry"], errors="ignore").to_dict("records"):
        hidden = str(record["hidden"]).strip().lower() in ("1", "true", "yes")
        leader = _text(record["leader"])
        if hidden or not leader:
            areas[_text(record["area_id"])] = (None, None)
            continue
        titles.setdefault(leader, _text(record.get("leader_title")) or leader)
        areas[_text(record["area_id"])] = (leader, _value(record["leader_share"]))
    order = [k for k in keys if k in titles] + [k for k in titles if k not in keys]
    return VoteThemes(areas, [(k, titles[k]) for k in order], min_cell, where, keys or order)


def _float(value) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return np.nan
    return value if np.isfinite(value) else np.nan


def read_diagnostic(source) -> DiagnosticThemes:
    """The themes of a published diagnostic: its GeoPackage (``qet-geo diagnostic
    summarize --areas``: the ``area_estimates`` layer and the ``satisfaction``, ``wishes``,
    ``barriers``, ``carbon`` tables for the labels), or the
    :class:`~qet_geo.diagnostic.job.DiagnosticRun` of a run with areas."""
    if hasattr(source, "area_estimates") and hasattr(source, "diagnostic"):
        where = "diagnostic"
        if source.area_estimates is None:
            raise InputError(Problem.of(where, "no area estimates in the diagnostic",
                                        expected=DIAGNOSTIC_FILE))  # fmt: skip
        estimates = pd.DataFrame(source.area_estimates)
        tables = {name: getattr(source.diagnostic, name) for name in DIAGNOSTIC_TABLES}
        forum = (getattr(source, "subjects", None), getattr(source, "subject_areas", None))
    else:
        where = str(source)
        _check_layer(where, "area_estimates", DIAGNOSTIC_FILE)
        layers = {name for name, _ in layer_names(where)}
        if not layers & set(DIAGNOSTIC_TABLES):
            raise InputError(Problem.of(where, "not a diagnostic: none of its tables",
                                        value=", ".join(DIAGNOSTIC_TABLES), expected=DIAGNOSTIC_FILE))  # fmt: skip
        estimates = read_frame(where, "area_estimates")
        tables = {name: read_frame(where, name) if name in layers else pd.DataFrame()
                  for name in DIAGNOSTIC_TABLES}  # fmt: skip
        forum = tuple(read_frame(where, name) if name in layers else None
                      for name in ("forum_subjects", "area_potentials"))  # fmt: skip
    for column in ("area_id", "method"):
        if column not in estimates.columns:
            raise InputError(Problem.of(f"{where} [area_estimates]",
                                        Message("no column {column!r}", column=column),
                                        expected=DIAGNOSTIC_FILE))  # fmt: skip
    method = {_text(m) for m in estimates["method"]} - {""}
    if method - {METHOD}:
        raise InputError(Problem.of(f"{where} [area_estimates]", "not area estimates by profile",
                                    column="method", value=", ".join(sorted(method - {METHOD})),
                                    expected=METHOD))  # fmt: skip
    for name, columns in DIAGNOSTIC_TABLES.items():
        table = tables[name] if tables[name] is not None else pd.DataFrame()
        missing = [c for c in columns if c not in table.columns]
        if len(table) and missing:
            raise InputError(Problem.of(f"{where} [{name}]", Message("no column {column!r}", column=missing[0]),
                                        expected=DIAGNOSTIC_FILE))  # fmt: skip
        tables[name] = table if len(table) and not missing else pd.DataFrame(columns=list(columns))
    columns = set(estimates.columns)
    rows = {}
    for record in estimates.drop(columns=["geometry"], errors="ignore").to_dict("records"):
        rows[_text(record["area_id"])] = record
    subjects = []
    if forum[0] is not None and forum[1] is not None and len(forum[0]):
        ranked = pd.DataFrame(forum[0]).sort_values("rank", kind="stable")
        subjects = [
            (_text(k), _text(title))
            for k, title in zip(ranked["key"], ranked["title"], strict=True)
        ]
        for record in (
            pd.DataFrame(forum[1]).drop(columns=["geometry"], errors="ignore").to_dict("records")
        ):
            mine = rows.get(_text(record["area_id"]))
            if mine is not None:  # the subjects' potentials beside the area's estimates
                mine.update({k: v for k, v in record.items() if "__" in str(k)})

    def first(table, by):  # one row per question, in the file's order
        return table.drop_duplicates(by).astype({c: str for c in by}).to_dict("records")

    def ordered(items, order, at):
        rank = {name: i for i, name in enumerate(order)}
        return sorted(items, key=lambda item: rank.get(item[at], len(rank)))  # stable

    wishes = [(r["key"], _text(r["theme"]), _text(r["label"])) for r in first(tables["wishes"], ["key"])
              if all(f"{r['key']}__{code}" in columns for code in WANT_CODES)]  # fmt: skip
    themes: dict = {}
    for r in first(tables["satisfaction"], ["key"]):
        if f"{r['key']}__NO" in columns:
            themes.setdefault(_text(r["theme"]), []).append(r["key"])
    barriers, families = [], []
    family_rows = tables["barriers"][tables["barriers"]["level"].astype(str) == "family"]
    for r in first(family_rows, ["key"]):
        mine = family_rows[family_rows["key"].astype(str) == r["key"]]
        names = list(dict.fromkeys(_text(f) for f in mine["family"]))
        barriers.append((r["key"], _text(r["lever"]), _text(r["label"]), names))
        families += [f for f in names if f not in families]
    families = [f for f in families if f not in SET_ASIDE] + [f for f in families if f in SET_ASIDE]
    carbon = tables["carbon"]
    level = pd.to_numeric(carbon["level"], errors="coerce")
    nodes = [(r["key"], _text(r["label"])) for r in first(carbon[level == 0], ["key"])]
    nodes += [(r["key"], _text(r["label"])) for r in first(carbon[level == 1], ["key"])]
    return DiagnosticThemes(
        estimates=rows,
        wishes=ordered(wishes, LEVERS, 1),
        themes=ordered(list(themes.items()), THEMES, 0),
        barriers=ordered(barriers, LEVERS, 1),
        carbon=[(key, label) for key, label in nodes if f"carbon__{slug(key)}" in columns],
        families=families,
        source=where,
        subjects=subjects,
    )


def _layer_of(source, layer: str, attribute: str, what: str) -> pd.DataFrame:
    """The per-area layer of a step's result: the object's ``attribute`` table in its CRS
    (:func:`qet_geo.geo.with_crs`), the table itself (a GeoDataFrame, or a plain frame with
    ``attrs["crs"]``: :func:`qet_geo.geo.crs_of`), or ``layer`` of its GeoPackage."""
    if isinstance(source, pd.DataFrame):
        return with_crs(source.reset_index(drop=True), crs_of(source, layer))
    if hasattr(source, attribute) and hasattr(source, "crs"):
        frame = getattr(source, attribute).reset_index(drop=True)
        return with_crs(frame, crs_of(source, layer))
    _check_layer(source, layer, what)
    return read_frame(source, layer)


def read_inputs(
    area_map,
    ptal=None,
    compare=None,
    gtfs=None,
    background=(),
    respondents=None,
    diagnostic=None,
    votes=None,
) -> WebMapInputs:
    """What the web map shows, from the outputs of the earlier steps.

    ``area_map``: an :class:`~qet_geo.areas.AreaMap` or the GeoPackage written from it;
    ``ptal``: a :class:`~qet_geo.transit.TransitAccess` or its GeoPackage; ``compare``: a
    :class:`~qet_geo.constraints.Comparison` or its GeoPackage (either also as its
    per-area layer already read); ``gtfs``: a GTFS feed for stops and lines;
    ``background``: plain layers "PATH[:LAYER]", or (name, frame) of layers already read
    (never one of respondents or derived from them,
    :func:`qet_geo.privacy.check_not_respondents`); ``diagnostic``: a published diagnostic
    GeoPackage with its area estimates, or the run that made it (:func:`read_diagnostic`):
    its themes joined to the map's areas by ``area_id``; ``votes``: the forum's vote per
    area (``vote_areas.gpkg`` of ``qet-geo forum votes --areas``, or the
    :class:`~qet_geo.forum.votes.VoteResult`, :func:`read_votes`): its "Vote" theme."""
    areas, profiles, summary = read_area_map(area_map)
    inputs = WebMapInputs(areas, profiles, summary,
                          source="profiles" if isinstance(area_map, AreaMap) else str(area_map))  # fmt: skip
    profile_table(inputs.profiles, inputs.source)  # a bad colour refused before any work
    if not _blank(ptal):  # a path, the step's result or its layer
        inputs.ptal = _layer_of(ptal, "ptal_areas", "areas",
                                "a transit access GeoPackage (qet-geo transit ptal)")  # fmt: skip
    if not _blank(compare):
        inputs.bivariate = _layer_of(compare, "compare_areas", "areas",
                                     "a comparison GeoPackage (qet-geo compare)")  # fmt: skip
    if gtfs:
        inputs.stops, inputs.lines = transit_geometry(gtfs)
    if not _blank(diagnostic):
        inputs.diagnostic = read_diagnostic(diagnostic)
    if not _blank(votes):
        inputs.votes = read_votes(votes)
    for spec in background:
        if isinstance(spec, tuple):  # (name, frame): a layer already read
            name, frame = spec
            check_not_respondents(frame, "background", name=name, respondents=respondents)
            inputs.background.append((name, frame))
            continue
        path, layer = split_layer(spec)
        if layer:
            _check_layer(path, layer, "a layer of the file")
        frame = read_frame(path, layer)
        check_not_respondents(frame, "background", path=path, layer=layer, respondents=respondents)
        inputs.background.append((layer or Path(path).stem, frame))
    return inputs


def _blank(source) -> bool:
    """No layer given: None or an empty path."""
    return source is None or (isinstance(source, str) and not source)


def _check_layer(path, layer: str, what: str) -> None:
    if not Path(path).exists():
        raise InputError(Problem.of(str(path), "file not found", expected=what))
    try:
        layers = [name for name, _ in layer_names(path)]
    except Exception as exc:  # noqa: BLE001 - any unreadable file
        raise InputError(
            Problem.of(str(path), Message("not a readable layer: {error}", error=str(exc)))
        ) from exc
    if layer not in layers:
        raise InputError(Problem.of(str(path), "no such layer in the file", value=layer,
                                    expected=Message("{what}: {layers}", what=Message(what),
                                                     layers=", ".join(layers))))  # fmt: skip


def _simplified_wgs84(frame, tolerance):
    """Polygons simplified as a coverage (no gap between neighbours), in WGS 84, with
    coordinates rounded to 6 decimals (10 cm)."""
    crs = crs_of(frame, "areas")
    geometry = np.asarray(frame["geometry"].to_numpy(), dtype=object)
    if tolerance and tolerance > 0 and crs is not None and not backend().is_geographic(crs):
        geometry = backend().simplify_coverage(geometry, tolerance)
    out = pd.DataFrame(frame.drop(columns=["geometry"])).reset_index(drop=True)
    out["geometry"] = list(geometry)
    wgs84 = to_wgs84(with_crs(out, crs), "areas")
    out["geometry"] = list(
        shapely.transform(wgs84, lambda xy: np.round(xy, 6)) if len(wgs84) else wgs84
    )
    return with_crs(out, "EPSG:4326")


def _svg_bar(shares: list, colours: list, hidden_label: str) -> str:
    """A stacked horizontal bar of the profile shares (hidden shares as hatched grey)."""
    width, height = 220, 14
    x = 0.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">'
    ]
    known = sum(s for s in shares if s is not None)
    hidden = max(0.0, 1.0 - known) if any(s is None for s in shares) else 0.0
    for share, colour in zip(shares, colours, strict=True):
        if share is None or share <= 0:
            continue
        w = share * width
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{_e(colour)}"/>'
        )
        x += w
    if hidden > 0:
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{hidden * width:.1f}" height="{height}" fill="url(#qg-hatch)">'
            f"<title>{_e(hidden_label)}</title></rect>"
        )
    parts.append("</svg>")
    return "".join(parts)


def build_webmap(
    inputs,
    *,
    title: str | None = None,
    language: str = "fr",
    offline: bool = False,
    tiles: bool = True,
    simplify: float = 5.0,
    date: dt.date | None = None,
) -> str:
    """The HTML page of the map.

    The areas are embedded once, as GeoJSON with compact properties; each thematic layer
    is a Leaflet layer built from them with its own style (one shown at a time), and the
    popups are built in the page from the numbers, every text escaped. ``inputs``: a
    :class:`WebMapInputs`, or an :class:`~qet_geo.areas.AreaMap` (or its GeoPackage) alone
    (see :func:`webmap` for the transit and comparison layers too)."""
    if not isinstance(inputs, WebMapInputs):
        inputs = read_inputs(inputs)

    with warnings.catch_warnings():  # a system requests older than its urllib3 complains
        warnings.filterwarnings("ignore", message=r"urllib3 .* doesn't match a supported version")
        import folium

    t = TEXT["en" if language == "en" else "fr"]
    n_min = inputs.summary.min_cell
    date = date or dt.date.today()
    areas = _simplified_wgs84(inputs.areas, simplify)
    colours, names = profile_table(inputs.profiles, inputs.source)
    study_fp = inputs.summary.study_fp.get("total")
    ngc_fp = (inputs.summary.ngc_average or {}).get("total")
    ptal = {}
    if inputs.ptal is not None:
        ptal = {str(r.area_id): (r.band_of_mean, r.ai_mean) for r in inputs.ptal.itertuples()}
    bivariate = {}
    bivariate_name = None
    if inputs.bivariate is not None and "bivariate_class" in inputs.bivariate:
        bivariate = {str(r.area_id): r.bivariate_class for r in inputs.bivariate.itertuples()}
        focus = [c for c in inputs.bivariate.columns if c.startswith("share_profile_")]
        focus_p = int(focus[0].rsplit("_", 1)[1]) if focus else None
        bivariate_name = t["bivariate"].format(name=names.get(focus_p, focus_p))
    usages = [u for u in ("total", "alimentation", "avion", "mobilite", "achats", "numerique")
              if f"fp_{u}" in areas.columns]  # fmt: skip
    diag = _diagnostic_layers(inputs.diagnostic, [str(a) for a in areas["area_id"]], t, language)
    vote = _vote_layer(inputs.votes, t)
    features = []
    geometries = shapely.to_geojson(np.asarray(areas["geometry"].to_numpy(), dtype=object)).tolist()
    for row, geometry in zip(areas.itertuples(index=False), geometries, strict=True):
        suppressed = bool(row.suppressed)
        props = {"id": str(row.area_id), "name": str(row.area_name), "sup": suppressed}
        if not suppressed:
            props["n"] = int(row.n)
            dom = getattr(row, "dominant_profile", None)
            props["dom"] = None if dom is None or pd.isna(dom) else int(dom)
            props["s"] = [_round(_value(getattr(row, f"share_{p}", None)), 4) for p in colours]
            props["fp"] = [_round(_value(getattr(row, f"fp_{u}", None)), 1) for u in usages]
        band = ptal.get(str(row.area_id))
        if band is not None:
            props["band"] = None if band[0] is None else str(band[0])
            props["ai"] = _round(_value(band[1]), 2)
        if bivariate:
            cls = bivariate.get(str(row.area_id))
            props["biv"] = (
                None if cls is None or (isinstance(cls, float) and np.isnan(cls)) else str(cls)
            )
        if diag and str(row.area_id) in diag["values"]:
            props["dg"] = diag["values"][str(row.area_id)]
        if vote and str(row.area_id) in vote["values"]:
            props["vt"] = vote["values"][str(row.area_id)]
        features.append(
            f'{{"type":"Feature","properties":{json.dumps(props, ensure_ascii=False)},"geometry":{geometry}}}'
        )
    data = script_json('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}")
    # thematic layers: (title, style spec) — titles escaped here, data text escaped in JS
    boards = ["profiles"]
    layers = [[_e(t["dominant"]), {"kind": "dominant"}, 0]]
    for i, p in enumerate(colours):
        layers.append(
            [
                _e(t["share"].format(p=p, name=names[p])),
                {"kind": "share", "index": i, "colour": colours[p]},
                0,
            ]
        )
    footprint_classes = {}
    for i, usage in enumerate(usages):
        values = pd.to_numeric(areas[f"fp_{usage}"], errors="coerce")
        finite = values[np.isfinite(values)]
        if not len(finite):
            continue
        edges = np.unique(np.quantile(finite, np.linspace(0, 1, len(RAMP) + 1)))
        footprint_classes[usage] = edges
        if "footprints" not in boards:
            boards.append("footprints")
        layers.append([_e(t["footprint"].format(usage=t["usages"][usage])),
                       {"kind": "classes", "index": i, "edges": edges[1:-1].tolist(), "colours": list(RAMP)},
                       len(boards) - 1])  # fmt: skip
    if ptal or bivariate_name:
        boards.append("transit")
    if ptal:
        layers.append(
            [
                _e(t["ptal"]),
                {"kind": "category", "key": "band", "colours": PTAL_COLOURS, "measured": True},
                len(boards) - 1,
            ]
        )
    if bivariate_name:
        layers.append(
            [_e(bivariate_name), {"kind": "category", "key": "biv", "colours": BIVARIATE},
             len(boards) - 1]
        )  # fmt: skip
    diag_legends = []  # (index of the layer, legend HTML)
    for layer in diag["layers"] if diag else ():
        if layer["board"] not in boards:
            boards.append(layer["board"])
        diag_legends.append((len(layers), layer["legend"]))
        layers.append([_e(layer["title"]), layer["spec"], boards.index(layer["board"])])
    if vote:
        boards.append("vote")
        diag_legends.append((len(layers), vote["legend"]))
        layers.append([_e(t["vote_layer"]), vote["spec"], len(boards) - 1])
    config = {
        "layers": layers,
        "colours": list(colours.values()),
        "names": list(names.values()),
        "grey": GREY,
        "text": {
            k: t[k]
            for k in ("suppressed", "none", "respondents", "mix", "hidden", "fp_line", "ptal_line")
        },
        "n_min": n_min,
        "study_fp": study_fp,
        "ngc_fp": ngc_fp,
        "fp_total_index": usages.index("total") if "total" in usages else None,
        "decimal": "." if language == "en" else ",",
        "percent": "%" if language == "en" else "\u202f%",
        # the layer control's boards (titles set as text by the page): all open when few
        "boards": [
            {"title": t["boards"][b], "open": len(layers) <= OPEN_BOARDS or b == boards[0]}
            for b in boards
        ],  # fmt: skip
        "diag": diag["popup"] if diag else None,
        "vote": vote["popup"] if vote else None,
    }
    bounds = shapely.total_bounds(np.asarray(areas["geometry"].to_numpy(), dtype=object))
    m = _OfflineMap(
        location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2],
        tiles="OpenStreetMap" if tiles and not offline else None,
        control_scale=False,  # a metric scale is added with the layers
    )
    m.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    overlays = {}
    for name, frame in inputs.background:
        kinds = {g.geom_type for g in frame["geometry"] if g is not None and not pd.isna(g)}
        if any("Point" in kind for kind in kinds):
            raise InputError(Problem.of(name, "a point layer cannot be a background (it could show "
                                        "respondents' homes)", expected="lines or polygons"))  # fmt: skip
        plain = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": json.loads(g)}
            for g in shapely.to_geojson(to_wgs84(frame, name)[~pd.isna(frame["geometry"].to_numpy())])
        ]}  # fmt: skip
        gj = folium.GeoJson(plain, name=_e(name), control=False,
                            style_function=lambda _: {"color": "#888888", "weight": 1, "fillColor": "#DDDDDD",
                                                      "fillOpacity": 0.3})  # fmt: skip
        gj.add_to(m)
        overlays[_e(name)] = gj.get_name()
    if inputs.stops is not None:
        # drawn by the page's script from data (names set as text there)
        config["transit"] = {
            "title": _e(t["stops"]),
            "lines": [[str(name), colour if COLOUR.fullmatch(str(colour)) else "#333333",
                       [[round(float(a), 6), round(float(b), 6)] for a, b in coords]]
                      for name, colour, coords in inputs.lines if len(coords) > 1],
            "stops": [[_text(stop.stop_name), round(float(stop.stop_lat), 6), round(float(stop.stop_lon), 6)]
                      for stop in inputs.stops.itertuples(index=False)],
        }  # fmt: skip
    m.add_child(_AreaLayers(data, config, overlays))
    page_title = title or t["title"]
    extra = ""
    if ptal or inputs.stops is not None:
        extra += "GTFS ; " if language != "en" else "GTFS; "
    if inputs.summary.census:
        year = inputs.summary.census_year or ""
        extra += f"INSEE RP {year} ; " if language != "en" else f"INSEE census {year}; "
    if diag:
        extra += t["diag_sources"]
    if vote:
        extra += t["vote_sources"]
    sources = t["sources"].format(
        ngc="4.10.2",
        extra=extra,
        date=date.isoformat() if language == "en" else date.strftime("%d/%m/%Y"),
        n=n_min,
    )
    legend = _legend_html(t, colours, names, n_min, footprint_classes, bool(ptal), bivariate_name,
                          diag_legends)  # fmt: skip
    chrome = f"""
<svg width="0" height="0" style="position:absolute"><defs>
<pattern id="qg-hatch" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">
<rect width="8" height="8" fill="{GREY}"/><line x1="0" y1="0" x2="0" y2="8" stroke="#666666" stroke-width="3"/>
</pattern></defs></svg>
<style>
.leaflet-interactive.qg-suppressed {{ fill: url(#qg-hatch); }}
.qg-box {{ position: absolute; z-index: 1000; background: rgba(255,255,255,0.92); padding: 6px 10px;
  border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 13px/1.35 system-ui, sans-serif; }}
.qg-title {{ top: 10px; left: 50px; max-width: 50%; }}
.qg-title h1 {{ font-size: 18px; margin: 0 0 2px 0; }}
.qg-sources {{ bottom: 36px; left: 10px; max-width: 50%; font-size: 11px; }}
.qg-legend {{ bottom: 18px; right: 10px; max-height: 55%; overflow: auto; max-width: 300px; }}
.qg-legend i {{ display: inline-block; width: 14px; height: 14px; margin-right: 5px; vertical-align: middle;
  border: 1px solid #555; }}
.qg-biv td {{ width: 16px; height: 16px; padding: 0; }}
.qg-dleg {{ margin-top: 4px; border-top: 1px solid #999; padding-top: 4px; }}
.qg-dnote {{ display: block; color: #333; margin-top: 3px; }}
.qg-dpop {{ margin-top: 4px; border-top: 1px solid #999; padding-top: 3px; }}
.qg-dtab {{ border-collapse: collapse; margin: 2px 0 3px 0; }}
.qg-dtab th {{ font-weight: normal; font-style: italic; text-align: left; padding: 0 6px 0 0; }}
.qg-dtab td {{ padding: 1px 6px 1px 0; vertical-align: top; border-top: 1px solid #DDDDDD; }}
.leaflet-control-layers {{ font: 14px/1.4 system-ui, sans-serif; }}
.leaflet-control-layers-expanded .leaflet-control-layers-list {{ max-height: 70vh; overflow-y: auto; }}
.qg-board summary {{ font-weight: 600; cursor: pointer; padding: 3px 0; }}
.qg-board label {{ padding-left: 10px; }}
</style>
<div class="qg-box qg-title"><h1>{_e(page_title)}</h1></div>
<div class="qg-box qg-sources">{_e(sources)}</div>
{legend}
"""
    m.get_root().html.add_child(_raw_element(chrome))
    m.get_root().header.add_child(_raw_element(f"<title>{_e(page_title)}</title>"))
    page = m.get_root().render()
    page = page.replace("<html>", f'<html lang="{"en" if language == "en" else "fr"}">', 1)
    if offline:
        page = _inline(page)
    return page


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _round(value, digits):
    return None if value is None else round(value, digits)


class _AreaLayers:
    """The areas' GeoJSON (once) and the JavaScript that builds a Leaflet layer per theme,
    the popups and the layer control."""

    def __new__(cls, data: str, config: dict, overlays: dict):
        from branca.element import MacroElement
        from jinja2 import Template

        class AreaLayers(MacroElement):
            _template = Template(
                r"""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var data = {{ this.data }};
  var cfg = {{ this.config }};
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; }); }
  function fmt(t, v) { return t.replace(/\{(\w+)\}/g, function (_, k) { return v[k]; }); }
  function num(x, d) { return (x == null || !isFinite(x)) ? "—" : Number(x).toFixed(d).replace(".", cfg.decimal); }
  function bar(s) {
    var w = 220, h = 14, x = 0, out = '<svg xmlns="http://www.w3.org/2000/svg" width="' + w + '" height="' + h + '">';
    var known = 0, hidden = false;
    s.forEach(function (v, i) { if (v == null) { hidden = true; return; } known += v;
      out += '<rect x="' + x.toFixed(1) + '" y="0" width="' + (v * w).toFixed(1) + '" height="' + h +
             '" fill="' + esc(cfg.colours[i]) + '"/>'; x += v * w; });
    if (hidden && known < 1) out += '<rect x="' + x.toFixed(1) + '" y="0" width="' + ((1 - known) * w).toFixed(1) +
             '" height="' + h + '" fill="url(#qg-hatch)"/>';
    return out + '</svg>';
  }
  function popup(p) {
    var lines = ['<b>' + esc(p.name) + '</b>'];
    if (p.sup) { lines.push(esc(fmt(cfg.text.suppressed, {n: cfg.n_min}))); }
    else {
      lines.push(esc(fmt(cfg.text.respondents, {n: p.n})));
      var mix = esc(cfg.text.mix) + '<br>' + bar(p.s);
      p.s.forEach(function (v, i) { mix += '<br><span style="color:' + esc(cfg.colours[i]) + '">■</span> ' +
        esc(cfg.names[i]) + ' : ' + (v == null ? esc(cfg.text.hidden) : Math.round(v * 100) + ' %'); });
      lines.push(mix);
      if (cfg.fp_total_index != null && p.fp && p.fp[cfg.fp_total_index] != null) {
        lines.push(esc(fmt(cfg.text.fp_line, {value: num(p.fp[cfg.fp_total_index] / 1000, 1),
          study: num(cfg.study_fp / 1000, 1), ngc: num(cfg.ngc_fp / 1000, 1)})));
      }
    }
    if (p.band != null) { lines.push(esc(fmt(cfg.text.ptal_line, {band: p.band, ai: num(p.ai, 1)}))); }
    if (cfg.diag) { lines.push(diagnostic(p.dg)); }
    if (cfg.vote) {  // the vote: the subject ahead and its share, or hidden
      var v = p.vt, said;
      if (!v) { said = esc(cfg.vote.none); }
      else if (v[0] == null) { said = esc(cfg.vote.hidden); }
      else { said = esc(cfg.vote.titles[v[0]]) + (v[1] == null ? '' : ' (' + pct(v[1]) + ')'); }
      lines.push('<div class="qg-dpop"><b>' + esc(cfg.vote.heading) + '</b> : ' + said + '</div>');
    }
    return lines.join('<br>');
  }
  function pct(v) { return Math.round(v * 100) + cfg.percent; }
  // the diagnostic's section: every value from the numbers, every name escaped
  function diagnostic(g) {
    var d = cfg.diag, out = '<div class="qg-dpop"><b>' + esc(d.text.diag_heading) + '</b>';
    function shown(group, i, show) {
      if (!g || i == null) { return "—"; }
      var v = g[group][i];
      return v == null ? esc(cfg.text.hidden) : show(v);
    }
    if (!g) { out += '<br><i>' + esc(d.text.no_estimate) + '</i>'; }
    if (d.levers.length) {  // one row per lever: who would like to change, what stops them
      out += '<table class="qg-dtab"><tr><th></th><th>' + esc(d.text.diag_wish) + '</th><th>' +
        esc(d.text.diag_barrier) + '</th></tr>';
      d.levers.forEach(function (lever) {
        out += '<tr><td>' + esc(lever.name) + '</td><td>' + shown("w", lever.w, pct) + '</td><td>' +
          shown("b", lever.b, function (f) { return esc(d.families[f]); }) + '</td></tr>';
      });
      out += '</table>';
    }
    if (d.total != null) {
      out += fmt(esc(d.text.diag_carbon), {value: shown("c", d.total, function (v) {
        return fmt(esc(d.text.diag_tonnes), {value: num(v / 1000, 1)}); })});
    }
    return out + '</div>';
  }
  function style(spec) {
    return function (f) {
      var p = f.properties, base = {color: "#444444", weight: 1, fillOpacity: 0.8};
      if (p.sup && !spec.measured) { return {fillColor: cfg.grey, color: "#555555", weight: 1, fillOpacity: 0.9,
                                              className: "qg-suppressed"}; }
      if (spec.kind === "dominant") { base.fillColor = p.dom ? cfg.colours[p.dom - 1] : "#FFFFFF"; base.fillOpacity = 0.75; }
      else if (spec.kind === "share") { var v = p.s ? p.s[spec.index] : null;
        base.fillColor = v == null ? "#FFFFFF" : spec.colour; base.fillOpacity = v == null ? 0.2 : 0.1 + 0.8 * v; }
      else if (spec.kind === "classes") { var x = p.fp ? p.fp[spec.index] : null;
        if (x == null) { base.fillColor = "#FFFFFF"; base.fillOpacity = 0.2; }
        else { var k = 0; while (k < spec.edges.length && x >= spec.edges[k]) { k++; }
               base.fillColor = spec.colours[Math.min(k, spec.colours.length - 1)]; } }
      else if (spec.kind === "diag") { var g = p.dg, y = g ? g[spec.group][spec.index] : null;
        if (!g) { base.fillColor = "#FFFFFF"; base.fillOpacity = 0.2; }
        else if (y == null) { return {fillColor: cfg.grey, color: "#555555", weight: 1, fillOpacity: 0.9,
                                      className: "qg-suppressed"}; }
        else if (spec.edges) { var j = 0; while (j < spec.edges.length && y >= spec.edges[j]) { j++; }
               base.fillColor = spec.colours[Math.min(j, spec.colours.length - 1)]; }
        else { base.fillColor = spec.colours[y] || "#FFFFFF"; } }
      else if (spec.kind === "vote") { var w = p.vt;
        if (!w) { base.fillColor = "#FFFFFF"; base.fillOpacity = 0.2; }
        else if (w[0] == null) { return {fillColor: cfg.grey, color: "#555555", weight: 1, fillOpacity: 0.9,
                                         className: "qg-suppressed"}; }
        else { base.fillColor = spec.colours[w[0]] || "#FFFFFF"; } }
      else if (spec.kind === "category") { var c = p[spec.key];
        base.fillColor = Object.prototype.hasOwnProperty.call(spec.colours, c) ? spec.colours[c] : "#FFFFFF"; }
      return base;
    };
  }
  var themes = [];
  cfg.layers.forEach(function (entry) {
    var layer = L.geoJSON(data, {style: style(entry[1]), onEachFeature: function (f, l) {
      l.bindPopup(popup(f.properties), {maxWidth: 340}); }});
    layer._qgBoard = entry[2]; themes.push(layer);
  });
  themes[0].addTo(map);
  // the layer control with the themes grouped by board: each board a <details> (a tap, a
  // click or Enter on its heading opens it), the themes radio buttons as Leaflet makes them
  var open = cfg.boards.map(function (b) { return b.open; });
  var Grouped = L.Control.Layers.extend({
    _update: function () { this._qgBoxes = {}; return L.Control.Layers.prototype._update.call(this); },
    _addItem: function (obj) {
      var label = L.Control.Layers.prototype._addItem.call(this, obj), board = obj.layer._qgBoard;
      if (obj.overlay || board == null) { return label; }
      var box = this._qgBoxes[board];
      if (!box) {
        box = this._qgBoxes[board] = L.DomUtil.create("details", "qg-board", this._baseLayersList);
        L.DomUtil.create("summary", "", box).textContent = cfg.boards[board].title;
        box.open = open[board];
        box.addEventListener("toggle", function () { open[board] = box.open; });
      }
      if (this._map && this._map.hasLayer(obj.layer)) { box.open = open[board] = true; }
      box.appendChild(label);
      return label;
    }
  });
  var control = new Grouped({}, {}, {collapsed: true});
  themes.forEach(function (layer, i) { control.addBaseLayer(layer, cfg.layers[i][0]); });
  // the legend of a diagnostic theme shows while its layer is shown
  map.on("baselayerchange", function (e) {
    var shown = themes.indexOf(e.layer), box = control._qgBoxes && control._qgBoxes[e.layer._qgBoard];
    if (box) { box.open = open[e.layer._qgBoard] = true; }
    document.querySelectorAll(".qg-dleg").forEach(function (el) {
      el.hidden = Number(el.getAttribute("data-layer")) !== shown; });
  });
  var overlays = {};
  {% for title, name in this.overlays.items() %}overlays[{{ title|tojson }}] = {{ name }};
  {% endfor %}
  if (cfg.transit) {  // names from the feed: escaped, shown as text
    var transit = L.featureGroup();
    cfg.transit.lines.forEach(function (line) {
      L.polyline(line[2], {color: line[1], weight: 3, opacity: 0.9}).bindTooltip(esc(line[0])).addTo(transit); });
    cfg.transit.stops.forEach(function (stop) {
      L.circleMarker([stop[1], stop[2]], {radius: 3, color: "#222222", fill: true, fillOpacity: 1})
        .bindTooltip(esc(stop[0])).addTo(transit); });
    overlays[cfg.transit.title] = transit;
  }
  // collapsed (a button at the top right, opened by a tap or the mouse): open, the list
  // of themes would hide half of a projected map
  Object.keys(overlays).forEach(function (name) { control.addOverlay(overlays[name], name); });
  control.addTo(map);
  L.control.scale({imperial: false}).addTo(map);
})();
{% endmacro %}
"""
            )

            def __init__(self):
                super().__init__()
                self._name = "AreaLayers"
                self.data = data
                self.config = script_json(config)
                self.overlays = overlays

            def render(self, **kwargs):
                # MacroElement.render would hand the script, data included, to
                # folium.Element: a second Jinja template, where a name "{{7*7}}" runs
                script = self._template.module.__dict__["script"](self, kwargs)
                self.get_root().script.add_child(_raw_element(str(script)), name=self.get_name())

        return AreaLayers()


def _value(value):
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


def _diagnostic_layers(diag: DiagnosticThemes | None, ids: list, t: dict, language: str):
    """The diagnostic's themes on the map's areas ``ids``: the values per area (hidden:
    None; an area the estimates lack has none), each layer's title, style and legend, and
    what the popups show. None without a diagnostic."""
    if diag is None:
        return None
    groups: dict = {"w": [], "s": [], "b": [], "c": [], "f": []}
    layers = []
    comma = language != "en"

    def number(value: float, digits: int) -> str:
        text = f"{value:.{digits}f}"
        return text.replace(".", ",") if comma else text

    def percent(value: float) -> str:
        return number(100 * value, 0) + ("%" if not comma else "\u202f%")

    def tonnes(value: float) -> str:
        return number(value / 1000, 1)

    def swatch(colour: str, text: str) -> str:
        return f'<i style="background:{_e(colour)}"></i>{_e(text)}<br>'

    def sequential(board, title, group, values, ramp, step, show, what):
        groups[group].append(values)
        finite = np.array([v for a, v in zip(ids, values, strict=True) if a in diag.estimates and v is not None],
                          dtype=float)  # fmt: skip
        edges = []
        if len(finite):
            raw = np.quantile(finite, np.linspace(0, 1, len(ramp) + 1))
            edges = sorted({round(float(np.round(e / step) * step), 6) for e in raw})
        rows = [swatch(ramp[i], f"{show(edges[i])} – {show(edges[i + 1])}")
                for i in range(len(edges) - 1)] or [swatch(ramp[0], show(e)) for e in edges]  # fmt: skip
        spec = {"kind": "diag", "group": group, "index": len(groups[group]) - 1,
                "edges": edges[1:-1], "colours": list(ramp), "measured": True}  # fmt: skip
        layers.append({"board": board, "title": title, "spec": spec,
                       "legend": _diag_legend(t, title, what, rows)})  # fmt: skip

    def lever_name(lever, label):
        return t["levers"].get(lever) or label or lever

    for key, lever, label in diag.wishes:
        title = t["estimated"].format(title=t["wish_layer"].format(lever=lever_name(lever, label)))
        values = [_round(_value(diag.wish(a, key)), 4) for a in ids]
        sequential("wishes", title, "w", values, WISH_RAMP, 0.01, percent, t["wish_legend"])
    for theme, items in diag.themes:
        name = t["themes"].get(theme) or theme
        title = t["estimated"].format(title=t["dissatisfaction_layer"].format(theme=name))
        values = [_round(_value(diag.dissatisfaction(a, items)), 4) for a in ids]
        sequential("dissatisfaction", title, "s", values, DISSATISFACTION_RAMP, 0.01, percent,
                   t["dissatisfaction_legend"])  # fmt: skip
    family_colours, k = [], 0
    for family in diag.families:
        if family in SET_ASIDE:
            family_colours.append(SET_ASIDE[family])
        else:
            family_colours.append(FAMILY_COLOURS[k % len(FAMILY_COLOURS)])
            k += 1
    for key, lever, label, families in diag.barriers:
        main = [diag.main_barrier(a, key, families) for a in ids]
        groups["b"].append([None if f is None else diag.families.index(f) for f in main])
        title = t["estimated"].format(
            title=t["barrier_layer"].format(lever=lever_name(lever, label))
        )
        rows = [swatch(family_colours[diag.families.index(f)], f) for f in families]
        spec = {"kind": "diag", "group": "b", "index": len(groups["b"]) - 1,
                "colours": family_colours, "measured": True}  # fmt: skip
        layers.append({"board": "barriers", "title": title, "spec": spec,
                       "legend": _diag_legend(t, title, t["barrier_legend"], rows)})  # fmt: skip
    total = None
    for key, label in diag.carbon:
        if key == "bilan":
            total = len(groups["c"])
        node = t["nodes"].get(slug(key)) or label or key
        title = t["estimated"].format(title=t["carbon_layer"].format(node=node))
        values = [_round(_value(diag.value(a, f"carbon__{slug(key)}")), 1) for a in ids]
        sequential("carbon", title, "c", values, RAMP, 100.0, tonnes, t["carbon_legend"])
    for key, title in diag.subjects:  # the forum's subjects: potential per resident
        values = [_round(_value(diag.value(a, f"{key}__per_resident_kg")), 1) for a in ids]
        sequential("forum", t["subject_layer"].format(title=title), "f", values, RAMP, 10.0,
                   lambda v: number(v, 0), t["subject_legend"])  # fmt: skip
        unlocked = [_round(_value(diag.value(a, f"{key}__structural_t")), 1) for a in ids]
        if any(v is not None and v > 0 for v in unlocked):  # where a public action would unlock it
            sequential("forum", t["structural_layer"].format(title=title), "f", unlocked,
                       STRUCTURAL_RAMP, 1.0, lambda v: number(v, 0), t["structural_legend"])  # fmt: skip
    values = {a: {g: [v[i] for v in groups[g]] for g in groups}
              for i, a in enumerate(ids) if a in diag.estimates}  # fmt: skip
    levers = list(dict.fromkeys([w[1] for w in diag.wishes] + [b[1] for b in diag.barriers]))
    levers.sort(key=lambda lv: LEVERS.index(lv) if lv in LEVERS else len(LEVERS))
    wish_at = {w[1]: (i, w[2]) for i, w in enumerate(diag.wishes)}
    barrier_at = {b[1]: (i, b[2]) for i, b in enumerate(diag.barriers)}
    popup = {
        "levers": [{"name": lever_name(lv, (wish_at.get(lv) or barrier_at.get(lv))[1]),
                    "w": wish_at[lv][0] if lv in wish_at else None,
                    "b": barrier_at[lv][0] if lv in barrier_at else None} for lv in levers],
        "total": total,
        "families": list(diag.families),
        "text": {k: t[k] for k in ("diag_heading", "diag_wish", "diag_barrier", "diag_carbon", "diag_tonnes", "no_estimate")},
    }  # fmt: skip
    return {"values": values, "layers": layers, "popup": popup}


def _vote_layer(votes: VoteThemes | None, t: dict):
    """The "Vote" theme: per area [the leading subject's position, its share] (hidden:
    [None, None]), the layer's style and legend, what the popups say. None without a vote."""
    if votes is None:
        return None
    from ..forum.votes import SUBJECT_COLOURS

    keys = [k for k, _ in votes.subjects]
    every = list(votes.keys) + [k for k in keys if k not in votes.keys]
    # the colours of the vote's chart (vote.png): by the subject's place in the vote
    colours = [SUBJECT_COLOURS[every.index(k) % len(SUBJECT_COLOURS)] for k in keys]
    values = {a: [None if k is None else keys.index(k), _round(s, 4)]
              for a, (k, s) in votes.areas.items()}  # fmt: skip
    hidden = t["vote_hidden"].format(n=votes.min_cell)
    rows = [f'<i style="background:{_e(c)}"></i>{_e(title)}<br>'
            for c, (_, title) in zip(colours, votes.subjects, strict=True)]  # fmt: skip
    hatch = ('<i><svg width="14" height="14"><rect width="14" height="14" fill="url(#qg-hatch)"/>'
             f"</svg></i>{_e(hidden)}<br>")  # fmt: skip
    legend = (f"<b>{_e(t['vote_layer'])}</b><br><small>{_e(t['vote_legend'])}</small><br>"
              f"{''.join(rows)}{hatch}"
              f'<i style="background:#FFFFFF;opacity:0.5"></i>{_e(t["vote_none"])}<br>')  # fmt: skip
    popup = {"heading": t["vote_heading"], "hidden": hidden, "none": t["vote_none"],
             "titles": [title for _, title in votes.subjects]}  # fmt: skip
    spec = {"kind": "vote", "colours": colours, "measured": True}
    return {"values": values, "spec": spec, "legend": legend, "popup": popup}


def _diag_legend(t, title: str, what: str, rows: list) -> str:
    """A diagnostic theme's legend: its title, what the colour is, the classes, the hidden
    and the areas without estimate, and where the figures come from."""
    hatch = ('<i><svg width="14" height="14"><rect width="14" height="14" fill="url(#qg-hatch)"/>'
             f"</svg></i>{_e(t['hidden'])}<br>")  # fmt: skip
    return (f"<b>{_e(title)}</b><br><small>{_e(what)}</small><br>{''.join(rows)}{hatch}"
            f'<i style="background:#FFFFFF;opacity:0.5"></i>{_e(t["no_estimate"])}<br>'
            f'<small class="qg-dnote">{_e(t["diag_note"])}</small>')  # fmt: skip


def _legend_html(t, colours, names, n_min, footprint_classes, has_ptal, bivariate_name,
                 diag_legends=()) -> str:  # fmt: skip
    parts = [
        f'<div class="qg-box qg-legend"><b>{_e(t["legend"])}</b><br><b>{_e(t["dominant"])}</b><br>'
    ]
    for p, colour in colours.items():
        parts.append(f'<i style="background:{_e(colour)}"></i>{p}. {_e(names[p])}<br>')
    parts.append(f'<i style="background:#FFFFFF"></i>{_e(t["none"])}<br>')
    parts.append(
        '<i><svg width="14" height="14"><rect width="14" height="14" fill="url(#qg-hatch)"/></svg></i>'
        f"{_e(t['suppressed'].format(n=n_min))}<br>"
    )
    if "total" in footprint_classes:
        edges = footprint_classes["total"]
        parts.append(
            f"<details><summary>{_e(t['footprint'].format(usage=t['usages']['total']))}</summary>"
        )
        for i in range(len(edges) - 1):
            parts.append(
                f'<i style="background:{RAMP[min(i, len(RAMP) - 1)]}"></i>'
                f"{edges[i] / 1000:.1f} – {edges[i + 1] / 1000:.1f} t<br>".replace(".", ",")
            )
        parts.append("</details>")
    if has_ptal:
        parts.append(f"<details><summary>{_e(t['ptal'])}</summary>")
        for band, colour in PTAL_COLOURS.items():
            parts.append(f'<i style="background:{colour}"></i>{band}<br>')
        parts.append("</details>")
    if bivariate_name:
        low, high = t["low_high"]
        rows = []
        for letter in "CBA":
            cells = "".join(f'<td style="background:{BIVARIATE[letter + d]}"></td>' for d in "123")
            rows.append(f"<tr>{cells}</tr>")
        parts.append(
            f'<details open><summary>{_e(bivariate_name)}</summary><table class="qg-biv">{"".join(rows)}</table>'
            f"<small>↑ {_e(t['share_axis'])} ({_e(low)} → {_e(high)}) · → {_e(t['access_axis'])}</small></details>"
        )
    # the legend of a diagnostic theme, shown while its layer is (the page's script)
    for index, block in diag_legends:
        parts.append(f'<div class="qg-dleg" data-layer="{int(index)}" hidden>{block}</div>')
    parts.append("</div>")
    return "".join(parts)


class _OfflineMap:
    """A folium Map that loads only Leaflet (no jQuery, Bootstrap or icon fonts)."""

    def __new__(cls, **kwargs):
        import folium

        class Map(folium.Map):
            default_js = [("leaflet", LEAFLET_CDN + "leaflet.js")]
            default_css = [("leaflet_css", LEAFLET_CDN + "leaflet.css")]

        return Map(**kwargs)


def _inline(page: str) -> str:
    """Leaflet's script and style inlined (the layer control's icons as data URIs): no
    request leaves the page."""
    script = (VENDOR / "leaflet.js").read_text(encoding="utf-8")
    script = re.sub(r"//# sourceMappingURL=.*$", "", script, flags=re.M)
    style = (VENDOR / "leaflet.css").read_text(encoding="utf-8")
    for image in ("layers.png", "layers-2x.png"):
        data = base64.b64encode((VENDOR / image).read_bytes()).decode("ascii")
        style = style.replace(f"images/{image}", f"data:image/png;base64,{data}")
    page = re.sub(
        r'<script src="' + re.escape(LEAFLET_CDN) + r'leaflet\.js"></script>',
        lambda _: "<script>" + script.replace("</script>", "<\\/script>") + "</script>",
        page,
    )
    page = re.sub(
        r'<link rel="stylesheet" href="' + re.escape(LEAFLET_CDN) + r'leaflet\.css"\s*/?>',
        lambda _: "<style>" + style + "</style>",
        page,
    )
    # a tag, not a text: data (an area named after the CDN) never stands as a tag
    if re.search(r"<(script|link)\b[^>]*\b(src|href)=[\"']?(https?:)?//", page):
        raise RuntimeError("the offline page still refers to a remote file")
    return page


def write_webmap(path, inputs: WebMapInputs, **options) -> Path:
    """Write the page (atomically)."""
    path = Path(path)
    text = build_webmap(inputs, **options)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return path


def webmap(
    area_map,
    path,
    *,
    transit=None,
    comparison=None,
    gtfs=None,
    background=(),
    respondents=None,
    diagnostic=None,
    votes=None,
    title: str | None = None,
    language: str = "fr",
    offline: bool = True,
    tiles: bool = False,
    date: dt.date | None = None,
) -> Path:
    """Write the forum's web map: one HTML page, offline by default.

    Parameters
    ----------
    area_map : AreaMap, str or pathlib.Path
        The indicators per area (:func:`qet_geo.map_areas`), or the GeoPackage
        :func:`qet_geo.write_area_map` wrote from them.
    path : str or pathlib.Path
        The page to write (atomically), e.g. ``carte.html``.
    transit : TransitAccess, str or pathlib.Path, optional
        Transit access (:func:`qet_geo.transit_access`) or its GeoPackage: a PTAL layer.
    comparison : Comparison, str or pathlib.Path, optional
        The comparison (:func:`qet_geo.compare`) or its GeoPackage: the bivariate layer.
    gtfs : str or pathlib.Path, optional
        A GTFS feed whose stops and lines are drawn.
    background : sequence of str
        Plain layers "PATH[:LAYER]" drawn under the areas (never respondents' homes).
    respondents : pandas.DataFrame, optional
        The respondents, so that a background layer on their homes is refused.
    diagnostic : str or pathlib.Path, optional
        A published diagnostic GeoPackage with its area estimates (``qet-geo diagnostic
        summarize --areas``), or its :class:`~qet_geo.diagnostic.job.DiagnosticRun`: the
        themes willingness to change, dissatisfaction, barriers and carbon footprint,
        estimated from each area's profile mix.
    votes : str or pathlib.Path, optional
        The forum's vote per area (``vote_areas.gpkg`` of ``qet-geo forum votes --areas``),
        or its :class:`~qet_geo.forum.votes.VoteResult`: the "Vote" theme, each area's
        leading subject and its share, hidden areas hatched.
    title, language, offline, tiles, date
        The page's title, its language ("fr" or "en"), everything inside the page
        (no Internet needed), an OpenStreetMap background (only when not offline), the
        date printed on it (default today).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    InputError
        A layer or GeoPackage that cannot be read, a bad colour or profile number, a point
        layer as background.

    References
    ----------
    [QeT-method]: the forum it serves; [Stevens-2015]: the bivariate palette;
    [TfL-PTAL-2015]: the PTAL bands; [GTFS-Schedule]: the stops and lines;
    [NGC-model]: the footprints, credited on the page. The page is ``docs/forum.md``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> qg.webmap(amap, "out/carte.html", transit=access, comparison=comparison)  # doctest: +SKIP
    PosixPath('out/carte.html')
    """
    check_argument(area_map, (AreaMap, str, os.PathLike), "webmap", "area_map", AREA_MAP_OR_FILE)
    inputs = read_inputs(area_map, ptal=transit, compare=comparison, gtfs=gtfs,
                         background=background, respondents=respondents, diagnostic=diagnostic,
                         votes=votes)  # fmt: skip
    return write_webmap(path, inputs, title=title, language=language, offline=offline,
                        tiles=tiles, date=date)  # fmt: skip
