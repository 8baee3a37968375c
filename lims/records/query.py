"""The record search language, parsed into a small AST shared by the browser and the API.

    titan "spectrum image" user:alice format:dm3 year:2025
    voltage >= 200 kV      pixel size < 1 nm      magnification 10k..50k
    acceleration_voltage:200kV      working_distance:5..10mm

Free words and quoted phrases match the record's text; `field:value` filters a facet; a metadata
name with a comparison or an `a..b` range matches when any file of the record has such a value.
Units may use any prefix; a value without a unit is read in the key's default unit (below).
"""
import math
import re
from dataclasses import dataclass, field

from records.units import UnitError, clean_unit, parse_unit, to_base

FIELDS = {
    "instrument": "instrument",
    "user": "experimenter",
    "experimenter": "experimenter",
    "project": "project",
    "format": "format",
    "mode": "mode",
    "year": "year",
    "month": "month",
}
# Numeric metadata keys and the unit a bare number is read in ("" = dimensionless).
PARAMETERS = {
    "acceleration_voltage": "kV",
    "beam_current": "nA",
    "magnification": "",
    "pixel_size_x": "nm",
    "pixel_size_y": "nm",
    "working_distance": "mm",
    "dwell_time": "us",
    "exposure_time": "s",
    "camera_length": "mm",
    "spot_size": "",
    "stage_x": "um",
    "stage_y": "um",
    "stage_z": "um",
    "stage_alpha": "degree",
    "stage_beta": "degree",
}
ALIASES = {
    "voltage": ("acceleration_voltage",),
    "acceleration voltage": ("acceleration_voltage",),
    "hv": ("acceleration_voltage",),
    "kv": ("acceleration_voltage",),
    "current": ("beam_current",),
    "beam current": ("beam_current",),
    "mag": ("magnification",),
    "pixel size": ("pixel_size_x", "pixel_size_y"),
    "pixel_size": ("pixel_size_x", "pixel_size_y"),
    "pixelsize": ("pixel_size_x", "pixel_size_y"),
    "wd": ("working_distance",),
    "working distance": ("working_distance",),
    "dwell time": ("dwell_time",),
    "dwell": ("dwell_time",),
    "exposure": ("exposure_time",),
    "exposure time": ("exposure_time",),
    "camera length": ("camera_length",),
    "spot size": ("spot_size",),
    "spot": ("spot_size",),
    "tilt": ("stage_alpha",),
    "alpha": ("stage_alpha",),
    "beta": ("stage_beta",),
    **{key: (key,) for key in PARAMETERS},
}
MAX_NAME_WORDS = max(len(name.split()) for name in ALIASES)
MAX_QUERY_LENGTH = 1000
# Equal-looking values may differ in the last bits after unit conversion.
RELATIVE_TOLERANCE = 1e-9
MULTIPLIERS = {"k": 1e3, "K": 1e3, "M": 1e6}

_TOKEN = re.compile(r'\s*(?:(?P<phrase>"[^"]*")|(?P<op>>=|<=|=|<|>)|(?P<word>[^\s"<>=]+(?:"[^"]*")?))')
_NUMBER = re.compile(r"^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(.*)$")
_WORD = re.compile(r"[^\W_]+")


class QueryError(ValueError):
    """The query cannot be understood; the message says what to change."""


@dataclass(frozen=True)
class Text:
    tokens: tuple  # lowercase word tokens; more than one means they must follow each other


@dataclass(frozen=True)
class Filter:
    facet: str
    value: str


@dataclass(frozen=True)
class Range:
    keys: tuple
    low: float | None  # in SI base units
    high: float | None
    label: str = ""


@dataclass
class Query:
    texts: list = field(default_factory=list)
    filters: list = field(default_factory=list)
    ranges: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.texts or self.filters or self.ranges)


def tokenize_text(text: str) -> list:
    """Lowercase word tokens, split on anything that is not a letter or digit (file_01.dm3 -> file 01 dm3)."""
    return _WORD.findall(str(text).lower())


