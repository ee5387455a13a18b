#!/usr/bin/env python3
"""Generate the fictional sample neighbourhood of qet-geo (données fictives / fictional data).

"Quartier fictif des Tilleuls", commune fictive de Valmont (code commune 99123, which is not
a French commune code).  Nothing here describes a real place or real people: every number
is drawn from a seeded random generator following the simple rules written below.

Outputs (in ``--out DIR``, default: the folder of this script):

* ``quartier.gpkg`` (EPSG:2154, GeoPackage 1.2): layers ``iris``, ``perimetre``,
  ``commerces_alimentaires``, ``marches``, ``reparation_occasion``;
* ``base-ic-evol-struct-pop-quartier.csv``: census margins in the columns of INSEE's
  "base-ic-evol-struct-pop" file (``;``-separated);
* ``survey_su.tsv``: answers to the NEAR "Sphères d'Usages" survey, with demographics and
  each respondent's home point (WGS84);
* ``gtfs/``: a small GTFS feed (one tram line, two bus lines) serving the neighbourhood.

Re-running the script gives byte-identical files (same seed, no wall clock, GDAL's
OGR_CURRENT_DATE fixed, every output sorted or in generation order).  Requires numpy,
pandas, shapely>=2, pyproj, geopandas>=1.0 and pyogrio.

Usage: python sample_data/generate.py [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from pyproj import Transformer
from shapely.geometry import Point, Polygon

# ---------------------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------------------

# fmt: off

SEED = 20260101  # the only source of randomness: numpy.random.default_rng(SEED)

CRS = "EPSG:2154"  # RGF93 v1 / Lambert-93
TO_WGS84 = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)

# Fixed timestamp written by GDAL into gpkg_contents.last_change (no wall clock).
OGR_CURRENT_DATE = "2026-01-01T00:00:00.000Z"
# GDAL version (as bundled in pyogrio) that wrote the committed quartier.gpkg.  Another
# GDAL writes the same content with possibly different bytes (SQLite page layout, SRS
# WKT): tests/unit/test_sample_data.py then compares the layers' content instead.
REFERENCE_GDAL_VERSION = "3.12.4"

COMMUNE_CODE = "99123"  # fictional: 99xxx is never a commune code in the COG
COMMUNE_NAME = "Valmont (commune fictive)"
NEIGHBOURHOOD_NAME = "Quartier fictif des Tilleuls"

# South-west corner of the 3 km x 2.5 km study area (Lambert-93, metres): farmland of the
# Plaine de Versailles (Yvelines), about 30 km west of Paris, chosen so that the fictional
# town does not sit on top of a real one on a basemap.  The IRIS are a 4 x 3 grid whose
# vertices and edges are then jittered.
ORIGIN_X, ORIGIN_Y = 617800.0, 6862300.0
GRID_X = [0.0, 780.0, 1500.0, 2230.0, 3000.0]  # column edges (west -> east)
GRID_Y = [0.0, 820.0, 1680.0, 2500.0]  # row edges (south -> north)
VERTEX_JITTER = 190.0  # max displacement of an inner grid vertex (m)
OUTLINE_JITTER = 120.0  # max displacement of a vertex on the outline (m)
EDGE_POINTS = 4  # intermediate points on each IRIS edge (street-like wiggles)
EDGE_WIGGLE = 30.0  # standard deviation of their sideways displacement (m)

# The IRIS.  col/row: position in the grid (col 0 = west, row 0 = south).
# pop: P21_POP.  wealth: -1 (poor) .. 1 (well-off).  old_housing: share of old detached
# houses (gas/oil heating).  youth: age skew (> 0 younger, < 0 older).
IRIS_SPECS = [
    # code   name                col row  pop   wealth old_housing youth
    ("0101", "Centre-Gare", 1, 1, 2460, 0.0, 0.08, 0.7),
    ("0102", "Les Tilleuls", 2, 1, 2310, 0.3, 0.15, 0.3),
    ("0103", "Le Moulin", 0, 1, 2040, -0.3, 0.30, 0.0),
    ("0104", "La Fontaine", 3, 1, 1960, -0.1, 0.35, -0.1),
    ("0201", "Les Coteaux", 0, 2, 1720, 0.6, 0.80, -0.6),
    ("0202", "Le Haut-Valmont", 1, 2, 2120, 0.2, 0.45, -0.2),
    ("0203", "Parc des Sources", 2, 2, 1560, 0.1, 0.40, -0.1),
    ("0204", "Les Vignes", 3, 2, 1650, 0.5, 0.85, -0.7),
    ("0301", "Le Bois-Joli", 0, 0, 1810, 0.4, 0.75, -0.5),
    ("0302", "Les Jardins", 1, 0, 2240, -0.6, 0.20, 0.2),
    ("0303", "La Plaine", 2, 0, 2190, -0.5, 0.25, 0.3),
    ("0304", "Les Acacias", 3, 0, 1620, 0.2, 0.80, -0.5),
]
CENTRAL_IRIS = COMMUNE_CODE + "0101"
OUTER_IRIS = [COMMUNE_CODE + c for c in ("0201", "0204", "0301", "0304")]  # the corners

# ---- survey ------------------------------------------------------------------------------
N_ROWS = 600  # rows of survey_su.tsv, including the rejected ones below
N_NON_RESIDENT = 5  # "Habitez-vous dans le quartier ?" = "Non" (rejected by the importer)
N_UNDER_15 = 2  # "Moins de 15 ans" (rejected by the importer)
# IRIS deliberately left with few respondents (< 11) to exercise small-area suppression;
# the other IRIS share the remaining residents in proportion to C21_POP15P.
SMALL_IRIS_RESPONDENTS = {COMMUNE_CODE + "0203": 9, COMMUNE_CODE + "0304": 7}
HOME_MIN_DISTANCE_TO_BOUNDARY = 5.0  # m, so that rounding to 1e-6 degree keeps the IRIS

AGE_BANDS = ["15-29", "30-44", "45-59", "60-74", "75+"]
AGE_BASE_SHARES = np.array([0.22, 0.25, 0.25, 0.18, 0.10])  # of the population aged 15+
AGE_YOUTH_SLOPE = np.array([0.5, 0.25, 0.0, -0.35, -0.55])  # effect of IRIS "youth"
AGE_RESPONSE_BIAS = np.array([0.7, 1.0, 1.1, 1.3, 0.8])  # who answers surveys more
FEMALE_RESPONSE_BIAS = 1.25
PCS_RESPONSE_BIAS = np.array([1.0, 1.0, 1.3, 1.1, 0.9, 0.7])  # CS1..CS6

# Exact labels as exported by NEAR (see tests/fixtures/near/survey_0.tsv) and
# qet_geo/survey/schemas/near-su.yaml.  Answer codes 1/2/3 index these lists.
USAGE_COLUMNS = [
    (
        "Lors de vos repas, la viande est présente dans...",
        ["Aucun repas ou très rarement", "Quelques repas", "Tous les repas ou presque"],
    ),
    (
        "Quel moyen de transport employez-vous le plus fréquemment dans la semaine ?",
        ["Mobilités actives (vélo, marche", "Transport en commun", "Voiture individuelle"],
    ),
    (
        "Quelle est votre utilisation du numérique",
        ["Faible", "Bureautique, Internet", "Jeux vidéos, streaming, vidéos"],
    ),
    (
        "Lorsque vous avez besoin de quelque chose, vous favorisez",
        ["Occasion en priorité", "Mélange occasion/neuf", "Achat de neuf systématiquement"],
    ),
    ("Combien de fois prenez-vous l'avion par an ?", ["0", "1 à 3", "Plus de 3"]),
    (
        "Quelle est l'énergie de chauffage de votre logement ?",
        ["électricité, réseau de chaleur,", "Gaz", "Fioul"],
    ),
]
COL_RESIDENT = "Habitez-vous dans le quartier ?"
COL_AGE = "Quel âge avez-vous ?"
COL_GENDER = "Vous êtes"
COL_SITUATION = "Quelle est votre situation ?"
COL_PCS = "Quelle est votre catégorie socioprofessionnelle ?"
COL_EASE = "Financièrement, vous diriez que vous êtes…"
AGE_LABELS = {
    "<15": "Moins de 15 ans",
    "15-29": "15-29 ans",
    "30-44": "30-44 ans",
    "45-59": "45-59 ans",
    "60-74": "60-74 ans",
    "75+": "75 ans et plus",
}
GENDER_LABELS = ["Une femme", "Un homme", "Autre"]
SITUATIONS = ["emploi", "etudiant", "foyer", "sans_activite", "retraite"]
SITUATION_LABELS = {
    "emploi": "En emploi",
    "etudiant": "Étudiant(e)",
    "foyer": "Au foyer",
    "sans_activite": "Sans activité professionnelle",
    "retraite": "Retraité(e)",
}
# P(situation | age band), columns in SITUATIONS order.
SITUATION_BY_AGE = {
    "15-29": [0.50, 0.38, 0.02, 0.10, 0.00],
    "30-44": [0.84, 0.02, 0.06, 0.08, 0.00],
    "45-59": [0.80, 0.00, 0.06, 0.10, 0.04],
    "60-74": [0.25, 0.00, 0.04, 0.05, 0.66],
    "75+": [0.00, 0.00, 0.03, 0.01, 0.96],
}
PCS_LABELS = [  # CS1..CS6, asked of the employed only
    "Agriculteur exploitant",
    "Artisan, commerçant, chef d'entreprise",
    "Cadre, profession intellectuelle supérieure",
    "Profession intermédiaire",
    "Employé(e)",
    "Ouvrier, ouvrière",
]
EASE_LABELS = ["À l'aise", "C'est juste", "Difficilement"]

# ---- points of interest -------------------------------------------------------------------
FOOD_SHOP_TYPES = [  # (type, label used in the name, count)
    ("boulangerie", "Boulangerie", 11),
    ("supérette", "Supérette", 6),
    ("supermarché", "Supermarché", 2),
    ("primeur", "Primeur", 5),
    ("boucherie", "Boucherie", 4),
    ("fromagerie", "Fromagerie", 2),
    ("poissonnerie", "Poissonnerie", 2),
    ("épicerie", "Épicerie", 5),
    ("épicerie bio", "Épicerie bio", 3),
]
REPAIR_SHOP_TYPES = [
    ("ressourcerie", "Ressourcerie", 2),
    ("repair café", "Repair café", 2),
    ("dépôt-vente", "Dépôt-vente", 3),
    ("cordonnerie", "Cordonnerie", 3),
    ("friperie", "Friperie", 2),
    ("atelier vélo", "Atelier vélo", 2),
    ("réparation électroménager", "Réparation électroménager", 1),
]
NAME_SUFFIXES = [  # fictional street and place names, drawn without replacement per type
    "de la Gare", "du Marché", "des Tilleuls", "du Moulin", "de la Fontaine", "des Coteaux",
    "de la Mairie", "des Vignes", "du Parc", "des Acacias", "de la Plaine", "des Sources",
    "du Pont-Neuf", "des Jardins", "du Bois-Joli", "de l'Église", "des Écoles", "du Lavoir",
    "de la Poste", "du Centre",
]
SUPERMARKETS = [(400.0, 300.0), (2700.0, 2000.0)]  # at the edge of town (relative to origin)
MARKETS = [  # (name, days, offset from the anchor stop (m))
    ("Marché de la Gare", "mercredi, samedi", "T_GARE_A", (60.0, -90.0)),
    ("Marché des Tilleuls", "jeudi, dimanche", "T_TILLEULS", (-40.0, 70.0)),
    ("Marché du Haut-Valmont", "mardi, vendredi", "B12_HAUT_VALMONT", (50.0, 40.0)),
    ("Marché des Jardins", "samedi", "B27_JARDINS", (-60.0, -50.0)),
]

# ---- GTFS --------------------------------------------------------------------------------
GTFS_START, GTFS_END = "20260101", "20261231"
HOLIDAY = "20260714"  # Fête nationale (a Tuesday): weekday service off, weekend service on
TRAM_SPEED, BUS_SPEED = 18.0, 14.0  # commercial speeds (km/h) including dwell times
TIME_STEP = 30  # stop times are rounded to this many seconds
# Line alignments (vertices relative to the origin, metres) and their stops:
# (stop_id, name, distance along the line as a fraction 0..1 of its length).
TRAM_PATH = [(-250, 1180), (700, 1300), (1350, 1230), (2200, 1330), (3250, 1240)]
TRAM_STOPS = [
    ("T_PONT_NEUF", "Pont-Neuf", 0.0),
    ("T_MOULIN", "Le Moulin", 0.13),
    ("T_MAIRIE", "Mairie de Valmont", 0.26),
    ("GARE", "Valmont Gare", 0.41),  # a station with platforms A and B (see gtfs_stops)
    ("T_TILLEULS", "Les Tilleuls", 0.55),
    ("T_MEDIATHEQUE", "Médiathèque", 0.69),
    ("T_FONTAINE", "La Fontaine", 0.84),
    ("T_PARC_ACTIVITES", "Parc d'Activités", 1.0),
]
BUS12_PATH = [(1050, 2620), (1150, 1900), (1380, 1230), (1250, 600), (1400, -120)]
BUS12_STOPS = [
    ("B12_CHAMP_FLEURY", "Champ-Fleury", 0.0),
    ("B12_HAUT_VALMONT", "Le Haut-Valmont", 0.12),
    ("B12_LYCEE", "Lycée Jean-Moulin", 0.25),
    ("B12_RUE_DES_ECOLES", "Rue des Écoles", 0.36),
    ("GARE", "Valmont Gare", 0.47),
    ("B12_POSTE", "La Poste", 0.58),
    ("B12_JARDINS_NORD", "Jardins Nord", 0.70),
    ("B12_STADE", "Stade", 0.83),
    ("B12_CIMETIERE", "Cimetière", 1.0),
]
BUS27_PATH = [(650, 250), (1250, 420), (1950, 380), (2050, 1000), (1900, 1700), (2000, 2620)]
BUS27_STOPS = [
    ("B27_LA_PRAIRIE", "La Prairie", 0.0),
    ("B27_JARDINS", "Les Jardins", 0.14),
    ("B27_COLLEGE", "Collège Pasteur", 0.26),
    ("B27_PLAINE", "La Plaine", 0.37),
    ("B27_PISCINE", "Piscine", 0.48),
    ("T_TILLEULS", "Les Tilleuls", 0.59),
    ("B27_SOURCES", "Parc des Sources", 0.73),
    ("B27_CHATEAU_EAU", "Château d'Eau", 0.86),
    ("B27_BELLEVUE", "Bellevue", 1.0),
]
# Service periods: (service_id, [(from "HH:MM", until "HH:MM", headway minutes), ...]);
# departures from each terminus start at `from` and continue while <= `until`.
ROUTES = [
    {
        "route_id": "T1", "short": "T1", "long": "Pont-Neuf – Parc d'Activités", "type": 0,
        "color": "2E8B57", "text_color": "FFFFFF", "path": TRAM_PATH, "stops": TRAM_STOPS,
        "speed": TRAM_SPEED, "return_offset": 3,
        "service": [
            ("SEM", [("06:00", "06:59", 8), ("07:00", "09:29", 6), ("09:30", "16:29", 8),
                     ("16:30", "19:29", 6), ("19:30", "21:59", 10), ("22:00", "24:30", 15)]),
            ("WE", [("06:30", "24:30", 12)]),
        ],
    },
    {
        "route_id": "B12", "short": "12", "long": "Champ-Fleury – Cimetière", "type": 3,
        "color": "1E64C8", "text_color": "FFFFFF", "path": BUS12_PATH, "stops": BUS12_STOPS,
        "speed": BUS_SPEED, "return_offset": 5,
        "service": [
            ("SEM", [("06:15", "06:59", 15), ("07:00", "09:29", 10), ("09:30", "16:29", 15),
                     ("16:30", "18:59", 10), ("19:00", "21:30", 15)]),
            ("WE", [("07:30", "20:30", 20)]),
        ],
    },
    {
        "route_id": "B27", "short": "27", "long": "La Prairie – Bellevue", "type": 3,
        "color": "E07B00", "text_color": "000000", "path": BUS27_PATH, "stops": BUS27_STOPS,
        "speed": BUS_SPEED, "return_offset": 8,
        "service": [
            ("SEM", [("06:30", "06:59", 20), ("07:00", "09:29", 15), ("09:30", "16:29", 20),
                     ("16:30", "18:59", 15), ("19:00", "21:00", 20)]),
            ("WE", [("08:00", "20:00", 30)]),
        ],
    },
]


# fmt: on

# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------


def largest_remainder(total: int, shares) -> list[int]:
    """Split the integer ``total`` into integers proportional to ``shares`` (exact sum)."""
    shares = np.asarray(shares, dtype=float)
    raw = total * shares / shares.sum()
    parts = np.floor(raw).astype(int)
    order = np.argsort(-(raw - parts), kind="stable")
    for i in order[: total - int(parts.sum())]:
        parts[i] += 1
    return [int(p) for p in parts]


def softmax_choice(rng: np.random.Generator, utilities) -> int:
    """Draw an index with probabilities proportional to exp(utilities)."""
    u = np.asarray(utilities, dtype=float)
    p = np.exp(u - u.max())
    return int(rng.choice(len(u), p=p / p.sum()))


def fmt_hundredths(value: int) -> str:
    """Hundredths as an INSEE-style decimal: 162345 -> "1623.45", 150 -> "1.5", 0 -> "0"."""
    text = f"{value // 100}.{value % 100:02d}".rstrip("0").rstrip(".")
    return text


def fmt_time(seconds: int) -> str:
    """GTFS time, hours may exceed 23 ("24:06:00")."""
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def parse_hhmm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60


def to_wgs84(x: float, y: float) -> tuple[str, str]:
    """Lambert-93 -> ("lon", "lat") in decimal degrees with 6 decimals."""
    lon, lat = TO_WGS84.transform(x, y)
    return f"{lon:.6f}", f"{lat:.6f}"


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def csv_bytes(header: list[str], rows: list[list], delimiter: str = ",") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def along(path: list[tuple[float, float]], fraction: float) -> tuple[float, float]:
    """Point at ``fraction`` of the length of a polyline given relative to the origin."""
    line = shapely.LineString([(ORIGIN_X + x, ORIGIN_Y + y) for x, y in path])
    point = line.interpolate(fraction, normalized=True)
    return round(point.x, 2), round(point.y, 2)


# ---------------------------------------------------------------------------------------
# 1. IRIS polygons
# ---------------------------------------------------------------------------------------


def build_iris(rng: np.random.Generator) -> tuple[list[dict], Polygon]:
    """Jittered 4 x 3 grid with wiggly shared edges: a tiling without gaps or overlaps.

    Every edge between two grid vertices is computed once and used, reversed, by both IRIS
    on its sides, so neighbours share exactly the same coordinates.
    """
    ncol, nrow = len(GRID_X) - 1, len(GRID_Y) - 1
    vertices = np.zeros((ncol + 1, nrow + 1, 2))
    for i in range(ncol + 1):
        for j in range(nrow + 1):
            inner = 0 < i < ncol and 0 < j < nrow
            jitter = VERTEX_JITTER if inner else OUTLINE_JITTER
            dx, dy = rng.uniform(-jitter, jitter, size=2)
            vertices[i, j] = (ORIGIN_X + GRID_X[i] + dx, ORIGIN_Y + GRID_Y[j] + dy)
    vertices = np.round(vertices, 2)

    def edge(a: np.ndarray, b: np.ndarray) -> list[tuple[float, float]]:
        """Points from a to b (a included, b excluded) with sideways wiggles."""
        direction = b - a
        normal = np.array([-direction[1], direction[0]]) / np.hypot(*direction)
        t = (np.arange(1, EDGE_POINTS + 1) + rng.uniform(-0.3, 0.3, EDGE_POINTS)) / (
            EDGE_POINTS + 1
        )
        offsets = np.clip(
            rng.normal(0.0, EDGE_WIGGLE, EDGE_POINTS), -2 * EDGE_WIGGLE, 2 * EDGE_WIGGLE
        )
        inner = a + t[:, None] * direction + offsets[:, None] * normal
        return [tuple(a)] + [tuple(p) for p in np.round(inner, 2)]

    horizontal = {
        (i, j): edge(vertices[i, j], vertices[i + 1, j])
        for j in range(nrow + 1)
        for i in range(ncol)
    }
    vertical = {
        (i, j): edge(vertices[i, j], vertices[i, j + 1])
        for i in range(ncol + 1)
        for j in range(nrow)
    }

    def reverse(points, end) -> list[tuple[float, float]]:
        """The same edge walked the other way (start at ``end``, stop before the start)."""
        return [tuple(end)] + points[1:][::-1]

    cells = {}
    for i in range(ncol):
        for j in range(nrow):
            ring = (
                horizontal[i, j]
                + vertical[i + 1, j]
                + reverse(horizontal[i, j + 1], vertices[i + 1, j + 1])
                + reverse(vertical[i, j], vertices[i, j + 1])
            )
            cells[i, j] = Polygon(ring)

    outline_ring = []
    for i in range(ncol):
        outline_ring += horizontal[i, 0]
    for j in range(nrow):
        outline_ring += vertical[ncol, j]
    for i in reversed(range(ncol)):
        outline_ring += reverse(horizontal[i, nrow], vertices[i + 1, nrow])
    for j in reversed(range(nrow)):
        outline_ring += reverse(vertical[0, j], vertices[0, j + 1])
    outline = Polygon(outline_ring)

    iris = []
    for suffix, name, col, row, pop, wealth, old_housing, youth in IRIS_SPECS:
        polygon = cells[col, row]  # exterior ring counter-clockwise
        assert polygon.is_valid, name
        iris.append(
            {
                "code_iris": COMMUNE_CODE + suffix,
                "nom_iris": name,
                "typ_iris": "H",
                "geometry": polygon,
                "pop": pop,
                "wealth": wealth,
                "old_housing": old_housing,
                "youth": youth,
            }
        )
    iris.sort(key=lambda r: r["code_iris"])
    assert outline.is_valid
    assert abs(sum(r["geometry"].area for r in iris) - outline.area) < 1.0
    return iris, outline


# ---------------------------------------------------------------------------------------
# 2. Census margins (INSEE base-ic-evol-struct-pop columns)
# ---------------------------------------------------------------------------------------

# fmt: off
CENSUS_COLUMNS = (
    ["IRIS", "COM", "LIBCOM", "LIBIRIS", "TYP_IRIS", "MODIF_IRIS", "LAB_IRIS", "P21_POP",
     "P21_POP0014", "P21_POP1529", "P21_POP3044", "P21_POP4559", "P21_POP6074",
     "P21_POP75P", "C21_POP15P"]
    + [f"C21_POP15P_CS{k}" for k in range(1, 9)]
    + ["C21_H15P", "C21_F15P"]
)
# fmt: on


def build_census(rng: np.random.Generator, iris: list[dict]) -> list[dict]:
    """Margins per IRIS in hundredths of a person (INSEE publishes weighted decimals).

    Age bands (P21_POP1529 .. P21_POP75P), sexes (C21_H15P + C21_F15P) and PCS
    (C21_POP15P_CS1 .. CS8) all sum exactly to C21_POP15P; P21_POP0014 = P21_POP - C21_POP15P.
    """
    census = []
    for r in iris:
        pop = int(round(r["pop"] * 100 + rng.uniform(-50, 50)))  # hundredths
        pop15 = int(round(pop * rng.uniform(0.80, 0.85)))
        age_shares = AGE_BASE_SHARES * np.exp(r["youth"] * AGE_YOUTH_SLOPE)
        age_shares *= rng.uniform(0.95, 1.05, size=5)
        ages = largest_remainder(pop15, age_shares)
        female_share = rng.uniform(0.515, 0.545) + 0.01 * max(0.0, -r["youth"])
        females = int(round(pop15 * female_share))
        w = r["wealth"]
        senior_share = (ages[3] + ages[4]) / pop15
        cs = np.array(
            [
                0.0015 + 0.0015 * r["old_housing"],  # CS1 agriculteurs
                0.035,  # CS2 artisans, commerçants, chefs d'entreprise
                0.12 + 0.09 * w,  # CS3 cadres
                0.16 + 0.02 * w,  # CS4 professions intermédiaires
                0.16 - 0.04 * w,  # CS5 employés
                0.10 - 0.05 * w,  # CS6 ouvriers
                0.90 * senior_share + 0.01,  # CS7 retraités
                0.0,  # CS8 autres sans activité: the rest
            ]
        ) * rng.uniform(0.93, 1.07, size=8)
        cs[7] = max(0.08, 1.0 - cs[:7].sum())
        census.append(
            {
                "IRIS": r["code_iris"],
                "COM": COMMUNE_CODE,
                "LIBCOM": COMMUNE_NAME,
                "LIBIRIS": r["nom_iris"],
                "TYP_IRIS": "H",
                "MODIF_IRIS": "00",
                "LAB_IRIS": "1",
                "P21_POP": pop,
                "P21_POP0014": pop - pop15,
                **dict(
                    zip(
                        ["P21_POP1529", "P21_POP3044", "P21_POP4559", "P21_POP6074", "P21_POP75P"],
                        ages,
                        strict=True,
                    )
                ),
                "C21_POP15P": pop15,
                **{f"C21_POP15P_CS{k + 1}": v for k, v in enumerate(largest_remainder(pop15, cs))},
                "C21_H15P": pop15 - females,
                "C21_F15P": females,
            }
        )
    return census


def census_bytes(census: list[dict]) -> bytes:
    lines = [";".join(CENSUS_COLUMNS)]
    for row in census:
        lines.append(
            ";".join(
                fmt_hundredths(row[c]) if isinstance(row[c], int) else row[c]
                for c in CENSUS_COLUMNS
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------
# 3. GTFS feed (also gives the stop positions the survey habits depend on)
# ---------------------------------------------------------------------------------------


def build_stops() -> dict[str, dict]:
    """All stops keyed by stop_id, positions in Lambert-93 and WGS84."""
    stops: dict[str, dict] = {}

    def add(stop_id, name, xy, location_type=0, parent="", platform=""):
        if stop_id in stops:
            return
        lon, lat = to_wgs84(*xy)
        stops[stop_id] = {
            "stop_id": stop_id,
            "stop_name": name,
            "x": xy[0],
            "y": xy[1],
            "stop_lat": lat,
            "stop_lon": lon,
            "location_type": location_type,
            "parent_station": parent,
            "platform_code": platform,
        }

    for route in ROUTES:
        for stop_id, name, fraction in route["stops"]:
            x, y = along(route["path"], fraction)
            if stop_id != "GARE":
                add(stop_id, name, (x, y))
            elif route["type"] == 0:  # the tram platforms, one per direction
                add("T_GARE_A", name, (x, y - 12.0), parent="S_GARE", platform="A")
                add("T_GARE_B", name, (x, y + 12.0), parent="S_GARE", platform="B")
                add("S_GARE", name, (x, y), location_type=1)
            else:  # the bus stop in front of the station (the tram comes first in ROUTES)
                station = stops["S_GARE"]
                add(
                    "B_GARE",
                    name + " (bus)",
                    (station["x"] + 40.0, station["y"] - 35.0),
                    parent="S_GARE",
                    platform="C",
                )
    return stops


def route_stop_ids(route: dict, direction: int) -> list[str]:
    ids = []
    for stop_id, _, _ in route["stops"]:
        if stop_id == "GARE":
            stop_id = (
                ("T_GARE_A" if direction == 0 else "T_GARE_B") if route["type"] == 0 else "B_GARE"
            )
        ids.append(stop_id)
    return ids if direction == 0 else ids[::-1]


def departures(periods: list[tuple[str, str, int]], offset_min: int) -> list[int]:
    times = []
    for start, end, headway in periods:
        t = parse_hhmm(start) + offset_min * 60
        while t <= parse_hhmm(end) + offset_min * 60:
            if not times or t > times[-1]:
                times.append(t)
            t += headway * 60
    return times


def build_gtfs(stops: dict[str, dict]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    files["agency.txt"] = csv_bytes(
        ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
        [
            [
                "VALMONT",
                "Transports fictifs de Valmont (données fictives)",
                "https://example.org/valmont",
                "Europe/Paris",
                "fr",
            ]
        ],
    )
    files["stops.txt"] = csv_bytes(
        [
            "stop_id",
            "stop_name",
            "stop_lat",
            "stop_lon",
            "location_type",
            "parent_station",
            "platform_code",
        ],
        [
            [
                s["stop_id"],
                s["stop_name"],
                s["stop_lat"],
                s["stop_lon"],
                s["location_type"],
                s["parent_station"],
                s["platform_code"],
            ]
            for s in sorted(stops.values(), key=lambda s: s["stop_id"])
        ],
    )
    files["routes.txt"] = csv_bytes(
        [
            "route_id",
            "agency_id",
            "route_short_name",
            "route_long_name",
            "route_type",
            "route_color",
            "route_text_color",
        ],
        [
            [
                r["route_id"],
                "VALMONT",
                r["short"],
                r["long"],
                r["type"],
                r["color"],
                r["text_color"],
            ]
            for r in ROUTES
        ],
    )

    trips, stop_times = [], []
    for route in ROUTES:
        for direction in (0, 1):
            ids = route_stop_ids(route, direction)
            xy = np.array([(stops[i]["x"], stops[i]["y"]) for i in ids])
            metres = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
            offsets = np.round(metres / (route["speed"] / 3.6) / TIME_STEP).astype(int) * TIME_STEP
            headsign = stops[ids[-1]]["stop_name"]
            if ids[-1] in ("T_GARE_A", "T_GARE_B", "B_GARE"):
                headsign = "Valmont Gare"
            for service_id, periods in route["service"]:
                offset = route["return_offset"] if direction else 0
                for n, start in enumerate(departures(periods, offset)):
                    trip_id = f"{route['route_id']}-{service_id}-{direction}-{n + 1:03d}"
                    trips.append([route["route_id"], service_id, trip_id, headsign, direction])
                    for seq, (stop_id, dt) in enumerate(zip(ids, offsets, strict=True), start=1):
                        t = fmt_time(start + int(dt))
                        stop_times.append([trip_id, t, t, stop_id, seq])
    files["trips.txt"] = csv_bytes(
        ["route_id", "service_id", "trip_id", "trip_headsign", "direction_id"], trips
    )
    files["stop_times.txt"] = csv_bytes(
        ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"], stop_times
    )
    files["calendar.txt"] = csv_bytes(
        [
            "service_id",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "start_date",
            "end_date",
        ],
        [
            ["SEM", 1, 1, 1, 1, 1, 0, 0, GTFS_START, GTFS_END],
            ["WE", 0, 0, 0, 0, 0, 1, 1, GTFS_START, GTFS_END],
        ],
    )
    files["calendar_dates.txt"] = csv_bytes(
        ["service_id", "date", "exception_type"], [["SEM", HOLIDAY, 2], ["WE", HOLIDAY, 1]]
    )
    files["feed_info.txt"] = csv_bytes(
        [
            "feed_publisher_name",
            "feed_publisher_url",
            "feed_lang",
            "feed_start_date",
            "feed_end_date",
            "feed_version",
        ],
        [
            [
                "qet-geo, données fictives / fictional data",
                "https://example.org/qet-geo",
                "fr",
                GTFS_START,
                GTFS_END,
                "2026.1-fictif",
            ]
        ],
    )
    return files


# ---------------------------------------------------------------------------------------
# 4. Points of interest
# ---------------------------------------------------------------------------------------


def sample_points_near(
    rng, outline: Polygon, anchors: np.ndarray, spread: float, count: int, min_gap: float = 40.0
) -> list[tuple[float, float]]:
    """``count`` points inside the outline, each near a random anchor (normal spread),
    at least ``min_gap`` metres apart."""
    points: list[tuple[float, float]] = []
    while len(points) < count:
        ax, ay = anchors[rng.integers(len(anchors))]
        x, y = np.round((ax, ay) + rng.normal(0.0, spread, size=2), 2)
        if not outline.contains(Point(x, y)):
            continue
        if any(np.hypot(x - px, y - py) < min_gap for px, py in points):
            continue
        points.append((float(x), float(y)))
    return points


def build_pois(rng, outline: Polygon, stops: dict[str, dict]) -> dict[str, list[dict]]:
    """Shops cluster around the station and along the tram; the corners have few."""
    gare = np.array([[stops["S_GARE"]["x"], stops["S_GARE"]["y"]]])
    tram = np.array([[s["x"], s["y"]] for k, s in stops.items() if k.startswith("T_")])
    bus = np.array([[s["x"], s["y"]] for k, s in stops.items() if k.startswith("B")])

    def shops(types, n_centre_share):
        features = []
        for shop_type, label, count in types:
            n_centre = int(round(count * n_centre_share))
            pts = sample_points_near(rng, outline, gare, 250.0, n_centre) + sample_points_near(
                rng, outline, np.vstack([tram, bus]), 150.0, count - n_centre
            )
            suffixes = rng.permutation(len(NAME_SUFFIXES))[:count]
            for (x, y), s in zip(pts, suffixes, strict=True):
                features.append(
                    {
                        "nom": f"{label} {NAME_SUFFIXES[s]}",
                        "type": shop_type,
                        "geometry": Point(x, y),
                    }
                )
        return features

    food = shops(FOOD_SHOP_TYPES, 0.45)
    # the supermarkets are at the edge of town, by the main roads
    big = [f for f in food if f["type"] == "supermarché"]
    for f, (dx, dy) in zip(big, SUPERMARKETS, strict=True):
        f["geometry"] = Point(ORIGIN_X + dx, ORIGIN_Y + dy)
        assert outline.contains(f["geometry"])
    repair = shops(REPAIR_SHOP_TYPES, 0.6)

    markets = []
    for name, days, stop_id, (dx, dy) in MARKETS:
        markets.append(
            {
                "nom": name,
                "jours": days,
                "geometry": Point(stops[stop_id]["x"] + dx, stops[stop_id]["y"] + dy),
            }
        )
    for layer in (food, repair):
        layer.sort(key=lambda f: (f["type"], f["nom"]))
    return {"commerces_alimentaires": food, "marches": markets, "reparation_occasion": repair}


def write_gpkg(path: Path, iris: list[dict], outline: Polygon, pois: dict) -> None:
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": OGR_CURRENT_DATE})
    tmp = path.with_name(path.name + ".tmp.gpkg")
    if tmp.exists():
        tmp.unlink()
    layers = [
        (
            "iris",
            [{k: r[k] for k in ("code_iris", "nom_iris", "typ_iris", "geometry")} for r in iris],
        ),
        (
            "perimetre",
            [
                {
                    "nom": NEIGHBOURHOOD_NAME,
                    "commune": COMMUNE_NAME,
                    "code_commune": COMMUNE_CODE,
                    "geometry": outline,
                }
            ],
        ),
        *pois.items(),
    ]
    for n, (layer, features) in enumerate(layers):
        gdf = gpd.GeoDataFrame(features, geometry="geometry", crs=CRS)
        pyogrio.write_dataframe(
            gdf,
            tmp,
            layer=layer,
            driver="GPKG",
            dataset_options={"VERSION": "1.2"} if n == 0 else None,
        )
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------
# 5. Survey answers
# ---------------------------------------------------------------------------------------


def allocate_respondents(census: list[dict], n_residents: int) -> dict[str, int]:
    """Residents per IRIS: fixed small numbers for SMALL_IRIS_RESPONDENTS, the rest in
    proportion to C21_POP15P."""
    others = [c for c in census if c["IRIS"] not in SMALL_IRIS_RESPONDENTS]
    n_rest = n_residents - sum(SMALL_IRIS_RESPONDENTS.values())
    counts = dict(
        zip(
            [c["IRIS"] for c in others],
            largest_remainder(n_rest, [c["C21_POP15P"] for c in others]),
            strict=True,
        )
    )
    counts.update(SMALL_IRIS_RESPONDENTS)
    return {c["IRIS"]: counts[c["IRIS"]] for c in census}


def random_home(rng, polygon: Polygon) -> tuple[float, float]:
    """Uniform point in the IRIS, not too close to its boundary."""
    minx, miny, maxx, maxy = polygon.bounds
    boundary = polygon.boundary
    while True:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        p = Point(x, y)
        if polygon.contains(p) and boundary.distance(p) > HOME_MIN_DISTANCE_TO_BOUNDARY:
            return x, y


def draw_person(rng, r: dict, c: dict, age: str | None = None) -> dict:
    """Demographics of one respondent living in IRIS ``r`` (census row ``c``)."""
    if age is None:
        bands = np.array(
            [
                c[k]
                for k in ("P21_POP1529", "P21_POP3044", "P21_POP4559", "P21_POP6074", "P21_POP75P")
            ],
            dtype=float,
        )
        p = bands * AGE_RESPONSE_BIAS
        age = AGE_BANDS[int(rng.choice(5, p=p / p.sum()))]
    female_share = c["C21_F15P"] / c["C21_POP15P"]
    p_gender = np.array([female_share * FEMALE_RESPONSE_BIAS, 1.0 - female_share])
    p_gender = np.append(0.99 * p_gender / p_gender.sum(), 0.01)  # 1 % "Autre"
    gender = GENDER_LABELS[int(rng.choice(3, p=p_gender))]
    if age == "<15":
        situation = "etudiant"
    else:
        situation = SITUATIONS[int(rng.choice(5, p=SITUATION_BY_AGE[age]))]
    pcs = None
    if situation == "emploi":
        p = np.array([c[f"C21_POP15P_CS{k}"] for k in range(1, 7)], float) * PCS_RESPONSE_BIAS
        pcs = int(rng.choice(6, p=p / p.sum()))  # 0..5 = CS1..CS6
    # financial ease: 0 = à l'aise, 1 = c'est juste, 2 = difficilement
    score = (
        0.9 * r["wealth"]
        + {
            "emploi": [0.3, 0.4, 1.1, 0.5, -0.3, -0.5][pcs] if pcs is not None else 0.0,
            "etudiant": -0.6,
            "foyer": -0.3,
            "sans_activite": -1.1,
            "retraite": 0.2,
        }[situation]
    )
    ease = softmax_choice(rng, [score, 0.6, -score - 0.4])
    return {"age": age, "gender": gender, "situation": situation, "pcs": pcs, "ease": ease}


def draw_habits(
    rng, person: dict, home: tuple[float, float], r: dict, places: dict[str, np.ndarray]
) -> list[int]:
    """The six answers (0-based codes) from simple utility models; distances in km."""

    def nearest(key):
        pts = places[key]
        return float(np.min(np.hypot(pts[:, 0] - home[0], pts[:, 1] - home[1]))) / 1000.0

    d_tram, d_bus, d_centre, d_repair = (
        nearest("tram"),
        nearest("bus"),
        nearest("centre"),
        nearest("repair"),
    )
    age = AGE_BANDS.index(person["age"]) if person["age"] in AGE_BANDS else 0
    ease, situation = person["ease"], person["situation"]
    female = person["gender"] == "Une femme"
    cadre = person["pcs"] == 2

    meat = softmax_choice(
        rng,
        [
            -0.9 + 0.5 * female + 0.5 * (age == 0) + 0.3 * (ease == 2),
            0.7,
            0.3 + 0.6 * (ease == 0) - 0.5 * (ease == 2) + 0.4 * (not female) - 0.3 * (age >= 3),
        ],
    )
    transport = softmax_choice(
        rng,
        [
            1.7 - 2.0 * d_centre + 0.4 * (age <= 1) - 0.8 * (age == 4),
            0.2
            + 1.6 * np.exp(-d_tram / 0.35)
            + 0.7 * np.exp(-d_bus / 0.2)
            + 0.5 * (situation == "etudiant"),
            -2.2
            + 2.6 * min(d_tram, 1.4)
            + 0.6 * (ease == 0)
            - 0.6 * (ease == 2)
            + 0.4 * (situation == "emploi")
            + 0.3 * (1 <= age <= 2),
        ],
    )
    digital = softmax_choice(
        rng,
        [
            -1.2 + 1.4 * (age >= 3) + 0.6 * (age == 4),
            0.6 + 0.3 * (1 <= age <= 3),
            0.2 + 1.2 * (age == 0) + 0.4 * (age == 1) - 1.0 * (age >= 3),
        ],
    )
    purchase = softmax_choice(
        rng,
        [
            -0.7 + 0.6 * (ease == 2) + 0.4 * (age == 0) + 0.6 * np.exp(-d_repair / 0.3),
            0.8,
            -0.3 + 0.5 * (ease == 0) + 0.3 * (age == 4) - 0.3 * (ease == 2),
        ],
    )
    flights = softmax_choice(
        rng,
        [
            0.4 + 0.9 * (ease == 2) + 0.9 * (age == 4) + 0.3 * (age == 3),
            0.3 + 0.6 * (ease == 0) + 0.3 * (age <= 1) + 0.3 * cadre,
            -2.0 + 1.2 * (ease == 0) + 0.7 * cadre - 0.6 * (ease == 2),
        ],
    )
    if rng.random() < r["old_housing"]:  # old detached house
        heating = int(rng.choice(3, p=[0.30, 0.58, 0.12]))
    else:  # flats, newer housing, district heating near the centre
        heating = int(rng.choice(3, p=[0.70, 0.29, 0.01]))
    return [meat, transport, digital, purchase, flights, heating]


def build_survey(
    rng, iris: list[dict], census: list[dict], stops: dict[str, dict], pois: dict
) -> list[list[str]]:
    n_residents = N_ROWS - N_NON_RESIDENT - N_UNDER_15
    counts = allocate_respondents(census, n_residents)
    by_code = {r["code_iris"]: r for r in iris}
    census_by_code = {c["IRIS"]: c for c in census}
    places = {
        "tram": np.array(
            [[s["x"], s["y"]] for k, s in sorted(stops.items()) if k.startswith("T_")]
        ),
        "bus": np.array([[s["x"], s["y"]] for k, s in sorted(stops.items()) if k.startswith("B")]),
        "centre": np.array([[stops["S_GARE"]["x"], stops["S_GARE"]["y"]]]),
        "repair": np.array(
            [[f["geometry"].x, f["geometry"].y] for f in pois["reparation_occasion"]]
        ),
    }

    # Residents, then the under-15s (in the two most populated IRIS), then non-residents
    # interviewed at a market (their point is where they were met, as in real exports).
    people = []
    for code, n in counts.items():
        for _ in range(n):
            people.append((code, None, "Oui"))
    largest = sorted(census, key=lambda c: -c["C21_POP15P"])[:N_UNDER_15]
    people += [(c["IRIS"], "<15", "Oui") for c in largest]
    people += [(None, None, "Non")] * N_NON_RESIDENT

    markets = pois["marches"]
    rows = []
    for code, age, resident in people:
        if code is None:  # non-resident, met at a market
            m = markets[int(rng.integers(len(markets)))]["geometry"]
            while True:
                home = (m.x + rng.normal(0, 15), m.y + rng.normal(0, 15))
                inside = [r for r in iris if r["geometry"].contains(Point(home))]
                if (
                    inside
                    and inside[0]["geometry"].boundary.distance(Point(home))
                    > HOME_MIN_DISTANCE_TO_BOUNDARY
                ):
                    break
            code = inside[0]["code_iris"]
        else:
            home = random_home(rng, by_code[code]["geometry"])
        r, c = by_code[code], census_by_code[code]
        person = draw_person(rng, r, c, age)
        habits = draw_habits(rng, person, home, r, places)
        lon, lat = to_wgs84(*home)
        rows.append(
            [labels[h] for (_, labels), h in zip(USAGE_COLUMNS, habits, strict=True)]
            + [
                resident,
                AGE_LABELS[person["age"]],
                person["gender"],
                SITUATION_LABELS[person["situation"]],
                PCS_LABELS[person["pcs"]] if person["pcs"] is not None else "",
                EASE_LABELS[person["ease"]],
                lon,
                lat,
            ]
        )

    # Rows in submission order, with the gaps of a real export (deleted partial answers).
    order = rng.permutation(len(rows))
    ids = 3 + np.cumsum(1 + (rng.random(len(rows)) < 0.08) * rng.integers(1, 4, len(rows)))
    return [[str(int(i))] + rows[k] for i, k in zip(ids, order, strict=True)]


def survey_bytes(rows: list[list[str]]) -> bytes:
    header = (
        ["Identifiant"]
        + [h for h, _ in USAGE_COLUMNS]
        + [
            COL_RESIDENT,
            COL_AGE,
            COL_GENDER,
            COL_SITUATION,
            COL_PCS,
            COL_EASE,
            "longitude",
            "latitude",
        ]
    )
    lines = ["\t".join(header)] + ["\t".join(r) for r in rows]
    assert not any("\t" in v or "\n" in v for r in rows for v in r)
    return ("\n".join(lines) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------
# Diagnostic: "Espace et Mode de Vie" (EMdV) and Nos Gestes Climat (NGC) answers
# ---------------------------------------------------------------------------------------
#
# Two Metabase JSON exports as NEAR's database gives them (docs/diagnostic.md; read by
# qet_geo.diagnostic.emdv.import_emdv and qet_geo.diagnostic.ngc.import_ngc).  The surveys
# share only the neighbourhood and the profile with the SU survey: nobody here is a row of
# survey_su.tsv.  Each respondent belongs to one of the three profiles that
# `qet-geo run sample_data/qet-geo.toml` finds in survey_su.tsv (out/profiles.json): their
# local numbers, names and barycentres are written out below, and the answers follow the
# profile (the car profile wants less to reduce car use and has a higher transport
# footprint, the frequent flyers a higher plane footprint...).  A respondent gives its
# profile either as the code it was e-mailed after the SU survey ("Su", declared) or by
# answering the six SU questions again (assigned by the profiles' barycentres); a few give
# neither.  The generator of its own (DIAGNOSTIC_SEED) leaves the other files unchanged.

# fmt: off

DIAGNOSTIC_SEED = [SEED, 15]  # numpy.random.default_rng(DIAGNOSTIC_SEED)

# The profiles of the sample run (profiles.json): local number -> NEAR database id of the
# SU (fictional), name, barycentre in NEAR's current weights (meat, transport, digital,
# purchasing, plane, heating), and the shares of the answers 1/2/3 of the six questions
# among the profile's members (close to the run's own).
DIAG_PROFILES = {
    1: {"su_id": 9101, "name": "Transports en commun",
        "barycentre": [1233.17, 211.46, 218.41, 900.49, 378.54, 607.80],
        "su": [[0.30, 0.45, 0.25], [0.30, 0.70, 0.00], [0.25, 0.50, 0.25],
               [0.25, 0.55, 0.20], [0.53, 0.47, 0.00], [0.57, 0.33, 0.10]]},
    2: {"su_id": 9102, "name": "Voiture au quotidien",
        "barycentre": [1358.28, 2300.0, 214.79, 927.61, 547.24, 779.14],
        "su": [[0.20, 0.45, 0.35], [0.00, 0.00, 1.00], [0.20, 0.60, 0.20],
               [0.15, 0.62, 0.23], [0.40, 0.52, 0.08], [0.30, 0.49, 0.21]]},
    3: {"su_id": 9103, "name": "Avion plus de 3 fois par an, transports en commun",
        "barycentre": [1290.0, 255.0, 225.0, 960.0, 2000.0, 860.0],
        "su": [[0.20, 0.35, 0.45], [0.15, 0.85, 0.00], [0.20, 0.60, 0.20],
               [0.10, 0.80, 0.10], [0.00, 0.00, 1.00], [0.35, 0.50, 0.15]]},
}
# NEAR's enum codes of the six SU answers 1/2/3 (qet_geo/diagnostic/su_codes.py)
DIAG_SU_HEADERS = ["Meat Frequency", "Transportation Mode", "Digital Intensity",
                   "Purchasing Strategy", "Air Travel Frequency", "Heat Source"]
DIAG_SU_CODES = [["MINOR", "REGULAR", "MAJOR"], ["LIGHT", "PUBLIC", "CAR"],
                 ["LIGHT", "REGULAR", "INTENSE"], ["SECOND_HAND", "MIXED", "NEW"],
                 ["ZERO", "FROM_1_TO_3", "ABOVE_3"], ["ELECTRICITY", "GAZ", "OIL"]]
NEAR_WEIGHTS = [[200, 1000, 2000], [0, 300, 2300], [90, 180, 360],
                [400, 800, 1600], [0, 800, 2000], [200, 1100, 1600]]

# Respondents per profile: (declared, assigned); then those with neither, then the rows
# the import must reject (documented in README.md).  The small profile 3 has 12 to 15
# respondents: some of its values pass the threshold of 11, most are hidden.
EMDV_LINKS = {1: (90, 60), 2: (60, 40), 3: (30, 20)}
EMDV_NO_PROFILE = 4
NGC_LINKS = {1: (80, 50), 2: (55, 35), 3: (26, 16)}
NGC_NO_PROFILE = 4

DIAG_CHANNELS = (["street_survey", "qr_code", "mail_campaign", "social_network"],
                 [0.70, 0.16, 0.08, 0.06])
DIAG_START = "2026-05-04"  # first answer (the forum follows in June); 6 weeks of answers
DIAG_DAYS = 42

# ---- EMdV ------------------------------------------------------------------------------
# Satisfaction items (Metabase header, theme): share of YES and of DONT_KNOW in profile 1,
# and the change of the YES share in profiles 2 and 3 (taken from or given to NO).
SATISFACTION = [
    ("Access To Short Food Circuit Satisfaction", 0.35, 0.30, -0.05, 0.00),
    ("Neighborhood Organic Product Satisfaction", 0.50, 0.20, -0.05, 0.05),
    ("Neighborhood Season Fruits And Vegetables Satisfaction", 0.62, 0.12, -0.10, 0.00),
    ("Private Or Share Field To Farm", 0.25, 0.15, 0.30, -0.05),
    ("Neighborhood Organic Market Satisfaction", 0.66, 0.08, -0.16, 0.00),
    ("Associative Activity", 0.45, 0.35, -0.10, 0.00),
    ("Cultural Activity", 0.48, 0.14, -0.13, 0.05),
    ("Hobbies Spaces", 0.55, 0.15, -0.10, 0.00),
    ("Neighborhood Life", 0.42, 0.18, 0.08, -0.10),
    ("Vegetal Parks Satisfaction", 0.72, 0.06, 0.00, 0.00),
    ("No Information On Cityzen Participation", 0.30, 0.15, 0.00, 0.05),
    ("Local Shops To Meet Your Needs", 0.70, 0.05, -0.25, 0.00),
    ("Public Service Presence", 0.60, 0.12, -0.20, 0.00),
    ("Services To Share Or Rent Objects", 0.18, 0.50, -0.05, 0.00),
    ("Bicycle Repair Shop Satisfaction", 0.40, 0.35, -0.10, 0.00),
    ("Clothes Repair Shop Satisfaction", 0.55, 0.25, -0.10, 0.00),
    ("Electronic Repair Shop Satisfaction", 0.25, 0.40, -0.05, 0.00),
    ("Second Hand Shop Satisfaction", 0.50, 0.22, -0.15, 0.00),
    ("Car And Pedestrians Respect", 0.30, 0.15, 0.20, 0.00),
    ("Easy Bicycle", 0.45, 0.10, -0.20, 0.00),
    ("Easy Public Transports", 0.78, 0.04, -0.45, 0.00),
    ("Easy To Leave City With Transports", 0.62, 0.08, -0.22, 0.15),
    ("Easy Walking", 0.82, 0.03, -0.12, 0.00),
    ("Not Too Much Traffic", 0.35, 0.08, 0.20, -0.05),
    ("Confort House When Hot", 0.40, 0.05, 0.15, 0.00),
    ("Not Cold House", 0.65, 0.04, -0.05, 0.00),
    ("Want To Participate To Civic Initiatives", 0.45, 0.30, -0.10, -0.10),
]
# The four levers: shares of NO, I_WISH_BUT_CANT, I_WISH_AND_IT_IS_PLAN, YES_I_DO
WISH_CODES = ["NO", "I_WISH_BUT_CANT", "I_WISH_AND_IT_IS_PLAN", "YES_I_DO"]
WISHES = {
    "Want To Reduce Car Usage": {1: [0.08, 0.10, 0.14, 0.68], 2: [0.36, 0.40, 0.17, 0.07],
                                 3: [0.15, 0.15, 0.20, 0.50]},
    "Want To Reduce Meat And Fish": {1: [0.34, 0.10, 0.26, 0.30], 2: [0.48, 0.12, 0.22, 0.18],
                                     3: [0.55, 0.10, 0.20, 0.15]},
    "Prefer Buy French And Season Food": {1: [0.08, 0.30, 0.24, 0.38],
                                          2: [0.12, 0.36, 0.24, 0.28],
                                          3: [0.10, 0.20, 0.30, 0.40]},
    "Prefer Second And": {1: [0.14, 0.10, 0.30, 0.46], 2: [0.24, 0.12, 0.30, 0.34],
                          3: [0.30, 0.10, 0.30, 0.30]},
}
# Barriers: share of the profile concerned, then the weights of each choice.  Not
# concerned: {NOT_CONCERNED}, or {} for the local-food barrier (as NEAR stores that choice).
BARRIERS = {
    "Reasons To Continue Using Car": {
        "concerned": {1: 0.28, 2: 0.92, 3: 0.35},
        "choices": {"I_NEED_CAR_FOR_SOME_ACTIONS": [0.40, 0.30, 0.45], "MY_WORK": [0.10, 0.22, 0.10],
                    "NO_PUBLIC_TRANSPORT_AT_PROXIMITY": [0.10, 0.28, 0.05],
                    "HANDICAP_REASONS": [0.15, 0.06, 0.10], "SECURITY_REASONS": [0.20, 0.08, 0.20],
                    "PROFESSIONAL_OR_PERSONAL_IMAGE": [0.05, 0.06, 0.10]},
        "other": ["pas le temps le samedi", "les courses pour toute la famille",
                  "le bus 27 ne passe pas le dimanche", "je travaille en horaires décalés",
                  "ma mère habite loin de la gare", "les enfants au club de foot le soir",
                  "trop de correspondances pour aller au travail"],
    },
    "Reasons To Eat Meat": {
        "concerned": {1: 0.62, 2: 0.75, 3: 0.80},
        "choices": {"MY_FAMILY_EAT_MEAT": [0.35, 0.35, 0.30],
                    "WITHOUT_MEAT_IS_NOT_NOURISHING_ENOUGH": [0.25, 0.30, 0.30],
                    "I_DONT_KNOW_ALTERNATIVES": [0.15, 0.12, 0.10],
                    "I_DONT_TRUST_ALTERNATIVES": [0.10, 0.13, 0.10],
                    "RESTAURANTS_DOES_NOT_OFFER_ALTERNATIVES": [0.15, 0.10, 0.20]},
        "other": ["j'aime ça, tout simplement", "mes enfants ne mangent pas de légumineuses",
                  "la cantine du travail", "le barbecue du dimanche avec les voisins"],
    },
    "Reasons To Not Buy French And Season Food": {
        "concerned": {1: 0.70, 2: 0.72, 3: 0.60},
        "choices": {"PRICE": [0.45, 0.40, 0.35], "COMPLICATED_LABELS": [0.25, 0.25, 0.25],
                    "I_DONT_KNOW_MARKET": [0.08, 0.12, 0.10],
                    "I_DONT_KNOW_SEASON_PRODUCTS": [0.10, 0.10, 0.10],
                    "I_PREFER_EAT_OTHER_PRODUCTS": [0.12, 0.13, 0.20]},
        "other": ["pas de marché le soir après le travail", "le marché de la Fontaine est trop loin",
                  "je fais tout au supermarché, c'est plus simple"],
    },
    "Reasons To Not Chose Second Hand": {
        "concerned": {1: 0.55, 2: 0.62, 3: 0.70},
        "choices": {"TRUST": [0.45, 0.45, 0.40], "TIME_CONSUMING": [0.20, 0.20, 0.25],
                    "PROFESSIONAL_OR_PERSONAL_IMAGE": [0.08, 0.10, 0.15],
                    "COMPETENCIES": [0.15, 0.12, 0.10], "NO_OFFER_AT_PROXIMITY": [0.12, 0.13, 0.10]},
        "other": ["je ne trouve pas ma taille", "la ressourcerie n'ouvre que le mercredi",
                  "pour offrir, je préfère du neuf"],
    },
}
BARRIER_OTHER = 0.10  # share of the concerned who also write an "Autre" text
BARRIER_EMPTY = 0.02  # share of NEAR's empty lists {} in the other barrier questions
# "Autre" texts holding personal data, for the privacy masking of the demo (fictional)
PRIVATE_OTHER = {
    "Reasons To Continue Using Car": "j'habite au 14 bis rue des Glycines, aucun bus direct",
    "Reasons To Not Chose Second Hand": "écrivez-moi : camille.fictive@example.org",
}
VOLUNTARY = ["HUMAN_AND_SOCIAL", "POLITIC", "YOUTH_AND_EDUCATION", "CULTURE", "ENVIRONMENT",
             "SPORTS"]
VOLUNTARY_OTHER = ["la chorale du quartier", "le club de pétanque des Tilleuls"]

# Trips: mode weights per profile, time weights per mode (LESS_THAN_10_MIN ... ABOVE_45_MIN)
TRIP_TIMES = ["LESS_THAN_10_MIN", "BETWEEN_10_AND_20_MIN", "BETWEEN_20_AND_30_MIN",
              "BETWEEN_30_AND_45_MIN", "ABOVE_45_MIN"]
TRIP_MODES = {  # purpose -> mode -> weights in profiles 1, 2, 3
    "food": {"WALKING": [0.55, 0.18, 0.50], "PERSONAL_BICYCLE": [0.12, 0.04, 0.08],
             "SHARED_BICYCLE": [0.02, 0.00, 0.02], "PUBLIC_TRANSPORT": [0.12, 0.04, 0.18],
             "CAR": [0.12, 0.62, 0.15], "ELECTRIC_CAR": [0.01, 0.08, 0.02],
             "NONE_I_DONT_MOVE": [0.06, 0.04, 0.05]},
    "work": {"WALKING": [0.12, 0.04, 0.10], "PERSONAL_BICYCLE": [0.14, 0.04, 0.12],
             "SHARED_BICYCLE": [0.03, 0.00, 0.03], "PUBLIC_TRANSPORT": [0.40, 0.08, 0.45],
             "CAR": [0.10, 0.55, 0.10], "ELECTRIC_CAR": [0.01, 0.07, 0.02],
             "TAXI_VTC": [0.00, 0.00, 0.03], "NONE_I_DONT_MOVE": [0.20, 0.22, 0.15]},
    "hobby": {"WALKING": [0.40, 0.15, 0.35], "PERSONAL_BICYCLE": [0.15, 0.05, 0.10],
              "SHARED_BICYCLE": [0.02, 0.01, 0.02], "PUBLIC_TRANSPORT": [0.20, 0.06, 0.30],
              "CAR": [0.08, 0.58, 0.12], "ELECTRIC_CAR": [0.01, 0.05, 0.01],
              "TAXI_VTC": [0.01, 0.01, 0.03], "NONE_I_DONT_MOVE": [0.13, 0.09, 0.07]},
}
MODE_TIMES = {
    "WALKING": [0.55, 0.35, 0.10, 0.00, 0.00], "PERSONAL_BICYCLE": [0.45, 0.40, 0.15, 0.00, 0.00],
    "SHARED_BICYCLE": [0.40, 0.45, 0.15, 0.00, 0.00],
    "PUBLIC_TRANSPORT": [0.08, 0.30, 0.32, 0.20, 0.10], "CAR": [0.30, 0.40, 0.18, 0.08, 0.04],
    "ELECTRIC_CAR": [0.30, 0.40, 0.18, 0.08, 0.04], "TAXI_VTC": [0.20, 0.50, 0.30, 0.00, 0.00],
}
# Zones of the destination: in the neighbourhood, or a quarter of the surroundings (the
# form's A north, B east, C south, D west), or written out (a free text).
ZONES = ["NEIGHBOURHOOD", "ZONE_A", "ZONE_B", "ZONE_C", "ZONE_D"]
ZONE_WEIGHTS = {"near": [0.80, 0.06, 0.06, 0.04, 0.04], "far": [0.15, 0.30, 0.20, 0.15, 0.20]}
ZONE_TEXTS = ["Centre commercial de Valmont-Est", "Partout", "ça dépend des semaines",
              "Zone d'activités du Moulin"]
ZONE_TEXT = 0.03  # share of zones written out
HABITS = {  # single-choice habits: codes and weights (the same in every profile)
    "Parks Usage Frequency": (["RARELY", "SOMETIMES", "OFTEN"], [0.25, 0.40, 0.35]),
}
HOME = {1: [0.22, 0.45, 0.33], 2: [0.08, 0.22, 0.70], 3: [0.05, 0.40, 0.55]}  # social, tenant, owner
AGE_CODES = ["FROM_15_TO_29", "FROM_30_TO_44", "FROM_45_TO_59", "FROM_60_TO_74", "ABOVE_75"]
AGE_WEIGHTS = [0.14, 0.26, 0.28, 0.22, 0.10]
GENDERS = (["WOMAN", "MAN", "OTHER"], [0.56, 0.43, 0.01])

# Testimonies (fictional): column -> texts; about one respondent in eight writes one.
TESTIMONIES = {
    "Other Transportation Information": [
        "Le tram est pratique mais il est bondé à 8 h.",
        "Il manque une piste cyclable entre la gare et les Coteaux.",
        "Sans voiture, impossible d'aller au supermarché de la Plaine.",
    ],
    "Other Food Satisfaction Information": [
        "Le marché du samedi est super, dommage qu'il finisse à midi.",
        "Une AMAP au Haut-Valmont serait la bienvenue.",
    ],
    "Other Services Information": [
        "La Poste a réduit ses horaires, c'est compliqué pour les personnes âgées.",
    ],
    "Other Parks Information": [
        "Le parc des Sources manque de bancs à l'ombre.",
        "Les jeux pour enfants sont souvent cassés.",
    ],
    "Other Neighborhood Life Information": [
        "On se connaît bien dans ma rue, on s'entraide.",
        "La fête des voisins devrait avoir lieu plus souvent.",
    ],
    "Other Repair Shop Satisfaction Information": [
        "Le repair café de la gare m'a sauvé deux grille-pain.",
    ],
    "Other Housing Information": [
        "Mon appartement est une fournaise l'été, sous les toits.",
    ],
    "Comment": [
        "Merci pour cette enquête, j'espère que ça servira.",
        "Plus d'arbres rue des Tilleuls, c'est un comble !",
        "Venez présenter les résultats au centre social, pas seulement en mairie.",
    ],
}
TESTIMONY_SHARE = 0.14
# Testimonies holding personal data (fictional), for the masking of reviewed testimonies
PRIVATE_TESTIMONIES = [
    ("Comment", "Je veux bien aider à organiser le forum : 06 00 00 00 00 ou "
                "dominique.exemple@example.net"),
    ("Other Housing Information", "Au 8 rue du Lavoir, les fenêtres ne ferment plus depuis 2024."),
]

# ---- NGC -------------------------------------------------------------------------------
# The tree of the carbon boards (qet_geo/diagnostic/schemas/near-ngc.yaml): node ->
# (Metabase header, parent).  Every parent is written as the sum of its children, so that
# the import's tree check holds; values in kg CO2e per year, written as text as NEAR's
# export does.
NGC_TREE = [
    ("bilan", "Global Note", None),
    ("transport", "Transportation", "bilan"),
    ("transport . voiture", "Transportation Car", "transport"),
    ("transport . avion", "Transportation Plane", "transport"),
    ("transport . deux roues", "Transportation Bicycle", "transport"),
    ("transport . mobilité douce", "Transportation Soft Mobility", "transport"),
    ("transport . train", "Transportation Train", "transport"),
    ("transport . transports commun", "Transportation Public Transport", "transport"),
    ("transport . vacances", "Transportation Hollidays", "transport"),
    ("transport . ferry", "Transportation Ferry", "transport"),
    ("alimentation", "Alimentation", "bilan"),
    ("alimentation . déjeuner et dîner", "Alimentation Lunch Dinner", "alimentation"),
    ("alimentation . petit déjeuner annuel", "Alimentation Annual Breakfast", "alimentation"),
    ("alimentation . déforestation", "Alimentation Deforestation", "alimentation"),
    ("alimentation . boisson", "Alimentation Drinks", "alimentation"),
    ("alimentation . déchets", "Alimentation Waste", "alimentation"),
    ("logement", "Logement", "bilan"),
    ("logement . construction", "Logement Construcion", "logement"),
    ("logement . électricité", "Logement Electricity", "logement"),
    ("logement . chauffage", "Logement Heating", "logement"),
    ("logement . climatisation", "Logement Air Conditioning", "logement"),
    ("logement . piscine", "Logement Swimming Pool", "logement"),
    ("logement . extérieur", "Logement Outdor", "logement"),
    ("logement . vacances", "Logement Hollidays", "logement"),
    ("divers", "Divers", "bilan"),
    ("divers . électroménager", "Divers Household Applicances", "divers"),
    ("divers . électroménager . appareils", "Divers Household Applicances Devices",
     "divers . électroménager"),
    ("divers . ameublement", "Divers Furniture", "divers"),
    ("divers . numérique", "Divers Digital", "divers"),
    ("divers . numérique . internet", "Divers Digital Internet", "divers . numérique"),
    ("divers . numérique . appareils", "Divers Digital Devices", "divers . numérique"),
    ("divers . textile", "Divers Textile", "divers"),
    ("services sociétaux", "Services Societal", "bilan"),
    ("services publics", "Services Publics", "services sociétaux"),
    ("services marchands", "Services Market", "services sociétaux"),
]
# The same for everyone in NGC: the public and market services per person
NGC_SERVICES = {"services publics": 1102.5, "services marchands": 348.4053}
# Leaves by the SU answer they depend on (1/2/3): median kg CO2e per year
NGC_CAR = [120.0, 450.0, 2400.0]  # transport mode: active, public transport, car
NGC_PLANE = [60.0, 1000.0, 3600.0]  # flights: < 1, 1 to 3, > 3 a year
NGC_MEALS = [1300.0, 1950.0, 2650.0]  # meat: 0-4, 5-9, 10+ meals a week
NGC_HEATING = [380.0, 1500.0, 2500.0]  # electricity or heat network, gas, oil
NGC_TEXTILE = [110.0, 210.0, 380.0]  # second hand, mixed, new
NGC_DEVICES = [70.0, 120.0, 210.0]  # digital: little, medium, much
NGC_SPREAD = 0.30  # log-normal spread of each leaf around its median

# Cells NEAR's export shows as dates (a number of 1000 to 9999 turned into a year): the
# import reads them as missing and gives them back from the tree.  (column, profile)
NGC_MANGLED = [("Transportation Car", 2), ("Alimentation Lunch Dinner", 1),
               ("Logement Heating", 2)]

# fmt: on


def diag_timestamps(rng, n: int) -> list[str]:
    """``n`` increasing Metabase timestamps over DIAG_DAYS days from DIAG_START."""
    start = np.datetime64(DIAG_START + "T08:00:00.000")
    ms = np.sort(rng.integers(0, DIAG_DAYS * 86_400_000, n))
    # answers between 08:00 and 21:00: fold the day's time into 13 hours
    day, rest = ms // 86_400_000, ms % 86_400_000
    ms = day * 86_400_000 + rest * 13 // 24
    return [str(start + np.timedelta64(int(v), "ms")) for v in ms]


def diag_ids(rng, n: int) -> list[int]:
    """Database ids in answer order, with the gaps of deleted partial answers."""
    return [int(i) for i in 2 + np.cumsum(1 + (rng.random(n) < 0.06) * rng.integers(1, 3, n))]


def draw_su_answers(rng, profile: int) -> list[int]:
    """Six SU answers (1/2/3) drawn from the profile's shares."""
    return [int(rng.choice(3, p=p)) + 1 for p in DIAG_PROFILES[profile]["su"]]


