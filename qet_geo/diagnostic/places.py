"""The diagnostic against the place (docs/diagnostic.md): each area's figure estimated from
its mix of profiles — the area's published profile shares (an area map of ``qet-geo areas
map``) times each profile's published figure, the hidden part of the mix at the other
profiles' figure — and flagged "estimation par profils"; the transit and shop indicators
set against the measured PTAL and proximity, per area and per band, from these estimates
and, where respondents say where they live, from their published figures per area.

Nothing new is disclosed: every figure here is a function of published values only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..areas.stats import wilson
from ..errors import InputError, Problem
from ..geo import read_frame
from ..i18n import Message
from ..io import split_layer

METHOD = "estimation par profils"
#: the pooled row of the analyses' tables (all respondents linked to a profile)
ENSEMBLE_LABEL = "ensemble"


def read_area_mix(spec: str, numbers: list):
    """The areas of an area map (``PATH[:LAYER]``) with their profile shares
    ``share_<p>`` for each profile number ``p``: (frame with ``area_id``, ``area_name``,
    ``geometry`` and ``weight``, the shares as an array areas × profiles, crs, the
    :class:`~qet_geo.areas.zones.Areas` read)."""
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
    # what an area weighs in a figure over several areas: its population (the census
    # column of an area map) or, without a census, its published respondents
    if "pop_15p" in frame.columns:  # the residents aged 15+ (the room for manoeuvre's)
        out["pop_15p"] = pd.to_numeric(frame["pop_15p"], errors="coerce").to_numpy(float)
    for column in ("pop_15p", "population", "n"):
        if column in frame.columns:
            out["weight"] = pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
            break
    return out, shares, areas.crs, areas


def _number(value) -> float:
    """A published value as a float, NaN where hidden (None, NA, NaN)."""
    return float("nan") if value is None or pd.isna(value) else float(value)


def slug(text: str) -> str:
    """``text`` as a column name: "Accessibilité financière" → ``accessibilite_financiere``."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def area_estimates(
    diagnostic, areas: pd.DataFrame, shares: np.ndarray, numbers: list, population=None
) -> pd.DataFrame:
    """One row per area: for every satisfaction item and wish, the estimated share of each
    answer code (``<question key>__<code>``), for every barrier family and choice its
    estimated share (``<question key>__<family slug>``, ``<question key>__<CHOICE>``), for
    every carbon node its estimated mean (``carbon__<node key>``); ``method`` says
    "estimation par profils".

    An area's estimate of a figure is Σ s_p f_p over the profiles whose share s_p in the
    area and figure f_p (with its n_p) are both published, plus the rest of the area's mix
    (1 − Σ s_p: the shares the area map hides, the profiles whose figure is hidden) at the
    figure of the neighbourhood's other respondents, (N f − Σ n_p f_p) / (N − Σ n_p) from
    the pooled figure f of the N respondents — the hidden profiles' figure taken together,
    which the published figures give already. Where the pooled figure is hidden too, the
    rest is taken at the other profiles' published figures weighted by their
    ``population`` shares. Every input is published, so nothing hidden can be recovered.
    ``mix_known`` is the part of each area's mix the area map publishes. An area none of
    whose shares is published (an area hidden in the area map) has no estimate."""
    out = areas.drop(columns=["weight"], errors="ignore").copy()
    out["method"] = METHOD
    labels = [str(p) for p in numbers]
    population = (np.full(len(numbers), 1.0) if population is None
                  else np.asarray(population, dtype=float))  # fmt: skip
    shown = np.isfinite(shares)
    no_mix = ~shown.any(axis=1)
    columns = {}

    def estimate(by, column: str, bounded: bool = True) -> np.ndarray:
        figures = np.array([_number(by[column].get(p)) for p in labels], dtype=float)
        n = np.array([_number(by["n"].get(p)) for p in labels], dtype=float)
        pooled, pooled_n = (
            _number(by[column].get(ENSEMBLE_LABEL)),
            _number(by["n"].get(ENSEMBLE_LABEL)),
        )
        usable = np.isfinite(figures) & np.isfinite(n)
        known = shown & usable[None, :]
        own = np.where(known, shares, 0.0)
        rest = np.clip(1.0 - own.sum(axis=1), 0.0, 1.0)
        if np.isfinite(pooled) and np.isfinite(pooled_n):  # the other respondents' figure
            left = pooled_n - np.where(known, n[None, :], 0.0).sum(axis=1)
            count = pooled_n * pooled - np.where(
                known, (n * np.nan_to_num(figures))[None, :], 0.0
            ).sum(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                other = np.where(left > 0.5, count / left, np.nan)
            # float noise only (the figures are not rounded): a share in [0, 1], a mean ≥ 0
            other = np.clip(other, 0.0, 1.0) if bounded else np.maximum(other, 0.0)
        else:  # the other profiles' published figures, weighted by their population
            w = population[None, :] * (~known & np.isfinite(figures)[None, :])
            total = w.sum(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                other = np.where(total > 0, (w * np.nan_to_num(figures)[None, :]).sum(axis=1) / total,
                                 np.nan)  # fmt: skip
        value = (own * np.nan_to_num(figures)[None, :]).sum(axis=1) + rest * np.nan_to_num(other)
        gone = no_mix | ((rest > 1e-9) & ~np.isfinite(other))
        return np.where(gone, np.nan, np.round(value, 6))

    for name in ("satisfaction", "wishes"):
        table = getattr(diagnostic, name)
        if not len(table):
            continue
        codes = [c[6:] for c in table.columns if c.startswith("share_")]
        for key, rows in table.groupby("key", sort=False):
            by = rows.set_index(rows["profile"].astype(str))
            for code in codes:
                columns[f"{key}__{code}"] = estimate(by, f"share_{code}")
    barriers = diagnostic.barriers
    if len(barriers):
        families = barriers[barriers["level"] == "family"]
        for (key, family), rows in families.groupby(["key", "family"], sort=False):
            by = rows.set_index(rows["profile"].astype(str))
            columns[f"{key}__{slug(family)}"] = estimate(by, "share")
        choices = barriers[barriers["level"] == "choice"]
        for (key, choice), rows in choices.groupby(["key", "choice"], sort=False):
            by = rows.set_index(rows["profile"].astype(str))
            columns[f"{key}__{choice}"] = estimate(by, "share")  # upper case: no clash
    carbon = diagnostic.carbon
    if len(carbon):
        for key, rows in carbon.groupby("key", sort=False):
            by = rows.set_index(rows["profile"].astype(str))
            columns[f"carbon__{slug(key)}"] = estimate(by, "mean", bounded=False)
    out["mix_known"] = np.where(no_mix, np.nan, np.round(np.where(shown, shares, 0).sum(axis=1), 3))
    return pd.concat([out, pd.DataFrame(columns, index=out.index)], axis=1)


# -- set against the place: measured access and proximity --------------------------------

#: what the diagnostic sets against the measures of the place: (indicator, the estimate's
#: column, the measure) — satisfaction with transit access and the car barrier "no stop
#: near my home" against PTAL; food-shop satisfaction against the distance to food shops,
#: the second-hand barrier "no shop near me" against the distance to repair / second-hand
#: shops (docs/diagnostic.md)
PLACE_INDICATORS = (
    ("transit_dissatisfied", "easy_public_transports__NO", "ptal"),
    ("no_stop_near_home", "reasons_to_continue_using_car__NO_PUBLIC_TRANSPORT_AT_PROXIMITY", "ptal"),
    ("food_shops_dissatisfied", "neighborhood_organic_market_satisfaction__NO", "food"),
    ("no_second_hand_shop_near", "reasons_to_not_chose_second_hand__NO_OFFER_AT_PROXIMITY", "repair"),
)  # fmt: skip
#: the distance bands of a proximity measure (m): under 300, 300–500, 500–800, 800 and more
DISTANCE_BANDS = (300.0, 500.0, 800.0)
PTAL_ORDER = ("0", "1a", "1b", "2", "3", "4", "5", "6a", "6b")


def distance_band(metres: float) -> str | None:
    """ "< 300 m", "300–500 m", "500–800 m" or "≥ 800 m"; None for a missing distance."""
    if metres is None or not np.isfinite(metres):
        return None
    edges = DISTANCE_BANDS
    if metres < edges[0]:
        return f"< {edges[0]:.0f} m"
    for low, high in zip(edges, edges[1:], strict=False):
        if metres < high:
            return f"{low:.0f}–{high:.0f} m"
    return f"≥ {edges[-1]:.0f} m"


@dataclass
class PlaceMeasures:
    """The measures of the place per area: PTAL (``band``, ``ai``) and the mean distance (m)
    to the food shops and to the repair / second-hand shops, each a frame with ``area_id``
    and its columns (or None when not measured), and the services' names."""

    ptal: pd.DataFrame | None = None  # area_id, band_of_mean, ai_mean
    proximity: pd.DataFrame | None = None  # area_id, dist_<service>_mean…
    food: str | None = None  # the proximity service of the food shops
    repair: str | None = None  # of the repair and second-hand shops

    def measure(self, kind: str) -> tuple[str, pd.Series] | None:
        """(the measure, as its column of ``area_estimates`` names it: ``ptal_band``,
        ``dist_<service>_band``; its band per area_id) of ``ptal``, ``food`` or ``repair``."""
        if kind == "ptal":
            if self.ptal is None:
                return None
            by = self.ptal.set_index(self.ptal["area_id"].astype(str))["band_of_mean"]
            return "ptal_band", by.map(lambda b: None if b is None or pd.isna(b) else str(b))
        service = self.food if kind == "food" else self.repair
        column = f"dist_{service}_mean"
        if service is None or self.proximity is None or column not in self.proximity.columns:
            return None
        by = self.proximity.set_index(self.proximity["area_id"].astype(str))[column]
        return f"dist_{service}_band", by.map(
            lambda d: distance_band(float(d)) if d is not None and not pd.isna(d) else None
        )


def measured_columns(estimates: pd.DataFrame, place: PlaceMeasures) -> pd.DataFrame:
    """``estimates`` with the measures beside each area's estimates: ``ptal_band``,
    ``ptal_ai``, ``dist_<service>_m`` and their bands."""
    out = estimates.copy()
    ids = out["area_id"].astype(str)
    if place.ptal is not None:
        by = place.ptal.set_index(place.ptal["area_id"].astype(str))
        out["ptal_band"] = ids.map(by["band_of_mean"]).astype(object)
        out["ptal_ai"] = pd.to_numeric(ids.map(by["ai_mean"]), errors="coerce")
    for service in dict.fromkeys(s for s in (place.food, place.repair) if s):
        column = f"dist_{service}_mean"
        if place.proximity is None or column not in place.proximity.columns:
            continue
        by = place.proximity.set_index(place.proximity["area_id"].astype(str))[column]
        metres = pd.to_numeric(ids.map(by), errors="coerce")
        out[f"dist_{service}_m"] = metres.round(0)
        out[f"dist_{service}_band"] = [distance_band(m) for m in metres]
    return out


def place_bands(estimates: pd.DataFrame, weights: pd.Series, place: PlaceMeasures) -> pd.DataFrame:
    """Each place indicator (:data:`PLACE_INDICATORS`) per band of its measure: the mean of
    the areas' estimates weighted by ``weights`` (per area_id: the population, or the
    respondents where the census is not given), over the areas of the band whose estimate
    is published; ``areas`` (of the band) and ``areas_used``. A function of published
    values only (the estimates and the weights of the area map): nothing new disclosed."""
    rows = []
    ids = estimates["area_id"].astype(str)
    w = pd.to_numeric(ids.map(weights), errors="coerce").to_numpy(float)
    for indicator, column, kind in PLACE_INDICATORS:
        measured = place.measure(kind)
        if column not in estimates.columns or measured is None:
            continue
        name, band_of = measured
        bands = ids.map(band_of).to_numpy(dtype=object)
        values = pd.to_numeric(estimates[column], errors="coerce").to_numpy(float)
        present = [b for b in dict.fromkeys(bands) if b is not None and not pd.isna(b)]
        order = PTAL_ORDER if kind == "ptal" else [distance_band(d) for d in (0, *DISTANCE_BANDS)]
        for band in sorted(present, key=lambda b: order.index(b) if b in order else 99):
            mine = bands == band
            used = mine & np.isfinite(values) & np.isfinite(w) & (w > 0)
            value = float(np.average(values[used], weights=w[used])) if used.any() else np.nan
            rows.append({"indicator": indicator, "estimate_column": column, "measure": str(name),
                         "band": band, "areas": int(mine.sum()), "areas_used": int(used.sum()),
                         "share": round(value, 6) if np.isfinite(value) else np.nan,
                         "method": METHOD})  # fmt: skip
    return pd.DataFrame(rows, columns=["indicator", "estimate_column", "measure", "band", "areas",
                                       "areas_used", "share", "method"])  # fmt: skip


#: how a place figure was made from the located respondents
LOCATED = "répondants localisés"


def located_bands(area_tables: dict, place: PlaceMeasures) -> pd.DataFrame:
    """Each place indicator of :data:`PLACE_INDICATORS` per band of its measure, from the
    respondents who say where they live: the published counts of the areas of the band
    summed (a count is the area's published share × its published n), with the Wilson
    interval of the sum. A band one of whose areas has its share or n hidden is hidden:
    the band is a function of the published area tables only, so that no difference of
    the two gives a hidden count back. An area without a row has no respondent. ``n`` is
    the band's respondents."""
    rows = []
    for indicator, column, kind in PLACE_INDICATORS:
        key, code = column.split("__", 1)
        measured = place.measure(kind)
        if measured is None:
            continue
        name, band_of = measured
        table = area_tables.get(
            "area_barriers" if key.startswith("reasons_") else "area_satisfaction"
        )
        if table is None or not len(table) or key not in set(table["key"]):
            continue
        mine = table[table["key"] == key]
        if "level" in mine.columns:
            mine = mine[(mine["level"] == "choice") & (mine["choice"] == code)]
            share_column = "share"
        else:
            share_column = f"share_{code}"
        mine = mine[~mine["area_id"].isin(["ensemble", "non localisé"])]
        by_area = mine.set_index(mine["area_id"].astype(str))
        bands = {str(a): b for a, b in band_of.items()}  # every measured area: one without a
        by_area = by_area.reindex(list(bands))  # row has no respondent (n = 0)
        by_area["n"] = pd.to_numeric(by_area["n"], errors="coerce").where(
            by_area.index.isin(mine["area_id"].astype(str)), 0.0)  # fmt: skip
        present = [b for b in dict.fromkeys(bands.values()) if b is not None and not pd.isna(b)]
        order = PTAL_ORDER if kind == "ptal" else [distance_band(d) for d in (0, *DISTANCE_BANDS)]
        for band in sorted(present, key=lambda b: order.index(b) if b in order else 99):
            areas = [a for a, b in bands.items() if b == band]
            n = pd.to_numeric(by_area.loc[areas, "n"], errors="coerce").to_numpy(float)
            share = pd.to_numeric(by_area.loc[areas, share_column], errors="coerce").to_numpy(float)
            empty = n == 0  # an area without respondents adds nothing
            hidden = (~np.isfinite(n) | (~np.isfinite(share) & ~empty)).any()
            total = float(np.nansum(n))
            count = float(np.nansum(np.where(empty, 0.0, np.round(share * n))))
            row = {"indicator": indicator, "estimate_column": column, "measure": name,
                   "band": band, "areas": len(areas), "areas_used": int((~empty).sum()),
                   "method": LOCATED}  # fmt: skip
            if hidden:
                row.update(share=np.nan, n=pd.NA, low=np.nan, high=np.nan, suppressed="share")
            elif total == 0:  # nobody of the survey lives in the band's areas
                row.update(share=np.nan, n=0, low=np.nan, high=np.nan, suppressed="")
            else:
                p = count / total
                low, high = wilson(np.array([p]), np.array([total]))
                row.update(share=round(p, 6), n=int(total), low=float(low[0]),
                           high=float(high[0]), suppressed="")  # fmt: skip
            rows.append(row)
    frame = pd.DataFrame(rows, columns=["indicator", "estimate_column", "measure", "band", "areas",
                                        "areas_used", "share", "n", "low", "high", "suppressed",
                                        "method"])  # fmt: skip
    frame["n"] = frame["n"].astype("Int64")
    return frame


def read_place(ptal=None, proximity=None, food: str | None = None, repair: str | None = None):
    """The measures of the place from the files of ``qet-geo transit ptal`` (``ptal``: its
    layer ``ptal_areas``) and ``qet-geo constraints proximity`` (``proximity``: its layer
    ``proximity_areas``, with the services ``food`` and ``repair`` among its measured
    services): a :class:`PlaceMeasures`, or None when neither is given."""
    if ptal is None and proximity is None:
        if food or repair:
            raise InputError(Problem.of(
                "--food-service" if food else "--repair-service", "a service without its proximity file",
                value=food or repair, expected="the proximity GeoPackage too (qet-geo constraints proximity)"))  # fmt: skip
        return None
    place = PlaceMeasures(food=food, repair=repair)
    for attr, spec, layer, columns, what in (
        ("ptal", ptal, "ptal_areas", ("area_id", "band_of_mean", "ai_mean"),
         "a transit access GeoPackage (qet-geo transit ptal)"),
        ("proximity", proximity, "proximity_areas", ("area_id",),
         "a proximity GeoPackage (qet-geo constraints proximity)"),
    ):  # fmt: skip
        if spec is None:
            continue
        path, named = split_layer(str(spec))
        try:
            frame = read_frame(path, named or layer)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - any unreadable file
            raise InputError(Problem.of(str(spec), Message("not a readable layer: {error}", error=str(exc)),
                                        expected=what)) from exc  # fmt: skip
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise InputError(Problem.of(str(spec), Message("no column {column!r}", column=missing[0]),
                                        expected=what))  # fmt: skip
        setattr(place, attr, pd.DataFrame(frame.drop(columns=["geometry"], errors="ignore")))
    measured = sorted(c[5:-5] for c in (place.proximity.columns if place.proximity is not None else [])
                      if c.startswith("dist_") and c.endswith("_mean"))  # fmt: skip
    for option, service in (("--food-service", food), ("--repair-service", repair)):
        if service is not None and service not in measured:
            raise InputError(Problem.of(str(proximity or option), "no such service in the proximity file",
                                        column=option, value=service,
                                        expected=", ".join(measured) or "a proximity GeoPackage"))  # fmt: skip
    return place
