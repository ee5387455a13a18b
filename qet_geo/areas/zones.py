"""Areas: any polygon layer (IRIS, quartiers, custom zones) with chosen id and name fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from .. import geo
from ..display import html_summary, to_geodataframe
from ..errors import InputError, ParameterError, Problem
from ..geo import crs_of, layer_names, read_frame  # by the geo backend: QGIS inside QGIS
from ..i18n import Message, tr
from ..parameters import check_argument, check_path

#: What areas_from_frame takes (its French in qet_geo.i18n).
TABLE_OF_AREAS = "a table of polygons (GeoDataFrame, or DataFrame with a geometry column)"

#: id and name fields tried, in order, when none is given (IGN CONTOURS-IRIS, INSEE, common)
from .params import ID_FIELDS, NAME_FIELDS  # noqa: E402, F401 - the names here too


@dataclass
class Areas:
    """Polygons: ``frame`` has ``area_id`` (text), ``area_name`` (and ``members`` for
    neighbourhoods dissolved from ids) and a ``geometry`` column of shapely polygons, in
    ``crs`` (text: "EPSG:2154" or WKT); and what was done to read them.

    Plain pandas and shapely, no geopandas or pyproj: inside QGIS those libraries' own copies
    of PROJ and GDAL conflict with QGIS's (see docs/architecture.md)."""

    frame: pd.DataFrame
    source: str
    id_field: str
    name_field: str | None
    crs: str
    warnings: list[Problem] = field(default_factory=list)

    @property
    def geometries(self) -> np.ndarray:
        return self.frame["geometry"].to_numpy()

    def to_geodataframe(self):
        """The areas as a GeoDataFrame in :attr:`crs` (geopandas imported here)."""
        return to_geodataframe(self.frame, self.crs)

    def _repr_html_(self) -> str:
        return html_summary(f"Areas: {self.source}", [
            ("areas", len(self.frame)), ("id field", self.id_field),
            ("name field", self.name_field), ("CRS", self.crs),
            ("warnings", len(self.warnings) or None)])  # fmt: skip


def read_areas(
    path: str | Path,
    layer: str | None = None,
    id_field: str | None = None,
    name_field: str | None = None,
    groups: dict[str, list[str]] | None = None,
) -> Areas:
    """Read polygons; repair invalid geometries (warning naming them); refuse duplicate ids.

    ``groups`` defines neighbourhoods as sets of area ids (e.g. IRIS codes), dissolved into
    one polygon each: ``{"Centre": ["991230101", "991230102"]}``.

    Parameters
    ----------
    path : str or pathlib.Path
        A polygon layer (GeoPackage, GeoJSON, Shapefile…), read by the geo backend
        (pyogrio; QGIS inside QGIS).
    layer : str, optional
        The layer of a multi-layer file (default: its only polygon layer).
    id_field, name_field : str, optional
        The fields of the area id and name (default: recognised by their names, e.g.
        ``CODE_IRIS``, ``NOM_IRIS``).
    groups : dict, optional
        Neighbourhood name → the area ids dissolved into it.

    Returns
    -------
    Areas
        ``frame`` (one row per area: ``area_id``, ``area_name``…), ``geometries``,
        ``crs``, ``source``, ``warnings``.

    Raises
    ------
    InputError
        The file is missing or unreadable, the layer is ambiguous or missing, the
        geometries are not polygons, the ids are duplicated, there is no CRS.

    References
    ----------
    [INSEE-base-ic]: the IRIS, the usual areas and their codes; the page is
    ``docs/areas.md``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> areas = qg.read_areas("sample_data/quartier.gpkg", layer="iris")
    >>> len(areas.frame) > 0
    True
    """
    check_path(path, "read_areas", "path",
               Message("a table of polygons: qg.areas_from_frame(frame)") if isinstance(path, pd.DataFrame) else None)  # fmt: skip
    name = str(path)
    if not Path(path).exists():
        raise InputError(Problem.of(name, "file not found"))
    try:
        listed = layer_names(path)
    except Exception as exc:
        raise InputError(
            Problem.of(name, Message("not a readable layer: {error}", error=str(exc)))
        ) from exc
    layers = [str(row[0]) for row in listed]
    if layer is None:
        polygon_layers = [row[0] for row in listed if "polygon" in str(row[1]).lower()]
        if len(polygon_layers) == 1:
            layer = str(polygon_layers[0])
        elif len(layers) == 1:
            layer = layers[0]
        else:
            raise InputError(
                Problem.of(
                    name,
                    "several layers: choose the areas layer",
                    expected=Message(
                        "one of {choices}", choices=", ".join(map(repr, polygon_layers or layers))
                    ),
                )
            )
    elif layer not in layers:
        raise InputError(
            Problem.of(
                name,
                "no such layer",
                value=layer,
                expected=Message("one of {choices}", choices=", ".join(map(repr, layers))),
            )
        )
    frame = read_frame(path, layer)  # the features GDAL read checked against the file's
    source = f"{name} [{layer}]" if len(layers) > 1 else name
    return areas_from_frame(frame, source, id_field, name_field, groups, crs=crs_of(frame))