def near_distance(answers: list[int], profile: int) -> float:
    """NEAR's distance of six answers to a profile's barycentre (current weights)."""
    x = np.array([NEAR_WEIGHTS[j][a - 1] for j, a in enumerate(answers)], dtype=float)
    return float(np.sqrt(((x - np.array(DIAG_PROFILES[profile]["barycentre"])) ** 2).sum()))


def diag_people(rng, links: dict, no_profile: int) -> list[dict]:
    """Respondents in random order: profile, how it is linked (declared / assigned / none),
    and its six SU answers (those who answered them)."""
    people = []
    for profile, (declared, assigned) in links.items():
        people += [{"profile": profile, "link": "declared"} for _ in range(declared)]
        people += [{"profile": profile, "link": "assigned"} for _ in range(assigned)]
    # with neither a code nor the SU answers: the profile only shapes the answers
    people += [{"profile": int(rng.choice([1, 2], p=[0.7, 0.3])), "link": "none"}
               for _ in range(no_profile)]  # fmt: skip
    order = rng.permutation(len(people))
    people = [people[i] for i in order]
    for person in people:
        person["su"] = draw_su_answers(rng, person["profile"])
    return people


def weighted(rng, codes: list, weights) -> str:
    w = np.asarray(weights, dtype=float)
    return codes[int(rng.choice(len(codes), p=w / w.sum()))]


