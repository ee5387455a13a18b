"""How results show themselves in a notebook: a GeoDataFrame with its CRS, a short HTML
summary (``_repr_html_``) and a map drawn with matplotlib; and :class:`Summary`, the base of
the steps' typed summaries (:class:`~qet_geo.areas.indicators.AreaSummary`…), which give
the dictionaries the outputs hold and read them back from files.

geopandas and matplotlib are imported only here, inside the functions: the library itself
keeps plain pandas and shapely (inside QGIS, geopandas' own PROJ and GDAL conflict with
QGIS's, see docs/architecture.md). numpy and pandas too are imported where used: a summary
is read without them.
"""

from __future__ import annotations

import copy
import dataclasses
import html
import json
import numbers
import types
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .errors import InputError, Problem

if TYPE_CHECKING:
    import pandas as pd

from .i18n import language as current_language
from .i18n import translate

#: The titles of the maps of known columns (English message ids; French in qet_geo.i18n).
TITLES = {
    "dominant_profile": "Dominant profile",
    "ai_mean": "Mean access index (PTAL)",
    "band_of_mean": "PTAL band of the mean access index",
    "bivariate_class": "Profile × transit access (bivariate class)",
    "fp_total": "Mean footprint of the five usages (kg CO2e per year)",
}
#: Titles of the columns named after a service (``dist_marches_mean``): prefix, suffix, title.
SERVICE_TITLES = (
    ("dist_", "_mean", "Mean distance to {service} (m)"),
    ("dist_", "_centroid", "Distance from the centre to {service} (m)"),
)


def plot_language(language: str | None = None) -> str:
    """The language of a map drawn in a notebook: ``language``, else the current one."""
    return "fr" if (language or current_language()).lower().startswith("fr") else "en"


def map_title(column: str | None, language: str | None = None) -> str | None:
    """The title of the map of ``column`` in ``language`` (the column's name when it is
    not a known one)."""
    lang = plot_language(language)
    if column in TITLES:
        return translate(lang, TITLES[column])
    for prefix, suffix, title in SERVICE_TITLES:
        if column and column.startswith(prefix) and column.endswith(suffix):
            return translate(lang, title, service=column[len(prefix) : -len(suffix)])
    return column


