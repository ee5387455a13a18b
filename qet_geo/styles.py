"""QGIS styles (QML) of every qet-geo map layer, written once and used everywhere.

Each output GeoPackage carries its layers' styles in QGIS's own ``layer_styles`` table
(:func:`add_styles`), where QGIS finds a layer's default style when it loads it; the QGIS
project the pipeline writes embeds the same styles (``qet_geo/export/project.py``) and the
plugin applies them to the layers it adds (``algorithms/layer_style.py``). A style is a
renderer (rule-based or categorized, never one random colour), the labels of the area
names and the fields' aliases, in French (default) or English:

- area indicators: the dominant profile in the profiles' colours; areas hidden by the
  disclosure control grey and hatched; areas without a clearly dominant profile pale
  dotted, visible on a white canvas; the total footprint as a second style;
- PTAL: the bands labelled with their meaning ("1a — très faible (IA 0,01–2,5)");
- the bivariate classes explained ("B3 — part du profil 2 moyenne, accès élevé");
- proximity: the distance to each service in walking classes (300 / 500 / 800 m).

No QGIS needed: the QML is written as text, every value from data escaped.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from .i18n import forum_language
from .io import xml_attr, xml_text
from .threshold import suppressed_label

#: the QGIS version the styles and projects declare when no QGIS is found (the LTR this
#: project targets; a lower version than the reader's makes QGIS show an "older" banner)
DEFAULT_QGIS_VERSION = "3.22.0"

GREY = "190,190,190,255"
HATCH = "110,110,110,255"
OUTLINE = "80,80,80,255"
#: areas without a clearly dominant profile: pale fill, grey dots (seen on a white canvas)
NONE_FILL, NONE_DOTS = "246,244,238,255", "140,140,140,255"

TEXT = {
    "fr": {
        "none": "aucun profil nettement dominant",
        "no_footprint": "sans empreinte",
        "no_value": "non mesuré",
        "class": "{low} – {high} t CO2e/an",
        "class_kg": "{low} – {high} kg CO2e/an",
        "decimal": ",",
        "ptal": {"0": "aucune desserte", "1a": "très faible", "1b": "très faible", "2": "faible",
                 "3": "moyen", "4": "bon", "5": "très bon", "6a": "excellent", "6b": "excellent"},
        "ai": "IA",
        "levels": ("faible", "moyenne", "élevée"),
        "access": ("accès faible", "accès moyen", "accès élevé"),
        "bivariate": "{code} — part du profil {profile} {share}, {access}",
        "no_class": "sans classe (masqué ou non mesuré)",
        "distance": ("moins de 300 m", "300 à 500 m", "500 à 800 m", "800 m ou plus"),
    },
    "en": {
        "none": "no clearly dominant profile",
        "no_footprint": "no footprint",
        "no_value": "not measured",
        "class": "{low} – {high} t CO2e/yr",
        "class_kg": "{low} – {high} kg CO2e/yr",
        "decimal": ".",
        "ptal": {"0": "no service", "1a": "very poor", "1b": "very poor", "2": "poor",
                 "3": "moderate", "4": "good", "5": "very good", "6a": "excellent", "6b": "excellent"},
        "ai": "AI",
        "levels": ("low", "medium", "high"),
        "access": ("low access", "medium access", "high access"),
        "bivariate": "{code} — share of profile {profile} {share}, {access}",
        "no_class": "no class (hidden or not measured)",
        "distance": ("under 300 m", "300 to 500 m", "500 to 800 m", "800 m or more"),
    },
}  # fmt: skip

#: PTAL bands (TfL) with their accessibility index ranges, worst first
PTAL_BANDS = (("0", None), ("1a", "0,01–2,5"), ("1b", "2,51–5"), ("2", "5,01–10"),
              ("3", "10,01–15"), ("4", "15,01–20"), ("5", "20,01–25"), ("6a", "25,01–40"),
              ("6b", "> 40"))  # fmt: skip
PTAL_COLOURS = {"0": "255,255,255,255", "1a": "8,81,156,255", "1b": "49,130,189,255",
                "2": "107,174,214,255", "3": "189,215,231,255", "4": "255,247,188,255",
                "5": "254,196,79,255", "6a": "240,59,32,255", "6b": "189,0,38,255"}  # fmt: skip
BIVARIATE = {"A1": "232,232,232,255", "A2": "172,228,228,255", "A3": "90,200,200,255",
             "B1": "223,176,214,255", "B2": "165,173,211,255", "B3": "86,152,185,255",
             "C1": "190,100,172,255", "C2": "140,98,170,255", "C3": "59,73,148,255"}  # fmt: skip
#: walking distance classes, near (dark) to far (pale)
DISTANCE_COLOURS = ("0,109,44,255", "65,171,93,255", "161,217,155,255", "237,248,233,255")
#: light to dark, colour-blind safe (ColorBrewer YlOrBr, 5 classes)
RAMP = ("#FFFFD4", "#FED98E", "#FE9929", "#D95F0E", "#993404")

USAGES = {
    "fr": {"alimentation": "alimentation", "avion": "avion", "mobilite": "mobilité quotidienne",
           "achats": "achats", "numerique": "numérique", "chauffage": "chauffage", "total": "totale"},
    "en": {"alimentation": "food", "avion": "air travel", "mobilite": "daily mobility",
           "achats": "purchases", "numerique": "digital", "chauffage": "heating", "total": "total"},
}  # fmt: skip

#: field aliases: (pattern, French, English); {0}, {1}… are the pattern's groups, {usage}
#: the usage's name, {service} the service's name, {profile} the profile's name
ALIASES = (
    (r"area_id", "Identifiant de la zone", "Area id"),
    (r"area_name", "Nom de la zone", "Area name"),
    (r"n", "Réponses", "Answers"),
    (r"n_eff", "Effectif efficace (pondéré)", "Effective sample size (weighted)"),
    (r"suppressed", "Masquée (secret statistique)", "Hidden (statistical secrecy)"),
    (r"suppression", "Raison du masquage", "Why hidden"),
    (r"dominant_profile", "Profil dominant (numéro)", "Dominant profile (number)"),
    (r"dominant_name", "Profil dominant", "Dominant profile"),
    (r"method", "Méthode", "Method"),
    (r"carbon__bilan", "Empreinte carbone totale estimée (kg CO2e/an)", "Estimated total carbon footprint (kg CO2e/yr)"),
    (r"carbon__(\w+)", "Empreinte estimée, {0} (kg CO2e/an)", "Estimated footprint, {0} (kg CO2e/yr)"),
    (r"share_(\d+)", "Part du profil {0}{profile}", "Share of profile {0}{profile}"),
    (r"share_(\d+)_low", "Part du profil {0}, borne basse (IC 95 %)", "Share of profile {0}, lower bound (95 % CI)"),
    (r"share_(\d+)_high", "Part du profil {0}, borne haute (IC 95 %)", "Share of profile {0}, upper bound (95 % CI)"),
    (r"share_(\d+)_sim_low", "Part du profil {0}, borne basse simultanée", "Share of profile {0}, simultaneous lower bound"),
    (r"share_(\d+)_sim_high", "Part du profil {0}, borne haute simultanée", "Share of profile {0}, simultaneous upper bound"),
    (r"index_(\d+)", "Indice de spécificité du profil {0}", "Specificity index of profile {0}"),
    (r"cell_(\d+)_suppression", "Masquage de la part du profil {0}", "Why the share of profile {0} is hidden"),
    (r"fp_([a-z]+)", "Empreinte {usage} (kg CO2e/an)", "Footprint, {usage} (kg CO2e/yr)"),
    (r"fp_([a-z]+)_low", "Empreinte {usage}, borne basse", "Footprint, {usage}, lower bound"),
    (r"fp_([a-z]+)_high", "Empreinte {usage}, borne haute", "Footprint, {usage}, upper bound"),
    (r"fp_total_vs_study_pct", "Empreinte totale : écart à l'étude (%)", "Total footprint against the study (%)"),
    (r"fp_total_vs_ngc_pct", "Empreinte totale : écart à la moyenne NGC (%)", "Total footprint against the NGC mean (%)"),
    (r"pop_15p", "Population de 15 ans ou plus (recensement)", "Population aged 15+ (census)"),
    (r"target_n_(\d+)pct", "Réponses visées pour une marge de {0} %", "Answers needed for a {0} % margin"),
    (r"margin_of_error", "Marge d'erreur (points)", "Margin of error (points)"),
    (r"grid_points", "Points de grille", "Grid points"),
    (r"ai_mean", "Indice d'accessibilité moyen (IA)", "Mean accessibility index (AI)"),
    (r"band_of_mean", "Classe PTAL (de l'IA moyen)", "PTAL band (of the mean AI)"),
    (r"share_band_(\w+)", "Part de la zone en classe PTAL {0}", "Share of the area in PTAL band {0}"),
    (r"nearest_stop_m_mean", "Distance moyenne à l'arrêt le plus proche (m)", "Mean distance to the nearest stop (m)"),
    (r"departures_(\d+)m_mean", "Départs à moins de {0} m (moyenne)", "Departures within {0} m (mean)"),
    (r"ai", "Indice d'accessibilité (IA)", "Accessibility index (AI)"),
    (r"ai_(\w+)", "IA {0}", "AI {0}"),
    (r"saps", "Points d'accès au service", "Service access points"),
    (r"band", "Classe PTAL", "PTAL band"),
    (r"nearest_stop_m", "Distance à l'arrêt le plus proche (m)", "Distance to the nearest stop (m)"),
    (r"departures_(\d+)m", "Départs à moins de {0} m", "Departures within {0} m"),
    (r"share_profile_(\d+)", "Part du profil {0}{profile}", "Share of profile {0}{profile}"),
    (r"bivariate_class", "Classe bivariée (profil × accès)", "Bivariate class (profile × access)"),
    (r"centroid", "Mesuré au centroïde", "Measured at the centroid"),
    (r"dist_(\w+)_mean", "Distance moyenne à « {service} » (m)", "Mean distance to “{service}” (m)"),
    (r"dist_(\w+)_centroid", "Distance du centroïde à « {service} » (m)", "Distance from the centroid to “{service}” (m)"),
    (r"count_(\w+)_(\d+)m", "Nombre de « {service} » à moins de {1} m", "Number of “{service}” within {1} m"),
    (r"share_(\w+)_(\d+)m", "Part de la zone à moins de {1} m de « {service} »", "Share of the area within {1} m of “{service}”"),
)  # fmt: skip


def _lang(language: str | None) -> str:
    return forum_language(language)


def qgis_version() -> str:
    """The version of the QGIS on this machine (``QET_GEO_QGIS_VERSION`` when the plugin
    runs inside QGIS, else the version of the installed ``libqgis_core``), or
    :data:`DEFAULT_QGIS_VERSION`: written in projects and styles, so that the QGIS that
    opens them does not warn of an older file."""
    import glob
    import os

    found = os.environ.get("QET_GEO_QGIS_VERSION", "")
    if re.fullmatch(r"\d+\.\d+\.\d+", found):
        return found
    versions = []
    for path in glob.glob("/usr/lib/libqgis_core.so.*") + glob.glob("/usr/lib/*/libqgis_core.so.*"):
        match = re.search(r"\.so\.(\d+)\.(\d+)\.(\d+)$", path)
        if match:
            versions.append(tuple(int(x) for x in match.groups()))
    return ".".join(map(str, max(versions))) if versions else DEFAULT_QGIS_VERSION


# ---------------------------------------------------------------- symbols and renderers


def _props(options: dict) -> str:
    props = "".join(f'<prop k="{k}" v="{xml_text(v)}"/>' for k, v in options.items())
    opts = "".join(
        f'<Option name="{k}" value="{xml_text(v)}" type="QString"/>' for k, v in options.items()
    )
    return f'<Option type="Map">{opts}</Option>{props}'


def fill(colour: str, style: str = "solid", outline: str = OUTLINE, width: str = "0.26") -> str:
    """A SimpleFill symbol layer: ``colour`` "r,g,b,a"; ``style`` a Qt brush style
    ("solid", "b_diagonal", "dense6"…); no outline when ``outline`` is ""."""
    return (
        '<layer class="SimpleFill" enabled="1" locked="0" pass="0">'
        + _props(
            {
                "border_width_map_unit_scale": "3x:0,0,0,0,0,0",
                "color": colour,
                "joinstyle": "bevel",
                "offset": "0,0",
                "offset_map_unit_scale": "3x:0,0,0,0,0,0",
                "offset_unit": "MM",
                "outline_color": outline or "0,0,0,0",
                "outline_style": "solid" if outline else "no",
                "outline_width": width,
                "outline_width_unit": "MM",
                "style": style,
            }
        )  # fmt: skip
        + "</layer>"
    )


def marker(colour: str, size: str = "1.6") -> str:
    """A SimpleMarker (circle) symbol layer."""
    return (
        '<layer class="SimpleMarker" enabled="1" locked="0" pass="0">'
        + _props(
            {
                "color": colour,
                "name": "circle",
                "outline_color": OUTLINE,
                "outline_style": "solid",
                "outline_width": "0.1",
                "outline_width_unit": "MM",
                "size": size,
                "size_unit": "MM",
            }
        )  # fmt: skip
        + "</layer>"
    )


def suppressed_layers() -> list[str]:
    """Grey and hatched: an area hidden by the disclosure control."""
    return [fill(GREY), fill(HATCH, style="b_diagonal", outline="")]


def none_dominant_layers() -> list[str]:
    """Pale and dotted: an area without a clearly dominant profile."""
    return [fill(NONE_FILL), fill(NONE_DOTS, style="dense6", outline="")]


def _symbol(name: str, kind: str, layers: list[str]) -> str:
    return (
        f'<symbol type="{kind}" name="{xml_text(name)}" alpha="1" clip_to_extent="1" '
        f'force_rhr="0">' + "".join(layers) + "</symbol>"
    )


def rule_renderer(rules: list[tuple[str, str, list[str]]], kind: str = "fill") -> str:
    """A rule-based renderer: (filter expression, legend label, symbol layers) per rule."""
    rule_xml, symbols = [], []
    for i, (expression, label, layers) in enumerate(rules):
        rule_xml.append(
            f'<rule key="{{r{i}}}" filter={xml_attr(expression)} symbol="{i}" '
            f"label={xml_attr(label)}/>"
        )
        symbols.append(_symbol(str(i), kind, layers))
    return (
        '<renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">'
        '<rules key="{root}">' + "".join(rule_xml) + "</rules>"
        "<symbols>" + "".join(symbols) + "</symbols></renderer-v2>"
    )


def categorized_renderer(
    field: str, categories: list[tuple[str, str, list[str]]], kind: str = "fill"
) -> str:
    """A categorized renderer on ``field``: (value, legend label, symbol layers) each."""
    cats = "".join(
        f'<category render="true" symbol="{i}" value={xml_attr(value)} label={xml_attr(label)}/>'
        for i, (value, label, _layers) in enumerate(categories)
    )
    symbols = "".join(
        _symbol(str(i), kind, layers) for i, (_v, _l, layers) in enumerate(categories)
    )
    return (
        f'<renderer-v2 type="categorizedSymbol" attr={xml_attr(field)} symbollevels="0" '
        f'enableorderby="0" forceraster="0"><categories>{cats}</categories>'
        f"<symbols>{symbols}</symbols></renderer-v2>"
    )


def labeling(field: str = "area_name", size: float = 8.0) -> str:
    """Simple labels of ``field``: dark text in a white halo, over the polygon's centre."""
    return (
        '<labeling type="simple"><settings calloutType="simple">'
        f'<text-style fieldName={xml_attr(field)} isExpression="0" fontSize="{size}" '
        'fontSizeUnit="Point" textColor="40,40,40,255" textOpacity="1" fontWeight="50" '
        'fontItalic="0" multilineHeight="1" blendMode="0" '
        'capitalization="0" allowHtml="0">'
        '<text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" '
        'bufferColor="255,255,255,255" bufferOpacity="0.85" bufferJoinStyle="128" '
        'bufferNoFill="1" bufferBlendMode="0"/>'
        '<text-mask maskEnabled="0"/><background shapeDraw="0"/><shadow shadowDraw="0"/>'
        "</text-style>"
        '<text-format wrapChar="" autoWrapLength="18" useMaxLineLengthForAutoWrap="1" '
        'multilineAlign="3" addDirectionSymbol="0" formatNumbers="0" plussign="0" decimals="3"/>'
        '<placement placement="1" centroidWhole="0" centroidInside="1" fitInPolygonOnly="0" '
        'priority="5" offsetType="0" dist="0" quadOffset="4" placementFlags="10" '
        'overrunDistance="0" lineAnchorPercent="0.5" geometryGeneratorEnabled="0"/>'
        '<rendering drawLabels="1" obstacle="1" obstacleType="1" displayAll="0" '
        'upsidedownLabels="0" limitNumLabels="0" maxNumLabels="2000" mergeLines="0" '
        'minFeatureSize="0" scaleVisibility="0" labelPerPart="0" fontLimitPixelSize="0" '
        'zIndex="0" unplacedVisibility="0"/>'
        '<dd_properties><Option type="Map"><Option name="name" value="" type="QString"/>'
        '<Option name="properties"/><Option name="type" value="collection" type="QString"/>'
        "</Option></dd_properties>"
        '<callout type="simple"><Option type="Map"><Option name="enabled" value="0" '
        'type="QString"/></Option></callout></settings></labeling>'
    )