def array_literal(items: list[str]) -> str:
    """A PostgreSQL array literal as NEAR's export writes it ({A,B,"texte libre"})."""
    out = []
    for item in items:
        if any(c in item for c in ',{}"\\ ') or item == "":
            item = '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"'
        out.append(item)
    return "{" + ",".join(out) + "}"


def draw_barrier(rng, header: str, profile: int) -> str:
    spec = BARRIERS[header]
    if rng.random() >= spec["concerned"][profile]:
        if header == "Reasons To Not Buy French And Season Food":
            return "{}"  # NEAR's "Ça ne me concerne pas"
        return "{}" if rng.random() < BARRIER_EMPTY else "{NOT_CONCERNED}"
    codes = list(spec["choices"])
    weights = np.array([spec["choices"][c][profile - 1] for c in codes])
    n = 1 + int(rng.random() < 0.22)
    chosen = [codes[i] for i in sorted(rng.choice(len(codes), n, replace=False,
                                                  p=weights / weights.sum()))]  # fmt: skip
    if rng.random() < BARRIER_OTHER:
        text = spec["other"][int(rng.integers(len(spec["other"])))]
        chosen = ([] if rng.random() < 0.5 else chosen) + [text]
    return array_literal(chosen)


def draw_trip(rng, purpose: str, profile: int) -> tuple:
    """(mode, time, zone) of a trip; no time nor zone for no trip."""
    modes = TRIP_MODES[purpose]
    mode = weighted(rng, list(modes), [w[profile - 1] for w in modes.values()])
    if mode == "NONE_I_DONT_MOVE":
        return mode, None, None
    time = weighted(rng, TRIP_TIMES, MODE_TIMES[mode])
    if rng.random() < ZONE_TEXT:
        return mode, time, ZONE_TEXTS[int(rng.integers(len(ZONE_TEXTS)))]
    near = time in TRIP_TIMES[:2] and mode in ("WALKING", "PERSONAL_BICYCLE", "SHARED_BICYCLE")
    zone = weighted(rng, ZONES, ZONE_WEIGHTS["near" if near else "far"])
    return mode, time, zone


