"""How results show themselves in a notebook: a GeoDataFrame with its CRS, a short HTML
summary (``_repr_html_``) and a map drawn with matplotlib.

geopandas and matplotlib are imported only here, inside the functions: the library itself
keeps plain pandas and shapely (inside QGIS, geopandas' own PROJ and GDAL conflict with
QGIS's, see docs/architecture.md).
"""

from __future__ import annotations

import html

import numpy as np
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

    if xy is not None and "geometry" not in frame.columns:
        geometry = gpd.points_from_xy(frame[xy[0]], frame[xy[1]], crs=crs)
        return gpd.GeoDataFrame(pd.DataFrame(frame), geometry=geometry, crs=crs)
    return gpd.GeoDataFrame(
        pd.DataFrame(frame.drop(columns="geometry")),
        geometry=gpd.GeoSeries(np.asarray(frame["geometry"].to_numpy(), dtype=object), crs=crs),
        crs=crs,
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