def field_aliases(
    columns, language: str = "fr", *, profiles: dict | None = None, services: dict | None = None
) -> dict[str, str]:
    """The alias of each of ``columns`` that has one, in ``language``; ``profiles`` (number
    → name) and ``services`` (key → name) complete the names."""
    lang = _lang(language)
    profiles, services = profiles or {}, services or {}
    out = {}
    for column in columns:
        for pattern, fr, en in ALIASES:
            match = re.fullmatch(pattern, str(column))
            if not match:
                continue
            groups = match.groups()
            first = groups[0] if groups else ""
            usage = USAGES[lang].get(first, first)
            name = profiles.get(int(first)) if first.isdigit() else None
            out[str(column)] = (fr if lang == "fr" else en).format(
                *groups,
                usage=usage,
                service=services.get(first, first.replace("_", " ")),
                profile=f" ({name})" if name else "",
            )
            break
    return out


def aliases_xml(aliases: dict[str, str], columns) -> str:
    """The ``aliases`` element of a style (by field name; the index is QGIS's field's)."""
    columns = list(columns)
    items = "".join(
        f'<alias field={xml_attr(field)} index="{columns.index(field)}" name={xml_attr(name)}/>'
        for field, name in aliases.items()
        if field in columns
    )
    return f"<aliases>{items}</aliases>"


