"""Quantity normalisation with pint (200000 V equals 200 kV) into the display units of the vocabulary
(`records.vocabulary`).

Unit text from files and from queries is untrusted: pint's own parser evaluates expressions
(`kV**2**2**2**2**2**2` builds an exponent tower that takes gigabytes), so every unit string is
read by `parse_unit`, a small grammar of unit names, `*`, `/` and small integer powers, and pint
only ever sees the unit names one at a time. One registry serves the whole process (`registry`).
"""
import re
from functools import lru_cache

from records.vocabulary import SIGNAL_TYPES, TERMS  # noqa: F401 - SIGNAL_TYPES is part of this module's interface

# Canonical keys and the unit each quantity is shown in (None: a plain string, number or list).
DISPLAY_UNITS = {key: term.unit for key, term in TERMS.items()}
CANONICAL_KEYS = frozenset(DISPLAY_UNITS)

# Spellings instruments use that pint does not know.
_ALIASES = {
    "µm": "um", "μm": "um", "µA": "uA", "μA": "uA", "µs": "us", "μs": "us", "°": "deg", "dg": "deg",
    "mR": "mrad", "Å": "angstrom", "EV": "eV", "KEV": "keV", "kv": "kV", "KV": "kV", "1/nm": "1/nm",
}
_STEPS = {  # dimension -> display units from small to large, chosen when no key says otherwise
    "[length]": ("pm", "nm", "um", "mm", "m"),
    "[time]": ("ns", "us", "ms", "s"),
    "[current]": ("pA", "nA", "uA", "mA", "A"),
}


MAX_UNIT_LENGTH = 64  # characters of unit text read at all
MAX_UNIT_FACTORS = 6  # unit names in one expression (kg*m^2/s^3/A has four)
MAX_UNIT_POWER = 4  # largest exponent of one factor (m^3, s^-2)
_UNIT_TOKEN = re.compile(r"\s*(?:(?P<name>[^\W\d_]+|°|%)|(?P<power>\*\*|\^)|(?P<op>[*/·])|(?P<int>[-+]?\d+))")


class UnitError(ValueError):
    """Unit text that is not a known unit or not in the small grammar `parse_unit` reads."""


@lru_cache(maxsize=1)
def registry():
    """The process's one pint registry (loading it costs about 100 ms; every caller shares it)."""
    import os
    import pickle

    import pint

    # pint caches its parsed definitions under ~/.cache; without a writable home it must not fail.
    cache = ":auto:" if os.access(os.path.expanduser("~"), os.W_OK) else None
    try:
        return pint.UnitRegistry(cache_folder=cache)
    except (EOFError, pickle.UnpicklingError, OSError, ValueError):
        # pint writes its cache without locking: a process starting beside another one that is writing
        # it can read half a file. Parse the definitions afresh rather than fail.
        return pint.UnitRegistry(cache_folder=None)


def _unit_tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        match = _UNIT_TOKEN.match(text, position)
        if not match or match.end() == position:
            if text[position:].strip() == "":
                break
            raise UnitError(f"{text!r} is not a unit (unexpected {text[position:position + 10]!r}).")
        position = match.end()
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
    return tokens


def _unit_name(name: str):
    name = _ALIASES.get(name, name)
    if name.startswith(("µ", "μ")):
        name = "u" + name[1:]
    try:
        return registry().Unit(registry().get_name(name))
    except Exception:  # noqa: BLE001 - pint raises several kinds for unknown names
        raise UnitError(f"{name!r} is not a unit this system knows.") from None


def _small_power(text: str, unit_text: str) -> int:
    power = int(text)
    if abs(power) > MAX_UNIT_POWER:
        raise UnitError(f"{unit_text!r}: powers above {MAX_UNIT_POWER} are not accepted.")
    return power


