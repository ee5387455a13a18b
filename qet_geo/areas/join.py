"""Respondents to areas: by point (vectorised point-in-polygon) or by area code.

Boundary rule (deterministic): a point in several areas — on a boundary they share, or
where polygons overlap — goes to the area whose id sorts first (text order). Points outside
every area, respondents without a location and codes that name no area are counted and
listed (by their row in the survey file) in the report, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from .. import geo
from ..errors import InputError, Problem
from .zones import Areas


@dataclass
class Joined:
    """``area`` per respondent: position in the areas (-1 when not joined)."""

    area: np.ndarray
    how: str  # "points" or "codes"
    outside_rows: list = field(default_factory=list)  # survey rows of points outside
    unlocated_rows: list = field(default_factory=list)  # rows without location or code
    unknown_codes: dict = field(default_factory=dict)  # code -> number of respondents
    unknown_rows: list = field(default_factory=list)
    on_boundary: int = 0  # points in several areas, given by the boundary rule
    reprojected: str | None = None  # "EPSG:4326 → EPSG:2154"

    @property
    def joined(self) -> int:
        return int((self.area >= 0).sum())

    def report(self) -> dict:
        return {
            "how": self.how,
            "joined": self.joined,
            "outside": len(self.outside_rows),
            "unlocated": len(self.unlocated_rows),
            "unknown_codes": dict(self.unknown_codes),
            "unknown_code_respondents": len(self.unknown_rows),
            "on_boundary": self.on_boundary,
            "reprojected": self.reprojected,
            "outside_rows": self.outside_rows[:50],
            "unlocated_rows": self.unlocated_rows[:50],
            "unknown_code_rows": self.unknown_rows[:50],
        }


def _rows(respondents: pd.DataFrame, mask: np.ndarray) -> list:
    if "source_row" in respondents.columns:
        return [int(r) for r in respondents["source_row"].to_numpy()[mask]]
    return [int(i) + 1 for i in np.flatnonzero(mask)]


def join_respondents(
    respondents: pd.DataFrame, areas: Areas, *, code_column: str | None = None, how: str = "auto"
) -> Joined:
    """Area of each respondent: ``how`` = "points", "codes" or "auto" (points when the
    respondents have point geometry and no code column is named, else codes)."""
    has_points = "geometry" in respondents.columns and respondents["geometry"].notna().any()
    if how == "auto":
        how = "codes" if code_column or not has_points else "points"
    if how == "points":
        return join_points(respondents, areas)
    return join_codes(respondents, areas, code_column or "area_code")


def _same_crs(a: str, b: str) -> bool:
    return a == b or geo.backend().same_crs(a, b)


def join_points(respondents, areas: Areas) -> Joined:
    """``respondents``: a GeoDataFrame, or a DataFrame with a ``geometry`` column of shapely
    points and its CRS in ``attrs["crs"]`` (:func:`qet_geo.geo.crs_of`: points without a CRS
    are refused, never taken as the areas')."""
    if "geometry" not in respondents.columns:
        raise InputError(
            Problem.of(
                "respondents",
                "the respondents have no point geometry",
                expected="points, or an area code column",
            )
        )

    crs = geo.crs_of(
        respondents,
        "respondents",
        reason="the respondents' points have no coordinate reference system",
    )
    if crs is None:  # a geometry column without a single point
        raise InputError(
            Problem.of(
                "respondents",
                "the respondents' points have no coordinate reference system",
                expected="a CRS",
            )
        )
    geoms = np.asarray(respondents["geometry"].to_numpy(), dtype=object)
    missing = pd.isna(geoms)
    located = ~missing
    located[~missing] = ~shapely.is_empty(geoms[~missing])
    reprojected = None
    if not _same_crs(crs, areas.crs):
        reprojected = f"{crs} → {areas.crs}"
        geoms = geoms.copy()
        geoms[located] = shapely.transform(
            geoms[located],
            lambda xy: np.column_stack(geo.backend().transform(crs, areas.crs, xy[:, 0], xy[:, 1])),
        )
    polygons = areas.geometries
    index = np.flatnonzero(located)
    in_points, area_of = geo.backend().point_pairs(polygons, geoms[index])
    point_of = index[in_points]
    # rank of each area id in text order: the first id wins on shared boundaries
    rank = np.empty(len(polygons), dtype=np.int64)
    rank[np.argsort(areas.frame["area_id"].to_numpy().astype(str), kind="stable")] = np.arange(
        len(polygons)
    )
    best = np.full(len(geoms), np.iinfo(np.int64).max)
    np.minimum.at(best, point_of, rank[area_of])
    hits = np.bincount(point_of, minlength=len(geoms))
    by_rank = np.argsort(rank)
    area = np.where(best < len(polygons), by_rank[np.minimum(best, len(polygons) - 1)], -1)
    outside = located & (area < 0)
    return Joined(
        area=area.astype(np.int64),
        how="points",
        outside_rows=_rows(respondents, outside),
        unlocated_rows=_rows(respondents, ~located),
        on_boundary=int((hits > 1).sum()),
        reprojected=reprojected,
    )


def normalise_code(values: pd.Series) -> pd.Series:
    """Area codes as text: spaces removed, '991230101.0' (a number read as float) fixed."""
    text = values.astype("string").str.strip()
    text = text.str.replace(r"\.0$", "", regex=True)
    return text


def join_codes(respondents: pd.DataFrame, areas: Areas, column: str) -> Joined:
    if column not in respondents.columns:
        raise InputError(
            Problem.of(
                "respondents",
                "no area code column",
                value=column,
                expected="point geometry, or a column of area codes (--code-field)",
            )
        )
    codes = normalise_code(respondents[column])
    ids = pd.Index(areas.frame["area_id"].astype(str))
    members = areas.frame.get("members")
    lookup = pd.Series(np.arange(len(ids)), index=ids)
    if members is not None:  # neighbourhoods dissolved from IRIS: their members' codes
        for position, text in enumerate(members.fillna("")):
            for code in str(text).split(","):
                if code:
                    lookup[code] = position
    area = codes.map(lookup).to_numpy(dtype=float, na_value=np.nan)
    blank = (codes.isna() | codes.eq("")).to_numpy()
    unknown = ~blank & np.isnan(area)
    counts = codes[unknown].value_counts()
    return Joined(
        area=np.where(np.isnan(area), -1, area).astype(np.int64),
        how="codes",
        unlocated_rows=_rows(respondents, blank),
        unknown_codes={str(k): int(v) for k, v in counts.items()},
        unknown_rows=_rows(respondents, unknown),
    )