def qml(renderer: str, *, geometry: str = "polygon", label_field: str | None = None,
        aliases: dict[str, str] | None = None, columns=()) -> str:  # fmt: skip
    """A whole QML style: renderer, labels of ``label_field`` (none when None), aliases."""
    geometry_type = {"point": 0, "line": 1, "polygon": 2}[geometry]
    labels = labeling(label_field) if label_field else ""
    # the fid QGIS adds first in a GeoPackage layer: the aliases' indices count it
    fields = ["fid", *[c for c in columns if c not in ("fid", "geometry", "geom")]]
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        f'<qgis version="{qgis_version()}" styleCategories="Symbology|Labeling|Fields" '
        f'labelsEnabled="{1 if label_field else 0}">'
        + renderer
        + labels
        + aliases_xml(aliases or {}, fields)
        + "<blendMode>0</blendMode><featureBlendMode>0</featureBlendMode>"
        f"<layerGeometryType>{geometry_type}</layerGeometryType></qgis>"
    )


# ---------------------------------------------------------------- the styles of each layer


def _rgba(hex_colour: str) -> str:
    h = str(hex_colour).lstrip("#")
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", h):
        return "187,187,187,255"
    return f"{int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},255"


def dominant_renderer(names: dict, colours: dict, min_cell: int, language: str = "fr") -> str:
    """Dominant profile in the profiles' colours; hidden areas grey and hatched; areas with
    no clearly dominant profile pale and dotted."""
    lang = _lang(language)
    rules = [('"suppressed"', suppressed_label(min_cell, lang), suppressed_layers())]
    for p in sorted(names):
        rules.append(
            (
                f'NOT "suppressed" AND "dominant_profile" = {int(p)}',
                f"{int(p)}. {names[p]}",
                [fill(_rgba(colours.get(p, "#BBBBBB")))],
            )
        )
    rules.append(
        (
            'NOT "suppressed" AND "dominant_profile" IS NULL',
            TEXT[lang]["none"],
            none_dominant_layers(),
        )  # fmt: skip
    )
    return rule_renderer(rules)