def link_columns(person: dict, with_answers: bool) -> dict:
    """The link columns of an export row: NEAR's SU id (the database id of the profile
    NEAR found), the code the respondent gave ("Su", declared), "Know Su", the distance to
    the barycentre, and the six SU answers (NEAR's enum codes) when asked."""
    profile, link = person["profile"], person["link"]
    answered = link == "assigned" or (with_answers and link == "declared")
    out = {
        "Su ID": DIAG_PROFILES[profile]["su_id"] if link != "none" else None,
        "Su": profile if link == "declared" else None,
        "Know Su": link == "declared",
        "Distance To Barycenter": (
            round(near_distance(person["su"], profile), 6) if answered else None
        ),
    }
    for j, header in enumerate(DIAG_SU_HEADERS):
        out[header] = DIAG_SU_CODES[j][person["su"][j] - 1] if answered else None
    return out


def build_emdv(rng) -> list[dict]:
    """The EMdV export: one object per answer, in answer order."""
    people = diag_people(rng, EMDV_LINKS, EMDV_NO_PROFILE)
    n = len(people) + 3  # three rows the import must reject, placed below
    stamps, ids = diag_timestamps(rng, n), diag_ids(rng, n)
    private_testimonies = list(PRIVATE_TESTIMONIES)
    rows = []
    for i, person in enumerate(people):
        p = person["profile"]
        row = {"ID": ids[i], "Created At": stamps[i], "SurveyId": 1,
               "Broadcast Channel": weighted(rng, *DIAG_CHANNELS)}  # fmt: skip
        for header, yes, dont_know, shift2, shift3 in SATISFACTION:
            yes += {1: 0.0, 2: shift2, 3: shift3}[p]
            row[header] = weighted(rng, ["NO", "DONT_KNOW", "YES"],
                                   [max(1 - yes - dont_know, 0.02), dont_know, max(yes, 0.02)])  # fmt: skip
        for header, shares in WISHES.items():
            row[header] = weighted(rng, WISH_CODES, shares[p])
        for header in BARRIERS:
            row[header] = draw_barrier(rng, header, p)
        for purpose, (mode_h, time_h, zone_h) in {
            "food": ("Transport Mode To Buy Food", "Transport Time To Buy Food", "Food Market Zone"),
            "work": ("Transport Mode To Work", "Transport Time To Work", "Work Zone"),
            "hobby": ("Transport Mode To Hobby", "Transport Time To Hobby", "Hobby Zone"),
        }.items():  # fmt: skip
            row[mode_h], row[time_h], row[zone_h] = draw_trip(rng, purpose, p)
        for header, (codes, weights) in HABITS.items():
            row[header] = weighted(rng, codes, weights)
        k = int(rng.choice(3, p=[0.6, 0.32, 0.08]))
        work = sorted(rng.choice(len(VOLUNTARY), k, replace=False)) if k else []
        items = [VOLUNTARY[j] for j in work]
        if rng.random() < 0.03:
            items.append(VOLUNTARY_OTHER[int(rng.integers(len(VOLUNTARY_OTHER)))])
        row["Your Volontary Work"] = array_literal(items)
        row["Home Occupation Type"] = weighted(
            rng, ["SOCIAL_HOUSING_TENANT", "HOUSING_TENANT", "HOME_OWNER"], HOME[p]
        )
        row["Age Category"] = weighted(rng, AGE_CODES, AGE_WEIGHTS)
        row["Gender"] = weighted(rng, *GENDERS)
        row.update(link_columns(person, with_answers=False))
        if rng.random() < TESTIMONY_SHARE:
            header = weighted(rng, list(TESTIMONIES), [len(t) for t in TESTIMONIES.values()])
            texts = TESTIMONIES[header]
            row[header] = texts[int(rng.integers(len(texts)))]
        if private_testimonies and i in (57, 121):
            header, text = private_testimonies.pop(0)
            row[header] = text
        if i == 44:  # an "Autre" text with a street number, beside a choice
            header = "Reasons To Continue Using Car"
            row[header] = array_literal(["I_NEED_CAR_FOR_SOME_ACTIONS", PRIVATE_OTHER[header]])
        if i == 101:  # an "Autre" text with an e-mail address
            header = "Reasons To Not Chose Second Hand"
            row[header] = array_literal([PRIVATE_OTHER[header]])
        rows.append(row)
    # Rows the import must reject (README.md): an unknown answer code, a broken array
    # literal, a declared code the profiles lack.  Copies of answers with one cell broken.
    broken = [
        ("Want To Reduce Car Usage", "MAYBE"),
        ("Reasons To Not Buy French And Season Food", '{PRICE,"pas de marché le'),
        ("Su", 7),
    ]
    for k, (header, value) in enumerate(broken):
        at = [30, 95, 150][k]
        row = dict(rows[at - 1])
        row.update({"ID": 0, "Created At": ""})
        row[header] = value
        if header == "Su":
            row.update({"Know Su": True, "Su ID": None, "Distance To Barycenter": None})
            row.update(dict.fromkeys(DIAG_SU_HEADERS))
        rows.insert(at, row)
    for row, rid, stamp in zip(rows, ids, stamps, strict=True):  # ids and times in row order
        row.update({"ID": rid, "Created At": stamp})
    return rows


