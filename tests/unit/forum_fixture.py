"""A ``forum_subjects`` table and an ``area_potentials`` layer written by hand, following the
schema of qet_geo/forum (docs/forum_panels.md), for the tests of the forum's exhibition
outputs: four subjects (one without a willingness question, one with a hidden share, one
with a hostile title), six areas on a grid in Lambert-93 (one hidden, one with "$" in its
name)."""

from __future__ import annotations

import numpy as np
import pandas as pd

NAN = float("nan")
HOSTILE = "<b>$x$ & \u2018quote\u2019"
ROWS = [
    dict(
        rank=1,
        key="mobilite",
        title="Se déplacer autrement qu'en voiture",
        levers="car",
        lever_labels="Moins de voiture",
        residents=4321.0,
        potential_t=1234.4,
        potential_low_t=980.0,
        potential_high_t=1510.0,
        per_resident_kg=285.7,
        per_resident_low_kg=226.8,
        per_resident_high_kg=349.5,
        share_done=0.30,
        share_planned=0.10,
        share_blocked=0.35,
        share_not_wanted=0.25,
        planned_t=176.3,
        blocked_t=617.2,
        not_wanted_t=440.9,
        barriers="Accessibilité pratique 34 % ; Temps & Organisation 20 %",
        areas="Montsouris $1 ; Porte d'Orléans",
        structural_t=412.0,
        structural_areas="Montsouris $1 ; Jourdan",
        action="une ligne de bus, des passages plus fréquents",
        note="",
    ),
    dict(
        rank=2,
        key="alimentation",
        title="Manger moins de viande, plus local",
        levers="meat,local_food",
        lever_labels="Moins de viande; Alimentation locale et de saison",
        residents=4321.0,
        potential_t=845.0,
        potential_low_t=700.0,
        potential_high_t=990.0,
        per_resident_kg=195.6,
        per_resident_low_kg=162.0,
        per_resident_high_kg=229.1,
        share_done=0.22,
        share_planned=NAN,
        share_blocked=0.18,
        share_not_wanted=0.41,
        planned_t=NAN,
        blocked_t=210.0,
        not_wanted_t=NAN,
        barriers="Prix 41 % ; Habitudes 25 %",
        areas="Alésia",
        structural_t=NAN,
        structural_areas="",
        action="",
        note="Une part masquée par le secret statistique.",
    ),
    dict(
        rank=3,
        key="avion",
        title="Prendre moins l'avion",
        levers="plane",
        lever_labels="Moins d'avion",
        residents=4321.0,
        potential_t=610.0,
        potential_low_t=420.0,
        potential_high_t=800.0,
        per_resident_kg=141.2,
        per_resident_low_kg=97.2,
        per_resident_high_kg=185.1,
        share_done=NAN,
        share_planned=NAN,
        share_blocked=NAN,
        share_not_wanted=NAN,
        planned_t=NAN,
        blocked_t=NAN,
        not_wanted_t=NAN,
        barriers="",
        areas="",
        structural_t=NAN,
        structural_areas="",
        action="",
        note="",
    ),
    dict(
        rank=4,
        key="achats_malins",
        title=HOSTILE,
        levers="second_hand",
        lever_labels="Occasion et réparation",
        residents=4321.0,
        potential_t=8.46,
        potential_low_t=5.0,
        potential_high_t=12.0,
        per_resident_kg=1.96,
        per_resident_low_kg=1.2,
        per_resident_high_kg=2.8,
        share_done=0.5,
        share_planned=0.2,
        share_blocked=0.2,
        share_not_wanted=0.1,
        planned_t=2.1,
        blocked_t=2.1,
        not_wanted_t=4.26,
        barriers="Offre <i>locale</i> 12 %",
        areas="Jourdan",
        structural_t=1.5,
        structural_areas="Jourdan",
        action="un atelier de réparation",
        note="[% 1+1 %]",
    ),
]
AREA_NAMES = ["Montsouris $1", "Porte d'Orléans", "Alésia", "Jourdan", "Petit-Montrouge",
              "Parc $x$"]  # fmt: skip


def subjects() -> pd.DataFrame:
    table = pd.DataFrame(ROWS)
    table.attrs["min_cell"] = 11
    return table


def areas():
    import geopandas as gpd
    from shapely.geometry import box

    rows = []
    rng = np.random.default_rng(16)
    for i, name in enumerate(AREA_NAMES):
        x, y = 650_000 + 600 * (i % 3), 6_858_000 + 600 * (i // 3)
        row = {
            "area_id": f"7511{i:05d}",
            "area_name": name,
            "pop_15p": 700.0 + 10 * i,
            "geometry": box(x, y, x + 600, y + 600),
        }
        for subject in ROWS:
            key = subject["key"]
            per = float(subject["per_resident_kg"]) * rng.uniform(0.6, 1.4)
            structural = 1.0 if name in subject["structural_areas"] else 0.0
            measured = subject["key"] in ("mobilite", "achats_malins")
            row.update({
                f"{key}__potential_t": per * row["pop_15p"] / 1000,
                f"{key}__per_resident_kg": per,
                f"{key}__blocked_t": per * row["pop_15p"] / 3000,
                f"{key}__structural_t": (per * row["pop_15p"] / 4000 if measured and structural
                                         else NAN),
                f"{key}__structural": structural if measured else NAN,
                f"{key}__constraint": ("PTAL 1b" if key == "mobilite" else "≥ 800 m") if measured else "",
                f"{key}__barriers": subject["barriers"],
            })  # fmt: skip
        rows.append(row)
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:2154")
    for subject in ROWS:  # the hidden area: NaN, never 0
        frame.loc[4, f"{subject['key']}__per_resident_kg"] = NAN
        frame.loc[4, f"{subject['key']}__potential_t"] = NAN
    return frame
