"""The area map as files: one GeoPackage (area indicators, study summary, profiles,
representativeness) with QGIS styles embedded, plus CSV tables.

The styles go into the GeoPackage's ``layer_styles`` table, where QGIS looks for a layer's
default style when it loads it: the area indicators open showing the dominant profile in
the profiles' colours, suppressed areas grey and hatched ("masqué (secret statistique, seuil N réponses)"), areas
without a clearly dominant profile white; a graduated style of the total footprint is
there as an alternative (Layer properties › Style › Load style › From database).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, OutputError, Problem
from ..geo import crs_of, layer_names, read_frame
from ..i18n import Message, forum_language, tr
from ..io import atomic_path, side_csv, with_crs, write_table, xml_text
from ..parameters import AREA_MAP, check_argument
from ..threshold import suppressed_label
from .indicators import NONE_DOMINANT, AreaMap, AreaSummary

LAYER = "area_indicators"
GREY = "190,190,190,255"
HATCH = "110,110,110,255"


def _rgba(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return f"{int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},255"


def _fill_layer(
    colour: str, style: str = "solid", outline: str = "80,80,80,255", width="0.26"
) -> str:
    options = {
        "border_width_map_unit_scale": "3x:0,0,0,0,0,0",
        "color": colour,
        "joinstyle": "bevel",
        "offset": "0,0",
        "offset_map_unit_scale": "3x:0,0,0,0,0,0",
        "offset_unit": "MM",
        "outline_color": outline,
        "outline_style": "solid" if outline else "no",
        "outline_width": width,
        "outline_width_unit": "MM",
        "style": style,
    }
    props = "".join(f'<prop k="{k}" v="{xml_text(v)}"/>' for k, v in options.items())
    opts = "".join(
        f'<Option name="{k}" value="{xml_text(v)}" type="QString"/>' for k, v in options.items()
    )
    return (
        '<layer class="SimpleFill" enabled="1" locked="0" pass="0">'
        f'<Option type="Map">{opts}</Option>{props}</layer>'
    )


def _symbol(name: str, layers: list[str]) -> str:
    return (
        f'<symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
        + "".join(layers)
        + "</symbol>"
    )


def _rule_qml(rules: list[tuple[str, str, list[str]]]) -> str:
    """A rule-based renderer: (filter, label, symbol layers) per rule."""
    rule_xml, symbols = [], []
    for i, (expression, label, layers) in enumerate(rules):
        rule_xml.append(
            f'<rule key="{{r{i}}}" filter="{xml_text(expression)}" symbol="{i}" '
            f'label="{xml_text(label)}"/>'
        )
        symbols.append(_symbol(str(i), layers))
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        '<qgis version="3.22.0" styleCategories="Symbology">'
        '<renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">'
        '<rules key="{root}">' + "".join(rule_xml) + "</rules>"
        "<symbols>" + "".join(symbols) + "</symbols>"
        "</renderer-v2><blendMode>0</blendMode><featureBlendMode>0</featureBlendMode>"
        "<layerGeometryType>2</layerGeometryType></qgis>"
    )


def suppressed_layers() -> list[str]:
    return [_fill_layer(GREY), _fill_layer(HATCH, style="b_diagonal", outline="")]


def dominant_style(result: AreaMap, language: str = "fr") -> str:
    """Dominant profile in the profiles' colours; suppressed areas grey and hatched; the
    legend in ``language``."""
    n = result.summary.min_cell
    rules = [('"suppressed"', suppressed_label(n, _lang(language)), suppressed_layers())]
    for p in sorted(result.profile_names):
        rules.append(
            (
                f'NOT "suppressed" AND "dominant_profile" = {int(p)}',
                f"{p}. {result.profile_names[p]}",
                [_fill_layer(_rgba(result.profile_colours.get(p, "#BBBBBB")))],
            )
        )
    rules.append(
        (
            'NOT "suppressed" AND "dominant_profile" IS NULL',
            STYLE_TEXT[_lang(language)]["none"],
            [_fill_layer("255,255,255,255")],
        )
    )
    return _rule_qml(rules)


#: light to dark, colour-blind safe (ColorBrewer YlOrBr, 5 classes)
RAMP = ("#FFFFD4", "#FED98E", "#FE9929", "#D95F0E", "#993404")


def footprint_style(result: AreaMap, language: str = "fr") -> str:
    """Mean total footprint in five quantile classes; suppressed areas grey and hatched; the
    legend in ``language``."""
    text = STYLE_TEXT[_lang(language)]
    n = result.summary.min_cell
    values = result.indicators.get("fp_total")
    rules = [('"suppressed"', suppressed_label(n, _lang(language)), suppressed_layers())]
    finite = values[np.isfinite(values)] if values is not None else np.array([])
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
                    f'NOT "suppressed" AND "fp_total" >= {low:.1f} AND "fp_total" {op} {high:.1f}',
                    text["class"]
                    .format(low=f"{low / 1000:.1f}", high=f"{high / 1000:.1f}")
                    .replace(".", text["decimal"]),
                    [_fill_layer(_rgba(RAMP[min(i, len(RAMP) - 1)]))],
                )
            )
    rules.append(
        (
            'NOT "suppressed" AND "fp_total" IS NULL',
            text["no_footprint"],
            [_fill_layer("255,255,255,255", style="no")],
        )
    )
    return _rule_qml(rules)


def add_styles(path: Path, styles: list[tuple[str, str, bool, str]]) -> None:
    """Write QGIS's ``layer_styles`` table (the schema QGIS itself creates in GeoPackages)."""
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
        [geometry_column] = db.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (LAYER,)
        ).fetchone()
        for name, qml, default, description in styles:
            db.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
                "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, "
                "owner, ui) VALUES ('', '', ?, ?, ?, ?, '', ?, ?, '', '')",
                (LAYER, geometry_column, name, qml, 1 if default else 0, description),
            )