def lognormal(rng, median: float) -> float:
    return float(median * np.exp(rng.normal(0.0, NGC_SPREAD)))


def ngc_leaves(rng, su: list[int], profile: int) -> dict:
    """The leaves of one respondent's NGC result, in kg CO2e per year, from its six SU
    answers (and its profile for holidays)."""
    meat, transport, digital, purchasing, plane, heating = su
    z = lambda share, median: lognormal(rng, median) if rng.random() < share else 0.0  # noqa: E731
    leaves = {
        "transport . voiture": lognormal(rng, NGC_CAR[transport - 1]) * (rng.random() < 0.92),
        "transport . avion": z(0.35, 80.0) if plane == 1 else lognormal(rng, NGC_PLANE[plane - 1]),
        "transport . deux roues": z(0.08, 250.0),
        "transport . mobilité douce": lognormal(rng, [35.0, 20.0, 8.0][transport - 1]),
        "transport . train": z(0.6, 70.0),
        "transport . transports commun": lognormal(rng, [40.0, 120.0, 25.0][transport - 1]),
        "transport . vacances": z([0.1, 0.3, 0.1][profile - 1], 300.0),
        "transport . ferry": z(0.04, 90.0),
        "alimentation . déjeuner et dîner": lognormal(rng, NGC_MEALS[meat - 1]),
        "alimentation . petit déjeuner annuel": lognormal(rng, 60.0),
        "alimentation . déforestation": z(0.5, 180.0),
        "alimentation . boisson": lognormal(rng, 220.0),
        "alimentation . déchets": lognormal(rng, 140.0),
        "logement . construction": lognormal(rng, 450.0),
        "logement . électricité": lognormal(rng, 130.0),
        "logement . chauffage": lognormal(rng, NGC_HEATING[heating - 1]),
        "logement . climatisation": z(0.10, 60.0),
        "logement . piscine": z(0.03, 350.0),
        "logement . extérieur": z(0.4, 12.0),
        "logement . vacances": lognormal(rng, 50.0),
        "divers . électroménager . appareils": lognormal(rng, 95.0),
        "divers . ameublement": lognormal(rng, 180.0),
        "divers . numérique . internet": lognormal(rng, [8.0, 14.0, 24.0][digital - 1]),
        "divers . numérique . appareils": lognormal(rng, NGC_DEVICES[digital - 1]),
        "divers . textile": lognormal(rng, NGC_TEXTILE[purchasing - 1]),
        **NGC_SERVICES,
    }
    return leaves


