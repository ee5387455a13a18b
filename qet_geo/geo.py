"""Where coordinate systems, reprojection, layer reading and point tables come from.

By default (the library, the command line) from pyproj, pyogrio and geopandas. Inside QGIS
those libraries must not be loaded: their pip wheels carry their own PROJ and GDAL, which
conflict with QGIS's and crash QGIS or ``qgis_process`` (on exit, or at once: pyproj#1414,
QGIS#37289). The plugin therefore runs every algorithm inside ``with geo.using(QgisBackend()):``
(a backend made of QGIS's own classes, ``algorithms/qgis_geo.py``), and every module reads,
reprojects and writes layers through :func:`backend`. The backend is a context variable, not
a process-wide global: it holds for the calls made inside the ``with`` block (in that thread
or task), and the library's default (pyproj, pyogrio, geopandas) everywhere else. Points
travel as shapely geometries, whose GEOS coexists with QGIS's.
"""

from __future__ import annotations

import contextlib
import contextvars
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd

from .constants import GPKG_VERSION
from .errors import InputError, Problem, QetGeoError
from .i18n import Message, translate
from .i18n import language as current_language


class PyprojBackend:
    """pyproj, pyogrio and geopandas: outside QGIS."""

    name = "pyproj"

    def normalise_crs(self, text: str) -> str:
        """The CRS as text ("EPSG:2154", or WKT); ValueError when it is unknown."""
        from pyproj import CRS

        try:
            crs = CRS.from_user_input(text)
        except Exception as exc:  # pyproj.exceptions.CRSError and friends
            raise ValueError(str(exc)) from exc
        authority = crs.to_authority()
        return ":".join(authority) if authority else crs.to_wkt()

    def is_geographic(self, crs: str) -> bool:
        from pyproj import CRS

        return CRS.from_user_input(crs).is_geographic

    def crs_wkt(self, crs: str) -> str:
        """The CRS as WKT (for files that must carry it, such as QGIS projects)."""
        from pyproj import CRS

        return CRS.from_user_input(crs).to_wkt()

    def metres_per_unit(self, crs: str) -> float | None:
        """Metres in one unit of the CRS's first axis (0.3048006… for US survey feet);
        None for a geographic CRS (degrees) or one without a linear unit."""
        from pyproj import CRS

        parsed = CRS.from_user_input(crs)
        if parsed.is_geographic or not parsed.axis_info:
            return None
        axis = parsed.axis_info[0]
        if axis.unit_name in ("degree", "radian", "grad") or not axis.unit_conversion_factor:
            return None
        return float(axis.unit_conversion_factor)

    def same_crs(self, a: str, b: str) -> bool:
        if a == b:
            return True
        from pyproj import CRS

        return CRS.from_user_input(a).equals(CRS.from_user_input(b))

    def transform(self, source: str, target: str, xs: np.ndarray, ys: np.ndarray):
        from pyproj import Transformer

        transformer = Transformer.from_crs(source, target, always_xy=True)
        return transformer.transform(np.asarray(xs, float), np.asarray(ys, float))

    def read_layer(self, path, layer):
        """(attributes DataFrame indexed by feature id, shapely geometries or None, CRS text
        or None, driver name) of a vector layer."""
        import pyogrio

        info = pyogrio.read_info(path, layer=layer)
        frame = pyogrio.read_dataframe(path, layer=layer, fid_as_index=True)
        check_features_read(path, layer, len(frame))
        if "geometry" in frame:
            geometry = np.asarray(frame.geometry.to_numpy(), dtype=object)
            crs = None if frame.crs is None else _crs_text(frame.crs)
            attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        else:
            geometry, crs, attributes = None, None, pd.DataFrame(frame)
        return attributes, geometry, crs, info.get("driver", "layer")

    def layer_size(self, path, layer):
        """(features, fields) a layer has by GDAL's count, before reading it."""
        import pyogrio

        info = pyogrio.read_info(path, layer=layer)
        return int(info.get("features", -1)), len(info.get("fields", []))

    def point_pairs(self, polygons: np.ndarray, points: np.ndarray):
        """(point positions, polygon positions) of every point inside or on a polygon:
        candidates by bounding box (STRtree), then the exact test on coordinates."""
        import shapely

        tree = shapely.STRtree(polygons)
        pairs = tree.query(points)
        shapely.prepare(polygons)
        x = shapely.get_x(points)
        y = shapely.get_y(points)
        inside = shapely.intersects_xy(polygons[pairs[1]], x[pairs[0]], y[pairs[0]])
        return pairs[0][inside], pairs[1][inside]

    def list_layers(self, path):
        """[(layer name, geometry type name)] of a file."""
        import pyogrio

        return [(str(n), str(kind)) for n, kind in pyogrio.list_layers(path)]

    def simplify_coverage(self, geometry: np.ndarray, tolerance: float) -> np.ndarray:
        """Polygons simplified as a coverage: shared edges simplified once, no gap opens."""
        import shapely

        try:
            return shapely.coverage_simplify(geometry, tolerance, simplify_boundary=True)
        except Exception:  # not a valid coverage (overlaps): each polygon on its own
            return shapely.simplify(geometry, tolerance, preserve_topology=True)

    def with_points(self, frame: pd.DataFrame, geometry: np.ndarray, crs: str):
        """``frame`` with point geometry: a GeoDataFrame."""
        import geopandas as gpd

        return gpd.GeoDataFrame(frame, geometry=geometry, crs=crs)

    def write_layer(self, table: pd.DataFrame, path, layer: str, metadata=None) -> None:
        """Write ``table`` as the layer ``layer`` of the GeoPackage ``path``: the file made
        (GeoPackage :data:`~qet_geo.io.GPKG_VERSION`) when it does not exist, else the layer
        added or replaced, the file's other layers kept. A ``geometry`` column of shapely
        geometries (or a GeoDataFrame's) makes a spatial layer in the table's CRS
        (:func:`crs_of`); ``metadata`` goes into the layer's metadata (``gpkg_metadata``)."""
        import pyogrio

        spatial = hasattr(table, "geometry") and getattr(table.geometry, "name", None) in table
        crs = crs_of(table, layer)  # geometry without a CRS: refused, never written so
        if "geometry" in table.columns and not hasattr(table, "set_crs"):  # plain frame
            import geopandas as gpd

            table = gpd.GeoDataFrame(
                table.drop(columns="geometry"),
                geometry=gpd.GeoSeries(table["geometry"].to_numpy(), crs=crs),
            )
        elif not spatial:
            table = pd.DataFrame(table)
        extra = {"layer_metadata": dict(metadata)} if metadata else {}
        if Path(path).exists():
            pyogrio.write_dataframe(table, path, layer=layer, driver="GPKG",
                                    layer_options={"OVERWRITE": "YES"}, **extra)  # fmt: skip
        else:
            pyogrio.write_dataframe(table, path, layer=layer, driver="GPKG",
                                    dataset_options={"VERSION": GPKG_VERSION}, **extra)  # fmt: skip