#: A CRS as text (kept here for the callers that import it from the areas)
crs_text = geo.crs_text


def areas_from_frame(
    frame: pd.DataFrame,
    source: str = "areas",
    id_field: str | None = None,
    name_field: str | None = None,
    groups: dict[str, list[str]] | None = None,
    crs: str | None = None,
) -> Areas:
    """Areas from a GeoDataFrame, or a DataFrame with a ``geometry`` column of shapely
    polygons and ``crs`` (see :func:`read_areas`).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame or pandas.DataFrame
        One row per area, with a ``geometry`` column of polygons.
    source : str
        The name given to the areas in messages.
    id_field, name_field : str, optional
        The fields of the area id and name (default: recognised by their names).
    groups : dict, optional
        Neighbourhood name → the area ids dissolved into it.
    crs : str or pyproj.CRS, optional
        The CRS (default: the frame's, :func:`qet_geo.geo.crs_of`: a GeoDataFrame's
        ``crs`` or a plain frame's ``attrs["crs"]``).

    Returns
    -------
    Areas
        As :func:`read_areas`.

    Raises
    ------
    InputError
        No CRS, geometries that are not polygons, duplicate or missing ids.

    References
    ----------
    [INSEE-base-ic]: the IRIS and their codes; the page is ``docs/areas.md``.

    Examples
    --------
    >>> import geopandas, qet_geo as qg
    >>> frame = geopandas.read_file("sample_data/quartier.gpkg", layer="iris")  # doctest: +SKIP
    >>> areas = qg.areas_from_frame(frame, "iris")  # doctest: +SKIP
    """
    check_argument(frame, pd.DataFrame, "areas_from_frame", "frame", TABLE_OF_AREAS,
                   Message("a file: qg.read_areas(path, layer=…)") if isinstance(frame, (str, Path)) else None)  # fmt: skip
    crs = crs_text(crs) if crs is not None else crs_of(frame)
    if crs is None:  # the one rule (qet_geo.geo.crs_of), with the areas' own message
        crs_of(frame, source, reason="the areas have no coordinate reference system")
        raise InputError(
            Problem.of(source, "the areas have no coordinate reference system", expected="a CRS")
        )
    geometry_column = "geometry"
    geometry = np.asarray(frame[geometry_column].to_numpy(), dtype=object)
    present = geometry[~pd.isna(geometry)]
    kinds = set(shapely.get_type_id(present).tolist()) if len(present) else set()
    names = {3: "Polygon", 6: "MultiPolygon"}
    kinds = {names.get(k, shapely.GeometryType(k).name.title()) for k in kinds}
    if not kinds or not kinds <= {"Polygon", "MultiPolygon"}:
        raise InputError(
            Problem.of(
                source,
                "the areas are not polygons",
                value=", ".join(sorted(kinds)) or "no geometry",
                expected="Polygon or MultiPolygon",
            )
        )
    id_field = _choose(frame, id_field, ID_FIELDS, source, "id")
    name_field = (
        _choose(frame, name_field, NAME_FIELDS, source, "name", required=False)
        if name_field != ""
        else None
    )
    ids = frame[id_field].astype("string").str.strip()
    blank = ids.isna() | ids.eq("")
    if blank.any():
        row = int(blank.to_numpy().nonzero()[0][0])
        raise InputError(
            Problem.of(source, "an area has no id", row=row + 1, column=id_field, expected="an id")
        )
    duplicated = ids[ids.duplicated(keep=False)]
    if len(duplicated):
        values = sorted(set(duplicated))
        raise InputError(
            [
                Problem.of(
                    source,
                    "duplicate area id",
                    row=int(i) + 1,
                    column=id_field,
                    value=str(ids.iloc[i]),
                    expected="one polygon per id (dissolve them first, or choose another id field)",
                )
                for i in range(len(ids))
                if ids.iloc[i] in values
            ]
        )
    out = pd.DataFrame(
        {
            "area_id": ids.astype(str).to_numpy(),
            "area_name": (
                frame[name_field].astype("string").fillna("").astype(str).to_numpy()
                if name_field
                else ids.astype(str).to_numpy()
            ),
            "geometry": geometry,
        }
    )
    warnings = []
    missing = pd.isna(geometry)
    empty = missing.copy()
    empty[~missing] = shapely.is_empty(geometry[~missing])
    invalid = np.zeros(len(geometry), dtype=bool)
    invalid[~empty] = ~shapely.is_valid(geometry[~empty])
    if empty.any():
        raise InputError(
            [
                Problem.of(
                    source,
                    "an area has no geometry",
                    row=int(i) + 1,
                    column=id_field,
                    value=out.area_id.iloc[i],
                )
                for i in empty.nonzero()[0]
            ]
        )
    coords, owner = shapely.get_coordinates(geometry[~empty], return_index=True)
    not_finite = np.unique(owner[~np.isfinite(coords).all(axis=1)])
    if len(not_finite):  # GEOS cannot repair or measure a NaN vertex: an error, not a crash
        rows = np.flatnonzero(~empty)[not_finite]
        raise InputError(
            [Problem.of(source, "an area has a coordinate that is not a number (NaN or infinite)",
                        row=int(i) + 1, column=id_field, value=out.area_id.iloc[i],
                        expected="finite coordinates") for i in rows]
        )  # fmt: skip
    if invalid.any():
        for i in invalid.nonzero()[0]:
            warnings.append(
                Problem.of(
                    source,
                    "invalid geometry repaired",
                    row=int(i) + 1,
                    column=id_field,
                    value=out.area_id.iloc[i],
                    expected=shapely.is_valid_reason(geometry[i]),
                )
            )
        repaired = shapely.make_valid(geometry[invalid])
        # keep the polygonal part of what make_valid returns
        geometry = geometry.copy()
        geometry[invalid] = [_polygonal(g) for g in repaired]
        out["geometry"] = geometry
    if groups:
        out = dissolve_groups(out, groups, source)
    return Areas(out.reset_index(drop=True), source, id_field, name_field, crs, warnings)