def _unit(unit: str):
    """A pint unit for `unit` (µ and u both mean micro), or None when it is not a unit."""
    try:
        return parse_unit(unit)
    except UnitError:
        return None


def base_value(value: float, unit: str) -> float | None:
    """`value` `unit` in SI base units (200 kV -> 200000.0); None when the unit is unknown."""
    if _unit(clean_unit(unit or "")) is None:
        return None
    return to_base({"value": value, "unit": unit or ""})


def _number(text: str, key: str) -> tuple[float, str]:
    """'10k' -> (10000, ''), '200kV' -> (200, 'kV'); raises QueryError when it is no number."""
    match = _NUMBER.match(text)
    if not match:
        raise QueryError(f"{text!r} is not a number (write e.g. 200 kV, 1.5nm or 10k).")
    number, rest = float(match.group(1)), match.group(2)
    if rest in MULTIPLIERS and PARAMETERS[key] == "":
        return number * MULTIPLIERS[rest], ""
    return number, rest


def _base_value(number: float, unit: str, key: str, name: str) -> float:
    default = PARAMETERS[key]
    unit = unit or default
    parsed, expected = _unit(unit), _unit(default)
    if parsed is None:
        raise QueryError(f"{unit!r} is not a unit this search knows (try e.g. kV, nm, mm, us).")
    if parsed.dimensionality != expected.dimensionality:
        hint = f"a unit like {default}" if default else "no unit"
        raise QueryError(f"{name} takes {hint}, not {unit!r}.")
    value = base_value(number, unit)
    if not math.isfinite(value):
        raise QueryError(f"{number:g} {unit} is not a finite number.")
    return value


def _spread(value: float, up: bool) -> float:
    step = abs(value) * RELATIVE_TOLERANCE or RELATIVE_TOLERANCE
    return value + step if up else value - step


def _bounds(op: str, value: float) -> tuple:
    if op in (">=", ">"):
        return (_spread(value, False) if op == ">=" else _spread(value, True)), None
    if op in ("<=", "<"):
        return None, (_spread(value, True) if op == "<=" else _spread(value, False))
    return _spread(value, False), _spread(value, True)


def _match_name(words: list, i: int) -> tuple:
    """The longest metadata name starting at words[i]: (keys, name, words used) or (None, None, 0)."""
    for size in range(MAX_NAME_WORDS, 0, -1):
        parts = words[i:i + size]
        if len(parts) < size or any(kind != "word" for kind, _ in parts):
            continue
        name = " ".join(text for _, text in parts).lower()
        if name in ALIASES:
            return ALIASES[name], name, size
    return None, None, 0


def _unit_after(tokens: list, j: int, key: str) -> tuple[str, int]:
    """A unit written as its own word after a number ('200 kV'), and how many tokens it used."""
    if j < len(tokens) and tokens[j][0] == "word" and PARAMETERS[key]:
        candidate = tokens[j][1]
        parsed = _unit(candidate)
        expected = _unit(PARAMETERS[key])
        if parsed is not None and not _NUMBER.match(candidate):
            if parsed.dimensionality != expected.dimensionality:
                raise QueryError(f"{candidate!r} is not a unit of {key.replace('_', ' ')} (e.g. {PARAMETERS[key]}).")
            return candidate, 1
    return "", 0