def to_geodataframe(frame: pd.DataFrame, crs: str | None, *, xy: tuple[str, str] | None = None):
    """``frame`` as a GeoDataFrame in ``crs`` (a copy; the input is not changed).

    Parameters
    ----------
    frame : pandas.DataFrame
        A table with a ``geometry`` column of shapely geometries, or, with ``xy``, the
        names of its x and y columns (points).
    crs : str or None
        Its coordinate reference system ("EPSG:2154" or WKT).
    xy : (str, str), optional
        The x and y columns, for a table of points without a geometry column.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    if xy is not None and "geometry" not in frame.columns:
        geometry = gpd.points_from_xy(frame[xy[0]], frame[xy[1]], crs=crs)
        return gpd.GeoDataFrame(pd.DataFrame(frame), geometry=geometry, crs=crs)
    return gpd.GeoDataFrame(
        pd.DataFrame(frame.drop(columns="geometry")),
        geometry=gpd.GeoSeries(np.asarray(frame["geometry"].to_numpy(), dtype=object), crs=crs),
        crs=crs,
    )


class Summary:
    """Base of the key figures of a step: each step's summary is a frozen dataclass of this
    kind beside the code that makes it, one typed field per figure (its name is the key
    the outputs use).

    :meth:`to_dict` gives the dictionary the step's JSON output and tables hold, keys in
    the order of the fields; :meth:`from_dict` and :meth:`from_table` read one back, a
    missing key taking its field's default (files written by older versions hold fewer
    keys) and a key they do not know left out (newer versions may hold more).
    """

    def to_dict(self) -> dict:
        """The summary as a dictionary (a copy): key → value, JSON-ready."""
        return {
            f.name: copy.deepcopy(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if self._written(f.name)
        }

    def _written(self, name: str) -> bool:
        """Whether :meth:`to_dict` gives ``name``: every field, unless a summary says that
        some are written only in some cases (the census figures without a census)."""
        return True

    @classmethod
    def of(cls, summary):
        """``summary`` itself, or the summary of a mapping (:meth:`from_dict`): what a result
        built by hand may be given."""
        return summary if isinstance(summary, cls) else cls.from_dict(summary)

    @classmethod
    def from_dict(cls, values: Mapping, *, source: str = "summary"):
        """The summary of ``values`` (key → value, as :meth:`to_dict` gives them or as a
        JSON file holds them); a value of the wrong type is an
        :class:`~qet_geo.errors.InputError` naming ``source``, the key and the value."""
        return cls._of({k: (v, None) for k, v in values.items()}, source)

    @classmethod
    def from_table(cls, table: pd.DataFrame, *, key: str = "indicator", value: str = "value",
                   source: str = "summary"):  # fmt: skip
        """The summary of a two-column table of text (``key``, ``value``), as the
        GeoPackages hold it (``study_summary``, ``ptal_summary``): each text read as its
        field's type (JSON for lists and mappings, ``""`` for None); ``source`` (the file)
        is named in the error a value of the wrong type raises."""
        texts = {}
        for k, text in zip(table[key], table[value], strict=True):
            text = _text(text)
            try:
                decoded = json.loads(text)
            except ValueError:
                decoded = text
            texts[str(k)] = (None if text == "" else decoded, text)
        return cls._of(texts, source)

    @classmethod
    def _of(cls, values: dict, source: str):
        hints = typing.get_type_hints(cls)
        given = {}
        for f in dataclasses.fields(cls):
            if f.name not in values:
                continue  # an older file: the field's default
            value, text = values[f.name]
            given[f.name] = _typed(value, text, hints[f.name], f, source)
        return cls(**given)


def _text(value) -> str:
    """A table's cell as text: None, NaN and pandas' NA (an empty cell) as ``""``."""
    if isinstance(value, str):
        return value
    try:
        if value is None or value != value:
            return ""
    except TypeError:  # pandas.NA has no truth value
        return ""
    return str(value)


def _typed(value, text: str | None, hint, f: dataclasses.Field, source: str):
    """``value`` (read from a file; ``text``: as written in a table) as the type ``hint``
    of the field ``f``: None where the type allows it (else the field's default), a number
    from its text, ``True``/``False`` from Python's or JSON's spelling, text as written."""
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    kinds = typing.get_args(hint) if union else (hint,)
    kinds = tuple(typing.get_origin(k) or k for k in kinds)
    if value is None:
        if type(None) in kinds:
            return None
        if f.default is not dataclasses.MISSING:
            return f.default
        return f.default_factory()
    for kind in kinds:
        if kind is bool:
            if isinstance(value, bool):
                return value
            if text in ("True", "False"):  # str() of a bool, as the tables hold it
                return text == "True"
        elif kind is int:
            if isinstance(value, numbers.Integral) and not isinstance(value, bool):
                return value
            if isinstance(value, float) and value.is_integer():
                return int(value)
        elif kind is float:
            if isinstance(value, numbers.Real) and not isinstance(value, bool):
                return value
        elif kind is str:
            return value if isinstance(value, str) else (text if text is not None else str(value))
        elif kind in (dict, list) and isinstance(value, kind):
            return value
    expected = {bool: "true or false", int: "a whole number", float: "a number"}
    raise InputError(
        Problem.of(
            source,
            "not a valid value",
            column=f.name,
            value=text if text is not None else str(value),
            expected=next((expected[k] for k in kinds if k in expected), None),
        )
    )


def html_summary(title: str, rows: list[tuple[str, object]]) -> str:
    """A few lines of HTML: a bold title and ``label: value`` lines, every text escaped."""
    lines = [f"<b>{html.escape(str(title))}</b>"]
    for label, value in rows:
        if value is None:
            continue
        lines.append(f"{html.escape(str(label))}: {html.escape(_shown(value))}")
    return "<div>" + "<br>".join(lines) + "</div>"


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_shown(v) for v in value)
    return str(value)


def plot_map(gdf, column: str | None = None, *, ax=None, colours: dict | None = None,
             language: str | None = None, title: str | None = None, **kwargs):  # fmt: skip
    """Draw ``gdf`` on a matplotlib axes (created when not given) and return it.

    A numeric ``column`` is drawn as a choropleth with a legend; a text column as
    categories, in ``colours`` (value → colour) when given; no column, outlines only.
    ``title`` (default: :func:`map_title` of the column in ``language``, by default the
    current language of messages). Other keywords go to
    :meth:`geopandas.GeoDataFrame.plot`.
    """
    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib.patches import Patch

    if ax is None:
        _, ax = plt.subplots(figsize=kwargs.pop("figsize", (8, 8)))
    if column is None:
        gdf.plot(ax=ax, facecolor="none", edgecolor="#333333", **kwargs)
    elif colours and not pd.api.types.is_numeric_dtype(gdf[column]):
        values = gdf[column].astype("object")
        fill = [colours.get(v, "#dddddd") if isinstance(v, str) else "#ffffff" for v in values]
        gdf.plot(ax=ax, color=fill, edgecolor="#333333", linewidth=0.5, **kwargs)
        shown = [v for v in colours if (values == v).any()]
        if shown:
            handles = [
                Patch(facecolor=colours[v], edgecolor="#333333", label=str(v)) for v in shown
            ]
            ax.legend(
                handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small"
            )
    else:
        numeric = pd.api.types.is_numeric_dtype(gdf[column])
        kwargs.setdefault("legend", True)
        kwargs.setdefault(
            "missing_kwds", {"color": "#ffffff", "edgecolor": "#999999", "hatch": "///"}
        )
        if not numeric:
            kwargs.setdefault("categorical", True)
        gdf.plot(column=column, ax=ax, edgecolor="#333333", linewidth=0.5, **kwargs)
    ax.set_axis_off()
    title = title if title is not None else map_title(column, language)
    if title is not None:
        ax.set_title(title)
    return ax