def as_areas(value, what: str = "areas") -> Areas:
    """The areas given to a step, whatever their container: :class:`Areas` as they are; a
    GeoDataFrame, or a DataFrame with a ``geometry`` column of polygons and
    ``attrs["crs"]``, read by :func:`areas_from_frame` (its CRS by
    :func:`qet_geo.geo.crs_of`: none is refused, naming ``what``); a result of the
    library's with areas (an ``AreaMap``, ``TransitAccess``, ``Proximity``, ``Comparison``:
    its per-area table, ``area_id`` and ``area_name``, in its ``crs``).

    Raises
    ------
    InputError
        No CRS, geometries that are not polygons, duplicate or missing ids (as
        :func:`areas_from_frame`); a value that holds no areas.
    """
    if isinstance(value, Areas):
        return value
    if isinstance(value, pd.DataFrame):
        crs = crs_of(value, what, reason="the areas have no coordinate reference system")
        return areas_from_frame(value, what, crs=crs)
    frame = getattr(value, "indicators", None)
    if not isinstance(frame, pd.DataFrame):
        frame = getattr(value, "areas", None)
    if isinstance(frame, pd.DataFrame) and "geometry" in frame.columns and hasattr(value, "crs"):
        crs = crs_of(value, what, reason="the areas have no coordinate reference system")
        return areas_from_frame(
            frame, what, "area_id", "area_name" if "area_name" in frame else "", crs=crs
        )
    raise InputError(
        Problem.of(
            what,
            "not areas",
            value=type(value).__name__,
            expected="Areas (qet_geo.read_areas), a GeoDataFrame of polygons, or a DataFrame "
            "with a geometry column of polygons and attrs['crs']",
        )
    )


def _polygonal(geometry):
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [
        g for g in getattr(geometry, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    return shapely.union_all(parts) if parts else geometry


def _choose(frame, wanted, candidates, source, what, required=True):
    columns = [c for c in frame.columns if c != "geometry"]
    if wanted:
        if wanted not in columns:
            raise InputError(
                Problem.of(
                    source,
                    f"no {what} field of that name",
                    value=wanted,
                    expected=Message("one of {choices}", choices=", ".join(map(repr, columns))),
                )
            )
        return wanted
    for candidate in candidates:
        if candidate in columns:
            return candidate
    if not required:
        return None
    raise InputError(
        Problem.of(
            source,
            f"no {what} field recognised; choose one",
            expected=Message("one of {choices}", choices=", ".join(map(repr, columns))),
        )
    )


def dissolve_groups(areas: pd.DataFrame, groups: dict[str, list[str]], source: str):
    """One polygon per group of area ids; ids not in the areas are an error."""
    known = set(areas["area_id"])
    problems = [
        Problem.of(source, "unknown area id in a neighbourhood", column=name, value=code)
        for name, codes in groups.items()
        for code in codes
        if str(code) not in known
    ]
    if problems:
        raise InputError(problems)
    rows = []
    for name, codes in groups.items():
        part = areas[areas["area_id"].isin([str(c) for c in codes])]
        rows.append(
            {
                "area_id": name,
                "area_name": name,
                "members": ",".join(part["area_id"]),
                "geometry": shapely.union_all(part["geometry"].to_numpy()),
            }
        )
    return pd.DataFrame(rows)


def parse_groups(text: str | None) -> dict[str, list[str]] | None:
    """ "Centre=991230101,991230102;Nord=…" → {"Centre": [...], …}."""
    if not text:
        return None
    groups = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        name, sep, codes = part.partition("=")
        if not sep:
            raise ParameterError(tr("neighbourhood {part!r}: expected NAME=code,code,…", part=part))
        groups[name.strip()] = [c.strip() for c in codes.split(",") if c.strip()]
    return groups
