"""PTAL — Public Transport Accessibility Level (Transport for London), [TfL-PTAL-2015].

For a point: service access points (SAP) are the stops of each mode within its catchment
(``catchment``: 640 m for bus stops, 960 m for stations of tram, metro, rail and the other
modes) of walking, at ``walk_speed`` (80 m/min); walking distance is the straight line ×
``detour`` (1.0 in London; 1.3 in Brisbane). For each route serving a SAP in reach — its
nearest stop only, its most frequent direction — f = departures per hour in the time window
(weekday 08:15–09:15). SWT = 0.5 × 60 / f; AWT = SWT + reliability (2.0 min bus, 0.75 min
the others); TAT = walk time + AWT; EDF = 30 / TAT. Per mode AI = max EDF +
``other_weight`` (0.5) × the sum of the other EDFs of that mode; the point's AI is the sum
over modes, and its band 0 (no SAP), 1a, 1b, 2, 3, 4, 5, 6a, 6b. Every constant is a
parameter of :class:`PtalParameters`.

**Modes are kept apart** (TfL): bus, tram, metro (underground, urban railway, monorail),
rail (national and suburban railway), ferry, cable (aerial lifts) and funicular each have
their own AI_mode; the route type → mode table is
:data:`~qet_geo.transit.gtfs.BASIC_ROUTE_TYPES` and ``EXTENDED_ROUTE_TYPES``, changed by ``PtalParameters.route_types``. Distances are metres: the
callers work in a metric CRS (:func:`qet_geo.geo.metric_crs`).

A station's platforms (stops with a ``parent_station``) are one SAP: the station.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..grid import check_parameter, parameter_problem  # noqa: F401 - parameter_problem: the pipeline's
from ..i18n import tr
from .gtfs import MODES

#: (upper bound of AI, band), TfL
BANDS = ((0.0, "0"), (2.5, "1a"), (5.0, "1b"), (10.0, "2"), (15.0, "3"), (20.0, "4"),
         (25.0, "5"), (40.0, "6a"), (np.inf, "6b"))  # fmt: skip
BAND_NAMES = tuple(b for _, b in BANDS)


#: The PTAL options of the command line, the configuration and Processing (as
#: :meth:`PtalParameters.of` takes them)
PTAL_OPTIONS = ("walk_speed", "bus_catchment", "rail_catchment", "bus_reliability",
                "rail_reliability", "other_weight", "detour")  # fmt: skip


#: TfL's time window: the weekday morning peak hour (HH:MM-HH:MM, local service time)
DEFAULT_WINDOW = "08:15-09:15"
#: TfL's constants (PTAL assessment guidance): walking speed (m/min), catchments (m) and
#: reliability allowances (min) of bus stops and of the stations of every other mode, the
#: weight of the routes after the best of a mode, the walk / straight line factor
WALK_SPEED, BUS_CATCHMENT, RAIL_CATCHMENT = 80.0, 640.0, 960.0
BUS_RELIABILITY, RAIL_RELIABILITY, OTHER_WEIGHT, DETOUR = 2.0, 0.75, 0.5, 1.0


def _per_mode(bus: float, station: float) -> dict:
    """``bus`` for buses, ``station`` for the stations of every other mode (TfL: 960 m and
    0.75 min for rail, Underground, DLR and tram alike)."""
    return {mode: (bus if mode == "bus" else station) for mode in MODES}


@dataclass
class PtalParameters:
    """PTAL's constants (TfL's by default). ``catchment`` (m) and ``reliability`` (min) per
    mode of :data:`~qet_geo.transit.gtfs.MODES` (a mode missing from ``catchment`` is left
    out); ``route_types``: route type → mode (or None: left out) over the default table
    (:func:`~qet_geo.transit.gtfs.mode_of_route_type`). Checked by :meth:`check`.

    Parameters
    ----------
    walk_speed : float
        Walking speed, m/min (TfL: 80).
    catchment : dict
        Mode → walking catchment in metres (TfL: 640 for buses, 960 for stations).
    reliability : dict
        Mode → reliability added to the wait, minutes (TfL: 2 for buses, 0.75 else).
    other_weight : float
        The weight of every route but the best of a mode in the accessibility index
        (TfL: 0.5).
    detour : float
        Walking distance over straight-line distance when no streets are given (not
        TfL's: a parameter).
    window : tuple
        The time window, seconds from midnight (TfL: 08:15–09:15).
    route_types : dict
        Route type → mode, or None to leave it out, over the default table.

    Raises
    ------
    ParameterError
        From :meth:`of` and :meth:`check`: a parameter that cannot be used (its name, its
        value, what was expected).

    References
    ----------
    [TfL-PTAL-2015]: every default constant but ``detour``; [GTFS-Schedule]: the route
    types. The page is ``docs/transit.md#ptal-transport-for-london``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> params = qg.PtalParameters.of(walk_speed=70, window="07:30-08:30")
    >>> params.walk_speed
    70
    """

    walk_speed: float = WALK_SPEED  # m/min
    catchment: dict = field(default_factory=lambda: _per_mode(BUS_CATCHMENT, RAIL_CATCHMENT))
    reliability: dict = field(default_factory=lambda: _per_mode(BUS_RELIABILITY, RAIL_RELIABILITY))
    other_weight: float = OTHER_WEIGHT
    detour: float = DETOUR
    window: tuple = field(default_factory=lambda: parse_window(DEFAULT_WINDOW))  # s from 0:00
    route_types: dict = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        *,
        walk_speed: float = WALK_SPEED,
        bus_catchment: float = BUS_CATCHMENT,
        rail_catchment: float = RAIL_CATCHMENT,
        bus_reliability: float = BUS_RELIABILITY,
        rail_reliability: float = RAIL_RELIABILITY,
        other_weight: float = OTHER_WEIGHT,
        detour: float = DETOUR,
        window: tuple | str = DEFAULT_WINDOW,
        route_types=None,
        names: dict | None = None,
    ) -> PtalParameters:
        """The parameters as the command line, the configuration and Processing give them
        (one bus catchment and reliability, one for the stations of every other mode),
        checked (:meth:`check`); ``names``: parameter → the name the user knows it by
        (``{"walk_speed": "--walk-speed"}``), for the messages."""
        names = names or {}
        if isinstance(window, str):
            try:
                window = parse_window(window)
            except ValueError as exc:
                raise ParameterError(
                    tr("{name}: {reason}", name=names.get("window", "window"), reason=str(exc))
                ) from exc
        params = cls(
            walk_speed=walk_speed,
            catchment=_per_mode(bus_catchment, rail_catchment),
            reliability=_per_mode(bus_reliability, rail_reliability),
            other_weight=other_weight,
            detour=detour,
            window=window,
            route_types=parse_route_types(route_types, names.get("route_types", tr("route types"))),
        )
        return params.check(
            {
                "catchment.bus": names.get("bus_catchment", tr("bus catchment")),
                "catchment.rail": names.get("rail_catchment", tr("station catchment")),
                "reliability.bus": names.get("bus_reliability", tr("bus reliability")),
                "reliability.rail": names.get("rail_reliability", tr("station reliability")),
                **names,
            }
        )

    def check(self, names: dict | None = None) -> PtalParameters:
        """Self, or a ParameterError naming the parameter (by ``names``), its value and
        the range expected (:func:`check_parameter`)."""
        names = names or {}
        check_parameter("walk_speed", self.walk_speed, names.get("walk_speed", tr("walk speed")))
        check_parameter("detour", self.detour, names.get("detour", tr("detour")))
        check_parameter(
            "other_weight", self.other_weight, names.get("other_weight", tr("other weight"))
        )
        for kind, table in (("catchment", self.catchment), ("reliability", self.reliability)):
            for mode, value in table.items():
                key = f"{kind}.{'bus' if mode == 'bus' else 'rail'}"
                name = (
                    names.get(f"{kind}.{mode}")
                    or names.get(key)
                    or tr(
                        "catchment of {mode}" if kind == "catchment" else "reliability of {mode}",
                        mode=mode,
                    )
                )
                check_parameter(kind, value, name)
        missing = sorted(set(self.catchment) - set(self.reliability))
        if missing:
            raise ParameterError(
                tr("no reliability for the mode(s) {modes}", modes=", ".join(missing))
            )
        return self

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
            "route_types": {str(k): v for k, v in sorted(self.route_types.items())},
        }


def parse_route_types(spec, name: str = "route types") -> dict:
    """Route type → mode (None: left out of PTAL) from ``"99=bus, 4=none, 1000-1099=ferry"``
    (text, or a list of such items, or a mapping ``{"99": "bus"}`` as in the configuration);
    a ParameterError naming ``name`` for anything else."""
    if spec is None or spec == "" or spec == []:
        return {}
    if isinstance(spec, dict):
        items = [(str(k), "none" if v is None else v) for k, v in spec.items()]
    else:
        parts = [spec] if isinstance(spec, str) else list(spec)
        items = []
        for part in parts:
            for item in str(part).split(","):
                if item.strip():
                    code, sep, mode = item.partition("=")
                    items.append((code, mode if sep else None))
    expected = tr(
        "CODE=MODE or FIRST-LAST=MODE, a GTFS route type (0 to 1799) and one of {modes}",
        modes=", ".join((*MODES, "none")),
    )
    out = {}
    for code, mode in items:
        code = code.strip()
        mode = mode.strip().lower() if isinstance(mode, str) else mode
        first, dash, last = code.partition("-")
        try:
            low = int(first)
            high = int(last) if dash else low
        except ValueError:
            low = high = -1
        if mode not in (*MODES, "none") or not (0 <= low <= high <= 1799):
            raise ParameterError(
                tr("{name} {value!r}: expected {expected}", name=name,
                   value=f"{code}={mode}" if mode is not None else code, expected=expected)
            )  # fmt: skip
        for route_type in range(low, high + 1):
            out[route_type] = None if mode == "none" else mode
    return out


def _hhmm(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def parse_window(text: str) -> tuple[int, int]:
    """ "08:15-09:15" → seconds (ValueError when malformed or empty)."""
    start, sep, end = text.replace("–", "-").partition("-")
    if not sep:
        raise ValueError(tr("time window {window!r}: expected HH:MM-HH:MM", window=text))
    values = []
    for part in (start, end):
        hours, _, minutes = part.strip().partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(minutes) < 60):
            raise ValueError(tr("time window {window!r}: expected HH:MM-HH:MM", window=text))
        values.append(int(hours) * 3600 + int(minutes) * 60)
    if values[1] <= values[0]:
        raise ValueError(
            tr("time window {window!r}: the end must come after the start", window=text)
        )
    return values[0], values[1]


def band(ai: np.ndarray) -> np.ndarray:
    """TfL band of each AI value (0 only when there is no access at all)."""
    ai = np.asarray(ai, dtype=float)
    edges = np.array([b for b, _ in BANDS[:-1]])
    names = np.array(BAND_NAMES, dtype=object)
    index = np.searchsorted(edges, ai, side="left")
    index = np.where(ai <= 0, 0, np.maximum(index, 1))
    return names[index]


#: Grid points whose access is computed at once (:func:`ptal_at`, :func:`stop_indicators`).
CHUNK = 20_000


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
    ``saps`` (number of SAPs in reach). Points are taken :data:`CHUNK` at a time, so that
    memory grows with the chunk's pairs (point, access point in reach), not the grid's;
    each point's figures are the same whatever the chunk."""
    from scipy.spatial import cKDTree

    n = len(points_xy)
    if n > CHUNK:
        tree = cKDTree(saps_xy) if len(saps_xy) and network is None else None
        parts = [_ptal_chunk(points_xy[i : i + CHUNK], saps_xy, saps, frequency, params,
                             network, tree) for i in range(0, n, CHUNK)]  # fmt: skip
        return pd.concat(parts, ignore_index=True)
    tree = cKDTree(saps_xy) if len(saps_xy) and network is None else None
    return _ptal_chunk(points_xy, saps_xy, saps, frequency, params, network, tree)


def _ptal_chunk(points_xy, saps_xy, saps, frequency, params, network, tree) -> pd.DataFrame:
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
        # sorted: the same order of access points whatever the partition (a subset of the
        # access points, in their order) and the chunk
        pairs = tree.query_ball_point(points_xy, r=reach, return_sorted=True)
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
    # per point and mode, max EDF + other_weight × the others, summed in route order by
    # numpy (bincount adds a bin's values in their order): a point's figure is the same to
    # the last bit whatever the other points of its chunk or partition
    modes = list(params.catchment)
    mode_index = pd.Index(modes, dtype=object).get_indexer(rows["mode"].to_numpy()).astype(np.int64)
    key = rows["point"].to_numpy(dtype=np.int64) * len(modes) + mode_index
    total = np.bincount(key, weights=edf, minlength=n * len(modes))
    best = np.zeros(n * len(modes))
    np.maximum.at(best, key, edf)
    per_mode = (best + params.other_weight * (total - best)).reshape(n, len(modes))
    for k, mode in enumerate(modes):
        out[f"ai_{mode}"] = per_mode[:, k]
    ai = np.zeros(n)
    for k in range(len(modes)):  # the modes' sum, in their order
        ai = ai + per_mode[:, k]
    out["ai"] = ai
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
    n = len(points_xy)
    for r in radii:
        total = np.zeros(n)
        for i in range(0, n, CHUNK):  # bounded memory: the pairs of one chunk at a time
            pairs = tree.query_ball_point(points_xy[i : i + CHUNK], r=r, return_sorted=True)
            lengths = np.fromiter((len(p) for p in pairs), dtype=np.int64, count=len(pairs))
            stop = np.fromiter((s for p in pairs for s in p), dtype=np.int64,
                               count=int(lengths.sum()))  # fmt: skip
            point = np.repeat(np.arange(len(pairs)), lengths)
            total[i : i + len(pairs)] = np.bincount(point, weights=weights[stop],
                                                    minlength=len(pairs))  # fmt: skip
        out[f"departures_{int(r)}m"] = total
    return pd.DataFrame(out)
