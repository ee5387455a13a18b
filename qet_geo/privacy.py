"""Layers that hold respondents, or derive from them, never go into a published output.

A web map background is drawn as it is and a service layer is counted per area, so a layer
of respondents' homes given as either would publish the homes or exact counts of
respondents. :func:`check_not_respondents` refuses such a layer before it is used; the
whole-job run (``qet_geo.pipeline``), the command line and the Processing algorithms call it.

The rule (disclosure control, docs/privacy.md), for a layer given as a web map background or a service:

1. **Marked** as respondents: a GeoPackage layer carrying qet-geo's marker (the
   ``QET_GEO_CONTENT = respondents`` metadata item every respondents GeoPackage qet-geo
   writes has), or a layer with a ``respondent_id`` field, or with at least
   :data:`MARKER_ANSWERS` of the six SU answer fields (``meat_frequency``…).
2. **On respondents' homes**, when the respondents are known (the whole-job run; the
   command line with ``--respondents``; the comparison): at least :data:`HOME_SHARE` of
   the layer's features have their centroid within :data:`HOME_DISTANCE_M` metres of a
   home. This catches homes buffered in QGIS with their fields dropped.
3. **Point-like**, for a background only (known respondents or not): a point layer, or a
   polygon layer of which at least :data:`HOME_SHARE` of the features are smaller than
   :data:`POINT_LIKE_M2` m² (a circle of 5.6 m radius): drawn on a map, they are dots that
   may sit on homes.

A service layer of points is ordinary (shops, markets); only rules 1 and 2 apply to it.
A population layer (the weights of the population-weighted centroids, whose distances to
services and PTAL are published per area, suppressed areas included) follows rules 1 and 2
too: weighted by the respondents, a centroid would be a respondent's home where few live.
The rules guard against mistakes and shortcuts; a layer built to defeat them (homes moved
by 20 m, hidden among many other features) is not detected.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np
import pandas as pd

from .constants import SU_FIELDS
from .errors import InputError, Problem
from .geo import backend, crs_of, layer_names, read_frame, to_wgs84, with_crs
from .i18n import Message

#: GeoPackage metadata item of every respondents layer qet-geo writes.
MARKER_KEY = "QET_GEO_CONTENT"
MARKER_VALUE = "respondents"
#: A layer with this field is respondent-level.
ID_FIELD = "respondent_id"
#: The six SU answer fields of the Respondents table.
ANSWER_FIELDS = SU_FIELDS
#: A layer with at least this many SU answer fields is respondent-level.
MARKER_ANSWERS = 3
#: A feature whose centroid is this close to a respondent's home (metres) sits on it.
HOME_DISTANCE_M = 5.0
#: Share of a layer's features on homes (or point-like) from which it is refused.
HOME_SHARE = 0.5
#: A polygon smaller than this (m²) is point-like on a map.
POINT_LIKE_M2 = 100.0

USES = ("background", "service", "population")


def check_not_respondents(
    source,
    use: str,
    *,
    layer: str | None = None,
    path=None,
    name: str | None = None,
    respondents=None,
) -> None:
    """Raise :class:`InputError` when the layer ``source`` holds respondents or derives from
    them (module docstring: the rule), given as ``use`` ("background" or "service").

    ``source``: a path (with ``layer``), or a frame as :func:`qet_geo.geo.read_frame` gives
    (then ``path`` and ``layer``, when known, are checked for the marker).
    ``respondents``: the run's Respondents (a frame with point ``geometry``, or the path of
    a respondents file) or ``None``.
    ``name``: how the message names the layer (default: the path and layer).
    """
    if use not in USES:
        raise ValueError(f"use must be one of {USES}, got {use!r}")
    if isinstance(source, (str, Path)):
        path = str(source)
        frame = read_frame(path, layer)
    else:
        frame = source
    label = name or (f"{path} [{layer}]" if path and layer else str(path or "layer"))
    reason = _marked(frame, path, layer)
    if reason is None and respondents is not None:
        reason = _on_homes(frame, respondents, label)
    if reason is None and use == "background":
        reason = _point_like(frame, label)
    if reason is not None:
        raise InputError(
            Problem.of(label, Message(REFUSED[use], reason=reason), expected=INSTEAD[use])
        )


#: The message (its template, the reason a :class:`~qet_geo.i18n.Message`), by use.
REFUSED = {
    "background": "refused as a web map background: {reason}",
    "service": "refused as a service layer: {reason}",
    "population": "refused as a population layer: {reason}",
}
#: What to use instead, by use.
INSTEAD = {
    "background": "a layer of the place itself (streets, buildings, parks, a perimeter), "
    "never one made from the respondents' homes",
    "service": "a layer of the services themselves (shops, markets, repair shops), "
    "never one made from the respondents' homes",
    "population": "a layer of the population itself (census squares, dwellings), "
    "never one made from the respondents' homes",
}


def has_marker(path, layer: str | None = None) -> bool:
    """Whether the GeoPackage ``path`` (its ``layer``, or any layer) carries qet-geo's
    respondents marker (read with sqlite3: no GDAL needed, inside QGIS too)."""
    path = Path(str(path))
    if path.suffix.lower() != ".gpkg" or not path.is_file():
        return False
    query = (
        "SELECT m.metadata, r.table_name FROM gpkg_metadata m "
        "LEFT JOIN gpkg_metadata_reference r ON r.md_file_id = m.id"
    )
    try:
        with closing(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)) as db:
            rows = db.execute(query).fetchall()
    except sqlite3.Error:  # no metadata tables, or not a GeoPackage
        return False
    marker = re.compile(rf'key="{MARKER_KEY}">\s*{MARKER_VALUE}\s*<')
    return any(
        marker.search(str(text or "")) and (layer is None or table in (None, layer))
        for text, table in rows
    )


def _marked(frame: pd.DataFrame, path, layer) -> Message | None:
    if path and has_marker(path, layer):
        return Message("it is a respondents file written by qet-geo")
    fields = {str(c).lower() for c in frame.columns}
    if ID_FIELD in fields:
        return Message("it has a {field} field (one feature per respondent)", field=ID_FIELD)
    answers = [f for f in ANSWER_FIELDS if f in fields]
    if len(answers) >= MARKER_ANSWERS:
        return Message("it has respondents' answer fields ({fields})", fields=", ".join(answers))
    return None


def _geometries(frame) -> np.ndarray:
    """The non-empty geometries of ``frame`` (none without geometry), in its CRS."""
    import shapely

    if "geometry" not in getattr(frame, "columns", ()) or not len(frame):
        return np.zeros(0, dtype=object)
    geometry = np.asarray(frame["geometry"].to_numpy(), dtype=object)
    geometry = geometry[~pd.isna(geometry)]
    return geometry[~shapely.is_empty(geometry)] if len(geometry) else geometry


def _lonlat(geometry: np.ndarray, crs, what: str = "layer") -> np.ndarray:
    """``geometry`` (shapely, in ``crs``) in WGS 84 lon/lat, by the geo backend."""
    frame = with_crs(pd.DataFrame({"geometry": list(geometry)}), crs)
    return np.asarray(to_wgs84(frame, what), dtype=object)


def _local_xy(lonlat: np.ndarray, lat0: float) -> np.ndarray:
    """lon/lat as metres around latitude ``lat0`` (exact to a few ‰ over a neighbourhood)."""
    return lonlat * np.array([111_320.0 * np.cos(np.radians(lat0)), 110_574.0])


def _centroids_lonlat(frame, what: str = "layer") -> np.ndarray:
    """x/y (lon/lat) of the centroid of each non-empty geometry of ``frame``: centroids
    taken in the layer's CRS (none: refused, :func:`qet_geo.geo.crs_of`), then only they
    are reprojected."""
    import shapely

    geometry = _geometries(frame)
    if not len(geometry):
        return np.zeros((0, 2))
    crs = crs_of(frame, what)
    return shapely.get_coordinates(_lonlat(shapely.centroid(geometry), crs, what))


def _on_homes(frame: pd.DataFrame, respondents, label: str = "layer") -> Message | None:
    from scipy.spatial import cKDTree

    if isinstance(respondents, (str, Path)):
        names = [n for n, _ in layer_names(respondents)]
        respondents = read_frame(respondents, "respondents" if "respondents" in names else None)
    home_xy = _centroids_lonlat(respondents, "respondents")
    if not len(home_xy):
        return None
    feature_xy = _centroids_lonlat(frame, label)
    if not len(feature_xy):
        return None
    lat0 = float(np.nanmedian(home_xy[:, 1]))
    tree = cKDTree(_local_xy(home_xy, lat0))
    distance, _ = tree.query(_local_xy(feature_xy, lat0), k=1)
    near = int((distance <= HOME_DISTANCE_M).sum())
    if near and near >= HOME_SHARE * len(feature_xy):
        return Message(
            "{near} of its {features} features lie within {distance:g} m of a respondent's home",
            near=near,
            features=len(feature_xy),
            distance=HOME_DISTANCE_M,
        )
    return None


def _point_like(frame: pd.DataFrame, label: str = "layer") -> Message | None:
    import shapely

    features = _geometries(frame)
    if not len(features):
        return None
    kinds = shapely.get_type_id(features)
    if np.isin(kinds, (0, 4)).all():  # Point, MultiPoint
        return Message("it is a point layer (points could show respondents' homes)")
    polygons = features[np.isin(kinds, (3, 6))]
    if not len(polygons):
        return None
    crs = crs_of(frame, label)
    if crs is not None and not backend().is_geographic(crs):
        areas = shapely.area(polygons)  # a projected CRS: metres
    else:
        lonlat = _lonlat(polygons, crs, label)
        lat0 = float(np.nanmedian(shapely.get_coordinates(lonlat)[:, 1]))
        areas = shapely.area(shapely.transform(lonlat, lambda xy: _local_xy(xy, lat0)))
    small = int((areas < POINT_LIKE_M2).sum())
    if small >= HOME_SHARE * len(features):
        return Message(
            "{small} of its {features} features are polygons under {area:g} m², drawn as dots "
            "that could show homes",
            small=small,
            features=len(features),
            area=POINT_LIKE_M2,
        )
    return None
