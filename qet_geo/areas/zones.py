"""Areas: any polygon layer (IRIS, quartiers, custom zones) with chosen id and name fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from ..errors import InputError, Problem

#: id and name fields tried, in order, when none is given (IGN CONTOURS-IRIS, INSEE, common)
ID_FIELDS = ("code_iris", "CODE_IRIS", "IRIS", "iris", "id", "code", "ID")
NAME_FIELDS = ("nom_iris", "NOM_IRIS", "LIBIRIS", "nom", "name", "NOM", "libelle")


@dataclass
class Areas:
    """Polygons with ``area_id`` (text) and ``area_name``, in their own CRS, and what was
    done to read them."""

    frame: gpd.GeoDataFrame
    source: str
    id_field: str
    name_field: str | None
    warnings: list[Problem] = field(default_factory=list)

    @property
    def crs(self):
        return self.frame.crs


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
    """
    import pyogrio

    name = str(path)
    if not Path(path).exists():
        raise InputError(Problem.of(name, "file not found"))
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
    except Exception as exc:
        raise InputError(Problem.of(name, f"not a readable layer: {exc}")) from exc
    if layer is None:
        polygon_layers = [
            row[0] for row in pyogrio.list_layers(path) if "polygon" in str(row[1]).lower()
        ]
        if len(polygon_layers) == 1:
            layer = str(polygon_layers[0])
        elif len(layers) == 1:
            layer = layers[0]
        else:
            raise InputError(
                Problem.of(
                    name,
                    "several layers: choose the areas layer",
                    expected="one of " + ", ".join(map(repr, polygon_layers or layers)),
                )
            )
    elif layer not in layers:
        raise InputError(
            Problem.of(
                name,
                "no such layer",
                value=layer,
                expected="one of " + ", ".join(map(repr, layers)),
            )
        )
    frame = gpd.read_file(path, layer=layer)
    source = f"{name} [{layer}]" if len(layers) > 1 else name
    return areas_from_frame(frame, source, id_field, name_field, groups)


def areas_from_frame(
    frame: gpd.GeoDataFrame,
    source: str = "areas",
    id_field: str | None = None,
    name_field: str | None = None,
    groups: dict[str, list[str]] | None = None,
) -> Areas:
    """Areas from a GeoDataFrame (see :func:`read_areas`)."""
    if frame.crs is None:
        raise InputError(
            Problem.of(source, "the areas have no coordinate reference system", expected="a CRS")
        )
    kinds = set(frame.geometry.geom_type.dropna())
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
    out = gpd.GeoDataFrame(
        {
            "area_id": ids.astype(str).to_numpy(),
            "area_name": (
                frame[name_field].astype("string").fillna("").astype(str).to_numpy()
                if name_field
                else ids.astype(str).to_numpy()
            ),
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    warnings = []
    invalid = ~shapely.is_valid(out.geometry.to_numpy())
    empty = shapely.is_empty(out.geometry.to_numpy()) | out.geometry.isna().to_numpy()
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
    if invalid.any():
        for i in invalid.nonzero()[0]:
            warnings.append(
                Problem.of(
                    source,
                    "invalid geometry repaired",
                    row=int(i) + 1,
                    column=id_field,
                    value=out.area_id.iloc[i],
                    expected=shapely.is_valid_reason(out.geometry.iloc[i]),
                )
            )
        repaired = shapely.make_valid(out.geometry.to_numpy()[invalid])
        # keep the polygonal part of what make_valid returns
        repaired = [_polygonal(g) for g in repaired]
        geometry = out.geometry.to_numpy().copy()
        geometry[invalid] = repaired
        out = out.set_geometry(gpd.GeoSeries(geometry, crs=frame.crs, index=out.index))
    if groups:
        out = dissolve_groups(out, groups, source)
    return Areas(out.reset_index(drop=True), source, id_field, name_field, warnings)


def _polygonal(geometry):
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [
        g for g in getattr(geometry, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    return shapely.union_all(parts) if parts else geometry


def _choose(frame, wanted, candidates, source, what, required=True):
    columns = [c for c in frame.columns if c != frame.geometry.name]
    if wanted:
        if wanted not in columns:
            raise InputError(
                Problem.of(
                    source,
                    f"no {what} field of that name",
                    value=wanted,
                    expected="one of " + ", ".join(map(repr, columns)),
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
            expected="one of " + ", ".join(map(repr, columns)),
        )
    )


def dissolve_groups(areas: gpd.GeoDataFrame, groups: dict[str, list[str]], source: str):
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
                "geometry": shapely.union_all(part.geometry.to_numpy()),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=areas.crs)


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
            raise ValueError(f"neighbourhood {part!r}: expected NAME=code,code,…")
        groups[name.strip()] = [c.strip() for c in codes.split(",") if c.strip()]
    return groups


def to_frame(areas: Areas) -> pd.DataFrame:  # pragma: no cover - convenience
    return pd.DataFrame(areas.frame.drop(columns="geometry"))
