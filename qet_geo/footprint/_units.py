"""Units of the publicodes language, ported from publicodes 1.10.3 (``src/units.ts``).

A unit is a pair ``(numerators, denominators)`` of tuples of base-unit names, or ``None``
for a unitless value. Only the conversions publicodes itself knows are supported (time
``jour``/``mois``/``trimestre``/``an``, metric prefixes of ``g`` and ``m``, ``€``/``k€`` and
``%``); any other pair of different units is not convertible, as in publicodes.
"""

from __future__ import annotations

import re

CONVERT_TABLE = {
    "mois/an": 12.0,
    "jour/an": 365.0,
    "jour/mois": 365 / 12,
    "trimestre/an": 4.0,
    "mois/trimestre": 3.0,
    "jour/trimestre": 365 / 12 * 3,
    "€/k€": 10.0**3,
    "g/kg": 10.0**3,
    "mg/g": 10.0**3,
    "mg/kg": 10.0**6,
    "m/km": 10.0**3,
    "cm/m": 10.0**2,
    "mm/cm": 10.0**1,
    "mm/m": 10.0**3,
    "cm/km": 10.0**5,
    "mm/km": 10.0**6,
}
EQUIVALENT = {"kW.h": "kWh", "mn/h": "noeud"}

_LAST_NUMBER = re.compile(r"(\d+)(?!.*[A-Za-z])")


class UnitError(ValueError):
    """Two units publicodes cannot convert into one another."""


def _unit_counts(base_units):
    counts: dict[str, int] = {}
    for e in base_units:
        m = _LAST_NUMBER.search(e)
        if m is not None:
            power = m.group(0)
            primary = e.split(power)[0]
            counts[primary] = counts.get(primary, 0) + int(power)
        else:
            counts[e] = counts.get(e, 0) + 1
    return counts


def _decompose_power(base_units):
    out = []
    for primary, power in _unit_counts(base_units).items():
        out.extend([primary] * power)
    return out


def parse_unit(text: str):
    """``'kgCO2e/km'`` -> ``(('kgCO2e',), ('km',))`` as publicodes' ``parseUnit``."""
    if "/ " in text:
        raise UnitError(f"unit {text!r} must not contain a space after '/'")
    a, *b = text.split("/")

    def split(s):
        return _decompose_power([u for u in s.strip().split(".") if u])

    nums = tuple(split(a))
    dens = tuple(u for part in b for u in split(part))
    return (nums, dens)


def _remove_once(element, lst, eq):
    lst = list(lst)
    for i, e in enumerate(lst):
        if eq(e, element):
            del lst[i]
            break
    return lst


def _simplify(unit, eq=lambda a, b: a == b):
    nums, dens = list(unit[0]), list(unit[1])
    for nxt in list(unit[0]) + list(unit[1]):
        if any(eq(nxt, u) for u in nums) and any(eq(nxt, u) for u in dens):
            nums = _remove_once(nxt, nums, eq)
            dens = _remove_once(nxt, dens, eq)
    return (tuple(nums), tuple(dens))


def _combine_power(base_units):
    return [f"{p}{n}" if n > 1 else p for p, n in _unit_counts(base_units).items()]


def serialize_unit(unit) -> str | None:
    if unit is None:
        return None
    nums, dens = _simplify(unit)
    if not nums and not dens:
        return ""
    n = ".".join(_combine_power(nums))
    d = ".".join(_combine_power(dens))
    if nums and not dens:
        return n
    if not nums:
        return f"/{d}"
    return f"{n}/{d}"


def infer_unit(op: str, u1, u2):
    """Unit of ``a op b`` (publicodes' ``inferUnit``)."""
    if op == "/":
        inv = None if u2 is None else (u2[1], u2[0])
        return infer_unit(
            "*", u1 if u1 is not None else ((), ()), inv if inv is not None else ((), ())
        )
    units = [u for u in (u1, u2) if u is not None]
    if len(units) <= 1:
        return units[0] if units else None
    if op == "*":
        return _simplify((units[0][0] + units[1][0], units[0][1] + units[1][1]))
    if op in "+-":
        return units[0]
    return None


def _single_factor(frm, to):
    f = CONVERT_TABLE.get(f"{to}/{frm}")
    if f:
        return f
    g = CONVERT_TABLE.get(f"{frm}/{to}")
    return (1 / g) if g else None


def _units_factor(frm, to):
    factor = 100.0 ** (sum(1 for u in to if u == "%") - sum(1 for u in frm if u == "%"))
    to_units = list(to)
    for from_unit in frm:
        index = next((i for i, t in enumerate(to_units) if _single_factor(from_unit, t)), -1)
        f2 = _single_factor(from_unit, to_units[index]) if index >= 0 else None
        factor *= f2 or 1
        # publicodes keeps the list unchanged here (slice(0, i+1) + slice(i+1))
    return factor


def _unit_classes():
    classes: list[set] = []
    for ratio in CONVERT_TABLE:
        a, b = ratio.split("/")
        ia = next((i for i, c in enumerate(classes) if a in c), -1)
        ib = next((i for i, c in enumerate(classes) if b in c), -1)
        if ia == -1 and ib == -1:
            classes.append({a, b})
        elif ia > -1:
            classes[ia].add(b)
        elif ib > -1:
            classes[ib].add(a)
    return classes


_CLASSES = _unit_classes()


def _same_class(a, b):
    return a == b or any(a in c and b in c for c in _CLASSES)


def _remove_percentages(unit):
    return (tuple(u for u in unit[0] if u != "%"), tuple(u for u in unit[1] if u != "%"))


def simplify_unit(unit):
    """publicodes' ``simplifyUnit`` (used before ``arrondi``)."""
    nums, dens = _simplify(unit, _same_class)
    if nums and all(s == "%" for s in nums):
        return (("%",), dens)
    return _remove_percentages((nums, dens))


def _simplify_with_value(unit):
    factor = _units_factor(unit[0], unit[1])
    return _simplify(_remove_percentages(unit), _same_class), factor


def convertible(a, b) -> bool:
    if a is None or b is None:
        return True

    def count(units):
        c: dict[str, int] = {}
        for u in units:
            idx = next((i for i, cl in enumerate(_CLASSES) if u in cl), -1)
            key = u if idx == -1 else str(idx)
            c[key] = c.get(key, 0) + 1
        return c

    na, da, nb, db = count(a[0]), count(a[1]), count(b[0]), count(b[1])
    keys = set(na) | set(da) | set(nb) | set(db)
    return all(na.get(k, 0) - da.get(k, 0) == nb.get(k, 0) - db.get(k, 0) or k == "%" for k in keys)


def conversion_factor(frm, to) -> float:
    """Factor converting a value in unit ``frm`` into unit ``to`` (publicodes' ``convertUnit``).

    Raises :class:`UnitError` when publicodes would refuse (it then warns and keeps the value).
    """
    sf, st = serialize_unit(frm), serialize_unit(to)
    equivalent = (
        bool(sf) and bool(st) and (sf == st or sf == EQUIVALENT.get(st) or st == EQUIVALENT.get(sf))
    )
    if not equivalent and not convertible(frm, to):
        raise UnitError(f"cannot convert {sf!r} into {st!r}")
    if frm is None:
        return 1.0
    f_simpl, factor_to = _simplify_with_value(frm)
    t_simpl, factor_from = _simplify_with_value(to if to is not None else ((), ()))
    return (
        factor_to
        / factor_from
        * _units_factor(f_simpl[0], t_simpl[0])
        * _units_factor(t_simpl[1], f_simpl[1])
    )
