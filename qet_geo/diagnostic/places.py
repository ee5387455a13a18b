"""The diagnostic against the place (docs/diagnostic.md): where the EMdV and NGC respondents
are not located, each area's figure is estimated from its mix of profiles — the area's
published profile shares (an area map of ``qet-geo areas map``) times each profile's
published figure — and flagged "estimation par profils".

Nothing new is disclosed: an estimate is a function of published values only, and it is
hidden where one of them is (a hidden share of the area, a hidden figure of a profile).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..geo import read_frame
from ..i18n import Message
from ..io import split_layer

METHOD = "estimation par profils"


def read_area_mix(spec: str, numbers: list):
    """The areas of an area map (``PATH[:LAYER]``) with their profile shares
    ``share_<p>`` for each profile number ``p``: (frame with ``area_id``, ``area_name``,
    ``geometry`` and the shares as an array areas × profiles, crs)."""
    from ..areas import read_areas  # shapely: only when areas are given

    path, layer = split_layer(str(spec))
    areas = read_areas(path, layer=layer)
    # the same layer again, with its other columns (read_areas keeps the id and the name)
    resolved = layer or (areas.source[len(path) + 2 : -1] if areas.source != path else None)
    frame = read_frame(path, resolved)
    missing = [f"share_{p}" for p in numbers if f"share_{p}" not in frame.columns]
    if missing:
        raise InputError(Problem.of(
            str(spec), Message("no column {column!r}", column=missing[0]),
            expected=Message("an area map with the profile shares {columns} (qet-geo areas map)",
                             columns=", ".join(f"share_{p}" for p in numbers))))  # fmt: skip
    columns = []
    for p in numbers:
        column = f"share_{p}"
        values = pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
        given = (
            frame[column].notna().to_numpy()
            & (frame[column].astype(str).str.strip() != "").to_numpy()
        )
        wrong = (given & ~np.isfinite(values)) | (
            np.isfinite(values) & ((values < 0) | (values > 1 + 1e-9))
        )
        if wrong.any():
            i = int(np.flatnonzero(wrong)[0])
            raise InputError(Problem.of(str(spec), "not a profile share", row=i + 1, column=column,
                                        value=str(frame[column].iloc[i]),
                                        expected="a fraction from 0 to 1 (empty where hidden)"))  # fmt: skip
        columns.append(values)
    shares = np.column_stack(columns)
    out = areas.frame[["area_id", "area_name", "geometry"]].reset_index(drop=True)
    return out, shares, areas.crs


def slug(text: str) -> str:
    """``text`` as a column name: "Accessibilité financière" → ``accessibilite_financiere``."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def area_estimates(
    diagnostic, areas: pd.DataFrame, shares: np.ndarray, numbers: list
) -> pd.DataFrame:
    """One row per area: for every satisfaction item and wish, the estimated share of each
    answer code (``<question key>__<code>``), for every barrier family its estimated share
    (``<question key>__<family>``), for every carbon node its estimated mean
    (``carbon__<node key>``); ``method`` says "estimation par profils"."""
    out = areas.copy()
    out["method"] = METHOD
    labels = [str(p) for p in numbers]
    hidden_share = ~np.isfinite(shares)
    columns = {}

    def estimate(figures: np.ndarray) -> np.ndarray:  # figures per profile (NaN: hidden)
        bad = hidden_share | ~np.isfinite(figures)[None, :]
        value = (np.nan_to_num(shares) * np.nan_to_num(figures)[None, :]).sum(axis=1)
        return np.where(bad.any(axis=1), np.nan, np.round(value, 6))

    for name in ("satisfaction", "wishes"):
        table = getattr(diagnostic, name)
        if not len(table):
            continue
        codes = [c[6:] for c in table.columns if c.startswith("share_")]
        for key, rows in table.groupby("key", sort=False):
            by = rows.set_index(rows["profile"].astype(str))
            for code in codes:
                figures = np.array(
                    [by[f"share_{code}"].get(p, np.nan) for p in labels], dtype=float
                )
                columns[f"{key}__{code}"] = estimate(figures)
    barriers = diagnostic.barriers
    if len(barriers):
        families = barriers[barriers["level"] == "family"]
        for (key, family), rows in families.groupby(["key", "family"], sort=False):
            by = rows.set_index(rows["profile"].astype(str))
            figures = np.array([by["share"].get(p, np.nan) for p in labels], dtype=float)
            columns[f"{key}__{slug(family)}"] = estimate(figures)
    carbon = diagnostic.carbon
    if len(carbon):
        for key, rows in carbon.groupby("key", sort=False):
            by = rows.set_index(rows["profile"].astype(str))
            figures = np.array([by["mean"].get(p, np.nan) for p in labels], dtype=float)
            columns[f"carbon__{slug(key)}"] = estimate(figures)
    return pd.concat([out, pd.DataFrame(columns, index=out.index)], axis=1)