def footprint_renderer(values, min_cell: int, language: str = "fr") -> str:
    """Mean total footprint (kg) in five quantile classes shown in tonnes; hidden areas
    grey and hatched."""
    text = TEXT[_lang(language)]
    rules = [('"suppressed"', suppressed_label(min_cell, _lang(language)), suppressed_layers())]
    rules += footprint_classes(values, "fp_total", 'NOT "suppressed" AND ', language)
    rules.append(
        (
            'NOT "suppressed" AND "fp_total" IS NULL',
            text["no_footprint"],
            [fill("255,255,255,255", style="no")],
        )  # fmt: skip
    )
    return rule_renderer(rules)


def estimate_renderer(values, field: str, min_cell: int, language: str = "fr") -> str:
    """An estimated footprint per area (kg, ``field``) in five quantile classes shown in
    tonnes; an area whose estimate is hidden (NULL) grey and hatched."""
    lang = _lang(language)
    rules = [(f"{_field(field)} IS NULL", suppressed_label(min_cell, lang), suppressed_layers())]
    return rule_renderer(rules + footprint_classes(values, field, "", lang))


def potential_renderer(values, field: str, min_cell: int, language: str = "fr") -> str:
    """A potential per resident per area (kg, ``field``) in five quantile classes shown in
    kg; an area whose potential is hidden (NULL) grey and hatched."""
    lang = _lang(language)
    rules = [(f"{_field(field)} IS NULL", suppressed_label(min_cell, lang), suppressed_layers())]
    return rule_renderer(
        rules + footprint_classes(values, field, "", lang, unit=1.0, digits=0, label="class_kg")
    )


