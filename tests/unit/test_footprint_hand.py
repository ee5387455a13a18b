"""Footprints of each usage against values computed by hand from the NGC 4.10.2 rules.

Each expected value is written out as arithmetic on the model's published factors (rule
names in the comments), independently of the evaluator; the cross-check with the official
engine lives in test_publicodes.py. Where a usage holds parts that no answer removes (food:
drinks, waste; purchases: furniture, clothing), the check is on the difference two answers
make, which the rules fix exactly.
"""

from __future__ import annotations

import pytest

from qet_geo.footprint.publicodes import evaluate, load_model
from qet_geo.footprint.situations import situation_footprints

DAYS = 365  # commun . jours par an
WEEKS = 52  # commun . semaines par an


def fp(situation: dict) -> dict:
    table, warnings = situation_footprints([(None, situation)])
    assert warnings == []
    return table.iloc[0].to_dict()


def rule_value(rule: str, situation: dict) -> float:
    return float(evaluate(load_model(), [situation], rules=[rule]).iloc[0, 0])


# ------------------------------------------------------------------ air (transport . avion)
# court courrier: 0.22 and 0.18 kgCO2e/km averaged, at 600 km / 1.3 h
# moyen et long courrier: 0.17 and 0.15 kgCO2e/km averaged, at 1350 km / 2.5 h
SHORT_PER_HOUR = (0.22 + 0.18) / 2 * 600 / 1.3
LONG_PER_HOUR = (0.17 + 0.15) / 2 * 1350 / 2.5


def test_air_never_is_zero():
    assert fp({"transport . avion . usager": "'jamais'"})["fp_avion"] == 0.0


def test_air_frequent_flyer_hours_of_one_year():
    row = fp(
        {
            "transport . avion . usager": "'fréquemment'",
            "transport . avion . vols annuels . heures court courrier . saisie": 10,
            "transport . avion . vols annuels . heures moyen et long courrier . saisie": 20,
        }
    )
    assert row["fp_avion"] == pytest.approx(10 * SHORT_PER_HOUR + 20 * LONG_PER_HOUR)
    assert row["fp_avion"] == pytest.approx(2651.0769, abs=1e-3)


def test_air_occasional_flyer_spreads_three_years():
    row = fp(
        {
            "transport . avion . usager": "'occasionnellement'",
            "transport . avion . vols amortis . heures court courrier . saisie": 30,
            "transport . avion . vols amortis . heures moyen et long courrier . saisie": 0,
        }
    )
    assert row["fp_avion"] == pytest.approx(30 / 3 * SHORT_PER_HOUR)


# ------------------------------------------------------------------ food (alimentation)
MEALS = {
    "végétalien": 0.54,
    "végétarien": 0.85,
    "viande blanche": 1.65,
    "viande rouge": 5.01,
    "poisson gras": 1.45,
    "poisson blanc": 2.22,
}  # alimentation . plats . <type> . empreinte carbone, kgCO2e/repas


def _week(**counts):
    return {f"alimentation . plats . {k} . nombre": counts.get(k, 0) for k in MEALS}


def test_food_meals_of_the_week_times_52():
    week = {"végétalien": 4, "végétarien": 4, "viande blanche": 3, "viande rouge": 2,
            "poisson gras": 1, "poisson blanc": 0}  # fmt: skip
    value = rule_value("alimentation . déjeuner et dîner", _week(**week))
    assert value == pytest.approx(sum(MEALS[k] * n for k, n in week.items()) * WEEKS)


def test_food_one_red_meat_meal_less_a_week():
    base = _week(**{"viande rouge": 5, "végétalien": 9})
    less = _week(**{"viande rouge": 4, "végétalien": 10})
    gap = fp(base)["fp_alimentation"] - fp(less)["fp_alimentation"]
    assert gap == pytest.approx((5.01 - 0.54) * WEEKS)  # 232.44 kg a year