#: The words of the styles (names, descriptions, legends), per language of the outputs.
STYLE_TEXT = {
    "fr": {"names": ("Profil dominant", "Empreinte totale"),
           "descriptions": ("profil dominant par zone", "empreinte moyenne des cinq usages"),
           "none": NONE_DOMINANT, "no_footprint": "sans empreinte",
           "class": "{low} – {high} t CO2e/an", "decimal": ","},
    "en": {"names": ("Dominant profile", "Total footprint"),
           "descriptions": ("dominant profile per area", "mean footprint of the five usages"),
           "none": "no clearly dominant profile", "no_footprint": "no footprint",
           "class": "{low} – {high} t CO2e/yr", "decimal": "."},
}  # fmt: skip
#: The names of the styles in French, the default language of the outputs.
STYLE_NAMES = STYLE_TEXT["fr"]["names"]


def _lang(language: str | None) -> str:
    return forum_language(language)


def styles(result: AreaMap, language: str = "fr") -> list[tuple[str, str, bool, str]]:
    """(name, QML, default, description) of the styles of the area indicators, named and
    described in ``language`` ("fr" or "en")."""
    text = STYLE_TEXT[_lang(language)]
    return [
        (text["names"][0], dominant_style(result, language), True, text["descriptions"][0]),
        (text["names"][1], footprint_style(result, language), False, text["descriptions"][1]),
    ]


def tables(result: AreaMap) -> list[tuple[str, pd.DataFrame]]:
    """The attribute tables of the GeoPackage, beside the area indicators."""
    out = [("study_summary", summary_table(result)), ("profiles", result.profiles)]
    if len(result.representativeness):
        out.append(("representativeness", result.representativeness))
    return out


def write_area_map(
    result: AreaMap, path: str | Path, csv: bool = True, *, language: str = "fr"
) -> list[Path]:
    """Write the GeoPackage (atomically) and, with ``csv``, the tables beside it as CSV
    (``<stem>_areas.csv``, ``<stem>_profiles.csv``, ``<stem>_representativeness.csv``).

    Written by the geo backend (pyogrio; QGIS's own writer inside QGIS).

    Parameters
    ----------
    result : AreaMap
        The indicators per area (:func:`qet_geo.map_areas`).
    path : str or pathlib.Path
        The GeoPackage to write (layer of the areas, the tables, the QGIS styles).
    csv : bool
        Write the CSV tables beside it too.
    language : {"fr", "en"}
        The language of the styles' names, descriptions and legends (French by default,
        as every output meant for a forum).

    Returns
    -------
    list of pathlib.Path
        The GeoPackage, then the CSV files.

    References
    ----------
    [Tol-colour-schemes], [Okabe-Ito-2008]: the profiles' colours of the style;
    [Harrower-Brewer-2003]: the footprint classes; [OWASP-CSV-Injection]: the CSV cells.
    The page is ``docs/areas.md``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> qg.write_area_map(amap, "out/areas.gpkg")  # doctest: +SKIP
    [PosixPath('out/areas.gpkg'), PosixPath('out/areas_areas.csv'), ...]
    """
    check_argument(result, AreaMap, "write_area_map", "result", AREA_MAP)
    path = Path(path)
    indicators = with_crs(result.indicators, result.crs)
    with atomic_path(path) as tmp:
        write_table(indicators, tmp, layer=LAYER, atomic=False)
        for name, table in tables(result):
            write_table(table, tmp, layer=name, atomic=False)
        add_styles(tmp, styles(result, language))
    return [path, *(write_csvs(result, path) if csv else [])]