class PlainBackend(PyprojBackend):
    """Points as a ``geometry`` column of shapely objects, the CRS in ``attrs["crs"]``;
    the rest must come from a subclass (the plugin's QGIS backend)."""

    name = "plain"

    def with_points(self, frame: pd.DataFrame, geometry: np.ndarray, crs: str):
        out = frame.copy()
        out["geometry"] = geometry
        return with_crs(out, crs)


def _crs_text(crs) -> str:
    """A pyproj CRS as "EPSG:…" when it has an authority code, else WKT."""
    authority = crs.to_authority()
    return ":".join(authority) if authority else crs.to_wkt()


_DEFAULT = PyprojBackend()
_current: contextvars.ContextVar = contextvars.ContextVar("qet_geo_backend", default=None)


def backend():
    """The geo backend of this call: the one of the innermost :func:`using` block, else the
    library's default (:class:`PyprojBackend`)."""
    return _current.get() or _DEFAULT


@contextlib.contextmanager
def using(new) -> Iterator[object]:
    """Read, reproject and write layers with the backend ``new`` inside the block (this
    thread or task only; blocks nest; the previous backend is back after the block, even on
    an error)::

        with geo.using(QgisBackend()):
            pipeline.run(config)
    """
    token = _current.set(new)
    try:
        yield new
    finally:
        _current.reset(token)