def ngc_values(leaves: dict) -> dict:
    """Every node of the tree in ten-thousandths of a kg (integers: each parent exactly
    the sum of its children), from the leaves."""
    units = {k: int(round(v * 10_000)) for k, v in leaves.items()}
    for key, _header, _parent in reversed(NGC_TREE):  # children come after their parent
        if key not in units:
            units[key] = sum(units[k] for k, _, parent in NGC_TREE if parent == key)
    return units


def fmt_units(value: int) -> str:
    """Ten-thousandths as a decimal text: 21551125 -> "2155.1125", 0 -> "0.0"."""
    text = f"{value // 10_000}.{value % 10_000:04d}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def mangled(value: int) -> str:
    """A number as NEAR's export shows a number column typed as a date."""
    return f"{value // 10_000:04d}-03-31T22:00:00.000Z"


def build_ngc(rng) -> list[dict]:
    """The NGC export: one object per result, in answer order; the raw nested answers of a
    real export are left out (the import does not read them)."""
    people = diag_people(rng, NGC_LINKS, NGC_NO_PROFILE)
    n = len(people) + 2  # two rows the import must reject, placed below
    stamps, ids = diag_timestamps(rng, n), diag_ids(rng, n)
    todo = list(NGC_MANGLED)
    rows = []
    for i, person in enumerate(people):
        units = ngc_values(ngc_leaves(rng, person["su"], person["profile"]))
        row = {"ID": ids[i], "Broadcast Channel": weighted(rng, *DIAG_CHANNELS), "SurveyId": 1,
               "Created At": stamps[i], "Updated At": stamps[i]}  # fmt: skip
        for key, header, _parent in NGC_TREE:
            row[header] = fmt_units(units[key])
        for header, profile in list(todo):
            key = next(k for k, h, _ in NGC_TREE if h == header)
            if person["profile"] == profile and 10_000_000 <= units[key] < 100_000_000:
                row[header] = mangled(units[key])
                todo.remove((header, profile))
                break
        row.update(link_columns(person, with_answers=True))
        if person["link"] == "none":  # neither a code nor the six answers
            row.update({"Su ID": None, "Know Su": False})
        rows.append(row)
    assert not todo, todo
    # Rows the import must reject (README.md): a word and a negative number in a node.
    for at, header, value in [(60, "Divers Textile", "beaucoup"),
                              (120, "Transportation Car", "-350.0")]:  # fmt: skip
        row = dict(rows[at - 1])
        row[header] = value
        rows.insert(at, row)
    for row, rid, stamp in zip(rows, ids, stamps, strict=True):
        row.update({"ID": rid, "Created At": stamp, "Updated At": stamp})
    return rows


