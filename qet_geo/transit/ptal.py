"""PTAL — Public Transport Accessibility Level (Transport for London), METHODS §8.

For a point: service access points (SAP) are bus stops within ``catchment["bus"]`` (640 m)
and rail, metro and tram stations within ``catchment["rail"]`` (960 m) of walking, at
``walk_speed`` (80 m/min); walking distance is the straight line × ``detour`` (1.0 in
London; 1.3 in Brisbane). For each route serving a SAP in reach — its nearest stop only,
its most frequent direction — f = departures per hour in the time window (weekday
08:15–09:15). SWT = 0.5 × 60 / f; AWT = SWT + reliability (2.0 min bus, 0.75 min rail);
TAT = walk time + AWT; EDF = 30 / TAT. Per mode AI = max EDF + ``other_weight`` (0.5) × the
sum of the other EDFs; the point's AI is the sum over modes, and its band 0 (no SAP), 1a,
1b, 2, 3, 4, 5, 6a, 6b. Every constant is a parameter of :class:`PtalParameters`.

A station's platforms (stops with a ``parent_station``) are one SAP: the station.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: (upper bound of AI, band), TfL
BANDS = ((0.0, "0"), (2.5, "1a"), (5.0, "1b"), (10.0, "2"), (15.0, "3"), (20.0, "4"),
         (25.0, "5"), (40.0, "6a"), (np.inf, "6b"))  # fmt: skip
BAND_NAMES = tuple(b for _, b in BANDS)


@dataclass
class PtalParameters:
    walk_speed: float = 80.0  # m/min
    catchment: dict = field(default_factory=lambda: {"bus": 640.0, "rail": 960.0})  # m
    reliability: dict = field(default_factory=lambda: {"bus": 2.0, "rail": 0.75})  # min
    other_weight: float = 0.5
    detour: float = 1.0
    window: tuple = (8 * 3600 + 15 * 60, 9 * 3600 + 15 * 60)  # seconds from midnight

    @property
    def window_hours(self) -> float:
        return (self.window[1] - self.window[0]) / 3600.0

    def to_dict(self) -> dict:
        return {
            "walk_speed_m_per_min": self.walk_speed,
            "catchment_m": dict(self.catchment),
            "reliability_min": dict(self.reliability),
            "other_weight": self.other_weight,
            "detour": self.detour,
            "window": [_hhmm(self.window[0]), _hhmm(self.window[1])],
        }


def _hhmm(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def parse_window(text: str) -> tuple[int, int]:
    """ "08:15-09:15" → seconds (ValueError when malformed or empty)."""
    start, sep, end = text.replace("–", "-").partition("-")
    if not sep:
        raise ValueError(f"time window {text!r}: expected HH:MM-HH:MM")
    values = []
    for part in (start, end):
        hours, _, minutes = part.strip().partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(minutes) < 60):
            raise ValueError(f"time window {text!r}: expected HH:MM-HH:MM")
        values.append(int(hours) * 3600 + int(minutes) * 60)
    if values[1] <= values[0]:
        raise ValueError(f"time window {text!r}: the end must come after the start")
    return values[0], values[1]


def band(ai: np.ndarray) -> np.ndarray:
    """TfL band of each AI value (0 only when there is no access at all)."""
    ai = np.asarray(ai, dtype=float)
    edges = np.array([b for b, _ in BANDS[:-1]])
    names = np.array(BAND_NAMES, dtype=object)
    index = np.searchsorted(edges, ai, side="left")
    index = np.where(ai <= 0, 0, np.maximum(index, 1))
    return names[index]


def access_points(feed_stops: pd.DataFrame, departures: pd.DataFrame, params: PtalParameters):
    """Per SAP (a stop, or the station of a platform): x/y are filled by the caller. Returns
    (saps: sap_id, stop_lat, stop_lon; frequency: sap_id, route_id, mode, f = departures
    per hour of the most frequent direction in the window)."""
    stops = feed_stops.set_index("stop_id")
    parent = stops["parent_station"].where(stops["parent_station"].ne(""), stops.index.to_series())
    start, end = params.window
    inside = departures[(departures["departure"] >= start) & (departures["departure"] < end)]
    inside = inside[inside["mode"].isin(list(params.catchment))]
    inside = inside.assign(sap_id=parent.reindex(inside["stop_id"]).to_numpy())
    counts = inside.groupby(["sap_id", "route_id", "mode", "direction_id"]).size()
    frequency = (
        (counts / params.window_hours)
        .groupby(level=["sap_id", "route_id", "mode"])
        .max()
        .rename("f")
        .reset_index()
    )
    sap_ids = frequency["sap_id"].unique()
    saps = (
        stops.reindex(sap_ids)[["stop_lat", "stop_lon"]]
        .reset_index()
        .rename(columns={"stop_id": "sap_id"})
    )
    return saps, frequency


def ptal_at(points_xy: np.ndarray, saps_xy: np.ndarray, saps: pd.DataFrame, frequency: pd.DataFrame,
            params: PtalParameters, network=None) -> pd.DataFrame:  # fmt: skip
    """AI and band at each point (x/y in metres, same CRS as ``saps_xy``); walking distances
    along ``network`` (a :class:`~qet_geo.transit.network.StreetNetwork`) when given, else
    straight lines × ``params.detour``.

    Returns one row per point: ``ai``, ``band``, ``ai_bus``, ``ai_rail`` (per mode) and
    ``saps`` (number of SAPs in reach)."""
    from scipy.spatial import cKDTree

    n = len(points_xy)
    out = pd.DataFrame({"ai": np.zeros(n)})
    for mode in params.catchment:
        out[f"ai_{mode}"] = 0.0
    out["saps"] = 0
    if len(saps_xy) == 0 or n == 0:
        out["band"] = band(out["ai"].to_numpy())
        return out
    if network is not None:
        point, sap, walk_m = network.pairs_within(
            points_xy, saps_xy, max(params.catchment.values())
        )
    else:
        reach = max(params.catchment.values()) / params.detour
        tree = cKDTree(saps_xy)
        pairs = tree.query_ball_point(points_xy, r=reach, return_sorted=False)
        lengths = np.fromiter((len(p) for p in pairs), dtype=np.int64, count=n)
        point = np.repeat(np.arange(n), lengths)
        sap = np.fromiter((s for p in pairs for s in p), dtype=np.int64, count=int(lengths.sum()))
        walk_m = np.hypot(*(points_xy[point] - saps_xy[sap]).T) * params.detour
    reachable = pd.DataFrame(
        {"point": point, "sap_id": saps["sap_id"].to_numpy()[sap], "walk_m": walk_m}
    )
    rows = reachable.merge(frequency, on="sap_id")
    limit = rows["mode"].map(params.catchment).to_numpy(dtype=float)
    rows = rows[rows["walk_m"].to_numpy() <= limit]
    if len(rows) == 0:
        out["band"] = band(out["ai"].to_numpy())
        return out
    out["saps"] = np.bincount(
        rows.drop_duplicates(["point", "sap_id"])["point"].to_numpy(), minlength=n
    )
    # each route at its nearest SAP only (the most frequent direction is already in f)
    rows = rows.sort_values(
        ["point", "route_id", "walk_m", "f"], ascending=[True, True, True, False]
    )
    rows = rows.drop_duplicates(["point", "route_id"], keep="first")
    walk_min = rows["walk_m"].to_numpy() / params.walk_speed
    swt = 0.5 * 60.0 / rows["f"].to_numpy()
    awt = swt + rows["mode"].map(params.reliability).to_numpy(dtype=float)
    edf = 30.0 / (walk_min + awt)
    rows = rows.assign(edf=edf)
    grouped = rows.groupby(["point", "mode"])["edf"]
    per_mode = (grouped.max() + params.other_weight * (grouped.sum() - grouped.max())).rename("ai")
    per_mode = per_mode.reset_index()
    for mode in params.catchment:
        part = per_mode[per_mode["mode"] == mode]
        values = np.zeros(n)
        values[part["point"].to_numpy()] = part["ai"].to_numpy()
        out[f"ai_{mode}"] = values
    out["ai"] = out[[f"ai_{m}" for m in params.catchment]].sum(axis=1)
    out["band"] = band(out["ai"].to_numpy())
    return out


def stop_indicators(points_xy, stops_xy, stop_departures_per_hour, radii=(400.0, 800.0)):
    """Distance to the nearest stop (m, straight line) and departures per hour of the stops
    within each radius, at each point."""
    from scipy.spatial import cKDTree

    out = {}
    if len(stops_xy) == 0:
        out["nearest_stop_m"] = np.full(len(points_xy), np.nan)
        for r in radii:
            out[f"departures_{int(r)}m"] = np.zeros(len(points_xy))
        return pd.DataFrame(out)
    tree = cKDTree(stops_xy)
    distance, _ = tree.query(points_xy, k=1)
    out["nearest_stop_m"] = distance
    weights = np.asarray(stop_departures_per_hour, dtype=float)
    for r in radii:
        pairs = tree.query_ball_point(points_xy, r=r, return_sorted=False)
        out[f"departures_{int(r)}m"] = np.array([weights[p].sum() if p else 0.0 for p in pairs])
    return pd.DataFrame(out)