@dataclass
class MetricCrs:
    """Where distances are measured: ``crs``, a CRS in metres — the input's own
    (``input_crs``) when its unit is the metre, else the UTM zone of the data's centre
    (``reason`` says why: a geographic CRS, or a unit that is not the metre). Points and
    geometries go in (:meth:`xy_in`, :meth:`geometries_in`) and back (:meth:`xy_out`)."""

    input_crs: str
    crs: str
    reason: str | None = None

    @property
    def reprojected(self) -> bool:
        return self.reason is not None

    def xy_in(self, xy) -> np.ndarray:
        return _transform_xy(xy, self.input_crs, self.crs) if self.reprojected else _xy(xy)

    def xy_out(self, xy) -> np.ndarray:
        return _transform_xy(xy, self.crs, self.input_crs) if self.reprojected else _xy(xy)

    def geometries_in(self, geometries) -> np.ndarray:
        geometries = np.asarray(geometries, dtype=object)
        if not self.reprojected:
            return geometries
        return transform_geometries(geometries, self.input_crs, self.crs)

    def describe(self, language: str | None = None) -> str:
        """One line for the command's output and the log, in ``language`` (default: the
        language of messages)."""
        lang = language or current_language()
        if not self.reprojected:
            return translate(lang, "distances in metres in {crs}", crs=_short(self.crs))
        return translate(
            lang, "distances in metres in {crs} (the input CRS {input} is {reason})",
            crs=_short(self.crs), input=_short(self.input_crs), reason=translate(lang, self.reason),
        )  # fmt: skip

    def to_dict(self) -> dict:
        return {"input_crs": self.input_crs, "distance_crs": self.crs,
                "reprojected_because": self.reason}  # fmt: skip


def _short(crs: str) -> str:
    return crs if len(crs) <= 40 else crs[:40] + "…"


def _xy(xy) -> np.ndarray:
    return np.asarray(xy, dtype=float).reshape(-1, 2)


def _transform_xy(xy, source: str, target: str) -> np.ndarray:
    xy = _xy(xy)
    if len(xy) == 0:
        return xy
    x, y = backend().transform(source, target, xy[:, 0], xy[:, 1])
    return np.column_stack([np.asarray(x, float), np.asarray(y, float)])


def transform_geometries(geometries, source: str, target: str) -> np.ndarray:
    """Shapely geometries from ``source`` to ``target`` by the backend (QGIS in QGIS)."""
    import shapely

    geometries = np.asarray(geometries, dtype=object)
    present = ~pd.isna(geometries)
    out = geometries.copy()
    if present.any():
        out[present] = shapely.transform(
            geometries[present], lambda xy: _transform_xy(xy, source, target)
        )
    return out