def json_bytes(rows: list[dict]) -> bytes:
    """A Metabase JSON export: a list of objects, here one per line (compact)."""
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows]
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")


# ---------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------


def generate(out: Path) -> list[Path]:
    """Write every sample file into ``out``; return their paths."""
    rng = np.random.default_rng(SEED)
    out.mkdir(parents=True, exist_ok=True)
    (out / "gtfs").mkdir(exist_ok=True)

    iris, outline = build_iris(rng)
    census = build_census(rng, iris)
    stops = build_stops()
    pois = build_pois(rng, outline, stops)
    survey = build_survey(rng, iris, census, stops, pois)

    written = []
    write_gpkg(out / "quartier.gpkg", iris, outline, pois)
    written.append(out / "quartier.gpkg")
    for name, data in [
        ("base-ic-evol-struct-pop-quartier.csv", census_bytes(census)),
        ("survey_su.tsv", survey_bytes(survey)),
    ]:
        write_atomic(out / name, data)
        written.append(out / name)
    for name, data in build_gtfs(stops).items():
        write_atomic(out / "gtfs" / name, data)
        written.append(out / "gtfs" / name)

    # the diagnostic's answers, from a generator of their own (the files above unchanged)
    diag_rng = np.random.default_rng(DIAGNOSTIC_SEED)
    for name, data in [
        ("emdv_answers.json", json_bytes(build_emdv(diag_rng))),
        ("ngc_answers.json", json_bytes(build_ngc(diag_rng))),
    ]:
        write_atomic(out / name, data)
        written.append(out / name)
    # the forum's vote, from a generator of its own (the files above unchanged)
    write_atomic(out / "bulletins_vote.csv", build_ballots(np.random.default_rng(VOTE_SEED), iris))
    written.append(out / "bulletins_vote.csv")
    return written