def forum_styles(areas, subjects: list, min_cell: int, language: str = "fr") -> list:
    """The styles of the forum's ``area_potentials``: the potential per resident of each
    subject (``subjects``: [(key, title)], ranked; the first is the default)."""
    lang = _lang(language)
    columns = _columns(areas)
    aliases = field_aliases(columns, lang)
    out = []
    for key, title in subjects:
        field = f"{key}__per_resident_kg"
        if field not in columns:
            continue
        name = STYLE_NAMES[lang]["potential"].format(subject=title)
        style = qml(potential_renderer(areas[field], field, min_cell, lang),
                    label_field=_label_field(columns), columns=columns, aliases=aliases)  # fmt: skip
        out.append((name, style, not out, name))
    return out


def _field(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def footprint_classes(values, field: str, guard: str = "", language: str = "fr",
                      unit: float = 1000.0, digits: int = 1, label: str = "class") -> list:  # fmt: skip
    """The rules of five quantile classes of ``values`` (kg) on ``field``, labelled in
    tonnes (``unit``: kg per unit of the labels, ``digits`` of them); ``guard`` opens each
    filter (``'NOT "suppressed" AND '``)."""
    import numpy as np

    text = TEXT[_lang(language)]
    rules = []
    quoted = _field(field)
    values = np.asarray(values if values is not None else [], dtype=float)
    finite = values[np.isfinite(values)]
    if len(finite):
        # edges to 0.1 kg like the values, the ends widened so that every value falls in
        edges = np.round(np.quantile(finite, np.linspace(0, 1, len(RAMP) + 1)), 1)
        edges[0] = np.floor(finite.min() * 10) / 10
        edges[-1] = np.ceil(finite.max() * 10) / 10
        edges = np.unique(edges)
        for i in range(len(edges) - 1):
            low, high = edges[i], edges[i + 1]
            op = "<=" if i == len(edges) - 2 else "<"
            rules.append(
                (
                    f"{guard}{quoted} >= {low:.1f} AND {quoted} {op} {high:.1f}",
                    text[label]
                    .format(low=f"{low / unit:.{digits}f}", high=f"{high / unit:.{digits}f}")
                    .replace(".", text["decimal"]),
                    [fill(_rgba(RAMP[min(i, len(RAMP) - 1)]))],
                )
            )
    return rules


def ptal_label(band: str, language: str = "fr") -> str:
    """ "1a — très faible (IA 0,01–2,5)": a PTAL band and its meaning."""
    text = TEXT[_lang(language)]
    ranges = dict(PTAL_BANDS)
    label = f"{band} — {text['ptal'][band]}"
    if ranges.get(band):
        span = ranges[band] if text["decimal"] == "," else ranges[band].replace(",", ".")
        label += f" ({text['ai']} {span})"
    return label


def ptal_renderer(field: str, kind: str = "fill", language: str = "fr") -> str:
    """The PTAL bands of ``field``, each labelled with its meaning."""
    make = (lambda c: [fill(c)]) if kind == "fill" else (lambda c: [marker(c)])
    return categorized_renderer(
        field,
        [(band, ptal_label(band, language), make(PTAL_COLOURS[band])) for band, _ in PTAL_BANDS],
        kind,
    )


def bivariate_label(code: str, profile: str, language: str = "fr") -> str:
    """ "B3 — part du profil 2 moyenne, accès élevé": a bivariate class explained."""
    text = TEXT[_lang(language)]
    return text["bivariate"].format(
        code=code,
        profile=profile,
        share=text["levels"]["ABC".index(code[0])],
        access=text["access"][int(code[1]) - 1],
    )


def bivariate_renderer(profile: str, language: str = "fr") -> str:
    """The 3 × 3 classes (letter: the profile's share; digit: access), explained; areas
    without a class (hidden or not measured) hatched."""
    rules = [
        (f'"bivariate_class" = {_quote(code)}', bivariate_label(code, profile, language),
         [fill(colour)])
        for code, colour in BIVARIATE.items()
    ]  # fmt: skip
    rules.append(('"bivariate_class" IS NULL', TEXT[_lang(language)]["no_class"],
                  suppressed_layers()))  # fmt: skip
    return rule_renderer(rules)


def distance_renderer(field: str, language: str = "fr") -> str:
    """The distance of ``field`` (metres) in walking classes: 300, 500, 800 m."""
    text = TEXT[_lang(language)]
    f = f'"{field}"'
    bounds = ((None, 300), (300, 500), (500, 800), (800, None))
    rules = []
    for (low, high), label, colour in zip(bounds, text["distance"], DISTANCE_COLOURS, strict=True):
        parts = ([f"{f} >= {low}"] if low is not None else []) + (
            [f"{f} < {high}"] if high is not None else []
        )
        rules.append((" AND ".join(parts), label, [fill(colour)]))
    rules.append((f"{f} IS NULL", text["no_value"], suppressed_layers()))
    return rule_renderer(rules)


def _quote(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


# ---------------------------------------------------------------- writing them


def add_styles(path: Path, layer: str, styles: list[tuple[str, str, bool, str]]) -> None:
    """Add (name, QML, default, description) styles of ``layer`` to the GeoPackage
    ``path``'s ``layer_styles`` table (the schema QGIS itself creates); the previous
    styles of that layer and name replaced."""
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256), "
            "f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, "
            "useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
            "update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
        )
        db.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
            "description, last_change) VALUES ('layer_styles', 'attributes', 'layer_styles', "
            "'', strftime('%Y-%m-%dT%H:%M:%fZ','now'))"
        )
        row = db.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)
        ).fetchone()
        if row is None:
            return
        for name, style, default, description in styles:
            db.execute(
                "DELETE FROM layer_styles WHERE f_table_name = ? AND styleName = ?", (layer, name)
            )
            db.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
                "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, "
                "owner, ui) VALUES ('', '', ?, ?, ?, ?, '', ?, ?, '', '')",
                (layer, row[0], name, style, 1 if default else 0, description),
            )