def metric_crs(crs: str, geometries) -> MetricCrs:
    """The CRS to measure distances in metres for data in ``crs`` covering ``geometries``
    (shapely, in ``crs``): ``crs`` itself when its unit is the metre; else (degrees, US
    feet, any other unit) the UTM zone (WGS 84) of the centre of their bounds."""
    import shapely

    factor = backend().metres_per_unit(crs)
    geometries = np.asarray(geometries, dtype=object)
    geometries = geometries[~pd.isna(geometries)]
    xmin, ymin, xmax, ymax = shapely.total_bounds(geometries) if len(geometries) else (0,) * 4
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    if factor is not None and abs(factor - 1.0) < 1e-12:
        scale = _scale_at(crs, cx, cy)
        if scale is None or abs(scale - 1.0) <= MAX_SCALE_ERROR:
            return MetricCrs(crs, crs)
        reason = Message(
            "distorted: 1 of its metres is {scale:.3f} m on the ground here (Mercator-like)",
            scale=scale,
        )
    elif factor is None:
        reason = "geographic (degrees)"
    else:
        reason = Message("not in metres (1 unit = {factor:.7g} m)", factor=factor)
    lon, lat = backend().transform(crs, "EPSG:4326", [cx], [cy])
    lon, lat = float(np.asarray(lon)[0]), float(np.asarray(lat)[0])
    if not (np.isfinite(lon) and np.isfinite(lat)):
        lon, lat = 0.0, 0.0
    zone = int((lon + 180.0) // 6.0) % 60 + 1
    code = (32600 if lat >= 0 else 32700) + zone
    return MetricCrs(crs, f"EPSG:{code}", reason)


#: A CRS in metres whose scale at the data differs from 1 by more than this (Web Mercator:
#: 1.52 at 49° N) is not used for distances; conformal national projections stay within
#: a few 1/1000 (Lambert-93 at most 1.003 in France, UTM 1.001 in its zone).
MAX_SCALE_ERROR = 0.01


def _scale_at(crs: str, x: float, y: float, step: float = 1000.0) -> float | None:
    """Ground metres per CRS metre at (x, y): the mean over a step east and a step north,
    their ground length taken on the WGS 84 ellipsoid (radii of curvature; exact enough
    for a kilometre). None when the points do not transform."""
    lon, lat = backend().transform(crs, "EPSG:4326", [x, x + step, x], [y, y, y + step])
    lon, lat = np.radians(np.asarray(lon, float)), np.radians(np.asarray(lat, float))
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        return None
    a, e2 = 6378137.0, 6.69437999014e-3
    sin2 = np.sin(lat[0]) ** 2
    meridian = a * (1 - e2) / (1 - e2 * sin2) ** 1.5  # M
    normal = a / np.sqrt(1 - e2 * sin2)  # N
    ground = [
        float(np.hypot(meridian * (lat[i] - lat[0]), normal * np.cos(lat[0]) * (lon[i] - lon[0])))
        for i in (1, 2)
    ]
    return (ground[0] + ground[1]) / (2 * step)


def write_layer(table: pd.DataFrame, path, layer: str, metadata=None) -> None:
    """Write ``table`` as the layer ``layer`` of the GeoPackage ``path`` by the backend (QGIS
    inside QGIS); see :meth:`PyprojBackend.write_layer`."""
    backend().write_layer(table, path, layer, metadata=metadata)


#: What a table with geometry and no CRS is told it needs (pandas' join, merge, concat and
#: ``pd.DataFrame(frame)`` drop ``attrs``, where a plain frame keeps its CRS).
CRS_EXPECTED = (
    "a CRS: a GeoDataFrame's, or attrs['crs'] of a plain frame (pandas' join, merge and "
    "concat drop it: set it again with qet_geo.geo.with_crs(frame, crs))"
)


def crs_text(crs) -> str | None:
    """A CRS as text: a pyproj CRS (a GeoDataFrame's) as "EPSG:…" when it has an authority
    code, else WKT; text as it is; None as None."""
    if crs is None or isinstance(crs, str):
        return crs or None
    return _crs_text(crs)


def has_geometry(frame) -> bool:
    """Whether ``frame`` has geometry: a GeoDataFrame's active geometry, or a ``geometry``
    column with at least one geometry (an empty table, or one of area codes only, has none)."""
    if not isinstance(frame, pd.DataFrame):
        return False
    name = geometry_name(frame)
    return name is not None and bool(frame[name].notna().any())


def geometry_name(frame: pd.DataFrame) -> str | None:
    """The name of a frame's geometry column: a GeoDataFrame's active one, else
    ``geometry`` when there is one; None without."""
    if hasattr(frame, "set_crs"):  # a GeoDataFrame (geopandas never imported here)
        try:
            return frame.geometry.name
        except AttributeError:  # no active geometry column
            return None
    return "geometry" if "geometry" in frame.columns else None


def crs_of(frame, what: str | None = None, *, reason: str | None = None) -> str | None:
    """The CRS, as text ("EPSG:2154" or WKT), of anything with geometry: the one rule.

    A GeoDataFrame's ``.crs``; a plain DataFrame's ``attrs["crs"]`` (the CRS of its
    ``geometry`` column of shapely objects, where the library keeps it on the paths QGIS
    uses), or its geometry column's own when it is geopandas' (``pd.DataFrame(gdf)``); the
    ``crs`` of :class:`~qet_geo.areas.Areas` and of the library's results (``AreaMap``,
    ``TransitAccess``, ``Proximity``, ``Comparison``).

    Parameters
    ----------
    frame : pandas.DataFrame, geopandas.GeoDataFrame or a result with ``crs``
        The table (or object).
    what : str, optional
        The table's name in messages. Given, a table *with geometry and no CRS* is refused
        (:class:`~qet_geo.errors.InputError`) instead of a CRS being assumed; without it,
        None is returned.
    reason : str, optional
        The message's reason (default: "the layer has no coordinate reference system").

    Returns
    -------
    str or None
        None only for a table without geometry (or without ``what``).
    """
    if isinstance(frame, pd.DataFrame):
        crs = None
        if hasattr(frame, "set_crs"):  # a GeoDataFrame
            try:
                crs = frame.crs
            except AttributeError:  # no active geometry column
                crs = None
        if crs is None:
            crs = frame.attrs.get("crs")
        name = geometry_name(frame)
        if crs is None and name is not None:  # pd.DataFrame(gdf): the column keeps its CRS
            crs = getattr(frame[name].array, "crs", None)
        crs = crs_text(crs)
        if crs is None and what is not None and has_geometry(frame):
            raise _no_crs(what, reason)
        return crs
    crs = crs_text(getattr(frame, "crs", None))
    if crs is None and what is not None:
        raise _no_crs(what, reason)
    return crs


def _no_crs(what: str, reason: str | None) -> InputError:
    return InputError(
        Problem.of(
            str(what),
            reason or "the layer has no coordinate reference system",
            expected=CRS_EXPECTED,
        )
    )


def with_crs(frame: pd.DataFrame, crs) -> pd.DataFrame:
    """A copy of ``frame`` that says its CRS: a GeoDataFrame's set (replaced) to ``crs``, a
    plain frame's in ``attrs["crs"]`` (its ``geometry`` column of shapely geometries), the
    way :func:`crs_of` reads it and :func:`write_layer` writes it. ``crs`` is text, a
    pyproj CRS, or None (no CRS)."""
    crs = crs_text(crs)
    if hasattr(frame, "set_crs"):  # a GeoDataFrame
        try:
            return frame.set_crs(crs, allow_override=True)
        except (AttributeError, ValueError):  # no active geometry column: as a plain frame
            pass
    out = pd.DataFrame(frame).copy()
    if crs is None:
        out.attrs.pop("crs", None)
    else:
        out.attrs["crs"] = crs
    return out


def with_crs_of(frame: pd.DataFrame, source) -> pd.DataFrame:
    """``frame`` with the CRS of ``source`` (:func:`crs_of`) when ``source`` has one: for a
    table made from another by pandas' ``join``, ``merge`` or ``concat``, which drop
    ``attrs``. ``frame`` itself when ``source`` has none."""
    crs = crs_of(source)
    return frame if crs is None else with_crs(frame, crs)


def gpkg_feature_count(path, layer: str | None) -> int | None:
    """The features a GeoPackage layer holds, counted (None: not a GeoPackage, or unsure)."""
    if Path(path).suffix.lower() != ".gpkg":
        return None
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"  # a name with ? or # is a file
    try:
        with closing(sqlite3.connect(uri, uri=True)) as db:
            tables = [
                str(row[0])
                for row in db.execute(
                    "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'"
                )
            ]
            table = layer if layer is not None else tables[0] if len(tables) == 1 else None
            if table not in tables:
                return None
            quoted = '"' + table.replace('"', '""') + '"'
            return int(db.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0])
    except (sqlite3.Error, IndexError, TypeError):
        return None


