"""The area map as files: one GeoPackage (area indicators, study summary, profiles,
representativeness) with QGIS styles embedded, plus CSV tables.

The styles go into the GeoPackage's ``layer_styles`` table, where QGIS looks for a layer's
default style when it loads it: the area indicators open showing the dominant profile in
the profiles' colours, suppressed areas grey and hatched ("masqué (secret statistique,
seuil N réponses)"), areas without a clearly dominant profile pale and dotted, the area
names as labels and the fields' aliases in the outputs' language (``qet_geo/styles.py``);
a graduated style of the total footprint is
there as an alternative (Layer properties › Style › Load style › From database).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .. import styles as styles_
from ..errors import InputError, OutputError, Problem
from ..geo import crs_of, layer_names, read_frame
from ..i18n import Message, forum_language, tr
from ..io import atomic_path, side_csv, with_crs, write_table
from ..parameters import AREA_MAP, check_argument
from .indicators import AreaMap, AreaSummary

LAYER = "area_indicators"


def _style(result: AreaMap, renderer: str, language: str) -> str:
    columns = [c for c in result.indicators.columns if c != "geometry"]
    names = {int(p): str(n) for p, n in result.profile_names.items()}
    return styles_.qml(renderer, label_field="area_name" if "area_name" in columns else None,
                       columns=columns, aliases=styles_.field_aliases(columns, language, profiles=names))  # fmt: skip


def dominant_style(result: AreaMap, language: str = "fr") -> str:
    """Dominant profile in the profiles' colours; suppressed areas grey and hatched; areas
    without a clearly dominant profile pale and dotted; labels of the area names; French
    aliases of the fields; the legend in ``language``."""
    lang = _lang(language)
    renderer = styles_.dominant_renderer(result.profile_names, result.profile_colours,
                                         result.summary.min_cell, lang)  # fmt: skip
    return _style(result, renderer, lang)


def footprint_style(result: AreaMap, language: str = "fr") -> str:
    """Mean total footprint in five quantile classes; suppressed areas grey and hatched; the
    legend in ``language``."""
    lang = _lang(language)
    renderer = styles_.footprint_renderer(result.indicators.get("fp_total"),
                                          result.summary.min_cell, lang)  # fmt: skip
    return _style(result, renderer, lang)


#: The words of the styles (names, descriptions), per language of the outputs.
STYLE_TEXT = {
    "fr": {"names": ("Profil dominant", "Empreinte totale"),
           "descriptions": ("profil dominant par zone", "empreinte moyenne des cinq usages")},
    "en": {"names": ("Dominant profile", "Total footprint"),
           "descriptions": ("dominant profile per area", "mean footprint of the five usages")},
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
        styles_.add_styles(tmp, LAYER, styles(result, language))
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