def _columns(table) -> list[str]:
    return [str(c) for c in table.columns if str(c) != "geometry"]


def _label_field(columns) -> str | None:
    return "area_name" if "area_name" in columns else ("area_id" if "area_id" in columns else None)


STYLE_NAMES = {
    "fr": {"ptal": "Classe PTAL", "bivariate": "Classes bivariées",
           "distance": "Distance à « {service} »",
           "estimate_total": "Empreinte carbone estimée (profils)",
           "estimate": "Empreinte estimée : {sector}",
           "potential": "Potentiel par habitant (kg CO2e/an) : {subject}"},
    "en": {"ptal": "PTAL band", "bivariate": "Bivariate classes",
           "distance": "Distance to “{service}”",
           "estimate_total": "Estimated carbon footprint (profiles)",
           "estimate": "Estimated footprint: {sector}",
           "potential": "Potential per resident (kg CO2e/yr): {subject}"},
}  # fmt: skip


def diagnostic_styles(areas, min_cell: int, language: str = "fr", sectors=None) -> list:
    """The styles of the diagnostic's ``area_estimates`` (docs/diagnostic.md): the estimated
    total footprint (``carbon__bilan``) by default, then each of ``sectors`` ({column:
    name}, NGC's level-1 sectors), areas whose estimate is hidden grey and hatched."""
    lang = _lang(language)
    columns = _columns(areas)
    aliases = field_aliases(columns, lang)
    names = STYLE_NAMES[lang]
    fields = [("carbon__bilan", names["estimate_total"])] if "carbon__bilan" in columns else []
    fields += [(c, names["estimate"].format(sector=n)) for c, n in (sectors or {}).items()
               if c in columns and c != "carbon__bilan"]  # fmt: skip
    out = []
    for field, name in fields:
        style = qml(estimate_renderer(areas[field], field, min_cell, lang),
                    label_field=_label_field(columns), columns=columns, aliases=aliases)  # fmt: skip
        out.append((name, style, not out, name))
    return out