def check_features_read(path, layer: str | None, read: int) -> None:
    """Refuse a GeoPackage layer of which fewer (or more) features were read than it holds:
    GDAL reads as many as its gpkg_ogr_contents says, the others lost without a word."""
    stored = gpkg_feature_count(path, layer)
    if stored is None or stored == read:
        return

    raise InputError(
        Problem.of(
            f"{path} [{layer}]" if layer else str(path),
            Message(
                "the GeoPackage says the layer has {read} features but it holds {stored}",
                read=read,
                stored=stored,
            ),
            expected="a GeoPackage saved again (QGIS: Export > Save Features As)",
        )
    )


def read_frame(path, layer: str | None = None) -> pd.DataFrame:
    """A layer as a DataFrame: its fields, a ``geometry`` column of shapely geometries
    (when it has geometry) and its CRS in ``attrs["crs"]``, read by the backend (QGIS
    inside QGIS)."""
    try:
        attributes, geometry, crs, _ = backend().read_layer(path, layer)
    except (QetGeoError, ImportError, MemoryError, RecursionError):
        raise  # not the file's fault
    except Exception as exc:  # noqa: BLE001 - GDAL's or QGIS's error for any unreadable file
        where = str(path) if layer is None else f"{path} [{layer}]"
        raise InputError(
            Problem.of(where, Message("not a readable layer: {error}", error=str(exc)))
        ) from exc
    frame = attributes.reset_index(drop=True)
    if geometry is not None:
        frame["geometry"] = list(geometry)
    return with_crs(frame, crs)