#: the forum's vote (fictional): ranked ballots of residents at the forum, one row each
VOTE_SEED = [SEED, 16]  # numpy.random.default_rng(VOTE_SEED)
#: (ballots, preferences): mobility leads the first choices, food wins the instant run-off
VOTE_BLOCS = [
    (125, ("mobilite", "numerique", "achats")),
    (95, ("alimentation", "achats", "mobilite")),
    (70, ("achats", "alimentation", "mobilite")),
    (45, ("chauffage", "alimentation", "")),
    (25, ("avion", "alimentation", "achats")),
    (12, ("numerique", "mobilite", "")),
]


def build_ballots(rng, iris: list[dict]) -> bytes:
    """The ballots of the forum as a facilitator's team types them (French Excel: ``;``,
    a BOM): ``ballot_id``, ``rank_1``…``rank_3`` (subject keys; the lower ranks may be
    empty) and ``area`` (the voter's IRIS code, left empty by one voter in ten)."""
    rows = []
    for n, ranks in VOTE_BLOCS:
        for _ in range(n):
            rows.append(list(ranks))
    order = rng.permutation(len(rows))
    codes = [r["code_iris"] for r in iris]
    weights = rng.dirichlet(np.full(len(codes), 2.0))
    out = []
    for k, i in enumerate(order, start=1):
        area = "" if rng.random() < 0.1 else str(rng.choice(codes, p=weights))
        out.append([f"B{k:03d}", *rows[i], area])
    return b"\xef\xbb\xbf" + csv_bytes(
        ["ballot_id", "rank_1", "rank_2", "rank_3", "area"], out, ";"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="output folder (default: the folder of this script)",
    )
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(f"{path.stat().st_size:>9}  {path}")


if __name__ == "__main__":
    main()