def ptal_styles(areas, grid_columns, language: str = "fr") -> dict[str, list]:
    """layer → styles of the PTAL GeoPackage (``ptal_areas``, ``ptal_grid``)."""
    lang = _lang(language)
    name = STYLE_NAMES[lang]["ptal"]
    area_columns = _columns(areas)
    return {
        "ptal_areas": [(name, qml(ptal_renderer("band_of_mean", "fill", lang),
                                  label_field=_label_field(area_columns), columns=area_columns,
                                  aliases=field_aliases(area_columns, lang)), True, name)],
        "ptal_grid": [(name, qml(ptal_renderer("band", "marker", lang), geometry="point",
                                 columns=list(grid_columns),
                                 aliases=field_aliases(grid_columns, lang)), True, name)],
    }  # fmt: skip


def bivariate_styles(areas, profile_name: str | None = None, language: str = "fr") -> list:
    """The style of ``compare_areas``: the bivariate classes explained."""
    lang = _lang(language)
    columns = _columns(areas)
    focus = next((c.rsplit("_", 1)[1] for c in columns if c.startswith("share_profile_")), "?")
    profile = f"{focus} ({profile_name})" if profile_name else focus
    name = STYLE_NAMES[lang]["bivariate"]
    names = {int(focus): profile_name} if profile_name and focus.isdigit() else {}
    style = qml(bivariate_renderer(profile, lang), label_field=_label_field(columns),
                columns=columns, aliases=field_aliases(columns, lang, profiles=names))  # fmt: skip
    return [(name, style, True, name)]


def proximity_styles(areas, language: str = "fr", services: dict | None = None) -> list:
    """The styles of ``proximity_areas``: the mean distance to each service in walking
    classes, the first service's by default."""
    lang = _lang(language)
    columns = _columns(areas)
    aliases = field_aliases(columns, lang, services=services)
    out = []
    for column in columns:
        match = re.fullmatch(r"dist_(\w+)_mean", column)
        if not match:
            continue
        service = (services or {}).get(match.group(1), match.group(1).replace("_", " "))
        name = STYLE_NAMES[lang]["distance"].format(service=service)  # whole: names unique
        style = qml(distance_renderer(column, lang), label_field=_label_field(columns),
                    columns=columns, aliases=aliases)  # fmt: skip
        out.append((name, style, not out, name))
    return out