def to_wgs84(frame: pd.DataFrame, what: str = "layer") -> np.ndarray:
    """The frame's geometries in WGS 84 (lon/lat), by the backend's transformation; a frame
    with geometry and no CRS is refused (:func:`crs_of`; ``what`` names it)."""
    import shapely

    geometry = np.asarray(frame["geometry"].to_numpy(), dtype=object)
    crs = crs_of(frame, what)
    if crs is None or backend().same_crs(crs, "EPSG:4326"):
        return geometry
    present = ~pd.isna(geometry)
    out = geometry.copy()
    out[present] = shapely.transform(
        geometry[present],
        lambda xy: np.column_stack(backend().transform(crs, "EPSG:4326", xy[:, 0], xy[:, 1])),
    )
    return out


def layer_names(path) -> list[tuple[str, str]]:
    """[(layer, geometry type)] of a file."""
    return backend().list_layers(path)


def population_points(frame: pd.DataFrame, field: str) -> tuple[np.ndarray, np.ndarray]:
    """(x/y of the centroids of the frame's features, in its CRS; the numbers of ``field``,
    NaN where a value is not a number): population points or squares as
    :func:`qet_geo.transit.transit_access` and :func:`qet_geo.constraints.proximity` weigh
    by them."""
    import shapely

    centres = shapely.centroid(np.asarray(frame["geometry"].to_numpy(), dtype=object))
    counts = pd.to_numeric(frame[field], errors="coerce").to_numpy(dtype=float)
    return np.column_stack([shapely.get_x(centres), shapely.get_y(centres)]), counts