#: The CSV tables beside the GeoPackage, by suffix of their names.
CSV_TABLES = ("areas", "profiles", "representativeness")


def area_map_files(path: str | Path, csv: bool = True) -> list[Path]:
    """Every file :func:`write_area_map` may write for ``path``: the GeoPackage and, with
    ``csv``, the CSV tables beside it (checked against the inputs before writing). A path
    that is not a GeoPackage's (``.gpkg``) is refused before anything is read."""
    path = Path(path)
    if path.suffix.lower() != ".gpkg" and not path.is_dir():  # a folder: said as such later
        raise OutputError(f"{path}: " + tr("unknown output format {suffix}; expected one of {formats}",
                                           suffix=repr(path.suffix.lower()), formats=".gpkg"))  # fmt: skip
    return [path, *(csv_path(path, suffix) for suffix in CSV_TABLES if csv)]


def csv_path(path: str | Path, suffix: str) -> Path:
    """:func:`~qet_geo.io.side_csv` (``areas.gpkg``'s areas → ``areas.csv``)."""
    return side_csv(path, suffix)


def write_csvs(result: AreaMap, path: Path) -> list[Path]:
    """The CSV tables beside the GeoPackage ``path`` (no geometry)."""
    written = []
    for suffix, table in zip(CSV_TABLES, (
        pd.DataFrame(result.indicators.drop(columns="geometry")),
        result.profiles,
        result.representativeness,
    ), strict=True):  # fmt: skip
        if len(table):
            target = csv_path(path, suffix)
            write_table(table, target)
            written.append(target)
    return written


def summary_table(result: AreaMap | AreaSummary) -> pd.DataFrame:
    """The study summary (of an area map, or the summary itself) as the two-column table
    ``study_summary`` (indicator, value as text: JSON for lists and mappings, ``""`` for
    None); :meth:`AreaSummary.from_table` reads it back."""
    summary = result.summary if isinstance(result, AreaMap) else result
    rows = []
    for key, value in summary.to_dict().items():
        rows.append(
            {
                "indicator": key,
                "value": json.dumps(value, ensure_ascii=False)
                if isinstance(value, (dict, list))
                else ("" if value is None else str(value)),
            }
        )
    return pd.DataFrame(rows)


def check_area_map(path) -> None:
    """Refuse a file that is not an area map written by qet-geo (areas step)."""
    if not Path(path).is_file():
        raise InputError(Problem.of(str(path), "file not found"))
    try:
        layers = {name for name, _ in layer_names(path)}
    except Exception as exc:  # noqa: BLE001 - any unreadable file
        raise InputError(
            Problem.of(str(path), Message("not a readable layer: {error}", error=str(exc)))
        ) from exc
    missing = [n for n in ("area_indicators", "profiles", "study_summary") if n not in layers]
    if missing:
        raise InputError(
            Problem.of(
                str(path),
                "not an area map written by qet-geo",
                value=", ".join(sorted(layers)) or None,
                expected="the layers area_indicators, profiles and study_summary",
            )
        )


def read_area_map(area_map) -> tuple[pd.DataFrame, pd.DataFrame, AreaSummary]:
    """(the area indicators with their geometry and ``attrs["crs"]``, the ``profiles``
    table without geometry, the study summary as an :class:`AreaSummary`) of an area map:
    an :class:`~qet_geo.areas.AreaMap` just computed, or the GeoPackage
    :func:`write_area_map` wrote from it, read back by the geo backend (QGIS inside QGIS) —
    the same tables and the same summary either way (the one decoding of
    ``study_summary``, :meth:`AreaSummary.from_table`, that the web map and the poster
    read). A file that is not an area map is refused (:func:`check_area_map`)."""
    if isinstance(area_map, AreaMap):
        areas = with_crs(area_map.indicators.reset_index(drop=True), crs_of(area_map, "area map"))
        profiles, summary = area_map.profiles, area_map.summary
    else:
        check_area_map(area_map)
        areas = read_frame(area_map, LAYER)
        profiles = read_frame(area_map, "profiles")
        summary = AreaSummary.from_table(read_frame(area_map, "study_summary"),
                                         source=f"{area_map} [study_summary]")  # fmt: skip
    profiles = pd.DataFrame(profiles.drop(columns="geometry", errors="ignore"))
    return areas, profiles, summary