@lru_cache(maxsize=1024)
def parse_unit(text: str):
    """A pint Unit for `text`, read by a small grammar; UnitError for anything else.

    The grammar: unit names (with any SI prefix; "µ" or "u" for micro), joined by `*`, `·`, `/`
    or a space, each optionally raised to a small integer power with `^` or `**`; a leading `1`
    as in `1/nm`. An empty text is dimensionless.

    >>> str(parse_unit("kV"))
    'kilovolt'
    >>> str(parse_unit("1/nm"))
    '1 / nanometer'
    """
    text = clean_unit(str(text or ""))
    if len(text) > MAX_UNIT_LENGTH:
        raise UnitError(f"A unit of {len(text)} characters is too long (at most {MAX_UNIT_LENGTH}).")
    tokens = _unit_tokens(text)
    result = registry().dimensionless
    if not tokens:
        return result
    if tokens[0] == ("int", "1") and len(tokens) > 1 and tokens[1] == ("op", "/"):
        tokens = tokens[1:]
    divide, factors, i = False, 0, 0
    while i < len(tokens):
        kind, value = tokens[i]
        if kind == "op":
            if i == 0 and value != "/" or i + 1 >= len(tokens) or tokens[i + 1][0] != "name":
                raise UnitError(f"{text!r} is not a unit (a unit name must follow {value!r}).")
            divide = value == "/"
            i += 1
            continue
        if kind != "name":
            raise UnitError(f"{text!r} is not a unit (unexpected {value!r}).")
        factors += 1
        if factors > MAX_UNIT_FACTORS:
            raise UnitError(f"{text!r} has more than {MAX_UNIT_FACTORS} unit names.")
        unit, i = _unit_name(value), i + 1
        if i < len(tokens) and tokens[i][0] == "power":
            if i + 1 >= len(tokens) or tokens[i + 1][0] != "int":
                raise UnitError(f"{text!r}: a power must be a small whole number, as in m^2.")
            unit, i = unit ** _small_power(tokens[i + 1][1], text), i + 2
        result = result / unit if divide else result * unit
        divide = False
    return result


def clean_unit(unit: str) -> str:
    """A unit spelling pint understands ("µm" -> "um", "Energy (EV)" -> "eV")."""
    unit = (unit or "").strip()
    if "(" in unit and unit.endswith(")"):
        unit = unit[unit.rindex("(") + 1:-1]
    return _ALIASES.get(unit, unit)


@lru_cache(maxsize=512)
def _factor(unit: str, target: str) -> float:
    return float(registry().Quantity(1.0, parse_unit(unit)).to(parse_unit(target)).magnitude)


@lru_cache(maxsize=512)
def _auto_target(unit: str, magnitude_exponent: int) -> str:
    quantity = registry().Quantity(1.0, parse_unit(unit))
    dimension = str(quantity.dimensionality)
    if dimension == "[length] * [mass] / [current] / [time] ** 3":
        return "kV"
    if dimension == "dimensionless" and unit in ("rad", "deg", "degree", "mrad"):
        return "deg" if unit != "mrad" else "mrad"
    steps = _STEPS.get(dimension)
    if not steps:
        return unit
    for step in steps:
        if 10.0 ** magnitude_exponent * _factor(unit, step) < 1000:
            return step
    return steps[-1]


def quantity(value: float, unit: str, key: str | None = None) -> dict:
    """`{"value", "unit"}` in the display unit of the canonical `key`, else a sensible one."""
    value = float(value)
    unit = clean_unit(unit)
    target = DISPLAY_UNITS.get(key) if key else None
    if not target:
        exponent = 0 if value == 0 else int(_floor_log10(abs(value)))
        target = _auto_target(unit, exponent)
    if target != unit:
        value = value * _factor(unit, target)
    return {"value": _round(value), "unit": target}


def to_base(q: dict) -> float:
    """The magnitude of a `{"value", "unit"}` quantity in SI base units, for comparisons."""
    base = registry().Quantity(1.0, parse_unit(q["unit"])).to_base_units()
    return float(q["value"]) * float(base.magnitude)


def _floor_log10(value: float) -> float:
    import math

    return math.floor(math.log10(value))


def _round(value: float) -> float:
    """Drop float noise (4999.999999999999 -> 5000.0) while keeping 12 significant digits."""
    return float(f"{value:.12g}")