def _parse_value(spec: str, keys: tuple, name: str, op: str, unit_word: str = "") -> Range:
    """`spec` is '200kV', '10k..50k' or '100..300' (with `unit_word` after it) for comparison `op`."""
    key = keys[0]
    if ".." in spec:
        if op != "=":
            raise QueryError(f"Use either a comparison or a range a..b for {name}, not both.")
        low_text, _, high_text = spec.partition("..")
        low_number, low_unit = _number(low_text, key) if low_text else (None, "")
        high_number, high_unit = _number(high_text, key) if high_text else (None, "")
        if low_number is None and high_number is None:
            raise QueryError(f"The range for {name} needs at least one end (e.g. 10k..50k).")
        low = None if low_number is None else _base_value(low_number, low_unit or high_unit or unit_word, key, name)
        high = None if high_number is None else _base_value(high_number, high_unit or low_unit or unit_word, key, name)
        if low is not None and high is not None and low > high:
            raise QueryError(f"The range for {name} runs backwards: {spec}.")
        return Range(keys, None if low is None else _spread(low, False), None if high is None else _spread(high, True),
                     f"{name} {spec}{(' ' + unit_word) if unit_word else ''}")
    number, unit = _number(spec, key)
    value = _base_value(number, unit or unit_word, key, name)
    if math.isnan(value) or math.isinf(value):
        raise QueryError(f"{spec!r} is not a finite number.")
    low, high = _bounds(op, value)
    return Range(keys, low, high, f"{name} {op} {spec}{(' ' + unit_word) if unit_word else ''}")


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def _field(name: str, raw: str) -> Filter:
    value = _unquote(raw).strip()
    facet = FIELDS[name]
    if not value:
        raise QueryError(f"{name}: needs a value, e.g. {name}:titan.")
    if facet == "year" and not re.fullmatch(r"\d{4}", value):
        raise QueryError(f"year: takes four digits, e.g. year:2025 (got {value!r}).")
    if facet == "month" and not re.fullmatch(r"\d{4}-\d{2}", value):
        raise QueryError(f"month: takes YYYY-MM, e.g. month:2025-03 (got {value!r}).")
    return Filter(facet, value)


def _tokens(text: str) -> list:
    if text.count('"') % 2:
        raise QueryError("A quote is not closed: every \" needs a partner.")
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup
        if kind:
            tokens.append((kind, match.group(kind)))
    return tokens


def _add_text(query: Query, text: str) -> None:
    tokens = tuple(tokenize_text(text))
    if tokens:
        query.texts.append(Text(tokens))


def parse(text: str) -> Query:
    """Parse a search string into a Query; raises QueryError with a helpful message."""
    text = text or ""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"The query is too long ({len(text)} characters; at most {MAX_QUERY_LENGTH}).")
    tokens, query, i = _tokens(text), Query(), 0
    while i < len(tokens):
        kind, value = tokens[i]
        if kind == "phrase":
            _add_text(query, _unquote(value))
            i += 1
            continue
        if kind == "op":
            raise QueryError(f"{value!r} must follow a metadata name, e.g. voltage >= 200 kV.")
        if ":" in value and not value.startswith(":"):
            name, _, raw = value.partition(":")
            lowered = name.lower()
            if lowered in FIELDS:
                query.filters.append(_field(lowered, raw))
                i += 1
                continue
            if lowered in ALIASES:
                if not raw:
                    raise QueryError(f"{name}: needs a value, e.g. {name}:200kV.")
                unit, used = _unit_after(tokens, i + 1, ALIASES[lowered][0])
                query.ranges.append(_parse_value(raw, ALIASES[lowered], lowered, "=", unit))
                i += 1 + used
                continue
            raise QueryError(f"Unknown field {name!r}: use one of {', '.join(sorted(FIELDS))} or a metadata name.")
        keys, name, used = _match_name(tokens, i)
        if keys:
            j = i + used
            op = tokens[j][1] if j < len(tokens) and tokens[j][0] == "op" else None
            spec_at = j + 1 if op else j
            is_range = not op and spec_at < len(tokens) and ".." in tokens[spec_at][1]
            if op or is_range:
                if spec_at >= len(tokens) or tokens[spec_at][0] != "word":
                    raise QueryError(f"{name} {op or ''} needs a value, e.g. {name} >= 200 kV.".replace("  ", " "))
                unit, unit_used = _unit_after(tokens, spec_at + 1, keys[0])
                query.ranges.append(_parse_value(tokens[spec_at][1], keys, name, op or "=", unit))
                i = spec_at + 1 + unit_used
                continue
        _add_text(query, value)
        i += 1
    return query