def test_food_breakfast_british_against_continental():
    # alimentation . petit déjeuner . britannique / continental: 1.08 and 0.32 kgCO2e/repas
    british = fp({"alimentation . petit déjeuner . type": "'britannique'"})
    continental = fp({"alimentation . petit déjeuner . type": "'continental'"})
    none = fp({"alimentation . petit déjeuner . type": "'aucun'"})
    assert british["fp_alimentation"] - continental["fp_alimentation"] == pytest.approx(
        (1.08 - 0.32) * DAYS
    )
    assert continental["fp_alimentation"] - none["fp_alimentation"] == pytest.approx(0.32 * DAYS)


# ------------------------------------------------------------------ mobility
# bus: (0.12 × 0.725 + 0.0217 × 0.075 + 0.12 × 0.20) kgCO2e/km at 12 km/h
BUS_PER_HOUR = (0.12 * 0.725 + 0.0217 * 0.075 + 0.12 * 0.20) * 12
# train: TGV 0.00293, TER 0.0277, intercités 0.0075 kgCO2e/km weighted by 61, 19, 3.5
TRAIN_PER_KM = (61 * 0.00293 + 19 * 0.0277 + 3.5 * 0.0075) / (61 + 19 + 3.5)


def test_mobility_of_a_carless_cyclist_taking_bus_and_train():
    row = fp(
        {
            "transport . voiture . utilisateur": "'jamais'",
            "transport . deux roues . usager": "non",
            "transport . mobilité douce . vélo . présent": "oui",
            "transport . mobilité douce . vae . présent": "non",
            "transport . mobilité douce . autres véhicules à moteur . présent": "non",
            "transport . transports commun . bus . présent": "oui",
            "transport . transports commun . bus . heures par semaine": 3,
            "transport . transports commun . car . présent": "non",
            "transport . transports commun . métro ou tram . présent": "non",
            "transport . train . usager": "oui",
            "transport . train . km": 1000,
        }
    )
    bike = 116 / 12  # vélo . construction / durée de vie
    bus = 3 * BUS_PER_HOUR * WEEKS
    train = 1000 * TRAIN_PER_KM
    assert row["fp_mobilite"] == pytest.approx(bike + bus + train)
    assert row["fp_mobilite"] == pytest.approx(9.6667 + 210.8387 + 8.7578, abs=1e-3)


def test_mobility_electric_bike_km():
    row = fp(
        {
            "transport . voiture . utilisateur": "'jamais'",
            "transport . deux roues . usager": "non",
            "transport . mobilité douce . vélo . présent": "non",
            "transport . mobilité douce . vae . présent": "oui",
            "transport . mobilité douce . vae . km": 2000,
            "transport . mobilité douce . autres véhicules à moteur . présent": "non",
            "transport . transports commun . bus . présent": "non",
            "transport . transports commun . car . présent": "non",
            "transport . transports commun . métro ou tram . présent": "non",
            "transport . train . usager": "non",
        }
    )
    assert row["fp_mobilite"] == pytest.approx(0.00223 * 2000 + 262 / 12)


def test_mobility_car_km_shared_by_the_travellers():
    # a diesel car at 6 l/100 km beyond NGC's threshold of the average yearly km (under it an
    # owner's car is amortised as if driven that far): each km costs fuel 6/100 × (3.1 +
    # 3.04)/2 kgCO2e/l, upkeep 0.0067, air conditioning and construction per km, shared by
    # the 2 travellers
    car = {
        "transport . voiture . utilisateur": "'propriétaire'",
        "transport . voiture . motorisation": "'thermique'",
        "transport . voiture . thermique . carburant": "'gazole B7 ou B10'",
        "transport . voiture . thermique . consommation aux 100": 6,
        "transport . voiture . voyageurs": 2,
        "transport . voiture . km": 20000,
    }
    threshold = rule_value("transport . voiture . construction . seuil km", car)
    assert 10000 < threshold < 20000
    per_km = (
        6 / 100 * (3.1 + 3.04) / 2
        + 0.0067
        + rule_value("transport . voiture . climatisation", car)
        + rule_value("transport . voiture . construction au kilomètre", car)
    )
    short = fp(car)["fp_mobilite"]
    long = fp({**car, "transport . voiture . km": 30000})["fp_mobilite"]
    assert long - short == pytest.approx(10000 * per_km / 2)
    under = fp({**car, "transport . voiture . km": 5000})["fp_mobilite"]
    assert short - under == pytest.approx(
        15000 * (per_km - rule_value("transport . voiture . construction au kilomètre", car)) / 2
        + (20000 - threshold)
        * rule_value("transport . voiture . construction au kilomètre", car)
        / 2
    )
    assert fp({**car, "transport . voiture . utilisateur": "'jamais'"})["fp_mobilite"] < under


