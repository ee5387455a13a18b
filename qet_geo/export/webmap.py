"""A web map of the diagnostic for a neighbourhood forum (folium / Leaflet).

Layers: the dominant profile in the profiles' colours, the share of each profile, the mean
footprint (total and per usage), PTAL and the bivariate profile × access map when given;
suppressed areas grey and hatched ("masqué (secret statistique, seuil N réponses)"); a layer control; a legend; a
popup per area (name, respondents, the profile mix as a small inline SVG bar chart, the
footprint against the study and the French average, the PTAL band); transit stops and
lines as an option; title, sources and date. French by default, English by option.

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

    def __post_init__(self):
        self.summary = AreaSummary.of(self.summary)  # a mapping given by a caller


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
    area_map, ptal=None, compare=None, gtfs=None, background=(), respondents=None
) -> WebMapInputs:
    """What the web map shows, from the outputs of the earlier steps.

    ``area_map``: an :class:`~qet_geo.areas.AreaMap` or the GeoPackage written from it;
    ``ptal``: a :class:`~qet_geo.transit.TransitAccess` or its GeoPackage; ``compare``: a
    :class:`~qet_geo.constraints.Comparison` or its GeoPackage (either also as its
    per-area layer already read); ``gtfs``: a GTFS feed for stops and lines;
    ``background``: plain layers "PATH[:LAYER]", or (name, frame) of layers already read
    (never one of respondents or derived from them,
    :func:`qet_geo.privacy.check_not_respondents`)."""
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
        features.append(
            f'{{"type":"Feature","properties":{json.dumps(props, ensure_ascii=False)},"geometry":{geometry}}}'
        )
    data = script_json('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}")
    # thematic layers: (title, style spec) — titles escaped here, data text escaped in JS
    layers = [[_e(t["dominant"]), {"kind": "dominant"}]]
    for i, p in enumerate(colours):
        layers.append(
            [
                _e(t["share"].format(p=p, name=names[p])),
                {"kind": "share", "index": i, "colour": colours[p]},
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
        layers.append([_e(t["footprint"].format(usage=t["usages"][usage])),
                       {"kind": "classes", "index": i, "edges": edges[1:-1].tolist(), "colours": list(RAMP)}])  # fmt: skip
    if ptal:
        layers.append(
            [
                _e(t["ptal"]),
                {"kind": "category", "key": "band", "colours": PTAL_COLOURS, "measured": True},
            ]
        )
    if bivariate_name:
        layers.append(
            [_e(bivariate_name), {"kind": "category", "key": "biv", "colours": BIVARIATE}]
        )
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
    sources = t["sources"].format(
        ngc="4.10.2",
        extra=extra,
        date=date.isoformat() if language == "en" else date.strftime("%d/%m/%Y"),
        n=n_min,
    )
    legend = _legend_html(t, colours, names, n_min, footprint_classes, bool(ptal), bivariate_name)
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
    return lines.join('<br>');
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
      else if (spec.kind === "category") { var c = p[spec.key];
        base.fillColor = Object.prototype.hasOwnProperty.call(spec.colours, c) ? spec.colours[c] : "#FFFFFF"; }
      return base;
    };
  }
  var themes = {}, first = null;
  cfg.layers.forEach(function (entry) {
    var layer = L.geoJSON(data, {style: style(entry[1]), onEachFeature: function (f, l) {
      l.bindPopup(popup(f.properties), {maxWidth: 320}); }});
    themes[entry[0]] = layer; if (!first) { first = layer; }
  });
  first.addTo(map);
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
  L.control.layers(themes, overlays, {collapsed: true}).addTo(map);
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


def _legend_html(t, colours, names, n_min, footprint_classes, has_ptal, bivariate_name) -> str:
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
                         background=background, respondents=respondents)  # fmt: skip
    return write_webmap(path, inputs, title=title, language=language, offline=offline,
                        tiles=tiles, date=date)  # fmt: skip