# ------------------------------------------------------------------ purchases
APPLIANCES = ("réfrigérateur", "petit réfrigérateur", "congélateur", "lave-linge",
              "sèche-linge", "lave-vaisselle", "four", "micro-onde", "plaques", "hotte",
              "bouilloire", "cafetière", "aspirateur", "robot cuisine")  # fmt: skip


def _appliances(preservation: str, **counts):
    situation = {
        f"divers . électroménager . appareils . {a} . nombre": counts.get(a, 0) for a in APPLIANCES
    }
    situation["divers . ameublement . préservation"] = f"'{preservation}'"
    situation["logement . habitants"] = 2
    return situation


@pytest.mark.parametrize("preservation, coefficient", [("moyen", 1), ("faible", 0.5),
                                                       ("maximum", 4 / 3)])  # fmt: skip
def test_appliances_amortised_and_shared_in_the_household(preservation, coefficient):
    # fridge 257 kg over 10 years, washing machine 342 kg over 10 years, 2 people
    situation = _appliances(preservation, **{"réfrigérateur": 1, "lave-linge": 1})
    expected = (257 / (10 * coefficient) + 342 / (10 * coefficient)) / 2
    assert rule_value("divers . électroménager", situation) == pytest.approx(expected)


def test_one_more_washing_machine_in_the_purchases_usage():
    one = fp(_appliances("moyen", **{"lave-linge": 1}))["fp_achats"]
    two = fp(_appliances("moyen", **{"lave-linge": 2}))["fp_achats"]
    assert two - one == pytest.approx(342 / 10 / 2)


# ------------------------------------------------------------------ digital
DEVICES = ("téléphone", "TV", "ordinateur portable", "ordinateur fixe", "tablette",
           "enceinte bluetooth", "console de salon", "console portable", "imprimante")  # fmt: skip
INTERNET_PER_HOUR = (0.0523 + 0.0311) / 2  # divers . numérique . internet . empreinte horaire


def _devices(hours, **counts):
    situation = {
        f"divers . numérique . appareils . {d} . nombre": counts.get(d, 0) for d in DEVICES
    }
    situation["divers . numérique . internet . durée journalière"] = hours
    return situation


def test_digital_nothing_is_zero():
    assert fp(_devices(0))["fp_numerique"] == 0.0


def test_digital_internet_hours_a_day():
    assert fp(_devices(4))["fp_numerique"] == pytest.approx(4 * INTERNET_PER_HOUR * DAYS)


@pytest.mark.parametrize("renewal, coefficient", [("moyen", 1), ("élevé", 0.5),
                                                  ("faible", 4 / 3)])  # fmt: skip
def test_digital_phone_renewal(renewal, coefficient):
    # smartphone: (77,000 + 2,270) gCO2e over 2.5 years, divided by the preservation coefficient
    situation = _devices(0, **{"téléphone": 1})
    situation["divers . numérique . appareils . renouvellement téléphone"] = f"'{renewal}'"
    expected = (77000 + 2270) / 1000 / (2.5 * coefficient)
    assert fp(situation)["fp_numerique"] == pytest.approx(expected)


# ------------------------------------------------------------------ total
def test_total_is_the_sum_of_the_five_usages():
    row = fp({"transport . avion . usager": "'fréquemment'", "logement . habitants": 3})
    parts = [row[f"fp_{u}"] for u in ("alimentation", "avion", "mobilite", "achats", "numerique")]
    assert row["fp_total"] == pytest.approx(sum(parts))
